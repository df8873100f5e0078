//! The village layer in the forms a planner hands over (GeoJSON keyed by feature id, a
//! GeoPackage with a lon/lat and a TM-3 layer), made with GDAL's `ogr2ogr` from the
//! committed real layer, must give the same villages and the same results as the layer as
//! committed.

mod common;
use common::*;
use std::process::Command;

#[test]
fn a_layer_keyed_by_the_feature_id_gives_the_same_results() {
    // GDAL's RFC 7946 writer with ID_FIELD moves the code out of the properties into each
    // feature's `id` (and turns rings counter-clockwise); the job maps kode_desa = "id".
    let job = sample_copy();
    let layer = job.path().join("villages_id.geojson");
    ogr2ogr(
        &[
            "-f",
            "GeoJSON",
            "-lco",
            "RFC7946=YES",
            "-lco",
            "COORDINATE_PRECISION=15",
            "-lco",
            "ID_FIELD=KDEPUM",
        ],
        &layer,
        &job.path().join("villages.geojson"),
    );
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

/// Runs the job in `dir`, which must be refused; what rawan said.
fn run_refused(dir: &std::path::Path, out: &std::path::Path) -> String {
    let (code, err) = run_fails(&dir.join("job.toml"), out);
    assert_ne!(code, 0, "the run should have been refused");
    err
}

/// Runs `ogr2ogr ARGS… TO FROM` and panics with GDAL's words if it fails.
fn ogr2ogr(args: &[&str], to: &std::path::Path, from: &std::path::Path) {
    let o = Command::new("ogr2ogr")
        .args(args)
        .arg(to)
        .arg(from)
        .output()
        .expect("ogr2ogr (GDAL) is installed: run `make deps`");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn a_geopackage_gives_the_same_results_from_its_first_or_a_named_layer() {
    // QGIS's "Save Features As" format: one file, two layers (lon/lat first, then the same
    // villages in DGN95 / Indonesia TM-3 zone 48.2).
    let job = sample_copy();
    let gpkg = job.path().join("desa.gpkg");
    let source = job.path().join("villages.geojson");
    ogr2ogr(&["-f", "GPKG", "-nln", "desa"], &gpkg, &source);
    ogr2ogr(
        &[
            "-f",
            "GPKG",
            "-update",
            "-nln",
            "desa_tm3",
            "-t_srs",
            "EPSG:23834",
        ],
        &gpkg,
        &source,
    );
    let out = tempfile::tempdir().unwrap();
    let committed = out.path().join("committed");
    run_ok(&root().join("data-sample/job.toml"), &committed, &[]);
    let same = |dir: &std::path::Path, files: &[&str]| {
        for f in files {
            assert!(
                std::fs::read(dir.join(f)).unwrap() == std::fs::read(committed.join(f)).unwrap(),
                "{f} differs from the committed layer's run ({})",
                dir.display()
            );
        }
    };
    let tables = [
        "villages.geojson",
        "villages_ranked.csv",
        "recommendations.csv",
        "hotspots.geojson",
        "kecamatan_summary.csv",
        "rejects.csv",
    ];
    // The first layer, by default.
    edit_job(
        job.path(),
        "villages    = \"villages.geojson\"",
        "villages    = \"desa.gpkg\"",
    );
    let first = out.path().join("first");
    run_ok(&job.path().join("job.toml"), &first, &[]);
    same(&first, &tables);
    same(&first, &["map.html"]);
    // The projected layer, named: the same villages to well under the layers' 6 decimals.
    edit_job(
        job.path(),
        "villages    = \"desa.gpkg\"",
        "villages    = { file = \"desa.gpkg\", layer = \"desa_tm3\" }",
    );
    let named = out.path().join("named");
    run_ok(&job.path().join("job.toml"), &named, &[]);
    same(&named, &tables);
    let manifest = read_json(&named.join("manifest.json"));
    assert_eq!(
        manifest["settings"]["inputs"]["villages"]["layer"], "desa_tm3",
        "the manifest's settings say which layer"
    );
    // A layer that is not there is named, with the ones that are.
    edit_job(job.path(), "layer = \"desa_tm3\"", "layer = \"desa_2024\"");
    let err = run_refused(job.path(), &out.path().join("missing"));
    assert!(
        err.contains("desa.gpkg") && err.contains("desa_2024") && err.contains("desa, desa_tm3"),
        "{err}"
    );
}

#[test]
fn a_layer_named_for_a_geojson_is_refused() {
    let job = sample_copy();
    edit_job(
        job.path(),
        "villages    = \"villages.geojson\"",
        "villages    = { file = \"villages.geojson\", layer = \"desa\" }",
    );
    let out = tempfile::tempdir().unwrap();
    let err = run_refused(job.path(), &out.path().join("o"));
    assert!(err.contains("only a GeoPackage"), "{err}");
}
