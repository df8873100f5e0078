//! Everything a run hands to people: GeoJSON layers for QGIS with a `.qml` style beside each
//! and a QGIS project ([`layers`], [`qml`], [`project`]), charts as SVG and PNG
//! ([`charts`]), CSV tables ([`tables`]), the interactive offline map page ([`web_map`]), the Markdown/HTML report ([`report`]) and the
//! privacy rules that every published count passes through ([`privacy`]), and the
//! accountability files: rejects, warnings and matches ([`logs`]) and the run manifest
//! ([`manifest`]).
//!
//! Input is plain data ([`VillageResult`] rows and run facts); this crate computes no
//! statistics. Files are written into the folder it is given; the caller stages that folder
//! and moves it into place only when the whole run succeeded.

pub mod changes;
pub mod charts;
pub mod decimal;
pub mod digest;
pub mod gpkg;
pub mod i18n;
pub mod layers;
pub mod logs;
pub mod manifest;
pub mod modus;
pub mod output_file;
pub mod parquet;
pub mod privacy;
pub mod project;
pub mod qml;
pub mod report;
pub mod tables;
pub mod tabular;
pub mod web_map;
pub mod workbook;

use chrono::NaiveDate;
use geo_types::MultiPolygon;
use rawan_core::Job;
use rawan_core::settings::Lang;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot draw chart {path}: {source}")]
    Chart {
        path: PathBuf,
        source: charts::ChartError,
    },
}

pub(crate) fn io_err(path: &Path) -> impl Fn(std::io::Error) -> PublishError + '_ {
    move |source| PublishError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Every figure of one village, as the analytics produced them (counts not yet suppressed).
#[derive(Debug, Clone, Default)]
pub struct VillageResult {
    pub kode_desa: String,
    pub desa: String,
    pub kecamatan: String,
    pub kabupaten: String,
    pub provinsi: Option<String>,
    pub population: Option<f64>,
    /// Representative point (lon, lat) inside the village.
    pub point: (f64, f64),
    pub departures: f64,
    pub departures_nonprocedural: f64,
    pub cases: u32,
    pub victims: f64,
    pub outreach_events: u32,
    pub last_outreach: Option<NaiveDate>,
    pub months_since_outreach: Option<u32>,
    pub desa_binaan: bool,
    pub designated_on: Option<NaiveDate>,
    /// Raw indicator values, normalised scores and contributions, in the run's indicator
    /// order ([`Publication::indicators`]).
    pub indicators: Vec<Option<f64>>,
    pub scores: Vec<Option<f64>>,
    pub contributions: Vec<Option<f64>>,
    /// Dimension scores in `Dimension::ALL` order (exposure, hazard, vulnerability, lack of
    /// coping capacity); `None` where the village has none or the run has no such indicator.
    pub dimensions: [Option<f64>; 4],
    /// Share of the run's indicators the village has (INFORM's reliability idea).
    pub reliability: f64,
    /// Years between `as_of` and the oldest figures the village's score used (the built-in
    /// indicators are as of `as_of`; an analyst's table is as of its `year`).
    pub data_age_years: u32,
    pub risk_score: Option<f64>,
    pub risk_rank: u32,
    pub rank_p05: u32,
    pub rank_p95: u32,
    pub p_top_n: f64,
    /// Change of the risk score a year, over the run's earlier dates (`[history]`).
    pub risk_trend: Option<f64>,
    pub gi_z: Option<f64>,
    pub gi_p: Option<f64>,
    /// `hot99`, `hot95`, `hot90`, `cold90`, `cold95`, `cold99` or `ns`.
    pub gi_class: rawan_core::GiClass,
    pub lisa_i: Option<f64>,
    pub lisa_z: Option<f64>,
    pub lisa_p: Option<f64>,
    /// `HH`, `LH`, `LL`, `HL` or `ns`.
    pub lisa_cluster: rawan_core::LisaCluster,
    pub coverage: f64,
    pub coverage_gap: Option<f64>,
    pub recommended_rank: Option<u32>,
    pub office: Option<String>,
    pub distance_km: Option<f64>,
    pub reason: Option<String>,
    pub neighbours: usize,
    pub neighbour_source: &'static str,
    /// Keys of the indicators the village lacks.
    pub missing: Vec<String>,
    /// Extra statistics (Gi* and LISA on indicators named in `spatial.extra_variables`),
    /// appended to the village layer's properties in this order.
    pub extra: Vec<(String, serde_json::Value)>,
}

