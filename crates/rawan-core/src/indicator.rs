//! The risk indicators: their names, the dimension of risk each measures, how each is
//! transformed, its unit, decimals, labels and reason phrase. Every crate takes these from
//! here; the formulas are in `rawan_model::indicators`.

/// Which part of risk an indicator measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dimension {
    /// How many people leave, and how (the pool traffickers recruit from).
    Exposure,
    /// Trafficking and smuggling that has already happened here and nearby.
    Hazard,
}

impl Dimension {
    pub const ALL: [Dimension; 2] = [Dimension::Exposure, Dimension::Hazard];
    pub fn key(self) -> &'static str {
        match self {
            Dimension::Exposure => "exposure",
            Dimension::Hazard => "hazard",
        }
    }
}

/// How a raw value is transformed before normalisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transform {
    None,
    /// ln(1 + x): tames the long right tail of rates.
    Log1p,
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
    pub unit: &'static str,
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
        contribution_key: "c_departure_rate",
        decimals: 2,
        reason_id: "keberangkatan PMI tinggi",
        reason_en: "many migrant-worker departures",
        dimension: Dimension::Exposure,
        transform: Transform::Log1p,
        unit: "per 1,000 residents per year",
        label_id: "Keberangkatan PMI",
        label_en: "Migrant-worker departures",
    },
    Indicator {
        key: "nonprocedural_share",
        contribution_key: "c_nonprocedural_share",
        decimals: 3,
        reason_id: "banyak keberangkatan nonprosedural",
        reason_en: "high non-procedural share",
        dimension: Dimension::Exposure,
        transform: Transform::None,
        unit: "share 0–1",
        label_id: "Porsi nonprosedural",
        label_en: "Non-procedural share",
    },
    Indicator {
        key: "departure_trend",
        contribution_key: "c_departure_trend",
        decimals: 3,
        reason_id: "keberangkatan meningkat",
        reason_en: "departures rising",
        dimension: Dimension::Exposure,
        transform: Transform::None,
        unit: "ln ratio, last 12 months vs earlier",
        label_id: "Tren keberangkatan",
        label_en: "Departure trend",
    },
    Indicator {
        key: "victim_rate",
        contribution_key: "c_victim_rate",
        decimals: 2,
        reason_id: "tingkat korban tinggi",
        reason_en: "high victim rate",
        dimension: Dimension::Hazard,
        transform: Transform::Log1p,
        unit: "victims per 10,000 residents (EB-smoothed, recency-weighted)",
        label_id: "Tingkat korban",
        label_en: "Victim rate",
    },
    Indicator {
        key: "victim_spillover",
        contribution_key: "c_victim_spillover",
        decimals: 2,
        reason_id: "korban tinggi di desa tetangga",
        reason_en: "high victim rate next door",
        dimension: Dimension::Hazard,
        transform: Transform::Log1p,
        unit: "neighbours' mean victim rate per 10,000",
        label_id: "Limpahan tetangga",
        label_en: "Neighbour spillover",
    },
];
