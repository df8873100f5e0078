//! One reader per record table of the data contract. Each turns rows into checked records
//! and every row it cannot use into a reject with its line, column, value and reason.

use crate::crosswalk::{Crosswalk, Lookup};
use crate::dates::{month_number, parse_date};
use crate::numbers::{parse_count, parse_decimal};
use crate::resolve::{Gazetteer, Given, Resolution};
use crate::source::{Columns, Row, Slot, TableSpec, read_table};
use crate::{IngestError, Tally, label};
use chrono::{Datelike, NaiveDate};
use rawan_core::{
    Case, Channel, CodeScheme, Crime, Departure, DesaBinaan, Job, KodeBps, KodeDesa, NameMatch,
    Office, OutreachEvent, RejectLog,
};
use std::collections::HashMap;
use std::path::Path;

/// Shared context of the table readers.
pub struct Ctx<'a> {
    pub job: &'a Job,
    pub gazetteer: &'a Gazetteer,
    /// Residents per village where known (departures are checked against it).
    pub population: rustc_hash::FxHashMap<KodeDesa, f64>,
    /// `job.window_start()`, computed once.
    pub window_start: NaiveDate,
    /// The job's `bps_crosswalk`, read.
    pub crosswalk: Option<&'a Crosswalk>,
}

/// How a reader turns a row's code cell into a village: through the crosswalk (a table of
/// BPS codes), or directly as Kemendagri's, counting the cells that carry BPS's mark
/// ([`KodeBps::misread_as_kemendagri`]) so that a BPS table read this way is caught.
pub struct Codes<'a> {
    crosswalk: Option<&'a Crosswalk>,
    /// BPS-marked cells, and the first one (by line) as an example for the message.
    marked: std::sync::Mutex<(u64, Option<(u64, String)>)>,
}

/// A table is taken for BPS-coded when at least this share of its rows carry BPS's mark
/// (BPS tables: most rows; a Kemendagri table: a stray typo)…
const BPS_SHARE: f64 = 0.05;
/// …and at least this many.
const BPS_MIN_ROWS: u64 = 3;

impl<'a> Codes<'a> {
    fn kemendagri() -> Self {
        Codes {
            crosswalk: None,
            marked: Default::default(),
        }
    }

    fn bps(crosswalk: &'a Crosswalk) -> Self {
        Codes {
            crosswalk: Some(crosswalk),
            marked: Default::default(),
        }
    }

    /// Counts `cell` (on `line`) if it carries BPS's mark.
    fn note(&self, line: u64, cell: &str) {
        if KodeBps::misread_as_kemendagri(cell) {
            let mut m = self.marked.lock().expect("no reader panics holding it");
            m.0 += 1;
            if m.1.as_ref().is_none_or(|(first, _)| line < *first) {
                m.1 = Some((line, cell.to_string()));
            }
        }
    }

    /// The marked cells and an example, when a table of `rows` rows looks BPS-coded.
    fn looks_bps(&self, rows: u64) -> Option<(u64, String)> {
        let m = self.marked.lock().expect("no reader panics holding it");
        (m.0 >= BPS_MIN_ROWS && m.0 as f64 >= BPS_SHARE * rows as f64)
            .then(|| (m.0, m.1.clone().map(|(_, c)| c).unwrap_or_default()))
    }
}

/// A row being checked: collects the reason it cannot be used.
struct Check<'r, 'a> {
    row: &'r Row<'a>,
    file: &'r str,
    log: &'r mut RejectLog,
    codes: &'r Codes<'r>,
}

/// Most victims one case record may hold. Real mass cases (online-scam compounds, fishing
/// fleets) reach a few hundred; a larger number is a phone number, an NIK or a typo.
pub const MAX_VICTIMS_PER_CASE: f64 = 1_000.0;
/// Most residents a village may have (the largest kelurahan have a few hundred thousand).
pub const MAX_POPULATION: f64 = 1_000_000.0;
/// Most departures one row (a village and month) may hold: a whole kabupaten rarely sends
/// this many in a month.
pub const MAX_DEPARTURES_PER_ROW: f64 = 10_000.0;

