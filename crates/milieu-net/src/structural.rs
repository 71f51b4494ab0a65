//! Burt's structural-hole measures (constraint, effective size, efficiency, hierarchy) and the
//! clustering coefficient, on the underlying undirected graph with mutual weights.
//!
//! Definitions follow NetworkX (`structuralholes.py`, `cluster.py`): with a_ij the mutual weight
//! (w_ij + w_ji, or the number of arcs when weights are ignored), p_ij = a_ij / sum_k a_ik and
//! m_ij = a_ij / max_k a_ik,
//! - constraint c_i = sum_j (p_ij + sum_q p_iq p_qj)^2 over contacts j (Burt 1992, eq. 2.4);
//! - effective size e_i = sum_j (1 - sum_q p_iq m_jq) (Burt 1992; Borgatti 1997);
//! - efficiency = e_i / N_i with N_i the number of contacts;
//! - hierarchy h_i = sum_j (r_j ln r_j) / (N_i ln N_i), r_j = c_ij / (c_i / N_i) (Burt 1992,
//!   p. 71; the Coleman-Theil disorder index), NaN for N_i < 2.
//!
//! Isolates get NaN (as NetworkX). Each node's inner sum needs, for every contact j, the common
//! contacts of i and j: a per-thread dense array holds p_iq for the contacts q of i, and each
//! contact's row is either scanned (cost deg j) or, when j is a hub, searched by binary search
//! for each contact of i (cost deg i * log deg j), whichever is cheaper.

use rayon::prelude::*;
use serde::Serialize;

use crate::graph::{Adjacency, Graph, NodeId};

/// Structural-hole measures of every node, with their parts.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct StructuralHoles {
    /// Number of distinct contacts (in- or out-neighbours).
    pub contacts: Vec<u32>,
    pub constraint: Vec<f64>,
    pub effective_size: Vec<f64>,
    pub efficiency: Vec<f64>,
    pub hierarchy: Vec<f64>,
}

/// Visits the common neighbours q of i and j, calling `f(q, a_iq_mark, a_jq)` where the mark is
/// the value `mark[q]` stored for i's neighbours (non-zero exactly for them).
#[inline]
fn for_common(
    sym: &Adjacency,
    mark: &[f64],
    i: NodeId,
    j: NodeId,
    mut f: impl FnMut(NodeId, f64, f64),
) {
    let ni = sym.neighbors(i);
    let nj = sym.neighbors(j);
    let wj = sym.weights(j);
    let log = usize::BITS - nj.len().leading_zeros();
    if nj.len() <= ni.len() * log as usize {
        for (&q, &a) in nj.iter().zip(wj) {
            let m = mark[q as usize];
            if m != 0.0 {
                f(q, m, a);
            }
        }
    } else {
        for &q in ni {
            if let Ok(k) = nj.binary_search(&q) {
                f(q, mark[q as usize], wj[k]);
            }
        }
    }
}

/// For contact j of i: (sum_q p_iq p_qj, sum_q p_iq a_jq) over common contacts q, where
/// `mark[q]` = p_iq for i's contacts and 0 elsewhere. Scanning j's row needs no test (the mark
/// is 0 off i's contacts); for a hub j, i's contacts are looked up in j's row instead.
#[inline]
fn common_sums(sym: &Adjacency, pcol: &[f64], mark: &[f64], i: NodeId, j: NodeId) -> (f64, f64) {
    let ni = sym.neighbors(i);
    let (s, e) = (sym.off[j as usize], sym.off[j as usize + 1]);
    let nj = &sym.adj[s..e];
    let wj = &sym.w[s..e];
    let pj = &pcol[s..e];
    let log = usize::BITS - nj.len().leading_zeros();
    let (mut ind, mut red) = (0.0, 0.0);
    if nj.len() <= ni.len() * log as usize {
        for k in 0..nj.len() {
            let m = mark[nj[k] as usize];
            ind += m * pj[k];
            red += m * wj[k];
        }
    } else {
        for &q in ni {
            if let Ok(k) = nj.binary_search(&q) {
                let m = mark[q as usize];
                ind += m * pj[k];
                red += m * wj[k];
            }
        }
    }
    (ind, red)
}

