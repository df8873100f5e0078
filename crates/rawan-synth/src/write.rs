//! Writes a world to files. Two flavours:
//! - [`write_sample`]: a job of the messy sample of `data-sample/` on a region's real ground,
//!   exercising every reading rule and planting bad rows, with a [`Truth`] of what was planted
//!   so tests can check the reader.
//! - [`write_plain`]: clean contract-named CSVs and GeoJSON for benchmarks (the peer pipeline
//!   reads only plain files).

use crate::ground::Region;
use crate::province::{SynthVillage, World};
use chrono::{Datelike, NaiveDate};
use rawan_core::{Case, Crime, DesaBinaan, KodeDesa};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{BufWriter, Write};
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("cannot write {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot write {path}: {message}")]
    Other { path: String, message: String },
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// A planted bad row: which file and line, and what the reader should say about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlantedReject {
    pub file: String,
    pub line: u64,
    pub column: String,
    /// A word the reader's reason must contain.
    pub reason_contains: String,
}

/// What the sample holds, for tests: the values a correct reader and join must reproduce.
#[derive(Debug, Clone, Default)]
pub struct Truth {
    pub villages: usize,
    /// Village without a population anywhere.
    pub villages_without_population: Vec<KodeDesa>,
    /// Data rows per file (excluding the header).
    pub rows: BTreeMap<String, u64>,
    pub rejects: Vec<PlantedReject>,
    /// Sum of departures over the window, all villages, from usable rows.
    pub departures_total: f64,
    pub departures_nonprocedural: f64,
    /// Victims per crime over the window, from usable rows.
    pub victims: BTreeMap<String, f64>,
    pub cases: u64,
    pub desa_binaan: u64,
    pub outreach_events: u64,
    /// Rows whose village is found by name (exactly or fuzzily) or by an unpadded code.
    pub not_exact_matches: u64,
    /// Personal values written into the cases file; none may appear in any output.
    pub personal_values: Vec<String>,
}

const BULAN: [&str; 12] = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
];
const HARI: [&str; 7] = [
    "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu",
];

fn tanggal_panjang(d: NaiveDate, with_day: bool) -> String {
    let s = format!("{} {} {}", d.day(), BULAN[d.month0() as usize], d.year());
    if with_day {
        format!("{}, {s}", HARI[d.weekday().num_days_from_monday() as usize])
    } else {
        s
    }
}

/// Ring coordinates as GeoJSON text; `reverse` turns a counter-clockwise ring clockwise.
fn ring_json(out: &mut String, ring: &[geo_types::Coord<f64>], reverse: bool, exact: bool) {
    out.push('[');
    let pts: Box<dyn Iterator<Item = &geo_types::Coord<f64>>> = if reverse {
        Box::new(ring.iter().rev())
    } else {
        Box::new(ring.iter())
    };
    for (k, c) in pts.enumerate() {
        if k > 0 {
            out.push(',');
        }
        out.push('[');
        push_coordinate(out, c.x, exact);
        out.push(',');
        push_coordinate(out, c.y, exact);
        out.push(']');
    }
    out.push(']');
}

/// A coordinate: as the world holds it (shortest text that reads back the same) when its
/// coordinates are already rounded, else to 6 decimals (0.1 m), trailing zeros dropped.
fn push_coordinate(out: &mut String, v: f64, exact: bool) {
    if exact {
        let _ = write!(out, "{v}");
        return;
    }
    let start = out.len();
    let _ = write!(out, "{v:.6}");
    let kept = out[start..]
        .trim_end_matches('0')
        .trim_end_matches('.')
        .len();
    out.truncate(start + kept);
}

/// A village's geometry as GeoJSON; `real_file_winding` writes exteriors clockwise as many
/// real boundary files do (the reader must fix it on output).
fn geometry_json(v: &SynthVillage, real_file_winding: bool, exact: bool) -> String {
    let mut s = String::with_capacity(1024);
    s.push_str("{\"type\":\"MultiPolygon\",\"coordinates\":[");
    for (pi, p) in v.geometry.0.iter().enumerate() {
        if pi > 0 {
            s.push(',');
        }
        s.push('[');
        ring_json(&mut s, &p.exterior().0, real_file_winding, exact);
        for h in p.interiors() {
            s.push(',');
            ring_json(&mut s, &h.0, real_file_winding, exact);
        }
        s.push(']');
    }
    s.push_str("]}");
    s
}

fn json_str(s: &str) -> String {
    serde_json::to_string(s).expect("string serialises")
}

/// Writes every village as a GeoJSON feature: `props` gives the properties' inner text,
/// `header_extra` goes after the FeatureCollection's type, `real_file_winding` as in
/// [`geometry_json`].
fn write_village_layer(
    world: &World,
    path: &Path,
    header_extra: &str,
    real_file_winding: bool,
    props: impl Fn(&SynthVillage) -> String,
) -> Result<(), WriteError> {
    let mut f = create(path)?;
    writeln!(
        f,
        "{{\"type\":\"FeatureCollection\"{header_extra},\"features\":["
    )
    .map_err(io(path))?;
    for (k, v) in world.villages.iter().enumerate() {
        let sep = if k + 1 < world.villages.len() {
            ","
        } else {
            ""
        };
        writeln!(
            f,
            "{{\"type\":\"Feature\",\"properties\":{{{}}},\"geometry\":{}}}{sep}",
            props(v),
            geometry_json(v, real_file_winding, world.spec.exact_coordinates)
        )
        .map_err(io(path))?;
    }
    writeln!(f, "]}}").map_err(io(path))?;
    f.flush().map_err(io(path))
}

