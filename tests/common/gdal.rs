//! GDAL (Debian's gdal-bin, an independent reader) and SQLite checks of the GeoPackages.

use serde_json::Value;
use std::path::Path;
use std::process::Command;

pub fn gdal(program: &str, args: &[&str]) -> (String, String) {
    let o = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} (GDAL) is installed: run `make deps` ({e})"));
    assert!(
        o.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// Two JSON values equal, numbers compared as numbers (GDAL may write `1.0` as `1`).
pub fn same(a: &Value, b: &Value, tolerance: f64) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            (x.as_f64().unwrap() - y.as_f64().unwrap()).abs() <= tolerance
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q, tolerance))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.keys().eq(y.keys())
                && x.iter()
                    .zip(y)
                    .all(|((_, p), (_, q))| same(p, q, tolerance))
        }
        _ => a == b,
    }
}

/// Every (x, y) of a GeoJSON `coordinates` value, however deeply nested.
pub fn points(v: &Value, out: &mut Vec<(f64, f64)>) {
    match v.as_array() {
        Some(a) if a.len() >= 2 && a[0].is_number() => {
            out.push((a[0].as_f64().unwrap(), a[1].as_f64().unwrap()))
        }
        Some(a) => a.iter().for_each(|x| points(x, out)),
        None => {}
    }
}

pub fn layer_through_gdal(gpkg: &Path, layer: &str) -> Vec<Value> {
    let (text, _) = gdal(
        "ogr2ogr",
        &[
            "-f",
            "GeoJSON",
            "/vsistdout/",
            gpkg.to_str().unwrap(),
            layer,
        ],
    );
    let v: Value = serde_json::from_str(&text).unwrap();
    v["features"].as_array().unwrap().clone()
}

/// The layer's spatial index as SQLite and the GeoPackage standard want it: SQLite's own
/// `rtreecheck()` accepts it, it holds exactly the layer's features (ids in column `fid`),
/// and each feature's box contains every coordinate of its geometry in `features` (the
/// layer's GeoJSON twin, in the layer's row order).
pub fn assert_spatial_index(db: &rusqlite::Connection, name: &str, fid: &str, features: &[Value]) {
    let rtree = format!("rtree_{name}_geom");
    let check: String = db
        .query_row(&format!("SELECT rtreecheck('{rtree}')"), [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok", "{name}: {check}");
    let ids = |sql: &str| -> Vec<i64> {
        let mut s = db.prepare(sql).unwrap();
        s.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let in_order = ids(&format!("SELECT {fid} FROM \"{name}\""));
    let (mut a, mut b) = (
        ids(&format!("SELECT id FROM \"{rtree}\"")),
        in_order.clone(),
    );
    a.sort_unstable();
    b.sort_unstable();
    assert_eq!(a, b, "{name}: the index holds the layer's features");
    let boxes: std::collections::HashMap<i64, [f64; 4]> = {
        let mut s = db
            .prepare(&format!(
                "SELECT id, minx, maxx, miny, maxy FROM \"{rtree}\""
            ))
            .unwrap();
        s.query_map([], |r| {
            Ok((r.get(0)?, [r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?]))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect()
    };
    assert_eq!(in_order.len(), features.len(), "{name}");
    for (id, f) in in_order.iter().zip(features) {
        let b = boxes[id];
        let mut coordinates = Vec::new();
        points(&f["geometry"]["coordinates"], &mut coordinates);
        assert!(!coordinates.is_empty(), "{name} {id}: no coordinates");
        for (x, y) in coordinates {
            assert!(
                b[0] <= x && x <= b[1] && b[2] <= y && y <= b[3],
                "{name} {id}: ({x}, {y}) outside its index box {b:?}"
            );
        }
    }
}
