//! Tabular sources: CSV (comma, semicolon or tab separated; UTF-8 with or without BOM, or
//! Windows-1252; CRLF or LF) and Excel `.xlsx` (first sheet unless one is named). Rows are
//! streamed to a callback with their line number; columns are found by canonical name
//! through the job's mapping, case-insensitively and ignoring surrounding spaces.
//!
//! A header may sit below title rows (exported reports often have them): the header is the
//! first of the first ten rows that carries every required column.

use crate::IngestError;
use crate::file_text::{self, Text};
use std::collections::BTreeMap;
use std::mem::MaybeUninit;
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
        self.position(canonical).map(|i| self.header[i].trim().to_string()).unwrap_or_else(|| canonical.to_string())
    }
    fn position(&self, canonical: &str) -> Option<usize> {
        self.index.iter().find(|(name, _)| name == canonical).map(|&(_, i)| i)
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
        slot.0.and_then(|i| self.cells.get(i)).map(|s| trim(s)).unwrap_or("")
    }

    /// How many cells past the header's last column hold something. An unquoted separator
    /// inside a value (`1,234` in a comma file, a name with a comma) shifts every later cell
    /// one place right and leaves one over: such a row cannot be read safely.
    pub fn extra_cells(&self) -> usize {
        self.cells.iter().skip(self.columns.header.len()).filter(|c| !trim(c).is_empty()).count()
    }
}

/// `str::trim`, with a shortcut for the usual cell, which starts and ends with a visible
/// ASCII character (no ASCII character above the space is white space, so there is nothing
/// to trim).
fn trim(s: &str) -> &str {
    let visible = |b: Option<&u8>| b.is_some_and(|&b| b > b' ' && b < 0x80);
    if visible(s.as_bytes().first()) && visible(s.as_bytes().last()) { s } else { s.trim() }
}

/// What reading a source learned besides its rows.
#[derive(Debug, Clone, Default)]
pub struct SourceInfo {
    pub rows: u64,
    pub notes: Vec<String>,
}

/// A column name as compared: case-insensitive, surrounding spaces ignored, and inner runs
/// of spaces or hyphens read as one underscore ("Kode Desa" = "kode_desa").
fn key(s: &str) -> String {
    let lower = s.trim().trim_start_matches('\u{feff}').trim().to_lowercase();
    lower.split([' ', '-', '_']).filter(|w| !w.is_empty()).collect::<Vec<_>>().join("_")
}

fn resolve(header: &[String], spec: &TableSpec) -> Result<Columns, Vec<String>> {
    let mut index: Vec<(String, usize)> = Vec::new();
    let positions: BTreeMap<String, usize> = header.iter().enumerate().rev().map(|(i, h)| (key(h), i)).collect();
    let all = spec.required.iter().flat_map(|g| g.iter()).chain(spec.optional.iter());
    for canonical in all {
        let wanted = spec.mapping.get(*canonical).map(|s| key(s)).unwrap_or_else(|| key(canonical));
        if let Some(&i) = positions.get(&wanted)
            && !index.iter().any(|(name, _)| name == canonical)
        {
            index.push((canonical.to_string(), i));
        }
    }
    let missing: Vec<String> = spec
        .required
        .iter()
        .filter(|g| !g.iter().any(|c| index.iter().any(|(name, _)| name == c)))
        .map(|g| {
            g.iter()
                .map(|c| match spec.mapping.get(*c) {
                    Some(m) => format!("{c} (mapped to \"{m}\")"),
                    None => c.to_string(),
                })
                .collect::<Vec<_>>()
                .join(" or ")
        })
        .collect();
    if missing.is_empty() { Ok(Columns { index, header: header.to_vec() }) } else { Err(missing) }
}

/// Reads a table, calling `on_row` for every data row in file order.
pub fn read_table(path: &Path, spec: &TableSpec, on_row: impl FnMut(&Row)) -> Result<SourceInfo, IngestError> {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_lowercase();
    let (records, notes): (CsvRows, Vec<String>) = match ext.as_str() {
        "xlsx" | "xlsm" | "xls" | "ods" => (Box::new(xlsx_rows(path, spec.sheet.as_deref())?.into_iter().map(Ok)), Vec::new()),
        _ => {
            let (text, delimiter, notes) = load_text(path)?;
            (csv_records(text, delimiter, path), notes)
        }
    };
    read_records(path, records, notes, spec, on_row)
}