fn create(path: &Path) -> Result<BufWriter<std::fs::File>, WriteError> {
    Ok(BufWriter::new(
        std::fs::File::create(path).map_err(io(path))?,
    ))
}

/// Writes the region's sample job (its world from [`Region::world`]) into `dir` and returns
/// what was planted.
pub fn write_sample(world: &World, region: &Region, dir: &Path) -> Result<Truth, WriteError> {
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let mut t = Truth {
        villages: world.villages.len(),
        ..Truth::default()
    };
    let as_of = world.spec.as_of;

    // Villages: BIG field names, clockwise exteriors, no population in the layer.
    write_village_layer(
        world,
        &dir.join("villages.geojson"),
        &format!(",\"name\":\"{}_desa\"", region.key),
        true,
        |v| {
            format!(
                "\"KDEPUM\":\"{}\",\"WADMKD\":{},\"WADMKC\":{},\"WADMKK\":{},\"WADMPR\":{}",
                v.kode_desa,
                json_str(&v.desa),
                json_str(&v.kecamatan),
                json_str(&v.kabupaten),
                json_str(&v.provinsi)
            )
        },
    )?;

    // Population: Dukcapil-style column names, undotted codes; two villages missing.
    let path = dir.join("penduduk.csv");
    let mut w = csv::Writer::from_path(&path).map_err(|e| WriteError::Other {
        path: path.display().to_string(),
        message: e.to_string(),
    })?;
    let csv_err = |path: &Path| {
        let p = path.display().to_string();
        move |e: csv::Error| WriteError::Other {
            path: p.clone(),
            message: e.to_string(),
        }
    };
    w.write_record(["KODE_DESA", "JUMLAH_PENDUDUK", "TAHUN"])
        .map_err(csv_err(&path))?;
    let mut rows = 0;
    for (k, v) in world.villages.iter().enumerate() {
        if k == 17 || k == 905 {
            t.villages_without_population.push(v.kode_desa);
            continue;
        }
        w.write_record([
            v.kode_desa.as_u64().to_string(),
            format!("{}", v.population),
            "2024".into(),
        ])
        .map_err(csv_err(&path))?;
        rows += 1;
    }
    w.flush().map_err(io(&path))?;
    t.rows.insert("penduduk.csv".into(), rows);

    // Departures: comma CSV, year + month, codes in every form; bad rows planted.
    let path = dir.join("pmi_departures.csv");
    let mut w = csv::Writer::from_path(&path).map_err(csv_err(&path))?;
    w.write_record([
        "kode_desa",
        "year",
        "month",
        "destination_country",
        "sector",
        "gender",
        "channel",
        "count",
    ])
    .map_err(csv_err(&path))?;
    let mut line = 1u64;
    let mut n = 0u64;
    let known: std::collections::HashSet<KodeDesa> =
        world.villages.iter().map(|v| v.kode_desa).collect();
    for idx in 0..world.villages.len() {
        for row in world.departures_of(idx) {
            let d = &row.departure;
            n += 1;
            line += 1;
            let code = match n {
                n if n % 41 == 0 => d.kode_desa.as_u64().to_string(),
                n if n % 53 == 0 => {
                    let s = d.kode_desa.to_string();
                    let p: Vec<&str> = s.split('.').collect();
                    format!(
                        "{}.{}.{}.{}",
                        p[0],
                        p[1].trim_start_matches('0'),
                        p[2].trim_start_matches('0'),
                        p[3]
                    )
                }
                n if n % 97 == 0 && d.kode_desa.as_u64() / 1_000_000 % 100 < 10 => {
                    // Undotted, kabupaten lost its zero: 36 1 05 2003. Counted as a non-exact
                    // match only when the candidates resolve to exactly one known village.
                    let k = d.kode_desa.as_u64();
                    let raw = format!(
                        "{}{}{:02}{:04}",
                        k / 100_000_000,
                        k / 1_000_000 % 100,
                        k / 10_000 % 100,
                        k % 10_000
                    );
                    let hits = KodeDesa::unpadded_candidates(&raw)
                        .into_iter()
                        .filter(|c| known.contains(c))
                        .count();
                    if hits == 1 {
                        t.not_exact_matches += 1;
                        raw
                    } else {
                        d.kode_desa.to_string()
                    }
                }
                _ => d.kode_desa.to_string(),
            };
            let nonproc = d.channel == Some(rawan_core::Channel::Nonprocedural);
            w.write_record([
                code,
                d.month.year().to_string(),
                d.month.month().to_string(),
                row.destination_country.to_string(),
                row.sector.to_string(),
                row.gender.to_string(),
                if nonproc {
                    "nonprocedural".into()
                } else {
                    "procedural".into()
                },
                format!("{}", d.count),
            ])
            .map_err(csv_err(&path))?;
            t.departures_total += d.count;
            if nonproc {
                t.departures_nonprocedural += d.count;
            }
        }
    }
    let first = world.villages[0].kode_desa.to_string();
    let unknown = format!("{:02}.99.99.9999", world.villages[0].kode_desa.provinsi());
    let bad_departures: [([&str; 8], &str, &str); 7] = [
        (
            [
                &first,
                "2025",
                "3",
                "Malaysia",
                "informal",
                "P",
                "procedural",
                "-2",
            ],
            "count",
            "negative",
        ),
        (
            [
                &first,
                "2025",
                "4",
                "Malaysia",
                "informal",
                "P",
                "procedural",
                "lima",
            ],
            "count",
            "not a number",
        ),
        (
            [
                &unknown,
                "2025",
                "4",
                "Taiwan",
                "formal",
                "L",
                "procedural",
                "3",
            ],
            "kode_desa",
            "unknown",
        ),
        (
            [
                &first,
                "2025",
                "13",
                "Taiwan",
                "formal",
                "L",
                "procedural",
                "1",
            ],
            "month",
            "month",
        ),
        (
            [
                &first,
                "2025",
                "12",
                "Taiwan",
                "formal",
                "L",
                "procedural",
                "1",
            ],
            "month",
            "after",
        ),
        (
            [
                &first,
                "2022",
                "10",
                "Taiwan",
                "formal",
                "L",
                "procedural",
                "1",
            ],
            "month",
            "before",
        ),
        (
            ["", "2024", "1", "Taiwan", "formal", "L", "procedural", "1"],
            "kode_desa",
            "missing",
        ),
    ];
    for (rec, col, why) in bad_departures {
        line += 1;
        n += 1;
        w.write_record(rec).map_err(csv_err(&path))?;
        t.rejects.push(PlantedReject {
            file: "pmi_departures.csv".into(),
            line,
            column: col.into(),
            reason_contains: why.into(),
        });
    }
    w.flush().map_err(io(&path))?;
    t.rows.insert("pmi_departures.csv".into(), n);

    // Desa binaan: by code in an .xlsx sheet with a title row, real Excel dates and Indonesian
    // text dates; or, where the region's list is written by names, a semicolon CSV of names.
    let binaan = region.desa_binaan(world);
    let binaan_file = if region.random_binaan {
        write_binaan_xlsx(
            world,
            region,
            &binaan,
            &dir.join("desa_binaan.xlsx"),
            &mut t,
        )?;
        "desa_binaan.xlsx"
    } else {
        write_binaan_by_name(region, &dir.join("desa_binaan.csv"), &mut t)?;
        "desa_binaan.csv"
    };

    // Outreach: semicolon-separated, Indonesian long dates; the reported events among them.
    let mut events = world.outreach(&binaan);
    events.extend(region.known_outreach.iter().cloned());
    events.sort_by_key(|a| (a.date, a.kode_desa));
    let path = dir.join("outreach.csv");
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_path(&path)
        .map_err(csv_err(&path))?;
    w.write_record(["kode_desa", "tanggal", "kegiatan", "peserta"])
        .map_err(csv_err(&path))?;
    let mut line = 1;
    for (k, e) in events.iter().enumerate() {
        line += 1;
        let date = match k % 3 {
            0 => tanggal_panjang(e.date, true),
            1 => tanggal_panjang(e.date, false),
            _ => e.date.format("%d/%m/%Y").to_string(),
        };
        w.write_record([
            e.kode_desa.to_string(),
            date,
            e.activity.clone(),
            format!("{}", e.participants.unwrap_or(0.0)),
        ])
        .map_err(csv_err(&path))?;
    }
    t.outreach_events = events.len() as u64;
    for (rec, col, why) in [
        (
            [first.as_str(), "31 Februari 2024", "sosialisasi", "30"],
            "tanggal",
            "date",
        ),
        (
            [first.as_str(), "12 Maret 2024", "sosialisasi", "banyak"],
            "peserta",
            "number",
        ),
    ] {
        line += 1;
        w.write_record(rec).map_err(csv_err(&path))?;
        t.rejects.push(PlantedReject {
            file: "outreach.csv".into(),
            line,
            column: col.into(),
            reason_contains: why.into(),
        });
    }
    w.flush().map_err(io(&path))?;
    t.rows
        .insert("outreach.csv".into(), events.len() as u64 + 2);

    write_cases(world, &dir.join("cases.csv"), &mut t)?;
    let indicator_entries = write_indicator_tables(world, region, dir, &mut t)?;

    // Offices.
    let path = dir.join("offices.csv");
    let mut w = csv::Writer::from_path(&path).map_err(csv_err(&path))?;
    w.write_record(["office", "lat", "lon", "capacity", "radius_km"])
        .map_err(csv_err(&path))?;
    for o in &world.offices {
        w.write_record([
            o.office.clone(),
            o.lat.to_string(),
            o.lon.to_string(),
            o.capacity.map(|c| c.to_string()).unwrap_or_default(),
            o.radius_km.map(|r| r.to_string()).unwrap_or_default(),
        ])
        .map_err(csv_err(&path))?;
    }
    w.flush().map_err(io(&path))?;
    t.rows
        .insert("offices.csv".into(), world.offices.len() as u64);

    let binaan_columns = if region.random_binaan {
        "kode_desa     = \"Kode Desa\"\n"
    } else {
        "desa          = \"Nama Desa\"\nkecamatan     = \"Kecamatan\"\nkabupaten     = \"Kabupaten\"\n"
    };
    let job = format!(
        r#"# The sample job for {title} ({kanwil}): real village boundaries, codes and names;
# synthetic statistics (made by `rawan synth`, see README.md). Paths are relative to this file.
as_of = "{as_of}"
window_months = {window}
seed = 12345
# Marks every output as made from synthetic statistics (report, charts, manifest).
synthetic = true

[inputs]
villages    = "villages.geojson"
population  = "penduduk.csv"
departures  = "pmi_departures.csv"
desa_binaan = "{binaan_file}"
outreach    = "outreach.csv"
cases       = "cases.csv"
offices     = "offices.csv"

# BIG's field names in the village layer.
[inputs.columns.villages]
kode_desa = "KDEPUM"
desa      = "WADMKD"
kecamatan = "WADMKC"
kabupaten = "WADMKK"
provinsi  = "WADMPR"

[inputs.columns.population]
kode_desa  = "KODE_DESA"
population = "JUMLAH_PENDUDUK"

[inputs.columns.desa_binaan]
{binaan_columns}designated_on = "Tanggal Penetapan"
programme     = "Program"
office        = "Kantor"

[inputs.columns.outreach]
date         = "tanggal"
activity     = "kegiatan"
participants = "peserta"

[targeting]
budget = {budget}
{indicator_entries}"#,
        title = region.title,
        kanwil = region.kanwil,
        window = world.spec.window_months,
        budget = region.budget,
    );
    std::fs::write(dir.join("job.toml"), job).map_err(io(&dir.join("job.toml")))?;
    Ok(t)
}

