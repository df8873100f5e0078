//! Local Moran's I (Anselin 1995) on row-standardised weights, as in GeoDa and esda.
//!
//! ```text
//! z_i = x_i − x̄        m2 = Σ z² / (n − 1)        lag_i = Σ_j w_ij z_j   (w_ij = 1 / k_i)
//! I_i = z_i / m2 · lag_i
//! ```
//!
//! The n − 1 in m2 is PySAL esda's convention (its `Moran_Local.Is`); Anselin (1995) divides
//! by n. The two differ by the constant (n − 1)/n. It cancels in the permutation p-value
//! (observed and permuted statistics scale alike) but not in the z-score, whose E[I_i] does
//! not scale with it: the z-score is computed on Anselin's own I' = z_i / m2' · lag_i
//! (m2' = Σ z² / n) with his moments for I', never on the reported I.
//!
//! Under randomisation (Anselin 1995, eq. 13–14), with W_i = Σ_j w_ij (= 1),
//! w_i(2) = Σ_j w_ij², b2 = m4 / m2² and m4 = Σ z⁴ / n:
//!
//! ```text
//! E[I_i]   = −W_i / (n − 1)
//! Var[I_i] = w_i(2) (n − b2) / (n − 1)
//!          + (W_i² − w_i(2)) (2 b2 − n) / ((n − 1)(n − 2))
//!          − W_i² / (n − 1)²
//! ```
//!
//! The quadrant says which kind of cluster a significant village belongs to: HH (high value,
//! high neighbours), LL, LH (low among high: a spatial outlier) and HL.

use crate::weights::Weights;

/// Moran scatterplot quadrant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quadrant {
    HH,
    LH,
    LL,
    HL,
}

/// One village's Local Moran.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LocalMoran {
    pub i: f64,
    /// Analytical z-score under randomisation.
    pub z: f64,
    pub quadrant: Quadrant,
}

/// Local Moran per village; `None` without neighbours or when all values are equal.
pub fn local_moran(x: &[f64], w: &Weights) -> Vec<Option<LocalMoran>> {
    let n = x.len() as f64;
    let mean = x.iter().sum::<f64>() / n;
    let z: Vec<f64> = x.iter().map(|v| v - mean).collect();
    let m2 = z.iter().map(|v| v * v).sum::<f64>() / n;
    let m4 = z.iter().map(|v| v.powi(4)).sum::<f64>() / n;
    if m2 == 0.0 || n < 3.0 {
        return vec![None; x.len()];
    }
    let b2 = m4 / (m2 * m2);
    (0..x.len())
        .map(|i| {
            let nb = w.neighbours(i);
            if nb.is_empty() {
                return None;
            }
            let k = nb.len() as f64;
            let lag = nb.iter().map(|&j| z[j as usize]).sum::<f64>() / k;
            // Anselin's I' for the moments; esda's I (n − 1 denominator) is reported.
            let value = z[i] / m2 * lag;
            let reported = value * (n - 1.0) / n;
            let wi = 1.0;
            let wi2 = 1.0 / k;
            let expected = -wi / (n - 1.0);
            let var = wi2 * (n - b2) / (n - 1.0)
                + (wi * wi - wi2) * (2.0 * b2 - n) / ((n - 1.0) * (n - 2.0))
                - wi * wi / ((n - 1.0) * (n - 1.0));
            let zscore = if var > 0.0 {
                (value - expected) / var.sqrt()
            } else {
                f64::NAN
            };
            let quadrant = match (z[i] >= 0.0, lag >= 0.0) {
                (true, true) => Quadrant::HH,
                (false, true) => Quadrant::LH,
                (false, false) => Quadrant::LL,
                (true, false) => Quadrant::HL,
            };
            Some(LocalMoran {
                i: reported,
                z: zscore,
                quadrant,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_computed_on_a_path() {
        // Path 0 - 1 - 2 - 3 with x = 1, 2, 4, 9: x̄ = 4, z = −3, −2, 0, 5.
        // m2 = (9 + 4 + 0 + 25) / 4 = 9.5; m4 = (81 + 16 + 0 + 625) / 4 = 180.5.
        let w = Weights::from_pairs(4, &[(0, 1), (1, 2), (2, 3)]);
        let r = local_moran(&[1.0, 2.0, 4.0, 9.0], &w);
        // Reported I uses m2 = Σz²/(n − 1) = 38/3 (esda): I_0 = −3 · −2 / (38/3) = 18/38.
        assert!((r[0].unwrap().i - 18.0 / 38.0).abs() < 1e-12);
        // I_1 = −2 · (−3 + 0)/2 / (38/3) = 9/38
        assert!((r[1].unwrap().i - 9.0 / 38.0).abs() < 1e-12);
        // The z-scores below use Anselin's I' = z_i / (Σz²/n) · lag: I'_0 = 6/9.5, I'_1 = 3/9.5.
        // I_3 = 5/9.5 · 0 = 0
        assert!(r[3].unwrap().i.abs() < 1e-12);
        assert_eq!(r[0].unwrap().quadrant, Quadrant::LL);
        assert_eq!(r[3].unwrap().quadrant, Quadrant::HH); // z = 5 ≥ 0, lag = 0 ≥ 0
        // z-score of village 0 (k = 1): b2 = 180.5 / 90.25 = 2, n = 4.
        // Var = 1·(4 − 2)/3 + (1 − 1)·… − 1/9 = 2/3 − 1/9 = 5/9; E = −1/3.
        let want = (6.0 / 9.5 + 1.0 / 3.0) / (5.0f64 / 9.0).sqrt();
        assert!((r[0].unwrap().z - want).abs() < 1e-12);
        // Village 1 (k = 2): w(2) = 1/2. Var = 0.5·2/3 + 0.5·(4 − 4)/6 − 1/9 = 1/3 − 1/9 = 2/9.
        let want1 = (3.0 / 9.5 + 1.0 / 3.0) / (2.0f64 / 9.0).sqrt();
        assert!((r[1].unwrap().z - want1).abs() < 1e-12);
        // The (n − 1)/n between the two definitions does not cancel in the z-score: the
        // reported I with Anselin's moments gives another value.
        let mixed = (18.0 / 38.0 + 1.0 / 3.0) / (5.0f64 / 9.0).sqrt();
        assert!((r[0].unwrap().z - mixed).abs() > 0.1);
    }
}
