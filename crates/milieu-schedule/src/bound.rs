//! Upper bound on the priority sum: a min-cost-flow relaxation on the bipartite double cover of
//! the request graph, with slots, tightened by Lagrangian prices on the per-slot table capacity.
//!
//! Let `x[e][s]` say meeting `e` is in slot `s`. Every valid schedule satisfies
//! `sum_s x[e][s] <= 1` (a pair meets once), `sum_{e at p} x[e][s] <= 1` (one meeting per person
//! and slot), `sum_{e at p, s} x[e][s] <= b_p` (max meetings) and `sum_e x[e][s] <= T_s` (tables).
//! Copy every participant to a left node `p_L` and a right node `p_R`, and every meeting `{u,v}`
//! to two arcs `u_L -> v_R` and `v_L -> u_R`, each of weight `w/2`. A flow network
//!
//! `source -> p_L (cap b_p) -> pair node (u->v) (cap 1) -> (v_R, s) (cap 1, for common slots s)
//!  -> v_R (cap b_v) -> sink`,
//!
//! keeps the pair-once constraint on the left side and the person-slot constraint on the right,
//! so `y = x` on both copies of every schedule is a feasible flow of the same weight: the
//! maximum-weight flow is an upper bound. The table capacity couples all arcs of a slot, which a
//! flow cannot express: it is priced with Lagrangian multipliers `lambda_s >= 0` (each arc in slot
//! `s` costs `lambda_s` more and `sum_s lambda_s * 2 T_s` is added back); every choice of
//! multipliers gives a valid bound, and a few subgradient steps pick good ones. The total number
//! of meetings is capped by `sum_s T_s` exactly, as a limit on the flow value. Fixed meetings
//! are taken out first (their capacity removed, their priority added).
//!
//! Weights are small integers (priorities 1..3, scaled by 4 so that prices can move in quarters),
//! so the primal-dual algorithm (Dijkstra with potentials, then a blocking flow on the
//! zero-reduced-cost arcs) needs only a handful of phases.

use crate::instance::{Instance, bits};
use std::collections::{BinaryHeap, VecDeque};
use std::time::Instant;

const SCALE: i64 = 4;

/// A residual network in compressed sparse rows: the arcs of node `x` are
/// `start[x]..start[x + 1]`, `rev[a]` is the reverse arc of `a`.
struct Graph {
    start: Vec<u32>,
    to: Vec<u32>,
    rev: Vec<u32>,
    cap: Vec<i32>,
    cost: Vec<i64>,
}

impl Graph {
    /// Build from `(from, to, capacity, cost)`; returns the graph and the position of each
    /// input arc.
    fn build(n: usize, arcs: &[(u32, u32, i32, i64)]) -> (Graph, Vec<u32>) {
        let mut deg = vec![0u32; n + 1];
        for &(a, b, _, _) in arcs {
            deg[a as usize] += 1;
            deg[b as usize] += 1;
        }
        let mut start = vec![0u32; n + 1];
        for x in 0..n {
            start[x + 1] = start[x] + deg[x];
        }
        let m = start[n] as usize;
        let mut fill = start.clone();
        let mut g = Graph {
            start,
            to: vec![0; m],
            rev: vec![0; m],
            cap: vec![0; m],
            cost: vec![0; m],
        };
        let mut pos = Vec::with_capacity(arcs.len());
        for &(a, b, c, k) in arcs {
            let i = fill[a as usize] as usize;
            fill[a as usize] += 1;
            let j = fill[b as usize] as usize;
            fill[b as usize] += 1;
            g.to[i] = b;
            g.cap[i] = c;
            g.cost[i] = k;
            g.rev[i] = j as u32;
            g.to[j] = a;
            g.cap[j] = 0;
            g.cost[j] = -k;
            g.rev[j] = i as u32;
            pos.push(i as u32);
        }
        (g, pos)
    }

    #[inline]
    fn arcs(&self, x: usize) -> std::ops::Range<usize> {
        self.start[x] as usize..self.start[x + 1] as usize
    }
}