/// The analyst's own indicators (synthetic, BPS/Podes-like): the poverty share
/// (vulnerability) everywhere, and a coping-capacity figure — distance to the nearest health
/// facility in Banten (higher is riskier), the share of households with a mobile signal in
/// Cianjur (lower is riskier). Both follow the latent field with noise. Returns the job
/// file's `[[indicators]]` entries.
fn write_indicator_tables(
    world: &World,
    region: &Region,
    dir: &Path,
    t: &mut Truth,
) -> Result<String, WriteError> {
    use crate::geometry::{mix, unit};
    let noise = |v: &SynthVillage, k: u64| unit(mix(world.spec.seed ^ v.kode_desa.as_u64() ^ k));
    // Poverty: semicolon CSV, decimal commas, as BPS tables exported in Indonesian locale.
    let path = dir.join("kemiskinan.csv");
    let mut text = String::from("kode_desa;persen_miskin;tahun\n");
    let mut rows = 0u64;
    for v in &world.villages {
        let mut share = 5.0 + 16.0 * v.latent + 3.0 * noise(v, 0x9001);
        if v.kode_desa.is_kelurahan() {
            share *= 0.6;
        }
        let share = (share.clamp(1.0, 45.0) * 10.0).round() / 10.0;
        let _ = writeln!(
            text,
            "{};{}",
            v.kode_desa,
            format!("{share:.1};2024").replace('.', ",")
        );
        rows += 1;
    }
    // Planted: a village without a value, and a village given twice.
    let first = &world.villages[0];
    let _ = writeln!(text, "{};;2024", world.villages[1].kode_desa);
    t.rejects.push(PlantedReject {
        file: "kemiskinan.csv".into(),
        line: rows + 2,
        column: "persen_miskin".into(),
        reason_contains: "no value".into(),
    });
    let _ = writeln!(text, "{};12,5;2024", first.kode_desa);
    t.rejects.push(PlantedReject {
        file: "kemiskinan.csv".into(),
        line: rows + 3,
        column: "kode_desa".into(),
        reason_contains: "second value".into(),
    });
    std::fs::write(&path, text).map_err(io(&path))?;
    t.rows.insert("kemiskinan.csv".into(), rows + 2);
    let mut entries = String::from(
        r#"
# The analyst's own indicators (synthetic here, as every statistic of the sample).
[[indicators]]
name = "poverty_rate"
file = "kemiskinan.csv"
column = "persen_miskin"
dimension = "vulnerability"
direction = "higher_is_riskier"
weight = 1.0
label = "Penduduk miskin"
label_en = "Poverty rate"
unit = "% penduduk"
unit_en = "% of residents"
year = 2024
"#,
    );
    let (file, column, name, direction, label, label_en, unit_text, unit_en) =
        if region.random_binaan {
            (
                "akses_layanan.csv",
                "jarak_faskes_km",
                "health_facility_km",
                "higher_is_riskier",
                "Jarak ke faskes",
                "Distance to health facility",
                "km",
                "km",
            )
        } else {
            (
                "akses_layanan.csv",
                "persen_rt_sinyal",
                "mobile_signal_share",
                "lower_is_riskier",
                "Rumah tangga bersinyal",
                "Households with mobile signal",
                "% rumah tangga",
                "% of households",
            )
        };
    let path = dir.join(file);
    let mut text = format!("kode_desa,{column}\n");
    for v in &world.villages {
        let value = if region.random_binaan {
            let km = if v.kode_desa.is_kelurahan() { 1.0 } else { 2.5 }
                + 6.0 * v.latent
                + 2.0 * (noise(v, 0x9002) + 1.0);
            (km * 10.0).round() / 10.0
        } else {
            let pct = 95.0 - 35.0 * v.latent + 6.0 * noise(v, 0x9003);
            (pct.clamp(20.0, 100.0) * 10.0).round() / 10.0
        };
        let _ = writeln!(text, "{},{value:.1}", v.kode_desa);
    }
    std::fs::write(&path, text).map_err(io(&path))?;
    t.rows.insert(file.into(), world.villages.len() as u64);
    let _ = write!(
        entries,
        r#"
[[indicators]]
name = "{name}"
file = "{file}"
column = "{column}"
dimension = "coping_capacity"
direction = "{direction}"
weight = 1.0
label = "{label}"
label_en = "{label_en}"
unit = "{unit_text}"
unit_en = "{unit_en}"
year = 2024
"#
    );
    Ok(entries)
}

