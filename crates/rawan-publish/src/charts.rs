//! Charts for reports, each written as SVG and as PNG at print resolution (2400 px wide,
//! 8 in at 300 dpi), with a title, axis labels with units, a legend where needed and a
//! source / as-of line. Text uses the bundled DejaVu Sans, so charts render the same on a
//! machine with no system fonts.
//!
//! - `map_risk`: choropleth of the risk score with hot spots, desa binaan, recommended
//!   villages and offices overlaid
//! - `top_contributions`: the top villages with their indicator contributions (stacked bars)
//! - `risk_vs_coverage`: the quadrant that shows the coverage gap
//! - `departures_trend`: departures per month per kabupaten/kota
//! - `victims_by_kabupaten`: victims over the window per kabupaten/kota as published (exact
//!   part and the range of its small cells); per 12-month period only in restricted runs
//! - `rank_intervals`: the rank uncertainty of the top villages
//! - `risk_history`: the risk of the top villages at the run's earlier dates and now
//! - `programme_effect`: the event study of desa binaan designation on non-procedural
//!   departures

use crate::i18n::t;
use crate::privacy::Suppressed;
use crate::{Publication, PublishError};
use plotters::coord::{CoordTranslate, Shift};
use plotters::prelude::*;
use plotters::style::FontStyle;
use std::path::Path;
use std::sync::Once;

pub(crate) mod admin;
mod audit;
use audit::index_audit;
mod furniture;
mod history;
mod map;
mod modus;
use modus::modus_trend;
pub mod movers;
mod programme;
use history::risk_history;
use programme::programme_effect;

const FONT: &[u8] = include_bytes!("../assets/DejaVuSans.ttf");
const SANS: &str = "sans-serif";

/// Base size of the SVG (the PNG is twice as large).
const W: u32 = 1200;
const H: u32 = 800;

fn register_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The font is bundled and valid; failure would be a build defect.
        let _ = plotters::style::register_font(SANS, FontStyle::Normal, FONT);
        let _ = plotters::style::register_font(SANS, FontStyle::Bold, FONT);
    });
}

/// Indicator colours: Okabe–Ito (readable for colour-blind readers) for the built-in five
/// and the next two, then Paul Tol's muted scheme; the twelfth and later repeat.
const IND_COLOURS: [RGBColor; 12] = [
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(0, 158, 115),
    RGBColor(213, 94, 0),
    RGBColor(204, 121, 167),
    RGBColor(0, 114, 178),
    RGBColor(240, 228, 66),
    RGBColor(51, 34, 136),
    RGBColor(136, 204, 238),
    RGBColor(17, 119, 51),
    RGBColor(153, 153, 51),
    RGBColor(136, 34, 85),
];

/// A legend's filled square of `colour` (14 × 12 px at scale 1), as every bar chart shows it.
fn swatch(s: f64, colour: RGBColor) -> impl Fn((i32, i32)) -> Rectangle<(i32, i32)> {
    move |(x, y)| {
        Rectangle::new(
            [
                (x, y - (6.0 * s) as i32),
                (x + (14.0 * s) as i32, y + (6.0 * s) as i32),
            ],
            colour.filled(),
        )
    }
}

/// The legend label of a bar's interval part: villages with 1 to k − 1 victims.
fn range_label(p: &Publication, sup: &Suppressed) -> String {
    t(p.lang, "victims_range_part").replace("<k", &format!("{}", sup.min_count.saturating_sub(1)))
}

/// A chart that could not be drawn: what plotters or the image encoder said.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ChartError(pub String);

impl From<String> for ChartError {
    fn from(message: String) -> ChartError {
        ChartError(message)
    }
}

impl From<&str> for ChartError {
    fn from(message: &str) -> ChartError {
        ChartError(message.to_string())
    }
}

type Res = Result<(), ChartError>;

fn e<T: std::fmt::Debug>(x: T) -> ChartError {
    ChartError(format!("{x:?}"))
}

fn footer<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, p: &Publication, s: f64) -> Res {
    let text = format!(
        "{} {} · {} {} · {} {}{}{}",
        t(p.lang, "source"),
        env!("CARGO_PKG_VERSION"),
        t(p.lang, "as_of"),
        p.job.as_of,
        p.villages.len(),
        t(p.lang, "villages_count"),
        if p.restricted {
            " · TERBATAS / RESTRICTED"
        } else {
            ""
        },
        if p.job.synthetic {
            format!(" · {}", t(p.lang, "synthetic_short"))
        } else {
            String::new()
        }
    );
    footer_line(root, text, s)
}

/// The grey source line at the foot of a chart.
fn footer_line<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, text: String, s: f64) -> Res {
    let (_, h) = root.dim_in_pixel();
    root.draw(&Text::new(
        text,
        (10 * s as i32, h as i32 - (22.0 * s) as i32),
        (SANS, 13.0 * s).into_font().color(&RGBColor(90, 90, 90)),
    ))
    .map_err(e)
}

