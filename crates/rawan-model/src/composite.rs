//! The composite risk score on 0–10, in the style of the INFORM risk index.
//!
//! 1. Transform each indicator (ln(1 + x) for rates) and normalise it to 0–10 over the
//!    villages that have a value: min–max by default, or percentile rank. An indicator for
//!    which lower is riskier scores 10 minus that.
//! 2. Dimension score = weighted arithmetic mean of its available indicator scores (weights
//!    re-normalised over what is available).
//! 3. Risk = weighted geometric mean across the dimensions present, computed as
//!    Π (d_k + 1)^(w_k / Σw) − 1 so a zero in one dimension does not erase the others
//!    (INFORM's 0–10 scale with a +1 shift), or the weighted arithmetic mean.
//!
//! Contributions split each village's risk over its indicators so they add up to the score:
//! arithmetic: c_ind = (w_dim/Σw_dim)(w_ind/Σw_ind) · score_ind; geometric: a dimension gets
//! the share (w_k/Σw) ln(d_k + 1) / ln(risk + 1) of the risk, split within the dimension in
//! proportion to w_ind · score_ind. A missing indicator contributes 0.

use crate::indicators::{Dimension, Direction, IndicatorSet, Transform};
use rawan_core::Job;
use rawan_core::settings::Aggregation;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Normalisation {
    MinMax,
    PercentileRank,
}

/// What the composite needs to know of one indicator.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shape {
    pub dimension: Dimension,
    pub transform: Transform,
    pub direction: Direction,
}

#[derive(Debug, Clone)]
pub struct CompositeConfig {
    /// One per indicator, in the run's indicator order.
    pub indicators: Vec<Shape>,
    pub indicator_weights: Vec<f64>,
    /// In [`Dimension::ALL`] order; a dimension without indicators is left out whatever its
    /// weight.
    pub dimension_weights: [f64; 4],
    pub aggregation: Aggregation,
    pub normalisation: Normalisation,
}

impl CompositeConfig {
    /// The job's settings for these indicators (min–max normalisation).
    pub fn from_job(job: &Job, set: &IndicatorSet) -> CompositeConfig {
        CompositeConfig {
            indicators: set
                .defs
                .iter()
                .map(|d| Shape {
                    dimension: d.dimension,
                    transform: d.transform,
                    direction: d.direction,
                })
                .collect(),
            indicator_weights: set.defs.iter().map(|d| d.weight).collect(),
            dimension_weights: Dimension::ALL.map(|d| job.model.dimension_weights.of(d)),
            aggregation: job.model.aggregation,
            normalisation: Normalisation::MinMax,
        }
    }

    /// The dimensions that count: those with an indicator and a positive weight.
    pub fn dimensions(&self) -> Vec<Dimension> {
        Dimension::ALL
            .into_iter()
            .filter(|d| {
                self.dimension_weights[d.index()] > 0.0
                    && self.indicators.iter().any(|s| s.dimension == *d)
            })
            .collect()
    }
}

