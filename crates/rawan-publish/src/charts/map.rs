//! `map_risk`: the choropleth of the risk score, with hot spots, desa binaan and recommended
//! villages outlined, kabupaten/kota outlined and named, the offices marked and named, a
//! scale bar and a north arrow, as PNG and SVG. The frame takes the region's shape (a tall
//! kabupaten gets a tall map), so the chart drops into a report unchanged.
//!
//! Above [`LAYER_IMAGE_ABOVE`] villages, the village layer (fills and outlines) is drawn once,
//! as an image at the PNG's resolution, pasted into the PNG and embedded in the SVG, whose
//! axes, offices, legend and text stay vector — what matplotlib's `rasterized=True` does for
//! dense layers. Drawn shape by shape, 84,000 villages made a 15 MB SVG that word processors
//! and drawing programs open slowly, and drawing them twice was a third of a national run's
//! chart time. At Kanwil scale the SVG stays all vector.

use super::admin::{AdminArea, Level, admin_areas};
use super::furniture::{Placer, around, halo_text, near, north_arrow, scale_bar};
use super::{ChartError, Res, SANS, e, footer, title};
use crate::i18n::{RISK_CLASSES, t};
use crate::{Publication, PublishError};
use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::element::{Drawable, PointCollection};
use plotters::prelude::*;
use plotters_backend::{BackendCoord, DrawingErrorKind};
use std::ops::Range;
use std::path::Path;

/// Above this many villages the SVG's village layer is one embedded image (see the module).
pub const LAYER_IMAGE_ABOVE: usize = 20_000;

/// Up to this many villages the map outlines and names each kabupaten/kota (a Kanwil's map);
/// a national map of 500 kabupaten would be a grey mesh of unreadable names.
pub const ADMIN_OUTLINES_UP_TO: usize = 20_000;

/// Up to this many offices the map names each one (a Kanwil has a handful); a national map
/// of 125 offices shows their markers, and the layer `offices.geojson` their names.
pub const OFFICE_NAMES_UP_TO: usize = 40;

/// The chart's size in SVG pixels: 1,200 wide, as tall as the region's shape asks (within
/// limits), so that the map fills its frame instead of floating in white.
fn frame_size(p: &Publication) -> (u32, u32) {
    let Extent { x, y } = bounds(p);
    let kx = ((y.start + y.end) / 2.0).to_radians().cos();
    let aspect = (y.end - y.start) / ((x.end - x.start) * kx).max(1e-9);
    // The plotting area is about 0.76 × W less its axes; title, axis and footer take ~150 px.
    let plot_w = super::W as f64 * 0.76 - 90.0;
    let h = (plot_w * aspect + 150.0).clamp(560.0, 1500.0);
    (super::W, h.round() as u32)
}

