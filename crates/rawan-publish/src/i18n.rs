//! Labels in Bahasa Indonesia and English for charts, legends, layers and the report.

use rawan_core::settings::Lang;
use rawan_core::{GiClass, LisaCluster};

/// The label for `key` in `lang`; the key itself if unknown (so a missing label shows up).
pub fn t(lang: Lang, key: &'static str) -> &'static str {
    let (id, en) = match key {
        "risk_score" => ("Skor risiko (0–10)", "Risk score (0–10)"),
        "risk_map" => ("Peta skor risiko desa", "Village risk score"),
        "very_low" => ("Sangat rendah", "Very low"),
        "low" => ("Rendah", "Low"),
        "medium" => ("Sedang", "Medium"),
        "high" => ("Tinggi", "High"),
        "very_high" => ("Sangat tinggi", "Very high"),
        "no_data" => ("Tidak ada data", "No data"),
        "hot99" => ("Titik panas (99%)", "Hot spot (99%)"),
        "hot95" => ("Titik panas (95%)", "Hot spot (95%)"),
        "hot90" => ("Titik panas (90%)", "Hot spot (90%)"),
        "cold90" => ("Titik dingin (90%)", "Cold spot (90%)"),
        "cold95" => ("Titik dingin (95%)", "Cold spot (95%)"),
        "cold99" => ("Titik dingin (99%)", "Cold spot (99%)"),
        "ns" => ("Tidak signifikan", "Not significant"),
        "HH" => ("Tinggi–Tinggi (klaster)", "High–High (cluster)"),
        "LL" => ("Rendah–Rendah (klaster)", "Low–Low (cluster)"),
        "LH" => ("Rendah–Tinggi (pencilan)", "Low–High (outlier)"),
        "HL" => ("Tinggi–Rendah (pencilan)", "High–Low (outlier)"),
        "desa_binaan" => ("Desa Binaan Imigrasi", "Existing desa binaan"),
        "recommended" => (
            "Desa binaan yang direkomendasikan",
            "Recommended desa binaan",
        ),
        "offices" => ("Kantor Imigrasi", "Immigration offices"),
        "hotspots" => ("Titik panas Gi*", "Gi* hot spots"),
        "lisa" => ("Klaster LISA", "LISA clusters"),
        "villages" => ("Risiko desa", "Village risk"),
        "top_villages" => (
            "Desa dengan risiko tertinggi dan penyumbangnya",
            "Highest-risk villages and what drives them",
        ),
        "contribution" => (
            "Sumbangan terhadap skor risiko (poin)",
            "Contribution to the risk score (points)",
        ),
        "risk_vs_coverage" => (
            "Risiko dan cakupan: kuadran kesenjangan",
            "Risk versus coverage: the gap quadrant",
        ),
        "coverage" => ("Cakupan (0–1)", "Coverage (0–1)"),
        "gap_quadrant" => ("Risiko tinggi, cakupan rendah", "High risk, low coverage"),
        "trend_title" => (
            "Keberangkatan PMI per bulan per kabupaten/kota",
            "Migrant-worker departures per month by kabupaten/kota",
        ),
        "departures_per_month" => (
            "Keberangkatan per bulan (orang)",
            "Departures per month (people)",
        ),
        "victims_title" => (
            "Korban TPPO/TPPM per tahun per kabupaten/kota",
            "TPPO/TPPM victims per year by kabupaten/kota",
        ),
        "victims_per_period" => ("Korban per periode (orang)", "Victims per period (people)"),
        "victims_window_title" => (
            "Korban TPPO/TPPM per kabupaten/kota dalam jendela analisis",
            "TPPO/TPPM victims by kabupaten/kota over the analysis window",
        ),
        "victims_in_window" => (
            "Korban dalam jendela N bulan (orang)",
            "Victims in the N-month window (people)",
        ),
        "victims_known_part" => (
            "dari desa dengan jumlah yang dipublikasikan",
            "from villages with published counts",
        ),
        "victims_range_part" => (
            "rentang dari desa dengan 1–<k korban",
            "range from villages with 1–<k victims",
        ),
        "months" => ("bulan", "months"),
        "month" => ("Bulan", "Month"),
        "rank_intervals" => (
            "Ketidakpastian peringkat desa teratas (persentil 5–95)",
            "Rank uncertainty of the top villages (5th–95th percentile)",
        ),
        "rank" => (
            "Peringkat (1 = risiko tertinggi)",
            "Rank (1 = highest risk)",
        ),
        "rank_now" => ("Peringkat saat ini", "Current rank"),
        "source" => ("Sumber: rawan", "Source: rawan"),
        "as_of" => ("per", "as of"),
        "longitude" => ("Bujur (°)", "Longitude (°)"),
        "latitude" => ("Lintang (°)", "Latitude (°)"),
        "other_villages" => ("Desa lain", "Other villages"),
        "villages_count" => ("desa", "villages"),
        "recommended_short" => ("Rekomendasi", "Recommended"),
        _ => (key, key),
    };
    match lang {
        Lang::Id => id,
        Lang::En => en,
    }
}

/// Indicator label by key (from `rawan_core::INDICATORS`, the one definition).
pub fn indicator(lang: Lang, key: &str) -> &'static str {
    rawan_core::Indicator::by_key(key).map_or("?", |i| i.label(lang))
}

/// The indicators' keys, in their fixed order.
pub const INDICATOR_KEYS: [&str; 5] = {
    let mut keys = [""; 5];
    let mut k = 0;
    while k < 5 {
        keys[k] = rawan_core::INDICATORS[k].key;
        k += 1;
    }
    keys
};

/// The five risk classes (equal intervals of 2 points) and their colours (ColorBrewer YlOrRd).
/// (lower, upper, label key, colour) of a risk class.
pub type RiskClass = (f64, f64, &'static str, (u8, u8, u8));

pub const RISK_CLASSES: [RiskClass; 5] = [
    (0.0, 2.0, "very_low", (255, 255, 178)),
    (2.0, 4.0, "low", (254, 204, 92)),
    (4.0, 6.0, "medium", (253, 141, 60)),
    (6.0, 8.0, "high", (240, 59, 32)),
    (8.0, 10.0, "very_high", (189, 0, 38)),
];

/// Gi* classes and colours (the conventional red/blue diverging scheme).
pub const GI_CLASSES: [(GiClass, (u8, u8, u8)); 7] = [
    (GiClass::Hot99, (215, 25, 28)),
    (GiClass::Hot95, (240, 100, 70)),
    (GiClass::Hot90, (253, 174, 97)),
    (GiClass::NotSignificant, (235, 235, 235)),
    (GiClass::Cold90, (171, 217, 233)),
    (GiClass::Cold95, (116, 173, 209)),
    (GiClass::Cold99, (44, 123, 182)),
];

/// LISA clusters and GeoDa's conventional colours.
pub const LISA_CLASSES: [(LisaCluster, (u8, u8, u8)); 5] = [
    (LisaCluster::HH, (255, 0, 0)),
    (LisaCluster::LL, (0, 0, 255)),
    (LisaCluster::LH, (167, 173, 249)),
    (LisaCluster::HL, (244, 173, 168)),
    (LisaCluster::NotSignificant, (238, 238, 238)),
];
