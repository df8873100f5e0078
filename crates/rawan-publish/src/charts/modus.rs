//! `modus_trend`: the region's cases by modus per 12-month period, from the published cells
//! of `modus_trend.csv` (so the chart shows nothing the table does not; where a cell is
//! suppressed, the line is a lower bound), one line per modus, the largest first.

use super::{IND_COLOURS, Res, SANS, e, footer, legend, line_with_dots, title};
use crate::Publication;
use crate::i18n::t;
use crate::privacy::Suppressed;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Modus lines drawn (the largest by published cases).
pub const SHOWN: usize = 8;

pub fn modus_trend<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: f64,
    p: &Publication,
    sup: &Suppressed,
) -> Res {
    let body = title(root, t(p.lang, "modus_title"), s)?;
    footer(root, p, s)?;
    let periods = &p.modus.periods;
    let table = crate::modus::table(p, sup);
    let mut series = crate::modus::region_series(&table, periods);
    series.sort_by(|a, b| {
        b.1.iter()
            .sum::<u64>()
            .cmp(&a.1.iter().sum::<u64>())
            .then(a.0.cmp(&b.0))
    });
    series.truncate(SHOWN);
    if crate::modus::nothing_counted(&table) {
        let (w, h) = body.dim_in_pixel();
        body.draw(&Text::new(
            t(p.lang, "modus_nothing"),
            ((w as f64 * 0.05) as i32, (h / 2) as i32),
            (SANS, 18.0 * s).into_font().color(&RGBColor(90, 90, 90)),
        ))
        .map_err(e)?;
        return Ok(());
    }
    let n = periods.len();
    // Headroom above the lines for the legend.
    let top = series
        .iter()
        .flat_map(|(_, v)| v.iter().copied())
        .max()
        .unwrap_or(0)
        .max(5) as f64;
    let last = (n.max(2) - 1) as f64;
    let mut chart = ChartBuilder::on(&body)
        .margin((12.0 * s) as i32)
        .margin_bottom((40.0 * s) as i32)
        .x_label_area_size((45.0 * s) as u32)
        .y_label_area_size((60.0 * s) as u32)
        .build_cartesian_2d(-0.2..last + 0.2, 0.0..top * 1.4)
        .map_err(e)?;
    chart
        .configure_mesh()
        .x_labels(n.max(2))
        .x_label_formatter(&|x| {
            let k = x.round();
            if (x - k).abs() < 1e-6 && k >= 0.0 && (k as usize) < n {
                periods[k as usize].1.to_string()
            } else {
                String::new()
            }
        })
        .x_desc(t(p.lang, "modus_x"))
        .y_desc(t(
            p.lang,
            if p.restricted {
                "modus_y_all"
            } else {
                "modus_y"
            },
        ))
        .y_label_formatter(&|y| format!("{y:.0}"))
        .label_style((SANS, 13.0 * s))
        .axis_desc_style((SANS, 14.0 * s))
        .light_line_style(RGBColor(240, 240, 240))
        .draw()
        .map_err(e)?;
    for (k, (name, values)) in series.iter().enumerate() {
        let colour = IND_COLOURS[k % IND_COLOURS.len()];
        let points: Vec<(f64, f64)> = values
            .iter()
            .enumerate()
            .map(|(d, &y)| (d as f64, y as f64))
            .collect();
        line_with_dots(&mut chart, points, colour, name.clone(), s)?;
    }
    legend(&mut chart, s, SeriesLabelPosition::UpperLeft, 0.9, 12.0)
}
