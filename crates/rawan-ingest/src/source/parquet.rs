//! Parquet tables (agencies' data warehouses export them), read through polars' eager
//! Parquet reader. Every column is cast to text, so a Parquet table goes through the same
//! column mapping, normalisation, validation and rejects as a CSV file: a code stored as a
//! number, a date stored as a date and a count stored as an integer read as their text.
//! The header is the file's column names (row 0); data rows are numbered from 1, and that
//! number stands where a CSV reject gives its line.

use crate::IngestError;
use polars::prelude::*;
use std::path::Path;

/// Whether `path` names a Parquet file (by its extension).
pub(super) fn is_parquet(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("parquet"))
}

/// A Parquet table with every column as text, one chunk per column.
pub(super) struct TextTable {
    pub header: Vec<String>,
    columns: Vec<StringChunked>,
    pub rows: usize,
}

impl TextTable {
    /// Row `r`'s cells (null as empty).
    pub fn cells<'a>(&'a self, r: usize, out: &mut Vec<&'a str>) {
        out.clear();
        out.extend(self.columns.iter().map(|c| c.get(r).unwrap_or("")));
    }

    /// Every row as owned text, the header first: for the row-by-row reader.
    pub fn records(self) -> super::CsvRows {
        let header = std::iter::once(Ok((0, self.header.clone())));
        let rows = (0..self.rows).map(move |r| {
            Ok((
                r as u64 + 1,
                self.columns
                    .iter()
                    .map(|c| c.get(r).unwrap_or("").to_string())
                    .collect(),
            ))
        });
        Box::new(header.chain(rows))
    }
}

/// Reads `path` and casts every column to text.
pub(super) fn read(path: &Path) -> Result<TextTable, IngestError> {
    let file_name = path.display().to_string();
    let format = |problem: String| IngestError::Format {
        file: file_name.clone(),
        problem,
    };
    let file = std::fs::File::open(path).map_err(|e| IngestError::Unreadable {
        file: file_name.clone(),
        problem: crate::io_problem(&e),
    })?;
    let df = ParquetReader::new(file)
        .finish()
        .map_err(|e| format(format!("not a readable Parquet file: {e}")))?;
    let rows = df.height();
    let mut header = Vec::with_capacity(df.width());
    let mut columns = Vec::with_capacity(df.width());
    for c in df.columns() {
        header.push(c.name().to_string());
        let text = c
            .as_materialized_series()
            .cast(&DataType::String)
            .map_err(|e| {
                format(format!(
                    "column \"{}\" ({}) cannot be read as text: {e}",
                    c.name(),
                    c.dtype()
                ))
            })?;
        let text = text
            .str()
            .map_err(|e| format(e.to_string()))?
            .rechunk()
            .into_owned();
        columns.push(text);
    }
    Ok(TextTable {
        header,
        columns,
        rows,
    })
}
