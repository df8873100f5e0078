//! The rank Monte Carlo alone at national scale (84,128 villages, 200 runs), with the five
//! built-in indicators and with two of the analyst's added (one-indicator vulnerability and
//! coping-capacity dimensions), single-threaded so that runs compare:
//!
//!     cargo run --release -p rawan-model --example monte_carlo_speed

use rawan_core::settings::Aggregation;
use rawan_model::composite::{CompositeConfig, Normalisation, Shape};
use rawan_model::indicators::{Dimension, Direction, Transform};
use std::time::Instant;

fn main() {
    let n = 84_128;
    let shape = |dimension, transform| Shape {
        dimension,
        transform,
        direction: Direction::HigherIsRiskier,
    };
    let builtin = vec![
        shape(Dimension::Exposure, Transform::Log1p),
        shape(Dimension::Exposure, Transform::None),
        shape(Dimension::Exposure, Transform::None),
        shape(Dimension::Hazard, Transform::Log1p),
        shape(Dimension::Hazard, Transform::Log1p),
    ];
    let mut seven = builtin.clone();
    seven.push(shape(Dimension::Vulnerability, Transform::None));
    seven.push(shape(Dimension::CopingCapacity, Transform::None));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    for shapes in [builtin, seven] {
        let k = shapes.len();
        let mut state = 7u64;
        let raw: Vec<Vec<Option<f64>>> = (0..k)
            .map(|_| {
                (0..n)
                    .map(|_| {
                        state = state
                            .wrapping_mul(6364136223846793005)
                            .wrapping_add(1442695040888963407);
                        (!(state >> 40).is_multiple_of(50)).then(|| (state >> 20) as f64 / 1e12)
                    })
                    .collect()
            })
            .collect();
        let cfg = CompositeConfig {
            indicators: shapes,
            indicator_weights: [0.5, 0.3, 0.2, 0.7, 0.3, 1.0, 1.0][..k].to_vec(),
            dimension_weights: [0.5; 4],
            aggregation: Aggregation::Geometric,
            normalisation: Normalisation::MinMax,
        };
        let mut times = Vec::new();
        for _ in 0..3 {
            let t = Instant::now();
            let u = pool.install(|| {
                rawan_model::uncertainty::rank_uncertainty(&raw, &cfg, 200, 0.5, 50, 42)
            });
            times.push(t.elapsed().as_secs_f64());
            assert_eq!(u.rank_p05.len(), n);
        }
        println!(
            "{k} indicators: {} s (one thread, 200 runs)",
            times
                .iter()
                .map(|t| format!("{t:.3}"))
                .collect::<Vec<_>>()
                .join(" ")
        );
    }
}
