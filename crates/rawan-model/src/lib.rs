//! The risk model: the per-village table that joins every input over the job's window
//! ([`village_table`]), the indicators with their formulas ([`indicators`]),
//! empirical-Bayes smoothing ([`eb`]), the INFORM-style composite score with per-indicator
//! contributions ([`composite`]), coverage by desa binaan and outreach ([`coverage`]), and the
//! Monte Carlo over weights and choices that says how stable a ranking is ([`uncertainty`]),
//! the statistical audit of the index ([`audit`]), and what a published run's model may see
//! of the case file ([`protect`]).
//!
//! Formulas and defaults are stated in `docs/methodology.md`; every function here is pure.

pub mod audit;
pub mod callaway_santanna;
pub mod composite;
pub mod coverage;
pub mod eb;
pub mod history;
pub mod indicators;
pub mod modus;
pub mod programme_effect;
pub mod protect;
pub mod uncertainty;
pub mod village_table;

pub use composite::{Composite, CompositeConfig, Normalisation, composite};
pub use indicators::{IndicatorSet, IndicatorValues};
pub use village_table::{VillageStats, VillageTable};

use rawan_core::{Inputs, Job};
use rawan_spatial::Weights;

/// Everything the risk model gives a run, village by village in the order of the inputs.
pub struct Scored {
    /// The joined table (protected in a published run: see [`protect`]).
    pub table: VillageTable,
    /// The run's indicators: the built-in five, then the job's own.
    pub set: IndicatorSet,
    pub indicators: IndicatorValues,
    /// The composite's settings as the job gives them (the Monte Carlo varies them).
    pub config: CompositeConfig,
    pub composite: Composite,
    /// Correlations and consistency of the index (JRC COIN).
    pub audit: audit::Audit,
    pub risk_rank: Vec<u32>,
    pub coverage: Vec<f64>,
    pub gap: Vec<Option<f64>>,
}

/// The model stage: join, protect small case counts unless `restricted`, indicators, the
/// composite score and its ranks, coverage and the coverage gap. `stage` is told when the
/// join ends and the scoring begins (for progress).
pub fn score(
    inputs: &Inputs,
    w: &Weights,
    job: &Job,
    restricted: bool,
    stage: &mut dyn FnMut(&str),
) -> Scored {
    stage("joining per village");
    let mut table = village_table::join(inputs, job);
    // A published run's model sees small case counts only as their substitute.
    if !restricted {
        protect::protect_case_counts(&mut table, job);
    }
    stage("risk model");
    let set = IndicatorSet::from_job(job);
    let indicators = indicators::compute(&table, w, job, inputs);
    let config = CompositeConfig::from_job(job, &set);
    let composite = composite(&indicators.values, &config);
    let audit = audit::audit(&composite, &config);
    let risk_rank = rank_desc(&composite.risk);
    let coverage = coverage::coverage(inputs, &table, job);
    let gap = coverage::coverage_gap(&composite.risk, &coverage);
    Scored {
        table,
        set,
        indicators,
        config,
        composite,
        audit,
        risk_rank,
        coverage,
        gap,
    }
}

/// 1-based ranks, highest value first; villages without a value rank after all others; ties
/// broken by the village order (ascending code), so ranks are deterministic.
///
/// ```
/// assert_eq!(rawan_model::rank_desc(&[Some(2.0), None, Some(5.0), Some(2.0)]), vec![2, 4, 1, 3]);
/// ```
pub fn rank_desc(values: &[Option<f64>]) -> Vec<u32> {
    RankScratch::default().rank_desc(values.iter().copied())
}

/// The sort buffers of [`rank_desc`], kept between calls by callers that rank many times.
#[derive(Default)]
pub struct RankScratch {
    keys: Vec<u64>,
    order: Vec<(u32, u32)>,
}

