//! The synthetic world: villages on a tiled lattice with Kemendagri codes, names and
//! population, a smooth latent risk field, and the records (departures, cases, outreach,
//! desa binaan, offices) that the field drives. Everything is a pure function of the spec and
//! its seed.

use crate::geometry::{Lattice, blob, mix, polygon, single, unit};
use chrono::{Datelike, Months, NaiveDate};
use geo_types::{Coord, MultiPolygon};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, LogNormal, Poisson};
use rawan_core::{Case, Channel, Crime, Departure, DesaBinaan, KodeDesa, Office, OutreachEvent};

/// What to generate.
#[derive(Debug, Clone)]
pub struct Spec {
    pub lattice: Lattice,
    /// Kabupaten blocks, in cells.
    pub kab_block: (u32, u32),
    /// Kecamatan blocks, in cells.
    pub kec_block: (u32, u32),
    /// Kabupaten per province (provinces are consecutive runs of kabupaten).
    pub kab_per_province: u32,
    /// Of every 8 kabupaten, how many are kota (with kelurahan).
    pub kota_per_8: u32,
    pub as_of: NaiveDate,
    pub window_months: u32,
    /// Enclave villages (a hole cut in the parent) and coastal island villages.
    pub enclaves: u32,
    pub islands: u32,
    /// Fraction of villages that are desa binaan.
    pub binaan_share: f64,
    /// Multipliers of the departure and case rates (national sets are denser than the sample).
    pub departure_scale: f64,
    pub case_scale: f64,
    /// Who reported the cases (police, immigration office, BP3MI), in turn.
    pub case_sources: [&'static str; 3],
    /// Write coordinates as the world holds them (real ground, rounded where it can be)
    /// rather than to 6 decimals (the lattice).
    pub exact_coordinates: bool,
    pub seed: u64,
}

impl Spec {
    /// A Banten-like province: 40 × 38 cells, 8 kabupaten/kota, ~1,530 villages.
    pub fn banten_like() -> Spec {
        Spec {
            lattice: Lattice {
                cols: 40,
                rows: 38,
                lon0: 105.45,
                lat0: -6.95,
                cell_deg: 0.025,
                seed: 36,
            },
            kab_block: (10, 19),
            kec_block: (3, 3),
            kab_per_province: 8,
            kota_per_8: 4,
            as_of: NaiveDate::from_ymd_opt(2025, 11, 30).unwrap(),
            window_months: 36,
            enclaves: 3,
            islands: 4,
            binaan_share: 0.04,
            departure_scale: 1.0,
            case_scale: 1.0,
            case_sources: ["Polda Banten", "Kanim Serang", "BP3MI Banten"],
            exact_coordinates: false,
            seed: 20251130,
        }
    }