/// The region's reported designations as its Kanwil lists them: by names (no codes), the
/// village with and without "Desa", the kecamatan spelt right where the boundary file does not.
fn write_binaan_by_name(region: &Region, path: &Path, t: &mut Truth) -> Result<(), WriteError> {
    let e = |e: csv::Error| WriteError::Other {
        path: path.display().to_string(),
        message: e.to_string(),
    };
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_path(path)
        .map_err(e)?;
    w.write_record([
        "Nama Desa",
        "Kecamatan",
        "Kabupaten",
        "Tanggal Penetapan",
        "Program",
        "Kantor",
    ])
    .map_err(e)?;
    for (k, b) in region.known_binaan.iter().enumerate() {
        let desa = if k % 2 == 0 {
            format!("Desa {}", b.desa)
        } else {
            b.desa.to_string()
        };
        w.write_record([
            desa,
            b.kecamatan.to_string(),
            region.title.replace("Kabupaten", "Kab."),
            tanggal_panjang(b.designated_on, false),
            b.programme.to_string(),
            b.office.to_string(),
        ])
        .map_err(e)?;
        t.not_exact_matches += 1;
    }
    w.flush().map_err(io(path))?;
    t.desa_binaan = region.known_binaan.len() as u64;
    t.rows
        .insert("desa_binaan.csv".into(), region.known_binaan.len() as u64);
    Ok(())
}

