//! The run manifest: enough to trace every number back to its inputs and settings — tool
//! version, the full effective settings, each input's SHA-256 and row counts, the spatial
//! weights used, what privacy did, and every output file with its SHA-256. It holds no
//! timestamps or absolute paths, so the same inputs and settings give the same manifest.

use crate::{PublishError, io_err};
use serde::Serialize;
use std::path::Path;

#[derive(Debug, Serialize)]
pub struct Manifest {
    pub tool: &'static str,
    pub version: &'static str,
    pub restricted: bool,
    /// The job says its statistics are synthetic (the sample jobs): not official figures.
    pub synthetic: bool,
    pub lang: String,
    /// The job as run, with every default filled in; input paths as the job file gives them.
    pub settings: serde_json::Value,
    pub inputs: Vec<InputRecord>,
    pub rejects: usize,
    /// Rows used with one value set aside (warnings.csv).
    pub warnings: usize,
    pub name_matches: usize,
    pub weights: WeightsRecord,
    pub privacy: PrivacyRecord,
    /// The files that may be shared outside the office: every output of a published run;
    /// none of a `--restricted` run (all its counts are exact).
    pub publishable: Vec<String>,
    pub outputs: Vec<OutputRecord>,
}

/// Why a published run's manifest leaves the case file's digest and row counts out.
pub const WITHHELD: &str = "sensitive input: digest and row counts only in a --restricted run's manifest (docs/privacy.md)";

#[derive(Debug, Serialize)]
pub struct InputRecord {
    pub table: String,
    pub file: String,
    pub sha256: Option<String>,
    pub bytes: Option<u64>,
    pub read: Option<u64>,
    pub used: Option<u64>,
    pub rejected: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub withheld: Option<&'static str>,
    pub notes: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct WeightsRecord {
    pub contiguity: String,
    pub snap_tolerance_m: f64,
    pub mean_neighbours: f64,
    pub islands_linked_to_nearest: usize,
    pub villages_without_neighbours: usize,
}

#[derive(Debug, Serialize)]
pub struct PrivacyRecord {
    pub min_count: u32,
    pub suppressed_village_values: usize,
    pub policy: &'static str,
}

#[derive(Debug, Serialize)]
pub struct OutputRecord {
    pub file: String,
    pub sha256: String,
    pub bytes: u64,
}

/// Writes `manifest.json` into `dir` (last: it lists and hashes every other output).
pub fn write(dir: &Path, manifest: &Manifest) -> Result<String, PublishError> {
    let text = serde_json::to_string_pretty(manifest).expect("manifest serialises") + "\n";
    let path = dir.join("manifest.json");
    std::fs::write(&path, text).map_err(io_err(&path))?;
    Ok("manifest.json".into())
}
