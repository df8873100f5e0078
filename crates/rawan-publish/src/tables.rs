//! CSV tables for report writers: villages ranked, kecamatan and kabupaten summaries,
//! recommendations, and the top villages with their indicator contributions. Suppressed
//! counts are written as `(s)` (docs/privacy.md).

use crate::output_file::OutputFile;
use crate::privacy::Count;
use crate::{Publication, PublishError, io_err};
use std::path::Path;

/// How a suppressed count is written in tables.
pub const SUPPRESSED: &str = "(s)";

/// A village count as tables write it: the number, or `(s)` for a small cell (1 … k − 1).
pub fn published(v: Count) -> String {
    v.value()
        .map(|v| v.to_string())
        .unwrap_or_else(|| SUPPRESSED.to_string())
}

pub fn fmt(x: Option<f64>, d: usize) -> String {
    let mut s = String::with_capacity(16);
    push_num(&mut s, x, d);
    s
}

/// A CSV writer's error as a write error on `path`.
fn csv_err<E: std::fmt::Display>(path: &Path) -> impl Fn(E) -> PublishError + '_ {
    move |e| PublishError::Io {
        path: path.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    }
}

pub(crate) fn writer(
    dir: &Path,
    name: &str,
) -> Result<(csv::Writer<OutputFile>, std::path::PathBuf), PublishError> {
    let path = dir.join(name);
    let w = csv::Writer::from_writer(OutputFile::create(&path).map_err(io_err(&path))?);
    Ok((w, path))
}

/// Writes out what the csv writer holds and closes the file.
pub(crate) fn close(w: csv::Writer<OutputFile>, path: &Path) -> Result<(), PublishError> {
    w.into_inner()
        .map_err(csv_err(path))?
        .finish()
        .map_err(io_err(path))
}

use crate::tabular::push_num;

pub(crate) fn row(
    w: &mut csv::Writer<OutputFile>,
    path: &Path,
    cells: &[String],
) -> Result<(), PublishError> {
    w.write_record(cells).map_err(csv_err(path))
}

/// Writes a typed table as `NAME.csv`.
pub(crate) fn write_table(t: &crate::tabular::Table, dir: &Path) -> Result<String, PublishError> {
    use std::io::Write as _;
    let name = format!("{}.csv", t.name);
    let path = dir.join(&name);
    let mut file = OutputFile::create(&path).map_err(io_err(&path))?;
    for block in t.csv() {
        file.write_all(block.as_bytes()).map_err(io_err(&path))?;
    }
    file.finish().map_err(io_err(&path))?;
    Ok(name)
}

/// Writes the typed tables ([`crate::tabular`]) as CSV.
pub fn write_all(
    tables: &[crate::tabular::Table],
    dir: &Path,
) -> Result<Vec<String>, PublishError> {
    tables.iter().map(|t| write_table(t, dir)).collect()
}

/// A dimension's Cronbach's alpha as the report and the audit chart print it: two decimals,
/// marked low under 0.7; "one indicator" where there is no alpha.
pub fn alpha_text(
    d: &rawan_core::index_audit::DimensionAudit,
    l: rawan_core::settings::Lang,
) -> String {
    use rawan_core::i18n::t;
    match d.alpha {
        Some(a) if a < rawan_core::index_audit::LOW_ALPHA => {
            format!("{a:.2} ({})", t(l, "audit_low"))
        }
        Some(a) => format!("{a:.2}"),
        None => t(l, "audit_one_indicator").to_string(),
    }
}

/// What the audit asks the analyst to look at again, one sentence each in the run's language:
/// indicators pulling against their dimension, pairs that overlap.
pub fn audit_flags(p: &Publication) -> Vec<String> {
    use rawan_core::i18n::{fill, t};
    let (l, defs) = (p.lang, &p.indicators.defs);
    let mut flags = Vec::new();
    for (k, a) in p.audit.indicators.iter().enumerate() {
        if a.negative_with_dimension {
            flags.push(fill(t(l, "audit_negative"), &[&defs[k].label(l)]));
        }
        for &o in a.overlaps.iter().filter(|&&o| o > k) {
            flags.push(fill(
                t(l, "audit_overlap"),
                &[&defs[k].label(l), &defs[o].label(l)],
            ));
        }
    }
    flags
}

/// The names of the audit's correlation matrix, in its order: indicators, the dimensions
/// present, `risk_score`.
pub fn audit_names(p: &Publication) -> Vec<String> {
    p.indicators
        .defs
        .iter()
        .map(|d| d.key.clone())
        .chain(
            p.indicators
                .dimensions()
                .iter()
                .map(|d| d.key().to_string()),
        )
        .chain(["risk_score".to_string()])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tabular::push_text;

    #[test]
    fn text_cells_are_quoted_as_the_csv_writer_quotes_them() {
        for cell in [
            "Sukamaju",
            "",
            "Suka \"Maju\", Utara",
            "a,b",
            "line\nbreak",
            "cr\rhere",
            "\"",
            "semi;colon",
            " spaced ",
            "Cikeusik (Kec.)",
            "départ",
        ] {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record([cell, "x"]).unwrap();
            let want = String::from_utf8(w.into_inner().unwrap()).unwrap();
            let mut got = String::new();
            push_text(&mut got, cell);
            got.push_str(",x\n");
            assert_eq!(got, want, "{cell:?}");
        }
    }

    #[test]
    fn numbers_never_read_minus_zero() {
        assert_eq!(fmt(Some(-0.0004), 3), "0.000");
        assert_eq!(fmt(Some(-0.0006), 3), "-0.001");
        assert_eq!(
            fmt(Some(2.5), 0),
            format!("{:.0}", 2.5),
            "as format! rounds"
        );
        assert_eq!(fmt(None, 2), "");
        assert_eq!(fmt(Some(f64::NAN), 2), "");
    }
}
