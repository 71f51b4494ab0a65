//! k-cores (coreness) by the Batagelj-Zaversnik (2003) bucket algorithm, O(m).
//!
//! As NetworkX `core_number`, a directed graph uses the total degree (in + out), so a
//! reciprocated pair counts twice.

use crate::graph::{Adjacency, Graph, NodeId};

/// Core number of every node.
pub fn core_numbers(g: &Graph) -> Vec<u32> {
    let sym = g.symmetric_map(|_| 1.0);
    bucket_cores(&sym, true).0
}

/// Nodes in the order the bucket algorithm removes them (a degeneracy order, ignoring arc
/// multiplicity).
pub(crate) fn degeneracy_order(sym: &Adjacency) -> Vec<NodeId> {
    bucket_cores(sym, false).1
}

fn bucket_cores(sym: &Adjacency, multiplicity: bool) -> (Vec<u32>, Vec<NodeId>) {
    let n = sym.len();
    let mult = |w: f64| if multiplicity { w.round() as u32 } else { 1 };
    let mut deg: Vec<u32> = (0..n as NodeId)
        .map(|v| sym.weights(v).iter().map(|&w| mult(w)).sum())
        .collect();
    let md = deg.iter().copied().max().unwrap_or(0) as usize;
    let mut bin = vec![0usize; md + 2];
    for &d in &deg {
        bin[d as usize] += 1;
    }
    let mut start = 0;
    for b in bin.iter_mut() {
        let c = *b;
        *b = start;
        start += c;
    }
    let mut pos = vec![0usize; n];
    let mut vert = vec![0 as NodeId; n];
    for v in 0..n {
        let d = deg[v] as usize;
        pos[v] = bin[d];
        vert[pos[v]] = v as NodeId;
        bin[d] += 1;
    }
    for d in (1..=md + 1).rev() {
        bin[d] = bin[d - 1];
    }
    bin[0] = 0;
    for i in 0..n {
        let v = vert[i];
        for (&u, &w) in sym.neighbors(v).iter().zip(sym.weights(v)) {
            for _ in 0..mult(w) {
                if deg[u as usize] > deg[v as usize] {
                    let du = deg[u as usize] as usize;
                    let pu = pos[u as usize];
                    let pw = bin[du];
                    let x = vert[pw];
                    if u != x {
                        vert[pu] = x;
                        pos[x as usize] = pu;
                        vert[pw] = u;
                        pos[u as usize] = pw;
                    }
                    bin[du] += 1;
                    deg[u as usize] -= 1;
                }
            }
        }
    }
    (deg, vert)
}