/// Writes `map_risk.png` and `map_risk.svg`; the village layer is an image in both when there
/// are more than `image_above` villages.
pub fn write(p: &Publication, dir: &Path, image_above: usize) -> Result<Vec<String>, PublishError> {
    let png = dir.join("map_risk.png");
    let svg = dir.join("map_risk.svg");
    let png_err = |source: ChartError| PublishError::Chart {
        path: png.clone(),
        source,
    };
    let svg_err = |source: ChartError| PublishError::Chart {
        path: svg.clone(),
        source,
    };
    let as_image = p.villages.len() > image_above;
    let (level, areas) = if p.villages.len() <= ADMIN_OUTLINES_UP_TO {
        admin_areas(p)
    } else {
        (Level::Kabupaten, Vec::new())
    };
    let areas = (level, areas.as_slice());
    let (w, h) = frame_size(p);
    let mut image = None;
    let drawn = {
        let root = BitMapBackend::new(&png, (w * 2, h * 2)).into_drawing_area();
        root.fill(&WHITE).map_err(|x| png_err(e(x)))?;
        let layer = if as_image {
            VillageLayer::PasteNew(&mut image)
        } else {
            VillageLayer::Shapes
        };
        let (_, drawn) = map_risk(&root, 2.0, p, areas, layer, None).map_err(png_err)?;
        root.present().map_err(|x| png_err(e(x)))?;
        drawn
    };
    crate::output_file::written(&png);
    let mut text = String::new();
    {
        let root = SVGBackend::with_string(&mut text, (w, h)).into_drawing_area();
        root.fill(&WHITE).map_err(|x| svg_err(e(x)))?;
        // Over the image, the SVG draws the extent the image was drawn for: its plotting area
        // is half the PNG's only to within the title's rounding (698 against 1,405 / 2 rows
        // at national scale), so the image is stretched that little and stays in register
        // with the axes and offices.
        let (layer, extent) = if as_image {
            (VillageLayer::Left, Some(drawn))
        } else {
            (VillageLayer::Shapes, None)
        };
        let (plot, _) = map_risk(&root, 1.0, p, areas, layer, extent).map_err(svg_err)?;
        root.present().map_err(|x| svg_err(e(x)))?;
        drop(root);
        if let Some(image) = &image {
            embed(&mut text, image, plot).map_err(svg_err)?;
        }
    }
    crate::write_file(dir, "map_risk.svg", text.as_bytes())?;
    Ok(vec!["map_risk.png".into(), "map_risk.svg".into()])
}

/// How [`map_risk`] draws the village layer.
enum VillageLayer<'a> {
    /// Polygon by polygon.
    Shapes,
    /// Drawn into an image of the plotting area first, pasted in, and handed back.
    PasteNew(&'a mut Option<LayerImage>),
    /// Left out: the caller embeds an image where the plotting area is.
    Left,
}

/// The village layer drawn into an RGB image the size of a plotting area.
struct LayerImage {
    rgb: Vec<u8>,
    size: (u32, u32),
}

/// A plotting area's top-left corner and size, in the backend's pixels.
#[derive(Debug, Clone, Copy)]
struct PlotRect {
    at: BackendCoord,
    size: (u32, u32),
}

type MapChart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

fn risk_colour(r: Option<f64>) -> RGBColor {
    match r {
        None => RGBColor(200, 200, 200),
        Some(v) => {
            let (_, _, _, (r, g, b)) = RISK_CLASSES
                .iter()
                .find(|(lo, hi, _, _)| v >= *lo && v < *hi)
                .copied()
                .unwrap_or(RISK_CLASSES[4]);
            RGBColor(r, g, b)
        }
    }
}

/// The longitudes and latitudes a map spans.
#[derive(Debug, Clone, PartialEq)]
struct Extent {
    x: Range<f64>,
    y: Range<f64>,
}

/// Every village and office, unpadded.
fn bounds(p: &Publication) -> Extent {
    let (mut x0, mut x1, mut y0, mut y1) = (
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
    );
    for g in p.geometries {
        for poly in &g.0 {
            for c in &poly.exterior().0 {
                x0 = x0.min(c.x);
                x1 = x1.max(c.x);
                y0 = y0.min(c.y);
                y1 = y1.max(c.y);
            }
        }
    }
    for o in p.offices {
        x0 = x0.min(o.lon);
        x1 = x1.max(o.lon);
        y0 = y0.min(o.lat);
        y1 = y1.max(o.lat);
    }
    Extent {
        x: x0..x1,
        y: y0..y1,
    }
}

/// Every village and office, padded to keep the map's aspect true (equirectangular at the
/// mean latitude) in a plotting area of about `pw` × `ph` pixels.
fn true_aspect_extent(p: &Publication, pw: f64, ph: f64) -> Extent {
    let Extent {
        x: Range {
            start: mut x0,
            end: mut x1,
        },
        y: Range {
            start: mut y0,
            end: mut y1,
        },
    } = bounds(p);
    let kx = ((y0 + y1) / 2.0).to_radians().cos();
    let (dx, dy) = ((x1 - x0) * kx, y1 - y0);
    if pw / ph > dx / dy {
        let extra = (dy * pw / ph - dx) / kx / 2.0;
        x0 -= extra;
        x1 += extra;
    } else {
        let extra = (dx * ph / pw - dy) / 2.0;
        y0 -= extra;
        y1 += extra;
    }
    Extent {
        x: x0..x1,
        y: y0..y1,
    }
}

