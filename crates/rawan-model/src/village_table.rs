//! One row per village joining every input over the job's window: departures (total,
//! non-procedural, per month), cases and victims by crime (and recency-weighted victims),
//! outreach events and participants, desa binaan status and date, population.

use chrono::{Datelike, NaiveDate};
use rawan_core::{Channel, Crime, Inputs, Job, KodeDesa};
use rustc_hash::FxHashMap;

/// Joined figures of one village.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VillageStats {
    pub population: Option<f64>,
    pub departures: f64,
    pub departures_nonprocedural: f64,
    /// Departures whose channel is known (the denominator of the non-procedural share).
    pub departures_channel_known: f64,
    pub cases_tppo: u32,
    pub cases_tppm: u32,
    pub victims_tppo: f64,
    pub victims_tppm: f64,
    /// Victims weighted by 0.5^(age / half-life): recent cases weigh more.
    pub victims_weighted: f64,
    pub outreach_events: u32,
    pub outreach_participants: f64,
    pub last_outreach: Option<NaiveDate>,
    pub desa_binaan: bool,
    pub designated_on: Option<NaiveDate>,
    pub binaan_office: Option<String>,
}

impl VillageStats {
    pub fn victims(&self) -> f64 {
        self.victims_tppo + self.victims_tppm
    }
    pub fn cases(&self) -> u32 {
        self.cases_tppo + self.cases_tppm
    }
}

/// The joined table, in the order of `inputs.villages`, with monthly series.
#[derive(Debug, Clone)]
pub struct VillageTable {
    pub rows: Vec<VillageStats>,
    /// First days of the window's months, oldest first.
    pub months: Vec<NaiveDate>,
    /// How much of each month the window holds (its days inside / its days): 1 but for a
    /// first and last month cut by an `as_of` that is not a month's last day.
    pub month_share: Vec<f64>,
    /// How much of each month lies in the trend's recent span and in its earlier span.
    pub trend_split: TrendSplit,
    /// Departures per village per month (`rows.len() × months.len()`, row-major).
    pub departures_monthly: Vec<f32>,
    /// Non-procedural departures per village per month (the programme effect's outcome).
    pub nonprocedural_monthly: Vec<f32>,
    /// Departures whose channel is known, per village per month (for the risk at earlier
    /// dates, [`VillageTable::at_earlier_date`]).
    pub channel_known_monthly: Vec<f32>,
    /// Victims per village per month.
    pub victims_monthly: Vec<f32>,
}

