//! Cases by modus, per 12-month period and village: what the modus-over-time table
//! (`modus_trend.csv`) is built from. Counted by `rawan_model::modus`, protected and
//! published by `rawan_publish::modus`.

use chrono::NaiveDate;

/// The modus of a case that names none.
pub const UNKNOWN: &str = "tidak diketahui";

/// Case counts by village, modus and period.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ModusCounts {
    /// The periods, oldest first, as (first day, last day): twelve months each, ending at
    /// `as_of`, `as_of` − 12 months, …; the oldest starts at the window's first day.
    pub periods: Vec<(NaiveDate, NaiveDate)>,
    /// The modus names that occur, in name order, [`UNKNOWN`] last if it occurs.
    pub modus: Vec<String>,
    /// Per village (in the run's village order): (modus index, period index, cases), sorted.
    pub village: Vec<Vec<(u16, u16, u32)>>,
}