impl Check<'_, '_> {
    /// Refuses a row whose cells run past the header (see [`Row::extra_cells`]). Nothing of
    /// the row is echoed: its cells are shifted, so any of them may be a personal value.
    fn fits_header(&mut self) -> bool {
        let extra = self.row.extra_cells();
        if extra == 0 {
            return true;
        }
        let fields = self.row.columns.header.len() + extra;
        self.log.reject(
            self.file,
            self.row.line,
            "(whole row)",
            "",
            format!(
                "the row has {fields} filled fields where the header has {}: an unquoted separator inside a value \
                 (a number written 1,234, a name with a comma) shifts the cells; quote such values or remove the separator",
                self.row.columns.header.len()
            ),
        );
        false
    }

    /// A count no larger than `max`, or a reject saying why (without the value when it looks
    /// like an identity or phone number).
    fn bounded(&mut self, canonical: &str, v: f64, max: f64, what: &str) -> Option<f64> {
        if v <= max {
            return Some(v);
        }
        let why = if rawan_core::rejects::looks_like_id_number(self.row.get(canonical)) {
            format!(
                "not a plausible {what}: a number this long looks like a phone number or NIK typed in the wrong column"
            )
        } else {
            format!("{v} is not a plausible {what} (at most {max}); check the value")
        };
        self.reject(canonical, why);
        None
    }

    fn reject(&mut self, canonical: &str, reason: impl Into<String>) {
        let value = self.row.get(canonical).to_string();
        let column = self.row.columns.file_name(canonical);
        self.log
            .reject(self.file, self.row.line, &column, &value, reason);
    }

    /// The village of the row, or a reject.
    fn village(&mut self, gaz: &Gazetteer) -> Option<KodeDesa> {
        let r = self.row;
        if let Some(cw) = self.codes.crosswalk {
            return self.village_by_bps(gaz, cw);
        }
        if let Some(k) = gaz.exact(r.get("kode_desa")) {
            return Some(k);
        }
        self.codes.note(r.line, r.get("kode_desa"));
        let given = Given {
            kode: r.get("kode_desa"),
            desa: r.get("desa"),
            kecamatan: r.get("kecamatan"),
            kabupaten: r.get("kabupaten"),
        };
        self.resolved(given, gaz.resolve(given))
    }

    /// The village of a row of a BPS-coded table: its code through the crosswalk, or, when
    /// the code is missing or leads nowhere, its names.
    fn village_by_bps(&mut self, gaz: &Gazetteer, cw: &Crosswalk) -> Option<KodeDesa> {
        let r = self.row;
        let cell = r.get("kode_desa");
        let by_names = Given {
            kode: "",
            desa: r.get("desa"),
            kecamatan: r.get("kecamatan"),
            kabupaten: r.get("kabupaten"),
        };
        if cell.is_empty() {
            return self.resolved(by_names, gaz.resolve(by_names));
        }
        let problem = match cw.lookup(cell) {
            Lookup::Found(k) => match gaz.desa_name(k) {
                Some(desa) => {
                    let desa = desa.to_string();
                    self.matched(cell.to_string(), k, desa, "bps_crosswalk", 1.0);
                    return Some(k);
                }
                None => format!(
                    "BPS code {cell} leads to {k} in the crosswalk {}, which is not in the village layer",
                    cw.file
                ),
            },
            Lookup::Failed(why) => why,
        };
        if by_names.desa.is_empty() {
            let column = r.columns.file_name("kode_desa");
            self.log.reject(self.file, r.line, &column, cell, problem);
            return None;
        }
        match gaz.resolve(by_names) {
            Resolution::Unresolved {
                column,
                value,
                reason,
            } => self.resolved(
                by_names,
                Resolution::Unresolved {
                    column,
                    value,
                    reason: format!("{problem}; and by name: {reason}"),
                },
            ),
            found => self.resolved(by_names, found),
        }
    }

    /// The village `resolution` found for `given`, listed in the matches when it was not an
    /// exact code; or a reject.
    fn resolved(&mut self, given: Given, resolution: Resolution) -> Option<KodeDesa> {
        match resolution {
            Resolution::Exact(k) => Some(k),
            Resolution::Matched {
                kode,
                desa,
                method,
                score,
            } => {
                let given_text = [given.kode, given.desa, given.kecamatan, given.kabupaten]
                    .iter()
                    .filter(|s| !s.is_empty())
                    .copied()
                    .collect::<Vec<_>>()
                    .join(" / ");
                self.matched(given_text, kode, desa, method, score);
                Some(kode)
            }
            Resolution::Unresolved {
                column,
                value,
                reason,
            } => {
                let column = self.row.columns.file_name(column);
                self.log
                    .reject(self.file, self.row.line, &column, &value, reason);
                None
            }
        }
    }