/// Finds the header among the records and hands every data row to `on_row`.
fn read_records(path: &Path, records: CsvRows, notes: Vec<String>, spec: &TableSpec, mut on_row: impl FnMut(&Row)) -> Result<SourceInfo, IngestError> {
    let mut info = SourceInfo { rows: 0, notes };
    let mut records = records.peekable();
    if records.peek().is_none() {
        return Err(IngestError::Format { file: path.display().to_string(), problem: "the file is empty".into() });
    }
    // Find the header among the first ten rows.
    let mut first_missing = None;
    let mut columns = None;
    for _ in 0..10 {
        let Some(rec) = records.next() else { break };
        let (line, cells) = rec?;
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        match resolve(&cells, spec) {
            Ok(c) => {
                if line > 1 {
                    info.notes.push(format!("header found on line {line}; {} line(s) above it skipped as a title", line - 1));
                }
                columns = Some(c);
                break;
            }
            Err(missing) => {
                // Report the fullest row: the likeliest header, not a title above it.
                let filled = cells.iter().filter(|c| !c.trim().is_empty()).count();
                if first_missing.as_ref().is_none_or(|(_, best): &(Vec<String>, Vec<String>)| filled > best.iter().filter(|c| !c.trim().is_empty()).count()) {
                    first_missing = Some((missing, cells));
                }
            }
        }
    }
    let Some(columns) = columns else {
        let (missing, header) = first_missing.unwrap_or_default();
        let found: Vec<String> = header.iter().map(|h| h.trim().to_string()).filter(|h| !h.is_empty()).collect();
        let hint = if found.len() == 1 && found[0].contains(['|', ':', '/', '^']) {
            " The file seems to use a separator rawan does not read (use comma, semicolon or tab)."
        } else {
            ""
        };
        return Err(IngestError::Missing {
            file: path.display().to_string(),
            problem: format!(
                "no column {} (columns found: {}). Rename the column or map it in the job file under [inputs.columns.{}].{hint}",
                missing.join(", "),
                if found.is_empty() { "none".into() } else { found.join(", ") },
                spec.table
            ),
        });
    };
    for rec in records {
        let (line, cells) = rec?;
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        info.rows += 1;
        let refs: Vec<&str> = cells.iter().map(|c| c.as_str()).collect();
        on_row(&Row { line, cells: &refs, columns: &columns });
    }
    if info.rows == 0 {
        info.notes.push("the file has a header but no data rows".into());
    }
    Ok(info)
}

/// Per-chunk state of a parallel read: the chunk's own logs, merged in file order, and the
/// village code it resolved last (rows of one village usually come together).
#[derive(Default)]
pub struct ChunkCtx {
    pub log: rawan_core::RejectLog,
    pub recent: crate::resolve::RecentCode,
}

