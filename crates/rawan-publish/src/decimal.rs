//! Fixed-decimal number text, byte for byte as `format!("{x:.prec$}")` writes it, without
//! its cost: layers and tables write tens of millions of numbers at national scale.

/// Appends `x` with exactly `prec` decimals, byte for byte as `format!("{x:.prec$}")` writes
/// it, at a fraction of the cost (a village layer has tens of millions of coordinates).
///
/// y = x·10^prec is computed with an error of at most half an ulp of y (10^prec is exact),
/// so rounding y to an integer gives the correctly rounded decimal whenever y's fractional
/// part is farther than that error from one half; ties, near-ties, values below one unit of
/// the last decimal and huge values go through `format!`.
pub fn push_fixed(out: &mut String, x: f64, prec: usize) {
    const POW10: [f64; 10] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];
    if prec < POW10.len() {
        let ay = (x * POW10[prec]).abs();
        if (1.0..1e15).contains(&ay) {
            let whole = ay.floor();
            if ((ay - whole) - 0.5).abs() > ay * f64::EPSILON {
                let mut r = ay.round() as u64;
                // Digits of r, least significant first, at least prec + 1 of them.
                let mut digits = [0u8; 24];
                let mut len = 0;
                while r > 0 || len <= prec {
                    digits[len] = b'0' + (r % 10) as u8;
                    r /= 10;
                    len += 1;
                }
                if x < 0.0 {
                    out.push('-');
                }
                for k in (0..len).rev() {
                    out.push(digits[k] as char);
                    if k == prec && prec > 0 {
                        out.push('.');
                    }
                }
                return;
            }
        }
    }
    use std::fmt::Write as _;
    let _ = write!(out, "{x:.prec$}");
}

/// `x` rounded to `prec` decimals as a number: the double nearest to the decimal
/// [`push_fixed`] writes, so a value is the same in every output, text or binary (a tie such
/// as 5.3125 to three decimals is 5.312 everywhere, as `format!` rounds it).
pub fn round_fixed(x: f64, prec: usize) -> f64 {
    const POW10: [f64; 10] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];
    if prec < POW10.len() {
        let y = x * POW10[prec];
        let ay = y.abs();
        if (1.0..1e15).contains(&ay) && ((ay - ay.floor()) - 0.5).abs() > ay * f64::EPSILON {
            return y.round() / POW10[prec];
        }
    }
    let mut s = String::with_capacity(24);
    push_fixed(&mut s, x, prec);
    s.parse().unwrap_or(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The number and the text agree: parsing what push_fixed writes gives round_fixed.
    #[test]
    fn rounded_numbers_read_as_their_text() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(9);
        let mut values: Vec<f64> = (0..100_000)
            .map(|_| rng.random_range(-50.0..50.0))
            .collect();
        values.extend([
            5.3125, 0.0625, 2.5, -2.5, 0.0004, -0.0004, 1e-12, 123456.789,
        ]);
        for x in values {
            for prec in 0..7 {
                let mut s = String::new();
                push_fixed(&mut s, x, prec);
                assert_eq!(
                    round_fixed(x, prec),
                    s.parse::<f64>().unwrap(),
                    "{x} at {prec}"
                );
            }
        }
        assert_eq!(round_fixed(5.3125, 3), 5.312, "ties as format! rounds them");
    }

    /// The fast path writes exactly what `format!` writes: random coordinates, values on and
    /// next to rounding ties, values below one unit of the last decimal, every precision 0–9.
    #[test]
    fn fixed_decimals_match_format_byte_for_byte() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
        let mut values: Vec<f64> = (0..200_000)
            .map(|_| rng.random_range(-180.0..180.0))
            .collect();
        for k in 0..20_000 {
            let tie = (k as f64 + 0.5) / 1e6;
            values.extend([
                tie,
                -tie,
                f64::from_bits(tie.to_bits() + 1),
                f64::from_bits(tie.to_bits() - 1),
                106.0 + tie,
            ]);
        }
        values.extend([
            0.0,
            -0.0,
            1e-7,
            -1e-7,
            4e-7,
            5e-7,
            6e-7,
            0.5,
            1.5,
            2.5,
            -2.5,
            1e14,
            123_456_789.123_456_78,
            f64::NAN,
            f64::INFINITY,
        ]);
        for prec in 0..=9 {
            for &x in &values {
                let mut fast = String::new();
                push_fixed(&mut fast, x, prec);
                assert_eq!(fast, format!("{x:.prec$}"), "x = {x:e}, prec = {prec}");
            }
        }
    }
}
