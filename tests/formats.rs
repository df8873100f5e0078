//! The formats each user lives in, read back by other readers: every Parquet table through
//! polars has the rows and columns of its CSV twin with real types; the workbook through
//! calamine has a sheet per table whose cells are the CSV's; a departures file given as
//! Parquet (typed as a data warehouse exports it) yields the same scores as the CSV, with
//! its rejects numbered by row.

mod common;
use common::*;
use polars::prelude::*;
use std::path::Path;

const TABLES: [&str; 5] = [
    "recommendations",
    "villages_ranked",
    "kecamatan_summary",
    "kabupaten_summary",
    "top_contributions",
];

fn csv_table(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).unwrap();
    let header = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

/// A CSV cell and a typed value agree: text equal, numbers equal at the CSV's decimals,
/// `(s)` or an empty cell where the typed value is missing.
fn agrees(csv: &str, typed: &AnyValue) -> bool {
    match typed {
        AnyValue::Null => csv.is_empty() || csv == "(s)",
        AnyValue::String(s) => csv == *s,
        AnyValue::StringOwned(s) => csv == s.as_str(),
        AnyValue::Boolean(b) => csv == b.to_string(),
        AnyValue::Int64(i) => csv.parse::<i64>() == Ok(*i),
        AnyValue::Float64(x) => csv.parse::<f64>().is_ok_and(|c| (c - x).abs() < 1e-9),
        AnyValue::Date(days) => {
            let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
            csv == (epoch + chrono::Days::new(*days as u64)).to_string()
        }
        other => panic!("unexpected type {other:?}"),
    }
}

fn sample_run() -> (tempfile::TempDir, std::path::PathBuf, tempfile::TempDir) {
    let (dir, _) = fresh_sample();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    run_ok(&dir.path().join("job.toml"), &out, &[]);
    (dir, out, tmp)
}

#[test]
fn every_parquet_table_has_its_csv_rows_with_real_types() {
    let (_dir, out, _tmp) = sample_run();
    let monitoring = [
        "risk_history",
        "programme_effect",
        "programme_event_study",
        "modus_trend",
        "index_audit",
        "index_correlations",
    ];
    for name in TABLES.into_iter().chain(monitoring) {
        let (header, rows) = csv_table(&out.join(format!("{name}.csv")));
        let file = std::fs::File::open(out.join(format!("{name}.parquet"))).unwrap();
        let df = ParquetReader::new(file).finish().unwrap();
        let names: Vec<String> = df
            .get_column_names()
            .iter()
            .map(|n| n.to_string())
            .collect();
        assert_eq!(names, header, "{name}: columns");
        assert_eq!(df.height(), rows.len(), "{name}: rows");
        // In the sample no village has k or more cases: the published modus table has no rows
        // (tests/privacy_attacks.rs gives it some).
        assert!(!rows.is_empty() || name == "modus_trend", "{name} is empty");
        for (c, column) in df.columns().iter().enumerate() {
            let s = column.as_materialized_series();
            for (r, row) in rows.iter().enumerate() {
                let v = s.get(r).unwrap();
                assert!(
                    agrees(&row[c], &v),
                    "{name} row {r} {}: CSV {:?}, Parquet {v:?}",
                    header[c],
                    row[c]
                );
            }
        }
        // Types CSV loses.
        let dtype = |col: &str| df.column(col).map(|c| c.dtype().clone()).ok();
        if header.iter().any(|h| h == "kode_desa") {
            assert_eq!(dtype("kode_desa"), Some(DataType::String), "{name}");
        }
        if name == "risk_history" {
            assert_eq!(dtype("as_of"), Some(DataType::Date), "dates as dates");
        }
        if name == "index_audit" {
            // An indicator row has no alpha, a dimension row no correlation with itself:
            // nulls, not zeros.
            assert_eq!(dtype("villages"), Some(DataType::Int64));
            assert_eq!(dtype("cronbach_alpha"), Some(DataType::Float64));
            let indicator_rows = rows.iter().filter(|r| r[0] == "indicator").count();
            assert!(
                indicator_rows > 0 && indicator_rows < df.height(),
                "both levels"
            );
            let alpha_nulls = df.column("cronbach_alpha").unwrap().null_count();
            assert!(alpha_nulls >= indicator_rows, "{alpha_nulls} null alphas");
        }
        if name == "villages_ranked" {
            assert_eq!(dtype("risk_score"), Some(DataType::Float64));
            assert_eq!(dtype("risk_rank"), Some(DataType::Int64));
            assert_eq!(dtype("desa_binaan"), Some(DataType::Boolean));
            assert_eq!(dtype("cases"), Some(DataType::Int64));
            // A suppressed count is null, never a number.
            let suppressed = rows
                .iter()
                .filter(|r| r[header.iter().position(|h| h == "cases").unwrap()] == "(s)")
                .count();
            assert!(suppressed > 0, "the sample has small counts");
            assert_eq!(df.column("cases").unwrap().null_count(), suppressed);
        }
    }
}

