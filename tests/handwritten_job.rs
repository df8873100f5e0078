//! A job written by hand against the data contract (tests/fixtures/handwritten), small
//! enough that its numbers can be checked on paper.

mod common;
use common::*;

#[test]
fn a_hand_written_job_runs_and_its_numbers_check_by_hand() {
    let out = tempfile::tempdir().unwrap();
    let out = out.path().join("out");
    run_ok(
        &root().join("tests/fixtures/handwritten/job.toml"),
        &out,
        &[],
    );
    assert_eq!(ogrinfo_feature_count(&out.join("villages.geojson")), 9);
    let rejects = read_csv(&out.join("rejects.csv"));
    assert_eq!(rejects.len(), 1);
    assert_eq!(
        (
            rejects[0]["file"].as_str(),
            rejects[0]["line"].as_str(),
            rejects[0]["column"].as_str()
        ),
        ("keberangkatan.csv", "6", "date")
    );
    // The one name match is a case row: counted, not listed, in a published run ...
    let matches = read_csv(&out.join("matches.csv"));
    assert_eq!(matches.len(), 1);
    assert!(
        matches[0]["file"] == "kasus.csv"
            && matches[0]["kode_desa"].is_empty()
            && matches[0]["given"].starts_with("1 row(s)"),
        "{matches:?}"
    );
    // ... and listed with the village it found only under --restricted.
    let restricted = out.with_file_name("restricted");
    run_ok(
        &root().join("tests/fixtures/handwritten/job.toml"),
        &restricted,
        &["--restricted"],
    );
    let rows = read_csv(&restricted.join("RESTRICTED_case_rows.csv"));
    assert!(
        rows.iter().any(|r| r["kind"] == "matched"
            && r["line"] == "3"
            && r["reason"].contains("36.04.01.2005")),
        "{rows:?}"
    );
    let rows = read_csv(&out.join("villages_ranked.csv"));
    let row = |k: &str| rows.iter().find(|r| r["kode_desa"] == k).unwrap().clone();
    // 12 departures, 2,000 residents, 24-month window: 12 / 2000 · 1000 / 2 = 3.00 per 1,000 a year.
    assert_eq!(row("36.04.01.2001")["departure_rate"], "3.00");
    // 3 departures from the undotted code 3604012002 (2,500 residents): 0.60.
    assert_eq!(row("36.04.01.2002")["departure_rate"], "0.60");
    // Desa binaan since 2023 (0.6) plus one event 149 days before as_of:
    // 0.15 · 0.5^((149 / 30.4375) / 12) = 0.1130 -> 0.713.
    assert_eq!(row("36.04.02.2003")["coverage"], "0.713");
    assert_eq!(row("36.04.02.2003")["desa_binaan"], "true");
    // Two recommendations, one per office (each has capacity 1).
    let recs = read_csv(&out.join("recommendations.csv"));
    assert_eq!(recs.len(), 2);
    assert_ne!(recs[0]["office"], recs[1]["office"]);
    // The victims' names and NIK never reach an output.
    for (name, bytes) in snapshot(&out) {
        let text = String::from_utf8_lossy(&bytes);
        for secret in ["Rahasia", "3604010101900001"] {
            assert!(!text.contains(secret), "{secret} in {name}");
        }
    }
}