macro_rules! render {
    (svg, $dir:expr, $name:expr, $f:ident, $($arg:expr),*) => {{
        let svg = $dir.join(format!("{}.svg", $name));
        let root = SVGBackend::new(&svg, (W, H)).into_drawing_area();
        root.fill(&WHITE).map_err(|x| PublishError::Chart { path: svg.clone(), source: e(x) })?;
        $f(&root, 1.0, $($arg),*).map_err(|source| PublishError::Chart { path: svg.clone(), source })?;
        root.present().map_err(|x| PublishError::Chart { path: svg.clone(), source: e(x) })?;
        drop(root);
        crate::output_file::written(&svg);
        vec![format!("{}.svg", $name)]
    }};
    (png, $dir:expr, $name:expr, $f:ident, $($arg:expr),*) => {{
        let png = $dir.join(format!("{}.png", $name));
        let root = BitMapBackend::new(&png, (W * 2, H * 2)).into_drawing_area();
        root.fill(&WHITE).map_err(|x| PublishError::Chart { path: png.clone(), source: e(x) })?;
        $f(&root, 2.0, $($arg),*).map_err(|source| PublishError::Chart { path: png.clone(), source })?;
        root.present().map_err(|x| PublishError::Chart { path: png.clone(), source: e(x) })?;
        drop(root);
        crate::output_file::written(&png);
        vec![format!("{}.png", $name)]
    }};
}

pub fn write_all(
    p: &Publication,
    sup: &Suppressed,
    dir: &Path,
) -> Result<Vec<String>, PublishError> {
    register_font();
    // Each chart is independent. The map is by far the slowest: it starts first, on this
    // thread, and the others wait where another thread can take them.
    let jobs: [&(dyn Fn() -> Result<Vec<String>, PublishError> + Sync); 18] = [
        &|| Ok(render!(svg, dir, "modus_trend", modus_trend, p, sup)),
        &|| Ok(render!(png, dir, "modus_trend", modus_trend, p, sup)),
        &|| Ok(render!(svg, dir, "risk_history", risk_history, p)),
        &|| Ok(render!(png, dir, "risk_history", risk_history, p)),
        &|| Ok(render!(svg, dir, "programme_effect", programme_effect, p)),
        &|| Ok(render!(png, dir, "programme_effect", programme_effect, p)),
        &|| Ok(render!(svg, dir, "index_audit", index_audit, p)),
        &|| Ok(render!(png, dir, "index_audit", index_audit, p)),
        &|| Ok(render!(png, dir, "risk_vs_coverage", risk_vs_coverage, p)),
        &|| Ok(render!(svg, dir, "risk_vs_coverage", risk_vs_coverage, p)),
        &|| Ok(render!(png, dir, "departures_trend", departures_trend, p)),
        &|| Ok(render!(svg, dir, "top_contributions", top_contributions, p)),
        &|| Ok(render!(png, dir, "top_contributions", top_contributions, p)),
        &|| Ok(render!(svg, dir, "departures_trend", departures_trend, p)),
        &|| {
            Ok(render!(
                svg,
                dir,
                "victims_by_kabupaten",
                victims_by_kabupaten,
                p,
                sup
            ))
        },
        &|| {
            Ok(render!(
                png,
                dir,
                "victims_by_kabupaten",
                victims_by_kabupaten,
                p,
                sup
            ))
        },
        &|| Ok(render!(svg, dir, "rank_intervals", rank_intervals, p)),
        &|| Ok(render!(png, dir, "rank_intervals", rank_intervals, p)),
    ];
    use rayon::prelude::*;
    let (map, parts): (_, Vec<Result<Vec<String>, PublishError>>) = rayon::join(
        || map::write(p, dir, map::LAYER_IMAGE_ABOVE),
        || jobs.par_iter().map(|job| job()).collect(),
    );
    let parts = std::iter::once(map).chain(parts);
    let mut files = Vec::new();
    for part in parts {
        files.extend(part?);
    }
    Ok(files)
}

/// A series drawn as a line with a dot at each point, with its legend entry (the trend
/// charts: risk over time, modus over time).
fn line_with_dots<'a, DB: DrawingBackend + 'a>(
    chart: &mut ChartContext<
        'a,
        DB,
        plotters::coord::cartesian::Cartesian2d<
            plotters::coord::types::RangedCoordf64,
            plotters::coord::types::RangedCoordf64,
        >,
    >,
    points: Vec<(f64, f64)>,
    colour: RGBColor,
    label: String,
    s: f64,
) -> Res {
    let width = (2.5 * s) as u32;
    chart
        .draw_series(LineSeries::new(points.clone(), colour.stroke_width(width)))
        .map_err(e)?
        .label(label)
        .legend(move |(x, y)| {
            PathElement::new(
                vec![(x, y), (x + (14.0 * s) as i32, y)],
                colour.stroke_width(width),
            )
        });
    chart
        .draw_series(
            points
                .iter()
                .map(|&(x, y)| Circle::new((x, y), (3.5 * s) as i32, colour.filled())),
        )
        .map_err(e)?;
    Ok(())
}

/// The series legend every chart uses: a framed box at `position`, `pt` points (× scale).
fn legend<'a, DB: DrawingBackend + 'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
    s: f64,
    position: SeriesLabelPosition,
    opacity: f64,
    pt: f64,
) -> Res {
    chart
        .configure_series_labels()
        .legend_area_size(legend_symbol_width(s))
        .position(position)
        .background_style(WHITE.mix(opacity))
        .border_style(RGBColor(150, 150, 150))
        .label_font((SANS, pt * s))
        .draw()
        .map_err(e)
}

