//! Communities: modularity, Louvain (Blondel et al. 2008) and Leiden (Traag, Waltman & van Eck
//! 2019), with the modularity or the Constant Potts Model (CPM) quality, a resolution parameter
//! and a seed. Runs are deterministic per seed (one ChaCha8 stream, single-threaded).
//!
//! Qualities, in edge-weight units (the algorithms maximise them):
//! - modularity: H = sum_c [ I_c - gamma K_c^2 / (4m) ], reported as Q = H / m
//!   (Newman & Girvan 2004; Reichardt & Bornholdt 2006 for gamma), with I_c the internal weight
//!   and K_c the total strength of community c;
//! - CPM: H = sum_c [ I_c - gamma n_c (n_c - 1) / 2 ] (Traag, Van Dooren & Nesterov 2011).
//!
//! Directed graphs are clustered on their underlying undirected graph with mutual weights
//! (w_uv + w_vu); [`modularity`] of a given partition follows NetworkX, directed formula included.
//!
//! Leiden: (1) fast local moving with a queue (only neighbours of moved nodes are revisited);
//! (2) refinement: inside each community, singletons that are well connected merge into
//! well-connected refined sub-communities, chosen at random with probability proportional to
//! exp(gain / 0.01) among non-negative gains (θ = 0.01 as in the paper and igraph), which
//! guarantees connected communities; (3) aggregation by the refined partition, with the
//! unrefined partition as the start on the aggregate graph; repeat until every community is one
//! aggregate node. Then whole runs repeat from the previous partition until the quality stops
//! improving (`max_runs`). Louvain: repeated random-order sweeps of local moving, aggregation,
//! until no node moves.

use rand::Rng;
use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::graph::{Graph, NodeId};

/// Community detection algorithm.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Algorithm {
    #[default]
    Leiden,
    Louvain,
}

/// Quality function to maximise.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Quality {
    #[default]
    Modularity,
    Cpm,
}

/// Options of [`communities`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CommunityOptions {
    pub algorithm: Algorithm,
    pub quality: Quality,
    /// gamma: > 1 gives more, smaller communities (modularity default 1; for CPM it is the
    /// minimum internal density, e.g. 0.05).
    pub resolution: f64,
    pub seed: u64,
    /// Use edge weights when the graph is weighted.
    pub use_weights: bool,
    /// Leiden: at most this many runs, each starting from the previous partition, stopping
    /// early when the quality does not improve.
    pub max_runs: usize,
    /// Independent chains (each from singletons with its own seeded stream), run in parallel;
    /// the best quality wins (ties: the lowest chain). Results do not depend on thread count.
    pub restarts: usize,
}

impl Default for CommunityOptions {
    fn default() -> Self {
        CommunityOptions {
            algorithm: Algorithm::Leiden,
            quality: Quality::Modularity,
            resolution: 1.0,
            seed: 42,
            use_weights: true,
            max_runs: 100,
            restarts: 2,
        }
    }
}

/// A partition and its quality.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Partition {
    /// Community of each node, numbered 0.. by decreasing size (ties: smallest node first).
    pub membership: Vec<u32>,
    pub sizes: Vec<usize>,
    /// The optimised quality (Q for modularity, H for CPM).
    pub quality: f64,
    /// Modularity of the partition on the clustered (undirected) graph, with gamma =
    /// `resolution` for modularity runs and gamma = 1 for CPM runs.
    pub modularity: f64,
    /// Aggregation levels of the last run.
    pub levels: usize,
    pub runs: usize,
}

/// One row per node for `milieu net communities`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CommunityRow {
    pub id: String,
    pub community: u32,
    pub community_size: usize,
}

impl Partition {
    /// Rows with node labels.
    pub fn rows(&self, g: &Graph) -> Vec<CommunityRow> {
        self.membership
            .iter()
            .enumerate()
            .map(|(v, &c)| CommunityRow {
                id: g.labels()[v].clone(),
                community: c,
                community_size: self.sizes[c as usize],
            })
            .collect()
    }
}

