//! Every GeoJSON layer a run writes, read back with the georust `geojson` crate (an
//! independent parser) and checked against RFC 7946 and the data contract: a
//! FeatureCollection; Polygon/MultiPolygon villages with closed rings, exteriors
//! counter-clockwise and holes clockwise; lon/lat in range; one feature per village, with
//! the contract's property names and types.

mod common;
use common::*;
use geojson::{FeatureCollection, GeometryValue, Position};

/// Twice the signed area of a ring (positive when counter-clockwise).
fn signed_area2(ring: &[Position]) -> f64 {
    ring.windows(2)
        .map(|w| w[0][0] * w[1][1] - w[1][0] * w[0][1])
        .sum()
}

fn check_polygon(rings: &[Vec<Position>], where_: &str) {
    assert!(!rings.is_empty(), "{where_}: a polygon without rings");
    for (k, ring) in rings.iter().enumerate() {
        assert!(
            ring.len() >= 4,
            "{where_}: ring {k} has {} positions",
            ring.len()
        );
        assert_eq!(
            ring.first().map(|p| p.as_slice()),
            ring.last().map(|p| p.as_slice()),
            "{where_}: ring {k} is not closed"
        );
        for p in ring {
            assert!(
                (-180.0..=180.0).contains(&p[0]) && (-90.0..=90.0).contains(&p[1]),
                "{where_}: {:?} is not lon/lat",
                p.as_slice()
            );
        }
        let a = signed_area2(ring);
        if k == 0 {
            assert!(a > 0.0, "{where_}: exterior ring is not counter-clockwise");
        } else {
            assert!(a < 0.0, "{where_}: hole {k} is not clockwise");
        }
    }
}

#[test]
fn every_layer_is_rfc7946_geojson_by_an_independent_reader() {
    let (dir, _) = fresh_sample();
    let out = tempfile::tempdir().unwrap();
    let out = out.path().join("out");
    run_ok(&dir.path().join("job.toml"), &out, &[]);
    let mut layers = 0;
    for entry in std::fs::read_dir(&out).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "geojson") {
            continue;
        }
        layers += 1;
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let fc: FeatureCollection = std::fs::read_to_string(&path)
            .unwrap()
            .parse()
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        for (i, f) in fc.features.iter().enumerate() {
            let where_ = format!("{name} feature {i}");
            let g = f
                .geometry
                .as_ref()
                .unwrap_or_else(|| panic!("{where_}: no geometry"));
            match &g.value {
                GeometryValue::Polygon { coordinates } => check_polygon(coordinates, &where_),
                GeometryValue::MultiPolygon { coordinates } => {
                    coordinates.iter().for_each(|p| check_polygon(p, &where_))
                }
                GeometryValue::Point { coordinates } => {
                    assert!((-180.0..=180.0).contains(&coordinates[0]), "{where_}")
                }
                other => panic!("{where_}: unexpected geometry {other:?}"),
            }
        }
        if name == "villages.geojson" {
            assert_eq!(
                fc.features.len(),
                1552,
                "one feature per village of Banten, the sample"
            );
            for f in &fc.features {
                let p = f.properties.as_ref().unwrap();
                for key in [
                    "kode_desa",
                    "desa",
                    "kecamatan",
                    "kabupaten",
                    "lisa_cluster",
                ] {
                    assert!(p[key].is_string(), "{key}: {}", p[key]);
                }
                for key in [
                    "risk_score",
                    "gi_z",
                    "gi_p",
                    "lisa_p",
                    "coverage",
                    "coverage_gap",
                    "population",
                ] {
                    assert!(p[key].is_number() || p[key].is_null(), "{key}: {}", p[key]);
                }
                assert!(p["risk_rank"].is_u64() && p["desa_binaan"].is_boolean());
                assert!(p["recommended_rank"].is_u64() || p["recommended_rank"].is_null());
                let score = p["risk_score"].as_f64();
                assert!(
                    score.is_none_or(|s| (0.0..=10.0).contains(&s)),
                    "risk_score {score:?}"
                );
            }
        }
    }
    assert!(layers >= 6, "{layers} layers");
}
