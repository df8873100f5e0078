//! Map furniture, in the backend's pixels: labels placed so that they do not overlap, text
//! with a white halo (readable over any fill), a scale bar and a north arrow.

use super::{ChartError, SANS, e};
use plotters::coord::Shift;
use plotters::prelude::*;

/// A rectangle in pixels: left, top, right, bottom.
pub type Rect = (i32, i32, i32, i32);

fn overlaps(a: Rect, b: Rect) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

/// Greedy label placement: each label takes the first of its candidate positions that stays
/// inside the frame and clear of everything placed before it (markers and labels).
#[derive(Debug, Clone)]
pub struct Placer {
    frame: Rect,
    taken: Vec<Rect>,
}

impl Placer {
    pub fn new(frame: Rect) -> Placer {
        Placer {
            frame,
            taken: Vec::new(),
        }
    }

    /// Marks a rectangle as taken (a marker).
    pub fn block(&mut self, r: Rect) {
        self.taken.push(r);
    }

    /// The first free rectangle of `candidates` (top-left corners) for a label of `size`,
    /// taken; `None` if every candidate collides.
    pub fn place(&mut self, size: (u32, u32), candidates: &[(i32, i32)]) -> Option<(i32, i32)> {
        let (w, h) = (size.0 as i32, size.1 as i32);
        let f = self.frame;
        for &(x, y) in candidates {
            let r = (x, y, x + w, y + h);
            let inside = r.0 >= f.0 && r.1 >= f.1 && r.2 <= f.2 && r.3 <= f.3;
            if inside && !self.taken.iter().any(|t| overlaps(*t, r)) {
                self.taken.push(r);
                return Some((x, y));
            }
        }
        None
    }
}

/// The eight positions around a marker at `at` (radius `r` pixels) for a label of `size`,
/// in the cartographer's order of preference: right, left, above right, below right, above,
/// below, above left, below left; then the same twice as far out.
pub fn around(at: (i32, i32), r: i32, size: (u32, u32)) -> Vec<(i32, i32)> {
    let (w, h) = (size.0 as i32, size.1 as i32);
    let (x, y) = at;
    let mut out = Vec::with_capacity(16);
    for k in [1, 3] {
        let d = r * k;
        out.extend([
            (x + d, y - h / 2),
            (x - d - w, y - h / 2),
            (x + d / 2, y - d - h),
            (x + d / 2, y + d),
            (x - w / 2, y - d - h),
            (x - w / 2, y + d),
            (x - d / 2 - w, y - d - h),
            (x - d / 2 - w, y + d),
        ]);
    }
    out
}

/// Positions near `at` for a label centred there, nearest first (for area labels).
pub fn near(at: (i32, i32), size: (u32, u32), step: i32) -> Vec<(i32, i32)> {
    let (w, h) = (size.0 as i32, size.1 as i32);
    let (x, y) = (at.0 - w / 2, at.1 - h / 2);
    let mut out = vec![(x, y)];
    for k in 1..=3 {
        let d = step * k;
        out.extend([(x, y - d), (x, y + d), (x - d, y), (x + d, y)]);
    }
    out
}

/// Draws `text` with its top-left corner at `at`, in `colour`, over a white halo.
pub fn halo_text<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    text: &str,
    at: (i32, i32),
    font: &FontDesc,
    colour: RGBColor,
    s: f64,
) -> Result<(), ChartError> {
    let d = (1.8 * s).round().max(1.0) as i32;
    for (dx, dy) in [
        (-d, 0),
        (d, 0),
        (0, -d),
        (0, d),
        (-d, -d),
        (d, d),
        (-d, d),
        (d, -d),
    ] {
        root.draw(&Text::new(
            text.to_string(),
            (at.0 + dx, at.1 + dy),
            font.color(&WHITE),
        ))
        .map_err(e)?;
    }
    root.draw(&Text::new(text.to_string(), at, font.color(&colour)))
        .map_err(e)
}

/// A round length for a scale bar at most `max_km` long: 1, 2 or 5 × 10ⁿ km.
pub fn nice_km(max_km: f64) -> f64 {
    let p = 10f64.powf(max_km.log10().floor());
    [5.0, 2.0, 1.0]
        .into_iter()
        .map(|m| m * p)
        .find(|&l| l <= max_km)
        .unwrap_or(p)
}

