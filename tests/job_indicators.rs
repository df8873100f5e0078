//! Indicators the analyst brings (`[[indicators]]`), end to end on the hand-written job: a
//! poverty table that makes four low-risk villages very vulnerable moves them up by exactly
//! what INFORM's geometric aggregation says, a village without a row keeps its score from
//! the other dimensions, and the audit is written.

mod common;
use common::*;
use std::collections::BTreeMap;

type Props = BTreeMap<String, serde_json::Value>;

fn layer(out: &std::path::Path) -> BTreeMap<String, Props> {
    let fc = read_json(&out.join("villages.geojson"));
    fc["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let p: Props = serde_json::from_value(f["properties"].clone()).unwrap();
            (p["kode_desa"].as_str().unwrap().to_string(), p)
        })
        .collect()
}

fn f(p: &Props, k: &str) -> f64 {
    p[k].as_f64().unwrap_or_else(|| panic!("{k} = {:?}", p[k]))
}

#[test]
fn a_vulnerability_table_moves_villages_by_what_the_formula_says() {
    let dir = job_copy();
    let before_dir = tempfile::tempdir().unwrap();
    run_ok(
        &dir.path().join("job.toml"),
        &before_dir.path().join("out"),
        &[],
    );
    let before = layer(&before_dir.path().join("out"));
    assert!(
        !before
            .values()
            .next()
            .unwrap()
            .contains_key("vulnerability")
    );

    // The four lowest-risk villages (with a score) are very poor; one village has no row.
    let mut scored: Vec<(&String, f64)> = before
        .iter()
        .filter(|(_, p)| p["risk_score"].is_number())
        .map(|(k, p)| (k, f(p, "risk_score")))
        .collect();
    scored.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(b.0)));
    let poor: Vec<String> = scored.iter().take(4).map(|(k, _)| (*k).clone()).collect();
    let absent = scored.last().unwrap().0.clone();
    let mut table = String::from("kode_desa;persen_miskin\n");
    for kode in before.keys().filter(|k| **k != absent) {
        let share = if poor.contains(kode) { "40,0" } else { "5,0" };
        table.push_str(&format!("{kode};{share}\n"));
    }
    std::fs::write(dir.path().join("kemiskinan.csv"), table).unwrap();
    let mut job = std::fs::read_to_string(dir.path().join("job.toml")).unwrap();
    job.push_str(
        "\n[[indicators]]\nname = \"poverty_rate\"\nfile = \"kemiskinan.csv\"\ncolumn = \"persen_miskin\"\ndimension = \"vulnerability\"\ndirection = \"higher_is_riskier\"\nyear = 2023\n",
    );
    std::fs::write(dir.path().join("job.toml"), job).unwrap();
    let after_dir = tempfile::tempdir().unwrap();
    let out = after_dir.path().join("out");
    run_ok(&dir.path().join("job.toml"), &out, &[]);
    let after = layer(&out);

    for (kode, a) in &after {
        let b = &before[kode];
        if !a["risk_score"].is_number() {
            continue;
        }
        // Exposure and hazard do not move; vulnerability is min–max of 5 % … 40 %: 0 or 10.
        assert_eq!(a["exposure"], b["exposure"], "{kode}");
        assert_eq!(a["hazard"], b["hazard"], "{kode}");
        let (ex, hz) = (f(a, "exposure"), f(a, "hazard"));
        let want = if *kode == absent {
            assert_eq!(a["vulnerability"], serde_json::Value::Null);
            assert_eq!(a["missing_indicators"], "poverty_rate");
            assert!((f(a, "reliability") - 5.0 / 6.0).abs() < 1e-3);
            assert_eq!(a["c_poverty_rate"], 0.0);
            ((ex + 1.0) * (hz + 1.0)).sqrt() - 1.0
        } else {
            let v = if poor.contains(kode) { 10.0 } else { 0.0 };
            assert_eq!(f(a, "vulnerability"), v, "{kode}");
            assert_eq!(a["data_age_years"], 2, "2025 analysis, 2023 figures");
            ((ex + 1.0) * (hz + 1.0) * (v + 1.0)).cbrt() - 1.0
        };
        // Properties are rounded to 3 decimals: the formula holds to that.
        assert!(
            (f(a, "risk_score") - want).abs() < 2e-3,
            "{kode}: {} vs {want}",
            a["risk_score"]
        );
    }
    // The poor villages climb the ranking; the others' scores fall.
    for kode in &poor {
        assert!(
            f(&after[kode], "risk_rank") < f(&before[kode], "risk_rank"),
            "{kode} did not move up"
        );
    }
    let audit = read_csv(&out.join("index_audit.csv"));
    assert!(
        audit
            .iter()
            .any(|r| r["level"] == "indicator" && r["name"] == "poverty_rate")
    );
    assert!(
        audit
            .iter()
            .any(|r| r["level"] == "dimension" && r["name"] == "vulnerability")
    );
    let ranked = read_csv(&out.join("villages_ranked.csv"));
    assert!(ranked[0].contains_key("poverty_rate") && ranked[0].contains_key("vulnerability"));
    let manifest = read_json(&out.join("manifest.json"));
    let files: Vec<&str> = manifest["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["file"].as_str().unwrap())
        .collect();
    for name in [
        "index_audit.csv",
        "index_correlations.csv",
        "index_audit.svg",
    ] {
        assert!(files.contains(&name), "{name} not in the manifest");
    }
    let tallies = manifest["inputs"].as_array().unwrap();
    assert!(tallies.iter().any(|i| i["table"] == "poverty_rate"));
}

#[test]
fn a_bad_indicator_entry_is_refused_with_its_name() {
    let dir = job_copy();
    let run = || {
        let o = rawan(&[
            "run",
            dir.path().join("job.toml").to_str().unwrap(),
            "--out",
            dir.path().join("out").to_str().unwrap(),
        ]);
        (
            o.status.success(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    };
    let mut job = std::fs::read_to_string(dir.path().join("job.toml")).unwrap();
    job.push_str(
        "\n[[indicators]]\nname = \"risk_score\"\nfile = \"x.csv\"\ncolumn = \"v\"\ndimension = \"vulnerability\"\n",
    );
    std::fs::write(dir.path().join("job.toml"), &job).unwrap();
    let (ok, err) = run();
    assert!(!ok);
    assert!(
        err.contains("risk_score") && err.contains("already a property"),
        "{err}"
    );
    // A dimension that does not exist is named as such.
    let job = job
        .replace("name = \"risk_score\"", "name = \"schooling\"")
        .replace("dimension = \"vulnerability\"", "dimension = \"poverty\"");
    std::fs::write(dir.path().join("job.toml"), &job).unwrap();
    let (ok, err) = run();
    assert!(
        !ok && err.contains("poverty") && err.contains("vulnerability"),
        "{err}"
    );
    // A missing table stops the job naming the file.
    let job = job.replace("dimension = \"poverty\"", "dimension = \"vulnerability\"");
    std::fs::write(dir.path().join("job.toml"), &job).unwrap();
    let (ok, err) = run();
    assert!(!ok && err.contains("x.csv"), "{err}");
}
