//! The sample and benchmark data generator. A latent risk field drives departures, cases,
//! outreach, desa binaan and offices, so hotspots exist and tests can check the pipeline
//! against known truth. Two kinds of ground:
//! - [`ground::Region`]: the sample of `data-sample/`, on a region's real village boundaries,
//!   codes and names (`data/boundaries/`, embedded) with synthetic statistics — Banten, and
//!   Kabupaten Cianjur as a second job;
//! - [`Spec`]: a tiled lattice of any size with made-up names, for the national benchmark sets.
//!
//! Every number it writes is synthetic; everything is a pure function of the region or spec.

pub mod geometry;
pub mod ground;
pub mod province;
pub mod write;

pub use ground::Region;
pub use province::{Spec, SynthVillage, World};
pub use write::{PlantedReject, Truth, WriteError, write_plain, write_sample};