/// Scores of every village.
#[derive(Debug, Clone, PartialEq)]
pub struct Composite {
    /// Normalised indicator scores 0–10, oriented so that higher is riskier,
    /// `[indicator][village]`.
    pub scores: Vec<Vec<Option<f64>>>,
    /// Dimension scores 0–10, `[dimension][village]` in [`Dimension::ALL`] order (`None`
    /// throughout for a dimension without indicators).
    pub dimensions: Vec<Vec<Option<f64>>>,
    pub risk: Vec<Option<f64>>,
    /// Contribution of each indicator to the risk, `[indicator][village]`; sums to risk.
    pub contributions: Vec<Vec<Option<f64>>>,
    /// Indicators that were missing per village (their positions in the run's order).
    pub missing: Vec<Vec<usize>>,
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

/// An indicator's scores: normalised, then turned round when lower is riskier (a constant
/// indicator still scores 0: it tells villages nothing apart).
pub fn score(values: &[Option<f64>], shape: Shape, how: Normalisation) -> Vec<Option<f64>> {
    let mut s = normalise(values, shape.transform, how);
    if shape.direction == Direction::LowerIsRiskier {
        let constant = {
            let mut present = s.iter().flatten();
            let first = present.next().copied();
            first.is_none_or(|f| present.all(|&v| v == f))
        };
        if !constant {
            for v in s.iter_mut().flatten() {
                *v = 10.0 - *v;
            }
        }
    }
    s
}

/// Weighted arithmetic mean of the available scores (`score(k)` for indicator k) in `dim`,
/// weights re-normalised over what is available.
pub fn dimension_mean(
    cfg: &CompositeConfig,
    dim: Dimension,
    score: impl Fn(usize) -> Option<f64>,
) -> Option<f64> {
    let (mut num, mut den) = (0.0, 0.0);
    for (k, shape) in cfg.indicators.iter().enumerate() {
        if shape.dimension == dim
            && let Some(s) = score(k)
        {
            num += cfg.indicator_weights[k] * s;
            den += cfg.indicator_weights[k];
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
    let scores: Vec<Vec<Option<f64>>> = cfg
        .indicators
        .iter()
        .zip(raw)
        .map(|(shape, v)| score(v, *shape, cfg.normalisation))
        .collect();
    let k_all = cfg.indicators.len();
    let counted = cfg.dimensions();
    let mut dimensions = vec![vec![None; n]; Dimension::ALL.len()];
    let mut risk = vec![None; n];
    let mut contributions = vec![vec![None; n]; k_all];
    let mut missing = vec![Vec::new(); n];
    for i in 0..n {
        for (k, column) in scores.iter().enumerate() {
            if column[i].is_none() {
                missing[i].push(k);
            }
        }
        for dim in Dimension::ALL {
            if cfg.indicators.iter().any(|s| s.dimension == dim) {
                dimensions[dim.index()][i] = dimension_mean(cfg, dim, |k| scores[k][i]);
            }
        }
        let avail: Vec<(Dimension, f64)> = counted
            .iter()
            .filter_map(|&d| dimensions[d.index()][i].map(|v| (d, v)))
            .collect();
        let pairs: Vec<(f64, f64)> = avail
            .iter()
            .map(|&(d, v)| (cfg.dimension_weights[d.index()], v))
            .collect();
        let Some(r) = aggregate(&pairs, cfg.aggregation) else {
            continue;
        };
        let wsum: f64 = pairs.iter().map(|(w, _)| w).sum();
        risk[i] = Some(r);
        for c in contributions.iter_mut() {
            c[i] = Some(0.0);
        }
        // Contributions: the dimension's part of r, split within the dimension.
        for &(d, v) in &avail {
            let w = cfg.dimension_weights[d.index()];
            let part = match cfg.aggregation {
                Aggregation::Arithmetic => w / wsum * v,
                Aggregation::Geometric => {
                    if r > 0.0 {
                        r * (w / wsum * (v + 1.0).ln()) / (r + 1.0).ln()
                    } else {
                        0.0
                    }
                }
            };
            let members: Vec<(usize, f64)> = (0..k_all)
                .filter(|&k| cfg.indicators[k].dimension == d)
                .filter_map(|k| scores[k][i].map(|s| (k, cfg.indicator_weights[k] * s)))
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
pub(crate) mod tests {
    use super::*;

    /// The built-in five: exposure (departure rate log1p, share, trend), hazard (victim
    /// rate log1p, spillover log1p).
    pub(crate) fn builtin_shapes() -> Vec<Shape> {
        use Dimension::*;
        use Transform::*;
        [
            (Exposure, Log1p),
            (Exposure, None),
            (Exposure, None),
            (Hazard, Log1p),
            (Hazard, Log1p),
        ]
        .map(|(dimension, transform)| Shape {
            dimension,
            transform,
            direction: Direction::HigherIsRiskier,
        })
        .to_vec()
    }

    fn cfg(aggregation: Aggregation) -> CompositeConfig {
        CompositeConfig {
            indicators: builtin_shapes(),
            indicator_weights: vec![0.5, 0.3, 0.2, 0.7, 0.3],
            dimension_weights: [0.5, 0.5, 0.5, 0.5],
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
        assert_eq!(c.missing[2], vec![4]);
        // A missing indicator contributes 0 (the village has a score), not nothing.
        assert_eq!(c.contributions[4][2], Some(0.0));
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

    /// The built-in five plus an analyst's vulnerability indicator (poverty, higher is
    /// riskier) and, for four dimensions, a coping-capacity one (school enrolment, lower is
    /// riskier, missing for village 2).
    fn with_analysts(
        coping: bool,
        aggregation: Aggregation,
    ) -> (CompositeConfig, Vec<Vec<Option<f64>>>) {
        let mut shapes = builtin_shapes();
        let mut raw = raw();
        let mut weights = vec![0.5, 0.3, 0.2, 0.7, 0.3];
        // Poverty 10 %, 30 %, 20 % -> min-max 0, 10, 5.
        shapes.push(Shape {
            dimension: Dimension::Vulnerability,
            transform: Transform::None,
            direction: Direction::HigherIsRiskier,
        });
        raw.push(vec![Some(10.0), Some(30.0), Some(20.0)]);
        weights.push(1.0);
        if coping {
            // Enrolment 0.9, 0.5, missing -> min-max 10, 0 -> turned round: 0, 10.
            shapes.push(Shape {
                dimension: Dimension::CopingCapacity,
                transform: Transform::None,
                direction: Direction::LowerIsRiskier,
            });
            raw.push(vec![Some(0.9), Some(0.5), None]);
            weights.push(1.0);
        }
        let cfg = CompositeConfig {
            indicators: shapes,
            indicator_weights: weights,
            dimension_weights: [0.5, 0.5, 0.5, 0.5],
            aggregation,
            normalisation: Normalisation::MinMax,
        };
        (cfg, raw)
    }

    #[test]
    fn three_dimensions_by_hand() {
        // Village 1: exposure 6.5, hazard 16/3 (as above), vulnerability 10.
        let (cfg, raw) = with_analysts(false, Aggregation::Arithmetic);
        let c = composite(&raw, &cfg);
        assert_eq!(c.dimensions[2][1], Some(10.0));
        assert_eq!(
            c.dimensions[3][1], None,
            "no coping indicator, no coping score"
        );
        assert!((c.risk[1].unwrap() - (6.5 + 16.0 / 3.0 + 10.0) / 3.0).abs() < 1e-12);
        let (cfg, raw) = with_analysts(false, Aggregation::Geometric);
        let c = composite(&raw, &cfg);
        let want = (7.5 * (19.0 / 3.0) * 11.0f64).powf(1.0 / 3.0) - 1.0;
        assert!((c.risk[1].unwrap() - want).abs() < 1e-12);
        // Village 2: poverty 20 % -> 5.
        assert_eq!(c.dimensions[2][2], Some(5.0));
        for i in 0..3 {
            let sum: f64 = c.contributions.iter().filter_map(|v| v[i]).sum();
            assert!((sum - c.risk[i].unwrap()).abs() < 1e-9);
        }
    }

    #[test]
    fn four_dimensions_both_directions_and_a_missing_indicator_by_hand() {
        let (cfg, raw) = with_analysts(true, Aggregation::Arithmetic);
        let c = composite(&raw, &cfg);
        // Lower enrolment is riskier: village 1 (0.5) scores 10, village 0 (0.9) scores 0.
        assert_eq!(c.scores[6], vec![Some(0.0), Some(10.0), None]);
        // Village 1: (6.5 + 16/3 + 10 + 10) / 4.
        assert!((c.risk[1].unwrap() - (6.5 + 16.0 / 3.0 + 20.0) / 4.0).abs() < 1e-12);
        // Village 0: exposure 2.5, hazard 0, vulnerability 0, coping 0.
        assert!((c.risk[0].unwrap() - 2.5 / 4.0).abs() < 1e-12);
        // Village 2 lacks enrolment (and spillover): its coping dimension is missing, and
        // its score comes from the other three: exposure (0.3·10)/1 = 3, hazard 10, poverty 5.
        assert_eq!(c.missing[2], vec![4, 6]);
        assert_eq!(c.dimensions[3][2], None);
        assert!((c.risk[2].unwrap() - (3.0 + 10.0 + 5.0) / 3.0).abs() < 1e-12);
        assert_eq!(c.contributions[6][2], Some(0.0));
        let (cfg, raw) = with_analysts(true, Aggregation::Geometric);
        let c = composite(&raw, &cfg);
        let want = (3.5f64).powf(0.25) - 1.0;
        assert!((c.risk[0].unwrap() - want).abs() < 1e-12);
        let want = (7.5 * (19.0 / 3.0) * 11.0 * 11.0f64).powf(0.25) - 1.0;
        assert!((c.risk[1].unwrap() - want).abs() < 1e-12);
        // A constant lower-is-riskier indicator tells villages nothing apart: 0, not 10.
        let flat = score(
            &[Some(0.7), Some(0.7)],
            Shape {
                dimension: Dimension::CopingCapacity,
                transform: Transform::None,
                direction: Direction::LowerIsRiskier,
            },
            Normalisation::MinMax,
        );
        assert_eq!(flat, vec![Some(0.0), Some(0.0)]);
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
