//! Village polygons as a topology for the web: coordinates snapped to a grid, every ring cut
//! into arcs at the points where more than two villages (or a village and the region's
//! edge) meet, each shared arc stored once and simplified once — so that two neighbours'
//! common border stays common after simplification, with no slivers and no gaps. The idea
//! and the arc convention are TopoJSON's (an arc used backwards is referred to as `!i`).
//!
//! Not for analysis: simplification can make a polygon cross itself at a tight corner, which
//! a map on screen shows harmlessly and a spatial statistic must never see.
//!
//! ```
//! use geo_types::{MultiPolygon, polygon};
//! use rawan_publish::web_map::topology::{Topology, arc_index};
//! // Two unit squares side by side share the edge x = 1.
//! let a = MultiPolygon(vec![polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.0, y: 1.0)]]);
//! let b = MultiPolygon(vec![polygon![(x: 1.0, y: 0.0), (x: 2.0, y: 0.0), (x: 2.0, y: 1.0), (x: 1.0, y: 1.0)]]);
//! let t = Topology::build(&[a, b], &[0, 1], 0.5);
//! // Cut where the edge x = 1 meets the outside: the shared edge is one arc, used forwards
//! // by one square and backwards by the other, and each square keeps its outer three sides.
//! assert_eq!(t.arcs.len(), 3);
//! let uses = |i: usize| t.features.iter().flatten().flatten().flatten().filter(|&&r| arc_index(r) == i).count();
//! assert_eq!((0..3).map(uses).collect::<Vec<_>>().iter().filter(|&&u| u == 2).count(), 1);
//! // Every arc is a border here: the shared one between groups 0 and 1, the others outside.
//! assert_eq!(t.borders, vec![0, 1, 2]);
//! ```

use geo_types::{LineString, MultiPolygon};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::hash::Hasher;

/// A grid point: x in the high half, y in the low half (both offsets from the origin).
type Point = u64;

fn pack(x: u32, y: u32) -> Point {
    (x as u64) << 32 | y as u64
}

fn unpack(p: Point) -> (i64, i64) {
    ((p >> 32) as i64, (p & 0xFFFF_FFFF) as i64)
}

/// Villages as arcs on a grid.
#[derive(Debug, Clone, PartialEq)]
pub struct Topology {
    /// The grid's origin (lon, lat) and step in degrees: point (x, y) is at
    /// (origin.0 + x·quantum, origin.1 + y·quantum).
    pub origin: (f64, f64),
    pub quantum: f64,
    /// Each arc's points; an arc starts and ends at a junction, or is a closed ring whose
    /// first point is its last.
    pub arcs: Vec<Vec<(i64, i64)>>,
    /// Per feature, per polygon, per ring (exterior counter-clockwise first, then holes
    /// clockwise): the arcs to follow, `i` forwards or `!i` backwards.
    pub features: Vec<Vec<Vec<Vec<i32>>>>,
    /// Arcs between features of different groups, or on the edge of all features: the
    /// outlines of the groups (kabupaten), in ascending order.
    pub borders: Vec<u32>,
}

