//! How much of a village is already covered by the programme, 0–1:
//!
//! ```text
//! coverage = min(1, c_binaan · decay(designation) + Σ_events c_event · 0.5^(age / h_event))
//! decay(designation) = 1 when its half-life is 0 (never fades), else 0.5^(age / h_binaan)
//! coverage_gap = risk · (1 − coverage)
//! ```
//!
//! Defaults (job file `[coverage]`): c_binaan = 0.6, c_event = 0.15, h_event = 12 months.

use crate::village_table::VillageTable;
use rawan_core::{Inputs, Job, KodeDesa};
use rustc_hash::FxHashMap;

/// Coverage per village, in village order.
pub fn coverage(inputs: &Inputs, table: &VillageTable, job: &Job) -> Vec<f64> {
    let c = &job.coverage;
    let index: FxHashMap<KodeDesa, usize> = inputs
        .villages
        .iter()
        .enumerate()
        .map(|(i, v)| (v.kode_desa, i))
        .collect();
    let mut cov: Vec<f64> = table
        .rows
        .iter()
        .map(|r| match r.designated_on {
            Some(d) if r.desa_binaan => {
                let decay = if c.desa_binaan_half_life_months > 0.0 {
                    0.5f64.powf(job.age_months(d) / c.desa_binaan_half_life_months)
                } else {
                    1.0
                };
                c.desa_binaan * decay
            }
            _ => 0.0,
        })
        .collect();
    for e in &inputs.outreach {
        if let Some(&i) = index.get(&e.kode_desa) {
            cov[i] += c.per_event * 0.5f64.powf(job.age_months(e.date) / c.event_half_life_months);
        }
    }
    cov.iter_mut().for_each(|v| *v = v.min(1.0));
    cov
}

/// Risk not yet covered: `risk · (1 − coverage)`; `None` where risk is unknown.
pub fn coverage_gap(risk: &[Option<f64>], coverage: &[f64]) -> Vec<Option<f64>> {
    risk.iter()
        .zip(coverage)
        .map(|(r, c)| r.map(|r| r * (1.0 - c)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use rawan_core::{DesaBinaan, OutreachEvent, Village};

    #[test]
    fn hand_computed_coverage() {
        let job = rawan_core::Job::from_toml_str(
            "as_of = \"2025-12-31\"\n[inputs]\nvillages=\"v\"\ndepartures=\"d\"\ndesa_binaan=\"b\"\noutreach=\"o\"\ncases=\"c\"\n",
        )
        .unwrap();
        let k0 = KodeDesa::parse("36.01.01.2001").unwrap();
        let k1 = KodeDesa::parse("36.01.01.2002").unwrap();
        let v = |k| Village {
            kode_desa: k,
            desa: "x".into(),
            kecamatan: "y".into(),
            kabupaten: "z".into(),
            provinsi: None,
            population: Some(1000.0),
            geometry: geo_types::MultiPolygon::new(vec![]),
        };
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let inputs = Inputs {
            villages: vec![v(k0), v(k1)],
            desa_binaan: vec![DesaBinaan {
                kode_desa: k0,
                designated_on: d("2020-01-01"),
                programme: None,
                office: None,
            }],
            // One event exactly 365.25 days (12 months of 30.4375 days) before as_of: weight 0.5.
            outreach: vec![OutreachEvent {
                kode_desa: k1,
                date: d("2024-12-31"),
                activity: "sosialisasi".into(),
                participants: None,
            }],
            ..Default::default()
        };
        let table = crate::village_table::join(&inputs, &job);
        let c = coverage(&inputs, &table, &job);
        assert!((c[0] - 0.6).abs() < 1e-12);
        let age = 365.0 / 30.4375;
        assert!((c[1] - 0.15 * 0.5f64.powf(age / 12.0)).abs() < 1e-12);
        assert_eq!(coverage_gap(&[Some(8.0), None], &c)[0], Some(8.0 * 0.4));
    }
}