    /// A country-sized set of about `villages` villages (~170 per kabupaten, ~13 kabupaten
    /// per province), for benchmarks.
    pub fn national(villages: u64) -> Spec {
        let side = (villages as f64).sqrt().ceil() as u32;
        Spec {
            lattice: Lattice {
                cols: side,
                rows: side,
                lon0: 95.0,
                lat0: -11.0,
                cell_deg: 0.025,
                seed: 62,
            },
            kab_block: (13, 13),
            kec_block: (3, 3),
            kab_per_province: 13,
            kota_per_8: 1,
            enclaves: (side / 20).max(3),
            islands: (side / 10).max(4),
            // ~36 departure rows and ~1 case per village over 36 months, as the national
            // benchmark asks (~3 million rows and ~90,000 cases for 84,000 villages).
            departure_scale: 2.7,
            case_scale: 7.8,
            ..Spec::banten_like()
        }
    }
}

/// A generated village with the hidden truth behind it.
#[derive(Debug, Clone)]
pub struct SynthVillage {
    pub kode_desa: KodeDesa,
    pub desa: String,
    pub kecamatan: String,
    pub kabupaten: String,
    pub provinsi: String,
    pub population: f64,
    pub geometry: MultiPolygon<f64>,
    pub centre: Coord<f64>,
    /// Latent risk in [0, 1] (hidden from the pipeline; the data reflect it).
    pub latent: f64,
    /// Latent trend in [-1, 1]: rising (+) or falling (−) departures.
    pub trend: f64,
}

/// Province codes in use (Kemendagri), in order.
const PROVINCES: &[(u64, &str)] = &[
    (36, "Banten"),
    (11, "Aceh"),
    (12, "Sumatera Utara"),
    (13, "Sumatera Barat"),
    (14, "Riau"),
    (15, "Jambi"),
    (16, "Sumatera Selatan"),
    (17, "Bengkulu"),
    (18, "Lampung"),
    (19, "Kepulauan Bangka Belitung"),
    (21, "Kepulauan Riau"),
    (31, "DKI Jakarta"),
    (32, "Jawa Barat"),
    (33, "Jawa Tengah"),
    (34, "DI Yogyakarta"),
    (35, "Jawa Timur"),
    (51, "Bali"),
    (52, "Nusa Tenggara Barat"),
    (53, "Nusa Tenggara Timur"),
    (61, "Kalimantan Barat"),
    (62, "Kalimantan Tengah"),
    (63, "Kalimantan Selatan"),
    (64, "Kalimantan Timur"),
    (65, "Kalimantan Utara"),
    (71, "Sulawesi Utara"),
    (72, "Sulawesi Tengah"),
    (73, "Sulawesi Selatan"),
    (74, "Sulawesi Tenggara"),
    (75, "Gorontalo"),
    (76, "Sulawesi Barat"),
    (81, "Maluku"),
    (82, "Maluku Utara"),
    (91, "Papua"),
    (92, "Papua Barat"),
    (93, "Papua Selatan"),
    (94, "Papua Tengah"),
    (95, "Papua Pegunungan"),
    (96, "Papua Barat Daya"),
];

const BANTEN_KAB: &[&str] = &[
    "Kabupaten Pandeglang",
    "Kota Serang",
    "Kabupaten Lebak",
    "Kota Cilegon",
    "Kabupaten Serang",
    "Kota Tangerang",
    "Kabupaten Tangerang",
    "Kota Tangerang Selatan",
];

const DESA_HEAD: &[&str] = &[
    "Suka", "Mekar", "Sindang", "Pasir", "Tanjung", "Kadu", "Kramat", "Bojong", "Karang", "Sumur",
    "Gunung", "Marga", "Pager", "Muara", "Ci", "Ranca", "Jaya", "Bina", "Tegal", "Kebon", "Waru",
    "Kelapa", "Pulo", "Sri", "Cahaya", "Mandala", "Banjar", "Teluk", "Situ", "Lebak",
];
const DESA_TAIL: &[&str] = &[
    "jaya", "mulya", "sari", "makmur", "asih", "wangi", "harja", "rahayu", "indah", "baru",
    "manik", "herang", "beber", "laya", "raja", "galih", "tapa", "gading", "batu", "jati",
    "kembang", "mukti", "nagara", "pura", "sejati",
];
const KEC_NAMES: &[&str] = &[
    "Cikeusik",
    "Panimbang",
    "Labuan",
    "Menes",
    "Saketi",
    "Malingping",
    "Bayah",
    "Cibeber",
    "Rangkasbitung",
    "Maja",
    "Cikande",
    "Kragilan",
    "Anyar",
    "Cinangka",
    "Padarincang",
    "Ciruas",
    "Kopo",
    "Balaraja",
    "Tigaraksa",
    "Curug",
    "Legok",
    "Mauk",
    "Kronjo",
    "Teluknaga",
    "Kosambi",
    "Pakuhaji",
    "Sepatan",
    "Jayanti",
    "Cisoka",
    "Solear",
    "Pasar Kemis",
    "Rajeg",
    "Kresek",
    "Gunung Kaler",
    "Sukadiri",
    "Cikupa",
    "Panongan",
    "Kelapa Dua",
    "Pagedangan",
    "Cisauk",
];
const KAB_SYLLABLES: &[&str] = &[
    "Tana", "Sumba", "Bone", "Luwu", "Gowa", "Muna", "Kapuas", "Sambas", "Sintang", "Agam",
    "Pasaman", "Ogan", "Musi", "Lahat", "Garut", "Kudus", "Blora", "Jember", "Tuban", "Ngawi",
    "Bima", "Dompu", "Alor", "Ende", "Sikka", "Nias", "Karo", "Dairi", "Toba", "Siak",
];

/// The whole synthetic world.
#[derive(Debug, Clone)]
pub struct World {
    pub spec: Spec,
    pub villages: Vec<SynthVillage>,
    pub offices: Vec<Office>,
}

fn unique_name(
    candidates: impl Fn(u64) -> String,
    taken: &mut std::collections::HashSet<String>,
    key: u64,
) -> String {
    for attempt in 0..1000u64 {
        let n = candidates(mix(key.wrapping_add(attempt * 0x1234_5678_9ABC)));
        if taken.insert(n.clone()) {
            return n;
        }
    }
    let n = format!("{} {}", candidates(key), taken.len());
    taken.insert(n.clone());
    n
}

fn desa_name(h: u64) -> String {
    let head = DESA_HEAD[(h % DESA_HEAD.len() as u64) as usize];
    let tail = DESA_TAIL[((h >> 16) % DESA_TAIL.len() as u64) as usize];
    if (h >> 40).is_multiple_of(3) {
        format!("{head} {}", capitalise(tail))
    } else {
        format!("{head}{tail}")
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// Latent risk: a few Gaussian bumps over the lattice plus a little noise, in [0, 1].
fn latent_field(spec: &Spec, x: f64, y: f64) -> f64 {
    let (w, h) = (spec.lattice.cols as f64, spec.lattice.rows as f64);
    // Bump density scales with area so a national set has many hotspots, not four giant ones.
    let bumps = ((w * h) / 380.0).round().max(4.0) as u64;
    let mut f = 0.0;
    for b in 0..bumps {
        let k = spec.seed ^ (b * 0x51_7CC1);
        let bx = (unit(k) * 0.5 + 0.5) * w;
        let by = (unit(k ^ 1) * 0.5 + 0.5) * h;
        let sigma = 2.5 + 2.5 * (unit(k ^ 2) * 0.5 + 0.5);
        let amp = 0.6 + 0.4 * (unit(k ^ 3) * 0.5 + 0.5);
        let d2 = (x - bx).powi(2) + (y - by).powi(2);
        f += amp * (-d2 / (2.0 * sigma * sigma)).exp();
    }
    (f + 0.05 * unit(spec.seed ^ ((x as u64) << 20) ^ (y as u64) ^ 0xF00D)).clamp(0.0, 1.0)
}

impl World {
    pub fn generate(spec: &Spec) -> World {
        let l = spec.lattice;
        let (kbw, kbh) = spec.kab_block;
        let kab_cols = l.cols.div_ceil(kbw);
        let kab_rows = l.rows.div_ceil(kbh);
        let n_kab = kab_cols * kab_rows;
        // Kabupaten metadata: province, KK code, name, kota or not.
        struct Kab {
            pp: u64,
            provinsi: String,
            kk: u64,
            name: String,
            kota: bool,
        }
        let mut kabs = Vec::with_capacity(n_kab as usize);
        // Real province codes first; a very large set continues with unused two-digit codes.
        let mut provinces: Vec<(u64, String)> =
            PROVINCES.iter().map(|(c, n)| (*c, n.to_string())).collect();
        for c in 11..=99u64 {
            if !provinces.iter().any(|(p, _)| *p == c) {
                provinces.push((c, format!("Provinsi Sintetis {c}")));
            }
        }
        let per_province = spec
            .kab_per_province
            .max(n_kab.div_ceil(provinces.len() as u32));
        assert!(
            per_province <= 69,
            "too many kabupaten for two-digit codes: {n_kab}"
        );
        let mut kota_seq: std::collections::HashMap<u64, u64> = Default::default();
        for k in 0..n_kab {
            let p = (k / per_province) as usize;
            let (pp, pname) = (provinces[p].0, provinces[p].1.as_str());
            let within = k % per_province;
            let kota =
                (within % 8) % (8 / spec.kota_per_8.max(1)).max(1) == 1 && spec.kota_per_8 > 0;
            let name = if spec.kab_per_province == 8 && n_kab == 8 {
                BANTEN_KAB[k as usize].to_string()
            } else {
                let h = mix(spec.seed ^ (k as u64 * 7919));
                let base = format!(
                    "{} {}",
                    KAB_SYLLABLES[(h % 30) as usize],
                    KAB_SYLLABLES[((h >> 8) % 30) as usize]
                );
                if kota {
                    format!("Kota {base} {k}")
                } else {
                    format!("Kabupaten {base} {k}")
                }
            };
            // Kota are numbered from 71 in their province, kabupaten from 01: codes stay unique.
            let seq = kota_seq.entry(pp).or_insert(0);
            let kota = name.starts_with("Kota") && *seq < 28;
            let kk = if kota {
                *seq += 1;
                70 + *seq
            } else {
                within as u64 + 1
            };
            let name = if name.starts_with("Kota") && !kota {
                name.replacen("Kota", "Kabupaten", 1)
            } else {
                name
            };
            kabs.push(Kab {
                pp,
                provinsi: pname.to_string(),
                kk,
                name,
                kota,
            });
        }
        // Villages in cell order, grouped by kecamatan for codes.
        let (kcw, kch) = spec.kec_block;
        let mut by_kec: std::collections::BTreeMap<(u32, u32, u32), Vec<(u32, u32)>> =
            Default::default();
        for j in 0..l.rows {
            for i in 0..l.cols {
                let kab = (j / kbh) * kab_cols + i / kbw;
                let kec_local = ((j % kbh) / kch) * kbw.div_ceil(kcw) + (i % kbw) / kcw;
                by_kec.entry((kab, kec_local, 0)).or_default().push((i, j));
            }
        }
        let mut villages = Vec::with_capacity((l.cols * l.rows) as usize + 16);
        let mut cell_index = vec![usize::MAX; (l.cols * l.rows) as usize];
        let mut kec_seq: std::collections::HashMap<u32, u64> = Default::default();
        let mut kec_names_taken: std::collections::HashMap<u32, std::collections::HashSet<String>> =
            Default::default();
        let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
        let pop_desa = LogNormal::new(8.6_f64, 0.45).unwrap();
        for ((kab, kec_local, _), cells) in &by_kec {
            let kb = &kabs[*kab as usize];
            let cc = {
                let s = kec_seq.entry(*kab).or_insert(0);
                *s += 1;
                *s
            };
            let kec_name = unique_name(
                |h| {
                    let base = KEC_NAMES[(h % KEC_NAMES.len() as u64) as usize];
                    if (h >> 32) % 4 == 0 {
                        format!(
                            "{base} {}",
                            ["Utara", "Selatan", "Barat", "Timur"][((h >> 20) % 4) as usize]
                        )
                    } else {
                        base.to_string()
                    }
                },
                kec_names_taken.entry(*kab).or_default(),
                spec.seed ^ ((*kab as u64) << 32) ^ *kec_local as u64,
            );
            let mut desa_taken = std::collections::HashSet::new();
            for (seq, &(i, j)) in cells.iter().enumerate() {
                let dddd = if kb.kota { 1001 } else { 2001 } + seq as u64;
                let kode = KodeDesa::from_parts(kb.pp, kb.kk, cc.min(99), dddd)
                    .expect("generated code in range");
                let desa = unique_name(
                    desa_name,
                    &mut desa_taken,
                    spec.seed ^ ((i as u64) << 24) ^ j as u64 ^ 0xDE5A,
                );
                let ring = l.cell_ring(i, j);
                let latent = latent_field(spec, i as f64 + 0.5, j as f64 + 0.5);
                let trend = (latent_field(
                    &Spec {
                        seed: spec.seed ^ 0x7EE,
                        ..spec.clone()
                    },
                    i as f64,
                    j as f64,
                ) * 2.0
                    - 1.0)
                    .clamp(-1.0, 1.0);
                let mut population: f64 = pop_desa.sample(&mut rng).round();
                if kb.kota {
                    population *= 2.2;
                }
                cell_index[(j * l.cols + i) as usize] = villages.len();
                villages.push(SynthVillage {
                    kode_desa: kode,
                    desa,
                    kecamatan: kec_name.clone(),
                    kabupaten: kb.name.clone(),
                    provinsi: kb.provinsi.clone(),
                    population: population.max(150.0).round(),
                    geometry: single(polygon(ring, vec![])),
                    centre: l.cell_centre(i, j),
                    latent,
                    trend,
                });
            }
        }
        // Enclaves: a small village inside a cell, cut out of its parent as a hole.
        for e in 0..spec.enclaves {
            let i = 2 + (mix(spec.seed ^ 0xE1 ^ e as u64) % (l.cols as u64 - 4)) as u32;
            let j = 2 + (mix(spec.seed ^ 0xE2 ^ e as u64) % (l.rows as u64 - 4)) as u32;
            let parent_idx = cell_index[(j * l.cols + i) as usize];
            let c = l.cell_centre(i, j);
            let inner = blob(c, l.cell_deg * 0.18);
            let parent = villages[parent_idx].clone();
            let mut hole = inner.clone();
            hole.reverse();
            let ext = parent.geometry.0[0].exterior().0.clone();
            villages[parent_idx].geometry = single(polygon(ext, vec![hole]));
            let kode = sibling_code(&villages, parent.kode_desa);
            villages.push(SynthVillage {
                kode_desa: kode,
                desa: format!("{} Enclave {}", parent.desa, e + 1),
                geometry: single(polygon(inner, vec![])),
                centre: c,
                population: (parent.population * 0.3).round(),
                ..parent
            });
        }
        // Islands: every other one is a coastal village's second part, the rest are villages
        // of their own with no land neighbour.
        for s in 0..spec.islands {
            let i = 1 + (mix(spec.seed ^ 0x15 ^ s as u64) % (l.cols as u64 - 2)) as u32;
            let coast = l.corner(i, 0);
            let c = Coord {
                x: coast.x + 0.3 * l.cell_deg,
                y: coast.y - l.cell_deg * (0.9 + 0.5 * (s % 3) as f64),
            };
            let island = polygon(blob(c, l.cell_deg * 0.25), vec![]);
            let host_idx = cell_index[i as usize];
            if s % 2 == 0 {
                villages[host_idx].geometry.0.push(island);
            } else {
                let host = villages[host_idx].clone();
                let kode = sibling_code(&villages, host.kode_desa);
                villages.push(SynthVillage {
                    kode_desa: kode,
                    desa: format!("Pulau {}", host.desa),
                    geometry: single(island),
                    centre: c,
                    population: (host.population * 0.2).round().max(150.0),
                    ..host
                });
            }
        }
        villages.sort_by_key(|v| v.kode_desa);
        let offices = make_offices(spec, &villages);
        World {
            spec: spec.clone(),
            villages,
            offices,
        }
    }

    /// Months of the window, first days, oldest first.
    pub fn months(&self) -> Vec<NaiveDate> {
        let last =
            NaiveDate::from_ymd_opt(self.spec.as_of.year(), self.spec.as_of.month(), 1).unwrap();
        (0..self.spec.window_months)
            .rev()
            .map(|k| last.checked_sub_months(Months::new(k)).unwrap())
            .collect()
    }

    fn village_rng(&self, idx: usize, stream: u64) -> ChaCha8Rng {
        ChaCha8Rng::seed_from_u64(mix(self.spec.seed ^ (stream << 48) ^ idx as u64))
    }

    /// Departures of one village over the window: one row per month × destination ×
    /// sector × gender × channel with a positive count.
    pub fn departures_of(&self, idx: usize) -> Vec<SynthDeparture> {
        let v = &self.villages[idx];
        let mut rng = self.village_rng(idx, 1);
        let months = self.months();
        let per_1000_month = (0.015 + 0.22 * v.latent) * self.spec.departure_scale;
        let nonproc_share = 0.08 + 0.45 * v.latent;
        let mut out = Vec::new();
        let n_m = months.len() as f64;
        for (m, month) in months.iter().enumerate() {
            let t = (m as f64 - n_m / 2.0) / n_m;
            let lambda =
                (v.population / 1000.0 * per_1000_month * (1.0 + 1.2 * v.trend * t)).max(0.0);
            if lambda <= 0.0 {
                continue;
            }
            let n = Poisson::new(lambda).unwrap().sample(&mut rng) as u64;
            let mut combos: std::collections::BTreeMap<(usize, usize, usize, bool), u64> =
                Default::default();
            for _ in 0..n {
                let dest = pick(&mut rng, &[0.38, 0.24, 0.14, 0.10, 0.08, 0.06]);
                let sector = usize::from(rng.random::<f64>() < 0.35);
                let gender = usize::from(rng.random::<f64>() < 0.3);
                let nonproc = rng.random::<f64>() < nonproc_share;
                *combos.entry((dest, sector, gender, nonproc)).or_default() += 1;
            }
            for ((dest, sector, gender, nonproc), count) in combos {
                out.push(SynthDeparture {
                    departure: Departure {
                        kode_desa: v.kode_desa,
                        month: *month,
                        count: count as f64,
                        channel: Some(if nonproc {
                            Channel::Nonprocedural
                        } else {
                            Channel::Procedural
                        }),
                    },
                    destination_country: DESTINATIONS[dest],
                    sector: ["informal", "formal"][sector],
                    gender: ["P", "L"][gender],
                });
            }
        }
        out
    }

    /// Cases whose victims come from this village, within the window.
    pub fn cases_of(&self, idx: usize) -> Vec<Case> {
        let v = &self.villages[idx];
        let mut rng = self.village_rng(idx, 2);
        let start = self
            .spec
            .as_of
            .checked_sub_months(Months::new(self.spec.window_months))
            .unwrap();
        let days = (self.spec.as_of - start).num_days();
        let victims_expected =
            v.population * (0.3 + 40.0 * v.latent.powi(3)) / 100_000.0 * self.spec.case_scale;
        let n_cases = Poisson::new((victims_expected / 1.5).max(1e-9))
            .unwrap()
            .sample(&mut rng) as u64;
        (0..n_cases)
            .map(|c| {
                let crime = if rng.random::<f64>() < 0.85 {
                    Crime::Tppo
                } else {
                    Crime::Tppm
                };
                let victims = 1 + pick(&mut rng, &[0.7, 0.15, 0.08, 0.04, 0.03]) as u32;
                let day = rng.random_range(1..=days);
                Case {
                    case_id: format!("{}-{}-{:03}", crime.label(), v.kode_desa.as_u64(), c + 1),
                    reported_on: start + chrono::Days::new(day as u64),
                    crime,
                    victims: victims as f64,
                    kode_desa: v.kode_desa,
                    modus: Some(MODUS[pick(&mut rng, &[0.45, 0.2, 0.12, 0.13, 0.1])].to_string()),
                    destination_country: Some(
                        DESTINATIONS[pick(&mut rng, &[0.4, 0.2, 0.1, 0.1, 0.1, 0.1])].to_string(),
                    ),
                    source: Some(self.spec.case_sources[(c % 3) as usize].to_string()),
                }
            })
            .collect()
    }

    /// Existing desa binaan: mostly high-latent villages (offices do notice risk), some not.
    pub fn desa_binaan(&self) -> Vec<DesaBinaan> {
        let mut out = Vec::new();
        for (idx, v) in self.villages.iter().enumerate() {
            let mut rng = self.village_rng(idx, 3);
            let p = self.spec.binaan_share * (0.3 + 2.5 * v.latent);
            if rng.random::<f64>() < p {
                let year = rng.random_range(2019..=2025);
                let month = rng.random_range(1..=if year == 2025 { 10 } else { 12 });
                let day = rng.random_range(1..=28);
                out.push(DesaBinaan {
                    kode_desa: v.kode_desa,
                    designated_on: NaiveDate::from_ymd_opt(year, month, day).unwrap(),
                    programme: Some(
                        if year >= 2024 {
                            "IMIPAS Berdaya"
                        } else {
                            "Desa Binaan Imigrasi"
                        }
                        .to_string(),
                    ),
                    office: Some(nearest_office(&self.offices, v.centre).office.clone()),
                });
            }
        }
        out
    }

    /// Outreach events in the window: in desa binaan villages often, elsewhere rarely.
    pub fn outreach(&self, binaan: &[DesaBinaan]) -> Vec<OutreachEvent> {
        let binaan_set: std::collections::HashSet<KodeDesa> =
            binaan.iter().map(|b| b.kode_desa).collect();
        let start = self
            .spec
            .as_of
            .checked_sub_months(Months::new(self.spec.window_months))
            .unwrap();
        let days = (self.spec.as_of - start).num_days();
        let mut out = Vec::new();
        for (idx, v) in self.villages.iter().enumerate() {
            let mut rng = self.village_rng(idx, 4);
            let lambda = if binaan_set.contains(&v.kode_desa) {
                2.5
            } else {
                0.08 + 0.2 * v.latent
            };
            let n = Poisson::new(lambda).unwrap().sample(&mut rng) as u64;
            for _ in 0..n {
                let day = rng.random_range(1..=days);
                out.push(OutreachEvent {
                    kode_desa: v.kode_desa,
                    date: start + chrono::Days::new(day as u64),
                    activity: ACTIVITIES[pick(&mut rng, &[0.45, 0.2, 0.15, 0.12, 0.08])]
                        .to_string(),
                    participants: Some(rng.random_range(15..=120) as f64),
                });
            }
        }
        out.sort_by_key(|a| (a.date, a.kode_desa));
        out
    }
}

/// A generated departure row with the breakdown columns the file carries (rawan reads them
/// as optional and does not keep them).
#[derive(Debug, Clone)]
pub struct SynthDeparture {
    pub departure: Departure,
    pub destination_country: &'static str,
    pub sector: &'static str,
    pub gender: &'static str,
}

pub const DESTINATIONS: &[&str] = &[
    "Malaysia",
    "Arab Saudi",
    "Taiwan",
    "Hong Kong",
    "Uni Emirat Arab",
    "Kamboja",
];
pub const MODUS: &[&str] = &[
    "penempatan PMI nonprosedural",
    "online scam",
    "ABK perikanan",
    "eksploitasi seksual",
    "pemalsuan dokumen",
];
pub const ACTIVITIES: &[&str] = &[
    "sosialisasi",
    "FGD",
    "rapat koordinasi",
    "pelatihan",
    "pemberdayaan",
];

fn pick(rng: &mut impl Rng, weights: &[f64]) -> usize {
    let total: f64 = weights.iter().sum();
    let mut u = rng.random::<f64>() * total;
    for (i, w) in weights.iter().enumerate() {
        if u < *w {
            return i;
        }
        u -= w;
    }
    weights.len() - 1
}

/// A free village number in the same kecamatan as `kode`.
fn sibling_code(villages: &[SynthVillage], kode: KodeDesa) -> KodeDesa {
    let used: std::collections::HashSet<u64> = villages
        .iter()
        .filter(|v| v.kode_desa.kecamatan_code() == kode.kecamatan_code())
        .map(|v| v.kode_desa.as_u64() % 10_000)
        .collect();
    let base = if kode.is_kelurahan() { 1001 } else { 2001 };
    let d = (base..base + 999)
        .find(|d| !used.contains(d))
        .expect("a free village number");
    let k = kode.as_u64();
    KodeDesa::from_parts(k / 100_000_000, k / 1_000_000 % 100, k / 10_000 % 100, d).unwrap()
}

fn make_offices(spec: &Spec, villages: &[SynthVillage]) -> Vec<Office> {
    if villages.len() < 5000 {
        // Banten's four offices, placed at the centres of their kabupaten/kota blocks.
        let names = [
            ("Kantor Imigrasi Serang", 1usize, 5u32),
            ("Kantor Imigrasi Tangerang", 5, 6),
            ("Kantor Imigrasi Cilegon", 3, 3),
            ("Kantor Imigrasi Soekarno-Hatta", 6, 4),
        ];
        return names
            .iter()
            .map(|(name, kab_idx, cap)| {
                let kabs: Vec<&str> = {
                    let mut k: Vec<&str> = villages.iter().map(|v| v.kabupaten.as_str()).collect();
                    k.dedup();
                    k
                };
                let kab_name = BANTEN_KAB.get(*kab_idx).copied().unwrap_or(kabs[0]);
                let pts: Vec<Coord<f64>> = villages
                    .iter()
                    .filter(|v| v.kabupaten == kab_name)
                    .map(|v| v.centre)
                    .collect();
                let n = pts.len().max(1) as f64;
                Office {
                    office: name.to_string(),
                    lon: (pts.iter().map(|p| p.x).sum::<f64>() / n * 1e5).round() / 1e5,
                    lat: (pts.iter().map(|p| p.y).sum::<f64>() / n * 1e5).round() / 1e5,
                    capacity: Some(*cap),
                    radius_km: Some(60.0),
                }
            })
            .collect();
    }
    // National: one office per four kabupaten blocks, capacity 2.
    let l = spec.lattice;
    let (kbw, kbh) = spec.kab_block;
    let mut out = Vec::new();
    let mut n = 0;
    for by in (0..l.rows).step_by((kbh * 2) as usize) {
        for bx in (0..l.cols).step_by((kbw * 2) as usize) {
            n += 1;
            let c = l.cell_centre((bx + kbw).min(l.cols - 1), (by + kbh).min(l.rows - 1));
            out.push(Office {
                office: format!("Kantor Imigrasi {n:03}"),
                lon: (c.x * 1e5).round() / 1e5,
                lat: (c.y * 1e5).round() / 1e5,
                capacity: Some(2),
                radius_km: None,
            });
        }
    }
    out
}

fn nearest_office(offices: &[Office], c: Coord<f64>) -> &Office {
    offices
        .iter()
        .min_by(|a, b| {
            let da = (a.lon - c.x).powi(2) + (a.lat - c.y).powi(2);
            let db = (b.lon - c.x).powi(2) + (b.lat - c.y).powi(2);
            da.total_cmp(&db)
        })
        .expect("at least one office")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn banten_like_has_the_intended_shape() {
        let w = World::generate(&Spec::banten_like());
        let n = w.villages.len();
        assert!((1500..1600).contains(&n), "{n}");
        let kabs: std::collections::BTreeSet<_> =
            w.villages.iter().map(|v| v.kabupaten.clone()).collect();
        assert_eq!(kabs.len(), 8);
        let codes: std::collections::HashSet<_> = w.villages.iter().map(|v| v.kode_desa).collect();
        assert_eq!(codes.len(), n, "codes are unique");
        assert!(
            w.villages.iter().any(|v| v.geometry.0.len() > 1),
            "a multi-part village"
        );
        assert!(
            w.villages
                .iter()
                .any(|v| !v.geometry.0[0].interiors().is_empty()),
            "a village with a hole"
        );
        assert!(w.villages.iter().all(|v| v.kode_desa.provinsi() == 36));
    }
}
