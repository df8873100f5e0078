//! The village layer: GeoJSON (RFC 7946, lon/lat) or Shapefile (.shp with .dbf), Polygon or
//! MultiPolygon, with a per-file column mapping (e.g. BIG's `KDEPUM`, `WADMKD`, `WADMKC`,
//! `WADMKK`). Features without a usable code, name or geometry are rejected with a reason;
//! projected coordinates stop the job with a message that says what to do.
//!
//! GeoJSON features are parsed by the georust `geojson` crate (one feature at a time, side by
//! side); the collection around them, its `crs` and its `type` are read here.

use crate::{IngestError, Tally};
use geo::algorithm::validation::{InvalidPolygon, RingRole};
use geo_types::{Coord, LineString, MultiPolygon, Polygon};
use rawan_core::{KodeDesa, RejectLog, Village};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

const FIELDS: [&str; 6] = [
    "kode_desa",
    "desa",
    "kecamatan",
    "kabupaten",
    "provinsi",
    "population",
];

/// Reads the village layer; rejects go to `log`.
pub fn read_villages(
    path: &Path,
    mapping: &BTreeMap<String, String>,
    log: &mut RejectLog,
) -> Result<(Vec<Village>, Tally), IngestError> {
    read_village_layer(path, None, mapping, log)
}

