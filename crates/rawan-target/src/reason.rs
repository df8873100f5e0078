//! The one-line reason printed beside each recommended village, in Bahasa Indonesia or
//! English: its strongest indicators, its cluster, and how long since outreach.
//! It names no counts, so it is safe to publish.

use rawan_core::i18n::{fill, t};
use rawan_core::settings::Lang;

/// What the reason is built from.
#[derive(Debug, Clone, Default)]
pub struct ReasonFacts {
    /// How the reason names the indicators that contribute most (largest first, in the
    /// reason's language: `IndicatorDef::reason`), at most two used.
    pub top_indicators: Vec<String>,
    /// LISA cluster if significant and high (`HH`, `HL`).
    pub lisa_cluster: Option<rawan_core::LisaCluster>,
    /// Significant Gi* hot spot.
    pub hot_spot: bool,
    /// Months since the last outreach event; `None` when none in the window.
    pub months_since_outreach: Option<u32>,
    pub window_months: u32,
    pub overdue_months: u32,
}

/// The reason line.
///
/// ```
/// use rawan_target::reason::{reason, ReasonFacts};
/// use rawan_core::settings::Lang;
/// let f = ReasonFacts { top_indicators: vec!["high victim rate".into()], lisa_cluster: Some(rawan_core::LisaCluster::HH), months_since_outreach: Some(18), window_months: 36, overdue_months: 12, ..Default::default() };
/// assert_eq!(reason(&f, Lang::En), "high victim rate, HH cluster, no outreach in 18 months");
/// let f = ReasonFacts { top_indicators: vec!["tingkat korban tinggi".into()], ..f };
/// assert_eq!(reason(&f, Lang::Id), "tingkat korban tinggi, klaster HH, tanpa sosialisasi 18 bulan");
/// ```
pub fn reason(f: &ReasonFacts, lang: Lang) -> String {
    let mut parts: Vec<String> = f.top_indicators.iter().take(2).cloned().collect();
    match (f.lisa_cluster, f.hot_spot) {
        (Some(c), _) => parts.push(fill(t(lang, "reason_cluster"), &[&c.as_str()])),
        (None, true) => parts.push(t(lang, "reason_hot_spot").to_string()),
        _ => {}
    }
    match f.months_since_outreach {
        None => parts.push(fill(
            t(lang, "reason_no_outreach_in_window"),
            &[&f.window_months],
        )),
        Some(m) if m >= f.overdue_months => {
            parts.push(fill(t(lang, "reason_no_outreach_for"), &[&m]))
        }
        _ => {}
    }
    parts.join(", ")
}