    fn matched(&mut self, given: String, kode: KodeDesa, desa: String, method: &str, score: f64) {
        self.log.matches.push(NameMatch {
            file: self.file.to_string(),
            line: self.row.line,
            given,
            kode_desa: kode.to_string(),
            matched_desa: desa,
            method: method.to_string(),
            score: (score * 1000.0).round() / 1000.0,
            sensitive: false,
        });
    }

    /// The cell parsed by `parse`, or a reject with the parser's reason.
    fn parsed<T>(&mut self, canonical: &str, parse: fn(&str) -> Result<T, String>) -> Option<T> {
        self.parsed_cell(canonical, self.row.get(canonical), parse)
    }

    /// [`Check::parsed`] on a cell already taken from the row (by its [`Slot`]).
    fn parsed_cell<T>(
        &mut self,
        canonical: &str,
        cell: &str,
        parse: fn(&str) -> Result<T, String>,
    ) -> Option<T> {
        match parse(cell) {
            Ok(v) => Some(v),
            Err(why) => {
                self.reject(canonical, why);
                None
            }
        }
    }

    fn date(&mut self, canonical: &str) -> Option<NaiveDate> {
        self.parsed(canonical, parse_date)
    }

    fn count(&mut self, canonical: &str) -> Option<f64> {
        self.parsed(canonical, parse_count)
    }

    fn optional_count(&mut self, canonical: &str) -> Result<Option<f64>, ()> {
        if self.row.get(canonical).is_empty() {
            return Ok(None);
        }
        self.count(canonical).map(Some).ok_or(())
    }

    /// Rejects dates outside the window (after `as_of`, or before the window starts).
    fn within_window(&mut self, canonical: &str, date: NaiveDate, job: &Job) -> bool {
        if date > job.as_of {
            self.reject(
                canonical,
                format!("{date} is after the analysis date as_of = {}", job.as_of),
            );
            false
        } else if date < job.window_start() {
            self.reject(
                canonical,
                format!(
                    "{date} is before the analysis window ({} to {})",
                    job.window_start(),
                    job.as_of
                ),
            );
            false
        } else {
            true
        }
    }
}

const VILLAGE_REF: &[&str] = &["kode_desa", "desa"];

fn spec<'a>(
    ctx: &Ctx,
    table: &'a str,
    required: &'a [&'a [&'a str]],
    optional: &'a [&'a str],
) -> TableSpec<'a> {
    TableSpec {
        table,
        required,
        optional,
        mapping: ctx.job.inputs.columns_for(table),
        sheet: ctx.job.inputs.sheets.get(table).cloned(),
    }
}

/// Reads a table row by row: `check` turns a row into a record or rejects it (through the
/// [`Check`] it is given); the tally counts what was used and rejected.
fn collect_rows<T>(
    path: &Path,
    s: &TableSpec,
    file: &str,
    codes: &Codes,
    log: &mut RejectLog,
    mut check: impl FnMut(&mut Check) -> Option<T>,
) -> Result<(Vec<T>, Tally), IngestError> {
    let mut out = Vec::new();
    let info = read_table(path, s, |row| {
        let mut c = Check {
            row,
            file,
            log,
            codes,
        };
        if !c.fits_header() {
            return;
        }
        if let Some(t) = check(&mut c) {
            out.push(t);
        }
    })?;
    let used = out.len() as u64;
    let rejected = info.rows - used;
    Ok((out, finish(info, used, rejected)))
}