fn write_binaan_xlsx(
    world: &World,
    region: &Region,
    binaan: &[DesaBinaan],
    path: &Path,
    t: &mut Truth,
) -> Result<(), WriteError> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let err = |e: rust_xlsxwriter::XlsxError| WriteError::Other {
        path: path.display().to_string(),
        message: e.to_string(),
    };
    let mut wb = Workbook::new();
    // A fixed creation date keeps the file byte-identical between generations.
    let created = ExcelDateTime::from_ymd(2025, 11, 30).map_err(err)?;
    wb.set_properties(&rust_xlsxwriter::DocProperties::new().set_creation_datetime(&created));
    let ws = wb.add_worksheet();
    ws.set_name("Desa Binaan").map_err(err)?;
    let date_fmt = Format::new().set_num_format("dd/mm/yyyy");
    // A title row above the header, as exported reports have.
    ws.write_string(
        0,
        0,
        format!("Daftar Desa Binaan Imigrasi {}", region.kanwil),
    )
    .map_err(err)?;
    let header = [
        "Kode Desa",
        "Nama Desa",
        "Tanggal Penetapan",
        "Program",
        "Kantor",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(2, c as u16, *h).map_err(err)?;
    }
    let names: BTreeMap<KodeDesa, &str> = world
        .villages
        .iter()
        .map(|v| (v.kode_desa, v.desa.as_str()))
        .collect();
    let mut row = 3u32;
    for (k, b) in binaan.iter().enumerate() {
        ws.write_string(row, 0, b.kode_desa.to_string())
            .map_err(err)?;
        ws.write_string(row, 1, format!("Desa {}", names[&b.kode_desa]))
            .map_err(err)?;
        if k % 2 == 0 {
            let d = ExcelDateTime::from_ymd(
                b.designated_on.year() as u16,
                b.designated_on.month() as u8,
                b.designated_on.day() as u8,
            )
            .map_err(err)?;
            ws.write_datetime_with_format(row, 2, &d, &date_fmt)
                .map_err(err)?;
        } else {
            ws.write_string(row, 2, tanggal_panjang(b.designated_on, false))
                .map_err(err)?;
        }
        ws.write_string(row, 3, b.programme.clone().unwrap_or_default())
            .map_err(err)?;
        ws.write_string(row, 4, b.office.clone().unwrap_or_default())
            .map_err(err)?;
        row += 1;
    }
    t.desa_binaan = binaan.len() as u64;
    // Planted: a village designated twice, the earlier designation listed last (it is the
    // one used: the first row is rejected), and a designation after the analysis date.
    if let Some(b) = binaan.first() {
        ws.write_string(row, 0, b.kode_desa.to_string())
            .map_err(err)?;
        ws.write_string(row, 1, names[&b.kode_desa]).map_err(err)?;
        ws.write_string(row, 2, "01/06/2018").map_err(err)?;
        ws.write_string(row, 3, "Desa Binaan Imigrasi")
            .map_err(err)?;
        row += 1;
        t.rejects.push(PlantedReject {
            file: "desa_binaan.xlsx".into(),
            // The first designation's row (the sheet's 4th: title, blank, header above).
            line: 4,
            column: "kode_desa".into(),
            reason_contains: "earliest designation (2018-06-01".into(),
        });
    }
    let last = world.villages.last().expect("villages").kode_desa;
    ws.write_string(row, 0, last.to_string()).map_err(err)?;
    ws.write_string(row, 2, "15 Januari 2026").map_err(err)?;
    row += 1;
    t.rejects.push(PlantedReject {
        file: "desa_binaan.xlsx".into(),
        line: row as u64,
        column: "designated_on".into(),
        reason_contains: "after".into(),
    });
    t.rows
        .insert("desa_binaan.xlsx".into(), binaan.len() as u64 + 2);
    wb.save(path).map_err(err)?;
    Ok(())
}

