//! GeoJSON layers for QGIS (RFC 7946): lon/lat, exterior rings counter-clockwise and holes
//! clockwise, coordinates rounded to `output.coordinate_precision` decimals (6 ≈ 0.1 m),
//! one feature per village in ascending `kode_desa`, properties in a fixed order with fixed
//! types (numbers rounded to stated decimals, `null` where a value is unknown or suppressed).

use crate::decimal::push_fixed;
use crate::digest::{FileDigest, Hashing};
use crate::privacy::Suppressed;
use crate::{Publication, PublishError, VillageResult, io_err};
use geo_types::{LineString, MultiPolygon};
use serde_json::{Value, json};
use std::io::{BufWriter, Write};
use std::path::Path;

/// The layers and their file names (a `.qml` of the same base name sits beside each).
pub const VILLAGES: &str = "villages";
pub const HOTSPOTS: &str = "hotspots";
pub const LISA: &str = "lisa";
pub const RECOMMENDED: &str = "recommended";
pub const DESA_BINAAN: &str = "desa_binaan";
pub const OFFICES: &str = "offices";

/// A number rounded to `d` decimals as the tables write it ([`crate::decimal::round_fixed`];
/// `None` for `None` or non-finite; never "-0").
pub fn round(x: Option<f64>, d: i32) -> Option<f64> {
    match x {
        Some(v) if v.is_finite() => {
            let r = if (0..10).contains(&d) {
                crate::decimal::round_fixed(v, d as usize)
            } else {
                let f = 10f64.powi(d);
                (v * f).round() / f
            };
            Some(if r == 0.0 { 0.0 } else { r })
        }
        _ => None,
    }
}

/// A number rounded to `d` decimals as JSON (null for `None` or non-finite).
pub fn num(x: Option<f64>, d: i32) -> Value {
    round(x, d).map(|r| json!(r)).unwrap_or(Value::Null)
}

/// Feature properties written straight to JSON text, in the order they are added. Values go
/// through serde_json, so escaping and number formatting are serde_json's.
pub struct Props {
    buf: Vec<u8>,
    first: bool,
}

impl Default for Props {
    fn default() -> Self {
        Props::new()
    }
}

impl Props {
    pub fn new() -> Props {
        let mut buf = Vec::with_capacity(1024);
        buf.push(b'{');
        Props { buf, first: true }
    }
    fn key(&mut self, k: &str) {
        if !self.first {
            self.buf.push(b',');
        }
        self.first = false;
        self.buf.push(b'"');
        self.buf.extend_from_slice(k.as_bytes());
        self.buf.extend_from_slice(b"\":");
    }
    fn write<T: serde::Serialize + ?Sized>(&mut self, v: &T) {
        serde_json::to_writer(&mut self.buf, v).expect("JSON value serialises");
    }
    pub fn finish(&mut self) -> String {
        self.buf.push(b'}');
        String::from_utf8(std::mem::take(&mut self.buf)).expect("serde_json writes UTF-8")
    }
}

/// Where a feature's properties go, in their fixed order and with their types: JSON text
/// for the GeoJSON layers ([`Props`]) or a typed row of the GeoPackage ([`crate::gpkg`]).
/// Each layer's properties are defined once, by a function over this trait.
pub trait Fields {
    fn str(&mut self, k: &str, v: &str) -> &mut Self;
    fn opt_str(&mut self, k: &str, v: Option<&str>) -> &mut Self;
    /// A calendar date (ISO 8601 text in JSON, a `DATE` column in the GeoPackage).
    fn date(&mut self, k: &str, v: Option<chrono::NaiveDate>) -> &mut Self;
    /// A number rounded to `d` decimals; `None` or non-finite is null.
    fn num(&mut self, k: &str, v: Option<f64>, d: i32) -> &mut Self;
    fn int(&mut self, k: &str, v: Option<u64>) -> &mut Self;
    fn bool(&mut self, k: &str, v: bool) -> &mut Self;
    /// A value already in JSON form (the extra variables' statistics: numbers or text).
    fn value(&mut self, k: &str, v: &Value) -> &mut Self;
}

