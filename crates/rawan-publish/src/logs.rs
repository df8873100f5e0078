//! The accountability logs: `rejects.csv` (rows not used), `warnings.csv` (rows used with
//! one value set aside) and `matches.csv` (villages found by name or an unpadded code).
//!
//! The publishing boundary (docs/privacy.md): a row of the case file is row-level detail
//! about a victim — its line, its values and the village it was matched to would show that
//! a suppressed count is not zero, and its cells may hold a name or NIK typed into the wrong
//! column. In these three files the case file's rows are therefore counted per column (or
//! per match method), never listed. Only a `--restricted` run lists them, line by line with
//! values and reasons, in `RESTRICTED_case_rows.csv`, named so that nobody shares it by
//! mistake.

use crate::{PublishError, io_err};
use rawan_core::{NameMatch, Reject, RejectLog};
use std::collections::BTreeMap;
use std::path::Path;

/// The file of case-file rows that only restricted runs write.
pub const RESTRICTED_CASE_ROWS: &str = "RESTRICTED_case_rows.csv";

fn csv_error(path: &Path) -> impl Fn(csv::Error) -> PublishError + '_ {
    move |e| PublishError::Io {
        path: path.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    }
}

/// Writes the logs into `dir` and returns the names written.
pub fn write_logs(
    log: &RejectLog,
    restricted: bool,
    dir: &Path,
) -> Result<Vec<String>, PublishError> {
    let mut files = vec![
        write_rows(
            dir,
            "rejects.csv",
            ["file", "line", "column", "value", "reason"],
            &log.rejects,
            "not used",
        )?,
        write_rows(
            dir,
            "warnings.csv",
            ["file", "line", "column", "value", "note"],
            &log.warnings,
            "used with a value set aside",
        )?,
        write_matches(dir, &log.matches)?,
    ];
    if restricted {
        files.push(write_case_rows(dir, log)?);
    }
    Ok(files)
}

/// What a published log says instead of listing case-file rows.
fn withheld(n: usize, what: &str) -> String {
    format!(
        "{n} row(s) of the case file {what}; lines, values and reasons of case rows are not published (docs/privacy.md): a --restricted run lists them in {RESTRICTED_CASE_ROWS}"
    )
}

fn write_rows(
    dir: &Path,
    name: &str,
    header: [&str; 5],
    rows: &[Reject],
    what: &str,
) -> Result<String, PublishError> {
    let path = dir.join(name);
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_path(&path)
        .map_err(csv_error(&path))?;
    w.write_record(header).map_err(csv_error(&path))?;
    let mut withheld_rows: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for r in rows {
        if r.sensitive {
            *withheld_rows.entry((&r.file, &r.column)).or_default() += 1;
        } else {
            w.serialize(r).map_err(csv_error(&path))?;
        }
    }
    for ((file, column), n) in withheld_rows {
        w.write_record([file, "", column, "", &withheld(n, what)])
            .map_err(csv_error(&path))?;
    }
    w.flush().map_err(io_err(&path))?;
    Ok(name.to_string())
}

fn write_matches(dir: &Path, matches: &[NameMatch]) -> Result<String, PublishError> {
    let name = "matches.csv";
    let path = dir.join(name);
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_path(&path)
        .map_err(csv_error(&path))?;
    w.write_record([
        "file",
        "line",
        "given",
        "kode_desa",
        "matched_desa",
        "method",
        "score",
    ])
    .map_err(csv_error(&path))?;
    let mut withheld_rows: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for m in matches {
        if m.sensitive {
            *withheld_rows.entry((&m.file, &m.method)).or_default() += 1;
        } else {
            w.serialize(m).map_err(csv_error(&path))?;
        }
    }
    for ((file, method), n) in withheld_rows {
        w.write_record([
            file,
            "",
            &withheld(n, "matched this way"),
            "",
            "",
            method,
            "",
        ])
        .map_err(csv_error(&path))?;
    }
    w.flush().map_err(io_err(&path))?;
    Ok(name.to_string())
}

fn write_case_rows(dir: &Path, log: &RejectLog) -> Result<String, PublishError> {
    let path = dir.join(RESTRICTED_CASE_ROWS);
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_path(&path)
        .map_err(csv_error(&path))?;
    w.write_record(["kind", "file", "line", "column", "value", "reason"])
        .map_err(csv_error(&path))?;
    for (kind, rows) in [("rejected", &log.rejects), ("warning", &log.warnings)] {
        for r in rows.iter().filter(|r| r.sensitive) {
            w.write_record([
                kind,
                &r.file,
                &r.line.to_string(),
                &r.column,
                &r.value,
                &r.reason,
            ])
            .map_err(csv_error(&path))?;
        }
    }
    for m in log.matches.iter().filter(|m| m.sensitive) {
        let reason = format!(
            "matched to {} {} by {} (score {})",
            m.kode_desa, m.matched_desa, m.method, m.score
        );
        w.write_record([
            "matched",
            &m.file,
            &m.line.to_string(),
            "village",
            &m.given,
            &reason,
        ])
        .map_err(csv_error(&path))?;
    }
    w.flush().map_err(io_err(&path))?;
    Ok(RESTRICTED_CASE_ROWS.to_string())
}
