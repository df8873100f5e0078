//! How sure is the ranking? A Monte Carlo over the modelling choices an analyst could
//! defend: every indicator and dimension weight multiplied by a factor drawn uniformly from
//! [1 − spread, 1 + spread], geometric or arithmetic aggregation (even odds), min–max or
//! percentile-rank normalisation (even odds). Each run ranks all villages; per village we
//! report the 5th and 95th percentile of its rank and the share of runs in which it is in
//! the top N. Run r draws from its own seeded stream, so results do not depend on threads.

use crate::composite::{CompositeConfig, Normalisation, composite};
use crate::indicators::Dimension;
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

/// Most indicators a run may have (the presence bits of a village fit one word).
pub const MAX_INDICATORS: usize = 64;

/// Which indicators make up each dimension that counts, laid out as the packed scores are:
/// dimension by dimension (in `Dimension::ALL` order), its indicators in the run's order.
/// Summing in that order is summing as `composite::dimension_mean` does, so the results
/// are the same bits.
#[derive(Clone)]
struct Layout {
    /// Indicator of each packed slot.
    order: Vec<usize>,
    /// Per dimension that counts: its index in `Dimension::ALL`, first slot, slot count.
    groups: Vec<(usize, usize, usize)>,
}

impl Layout {
    fn new(cfg: &CompositeConfig) -> Layout {
        let (mut order, mut groups) = (Vec::new(), Vec::new());
        for d in cfg.dimensions() {
            let start = order.len();
            order.extend((0..cfg.indicators.len()).filter(|&j| cfg.indicators[j].dimension == d));
            groups.push((d.index(), start, order.len() - start));
        }
        Layout { order, groups }
    }
}

/// Every village's normalised scores, packed for the Monte Carlo's 200 passes in the
/// [`Layout`]'s slots: village i's are `scores[i·k..(i+1)·k]`, bit t of `present[i]` set
/// when slot t has a score.
struct Packed {
    k: usize,
    scores: Vec<f64>,
    present: Vec<u64>,
    /// The presence bits of a village with every score.
    full: u64,
}

fn pack(scores: &[Vec<Option<f64>>], layout: &Layout) -> Packed {
    let k = layout.order.len();
    assert!(k <= MAX_INDICATORS, "at most {MAX_INDICATORS} indicators");
    let n = scores.first().map(|v| v.len()).unwrap_or(0);
    let mut p = Packed {
        k,
        scores: vec![0.0; n * k],
        present: vec![0; n],
        full: if k == 64 { u64::MAX } else { (1 << k) - 1 },
    };
    for (t, &j) in layout.order.iter().enumerate() {
        for (i, v) in scores[j].iter().enumerate() {
            if let Some(s) = v {
                p.scores[i * k + t] = *s;
                p.present[i] |= 1 << t;
            }
        }
    }
    p
}

/// One run's weights in the layout's slots, its dimension weights per group, and each
/// group's share w_g / Σw for a village that has every score (most villages: their shares
/// are the same every time, computed as `aggregate_before_exp` computes them).
struct RunWeights {
    slot: Vec<f64>,
    group: Vec<f64>,
    share: Vec<f64>,
}

impl RunWeights {
    fn new(cfg: &CompositeConfig, layout: &Layout) -> RunWeights {
        let group: Vec<f64> = layout
            .groups
            .iter()
            .map(|&(d, _, _)| cfg.dimension_weights[d])
            .collect();
        let wsum: f64 = group.iter().sum();
        RunWeights {
            slot: layout
                .order
                .iter()
                .map(|&j| cfg.indicator_weights[j])
                .collect(),
            share: group.iter().map(|w| w / wsum).collect(),
            group,
        }
    }
}

/// A value that orders villages exactly as their risk under `cfg` does: the risk for
/// arithmetic aggregation, ln(risk + 1) for geometric (one exp less per village and run).
/// The same arithmetic as [`crate::composite::composite`], on the packed scores of village i.
fn ranking_value(
    p: &Packed,
    i: usize,
    layout: &Layout,
    w: &RunWeights,
    aggregation: Aggregation,
) -> Option<f64> {
    use crate::composite::aggregate_before_exp;
    let (scores, present) = (&p.scores[i * p.k..(i + 1) * p.k], p.present[i]);
    if present == p.full && !layout.groups.is_empty() {
        // Every score present: every group counts, with the run's fixed shares.
        let mean = |&(_, start, len): &(usize, usize, usize)| {
            let (mut num, mut den) = (0.0, 0.0);
            let slots = start..start + len;
            for (weight, score) in w.slot[slots.clone()].iter().zip(&scores[slots]) {
                num += weight * score;
                den += weight;
            }
            num / den
        };
        let groups = layout.groups.iter().zip(&w.share);
        return Some(match aggregation {
            Aggregation::Arithmetic => groups.map(|(g, f)| f * mean(g)).sum::<f64>(),
            Aggregation::Geometric => groups.map(|(g, f)| f * (mean(g) + 1.0).ln()).sum::<f64>(),
        });
    }
    let mut pairs = [(0.0, 0.0); 4];
    let mut m = 0;
    for (g, &(_, start, len)) in layout.groups.iter().enumerate() {
        let (mut num, mut den) = (0.0, 0.0);
        let slots = start..start + len;
        for (t, (weight, score)) in slots
            .clone()
            .zip(w.slot[slots.clone()].iter().zip(&scores[slots]))
        {
            if present & (1 << t) != 0 {
                num += weight * score;
                den += weight;
            }
        }
        if den > 0.0 {
            pairs[m] = (w.group[g], num / den);
            m += 1;
        }
    }
    aggregate_before_exp(&pairs[..m], aggregation)
}

