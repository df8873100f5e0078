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
    /// From the case file: row-level detail that is published only under `--restricted`
    /// (docs/privacy.md); a published run lists such rows as counts per column.
    #[serde(skip)]
    pub sensitive: bool,
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
    /// `unpadded_code`, `exact_name`, `fuzzy_name`, `bps_crosswalk`.
    pub method: String,
    /// Similarity for fuzzy matches (Jaro–Winkler, 0–1), 1 otherwise.
    pub score: f64,
    /// From the case file (see [`Reject::sensitive`]).
    #[serde(skip)]
    pub sensitive: bool,
}

/// Per-file tallies and logs, filled by readers.
/// A position in a [`RejectLog`] (counts of rejects, warnings and matches).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogMark(usize, usize, usize);

/// What the logs write instead of a value that looks like an NIK or a phone number.
pub const ID_NUMBER_HIDDEN: &str = "(not shown: looks like an NIK or phone number)";

/// Whether a cell looks like an identity or phone number: made only of digits and the
/// separators people type in numbers (space . - + ( ) / ,), with 11 digits or more (an NIK
/// has 16, Indonesian phone numbers 10 to 13), or 10 digits starting with 0 (a phone number
/// such as 0812 3456 78; village codes never start with 0, province codes run 11–96).
///
/// ```
/// use rawan_core::rejects::looks_like_id_number;
/// assert!(looks_like_id_number("3603171234560001"));      // an NIK
/// assert!(looks_like_id_number("81,299,887,772"));        // a phone number read as a count
/// assert!(looks_like_id_number("+62 812-3456-7890"));
/// assert!(looks_like_id_number("0812345678"));
/// assert!(!looks_like_id_number("3603172005"));           // an undotted village code
/// assert!(!looks_like_id_number("36.03.17.2005"));
/// assert!(!looks_like_id_number("1.234"));
/// assert!(!looks_like_id_number("Siti Aminah"));
/// ```
pub fn looks_like_id_number(value: &str) -> bool {
    let v = value.trim();
    if !v
        .bytes()
        .all(|b| b.is_ascii_digit() || b" .-+()/,".contains(&b))
    {
        return false;
    }
    let digits: Vec<u8> = v.bytes().filter(u8::is_ascii_digit).collect();
    digits.len() >= 11 || (digits.len() == 10 && digits[0] == b'0')
}

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
    pub fn reject(
        &mut self,
        file: &str,
        line: u64,
        column: &str,
        value: &str,
        reason: impl Into<String>,
    ) {
        let r = Self::entry(file, line, column, value, reason);
        self.rejects.push(r);
    }

    /// Records a row that is used with one value set aside or replaced.
    pub fn warn(
        &mut self,
        file: &str,
        line: u64,
        column: &str,
        value: &str,
        reason: impl Into<String>,
    ) {
        let r = Self::entry(file, line, column, value, reason);
        self.warnings.push(r);
    }

    /// Marks every entry made since `since` (a [`RejectLog::mark`]) as coming from the
    /// sensitive case file.
    pub fn mark_sensitive_since(&mut self, since: LogMark) {
        self.rejects[since.0..]
            .iter_mut()
            .for_each(|r| r.sensitive = true);
        self.warnings[since.1..]
            .iter_mut()
            .for_each(|r| r.sensitive = true);
        self.matches[since.2..]
            .iter_mut()
            .for_each(|m| m.sensitive = true);
    }

    /// Where the log stands now, for [`RejectLog::mark_sensitive_since`].
    pub fn mark(&self) -> LogMark {
        LogMark(self.rejects.len(), self.warnings.len(), self.matches.len())
    }

    fn entry(
        file: &str,
        line: u64,
        column: &str,
        value: &str,
        reason: impl Into<String>,
    ) -> Reject {
        // A value that looks like an NIK or a phone number is never written anywhere, in any
        // file: whoever typed it into a contract column typed personal data.
        if looks_like_id_number(value) {
            let reason: String = reason.into();
            let reason = if value.trim().is_empty() {
                reason
            } else {
                reason.replace(value.trim(), "(value not shown)")
            };
            return Self::entry(file, line, column, ID_NUMBER_HIDDEN, reason);
        }
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
        Reject {
            file: file.to_string(),
            line,
            column: column.to_string(),
            value,
            reason,
            sensitive: false,
        }
    }

    pub fn extend(&mut self, other: RejectLog) {
        self.rejects.extend(other.rejects);
        self.warnings.extend(other.warnings);
        self.matches.extend(other.matches);
    }
}
