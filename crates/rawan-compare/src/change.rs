//! Each village's change between two runs, and the rule that calls a change in rank real:
//! the rank moved by more than the width of the village's 5–95 % rank interval in *both*
//! runs. The interval is how far the rank moves when the index's weights and the smoothed
//! rates are drawn again (docs/methodology.md); a move within it is what the index's own
//! uncertainty would give with no change on the ground.

use crate::CompareError;
use crate::comparable::{Allow, Difference, differences};
use crate::run_folder::{RankedVillage, RunFolder};
use rawan_core::{GiClass, KodeDesa};
use std::collections::BTreeMap;

/// How a village's rank moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Movement {
    /// Moved towards rank 1 by more than both rank intervals.
    Riskier,
    /// Moved away from rank 1 by more than both rank intervals.
    LessRisky,
    /// Moved within the rank intervals (or has no rank in one run).
    NoClearChange,
    /// In the previous run only (the village layer changed).
    OnlyBefore,
    /// In the current run only.
    OnlyAfter,
}

impl Movement {
    pub const ALL: [Movement; 5] = [
        Movement::Riskier,
        Movement::LessRisky,
        Movement::NoClearChange,
        Movement::OnlyBefore,
        Movement::OnlyAfter,
    ];

    /// The name in `changes.csv`, the layer and its style.
    pub fn as_str(self) -> &'static str {
        match self {
            Movement::Riskier => "riskier",
            Movement::LessRisky => "less_risky",
            Movement::NoClearChange => "no_clear_change",
            Movement::OnlyBefore => "only_before",
            Movement::OnlyAfter => "only_after",
        }
    }
}

/// How a village's Gi* hot-spot status changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HotSpotChange {
    /// Not a hot spot before (at any confidence), one now.
    Appeared,
    /// A hot spot before, not now.
    Faded,
    /// A hot spot in both runs.
    Stayed,
    /// In neither (or in one run only).
    None,
}

impl HotSpotChange {
    pub fn of(before: GiClass, after: GiClass) -> HotSpotChange {
        match (before.is_hot(), after.is_hot()) {
            (false, true) => HotSpotChange::Appeared,
            (true, false) => HotSpotChange::Faded,
            (true, true) => HotSpotChange::Stayed,
            (false, false) => HotSpotChange::None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            HotSpotChange::Appeared => "appeared",
            HotSpotChange::Faded => "faded",
            HotSpotChange::Stayed => "stayed",
            HotSpotChange::None => "none",
        }
    }
}

/// A village as one run saw it.
pub type Side = RankedVillage;

/// One village's change.
#[derive(Debug, Clone, PartialEq)]
pub struct VillageChange {
    pub kode_desa: KodeDesa,
    pub before: Option<Side>,
    pub after: Option<Side>,
    /// Rank before − rank after: positive when the village moved towards rank 1 (riskier).
    pub rank_change: Option<i64>,
    pub score_change: Option<f64>,
    /// Whether the change in rank is larger than both runs' rank intervals.
    pub beyond_intervals: Option<bool>,
    pub movement: Movement,
    pub hot_spot: HotSpotChange,
}

impl VillageChange {
    /// The run that names the village: the current one where it has the village.
    pub fn named(&self) -> &Side {
        self.after
            .as_ref()
            .or(self.before.as_ref())
            .expect("a change has at least one side")
    }

    /// Recommended in the previous run (and not desa binaan then).
    pub fn recommended_before(&self) -> bool {
        self.before
            .as_ref()
            .is_some_and(|b| b.recommended_rank.is_some() && !b.desa_binaan)
    }

    /// Recommended in the previous run and designated desa binaan since.
    pub fn recommended_then_designated(&self) -> bool {
        self.recommended_before() && self.after.as_ref().is_some_and(|a| a.desa_binaan)
    }
}

/// Whether a move from `before` to `after` (ranks, with their 5–95 % intervals) is larger
/// than the width of both intervals.
///
/// ```
/// use rawan_compare::change::beyond_intervals;
/// // Rank 40 (interval 30–55, width 25) to rank 10 (interval 5–20, width 15): a move of 30.
/// assert!(beyond_intervals((40, 30, 55), (10, 5, 20)));
/// // The same move with a wide earlier interval (10–80, width 70) is within it.
/// assert!(!beyond_intervals((40, 10, 80), (10, 5, 20)));
/// ```
pub fn beyond_intervals(before: (u32, u32, u32), after: (u32, u32, u32)) -> bool {
    let moved = i64::from(before.0).abs_diff(i64::from(after.0));
    let width = |(_, low, high): (u32, u32, u32)| u64::from(high.saturating_sub(low));
    moved > width(before) && moved > width(after)
}

