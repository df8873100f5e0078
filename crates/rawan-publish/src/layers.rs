//! GeoJSON layers for QGIS (RFC 7946): lon/lat, exterior rings counter-clockwise and holes
//! clockwise, coordinates rounded to `output.coordinate_precision` decimals (6 ≈ 0.1 m),
//! one feature per village in ascending `kode_desa`, properties in a fixed order with fixed
//! types (numbers rounded to stated decimals, `null` where a value is unknown or suppressed).

use crate::privacy::Suppressed;
use crate::{Publication, PublishError, VillageResult, io_err};
use geo_types::{LineString, MultiPolygon};
use serde_json::{Map, Value, json};
use std::io::{BufWriter, Write};
use std::path::Path;

/// The layers and their file names (a `.qml` of the same base name sits beside each).
pub const VILLAGES: &str = "villages";
pub const HOTSPOTS: &str = "hotspots";
pub const LISA: &str = "lisa";
pub const RECOMMENDED: &str = "recommended";
pub const DESA_BINAAN: &str = "desa_binaan";
pub const OFFICES: &str = "offices";

/// A number rounded to `d` decimals (JSON null for `None` or non-finite).
pub fn num(x: Option<f64>, d: i32) -> Value {
    match x {
        Some(v) if v.is_finite() => {
            let f = 10f64.powi(d);
            let r = (v * f).round() / f;
            // Avoid "-0".
            json!(if r == 0.0 { 0.0 } else { r })
        }
        _ => Value::Null,
    }
}

fn signed_area2(ring: &LineString<f64>) -> f64 {
    ring.0.windows(2).map(|w| w[0].x * w[1].y - w[1].x * w[0].y).sum()
}

/// Writes a ring rounded, oriented (counter-clockwise when `ccw`), without repeated points.
fn ring_text(out: &mut String, ring: &LineString<f64>, ccw: bool, prec: usize) {
    use std::fmt::Write as _;
    let reverse = (signed_area2(ring) > 0.0) != ccw;
    let pts: Vec<String> = {
        let it: Box<dyn Iterator<Item = _>> = if reverse { Box::new(ring.0.iter().rev()) } else { Box::new(ring.0.iter()) };
        it.map(|c| format!("[{:.prec$},{:.prec$}]", c.x, c.y)).collect()
    };
    let mut dedup: Vec<&String> = Vec::with_capacity(pts.len());
    for p in &pts {
        if dedup.last() != Some(&p) {
            dedup.push(p);
        }
    }
    let use_pts: Vec<&String> = if dedup.len() >= 4 { dedup } else { pts.iter().collect() };
    out.push('[');
    for (k, p) in use_pts.iter().enumerate() {
        if k > 0 {
            out.push(',');
        }
        let _ = write!(out, "{p}");
    }
    out.push(']');
}

/// A MultiPolygon as RFC 7946 GeoJSON text.
pub fn multipolygon_text(mp: &MultiPolygon<f64>, prec: usize) -> String {
    let mut s = String::with_capacity(64 * mp.0.iter().map(|p| p.exterior().0.len()).sum::<usize>() + 64);
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

/// Streams a FeatureCollection to `dir/name.geojson`.
pub struct LayerWriter {
    out: BufWriter<std::fs::File>,
    path: std::path::PathBuf,
    count: usize,
}

impl LayerWriter {
    pub fn create(dir: &Path, name: &str) -> Result<LayerWriter, PublishError> {
        let path = dir.join(format!("{name}.geojson"));
        let file = std::fs::File::create(&path).map_err(io_err(&path))?;
        let mut out = BufWriter::with_capacity(1 << 20, file);
        write!(out, "{{\"type\":\"FeatureCollection\",\"name\":\"{name}\",\"features\":[\n").map_err(io_err(&path))?;
        Ok(LayerWriter { out, path, count: 0 })
    }

    /// Writes a feature already serialised by [`feature_text`].
    pub fn raw_feature(&mut self, text: &str) -> Result<(), PublishError> {
        let sep = if self.count > 0 { ",\n" } else { "" };
        write!(self.out, "{sep}{text}").map_err(io_err(&self.path))?;
        self.count += 1;
        Ok(())
    }

    pub fn feature(&mut self, props: &Map<String, Value>, geometry: &str) -> Result<(), PublishError> {
        let sep = if self.count > 0 { ",\n" } else { "" };
        let props = serde_json::to_string(props).expect("properties serialise");
        write!(self.out, "{sep}{{\"type\":\"Feature\",\"properties\":{props},\"geometry\":{geometry}}}").map_err(io_err(&self.path))?;
        self.count += 1;
        Ok(())
    }

    pub fn finish(mut self) -> Result<String, PublishError> {
        write!(self.out, "\n]}}\n").map_err(io_err(&self.path))?;
        self.out.flush().map_err(io_err(&self.path))?;
        Ok(self.path.file_name().unwrap().to_string_lossy().into_owned())
    }
}

/// One feature's GeoJSON text.
pub fn feature_text(props: &Map<String, Value>, geometry: &str) -> String {
    format!("{{\"type\":\"Feature\",\"properties\":{},\"geometry\":{geometry}}}", serde_json::to_string(props).expect("properties serialise"))
}

fn date(d: Option<chrono::NaiveDate>) -> Value {
    d.map(|d| json!(d.to_string())).unwrap_or(Value::Null)
}

fn text(s: &Option<String>) -> Value {
    s.as_ref().map(|s| json!(s)).unwrap_or(Value::Null)
}

fn count(v: Option<u64>) -> Value {
    v.map(|v| json!(v)).unwrap_or(Value::Null)
}

fn identity(v: &VillageResult) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("kode_desa".into(), json!(v.kode_desa));
    m.insert("desa".into(), json!(v.desa));
    m.insert("kecamatan".into(), json!(v.kecamatan));
    m.insert("kabupaten".into(), json!(v.kabupaten));
    m
}

