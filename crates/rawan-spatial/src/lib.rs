//! Spatial weights from village polygons and the local statistics analysts know from GeoDa
//! and PySAL/esda: Getis-Ord Gi* and Local Moran's I, with analytical z-scores, conditional
//! permutation pseudo p-values, Benjamini–Hochberg FDR and LISA clusters.
//!
//! One concept per module: [`weights`] (the neighbour graph), [`contiguity`] (building it
//! from polygons, robust to slivers), [`getis_ord`], [`local_moran`], [`permutation`],
//! [`fdr`], and [`local`] (a variable's statistics as a run publishes them). The math takes slices and returns vectors; nothing here reads or writes files.

pub mod contiguity;
pub mod fdr;
pub mod getis_ord;
mod lanes;
pub mod local;
pub mod local_moran;
pub mod permutation;
pub mod weights;

pub use contiguity::{ContiguityOptions, contiguity_weights};
pub use weights::{NeighbourSource, Weights};

/// Mean and population standard deviation (divisor n), as Getis–Ord and esda use.
pub(crate) fn mean_sd(x: &[f64]) -> (f64, f64) {
    let n = x.len() as f64;
    let mean = x.iter().sum::<f64>() / n;
    let var = x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
    (mean, var.sqrt())
}
