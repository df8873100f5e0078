//! The sample and benchmark data generator: a deterministic synthetic province (or country)
//! of tiled village polygons with Kemendagri codes, population, and the departures, cases,
//! outreach, desa binaan and offices that a smooth latent risk field drives — so hotspots
//! exist and tests can check the pipeline against known truth.
//!
//! Not a model of any real place: names are made from syllables, geometry from a jittered
//! lattice. Real boundaries live in `data/boundaries/` for tests that need them.

pub mod geometry;
pub mod province;
pub mod write;

pub use province::{Spec, SynthVillage, World};
pub use write::{PlantedReject, Truth, WriteError, write_plain, write_sample};