/// Draws the map on `root` at scale `s`, over `extent` (else its own, true to aspect);
/// returns where its plotting area is and the extent it drew.
fn map_risk<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: f64,
    p: &Publication,
    areas: (Level, &[AdminArea]),
    layer: VillageLayer,
    extent: Option<Extent>,
) -> Result<(PlotRect, Extent), ChartError> {
    let body = title(root, t(p.lang, "risk_map"), s)?;
    let (bw, _) = body.dim_in_pixel();
    let (map_area, legend_area) = body.split_horizontally((bw as f64 * 0.76) as u32);
    let (mw, mh) = map_area.dim_in_pixel();
    let Extent {
        x: Range { start: x0, end: x1 },
        y: Range { start: y0, end: y1 },
    } = extent.unwrap_or_else(|| true_aspect_extent(p, mw as f64 - 90.0 * s, mh as f64 - 90.0 * s));
    let mut chart = ChartBuilder::on(&map_area)
        .margin((10.0 * s) as i32)
        .x_label_area_size((40.0 * s) as i32)
        .y_label_area_size((50.0 * s) as i32)
        .build_cartesian_2d(x0..x1, y0..y1)
        .map_err(e)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc(t(p.lang, "longitude"))
        .y_desc(t(p.lang, "latitude"))
        .label_style((SANS, 13.0 * s))
        .axis_desc_style((SANS, 14.0 * s))
        .x_labels(6)
        .y_labels(6)
        .draw()
        .map_err(e)?;
    let plot = {
        let (x, y) = chart.plotting_area().get_pixel_range();
        PlotRect {
            at: (x.start, y.start),
            size: ((x.end - x.start) as u32, (y.end - y.start) as u32),
        }
    };
    match layer {
        VillageLayer::Shapes => draw_villages(&mut chart, s, p)?,
        VillageLayer::PasteNew(slot) => {
            let image = layer_image(p, s, plot.size, x0..x1, y0..y1)?;
            root.draw(&Paste {
                at: plot.at,
                image: &image,
            })
            .map_err(e)?;
            *slot = Some(image);
        }
        VillageLayer::Left => {}
    }
    let line = match areas.0 {
        Level::Kabupaten => 1.6,
        Level::Kecamatan => 1.1,
    };
    for a in areas.1 {
        for ring in &a.rings {
            chart
                .draw_series(std::iter::once(PathElement::new(
                    ring.clone(),
                    RGBColor(45, 45, 45).stroke_width((line * s).round().max(1.0) as u32),
                )))
                .map_err(e)?;
        }
    }
    for o in p.offices {
        chart
            .draw_series(std::iter::once(TriangleMarker::new(
                (o.lon, o.lat),
                (9.0 * s) as i32,
                RGBColor(0, 90, 160).filled(),
            )))
            .map_err(e)?;
    }
    furnish(root, &chart, s, p, areas, plot, x0..x1, y0..y1)?;
    // Legend panel.
    let lx = (10.0 * s) as i32;
    let mut y = (60.0 * s) as i32;
    let step = (28.0 * s) as i32;
    let font = (SANS, 14.0 * s).into_font();
    legend_area
        .draw(&Text::new(
            t(p.lang, "risk_score"),
            (lx, y - step),
            font.clone(),
        ))
        .map_err(e)?;
    for (lo, hi, key, (r, g, b)) in RISK_CLASSES.iter().rev() {
        legend_area
            .draw(&Rectangle::new(
                [(lx, y), (lx + (24.0 * s) as i32, y + (18.0 * s) as i32)],
                RGBColor(*r, *g, *b).filled(),
            ))
            .map_err(e)?;
        legend_area
            .draw(&Text::new(
                format!("{} ({lo:.0}–{hi:.0})", t(p.lang, key)),
                (lx + (32.0 * s) as i32, y + (2.0 * s) as i32),
                font.clone(),
            ))
            .map_err(e)?;
        y += step;
    }
    legend_area
        .draw(&Rectangle::new(
            [(lx, y), (lx + (24.0 * s) as i32, y + (18.0 * s) as i32)],
            RGBColor(200, 200, 200).filled(),
        ))
        .map_err(e)?;
    legend_area
        .draw(&Text::new(
            t(p.lang, "no_data"),
            (lx + (32.0 * s) as i32, y + (2.0 * s) as i32),
            font.clone(),
        ))
        .map_err(e)?;
    y += step * 2;
    for (label, colour) in [
        (t(p.lang, "hot95"), RGBColor(120, 0, 0)),
        (t(p.lang, "desa_binaan"), RGBColor(26, 152, 80)),
        (t(p.lang, "recommended_short"), RGBColor(106, 0, 168)),
    ] {
        legend_area
            .draw(&Rectangle::new(
                [(lx, y), (lx + (24.0 * s) as i32, y + (18.0 * s) as i32)],
                colour.stroke_width((2.5 * s) as u32),
            ))
            .map_err(e)?;
        legend_area
            .draw(&Text::new(
                label,
                (lx + (32.0 * s) as i32, y + (2.0 * s) as i32),
                font.clone(),
            ))
            .map_err(e)?;
        y += step;
    }
    legend_area
        .draw(&TriangleMarker::new(
            (lx + (12.0 * s) as i32, y + (9.0 * s) as i32),
            (9.0 * s) as i32,
            RGBColor(0, 90, 160).filled(),
        ))
        .map_err(e)?;
    legend_area
        .draw(&Text::new(
            t(p.lang, "offices"),
            (lx + (32.0 * s) as i32, y + (2.0 * s) as i32),
            font,
        ))
        .map_err(e)?;
    footer(root, p, s)?;
    Ok((
        plot,
        Extent {
            x: x0..x1,
            y: y0..y1,
        },
    ))
}

