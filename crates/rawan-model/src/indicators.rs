//! The indicators per village: the five built in, each with its formula, then the job's own
//! (`[[indicators]]`), as their tables give them. A value is `None` when it cannot be
//! computed or is not given (no population, no departures for a share, no neighbours, no row
//! in the analyst's table); the composite then leaves it out and says so — it is never taken
//! as zero.

use crate::eb::{global_eb, local_eb};
use crate::village_table::VillageTable;
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

/// Departure trend: ln((last 12 months + 1) / (mean earlier 12-month total + 1)); with a window
/// under 24 months, the later half against the earlier half.
pub fn trend(series: &[f32]) -> f64 {
    let m = series.len();
    if m < 2 {
        return 0.0;
    }
    let recent_len = if m >= 24 { 12 } else { m / 2 };
    let recent: f64 = series[m - recent_len..].iter().map(|&v| v as f64).sum();
    let earlier_len = m - recent_len;
    let earlier: f64 = series[..earlier_len].iter().map(|&v| v as f64).sum::<f64>()
        * recent_len as f64
        / earlier_len as f64;
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
    let years = table.months.len() as f64 / 12.0;
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
        .map(|i| Some(trend(table.departures_series(i))))
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

    #[test]
    fn trend_compares_the_last_year_with_the_earlier_average() {
        // 36 months: 24 months of 1 (24 in 2 years -> 12 per year), then 12 months of 3 (36).
        let mut s = vec![1.0f32; 24];
        s.extend(vec![3.0f32; 12]);
        assert!((trend(&s) - (37.0f64 / 13.0).ln()).abs() < 1e-12);
        assert_eq!(trend(&[2.0; 36]), 0.0);
        // 12 months: last 6 vs first 6.
        let s: Vec<f32> = (0..12).map(|i| if i < 6 { 0.0 } else { 1.0 }).collect();
        assert!((trend(&s) - 7.0f64.ln()).abs() < 1e-12);
    }
}
