//! `map.html`: one self-contained page that shows the run's map in any browser, from a file,
//! with no network — for the meeting room where nobody has QGIS. MapLibre GL JS (vendored in
//! `vendor/maplibre-gl`, BSD-3-Clause, at a pinned version) draws the villages coloured by
//! the map chart's risk classes over kabupaten/kota outlines, with hot spots, LISA clusters,
//! desa binaan, recommended villages and offices to switch on and off, a search box and a
//! popup per village.
//!
//! The villages go in as a [`topology`]: snapped to a grid of [`QUANTUM`] degrees, cut into
//! arcs shared by neighbours, each simplified once (tolerance [`TOLERANCE`]), delta-encoded.
//! The page rebuilds GeoJSON from it. Only what the page shows is kept, and every count goes
//! through the same suppression as every other output (`(s)`).
//!
//! Not a tile server and not a GIS: the layers and the QGIS project remain the analyst's
//! tools; this page is for looking.

pub mod topology;

use crate::i18n::{GI_CLASSES, LISA_CLASSES, RISK_CLASSES, t};
use crate::layers::round;
use crate::privacy::Suppressed;
use crate::{Publication, PublishError, io_err};
use rustc_hash::FxHashMap;
use serde_json::json;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;
use topology::Topology;

/// The page's file name.
pub const FILE: &str = "map.html";

/// The grid the page's coordinates are snapped to, in degrees (about 1.1 m).
pub const QUANTUM: f64 = 1e-5;

/// The Douglas–Peucker tolerance of the page's borders, in degrees (about 5.5 m: below a
/// pixel until street level).
pub const TOLERANCE: f64 = 5e-5;

/// The pinned MapLibre GL JS version (its licence is in the same folder).
pub const MAPLIBRE_VERSION: &str = "5.24.1";
const MAPLIBRE_JS: &str = include_str!("../vendor/maplibre-gl/maplibre-gl.js");
const MAPLIBRE_CSS: &str = include_str!("../vendor/maplibre-gl/maplibre-gl.css");
const MAPLIBRE_LICENSE: &str = include_str!("../vendor/maplibre-gl/LICENSE.txt");
const PAGE: &str = include_str!("web_map/page.html");
const APP: &str = include_str!("web_map/page.js");

/// Contributions listed in a village's popup.
const TOP_CONTRIBUTIONS: usize = 3;

/// Writes `map.html` into `dir`.
pub fn write(p: &Publication, sup: &Suppressed, dir: &Path) -> Result<Vec<String>, PublishError> {
    let data = page_data(p, sup);
    let title = format!(
        "{} · {}",
        t(p.lang, "web_title"),
        p.job.as_of.format("%Y-%m-%d")
    );
    let license = MAPLIBRE_LICENSE.replace("*/", "* /");
    let path = dir.join(FILE);
    let mut file = crate::output_file::OutputFile::create(&path).map_err(io_err(&path))?;
    // The template's markers, in the order they appear; the pieces go straight to the file.
    let mut rest = PAGE;
    for (marker, value) in [
        ("{{LANG}}", p.lang.code()),
        ("{{TITLE}}", html_escape(&title).as_str()),
        ("{{MAPLIBRE_CSS}}", MAPLIBRE_CSS),
        ("{{MAPLIBRE_LICENSE}}", license.as_str()),
        ("{{MAPLIBRE_JS}}", MAPLIBRE_JS),
        ("{{DATA}}", data.as_str()),
        ("{{APP}}", APP),
    ] {
        let at = rest
            .find(marker)
            .unwrap_or_else(|| panic!("the page template has {marker}"));
        file.write_all(&rest.as_bytes()[..at])
            .map_err(io_err(&path))?;
        file.write_all(value.as_bytes()).map_err(io_err(&path))?;
        rest = &rest[at + marker.len()..];
    }
    file.write_all(rest.as_bytes()).map_err(io_err(&path))?;
    file.finish().map_err(io_err(&path))?;
    Ok(vec![FILE.to_string()])
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A JSON string, safe inside a `<script>` element (no `</` can close it).
fn push_str(out: &mut String, s: &str) {
    if s.bytes()
        .all(|b| b >= 0x20 && b != b'"' && b != b'\\' && b != b'<')
    {
        out.push('"');
        out.push_str(s);
        out.push('"');
    } else {
        let json = serde_json::to_string(s).expect("a string serialises");
        out.push_str(&json.replace("</", "<\\/"));
    }
}

/// A number with at most `d` decimals, as the layers round it (`null` for none).
fn push_num(out: &mut String, v: Option<f64>, d: i32) {
    match round(v, d) {
        Some(x) if x.fract() == 0.0 && x.abs() < 1e15 => {
            out.push_str(itoa::Buffer::new().format(x as i64));
        }
        Some(x) => crate::decimal::push_fixed(out, x, d as usize),
        None => out.push_str("null"),
    }
}

/// `items` as JSON array elements written side by side, a block at a time, in order.
fn par_join<T: Sync>(items: &[T], each: impl Fn(&mut String, &T) + Sync) -> String {
    use rayon::prelude::*;
    let blocks: Vec<String> = items
        .par_chunks(2048)
        .map(|block| {
            let mut out = String::with_capacity(64 * block.len());
            for (k, item) in block.iter().enumerate() {
                if k > 0 {
                    out.push(',');
                }
                each(&mut out, item);
            }
            out
        })
        .collect();
    let mut out = String::with_capacity(blocks.iter().map(|b| b.len() + 1).sum());
    for (k, b) in blocks.iter().enumerate() {
        if k > 0 && !b.is_empty() {
            out.push(',');
        }
        out.push_str(b);
    }
    out
}

fn push_opt_str(out: &mut String, v: Option<&str>) {
    match v {
        Some(s) => push_str(out, s),
        None => out.push_str("null"),
    }
}

/// Index of `s` in `table`, added when new.
fn intern<'a>(
    table: &mut Vec<&'a str>,
    index: &mut FxHashMap<&'a str, usize>,
    s: &'a str,
) -> usize {
    *index.entry(s).or_insert_with(|| {
        table.push(s);
        table.len() - 1
    })
}

