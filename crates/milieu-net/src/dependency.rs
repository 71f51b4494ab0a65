//! Dependency on key nodes and ties: articulation points, bridges, and for every node the
//! pairs of other nodes that would be cut off from each other without it.
//!
//! One iterative depth-first search (Hopcroft & Tarjan 1973) on the underlying undirected
//! graph gives discovery times, low points and subtree sizes. Removing a node v splits its
//! component (size S) into the subtrees of the DFS children c with low(c) >= disc(v) (sizes
//! s_c) and the rest, of size S - 1 - sum s_c. The pairs cut off are
//! C(S-1, 2) - sum over the pieces of C(p, 2), in O(deg v): no BFS per node.
//! `cut_share` divides by the connected pairs of the whole graph, sum over components C(|C|,2).

use serde::Serialize;

use crate::graph::{Graph, NodeId};

/// Dependency measures of every node and the bridges.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dependency {
    pub articulation: Vec<bool>,
    /// Unordered pairs {a, b} (a, b != v) connected in G but not in G - v.
    pub cut_pairs: Vec<f64>,
    /// cut_pairs / connected pairs of G (0 when G has none).
    pub cut_share: Vec<f64>,
    /// Number of pieces v's component falls into without v (1 for a non-articulation node with
    /// neighbours, 0 for an isolate).
    pub pieces: Vec<u32>,
    pub bridges: Vec<Bridge>,
    pub connected_pairs: f64,
}

/// A tie whose removal disconnects its ends; `side_source` nodes stay with `source`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Bridge {
    pub source: NodeId,
    pub target: NodeId,
    pub side_source: usize,
    pub side_target: usize,
}

/// A bridge with node labels, for `milieu net key-players`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BridgeRow {
    pub source: String,
    pub target: String,
    pub side_source: usize,
    pub side_target: usize,
}

impl Dependency {
    /// The bridges with labels.
    pub fn bridge_rows(&self, g: &Graph) -> Vec<BridgeRow> {
        self.bridges
            .iter()
            .map(|b| BridgeRow {
                source: g.label(b.source).to_string(),
                target: g.label(b.target).to_string(),
                side_source: b.side_source,
                side_target: b.side_target,
            })
            .collect()
    }
}

fn pairs(k: f64) -> f64 {
    k * (k - 1.0) / 2.0
}

/// Articulation points, bridges and cut pairs of the underlying undirected graph.
pub fn dependency(g: &Graph) -> Dependency {
    let sym = g.symmetric_map(|_| 1.0);
    let n = sym.len();
    const NONE: u32 = u32::MAX;
    let mut disc = vec![NONE; n];
    let mut low = vec![0u32; n];
    let mut size = vec![1u32; n];
    let mut parent = vec![NONE; n];
    let mut next_edge = vec![0usize; n];
    // Per node: sum of sizes of separated child subtrees, and their count.
    let mut separated = vec![0u64; n];
    let mut sep_count = vec![0u32; n];
    let mut comp_size_of_root = vec![0u32; n];
    let mut root_of = vec![0u32; n];
    let mut bridges = Vec::new();
    let mut time = 0u32;
    let mut stack: Vec<NodeId> = Vec::new();
    let mut connected_pairs = 0.0;
    for r in 0..n as NodeId {
        if disc[r as usize] != NONE {
            continue;
        }
        disc[r as usize] = time;
        low[r as usize] = time;
        time += 1;
        stack.push(r);
        let mut members = vec![r];
        while let Some(&v) = stack.last() {
            let vi = v as usize;
            let row = sym.neighbors(v);
            if next_edge[vi] < row.len() {
                let u = row[next_edge[vi]];
                next_edge[vi] += 1;
                let ui = u as usize;
                if disc[ui] == NONE {
                    parent[ui] = v;
                    disc[ui] = time;
                    low[ui] = time;
                    time += 1;
                    stack.push(u);
                    members.push(u);
                } else if u != parent[vi] {
                    low[vi] = low[vi].min(disc[ui]);
                }
            } else {
                stack.pop();
                let p = parent[vi];
                if p != NONE {
                    let pi = p as usize;
                    size[pi] += size[vi];
                    low[pi] = low[pi].min(low[vi]);
                    if low[vi] >= disc[pi] {
                        separated[pi] += size[vi] as u64;
                        sep_count[pi] += 1;
                    }
                    if low[vi] > disc[pi] {
                        bridges.push((p, v, size[vi]));
                    }
                }
            }
        }
        let s = size[r as usize];
        connected_pairs += pairs(s as f64);
        for &m in &members {
            comp_size_of_root[m as usize] = s;
            root_of[m as usize] = r;
        }
    }
    let mut articulation = vec![false; n];
    let mut cut_pairs = vec![0.0; n];
    let mut pieces = vec![0u32; n];
    for v in 0..n {
        let s = comp_size_of_root[v] as f64;
        if s <= 1.0 {
            continue;
        }
        let is_root = root_of[v] as usize == v;
        // For the root every child subtree is separated (they were reached only through it).
        let k = sep_count[v];
        let rest = s - 1.0 - separated[v] as f64;
        let mut remaining = pairs(s - 1.0);
        let mut piece_pairs = pairs(rest);
        // Sum of C(s_c, 2) over separated children: recompute from the children.
        let mut child_pairs = 0.0;
        for &u in sym.neighbors(v as NodeId) {
            let ui = u as usize;
            if parent[ui] as usize == v && low[ui] >= disc[v] {
                child_pairs += pairs(size[ui] as f64);
            }
        }
        piece_pairs += child_pairs;
        remaining -= piece_pairs;
        let np = k + if rest > 0.0 { 1 } else { 0 };
        pieces[v] = np;
        articulation[v] = if is_root { k >= 2 } else { k >= 1 };
        cut_pairs[v] = remaining.max(0.0);
    }
    let cut_share = cut_pairs
        .iter()
        .map(|&c| {
            if connected_pairs > 0.0 {
                c / connected_pairs
            } else {
                0.0
            }
        })
        .collect();
    let bridges = bridges
        .into_iter()
        .map(|(p, v, sub)| {
            let total = comp_size_of_root[v as usize] as usize;
            let (a, b) = if p < v { (p, v) } else { (v, p) };
            let sub = sub as usize;
            let (sa, sb) = if a == p {
                (total - sub, sub)
            } else {
                (sub, total - sub)
            };
            Bridge {
                source: a,
                target: b,
                side_source: sa,
                side_target: sb,
            }
        })
        .collect::<Vec<_>>();
    let mut bridges = bridges;
    bridges.sort_by_key(|b| (b.source, b.target));
    Dependency {
        articulation,
        cut_pairs,
        cut_share,
        pieces,
        bridges,
        connected_pairs,
    }
}
