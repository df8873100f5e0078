//! A job written by hand against the data contract (tests/fixtures/handwritten), small
//! enough that its numbers can be checked on paper.

mod common;
use common::*;

#[test]
fn a_hand_written_job_runs_and_its_numbers_check_by_hand() {
    let out = tempfile::tempdir().unwrap();
    let out = out.path().join("out");
    run_ok(&root().join("tests/fixtures/handwritten/job.toml"), &out, &[]);
    assert_eq!(ogrinfo_feature_count(&out.join("villages.geojson")), 9);
    let rejects = read_csv(&out.join("rejects.csv"));
    assert_eq!(rejects.len(), 1);
    assert_eq!((rejects[0]["file"].as_str(), rejects[0]["line"].as_str(), rejects[0]["column"].as_str()), ("keberangkatan.csv", "6", "date"));
    let matches = read_csv(&out.join("matches.csv"));
    assert_eq!(matches.len(), 1);
    assert_eq!(matches[0]["kode_desa"], "36.04.01.2005");
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
