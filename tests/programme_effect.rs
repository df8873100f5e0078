//! The programme-effect estimator (Callaway & Sant'Anna) against the `csdid` package on two
//! generated panels (tests/reference/csdid_panels.py): every group-time effect, the simple
//! average and the event study with their standard errors; the planted effect is found and
//! the placebo is not. Then whole runs: an effect planted in a generated job's departures is
//! found in `programme_effect.csv`, and none where none was planted.

mod common;
use common::*;
use rawan_model::callaway_santanna::{Panel, bootstrap_interval, fit};
use std::path::Path;

fn reference() -> serde_json::Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/reference/csdid_panels.json"
    );
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// The reference panel (ids and periods 1-based, g = 0 for never treated) as rawan's.
fn panel(p: &serde_json::Value) -> Panel {
    let rows = p["rows"].as_array().unwrap();
    let units = rows
        .iter()
        .map(|r| r[0].as_f64().unwrap() as u64)
        .max()
        .unwrap() as usize;
    let periods = rows
        .iter()
        .map(|r| r[1].as_f64().unwrap() as u64)
        .max()
        .unwrap() as usize;
    let mut y = vec![f64::NAN; units * periods];
    let mut cohort = vec![None; units];
    for r in rows {
        let (i, t) = (
            (r[0].as_f64().unwrap() as u64) as usize - 1,
            (r[1].as_f64().unwrap() as u64) as usize - 1,
        );
        y[i * periods + t] = r[3].as_f64().unwrap();
        let g = (r[2].as_f64().unwrap() as u64) as usize;
        cohort[i] = (g > 0).then(|| g - 1);
    }
    assert!(y.iter().all(|v| v.is_finite()), "balanced");
    Panel { periods, cohort, y }
}

fn close(a: f64, b: f64, what: &str) {
    assert!(
        (a - b).abs() <= 1e-9 * b.abs().max(1.0),
        "{what}: rawan {a}, csdid {b}"
    );
}

#[test]
fn every_number_matches_csdid() {
    let r = reference();
    for (name, p) in r["panels"].as_object().unwrap() {
        let f = fit(&panel(p)).unwrap();
        let cells = p["att_gt"].as_array().unwrap();
        assert_eq!(f.cells.len(), cells.len(), "{name}: cells");
        for (c, want) in f.cells.iter().zip(cells) {
            assert_eq!(
                (c.g + 1, c.t + 1),
                (
                    want["g"].as_u64().unwrap() as usize,
                    want["t"].as_u64().unwrap() as usize
                )
            );
            close(
                c.att,
                want["att"].as_f64().unwrap(),
                &format!("{name} ATT({},{})", c.g + 1, c.t + 1),
            );
            close(
                c.se,
                want["se"].as_f64().unwrap(),
                &format!("{name} se({},{})", c.g + 1, c.t + 1),
            );
        }
        close(
            f.simple.estimate,
            p["simple"]["att"].as_f64().unwrap(),
            &format!("{name} simple"),
        );
        close(
            f.simple.se,
            p["simple"]["se"].as_f64().unwrap(),
            &format!("{name} simple se"),
        );
        let dynamic = p["dynamic"].as_array().unwrap();
        assert_eq!(f.event_study.len(), dynamic.len());
        for ((e, a), want) in f.event_study.iter().zip(dynamic) {
            assert_eq!(*e, want["e"].as_i64().unwrap());
            close(
                a.estimate,
                want["att"].as_f64().unwrap(),
                &format!("{name} e={e}"),
            );
            close(
                a.se,
                want["se"].as_f64().unwrap(),
                &format!("{name} se e={e}"),
            );
        }
    }
}

#[test]
fn the_planted_effect_is_found_and_the_placebo_is_not() {
    let r = reference();
    let planted = &r["panels"]["planted"];
    let f = fit(&panel(planted)).unwrap();
    let (low, high) = bootstrap_interval(f.simple.estimate, &f.simple_influence, 999, 1);
    let effect = planted["effect"].as_f64().unwrap();
    assert!(
        low > 0.0 && low <= effect && effect <= high,
        "planted {effect}: [{low}, {high}]"
    );
    // The bootstrap's standard error agrees with the analytical one.
    let boot_se = (high - low) / (2.0 * 1.96);
    assert!(
        (boot_se / f.simple.se - 1.0).abs() < 0.15,
        "{boot_se} vs {}",
        f.simple.se
    );
    // Flat before designation: every pre-period estimate within 2 standard errors of zero.
    for (e, a) in f.event_study.iter().filter(|(e, _)| *e < 0) {
        assert!(
            a.estimate.abs() < 2.0 * a.se + 1e-9,
            "e = {e}: {} ± {}",
            a.estimate,
            a.se
        );
    }
    let placebo = fit(&panel(&r["panels"]["placebo"])).unwrap();
    let (low, high) =
        bootstrap_interval(placebo.simple.estimate, &placebo.simple_influence, 999, 1);
    assert!(low < 0.0 && 0.0 < high, "placebo: [{low}, {high}]");
}

