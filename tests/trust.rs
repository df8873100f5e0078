//! Promises to users' files and to sane results, under the slips real files and real users
//! make: a run never destroys what it did not make, two runs cannot collide, hostile or odd
//! inputs get a clear refusal (never a hang, a panic or a runaway read), implausible numbers
//! are rejected with a reason, and settings that would give silently wrong results are
//! refused or explained.

mod common;
use common::*;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

fn run(job: &Path, out: &Path) -> (i32, String) {
    run_fails(job, out)
}

fn append(dir: &Path, name: &str, text: &str) {
    let mut t = std::fs::read_to_string(dir.join(name)).unwrap();
    t.push_str(text);
    std::fs::write(dir.join(name), t).unwrap();
}

#[test]
fn a_folder_of_dot_entries_is_refused_and_left_as_it_was() {
    let dir = job_copy();
    let home = dir.path().join("home");
    std::fs::create_dir_all(home.join(".ssh")).unwrap();
    std::fs::write(home.join(".ssh/id_ed25519"), "secret").unwrap();
    std::fs::write(home.join(".profile"), "x").unwrap();
    std::fs::set_permissions(&home, std::fs::Permissions::from_mode(0o700)).unwrap();
    let (code, err) = run(&dir.path().join("job.toml"), &home);
    assert_eq!(code, 4, "{err}");
    assert!(
        err.contains("did not write") && err.contains(".ssh"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(home.join(".ssh/id_ed25519")).unwrap(),
        "secret"
    );
    assert_eq!(
        std::fs::metadata(&home).unwrap().permissions().mode() & 0o777,
        0o700
    );
}

#[test]
fn a_file_added_to_an_output_folder_stops_the_next_run() {
    let dir = job_copy();
    let out = dir.path().join("out");
    run_ok(&dir.path().join("job.toml"), &out, &[]);
    assert!(
        out.join(".rawan-output").exists(),
        "rawan marks the folders it makes"
    );
    std::fs::write(out.join("catatan rapat.docx"), "the user's notes").unwrap();
    let (code, err) = run(&dir.path().join("job.toml"), &out);
    assert_eq!(code, 4, "{err}");
    assert!(err.contains("catatan rapat.docx"), "{err}");
    assert_eq!(
        std::fs::read_to_string(out.join("catatan rapat.docx")).unwrap(),
        "the user's notes"
    );
    // Without the note the folder is rawan's again and is replaced, keeping its mode.
    std::fs::remove_file(out.join("catatan rapat.docx")).unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o750)).unwrap();
    std::fs::write(out.join(".gitkeep"), "").unwrap();
    run_ok(&dir.path().join("job.toml"), &out, &[]);
    assert_eq!(
        std::fs::metadata(&out).unwrap().permissions().mode() & 0o777,
        0o750
    );
    assert!(
        out.join(".gitkeep").exists(),
        "an empty .gitkeep is carried over"
    );
}

#[test]
fn a_folder_without_the_marker_is_not_taken_for_a_rawan_folder() {
    let dir = job_copy();
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    // A manifest alone (copied, or forged) does not make a folder rawan's.
    std::fs::write(
        out.join("manifest.json"),
        r#"{"tool": "rawan", "outputs": [{"file": "thesis.tex"}]}"#,
    )
    .unwrap();
    std::fs::write(out.join("thesis.tex"), "years of work").unwrap();
    let (code, err) = run(&dir.path().join("job.toml"), &out);
    assert_eq!(code, 4, "{err}");
    assert_eq!(
        std::fs::read_to_string(out.join("thesis.tex")).unwrap(),
        "years of work"
    );
}

#[test]
fn a_second_run_into_a_busy_folder_is_refused_and_harms_nothing() {
    let dir = job_copy();
    let out = dir.path().join("out");
    // Hold the lock as a running rawan would, with a staging folder of the "other run".
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.path().join(".out.rawan-lock"))
        .unwrap();
    lock.lock().unwrap();
    let staging = dir.path().join(".out.rawan-tmp-999999");
    std::fs::create_dir_all(&staging).unwrap();
    std::fs::write(staging.join("villages.geojson"), "half written").unwrap();
    let (code, err) = run(&dir.path().join("job.toml"), &out);
    assert_eq!(code, 4, "{err}");
    assert!(err.contains("another rawan run"), "{err}");
    assert!(
        staging.join("villages.geojson").exists(),
        "the other run's staging folder survives"
    );
    drop(lock);
    run_ok(&dir.path().join("job.toml"), &out, &[]);
}

