//! Readers and normalisers: every input table of a job (CSV, XLSX, GeoJSON, Shapefile) into
//! checked records, with every unusable row written to the reject log with its reason and
//! every non-exact village match listed.
//!
//! An input that cannot be read at all (missing file, wrong format, a required column
//! missing, projected coordinates) is an [`IngestError`] naming the file and the problem;
//! the job stops before writing anything. This crate does no analytics.

pub mod dates;
mod file_text;
pub mod names;
pub mod numbers;
pub mod projection;
pub mod resolve;
pub mod source;
pub mod tables;
pub mod villages;

use rawan_core::{Inputs, Job, RejectLog, Village};
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("{file}: {problem}")]
    Unreadable { file: String, problem: String },
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
}

/// The file name shown in rejects and messages.
pub fn label(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string())
}

pub(crate) fn io_problem(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "file not found (check the path in the job file; paths are relative to the job file)".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// Reads every input of a job. `progress` is told which table is being read.
pub fn read_inputs(job: &Job, progress: &mut (dyn FnMut(&str) + Send)) -> Result<Ingested, IngestError> {
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
    for path in [Some(&p.villages), p.population.as_ref(), Some(&p.departures), Some(&p.desa_binaan), Some(&p.outreach), Some(&p.cases), p.offices.as_ref()]
        .into_iter()
        .flatten()
    {
        if !path.is_file() {
            return Err(IngestError::Unreadable { file: path.display().to_string(), problem: io_problem(&std::io::Error::from(std::io::ErrorKind::NotFound)) });
        }
    }
    progress("villages");
    let (mut villages, t) = villages::read_villages(&p.villages, &p.columns_for("villages"), &mut out.log)?;
    out.tallies.push(FileTally { table: "villages".into(), file: label(&p.villages), tally: t });
    let gazetteer = resolve::Gazetteer::new(&villages);
    let ctx = tables::Ctx { job, gazetteer: &gazetteer, window_start: job.window_start() };
    if let Some(pop_path) = &p.population {
        progress("population");
        let (pop, t) = tables::read_population(pop_path, &ctx, &mut out.log)?;
        out.tallies.push(FileTally { table: "population".into(), file: label(pop_path), tally: t });
        for v in villages.iter_mut() {
            if v.population.is_none() {
                v.population = pop.get(&v.kode_desa).copied();
            }
        }
    }
    let mut tables_log = RejectLog::default();
    // Told before the split, so the villages' time does not include the work beside.
    progress("departures");
    let (beside_result, tables) = rayon::join(
        || beside(&villages),
        || -> Result<_, IngestError> {
            let log = &mut tables_log;
            let mut tallies = Vec::new();
            let (departures, t) = tables::read_departures(&p.departures, &ctx, log)?;
            tallies.push(FileTally { table: "departures".into(), file: label(&p.departures), tally: t });
            progress("desa_binaan");
            let (desa_binaan, t) = tables::read_desa_binaan(&p.desa_binaan, &ctx, log)?;
            tallies.push(FileTally { table: "desa_binaan".into(), file: label(&p.desa_binaan), tally: t });
            progress("outreach");
            let (outreach, t) = tables::read_outreach(&p.outreach, &ctx, log)?;
            tallies.push(FileTally { table: "outreach".into(), file: label(&p.outreach), tally: t });
            progress("cases");
            let (cases, t) = tables::read_cases(&p.cases, &ctx, log)?;
            tallies.push(FileTally { table: "cases".into(), file: label(&p.cases), tally: t });
            let offices = match &p.offices {
                Some(path) => {
                    progress("offices");
                    let (o, t) = tables::read_offices(path, &ctx, log)?;
                    tallies.push(FileTally { table: "offices".into(), file: label(path), tally: t });
                    o
                }
                None => Vec::new(),
            };
            Ok((departures, desa_binaan, outreach, cases, offices, tallies))
        },
    );
    let (departures, desa_binaan, outreach, cases, offices, tallies) = tables?;
    out.tallies.extend(tallies);
    out.log.extend(tables_log);
    // Deterministic order regardless of file order: rejects by file then line.
    out.log.rejects.sort_by(|a, b| (&a.file, a.line, &a.column).cmp(&(&b.file, b.line, &b.column)));
    out.log.warnings.sort_by(|a, b| (&a.file, a.line, &a.column).cmp(&(&b.file, b.line, &b.column)));
    out.log.matches.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    villages.shrink_to_fit();
    out.inputs = Inputs { villages, departures, desa_binaan, outreach, cases, offices };
    Ok((out, beside_result))
}
