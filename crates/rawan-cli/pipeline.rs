//! The stages of a run, in order: read → join → weights → model → local statistics →
//! uncertainty → targeting → publish. Each stage is a call into a library crate; this module
//! converts between their plain types and reports progress.

use crate::Failure;
use crate::args::{LangArg, RunArgs, SynthArgs};
use crate::manifest::{InputRecord, Manifest, OutputRecord, PrivacyRecord, WeightsRecord};
use crate::staging::Staging;
use indicatif::{ProgressBar, ProgressStyle};
use rawan_core::Job;
use rawan_core::settings::Lang;
use rawan_model::composite::{CompositeConfig, Normalisation};
use rawan_model::indicators::{INDICATORS, weights_from_job};
use rawan_publish::digest;
use rawan_publish::{KabupatenSeries, OfficeResult, Publication, RunFacts, VillageResult};
use rawan_spatial::local::{LocalOptions, LocalStats, gi_class, local_statistics};
use rawan_spatial::{ContiguityOptions, NeighbourSource, contiguity_weights};
use rawan_target::reason::{ReasonFacts, reason};
use rawan_target::{TargetOffice, TargetingProblem, recommend};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

/// Stage progress on the terminal, and optional timings for benchmarks.
struct Progress {
    bar: Option<ProgressBar>,
    timings: bool,
    stage: Option<(String, Instant, f64)>,
    pub times: Vec<(String, f64)>,
}

impl Progress {
    fn new(quiet: bool, timings: bool) -> Progress {
        let bar = (!quiet).then(|| {
            let b = ProgressBar::new(9);
            b.set_style(ProgressStyle::with_template("{spinner} [{pos}/{len}] {msg} ({elapsed})").expect("valid template"));
            b.enable_steady_tick(std::time::Duration::from_millis(120));
            b
        });
        Progress { bar, timings, stage: None, times: Vec::new() }
    }

    fn stage(&mut self, name: &str) {
        self.finish_stage();
        if let Some(b) = &self.bar {
            b.set_message(name.to_string());
            b.inc(1);
        }
        self.stage = Some((name.to_string(), Instant::now(), cpu_seconds()));
    }

    fn finish_stage(&mut self) {
        if let Some((name, t0, cpu0)) = self.stage.take() {
            let secs = t0.elapsed().as_secs_f64();
            if self.timings {
                let cpu = cpu_seconds() - cpu0;
                let msg = format!("stage {name:<44} {secs:>8.3} s   cpu {cpu:>6.3} s   peak memory {:>8.1} MB", peak_rss_mb());
                match &self.bar {
                    Some(b) if !b.is_hidden() => b.println(msg),
                    _ => eprintln!("{msg}"),
                }
            }
            self.times.push((name, secs));
        }
    }

    fn done(mut self) -> Vec<(String, f64)> {
        self.finish_stage();
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
        self.times
    }
}

/// CPU time (user + system) of every thread of this process so far, in seconds: against a
/// stage's wall time it shows how busy the cores were.
fn cpu_seconds() -> f64 {
    // SAFETY: getrusage only writes the struct it is given.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut u) } != 0 {
        return 0.0;
    }
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 * 1e-6;
    secs(u.ru_utime) + secs(u.ru_stime)
}

/// Peak resident memory of this process (Linux VmHWM), in MB; 0 where unknown.
pub fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)).and_then(|v| v.parse::<f64>().ok()))
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

