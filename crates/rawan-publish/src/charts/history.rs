//! `risk_history`: the risk score of the run's top villages at each of its dates (the earlier
//! dates of `[history]`, then `as_of`), one line per village, so a report can show whose
//! risk is rising. Each date's scores are relative to all villages at that date.

use super::{
    IND_COLOURS, Res, SANS, axis_start_below, e, footer, legend, legend_size, line_with_dots,
    plot_size, title, top, village_label,
};
use crate::Publication;
use crate::i18n::t;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Villages drawn (the top of the current ranking).
pub const SHOWN: usize = 10;

/// The legend's type size, in points.
const LEGEND_PT: f64 = 12.0;

pub fn risk_history<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: f64,
    p: &Publication,
) -> Res {
    let body = title(root, t(p.lang, "history_title"), s)?;
    footer(root, p, s)?;
    let h = p.history;
    let dates = h.dates.len();
    let mut order = top(p);
    order.truncate(SHOWN);
    let last = (dates.max(2) - 1) as f64;
    // The score axis spans the drawn villages' scores (with a margin), within 0–10.
    let shown = order.iter().flat_map(|&i| {
        h.scores
            .iter()
            .filter_map(move |sc| sc.get(i).copied().flatten())
    });
    let (lo, hi) = shown.fold((10.0f64, 0.0f64), |(lo, hi), y| (lo.min(y), hi.max(y)));
    let (lo, hi) = if lo > hi {
        (0.0, 10.0)
    } else {
        ((lo - 0.5).max(0.0), (hi + 0.5).min(10.0))
    };
    let mut builder = ChartBuilder::on(&body);
    builder
        .margin((12.0 * s) as i32)
        .margin_bottom((40.0 * s) as i32)
        .x_label_area_size((45.0 * s) as u32)
        .y_label_area_size((60.0 * s) as u32);
    // The legend (one line per village) goes in the lower left, below every line: the score
    // axis starts low enough to leave it that room.
    let labels: Vec<String> = order.iter().map(|&i| village_label(p, i)).collect();
    let room = legend_size(&labels, s, LEGEND_PT).1 + 8.0 * s;
    let lo = axis_start_below(lo, hi, plot_size(&mut builder)?.1, room).max(0.0);
    let mut chart = builder
        .build_cartesian_2d(-0.2..last + 0.2, lo..hi)
        .map_err(e)?;
    chart
        .configure_mesh()
        .x_labels(dates.max(2))
        .x_label_formatter(&|x| {
            let k = x.round();
            if (x - k).abs() < 1e-6 && k >= 0.0 && (k as usize) < dates {
                h.dates[k as usize].to_string()
            } else {
                String::new()
            }
        })
        .x_desc(t(p.lang, "history_x"))
        .y_desc(t(p.lang, "risk_score"))
        .y_label_formatter(&|y| format!("{y:.1}"))
        .label_style((SANS, 13.0 * s))
        .axis_desc_style((SANS, 14.0 * s))
        .light_line_style(RGBColor(240, 240, 240))
        .draw()
        .map_err(e)?;
    for (k, (&i, label)) in order.iter().zip(labels).enumerate() {
        let colour = IND_COLOURS[k % IND_COLOURS.len()];
        let points: Vec<(f64, f64)> = h
            .scores
            .iter()
            .enumerate()
            .filter_map(|(d, scores)| scores.get(i).copied().flatten().map(|y| (d as f64, y)))
            .collect();
        line_with_dots(&mut chart, points, colour, label, s)?;
    }
    legend(
        &mut chart,
        s,
        SeriesLabelPosition::LowerLeft,
        0.9,
        LEGEND_PT,
    )
}
