//! Tabular sources: CSV (comma, semicolon or tab separated; UTF-8 with or without BOM, or
//! Windows-1252; CRLF or LF), Excel `.xlsx` (first sheet unless one is named) and Parquet
//! (every column read as text, rows numbered from 1 where CSV has lines). Rows are
//! streamed to a callback with their line number; columns are found by canonical name
//! through the job's mapping, case-insensitively and ignoring surrounding spaces.
//!
//! A header may sit below title rows (exported reports often have them): the header is the
//! first of the first ten rows that carries every required column.
//!
//! One concept per module: [`header`] (finding the header row and the columns, one resolver
//! for every path), [`text`] (loading and decoding a CSV file, sniffing its separator, its
//! records row by row), [`parallel`] (large CSV tables in parallel chunks), [`sheet`]
//! (spreadsheets), [`parquet`] (Parquet through polars).

mod header;
mod parallel;
mod parquet;
mod sheet;
mod text;

pub use parallel::{ChunkCtx, read_table_par};
pub use sheet::MAX_SPREADSHEET_EXPANDED;

use crate::IngestError;
use std::collections::BTreeMap;
use std::path::Path;

/// What a table needs: each entry of `required` is a set of alternatives, at least one of
/// which must be present (e.g. `["kode_desa", "desa"]`).
#[derive(Debug, Clone)]
pub struct TableSpec<'a> {
    pub table: &'a str,
    pub required: &'a [&'a [&'a str]],
    pub optional: &'a [&'a str],
    /// canonical → name in the file, from `[inputs.columns.TABLE]`.
    pub mapping: BTreeMap<String, String>,
    pub sheet: Option<String>,
}

/// Where each canonical column sits in a row.
#[derive(Debug, Clone, Default)]
pub struct Columns {
    /// (canonical name, cell index): a dozen entries at most, so a scan beats hashing.
    index: Vec<(String, usize)>,
    /// Header cells as they appear in the file.
    pub header: Vec<String>,
}

impl Columns {
    pub fn has(&self, canonical: &str) -> bool {
        self.position(canonical).is_some()
    }
    /// The file's own name for a canonical column (for rejects).
    pub fn file_name(&self, canonical: &str) -> String {
        self.position(canonical)
            .map(|i| self.header[i].trim().to_string())
            .unwrap_or_else(|| canonical.to_string())
    }
    fn position(&self, canonical: &str) -> Option<usize> {
        self.index
            .iter()
            .find(|(name, _)| name == canonical)
            .map(|&(_, i)| i)
    }
    /// Where a canonical column sits, looked up once for a whole table (see [`Row::cell`]).
    pub fn slot(&self, canonical: &str) -> Slot {
        Slot(self.position(canonical))
    }
}

/// A canonical column's place in the rows of one table (`None` when the file lacks it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot(Option<usize>);

/// One data row.
pub struct Row<'a> {
    pub line: u64,
    pub cells: &'a [&'a str],
    pub columns: &'a Columns,
}

impl Row<'_> {
    /// The trimmed cell of a canonical column; `""` when the column is absent or empty.
    pub fn get(&self, canonical: &str) -> &str {
        self.cell(Slot(self.columns.position(canonical)))
    }
    /// [`Row::get`] for a column looked up beforehand: what large tables use per row.
    pub fn cell(&self, slot: Slot) -> &str {
        slot.0
            .and_then(|i| self.cells.get(i))
            .map(|s| trim(s))
            .unwrap_or("")
    }

    /// How many cells past the header's last column hold something. An unquoted separator
    /// inside a value (`1,234` in a comma file, a name with a comma) shifts every later cell
    /// one place right and leaves one over: such a row cannot be read safely.
    pub fn extra_cells(&self) -> usize {
        self.cells
            .iter()
            .skip(self.columns.header.len())
            .filter(|c| !trim(c).is_empty())
            .count()
    }
}

/// `str::trim`, with a shortcut for the usual cell, which starts and ends with a visible
/// ASCII character (no ASCII character above the space is white space, so there is nothing
/// to trim).
pub(super) fn trim(s: &str) -> &str {
    let visible = |b: Option<&u8>| b.is_some_and(|&b| b > b' ' && b < 0x80);
    if visible(s.as_bytes().first()) && visible(s.as_bytes().last()) {
        s
    } else {
        s.trim()
    }
}

/// What reading a source learned besides its rows.
#[derive(Debug, Clone, Default)]
pub struct SourceInfo {
    pub rows: u64,
    pub notes: Vec<String>,
}

/// Reads a table, calling `on_row` for every data row in file order.
pub fn read_table(
    path: &Path,
    spec: &TableSpec,
    on_row: impl FnMut(&Row),
) -> Result<SourceInfo, IngestError> {
    let (records, notes): (CsvRows, Vec<String>) = if parquet::is_parquet(path) {
        (parquet::read(path)?.records(), Vec::new())
    } else if sheet::is_spreadsheet(path) {
        (
            Box::new(
                sheet::rows(path, spec.sheet.as_deref())?
                    .into_iter()
                    .map(Ok),
            ),
            Vec::new(),
        )
    } else {
        let (text, delimiter, notes) = text::load(path)?;
        (text::records(text, delimiter, path), notes)
    };
    read_records(path, records, notes, spec, on_row)
}

/// Finds the header among the records and hands every data row to `on_row`.
pub(super) fn read_records(
    path: &Path,
    records: CsvRows,
    notes: Vec<String>,
    spec: &TableSpec,
    mut on_row: impl FnMut(&Row),
) -> Result<SourceInfo, IngestError> {
    let mut info = SourceInfo { rows: 0, notes };
    let mut records = records.peekable();
    if records.peek().is_none() {
        return Err(IngestError::Format {
            file: path.display().to_string(),
            problem: "the file is empty".into(),
        });
    }
    let mut search = header::HeaderSearch::new(spec);
    let mut columns = None;
    while !search.exhausted() {
        let Some(rec) = records.next() else { break };
        let (line, cells) = rec?;
        if let Some((found, note)) = search.offer(line, &cells) {
            info.notes.extend(note);
            columns = Some(found);
            break;
        }
    }
    let Some(columns) = columns else {
        return Err(search.missing(path));
    };
    for rec in records {
        let (line, cells) = rec?;
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        info.rows += 1;
        let refs: Vec<&str> = cells.iter().map(|c| c.as_str()).collect();
        on_row(&Row {
            line,
            cells: &refs,
            columns: &columns,
        });
    }
    if info.rows == 0 {
        info.notes
            .push("the file has a header but no data rows".into());
    }
    Ok(info)
}

pub(super) type CsvRows = Box<dyn Iterator<Item = Result<(u64, Vec<String>), IngestError>>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_trim_as_str_trim_does() {
        for s in [
            "",
            " ",
            "a",
            " a",
            "a ",
            "\ta\r",
            "\u{a0}a",
            "a\u{a0}",
            "\u{3000}x\u{2029}",
            "é",
            " é ",
            "\x7f",
            "\x1f",
            "a b",
            "\u{85}",
        ] {
            assert_eq!(trim(s), s.trim(), "{s:?}");
        }
    }
}