/// Reads a table keyed by village code with `read` (one of this module's readers), in the
/// numbering the job declares for it (`[inputs.codes]`). Where the job declares none the table
/// is read as Kemendagri's; if then its codes carry BPS's mark (see [`Codes`]), it is read
/// again through the crosswalk, or, without one, refused: BPS digits are never joined as if
/// they were Kemendagri's.
pub fn read_coded<T>(
    ctx: &Ctx,
    table: &str,
    path: &Path,
    log: &mut RejectLog,
    read: impl Fn(&Codes, &mut RejectLog) -> Result<(T, Tally), IngestError>,
) -> Result<(T, Tally), IngestError> {
    let through = |cw: &Crosswalk, log: &mut RejectLog, why: String| {
        let (v, mut t) = read(&Codes::bps(cw), log)?;
        t.notes.push(why);
        Ok((v, t))
    };
    let declared = ctx.job.inputs.code_scheme(table);
    match (declared, ctx.crosswalk) {
        (Some(CodeScheme::Bps), Some(cw)) => through(
            cw,
            log,
            format!("village codes read as BPS codes through {}", cw.file),
        ),
        (Some(CodeScheme::Bps), None) => Err(IngestError::Missing {
            file: label(path),
            problem: format!(
                "[inputs.codes] says {table} is keyed by BPS codes, and the job names no bps_crosswalk to join them through"
            ),
        }),
        (Some(CodeScheme::Kemendagri), _) => read(&Codes::kemendagri(), log),
        (None, cw) => {
            let codes = Codes::kemendagri();
            let mut first = RejectLog::default();
            let (v, t) = read(&codes, &mut first)?;
            let Some((marked, example)) = codes.looks_bps(t.read) else {
                log.extend(first);
                return Ok((v, t));
            };
            let seen = format!(
                "{marked} of its {} rows have a code such as {example} whose village part, read as Kemendagri's PP.KK.CC.DDDD, is below 1000, which Kemendagri never uses",
                t.read
            );
            match cw {
                Some(cw) => through(
                    cw,
                    log,
                    format!(
                        "village codes read as BPS codes through {}: {seen}",
                        cw.file
                    ),
                ),
                None => Err(IngestError::Format {
                    file: label(path),
                    problem: format!(
                        "the village codes look like BPS codes, not Kemendagri's: {seen}. BPS and Kemendagri number villages differently (the same ten digits can name two different villages), so rawan does not join them directly. \
                         Name BPS's crosswalk under [inputs] (bps_crosswalk = \"…\", columns kode_bps and kode_desa); or, if these are Kemendagri codes after all, say so with [inputs.codes] {table} = \"kemendagri\""
                    ),
                }),
            }
        }
    }
}

fn finish(info: crate::source::SourceInfo, used: u64, rejected: u64) -> Tally {
    Tally {
        read: info.rows,
        used,
        rejected,
        notes: info.notes,
    }
}

/// Population per village: `kode_desa`, `population`, optional `year` (latest year wins).
pub fn read_population(
    path: &Path,
    ctx: &Ctx,
    codes: &Codes,
    log: &mut RejectLog,
) -> Result<(HashMap<KodeDesa, f64>, Tally), IngestError> {
    let file = label(path);
    let s = spec(
        ctx,
        "population",
        &[&["kode_desa"], &["population"]],
        &["year"],
    );
    let mut best: HashMap<KodeDesa, (i64, f64, u64)> = HashMap::new();
    let (mut used, mut rejected, mut superseded) = (0u64, 0u64, 0u64);
    let info = read_table(path, &s, |row| {
        let mut c = Check {
            row,
            file: &file,
            log,
            codes,
        };
        let ok = (|| {
            if !c.fits_header() {
                return None;
            }
            let kode = c.village(ctx.gazetteer)?;
            let pop = c.count("population")?;
            let pop = c.bounded("population", pop, MAX_POPULATION, "village population")?;
            let year: i64 = row.get("year").parse().unwrap_or(0);
            match best.get(&kode) {
                Some(&(y, _, first)) if y == year => {
                    c.reject(
                        "kode_desa",
                        format!(
                            "second population for this village and year (first on line {first})"
                        ),
                    );
                    None
                }
                Some(&(y, _, _)) if y > year => {
                    c.reject(
                        "year",
                        format!("an entry for a later year ({y}) is used instead"),
                    );
                    None
                }
                Some(&(y, _, earlier_line)) => {
                    // This row is newer: the earlier one, already counted as used, is not.
                    c.log.reject(
                        c.file,
                        earlier_line,
                        &row.columns.file_name("year"),
                        &y.to_string(),
                        format!("superseded by line {} (a later year)", row.line),
                    );
                    superseded += 1;
                    best.insert(kode, (year, pop, row.line));
                    Some(())
                }
                None => {
                    best.insert(kode, (year, pop, row.line));
                    Some(())
                }
            }
        })();
        if ok.is_some() {
            used += 1
        } else {
            rejected += 1
        }
    })?;
    Ok((
        best.into_iter().map(|(k, (_, p, _))| (k, p)).collect(),
        finish(info, used - superseded, rejected + superseded),
    ))
}

