//! Contiguity from polygons, robust to the slivers of simplified boundary files.
//!
//! Two villages are neighbours when a vertex of one lies within `snap_tolerance_m` of the
//! other's boundary (any ring, any part). Queen contiguity needs one such contact; rook needs
//! a shared stretch of boundary: at least two distinct contact vertices on one side, so that
//! villages meeting only at a corner are not rook neighbours. Distances are measured in a
//! local equirectangular projection (metres), accurate to well under 1 % near the equator.
//!
//! Villages left without a neighbour (islands) are linked to their `island_neighbours`
//! nearest villages by centroid distance, symmetrically, unless that is set to 0.

use crate::weights::{NeighbourSource, Weights};
use geo::{Centroid, MultiPolygon};
use rawan_core::settings::Contiguity;
use rayon::prelude::*;
use rstar::primitives::{GeomWithData, Line};
use rstar::{AABB, PointDistance, RTree};
use std::borrow::Borrow;

#[derive(Debug, Clone, Copy)]
pub struct ContiguityOptions {
    pub kind: Contiguity,
    pub snap_tolerance_m: f64,
    pub island_neighbours: usize,
}

const M_PER_DEG_LAT: f64 = 110_574.0;
const M_PER_DEG_LON_EQ: f64 = 111_320.0;

/// Builds the weights for `polygons` (lon/lat): owned, or borrowed from the villages.
pub fn contiguity_weights<P: Borrow<MultiPolygon<f64>> + Sync>(
    polygons: &[P],
    opts: ContiguityOptions,
) -> Weights {
    let n = polygons.len();
    let lat0 = {
        let (s, c) = polygons
            .iter()
            .flat_map(|m| m.borrow().0.iter())
            .flat_map(|p| p.exterior().0.iter())
            .fold((0.0, 0usize), |(s, c), p| (s + p.y, c + 1));
        if c > 0 { s / c as f64 } else { 0.0 }
    };
    let kx = M_PER_DEG_LON_EQ * lat0.to_radians().cos();
    let project = |x: f64, y: f64| [x * kx, y * M_PER_DEG_LAT];
    // Every boundary segment, tagged with its village.
    let segments: Vec<Segment> = polygons
        .par_iter()
        .enumerate()
        .flat_map_iter(|(id, mp)| {
            mp.borrow()
                .0
                .iter()
                .flat_map(|poly| std::iter::once(poly.exterior()).chain(poly.interiors()))
                .flat_map(move |ring| {
                    ring.0.windows(2).filter_map(move |w| {
                        let a = project(w[0].x, w[0].y);
                        let b = project(w[1].x, w[1].y);
                        (a != b).then(|| GeomWithData::new(Line::new(a, b), id as u32))
                    })
                })
        })
        .collect();
    let grid = SegmentGrid::new(segments, opts.snap_tolerance_m);
    let tol2 = opts.snap_tolerance_m * opts.snap_tolerance_m;
    let need = match opts.kind {
        Contiguity::Queen => 1,
        Contiguity::Rook => 2,
    };
    let contacts: Vec<Vec<(u32, u32)>> = polygons
        .par_iter()
        .enumerate()
        .map(|(id, mp)| {
            // Per other village: its distinct contact vertices, counted only up to `need`
            // (all the decision below looks at), and the first one, to tell a second apart.
            // Once a village has `need` of them its segments are not measured again.
            let mut found: Vec<(u32, u32, [u64; 2])> = Vec::new();
            for ring in mp
                .borrow()
                .0
                .iter()
                .flat_map(|poly| std::iter::once(poly.exterior()).chain(poly.interiors()))
            {
                for c in &ring.0[..ring.0.len().saturating_sub(1)] {
                    let p = project(c.x, c.y);
                    let vertex = [c.x.to_bits(), c.y.to_bits()];
                    grid.near(p, |seg| {
                        if seg.data == id as u32 {
                            return;
                        }
                        let known = found.iter().position(|f| f.0 == seg.data);
                        if known.is_some_and(|k| found[k].1 >= need)
                            || seg.geom().distance_2(&p) > tol2
                        {
                            return;
                        }
                        match known {
                            None => found.push((seg.data, 1, vertex)),
                            Some(k) if found[k].2 != vertex => found[k].1 += 1,
                            Some(_) => {}
                        }
                    });
                }
            }
            found.sort_unstable_by_key(|f| f.0);
            found
                .into_iter()
                .map(|(other, count, _)| (other, count))
                .collect::<Vec<(u32, u32)>>()
        })
        .collect();
    let mut lists: Vec<Vec<u32>> = vec![Vec::new(); n];
    for (a, list) in contacts.iter().enumerate() {
        for &(b, cnt_ab) in list {
            let cnt_ba = contacts[b as usize]
                .iter()
                .find(|(o, _)| *o as usize == a)
                .map(|x| x.1)
                .unwrap_or(0);
            if cnt_ab.max(cnt_ba) >= need {
                lists[a].push(b);
                lists[b as usize].push(a as u32);
            }
        }
    }
    let mut w = Weights::from_lists(lists);
    if opts.island_neighbours > 0 {
        link_islands(&mut w, polygons, opts.island_neighbours, &project);
    }
    w
}