/// Width and height in pixels of the legend [`legend`] draws for these labels at `pt` points:
/// the text block as plotters lays it out, the symbol column, the legend's margin (10 px on
/// each side) and its 5 px from the plot's edge.
fn legend_size(labels: &[String], s: f64, pt: f64) -> (f64, f64) {
    use plotters::element::MultiLineText;
    let style: TextStyle = (SANS, pt * s).into_font().into();
    let mut text = MultiLineText::<_, &str>::new((0, 0), &style);
    for label in labels {
        text.push_line(label.as_str());
    }
    text.estimate_dimension()
        .map(|(w, h)| {
            (
                f64::from(w) + f64::from(legend_symbol_width(s)) + 25.0,
                f64::from(h) + 25.0,
            )
        })
        .unwrap_or((0.0, 0.0))
}

/// The column for the legend's symbols.
fn legend_symbol_width(s: f64) -> u32 {
    (22.0 * s) as u32
}

/// Where a value axis must start so that the data in `lo..hi` keep clear of the first `room`
/// pixels of a plot `plot_px` long, where a legend goes: the share of the axis before `lo` is
/// the legend's share of the plot (at most half of it).
///
/// `lo = 7, hi = 9` with a quarter of the plot for the legend starts the axis at 6⅓: then
/// (7 − 6⅓) / (9 − 6⅓) = ¼.
fn axis_start_below(lo: f64, hi: f64, plot_px: u32, room: f64) -> f64 {
    let f = (room / f64::from(plot_px.max(1))).clamp(0.0, 0.5);
    (lo - f * hi) / (1.0 - f)
}

/// Where a value axis must end so that the data in `lo..hi` keep clear of the last `room`
/// pixels of the plot: [`axis_start_below`] seen from the other end.
fn axis_end_above(lo: f64, hi: f64, plot_px: u32, room: f64) -> f64 {
    -axis_start_below(-hi, -lo, plot_px, room)
}

/// The plotting area's size in pixels of the charts this builder makes (it does not depend on
/// the axes' ranges), to fit the ranges to what must stay clear.
fn plot_size<DB: DrawingBackend>(
    builder: &mut ChartBuilder<'_, '_, DB>,
) -> Result<(u32, u32), ChartError> {
    Ok(builder
        .build_cartesian_2d(0.0..1.0, 0.0..1.0)
        .map_err(e)?
        .plotting_area()
        .dim_in_pixel())
}

fn title<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    text: &str,
    s: f64,
) -> Result<DrawingArea<DB, Shift>, ChartError> {
    let px = (12.0 * s) as i32;
    root.margin(px, 0, 0, 0)
        .titled(text, (SANS, 26.0 * s).into_font().color(&BLACK))
        .map_err(e)
}

/// Top villages by rank.
fn top(p: &Publication) -> Vec<usize> {
    let mut order: Vec<usize> = (0..p.villages.len())
        .filter(|&i| p.villages[i].risk_score.is_some())
        .collect();
    order.sort_by_key(|&i| p.villages[i].risk_rank);
    order.truncate(p.job.output.top_n);
    order
}

/// The x axis of a top-village chart, and the legend it must leave room for.
struct RowsAxis<'a> {
    /// The largest value drawn.
    max: f64,
    desc: &'a str,
    decimals: usize,
    /// The legend's labels (drawn by [`rows_legend`]).
    legend: &'a [String],
}

/// The frame shared by the top-village charts: one row per village (rank, name, kabupaten),
/// first at the top, and a numeric x axis from 0 past the largest value by the room the
/// legend takes, so no bar runs under it.
fn village_rows<'a, DB: DrawingBackend>(
    body: &'a DrawingArea<DB, Shift>,
    s: f64,
    p: &Publication,
    order: &[usize],
    axis: RowsAxis,
) -> Result<
    ChartContext<
        'a,
        DB,
        Cartesian2d<
            plotters::coord::types::RangedCoordf64,
            plotters::coord::ranged1d::SegmentedCoord<plotters::coord::types::RangedCoordi32>,
        >,
    >,
    ChartError,
> {
    let n = order.len().max(1);
    let mut builder = ChartBuilder::on(body);
    builder
        .margin((12.0 * s) as i32)
        .margin_bottom((40.0 * s) as i32)
        .x_label_area_size((45.0 * s) as i32)
        .y_label_area_size((300.0 * s) as i32);
    let room = legend_size(axis.legend, s, ROWS_LEGEND_PT).0 + 8.0 * s;
    let x_max = axis_end_above(0.0, axis.max, plot_size(&mut builder)?.0, room);
    let mut chart = builder
        // A segmented range a..b has a segment for every value from a to b inclusive: n rows
        // are 0..n − 1 (0..n left an empty row above the first village).
        .build_cartesian_2d(0.0..x_max, (0..(n as i32 - 1).max(1)).into_segmented())
        .map_err(e)?;
    let labels: Vec<String> = order.iter().map(|&i| village_label(p, i)).collect();
    chart
        .configure_mesh()
        .disable_y_mesh()
        .x_desc(axis.desc)
        .x_label_formatter(&|v| format!("{v:.prec$}", prec = axis.decimals))
        .y_labels(n)
        .y_label_formatter(&|y| match y {
            SegmentValue::CenterOf(k) => labels
                .get((n as i32 - 1 - *k) as usize)
                .cloned()
                .unwrap_or_default(),
            _ => String::new(),
        })
        .label_style((SANS, 13.0 * s))
        .axis_desc_style((SANS, 14.0 * s))
        .draw()
        .map_err(e)?;
    Ok(chart)
}

