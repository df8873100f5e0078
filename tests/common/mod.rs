//! Helpers shared by the end-to-end tests: running the real `rawan` binary, reading outputs.
#![allow(dead_code)]

pub mod gdal;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A real boundary layer kept in the repository, gzipped (data/boundaries/README.md), unpacked
/// into `dir`: e.g. `real_boundaries(dir, "banten_desa.geojson")`.
pub fn real_boundaries(dir: &Path, name: &str) -> PathBuf {
    use std::io::Read;
    let packed = root().join("data/boundaries").join(format!("{name}.gz"));
    let mut text = Vec::new();
    flate2::read::GzDecoder::new(
        std::fs::File::open(&packed).unwrap_or_else(|e| panic!("{}: {e}", packed.display())),
    )
    .read_to_end(&mut text)
    .unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

pub fn rawan(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rawan"))
        .args(args)
        .output()
        .expect("rawan runs")
}

/// Runs a job into `out` and panics with rawan's own words if it fails.
pub fn run_ok(job: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "run",
        job.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ];
    args.extend_from_slice(extra);
    let o = rawan(&args);
    assert!(
        o.status.success(),
        "rawan failed: {}\n{}",
        String::from_utf8_lossy(&o.stderr),
        String::from_utf8_lossy(&o.stdout)
    );
    o
}

/// Runs a job into `out` that must fail: rawan's exit code (-1 if a signal ended it) and what
/// it said.
pub fn run_fails(job: &Path, out: &Path) -> (i32, String) {
    let o = rawan(&[
        "run",
        job.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// A copy of the hand-written job in a temporary folder, to break one piece at a time.
pub fn job_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(root().join("tests/fixtures/handwritten")).unwrap() {
        let p = entry.unwrap().path();
        std::fs::copy(&p, dir.path().join(p.file_name().unwrap())).unwrap();
    }
    dir
}

/// The Banten sample's files copied into a temporary folder, so that its job can point
/// elsewhere.
pub fn sample_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(root().join("data-sample")).unwrap() {
        let p = entry.unwrap().path();
        if p.is_file() {
            std::fs::copy(&p, dir.path().join(p.file_name().unwrap())).unwrap();
        }
    }
    dir
}

/// Replaces `from` by `to` in the job file of `dir` (one setting or input at a time).
pub fn edit_job(dir: &Path, from: &str, to: &str) {
    let path = dir.join("job.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "the job file has no {from:?}");
    std::fs::write(&path, text.replace(from, to)).unwrap();
}

/// Generates the Banten sample job into a temporary folder and returns (folder, truth).
pub fn fresh_sample() -> (tempfile::TempDir, rawan_synth::Truth) {
    fresh_region(&rawan_synth::Region::banten())
}

/// Generates a region's sample job into a temporary folder and returns (folder, truth).
pub fn fresh_region(region: &rawan_synth::Region) -> (tempfile::TempDir, rawan_synth::Truth) {
    let dir = tempfile::tempdir().unwrap();
    let world = region.world();
    let truth = rawan_synth::write_sample(&world, region, dir.path()).unwrap();
    (dir, truth)
}

pub fn read_csv(path: &Path) -> Vec<std::collections::BTreeMap<String, String>> {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let headers = r.headers().unwrap().clone();
    r.records()
        .map(|rec| {
            headers
                .iter()
                .zip(rec.unwrap().iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

pub fn read_json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every file below `dir`, relative path → bytes.
pub fn snapshot(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_file() {
            out.insert(
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            );
        }
    }
    out
}

/// `ogrinfo` from GDAL (Debian's gdal-bin; `make deps` installs it).
pub fn ogrinfo_feature_count(layer: &Path) -> usize {
    let o = Command::new("ogrinfo")
        .args(["-ro", "-so", "-al"])
        .arg(layer)
        .output()
        .expect("ogrinfo (GDAL) is installed: run `make deps`");
    assert!(
        o.status.success(),
        "ogrinfo failed on {}: {}",
        layer.display(),
        String::from_utf8_lossy(&o.stderr)
    );
    let text = String::from_utf8_lossy(&o.stdout);
    let line = text
        .lines()
        .find(|l| l.starts_with("Feature Count:"))
        .unwrap_or_else(|| panic!("no feature count in ogrinfo output:\n{text}"));
    line.trim_start_matches("Feature Count:")
        .trim()
        .parse()
        .unwrap()
}