/// Maximum-weight flow (minimum cost, stopping when no negative-cost path remains or the flow
/// reaches `limit`). Returns the total cost (non-positive).
fn min_cost_flow(g: &mut Graph, source: usize, sink: usize, limit: i64) -> i64 {
    let n = g.start.len() - 1;
    // Initial potentials: Bellman-Ford (queue based) on the residual graph, a layered DAG here.
    let mut pot = vec![i64::MAX; n];
    pot[source] = 0;
    let mut queue = VecDeque::from([source]);
    let mut in_queue = vec![false; n];
    in_queue[source] = true;
    while let Some(x) = queue.pop_front() {
        in_queue[x] = false;
        for a in g.arcs(x) {
            if g.cap[a] > 0 {
                let y = g.to[a] as usize;
                let d = pot[x] + g.cost[a];
                if d < pot[y] {
                    pot[y] = d;
                    if !in_queue[y] {
                        in_queue[y] = true;
                        queue.push_back(y);
                    }
                }
            }
        }
    }
    let reach_max = pot
        .iter()
        .filter(|p| **p != i64::MAX)
        .copied()
        .max()
        .unwrap_or(0);
    for p in pot.iter_mut() {
        if *p == i64::MAX {
            *p = reach_max;
        }
    }
    let mut flow = 0i64;
    let mut total = 0i64;
    let mut dist = vec![i64::MAX; n];
    let mut level = vec![u32::MAX; n];
    let mut cur = vec![0u32; n];
    let mut bfs: Vec<u32> = Vec::with_capacity(n);
    let mut path: Vec<u32> = Vec::new();
    while flow < limit {
        // Dijkstra on reduced costs.
        dist.iter_mut().for_each(|d| *d = i64::MAX);
        dist[source] = 0;
        let mut heap = BinaryHeap::new();
        heap.push(std::cmp::Reverse((0i64, source as u32)));
        while let Some(std::cmp::Reverse((d, x))) = heap.pop() {
            let x = x as usize;
            if d > dist[x] {
                continue;
            }
            for a in g.arcs(x) {
                if g.cap[a] > 0 {
                    let y = g.to[a] as usize;
                    let nd = d + g.cost[a] + pot[x] - pot[y];
                    if nd < dist[y] {
                        dist[y] = nd;
                        heap.push(std::cmp::Reverse((nd, y as u32)));
                    }
                }
            }
        }
        if dist[sink] == i64::MAX {
            break;
        }
        let cap_d = dist[sink];
        for x in 0..n {
            pot[x] += dist[x].min(cap_d);
        }
        let path_cost = pot[sink] - pot[source];
        if path_cost >= 0 {
            break;
        }
        // Blocking flows (Dinic) on arcs with zero reduced cost.
        loop {
            level.iter_mut().for_each(|l| *l = u32::MAX);
            level[source] = 0;
            bfs.clear();
            bfs.push(source as u32);
            let mut head = 0;
            'bfs: while head < bfs.len() {
                let x = bfs[head] as usize;
                head += 1;
                if level[x] >= level[sink] {
                    break;
                }
                for a in g.arcs(x) {
                    let y = g.to[a] as usize;
                    if g.cap[a] > 0 && level[y] == u32::MAX && g.cost[a] + pot[x] - pot[y] == 0 {
                        level[y] = level[x] + 1;
                        if y == sink {
                            break 'bfs;
                        }
                        bfs.push(y as u32);
                    }
                }
            }
            if level[sink] == u32::MAX {
                break;
            }
            cur.copy_from_slice(&g.start[..n]);
            let mut pushed_any = false;
            while flow < limit {
                let f = augment(
                    g,
                    &pot,
                    &level,
                    &mut cur,
                    &mut path,
                    source,
                    sink,
                    limit - flow,
                );
                if f == 0 {
                    break;
                }
                pushed_any = true;
                flow += f;
                total += f * path_cost;
            }
            if !pushed_any || flow >= limit {
                break;
            }
        }
    }
    total
}

/// One augmenting path in the level graph (iterative DFS with current-arc pointers).
#[allow(clippy::too_many_arguments)]
fn augment(
    g: &mut Graph,
    pot: &[i64],
    level: &[u32],
    cur: &mut [u32],
    path: &mut Vec<u32>,
    source: usize,
    sink: usize,
    limit: i64,
) -> i64 {
    path.clear();
    let mut x = source;
    loop {
        if x == sink {
            let mut f = limit;
            for &a in path.iter() {
                f = f.min(i64::from(g.cap[a as usize]));
            }
            for &a in path.iter() {
                let a = a as usize;
                g.cap[a] -= f as i32;
                let r = g.rev[a] as usize;
                g.cap[r] += f as i32;
            }
            return f;
        }
        let end = g.start[x + 1];
        let mut advanced = false;
        while cur[x] < end {
            let a = cur[x] as usize;
            let y = g.to[a] as usize;
            if g.cap[a] > 0
                && level[y] == level[x].wrapping_add(1)
                && (y == sink || level[y] < level[sink])
                && g.cost[a] + pot[x] - pot[y] == 0
            {
                path.push(a as u32);
                x = y;
                advanced = true;
                break;
            }
            cur[x] += 1;
        }
        if !advanced {
            // Dead end: retreat and skip the arc that led here.
            let Some(a) = path.pop() else {
                return 0;
            };
            let prev = g.to[g.rev[a as usize] as usize] as usize;
            cur[prev] += 1;
            x = prev;
        }
    }
}

/// The bound and how it was obtained.
#[derive(Debug, Clone)]
pub(crate) struct Bound {
    pub priority: u64,
    pub method: String,
}

