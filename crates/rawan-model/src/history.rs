//! Risk over time within one run: the model evaluated at earlier analysis dates inside the
//! window (`[history] every_months`, default every 12 months back while the earlier window
//! holds `min_months`), each from the joined table cut at that date
//! ([`VillageTable::at_earlier_date`]): the same indicators, weights and normalisation, the
//! same window start, a shorter window. Each date's scores are normalised over the villages
//! at that date, so a trajectory shows a village's risk *relative to the others* at each
//! date. `risk_trend` is the least-squares slope of a village's scores over the dates, in
//! points a year.
//!
//! In a published run the table is the protected one (small case counts replaced, spread
//! evenly over the window), so the history, like every published value, does not depend on
//! a small count or its timing.

use crate::composite::{CompositeConfig, composite};
use crate::{VillageTable, indicators};
use chrono::NaiveDate;
pub use rawan_core::history::RiskHistory;
use rawan_core::{Inputs, Job};
use rawan_spatial::Weights;
use rayon::prelude::*;

/// The history of `current` (the run's scores) at the job's earlier dates.
pub fn risk_history(
    table: &VillageTable,
    w: &Weights,
    job: &Job,
    inputs: &Inputs,
    config: &CompositeConfig,
    current: &[Option<f64>],
) -> RiskHistory {
    // Each earlier date is a model of its own: evaluated side by side, kept in date order.
    let windows: Vec<u32> = job
        .history
        .earlier_windows(job.window_months)
        .into_iter()
        .rev()
        .collect();
    let earlier: Vec<(NaiveDate, Vec<Option<f64>>)> = windows
        .par_iter()
        .filter_map(|&window| {
            let as_of = rawan_core::settings::months_before(job.as_of, job.window_months - window)?;
            let mut earlier = job.clone();
            earlier.as_of = as_of;
            earlier.window_months = window;
            let t = table.at_earlier_date(&earlier)?;
            let values = indicators::compute(&t, w, &earlier, inputs);
            Some((as_of, composite(&values.values, config).risk))
        })
        .collect();
    let (mut dates, mut scores): (Vec<NaiveDate>, Vec<Vec<Option<f64>>>) =
        earlier.into_iter().unzip();
    dates.push(job.as_of);
    scores.push(current.to_vec());
    let years: Vec<f64> = dates
        .iter()
        .map(|d| (*d - job.as_of).num_days() as f64 / 365.25)
        .collect();
    let trend = (0..current.len())
        .map(|i| {
            let points: Vec<(f64, f64)> = years
                .iter()
                .zip(&scores)
                .filter_map(|(&x, s)| s[i].map(|y| (x, y)))
                .collect();
            slope(&points)
        })
        .collect();
    RiskHistory {
        dates,
        scores,
        trend,
    }
}

/// The least-squares slope of y on x; `None` for fewer than two distinct x.
///
/// ```
/// use rawan_model::history::slope;
/// // Scores 4, 5 and 7 one year apart: slope (−1·−1.333 + 0·−0.333 + 1·1.667) / 2 = 1.5.
/// assert_eq!(slope(&[(-2.0, 4.0), (-1.0, 5.0), (0.0, 7.0)]), Some(1.5));
/// assert_eq!(slope(&[(0.0, 7.0)]), None);
/// ```
pub fn slope(points: &[(f64, f64)]) -> Option<f64> {
    let n = points.len() as f64;
    if points.len() < 2 {
        return None;
    }
    let mx = points.iter().map(|p| p.0).sum::<f64>() / n;
    let my = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let sxy: f64 = points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    (sxx > 0.0).then(|| sxy / sxx)
}
