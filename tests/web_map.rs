//! `map.html` in a real browser: Debian's Chromium, headless with software WebGL, opens the
//! sample's page from file:// (tests/browser/check_map.py drives it over the DevTools
//! protocol), and the test checks what a person would: every village drawn, a village's
//! popup with the same figures as the layers, the search, and not one request beyond the
//! file itself. Screenshots go to target/map-screenshots/ to be looked at.
//!
//! The page's data is also read here directly: its counts must be the layers' published
//! counts (suppressed where they are), and it must carry nothing of the case file's rows.

mod common;
use common::*;
use serde_json::Value;
use std::path::Path;
use std::process::Command;

/// Opens `page` in Chromium; the page's self-check, the requests it made, its load time.
fn open_in_chromium(page: &Path, screenshot: &str) -> Value {
    let shots = root().join("target/map-screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let o = Command::new("python3")
        .arg(root().join("tests/browser/check_map.py"))
        .arg(page)
        .arg(shots.join(screenshot))
        .output()
        .expect("python3 runs");
    assert!(
        o.status.success(),
        "the browser check failed (Chromium is installed by `make deps`):\n{}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).unwrap()
}

/// The JSON the page carries (between its data script's tags).
fn page_data(page: &Path) -> Value {
    let html = std::fs::read_to_string(page).unwrap();
    let start = html.find("id=\"rawan-data\">").unwrap() + "id=\"rawan-data\">".len();
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).unwrap()
}

/// Every request must be the page itself or something it made in memory.
fn assert_offline(check: &Value) {
    let requests = check["requests"].as_array().unwrap();
    assert!(!requests.is_empty(), "the page itself was requested");
    for r in requests {
        let url = r.as_str().unwrap();
        assert!(
            url.starts_with("file://") || url.starts_with("blob:") || url.starts_with("data:"),
            "the page asked the network for {url}"
        );
    }
    assert_eq!(
        check["resources"],
        serde_json::json!([]),
        "no resource fetched"
    );
    assert_eq!(
        check["problems"],
        serde_json::json!([]),
        "no CSP violation, no map error"
    );
}

fn feature_by_kode<'a>(layer: &'a Value, kode: &str) -> &'a Value {
    layer["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["properties"]["kode_desa"] == kode)
        .map(|f| &f["properties"])
        .unwrap_or_else(|| panic!("{kode} in the layer"))
}

#[test]
fn the_banten_sample_map_renders_offline_and_its_popup_matches_the_layer() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    run_ok(&root().join("data-sample/job.toml"), &out, &[]);
    let page = out.join("map.html");
    let check = open_in_chromium(&page, "banten.png");
    assert_offline(&check);
    let layer = read_json(&out.join("villages.geojson"));
    let villages = layer["features"].as_array().unwrap().len();
    assert_eq!(check["villages"], villages);
    assert_eq!(check["rendered"], villages, "every village drawn: {check}");
    // The village the page selects is the layer's rank 1, and the popup says what the layer
    // says, in Indonesian number format.
    let kode = check["selected"].as_str().unwrap();
    let v = feature_by_kode(&layer, kode);
    assert_eq!(v["risk_rank"], 1);
    let popup = check["popup"].as_str().unwrap();
    let score = format!("{:.2}", v["risk_score"].as_f64().unwrap()).replace('.', ",");
    for expected in [
        v["desa"].as_str().unwrap().to_string(),
        kode.to_string(),
        format!("{score} / 10"),
        format!(
            "Peringkat 1 dari 1.552 (rentang 90%: {}–{})",
            v["rank_p05"], v["rank_p95"]
        ),
        "Usulan desa binaan #1".to_string(),
        v["reason"].as_str().unwrap().to_string(),
    ] {
        assert!(
            popup.contains(&expected),
            "popup lacks {expected:?}:\n{popup}"
        );
    }
    let suppressed = v["counts_suppressed"].as_bool().unwrap();
    assert_eq!(popup.contains("(s)"), suppressed, "{popup}");
    assert_eq!(
        check["search_first"], kode,
        "searching its code finds it first"
    );
    // Area names are shown, none under the panel.
    assert!(check["labels_shown"].as_u64().unwrap() > 0, "{check}");
    assert_eq!(check["labels_under_panel"], 0, "{check}");
    // A village clicked just beside the panel: its popup ends clear of the panel.
    assert!(
        check["beside_panel"].is_string(),
        "a village beside the panel: {check}"
    );
    assert_eq!(check["popup_clear_of_panel"], true, "{check}");
    // Opened from file:// in seconds, on software rendering.
    assert!(check["load_seconds"].as_f64().unwrap() < 60.0);
}

#[test]
fn the_cianjur_page_speaks_english_when_asked() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    run_ok(
        &root().join("data-sample/cianjur/job.toml"),
        &out,
        &["--lang", "en"],
    );
    let page = out.join("map.html");
    let check = open_in_chromium(&page, "cianjur-en.png");
    assert_offline(&check);
    assert_eq!(check["rendered"], 360);
    let popup = check["popup"].as_str().unwrap();
    assert!(popup.contains("Rank 1 of 360"), "{popup}");
    assert!(popup.contains("Risk score"), "{popup}");
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    // One kabupaten: its kecamatan are the outlines and the labels.
    let data = page_data(&page);
    assert_eq!(
        data["areas"].as_array().unwrap().len(),
        32,
        "Cianjur's 32 kecamatan"
    );
}

