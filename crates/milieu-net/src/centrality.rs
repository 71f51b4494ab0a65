//! Degree, strength, eigenvector centrality and PageRank.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::graph::Graph;

/// Degrees and strengths (sums of weights). For an undirected graph in = out = total.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Degrees {
    pub degree: Vec<f64>,
    pub in_degree: Vec<f64>,
    pub out_degree: Vec<f64>,
    /// degree / (n - 1) (NetworkX `degree_centrality`; in+out for directed graphs).
    pub degree_centrality: Vec<f64>,
    pub strength: Vec<f64>,
    pub in_strength: Vec<f64>,
    pub out_strength: Vec<f64>,
}

/// Degrees and strengths of every node.
pub fn degrees(g: &Graph) -> Degrees {
    let n = g.node_count();
    let out = g.out_adjacency();
    let inc = g.in_adjacency();
    let od: Vec<f64> = (0..n as u32).map(|v| out.degree(v) as f64).collect();
    let id: Vec<f64> = (0..n as u32).map(|v| inc.degree(v) as f64).collect();
    let os: Vec<f64> = (0..n as u32).map(|v| out.weights(v).iter().sum()).collect();
    let is: Vec<f64> = (0..n as u32).map(|v| inc.weights(v).iter().sum()).collect();
    let (degree, strength) = if g.is_directed() {
        (
            od.iter().zip(&id).map(|(a, b)| a + b).collect(),
            os.iter().zip(&is).map(|(a, b)| a + b).collect(),
        )
    } else {
        (od.clone(), os.clone())
    };
    let scale = if n > 1 { 1.0 / (n as f64 - 1.0) } else { 1.0 };
    let degree_centrality = if n > 1 {
        degree.iter().map(|d: &f64| d * scale).collect()
    } else {
        vec![1.0; n]
    };
    Degrees {
        degree,
        in_degree: id,
        out_degree: od,
        degree_centrality,
        strength,
        in_strength: is,
        out_strength: os,
    }
}

/// Options of the power iterations.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PowerOptions {
    /// Stop when the L1 change of the vector is below `n * tolerance` (NetworkX's test).
    pub tolerance: f64,
    pub max_iterations: usize,
    /// Use edge weights (as tie strengths) when the graph is weighted.
    pub use_weights: bool,
}

impl Default for PowerOptions {
    fn default() -> Self {
        PowerOptions {
            tolerance: 1e-13,
            max_iterations: 10_000,
            use_weights: true,
        }
    }
}

/// A converged (or not) vector with its iteration count.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PowerResult {
    pub values: Vec<f64>,
    pub iterations: usize,
    pub converged: bool,
}

/// Eigenvector centrality as NetworkX: power iteration on A + I from the uniform vector,
/// Euclidean normalisation; for directed graphs a node's score comes from its in-neighbours
/// (left eigenvector). Iterated to `tolerance` (tighter than NetworkX's default 1e-6, so the
/// result is the eigenvector itself, not an early stop).
pub fn eigenvector(g: &Graph, opts: &PowerOptions) -> PowerResult {
    let n = g.node_count();
    if n == 0 {
        return PowerResult {
            values: vec![],
            iterations: 0,
            converged: true,
        };
    }
    let inc = g.in_adjacency();
    let weighted = opts.use_weights && g.is_weighted();
    let mut x = vec![1.0 / n as f64; n];
    let mut next = vec![0.0; n];
    for it in 1..=opts.max_iterations {
        next.par_iter_mut().enumerate().for_each(|(v, out)| {
            let v32 = v as u32;
            let mut s = x[v];
            if weighted {
                for (&u, &w) in inc.neighbors(v32).iter().zip(inc.weights(v32)) {
                    s += x[u as usize] * w;
                }
            } else {
                for &u in inc.neighbors(v32) {
                    s += x[u as usize];
                }
            }
            *out = s;
        });
        let norm = next.iter().map(|a| a * a).sum::<f64>().sqrt();
        let norm = if norm == 0.0 { 1.0 } else { norm };
        let mut err = 0.0;
        for v in 0..n {
            next[v] /= norm;
            err += (next[v] - x[v]).abs();
        }
        std::mem::swap(&mut x, &mut next);
        if err < n as f64 * opts.tolerance {
            return PowerResult {
                values: x,
                iterations: it,
                converged: true,
            };
        }
    }
    PowerResult {
        values: x,
        iterations: opts.max_iterations,
        converged: false,
    }
}

/// PageRank as NetworkX `pagerank`: damping `alpha` (0.85), uniform teleport, dangling nodes
/// (no out-weight) redistribute their score uniformly; weights used as transition weights.
pub fn pagerank(g: &Graph, alpha: f64, opts: &PowerOptions) -> Result<PowerResult, Error> {
    if !(alpha > 0.0 && alpha < 1.0) {
        return Err(Error::param("alpha", alpha, "a number in (0, 1)"));
    }
    let n = g.node_count();
    if n == 0 {
        return Ok(PowerResult {
            values: vec![],
            iterations: 0,
            converged: true,
        });
    }
    let out = g.out_adjacency();
    let inc = g.in_adjacency();
    let weighted = opts.use_weights && g.is_weighted();
    let out_w: Vec<f64> = (0..n as u32)
        .map(|v| {
            if weighted {
                out.weights(v).iter().sum()
            } else {
                out.degree(v) as f64
            }
        })
        .collect();
    let dangling: Vec<usize> = (0..n).filter(|&v| out_w[v] == 0.0).collect();
    let nf = n as f64;
    let mut x = vec![1.0 / nf; n];
    let mut next = vec![0.0; n];
    let mut share = vec![0.0; n];
    for it in 1..=opts.max_iterations {
        for v in 0..n {
            share[v] = if out_w[v] > 0.0 { x[v] / out_w[v] } else { 0.0 };
        }
        let dangling_sum: f64 = dangling.iter().map(|&v| x[v]).sum();
        let base = alpha * dangling_sum / nf + (1.0 - alpha) / nf;
        next.par_iter_mut().enumerate().for_each(|(v, o)| {
            let v32 = v as u32;
            let mut s = 0.0;
            if weighted {
                for (&u, &w) in inc.neighbors(v32).iter().zip(inc.weights(v32)) {
                    s += share[u as usize] * w;
                }
            } else {
                for &u in inc.neighbors(v32) {
                    s += share[u as usize];
                }
            }
            *o = alpha * s + base;
        });
        let err: f64 = next.iter().zip(&x).map(|(a, b)| (a - b).abs()).sum();
        std::mem::swap(&mut x, &mut next);
        if err < nf * opts.tolerance {
            return Ok(PowerResult {
                values: x,
                iterations: it,
                converged: true,
            });
        }
    }
    Ok(PowerResult {
        values: x,
        iterations: opts.max_iterations,
        converged: false,
    })
}