pub fn run(args: &RunArgs) -> Result<(), Failure> {
    if let Some(n) = args.threads {
        // A second call in the same process (tests) keeps the first pool: results do not
        // depend on the thread count anyway.
        let _ = rayon::ThreadPoolBuilder::new().num_threads(n.max(1)).build_global();
    }
    let mut progress = Progress::new(args.quiet, args.timings);
    progress.stage("reading the job file");
    let job = Job::load(&args.job).map_err(Failure::input)?;
    if !args.restricted {
        job.privacy.check_publishable().map_err(Failure::input)?;
    }
    let job_text = rawan_core::settings::read_job_text(&args.job).map_err(Failure::input)?;
    let job_as_written = Job::from_toml_str(&job_text).map_err(Failure::input)?;
    let lang = match args.lang {
        Some(LangArg::Id) => Lang::Id,
        Some(LangArg::En) => Lang::En,
        None => job.output.lang,
    };
    // Check the output folder before any work, so a refusal comes first.
    let staging = Staging::begin(&args.out).map_err(Failure::output)?;
    // The manifest's input hashes are computed beside the run, not after it, at low priority.
    let input_files = input_files(&args.job, &job_as_written);
    let input_hashes = {
        let paths: Vec<std::path::PathBuf> = input_files.iter().map(|(_, _, full)| full.clone()).collect();
        std::thread::spawn(move || {
            lowest_priority();
            paths.iter().map(|p| digest::of_file(p)).collect::<Vec<_>>()
        })
    };

    progress.stage("reading inputs and spatial weights");
    let timings = args.timings;
    let bar = progress.bar.clone();
    let weights_options =
        ContiguityOptions { kind: job.spatial.contiguity, snap_tolerance_m: job.spatial.snap_tolerance_m, island_neighbours: job.spatial.island_neighbours };
    // Spatial weights need only the village boundaries: they are computed while the record
    // tables are read.
    let (mut ingested, (w, weights_secs)) = rawan_ingest::read_inputs_beside(
        &job,
        &mut |t| {
            if let Some(b) = &bar {
                b.set_message(format!("reading inputs: {t}"));
            }
        },
        |villages| {
            let t0 = Instant::now();
            let boundaries: Vec<&geo::MultiPolygon<f64>> = villages.iter().map(|v| &v.geometry).collect();
            (contiguity_weights(&boundaries, weights_options), t0.elapsed().as_secs_f64())
        },
    )
    .map_err(Failure::input)?;
    if timings {
        for (table, secs) in &ingested.read_seconds {
            part_time(&format!("read {table}"), *secs);
        }
        part_time("spatial weights (alongside)", weights_secs);
    }
    refuse_empty_window(&ingested, &job)?;
    // The boundaries move out of the village records, which nothing else reads them from:
    // the layers, the map and the offices' distances take them from here (no second copy).
    let geometries: Vec<geo::MultiPolygon<f64>> =
        ingested.inputs.villages.iter_mut().map(|v| std::mem::replace(&mut v.geometry, geo::MultiPolygon::new(Vec::new()))).collect();
    let inputs = &ingested.inputs;
    let n = inputs.villages.len();

    // The join and the model run mostly on one core: the layers' geometry text, which needs
    // only the boundaries, is written alongside on the other.
    let ((table, ind, base, comp, risk_rank, coverage, gap), geometry_json) = rayon::join(
        || {
            progress.stage("joining per village");
            let mut table = rawan_model::village_table::join(inputs, &job);
            // A published run's model sees small case counts only as their substitute.
            if !args.restricted {
                rawan_model::protect::protect_case_counts(&mut table, &job);
            }

            progress.stage("risk model");
            let ind = rawan_model::indicators::compute(&table, &w, &job);
            let base = CompositeConfig {
                indicator_weights: weights_from_job(&job),
                dimension_weights: [job.model.dimension_weights.exposure, job.model.dimension_weights.hazard],
                aggregation: job.model.aggregation,
                normalisation: Normalisation::MinMax,
            };
            let comp = rawan_model::composite(&ind.values, &base);
            let risk_rank = rawan_model::rank_desc(&comp.risk);
            let coverage = rawan_model::coverage::coverage(inputs, &table, &job);
            let gap = rawan_model::coverage::coverage_gap(&comp.risk, &coverage);
            (table, ind, base, comp, risk_rank, coverage, gap)
        },
        || rawan_publish::layers::geometry_texts(&geometries, job.output.coordinate_precision as usize),
    );
    // The departure rows are all in the village table now: their memory (tens of MB at
    // national scale) serves the steps below instead of fresh pages.
    drop(std::mem::take(&mut ingested.inputs.departures));
    let inputs = &ingested.inputs;

    progress.stage("hot spots (Gi*, LISA) and rank uncertainty");
    // Extra variables for local statistics, as (name, indicator index).
    let extra_variables: Vec<(String, usize)> = job
        .spatial
        .extra_variables
        .iter()
        .map(|var| match INDICATORS.iter().position(|i| i.key == var) {
            Some(k) => Ok((var.clone(), k)),
            None => Err(Failure::input(format!(
                "job file setting `spatial.extra_variables`: '{var}' is not an indicator (one of: {})",
                INDICATORS.iter().map(|i| i.key).collect::<Vec<_>>().join(", ")
            ))),
        })
        .collect::<Result<_, _>>()?;
    let local_options = LocalOptions { permutations: job.spatial.permutations, seed: job.seed, fdr: job.spatial.fdr, alpha: job.spatial.alpha };
    // The Monte Carlo needs only the indicators: it runs alongside the permutations.
    let ((local, extra, local_secs), (unc, unc_secs)) = rayon::join(
        || {
            let t0 = Instant::now();
            let local = local_statistics(&comp.risk, &w, &local_options);
            let extra: Vec<(String, LocalStats)> =
                extra_variables.iter().map(|(var, k)| (var.clone(), local_statistics(&ind.values[*k], &w, &local_options))).collect();
            (local, extra, t0.elapsed().as_secs_f64())
        },
        || {
            let t0 = Instant::now();
            let unc = rawan_model::uncertainty::rank_uncertainty(
                &ind.values,
                &base,
                job.uncertainty.runs,
                job.uncertainty.weight_spread,
                job.uncertainty.top_n,
                job.seed,
            );
            (unc, t0.elapsed().as_secs_f64())
        },
    );
    if timings {
        part_time("hot spots", local_secs);
        part_time("rank uncertainty (alongside)", unc_secs);
    }

    progress.stage("targeting");
    // Distances to offices are measured from each village's centroid.
    let points: Vec<(f64, f64)> = {
        use geo::Centroid;

        geometries.par_iter().map(|g| g.centroid().map(|p| (p.x(), p.y())).unwrap_or((f64::NAN, f64::NAN))).collect()
    };
    let offices: Vec<TargetOffice> =
        inputs.offices.iter().map(|o| TargetOffice { name: o.office.clone(), lon: o.lon, lat: o.lat, capacity: o.capacity, radius_km: o.radius_km }).collect();
    let eligible: Vec<bool> = table.rows.iter().map(|r| !r.desa_binaan).collect();
    let nb = |i: usize| -> &[u32] { w.neighbours(i) };
    let problem = TargetingProblem {
        gap: &gap,
        eligible: &eligible,
        points: &points,
        neighbours: &nb,
        offices: &offices,
        budget: job.targeting.budget,
        spillover: job.targeting.spillover,
    };
    let targeting = recommend(&problem);
    let (recs, covered) = (&targeting.recommendations, targeting.covered);

    progress.stage("writing outputs");
    let prepare_start = Instant::now();
    let months_since = |d: Option<chrono::NaiveDate>| d.map(|d| job.age_months(d).floor().max(0.0) as u32);
    let mut villages: Vec<VillageResult> = (0..n)
        .into_par_iter()
        .map(|i| {
            let v = &inputs.villages[i];
            let r = &table.rows[i];
            VillageResult {
                kode_desa: v.kode_desa.to_string(),
                desa: v.desa.clone(),
                kecamatan: v.kecamatan.clone(),
                kabupaten: v.kabupaten.clone(),
                provinsi: v.provinsi.clone(),
                population: v.population,
                point: points[i],
                departures: r.departures,
                departures_nonprocedural: r.departures_nonprocedural,
                cases: r.cases(),
                victims: r.victims(),
                outreach_events: r.outreach_events,
                last_outreach: r.last_outreach,
                months_since_outreach: months_since(r.last_outreach),
                desa_binaan: r.desa_binaan,
                designated_on: r.designated_on,
                indicators: std::array::from_fn(|k| ind.values[k][i]),
                scores: std::array::from_fn(|k| comp.scores[k][i]),
                contributions: std::array::from_fn(|k| comp.contributions[k][i]),
                exposure: comp.dimensions[0][i],
                hazard: comp.dimensions[1][i],
                risk_score: comp.risk[i],
                risk_rank: risk_rank[i],
                rank_p05: unc.rank_p05[i],
                rank_p95: unc.rank_p95[i],
                p_top_n: unc.p_top_n[i],
                gi_z: local.gi_z[i],
                gi_p: local.gi_p[i],
                gi_class: gi_class(local.gi_z[i], local.gi_p[i]),
                lisa_i: local.lisa_i[i],
                lisa_z: local.lisa_z[i],
                lisa_p: local.lisa_p[i],
                lisa_cluster: local.lisa_cluster[i],
                coverage: coverage[i],
                coverage_gap: gap[i],
                neighbours: w.cardinality(i),
                neighbour_source: match w.source[i] {
                    NeighbourSource::Contiguity => "contiguity",
                    NeighbourSource::Nearest => "nearest",
                    NeighbourSource::None => "none",
                },
                missing: comp.missing[i].clone(),
                ..Default::default()
            }
        })
        .collect();
    let mut office_counts = vec![0u32; offices.len()];
    for rec in recs {
        let v = &mut villages[rec.village];
        v.recommended_rank = Some(rec.rank);
        v.office = rec.office.map(|k| offices[k].name.clone());
        v.distance_km = rec.distance_km;
        if let Some(k) = rec.office {
            office_counts[k] += 1;
        }
        let mut contrib: Vec<(usize, f64)> = v.contributions.iter().enumerate().filter_map(|(k, c)| c.map(|c| (k, c))).collect();
        contrib.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let facts = ReasonFacts {
            top_indicators: contrib.iter().take(2).filter(|(_, c)| *c > 0.0).map(|(k, _)| INDICATORS[*k].key).collect(),
            lisa_cluster: (v.lisa_cluster == "HH" || v.lisa_cluster == "HL").then_some(v.lisa_cluster),
            hot_spot: v.gi_class == "hot99" || v.gi_class == "hot95",
            months_since_outreach: v.months_since_outreach,
            window_months: job.window_months,
            overdue_months: job.targeting.outreach_overdue_months,
        };
        v.reason = Some(reason(&facts, lang));
    }
    for (var, stats) in &extra {
        for (i, v) in villages.iter_mut().enumerate() {
            v.extra.push((format!("gi_z_{var}"), rawan_publish::layers::num(stats.gi_z[i], 3)));
            v.extra.push((format!("gi_p_{var}"), rawan_publish::layers::num(stats.gi_p[i], 4)));
            v.extra.push((format!("lisa_{var}"), serde_json::json!(stats.lisa_cluster[i])));
        }
    }
    let office_results: Vec<OfficeResult> = inputs
        .offices
        .iter()
        .zip(&office_counts)
        .map(|(o, &c)| OfficeResult { office: o.office.clone(), lon: o.lon, lat: o.lat, capacity: o.capacity, radius_km: o.radius_km, recommended: c })
        .collect();
    // Monthly series per kabupaten.
    let m = table.months.len();
    let mut series: BTreeMap<String, KabupatenSeries> = BTreeMap::new();
    for (i, v) in inputs.villages.iter().enumerate() {
        let s = series.entry(v.kabupaten.clone()).or_insert_with(|| KabupatenSeries {
            kabupaten: v.kabupaten.clone(),
            departures: vec![0.0; m],
            victims: vec![0.0; m],
        });
        for (k, x) in table.departures_series(i).iter().enumerate() {
            s.departures[k] += *x as f64;
        }
        for (k, x) in table.victims_series(i).iter().enumerate() {
            s.victims[k] += *x as f64;
        }
    }
    let series: Vec<KabupatenSeries> = series.into_values().collect();
    let notices = notices(&ingested, &job, lang);
    let facts = RunFacts {
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        notices: notices.clone(),
        tallies: ingested
            .tallies
            .iter()
            .map(|t| {
                let shown = |v: u64| (t.table != "cases" || args.restricted).then_some(v);
                (t.table.clone(), t.file.clone(), shown(t.tally.read), shown(t.tally.used), shown(t.tally.rejected))
            })
            .collect(),
        name_matches: ingested.log.matches.len(),
        islands_linked: w.source.iter().filter(|s| **s == NeighbourSource::Nearest).count(),
        villages_without_neighbours: w.islands().len(),
        mean_neighbours: w.mean_cardinality(),
        covered_gap: covered,
        unassignable: targeting
            .unassignable
            .iter()
            .take(10)
            .map(|&i| (inputs.villages[i].kode_desa.to_string(), inputs.villages[i].desa.clone(), comp.risk[i].unwrap_or(0.0)))
            .collect(),
        unassignable_total: targeting.unassignable.len(),
        total_gap: gap.iter().flatten().sum(),
    };
    let publication = Publication {
        job: &job,
        lang,
        restricted: args.restricted,
        villages: &villages,
        geometries: &geometries,
        geometry_json: &geometry_json,
        offices: &office_results,
        months: &table.months,
        series: &series,
        facts,
    };
    let dir = staging.dir.clone();
    if timings {
        part_time("prepare results", prepare_start.elapsed().as_secs_f64());
    }
    let mut last_part: Option<(String, Instant)> = None;
    let rawan_publish::Published { mut files, digests, suppressed: sup } = rawan_publish::publish(&publication, &dir, &mut |part| {
        if let (true, Some((name, t0))) = (timings, last_part.take()) {
            part_time(&format!("write {name}"), t0.elapsed().as_secs_f64());
        }
        last_part = Some((part.to_string(), Instant::now()));
    })
    .map_err(Failure::output)?;
    if let (true, Some((name, t0))) = (timings, last_part.take()) {
        part_time(&format!("write {name}"), t0.elapsed().as_secs_f64());
    }
    let logs_start = Instant::now();
    files.extend(rawan_publish::logs::write_logs(&ingested.log, args.restricted, &dir).map_err(Failure::output)?);
    files.sort();
    if timings {
        part_time("write rejects and warnings", logs_start.elapsed().as_secs_f64());
    }
    let manifest_start = Instant::now();
    // Manifest last: it lists and hashes every other output.
    let hashes = input_hashes.join().map_err(|_| Failure { code: crate::exit::INTERNAL, message: "hashing the inputs failed".into() })?;
    let mut input_records = Vec::new();
    for ((table_name, rel, full), hashed) in input_files.iter().zip(hashes) {
        let digest::FileDigest { sha256, bytes } = hashed.map_err(|e| Failure::input(format!("{}: {e}", full.display())))?;
        let tally = ingested.tallies.iter().find(|t| t.table == *table_name).map(|t| t.tally.clone()).unwrap_or_default();
        // The case file's row counts add up to the exact number of cases, and its digest lets
        // anyone holding a candidate file confirm it: a published run withholds both.
        let withhold = *table_name == "cases" && !args.restricted;
        input_records.push(InputRecord {
            table: table_name.to_string(),
            file: rel.display().to_string(),
            sha256: (!withhold).then_some(sha256),
            bytes: (!withhold).then_some(bytes),
            read: (!withhold).then_some(tally.read),
            used: (!withhold).then_some(tally.used),
            rejected: (!withhold).then_some(tally.rejected),
            withheld: withhold.then_some(crate::manifest::WITHHELD),
            notes: tally.notes,
        });
    }
    let outputs: Vec<OutputRecord> = {
        files
            .par_iter()
            .map(|f| {
                let digest = match digests.get(f) {
                    Some(d) => Ok(d.clone()),
                    None => digest::of_file(&dir.join(f)),
                };
                digest.map(|d| OutputRecord { file: f.clone(), sha256: d.sha256, bytes: d.bytes })
            })
            .collect::<Result<_, _>>()
            .map_err(Failure::output)?
    };
    let manifest = Manifest {
        tool: "rawan",
        version: env!("CARGO_PKG_VERSION"),
        restricted: args.restricted,
        lang: format!("{lang:?}").to_lowercase(),
        settings: serde_json::to_value(&job_as_written).map_err(|e| Failure { code: crate::exit::INTERNAL, message: e.to_string() })?,
        inputs: input_records,
        rejects: ingested.log.rejects.len(),
        warnings: ingested.log.warnings.len(),
        name_matches: ingested.log.matches.len(),
        weights: WeightsRecord {
            contiguity: format!("{:?}", job.spatial.contiguity).to_lowercase(),
            snap_tolerance_m: job.spatial.snap_tolerance_m,
            mean_neighbours: (w.mean_cardinality() * 1000.0).round() / 1000.0,
            islands_linked_to_nearest: w.source.iter().filter(|s| **s == NeighbourSource::Nearest).count(),
            villages_without_neighbours: w.islands().len(),
        },
        privacy: PrivacyRecord {
            min_count: job.privacy.min_count,
            suppressed_village_values: if args.restricted { 0 } else { sup.suppressed_villages() },
            policy: if args.restricted {
                "RESTRICTED: exact counts kept; internal use only"
            } else {
                "small cells (1 to min_count - 1) published as (s) and modelled as min_count/2; area totals as intervals (docs/privacy.md)"
            },
        },
        publishable: if args.restricted { Vec::new() } else { outputs.iter().map(|o| o.file.clone()).chain(["manifest.json".to_string()]).collect() },
        outputs,
    };
    let text = serde_json::to_string_pretty(&manifest).expect("manifest serialises") + "\n";
    std::fs::write(dir.join("manifest.json"), text).map_err(|e| Failure::output(format!("{}: {e}", dir.join("manifest.json").display())))?;
    files.push("manifest.json".into());
    if timings {
        part_time("hash outputs, write manifest", manifest_start.elapsed().as_secs_f64());
    }
    // Fault injection for the crash test (tests/errors.rs): die as a killed process would,
    // with every output staged but nothing moved into place and no cleanup run.
    if std::env::var_os("RAWAN_FAULT_ABORT_BEFORE_COMMIT").is_some() {
        std::process::abort();
    }
    staging.commit().map_err(Failure::output)?;
    let times = progress.done();
    if args.timings {
        let total: f64 = times.iter().map(|t| t.1).sum();
        eprintln!("total {total:.3} s, cpu {:.3} s, peak memory {:.1} MB, {} villages", cpu_seconds(), peak_rss_mb(), n);
    }
    if !args.quiet {
        print_summary(&ingested, &villages, &args.out, lang);
    }
    for notice in &notices {
        eprintln!("rawan: {}: {notice}", if lang == Lang::Id { "perhatian" } else { "attention" });
    }
    // The process ends right after a run: the largest structures are left to the operating
    // system rather than freed one allocation at a time (35 ms at 84,128 villages).
    std::mem::forget((ingested, villages, geometries, geometry_json, table, comp, ind, unc, local, w));
    Ok(())
}

