//! Eight permutations at a time: the counting loop of [`crate::permutation`] for villages
//! with few neighbours among many villages (the usual case), written so each step works on
//! eight permutations side by side.
//!
//! Each village has eight Xoshiro256++ streams (one per lane), seeded from one SplitMix64
//! sequence (the seeding Xoshiro's authors recommend). Lane `l` of a batch draws the k
//! indices of one permutation: each a Lemire multiply-and-reject draw from the n − 1 other
//! villages, the whole set drawn again when any draw is rejected or repeats an index, so
//! every k-subset stays equally likely. The sum of each lane is added in draw order, so the
//! portable loop and its AVX-512 and AVX2 versions give the same bits; which one runs is
//! chosen once, from the processor.

use std::sync::OnceLock;

const LANES: usize = 8;
/// The most neighbours this loop handles (the repeat check is pairwise).
pub(crate) const MAX_K: usize = 16;

/// Eight Xoshiro256++ generators, stored word by word (the AVX-512 loop loads each word of
/// all eight lanes at once; the portable loop takes one lane at a time).
pub(crate) struct Streams {
    s: [[u64; LANES]; 4],
}

fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Streams {
    pub(crate) fn seed(seed: u64) -> Streams {
        let mut state = seed;
        let mut s = [[0u64; LANES]; 4];
        for lane in 0..LANES {
            for word in &mut s {
                word[lane] = splitmix64(&mut state);
            }
            // An all-zero state would only ever give zeros (SplitMix64 practically never
            // gives four zeros in a row; this keeps the generator valid if it did).
            if s.iter().all(|word| word[lane] == 0) {
                s[0][lane] = 1;
            }
        }
        Streams { s }
    }

    /// Lane `l`'s generator state.
    fn lane(&self, l: usize) -> [u64; 4] {
        [self.s[0][l], self.s[1][l], self.s[2][l], self.s[3][l]]
    }

    fn set_lane(&mut self, l: usize, state: [u64; 4]) {
        for (word, value) in self.s.iter_mut().zip(state) {
            word[l] = value;
        }
    }
}

/// One step of Xoshiro256++ (Blackman & Vigna) on one lane's state.
#[inline(always)]
fn next(s: &mut [u64; 4]) -> u64 {
    let out = s[0].wrapping_add(s[3]).rotate_left(23).wrapping_add(s[0]);
    let t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = s[3].rotate_left(45);
    out
}

/// What one village's count needs: its values, its index, its neighbour count and observed
/// neighbour sum, and the bounded draw over the n − 1 other villages (from
/// `permutation::Bounded`, which computes the threshold once for all villages).
#[derive(Clone, Copy)]
pub(crate) struct Village<'a> {
    pub x: &'a [f64],
    pub i: u32,
    pub k: usize,
    pub observed: f64,
    /// n − 1, and Lemire's rejection threshold 2³² mod (n − 1).
    pub range: u32,
    pub threshold: u32,
}

/// One batch: k draws in every lane, each lane's sum, and which lanes must be drawn again
/// (a rejected draw or a repeated index). Lane by lane, so each generator stays in registers.
#[inline(always)]
fn draw_batch(streams: &mut Streams, v: &Village, sum: &mut [f64; LANES]) -> [bool; LANES] {
    let mut again = [false; LANES];
    for l in 0..LANES {
        let mut state = streams.lane(l);
        // Unused slots hold values no index can take, each different.
        let mut drawn: [u32; MAX_K] = std::array::from_fn(|slot| u32::MAX - slot as u32);
        let (mut total, mut rejected) = (0.0, false);
        let mut r = 0u64;
        for (n, slot) in drawn.iter_mut().take(v.k).enumerate() {
            // Two draws from each output: its high half, then its low half.
            let half = if n % 2 == 0 {
                r = next(&mut state);
                r >> 32
            } else {
                r & 0xFFFF_FFFF
            };
            let m = half * u64::from(v.range);
            rejected |= (m as u32) < v.threshold;
            let j = (m >> 32) as u32;
            let j = j + u32::from(j >= v.i);
            *slot = j;
            // j < range + 1 = n = x.len(): half < 2³², so m >> 32 < range.
            debug_assert!((j as usize) < v.x.len());
            // SAFETY: j ≤ n − 1 by the bound above.
            total += unsafe { *v.x.get_unchecked(j as usize) };
        }
        streams.set_lane(l, state);
        sum[l] = total;
        let distinct = if v.k <= 8 {
            distinct_slots::<8>(drawn[..8].try_into().expect("8 of 16"))
        } else {
            distinct_slots(&drawn)
        };
        again[l] = rejected || !distinct;
    }
    again
}

