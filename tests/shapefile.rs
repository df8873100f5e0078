//! Shapefile village layers (tests/fixtures/shapefile, written by geopandas/pyproj from the
//! hand-written GeoJSON): lon/lat, UTM zone 48S, TM-3 zone 48.2 and Web Mercator read back to
//! the same villages within a centimetre; a layer on another datum is refused clearly; a
//! whole run from the UTM Shapefile ranks villages exactly as the run from GeoJSON does. On
//! the real Banten layer, GDAL's `ogr2ogr` makes TM-3 and SRGI2013 UTM Shapefiles, and rawan
//! reads them back to within a centimetre of GDAL's own inverse.

mod common;
use common::*;
use rawan_core::RejectLog;

fn read(name: &str) -> Result<Vec<rawan_core::Village>, String> {
    let path = root().join("tests/fixtures/shapefile").join(name);
    rawan_ingest::villages::read_villages(&path, &Default::default(), &mut RejectLog::default())
        .map(|(v, _)| v)
        .map_err(|e| e.to_string())
}

fn geojson() -> Vec<rawan_core::Village> {
    let path = root().join("tests/fixtures/handwritten/desa.geojson");
    rawan_ingest::villages::read_villages(&path, &Default::default(), &mut RejectLog::default())
        .unwrap()
        .0
}

fn max_offset_deg(a: &[rawan_core::Village], b: &[rawan_core::Village]) -> f64 {
    assert_eq!(a.len(), b.len());
    let mut worst = 0.0f64;
    for (va, vb) in a.iter().zip(b) {
        assert_eq!(va.kode_desa, vb.kode_desa);
        assert_eq!(va.desa, vb.desa);
        assert_eq!(va.population, vb.population);
        // Compare each vertex with the nearest vertex of the other (ring start and direction may differ).
        for (pa, pb) in va.geometry.0.iter().zip(&vb.geometry.0) {
            for c in &pa.exterior().0 {
                let d = pb
                    .exterior()
                    .0
                    .iter()
                    .map(|q| (q.x - c.x).abs().max((q.y - c.y).abs()))
                    .fold(f64::INFINITY, f64::min);
                worst = worst.max(d);
            }
        }
    }
    worst
}

#[test]
fn lon_lat_utm_and_web_mercator_shapefiles_read_back_to_the_same_villages() {
    let reference = geojson();
    assert!(max_offset_deg(&read("desa_lonlat.shp").unwrap(), &reference) < 1e-12);
    // 1e-7 degrees is about a centimetre.
    assert!(max_offset_deg(&read("desa_utm48s.shp").unwrap(), &reference) < 1e-7);
    assert!(max_offset_deg(&read("desa_webmerc.shp").unwrap(), &reference) < 1e-7);
    assert!(max_offset_deg(&read("desa_tm3.shp").unwrap(), &reference) < 1e-7);
}

#[test]
fn a_layer_on_another_datum_is_refused_with_what_to_do() {
    // The TM-3 fixture with its .prj moved to the Batavia datum (hundreds of metres away).
    let dir = tempfile::tempdir().unwrap();
    let fixtures = root().join("tests/fixtures/shapefile");
    for ext in ["shp", "shx", "dbf"] {
        std::fs::copy(
            fixtures.join(format!("desa_tm3.{ext}")),
            dir.path().join(format!("desa_batavia.{ext}")),
        )
        .unwrap();
    }
    let prj = std::fs::read_to_string(fixtures.join("desa_tm3.prj")).unwrap();
    let batavia = prj
        .replace("DGN95", "Batavia")
        .replace("DGN_1995", "Batavia")
        .replace("Datum_Geodesi_Nasional_1995", "Batavia");
    assert!(!batavia.to_uppercase().contains("DGN"));
    std::fs::write(dir.path().join("desa_batavia.prj"), batavia).unwrap();
    let err = rawan_ingest::villages::read_villages(
        &dir.path().join("desa_batavia.shp"),
        &Default::default(),
        &mut RejectLog::default(),
    )
    .map(|_| ())
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("desa_batavia.shp") && err.contains("datum") && err.contains("EPSG:4326"),
        "{err}"
    );
}