/// [`read_villages`], with the layer of a GeoPackage named (its first feature layer when
/// `None`).
pub fn read_village_layer(
    path: &Path,
    layer: Option<&str>,
    mapping: &BTreeMap<String, String>,
    log: &mut RejectLog,
) -> Result<(Vec<Village>, Tally), IngestError> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_lowercase();
    let file_label = crate::label(path);
    let mut notes = Vec::new();
    if layer.is_some() && ext != "gpkg" {
        return Err(IngestError::Format {
            file: path.display().to_string(),
            problem: "a layer is named for the villages, but only a GeoPackage (.gpkg) has layers"
                .into(),
        });
    }
    let features = match ext.as_str() {
        "shp" => read_shapefile(path, &mut notes)?,
        "geojson" | "json" => read_geojson(path)?,
        "gpkg" => crate::geopackage::read(path, layer, &mut notes)?,
        other => {
            return Err(IngestError::Format {
                file: path.display().to_string(),
                problem: format!(
                    "unsupported village layer format '.{other}' (use GeoJSON, a GeoPackage or a Shapefile)"
                ),
            });
        }
    };
    let mut tally = Tally {
        read: features.len() as u64,
        notes,
        ..Tally::default()
    };
    // Property lookup: canonical → the file's key, case-insensitively, from the first feature.
    let mut keys: HashMap<String, String> = HashMap::new();
    if let Some(f) = features.first() {
        for canonical in FIELDS {
            let wanted = mapping
                .get(canonical)
                .map(|s| s.trim().to_lowercase())
                .unwrap_or_else(|| canonical.to_string());
            if let Some(k) = f.props.keys().find(|k| k.trim().to_lowercase() == wanted) {
                keys.insert(canonical.to_string(), k.clone());
            }
        }
        let missing: Vec<&str> = FIELDS[..4]
            .iter()
            .copied()
            .filter(|c| !keys.contains_key(*c))
            .collect();
        if !missing.is_empty() {
            let found: Vec<&String> = f.props.keys().collect();
            return Err(IngestError::Missing {
                file: path.display().to_string(),
                problem: format!(
                    "no property {} (properties found: {}). Map them in the job file under [inputs.columns.villages], e.g. kode_desa = \"KDEPUM\"",
                    missing.join(", "),
                    found
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            });
        }
    }
    // Each feature's fields, parsed in parallel; what depends on the features before it (a
    // repeated code) and the reject log are settled after, in file order.
    struct Parsed {
        code_raw: String,
        kode: Result<KodeDesa, String>,
        desa: String,
        kecamatan: String,
        kabupaten: String,
        provinsi: Option<String>,
        population_raw: String,
        population: Option<Result<f64, String>>,
        geometry: Result<MultiPolygon<f64>, String>,
        /// A position that is not longitude/latitude.
        projected: Option<(f64, f64)>,
    }
    let parsed: Vec<Parsed> = features
        .into_par_iter()
        .map(|f| {
            let get = |c: &str| {
                keys.get(c)
                    .and_then(|k| f.props.get(k))
                    .map(|s| s.trim().to_string())
                    .unwrap_or_default()
            };
            let code_raw = get("kode_desa");
            let population_raw = get("population");
            let projected = f
                .geometry
                .as_ref()
                .ok()
                .and_then(|g| {
                    g.0.iter()
                        .flat_map(|p| p.exterior().0.iter())
                        .find(|c| c.x.abs() > 180.0 || c.y.abs() > 90.0)
                })
                .map(|c| (c.x, c.y));
            Parsed {
                kode: KodeDesa::parse(&code_raw).map_err(|e| e.to_string()),
                code_raw,
                desa: get("desa"),
                kecamatan: get("kecamatan"),
                kabupaten: get("kabupaten"),
                provinsi: Some(get("provinsi")).filter(|s| !s.is_empty()),
                population: (!population_raw.is_empty())
                    .then(|| crate::numbers::parse_count(&population_raw)),
                population_raw,
                geometry: f.geometry,
                projected,
            }
        })
        .collect();
    let mut seen: FxHashMap<KodeDesa, u64> = FxHashMap::default();
    let mut villages = Vec::with_capacity(parsed.len());
    for (n, f) in parsed.into_iter().enumerate() {
        let line = n as u64 + 1;
        let code_raw = f.code_raw;
        let kode = match f.kode {
            Ok(k) => k,
            Err(e) => {
                log.reject(
                    &file_label,
                    line,
                    "kode_desa",
                    &code_raw,
                    format!("village not used: {e}"),
                );
                tally.rejected += 1;
                continue;
            }
        };
        if let Some(first) = seen.get(&kode) {
            log.reject(
                &file_label,
                line,
                "kode_desa",
                &code_raw,
                format!(
                    "duplicate village code (first on feature {first}); this feature is not used"
                ),
            );
            tally.rejected += 1;
            continue;
        }
        if f.desa.is_empty() {
            log.reject(&file_label, line, "desa", "", "village has no name");
            tally.rejected += 1;
            continue;
        }
        let geometry = match f.geometry {
            Ok(g) => g,
            Err(why) => {
                log.reject(&file_label, line, "geometry", &code_raw, why);
                tally.rejected += 1;
                continue;
            }
        };
        if let Some((x, y)) = f.projected {
            return Err(IngestError::Projection {
                file: path.display().to_string(),
                problem: format!(
                    "coordinates look projected (the point {x:.1}, {y:.1} is not longitude/latitude). Re-export the layer in EPSG:4326 (WGS 84 longitude/latitude), e.g. in QGIS: Export → Save Features As… → CRS EPSG:4326"
                ),
            });
        }
        let population = match f.population {
            None => None,
            Some(Ok(p)) if p <= crate::tables::MAX_POPULATION => Some(p),
            Some(Ok(p)) => {
                let why = format!(
                    "{p} is not a plausible village population (at most {})",
                    crate::tables::MAX_POPULATION
                );
                log.reject(
                    &file_label,
                    line,
                    "population",
                    &f.population_raw,
                    format!("population ignored for this village: {why}"),
                );
                None
            }
            Some(Err(why)) => {
                log.reject(
                    &file_label,
                    line,
                    "population",
                    &f.population_raw,
                    format!("population ignored for this village: {why}"),
                );
                None
            }
        };
        seen.insert(kode, line);
        villages.push(Village {
            kode_desa: kode,
            desa: f.desa,
            kecamatan: f.kecamatan,
            kabupaten: f.kabupaten,
            provinsi: f.provinsi,
            population,
            geometry,
        });
        tally.used += 1;
    }
    if villages.is_empty() {
        return Err(IngestError::Empty {
            file: path.display().to_string(),
            problem: "no usable village in the layer".into(),
        });
    }
    villages.sort_by_key(|v| v.kode_desa);
    Ok((villages, tally))
}

/// A feature's properties as text and its geometry or the reason it is unusable.
pub(crate) struct RawFeature {
    pub(crate) props: Props,
    pub(crate) geometry: Result<MultiPolygon<f64>, String>,
}

/// A feature's properties as text, in name order; a name given twice keeps its last value,
/// as in a JSON object. A short sorted list: a village has a handful of properties, fewer
/// allocations than a map per village.
#[derive(Default)]
pub(crate) struct Props(Vec<(String, String)>);

impl Props {
    pub(crate) fn from_pairs(mut pairs: Vec<(String, String)>) -> Props {
        // Last value first among equal names, so that the stable sort and dedup keep it.
        pairs.reverse();
        pairs.sort_by(|a, b| a.0.cmp(&b.0));
        pairs.dedup_by(|later, kept| later.0 == kept.0);
        Props(pairs)
    }
    fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(k, _)| k)
    }
    fn get(&self, key: &str) -> Option<&String> {
        self.0
            .binary_search_by(|(k, _)| k.as_str().cmp(key))
            .ok()
            .map(|i| &self.0[i].1)
    }
}

