//! The job file: one TOML file naming a job's inputs, its period and its settings.
//!
//! Everything but `[inputs]` and `as_of` has a documented default, so the smallest job is:
//!
//! ```
//! let job = rawan_core::Job::from_toml_str(r#"
//!     as_of = "2025-11-30"
//!     [inputs]
//!     villages = "villages.geojson"
//!     departures = "pmi_departures.csv"
//!     desa_binaan = "desa_binaan.csv"
//!     outreach = "outreach.csv"
//!     cases = "cases.csv"
//! "#).unwrap();
//! assert_eq!(job.window_months, 36);
//! assert_eq!(job.spatial.permutations, 999);
//! assert_eq!(job.privacy.min_count, 10);
//! ```
//!
//! Unknown keys are refused, so a typo in a setting is an error rather than a silent default.
//! `docs/job-file.md` lists every key.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("cannot read job file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("job file {path} is not valid: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("job file setting `{key}` {problem}")]
    Invalid { key: String, problem: String },
}

/// The last day of `d`'s month.
pub fn month_end(d: NaiveDate) -> NaiveDate {
    use chrono::Datelike;
    let first = d.with_day(1).expect("day 1 exists");
    first
        .checked_add_months(Months::new(1))
        .and_then(|next| next.pred_opt())
        .unwrap_or(NaiveDate::MAX)
}

/// `k` calendar months before `d`; from a month's last day, the last day of that month (12
/// months before 28 February 2025 is 29 February 2024, 1 month before 30 November is 31
/// October), so that a window ending on a month's last day holds whole months.
pub fn months_before(d: NaiveDate, k: u32) -> Option<NaiveDate> {
    let back = d.checked_sub_months(Months::new(k))?;
    Some(if d == month_end(d) {
        month_end(back)
    } else {
        back
    })
}

/// A whole job: inputs, period and every setting, with defaults filled in.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Job {
    /// The analysis date; nothing after it counts.
    pub as_of: NaiveDate,
    /// How far back events count (months before `as_of`).
    #[serde(default = "d_window")]
    pub window_months: u32,
    /// Seed for every random step (permutations, Monte Carlo); same seed, same outputs.
    #[serde(default = "d_seed")]
    pub seed: u64,
    /// The statistics are synthetic (the sample jobs): the report, every chart and the
    /// manifest say so, so that no one mistakes them for official figures.
    #[serde(default)]
    pub synthetic: bool,
    pub inputs: InputPaths,
    #[serde(default)]
    pub model: ModelSettings,
    #[serde(default)]
    pub coverage: CoverageSettings,
    #[serde(default)]
    pub spatial: SpatialSettings,
    #[serde(default)]
    pub uncertainty: UncertaintySettings,
    #[serde(default)]
    pub targeting: TargetingSettings,
    #[serde(default)]
    pub privacy: PrivacySettings,
    #[serde(default)]
    pub output: OutputSettings,
    #[serde(default)]
    pub history: HistorySettings,
    /// `[[indicators]]`: indicators the analyst brings (poverty, schooling, distance to
    /// services, the programme's own coping measures), each read from a table like any input.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indicators: Vec<IndicatorSpec>,
}

/// One `[[indicators]]` entry: a column of a table, by village, scored like the built-in
/// indicators (docs/job-file.md, docs/methodology.md).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorSpec {
    /// Property name in layers and tables; `c_<name>` is its contribution.
    pub name: String,
    /// The table, relative to the job file (CSV, semicolon CSV or .xlsx).
    pub file: PathBuf,
    /// The column holding the value.
    pub column: String,
    pub dimension: crate::indicator::Dimension,
    #[serde(default)]
    pub direction: crate::indicator::Direction,
    #[serde(default)]
    pub transform: crate::indicator::Transform,
    /// Weight within its dimension.
    #[serde(default = "d_one")]
    pub weight: f64,
    /// Label in charts and the report (default: the name), and its English form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_en: Option<String>,
    /// Its unit (shown after the label), and its English form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_en: Option<String>,
    /// The year the figures describe (their age enters each village's reliability).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// The sheet, for an .xlsx table (first sheet otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
}

