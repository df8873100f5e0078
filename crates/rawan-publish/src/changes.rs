//! What `rawan compare` writes: `changes.csv`, the `changes.geojson` layer with its QGIS
//! style and its GeoPackage twin `changes.gpkg` (the style stored inside), the
//! `changes_movers` chart and a short report (`changes.md`, `changes.html`).
//! The manifest is written by the caller, last, over these files.

use crate::gpkg::{Column, PlainLayer};
use crate::i18n::t;
use crate::{PublishError, write_file};
use rawan_compare::{Comparison, Movement, Side, VillageChange};
use rawan_core::i18n::fill;
use rawan_core::settings::Lang;
use serde_json::{Map, Value, json};
use std::fmt::Write as _;
use std::path::Path;

/// The columns of `changes.csv` and the properties of `changes.geojson`, in order (the first
/// eight of the data contract's are among them), each with its type in `changes.gpkg`.
pub const COLUMNS: [(&str, Column); 24] = {
    use Column::*;
    [
        ("kode_desa", Text),
        ("desa", Text),
        ("kecamatan", Text),
        ("kabupaten", Text),
        ("movement", Text),
        ("risk_rank_before", Integer),
        ("risk_rank_after", Integer),
        ("rank_change", Integer),
        ("rank_p05_before", Integer),
        ("rank_p95_before", Integer),
        ("rank_p05_after", Integer),
        ("rank_p95_after", Integer),
        ("rank_change_beyond_intervals", Boolean),
        ("risk_score_before", Real),
        ("risk_score_after", Real),
        ("score_change", Real),
        ("gi_class_before", Text),
        ("gi_class_after", Text),
        ("hot_spot_change", Text),
        ("desa_binaan_before", Boolean),
        ("desa_binaan_after", Boolean),
        ("recommended_rank_before", Integer),
        ("recommended_then_designated", Boolean),
        ("status", Text),
    ]
};

/// Colours of the layer's `movement` classes.
pub const MOVEMENT_COLOURS: [(Movement, (u8, u8, u8)); 5] = [
    (Movement::Riskier, (215, 25, 28)),
    (Movement::LessRisky, (44, 123, 182)),
    (Movement::NoClearChange, (235, 235, 235)),
    (Movement::OnlyBefore, (150, 150, 150)),
    (Movement::OnlyAfter, (90, 90, 90)),
];

/// One village's values, column by column, as JSON (numbers, booleans, text, null).
fn values(c: &VillageChange) -> Vec<Value> {
    let n = c.named();
    let side = |s: &Option<Side>, f: &dyn Fn(&Side) -> Value| s.as_ref().map_or(Value::Null, f);
    let rank = |r: Option<u32>| r.map_or(Value::Null, Value::from);
    let score = |x: Option<f64>| x.map_or(Value::Null, |x| json!((x * 1000.0).round() / 1000.0));
    let (b, a) = (&c.before, &c.after);
    let status = match (b, a) {
        (Some(_), Some(_)) => "both",
        (Some(_), None) => "before_only",
        _ => "after_only",
    };
    vec![
        json!(c.kode_desa.to_string()),
        json!(n.desa),
        json!(n.kecamatan),
        json!(n.kabupaten),
        json!(c.movement.as_str()),
        side(b, &|s| rank(s.risk_rank)),
        side(a, &|s| rank(s.risk_rank)),
        c.rank_change.map_or(Value::Null, Value::from),
        side(b, &|s| rank(s.rank_p05)),
        side(b, &|s| rank(s.rank_p95)),
        side(a, &|s| rank(s.rank_p05)),
        side(a, &|s| rank(s.rank_p95)),
        c.beyond_intervals.map_or(Value::Null, Value::from),
        side(b, &|s| score(s.risk_score)),
        side(a, &|s| score(s.risk_score)),
        score(c.score_change),
        side(b, &|s| json!(s.gi_class.as_str())),
        side(a, &|s| json!(s.gi_class.as_str())),
        json!(c.hot_spot.as_str()),
        side(b, &|s| json!(s.desa_binaan)),
        side(a, &|s| json!(s.desa_binaan)),
        side(b, &|s| rank(s.recommended_rank)),
        json!(c.recommended_then_designated()),
        json!(status),
    ]
}

/// A CSV cell: text as it is, numbers with three decimals at most, null empty.
fn cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Number(n) if n.is_f64() => format!("{:.3}", n.as_f64().unwrap_or_default()),
        other => other.to_string(),
    }
}