/// Working graph of the algorithms: undirected, arcs both ways, self weights kept apart.
#[derive(Debug, Clone)]
struct WGraph {
    off: Vec<usize>,
    adj: Vec<u32>,
    w: Vec<f64>,
    /// Weight of arcs inside the node (twice the internal edge weight).
    self_w: Vec<f64>,
    /// Strength including self weight.
    k: Vec<f64>,
    /// Number of original nodes.
    size: Vec<f64>,
    two_m: f64,
}

impl WGraph {
    fn from_graph(g: &Graph, use_weights: bool) -> WGraph {
        let sym = if use_weights && g.is_weighted() {
            g.symmetric().into_owned()
        } else {
            g.symmetric_map(|_| 1.0)
        };
        let n = sym.len();
        let k: Vec<f64> = (0..n as NodeId)
            .map(|v| sym.weights(v).iter().sum())
            .collect();
        let two_m = k.iter().sum();
        WGraph {
            off: sym.off.clone(),
            adj: sym.adj.clone(),
            w: sym.w.clone(),
            self_w: vec![0.0; n],
            k,
            size: vec![1.0; n],
            two_m,
        }
    }
    fn n(&self) -> usize {
        self.k.len()
    }
    #[inline]
    fn row(&self, v: usize) -> (&[u32], &[f64]) {
        let (s, e) = (self.off[v], self.off[v + 1]);
        (&self.adj[s..e], &self.w[s..e])
    }

    fn aggregate(&self, part: &[u32], k: usize) -> WGraph {
        let n = self.n();
        let mut start = vec![0usize; k + 1];
        for &c in part {
            start[c as usize + 1] += 1;
        }
        for c in 0..k {
            start[c + 1] += start[c];
        }
        let mut members = vec![0u32; n];
        let mut pos = start.clone();
        for v in 0..n {
            let c = part[v] as usize;
            members[pos[c]] = v as u32;
            pos[c] += 1;
        }
        let mut acc = vec![0.0f64; k];
        let mut touched: Vec<u32> = Vec::new();
        let mut off = Vec::with_capacity(k + 1);
        off.push(0);
        let mut adj = Vec::new();
        let mut w = Vec::new();
        let mut self_w = vec![0.0; k];
        let mut kk = vec![0.0; k];
        let mut size = vec![0.0; k];
        for c in 0..k {
            for &v in &members[start[c]..start[c + 1]] {
                let v = v as usize;
                self_w[c] += self.self_w[v];
                kk[c] += self.k[v];
                size[c] += self.size[v];
                let (nb, ws) = self.row(v);
                for (&u, &x) in nb.iter().zip(ws) {
                    let d = part[u as usize];
                    if d as usize == c {
                        self_w[c] += x;
                    } else {
                        if acc[d as usize] == 0.0 {
                            touched.push(d);
                        }
                        acc[d as usize] += x;
                    }
                }
            }
            for &d in &touched {
                adj.push(d);
                w.push(acc[d as usize]);
                acc[d as usize] = 0.0;
            }
            touched.clear();
            off.push(adj.len());
        }
        WGraph {
            off,
            adj,
            w,
            self_w,
            k: kk,
            size,
            two_m: self.two_m,
        }
    }
}

#[derive(Clone, Copy)]
struct Objective {
    quality: Quality,
    gamma: f64,
    two_m: f64,
}

impl Objective {
    /// Gain of joining community (total strength kc, size nc) for a node (kv, nv) with
    /// weight w_vc to it, relative to being alone.
    #[inline]
    fn gain(&self, w_vc: f64, kv: f64, kc: f64, nv: f64, nc: f64) -> f64 {
        match self.quality {
            Quality::Modularity => w_vc - self.gamma * kv * kc / self.two_m,
            Quality::Cpm => w_vc - self.gamma * nv * nc,
        }
    }
    /// Well-connectedness threshold of a set (strength k, size s) inside a community (K, N).
    #[inline]
    fn threshold(&self, k: f64, s: f64, kc: f64, nc: f64) -> f64 {
        match self.quality {
            Quality::Modularity => self.gamma * k * (kc - k) / self.two_m,
            Quality::Cpm => self.gamma * s * (nc - s),
        }
    }
}