/// Migrant-worker departures (the largest table: parsed in parallel, see [`read_table_par`]).
pub fn read_departures(
    path: &Path,
    ctx: &Ctx,
    codes: &Codes,
    log: &mut RejectLog,
) -> Result<(Vec<Departure>, Tally), IngestError> {
    let file = label(path);
    let s = spec(
        ctx,
        "departures",
        &[VILLAGE_REF, &["date", "month"], &["count"]],
        &[
            "year",
            "channel",
            "destination_country",
            "sector",
            "gender",
            "kecamatan",
            "kabupaten",
            "kode_desa",
            "desa",
            "date",
            "month",
        ],
    );
    // Column places, looked up at the first row instead of by name in every row.
    let slots = std::sync::OnceLock::new();
    let (out, chunk_log, info) = crate::source::read_table_par(path, &s, |row, chunk| {
        let at = *slots.get_or_init(|| DepartureColumns::of(row.columns));
        let mut c = Check {
            row,
            file: &file,
            log: &mut chunk.log,
            codes,
        };
        if !c.fits_header() {
            return None;
        }
        let direct = match codes.crosswalk {
            None => ctx
                .gazetteer
                .exact_recent(row.cell(at.kode_desa), &mut chunk.recent),
            Some(_) => None,
        };
        let kode = match direct {
            Some(k) => k,
            None => c.village(ctx.gazetteer)?,
        };
        let month_cell = row.cell(at.month);
        let month = if !row.cell(at.date).is_empty() || month_cell.is_empty() {
            let d = c.date("date")?;
            NaiveDate::from_ymd_opt(d.year(), d.month(), 1)?
        } else {
            let m = month_cell
                .parse::<u32>()
                .ok()
                .or_else(|| month_number(month_cell))
                .filter(|m| (1..=12).contains(m));
            let Some(m) = m else {
                c.reject("month", "month must be 1–12 or a month name");
                return None;
            };
            let y = row
                .cell(at.year)
                .parse::<i32>()
                .ok()
                .filter(|y| (1900..=2200).contains(y));
            let Some(y) = y else {
                c.reject("year", "year must be a four-digit year");
                return None;
            };
            NaiveDate::from_ymd_opt(y, m, 1)?
        };
        // The month overlaps the window unless it ends before the window starts, i.e. unless
        // it is an earlier month than the window's first.
        let before_window =
            (month.year(), month.month()) < (ctx.window_start.year(), ctx.window_start.month());
        if month > ctx.job.as_of || before_window {
            let col = if row.columns.has("month") {
                "month"
            } else {
                "date"
            };
            if month > ctx.job.as_of {
                c.reject(
                    col,
                    format!(
                        "{} is after the analysis date as_of = {}",
                        month.format("%Y-%m"),
                        ctx.job.as_of
                    ),
                );
                return None;
            }
            c.reject(
                col,
                format!(
                    "{} is before the analysis window ({} to {})",
                    month.format("%Y-%m"),
                    ctx.window_start,
                    ctx.job.as_of
                ),
            );
            return None;
        }
        let count = c.parsed_cell("count", row.cell(at.count), parse_count)?;
        let count = c.bounded(
            "count",
            count,
            MAX_DEPARTURES_PER_ROW,
            "number of departures in one row",
        )?;
        // Small counts cannot exceed any village's population: only larger ones are looked up.
        if count >= 10.0
            && let Some(&pop) = ctx.population.get(&kode)
            && count > pop
        {
            c.reject(
                "count",
                format!("{count} departures in one month from a village of {pop} residents"),
            );
            return None;
        }
        let channel = match channel(row.cell(at.channel)) {
            Ok(ch) => ch,
            Err(why) => {
                c.reject("channel", why);
                return None;
            }
        };
        Some(Departure {
            kode_desa: kode,
            month,
            count,
            channel,
        })
    })?;
    let used = out.len() as u64;
    log.extend(chunk_log);
    let rejected = info.rows - used;
    Ok((out, finish(info, used, rejected)))
}

/// Where the departures' columns sit (see [`crate::source::Slot`]).
#[derive(Clone, Copy)]
struct DepartureColumns {
    kode_desa: Slot,
    date: Slot,
    month: Slot,
    year: Slot,
    count: Slot,
    channel: Slot,
}