impl Fields for Props {
    fn str(&mut self, k: &str, v: &str) -> &mut Self {
        self.key(k);
        self.write(v);
        self
    }
    fn opt_str(&mut self, k: &str, v: Option<&str>) -> &mut Self {
        self.key(k);
        match v {
            Some(s) => self.write(s),
            None => self.buf.extend_from_slice(b"null"),
        }
        self
    }
    fn date(&mut self, k: &str, v: Option<chrono::NaiveDate>) -> &mut Self {
        self.opt_str(k, v.map(|d| d.to_string()).as_deref())
    }
    fn num(&mut self, k: &str, v: Option<f64>, d: i32) -> &mut Self {
        self.key(k);
        match round(v, d) {
            Some(r) => self.write(&r),
            None => self.buf.extend_from_slice(b"null"),
        }
        self
    }
    fn int(&mut self, k: &str, v: Option<u64>) -> &mut Self {
        self.key(k);
        match v {
            Some(i) => self.write(&i),
            None => self.buf.extend_from_slice(b"null"),
        }
        self
    }
    fn bool(&mut self, k: &str, v: bool) -> &mut Self {
        self.key(k);
        self.write(&v);
        self
    }
    fn value(&mut self, k: &str, v: &Value) -> &mut Self {
        self.key(k);
        self.write(v);
        self
    }
}

fn signed_area2(ring: &LineString<f64>) -> f64 {
    ring.0
        .windows(2)
        .map(|w| w[0].x * w[1].y - w[1].x * w[0].y)
        .sum()
}

/// Writes a ring rounded, oriented (counter-clockwise when `ccw`), without repeated points
/// (unless dropping them would leave fewer than four).
fn ring_text(out: &mut String, ring: &LineString<f64>, ccw: bool, prec: usize) {
    let reverse = (signed_area2(ring) > 0.0) != ccw;
    let write_points = |out: &mut String, dedup: bool| -> usize {
        out.push('[');
        let mut written = 0;
        let mut last = 0..0;
        let mut point = |c: &geo_types::Coord<f64>| {
            let at = out.len();
            if written > 0 {
                out.push(',');
            }
            let p0 = out.len();
            out.push('[');
            push_fixed(out, c.x, prec);
            out.push(',');
            push_fixed(out, c.y, prec);
            out.push(']');
            if dedup && written > 0 && out[p0..] == out[last.clone()] {
                out.truncate(at);
                return;
            }
            last = p0..out.len();
            written += 1;
        };
        if reverse {
            ring.0.iter().rev().for_each(&mut point);
        } else {
            ring.0.iter().for_each(&mut point);
        }
        out.push(']');
        written
    };
    let start = out.len();
    if write_points(out, true) < 4 {
        out.truncate(start);
        write_points(out, false);
    }
}

/// A MultiPolygon as the layers write it, for formats that store numbers rather than text
/// (the GeoPackage): coordinates rounded to `prec` decimals, exterior rings counter-clockwise
/// and holes clockwise, repeated points dropped unless that would leave fewer than four.
pub fn rounded(mp: &MultiPolygon<f64>, prec: i32) -> MultiPolygon<f64> {
    let ring = |r: &LineString<f64>, ccw: bool| -> LineString<f64> {
        let reverse = (signed_area2(r) > 0.0) != ccw;
        let point = |c: &geo_types::Coord<f64>| geo_types::Coord {
            x: round(Some(c.x), prec).unwrap_or(c.x),
            y: round(Some(c.y), prec).unwrap_or(c.y),
        };
        let mut all: Vec<geo_types::Coord<f64>> = r.0.iter().map(point).collect();
        if reverse {
            all.reverse();
        }
        let mut kept = all.clone();
        kept.dedup();
        LineString(if kept.len() < 4 { all } else { kept })
    };
    MultiPolygon(
        mp.0.iter()
            .map(|p| {
                geo_types::Polygon::new(
                    ring(p.exterior(), true),
                    p.interiors().iter().map(|h| ring(h, false)).collect(),
                )
            })
            .collect(),
    )
}

