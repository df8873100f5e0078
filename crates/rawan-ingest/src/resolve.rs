//! Finding the village a row is about: by code (any accepted form), by an undotted code that
//! lost a zero when exactly one known village fits, then by names — desa within kecamatan
//! within kabupaten, exactly first, fuzzily (Jaro–Winkler) only when one candidate is
//! clearly best. Every match that was not an exact code is reported so it can be listed.

use crate::names::{Level, normalise};
use rawan_core::{KodeDesa, KodeError, Village};

/// Fuzzy matches need at least this similarity…
pub const FUZZY_MIN: f64 = 0.88;
/// …and this lead over the runner-up.
pub const FUZZY_MARGIN: f64 = 0.04;

/// The known villages, indexed by code and by normalised names.
#[derive(Debug, Default)]
pub struct Gazetteer {
    by_code: rustc_hash::FxHashMap<KodeDesa, usize>,
    provinces: std::collections::HashSet<u64>,
    entries: Vec<Entry>,
}

#[derive(Debug)]
struct Entry {
    kode: KodeDesa,
    desa_name: String,
    desa: String,
    kecamatan: String,
    kabupaten: String,
}

/// The outcome of resolving one row.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolution {
    /// The code was given and known.
    Exact(KodeDesa),
    /// Found another way: `method` is `unpadded_code`, `exact_name` or `fuzzy_name`.
    Matched {
        kode: KodeDesa,
        desa: String,
        method: &'static str,
        score: f64,
    },
    /// Not found: which column to blame and why.
    Unresolved {
        column: &'static str,
        value: String,
        reason: String,
    },
}

/// The last code cell a reader resolved to a known village, for
/// [`Gazetteer::exact_recent`].
#[derive(Debug, Clone, Copy, Default)]
pub struct RecentCode {
    last: Option<((u128, u8), KodeDesa)>,
}

impl RecentCode {
    /// The cell's bytes and length packed in one number, for cells of 8 to 16 bytes (every
    /// code form a large table carries: 13 dotted, 10 plain): its first and last eight bytes,
    /// which overlap when shorter than 16, and its length. Other cells are not remembered.
    fn key(cell: &str) -> Option<(u128, u8)> {
        let b = cell.as_bytes();
        let eight = |at: usize| u64::from_le_bytes(b[at..at + 8].try_into().expect("eight bytes"));
        (8..=16).contains(&b.len()).then(|| {
            (
                (u128::from(eight(0)) << 64) | u128::from(eight(b.len() - 8)),
                b.len() as u8,
            )
        })
    }
}

/// The cells a row gives about its village (any may be empty).
#[derive(Debug, Clone, Copy, Default)]
pub struct Given<'a> {
    pub kode: &'a str,
    pub desa: &'a str,
    pub kecamatan: &'a str,
    pub kabupaten: &'a str,
}