/// True when the N slots hold N different values: every slot against every rotation of the
/// slots, written so the compiler compares whole vectors at once (no branch per pair).
#[inline(always)]
fn distinct_slots<const N: usize>(d: &[u32; N]) -> bool {
    let mut same = 0u32;
    for r in 1..N {
        for l in 0..N {
            same |= u32::from(d[l] == d[(l + r) % N]);
        }
    }
    same == 0
}

/// True when no index appears twice (k is small: a pairwise check without branches).
pub(crate) fn all_distinct(drawn: &[u32]) -> bool {
    let mut repeats = 0u32;
    for a in 1..drawn.len() {
        for b in 0..a {
            repeats += u32::from(drawn[a] == drawn[b]);
        }
    }
    repeats == 0
}

/// The sums of one batch of eight permutations, each lane drawn again until it has neither
/// a rejected draw nor a repeated index.
#[inline(always)]
fn batch_sums(streams: &mut Streams, v: &Village) -> [f64; LANES] {
    let mut sum = [0.0; LANES];
    let mut again = draw_batch(streams, v, &mut sum);
    while again.iter().any(|&a| a) {
        let mut redraw = [0.0; LANES];
        let still = draw_batch(streams, v, &mut redraw);
        for l in 0..LANES {
            if again[l] {
                sum[l] = redraw[l];
                again[l] = still[l];
            }
        }
    }
    sum
}

/// Counts, over `permutations` draws, the sums ≥ and ≤ the observed neighbour sum.
#[inline(always)]
fn count_body(streams: &mut Streams, v: &Village, permutations: usize) -> (usize, usize) {
    let (mut at_least, mut at_most) = (0usize, 0usize);
    let mut done = 0;
    while done < permutations {
        let sum = batch_sums(streams, v);
        let live = LANES.min(permutations - done);
        for &s in &sum[..live] {
            at_least += usize::from(s >= v.observed);
            at_most += usize::from(s <= v.observed);
        }
        done += live;
    }
    (at_least, at_most)
}

fn count_portable(streams: &mut Streams, v: &Village, permutations: usize) -> (usize, usize) {
    count_body(streams, v, permutations)
}

