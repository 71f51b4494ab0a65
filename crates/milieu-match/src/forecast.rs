//! Matching quality measured as a forecast: from what the registry knew at a date, which new
//! pairs of organisations went on to work together? Baselines (common neighbours,
//! Adamic-Adar, topic cosine, random), recall@k and MRR, and the calibration of the part
//! weights on the registry's own history.
//!
//! Protocol (used by `examples/cordis_forecast.rs` and `bench/match/run.sh`): build the context
//! `as_of` the split date; the targets are pairs that co-participate in a project starting in
//! `[from, to)`, both already active before `from` (at least one earlier project) and not tied
//! before. Every ranker lists, for each organisation of a target pair, its best candidates
//! among organisations it is not tied to. A pair is found at `k` when either side has the other
//! in its first `k`; its reciprocal rank is `1 / min(rank from either side)` within `depth`
//! (0 beyond).

use crate::context::MatchContext;
use crate::graph::mix64;
use crate::partners::{PartnerOptions, candidate_parts, ranked_with};
use crate::purpose::{N_PARTS, PART_NAMES, Weights};
use crate::score::Scratch;
use milieu_model::{Dataset, Date, ProjectId};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// Pairs (compact ids, `a < b`) that co-participate in a project starting in `[from, to)`,
/// both active in `ctx` (at least one project known to it) and not tied in it.
pub fn new_collaborations(
    dataset: &Dataset,
    ctx: &MatchContext,
    from: Date,
    to: Date,
) -> Vec<(u32, u32)> {
    let in_window: HashSet<&ProjectId> = dataset
        .projects
        .iter()
        .filter(|p| p.start.is_some_and(|s| from <= s && s < to))
        .map(|p| &p.id)
        .collect();
    let mut members: HashMap<&ProjectId, Vec<u32>> = HashMap::new();
    for part in &dataset.participations {
        if in_window.contains(&part.project)
            && let Some(&o) = ctx.index.get(&part.org)
            && !ctx.org_projects[o as usize].is_empty()
        {
            members.entry(&part.project).or_default().push(o);
        }
    }
    let mut pairs: Vec<(u32, u32)> = Vec::new();
    for list in members.values_mut() {
        list.sort_unstable();
        list.dedup();
        for (i, &a) in list.iter().enumerate() {
            for &b in &list[i + 1..] {
                if !ctx.tied(a, b) {
                    pairs.push((a, b));
                }
            }
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}

/// A way of ranking candidates.
#[derive(Debug, Clone)]
pub enum Ranker {
    /// milieu's partner score with these options (purpose, weights).
    Milieu(Box<PartnerOptions>),
    /// Number of common neighbours.
    CommonNeighbours,
    /// Adamic-Adar index.
    AdamicAdar,
    /// Cosine of raw topic counts (programme parts, event topics).
    TopicCosine,
    /// Uniformly random organisations active in the context.
    Random { seed: u64 },
}

impl Ranker {
    pub fn name(&self) -> &'static str {
        match self {
            Ranker::Milieu(_) => "milieu",
            Ranker::CommonNeighbours => "common_neighbours",
            Ranker::AdamicAdar => "adamic_adar",
            Ranker::TopicCosine => "topic_cosine",
            Ranker::Random { .. } => "random",
        }
    }
}

/// Sorts `(candidate, score)` best first, ties in a pseudo-random order fixed by `seed` (so a
/// baseline's many ties favour nobody), and keeps `depth`.
fn top_by_score(mut scored: Vec<(u32, f64)>, depth: usize, seed: u64) -> Vec<u32> {
    let key = |c: u32| mix64(seed ^ u64::from(c));
    let cmp = |a: &(u32, f64), b: &(u32, f64)| b.1.total_cmp(&a.1).then(key(a.0).cmp(&key(b.0)));
    if scored.len() > depth && depth > 0 {
        scored.select_nth_unstable_by(depth - 1, cmp);
        scored.truncate(depth);
    }
    scored.sort_by(cmp);
    scored.into_iter().map(|s| s.0).collect()
}

/// Ranked candidate lists (at most `depth`) of each organisation in `orgs`, in parallel.
pub fn rank_lists(
    ctx: &MatchContext,
    ranker: &Ranker,
    orgs: &[u32],
    depth: usize,
) -> Vec<Vec<u32>> {
    let n = ctx.len();
    let active: Vec<u32> = (0..n as u32)
        .filter(|&o| !ctx.org_projects[o as usize].is_empty() || ctx.graph.degree(o) > 0)
        .collect();
    orgs.par_iter()
        .map_init(
            || (Scratch::new(n), vec![0.0f64; n], Vec::<u32>::new()),
            |(scratch, acc, touched), &u| {
                let g = &ctx.graph;
                let seed = 0x5EED ^ u64::from(u);
                match ranker {
                    Ranker::Milieu(opts) => {
                        let opts = PartnerOptions {
                            top: depth,
                            explain: false,
                            ..(**opts).clone()
                        };
                        ranked_with(ctx, u, &opts, scratch)
                    }
                    Ranker::CommonNeighbours | Ranker::AdamicAdar => {
                        for &w in g.neighbours(u) {
                            let add = if matches!(ranker, Ranker::AdamicAdar) {
                                g.adamic_adar_weight(w)
                            } else {
                                1.0
                            };
                            for &c in g.neighbours(w) {
                                if acc[c as usize] == 0.0 {
                                    touched.push(c);
                                }
                                acc[c as usize] += add;
                            }
                        }
                        let scored: Vec<(u32, f64)> = touched
                            .iter()
                            .filter(|&&c| c != u && !g.has_edge(u, c) && acc[c as usize] > 0.0)
                            .map(|&c| (c, acc[c as usize]))
                            .collect();
                        for &c in touched.iter() {
                            acc[c as usize] = 0.0;
                        }
                        touched.clear();
                        top_by_score(scored, depth, seed)
                    }
                    Ranker::TopicCosine => {
                        let norm = |o: u32| {
                            ctx.topic_counts[o as usize]
                                .iter()
                                .map(|x| f64::from(x.1) * f64::from(x.1))
                                .sum::<f64>()
                                .sqrt()
                        };
                        for &(t, cu) in &ctx.topic_counts[u as usize] {
                            for &c in &ctx.topic_orgs[t as usize] {
                                let cc = &ctx.topic_counts[c as usize];
                                if let Ok(i) = cc.binary_search_by_key(&t, |x| x.0) {
                                    if acc[c as usize] == 0.0 {
                                        touched.push(c);
                                    }
                                    acc[c as usize] += f64::from(cu) * f64::from(cc[i].1);
                                }
                            }
                        }
                        let nu = norm(u);
                        let scored: Vec<(u32, f64)> = touched
                            .iter()
                            .filter(|&&c| c != u && !g.has_edge(u, c))
                            .map(|&c| (c, acc[c as usize] / (nu * norm(c)).max(1e-12)))
                            .collect();
                        for &c in touched.iter() {
                            acc[c as usize] = 0.0;
                        }
                        touched.clear();
                        top_by_score(scored, depth, seed)
                    }
                    Ranker::Random { seed } => {
                        let mut out: Vec<u32> = Vec::new();
                        let mut state = mix64(*seed ^ u64::from(u));
                        let mut tries = 0;
                        while out.len() < depth.min(active.len()) && tries < 50 * depth + 100 {
                            state = mix64(state.wrapping_add(0x9E37_79B9_7F4A_7C15));
                            let c = active[(state % active.len() as u64) as usize];
                            tries += 1;
                            if c != u && !g.has_edge(u, c) && !out.contains(&c) {
                                out.push(c);
                            }
                        }
                        out
                    }
                }
            },
        )
        .collect()
}

/// Forecast quality of one ranker.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ForecastMetrics {
    pub method: String,
    pub pairs: usize,
    /// Share of pairs found in the first `k` from either side.
    pub recall_at_k: f64,
    pub k: usize,
    /// Mean reciprocal rank (best side, within `depth`).
    pub mrr: f64,
    pub depth: usize,
    pub seconds: f64,
}