/// Compute the upper bound; `budget_evals` caps the number of flow solves for the Lagrangian
/// prices.
pub(crate) fn priority_upper_bound(
    inst: &Instance,
    budget_evals: usize,
    deadline: Option<Instant>,
) -> Bound {
    let ns = inst.ns;
    let n = inst.n;
    // Capacity left by fixed meetings.
    let mut busy_fixed = vec![0u128; n];
    let mut deg_fixed = vec![0u32; n];
    let mut slot_fixed = vec![0u32; ns];
    let mut fixed_prio = 0u64;
    for edge in &inst.edges {
        if let Some((s, _)) = edge.fixed {
            let s = s as usize;
            for p in [edge.u as usize, edge.v as usize] {
                busy_fixed[p] |= 1u128 << s;
                deg_fixed[p] += 1;
            }
            slot_fixed[s] += 1;
            fixed_prio += u64::from(edge.weight);
        }
    }
    let slot_cap: Vec<i64> = (0..ns)
        .map(|s| i64::from(inst.tables.saturating_sub(slot_fixed[s])))
        .collect();
    let open_slots: u128 = (0..ns)
        .filter(|&s| slot_cap[s] > 0)
        .fold(0u128, |m, s| m | (1u128 << s));
    let b: Vec<i32> = (0..n)
        .map(|p| inst.cap[p].saturating_sub(deg_fixed[p]) as i32)
        .collect();
    let usable: Vec<u128> = (0..n)
        .map(|p| inst.avail[p] & !busy_fixed[p] & open_slots)
        .collect();
    // Candidate arcs.
    let mut arcs: Vec<(usize, usize, i64, u128)> = Vec::new(); // (from, to, weight, slots)
    for edge in &inst.edges {
        if edge.fixed.is_some() || edge.weight == 0 {
            continue;
        }
        let (u, v) = (edge.u as usize, edge.v as usize);
        let slots = edge.common & usable[u] & usable[v];
        if slots == 0 || b[u] == 0 || b[v] == 0 {
            continue;
        }
        let w = i64::from(edge.weight) * SCALE;
        arcs.push((u, v, w, slots));
        arcs.push((v, u, w, slots));
    }
    let total_cap: i64 = slot_cap.iter().sum();
    let mut lambda = vec![0i64; ns];
    let mut best = i64::MAX;
    let mut best_lambda_used = false;
    let mut evals = 0;
    let mut last_eval_secs = 0.0;
    loop {
        let eval_started = Instant::now();
        // Build the network.
        let source = 0;
        let sink = 1;
        let left = 2;
        let right = left + n;
        let right_slot = right + n; // (p, s) nodes
        let pair0 = right_slot + n * ns;
        let nodes = pair0 + arcs.len();
        let mut list: Vec<(u32, u32, i32, i64)> = Vec::new();
        let mut add = |a: usize, b: usize, c: i32, k: i64| {
            list.push((a as u32, b as u32, c, k));
            list.len() - 1
        };
        for p in 0..n {
            if b[p] > 0 {
                add(source, left + p, b[p], 0);
                add(right + p, sink, b[p], 0);
            }
            for s in bits(usable[p]) {
                add(right_slot + p * ns + s, right + p, 1, 0);
            }
        }
        let mut slot_arcs: Vec<Vec<usize>> = vec![Vec::new(); ns];
        for (k, &(u, v, w, slots)) in arcs.iter().enumerate() {
            add(left + u, pair0 + k, 1, 0);
            for s in bits(slots) {
                let id = add(pair0 + k, right_slot + v * ns + s, 1, lambda[s] - w);
                slot_arcs[s].push(id);
            }
        }
        let (mut g, pos) = Graph::build(nodes, &list);
        let cost = min_cost_flow(&mut g, source, sink, 2 * total_cap);
        evals += 1;
        let priced: i64 = (0..ns).map(|s| lambda[s] * 2 * slot_cap[s]).sum();
        // Twice the scaled bound: flow weight counts every meeting twice.
        let value2 = -cost + priced;
        let improved = value2 < best;
        if improved {
            best = value2;
            best_lambda_used = lambda.iter().any(|l| *l > 0);
        }
        last_eval_secs = eval_started.elapsed().as_secs_f64().max(last_eval_secs);
        // Another solve only if it fits before the deadline.
        // Prices that did not lower the bound are not pursued further.
        if evals >= budget_evals
            || (evals > 1 && !improved)
            || deadline.is_some_and(|d| {
                d.saturating_duration_since(Instant::now()).as_secs_f64() < last_eval_secs
            })
        {
            break;
        }
        // Subgradient step on the table capacity of each slot.
        let mut changed = false;
        for s in 0..ns {
            let used: i64 = slot_arcs[s]
                .iter()
                .map(|&a| i64::from(g.cap[g.rev[pos[a] as usize] as usize]))
                .sum();
            let excess = used - 2 * slot_cap[s];
            // Prices move by a quarter of a priority unit.
            if excess > 0 {
                lambda[s] += 1;
                changed = true;
            } else if excess < 0 && lambda[s] > 0 {
                lambda[s] -= 1;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    // best = 2 * SCALE * bound (relaxation value); priorities are integers, so round down.
    let bound = fixed_prio + (best.max(0) / (2 * SCALE)) as u64;
    Bound {
        priority: bound,
        method: format!(
            "max-weight flow on the bipartite double cover with slots (pair once, person-slot, max \
             meetings, total tables){}; {evals} flow solve(s)",
            if best_lambda_used {
                " + Lagrangian prices on per-slot tables"
            } else {
                ""
            }
        ),
    }
}
