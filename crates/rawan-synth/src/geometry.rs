//! A tiled landscape: a jittered lattice whose cells are villages. Every edge's wiggle points
//! are a pure function of the edge's identity, so the two villages on either side of an edge
//! carry bit-identical coordinates — contiguity is exact, as in real boundary files.

use geo_types::{Coord, LineString, MultiPolygon, Polygon};

/// Lattice geometry: `cols × rows` cells of `cell_deg` degrees from (`lon0`, `lat0`).
#[derive(Debug, Clone, Copy)]
pub struct Lattice {
    pub cols: u32,
    pub rows: u32,
    pub lon0: f64,
    pub lat0: f64,
    pub cell_deg: f64,
    pub seed: u64,
}

/// SplitMix64: a tiny, well-known mixer, used to hash lattice positions to jitter.
pub(crate) fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Uniform in [-1, 1) from a key.
pub(crate) fn unit(key: u64) -> f64 {
    (mix(key) >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
}

impl Lattice {
    fn key(&self, kind: u64, i: u32, j: u32) -> u64 {
        self.seed ^ (kind << 56) ^ ((i as u64) << 28) ^ j as u64
    }

    /// Corner (i, j) of the lattice, jittered by up to 30 % of a cell.
    pub fn corner(&self, i: u32, j: u32) -> Coord<f64> {
        let jx = 0.3 * unit(self.key(1, i, j));
        let jy = 0.3 * unit(self.key(2, i, j));
        Coord {
            x: self.lon0 + (i as f64 + jx) * self.cell_deg,
            y: self.lat0 + (j as f64 + jy) * self.cell_deg,
        }
    }

    /// Two wiggle points on the edge from `a` to `b`, pushed sideways by up to 12 % of the
    /// edge's length, keyed by the edge so both neighbours compute the same points.
    fn wiggle(&self, a: Coord<f64>, b: Coord<f64>, key: u64) -> [Coord<f64>; 2] {
        let (dx, dy) = (b.x - a.x, b.y - a.y);
        let (nx, ny) = (-dy, dx);
        let s1 = 0.12 * unit(key);
        let s2 = 0.12 * unit(key ^ 0xABCD);
        [
            Coord {
                x: a.x + dx / 3.0 + nx * s1,
                y: a.y + dy / 3.0 + ny * s1,
            },
            Coord {
                x: a.x + 2.0 * dx / 3.0 + nx * s2,
                y: a.y + 2.0 * dy / 3.0 + ny * s2,
            },
        ]
    }

    /// Bottom edge of cell (i, j): from corner (i, j) to (i+1, j).
    fn h_edge(&self, i: u32, j: u32) -> [Coord<f64>; 2] {
        self.wiggle(self.corner(i, j), self.corner(i + 1, j), self.key(3, i, j))
    }

    /// Left edge of cell (i, j): from corner (i, j) to (i, j+1).
    fn v_edge(&self, i: u32, j: u32) -> [Coord<f64>; 2] {
        self.wiggle(self.corner(i, j), self.corner(i, j + 1), self.key(4, i, j))
    }

    /// The cell's boundary ring, counter-clockwise (closed).
    pub fn cell_ring(&self, i: u32, j: u32) -> Vec<Coord<f64>> {
        let mut r = Vec::with_capacity(13);
        r.push(self.corner(i, j));
        r.extend(self.h_edge(i, j));
        r.push(self.corner(i + 1, j));
        r.extend(self.v_edge(i + 1, j));
        r.push(self.corner(i + 1, j + 1));
        let [a, b] = self.h_edge(i, j + 1);
        r.extend([b, a]);
        r.push(self.corner(i, j + 1));
        let [a, b] = self.v_edge(i, j);
        r.extend([b, a]);
        r.push(r[0]);
        r
    }

    /// Centre of cell (i, j) (the average of its four corners).
    pub fn cell_centre(&self, i: u32, j: u32) -> Coord<f64> {
        let c = [
            self.corner(i, j),
            self.corner(i + 1, j),
            self.corner(i + 1, j + 1),
            self.corner(i, j + 1),
        ];
        Coord {
            x: c.iter().map(|p| p.x).sum::<f64>() / 4.0,
            y: c.iter().map(|p| p.y).sum::<f64>() / 4.0,
        }
    }
}

/// A small convex blob (octagon) around `c`, counter-clockwise and closed.
pub fn blob(c: Coord<f64>, radius: f64) -> Vec<Coord<f64>> {
    let mut r: Vec<Coord<f64>> = (0..8)
        .map(|k| {
            let a = k as f64 * std::f64::consts::TAU / 8.0;
            Coord {
                x: c.x + radius * a.cos(),
                y: c.y + radius * a.sin(),
            }
        })
        .collect();
    r.push(r[0]);
    r
}

pub fn polygon(exterior: Vec<Coord<f64>>, holes: Vec<Vec<Coord<f64>>>) -> Polygon<f64> {
    Polygon::new(
        LineString::new(exterior),
        holes.into_iter().map(LineString::new).collect(),
    )
}

pub fn single(p: Polygon<f64>) -> MultiPolygon<f64> {
    MultiPolygon::new(vec![p])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neighbouring_cells_share_their_edge_points_exactly() {
        let l = Lattice {
            cols: 3,
            rows: 3,
            lon0: 106.0,
            lat0: -6.5,
            cell_deg: 0.025,
            seed: 7,
        };
        let a = l.cell_ring(0, 0);
        let b = l.cell_ring(1, 0);
        // a's right edge: corner(1,0), v_edge(1,0), corner(1,1) = indices 3..=6
        // b's left edge reversed: indices 9..=12 -> corner(1,1), v(1,0) reversed, corner(1,0)
        let right: Vec<_> = a[3..=6].to_vec();
        let mut left: Vec<_> = b[9..=12].to_vec();
        left.reverse();
        assert_eq!(right, left);
    }

    #[test]
    fn cell_rings_are_counter_clockwise() {
        let l = Lattice {
            cols: 2,
            rows: 2,
            lon0: 0.0,
            lat0: 0.0,
            cell_deg: 1.0,
            seed: 1,
        };
        let r = l.cell_ring(0, 0);
        let twice_area: f64 = r
            .windows(2)
            .map(|w| w[0].x * w[1].y - w[1].x * w[0].y)
            .sum();
        assert!(twice_area > 0.0);
    }
}