/// The scale bar, the north arrow, then the office names and the kabupaten/kota names, each
/// placed clear of the markers, the furniture and the names before it. A kabupaten name
/// that finds no free place near its centre is left out rather than drawn over another.
#[allow(clippy::too_many_arguments)]
fn furnish<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &MapChart<DB>,
    s: f64,
    p: &Publication,
    areas: (Level, &[AdminArea]),
    plot: PlotRect,
    x: Range<f64>,
    y: Range<f64>,
) -> Res {
    let (left, top) = plot.at;
    let (right, bottom) = (left + plot.size.0 as i32, top + plot.size.1 as i32);
    let px = |v: f64| (v * s).round() as i32;
    let mut placer = Placer::new((left, top, right, bottom));
    // Scale bar, bottom left: at most a quarter of the map's width.
    let km_per_px = (x.end - x.start) * 111.32 * ((y.start + y.end) / 2.0).to_radians().cos()
        / plot.size.0 as f64;
    let max_px = plot.size.0 as f64 / 4.0;
    let bar_at = (left + px(16.0), bottom - px(14.0));
    scale_bar(root, bar_at, km_per_px, max_px, s)?;
    placer.block((
        left,
        bar_at.1 - px(40.0),
        bar_at.0 + max_px as i32 + px(50.0),
        bottom,
    ));
    // North arrow, top right.
    let arrow_at = (right - px(26.0), top + px(12.0));
    let north = if p.lang == rawan_core::settings::Lang::En {
        "N"
    } else {
        "U"
    };
    north_arrow(root, arrow_at, north, s)?;
    placer.block((arrow_at.0 - px(16.0), top, right, arrow_at.1 + px(52.0)));
    let pixel = |lon: f64, lat: f64| chart.backend_coord(&(lon, lat));
    for o in p.offices {
        let (cx, cy) = pixel(o.lon, o.lat);
        placer.block((cx - px(7.0), cy - px(7.0), cx + px(7.0), cy + px(7.0)));
    }
    let office_font = (SANS, 12.5 * s).into_font();
    for o in p
        .offices
        .iter()
        .filter(|_| p.offices.len() <= OFFICE_NAMES_UP_TO)
    {
        let name = o.office.replace("Kantor Imigrasi ", "Kanim ");
        let size = root
            .estimate_text_size(&name, &TextStyle::from(office_font.clone()))
            .map_err(e)?;
        let candidates = around(pixel(o.lon, o.lat), px(8.0), size);
        // Offices are few and spread out; were all sixteen places taken, the name still goes
        // on the map, beside its marker.
        let at = placer.place(size, &candidates).unwrap_or(candidates[0]);
        halo_text(root, &name, at, &office_font, RGBColor(0, 60, 120), s)?;
    }
    let area_font = match areas.0 {
        Level::Kabupaten => (SANS, 13.0 * s, FontStyle::Bold).into_font(),
        Level::Kecamatan => (SANS, 10.5 * s).into_font(),
    };
    for a in areas.1.iter().filter(|a| a.label_at.0.is_finite()) {
        let size = root
            .estimate_text_size(&a.label, &TextStyle::from(area_font.clone()))
            .map_err(e)?;
        let at = pixel(a.label_at.0, a.label_at.1);
        if let Some(at) = placer.place(size, &near(at, size, px(12.0))) {
            halo_text(root, &a.label, at, &area_font, RGBColor(35, 35, 35), s)?;
        }
    }
    Ok(())
}

