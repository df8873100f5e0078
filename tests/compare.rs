//! `rawan compare`: on two runs of the sample a year apart, every village's row agrees with
//! both runs' own tables; runs with different settings or villages are refused unless
//! allowed; the comparison is deterministic and never replaces a run.

mod common;
use common::gdal::*;
use common::*;
use std::collections::BTreeMap;
use std::path::Path;

/// The sample run at `as_of` (with `edit` applied to its job file) into `out`.
fn sample_run(as_of: &str, edit: Option<(&str, &str)>, out: &Path) {
    let job = sample_copy();
    edit_job(
        job.path(),
        "as_of = \"2025-11-30\"",
        &format!("as_of = \"{as_of}\""),
    );
    if let Some((from, to)) = edit {
        edit_job(job.path(), from, to);
    }
    run_ok(&job.path().join("job.toml"), out, &[]);
}

fn compare(before: &Path, after: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "compare",
        before.to_str().unwrap(),
        after.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ];
    args.extend_from_slice(extra);
    rawan(&args)
}

fn by_code(rows: Vec<BTreeMap<String, String>>) -> BTreeMap<String, BTreeMap<String, String>> {
    rows.into_iter()
        .map(|r| (r["kode_desa"].clone(), r))
        .collect()
}

#[test]
fn a_year_apart_every_village_agrees_with_both_runs() {
    let dir = tempfile::tempdir().unwrap();
    let (y2024, y2025, changes) = (
        dir.path().join("2024"),
        dir.path().join("2025"),
        dir.path().join("changes"),
    );
    sample_run("2024-11-30", None, &y2024);
    sample_run("2025-11-30", None, &y2025);
    let o = compare(&y2024, &y2025, &changes, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    let before = by_code(read_csv(&y2024.join("villages_ranked.csv")));
    let after = by_code(read_csv(&y2025.join("villages_ranked.csv")));
    let rows = read_csv(&changes.join("changes.csv"));
    assert_eq!(rows.len(), 1552);
    let (mut riskier, mut less, mut hot_appeared) = (0, 0, 0);
    for r in &rows {
        let (b, a) = (&before[&r["kode_desa"]], &after[&r["kode_desa"]]);
        for (col, run, key) in [
            ("risk_rank_before", b, "risk_rank"),
            ("risk_rank_after", a, "risk_rank"),
            ("risk_score_before", b, "risk_score"),
            ("risk_score_after", a, "risk_score"),
            ("rank_p05_before", b, "rank_p05"),
            ("rank_p95_after", a, "rank_p95"),
            ("gi_class_before", b, "gi_class"),
            ("gi_class_after", a, "gi_class"),
            ("desa", a, "desa"),
        ] {
            assert_eq!(r[col], run[key], "{col} of {}", r["kode_desa"]);
        }
        // The rule, worked here from the runs' own columns.
        let n = |m: &BTreeMap<String, String>, k: &str| m[k].parse::<i64>().unwrap();
        let moved = n(b, "risk_rank") - n(a, "risk_rank");
        assert_eq!(r["rank_change"], moved.to_string());
        let beyond = moved.abs() > n(b, "rank_p95") - n(b, "rank_p05")
            && moved.abs() > n(a, "rank_p95") - n(a, "rank_p05");
        assert_eq!(r["rank_change_beyond_intervals"], beyond.to_string());
        let movement = match (beyond, moved > 0) {
            (false, _) => "no_clear_change",
            (true, true) => "riskier",
            (true, false) => "less_risky",
        };
        assert_eq!(r["movement"], movement, "{}", r["kode_desa"]);
        riskier += usize::from(movement == "riskier");
        less += usize::from(movement == "less_risky");
        let hot = |c: &str| c.starts_with("hot");
        if !hot(&b["gi_class"]) && hot(&a["gi_class"]) {
            hot_appeared += 1;
            assert_eq!(r["hot_spot_change"], "appeared");
        }
    }
    assert!(
        riskier > 0 && less > 0,
        "a year of data moves some villages each way"
    );
    // Ordered by the current rank.
    let ranks: Vec<u32> = rows
        .iter()
        .map(|r| r["risk_rank_after"].parse().unwrap())
        .collect();
    assert!(ranks.windows(2).all(|w| w[0] <= w[1]));

    // The layer: one feature per village, its geometry the current run's.
    let layer = read_json(&changes.join("changes.geojson"));
    let current = read_json(&y2025.join("villages.geojson"));
    let geometry: BTreeMap<String, &serde_json::Value> = current["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["properties"]["kode_desa"].as_str().unwrap().to_string(),
                &f["geometry"],
            )
        })
        .collect();
    let features = layer["features"].as_array().unwrap();
    assert_eq!(features.len(), 1552);
    for f in features {
        let k = f["properties"]["kode_desa"].as_str().unwrap();
        assert_eq!(&f["geometry"], geometry[k], "{k}");
    }
    let qml = std::fs::read_to_string(changes.join("changes.qml")).unwrap();
    assert!(qml.contains("attr=\"movement\""));

    // Its GeoPackage twin, read by GDAL: the same features, properties and coordinates, a
    // spatial index, the style stored as the default, no warning.
    let gpkg = changes.join("changes.gpkg");
    let (listing, warnings) = gdal("ogrinfo", &["-ro", gpkg.to_str().unwrap()]);
    assert!(warnings.trim().is_empty(), "GDAL warns: {warnings}");
    assert!(listing.contains("1: changes (Multi Polygon)"), "{listing}");
    let through_gdal = layer_through_gdal(&gpkg, "changes");
    assert_eq!(through_gdal.len(), features.len());
    for (g, f) in through_gdal.iter().zip(features) {
        let k = &f["properties"]["kode_desa"];
        assert!(
            same(&g["properties"], &f["properties"], 1e-12),
            "{k}: properties differ\n gpkg: {}\n json: {}",
            g["properties"],
            f["properties"]
        );
        assert!(same(&g["geometry"], &f["geometry"], 1e-9), "{k}: geometry");
    }
    let db =
        rusqlite::Connection::open_with_flags(&gpkg, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    assert_spatial_index(&db, "changes", "fid", features);
    let (stored, default): (String, bool) = db
        .query_row(
            "SELECT styleQML, useAsDefault FROM layer_styles WHERE f_table_name = 'changes'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert!(default && stored == qml, "the stored style is changes.qml");
    // Typed columns: ranks as integers, scores as reals, flags as booleans.
    let types: BTreeMap<String, String> = db
        .prepare("SELECT name, type FROM pragma_table_info('changes')")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(types["risk_rank_after"], "MEDIUMINT");
    assert_eq!(types["risk_score_after"], "REAL");
    assert_eq!(types["rank_change_beyond_intervals"], "BOOLEAN");
    assert_eq!(types["kode_desa"], "TEXT");

    // The report counts what the table holds; the manifest hashes every file.
    let report = std::fs::read_to_string(changes.join("changes.md")).unwrap();
    assert!(
        report.contains(&format!(
            "{riskier} desa menjadi lebih berisiko dan {less} kurang berisiko"
        )),
        "{report}"
    );
    assert!(
        report.contains(&format!("{hot_appeared} muncul")),
        "{report}"
    );
    let manifest = read_json(&changes.join("manifest.json"));
    assert_eq!(manifest["command"], "compare");
    let outputs = manifest["outputs"].as_array().unwrap();
    assert_eq!(outputs.len(), 8);
    for o in outputs {
        let file = o["file"].as_str().unwrap();
        let bytes = std::fs::read(changes.join(file)).unwrap();
        use sha2::Digest;
        assert_eq!(o["sha256"], format!("{:x}", sha2::Sha256::digest(&bytes)));
        // The report's list of files names every file but itself.
        if !file.starts_with("changes.md") && !file.starts_with("changes.html") {
            let stem = file.split('.').next().unwrap();
            let named = report.contains(&format!("`{file}`"))
                || report.contains(&format!("`{stem}.svg`/`.png`"));
            assert!(named, "the report does not name {file}");
        }
    }

    // Again into another folder: byte-identical.
    let again = dir.path().join("again");
    assert!(compare(&y2024, &y2025, &again, &[]).status.success());
    assert_eq!(snapshot(&changes), snapshot(&again));
}

#[test]
fn different_settings_or_villages_are_refused_unless_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let d = |name: &str| dir.path().join(name);
    sample_run("2024-11-30", None, &d("2024"));
    sample_run(
        "2025-11-30",
        Some(("[targeting]", "[model]\neb = \"global\"\n\n[targeting]")),
        &d("2025-global"),
    );
    let o = compare(&d("2024"), &d("2025-global"), &d("changes"), &[]);
    assert_eq!(o.status.code(), Some(3));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("model.eb: \"local\" → \"global\""), "{err}");
    assert!(err.contains("--allow-different-settings"), "{err}");
    assert!(
        !d("changes").exists(),
        "a refused comparison writes nothing"
    );
    let o = compare(
        &d("2024"),
        &d("2025-global"),
        &d("changes"),
        &["--allow-different-settings"],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let report = std::fs::read_to_string(d("changes/changes.md")).unwrap();
    assert!(
        report.contains("`model.eb`: \"local\" → \"global\""),
        "{report}"
    );

    // A village layer without one village (a merged village, say).
    let job = sample_copy();
    let layer_path = job.path().join("villages.geojson");
    let mut layer = read_json(&layer_path);
    let gone = layer["features"].as_array_mut().unwrap().remove(0);
    let gone = gone["properties"]["KDEPUM"].as_str().unwrap().to_string();
    std::fs::write(&layer_path, serde_json::to_vec(&layer).unwrap()).unwrap();
    run_ok(&job.path().join("job.toml"), &d("2025-fewer"), &[]);
    let o = compare(&d("2024"), &d("2025-fewer"), &d("changes2"), &[]);
    assert_eq!(o.status.code(), Some(3));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("1 only in the previous run"), "{err}");
    let o = compare(
        &d("2024"),
        &d("2025-fewer"),
        &d("changes2"),
        &["--allow-different-villages"],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let rows = read_csv(&d("changes2/changes.csv"));
    let row = rows.iter().find(|r| r["status"] == "before_only").unwrap();
    assert_eq!(row["kode_desa"].replace('.', ""), gone.replace('.', ""));
    assert_eq!(
        (row["movement"].as_str(), row["risk_rank_after"].as_str()),
        ("only_before", "")
    );
    let layer = read_json(&d("changes2/changes.geojson"));
    assert_eq!(
        layer["features"].as_array().unwrap().len(),
        1552,
        "its old geometry is kept"
    );

    // Never into a run's folder, and a comparison is not a run.
    let o = compare(&d("2024"), &d("2025-fewer"), &d("2024"), &[]);
    assert_eq!(o.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&o.stderr).contains("is one of the runs being compared"));
    assert!(d("2024/villages_ranked.csv").exists());
    let o = compare(&d("changes"), &d("2024"), &d("changes3"), &[]);
    assert_eq!(o.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&o.stderr).contains("the output of `rawan compare`"));
}
