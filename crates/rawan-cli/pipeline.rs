//! The stages of a run, in order: read the job → read the inputs (spatial weights alongside)
//! → model → local statistics (rank uncertainty alongside) → targeting → assemble → publish →
//! manifest → move into place. Each stage is a call into the crate that owns it and returns a
//! small struct; [`run`] reads as that list. Work overlapped across the two cores is started
//! here, visibly, and nowhere else.

use crate::Failure;
use crate::args::{LangArg, RunArgs, SynthArgs};
use crate::assemble::{self, StageResults};
use crate::progress::{
    Progress, cpu_seconds, lowest_priority, part_time, peak_rss_mb, seconds_text,
};
use crate::staging::Staging;
use rawan_core::Job;
use rawan_core::i18n::{fill, t};
use rawan_core::settings::Lang;
use rawan_ingest::Ingested;
use rawan_model::Scored;
use rawan_model::uncertainty::RankUncertainty;
use rawan_publish::digest::{self, FileDigest};
use rawan_publish::manifest::{
    InputRecord, Manifest, OutputRecord, PrivacyRecord, WITHHELD, WeightsRecord,
};
use rawan_publish::{Publication, RunFacts, VillageResult};
use rawan_spatial::local::{LocalOptions, LocalStats, local_statistics};
use rawan_spatial::{ContiguityOptions, NeighbourSource, Weights, contiguity_weights};
use rawan_target::{TargetOffice, Targeting, TargetingProblem, recommend};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::time::Instant;

pub fn run(args: &RunArgs) -> Result<(), Failure> {
    set_threads(args.threads);
    let mut progress = Progress::new(args.quiet, args.timings);
    progress.stage("reading the job file");
    let setup = Setup::load(args)?;
    let job = &setup.job;
    // The output folder is checked before any work, so that a refusal comes first.
    let staging = Staging::begin(&args.out).map_err(Failure::output)?;
    let hashing = InputHashes::start(&args.job, &setup.as_written);

    progress.stage("reading inputs and spatial weights");
    let mut read = read_inputs(job, &progress, args.timings)?;

    // Overlap: the join and the model keep one core busy; the layers' geometry text, which
    // needs only the boundaries, is written on the other meanwhile.
    let (scored, geometry_json) = rayon::join(
        || {
            rawan_model::score(
                &read.ingested.inputs,
                &read.weights,
                job,
                args.restricted,
                &mut |s| progress.stage(s),
            )
        },
        || {
            rawan_publish::layers::geometry_texts(
                &read.geometries,
                job.output.coordinate_precision as usize,
            )
        },
    );
    // The departure rows are all in the village table now: their memory (tens of MB at
    // national scale) serves the steps below instead of fresh pages.
    drop(std::mem::take(&mut read.ingested.inputs.departures));

    progress.stage("hot spots (Gi*, LISA), rank uncertainty, programme effect, risk over time");
    let spatial = spatial_statistics(
        &read.weights,
        &read.ingested.inputs,
        &scored,
        job,
        args.restricted,
        args.timings,
    )?;

    progress.stage("targeting");
    let target = targeting(&read, &scored, job);

    progress.stage("writing outputs");
    let prepare_start = Instant::now();
    let results = StageResults {
        inputs: &read.ingested.inputs,
        job,
        weights: &read.weights,
        scored: &scored,
        local: &spatial.risk,
        extra: &spatial.extra,
        uncertainty: &spatial.uncertainty,
        history: &spatial.history,
        points: &target.points,
        offices: &target.offices,
        targeting: &target.targeting,
        lang: setup.lang,
    };
    // Overlap: the kabupaten series and the modus counts are serial; the villages are not.
    let (villages, (series, modus)) = rayon::join(
        || assemble::villages(&results),
        || {
            (
                assemble::kabupaten_series(&results),
                rawan_model::modus::count(&read.ingested.inputs, job),
            )
        },
    );
    let offices = assemble::offices(&results);
    let notices = notices(&read.ingested, job, setup.lang);
    let publication = Publication {
        job,
        indicators: &scored.set,
        audit: &scored.audit,
        lang: setup.lang,
        restricted: args.restricted,
        villages: &villages,
        geometries: &read.geometries,
        geometry_json: &geometry_json,
        offices: &offices,
        months: &scored.table.months,
        series: &series,
        programme: &spatial.programme,
        history: &spatial.history,
        modus: &modus,
        facts: run_facts(
            &read,
            &scored,
            &target.targeting,
            notices.clone(),
            args.restricted,
        ),
    };
    if args.timings {
        part_time("prepare results", prepare_start.elapsed().as_secs_f64());
    }
    let written = publish(&publication, &read.ingested, &staging.dir, args)?;
    write_manifest(&setup, &read, written, hashing, &staging.dir, args)?;

    // Fault injection for the crash test (tests/errors.rs): die as a killed process would,
    // with every output staged but nothing moved into place and no cleanup run.
    if std::env::var_os("RAWAN_FAULT_ABORT_BEFORE_COMMIT").is_some() {
        std::process::abort();
    }
    let commit_start = Instant::now();
    staging.commit().map_err(Failure::output)?;
    if args.timings {
        part_time(
            "make outputs durable, move into place",
            commit_start.elapsed().as_secs_f64(),
        );
    }
    report_to_terminal(
        progress,
        args,
        &read.ingested,
        &villages,
        &notices,
        setup.lang,
    );
    // The process ends right after a run: the largest structures are left to the operating
    // system rather than freed one allocation at a time (35 ms at 84,128 villages).
    std::mem::forget((read, villages, geometry_json, scored, spatial, target));
    Ok(())
}

