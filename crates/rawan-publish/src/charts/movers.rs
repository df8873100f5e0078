//! `changes_movers`: the villages whose risk rank moved most between two runs (by more than
//! both rank intervals), each as a line from its previous rank to a dot at its current one
//! (rank 1 at the left), riskier moves first.

use super::admin::short_name;
use super::{ChartError, H, Res, SANS, W, e, footer_line, legend, register_font, title};
use crate::PublishError;
use crate::i18n::t;
use plotters::coord::Shift;
use plotters::prelude::*;
use rawan_compare::{Comparison, VillageChange};
use rawan_core::settings::Lang;
use std::path::Path;

/// Villages shown each way.
pub const SHOWN: usize = 12;

const RISKIER: RGBColor = RGBColor(200, 30, 30);
const LESS_RISKY: RGBColor = RGBColor(40, 100, 180);

/// Writes `changes_movers.svg` and `.png` into `dir`.
pub fn write(c: &Comparison, lang: Lang, dir: &Path) -> Result<Vec<String>, PublishError> {
    register_font();
    let name = "changes_movers";
    let svg = dir.join(format!("{name}.svg"));
    let chart_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source: ChartError| PublishError::Chart { path, source }
    };
    {
        let root = SVGBackend::new(&svg, (W, H)).into_drawing_area();
        draw(&root, 1.0, c, lang).map_err(chart_err(&svg))?;
        root.present().map_err(e).map_err(chart_err(&svg))?;
    }
    let png = dir.join(format!("{name}.png"));
    {
        let root = BitMapBackend::new(&png, (W * 2, H * 2)).into_drawing_area();
        draw(&root, 2.0, c, lang).map_err(chart_err(&png))?;
        root.present().map_err(e).map_err(chart_err(&png))?;
    }
    Ok(vec![format!("{name}.png"), format!("{name}.svg")])
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: f64,
    c: &Comparison,
    lang: Lang,
) -> Res {
    root.fill(&WHITE).map_err(e)?;
    let body = title(root, t(lang, "movers_title"), s)?;
    let (up, down) = c.largest_movers(SHOWN);
    let rows: Vec<&VillageChange> = up.iter().chain(down.iter()).copied().collect();
    footer(root, s, c, lang)?;
    if rows.is_empty() {
        let (w, h) = body.dim_in_pixel();
        body.draw(&Text::new(
            t(lang, "movers_none"),
            ((w as f64 * 0.12) as i32, (h / 2) as i32),
            (SANS, 20.0 * s).into_font().color(&RGBColor(90, 90, 90)),
        ))
        .map_err(e)?;
        return Ok(());
    }
    let ranks = |v: &VillageChange| {
        let b = v.before.as_ref().and_then(|b| b.risk_rank).unwrap_or(1);
        let a = v.after.as_ref().and_then(|a| a.risk_rank).unwrap_or(1);
        (f64::from(b), f64::from(a))
    };
    let max_rank = rows
        .iter()
        .map(|v| {
            let (b, a) = ranks(v);
            b.max(a)
        })
        .fold(10.0, f64::max)
        * 1.05;
    let n = rows.len();
    let label = |v: &VillageChange| {
        let named = v.named();
        format!("{} ({})", named.desa, short_name(&named.kabupaten))
    };
    // A segmented range a..b has a segment for every value from a to b inclusive: n rows are
    // 0..n − 1.
    let last = (n as i32 - 1).max(1);
    let mut chart = ChartBuilder::on(&body)
        .margin((12.0 * s) as i32)
        .margin_bottom((40.0 * s) as i32)
        .x_label_area_size((45.0 * s) as u32)
        .y_label_area_size((330.0 * s) as u32)
        .build_cartesian_2d(0.0..max_rank, (0..last).into_segmented())
        .map_err(e)?;
    let row_of = |row: usize| SegmentValue::CenterOf(n as i32 - 1 - row as i32);
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(n)
        .y_label_formatter(&|y| match y {
            SegmentValue::CenterOf(k) => rows
                .get((n as i32 - 1 - *k) as usize)
                .map(|v| label(v))
                .unwrap_or_default(),
            _ => String::new(),
        })
        .x_desc(t(lang, "movers_axis"))
        .x_label_formatter(&|x| format!("{}", x.round() as u64))
        .label_style((SANS, 13.0 * s))
        .axis_desc_style((SANS, 14.0 * s))
        .light_line_style(RGBColor(235, 235, 235))
        .draw()
        .map_err(e)?;
    let width = (3.0 * s) as u32;
    for (colour, key, part) in [(RISKIER, "riskier", &up), (LESS_RISKY, "less_risky", &down)] {
        let mut arrows = Vec::new();
        for v in part.iter() {
            let row = rows
                .iter()
                .position(|r| std::ptr::eq(*r, *v))
                .expect("shown");
            let y = row_of(row);
            let (b, a) = ranks(v);
            arrows.push(PathElement::new(
                vec![(b, y.clone()), (a, y)],
                colour.stroke_width(width),
            ));
        }
        let heads: Vec<Circle<(f64, SegmentValue<i32>), i32>> = part
            .iter()
            .map(|v| {
                let row = rows
                    .iter()
                    .position(|r| std::ptr::eq(*r, *v))
                    .expect("shown");
                Circle::new((ranks(v).1, row_of(row)), (5.0 * s) as i32, colour.filled())
            })
            .collect();
        if part.is_empty() {
            continue;
        }
        chart.draw_series(arrows).map_err(e)?;
        chart
            .draw_series(heads)
            .map_err(e)?
            .label(t(lang, key))
            .legend(move |(x, y)| {
                PathElement::new(
                    vec![(x, y), (x + (14.0 * s) as i32, y)],
                    colour.stroke_width(width),
                )
            });
    }
    legend(&mut chart, s, SeriesLabelPosition::LowerRight, 0.9, 14.0)
}

/// The source line: version, the two analysis dates and how many villages were compared.
fn footer<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: f64,
    c: &Comparison,
    lang: Lang,
) -> Res {
    let synthetic = c.before.synthetic || c.after.synthetic;
    let text = format!(
        "{} {} · {} {} → {} · {} {}{}",
        t(lang, "source"),
        env!("CARGO_PKG_VERSION"),
        t(lang, "as_of"),
        c.before.as_of,
        c.after.as_of,
        c.changes.len(),
        t(lang, "villages_count"),
        if synthetic {
            format!(" · {}", t(lang, "synthetic_short"))
        } else {
            String::new()
        }
    );
    footer_line(root, text, s)
}
