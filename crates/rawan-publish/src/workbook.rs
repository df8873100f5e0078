//! `rawan.xlsx`: the published tables ([`crate::tabular`]) as one Excel workbook for officials
//! and report writers. A sheet per table (recommendations first), headers in the run's
//! language with the fixed column name under each, both rows frozen and filterable, numbers
//! as numbers at their published decimals, the risk score coloured with the map's classes,
//! small counts as `(s)` exactly as in every output, and a last sheet that explains every
//! column. Written with rust_xlsxwriter, streaming (constant memory); deterministic (a fixed
//! creation date: the run's `as_of`).

use crate::i18n::{RISK_CLASSES, t};
use crate::tabular::{Table, Values};
use crate::{Publication, PublishError};
use rawan_core::settings::Lang;
use rust_xlsxwriter::{
    Color, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};
use std::path::Path;

/// The file's name in the output folder.
pub const FILE: &str = "rawan.xlsx";

/// Rows above the data: the labels, then the fixed column names.
const HEADER_ROWS: u32 = 2;

fn xlsx_err(path: &Path) -> impl Fn(XlsxError) -> PublishError + '_ {
    move |e| PublishError::Io {
        path: path.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    }
}

/// A sheet's name for a table, in the run's language (at most 31 characters, as Excel allows).
pub fn sheet_name(lang: Lang, table: &str) -> &'static str {
    let (id, en) = match table {
        "recommendations" => ("Rekomendasi", "Recommendations"),
        "villages_ranked" => ("Desa menurut risiko", "Villages ranked"),
        "kecamatan_summary" => ("Ringkasan kecamatan", "Kecamatan summary"),
        "kabupaten_summary" => ("Ringkasan kabupaten", "Kabupaten summary"),
        "top_contributions" => ("Penyumbang risiko", "Top contributions"),
        _ => ("Penjelasan kolom", "Columns explained"),
    };
    match lang {
        Lang::Id => id,
        Lang::En => en,
    }
}

/// A column's label and meaning: the shared glossary, or the indicator's own label.
fn column_text(p: &Publication, key: &str) -> (String, String) {
    if let Some((label, meaning)) = rawan_core::i18n::column(p.lang, key) {
        return (label.to_string(), meaning.to_string());
    }
    for ind in &p.indicators.defs {
        if ind.key == key {
            let unit = match ind.unit(p.lang) {
                "" => String::new(),
                unit => format!(" ({unit})"),
            };
            let higher = matches!(
                ind.direction,
                rawan_core::indicator::Direction::HigherIsRiskier
            );
            let meaning = match (p.lang, higher) {
                (Lang::Id, true) => "indikator dimensi {}; makin tinggi makin berisiko",
                (Lang::Id, false) => "indikator dimensi {}; makin rendah makin berisiko",
                (Lang::En, true) => "indicator of the {} dimension; higher is riskier",
                (Lang::En, false) => "indicator of the {} dimension; lower is riskier",
            }
            .replace("{}", ind.dimension.label(p.lang));
            return (
                format!("{}{unit}", ind.label(p.lang)),
                format!("{}{unit}: {meaning}", ind.label(p.lang)),
            );
        }
        if ind.contribution_key == key {
            let c = t(p.lang, "contribution");
            return (
                format!("{}: {}", ind.label(p.lang), c),
                format!("{c} — {}", ind.label(p.lang)),
            );
        }
    }
    (key.to_string(), String::new())
}

/// Writes `dir/rawan.xlsx`; returns its name.
pub fn write(p: &Publication, tables: &[Table], dir: &Path) -> Result<Vec<String>, PublishError> {
    let path = dir.join(FILE);
    let bytes = workbook(p, tables).map_err(xlsx_err(&path))?;
    crate::write_file(dir, FILE, &bytes)?;
    Ok(vec![FILE.to_string()])
}