/// A MultiPolygon as RFC 7946 GeoJSON text.
pub fn multipolygon_text(mp: &MultiPolygon<f64>, prec: usize) -> String {
    // Sized for the longest text a vertex can take, `[-180.dddddd,-90.dddddd],` (2 × (5 +
    // prec) + 4 bytes), plus the brackets of each ring: no growth, and little room left over
    // (the texts of a national run stay in memory until the layers are written).
    let rings = mp.0.iter().map(|p| 1 + p.interiors().len()).sum::<usize>();
    let vertices =
        mp.0.iter()
            .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
            .map(|r| r.0.len())
            .sum::<usize>();
    let mut s = String::with_capacity((2 * prec + 14) * vertices + 4 * rings + 48);
    s.push_str("{\"type\":\"MultiPolygon\",\"coordinates\":[");
    for (k, p) in mp.0.iter().enumerate() {
        if k > 0 {
            s.push(',');
        }
        s.push('[');
        ring_text(&mut s, p.exterior(), true, prec);
        for h in p.interiors() {
            s.push(',');
            ring_text(&mut s, h, false, prec);
        }
        s.push(']');
    }
    s.push_str("]}");
    s
}

/// Every village's geometry as RFC 7946 GeoJSON text with `prec` decimals, for
/// [`crate::Publication::geometry_json`]: written once, used by every layer.
pub fn geometry_texts(geometries: &[MultiPolygon<f64>], prec: usize) -> Vec<String> {
    use rayon::prelude::*;
    geometries
        .par_iter()
        .map(|g| multipolygon_text(g, prec))
        .collect()
}

/// Streams a FeatureCollection to `dir/name.geojson`.
pub struct LayerWriter {
    out: BufWriter<Hashing<std::fs::File>>,
    path: std::path::PathBuf,
    count: usize,
}

impl LayerWriter {
    pub fn create(dir: &Path, name: &str) -> Result<LayerWriter, PublishError> {
        let path = dir.join(format!("{name}.geojson"));
        let file = std::fs::File::create(&path).map_err(io_err(&path))?;
        let mut out = BufWriter::with_capacity(1 << 20, Hashing::new(file));
        writeln!(
            out,
            "{{\"type\":\"FeatureCollection\",\"name\":\"{name}\",\"features\":["
        )
        .map_err(io_err(&path))?;
        Ok(LayerWriter {
            out,
            path,
            count: 0,
        })
    }

    /// Writes one feature from its properties object and geometry object, both already JSON.
    pub fn feature(&mut self, props: &str, geometry: &str) -> Result<(), PublishError> {
        let sep: &[u8] = if self.count > 0 { b",\n" } else { b"" };
        for part in [
            sep,
            b"{\"type\":\"Feature\",\"properties\":",
            props.as_bytes(),
            b",\"geometry\":",
            geometry.as_bytes(),
            b"}",
        ] {
            self.out.write_all(part).map_err(io_err(&self.path))?;
        }
        self.count += 1;
        Ok(())
    }

    /// Ends the collection; returns the file's name and its digest (for the manifest).
    pub fn finish(mut self) -> Result<(String, FileDigest), PublishError> {
        write!(self.out, "\n]}}\n").map_err(io_err(&self.path))?;
        let hashing = self
            .out
            .into_inner()
            .map_err(|e| io_err(&self.path)(e.into_error()))?;
        let (mut file, digest) = hashing.finish();
        file.flush().map_err(io_err(&self.path))?;
        crate::output_file::start_writeback(&file);
        Ok((
            self.path
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned(),
            digest,
        ))
    }
}

fn identity<F: Fields>(m: &mut F, v: &VillageResult) {
    m.str("kode_desa", &v.kode_desa)
        .str("desa", &v.desa)
        .str("kecamatan", &v.kecamatan)
        .str("kabupaten", &v.kabupaten);
}

