//! Bad jobs and bad inputs stop with one clear message that names the file, a documented
//! exit code, and no partial outputs; previous outputs survive a failed run.

mod common;
use common::*;
use std::path::Path;

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

#[test]
fn a_missing_input_names_the_file_and_writes_nothing() {
    let dir = job_copy();
    std::fs::remove_file(dir.path().join("kasus.csv")).unwrap();
    let out = dir.path().join("out");
    let (code, err) = run_fails(&dir.path().join("job.toml"), &out);
    assert_eq!(code, 3, "{err}");
    assert!(
        err.contains("kasus.csv") && err.contains("not found"),
        "{err}"
    );
    assert!(!out.exists(), "no partial outputs");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("rawan-tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_missing_required_column_says_which_and_how_to_map_it() {
    let dir = job_copy();
    write(
        dir.path(),
        "kasus.csv",
        "id,reported_on,crime,victims,kode_desa\nK-1,2024-05-01,TPPO,2,36.04.01.2005\n",
    );
    let (code, err) = run_fails(&dir.path().join("job.toml"), &dir.path().join("out"));
    assert_eq!(code, 3);
    assert!(
        err.contains("kasus.csv")
            && err.contains("case_id")
            && err.contains("[inputs.columns.cases]"),
        "{err}"
    );
}

#[test]
fn projected_coordinates_are_refused_with_what_to_do() {
    let dir = job_copy();
    write(
        dir.path(),
        "desa.geojson",
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"kode_desa":"36.04.01.2001","desa":"A","kecamatan":"B","kabupaten":"C"},"geometry":{"type":"Polygon","coordinates":[[[657000,9300000],[658000,9300000],[658000,9301000],[657000,9300000]]]}}]}"#,
    );
    let (code, err) = run_fails(&dir.path().join("job.toml"), &dir.path().join("out"));
    assert_eq!(code, 3);
    assert!(
        err.contains("desa.geojson") && err.contains("projected") && err.contains("EPSG:4326"),
        "{err}"
    );
}

#[test]
fn a_typo_in_the_job_file_is_an_error_not_a_silent_default() {
    let dir = job_copy();
    let job = std::fs::read_to_string(dir.path().join("job.toml"))
        .unwrap()
        .replace("permutations = 99", "permutation = 99");
    write(dir.path(), "job.toml", &job);
    let (code, err) = run_fails(&dir.path().join("job.toml"), &dir.path().join("out"));
    assert_eq!(code, 3);
    assert!(err.contains("permutation"), "{err}");
}

#[test]
fn a_failed_run_leaves_the_previous_outputs_intact() {
    let dir = job_copy();
    let out = dir.path().join("out");
    run_ok(&dir.path().join("job.toml"), &out, &[]);
    let before = snapshot(&out);
    write(dir.path(), "desa.geojson", "{\"type\": \"Feature\"}");
    let (code, err) = run_fails(&dir.path().join("job.toml"), &out);
    assert_eq!(code, 3);
    assert!(err.contains("FeatureCollection"), "{err}");
    assert_eq!(snapshot(&out), before);
}

#[test]
fn an_output_folder_with_foreign_files_is_refused() {
    let dir = job_copy();
    let out = dir.path().join("mine");
    std::fs::create_dir_all(&out).unwrap();
    write(&out, "thesis.docx", "precious");
    let (code, err) = run_fails(&dir.path().join("job.toml"), &out);
    assert_eq!(code, 4, "{err}");
    assert!(err.contains("thesis.docx"), "{err}");
    assert_eq!(
        std::fs::read_to_string(out.join("thesis.docx")).unwrap(),
        "precious"
    );
}

#[test]
fn a_rerun_replaces_the_previous_outputs_and_keeps_dotfiles() {
    let dir = job_copy();
    let out = dir.path().join("out");
    run_ok(&dir.path().join("job.toml"), &out, &[]);
    write(&out, ".gitkeep", "");
    run_ok(&dir.path().join("job.toml"), &out, &["--lang", "en"]);
    assert!(out.join(".gitkeep").exists());
    assert!(
        std::fs::read_to_string(out.join("report.md"))
            .unwrap()
            .contains("Summary")
    );
}

#[test]
fn help_teaches_with_examples_and_exit_codes() {
    let o = rawan(&["run", "--help"]);
    assert!(o.status.success());
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("rawan run data-sample/job.toml --out notebooks-out"));
    assert!(text.contains("Exit codes"));
    let o = rawan(&["run"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn a_run_killed_before_its_outputs_are_moved_leaves_the_previous_ones_intact() {
    let dir = job_copy();
    let out = dir.path().join("out");
    run_ok(&dir.path().join("job.toml"), &out, &[]);
    let before = snapshot(&out);
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_rawan"))
        .args([
            "run",
            dir.path().join("job.toml").to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--quiet",
            "--lang",
            "en",
        ])
        .env("RAWAN_FAULT_ABORT_BEFORE_COMMIT", "1")
        .output()
        .unwrap();
    assert!(!o.status.success(), "the injected abort must kill the run");
    assert_eq!(snapshot(&out), before, "previous outputs untouched");
    let staged = |dir: &Path| {
        std::fs::read_dir(dir)
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .contains("rawan-tmp")
            })
            .count()
    };
    assert_eq!(
        staged(dir.path()),
        1,
        "the killed run's staging folder is left behind"
    );
    // The next run clears it and replaces the outputs.
    run_ok(&dir.path().join("job.toml"), &out, &["--lang", "en"]);
    assert_eq!(staged(dir.path()), 0);
    assert!(
        std::fs::read_to_string(out.join("report.md"))
            .unwrap()
            .contains("Summary")
    );
}
