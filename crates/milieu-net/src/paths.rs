//! Shortest-path measures from one all-sources sweep: betweenness (Brandes 2001), closeness
//! (with the Wasserman-Faust correction for disconnected graphs, as NetworkX), harmonic
//! centrality, eccentricity, diameter and average path length.
//!
//! One breadth-first search (or Dijkstra when paths use weights) per source yields all of them,
//! so `metrics` pays for the sweep once. Sources are split over rayon threads; each thread owns
//! reusable buffers (`u32` distances, `f64` path counts and dependencies, a `u32` queue that is
//! also the stack of the accumulation phase) and its own accumulators, summed at the end.
//! Predecessors are not stored: in the accumulation phase the predecessors of `w` are the
//! in-neighbours `v` with `d(v) + w(v,w) == d(w)`, recomputed with the same floating-point
//! arithmetic as the forward phase, so ties are resolved exactly as NetworkX resolves them.

use rand::SeedableRng;
use rand::seq::index::sample;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::graph::{Adjacency, Graph, NodeId};

/// How shortest paths use edge weights.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PathWeights {
    /// Every edge has length 1 (default: weights are tie strengths, not distances).
    #[default]
    Hops,
    /// The weight is the length of the edge (NetworkX `weight="weight"`).
    Distance,
    /// The length of an edge is 1 / weight (strong ties are short).
    InverseWeight,
}

/// Results of the all-sources sweep.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PathMeasures {
    /// Betweenness with NetworkX `normalized=False` (an undirected pair counts once).
    pub betweenness: Vec<f64>,
    /// Betweenness with NetworkX `normalized=True`: divided by (n-1)(n-2) for directed graphs
    /// and by (n-1)(n-2)/2 for undirected graphs.
    pub betweenness_normalized: Vec<f64>,
    /// Closeness (incoming distances for directed graphs), Wasserman-Faust corrected.
    pub closeness: Vec<f64>,
    /// Harmonic centrality: sum over other nodes u of 1 / d(u, v).
    pub harmonic: Vec<f64>,
    /// Number of nodes that reach v (excluding v).
    pub reached_by: Vec<u32>,
    /// Largest finite distance from v to another node (0 for an isolate).
    pub eccentricity: Vec<f64>,
    /// Ordered pairs (u, v), u != v, with a path from u to v.
    pub reachable_pairs: u64,
    /// Sum of d(u, v) over those pairs.
    pub total_distance: f64,
    /// Largest finite distance (igraph's `diameter(unconn=True)`).
    pub diameter: f64,
}

impl PathMeasures {
    /// Mean distance over reachable ordered pairs (NaN when there are none).
    pub fn average_path_length(&self) -> f64 {
        if self.reachable_pairs == 0 {
            f64::NAN
        } else {
            self.total_distance / self.reachable_pairs as f64
        }
    }
}

/// Betweenness estimated from a sample of sources, with its error bound.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SampledBetweenness {
    /// Estimates on the raw scale (as [`PathMeasures::betweenness`]).
    pub betweenness: Vec<f64>,
    /// Estimates on the normalised scale (as [`PathMeasures::betweenness_normalized`]).
    pub betweenness_normalized: Vec<f64>,
    /// Number of sampled sources.
    pub samples: usize,
    /// With probability at least 1 - `delta`, every normalised estimate is within `epsilon` of
    /// the exact normalised value (Hoeffding bound with a union bound over the n nodes).
    pub epsilon: f64,
    pub delta: f64,
}

const UNSEEN: u32 = u32::MAX;

struct Worker {
    dist: Vec<u32>,
    dist_f: Vec<f64>,
    sigma: Vec<f64>,
    delta: Vec<f64>,
    order: Vec<NodeId>,
    heap: MinHeap,
    bc: Vec<f64>,
    close_sum: Vec<f64>,
    reached_by: Vec<u32>,
    harmonic: Vec<f64>,
    ecc: Vec<(NodeId, f64)>,
    pairs: u64,
    total: f64,
    diameter: f64,
}