/// The dimensions beyond exposure and hazard that the run's indicators use (their scores
/// are properties only when the job brings them).
pub fn dims_beyond_builtin(
    set: &rawan_core::indicator::IndicatorSet,
) -> impl Iterator<Item = rawan_core::indicator::Dimension> + '_ {
    // Called once per village and table row: no allocation.
    rawan_core::indicator::Dimension::ALL[2..]
        .iter()
        .copied()
        .filter(|d| set.defs.iter().any(|i| i.dimension == *d))
}

/// All properties of the village layer as JSON text, in their fixed order.
pub fn village_properties(
    set: &rawan_core::indicator::IndicatorSet,
    v: &VillageResult,
    i: usize,
    sup: &Suppressed,
) -> String {
    let mut m = Props::new();
    village_fields(&mut m, set, v, i, sup);
    m.finish()
}

/// All properties of the village layer, in their fixed order.
pub fn village_fields<F: Fields>(
    m: &mut F,
    set: &rawan_core::indicator::IndicatorSet,
    v: &VillageResult,
    i: usize,
    sup: &Suppressed,
) {
    identity(m, v);
    m.opt_str("provinsi", v.provinsi.as_deref())
        .num("population", v.population, 0)
        .num("risk_score", v.risk_score, 3)
        .int("risk_rank", Some(v.risk_rank as u64))
        .int("rank_p05", Some(v.rank_p05 as u64))
        .int("rank_p95", Some(v.rank_p95 as u64))
        .num("p_top_n", Some(v.p_top_n), 3)
        .num("risk_trend", v.risk_trend, 3)
        .num("exposure", v.dimensions[0], 3)
        .num("hazard", v.dimensions[1], 3);
    for d in dims_beyond_builtin(set) {
        m.num(d.key(), v.dimensions[d.index()], 3);
    }
    for (k, ind) in set.defs.iter().enumerate() {
        m.num(&ind.key, v.indicators[k], ind.decimals as i32);
    }
    for (k, ind) in set.defs.iter().enumerate() {
        m.num(&ind.contribution_key, v.contributions[k], 3);
    }
    m.str("missing_indicators", &v.missing.join(","))
        .num("reliability", Some(v.reliability), 3)
        .int("data_age_years", Some(v.data_age_years as u64))
        .num("gi_z", v.gi_z, 3)
        .num("gi_p", v.gi_p, 4)
        .str("gi_class", v.gi_class.as_str())
        .num("lisa_i", v.lisa_i, 4)
        .num("lisa_z", v.lisa_z, 3)
        .num("lisa_p", v.lisa_p, 4)
        .str("lisa_cluster", v.lisa_cluster.as_str())
        .num("coverage", Some(v.coverage), 3)
        .num("coverage_gap", v.coverage_gap, 3)
        .bool("desa_binaan", v.desa_binaan)
        .date("designated_on", v.designated_on)
        .int("outreach_events", Some(v.outreach_events as u64))
        .date("last_outreach", v.last_outreach)
        .num("departures", Some(v.departures), 0)
        .num(
            "departures_nonprocedural",
            Some(v.departures_nonprocedural),
            0,
        )
        .int("cases", sup.cases.village[i].value())
        .int("victims", sup.victims.village[i].value())
        .bool(
            "counts_suppressed",
            sup.cases.village[i].value().is_none() || sup.victims.village[i].value().is_none(),
        )
        .int("recommended_rank", v.recommended_rank.map(u64::from))
        .opt_str("office", v.office.as_deref())
        .num("distance_km", v.distance_km, 1)
        .opt_str("reason", v.reason.as_deref())
        .int("neighbours", Some(v.neighbours as u64))
        .str("neighbour_source", v.neighbour_source);
    for (k, value) in &v.extra {
        m.value(k, value);
    }
}

