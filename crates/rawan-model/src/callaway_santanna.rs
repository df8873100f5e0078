//! Callaway & Sant'Anna (2021): the average effect of a treatment adopted at different times
//! (staggered), from a balanced panel, with not-yet-treated units as controls.
//!
//! For each cohort g (the period its units are first treated) and period t, the group-time
//! effect is a difference in differences of means against the units not yet treated at t:
//!
//! ```text
//! ATT(g,t) = mean_{G=g}(Y_t − Y_b) − mean_{G>t or never, G≠g}(Y_t − Y_b)
//! b = g − 1 when t ≥ g;  b = t − 1 when t < g (the "varying" base period: each pre-period
//!     estimate is a placebo of one period's change, the check of parallel trends)
//! ```
//!
//! Effects are then averaged with weights proportional to cohort size: over every post
//! period ("simple") and per time since treatment e = t − g (the event study). Standard
//! errors come from each estimate's influence function per unit, so they are clustered by
//! unit, including the term for the estimated cohort weights — as R's `did` and Python's
//! `csdid` compute them (`tests/reference/csdid_panels.py` checks every number against
//! `csdid`). Units treated in the first period have no pre-period and are left out; units
//! never treated in the panel are controls throughout; a cell without treated or control
//! units is skipped.
//!
//! Every influence function is linear in a unit's outcomes with coefficients that depend only
//! on its cohort, so variances are computed from each cohort's sums and cross-products of
//! outcomes (a T × T matrix), never from per-unit vectors per cell: the cost is one pass over
//! the panel plus work on the cohorts, whatever the number of cells.

/// A balanced panel: `periods` outcomes per unit.
#[derive(Debug, Clone)]
pub struct Panel {
    pub periods: usize,
    /// Per unit, the first period it is treated in (`None`: not treated within the panel).
    pub cohort: Vec<Option<usize>>,
    /// Outcomes, unit-major: unit i's period t at `i * periods + t`.
    pub y: Vec<f64>,
}

/// One group-time effect.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// The cohort's first treated period.
    pub g: usize,
    pub t: usize,
    /// The base period the change is taken from.
    pub base: usize,
    pub att: f64,
    pub se: f64,
    pub treated: usize,
    pub controls: usize,
}

impl Cell {
    /// Periods since treatment (negative before it).
    pub fn event_time(&self) -> i64 {
        self.t as i64 - self.g as i64
    }
}

/// An average of group-time effects with its standard error (clustered by unit).
#[derive(Debug, Clone, PartialEq)]
pub struct Aggregate {
    pub estimate: f64,
    pub se: f64,
}

/// The estimates.
#[derive(Debug, Clone)]
pub struct Fit {
    pub cells: Vec<Cell>,
    /// Over every post-treatment cell, weighted by cohort size.
    pub simple: Aggregate,
    /// Per event time e = t − g, ascending.
    pub event_study: Vec<(i64, Aggregate)>,
    /// Units used (those treated in the first period left out).
    pub units: usize,
    /// Units of cohorts with at least one post-treatment cell.
    pub treated_units: usize,
    /// Units never treated within the panel.
    pub never_treated_units: usize,
    /// Each used unit's influence on `simple` (in the order of the panel's used units), for a
    /// multiplier bootstrap.
    pub simple_influence: Vec<f64>,
}

/// Why no effect can be estimated.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum NotEstimable {
    #[error(
        "no unit is first treated after the panel's first period (none has a period before treatment)"
    )]
    NoCohort,
    #[error("no cohort has a period after treatment with units not yet treated to compare with")]
    NoControls,
}

/// Sums over one class of units (a cohort, or the never treated).
struct Class {
    units: usize,
    /// Σ y_t.
    sum: Vec<f64>,
    /// Σ y_s y_t (T × T, row-major).
    gram: Vec<f64>,
}

/// A linear function of a unit's outcomes: Σ_t coef_t y_t + constant.
#[derive(Clone)]
struct Linear {
    coef: Vec<f64>,
    constant: f64,
}

impl Linear {
    fn zero(periods: usize) -> Linear {
        Linear {
            coef: vec![0.0; periods],
            constant: 0.0,
        }
    }

    /// Σ over the class's units of the function's square.
    fn sum_of_squares(&self, c: &Class) -> f64 {
        let t = self.coef.len();
        let mut quad = 0.0;
        for (s, &a) in self.coef.iter().enumerate() {
            if a == 0.0 {
                continue;
            }
            let row = &c.gram[s * t..(s + 1) * t];
            quad += a * row.iter().zip(&self.coef).map(|(g, b)| g * b).sum::<f64>();
        }
        let linear: f64 = self.coef.iter().zip(&c.sum).map(|(a, s)| a * s).sum();
        quad + 2.0 * self.constant * linear + c.units as f64 * self.constant * self.constant
    }

    fn at(&self, y: &[f64]) -> f64 {
        self.coef.iter().zip(y).map(|(a, y)| a * y).sum::<f64>() + self.constant
    }
}