/// The risk class of a score as the map chart draws it (`None`: no score).
pub fn risk_class(score: Option<f64>) -> Option<usize> {
    let v = score?;
    Some(
        RISK_CLASSES
            .iter()
            .position(|(lo, hi, _, _)| v >= *lo && v < *hi)
            .unwrap_or(RISK_CLASSES.len() - 1),
    )
}

/// The JSON the page reads (see `page.js` for its shape).
fn page_data(p: &Publication, sup: &Suppressed) -> String {
    let (groups, area_names) = areas(p);
    let mut topo = Topology::build(p.geometries, &groups, QUANTUM);
    topo.simplify(TOLERANCE);

    let mut out = String::with_capacity(256 * p.villages.len() + 4096);
    let head = head_json(p);
    // The object stays open for the parts that follow.
    out.push_str(&head[..head.len() - 1]);

    push_geometry(&mut out, &topo);
    push_area_labels(&mut out, p, &groups, &area_names);
    push_offices(&mut out, p);
    push_villages(&mut out, p, sup);
    out.push_str("]}");
    out
}

/// Each village's area for outlines and labels (kecamatan when the run is one kabupaten,
/// as the map chart does), as an index into the area names.
fn areas(p: &Publication) -> (Vec<u32>, Vec<String>) {
    let one_kabupaten = p
        .villages
        .windows(2)
        .all(|w| w[0].kabupaten == w[1].kabupaten);
    let area_of = |v: &crate::VillageResult| -> String {
        if one_kabupaten {
            v.kecamatan.clone()
        } else {
            crate::charts::admin::short_name(&v.kabupaten)
        }
    };
    let mut area_ids: FxHashMap<String, u32> = FxHashMap::default();
    let mut area_names: Vec<String> = Vec::new();
    let groups: Vec<u32> = p
        .villages
        .iter()
        .map(|v| {
            let name = area_of(v);
            let next = area_names.len() as u32;
            *area_ids.entry(name.clone()).or_insert_with(|| {
                area_names.push(name);
                next
            })
        })
        .collect();
    (groups, area_names)
}

/// Labels, classes and colours (the one translation table and the charts' classes), and
/// what the footer says, as one JSON object.
fn head_json(p: &Publication) -> String {
    let lang = p.lang;
    let colour = |(r, g, b): (u8, u8, u8)| format!("#{r:02x}{g:02x}{b:02x}");
    let labels: serde_json::Map<String, serde_json::Value> = [
        "web_title",
        "web_search",
        "web_no_match",
        "web_layers",
        "web_help",
        "web_risk",
        "web_rank",
        "web_top_contributions",
        "web_coverage",
        "web_designated",
        "web_recommendation",
        "web_recommended_as",
        "web_not_recommended",
        "web_counts",
        "web_departures",
        "web_nonprocedural",
        "web_cases",
        "web_victims",
        "web_suppressed",
        "web_hot_spot",
        "web_cluster",
        "web_capacity",
        "web_no_webgl",
        "risk_score",
        "no_data",
        "desa_binaan",
        "recommended",
        "offices",
        "hotspots",
        "lisa",
        "villages",
        "synthetic_short",
        "source",
        "as_of",
        "villages_count",
    ]
    .iter()
    .map(|key| (key.to_string(), json!(t(lang, key))))
    .collect();
    json!({
        "lang": lang.code(),
        "labels": labels,
        "risk_classes": RISK_CLASSES
            .iter()
            .map(|(lo, hi, key, c)| json!([lo, hi, t(lang, key), colour(*c)]))
            .collect::<Vec<_>>(),
        "gi_classes": GI_CLASSES
            .iter()
            .map(|(class, c)| json!([class.as_str(), t(lang, class.as_str()), colour(*c)]))
            .collect::<Vec<_>>(),
        "lisa_classes": LISA_CLASSES
            .iter()
            .map(|(class, c)| json!([class.as_str(), t(lang, class.as_str()), colour(*c)]))
            .collect::<Vec<_>>(),
        "as_of": p.job.as_of.to_string(),
        "version": env!("CARGO_PKG_VERSION"),
        "synthetic": p.job.synthetic,
        "restricted": p.restricted,
        "villages_total": p.villages.len(),
        "maplibre": MAPLIBRE_VERSION,
    })
    .to_string()
    .replace("</", "<\\/")
}

