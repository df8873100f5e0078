//! The indicators per village: the five built in, each with its formula, then the job's own
//! (`[[indicators]]`), as their tables give them. A value is `None` when it cannot be
//! computed or is not given (no population, no departures for a share, no neighbours, no row
//! in the analyst's table); the composite then leaves it out and says so — it is never taken
//! as zero.

use crate::eb::{global_eb, local_eb};
use crate::village_table::{TrendSplit, VillageTable};
use rawan_core::Job;
use rawan_core::settings::EbKind;
use rawan_spatial::Weights;

pub use rawan_core::indicator::{
    Dimension, Direction, INDICATORS, Indicator, IndicatorDef, IndicatorSet, Source, Transform,
};

/// Raw indicator values: `values[k][i]` is indicator k (the run's order) of village i.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorValues {
    pub values: Vec<Vec<Option<f64>>>,
}

/// Departure trend: ln((recent + 1) / (earlier scaled to the recent span's length + 1)): the
/// 12 months to `as_of` against the rest of the window (a window under 24 months: its later
/// ⌊W/2⌋ months against the others), each month counted by its share in each span.
pub fn trend(series: &[f32], split: &TrendSplit) -> f64 {
    if split.recent_months <= 0.0 || split.earlier_months <= 0.0 {
        return 0.0;
    }
    let part =
        |shares: &[f64]| -> f64 { series.iter().zip(shares).map(|(&v, &w)| v as f64 * w).sum() };
    let recent = part(&split.recent);
    let earlier = part(&split.earlier) * split.recent_months / split.earlier_months;
    ((recent + 1.0) / (earlier + 1.0)).ln()
}

/// Computes the built-in indicators and gathers the job's own, in the run's order.
pub fn compute(
    table: &VillageTable,
    w: &Weights,
    job: &Job,
    inputs: &rawan_core::Inputs,
) -> IndicatorValues {
    let rows = &table.rows;
    let years = job.window_months as f64 / 12.0;
    let pop: Vec<Option<f64>> = rows
        .iter()
        .map(|r| r.population.filter(|&p| p > 0.0))
        .collect();
    let departure_rate: Vec<Option<f64>> = rows
        .iter()
        .zip(&pop)
        .map(|(r, p)| p.map(|p| r.departures / p * 1000.0 / years))
        .collect();
    let share: Vec<Option<f64>> = rows
        .iter()
        .map(|r| {
            (r.departures_channel_known > 0.0)
                .then(|| r.departures_nonprocedural / r.departures_channel_known)
        })
        .collect();
    let trend_v: Vec<Option<f64>> = (0..rows.len())
        .map(|i| Some(trend(table.departures_series(i), &table.trend_split)))
        .collect();
    let y: Vec<f64> = rows.iter().map(|r| r.victims_weighted).collect();
    let eb = match job.model.eb {
        EbKind::Local => local_eb(&y, &pop, w),
        EbKind::Global => global_eb(&y, &pop),
    };
    let victim_rate: Vec<Option<f64>> = eb.iter().map(|r| r.map(|v| v * 10_000.0)).collect();
    let spillover: Vec<Option<f64>> = (0..rows.len())
        .map(|i| {
            let vals: Vec<f64> = w
                .neighbours(i)
                .iter()
                .filter_map(|&j| victim_rate[j as usize])
                .collect();
            (!vals.is_empty()).then(|| vals.iter().sum::<f64>() / vals.len() as f64)
        })
        .collect();
    let mut values = vec![departure_rate, share, trend_v, victim_rate, spillover];
    for given in &inputs.indicators {
        values.push(
            inputs
                .villages
                .iter()
                .map(|v| given.get(&v.kode_desa).copied())
                .collect(),
        );
    }
    IndicatorValues { values }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(as_of: &str, window: u32) -> Job {
        Job::from_toml_str(&format!(
            "as_of = \"{as_of}\"\nwindow_months = {window}\n[inputs]\nvillages = \"v\"\ndepartures = \"d\"\ndesa_binaan = \"b\"\noutreach = \"o\"\ncases = \"c\"\n"
        ))
        .unwrap()
    }

    fn shares(job: &Job) -> (Vec<f64>, TrendSplit) {
        let months = crate::village_table::window_months(job);
        crate::village_table::month_shares(job, &months)
    }

    #[test]
    fn trend_compares_the_last_year_with_the_earlier_average() {
        // 36 months to a month's end: 24 months of 1 (12 a year), then 12 months of 3 (36).
        let (share, s36) = shares(&job("2025-11-30", 36));
        assert_eq!(share, vec![1.0; 36]);
        let mut s = vec![1.0f32; 24];
        s.extend(vec![3.0f32; 12]);
        assert!((trend(&s, &s36) - (37.0f64 / 13.0).ln()).abs() < 1e-12);
        assert_eq!(trend(&[2.0; 36], &s36), 0.0);
        // 12 months: last 6 vs first 6.
        let (_, s12) = shares(&job("2025-11-30", 12));
        let s: Vec<f32> = (0..12).map(|i| if i < 6 { 0.0 } else { 1.0 }).collect();
        assert!((trend(&s, &s12) - 7.0f64.ln()).abs() < 1e-12);
        // 13 months: the later 6 against the earlier 7, scaled by 6/7.
        let (_, s13) = shares(&job("2025-11-30", 13));
        let s: Vec<f32> = (0..13).map(|i| if i < 7 { 1.0 } else { 2.0 }).collect();
        assert!((trend(&s, &s13) - (13.0f64 / 7.0).ln()).abs() < 1e-12);
    }

    #[test]
    fn a_window_ending_mid_month_counts_partial_months_by_their_days() {
        // as_of 15 November 2025, 36 months: the window is 16 Nov 2022 – 15 Nov 2025, 37
        // calendar months; November 2022 holds 15 of its 30 days, November 2025 15 of 30.
        let (share, split) = shares(&job("2025-11-15", 36));
        assert_eq!(share.len(), 37);
        assert_eq!((share[0], share[36]), (0.5, 0.5));
        assert!(share[1..36].iter().all(|&s| s == 1.0));
        // 36 months of shares in all: the rate's "per year" divides by 3 years exactly.
        assert_eq!(share.iter().sum::<f64>(), 36.0);
        // The recent span is 16 Nov 2024 – 15 Nov 2025: half of Nov 2024, 11 months, half of
        // Nov 2025; every month's shares add up to its share of the window.
        assert_eq!((split.recent[24], split.earlier[24]), (0.5, 0.5));
        assert_eq!(split.recent.iter().sum::<f64>(), 12.0);
        for (k, &whole) in share.iter().enumerate() {
            assert_eq!(split.recent[k] + split.earlier[k], whole, "month {k}");
        }
        // From a month's last day, 12 months back is that month's last day: 29 Feb 2024.
        let (_, feb) = shares(&job("2025-02-28", 36));
        assert_eq!(feb.recent.iter().sum::<f64>(), 12.0);
        assert!(
            feb.recent
                .iter()
                .chain(&feb.earlier)
                .all(|&s| s == 0.0 || s == 1.0)
        );
    }
}
