//! Administrative outlines for the map: each kabupaten/kota's villages dissolved into one
//! shape (geo's `unary_union`), with a point inside it for its label. A region of one
//! kabupaten (a Kanim's own area) is outlined by kecamatan instead: one outline around the
//! whole map says nothing a planner does not know.
//!
//! Real boundary files leave slivers between neighbours; the union closes overlaps, and only
//! the outer rings of the result are kept, so a gap inside a kabupaten draws no line. A hole
//! in a kabupaten is a kota inside it, whose own outline draws that line.

use crate::Publication;
use geo::{Area, Centroid, Contains, InteriorPoint};
use geo_types::{MultiPolygon, Polygon};

/// The level the map outlines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Kabupaten,
    Kecamatan,
}

/// One kabupaten/kota (or kecamatan) as the map draws it.
#[derive(Debug, Clone)]
pub struct AdminArea {
    /// The label: "Kab. Lebak", "Kota Serang".
    pub label: String,
    /// Outer rings, in lon/lat.
    pub rings: Vec<Vec<(f64, f64)>>,
    /// Where the label goes: a point inside the largest part.
    pub label_at: (f64, f64),
    /// Area in square degrees (larger areas are labelled first).
    pub area: f64,
}

/// "Kabupaten Lebak" → "Kab. Lebak"; other names unchanged.
pub fn short_name(kabupaten: &str) -> String {
    match kabupaten.strip_prefix("Kabupaten ") {
        Some(rest) => format!("Kab. {rest}"),
        None => kabupaten.to_string(),
    }
}

/// Every kabupaten/kota of the publication (or every kecamatan, when there is one
/// kabupaten), largest first (ties by name), and the level drawn.
pub fn admin_areas(p: &Publication) -> (Level, Vec<AdminArea>) {
    let one_kabupaten = p
        .villages
        .windows(2)
        .all(|w| w[0].kabupaten == w[1].kabupaten);
    let level = if one_kabupaten {
        Level::Kecamatan
    } else {
        Level::Kabupaten
    };
    let mut groups: std::collections::BTreeMap<(&str, &str), Vec<&Polygon<f64>>> =
        Default::default();
    for (v, g) in p.villages.iter().zip(p.geometries) {
        let key = match level {
            Level::Kabupaten => (v.kabupaten.as_str(), ""),
            Level::Kecamatan => (v.kabupaten.as_str(), v.kecamatan.as_str()),
        };
        groups.entry(key).or_default().extend(&g.0);
    }
    let mut out: Vec<AdminArea> = groups
        .into_iter()
        .map(|((kabupaten, kecamatan), polys)| {
            let merged: MultiPolygon<f64> = geo::unary_union(polys.iter().copied());
            let largest = merged
                .0
                .iter()
                .max_by(|a, b| a.unsigned_area().total_cmp(&b.unsigned_area()));
            // The centre of the largest part where it lies inside, else a point inside.
            let label_at = largest
                .and_then(|poly| {
                    poly.centroid()
                        .filter(|c| poly.contains(c))
                        .or_else(|| poly.interior_point())
                })
                .map(|pt| (pt.x(), pt.y()))
                .unwrap_or((f64::NAN, f64::NAN));
            AdminArea {
                label: match level {
                    Level::Kabupaten => short_name(kabupaten),
                    Level::Kecamatan => kecamatan.to_string(),
                },
                rings: merged
                    .0
                    .iter()
                    .map(|poly| poly.exterior().0.iter().map(|c| (c.x, c.y)).collect())
                    .collect(),
                label_at,
                area: merged.unsigned_area(),
            }
        })
        .collect();
    out.sort_by(|a, b| b.area.total_cmp(&a.area).then(a.label.cmp(&b.label)));
    (level, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_shortened_as_maps_print_them() {
        assert_eq!(short_name("Kabupaten Lebak"), "Kab. Lebak");
        assert_eq!(
            short_name("Kota Tangerang Selatan"),
            "Kota Tangerang Selatan"
        );
    }

    #[test]
    fn two_squares_sharing_an_edge_dissolve_into_one_outline() {
        use geo_types::polygon;
        let a = polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.0, y: 1.0)];
        let b = polygon![(x: 1.0, y: 0.0), (x: 2.0, y: 0.0), (x: 2.0, y: 1.0), (x: 1.0, y: 1.0)];
        let merged: MultiPolygon<f64> = geo::unary_union([&a, &b]);
        assert_eq!(merged.0.len(), 1);
        assert!((merged.unsigned_area() - 2.0).abs() < 1e-12);
        // The shared edge is gone: the outline is the 2 × 1 rectangle's (corners, maybe with
        // the edge's ends kept as collinear points).
        let ring = &merged.0[0].exterior().0;
        assert!(
            ring.iter()
                .all(|c| c.y == 0.0 || c.y == 1.0 || c.x == 0.0 || c.x == 2.0)
        );
        assert!(ring.iter().all(|c| !(c.x == 1.0 && c.y > 0.0 && c.y < 1.0)));
    }
}
