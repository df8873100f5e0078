//! The index audit's statistics against a second implementation: pandas' pairwise Pearson
//! matrix and Cronbach's alpha from numpy's covariance matrix (tests/reference/index_audit.py,
//! which also wrote the input). Then the audit in a real run: the sample's table and chart.

mod common;
use common::*;
use rawan_model::audit::{cronbach_alpha, pearson};

fn columns() -> Vec<Vec<Option<f64>>> {
    let rows = read_csv(&root().join("tests/reference/index_audit_input.csv"));
    ["a", "b", "c", "d"]
        .iter()
        .map(|c| rows.iter().map(|r| r[*c].parse().ok()).collect())
        .collect()
}

#[test]
fn pearson_and_alpha_match_pandas_and_numpy() {
    let cols = columns();
    let want = read_json(&root().join("tests/reference/index_audit.json"));
    let names = ["a", "b", "c", "d"];
    for (x, a) in names.iter().enumerate() {
        for (y, b) in names.iter().enumerate().skip(x + 1) {
            let r = pearson(&cols[x], &cols[y]).unwrap();
            let expected = want["pearson"][format!("{a}-{b}")].as_f64().unwrap();
            assert!((r - expected).abs() < 1e-12, "{a}-{b}: {r} vs {expected}");
        }
    }
    for (key, picks) in [
        ("alpha_ab", vec![0, 1]),
        ("alpha_abc", vec![0, 1, 2]),
        ("alpha_abcd", vec![0, 1, 2, 3]),
    ] {
        let items: Vec<&[Option<f64>]> = picks.iter().map(|&k| cols[k].as_slice()).collect();
        let (alpha, rows) = cronbach_alpha(&items);
        let expected = want[key][0].as_f64().unwrap();
        assert_eq!(rows as u64, want[key][1].as_u64().unwrap(), "{key} rows");
        assert!(
            (alpha.unwrap() - expected).abs() < 1e-12,
            "{key}: {alpha:?} vs {expected}"
        );
    }
}
