//! The report: `report.md` and `report.html` that embed the charts and say in plain words
//! which villages rank highest and why, where they cluster, which villages to foster next,
//! and what to keep in mind. Counts in it pass through the same suppression as the layers.

use crate::i18n::{INDICATOR_KEYS, indicator, t};
use crate::privacy::Suppressed;
use crate::tables::fmt;
use crate::{Publication, PublishError, write_file};
use rawan_core::settings::Lang;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

fn tr(lang: Lang, id: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Id => id,
        Lang::En => en,
    }
}

fn cell(s: &str) -> String {
    s.replace('|', "/")
}

/// The report's Markdown text.
pub fn markdown(p: &Publication, sup: &Suppressed) -> String {
    let l = p.lang;
    let job = p.job;
    let mut md = String::new();
    let _ = writeln!(
        md,
        "# {}\n",
        tr(
            l,
            "Pemetaan daerah rawan TPPO/TPPM dan sasaran Desa Binaan Imigrasi",
            "TPPO/TPPM vulnerable-area mapping and Desa Binaan Imigrasi targeting"
        )
    );
    let _ = writeln!(
        md,
        "{} **{}** · {} {} {} ({} – {}) · {} {} · rawan {}\n",
        tr(l, "Data per", "Data as of"),
        job.as_of,
        tr(l, "jendela", "window"),
        job.window_months,
        tr(l, "bulan", "months"),
        job.window_start(),
        job.as_of,
        p.villages.len(),
        tr(l, "desa/kelurahan", "villages"),
        p.facts.tool_version
    );
    if p.restricted {
        let _ = writeln!(
            md,
            "> **{}**\n",
            tr(
                l,
                "TERBATAS: laporan ini memuat jumlah kasus dan korban yang tidak disembunyikan. Hanya untuk penggunaan internal; jangan dibagikan.",
                "RESTRICTED: this report contains unsuppressed case and victim counts. Internal use only; do not share."
            )
        );
    }
    for notice in &p.facts.notices {
        let _ = writeln!(
            md,
            "> **{}** {}\n",
            tr(l, "Perhatian:", "Attention:"),
            notice
        );
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
    let _ = writeln!(md, "## {}\n", tr(l, "Ringkasan", "Summary"));
    let _ = writeln!(
        md,
        "- {high} {}\n- {hot} {}; {hh} {}\n- {binaan} {}\n- {recs} {} ({}: {:.1} {} {:.1}, {:.0}%)\n",
        tr(
            l,
            "desa dengan skor risiko 6 atau lebih (tinggi / sangat tinggi).",
            "villages score 6 or more (high / very high risk)."
        ),
        tr(
            l,
            "desa termasuk titik panas Gi* (90% ke atas)",
            "villages are Gi* hot spots (90% or more)"
        ),
        tr(
            l,
            "desa dalam klaster LISA Tinggi–Tinggi.",
            "villages are in LISA High–High clusters."
        ),
        tr(l, "desa binaan sudah ada.", "desa binaan already exist."),
        tr(
            l,
            "desa direkomendasikan menjadi desa binaan baru",
            "villages are recommended as new desa binaan"
        ),
        tr(l, "kesenjangan yang tertutup", "gap covered"),
        p.facts.covered_gap,
        tr(l, "dari", "of"),
        p.facts.total_gap,
        if p.facts.total_gap > 0.0 {
            100.0 * p.facts.covered_gap / p.facts.total_gap
        } else {
            0.0
        }
    );
    let _ = writeln!(md, "![{}](map_risk.svg)\n", t(l, "risk_map"));

    // Top villages.
    let _ = writeln!(
        md,
        "## {}\n",
        tr(
            l,
            "Desa dengan risiko tertinggi, dan mengapa",
            "Highest-risk villages, and why"
        )
    );
    let _ = writeln!(
        md,
        "{}\n",
        tr(
            l,
            "Skor risiko 0–10 menggabungkan dimensi paparan (keberangkatan PMI, porsi nonprosedural, tren) dan bahaya (tingkat korban yang dihaluskan Empirical Bayes, limpahan dari desa tetangga); lihat docs/methodology.md. Kolom sumbangan menunjukkan berapa poin skor berasal dari tiap indikator. Rentang peringkat adalah persentil 5–95 dari simulasi Monte Carlo atas bobot dan pilihan metode.",
            "The 0–10 risk score combines exposure (migrant-worker departures, non-procedural share, trend) and hazard (Empirical-Bayes-smoothed victim rate, spillover from neighbours); see docs/methodology.md. The contribution columns show how many points of the score come from each indicator. The rank range is the 5th–95th percentile over a Monte Carlo of weights and method choices."
        )
    );
    let mut head = format!(
        "| # | {} | {} | {} | {} | {} | P(top {}) | {} |",
        tr(l, "Desa", "Village"),
        tr(l, "Kecamatan", "Kecamatan"),
        tr(l, "Kabupaten/Kota", "Kabupaten/Kota"),
        t(l, "risk_score"),
        tr(l, "Rentang peringkat", "Rank range"),
        job.uncertainty.top_n,
        "LISA"
    );
    for k in INDICATOR_KEYS {
        let _ = write!(head, " {} |", indicator(l, k));
    }
    let _ = writeln!(md, "{head}");
    let _ = writeln!(md, "|{}", "---|".repeat(8 + INDICATOR_KEYS.len()));
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
        for c in v.contributions {
            let _ = write!(row, " {} |", fmt(c, 2));
        }
        let _ = writeln!(md, "{row}");
    }
    let _ = writeln!(md, "\n![{}](top_contributions.svg)\n", t(l, "top_villages"));

    // Hot spots.
    let _ = writeln!(
        md,
        "## {}\n",
        tr(
            l,
            "Di mana desa berisiko tinggi mengelompok",
            "Where high-risk villages cluster"
        )
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
            tr(
                l,
                "Signifikansi memakai koreksi false discovery rate (Benjamini–Hochberg).",
                "Significance uses the Benjamini–Hochberg false-discovery-rate correction.",
            )
        } else {
            tr(
                l,
                "Nilai p dari permutasi bersyarat tanpa koreksi uji berganda; sebagian kecil desa akan tampak signifikan secara kebetulan.",
                "p-values from conditional permutations, without a multiple-testing correction: a few villages will look significant by chance.",
            )
        }
    );
    let _ = writeln!(
        md,
        "| {} | {} | {} |\n|---|---|---|",
        tr(l, "Kabupaten/Kota", "Kabupaten/Kota"),
        tr(l, "Desa titik panas Gi*", "Gi* hot-spot villages"),
        tr(l, "Desa klaster HH", "HH-cluster villages")
    );
    for (kab, (h, c)) in &by_kab {
        let _ = writeln!(md, "| {} | {h} | {c} |", cell(kab));
    }
    let _ = writeln!(md);

    // Coverage gap and recommendations.
    let _ = writeln!(
        md,
        "## {}\n",
        tr(
            l,
            "Kesenjangan cakupan dan rekomendasi",
            "Coverage gap and recommendations"
        )
    );
    let _ = writeln!(
        md,
        "![{}](risk_vs_coverage.svg)\n",
        t(l, "risk_vs_coverage")
    );
    let _ = writeln!(
        md,
        "{} {}{}\n",
        tr(
            l,
            "Desa dipilih secara greedy menurut risiko yang belum tercakup (skor risiko × (1 − cakupan)), dengan anggaran",
            "Villages are chosen greedily by uncovered risk (risk score × (1 − coverage)), with a budget of"
        ),
        job.targeting.budget,
        tr(
            l,
            " desa dan kapasitas tiap kantor imigrasi.",
            " villages and each office's capacity."
        )
    );
    let mut recs_idx: Vec<usize> = (0..p.villages.len())
        .filter(|&i| p.villages[i].recommended_rank.is_some())
        .collect();
    recs_idx.sort_by_key(|&i| p.villages[i].recommended_rank);
    let _ = writeln!(
        md,
        "| # | {} | {} | {} | {} | {} | {} |\n|---|---|---|---|---|---|---|",
        tr(l, "Desa", "Village"),
        tr(l, "Kabupaten/Kota", "Kabupaten/Kota"),
        tr(l, "Kantor", "Office"),
        tr(l, "Jarak (km)", "Distance (km)"),
        t(l, "risk_score"),
        tr(l, "Alasan", "Reason")
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
            tr(
                l,
                "desa dengan kesenjangan lebih besar tidak dapat ditugaskan karena tidak ada kantor dengan kapasitas tersisa dalam radiusnya; kapasitas, bukan risiko, yang membatasi pilihan di sana. Yang pertama",
                "villages with a larger gap could not be assigned because no office with capacity left reaches them; there, capacity rather than risk decided. The first"
            ),
            tr(l, "(kode, skor risiko)", "(code, risk score)"),
            names.join(", ")
        );
    }

    // Trends.
    let _ = writeln!(md, "## {}\n", tr(l, "Tren", "Trends"));
    let _ = writeln!(
        md,
        "![{}](departures_trend.svg)\n\n![{}](victims_by_kabupaten.svg)\n",
        t(l, "trend_title"),
        t(l, "victims_title")
    );
    let _ = writeln!(
        md,
        "| {} | {} | {} |\n|---|---|---|",
        tr(l, "Kabupaten/Kota", "Kabupaten/Kota"),
        tr(l, "Kasus", "Cases"),
        tr(l, "Korban", "Victims")
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
        tr(l, "Jumlah", "Total"),
        sup.cases.total.text(),
        sup.victims.total.text()
    );

    // Uncertainty.
    let _ = writeln!(
        md,
        "## {}\n",
        tr(
            l,
            "Seberapa yakin peringkat ini?",
            "How sure is this ranking?"
        )
    );
    let _ = writeln!(md, "![{}](rank_intervals.svg)\n", t(l, "rank_intervals"));

    // Data and caveats.
    let _ = writeln!(md, "## {}\n", tr(l, "Data yang dibaca", "Data read"));
    let _ = writeln!(
        md,
        "| {} | {} | {} | {} | {} |\n|---|---|---|---|---|",
        tr(l, "Tabel", "Table"),
        tr(l, "Berkas", "File"),
        tr(l, "Dibaca", "Read"),
        tr(l, "Dipakai", "Used"),
        tr(l, "Ditolak", "Rejected")
    );
    let shown = |v: &Option<u64>| {
        v.map(|v| v.to_string())
            .unwrap_or_else(|| tr(l, "(tidak dipublikasikan)", "(not published)").to_string())
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
        tr(
            l,
            "Setiap baris yang ditolak tercatat beserta alasannya di",
            "Every rejected row is listed with its reason in"
        ),
        p.facts.name_matches,
        tr(
            l,
            "baris dicocokkan bukan dengan kode persis (nama atau kode tanpa nol); semuanya tercantum di",
            "rows were matched other than by an exact code (names or a code that lost a zero); all are listed in"
        )
    );
    let _ = writeln!(md, "## {}\n", tr(l, "Catatan dan keterbatasan", "Caveats"));
    let _ = writeln!(
        md,
        "- {} {}\n- {} ({:.1} {}; {} {}).\n- {}\n- {}\n",
        tr(
            l,
            "Jumlah kasus dan korban per desa antara 1 dan",
            "Village case and victim counts from 1 to"
        ),
        match (l, p.restricted) {
            (_, true) => tr(
                l,
                "— TERBATAS: semua jumlah dalam laporan ini persis dan tidak disamarkan.",
                "— RESTRICTED: every count in this report is exact and unprotected.",
            )
            .to_string(),
            (Lang::Id, false) => format!(
                "{} ditampilkan sebagai (s) dan dimodelkan sebagai {} korban, apa pun nilai sebenarnya; total wilayah ditampilkan sebagai rentang (misalnya 51–59), sehingga tidak ada nilai desa yang dapat dihitung balik (docs/privacy.md).",
                job.privacy.min_count.saturating_sub(1),
                job.privacy.min_count.div_ceil(2)
            ),
            (Lang::En, false) => format!(
                "{} are shown as (s) and modelled as {} victims whatever their true value; area totals are shown as ranges (e.g. 51–59), so no village value can be worked out from them (docs/privacy.md).",
                job.privacy.min_count.saturating_sub(1),
                job.privacy.min_count.div_ceil(2)
            ),
        },
        tr(
            l,
            "Tetangga dihitung dari batas poligon dengan toleransi celah",
            "Neighbours come from the polygon boundaries with a gap tolerance"
        ),
        p.facts.mean_neighbours,
        tr(l, "tetangga rata-rata", "neighbours on average"),
        p.facts.islands_linked,
        tr(
            l,
            "desa pulau dihubungkan ke desa terdekat",
            "island villages linked to their nearest villages"
        ),
        tr(
            l,
            "Skor risiko bersifat relatif terhadap desa-desa dalam analisis ini, bukan ukuran mutlak.",
            "Risk scores are relative to the villages in this run, not absolute measures."
        ),
        tr(
            l,
            "Data kasus hanya mencakup kasus yang dilaporkan; desa tanpa laporan belum tentu aman.",
            "Case data hold reported cases only: a village without reports is not necessarily safe."
        )
    );
    md
}

pub fn write(
    p: &Publication,
    sup: &Suppressed,
    dir: &Path,
    _files: &[String],
) -> Result<Vec<String>, PublishError> {
    let md = markdown(p, sup);
    let mut html_body = String::new();
    pulldown_cmark::html::push_html(
        &mut html_body,
        pulldown_cmark::Parser::new_ext(&md, pulldown_cmark::Options::ENABLE_TABLES),
    );
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>rawan {}</title><style>body{{font-family:'DejaVu Sans',Arial,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}}img{{max-width:100%}}table{{border-collapse:collapse;font-size:0.9em}}td,th{{border:1px solid #ccc;padding:3px 6px}}blockquote{{border-left:4px solid #b00;margin:0;padding:0.5em 1em;background:#fee}}</style></head><body>\n{html_body}</body></html>\n",
        match p.lang {
            Lang::Id => "id",
            Lang::En => "en",
        },
        p.job.as_of
    );
    Ok(vec![
        write_file(dir, "report.md", md.as_bytes())?,
        write_file(dir, "report.html", html.as_bytes())?,
    ])
}
