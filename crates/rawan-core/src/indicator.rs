//! The risk indicators: their names, the dimension of risk each measures, how each is
//! transformed and oriented, its unit, decimals, labels and reason phrase. The five built-in
//! indicators ([`INDICATORS`]) and the ones a job declares (`[[indicators]]`) become one
//! [`IndicatorSet`], the one list every crate takes them from; the built-in formulas are in
//! `rawan_model::indicators`.

use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// Which part of risk an indicator measures (INFORM's dimensions, with its hazard & exposure
/// split in two).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// How many people leave, and how (the pool traffickers recruit from).
    Exposure,
    /// Trafficking and smuggling that has already happened here and nearby.
    Hazard,
    /// What makes people easier to recruit: poverty, lack of work or schooling.
    Vulnerability,
    /// Lack of coping capacity: what is missing to protect them (services far away, no
    /// programme), oriented so that higher is riskier.
    CopingCapacity,
}

impl Dimension {
    pub const ALL: [Dimension; 4] = [
        Dimension::Exposure,
        Dimension::Hazard,
        Dimension::Vulnerability,
        Dimension::CopingCapacity,
    ];

    /// The property and column name of the dimension's score.
    pub fn key(self) -> &'static str {
        match self {
            Dimension::Exposure => "exposure",
            Dimension::Hazard => "hazard",
            Dimension::Vulnerability => "vulnerability",
            Dimension::CopingCapacity => "coping_capacity",
        }
    }

    /// Its position in [`Dimension::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// Its label in the given language.
    pub fn label(self, lang: crate::settings::Lang) -> &'static str {
        crate::i18n::t(
            lang,
            match self {
                Dimension::Exposure => "dim_exposure",
                Dimension::Hazard => "dim_hazard",
                Dimension::Vulnerability => "dim_vulnerability",
                Dimension::CopingCapacity => "dim_coping_capacity",
            },
        )
    }
}

/// How a raw value is transformed before normalisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Transform {
    #[default]
    None,
    /// ln(1 + x): tames the long right tail of rates.
    Log1p,
}

/// Which way an indicator points: a high value means more risk, or less (a school
/// enrolment rate, a share of villages with a health post).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    #[default]
    HigherIsRiskier,
    /// Scored as 10 minus its normalised value.
    LowerIsRiskier,
}

/// An indicator's definition: everything every crate needs to say about it.
#[derive(Debug, Clone, Copy)]
pub struct Indicator {
    /// The property and column name (fixed: layers and tables use it).
    pub key: &'static str,
    /// The name of its contribution to the score: `c_<key>`.
    pub contribution_key: &'static str,
    pub dimension: Dimension,
    pub transform: Transform,
    /// Its weight within its dimension unless `[model.weights]` says otherwise.
    pub default_weight: f64,
    /// Its unit in Indonesian and in English.
    pub unit_id: &'static str,
    pub unit_en: &'static str,
    /// Decimals the layers and tables round it to.
    pub decimals: usize,
    pub label_id: &'static str,
    pub label_en: &'static str,
    /// How a recommendation's reason names a high value of it.
    pub reason_id: &'static str,
    pub reason_en: &'static str,
}

impl Indicator {
    /// The indicator with this key.
    pub fn by_key(key: &str) -> Option<&'static Indicator> {
        INDICATORS.iter().find(|i| i.key == key)
    }

    /// Its label in the given language.
    pub fn label(&self, lang: crate::settings::Lang) -> &'static str {
        match lang {
            crate::settings::Lang::Id => self.label_id,
            crate::settings::Lang::En => self.label_en,
        }
    }

    /// How a recommendation's reason names a high value of it, in the given language.
    pub fn reason(&self, lang: crate::settings::Lang) -> &'static str {
        match lang {
            crate::settings::Lang::Id => self.reason_id,
            crate::settings::Lang::En => self.reason_en,
        }
    }
}

