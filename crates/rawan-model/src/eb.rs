//! Empirical-Bayes smoothing of rates (Marshall 1991), as in GeoDa and PySAL's
//! `esda.smoothing`: a small village's raw rate is pulled toward a prior mean in proportion to
//! how little its population can tell.
//!
//! For events y_i and populations n_i, raw rates r_i = y_i / n_i. Over a reference set R
//! (all villages for the global estimator; the village and its neighbours for the local one):
//!
//! ```text
//! m  = Σ_R y / Σ_R n                        (prior mean)
//! s² = Σ_R n_j (r_j − m)² / Σ_R n_j          (population-weighted variance)
//! a  = max(s² − m / n̄, 0),  n̄ = Σ_R n / |R|  (between-area variance, clamped at 0)
//! EB_i = m + a / (a + m / n_i) · (r_i − m)
//! ```
//!
//! Clamping `a` at zero means a village is never "anti-shrunk" away from the prior and no
//! smoothed rate is negative: with a = 0 every rate becomes the prior mean m.
//! Villages without a population get `None` and are left out of every reference set.

use rawan_spatial::Weights;

fn shrink(y_i: f64, n_i: f64, m: f64, s2: f64, nbar: f64) -> f64 {
    let a = (s2 - m / nbar).max(0.0);
    let r = y_i / n_i;
    if a + m / n_i <= 0.0 {
        return m;
    }
    m + a / (a + m / n_i) * (r - m)
}

fn moments(members: impl Iterator<Item = (f64, f64)> + Clone) -> Option<(f64, f64, f64)> {
    let (sy, sn, count) = members
        .clone()
        .fold((0.0, 0.0, 0usize), |(sy, sn, c), (y, n)| {
            (sy + y, sn + n, c + 1)
        });
    if sn <= 0.0 {
        return None;
    }
    let m = sy / sn;
    let s2 = members.map(|(y, n)| n * (y / n - m).powi(2)).sum::<f64>() / sn;
    Some((m, s2, sn / count as f64))
}

/// Global EB rates (events per person).
///
/// ```
/// use rawan_model::eb::global_eb;
/// // Two villages: 1 event in 100 people, 0 in 900. m = 1/1000, s² = (100·0.009² + 900·0.001²)/1000
/// // = 0.0000090; n̄ = 500, m/n̄ = 0.000002, a = 0.000007.
/// let r = global_eb(&[1.0, 0.0], &[Some(100.0), Some(900.0)]);
/// let a = 0.000007f64;
/// let want0 = 0.001 + a / (a + 0.001 / 100.0) * (0.01 - 0.001);
/// assert!((r[0].unwrap() - want0).abs() < 1e-15);
/// ```
pub fn global_eb(y: &[f64], n: &[Option<f64>]) -> Vec<Option<f64>> {
    let members = y
        .iter()
        .zip(n)
        .filter_map(|(&y, n)| n.filter(|&n| n > 0.0).map(|n| (y, n)));
    let Some((m, s2, nbar)) = moments(members) else {
        return vec![None; y.len()];
    };
    y.iter()
        .zip(n)
        .map(|(&yi, ni)| {
            ni.filter(|&n| n > 0.0)
                .map(|ni| shrink(yi, ni, m, s2, nbar))
        })
        .collect()
}

/// Local EB rates: the prior comes from the village and its neighbours.
pub fn local_eb(y: &[f64], n: &[Option<f64>], w: &Weights) -> Vec<Option<f64>> {
    (0..y.len())
        .map(|i| {
            let ni = n[i].filter(|&v| v > 0.0)?;
            let set = std::iter::once(i as u32).chain(w.neighbours(i).iter().copied());
            let members = set.filter_map(|j| {
                n[j as usize]
                    .filter(|&v| v > 0.0)
                    .map(|nj| (y[j as usize], nj))
            });
            let (m, s2, nbar) = moments(members)?;
            Some(shrink(y[i], ni, m, s2, nbar))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_small_village_with_one_case_does_not_top_the_list() {
        // 300 people with 1 victim (raw 33.3 per 10,000) beside big villages with steady rates.
        let y = [1.0, 10.0, 12.0, 8.0, 11.0];
        let n = [
            Some(300.0),
            Some(20_000.0),
            Some(21_000.0),
            Some(19_000.0),
            Some(20_500.0),
        ];
        let eb = global_eb(&y, &n);
        let raw0 = 1.0 / 300.0;
        assert!(eb[0].unwrap() < raw0 / 2.0, "shrunk strongly: {:?}", eb[0]);
        // Big villages barely move: raw 12/21000 stays close.
        assert!((eb[2].unwrap() - 12.0 / 21_000.0).abs() < 0.2 * 12.0 / 21_000.0);
    }

    #[test]
    fn no_between_area_variance_means_every_rate_is_the_prior() {
        // Rates identical in expectation and tiny counts: s² < m/n̄, a clamps to 0.
        let y = [1.0, 0.0, 1.0, 0.0];
        let n = [Some(1000.0); 4];
        let m = 2.0 / 4000.0;
        for r in global_eb(&y, &n) {
            assert!((r.unwrap() - m).abs() < 1e-18);
        }
    }

    #[test]
    fn hand_computed_local_eb_on_a_path() {
        // Path 0 - 1 - 2. Village 0's set is {0, 1}: y = 2, 0; n = 100, 100.
        // m = 2/200 = 0.01; s² = (100·(0.02 − 0.01)² + 100·(0 − 0.01)²)/200 = 0.0001;
        // n̄ = 100, a = 0.0001 − 0.0001 = 0 -> EB_0 = m = 0.01.
        let w = Weights::from_pairs(3, &[(0, 1), (1, 2)]);
        let r = local_eb(
            &[2.0, 0.0, 30.0],
            &[Some(100.0), Some(100.0), Some(100.0)],
            &w,
        );
        assert!((r[0].unwrap() - 0.01).abs() < 1e-15);
        // Village 2's set {1, 2}: m = 30/200 = 0.15, s² = (100·0.15² + 100·0.15²)/200 = 0.0225,
        // a = 0.0225 − 0.0015 = 0.021; EB = 0.15 + 0.021/(0.021 + 0.0015)·(0.30 − 0.15).
        let want = 0.15 + 0.021 / 0.0225 * 0.15;
        assert!((r[2].unwrap() - want).abs() < 1e-12, "{:?} {want}", r[2]);
    }

    #[test]
    fn missing_population_stays_missing_and_out_of_the_prior() {
        let r = global_eb(&[5.0, 1.0, 1.0], &[None, Some(1000.0), Some(1000.0)]);
        assert_eq!(r[0], None);
        assert!((r[1].unwrap() - 0.001).abs() < 1e-15);
    }
}