impl Topology {
    /// Builds the topology of `geometries` on a grid of `quantum` degrees; `groups` gives
    /// each feature's group (for [`Topology::borders`]). Rings that collapse on the grid
    /// (fewer than three distinct points) are left out.
    pub fn build(geometries: &[MultiPolygon<f64>], groups: &[u32], quantum: f64) -> Topology {
        assert_eq!(geometries.len(), groups.len(), "one group per feature");
        let (mut x0, mut y0) = (f64::INFINITY, f64::INFINITY);
        for c in geometries
            .iter()
            .flat_map(|g| &g.0)
            .flat_map(|p| &p.exterior().0)
        {
            x0 = x0.min(c.x);
            y0 = y0.min(c.y);
        }
        if !x0.is_finite() {
            (x0, y0) = (0.0, 0.0);
        }
        // Snap the origin to the grid, so that one village's coordinates land on the same
        // grid points whatever else is in the run.
        let (x0, y0) = (
            (x0 / quantum).floor() * quantum,
            (y0 / quantum).floor() * quantum,
        );
        let snap = |v: f64, o: f64| ((v - o) / quantum).round().clamp(0.0, u32::MAX as f64) as u32;
        // Every ring as open grid points, oriented, without repeats.
        let rings: Vec<Vec<Vec<Vec<Point>>>> = geometries
            .par_iter()
            .map(|g| {
                g.0.iter()
                    .filter_map(|p| {
                        let ring = |r: &LineString<f64>, ccw: bool| {
                            let mut pts: Vec<Point> = Vec::with_capacity(r.0.len());
                            for c in &r.0 {
                                let q = pack(snap(c.x, x0), snap(c.y, y0));
                                if pts.last() != Some(&q) {
                                    pts.push(q);
                                }
                            }
                            while pts.len() > 1 && pts.first() == pts.last() {
                                pts.pop();
                            }
                            if pts.len() < 3 {
                                return None;
                            }
                            if (area2(&pts) > 0) != ccw {
                                pts.reverse();
                            }
                            Some(pts)
                        };
                        let exterior = ring(p.exterior(), true)?;
                        Some(
                            std::iter::once(exterior)
                                .chain(p.interiors().iter().filter_map(|h| ring(h, false)))
                                .collect(),
                        )
                    })
                    .collect()
            })
            .collect();
        // Every ring's points, one after another: ring r is points[starts[r]..starts[r + 1]].
        let mut points: Vec<Point> = Vec::new();
        let mut starts: Vec<usize> = vec![0];
        for ring in rings.iter().flatten().flatten() {
            points.extend_from_slice(ring);
            starts.push(points.len());
        }
        // A junction is a point met with different neighbours in different places.
        let mut seen: FxHashMap<Point, (Point, Point, bool)> =
            FxHashMap::with_capacity_and_hasher(points.len() / 2 + 16, Default::default());
        for r in starts.windows(2) {
            let ring = &points[r[0]..r[1]];
            let n = ring.len();
            for i in 0..n {
                let (a, b) = (
                    ring[if i == 0 { n - 1 } else { i - 1 }],
                    ring[if i + 1 == n { 0 } else { i + 1 }],
                );
                let pair = (a.min(b), a.max(b));
                seen.entry(ring[i])
                    .and_modify(|e| e.2 |= (e.0, e.1) != pair)
                    .or_insert((pair.0, pair.1, false));
            }
        }
        let cut: Vec<bool> = points.par_iter().map(|p| seen[p].2).collect();
        drop(seen);
        let mut arcs: Vec<Point> = Vec::new();
        let mut arc_starts: Vec<usize> = vec![0];
        // Arcs by the hash of their points read in their stored direction; equal hashes
        // are checked point by point.
        let mut index: FxHashMap<u64, u32> =
            FxHashMap::with_capacity_and_hasher(points.len() / 4 + 16, Default::default());
        let mut collided: Vec<u32> = Vec::new();
        // Users of each arc: (first feature's group, how many rings, any other group).
        let mut users: Vec<(u32, u32, bool)> = Vec::new();
        let mut refer = |arc: &[Point], group: u32| -> i32 {
            // Stored in the direction that reads smaller; used backwards otherwise. (A
            // closed ring read backwards starts from the same point: no rotation needed.)
            let n = arc.len();
            let backwards = (0..n)
                .map(|k| (arc[k], arc[n - 1 - k]))
                .find(|(f, b)| f != b)
                .is_some_and(|(f, b)| b < f);
            let at = |k: usize| if backwards { arc[n - 1 - k] } else { arc[k] };
            let hash = {
                let mut h = rustc_hash::FxHasher::default();
                for k in 0..n {
                    h.write_u64(at(k));
                }
                h.finish()
            };
            let same = |i: u32| {
                let a = &arcs[arc_starts[i as usize]..arc_starts[i as usize + 1]];
                a.len() == n && (0..n).all(|k| a[k] == at(k))
            };
            let found = match index.get(&hash) {
                Some(&i) if same(i) => Some(i),
                Some(_) => collided.iter().copied().find(|&i| same(i)),
                None => None,
            };
            let i = found.unwrap_or_else(|| {
                let i = users.len() as u32;
                arcs.extend((0..n).map(at));
                arc_starts.push(arcs.len());
                users.push((group, 0, false));
                // The first arc of a hash is found by it; any other, one by one.
                match index.entry(hash) {
                    std::collections::hash_map::Entry::Occupied(_) => collided.push(i),
                    std::collections::hash_map::Entry::Vacant(e) => {
                        e.insert(i);
                    }
                }
                i
            });
            let u = &mut users[i as usize];
            u.1 += 1;
            u.2 |= u.0 != group;
            if backwards { !(i as i32) } else { i as i32 }
        };
        let mut scratch: Vec<Point> = Vec::new();
        let mut next_ring = 0;
        let features = rings
            .iter()
            .zip(groups)
            .map(|(polygons, &group)| {
                polygons
                    .iter()
                    .map(|p| {
                        p.iter()
                            .map(|_| {
                                let (s, e) = (starts[next_ring], starts[next_ring + 1]);
                                next_ring += 1;
                                let (ring, cut) = (&points[s..e], &cut[s..e]);
                                let n = ring.len();
                                // From the smallest junction, so that the arcs and their order do not depend on
                                // where the file happens to start the ring.
                                let first = (0..n).filter(|&i| cut[i]).min_by_key(|&i| ring[i]);
                                let Some(first) = first else {
                                    // No junction: one closed arc from its smallest point.
                                    let start = (0..n).min_by_key(|&i| ring[i]).unwrap();
                                    scratch.clear();
                                    scratch.extend_from_slice(&ring[start..]);
                                    scratch.extend_from_slice(&ring[..=start]);
                                    return vec![refer(&scratch, group)];
                                };
                                // From each junction to the next, round the ring.
                                let mut refs = Vec::new();
                                let mut from = first;
                                loop {
                                    scratch.clear();
                                    scratch.push(ring[from]);
                                    let mut k = from;
                                    loop {
                                        k = if k + 1 == n { 0 } else { k + 1 };
                                        scratch.push(ring[k]);
                                        if cut[k] {
                                            break;
                                        }
                                    }
                                    refs.push(refer(&scratch, group));
                                    if k == first {
                                        break;
                                    }
                                    from = k;
                                }
                                refs
                            })
                            .collect()
                    })
                    .collect()
            })
            .collect();
        let borders = users
            .iter()
            .enumerate()
            .filter(|(_, (_, count, mixed))| *count == 1 || *mixed)
            .map(|(i, _)| i as u32)
            .collect();
        Topology {
            origin: (x0, y0),
            quantum,
            arcs: arc_starts
                .windows(2)
                .map(|w| arcs[w[0]..w[1]].iter().copied().map(unpack).collect())
                .collect(),
            features,
            borders,
        }
    }