/// Like [`read_table`], for large stateless tables: `parse` turns a row into a record (or
/// logs why not) and may run on several threads. Results and logs keep file order. A CSV
/// body without quote characters is split at line boundaries and parsed in parallel; any
/// other source is read row by row.
pub fn read_table_par<T: Send>(
    path: &Path,
    spec: &TableSpec,
    parse: impl Fn(&Row, &mut ChunkCtx) -> Option<T> + Sync,
) -> Result<(Vec<T>, rawan_core::RejectLog, SourceInfo), IngestError> {
    use rayon::prelude::*;
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_lowercase();
    // Row by row, from records already opened (the text is never loaded twice).
    let sequential = |records: CsvRows, notes: Vec<String>| -> Result<(Vec<T>, rawan_core::RejectLog, SourceInfo), IngestError> {
        let mut ctx = ChunkCtx::default();
        let mut out = Vec::new();
        let info = read_records(path, records, notes, spec, |row| {
            if let Some(t) = parse(row, &mut ctx) {
                out.push(t);
            }
        })?;
        Ok((out, ctx.log, info))
    };
    if matches!(ext.as_str(), "xlsx" | "xlsm" | "xls" | "ods") {
        return sequential(Box::new(xlsx_rows(path, spec.sheet.as_deref())?.into_iter().map(Ok)), Vec::new());
    }
    let (text, delimiter, mut notes) = load_text(path)?;
    // The header: the first of the first ten records that carries the required columns.
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let mut record = csv::StringRecord::new();
    let mut found = None;
    for _ in 0..10 {
        match reader.read_record(&mut record) {
            Ok(true) => {
                let cells: Vec<String> = record.iter().map(|s| s.to_string()).collect();
                if let Ok(c) = resolve(&cells, spec) {
                    let start = record_start(text.as_bytes(), record.position().map_or(0, |p| p.byte() as usize));
                    let line = 1 + newlines(&text.as_bytes()[..start]);
                    found = Some((c, line, reader.position().byte() as usize));
                    break;
                }
            }
            _ => break,
        }
    }
    drop(reader);
    let Some((columns, header_line, body_start)) = found else { return sequential(csv_records(text, delimiter, path), notes) };
    let body_start = body_start.min(text.len());
    let body = &text[body_start..];
    // Chunks of about 4 MB, cut after a newline. One parallel pass finds whether any chunk
    // has a quote (then the CSV reader takes the whole file) and counts each chunk's lines,
    // so each chunk knows its first line number.
    let bytes = body.as_bytes();
    let mut pieces: Vec<&str> = Vec::new();
    let mut start = 0usize;
    while start < bytes.len() {
        let mut end = (start + (4 << 20)).min(bytes.len());
        while end < bytes.len() && bytes[end - 1] != b'\n' {
            end += 1;
        }
        pieces.push(&body[start..end]);
        start = end;
    }
    let scanned: Vec<(u64, bool)> = pieces
        .par_iter()
        .map(|piece| {
            // One pass for both answers, a 64-byte block at a time with small counters.
            let (mut lines, mut quotes) = (0u64, 0u8);
            for block in piece.as_bytes().chunks(64) {
                let (mut n, mut q) = (0u8, 0u8);
                for &b in block {
                    n += u8::from(b == b'\n');
                    q |= u8::from(b == b'"');
                }
                lines += u64::from(n);
                quotes |= q;
            }
            (lines, quotes != 0)
        })
        .collect();
    if scanned.iter().any(|&(_, quoted)| quoted) {
        drop(pieces);
        return sequential(csv_records(text, delimiter, path), notes);
    }
    if header_line > 1 {
        notes.push(format!("header found on line {header_line}; {} line(s) above it skipped as a title", header_line - 1));
    }
    let mut line = header_line + 1;
    let chunks: Vec<(u64, u64, &str)> = pieces
        .iter()
        .zip(&scanned)
        .map(|(&piece, &(lines, _))| {
            let first = line;
            line += lines;
            (first, lines, piece)
        })
        .collect();
    // Records go straight into one vector: each chunk fills its own stretch of the spare
    // capacity, with room for every line it has (a last line without '\n' adds one), and the
    // stretches are then moved together. No per-chunk vectors, no copy into a final one.
    let room = |lines: u64| lines as usize + 1;
    let mut out: Vec<T> = Vec::with_capacity(chunks.iter().map(|c| room(c.1)).sum());
    let mut stretches: Vec<&mut [MaybeUninit<T>]> = Vec::with_capacity(chunks.len());
    let mut spare = &mut out.spare_capacity_mut()[..];
    for c in &chunks {
        let (stretch, rest) = spare.split_at_mut(room(c.1));
        stretches.push(stretch);
        spare = rest;
    }
    let parts: Vec<(usize, ChunkCtx, u64)> = chunks
        .par_iter()
        .zip(stretches)
        .map(|(&(first_line, _, piece), stretch)| {
            let mut ctx = ChunkCtx::default();
            let mut filled = 0usize;
            let mut rows = 0u64;
            let mut cells: Vec<&str> = Vec::with_capacity(columns.header.len());
            // Lines and cells in one scan for separators and newlines (both ASCII, so every
            // cut falls between characters), see [`separators`].
            let bytes = piece.as_bytes();
            let mut line_start = 0;
            let mut cell_start = 0;
            let mut line = first_line;
            let mut row = |line_no: u64, l: &str, cells: &mut Vec<&'_ str>, ctx: &mut ChunkCtx| {
                if !trim(l).is_empty() {
                    rows += 1;
                    if let Some(t) = parse(&Row { line: line_no, cells, columns: &columns }, ctx) {
                        // At most one record a line, and the stretch has room for every line.
                        stretch[filled].write(t);
                        filled += 1;
                    }
                }
                cells.clear();
            };
            separators(bytes, delimiter, |at, newline| {
                cells.push(&piece[cell_start..at]);
                cell_start = at + 1;
                if newline {
                    row(line, &piece[line_start..at], &mut cells, &mut ctx);
                    line += 1;
                    line_start = at + 1;
                }
            });
            if line_start < bytes.len() {
                cells.push(&piece[cell_start..]);
                row(line, &piece[line_start..], &mut cells, &mut ctx);
            }
            (filled, ctx, rows)
        })
        .collect();
    let mut log = rawan_core::RejectLog::default();
    let mut info = SourceInfo { rows: 0, notes };
    let (mut len, mut stretch_start) = (0usize, 0usize);
    for (c, (filled, ctx, rows)) in chunks.iter().zip(parts) {
        // SAFETY: the first `filled` slots of this chunk's stretch (which starts at
        // `stretch_start`) were written above; `len` ≤ `stretch_start`, and everything below
        // `len` is already in place, so the move (which may overlap) keeps every record once.
        unsafe {
            let base = out.as_mut_ptr();
            std::ptr::copy(base.add(stretch_start), base.add(len), filled);
        }
        len += filled;
        stretch_start += room(c.1);
        log.extend(ctx.log);
        info.rows += rows;
    }
    // SAFETY: the first `len` slots now hold the records, in file order.
    unsafe { out.set_len(len) };
    if info.rows == 0 {
        info.notes.push("the file has a header but no data rows".into());
    }
    Ok((out, log, info))
}

