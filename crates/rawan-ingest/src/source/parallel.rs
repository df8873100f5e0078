//! Large CSV tables read in parallel: the body cut into chunks of about 4 MB at line
//! boundaries, each chunk's lines and cells found in one scan and parsed on its own thread,
//! the records and logs put back in file order. Tables with quotes, spreadsheets and files
//! whose header cannot be found are read row by row instead.

use super::text::{self, newlines, record_start};
use super::{CsvRows, Row, SourceInfo, TableSpec, header, read_records, sheet, trim};
use crate::IngestError;
use std::mem::MaybeUninit;
use std::path::Path;

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
    // Row by row, from records already opened (the text is never loaded twice).
    let sequential = |records: CsvRows,
                      notes: Vec<String>|
     -> Result<(Vec<T>, rawan_core::RejectLog, SourceInfo), IngestError> {
        let mut ctx = ChunkCtx::default();
        let mut out = Vec::new();
        let info = read_records(path, records, notes, spec, |row| {
            if let Some(t) = parse(row, &mut ctx) {
                out.push(t);
            }
        })?;
        Ok((out, ctx.log, info))
    };
    if super::parquet::is_parquet(path) {
        return parquet_par(path, spec, &parse);
    }
    if sheet::is_spreadsheet(path) {
        return sequential(
            Box::new(
                sheet::rows(path, spec.sheet.as_deref())?
                    .into_iter()
                    .map(Ok),
            ),
            Vec::new(),
        );
    }
    let (text, delimiter, mut notes) = text::load(path)?;
    // The header, found as the row-by-row reader finds it (header::HeaderSearch).
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut record = csv::StringRecord::new();
    let mut search = header::HeaderSearch::new(spec);
    let mut found = None;
    while !search.exhausted() {
        let Ok(true) = reader.read_record(&mut record) else {
            break;
        };
        let cells: Vec<String> = record.iter().map(|s| s.to_string()).collect();
        let start = record_start(
            text.as_bytes(),
            record.position().map_or(0, |p| p.byte() as usize),
        );
        let line = 1 + newlines(&text.as_bytes()[..start]);
        if let Some((columns, note)) = search.offer(line, &cells) {
            found = Some((columns, note, line, reader.position().byte() as usize));
            break;
        }
    }
    drop(reader);
    let Some((columns, header_note, header_line, body_start)) = found else {
        return sequential(text::records(text, delimiter, path), notes);
    };
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
        return sequential(text::records(text, delimiter, path), notes);
    }
    notes.extend(header_note);
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
                    if let Some(t) = parse(
                        &Row {
                            line: line_no,
                            cells,
                            columns: &columns,
                        },
                        ctx,
                    ) {
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
        info.notes
            .push("the file has a header but no data rows".into());
    }
    Ok((out, log, info))
}

/// [`read_table_par`] for a Parquet file: its rows in parallel blocks, each block's records
/// and log kept in row order.
fn parquet_par<T: Send>(
    path: &Path,
    spec: &TableSpec,
    parse: &(impl Fn(&Row, &mut ChunkCtx) -> Option<T> + Sync),
) -> Result<(Vec<T>, rawan_core::RejectLog, SourceInfo), IngestError> {
    use rayon::prelude::*;
    let table = super::parquet::read(path)?;
    let mut search = header::HeaderSearch::new(spec);
    let Some((columns, note)) = search.offer(0, &table.header) else {
        return Err(search.missing(path));
    };
    const BLOCK: usize = 1 << 16;
    let starts: Vec<usize> = (0..table.rows).step_by(BLOCK).collect();
    let parts: Vec<(Vec<T>, ChunkCtx, u64)> = starts
        .par_iter()
        .map(|&start| {
            let (mut out, mut ctx, mut rows) = (Vec::new(), ChunkCtx::default(), 0u64);
            let mut cells: Vec<&str> = Vec::with_capacity(table.header.len());
            for r in start..(start + BLOCK).min(table.rows) {
                table.cells(r, &mut cells);
                if cells.iter().all(|c| trim(c).is_empty()) {
                    continue;
                }
                rows += 1;
                let row = Row {
                    line: r as u64 + 1,
                    cells: &cells,
                    columns: &columns,
                };
                out.extend(parse(&row, &mut ctx));
            }
            (out, ctx, rows)
        })
        .collect();
    let mut info = SourceInfo {
        rows: 0,
        notes: note.into_iter().collect(),
    };
    let mut log = rawan_core::RejectLog::default();
    let mut out = Vec::with_capacity(parts.iter().map(|p| p.0.len()).sum());
    for (records, ctx, rows) in parts {
        out.extend(records);
        log.extend(ctx.log);
        info.rows += rows;
    }
    if info.rows == 0 {
        info.notes
            .push("the file has a header but no data rows".into());
    }
    Ok((out, log, info))
}

/// Calls `found(offset, is_newline)` for every `delimiter` and `\n` byte of `bytes`, in
/// order. Sixteen bytes are compared at once (SSE2, which every x86-64 processor has) and
/// the matches read off a bit mask: cells are a few characters long, so this beats a byte
/// loop, a searcher called per cell, and memchr's two-byte iterator, which restarts its
/// search at every match (measured in docs/performance-log.md).
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
        let mut mask = _mm_movemask_epi8(_mm_or_si128(
            _mm_cmpeq_epi8(v, sep),
            _mm_cmpeq_epi8(v, newline),
        )) as u32;
        while mask != 0 {
            let k = at + mask.trailing_zeros() as usize;
            mask &= mask - 1;
            found(k, bytes[k] == b'\n');
        }
        at += 16;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn separators_are_found_as_a_byte_loop_finds_them() {
        let mut state = 3u64;
        let mut next = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) as usize
        };
        let alphabet = b"ab1.,;\t\n \xe2\x80\x94";
        for len in 0..100 {
            for &delimiter in b",;\t" {
                let bytes: Vec<u8> = (0..len)
                    .map(|_| alphabet[next() % alphabet.len()])
                    .collect();
                let want: Vec<(usize, bool)> = bytes
                    .iter()
                    .enumerate()
                    .filter(|&(_, &b)| b == delimiter || b == b'\n')
                    .map(|(k, &b)| (k, b == b'\n'))
                    .collect();
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
        let spec = TableSpec {
            table: "rows",
            required: &[&["id"], &["value"]],
            optional: &[],
            mapping: BTreeMap::new(),
            sheet: None,
        };
        let seen_refused = std::sync::Mutex::new(Vec::new());
        let (got, _, info) = read_table_par(&path, &spec, |row, _| {
            let (id, value) = (row.get("id").parse::<u64>().unwrap(), row.get("value"));
            if value == "refused" {
                seen_refused.lock().unwrap().push(row.line);
                return None;
            }
            assert_eq!(
                value.parse::<u64>().unwrap(),
                id * 1_000_003,
                "cells of line {}",
                row.line
            );
            Some((id, row.line))
        })
        .unwrap();
        assert_eq!(info.rows, 1_000_001);
        assert_eq!(got, want);
        let mut seen = seen_refused.into_inner().unwrap();
        seen.sort_unstable();
        assert_eq!(seen, refused);
    }
}
