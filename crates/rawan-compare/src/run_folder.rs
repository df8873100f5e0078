//! One run's output folder as a comparison reads it: its manifest (version, analysis date,
//! settings) and its ranked villages.

use crate::CompareError;
use rawan_core::{GiClass, KodeDesa};
use serde_json::value::RawValue;
use std::path::{Path, PathBuf};

/// What a comparison needs of one run.
#[derive(Debug, Clone)]
pub struct RunFolder {
    pub path: PathBuf,
    /// The rawan version that wrote it.
    pub version: String,
    /// The run's analysis date (`as_of`), as the job gave it.
    pub as_of: String,
    pub restricted: bool,
    pub synthetic: bool,
    /// The language the run wrote in (`id` or `en`).
    pub lang: String,
    /// The run's effective settings, from its manifest.
    pub settings: serde_json::Value,
    pub villages: Vec<RankedVillage>,
}

/// One row of `villages_ranked.csv`, the columns a comparison uses.
#[derive(Debug, Clone, PartialEq)]
pub struct RankedVillage {
    pub kode_desa: KodeDesa,
    pub desa: String,
    pub kecamatan: String,
    pub kabupaten: String,
    /// Empty for a village the model could not score.
    pub risk_rank: Option<u32>,
    pub risk_score: Option<f64>,
    /// The 5–95 % rank interval of the Monte Carlo runs.
    pub rank_p05: Option<u32>,
    pub rank_p95: Option<u32>,
    pub gi_class: GiClass,
    pub desa_binaan: bool,
    pub recommended_rank: Option<u32>,
}

const COLUMNS: [&str; 11] = [
    "kode_desa",
    "desa",
    "kecamatan",
    "kabupaten",
    "risk_rank",
    "risk_score",
    "rank_p05",
    "rank_p95",
    "gi_class",
    "desa_binaan",
    "recommended_rank",
];

impl RunFolder {
    /// Reads the run in `path`: `manifest.json` and `villages_ranked.csv`.
    pub fn open(path: &Path) -> Result<RunFolder, CompareError> {
        let bad = |path: &Path, problem: String| CompareError::Unreadable {
            path: path.to_path_buf(),
            problem,
        };
        if !path.is_dir() {
            return Err(bad(
                path,
                "not a folder: give the output folder of a rawan run (the --out of `rawan run`)"
                    .into(),
            ));
        }
        let manifest_path = path.join("manifest.json");
        let text = std::fs::read(&manifest_path).map_err(|e| {
            bad(
                &manifest_path,
                format!("{e}: is this the output folder of a rawan run?"),
            )
        })?;
        let manifest: serde_json::Value = serde_json::from_slice(&text)
            .map_err(|e| bad(&manifest_path, format!("not a rawan manifest ({e})")))?;
        if manifest["tool"] != "rawan" {
            return Err(bad(
                &manifest_path,
                "not a rawan manifest (no \"tool\": \"rawan\")".into(),
            ));
        }
        if manifest["command"] == "compare" {
            return Err(bad(
                path,
                "the output of `rawan compare`, not of a run: give the output folders of two `rawan run`s".into(),
            ));
        }
        let text_of = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
        let settings = manifest["settings"].clone();
        let ranked = path.join("villages_ranked.csv");
        let villages = read_ranked(&ranked).map_err(|problem| bad(&ranked, problem))?;
        Ok(RunFolder {
            path: path.to_path_buf(),
            version: text_of(&manifest["version"]),
            as_of: text_of(&settings["as_of"]),
            restricted: manifest["restricted"].as_bool().unwrap_or(false),
            synthetic: manifest["synthetic"].as_bool().unwrap_or(false),
            lang: text_of(&manifest["lang"]),
            settings,
            villages,
        })
    }
}

impl RunFolder {
    /// Each village's geometry as the run's `villages.geojson` writes it (GeoJSON text, copied
    /// unchanged into the comparison's layer).
    pub fn geometries(
        &self,
    ) -> Result<std::collections::HashMap<KodeDesa, Box<RawValue>>, CompareError> {
        #[derive(serde::Deserialize)]
        struct Layer {
            features: Vec<Feature>,
        }
        #[derive(serde::Deserialize)]
        struct Feature {
            properties: Props,
            geometry: Box<RawValue>,
        }
        #[derive(serde::Deserialize)]
        struct Props {
            kode_desa: String,
        }
        let path = self.path.join("villages.geojson");
        let bad = |problem: String| CompareError::Unreadable {
            path: path.clone(),
            problem,
        };
        let text = std::fs::read(&path).map_err(|e| bad(e.to_string()))?;
        let layer: Layer = serde_json::from_slice(&text)
            .map_err(|e| bad(format!("not a rawan village layer ({e})")))?;
        layer
            .features
            .into_iter()
            .map(|f| {
                let k = KodeDesa::parse(&f.properties.kode_desa).map_err(|e| bad(e.to_string()))?;
                Ok((k, f.geometry))
            })
            .collect()
    }
}

/// The rows of a `villages_ranked.csv`, or what is wrong with it.
fn read_ranked(path: &Path) -> Result<Vec<RankedVillage>, String> {
    let mut reader = csv::Reader::from_path(path).map_err(|e| e.to_string())?;
    let header = reader.headers().map_err(|e| e.to_string())?.clone();
    let mut at = [0usize; COLUMNS.len()];
    for (k, name) in COLUMNS.iter().enumerate() {
        at[k] = header.iter().position(|h| h == *name).ok_or_else(|| {
            format!("no column {name}: written by a rawan version this one cannot compare; run the job again with this version")
        })?;
    }
    let mut out = Vec::new();
    for (row, record) in reader.records().enumerate() {
        let line = row + 2;
        let record = record.map_err(|e| format!("line {line}: {e}"))?;
        let cell = |k: usize| record.get(at[k]).unwrap_or("").trim();
        let number = |k: usize| -> Result<Option<f64>, String> {
            match cell(k) {
                "" => Ok(None),
                s => s
                    .parse::<f64>()
                    .map(Some)
                    .map_err(|_| format!("line {line}: {} '{s}' is not a number", COLUMNS[k])),
            }
        };
        let rank = |k: usize| -> Result<Option<u32>, String> {
            match cell(k) {
                "" => Ok(None),
                s => s
                    .parse::<u32>()
                    .map(Some)
                    .map_err(|_| format!("line {line}: {} '{s}' is not a rank", COLUMNS[k])),
            }
        };
        let kode_desa = KodeDesa::parse(cell(0)).map_err(|e| format!("line {line}: {e}"))?;
        let gi_class = GiClass::parse(cell(8))
            .ok_or_else(|| format!("line {line}: gi_class '{}' is not a Gi* class", cell(8)))?;
        out.push(RankedVillage {
            kode_desa,
            desa: cell(1).to_string(),
            kecamatan: cell(2).to_string(),
            kabupaten: cell(3).to_string(),
            risk_rank: rank(4)?,
            risk_score: number(5)?,
            rank_p05: rank(6)?,
            rank_p95: rank(7)?,
            gi_class,
            desa_binaan: cell(9) == "true",
            recommended_rank: rank(10)?,
        });
    }
    if out.is_empty() {
        return Err("no villages".into());
    }
    Ok(out)
}
