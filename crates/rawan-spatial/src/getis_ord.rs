//! Getis-Ord Gi* (Ord & Getis 1995), on binary weights with the village itself included.
//!
//! For village i with neighbour set N(i) and w_ij = 1 for j ∈ N(i) ∪ {i}:
//!
//! ```text
//! W*_i  = Σ_j w_ij = k_i + 1          S*_1i = Σ_j w_ij² = k_i + 1
//! x̄ = Σ x / n                         s = sqrt(Σ x² / n − x̄²)
//! Gi*_i = (Σ_j w_ij x_j − x̄ W*_i) / ( s · sqrt( (n S*_1i − W*_i²) / (n − 1) ) )
//! ```
//!
//! The statistic is itself a z-score (Ord & Getis 1995, eq. 9). A village without
//! neighbours gets `None`: with only itself in the sum, the value says nothing about a
//! cluster.

use crate::weights::Weights;

/// Gi* z-scores; `None` for villages without neighbours or when all values are equal.
///
/// ```
/// use rawan_spatial::{Weights, getis_ord::gi_star};
/// // Path 0 - 1 - 2 with values 1, 2, 3: x̄ = 2, s = sqrt(14/3 − 4) = sqrt(2/3).
/// let w = Weights::from_pairs(3, &[(0, 1), (1, 2)]);
/// let z = gi_star(&[1.0, 2.0, 3.0], &w);
/// // Village 0: sum = 1 + 2 = 3, W* = 2, S*1 = 2: (3 − 4) / (sqrt(2/3) · sqrt((6 − 4) / 2)) = −sqrt(3/2).
/// assert!((z[0].unwrap() + 1.5f64.sqrt()).abs() < 1e-12);
/// ```
pub fn gi_star(x: &[f64], w: &Weights) -> Vec<Option<f64>> {
    let n = x.len() as f64;
    let (mean, sd) = crate::mean_sd(x);
    (0..x.len())
        .map(|i| {
            let nb = w.neighbours(i);
            if nb.is_empty() || sd == 0.0 || n < 2.0 {
                return None;
            }
            let wsum = nb.len() as f64 + 1.0;
            let sum = x[i] + nb.iter().map(|&j| x[j as usize]).sum::<f64>();
            let denom = sd * ((n * wsum - wsum * wsum) / (n - 1.0)).sqrt();
            (denom > 0.0).then(|| (sum - mean * wsum) / denom)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 3 × 3 rook grid with values 1..9 row by row:
    /// ```text
    /// 7 8 9
    /// 4 5 6
    /// 1 2 3
    /// ```
    fn rook_grid() -> Weights {
        let mut pairs = Vec::new();
        for r in 0..3u32 {
            for c in 0..3u32 {
                let i = r * 3 + c;
                if c < 2 {
                    pairs.push((i, i + 1));
                }
                if r < 2 {
                    pairs.push((i, i + 3));
                }
            }
        }
        Weights::from_pairs(9, &pairs)
    }

    #[test]
    fn hand_computed_on_a_rook_grid() {
        let x: Vec<f64> = (1..=9).map(f64::from).collect();
        let z = gi_star(&x, &rook_grid());
        // n = 9, x̄ = 5, Σx² = 285, s² = 285/9 − 25 = 20/3.
        let s = (20.0f64 / 3.0).sqrt();
        // Corner 0 (value 1) with neighbours 1 (2) and 3 (4): sum = 7, W* = S*1 = 3.
        // denominator = s · sqrt((9·3 − 9)/8) = s · sqrt(18/8) = s · 1.5
        let want0 = (7.0 - 5.0 * 3.0) / (s * 1.5);
        assert!(
            (z[0].unwrap() - want0).abs() < 1e-12,
            "{:?} vs {want0}",
            z[0]
        );
        // Centre 4 (value 5) with 2, 4, 6, 8: sum = 25, W* = 5: numerator 0.
        assert!(z[4].unwrap().abs() < 1e-12);
        // Top-right 8 (value 9) with 6 and 8: sum = 23: (23 − 15) / (1.5 s).
        let want8 = 8.0 / (s * 1.5);
        assert!((z[8].unwrap() - want8).abs() < 1e-12);
    }

    #[test]
    fn no_neighbours_no_value() {
        let w = Weights::from_pairs(3, &[(0, 1)]);
        let z = gi_star(&[1.0, 5.0, 9.0], &w);
        assert!(z[0].is_some() && z[2].is_none());
        assert_eq!(gi_star(&[2.0, 2.0, 2.0], &w), vec![None, None, None]);
    }
}
