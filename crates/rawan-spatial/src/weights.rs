//! The neighbour graph: binary, symmetric, stored compactly (CSR). Row-standardised weights
//! are `1 / k_i` for each of village i's k_i neighbours.

/// How a village got its neighbours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NeighbourSource {
    /// Shares a boundary (within the snapping tolerance).
    Contiguity,
    /// Had no contiguous neighbour (an island): linked to its nearest villages.
    Nearest,
    /// No neighbours at all.
    None,
}

/// Symmetric binary neighbour lists.
#[derive(Debug, Clone, PartialEq)]
pub struct Weights {
    offsets: Vec<usize>,
    neighbours: Vec<u32>,
    pub source: Vec<NeighbourSource>,
}

impl Weights {
    /// Builds from undirected pairs (i, j), i ≠ j; duplicates are merged.
    ///
    /// ```
    /// use rawan_spatial::Weights;
    /// let w = Weights::from_pairs(3, &[(0, 1), (1, 2), (1, 0)]);
    /// assert_eq!(w.neighbours(1), &[0, 2]);
    /// assert_eq!(w.cardinality(0), 1);
    /// ```
    pub fn from_pairs(n: usize, pairs: &[(u32, u32)]) -> Weights {
        let mut lists: Vec<Vec<u32>> = vec![Vec::new(); n];
        for &(a, b) in pairs {
            if a != b {
                lists[a as usize].push(b);
                lists[b as usize].push(a);
            }
        }
        Weights::from_lists(lists)
    }

    pub(crate) fn from_lists(mut lists: Vec<Vec<u32>>) -> Weights {
        let mut offsets = Vec::with_capacity(lists.len() + 1);
        offsets.push(0);
        let mut neighbours = Vec::new();
        for l in lists.iter_mut() {
            l.sort_unstable();
            l.dedup();
            neighbours.extend_from_slice(l);
            offsets.push(neighbours.len());
        }
        let source = lists
            .iter()
            .map(|l| {
                if l.is_empty() {
                    NeighbourSource::None
                } else {
                    NeighbourSource::Contiguity
                }
            })
            .collect();
        Weights {
            offsets,
            neighbours,
            source,
        }
    }

    pub fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Neighbours of i, ascending.
    pub fn neighbours(&self, i: usize) -> &[u32] {
        &self.neighbours[self.offsets[i]..self.offsets[i + 1]]
    }

    pub fn cardinality(&self, i: usize) -> usize {
        self.offsets[i + 1] - self.offsets[i]
    }

    /// Villages without any neighbour.
    pub fn islands(&self) -> Vec<usize> {
        (0..self.len())
            .filter(|&i| self.cardinality(i) == 0)
            .collect()
    }

    /// Mean number of neighbours.
    pub fn mean_cardinality(&self) -> f64 {
        self.neighbours.len() as f64 / self.len().max(1) as f64
    }

    /// Row-standardised spatial lag: the mean of the neighbours' values (`None` for a
    /// village without neighbours).
    pub fn lag(&self, x: &[f64]) -> Vec<Option<f64>> {
        (0..self.len())
            .map(|i| {
                let nb = self.neighbours(i);
                (!nb.is_empty())
                    .then(|| nb.iter().map(|&j| x[j as usize]).sum::<f64>() / nb.len() as f64)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lag_is_the_neighbour_mean() {
        // Path 0 - 1 - 2, and 3 alone.
        let w = Weights::from_pairs(4, &[(0, 1), (1, 2)]);
        assert_eq!(
            w.lag(&[1.0, 2.0, 6.0, 9.0]),
            vec![Some(2.0), Some(3.5), Some(2.0), None]
        );
        assert_eq!(w.islands(), vec![3]);
        assert_eq!(w.mean_cardinality(), 1.0);
    }
}
