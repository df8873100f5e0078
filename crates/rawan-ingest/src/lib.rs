//! Readers and normalisers: every input table of a job (CSV, XLSX, GeoJSON, Shapefile) into
//! checked records, with every unusable row written to the reject log with its reason and
//! every non-exact village match listed.
//!
//! An input that cannot be read at all (missing file, wrong format, a required column
//! missing, projected coordinates) is an [`IngestError`] naming the file and the problem;
//! the job stops before writing anything. This crate does no analytics.

pub mod crosswalk;
pub mod dates;
mod file_text;
mod geopackage;
pub mod names;
pub mod numbers;
pub mod projection;
pub mod resolve;
pub mod ring_check;
pub mod source;
pub mod tables;
pub mod villages;

use rawan_core::{Inputs, Job, RejectLog, Village};
use std::path::Path;
use std::time::Instant;

/// Why an input cannot be used at all. Every variant names the file and says, in words an
/// analyst can act on, what is wrong; the job stops and writes nothing.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The file cannot be opened or read: missing, a folder, a device or pipe, no permission.
    #[error("{file}: {problem}")]
    Unreadable { file: String, problem: String },
    /// The file, or what it expands to, is larger than rawan reads.
    #[error("{file}: {problem}")]
    TooLarge { file: String, problem: String },
    /// The file is read but is not in a form rawan reads: empty, binary, not UTF-8, not valid
    /// CSV, GeoJSON, Shapefile or spreadsheet, or an unsupported format.
    #[error("{file}: {problem}")]
    Format { file: String, problem: String },
    /// A column, property or sheet the job needs is not there.
    #[error("{file}: {problem}")]
    Missing { file: String, problem: String },
    /// Coordinates that are not longitude/latitude and cannot be transformed.
    #[error("{file}: {problem}")]
    Projection { file: String, problem: String },
    /// Read, but nothing in it can be used (e.g. no valid village).
    #[error("{file}: {problem}")]
    Empty { file: String, problem: String },
}

impl IngestError {
    /// The file the error is about, as the message names it.
    pub fn file(&self) -> &str {
        match self {
            IngestError::Unreadable { file, .. }
            | IngestError::TooLarge { file, .. }
            | IngestError::Format { file, .. }
            | IngestError::Missing { file, .. }
            | IngestError::Projection { file, .. }
            | IngestError::Empty { file, .. } => file,
        }
    }
}

/// Rows read, used and rejected for one input file.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Tally {
    pub read: u64,
    pub used: u64,
    pub rejected: u64,
    /// What the reader noticed (separator, encoding, a title row above the header…).
    pub notes: Vec<String>,
}

/// One input file's tally, named.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FileTally {
    pub table: String,
    pub file: String,
    #[serde(flatten)]
    pub tally: Tally,
}

/// Everything a job read.
#[derive(Debug, Clone, Default)]
pub struct Ingested {
    pub inputs: Inputs,
    pub log: RejectLog,
    pub tallies: Vec<FileTally>,
    /// How long each table took to read, in seconds, in reading order (for `--timings`);
    /// a table read alongside another says so in its label.
    pub read_seconds: Vec<(String, f64)>,
}