/// A GeoJSON `properties` object read straight into (name, text) pairs; each value as
/// [`json_text`] writes it.
struct PropsDoc(Vec<(String, String)>);

impl<'de> serde::Deserialize<'de> for PropsDoc {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Pairs;
        impl<'de> serde::de::Visitor<'de> for Pairs {
            type Value = PropsDoc;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<PropsDoc, A::Error> {
                use serde::de::Error;
                let mut pairs = Vec::with_capacity(map.size_hint().unwrap_or(8));
                while let Some(name) = map.next_key::<String>()? {
                    let raw: &'de serde_json::value::RawValue = map.next_value()?;
                    let text = raw.get();
                    let value = match text.as_bytes().first() {
                        Some(b'"') => {
                            serde_json::from_str::<String>(text).map_err(A::Error::custom)?
                        }
                        _ if text == "null" => String::new(),
                        _ => json_text(&serde_json::from_str(text).map_err(A::Error::custom)?),
                    };
                    pairs.push((name, value));
                }
                Ok(PropsDoc(pairs))
            }
        }
        d.deserialize_map(Pairs)
    }
}

/// The parts of a GeoJSON file rawan reads; geometry stays raw until it is parsed in parallel.
#[derive(serde::Deserialize)]
struct FeatureCollectionDoc<'a> {
    #[serde(rename = "type", default)]
    kind: Option<String>,
    #[serde(default)]
    crs: Option<serde_json::Value>,
    #[serde(default, borrow)]
    features: Option<Vec<&'a serde_json::value::RawValue>>,
}

#[derive(serde::Deserialize)]
struct FeatureDoc<'a> {
    #[serde(default, borrow)]
    properties: Option<&'a serde_json::value::RawValue>,
}

fn read_geojson(path: &Path) -> Result<Vec<RawFeature>, IngestError> {
    let file = path.display().to_string();
    let unreadable = |problem: String| IngestError::Unreadable {
        file: file.clone(),
        problem,
    };
    let format_error = |problem: String| IngestError::Format {
        file: file.clone(),
        problem,
    };
    let bytes = crate::file_text::read(path).map_err(|e| unreadable(crate::io_problem(&e)))?;
    let text = std::str::from_utf8(bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&bytes))
        .map_err(|e| format_error(format!("not UTF-8 text: {e}")))?;
    let doc: FeatureCollectionDoc = serde_json::from_str(text)
        .map_err(|e| format_error(format!("not a valid GeoJSON file: {e}")))?;
    let kind = doc.kind.unwrap_or_default();
    if kind != "FeatureCollection" {
        return Err(format_error(format!(
            "a village layer must be a GeoJSON FeatureCollection, but this file's \"type\" is {}",
            if kind.is_empty() {
                "missing".to_string()
            } else {
                format!("\"{kind}\"")
            }
        )));
    }
    if let Some(crs) = doc
        .crs
        .as_ref()
        .and_then(|c| c.pointer("/properties/name"))
        .and_then(|n| n.as_str())
    {
        let lonlat = crs.contains("CRS84") || crs.contains("4326");
        if !lonlat {
            return Err(format_error(format!(
                "the layer declares the coordinate system {crs}; rawan reads longitude/latitude (EPSG:4326). Re-export the layer in EPSG:4326"
            )));
        }
    }
    let features = doc
        .features
        .ok_or_else(|| format_error("the FeatureCollection has no \"features\" array".into()))?;
    // Each feature is parsed by the georust `geojson` crate, side by side; the collection
    // around them is read here, because the crate's streaming reader takes the first `[` for
    // the features (a top-level bbox breaks it) and ignores the `crs` member.
    features
        .into_par_iter()
        .map(
            |raw| match serde_json::from_str::<geojson::Feature>(raw.get()) {
                Ok(f) => Ok(RawFeature {
                    props: Props::from_pairs({
                        let mut pairs: Vec<(String, String)> = f
                            .properties
                            .unwrap_or_default()
                            .iter()
                            .map(|(k, v)| (k.clone(), json_text(v)))
                            .collect();
                        // The feature's `id` member (where GDAL's RFC 7946 writer puts the
                        // code with ID_FIELD) answers to the name `id` where no property has it.
                        if let Some(id) = &f.id
                            && !pairs.iter().any(|(k, _)| k == "id")
                        {
                            pairs.insert(0, ("id".to_string(), feature_id_text(id)));
                        }
                        pairs
                    }),
                    geometry: match f.geometry {
                        None => Err("feature has no geometry".to_string()),
                        Some(g) => geojson_geometry(g.value),
                    },
                }),
                // Not a feature the crate reads: broken properties stop the run (the layer is not
                // what it claims to be), anything else rejects this feature with the crate's words.
                Err(e) => {
                    let doc: FeatureDoc = serde_json::from_str(raw.get()).map_err(|e| {
                        format_error(format!("not a valid GeoJSON file: feature: {e}"))
                    })?;
                    if let Some(props) = doc.properties
                        && let Err(e) = serde_json::from_str::<Option<PropsDoc>>(props.get())
                    {
                        return Err(format_error(format!(
                            "not a valid GeoJSON file: feature properties: {e}"
                        )));
                    }
                    Ok(RawFeature {
                        props: doc
                            .properties
                            .and_then(|p| serde_json::from_str::<Option<PropsDoc>>(p.get()).ok())
                            .flatten()
                            .map(|PropsDoc(pairs)| Props::from_pairs(pairs))
                            .unwrap_or_default(),
                        geometry: Err(format!("geometry is not valid GeoJSON: {e}")),
                    })
                }
            },
        )
        .collect()
}

