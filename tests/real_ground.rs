//! The two sample jobs on real ground (data-sample/README.md): every village carries its real
//! code and name, the desa binaan the news reports land on their villages (Cianjur's list is
//! written by names, with the kecamatan spelt otherwise than in the boundary file), and the
//! outputs say the statistics are synthetic.

mod common;
use common::*;
use std::collections::BTreeMap;

/// `kode → nama` of a code table in data/boundaries.
fn code_table(name: &str) -> BTreeMap<String, String> {
    let mut r = csv::Reader::from_path(root().join("data/boundaries").join(name)).unwrap();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            (rec[0].to_string(), rec[1].to_string())
        })
        .collect()
}

fn run_committed(job: &str) -> (tempfile::TempDir, serde_json::Value) {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("out");
    run_ok(&root().join(job), &dir, &[]);
    let layer = read_json(&dir.join("villages.geojson"));
    (out, layer)
}

fn check_names(layer: &serde_json::Value, codes: &BTreeMap<String, String>, villages: usize) {
    let features = layer["features"].as_array().unwrap();
    assert_eq!(features.len(), villages);
    for f in features {
        let p = &f["properties"];
        let kode = p["kode_desa"].as_str().unwrap();
        let name = |code: &str| {
            codes
                .get(code)
                .unwrap_or_else(|| panic!("{code} is not in the code table"))
                .as_str()
        };
        assert_eq!(p["desa"], name(kode), "{kode}");
        assert_eq!(p["kecamatan"], name(&kode[..8]), "{kode}");
        assert_eq!(p["kabupaten"], name(&kode[..5]), "{kode}");
        assert_eq!(p["provinsi"], name(&kode[..2]), "{kode}");
    }
}

#[test]
fn every_banten_village_carries_its_real_code_and_name() {
    let (_out, layer) = run_committed("data-sample/job.toml");
    check_names(&layer, &code_table("wilayah_kode_banten_36.csv"), 1552);
}

#[test]
fn cianjurs_desa_binaan_listed_by_name_reach_their_own_villages() {
    let (out, layer) = run_committed("data-sample/cianjur/job.toml");
    check_names(&layer, &code_table("wilayah_kode_cianjur_3203.csv"), 360);
    let binaan: Vec<(&str, &str)> = layer["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["properties"]["desa_binaan"] == true)
        .map(|f| {
            let p = &f["properties"];
            (
                p["kode_desa"].as_str().unwrap(),
                p["designated_on"].as_str().unwrap(),
            )
        })
        .collect();
    // Not 32.03.11.2009, 32.03.19.2014 or 32.03.30.2005, Cianjur's other villages named Sukajaya.
    assert_eq!(
        binaan,
        [
            ("32.03.06.2002", "2024-06-25"),
            ("32.03.06.2007", "2024-06-25"),
            ("32.03.06.2010", "2024-06-25"),
        ]
    );
    // Each was matched by name and listed as such.
    let matches = read_csv(&out.path().join("out/matches.csv"));
    let listed: Vec<&str> = matches
        .iter()
        .filter(|m| m["file"] == "desa_binaan.csv")
        .map(|m| m["kode_desa"].as_str())
        .collect();
    assert_eq!(listed, ["32.03.06.2002", "32.03.06.2007", "32.03.06.2010"]);
    let offices = read_json(&out.path().join("out/offices.geojson"));
    assert_eq!(offices["features"].as_array().unwrap().len(), 1);
}

#[test]
fn tanjakan_mekar_is_a_desa_binaan_with_its_reported_socialisation() {
    let dir = root().join("data-sample");
    let outreach = std::fs::read_to_string(dir.join("outreach.csv")).unwrap();
    let reported: Vec<&str> = outreach
        .lines()
        .filter(|l| l.starts_with("36.03.11.2009;") && l.contains("November 2025"))
        .collect();
    assert!(
        reported
            .iter()
            .any(|l| l.contains("4 November 2025") && l.ends_with(";50")),
        "{reported:?}"
    );
    let (_out, layer) = run_committed("data-sample/job.toml");
    let v = layer["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["properties"]["kode_desa"] == "36.03.11.2009")
        .expect("Tanjakan Mekar is in the layer");
    assert_eq!(v["properties"]["desa"], "Tanjakan Mekar");
    assert_eq!(v["properties"]["kecamatan"], "Rajeg");
    assert_eq!(v["properties"]["desa_binaan"], true);
    assert_eq!(v["properties"]["designated_on"], "2025-11-04");
}

#[test]
fn outputs_of_a_synthetic_job_say_so() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("out");
    run_ok(
        &root().join("data-sample/cianjur/job.toml"),
        &dir,
        &["--lang", "en"],
    );
    let manifest = read_json(&dir.join("manifest.json"));
    assert_eq!(manifest["synthetic"], true);
    let report = std::fs::read_to_string(dir.join("report.md")).unwrap();
    assert!(report.contains("SYNTHETIC DATA"), "report top");
    assert!(
        report.trim_end().ends_with("Not official data.*"),
        "report footer"
    );
    for chart in [
        "map_risk.svg",
        "top_contributions.svg",
        "victims_by_kabupaten.svg",
    ] {
        let svg = std::fs::read_to_string(dir.join(chart)).unwrap();
        assert!(svg.contains("SYNTHETIC DATA"), "{chart}");
    }
    // A job that does not say so carries no such label.
    let plain = tempfile::tempdir().unwrap();
    let job = job_copy();
    run_ok(&job.path().join("job.toml"), &plain.path().join("out"), &[]);
    let manifest = read_json(&plain.path().join("out/manifest.json"));
    assert_eq!(manifest["synthetic"], false);
    let svg = std::fs::read_to_string(plain.path().join("out/map_risk.svg")).unwrap();
    assert!(!svg.contains("SINTETIS"));
}

#[test]
fn a_one_kabupaten_region_charts_its_victims_by_kecamatan_as_its_summary_publishes_them() {
    let (out, _) = run_committed("data-sample/cianjur/job.toml");
    let svg = std::fs::read_to_string(out.path().join("out/victims_by_kabupaten.svg")).unwrap();
    // The SVG writes each text on a line of its own.
    let texts: Vec<&str> = svg.lines().map(str::trim).collect();
    let summary = read_csv(&out.path().join("out/kecamatan_summary.csv"));
    assert_eq!(summary.len(), 32);
    for row in &summary {
        assert!(
            texts.contains(&row["kecamatan"].as_str()),
            "{} not on the chart",
            row["kecamatan"]
        );
        let (lo, hi) = (&row["victims_min"], &row["victims_max"]);
        let text = if lo == hi {
            lo.clone()
        } else {
            format!("{lo}–{hi}")
        };
        assert!(
            texts.contains(&text.as_str()),
            "{}: {text} not on the chart",
            row["kecamatan"]
        );
    }
    // Banten, eight kabupaten/kota, keeps its bars by kabupaten.
    let (banten, _) = run_committed("data-sample/job.toml");
    let svg = std::fs::read_to_string(banten.path().join("out/victims_by_kabupaten.svg")).unwrap();
    assert!(svg.contains("Kab. Lebak") && !svg.contains("Rajeg"));
}