impl Gazetteer {
    pub fn new(villages: &[Village]) -> Gazetteer {
        use rayon::prelude::*;
        let entries: Vec<Entry> = villages
            .par_iter()
            .map(|v| Entry {
                kode: v.kode_desa,
                desa_name: v.desa.clone(),
                desa: normalise(&v.desa, Level::Desa),
                kecamatan: normalise(&v.kecamatan, Level::Kecamatan),
                kabupaten: normalise(&v.kabupaten, Level::Kabupaten),
            })
            .collect();
        let by_code = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.kode, i))
            .collect();
        let provinces = entries.iter().map(|e| e.kode.provinsi()).collect();
        Gazetteer {
            by_code,
            provinces,
            entries,
        }
    }

    pub fn knows(&self, k: KodeDesa) -> bool {
        self.by_code.contains_key(&k)
    }

    /// The village's name as the layer writes it, if the layer has the village.
    pub fn desa_name(&self, k: KodeDesa) -> Option<&str> {
        self.by_code
            .get(&k)
            .map(|&i| self.entries[i].desa_name.as_str())
    }

    /// The village a code names exactly, if it is a known village: the common case, which
    /// [`Gazetteer::resolve`] also returns first, without looking at names.
    pub fn exact(&self, kode: &str) -> Option<KodeDesa> {
        KodeDesa::parse(kode).ok().filter(|k| self.knows(*k))
    }

    /// [`Gazetteer::exact`], answered from `recent` when the cell repeats the code resolved
    /// last (consecutive rows of a large table are usually about the same village).
    pub fn exact_recent(&self, kode: &str, recent: &mut RecentCode) -> Option<KodeDesa> {
        let key = RecentCode::key(kode);
        if let (Some(key), Some((last, k))) = (key, recent.last)
            && key == last
        {
            return Some(k);
        }
        let found = self.exact(kode);
        if let (Some(key), Some(k)) = (key, found) {
            recent.last = Some((key, k));
        }
        found
    }

    pub fn resolve(&self, g: Given) -> Resolution {
        let has_names = !g.desa.is_empty();
        if !g.kode.is_empty() {
            let problem = match KodeDesa::parse(g.kode) {
                Ok(k) if self.knows(k) => return Resolution::Exact(k),
                Ok(k) if !self.provinces.contains(&k.provinsi()) => {
                    let mut p: Vec<String> = self.provinces.iter().map(|p| p.to_string()).collect();
                    p.sort();
                    format!(
                        "unknown village code {k}: it is in province {}, the village layer covers province {}",
                        k.provinsi(),
                        p.join(", ")
                    )
                }
                Ok(_) if rawan_core::KodeBps::misread_as_kemendagri(g.kode) => format!(
                    "unknown village code {}: not in the village layer, and its village part is below 1000, which Kemendagri never uses (a BPS code? see bps_crosswalk in docs/job-file.md)",
                    g.kode.trim()
                ),
                Ok(k) => format!("unknown village code {k}: not in the village layer"),
                Err(KodeError::Ambiguous(_)) => {
                    let hits: Vec<KodeDesa> = KodeDesa::unpadded_candidates(g.kode)
                        .into_iter()
                        .filter(|k| self.knows(*k))
                        .collect();
                    if hits.len() == 1 {
                        let e = &self.entries[self.by_code[&hits[0]]];
                        return Resolution::Matched {
                            kode: hits[0],
                            desa: e.desa_name.clone(),
                            method: "unpadded_code",
                            score: 1.0,
                        };
                    }
                    format!(
                        "code has lost a leading zero and fits {} known villages",
                        hits.len()
                    )
                }
                Err(e) => e.to_string(),
            };
            if !has_names {
                return Resolution::Unresolved {
                    column: "kode_desa",
                    value: g.kode.to_string(),
                    reason: problem,
                };
            }
            return match self.by_names(g) {
                ok @ Resolution::Matched { .. } => ok,
                Resolution::Unresolved {
                    reason,
                    column,
                    value,
                } => Resolution::Unresolved {
                    column,
                    value,
                    reason: format!("{problem}; and by name: {reason}"),
                },
                Resolution::Exact(k) => Resolution::Exact(k),
            };
        }
        if !has_names {
            return Resolution::Unresolved {
                column: "kode_desa",
                value: String::new(),
                reason: "missing village code and no village name to match".into(),
            };
        }
        self.by_names(g)
    }

    fn by_names(&self, g: Given) -> Resolution {
        let mut score = 1.0f64;
        let mut candidates: Vec<usize> = (0..self.entries.len()).collect();
        for (level, given, column) in [
            (Level::Kabupaten, g.kabupaten, "kabupaten"),
            (Level::Kecamatan, g.kecamatan, "kecamatan"),
        ] {
            if given.is_empty() {
                continue;
            }
            let want = normalise(given, level);
            let field = |e: &Entry| -> String {
                if level == Level::Kabupaten {
                    e.kabupaten.clone()
                } else {
                    e.kecamatan.clone()
                }
            };
            let mut options: Vec<String> = candidates
                .iter()
                .map(|&i| field(&self.entries[i]))
                .collect();
            options.sort();
            options.dedup();
            match best_match(&want, &options) {
                Ok((key, s)) => {
                    score = score.min(s);
                    candidates.retain(|&i| field(&self.entries[i]) == key);
                }
                Err(why) => {
                    return Resolution::Unresolved {
                        column,
                        value: given.to_string(),
                        reason: format!("{column} {why}"),
                    };
                }
            }
        }
        let want = normalise(g.desa, Level::Desa);
        let exact: Vec<usize> = candidates
            .iter()
            .copied()
            .filter(|&i| self.entries[i].desa == want)
            .collect();
        let pick = match exact.len() {
            1 => exact[0],
            n if n > 1 => {
                return Resolution::Unresolved {
                    column: "desa",
                    value: g.desa.to_string(),
                    reason: format!(
                        "{n} villages have this name; give the kecamatan and kabupaten or the village code"
                    ),
                };
            }
            _ => {
                let mut options: Vec<String> = candidates
                    .iter()
                    .map(|&i| self.entries[i].desa.clone())
                    .collect();
                options.sort();
                options.dedup();
                match best_match(&want, &options) {
                    Ok((key, s)) => {
                        let hits: Vec<usize> = candidates
                            .iter()
                            .copied()
                            .filter(|&i| self.entries[i].desa == key)
                            .collect();
                        if hits.len() != 1 {
                            return Resolution::Unresolved {
                                column: "desa",
                                value: g.desa.to_string(),
                                reason: format!(
                                    "closest name fits {} villages; give the kecamatan",
                                    hits.len()
                                ),
                            };
                        }
                        score = score.min(s);
                        hits[0]
                    }
                    Err(why) => {
                        return Resolution::Unresolved {
                            column: "desa",
                            value: g.desa.to_string(),
                            reason: format!("village {why}"),
                        };
                    }
                }
            }
        };
        let e = &self.entries[pick];
        Resolution::Matched {
            kode: e.kode,
            desa: e.desa_name.clone(),
            method: if score >= 1.0 {
                "exact_name"
            } else {
                "fuzzy_name"
            },
            score,
        }
    }
}

