//! The composite risk score on 0–10, in the style of the INFORM risk index.
//!
//! 1. Transform each indicator (ln(1 + x) for rates) and normalise it to 0–10 over the
//!    villages that have a value: min–max by default, or percentile rank.
//! 2. Dimension score = weighted arithmetic mean of its available indicator scores (weights
//!    re-normalised over what is available).
//! 3. Risk = weighted geometric mean across dimensions, computed as
//!    Π (d_k + 1)^(w_k / Σw) − 1 so a zero in one dimension does not erase the other
//!    (INFORM's 0–10 scale with a +1 shift), or the weighted arithmetic mean.
//!
//! Contributions split each village's risk over its indicators so they add up to the score:
//! arithmetic: c_ind = (w_dim/Σw_dim)(w_ind/Σw_ind) · score_ind; geometric: a dimension gets
//! the share (w_k/Σw) ln(d_k + 1) / ln(risk + 1) of the risk, split within the dimension in
//! proportion to w_ind · score_ind.

use crate::indicators::{Dimension, INDICATORS, Transform};
use rawan_core::settings::Aggregation;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Normalisation {
    MinMax,
    PercentileRank,
}

#[derive(Debug, Clone)]
pub struct CompositeConfig {
    pub indicator_weights: [f64; 5],
    /// Exposure, hazard.
    pub dimension_weights: [f64; 2],
    pub aggregation: Aggregation,
    pub normalisation: Normalisation,
}

/// Scores of every village.
#[derive(Debug, Clone, PartialEq)]
pub struct Composite {
    /// Normalised indicator scores 0–10, `[indicator][village]`.
    pub scores: Vec<Vec<Option<f64>>>,
    /// Dimension scores 0–10, `[dimension][village]`.
    pub dimensions: Vec<Vec<Option<f64>>>,
    pub risk: Vec<Option<f64>>,
    /// Contribution of each indicator to the risk, `[indicator][village]`; sums to risk.
    pub contributions: Vec<Vec<Option<f64>>>,
    /// Indicators that were missing per village (keys).
    pub missing: Vec<Vec<&'static str>>,
}

fn transform(t: Transform, v: f64) -> f64 {
    match t {
        Transform::None => v,
        Transform::Log1p => v.max(0.0).ln_1p(),
    }
}

/// Normalises to 0–10 over the available values. A constant indicator scores 0 everywhere.
pub fn normalise(values: &[Option<f64>], t: Transform, how: Normalisation) -> Vec<Option<f64>> {
    let tv: Vec<Option<f64>> = values.iter().map(|v| v.map(|x| transform(t, x))).collect();
    match how {
        Normalisation::MinMax => {
            let (lo, hi) = tv
                .iter()
                .flatten()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
                    (lo.min(v), hi.max(v))
                });
            let range = hi - lo;
            tv.iter()
                .map(|v| {
                    v.map(|x| {
                        if range > 0.0 {
                            10.0 * (x - lo) / range
                        } else {
                            0.0
                        }
                    })
                })
                .collect()
        }
        Normalisation::PercentileRank => {
            let mut sorted: Vec<f64> = tv.iter().flatten().copied().collect();
            sorted.sort_by(f64::total_cmp);
            let m = sorted.len();
            tv.iter()
                .map(|v| {
                    v.map(|x| {
                        if m < 2 {
                            return 0.0;
                        }
                        // Mid-rank of ties: (count below + (count equal − 1)/2) / (m − 1).
                        let below = sorted.partition_point(|&s| s < x);
                        let upto = sorted.partition_point(|&s| s <= x);
                        10.0 * (below as f64 + (upto - below - 1) as f64 / 2.0) / (m - 1) as f64
                    })
                })
                .collect()
        }
    }
}

/// Weighted arithmetic mean of village i's available indicator scores in `dim`.
pub fn dimension_score(
    scores: &[Vec<Option<f64>>],
    weights: &[f64; 5],
    dim: Dimension,
    i: usize,
) -> Option<f64> {
    dimension_mean(weights, dim, |k| scores[k][i])
}