impl DepartureColumns {
    fn of(columns: &Columns) -> Self {
        DepartureColumns {
            kode_desa: columns.slot("kode_desa"),
            date: columns.slot("date"),
            month: columns.slot("month"),
            year: columns.slot("year"),
            count: columns.slot("count"),
            channel: columns.slot("channel"),
        }
    }
}

fn channel(raw: &str) -> Result<Option<Channel>, String> {
    match raw {
        "procedural" => return Ok(Some(Channel::Procedural)),
        "nonprocedural" => return Ok(Some(Channel::Nonprocedural)),
        _ => {}
    }
    let k: String = raw
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect();
    Ok(match k.as_str() {
        "" => None,
        "procedural" | "prosedural" | "resmi" | "legal" | "formal" => Some(Channel::Procedural),
        "nonprocedural" | "nonprosedural" | "unprocedural" | "tidakprosedural" | "ilegal"
        | "illegal" | "nonresmi" => Some(Channel::Nonprocedural),
        _ => {
            return Err(format!(
                "channel '{raw}' is neither procedural nor nonprocedural"
            ));
        }
    })
}

/// Existing desa binaan designations. A village designated more than once keeps its
/// earliest designation on or before `as_of` (the programme reached it then); each other
/// row is a reject that names the one used.
pub fn read_desa_binaan(
    path: &Path,
    ctx: &Ctx,
    codes: &Codes,
    log: &mut RejectLog,
) -> Result<(Vec<DesaBinaan>, Tally), IngestError> {
    let file = label(path);
    let s = spec(
        ctx,
        "desa_binaan",
        &[VILLAGE_REF, &["designated_on"]],
        &[
            "programme",
            "office",
            "kode_desa",
            "desa",
            "kecamatan",
            "kabupaten",
        ],
    );
    // Every usable row first, with where it came from (line, the village's column and value
    // as the file writes them); then one designation per village.
    let (rows, mut tally) = collect_rows(path, &s, &file, codes, log, |c| {
        let row = c.row;
        let kode = c.village(ctx.gazetteer)?;
        let on = c.date("designated_on")?;
        if on > ctx.job.as_of {
            c.reject(
                "designated_on",
                format!("{on} is after the analysis date as_of = {}", ctx.job.as_of),
            );
            return None;
        }
        let by = if row.get("kode_desa").is_empty() {
            "desa"
        } else {
            "kode_desa"
        };
        Some((
            row.line,
            row.columns.file_name(by),
            row.get(by).to_string(),
            DesaBinaan {
                kode_desa: kode,
                designated_on: on,
                programme: Some(row.get("programme").to_string()).filter(|s| !s.is_empty()),
                office: Some(row.get("office").to_string()).filter(|s| !s.is_empty()),
            },
        ))
    })?;
    let mut earliest: HashMap<KodeDesa, (NaiveDate, u64)> = HashMap::new();
    for (line, _, _, b) in &rows {
        let e = earliest
            .entry(b.kode_desa)
            .or_insert((b.designated_on, *line));
        *e = (*e).min((b.designated_on, *line));
    }
    let mut kept = Vec::with_capacity(earliest.len());
    for (line, column, value, b) in rows {
        let (on, first) = earliest[&b.kode_desa];
        if first == line {
            kept.push(b);
        } else {
            log.reject(
                &file,
                line,
                &column,
                &value,
                format!(
                    "village designated more than once: the earliest designation ({on}, line {first}) is used"
                ),
            );
            tally.used -= 1;
            tally.rejected += 1;
        }
    }
    Ok((kept, tally))
}

