//! The header row of a table and where each canonical column sits in it: column names compared
//! case-insensitively, spaces and hyphens read as underscores, through the job's mapping.

use super::{Columns, TableSpec};
use crate::IngestError;
use std::collections::BTreeMap;
use std::path::Path;

/// Looks for the header among the first rows of a table: the first of the first ten
/// non-blank rows that carries every required column. Title rows above it (exported reports
/// often have them) are skipped and noted. Every reader, row by row or parallel, offers its
/// rows to this one search, so they agree on where the header is and what they say.
pub(super) struct HeaderSearch<'s> {
    spec: &'s TableSpec<'s>,
    offered: usize,
    /// The fullest row that was not the header, and what it lacked: the likeliest header
    /// (not a title above it), for the error message.
    fullest: Option<(Vec<String>, Vec<String>)>,
}

/// Rows looked at for the header.
const HEADER_ROWS: usize = 10;

impl<'s> HeaderSearch<'s> {
    pub(super) fn new(spec: &'s TableSpec<'s>) -> HeaderSearch<'s> {
        HeaderSearch {
            spec,
            offered: 0,
            fullest: None,
        }
    }

    /// Whether ten rows have been looked at without finding the header.
    pub(super) fn exhausted(&self) -> bool {
        self.offered >= HEADER_ROWS
    }

    /// Offers the row on `line`; returns its columns and the note to make (a title above it)
    /// when it is the header. Blank rows are not counted.
    pub(super) fn offer(
        &mut self,
        line: u64,
        cells: &[String],
    ) -> Option<(Columns, Option<String>)> {
        if cells.iter().all(|c| c.trim().is_empty()) {
            return None;
        }
        self.offered += 1;
        match resolve(cells, self.spec) {
            Ok(columns) => {
                let note = (line > 1).then(|| {
                    format!(
                        "header found on line {line}; {} line(s) above it skipped as a title",
                        line - 1
                    )
                });
                Some((columns, note))
            }
            Err(missing) => {
                let filled = |row: &[String]| row.iter().filter(|c| !c.trim().is_empty()).count();
                if self
                    .fullest
                    .as_ref()
                    .is_none_or(|(_, best)| filled(cells) > filled(best))
                {
                    self.fullest = Some((missing, cells.to_vec()));
                }
                None
            }
        }
    }

    /// The error when no header was found: which columns are missing, which were found.
    pub(super) fn missing(self, path: &Path) -> IngestError {
        let (missing, header) = self.fullest.unwrap_or_default();
        let found: Vec<String> = header
            .iter()
            .map(|h| h.trim().to_string())
            .filter(|h| !h.is_empty())
            .collect();
        let hint = if found.len() == 1 && found[0].contains(['|', ':', '/', '^']) {
            " The file seems to use a separator rawan does not read (use comma, semicolon or tab)."
        } else {
            ""
        };
        IngestError::Missing {
            file: path.display().to_string(),
            problem: format!(
                "no column {} (columns found: {}). Rename the column or map it in the job file under [inputs.columns.{}].{hint}",
                missing.join(", "),
                if found.is_empty() {
                    "none".into()
                } else {
                    found.join(", ")
                },
                self.spec.table
            ),
        }
    }
}

/// A column name as compared: case-insensitive, surrounding spaces ignored, and inner runs
/// of spaces or hyphens read as one underscore ("Kode Desa" = "kode_desa").
pub(super) fn key(s: &str) -> String {
    let lower = s
        .trim()
        .trim_start_matches('\u{feff}')
        .trim()
        .to_lowercase();
    lower
        .split([' ', '-', '_'])
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("_")
}

pub(super) fn resolve(header: &[String], spec: &TableSpec) -> Result<Columns, Vec<String>> {
    let mut index: Vec<(String, usize)> = Vec::new();
    let positions: BTreeMap<String, usize> = header
        .iter()
        .enumerate()
        .rev()
        .map(|(i, h)| (key(h), i))
        .collect();
    let all = spec
        .required
        .iter()
        .flat_map(|g| g.iter())
        .chain(spec.optional.iter());
    for canonical in all {
        let wanted = spec
            .mapping
            .get(*canonical)
            .map(|s| key(s))
            .unwrap_or_else(|| key(canonical));
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
    if missing.is_empty() {
        Ok(Columns {
            index,
            header: header.to_vec(),
        })
    } else {
        Err(missing)
    }
}
