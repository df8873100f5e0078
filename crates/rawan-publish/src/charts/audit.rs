//! `index_audit`: the index's correlation matrix (indicators, dimensions, risk score) as a
//! heatmap, blue for negative and red for positive, each cell with its r; beside it each
//! dimension's Cronbach's alpha and the indicators the audit flags.

use super::{ChartError, SANS, e, footer, title};
use crate::Publication;
use crate::i18n::t;
use plotters::coord::Shift;
use plotters::prelude::*;

/// ColorBrewer RdBu's ends, white in the middle.
fn colour(r: Option<f64>) -> RGBColor {
    let Some(r) = r else {
        return RGBColor(225, 225, 225);
    };
    let (end, k) = if r >= 0.0 {
        ((178.0, 24.0, 43.0), r.min(1.0))
    } else {
        ((33.0, 102.0, 172.0), (-r).min(1.0))
    };
    let mix = |c: f64| (255.0 + (c - 255.0) * k).round() as u8;
    RGBColor(mix(end.0), mix(end.1), mix(end.2))
}

pub fn index_audit<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: f64,
    p: &Publication,
) -> Result<(), ChartError> {
    let l = p.lang;
    let body = title(root, t(l, "audit_title"), s)?;
    let (_, bh) = body.dim_in_pixel();
    let px = |v: f64| (v * s).round() as i32;
    let labels: Vec<String> = p
        .indicators
        .defs
        .iter()
        .map(|d| d.label(l).to_string())
        .chain(
            p.indicators
                .dimensions()
                .iter()
                .map(|d| d.label(l).to_string()),
        )
        .chain([t(l, "risk_score").to_string()])
        .collect();
    let m = labels.len();
    let label_w = px(235.0);
    let top = px(40.0);
    let grid_h = bh as i32 - top - px(70.0);
    let cell = (grid_h / m as i32).min(px(50.0)).max(px(14.0));
    let left = label_w;
    let font = (SANS, 12.0 * s).into_font();
    let small = (SANS, (10.5 * s).min(cell as f64 * 0.38)).into_font();
    for (x, name) in labels.iter().enumerate() {
        // Row label: its number and name; column header: its number.
        let y = top + x as i32 * cell;
        body.draw(&Text::new(
            format!("{}. {name}", x + 1),
            (px(8.0), y + cell / 2 - px(7.0)),
            font.clone(),
        ))
        .map_err(e)?;
        body.draw(&Text::new(
            format!("{}", x + 1),
            (left + x as i32 * cell + cell / 2 - px(4.0), top - px(20.0)),
            font.clone(),
        ))
        .map_err(e)?;
        for (yy, r) in p.audit.matrix[x].iter().enumerate() {
            let (cx, cy) = (left + yy as i32 * cell, y);
            body.draw(&Rectangle::new(
                [(cx, cy), (cx + cell - 1, cy + cell - 1)],
                colour(*r).filled(),
            ))
            .map_err(e)?;
            if let Some(r) = r {
                let ink = if r.abs() > 0.6 { WHITE } else { BLACK };
                let text = format!("{r:.2}");
                let (tw, th) = body
                    .estimate_text_size(&text, &TextStyle::from(small.clone()))
                    .map_err(e)?;
                body.draw(&Text::new(
                    text,
                    (cx + (cell - tw as i32) / 2, cy + (cell - th as i32) / 2),
                    small.color(&ink),
                ))
                .map_err(e)?;
            }
        }
    }
    // The panel: alpha per dimension, then the flags.
    let mut y = top;
    let x0 = left + m as i32 * cell + px(30.0);
    let step = px(22.0);
    let line = |text: String, bold: bool, y: &mut i32| -> Result<(), ChartError> {
        let f = if bold {
            (SANS, 13.0 * s, FontStyle::Bold).into_font()
        } else {
            (SANS, 12.5 * s).into_font()
        };
        body.draw(&Text::new(text, (x0, *y), f)).map_err(e)?;
        *y += step;
        Ok(())
    };
    line(t(l, "audit_alpha").to_string(), true, &mut y)?;
    for d in &p.audit.dimensions {
        let value = crate::tables::alpha_text(d, l);
        line(format!("{}: {value}", d.dimension.label(l)), false, &mut y)?;
    }
    y += step / 2;
    line(t(l, "audit_flags").to_string(), true, &mut y)?;
    let flags = crate::tables::audit_flags(p);
    if flags.is_empty() {
        line(t(l, "audit_none").to_string(), false, &mut y)?;
    }
    for flag in flags {
        line(flag, false, &mut y)?;
    }
    footer(root, p, s)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_run_from_blue_through_white_to_red() {
        assert_eq!(colour(Some(0.0)), RGBColor(255, 255, 255));
        assert_eq!(colour(Some(1.0)), RGBColor(178, 24, 43));
        assert_eq!(colour(Some(-1.0)), RGBColor(33, 102, 172));
        assert_eq!(colour(None), RGBColor(225, 225, 225));
    }
}
