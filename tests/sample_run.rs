//! The main job on the generated sample, end to end, checked against what the generator
//! planted and against independent readers (GDAL, an XML parser).

mod common;
use common::*;
use std::collections::{BTreeMap, BTreeSet};

#[test]
fn committed_sample_is_exactly_what_the_generator_makes() {
    for (region, folder) in [
        (rawan_synth::Region::banten(), "data-sample"),
        (rawan_synth::Region::cianjur(), "data-sample/cianjur"),
    ] {
        let (dir, _) = fresh_region(&region);
        let fresh = snapshot(dir.path());
        let mut committed = snapshot(&root().join(folder));
        // The sample's README is written by hand.
        committed.remove("README.md");
        assert_eq!(
            fresh.keys().collect::<Vec<_>>(),
            committed.keys().collect::<Vec<_>>(),
            "{folder}"
        );
        for (name, bytes) in &fresh {
            assert!(
                committed[name] == *bytes,
                "{folder}/{name} differs from `rawan synth` output: regenerate with `make sample`"
            );
        }
    }
}

#[test]
fn every_planted_bad_row_is_rejected_with_its_reason_and_counts_add_up() {
    let (dir, truth) = fresh_sample();
    let out = tempfile::tempdir().unwrap();
    let out = out.path().join("out");
    // Restricted: the case file's rows are listed (line, reason) only there.
    run_ok(&dir.path().join("job.toml"), &out, &["--restricted"]);
    let case_rows = read_csv(&out.join("RESTRICTED_case_rows.csv"));
    let mut rejects = read_csv(&out.join("rejects.csv"));
    assert!(
        rejects
            .iter()
            .all(|r| r["file"] != "cases.csv" || r["line"].is_empty()),
        "case rows are only counted in rejects.csv, even when restricted"
    );
    rejects.retain(|r| r["file"] != "cases.csv");
    rejects.extend(
        case_rows
            .iter()
            .filter(|r| r["kind"] == "rejected")
            .cloned(),
    );
    for planted in &truth.rejects {
        let hit = rejects
            .iter()
            .find(|r| r["file"] == planted.file && r["line"] == planted.line.to_string());
        let hit =
            hit.unwrap_or_else(|| panic!("planted bad row {planted:?} is not in rejects.csv"));
        assert!(
            hit["reason"]
                .to_lowercase()
                .contains(&planted.reason_contains),
            "{planted:?} got reason {:?}",
            hit["reason"]
        );
    }
    assert_eq!(
        rejects.len(),
        truth.rejects.len(),
        "no reject beyond the planted ones: {rejects:#?}"
    );
    // Per-file tallies: read = used + rejected, and read = the rows the generator wrote.
    let manifest = read_json(&out.join("manifest.json"));
    for input in manifest["inputs"].as_array().unwrap() {
        let (read, used, rejected) = (
            input["read"].as_u64().unwrap(),
            input["used"].as_u64().unwrap(),
            input["rejected"].as_u64().unwrap(),
        );
        assert_eq!(read, used + rejected, "{input}");
        let file = input["file"].as_str().unwrap();
        if let Some(&rows) = truth.rows.get(file) {
            assert_eq!(read, rows, "{file}");
        }
        let planted = truth.rejects.iter().filter(|r| r.file == file).count() as u64;
        assert_eq!(rejected, planted, "{file}");
    }
    // Every match that was not an exact code is listed.
    let matched = read_csv(&out.join("matches.csv"))
        .iter()
        .filter(|r| r["file"] != "cases.csv")
        .count()
        + case_rows.iter().filter(|r| r["kind"] == "matched").count();
    assert_eq!(matched as u64, truth.not_exact_matches);
}

