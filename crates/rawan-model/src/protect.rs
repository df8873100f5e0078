//! Protection by construction: what a published run's model is allowed to see of the case
//! file (docs/privacy.md).
//!
//! A village whose cases or victims over the window number 1 to k − 1 (k =
//! `privacy.min_count`) is a *small cell*. In a published run every small cell is replaced,
//! before any indicator is computed, by the same substitute whatever its true value and
//! timing: k/2 victims spread evenly over the window's months. Everything computed from the
//! table afterwards — the EB victim rate, its contribution, the neighbours' spillover, the
//! hazard dimension, the risk score and rank, Gi* and Local Moran, the recommendations, the
//! charts and totals — is then a function of the protected table only, so changing a small
//! village's count (3 → 4) or moving its cases in time changes no published value: there is
//! nothing to invert or difference. Under `--restricted` the table keeps the exact counts.
//!
//! Counts of 0 and of k or more are kept as they are (a zero identifies nobody; a count of
//! k or more is published).

use crate::village_table::VillageTable;
use chrono::Days;
use rawan_core::Job;

/// Whether a count is a small cell for threshold `k`: 1 to k − 1.
///
/// ```
/// use rawan_model::protect::is_small;
/// assert!(!is_small(0, 10));
/// assert!(is_small(1, 10) && is_small(9, 10));
/// assert!(!is_small(10, 10));
/// ```
pub fn is_small(count: u64, k: u32) -> bool {
    count > 0 && count < k as u64
}

/// The number of victims (and cases) a small cell is modelled as: k/2, the middle of 1 … k − 1
/// rounded up, so that for k = 10 a small village counts as 5.
///
/// ```
/// assert_eq!(rawan_model::protect::substitute(10), 5);
/// assert_eq!(rawan_model::protect::substitute(5), 3);
/// ```
pub fn substitute(k: u32) -> u32 {
    k.div_ceil(2)
}

/// The mean recency weight 0.5^(age / half-life) over the window's months, each month's age
/// taken at its 15th day (as_of for the current month): the weight a case has when nothing
/// is known about when in the window it was reported.
pub fn mean_recency_weight(months: &[chrono::NaiveDate], job: &Job) -> f64 {
    if months.is_empty() {
        return 0.0;
    }
    let half_life = job.model.case_half_life_months;
    let sum: f64 = months
        .iter()
        .map(|m| {
            let mid = (*m + Days::new(14)).min(job.as_of);
            0.5f64.powf(job.age_months(mid).max(0.0) / half_life)
        })
        .sum();
    sum / months.len() as f64
}

/// What the protection did, for the manifest and report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ProtectionSummary {
    /// Villages whose victims were replaced by the substitute.
    pub small_victim_villages: usize,
    /// Villages whose case count was replaced by the substitute.
    pub small_case_villages: usize,
}

/// Replaces every small cell of the joined table by its substitute (module docs). The exact
/// values of those villages are gone from the table afterwards, so no later step can use
/// them by mistake.
pub fn protect_case_counts(table: &mut VillageTable, job: &Job) -> ProtectionSummary {
    let k = job.privacy.min_count;
    let s = substitute(k) as f64;
    let m = table.months.len();
    let weighted = s * mean_recency_weight(&table.months, job);
    let mut summary = ProtectionSummary::default();
    for (i, r) in table.rows.iter_mut().enumerate() {
        if is_small(r.victims().round() as u64, k) {
            summary.small_victim_villages += 1;
            // The substitute is recorded under TPPO: the split by crime is not published.
            r.victims_tppo = s;
            r.victims_tppm = 0.0;
            r.victims_weighted = weighted;
            if m > 0 {
                table.victims_monthly[i * m..(i + 1) * m].fill((s / m as f64) as f32);
            }
        }
        if is_small(r.cases() as u64, k) {
            summary.small_case_villages += 1;
            r.cases_tppo = substitute(k);
            r.cases_tppm = 0;
        }
    }
    summary
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::village_table::VillageStats;
    use chrono::NaiveDate;

    const JOB: &str = "as_of = \"2025-11-30\"\nwindow_months = 3\n[model]\ncase_half_life_months = 1.0\n[inputs]\nvillages = \"v\"\ndepartures = \"d\"\ndesa_binaan = \"b\"\noutreach = \"o\"\ncases = \"c\"\n";

    fn table(victims: &[(f64, f64)], monthly: &[[f32; 3]]) -> VillageTable {
        let months: Vec<NaiveDate> = [9, 10, 11]
            .iter()
            .map(|&mo| NaiveDate::from_ymd_opt(2025, mo, 1).unwrap())
            .collect();
        VillageTable {
            rows: victims
                .iter()
                .map(|&(v, w)| VillageStats {
                    victims_tppo: v,
                    victims_weighted: w,
                    cases_tppo: v as u32,
                    ..Default::default()
                })
                .collect(),
            month_share: vec![1.0; 3],
            trend_split: crate::village_table::TrendSplit {
                recent: vec![0.0, 1.0, 1.0],
                earlier: vec![1.0, 0.0, 0.0],
                recent_months: 1.0,
                earlier_months: 2.0,
            },
            months,
            departures_monthly: vec![0.0; 3 * victims.len()],
            nonprocedural_monthly: vec![0.0; 3 * victims.len()],
            channel_known_monthly: vec![0.0; 3 * victims.len()],
            victims_monthly: monthly.iter().flatten().copied().collect(),
        }
    }

    #[test]
    fn mean_weight_by_hand() {
        // Half-life 1 month; ages at Sep 15, Oct 15, Nov 15 to Nov 30: 76, 46, 15 days,
        // i.e. 2.4969, 1.5113, 0.4928 months → weights 0.1774, 0.3506, 0.7105; mean 0.4128.
        let job = Job::from_toml_str(JOB).unwrap();
        let t = table(&[], &[]);
        let w = mean_recency_weight(&t.months, &job);
        let by_hand = (0.5f64.powf(76.0 / 30.4375)
            + 0.5f64.powf(46.0 / 30.4375)
            + 0.5f64.powf(15.0 / 30.4375))
            / 3.0;
        assert!((w - by_hand).abs() < 1e-12);
        assert!((w - 0.4128).abs() < 1e-4, "{w}");
    }

    #[test]
    fn a_small_village_is_modelled_the_same_whatever_its_count_and_timing() {
        let job = Job::from_toml_str(JOB).unwrap();
        // Villages: 3 victims last month, 4 victims three months ago, 12 victims, none.
        let mut a = table(
            &[(3.0, 2.1), (4.0, 0.7), (12.0, 6.0), (0.0, 0.0)],
            &[[0.0, 0.0, 3.0], [4.0, 0.0, 0.0], [4.0, 4.0, 4.0], [0.0; 3]],
        );
        let s = protect_case_counts(&mut a, &job);
        assert_eq!(
            s,
            ProtectionSummary {
                small_victim_villages: 2,
                small_case_villages: 2
            }
        );
        assert_eq!(
            a.rows[0], a.rows[1],
            "the two small villages are indistinguishable"
        );
        assert_eq!(a.victims_series(0), a.victims_series(1));
        assert_eq!(a.rows[0].victims(), 5.0);
        assert!(
            (a.rows[0].victims_weighted - 5.0 * mean_recency_weight(&a.months, &job)).abs() < 1e-12
        );
        assert_eq!(a.rows[2].victims(), 12.0, "a count of k or more is kept");
        assert_eq!(a.rows[2].victims_weighted, 6.0);
        assert_eq!(a.rows[3].victims(), 0.0, "zero is kept");
    }
}