fn d_one() -> f64 {
    1.0
}

fn d_window() -> u32 {
    36
}
fn d_seed() -> u64 {
    12345
}

/// The fixed tables whose rows name a village by code (`[inputs.codes]` may name these and
/// the job's `[[indicators]]`).
pub const CODED_TABLES: &[&str] = &[
    "population",
    "departures",
    "desa_binaan",
    "outreach",
    "cases",
];

/// Input files, relative to the job file, and per-file column mappings.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(from = "InputPathsFile", into = "InputPathsFile")]
pub struct InputPaths {
    pub villages: PathBuf,
    /// The layer of a GeoPackage village file (`villages = { file = "…", layer = "…" }`);
    /// its first feature layer otherwise.
    pub villages_layer: Option<String>,
    pub population: Option<PathBuf>,
    pub departures: PathBuf,
    pub desa_binaan: PathBuf,
    pub outreach: PathBuf,
    pub cases: PathBuf,
    pub offices: Option<PathBuf>,
    /// BPS's table of BPS village codes beside Kemendagri's, through which a table keyed by
    /// BPS codes is joined (see [`crate::kode_bps`]).
    pub bps_crosswalk: Option<PathBuf>,
    /// `[inputs.codes]`: TABLE = the numbering of its village codes, where the job says it
    /// (otherwise Kemendagri, and a table that looks BPS-coded is read through the crosswalk
    /// or refused).
    pub codes: BTreeMap<String, crate::CodeScheme>,
    /// `[inputs.columns.TABLE]`: canonical column name = name in the file.
    pub columns: BTreeMap<String, BTreeMap<String, String>>,
    /// `[inputs.sheets]`: TABLE = sheet name, for .xlsx inputs (first sheet otherwise).
    pub sheets: BTreeMap<String, String>,
}

/// `[inputs]` as the job file writes it.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct InputPathsFile {
    villages: VillagesEntry,
    population: Option<PathBuf>,
    departures: PathBuf,
    desa_binaan: PathBuf,
    outreach: PathBuf,
    cases: PathBuf,
    offices: Option<PathBuf>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    bps_crosswalk: Option<PathBuf>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    codes: BTreeMap<String, crate::CodeScheme>,
    #[serde(default)]
    columns: BTreeMap<String, BTreeMap<String, String>>,
    #[serde(default)]
    sheets: BTreeMap<String, String>,
}

/// `villages = "desa.geojson"`, or `villages = { file = "desa.gpkg", layer = "desa" }`.
#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum VillagesEntry {
    File(PathBuf),
    Layer(VillagesLayer),
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct VillagesLayer {
    file: PathBuf,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    layer: Option<String>,
}

impl From<InputPathsFile> for InputPaths {
    fn from(f: InputPathsFile) -> InputPaths {
        let (villages, villages_layer) = match f.villages {
            VillagesEntry::File(p) => (p, None),
            VillagesEntry::Layer(l) => (l.file, l.layer),
        };
        InputPaths {
            villages,
            villages_layer,
            population: f.population,
            departures: f.departures,
            desa_binaan: f.desa_binaan,
            outreach: f.outreach,
            cases: f.cases,
            offices: f.offices,
            bps_crosswalk: f.bps_crosswalk,
            codes: f.codes,
            columns: f.columns,
            sheets: f.sheets,
        }
    }
}

impl From<InputPaths> for InputPathsFile {
    fn from(p: InputPaths) -> InputPathsFile {
        InputPathsFile {
            villages: match p.villages_layer {
                None => VillagesEntry::File(p.villages),
                layer => VillagesEntry::Layer(VillagesLayer {
                    file: p.villages,
                    layer,
                }),
            },
            population: p.population,
            departures: p.departures,
            desa_binaan: p.desa_binaan,
            outreach: p.outreach,
            cases: p.cases,
            offices: p.offices,
            bps_crosswalk: p.bps_crosswalk,
            codes: p.codes,
            columns: p.columns,
            sheets: p.sheets,
        }
    }
}