/// The manifest's digest of every output and input is the SHA-256 of the file as it lies on
/// disk (the layers' digests are taken while writing; checked here by reading them back).
#[test]
fn manifest_digests_match_the_files() {
    use sha2::{Digest, Sha256};
    let (dir, _) = fresh_sample();
    let out = tempfile::tempdir().unwrap();
    let out = out.path().join("out");
    run_ok(&dir.path().join("job.toml"), &out, &[]);
    let manifest = read_json(&out.join("manifest.json"));
    let check = |path: &std::path::Path, record: &serde_json::Value| {
        let bytes = std::fs::read(path).unwrap();
        assert_eq!(
            record["sha256"].as_str().unwrap(),
            format!("{:x}", Sha256::digest(&bytes)),
            "{}",
            path.display()
        );
        assert_eq!(
            record["bytes"].as_u64().unwrap(),
            bytes.len() as u64,
            "{}",
            path.display()
        );
    };
    let outputs = manifest["outputs"].as_array().unwrap();
    assert!(outputs.iter().any(|o| o["file"] == "villages.geojson"));
    for output in outputs {
        check(&out.join(output["file"].as_str().unwrap()), output);
    }
    for input in manifest["inputs"].as_array().unwrap() {
        if input["table"] == "cases" {
            assert!(
                input["sha256"].is_null(),
                "a published run withholds the case file's digest"
            );
            continue;
        }
        check(&dir.path().join(input["file"].as_str().unwrap()), input);
    }
}

#[test]
fn the_join_reproduces_the_generators_totals() {
    let (dir, truth) = fresh_sample();
    let out = tempfile::tempdir().unwrap();
    let out = out.path().join("out");
    // Restricted: exact counts, so totals can be compared.
    run_ok(&dir.path().join("job.toml"), &out, &["--restricted"]);
    let rows = read_csv(&out.join("villages_ranked.csv"));
    assert_eq!(rows.len(), truth.villages);
    let sum = |col: &str| {
        rows.iter()
            .map(|r| r[col].parse::<f64>().unwrap())
            .sum::<f64>()
    };
    assert_eq!(sum("departures"), truth.departures_total);
    let victims: f64 = truth.victims.values().sum();
    assert_eq!(sum("victims"), victims);
    assert_eq!(sum("cases") as u64, truth.cases);
    assert_eq!(
        rows.iter().filter(|r| r["desa_binaan"] == "true").count() as u64,
        truth.desa_binaan
    );
    // Villages without population are visibly missing their rate indicators, never zero.
    for kode in &truth.villages_without_population {
        let r = rows
            .iter()
            .find(|r| r["kode_desa"] == kode.to_string())
            .unwrap();
        assert_eq!(r["departure_rate"], "", "{kode}");
        assert!(
            r["missing_indicators"].contains("departure_rate")
                && r["missing_indicators"].contains("victim_rate"),
            "{r:?}"
        );
    }
    let layer = read_json(&out.join("villages.geojson"));
    let nonproc: f64 = layer["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            f["properties"]["departures_nonprocedural"]
                .as_f64()
                .unwrap()
        })
        .sum();
    assert_eq!(nonproc, truth.departures_nonprocedural);
}

#[test]
fn no_personal_value_reaches_any_output_and_small_counts_are_suppressed() {
    let (dir, truth) = fresh_sample();
    let out = tempfile::tempdir().unwrap();
    let out = out.path().join("out");
    run_ok(&dir.path().join("job.toml"), &out, &[]);
    let files = snapshot(&out);
    assert!(files.len() > 20);
    for (name, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        for value in &truth.personal_values {
            assert!(
                !text.contains(value.as_str()),
                "personal value {value:?} found in {name}"
            );
        }
    }
    // Published village counts are 0 or at least 10; suppressed ones are null and flagged.
    let layer = read_json(&out.join("villages.geojson"));
    let mut suppressed = 0;
    for f in layer["features"].as_array().unwrap() {
        let p = &f["properties"];
        for key in ["cases", "victims"] {
            match p[key].as_u64() {
                Some(v) => assert!(v == 0 || v >= 10, "{key} = {v} published"),
                None => {
                    assert!(p["counts_suppressed"].as_bool().unwrap());
                    suppressed += 1;
                }
            }
        }
    }
    assert!(
        suppressed > 0,
        "the sample has small counts, so some must be suppressed"
    );
    let manifest = read_json(&out.join("manifest.json"));
    assert_eq!(manifest["restricted"], false);
}