/// The same loop in AVX-512 instructions: the eight generators, bounded draws, repeat checks
/// and comparisons each one instruction for all lanes. Built once per neighbour count k (so
/// the k draws and the pairwise repeat check unroll and stay in registers: `permutation_speed`
/// user 1.00–1.04 → 0.92–0.96 s with the loads, 0.62–0.66 → 0.47–0.57 s with the gather,
/// against one loop over k), and twice over for how the eight values
/// are read: one gather instruction (`GATHER`), or eight plain loads. Which read is faster
/// depends on the processor — on the Intel Xeon (Sapphire Rapids) of the sixth session the
/// gather took 0.47–0.57 s of CPU where the loads took 0.92–0.96 s; on the AMD EPYC (Zen 4)
/// of the fifth the loads were 15 % faster — so [`best_count`] takes the gather on Intel
/// processors and the loads elsewhere (`permutation_speed` races both on the machine at hand).
/// The sums are the same bits either way.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512vl,avx512dq,avx512bw")]
fn count_avx512<const GATHER: bool>(
    streams: &mut Streams,
    v: &Village,
    permutations: usize,
) -> (usize, usize) {
    macro_rules! by_k {
        ($($k:literal)*) => {
            match v.k {
                $($k => count_avx512_k::<$k, GATHER>(streams, v, permutations),)*
                _ => unreachable!("the eight-lane loop takes 1 to MAX_K neighbours"),
            }
        };
    }
    by_k!(1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512vl,avx512dq,avx512bw")]
fn count_avx512_k<const K: usize, const GATHER: bool>(
    streams: &mut Streams,
    v: &Village,
    permutations: usize,
) -> (usize, usize) {
    use std::arch::x86_64::*;
    // SAFETY (loads and stores): each `[u64; LANES]` is 64 bytes, one unaligned zmm access.
    let load = |w: &[u64; LANES]| unsafe { _mm512_loadu_si512(w.as_ptr().cast()) };
    let mut s = [
        load(&streams.s[0]),
        load(&streams.s[1]),
        load(&streams.s[2]),
        load(&streams.s[3]),
    ];
    let c = Avx512Village {
        range: _mm512_set1_epi64(i64::from(v.range)),
        threshold: _mm512_set1_epi64(i64::from(v.threshold)),
        village: _mm512_set1_epi64(i64::from(v.i)),
    };
    let observed = _mm512_set1_pd(v.observed);
    let (mut at_least, mut at_most) = (0usize, 0usize);
    let mut done = 0;
    while done < permutations {
        let (mut sum, mut again) = draw_avx512::<K, GATHER>(&mut s, &c, v.x);
        while again != 0 {
            let (redraw, still) = draw_avx512::<K, GATHER>(&mut s, &c, v.x);
            sum = _mm512_mask_mov_pd(sum, again, redraw);
            again &= still;
        }
        let live = LANES.min(permutations - done);
        let live_mask = ((1u32 << live) - 1) as __mmask8;
        at_least +=
            (_mm512_cmp_pd_mask::<_CMP_GE_OQ>(sum, observed) & live_mask).count_ones() as usize;
        at_most +=
            (_mm512_cmp_pd_mask::<_CMP_LE_OQ>(sum, observed) & live_mask).count_ones() as usize;
        done += live;
    }
    let store =
        |w: &mut [u64; LANES], v: __m512i| unsafe { _mm512_storeu_si512(w.as_mut_ptr().cast(), v) };
    for (w, v) in streams.s.iter_mut().zip(s) {
        store(w, v);
    }
    (at_least, at_most)
}

/// A village's draw bounds, in every lane.
#[cfg(target_arch = "x86_64")]
struct Avx512Village {
    range: std::arch::x86_64::__m512i,
    threshold: std::arch::x86_64::__m512i,
    village: std::arch::x86_64::__m512i,
}

/// One step of the eight Xoshiro256++ generators (as [`next`], lane by lane).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512vl,avx512dq,avx512bw")]
#[inline]
fn next_avx512(s: &mut [std::arch::x86_64::__m512i; 4]) -> std::arch::x86_64::__m512i {
    use std::arch::x86_64::*;
    let out = _mm512_add_epi64(_mm512_rol_epi64::<23>(_mm512_add_epi64(s[0], s[3])), s[0]);
    let t = _mm512_slli_epi64::<17>(s[1]);
    s[2] = _mm512_xor_si512(s[2], s[0]);
    s[3] = _mm512_xor_si512(s[3], s[1]);
    s[1] = _mm512_xor_si512(s[1], s[2]);
    s[0] = _mm512_xor_si512(s[0], s[3]);
    s[2] = _mm512_xor_si512(s[2], t);
    s[3] = _mm512_rol_epi64::<45>(s[3]);
    out
}

/// One batch of eight permutations of K draws (as [`draw_batch`]): each lane's sum, and the
/// lanes to draw again.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512vl,avx512dq,avx512bw")]
#[inline]
fn draw_avx512<const K: usize, const GATHER: bool>(
    s: &mut [std::arch::x86_64::__m512i; 4],
    c: &Avx512Village,
    x: &[f64],
) -> (std::arch::x86_64::__m512d, std::arch::x86_64::__mmask8) {
    use std::arch::x86_64::*;
    let low = _mm512_set1_epi64(0xFFFF_FFFF);
    let one = _mm512_set1_epi64(1);
    let mut drawn = [_mm512_setzero_si512(); K];
    let mut again: __mmask8 = 0;
    let mut sum = _mm512_setzero_pd();
    let mut r = _mm512_setzero_si512();
    for (n, step) in drawn.iter_mut().enumerate() {
        // Two draws from each output: its high half, then its low half.
        let half = if n % 2 == 0 {
            r = next_avx512(s);
            _mm512_srli_epi64::<32>(r)
        } else {
            _mm512_and_si512(r, low)
        };
        let m = _mm512_mul_epu32(half, c.range);
        again |= _mm512_cmplt_epu64_mask(_mm512_and_si512(m, low), c.threshold);
        let j = _mm512_srli_epi64::<32>(m);
        let j = _mm512_mask_add_epi64(j, _mm512_cmpge_epu64_mask(j, c.village), j, one);
        *step = j;
        // SAFETY (both reads): every lane of j is < n = x.len() (see `draw_batch`).
        let values = if GATHER {
            unsafe { _mm512_i64gather_pd::<8>(j, x.as_ptr().cast()) }
        } else {
            let mut idx = [0u64; LANES];
            // SAFETY: `idx` is 64 bytes, one unaligned zmm store.
            unsafe { _mm512_storeu_si512(idx.as_mut_ptr().cast(), j) };
            let values: [f64; LANES] =
                std::array::from_fn(|l| unsafe { *x.get_unchecked(idx[l] as usize) });
            // SAFETY: `values` is 64 bytes, one unaligned zmm load.
            unsafe { _mm512_loadu_pd(values.as_ptr()) }
        };
        sum = _mm512_add_pd(sum, values);
    }
    for a in 1..K {
        for b in 0..a {
            again |= _mm512_cmpeq_epu64_mask(drawn[a], drawn[b]);
        }
    }
    (sum, again)
}

/// The same loop in AVX2 instructions (processors without AVX-512): the eight lanes as two
/// vectors of four, rotations as shift pairs, masks as vectors. Every value compared is below
/// 2³², so AVX2's signed 64-bit comparisons give the unsigned answers.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn count_avx2(streams: &mut Streams, v: &Village, permutations: usize) -> (usize, usize) {
    use std::arch::x86_64::*;
    const H: usize = LANES / 4;
    // SAFETY (loads and stores): four u64 are 32 bytes, one unaligned ymm access.
    let load =
        |w: &[u64; LANES], h: usize| unsafe { _mm256_loadu_si256(w[4 * h..].as_ptr().cast()) };
    let mut s: [[__m256i; 4]; H] =
        std::array::from_fn(|h| std::array::from_fn(|word| load(&streams.s[word], h)));
    let rol = |x: __m256i, k: i32| {
        _mm256_or_si256(
            _mm256_sll_epi64(x, _mm_cvtsi32_si128(k)),
            _mm256_srl_epi64(x, _mm_cvtsi32_si128(64 - k)),
        )
    };
    let next = |s: &mut [__m256i; 4]| {
        let out = _mm256_add_epi64(rol(_mm256_add_epi64(s[0], s[3]), 23), s[0]);
        let t = _mm256_slli_epi64::<17>(s[1]);
        s[2] = _mm256_xor_si256(s[2], s[0]);
        s[3] = _mm256_xor_si256(s[3], s[1]);
        s[1] = _mm256_xor_si256(s[1], s[2]);
        s[0] = _mm256_xor_si256(s[0], s[3]);
        s[2] = _mm256_xor_si256(s[2], t);
        s[3] = rol(s[3], 45);
        out
    };
    let range = _mm256_set1_epi64x(i64::from(v.range));
    let threshold = _mm256_set1_epi64x(i64::from(v.threshold));
    let low = _mm256_set1_epi64x(0xFFFF_FFFF);
    // j ≥ i is j > i − 1; i − 1 = −1 for village 0 makes every lane count as ≥.
    let below_village = _mm256_set1_epi64x(i64::from(v.i) - 1);
    let observed = _mm256_set1_pd(v.observed);
    let draw = |s: &mut [[__m256i; 4]; H]| -> ([__m256d; H], [__m256i; H]) {
        let mut drawn = [[_mm256_setzero_si256(); H]; MAX_K];
        let mut again = [_mm256_setzero_si256(); H];
        let mut sum = [_mm256_setzero_pd(); H];
        let mut r = [_mm256_setzero_si256(); H];
        for (n, step) in drawn.iter_mut().take(v.k).enumerate() {
            for h in 0..H {
                // Two draws from each output: its high half, then its low half.
                let half = if n % 2 == 0 {
                    r[h] = next(&mut s[h]);
                    _mm256_srli_epi64::<32>(r[h])
                } else {
                    _mm256_and_si256(r[h], low)
                };
                let m = _mm256_mul_epu32(half, range);
                again[h] = _mm256_or_si256(
                    again[h],
                    _mm256_cmpgt_epi64(threshold, _mm256_and_si256(m, low)),
                );
                let j = _mm256_srli_epi64::<32>(m);
                // The comparison is all ones (−1) where j ≥ i: subtracting it adds one.
                let j = _mm256_sub_epi64(j, _mm256_cmpgt_epi64(j, below_village));
                step[h] = j;
                // SAFETY: every lane of j is < n = x.len() (see `draw_batch`).
                sum[h] =
                    _mm256_add_pd(sum[h], unsafe { _mm256_i64gather_pd::<8>(v.x.as_ptr(), j) });
            }
        }
        for a in 1..v.k {
            for b in 0..a {
                for h in 0..H {
                    again[h] =
                        _mm256_or_si256(again[h], _mm256_cmpeq_epi64(drawn[a][h], drawn[b][h]));
                }
            }
        }
        (sum, again)
    };
    let lanes_set = |m: __m256i| _mm256_movemask_pd(_mm256_castsi256_pd(m)) as u32;
    let (mut at_least, mut at_most) = (0usize, 0usize);
    let mut done = 0;
    while done < permutations {
        let (mut sum, mut again) = draw(&mut s);
        while again.iter().any(|&a| lanes_set(a) != 0) {
            let (redraw, still) = draw(&mut s);
            for h in 0..H {
                sum[h] = _mm256_blendv_pd(sum[h], redraw[h], _mm256_castsi256_pd(again[h]));
                again[h] = _mm256_and_si256(again[h], still[h]);
            }
        }
        let live = LANES.min(permutations - done);
        for (h, &sum) in sum.iter().enumerate() {
            let live_mask = (1u32 << live.saturating_sub(4 * h).min(4)) - 1;
            at_least += (lanes_set(_mm256_castpd_si256(_mm256_cmp_pd::<_CMP_GE_OQ>(
                sum, observed,
            ))) & live_mask)
                .count_ones() as usize;
            at_most += (lanes_set(_mm256_castpd_si256(_mm256_cmp_pd::<_CMP_LE_OQ>(
                sum, observed,
            ))) & live_mask)
                .count_ones() as usize;
        }
        done += live;
    }
    let store = |w: &mut [u64; LANES], h: usize, v: __m256i| unsafe {
        _mm256_storeu_si256(w[4 * h..].as_mut_ptr().cast(), v)
    };
    for (h, half) in s.iter().enumerate() {
        for (word, &v) in half.iter().enumerate() {
            store(&mut streams.s[word], h, v);
        }
    }
    (at_least, at_most)
}

type Count = fn(&mut Streams, &Village, usize) -> (usize, usize);

/// The build of the loop this processor runs; all give the same counts.
pub(crate) fn best_count() -> Count {
    best().0
}

/// Which build [`best_count`] runs, in words (for benchmarks).
pub(crate) fn best_name() -> &'static str {
    best().1
}