/// The organisations of a set of pairs, sorted.
pub fn pair_orgs(pairs: &[(u32, u32)]) -> Vec<u32> {
    let mut orgs: Vec<u32> = pairs.iter().flat_map(|&(a, b)| [a, b]).collect();
    orgs.sort_unstable();
    orgs.dedup();
    orgs
}

/// Recall@k and MRR of ranked lists (`lists[i]` belongs to `orgs[i]`).
pub fn score_lists(pairs: &[(u32, u32)], orgs: &[u32], lists: &[Vec<u32>], k: usize) -> (f64, f64) {
    let pos: HashMap<u32, usize> = orgs.iter().enumerate().map(|(i, &o)| (o, i)).collect();
    let rank_of = |a: u32, b: u32| -> Option<usize> {
        pos.get(&a)
            .and_then(|&i| lists[i].iter().position(|&c| c == b))
            .map(|r| r + 1)
    };
    let (mut hits, mut rr) = (0usize, 0.0f64);
    for &(a, b) in pairs {
        let best = match (rank_of(a, b), rank_of(b, a)) {
            (Some(x), Some(y)) => Some(x.min(y)),
            (x, y) => x.or(y),
        };
        if let Some(r) = best {
            if r <= k {
                hits += 1;
            }
            rr += 1.0 / r as f64;
        }
    }
    let n = pairs.len().max(1) as f64;
    (hits as f64 / n, rr / n)
}

/// Runs a ranker on the target pairs.
pub fn evaluate(
    ctx: &MatchContext,
    ranker: &Ranker,
    pairs: &[(u32, u32)],
    k: usize,
    depth: usize,
) -> ForecastMetrics {
    let started = std::time::Instant::now();
    let orgs = pair_orgs(pairs);
    let lists = rank_lists(ctx, ranker, &orgs, depth.max(k));
    let (recall, mrr) = score_lists(pairs, &orgs, &lists, k);
    ForecastMetrics {
        method: ranker.name().to_string(),
        pairs: pairs.len(),
        recall_at_k: recall,
        k,
        mrr,
        depth: depth.max(k),
        seconds: started.elapsed().as_secs_f64(),
    }
}

