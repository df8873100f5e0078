//! The accountability logs: every input row is used or written to the rejects file with its
//! reason, and every village match that was not an exact code is listed.

use serde::Serialize;

/// An input row that was not used, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reject {
    /// File name as the job names it.
    pub file: String,
    /// 1-based line (CSV: physical line of the record's start; XLSX: sheet row; GeoJSON:
    /// feature number).
    pub line: u64,
    pub column: String,
    pub value: String,
    pub reason: String,
}

/// A row whose village was found some other way than by an exact code.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NameMatch {
    pub file: String,
    pub line: u64,
    /// What the row said (code and/or names).
    pub given: String,
    pub kode_desa: String,
    pub matched_desa: String,
    /// `unpadded_code`, `exact_name`, `fuzzy_name`.
    pub method: String,
    /// Similarity for fuzzy matches (Jaro–Winkler, 0–1), 1 otherwise.
    pub score: f64,
}

/// Per-file tallies and logs, filled by readers.
#[derive(Debug, Clone, Default)]
pub struct RejectLog {
    /// Rows not used.
    pub rejects: Vec<Reject>,
    /// Rows used, but with one value set aside or replaced (same shape as a reject; the
    /// `reason` says what was done instead).
    pub warnings: Vec<Reject>,
    pub matches: Vec<NameMatch>,
}

impl RejectLog {
    /// Records a row that is not used.
    pub fn reject(&mut self, file: &str, line: u64, column: &str, value: &str, reason: impl Into<String>) {
        let r = Self::entry(file, line, column, value, reason);
        self.rejects.push(r);
    }

    /// Records a row that is used with one value set aside or replaced.
    pub fn warn(&mut self, file: &str, line: u64, column: &str, value: &str, reason: impl Into<String>) {
        let r = Self::entry(file, line, column, value, reason);
        self.warnings.push(r);
    }

    fn entry(file: &str, line: u64, column: &str, value: &str, reason: impl Into<String>) -> Reject {
        // Values are clipped so a pathological cell cannot blow up the log.
        let mut value = value.to_string();
        if value.len() > 200 {
            let mut cut = 200;
            while !value.is_char_boundary(cut) {
                cut -= 1;
            }
            value.truncate(cut);
            value.push('…');
        }
        let mut reason: String = reason.into();
        if reason.len() > 400 {
            let mut cut = 400;
            while !reason.is_char_boundary(cut) {
                cut -= 1;
            }
            reason.truncate(cut);
            reason.push('…');
        }
        Reject { file: file.to_string(), line, column: column.to_string(), value, reason }
    }

    pub fn extend(&mut self, other: RejectLog) {
        self.rejects.extend(other.rejects);
        self.warnings.extend(other.warnings);
        self.matches.extend(other.matches);
    }
}