/// Constraint, effective size, efficiency and hierarchy of every node.
/// `use_weights = false` treats every arc as weight 1 (NetworkX `weight=None`).
pub fn structural_holes(g: &Graph, use_weights: bool) -> StructuralHoles {
    let sym = if use_weights && g.is_weighted() {
        g.symmetric().into_owned()
    } else {
        g.symmetric_map(|_| 1.0)
    };
    let n = sym.len();
    let total: Vec<f64> = (0..n as NodeId)
        .map(|v| sym.weights(v).iter().sum())
        .collect();
    let maxw: Vec<f64> = (0..n as NodeId)
        .map(|v| sym.weights(v).iter().copied().fold(0.0, f64::max))
        .collect();
    // pcol[arc j -> q] = a_jq / S_q = p_qj, so the inner loop multiplies instead of dividing.
    let pcol: Vec<f64> = sym
        .adj
        .iter()
        .zip(&sym.w)
        .map(|(&q, &a)| a / total[q as usize])
        .collect();
    let rows: Vec<(u32, f64, f64, f64)> = (0..n as NodeId)
        .into_par_iter()
        .map_init(
            || (vec![0.0f64; n], Vec::<f64>::new()),
            |(mark, local), i| {
                let ni = sym.neighbors(i);
                let deg = ni.len();
                if deg == 0 {
                    return (0, f64::NAN, f64::NAN, f64::NAN);
                }
                let si = total[i as usize];
                for (&q, &a) in ni.iter().zip(sym.weights(i)) {
                    mark[q as usize] = a / si;
                }
                local.clear();
                let mut constraint = 0.0;
                let mut effective = 0.0;
                for (&j, &a) in ni.iter().zip(sym.weights(i)) {
                    let pij = a / si;
                    let (indirect, redundancy) = common_sums(&sym, &pcol, mark, i, j);
                    let c = (pij + indirect) * (pij + indirect);
                    local.push(c);
                    constraint += c;
                    effective += 1.0 - redundancy / maxw[j as usize];
                }
                for &q in ni {
                    mark[q as usize] = 0.0;
                }
                let hierarchy = if deg < 2 || constraint == 0.0 {
                    f64::NAN
                } else {
                    let nf = deg as f64;
                    let mean = constraint / nf;
                    local
                        .iter()
                        .map(|&c| {
                            let r = c / mean;
                            r * r.ln()
                        })
                        .sum::<f64>()
                        / (nf * nf.ln())
                };
                (deg as u32, constraint, effective, hierarchy)
            },
        )
        .collect();
    let mut out = StructuralHoles::default();
    for (deg, c, e, h) in rows {
        out.contacts.push(deg);
        out.constraint.push(c);
        out.effective_size.push(e);
        out.efficiency
            .push(if deg == 0 { f64::NAN } else { e / deg as f64 });
        out.hierarchy.push(h);
    }
    out
}

/// Local clustering coefficients and the triangle count per node.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Clustering {
    pub clustering: Vec<f64>,
    /// Undirected triangles through the node (ignoring direction and weight).
    pub triangles: Vec<f64>,
}

/// Local clustering as NetworkX `clustering`: for undirected graphs 2T/(k(k-1)) with T the
/// triangles (weighted: the sum over triangles of the geometric mean of the weights scaled by
/// the largest weight, Onnela et al. 2005); for directed graphs Fagiolo's (2007) directed
/// clustering T/(2(d(d-1) - 2 d_bi)) with d = in+out degree and d_bi the reciprocated pairs.
pub fn clustering(g: &Graph, use_weights: bool) -> Clustering {
    let weighted = use_weights && g.is_weighted();
    let maxw = g.max_weight();
    // s_ij = sum over arcs between i and j of (w / max w)^(1/3) (1 per arc when unweighted).
    let s = g.symmetric_map(|w| if weighted { (w / maxw).cbrt() } else { 1.0 });
    // Arc multiplicities (1 or 2) are needed only for the reciprocated pairs of a digraph.
    let plain = if g.is_directed() {
        g.symmetric_map(|_| 1.0)
    } else {
        crate::graph::Adjacency::default()
    };
    let n = s.len();
    let (rows_t, rows_c): (Vec<f64>, Vec<f64>) = (0..n as NodeId)
        .into_par_iter()
        .map_init(
            || vec![0.0f64; n],
            |mark, i| {
                let ni = s.neighbors(i);
                let k = ni.len();
                for (&q, &a) in ni.iter().zip(s.weights(i)) {
                    mark[q as usize] = a;
                }
                let mut t = 0.0; // sum over ordered pairs (j, q) of s_ij s_iq s_jq
                let mut tri = 0.0;
                for (&j, &sij) in ni.iter().zip(s.weights(i)) {
                    let mut inner = 0.0;
                    let mut count = 0.0;
                    for_common(&s, mark, i, j, |_, siq, sjq| {
                        inner += siq * sjq;
                        count += 1.0;
                    });
                    t += sij * inner;
                    tri += count;
                }
                for &q in ni {
                    mark[q as usize] = 0.0;
                }
                let c = if g.is_directed() {
                    let dt = (g.out_adjacency().degree(i) + g.in_adjacency().degree(i)) as f64;
                    let db = plain.weights(i).iter().filter(|&&x| x > 1.5).count() as f64;
                    let den = 2.0 * (dt * (dt - 1.0) - 2.0 * db);
                    if t == 0.0 || den == 0.0 { 0.0 } else { t / den }
                } else {
                    let kf = k as f64;
                    if t == 0.0 || k < 2 {
                        0.0
                    } else {
                        t / (kf * (kf - 1.0))
                    }
                };
                (tri / 2.0, c)
            },
        )
        .unzip();
    Clustering {
        clustering: rows_c,
        triangles: rows_t,
    }
}

/// Transitivity 3 x triangles / connected triples on the underlying undirected graph
/// (NetworkX `transitivity`), and the counts behind it.
pub fn transitivity(g: &Graph, clustering: &Clustering) -> (f64, f64, f64) {
    let sym = g.symmetric();
    let triangles_x3: f64 = clustering.triangles.iter().sum();
    let triples: f64 = (0..sym.len() as NodeId)
        .map(|v| {
            let k = sym.degree(v) as f64;
            k * (k - 1.0) / 2.0
        })
        .sum();
    let t = if triples == 0.0 {
        0.0
    } else {
        triangles_x3 / triples
    };
    (t, triangles_x3 / 3.0, triples)
}
