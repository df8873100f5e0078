//! `rawan compare`: reads two runs, compares them (rawan-compare), writes the comparison
//! (rawan-publish) into a staged folder with its manifest, and swaps it into place.

use crate::Failure;
use crate::args::{CompareArgs, LangArg};
use crate::staging::Staging;
use rawan_compare::{Allow, Comparison, Movement, RunFolder};
use rawan_core::settings::Lang;
use rawan_publish::digest;
use std::path::Path;

pub fn compare(args: &CompareArgs) -> Result<(), Failure> {
    refuse_run_folder_as_out(args)?;
    let before = RunFolder::open(&args.previous).map_err(Failure::input)?;
    let after = RunFolder::open(&args.current).map_err(Failure::input)?;
    let lang = match args.lang {
        Some(LangArg::Id) => Lang::Id,
        Some(LangArg::En) => Lang::En,
        None if after.lang == "en" => Lang::En,
        None => Lang::Id,
    };
    let allow = Allow {
        different_settings: args.allow_different_settings,
        different_villages: args.allow_different_villages,
    };
    let comparison = Comparison::new(before, after, allow).map_err(Failure::input)?;
    // Geometry from the current run; a village only the previous run has keeps its old one.
    let mut geometries = comparison.after.geometries().map_err(Failure::input)?;
    if comparison.count(Movement::OnlyBefore) > 0 {
        for (k, g) in comparison.before.geometries().map_err(Failure::input)? {
            geometries.entry(k).or_insert(g);
        }
    }
    let staging = Staging::begin(&args.out).map_err(Failure::output)?;
    let files = rawan_publish::changes::write(&comparison, &geometries, lang, &staging.dir)
        .map_err(Failure::output)?;
    write_manifest(&comparison, args, lang, &files, &staging.dir)?;
    staging.commit().map_err(Failure::output)?;
    if !args.quiet {
        let say = |key| rawan_core::i18n::t(lang, key);
        println!(
            "{}: {} · {}: {} · {}: {}",
            say("riskier"),
            comparison.count(Movement::Riskier),
            say("less_risky"),
            comparison.count(Movement::LessRisky),
            say("no_clear_change"),
            comparison.count(Movement::NoClearChange)
        );
        println!("{} {}", say("term_outputs_written"), args.out.display());
    }
    Ok(())
}

/// The comparison replaces its output folder as a whole: never one of the runs it reads.
fn refuse_run_folder_as_out(args: &CompareArgs) -> Result<(), Failure> {
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    for run in [&args.previous, &args.current] {
        if same(&args.out, run) {
            return Err(Failure::input(format!(
                "--out {} is one of the runs being compared; choose another folder for the comparison",
                args.out.display()
            )));
        }
    }
    Ok(())
}

/// `manifest.json`: the two runs (folder, date, version, their manifests' hashes), the
/// setting differences accepted, the village counts, and every file's hash.
fn write_manifest(
    c: &Comparison,
    args: &CompareArgs,
    lang: Lang,
    files: &[String],
    dir: &Path,
) -> Result<(), Failure> {
    let run = |r: &RunFolder, given: &Path| -> Result<serde_json::Value, Failure> {
        let d = digest::of_file(&r.path.join("manifest.json")).map_err(Failure::input)?;
        Ok(serde_json::json!({
            "folder": given.display().to_string(),
            "as_of": r.as_of,
            "version": r.version,
            "manifest_sha256": d.sha256,
            "restricted": r.restricted,
        }))
    };
    let outputs = files
        .iter()
        .map(|f| {
            digest::of_file(&dir.join(f))
                .map(|d| serde_json::json!({"file": f, "sha256": d.sha256, "bytes": d.bytes}))
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(Failure::output)?;
    // Ranks of a restricted run are as published ones, but the comparison follows its runs.
    let restricted = c.before.restricted || c.after.restricted;
    let manifest = serde_json::json!({
        "tool": "rawan",
        "command": "compare",
        "version": env!("CARGO_PKG_VERSION"),
        "restricted": restricted,
        "synthetic": c.before.synthetic || c.after.synthetic,
        "lang": lang.code(),
        "previous": run(&c.before, &args.previous)?,
        "current": run(&c.after, &args.current)?,
        "settings_differences": c.differences.iter().map(|d| d.to_string()).collect::<Vec<_>>(),
        "villages": {
            "compared": c.changes.len(),
            "only_previous": c.count(Movement::OnlyBefore),
            "only_current": c.count(Movement::OnlyAfter),
        },
        "publishable": if restricted { Vec::new() } else { files.to_vec() },
        "outputs": outputs,
    });
    let text = serde_json::to_string_pretty(&manifest).expect("manifest serialises") + "\n";
    std::fs::write(dir.join("manifest.json"), text).map_err(Failure::output)
}
