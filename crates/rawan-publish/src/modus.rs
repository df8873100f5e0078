//! Modus over time (`modus_trend.csv`, the `modus_trend` chart): cases by modus per 12-month
//! period and kabupaten, with each modus flagged `new` or `rising` where it first appears or
//! grows beyond its past, for the "modus baru" question.
//!
//! **What is counted.** In a published run, the cases of the villages whose case count the
//! village layer publishes exactly (k = `privacy.min_count` or more, docs/privacy.md); each
//! row says how many villages that is. A village whose count is a small cell (1 to k − 1)
//! contributes nothing, so no published number moves when its count does (the invariance
//! `tests/privacy_attacks.rs` checks for every output). In a region of few cases most
//! villages are small cells and the table is mostly zeros: those zeros are "no cases among
//! the villages counted", as `villages_counted` says. `--restricted` counts every case.
//!
//! **How cells are protected.** A kabupaten's row (every modus × period) then sums to a
//! total anyone can add up from the village layer. Within it, a cell from 1 to k − 1 is
//! suppressed (primary); then, while fewer than two cells are suppressed or their total
//! leaves one of them less room than 1 … k − 1 (each other one takes at least 1), the
//! smallest published positive cell is suppressed too (secondary). [`protect_row`] states the
//! conditions in general, for rows whose total is known only as an interval too. Flags are
//! computed from published cells only, so they reveal nothing the table does not.

use crate::tabular::{Table, Values};
use crate::{Publication, privacy::Suppressed};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// A cell as published: `Some(n)` exact, `None` suppressed.
pub type Cell = Option<u64>;

/// What the village layer says about a kabupaten's cases: `exact` is the sum of its
/// villages' exact counts, `small` the number of its villages whose count is a small cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Known {
    pub exact: u64,
    pub small: u64,
}

/// Whether a row's suppression protects every small village cell and every suppressed cell
/// (module docs).
fn protected(values: &[u64], cells: &[Cell], known: Known, k: u64) -> bool {
    let (mut m, mut published) = (0u64, 0u64);
    for (c, &v) in cells.iter().zip(values) {
        match c {
            Some(_) => published += v,
            None => m += 1,
        }
    }
    let (e, n) = (known.exact as i128, known.small as i128);
    let (p, m, k) = (published as i128, m as i128, k as i128);
    // The small villages' total S, as the table bounds it.
    let village_low_ok = n == 0 || p + m - e <= 1 + (n - 1) * (k - 1);
    let village_high_ok = n == 0 || m > 0 || p - e >= k + n - 2;
    // The table's own suppressed cells: their total is at most E + n(k − 1) − P.
    let cells_ok = m == 0 || (m >= 2 && e + n * (k - 1) - p - (m - 1) >= k - 1);
    village_low_ok && village_high_ok && cells_ok
}

/// Suppresses a kabupaten's row (every modus × period) so that no village's small cell and
/// no suppressed cell of the row can be narrowed (module docs).
///
/// ```
/// use rawan_publish::modus::{Known, protect_row};
/// // Every village count exact (E = 35, no small cell): one small table cell (3), and the
/// // smallest other positive cell (12) goes with it; the 3 could be anything up to 14.
/// let none_small = Known { exact: 35, small: 0 };
/// assert_eq!(protect_row(&[3, 12, 20, 0], 10, none_small), vec![None, None, Some(20), Some(0)]);
/// // Two small table cells adding up to 2 (each then plainly 1): a third joins them.
/// let exact_46 = Known { exact: 46, small: 0 };
/// assert_eq!(protect_row(&[1, 1, 15, 29], 10, exact_46), vec![None, None, None, Some(29)]);
/// // One village with a small count (E = 30, S = 4): publishing every cell (0, 12, 22)
/// // would give S = 34 − 30 = 4 exactly. The smallest positive cells are suppressed until
/// // the row no longer pins it.
/// let one_small = Known { exact: 30, small: 1 };
/// assert_eq!(protect_row(&[0, 12, 22], 10, one_small), vec![Some(0), None, None]);
/// // Nothing to protect: everything published.
/// assert_eq!(protect_row(&[0, 12, 30], 10, Known { exact: 42, small: 0 }), vec![Some(0), Some(12), Some(30)]);
/// ```
pub fn protect_row(values: &[u64], k: u32, known: Known) -> Vec<Cell> {
    let k = u64::from(k);
    let mut cells: Vec<Cell> = values
        .iter()
        .map(|&v| (v == 0 || v >= k).then_some(v))
        .collect();
    while !protected(values, &cells, known, k) {
        let next = (0..values.len())
            .filter(|&j| cells[j].is_some() && values[j] > 0)
            .min_by_key(|&j| (values[j], j));
        match next {
            Some(j) => cells[j] = None,
            None => return vec![None; values.len()],
        }
    }
    cells
}

/// The flag of a kabupaten's modus in the latest period, from its published cells: `new`
/// when it has cases now and none (published 0) in every earlier period; `rising` when it
/// has more now than in any earlier period, all published; empty otherwise or when a cell
/// it needs is suppressed.
///
/// ```
/// use rawan_publish::modus::flag;
/// assert_eq!(flag(&[Some(0), Some(0), Some(14)]), "new");
/// assert_eq!(flag(&[Some(10), Some(12), Some(20)]), "rising");
/// assert_eq!(flag(&[Some(10), None, Some(20)]), "");
/// assert_eq!(flag(&[Some(25), Some(12), Some(20)]), "");
/// ```
pub fn flag(series: &[Cell]) -> &'static str {
    let Some((&Some(now), before)) = series.split_last() else {
        return "";
    };
    if now == 0 || before.iter().any(|c| c.is_none()) {
        return "";
    }
    let earlier = before.iter().map(|c| c.unwrap_or(0));
    if before.iter().all(|c| *c == Some(0)) {
        "new"
    } else if earlier.clone().all(|e| now > e) {
        "rising"
    } else {
        ""
    }
}

