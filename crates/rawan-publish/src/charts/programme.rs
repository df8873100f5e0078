//! `programme_effect`: the event study of the programme's effect on non-procedural
//! departures: per month since designation, the estimate and its 95 % interval; months
//! before designation in grey (they should sit on zero: the check of parallel trends),
//! months after in blue, the average effect after designation as a dashed line. Months
//! observed for fewer than [`MIN_SHOWN`] designated villages are left out of the chart.

use super::{Res, SANS, axis_end_above, e, footer, legend, legend_size, plot_size, title};
use crate::Publication;
use crate::i18n::t;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Months observed for fewer designated villages are in `programme_event_study.csv`, not drawn:
/// an estimate from one or two villages has a standard error that means little.
pub const MIN_SHOWN: usize = 5;

/// The legend's type size, in points.
const LEGEND_PT: f64 = 13.0;

const BEFORE: RGBColor = RGBColor(130, 130, 130);
const AFTER: RGBColor = RGBColor(40, 100, 180);

pub fn programme_effect<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: f64,
    p: &Publication,
) -> Res {
    let body = title(root, t(p.lang, "programme_title"), s)?;
    footer(root, p, s)?;
    let Some(Ok(effect)) = p
        .programme
        .outcomes
        .iter()
        .find(|o| o.outcome == "nonprocedural_per_1000")
        .map(|o| o.result.as_ref())
    else {
        let (w, h) = body.dim_in_pixel();
        body.draw(&Text::new(
            t(p.lang, "programme_not_estimable"),
            ((w as f64 * 0.1) as i32, (h / 2) as i32),
            (SANS, 20.0 * s).into_font().color(&RGBColor(90, 90, 90)),
        ))
        .map_err(e)?;
        return Ok(());
    };
    let points: Vec<&rawan_core::programme::EventTime> = effect
        .event_study
        .iter()
        .filter(|e| e.treated_villages >= MIN_SHOWN)
        .collect();
    let (lo_e, hi_e) = (
        points.first().map_or(-1, |p| p.months) as f64 - 0.5,
        points.last().map_or(1, |p| p.months) as f64 + 0.5,
    );
    let (mut y_min, mut y_max) = (effect.ci_low.min(0.0), effect.ci_high.max(0.0));
    for p in &points {
        let (l, h) = p.interval();
        y_min = y_min.min(l);
        y_max = y_max.max(h);
    }
    let pad = (y_max - y_min).max(1e-6) * 0.08;
    let mut builder = ChartBuilder::on(&body);
    builder
        .margin((12.0 * s) as i32)
        .margin_bottom((40.0 * s) as i32)
        .x_label_area_size((45.0 * s) as u32)
        .y_label_area_size((80.0 * s) as u32);
    // The legend goes in the upper left, above every interval: the axis ends high enough to
    // leave it that room.
    let labels: Vec<String> = ["programme_average", "programme_before", "programme_after"]
        .iter()
        .map(|key| t(p.lang, key).to_string())
        .collect();
    let room = legend_size(&labels, s, LEGEND_PT).1 + 8.0 * s;
    let (bottom, top) = (y_min - pad, y_max + pad);
    let top = axis_end_above(bottom, top, plot_size(&mut builder)?.1, room);
    let mut chart = builder
        .build_cartesian_2d(lo_e..hi_e, bottom..top)
        .map_err(e)?;
    chart
        .configure_mesh()
        .x_desc(t(p.lang, "programme_x"))
        .y_desc(t(p.lang, "programme_y"))
        .x_label_formatter(&|x| format!("{}", x.round() as i64))
        .y_label_formatter(&|y| format!("{:.2}", if y.abs() < 5e-3 { 0.0 } else { *y }))
        .label_style((SANS, 13.0 * s))
        .axis_desc_style((SANS, 14.0 * s))
        .light_line_style(RGBColor(240, 240, 240))
        .draw()
        .map_err(e)?;
    let thin = (1.0 * s) as u32;
    chart
        .draw_series(std::iter::once(PathElement::new(
            vec![(lo_e, 0.0), (hi_e, 0.0)],
            BLACK.stroke_width(thin),
        )))
        .map_err(e)?;
    chart
        .draw_series(std::iter::once(PathElement::new(
            vec![(-0.5, bottom), (-0.5, top)],
            RGBColor(180, 180, 180).stroke_width(thin),
        )))
        .map_err(e)?;
    let width = (2.0 * s) as u32;
    let dash = (8.0 * s) as u32;
    chart
        .draw_series(DashedLineSeries::new(
            vec![(-0.5, effect.estimate), (hi_e, effect.estimate)],
            dash,
            dash / 2,
            AFTER.mix(0.8).stroke_width(width),
        ))
        .map_err(e)?
        .label(t(p.lang, "programme_average"))
        .legend(move |(x, y)| {
            PathElement::new(
                vec![(x, y), (x + (14.0 * s) as i32, y)],
                AFTER.stroke_width(width),
            )
        });
    for (colour, key, after) in [
        (BEFORE, "programme_before", false),
        (AFTER, "programme_after", true),
    ] {
        let shown: Vec<_> = points.iter().filter(|p| (p.months >= 0) == after).collect();
        if shown.is_empty() {
            continue;
        }
        chart
            .draw_series(shown.iter().map(|p| {
                let (l, h) = p.interval();
                let x = p.months as f64;
                PathElement::new(vec![(x, l), (x, h)], colour.stroke_width(width))
            }))
            .map_err(e)?;
        chart
            .draw_series(shown.iter().map(|p| {
                Circle::new(
                    (p.months as f64, p.estimate),
                    (4.0 * s) as i32,
                    colour.filled(),
                )
            }))
            .map_err(e)?
            .label(t(p.lang, key))
            .legend(move |(x, y)| {
                Circle::new((x + (6.0 * s) as i32, y), (4.0 * s) as i32, colour.filled())
            });
    }
    legend(
        &mut chart,
        s,
        SeriesLabelPosition::UpperLeft,
        0.9,
        LEGEND_PT,
    )
}