/// The LISA layer's properties (every village).
pub fn lisa_fields<F: Fields>(m: &mut F, v: &VillageResult) {
    identity(m, v);
    m.str("lisa_cluster", v.lisa_cluster.as_str())
        .num("lisa_i", v.lisa_i, 4)
        .num("lisa_z", v.lisa_z, 3)
        .num("lisa_p", v.lisa_p, 4)
        .num("risk_score", v.risk_score, 3);
}

/// Whether a village is on the hot-spot layer (significant at 90 % or more, hot or cold).
pub fn in_hotspots(v: &VillageResult) -> bool {
    v.gi_class != rawan_core::GiClass::NotSignificant
}

/// The hot-spot layer's properties.
pub fn hotspot_fields<F: Fields>(m: &mut F, v: &VillageResult) {
    identity(m, v);
    m.str("gi_class", v.gi_class.as_str())
        .num("gi_z", v.gi_z, 3)
        .num("gi_p", v.gi_p, 4)
        .str("lisa_cluster", v.lisa_cluster.as_str())
        .num("risk_score", v.risk_score, 3)
        .int("risk_rank", Some(v.risk_rank as u64));
}

/// The desa binaan layer's properties (villages with `desa_binaan`).
pub fn binaan_fields<F: Fields>(m: &mut F, v: &VillageResult) {
    identity(m, v);
    m.date("designated_on", v.designated_on)
        .num("coverage", Some(v.coverage), 3)
        .int("outreach_events", Some(v.outreach_events as u64))
        .date("last_outreach", v.last_outreach)
        .num("risk_score", v.risk_score, 3)
        .int("risk_rank", Some(v.risk_rank as u64));
}

/// The recommended villages, in recommendation order.
pub fn recommended_order(villages: &[VillageResult]) -> Vec<usize> {
    let mut recommended: Vec<usize> = (0..villages.len())
        .filter(|&i| villages[i].recommended_rank.is_some())
        .collect();
    recommended.sort_by_key(|&i| villages[i].recommended_rank);
    recommended
}

/// The recommended layer's properties.
pub fn recommended_fields<F: Fields>(m: &mut F, v: &VillageResult) {
    m.int("recommended_rank", v.recommended_rank.map(u64::from));
    identity(m, v);
    m.opt_str("office", v.office.as_deref())
        .num("distance_km", v.distance_km, 1)
        .opt_str("reason", v.reason.as_deref())
        .num("risk_score", v.risk_score, 3)
        .int("risk_rank", Some(v.risk_rank as u64))
        .num("coverage", Some(v.coverage), 3)
        .num("coverage_gap", v.coverage_gap, 3)
        .str("gi_class", v.gi_class.as_str())
        .str("lisa_cluster", v.lisa_cluster.as_str());
}

/// The offices layer's properties.
pub fn office_fields<F: Fields>(m: &mut F, o: &crate::OfficeResult) {
    m.str("office", &o.office)
        .int("capacity", o.capacity.map(u64::from))
        .num("radius_km", o.radius_km, 1)
        .int("recommended", Some(o.recommended as u64));
}

fn json_of(f: impl FnOnce(&mut Props)) -> String {
    let mut m = Props::new();
    f(&mut m);
    m.finish()
}

/// Layer files written, each with the digest taken while writing it.
pub type Streamed = Vec<(String, FileDigest)>;