/// Exact key if present; else the clearly best fuzzy one.
fn best_match(want: &str, options: &[String]) -> Result<(String, f64), String> {
    if options.iter().any(|o| o == want) {
        return Ok((want.to_string(), 1.0));
    }
    let mut scored: Vec<(f64, &String)> = options
        .iter()
        .map(|o| (strsim::jaro_winkler(want, o), o))
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    match scored.as_slice() {
        [] => Err(format!("'{want}' not found")),
        [(best, key), rest @ ..] => {
            let second = rest.first().map(|r| r.0).unwrap_or(0.0);
            if *best >= FUZZY_MIN && best - second >= FUZZY_MARGIN {
                Ok(((*key).clone(), *best))
            } else if *best >= FUZZY_MIN {
                Err(format!(
                    "'{want}' is close to several names ('{}', '{}'); none is clearly best",
                    key, rest[0].1
                ))
            } else {
                Err(format!("'{want}' not found (closest: '{key}')"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::MultiPolygon;

    fn v(kode: &str, desa: &str, kec: &str, kab: &str) -> Village {
        Village {
            kode_desa: KodeDesa::parse(kode).unwrap(),
            desa: desa.into(),
            kecamatan: kec.into(),
            kabupaten: kab.into(),
            provinsi: None,
            population: None,
            geometry: MultiPolygon::new(vec![]),
        }
    }

    fn gaz() -> Gazetteer {
        Gazetteer::new(&[
            v(
                "36.03.17.2002",
                "Curug Wetan",
                "Curug",
                "Kabupaten Tangerang",
            ),
            v(
                "36.03.17.2003",
                "Curug Kulon",
                "Curug",
                "Kabupaten Tangerang",
            ),
            v("36.04.01.2001", "Sukajaya", "Cikande", "Kabupaten Serang"),
            v("36.73.01.1001", "Sukajaya", "Serang", "Kota Serang"),
        ])
    }

    #[test]
    fn a_remembered_code_answers_like_a_fresh_lookup() {
        let g = gaz();
        let mut recent = RecentCode::default();
        // Repeats, a code that differs only in its last digit, other accepted forms, an
        // unknown code between known ones, and cells too long to remember.
        let cells = [
            "36.03.17.2002",
            "36.03.17.2002",
            "36.03.17.2003",
            "36.03.17.2002",
            "3603172003",
            "3603172003",
            "36.99.17.2002",
            "36.03.17.2002",
            "",
            "36.04.01.2001 ",
            "'36.73.01.1001'",
            "36.73.01.1001 (Kota)",
            "36.73.01.1001 (Kota)",
            "36.03.17.2002",
            // Same length, differing only in the middle; short, 16-byte and padded cells.
            "36.03.18.2002",
            "36.04.01.2001",
            "36.04.01.2001",
            "3604012001",
            "363172002",
            "363172002",
            "  36.04.01.2001",
            "36.04.01.2001   ",
            "36.03.17.2002",
        ];
        for cell in cells {
            assert_eq!(
                g.exact_recent(cell, &mut recent),
                g.exact(cell),
                "cell {cell:?}"
            );
        }
    }

    #[test]
    fn codes_first() {
        let g = gaz();
        let k = KodeDesa::parse("36.03.17.2002").unwrap();
        assert_eq!(
            g.resolve(Given {
                kode: "3603172002",
                ..Default::default()
            }),
            Resolution::Exact(k)
        );
        // Unpadded: "363172002" -> only 36.03.17.2002 is known.
        assert!(
            matches!(g.resolve(Given { kode: "363172002", ..Default::default() }), Resolution::Matched { method: "unpadded_code", kode, .. } if kode == k)
        );
        let r = g.resolve(Given {
            kode: "36.99.99.9999",
            ..Default::default()
        });
        assert!(
            matches!(r, Resolution::Unresolved { ref reason, .. } if reason.contains("not in the village layer")),
            "{r:?}"
        );
    }

    #[test]
    fn names_with_prefixes_and_case_match_exactly() {
        let g = gaz();
        let r = g.resolve(Given {
            desa: "Ds. CURUG WETAN",
            kecamatan: "Kec. Curug",
            kabupaten: "Kab. Tangerang",
            ..Default::default()
        });
        assert!(
            matches!(
                r,
                Resolution::Matched {
                    method: "exact_name",
                    ..
                }
            ),
            "{r:?}"
        );
    }

    #[test]
    fn kota_and_kabupaten_of_the_same_name_stay_apart() {
        let g = gaz();
        let r = g.resolve(Given {
            desa: "Sukajaya",
            kabupaten: "Kota Serang",
            ..Default::default()
        });
        assert!(
            matches!(r, Resolution::Matched { kode, .. } if kode.to_string() == "36.73.01.1001"),
            "{r:?}"
        );
        let r = g.resolve(Given {
            desa: "Sukajaya",
            ..Default::default()
        });
        assert!(
            matches!(r, Resolution::Unresolved { ref reason, .. } if reason.contains("2 villages")),
            "{r:?}"
        );
    }

    #[test]
    fn fuzzy_only_when_clearly_best() {
        let g = gaz();
        // One swapped letter: clearly Curug Wetan.
        let r = g.resolve(Given {
            desa: "Curug Wtean",
            kecamatan: "Curug",
            ..Default::default()
        });
        assert!(
            matches!(r, Resolution::Matched { method: "fuzzy_name", score, .. } if score > FUZZY_MIN && score < 1.0),
            "{r:?}"
        );
        // "Curug" alone is as close to Wetan as to Kulon: refused.
        let r = g.resolve(Given {
            desa: "Curug",
            kecamatan: "Curug",
            ..Default::default()
        });
        assert!(matches!(r, Resolution::Unresolved { .. }), "{r:?}");
    }

    #[test]
    fn a_bad_code_with_names_still_matches_by_name() {
        let g = gaz();
        let r = g.resolve(Given {
            kode: "99",
            desa: "Curug Kulon",
            kecamatan: "Curug",
            ..Default::default()
        });
        assert!(
            matches!(
                r,
                Resolution::Matched {
                    method: "exact_name",
                    ..
                }
            ),
            "{r:?}"
        );
    }
}
