//! The bad-input corpus (tests/bad-inputs): every case gets either rows in rejects.csv /
//! warnings.csv with a reason, or one clear error naming the file — never a panic, never
//! silently wrong numbers. Each case replaces one file of the hand-written job.

mod common;
use common::*;
use std::process::Output;

/// Copies the hand-written job, puts `corpus` (a file of tests/bad-inputs, or bytes) in place
/// of `target`, and runs it.
fn run_with(target: &str, content: &[u8]) -> (tempfile::TempDir, Output) {
    let dir = handwritten_copy();
    std::fs::write(dir.path().join(target), content).unwrap();
    let o = run_in(dir.path(), &[]);
    (dir, o)
}

/// A copy of the hand-written job in a folder of its own.
fn handwritten_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(root().join("tests/fixtures/handwritten")).unwrap() {
        let p = entry.unwrap().path();
        std::fs::copy(&p, dir.path().join(p.file_name().unwrap())).unwrap();
    }
    dir
}

/// Runs the job in `dir` into `dir/out`, quietly, with `extra` arguments.
fn run_in(dir: &std::path::Path, extra: &[&str]) -> Output {
    let (job, out) = (dir.join("job.toml"), dir.join("out"));
    let mut args = vec![
        "run",
        job.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ];
    args.extend(extra);
    rawan(&args)
}