/// A cell's influence per class: `classes[k]` is the function for units of class k (the
/// cohorts in order, then the never treated), `None` where the class takes no part.
struct CellInfluence {
    per_class: Vec<Option<Linear>>,
}

/// Estimates every group-time effect and their averages.
///
/// ```
/// use rawan_model::callaway_santanna::{fit, Panel};
/// // Two units treated from period 2, two never: the treated rise by 3 more from period 1
/// // to 2 than the never treated, and equally (by 1) from period 0 to 1.
/// let panel = Panel {
///     periods: 3,
///     cohort: vec![Some(2), Some(2), None, None],
///     y: vec![1.0, 2.0, 6.0, 2.0, 3.0, 7.0, 0.0, 1.0, 2.0, 1.0, 2.0, 3.0],
/// };
/// let f = fit(&panel).unwrap();
/// assert!((f.simple.estimate - 3.0).abs() < 1e-12);
/// let pre = &f.event_study[0];
/// assert_eq!(pre.0, -1);
/// assert!(pre.1.estimate.abs() < 1e-12, "parallel before treatment");
/// ```
pub fn fit(panel: &Panel) -> Result<Fit, NotEstimable> {
    let periods = panel.periods;
    let mut cohorts: Vec<usize> = panel
        .cohort
        .iter()
        .flatten()
        .copied()
        .filter(|&g| g >= 1 && g < periods)
        .collect();
    cohorts.sort_unstable();
    cohorts.dedup();
    if cohorts.is_empty() {
        return Err(NotEstimable::NoCohort);
    }
    let never = cohorts.len();
    // Class of each unit: its cohort's index, `never`, or None (treated in the first period).
    let class_of = |c: Option<usize>| -> Option<usize> {
        match c {
            None => Some(never),
            Some(g) if g >= periods => Some(never),
            Some(0) => None,
            Some(g) => cohorts.binary_search(&g).ok(),
        }
    };
    let mut classes: Vec<Class> = (0..=never)
        .map(|_| Class {
            units: 0,
            sum: vec![0.0; periods],
            gram: vec![0.0; periods * periods],
        })
        .collect();
    for (i, &c) in panel.cohort.iter().enumerate() {
        let Some(k) = class_of(c) else { continue };
        let y = &panel.y[i * periods..(i + 1) * periods];
        let class = &mut classes[k];
        class.units += 1;
        for s in 0..periods {
            class.sum[s] += y[s];
            let row = &mut class.gram[s * periods..(s + 1) * periods];
            for (g, &yt) in row.iter_mut().zip(y) {
                *g += y[s] * yt;
            }
        }
    }
    let n: usize = classes.iter().map(|c| c.units).sum();
    let nf = n as f64;
    let share: Vec<f64> = classes[..never]
        .iter()
        .map(|c| c.units as f64 / nf)
        .collect();

    let mut cells = Vec::new();
    let mut influences = Vec::new();
    for (gk, &g) in cohorts.iter().enumerate() {
        for t in 1..periods {
            let base = if t < g { t - 1 } else { g - 1 };
            let is_control = |k: usize| k == never || (cohorts[k] > t && k != gk);
            let n1 = classes[gk].units;
            let n0: usize = (0..=never)
                .filter(|&k| is_control(k))
                .map(|k| classes[k].units)
                .sum();
            if n1 == 0 || n0 == 0 {
                continue;
            }
            let change = |k: usize| classes[k].sum[t] - classes[k].sum[base];
            let mu1 = change(gk) / n1 as f64;
            let mu0 = (0..=never)
                .filter(|&k| is_control(k))
                .map(change)
                .sum::<f64>()
                / n0 as f64;
            let diff = |scale: f64, mean: f64| {
                let mut l = Linear::zero(periods);
                l.coef[t] += scale;
                l.coef[base] -= scale;
                l.constant = -scale * mean;
                l
            };
            let per_class: Vec<Option<Linear>> = (0..=never)
                .map(|k| {
                    if k == gk {
                        Some(diff(nf / n1 as f64, mu1))
                    } else if is_control(k) {
                        Some(diff(-nf / n0 as f64, mu0))
                    } else {
                        None
                    }
                })
                .collect();
            let ss: f64 = per_class
                .iter()
                .zip(&classes)
                .filter_map(|(l, c)| l.as_ref().map(|l| l.sum_of_squares(c)))
                .sum();
            cells.push(Cell {
                g,
                t,
                base,
                att: mu1 - mu0,
                se: ss.sqrt() / nf,
                treated: n1,
                controls: n0,
            });
            influences.push((gk, CellInfluence { per_class }));
        }
    }
    let post: Vec<usize> = (0..cells.len())
        .filter(|&k| cells[k].t >= cells[k].g)
        .collect();
    if post.is_empty() {
        return Err(NotEstimable::NoControls);
    }
    let aggregate = |keep: &[usize]| -> (Aggregate, Vec<Linear>) {
        let total: f64 = keep.iter().map(|&k| share[influences[k].0]).sum();
        let mut per_class = vec![Linear::zero(periods); never + 1];
        let mut estimate = 0.0;
        for &k in keep {
            let (gk, inf) = &influences[k];
            let w = share[*gk] / total;
            estimate += w * cells[k].att;
            for (acc, l) in per_class.iter_mut().zip(&inf.per_class) {
                if let Some(l) = l {
                    for (a, c) in acc.coef.iter_mut().zip(&l.coef) {
                        *a += w * c;
                    }
                    acc.constant += w * l.constant;
                }
            }
        }
        // The weights are estimated cohort shares: their influence (did's `wif`), which
        // depends on a unit's class only.
        let sum_shares_dev = |class: usize| -> f64 {
            keep.iter()
                .map(|&k| f64::from(influences[k].0 == class) - share[influences[k].0])
                .sum()
        };
        for (class, acc) in per_class.iter_mut().enumerate() {
            let dev_all = sum_shares_dev(class);
            acc.constant += keep
                .iter()
                .map(|&k| {
                    let gk = influences[k].0;
                    let if1 = (f64::from(gk == class) - share[gk]) / total;
                    let if2 = dev_all * share[gk] / (total * total);
                    cells[k].att * (if1 - if2)
                })
                .sum::<f64>();
        }
        let ss: f64 = per_class
            .iter()
            .zip(&classes)
            .map(|(l, c)| l.sum_of_squares(c))
            .sum();
        (
            Aggregate {
                estimate,
                se: ss.sqrt() / nf,
            },
            per_class,
        )
    };
    let (simple, simple_fn) = aggregate(&post);
    let mut events: Vec<i64> = cells.iter().map(Cell::event_time).collect();
    events.sort_unstable();
    events.dedup();
    let event_study = events
        .into_iter()
        .map(|e| {
            let keep: Vec<usize> = (0..cells.len())
                .filter(|&k| cells[k].event_time() == e)
                .collect();
            (e, aggregate(&keep).0)
        })
        .collect();
    let simple_influence = panel
        .cohort
        .iter()
        .enumerate()
        .filter_map(|(i, &c)| {
            let k = class_of(c)?;
            Some(simple_fn[k].at(&panel.y[i * periods..(i + 1) * periods]))
        })
        .collect();
    let treated_units = post
        .iter()
        .map(|&k| influences[k].0)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .map(|gk| classes[gk].units)
        .sum();
    Ok(Fit {
        cells,
        simple,
        event_study,
        units: n,
        treated_units,
        never_treated_units: classes[never].units,
        simple_influence,
    })
}