/// Weighted arithmetic mean of the available scores (`score(k)` for indicator k) in `dim`,
/// weights re-normalised over what is available.
pub fn dimension_mean(
    weights: &[f64; 5],
    dim: Dimension,
    score: impl Fn(usize) -> Option<f64>,
) -> Option<f64> {
    let (mut num, mut den) = (0.0, 0.0);
    for (k, ind) in INDICATORS.iter().enumerate() {
        if ind.dimension == dim
            && let Some(s) = score(k)
        {
            num += weights[k] * s;
            den += weights[k];
        }
    }
    (den > 0.0).then(|| num / den)
}

/// Risk from dimension scores: `(dimension weight, score)` pairs with positive weights.
pub fn aggregate(dims: &[(f64, f64)], aggregation: Aggregation) -> Option<f64> {
    let ordered = aggregate_before_exp(dims, aggregation)?;
    Some(match aggregation {
        Aggregation::Arithmetic => ordered,
        Aggregation::Geometric => ordered.exp() - 1.0,
    })
}

/// [`aggregate`] without its last step for geometric aggregation: ln(risk + 1), the weighted
/// mean of ln(d + 1). It orders villages exactly as the risk does (exp is increasing), which
/// is all a ranking needs.
pub fn aggregate_before_exp(dims: &[(f64, f64)], aggregation: Aggregation) -> Option<f64> {
    let wsum: f64 = dims.iter().map(|(w, _)| w).sum();
    if dims.is_empty() || wsum <= 0.0 {
        return None;
    }
    Some(match aggregation {
        Aggregation::Arithmetic => dims.iter().map(|(w, v)| w / wsum * v).sum::<f64>(),
        Aggregation::Geometric => dims
            .iter()
            .map(|(w, v)| w / wsum * (v + 1.0).ln())
            .sum::<f64>(),
    })
}

