//! Parquet twins of the published tables ([`crate::tabular`]), for analysts who load tables
//! into polars, pandas, DuckDB or R: the same base names, rows and columns as the CSV files,
//! with types that CSV loses (codes as text, counts as integers, a suppressed count as null,
//! numbers at their published decimals as doubles), zstd-compressed. Written by polars'
//! eager Parquet writer; deterministic (no timestamps in the file).

use crate::tabular::{Table, Values};
use crate::{PublishError, io_err};
use polars::prelude::*;
use std::path::Path;

fn polars_err(path: &Path) -> impl Fn(PolarsError) -> PublishError + '_ {
    move |e| PublishError::Io {
        path: path.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    }
}

/// A typed table as a polars DataFrame (numbers rounded to their published decimals).
pub fn frame(t: &Table) -> PolarsResult<DataFrame> {
    let columns = t
        .columns
        .iter()
        .map(|c| {
            let name = PlSmallStr::from(c.key.as_str());
            Ok(match &c.values {
                Values::Text(v) => Column::new(name, v),
                Values::Int(v) => Column::new(name, v),
                Values::Num { values, decimals } => Column::new(
                    name,
                    values
                        .iter()
                        .map(|x| crate::layers::round(*x, *decimals as i32))
                        .collect::<Vec<_>>(),
                ),
                Values::Bool(v) => Column::new(name, v),
                Values::Date(v) => {
                    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("a date");
                    let days: Vec<Option<i32>> = v
                        .iter()
                        .map(|d| d.map(|d| (d - epoch).num_days() as i32))
                        .collect();
                    Column::new(name, days).cast(&DataType::Date)?
                }
                Values::Count(v) => Column::new(
                    name,
                    v.iter().map(|x| x.map(|n| n as i64)).collect::<Vec<_>>(),
                ),
            })
        })
        .collect::<PolarsResult<Vec<Column>>>()?;
    DataFrame::new(t.rows(), columns)
}

/// Writes `NAME.parquet` for each table; returns the names.
pub fn write_all(tables: &[Table], dir: &Path) -> Result<Vec<String>, PublishError> {
    tables
        .iter()
        .map(|t| {
            let name = format!("{}.parquet", t.name);
            let path = dir.join(&name);
            let mut df = frame(t).map_err(polars_err(&path))?;
            let mut file = crate::output_file::OutputFile::create(&path).map_err(io_err(&path))?;
            ParquetWriter::new(&mut file)
                .with_compression(ParquetCompression::Zstd(None))
                .finish(&mut df)
                .map_err(polars_err(&path))?;
            file.finish().map_err(io_err(&path))?;
            Ok(name)
        })
        .collect()
}
