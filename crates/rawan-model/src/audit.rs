//! The statistical audit the JRC runs on a composite index (its COIN approach): how the
//! indicators correlate with each other, with their dimension and with the index, how
//! consistent each dimension is (Cronbach's alpha), and which indicators to look at again —
//! those that correlate negatively with their own dimension (they pull against it) and pairs
//! that overlap almost entirely (one may be double-counting the other).
//!
//! Everything is computed on the normalised, oriented scores the index uses (0–10, higher is
//! riskier), over the villages that have both values (pairwise) or, for alpha, every value of
//! the dimension (listwise).

use crate::composite::{Composite, CompositeConfig};
use crate::indicators::Dimension;

pub use rawan_core::index_audit::{LOW_ALPHA, OVERLAP_R};

pub use rawan_core::index_audit::{Audit, DimensionAudit, IndicatorAudit};

/// Pearson's r over the positions where both have a value; `None` with fewer than three such
/// positions or a constant column.
///
/// ```
/// use rawan_model::audit::pearson;
/// let x = [Some(1.0), Some(2.0), Some(3.0), None];
/// let y = [Some(2.0), Some(4.0), Some(7.0), Some(0.0)];
/// // By hand: x̄ = 2, ȳ = 13/3; Σdx·dy = 5, Σdx² = 2, Σdy² = 38/3 -> r = 5 / √(76/3).
/// assert!((pearson(&x, &y).unwrap() - 5.0 / (76.0f64 / 3.0).sqrt()).abs() < 1e-12);
/// ```
pub fn pearson(x: &[Option<f64>], y: &[Option<f64>]) -> Option<f64> {
    let pairs: Vec<(f64, f64)> = x
        .iter()
        .zip(y)
        .filter_map(|(a, b)| Some(((*a)?, (*b)?)))
        .collect();
    let n = pairs.len();
    if n < 3 {
        return None;
    }
    let (mx, my) = pairs
        .iter()
        .fold((0.0, 0.0), |(sx, sy), (a, b)| (sx + a, sy + b));
    let (mx, my) = (mx / n as f64, my / n as f64);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in &pairs {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx) * (a - mx);
        syy += (b - my) * (b - my);
    }
    (sxx > 0.0 && syy > 0.0).then(|| sxy / (sxx * syy).sqrt())
}

/// Cronbach's alpha of `items` (columns) over the rows where every item has a value:
/// k/(k − 1) · (1 − Σ var(item) / var(Σ items)), sample variances. `None` with fewer than two
/// items, fewer than three complete rows or a constant total. Returns (alpha, rows used).
///
/// ```
/// use rawan_model::audit::cronbach_alpha;
/// // Two items over three rows: var 1 each, the sums 2, 4, 6 have var 4 -> 2·(1 − 2/4) = 1.
/// let a = [Some(1.0), Some(2.0), Some(3.0)];
/// assert_eq!(cronbach_alpha(&[&a, &a]), (Some(1.0), 3));
/// ```
pub fn cronbach_alpha(items: &[&[Option<f64>]]) -> (Option<f64>, usize) {
    let k = items.len();
    if k < 2 {
        return (None, 0);
    }
    let n = items[0].len();
    let rows: Vec<Vec<f64>> = (0..n)
        .filter_map(|i| items.iter().map(|col| col[i]).collect::<Option<Vec<f64>>>())
        .collect();
    let m = rows.len();
    if m < 3 {
        return (None, m);
    }
    let var = |values: &mut dyn Iterator<Item = f64>| -> f64 {
        let v: Vec<f64> = values.collect();
        let mean = v.iter().sum::<f64>() / v.len() as f64;
        v.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (v.len() - 1) as f64
    };
    let item_vars: f64 = (0..k).map(|j| var(&mut rows.iter().map(|r| r[j]))).sum();
    let total_var = var(&mut rows.iter().map(|r| r.iter().sum()));
    if total_var <= 0.0 {
        return (None, m);
    }
    let kf = k as f64;
    (Some(kf / (kf - 1.0) * (1.0 - item_vars / total_var)), m)
}

