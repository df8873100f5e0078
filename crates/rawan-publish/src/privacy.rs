//! Protection of victims in published outputs (docs/privacy.md, UU 27/2022).
//!
//! Case-derived counts (cases, victims) from 1 to k − 1 (k = `privacy.min_count`, default 10)
//! are suppressed (primary suppression). So that no suppressed value can be recovered by
//! subtracting published values from a published total, complementary suppression follows:
//!
//! - in a kecamatan whose total is published and that has exactly one suppressed village,
//!   the smallest other village count is suppressed too;
//! - kecamatan and kabupaten totals below k are suppressed; in a kabupaten whose total is
//!   published and that has exactly one suppressed kecamatan total, a second kecamatan total
//!   (one that itself contains a suppressed village) is suppressed, or the kabupaten total;
//! - the province total is suppressed when exactly one kabupaten total is suppressed.
//!
//! Zeros are published: a zero reveals nobody. In restricted mode nothing is suppressed.

use crate::VillageResult;
use std::collections::BTreeMap;

/// Published value of a count: `Some(v)` or `None` (suppressed).
pub type Published = Option<u64>;

/// Suppressed counts of one measure at every level.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Level {
    pub village: Vec<Published>,
    pub kecamatan: BTreeMap<(String, String), Published>,
    pub kabupaten: BTreeMap<String, Published>,
    pub total: Published,
}

/// Cases and victims, suppressed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Suppressed {
    pub min_count: u32,
    pub restricted: bool,
    pub cases: Level,
    pub victims: Level,
}

impl Suppressed {
    /// How many village values were suppressed (victims).
    pub fn suppressed_villages(&self) -> usize {
        self.victims.village.iter().filter(|v| v.is_none()).count()
    }
}

pub fn suppress(villages: &[VillageResult], k: u32, restricted: bool) -> Suppressed {
    let cases: Vec<u64> = villages.iter().map(|v| v.cases as u64).collect();
    let victims: Vec<u64> = villages.iter().map(|v| v.victims.round() as u64).collect();
    let (cases, victims) = rayon::join(|| suppress_level(villages, &cases, k as u64, restricted), || suppress_level(villages, &victims, k as u64, restricted));
    Suppressed { min_count: k, restricted, cases, victims }
}

fn small(v: u64, k: u64) -> bool {
    v > 0 && v < k
}

