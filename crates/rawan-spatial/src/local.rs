//! A variable's local statistics as a run publishes them: Gi* z and pseudo p-value, Local
//! Moran's I, z and p, the LISA cluster and the Gi* class — with the conventions GeoDa and
//! esda use for missing values, FDR and significance.

use crate::weights::Weights;

/// How local statistics are computed and judged.
#[derive(Debug, Clone, Copy)]
pub struct LocalOptions {
    /// Conditional permutations per village (999 as esda's default).
    pub permutations: usize,
    pub seed: u64,
    /// Benjamini–Hochberg over all villages' pseudo p-values.
    pub fdr: bool,
    /// Significance level of a LISA cluster.
    pub alpha: f64,
}

pub use rawan_core::{GiClass, LisaCluster};

impl From<crate::local_moran::Quadrant> for LisaCluster {
    fn from(q: crate::local_moran::Quadrant) -> LisaCluster {
        use crate::local_moran::Quadrant;
        match q {
            Quadrant::HH => LisaCluster::HH,
            Quadrant::LH => LisaCluster::LH,
            Quadrant::LL => LisaCluster::LL,
            Quadrant::HL => LisaCluster::HL,
        }
    }
}

/// Local statistics of one variable, per village.
pub struct LocalStats {
    pub gi_z: Vec<Option<f64>>,
    pub gi_p: Vec<Option<f64>>,
    pub lisa_i: Vec<Option<f64>>,
    pub lisa_z: Vec<Option<f64>>,
    pub lisa_p: Vec<Option<f64>>,
    pub lisa_cluster: Vec<LisaCluster>,
}

/// Gi* and Local Moran with permutation p-values (FDR-adjusted when asked). Villages
/// without a value are given the mean so their neighbours keep their statistics; they get
/// no statistic themselves.
pub fn local_statistics(values: &[Option<f64>], w: &Weights, o: &LocalOptions) -> LocalStats {
    let known: Vec<f64> = values.iter().flatten().copied().collect();
    let mean = if known.is_empty() {
        0.0
    } else {
        known.iter().sum::<f64>() / known.len() as f64
    };
    let x: Vec<f64> = values.iter().map(|v| v.unwrap_or(mean)).collect();
    let keep = |i: usize, v: Option<f64>| if values[i].is_some() { v } else { None };
    let gi = crate::getis_ord::gi_star(&x, w);
    let lm = crate::local_moran::local_moran(&x, w);
    let perm = crate::permutation::conditional_permutation(&x, w, o.permutations, o.seed);
    // A pseudo p-value exists only where the statistic does: with no variance (every value
    // equal) or too few villages, Gi* and Local Moran are undefined, and a permutation count
    // of "never as extreme" would read as p = 0.001.
    let mut gi_p: Vec<Option<f64>> = perm
        .gi_star
        .iter()
        .enumerate()
        .map(|(i, p)| keep(i, *p).filter(|_| gi[i].is_some()))
        .collect();
    let mut lisa_p: Vec<Option<f64>> = perm
        .local_moran
        .iter()
        .enumerate()
        .map(|(i, p)| keep(i, *p).filter(|_| lm[i].is_some()))
        .collect();
    if o.fdr {
        gi_p = crate::fdr::benjamini_hochberg(&gi_p);
        lisa_p = crate::fdr::benjamini_hochberg(&lisa_p);
    }
    let lisa_cluster = (0..x.len())
        .map(|i| match (lm[i], lisa_p[i]) {
            (Some(l), Some(p)) if p <= o.alpha && values[i].is_some() => l.quadrant.into(),
            _ => LisaCluster::NotSignificant,
        })
        .collect();
    LocalStats {
        gi_z: gi.iter().enumerate().map(|(i, z)| keep(i, *z)).collect(),
        gi_p,
        lisa_i: lm
            .iter()
            .enumerate()
            .map(|(i, l)| keep(i, l.map(|l| l.i)))
            .collect(),
        lisa_z: lm
            .iter()
            .enumerate()
            .map(|(i, l)| keep(i, l.map(|l| l.z).filter(|z| z.is_finite())))
            .collect(),
        lisa_p,
        lisa_cluster,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OPTIONS: LocalOptions = LocalOptions {
        permutations: 99,
        seed: 7,
        fdr: false,
        alpha: 0.05,
    };

    #[test]
    fn no_p_value_where_the_statistic_is_undefined() {
        // Every value equal: no variance, so neither Gi* nor Local Moran exists, and a
        // permutation count must not read as p = 0.01.
        let w = Weights::from_pairs(4, &[(0, 1), (1, 2), (2, 3)]);
        let s = local_statistics(&[Some(3.0); 4], &w, &OPTIONS);
        assert!(
            s.gi_z
                .iter()
                .chain(&s.gi_p)
                .chain(&s.lisa_p)
                .all(Option::is_none),
            "{:?} {:?}",
            s.gi_p,
            s.lisa_p
        );
        assert!(
            s.lisa_cluster
                .iter()
                .all(|c| *c == LisaCluster::NotSignificant)
        );
        // Two villages: Gi*'s variance term n·W − W² is 0 (n = W = 2).
        let w = Weights::from_pairs(2, &[(0, 1)]);
        let s = local_statistics(&[Some(1.0), Some(5.0)], &w, &OPTIONS);
        assert!(
            s.gi_z.iter().chain(&s.gi_p).all(Option::is_none),
            "{:?}",
            s.gi_p
        );
    }

    #[test]
    fn a_village_without_a_value_gets_no_statistic_but_keeps_its_neighbours_theirs() {
        let w = Weights::from_pairs(5, &[(0, 1), (1, 2), (2, 3), (3, 4)]);
        let s = local_statistics(
            &[Some(1.0), Some(2.0), None, Some(8.0), Some(9.0)],
            &w,
            &OPTIONS,
        );
        assert!(
            s.gi_z[2].is_none()
                && s.gi_p[2].is_none()
                && s.lisa_cluster[2] == LisaCluster::NotSignificant
        );
        assert!(s.gi_z[1].is_some() && s.gi_z[3].is_some());
    }
}