const FIRST: &[&str] = &[
    "Siti", "Nur", "Dewi", "Rina", "Ayu", "Eka", "Wati", "Lina", "Yanti", "Ahmad", "Budi", "Dedi",
    "Rudi", "Agus", "Iis", "Enah",
];
const LAST: &[&str] = &[
    "Aminah",
    "Rahmawati",
    "Lestari",
    "Susanti",
    "Hidayat",
    "Saputra",
    "Kurniawan",
    "Wulandari",
    "Handayani",
    "Setiawan",
    "Maesaroh",
    "Komariah",
];

fn write_cases(world: &World, path: &Path, t: &mut Truth) -> Result<(), WriteError> {
    let mut cases: Vec<(usize, Case)> = Vec::new();
    for idx in 0..world.villages.len() {
        cases.extend(world.cases_of(idx).into_iter().map(|c| (idx, c)));
    }
    cases.sort_by(|a, b| (a.1.reported_on, &a.1.case_id).cmp(&(b.1.reported_on, &b.1.case_id)));
    let file = std::fs::File::create(path).map_err(io(path))?;
    let mut raw = BufWriter::new(file);
    raw.write_all("\u{FEFF}".as_bytes()).map_err(io(path))?;
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(raw);
    let e = |e: csv::Error| WriteError::Other {
        path: path.display().to_string(),
        message: e.to_string(),
    };
    w.write_record([
        "case_id",
        "reported_on",
        "crime",
        "victims",
        "kode_desa",
        "desa",
        "kecamatan",
        "kabupaten",
        "modus",
        "destination_country",
        "source",
        "nama_korban",
        "nik",
        "no_hp",
        "alamat",
        "catatan",
    ])
    .map_err(e)?;
    let mut line = 1u64;
    for (k, (idx, c)) in cases.iter().enumerate() {
        let v = &world.villages[*idx];
        let name = format!(
            "{} {} {}",
            FIRST[k % FIRST.len()],
            LAST[(k / FIRST.len()) % LAST.len()],
            LAST[(k * 7 + 3) % LAST.len()]
        );
        let kec = v.kode_desa.kecamatan_code();
        let nik = format!(
            "{kec}{:02}{:02}{:02}{:04}",
            1 + k % 28,
            1 + k % 12,
            80 + k % 20,
            1000 + k
        );
        let phone = format!("0812{:08}", 10_000_000 + k * 7919 % 89_999_999);
        let alamat = format!(
            "Jl. Melati Gg. {} No. {} RT 00{}/RW 00{}",
            k % 9 + 1,
            k + 11,
            k % 7 + 1,
            k % 5 + 1
        );
        let catatan = format!(
            "korban {name} dihubungi calo,\ndijanjikan kerja di {}",
            c.destination_country.clone().unwrap_or_default()
        );
        let date = if k % 2 == 0 {
            c.reported_on.format("%Y-%m-%d").to_string()
        } else {
            c.reported_on.format("%d-%m-%Y").to_string()
        };
        let crime = if k % 5 == 0 {
            c.crime.label().to_lowercase()
        } else {
            c.crime.label().to_string()
        };
        // Every 9th case carries names instead of a code, with prefixes and odd case; every
        // 45th with a small typo (found fuzzily).
        let (code, desa, kecamatan, kabupaten) = if k % 9 == 4 {
            t.not_exact_matches += 1;
            let desa = if k % 45 == 4 {
                typo(&v.desa)
            } else if k % 2 == 0 {
                format!("Desa {}", v.desa.to_uppercase())
            } else {
                format!("Ds. {}", v.desa.to_lowercase())
            };
            (
                String::new(),
                desa,
                format!("Kec. {}", v.kecamatan),
                v.kabupaten.replace("Kabupaten", "Kab."),
            )
        } else {
            (
                c.kode_desa.to_string(),
                v.desa.clone(),
                v.kecamatan.clone(),
                v.kabupaten.clone(),
            )
        };
        w.write_record([
            c.case_id.clone(),
            date,
            crime,
            format!("{}", c.victims),
            code,
            desa,
            kecamatan,
            kabupaten,
            c.modus.clone().unwrap_or_default(),
            c.destination_country.clone().unwrap_or_default(),
            c.source.clone().unwrap_or_default(),
            name.clone(),
            nik.clone(),
            phone.clone(),
            alamat.clone(),
            catatan.clone(),
        ])
        .map_err(e)?;
        line += 1 + catatan.matches('\n').count() as u64;
        *t.victims.entry(c.crime.label().to_string()).or_default() += c.victims;
        t.cases += 1;
        t.personal_values.extend([name, nik, phone, alamat]);
    }
    let (_, c0) = cases.first().cloned().expect("at least one case");
    let bad: [([String; 5], &str, &str); 5] = [
        (
            [
                c0.case_id.clone(),
                "2025-01-05".into(),
                "TPPO".into(),
                "1".into(),
                c0.kode_desa.to_string(),
            ],
            "case_id",
            "duplicate",
        ),
        (
            [
                "X-1".into(),
                "2025-01-05".into(),
                "narkoba".into(),
                "1".into(),
                c0.kode_desa.to_string(),
            ],
            "crime",
            "crime",
        ),
        (
            [
                "X-2".into(),
                "2025-01-05".into(),
                "TPPO".into(),
                "dua".into(),
                c0.kode_desa.to_string(),
            ],
            "victims",
            "number",
        ),
        (
            [
                "X-3".into(),
                "2026-01-05".into(),
                "TPPO".into(),
                "1".into(),
                c0.kode_desa.to_string(),
            ],
            "reported_on",
            "after",
        ),
        (
            [
                "X-4".into(),
                "2025-01-05".into(),
                "TPPM".into(),
                "1".into(),
                String::new(),
            ],
            "kode_desa",
            "not found",
        ),
    ];
    for (rec, col, why) in bad {
        let mut full: Vec<String> = rec.to_vec();
        let desa = if col == "kode_desa" {
            "Desa Tidak Ada".to_string()
        } else {
            String::new()
        };
        full.extend([
            desa,
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            "Korban Contoh Rahasia".into(),
            "3601010101900001".into(),
            String::new(),
            String::new(),
            String::new(),
        ]);
        w.write_record(&full).map_err(e)?;
        line += 1;
        t.rejects.push(PlantedReject {
            file: "cases.csv".into(),
            line,
            column: col.into(),
            reason_contains: why.into(),
        });
    }
    t.personal_values.extend([
        "Korban Contoh Rahasia".to_string(),
        "3601010101900001".to_string(),
    ]);
    w.flush().map_err(io(path))?;
    t.rows.insert("cases.csv".into(), cases.len() as u64 + 5);
    Ok(())
}

