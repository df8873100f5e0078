//! The village layer in the forms a planner hands over, made with GDAL's `ogr2ogr` from the
//! committed real layer, must give the same villages and the same results as the layer as
//! committed.

mod common;
use common::*;
use std::process::Command;

/// The Banten sample copied into a temporary folder, so that its job can point elsewhere.
fn sample_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(root().join("data-sample")).unwrap() {
        let p = entry.unwrap().path();
        if p.is_file() {
            std::fs::copy(&p, dir.path().join(p.file_name().unwrap())).unwrap();
        }
    }
    dir
}

#[test]
fn a_layer_keyed_by_the_feature_id_gives_the_same_results() {
    // GDAL's RFC 7946 writer with ID_FIELD moves the code out of the properties into each
    // feature's `id` (and turns rings counter-clockwise); the job maps kode_desa = "id".
    let job = sample_copy();
    let layer = job.path().join("villages_id.geojson");
    let o = Command::new("ogr2ogr")
        .args([
            "-f",
            "GeoJSON",
            "-lco",
            "RFC7946=YES",
            "-lco",
            "COORDINATE_PRECISION=15",
            "-lco",
            "ID_FIELD=KDEPUM",
        ])
        .arg(&layer)
        .arg(job.path().join("villages.geojson"))
        .output()
        .expect("ogr2ogr (GDAL) is installed: run `make deps`");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let written = read_json(&layer);
    let first = &written["features"][0];
    assert!(first["id"].is_string(), "the code is the feature id");
    assert!(
        first["properties"].get("KDEPUM").is_none(),
        "and no longer a property"
    );
    edit_job(
        job.path(),
        "villages    = \"villages.geojson\"",
        "villages    = \"villages_id.geojson\"",
    );
    edit_job(job.path(), "kode_desa = \"KDEPUM\"", "kode_desa = \"id\"");

    let out = tempfile::tempdir().unwrap();
    let (by_id, committed) = (out.path().join("by_id"), out.path().join("committed"));
    run_ok(&job.path().join("job.toml"), &by_id, &[]);
    run_ok(&root().join("data-sample/job.toml"), &committed, &[]);
    for f in [
        "villages.geojson",
        "villages_ranked.csv",
        "recommendations.csv",
        "hotspots.geojson",
        "kecamatan_summary.csv",
        "rejects.csv",
        "map.html",
    ] {
        assert!(
            std::fs::read(by_id.join(f)).unwrap() == std::fs::read(committed.join(f)).unwrap(),
            "{f} differs between the id-keyed layer and the committed one"
        );
    }
}
