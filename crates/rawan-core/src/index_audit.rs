//! The statistical audit of a run's composite index, as plain figures (computed by
//! `rawan_model::audit`, published by rawan-publish): correlations between indicators,
//! dimensions and the index, Cronbach's alpha per dimension, and the indicators to look at
//! again.

use crate::indicator::Dimension;

/// Two indicators correlating at least this strongly overlap (the COIN guidance's threshold
/// for collinearity).
pub const OVERLAP_R: f64 = 0.92;
/// A dimension whose indicators are less consistent than this is flagged (the usual rule of
/// thumb for Cronbach's alpha).
pub const LOW_ALPHA: f64 = 0.7;

/// What the audit says of one indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorAudit {
    /// Villages with a value.
    pub villages: usize,
    /// Pearson's r with its own dimension's score.
    pub r_dimension: Option<f64>,
    /// Pearson's r with the risk score.
    pub r_index: Option<f64>,
    /// The indicator it correlates with most strongly (by |r|), and that r.
    pub closest: Option<(usize, f64)>,
    pub negative_with_dimension: bool,
    /// Indicators it overlaps with (|r| ≥ [`OVERLAP_R`]).
    pub overlaps: Vec<usize>,
}

/// What the audit says of one dimension.
#[derive(Debug, Clone, PartialEq)]
pub struct DimensionAudit {
    pub dimension: Dimension,
    /// Villages with a score in this dimension.
    pub villages: usize,
    pub r_index: Option<f64>,
    /// Cronbach's alpha of its indicators (two or more), over the villages that have all.
    pub alpha: Option<f64>,
    /// Villages the alpha is computed over.
    pub alpha_villages: usize,
}

/// The whole audit.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Audit {
    pub indicators: Vec<IndicatorAudit>,
    pub dimensions: Vec<DimensionAudit>,
    /// Pearson's r between every pair of the columns: indicators (run order), then the
    /// dimensions present, then the risk score.
    pub matrix: Vec<Vec<Option<f64>>>,
}