/// An office as published.
#[derive(Debug, Clone)]
pub struct OfficeResult {
    pub office: String,
    pub lon: f64,
    pub lat: f64,
    pub capacity: Option<u32>,
    pub radius_km: Option<f64>,
    pub recommended: u32,
}

/// A time series per kabupaten (for the trend chart).
#[derive(Debug, Clone)]
pub struct KabupatenSeries {
    pub kabupaten: String,
    pub departures: Vec<f64>,
    pub victims: Vec<f64>,
}

/// One input's rows as the report shows them: (table, file, read, used, rejected), `None`
/// where withheld (the case file's counts in a published run, docs/privacy.md).
pub type InputTally = (String, String, Option<u64>, Option<u64>, Option<u64>);

/// Facts about the run that the report states.
#[derive(Debug, Clone, Default)]
pub struct RunFacts {
    pub tool_version: String,
    /// What the analyst must know before trusting the results (e.g. no office could be used),
    /// already in the report's language; shown at the top of the report and on the terminal.
    pub notices: Vec<String>,
    pub tallies: Vec<InputTally>,
    pub name_matches: usize,
    pub islands_linked: usize,
    pub villages_without_neighbours: usize,
    pub mean_neighbours: f64,
    pub covered_gap: f64,
    pub total_gap: f64,
    /// Villages whose turn came but that no office could take: (kode, desa, risk), first ten.
    pub unassignable: Vec<(String, String, f64)>,
    pub unassignable_total: usize,
}

/// All a run publishes.
pub struct Publication<'a> {
    pub job: &'a Job,
    /// The run's indicators (built in, then the job's own), in the order of every
    /// per-indicator vector of [`VillageResult`].
    pub indicators: &'a rawan_core::indicator::IndicatorSet,
    /// The statistical audit of the index (`index_audit.csv`, the `index_audit` chart).
    pub audit: &'a rawan_core::index_audit::Audit,
    pub lang: Lang,
    /// Exact small counts kept (internal use only).
    pub restricted: bool,
    pub villages: &'a [VillageResult],
    pub geometries: &'a [MultiPolygon<f64>],
    /// Each village's geometry as the layers write it ([`layers::geometry_texts`]).
    pub geometry_json: &'a [String],
    pub offices: &'a [OfficeResult],
    pub months: &'a [NaiveDate],
    pub series: &'a [KabupatenSeries],
    /// The programme's effect (`programme_effect.csv`, the event-study chart).
    pub programme: &'a rawan_core::programme::ProgrammeEffect,
    /// The model at earlier dates (`risk_history.csv`, the `risk_history` chart).
    pub history: &'a rawan_core::history::RiskHistory,
    /// Cases by village, modus and period (`modus_trend.csv`, the `modus_trend` chart).
    pub modus: &'a rawan_core::modus::ModusCounts,
    pub facts: RunFacts,
}

/// What [`publish`] wrote.
pub struct Published {
    /// Every file written (relative names, sorted).
    pub files: Vec<String>,
    /// Digests taken while writing, for the files streamed out (the layers); the others are
    /// hashed from disk.
    pub digests: std::collections::BTreeMap<String, digest::FileDigest>,
    /// The suppression every published count went through (for the manifest).
    pub suppressed: privacy::Suppressed,
}

