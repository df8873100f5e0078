//! Real village boundaries of Banten (data/boundaries, BIG field names): clockwise rings,
//! slivers between neighbours, MultiPolygon islands. Checks that rawan reads all 1,552 and
//! that its contiguity bridges the slivers.

mod common;
use common::*;
use rawan_core::RejectLog;
use rawan_core::settings::Contiguity;
use rawan_spatial::{ContiguityOptions, contiguity_weights};
use std::collections::BTreeMap;

fn banten() -> Vec<rawan_core::Village> {
    let mapping: BTreeMap<String, String> = [
        ("kode_desa", "KDEPUM"),
        ("desa", "WADMKD"),
        ("kecamatan", "WADMKC"),
        ("kabupaten", "WADMKK"),
        ("provinsi", "WADMPR"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    let mut log = RejectLog::default();
    let dir = tempfile::tempdir().unwrap();
    let (villages, tally) = rawan_ingest::villages::read_villages(
        &real_boundaries(dir.path(), "banten_desa.geojson"),
        &mapping,
        &mut log,
    )
    .unwrap();
    assert_eq!(
        (tally.read, tally.used, tally.rejected),
        (1552, 1552, 0),
        "{:?}",
        log.rejects
    );
    villages
}

#[test]
fn all_banten_villages_read_and_the_tolerance_bridges_slivers() {
    let v = banten();
    assert_eq!(v.iter().filter(|x| x.kode_desa.is_kelurahan()).count(), 314);
    assert_eq!(v.iter().filter(|x| x.geometry.0.len() > 1).count(), 48);
    let g: Vec<_> = v.iter().map(|x| x.geometry.clone()).collect();
    let exact = contiguity_weights(
        &g,
        ContiguityOptions {
            kind: Contiguity::Queen,
            snap_tolerance_m: 0.0,
            island_neighbours: 0,
        },
    );
    let snapped = contiguity_weights(
        &g,
        ContiguityOptions {
            kind: Contiguity::Queen,
            snap_tolerance_m: 25.0,
            island_neighbours: 0,
        },
    );
    let rook = contiguity_weights(
        &g,
        ContiguityOptions {
            kind: Contiguity::Rook,
            snap_tolerance_m: 25.0,
            island_neighbours: 0,
        },
    );
    // Slivers: the tolerance finds neighbours that exact vertex contact misses, and keeps
    // every exact neighbour.
    assert!(
        snapped.mean_cardinality() > exact.mean_cardinality(),
        "{} vs {}",
        snapped.mean_cardinality(),
        exact.mean_cardinality()
    );
    for i in 0..g.len() {
        for j in exact.neighbours(i) {
            assert!(snapped.neighbours(i).contains(j));
        }
        for j in rook.neighbours(i) {
            assert!(snapped.neighbours(i).contains(j), "rook ⊆ queen");
        }
    }
    // Plausible planar graph: mean around 5–7 neighbours, few villages alone.
    assert!(
        (4.5..8.0).contains(&snapped.mean_cardinality()),
        "{}",
        snapped.mean_cardinality()
    );
    assert!(snapped.islands().len() < 30, "{}", snapped.islands().len());
    let linked = contiguity_weights(
        &g,
        ContiguityOptions {
            kind: Contiguity::Queen,
            snap_tolerance_m: 25.0,
            island_neighbours: 2,
        },
    );
    assert!(linked.islands().is_empty());
}

/// The weights on real boundaries are the definition read literally (docs/methodology.md,
/// rawan_spatial::contiguity): A and B are neighbours when a vertex of one lies within the
/// tolerance of a segment of the other — for rook, at least two distinct such vertices on one
/// side. Here every vertex of every village is measured against every segment of every village
/// whose box, grown by the tolerance, meets its own (no grid, no early exit), in the same local
/// projection and with the same distance, on Banten's 1,552 villages, queen and rook, with and
/// without a tolerance.
#[test]
fn contiguity_on_real_boundaries_is_the_definition_read_literally() {
    use rstar::PointDistance;
    use rstar::primitives::Line;
    let v = banten();
    let g: Vec<_> = v.iter().map(|x| x.geometry.clone()).collect();
    // The module's projection: equirectangular at the mean latitude of the exterior rings.
    let (sum, count) = g
        .iter()
        .flat_map(|m| m.0.iter())
        .flat_map(|p| p.exterior().0.iter())
        .fold((0.0, 0usize), |(s, c), p| (s + p.y, c + 1));
    let kx = 111_320.0 * (sum / count as f64).to_radians().cos();
    let project = |x: f64, y: f64| [x * kx, y * 110_574.0];
    let rings = |m: &geo::MultiPolygon<f64>| {
        m.0.iter()
            .flat_map(|p| {
                std::iter::once(p.exterior().clone()).chain(p.interiors().iter().cloned())
            })
            .collect::<Vec<_>>()
    };
    let segments: Vec<Vec<Line<[f64; 2]>>> = g
        .iter()
        .map(|m| {
            rings(m)
                .iter()
                .flat_map(|r| {
                    r.0.windows(2)
                        .map(|w| (project(w[0].x, w[0].y), project(w[1].x, w[1].y)))
                        .filter(|(a, b)| a != b)
                        .map(|(a, b)| Line::new(a, b))
                        .collect::<Vec<_>>()
                })
                .collect()
        })
        .collect();
    let vertices: Vec<Vec<(geo::Coord<f64>, [f64; 2])>> = g
        .iter()
        .map(|m| {
            rings(m)
                .iter()
                .flat_map(|r| {
                    r.0[..r.0.len().saturating_sub(1)]
                        .iter()
                        .map(|c| (*c, project(c.x, c.y)))
                        .collect::<Vec<_>>()
                })
                .collect()
        })
        .collect();
    let boxes: Vec<[f64; 4]> = vertices
        .iter()
        .map(|vs| {
            vs.iter().fold(
                [
                    f64::INFINITY,
                    f64::INFINITY,
                    f64::NEG_INFINITY,
                    f64::NEG_INFINITY,
                ],
                |b, (_, p)| {
                    [
                        b[0].min(p[0]),
                        b[1].min(p[1]),
                        b[2].max(p[0]),
                        b[3].max(p[1]),
                    ]
                },
            )
        })
        .collect();
    for tol in [0.0, 25.0] {
        // Distinct contact vertices of a on b's boundary, for every pair whose boxes meet.
        let mut contacts = vec![BTreeMap::<usize, usize>::new(); g.len()];
        for a in 0..g.len() {
            for b in 0..g.len() {
                let (p, q) = (boxes[a], boxes[b]);
                if a == b
                    || p[0] > q[2] + tol + 1.0
                    || q[0] > p[2] + tol + 1.0
                    || p[1] > q[3] + tol + 1.0
                    || q[1] > p[3] + tol + 1.0
                {
                    continue;
                }
                let mut touching: Vec<[u64; 2]> = vertices[a]
                    .iter()
                    .filter(|(_, pt)| segments[b].iter().any(|s| s.distance_2(pt) <= tol * tol))
                    .map(|(c, _)| [c.x.to_bits(), c.y.to_bits()])
                    .collect();
                touching.sort_unstable();
                touching.dedup();
                if !touching.is_empty() {
                    contacts[a].insert(b, touching.len());
                }
            }
        }
        for (kind, need) in [(Contiguity::Queen, 1), (Contiguity::Rook, 2)] {
            let w = contiguity_weights(
                &g,
                ContiguityOptions {
                    kind,
                    snap_tolerance_m: tol,
                    island_neighbours: 0,
                },
            );
            for a in 0..g.len() {
                let mut want: Vec<u32> = (0..g.len())
                    .filter(|&b| {
                        contacts[a]
                            .get(&b)
                            .copied()
                            .unwrap_or(0)
                            .max(contacts[b].get(&a).copied().unwrap_or(0))
                            >= need
                    })
                    .map(|b| b as u32)
                    .collect();
                let mut got = w.neighbours(a).to_vec();
                want.sort_unstable();
                got.sort_unstable();
                assert_eq!(
                    got, want,
                    "village {} ({}), {kind:?}, tolerance {tol} m",
                    a, v[a].desa
                );
            }
        }
    }
}