impl Worker {
    fn new(n: usize, with_paths: bool) -> Worker {
        let m = if with_paths { n } else { 0 };
        Worker {
            dist: vec![UNSEEN; n],
            dist_f: vec![f64::INFINITY; n],
            sigma: vec![0.0; n],
            delta: vec![0.0; n],
            order: Vec::with_capacity(n),
            heap: MinHeap::default(),
            bc: vec![0.0; n],
            close_sum: vec![0.0; m],
            reached_by: vec![0; m],
            harmonic: vec![0.0; m],
            ecc: Vec::new(),
            pairs: 0,
            total: 0.0,
            diameter: 0.0,
        }
    }

    fn merge(mut self, other: Worker) -> Worker {
        add_into(&mut self.bc, &other.bc);
        add_into(&mut self.close_sum, &other.close_sum);
        add_into(&mut self.harmonic, &other.harmonic);
        for (a, b) in self.reached_by.iter_mut().zip(&other.reached_by) {
            *a += b;
        }
        self.ecc.extend(other.ecc);
        self.pairs += other.pairs;
        self.total += other.total;
        self.diameter = self.diameter.max(other.diameter);
        self
    }

    /// Unweighted BFS from `s` plus dependency accumulation.
    fn bfs(&mut self, out: &Adjacency, inc: &Adjacency, s: NodeId, with_paths: bool) {
        let dist = &mut self.dist;
        let sigma = &mut self.sigma;
        let order = &mut self.order;
        order.clear();
        order.push(s);
        dist[s as usize] = 0;
        sigma[s as usize] = 1.0;
        let mut head = 0;
        while head < order.len() {
            let v = order[head];
            head += 1;
            let dv = dist[v as usize];
            let sv = sigma[v as usize];
            for &w in out.neighbors(v) {
                let dw = dist[w as usize];
                if dw == UNSEEN {
                    dist[w as usize] = dv + 1;
                    sigma[w as usize] = sv;
                    order.push(w);
                } else if dw == dv + 1 {
                    sigma[w as usize] += sv;
                }
            }
        }
        let delta = &mut self.delta;
        for &w in order[1..].iter().rev() {
            let dw1 = dist[w as usize] - 1;
            let coeff = (1.0 + delta[w as usize]) / sigma[w as usize];
            for &v in inc.neighbors(w) {
                if dist[v as usize] == dw1 {
                    delta[v as usize] += sigma[v as usize] * coeff;
                }
            }
            self.bc[w as usize] += delta[w as usize];
        }
        if with_paths {
            let mut far = 0u32;
            for &v in &order[1..] {
                let d = dist[v as usize];
                far = far.max(d);
                self.close_sum[v as usize] += d as f64;
                self.reached_by[v as usize] += 1;
                self.harmonic[v as usize] += 1.0 / d as f64;
                self.total += d as f64;
            }
            self.pairs += (order.len() - 1) as u64;
            self.diameter = self.diameter.max(far as f64);
            self.ecc.push((s, far as f64));
        }
        for &v in order.iter() {
            dist[v as usize] = UNSEEN;
            sigma[v as usize] = 0.0;
            delta[v as usize] = 0.0;
        }
    }

    /// Dijkstra from `s` (lengths from `len`) plus dependency accumulation.
    fn dijkstra(
        &mut self,
        out: &Adjacency,
        inc: &Adjacency,
        len: &dyn Fn(f64) -> f64,
        s: NodeId,
        with_paths: bool,
    ) {
        let dist = &mut self.dist_f;
        let sigma = &mut self.sigma;
        let order = &mut self.order;
        let done = &mut self.dist; // UNSEEN = not settled, 0 = settled
        order.clear();
        self.heap.clear();
        dist[s as usize] = 0.0;
        sigma[s as usize] = 1.0;
        self.heap.push(0.0, s);
        while let Some((d, v)) = self.heap.pop() {
            if done[v as usize] == 0 || d > dist[v as usize] {
                continue;
            }
            done[v as usize] = 0;
            order.push(v);
            let sv = sigma[v as usize];
            for (&w, &x) in out.neighbors(v).iter().zip(out.weights(v)) {
                if done[w as usize] == 0 {
                    continue;
                }
                let nd = d + len(x);
                let dw = dist[w as usize];
                if nd < dw {
                    dist[w as usize] = nd;
                    sigma[w as usize] = sv;
                    self.heap.push(nd, w);
                } else if nd == dw {
                    sigma[w as usize] += sv;
                }
            }
        }
        let delta = &mut self.delta;
        for &w in order[1..].iter().rev() {
            let dw = dist[w as usize];
            let coeff = (1.0 + delta[w as usize]) / sigma[w as usize];
            for (&v, &x) in inc.neighbors(w).iter().zip(inc.weights(w)) {
                if done[v as usize] == 0 && dist[v as usize] + len(x) == dw {
                    delta[v as usize] += sigma[v as usize] * coeff;
                }
            }
            self.bc[w as usize] += delta[w as usize];
        }
        if with_paths {
            let mut far = 0.0f64;
            for &v in &order[1..] {
                let d = dist[v as usize];
                far = far.max(d);
                self.close_sum[v as usize] += d;
                self.reached_by[v as usize] += 1;
                self.harmonic[v as usize] += 1.0 / d;
                self.total += d;
            }
            self.pairs += (order.len() - 1) as u64;
            self.diameter = self.diameter.max(far);
            self.ecc.push((s, far));
        }
        for &v in order.iter() {
            dist[v as usize] = f64::INFINITY;
            done[v as usize] = UNSEEN;
            sigma[v as usize] = 0.0;
            delta[v as usize] = 0.0;
        }
    }
}