/// Computes scores, dimensions, risk and contributions.
pub fn composite(raw: &[Vec<Option<f64>>], cfg: &CompositeConfig) -> Composite {
    let n = raw.first().map(|v| v.len()).unwrap_or(0);
    let scores: Vec<Vec<Option<f64>>> = INDICATORS
        .iter()
        .zip(raw)
        .map(|(ind, v)| normalise(v, ind.transform, cfg.normalisation))
        .collect();
    let mut dimensions = vec![vec![None; n]; 2];
    let mut risk = vec![None; n];
    let mut contributions = vec![vec![None; n]; INDICATORS.len()];
    let mut missing = vec![Vec::new(); n];
    for i in 0..n {
        for (k, ind) in INDICATORS.iter().enumerate() {
            if scores[k][i].is_none() {
                missing[i].push(ind.key);
            }
        }
        for (d, dim) in Dimension::ALL.iter().enumerate() {
            dimensions[d][i] = dimension_score(&scores, &cfg.indicator_weights, *dim, i);
        }
        let avail: Vec<(usize, f64)> = (0..2)
            .filter_map(|d| dimensions[d][i].map(|v| (d, v)))
            .filter(|(d, _)| cfg.dimension_weights[*d] > 0.0)
            .collect();
        let pairs: Vec<(f64, f64)> = avail
            .iter()
            .map(|&(d, v)| (cfg.dimension_weights[d], v))
            .collect();
        let Some(r) = aggregate(&pairs, cfg.aggregation) else {
            continue;
        };
        let wsum: f64 = pairs.iter().map(|(w, _)| w).sum();
        risk[i] = Some(r);
        // Contributions: the dimension's part of r, split within the dimension.
        for &(d, v) in &avail {
            let part = match cfg.aggregation {
                Aggregation::Arithmetic => cfg.dimension_weights[d] / wsum * v,
                Aggregation::Geometric => {
                    if r > 0.0 {
                        r * (cfg.dimension_weights[d] / wsum * (v + 1.0).ln()) / (r + 1.0).ln()
                    } else {
                        0.0
                    }
                }
            };
            let members: Vec<(usize, f64)> = INDICATORS
                .iter()
                .enumerate()
                .filter(|(_, ind)| ind.dimension == Dimension::ALL[d])
                .filter_map(|(k, _)| scores[k][i].map(|s| (k, cfg.indicator_weights[k] * s)))
                .collect();
            let total: f64 = members.iter().map(|m| m.1).sum();
            for (k, ws) in members {
                contributions[k][i] = Some(if total > 0.0 { part * ws / total } else { 0.0 });
            }
        }
    }
    Composite {
        scores,
        dimensions,
        risk,
        contributions,
        missing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(aggregation: Aggregation) -> CompositeConfig {
        CompositeConfig {
            indicator_weights: [0.5, 0.3, 0.2, 0.7, 0.3],
            dimension_weights: [0.5, 0.5],
            aggregation,
            normalisation: Normalisation::MinMax,
        }
    }

    /// Three villages, indicators chosen so transformed values are simple.
    /// departure_rate (log1p): e−1, e²−1, 0 -> ln: 1, 2, 0 -> min-max: 5, 10, 0
    /// share (none): 0.2, 0.6, 1.0 -> 0, 5, 10
    /// trend: 0, 0, 0 -> constant -> 0, 0, 0
    /// victim_rate (log1p): 0, e−1, e³−1 -> 0, 1, 3 -> 0, 3.333…, 10
    /// spillover: missing for village 2 (no neighbours); 0 and e−1 -> 0, 10.
    fn raw() -> Vec<Vec<Option<f64>>> {
        let e = std::f64::consts::E;
        vec![
            vec![Some(e - 1.0), Some(e * e - 1.0), Some(0.0)],
            vec![Some(0.2), Some(0.6), Some(1.0)],
            vec![Some(0.0); 3],
            vec![Some(0.0), Some(e - 1.0), Some(e.powi(3) - 1.0)],
            vec![Some(0.0), Some(e - 1.0), None],
        ]
    }

    #[test]
    fn hand_computed_arithmetic() {
        let c = composite(&raw(), &cfg(Aggregation::Arithmetic));
        // Village 1: exposure = (0.5·10 + 0.3·5 + 0.2·0) / 1.0 = 6.5
        //            hazard   = (0.7·10/3 + 0.3·10) / 1.0 = 7/3 + 3 = 16/3
        //            risk     = 0.5·6.5 + 0.5·16/3 = 3.25 + 8/3
        let r1 = c.risk[1].unwrap();
        assert!((c.dimensions[0][1].unwrap() - 6.5).abs() < 1e-12);
        assert!((c.dimensions[1][1].unwrap() - 16.0 / 3.0).abs() < 1e-12);
        assert!((r1 - (3.25 + 8.0 / 3.0)).abs() < 1e-12);
        // Village 2: spillover missing -> hazard = victim score alone = 10.
        assert!((c.dimensions[1][2].unwrap() - 10.0).abs() < 1e-12);
        assert_eq!(c.missing[2], vec!["victim_spillover"]);
        // Contributions add up to the risk.
        for i in 0..3 {
            let s: f64 = c.contributions.iter().filter_map(|v| v[i]).sum();
            assert!((s - c.risk[i].unwrap()).abs() < 1e-12);
        }
        // Village 1's departure-rate contribution: 0.5 · 0.5 · 10 = 2.5.
        assert!((c.contributions[0][1].unwrap() - 2.5).abs() < 1e-12);
    }

    #[test]
    fn hand_computed_geometric() {
        let c = composite(&raw(), &cfg(Aggregation::Geometric));
        // Village 1: sqrt((6.5 + 1)(16/3 + 1)) − 1
        let want = ((7.5f64) * (19.0 / 3.0)).sqrt() - 1.0;
        assert!((c.risk[1].unwrap() - want).abs() < 1e-12);
        // Village 0: exposure = (0.5·5 + 0.3·0)/1 = 2.5, hazard = 0 -> sqrt(3.5 · 1) − 1.
        assert!((c.risk[0].unwrap() - (3.5f64.sqrt() - 1.0)).abs() < 1e-12);
        for i in 0..3 {
            let s: f64 = c.contributions.iter().filter_map(|v| v[i]).sum();
            assert!((s - c.risk[i].unwrap()).abs() < 1e-9);
        }
    }

    #[test]
    fn percentile_rank_handles_ties() {
        let v = normalise(
            &[Some(1.0), Some(1.0), Some(3.0), None],
            Transform::None,
            Normalisation::PercentileRank,
        );
        // m = 3: the two 1s share mid-rank 0.5 -> 10·0.5/2 = 2.5; the 3 -> 10.
        assert_eq!(v, vec![Some(2.5), Some(2.5), Some(10.0), None]);
    }
}
