//! `rawan.gpkg` read by GDAL (an independent reader): every layer of the run (tables and views) is there with
//! its spatial index and the same features, properties (names, order, values) and
//! coordinates as its GeoJSON file; QGIS's `layer_styles` holds each layer's `.qml` as the
//! default style; GDAL opens the file without a warning.

mod common;
use common::gdal::*;
use common::*;

const LAYERS: [&str; 6] = [
    "villages",
    "hotspots",
    "desa_binaan",
    "lisa",
    "recommended",
    "offices",
];

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
    // The spatial indexes are written in one pass, not by SQLite's inserts.
    for name in LAYERS {
        let fid = if matches!(name, "villages" | "offices") {
            "fid"
        } else {
            "OGC_FID"
        };
        let geojson = read_json(&out.join(format!("{name}.geojson")));
        assert_spatial_index(&db, name, fid, geojson["features"].as_array().unwrap());
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