fn set_threads(threads: Option<usize>) {
    if let Some(n) = threads {
        // A second call in the same process (tests) keeps the first pool: results do not
        // depend on the thread count anyway.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global();
    }
}

/// The job as run (paths resolved, defaults filled), as written (for the manifest), and the
/// language of the outputs.
struct Setup {
    job: Job,
    as_written: Job,
    lang: Lang,
}

impl Setup {
    fn load(args: &RunArgs) -> Result<Setup, Failure> {
        // Read once: the manifest records the job as written, the run uses resolved paths.
        let as_written = Job::read_as_written(&args.job).map_err(Failure::input)?;
        let job = as_written.clone().resolved(&args.job);
        if !args.restricted {
            job.privacy.check_publishable().map_err(Failure::input)?;
        }
        let lang = match args.lang {
            Some(LangArg::Id) => Lang::Id,
            Some(LangArg::En) => Lang::En,
            None => job.output.lang,
        };
        Ok(Setup {
            job,
            as_written,
            lang,
        })
    }
}

/// The inputs' SHA-256, computed at the lowest priority beside the run (the manifest needs
/// them only at the end).
struct InputHashes {
    /// (table, path as the job file writes it, path read).
    files: Vec<(String, PathBuf, PathBuf)>,
    hashing: std::thread::JoinHandle<Vec<std::io::Result<FileDigest>>>,
}

impl InputHashes {
    fn start(job_path: &Path, as_written: &Job) -> InputHashes {
        let files = input_files(job_path, as_written);
        let paths: Vec<PathBuf> = files.iter().map(|(_, _, full)| full.clone()).collect();
        let hashing = std::thread::spawn(move || {
            lowest_priority();
            paths.iter().map(|p| digest::of_file(p)).collect::<Vec<_>>()
        });
        InputHashes { files, hashing }
    }
}

/// Every input, the spatial weights, and the village boundaries (moved out of the village
/// records, which nothing else reads them from).
struct Read {
    ingested: Ingested,
    weights: Weights,
    geometries: Vec<geo::MultiPolygon<f64>>,
}