/// Writes the comparison's files into `dir` (not the manifest); their names, sorted.
pub fn write(
    c: &Comparison,
    geometries: &std::collections::HashMap<rawan_core::KodeDesa, Box<serde_json::value::RawValue>>,
    lang: Lang,
    dir: &Path,
) -> Result<Vec<String>, PublishError> {
    let rows: Vec<Vec<Value>> = c.changes.iter().map(values).collect();
    let mut files = Vec::new();

    let name = "changes.csv";
    let (mut w, path) = crate::tables::writer(dir, name)?;
    crate::tables::row(&mut w, &path, &COLUMNS.map(|(k, _)| k.to_string()))?;
    for r in &rows {
        crate::tables::row(&mut w, &path, &r.iter().map(cell).collect::<Vec<_>>())?;
    }
    crate::tables::close(w, &path)?;
    files.push(name.to_string());

    // The layer: every village with a geometry in the current run (or the previous one, for
    // a village only it has), properties as in the table.
    let mut layer =
        String::from("{\"type\":\"FeatureCollection\",\"name\":\"changes\",\"features\":[\n");
    let mut first = true;
    let mut features = Vec::new();
    for (change, row) in c.changes.iter().zip(&rows) {
        let Some(geometry) = geometries.get(&change.kode_desa) else {
            continue;
        };
        features.push((multipolygon(geometry.get(), dir)?, row.clone()));
        let props: Map<String, Value> = COLUMNS
            .iter()
            .map(|(k, _)| k.to_string())
            .zip(row.iter().cloned())
            .collect();
        if !first {
            layer.push_str(",\n");
        }
        first = false;
        let _ = write!(
            layer,
            "{{\"type\":\"Feature\",\"properties\":{},\"geometry\":{}}}",
            Value::Object(props),
            geometry.get()
        );
    }
    layer.push_str("\n]}\n");
    files.push(write_file(dir, "changes.geojson", layer.as_bytes())?);
    let style = crate::qml::document(
        &crate::qml::categorised(
            "movement",
            &MOVEMENT_COLOURS.map(|(m, rgb)| (m.as_str(), rgb)),
            lang,
        ),
        None,
    );
    files.push(write_file(dir, "changes.qml", style.as_bytes())?);
    crate::gpkg::write_plain(
        &dir.join("changes.gpkg"),
        &c.after.as_of,
        &PlainLayer {
            name: "changes",
            description: t(lang, "changes_title"),
            style: Some(style),
            columns: &COLUMNS,
            features: &features,
        },
    )?;
    files.push("changes.gpkg".to_string());

    files.extend(crate::charts::movers::write(c, lang, dir)?);

    let md = report(c, lang);
    files.push(write_file(dir, "changes.md", md.as_bytes())?);
    let html = crate::report::html_page(lang, t(lang, "changes_title"), &md);
    files.push(write_file(dir, "changes.html", html.as_bytes())?);
    files.sort();
    Ok(files)
}

/// A village's geometry from a run's layer (GeoJSON text: a Polygon or MultiPolygon) as
/// the GeoPackage stores it.
fn multipolygon(text: &str, dir: &Path) -> Result<geo_types::MultiPolygon<f64>, PublishError> {
    let bad = |problem: String| PublishError::Io {
        path: dir.join("changes.gpkg"),
        source: std::io::Error::other(format!("a village geometry of the runs: {problem}")),
    };
    let value: geojson::GeometryValue = serde_json::from_str::<geojson::Geometry>(text)
        .map_err(|e| bad(e.to_string()))?
        .value;
    let polygons = match value {
        geojson::GeometryValue::Polygon { coordinates } => vec![coordinates],
        geojson::GeometryValue::MultiPolygon { coordinates } => coordinates,
        other => return Err(bad(format!("{}, not a polygon", other.type_name()))),
    };
    let ring = |r: Vec<geojson::Position>| -> geo_types::LineString<f64> {
        r.iter()
            .filter_map(|p| match p.as_slice() {
                [x, y, ..] => Some(geo_types::Coord { x: *x, y: *y }),
                _ => None,
            })
            .collect()
    };
    Ok(geo_types::MultiPolygon(
        polygons
            .into_iter()
            .map(|rings| {
                let mut rings = rings.into_iter().map(ring);
                let exterior = rings
                    .next()
                    .unwrap_or_else(|| geo_types::LineString(vec![]));
                geo_types::Polygon::new(exterior, rings.collect())
            })
            .collect(),
    ))
}

