//! Date forms that agency exports use: ISO `2025-11-20`, `20/11/2025`, `20-11-2025`,
//! `20.11.2025`, Indonesian and English long dates (`20 November 2025`, `Kamis, 20 November
//! 2025`, `20 Agu 2025`), ISO date-times (`2025-11-20T08:00:00`, `2025-11-20 08:00`), and
//! spreadsheet serial numbers when a reader hands them over as `serial:45981`.

use chrono::{Duration, NaiveDate};

/// Parses a date in any accepted form; the error says what was expected.
///
/// ```
/// use rawan_ingest::dates::parse_date;
/// use chrono::NaiveDate;
/// let d = NaiveDate::from_ymd_opt(2025, 11, 20).unwrap();
/// for s in ["2025-11-20", "20/11/2025", "20-11-2025", "20 November 2025", "Kamis, 20 November 2025", "20 Nov 2025"] {
///     assert_eq!(parse_date(s), Ok(d), "{s}");
/// }
/// assert!(parse_date("31 Februari 2024").is_err());
/// ```
pub fn parse_date(raw: &str) -> Result<NaiveDate, String> {
    let s = raw.trim().trim_matches('"').trim();
    if s.is_empty() {
        return Err("empty date".into());
    }
    if let Some(serial) = s.strip_prefix("serial:") {
        let n: f64 = serial
            .parse()
            .map_err(|_| format!("'{s}' is not a spreadsheet date"))?;
        // Excel's day 0 is 1899-12-30 (its 1900 leap-year bug folded in); its last day is
        // 9999-12-31, serial 2958465. Anything outside that is not a date.
        if !(n.is_finite() && (0.0..=2_958_465.0).contains(&n)) {
            return Err(format!(
                "spreadsheet date {n} is out of range (a date cell holding a very large number?)"
            ));
        }
        return NaiveDate::from_ymd_opt(1899, 12, 30)
            .and_then(|d| d.checked_add_signed(Duration::try_days(n.floor() as i64)?))
            .ok_or_else(|| format!("spreadsheet date {n} is out of range"));
    }
    let invalid =
        || format!("'{s}' is not a valid date (use 2025-11-20, 20/11/2025 or 20 November 2025)");
    // ISO, possibly with a time part.
    let head = s.split(['T', ' ']).next().unwrap_or(s);
    if head.len() == 10 && head.is_ascii() && head.as_bytes()[4] == b'-' {
        return ymd(&head[0..4], &head[5..7], &head[8..10]).ok_or_else(invalid);
    }
    // Numeric day-first: 20/11/2025, 20-11-2025, 20.11.2025 (one- or two-digit day/month).
    for sep in ['/', '-', '.'] {
        let parts: Vec<&str> = head.split(sep).collect();
        if parts.len() == 3
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        {
            if parts[2].len() != 4 {
                return Err(format!("'{s}': write the year with four digits"));
            }
            return ymd(parts[2], parts[1], parts[0]).ok_or_else(invalid);
        }
    }
    // Long form, optionally after a weekday and comma: "Kamis, 20 November 2025".
    let body = match s.split_once(',') {
        Some((_, rest)) => rest.trim(),
        None => s,
    };
    let words: Vec<&str> = body.split_whitespace().collect();
    if words.len() == 3 {
        let month =
            month_number(words[1]).ok_or_else(|| format!("'{}' is not a month name", words[1]))?;
        let day: u32 = words[0]
            .trim_end_matches('.')
            .parse()
            .map_err(|_| invalid())?;
        let year: i32 = words[2].parse().map_err(|_| invalid())?;
        return NaiveDate::from_ymd_opt(year, month, day).ok_or_else(invalid);
    }
    Err(invalid())
}