/// One `[[indicators]]` table: the value of its column per village (matched by code or by
/// names like every table). A village given twice keeps its first row; an empty or
/// non-numeric value is a reject, so the village's indicator is missing (never zero).
pub fn read_indicator(
    spec_: &rawan_core::settings::IndicatorSpec,
    ctx: &Ctx,
    codes: &Codes,
    log: &mut RejectLog,
) -> Result<(HashMap<KodeDesa, f64>, Tally), IngestError> {
    let path = spec_.file.as_path();
    let file = label(path);
    let mut s = spec(
        ctx,
        &spec_.name,
        &[VILLAGE_REF, &["value"]],
        &["kode_desa", "desa", "kecamatan", "kabupaten"],
    );
    s.mapping
        .entry("value".into())
        .or_insert_with(|| spec_.column.clone());
    if spec_.sheet.is_some() {
        s.sheet = spec_.sheet.clone();
    }
    let mut first_line: HashMap<KodeDesa, u64> = HashMap::new();
    let (rows, tally) = collect_rows(path, &s, &file, codes, log, |c| {
        let kode = c.village(ctx.gazetteer)?;
        if c.row.get("value").trim().is_empty() {
            c.reject(
                "value",
                "no value: the indicator is missing for this village (never taken as zero)",
            );
            return None;
        }
        let v = c.parsed("value", parse_decimal)?;
        if !v.is_finite() {
            c.reject("value", "not a finite number");
            return None;
        }
        if let Some(first) = first_line.get(&kode) {
            c.reject(
                "kode_desa",
                format!("second value for this village (first on line {first}); the first is used"),
            );
            return None;
        }
        first_line.insert(kode, c.row.line);
        Some((kode, v))
    })?;
    Ok((rows.into_iter().collect(), tally))
}

/// Outreach events within the window.
pub fn read_outreach(
    path: &Path,
    ctx: &Ctx,
    codes: &Codes,
    log: &mut RejectLog,
) -> Result<(Vec<OutreachEvent>, Tally), IngestError> {
    let file = label(path);
    let s = spec(
        ctx,
        "outreach",
        &[VILLAGE_REF, &["date"], &["activity"]],
        &[
            "participants",
            "kode_desa",
            "desa",
            "kecamatan",
            "kabupaten",
        ],
    );
    collect_rows(path, &s, &file, codes, log, |c| {
        let row = c.row;
        let kode = c.village(ctx.gazetteer)?;
        let date = c.date("date")?;
        if !c.within_window("date", date, ctx.job) {
            return None;
        }
        let activity = row.get("activity").to_lowercase();
        if activity.is_empty() {
            c.reject("activity", "missing activity");
            return None;
        }
        let participants = c.optional_count("participants").ok()?;
        Some(OutreachEvent {
            kode_desa: kode,
            date,
            activity,
            participants,
        })
    })
}

/// The modus vocabulary (canonical name, words that identify it).
pub const MODUS: &[(&str, &[&str])] = &[
    (
        "penempatan PMI nonprosedural",
        &[
            "nonprosedural",
            "non prosedural",
            "nonprocedural",
            "ilegal",
            "illegal",
            "unprosedural",
        ],
    ),
    (
        "online scam",
        &[
            "online scam",
            "scam",
            "penipuan daring",
            "penipuan online",
            "judi online",
        ],
    ),
    (
        "ABK perikanan",
        &["abk", "awak kapal", "fishing", "perikanan"],
    ),
    (
        "eksploitasi seksual",
        &["seksual", "sexual", "prostitusi", "pelacuran"],
    ),
    (
        "pemalsuan dokumen",
        &["pemalsuan", "dokumen palsu", "forged", "forgery"],
    ),
    (
        "pengantin pesanan / kawin kontrak",
        &["pengantin pesanan", "kawin kontrak", "mail-order", "bride"],
    ),
    (
        "kerja paksa",
        &["kerja paksa", "forced labour", "forced labor", "perbudakan"],
    ),
    ("penyelundupan manusia", &["penyelundupan", "smuggling"]),
    ("lainnya", &["lainnya", "lain-lain", "other"]),
];

/// The canonical modus for a free-text value, if it names one of the vocabulary's.
pub fn canonical_modus(raw: &str) -> Option<&'static str> {
    let k = raw.trim().to_lowercase();
    MODUS
        .iter()
        .find(|(name, words)| k == name.to_lowercase() || words.iter().any(|w| k.contains(w)))
        .map(|(name, _)| *name)
}

fn crime(raw: &str) -> Option<Crime> {
    let k = raw.trim().to_lowercase();
    match k.as_str() {
        "tppo"
        | "perdagangan orang"
        | "trafficking"
        | "human trafficking"
        | "trafficking in persons" => Some(Crime::Tppo),
        "tppm" | "penyelundupan manusia" | "smuggling" | "people smuggling" => Some(Crime::Tppm),
        _ => None,
    }
}

