//! The report: `report.md` and `report.html` that embed the charts and say in plain words
//! which villages rank highest and why, where they cluster, which villages to foster next,
//! and what to keep in mind. Counts in it pass through the same suppression as the layers.

use crate::i18n::t;
use crate::privacy::Suppressed;
use crate::tables::fmt;
use crate::tabular::Table;
use crate::{Publication, PublishError, write_file};
use rawan_core::i18n::fill;
use rawan_core::settings::Lang;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

fn cell(s: &str) -> String {
    s.replace('|', "/")
}

/// The report's Markdown text.
pub fn markdown(p: &Publication, sup: &Suppressed) -> String {
    let l = p.lang;
    let job = p.job;
    let mut md = String::new();
    let _ = writeln!(md, "# {}\n", t(l, "report_title"));
    let _ = writeln!(
        md,
        "{} **{}** · {} {} {} ({} – {}) · {} {} · rawan {}\n",
        t(l, "report_data_as_of"),
        job.as_of,
        t(l, "report_window"),
        job.window_months,
        t(l, "report_months"),
        job.window_start(),
        job.as_of,
        p.villages.len(),
        t(l, "report_villages"),
        p.facts.tool_version
    );
    if p.restricted {
        let _ = writeln!(md, "> **{}**\n", t(l, "report_restricted_warning"));
    }
    if job.synthetic {
        let _ = writeln!(md, "> **{}**\n", t(l, "report_synthetic"));
    }
    for notice in &p.facts.notices {
        let _ = writeln!(md, "> **{}** {}\n", t(l, "report_attention"), notice);
    }
    // Summary.
    let mut ranked: Vec<usize> = (0..p.villages.len())
        .filter(|&i| p.villages[i].risk_score.is_some())
        .collect();
    ranked.sort_by_key(|&i| p.villages[i].risk_rank);
    let high = ranked
        .iter()
        .filter(|&&i| p.villages[i].risk_score.unwrap_or(0.0) >= 6.0)
        .count();
    let hot = p.villages.iter().filter(|v| v.gi_class.is_hot()).count();
    let hh = p
        .villages
        .iter()
        .filter(|v| v.lisa_cluster == rawan_core::LisaCluster::HH)
        .count();
    let binaan = p.villages.iter().filter(|v| v.desa_binaan).count();
    let recs = p
        .villages
        .iter()
        .filter(|v| v.recommended_rank.is_some())
        .count();
    let _ = writeln!(md, "## {}\n", t(l, "report_summary"));
    let _ = writeln!(
        md,
        "- {high} {}\n- {hot} {}; {hh} {}\n- {binaan} {}\n- {recs} {} ({}: {:.1} {} {:.1}, {:.0}%)\n",
        t(l, "report_villages_score_6_or_more"),
        t(l, "report_villages_are_gi_hot_spots"),
        t(l, "report_villages_are_in_lisa_highhigh"),
        t(l, "report_desa_binaan_already_exist"),
        t(l, "report_villages_are_recommended_as_new"),
        t(l, "report_gap_covered"),
        p.facts.covered_gap,
        t(l, "report_of"),
        p.facts.total_gap,
        if p.facts.total_gap > 0.0 {
            100.0 * p.facts.covered_gap / p.facts.total_gap
        } else {
            0.0
        }
    );
    let _ = writeln!(md, "![{}](map_risk.svg)\n", t(l, "risk_map"));
    let _ = writeln!(
        md,
        "**[{}]({})** — {}\n",
        t(l, "web_title"),
        crate::web_map::FILE,
        t(l, "report_web_map")
    );

    // Top villages.
    let _ = writeln!(md, "## {}\n", t(l, "report_highestrisk_villages_and_why"));
    let dims: Vec<String> = p
        .indicators
        .dimensions()
        .iter()
        .map(|d| {
            let members: Vec<&str> = p
                .indicators
                .defs
                .iter()
                .filter(|i| i.dimension == *d)
                .map(|i| i.label(l))
                .collect();
            format!("{} ({})", d.label(l), members.join(", "))
        })
        .collect();
    let aggregation = match job.model.aggregation {
        rawan_core::settings::Aggregation::Geometric => t(l, "report_geometric"),
        rawan_core::settings::Aggregation::Arithmetic => t(l, "report_arithmetic"),
    };
    let _ = writeln!(
        md,
        "{} {}\n",
        rawan_core::i18n::fill(
            t(l, "report_score_combines"),
            &[&dims.len(), &aggregation, &dims.join("; ")]
        ),
        t(l, "report_contribution_columns")
    );
    let mut head = format!(
        "| # | {} | {} | {} | {} | {} | P(top {}) | {} |",
        t(l, "report_village"),
        t(l, "report_kecamatan"),
        t(l, "report_kabupatenkota"),
        t(l, "risk_score"),
        t(l, "report_rank_range"),
        job.uncertainty.top_n,
        "LISA"
    );
    for ind in &p.indicators.defs {
        let _ = write!(head, " {} |", cell(ind.label(l)));
    }
    let _ = writeln!(md, "{head}");
    let _ = writeln!(md, "|{}", "---|".repeat(8 + p.indicators.len()));
    for &i in ranked.iter().take(job.output.top_n.min(10)) {
        let v = &p.villages[i];
        let mut row = format!(
            "| {} | {} | {} | {} | {} | {}–{} | {} | {} |",
            v.risk_rank,
            cell(&v.desa),
            cell(&v.kecamatan),
            cell(&v.kabupaten),
            fmt(v.risk_score, 2),
            v.rank_p05,
            v.rank_p95,
            fmt(Some(v.p_top_n), 2),
            v.lisa_cluster.as_str()
        );
        for &c in &v.contributions {
            let _ = write!(row, " {} |", fmt(c, 2));
        }
        let _ = writeln!(md, "{row}");
    }
    let _ = writeln!(md, "\n![{}](top_contributions.svg)\n", t(l, "top_villages"));

    // Hot spots.
    let _ = writeln!(
        md,
        "## {}\n",
        t(l, "report_where_highrisk_villages_cluster")
    );
    let mut by_kab: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for v in p.villages {
        let e = by_kab.entry(&v.kabupaten).or_default();
        e.0 += usize::from(v.gi_class.is_hot());
        e.1 += usize::from(v.lisa_cluster == rawan_core::LisaCluster::HH);
    }
    let _ = writeln!(
        md,
        "{}\n",
        if job.spatial.fdr {
            t(l, "report_fdr_used")
        } else {
            t(l, "report_fdr_not_used")
        }
    );
    let _ = writeln!(
        md,
        "| {} | {} | {} |\n|---|---|---|",
        t(l, "report_kabupatenkota"),
        t(l, "report_gi_hotspot_villages"),
        t(l, "report_hhcluster_villages")
    );
    for (kab, (h, c)) in &by_kab {
        let _ = writeln!(md, "| {} | {h} | {c} |", cell(kab));
    }
    let _ = writeln!(md);

    // Coverage gap and recommendations.
    let _ = writeln!(
        md,
        "## {}\n",
        t(l, "report_coverage_gap_and_recommendations")
    );
    let _ = writeln!(
        md,
        "![{}](risk_vs_coverage.svg)\n",
        t(l, "risk_vs_coverage")
    );
    let _ = writeln!(
        md,
        "{} {}{}\n",
        t(l, "report_villages_are_chosen_greedily_by"),
        job.targeting.budget,
        t(l, "report_villages_and_each_offices_capacity")
    );
    let mut recs_idx: Vec<usize> = (0..p.villages.len())
        .filter(|&i| p.villages[i].recommended_rank.is_some())
        .collect();
    recs_idx.sort_by_key(|&i| p.villages[i].recommended_rank);
    let _ = writeln!(
        md,
        "| # | {} | {} | {} | {} | {} | {} |\n|---|---|---|---|---|---|---|",
        t(l, "report_village"),
        t(l, "report_kabupatenkota"),
        t(l, "report_office"),
        t(l, "report_distance_km"),
        t(l, "risk_score"),
        t(l, "report_reason")
    );
    for &i in &recs_idx {
        let v = &p.villages[i];
        let _ = writeln!(
            md,
            "| {} | {} ({}) | {} | {} | {} | {} | {} |",
            v.recommended_rank.unwrap(),
            cell(&v.desa),
            v.kode_desa,
            cell(&v.kabupaten),
            cell(v.office.as_deref().unwrap_or("–")),
            fmt(v.distance_km, 1),
            fmt(v.risk_score, 2),
            cell(v.reason.as_deref().unwrap_or(""))
        );
    }
    let _ = writeln!(md);
    if p.facts.unassignable_total > 0 {
        let names: Vec<String> = p
            .facts
            .unassignable
            .iter()
            .map(|(k, d, r)| format!("{} ({k}, {r:.2})", cell(d)))
            .collect();
        let _ = writeln!(
            md,
            "**{}** {} {}: {}.\n",
            p.facts.unassignable_total,
            t(l, "report_villages_with_a_larger_gap"),
            t(l, "report_code_risk_score"),
            names.join(", ")
        );
    }

    // Trends.
    let _ = writeln!(md, "## {}\n", t(l, "report_trends"));
    let _ = writeln!(
        md,
        "![{}](departures_trend.svg)\n\n![{}](victims_by_kabupaten.svg)\n",
        t(l, "trend_title"),
        t(l, "victims_title")
    );
    let _ = writeln!(
        md,
        "| {} | {} | {} |\n|---|---|---|",
        t(l, "report_kabupatenkota"),
        t(l, "report_cases"),
        t(l, "report_victims")
    );
    for (kab, v) in &sup.victims.kabupaten {
        let _ = writeln!(
            md,
            "| {} | {} | {} |",
            cell(kab),
            sup.cases.kabupaten[kab].text(),
            v.text()
        );
    }
    let _ = writeln!(
        md,
        "| **{}** | **{}** | **{}** |\n",
        t(l, "report_total"),
        sup.cases.total.text(),
        sup.victims.total.text()
    );
    if p.history.dates.len() > 1 {
        let dates: Vec<String> = p.history.dates.iter().map(|d| d.to_string()).collect();
        let _ = writeln!(
            md,
            "{}\n\n![{}](risk_history.svg)\n",
            fill(t(l, "report_history"), &[&dates.join(", ")]),
            t(l, "history_title")
        );
    }

    let modus = crate::modus::table(p, sup);
    let intro = fill(
        t(
            l,
            if p.restricted {
                "report_modus_restricted"
            } else {
                "report_modus"
            },
        ),
        &[&modus_flags(l, &modus)],
    );
    if crate::modus::nothing_counted(&modus) {
        // The chart would be an empty frame: say why in words instead.
        let _ = writeln!(md, "{intro} {}.\n", t(l, "modus_nothing"));
    } else {
        let _ = writeln!(
            md,
            "{intro}\n\n![{}](modus_trend.svg)\n",
            t(l, "modus_title")
        );
    }

    // Uncertainty.
    let _ = writeln!(md, "## {}\n", t(l, "report_how_sure_is_this_ranking"));
    let _ = writeln!(md, "![{}](rank_intervals.svg)\n", t(l, "rank_intervals"));

    // The index audit.
    let _ = writeln!(md, "## {}\n", t(l, "report_audit"));
    let _ = writeln!(md, "{}\n", t(l, "report_audit_intro"));
    let _ = writeln!(
        md,
        "| {} | {} | {} | {} |\n|---|---|---|---|",
        t(l, "report_dimension"),
        t(l, "report_indicators"),
        t(l, "report_alpha"),
        t(l, "report_r_index")
    );
    for d in &p.audit.dimensions {
        let members = p
            .indicators
            .defs
            .iter()
            .filter(|i| i.dimension == d.dimension)
            .count();
        let alpha = crate::tables::alpha_text(d, l);
        let _ = writeln!(
            md,
            "| {} | {members} | {alpha} | {} |",
            d.dimension.label(l),
            fmt(d.r_index, 2)
        );
    }
    let flags = crate::tables::audit_flags(p);
    let _ = writeln!(
        md,
        "\n**{}:** {}\n",
        t(l, "audit_flags"),
        if flags.is_empty() {
            t(l, "audit_none").to_string()
        } else {
            flags.join("; ")
        }
    );
    let _ = writeln!(md, "![{}](index_audit.svg)\n", t(l, "audit_title"));

    programme_section(&mut md, p);

    // Data and caveats.
    let _ = writeln!(md, "## {}\n", t(l, "report_data_read"));
    let _ = writeln!(
        md,
        "| {} | {} | {} | {} | {} |\n|---|---|---|---|---|",
        t(l, "report_table"),
        t(l, "report_file"),
        t(l, "report_read"),
        t(l, "report_used"),
        t(l, "report_rejected")
    );
    let shown = |v: &Option<u64>| {
        v.map(|v| v.to_string())
            .unwrap_or_else(|| t(l, "report_not_published").to_string())
    };
    for (table, file, read, used, rejected) in &p.facts.tallies {
        let _ = writeln!(
            md,
            "| {table} | {} | {} | {} | {} |",
            cell(file),
            shown(read),
            shown(used),
            shown(rejected)
        );
    }
    let _ = writeln!(
        md,
        "\n{} `rejects.csv`. {} {}  `matches.csv`.\n",
        t(l, "report_every_rejected_row_is_listed"),
        p.facts.name_matches,
        t(l, "report_rows_were_matched_other_than")
    );
    let _ = writeln!(md, "## {}\n", t(l, "report_caveats"));
    let _ = writeln!(
        md,
        "- {} {}\n- {} ({:.1} {}; {} {}).\n- {}\n- {}\n",
        t(l, "report_village_case_and_victim_counts"),
        if p.restricted {
            t(l, "report_restricted_counts").to_string()
        } else {
            let k = job.privacy.min_count;
            fill(
                t(l, "report_small_cells"),
                &[&k.saturating_sub(1), &k.div_ceil(2)],
            )
        },
        t(l, "report_neighbours_come_from_the_polygon"),
        p.facts.mean_neighbours,
        t(l, "report_neighbours_on_average"),
        p.facts.islands_linked,
        t(l, "report_island_villages_linked_to_their"),
        t(l, "report_risk_scores_are_relative_to"),
        t(l, "report_case_data_hold_reported_cases")
    );
    if job.synthetic {
        let _ = writeln!(md, "---\n\n*{}*", t(l, "report_synthetic"));
    }
    md
}

