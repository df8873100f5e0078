//! The sample on real ground: a region's real village boundaries, codes and names (the public
//! layers of `data/boundaries/`, embedded), with synthetic statistics driven by a latent risk
//! field laid over real places, the region's real immigration offices at their approximate
//! locations, and the few public facts the news reports (desa binaan and their dates).
//!
//! Not a statement about any real village: every count is synthetic. The field is shaped so
//! that the map looks like a province a planner knows (migrant-worker origins concentrated in
//! the rural north coast and the south, fewer in the cities), not to reproduce real figures.

use crate::geometry::{mix, unit};
use crate::province::{Spec, SynthVillage, World};
use chrono::NaiveDate;
use geo_types::{Coord, LineString, MultiPolygon, Polygon};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, LogNormal};
use rawan_core::{DesaBinaan, KodeDesa, Office, OutreachEvent};
use std::io::Read;

/// A bump of the latent field: centre (lon, lat), width in km, height.
#[derive(Debug, Clone, Copy)]
pub struct Bump {
    pub lon: f64,
    pub lat: f64,
    pub sigma_km: f64,
    pub amp: f64,
}

/// A designation the news reports, written by names as a Kanwil's list has it.
#[derive(Debug, Clone)]
pub struct KnownBinaan {
    pub kode_desa: &'static str,
    /// The village and kecamatan as the list spells them (may differ from the boundary file).
    pub desa: &'static str,
    pub kecamatan: &'static str,
    pub designated_on: NaiveDate,
    pub programme: &'static str,
    pub office: &'static str,
}

/// One region of the sample: which boundaries, which offices, which facts.
#[derive(Debug, Clone)]
pub struct Region {
    /// Folder-friendly name (`banten`, `cianjur`).
    pub key: &'static str,
    /// As a report's title says it.
    pub title: &'static str,
    pub kanwil: &'static str,
    /// The gzipped GeoJSON layer (BIG's field names).
    pub layer_gz: &'static [u8],
    pub offices: Vec<Office>,
    pub bumps: Vec<Bump>,
    /// Reported designations (the only desa binaan when `random_binaan` is false).
    pub known_binaan: Vec<KnownBinaan>,
    pub random_binaan: bool,
    /// Reported outreach events.
    pub known_outreach: Vec<OutreachEvent>,
    /// Names of case sources (police, office, BP3MI).
    pub case_sources: [&'static str; 3],
    pub budget: u32,
    pub seed: u64,
}

fn office(name: &str, lat: f64, lon: f64, capacity: u32, radius_km: Option<f64>) -> Office {
    Office {
        office: name.to_string(),
        lat,
        lon,
        capacity: Some(capacity),
        radius_km,
    }
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a calendar date")
}

impl Region {
    /// Kanwil Banten: its 1,552 villages and four offices (Serang, Tangerang, Cilegon and
    /// Soekarno–Hatta airport, at their approximate locations).
    pub fn banten() -> Region {
        let tanjakan_mekar = "36.03.11.2009";
        Region {
            key: "banten",
            title: "Provinsi Banten",
            kanwil: "Kanwil Banten",
            layer_gz: include_bytes!("../../../data/boundaries/banten_desa.geojson.gz"),
            offices: vec![
                office("Kantor Imigrasi Serang", -6.12380, 106.17390, 5, Some(60.0)),
                office(
                    "Kantor Imigrasi Tangerang",
                    -6.17720,
                    106.63190,
                    6,
                    Some(60.0),
                ),
                office(
                    "Kantor Imigrasi Cilegon",
                    -6.01740,
                    106.05550,
                    3,
                    Some(60.0),
                ),
                office(
                    "Kantor Imigrasi Soekarno-Hatta",
                    -6.12560,
                    106.65590,
                    4,
                    Some(60.0),
                ),
            ],
            bumps: vec![
                // North coast of Kabupaten Tangerang (Rajeg, Mauk, Kresek, Kronjo).
                Bump {
                    lon: 106.47,
                    lat: -6.08,
                    sigma_km: 11.0,
                    amp: 0.95,
                },
                // North coast of Kabupaten Serang (Tirtayasa, Pontang, Tanara, Carenang).
                Bump {
                    lon: 106.30,
                    lat: -6.03,
                    sigma_km: 10.0,
                    amp: 0.85,
                },
                // South Lebak (Malingping, Wanasalam).
                Bump {
                    lon: 106.05,
                    lat: -6.78,
                    sigma_km: 14.0,
                    amp: 0.6,
                },
                // South Pandeglang (Cikeusik, Munjul).
                Bump {
                    lon: 105.85,
                    lat: -6.66,
                    sigma_km: 13.0,
                    amp: 0.55,
                },
            ],
            known_binaan: vec![KnownBinaan {
                kode_desa: tanjakan_mekar,
                desa: "Tanjakan Mekar",
                kecamatan: "Rajeg",
                // The news reports an IMIPAS Berdaya socialisation for this desa binaan on
                // this day; its designation date is not reported, so the day stands for it.
                designated_on: date(2025, 11, 4),
                programme: "IMIPAS Berdaya",
                office: "Kantor Imigrasi Tangerang",
            }],
            random_binaan: true,
            known_outreach: vec![OutreachEvent {
                kode_desa: KodeDesa::parse(tanjakan_mekar).expect("a valid code"),
                date: date(2025, 11, 4),
                activity: "sosialisasi".into(),
                participants: Some(50.0),
            }],
            case_sources: ["Polda Banten", "Kanim Serang", "BP3MI Banten"],
            budget: 15,
            seed: 20251130,
        }
    }