fn best() -> (Count, &'static str) {
    static BEST: OnceLock<(Count, &'static str)> = OnceLock::new();
    *BEST.get_or_init(|| {
        #[cfg(target_arch = "x86_64")]
        {
            if has_avx512() {
                // SAFETY (both): the features they were compiled for are present.
                let gathered: Count = |s, v, p| unsafe { count_avx512::<true>(s, v, p) };
                let loaded: Count = |s, v, p| unsafe { count_avx512::<false>(s, v, p) };
                // Chosen by the processor, not by a timing race, so that every run on a
                // machine takes the same path: Intel's gather is fast (since Skylake-X),
                // AMD's (Zen 4) is not.
                return if intel() {
                    (gathered, "AVX-512, values gathered")
                } else {
                    (loaded, "AVX-512, values loaded one by one")
                };
            }
            if is_x86_feature_detected!("avx2") {
                // SAFETY: as above.
                return (|s, v, p| unsafe { count_avx2(s, v, p) }, "AVX2");
            }
        }
        (count_portable, "portable")
    })
}

/// Whether the processor has the AVX-512 features [`count_avx512`] is compiled for.
#[cfg(target_arch = "x86_64")]
fn has_avx512() -> bool {
    is_x86_feature_detected!("avx512f")
        && is_x86_feature_detected!("avx512vl")
        && is_x86_feature_detected!("avx512dq")
        && is_x86_feature_detected!("avx512bw")
}

/// Whether the processor is Intel's (CPUID vendor string `GenuineIntel`).
#[cfg(target_arch = "x86_64")]
fn intel() -> bool {
    // SAFETY: CPUID leaf 0 exists on every x86-64 processor.
    #[allow(unused_unsafe)]
    let r = unsafe { std::arch::x86_64::__cpuid(0) };
    [r.ebx, r.edx, r.ecx]
        == [
            u32::from_le_bytes(*b"Genu"),
            u32::from_le_bytes(*b"ineI"),
            u32::from_le_bytes(*b"ntel"),
        ]
}

/// The two AVX-512 reads raced on this processor, for `permutation_speed`: (the faster one's
/// name, its best time, the other's best time), or `None` without AVX-512.
pub(crate) fn race_avx512_reads() -> Option<(&'static str, f64, f64)> {
    #[cfg(target_arch = "x86_64")]
    if has_avx512() {
        // SAFETY (both): the features they were compiled for are present.
        let gathered: Count = |s, v, p| unsafe { count_avx512::<true>(s, v, p) };
        let loaded: Count = |s, v, p| unsafe { count_avx512::<false>(s, v, p) };
        let [g, l] = best_times(gathered, loaded);
        return Some(if g <= l {
            ("values gathered", g, l)
        } else {
            ("values loaded one by one", l, g)
        });
    }
    None
}

/// The best of five times of two builds that count alike, each counting the same made-up
/// village (8 neighbours among 2¹⁶ values, a table near the national one's 84,000), in turns.
#[cfg(target_arch = "x86_64")]
fn best_times(a: Count, b: Count) -> [f64; 2] {
    let n = 1usize << 16;
    let x: Vec<f64> = (0..n)
        .map(|j| (j.wrapping_mul(2_654_435_761) % 1000) as f64)
        .collect();
    let range = n as u32 - 1;
    let v = Village {
        x: &x,
        i: 0,
        k: 8,
        observed: 4000.0,
        range,
        threshold: range.wrapping_neg() % range,
    };
    let mut best = [f64::INFINITY; 2];
    for round in 0..5 {
        for (slot, count) in [a, b].into_iter().enumerate() {
            let t0 = std::time::Instant::now();
            std::hint::black_box(count(&mut Streams::seed(round), &v, 5 * 999));
            best[slot] = best[slot].min(t0.elapsed().as_secs_f64());
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reference Xoshiro256++ (rand_xoshiro) from the same state gives the same outputs
    /// in every lane.
    #[test]
    fn each_lane_is_xoshiro256plusplus() {
        use rand::RngCore;
        use rand::SeedableRng;
        use rand_xoshiro::Xoshiro256PlusPlus;
        let streams = Streams::seed(99);
        let mut reference: Vec<Xoshiro256PlusPlus> = (0..LANES)
            .map(|l| {
                let mut bytes = [0u8; 32];
                for (w, chunk) in bytes.chunks_mut(8).enumerate() {
                    chunk.copy_from_slice(&streams.s[w][l].to_le_bytes());
                }
                Xoshiro256PlusPlus::from_seed(bytes)
            })
            .collect();
        for (l, reference) in reference.iter_mut().enumerate() {
            let mut state = streams.lane(l);
            for _ in 0..100 {
                assert_eq!(next(&mut state), reference.next_u64());
            }
        }
    }

    /// Village i of `x` with k neighbours summing to `observed`, drawing from the others.
    fn village(x: &[f64], i: u32, k: usize, observed: f64) -> Village<'_> {
        let range = x.len() as u32 - 1;
        Village {
            x,
            i,
            k,
            observed,
            range,
            threshold: range.wrapping_neg() % range,
        }
    }

    /// Whatever build the processor picks counts exactly as the portable loop does, for every
    /// neighbour count (the AVX-512 loop is built once per count, with each way of reading).
    #[test]
    fn every_build_counts_alike() {
        let n = 5000usize;
        let x: Vec<f64> = (0..n).map(|j| ((j * 7919) % 1000) as f64 / 7.0).collect();
        for k in 1..=MAX_K {
            for i in [0u32, 17, 2500, 4999] {
                let v = village(&x, i, k, 70.0 * k as f64);
                let seed = u64::from(i) + 1000 * k as u64;
                let a = count_portable(&mut Streams::seed(seed), &v, 999);
                let b = best_count()(&mut Streams::seed(seed), &v, 999);
                assert_eq!(a, b, "village {i}, k {k}");
                #[cfg(target_arch = "x86_64")]
                {
                    if is_x86_feature_detected!("avx2") {
                        // SAFETY: the feature is present.
                        let c = unsafe { count_avx2(&mut Streams::seed(seed), &v, 999) };
                        assert_eq!(a, c, "village {i}, k {k}, AVX2");
                    }
                    if has_avx512() {
                        // SAFETY: the features are present.
                        let gathered =
                            unsafe { count_avx512::<true>(&mut Streams::seed(seed), &v, 999) };
                        let loaded =
                            unsafe { count_avx512::<false>(&mut Streams::seed(seed), &v, 999) };
                        assert_eq!(
                            (a, a),
                            (gathered, loaded),
                            "village {i}, k {k}, AVX-512 gather and loads"
                        );
                    }
                }
            }
        }
    }

    /// Every k-subset of the other villages is equally likely: with x_j = 2^j a sum names its
    /// subset. 7 other villages, k = 2 and 3 (21 and 35 subsets), 70,000 permutations each;
    /// every subset's count within 5 standard deviations of its expectation.
    #[test]
    fn every_subset_is_equally_likely() {
        let x: Vec<f64> = (0..8).map(|j| f64::from(1u32 << j)).collect();
        for (k, subsets) in [(2usize, 21usize), (3, 35)] {
            let v = village(&x, 3, k, 0.0);
            let mut streams = Streams::seed(42);
            let mut counts = std::collections::BTreeMap::<u32, u32>::new();
            let batches = 70_000 / LANES;
            for _ in 0..batches {
                for s in batch_sums(&mut streams, &v) {
                    let set = s as u32;
                    assert_eq!(set.count_ones() as usize, k, "a repeat: {set:b}");
                    assert_eq!(set & (1 << 3), 0, "village 3 drew itself");
                    *counts.entry(set).or_default() += 1;
                }
            }
            assert_eq!(counts.len(), subsets);
            let draws = (batches * LANES) as f64;
            let p = 1.0 / subsets as f64;
            let (mean, sd) = (draws * p, (draws * p * (1.0 - p)).sqrt());
            for (set, c) in &counts {
                assert!(
                    (*c as f64 - mean).abs() < 5.0 * sd,
                    "k={k}: {set:b} drawn {c} times, expected {mean:.0}"
                );
            }
        }
    }

    /// The counts follow the exact permutation distribution: 40 villages, village 7 with 3
    /// neighbours, every one of the C(39, 3) = 9,139 subsets enumerated for the exact chance
    /// of a sum ≥ and ≤ the observed one; 99,999 permutations land within 5 standard
    /// deviations of it, in both builds.
    #[test]
    fn counts_follow_the_exact_permutation_distribution() {
        let n = 40usize;
        let x: Vec<f64> = (0..n)
            .map(|j| ((j * 13) % 17) as f64 + 0.25 * (j % 3) as f64)
            .collect();
        let (i, k, observed) = (7u32, 3usize, 24.5);
        let others: Vec<f64> = (0..n).filter(|&j| j != i as usize).map(|j| x[j]).collect();
        let (mut ge, mut le, mut all) = (0u32, 0u32, 0u32);
        for a in 0..others.len() {
            for b in a + 1..others.len() {
                for c in b + 1..others.len() {
                    let s = others[a] + others[b] + others[c];
                    ge += u32::from(s >= observed);
                    le += u32::from(s <= observed);
                    all += 1;
                }
            }
        }
        assert_eq!(all, 9139);
        let v = village(&x, i, k, observed);
        let permutations = 99_999usize;
        for count in [count_portable as Count, best_count()] {
            let (at_least, at_most) = count(&mut Streams::seed(5), &v, permutations);
            for (got, exact) in [(at_least, ge), (at_most, le)] {
                let p = f64::from(exact) / f64::from(all);
                let (mean, sd) = (
                    permutations as f64 * p,
                    (permutations as f64 * p * (1.0 - p)).sqrt(),
                );
                assert!(
                    (got as f64 - mean).abs() < 5.0 * sd,
                    "{got} against {mean:.0} ± {sd:.0}"
                );
            }
        }
    }
}