/// Writes every output into `dir`.
pub fn publish(
    p: &Publication,
    dir: &Path,
    progress: &mut dyn FnMut(&str),
) -> Result<Published, PublishError> {
    let sup = privacy::suppress(p.villages, p.job.privacy.min_count, p.restricted);
    progress("layers, tables, charts");
    // Every format is independent of the others: written side by side. The two longest
    // serial parts, the GeoPackage (one SQLite writer) and the workbook (one zip stream),
    // start first, one on each core; each core takes up the rest (charts, layers, the map
    // page) when its part is done.
    let (gpkg_files, (table_files, (chart_files, (layer_files, map_files)))) = rayon::join(
        || gpkg::write(p, &sup, dir),
        || {
            rayon::join(
                || write_tables(p, &sup, dir),
                || {
                    rayon::join(
                        || charts::write_all(p, &sup, dir),
                        || {
                            rayon::join(
                                || write_layers(p, &sup, dir),
                                || web_map::write(p, &sup, dir),
                            )
                        },
                    )
                },
            )
        },
    );
    let (layer_files, digests) = layer_files?;
    let mut files = gpkg_files?;
    files.extend(layer_files);
    files.extend(table_files?);
    files.extend(map_files?);
    files.extend(chart_files?);
    progress("report");
    files.extend(report::write(p, &sup, dir, &files)?);
    files.sort();
    Ok(Published {
        files,
        digests: digests.into_iter().collect(),
        suppressed: sup,
    })
}

/// The GeoJSON layers with their styles and the QGIS project.
fn write_layers(
    p: &Publication,
    sup: &privacy::Suppressed,
    dir: &Path,
) -> Result<(Vec<String>, layers::Streamed), PublishError> {
    let layers = layers::write_all(p, sup, dir)?;
    let mut files: Vec<String> = layers.iter().map(|(name, _)| name.clone()).collect();
    files.extend(qml::write_all(p, dir)?);
    files.extend(project::write(p, dir)?);
    Ok((files, layers))
}

/// The tables: defined once as typed columns, then written as CSV, Parquet and the workbook.
fn write_tables(
    p: &Publication,
    sup: &privacy::Suppressed,
    dir: &Path,
) -> Result<Vec<String>, PublishError> {
    let typed = tabular::all(p, sup);
    let mut monitoring = tabular::monitoring(p);
    monitoring.push(modus::table(p, sup));
    std::thread::scope(|scope| {
        // Parquet on a thread of its own, outside the pool: polars' writer waits for polars'
        // pool, and a pool worker waiting there takes up other work of this pool meanwhile
        // (the workbook) and returns only when that is done.
        let parquet = scope.spawn(|| {
            let mut files = parquet::write_all(&typed, dir)?;
            files.extend(parquet::write_all(&monitoring, dir)?);
            Ok::<_, PublishError>(files)
        });
        let (workbook, csv) = rayon::join(
            || workbook::write(p, &typed, dir),
            || -> Result<Vec<String>, PublishError> {
                let mut files = tables::write_all(&typed, dir)?;
                for t in &monitoring {
                    files.push(tables::write_table(t, dir)?);
                }
                Ok(files)
            },
        );
        let mut files = csv?;
        files.extend(workbook?);
        files.extend(parquet.join().map_err(|_| PublishError::Io {
            path: dir.to_path_buf(),
            source: std::io::Error::other("writing the Parquet tables failed"),
        })??);
        Ok(files)
    })
}

/// Writes `bytes` to `dir/name` and returns `name`.
pub(crate) fn write_file(dir: &Path, name: &str, bytes: &[u8]) -> Result<String, PublishError> {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io_err(parent))?;
    }
    let mut file = output_file::OutputFile::create(&path).map_err(io_err(&path))?;
    std::io::Write::write_all(&mut file, bytes).map_err(io_err(&path))?;
    file.finish().map_err(io_err(&path))?;
    Ok(name.to_string())
}
