//! The Kemendagri village code, `PP.KK.CC.DDDD` (province, kabupaten/kota, kecamatan, village).
//!
//! Files carry codes dotted (`36.03.17.2002`), undotted (`3603172002`), as spreadsheet numbers
//! (`3603172002.0`, `3.603172002E9`) or dotted with segments that lost their zero padding
//! (`36.3.17.2002`). [`KodeDesa::parse`] accepts all of these and yields one canonical value.
//! An undotted code with fewer than ten digits is ambiguous (which segment lost its zero?):
//! it is reported as [`KodeError::Ambiguous`] and the reader resolves it against the known
//! villages with [`KodeDesa::unpadded_candidates`].

use std::fmt;

/// A village code, stored packed as the undotted ten-digit number (`3603172002`).
///
/// ```
/// use rawan_core::KodeDesa;
/// let k = KodeDesa::parse("36.3.17.2002").unwrap();
/// assert_eq!(k.to_string(), "36.03.17.2002");
/// assert_eq!(KodeDesa::parse("3603172002").unwrap(), k);
/// assert_eq!(k.kecamatan_prefix(), "36.03.17");
/// assert!(!k.is_kelurahan());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KodeDesa(u64);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KodeError {
    #[error("empty village code")]
    Empty,
    #[error("'{0}' is not a village code (expected PP.KK.CC.DDDD, e.g. 36.03.17.2002)")]
    Malformed(String),
    #[error("'{0}' has too few digits to tell which segment lost its leading zero")]
    Ambiguous(String),
}

impl KodeDesa {
    /// Builds a code from its four segments; `None` if a segment is out of range.
    pub fn from_parts(pp: u64, kk: u64, cc: u64, dddd: u64) -> Option<Self> {
        if !(11..=99).contains(&pp)
            || !(1..=99).contains(&kk)
            || !(1..=99).contains(&cc)
            || !(1..=9999).contains(&dddd)
        {
            return None;
        }
        Some(KodeDesa(
            pp * 100_000_000 + kk * 1_000_000 + cc * 10_000 + dddd,
        ))
    }

    /// The packed ten-digit number.
    pub fn as_u64(self) -> u64 {
        self.0
    }

    pub fn provinsi(self) -> u64 {
        self.0 / 100_000_000
    }

    /// `PPKK` as a number, e.g. 3603.
    pub fn kabupaten_code(self) -> u64 {
        self.0 / 1_000_000
    }

    /// `PPKKCC` as a number, e.g. 360317.
    pub fn kecamatan_code(self) -> u64 {
        self.0 / 10_000
    }

    /// `PP.KK.CC`, the dotted kecamatan code.
    pub fn kecamatan_prefix(self) -> String {
        let s = self.to_string();
        s[..8].to_string()
    }

    /// `PP.KK`, the dotted kabupaten/kota code.
    pub fn kabupaten_prefix(self) -> String {
        let s = self.to_string();
        s[..5].to_string()
    }

    /// Villages numbered 1xxx are kelurahan (urban), 2xxx desa.
    pub fn is_kelurahan(self) -> bool {
        self.0 % 10_000 < 2000
    }

    /// Parses any of the accepted forms (see the module docs).
    pub fn parse(raw: &str) -> Result<Self, KodeError> {
        // Fast path: the canonical dotted form, as most rows of a large file carry it.
        let b = raw.as_bytes();
        if b.len() == 13 && b[2] == b'.' && b[5] == b'.' && b[8] == b'.' {
            let digit = |i: usize| (b[i] as char).to_digit(10).map(u64::from);
            let mut n = 0u64;
            let mut ok = true;
            for i in [0, 1, 3, 4, 6, 7, 9, 10, 11, 12] {
                match digit(i) {
                    Some(d) => n = n * 10 + d,
                    None => ok = false,
                }
            }
            if ok {
                return KodeDesa::from_parts(
                    n / 100_000_000,
                    n / 1_000_000 % 100,
                    n / 10_000 % 100,
                    n % 10_000,
                )
                .ok_or_else(|| KodeError::Malformed(raw.to_string()));
            }
        }
        let s = raw.trim().trim_matches('"').trim_start_matches('\'').trim();
        if s.is_empty() {
            return Err(KodeError::Empty);
        }
        let malformed = || KodeError::Malformed(s.to_string());
        let parts: Vec<&str> = s.split('.').collect();
        if parts.len() == 4 {
            let widths = [2, 2, 2, 4];
            let mut v = [0u64; 4];
            for (i, p) in parts.iter().enumerate() {
                let p = p.trim();
                if p.is_empty() || p.len() > widths[i] || !p.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(malformed());
                }
                v[i] = p.parse().map_err(|_| malformed())?;
            }
            return KodeDesa::from_parts(v[0], v[1], v[2], v[3]).ok_or_else(malformed);
        }
        let digits = spreadsheet_number_digits(s).ok_or_else(malformed)?;
        match digits.len() {
            10 => {
                let n: u64 = digits.parse().map_err(|_| malformed())?;
                KodeDesa::from_parts(
                    n / 100_000_000,
                    n / 1_000_000 % 100,
                    n / 10_000 % 100,
                    n % 10_000,
                )
                .ok_or_else(malformed)
            }
            7..=9 => Err(KodeError::Ambiguous(s.to_string())),
            _ => Err(malformed()),
        }
    }

    /// For an undotted code that lost zero padding (fewer than ten digits), every code it
    /// could stand for: a zero re-inserted at the start of the kabupaten, kecamatan or
    /// village segment. The caller keeps the candidates that are known villages and accepts
    /// the code only when exactly one is.
    pub fn unpadded_candidates(raw: &str) -> Vec<KodeDesa> {
        let Some(d) = spreadsheet_number_digits(raw.trim()) else {
            return vec![];
        };
        let mut out = Vec::new();
        // Segment starts in the ten-digit form: KK at 2, CC at 4, DDDD at 6.
        let mut frontier = vec![d.clone()];
        while let Some(cur) = frontier.pop() {
            if cur.len() == 10 {
                if let Ok(k) = KodeDesa::parse(&cur)
                    && !out.contains(&k)
                {
                    out.push(k);
                }
                continue;
            }
            for pos in [2usize, 4, 6] {
                if pos <= cur.len() {
                    let mut next = cur.clone();
                    next.insert(pos, '0');
                    frontier.push(next);
                }
            }
        }
        out.sort();
        out
    }
}

