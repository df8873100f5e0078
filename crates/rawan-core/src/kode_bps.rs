//! BPS's village code, `PPKKCCCDDD` (province, kabupaten/kota, a three-digit kecamatan, a
//! three-digit village), and the two schemes a table's village codes may follow.
//!
//! BPS (Statistics Indonesia) and Kemendagri both write a village as ten digits, and the
//! same ten digits name different villages: BPS's `3603170002` is village 002 of kecamatan
//! 170, while read as Kemendagri's `PP.KK.CC.DDDD` it becomes `36.03.17.0002`. A BPS table is
//! therefore joined only through a crosswalk, never by its digits. Most BPS kecamatan codes
//! end in 0, so most BPS codes read as Kemendagri have a village part below 1000, which
//! Kemendagri never gives (its villages are numbered 1xxx, kelurahan, and 2xxx, desa):
//! [`KodeBps::misread_as_kemendagri`] is how a BPS column is recognised.

use crate::KodeDesa;
use std::fmt;

/// Which numbering a table's village codes follow (`[inputs.codes]` in the job file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CodeScheme {
    /// `PP.KK.CC.DDDD`, the scheme of the village layer: joined directly.
    Kemendagri,
    /// `PPKKCCCDDD`: joined through the job's `bps_crosswalk`.
    Bps,
}

/// A BPS village code, stored as its ten-digit number.
///
/// ```
/// use rawan_core::KodeBps;
/// let k = KodeBps::parse("3603170002").unwrap();
/// assert_eq!(k.to_string(), "3603170002");
/// // A spreadsheet's number form is the same code.
/// assert_eq!(KodeBps::parse("3603170002.0"), Some(k));
/// // Read as Kemendagri's PP.KK.CC.DDDD it would be village 0002, which Kemendagri never uses.
/// assert!(KodeBps::misread_as_kemendagri("3603170002"));
/// assert!(!KodeBps::misread_as_kemendagri("3603172002"));
/// assert!(!KodeBps::misread_as_kemendagri("36.03.17.0002"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KodeBps(u64);

impl KodeBps {
    /// Ten digits, plainly or as a spreadsheet number (`3603170002.0`); the province (the
    /// first two digits) must be 11–99. BPS codes are not written with dots.
    pub fn parse(raw: &str) -> Option<KodeBps> {
        let s = raw.trim().trim_matches('"').trim_start_matches('\'').trim();
        let digits = s
            .strip_suffix(".0")
            .or_else(|| s.strip_suffix(".00"))
            .unwrap_or(s);
        if digits.len() != 10 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let n: u64 = digits.parse().ok()?;
        (n / 100_000_000 >= 11).then_some(KodeBps(n))
    }

    /// Whether `raw` is ten plain digits that Kemendagri's reading turns into a village
    /// number below 1000: the mark of a BPS code (see the module docs). Dotted codes are
    /// Kemendagri's by their form and never count.
    pub fn misread_as_kemendagri(raw: &str) -> bool {
        KodeBps::parse(raw).is_some_and(|k| k.0 % 10_000 < 1_000)
    }

    pub fn as_u64(self) -> u64 {
        self.0
    }

    /// The Kemendagri code the same digits would be read as, if they form one: what a join
    /// without a crosswalk would wrongly pick.
    pub fn same_digits_as_kemendagri(self) -> Option<KodeDesa> {
        KodeDesa::parse(&self.to_string()).ok()
    }
}

impl fmt::Display for KodeBps {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:010}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_ten_digit_codes_of_a_province_are_bps_codes() {
        for bad in [
            "",
            "360317000",
            "36031700021",
            "36.03.170.002",
            "0903170002",
            "36031700x2",
        ] {
            assert_eq!(KodeBps::parse(bad), None, "{bad}");
        }
        assert_eq!(
            KodeBps::parse(" '3603170002 ").map(|k| k.as_u64()),
            Some(3603170002)
        );
    }

    #[test]
    fn a_kecamatan_ending_in_one_is_not_recognised_by_its_digits() {
        // BPS kecamatan 171 village 002 reads as Kemendagri kelurahan 36.03.17.1002: a code
        // whose digits alone cannot tell. Tables are judged by the share of their codes.
        assert!(!KodeBps::misread_as_kemendagri("3603171002"));
        assert_eq!(
            KodeBps::parse("3603171002")
                .unwrap()
                .same_digits_as_kemendagri()
                .map(|k| k.to_string()),
            Some("36.03.17.1002".into())
        );
    }
}