#[test]
fn the_workbook_has_every_table_with_the_csv_cells() {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let (_dir, out, _tmp) = sample_run();
    let mut wb: Xlsx<_> = open_workbook(out.join("rawan.xlsx")).unwrap();
    let sheets = wb.sheet_names().to_vec();
    // The sample runs in Bahasa Indonesia: sheet names and labels in Indonesian.
    assert_eq!(
        sheets,
        [
            "Rekomendasi",
            "Desa menurut risiko",
            "Ringkasan kecamatan",
            "Ringkasan kabupaten",
            "Penyumbang risiko",
            "Penjelasan kolom"
        ]
    );
    for (name, sheet) in TABLES.iter().zip(&sheets) {
        let (header, rows) = csv_table(&out.join(format!("{name}.csv")));
        let range = wb.worksheet_range(sheet).unwrap();
        let cells: Vec<Vec<Data>> = range.rows().map(|r| r.to_vec()).collect();
        // Row 1: labels; row 2: the fixed column names; then the CSV's rows.
        let keys: Vec<String> = cells[1].iter().map(|c| c.to_string()).collect();
        assert_eq!(keys, header, "{sheet}: fixed names under the labels");
        assert_eq!(cells.len() - 2, rows.len(), "{sheet}: rows");
        for (r, row) in rows.iter().enumerate() {
            for (c, csv) in row.iter().enumerate() {
                let got = cells[r + 2].get(c).cloned().unwrap_or(Data::Empty);
                let ok = match &got {
                    Data::Empty => csv.is_empty(),
                    Data::String(s) => s == csv,
                    Data::Float(x) => csv.parse::<f64>().is_ok_and(|v| (v - x).abs() < 1e-9),
                    Data::Int(i) => csv.parse::<i64>() == Ok(*i),
                    Data::Bool(b) => csv == &b.to_string(),
                    _ => false,
                };
                assert!(
                    ok,
                    "{sheet} row {r} {}: CSV {csv:?}, xlsx {got:?}",
                    header[c]
                );
            }
        }
        let label = cells[0][0].to_string();
        assert_ne!(label, header[0], "{sheet}: a label, not the fixed name");
    }
    // The glossary explains every column of every sheet.
    let glossary = wb.worksheet_range("Penjelasan kolom").unwrap();
    let explained: Vec<String> = glossary
        .rows()
        .skip(1)
        .filter_map(|r| r.get(1).map(|c| c.to_string()))
        .collect();
    for name in TABLES {
        for key in csv_table(&out.join(format!("{name}.csv"))).0 {
            assert!(explained.contains(&key), "{key} is not explained");
        }
    }
    // Labels and meanings in Indonesian throughout, the indicators' units included.
    let text: Vec<String> = glossary
        .rows()
        .flat_map(|r| [0, 2].map(|c| r.get(c).map(|x| x.to_string()).unwrap_or_default()))
        .collect();
    assert!(
        text.iter()
            .any(|t| t.contains("(per 1.000 penduduk per tahun)")),
        "the departures rate's unit in Indonesian"
    );
    for english in ["residents", "share 0–1", "neighbours", "per year"] {
        assert!(
            !text.iter().any(|t| t.contains(english)),
            "English {english:?} in the Indonesian glossary"
        );
    }
    // The risk column wears the map's five class colours.
    let styles = {
        use std::io::Read;
        let mut zip =
            ::zip::ZipArchive::new(std::fs::File::open(out.join("rawan.xlsx")).unwrap()).unwrap();
        let mut s = String::new();
        zip.by_name("xl/styles.xml")
            .unwrap()
            .read_to_string(&mut s)
            .unwrap();
        s
    };
    for rgb in ["FFFFFFB2", "FFFECC5C", "FFFD8D3C", "FFF03B20", "FFBD0026"] {
        assert!(styles.contains(rgb), "risk fill {rgb} missing");
    }
}