/// Renumbers labels to 0..k in order of first appearance; returns k.
fn renumber(labels: &mut [u32]) -> usize {
    let mut map = vec![u32::MAX; labels.len().max(1)];
    let mut k = 0u32;
    for l in labels.iter_mut() {
        let m = &mut map[*l as usize];
        if *m == u32::MAX {
            *m = k;
            k += 1;
        }
        *l = *m;
    }
    k as usize
}

/// Local moving. `queue = true`: Leiden's fast local moving; false: Louvain's sweeps.
/// Returns whether any node moved.
fn move_nodes(
    g: &WGraph,
    comm: &mut [u32],
    obj: &Objective,
    rng: &mut ChaCha8Rng,
    queue: bool,
) -> bool {
    let n = g.n();
    let mut kc = vec![0.0f64; n];
    let mut nc = vec![0.0f64; n];
    let mut cnt = vec![0u32; n];
    for v in 0..n {
        let c = comm[v] as usize;
        kc[c] += g.k[v];
        nc[c] += g.size[v];
        cnt[c] += 1;
    }
    let mut empties: Vec<u32> = (0..n as u32).filter(|&c| cnt[c as usize] == 0).collect();
    let mut neigh_w = vec![0.0f64; n];
    let mut touched: Vec<u32> = Vec::new();
    let mut order: Vec<u32> = (0..n as u32).collect();
    order.shuffle(rng);
    let eps = 1e-12 * g.two_m.max(1.0) / (n.max(1) as f64);
    let mut moved_any = false;

    let mut visit = |v: usize,
                     comm: &mut [u32],
                     kc: &mut [f64],
                     nc: &mut [f64],
                     cnt: &mut [u32],
                     empties: &mut Vec<u32>|
     -> Option<u32> {
        let c0 = comm[v];
        let (nb, ws) = g.row(v);
        for (&u, &x) in nb.iter().zip(ws) {
            let c = comm[u as usize];
            if neigh_w[c as usize] == 0.0 {
                touched.push(c);
            }
            neigh_w[c as usize] += x;
        }
        let (kv, nv) = (g.k[v], g.size[v]);
        kc[c0 as usize] -= kv;
        nc[c0 as usize] -= nv;
        cnt[c0 as usize] -= 1;
        let mut best = c0;
        let mut best_gain = obj.gain(
            neigh_w[c0 as usize],
            kv,
            kc[c0 as usize],
            nv,
            nc[c0 as usize],
        );
        for &c in &touched {
            if c == c0 {
                continue;
            }
            let gn = obj.gain(neigh_w[c as usize], kv, kc[c as usize], nv, nc[c as usize]);
            if gn > best_gain + eps {
                best = c;
                best_gain = gn;
            }
        }
        if best_gain < -eps {
            // Alone is better than any community (possible with CPM or high resolution).
            if cnt[c0 as usize] == 0 {
                best = c0;
            } else {
                while let Some(e) = empties.pop() {
                    if cnt[e as usize] == 0 {
                        best = e;
                        break;
                    }
                }
            }
        }
        for &c in &touched {
            neigh_w[c as usize] = 0.0;
        }
        touched.clear();
        comm[v] = best;
        kc[best as usize] += kv;
        nc[best as usize] += nv;
        cnt[best as usize] += 1;
        if cnt[c0 as usize] == 0 {
            empties.push(c0);
        }
        (best != c0).then_some(best)
    };

    if queue {
        let mut q: std::collections::VecDeque<u32> = order.iter().copied().collect();
        let mut in_q = vec![true; n];
        while let Some(v) = q.pop_front() {
            let v = v as usize;
            in_q[v] = false;
            if let Some(best) = visit(v, comm, &mut kc, &mut nc, &mut cnt, &mut empties) {
                moved_any = true;
                let (nb, _) = g.row(v);
                for &u in nb {
                    if !in_q[u as usize] && comm[u as usize] != best {
                        in_q[u as usize] = true;
                        q.push_back(u);
                    }
                }
            }
        }
    } else {
        loop {
            let mut moved = 0usize;
            for &v in &order {
                if visit(v as usize, comm, &mut kc, &mut nc, &mut cnt, &mut empties).is_some() {
                    moved += 1;
                }
            }
            if moved == 0 {
                break;
            }
            moved_any = true;
            order.shuffle(rng);
        }
    }
    moved_any
}

