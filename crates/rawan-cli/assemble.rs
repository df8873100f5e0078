//! A village's result, assembled from what each stage computed for it: the inputs' names and
//! figures, the model's indicators and score, the local statistics, the rank interval, and
//! the recommendation with its reason. Also the offices' and kabupaten's results the outputs
//! show. No analytics happen here: only gathering by village index.

use rawan_core::GiClass;
use rawan_core::settings::Lang;
use rawan_core::{Inputs, Job};
use rawan_model::Scored;
use rawan_model::uncertainty::RankUncertainty;
use rawan_publish::{KabupatenSeries, OfficeResult, VillageResult};
use rawan_spatial::local::LocalStats;
use rawan_spatial::{NeighbourSource, Weights};
use rawan_target::reason::{ReasonFacts, reason};
use rawan_target::{TargetOffice, Targeting};
use rayon::prelude::*;
use std::collections::BTreeMap;

/// Everything the stages computed, by village index.
pub struct StageResults<'a> {
    pub inputs: &'a Inputs,
    pub job: &'a Job,
    pub weights: &'a Weights,
    pub scored: &'a Scored,
    pub local: &'a LocalStats,
    /// Local statistics of the extra variables (`spatial.extra_variables`), by name.
    pub extra: &'a [(String, LocalStats)],
    pub uncertainty: &'a RankUncertainty,
    /// The model at earlier dates (`risk_trend`).
    pub history: &'a rawan_core::history::RiskHistory,
    /// Centroids (lon, lat).
    pub points: &'a [(f64, f64)],
    pub offices: &'a [TargetOffice],
    pub targeting: &'a Targeting,
    pub lang: Lang,
}