fn workbook(p: &Publication, tables: &[Table]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let created = ExcelDateTime::parse_from_str(&p.job.as_of.to_string())?;
    wb.set_properties(
        &rust_xlsxwriter::DocProperties::new()
            .set_creation_datetime(&created)
            .set_title(format!("rawan — {}", p.job.as_of))
            .set_comment(if p.restricted {
                "RESTRICTED: exact counts; internal use only"
            } else {
                "Small counts suppressed as (s): publishable"
            }),
    );
    // Level 1 deflate: the national workbook's XML is written several times faster than at
    // the default level 6, for a larger file.
    wb.set_zip_compression_level(1);
    let formats = Formats::new();
    for table in tables {
        let ws = wb.add_worksheet_with_constant_memory()?;
        ws.set_name(sheet_name(p.lang, table.name))?;
        write_sheet(ws, p, table, &formats)?;
    }
    let ws = wb.add_worksheet_with_constant_memory()?;
    ws.set_name(sheet_name(p.lang, "columns"))?;
    write_glossary(ws, p, tables, &formats)?;
    wb.save_to_buffer()
}

struct Formats {
    label: Format,
    key: Format,
    suppressed: Format,
    text: Format,
    /// By decimals (0 with a thousands separator).
    number: [Format; 5],
    integer: Format,
    /// The risk classes' fills, at the risk score's decimals.
    risk: Vec<Format>,
}

impl Formats {
    fn new() -> Formats {
        let number = |d: usize| {
            Format::new().set_num_format(if d == 0 {
                "#,##0".to_string()
            } else {
                format!("0.{}", "0".repeat(d))
            })
        };
        Formats {
            label: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_background_color(Color::RGB(0xD9E1F2))
                .set_border_bottom(FormatBorder::Thin),
            key: Format::new()
                .set_italic()
                .set_font_color(Color::RGB(0x595959))
                .set_background_color(Color::RGB(0xF2F2F2)),
            suppressed: Format::new().set_align(FormatAlign::Right),
            text: Format::new().set_indent(1),
            number: [number(0), number(1), number(2), number(3), number(4)],
            integer: Format::new().set_num_format("0"),
            risk: RISK_CLASSES
                .iter()
                .map(|(_, _, _, (r, g, b))| {
                    let rgb = (u32::from(*r) << 16) | (u32::from(*g) << 8) | u32::from(*b);
                    // Dark fills take white text, as the map's legend would be read.
                    let light =
                        u32::from(*r) * 299 + u32::from(*g) * 587 + u32::from(*b) * 114 > 140_000;
                    Format::new()
                        .set_num_format("0.000")
                        .set_background_color(Color::RGB(rgb))
                        .set_font_color(if light { Color::Black } else { Color::White })
                })
                .collect(),
        }
    }
}

fn width(key: &str, label: &str, values: &Values) -> f64 {
    let widest_text = match values {
        Values::Text(v) => v
            .iter()
            .take(500)
            .flatten()
            .map(|s| s.chars().count())
            .max()
            .unwrap_or(0)
            .min(60),
        _ => 10,
    };
    // A label wraps onto at most three lines.
    let label = label.chars().count().div_ceil(3).max(key.len().min(24));
    widest_text.max(label).clamp(8, 60) as f64 + 1.0
}

