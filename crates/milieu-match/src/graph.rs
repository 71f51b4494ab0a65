//! A compact undirected graph (CSR, `u32` node ids) with the few features matching needs:
//! neighbours, common neighbours, Adamic-Adar, and a label-propagation community split.
//! milieu-net has the full network analytics; matching keeps its own small kernel so that the
//! L1 crates stay independent.

use std::collections::HashMap;

/// Undirected weighted graph in compressed sparse row form; neighbour lists are sorted.
#[derive(Debug, Clone, Default)]
pub struct Graph {
    offsets: Vec<usize>,
    targets: Vec<u32>,
    weights: Vec<f32>,
}

impl Graph {
    /// Builds from undirected edges; self loops are dropped, parallel edges merged keeping the
    /// largest weight.
    pub fn from_edges(n: usize, edges: impl IntoIterator<Item = (u32, u32, f32)>) -> Self {
        let mut pairs: Vec<(u32, u32, f32)> = Vec::new();
        for (a, b, w) in edges {
            if a != b && (a as usize) < n && (b as usize) < n {
                pairs.push((a, b, w));
                pairs.push((b, a, w));
            }
        }
        pairs.sort_unstable_by(|x, y| (x.0, x.1).cmp(&(y.0, y.1)).then(y.2.total_cmp(&x.2)));
        pairs.dedup_by(|next, kept| next.0 == kept.0 && next.1 == kept.1);
        let mut offsets = vec![0usize; n + 1];
        for &(a, _, _) in &pairs {
            offsets[a as usize + 1] += 1;
        }
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        Graph {
            offsets,
            targets: pairs.iter().map(|p| p.1).collect(),
            weights: pairs.iter().map(|p| p.2).collect(),
        }
    }

    pub fn node_count(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// Number of undirected edges.
    pub fn edge_count(&self) -> usize {
        self.targets.len() / 2
    }

    pub fn neighbours(&self, u: u32) -> &[u32] {
        &self.targets[self.offsets[u as usize]..self.offsets[u as usize + 1]]
    }

    pub fn edge_weights(&self, u: u32) -> &[f32] {
        &self.weights[self.offsets[u as usize]..self.offsets[u as usize + 1]]
    }

    pub fn degree(&self, u: u32) -> usize {
        self.offsets[u as usize + 1] - self.offsets[u as usize]
    }

    pub fn weight(&self, u: u32, v: u32) -> Option<f32> {
        self.neighbours(u)
            .binary_search(&v)
            .ok()
            .map(|i| self.edge_weights(u)[i])
    }

    pub fn has_edge(&self, u: u32, v: u32) -> bool {
        self.neighbours(u).binary_search(&v).is_ok()
    }

    /// Neighbours shared by `u` and `v`, sorted.
    pub fn common_neighbours(&self, u: u32, v: u32) -> Vec<u32> {
        let (a, b) = (self.neighbours(u), self.neighbours(v));
        let (mut i, mut j) = (0, 0);
        let mut out = Vec::new();
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    out.push(a[i]);
                    i += 1;
                    j += 1;
                }
            }
        }
        out
    }

    /// The Adamic-Adar weight of a common neighbour `w`: 1 / ln(degree(w)) (Adamic & Adar,
    /// "Friends and neighbors on the Web", 2003). A shared contact who knows few others says
    /// more than a hub who knows everyone.
    pub fn adamic_adar_weight(&self, w: u32) -> f64 {
        let d = self.degree(w) as f64;
        if d > 1.0 { 1.0 / d.ln() } else { 0.0 }
    }

    /// Adamic-Adar index of a pair.
    pub fn adamic_adar(&self, u: u32, v: u32) -> f64 {
        self.common_neighbours(u, v)
            .into_iter()
            .map(|w| self.adamic_adar_weight(w))
            .sum()
    }

    /// Communities by asynchronous label propagation (Raghavan, Albert & Kumara 2007): every
    /// node takes the label most of its neighbours (by edge weight) carry, visiting nodes in a
    /// seeded shuffled order, until no label changes. Ties go to the smallest label so the
    /// result is deterministic for a seed. Isolated nodes are their own community. Labels are
    /// renumbered 0.. in order of first node.
    pub fn label_propagation(&self, seed: u64, max_rounds: usize) -> Vec<u32> {
        let n = self.node_count();
        let mut labels: Vec<u32> = (0..n as u32).collect();
        let mut order: Vec<u32> = (0..n as u32).collect();
        let mut rng = SplitMix64::new(seed);
        let mut tally: HashMap<u32, f64> = HashMap::new();
        for _ in 0..max_rounds {
            // Fisher-Yates shuffle.
            for i in (1..n).rev() {
                let j = (rng.next() % (i as u64 + 1)) as usize;
                order.swap(i, j);
            }
            let mut changed = false;
            for &u in &order {
                if self.degree(u) == 0 {
                    continue;
                }
                tally.clear();
                for (&v, &w) in self.neighbours(u).iter().zip(self.edge_weights(u)) {
                    *tally.entry(labels[v as usize]).or_default() += f64::from(w);
                }
                let best = tally
                    .iter()
                    .max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(a.0)))
                    .map(|(&l, &w)| (l, w));
                if let Some((label, weight)) = best {
                    let current = tally.get(&labels[u as usize]).copied().unwrap_or(0.0);
                    // Keep the current label on a tie, so the process settles.
                    if label != labels[u as usize] && weight > current {
                        labels[u as usize] = label;
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
        let mut renumber: HashMap<u32, u32> = HashMap::new();
        labels
            .iter()
            .map(|l| {
                let next = renumber.len() as u32;
                *renumber.entry(*l).or_insert(next)
            })
            .collect()
    }
}

/// A tiny deterministic random generator (SplitMix64, Steele, Lea & Flood 2014), enough for
/// shuffles and the random baseline without a dependency.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix64(self.0)
    }
}

/// The SplitMix64 finaliser: a good 64-bit hash of an integer.
pub fn mix64(x: u64) -> u64 {
    let mut z = x;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn two_triangles() -> Graph {
        // 0-1-2 triangle, 3-4-5 triangle, bridge 2-3.
        Graph::from_edges(
            6,
            [
                (0, 1, 1.0),
                (1, 2, 1.0),
                (0, 2, 1.0),
                (3, 4, 1.0),
                (4, 5, 1.0),
                (3, 5, 1.0),
                (2, 3, 1.0),
                (2, 3, 0.5),
                (4, 4, 1.0),
            ],
        )
    }

    #[test]
    fn csr_basics() {
        let g = two_triangles();
        assert_eq!(g.edge_count(), 7);
        assert_eq!(g.neighbours(2), &[0, 1, 3]);
        assert_eq!(g.weight(2, 3), Some(1.0));
        assert!(!g.has_edge(0, 3));
        assert_eq!(g.common_neighbours(0, 3), vec![2]);
        // AA(0,3) = 1/ln(deg 2) = 1/ln 3.
        assert!((g.adamic_adar(0, 3) - 1.0 / 3f64.ln()).abs() < 1e-12);
    }

    #[test]
    fn label_propagation_splits_two_triangles() {
        let g = two_triangles();
        let labels = g.label_propagation(7, 50);
        assert_eq!(labels[0], labels[1]);
        assert_eq!(labels[3], labels[4]);
        assert_eq!(labels[4], labels[5]);
        assert_ne!(labels[0], labels[5]);
    }
}
