//! Two-mode projection: members (organisations, people) who share events (meetings,
//! projects) become tied.
//!
//! - `plain`: an unweighted tie when two members share at least one event
//!   (NetworkX `bipartite.projected_graph`).
//! - `count`: weight = number of shared events (NetworkX `weighted_projected_graph`).
//! - `newman`: weight = sum over shared events e of 1 / (n_e - 1), n_e the event's number of
//!   members (Newman 2001, Phys. Rev. E 64, 016132; NetworkX
//!   `collaboration_weighted_projected_graph`).
//!
//! Rules: a (member, event) pair listed twice counts once; events with more than
//! `max_event_size` members are skipped entirely (they do not count in n_e either), as are
//! events with a single member; members without any tie (all their events skipped or single)
//! are kept as isolates only with `keep_isolates`. Members are numbered in order of first
//! appearance.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::graph::{BuildOptions, Graph, GraphBuilder, NodeId};

/// Weight of a projected tie.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProjectionWeight {
    /// Unweighted.
    Plain,
    /// Number of shared events.
    #[default]
    Count,
    /// Newman's collaboration weight, sum of 1/(n_e - 1).
    Newman,
}

/// Options of [`project`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectionOptions {
    pub weight: ProjectionWeight,
    /// Skip events with more members than this (None: no limit).
    pub max_event_size: Option<usize>,
    /// Keep members whose every event was skipped, as isolated nodes.
    pub keep_isolates: bool,
}

/// The projected graph and what went into it.
#[derive(Debug, Clone)]
pub struct Projection {
    pub graph: Graph,
    /// Events that contributed ties (2 <= size <= max).
    pub events_used: usize,
    /// Events skipped for exceeding `max_event_size`.
    pub events_too_large: usize,
    /// Events with a single member.
    pub events_single: usize,
    /// (member, event) pairs listed more than once.
    pub duplicate_memberships: usize,
}

/// Projects (member, event) pairs onto the members.
pub fn project<M: AsRef<str>, E: AsRef<str>>(
    memberships: &[(M, E)],
    options: &ProjectionOptions,
) -> Result<Projection, Error> {
    if options.max_event_size == Some(0) {
        return Err(Error::param("max_event_size", 0, "at least 2, or no limit"));
    }
    let mut member_ids: HashMap<&str, u32> = HashMap::new();
    let mut member_labels: Vec<&str> = Vec::new();
    let mut event_ids: HashMap<&str, u32> = HashMap::new();
    let mut pairs: Vec<(u32, u32)> = Vec::with_capacity(memberships.len());
    for (m, e) in memberships {
        let (m, e) = (m.as_ref(), e.as_ref());
        let mi = *member_ids.entry(m).or_insert_with(|| {
            member_labels.push(m);
            member_labels.len() as u32 - 1
        });
        let ne = event_ids.len() as u32;
        let ei = *event_ids.entry(e).or_insert(ne);
        pairs.push((ei, mi));
    }
    pairs.sort_unstable();
    let before = pairs.len();
    pairs.dedup();
    let duplicate_memberships = before - pairs.len();

    let mut used = vec![false; member_labels.len()];
    let mut ties: Vec<(u64, f64)> = Vec::new();
    let (mut events_used, mut events_too_large, mut events_single) = (0, 0, 0);
    let mut start = 0;
    while start < pairs.len() {
        let ev = pairs[start].0;
        let mut end = start;
        while end < pairs.len() && pairs[end].0 == ev {
            end += 1;
        }
        let members: Vec<u32> = pairs[start..end].iter().map(|p| p.1).collect();
        start = end;
        let size = members.len();
        if options.max_event_size.is_some_and(|m| size > m) {
            events_too_large += 1;
            continue;
        }
        if size < 2 {
            events_single += 1;
            continue;
        }
        events_used += 1;
        let w = match options.weight {
            ProjectionWeight::Newman => 1.0 / (size as f64 - 1.0),
            _ => 1.0,
        };
        for (a, &u) in members.iter().enumerate() {
            used[u as usize] = true;
            for &v in &members[a + 1..] {
                let (x, y) = if u < v { (u, v) } else { (v, u) };
                ties.push((((x as u64) << 32) | y as u64, w));
            }
        }
    }
    ties.sort_unstable_by_key(|t| t.0);

    let weighted = options.weight != ProjectionWeight::Plain;
    let mut b = GraphBuilder::new(false, weighted).source_name("<projection>");
    let mut map = vec![NodeId::MAX; member_labels.len()];
    for (i, label) in member_labels.iter().enumerate() {
        if used[i] || options.keep_isolates {
            map[i] = b.node(label);
        }
    }
    let mut k = 0;
    while k < ties.len() {
        let key = ties[k].0;
        let mut w = 0.0;
        while k < ties.len() && ties[k].0 == key {
            w += ties[k].1;
            k += 1;
        }
        let (x, y) = ((key >> 32) as usize, (key & 0xffff_ffff) as usize);
        let w = if weighted { w } else { 1.0 };
        b.add_edge(map[x], map[y], w)?;
    }
    let graph = b.build(&BuildOptions::default())?;
    Ok(Projection {
        graph,
        events_used,
        events_too_large,
        events_single,
        duplicate_memberships,
    })
}
