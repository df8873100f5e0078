//! The village layer read two ways, in turns: rawan's reader (each feature parsed by the
//! georust `geojson` crate side by side, then every check and reject) and the crate alone (a
//! whole FeatureCollection of owned features, then each (Multi)Polygon turned into
//! geo-types, no checks): what the checks and the parallel parse cost (docs/performance.md).
//!
//!     cargo run --release -p rawan-ingest --example geojson_crate_speed -- bench-data/v84000/villages.geojson

use std::time::Instant;

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: geojson_crate_speed VILLAGES.geojson");
    let path = std::path::Path::new(&path);
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for _ in 0..5 {
        let t = Instant::now();
        let mut log = rawan_core::RejectLog::default();
        let (villages, _) =
            rawan_ingest::villages::read_villages(path, &Default::default(), &mut log).unwrap();
        ours.push(t.elapsed().as_secs_f64());
        let n_ours = villages.len();
        drop(villages);

        let t = Instant::now();
        let text = std::fs::read_to_string(path).unwrap();
        let fc: geojson::FeatureCollection = text.parse().unwrap();
        let shapes: Vec<geo_types::MultiPolygon<f64>> = fc
            .features
            .iter()
            .map(|f| {
                let ring = |r: &Vec<geojson::Position>| {
                    geo_types::LineString(
                        r.iter()
                            .map(|p| geo_types::Coord { x: p[0], y: p[1] })
                            .collect(),
                    )
                };
                let poly = |p: &geojson::PolygonType| {
                    geo_types::Polygon::new(ring(&p[0]), p[1..].iter().map(ring).collect())
                };
                match &f.geometry.as_ref().unwrap().value {
                    geojson::GeometryValue::Polygon { coordinates } => {
                        geo_types::MultiPolygon(vec![poly(coordinates)])
                    }
                    geojson::GeometryValue::MultiPolygon { coordinates } => {
                        geo_types::MultiPolygon(coordinates.iter().map(poly).collect())
                    }
                    _ => panic!("not a polygon"),
                }
            })
            .collect();
        theirs.push(t.elapsed().as_secs_f64());
        assert_eq!(shapes.len(), n_ours);
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    println!(
        "rawan reader (parse, check, reject): {:?} s, median {:.3} s",
        ours.iter().map(|s| format!("{s:.3}")).collect::<Vec<_>>(),
        median(&mut ours.clone())
    );
    println!(
        "geojson crate (parse, to geo-types, no checks): {:?} s, median {:.3} s",
        theirs.iter().map(|s| format!("{s:.3}")).collect::<Vec<_>>(),
        median(&mut theirs.clone())
    );
}