/// The village layer: every village filled by its risk class (larger villages first, so
/// enclaves are drawn on top of the villages around them), outlined when there are few, then
/// the hot spots, desa binaan and recommended villages outlined.
fn draw_villages<DB: DrawingBackend>(chart: &mut MapChart<DB>, s: f64, p: &Publication) -> Res {
    let mut order: Vec<usize> = (0..p.villages.len()).collect();
    let area = |i: usize| -> f64 {
        p.geometries[i]
            .0
            .iter()
            .map(|poly| {
                poly.exterior()
                    .0
                    .windows(2)
                    .map(|w| w[0].x * w[1].y - w[1].x * w[0].y)
                    .sum::<f64>()
                    .abs()
            })
            .sum()
    };
    let areas: Vec<f64> = (0..p.villages.len()).map(area).collect();
    order.sort_by(|&a, &b| areas[b].total_cmp(&areas[a]).then(a.cmp(&b)));
    let outline = p.villages.len() <= 20_000;
    let ring = |poly: &geo_types::Polygon<f64>| -> Vec<(f64, f64)> {
        poly.exterior().0.iter().map(|c| (c.x, c.y)).collect()
    };
    let plot = chart.plotting_area();
    for &i in &order {
        let colour = risk_colour(p.villages[i].risk_score);
        for poly in &p.geometries[i].0 {
            plot.draw(&RingFill {
                ring: poly.exterior(),
                colour,
            })
            .map_err(e)?;
            if outline {
                plot.draw(&PathElement::new(
                    ring(poly),
                    RGBColor(160, 160, 160).stroke_width(1),
                ))
                .map_err(e)?;
            }
        }
    }
    let mut overlay = |pick: &dyn Fn(usize) -> bool, colour: RGBColor, width: f64| -> Res {
        for i in (0..p.villages.len()).filter(|&i| pick(i)) {
            for poly in &p.geometries[i].0 {
                chart
                    .draw_series(std::iter::once(PathElement::new(
                        ring(poly),
                        colour.stroke_width((width * s) as u32),
                    )))
                    .map_err(e)?;
            }
        }
        Ok(())
    };
    overlay(
        &|i| p.villages[i].gi_class.is_confident_hot(),
        RGBColor(120, 0, 0),
        1.2,
    )?;
    overlay(&|i| p.villages[i].desa_binaan, RGBColor(26, 152, 80), 2.0)?;
    overlay(
        &|i| p.villages[i].recommended_rank.is_some(),
        RGBColor(106, 0, 168),
        2.5,
    )?;
    Ok(())
}

