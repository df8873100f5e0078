//! Benjamini–Hochberg false-discovery-rate adjustment (Benjamini & Hochberg 1995).
//!
//! With m p-values sorted ascending, p_(1) ≤ … ≤ p_(m), the adjusted value of the r-th is
//! q_(r) = min over s ≥ r of (m / s) · p_(s), capped at 1. A village is significant at level
//! α when q ≤ α. Villages without a p-value (no neighbours) are left out of m.

/// Adjusted p-values (q-values), same order as the input.
///
/// ```
/// use rawan_spatial::fdr::benjamini_hochberg;
/// // m = 4: sorted 0.01, 0.02, 0.03, 0.5 -> 0.04, 0.04, 0.04, 0.5
/// let q = benjamini_hochberg(&[Some(0.03), Some(0.5), None, Some(0.01), Some(0.02)]);
/// let r: Vec<Option<f64>> = q.iter().map(|v| v.map(|x| (x * 1e9).round() / 1e9)).collect();
/// assert_eq!(r, vec![Some(0.04), Some(0.5), None, Some(0.04), Some(0.04)]);
/// ```
pub fn benjamini_hochberg(p: &[Option<f64>]) -> Vec<Option<f64>> {
    let mut idx: Vec<usize> = (0..p.len()).filter(|&i| p[i].is_some()).collect();
    let m = idx.len() as f64;
    idx.sort_by(|&a, &b| p[a].unwrap().total_cmp(&p[b].unwrap()).then(a.cmp(&b)));
    let mut out = vec![None; p.len()];
    let mut running = 1.0f64;
    for (rank, &i) in idx.iter().enumerate().rev() {
        let q = (p[i].unwrap() * m / (rank as f64 + 1.0)).min(1.0);
        running = running.min(q);
        out[i] = Some(running);
    }
    out
}
