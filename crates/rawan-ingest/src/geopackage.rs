//! Village layers from a GeoPackage (QGIS's default "Save Features As" format): the first
//! feature layer, or the one the job names; attributes as text with the same column mapping
//! as GeoJSON; geometry from the GeoPackage binary header (standard or extended) and its WKB,
//! read by `geozero`; a projected layer transformed by its `gpkg_spatial_ref_sys` WKT, as a
//! Shapefile's `.prj` is ([`crate::projection`]).

use crate::IngestError;
use crate::villages::{Props, RawFeature, build_multipolygon};
use geo_types::{Coord, Geometry};
use geozero::ToGeo;
use rusqlite::{Connection, OpenFlags, types::ValueRef};
use std::path::Path;

/// The features of `layer` (or the first feature layer) of the GeoPackage at `path`.
pub(crate) fn read(
    path: &Path,
    layer: Option<&str>,
    notes: &mut Vec<String>,
) -> Result<Vec<RawFeature>, IngestError> {
    let file = path.display().to_string();
    let format = |problem: String| IngestError::Format {
        file: file.clone(),
        problem,
    };
    let sql = |e: rusqlite::Error| format(format!("not a readable GeoPackage: {e}"));
    let db = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(sql)?;
    // Feature layers in the order they were made (gpkg_contents' row order).
    let layers: Vec<(String, String, i64)> = db
        .prepare(
            "SELECT c.table_name, g.column_name, g.srs_id FROM gpkg_contents c \
             JOIN gpkg_geometry_columns g ON g.table_name = c.table_name \
             WHERE c.data_type = 'features' ORDER BY c.rowid",
        )
        .and_then(|mut s| {
            s.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<Result<_, _>>()
        })
        .map_err(sql)?;
    let names = || {
        layers
            .iter()
            .map(|l| l.0.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (table, geometry_column, srs_id) = match layer {
        Some(want) => layers.iter().find(|l| l.0 == want).ok_or_else(|| {
            format(format!(
                "no feature layer named \"{want}\" (its feature layers: {})",
                names()
            ))
        })?,
        None => layers
            .first()
            .ok_or_else(|| format("the GeoPackage has no feature layer".into()))?,
    };
    if layer.is_none() && layers.len() > 1 {
        notes.push(format!(
            "layer \"{table}\" read, the first of {} feature layers ({}); name another with villages = {{ file = \"…\", layer = \"…\" }}",
            layers.len(),
            names()
        ));
    }
    // Its coordinate system: longitude/latitude, or a projection to undo.
    let definition: Option<String> = db
        .query_row(
            "SELECT definition FROM gpkg_spatial_ref_sys WHERE srs_id = ?1",
            [srs_id],
            |r| r.get(0),
        )
        .ok();
    let projection = match (*srs_id, definition.as_deref()) {
        (4326, _) | (0, _) | (-1, _) | (_, None) | (_, Some("undefined")) => None,
        (_, Some(wkt)) => {
            crate::projection::from_prj(wkt.trim()).map_err(|why| IngestError::Projection {
                file: file.clone(),
                problem: format!(
                    "layer \"{table}\" is in {why}. Re-export the layer in EPSG:4326 (WGS 84 longitude/latitude), e.g. in QGIS: Export → Save Features As… → CRS EPSG:4326"
                ),
            })?
        }
    };
    if let Some(p) = &projection {
        notes.push(format!(
            "coordinates transformed to longitude/latitude from {p:?} (per the GeoPackage)"
        ));
    }
    let quoted = |name: &str| format!("\"{}\"", name.replace('"', "\"\""));
    let mut stmt = db
        .prepare(&format!("SELECT * FROM {} ORDER BY rowid", quoted(table)))
        .map_err(sql)?;
    let columns: Vec<String> = stmt.column_names().iter().map(|c| c.to_string()).collect();
    let geometry_at = columns
        .iter()
        .position(|c| c.eq_ignore_ascii_case(geometry_column))
        .ok_or_else(|| format(format!("layer \"{table}\" has no column {geometry_column}")))?;
    let mut rows = stmt.query([]).map_err(sql)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next().map_err(sql)? {
        let mut pairs = Vec::with_capacity(columns.len());
        let mut geometry = Err("feature has no geometry".to_string());
        for (k, name) in columns.iter().enumerate() {
            let value = row.get_ref(k).map_err(sql)?;
            if k == geometry_at {
                if let ValueRef::Blob(blob) = value {
                    geometry = shape(blob, projection.as_ref());
                }
                continue;
            }
            let text = match value {
                ValueRef::Null => String::new(),
                ValueRef::Integer(i) => i.to_string(),
                ValueRef::Real(x) if x.fract() == 0.0 && x.abs() < 1e15 => {
                    format!("{}", x as i64)
                }
                ValueRef::Real(x) => x.to_string(),
                ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
                ValueRef::Blob(_) => continue,
            };
            pairs.push((name.clone(), text));
        }
        out.push(RawFeature {
            props: Props::from_pairs(pairs),
            geometry,
        });
    }
    Ok(out)
}

/// A GeoPackage geometry as a checked MultiPolygon in longitude/latitude.
fn shape(
    blob: &[u8],
    projection: Option<&crate::projection::Projection>,
) -> Result<geo_types::MultiPolygon<f64>, String> {
    let geometry = geozero::wkb::GpkgWkb(blob)
        .to_geo()
        .map_err(|e| format!("geometry is not valid GeoPackage WKB: {e}"))?;
    let polygons = match geometry {
        Geometry::Polygon(p) => vec![p],
        Geometry::MultiPolygon(mp) => mp.0,
        Geometry::GeometryCollection(gc) if gc.0.is_empty() => {
            return Err("feature has no geometry".into());
        }
        other => {
            return Err(format!(
                "geometry is {}, not Polygon or MultiPolygon",
                kind(&other)
            ));
        }
    };
    let project = |c: &Coord<f64>| match projection {
        Some(p) => {
            let (x, y) = crate::projection::inverse(p, c.x, c.y);
            Coord { x, y }
        }
        None => *c,
    };
    build_multipolygon(
        polygons
            .iter()
            .map(|p| {
                std::iter::once(p.exterior())
                    .chain(p.interiors())
                    .map(|r| r.0.iter().map(project).collect())
                    .collect()
            })
            .collect(),
    )
}

fn kind(g: &Geometry<f64>) -> &'static str {
    match g {
        Geometry::Point(_) => "Point",
        Geometry::Line(_) | Geometry::LineString(_) => "LineString",
        Geometry::MultiPoint(_) => "MultiPoint",
        Geometry::MultiLineString(_) => "MultiLineString",
        Geometry::GeometryCollection(_) => "GeometryCollection",
        Geometry::Rect(_) => "Rect",
        Geometry::Triangle(_) => "Triangle",
        Geometry::Polygon(_) => "Polygon",
        Geometry::MultiPolygon(_) => "MultiPolygon",
    }
}