/// A multiplier bootstrap of an estimate from its units' influence, as `did` and `csdid` do
/// it: Rademacher weights (±1, one per unit: clustered by unit), the standard error from the
/// interquartile range of the draws, the interval estimate ± 1.96 of it. Each weight is one
/// bit of a Xoshiro256++ stream; each draw's sum is kept in eight partial sums, so it is the
/// same on every machine.
///
/// ```
/// use rawan_model::callaway_santanna::bootstrap_interval;
/// let influence: Vec<f64> = (0..400).map(|i| if i % 2 == 0 { 1.0 } else { -1.0 }).collect();
/// let (low, high) = bootstrap_interval(2.0, &influence, 999, 7);
/// // The analytical standard error is √(Σ IF²)/n = 1/20: the interval is about 2 ± 0.098.
/// assert!((high - low - 2.0 * 1.96 * 0.05).abs() < 0.02, "{low} {high}");
/// ```
pub fn bootstrap_interval(estimate: f64, influence: &[f64], draws: usize, seed: u64) -> (f64, f64) {
    use rand::{RngCore, SeedableRng};
    let n = influence.len() as f64;
    // Padded with zeros to whole blocks of 64 (one random word each).
    let mut padded = influence.to_vec();
    padded.resize(influence.len().div_ceil(64) * 64, 0.0);
    let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut draws_of: Vec<f64> = (0..draws)
        .map(|_| {
            let mut acc = [0.0f64; 8];
            for block in padded.chunks_exact(64) {
                let bits = rng.next_u64();
                for (j, eight) in block.chunks_exact(8).enumerate() {
                    for (l, (a, f)) in acc.iter_mut().zip(eight).enumerate() {
                        let sign = ((bits >> (8 * j + l)) & 1) << 63;
                        *a += f64::from_bits(f.to_bits() ^ sign);
                    }
                }
            }
            acc.iter().sum::<f64>() / n
        })
        .collect();
    draws_of.sort_by(f64::total_cmp);
    let q = |p: f64| draws_of[((draws - 1) as f64 * p).round() as usize];
    // 1.349 = Φ⁻¹(0.75) − Φ⁻¹(0.25).
    let se = (q(0.75) - q(0.25)) / 1.348_979_500_392_163_5;
    (estimate - 1.96 * se, estimate + 1.96 * se)
}