fn write_sheet(
    ws: &mut Worksheet,
    p: &Publication,
    table: &Table,
    f: &Formats,
) -> Result<(), XlsxError> {
    // Constant memory: a row is final once a later row is written, so row by row, and a
    // row's height is set before its cells.
    ws.set_row_height(0, 45)?;
    // Printed: landscape, as wide as the page, the two header rows on every page.
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 1)?;
    for (c, col) in table.columns.iter().enumerate() {
        let c = c as u16;
        let (label, _) = column_text(p, &col.key);
        ws.set_column_width(c, width(&col.key, &label, &col.values))?;
        ws.write_string_with_format(0, c, &label, &f.label)?;
    }
    for (c, col) in table.columns.iter().enumerate() {
        ws.write_string_with_format(1, c as u16, &col.key, &f.key)?;
    }
    ws.set_freeze_panes(HEADER_ROWS, 0)?;
    let last_col = table.columns.len().saturating_sub(1) as u16;
    ws.autofilter(1, 0, 1 + table.rows() as u32, last_col)?;
    // Number formats are the columns' own, so a cell is written without one (a format per
    // cell costs a hash lookup in the writer); only the risk score's colour is per cell.
    for (c, col) in table.columns.iter().enumerate() {
        let format = match &col.values {
            Values::Int(_) | Values::Count(_) => Some(&f.integer),
            Values::Num { decimals, .. } => Some(&f.number[(*decimals).min(4)]),
            // Text after a right-aligned number would touch it: one indent.
            Values::Text(_) | Values::Date(_) => Some(&f.text),
            Values::Bool(_) => None,
        };
        if let Some(format) = format {
            ws.set_column_format(c as u16, format)?;
        }
    }
    for r in 0..table.rows() {
        let row = HEADER_ROWS + r as u32;
        for (c, col) in table.columns.iter().enumerate() {
            let c = c as u16;
            match &col.values {
                Values::Text(v) => {
                    if let Some(s) = &v[r] {
                        ws.write_string(row, c, s)?;
                    }
                }
                Values::Int(v) => {
                    if let Some(i) = v[r] {
                        ws.write_number(row, c, i as f64)?;
                    }
                }
                Values::Num { values, decimals } => {
                    if let Some(x) = crate::layers::round(values[r], *decimals as i32) {
                        if col.key == "risk_score" {
                            let class = crate::web_map::risk_class(Some(x)).unwrap_or(0);
                            ws.write_number_with_format(row, c, x, &f.risk[class])?;
                        } else {
                            ws.write_number(row, c, x)?;
                        }
                    }
                }
                Values::Bool(v) => {
                    ws.write_boolean(row, c, v[r])?;
                }
                Values::Date(v) => {
                    if let Some(d) = v[r] {
                        ws.write_string(row, c, d.to_string())?;
                    }
                }
                Values::Count(v) => match v[r] {
                    Some(n) => {
                        ws.write_number(row, c, n as f64)?;
                    }
                    None => {
                        ws.write_string_with_format(
                            row,
                            c,
                            crate::tables::SUPPRESSED,
                            &f.suppressed,
                        )?;
                    }
                },
            }
        }
    }
    Ok(())
}

/// The sheet that explains every column of the other sheets, once per column name.
fn write_glossary(
    ws: &mut Worksheet,
    p: &Publication,
    tables: &[Table],
    f: &Formats,
) -> Result<(), XlsxError> {
    let heads = match p.lang {
        Lang::Id => ["Kolom", "Nama tetap", "Arti", "Lembar"],
        Lang::En => ["Column", "Fixed name", "Meaning", "Sheets"],
    };
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0)?;
    for (c, (h, w)) in heads.iter().zip([56.0, 24.0, 100.0, 50.0]).enumerate() {
        ws.set_column_width(c as u16, w)?;
        ws.write_string_with_format(0, c as u16, *h, &f.label)?;
    }
    ws.set_freeze_panes(1, 0)?;
    let mut keys: Vec<&str> = Vec::new();
    for table in tables {
        for col in &table.columns {
            if !keys.contains(&col.key.as_str()) {
                keys.push(&col.key);
            }
        }
    }
    let note = match p.lang {
        Lang::Id => {
            "(s): nilai 1 sampai ambang minimum disembunyikan untuk melindungi korban; jumlah wilayah diberikan sebagai rentang minimum–maksimum."
        }
        Lang::En => {
            "(s): a value from 1 up to the minimum count is suppressed to protect victims; area totals are given as a lowest–highest range."
        }
    };
    let mut row = 1;
    for key in keys {
        let (label, meaning) = column_text(p, key);
        let sheets: Vec<&str> = tables
            .iter()
            .filter(|t| t.columns.iter().any(|c| c.key == key))
            .map(|t| sheet_name(p.lang, t.name))
            .collect();
        ws.write_string(row, 0, &label)?;
        ws.write_string_with_format(row, 1, key, &f.key)?;
        ws.write_string(row, 2, &meaning)?;
        ws.write_string(row, 3, sheets.join(", "))?;
        row += 1;
    }
    ws.write_string(row + 1, 0, note)?;
    Ok(())
}