/// Gives each village without neighbours its k nearest villages (centroid distance).
type Segment = GeomWithData<Line<[f64; 2]>, u32>;

/// Boundary segments binned in a uniform grid (metres), for "which segments may lie within
/// the tolerance of this vertex" in one cell lookup: each segment is listed in every cell its
/// bounding box, grown by the tolerance, overlaps; so a vertex needs only its own cell. The
/// cell side is twice the mean segment length (at least twice the tolerance), made larger
/// only if the grid over the whole extent would have far more cells than segments. The rare
/// segment that would cover many cells (a long straight boundary) goes to a small R-tree
/// instead. Cells are stored row after row, each listing its segments in input order
/// (counted, then filled: no sort, no hashing). The grid decides only which candidates are
/// measured, never the answer.
struct SegmentGrid {
    side: f64,
    tol: f64,
    /// Cell coordinates of the first cell, and the grid's size in cells.
    origin: [i64; 2],
    size: [i64; 2],
    /// Where each cell's segments start in `listed` (one more entry than cells).
    starts: Vec<u32>,
    listed: Vec<u32>,
    segments: Vec<Segment>,
    long: RTree<Segment>,
}

/// Cells a segment may cover before it goes to the R-tree of long segments.
const MAX_CELLS: i64 = 16;

impl SegmentGrid {
    fn new(segments: Vec<Segment>, tol: f64) -> SegmentGrid {
        let mean_len = if segments.is_empty() {
            1.0
        } else {
            segments
                .par_iter()
                .map(|s| {
                    let (a, b) = (s.geom().from, s.geom().to);
                    ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt()
                })
                .sum::<f64>()
                / segments.len() as f64
        };
        let (lo, hi) = segments
            .par_iter()
            .map(|s| {
                let (a, b) = (s.geom().from, s.geom().to);
                (
                    [a[0].min(b[0]), a[1].min(b[1])],
                    [a[0].max(b[0]), a[1].max(b[1])],
                )
            })
            .reduce(
                || ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]),
                |(l1, h1), (l2, h2)| {
                    (
                        [l1[0].min(l2[0]), l1[1].min(l2[1])],
                        [h1[0].max(h2[0]), h1[1].max(h2[1])],
                    )
                },
            );
        let (lo, hi) = if segments.is_empty() {
            ([0.0; 2], [0.0; 2])
        } else {
            ([lo[0] - tol, lo[1] - tol], [hi[0] + tol, hi[1] + tol])
        };
        let mut side = (2.0 * mean_len).max(2.0 * tol).max(1e-6);
        let extent = |side: f64| {
            [
                cell(hi[0], side) - cell(lo[0], side) + 1,
                cell(hi[1], side) - cell(lo[1], side) + 1,
            ]
        };
        let most_cells = (4 * segments.len() as i64).max(1 << 16);
        while extent(side)[0].saturating_mul(extent(side)[1]) > most_cells {
            side *= 2.0;
        }
        let (origin, size) = ([cell(lo[0], side), cell(lo[1], side)], extent(side));
        // The cells a segment's box, grown by the tolerance, covers; None when that is more
        // than MAX_CELLS (the segment then goes to the R-tree of long segments).
        let cells_of = |s: &Segment| {
            let (a, b) = (s.geom().from, s.geom().to);
            let lo = [
                cell(a[0].min(b[0]) - tol, side),
                cell(a[1].min(b[1]) - tol, side),
            ];
            let hi = [
                cell(a[0].max(b[0]) + tol, side),
                cell(a[1].max(b[1]) + tol, side),
            ];
            ((hi[0] - lo[0] + 1) * (hi[1] - lo[1] + 1) <= MAX_CELLS).then_some((lo, hi))
        };
        let covered: Vec<Option<([i64; 2], [i64; 2])>> =
            segments.par_iter().map(cells_of).collect();
        let index = |x: i64, y: i64| ((x - origin[0]) * size[1] + (y - origin[1])) as usize;
        let cells = (size[0] * size[1]) as usize;
        let mut starts = vec![0u32; cells + 1];
        for (lo, hi) in covered.iter().flatten() {
            for x in lo[0]..=hi[0] {
                for y in lo[1]..=hi[1] {
                    starts[index(x, y) + 1] += 1;
                }
            }
        }
        for c in 0..cells {
            starts[c + 1] += starts[c];
        }
        let mut next = starts.clone();
        let mut listed = vec![0u32; starts[cells] as usize];
        for (k, (lo, hi)) in covered
            .iter()
            .enumerate()
            .filter_map(|(k, c)| c.map(|c| (k, c)))
        {
            for x in lo[0]..=hi[0] {
                for y in lo[1]..=hi[1] {
                    let at = &mut next[index(x, y)];
                    listed[*at as usize] = k as u32;
                    *at += 1;
                }
            }
        }
        let long: Vec<Segment> = segments
            .iter()
            .zip(&covered)
            .filter(|(_, c)| c.is_none())
            .map(|(s, _)| *s)
            .collect();
        SegmentGrid {
            side,
            tol,
            origin,
            size,
            starts,
            listed,
            segments,
            long: RTree::bulk_load(long),
        }
    }

    /// Calls `f` with every segment that may lie within the tolerance of `p` (and others).
    fn near(&self, p: [f64; 2], mut f: impl FnMut(&Segment)) {
        let (x, y) = (
            cell(p[0], self.side) - self.origin[0],
            cell(p[1], self.side) - self.origin[1],
        );
        if (0..self.size[0]).contains(&x) && (0..self.size[1]).contains(&y) {
            let c = (x * self.size[1] + y) as usize;
            for &k in &self.listed[self.starts[c] as usize..self.starts[c + 1] as usize] {
                f(&self.segments[k as usize]);
            }
        }
        if self.long.size() > 0 {
            let t = self.tol;
            for s in self
                .long
                .locate_in_envelope_intersecting(&AABB::from_corners(
                    [p[0] - t, p[1] - t],
                    [p[0] + t, p[1] + t],
                ))
            {
                f(s);
            }
        }
    }
}

