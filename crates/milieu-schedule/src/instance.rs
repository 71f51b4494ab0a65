//! Compact internal form of a problem: one edge per pair of participants who may meet, slot sets
//! as 128-bit masks with bit k = k-th slot in time order.

use crate::model::{Problem, RequestStatus};
use std::collections::HashMap;

pub(crate) const NO_SLOT: u8 = u8::MAX;
pub(crate) const NONE: u32 = u32::MAX;

/// A possible meeting: the pair, its weight (highest priority among its requests), whether any of
/// its requests is a must, and the slots where both sides are available.
#[derive(Debug, Clone)]
pub(crate) struct Edge {
    pub u: u32,
    pub v: u32,
    pub weight: u32,
    pub must: bool,
    pub common: u128,
    /// Indices into `Problem::requests` that this meeting satisfies.
    pub requests: Vec<usize>,
    /// Direction shown in the output (the first request's, or the fixed meeting's).
    pub from: usize,
    pub to: usize,
    /// Internal slot and table when fixed.
    pub fixed: Option<(u8, u32)>,
}

pub(crate) struct Instance {
    pub n: usize,
    pub ns: usize,
    pub tables: u32,
    /// Internal slot k -> problem slot index.
    pub order: Vec<usize>,
    /// For each day, the mask of its slots.
    pub day_masks: Vec<u128>,
    pub avail: Vec<u128>,
    pub cap: Vec<u32>,
    pub edges: Vec<Edge>,
    pub adj: Vec<Vec<u32>>,
    pub requester: Vec<bool>,
    /// Objective value of an edge: `must * big + weight`, `big` above any priority sum.
    pub value: Vec<i64>,
    /// Requests left out (pending without `include_pending`).
    pub excluded: Vec<usize>,
    pub requests_considered: usize,
}

pub(crate) fn bits(mut m: u128) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        if m == 0 {
            None
        } else {
            let b = m.trailing_zeros() as usize;
            m &= m - 1;
            Some(b)
        }
    })
}

impl Instance {
    pub fn new(p: &Problem, include_pending: bool) -> Instance {
        let order = p.slots_in_time_order();
        let ns = order.len();
        let mut pos = vec![0; ns];
        for (k, &s) in order.iter().enumerate() {
            pos[s] = k;
        }
        let mut day_masks: Vec<u128> = Vec::new();
        let mut last_day = None;
        for (k, &s) in order.iter().enumerate() {
            let day = p.slots[s].start.date();
            if last_day != Some(day) {
                day_masks.push(0);
                last_day = Some(day);
            }
            if let Some(m) = day_masks.last_mut() {
                *m |= 1u128 << k;
            }
        }
        let n = p.participants.len();
        let avail: Vec<u128> = p
            .participants
            .iter()
            .map(|q| {
                q.available
                    .iter()
                    .enumerate()
                    .filter(|(_, a)| **a)
                    .fold(0u128, |m, (s, _)| m | (1u128 << pos[s]))
            })
            .collect();
        let cap: Vec<u32> = p
            .participants
            .iter()
            .zip(&avail)
            .map(|(q, a)| q.max_meetings.min(a.count_ones()))
            .collect();

        let mut edges: Vec<Edge> = Vec::new();
        let mut pair: HashMap<(usize, usize), usize> = HashMap::new();
        let mut excluded = Vec::new();
        let mut requester = vec![false; n];
        let mut requests_considered = 0;
        let fixed_pairs: HashMap<(usize, usize), usize> = p
            .fixed
            .iter()
            .enumerate()
            .map(|(i, f)| ((f.from.min(f.to), f.from.max(f.to)), i))
            .collect();
        for (i, r) in p.requests.iter().enumerate() {
            let key = (r.from.min(r.to), r.from.max(r.to));
            let included = include_pending
                || r.status == RequestStatus::Accepted
                || fixed_pairs.contains_key(&key);
            if !included {
                excluded.push(i);
                continue;
            }
            requests_considered += 1;
            requester[r.from] = true;
            match pair.get(&key) {
                Some(&e) => {
                    let edge = &mut edges[e];
                    edge.weight = edge.weight.max(r.priority);
                    edge.must |= r.must;
                    edge.requests.push(i);
                }
                None => {
                    pair.insert(key, edges.len());
                    edges.push(Edge {
                        u: r.from as u32,
                        v: r.to as u32,
                        weight: r.priority,
                        must: r.must,
                        common: avail[r.from] & avail[r.to],
                        requests: vec![i],
                        from: r.from,
                        to: r.to,
                        fixed: None,
                    });
                }
            }
        }
        for f in &p.fixed {
            let key = (f.from.min(f.to), f.from.max(f.to));
            let e = match pair.get(&key) {
                Some(&e) => e,
                None => {
                    pair.insert(key, edges.len());
                    edges.push(Edge {
                        u: f.from as u32,
                        v: f.to as u32,
                        weight: 0,
                        must: false,
                        common: avail[f.from] & avail[f.to],
                        requests: Vec::new(),
                        from: f.from,
                        to: f.to,
                        fixed: None,
                    });
                    edges.len() - 1
                }
            };
            edges[e].fixed = Some((pos[f.slot] as u8, f.table));
            edges[e].from = f.from;
            edges[e].to = f.to;
        }
        let mut adj = vec![Vec::new(); n];
        for (e, edge) in edges.iter().enumerate() {
            adj[edge.u as usize].push(e as u32);
            adj[edge.v as usize].push(e as u32);
        }
        let total: i64 = edges.iter().map(|e| i64::from(e.weight)).sum();
        let big = total + 1;
        let value = edges
            .iter()
            .map(|e| i64::from(e.weight) + if e.must { big } else { 0 })
            .collect();
        Instance {
            n,
            ns,
            tables: p.tables,
            order,
            day_masks,
            avail,
            cap,
            edges,
            adj,
            requester,
            value,
            excluded,
            requests_considered,
        }
    }

    /// Idle slots of a participant with the given busy mask: available, free slots between the
    /// first and last meeting of each day.
    pub fn idle(&self, p: usize, busy: u128) -> u32 {
        let mut idle = 0;
        for &day in &self.day_masks {
            let b = busy & day;
            if b.count_ones() < 2 {
                continue;
            }
            let lo = b.trailing_zeros();
            let hi = 127 - b.leading_zeros();
            let span = if hi - lo + 1 >= 128 {
                u128::MAX
            } else {
                ((1u128 << (hi - lo + 1)) - 1) << lo
            };
            idle += (span & self.avail[p] & !busy).count_ones();
        }
        idle
    }
}
