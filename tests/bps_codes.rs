//! A table keyed by BPS village codes (`PPKKCCCDDD`, a numbering whose digits name other
//! villages when read as Kemendagri's) joins through the crosswalk the job names, and gives
//! the same results as the same table keyed by Kemendagri codes; without a crosswalk it is
//! refused, never joined to the wrong villages.

mod common;
use common::*;
use std::collections::BTreeMap;
use std::path::Path;

/// BPS codes for the sample's villages, in BPS's pattern: kecamatan `CC` becomes `CC0`
/// (BPS's usual multiples of ten) and villages are numbered 001, 002… within it. One
/// kecamatan that has kelurahan becomes `CC1` instead (BPS's code for a split kecamatan), so
/// that its codes read as Kemendagri's name kelurahan of the layer: the wrong join a direct
/// reading would make. Kemendagri code → BPS code.
fn bps_codes(job: &Path) -> BTreeMap<String, String> {
    let layer = read_json(&job.join("villages.geojson"));
    let mut kode: Vec<u64> = layer["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            f["properties"]["KDEPUM"]
                .as_str()
                .unwrap()
                .replace('.', "")
                .parse()
                .unwrap()
        })
        .collect();
    kode.sort();
    let split = kode
        .iter()
        .find(|k| *k % 10_000 < 2_000)
        .map(|k| k / 10_000)
        .expect("the sample has kelurahan");
    let mut out = BTreeMap::new();
    let (mut kecamatan, mut n) = (0, 0);
    for k in kode {
        if k / 10_000 != kecamatan {
            (kecamatan, n) = (k / 10_000, 0);
        }
        n += 1;
        let cc = k / 10_000 % 100;
        let ccc = cc * 10 + u64::from(k / 10_000 == split);
        let bps = (k / 1_000_000) * 1_000_000 + ccc * 1_000 + n;
        let dotted = format!(
            "{:02}.{:02}.{:02}.{:04}",
            k / 100_000_000,
            k / 1_000_000 % 100,
            cc,
            k % 10_000
        );
        out.insert(dotted, format!("{bps:010}"));
    }
    out
}

/// Writes the BPS-coded population and poverty files and the crosswalk (BPS's column names, two rows
/// about another province, one BPS code listed with two villages) into `job`, and points
/// the job at the population file. Returns how many BPS codes read as a known village.
fn write_bps_inputs(job: &Path) -> usize {
    let codes = bps_codes(job);
    let pop = read_csv(&job.join("penduduk.csv"));
    let mut text = String::from("KODE_BPS_DESA,JUMLAH_PENDUDUK,TAHUN\n");
    for row in &pop {
        let k = &row["KODE_DESA"];
        let dotted = format!("{}.{}.{}.{}", &k[0..2], &k[2..4], &k[4..6], &k[6..10]);
        text += &format!(
            "{},{},{}\n",
            codes[&dotted], row["JUMLAH_PENDUDUK"], row["TAHUN"]
        );
    }
    // A village of another province: in no crosswalk row of this job.
    text += "3171010001,5000,2024\n";
    std::fs::write(job.join("penduduk_bps.csv"), text).unwrap();
    // The analyst's poverty indicator (semicolon, dotted Kemendagri codes) keyed by BPS codes
    // too; its rows with a code the layer lacks stay as they are.
    let poverty = std::fs::read_to_string(job.join("kemiskinan.csv")).unwrap();
    let poverty: String = poverty
        .lines()
        .map(|line| {
            let (kode, rest) = line.split_once(';').unwrap();
            format!("{};{rest}\n", codes.get(kode).map_or(kode, |b| b.as_str()))
        })
        .collect();
    std::fs::write(job.join("kemiskinan.csv"), poverty).unwrap();
    let mut cw = String::from("KODE_BPS,KODE_KEMENDAGRI,NAMA_DESA\n");
    for (kemendagri, bps) in &codes {
        cw += &format!("{bps},{kemendagri},x\n");
    }
    cw += "3171010002,31.71.01.1002,Gambir\n3171010003,31.71.01.1003,Kebon Kelapa\n";
    cw += "3171010003,31.71.01.1004,Petojo Utara\n";
    std::fs::write(job.join("crosswalk.csv"), cw).unwrap();
    edit_job(
        job,
        "population  = \"penduduk.csv\"",
        "population  = \"penduduk_bps.csv\"",
    );
    edit_job(
        job,
        "kode_desa  = \"KODE_DESA\"",
        "kode_desa  = \"KODE_BPS_DESA\"",
    );
    let known: std::collections::BTreeSet<&String> = codes.keys().collect();
    codes
        .values()
        .filter(|bps| {
            let dotted = format!(
                "{}.{}.{}.{}",
                &bps[0..2],
                &bps[2..4],
                &bps[4..6],
                &bps[6..10]
            );
            known.contains(&dotted)
        })
        .count()
}

fn with_crosswalk(job: &Path) {
    edit_job(
        job,
        "offices     = \"offices.csv\"",
        "offices     = \"offices.csv\"\nbps_crosswalk = \"crosswalk.csv\"\n\n[inputs.columns.bps_crosswalk]\nkode_bps  = \"KODE_BPS\"\nkode_desa = \"KODE_KEMENDAGRI\"",
    );
}

const SAME: [&str; 5] = [
    "villages.geojson",
    "villages_ranked.csv",
    "recommendations.csv",
    "hotspots.geojson",
    "kecamatan_summary.csv",
];