fn read_inputs(job: &Job, progress: &Progress, timings: bool) -> Result<Read, Failure> {
    let options = ContiguityOptions {
        kind: job.spatial.contiguity,
        snap_tolerance_m: job.spatial.snap_tolerance_m,
        island_neighbours: job.spatial.island_neighbours,
    };
    // Overlap: spatial weights need only the village boundaries, so they are computed while
    // the record tables are read.
    let (mut ingested, (weights, weights_secs)) = rawan_ingest::read_inputs_beside(
        job,
        &mut |t| progress.detail(&format!("reading inputs: {t}")),
        |villages| {
            let t0 = Instant::now();
            let boundaries: Vec<&geo::MultiPolygon<f64>> =
                villages.iter().map(|v| &v.geometry).collect();
            (
                contiguity_weights(&boundaries, options),
                t0.elapsed().as_secs_f64(),
            )
        },
    )
    .map_err(Failure::input)?;
    if timings {
        for (table, secs) in &ingested.read_seconds {
            part_time(&format!("read {table}"), *secs);
        }
        part_time("spatial weights (alongside)", weights_secs);
    }
    refuse_empty_window(&ingested, job)?;
    let geometries = ingested
        .inputs
        .villages
        .iter_mut()
        .map(|v| std::mem::replace(&mut v.geometry, geo::MultiPolygon::new(Vec::new())))
        .collect();
    Ok(Read {
        ingested,
        weights,
        geometries,
    })
}

/// Local statistics of the risk score and of the extra variables, and the rank uncertainty.
struct Spatial {
    risk: LocalStats,
    extra: Vec<(String, LocalStats)>,
    uncertainty: RankUncertainty,
    programme: rawan_core::programme::ProgrammeEffect,
    history: rawan_core::history::RiskHistory,
}

