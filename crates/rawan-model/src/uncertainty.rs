//! How sure is the ranking? A Monte Carlo over the modelling choices an analyst could
//! defend: every indicator and dimension weight multiplied by a factor drawn uniformly from
//! [1 − spread, 1 + spread], geometric or arithmetic aggregation (even odds), min–max or
//! percentile-rank normalisation (even odds). Each run ranks all villages; per village we
//! report the 5th and 95th percentile of its rank and the share of runs in which it is in
//! the top N. Run r draws from its own seeded stream, so results do not depend on threads.

use crate::composite::{CompositeConfig, Normalisation, composite};
use crate::rank_desc;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rawan_core::settings::Aggregation;
use rayon::prelude::*;

#[derive(Debug, Clone, PartialEq)]
pub struct RankUncertainty {
    pub rank_p05: Vec<u32>,
    pub rank_p95: Vec<u32>,
    pub p_top_n: Vec<f64>,
    pub runs: usize,
}

/// Nearest-rank percentile (p in 0–1): the k-th smallest value, k = ⌈p·len⌉ (at least 1).
/// Reorders `values` (a selection, not a full sort).
fn percentile(values: &mut [u32], p: f64) -> u32 {
    let k = ((p * values.len() as f64).ceil() as usize).clamp(1, values.len());
    *values.select_nth_unstable(k - 1).1
}

/// Risk per village from already-normalised indicator scores: the same arithmetic as
/// [`composite`] (which also computes contributions), without re-normalising every run.
pub fn risk_from_scores(scores: &[Vec<Option<f64>>], cfg: &CompositeConfig) -> Vec<Option<f64>> {
    use crate::composite::{aggregate, dimension_score};
    use crate::indicators::Dimension;
    let n = scores.first().map(|v| v.len()).unwrap_or(0);
    (0..n)
        .map(|i| {
            let mut pairs = [(0.0, 0.0); 2];
            let mut m = 0;
            for (d, dim) in Dimension::ALL.iter().enumerate() {
                if cfg.dimension_weights[d] > 0.0
                    && let Some(v) = dimension_score(scores, &cfg.indicator_weights, *dim, i)
                {
                    pairs[m] = (cfg.dimension_weights[d], v);
                    m += 1;
                }
            }
            aggregate(&pairs[..m], cfg.aggregation)
        })
        .collect()
}

pub fn rank_uncertainty(raw: &[Vec<Option<f64>>], base: &CompositeConfig, runs: usize, spread: f64, top_n: usize, seed: u64) -> RankUncertainty {
    use crate::composite::normalise;
    use crate::indicators::INDICATORS;
    let n = raw.first().map(|v| v.len()).unwrap_or(0);
    if runs == 0 || n == 0 {
        let r = rank_desc(&composite(raw, base).risk);
        return RankUncertainty { rank_p05: r.clone(), rank_p95: r, p_top_n: vec![0.0; n], runs: 0 };
    }
    // Normalisation does not depend on the weights: do both once.
    let minmax: Vec<Vec<Option<f64>>> = INDICATORS.iter().zip(raw).map(|(ind, v)| normalise(v, ind.transform, Normalisation::MinMax)).collect();
    let prank: Vec<Vec<Option<f64>>> = INDICATORS.iter().zip(raw).map(|(ind, v)| normalise(v, ind.transform, Normalisation::PercentileRank)).collect();
    let ranks: Vec<Vec<u32>> = (0..runs)
        .into_par_iter()
        .map(|r| {
            let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0xC0FFEE ^ (r as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
            let mut cfg = base.clone();
            for w in cfg.indicator_weights.iter_mut().chain(cfg.dimension_weights.iter_mut()) {
                *w *= rng.random_range(1.0 - spread..=1.0 + spread);
            }
            cfg.aggregation = if rng.random::<bool>() { Aggregation::Geometric } else { Aggregation::Arithmetic };
            cfg.normalisation = if rng.random::<bool>() { Normalisation::MinMax } else { Normalisation::PercentileRank };
            let scores = if cfg.normalisation == Normalisation::MinMax { &minmax } else { &prank };
            rank_desc(&risk_from_scores(scores, &cfg))
        })
        .collect();
    let per_village: Vec<(u32, u32, f64)> = (0..n)
        .into_par_iter()
        .map(|i| {
            let mut v: Vec<u32> = ranks.iter().map(|r| r[i]).collect();
            let top = v.iter().filter(|&&x| x as usize <= top_n).count() as f64 / runs as f64;
            (percentile(&mut v, 0.05), percentile(&mut v, 0.95), top)
        })
        .collect();
    RankUncertainty {
        rank_p05: per_village.iter().map(|x| x.0).collect(),
        rank_p95: per_village.iter().map(|x| x.1).collect(),
        p_top_n: per_village.iter().map(|x| x.2).collect(),
        runs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_village_that_dominates_every_indicator_is_always_first() {
        // Village 0 is highest on everything; the rest are noise below it.
        let n = 30;
        let raw: Vec<Vec<Option<f64>>> = (0..5).map(|k| (0..n).map(|i| Some(if i == 0 { 100.0 } else { ((i * 7 + k * 3) % 11) as f64 })).collect()).collect();
        let base = CompositeConfig {
            indicator_weights: [0.5, 0.3, 0.2, 0.7, 0.3],
            dimension_weights: [0.5, 0.5],
            aggregation: Aggregation::Geometric,
            normalisation: Normalisation::MinMax,
        };
        let u = rank_uncertainty(&raw, &base, 100, 0.5, 5, 42);
        assert_eq!((u.rank_p05[0], u.rank_p95[0], u.p_top_n[0]), (1, 1, 1.0));
        assert!(u.rank_p05.iter().zip(&u.rank_p95).all(|(a, b)| a <= b));
        assert_eq!(u, rank_uncertainty(&raw, &base, 100, 0.5, 5, 42), "seeded");
    }

    #[test]
    fn the_fast_risk_is_the_composites_risk() {
        let raw: Vec<Vec<Option<f64>>> =
            (0..5).map(|k| (0..40).map(|i| if (i + k) % 7 == 0 { None } else { Some(((i * 13 + k * 5) % 17) as f64) }).collect()).collect();
        for aggregation in [Aggregation::Geometric, Aggregation::Arithmetic] {
            for normalisation in [Normalisation::MinMax, Normalisation::PercentileRank] {
                let cfg = CompositeConfig { indicator_weights: [0.4, 0.1, 0.3, 0.9, 0.2], dimension_weights: [0.3, 0.7], aggregation, normalisation };
                let full = composite(&raw, &cfg);
                assert_eq!(risk_from_scores(&full.scores, &cfg), full.risk);
            }
        }
    }

    #[test]
    fn nearest_rank_percentile() {
        let mut v: Vec<u32> = (1..=20).rev().collect();
        assert_eq!(percentile(&mut v, 0.05), 1);
        assert_eq!(percentile(&mut v, 0.95), 19);
        let mut three = [30, 10, 20];
        assert_eq!(percentile(&mut three, 0.5), 20);
        assert_eq!(percentile(&mut three, 0.0), 10);
        assert_eq!(percentile(&mut three, 1.0), 30);
    }
}
