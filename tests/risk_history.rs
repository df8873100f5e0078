//! Risk over time within one run: the score a run gives a village at an earlier date of its
//! `[history]` is the score a separate run at that date gives it (same window start, the
//! shorter window), up to the recency weights of victims, which the history takes per month
//! (the 15th) where the separate run takes each case's own date; and `risk_trend` is the
//! least-squares slope of a village's scores over the dates.

mod common;
use common::*;
use std::collections::BTreeMap;

#[test]
fn an_earlier_date_scores_as_a_run_at_that_date_would() {
    let dir = tempfile::tempdir().unwrap();
    let job = sample_copy();
    let then = sample_copy();
    edit_job(
        then.path(),
        "as_of = \"2025-11-30\"",
        "as_of = \"2024-11-30\"",
    );
    edit_job(then.path(), "window_months = 36", "window_months = 24");
    // Restricted runs: exact counts in both, so the two computations see the same cases.
    let (now_out, then_out) = (dir.path().join("now"), dir.path().join("then"));
    run_ok(&job.path().join("job.toml"), &now_out, &["--restricted"]);
    run_ok(&then.path().join("job.toml"), &then_out, &["--restricted"]);

    let history = read_csv(&now_out.join("risk_history.csv"));
    let dates: Vec<&str> = {
        let mut d: Vec<&str> = history.iter().map(|r| r["as_of"].as_str()).collect();
        d.dedup();
        d.sort();
        d.dedup();
        d
    };
    assert_eq!(dates, ["2023-11-30", "2024-11-30", "2025-11-30"]);
    let separate: BTreeMap<String, f64> = read_csv(&then_out.join("villages_ranked.csv"))
        .into_iter()
        .filter(|r| !r["risk_score"].is_empty())
        .map(|r| (r["kode_desa"].clone(), r["risk_score"].parse().unwrap()))
        .collect();
    let mut diffs = Vec::new();
    for r in history.iter().filter(|r| r["as_of"] == "2024-11-30") {
        let s: f64 = r["risk_score"].parse().unwrap();
        diffs.push((s - separate[&r["kode_desa"]]).abs());
    }
    assert_eq!(diffs.len(), 1552);
    let max = diffs.iter().cloned().fold(0.0, f64::max);
    let mean = diffs.iter().sum::<f64>() / diffs.len() as f64;
    assert!(max < 0.05 && mean < 0.005, "max {max}, mean {mean}");

    // risk_trend: the slope through the three dates, worked here.
    let ranked = read_csv(&now_out.join("villages_ranked.csv"));
    let mut per_village: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    for r in &history {
        per_village
            .entry(r["kode_desa"].as_str())
            .or_default()
            .push(r["risk_score"].parse().unwrap());
    }
    // 2023-11-30 and 2024-11-30 are 731 and 365 days before 2025-11-30.
    let years = [-731.0 / 365.25, -365.0 / 365.25, 0.0];
    for v in ranked.iter().take(50) {
        let y = &per_village[v["kode_desa"].as_str()];
        let mx = years.iter().sum::<f64>() / 3.0;
        let my = y.iter().sum::<f64>() / 3.0;
        let slope = years
            .iter()
            .zip(y)
            .map(|(x, y)| (x - mx) * (y - my))
            .sum::<f64>()
            / years.iter().map(|x| (x - mx).powi(2)).sum::<f64>();
        let given: f64 = v["risk_trend"].parse().unwrap();
        assert!(
            (given - slope).abs() < 0.001,
            "{}: {given} vs {slope}",
            v["kode_desa"]
        );
    }
}