/// Every vertex of `ours` against the same vertex of `gdal` (both from one Shapefile, in
/// the file's order): the largest difference in degrees.
fn max_vertex_gap(ours: &[rawan_core::Village], gdal: &serde_json::Value) -> f64 {
    let features = gdal["features"].as_array().unwrap();
    let by_code: std::collections::HashMap<&str, &serde_json::Value> = features
        .iter()
        .map(|f| (f["properties"]["KDEPUM"].as_str().unwrap(), &f["geometry"]))
        .collect();
    let mut worst = 0.0f64;
    let mut compared = 0;
    for v in ours {
        let g = by_code[v.kode_desa.to_string().as_str()];
        let polygons: Vec<&serde_json::Value> = match g["type"].as_str().unwrap() {
            "Polygon" => vec![&g["coordinates"]],
            _ => g["coordinates"].as_array().unwrap().iter().collect(),
        };
        assert_eq!(polygons.len(), v.geometry.0.len(), "{}", v.kode_desa);
        for (theirs, ours) in polygons.iter().zip(&v.geometry.0) {
            let ring = theirs[0].as_array().unwrap();
            assert_eq!(ring.len(), ours.exterior().0.len(), "{}", v.kode_desa);
            for (c, o) in ring.iter().zip(&ours.exterior().0) {
                let (x, y) = (c[0].as_f64().unwrap(), c[1].as_f64().unwrap());
                worst = worst.max((x - o.x).abs()).max((y - o.y).abs());
                compared += 1;
            }
        }
    }
    assert!(compared > 100_000, "compared {compared} vertices");
    worst
}

#[test]
fn tm3_utm_and_srgi2013_shapefiles_match_gdal_to_a_centimetre_on_the_real_villages() {
    // SRGI2013 is shifted to WGS 84 as PROJ does (about half a metre at Banten); the others
    // need no shift.
    let dir = tempfile::tempdir().unwrap();
    let source = root().join("data-sample/villages.geojson");
    for (name, epsg, within) in [
        ("tm3_48_2", "EPSG:23834", 1e-7),
        ("wgs84_utm48s", "EPSG:32748", 1e-7),
        ("srgi_utm48s", "EPSG:9488", 1e-7),
        ("srgi_lonlat", "EPSG:9470", 1e-7),
    ] {
        let shp = dir.path().join(format!("{name}.shp"));
        let back = dir.path().join(format!("{name}_gdal.geojson"));
        for args in [
            vec!["-f", "ESRI Shapefile", "-t_srs", epsg],
            // GDAL's own inverse, at full precision, for comparison.
            vec![
                "-f",
                "GeoJSON",
                "-t_srs",
                "EPSG:4326",
                "-lco",
                "COORDINATE_PRECISION=15",
            ],
        ] {
            let (to, from) = if args[1] == "GeoJSON" {
                (&back, &shp)
            } else {
                (&shp, &source)
            };
            let o = std::process::Command::new("ogr2ogr")
                .args(&args)
                .arg(to)
                .arg(from)
                .output()
                .expect("ogr2ogr (GDAL) is installed: run `make deps`");
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        }
        let mut mapping = std::collections::BTreeMap::new();
        for (k, v) in [
            ("kode_desa", "KDEPUM"),
            ("desa", "WADMKD"),
            ("kecamatan", "WADMKC"),
            ("kabupaten", "WADMKK"),
        ] {
            mapping.insert(k.to_string(), v.to_string());
        }
        let mut log = RejectLog::default();
        let (ours, _) = rawan_ingest::villages::read_villages(&shp, &mapping, &mut log).unwrap();
        assert_eq!(ours.len(), 1552, "{name}: every village read");
        let gap = max_vertex_gap(&ours, &read_json(&back));
        // 1e-7 degrees is about a centimetre.
        eprintln!("{name}: {gap:e} degrees from GDAL");
        assert!(gap < within, "{name}: {gap} degrees from GDAL");
    }
}

#[test]
fn a_run_from_the_utm_shapefile_ranks_like_the_geojson_run() {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(root().join("tests/fixtures/handwritten")).unwrap() {
        let p = entry.unwrap().path();
        std::fs::copy(&p, dir.path().join(p.file_name().unwrap())).unwrap();
    }
    for ext in ["shp", "shx", "dbf", "prj"] {
        std::fs::copy(
            root().join(format!("tests/fixtures/shapefile/desa_utm48s.{ext}")),
            dir.path().join(format!("desa_utm48s.{ext}")),
        )
        .unwrap();
    }
    let job = std::fs::read_to_string(dir.path().join("job.toml")).unwrap();
    std::fs::write(
        dir.path().join("job_shp.toml"),
        job.replace("desa.geojson", "desa_utm48s.shp"),
    )
    .unwrap();
    run_ok(&dir.path().join("job.toml"), &dir.path().join("a"), &[]);
    run_ok(&dir.path().join("job_shp.toml"), &dir.path().join("b"), &[]);
    let a = std::fs::read(dir.path().join("a/villages_ranked.csv")).unwrap();
    let b = std::fs::read(dir.path().join("b/villages_ranked.csv")).unwrap();
    assert!(
        a == b,
        "rankings differ between GeoJSON and UTM Shapefile input"
    );
    let m = read_json(&dir.path().join("b/manifest.json"));
    assert!(
        m["inputs"][0]["notes"].to_string().contains("transformed"),
        "{}",
        m["inputs"][0]
    );
}