/// Every indicator, in a fixed order (the columns of [`IndicatorValues`]).
pub const INDICATORS: [Indicator; 5] = [
    Indicator {
        key: "departure_rate",
        default_weight: 0.5,
        contribution_key: "c_departure_rate",
        decimals: 2,
        reason_id: "keberangkatan PMI tinggi",
        reason_en: "many migrant-worker departures",
        dimension: Dimension::Exposure,
        transform: Transform::Log1p,
        unit_id: "per 1.000 penduduk per tahun",
        unit_en: "per 1,000 residents per year",
        label_id: "Keberangkatan PMI",
        label_en: "Migrant-worker departures",
    },
    Indicator {
        key: "nonprocedural_share",
        default_weight: 0.3,
        contribution_key: "c_nonprocedural_share",
        decimals: 3,
        reason_id: "banyak keberangkatan nonprosedural",
        reason_en: "high non-procedural share",
        dimension: Dimension::Exposure,
        transform: Transform::None,
        unit_id: "proporsi 0–1",
        unit_en: "share 0–1",
        label_id: "Porsi nonprosedural",
        label_en: "Non-procedural share",
    },
    Indicator {
        key: "departure_trend",
        default_weight: 0.2,
        contribution_key: "c_departure_trend",
        decimals: 3,
        reason_id: "keberangkatan meningkat",
        reason_en: "departures rising",
        dimension: Dimension::Exposure,
        transform: Transform::None,
        unit_id: "ln rasio, 12 bulan terakhir terhadap sebelumnya",
        unit_en: "ln ratio, last 12 months vs earlier",
        label_id: "Tren keberangkatan",
        label_en: "Departure trend",
    },
    Indicator {
        key: "victim_rate",
        default_weight: 0.7,
        contribution_key: "c_victim_rate",
        decimals: 2,
        reason_id: "tingkat korban tinggi",
        reason_en: "high victim rate",
        dimension: Dimension::Hazard,
        transform: Transform::Log1p,
        unit_id: "korban per 10.000 penduduk (dihaluskan EB, berbobot kebaruan)",
        unit_en: "victims per 10,000 residents (EB-smoothed, recency-weighted)",
        label_id: "Tingkat korban",
        label_en: "Victim rate",
    },
    Indicator {
        key: "victim_spillover",
        default_weight: 0.3,
        contribution_key: "c_victim_spillover",
        decimals: 2,
        reason_id: "korban tinggi di desa tetangga",
        reason_en: "high victim rate next door",
        dimension: Dimension::Hazard,
        transform: Transform::Log1p,
        unit_id: "rata-rata laju korban desa tetangga per 10.000",
        unit_en: "neighbours' mean victim rate per 10,000",
        label_id: "Limpahan tetangga",
        label_en: "Neighbour spillover",
    },
];

/// Where an indicator's values come from.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// Computed by rawan from the inputs (`rawan_model::indicators`).
    BuiltIn,
    /// A column of a table the job names.
    File {
        file: PathBuf,
        column: String,
        sheet: Option<String>,
        /// The year the figures describe.
        year: Option<i32>,
    },
}

/// One indicator of a run, built in or brought by the job.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorDef {
    pub key: String,
    /// `c_<key>`.
    pub contribution_key: String,
    pub dimension: Dimension,
    pub transform: Transform,
    pub direction: Direction,
    /// Weight within its dimension.
    pub weight: f64,
    /// Its unit in Indonesian and in English (an analyst's `unit_en` defaults to `unit`).
    pub unit_id: String,
    pub unit_en: String,
    pub decimals: usize,
    pub label_id: String,
    pub label_en: String,
    pub reason_id: String,
    pub reason_en: String,
    pub source: Source,
}

impl IndicatorDef {
    /// Its label in the given language.
    pub fn label(&self, lang: crate::settings::Lang) -> &str {
        match lang {
            crate::settings::Lang::Id => &self.label_id,
            crate::settings::Lang::En => &self.label_en,
        }
    }

    /// Its unit in the given language (empty when unknown).
    pub fn unit(&self, lang: crate::settings::Lang) -> &str {
        match lang {
            crate::settings::Lang::Id => &self.unit_id,
            crate::settings::Lang::En => &self.unit_en,
        }
    }

    /// How a recommendation's reason names a high value of it.
    pub fn reason(&self, lang: crate::settings::Lang) -> &str {
        match lang {
            crate::settings::Lang::Id => &self.reason_id,
            crate::settings::Lang::En => &self.reason_en,
        }
    }
}

/// Every indicator of a run, in a fixed order: the built-in five, then the job's
/// `[[indicators]]` in the order the job file lists them.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorSet {
    pub defs: Vec<IndicatorDef>,
}

/// A label as it reads inside a reason ("high poverty rate", "akses sinyal rendah"): its
/// first letter lowered, unless the first word is an acronym ("PMI", "BPS").
///
/// ```
/// use rawan_core::indicator::mid_sentence;
/// assert_eq!(mid_sentence("Poverty rate"), "poverty rate");
/// assert_eq!(mid_sentence("PMI departures"), "PMI departures");
/// assert_eq!(mid_sentence("poverty_rate"), "poverty_rate");
/// ```
pub fn mid_sentence(label: &str) -> String {
    let mut chars = label.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && !second.is_uppercase() => first
            .to_lowercase()
            .chain(label[first.len_utf8()..].chars())
            .collect(),
        _ => label.to_string(),
    }
}