    /// Kabupaten Cianjur (Kanwil Jawa Barat): 360 villages, one office, and the three desa
    /// binaan confirmed on 25 June 2024, all in Kecamatan Bojongpicung.
    pub fn cianjur() -> Region {
        let binaan = |kode, desa| KnownBinaan {
            kode_desa: kode,
            desa,
            // Spelt right in the list; the boundary file and code table say "Bonjogpicung".
            kecamatan: "Bojongpicung",
            designated_on: date(2024, 6, 25),
            programme: "Desa Binaan Imigrasi",
            office: "Kantor Imigrasi Cianjur",
        };
        Region {
            key: "cianjur",
            title: "Kabupaten Cianjur",
            kanwil: "Kanwil Jawa Barat",
            layer_gz: include_bytes!("../../../data/boundaries/cianjur_desa.geojson.gz"),
            offices: vec![office(
                "Kantor Imigrasi Cianjur",
                -6.82030,
                107.13960,
                4,
                None,
            )],
            bumps: vec![
                // The south (Sindangbarang, Cidaun, Agrabinta).
                Bump {
                    lon: 107.15,
                    lat: -7.35,
                    sigma_km: 14.0,
                    amp: 0.9,
                },
                // Bojongpicung, Haurwangi, Ciranjang.
                Bump {
                    lon: 107.25,
                    lat: -6.86,
                    sigma_km: 7.0,
                    amp: 0.8,
                },
                // Cikalongkulon in the north.
                Bump {
                    lon: 107.20,
                    lat: -6.70,
                    sigma_km: 7.0,
                    amp: 0.45,
                },
            ],
            known_binaan: vec![
                binaan("32.03.06.2002", "Bojongpicung"),
                binaan("32.03.06.2007", "Sukajaya"),
                binaan("32.03.06.2010", "Sukarama"),
            ],
            random_binaan: false,
            known_outreach: vec![],
            case_sources: ["Polda Jawa Barat", "Kanim Cianjur", "BP3MI Jawa Barat"],
            budget: 5,
            seed: 20240625,
        }
    }

    /// The analysis settings every region shares (the lattice fields are unused here).
    pub fn spec(&self) -> Spec {
        Spec {
            seed: self.seed,
            case_sources: self.case_sources,
            exact_coordinates: true,
            ..Spec::banten_like()
        }
    }