/// How indicators become a 0–10 risk score (see docs/methodology.md).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ModelSettings {
    /// Across dimensions: `geometric` (INFORM's default) or `arithmetic`.
    pub aggregation: Aggregation,
    /// Empirical-Bayes smoothing of the victims rate: `local` (neighbourhood prior) or `global`.
    pub eb: EbKind,
    /// Half-life in months of a case's weight: a case this old counts half.
    pub case_half_life_months: f64,
    /// Indicator weights within their dimension.
    pub weights: IndicatorWeights,
    /// Dimension weights across dimensions.
    pub dimension_weights: DimensionWeights,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Aggregation {
    Geometric,
    Arithmetic,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EbKind {
    Local,
    Global,
}

/// `[model.weights]`: the built-in indicators' weights within their dimension, by key; an
/// indicator the job leaves out keeps its default (`Indicator::default_weight`), an unknown
/// key is refused.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorWeights(BTreeMap<String, f64>);

impl IndicatorWeights {
    /// The weight of the built-in indicator `key`.
    pub fn of(&self, key: &str) -> f64 {
        self.0.get(key).copied().unwrap_or_else(|| {
            crate::indicator::Indicator::by_key(key)
                .map(|i| i.default_weight)
                .unwrap_or(0.0)
        })
    }
}

impl<'de> Deserialize<'de> for IndicatorWeights {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let given = BTreeMap::<String, f64>::deserialize(d)?;
        let mut w = IndicatorWeights::default();
        for (key, value) in given {
            if crate::indicator::Indicator::by_key(&key).is_none() {
                let known: Vec<&str> = crate::indicator::INDICATORS.iter().map(|i| i.key).collect();
                return Err(serde::de::Error::custom(format!(
                    "unknown indicator `{key}` in [model.weights] (built-in: {}; an analyst's indicator takes its weight in its [[indicators]] entry)",
                    known.join(", ")
                )));
            }
            w.0.insert(key, value);
        }
        Ok(w)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DimensionWeights {
    pub exposure: f64,
    pub hazard: f64,
    /// Used when a job brings vulnerability indicators.
    pub vulnerability: f64,
    /// Lack of coping capacity; used when a job brings coping-capacity indicators.
    pub coping_capacity: f64,
}

impl DimensionWeights {
    /// The weight of a dimension.
    pub fn of(&self, d: crate::indicator::Dimension) -> f64 {
        use crate::indicator::Dimension;
        match d {
            Dimension::Exposure => self.exposure,
            Dimension::Hazard => self.hazard,
            Dimension::Vulnerability => self.vulnerability,
            Dimension::CopingCapacity => self.coping_capacity,
        }
    }
}

impl Default for ModelSettings {
    fn default() -> Self {
        ModelSettings {
            aggregation: Aggregation::Geometric,
            eb: EbKind::Local,
            case_half_life_months: 24.0,
            weights: IndicatorWeights::default(),
            dimension_weights: DimensionWeights::default(),
        }
    }
}

impl Default for IndicatorWeights {
    fn default() -> Self {
        IndicatorWeights(
            crate::indicator::INDICATORS
                .iter()
                .map(|i| (i.key.to_string(), i.default_weight))
                .collect(),
        )
    }
}

impl Default for DimensionWeights {
    fn default() -> Self {
        DimensionWeights {
            exposure: 0.5,
            hazard: 0.5,
            vulnerability: 0.5,
            coping_capacity: 0.5,
        }
    }
}

/// How existing desa binaan and outreach events cover a village (0–1).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CoverageSettings {
    /// Coverage a desa binaan designation gives at once.
    pub desa_binaan: f64,
    /// Half-life in months of a designation's coverage (officers move, attention fades);
    /// 0 = never fades.
    pub desa_binaan_half_life_months: f64,
    /// Coverage one outreach event gives when it is new.
    pub per_event: f64,
    /// Half-life in months of an event's coverage.
    pub event_half_life_months: f64,
}

impl Default for CoverageSettings {
    fn default() -> Self {
        CoverageSettings {
            desa_binaan: 0.6,
            desa_binaan_half_life_months: 0.0,
            per_event: 0.15,
            event_half_life_months: 12.0,
        }
    }
}

/// Spatial weights and local statistics.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SpatialSettings {
    /// `queen` (a shared point is enough) or `rook` (a shared edge is needed).
    pub contiguity: Contiguity,
    /// Boundaries closer than this (metres) count as touching: it bridges the slivers and
    /// gaps that simplified boundary files have.
    pub snap_tolerance_m: f64,
    /// Villages with no contiguous neighbour (islands) get this many nearest villages (by
    /// centroid) as neighbours; 0 leaves them without neighbours.
    pub island_neighbours: usize,
    /// Conditional permutations for pseudo p-values.
    pub permutations: usize,
    /// Significance level for hotspots and LISA clusters.
    pub alpha: f64,
    /// Apply the Benjamini–Hochberg false-discovery-rate correction before classifying.
    pub fdr: bool,
    /// Extra indicators to compute Gi* and Local Moran on (besides the risk score).
    pub extra_variables: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Contiguity {
    Queen,
    Rook,
}

impl Default for SpatialSettings {
    fn default() -> Self {
        SpatialSettings {
            contiguity: Contiguity::Queen,
            snap_tolerance_m: 25.0,
            island_neighbours: 2,
            permutations: 999,
            alpha: 0.05,
            fdr: false,
            extra_variables: Vec::new(),
        }
    }
}

/// Risk over time: the model at earlier analysis dates inside the window.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HistorySettings {
    /// Months between the dates (as_of, as_of − every, …, while the earlier window still
    /// holds `min_months`); 0 = no history.
    pub every_months: u32,
    /// The shortest window an earlier date is scored on.
    pub min_months: u32,
}