#[test]
fn a_bps_coded_population_joins_through_the_crosswalk() {
    let job = sample_copy();
    let colliding = write_bps_inputs(job.path());
    assert!(
        colliding > 0,
        "some BPS codes must read as other villages of the layer, or the test proves nothing"
    );
    with_crosswalk(job.path());
    let out = tempfile::tempdir().unwrap();
    let (bps, committed) = (out.path().join("bps"), out.path().join("committed"));
    run_ok(&job.path().join("job.toml"), &bps, &[]);
    run_ok(&root().join("data-sample/job.toml"), &committed, &[]);
    for f in SAME {
        assert!(
            std::fs::read(bps.join(f)).unwrap() == std::fs::read(committed.join(f)).unwrap(),
            "{f} differs between the BPS-coded population and the Kemendagri-coded one"
        );
    }
    // Every row through the crosswalk is listed as a match; the unknown code is a reject.
    let matches = read_csv(&bps.join("matches.csv"));
    let through: Vec<_> = matches
        .iter()
        .filter(|m| m["file"] == "penduduk_bps.csv")
        .collect();
    assert_eq!(through.len(), 1550, "one match per population row");
    assert!(through.iter().all(|m| m["method"] == "bps_crosswalk"));
    let poverty = matches
        .iter()
        .filter(|m| m["file"] == "kemiskinan.csv" && m["method"] == "bps_crosswalk")
        .count();
    assert!(
        poverty >= 1552,
        "the indicator joined through the crosswalk too: {poverty}"
    );
    let rejects = read_csv(&bps.join("rejects.csv"));
    let about = |file: &str| -> Vec<&BTreeMap<String, String>> {
        rejects.iter().filter(|r| r["file"] == file).collect()
    };
    let pop = about("penduduk_bps.csv");
    assert_eq!(pop.len(), 1, "{pop:?}");
    assert!(
        pop[0]["reason"].contains("BPS code 3171010001 is not in the crosswalk crosswalk.csv"),
        "{pop:?}"
    );
    let before = read_csv(&committed.join("rejects.csv"));
    assert_eq!(
        about("kemiskinan.csv").len(),
        before
            .iter()
            .filter(|r| r["file"] == "kemiskinan.csv")
            .count(),
        "the poverty file loses no more rows than keyed by Kemendagri codes"
    );
    let cw = about("crosswalk.csv");
    assert_eq!(
        cw.len(),
        2,
        "both rows of the code with two villages: {cw:?}"
    );
    assert!(
        cw[0]["reason"].contains("listed again with another village"),
        "{cw:?}"
    );
    assert!(
        cw[1]["reason"].contains("already leads to 31.71.01.1003"),
        "{cw:?}"
    );
    let summary = read_json(&bps.join("manifest.json"));
    let text = summary.to_string();
    assert!(
        text.contains("crosswalk.csv"),
        "the manifest lists the crosswalk"
    );
}

#[test]
fn a_declared_bps_table_joins_the_same_way() {
    let job = sample_copy();
    write_bps_inputs(job.path());
    with_crosswalk(job.path());
    edit_job(
        job.path(),
        "[targeting]",
        "[inputs.codes]\npopulation = \"bps\"\npoverty_rate = \"bps\"\n\n[targeting]",
    );
    let out = tempfile::tempdir().unwrap();
    let (bps, committed) = (out.path().join("bps"), out.path().join("committed"));
    run_ok(&job.path().join("job.toml"), &bps, &[]);
    run_ok(&root().join("data-sample/job.toml"), &committed, &[]);
    assert!(
        std::fs::read(bps.join("villages_ranked.csv")).unwrap()
            == std::fs::read(committed.join("villages_ranked.csv")).unwrap()
    );
}

#[test]
fn without_a_crosswalk_bps_codes_are_refused() {
    let job = sample_copy();
    write_bps_inputs(job.path());
    let out = tempfile::tempdir().unwrap();
    let (code, err) = run_fails(&job.path().join("job.toml"), &out.path().join("o"));
    assert_ne!(code, 0);
    for said in [
        "penduduk_bps.csv",
        "look like BPS codes",
        "bps_crosswalk",
        "[inputs.codes] population = \"kemendagri\"",
    ] {
        assert!(err.contains(said), "{said:?} not in: {err}");
    }
    assert!(
        !out.path().join("o").exists(),
        "a refused job writes nothing"
    );

    // Declared BPS without a crosswalk: the job file itself is refused.
    edit_job(
        job.path(),
        "[targeting]",
        "[inputs.codes]\npopulation = \"bps\"\npoverty_rate = \"kemendagri\"\n\n[targeting]",
    );
    let (code, err) = run_fails(&job.path().join("job.toml"), &out.path().join("o"));
    assert_ne!(code, 0);
    assert!(err.contains("inputs.codes.population"), "{err}");

    // Said to be Kemendagri's, the codes are read as such (the analyst's word is taken), and
    // the rejects of BPS-looking codes ask whether they are BPS codes.
    edit_job(
        job.path(),
        "population = \"bps\"",
        "population = \"kemendagri\"",
    );
    run_ok(&job.path().join("job.toml"), &out.path().join("o"), &[]);
    let rejects = read_csv(&out.path().join("o/rejects.csv"));
    let hinted = rejects
        .iter()
        .filter(|r| r["file"] == "penduduk_bps.csv" && r["reason"].contains("a BPS code?"))
        .count();
    assert!(
        hinted > 1000,
        "each BPS-marked code's reject says what it may be: {hinted}"
    );
}
