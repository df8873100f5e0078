//! Is the programme working? The effect of designating a village desa binaan on its
//! non-procedural departures, from the village-month panel of the window, by
//! [`crate::callaway_santanna`] (staggered designations, not-yet-designated villages as
//! controls).
//!
//! The outcome is `nonprocedural_per_1000`: a month's non-procedural departures per 1,000
//! residents. A village enters its cohort in the month of its (first) designation; villages
//! designated before the window's first month have no month before designation and are left
//! out; villages without a population are left out. In a `--restricted` run, victims per
//! 10,000 residents (by the month a case was reported) is estimated too: on exact counts,
//! which a published run never uses (docs/privacy.md), so it is not part of published runs.

use crate::VillageTable;
use crate::callaway_santanna::{Panel, bootstrap_interval, fit};
use chrono::Datelike;
use rawan_core::Job;
use rawan_core::programme::{EffectEstimate, EventTime, OutcomeEffect, ProgrammeEffect};

/// Bootstrap draws for the headline interval.
pub const DRAWS: usize = 999;

/// Estimates the programme's effect from the joined table (its monthly series and the desa
/// binaan designation dates).
pub fn estimate(table: &VillageTable, job: &Job, restricted: bool) -> ProgrammeEffect {
    let months = &table.months;
    let m = months.len();
    let first = months[0];
    let mut designated_before_window = 0;
    // Per village with a population: its row, its cohort (first designated month in the
    // window), and residents.
    let mut units: Vec<(usize, Option<usize>, f64)> = Vec::new();
    for (i, r) in table.rows.iter().enumerate() {
        let Some(pop) = r.population.filter(|p| *p > 0.0) else {
            continue;
        };
        let cohort = match r.designated_on {
            None => None,
            Some(d) => {
                let k = (d.year() - first.year()) * 12 + d.month() as i32 - first.month() as i32;
                if k <= 0 {
                    designated_before_window += 1;
                }
                // A designation before the window is "treated in the first month": left out.
                Some(k.max(0) as usize)
            }
        };
        units.push((i, cohort, pop));
    }
    let panel_of = |series: &[f32], per: f64| Panel {
        periods: m,
        cohort: units.iter().map(|u| u.1).collect(),
        y: units
            .iter()
            .flat_map(|&(i, _, pop)| {
                series[i * m..(i + 1) * m]
                    .iter()
                    .map(move |&v| f64::from(v) * per / pop)
            })
            .collect(),
    };
    let mut outcomes = vec![one(
        "nonprocedural_per_1000",
        &panel_of(&table.nonprocedural_monthly, 1_000.0),
        job.seed,
    )];
    if restricted {
        outcomes.push(one(
            "victims_per_10000",
            &panel_of(&table.victims_monthly, 10_000.0),
            job.seed,
        ));
    }
    ProgrammeEffect {
        outcomes,
        designated_before_window,
    }
}

fn one(outcome: &'static str, panel: &Panel, seed: u64) -> OutcomeEffect {
    let result = fit(panel).map_err(|e| e.to_string()).map(|f| {
        let (ci_low, ci_high) =
            bootstrap_interval(f.simple.estimate, &f.simple_influence, DRAWS, seed);
        let event_study = f
            .event_study
            .iter()
            .map(|(e, a)| EventTime {
                months: *e,
                estimate: a.estimate,
                se: a.se,
                treated_villages: f
                    .cells
                    .iter()
                    .filter(|c| c.event_time() == *e)
                    .map(|c| c.treated)
                    .sum(),
            })
            .collect();
        EffectEstimate {
            estimate: f.simple.estimate,
            se: f.simple.se,
            ci_low,
            ci_high,
            treated_villages: f.treated_units,
            control_villages: f.never_treated_units,
            event_study,
        }
    });
    OutcomeEffect { outcome, result }
}