/// Primary and complementary suppression of one count, per the module docs.
pub fn suppress_level(villages: &[VillageResult], values: &[u64], k: u64, restricted: bool) -> Level {
    // Villages grouped by (kabupaten, kecamatan): sorted by reference, one key per group.
    let mut order: Vec<usize> = (0..villages.len()).collect();
    order.sort_by(|&a, &b| (&villages[a].kabupaten, &villages[a].kecamatan, a).cmp(&(&villages[b].kabupaten, &villages[b].kecamatan, b)));
    let mut kec_members: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    for group in order.chunk_by(|&a, &b| villages[a].kabupaten == villages[b].kabupaten && villages[a].kecamatan == villages[b].kecamatan) {
        let v = &villages[group[0]];
        kec_members.insert((v.kabupaten.clone(), v.kecamatan.clone()), group.to_vec());
    }
    let kec_total: BTreeMap<(String, String), u64> = kec_members.iter().map(|(key, m)| (key.clone(), m.iter().map(|&i| values[i]).sum())).collect();
    let mut kab_total: BTreeMap<String, u64> = BTreeMap::new();
    for ((kab, _), t) in &kec_total {
        *kab_total.entry(kab.clone()).or_default() += t;
    }
    let total: u64 = values.iter().sum();
    if restricted {
        return Level {
            village: values.iter().map(|&v| Some(v)).collect(),
            kecamatan: kec_total.into_iter().map(|(key, t)| (key, Some(t))).collect(),
            kabupaten: kab_total.into_iter().map(|(key, t)| (key, Some(t))).collect(),
            total: Some(total),
        };
    }
    let mut village: Vec<Published> = values.iter().map(|&v| (!small(v, k)).then_some(v)).collect();
    let mut kecamatan: BTreeMap<(String, String), Published> = kec_total.iter().map(|(key, &t)| (key.clone(), (!small(t, k)).then_some(t))).collect();
    // Complementary within kecamatan.
    for (key, members) in &kec_members {
        if kecamatan[key].is_none() {
            continue;
        }
        let hidden = members.iter().filter(|&&i| village[i].is_none()).count();
        if hidden == 1
            && let Some(&j) = members.iter().filter(|&&i| village[i].is_some()).min_by_key(|&&i| (values[i], i))
        {
            village[j] = None;
        }
    }
    let mut kabupaten: BTreeMap<String, Published> = kab_total.iter().map(|(key, &t)| (key.clone(), (!small(t, k)).then_some(t))).collect();
    for (kab, pub_total) in kabupaten.iter_mut() {
        if pub_total.is_none() {
            continue;
        }
        let keys: Vec<&(String, String)> = kecamatan.range((kab.clone(), String::new())..).map(|(key, _)| key).take_while(|(kb, _)| kb == kab).collect();
        let hidden = keys.iter().filter(|key| kecamatan[**key].is_none()).count();
        if hidden == 1 {
            // A second kecamatan total that is not derivable from its published villages.
            let candidate = keys
                .iter()
                .filter(|key| kecamatan[**key].is_some() && kec_members[**key].iter().any(|&i| village[i].is_none()))
                .min_by_key(|key| (kec_total[**key], (**key).clone()))
                .map(|key| (**key).clone());
            match candidate {
                Some(key) => {
                    kecamatan.insert(key, None);
                }
                None => *pub_total = None,
            }
        }
    }
    let hidden_kab = kabupaten.values().filter(|v| v.is_none()).count();
    let total_pub = if small(total, k) || hidden_kab == 1 { None } else { Some(total) };
    Level { village, kecamatan, kabupaten, total: total_pub }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(kab: &str, kec: &str) -> VillageResult {
        VillageResult { kabupaten: kab.into(), kecamatan: kec.into(), ..Default::default() }
    }

    #[test]
    fn small_counts_are_hidden_and_cannot_be_recovered_from_the_kecamatan_total() {
        let vs = vec![v("A", "a1"), v("A", "a1"), v("A", "a1"), v("A", "a2")];
        // Village counts 3 (small), 12, 0 in a1; 20 in a2. a1 total = 15 (published).
        let l = suppress_level(&vs, &[3, 12, 0, 20], 10, false);
        assert_eq!(l.village[0], None, "primary");
        // Complementary: the smallest other village (the 0) is hidden too, so 15 − 12 = 3
        // cannot be pinned on one village.
        assert_eq!(l.village[2], None);
        assert_eq!(l.village[1], Some(12));
        assert_eq!(l.kecamatan[&("A".into(), "a1".into())], Some(15));
        assert_eq!(l.total, Some(35));
    }

    #[test]
    fn small_area_totals_are_hidden_with_a_partner() {
        // Kabupaten A: a1 total 4 (small), a2 total 30 with a suppressed village inside.
        let vs = vec![v("A", "a1"), v("A", "a2"), v("A", "a2"), v("A", "a2")];
        let l = suppress_level(&vs, &[4, 2, 14, 14], 10, false);
        assert_eq!(l.kecamatan[&("A".into(), "a1".into())], None);
        // Otherwise a2 = 34 − 30 would give a1 away: a2's total is hidden as its partner.
        assert_eq!(l.kecamatan[&("A".into(), "a2".into())], None);
        assert_eq!(l.kabupaten["A"], Some(34));
    }

    #[test]
    fn restricted_mode_keeps_everything() {
        let vs = vec![v("A", "a1")];
        let l = suppress_level(&vs, &[3], 10, true);
        assert_eq!(l.village, vec![Some(3)]);
    }
}