/// The modus-over-time table, protected: one row per kabupaten × modus × period (name
/// order, then modus order, then oldest period first); `trend` on the latest period's row.
pub fn table(p: &Publication, sup: &Suppressed) -> Table {
    let m = p.modus;
    let k = p.job.privacy.min_count;
    let (n_modus, n_periods) = (m.modus.len(), m.periods.len());
    // Cases per kabupaten × (modus, period) of the villages counted, their number, and the
    // row's total as the village layer gives it (exact: small cells are not counted).
    let mut rows: BTreeMap<&str, (Vec<u64>, Known, u64)> = BTreeMap::new();
    for (i, v) in p.villages.iter().enumerate() {
        let (row, known, counted) = rows
            .entry(v.kabupaten.as_str())
            .or_insert_with(|| (vec![0; n_modus * n_periods], Known::default(), 0));
        let exact = sup.cases.village[i].value();
        if !p.restricted && exact.is_none() {
            continue;
        }
        known.exact += exact.unwrap_or(0);
        *counted += 1;
        if let Some(cells) = m.village.get(i) {
            for &(modus, period, n) in cells {
                row[modus as usize * n_periods + period as usize] += u64::from(n);
            }
        }
    }
    let mut kabupaten = Vec::new();
    let mut modus = Vec::new();
    let (mut start, mut end) = (Vec::new(), Vec::new());
    let mut cases: Vec<Option<u64>> = Vec::new();
    let mut trend = Vec::new();
    let mut villages_counted = Vec::new();
    // A modus is listed when a counted village has a case of it: which modus occur only in
    // villages with small cells is not published either.
    let listed: Vec<bool> = (0..n_modus)
        .map(|mi| {
            rows.values().any(|(v, _, _)| {
                v[mi * n_periods..(mi + 1) * n_periods]
                    .iter()
                    .any(|&n| n > 0)
            })
        })
        .collect();
    for (kab, (values, known, counted)) in &rows {
        let cells: Vec<Cell> = if p.restricted {
            values.iter().map(|&v| Some(v)).collect()
        } else {
            protect_row(values, k, *known)
        };
        for (mi, name) in m.modus.iter().enumerate() {
            if !listed[mi] {
                continue;
            }
            let series = &cells[mi * n_periods..(mi + 1) * n_periods];
            for (pi, &(a, b)) in m.periods.iter().enumerate() {
                kabupaten.push(Some(kab.to_string()));
                villages_counted.push(Some(*counted as i64));
                modus.push(Some(name.clone()));
                start.push(Some(a));
                end.push(Some(b));
                cases.push(series[pi]);
                trend.push((pi + 1 == n_periods).then(|| flag(series).to_string()));
            }
        }
    }
    Table {
        name: "modus_trend",
        columns: vec![
            column("kabupaten", Values::Text(kabupaten)),
            column("villages_counted", Values::Int(villages_counted)),
            column("modus", Values::Text(modus)),
            column("period_start", Values::Date(start)),
            column("period_end", Values::Date(end)),
            column("cases", Values::Count(cases)),
            column(
                "trend",
                Values::Text(
                    trend
                        .into_iter()
                        .map(|t| t.filter(|t| !t.is_empty()))
                        .collect(),
                ),
            ),
        ],
    }
}

fn column(key: &str, values: Values) -> crate::tabular::Column {
    crate::tabular::Column {
        key: key.to_string(),
        values,
    }
}

/// Whether the table counts no case at all, every cell a published 0: in a published run,
/// when every village with cases is a small cell. The chart then says so instead of drawing
/// flat lines, and the report says it in words.
pub fn nothing_counted(t: &Table) -> bool {
    matches!(t.values("cases"), Some(Values::Count(cases)) if cases.iter().all(|c| *c == Some(0)))
}

/// The rows flagged in the latest period, as (kabupaten, modus, flag: `new` or `rising`),
/// in the table's order (for the report).
pub fn flagged(t: &Table) -> Vec<(&str, &str, &str)> {
    let (Some(Values::Text(kab)), Some(Values::Text(modus)), Some(Values::Text(trend))) =
        (t.values("kabupaten"), t.values("modus"), t.values("trend"))
    else {
        return Vec::new();
    };
    (0..t.rows())
        .filter_map(|r| {
            Some((
                kab[r].as_deref().unwrap_or(""),
                modus[r].as_deref().unwrap_or(""),
                trend[r].as_deref()?,
            ))
        })
        .collect()
}

/// The region's published cases per modus and period (the sum of the table's published
/// cells: a lower bound wherever a cell is suppressed), for the chart.
pub fn region_series(t: &Table, periods: &[(NaiveDate, NaiveDate)]) -> Vec<(String, Vec<u64>)> {
    let (Some(Values::Text(modus)), Some(Values::Date(end)), Some(Values::Count(cases))) =
        (t.values("modus"), t.values("period_end"), t.values("cases"))
    else {
        return Vec::new();
    };
    let mut by: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    for r in 0..t.rows() {
        let (Some(m), Some(e)) = (&modus[r], end[r]) else {
            continue;
        };
        let Some(pi) = periods.iter().position(|p| p.1 == e) else {
            continue;
        };
        by.entry(m.clone())
            .or_insert_with(|| vec![0; periods.len()])[pi] += cases[r].unwrap_or(0);
    }
    by.into_iter().collect()
}