impl Default for HistorySettings {
    fn default() -> Self {
        HistorySettings {
            every_months: 12,
            min_months: 12,
        }
    }
}

impl HistorySettings {
    /// The earlier windows' lengths in months, most recent first, for a window of `window`
    /// months: `window − every`, `window − 2·every`, … down to `min_months`.
    ///
    /// ```
    /// let h = rawan_core::settings::HistorySettings::default();
    /// assert_eq!(h.earlier_windows(36), vec![24, 12]);
    /// assert_eq!(h.earlier_windows(12), Vec::<u32>::new());
    /// ```
    pub fn earlier_windows(&self, window: u32) -> Vec<u32> {
        if self.every_months == 0 {
            return Vec::new();
        }
        (1..)
            .map(|k| window.saturating_sub(k * self.every_months))
            .take_while(|&w| w >= self.min_months.max(1))
            .collect()
    }
}

/// Monte Carlo over weights and normalisation choices.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct UncertaintySettings {
    pub runs: usize,
    /// Each weight is multiplied by a factor drawn uniformly from [1 − spread, 1 + spread].
    pub weight_spread: f64,
    /// "In the top N" for the probability reported per village.
    pub top_n: usize,
}

impl Default for UncertaintySettings {
    fn default() -> Self {
        UncertaintySettings {
            runs: 200,
            weight_spread: 0.5,
            top_n: 50,
        }
    }
}

/// How many villages to recommend and how.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TargetingSettings {
    /// New desa binaan in this cycle, all offices together.
    pub budget: usize,
    /// Share of a neighbour's gap a new desa binaan also covers; 0 = rank by own gap only,
    /// above 0 = greedy maximum coverage over neighbourhoods.
    pub spillover: f64,
    /// Months without outreach after which the reason line says outreach is overdue.
    pub outreach_overdue_months: u32,
}