#[test]
fn every_non_default_choice_runs_end_to_end() {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(root().join("tests/fixtures/handwritten")).unwrap() {
        let p = entry.unwrap().path();
        std::fs::copy(&p, dir.path().join(p.file_name().unwrap())).unwrap();
    }
    let job = std::fs::read_to_string(dir.path().join("job.toml"))
        .unwrap()
        .replace("permutations = 99", "permutations = 99\ncontiguity = \"rook\"\nfdr = true\nextra_variables = [\"victim_rate\"]")
        .replace("budget = 2", "budget = 2\nspillover = 0.5\n\n[model]\naggregation = \"arithmetic\"\neb = \"global\"\n\n[uncertainty]\nruns = 50\ntop_n = 3");
    std::fs::write(dir.path().join("job.toml"), &job).unwrap();
    let out = dir.path().join("out");
    run_ok(&dir.path().join("job.toml"), &out, &["--lang", "en"]);
    let layer = read_json(&out.join("villages.geojson"));
    let props = &layer["features"][0]["properties"];
    for key in ["gi_z_victim_rate", "gi_p_victim_rate", "lisa_victim_rate"] {
        assert!(props.get(key).is_some(), "{key} missing: {props}");
    }
    let m = read_json(&out.join("manifest.json"));
    assert_eq!(m["settings"]["spatial"]["contiguity"], "rook");
    assert_eq!(m["settings"]["model"]["aggregation"], "arithmetic");
    assert_eq!(m["weights"]["contiguity"], "rook");
    // Rook on a 3 × 3 grid of squares: 12 shared edges, mean 24 / 9 neighbours.
    assert!(
        (m["weights"]["mean_neighbours"].as_f64().unwrap() - 24.0 / 9.0).abs() < 1e-3,
        "{}",
        m["weights"]
    );
    assert_eq!(read_csv(&out.join("recommendations.csv")).len(), 2);

    // A wrong extra variable is a job-file error that names the setting.
    std::fs::write(
        dir.path().join("job.toml"),
        job.replace("[\"victim_rate\"]", "[\"korban\"]"),
    )
    .unwrap();
    let o = rawan(&[
        "run",
        dir.path().join("job.toml").to_str().unwrap(),
        "--out",
        dir.path().join("out2").to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(o.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&o.stderr).contains("spatial.extra_variables"));
}

#[test]
fn spillover_prefers_the_village_that_protects_its_neighbours() {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(root().join("tests/fixtures/handwritten")).unwrap() {
        let p = entry.unwrap().path();
        std::fs::copy(&p, dir.path().join(p.file_name().unwrap())).unwrap();
    }
    let job = std::fs::read_to_string(dir.path().join("job.toml")).unwrap();
    std::fs::write(
        dir.path().join("spill.toml"),
        job.replace("budget = 2", "budget = 2\nspillover = 0.5"),
    )
    .unwrap();
    run_ok(&dir.path().join("job.toml"), &dir.path().join("plain"), &[]);
    run_ok(
        &dir.path().join("spill.toml"),
        &dir.path().join("spill"),
        &[],
    );
    let gaps: std::collections::BTreeMap<String, f64> =
        read_csv(&dir.path().join("plain/villages_ranked.csv"))
            .into_iter()
            .map(|r| (r["kode_desa"].clone(), r["coverage_gap"].parse().unwrap()))
            .collect();
    // Without spillover the largest own gap comes first: Sukamaju (2001, a corner).
    let plain = read_csv(&dir.path().join("plain/recommendations.csv"));
    let top = gaps
        .iter()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .unwrap()
        .0
        .clone();
    assert_eq!(plain[0]["kode_desa"], top);
    assert_eq!(top, "36.04.01.2001");
    // With spillover 0.5 the first pick's gain is its own gap plus half of its queen
    // neighbours' gaps. The centre (2005) touches all eight others; the corner (2001) touches
    // 2002, 2004 and 2005. By hand: gain(2005) = g5 + 0.5·Σ others, gain(2001) = g1 + 0.5·(g2 + g4 + g5).
    let g = |k: &str| gaps[&format!("36.04.0{k}")];
    let others: f64 = gaps
        .iter()
        .filter(|(k, _)| k.as_str() != "36.04.01.2005")
        .map(|(_, v)| v)
        .sum();
    let gain_centre = g("1.2005") + 0.5 * others;
    let gain_corner = g("1.2001") + 0.5 * (g("1.2002") + g("1.2004") + g("1.2005"));
    assert!(gain_centre > gain_corner, "{gain_centre} vs {gain_corner}");
    let spill = read_csv(&dir.path().join("spill/recommendations.csv"));
    assert_eq!(spill[0]["kode_desa"], "36.04.01.2005");
}
