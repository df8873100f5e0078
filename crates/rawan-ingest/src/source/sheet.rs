//! Spreadsheets (.xlsx, .xlsm, .xls, .ods) as rows of text cells, through calamine; zipped
//! workbooks are checked for their expanded size before anything is inflated.

use crate::IngestError;
use std::path::Path;

/// Whether `path` names a spreadsheet (by its extension).
pub(super) fn is_spreadsheet(path: &Path) -> bool {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_lowercase();
    matches!(ext.as_str(), "xlsx" | "xlsm" | "xls" | "ods")
}

/// Most bytes a workbook may expand to. A national departures table is a few hundred MB as
/// text; a workbook that claims more is refused before anything is inflated.
pub const MAX_SPREADSHEET_EXPANDED: u64 = 2 << 30;

/// Refuses a zipped workbook (.xlsx, .xlsm, .ods) whose parts expand to more than
/// [`MAX_SPREADSHEET_EXPANDED`], by the sizes its central directory declares.
fn check_expanded_size(path: &Path) -> Result<(), IngestError> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_lowercase();
    if !matches!(ext.as_str(), "xlsx" | "xlsm" | "ods") {
        return Ok(());
    }
    let unreadable = |problem: String| IngestError::Unreadable {
        file: path.display().to_string(),
        problem,
    };
    let format_error = |problem: String| IngestError::Format {
        file: path.display().to_string(),
        problem,
    };
    let file = std::fs::File::open(path).map_err(|e| unreadable(crate::io_problem(&e)))?;
    let mut zip = zip::ZipArchive::new(file).map_err(|e| {
        format_error(format!(
            "not a valid spreadsheet (an .{ext} file is a zip archive): {e}"
        ))
    })?;
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let part = zip
            .by_index_raw(i)
            .map_err(|e| format_error(format!("cannot read the spreadsheet's contents: {e}")))?;
        total = total.saturating_add(part.size());
    }
    if total > MAX_SPREADSHEET_EXPANDED {
        return Err(IngestError::TooLarge {
            file: path.display().to_string(),
            problem: format!(
                "the workbook expands to {:.1} GB, more than the {} GB rawan reads; export the table as CSV",
                total as f64 / 1e9,
                MAX_SPREADSHEET_EXPANDED >> 30
            ),
        });
    }
    Ok(())
}

pub(super) fn rows(
    path: &Path,
    sheet: Option<&str>,
) -> Result<Vec<(u64, Vec<String>)>, IngestError> {
    use calamine::{Data, Reader, open_workbook_auto};
    let file = path.display().to_string();
    check_expanded_size(path)?;
    let mut wb = open_workbook_auto(path).map_err(|e| IngestError::Format {
        file: file.clone(),
        problem: format!("cannot open the spreadsheet: {e}"),
    })?;
    let names = wb.sheet_names().to_vec();
    let name = match sheet {
        Some(s) => names
            .iter()
            .find(|n| n.trim().eq_ignore_ascii_case(s.trim()))
            .cloned()
            .ok_or_else(|| IngestError::Missing {
                file: file.clone(),
                problem: format!("no sheet named \"{s}\" (sheets: {})", names.join(", ")),
            })?,
        None => names.first().cloned().ok_or_else(|| IngestError::Format {
            file: file.clone(),
            problem: "the workbook has no sheets".into(),
        })?,
    };
    let range = wb.worksheet_range(&name).map_err(|e| IngestError::Format {
        file: file.clone(),
        problem: format!("cannot read sheet \"{name}\": {e}"),
    })?;
    let (row0, col0) = range.start().unwrap_or((0, 0));
    let mut out = Vec::with_capacity(range.height());
    for (r, row) in range.rows().enumerate() {
        let mut cells: Vec<String> = vec![String::new(); col0 as usize];
        cells.extend(row.iter().map(|c| match c {
            Data::Empty => String::new(),
            Data::String(s) => s.clone(),
            Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
            Data::Float(f) => f.to_string(),
            Data::Int(i) => i.to_string(),
            Data::Bool(b) => b.to_string(),
            Data::DateTime(d) => format!("serial:{}", d.as_f64()),
            Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
            Data::Error(e) => format!("#ERROR {e:?}"),
        }));
        out.push((row0 as u64 + r as u64 + 1, cells));
    }
    Ok(out)
}
