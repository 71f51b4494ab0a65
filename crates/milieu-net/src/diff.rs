//! Change between two networks (e.g. the ties valid at two dates): ties formed, dropped and
//! kept, and how node measures and the network summary moved.
//!
//! Nodes and ties are matched by label. Both graphs must have the same directedness. A tie is
//! "kept" when both graphs have it (its weight may change); node measures are computed on each
//! graph with the same [`MetricsOptions`] and reported side by side.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use crate::error::Error;
use crate::graph::Graph;
use crate::metrics::{Metrics, MetricsOptions, NetworkSummary, NodeRow, metrics};

/// A tie and its status.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TieChange {
    pub source: String,
    pub target: String,
    /// `formed`, `dropped` or `kept`.
    pub status: &'static str,
    pub weight_before: Option<f64>,
    pub weight_after: Option<f64>,
}

/// A node's measures before and after (None where the node is absent or the measure undefined).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeChange {
    pub id: String,
    pub present_before: bool,
    pub present_after: bool,
    pub degree_before: Option<f64>,
    pub degree_after: Option<f64>,
    pub betweenness_before: Option<f64>,
    pub betweenness_after: Option<f64>,
    pub closeness_before: Option<f64>,
    pub closeness_after: Option<f64>,
    pub eigenvector_before: Option<f64>,
    pub eigenvector_after: Option<f64>,
    pub constraint_before: Option<f64>,
    pub constraint_after: Option<f64>,
    pub effective_size_before: Option<f64>,
    pub effective_size_after: Option<f64>,
    pub community_before: Option<u32>,
    pub community_after: Option<u32>,
}

/// The comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diff {
    pub formed: usize,
    pub dropped: usize,
    pub kept: usize,
    /// kept / (kept + dropped): share of the earlier ties still present.
    pub retention: f64,
    pub nodes_joined: usize,
    pub nodes_left: usize,
    pub ties: Vec<TieChange>,
    pub nodes: Vec<NodeChange>,
    pub before: NetworkSummary,
    pub after: NetworkSummary,
}

fn key(g: &Graph, s: u32, t: u32) -> (String, String) {
    let (a, b) = (g.label(s).to_string(), g.label(t).to_string());
    if !g.is_directed() && b < a {
        (b, a)
    } else {
        (a, b)
    }
}

/// Compares `before` and `after`.
pub fn diff(before: &Graph, after: &Graph, opts: &MetricsOptions) -> Result<Diff, Error> {
    if before.is_directed() != after.is_directed() {
        return Err(Error::param(
            "graphs",
            "one directed, one undirected",
            "two directed or two undirected graphs",
        ));
    }
    let ties_a: HashMap<(String, String), f64> = before
        .edges()
        .iter()
        .map(|e| (key(before, e.source, e.target), e.weight))
        .collect();
    let ties_b: HashMap<(String, String), f64> = after
        .edges()
        .iter()
        .map(|e| (key(after, e.source, e.target), e.weight))
        .collect();
    let all: BTreeSet<&(String, String)> = ties_a.keys().chain(ties_b.keys()).collect();
    let mut ties = Vec::with_capacity(all.len());
    let (mut formed, mut dropped, mut kept) = (0, 0, 0);
    for k in all {
        let (wa, wb) = (ties_a.get(k).copied(), ties_b.get(k).copied());
        let status = match (wa, wb) {
            (Some(_), Some(_)) => {
                kept += 1;
                "kept"
            }
            (Some(_), None) => {
                dropped += 1;
                "dropped"
            }
            _ => {
                formed += 1;
                "formed"
            }
        };
        ties.push(TieChange {
            source: k.0.clone(),
            target: k.1.clone(),
            status,
            weight_before: wa,
            weight_after: wb,
        });
    }
    let ma: Metrics = metrics(before, opts)?;
    let mb: Metrics = metrics(after, opts)?;
    let rows_a: HashMap<&str, &NodeRow> = ma.nodes.iter().map(|r| (r.id.as_str(), r)).collect();
    let rows_b: HashMap<&str, &NodeRow> = mb.nodes.iter().map(|r| (r.id.as_str(), r)).collect();
    let ids: BTreeSet<&str> = rows_a.keys().chain(rows_b.keys()).copied().collect();
    let nodes: Vec<NodeChange> = ids
        .into_iter()
        .map(|id| {
            let (a, b) = (rows_a.get(id), rows_b.get(id));
            NodeChange {
                id: id.to_string(),
                present_before: a.is_some(),
                present_after: b.is_some(),
                degree_before: a.and_then(|r| r.degree),
                degree_after: b.and_then(|r| r.degree),
                betweenness_before: a.and_then(|r| r.betweenness),
                betweenness_after: b.and_then(|r| r.betweenness),
                closeness_before: a.and_then(|r| r.closeness),
                closeness_after: b.and_then(|r| r.closeness),
                eigenvector_before: a.and_then(|r| r.eigenvector),
                eigenvector_after: b.and_then(|r| r.eigenvector),
                constraint_before: a.and_then(|r| r.constraint),
                constraint_after: b.and_then(|r| r.constraint),
                effective_size_before: a.and_then(|r| r.effective_size),
                effective_size_after: b.and_then(|r| r.effective_size),
                community_before: a.and_then(|r| r.community),
                community_after: b.and_then(|r| r.community),
            }
        })
        .collect();
    Ok(Diff {
        formed,
        dropped,
        kept,
        retention: if kept + dropped > 0 {
            kept as f64 / (kept + dropped) as f64
        } else {
            f64::NAN
        },
        nodes_joined: nodes.iter().filter(|n| !n.present_before).count(),
        nodes_left: nodes.iter().filter(|n| !n.present_after).count(),
        ties,
        nodes,
        before: ma.summary,
        after: mb.summary,
    })
}