/// Leiden refinement of `comm` (labels 0..k): returns the refined labels.
fn refine(g: &WGraph, comm: &[u32], k: usize, obj: &Objective, rng: &mut ChaCha8Rng) -> Vec<u32> {
    let n = g.n();
    let mut kcomm = vec![0.0f64; k];
    let mut ncomm = vec![0.0f64; k];
    for v in 0..n {
        kcomm[comm[v] as usize] += g.k[v];
        ncomm[comm[v] as usize] += g.size[v];
    }
    let mut refined: Vec<u32> = (0..n as u32).collect();
    let mut kr = g.k.clone();
    let mut nr = g.size.clone();
    let mut cnt = vec![1u32; n];
    // ext[r]: weight from refined community r to the rest of its community.
    let mut ext = vec![0.0f64; n];
    for v in 0..n {
        let (nb, ws) = g.row(v);
        for (&u, &x) in nb.iter().zip(ws) {
            if comm[u as usize] == comm[v] {
                ext[v] += x;
            }
        }
    }
    let mut order: Vec<u32> = (0..n as u32).collect();
    order.shuffle(rng);
    let mut neigh_w = vec![0.0f64; n];
    let mut touched: Vec<u32> = Vec::new();
    let mut cands: Vec<(u32, f64)> = Vec::new();
    const THETA: f64 = 0.01;
    for &v in &order {
        let v = v as usize;
        let r0 = refined[v];
        if cnt[r0 as usize] != 1 {
            continue;
        }
        let c = comm[v] as usize;
        let (kv, nv) = (g.k[v], g.size[v]);
        if ext[v] < obj.threshold(kv, nv, kcomm[c], ncomm[c]) {
            continue;
        }
        let (nb, ws) = g.row(v);
        for (&u, &x) in nb.iter().zip(ws) {
            if comm[u as usize] as usize != c {
                continue;
            }
            let r = refined[u as usize];
            if neigh_w[r as usize] == 0.0 {
                touched.push(r);
            }
            neigh_w[r as usize] += x;
        }
        // v leaves its singleton.
        kr[r0 as usize] -= kv;
        nr[r0 as usize] -= nv;
        cands.clear();
        cands.push((r0, 0.0));
        for &r in &touched {
            if r == r0 {
                continue;
            }
            let (kr_r, nr_r) = (kr[r as usize], nr[r as usize]);
            if ext[r as usize] < obj.threshold(kr_r, nr_r, kcomm[c], ncomm[c]) {
                continue;
            }
            let gn = obj.gain(neigh_w[r as usize], kv, kr_r, nv, nr_r);
            if gn >= 0.0 {
                cands.push((r, gn));
            }
        }
        let chosen = if cands.len() == 1 {
            r0
        } else {
            let top = cands.iter().map(|c| c.1).fold(f64::MIN, f64::max);
            let total: f64 = cands.iter().map(|c| ((c.1 - top) / THETA).exp()).sum();
            let mut x = rng.random::<f64>() * total;
            let mut pick = cands[cands.len() - 1].0;
            for &(r, gn) in &cands {
                x -= ((gn - top) / THETA).exp();
                if x <= 0.0 {
                    pick = r;
                    break;
                }
            }
            pick
        };
        if chosen != r0 {
            let wvr = neigh_w[chosen as usize];
            refined[v] = chosen;
            kr[chosen as usize] += kv;
            nr[chosen as usize] += nv;
            cnt[chosen as usize] += 1;
            cnt[r0 as usize] = 0;
            ext[chosen as usize] = ext[chosen as usize] + ext[v] - 2.0 * wvr;
        } else {
            kr[r0 as usize] += kv;
            nr[r0 as usize] += nv;
        }
        for &r in &touched {
            neigh_w[r as usize] = 0.0;
        }
        touched.clear();
    }
    refined
}