impl VillageTable {
    /// The table as a run at the earlier analysis date `earlier.as_of` would have joined it,
    /// from the monthly series: `earlier` has the same window start and a shorter window (its
    /// months are the first ones of this table's). Departures, their channels and the trend
    /// are summed from the months up to that date; victims are weighted for recency from
    /// each month's 15th day (the join weighs each case by its own date), as the protection
    /// of small counts weighs them. Of the monthly series only the departures' are kept (the
    /// indicators need no other). `None` when the earlier window's months are not the first
    /// months of this one.
    pub fn at_earlier_date(&self, earlier: &Job) -> Option<VillageTable> {
        let months = window_months(earlier);
        let c = months.len();
        if c == 0 || c > self.months.len() || months[..] != self.months[..c] {
            return None;
        }
        let m = self.months.len();
        let (month_share, trend_split) = month_shares(earlier, &months);
        let half_life = earlier.model.case_half_life_months;
        let recency: Vec<f64> = months
            .iter()
            .map(|month| {
                let mid = (*month + chrono::Days::new(14)).min(earlier.as_of);
                0.5f64.powf(earlier.age_months(mid).max(0.0) / half_life)
            })
            .collect();
        let series = |all: &[f32], i: usize| -> Vec<f32> { all[i * m..i * m + c].to_vec() };
        let total = |all: &[f32], i: usize| -> f64 {
            all[i * m..i * m + c]
                .iter()
                .zip(&month_share)
                .map(|(&v, &s)| f64::from(v) * s)
                .sum()
        };
        let rows = self
            .rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let victims: f64 = self.victims_monthly[i * m..i * m + c]
                    .iter()
                    .map(|&v| f64::from(v))
                    .sum();
                VillageStats {
                    population: r.population,
                    departures: total(&self.departures_monthly, i),
                    departures_nonprocedural: total(&self.nonprocedural_monthly, i),
                    departures_channel_known: total(&self.channel_known_monthly, i),
                    victims_tppo: victims,
                    victims_tppm: 0.0,
                    victims_weighted: self.victims_monthly[i * m..i * m + c]
                        .iter()
                        .zip(&recency)
                        .map(|(&v, &w)| f64::from(v) * w)
                        .sum(),
                    ..Default::default()
                }
            })
            .collect();
        let n = self.rows.len();
        Some(VillageTable {
            rows,
            months,
            month_share,
            trend_split,
            // The indicators read the departures' series (their trend) and the totals; the
            // other series are not carried.
            departures_monthly: (0..n)
                .flat_map(|i| series(&self.departures_monthly, i))
                .collect(),
            nonprocedural_monthly: Vec::new(),
            channel_known_monthly: Vec::new(),
            victims_monthly: Vec::new(),
        })
    }

    pub fn departures_series(&self, i: usize) -> &[f32] {
        let m = self.months.len();
        &self.departures_monthly[i * m..(i + 1) * m]
    }
    pub fn victims_series(&self, i: usize) -> &[f32] {
        let m = self.months.len();
        &self.victims_monthly[i * m..(i + 1) * m]
    }
}

/// The departure trend's two spans (docs/methodology.md): the recent span is the 12 months
/// to `as_of` (a window under 24 months: its later ⌊W/2⌋ months), the earlier span the rest.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendSplit {
    /// Share of each month in the recent span, and in the earlier span.
    pub recent: Vec<f64>,
    pub earlier: Vec<f64>,
    /// The spans' lengths in months.
    pub recent_months: f64,
    pub earlier_months: f64,
}

use rawan_core::settings::{month_end, months_before};

/// Share of `month` (its first day) whose days fall in [from, to].
fn share_of_month(month: NaiveDate, from: NaiveDate, to: NaiveDate) -> f64 {
    let end = month_end(month);
    let (lo, hi) = (month.max(from), end.min(to));
    if hi < lo {
        return 0.0;
    }
    ((hi - lo).num_days() + 1) as f64 / ((end - month).num_days() + 1) as f64
}

/// Each month's share of the window, and of the trend's two spans.
pub fn month_shares(job: &Job, months: &[NaiveDate]) -> (Vec<f64>, TrendSplit) {
    let (start, as_of) = (job.window_start(), job.as_of);
    let w = job.window_months;
    let recent_months = if w >= 24 { 12 } else { w / 2 };
    let cut = months_before(as_of, recent_months).expect("date in range");
    let share: Vec<f64> = months
        .iter()
        .map(|&m| share_of_month(m, start, as_of))
        .collect();
    let recent = months
        .iter()
        .map(|&m| share_of_month(m, cut.succ_opt().expect("a next day"), as_of))
        .collect();
    let earlier = months
        .iter()
        .map(|&m| share_of_month(m, start, cut))
        .collect();
    (
        share,
        TrendSplit {
            recent,
            earlier,
            recent_months: recent_months as f64,
            earlier_months: (w - recent_months) as f64,
        },
    )
}

/// Months of the window, first days, oldest first.
pub fn window_months(job: &Job) -> Vec<NaiveDate> {
    let start = job.window_start();
    let mut m = NaiveDate::from_ymd_opt(start.year(), start.month(), 1).expect("valid month");
    let mut out = Vec::new();
    while m <= job.as_of {
        out.push(m);
        m = m
            .checked_add_months(chrono::Months::new(1))
            .expect("month in range");
    }
    out
}