/// A feature `id` as text: a string as it is, a number as [`json_text`] writes it.
fn feature_id_text(id: &geojson::feature::Id) -> String {
    match id {
        geojson::feature::Id::String(s) => s.clone(),
        geojson::feature::Id::Number(n) => json_text(&serde_json::Value::Number(n.clone())),
    }
}

fn json_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        serde_json::Value::Number(n) => n
            .as_f64()
            .filter(|f| f.fract() == 0.0 && f.abs() < 1e15)
            .map(|f| format!("{}", f as i64))
            .unwrap_or_else(|| n.to_string()),
        other => other.to_string(),
    }
}

/// A Polygon or MultiPolygon as the crate read it, each position's longitude and latitude
/// (any height ignored), checked by [`build_multipolygon`]; other kinds are refused.
fn geojson_geometry(value: geojson::GeometryValue) -> Result<MultiPolygon<f64>, String> {
    let polys = match value {
        geojson::GeometryValue::Polygon { coordinates } => vec![coordinates],
        geojson::GeometryValue::MultiPolygon { coordinates } => coordinates,
        other => {
            return Err(format!(
                "geometry is {}, not Polygon or MultiPolygon",
                other.type_name()
            ));
        }
    };
    let mut out = Vec::with_capacity(polys.len());
    for p in polys {
        let mut rings = Vec::with_capacity(p.len());
        for r in p {
            let mut ring = Vec::with_capacity(r.len());
            for position in &r {
                match position.as_slice() {
                    [x, y, ..] => ring.push(Coord { x: *x, y: *y }),
                    _ => {
                        return Err(
                            "geometry is not valid GeoJSON: position without a number".into()
                        );
                    }
                }
            }
            rings.push(ring);
        }
        out.push(rings);
    }
    build_multipolygon(out)
}

/// Checks rings (closed, at least four positions, finite, non-zero area) and builds the
/// geometry. Orientation is not checked here: output writers orient rings per RFC 7946.
pub(crate) fn build_multipolygon(
    polys: Vec<Vec<Vec<Coord<f64>>>>,
) -> Result<MultiPolygon<f64>, String> {
    if polys.is_empty() || polys.iter().all(|p| p.is_empty()) {
        return Err("empty geometry".into());
    }
    let mut out = Vec::with_capacity(polys.len());
    for rings in polys {
        let mut ls = Vec::with_capacity(rings.len());
        for ring in rings {
            if ring.iter().any(|c| !c.x.is_finite() || !c.y.is_finite()) {
                return Err("geometry has a coordinate that is not a number".into());
            }
            if ring.len() < 4 {
                return Err(format!(
                    "a ring has {} positions; a closed ring needs at least 4",
                    ring.len()
                ));
            }
            if ring.first() != ring.last() {
                return Err("a ring is not closed (its first and last positions differ)".into());
            }
            ls.push(LineString::new(ring));
        }
        let mut it = ls.into_iter();
        let ext = it.next().ok_or("polygon without rings")?;
        let poly = Polygon::new(ext, it.collect());
        // A self-intersecting ring (a "bow-tie") has no meaningful area or boundary: refuse it
        // rather than compute neighbours and maps from it. The first such ring is named as
        // geo's validation names it.
        let mut rings = std::iter::once((RingRole::Exterior, poly.exterior())).chain(
            poly.interiors()
                .iter()
                .enumerate()
                .map(|(k, r)| (RingRole::Interior(k), r)),
        );
        if let Some((role, _)) = rings.find(|(_, ring)| crate::ring_check::crosses_itself(ring)) {
            let problem = InvalidPolygon::SelfIntersection(role);
            return Err(format!(
                "invalid polygon: {problem}; repair it (QGIS: Vector ▸ Geometry Tools ▸ Fix Geometries) and run again"
            ));
        }
        for ring in std::iter::once(poly.exterior()).chain(poly.interiors()) {
            let twice_area: f64 = ring
                .0
                .windows(2)
                .map(|w| w[0].x * w[1].y - w[1].x * w[0].y)
                .sum();
            if twice_area == 0.0 {
                return Err("a ring has zero area".into());
            }
        }
        out.push(poly);
    }
    Ok(MultiPolygon::new(out))
}