/// The type size of the top-village charts' legends, in points.
const ROWS_LEGEND_PT: f64 = 14.0;

/// A top-village chart's legend, where [`village_rows`] left it room: the lower right, at
/// [`ROWS_LEGEND_PT`].
fn rows_legend<'a, DB: DrawingBackend + 'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
    s: f64,
) -> Res {
    legend(
        chart,
        s,
        SeriesLabelPosition::LowerRight,
        0.9,
        ROWS_LEGEND_PT,
    )
}

fn village_label(p: &Publication, i: usize) -> String {
    let v = &p.villages[i];
    let kab = v.kabupaten.replace("Kabupaten ", "Kab. ");
    format!("{}. {} ({})", v.risk_rank, v.desa, kab)
}

fn top_contributions<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: f64,
    p: &Publication,
) -> Res {
    let body = title(root, t(p.lang, "top_villages"), s)?;
    let order = top(p);
    let n = order.len().max(1);
    let max = order
        .iter()
        .filter_map(|&i| p.villages[i].risk_score)
        .fold(1.0f64, f64::max)
        .ceil();
    let labels: Vec<String> = p
        .indicators
        .defs
        .iter()
        .map(|ind| ind.label(p.lang).to_string())
        .collect();
    let axis = RowsAxis {
        max,
        desc: t(p.lang, "contribution"),
        decimals: 1,
        legend: &labels,
    };
    let mut chart = village_rows(&body, s, p, &order, axis)?;
    for (k, ind) in p.indicators.defs.iter().enumerate() {
        let colour = IND_COLOURS[k % IND_COLOURS.len()];
        let bars: Vec<Rectangle<(f64, SegmentValue<i32>)>> = order
            .iter()
            .enumerate()
            .filter_map(|(row, &i)| {
                let v = &p.villages[i];
                let start: f64 = v.contributions[..k].iter().flatten().sum();
                let c = v.contributions[k]?;
                let y = n as i32 - 1 - row as i32;
                let mut r = Rectangle::new(
                    [
                        (start, SegmentValue::Exact(y)),
                        (start + c, SegmentValue::Exact(y + 1)),
                    ],
                    colour.filled(),
                );
                r.set_margin((3.0 * s) as u32, (3.0 * s) as u32, 0, 0);
                Some(r)
            })
            .collect();
        chart
            .draw_series(bars)
            .map_err(e)?
            .label(ind.label(p.lang))
            .legend(swatch(s, colour));
    }
    rows_legend(&mut chart, s)?;
    footer(root, p, s)
}

fn risk_vs_coverage<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: f64,
    p: &Publication,
) -> Res {
    let body = title(root, t(p.lang, "risk_vs_coverage"), s)?;
    let mut chart = ChartBuilder::on(&body)
        .margin((15.0 * s) as i32)
        .margin_bottom((40.0 * s) as i32)
        .x_label_area_size((45.0 * s) as i32)
        .y_label_area_size((60.0 * s) as i32)
        .build_cartesian_2d(-0.02f64..1.02, -0.2f64..10.2)
        .map_err(e)?;
    chart
        .configure_mesh()
        .x_desc(t(p.lang, "coverage"))
        .y_desc(t(p.lang, "risk_score"))
        .label_style((SANS, 13.0 * s))
        .axis_desc_style((SANS, 14.0 * s))
        .draw()
        .map_err(e)?;
    // The gap quadrant: risk at or above 6 ("high"), coverage below 0.3.
    chart
        .draw_series(std::iter::once(Rectangle::new(
            [(-0.02, 6.0), (0.3, 10.2)],
            RGBColor(189, 0, 38).mix(0.08).filled(),
        )))
        .map_err(e)?;
    chart
        .draw_series(std::iter::once(Text::new(
            t(p.lang, "gap_quadrant"),
            (0.0, 9.9),
            (SANS, 15.0 * s).into_font().color(&RGBColor(150, 0, 30)),
        )))
        .map_err(e)?;
    let groups: [(&str, RGBColor, Pick); 3] = [
        ("other_villages", RGBColor(120, 120, 120), &|i| {
            !p.villages[i].desa_binaan && p.villages[i].recommended_rank.is_none()
        }),
        ("desa_binaan", RGBColor(26, 152, 80), &|i| {
            p.villages[i].desa_binaan
        }),
        ("recommended_short", RGBColor(106, 0, 168), &|i| {
            p.villages[i].recommended_rank.is_some()
        }),
    ];
    // Many villages share a point's pixel (coverage 0 with nearby scores). The same
    // translucent circle drawn again and again over one pixel settles every pixel it covers
    // after a few draws (8 were enough for a byte-identical PNG at national scale), so draws
    // beyond the first `SETTLED` there change nothing and are left out; the SVG shrinks.
    const SETTLED: u32 = 32;
    let coord = chart.as_coord_spec().clone();
    for (key, colour, pick) in groups {
        let mut drawn: rustc_hash::FxHashMap<(i32, i32), u32> = Default::default();
        let pts: Vec<Circle<(f64, f64), i32>> = (0..p.villages.len())
            .filter(|&i| pick(i))
            .filter_map(|i| {
                p.villages[i]
                    .risk_score
                    .map(|r| (p.villages[i].coverage, r))
            })
            .filter(|xy| {
                let times = drawn.entry(coord.translate(xy)).or_default();
                *times += 1;
                *times <= SETTLED
            })
            .map(|xy| Circle::new(xy, (3.0 * s) as i32, colour.mix(0.7).filled()))
            .collect();
        let label = t(p.lang, key);
        chart
            .draw_series(pts)
            .map_err(e)?
            .label(label)
            .legend(move |(x, y)| {
                Circle::new((x + (6.0 * s) as i32, y), (5.0 * s) as i32, colour.filled())
            });
    }
    legend(&mut chart, s, SeriesLabelPosition::UpperRight, 0.9, 14.0)?;
    footer(root, p, s)
}

