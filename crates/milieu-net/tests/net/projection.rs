//! Davis Southern Women projections match NetworkX's projected graphs edge for edge.

use milieu_net::projection::{ProjectionOptions, ProjectionWeight, project};
use serde_json::Value;

use crate::common::*;

fn davis_pairs() -> Vec<(String, String)> {
    let g = golden();
    let e = g["graphs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "davis_bipartite")
        .unwrap()
        .clone();
    e["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let (a, b) = (p[0].as_str().unwrap(), p[1].as_str().unwrap());
            // The fixture stores each bipartite edge in NetworkX's order; events are "E1".."E14".
            if a.starts_with('E') && a.len() <= 3 {
                (b.to_string(), a.to_string())
            } else {
                (a.to_string(), b.to_string())
            }
        })
        .collect()
}

fn fixture(name: &str) -> Value {
    golden()["graphs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == name)
        .unwrap()
        .clone()
}

fn check(weight: ProjectionWeight, name: &str) {
    let pairs = davis_pairs();
    let opts = ProjectionOptions {
        weight,
        ..Default::default()
    };
    let p = project(&pairs, &opts).unwrap();
    let want = fixture_graph(&fixture(name));
    assert_eq!(p.graph.node_count(), want.node_count(), "{name}: nodes");
    assert_eq!(p.graph.edge_count(), want.edge_count(), "{name}: edges");
    for e in want.edges() {
        let (a, b) = (want.label(e.source), want.label(e.target));
        let (u, v) = (p.graph.node(a).unwrap(), p.graph.node(b).unwrap());
        let got = p
            .graph
            .out_adjacency()
            .weight(u, v)
            .unwrap_or_else(|| panic!("{name}: missing {a}-{b}"));
        assert!(
            (got - e.weight).abs() < 1e-12,
            "{name}: {a}-{b} weight {got} vs {}",
            e.weight
        );
    }
    assert_eq!(p.events_used, 14);
}

#[test]
fn davis_women_plain_projection_matches_networkx() {
    check(ProjectionWeight::Plain, "davis_women");
}

#[test]
fn davis_women_count_projection_matches_networkx() {
    check(ProjectionWeight::Count, "davis_women_count");
}

#[test]
fn davis_women_newman_projection_matches_networkx() {
    check(ProjectionWeight::Newman, "davis_women_newman");
}

#[test]
fn davis_projection_friend_counts_as_networkx_docs() {
    // NetworkX's documentation prints "17 Evelyn Jefferson, 15 Laura Mandeville".
    let p = project(&davis_pairs(), &ProjectionOptions::default()).unwrap();
    let g = &p.graph;
    assert_eq!(
        g.out_adjacency()
            .degree(g.node("Evelyn Jefferson").unwrap()),
        17
    );
    assert_eq!(
        g.out_adjacency()
            .degree(g.node("Laura Mandeville").unwrap()),
        15
    );
}

#[test]
fn projection_max_event_size_skips_large_events() {
    let pairs = [
        ("a", "e1"),
        ("b", "e1"),
        ("c", "e1"),
        ("a", "e2"),
        ("d", "e2"),
        ("a", "e2"),
    ];
    let opts = ProjectionOptions {
        max_event_size: Some(2),
        weight: ProjectionWeight::Newman,
        keep_isolates: false,
    };
    let p = project(&pairs, &opts).unwrap();
    assert_eq!(p.events_too_large, 1);
    assert_eq!(p.duplicate_memberships, 1);
    assert_eq!(p.graph.node_count(), 2); // b and c only attended the skipped event
    assert_eq!(p.graph.edge_count(), 1);
    assert_eq!(p.graph.edges()[0].weight, 1.0);
    let opts = ProjectionOptions {
        keep_isolates: true,
        ..opts
    };
    assert_eq!(project(&pairs, &opts).unwrap().graph.node_count(), 4);
}