pub fn rank_uncertainty(
    raw: &[Vec<Option<f64>>],
    base: &CompositeConfig,
    runs: usize,
    spread: f64,
    top_n: usize,
    seed: u64,
) -> RankUncertainty {
    use crate::composite::score;
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
    let layout = Layout::new(base);
    let normalised = |how| {
        pack(
            &base
                .indicators
                .iter()
                .zip(raw)
                .map(|(shape, v)| score(v, *shape, how))
                .collect::<Vec<_>>(),
            &layout,
        )
    };
    // The dimensions whose weights are drawn: those with indicators (a job without the
    // analyst's dimensions draws exactly what it drew before they existed).
    let drawn_dimensions: Vec<usize> = Dimension::ALL
        .into_iter()
        .filter(|d| base.indicators.iter().any(|s| s.dimension == *d))
        .map(|d| d.index())
        .collect();
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
            for w in cfg.indicator_weights.iter_mut() {
                *w *= rng.random_range(1.0 - spread..=1.0 + spread);
            }
            for &d in &drawn_dimensions {
                cfg.dimension_weights[d] *= rng.random_range(1.0 - spread..=1.0 + spread);
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
            let w = RunWeights::new(&cfg, &layout);
            scratch.rank_desc_into(
                (0..n).map(|i| ranking_value(villages, i, &layout, &w, cfg.aggregation)),
                out,
            );
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
            indicators: crate::composite::tests::builtin_shapes(),
            indicator_weights: vec![0.5, 0.3, 0.2, 0.7, 0.3],
            dimension_weights: [0.5, 0.5, 0.5, 0.5],
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
        use crate::composite::Shape;
        use crate::indicators::{Direction, Transform};
        // The built-in five, then with two one-indicator dimensions (the analyst's), one of
        // them lower-is-riskier: every path of the packed arithmetic.
        let mut with_analysts = crate::composite::tests::builtin_shapes();
        with_analysts.push(Shape {
            dimension: Dimension::Vulnerability,
            transform: Transform::None,
            direction: Direction::HigherIsRiskier,
        });
        with_analysts.push(Shape {
            dimension: Dimension::CopingCapacity,
            transform: Transform::Log1p,
            direction: Direction::LowerIsRiskier,
        });
        for shapes in [crate::composite::tests::builtin_shapes(), with_analysts] {
            let k = shapes.len();
            let raw: Vec<Vec<Option<f64>>> = (0..k)
                .map(|j| {
                    (0..40)
                        .map(|i| {
                            if (i + j) % 7 == 0 {
                                None
                            } else {
                                Some(((i * 13 + j * 5) % 17) as f64)
                            }
                        })
                        .collect()
                })
                .collect();
            for aggregation in [Aggregation::Geometric, Aggregation::Arithmetic] {
                for normalisation in [Normalisation::MinMax, Normalisation::PercentileRank] {
                    let cfg = CompositeConfig {
                        indicators: shapes.clone(),
                        indicator_weights: [0.4, 0.1, 0.3, 0.9, 0.2, 0.7, 1.3][..k].to_vec(),
                        dimension_weights: [0.3, 0.7, 0.5, 0.4],
                        aggregation,
                        normalisation,
                    };
                    let full = composite(&raw, &cfg);
                    let layout = Layout::new(&cfg);
                    let packed = pack(&full.scores, &layout);
                    let w = RunWeights::new(&cfg, &layout);
                    let fast: Vec<Option<f64>> = (0..40)
                        .map(|i| {
                            ranking_value(&packed, i, &layout, &w, aggregation).map(|v| {
                                if aggregation == Aggregation::Geometric {
                                    v.exp() - 1.0
                                } else {
                                    v
                                }
                            })
                        })
                        .collect();
                    assert_eq!(fast, full.risk, "{k} indicators");
                }
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
