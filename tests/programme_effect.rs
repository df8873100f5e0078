//! The programme-effect estimator (Callaway & Sant'Anna) against the `csdid` package on two
//! generated panels (tests/reference/csdid_panels.py): every group-time effect, the simple
//! average and the event study with their standard errors; the planted effect is found and
//! the placebo is not.

use rawan_model::callaway_santanna::{Panel, bootstrap_interval, fit};

fn reference() -> serde_json::Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/reference/csdid_panels.json");
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// The reference panel (ids and periods 1-based, g = 0 for never treated) as rawan's.
fn panel(p: &serde_json::Value) -> Panel {
    let rows = p["rows"].as_array().unwrap();
    let units = rows.iter().map(|r| (r[0].as_f64().unwrap() as u64)).max().unwrap() as usize;
    let periods = rows.iter().map(|r| (r[1].as_f64().unwrap() as u64)).max().unwrap() as usize;
    let mut y = vec![f64::NAN; units * periods];
    let mut cohort = vec![None; units];
    for r in rows {
        let (i, t) = ((r[0].as_f64().unwrap() as u64) as usize - 1, (r[1].as_f64().unwrap() as u64) as usize - 1);
        y[i * periods + t] = r[3].as_f64().unwrap();
        let g = (r[2].as_f64().unwrap() as u64) as usize;
        cohort[i] = (g > 0).then(|| g - 1);
    }
    assert!(y.iter().all(|v| v.is_finite()), "balanced");
    Panel { periods, cohort, y }
}

fn close(a: f64, b: f64, what: &str) {
    assert!((a - b).abs() <= 1e-9 * b.abs().max(1.0), "{what}: rawan {a}, csdid {b}");
}

#[test]
fn every_number_matches_csdid() {
    let r = reference();
    for (name, p) in r["panels"].as_object().unwrap() {
        let f = fit(&panel(p)).unwrap();
        let cells = p["att_gt"].as_array().unwrap();
        assert_eq!(f.cells.len(), cells.len(), "{name}: cells");
        for (c, want) in f.cells.iter().zip(cells) {
            assert_eq!((c.g + 1, c.t + 1), (want["g"].as_u64().unwrap() as usize, want["t"].as_u64().unwrap() as usize));
            close(c.att, want["att"].as_f64().unwrap(), &format!("{name} ATT({},{})", c.g + 1, c.t + 1));
            close(c.se, want["se"].as_f64().unwrap(), &format!("{name} se({},{})", c.g + 1, c.t + 1));
        }
        close(f.simple.estimate, p["simple"]["att"].as_f64().unwrap(), &format!("{name} simple"));
        close(f.simple.se, p["simple"]["se"].as_f64().unwrap(), &format!("{name} simple se"));
        let dynamic = p["dynamic"].as_array().unwrap();
        assert_eq!(f.event_study.len(), dynamic.len());
        for ((e, a), want) in f.event_study.iter().zip(dynamic) {
            assert_eq!(*e, want["e"].as_i64().unwrap());
            close(a.estimate, want["att"].as_f64().unwrap(), &format!("{name} e={e}"));
            close(a.se, want["se"].as_f64().unwrap(), &format!("{name} se e={e}"));
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
    assert!(low > 0.0 && low <= effect && effect <= high, "planted {effect}: [{low}, {high}]");
    // The bootstrap's standard error agrees with the analytical one.
    let boot_se = (high - low) / (2.0 * 1.96);
    assert!((boot_se / f.simple.se - 1.0).abs() < 0.15, "{boot_se} vs {}", f.simple.se);
    // Flat before designation: every pre-period estimate within 2 standard errors of zero.
    for (e, a) in f.event_study.iter().filter(|(e, _)| *e < 0) {
        assert!(a.estimate.abs() < 2.0 * a.se + 1e-9, "e = {e}: {} ± {}", a.estimate, a.se);
    }
    let placebo = fit(&panel(&r["panels"]["placebo"])).unwrap();
    let (low, high) = bootstrap_interval(placebo.simple.estimate, &placebo.simple_influence, 999, 1);
    assert!(low < 0.0 && 0.0 < high, "placebo: [{low}, {high}]");
}