/// Draws a scale bar of two halves (black, white) with its bottom-left at `at`, for a map
/// whose horizontal scale is `km_per_px`, at most `max_px` long.
pub fn scale_bar<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    at: (i32, i32),
    km_per_px: f64,
    max_px: f64,
    s: f64,
) -> Result<(), ChartError> {
    let km = nice_km(max_px * km_per_px);
    let len = (km / km_per_px).round() as i32;
    let h = (6.0 * s) as i32;
    let (x, y) = (at.0, at.1 - h);
    let font = (SANS, 12.0 * s).into_font();
    let pad = (6.0 * s) as i32;
    let label = if km >= 1.0 {
        format!("{km:.0} km")
    } else {
        format!("{:.0} m", km * 1000.0)
    };
    let (lw, lh) = root
        .estimate_text_size(&label, &TextStyle::from(font.clone()))
        .map_err(e)?;
    root.draw(&Rectangle::new(
        [
            (x - pad, y - lh as i32 - 2 * pad),
            (x + len + lw as i32 / 2 + pad, at.1 + pad),
        ],
        WHITE.mix(0.8).filled(),
    ))
    .map_err(e)?;
    let half = len / 2;
    root.draw(&Rectangle::new([(x, y), (x + half, y + h)], BLACK.filled()))
        .map_err(e)?;
    root.draw(&Rectangle::new(
        [(x + half, y), (x + len, y + h)],
        WHITE.filled(),
    ))
    .map_err(e)?;
    root.draw(&Rectangle::new(
        [(x, y), (x + len, y + h)],
        BLACK.stroke_width(1),
    ))
    .map_err(e)?;
    let ty = y - lh as i32 - pad / 2;
    root.draw(&Text::new("0", (x - 3 * s as i32, ty), font.clone()))
        .map_err(e)?;
    root.draw(&Text::new(label, (x + len - lw as i32 / 2, ty), font))
        .map_err(e)?;
    Ok(())
}

/// Draws a north arrow whose tip is at `at`: a dark and a light half of an arrowhead over
/// the letter for north (`U` in Bahasa Indonesia, `N` in English).
pub fn north_arrow<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    at: (i32, i32),
    letter: &str,
    s: f64,
) -> Result<(), ChartError> {
    let (x, y) = at;
    let (w, h) = ((9.0 * s) as i32, (26.0 * s) as i32);
    let notch = y + (h as f64 * 0.72) as i32;
    root.draw(&Polygon::new(
        vec![(x, y), (x - w, y + h), (x, notch)],
        RGBColor(40, 40, 40).filled(),
    ))
    .map_err(e)?;
    root.draw(&Polygon::new(
        vec![(x, y), (x + w, y + h), (x, notch)],
        WHITE.filled(),
    ))
    .map_err(e)?;
    root.draw(&PathElement::new(
        vec![(x, y), (x + w, y + h), (x, notch), (x - w, y + h), (x, y)],
        RGBColor(40, 40, 40).stroke_width(1),
    ))
    .map_err(e)?;
    let font = (SANS, 15.0 * s).into_font();
    let (lw, _) = root
        .estimate_text_size(letter, &TextStyle::from(font.clone()))
        .map_err(e)?;
    halo_text(
        root,
        letter,
        (x - lw as i32 / 2, y + h + (3.0 * s) as i32),
        &font,
        RGBColor(40, 40, 40),
        s,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_lengths_are_round() {
        assert_eq!(nice_km(37.0), 20.0);
        assert_eq!(nice_km(50.0), 50.0);
        assert_eq!(nice_km(9.9), 5.0);
        assert_eq!(nice_km(1.2), 1.0);
        assert_eq!(nice_km(0.3), 0.2);
    }

    #[test]
    fn labels_do_not_overlap_markers_or_each_other() {
        // Two offices 10 px apart, labels 60 × 12: the second label must go elsewhere.
        let mut p = Placer::new((0, 0, 400, 400));
        let markers = [(200, 200), (210, 204)];
        for m in markers {
            p.block((m.0 - 5, m.1 - 5, m.0 + 5, m.1 + 5));
        }
        let a = p.place((60, 12), &around(markers[0], 8, (60, 12))).unwrap();
        let b = p.place((60, 12), &around(markers[1], 8, (60, 12))).unwrap();
        let ra = (a.0, a.1, a.0 + 60, a.1 + 12);
        let rb = (b.0, b.1, b.0 + 60, b.1 + 12);
        assert!(!overlaps(ra, rb), "{ra:?} {rb:?}");
        for m in markers {
            let mr = (m.0 - 5, m.1 - 5, m.0 + 5, m.1 + 5);
            assert!(!overlaps(ra, mr) && !overlaps(rb, mr));
        }
        // A label that fits nowhere is refused, not drawn over another.
        let mut full = Placer::new((0, 0, 50, 50));
        full.block((0, 0, 50, 50));
        assert_eq!(full.place((10, 10), &near((25, 25), (10, 10), 5)), None);
    }
}
