//! The published tables as typed columns. Each table's columns and values are defined once
//! ([`villages_ranked`], [`summaries`], [`recommendations`], [`top_contributions`]) and written
//! three ways: CSV text ([`Table::csv`], the data contract's format: numbers at fixed
//! decimals, a small count as `(s)`), Parquet ([`crate::parquet`]: real types, a small count
//! as null) and the officials' workbook ([`crate::workbook`]).
//!
//! Not for the statistics: values arrive computed and suppressed ([`Suppressed`]); each
//! format rounds a number to its column's decimals as it writes it.

use crate::privacy::Suppressed;
use crate::tables::SUPPRESSED;
use crate::{Publication, VillageResult};
use std::collections::BTreeMap;

/// One column's values, typed.
#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    /// Text; `None` is an empty cell (null in Parquet).
    Text(Vec<Option<String>>),
    Int(Vec<Option<i64>>),
    /// Numbers, published at `decimals` (rounded by each format as it writes them).
    Num {
        values: Vec<Option<f64>>,
        decimals: usize,
    },
    Bool(Vec<bool>),
    /// Calendar dates (ISO 8601 text in CSV, a date in Parquet and the workbook).
    Date(Vec<Option<chrono::NaiveDate>>),
    /// Village counts after suppression: `None` is a small cell, `(s)` in CSV and the
    /// workbook, null in Parquet.
    Count(Vec<Option<u64>>),
}

impl Values {
    pub fn len(&self) -> usize {
        match self {
            Values::Text(v) => v.len(),
            Values::Int(v) => v.len(),
            Values::Num { values, .. } => values.len(),
            Values::Bool(v) => v.len(),
            Values::Date(v) => v.len(),
            Values::Count(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Appends row `r`'s cell as CSV text (as the csv crate writes it).
    fn push_csv(&self, out: &mut String, r: usize) {
        match self {
            Values::Text(v) => {
                if let Some(s) = &v[r] {
                    push_text(out, s);
                }
            }
            Values::Int(v) => {
                if let Some(i) = v[r] {
                    out.push_str(itoa::Buffer::new().format(i));
                }
            }
            Values::Num { values, decimals } => push_num(out, values[r], *decimals),
            Values::Bool(v) => out.push_str(if v[r] { "true" } else { "false" }),
            Values::Date(v) => {
                if let Some(d) = v[r] {
                    use std::fmt::Write as _;
                    let _ = write!(out, "{d}");
                }
            }
            Values::Count(v) => match v[r] {
                Some(n) => out.push_str(itoa::Buffer::new().format(n)),
                None => out.push_str(SUPPRESSED),
            },
        }
    }
}

/// A named column.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// The column's fixed name (the data contract's; the workbook shows a label beside it).
    pub key: String,
    pub values: Values,
}

/// A published table: its base name (`villages_ranked` for `villages_ranked.csv`) and
/// columns of equal length.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub name: &'static str,
    pub columns: Vec<Column>,
}

impl Table {
    fn new(name: &'static str) -> Table {
        Table {
            name,
            columns: Vec::new(),
        }
    }

    pub fn rows(&self) -> usize {
        self.columns.first().map_or(0, |c| c.values.len())
    }

    /// The values of the column named `key`, if the table has it.
    pub fn values(&self, key: &str) -> Option<&Values> {
        self.columns
            .iter()
            .find(|c| c.key == key)
            .map(|c| &c.values)
    }

    fn push(&mut self, key: impl Into<String>, values: Values) -> &mut Self {
        debug_assert!(self.columns.is_empty() || values.len() == self.rows());
        self.columns.push(Column {
            key: key.into(),
            values,
        });
        self
    }

    fn text(
        &mut self,
        key: impl Into<String>,
        v: impl Iterator<Item = Option<String>>,
    ) -> &mut Self {
        self.push(key, Values::Text(v.collect()))
    }

    fn int(&mut self, key: impl Into<String>, v: impl Iterator<Item = Option<i64>>) -> &mut Self {
        self.push(key, Values::Int(v.collect()))
    }

    fn num(
        &mut self,
        key: impl Into<String>,
        decimals: usize,
        v: impl Iterator<Item = Option<f64>>,
    ) -> &mut Self {
        let values = v.collect();
        self.push(key, Values::Num { values, decimals })
    }

