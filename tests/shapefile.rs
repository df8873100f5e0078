//! Shapefile village layers (tests/fixtures/shapefile, written by geopandas/pyproj from the
//! hand-written GeoJSON): lon/lat, UTM zone 48S and Web Mercator read back to the same
//! villages within a centimetre; an unsupported projection is refused clearly; a whole run
//! from the UTM Shapefile ranks villages exactly as the run from GeoJSON does.

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
}

#[test]
fn an_unsupported_projection_is_refused_with_what_to_do() {
    let err = read("desa_tm3.shp").unwrap_err();
    assert!(
        err.contains("desa_tm3.shp") && err.contains("TM-3") && err.contains("EPSG:4326"),
        "{err}"
    );
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
