//! CSV tables for report writers: villages ranked, kecamatan and kabupaten summaries,
//! recommendations, and the top villages with their indicator contributions. Suppressed
//! counts are written as `(s)` (docs/privacy.md).

use crate::privacy::{Published, Suppressed};
use crate::{Publication, PublishError, io_err};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;

/// How a suppressed count is written in tables.
pub const SUPPRESSED: &str = "(s)";

pub fn published(v: Published) -> String {
    v.map(|v| v.to_string()).unwrap_or_else(|| SUPPRESSED.to_string())
}

pub fn fmt(x: Option<f64>, d: usize) -> String {
    match x {
        Some(v) if v.is_finite() => {
            let mut s = String::with_capacity(16);
            crate::decimal::push_fixed(&mut s, v, d);
            if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') { s[1..].to_string() } else { s }
        }
        _ => String::new(),
    }
}

/// A CSV writer's error as a write error on `path`.
fn csv_err<E: std::fmt::Display>(path: &Path) -> impl Fn(E) -> PublishError + '_ {
    move |e| PublishError::Io { path: path.to_path_buf(), source: std::io::Error::other(e.to_string()) }
}

fn writer(dir: &Path, name: &str) -> Result<(csv::Writer<std::fs::File>, std::path::PathBuf), PublishError> {
    let path = dir.join(name);
    let w = csv::Writer::from_path(&path).map_err(csv_err(&path))?;
    Ok((w, path))
}

fn row(w: &mut csv::Writer<std::fs::File>, path: &Path, cells: &[String]) -> Result<(), PublishError> {
    w.write_record(cells).map_err(csv_err(path))
}

#[derive(Default)]
struct Area {
    villages: u32,
    population: f64,
    risk_sum: f64,
    risk_n: u32,
    risk_max: f64,
    high_risk: u32,
    desa_binaan: u32,
    hot_spots: u32,
    recommended: u32,
    departures: f64,
    gap_sum: f64,
}