    /// Simplifies every arc once (Douglas–Peucker, `tolerance` in degrees), keeping its
    /// ends; an arc of a ring that would collapse below three points stays as it was.
    pub fn simplify(&mut self, tolerance: f64) {
        let t = tolerance / self.quantum;
        let simplified: Vec<Vec<(i64, i64)>> =
            self.arcs.par_iter().map(|a| simplify_arc(a, t)).collect();
        let mut keep = vec![false; self.arcs.len()];
        for ring in self.features.iter().flatten().flatten() {
            let points: usize = ring
                .iter()
                .map(|&r| simplified[arc_index(r)].len() - 1)
                .sum();
            if points < 3 {
                for &r in ring {
                    keep[arc_index(r)] = true;
                }
            }
        }
        for ((arc, s), keep) in self.arcs.iter_mut().zip(simplified).zip(keep) {
            if !keep {
                *arc = s;
            }
        }
    }

    /// Every ring's points in degrees, as the arcs make them (for tests and checks).
    pub fn ring_coordinates(&self, ring: &[i32]) -> Vec<(f64, f64)> {
        let mut out: Vec<(f64, f64)> = Vec::new();
        for &r in ring {
            let arc = &self.arcs[arc_index(r)];
            let points: Box<dyn Iterator<Item = &(i64, i64)>> = if r < 0 {
                Box::new(arc.iter().rev())
            } else {
                Box::new(arc.iter())
            };
            for (k, &(x, y)) in points.enumerate() {
                if k == 0 && !out.is_empty() {
                    continue;
                }
                out.push((
                    self.origin.0 + x as f64 * self.quantum,
                    self.origin.1 + y as f64 * self.quantum,
                ));
            }
        }
        out
    }
}

/// The arc a reference points to.
pub fn arc_index(r: i32) -> usize {
    if r < 0 { !r as usize } else { r as usize }
}

