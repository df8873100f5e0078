//! The web map's topology on a real-size village layer: how long building the shared arcs
//! and simplifying them take, and how much smaller the result is (docs/performance.md).
//!
//!     cargo run --release -p rawan-publish --example web_map_speed -- bench-data/v84000/villages.geojson

use rawan_publish::web_map::{QUANTUM, TOLERANCE, topology::Topology};
use std::time::Instant;

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: web_map_speed VILLAGES.geojson");
    let mut log = rawan_core::RejectLog::default();
    let (villages, _) = rawan_ingest::villages::read_villages(
        std::path::Path::new(&path),
        &Default::default(),
        &mut log,
    )
    .unwrap();
    let mut kabupaten: Vec<&str> = villages.iter().map(|v| v.kabupaten.as_str()).collect();
    kabupaten.sort();
    kabupaten.dedup();
    let groups: Vec<u32> = villages
        .iter()
        .map(|v| kabupaten.binary_search(&v.kabupaten.as_str()).unwrap() as u32)
        .collect();
    let geometries: Vec<_> = villages.into_iter().map(|v| v.geometry).collect();
    let vertices: usize = geometries
        .iter()
        .flat_map(|g| &g.0)
        .map(|p| p.exterior().0.len() + p.interiors().iter().map(|r| r.0.len()).sum::<usize>())
        .sum();
    let (mut build, mut simplify) = (Vec::new(), Vec::new());
    let mut topo = None;
    for _ in 0..5 {
        let t = Instant::now();
        let mut tp = Topology::build(&geometries, &groups, QUANTUM);
        build.push(t.elapsed().as_secs_f64());
        let t = Instant::now();
        tp.simplify(TOLERANCE);
        simplify.push(t.elapsed().as_secs_f64());
        topo = Some(tp);
    }
    let topo = topo.unwrap();
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let kept: usize = topo.arcs.iter().map(Vec::len).sum();
    println!(
        "{} villages, {} vertices in; {} arcs, {} points kept, {} borders",
        geometries.len(),
        vertices,
        topo.arcs.len(),
        kept,
        topo.borders.len()
    );
    println!(
        "median of 5: build {:.3} s, simplify {:.3} s ({} threads)",
        median(&mut build),
        median(&mut simplify),
        rayon::current_num_threads()
    );
}