impl Default for TargetingSettings {
    fn default() -> Self {
        TargetingSettings {
            budget: 50,
            spillover: 0.0,
            outreach_overdue_months: 12,
        }
    }
}

/// Protection of victims in published outputs (docs/privacy.md).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PrivacySettings {
    /// Case-derived counts from 1 to `min_count − 1` are suppressed in published outputs.
    pub min_count: u32,
}

impl Default for PrivacySettings {
    fn default() -> Self {
        PrivacySettings { min_count: 10 }
    }
}

impl PrivacySettings {
    /// The lowest `min_count` a published run accepts. Below it the protection interval of a
    /// small count (1 … k − 1) is too narrow to protect anyone: at k = 3 a hidden value is 1
    /// or 2. Only `--restricted` runs, which publish nothing, may go lower.
    pub const MINIMUM: u32 = 5;

    /// Refuses a threshold a published run must not use.
    pub fn check_publishable(&self) -> Result<(), SettingsError> {
        if self.min_count < Self::MINIMUM {
            return Err(SettingsError::Invalid {
                key: "privacy.min_count".into(),
                problem: format!(
                    "is {}, below the minimum of {} for outputs that may be shared (docs/privacy.md); raise it, or run with --restricted for internal use only",
                    self.min_count,
                    Self::MINIMUM
                ),
            });
        }
        Ok(())
    }
}

/// Language of labels, charts and the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Bahasa Indonesia (default).
    #[default]
    Id,
    En,
}

impl Lang {
    /// The language's ISO 639-1 code: `id` or `en`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Id => "id",
            Lang::En => "en",
        }
    }
}

/// Output formatting.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OutputSettings {
    /// `id` (Bahasa Indonesia) or `en`; `--lang` on the command line overrides it.
    pub lang: Lang,
    /// Decimal places of lon/lat in GeoJSON layers (6 ≈ 0.11 m at the equator).
    pub coordinate_precision: u32,
    /// Villages listed in the report's and charts' top lists.
    pub top_n: usize,
}

impl Default for OutputSettings {
    fn default() -> Self {
        OutputSettings {
            lang: Lang::Id,
            coordinate_precision: 6,
            top_n: 20,
        }
    }
}

/// Largest job file read: a job is a page of settings, so anything larger is not one.
pub const MAX_JOB_FILE_BYTES: u64 = 1 << 20;