/// TPPO/TPPM cases. Only the contract's columns are read; personal columns are never touched.
pub fn read_cases(
    path: &Path,
    ctx: &Ctx,
    codes: &Codes,
    log: &mut RejectLog,
) -> Result<(Vec<Case>, Tally), IngestError> {
    let file = label(path);
    let s = spec(
        ctx,
        "cases",
        &[
            &["case_id"],
            &["reported_on"],
            &["crime"],
            &["victims"],
            VILLAGE_REF,
        ],
        &[
            "modus",
            "destination_country",
            "source",
            "kode_desa",
            "desa",
            "kecamatan",
            "kabupaten",
        ],
    );
    let mut ids: rustc_hash::FxHashMap<String, u64> = Default::default();
    // Every log entry of this file is row-level detail of the case file: published only
    // under --restricted (docs/privacy.md).
    let since = log.mark();
    let result = collect_rows(path, &s, &file, codes, log, |c| {
        let row = c.row;
        let id = row.get("case_id").to_string();
        if id.is_empty() {
            c.reject("case_id", "missing case_id");
            return None;
        }
        if let Some(first) = ids.get(&id) {
            c.reject(
                "case_id",
                format!("duplicate case_id (first on line {first}); counted once"),
            );
            return None;
        }
        let Some(cr) = crime(row.get("crime")) else {
            c.reject("crime", "crime must be TPPO or TPPM");
            return None;
        };
        let victims = c.count("victims")?;
        let victims = c.bounded(
            "victims",
            victims,
            MAX_VICTIMS_PER_CASE,
            "number of victims in one case",
        )?;
        let reported_on = c.date("reported_on")?;
        if !c.within_window("reported_on", reported_on, ctx.job) {
            return None;
        }
        let kode = c.village(ctx.gazetteer)?;
        ids.insert(id.clone(), row.line);
        let text = |k: &str| Some(row.get(k).to_string()).filter(|s| !s.is_empty());
        let modus = match text("modus") {
            None => None,
            Some(m) => match canonical_modus(&m) {
                Some(known) => Some(known.to_string()),
                None => {
                    c.log.warn(
                        c.file,
                        row.line,
                        &row.columns.file_name("modus"),
                        &m,
                        "modus not in the list (docs/job-file.md); the case is counted, its modus recorded as 'lainnya'",
                    );
                    Some("lainnya".to_string())
                }
            },
        };
        Some(Case {
            case_id: id,
            reported_on,
            crime: cr,
            victims,
            kode_desa: kode,
            modus,
            destination_country: text("destination_country"),
            source: text("source"),
        })
    });
    log.mark_sensitive_since(since);
    result
}

/// Immigration offices.
pub fn read_offices(
    path: &Path,
    ctx: &Ctx,
    log: &mut RejectLog,
) -> Result<(Vec<Office>, Tally), IngestError> {
    let file = label(path);
    let s = spec(
        ctx,
        "offices",
        &[&["office"], &["lat"], &["lon"]],
        &["capacity", "radius_km"],
    );
    let mut names: std::collections::HashSet<String> = Default::default();
    collect_rows(path, &s, &file, &Codes::kemendagri(), log, |c| {
        let row = c.row;
        let office = row.get("office").to_string();
        if office.is_empty() {
            c.reject("office", "missing office name");
            return None;
        }
        if !names.insert(office.clone()) {
            c.reject("office", "duplicate office name");
            return None;
        }
        let lat = match parse_decimal(row.get("lat")) {
            Ok(v) if (-90.0..=90.0).contains(&v) => v,
            Ok(v) => {
                c.reject("lat", format!("latitude {v} is outside −90…90"));
                return None;
            }
            Err(why) => {
                c.reject("lat", why);
                return None;
            }
        };
        let lon = match parse_decimal(row.get("lon")) {
            Ok(v) if (-180.0..=180.0).contains(&v) => v,
            Ok(v) => {
                c.reject("lon", format!("longitude {v} is outside −180…180"));
                return None;
            }
            Err(why) => {
                c.reject("lon", why);
                return None;
            }
        };
        let capacity = c.optional_count("capacity").ok()?.map(|v| v as u32);
        let radius_km = if row.get("radius_km").is_empty() {
            None
        } else {
            match parse_decimal(row.get("radius_km")) {
                Ok(v) if v > 0.0 => Some(v),
                _ => {
                    c.reject(
                        "radius_km",
                        "radius_km must be a positive number of kilometres",
                    );
                    return None;
                }
            }
        };
        Some(Office {
            office,
            lat,
            lon,
            capacity,
            radius_km,
        })
    })
}
