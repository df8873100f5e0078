//! Risk over time as a run reports it (`risk_trend`, `risk_history.csv`, the `risk_history`
//! chart): plain results of rawan-model's `history`.

use chrono::NaiveDate;

/// The scores at each date, oldest first; the last date is the run's `as_of`.
#[derive(Debug, Clone, Default)]
pub struct RiskHistory {
    pub dates: Vec<NaiveDate>,
    /// Per date, per village (in the order of the inputs).
    pub scores: Vec<Vec<Option<f64>>>,
    /// Per village, the least-squares slope of its scores in points a year (`None` with fewer
    /// than two scored dates).
    pub trend: Vec<Option<f64>>,
}