/// The village layer drawn on white into an image of `size` pixels spanning `x` × `y`: the
/// plotting area of a chart of that size, without its margins.
fn layer_image(
    p: &Publication,
    s: f64,
    size: (u32, u32),
    x: Range<f64>,
    y: Range<f64>,
) -> Result<LayerImage, ChartError> {
    let mut rgb = vec![255u8; size.0 as usize * size.1 as usize * 3];
    {
        let area = BitMapBackend::with_buffer(&mut rgb, size).into_drawing_area();
        let mut chart = ChartBuilder::on(&area)
            .build_cartesian_2d(x, y)
            .map_err(e)?;
        draw_villages(&mut chart, s, p)?;
        area.present().map_err(e)?;
    }
    Ok(LayerImage { rgb, size })
}

/// A [`LayerImage`] pasted with its top-left corner at `at` (drawn on the root area, whose
/// coordinates are the backend's pixels).
struct Paste<'a> {
    at: BackendCoord,
    image: &'a LayerImage,
}

impl<'a> PointCollection<'a, BackendCoord> for &'a Paste<'_> {
    type Point = BackendCoord;
    type IntoIter = std::iter::Once<BackendCoord>;
    fn point_iter(self) -> Self::IntoIter {
        std::iter::once(self.at)
    }
}

impl<DB: DrawingBackend> Drawable<DB> for Paste<'_> {
    fn draw<I: Iterator<Item = BackendCoord>>(
        &self,
        mut at: I,
        backend: &mut DB,
        _: (u32, u32),
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        match at.next() {
            Some(at) => backend.blit_bitmap(at, self.image.size, &self.image.rgb),
            None => Ok(()),
        }
    }
}

/// Embeds `image` as a PNG in the SVG `text`, over `plot`, just above the background, so
/// that everything else the map draws stays on top of it.
fn embed(text: &mut String, image: &LayerImage, plot: PlotRect) -> Result<(), ChartError> {
    use base64::Engine;
    use image::ImageEncoder;
    let mut png = Vec::new();
    image::codecs::png::PngEncoder::new(&mut png)
        .write_image(
            &image.rgb,
            image.size.0,
            image.size.1,
            image::ColorType::Rgb8,
        )
        .map_err(|x| format!("encoding the village layer: {x}"))?;
    let background_end = text
        .find("<rect")
        .and_then(|at| text[at..].find("/>\n").map(|end| at + end + 3))
        .ok_or("the SVG has no background")?;
    let tag = format!(
        "<image x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" preserveAspectRatio=\"none\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" xlink:href=\"data:image/png;base64,{}\"/>\n",
        plot.at.0,
        plot.at.1,
        plot.size.0,
        plot.size.1,
        base64::engine::general_purpose::STANDARD.encode(&png)
    );
    text.insert_str(background_end, &tag);
    Ok(())
}

/// A village's outer ring filled in one colour. At national scale a village covers a few
/// pixels, so most of its vertices land on the pixel of the vertex before them: those
/// repeats are dropped once the ring is in pixels. A repeat is an edge of length zero, which
/// neither the bitmap rasteriser (it skips such edges) nor an SVG viewer draws, so the PNG
/// is the same image and the SVG the same picture in fewer bytes.
struct RingFill<'a> {
    ring: &'a geo_types::LineString<f64>,
    colour: RGBColor,
}