    fn bool(&mut self, key: impl Into<String>, v: impl Iterator<Item = bool>) -> &mut Self {
        self.push(key, Values::Bool(v.collect()))
    }

    fn date(
        &mut self,
        key: impl Into<String>,
        v: impl Iterator<Item = Option<chrono::NaiveDate>>,
    ) -> &mut Self {
        self.push(key, Values::Date(v.collect()))
    }

    fn count(&mut self, key: impl Into<String>, v: impl Iterator<Item = Option<u64>>) -> &mut Self {
        self.push(key, Values::Count(v.collect()))
    }

    /// The table as CSV text: a header of the column names, then one line per row. Rows are
    /// formatted in parallel, a block at a time.
    pub fn csv(&self) -> Vec<String> {
        use rayon::prelude::*;
        let mut header = String::new();
        for (k, c) in self.columns.iter().enumerate() {
            if k > 0 {
                header.push(',');
            }
            push_text(&mut header, &c.key);
        }
        header.push('\n');
        let rows: Vec<usize> = (0..self.rows()).collect();
        let mut blocks = vec![header];
        blocks.par_extend(rows.par_chunks(4096).map(|block| {
            let mut out = String::with_capacity(block.len() * 24 * self.columns.len());
            for &r in block {
                for (k, c) in self.columns.iter().enumerate() {
                    if k > 0 {
                        out.push(',');
                    }
                    c.values.push_csv(&mut out, r);
                }
                out.push('\n');
            }
            out
        }));
        blocks
    }
}

/// Appends a text cell as the csv crate writes it: quoted (quotes doubled) when it holds a
/// separator, a quote or a line break, as is otherwise.
pub(crate) fn push_text(out: &mut String, s: &str) {
    if s.bytes().any(|b| matches!(b, b',' | b'"' | b'\r' | b'\n')) {
        out.push('"');
        out.push_str(&s.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(s);
    }
}

/// Appends a number cell with `d` decimals (nothing for `None` or non-finite; never "-0").
pub(crate) fn push_num(out: &mut String, x: Option<f64>, d: usize) {
    let Some(v) = x.filter(|v| v.is_finite()) else {
        return;
    };
    let start = out.len();
    crate::decimal::push_fixed(out, v, d);
    if out[start..].starts_with('-') && out[start + 1..].bytes().all(|c| c == b'0' || c == b'.') {
        out.remove(start);
    }
}

/// Villages in rank order (1 = highest risk).
pub fn rank_order(villages: &[VillageResult]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..villages.len()).collect();
    order.sort_by_key(|&i| villages[i].risk_rank);
    order
}

/// `villages_ranked`: every village in rank order.
pub fn villages_ranked(p: &Publication, sup: &Suppressed, order: &[usize]) -> Table {
    let v = |i: usize| &p.villages[i];
    let rows = || order.iter().copied();
    let mut t = Table::new("villages_ranked");
    t.int("risk_rank", rows().map(|i| Some(v(i).risk_rank as i64)))
        .text("kode_desa", rows().map(|i| Some(v(i).kode_desa.clone())))
        .text("desa", rows().map(|i| Some(v(i).desa.clone())))
        .text("kecamatan", rows().map(|i| Some(v(i).kecamatan.clone())))
        .text("kabupaten", rows().map(|i| Some(v(i).kabupaten.clone())))
        .num("population", 0, rows().map(|i| v(i).population))
        .num("risk_score", 3, rows().map(|i| v(i).risk_score))
        .int("rank_p05", rows().map(|i| Some(v(i).rank_p05 as i64)))
        .int("rank_p95", rows().map(|i| Some(v(i).rank_p95 as i64)))
        .num("p_top_n", 3, rows().map(|i| Some(v(i).p_top_n)))
        .num("risk_trend", 3, rows().map(|i| v(i).risk_trend))
        .num("exposure", 3, rows().map(|i| v(i).dimensions[0]))
        .num("hazard", 3, rows().map(|i| v(i).dimensions[1]));
    for d in crate::layers::dims_beyond_builtin(p.indicators) {
        t.num(d.key(), 3, rows().map(|i| v(i).dimensions[d.index()]));
    }
    for (k, ind) in p.indicators.defs.iter().enumerate() {
        t.num(
            ind.key.as_str(),
            ind.decimals,
            rows().map(|i| v(i).indicators[k]),
        );
    }
    t.num("gi_z", 3, rows().map(|i| v(i).gi_z))
        .num("gi_p", 4, rows().map(|i| v(i).gi_p))
        .text(
            "gi_class",
            rows().map(|i| Some(v(i).gi_class.as_str().to_string())),
        )
        .text(
            "lisa_cluster",
            rows().map(|i| Some(v(i).lisa_cluster.as_str().to_string())),
        )
        .num("lisa_p", 4, rows().map(|i| v(i).lisa_p))
        .num("coverage", 3, rows().map(|i| Some(v(i).coverage)))
        .num("coverage_gap", 3, rows().map(|i| v(i).coverage_gap))
        .bool("desa_binaan", rows().map(|i| v(i).desa_binaan))
        .int(
            "recommended_rank",
            rows().map(|i| v(i).recommended_rank.map(i64::from)),
        )
        .num("departures", 0, rows().map(|i| Some(v(i).departures)))
        .count("cases", rows().map(|i| sup.cases.village[i].value()))
        .count("victims", rows().map(|i| sup.victims.village[i].value()))
        .text(
            "missing_indicators",
            rows().map(|i| Some(v(i).missing.join(","))),
        )
        .num("reliability", 3, rows().map(|i| Some(v(i).reliability)))
        .int(
            "data_age_years",
            rows().map(|i| Some(v(i).data_age_years as i64)),
        );
    t
}

#[derive(Default)]
struct Area {
    villages: u32,
    population: f64,
    risk_sum: f64,
    risk_n: u32,
    risk_max: f64,
    high_risk: u32,
    desa_binaan: u32,
    hot_spots: u32,
    recommended: u32,
    departures: f64,
    gap_sum: f64,
}

/// `kecamatan_summary` and `kabupaten_summary`: per area, in name order, with case and
/// victim totals as intervals ([`Suppressed`]).
pub fn summaries(p: &Publication, sup: &Suppressed) -> (Table, Table) {
    // Keyed by the villages' own names (no copy per village), in name order.
    let mut kec: BTreeMap<(&str, &str), Area> = BTreeMap::new();
    let mut kab: BTreeMap<&str, Area> = BTreeMap::new();
    for v in p.villages {
        for a in [
            kec.entry((v.kabupaten.as_str(), v.kecamatan.as_str()))
                .or_default(),
            kab.entry(v.kabupaten.as_str()).or_default(),
        ] {
            a.villages += 1;
            a.population += v.population.unwrap_or(0.0);
            if let Some(r) = v.risk_score {
                a.risk_sum += r;
                a.risk_n += 1;
                a.risk_max = a.risk_max.max(r);
                a.high_risk += u32::from(r >= 6.0);
            }
            a.desa_binaan += u32::from(v.desa_binaan);
            a.hot_spots += u32::from(v.gi_class.is_hot());
            a.recommended += u32::from(v.recommended_rank.is_some());
            a.departures += v.departures;
            a.gap_sum += v.coverage_gap.unwrap_or(0.0);
        }
    }
    // The statistics and the four interval bounds of each area, after its name columns.
    let stats = |t: &mut Table, areas: &[&Area], bounds: &[[u64; 4]]| {
        let a = || areas.iter();
        let int = |f: fn(&Area) -> u32| a().map(move |x| Some(f(x) as i64));
        t.int("villages", int(|x| x.villages))
            .num("population", 0, a().map(|x| Some(x.population)))
            .num(
                "risk_mean",
                3,
                a().map(|x| (x.risk_n > 0).then(|| x.risk_sum / x.risk_n as f64)),
            )
            .num("risk_max", 3, a().map(|x| Some(x.risk_max)))
            .int("villages_risk_6_plus", int(|x| x.high_risk))
            .int("desa_binaan", int(|x| x.desa_binaan))
            .int("hot_spot_villages", int(|x| x.hot_spots))
            .int("recommended", int(|x| x.recommended))
            .num("departures", 0, a().map(|x| Some(x.departures)))
            .num("coverage_gap_sum", 2, a().map(|x| Some(x.gap_sum)));
        for (k, key) in ["cases_min", "cases_max", "victims_min", "victims_max"]
            .into_iter()
            .enumerate()
        {
            t.int(key, bounds.iter().map(|b| Some(b[k] as i64)));
        }
    };
    let mut kecamatan = Table::new("kecamatan_summary");
    kecamatan
        .text("kabupaten", kec.keys().map(|k| Some(k.0.to_string())))
        .text("kecamatan", kec.keys().map(|k| Some(k.1.to_string())));
    let bounds: Vec<[u64; 4]> = kec
        .keys()
        .map(|&(kb, kc)| {
            let key = (kb.to_string(), kc.to_string());
            let (c, v) = (sup.cases.kecamatan[&key], sup.victims.kecamatan[&key]);
            [c.lo, c.hi, v.lo, v.hi]
        })
        .collect();
    stats(&mut kecamatan, &kec.values().collect::<Vec<_>>(), &bounds);
    let mut kabupaten = Table::new("kabupaten_summary");
    kabupaten.text("kabupaten", kab.keys().map(|k| Some(k.to_string())));
    let bounds: Vec<[u64; 4]> = kab
        .keys()
        .map(|&k| {
            let (c, v) = (sup.cases.kabupaten[k], sup.victims.kabupaten[k]);
            [c.lo, c.hi, v.lo, v.hi]
        })
        .collect();
    stats(&mut kabupaten, &kab.values().collect::<Vec<_>>(), &bounds);
    (kecamatan, kabupaten)
}

/// `recommendations`: the recommended villages in recommendation order.
pub fn recommendations(p: &Publication) -> Table {
    let order = crate::layers::recommended_order(p.villages);
    let v = |i: usize| &p.villages[i];
    let rows = || order.iter().copied();
    let mut t = Table::new("recommendations");
    t.int(
        "recommended_rank",
        rows().map(|i| v(i).recommended_rank.map(i64::from)),
    )
    .text("kode_desa", rows().map(|i| Some(v(i).kode_desa.clone())))
    .text("desa", rows().map(|i| Some(v(i).desa.clone())))
    .text("kecamatan", rows().map(|i| Some(v(i).kecamatan.clone())))
    .text("kabupaten", rows().map(|i| Some(v(i).kabupaten.clone())))
    .text("office", rows().map(|i| v(i).office.clone()))
    .num("distance_km", 1, rows().map(|i| v(i).distance_km))
    .num("risk_score", 3, rows().map(|i| v(i).risk_score))
    .int("risk_rank", rows().map(|i| Some(v(i).risk_rank as i64)))
    .num("coverage", 3, rows().map(|i| Some(v(i).coverage)))
    .num("coverage_gap", 3, rows().map(|i| v(i).coverage_gap))
    .text(
        "gi_class",
        rows().map(|i| Some(v(i).gi_class.as_str().to_string())),
    )
    .text(
        "lisa_cluster",
        rows().map(|i| Some(v(i).lisa_cluster.as_str().to_string())),
    )
    .text("reason", rows().map(|i| v(i).reason.clone()));
    t
}

/// `top_contributions`: the `output.top_n` highest-risk villages with each indicator's
/// contribution to their score.
pub fn top_contributions(p: &Publication, order: &[usize]) -> Table {
    let top = &order[..order.len().min(p.job.output.top_n)];
    let v = |i: usize| &p.villages[i];
    let rows = || top.iter().copied();
    let mut t = Table::new("top_contributions");
    t.int("risk_rank", rows().map(|i| Some(v(i).risk_rank as i64)))
        .text("kode_desa", rows().map(|i| Some(v(i).kode_desa.clone())))
        .text("desa", rows().map(|i| Some(v(i).desa.clone())))
        .text("kabupaten", rows().map(|i| Some(v(i).kabupaten.clone())))
        .num("risk_score", 3, rows().map(|i| v(i).risk_score));
    for (k, ind) in p.indicators.defs.iter().enumerate() {
        t.num(
            ind.contribution_key.as_str(),
            3,
            rows().map(|i| v(i).contributions[k]),
        );
    }
    t
}

/// `risk_history`: each village's risk score at each of the run's dates (the earlier dates
/// of `[history]`, then `as_of`), one row per village and date, oldest date first.
pub fn risk_history(p: &Publication) -> Table {
    let h = p.history;
    let rows = || {
        p.villages.iter().enumerate().flat_map(move |(i, v)| {
            h.dates
                .iter()
                .zip(&h.scores)
                .map(move |(d, s)| (i, v, *d, s))
        })
    };
    let mut t = Table::new("risk_history");
    t.text(
        "kode_desa",
        rows().map(|(_, v, _, _)| Some(v.kode_desa.clone())),
    )
    .date("as_of", rows().map(|(_, _, d, _)| Some(d)))
    .num(
        "risk_score",
        3,
        rows().map(|(i, _, _, s)| s.get(i).copied().flatten()),
    );
    t
}

/// `programme_effect`: one row per outcome, the average effect after designation; an
/// outcome that cannot be estimated has a row saying why in `note`.
pub fn programme_effect(p: &Publication) -> Table {
    use rawan_core::programme::METHOD;
    let o = &p.programme.outcomes;
    let ok = |f: fn(&rawan_core::programme::EffectEstimate) -> f64| {
        o.iter().map(move |x| x.result.as_ref().ok().map(f))
    };
    let mut t = Table::new("programme_effect");
    t.text("outcome", o.iter().map(|x| Some(x.outcome.to_string())))
        .num("estimate", 4, ok(|e| e.estimate))
        .num("ci_low", 4, ok(|e| e.ci_low))
        .num("ci_high", 4, ok(|e| e.ci_high))
        .int(
            "treated_villages",
            o.iter()
                .map(|x| x.result.as_ref().ok().map(|e| e.treated_villages as i64)),
        )
        .int(
            "control_villages",
            o.iter()
                .map(|x| x.result.as_ref().ok().map(|e| e.control_villages as i64)),
        )
        .text("method", o.iter().map(|_| Some(METHOD.to_string())))
        .num("standard_error", 4, ok(|e| e.se))
        .text(
            "note",
            o.iter().map(|x| {
                x.result
                    .as_ref()
                    .err()
                    .map(|why| format!("not estimable: {why}"))
            }),
        );
    t
}

/// `programme_event_study`: per outcome and month since designation, the estimate (the
/// months before designation are the check of parallel trends).
pub fn programme_event_study(p: &Publication) -> Table {
    let rows = || {
        p.programme.outcomes.iter().flat_map(|o| {
            o.result
                .iter()
                .flat_map(|r| &r.event_study)
                .map(move |e| (o.outcome.to_string(), e))
        })
    };
    let mut t = Table::new("programme_event_study");
    t.text("outcome", rows().map(|(o, _)| Some(o)))
        .int(
            "months_since_designation",
            rows().map(|(_, e)| Some(e.months)),
        )
        .num("estimate", 4, rows().map(|(_, e)| Some(e.estimate)))
        .num("ci_low", 4, rows().map(|(_, e)| Some(e.interval().0)))
        .num("ci_high", 4, rows().map(|(_, e)| Some(e.interval().1)))
        .num("standard_error", 4, rows().map(|(_, e)| Some(e.se)))
        .int(
            "treated_villages",
            rows().map(|(_, e)| Some(e.treated_villages as i64)),
        );
    t
}

/// `index_audit`: one row per indicator, then per dimension, with the flags an analyst
/// defends the index with (columns a row's level does not have are empty).
pub fn index_audit(p: &Publication) -> Table {
    use rawan_core::index_audit::{DimensionAudit, IndicatorAudit, LOW_ALPHA};
    use rawan_core::indicator::{Direction, IndicatorDef};
    let (a, defs) = (p.audit, &p.indicators.defs);
    let indicators = || defs.iter().zip(&a.indicators);
    let dims = || a.dimensions.iter();
    // A text column: its indicator rows, then its dimension rows.
    let text = |f: fn(&IndicatorDef, &IndicatorAudit) -> Option<String>,
                g: fn(&DimensionAudit) -> Option<String>| {
        indicators()
            .map(move |(d, ia)| f(d, ia))
            .chain(dims().map(g))
    };
    let flags = |ia: &IndicatorAudit| {
        let mut flags = Vec::new();
        if ia.negative_with_dimension {
            flags.push("negative_with_dimension".to_string());
        }
        if !ia.overlaps.is_empty() {
            let with: Vec<&str> = ia.overlaps.iter().map(|&o| defs[o].key.as_str()).collect();
            flags.push(format!("overlaps:{}", with.join("+")));
        }
        Some(flags.join(" "))
    };
    let mut t = Table::new("index_audit");
    t.text(
        "level",
        text(
            |_, _| Some("indicator".into()),
            |_| Some("dimension".into()),
        ),
    )
    .text(
        "name",
        text(
            |d, _| Some(d.key.clone()),
            |da| Some(da.dimension.key().into()),
        ),
    )
    .text(
        "dimension",
        text(
            |d, _| Some(d.dimension.key().into()),
            |da| Some(da.dimension.key().into()),
        ),
    )
    .text(
        "direction",
        text(
            |d, _| {
                Some(
                    match d.direction {
                        Direction::HigherIsRiskier => "higher_is_riskier",
                        Direction::LowerIsRiskier => "lower_is_riskier",
                    }
                    .into(),
                )
            },
            |_| None,
        ),
    )
    .num(
        "weight",
        3,
        indicators()
            .map(|(d, _)| Some(d.weight))
            .chain(dims().map(|da| Some(p.job.model.dimension_weights.of(da.dimension)))),
    )
    .int(
        "villages",
        indicators()
            .map(|(_, ia)| Some(ia.villages as i64))
            .chain(dims().map(|da| Some(da.villages as i64))),
    )
    .num(
        "r_with_dimension",
        3,
        indicators()
            .map(|(_, ia)| ia.r_dimension)
            .chain(dims().map(|_| None)),
    )
    .num(
        "r_with_index",
        3,
        indicators()
            .map(|(_, ia)| ia.r_index)
            .chain(dims().map(|da| da.r_index)),
    )
    .text(
        "closest",
        indicators()
            .map(|(_, ia)| ia.closest.map(|(o, _)| defs[o].key.clone()))
            .chain(dims().map(|_| None)),
    )
    .num(
        "r_closest",
        3,
        indicators()
            .map(|(_, ia)| ia.closest.map(|c| c.1))
            .chain(dims().map(|_| None)),
    )
    .num(
        "cronbach_alpha",
        3,
        indicators().map(|_| None).chain(dims().map(|da| da.alpha)),
    )
    .int(
        "alpha_villages",
        indicators()
            .map(|_| None)
            .chain(dims().map(|da| (da.alpha_villages > 0).then_some(da.alpha_villages as i64))),
    )
    .text(
        "flags",
        indicators()
            .map(|(_, ia)| flags(ia))
            .chain(dims().map(|da| {
                Some(
                    if da.alpha.is_some_and(|x| x < LOW_ALPHA) {
                        "low_alpha"
                    } else {
                        ""
                    }
                    .into(),
                )
            })),
    );
    t
}

/// `index_correlations`: the audit's correlation matrix, one row and one column per name
/// ([`crate::tables::audit_names`]).
pub fn index_correlations(p: &Publication) -> Table {
    let names = crate::tables::audit_names(p);
    let mut t = Table::new("index_correlations");
    t.text("name", names.iter().map(|n| Some(n.clone())));
    for (k, n) in names.iter().enumerate() {
        t.num(n.clone(), 3, p.audit.matrix.iter().map(|row| row[k]));
    }
    t
}

/// The tables written as CSV and Parquet only (not in the workbook): risk over time, the
/// programme's effect and the index audit.
pub fn monitoring(p: &Publication) -> Vec<Table> {
    vec![
        risk_history(p),
        programme_effect(p),
        programme_event_study(p),
        index_audit(p),
        index_correlations(p),
    ]
}

/// The published tables every format carries, in the workbook's order.
pub fn all(p: &Publication, sup: &Suppressed) -> Vec<Table> {
    let order = rank_order(p.villages);
    let (kecamatan, kabupaten) = summaries(p, sup);
    vec![
        recommendations(p),
        villages_ranked(p, sup, &order),
        kecamatan,
        kabupaten,
        top_contributions(p, &order),
    ]
}