#[test]
fn departures_as_parquet_give_the_same_scores_as_csv() {
    let (dir, _) = fresh_sample();
    let csv_path = dir.path().join("pmi_departures.csv");
    let (header, rows) = csv_table(&csv_path);
    // Typed as a warehouse exports it: year, month and count as integers (an unreadable
    // count stays a null), everything else text.
    let columns: Vec<Column> = header
        .iter()
        .enumerate()
        .map(|(c, h)| {
            let name = PlSmallStr::from(h.as_str());
            if ["year", "month", "count"].contains(&h.as_str()) {
                let v: Vec<Option<i64>> = rows.iter().map(|r| r[c].parse().ok()).collect();
                Column::new(name, v)
            } else {
                let v: Vec<Option<&str>> = rows
                    .iter()
                    .map(|r| (!r[c].is_empty()).then_some(r[c].as_str()))
                    .collect();
                Column::new(name, v)
            }
        })
        .collect();
    let mut df = DataFrame::new(rows.len(), columns).unwrap();
    let parquet = dir.path().join("pmi_departures.parquet");
    ParquetWriter::new(std::fs::File::create(&parquet).unwrap())
        .finish(&mut df)
        .unwrap();

    let tmp = tempfile::tempdir().unwrap();
    run_ok(&dir.path().join("job.toml"), &tmp.path().join("csv"), &[]);
    edit_job(
        dir.path(),
        "\"pmi_departures.csv\"",
        "\"pmi_departures.parquet\"",
    );
    run_ok(
        &dir.path().join("job.toml"),
        &tmp.path().join("parquet"),
        &[],
    );
    let ranked =
        |run: &str| std::fs::read(tmp.path().join(run).join("villages_ranked.csv")).unwrap();
    assert_eq!(ranked("csv"), ranked("parquet"), "same scores and ranks");

    // The same rows are rejected for the same reasons; a Parquet row number is the CSV line
    // less the header's (row 1 is the first data row). Unreadable counts are nulls in the
    // Parquet file, so only rejects about other columns are compared.
    let rejects = |run: &str, file: &str| -> Vec<(u64, String)> {
        read_csv(&tmp.path().join(run).join("rejects.csv"))
            .into_iter()
            .filter(|r| r["file"] == file && r["column"] != "count")
            .map(|r| (r["line"].parse().unwrap(), r["reason"].clone()))
            .collect()
    };
    let from_csv: Vec<(u64, String)> = rejects("csv", "pmi_departures.csv")
        .into_iter()
        .map(|(line, reason)| (line - 1, reason))
        .collect();
    assert!(!from_csv.is_empty(), "the sample's departures have rejects");
    assert_eq!(rejects("parquet", "pmi_departures.parquet"), from_csv);
}