/// All properties of the village layer, in their fixed order.
pub fn village_properties(v: &VillageResult, i: usize, sup: &Suppressed) -> Map<String, Value> {
    let mut m = identity(v);
    m.insert("provinsi".into(), text(&v.provinsi));
    m.insert("population".into(), num(v.population, 0));
    m.insert("risk_score".into(), num(v.risk_score, 3));
    m.insert("risk_rank".into(), json!(v.risk_rank));
    m.insert("rank_p05".into(), json!(v.rank_p05));
    m.insert("rank_p95".into(), json!(v.rank_p95));
    m.insert("p_top_n".into(), num(Some(v.p_top_n), 3));
    m.insert("exposure".into(), num(v.exposure, 3));
    m.insert("hazard".into(), num(v.hazard, 3));
    let decimals = [2, 3, 3, 2, 2];
    for (k, key) in ["departure_rate", "nonprocedural_share", "departure_trend", "victim_rate", "victim_spillover"].iter().enumerate() {
        m.insert((*key).into(), num(v.indicators[k], decimals[k]));
    }
    for (k, key) in ["c_departure_rate", "c_nonprocedural_share", "c_departure_trend", "c_victim_rate", "c_victim_spillover"].iter().enumerate() {
        m.insert((*key).into(), num(v.contributions[k], 3));
    }
    m.insert("missing_indicators".into(), json!(v.missing.join(",")));
    m.insert("gi_z".into(), num(v.gi_z, 3));
    m.insert("gi_p".into(), num(v.gi_p, 4));
    m.insert("gi_class".into(), json!(v.gi_class));
    m.insert("lisa_i".into(), num(v.lisa_i, 4));
    m.insert("lisa_z".into(), num(v.lisa_z, 3));
    m.insert("lisa_p".into(), num(v.lisa_p, 4));
    m.insert("lisa_cluster".into(), json!(v.lisa_cluster));
    m.insert("coverage".into(), num(Some(v.coverage), 3));
    m.insert("coverage_gap".into(), num(v.coverage_gap, 3));
    m.insert("desa_binaan".into(), json!(v.desa_binaan));
    m.insert("designated_on".into(), date(v.designated_on));
    m.insert("outreach_events".into(), json!(v.outreach_events));
    m.insert("last_outreach".into(), date(v.last_outreach));
    m.insert("departures".into(), num(Some(v.departures), 0));
    m.insert("departures_nonprocedural".into(), num(Some(v.departures_nonprocedural), 0));
    m.insert("cases".into(), count(sup.cases.village[i]));
    m.insert("victims".into(), count(sup.victims.village[i]));
    m.insert("counts_suppressed".into(), json!(sup.cases.village[i].is_none() || sup.victims.village[i].is_none()));
    m.insert("recommended_rank".into(), v.recommended_rank.map(|r| json!(r)).unwrap_or(Value::Null));
    m.insert("office".into(), text(&v.office));
    m.insert("distance_km".into(), num(v.distance_km, 1));
    m.insert("reason".into(), text(&v.reason));
    m.insert("neighbours".into(), json!(v.neighbours));
    m.insert("neighbour_source".into(), json!(v.neighbour_source));
    for (k, value) in &v.extra {
        m.insert(k.clone(), value.clone());
    }
    m
}

