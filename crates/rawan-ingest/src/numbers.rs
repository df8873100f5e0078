//! Counts as agencies write them: `12`, `12.0` (spreadsheets), `1.234` (Indonesian
//! thousands separator), `1,234` (English thousands separator), `1 234`.

/// A whole, non-negative count.
///
/// ```
/// use rawan_ingest::numbers::parse_count;
/// assert_eq!(parse_count("12"), Ok(12.0));
/// assert_eq!(parse_count("12.0"), Ok(12.0));
/// assert_eq!(parse_count("1.234"), Ok(1234.0));
/// assert_eq!(parse_count("1,234"), Ok(1234.0));
/// assert!(parse_count("-2").is_err());
/// assert!(parse_count("lima").is_err());
/// assert!(parse_count("2.5").is_err());
/// ```
pub fn parse_count(raw: &str) -> Result<f64, String> {
    // Fast path: plain digits.
    if !raw.is_empty() && raw.len() <= 15 && raw.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(raw.parse::<u64>().expect("digits") as f64);
    }
    let s: String = raw.trim().chars().filter(|c| !c.is_whitespace()).collect();
    if s.is_empty() {
        return Err("empty count".into());
    }
    let grouped = |sep: char| {
        let parts: Vec<&str> = s.split(sep).collect();
        parts.len() > 1
            && !parts[0].is_empty()
            && parts[0].len() <= 3
            && parts[1..].iter().all(|p| p.len() == 3)
            && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
    };
    let cleaned = if grouped('.') {
        s.replace('.', "")
    } else if grouped(',') {
        s.replace(',', "")
    } else {
        s.replace(',', ".")
    };
    let v: f64 = cleaned
        .parse()
        .map_err(|_| format!("'{}' is not a number", raw.trim()))?;
    if !v.is_finite() {
        return Err(format!("'{}' is not a number", raw.trim()));
    }
    if v < 0.0 {
        return Err(format!("{v} is negative; a count must be 0 or more"));
    }
    if v.fract() != 0.0 {
        return Err(format!("{v} is not a whole number"));
    }
    Ok(v)
}

/// A finite decimal number (coordinates, radii); `,` is accepted as the decimal mark.
pub fn parse_decimal(raw: &str) -> Result<f64, String> {
    let s = raw.trim().replace(',', ".");
    s.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| format!("'{}' is not a number", raw.trim()))
}