/// Digits of an integer written plainly, with a spreadsheet's `.0` tail, or in scientific
/// notation (`3.603172002E9`). `None` if it is not a whole number.
fn spreadsheet_number_digits(s: &str) -> Option<String> {
    let s = s.trim();
    if s.bytes().all(|b| b.is_ascii_digit()) && !s.is_empty() {
        return Some(s.to_string());
    }
    if let Some(int) = s.strip_suffix(".0").or_else(|| s.strip_suffix(".00"))
        && int.bytes().all(|b| b.is_ascii_digit())
        && !int.is_empty()
    {
        return Some(int.to_string());
    }
    let lower = s.to_ascii_lowercase();
    if let Some((mant, exp)) = lower.split_once('e') {
        let exp: i32 = exp.trim_start_matches('+').parse().ok()?;
        let (int, frac) = mant.split_once('.').unwrap_or((mant, ""));
        if !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let frac_len = frac.len() as i32;
        if exp < frac_len {
            return None;
        }
        let mut digits = format!("{int}{frac}");
        for _ in 0..(exp - frac_len) {
            digits.push('0');
        }
        let trimmed = digits.trim_start_matches('0');
        return Some(if trimmed.is_empty() {
            "0".into()
        } else {
            trimmed.to_string()
        });
    }
    None
}

impl fmt::Display for KodeDesa {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0;
        write!(
            f,
            "{:02}.{:02}.{:02}.{:04}",
            n / 100_000_000,
            n / 1_000_000 % 100,
            n / 10_000 % 100,
            n % 10_000
        )
    }
}

impl fmt::Debug for KodeDesa {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KodeDesa({self})")
    }
}

impl std::str::FromStr for KodeDesa {
    type Err = KodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        KodeDesa::parse(s)
    }
}

impl serde::Serialize for KodeDesa {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for KodeDesa {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        KodeDesa::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_every_documented_form() {
        let want = KodeDesa::from_parts(36, 3, 17, 2005).unwrap();
        for raw in [
            "36.03.17.2005",
            "3603172005",
            " 3603172005 ",
            "3603172005.0",
            "3.603172005E9",
            "3.603172005e+09",
            "36.3.17.2005",
            "'3603172005",
        ] {
            assert_eq!(KodeDesa::parse(raw), Ok(want), "{raw}");
        }
    }

    #[test]
    fn refuses_what_is_not_a_code() {
        assert_eq!(KodeDesa::parse(""), Err(KodeError::Empty));
        assert!(matches!(
            KodeDesa::parse("36.03.17"),
            Err(KodeError::Malformed(_))
        ));
        assert!(matches!(
            KodeDesa::parse("abc"),
            Err(KodeError::Malformed(_))
        ));
        assert!(matches!(
            KodeDesa::parse("36.03.17.20055"),
            Err(KodeError::Malformed(_))
        ));
        assert!(matches!(
            KodeDesa::parse("3.6E3"),
            Err(KodeError::Malformed(_))
        ));
        assert!(matches!(
            KodeDesa::parse("360317205"),
            Err(KodeError::Ambiguous(_))
        ));
        // Province 05 does not exist.
        assert!(matches!(
            KodeDesa::parse("05.03.17.2005"),
            Err(KodeError::Malformed(_))
        ));
    }

    #[test]
    fn unpadded_candidates_insert_one_zero_per_missing_digit() {
        // "360317205": a zero at the kabupaten start gives KK = 00 (invalid); at the
        // kecamatan start 36.03.01.7205; at the village start 36.03.17.0205.
        let c = KodeDesa::unpadded_candidates("360317205");
        let want: Vec<KodeDesa> = ["36.03.01.7205", "36.03.17.0205"]
            .iter()
            .map(|s| KodeDesa::parse(s).unwrap())
            .collect();
        assert_eq!(c, want);
        let c = KodeDesa::unpadded_candidates("363172005");
        assert!(c.contains(&KodeDesa::parse("36.03.17.2005").unwrap()));
        assert!(c.contains(&KodeDesa::parse("36.31.07.2005").unwrap()));
    }

    #[test]
    fn hierarchy_accessors() {
        let k = KodeDesa::parse("36.71.02.1004").unwrap();
        assert_eq!(k.kabupaten_code(), 3671);
        assert_eq!(k.kecamatan_code(), 367102);
        assert_eq!(k.kabupaten_prefix(), "36.71");
        assert!(k.is_kelurahan());
    }
}
