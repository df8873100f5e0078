//! The risk model: the per-village table that joins every input over the job's window
//! ([`village_table`]), the indicators with their formulas ([`indicators`]),
//! empirical-Bayes smoothing ([`eb`]), the INFORM-style composite score with per-indicator
//! contributions ([`composite`]), coverage by desa binaan and outreach ([`coverage`]), and the
//! Monte Carlo over weights and choices that says how stable a ranking is ([`uncertainty`]).
//!
//! Formulas and defaults are stated in `docs/methodology.md`; every function here is pure.

pub mod composite;
pub mod coverage;
pub mod eb;
pub mod indicators;
pub mod uncertainty;
pub mod village_table;

pub use composite::{Composite, CompositeConfig, Normalisation, composite};
pub use indicators::{INDICATORS, Indicator, IndicatorValues};
pub use village_table::{VillageStats, VillageTable};

/// 1-based ranks, highest value first; villages without a value rank after all others; ties
/// broken by the village order (ascending code), so ranks are deterministic.
///
/// ```
/// assert_eq!(rawan_model::rank_desc(&[Some(2.0), None, Some(5.0), Some(2.0)]), vec![2, 4, 1, 3]);
/// ```
pub fn rank_desc(values: &[Option<f64>]) -> Vec<u32> {
    RankScratch::default().rank_desc(values.iter().copied())
}

/// The sort buffer of [`rank_desc`], kept between calls by callers that rank many times.
#[derive(Default)]
pub struct RankScratch {
    keyed: Vec<(u64, u32)>,
}

impl RankScratch {
    /// Ranks as [`rank_desc`] does, reusing this buffer.
    pub fn rank_desc(&mut self, values: impl Iterator<Item = Option<f64>>) -> Vec<u32> {
        // Sort (descending value, ascending index); missing values last.
        self.keyed.clear();
        self.keyed.extend(values.enumerate().map(|(i, v)| {
            // A total order on f64 as u64 bits, flipped so larger values sort first; None last.
            let key = match v {
                Some(x) => {
                    let b = x.to_bits();
                    let ordered = if b >> 63 == 1 { !b } else { b | (1 << 63) };
                    !ordered
                }
                None => u64::MAX,
            };
            (key, i as u32)
        }));
        // LSD radix sort (stable, so equal values keep ascending index): the Monte Carlo ranks
        // every village 200 times, where a comparison sort was most of its cost.
        radsort::sort_by_key(&mut self.keyed, |&(key, _)| key);
        let mut rank = vec![0u32; self.keyed.len()];
        for (r, &(_, i)) in self.keyed.iter().enumerate() {
            rank[i as usize] = r as u32 + 1;
        }
        rank
    }
}