/// Quality H of a partition of the working graph (edge-weight units).
fn quality_of(g: &WGraph, comm: &[u32], obj: &Objective) -> f64 {
    let n = g.n();
    let k = comm.iter().map(|&c| c as usize + 1).max().unwrap_or(0);
    let mut internal = vec![0.0f64; k];
    let mut kc = vec![0.0f64; k];
    let mut nc = vec![0.0f64; k];
    for v in 0..n {
        let c = comm[v] as usize;
        internal[c] += g.self_w[v];
        kc[c] += g.k[v];
        nc[c] += g.size[v];
        let (nb, ws) = g.row(v);
        for (&u, &x) in nb.iter().zip(ws) {
            if comm[u as usize] as usize == c {
                internal[c] += x;
            }
        }
    }
    (0..k)
        .map(|c| {
            let i = internal[c] / 2.0;
            match obj.quality {
                Quality::Modularity => i - obj.gamma * kc[c] * kc[c] / (2.0 * obj.two_m),
                Quality::Cpm => i - obj.gamma * nc[c] * (nc[c] - 1.0) / 2.0,
            }
        })
        .sum()
}

fn one_run(
    g0: &WGraph,
    start: &[u32],
    obj: &Objective,
    rng: &mut ChaCha8Rng,
    leiden: bool,
) -> (Vec<u32>, usize) {
    // Level 0 works on g0 itself; later levels on their aggregate graphs.
    let mut aggregated: Option<WGraph> = None;
    let mut comm = start.to_vec();
    let mut node_of: Vec<u32> = (0..g0.n() as u32).collect();
    let mut levels = 0;
    loop {
        let g = aggregated.as_ref().unwrap_or(g0);
        levels += 1;
        move_nodes(g, &mut comm, obj, rng, leiden);
        let k = renumber(&mut comm);
        if k == g.n() {
            break;
        }
        let (mut agg_part, next_start) = if leiden {
            let mut refined = refine(g, &comm, k, obj, rng);
            let r = renumber(&mut refined);
            if r == g.n() {
                break;
            }
            let mut start = vec![0u32; r];
            for v in 0..g.n() {
                start[refined[v] as usize] = comm[v];
            }
            (refined, start)
        } else {
            (comm.clone(), (0..k as u32).collect())
        };
        let parts = next_start.len();
        let agg = g.aggregate(&agg_part, parts);
        for x in node_of.iter_mut() {
            *x = agg_part[*x as usize];
        }
        agg_part.clear();
        aggregated = Some(agg);
        comm = next_start;
    }
    let membership = node_of.iter().map(|&x| comm[x as usize]).collect();
    (membership, levels)
}