pub fn write_all(p: &Publication, sup: &Suppressed, dir: &Path) -> Result<Vec<String>, PublishError> {
    let mut files = Vec::new();
    let mut order: Vec<usize> = (0..p.villages.len()).collect();
    order.sort_by_key(|&i| p.villages[i].risk_rank);

    let name = "villages_ranked.csv";
    let (mut w, path) = writer(dir, name)?;
    row(
        &mut w,
        &path,
        &[
            "risk_rank",
            "kode_desa",
            "desa",
            "kecamatan",
            "kabupaten",
            "population",
            "risk_score",
            "rank_p05",
            "rank_p95",
            "p_top_n",
            "exposure",
            "hazard",
            "departure_rate",
            "nonprocedural_share",
            "departure_trend",
            "victim_rate",
            "victim_spillover",
            "gi_z",
            "gi_p",
            "gi_class",
            "lisa_cluster",
            "lisa_p",
            "coverage",
            "coverage_gap",
            "desa_binaan",
            "recommended_rank",
            "departures",
            "cases",
            "victims",
            "missing_indicators",
        ]
        .map(String::from),
    )?;
    // Rows are formatted in parallel, in rank order, into one buffer per block.
    let blocks: Vec<Result<Vec<u8>, csv::Error>> = order
        .par_chunks(4096)
        .map(|block| {
            let mut out = csv::Writer::from_writer(Vec::new());
            for &i in block {
                let v = &p.villages[i];
                out.write_record([
                    v.risk_rank.to_string(),
                    v.kode_desa.clone(),
                    v.desa.clone(),
                    v.kecamatan.clone(),
                    v.kabupaten.clone(),
                    fmt(v.population, 0),
                    fmt(v.risk_score, 3),
                    v.rank_p05.to_string(),
                    v.rank_p95.to_string(),
                    fmt(Some(v.p_top_n), 3),
                    fmt(v.exposure, 3),
                    fmt(v.hazard, 3),
                    fmt(v.indicators[0], 2),
                    fmt(v.indicators[1], 3),
                    fmt(v.indicators[2], 3),
                    fmt(v.indicators[3], 2),
                    fmt(v.indicators[4], 2),
                    fmt(v.gi_z, 3),
                    fmt(v.gi_p, 4),
                    v.gi_class.to_string(),
                    v.lisa_cluster.to_string(),
                    fmt(v.lisa_p, 4),
                    fmt(Some(v.coverage), 3),
                    fmt(v.coverage_gap, 3),
                    v.desa_binaan.to_string(),
                    v.recommended_rank.map(|r| r.to_string()).unwrap_or_default(),
                    fmt(Some(v.departures), 0),
                    published(sup.cases.village[i]),
                    published(sup.victims.village[i]),
                    v.missing.join(","),
                ])?;
            }
            out.into_inner().map_err(|e| e.into_error().into())
        })
        .collect();
    {
        use std::io::Write as _;
        let mut file = w.into_inner().map_err(csv_err(&path))?;
        for block in blocks {
            file.write_all(&block.map_err(csv_err(&path))?).map_err(io_err(&path))?;
        }
        file.flush().map_err(io_err(&path))?;
    }
    files.push(name.to_string());

    // Area summaries.
    let mut kec: BTreeMap<(String, String), Area> = BTreeMap::new();
    let mut kab: BTreeMap<String, Area> = BTreeMap::new();
    for v in p.villages {
        for a in [kec.entry((v.kabupaten.clone(), v.kecamatan.clone())).or_default(), kab.entry(v.kabupaten.clone()).or_default()] {
            a.villages += 1;
            a.population += v.population.unwrap_or(0.0);
            if let Some(r) = v.risk_score {
                a.risk_sum += r;
                a.risk_n += 1;
                a.risk_max = a.risk_max.max(r);
                a.high_risk += u32::from(r >= 6.0);
            }
            a.desa_binaan += u32::from(v.desa_binaan);
            a.hot_spots += u32::from(v.gi_class.starts_with("hot"));
            a.recommended += u32::from(v.recommended_rank.is_some());
            a.departures += v.departures;
            a.gap_sum += v.coverage_gap.unwrap_or(0.0);
        }
    }
    let header = |first: &[&str]| -> Vec<String> {
        first
            .iter()
            .chain(
                [
                    "villages",
                    "population",
                    "risk_mean",
                    "risk_max",
                    "villages_risk_6_plus",
                    "desa_binaan",
                    "hot_spot_villages",
                    "recommended",
                    "departures",
                    "coverage_gap_sum",
                    "cases",
                    "victims",
                ]
                .iter(),
            )
            .map(|s| s.to_string())
            .collect()
    };
    let stats = |a: &Area| -> Vec<String> {
        vec![
            a.villages.to_string(),
            fmt(Some(a.population), 0),
            fmt((a.risk_n > 0).then(|| a.risk_sum / a.risk_n as f64), 3),
            fmt(Some(a.risk_max), 3),
            a.high_risk.to_string(),
            a.desa_binaan.to_string(),
            a.hot_spots.to_string(),
            a.recommended.to_string(),
            fmt(Some(a.departures), 0),
            fmt(Some(a.gap_sum), 2),
        ]
    };
    let name = "kecamatan_summary.csv";
    let (mut w, path) = writer(dir, name)?;
    row(&mut w, &path, &header(&["kabupaten", "kecamatan"]))?;
    for (key, a) in &kec {
        let mut cells = vec![key.0.clone(), key.1.clone()];
        cells.extend(stats(a));
        cells.push(published(sup.cases.kecamatan.get(key).copied().flatten()));
        cells.push(published(sup.victims.kecamatan.get(key).copied().flatten()));
        row(&mut w, &path, &cells)?;
    }
    w.flush().map_err(io_err(&path))?;
    files.push(name.to_string());
    let name = "kabupaten_summary.csv";
    let (mut w, path) = writer(dir, name)?;
    row(&mut w, &path, &header(&["kabupaten"]))?;
    for (key, a) in &kab {
        let mut cells = vec![key.clone()];
        cells.extend(stats(a));
        cells.push(published(sup.cases.kabupaten.get(key).copied().flatten()));
        cells.push(published(sup.victims.kabupaten.get(key).copied().flatten()));
        row(&mut w, &path, &cells)?;
    }
    w.flush().map_err(io_err(&path))?;
    files.push(name.to_string());

    let name = "recommendations.csv";
    let (mut w, path) = writer(dir, name)?;
    row(
        &mut w,
        &path,
        &[
            "recommended_rank",
            "kode_desa",
            "desa",
            "kecamatan",
            "kabupaten",
            "office",
            "distance_km",
            "risk_score",
            "risk_rank",
            "coverage",
            "coverage_gap",
            "gi_class",
            "lisa_cluster",
            "reason",
        ]
        .map(String::from),
    )?;
    let mut rec: Vec<usize> = (0..p.villages.len()).filter(|&i| p.villages[i].recommended_rank.is_some()).collect();
    rec.sort_by_key(|&i| p.villages[i].recommended_rank);
    for i in rec {
        let v = &p.villages[i];
        row(
            &mut w,
            &path,
            &[
                v.recommended_rank.unwrap().to_string(),
                v.kode_desa.clone(),
                v.desa.clone(),
                v.kecamatan.clone(),
                v.kabupaten.clone(),
                v.office.clone().unwrap_or_default(),
                fmt(v.distance_km, 1),
                fmt(v.risk_score, 3),
                v.risk_rank.to_string(),
                fmt(Some(v.coverage), 3),
                fmt(v.coverage_gap, 3),
                v.gi_class.to_string(),
                v.lisa_cluster.to_string(),
                v.reason.clone().unwrap_or_default(),
            ],
        )?;
    }
    w.flush().map_err(io_err(&path))?;
    files.push(name.to_string());

    let name = "top_contributions.csv";
    let (mut w, path) = writer(dir, name)?;
    let mut head = vec!["risk_rank".to_string(), "kode_desa".into(), "desa".into(), "kabupaten".into(), "risk_score".into()];
    head.extend(crate::i18n::INDICATOR_KEYS.iter().map(|k| format!("c_{k}")));
    row(&mut w, &path, &head)?;
    for &i in order.iter().take(p.job.output.top_n) {
        let v = &p.villages[i];
        let mut cells = vec![v.risk_rank.to_string(), v.kode_desa.clone(), v.desa.clone(), v.kabupaten.clone(), fmt(v.risk_score, 3)];
        cells.extend(v.contributions.iter().map(|c| fmt(*c, 3)));
        row(&mut w, &path, &cells)?;
    }
    w.flush().map_err(io_err(&path))?;
    files.push(name.to_string());
    Ok(files)
}
