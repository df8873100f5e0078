//! Modus over time (`modus_trend.csv`): in a restricted run every case is counted, each
//! kabupaten's row adds up to its villages' cases as the village layer counts them, and the
//! periods tile the window; flags follow the rule on the published cells. A published run
//! that can count no case says so in its report instead of showing an empty chart.

mod common;
use common::*;
use std::collections::BTreeMap;

#[test]
fn a_restricted_run_counts_every_case_by_modus_and_period() {
    let (dir, _) = fresh_sample();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("o");
    run_ok(&dir.path().join("job.toml"), &out, &["--restricted"]);
    let layer = read_json(&out.join("villages.geojson"));
    let mut by_kab: BTreeMap<String, u64> = BTreeMap::new();
    for f in layer["features"].as_array().unwrap() {
        *by_kab
            .entry(f["properties"]["kabupaten"].as_str().unwrap().to_string())
            .or_default() += f["properties"]["cases"].as_u64().unwrap();
    }
    let table = read_csv(&out.join("modus_trend.csv"));
    let mut summed: BTreeMap<String, u64> = BTreeMap::new();
    let mut periods = std::collections::BTreeSet::new();
    for r in &table {
        *summed.entry(r["kabupaten"].clone()).or_default() += r["cases"].parse::<u64>().unwrap();
        periods.insert((r["period_start"].clone(), r["period_end"].clone()));
    }
    assert_eq!(
        summed, by_kab,
        "each kabupaten's row adds up to its villages' cases"
    );
    assert!(by_kab.values().sum::<u64>() > 100, "the sample has cases");
    // The report says what this run counted: every case, not the published rule.
    let report = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(
        report.contains("Run terbatas ini menghitung setiap kasus"),
        "the restricted report describes its own counting"
    );
    assert!(!report.contains("Laporan yang dipublikasikan hanya menghitung kasus"));
    assert!(
        report.contains("(modus_trend.svg)"),
        "with cases counted, the report shows the chart"
    );
    // Three twelve-month periods ending at as_of tile the 36-month window.
    let periods: Vec<_> = periods.into_iter().collect();
    assert_eq!(
        periods,
        [
            ("2022-12-01".to_string(), "2023-11-30".to_string()),
            ("2023-12-01".to_string(), "2024-11-30".to_string()),
            ("2024-12-01".to_string(), "2025-11-30".to_string()),
        ]
    );
    // Flags sit on the latest period's rows and follow the rule.
    let mut series: BTreeMap<(String, String), Vec<u64>> = BTreeMap::new();
    for r in &table {
        series
            .entry((r["kabupaten"].clone(), r["modus"].clone()))
            .or_default()
            .push(r["cases"].parse().unwrap());
    }
    let mut flagged = 0;
    for r in table.iter().filter(|r| !r["trend"].is_empty()) {
        assert_eq!(r["period_end"], "2025-11-30");
        let s = &series[&(r["kabupaten"].clone(), r["modus"].clone())];
        let (now, before) = s.split_last().unwrap();
        match r["trend"].as_str() {
            "new" => assert!(*now > 0 && before.iter().all(|&b| b == 0), "{s:?}"),
            "rising" => assert!(
                before.iter().any(|&b| b > 0) && before.iter().all(|&b| *now > b),
                "{s:?}"
            ),
            other => panic!("unknown flag {other}"),
        }
        flagged += 1;
    }
    assert!(flagged > 0, "the sample has a new or rising modus");
}

#[test]
fn a_published_run_with_only_small_cells_says_so_instead_of_an_empty_chart() {
    let (dir, _) = fresh_sample();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("o");
    run_ok(&dir.path().join("job.toml"), &out, &[]);
    // In the sample every village with cases has fewer than `privacy.min_count`: the
    // published table counts none of them.
    let table = read_csv(&out.join("modus_trend.csv"));
    assert!(table.iter().all(|r| r["cases"] == "0"), "nothing counted");
    let report = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(!report.contains("(modus_trend.svg)"), "no empty chart");
    assert!(report.contains(
        "Tidak ada kasus untuk dirinci: setiap desa yang memiliki kasus adalah sel kecil"
    ));
    // The chart file is still written, saying the same.
    assert!(out.join("modus_trend.svg").is_file());
}