/// Audits the index the composite computed under `cfg`.
pub fn audit(composite: &Composite, cfg: &CompositeConfig) -> Audit {
    let k = cfg.indicators.len();
    let present = cfg.dimensions();
    let scores = &composite.scores;
    let mut columns: Vec<&[Option<f64>]> = scores.iter().map(|c| c.as_slice()).collect();
    columns.extend(
        present
            .iter()
            .map(|d| composite.dimensions[d.index()].as_slice()),
    );
    columns.push(&composite.risk);
    let matrix: Vec<Vec<Option<f64>>> = columns
        .iter()
        .enumerate()
        .map(|(a, x)| {
            columns
                .iter()
                .enumerate()
                .map(|(b, y)| if a == b { Some(1.0) } else { pearson(x, y) })
                .collect()
        })
        .collect();
    let risk_col = columns.len() - 1;
    let dim_col = |d: Dimension| present.iter().position(|p| *p == d).map(|p| k + p);
    let indicators = (0..k)
        .map(|j| {
            let r_dimension = dim_col(cfg.indicators[j].dimension).and_then(|c| matrix[j][c]);
            let others = (0..k)
                .filter(|&o| o != j)
                .filter_map(|o| matrix[j][o].map(|r| (o, r)));
            let closest = others
                .clone()
                .max_by(|a, b| a.1.abs().total_cmp(&b.1.abs()).then(b.0.cmp(&a.0)));
            IndicatorAudit {
                villages: scores[j].iter().flatten().count(),
                r_dimension,
                r_index: matrix[j][risk_col],
                closest,
                negative_with_dimension: r_dimension.is_some_and(|r| r < 0.0),
                overlaps: others
                    .filter(|(_, r)| r.abs() >= OVERLAP_R)
                    .map(|(o, _)| o)
                    .collect(),
            }
        })
        .collect();
    let dimensions = present
        .iter()
        .map(|&d| {
            let members: Vec<&[Option<f64>]> = (0..k)
                .filter(|&j| cfg.indicators[j].dimension == d)
                .map(|j| scores[j].as_slice())
                .collect();
            let (alpha, alpha_villages) = cronbach_alpha(&members);
            DimensionAudit {
                dimension: d,
                villages: composite.dimensions[d.index()].iter().flatten().count(),
                r_index: dim_col(d).and_then(|c| matrix[c][risk_col]),
                alpha,
                alpha_villages,
            }
        })
        .collect();
    Audit {
        indicators,
        dimensions,
        matrix,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::composite::{Normalisation, Shape, composite};
    use crate::indicators::{Direction, Transform};
    use rawan_core::settings::Aggregation;

    #[test]
    fn a_reversed_copy_pulls_against_its_dimension_and_a_twin_overlaps() {
        // Exposure: a, its twin (a + tiny noise) and its mirror (12 − a) declared
        // higher-is-riskier, so it pulls against the other two. Hazard: one indicator.
        let n = 40;
        let a: Vec<Option<f64>> = (0..n).map(|i| Some(((i * 7) % 13) as f64)).collect();
        let twin: Vec<Option<f64>> = (0..n)
            .map(|i| Some(((i * 7) % 13) as f64 + 0.01 * (i % 3) as f64))
            .collect();
        let mirror: Vec<Option<f64>> = a.iter().map(|v| v.map(|x| 12.0 - x)).collect();
        let hazard: Vec<Option<f64>> = (0..n).map(|i| Some(((i * 5) % 11) as f64)).collect();
        let shape = |dimension| Shape {
            dimension,
            transform: Transform::None,
            direction: Direction::HigherIsRiskier,
        };
        let cfg = CompositeConfig {
            indicators: vec![
                shape(Dimension::Exposure),
                shape(Dimension::Exposure),
                shape(Dimension::Exposure),
                shape(Dimension::Hazard),
            ],
            indicator_weights: vec![1.0, 1.0, 0.5, 1.0],
            dimension_weights: [0.5, 0.5, 0.5, 0.5],
            aggregation: Aggregation::Geometric,
            normalisation: Normalisation::MinMax,
        };
        let raw = vec![a, twin, mirror, hazard];
        let c = composite(&raw, &cfg);
        let audit = audit(&c, &cfg);
        assert!(audit.indicators[2].negative_with_dimension);
        assert!(!audit.indicators[0].negative_with_dimension);
        assert_eq!(audit.indicators[0].overlaps, vec![1, 2]);
        // Closest by |r|: the mirror, at exactly −1.
        let (other, r) = audit.indicators[0].closest.unwrap();
        assert_eq!(other, 2);
        assert!((r + 1.0).abs() < 1e-12);
        // A mirror in the dimension makes it inconsistent: alpha well below 0.7.
        assert!(audit.dimensions[0].alpha.unwrap() < LOW_ALPHA);
        assert_eq!(audit.dimensions[1].alpha, None, "one indicator: no alpha");
        // The matrix is symmetric with ones on its diagonal: 4 indicators, 2 dimensions, risk.
        assert_eq!(audit.matrix.len(), 7);
        for (x, row) in audit.matrix.iter().enumerate() {
            assert_eq!(row[x], Some(1.0));
            for (y, v) in row.iter().enumerate() {
                assert_eq!(*v, audit.matrix[y][x]);
            }
        }
    }
}