    /// The region's villages, read from its embedded layer, in code order.
    pub fn villages(&self) -> Vec<SynthVillage> {
        let mut text = String::new();
        flate2::read::GzDecoder::new(self.layer_gz)
            .read_to_string(&mut text)
            .expect("the embedded boundary layer is gzipped UTF-8");
        let layer: geojson::FeatureCollection = text
            .parse()
            .expect("the embedded boundary layer is GeoJSON");
        let pop_desa = LogNormal::new(8.6_f64, 0.45).expect("valid parameters");
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        let prop = |f: &geojson::Feature, k: &str| -> String {
            f.property(k)
                .and_then(|v| v.as_str())
                .unwrap_or_else(|| panic!("the boundary layer has no {k}"))
                .to_string()
        };
        let mut villages: Vec<SynthVillage> = layer
            .features
            .iter()
            .map(|f| {
                let kode = KodeDesa::parse(&prop(f, "KDEPUM")).expect("a valid KDEPUM");
                let geometry = multipolygon(f.geometry.as_ref().expect("a geometry"));
                let centre = centre(&geometry);
                (
                    kode,
                    prop(f, "WADMKD"),
                    prop(f, "WADMKC"),
                    prop(f, "WADMKK"),
                    prop(f, "WADMPR"),
                    geometry,
                    centre,
                )
            })
            .collect::<Vec<_>>()
            .into_iter()
            .map(
                |(kode, desa, kecamatan, kabupaten, provinsi, geometry, centre)| {
                    let mut population: f64 = pop_desa.sample(&mut rng).round();
                    let urban = kode.is_kelurahan();
                    if urban {
                        population *= 2.2;
                    }
                    let latent = self.latent(centre, kode, urban);
                    let h = mix(self.seed ^ kode.as_u64() ^ 0x7EE);
                    let trend = (0.7 * ((centre.x * 9.0).sin() * (centre.y * 7.0).cos())
                        + 0.3 * unit(h))
                    .clamp(-1.0, 1.0);
                    SynthVillage {
                        kode_desa: kode,
                        desa,
                        kecamatan,
                        kabupaten,
                        provinsi,
                        population: population.max(150.0).round(),
                        geometry,
                        centre,
                        latent,
                        trend,
                    }
                },
            )
            .collect();
        villages.sort_by_key(|v| v.kode_desa);
        villages
    }

    /// Latent risk in [0, 1]: the region's bumps, a little village-level noise, lower in
    /// kelurahan (urban villages send fewer migrant workers).
    fn latent(&self, c: Coord<f64>, kode: KodeDesa, urban: bool) -> f64 {
        let kx = 111.32 * c.y.to_radians().cos();
        let mut f = 0.08;
        for b in &self.bumps {
            let d2 = ((c.x - b.lon) * kx).powi(2) + ((c.y - b.lat) * 110.57).powi(2);
            f += b.amp * (-d2 / (2.0 * b.sigma_km * b.sigma_km)).exp();
        }
        f += 0.08 * unit(mix(self.seed ^ kode.as_u64()));
        if urban {
            f *= 0.45;
        }
        f.clamp(0.0, 1.0)
    }

    /// Generates the region's world.
    pub fn world(&self) -> World {
        let spec = self.spec();
        World {
            villages: self.villages(),
            offices: self.offices.clone(),
            spec,
        }
    }