/// Calls `found(offset, is_newline)` for every `delimiter` and `\n` byte of `bytes`, in
/// order. Sixteen bytes are compared at once (SSE2, which every x86-64 processor has) and
/// the matches read off a bit mask: cells are a few characters long, so this beats both a
/// byte loop and a searcher called per cell.
fn separators(bytes: &[u8], delimiter: u8, mut found: impl FnMut(usize, bool)) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: SSE2 is part of every x86-64 processor (the baseline this target assumes).
    let at = unsafe { separators_sse2(bytes, delimiter, &mut found) };
    #[cfg(not(target_arch = "x86_64"))]
    let at = 0;
    for (k, &b) in bytes.iter().enumerate().skip(at) {
        if b == delimiter || b == b'\n' {
            found(k, b == b'\n');
        }
    }
}

/// [`separators`] over whole blocks of sixteen bytes; returns where the blocks end.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
fn separators_sse2(bytes: &[u8], delimiter: u8, found: &mut impl FnMut(usize, bool)) -> usize {
    use std::arch::x86_64::*;
    let (sep, newline) = (_mm_set1_epi8(delimiter as i8), _mm_set1_epi8(b'\n' as i8));
    let mut at = 0;
    while at + 16 <= bytes.len() {
        // SAFETY: bytes[at..at + 16] is in bounds (loop condition); an unaligned load.
        let v = unsafe { _mm_loadu_si128(bytes.as_ptr().add(at).cast()) };
        let mut mask = _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, sep), _mm_cmpeq_epi8(v, newline))) as u32;
        while mask != 0 {
            let k = at + mask.trailing_zeros() as usize;
            mask &= mask - 1;
            found(k, bytes[k] == b'\n');
        }
        at += 16;
    }
    at
}

type CsvRows = Box<dyn Iterator<Item = Result<(u64, Vec<String>), IngestError>>>;

/// The file's text (BOM removed, CRLF made LF, Windows-1252 decoded when not UTF-8), its
/// separator, and what was noticed.
fn load_text(path: &Path) -> Result<(Text, u8, Vec<String>), IngestError> {
    let file = path.display().to_string();
    let bytes = file_text::read(path).map_err(|e| IngestError::Unreadable { file: file.clone(), problem: crate::io_problem(&e) })?;
    let mut notes = Vec::new();
    let start = if bytes.starts_with("\u{feff}".as_bytes()) { 3 } else { 0 };
    let text = match Text::mapped(bytes, start) {
        Ok(text) => text,
        Err(bytes) => {
            let valid_up_to = std::str::from_utf8(&bytes).err().map_or(bytes.len(), |e| e.valid_up_to());
            if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
                return Err(IngestError::Format { file, problem: "this is a spreadsheet file with a .csv name; save it as .xlsx or export it as CSV".into() });
            }
            if bytes.iter().take(4096).filter(|&&b| b == 0).count() > 4 {
                return Err(IngestError::Format { file, problem: "this is not a text file (binary content)".into() });
            }
            let (decoded, _, _) = encoding_rs::WINDOWS_1252.decode(&bytes);
            notes.push(format!("not valid UTF-8 (first bad byte at offset {valid_up_to}); read as Windows-1252"));
            Text::Owned(decoded.into_owned())
        }
    };
    // csv counts the '\n' of a "\r\n" at the start of the next record, which would put
    // every line number of a CRLF file one too low; plain '\n' endings keep them exact.
    // (memchr's vector search: 0.025 -> 0.014 s on a national departures file.)
    let text = if memchr::memchr(b'\r', text.as_bytes()).is_some() { Text::Owned(text.replace("\r\n", "\n")) } else { text };
    let delimiter = sniff_delimiter(&text);
    if delimiter != b',' {
        notes.push(format!("separator '{}'", delimiter as char));
    }
    Ok((text, delimiter, notes))
}