pub fn write_all(p: &Publication, sup: &Suppressed, dir: &Path) -> Result<Vec<String>, PublishError> {
    let prec = p.job.output.coordinate_precision as usize;
    let geoms: Vec<String> = {
        use rayon::prelude::*;
        p.geometries.par_iter().map(|g| multipolygon_text(g, prec)).collect()
    };
    let mut files = Vec::new();
    // Feature text is built in parallel (in village order), then written in order.
    let (village_text, lisa_text): (Vec<String>, Vec<String>) = {
        use rayon::prelude::*;
        p.villages
            .par_iter()
            .enumerate()
            .map(|(i, v)| {
                let mut m = identity(v);
                m.insert("lisa_cluster".into(), json!(v.lisa_cluster));
                m.insert("lisa_i".into(), num(v.lisa_i, 4));
                m.insert("lisa_z".into(), num(v.lisa_z, 3));
                m.insert("lisa_p".into(), num(v.lisa_p, 4));
                m.insert("risk_score".into(), num(v.risk_score, 3));
                (feature_text(&village_properties(v, i, sup), &geoms[i]), feature_text(&m, &geoms[i]))
            })
            .unzip()
    };
    let mut villages = LayerWriter::create(dir, VILLAGES)?;
    let mut hot = LayerWriter::create(dir, HOTSPOTS)?;
    let mut binaan = LayerWriter::create(dir, DESA_BINAAN)?;
    let mut lisa = LayerWriter::create(dir, LISA)?;
    for (i, v) in p.villages.iter().enumerate() {
        villages.raw_feature(&village_text[i])?;
        lisa.raw_feature(&lisa_text[i])?;
        if v.gi_class != "ns" {
            let mut m = identity(v);
            m.insert("gi_class".into(), json!(v.gi_class));
            m.insert("gi_z".into(), num(v.gi_z, 3));
            m.insert("gi_p".into(), num(v.gi_p, 4));
            m.insert("lisa_cluster".into(), json!(v.lisa_cluster));
            m.insert("risk_score".into(), num(v.risk_score, 3));
            m.insert("risk_rank".into(), json!(v.risk_rank));
            hot.feature(&m, &geoms[i])?;
        }
        if v.desa_binaan {
            let mut m = identity(v);
            m.insert("designated_on".into(), date(v.designated_on));
            m.insert("coverage".into(), num(Some(v.coverage), 3));
            m.insert("outreach_events".into(), json!(v.outreach_events));
            m.insert("last_outreach".into(), date(v.last_outreach));
            m.insert("risk_score".into(), num(v.risk_score, 3));
            m.insert("risk_rank".into(), json!(v.risk_rank));
            binaan.feature(&m, &geoms[i])?;
        }
    }
    files.push(villages.finish()?);
    files.push(hot.finish()?);
    files.push(binaan.finish()?);
    files.push(lisa.finish()?);
    // Recommendations in recommendation order.
    let mut rec: Vec<usize> = (0..p.villages.len()).filter(|&i| p.villages[i].recommended_rank.is_some()).collect();
    rec.sort_by_key(|&i| p.villages[i].recommended_rank);
    let mut w = LayerWriter::create(dir, RECOMMENDED)?;
    for i in rec {
        let v = &p.villages[i];
        let mut m = Map::new();
        m.insert("recommended_rank".into(), json!(v.recommended_rank));
        m.extend(identity(v));
        m.insert("office".into(), text(&v.office));
        m.insert("distance_km".into(), num(v.distance_km, 1));
        m.insert("reason".into(), text(&v.reason));
        m.insert("risk_score".into(), num(v.risk_score, 3));
        m.insert("risk_rank".into(), json!(v.risk_rank));
        m.insert("coverage".into(), num(Some(v.coverage), 3));
        m.insert("coverage_gap".into(), num(v.coverage_gap, 3));
        m.insert("gi_class".into(), json!(v.gi_class));
        m.insert("lisa_cluster".into(), json!(v.lisa_cluster));
        w.feature(&m, &geoms[i])?;
    }
    files.push(w.finish()?);
    let mut w = LayerWriter::create(dir, OFFICES)?;
    for o in p.offices {
        let mut m = Map::new();
        m.insert("office".into(), json!(o.office));
        m.insert("capacity".into(), o.capacity.map(|c| json!(c)).unwrap_or(Value::Null));
        m.insert("radius_km".into(), num(o.radius_km, 1));
        m.insert("recommended".into(), json!(o.recommended));
        let g = format!("{{\"type\":\"Point\",\"coordinates\":[{:.prec$},{:.prec$}]}}", o.lon, o.lat);
        w.feature(&m, &g)?;
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
