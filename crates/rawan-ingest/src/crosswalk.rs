//! BPS's crosswalk between its village codes and Kemendagri's: the only way rawan joins a
//! table keyed by BPS codes (the same ten digits name different villages in the two
//! schemes; see [`rawan_core::kode_bps`]).
//!
//! The crosswalk is a reference list, usually national: rows about villages outside the
//! village layer are kept for look-up and cost nothing; a table row that reaches one is
//! rejected naming it. A BPS code listed twice with different Kemendagri codes (a village
//! split between the two lists' years) cannot be joined: its rows are rejected saying so.

use crate::source::{TableSpec, read_table};
use crate::{IngestError, Tally, label};
use rawan_core::{KodeBps, KodeDesa, RejectLog};
use rustc_hash::FxHashMap;
use std::path::Path;

/// BPS code → Kemendagri code, as read from the job's `bps_crosswalk`.
#[derive(Debug, Default)]
pub struct Crosswalk {
    /// The crosswalk's file name, for messages.
    pub file: String,
    map: FxHashMap<KodeBps, Target>,
}

#[derive(Debug, Clone, PartialEq)]
enum Target {
    Village(KodeDesa),
    /// Listed with two or more Kemendagri codes.
    Ambiguous(Vec<KodeDesa>),
}

/// Where a BPS code leads.
#[derive(Debug, Clone, PartialEq)]
pub enum Lookup {
    Found(KodeDesa),
    /// Not a BPS code, not listed, or listed ambiguously: the reason, in words.
    Failed(String),
}

impl Crosswalk {
    /// Builds a crosswalk from (BPS code, Kemendagri code) pairs; a BPS code paired with two
    /// villages becomes unusable.
    pub fn from_pairs(file: &str, pairs: impl IntoIterator<Item = (KodeBps, KodeDesa)>) -> Self {
        let mut map: FxHashMap<KodeBps, Target> = FxHashMap::default();
        for (bps, kode) in pairs {
            let target = map.entry(bps).or_insert(Target::Village(kode));
            match target {
                Target::Village(k) if *k != kode => {
                    let first = *k;
                    *target = Target::Ambiguous(vec![first, kode]);
                }
                Target::Ambiguous(ks) if !ks.contains(&kode) => ks.push(kode),
                _ => {}
            }
        }
        Crosswalk {
            file: file.to_string(),
            map,
        }
    }