    /// The desa binaan of this region's world: the reported ones, and (where the region asks
    /// for them) synthetic ones drawn as [`World::desa_binaan`] does, reported ones winning.
    pub fn desa_binaan(&self, world: &World) -> Vec<DesaBinaan> {
        let known: Vec<DesaBinaan> = self
            .known_binaan
            .iter()
            .map(|k| DesaBinaan {
                kode_desa: KodeDesa::parse(k.kode_desa).expect("a valid code"),
                designated_on: k.designated_on,
                programme: Some(k.programme.to_string()),
                office: Some(k.office.to_string()),
            })
            .collect();
        let mut out = if self.random_binaan {
            world.desa_binaan()
        } else {
            Vec::new()
        };
        out.retain(|b| known.iter().all(|k| k.kode_desa != b.kode_desa));
        out.extend(known);
        out.sort_by_key(|b| b.kode_desa);
        out
    }
}

/// A GeoJSON (Multi)Polygon as a MultiPolygon with counter-clockwise exteriors, coordinates
/// rounded to 6 decimals (0.1 m: the sample stays small, and a vertex two neighbours share
/// stays shared), repeated points dropped. A polygon that rounding would make invalid (two
/// vertices of a narrow spike merging) keeps its coordinates as the file has them; a sliver
/// part that rounding collapses to a line is left out.
fn multipolygon(g: &geojson::Geometry) -> MultiPolygon<f64> {
    use geo::Validation;
    let ring = |r: &Vec<geojson::Position>, exterior: bool, scale: Option<f64>| {
        let mut pts: Vec<Coord<f64>> = Vec::with_capacity(r.len());
        for p in r {
            let c = match scale {
                Some(k) => Coord {
                    x: (p[0] * k).round() / k,
                    y: (p[1] * k).round() / k,
                },
                None => Coord { x: p[0], y: p[1] },
            };
            if pts.last() != Some(&c) {
                pts.push(c);
            }
        }
        let signed: f64 = pts
            .windows(2)
            .map(|w| w[0].x * w[1].y - w[1].x * w[0].y)
            .sum();
        // Exteriors counter-clockwise, holes clockwise (RFC 7946).
        if (signed < 0.0) == exterior {
            pts.reverse();
        }
        LineString(pts)
    };
    let polygon = |rings: &geojson::PolygonType| -> Option<Polygon<f64>> {
        let build = |scale| {
            Polygon::new(
                ring(&rings[0], true, scale),
                rings[1..].iter().map(|r| ring(r, false, scale)).collect(),
            )
        };
        let rounded = build(Some(1e6));
        // A sliver part under 1 m² that rounding collapses is left out.
        if rounded.exterior().0.len() < 4 {
            return None;
        }
        Some(if rounded.is_valid() {
            rounded
        } else {
            build(None)
        })
    };
    match &g.value {
        geojson::GeometryValue::Polygon { coordinates: rings } => {
            MultiPolygon(polygon(rings).into_iter().collect())
        }
        geojson::GeometryValue::MultiPolygon { coordinates: polys } => {
            MultiPolygon(polys.iter().filter_map(polygon).collect())
        }
        other => panic!("a village boundary is {}, not a polygon", other.type_name()),
    }
}

/// The area-weighted centre of the largest part (where a label or office distance belongs).
fn centre(g: &MultiPolygon<f64>) -> Coord<f64> {
    let part = |p: &Polygon<f64>| -> (f64, Coord<f64>) {
        let r = &p.exterior().0;
        let (mut a, mut cx, mut cy) = (0.0, 0.0, 0.0);
        for w in r.windows(2) {
            let k = w[0].x * w[1].y - w[1].x * w[0].y;
            a += k;
            cx += (w[0].x + w[1].x) * k;
            cy += (w[0].y + w[1].y) * k;
        }
        if a.abs() < 1e-18 {
            return (0.0, r[0]);
        }
        (
            a.abs() / 2.0,
            Coord {
                x: cx / (3.0 * a),
                y: cy / (3.0 * a),
            },
        )
    };
    g.0.iter()
        .map(part)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
        .expect("at least one part")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_regions_carry_their_real_villages() {
        let banten = Region::banten().villages();
        assert_eq!(banten.len(), 1552);
        let kabs: std::collections::BTreeSet<_> =
            banten.iter().map(|v| v.kabupaten.as_str()).collect();
        assert_eq!(kabs.len(), 8);
        assert!(banten.iter().any(|v| v.geometry.0.len() > 1), "islands");
        let cianjur = Region::cianjur().villages();
        assert_eq!(cianjur.len(), 360);
        let sukajaya = cianjur.iter().filter(|v| v.desa == "Sukajaya").count();
        assert_eq!(sukajaya, 4, "four villages share the name");
    }

    #[test]
    fn exteriors_are_counter_clockwise_after_reading() {
        for v in Region::cianjur().villages() {
            for p in &v.geometry.0 {
                let r = &p.exterior().0;
                let a: f64 = r
                    .windows(2)
                    .map(|w| w[0].x * w[1].y - w[1].x * w[0].y)
                    .sum();
                assert!(a > 0.0, "{}", v.kode_desa);
            }
        }
    }

    #[test]
    fn the_field_is_higher_on_the_north_coast_than_in_the_cities() {
        let vs = Region::banten().villages();
        let mean = |pick: &dyn Fn(&SynthVillage) -> bool| {
            let xs: Vec<f64> = vs.iter().filter(|v| pick(v)).map(|v| v.latent).collect();
            xs.iter().sum::<f64>() / xs.len() as f64
        };
        let rajeg = mean(&|v| v.kecamatan == "Rajeg");
        let kota_tangerang = mean(&|v| v.kabupaten == "Kota Tangerang");
        assert!(rajeg > 2.0 * kota_tangerang, "{rajeg} vs {kota_tangerang}");
    }
}