/// Which villages a scatter group holds.
type Pick<'a> = &'a dyn Fn(usize) -> bool;

fn series_colour(k: usize) -> RGBColor {
    const PALETTE: [RGBColor; 10] = [
        RGBColor(31, 119, 180),
        RGBColor(255, 127, 14),
        RGBColor(44, 160, 44),
        RGBColor(214, 39, 40),
        RGBColor(148, 103, 189),
        RGBColor(140, 86, 75),
        RGBColor(227, 119, 194),
        RGBColor(127, 127, 127),
        RGBColor(188, 189, 34),
        RGBColor(23, 190, 207),
    ];
    PALETTE[k % PALETTE.len()]
}

/// Kabupaten shown in the time charts: the ten with most departures (all of them when fewer).
fn shown_series(p: &Publication) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..p.series.len()).collect();
    idx.sort_by(|&a, &b| {
        p.series[b]
            .departures
            .iter()
            .sum::<f64>()
            .total_cmp(&p.series[a].departures.iter().sum::<f64>())
            .then(a.cmp(&b))
    });
    idx.truncate(10);
    idx
}

fn departures_trend<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: f64,
    p: &Publication,
) -> Res {
    let body = title(root, t(p.lang, "trend_title"), s)?;
    let m = p.months.len().max(2);
    let shown = shown_series(p);
    let max = shown
        .iter()
        .flat_map(|&k| p.series[k].departures.iter())
        .fold(1.0f64, |a, &b| a.max(b))
        * 1.1;
    let mut chart = ChartBuilder::on(&body)
        .margin((15.0 * s) as i32)
        .margin_bottom((40.0 * s) as i32)
        .margin_right((40.0 * s) as i32)
        .x_label_area_size((45.0 * s) as i32)
        .y_label_area_size((70.0 * s) as i32)
        .build_cartesian_2d(0f64..(m - 1) as f64, 0f64..max)
        .map_err(e)?;
    let months = p.months.to_vec();
    chart
        .configure_mesh()
        .x_desc(t(p.lang, "month"))
        .y_desc(t(p.lang, "departures_per_month"))
        .y_label_formatter(&|v| format!("{v:.0}"))
        .x_labels(12)
        .x_label_formatter(&|x| {
            months
                .get(x.round() as usize)
                .map(|d| d.format("%Y-%m").to_string())
                .unwrap_or_default()
        })
        .label_style((SANS, 12.0 * s))
        .axis_desc_style((SANS, 14.0 * s))
        .draw()
        .map_err(e)?;
    for (c, &k) in shown.iter().enumerate() {
        let colour = series_colour(c);
        let pts: Vec<(f64, f64)> = p.series[k]
            .departures
            .iter()
            .enumerate()
            .map(|(i, v)| (i as f64, *v))
            .collect();
        chart
            .draw_series(LineSeries::new(pts, colour.stroke_width((2.0 * s) as u32)))
            .map_err(e)?
            .label(p.series[k].kabupaten.clone())
            .legend(move |(x, y)| {
                PathElement::new(
                    vec![(x, y), (x + (12.0 * s) as i32, y)],
                    colour.stroke_width((3.0 * s) as u32),
                )
            });
    }
    legend(&mut chart, s, SeriesLabelPosition::UpperRight, 0.85, 12.0)?;
    footer(root, p, s)
}

/// Victims per kabupaten per period of 12 months ending at `as_of` (newest last), exact
/// (restricted runs only). A window that is not a multiple of 12 months leaves a shorter
/// first period, returned with its length.
pub fn victims_per_period(p: &Publication, k: usize) -> Vec<(f64, usize)> {
    let v = &p.series[k].victims;
    let mut sums = Vec::new();
    let mut end = v.len();
    while end > 0 {
        let start = end.saturating_sub(12);
        sums.push((v[start..end].iter().sum::<f64>(), end - start));
        end = start;
    }
    sums.reverse();
    sums
}

