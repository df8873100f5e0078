//! The attacks a hostile reviewer would try on a published run (docs/privacy.md), each run
//! against the real binary on the sample:
//!
//! - **change a small count** (3 → 4, and move the case in time): nothing published may
//!   change, under local and global EB with a case half-life so long that the published rates
//!   would otherwise invert to the counts;
//! - **the LP audit**: every hidden cell's feasible interval, given every published table
//!   together (villages, kecamatan, kabupaten, province), computed by linear programming,
//!   must be the whole protection interval 1 … k − 1; the same audit catches the
//!   complementary-suppression scheme rawan used before;
//! - **planted personal values** in every column of the case file, including an NIK shifted
//!   into `kode_desa` by an unquoted comma: none may appear in any output;
//! - **row-level linkage**: no published file links a case row (its line, its id) to a village.

mod common;
use common::*;
use microlp::{ComparisonOp, OptimizationDirection, Problem};
use std::collections::BTreeMap;
use std::path::Path;

const K: u64 = 10;

/// The sample's case file as header + records.
fn read_cases(dir: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(dir.join("cases.csv")).unwrap();
    let header: Vec<String> = r
        .headers()
        .unwrap()
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_string())
        .collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

fn write_cases(dir: &Path, header: &[String], rows: &[Vec<String>]) {
    let mut w = csv::Writer::from_path(dir.join("cases.csv")).unwrap();
    w.write_record(header).unwrap();
    for r in rows {
        w.write_record(r).unwrap();
    }
    w.flush().unwrap();
}

fn append_to_job(dir: &Path, text: &str) {
    let job = dir.join("job.toml");
    let mut t = std::fs::read_to_string(&job).unwrap();
    t.push_str(text);
    std::fs::write(job, t).unwrap();
}