/// Swaps two inner letters: "Sukajaya" -> "Sukjaaya".
fn typo(s: &str) -> String {
    let mut c: Vec<char> = s.chars().collect();
    if c.len() > 5 {
        c.swap(3, 4);
    }
    c.into_iter().collect()
}

/// Clean, contract-named files for benchmarks and the peer pipeline; returns rows written
/// per file. Departures are streamed, so a national set never sits in memory whole.
pub fn write_plain(world: &World, dir: &Path) -> Result<BTreeMap<String, u64>, WriteError> {
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let mut rows = BTreeMap::new();
    write_village_layer(world, &dir.join("villages.geojson"), "", false, |v| {
        format!(
            "\"kode_desa\":\"{}\",\"desa\":{},\"kecamatan\":{},\"kabupaten\":{},\"provinsi\":{},\"population\":{}",
            v.kode_desa,
            json_str(&v.desa),
            json_str(&v.kecamatan),
            json_str(&v.kabupaten),
            json_str(&v.provinsi),
            v.population
        )
    })?;
    rows.insert("villages.geojson".into(), world.villages.len() as u64);

    let path = dir.join("pmi_departures.csv");
    let mut f = create(&path)?;
    writeln!(
        f,
        "kode_desa,year,month,destination_country,sector,gender,channel,count"
    )
    .map_err(io(&path))?;
    let mut n = 0;
    // Villages are generated in parallel chunks but written in order: deterministic.
    use rayon::prelude::*;
    for chunk in (0..world.villages.len()).collect::<Vec<_>>().chunks(2048) {
        let texts: Vec<String> = chunk
            .par_iter()
            .map(|&idx| {
                let mut s = String::new();
                for row in world.departures_of(idx) {
                    let d = &row.departure;
                    let ch = if d.channel == Some(rawan_core::Channel::Nonprocedural) {
                        "nonprocedural"
                    } else {
                        "procedural"
                    };
                    let _ = writeln!(
                        s,
                        "{},{},{},{},{},{},{ch},{}",
                        d.kode_desa,
                        d.month.year(),
                        d.month.month(),
                        row.destination_country,
                        row.sector,
                        row.gender,
                        d.count
                    );
                }
                s
            })
            .collect();
        for s in texts {
            n += s.matches('\n').count() as u64;
            f.write_all(s.as_bytes()).map_err(io(&path))?;
        }
    }
    f.flush().map_err(io(&path))?;
    rows.insert("pmi_departures.csv".into(), n);

    let binaan = world.desa_binaan();
    let path = dir.join("desa_binaan.csv");
    let mut f = create(&path)?;
    writeln!(f, "kode_desa,designated_on,programme,office").map_err(io(&path))?;
    for b in &binaan {
        writeln!(
            f,
            "{},{},{},{}",
            b.kode_desa,
            b.designated_on,
            b.programme.clone().unwrap_or_default(),
            b.office.clone().unwrap_or_default()
        )
        .map_err(io(&path))?;
    }
    f.flush().map_err(io(&path))?;
    rows.insert("desa_binaan.csv".into(), binaan.len() as u64);

    let events = world.outreach(&binaan);
    let path = dir.join("outreach.csv");
    let mut f = create(&path)?;
    writeln!(f, "kode_desa,date,activity,participants").map_err(io(&path))?;
    for e in &events {
        writeln!(
            f,
            "{},{},{},{}",
            e.kode_desa,
            e.date,
            e.activity,
            e.participants.unwrap_or(0.0)
        )
        .map_err(io(&path))?;
    }
    f.flush().map_err(io(&path))?;
    rows.insert("outreach.csv".into(), events.len() as u64);

    let path = dir.join("cases.csv");
    let mut f = create(&path)?;
    writeln!(
        f,
        "case_id,reported_on,crime,victims,kode_desa,modus,destination_country,source"
    )
    .map_err(io(&path))?;
    let cases: Vec<Vec<Case>> = (0..world.villages.len())
        .into_par_iter()
        .map(|idx| world.cases_of(idx))
        .collect();
    let mut n = 0;
    for c in cases.iter().flatten() {
        n += 1;
        let crime = match c.crime {
            Crime::Tppo => "TPPO",
            Crime::Tppm => "TPPM",
        };
        writeln!(
            f,
            "{},{},{crime},{},{},{},{},{}",
            c.case_id,
            c.reported_on,
            c.victims,
            c.kode_desa,
            c.modus.clone().unwrap_or_default(),
            c.destination_country.clone().unwrap_or_default(),
            c.source.clone().unwrap_or_default()
        )
        .map_err(io(&path))?;
    }
    f.flush().map_err(io(&path))?;
    rows.insert("cases.csv".into(), n);

    let path = dir.join("offices.csv");
    let mut f = create(&path)?;
    writeln!(f, "office,lat,lon,capacity").map_err(io(&path))?;
    for o in &world.offices {
        writeln!(
            f,
            "{},{},{},{}",
            o.office,
            o.lat,
            o.lon,
            o.capacity.unwrap_or(0)
        )
        .map_err(io(&path))?;
    }
    f.flush().map_err(io(&path))?;
    rows.insert("offices.csv".into(), world.offices.len() as u64);

    // Two indicators of the analyst's kind (vulnerability, coping capacity), so that the
    // benchmark times the [[indicators]] path too.
    for (file, column, scale, offset, k) in [
        ("poverty.csv", "poverty_pct", 16.0, 5.0, 0x9001u64),
        ("services.csv", "health_facility_km", 6.0, 2.5, 0x9002),
    ] {
        let path = dir.join(file);
        let mut f = create(&path)?;
        writeln!(f, "kode_desa,{column}").map_err(io(&path))?;
        for v in &world.villages {
            let noise = crate::geometry::unit(crate::geometry::mix(
                world.spec.seed ^ v.kode_desa.as_u64() ^ k,
            ));
            let value = offset + scale * v.latent + 2.0 * (noise + 1.0);
            writeln!(f, "{},{value:.1}", v.kode_desa).map_err(io(&path))?;
        }
        f.flush().map_err(io(&path))?;
        rows.insert(file.into(), world.villages.len() as u64);
    }

    let job = format!(
        "# Benchmark job made by `rawan synth --plain`.\nas_of = \"{}\"\nwindow_months = {}\nseed = 12345\n\n[inputs]\nvillages = \"villages.geojson\"\ndepartures = \"pmi_departures.csv\"\ndesa_binaan = \"desa_binaan.csv\"\noutreach = \"outreach.csv\"\ncases = \"cases.csv\"\noffices = \"offices.csv\"\n\n[targeting]\nbudget = 50\n\n[[indicators]]\nname = \"poverty_rate\"\nfile = \"poverty.csv\"\ncolumn = \"poverty_pct\"\ndimension = \"vulnerability\"\n\n[[indicators]]\nname = \"health_facility_km\"\nfile = \"services.csv\"\ncolumn = \"health_facility_km\"\ndimension = \"coping_capacity\"\n",
        world.spec.as_of, world.spec.window_months
    );
    std::fs::write(dir.join("job.toml"), job).map_err(io(&dir.join("job.toml")))?;
    Ok(rows)
}