/// Finds communities with Leiden or Louvain.
pub fn communities(g: &Graph, opts: &CommunityOptions) -> Result<Partition, Error> {
    if !(opts.resolution.is_finite() && opts.resolution >= 0.0) {
        return Err(Error::param(
            "resolution",
            opts.resolution,
            "a finite number >= 0",
        ));
    }
    let wg = WGraph::from_graph(g, opts.use_weights);
    let n = wg.n();
    let obj = Objective {
        quality: opts.quality,
        gamma: opts.resolution,
        two_m: wg.two_m.max(f64::MIN_POSITIVE),
    };
    let singletons: Vec<u32> = (0..n as u32).collect();
    let leiden = opts.algorithm == Algorithm::Leiden;
    let chain = |c: usize| -> (Vec<u32>, f64, usize, usize) {
        // Chain 0 uses the seed itself; others derive a stream from (seed, chain).
        let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
        rng.set_stream(c as u64);
        let (mut best, mut levels) = one_run(&wg, &singletons, &obj, &mut rng, leiden);
        let mut best_q = quality_of(&wg, &best, &obj);
        let mut runs = 1;
        if leiden {
            while runs < opts.max_runs.max(1) {
                let (next, lv) = one_run(&wg, &best, &obj, &mut rng, true);
                runs += 1;
                let q = quality_of(&wg, &next, &obj);
                if q > best_q + 1e-12 * wg.two_m.max(1.0) {
                    best = next;
                    best_q = q;
                    levels = lv;
                } else {
                    break;
                }
            }
        }
        (best, best_q, levels, runs)
    };
    let chains: Vec<(Vec<u32>, f64, usize, usize)> = (0..opts.restarts.max(1))
        .into_par_iter()
        .map(chain)
        .collect();
    let mut pick = 0;
    for (i, c) in chains.iter().enumerate() {
        if c.1 > chains[pick].1 {
            pick = i;
        }
    }
    let (best, best_q, levels, runs) = chains.into_iter().nth(pick).expect("at least one chain");
    let (membership, sizes) = canonical(&best);
    let quality = match opts.quality {
        Quality::Modularity => best_q / (wg.two_m / 2.0).max(f64::MIN_POSITIVE),
        Quality::Cpm => best_q,
    };
    let mod_obj = Objective {
        quality: Quality::Modularity,
        gamma: if opts.quality == Quality::Modularity {
            opts.resolution
        } else {
            1.0
        },
        two_m: obj.two_m,
    };
    let modularity = if wg.two_m > 0.0 {
        quality_of(&wg, &membership, &mod_obj) / (wg.two_m / 2.0)
    } else {
        f64::NAN
    };
    Ok(Partition {
        membership,
        sizes,
        quality,
        modularity,
        levels,
        runs,
    })
}

/// Numbers communities by decreasing size, ties by smallest member.
fn canonical(labels: &[u32]) -> (Vec<u32>, Vec<usize>) {
    let mut l = labels.to_vec();
    let k = renumber(&mut l);
    let mut size = vec![0usize; k];
    for &c in &l {
        size[c as usize] += 1;
    }
    let mut ids: Vec<usize> = (0..k).collect();
    // renumber() numbered by first appearance, so the id order is the smallest-member order.
    ids.sort_by(|&a, &b| size[b].cmp(&size[a]).then(a.cmp(&b)));
    let mut rank = vec![0u32; k];
    for (r, &c) in ids.iter().enumerate() {
        rank[c] = r as u32;
    }
    let sizes = ids.iter().map(|&c| size[c]).collect();
    (l.iter().map(|&c| rank[c as usize]).collect(), sizes)
}

/// Modularity of a given partition as NetworkX `community.modularity` (directed formula for
/// directed graphs): Q = sum_c [ L_c / m - gamma * K_out_c * K_in_c / m^2 ] (directed) or
/// sum_c [ L_c / m - gamma * (K_c / 2m)^2 ] (undirected).
pub fn modularity(
    g: &Graph,
    membership: &[u32],
    resolution: f64,
    use_weights: bool,
) -> Result<f64, Error> {
    if membership.len() != g.node_count() {
        return Err(Error::param(
            "membership",
            membership.len(),
            &format!("one community per node ({})", g.node_count()),
        ));
    }
    let weighted = use_weights && g.is_weighted();
    let k = membership
        .iter()
        .map(|&c| c as usize + 1)
        .max()
        .unwrap_or(0);
    let mut internal = vec![0.0; k];
    let mut kout = vec![0.0; k];
    let mut kin = vec![0.0; k];
    let mut m = 0.0;
    for e in g.edges() {
        let w = if weighted { e.weight } else { 1.0 };
        let (cu, cv) = (
            membership[e.source as usize] as usize,
            membership[e.target as usize] as usize,
        );
        m += w;
        kout[cu] += w;
        kin[cv] += w;
        if !g.is_directed() {
            kout[cv] += w;
            kin[cu] += w;
        }
        if cu == cv {
            internal[cu] += w;
        }
    }
    if m == 0.0 {
        return Ok(f64::NAN);
    }
    let norm = if g.is_directed() {
        1.0 / (m * m)
    } else {
        1.0 / (4.0 * m * m)
    };
    Ok((0..k)
        .map(|c| internal[c] / m - resolution * kout[c] * kin[c] * norm)
        .sum())
}

