//! Counts each village's cases by modus and 12-month period ([`ModusCounts`]). Pure
//! counting: the protection of small cells is the publisher's (`rawan_publish::modus`).

use rawan_core::modus::{ModusCounts, UNKNOWN};
use rawan_core::records::Inputs;
use rawan_core::settings::{Job, months_before};
use std::collections::BTreeMap;

/// The twelve-month periods of the window, oldest first: (first day, last day).
///
/// ```
/// use chrono::NaiveDate;
/// let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
/// // A 30-month window ending 30 November 2025: two whole years and a half.
/// assert_eq!(
///     rawan_model::modus::periods(d(2025, 11, 30), d(2023, 6, 1)),
///     vec![
///         (d(2023, 6, 1), d(2023, 11, 30)),
///         (d(2023, 12, 1), d(2024, 11, 30)),
///         (d(2024, 12, 1), d(2025, 11, 30)),
///     ]
/// );
/// ```
pub fn periods(
    as_of: chrono::NaiveDate,
    window_start: chrono::NaiveDate,
) -> Vec<(chrono::NaiveDate, chrono::NaiveDate)> {
    let mut out = Vec::new();
    let mut end = as_of;
    while end >= window_start {
        let start = months_before(end, 12)
            .and_then(|d| d.succ_opt())
            .unwrap_or(window_start)
            .max(window_start);
        out.push((start, end));
        match start.pred_opt() {
            Some(e) => end = e,
            None => break,
        }
    }
    out.reverse();
    out
}

/// Each village's cases by modus and period.
pub fn count(inputs: &Inputs, job: &Job) -> ModusCounts {
    let periods = periods(job.as_of, job.window_start());
    let mut names: Vec<String> = inputs
        .cases
        .iter()
        .filter_map(|c| c.modus.clone())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    if inputs.cases.iter().any(|c| c.modus.is_none()) {
        names.push(UNKNOWN.to_string());
    }
    let modus_index: BTreeMap<&str, u16> = names
        .iter()
        .enumerate()
        .map(|(k, m)| (m.as_str(), k as u16))
        .collect();
    let village_index: rustc_hash::FxHashMap<&rawan_core::KodeDesa, usize> = inputs
        .villages
        .iter()
        .enumerate()
        .map(|(i, v)| (&v.kode_desa, i))
        .collect();
    let mut cells: Vec<BTreeMap<(u16, u16), u32>> = vec![BTreeMap::new(); inputs.villages.len()];
    for c in &inputs.cases {
        let Some(&i) = village_index.get(&c.kode_desa) else {
            continue;
        };
        let Some(p) = periods
            .iter()
            .position(|&(a, b)| c.reported_on >= a && c.reported_on <= b)
        else {
            continue;
        };
        let m = modus_index[c.modus.as_deref().unwrap_or(UNKNOWN)];
        *cells[i].entry((m, p as u16)).or_default() += 1;
    }
    ModusCounts {
        periods,
        modus: names,
        village: cells
            .into_iter()
            .map(|v| v.into_iter().map(|((m, p), n)| (m, p, n)).collect())
            .collect(),
    }
}
