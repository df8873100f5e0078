//! Monitoring across runs: what changed, village by village, between two runs of rawan.
//!
//! A Kanwil runs rawan every quarter or year; its question then is what changed. This crate
//! reads two output folders ([`RunFolder`]: their manifests and `villages_ranked.csv`),
//! refuses runs whose settings or villages differ unless told ([`comparable`]), and computes
//! each village's change in rank, score and hot-spot class, and whether the change in rank is
//! larger than both runs' rank intervals ([`change`]).
//!
//! It is not for writing: `rawan_publish::changes` writes the table, layer, chart and report;
//! the CLI's `rawan compare` wires the two. It reads only published outputs, so a comparison
//! reveals nothing the two runs do not.

pub mod change;
pub mod comparable;
pub mod run_folder;

pub use change::{Comparison, HotSpotChange, Movement, Side, VillageChange};
pub use comparable::{Allow, Difference};
pub use run_folder::{RankedVillage, RunFolder};

use std::path::PathBuf;

/// Why two runs cannot be compared. Every message names the folder or file and says what to do.
#[derive(Debug, thiserror::Error)]
pub enum CompareError {
    /// A folder that is not a rawan output folder, or a file of it that cannot be read.
    #[error("{path}: {problem}")]
    Unreadable { path: PathBuf, problem: String },
    /// The runs were made with different settings that change scores, ranks or classes.
    #[error(
        "the two runs were made with different settings, so their ranks are not comparable: {}. Compare runs made with the same settings, or pass --allow-different-settings to compare anyway (the report then lists these differences)",
        .0.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("; ")
    )]
    Settings(Vec<Difference>),
    /// The runs cover different villages.
    #[error(
        "the two runs cover different villages: {only_before} only in the previous run (e.g. {before_example}), {only_after} only in the current one (e.g. {after_example}). A village layer updated for new or merged villages (pemekaran) does this; pass --allow-different-villages to compare the villages both runs have"
    )]
    Villages {
        only_before: usize,
        only_after: usize,
        before_example: String,
        after_example: String,
    },
}