/// The text of a job file, refusing what is not a regular file of job-file size (a device
/// such as /dev/zero or a pipe would otherwise be read without end).
pub fn read_job_text(path: &Path) -> Result<String, SettingsError> {
    let read_err = |source| SettingsError::Read {
        path: path.to_path_buf(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(read_err)?;
    let other = |m: &str| read_err(std::io::Error::other(m.to_string()));
    if meta.is_dir() {
        return Err(other("is a folder; give the job file (a .toml file)"));
    }
    if !meta.is_file() {
        return Err(other(
            "is not a regular file (a device, pipe or socket); give the job file",
        ));
    }
    if meta.len() > MAX_JOB_FILE_BYTES {
        return Err(other("is larger than 1 MB: not a job file"));
    }
    let mut text = String::new();
    use std::io::Read as _;
    std::fs::File::open(path)
        .map_err(read_err)?
        .take(MAX_JOB_FILE_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(read_err)?;
    Ok(text)
}

impl Job {
    /// Loads a job file; input paths become relative to the job file's folder.
    pub fn load(path: &Path) -> Result<Job, SettingsError> {
        Ok(Job::read_as_written(path)?.resolved(path))
    }

    /// Reads and validates a job file, input paths left as the file writes them (what the
    /// manifest records).
    pub fn read_as_written(path: &Path) -> Result<Job, SettingsError> {
        let text = read_job_text(path)?;
        Job::from_toml_str(&text).map_err(|e| match e {
            SettingsError::Parse { message, .. } => SettingsError::Parse {
                path: path.to_path_buf(),
                message,
            },
            other => other,
        })
    }

    /// The job with its input paths made relative to the folder of the job file at
    /// `job_path` (absolute paths stay as they are).
    pub fn resolved(mut self, job_path: &Path) -> Job {
        let base = job_path.parent().unwrap_or(Path::new("."));
        self.inputs.resolve_against(base);
        for spec in &mut self.indicators {
            if spec.file.is_relative() {
                spec.file = base.join(&spec.file);
            }
        }
        self
    }

    /// Parses and validates a job from TOML text (paths left as written).
    pub fn from_toml_str(text: &str) -> Result<Job, SettingsError> {
        let job: Job = toml::from_str(text).map_err(|e| SettingsError::Parse {
            path: PathBuf::new(),
            message: e.to_string(),
        })?;
        job.validate()?;
        Ok(job)
    }

    /// First day counted: the window is (`as_of` − `window_months`, `as_of`], months counted
    /// back as [`months_before`] does (from a month's last day, whole months).
    ///
    /// ```
    /// let job = |as_of: &str, w: u32| rawan_core::Job::from_toml_str(&format!(
    ///     "as_of = \"{as_of}\"\nwindow_months = {w}\n[inputs]\nvillages = \"v\"\ndepartures = \"d\"\ndesa_binaan = \"b\"\noutreach = \"o\"\ncases = \"c\"\n")).unwrap();
    /// assert_eq!(job("2025-11-30", 36).window_start().to_string(), "2022-12-01");
    /// // 13 months before 30 November is 31 October: October is not in the window.
    /// assert_eq!(job("2025-11-30", 13).window_start().to_string(), "2024-11-01");
    /// assert_eq!(job("2025-11-15", 36).window_start().to_string(), "2022-11-16");
    /// ```
    pub fn window_start(&self) -> NaiveDate {
        months_before(self.as_of, self.window_months)
            .and_then(|d| d.succ_opt())
            .unwrap_or(NaiveDate::MIN)
    }

    /// Whether an event on `date` counts.
    pub fn in_window(&self, date: NaiveDate) -> bool {
        date >= self.window_start() && date <= self.as_of
    }

    /// Months from `date` to `as_of` (fractional, 30.4375-day months).
    pub fn age_months(&self, date: NaiveDate) -> f64 {
        (self.as_of - date).num_days() as f64 / 30.4375
    }

    // `!(x > 0.0)` rather than `x <= 0.0`: a NaN must fail these checks too.
    #[allow(clippy::neg_cmp_op_on_partial_ord)]
    fn validate(&self) -> Result<(), SettingsError> {
        let bad = |key: &str, problem: &str| {
            Err(SettingsError::Invalid {
                key: key.into(),
                problem: problem.into(),
            })
        };
        if !(1..=240).contains(&self.window_months) {
            return bad("window_months", "must be between 1 and 240");
        }
        let w = &self.model.weights;
        let builtin = crate::indicator::INDICATORS
            .iter()
            .map(|i| (format!("model.weights.{}", i.key), w.of(i.key)));
        let dimensions: [(String, f64); 4] = [
            (
                String::from("model.dimension_weights.exposure"),
                self.model.dimension_weights.exposure,
            ),
            (
                String::from("model.dimension_weights.hazard"),
                self.model.dimension_weights.hazard,
            ),
            (
                String::from("model.dimension_weights.vulnerability"),
                self.model.dimension_weights.vulnerability,
            ),
            (
                String::from("model.dimension_weights.coping_capacity"),
                self.model.dimension_weights.coping_capacity,
            ),
        ];
        for (k, v) in builtin.chain(dimensions) {
            if !(v.is_finite() && v >= 0.0) {
                return bad(&k, "must be a number ≥ 0");
            }
        }
        for d in [
            crate::indicator::Dimension::Exposure,
            crate::indicator::Dimension::Hazard,
        ] {
            let total: f64 = crate::indicator::INDICATORS
                .iter()
                .filter(|i| i.dimension == d)
                .map(|i| w.of(i.key))
                .sum();
            if total <= 0.0 {
                return bad(
                    "model.weights",
                    "needs a positive weight in each dimension (exposure and hazard)",
                );
            }
        }
        if self.model.dimension_weights.exposure + self.model.dimension_weights.hazard <= 0.0 {
            return bad(
                "model.dimension_weights",
                "needs at least one positive weight",
            );
        }
        if !(self.model.case_half_life_months > 0.0) {
            return bad("model.case_half_life_months", "must be > 0");
        }
        let c = &self.coverage;
        if !(0.0..=1.0).contains(&c.desa_binaan) || !(0.0..=1.0).contains(&c.per_event) {
            return bad(
                "coverage",
                "desa_binaan and per_event must be between 0 and 1",
            );
        }
        if !(c.event_half_life_months > 0.0) || !(c.desa_binaan_half_life_months >= 0.0) {
            return bad(
                "coverage",
                "half-lives must be > 0 (desa_binaan_half_life_months may be 0 = never fades)",
            );
        }
        if !(self.spatial.snap_tolerance_m >= 0.0 && self.spatial.snap_tolerance_m <= 5000.0) {
            return bad(
                "spatial.snap_tolerance_m",
                "must be between 0 and 5000 metres",
            );
        }
        if self.spatial.permutations > 99_999 {
            return bad("spatial.permutations", "must be at most 99999");
        }
        if !(self.spatial.alpha > 0.0 && self.spatial.alpha < 1.0) {
            return bad("spatial.alpha", "must be between 0 and 1");
        }
        if !(0.0..=1.0).contains(&self.targeting.spillover) {
            return bad("targeting.spillover", "must be between 0 and 1");
        }
        if !(0.0..1.0).contains(&self.uncertainty.weight_spread) {
            return bad("uncertainty.weight_spread", "must be in [0, 1)");
        }
        if !(4..=15).contains(&self.output.coordinate_precision) {
            return bad(
                "output.coordinate_precision",
                "must be between 4 and 15 decimals (4 decimals ≈ 11 m; fewer collapse village boundaries)",
            );
        }
        if self.uncertainty.runs < 10 {
            return bad(
                "uncertainty.runs",
                "must be at least 10 (rank intervals need repeated runs; the default is 200)",
            );
        }
        if self.history.every_months > 120 || !(1..=240).contains(&self.history.min_months) {
            return bad(
                "history",
                "every_months must be 0 (no history) to 120, and min_months 1 to 240",
            );
        }
        if self.privacy.min_count < 1 {
            return bad("privacy.min_count", "must be at least 1");
        }
        let mut names = std::collections::BTreeSet::new();
        for (k, spec) in self.indicators.iter().enumerate() {
            let key = format!("indicators[{}] ({})", k + 1, spec.name);
            let well_formed = spec.name.starts_with(|c: char| c.is_ascii_lowercase())
                && spec
                    .name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if !well_formed {
                return bad(
                    &key,
                    "name must be lower-case letters, digits and _ (it becomes a column name), starting with a letter",
                );
            }
            if crate::indicator::is_reserved(&spec.name) {
                return bad(
                    &key,
                    "name is already a property of the village layer; choose another",
                );
            }
            if !names.insert(spec.name.as_str()) {
                return bad(&key, "name is used by an earlier [[indicators]] entry");
            }
            if !(spec.weight.is_finite() && spec.weight >= 0.0) {
                return bad(&key, "weight must be a number ≥ 0");
            }
            if spec.column.trim().is_empty() {
                return bad(&key, "column must name the column holding the values");
            }
        }
        for (table, scheme) in &self.inputs.codes {
            let key = format!("inputs.codes.{table}");
            let coded = CODED_TABLES.contains(&table.as_str())
                || self.indicators.iter().any(|i| &i.name == table);
            if !coded {
                return bad(
                    &key,
                    &format!(
                        "not a table keyed by village code (one of {}, or an [[indicators]] name)",
                        CODED_TABLES.join(", ")
                    ),
                );
            }
            if *scheme == crate::CodeScheme::Bps && self.inputs.bps_crosswalk.is_none() {
                return bad(
                    &key,
                    "BPS codes are joined through a crosswalk: name it under [inputs] as bps_crosswalk = \"…\" (BPS publishes one with its master village file)",
                );
            }
        }
        Ok(())
    }
}

impl InputPaths {
    fn resolve_against(&mut self, base: &Path) {
        let fix = |p: &mut PathBuf| {
            if p.is_relative() {
                *p = base.join(&*p);
            }
        };
        fix(&mut self.villages);
        fix(&mut self.departures);
        fix(&mut self.desa_binaan);
        fix(&mut self.outreach);
        fix(&mut self.cases);
        if let Some(p) = self.population.as_mut() {
            fix(p);
        }
        if let Some(p) = self.offices.as_mut() {
            fix(p);
        }
        if let Some(p) = self.bps_crosswalk.as_mut() {
            fix(p);
        }
    }

    /// The numbering the job declares for `table`'s village codes, if it declares one.
    pub fn code_scheme(&self, table: &str) -> Option<crate::CodeScheme> {
        self.codes.get(table).copied()
    }

    /// Column mapping for one table (canonical name → name in the file).
    pub fn columns_for(&self, table: &str) -> BTreeMap<String, String> {
        self.columns.get(table).cloned().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: &str = "as_of = \"2025-11-30\"\n[inputs]\nvillages = \"v.geojson\"\ndepartures = \"d.csv\"\ndesa_binaan = \"b.csv\"\noutreach = \"o.csv\"\ncases = \"c.csv\"\n";

    #[test]
    fn built_in_weights_default_per_indicator_and_refuse_unknown_keys() {
        let job =
            Job::from_toml_str(&format!("{MIN}[model.weights]\nvictim_rate = 0.9\n")).unwrap();
        assert_eq!(job.model.weights.of("victim_rate"), 0.9);
        assert_eq!(job.model.weights.of("departure_rate"), 0.5, "the default");
        let e = Job::from_toml_str(&format!("{MIN}[model.weights]\npoverty_rate = 1.0\n"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("poverty_rate") && e.contains("[[indicators]]"),
            "{e}"
        );
        let e = Job::from_toml_str(&format!(
            "{MIN}[model.weights]\nvictim_rate = 0.0\nvictim_spillover = 0.0\n"
        ))
        .unwrap_err()
        .to_string();
        assert!(e.contains("each dimension"), "{e}");
    }

    #[test]
    fn window_is_the_months_before_as_of() {
        let job = Job::from_toml_str(MIN).unwrap();
        assert_eq!(
            job.window_start(),
            NaiveDate::from_ymd_opt(2022, 12, 1).unwrap()
        );
        assert!(job.in_window(NaiveDate::from_ymd_opt(2025, 11, 30).unwrap()));
        assert!(!job.in_window(NaiveDate::from_ymd_opt(2025, 12, 1).unwrap()));
        assert!(!job.in_window(NaiveDate::from_ymd_opt(2022, 11, 30).unwrap()));
    }

    #[test]
    fn typos_are_refused_not_ignored() {
        let err = Job::from_toml_str(&format!("{MIN}[spatial]\npermutation = 99\n")).unwrap_err();
        assert!(err.to_string().contains("permutation"), "{err}");
    }

    #[test]
    fn out_of_range_settings_name_the_key() {
        let err = Job::from_toml_str(&format!("{MIN}[targeting]\nspillover = 2.0\n")).unwrap_err();
        assert!(err.to_string().contains("targeting.spillover"), "{err}");
    }
}