/// Maximal cliques (Bron-Kerbosch with Tomita pivoting) of the underlying undirected graph,
/// each sorted by node id, cliques sorted. Fails when more than `limit` cliques exist.
pub fn maximal_cliques(
    g: &Graph,
    min_size: usize,
    limit: usize,
) -> Result<Vec<Vec<NodeId>>, Error> {
    let sym = g.symmetric_map(|_| 1.0);
    let n = sym.len();
    let mut out: Vec<Vec<NodeId>> = Vec::new();
    let mut r: Vec<NodeId> = Vec::new();
    // Degeneracy order for the outer level keeps the recursion small (Eppstein et al. 2010).
    let order = crate::kcore::degeneracy_order(&sym);
    let mut pos = vec![0usize; n];
    for (i, &v) in order.iter().enumerate() {
        pos[v as usize] = i;
    }
    for &v in &order {
        let nb = sym.neighbors(v);
        let p: Vec<NodeId> = nb
            .iter()
            .copied()
            .filter(|&u| pos[u as usize] > pos[v as usize])
            .collect();
        let x: Vec<NodeId> = nb
            .iter()
            .copied()
            .filter(|&u| pos[u as usize] < pos[v as usize])
            .collect();
        r.push(v);
        bron_kerbosch(&sym, &mut r, p, x, min_size, limit, &mut out)?;
        r.pop();
    }
    for c in out.iter_mut() {
        c.sort_unstable();
    }
    out.sort();
    Ok(out)
}

fn bron_kerbosch(
    sym: &crate::graph::Adjacency,
    r: &mut Vec<NodeId>,
    p: Vec<NodeId>,
    x: Vec<NodeId>,
    min_size: usize,
    limit: usize,
    out: &mut Vec<Vec<NodeId>>,
) -> Result<(), Error> {
    if p.is_empty() {
        if x.is_empty() && r.len() >= min_size {
            if out.len() >= limit {
                return Err(Error::Unsupported(format!(
                    "more than {limit} maximal cliques; cliques are meant for small graphs \
                     (raise the limit or the minimum size)"
                )));
            }
            out.push(r.clone());
        }
        return Ok(());
    }
    let adjacent = |a: NodeId, b: NodeId| sym.neighbors(a).binary_search(&b).is_ok();
    let pivot = p
        .iter()
        .chain(x.iter())
        .copied()
        .max_by_key(|&u| p.iter().filter(|&&q| adjacent(u, q)).count())
        .unwrap_or(p[0]);
    let candidates: Vec<NodeId> = p.iter().copied().filter(|&q| !adjacent(pivot, q)).collect();
    let mut p = p;
    let mut x = x;
    for v in candidates {
        let np: Vec<NodeId> = p.iter().copied().filter(|&q| adjacent(v, q)).collect();
        let nx: Vec<NodeId> = x.iter().copied().filter(|&q| adjacent(v, q)).collect();
        r.push(v);
        bron_kerbosch(sym, r, np, nx, min_size, limit, out)?;
        r.pop();
        p.retain(|&q| q != v);
        x.push(v);
    }
    Ok(())
}