/// Two runs compared.
#[derive(Debug, Clone)]
pub struct Comparison {
    pub before: RunFolder,
    pub after: RunFolder,
    /// Setting differences accepted with [`Allow::different_settings`].
    pub differences: Vec<Difference>,
    /// Every village of either run: by current rank, then previous rank, then code.
    pub changes: Vec<VillageChange>,
}

impl Comparison {
    /// Compares two runs, refusing different settings or villages unless `allow` says so.
    pub fn new(
        before: RunFolder,
        after: RunFolder,
        allow: Allow,
    ) -> Result<Comparison, CompareError> {
        let differences = differences(&before.settings, &after.settings);
        if !differences.is_empty() && !allow.different_settings {
            return Err(CompareError::Settings(differences));
        }
        let changes = village_changes(&before.villages, &after.villages);
        let only = |m: Movement| -> Vec<&VillageChange> {
            changes.iter().filter(|c| c.movement == m).collect()
        };
        let (only_before, only_after) = (only(Movement::OnlyBefore), only(Movement::OnlyAfter));
        if (!only_before.is_empty() || !only_after.is_empty()) && !allow.different_villages {
            let example = |v: &[&VillageChange]| {
                v.first()
                    .map(|c| format!("{} {}", c.kode_desa, c.named().desa))
                    .unwrap_or_else(|| "none".into())
            };
            return Err(CompareError::Villages {
                only_before: only_before.len(),
                only_after: only_after.len(),
                before_example: example(&only_before),
                after_example: example(&only_after),
            });
        }
        Ok(Comparison {
            before,
            after,
            differences,
            changes,
        })
    }

    /// How many villages moved each way, and the hot spots that appeared and faded.
    pub fn count(&self, m: Movement) -> usize {
        self.changes.iter().filter(|c| c.movement == m).count()
    }

    pub fn count_hot(&self, h: HotSpotChange) -> usize {
        self.changes.iter().filter(|c| c.hot_spot == h).count()
    }

    /// The largest real moves each way (riskier first), at most `n` each, largest first.
    pub fn largest_movers(&self, n: usize) -> (Vec<&VillageChange>, Vec<&VillageChange>) {
        let pick = |m: Movement| {
            let mut v: Vec<&VillageChange> =
                self.changes.iter().filter(|c| c.movement == m).collect();
            v.sort_by_key(|c| {
                (
                    std::cmp::Reverse(c.rank_change.unwrap_or(0).abs()),
                    c.kode_desa,
                )
            });
            v.truncate(n);
            v
        };
        (pick(Movement::Riskier), pick(Movement::LessRisky))
    }
}

/// Every village of either list, with its change (see [`Comparison::changes`] for the order).
pub fn village_changes(before: &[RankedVillage], after: &[RankedVillage]) -> Vec<VillageChange> {
    let mut by_code: BTreeMap<KodeDesa, (Option<&RankedVillage>, Option<&RankedVillage>)> =
        BTreeMap::new();
    for v in before {
        by_code.entry(v.kode_desa).or_default().0 = Some(v);
    }
    for v in after {
        by_code.entry(v.kode_desa).or_default().1 = Some(v);
    }
    let mut out: Vec<VillageChange> = by_code
        .into_iter()
        .map(|(kode_desa, (b, a))| change(kode_desa, b, a))
        .collect();
    let key = |c: &VillageChange| {
        (
            c.after
                .as_ref()
                .and_then(|a| a.risk_rank)
                .unwrap_or(u32::MAX),
            c.before
                .as_ref()
                .and_then(|b| b.risk_rank)
                .unwrap_or(u32::MAX),
            c.kode_desa,
        )
    };
    out.sort_by_key(key);
    out
}