/// The grid, the arcs (delta-encoded) and each village's rings, and the outlines.
fn push_geometry(out: &mut String, topo: &Topology) {
    let _ = write!(
        out,
        ",\"origin\":[{},{}],\"quantum\":{}",
        topo.origin.0, topo.origin.1, topo.quantum
    );
    // Arcs delta-encoded, each village's rings, the outlines; formatted side by side.
    let (arcs, rings) = rayon::join(
        || {
            par_join(&topo.arcs, |out, arc| {
                let mut ints = itoa::Buffer::new();
                out.push('[');
                let mut prev = (0i64, 0i64);
                for (j, &(x, y)) in arc.iter().enumerate() {
                    if j > 0 {
                        out.push(',');
                    }
                    out.push_str(ints.format(x - prev.0));
                    out.push(',');
                    out.push_str(ints.format(y - prev.1));
                    prev = (x, y);
                }
                out.push(']');
            })
        },
        || {
            par_join(&topo.features, |out, polygons| {
                let mut ints = itoa::Buffer::new();
                out.push('[');
                for (a, rings) in polygons.iter().enumerate() {
                    if a > 0 {
                        out.push(',');
                    }
                    out.push('[');
                    for (b, ring) in rings.iter().enumerate() {
                        if b > 0 {
                            out.push(',');
                        }
                        out.push('[');
                        for (c, r) in ring.iter().enumerate() {
                            if c > 0 {
                                out.push(',');
                            }
                            out.push_str(ints.format(*r));
                        }
                        out.push(']');
                    }
                    out.push(']');
                }
                out.push(']');
            })
        },
    );
    let mut ints = itoa::Buffer::new();
    out.push_str(",\"arcs\":[");
    out.push_str(&arcs);
    drop(arcs);
    out.push_str("],\"rings\":[");
    out.push_str(&rings);
    drop(rings);
    out.push_str("],\"borders\":[");
    for (k, b) in topo.borders.iter().enumerate() {
        if k > 0 {
            out.push(',');
        }
        out.push_str(ints.format(*b));
    }
    out.push(']');
}

/// Area labels: at the village nearest the mean of the area's village points (a point inside
/// the area, cheaply, at any scale), with the area's village count (larger areas first).
fn push_area_labels(out: &mut String, p: &Publication, groups: &[u32], area_names: &[String]) {
    let mut sums = vec![(0.0f64, 0.0f64, 0usize); area_names.len()];
    for (v, &g) in p.villages.iter().zip(groups) {
        let s = &mut sums[g as usize];
        s.0 += v.point.0;
        s.1 += v.point.1;
        s.2 += 1;
    }
    let mut label_at = vec![(f64::INFINITY, (0.0, 0.0)); area_names.len()];
    for (v, &g) in p.villages.iter().zip(groups) {
        let (sx, sy, n) = sums[g as usize];
        let (mx, my) = (sx / n as f64, sy / n as f64);
        let d = (v.point.0 - mx).powi(2) + (v.point.1 - my).powi(2);
        if d < label_at[g as usize].0 {
            label_at[g as usize] = (d, v.point);
        }
    }
    out.push_str(",\"areas\":[");
    for (k, (name, (_, (x, y)))) in area_names.iter().zip(&label_at).enumerate() {
        if k > 0 {
            out.push(',');
        }
        out.push('[');
        push_str(out, name);
        let _ = write!(out, ",{:.5},{:.5},{}]", x, y, sums[k].2);
    }
    out.push(']');
}

fn push_offices(out: &mut String, p: &Publication) {
    let mut ints = itoa::Buffer::new();
    out.push_str(",\"offices\":[");
    for (k, o) in p.offices.iter().enumerate() {
        if k > 0 {
            out.push(',');
        }
        out.push('[');
        push_str(out, &o.office);
        let _ = write!(out, ",{:.5},{:.5},", o.lon, o.lat);
        match o.capacity {
            Some(c) => out.push_str(ints.format(c)),
            None => out.push_str("null"),
        }
        out.push(',');
        out.push_str(ints.format(o.recommended));
        out.push(']');
    }
    out.push(']');
}