fn read_shapefile(path: &Path, notes: &mut Vec<String>) -> Result<Vec<RawFeature>, IngestError> {
    use shapefile::dbase::FieldValue;
    use shapefile::{PolygonRing, Shape};
    let file = path.display().to_string();
    // The .prj decides whether coordinates need transforming; without one they must already
    // be longitude/latitude (checked after reading).
    let projection = match std::fs::read_to_string(path.with_extension("prj")) {
        Ok(text) => match crate::projection::from_prj(text.trim()) {
            Ok(p) => p,
            Err(why) => {
                return Err(IngestError::Projection {
                    file,
                    problem: format!(
                        "the .prj says {why}. Re-export the layer in EPSG:4326 (WGS 84 longitude/latitude), e.g. in QGIS: Export → Save Features As… → CRS EPSG:4326"
                    ),
                });
            }
        },
        Err(_) => None,
    };
    if let Some(p) = &projection {
        notes.push(format!(
            "coordinates transformed to longitude/latitude from {p:?} (per the .prj)"
        ));
    }
    let project = |x: f64, y: f64| match &projection {
        Some(p) => crate::projection::inverse(p, x, y),
        None => (x, y),
    };
    let mut reader = shapefile::Reader::from_path(path).map_err(|e| IngestError::Format {
        file: file.clone(),
        problem: format!(
            "cannot open the Shapefile (it needs .shp, .shx and .dbf side by side): {e}"
        ),
    })?;
    let mut out = Vec::new();
    for item in reader.iter_shapes_and_records() {
        let (shape, record) = item.map_err(|e| IngestError::Format {
            file: file.clone(),
            problem: format!("Shapefile error: {e}"),
        })?;
        let mut props = Vec::new();
        for (name, value) in record.into_iter() {
            let text = match value {
                FieldValue::Character(s) => s.unwrap_or_default(),
                FieldValue::Numeric(n) => n
                    .map(|f| {
                        if f.fract() == 0.0 {
                            format!("{}", f as i64)
                        } else {
                            f.to_string()
                        }
                    })
                    .unwrap_or_default(),
                FieldValue::Float(n) => n.map(|f| f.to_string()).unwrap_or_default(),
                FieldValue::Integer(i) => i.to_string(),
                FieldValue::Double(d) => d.to_string(),
                other => format!("{other}"),
            };
            props.push((name, text));
        }
        let props = Props::from_pairs(props);
        let geometry = match shape {
            Shape::Polygon(p) => {
                let mut polys: Vec<Vec<Vec<Coord<f64>>>> = Vec::new();
                for ring in p.rings() {
                    let pts: Vec<Coord<f64>> = ring
                        .points()
                        .iter()
                        .map(|q| {
                            let (x, y) = project(q.x, q.y);
                            Coord { x, y }
                        })
                        .collect();
                    match ring {
                        PolygonRing::Outer(_) => polys.push(vec![pts]),
                        PolygonRing::Inner(_) => match polys.last_mut() {
                            Some(last) => last.push(pts),
                            None => polys.push(vec![pts]),
                        },
                    }
                }
                build_multipolygon(polys)
            }
            Shape::NullShape => Err("feature has no geometry".to_string()),
            other => Err(format!("geometry is {}, not Polygon", other.shapetype())),
        };
        out.push(RawFeature { props, geometry });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Properties read straight into pairs give what a JSON map turned into text gives:
    /// strings with escapes, whole and fractional numbers, null, booleans, arrays, a repeated
    /// name (the last value wins), and name order.
    #[test]
    fn properties_read_as_pairs_match_a_json_map() {
        let text = r#"{"WADMKD":"Suka \"Maju\"","pop":3725.0,"b":2.5,"n":null,"t":true,"arr":[1,"x"],"WADMKD":"Sukamaju","big":1e20,"neg":-4,"u":18446744073709551615,"obj":{"k":1}}"#;
        let map: serde_json::Map<String, serde_json::Value> = serde_json::from_str(text).unwrap();
        let want: Vec<(String, String)> = map
            .iter()
            .map(|(k, v)| (k.clone(), json_text(v)))
            .collect::<BTreeMap<_, _>>()
            .into_iter()
            .collect();
        let PropsDoc(pairs) = serde_json::from_str(text).unwrap();
        let got = Props::from_pairs(pairs);
        assert_eq!(got.0, want);
        assert_eq!(got.get("WADMKD").map(String::as_str), Some("Sukamaju"));
        assert_eq!(got.get("pop").map(String::as_str), Some("3725"));
        assert_eq!(got.get("missing"), None);
        assert!(
            serde_json::from_str::<Option<PropsDoc>>("null")
                .unwrap()
                .is_none()
        );
        assert!(serde_json::from_str::<Option<PropsDoc>>(r#""text""#).is_err());
    }

    fn parse(geometry: &str) -> Result<MultiPolygon<f64>, String> {
        match serde_json::from_str::<geojson::Geometry>(geometry) {
            Ok(g) => geojson_geometry(g.value),
            Err(e) => Err(format!("geometry is not valid GeoJSON: {e}")),
        }
    }

    /// The feature `id` answers to `id` where no property is so named; a property wins.
    #[test]
    fn the_feature_id_stands_in_for_a_missing_id_property() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v.geojson");
        let square = r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}"#;
        std::fs::write(
            &path,
            format!(
                r#"{{"type":"FeatureCollection","features":[
                {{"type":"Feature","id":"11.01.01.2001","properties":{{"n":"A"}},"geometry":{square}}},
                {{"type":"Feature","id":1101012002,"properties":{{"n":"B"}},"geometry":{square}}},
                {{"type":"Feature","id":"x","properties":{{"id":"11.01.01.2003","n":"C"}},"geometry":{square}}}]}}"#
            ),
        )
        .unwrap();
        let features = read_geojson(&path).unwrap();
        let ids: Vec<Option<&str>> = features
            .iter()
            .map(|f| f.props.get("id").map(String::as_str))
            .collect();
        assert_eq!(
            ids,
            vec![
                Some("11.01.01.2001"),
                Some("1101012002"),
                Some("11.01.01.2003")
            ]
        );
    }

    #[test]
    fn positions_keep_longitude_and_latitude_and_ignore_height() {
        let mp = parse(r#"{"type":"Polygon","coordinates":[[[106.1,-6.1,12.5],[106.2,-6.1,0],[106.2,-6.2,1],[106.1,-6.1,12.5]]]}"#).unwrap();
        let ring: Vec<(f64, f64)> = mp.0[0].exterior().0.iter().map(|c| (c.x, c.y)).collect();
        assert_eq!(
            ring,
            vec![(106.1, -6.1), (106.2, -6.1), (106.2, -6.2), (106.1, -6.1)]
        );
        let two = parse(r#"{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[[[5,5],[6,5],[6,6],[5,5]]]]}"#).unwrap();
        assert_eq!(two.0.len(), 2);
    }

    #[test]
    fn malformed_positions_and_other_kinds_are_explained() {
        assert!(
            parse(r#"{"type":"Polygon","coordinates":[[[0,0],[1],[1,1],[0,0]]]}"#)
                .unwrap_err()
                .contains("position without a number")
        );
        assert!(
            parse(r#"{"type":"Polygon","coordinates":[[[0,0],["a",0],[1,1],[0,0]]]}"#)
                .unwrap_err()
                .contains("not valid GeoJSON")
        );
        assert!(
            parse(r#"{"type":"Point","coordinates":[0,0]}"#)
                .unwrap_err()
                .contains("not Polygon or MultiPolygon")
        );
        assert!(
            parse(r#"{"type":"Polygon"}"#)
                .unwrap_err()
                .contains("coordinates")
        );
        assert!(
            parse(r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1]]]}"#)
                .unwrap_err()
                .contains("needs at least 4")
        );
    }
}
