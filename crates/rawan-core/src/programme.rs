//! The programme's effect as a run reports it (`programme_effect.csv`, the event study): plain
//! results of rawan-model's estimator, for the outputs.

/// How the effect is estimated, as `programme_effect.csv`'s `method` column says it.
pub const METHOD: &str = "Callaway & Sant'Anna (2021) group-time effects, not-yet-designated villages as controls, varying base period, averaged by cohort size; 95 % interval by multiplier bootstrap (999 draws, Rademacher weights) clustered by village";

/// Every outcome estimated.
#[derive(Debug, Clone, Default)]
pub struct ProgrammeEffect {
    pub outcomes: Vec<OutcomeEffect>,
    /// Desa binaan designated before the window or in its first month (no month before
    /// designation to compare with): left out.
    pub designated_before_window: usize,
}

/// One outcome: its estimate, or why there is none.
#[derive(Debug, Clone)]
pub struct OutcomeEffect {
    /// `nonprocedural_per_1000` or `victims_per_10000`.
    pub outcome: &'static str,
    pub result: Result<EffectEstimate, String>,
}

/// The average effect over all months after designation, and the event study.
#[derive(Debug, Clone, PartialEq)]
pub struct EffectEstimate {
    pub estimate: f64,
    /// Analytical, from the influence function (clustered by village).
    pub se: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    /// Villages of the cohorts that have months after designation.
    pub treated_villages: usize,
    /// Villages not designated within the window (controls throughout; villages designated
    /// later are controls until then).
    pub control_villages: usize,
    /// Per month since designation (negative: before it).
    pub event_study: Vec<EventTime>,
}

/// One event time of the event study.
#[derive(Debug, Clone, PartialEq)]
pub struct EventTime {
    /// Months since designation.
    pub months: i64,
    pub estimate: f64,
    pub se: f64,
    /// Designated villages contributing (of every cohort with this month observed).
    pub treated_villages: usize,
}

impl EventTime {
    /// The 95 % interval from the analytical standard error.
    pub fn interval(&self) -> (f64, f64) {
        (
            self.estimate - 1.96 * self.se,
            self.estimate + 1.96 * self.se,
        )
    }
}