#[test]
fn a_job_file_that_is_a_device_a_pipe_or_a_folder_is_refused_at_once() {
    let dir = job_copy();
    let fifo = dir.path().join("job.fifo");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    for (job, says) in [
        (Path::new("/dev/zero"), "not a regular file"),
        (fifo.as_path(), "not a regular file"),
        (dir.path(), "is a folder"),
    ] {
        let started = std::time::Instant::now();
        let (code, err) = run(job, &dir.path().join("out"));
        assert_eq!(code, 3, "{}: {err}", job.display());
        assert!(err.contains(says), "{}: {err}", job.display());
        assert!(started.elapsed().as_secs() < 20);
    }
}

#[test]
fn an_input_that_is_a_folder_or_a_device_says_so() {
    let dir = job_copy();
    std::fs::remove_file(dir.path().join("kasus.csv")).unwrap();
    std::fs::create_dir(dir.path().join("kasus.csv")).unwrap();
    let (code, err) = run(&dir.path().join("job.toml"), &dir.path().join("out"));
    assert_eq!(code, 3);
    assert!(
        err.contains("kasus.csv") && err.contains("is a folder"),
        "{err}"
    );
    edit_job(dir.path(), "kasus.csv", "/dev/zero");
    let (code, err) = run(&dir.path().join("job.toml"), &dir.path().join("out"));
    assert_eq!(code, 3);
    assert!(
        err.contains("/dev/zero") && err.contains("not a regular file"),
        "{err}"
    );
}