    /// The Kemendagri code a BPS code cell leads to.
    ///
    /// ```
    /// use rawan_core::{KodeBps, KodeDesa};
    /// use rawan_ingest::crosswalk::{Crosswalk, Lookup};
    /// let cw = Crosswalk::from_pairs("cw.csv", [(
    ///     KodeBps::parse("3603170002").unwrap(),
    ///     KodeDesa::parse("36.03.17.2005").unwrap(),
    /// )]);
    /// assert_eq!(cw.lookup("3603170002"), Lookup::Found(KodeDesa::parse("3603172005").unwrap()));
    /// assert!(matches!(cw.lookup("3603170003"), Lookup::Failed(_)));
    /// ```
    pub fn lookup(&self, cell: &str) -> Lookup {
        let Some(bps) = KodeBps::parse(cell) else {
            return Lookup::Failed(format!(
                "'{cell}' is not a BPS village code (ten digits, PPKKCCCDDD)"
            ));
        };
        match self.map.get(&bps) {
            Some(Target::Village(kode)) => Lookup::Found(*kode),
            Some(Target::Ambiguous(ks)) => Lookup::Failed(format!(
                "BPS code {bps} is listed in {} with {} Kemendagri codes ({}): fix the crosswalk so each BPS code leads to one village",
                self.file,
                ks.len(),
                ks.iter()
                    .map(|k| k.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            None => Lookup::Failed(format!(
                "BPS code {bps} is not in the crosswalk {}",
                self.file
            )),
        }
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

/// Reads the crosswalk: columns `kode_bps` and `kode_desa` (Kemendagri), mapped like any
/// table's under `[inputs.columns.bps_crosswalk]`. Rows without two readable codes are
/// rejected; a later row giving a BPS code a second, different village is rejected (and the
/// code becomes unusable, see [`Crosswalk::lookup`]).
pub fn read_crosswalk(
    path: &Path,
    job: &rawan_core::Job,
    log: &mut RejectLog,
) -> Result<(Crosswalk, Tally), IngestError> {
    let file = label(path);
    let s = TableSpec {
        table: "bps_crosswalk",
        required: &[&["kode_bps"], &["kode_desa"]],
        optional: &[],
        mapping: job.inputs.columns_for("bps_crosswalk"),
        sheet: job.inputs.sheets.get("bps_crosswalk").cloned(),
    };
    // Every row with two readable codes, including one that gives a code a second village
    // (rejected, and the code made unusable).
    let mut pairs = Vec::new();
    let mut first: FxHashMap<KodeBps, (KodeDesa, u64)> = FxHashMap::default();
    let mut rejected = 0u64;
    let info = read_table(path, &s, |row| {
        let mut reject = |canonical: &str, reason: String| {
            log.reject(
                &file,
                row.line,
                &row.columns.file_name(canonical),
                row.get(canonical),
                reason,
            );
            rejected += 1;
        };
        let Some(bps) = KodeBps::parse(row.get("kode_bps")) else {
            reject(
                "kode_bps",
                "not a BPS village code (ten digits, PPKKCCCDDD)".into(),
            );
            return;
        };
        let kode = match KodeDesa::parse(row.get("kode_desa")) {
            Ok(k) => k,
            Err(e) => {
                reject("kode_desa", e.to_string());
                return;
            }
        };
        pairs.push((bps, kode));
        match first.get(&bps) {
            Some(&(k, line)) if k != kode => {
                reject(
                    "kode_desa",
                    format!(
                        "BPS code {bps} already leads to {k} (line {line}): a BPS code with two villages is not used, and table rows with it are rejected"
                    ),
                );
            }
            Some(_) => {}
            None => {
                first.insert(bps, (kode, row.line));
            }
        }
    })?;
    let cw = Crosswalk::from_pairs(&file, pairs);
    // The first row of a code listed with two villages is not used either.
    let mut ambiguous_first: Vec<(u64, KodeBps)> = first
        .iter()
        .filter(|(bps, _)| matches!(cw.map.get(bps), Some(Target::Ambiguous(_))))
        .map(|(bps, &(_, line))| (line, *bps))
        .collect();
    ambiguous_first.sort();
    let column = s
        .mapping
        .get("kode_bps")
        .cloned()
        .unwrap_or_else(|| "kode_bps".into());
    for (line, bps) in ambiguous_first {
        log.reject(
            &file,
            line,
            &column,
            &bps.to_string(),
            format!(
                "BPS code {bps} is listed again with another village (see the later row): not used"
            ),
        );
        rejected += 1;
    }
    let tally = Tally {
        read: info.rows,
        used: info.rows - rejected,
        rejected,
        notes: info.notes,
    };
    if cw.is_empty() {
        return Err(IngestError::Empty {
            file,
            problem: "no row pairs a BPS village code with a Kemendagri one".into(),
        });
    }
    Ok((cw, tally))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(s: &str) -> KodeDesa {
        KodeDesa::parse(s).unwrap()
    }
    fn b(s: &str) -> KodeBps {
        KodeBps::parse(s).unwrap()
    }

    #[test]
    fn a_code_listed_with_two_villages_is_never_joined() {
        let cw = Crosswalk::from_pairs(
            "cw.csv",
            [
                (b("3603170001"), k("36.03.17.2001")),
                (b("3603170002"), k("36.03.17.2002")),
                (b("3603170002"), k("36.03.17.2002")),
                (b("3603170002"), k("36.03.17.2009")),
            ],
        );
        assert_eq!(cw.lookup("3603170001"), Lookup::Found(k("36.03.17.2001")));
        let Lookup::Failed(why) = cw.lookup("3603170002") else {
            panic!("an ambiguous code was joined")
        };
        assert!(
            why.contains("2 Kemendagri codes (36.03.17.2002, 36.03.17.2009)"),
            "{why}"
        );
        let Lookup::Failed(why) = cw.lookup("36.03.17.2001") else {
            panic!("a dotted code is not a BPS code")
        };
        assert!(why.contains("not a BPS village code"), "{why}");
    }
}
