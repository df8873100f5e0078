//! How sure is the ranking? A Monte Carlo over the modelling choices an analyst could
//! defend: every indicator and dimension weight multiplied by a factor drawn uniformly from
//! [1 − spread, 1 + spread], geometric or arithmetic aggregation (even odds), min–max or
//! percentile-rank normalisation (even odds). Each run ranks all villages; per village we
//! report the 5th and 95th percentile of its rank and the share of runs in which it is in
//! the top N. Run r draws from its own seeded stream, so results do not depend on threads.

use crate::composite::{CompositeConfig, Normalisation, composite};
use crate::{RankScratch, rank_desc};
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

/// One village's normalised indicator scores, packed for the Monte Carlo's 200 passes.
#[derive(Clone, Copy)]
struct Packed {
    scores: [f64; 5],
    /// Bit k set when indicator k has a score.
    present: u8,
}

fn pack(scores: &[Vec<Option<f64>>]) -> Vec<Packed> {
    let n = scores.first().map(|v| v.len()).unwrap_or(0);
    (0..n)
        .map(|i| {
            let mut p = Packed {
                scores: [0.0; 5],
                present: 0,
            };
            for (k, column) in scores.iter().enumerate() {
                if let Some(s) = column[i] {
                    p.scores[k] = s;
                    p.present |= 1 << k;
                }
            }
            p
        })
        .collect()
}

/// A value that orders villages exactly as their risk under `cfg` does: the risk for
/// arithmetic aggregation, ln(risk + 1) for geometric (one exp less per village and run).
/// The same functions as [`crate::composite::composite`], on the packed scores.
fn ranking_value(p: &Packed, cfg: &CompositeConfig) -> Option<f64> {
    use crate::composite::{aggregate_before_exp, dimension_mean};
    use crate::indicators::Dimension;
    let mut pairs = [(0.0, 0.0); 2];
    let mut m = 0;
    for (d, dim) in Dimension::ALL.iter().enumerate() {
        if cfg.dimension_weights[d] > 0.0
            && let Some(v) = dimension_mean(&cfg.indicator_weights, *dim, |k| {
                (p.present & (1 << k) != 0).then_some(p.scores[k])
            })
        {
            pairs[m] = (cfg.dimension_weights[d], v);
            m += 1;
        }
    }
    aggregate_before_exp(&pairs[..m], cfg.aggregation)
}

pub fn rank_uncertainty(
    raw: &[Vec<Option<f64>>],
    base: &CompositeConfig,
    runs: usize,
    spread: f64,
    top_n: usize,
    seed: u64,
) -> RankUncertainty {
    use crate::composite::normalise;
    use crate::indicators::INDICATORS;
    let n = raw.first().map(|v| v.len()).unwrap_or(0);
    if runs == 0 || n == 0 {
        let r = rank_desc(&composite(raw, base).risk);
        return RankUncertainty {
            rank_p05: r.clone(),
            rank_p95: r,
            p_top_n: vec![0.0; n],
            runs: 0,
        };
    }
    // Normalisation does not depend on the weights: do both once.
    let normalised = |how| {
        pack(
            &INDICATORS
                .iter()
                .zip(raw)
                .map(|(ind, v)| normalise(v, ind.transform, how))
                .collect::<Vec<_>>(),
        )
    };
    let (minmax, prank) = (
        normalised(Normalisation::MinMax),
        normalised(Normalisation::PercentileRank),
    );
    // Every run's ranks, run after run in one allocation.
    let mut ranks = vec![0u32; runs * n];
    ranks
        .par_chunks_mut(n)
        .enumerate()
        .for_each_init(RankScratch::default, |scratch, (r, out)| {
            let mut rng = ChaCha8Rng::seed_from_u64(
                seed ^ 0xC0FFEE ^ (r as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15),
            );
            let mut cfg = base.clone();
            for w in cfg
                .indicator_weights
                .iter_mut()
                .chain(cfg.dimension_weights.iter_mut())
            {
                *w *= rng.random_range(1.0 - spread..=1.0 + spread);
            }
            cfg.aggregation = if rng.random::<bool>() {
                Aggregation::Geometric
            } else {
                Aggregation::Arithmetic
            };
            cfg.normalisation = if rng.random::<bool>() {
                Normalisation::MinMax
            } else {
                Normalisation::PercentileRank
            };
            let villages = if cfg.normalisation == Normalisation::MinMax {
                &minmax
            } else {
                &prank
            };
            scratch.rank_desc_into(villages.iter().map(|p| ranking_value(p, &cfg)), out);
        });
    // Per village: its rank in every run, gathered a block of villages at a time so the
    // reads along each run stay in cache.
    const BLOCK: usize = 256;
    // (The gathering buffer is kept per thread: a new one per block came as fresh pages.)
    let per_village: Vec<(u32, u32, f64)> = (0..n.div_ceil(BLOCK))
        .into_par_iter()
        .map_init(Vec::new, |block: &mut Vec<u32>, b| {
            let villages = b * BLOCK..((b + 1) * BLOCK).min(n);
            let width = villages.len();
            block.resize(width * runs, 0);
            for (r, run) in ranks.chunks_exact(n).enumerate() {
                for (o, &rank) in run[villages.clone()].iter().enumerate() {
                    block[o * runs + r] = rank;
                }
            }
            block
                .chunks_mut(runs)
                .map(|v| {
                    let top =
                        v.iter().filter(|&&x| x as usize <= top_n).count() as f64 / runs as f64;
                    (percentile(v, 0.05), percentile(v, 0.95), top)
                })
                .collect::<Vec<_>>()
        })
        .flatten_iter()
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
        let raw: Vec<Vec<Option<f64>>> = (0..5)
            .map(|k| {
                (0..n)
                    .map(|i| {
                        Some(if i == 0 {
                            100.0
                        } else {
                            ((i * 7 + k * 3) % 11) as f64
                        })
                    })
                    .collect()
            })
            .collect();
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
    fn the_ranking_value_is_the_composites_risk() {
        let raw: Vec<Vec<Option<f64>>> = (0..5)
            .map(|k| {
                (0..40)
                    .map(|i| {
                        if (i + k) % 7 == 0 {
                            None
                        } else {
                            Some(((i * 13 + k * 5) % 17) as f64)
                        }
                    })
                    .collect()
            })
            .collect();
        for aggregation in [Aggregation::Geometric, Aggregation::Arithmetic] {
            for normalisation in [Normalisation::MinMax, Normalisation::PercentileRank] {
                let cfg = CompositeConfig {
                    indicator_weights: [0.4, 0.1, 0.3, 0.9, 0.2],
                    dimension_weights: [0.3, 0.7],
                    aggregation,
                    normalisation,
                };
                let full = composite(&raw, &cfg);
                let fast: Vec<Option<f64>> = pack(&full.scores)
                    .iter()
                    .map(|p| {
                        ranking_value(p, &cfg).map(|v| {
                            if aggregation == Aggregation::Geometric {
                                v.exp() - 1.0
                            } else {
                                v
                            }
                        })
                    })
                    .collect();
                assert_eq!(fast, full.risk);
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