/// Stops a run whose departures all fall outside the window: every score would be 0 and the
/// "recommendations" arbitrary (typically `as_of` mistyped).
fn refuse_empty_window(ingested: &rawan_ingest::Ingested, job: &Job) -> Result<(), Failure> {
    let Some(t) = ingested.tallies.iter().find(|t| t.table == "departures") else { return Ok(()) };
    if t.tally.used > 0 {
        return Ok(());
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
    let id = lang == Lang::Id;
    let mut out = Vec::new();
    let offices = &ingested.inputs.offices;
    if let Some(t) = ingested.tallies.iter().find(|t| t.table == "offices") {
        if offices.is_empty() {
            out.push(if id {
                format!(
                    "tidak ada kantor yang dapat dipakai dari {} ({} baris, semuanya ditolak; lihat rejects.csv): rekomendasi dibuat tanpa kapasitas dan jarak kantor.",
                    t.file, t.tally.read
                )
            } else {
                format!(
                    "no office in {} could be used ({} rows, all rejected; see rejects.csv): recommendations were made without office capacity or distance.",
                    t.file, t.tally.read
                )
            });
        } else if offices.iter().all(|o| o.capacity == Some(0)) {
            out.push(if id {
                format!(
                    "setiap kantor di {} berkapasitas 0: tidak ada desa yang dapat direkomendasikan. Isi kolom capacity, atau kosongkan untuk tanpa batas.",
                    t.file
                )
            } else {
                format!("every office in {} has capacity 0: no village can be recommended. Fill in capacity, or leave it empty for no limit.", t.file)
            });
        }
    }
    if job.targeting.budget == 0 {
        out.push(if id {
            "targeting.budget = 0: tidak ada desa yang direkomendasikan.".into()
        } else {
            "targeting.budget = 0: no village is recommended.".into()
        });
    }
    out
}

/// Gives the calling thread the lowest scheduling priority (nice 19), so it runs in the gaps
/// the pipeline's own threads leave (the input hashes are needed only for the manifest, at
/// the end). Where that cannot be set the thread simply runs at normal priority.
fn lowest_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: plain system calls on the calling thread; a failure leaves the priority as it was.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t, 19);
    }
}

