//! Command-line arguments.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

const ABOUT: &str = "Where to foster the next Desa Binaan Imigrasi: village risk scores, hot spots, the coverage gap and a budgeted list of villages, from migrant-worker, outreach and TPPO/TPPM case data.";

const RUN_HELP: &str = "\
Examples:
  rawan run data-sample/job.toml --out notebooks-out
  rawan run kanwil_banten.toml --out hasil/2025-11 --lang en
  rawan run job.toml --out internal/ --restricted     (exact small counts, internal use only)

The job file names the inputs (paths relative to the job file), the analysis date and the
settings; every setting has a documented default (docs/job-file.md). Tables may be CSV,
.xlsx or .parquet. Outputs:
  villages.geojson + .qml   risk per village (open in QGIS; styled on load)
  hotspots / lisa / recommended / desa_binaan / offices .geojson + .qml
  rawan.qgs                 a QGIS project with every layer styled
  rawan.gpkg                every layer in one GeoPackage, each styled from the file itself
  *.svg, *.png              charts for reports
  *.csv                     ranked villages, kecamatan/kabupaten summaries, recommendations
  *.parquet                 the same tables with their types, for polars/pandas/DuckDB/R
  rawan.xlsx                the tables as one Excel workbook (headers by --lang)
  programme_effect.csv      is the programme working: the effect of desa binaan designation
                            on non-procedural departures, with the event study beside it
  modus_trend.csv           cases by modus per 12 months and kabupaten; new or rising modus
  report.md, report.html    the report
  rejects.csv, matches.csv  every unused input row with its reason; every non-exact match
  manifest.json             version, settings, input hashes, row counts, output list
  map.html                  the map for a browser, no internet needed

Compare two runs' folders afterwards with `rawan compare` (rawan compare --help).

Exit codes: 0 done · 2 wrong command line · 3 job file or input unusable (nothing written)
· 4 outputs could not be written (previous outputs untouched) · 1 internal error.";

#[derive(Debug, Parser)]
#[command(name = "rawan", version, about = ABOUT, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a job: read its inputs, score and target villages, write layers, charts and report.
    #[command(after_help = RUN_HELP)]
    Run(RunArgs),
    /// Generate synthetic data: the messy sample of data-sample/, or plain benchmark sets.
    #[command(
        after_help = "Examples:\n  rawan synth --out data-sample\n  rawan synth --out bench-data/national --villages 84000 --plain"
    )]
    Synth(SynthArgs),
    /// Compare two runs: which villages became riskier or less risky, which hot spots
    /// appeared or faded, whether last run's recommendations were designated.
    #[command(after_help = COMPARE_HELP)]
    Compare(CompareArgs),
}

const COMPARE_HELP: &str = "\
Examples:
  rawan compare hasil/2024-11 hasil/2025-11 --out hasil/perubahan-2025
  rawan compare hasil/2024-11 hasil/2025-11 --out perubahan --lang en

Reads the two output folders (their manifest.json and villages_ranked.csv) and writes:
  changes.csv               per village: ranks, scores, rank intervals and Gi* classes
                            before and after, and whether the change in rank is larger
                            than both runs' rank intervals (rank_change_beyond_intervals)
  changes.geojson + .qml    the same per village, styled by movement (open in QGIS)
  changes.gpkg              the same layer as a GeoPackage, its style stored inside
  changes_movers.svg/.png   the largest real moves each way
  changes.md, changes.html  a short report
  manifest.json             both runs, their manifests' hashes, every file's hash

Runs made with different settings for scores, ranks or classes (model, window, spatial,
uncertainty, indicators), or covering different villages, are refused unless allowed.
The analysis date and the input files may differ: that is what a later run is.";

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The earlier run's output folder.
    pub previous: PathBuf,
    /// The later run's output folder.
    pub current: PathBuf,
    /// Folder for the comparison; created if missing, replaced as a whole if rawan made it.
    #[arg(long, short)]
    pub out: PathBuf,
    /// Language of the report, chart and layer style (default: the current run's).
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
    /// Compare runs whose settings for scores, ranks or classes differ (the report lists
    /// the differences).
    #[arg(long)]
    pub allow_different_settings: bool,
    /// Compare runs whose village layers differ (new or merged villages): the villages both
    /// have are compared, the others listed.
    #[arg(long)]
    pub allow_different_villages: bool,
    /// No summary on the terminal (errors are still printed).
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LangArg {
    /// Bahasa Indonesia
    Id,
    /// English
    En,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// The job file (TOML).
    pub job: PathBuf,
    /// Output folder; created if missing. A folder from an earlier run is replaced as a whole
    /// once the new run has succeeded.
    #[arg(long, short)]
    pub out: PathBuf,
    /// Language of labels, charts and the report (default: the job file's, else Indonesian).
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
    /// Keep exact small case counts (internal use only; the manifest and report say so).
    #[arg(long)]
    pub restricted: bool,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
    /// No progress or summary on the terminal (errors are still printed).
    #[arg(long, short)]
    pub quiet: bool,
    /// Print each stage's wall time, CPU time (all threads; twice the wall time means two
    /// cores kept busy) and the peak memory (for benchmarks).
    #[arg(long)]
    pub timings: bool,
}

#[derive(Debug, Args)]
pub struct SynthArgs {
    /// Folder to write into.
    #[arg(long, short)]
    pub out: PathBuf,
    /// Number of villages of a plain benchmark set (a synthetic lattice; with --plain).
    #[arg(long, requires = "plain")]
    pub villages: Option<u64>,
    /// Clean contract-named CSVs (for benchmarks and the peer pipeline) instead of the messy
    /// sample on real ground (Banten, and Kabupaten Cianjur in OUT/cianjur).
    #[arg(long, requires = "villages")]
    pub plain: bool,
}
