//! Property-based tests of the normalisers: they never panic on any text, and every form the
//! data contract accepts reads back to the value it was written from.

use chrono::{Datelike, NaiveDate};
use proptest::prelude::*;
use rawan_core::KodeDesa;
use rawan_ingest::dates::parse_date;
use rawan_ingest::names::{Level, normalise};
use rawan_ingest::numbers::parse_count;

const BULAN: [&str; 12] = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
];
const HARI: [&str; 7] = [
    "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu",
];

fn date() -> impl Strategy<Value = NaiveDate> {
    (1950i32..2100, 1u32..=12, 1u32..=31)
        .prop_filter_map("valid date", |(y, m, d)| NaiveDate::from_ymd_opt(y, m, d))
}

proptest! {
    #[test]
    fn code_parsing_never_panics(s in "\\PC{0,40}") {
        let _ = KodeDesa::parse(&s);
        let _ = KodeDesa::unpadded_candidates(&s);
    }

    #[test]
    fn every_code_form_reads_back(pp in 11u64..=99, kk in 1u64..=99, cc in 1u64..=99, d in 1u64..=9999) {
        let k = KodeDesa::from_parts(pp, kk, cc, d).unwrap();
        let undotted = format!("{pp:02}{kk:02}{cc:02}{d:04}");
        for form in [k.to_string(), undotted.clone(), format!("{undotted}.0"), format!("{pp}.{kk}.{cc}.{d}"), format!(" {k} ")] {
            prop_assert_eq!(KodeDesa::parse(&form), Ok(k), "{}", form);
        }
        // Losing one leading zero keeps the true code among the candidates.
        if kk < 10 {
            let lost = format!("{pp}{kk}{cc:02}{d:04}");
            prop_assert!(KodeDesa::unpadded_candidates(&lost).contains(&k));
        }
    }

    #[test]
    fn date_parsing_never_panics(s in "\\PC{0,40}") {
        let _ = parse_date(&s);
    }

    #[test]
    fn every_date_form_reads_back(d in date()) {
        let long = format!("{} {} {}", d.day(), BULAN[d.month0() as usize], d.year());
        let forms = [
            d.format("%Y-%m-%d").to_string(),
            d.format("%d/%m/%Y").to_string(),
            d.format("%d-%m-%Y").to_string(),
            d.format("%-d/%-m/%Y").to_string(),
            d.format("%d %B %Y").to_string(),
            long.clone(),
            format!("{}, {long}", HARI[d.weekday().num_days_from_monday() as usize]),
            long.to_uppercase(),
        ];
        for f in forms {
            prop_assert_eq!(parse_date(&f), Ok(d), "{}", f);
        }
    }

    #[test]
    fn name_normalisation_is_idempotent_and_ignores_case_and_prefixes(name in "[A-Za-z][A-Za-z ]{0,20}") {
        for level in [Level::Desa, Level::Kecamatan, Level::Kabupaten] {
            let once = normalise(&name, level);
            prop_assert_eq!(normalise(&once, level), once.clone());
            prop_assert_eq!(normalise(&name.to_uppercase(), level), once.clone());
            prop_assert_eq!(normalise(&format!("  {name}  "), level), once.clone());
        }
        let base = normalise(&name, Level::Desa);
        if !base.is_empty() && !["desa", "ds", "kel", "kelurahan", "kalurahan", "gampong", "nagari"].contains(&base.split(' ').next().unwrap()) {
            prop_assert_eq!(normalise(&format!("Desa {name}"), Level::Desa), base.clone());
            prop_assert_eq!(normalise(&format!("Ds. {name}"), Level::Desa), base.clone());
            prop_assert_eq!(normalise(&format!("KEL. {name}"), Level::Desa), base);
        }
    }

    #[test]
    fn counts_read_back_and_never_panic(n in 0u64..10_000_000, s in "\\PC{0,20}") {
        let _ = parse_count(&s);
        prop_assert_eq!(parse_count(&n.to_string()), Ok(n as f64));
        prop_assert_eq!(parse_count(&format!("{n}.0")), Ok(n as f64));
    }
}
