//! Conditional permutation inference (Anselin 1995), as GeoDa and esda do it: village i keeps
//! its own value; its k_i neighbours' values are replaced by k_i values drawn at random
//! without replacement from the other n − 1 villages, `permutations` times. The pseudo
//! p-value is folded one-sided, as in esda:
//!
//! ```text
//! larger = #(permuted ≥ observed);  if permutations − larger < larger: larger = permutations − larger
//! p = (larger + 1) / (permutations + 1)
//! ```
//!
//! Gi* and Local Moran share each draw (both depend on the drawn values only through their
//! sum). Each village has its own random streams (Xoshiro256++, a portable generator) seeded
//! from (seed, village index), so results do not depend on the number of threads. With few
//! neighbours among many villages (the usual case) eight permutations are drawn side by side
//! ([`crate::lanes`], one stream per lane, AVX-512 where the processor has it); otherwise one
//! at a time from one stream.

use crate::lanes;
use crate::weights::Weights;
use rand::{RngCore, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use rayon::prelude::*;

/// Pseudo p-values per village; `None` where a village has no neighbours.
#[derive(Debug, Clone, PartialEq)]
pub struct PermutationP {
    pub gi_star: Vec<Option<f64>>,
    pub local_moran: Vec<Option<f64>>,
}

fn stream_seed(seed: u64, i: usize) -> u64 {
    let mut z = seed ^ (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn fold(larger: usize, permutations: usize) -> f64 {
    let l = if permutations - larger < larger {
        permutations - larger
    } else {
        larger
    };
    (l as f64 + 1.0) / (permutations as f64 + 1.0)
}

/// Draws uniformly from `0..range` by Lemire's multiply-and-reject method ("Fast random integer
/// generation in an interval", 2019): exact (no modulo bias), with the rejection threshold
/// `2³² mod range` computed once, because every village draws from a range of the same size.
#[derive(Clone, Copy)]
struct Bounded {
    range: u32,
    threshold: u32,
}

impl Bounded {
    fn new(range: u32) -> Bounded {
        Bounded {
            range,
            threshold: range.wrapping_neg() % range,
        }
    }

    #[inline(always)]
    fn draw(&self, rng: &mut Xoshiro256PlusPlus) -> u32 {
        loop {
            let m = u64::from(rng.next_u32()) * u64::from(self.range);
            if (m as u32) >= self.threshold {
                return (m >> 32) as u32;
            }
        }
    }
}

/// Draws k of the n − 1 villages other than village i, without replacement, each k-subset
/// equally likely.
///
/// With few neighbours among many villages a repeated index is rare, so all k are drawn at
/// once (independent loads, no data-dependent branch) and the whole set is drawn again in
/// the rare case of a repeat, which keeps every k-subset equally likely. Otherwise (k large
/// against n) the draws are one at a time, skipping repeats.
struct Sampler {
    bounded: Bounded,
    whole_sets: bool,
}

impl Sampler {
    fn new(n: usize, k: usize, bounded: Bounded) -> Sampler {
        Sampler {
            bounded,
            whole_sets: k * k.saturating_sub(1) / 2 <= (n - 1) / 32,
        }
    }

    /// Fills `drawn` (length k) and returns the sum of `x` over it.
    #[inline(always)]
    fn draw_sum(
        &self,
        rng: &mut Xoshiro256PlusPlus,
        i: usize,
        drawn: &mut [u32],
        x: &[f64],
    ) -> f64 {
        let draw = |rng: &mut Xoshiro256PlusPlus| {
            let r = self.bounded.draw(rng);
            r + u32::from(r as usize >= i)
        };
        if self.whole_sets {
            loop {
                let mut sum = 0.0;
                for slot in drawn.iter_mut() {
                    *slot = draw(rng);
                    sum += x[*slot as usize];
                }
                if lanes::all_distinct(drawn) {
                    return sum;
                }
            }
        }
        let mut sum = 0.0;
        let mut filled = 0;
        while filled < drawn.len() {
            let j = draw(rng);
            if !drawn[..filled].contains(&j) {
                drawn[filled] = j;
                filled += 1;
                sum += x[j as usize];
            }
        }
        sum
    }
}

/// Which build of the counting loop runs on this processor ([`crate::lanes`]), in words:
/// benchmarks report it beside their times.
pub fn counting_build() -> &'static str {
    lanes::best_name()
}

/// Races the two AVX-512 ways of reading neighbours' values on this processor (for the
/// `permutation_speed` example): the faster one's name and both best times in seconds.
/// `None` without AVX-512. Runs choose by processor, not by this race.
pub fn race_avx512_reads() -> Option<(&'static str, f64, f64)> {
    lanes::race_avx512_reads()
}

/// Runs the conditional permutations for Gi* and Local Moran on `x`.
///
/// Both statistics are monotone in the sum S of the drawn values: Gi* increases with S, and
/// Local Moran z_i · (S/k − x̄) increases with S when z_i > 0 and decreases when z_i < 0. So
/// one count of draws with S ≥ S_obs and one with S ≤ S_obs give both p-values (for z_i = 0
/// every permuted Local Moran equals the observed 0, counted as larger, as esda does).
pub fn conditional_permutation(
    x: &[f64],
    w: &Weights,
    permutations: usize,
    seed: u64,
) -> PermutationP {
    let n = x.len();
    let mean = x.iter().sum::<f64>() / n as f64;
    let bounded = Bounded::new(n.saturating_sub(1).max(1) as u32);
    let count = lanes::best_count();
    let results: Vec<(Option<f64>, Option<f64>)> = (0..n)
        .into_par_iter()
        .map(|i| {
            let nb = w.neighbours(i);
            let k = nb.len();
            if k == 0 || permutations == 0 || k + 1 > n {
                return (None, None);
            }
            let obs_sum: f64 = nb.iter().map(|&j| x[j as usize]).sum();
            let sampler = Sampler::new(n, k, bounded);
            let (at_least, at_most) = if sampler.whole_sets && k <= lanes::MAX_K {
                let village = lanes::Village {
                    x,
                    i: i as u32,
                    k,
                    observed: obs_sum,
                    range: bounded.range,
                    threshold: bounded.threshold,
                };
                count(
                    &mut lanes::Streams::seed(stream_seed(seed, i)),
                    &village,
                    permutations,
                )
            } else {
                let mut rng = Xoshiro256PlusPlus::seed_from_u64(stream_seed(seed, i));
                let mut drawn: Vec<u32> = vec![0; k];
                let (mut at_least, mut at_most) = (0usize, 0usize);
                for _ in 0..permutations {
                    let sum = sampler.draw_sum(&mut rng, i, &mut drawn, x);
                    at_least += usize::from(sum >= obs_sum);
                    at_most += usize::from(sum <= obs_sum);
                }
                (at_least, at_most)
            };
            let zi = x[i] - mean;
            let moran_larger = if zi > 0.0 {
                at_least
            } else if zi < 0.0 {
                at_most
            } else {
                permutations
            };
            (
                Some(fold(at_least, permutations)),
                Some(fold(moran_larger, permutations)),
            )
        })
        .collect();
    let (gi_star, local_moran) = results.into_iter().unzip();
    PermutationP {
        gi_star,
        local_moran,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(n: u32) -> Weights {
        Weights::from_pairs(
            n as usize,
            &(0..n - 1).map(|i| (i, i + 1)).collect::<Vec<_>>(),
        )
    }

    #[test]
    fn same_seed_same_p_values_and_bounds_hold() {
        let x: Vec<f64> = (0..200).map(|i| ((i * 37) % 101) as f64).collect();
        let w = line(200);
        let a = conditional_permutation(&x, &w, 99, 7);
        let b = conditional_permutation(&x, &w, 99, 7);
        assert_eq!(a, b);
        let c = conditional_permutation(&x, &w, 99, 8);
        assert_ne!(a, c);
        for p in a.gi_star.iter().chain(a.local_moran.iter()).flatten() {
            assert!(*p >= 1.0 / 100.0 && *p <= 0.5 + 1e-12, "{p}");
        }
    }

    #[test]
    fn a_strong_cluster_is_significant_and_noise_is_not() {
        // 300 villages on a line; 20 consecutive high values in the middle.
        let x: Vec<f64> = (0..300)
            .map(|i| {
                if (140..160).contains(&i) {
                    10.0
                } else {
                    ((i * 7919) % 13) as f64 / 13.0
                }
            })
            .collect();
        let p = conditional_permutation(&x, &line(300), 999, 1);
        assert!(p.gi_star[150].unwrap() <= 0.01, "{:?}", p.gi_star[150]);
        assert!(p.local_moran[150].unwrap() <= 0.01);
        let far: Vec<f64> = (0..100).filter_map(|i| p.gi_star[i]).collect();
        let share_sig = far.iter().filter(|&&v| v <= 0.05).count() as f64 / far.len() as f64;
        assert!(share_sig < 0.2, "{share_sig}");
    }

    #[test]
    fn exact_p_for_a_tiny_case() {
        // n = 3, village 0 has one neighbour (1). Draws come from {1, 2}: each permutation
        // draws x1 = 5 or x2 = 1 with equal chance. Observed sum = 5: every draw of x1 ties
        // (≥), x2 does not; so larger ≈ permutations / 2 and p ≈ 0.5.
        let w = Weights::from_pairs(3, &[(0, 1)]);
        let p = conditional_permutation(&[0.0, 5.0, 1.0], &w, 9999, 3);
        let g = p.gi_star[0].unwrap();
        assert!((g - 0.5).abs() < 0.02, "{g}");
        assert_eq!(p.gi_star[2], None);
    }

    /// `draws` sets of k drawn for village i among n by one way of drawing, each sorted, after
    /// checking it has no repeat, not village i, and the sum `draw_sum` returned.
    fn drawn_sets(
        n: usize,
        i: usize,
        k: usize,
        whole_sets: bool,
        draws: usize,
        seed: u64,
    ) -> Vec<Vec<u32>> {
        let x: Vec<f64> = (0..n).map(|j| j as f64).collect();
        let sampler = Sampler {
            bounded: Bounded::new(n as u32 - 1),
            whole_sets,
        };
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let mut drawn = vec![0u32; k];
        (0..draws)
            .map(|_| {
                let sum = sampler.draw_sum(&mut rng, i, &mut drawn, &x);
                let mut set = drawn.clone();
                set.sort_unstable();
                set.dedup();
                assert_eq!(set.len(), k, "a repeat in {drawn:?}");
                assert!(!set.contains(&(i as u32)));
                assert_eq!(sum, set.iter().map(|&j| x[j as usize]).sum::<f64>());
                set
            })
            .collect()
    }

    /// Both ways of drawing give every k-subset of the other villages with equal chance:
    /// 7 other villages, k = 2 and k = 3 (21 and 35 subsets), 70,000 draws each; every
    /// subset's count within 5 standard deviations of its expectation.
    #[test]
    fn every_subset_is_equally_likely_either_way() {
        for (k, subsets) in [(2usize, 21usize), (3, 35)] {
            for whole_sets in [true, false] {
                let draws = 70_000;
                let mut counts = std::collections::BTreeMap::<Vec<u32>, u32>::new();
                for set in drawn_sets(8, 3, k, whole_sets, draws, 42) {
                    *counts.entry(set).or_default() += 1;
                }
                assert_eq!(counts.len(), subsets);
                let p = 1.0 / subsets as f64;
                let (mean, sd) = (draws as f64 * p, (draws as f64 * p * (1.0 - p)).sqrt());
                for (set, c) in &counts {
                    assert!(
                        (*c as f64 - mean).abs() < 5.0 * sd,
                        "k={k} whole_sets={whole_sets}: {set:?} drawn {c} times, expected {mean:.0}"
                    );
                }
            }
        }
    }

    /// Larger sets (the 16-lane check and the plain one beyond 16): 200 other villages,
    /// k = 12 and 17, 40,000 draws each way; every village included about k/200 of the time
    /// (within 5 standard deviations).
    #[test]
    fn larger_sets_are_drawn_evenly_without_repeats() {
        let (n, i) = (201, 100);
        for k in [12usize, 17] {
            for whole_sets in [true, false] {
                let draws = 40_000;
                let mut included = vec![0u32; n];
                for set in drawn_sets(n, i, k, whole_sets, draws, 9) {
                    for j in set {
                        included[j as usize] += 1;
                    }
                }
                let p = k as f64 / (n - 1) as f64;
                let (mean, sd) = (draws as f64 * p, (draws as f64 * p * (1.0 - p)).sqrt());
                for (j, c) in included.iter().enumerate().filter(|(j, _)| *j != i) {
                    assert!(
                        (*c as f64 - mean).abs() < 5.0 * sd,
                        "k={k} whole_sets={whole_sets}: village {j} included {c} times, expected {mean:.0}"
                    );
                }
            }
        }
    }

    /// Lemire's bounded draw covers the whole range evenly (range 7: 2³² mod 7 = 4 values
    /// rejected).
    #[test]
    fn bounded_draws_are_even() {
        let b = Bounded::new(7);
        assert_eq!(b.threshold, 4);
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
        let mut counts = [0u32; 7];
        for _ in 0..70_000 {
            counts[b.draw(&mut rng) as usize] += 1;
        }
        for c in counts {
            assert!(
                (c as f64 - 10_000.0).abs()
                    < 5.0 * (70_000.0f64 * (1.0 / 7.0) * (6.0 / 7.0)).sqrt(),
                "{counts:?}"
            );
        }
    }
}