/// Exact victims per village, from a restricted run.
fn exact_victims(job: &Path) -> BTreeMap<String, u64> {
    let out = tempfile::tempdir().unwrap();
    run_ok(job, &out.path().join("r"), &["--restricted"]);
    let layer = read_json(&out.path().join("r/villages.geojson"));
    layer["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["properties"]["kode_desa"].as_str().unwrap().to_string(),
                f["properties"]["victims"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// Changes one small village's victims by one (staying small) and moves that case in time.
/// Returns the village code.
fn nudge_a_small_village(dir: &Path) -> String {
    let exact = exact_victims(&dir.join("job.toml"));
    let (header, mut rows) = read_cases(dir);
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (kode, reported, victims, crime) = (
        col("kode_desa"),
        col("reported_on"),
        col("victims"),
        col("crime"),
    );
    let i = rows
        .iter()
        .position(|r| {
            let ok_date = r[reported].len() == 10
                && r[reported].as_str() >= "2023-01-01"
                && r[reported].as_str() <= "2025-11-30";
            let small = exact
                .get(&r[kode])
                .is_some_and(|&v| (1..=K - 2).contains(&v));
            ok_date
                && small
                && r[victims].parse::<u64>().is_ok()
                && matches!(r[crime].to_lowercase().as_str(), "tppo" | "tppm")
        })
        .expect("the sample has a village with a small victim count");
    let v: u64 = rows[i][victims].parse().unwrap();
    rows[i][victims] = (v + 1).to_string();
    rows[i][reported] = if rows[i][reported].as_str() < "2025-01-01" {
        "2025-10-15".into()
    } else {
        "2023-02-15".into()
    };
    let village = rows[i][kode].clone();
    write_cases(dir, &header, &rows);
    assert_eq!(
        exact_victims(&dir.join("job.toml"))[&village],
        exact[&village] + 1,
        "the change reached the model's input"
    );
    village
}

fn small_change_publishes_nothing(job_extra: &str) {
    let (dir, _) = fresh_sample();
    append_to_job(dir.path(), job_extra);
    let out = tempfile::tempdir().unwrap();
    run_ok(
        &dir.path().join("job.toml"),
        &out.path().join("before"),
        &[],
    );
    let village = nudge_a_small_village(dir.path());
    run_ok(&dir.path().join("job.toml"), &out.path().join("after"), &[]);
    let (before, after) = (
        snapshot(&out.path().join("before")),
        snapshot(&out.path().join("after")),
    );
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    let changed: Vec<&String> = before.keys().filter(|f| before[*f] != after[*f]).collect();
    assert!(
        changed.is_empty(),
        "changing village {village}'s small victim count changed published files: {changed:?}"
    );
}

#[test]
fn a_small_count_changes_nothing_published_local_eb() {
    // A case half-life of 100 years: with exact counts behind the rates, the local EB
    // equations would solve back to every village's count.
    small_change_publishes_nothing("\n[model]\neb = \"local\"\ncase_half_life_months = 1200.0\n");
}

#[test]
fn a_small_count_changes_nothing_published_global_eb() {
    // Global EB with no decay: the published rate would invert in closed form.
    small_change_publishes_nothing("\n[model]\neb = \"global\"\ncase_half_life_months = 1200.0\n");
}

/// One published count: a village cell (exact or hidden) or an area total over villages.
struct Published {
    /// (village index, exact value or None when hidden as 1 … k − 1).
    cells: Vec<Option<u64>>,
    /// (villages, lo, hi): the published total of these villages lies in [lo, hi].
    totals: Vec<(Vec<usize>, u64, u64)>,
}

/// Each hidden cell's feasible interval given everything published, by linear programming
/// (the attacker knows a hidden cell is 1 … k − 1, as docs/privacy.md says).
fn feasible_intervals(p: &Published) -> Vec<(usize, f64, f64)> {
    let hidden: Vec<usize> = (0..p.cells.len())
        .filter(|&i| p.cells[i].is_none())
        .collect();
    let mut out = Vec::new();
    for &target in &hidden {
        let mut ends = [0.0; 2];
        for (e, dir) in [
            OptimizationDirection::Minimize,
            OptimizationDirection::Maximize,
        ]
        .into_iter()
        .enumerate()
        {
            let mut lp = Problem::new(dir);
            let vars: BTreeMap<usize, microlp::Variable> = hidden
                .iter()
                .map(|&i| {
                    (
                        i,
                        lp.add_var(if i == target { 1.0 } else { 0.0 }, (1.0, (K - 1) as f64)),
                    )
                })
                .collect();
            for (members, lo, hi) in &p.totals {
                let known: u64 = members.iter().filter_map(|&i| p.cells[i]).sum();
                let terms: Vec<(microlp::Variable, f64)> = members
                    .iter()
                    .filter_map(|i| vars.get(i).map(|&v| (v, 1.0)))
                    .collect();
                if terms.is_empty() {
                    continue;
                }
                lp.add_constraint(
                    terms.as_slice(),
                    ComparisonOp::Ge,
                    *lo as f64 - known as f64,
                );
                lp.add_constraint(
                    terms.as_slice(),
                    ComparisonOp::Le,
                    *hi as f64 - known as f64,
                );
            }
            ends[e] = match lp.solve().expect("the published tables are consistent") {
                microlp::SolveOutcome::Solution(s) => s.objective(),
                other => panic!("the LP did not finish: {other:?}"),
            };
        }
        out.push((target, ends[0], ends[1]));
    }
    out
}

/// Every published count of one measure in a published run's folder.
fn published_counts(out: &Path, measure: &str) -> Published {
    let layer = read_json(&out.join("villages.geojson"));
    let props: Vec<&serde_json::Value> = layer["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| &f["properties"])
        .collect();
    let cells: Vec<Option<u64>> = props.iter().map(|p| p[measure].as_u64()).collect();
    let name = |p: &serde_json::Value, k: &str| p[k].as_str().unwrap().to_string();
    let mut totals = Vec::new();
    let (lo, hi) = (format!("{measure}_min"), format!("{measure}_max"));
    for row in read_csv(&out.join("kecamatan_summary.csv")) {
        let members = (0..props.len())
            .filter(|&i| {
                name(props[i], "kabupaten") == row["kabupaten"]
                    && name(props[i], "kecamatan") == row["kecamatan"]
            })
            .collect();
        totals.push((
            members,
            row[&lo].parse().unwrap(),
            row[&hi].parse().unwrap(),
        ));
    }
    for row in read_csv(&out.join("kabupaten_summary.csv")) {
        let members = (0..props.len())
            .filter(|&i| name(props[i], "kabupaten") == row["kabupaten"])
            .collect();
        totals.push((
            members,
            row[&lo].parse().unwrap(),
            row[&hi].parse().unwrap(),
        ));
    }
    // The province total, as the report prints it ("| **Jumlah** | **cases** | **victims** |").
    let report = std::fs::read_to_string(out.join("report.md")).unwrap();
    let line = report
        .lines()
        .find(|l| l.starts_with("| **Jumlah**") || l.starts_with("| **Total**"))
        .expect("a total line");
    let cells_text: Vec<&str> = line
        .split('|')
        .map(|c| c.trim().trim_matches('*'))
        .filter(|c| !c.is_empty())
        .collect();
    let text = if measure == "cases" {
        cells_text[1]
    } else {
        cells_text[2]
    };
    let (a, b) = text.split_once('–').unwrap_or((text, text));
    totals.push((
        (0..props.len()).collect(),
        a.parse().unwrap(),
        b.parse().unwrap(),
    ));
    Published { cells, totals }
}

#[test]
fn the_lp_audit_finds_every_hidden_cell_fully_protected() {
    let (dir, _) = fresh_sample();
    let out = tempfile::tempdir().unwrap();
    run_ok(&dir.path().join("job.toml"), &out.path().join("o"), &[]);
    for measure in ["victims", "cases"] {
        let p = published_counts(&out.path().join("o"), measure);
        let intervals = feasible_intervals(&p);
        assert!(
            intervals.len() > 50,
            "{measure}: the sample has many small cells ({})",
            intervals.len()
        );
        for (i, lo, hi) in intervals {
            assert!(
                (lo - 1.0).abs() < 1e-6 && (hi - (K - 1) as f64).abs() < 1e-6,
                "{measure}: village #{i} narrowed to [{lo}, {hi}]"
            );
        }
    }
}

#[test]
fn the_lp_audit_catches_the_old_complementary_suppression() {
    // The issue's case under the scheme rawan used before: one kecamatan, villages 12, 3
    // (hidden), 0 (hidden as "the smallest other village"), total 15 published; the
    // attacker knows a hidden cell is 0 … 9 here (a zero could be a partner).
    let p = Published {
        cells: vec![Some(12), None, None],
        totals: vec![(vec![0, 1, 2], 15, 15)],
    };
    // With the attacker's box 1 … 9 the total alone pins the hidden pair's sum to 3.
    let intervals = feasible_intervals(&p);
    let widths: Vec<f64> = intervals.iter().map(|(_, lo, hi)| hi - lo).collect();
    assert!(
        widths.iter().all(|w| *w < (K - 2) as f64),
        "the audit must see the narrowing: {intervals:?}"
    );
}

/// Personal values planted in every column of the case file.
const PLANTED: &[&str] = &[
    "3603171234560001",
    "3603171234560002",
    "3603171234560003",
    "81299887772",
    "81,299,887,772",
    "Siti Planted Korban",
    "Dewi Planted Rahayu",
    "Rina Planted Wati",
    "Budi Planted",
    "Jl. Planted No. 9",
    "PLANTED-CASE-ID",
];

#[test]
fn planted_personal_values_reach_no_output() {
    let (dir, _) = fresh_sample();
    // A case file whose personal columns come before kode_desa, so that an unquoted comma in
    // a name shifts the NIK into kode_desa.
    let (old_header, old_rows) = read_cases(dir.path());
    let header: Vec<String> =
        "case_id,nama_korban,nik,reported_on,crime,victims,kode_desa,desa,kecamatan,kabupaten,modus,destination_country,source,no_hp,alamat"
            .split(',')
            .map(String::from)
            .collect();
    let pick = |r: &Vec<String>, name: &str| {
        old_header
            .iter()
            .position(|h| h == name)
            .map(|i| r[i].clone())
            .unwrap_or_default()
    };
    let mut text = header.join(",") + "\n";
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    for r in &old_rows {
        let row: Vec<String> = header.iter().map(|h| pick(r, h)).collect();
        w.write_record(&row).unwrap();
    }
    text.push_str(&String::from_utf8(w.into_inner().unwrap()).unwrap());
    let ids: Vec<String> = old_rows.iter().map(|r| pick(r, "case_id")).collect();
    let good = "2025-03-01,TPPO,2,36.01.01.2001,,,,pemalsuan dokumen,Malaysia,Polda Banten,081200000000,Jl. Planted No. 9";
    text.push_str(
        "X-1,Siti Planted Korban,3603171234560003,2025-03-01,TPPO,2,3603171234560001,,,,,,,,\n",
    );
    text.push_str(&format!(
        "3603171234560002,Siti Planted Korban,3603171234560003,{good}\n"
    ));
    text.push_str("X-3,Siti Planted Korban,3603171234560003,2025-03-01,Siti Planted Korban,2,36.01.01.2001,,,,,,,,\n");
    text.push_str("X-4,Siti Planted Korban,3603171234560003,2025-03-01,TPPO,2,36.01.01.2001,,,,Dewi Planted Rahayu,Rina Planted Wati,Rina Planted Wati,,\n");
    text.push_str("X-5,Siti Planted Korban,3603171234560003,2025-03-01,TPPO,\"81,299,887,772\",36.01.01.2001,,,,,,,,\n");
    text.push_str(
        "X-6,Budi Planted, Santoso,3603171234560003,2025-03-01,TPPO,2,36.01.01.2001,,,,,,,,\n",
    );
    text.push_str("PLANTED-CASE-ID,Siti Planted Korban,3603171234560003,2025-03-01,TPPO,2,36.01.01.2001,Siti Planted Korban,,,,,,,\n");
    std::fs::write(dir.path().join("cases.csv"), text).unwrap();
    let out = tempfile::tempdir().unwrap();
    let o = run_ok(&dir.path().join("job.toml"), &out.path().join("o"), &[]);
    let files = snapshot(&out.path().join("o"));
    for (name, bytes) in &files {
        let text = readable_text(&out.path().join("o").join(name), bytes);
        for value in PLANTED {
            assert!(
                !text.contains(value),
                "{name} contains the planted value {value:?}"
            );
        }
        for id in &ids {
            assert!(!text.contains(id.as_str()), "{name} contains case_id {id}");
        }
    }
    assert!(files.len() > 30);
    // The phone number was refused as a count, not published as 81 billion victims.
    let layer = read_json(&out.path().join("o/villages.geojson"));
    let max = layer["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["properties"]["victims"].as_u64())
        .max()
        .unwrap();
    assert!(max < 10_000, "largest village victims {max}");
    // The terminal (the analyst's own screen) may say more, but not the planted values either.
    let said = String::from_utf8_lossy(&o.stdout);
    assert!(!PLANTED.iter().any(|v| said.contains(v)), "{said}");
}

#[test]
fn no_published_file_links_a_case_row_to_a_village() {
    let (dir, _) = fresh_sample();
    let out = tempfile::tempdir().unwrap();
    run_ok(&dir.path().join("job.toml"), &out.path().join("o"), &[]);
    for log in ["rejects.csv", "warnings.csv", "matches.csv"] {
        for row in read_csv(&out.path().join("o").join(log)) {
            if row["file"] == "cases.csv" {
                assert_eq!(
                    row["line"], "",
                    "{log}: a case row's line is published: {row:?}"
                );
                for (k, v) in &row {
                    if ["kode_desa", "matched_desa", "value"].contains(&k.as_str()) {
                        assert_eq!(v, "", "{log}: {k} of a case row is published: {row:?}");
                    }
                    if k == "given" {
                        assert!(
                            v.contains("row(s) of the case file") && v.contains("not published"),
                            "{log}: a case row's names are published: {row:?}"
                        );
                    }
                }
            }
        }
    }
    let manifest = read_json(&out.path().join("o/manifest.json"));
    let cases = manifest["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["table"] == "cases")
        .unwrap();
    assert!(
        cases["sha256"].is_null() && cases["used"].is_null(),
        "{cases}"
    );
    assert!(!out.path().join("o/RESTRICTED_case_rows.csv").exists());
    // A restricted run lists them, in a file named so nobody shares it by mistake.
    run_ok(
        &dir.path().join("job.toml"),
        &out.path().join("r"),
        &["--restricted"],
    );
    let rows = read_csv(&out.path().join("r/RESTRICTED_case_rows.csv"));
    assert!(
        rows.iter().any(|r| r["kind"] == "matched") && rows.iter().any(|r| r["kind"] == "rejected")
    );
    let manifest = read_json(&out.path().join("r/manifest.json"));
    assert_eq!(manifest["publishable"], serde_json::json!([]));
}

#[test]
fn the_privacy_threshold_cannot_be_lowered_without_restricted() {
    let (dir, _) = fresh_sample();
    append_to_job(dir.path(), "\n[privacy]\nmin_count = 1\n");
    let out = tempfile::tempdir().unwrap();
    let o = rawan(&[
        "run",
        dir.path().join("job.toml").to_str().unwrap(),
        "--out",
        out.path().join("o").to_str().unwrap(),
        "--quiet",
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert!(
        err.contains("privacy.min_count") && err.contains("--restricted"),
        "{err}"
    );
    assert!(!out.path().join("o").exists());
    run_ok(
        &dir.path().join("job.toml"),
        &out.path().join("r"),
        &["--restricted"],
    );
    let report = std::fs::read_to_string(out.path().join("r/report.md")).unwrap();
    assert!(!report.contains("4294967295"), "k − 1 underflowed");
}

/// Everything a reader of an output can see as text: a compressed or binary format opened as
/// its reader opens it (the workbook's XML parts unzipped, a Parquet file's cells, a
/// GeoPackage's text and number cells), any other file as it is.
fn readable_text(path: &Path, bytes: &[u8]) -> String {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    match ext {
        "xlsx" => {
            use std::io::Read;
            let mut zip = ::zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
            let mut text = String::new();
            for i in 0..zip.len() {
                zip.by_index(i).unwrap().read_to_string(&mut text).unwrap();
            }
            text
        }
        "parquet" => {
            use polars::prelude::*;
            let df = ParquetReader::new(std::io::Cursor::new(bytes.to_vec()))
                .finish()
                .unwrap();
            let mut text = String::new();
            for c in df.columns() {
                text.push_str(c.name());
                let s = c.as_materialized_series().cast(&DataType::String).unwrap();
                let s = s.str().unwrap();
                for v in (0..s.len()).filter_map(|i| s.get(i)) {
                    text.push('\n');
                    text.push_str(v);
                }
            }
            text
        }
        "gpkg" => {
            let db = rusqlite::Connection::open_with_flags(
                path,
                rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
            )
            .unwrap();
            let tables: Vec<String> = db
                .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            let mut text = String::new();
            for t in tables {
                let mut stmt = db.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
                let n = stmt.column_count();
                let mut rows = stmt.query([]).unwrap();
                while let Some(row) = rows.next().unwrap() {
                    for k in 0..n {
                        use rusqlite::types::ValueRef;
                        match row.get_ref(k).unwrap() {
                            ValueRef::Text(t) => text.push_str(&String::from_utf8_lossy(t)),
                            ValueRef::Integer(i) => text.push_str(&i.to_string()),
                            ValueRef::Real(x) => text.push_str(&x.to_string()),
                            // Geometries: numbers, never text.
                            ValueRef::Blob(_) | ValueRef::Null => {}
                        }
                        text.push('\n');
                    }
                }
            }
            text
        }
        _ => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// Each hidden cell of one modus-table row, by linear programming: the village cells hidden
/// as 1 … k − 1 (`small`), and the table's suppressed cells (at least 1, or 0 when the whole
/// row is suppressed), tied by the row's total: small + `exact` = published + suppressed.
/// Returns (min, max) for every hidden village cell, then for every suppressed table cell.
fn modus_row_ranges(cells: &[Option<u64>], exact: u64, small: u64) -> Vec<(f64, f64)> {
    let published: u64 = cells.iter().flatten().sum();
    let suppressed = cells.iter().filter(|c| c.is_none()).count();
    let whole_row = suppressed == cells.len();
    let targets = small as usize + suppressed;
    let mut out = Vec::new();
    for target in 0..targets {
        let mut ends = [0.0; 2];
        for (e, dir) in [
            OptimizationDirection::Minimize,
            OptimizationDirection::Maximize,
        ]
        .into_iter()
        .enumerate()
        {
            let mut lp = Problem::new(dir);
            let mut terms = Vec::new();
            for j in 0..targets {
                let objective = if j == target { 1.0 } else { 0.0 };
                if j < small as usize {
                    let v = lp.add_var(objective, (1.0, (K - 1) as f64));
                    terms.push((v, 1.0));
                } else {
                    let low = if whole_row { 0.0 } else { 1.0 };
                    let v = lp.add_var(objective, (low, 1e6));
                    terms.push((v, -1.0));
                }
            }
            // small − suppressed = published − exact
            lp.add_constraint(
                terms.as_slice(),
                ComparisonOp::Eq,
                published as f64 - exact as f64,
            );
            ends[e] = match lp.solve().expect("the row is consistent") {
                microlp::SolveOutcome::Solution(s) => s.objective(),
                other => panic!("the LP did not finish: {other:?}"),
            };
        }
        out.push((ends[0], ends[1]));
    }
    out
}

/// The modus table's suppression rule (`rawan_publish::modus::protect_row`) on 400 random
/// rows, audited by linear programming: whatever the row publishes, every village cell hidden
/// as 1 … k − 1 and every suppressed cell of the row can still be anything from 1 to k − 1.
#[test]
fn the_modus_rows_leave_every_hidden_cell_its_whole_range() {
    use rand::{Rng, SeedableRng};
    use rawan_publish::modus::{Known, protect_row};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
    let (mut rows, mut secondary) = (0, 0);
    while rows < 400 {
        let len = rng.random_range(2..9);
        let values: Vec<u64> = (0..len)
            .map(|_| {
                if rng.random_bool(0.5) {
                    rng.random_range(0..K)
                } else {
                    rng.random_range(0..40)
                }
            })
            .collect();
        let total: u64 = values.iter().sum();
        let small = rng.random_range(0..4u64);
        let hidden: u64 = (0..small).map(|_| rng.random_range(1..K)).sum();
        // The villages' exact counts add up to 0 or at least k.
        let Some(exact) = total.checked_sub(hidden).filter(|&e| e == 0 || e >= K) else {
            continue;
        };
        rows += 1;
        let cells = protect_row(&values, K as u32, Known { exact, small });
        let primary = values.iter().filter(|&&v| v > 0 && v < K).count();
        secondary += cells
            .iter()
            .filter(|c| c.is_none())
            .count()
            .saturating_sub(primary);
        for (j, (lo, hi)) in modus_row_ranges(&cells, exact, small)
            .into_iter()
            .enumerate()
        {
            assert!(
                lo <= 1.0 + 1e-6 && hi >= (K - 1) as f64 - 1e-6,
                "row {values:?} (exact {exact}, {small} small) published as {cells:?}: hidden cell {j} narrowed to [{lo}, {hi}]"
            );
        }
    }
    assert!(secondary > 50, "the rows exercise secondary suppression");
}

/// The sample's published modus table, audited row by row: it counts only villages whose
/// case count is published exactly (each row sums to their total, read from the village
/// layer), and every suppressed cell keeps its whole range 1 … k − 1.
#[test]
fn the_published_modus_table_reveals_no_small_cell() {
    let (dir, _) = fresh_sample();
    // The sample's villages all have fewer than k cases; 60 of its case rows are copied to
    // four villages, so that those have k or more and their rows have cells to publish,
    // small cells and cells to suppress beside them.
    let (header, mut rows) = read_cases(dir.path());
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (kode, id) = (col("kode_desa"), col("case_id"));
    let targets: Vec<String> = {
        let mut seen = Vec::new();
        for r in &rows {
            if !r[kode].is_empty() && !seen.contains(&r[kode]) {
                seen.push(r[kode].clone());
            }
        }
        seen.into_iter().step_by(7).take(4).collect()
    };
    let extra: Vec<Vec<String>> = rows
        .iter()
        .take(60)
        .enumerate()
        .map(|(j, r)| {
            let mut r = r.clone();
            r[kode] = targets[j % targets.len()].clone();
            r[id] = format!("MOVED-{j}");
            r
        })
        .collect();
    rows.extend(extra);
    let mut w = csv::Writer::from_path(dir.path().join("cases.csv")).unwrap();
    w.write_record(&header).unwrap();
    for r in &rows {
        w.write_record(r).unwrap();
    }
    w.flush().unwrap();
    let out = tempfile::tempdir().unwrap();
    let out = out.path().join("o");
    run_ok(&dir.path().join("job.toml"), &out, &[]);
    let layer = read_json(&out.join("villages.geojson"));
    let mut exact: BTreeMap<String, u64> = BTreeMap::new();
    let mut villages: BTreeMap<String, i64> = BTreeMap::new();
    for f in layer["features"].as_array().unwrap() {
        let kab = f["properties"]["kabupaten"].as_str().unwrap().to_string();
        if let Some(n) = f["properties"]["cases"].as_u64() {
            *exact.entry(kab.clone()).or_default() += n;
            *villages.entry(kab).or_default() += 1;
        }
    }
    let table = read_csv(&out.join("modus_trend.csv"));
    assert!(!table.is_empty(), "villages with k or more cases have rows");
    assert!(
        table.iter().any(|r| r["cases"] == "(s)")
            && table
                .iter()
                .any(|r| r["cases"] != "(s)" && r["cases"] != "0"),
        "the rows publish some cells and suppress others"
    );
    let mut rows: BTreeMap<String, Vec<Option<u64>>> = BTreeMap::new();
    for r in &table {
        assert_eq!(
            r["villages_counted"].parse::<i64>().unwrap(),
            villages[&r["kabupaten"]],
            "villages counted are those with a published count"
        );
        let cell = (r["cases"] != "(s)").then(|| r["cases"].parse().unwrap());
        rows.entry(r["kabupaten"].clone()).or_default().push(cell);
    }
    for (kab, cells) in rows {
        let e = exact[&kab];
        if cells.iter().all(|c| c.is_some()) {
            let sum: u64 = cells.iter().flatten().sum();
            assert_eq!(
                sum, e,
                "{kab}: the row sums to its villages' published cases"
            );
        }
        for (lo, hi) in modus_row_ranges(&cells, e, 0) {
            assert!(
                lo <= 1.0 + 1e-6 && hi >= (K - 1) as f64 - 1e-6,
                "{kab}: [{lo}, {hi}]"
            );
        }
    }
}