#[test]
fn the_page_publishes_the_layers_counts_and_nothing_of_the_case_rows() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    run_ok(&root().join("data-sample/job.toml"), &out, &[]);
    let data = page_data(&out.join("map.html"));
    let layer = read_json(&out.join("villages.geojson"));
    let features = layer["features"].as_array().unwrap();
    let rows = data["villages"].as_array().unwrap();
    assert_eq!(rows.len(), features.len());
    let (mut suppressed, mut shown) = (0, 0);
    for (row, f) in rows.iter().zip(features) {
        let p = &f["properties"];
        assert_eq!(row[0], p["kode_desa"]);
        for (at, key) in [(20, "cases"), (21, "victims")] {
            if p[key].is_null() {
                assert_eq!(row[at], "(s)", "{} {key}", p["kode_desa"]);
                suppressed += 1;
            } else {
                assert_eq!(row[at], p[key], "{} {key}", p["kode_desa"]);
                shown += 1;
            }
        }
    }
    assert!(suppressed > 0 && shown > 0, "the sample has both kinds");
    // No case identifier, modus or destination from the case file appears in the page.
    let html = std::fs::read_to_string(out.join("map.html")).unwrap();
    let cases = read_csv(&root().join("data-sample/cases.csv"));
    let mut looked = 0;
    for c in &cases {
        for (k, value) in c {
            let k = k.to_lowercase();
            if (k.contains("case")
                || k.contains("kasus")
                || k.contains("nik")
                || k.contains("telp"))
                && value.len() >= 6
            {
                looked += 1;
                assert!(!html.contains(value.as_str()), "{k} = {value} in map.html");
            }
        }
    }
    assert!(looked > 0, "the case file's identifiers were looked for");
}

#[test]
fn shared_borders_stay_shared_on_the_real_villages() {
    // Decoded from the page: every arc is used by one ring (the region's edge, or a border
    // the file does not share vertex for vertex) or two (a common border, stored once); the
    // simplified villages cover the same area as the file's, within 1 %.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    run_ok(&root().join("data-sample/job.toml"), &out, &[]);
    let data = page_data(&out.join("map.html"));
    let q = data["quantum"].as_f64().unwrap();
    let origin = (
        data["origin"][0].as_f64().unwrap(),
        data["origin"][1].as_f64().unwrap(),
    );
    let arcs: Vec<Vec<(f64, f64)>> = data["arcs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let a = a.as_array().unwrap();
            let (mut x, mut y) = (0i64, 0i64);
            a.chunks(2)
                .map(|d| {
                    x += d[0].as_i64().unwrap();
                    y += d[1].as_i64().unwrap();
                    (origin.0 + x as f64 * q, origin.1 + y as f64 * q)
                })
                .collect()
        })
        .collect();
    let mut uses = vec![0; arcs.len()];
    let mut page_area = 0.0;
    for village in data["rings"].as_array().unwrap() {
        for polygon in village.as_array().unwrap() {
            for ring in polygon.as_array().unwrap() {
                let mut pts: Vec<(f64, f64)> = Vec::new();
                for r in ring.as_array().unwrap() {
                    let r = r.as_i64().unwrap();
                    let i = if r < 0 { !r } else { r } as usize;
                    uses[i] += 1;
                    let mut a = arcs[i].clone();
                    if r < 0 {
                        a.reverse();
                    }
                    let skip = usize::from(!pts.is_empty());
                    pts.extend(a.into_iter().skip(skip));
                }
                page_area += pts
                    .windows(2)
                    .map(|w| w[0].0 * w[1].1 - w[1].0 * w[0].1)
                    .sum::<f64>()
                    / 2.0;
            }
        }
    }
    assert!(
        uses.iter().all(|&u| u == 1 || u == 2),
        "an arc used 3+ times"
    );
    // BIG's real layer shares about a third of its borders vertex for vertex (the rest are
    // drawn by each side, as the file has them); what the file shares, the page shares.
    let shared = uses.iter().filter(|&&u| u == 2).count();
    assert!(shared > 6000, "shared borders: {shared} of {}", arcs.len());
    let layer = read_json(&out.join("villages.geojson"));
    let mut file_area = 0.0;
    for f in layer["features"].as_array().unwrap() {
        for polygon in f["geometry"]["coordinates"].as_array().unwrap() {
            for ring in polygon.as_array().unwrap() {
                let pts: Vec<(f64, f64)> = ring
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| (c[0].as_f64().unwrap(), c[1].as_f64().unwrap()))
                    .collect();
                file_area += pts
                    .windows(2)
                    .map(|w| w[0].0 * w[1].1 - w[1].0 * w[0].1)
                    .sum::<f64>()
                    / 2.0;
            }
        }
    }
    assert!(
        (page_area / file_area - 1.0).abs() < 0.01,
        "page {page_area} vs layer {file_area}"
    );
}