pub fn write(
    p: &Publication,
    sup: &Suppressed,
    dir: &Path,
    _files: &[String],
) -> Result<Vec<String>, PublishError> {
    let md = markdown(p, sup);
    let html = html_page(p.lang, &format!("rawan {}", p.job.as_of), &md);
    Ok(vec![
        write_file(dir, "report.md", md.as_bytes())?,
        write_file(dir, "report.html", html.as_bytes())?,
    ])
}

/// A report's Markdown as a standalone HTML page (tables enabled, the report's style). A table
/// wider than the page scrolls in its own box (the top villages carry a column per indicator),
/// so the page itself never scrolls sideways; printed, it is a plain table in smaller type.
pub(crate) fn html_page(lang: Lang, title: &str, md: &str) -> String {
    let mut html_body = String::new();
    pulldown_cmark::html::push_html(
        &mut html_body,
        pulldown_cmark::Parser::new_ext(md, pulldown_cmark::Options::ENABLE_TABLES),
    );
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{title}</title><style>body{{font-family:'DejaVu Sans',Arial,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}}img{{max-width:100%}}table{{border-collapse:collapse;font-size:0.9em;display:block;width:max-content;max-width:100%;overflow-x:auto}}td,th{{border:1px solid #ccc;padding:3px 6px}}blockquote{{border-left:4px solid #b00;margin:0;padding:0.5em 1em;background:#fee}}@media print{{table{{display:table;width:auto;font-size:0.7em}}}}</style></head><body>\n{html_body}</body></html>\n",
        lang.code(),
    )
}

/// Is the programme working: the average effect of designation with its interval, the event
/// study, and what the estimate can and cannot say.
fn programme_section(md: &mut String, p: &Publication) {
    let l = p.lang;
    let _ = writeln!(md, "## {}\n", t(l, "report_programme"));
    for o in &p.programme.outcomes {
        let label = match o.outcome {
            "nonprocedural_per_1000" => t(l, "report_programme_nonprocedural"),
            _ => t(l, "report_programme_victims"),
        };
        match &o.result {
            Ok(e) => {
                let _ = writeln!(
                    md,
                    "- {}",
                    fill(
                        t(l, "report_programme_estimate"),
                        &[
                            &label,
                            &format!("{:+.3}", e.estimate),
                            &format!("{:.3}", e.ci_low),
                            &format!("{:.3}", e.ci_high),
                            &e.treated_villages,
                            &e.control_villages,
                        ]
                    )
                );
            }
            Err(why) => {
                let _ = writeln!(
                    md,
                    "- {label}: {} ({why}).",
                    t(l, "programme_not_estimable")
                );
            }
        }
    }
    if p.programme.designated_before_window > 0 {
        let _ = writeln!(
            md,
            "- {}",
            fill(
                t(l, "report_programme_before_window"),
                &[&p.programme.designated_before_window]
            )
        );
    }
    let _ = writeln!(
        md,
        "\n![{}](programme_effect.svg)\n",
        t(l, "programme_title")
    );
    let _ = writeln!(md, "{}\n", t(l, "report_programme_caveats"));
}

/// The modus flagged `new` or `rising` in the latest period, as "Kabupaten X: modus (new)".
fn modus_flags(lang: Lang, table: &Table) -> String {
    let flagged: Vec<String> = crate::modus::flagged(table)
        .into_iter()
        .map(|(kab, modus, flag)| {
            let word = t(
                lang,
                if flag == "new" {
                    "modus_new"
                } else {
                    "modus_rising"
                },
            );
            format!("{kab}: {modus} ({word})")
        })
        .collect();
    if flagged.is_empty() {
        t(lang, "modus_none_flagged").to_string()
    } else {
        flagged.join("; ")
    }
}