fn ymd(y: &str, m: &str, d: &str) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// Month from an Indonesian or English name or abbreviation, any case.
pub fn month_number(name: &str) -> Option<u32> {
    let n = name.trim().trim_end_matches('.').to_lowercase();
    const MONTHS: [&[&str]; 12] = [
        &["januari", "january", "jan"],
        &["februari", "february", "feb", "pebruari"],
        &["maret", "march", "mar"],
        &["april", "apr"],
        &["mei", "may"],
        &["juni", "june", "jun"],
        &["juli", "july", "jul"],
        &["agustus", "august", "agu", "agt", "aug", "ags"],
        &["september", "sep", "sept"],
        &["oktober", "october", "okt", "oct"],
        &["november", "nov", "nop", "nopember"],
        &["desember", "december", "des", "dec"],
    ];
    MONTHS
        .iter()
        .position(|names| names.contains(&n.as_str()))
        .map(|i| i as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn every_documented_form() {
        assert_eq!(parse_date("2025-11-20"), Ok(d(2025, 11, 20)));
        assert_eq!(parse_date("2025-11-20T08:30:00"), Ok(d(2025, 11, 20)));
        assert_eq!(parse_date("2025-11-20 08:30"), Ok(d(2025, 11, 20)));
        assert_eq!(parse_date("5/1/2024"), Ok(d(2024, 1, 5)));
        assert_eq!(parse_date("05.01.2024"), Ok(d(2024, 1, 5)));
        assert_eq!(parse_date("Senin, 1 Januari 2024"), Ok(d(2024, 1, 1)));
        assert_eq!(parse_date("17 Agustus 1945"), Ok(d(1945, 8, 17)));
        assert_eq!(parse_date("1 Nopember 2023"), Ok(d(2023, 11, 1)));
        assert_eq!(parse_date("3 MEI 2023"), Ok(d(2023, 5, 3)));
        // 45981 days after 1899-12-30.
        assert_eq!(parse_date("serial:45981"), Ok(d(2025, 11, 20)));
    }

    /// Every form driven to its extremes: an error, never a panic.
    #[test]
    fn extremes_are_errors_not_panics() {
        let huge = [
            "1e20",
            "-1e20",
            "1E+20",
            "inf",
            "NaN",
            "-0",
            "2958466",
            "9223372036854775807",
            "1e308",
            "-2958465",
        ];
        for n in huge {
            let r = parse_date(&format!("serial:{n}"));
            assert!(r.is_err() || n == "-0", "serial:{n} gave {r:?}");
        }
        assert_eq!(parse_date("serial:2958465"), Ok(d(9999, 12, 31)));
        let years = [
            "0",
            "-1",
            "99999",
            "2147483647",
            "-2147483648",
            "2147483648",
            "99999999999999999999",
        ];
        let numbers = [
            "0",
            "00",
            "99",
            "4294967295",
            "4294967296",
            "18446744073709551616",
        ];
        for y in years {
            for n in numbers {
                for form in [
                    format!("{y}-{n}-{n}"),
                    format!("{n}/{n}/{y}"),
                    format!("{n}-{n}-{y}"),
                    format!("{n}.{n}.{y}"),
                    format!("{n} Januari {y}"),
                    format!("Senin, {n} Mei {y}"),
                ] {
                    let _ = parse_date(&form);
                }
            }
        }
        // Multi-byte characters where the ISO form expects digits and dashes.
        for s in [
            "éé-1é-2025",
            "2025-1é-20",
            "二〇二五-11-2",
            "20/١١/2025",
            "\u{0}\u{0}\u{0}\u{0}-\u{0}-\u{0}0",
        ] {
            assert!(parse_date(s).is_err(), "{s}");
        }
    }

    #[test]
    fn refusals_say_why() {
        assert!(parse_date("").unwrap_err().contains("empty"));
        assert!(parse_date("20/11/25").unwrap_err().contains("four digits"));
        assert!(
            parse_date("20 Brumaire 2025")
                .unwrap_err()
                .contains("month")
        );
        assert!(parse_date("2025-02-30").is_err());
        assert!(parse_date("kemarin").is_err());
    }
}