/// Published runs: each kabupaten's victims over the window as published (privacy.rs): the
/// exact part as a bar, the range its small cells allow (1 … k − 1 each) as a lighter bar on
/// top. Restricted runs: exact victims per 12-month period.
fn victims_by_kabupaten<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: f64,
    p: &Publication,
    sup: &Suppressed,
) -> Res {
    if sup.restricted {
        return victims_by_period(root, s, p, sup);
    }
    // A region of one kabupaten (a Kanim's own area) is told apart by kecamatan.
    if p.series.len() == 1 && sup.victims.kecamatan.len() > 1 {
        return victims_by_kecamatan(root, s, p, sup);
    }
    let body = title(root, t(p.lang, "victims_window_title"), s)?;
    let shown = shown_series(p);
    let counts: Vec<crate::privacy::Count> = shown
        .iter()
        .map(|&k| {
            sup.victims
                .kabupaten
                .get(&p.series[k].kabupaten)
                .copied()
                .unwrap_or_default()
        })
        .collect();
    let max = counts
        .iter()
        .fold(sup.min_count as f64, |a, c| a.max(c.hi as f64))
        * 1.15;
    let y_desc = t(p.lang, "victims_in_window").replace('N', &p.job.window_months.to_string());
    let mut chart = kabupaten_bars(&body, s, p, &shown, max, &y_desc)?;
    let exact = RGBColor(70, 90, 160);
    let range = RGBColor(190, 200, 230);
    let bar = |g: usize, lo: f64, hi: f64, c: RGBColor| {
        Rectangle::new([(g as f64 + 0.2, lo), (g as f64 + 0.8, hi)], c.filled())
    };
    chart
        .draw_series(
            counts
                .iter()
                .enumerate()
                .map(|(g, c)| bar(g, 0.0, c.lo as f64, exact)),
        )
        .map_err(e)?
        .label(t(p.lang, "victims_known_part"))
        .legend(swatch(s, exact));
    chart
        .draw_series(
            counts
                .iter()
                .enumerate()
                .filter(|(_, c)| c.hi > c.lo)
                .map(|(g, c)| bar(g, c.lo as f64, c.hi as f64, range)),
        )
        .map_err(e)?
        .label(range_label(p, sup))
        .legend(swatch(s, range));
    chart
        .draw_series(counts.iter().enumerate().map(|(g, c)| {
            Text::new(
                c.text(),
                (g as f64 + 0.22, c.hi as f64 + max * 0.02),
                (SANS, 12.0 * s).into_font().color(&RGBColor(60, 60, 60)),
            )
        }))
        .map_err(e)?;
    legend(&mut chart, s, SeriesLabelPosition::UpperRight, 0.85, 12.0)?;
    footer(root, p, s)
}

/// Victims per kecamatan over the window, as published (exact, or the interval small cells
/// allow), one row each, most first: the chart of a one-kabupaten region.
fn victims_by_kecamatan<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: f64,
    p: &Publication,
    sup: &Suppressed,
) -> Res {
    let body = title(root, t(p.lang, "victims_window_title_kecamatan"), s)?;
    let mut rows: Vec<(&str, crate::privacy::Count)> = sup
        .victims
        .kecamatan
        .iter()
        .map(|((_, kecamatan), c)| (kecamatan.as_str(), *c))
        .collect();
    rows.sort_by(|a, b| (b.1.hi, b.1.lo, a.0).cmp(&(a.1.hi, a.1.lo, b.0)));
    let n = rows.len();
    let max = rows
        .iter()
        .fold(sup.min_count as f64, |a, (_, c)| a.max(c.hi as f64))
        * 1.15;
    let x_desc = t(p.lang, "victims_in_window").replace('N', &p.job.window_months.to_string());
    let pt = (13.0f64).min(560.0 / n as f64);
    let mut chart = ChartBuilder::on(&body)
        .margin((12.0 * s) as i32)
        .margin_bottom((40.0 * s) as i32)
        .x_label_area_size((45.0 * s) as i32)
        .y_label_area_size((170.0 * s) as i32)
        .build_cartesian_2d(0.0..max, (0..(n as i32 - 1).max(1)).into_segmented())
        .map_err(e)?;
    let names: Vec<&str> = rows.iter().map(|r| r.0).collect();
    chart
        .configure_mesh()
        .disable_y_mesh()
        .x_desc(x_desc)
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_labels(n)
        .y_label_formatter(&|y| match y {
            SegmentValue::CenterOf(k) => names
                .get((n as i32 - 1 - *k) as usize)
                .map(|s| s.to_string())
                .unwrap_or_default(),
            _ => String::new(),
        })
        .label_style((SANS, pt * s))
        .axis_desc_style((SANS, 14.0 * s))
        .draw()
        .map_err(e)?;
    let (exact, range) = (RGBColor(70, 90, 160), RGBColor(190, 200, 230));
    let bar = |row: usize, lo: f64, hi: f64, c: RGBColor| {
        let y = n as i32 - 1 - row as i32;
        let mut r = Rectangle::new(
            [
                (lo, SegmentValue::Exact(y)),
                (hi, SegmentValue::Exact(y + 1)),
            ],
            c.filled(),
        );
        r.set_margin((2.0 * s) as u32, (2.0 * s) as u32, 0, 0);
        r
    };
    chart
        .draw_series(
            rows.iter()
                .enumerate()
                .map(|(k, (_, c))| bar(k, 0.0, c.lo as f64, exact)),
        )
        .map_err(e)?
        .label(t(p.lang, "victims_known_part"))
        .legend(swatch(s, exact));
    chart
        .draw_series(
            rows.iter()
                .enumerate()
                .filter(|(_, (_, c))| c.hi > c.lo)
                .map(|(k, (_, c))| bar(k, c.lo as f64, c.hi as f64, range)),
        )
        .map_err(e)?
        .label(range_label(p, sup))
        .legend(swatch(s, range));
    chart
        .draw_series(rows.iter().enumerate().map(|(k, (_, c))| {
            Text::new(
                c.text(),
                (
                    c.hi as f64 + max * 0.01,
                    SegmentValue::CenterOf(n as i32 - 1 - k as i32),
                ),
                (SANS, pt * 0.9 * s)
                    .into_font()
                    .color(&RGBColor(60, 60, 60)),
            )
        }))
        .map_err(e)?;
    legend(&mut chart, s, SeriesLabelPosition::LowerRight, 0.85, 12.0)?;
    footer(root, p, s)
}

