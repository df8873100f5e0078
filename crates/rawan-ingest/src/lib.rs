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
use rayon::prelude::*;
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

/// What reading one table leaves beside its rows.
struct TableRead {
    tally: FileTally,
    log: RejectLog,
    /// (name in `--timings`, seconds).
    seconds: (String, f64),
}

/// Reads one table with a log of its own; `alongside` marks it in `--timings` as read
/// beside the departures.
fn read_one<T>(
    table: &str,
    file: &Path,
    alongside: bool,
    read: impl FnOnce(&mut RejectLog) -> Result<(T, Tally), IngestError>,
) -> Result<(T, TableRead), IngestError> {
    let started = Instant::now();
    let mut log = RejectLog::default();
    let (rows, tally) = read(&mut log)?;
    let name = if alongside {
        format!("{table} (alongside departures)")
    } else {
        table.to_string()
    };
    Ok((
        rows,
        TableRead {
            tally: FileTally {
                table: table.into(),
                file: label(file),
                tally,
            },
            log,
            seconds: (name, started.elapsed().as_secs_f64()),
        },
    ))
}

/// [`read_one`] for a table keyed by village code.
fn coded<T>(
    ctx: &tables::Ctx,
    table: &str,
    file: &Path,
    alongside: bool,
    read: impl Fn(&tables::Codes, &mut RejectLog) -> Result<(T, Tally), IngestError>,
) -> Result<(T, TableRead), IngestError> {
    read_one(table, file, alongside, |log| {
        tables::read_coded(ctx, table, file, log, read)
    })
}

/// A table's rows and what reading it left, or why it could not be read.
type TableResult<T> = Result<(T, TableRead), IngestError>;

/// The tables read beside the departures.
struct Others {
    cases: TableResult<Vec<rawan_core::records::Case>>,
    indicators: Vec<TableResult<std::collections::HashMap<rawan_core::KodeDesa, f64>>>,
    desa_binaan: TableResult<Vec<rawan_core::records::DesaBinaan>>,
    outreach: TableResult<Vec<rawan_core::records::OutreachEvent>>,
    offices: Option<TableResult<Vec<rawan_core::records::Office>>>,
}

/// Reads the tables beside the departures side by side, the cases (the largest) first.
fn read_others(ctx: &tables::Ctx) -> Others {
    let p = &ctx.job.inputs;
    let (cases, (indicators, (desa_binaan, outreach, offices))) = rayon::join(
        || {
            coded(ctx, "cases", &p.cases, true, |c, log| {
                tables::read_cases(&p.cases, ctx, c, log)
            })
        },
        || {
            rayon::join(
                || {
                    ctx.job
                        .indicators
                        .par_iter()
                        .map(|spec| {
                            coded(ctx, &spec.name, &spec.file, true, |c, log| {
                                tables::read_indicator(spec, ctx, c, log)
                            })
                        })
                        .collect()
                },
                || {
                    (
                        coded(ctx, "desa_binaan", &p.desa_binaan, true, |c, log| {
                            tables::read_desa_binaan(&p.desa_binaan, ctx, c, log)
                        }),
                        coded(ctx, "outreach", &p.outreach, true, |c, log| {
                            tables::read_outreach(&p.outreach, ctx, c, log)
                        }),
                        p.offices.as_ref().map(|path| {
                            read_one("offices", path, true, |log| {
                                tables::read_offices(path, ctx, log)
                            })
                        }),
                    )
                },
            )
        },
    );
    Others {
        cases,
        indicators,
        desa_binaan,
        outreach,
        offices,
    }
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
    // The departures (parsed in parallel chunks) alongside the smaller tables (each read row
    // by row: the cases keep track of their ids, but the tables are independent of each
    // other, so they are read side by side), and `beside` alongside all of them. Each table
    // keeps its own log; they are merged below in a fixed order, so nothing depends on which
    // finished first, and the first failure in that order is the one reported.
    progress("departures and the other tables");
    let (beside_result, (departures, others)) = rayon::join(
        || beside(&villages),
        || {
            rayon::join(
                || {
                    coded(&ctx, "departures", &p.departures, false, |c, log| {
                        tables::read_departures(&p.departures, &ctx, c, log)
                    })
                },
                || read_others(&ctx),
            )
        },
    );
    let Others {
        cases,
        indicators,
        desa_binaan,
        outreach,
        offices,
    } = others;
    // The order the tables have always been listed in (tallies, timings), and of their errors.
    let (departures, departures_read) = departures?;
    let (desa_binaan, desa_binaan_read) = desa_binaan?;
    let (outreach, outreach_read) = outreach?;
    let (cases, cases_read) = cases?;
    let (offices, offices_read) = match offices.transpose()? {
        Some((o, read)) => (o, Some(read)),
        None => (Vec::new(), None),
    };
    let (indicators, indicators_read): (Vec<_>, Vec<_>) = indicators
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .unzip();
    for read in [departures_read, desa_binaan_read, outreach_read, cases_read]
        .into_iter()
        .chain(offices_read)
        .chain(indicators_read)
    {
        out.tallies.push(read.tally);
        out.log.extend(read.log);
        out.read_seconds.push(read.seconds);
    }
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