/// Each input as (table, path as written in the job file, path to read).
fn input_files(job_path: &Path, job_as_written: &Job) -> Vec<(&'static str, std::path::PathBuf, std::path::PathBuf)> {
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
    ]
    .into_iter()
    .filter_map(|(t, rel)| rel.map(|rel| (t, rel.clone(), if rel.is_relative() { base_dir.join(rel) } else { rel.clone() })))
    .collect()
}

/// One line of `--timings` for a part of a stage.
fn part_time(label: &str, secs: f64) {
    eprintln!("  {label:<45} {secs:>11.3} s");
}

fn print_summary(ingested: &rawan_ingest::Ingested, villages: &[VillageResult], out: &Path, lang: Lang) {
    let id = lang == Lang::Id;
    println!("{}", if id { "Baris masukan (dibaca / dipakai / ditolak):" } else { "Input rows (read / used / rejected):" });
    for t in &ingested.tallies {
        println!("  {:<12} {:<22} {:>9} / {:>9} / {:>6}", t.table, t.file, t.tally.read, t.tally.used, t.tally.rejected);
        for note in &t.tally.notes {
            println!("  {:<12} {:<22} note: {note}", "", "");
        }
    }
    let mut top: Vec<&VillageResult> = villages.iter().filter(|v| v.risk_score.is_some()).collect();
    top.sort_by_key(|v| v.risk_rank);
    println!("{}", if id { "Desa dengan risiko tertinggi:" } else { "Highest-risk villages:" });
    for v in top.iter().take(5) {
        println!("  {:>3}. {} {} ({}, {})  {:.2}", v.risk_rank, v.kode_desa, v.desa, v.kecamatan, v.kabupaten, v.risk_score.unwrap_or(0.0));
    }
    let recs = villages.iter().filter(|v| v.recommended_rank.is_some()).count();
    println!("{} {recs}", if id { "Desa direkomendasikan:" } else { "Villages recommended:" });
    if !ingested.log.rejects.is_empty() {
        println!("{} {} → {}", if id { "Baris ditolak:" } else { "Rejected rows:" }, ingested.log.rejects.len(), out.join("rejects.csv").display());
    }
    println!("{} {}", if id { "Hasil ditulis ke" } else { "Outputs written to" }, out.display());
}

pub fn synth(args: &SynthArgs) -> Result<(), Failure> {
    let spec = match args.villages {
        Some(v) => rawan_synth::Spec::national(v),
        None => rawan_synth::Spec::banten_like(),
    };
    let world = rawan_synth::World::generate(&spec);
    if args.plain {
        let rows = rawan_synth::write_plain(&world, &args.out).map_err(Failure::output)?;
        for (f, n) in rows {
            println!("{f}: {n} rows");
        }
    } else {
        let truth = rawan_synth::write_sample(&world, &args.out).map_err(Failure::output)?;
        println!("{} villages; {} planted bad rows; job file {}", truth.villages, truth.rejects.len(), args.out.join("job.toml").display());
    }
    Ok(())
}