fn add_into(a: &mut [f64], b: &[f64]) {
    for (x, y) in a.iter_mut().zip(b) {
        *x += y;
    }
}

/// Binary min-heap of (distance, node) with lazy deletion.
#[derive(Default)]
struct MinHeap {
    items: Vec<(f64, NodeId)>,
}

impl MinHeap {
    fn clear(&mut self) {
        self.items.clear();
    }
    fn less(a: &(f64, NodeId), b: &(f64, NodeId)) -> bool {
        a.0 < b.0 || (a.0 == b.0 && a.1 < b.1)
    }
    fn push(&mut self, d: f64, v: NodeId) {
        self.items.push((d, v));
        let mut i = self.items.len() - 1;
        while i > 0 {
            let p = (i - 1) / 2;
            if Self::less(&self.items[i], &self.items[p]) {
                self.items.swap(i, p);
                i = p;
            } else {
                break;
            }
        }
    }
    fn pop(&mut self) -> Option<(f64, NodeId)> {
        let n = self.items.len();
        if n == 0 {
            return None;
        }
        self.items.swap(0, n - 1);
        let top = self.items.pop();
        let n = self.items.len();
        let mut i = 0;
        loop {
            let (l, r) = (2 * i + 1, 2 * i + 2);
            let mut m = i;
            if l < n && Self::less(&self.items[l], &self.items[m]) {
                m = l;
            }
            if r < n && Self::less(&self.items[r], &self.items[m]) {
                m = r;
            }
            if m == i {
                break;
            }
            self.items.swap(i, m);
            i = m;
        }
        top
    }
}

fn sweep(g: &Graph, weights: PathWeights, sources: &[NodeId], with_paths: bool) -> Worker {
    let n = g.node_count();
    let out = g.out_adjacency();
    let inc = g.in_adjacency();
    let use_hops = weights == PathWeights::Hops || !g.is_weighted();
    let len: fn(f64) -> f64 = match weights {
        PathWeights::InverseWeight => |x| 1.0 / x,
        _ => |x| x,
    };
    let chunk = (sources.len() / (rayon::current_num_threads() * 8)).clamp(1, 256);
    sources
        .par_chunks(chunk)
        .fold(
            || Worker::new(n, with_paths),
            |mut wk, chunk| {
                for &s in chunk {
                    if use_hops {
                        wk.bfs(out, inc, s, with_paths);
                    } else {
                        wk.dijkstra(out, inc, &len, s, with_paths);
                    }
                }
                wk
            },
        )
        .reduce_with(Worker::merge)
        .unwrap_or_else(|| Worker::new(n, with_paths))
}

/// Scales summed dependencies to the raw and normalised conventions of NetworkX.
fn scale_betweenness(g: &Graph, sum: &[f64], factor: f64) -> (Vec<f64>, Vec<f64>) {
    let n = g.node_count() as f64;
    let half = if g.is_directed() { 1.0 } else { 0.5 };
    let raw: Vec<f64> = sum.iter().map(|x| x * half * factor).collect();
    let norm: Vec<f64> = if n > 2.0 {
        let s = 1.0 / ((n - 1.0) * (n - 2.0));
        sum.iter().map(|x| x * s * factor).collect()
    } else {
        sum.iter().map(|x| x * factor).collect()
    };
    (raw, norm)
}