fn change(
    kode_desa: KodeDesa,
    b: Option<&RankedVillage>,
    a: Option<&RankedVillage>,
) -> VillageChange {
    let (rank_change, score_change, beyond, movement, hot_spot) = match (b, a) {
        (Some(b), Some(a)) => {
            let rank_change = b
                .risk_rank
                .zip(a.risk_rank)
                .map(|(rb, ra)| i64::from(rb) - i64::from(ra));
            let score_change = b
                .risk_score
                .zip(a.risk_score)
                .map(|(sb, sa)| ((sa - sb) * 1000.0).round() / 1000.0);
            let interval = |v: &RankedVillage| Some((v.risk_rank?, v.rank_p05?, v.rank_p95?));
            let beyond = interval(b)
                .zip(interval(a))
                .map(|(ib, ia)| beyond_intervals(ib, ia));
            let movement = match (beyond, rank_change) {
                (Some(true), Some(d)) if d > 0 => Movement::Riskier,
                (Some(true), Some(d)) if d < 0 => Movement::LessRisky,
                _ => Movement::NoClearChange,
            };
            (
                rank_change,
                score_change,
                beyond,
                movement,
                HotSpotChange::of(b.gi_class, a.gi_class),
            )
        }
        (Some(_), None) => (None, None, None, Movement::OnlyBefore, HotSpotChange::None),
        (None, Some(_)) => (None, None, None, Movement::OnlyAfter, HotSpotChange::None),
        (None, None) => unreachable!("a code comes from one of the lists"),
    };
    VillageChange {
        kode_desa,
        before: b.cloned(),
        after: a.cloned(),
        rank_change,
        score_change,
        beyond_intervals: beyond,
        movement,
        hot_spot,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn village(
        kode: &str,
        rank: u32,
        p05: u32,
        p95: u32,
        score: f64,
        gi: GiClass,
    ) -> RankedVillage {
        RankedVillage {
            kode_desa: KodeDesa::parse(kode).unwrap(),
            desa: format!("Desa {kode}"),
            kecamatan: "K".into(),
            kabupaten: "Kab".into(),
            risk_rank: Some(rank),
            risk_score: Some(score),
            rank_p05: Some(p05),
            rank_p95: Some(p95),
            gi_class: gi,
            desa_binaan: false,
            recommended_rank: None,
        }
    }

    #[test]
    fn hand_worked_changes() {
        use GiClass::*;
        let before = [
            village("36.01.01.2001", 1, 1, 2, 9.0, Hot99),
            village("36.01.01.2002", 2, 1, 3, 8.5, Hot95),
            village("36.01.01.2003", 3, 2, 5, 7.0, NotSignificant),
            village("36.01.01.2004", 4, 3, 5, 6.0, NotSignificant),
            village("36.01.01.2005", 5, 4, 5, 1.0, Cold95),
        ];
        let mut after = vec![
            // 2005 jumps from 5 to 1: moved 4, widths 1 and 1: riskier, a new hot spot.
            village("36.01.01.2005", 1, 1, 2, 9.5, Hot90),
            // 2001 from 1 to 2: moved 1, width 1: not beyond.
            village("36.01.01.2001", 2, 1, 3, 8.8, Hot99),
            // 2002 from 2 to 5: moved 3, widths 2 and 1: less risky; its hot spot faded.
            village("36.01.01.2002", 5, 4, 5, 2.0, NotSignificant),
            village("36.01.01.2003", 3, 2, 4, 7.1, NotSignificant),
        ];
        // A new village; 2004 is gone.
        after.push(village("36.01.01.2006", 4, 3, 5, 6.5, NotSignificant));
        let c = village_changes(&before, &after);
        let by = |k: &str| c.iter().find(|x| x.kode_desa.to_string() == k).unwrap();
        let v = by("36.01.01.2005");
        assert_eq!(
            (v.rank_change, v.movement, v.hot_spot),
            (Some(4), Movement::Riskier, HotSpotChange::Appeared)
        );
        assert_eq!(v.score_change, Some(8.5));
        let v = by("36.01.01.2001");
        assert_eq!(
            (v.rank_change, v.beyond_intervals, v.movement),
            (Some(-1), Some(false), Movement::NoClearChange)
        );
        assert_eq!(v.hot_spot, HotSpotChange::Stayed);
        let v = by("36.01.01.2002");
        assert_eq!(
            (v.rank_change, v.movement, v.hot_spot),
            (Some(-3), Movement::LessRisky, HotSpotChange::Faded)
        );
        assert_eq!(by("36.01.01.2004").movement, Movement::OnlyBefore);
        assert_eq!(by("36.01.01.2006").movement, Movement::OnlyAfter);
        // Ordered by the current rank; the village only in the previous run last.
        let order: Vec<String> = c.iter().map(|x| x.kode_desa.to_string()).collect();
        assert_eq!(
            order,
            [
                "36.01.01.2005",
                "36.01.01.2001",
                "36.01.01.2003",
                "36.01.01.2006",
                "36.01.01.2002",
                "36.01.01.2004"
            ]
        );
    }

    #[test]
    fn a_move_equal_to_an_interval_is_not_beyond_it() {
        assert!(
            !beyond_intervals((10, 8, 12), (6, 5, 9)),
            "moved 4, width 4"
        );
        assert!(
            beyond_intervals((10, 8, 12), (5, 5, 8)),
            "moved 5, widths 4 and 3"
        );
    }
}