/// `len` zeros written now, not left to the allocator as untouched pages (`vec![0.0; len]`):
/// the join reads each cell before it writes it (`+=`), and reading an untouched page maps
/// the shared zero page, which the first write must then replace and flush from every core's
/// TLB — in a virtual machine an interrupt to each core, 0.13 s of a national run's join.
fn written_zeros(len: usize) -> Vec<f32> {
    let mut v = Vec::with_capacity(len);
    v.resize(len, 0.0);
    v
}

/// Joins the inputs per village. Readers have already rejected rows outside the window or
/// about unknown villages, so every record here is used.
pub fn join(inputs: &Inputs, job: &Job) -> VillageTable {
    let n = inputs.villages.len();
    let index: FxHashMap<KodeDesa, usize> = inputs
        .villages
        .iter()
        .enumerate()
        .map(|(i, v)| (v.kode_desa, i))
        .collect();
    let months = window_months(job);
    let (month_share, trend_split) = month_shares(job, &months);
    let m = months.len();
    let month_index = |d: NaiveDate| -> Option<usize> {
        let first = months[0];
        let k = (d.year() - first.year()) * 12 + d.month() as i32 - first.month() as i32;
        (0..m as i32).contains(&k).then_some(k as usize)
    };
    let mut rows: Vec<VillageStats> = inputs
        .villages
        .iter()
        .map(|v| VillageStats {
            population: v.population,
            ..Default::default()
        })
        .collect();
    let mut departures_monthly = written_zeros(n * m);
    let mut nonprocedural_monthly = written_zeros(n * m);
    let mut channel_known_monthly = written_zeros(n * m);
    let mut victims_monthly = written_zeros(n * m);
    for d in &inputs.departures {
        let Some(&i) = index.get(&d.kode_desa) else {
            continue;
        };
        let r = &mut rows[i];
        // A month partly inside the window counts in proportion to its days inside.
        let Some(k) = month_index(d.month) else {
            continue;
        };
        let count = d.count * month_share[k];
        r.departures += count;
        match d.channel {
            Some(Channel::Nonprocedural) => {
                r.departures_nonprocedural += count;
                r.departures_channel_known += count;
                nonprocedural_monthly[i * m + k] += d.count as f32;
                channel_known_monthly[i * m + k] += d.count as f32;
            }
            Some(Channel::Procedural) => {
                r.departures_channel_known += count;
                channel_known_monthly[i * m + k] += d.count as f32;
            }
            None => {}
        }
        departures_monthly[i * m + k] += d.count as f32;
    }
    let half_life = job.model.case_half_life_months;
    for c in &inputs.cases {
        let Some(&i) = index.get(&c.kode_desa) else {
            continue;
        };
        let r = &mut rows[i];
        match c.crime {
            Crime::Tppo => {
                r.cases_tppo += 1;
                r.victims_tppo += c.victims;
            }
            Crime::Tppm => {
                r.cases_tppm += 1;
                r.victims_tppm += c.victims;
            }
        }
        r.victims_weighted += c.victims * 0.5f64.powf(job.age_months(c.reported_on) / half_life);
        if let Some(k) = month_index(c.reported_on) {
            victims_monthly[i * m + k] += c.victims as f32;
        }
    }
    for e in &inputs.outreach {
        let Some(&i) = index.get(&e.kode_desa) else {
            continue;
        };
        let r = &mut rows[i];
        r.outreach_events += 1;
        r.outreach_participants += e.participants.unwrap_or(0.0);
        r.last_outreach = r.last_outreach.max(Some(e.date));
    }
    for b in &inputs.desa_binaan {
        let Some(&i) = index.get(&b.kode_desa) else {
            continue;
        };
        let r = &mut rows[i];
        r.desa_binaan = true;
        r.designated_on = Some(b.designated_on);
        r.binaan_office = b.office.clone();
    }
    VillageTable {
        rows,
        months,
        month_share,
        trend_split,
        departures_monthly,
        nonprocedural_monthly,
        channel_known_monthly,
        victims_monthly,
    }
}
