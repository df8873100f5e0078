//! Times the conditional permutations alone on a lattice of villages (queen, 8 neighbours
//! inside): `cargo run --release -p rawan-spatial --example permutation_speed -- 84000 999`.
use rawan_spatial::Weights;
use rawan_spatial::permutation::{conditional_permutation, counting_build, race_avx512_reads};

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(84_000);
    let permutations: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(999);
    let side = (n as f64).sqrt().ceil() as usize;
    let mut pairs = Vec::new();
    for i in 0..n {
        let (r, c) = (i / side, i % side);
        for (dr, dc) in [(0, 1), (1, -1), (1, 0), (1, 1)] {
            let (r2, c2) = (r as i64 + dr, c as i64 + dc);
            if r2 >= 0 && c2 >= 0 && (c2 as usize) < side && (r2 as usize * side + c2 as usize) < n
            {
                pairs.push((i as u32, (r2 as usize * side + c2 as usize) as u32));
            }
        }
    }
    let w = Weights::from_pairs(n, &pairs);
    let x: Vec<f64> = (0..n).map(|i| ((i * 7919) % 1000) as f64 / 100.0).collect();
    let build = counting_build();
    if let Some((faster, best, other)) = race_avx512_reads() {
        println!(
            "AVX-512 reads raced here: {faster} faster ({:.2} ms against {:.2} ms)",
            best * 1e3,
            other * 1e3
        );
    }
    let t0 = std::time::Instant::now();
    let p = conditional_permutation(&x, &w, permutations, 1);
    let secs = t0.elapsed().as_secs_f64();
    let draws: usize = (0..n).map(|i| w.cardinality(i)).sum::<usize>() * permutations;
    let sig = p.gi_star.iter().flatten().filter(|&&v| v <= 0.05).count();
    println!(
        "{n} villages, {permutations} permutations, {draws} draws: {secs:.3} s ({:.2} ns per draw); {sig} with p <= 0.05; counting loop: {build}",
        secs * 1e9 / draws as f64
    );
}