/// Exact betweenness, closeness, harmonic centrality, eccentricity, diameter and average path
/// length from one sweep over all sources.
pub fn path_measures(g: &Graph, weights: PathWeights) -> PathMeasures {
    let n = g.node_count();
    let sources: Vec<NodeId> = (0..n as NodeId).collect();
    let wk = sweep(g, weights, &sources, true);
    let (betweenness, betweenness_normalized) = scale_betweenness(g, &wk.bc, 1.0);
    let closeness = (0..n)
        .map(|v| {
            let r = wk.reached_by[v] as f64;
            let tot = wk.close_sum[v];
            if tot > 0.0 && n > 1 {
                (r / tot) * (r / (n as f64 - 1.0))
            } else {
                0.0
            }
        })
        .collect();
    let mut eccentricity = vec![0.0; n];
    for &(s, e) in &wk.ecc {
        eccentricity[s as usize] = e;
    }
    PathMeasures {
        betweenness,
        betweenness_normalized,
        closeness,
        harmonic: wk.harmonic,
        reached_by: wk.reached_by,
        eccentricity,
        reachable_pairs: wk.pairs,
        total_distance: wk.total,
        diameter: wk.diameter,
    }
}

/// Exact betweenness only (raw, normalised).
pub fn betweenness(g: &Graph, weights: PathWeights) -> (Vec<f64>, Vec<f64>) {
    let sources: Vec<NodeId> = (0..g.node_count() as NodeId).collect();
    let wk = sweep(g, weights, &sources, false);
    scale_betweenness(g, &wk.bc, 1.0)
}

/// Number of sources needed so that every normalised estimate is within `epsilon` of the exact
/// value with probability at least 1 - `delta`: k = ceil(b^2 ln(2n/delta) / (2 epsilon^2)) with
/// b = n/(n-1) the range of one source's scaled contribution (Hoeffding 1963, union bound).
pub fn betweenness_sample_size(n: usize, epsilon: f64, delta: f64) -> usize {
    if n < 3 {
        return n;
    }
    let b = n as f64 / (n as f64 - 1.0);
    let k = (b * b * (2.0 * n as f64 / delta).ln() / (2.0 * epsilon * epsilon)).ceil();
    (k as usize).min(n)
}

/// Betweenness estimated from `samples` sources drawn uniformly without replacement
/// (seeded), scaled by n / samples as NetworkX's `k` option. The bound: one source s adds
/// X_s = n * delta_s(v) / ((n-1)(n-2)) to the normalised estimate's mean, X_s in [0, n/(n-1)],
/// E[X_s] = exact normalised betweenness; Hoeffding's inequality (which also holds for
/// sampling without replacement) and a union bound over the n nodes give
/// epsilon = b * sqrt(ln(2n/delta) / (2k)), b = n/(n-1). With samples = n the result is exact
/// and epsilon = 0.
pub fn betweenness_sampled(
    g: &Graph,
    weights: PathWeights,
    samples: usize,
    seed: u64,
    delta: f64,
) -> Result<SampledBetweenness, Error> {
    let n = g.node_count();
    if samples == 0 {
        return Err(Error::param("samples", samples, "at least 1"));
    }
    if !(delta > 0.0 && delta < 1.0) {
        return Err(Error::param("delta", delta, "a probability in (0, 1)"));
    }
    let k = samples.min(n);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut sources: Vec<NodeId> = if k == n {
        (0..n as NodeId).collect()
    } else {
        sample(&mut rng, n, k)
            .into_iter()
            .map(|i| i as NodeId)
            .collect()
    };
    sources.sort_unstable();
    let wk = sweep(g, weights, &sources, false);
    let factor = if k == 0 { 0.0 } else { n as f64 / k as f64 };
    let (raw, norm) = scale_betweenness(g, &wk.bc, factor);
    let epsilon = if k >= n || n < 3 {
        0.0
    } else {
        let b = n as f64 / (n as f64 - 1.0);
        b * ((2.0 * n as f64 / delta).ln() / (2.0 * k as f64)).sqrt()
    };
    Ok(SampledBetweenness {
        betweenness: raw,
        betweenness_normalized: norm,
        samples: k,
        epsilon,
        delta,
    })
}