impl RankScratch {
    /// Ranks as [`rank_desc`] does, reusing these buffers.
    ///
    /// Each value becomes a 64-bit key that orders as the value does, highest first (its
    /// bits made a total order, flipped; None last). The villages are sorted by the key's
    /// high half with a stable LSD radix sort (8-byte items, four passes: the Monte Carlo
    /// ranks every village 200 times, where sorting was most of its cost), then each run of
    /// equal high halves by (low half, village): together, by the whole key, ties in village
    /// order.
    pub fn rank_desc(&mut self, values: impl Iterator<Item = Option<f64>>) -> Vec<u32> {
        self.fill_keys(values);
        let mut rank = vec![0; self.keys.len()];
        self.rank_keys_into(&mut rank);
        rank
    }

    /// [`RankScratch::rank_desc`] into `rank` (one value per slot), so that a caller ranking
    /// many times writes where the ranks are kept instead of into a new vector each time.
    pub fn rank_desc_into(&mut self, values: impl Iterator<Item = Option<f64>>, rank: &mut [u32]) {
        self.fill_keys(values);
        assert_eq!(self.keys.len(), rank.len(), "one rank per value");
        self.rank_keys_into(rank);
    }

    fn fill_keys(&mut self, values: impl Iterator<Item = Option<f64>>) {
        self.keys.clear();
        self.keys.extend(values.map(Self::key));
    }

    /// The sort key of a value: its bits made a total order, flipped (highest first), None
    /// last.
    fn key(v: Option<f64>) -> u64 {
        match v {
            Some(x) => {
                let b = x.to_bits();
                let ordered = if b >> 63 == 1 { !b } else { b | (1 << 63) };
                !ordered
            }
            None => u64::MAX,
        }
    }

    fn rank_keys_into(&mut self, rank: &mut [u32]) {
        let keys = &self.keys;
        self.order.clear();
        self.order.extend(
            keys.iter()
                .enumerate()
                .map(|(i, k)| ((k >> 32) as u32, i as u32)),
        );
        radsort::sort_by_key(&mut self.order, |&(high, _)| high);
        let mut start = 0;
        while start < self.order.len() {
            let high = self.order[start].0;
            let end = start
                + self.order[start..]
                    .iter()
                    .position(|&(h, _)| h != high)
                    .unwrap_or(self.order.len() - start);
            if end - start > 1 {
                self.order[start..end].sort_unstable_by_key(|&(_, i)| (keys[i as usize] as u32, i));
            }
            start = end;
        }
        for (r, &(_, i)) in self.order.iter().enumerate() {
            rank[i as usize] = r as u32 + 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ranks against a plain comparison sort (value descending by the total order, missing
    /// last, ties by village), on values with many exact ties, values that share their high
    /// 32 bits, signed zeros, negatives and missing values; one buffer reused across calls.
    #[test]
    fn ranks_match_a_comparison_sort() {
        let mut scratch = RankScratch::default();
        let mut state = 7u64;
        let mut next = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            state >> 11
        };
        for round in 0..20 {
            let n = 1 + (next() % 3000) as usize;
            let values: Vec<Option<f64>> = (0..n)
                .map(|_| match next() % 8 {
                    0 => None,
                    1 => Some(2.5),
                    2 => Some(if next() % 2 == 0 { 0.0 } else { -0.0 }),
                    3 => Some(f64::from_bits(2.5f64.to_bits() + next() % 4)),
                    4 => Some(-((next() % 100) as f64)),
                    _ => Some((next() % 1_000_000) as f64 / 1000.0),
                })
                .collect();
            let mut order: Vec<usize> = (0..n).collect();
            order.sort_by(|&a, &b| match (values[a], values[b]) {
                (Some(x), Some(y)) => y.total_cmp(&x).then(a.cmp(&b)),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => a.cmp(&b),
            });
            let mut want = vec![0u32; n];
            for (r, &i) in order.iter().enumerate() {
                want[i] = r as u32 + 1;
            }
            assert_eq!(
                scratch.rank_desc(values.iter().copied()),
                want,
                "round {round}"
            );
            let mut into = vec![u32::MAX; n];
            scratch.rank_desc_into(values.iter().copied(), &mut into);
            assert_eq!(into, want, "round {round}, into a slice");
        }
    }
}