fn cell(v: f64, side: f64) -> i64 {
    (v / side).floor() as i64
}

fn link_islands<P: Borrow<MultiPolygon<f64>>>(
    w: &mut Weights,
    polygons: &[P],
    k: usize,
    project: &dyn Fn(f64, f64) -> [f64; 2],
) {
    let islands = w.islands();
    if islands.is_empty() || w.len() < 2 {
        return;
    }
    let centroids: Vec<[f64; 2]> = polygons
        .iter()
        .map(|m| {
            m.borrow()
                .centroid()
                .map(|c| project(c.x(), c.y()))
                .unwrap_or([f64::NAN, f64::NAN])
        })
        .collect();
    let tree = RTree::bulk_load(
        centroids
            .iter()
            .enumerate()
            .filter(|(_, c)| c[0].is_finite())
            .map(|(i, c)| GeomWithData::new(*c, i as u32))
            .collect::<Vec<_>>(),
    );
    let mut lists: Vec<Vec<u32>> = (0..w.len()).map(|i| w.neighbours(i).to_vec()).collect();
    let mut linked = Vec::new();
    for &i in &islands {
        if !centroids[i][0].is_finite() {
            continue;
        }
        for nb in tree
            .nearest_neighbor_iter(&centroids[i])
            .filter(|p| p.data as usize != i)
            .take(k)
        {
            lists[i].push(nb.data);
            lists[nb.data as usize].push(i as u32);
        }
        linked.push(i);
    }
    let source = w.source.clone();
    *w = Weights::from_lists(lists);
    for (i, s) in source.into_iter().enumerate() {
        if s == NeighbourSource::Contiguity {
            w.source[i] = s;
        }
    }
    for i in linked {
        w.source[i] = NeighbourSource::Nearest;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{MultiPolygon, polygon};

    fn square(x: f64, y: f64, s: f64) -> MultiPolygon<f64> {
        MultiPolygon::new(vec![
            polygon![(x: x, y: y), (x: x + s, y: y), (x: x + s, y: y + s), (x: x, y: y + s), (x: x, y: y)],
        ])
    }

    /// A 3 × 3 grid of 0.01° squares, numbered row by row from the south-west.
    fn grid() -> Vec<MultiPolygon<f64>> {
        (0..9)
            .map(|k| {
                square(
                    106.0 + (k % 3) as f64 * 0.01,
                    -6.0 + (k / 3) as f64 * 0.01,
                    0.01,
                )
            })
            .collect()
    }

    fn opts(kind: Contiguity) -> ContiguityOptions {
        ContiguityOptions {
            kind,
            snap_tolerance_m: 1.0,
            island_neighbours: 0,
        }
    }

    #[test]
    fn queen_and_rook_on_a_grid() {
        let q = contiguity_weights(&grid(), opts(Contiguity::Queen));
        let r = contiguity_weights(&grid(), opts(Contiguity::Rook));
        // The centre touches all 8 (queen) and 4 by an edge (rook).
        assert_eq!(q.neighbours(4), &[0, 1, 2, 3, 5, 6, 7, 8]);
        assert_eq!(r.neighbours(4), &[1, 3, 5, 7]);
        // A corner: 3 queen, 2 rook.
        assert_eq!(q.neighbours(0), &[1, 3, 4]);
        assert_eq!(r.neighbours(0), &[1, 3]);
    }

    #[test]
    fn a_sliver_gap_is_bridged_by_the_tolerance_only() {
        // Two squares 0.0001° (≈ 11 m) apart, with no shared vertex.
        let a = square(106.0, -6.0, 0.01);
        let b = square(106.0101, -6.0, 0.01);
        let tight = contiguity_weights(
            &[a.clone(), b.clone()],
            ContiguityOptions {
                kind: Contiguity::Rook,
                snap_tolerance_m: 5.0,
                island_neighbours: 0,
            },
        );
        assert_eq!(tight.cardinality(0), 0);
        let loose = contiguity_weights(
            &[a, b],
            ContiguityOptions {
                kind: Contiguity::Rook,
                snap_tolerance_m: 25.0,
                island_neighbours: 0,
            },
        );
        assert_eq!(loose.neighbours(0), &[1]);
    }

    #[test]
    fn islands_get_their_nearest_villages() {
        let mut p = grid();
        p.push(square(106.10, -6.0, 0.005)); // far east of square 2
        let w = contiguity_weights(
            &p,
            ContiguityOptions {
                kind: Contiguity::Queen,
                snap_tolerance_m: 1.0,
                island_neighbours: 2,
            },
        );
        assert_eq!(w.neighbours(9), &[2, 5]);
        assert!(w.neighbours(2).contains(&9), "links are symmetric");
        assert_eq!(w.source[9], NeighbourSource::Nearest);
        assert_eq!(w.source[2], NeighbourSource::Contiguity);
        let w0 = contiguity_weights(&p, opts(Contiguity::Queen));
        assert_eq!(w0.islands(), vec![9]);
    }

    /// Small villages spread over a wide extent (two pairs of 10 m squares some 2,000 km
    /// apart): the grid grows its cells rather than span the gap with millions of empty
    /// ones, and still finds exactly the two touching pairs.
    #[test]
    fn small_villages_far_apart_keep_a_small_grid() {
        let d = 0.0001; // about 11 m
        let p = vec![
            square(95.0, 5.0, d),
            square(95.0 + d, 5.0, d),
            square(113.0, -8.0, d),
            square(113.0, -8.0 + d, d),
        ];
        let w = contiguity_weights(&p, opts(Contiguity::Rook));
        assert_eq!(
            (w.neighbours(0), w.neighbours(1)),
            (&[1u32][..], &[0u32][..])
        );
        assert_eq!(
            (w.neighbours(2), w.neighbours(3)),
            (&[3u32][..], &[2u32][..])
        );
    }

    /// A long straight boundary (here 1°, about 111 km, covering far more grid cells than a
    /// short one) is found through the R-tree of long segments: each of 100 small squares
    /// along it is a rook neighbour of the long strip, and of the squares beside it.
    #[test]
    fn a_long_straight_boundary_still_finds_its_neighbours() {
        let strip = MultiPolygon::new(vec![
            polygon![(x: 106.0, y: -6.01), (x: 107.0, y: -6.01), (x: 107.0, y: -6.0), (x: 106.0, y: -6.0), (x: 106.0, y: -6.01)],
        ]);
        let mut p = vec![strip];
        p.extend((0..100).map(|k| square(106.0 + k as f64 * 0.01, -6.0, 0.01)));
        let w = contiguity_weights(&p, opts(Contiguity::Rook));
        assert_eq!(w.neighbours(0), (1..=100).collect::<Vec<u32>>().as_slice());
        assert_eq!(w.neighbours(50), &[0, 49, 51]);
    }
}