impl IndicatorSet {
    /// The built-in indicators with the job's weights, then the job's own.
    ///
    /// ```
    /// let job = rawan_core::Job::from_toml_str(r#"
    /// as_of = "2025-11-30"
    /// [inputs]
    /// villages = "v.geojson"
    /// departures = "d.csv"
    /// desa_binaan = "b.csv"
    /// outreach = "o.csv"
    /// cases = "c.csv"
    /// [[indicators]]
    /// name = "poverty_rate"
    /// file = "kemiskinan.csv"
    /// column = "persen_miskin"
    /// dimension = "vulnerability"
    /// unit = "% penduduk"
    /// [[indicators]]
    /// name = "health_facility_km"
    /// file = "jarak.csv"
    /// column = "km"
    /// dimension = "coping_capacity"
    /// unit = "km"
    /// "#).unwrap();
    /// use rawan_core::settings::Lang;
    /// let set = rawan_core::indicator::IndicatorSet::from_job(&job);
    /// assert_eq!(set.defs.len(), 7);
    /// assert_eq!(set.defs[5].contribution_key, "c_poverty_rate");
    /// assert_eq!(set.defs[0].weight, 0.5); // departure_rate's default
    /// // Units by language: the built-in ones in both; an analyst's `unit_en` defaults to `unit`.
    /// assert_eq!(set.defs[0].unit(Lang::Id), "per 1.000 penduduk per tahun");
    /// assert_eq!(set.defs[0].unit(Lang::En), "per 1,000 residents per year");
    /// assert_eq!(set.defs[5].unit(Lang::En), "% penduduk");
    /// assert_eq!(set.defs[6].unit(Lang::Id), "km");
    /// ```
    pub fn from_job(job: &crate::Job) -> IndicatorSet {
        let mut defs: Vec<IndicatorDef> = INDICATORS
            .iter()
            .map(|ind| (ind, job.model.weights.of(ind.key)))
            .map(|(ind, weight)| IndicatorDef {
                key: ind.key.to_string(),
                contribution_key: ind.contribution_key.to_string(),
                dimension: ind.dimension,
                transform: ind.transform,
                direction: Direction::HigherIsRiskier,
                weight,
                unit_id: ind.unit_id.to_string(),
                unit_en: ind.unit_en.to_string(),
                decimals: ind.decimals,
                label_id: ind.label_id.to_string(),
                label_en: ind.label_en.to_string(),
                reason_id: ind.reason_id.to_string(),
                reason_en: ind.reason_en.to_string(),
                source: Source::BuiltIn,
            })
            .collect();
        for spec in &job.indicators {
            let label_id = spec.label.clone().unwrap_or_else(|| spec.name.clone());
            let label_en = spec.label_en.clone().unwrap_or_else(|| label_id.clone());
            let (id, en) = (mid_sentence(&label_id), mid_sentence(&label_en));
            let (reason_id, reason_en) = match spec.direction {
                Direction::HigherIsRiskier => (format!("{id} tinggi"), format!("high {en}")),
                Direction::LowerIsRiskier => (format!("{id} rendah"), format!("low {en}")),
            };
            defs.push(IndicatorDef {
                key: spec.name.clone(),
                contribution_key: format!("c_{}", spec.name),
                dimension: spec.dimension,
                transform: spec.transform,
                direction: spec.direction,
                weight: spec.weight,
                unit_id: spec.unit.clone().unwrap_or_default(),
                unit_en: spec
                    .unit_en
                    .clone()
                    .or_else(|| spec.unit.clone())
                    .unwrap_or_default(),
                decimals: 3,
                label_id,
                label_en,
                reason_id,
                reason_en,
                source: Source::File {
                    file: spec.file.clone(),
                    column: spec.column.clone(),
                    sheet: spec.sheet.clone(),
                    year: spec.year,
                },
            });
        }
        IndicatorSet { defs }
    }

    /// The indicator with this key.
    pub fn by_key(&self, key: &str) -> Option<&IndicatorDef> {
        self.defs.iter().find(|d| d.key == key)
    }

    pub fn len(&self) -> usize {
        self.defs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.defs.is_empty()
    }

    /// The dimensions that have at least one indicator, in [`Dimension::ALL`] order.
    pub fn dimensions(&self) -> Vec<Dimension> {
        Dimension::ALL
            .into_iter()
            .filter(|d| self.defs.iter().any(|i| i.dimension == *d))
            .collect()
    }
}

/// Names the village layer already uses: an analyst's indicator may not take one.
const RESERVED: &[&str] = &[
    "kode_desa",
    "desa",
    "kecamatan",
    "kabupaten",
    "provinsi",
    "population",
    "risk_score",
    "risk_rank",
    "rank_p05",
    "rank_p95",
    "p_top_n",
    "risk_trend",
    "exposure",
    "hazard",
    "vulnerability",
    "coping_capacity",
    "reliability",
    "data_age_years",
    "missing_indicators",
    "gi_z",
    "gi_p",
    "gi_class",
    "lisa_i",
    "lisa_z",
    "lisa_p",
    "lisa_cluster",
    "coverage",
    "coverage_gap",
    "desa_binaan",
    "designated_on",
    "outreach_events",
    "last_outreach",
    "departures",
    "departures_nonprocedural",
    "cases",
    "victims",
    "counts_suppressed",
    "recommended_rank",
    "office",
    "distance_km",
    "reason",
    "neighbours",
    "neighbour_source",
];

/// Whether `name` is a built-in indicator, a contribution or a property of the village layer.
pub fn is_reserved(name: &str) -> bool {
    RESERVED.contains(&name)
        || name.starts_with("c_")
        || name.starts_with("gi_")
        || name.starts_with("lisa_")
        || INDICATORS.iter().any(|i| i.key == name)
}
