//! `rawan.gpkg` read by GDAL (an independent reader): every layer of the run (tables and views) is there with
//! its spatial index and the same features, properties (names, order, values) and
//! coordinates as its GeoJSON file; QGIS's `layer_styles` holds each layer's `.qml` as the
//! default style; GDAL opens the file without a warning.

mod common;
use common::*;
use serde_json::Value;
use std::path::Path;
use std::process::Command;

const LAYERS: [&str; 6] = [
    "villages",
    "hotspots",
    "desa_binaan",
    "lisa",
    "recommended",
    "offices",
];

fn gdal(program: &str, args: &[&str]) -> (String, String) {
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
fn same(a: &Value, b: &Value, tolerance: f64) -> bool {
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
fn points(v: &Value, out: &mut Vec<(f64, f64)>) {
    match v.as_array() {
        Some(a) if a.len() >= 2 && a[0].is_number() => {
            out.push((a[0].as_f64().unwrap(), a[1].as_f64().unwrap()))
        }
        Some(a) => a.iter().for_each(|x| points(x, out)),
        None => {}
    }
}

fn layer_through_gdal(gpkg: &Path, layer: &str) -> Vec<Value> {
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

#[test]
fn every_layer_in_the_geopackage_matches_its_geojson_through_gdal() {
    let (dir, _) = fresh_sample();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    run_ok(&dir.path().join("job.toml"), &out, &[]);
    let gpkg = out.join("rawan.gpkg");

    // GDAL lists the six layers (and QGIS's style table), quietly.
    let (listing, warnings) = gdal("ogrinfo", &["-ro", gpkg.to_str().unwrap()]);
    assert!(warnings.trim().is_empty(), "GDAL warns: {warnings}");
    for (k, name) in LAYERS.iter().enumerate() {
        let geometry = if *name == "offices" {
            "Point"
        } else {
            "Multi Polygon"
        };
        assert!(
            listing.contains(&format!("{}: {name} ({geometry})", k + 1)),
            "{name} missing: {listing}"
        );
    }

    let manifest = read_json(&out.join("manifest.json"));
    assert!(
        manifest["outputs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["file"] == "rawan.gpkg"),
        "the manifest lists rawan.gpkg"
    );

    for name in LAYERS {
        let geojson = read_json(&out.join(format!("{name}.geojson")));
        let expected = geojson["features"].as_array().unwrap();
        let got = layer_through_gdal(&gpkg, name);
        assert_eq!(got.len(), expected.len(), "{name}: feature count");
        assert!(!got.is_empty() || name == "hotspots", "{name} is empty");
        for (g, e) in got.iter().zip(expected) {
            let kode = &e["properties"]["kode_desa"];
            assert!(
                same(&g["properties"], &e["properties"], 1e-12),
                "{name} {kode}: properties differ\n gpkg: {}\n json: {}",
                g["properties"],
                e["properties"]
            );
            // GDAL writes the GeoPackage's MultiPolygons as they are stored; the GeoJSON has
            // the same rounded coordinates.
            assert!(
                same(&g["geometry"], &e["geometry"], 1e-9),
                "{name} {kode}: geometry differs"
            );
        }

        let (index, _) = gdal(
            "ogrinfo",
            &[
                "-ro",
                "-q",
                "-sql",
                &format!("SELECT HasSpatialIndex('{name}', 'geom')"),
                gpkg.to_str().unwrap(),
            ],
        );
        assert!(
            index.contains("HasSpatialIndex (Integer) = 1"),
            "{name}: no spatial index: {index}"
        );
    }

    // Each layer's default style is its .qml, so QGIS opens it styled from the file alone.
    let db =
        rusqlite::Connection::open_with_flags(&gpkg, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    for name in LAYERS {
        let (qml, default): (String, bool) = db
            .query_row(
                "SELECT styleQML, useAsDefault FROM layer_styles WHERE f_table_name = ?1 AND f_geometry_column = 'geom'",
                [name],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap_or_else(|e| panic!("{name}: no style: {e}"));
        assert!(default, "{name}: style not the default");
        assert_eq!(
            qml,
            std::fs::read_to_string(out.join(format!("{name}.qml"))).unwrap(),
            "{name}: stored style differs from {name}.qml"
        );
    }
    // The spatial indexes are written in one pass, not by SQLite's inserts: SQLite's own
    // check accepts each, and each holds exactly its layer's features, with boxes that
    // contain their geometries (GDAL's envelope of each feature).
    for name in LAYERS {
        let rtree = format!("rtree_{name}_geom");
        let check: String = db
            .query_row(&format!("SELECT rtreecheck('{rtree}')"), [], |r| r.get(0))
            .unwrap();
        assert_eq!(check, "ok", "{name}: {check}");
        let fid = if matches!(name, "villages" | "offices") {
            "fid"
        } else {
            "OGC_FID"
        };
        let ids = |sql: &str| -> Vec<i64> {
            let mut s = db.prepare(sql).unwrap();
            let mut v: Vec<i64> = s
                .query_map([], |r| r.get(0))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            v.sort_unstable();
            v
        };
        assert_eq!(
            ids(&format!("SELECT id FROM \"{rtree}\"")),
            ids(&format!("SELECT {fid} FROM \"{name}\"")),
            "{name}: the index holds the layer's features"
        );
        // The layer's features in the order GDAL read them (above: the GeoJSON's order),
        // each with its index box by id.
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
        let in_order: Vec<i64> = {
            let mut s = db
                .prepare(&format!("SELECT {fid} FROM \"{name}\""))
                .unwrap();
            s.query_map([], |r| r.get(0))
                .unwrap()
                .map(Result::unwrap)
                .collect()
        };
        let geojson = read_json(&out.join(format!("{name}.geojson")));
        let features = geojson["features"].as_array().unwrap();
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

    let (app, version): (i64, i64) = db
        .query_row(
            "SELECT * FROM pragma_application_id, pragma_user_version",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        (app, version),
        (0x4750_4B47, 10300),
        "a GeoPackage 1.3 header"
    );
}