/// Twice the signed area of an open ring of grid points (positive: counter-clockwise).
fn area2(ring: &[Point]) -> i128 {
    let n = ring.len();
    (0..n)
        .map(|i| {
            let ((x1, y1), (x2, y2)) = (unpack(ring[i]), unpack(ring[(i + 1) % n]));
            x1 as i128 * y2 as i128 - x2 as i128 * y1 as i128
        })
        .sum()
}

/// Douglas–Peucker on one arc, its ends kept; a closed arc is split at its farthest point.
fn simplify_arc(arc: &[(i64, i64)], t: f64) -> Vec<(i64, i64)> {
    if arc.len() <= 2 || t <= 0.0 {
        return arc.to_vec();
    }
    let mut keep = vec![false; arc.len()];
    keep[0] = true;
    keep[arc.len() - 1] = true;
    let f = |p: (i64, i64)| (p.0 as f64, p.1 as f64);
    let mut stack = Vec::new();
    if arc[0] == arc[arc.len() - 1] {
        let (sx, sy) = f(arc[0]);
        let far = (1..arc.len() - 1)
            .max_by(|&a, &b| {
                let d = |i: usize| {
                    let (x, y) = f(arc[i]);
                    (x - sx).powi(2) + (y - sy).powi(2)
                };
                d(a).total_cmp(&d(b)).then(b.cmp(&a))
            })
            .unwrap();
        keep[far] = true;
        stack.push((0, far));
        stack.push((far, arc.len() - 1));
    } else {
        stack.push((0, arc.len() - 1));
    }
    while let Some((a, b)) = stack.pop() {
        if b <= a + 1 {
            continue;
        }
        let ((ax, ay), (bx, by)) = (f(arc[a]), f(arc[b]));
        let (dx, dy) = (bx - ax, by - ay);
        let len = (dx * dx + dy * dy).sqrt();
        let mut best = (0.0, 0);
        for (i, &p) in arc.iter().enumerate().take(b).skip(a + 1) {
            let (px, py) = f(p);
            let d = if len == 0.0 {
                ((px - ax).powi(2) + (py - ay).powi(2)).sqrt()
            } else {
                ((px - ax) * dy - (py - ay) * dx).abs() / len
            };
            if d > best.0 {
                best = (d, i);
            }
        }
        if best.0 > t {
            keep[best.1] = true;
            stack.push((a, best.1));
            stack.push((best.1, b));
        }
    }
    arc.iter()
        .zip(keep)
        .filter(|(_, k)| *k)
        .map(|(p, _)| *p)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::{Coord, Polygon};

    fn square(x: f64, y: f64, s: f64) -> MultiPolygon<f64> {
        let c = |x: f64, y: f64| Coord { x, y };
        MultiPolygon(vec![Polygon::new(
            LineString(vec![
                c(x, y),
                c(x + s, y),
                c(x + s, y + s),
                c(x, y + s),
                c(x, y),
            ]),
            vec![],
        )])
    }

    #[test]
    fn four_squares_meeting_at_a_point_share_every_inner_edge() {
        // A 2×2 block: the centre (1, 1) is a junction of four villages; each inner edge is
        // one arc used twice; the outer edges are used once.
        let g = [
            square(0.0, 0.0, 1.0),
            square(1.0, 0.0, 1.0),
            square(0.0, 1.0, 1.0),
            square(1.0, 1.0, 1.0),
        ];
        let t = Topology::build(&g, &[0, 0, 1, 1], 1.0);
        let mut uses = vec![0; t.arcs.len()];
        for r in t.features.iter().flatten().flatten().flatten() {
            uses[arc_index(*r)] += 1;
        }
        assert_eq!(
            uses.iter().filter(|&&u| u == 2).count(),
            4,
            "four inner edges"
        );
        // The outer boundary: 8 unit edges, cut at the 4 junctions where inner edges reach it.
        assert_eq!(uses.iter().filter(|&&u| u == 1).count(), 4);
        // Borders: the outer arcs, and the two inner arcs between group 0 and group 1.
        assert_eq!(t.borders.len(), 6);
        // Each village's ring is its square, counter-clockwise.
        for (f, g) in t.features.iter().zip(&g) {
            let ring = t.ring_coordinates(&f[0][0]);
            assert_eq!(ring.first(), ring.last());
            assert_eq!(ring.len(), 5, "4 corners + closing (no extra points)");
            let area: f64 = ring
                .windows(2)
                .map(|w| w[0].0 * w[1].1 - w[1].0 * w[0].1)
                .sum();
            assert_eq!(area, 2.0, "unit square, counter-clockwise");
            let xs: Vec<f64> = g.0[0].exterior().0.iter().map(|c| c.x).collect();
            assert!(ring.iter().all(|p| xs.contains(&p.0)));
        }
    }

    #[test]
    fn a_shared_wiggly_border_stays_shared_after_simplification() {
        // Two villages share a border with small wiggles; simplified, both keep exactly the
        // same points along it, so no gap and no overlap can open between them.
        let wiggle: Vec<(f64, f64)> = (0..=20)
            .map(|i| (1.0 + if i % 2 == 0 { 0.0 } else { 0.01 }, i as f64 / 20.0))
            .collect();
        let mut left = vec![(0.0, 0.0)];
        left.extend(wiggle.iter().copied());
        left.push((0.0, 1.0));
        left.push((0.0, 0.0));
        let mut right: Vec<(f64, f64)> = wiggle.iter().rev().copied().collect();
        right.insert(0, (2.0, 1.0));
        right.insert(0, (2.0, 0.0));
        right.push((2.0, 0.0));
        let mp = |pts: &[(f64, f64)]| {
            MultiPolygon(vec![Polygon::new(
                LineString(pts.iter().map(|&(x, y)| Coord { x, y }).collect()),
                vec![],
            )])
        };
        let mut t = Topology::build(&[mp(&left), mp(&right)], &[0, 0], 0.001);
        t.simplify(0.05);
        let shared = |f: usize| -> Vec<(i64, i64)> {
            let ring = t.ring_coordinates(&t.features[f][0][0]);
            let mut on: Vec<(i64, i64)> = ring
                .iter()
                .filter(|p| p.0 > 0.5 && p.0 < 1.5)
                .map(|p| ((p.0 * 1000.0).round() as i64, (p.1 * 1000.0).round() as i64))
                .collect();
            on.sort();
            on.dedup();
            on
        };
        assert_eq!(shared(0), shared(1));
        // The wiggles (1 cm of a degree) are below the tolerance: the border is straight.
        assert_eq!(shared(0), vec![(1000, 0), (1000, 1000)]);
        assert_eq!(
            t.borders.len(),
            2,
            "the two outer arcs; the shared one is inside"
        );
    }

    #[test]
    fn a_village_inside_another_shares_its_ring_with_the_hole() {
        // A kelurahan enclosed by a desa: the desa's hole and the kelurahan's exterior are the
        // same closed arc, read in opposite directions.
        let c = |x: f64, y: f64| Coord { x, y };
        let hole = LineString(vec![
            c(1.0, 1.0),
            c(2.0, 1.0),
            c(2.0, 2.0),
            c(1.0, 2.0),
            c(1.0, 1.0),
        ]);
        let outer = MultiPolygon(vec![Polygon::new(
            square(0.0, 0.0, 3.0).0[0].exterior().clone(),
            vec![hole],
        )]);
        let t = Topology::build(&[outer, square(1.0, 1.0, 1.0)], &[0, 1], 1.0);
        assert_eq!(t.arcs.len(), 2);
        let hole_ref = t.features[0][0][1][0];
        let inner_ref = t.features[1][0][0][0];
        assert_eq!(arc_index(hole_ref), arc_index(inner_ref));
        assert_ne!(hole_ref < 0, inner_ref < 0, "opposite directions");
    }

    #[test]
    fn a_tiny_ring_is_kept_whole_rather_than_collapsed() {
        let mut t = Topology::build(&[square(0.0, 0.0, 0.01)], &[0], 0.001);
        t.simplify(1.0);
        assert_eq!(t.ring_coordinates(&t.features[0][0][0]).len(), 5);
    }

    #[test]
    fn douglas_peucker_by_hand() {
        // (0,0) (1,0.4) (2,0) (3,3) (4,0): with tolerance 0.5, (1,0.4) goes, (3,3) stays.
        let arc = [(0, 0), (10, 4), (20, 0), (30, 30), (40, 0)];
        assert_eq!(
            simplify_arc(&arc, 5.0),
            vec![(0, 0), (20, 0), (30, 30), (40, 0)]
        );
        assert_eq!(simplify_arc(&arc, 3.0), arc.to_vec());
    }
}