/// One result per village, in input order.
pub fn villages(s: &StageResults) -> Vec<VillageResult> {
    let (inputs, job, w) = (s.inputs, s.job, s.weights);
    let (table, ind, comp) = (&s.scored.table, &s.scored.indicators, &s.scored.composite);
    let set = &s.scored.set;
    // The oldest figures a village's score used: an analyst's table is as of its `year`.
    let data_age = |i: usize| -> u32 {
        use chrono::Datelike;
        set.defs
            .iter()
            .enumerate()
            .filter(|(k, _)| !comp.missing[i].contains(k))
            .filter_map(|(_, d)| match &d.source {
                rawan_core::indicator::Source::File { year: Some(y), .. } => Some(*y),
                _ => None,
            })
            .map(|y| (job.as_of.year() - y).max(0) as u32)
            .max()
            .unwrap_or(0)
    };
    let months_since =
        |d: Option<chrono::NaiveDate>| d.map(|d| job.age_months(d).floor().max(0.0) as u32);
    let mut villages: Vec<VillageResult> = (0..inputs.villages.len())
        .into_par_iter()
        .map(|i| {
            let v = &inputs.villages[i];
            let r = &table.rows[i];
            VillageResult {
                kode_desa: v.kode_desa.to_string(),
                desa: v.desa.clone(),
                kecamatan: v.kecamatan.clone(),
                kabupaten: v.kabupaten.clone(),
                provinsi: v.provinsi.clone(),
                population: v.population,
                point: s.points[i],
                departures: r.departures,
                departures_nonprocedural: r.departures_nonprocedural,
                cases: r.cases(),
                victims: r.victims(),
                outreach_events: r.outreach_events,
                last_outreach: r.last_outreach,
                months_since_outreach: months_since(r.last_outreach),
                desa_binaan: r.desa_binaan,
                designated_on: r.designated_on,
                indicators: ind.values.iter().map(|column| column[i]).collect(),
                scores: comp.scores.iter().map(|column| column[i]).collect(),
                contributions: comp.contributions.iter().map(|column| column[i]).collect(),
                dimensions: std::array::from_fn(|d| comp.dimensions[d][i]),
                reliability: 1.0 - comp.missing[i].len() as f64 / set.len() as f64,
                data_age_years: data_age(i),
                risk_score: comp.risk[i],
                risk_rank: s.scored.risk_rank[i],
                rank_p05: s.uncertainty.rank_p05[i],
                rank_p95: s.uncertainty.rank_p95[i],
                p_top_n: s.uncertainty.p_top_n[i],
                risk_trend: s.history.trend.get(i).copied().flatten(),
                gi_z: s.local.gi_z[i],
                gi_p: s.local.gi_p[i],
                gi_class: GiClass::from_z_p(s.local.gi_z[i], s.local.gi_p[i]),
                lisa_i: s.local.lisa_i[i],
                lisa_z: s.local.lisa_z[i],
                lisa_p: s.local.lisa_p[i],
                lisa_cluster: s.local.lisa_cluster[i],
                coverage: s.scored.coverage[i],
                coverage_gap: s.scored.gap[i],
                neighbours: w.cardinality(i),
                neighbour_source: match w.source[i] {
                    NeighbourSource::Contiguity => "contiguity",
                    NeighbourSource::Nearest => "nearest",
                    NeighbourSource::None => "none",
                },
                missing: comp.missing[i]
                    .iter()
                    .map(|&k| set.defs[k].key.clone())
                    .collect(),
                ..Default::default()
            }
        })
        .collect();
    for rec in &s.targeting.recommendations {
        let v = &mut villages[rec.village];
        v.recommended_rank = Some(rec.rank);
        v.office = rec.office.map(|k| s.offices[k].name.clone());
        v.distance_km = rec.distance_km;
        let mut contrib: Vec<(usize, f64)> = v
            .contributions
            .iter()
            .enumerate()
            .filter_map(|(k, c)| c.map(|c| (k, c)))
            .collect();
        contrib.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let facts = ReasonFacts {
            top_indicators: contrib
                .iter()
                .take(2)
                .filter(|(_, c)| *c > 0.0)
                .map(|(k, _)| set.defs[*k].reason(s.lang).to_string())
                .collect(),
            lisa_cluster: v.lisa_cluster.is_high().then_some(v.lisa_cluster),
            hot_spot: v.gi_class.is_confident_hot(),
            months_since_outreach: v.months_since_outreach,
            window_months: job.window_months,
            overdue_months: job.targeting.outreach_overdue_months,
        };
        v.reason = Some(reason(&facts, s.lang));
    }
    for (var, stats) in s.extra {
        for (i, v) in villages.iter_mut().enumerate() {
            v.extra.push((
                format!("gi_z_{var}"),
                rawan_publish::layers::num(stats.gi_z[i], 3),
            ));
            v.extra.push((
                format!("gi_p_{var}"),
                rawan_publish::layers::num(stats.gi_p[i], 4),
            ));
            v.extra.push((
                format!("lisa_{var}"),
                serde_json::json!(stats.lisa_cluster[i].as_str()),
            ));
        }
    }
    villages
}

/// Each office with the number of villages recommended to it.
pub fn offices(s: &StageResults) -> Vec<OfficeResult> {
    let mut counts = vec![0u32; s.offices.len()];
    for k in s.targeting.recommendations.iter().filter_map(|r| r.office) {
        counts[k] += 1;
    }
    s.inputs
        .offices
        .iter()
        .zip(&counts)
        .map(|(o, &c)| OfficeResult {
            office: o.office.clone(),
            lon: o.lon,
            lat: o.lat,
            capacity: o.capacity,
            radius_km: o.radius_km,
            recommended: c,
        })
        .collect()
}

/// Monthly departures and victims per kabupaten, in name order.
pub fn kabupaten_series(s: &StageResults) -> Vec<KabupatenSeries> {
    let table = &s.scored.table;
    let m = table.months.len();
    let mut series: BTreeMap<String, KabupatenSeries> = BTreeMap::new();
    for (i, v) in s.inputs.villages.iter().enumerate() {
        let k = series
            .entry(v.kabupaten.clone())
            .or_insert_with(|| KabupatenSeries {
                kabupaten: v.kabupaten.clone(),
                departures: vec![0.0; m],
                victims: vec![0.0; m],
            });
        for (j, x) in table.departures_series(i).iter().enumerate() {
            k.departures[j] += *x as f64;
        }
        for (j, x) in table.victims_series(i).iter().enumerate() {
            k.victims[j] += *x as f64;
        }
    }
    series.into_values().collect()
}