fn corpus(name: &str) -> Vec<u8> {
    std::fs::read(root().join("tests/bad-inputs").join(name)).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

type Rows = Vec<std::collections::BTreeMap<String, String>>;

/// Runs and expects success; returns the rejects and warnings.
fn ok_rows(target: &str, content: &[u8]) -> (tempfile::TempDir, Rows, Rows) {
    let (dir, o) = run_with(target, content);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = dir.path().join("out");
    // Only rows of the replaced file: the other fixture files have their own planted rows.
    let mine = |rows: Vec<std::collections::BTreeMap<String, String>>| {
        rows.into_iter()
            .filter(|r| r["file"] == target)
            .collect::<Vec<_>>()
    };
    let rejects = mine(read_csv(&out.join("rejects.csv")));
    let warnings = mine(read_csv(&out.join("warnings.csv")));
    (dir, rejects, warnings)
}

fn has(
    rows: &[std::collections::BTreeMap<String, String>],
    file: &str,
    line: u64,
    reason: &str,
) -> bool {
    rows.iter().any(|r| {
        r["file"] == file
            && r["line"] == line.to_string()
            && r.get("reason").or(r.get("note")).unwrap().contains(reason)
    })
}

fn fails(target: &str, content: &[u8], words: &[&str]) {
    let (_dir, o) = run_with(target, content);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(!err.contains("panicked"), "{err}");
    assert!(err.contains(target), "the message names the file: {err}");
    for w in words {
        assert!(err.contains(w), "{w:?} not in: {err}");
    }
    assert_eq!(err.lines().count(), 1, "one clear message: {err}");
}

#[test]
fn empty_file() {
    fails("kasus.csv", &corpus("empty.csv"), &["empty"]);
}

#[test]
fn header_only_runs_with_zero_rows_and_says_so() {
    let (dir, o) = run_with("kasus.csv", &corpus("header_only.csv"));
    assert!(o.status.success(), "{}", stderr(&o));
    let m = read_json(&dir.path().join("out/manifest.json"));
    let cases = m["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["table"] == "cases")
        .unwrap();
    // A published run withholds the case file's row counts (docs/privacy.md); the note stays.
    assert!(cases["read"].is_null(), "{cases}");
    assert!(
        cases["notes"].to_string().contains("no data rows"),
        "{cases}"
    );
    let out = dir.path().join("restricted");
    run_ok(&dir.path().join("job.toml"), &out, &["--restricted"]);
    let m = read_json(&out.join("manifest.json"));
    let cases = m["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["table"] == "cases")
        .unwrap();
    assert_eq!(cases["read"], 0);
}

#[test]
fn wrong_separator() {
    fails(
        "keberangkatan.csv",
        &corpus("pipe_separated.csv"),
        &["no column", "separator"],
    );
}

#[test]
fn bom_and_crlf_keep_exact_line_numbers() {
    let (_d, rejects, _) = ok_rows("keberangkatan.csv", &corpus("bom_crlf.csv"));
    assert_eq!(rejects.len(), 1);
    assert!(
        has(&rejects, "keberangkatan.csv", 3, "not a number"),
        "{rejects:?}"
    );
}

#[test]
fn quoted_separators_and_newlines_in_fields() {
    let (_d, rejects, _) = ok_rows("sosialisasi.csv", &corpus("quoted_fields.csv"));
    // The third record starts on physical line 5: the second spans lines 3–4.
    assert_eq!(rejects.len(), 1, "{rejects:?}");
    assert!(
        has(&rejects, "sosialisasi.csv", 5, "not a number"),
        "{rejects:?}"
    );
}

#[test]
fn windows_1252_text_is_read_and_noted() {
    let (dir, rejects, _) = ok_rows("sosialisasi.csv", &corpus("windows1252.csv"));
    assert!(
        has(&rejects, "sosialisasi.csv", 3, "not a number"),
        "{rejects:?}"
    );
    let m = read_json(&dir.path().join("out/manifest.json"));
    let t = m["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["table"] == "outreach")
        .unwrap();
    assert!(t["notes"].to_string().contains("Windows-1252"), "{t}");
    assert_eq!(t["used"], 1);
}

#[test]
fn xlsx_with_title_rows_and_merged_cells() {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(root().join("tests/fixtures/handwritten")).unwrap() {
        let p = entry.unwrap().path();
        std::fs::copy(&p, dir.path().join(p.file_name().unwrap())).unwrap();
    }
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let merged = rust_xlsxwriter::Format::new();
    ws.merge_range(0, 0, 0, 3, "LAPORAN DESA BINAAN — KANIM SERANG", &merged)
        .unwrap();
    for (c, h) in ["Kode Desa ", "designated_on", "programme", "office"]
        .iter()
        .enumerate()
    {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    ws.write_string(3, 0, "36.04.02.2003").unwrap();
    ws.write_string(3, 1, "12 Maret 2023").unwrap();
    ws.merge_range(3, 2, 4, 2, "Desa Binaan Imigrasi", &merged)
        .unwrap();
    ws.write_string(4, 0, "36.04.01.2001").unwrap();
    ws.write_string(4, 1, "kemarin").unwrap();
    wb.save(dir.path().join("binaan.xlsx")).unwrap();
    let job = std::fs::read_to_string(dir.path().join("job.toml"))
        .unwrap()
        .replace("binaan.csv", "binaan.xlsx");
    std::fs::write(dir.path().join("job.toml"), job).unwrap();
    let out = dir.path().join("out");
    let o = rawan(&[
        "run",
        dir.path().join("job.toml").to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let rejects: Vec<_> = read_csv(&out.join("rejects.csv"))
        .into_iter()
        .filter(|r| r["file"] == "binaan.xlsx")
        .collect();
    assert_eq!(rejects.len(), 1, "{rejects:?}");
    // Sheet row 5 holds the bad date; the title rows were skipped, the header found on row 3.
    assert!(
        has(&rejects, "binaan.xlsx", 5, "not a valid date"),
        "{rejects:?}"
    );
    let rows = read_csv(&out.join("villages_ranked.csv"));
    assert_eq!(
        rows.iter().filter(|r| r["desa_binaan"] == "true").count(),
        1
    );
}

#[test]
fn a_spreadsheet_saved_under_a_csv_name_is_refused_clearly() {
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet().write_string(0, 0, "kode_desa").unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    fails("binaan.csv", &bytes, &["spreadsheet"]);
}

#[test]
fn duplicate_village_codes() {
    let (_d, rejects, _) = ok_rows("desa.geojson", &corpus("duplicate_codes.geojson"));
    assert!(
        has(&rejects, "desa.geojson", 10, "duplicate village code"),
        "{rejects:?}"
    );
}

#[test]
fn codes_of_the_wrong_province() {
    let (_d, rejects, _) = ok_rows("keberangkatan.csv", &corpus("wrong_province.csv"));
    assert_eq!(rejects.len(), 1);
    assert!(
        has(&rejects, "keberangkatan.csv", 2, "province 32"),
        "{rejects:?}"
    );
}

#[test]
fn negative_non_numeric_and_fractional_counts() {
    let (dir, rejects, _) = ok_rows("keberangkatan.csv", &corpus("bad_counts.csv"));
    assert!(has(&rejects, "keberangkatan.csv", 2, "negative"));
    assert!(has(&rejects, "keberangkatan.csv", 3, "not a number"));
    assert!(has(&rejects, "keberangkatan.csv", 4, "not a whole number"));
    assert_eq!(rejects.len(), 3, "{rejects:?}");
    // "1.234" is one thousand two hundred and thirty-four (Indonesian thousands separator).
    let rows = read_csv(&dir.path().join("out/villages_ranked.csv"));
    let v = rows
        .iter()
        .find(|r| r["kode_desa"] == "36.04.01.2001")
        .unwrap();
    assert_eq!(v["departures"], "1234");
}

#[test]
fn dates_outside_the_window_in_the_future_or_invalid() {
    let (_d, rejects, _) = ok_rows("keberangkatan.csv", &corpus("dates.csv"));
    assert!(
        has(
            &rejects,
            "keberangkatan.csv",
            2,
            "before the analysis window"
        ),
        "{rejects:?}"
    );
    assert!(
        has(&rejects, "keberangkatan.csv", 3, "after the analysis date"),
        "{rejects:?}"
    );
    assert!(
        has(&rejects, "keberangkatan.csv", 4, "not a valid date"),
        "{rejects:?}"
    );
    assert!(
        has(&rejects, "keberangkatan.csv", 5, "four digits"),
        "{rejects:?}"
    );
    assert_eq!(
        rejects.len(),
        4,
        "the Indonesian long date on line 6 is fine: {rejects:?}"
    );
}

#[test]
fn unknown_modus_is_counted_and_flagged() {
    let (dir, rejects, warnings) = ok_rows("kasus.csv", &corpus("unknown_modus.csv"));
    assert!(rejects.is_empty(), "{rejects:?}");
    // Published: counted per column, the row itself (line, value) withheld.
    assert_eq!(warnings.len(), 1);
    assert!(
        warnings[0]["column"] == "modus"
            && warnings[0]["line"].is_empty()
            && warnings[0]["note"].starts_with("1 row(s)"),
        "{warnings:?}"
    );
    let out = dir.path().join("out");
    run_ok(&dir.path().join("job.toml"), &out, &["--restricted"]);
    let rows = read_csv(&out.join("RESTRICTED_case_rows.csv"));
    assert!(
        rows.iter().any(|r| r["kind"] == "warning"
            && r["line"] == "2"
            && r["reason"].contains("modus not in the list")),
        "{rows:?}"
    );
    let rows = read_csv(&out.join("villages_ranked.csv"));
    assert_eq!(
        rows.iter()
            .find(|r| r["kode_desa"] == "36.04.01.2005")
            .unwrap()["victims"],
        "3",
        "both cases counted"
    );
}

#[test]
fn invalid_polygons_are_rejected_with_the_reason() {
    for (file, reason) in [
        ("bowtie.geojson", "self-intersection"),
        ("unclosed.geojson", "not closed"),
        ("empty_geometry.geojson", "empty geometry"),
    ] {
        let (_d, rejects, _) = ok_rows("desa.geojson", &corpus(file));
        assert!(
            has(&rejects, "desa.geojson", 9, reason),
            "{file}: {rejects:?}"
        );
    }
}

#[test]
fn projected_coordinates_and_a_geojson_that_is_not_a_feature_collection() {
    fails(
        "desa.geojson",
        &corpus("projected.geojson"),
        &["projected", "EPSG:4326"],
    );
    fails(
        "desa.geojson",
        &corpus("not_featurecollection.geojson"),
        &["FeatureCollection"],
    );
}

#[test]
fn a_huge_line_is_rejected_with_its_value_clipped() {
    let mut text = String::from("kode_desa,date,count\n36.04.01.2001,2024-03-15,1\n");
    text.push_str(&"9".repeat(2_000_000));
    text.push_str(",2024-03-15,1\n");
    let (dir, rejects, _) = ok_rows("keberangkatan.csv", text.as_bytes());
    assert_eq!(rejects.len(), 1);
    assert!(rejects[0]["value"].chars().count() <= 201);
    assert!(
        std::fs::metadata(dir.path().join("out/rejects.csv"))
            .unwrap()
            .len()
            < 10_000
    );
}

/// Random bytes into every reader: an error or a result, never a panic.
#[test]
fn random_bytes_never_panic_any_reader() {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
    for round in 0..40 {
        let len = rng.random_range(0..4000);
        let mut bytes: Vec<u8> = (0..len).map(|_| rng.random()).collect();
        if round % 3 == 0 {
            // Mostly-text noise with separators, quotes and newlines.
            let alphabet = b"36.0412,;\"\n\r abcTPPO-/:";
            bytes = (0..len)
                .map(|_| alphabet[rng.random_range(0..alphabet.len())])
                .collect();
        }
        for target in [
            "keberangkatan.csv",
            "kasus.csv",
            "desa.geojson",
            "kantor.csv",
        ] {
            let (_d, o) = run_with(target, &bytes);
            let err = stderr(&o);
            assert!(
                matches!(o.status.code(), Some(0) | Some(3)),
                "round {round} {target}: {err}"
            );
            assert!(!err.contains("panicked"), "round {round} {target}: {err}");
        }
    }
    // Random bytes as an .xlsx and a Shapefile.
    for target in ["binaan.xlsx", "desa.shp"] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(target),
            (0..3000)
                .map(|i| (i * 7919 % 251) as u8)
                .collect::<Vec<u8>>(),
        )
        .unwrap();
        let r = std::panic::catch_unwind(|| {
            let p = dir.path().join(target);
            if target.ends_with(".shp") {
                rawan_ingest::villages::read_villages(
                    &p,
                    &Default::default(),
                    &mut Default::default(),
                )
                .map(|_| ())
                .map_err(|e| e.to_string())
            } else {
                let spec = rawan_ingest::source::TableSpec {
                    table: "desa_binaan",
                    required: &[&["kode_desa"]],
                    optional: &[],
                    mapping: Default::default(),
                    sheet: None,
                };
                rawan_ingest::source::read_table(&p, &spec, |_| {})
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            }
        });
        let result = r.unwrap_or_else(|_| panic!("{target}: reader panicked"));
        assert!(result.is_err(), "{target}: garbage accepted");
    }
}

#[test]
fn a_quoted_departures_file_is_read_row_by_row_once() {
    // Quotes rule out the parallel split at line boundaries: the reader falls back to the
    // record parser on the text it already loaded.
    let text = "\"kode_desa\",\"date\",\"count\"\n\"36.04.01.2001\",\"2024-03-15\",\"4\"\n\"36.04.01.2002\",\"2024-03-15\",\"x\"\n\"36.04.01.2004\",\"2024-04-01\",\"2\"\n";
    let (dir, rejects, _) = ok_rows("keberangkatan.csv", text.as_bytes());
    assert_eq!(rejects.len(), 1, "{rejects:?}");
    assert!(
        has(&rejects, "keberangkatan.csv", 3, "not a number"),
        "{rejects:?}"
    );
    let m = read_json(&dir.path().join("out/manifest.json"));
    let t = m["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["table"] == "departures")
        .unwrap();
    assert_eq!(
        (t["read"].as_u64(), t["used"].as_u64()),
        (Some(3), Some(2)),
        "{t}"
    );
}

#[test]
fn title_rows_blank_lines_and_no_final_newline_keep_exact_line_numbers() {
    // The same rows read by the parallel chunk reader (no quote in the file) and by the CSV
    // reader (a quoted cell): a blank line above the header once put every line one too low.
    for file in [
        "title_blank_lines_no_final_newline.csv",
        "title_blank_lines_quoted.csv",
    ] {
        let (dir, rejects, _) = ok_rows("keberangkatan.csv", &corpus(file));
        assert!(
            has(&rejects, "keberangkatan.csv", 6, "not a number"),
            "{file}: {rejects:?}"
        );
        assert!(
            has(&rejects, "keberangkatan.csv", 9, "negative"),
            "{file}: {rejects:?}"
        );
        assert_eq!(rejects.len(), 2, "{file}: {rejects:?}");
        let m = read_json(&dir.path().join("out/manifest.json"));
        let departures = m["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["table"] == "departures")
            .unwrap();
        assert_eq!(
            (departures["read"].as_u64(), departures["used"].as_u64()),
            (Some(4), Some(2)),
            "{file}: {departures}"
        );
        assert!(
            departures["notes"]
                .to_string()
                .contains("header found on line 3"),
            "{file}: {departures}"
        );
    }
}

#[test]
fn names_with_commas_and_quotes_survive_the_tables() {
    // A village name that needs CSV quoting: the ranked table must read back to the same name.
    let layer =
        std::fs::read_to_string(root().join("tests/fixtures/handwritten/desa.geojson")).unwrap();
    let renamed = layer.replacen(
        r#""desa": "Sukamaju""#,
        r#""desa": "Suka \"Maju\", Utara""#,
        1,
    );
    assert_ne!(layer, renamed);
    let (dir, o) = run_with("desa.geojson", renamed.as_bytes());
    assert!(o.status.success(), "{}", stderr(&o));
    let rows = read_csv(&dir.path().join("out/villages_ranked.csv"));
    let v = rows
        .iter()
        .find(|r| r["kode_desa"] == "36.04.01.2001")
        .unwrap();
    assert_eq!(v["desa"], "Suka \"Maju\", Utara");
    assert_eq!(v.len(), 33, "{v:?}");
}

/// The record tables are read side by side; with two broken, the one reported is the first
/// in the job's order of tables (outreach before cases), run after run and thread count
/// after thread count, never whichever failed first.
#[test]
fn of_two_broken_tables_the_first_in_order_is_reported() {
    let dir = handwritten_copy();
    // Both fail in their reader (no usable columns), not in the checks made before reading.
    std::fs::write(dir.path().join("sosialisasi.csv"), b"x;y\n1;2\n").unwrap();
    std::fs::write(dir.path().join("kasus.csv"), b"x;y\n1;2\n").unwrap();
    for threads in ["1", "2", "2", "2"] {
        let o = run_in(dir.path(), &["--threads", threads]);
        assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
        let err = stderr(&o);
        assert!(
            err.contains("sosialisasi.csv") && err.contains("no column"),
            "{err}"
        );
        assert!(!err.contains("kasus.csv"), "{err}");
    }
}