/// Villages: what the popup, the search and the styles need, names interned.
fn push_villages(out: &mut String, p: &Publication, sup: &Suppressed) {
    let lang = p.lang;
    let mut names: Vec<&str> = Vec::new();
    let mut name_index: FxHashMap<&str, usize> = FxHashMap::default();
    let places: Vec<(usize, usize)> = p
        .villages
        .iter()
        .map(|v| {
            (
                intern(&mut names, &mut name_index, &v.kecamatan),
                intern(&mut names, &mut name_index, &v.kabupaten),
            )
        })
        .collect();
    out.push_str(",\"indicators\":[");
    for (k, d) in p.indicators.defs.iter().enumerate() {
        if k > 0 {
            out.push(',');
        }
        push_str(out, d.label(lang));
    }
    out.push_str("],\"villages\":[");
    let rows: Vec<usize> = (0..p.villages.len()).collect();
    let class_of = |table: &[&str], key: &str| table.iter().position(|k| *k == key).unwrap_or(0);
    let gi_keys: Vec<&str> = GI_CLASSES.iter().map(|(c, _)| c.as_str()).collect();
    let lisa_keys: Vec<&str> = LISA_CLASSES.iter().map(|(c, _)| c.as_str()).collect();
    out.push_str(&par_join(&rows, |out, &i| {
        let v = &p.villages[i];
        let mut ints = itoa::Buffer::new();
        out.push('[');
        push_str(out, &v.kode_desa);
        out.push(',');
        push_str(out, &v.desa);
        out.push(',');
        out.push_str(ints.format(places[i].0));
        out.push(',');
        out.push_str(ints.format(places[i].1));
        out.push(',');
        push_num(out, v.risk_score, 3);
        out.push(',');
        match risk_class(v.risk_score) {
            Some(c) => out.push_str(ints.format(c)),
            None => out.push_str("-1"),
        }
        for r in [v.risk_rank, v.rank_p05, v.rank_p95] {
            out.push(',');
            out.push_str(ints.format(r));
        }
        out.push(',');
        out.push_str(ints.format(class_of(&gi_keys, v.gi_class.as_str())));
        out.push(',');
        out.push_str(ints.format(class_of(&lisa_keys, v.lisa_cluster.as_str())));
        out.push(',');
        out.push_str(if v.desa_binaan { "1" } else { "0" });
        out.push(',');
        push_opt_str(out, v.designated_on.map(|d| d.to_string()).as_deref());
        out.push(',');
        push_num(out, Some(v.coverage), 2);
        out.push(',');
        match v.recommended_rank {
            Some(r) => out.push_str(ints.format(r)),
            None => out.push_str("null"),
        }
        out.push(',');
        push_opt_str(out, v.office.as_deref());
        out.push(',');
        push_num(out, v.distance_km, 1);
        out.push(',');
        push_opt_str(out, v.reason.as_deref());
        out.push(',');
        push_num(out, Some(v.departures), 0);
        out.push(',');
        push_num(out, Some(v.departures_nonprocedural), 0);
        out.push(',');
        // Counts exactly as every published output shows them: the value, or suppressed.
        for count in [sup.cases.village[i], sup.victims.village[i]] {
            match count.value() {
                Some(c) => out.push_str(ints.format(c)),
                None => out.push_str("\"(s)\""),
            }
            out.push(',');
        }
        // The largest contributions, largest first (ties in the run's indicator order), as
        // indicator, points, indicator, points…
        let mut order = [(0.0f64, 0usize); TOP_CONTRIBUTIONS];
        let mut m = 0;
        for (k, c) in v.contributions.iter().enumerate() {
            let Some(c) = c.filter(|c| *c > 0.0) else {
                continue;
            };
            let at = order[..m].iter().position(|o| c > o.0).unwrap_or(m);
            if at < TOP_CONTRIBUTIONS {
                order.copy_within(at..TOP_CONTRIBUTIONS - 1, at + 1);
                order[at] = (c, k);
                m = (m + 1).min(TOP_CONTRIBUTIONS);
            }
        }
        out.push('[');
        for (k, &(c, j)) in order[..m].iter().enumerate() {
            if k > 0 {
                out.push(',');
            }
            out.push_str(ints.format(j));
            out.push(',');
            push_num(out, Some(c), 2);
        }
        out.push_str("],");
        crate::decimal::push_fixed(out, v.point.0, 5);
        out.push(',');
        crate::decimal::push_fixed(out, v.point.1, 5);
        out.push(']');
    }));
    out.push_str("],\"names\":[");
    for (k, n) in names.iter().enumerate() {
        if k > 0 {
            out.push(',');
        }
        push_str(out, n);
    }
}