/// How many line ends `text` holds. The csv reader's own line count leaves out the blank lines
/// it skips, so a record's line is counted here from its byte offset.
fn newlines(text: &[u8]) -> u64 {
    text.iter().filter(|&&b| b == b'\n').count() as u64
}

/// Where a record the csv reader placed at `at` begins: its offset is that of the blank
/// lines it skipped on the way.
fn record_start(text: &[u8], mut at: usize) -> usize {
    while at < text.len() && matches!(text[at], b'\n' | b'\r') {
        at += 1;
    }
    at
}

/// The records of a loaded CSV text, with their line numbers.
fn csv_records(text: Text, delimiter: u8, path: &Path) -> CsvRows {
    let file = path.display().to_string();
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(std::io::Cursor::new(text));
    let mut record = csv::StringRecord::new();
    // Lines counted up to the last record's start, so that counting stays one pass.
    let (mut counted_to, mut line) = (0usize, 1u64);
    Box::new(std::iter::from_fn(move || match reader.read_record(&mut record) {
        Ok(false) => None,
        Ok(true) => {
            let text = reader.get_ref().get_ref().as_bytes();
            let at = record_start(text, record.position().map_or(counted_to, |p| p.byte() as usize)).clamp(counted_to, text.len());
            line += newlines(&text[counted_to..at]);
            counted_to = at;
            Some(Ok((line, record.iter().map(|s| s.to_string()).collect())))
        }
        Err(e) => Some(Err(IngestError::Format { file: file.clone(), problem: format!("CSV error: {e}") })),
    }))
}

/// The separator that splits the first line into the most fields, quotes respected.
fn sniff_delimiter(text: &str) -> u8 {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in first.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], std::cmp::Reverse(i))).unwrap_or(0);
    [b',', b';', b'\t'][best]
}

/// Most bytes a workbook may expand to. A national departures table is a few hundred MB as
/// text; a workbook that claims more is refused before anything is inflated.
pub const MAX_SPREADSHEET_EXPANDED: u64 = 2 << 30;

