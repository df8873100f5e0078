//! rawan's statistics against PySAL's, computed independently by libpysal + esda on a 5 × 5
//! grid (tests/reference/esda_grid.py wrote tests/reference/esda_grid.json). Gi* (star, binary
//! weights), Local Moran's I (row-standardised) and Marshall's global empirical Bayes must
//! agree to 1e-9, for rook and queen neighbours alike.

mod common;
use common::*;
use rawan_spatial::Weights;

fn reference() -> serde_json::Value {
    read_json(&root().join("tests/reference/esda_grid.json"))
}

fn floats(v: &serde_json::Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

fn weights(r: &serde_json::Value) -> Weights {
    let nb = r["neighbours"].as_object().unwrap();
    let mut pairs = Vec::new();
    for (k, list) in nb {
        let i: u32 = k.parse().unwrap();
        for j in list.as_array().unwrap() {
            pairs.push((i, j.as_u64().unwrap() as u32));
        }
    }
    Weights::from_pairs(nb.len(), &pairs)
}

#[test]
fn gi_star_and_local_moran_match_esda() {
    let r = reference();
    let x = floats(&r["values"]);
    for kind in ["rook", "queen"] {
        let w = weights(&r[kind]);
        let gi = rawan_spatial::getis_ord::gi_star(&x, &w);
        for (i, want) in floats(&r[kind]["gi_star_z"]).iter().enumerate() {
            assert!(
                (gi[i].unwrap() - want).abs() < 1e-9,
                "{kind} Gi* village {i}: {:?} vs esda {want}",
                gi[i]
            );
        }
        let lm = rawan_spatial::local_moran::local_moran(&x, &w);
        for (i, want) in floats(&r[kind]["local_moran_i"]).iter().enumerate() {
            assert!(
                (lm[i].unwrap().i - want).abs() < 1e-9,
                "{kind} Local Moran village {i}: {:?} vs esda {want}",
                lm[i]
            );
        }
    }
}

#[test]
fn global_empirical_bayes_matches_esda() {
    let r = reference();
    let y = floats(&r["values"]);
    let n: Vec<Option<f64>> = floats(&r["eb_population"]).into_iter().map(Some).collect();
    let eb = rawan_model::eb::global_eb(&y, &n);
    for (i, want) in floats(&r["eb_global_rate"]).iter().enumerate() {
        assert!(
            (eb[i].unwrap() - want).abs() < 1e-9 * want.abs().max(1e-6),
            "village {i}: {:?} vs esda {want}",
            eb[i]
        );
    }
}