/// The file name shown in rejects and messages.
pub fn label(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

pub(crate) fn io_problem(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => {
            "file not found (check the path in the job file; paths are relative to the job file)"
                .into()
        }
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// Largest input file rawan reads (a national village layer is about 200 MB).
pub const MAX_INPUT_BYTES: u64 = 8 << 30;

/// Refuses an input path that is not a regular file of a readable size, saying which.
pub fn check_input_file(path: &Path) -> Result<(), IngestError> {
    let refuse = |problem: String| {
        Err(IngestError::Unreadable {
            file: path.display().to_string(),
            problem,
        })
    };
    match std::fs::metadata(path) {
        Err(e) => refuse(io_problem(&e)),
        Ok(m) if m.is_dir() => {
            refuse("is a folder, not a file (check the path in the job file)".into())
        }
        Ok(m) if !m.is_file() => {
            refuse("is not a regular file (a device, pipe or socket); give a file".into())
        }
        Ok(m) if m.len() > MAX_INPUT_BYTES => Err(IngestError::TooLarge {
            file: path.display().to_string(),
            problem: format!(
                "is {:.1} GB, more than the {} GB rawan reads",
                m.len() as f64 / 1e9,
                MAX_INPUT_BYTES >> 30
            ),
        }),
        Ok(_) => Ok(()),
    }
}

/// Reads every input of a job. `progress` is told which table is being read.
pub fn read_inputs(
    job: &Job,
    progress: &mut (dyn FnMut(&str) + Send),
) -> Result<Ingested, IngestError> {
    read_inputs_beside(job, progress, |_| ()).map(|(ingested, ())| ingested)
}

/// Like [`read_inputs`], and runs `beside` on the villages (their geometry is final once the
/// village layer is read) while the record tables are being read: work that needs only the
/// villages, such as spatial weights, then fills the gaps of reading.
pub fn read_inputs_beside<R: Send>(
    job: &Job,
    progress: &mut (dyn FnMut(&str) + Send),
    beside: impl FnOnce(&[Village]) -> R + Send,
) -> Result<(Ingested, R), IngestError> {
    let mut out = Ingested::default();
    let p = &job.inputs;
    for path in [
        Some(&p.villages),
        p.population.as_ref(),
        Some(&p.departures),
        Some(&p.desa_binaan),
        Some(&p.outreach),
        Some(&p.cases),
        p.offices.as_ref(),
        p.bps_crosswalk.as_ref(),
    ]
    .into_iter()
    .flatten()
    .chain(job.indicators.iter().map(|i| &i.file))
    {
        check_input_file(path)?;
    }
    progress("villages");
    let seconds = |started: Instant| started.elapsed().as_secs_f64();
    let started = Instant::now();
    let (mut villages, t) = villages::read_village_layer(
        &p.villages,
        p.villages_layer.as_deref(),
        &p.columns_for("villages"),
        &mut out.log,
    )?;
    out.tallies.push(FileTally {
        table: "villages".into(),
        file: label(&p.villages),
        tally: t,
    });
    let gazetteer = resolve::Gazetteer::new(&villages);
    out.read_seconds.push(("villages".into(), seconds(started)));
    let crosswalk = match &p.bps_crosswalk {
        Some(path) => {
            progress("bps_crosswalk");
            let started = Instant::now();
            let (cw, t) = crosswalk::read_crosswalk(path, job, &mut out.log)?;
            out.tallies.push(FileTally {
                table: "bps_crosswalk".into(),
                file: label(path),
                tally: t,
            });
            out.read_seconds
                .push(("bps_crosswalk".into(), seconds(started)));
            Some(cw)
        }
        None => None,
    };
    let mut ctx = tables::Ctx {
        job,
        gazetteer: &gazetteer,
        population: Default::default(),
        window_start: job.window_start(),
        crosswalk: crosswalk.as_ref(),
    };
    if let Some(pop_path) = &p.population {
        progress("population");
        let started = Instant::now();
        let (pop, t) =
            tables::read_coded(&ctx, "population", pop_path, &mut out.log, |codes, log| {
                tables::read_population(pop_path, &ctx, codes, log)
            })?;
        out.tallies.push(FileTally {
            table: "population".into(),
            file: label(pop_path),
            tally: t,
        });
        for v in villages.iter_mut() {
            if v.population.is_none() {
                v.population = pop.get(&v.kode_desa).copied();
            }
        }
        out.read_seconds
            .push(("population".into(), seconds(started)));
    }
    ctx.population = villages
        .iter()
        .filter_map(|v| v.population.map(|p| (v.kode_desa, p)))
        .collect();
    let ctx = ctx;
    // The departures (parsed in parallel chunks) alongside the smaller tables (read row by
    // row: the cases keep track of their ids), and `beside` alongside both.
    progress("departures and the other tables");
    let (beside_result, (departures, others)) = rayon::join(
        || beside(&villages),
        || {
            rayon::join(
                || -> Result<_, IngestError> {
                    let started = Instant::now();
                    let mut log = RejectLog::default();
                    let (rows, t) = tables::read_coded(
                        &ctx,
                        "departures",
                        &p.departures,
                        &mut log,
                        |codes, log| tables::read_departures(&p.departures, &ctx, codes, log),
                    )?;
                    Ok((
                        rows,
                        FileTally {
                            table: "departures".into(),
                            file: label(&p.departures),
                            tally: t,
                        },
                        log,
                        seconds(started),
                    ))
                },
                || -> Result<_, IngestError> {
                    let mut log = RejectLog::default();
                    let (mut tallies, mut read_seconds) = (Vec::new(), Vec::new());
                    let mut done = |table: &str, file: &Path, tally: Tally, started: Instant| {
                        tallies.push(FileTally {
                            table: table.into(),
                            file: label(file),
                            tally,
                        });
                        read_seconds
                            .push((format!("{table} (alongside departures)"), seconds(started)));
                    };
                    let started = Instant::now();
                    let (desa_binaan, t) = tables::read_coded(
                        &ctx,
                        "desa_binaan",
                        &p.desa_binaan,
                        &mut log,
                        |codes, log| tables::read_desa_binaan(&p.desa_binaan, &ctx, codes, log),
                    )?;
                    done("desa_binaan", &p.desa_binaan, t, started);
                    let started = Instant::now();
                    let (outreach, t) = tables::read_coded(
                        &ctx,
                        "outreach",
                        &p.outreach,
                        &mut log,
                        |codes, log| tables::read_outreach(&p.outreach, &ctx, codes, log),
                    )?;
                    done("outreach", &p.outreach, t, started);
                    let started = Instant::now();
                    let (cases, t) =
                        tables::read_coded(&ctx, "cases", &p.cases, &mut log, |codes, log| {
                            tables::read_cases(&p.cases, &ctx, codes, log)
                        })?;
                    done("cases", &p.cases, t, started);
                    let offices = match &p.offices {
                        Some(path) => {
                            let started = Instant::now();
                            let (o, t) = tables::read_offices(path, &ctx, &mut log)?;
                            done("offices", path, t, started);
                            o
                        }
                        None => Vec::new(),
                    };
                    let mut indicators = Vec::with_capacity(job.indicators.len());
                    for spec in &job.indicators {
                        let started = Instant::now();
                        let (values, t) = tables::read_coded(
                            &ctx,
                            &spec.name,
                            &spec.file,
                            &mut log,
                            |codes, log| tables::read_indicator(spec, &ctx, codes, log),
                        )?;
                        done(&spec.name, &spec.file, t, started);
                        indicators.push(values);
                    }
                    Ok((
                        desa_binaan,
                        outreach,
                        cases,
                        offices,
                        indicators,
                        tallies,
                        log,
                        read_seconds,
                    ))
                },
            )
        },
    );
    let (departures, departures_tally, departures_log, departures_seconds) = departures?;
    let (desa_binaan, outreach, cases, offices, indicators, tallies, others_log, others_seconds) =
        others?;
    out.tallies.push(departures_tally);
    out.tallies.extend(tallies);
    out.log.extend(departures_log);
    out.log.extend(others_log);
    out.read_seconds
        .push(("departures".into(), departures_seconds));
    out.read_seconds.extend(others_seconds);
    // Deterministic order regardless of file order: rejects by file then line.
    out.log
        .rejects
        .sort_by(|a, b| (&a.file, a.line, &a.column).cmp(&(&b.file, b.line, &b.column)));
    out.log
        .warnings
        .sort_by(|a, b| (&a.file, a.line, &a.column).cmp(&(&b.file, b.line, &b.column)));
    out.log
        .matches
        .sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    villages.shrink_to_fit();
    out.inputs = Inputs {
        villages,
        departures,
        desa_binaan,
        outreach,
        cases,
        offices,
        indicators,
    };
    Ok((out, beside_result))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_say_what_kind_of_problem_and_which_file() {
        let dir = tempfile::tempdir().unwrap();
        let e = check_input_file(dir.path()).unwrap_err();
        assert!(
            matches!(e, IngestError::Unreadable { .. })
                && e.file() == dir.path().display().to_string(),
            "{e:?}"
        );
        assert!(
            e.to_string()
                .ends_with("is a folder, not a file (check the path in the job file)"),
            "{e}"
        );
        let missing = dir.path().join("nowhere.csv");
        assert!(matches!(
            check_input_file(&missing),
            Err(IngestError::Unreadable { .. })
        ));
        let villages = dir.path().join("v.geojson");
        std::fs::write(&villages, r#"{"type":"FeatureCollection","features":[]}"#).unwrap();
        let e = villages::read_villages(&villages, &Default::default(), &mut RejectLog::default())
            .unwrap_err();
        assert!(matches!(e, IngestError::Empty { .. }), "{e:?}");
        std::fs::write(&villages, "not json").unwrap();
        let e = villages::read_villages(&villages, &Default::default(), &mut RejectLog::default())
            .unwrap_err();
        assert!(matches!(e, IngestError::Format { .. }), "{e:?}");
    }
}
