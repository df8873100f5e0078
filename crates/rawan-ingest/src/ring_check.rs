//! Whether a ring crosses itself, decided exactly as geo's polygon validation decides it —
//! the same segment predicate (`Line::intersects`) and the same exemption for segments that
//! meet end to start — but found by a sweep over the segments' x-extents instead of testing
//! every ordered pair. geo compares each pair twice, so a 13-vertex village took 132
//! predicate calls and a 2,000-vertex one four million; the sweep tests only segments whose
//! bounding boxes overlap, which is the only way two segments can share a point.
//!
//! ```
//! use geo_types::line_string;
//! use rawan_ingest::ring_check::crosses_itself;
//! let square = line_string![(x: 0., y: 0.), (x: 1., y: 0.), (x: 1., y: 1.), (x: 0., y: 1.), (x: 0., y: 0.)];
//! let bow_tie = line_string![(x: 0., y: 0.), (x: 1., y: 1.), (x: 1., y: 0.), (x: 0., y: 1.), (x: 0., y: 0.)];
//! assert!(!crosses_itself(&square));
//! assert!(crosses_itself(&bow_tie));
//! ```

use geo::Intersects;
use geo_types::{Line, LineString};

/// True when two segments of `ring` share a point other than where one ends and the other
/// starts (geo's `SelfIntersection`). Coordinates must be finite.
pub fn crosses_itself(ring: &LineString<f64>) -> bool {
    let lines: Vec<Line<f64>> = ring.lines().collect();
    // Segments by the left end of their x-extent.
    let mut by_left: Vec<(f64, f64, usize)> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| (l.start.x.min(l.end.x), l.start.x.max(l.end.x), i))
        .collect();
    by_left.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.2.cmp(&b.2)));
    for (k, &(_, right, i)) in by_left.iter().enumerate() {
        let a = lines[i];
        let (a_low, a_high) = (a.start.y.min(a.end.y), a.start.y.max(a.end.y));
        for &(left, _, j) in &by_left[k + 1..] {
            if left > right {
                break;
            }
            let b = lines[j];
            if b.start.y.min(b.end.y) > a_high || b.start.y.max(b.end.y) < a_low {
                continue;
            }
            // geo tests the pair in both orders; the exemption reads the same either way.
            if (a.intersects(&b) || b.intersects(&a)) && a.start != b.end && a.end != b.start {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::Validation;
    use geo::algorithm::validation::InvalidPolygon;
    use geo_types::{Coord, Polygon};

    fn geo_says(ring: &LineString<f64>) -> bool {
        Polygon::new(ring.clone(), vec![])
            .validation_errors()
            .iter()
            .any(|e| matches!(e, InvalidPolygon::SelfIntersection(_)))
    }

    /// Random closed rings on a coarse grid (so that touching vertices, collinear overlaps,
    /// repeated points and spikes are common), and star-shaped simple rings: the sweep
    /// agrees with geo's validation on every one, and both answers occur.
    #[test]
    fn agrees_with_geo_validation() {
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut next = |m: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % m
        };
        let (mut crossing, mut simple) = (0, 0);
        for round in 0..4000 {
            let n = 3 + next(14) as usize;
            let mut pts: Vec<Coord<f64>> = if round % 2 == 0 {
                (0..n)
                    .map(|_| Coord {
                        x: next(6) as f64,
                        y: next(6) as f64,
                    })
                    .collect()
            } else {
                // A star around the origin: angles in order, radii random — simple.
                (0..n)
                    .map(|k| {
                        let t = std::f64::consts::TAU * k as f64 / n as f64;
                        let r = 1.0 + next(100) as f64 / 10.0;
                        Coord {
                            x: (r * t.cos() * 8.0).round() / 8.0,
                            y: (r * t.sin() * 8.0).round() / 8.0,
                        }
                    })
                    .collect()
            };
            pts.push(pts[0]);
            let ring = LineString::new(pts);
            let want = geo_says(&ring);
            assert_eq!(crosses_itself(&ring), want, "round {round}: {ring:?}");
            if want { crossing += 1 } else { simple += 1 }
        }
        assert!(
            crossing > 500 && simple > 500,
            "{crossing} crossing, {simple} simple"
        );
    }
}