/// The short report: the two runs, whether their settings agree, the counts, the chart and
/// the largest moves each way.
pub fn report(c: &Comparison, lang: Lang) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "# {}\n", t(lang, "changes_title"));
    if c.before.synthetic || c.after.synthetic {
        let _ = writeln!(md, "> {}\n", t(lang, "report_synthetic"));
    }
    let _ = writeln!(md, "## {}\n", t(lang, "changes_runs"));
    let _ = writeln!(
        md,
        "| | {} | {} |\n|---|---|---|",
        t(lang, "changes_previous"),
        t(lang, "changes_current")
    );
    let folder = |p: &Path| {
        p.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| p.display().to_string())
    };
    let _ = writeln!(
        md,
        "| {} | `{}` | `{}` |",
        t(lang, "changes_folder"),
        folder(&c.before.path),
        folder(&c.after.path)
    );
    let _ = writeln!(md, "| as_of | {} | {} |", c.before.as_of, c.after.as_of);
    let _ = writeln!(
        md,
        "| {} | {} | {} |\n",
        t(lang, "changes_version"),
        c.before.version,
        c.after.version
    );
    if c.differences.is_empty() {
        let _ = writeln!(md, "{}\n", t(lang, "changes_same_settings"));
    } else {
        let _ = writeln!(md, "{}\n", t(lang, "changes_different_settings"));
        for d in &c.differences {
            let _ = writeln!(md, "- `{}`: {} → {}", d.key, d.before, d.after);
        }
        md.push('\n');
    }
    let _ = writeln!(md, "## {}\n", t(lang, "changes_summary"));
    let count = |m| c.count(m);
    let mut bullet = |key: &'static str, values: [usize; 3]| {
        let values: Vec<&dyn std::fmt::Display> =
            values.iter().map(|v| v as &dyn std::fmt::Display).collect();
        let _ = writeln!(md, "- {}", fill(t(lang, key), &values));
    };
    bullet(
        "changes_compared",
        [
            c.changes.len(),
            count(Movement::OnlyBefore),
            count(Movement::OnlyAfter),
        ],
    );
    bullet(
        "changes_moved",
        [
            count(Movement::Riskier),
            count(Movement::LessRisky),
            count(Movement::NoClearChange),
        ],
    );
    use rawan_compare::HotSpotChange as H;
    bullet(
        "changes_hot",
        [
            c.count_hot(H::Appeared),
            c.count_hot(H::Faded),
            c.count_hot(H::Stayed),
        ],
    );
    let recommended = c
        .changes
        .iter()
        .filter(|v| v.recommended_before() && v.after.is_some())
        .count();
    let designated = c
        .changes
        .iter()
        .filter(|v| v.recommended_then_designated())
        .count();
    let _ = writeln!(
        md,
        "- {}\n",
        fill(t(lang, "changes_designated"), &[&recommended, &designated])
    );
    let _ = writeln!(md, "![{}](changes_movers.png)\n", t(lang, "movers_title"));
    let (up, down) = c.largest_movers(crate::charts::movers::SHOWN);
    for (key, part) in [("changes_riskier_table", up), ("changes_less_table", down)] {
        let _ = writeln!(md, "### {}\n", t(lang, key));
        if part.is_empty() {
            let _ = writeln!(md, "{}\n", t(lang, "changes_none"));
            continue;
        }
        let _ = writeln!(md, "{}\n|---|---|---|---|---|", t(lang, "changes_columns"));
        for v in part {
            let (b, a) = (v.before.as_ref(), v.after.as_ref());
            let rank = |s: Option<&Side>| {
                s.and_then(|s| s.risk_rank)
                    .map_or("–".into(), |r| r.to_string())
            };
            let score = |s: Option<&Side>| {
                s.and_then(|s| s.risk_score)
                    .map_or("–".into(), |x| format!("{x:.2}"))
            };
            let n = v.named();
            let _ = writeln!(
                md,
                "| {} → {} | {} ({}) | {} | {} | {} → {} |",
                rank(b),
                rank(a),
                n.desa,
                v.kode_desa,
                n.kecamatan,
                n.kabupaten,
                score(b),
                score(a)
            );
        }
        md.push('\n');
    }
    let _ = writeln!(
        md,
        "## {}\n\n{}\n",
        t(lang, "changes_how"),
        t(lang, "changes_how_text")
    );
    let _ = writeln!(
        md,
        "## {}\n\n{}",
        t(lang, "changes_files"),
        t(lang, "changes_files_text")
    );
    md
}