#[test]
fn layers_open_in_gdal_with_one_feature_per_village_and_styles_name_real_fields() {
    let (dir, truth) = fresh_sample();
    let out = tempfile::tempdir().unwrap();
    let out = out.path().join("out");
    run_ok(&dir.path().join("job.toml"), &out, &[]);
    assert_eq!(
        ogrinfo_feature_count(&out.join("villages.geojson")),
        truth.villages
    );
    assert_eq!(
        ogrinfo_feature_count(&out.join("lisa.geojson")),
        truth.villages
    );
    let recs = read_csv(&out.join("recommendations.csv"));
    assert_eq!(
        ogrinfo_feature_count(&out.join("recommended.geojson")),
        recs.len()
    );
    assert_eq!(ogrinfo_feature_count(&out.join("offices.geojson")), 4);
    let ranked = read_csv(&out.join("villages_ranked.csv"));
    assert_eq!(
        ogrinfo_feature_count(&out.join("hotspots.geojson")),
        ranked.iter().filter(|r| r["gi_class"] != "ns").count()
    );
    assert_eq!(
        ogrinfo_feature_count(&out.join("desa_binaan.geojson")),
        ranked.iter().filter(|r| r["desa_binaan"] == "true").count()
    );
    for layer in [
        "villages",
        "hotspots",
        "lisa",
        "recommended",
        "desa_binaan",
        "offices",
    ] {
        let qml = std::fs::read_to_string(out.join(format!("{layer}.qml"))).unwrap();
        let fields = qml_fields(&qml);
        let geo = read_json(&out.join(format!("{layer}.geojson")));
        let props: BTreeSet<String> = geo["features"]
            .as_array()
            .unwrap()
            .first()
            .map(|f| {
                f["properties"]
                    .as_object()
                    .unwrap()
                    .keys()
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        assert!(
            !props.is_empty(),
            "{layer} has no features to check its style against"
        );
        for field in fields {
            assert!(
                props.contains(&field),
                "{layer}.qml names field {field:?}, not in {props:?}"
            );
        }
    }
    // The QGIS project parses and refers to every layer of the GeoPackage beside it.
    let qgs = std::fs::read_to_string(out.join("rawan.qgs")).unwrap();
    let mut reader = quick_xml::Reader::from_str(&qgs);
    let mut sources = Vec::new();
    let mut in_ds = false;
    loop {
        match reader.read_event().expect("rawan.qgs is well-formed XML") {
            quick_xml::events::Event::Start(e) if e.name().as_ref() == b"datasource" => {
                in_ds = true
            }
            quick_xml::events::Event::Text(t) if in_ds => {
                sources.push(t.decode().unwrap().into_owned());
                in_ds = false;
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    let mut layers: Vec<&str> = sources
        .iter()
        .map(|s| {
            let (file, layer) = s.split_once("|layername=").expect("a GeoPackage layer");
            assert_eq!(file, "./rawan.gpkg", "{s}");
            layer
        })
        .collect();
    layers.sort();
    assert_eq!(
        layers,
        [
            "desa_binaan",
            "hotspots",
            "lisa",
            "offices",
            "recommended",
            "villages"
        ]
    );
    let gpkg = rusqlite::Connection::open(out.join("rawan.gpkg")).unwrap();
    for layer in layers {
        let n: i64 = gpkg
            .query_row(
                "SELECT count(*) FROM gpkg_contents WHERE table_name = ?1 AND data_type = 'features'",
                [layer],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 1, "{layer} is a feature layer of rawan.gpkg");
    }
}

/// Fields a QML style refers to: the renderer's `attr` and plain label fields, plus the
/// quoted field names in label expressions.
fn qml_fields(qml: &str) -> Vec<String> {
    let mut reader = quick_xml::Reader::from_str(qml);
    let mut out = Vec::new();
    loop {
        match reader.read_event().expect("QML is well-formed XML") {
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e) => {
                let attrs: BTreeMap<String, String> = e
                    .attributes()
                    .map(|a| a.unwrap())
                    .map(|a| {
                        (
                            String::from_utf8_lossy(a.key.as_ref()).into_owned(),
                            a.unescape_value().unwrap().into_owned(),
                        )
                    })
                    .collect();
                if e.name().as_ref() == b"renderer-v2"
                    && let Some(a) = attrs.get("attr")
                {
                    out.push(a.clone());
                }
                if e.name().as_ref() == b"text-style" {
                    let f = &attrs["fieldName"];
                    if attrs.get("isExpression").map(|s| s == "1").unwrap_or(false) {
                        out.extend(f.split('"').skip(1).step_by(2).map(String::from));
                    } else {
                        out.push(f.clone());
                    }
                }
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    assert!(!out.is_empty() || qml.contains("singleSymbol"));
    out
}

#[test]
fn recommendations_respect_budget_and_office_capacity() {
    let (dir, _) = fresh_sample();
    let out = tempfile::tempdir().unwrap();
    let out = out.path().join("out");
    run_ok(&dir.path().join("job.toml"), &out, &[]);
    let recs = read_csv(&out.join("recommendations.csv"));
    assert!(
        !recs.is_empty() && recs.len() <= 15,
        "budget 15: {}",
        recs.len()
    );
    let offices = read_csv(&dir.path().join("offices.csv"));
    for o in &offices {
        let cap: usize = o["capacity"].parse().unwrap();
        let radius: f64 = o["radius_km"].parse().unwrap();
        let mine: Vec<_> = recs.iter().filter(|r| r["office"] == o["office"]).collect();
        assert!(
            mine.len() <= cap,
            "{} has {} > {cap}",
            o["office"],
            mine.len()
        );
        assert!(
            mine.iter()
                .all(|r| r["distance_km"].parse::<f64>().unwrap() <= radius)
        );
    }
    // None is an existing desa binaan, and each has a reason.
    let villages = read_csv(&out.join("villages_ranked.csv"));
    for r in &recs {
        let v = villages
            .iter()
            .find(|v| v["kode_desa"] == r["kode_desa"])
            .unwrap();
        assert_eq!(v["desa_binaan"], "false");
        assert!(!r["reason"].is_empty());
    }
}

#[test]
fn same_inputs_give_byte_identical_outputs_with_one_or_two_threads() {
    let (dir, _) = fresh_sample();
    let tmp = tempfile::tempdir().unwrap();
    let job = dir.path().join("job.toml");
    run_ok(&job, &tmp.path().join("a"), &["--threads", "1"]);
    run_ok(&job, &tmp.path().join("b"), &["--threads", "2"]);
    let a = snapshot(&tmp.path().join("a"));
    let b = snapshot(&tmp.path().join("b"));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (name, bytes) in &a {
        assert!(b[name] == *bytes, "{name} differs between runs");
    }
}

#[test]
fn english_labels_on_request() {
    let (dir, _) = fresh_sample();
    let out = tempfile::tempdir().unwrap();
    let out = out.path().join("out");
    run_ok(&dir.path().join("job.toml"), &out, &["--lang", "en"]);
    let report = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(report.contains("Highest-risk villages, and why"));
    assert!(
        std::fs::read_to_string(out.join("villages.qml"))
            .unwrap()
            .contains("Very high")
    );
    let svg = std::fs::read_to_string(out.join("map_risk.svg")).unwrap();
    assert!(svg.contains("Village risk score"));
}