/// Writes every layer; returns each file's name and digest.
pub fn write_all(p: &Publication, sup: &Suppressed, dir: &Path) -> Result<Streamed, PublishError> {
    use rayon::prelude::*;
    let prec = p.job.output.coordinate_precision as usize;
    // Every village's properties (villages, lisa, and hotspots / desa binaan where they apply)
    // are built in parallel, a block of villages at a time, then appended with the village's
    // geometry text (`p.geometry_json`, written once) to the four layers side by side (the
    // copy into the files is most of the cost). A block at a time keeps the text in memory
    // small.
    struct Texts {
        village: String,
        lisa: String,
        hot: Option<String>,
        binaan: Option<String>,
    }
    let texts = |i: usize| -> Texts {
        let v = &p.villages[i];
        let lisa = json_of(|m| lisa_fields(m, v));
        let hot = in_hotspots(v).then(|| json_of(|m| hotspot_fields(m, v)));
        let binaan = v.desa_binaan.then(|| json_of(|m| binaan_fields(m, v)));
        Texts {
            village: village_properties(p.indicators, v, i, sup),
            lisa,
            hot,
            binaan,
        }
    };
    let (mut villages, mut lisa) = (
        LayerWriter::create(dir, VILLAGES)?,
        LayerWriter::create(dir, LISA)?,
    );
    let (mut hot, mut binaan) = (
        LayerWriter::create(dir, HOTSPOTS)?,
        LayerWriter::create(dir, DESA_BINAAN)?,
    );
    const BLOCK: usize = 4096;
    for start in (0..p.villages.len()).step_by(BLOCK) {
        let block: Vec<Texts> = (start..(start + BLOCK).min(p.villages.len()))
            .into_par_iter()
            .map(texts)
            .collect();
        let append = |layer: &mut LayerWriter,
                      pick: &(dyn Fn(&Texts) -> Option<&String> + Sync)|
         -> Result<(), PublishError> {
            for (k, t) in block.iter().enumerate() {
                if let Some(props) = pick(t) {
                    layer.feature(props, &p.geometry_json[start + k])?;
                }
            }
            Ok(())
        };
        let ((a, b), (c, d)) = rayon::join(
            || {
                rayon::join(
                    || append(&mut villages, &|t| Some(&t.village)),
                    || append(&mut lisa, &|t| Some(&t.lisa)),
                )
            },
            || {
                rayon::join(
                    || append(&mut hot, &|t| t.hot.as_ref()),
                    || append(&mut binaan, &|t| t.binaan.as_ref()),
                )
            },
        );
        a.and(b).and(c).and(d)?;
    }
    let mut files = vec![
        villages.finish()?,
        hot.finish()?,
        binaan.finish()?,
        lisa.finish()?,
    ];
    let mut w = LayerWriter::create(dir, RECOMMENDED)?;
    for i in recommended_order(p.villages) {
        let props = json_of(|m| recommended_fields(m, &p.villages[i]));
        w.feature(&props, &p.geometry_json[i])?;
    }
    files.push(w.finish()?);
    let mut w = LayerWriter::create(dir, OFFICES)?;
    for o in p.offices {
        let props = json_of(|m| office_fields(m, o));
        let g = format!(
            "{{\"type\":\"Point\",\"coordinates\":[{:.prec$},{:.prec$}]}}",
            o.lon, o.lat
        );
        w.feature(&props, &g)?;
    }
    files.push(w.finish()?);
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::polygon;

    #[test]
    fn rings_come_out_counter_clockwise_with_clockwise_holes() {
        // Clockwise exterior and counter-clockwise hole, as real files have them.
        let p = polygon!(
            exterior: [(x: 0.0, y: 0.0), (x: 0.0, y: 1.0), (x: 1.0, y: 1.0), (x: 1.0, y: 0.0), (x: 0.0, y: 0.0)],
            interiors: [[(x: 0.2, y: 0.2), (x: 0.4, y: 0.2), (x: 0.4, y: 0.4), (x: 0.2, y: 0.4), (x: 0.2, y: 0.2)]],
        );
        let t = multipolygon_text(&MultiPolygon::new(vec![p]), 1);
        assert_eq!(
            t,
            "{\"type\":\"MultiPolygon\",\"coordinates\":[[[[0.0,0.0],[1.0,0.0],[1.0,1.0],[0.0,1.0],[0.0,0.0]],[[0.2,0.2],[0.2,0.4],[0.4,0.4],[0.4,0.2],[0.2,0.2]]]]}"
        );
    }

    #[test]
    fn numbers_round_and_never_print_minus_zero() {
        assert_eq!(num(Some(1.23456), 2), json!(1.23));
        assert_eq!(num(Some(-0.0001), 2), json!(0.0));
        assert_eq!(num(None, 2), Value::Null);
        assert_eq!(num(Some(f64::NAN), 2), Value::Null);
    }
}