/// Axes for bars per kabupaten: one group per shown kabupaten, named below it in type small
/// enough for the longest name to fit its group.
fn kabupaten_bars<'a, DB: DrawingBackend>(
    body: &'a DrawingArea<DB, Shift>,
    s: f64,
    p: &Publication,
    shown: &[usize],
    max: f64,
    y_desc: &str,
) -> Result<
    ChartContext<
        'a,
        DB,
        Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
    >,
    ChartError,
> {
    let groups = shown.len().max(1);
    let mut builder = ChartBuilder::on(body);
    builder
        .margin((15.0 * s) as i32)
        .margin_bottom((40.0 * s) as i32)
        .x_label_area_size((60.0 * s) as i32)
        .y_label_area_size((70.0 * s) as i32);
    let group_px = f64::from(plot_size(&mut builder)?.0) / groups as f64;
    let mut chart = builder
        .build_cartesian_2d(0f64..groups as f64, 0f64..max)
        .map_err(e)?;
    let names: Vec<String> = shown
        .iter()
        .map(|&k| p.series[k].kabupaten.replace("Kabupaten ", "Kab. "))
        .collect();
    // A tenth of the group on each side keeps neighbouring names apart.
    let pt = fitting_pt(&names, s, 12.0, group_px * 0.8);
    chart
        .configure_mesh()
        .disable_x_mesh()
        .y_desc(y_desc)
        .y_label_formatter(&|v| format!("{v:.0}"))
        .x_labels(groups * 2 + 1)
        .x_label_formatter(&|x| {
            let f = x - x.floor();
            if (f - 0.5).abs() < 1e-6 {
                names.get(x.floor() as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .label_style((SANS, pt * s))
        .axis_desc_style((SANS, 14.0 * s))
        .draw()
        .map_err(e)?;
    Ok(chart)
}

/// The type size, at most `pt` and at least [`MIN_LABEL_PT`], at which the widest of these
/// labels is at most `width` pixels wide.
fn fitting_pt(labels: &[String], s: f64, pt: f64, width: f64) -> f64 {
    let font = (SANS, pt * s).into_font();
    let widest = labels
        .iter()
        .filter_map(|l| font.box_size(l).ok())
        .map(|(w, _)| f64::from(w))
        .fold(0.0, f64::max);
    if widest <= width {
        pt
    } else {
        (pt * width / widest).max(MIN_LABEL_PT)
    }
}

/// The smallest type a chart's labels are set in, in points.
const MIN_LABEL_PT: f64 = 7.0;

fn victims_by_period<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: f64,
    p: &Publication,
    sup: &Suppressed,
) -> Res {
    let body = title(root, t(p.lang, "victims_title"), s)?;
    let shown = shown_series(p);
    let per: Vec<Vec<(f64, usize)>> = shown.iter().map(|&k| victims_per_period(p, k)).collect();
    let periods = per.first().map(|v| v.len()).unwrap_or(0).max(1);
    let max = per
        .iter()
        .flatten()
        .fold(sup.min_count as f64, |a, &(b, _)| a.max(b))
        * 1.15;
    let groups = shown.len().max(1);
    let mut chart = kabupaten_bars(&body, s, p, &shown, max, t(p.lang, "victims_per_period"))?;
    let width = 0.8 / periods as f64;
    let months = p.months;
    // Each period's first and last month, from the end of the window backwards.
    let lengths: Vec<usize> = per
        .first()
        .map(|v| v.iter().map(|&(_, len)| len).collect())
        .unwrap_or_default();
    let mut end = months.len();
    let mut spans = vec![(0usize, 0usize); lengths.len()];
    for (span, &len) in spans.iter_mut().zip(&lengths).rev() {
        *span = (end - len, end - 1);
        end -= len;
    }
    for period in 0..periods {
        let shade = 90 + (120 * (periods - 1 - period) / periods.max(1)) as u8;
        let colour = RGBColor(shade / 2, shade / 2 + 20, 140 + shade / 3);
        let bars: Vec<_> = per
            .iter()
            .enumerate()
            .take(groups)
            .filter_map(|(g, per_g)| {
                let x0 = g as f64 + 0.1 + period as f64 * width;
                per_g.get(period).map(|&(v, _)| {
                    Rectangle::new([(x0, 0.0), (x0 + width * 0.9, v)], colour.filled())
                })
            })
            .collect();
        let label = spans
            .get(period)
            .and_then(|&(a, b)| Some((months.get(a)?, months.get(b)?, b + 1 - a)))
            .map(|(a, b, n)| {
                format!(
                    "{} – {} ({n} {})",
                    a.format("%Y-%m"),
                    b.format("%Y-%m"),
                    t(p.lang, "months")
                )
            })
            .unwrap_or_default();
        chart
            .draw_series(bars)
            .map_err(e)?
            .label(label)
            .legend(swatch(s, colour));
    }
    legend(&mut chart, s, SeriesLabelPosition::UpperRight, 0.85, 12.0)?;
    footer(root, p, s)
}

fn rank_intervals<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: f64,
    p: &Publication,
) -> Res {
    let body = title(root, t(p.lang, "rank_intervals"), s)?;
    let order = top(p);
    let n = order.len().max(1);
    let max_rank = order
        .iter()
        .map(|&i| p.villages[i].rank_p95)
        .max()
        .unwrap_or(1)
        .max(n as u32) as f64
        + 1.0;
    let labels = ["5–95 %".to_string(), t(p.lang, "rank_now").to_string()];
    let axis = RowsAxis {
        max: max_rank,
        desc: t(p.lang, "rank"),
        decimals: 0,
        legend: &labels,
    };
    let mut chart = village_rows(&body, s, p, &order, axis)?;
    let colour = RGBColor(50, 90, 160);
    let mut whiskers = Vec::new();
    let mut dots = Vec::new();
    for (row, &i) in order.iter().enumerate() {
        let v = &p.villages[i];
        let y = SegmentValue::CenterOf(n as i32 - 1 - row as i32);
        whiskers.push(PathElement::new(
            vec![
                (v.rank_p05 as f64, y.clone()),
                (v.rank_p95 as f64, y.clone()),
            ],
            colour.stroke_width((3.0 * s) as u32),
        ));
        dots.push(Circle::new(
            (v.risk_rank as f64, y),
            (5.0 * s) as i32,
            RGBColor(200, 30, 30).filled(),
        ));
    }
    chart
        .draw_series(whiskers)
        .map_err(e)?
        .label(&labels[0])
        .legend(move |(x, y)| {
            PathElement::new(
                vec![(x, y), (x + (12.0 * s) as i32, y)],
                colour.stroke_width((3.0 * s) as u32),
            )
        });
    chart
        .draw_series(dots)
        .map_err(e)?
        .label(&labels[1])
        .legend(move |(x, y)| {
            Circle::new(
                (x + (6.0 * s) as i32, y),
                (5.0 * s) as i32,
                RGBColor(200, 30, 30).filled(),
            )
        });
    rows_legend(&mut chart, s)?;
    footer(root, p, s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_axis_leaves_the_legend_its_share_at_either_end() {
        // A quarter of a 400-pixel plot: (7 − 6⅓) / (9 − 6⅓) = ¼.
        let lo = axis_start_below(7.0, 9.0, 400, 100.0);
        assert!((lo - 19.0 / 3.0).abs() < 1e-12);
        assert!(((7.0 - lo) / (9.0 - lo) - 0.25).abs() < 1e-12);
        // No legend, no room; a legend taller than half the plot gets half.
        assert_eq!(axis_start_below(7.0, 9.0, 400, 0.0), 7.0);
        assert_eq!(axis_start_below(7.0, 9.0, 400, 300.0), 5.0);
        // From the other end: (9⅔ − 9) / (9⅔ − 7) = ¼.
        let hi = axis_end_above(7.0, 9.0, 400, 100.0);
        assert!((hi - 29.0 / 3.0).abs() < 1e-12);
        assert!(((hi - 9.0) / (hi - 7.0) - 0.25).abs() < 1e-12);
    }

    #[test]
    fn labels_too_wide_for_their_group_are_set_smaller() {
        register_font();
        let names = [
            "Kota Serang".to_string(),
            "Kab. Pangkajene dan Kepulauan".to_string(),
        ];
        let font = |pt: f64| (SANS, pt * 2.0).into_font();
        let wide = f64::from(font(12.0).box_size(&names[1]).unwrap().0);
        // Room for the widest: the size asked for.
        assert_eq!(fitting_pt(&names, 2.0, 12.0, wide + 1.0), 12.0);
        // Half the room would be 6 pt, below the floor: the floor.
        assert_eq!(fitting_pt(&names, 2.0, 12.0, wide / 2.0), MIN_LABEL_PT);
        // Three quarters of the room: three quarters of the size, and the name then fits.
        let pt = fitting_pt(&names, 2.0, 12.0, wide * 0.75);
        assert!((pt - 9.0).abs() < 0.01, "{pt}");
        assert!(f64::from(font(pt).box_size(&names[1]).unwrap().0) <= wide * 0.75 + 2.0);
    }

    #[test]
    fn a_legend_is_as_tall_as_its_lines() {
        register_font();
        let labels = |n: usize| -> Vec<String> {
            (1..=n)
                .map(|k| format!("{k}. Desa {k} (Kab. Serang)"))
                .collect()
        };
        let (one, ten) = (
            legend_size(&labels(1), 2.0, 12.0).1,
            legend_size(&labels(10), 2.0, 12.0).1,
        );
        // One line: its glyphs' height (most of the 24 px type size at scale 2) and the 25 px
        // of frame; each further line adds a line spacing, at least the type size.
        assert!(one > 25.0 + 12.0 && one < 25.0 + 36.0, "{one}");
        let spacing = (ten - one) / 9.0;
        assert!((24.0..=36.0).contains(&spacing), "{spacing}");
    }
}