/// A plain generated job (1,500 villages) whose desa binaan list is replaced by 150
/// designations in five cohorts inside the window (months 6, 12, 18, 24 and 30 of 36), and,
/// with `effect`, each designated village sends `effect` more non-procedural departures per
/// 1,000 residents every month from its designation (rounded to whole departures). Returns
/// the job folder and the effect as planted after rounding, averaged as the estimator
/// averages (cohorts weighted by size and months after designation).
fn planted_job(effect: f64) -> (tempfile::TempDir, f64) {
    let dir = tempfile::tempdir().unwrap();
    let out = rawan(&[
        "synth",
        "--out",
        dir.path().to_str().unwrap(),
        "--villages",
        "1500",
        "--plain",
    ]);
    assert!(out.status.success());
    let layer = read_json(&dir.path().join("villages.geojson"));
    let villages: Vec<(String, f64)> = layer["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let p = &f["properties"];
            (
                p["kode_desa"].as_str().unwrap().to_string(),
                p["population"].as_f64().unwrap(),
            )
        })
        .collect();
    // The window is December 2022 to November 2025: month index k is that many months on.
    let month = |k: usize| ((2022 * 12 + 11 + k) / 12, (11 + k) % 12 + 1);
    let mut binaan = String::from("kode_desa,designated_on,programme,office\n");
    let mut extra = String::new();
    let (mut weighted, mut weights) = (0.0, 0.0);
    for (k, (kode, pop)) in villages
        .iter()
        .enumerate()
        .filter(|(k, _)| k % 10 == 3)
        .take(150)
    {
        let g = 6 * (1 + (k / 10) % 5);
        let (y, m) = month(g);
        binaan += &format!("{kode},{y}-{m:02}-15,Desa Binaan Imigrasi,Kantor Imigrasi Serang\n");
        let count = (effect * pop / 1000.0).round();
        if count > 0.0 {
            for t in g..36 {
                let (y, m) = month(t);
                extra += &format!("{kode},{y},{m},Malaysia,informal,L,nonprocedural,{count}\n");
            }
        }
        // Each village weighs as many months as its cohort has after designation.
        weighted += (36 - g) as f64 * count * 1000.0 / pop;
        weights += (36 - g) as f64;
    }
    std::fs::write(dir.path().join("desa_binaan.csv"), binaan).unwrap();
    let departures = dir.path().join("pmi_departures.csv");
    let mut text = std::fs::read_to_string(&departures).unwrap();
    text += &extra;
    std::fs::write(&departures, text).unwrap();
    (dir, weighted / weights)
}

fn effect_of(job: &Path) -> (BTreeMapRow, Vec<BTreeMapRow>) {
    let out = tempfile::tempdir().unwrap();
    run_ok(&job.join("job.toml"), out.path(), &[]);
    let rows = read_csv(&out.path().join("programme_effect.csv"));
    let events = read_csv(&out.path().join("programme_event_study.csv"));
    (rows.into_iter().next().unwrap(), events)
}

type BTreeMapRow = std::collections::BTreeMap<String, String>;

#[test]
fn a_run_finds_an_effect_planted_in_its_departures_and_no_effect_in_the_placebo() {
    let num = |r: &BTreeMapRow, k: &str| r[k].parse::<f64>().unwrap();
    let (job, planted) = planted_job(2.0);
    let (row, events) = effect_of(job.path());
    assert_eq!(row["outcome"], "nonprocedural_per_1000");
    assert_eq!(row["treated_villages"], "150");
    let (low, high) = (num(&row, "ci_low"), num(&row, "ci_high"));
    assert!(
        low > 0.0 && low <= planted && planted <= high,
        "planted {planted}: {row:?}"
    );
    eprintln!(
        "planted {planted:.4}: estimate {} [{low}, {high}]",
        row["estimate"]
    );
    // Flat before designation: the months observed for at least 5 designated villages.
    let pre: Vec<&BTreeMapRow> = events
        .iter()
        .filter(|e| num(e, "months_since_designation") < 0.0 && num(e, "treated_villages") >= 5.0)
        .collect();
    assert!(pre.len() >= 20, "{}", pre.len());
    let off = pre
        .iter()
        .filter(|e| num(e, "ci_low") > 0.0 || num(e, "ci_high") < 0.0)
        .count();
    assert!(
        off * 10 <= pre.len(),
        "{off} of {} pre-period months away from zero",
        pre.len()
    );

    let (job, _) = planted_job(0.0);
    let (row, _) = effect_of(job.path());
    let (low, high) = (num(&row, "ci_low"), num(&row, "ci_high"));
    assert!(low < 0.0 && 0.0 < high, "placebo: {row:?}");
    eprintln!("placebo: estimate {} [{low}, {high}]", row["estimate"]);
}
