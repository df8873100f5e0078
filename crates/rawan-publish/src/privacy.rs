//! Published case-derived counts (docs/privacy.md, UU 27/2022).
//!
//! The unit of protection is a village's count over the window (cases, victims). A count of
//! 1 to k − 1 (k = `privacy.min_count`) is a *small cell*: it is published as `(s)`, meaning
//! "1 to k − 1", and the model saw only a substitute for it (`rawan_model::protect`). Every
//! area total (kecamatan, kabupaten, province) is published as the interval its villages'
//! published values allow: the exact sum of the villages published exactly, plus 1 … k − 1
//! for each small cell. So every published figure is a function of the published village
//! cells alone, and each small cell's feasible interval, given everything published together,
//! is its whole box 1 … k − 1: any combination of values in the boxes reproduces every
//! published total. There is nothing to subtract and no partner cell to choose.
//!
//! In restricted mode every count is exact.

use crate::VillageResult;
use std::collections::BTreeMap;

/// A published count: exact when `lo == hi`, else the interval it is known to lie in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Count {
    pub lo: u64,
    pub hi: u64,
}

impl Count {
    pub fn exact(v: u64) -> Count {
        Count { lo: v, hi: v }
    }

    /// The value when it is published exactly.
    pub fn value(self) -> Option<u64> {
        (self.lo == self.hi).then_some(self.lo)
    }

    /// As a report shows it: `12`, or `51–59` for an interval.
    pub fn text(self) -> String {
        match self.value() {
            Some(v) => v.to_string(),
            None => format!("{}–{}", self.lo, self.hi),
        }
    }
}

impl std::ops::AddAssign for Count {
    fn add_assign(&mut self, o: Count) {
        *self = *self + o;
    }
}

impl std::ops::Add for Count {
    type Output = Count;
    fn add(self, o: Count) -> Count {
        Count {
            lo: self.lo + o.lo,
            hi: self.hi + o.hi,
        }
    }
}

/// Published counts of one measure at every level.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Level {
    pub village: Vec<Count>,
    pub kecamatan: BTreeMap<(String, String), Count>,
    pub kabupaten: BTreeMap<String, Count>,
    pub total: Count,
}

/// Cases and victims as published.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Suppressed {
    pub min_count: u32,
    pub restricted: bool,
    pub cases: Level,
    pub victims: Level,
}

impl Suppressed {
    /// How many village values are small cells (victims).
    pub fn suppressed_villages(&self) -> usize {
        self.victims
            .village
            .iter()
            .filter(|v| v.value().is_none())
            .count()
    }
}

pub fn suppress(villages: &[VillageResult], k: u32, restricted: bool) -> Suppressed {
    let cases: Vec<u64> = villages.iter().map(|v| v.cases as u64).collect();
    let victims: Vec<u64> = villages.iter().map(|v| v.victims.round() as u64).collect();
    let (cases, victims) = rayon::join(
        || suppress_level(villages, &cases, k, restricted),
        || suppress_level(villages, &victims, k, restricted),
    );
    Suppressed {
        min_count: k,
        restricted,
        cases,
        victims,
    }
}

/// A village cell as published: exact when 0, k or more, or restricted; else 1 … k − 1.
///
/// ```
/// use rawan_publish::privacy::{Count, village_cell};
/// assert_eq!(village_cell(3, 10, false), Count { lo: 1, hi: 9 });
/// assert_eq!(village_cell(4, 10, false), village_cell(3, 10, false));
/// assert_eq!(village_cell(0, 10, false), Count::exact(0));
/// assert_eq!(village_cell(12, 10, false), Count::exact(12));
/// assert_eq!(village_cell(3, 10, true), Count::exact(3));
/// ```
pub fn village_cell(v: u64, k: u32, restricted: bool) -> Count {
    if !restricted && v > 0 && v < k as u64 {
        Count {
            lo: 1,
            hi: k as u64 - 1,
        }
    } else {
        Count::exact(v)
    }
}

/// Village cells and the area totals built from them (module docs).
pub fn suppress_level(
    villages: &[VillageResult],
    values: &[u64],
    k: u32,
    restricted: bool,
) -> Level {
    let village: Vec<Count> = values
        .iter()
        .map(|&v| village_cell(v, k, restricted))
        .collect();
    let mut kecamatan: BTreeMap<(String, String), Count> = BTreeMap::new();
    let mut kabupaten: BTreeMap<String, Count> = BTreeMap::new();
    let mut total = Count::default();
    // Sorted by area so that each key is cloned once per area, not once per village.
    let mut order: Vec<usize> = (0..villages.len()).collect();
    order.sort_by(|&a, &b| {
        (&villages[a].kabupaten, &villages[a].kecamatan)
            .cmp(&(&villages[b].kabupaten, &villages[b].kecamatan))
    });
    for group in order.chunk_by(|&a, &b| {
        villages[a].kabupaten == villages[b].kabupaten
            && villages[a].kecamatan == villages[b].kecamatan
    }) {
        let sum = group.iter().fold(Count::default(), |s, &i| s + village[i]);
        let v = &villages[group[0]];
        kecamatan.insert((v.kabupaten.clone(), v.kecamatan.clone()), sum);
        *kabupaten.entry(v.kabupaten.clone()).or_default() += sum;
        total += sum;
    }
    Level {
        village,
        kecamatan,
        kabupaten,
        total,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(kab: &str, kec: &str) -> VillageResult {
        VillageResult {
            kabupaten: kab.into(),
            kecamatan: kec.into(),
            ..Default::default()
        }
    }

    #[test]
    fn the_attack_of_the_issue_recovers_nothing() {
        // One kecamatan: 12 victims in one village, 3 in another, zeros elsewhere. The old
        // scheme hid the 3 and "the smallest other village" (a zero) and published 15.
        let vs = vec![v("A", "a1"), v("A", "a1"), v("A", "a1"), v("A", "a2")];
        let l = suppress_level(&vs, &[12, 3, 0, 20], 10, false);
        assert_eq!(
            l.village,
            vec![
                Count::exact(12),
                Count { lo: 1, hi: 9 },
                Count::exact(0),
                Count::exact(20)
            ]
        );
        // By hand: a1 = 12 + (1…9) + 0 = 13…21; A = a1 + 20 = 33…41.
        assert_eq!(
            l.kecamatan[&("A".into(), "a1".into())],
            Count { lo: 13, hi: 21 }
        );
        assert_eq!(l.kabupaten["A"], Count { lo: 33, hi: 41 });
        assert_eq!(l.total, Count { lo: 33, hi: 41 });
        // 3 → 4 changes nothing published.
        assert_eq!(suppress_level(&vs, &[12, 4, 0, 20], 10, false), l);
    }

    #[test]
    fn restricted_mode_keeps_everything() {
        let vs = vec![v("A", "a1"), v("A", "a1")];
        let l = suppress_level(&vs, &[3, 12], 10, true);
        assert_eq!(l.village, vec![Count::exact(3), Count::exact(12)]);
        assert_eq!(l.total, Count::exact(15));
    }
}