type Xy = (f64, f64);

impl<'a, 'r: 'a> PointCollection<'a, Xy> for &'a RingFill<'r> {
    type Point = Xy;
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, geo_types::Coord<f64>>,
        fn(&geo_types::Coord<f64>) -> Xy,
    >;
    fn point_iter(self) -> Self::IntoIter {
        self.ring.0.iter().map(|c| (c.x, c.y))
    }
}

impl<DB: DrawingBackend> Drawable<DB> for RingFill<'_> {
    fn draw<I: Iterator<Item = BackendCoord>>(
        &self,
        pixels: I,
        backend: &mut DB,
        _: (u32, u32),
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        let mut kept: Vec<BackendCoord> = Vec::with_capacity(self.ring.0.len());
        for px in pixels {
            if kept.last() != Some(&px) {
                kept.push(px);
            }
        }
        backend.fill_polygon(kept, &self.colour.to_backend_color())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{OfficeResult, RunFacts, VillageResult};
    use geo_types::{MultiPolygon, polygon};

    const JOB: &str = "as_of = \"2025-11-30\"\n[inputs]\nvillages = \"v.geojson\"\ndepartures = \"d.csv\"\ndesa_binaan = \"b.csv\"\noutreach = \"o.csv\"\ncases = \"c.csv\"\n";

    /// A 30 × 30 grid of square villages with risk rising across it, a block of hot spots,
    /// a few desa binaan and recommendations, and two offices.
    fn grid() -> (
        Vec<VillageResult>,
        Vec<MultiPolygon<f64>>,
        Vec<OfficeResult>,
    ) {
        let side = 30;
        let (mut villages, mut shapes) = (Vec::new(), Vec::new());
        for i in 0..side * side {
            let (r, c) = ((i / side) as f64, (i % side) as f64);
            let (x, y) = (106.0 + c * 0.01, -6.5 + r * 0.01);
            shapes.push(MultiPolygon::new(vec![polygon![(x: x, y: y), (x: x + 0.01, y: y), (x: x + 0.01, y: y + 0.01), (x: x, y: y + 0.01), (x: x, y: y)]]));
            villages.push(VillageResult {
                kode_desa: format!("36.01.01.{:04}", 2001 + i),
                risk_score: (i % 7 != 0).then_some(10.0 * (c + r) / (2.0 * side as f64)),
                gi_class: if r > 20.0 && c > 20.0 {
                    rawan_core::GiClass::Hot99
                } else {
                    rawan_core::GiClass::NotSignificant
                },
                desa_binaan: i % 97 == 0,
                recommended_rank: (i % 131 == 0).then_some((i / 131) as u32 + 1),
                ..Default::default()
            });
        }
        let office = |name: &str, lon, lat| OfficeResult {
            office: name.into(),
            lon,
            lat,
            capacity: None,
            radius_km: None,
            recommended: 0,
        };
        (
            villages,
            shapes,
            vec![
                office("Kantor Imigrasi Serang", 106.05, -6.4),
                office("Kantor Imigrasi Cilegon", 106.25, -6.3),
            ],
        )
    }

    fn publication<'a>(
        job: &'a rawan_core::Job,
        v: &'a [VillageResult],
        g: &'a [MultiPolygon<f64>],
        o: &'a [OfficeResult],
    ) -> Publication<'a> {
        let set: &'static rawan_core::indicator::IndicatorSet =
            Box::leak(Box::new(rawan_core::indicator::IndicatorSet::from_job(job)));
        Publication {
            job,
            indicators: set,
            audit: Box::leak(Box::default()),
            lang: rawan_core::settings::Lang::En,
            restricted: false,
            villages: v,
            geometries: g,
            geometry_json: &[],
            offices: o,
            months: &[],
            series: &[],
            programme: Box::leak(Box::default()),
            history: Box::leak(Box::default()),
            modus: Box::leak(Box::default()),
            facts: RunFacts::default(),
        }
    }

    fn pixels(path: &Path) -> image::RgbImage {
        image::open(path).unwrap().to_rgb8()
    }

    /// Drawn as one image, the village layer lands where the shapes land: the PNG differs from
    /// the one drawn shape by shape only where an outline's stroke spilled past the plotting
    /// area (the image stops at its edge), and the SVG holds that image, decodable and sized
    /// to the plotting area, instead of a polygon per village, with the offices still vector.
    #[test]
    fn the_layer_as_an_image_is_in_register_with_the_shapes() {
        super::super::register_font();
        let job = rawan_core::Job::from_toml_str(JOB).unwrap();
        let (v, g, o) = grid();
        let p = publication(&job, &v, &g, &o);
        let (shapes, image) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        write(&p, shapes.path(), usize::MAX).unwrap();
        write(&p, image.path(), 0).unwrap();

        let (a, b) = (
            pixels(&shapes.path().join("map_risk.png")),
            pixels(&image.path().join("map_risk.png")),
        );
        assert_eq!(a.dimensions(), b.dimensions());
        let differing: Vec<(u32, u32)> = a
            .enumerate_pixels()
            .filter(|(x, y, px)| b.get_pixel(*x, *y) != *px)
            .map(|(x, y, _)| (x, y))
            .collect();
        // The PNG's plotting area, from the map drawn again without its village layer.
        let plot = {
            let (pw, ph) = a.dimensions();
            let mut rgb = vec![255u8; (pw * ph * 3) as usize];
            let root = BitMapBackend::with_buffer(&mut rgb, (pw, ph)).into_drawing_area();
            map_risk(
                &root,
                2.0,
                &p,
                (Level::Kabupaten, &[]),
                VillageLayer::Left,
                None,
            )
            .unwrap()
            .0
        };
        let (x, y, w, h) = (plot.at.0 as u32, plot.at.1 as u32, plot.size.0, plot.size.1);
        // Strokes are at most 5 px wide here: every difference lies within 3 px of the
        // plotting area's edge.
        let near_edge = |(px, py): &(u32, u32)| {
            let within = |v: u32, lo: u32, hi: u32| v + 3 >= lo && v < hi + 3;
            let inner = (x + 3..x + w - 3).contains(px) && (y + 3..y + h - 3).contains(py);
            within(*px, x, x + w) && within(*py, y, y + h) && !inner
        };
        let elsewhere: Vec<&(u32, u32)> = differing.iter().filter(|d| !near_edge(d)).collect();
        assert!(
            elsewhere.is_empty(),
            "{} of {} differing pixels away from the edge, e.g. {:?}",
            elsewhere.len(),
            differing.len(),
            &elsewhere[..elsewhere.len().min(5)]
        );
        let drawn = a.pixels().filter(|px| px.0 != [255, 255, 255]).count();
        assert!(drawn > 100_000, "the map drew only {drawn} pixels");

        let svg = std::fs::read_to_string(image.path().join("map_risk.svg")).unwrap();
        assert_eq!(svg.matches("<image ").count(), 1);
        assert_eq!(
            svg.matches("<polygon").count(),
            5,
            "only the two offices' triangles, the legend's and the north arrow's halves stay shapes"
        );
        let data = svg.split("base64,").nth(1).unwrap();
        let data = &data[..data.find('"').unwrap()];
        use base64::Engine;
        let png = image::load_from_memory(
            &base64::engine::general_purpose::STANDARD
                .decode(data)
                .unwrap(),
        )
        .unwrap();
        assert_eq!(
            (png.width(), png.height()),
            (w, h),
            "the image is the PNG's plotting area"
        );

        let vector = std::fs::read_to_string(shapes.path().join("map_risk.svg")).unwrap();
        assert!(!vector.contains("<image "));
        assert!(vector.matches("<polygon").count() >= v.len());
    }
}