fn spatial_statistics(
    w: &Weights,
    inputs: &rawan_core::Inputs,
    scored: &Scored,
    job: &Job,
    restricted: bool,
    timings: bool,
) -> Result<Spatial, Failure> {
    // Extra variables, as (name, indicator index).
    let extra_variables: Vec<(String, usize)> = job
        .spatial
        .extra_variables
        .iter()
        .map(|var| match scored.set.defs.iter().position(|i| &i.key == var) {
            Some(k) => Ok((var.clone(), k)),
            None => Err(Failure::input(format!(
                "job file setting `spatial.extra_variables`: '{var}' is not an indicator (one of: {})",
                scored
                    .set
                    .defs
                    .iter()
                    .map(|i| i.key.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
        })
        .collect::<Result<_, _>>()?;
    let options = LocalOptions {
        permutations: job.spatial.permutations,
        seed: job.seed,
        fdr: job.spatial.fdr,
        alpha: job.spatial.alpha,
    };
    let values = &scored.indicators.values;
    // Overlap: the Monte Carlo needs only the indicators, so it runs beside the permutations;
    // the programme effect and the earlier dates, serial work of their own, start beside it
    // too, so a core takes them up when it is free rather than after the Monte Carlo.
    let (
        ((risk, extra), local_secs),
        ((uncertainty, unc_secs), ((programme, programme_secs), (history, history_secs))),
    ) = rayon::join(
        || {
            timed(|| {
                let risk = local_statistics(&scored.composite.risk, w, &options);
                let extra: Vec<_> = extra_variables
                    .iter()
                    .map(|(var, k)| (var.clone(), local_statistics(&values[*k], w, &options)))
                    .collect();
                (risk, extra)
            })
        },
        || {
            rayon::join(
                || {
                    let u = &job.uncertainty;
                    timed(|| {
                        rawan_model::uncertainty::rank_uncertainty(
                            values,
                            &scored.config,
                            u.runs,
                            u.weight_spread,
                            u.top_n,
                            job.seed,
                        )
                    })
                },
                || {
                    rayon::join(
                        || {
                            timed(|| {
                                rawan_model::programme_effect::estimate(
                                    &scored.table,
                                    job,
                                    restricted,
                                )
                            })
                        },
                        || {
                            timed(|| {
                                rawan_model::history::risk_history(
                                    &scored.table,
                                    w,
                                    job,
                                    inputs,
                                    &scored.config,
                                    &scored.composite.risk,
                                )
                            })
                        },
                    )
                },
            )
        },
    );
    if timings {
        part_time("hot spots", local_secs);
        part_time("rank uncertainty (alongside)", unc_secs);
        part_time("programme effect (alongside)", programme_secs);
        part_time("risk at earlier dates (alongside)", history_secs);
    }
    Ok(Spatial {
        risk,
        extra,
        uncertainty,
        programme,
        history,
    })
}

/// `f`'s result and the seconds it took.
fn timed<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let t0 = Instant::now();
    (f(), t0.elapsed().as_secs_f64())
}

/// The recommendations, with the centroids and offices they were made from.
struct Target {
    points: Vec<(f64, f64)>,
    offices: Vec<TargetOffice>,
    targeting: Targeting,
}

fn targeting(read: &Read, scored: &Scored, job: &Job) -> Target {
    // Distances to offices are measured from each village's centroid.
    let points: Vec<(f64, f64)> = {
        use geo::Centroid;
        read.geometries
            .par_iter()
            .map(|g| {
                g.centroid()
                    .map(|p| (p.x(), p.y()))
                    .unwrap_or((f64::NAN, f64::NAN))
            })
            .collect()
    };
    let offices: Vec<TargetOffice> = read
        .ingested
        .inputs
        .offices
        .iter()
        .map(|o| TargetOffice {
            name: o.office.clone(),
            lon: o.lon,
            lat: o.lat,
            capacity: o.capacity,
            radius_km: o.radius_km,
        })
        .collect();
    let eligible: Vec<bool> = scored.table.rows.iter().map(|r| !r.desa_binaan).collect();
    let nb = |i: usize| -> &[u32] { read.weights.neighbours(i) };
    let problem = TargetingProblem {
        gap: &scored.gap,
        eligible: &eligible,
        points: &points,
        neighbours: &nb,
        offices: &offices,
        budget: job.targeting.budget,
        spillover: job.targeting.spillover,
    };
    let targeting = recommend(&problem);
    Target {
        points,
        offices,
        targeting,
    }
}

/// Facts about the run that the report states.
fn run_facts(
    read: &Read,
    scored: &Scored,
    targeting: &Targeting,
    notices: Vec<String>,
    restricted: bool,
) -> RunFacts {
    let (ingested, w) = (&read.ingested, &read.weights);
    let villages = &ingested.inputs.villages;
    RunFacts {
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        notices,
        tallies: ingested
            .tallies
            .iter()
            .map(|t| {
                // A published run withholds the case file's row counts (docs/privacy.md).
                let shown = |v: u64| (t.table != "cases" || restricted).then_some(v);
                (
                    t.table.clone(),
                    t.file.clone(),
                    shown(t.tally.read),
                    shown(t.tally.used),
                    shown(t.tally.rejected),
                )
            })
            .collect(),
        name_matches: ingested.log.matches.len(),
        islands_linked: w
            .source
            .iter()
            .filter(|s| **s == NeighbourSource::Nearest)
            .count(),
        villages_without_neighbours: w.islands().len(),
        mean_neighbours: w.mean_cardinality(),
        covered_gap: targeting.covered,
        unassignable: targeting
            .unassignable
            .iter()
            .take(10)
            .map(|&i| {
                (
                    villages[i].kode_desa.to_string(),
                    villages[i].desa.clone(),
                    scored.composite.risk[i].unwrap_or(0.0),
                )
            })
            .collect(),
        unassignable_total: targeting.unassignable.len(),
        total_gap: scored.gap.iter().flatten().sum(),
    }
}

/// What the publish stage wrote.
struct Written {
    files: Vec<String>,
    digests: std::collections::BTreeMap<String, FileDigest>,
    suppressed_villages: usize,
}

fn publish(
    publication: &Publication,
    ingested: &Ingested,
    dir: &Path,
    args: &RunArgs,
) -> Result<Written, Failure> {
    let timings = args.timings;
    let mut last_part: Option<(String, Instant)> = None;
    let end_part = |last: &mut Option<(String, Instant)>| {
        if let (true, Some((name, t0))) = (timings, last.take()) {
            part_time(&format!("write {name}"), t0.elapsed().as_secs_f64());
        }
    };
    let published = rawan_publish::publish(publication, dir, &mut |part| {
        end_part(&mut last_part);
        last_part = Some((part.to_string(), Instant::now()));
    })
    .map_err(Failure::output)?;
    end_part(&mut last_part);
    let logs_start = Instant::now();
    let mut files = published.files;
    files.extend(
        rawan_publish::logs::write_logs(&ingested.log, args.restricted, dir)
            .map_err(Failure::output)?,
    );
    files.sort();
    if timings {
        part_time(
            "write rejects and warnings",
            logs_start.elapsed().as_secs_f64(),
        );
    }
    let suppressed_villages = if args.restricted {
        0
    } else {
        published.suppressed.suppressed_villages()
    };
    Ok(Written {
        files,
        digests: published.digests,
        suppressed_villages,
    })
}

/// The manifest, last: it lists and hashes every other output.
fn write_manifest(
    setup: &Setup,
    read: &Read,
    written: Written,
    hashing: InputHashes,
    dir: &Path,
    args: &RunArgs,
) -> Result<(), Failure> {
    let start = Instant::now();
    let (job, ingested, w) = (&setup.job, &read.ingested, &read.weights);
    let hashes = hashing.hashing.join().map_err(|_| Failure {
        code: crate::exit::INTERNAL,
        message: "hashing the inputs failed".into(),
    })?;
    let mut inputs = Vec::new();
    for ((table_name, rel, full), hashed) in hashing.files.iter().zip(hashes) {
        let FileDigest { sha256, bytes } =
            hashed.map_err(|e| Failure::input(format!("{}: {e}", full.display())))?;
        let tally = ingested
            .tallies
            .iter()
            .find(|t| t.table == *table_name)
            .map(|t| t.tally.clone())
            .unwrap_or_default();
        // The case file's row counts add up to the exact number of cases, and its digest lets
        // anyone holding a candidate file confirm it: a published run withholds both.
        let withhold = table_name == "cases" && !args.restricted;
        inputs.push(InputRecord {
            table: table_name.clone(),
            file: rel.display().to_string(),
            sha256: (!withhold).then_some(sha256),
            bytes: (!withhold).then_some(bytes),
            read: (!withhold).then_some(tally.read),
            used: (!withhold).then_some(tally.used),
            rejected: (!withhold).then_some(tally.rejected),
            withheld: withhold.then_some(WITHHELD),
            notes: tally.notes,
        });
    }
    let outputs: Vec<OutputRecord> = written
        .files
        .par_iter()
        .map(|f| {
            let digest = match written.digests.get(f) {
                Some(d) => Ok(d.clone()),
                None => digest::of_file(&dir.join(f)),
            };
            digest.map(|d| OutputRecord {
                file: f.clone(),
                sha256: d.sha256,
                bytes: d.bytes,
            })
        })
        .collect::<Result<_, _>>()
        .map_err(Failure::output)?;
    let manifest = Manifest {
        tool: "rawan",
        version: env!("CARGO_PKG_VERSION"),
        restricted: args.restricted,
        synthetic: setup.job.synthetic,
        lang: format!("{:?}", setup.lang).to_lowercase(),
        settings: serde_json::to_value(&setup.as_written).map_err(|e| Failure {
            code: crate::exit::INTERNAL,
            message: e.to_string(),
        })?,
        inputs,
        rejects: ingested.log.rejects.len(),
        warnings: ingested.log.warnings.len(),
        name_matches: ingested.log.matches.len(),
        weights: WeightsRecord {
            contiguity: format!("{:?}", job.spatial.contiguity).to_lowercase(),
            snap_tolerance_m: job.spatial.snap_tolerance_m,
            mean_neighbours: (w.mean_cardinality() * 1000.0).round() / 1000.0,
            islands_linked_to_nearest: w
                .source
                .iter()
                .filter(|s| **s == NeighbourSource::Nearest)
                .count(),
            villages_without_neighbours: w.islands().len(),
        },
        privacy: PrivacyRecord {
            min_count: job.privacy.min_count,
            suppressed_village_values: written.suppressed_villages,
            policy: if args.restricted {
                "RESTRICTED: exact counts kept; internal use only"
            } else {
                "small cells (1 to min_count - 1) published as (s) and modelled as min_count/2; area totals as intervals (docs/privacy.md)"
            },
        },
        publishable: if args.restricted {
            Vec::new()
        } else {
            outputs
                .iter()
                .map(|o| o.file.clone())
                .chain(["manifest.json".to_string()])
                .collect()
        },
        outputs,
    };
    rawan_publish::manifest::write(dir, &manifest).map_err(Failure::output)?;
    if args.timings {
        part_time(
            "hash outputs, write manifest",
            start.elapsed().as_secs_f64(),
        );
    }
    Ok(())
}

/// After the outputs are in place: timings, the summary, and what the user must know.
fn report_to_terminal(
    progress: Progress,
    args: &RunArgs,
    ingested: &Ingested,
    villages: &[VillageResult],
    notices: &[String],
    lang: Lang,
) {
    let times = progress.done();
    if args.timings {
        let total: f64 = times.iter().map(|t| t.1).sum();
        let peak = peak_rss_mb()
            .map(|m| format!("{m:.1} MB"))
            .unwrap_or_else(|| "n/a".into());
        eprintln!(
            "total {total:.3} s, cpu {}, peak memory {peak}, {} villages",
            seconds_text(cpu_seconds()).trim(),
            villages.len()
        );
    }
    if !args.quiet {
        print_summary(ingested, villages, &args.out, lang);
    }
    for notice in notices {
        eprintln!("rawan: {}: {notice}", t(lang, "term_attention"));
    }
}

/// Stops a run whose departures all fall outside the window: every score would be 0 and the
/// "recommendations" arbitrary (typically `as_of` mistyped).
fn refuse_empty_window(ingested: &rawan_ingest::Ingested, job: &Job) -> Result<(), Failure> {
    let Some(t) = ingested.tallies.iter().find(|t| t.table == "departures") else {
        return Ok(());
    };
    if t.tally.used > 0 {
        return Ok(());
    }
    if t.tally.read == 0 {
        return Err(Failure::input(format!(
            "{}: the file has no data rows; the exposure indicators need migrant-worker departures, so nothing was written",
            t.file
        )));
    }
    Err(Failure::input(format!(
        "{}: none of its {} rows can be used inside the analysis window {} to {} (as_of = {}, window_months = {}), so every risk score would be 0. \
         Check as_of in the job file and the dates in the departures file; nothing was written",
        t.file,
        t.tally.read,
        job.window_start(),
        job.as_of,
        job.as_of,
        job.window_months
    )))
}

/// Conditions that do not stop a run but change what its results mean, in the user's language.
fn notices(ingested: &rawan_ingest::Ingested, job: &Job, lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    let offices = &ingested.inputs.offices;
    if let Some(tally) = ingested.tallies.iter().find(|t| t.table == "offices") {
        if offices.is_empty() {
            out.push(fill(
                t(lang, "notice_no_office"),
                &[&tally.file, &tally.tally.read],
            ));
        } else if offices.iter().all(|o| o.capacity == Some(0)) {
            out.push(fill(t(lang, "notice_capacity_0"), &[&tally.file]));
        }
    }
    if job.targeting.budget == 0 {
        out.push(t(lang, "notice_budget_0").to_string());
    }
    out
}

/// Each input as (table, path as written in the job file, path to read): the fixed tables,
/// then the job's `[[indicators]]` tables under their names.
fn input_files(
    job_path: &Path,
    job_as_written: &Job,
) -> Vec<(String, std::path::PathBuf, std::path::PathBuf)> {
    let p = &job_as_written.inputs;
    let base_dir = job_path.parent().unwrap_or(Path::new("."));
    [
        ("villages", Some(&p.villages)),
        ("population", p.population.as_ref()),
        ("departures", Some(&p.departures)),
        ("desa_binaan", Some(&p.desa_binaan)),
        ("outreach", Some(&p.outreach)),
        ("cases", Some(&p.cases)),
        ("offices", p.offices.as_ref()),
        ("bps_crosswalk", p.bps_crosswalk.as_ref()),
    ]
    .into_iter()
    .map(|(t, rel)| (t.to_string(), rel))
    .chain(
        job_as_written
            .indicators
            .iter()
            .map(|i| (i.name.clone(), Some(&i.file))),
    )
    .filter_map(|(t, rel)| {
        rel.map(|rel| {
            (
                t,
                rel.clone(),
                if rel.is_relative() {
                    base_dir.join(rel)
                } else {
                    rel.clone()
                },
            )
        })
    })
    .collect()
}

fn print_summary(
    ingested: &rawan_ingest::Ingested,
    villages: &[VillageResult],
    out: &Path,
    lang: Lang,
) {
    let say = |key| t(lang, key);
    println!("{}", say("term_input_rows"));
    // Columns as wide as the longest table and file names (an analyst's indicator may have
    // a long name).
    let table_w = ingested
        .tallies
        .iter()
        .map(|t| t.table.chars().count())
        .max()
        .unwrap_or(0)
        .max(12);
    let file_w = ingested
        .tallies
        .iter()
        .map(|t| t.file.chars().count())
        .max()
        .unwrap_or(0)
        .max(22);
    for t in &ingested.tallies {
        println!(
            "  {:<table_w$} {:<file_w$} {:>9} / {:>9} / {:>6}",
            t.table, t.file, t.tally.read, t.tally.used, t.tally.rejected
        );
        for note in &t.tally.notes {
            println!("  {:<table_w$} {:<file_w$} note: {note}", "", "");
        }
    }
    let mut top: Vec<&VillageResult> = villages.iter().filter(|v| v.risk_score.is_some()).collect();
    top.sort_by_key(|v| v.risk_rank);
    println!("{}", say("term_highest_risk"));
    for v in top.iter().take(5) {
        let score = v.risk_score.unwrap_or(0.0);
        let (k, d, kec, kab) = (&v.kode_desa, &v.desa, &v.kecamatan, &v.kabupaten);
        println!("  {:>3}. {k} {d} ({kec}, {kab})  {score:.2}", v.risk_rank);
    }
    let recs = villages
        .iter()
        .filter(|v| v.recommended_rank.is_some())
        .count();
    println!("{} {recs}", say("term_recommended"));
    if !ingested.log.rejects.is_empty() {
        let rejects = out.join("rejects.csv");
        println!(
            "{} {} → {}",
            say("term_rejected_rows"),
            ingested.log.rejects.len(),
            rejects.display()
        );
    }
    println!("{} {}", say("term_outputs_written"), out.display());
}

pub fn synth(args: &SynthArgs) -> Result<(), Failure> {
    // clap lets --villages and --plain through only together.
    if let Some(v) = args.villages {
        let world = rawan_synth::World::generate(&rawan_synth::Spec::national(v));
        let rows = rawan_synth::write_plain(&world, &args.out).map_err(Failure::output)?;
        for (f, n) in rows {
            println!("{f}: {n} rows");
        }
        return Ok(());
    }
    // The sample: Banten in the folder itself, Kabupaten Cianjur as a second job beside it.
    for (region, dir) in [
        (rawan_synth::Region::banten(), args.out.clone()),
        (rawan_synth::Region::cianjur(), args.out.join("cianjur")),
    ] {
        let world = region.world();
        let truth = rawan_synth::write_sample(&world, &region, &dir).map_err(Failure::output)?;
        println!(
            "{}: {} villages; {} planted bad rows; job file {}",
            region.title,
            truth.villages,
            truth.rejects.len(),
            dir.join("job.toml").display()
        );
    }
    Ok(())
}