/// A zip archive with one stored part whose central directory declares `declared` bytes.
fn zip_declaring(declared: u32) -> Vec<u8> {
    let name = b"xl/worksheets/sheet1.xml";
    let data = b"<x/>";
    let crc = 0u32;
    let mut z = Vec::new();
    // Local file header.
    z.extend_from_slice(&0x04034b50u32.to_le_bytes());
    z.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    z.extend_from_slice(&crc.to_le_bytes());
    z.extend_from_slice(&(data.len() as u32).to_le_bytes());
    z.extend_from_slice(&declared.to_le_bytes());
    z.extend_from_slice(&(name.len() as u16).to_le_bytes());
    z.extend_from_slice(&0u16.to_le_bytes());
    z.extend_from_slice(name);
    z.extend_from_slice(data);
    let cd_start = z.len() as u32;
    // Central directory header.
    z.extend_from_slice(&0x02014b50u32.to_le_bytes());
    z.extend_from_slice(&[20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    z.extend_from_slice(&crc.to_le_bytes());
    z.extend_from_slice(&(data.len() as u32).to_le_bytes());
    z.extend_from_slice(&declared.to_le_bytes());
    z.extend_from_slice(&(name.len() as u16).to_le_bytes());
    z.extend_from_slice(&[0; 12]);
    z.extend_from_slice(&0u32.to_le_bytes());
    z.extend_from_slice(name);
    let cd_len = z.len() as u32 - cd_start;
    // End of central directory.
    z.extend_from_slice(&0x06054b50u32.to_le_bytes());
    z.extend_from_slice(&[0, 0, 0, 0, 1, 0, 1, 0]);
    z.extend_from_slice(&cd_len.to_le_bytes());
    z.extend_from_slice(&cd_start.to_le_bytes());
    z.extend_from_slice(&0u16.to_le_bytes());
    z
}

#[test]
fn a_workbook_that_expands_to_gigabytes_is_refused_before_it_is_inflated() {
    let dir = job_copy();
    std::fs::write(dir.path().join("binaan.xlsx"), zip_declaring(4_000_000_000)).unwrap();
    edit_job(dir.path(), "binaan.csv", "binaan.xlsx");
    let (code, err) = run(&dir.path().join("job.toml"), &dir.path().join("out"));
    assert_eq!(code, 3, "{err}");
    assert!(
        err.contains("binaan.xlsx") && err.contains("expands to 4.0 GB"),
        "{err}"
    );
}

#[test]
fn an_analysis_date_past_every_event_is_refused() {
    let dir = job_copy();
    edit_job(
        dir.path(),
        "as_of = \"2025-06-30\"",
        "as_of = \"2100-06-30\"",
    );
    let (code, err) = run(&dir.path().join("job.toml"), &dir.path().join("out"));
    assert_eq!(code, 3, "{err}");
    assert!(
        err.contains("keberangkatan.csv") && err.contains("as_of") && err.contains("2100-06-30"),
        "{err}"
    );
    assert!(!dir.path().join("out").exists());
}

#[test]
fn settings_that_would_give_wrong_outputs_are_refused() {
    for (extra, key) in [
        (
            "[output]\ncoordinate_precision = 0\n",
            "output.coordinate_precision",
        ),
        ("[uncertainty]\nruns = 0\n", "uncertainty.runs"),
        ("[privacy]\nmin_count = 0\n", "privacy.min_count"),
    ] {
        let dir = job_copy();
        append(dir.path(), "job.toml", &format!("\n{extra}"));
        let (code, err) = run(&dir.path().join("job.toml"), &dir.path().join("out"));
        assert_eq!(code, 3, "{extra}: {err}");
        assert!(err.contains(key), "{err}");
    }
}

#[test]
fn offices_that_cannot_take_anyone_are_explained() {
    let dir = job_copy();
    // The report and the terminal of an English run with this offices file.
    let run_with_offices = |offices: &str| {
        std::fs::write(dir.path().join("kantor.csv"), offices).unwrap();
        let out = dir.path().join("out");
        let job = dir.path().join("job.toml");
        let o = run_ok(&job, &out, &["--lang", "en"]);
        (
            std::fs::read_to_string(out.join("report.md")).unwrap(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    };
    let (report, said) = run_with_offices(
        "office,lat,lon,capacity\nKanim Serang,-6.29,106.01,0\nKanim Cilegon,-6.27,106.03,0\n",
    );
    assert!(
        report.contains("every office in kantor.csv has capacity 0"),
        "{report}"
    );
    assert!(said.contains("capacity 0"), "{said}");
    let (report, _) = run_with_offices("office,lat,lon,capacity\nKanim Serang,-96.29,106.01,1\n");
    assert!(
        report.contains("no office in kantor.csv could be used"),
        "{report}"
    );
}

#[test]
fn implausible_counts_are_rejected_with_a_reason() {
    let dir = job_copy();
    append(
        dir.path(),
        "kasus.csv",
        "K-9,2025-01-10,TPPO,081299887772,36.04.01.2005,,,,Rahasia,3604010101900009\nK-10,2025-01-10,TPPO,5000,36.04.01.2005,,,,Rahasia,3604010101900010\n",
    );
    append(
        dir.path(),
        "keberangkatan.csv",
        "36.04.01.2001,2024-03-15,9999999,nonprocedural\n36.04.01.2001,2024-03-15,\"1,234\",procedural\n",
    );
    let out = dir.path().join("out");
    run_ok(&dir.path().join("job.toml"), &out, &["--restricted"]);
    let rejects = read_csv(&out.join("RESTRICTED_case_rows.csv"));
    let phone = rejects
        .iter()
        .find(|r| r["column"] == "victims" && r["reason"].contains("phone"))
        .expect("the phone number row is rejected");
    assert!(
        phone["reason"].contains("phone number or NIK")
            && !phone["value"].contains("99887772")
            && !phone["reason"].contains("99887772"),
        "{phone:?}"
    );
    let big = rejects
        .iter()
        .find(|r| r["column"] == "victims" && r["reason"].contains("5000"))
        .expect("5000 victims in one case is rejected");
    assert!(
        big["reason"].contains("not a plausible number of victims"),
        "{big:?}"
    );
    let rejects = read_csv(&out.join("rejects.csv"));
    let dep: Vec<_> = rejects
        .iter()
        .filter(|r| r["file"] == "keberangkatan.csv")
        .collect();
    assert!(
        dep.iter()
            .any(|r| r["reason"].contains("not a plausible number of departures")),
        "{dep:?}"
    );
}

#[test]
fn a_population_of_a_quadrillion_is_not_a_village() {
    let dir = job_copy();
    let text = std::fs::read_to_string(dir.path().join("desa.geojson")).unwrap();
    let first = text
        .find("\"population\"")
        .expect("the fixture carries population");
    let end = first + text[first..].find([',', '}']).unwrap();
    let text = format!("{}\"population\": 1e15{}", &text[..first], &text[end..]);
    std::fs::write(dir.path().join("desa.geojson"), text).unwrap();
    let out = dir.path().join("out");
    run_ok(&dir.path().join("job.toml"), &out, &[]);
    let rejects = read_csv(&out.join("rejects.csv"));
    assert!(
        rejects.iter().any(|r| r["column"] == "population"
            && r["reason"].contains("not a plausible village population")),
        "{rejects:?}"
    );
}

#[test]
fn an_unquoted_thousands_separator_shifting_the_cells_rejects_the_row() {
    let dir = job_copy();
    // The count as the last column, as many exports have it.
    std::fs::write(
        dir.path().join("keberangkatan.csv"),
        "kode_desa,date,channel,count\n36.04.01.2001,2024-03-15,nonprocedural,12\n36.04.01.2001,2024-04-15,procedural,1,234\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    run_ok(&dir.path().join("job.toml"), &out, &[]);
    let rejects = read_csv(&out.join("rejects.csv"));
    let r = rejects
        .iter()
        .find(|r| r["file"] == "keberangkatan.csv" && r["reason"].contains("unquoted separator"))
        .expect("the row is rejected");
    assert_eq!(r["value"], "", "nothing of a shifted row is echoed");
}

#[test]
fn a_spreadsheet_date_of_1e20_is_a_reject_not_a_crash() {
    use rust_xlsxwriter::{Format, Workbook};
    let dir = job_copy();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (c, h) in ["kode_desa", "designated_on", "programme", "office"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "36.04.02.2003").unwrap();
    ws.write_number_with_format(1, 1, 45000.0, &date).unwrap();
    ws.write_string(2, 0, "36.04.01.2001").unwrap();
    ws.write_number_with_format(2, 1, 1e20, &date).unwrap();
    wb.save(dir.path().join("binaan.xlsx")).unwrap();
    edit_job(dir.path(), "binaan.csv", "binaan.xlsx");
    let out = dir.path().join("out");
    run_ok(&dir.path().join("job.toml"), &out, &[]);
    let rejects = read_csv(&out.join("rejects.csv"));
    assert!(
        rejects.iter().any(|r| r["file"] == "binaan.xlsx"
            && r["line"] == "3"
            && r["reason"].contains("out of range")),
        "{rejects:?}"
    );
}

#[test]
fn victim_periods_are_labelled_by_their_months_when_the_window_is_not_whole_years() {
    let dir = job_copy();
    edit_job(dir.path(), "window_months = 24", "window_months = 30");
    let out = dir.path().join("out");
    run_ok(
        &dir.path().join("job.toml"),
        &out,
        &["--restricted", "--lang", "en"],
    );
    let svg = std::fs::read_to_string(out.join("victims_by_kabupaten.svg")).unwrap();
    // as_of 2025-06-30, 30 months back from a month's end: the window holds whole months,
    // 2023-01 … 2025-06 (it opened on 2022-12-31 before: one day of December counted as a
    // month): 2023-01 – 2023-06 (6), 2023-07 – 2024-06, 2024-07 – 2025-06.
    for label in [
        "2023-01 – 2023-06 (6 months)",
        "2023-07 – 2024-06 (12 months)",
        "2024-07 – 2025-06 (12 months)",
    ] {
        assert!(svg.contains(label), "{label} missing from the chart");
    }
}

#[test]
fn a_folder_from_an_earlier_rawan_without_the_marker_is_refused_with_its_own_message() {
    let dir = job_copy();
    let out = dir.path().join("out");
    run_ok(&dir.path().join("job.toml"), &out, &[]);
    std::fs::remove_file(out.join(".rawan-output")).unwrap();
    let (code, err) = run(&dir.path().join("job.toml"), &out);
    assert_eq!(code, 4, "{err}");
    assert!(
        err.contains("earlier version of rawan") && err.contains("Delete the folder"),
        "{err}"
    );
    assert!(out.join("villages.geojson").exists(), "nothing was changed");
}

#[test]
fn an_empty_departures_file_is_refused_saying_why() {
    let dir = job_copy();
    std::fs::write(
        dir.path().join("keberangkatan.csv"),
        "kode_desa,date,count,channel\n",
    )
    .unwrap();
    let (code, err) = run(&dir.path().join("job.toml"), &dir.path().join("out"));
    assert_eq!(code, 3, "{err}");
    assert!(
        err.contains("keberangkatan.csv") && err.contains("no data rows"),
        "{err}"
    );
}