/// Refuses a zipped workbook (.xlsx, .xlsm, .ods) whose parts expand to more than
/// [`MAX_SPREADSHEET_EXPANDED`], by the sizes its central directory declares.
fn check_expanded_size(path: &Path) -> Result<(), IngestError> {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_lowercase();
    if !matches!(ext.as_str(), "xlsx" | "xlsm" | "ods") {
        return Ok(());
    }
    let unreadable = |problem: String| IngestError::Unreadable { file: path.display().to_string(), problem };
    let format_error = |problem: String| IngestError::Format { file: path.display().to_string(), problem };
    let file = std::fs::File::open(path).map_err(|e| unreadable(crate::io_problem(&e)))?;
    let mut zip = zip::ZipArchive::new(file).map_err(|e| format_error(format!("not a valid spreadsheet (an .{ext} file is a zip archive): {e}")))?;
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let part = zip.by_index_raw(i).map_err(|e| format_error(format!("cannot read the spreadsheet's contents: {e}")))?;
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

fn xlsx_rows(path: &Path, sheet: Option<&str>) -> Result<Vec<(u64, Vec<String>)>, IngestError> {
    use calamine::{Data, Reader, open_workbook_auto};
    let file = path.display().to_string();
    check_expanded_size(path)?;
    let mut wb = open_workbook_auto(path).map_err(|e| IngestError::Format { file: file.clone(), problem: format!("cannot open the spreadsheet: {e}") })?;
    let names = wb.sheet_names().to_vec();
    let name = match sheet {
        Some(s) => names
            .iter()
            .find(|n| n.trim().eq_ignore_ascii_case(s.trim()))
            .cloned()
            .ok_or_else(|| IngestError::Missing { file: file.clone(), problem: format!("no sheet named \"{s}\" (sheets: {})", names.join(", ")) })?,
        None => names.first().cloned().ok_or_else(|| IngestError::Format { file: file.clone(), problem: "the workbook has no sheets".into() })?,
    };
    let range = wb.worksheet_range(&name).map_err(|e| IngestError::Format { file: file.clone(), problem: format!("cannot read sheet \"{name}\": {e}") })?;
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The sixteen-at-a-time scan finds exactly the separators and newlines a byte loop
    /// finds, in order, for every separator, at block edges and in the tail after the last
    /// whole block.
    #[test]
    fn cells_trim_as_str_trim_does() {
        for s in ["", " ", "a", " a", "a ", "\ta\r", "\u{a0}a", "a\u{a0}", "\u{3000}x\u{2029}", "é", " é ", "\x7f", "\x1f", "a b", "\u{85}"] {
            assert_eq!(trim(s), s.trim(), "{s:?}");
        }
    }

    #[test]
    fn separators_are_found_as_a_byte_loop_finds_them() {
        let mut state = 3u64;
        let mut next = || {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (state >> 33) as usize
        };
        let alphabet = b"ab1.,;\t\n \xe2\x80\x94";
        for len in 0..100 {
            for &delimiter in b",;\t" {
                let bytes: Vec<u8> = (0..len).map(|_| alphabet[next() % alphabet.len()]).collect();
                let want: Vec<(usize, bool)> =
                    bytes.iter().enumerate().filter(|&(_, &b)| b == delimiter || b == b'\n').map(|(k, &b)| (k, b == b'\n')).collect();
                let mut got = Vec::new();
                separators(&bytes, delimiter, |k, newline| got.push((k, newline)));
                assert_eq!(got, want, "length {len}, separator {delimiter}");
            }
        }
    }

    /// A table of several parallel chunks (about 4 MB each), with rows refused by the parser,
    /// blank lines and a last line without a newline in it: the records come out in file
    /// order, each once, and every row is seen on its own line number.
    #[test]
    fn parallel_chunks_keep_every_record_once_in_file_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rows.csv");
        let mut text = String::from("id,value\n");
        let (mut want, mut refused, mut line) = (Vec::new(), Vec::new(), 1u64);
        for id in 0..1_000_000u64 {
            line += 1;
            if id % 9_973 == 0 {
                text.push('\n');
                line += 1;
            }
            if id % 7 == 3 {
                text.push_str(&format!("{id},refused\n"));
                refused.push(line);
            } else {
                text.push_str(&format!("{id},{}\n", id * 1_000_003));
                want.push((id, line));
            }
        }
        text.push_str("1000000,1000003000000");
        want.push((1_000_000, line + 1));
        assert!(text.len() > 3 * (4 << 20), "the file spans several chunks");
        std::fs::write(&path, &text).unwrap();
        let spec = TableSpec { table: "rows", required: &[&["id"], &["value"]], optional: &[], mapping: BTreeMap::new(), sheet: None };
        let seen_refused = std::sync::Mutex::new(Vec::new());
        let (got, _, info) = read_table_par(&path, &spec, |row, _| {
            let (id, value) = (row.get("id").parse::<u64>().unwrap(), row.get("value"));
            if value == "refused" {
                seen_refused.lock().unwrap().push(row.line);
                return None;
            }
            assert_eq!(value.parse::<u64>().unwrap(), id * 1_000_003, "cells of line {}", row.line);
            Some((id, row.line))
        })
        .unwrap();
        assert_eq!(info.rows, 1_000_001);
        assert_eq!(got, want);
        let mut seen = seen_refused.into_inner().unwrap();
        seen.sort_unstable();
        assert_eq!(seen, refused);
    }

    #[test]
    fn sniffs_the_separator_outside_quotes() {
        assert_eq!(sniff_delimiter("a;b;c\n1;2;3"), b';');
        assert_eq!(sniff_delimiter("a,b,c"), b',');
        assert_eq!(sniff_delimiter("\"x;y;z\",b,c"), b',');
        assert_eq!(sniff_delimiter("a\tb\tc"), b'\t');
    }
}