/// Options of [`calibrate`].
#[derive(Debug, Clone)]
pub struct CalibrationOptions {
    /// Purpose and starting weights; candidates are generated as for matching.
    pub base: PartnerOptions,
    /// Recall is optimised at this cut-off.
    pub k: usize,
    /// Candidates kept per organisation: the best `keep_per_part` by each part.
    pub keep_per_part: usize,
    /// Weight values tried for each part.
    pub grid: Vec<f64>,
    /// Coordinate-ascent sweeps.
    pub rounds: usize,
}

impl Default for CalibrationOptions {
    fn default() -> Self {
        Self {
            base: PartnerOptions::default(),
            k: 10,
            keep_per_part: 60,
            grid: vec![0.0, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0],
            rounds: 3,
        }
    }
}

/// The weights found, and how they do on the calibration pairs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Calibration {
    pub weights: Weights,
    /// Recall@k on the calibration pairs with the starting weights.
    pub start_recall: f64,
    pub recall_at_k: f64,
    pub mrr: f64,
    /// Parts that do not vary among candidates in this registry (their weight cannot matter).
    pub constant_parts: Vec<&'static str>,
    pub evaluations: usize,
}

/// Fits the part weights to a registry's own history: coordinate ascent over a grid of
/// weights, maximising recall@k (then MRR) of `pairs`, new collaborations that followed the
/// context's date. Use a split inside the past (e.g. what was known at the start of last year,
/// against last year's new pairs) and apply the weights to today's context; never calibrate
/// on the pairs you evaluate.
pub fn calibrate(
    ctx: &MatchContext,
    pairs: &[(u32, u32)],
    opts: &CalibrationOptions,
) -> Calibration {
    let orgs = pair_orgs(pairs);
    let n = ctx.len();
    // Candidate part values per organisation, pruned to the best few by each part: a
    // candidate no single part ranks high rarely reaches the top k of a combination.
    let keep = opts.keep_per_part;
    let table: Vec<Vec<(u32, [f32; N_PARTS])>> = orgs
        .par_iter()
        .map_init(
            || Scratch::new(n),
            |scratch, &u| {
                let cands = candidate_parts(ctx, u, &opts.base, scratch);
                let rows: Vec<(u32, [f32; N_PARTS])> = cands
                    .into_iter()
                    .map(|(c, p)| (c, p.to_array().map(|x| x as f32)))
                    .collect();
                if rows.len() <= keep * 2 {
                    return rows;
                }
                let mut chosen = vec![false; rows.len()];
                let mut idx: Vec<usize> = (0..rows.len()).collect();
                for part in 0..N_PARTS {
                    idx.sort_by(|&a, &b| rows[b].1[part].total_cmp(&rows[a].1[part]));
                    for &i in idx.iter().take(keep) {
                        if rows[i].1[part] > 0.0 {
                            chosen[i] = true;
                        }
                    }
                }
                rows.into_iter()
                    .zip(chosen)
                    .filter(|(_, c)| *c)
                    .map(|(r, _)| r)
                    .collect()
            },
        )
        .collect();
    let mut constant_parts = Vec::new();
    for (part, name) in PART_NAMES.iter().enumerate() {
        let mut values = table.iter().flatten().map(|r| r.1[part]);
        if let Some(first) = values.next()
            && values.all(|v| (v - first).abs() < 1e-9)
        {
            constant_parts.push(*name);
        }
    }
    let k = opts.k;
    let objective = |w: &[f64; N_PARTS]| -> (f64, f64) {
        let lists: Vec<Vec<u32>> = table
            .par_iter()
            .map(|rows| {
                let scored: Vec<(u32, f64)> = rows
                    .iter()
                    .map(|(c, p)| {
                        (
                            *c,
                            p.iter().zip(w).map(|(p, w)| f64::from(*p) * w).sum::<f64>(),
                        )
                    })
                    .collect();
                top_by_score(scored, k, 0)
            })
            .collect();
        score_lists(pairs, &orgs, &lists, k)
    };
    let mut w = opts.base.weights().to_array();
    let mut best = objective(&w);
    let start_recall = best.0;
    let mut evaluations = 1;
    let better = |a: (f64, f64), b: (f64, f64)| {
        a.0 > b.0 + 1e-12 || (a.0 >= b.0 - 1e-12 && a.1 > b.1 + 1e-12)
    };
    for _ in 0..opts.rounds {
        let mut improved = false;
        for part in 0..N_PARTS {
            if constant_parts.contains(&PART_NAMES[part]) {
                continue;
            }
            for &value in &opts.grid {
                if value == w[part] {
                    continue;
                }
                let mut trial = w;
                trial[part] = value;
                if trial.iter().all(|x| *x == 0.0) {
                    continue;
                }
                let result = objective(&trial);
                evaluations += 1;
                if better(result, best) {
                    best = result;
                    w = trial;
                    improved = true;
                }
            }
        }
        if !improved {
            break;
        }
    }
    Calibration {
        weights: Weights::from_array(w),
        start_recall,
        recall_at_k: best.0,
        mrr: best.1,
        constant_parts,
        evaluations,
    }
}
