//! Network-level measures, dependency, core-periphery, lineage, mobility, diff and metrics.

use std::collections::HashMap;

use milieu_net::coreperiphery::core_periphery;
use milieu_net::dependency::dependency;
use milieu_net::diff::diff;
use milieu_net::lineage::{Affiliation, lineage, mobility};
use milieu_net::metrics::{Measure, MetricsOptions, metrics};
use milieu_net::network::{
    attribute_assortativity, components, degree_assortativity, density, ei_index, reciprocity,
};
use milieu_net::structural::{clustering, transitivity};
use milieu_net::{BuildOptions, Error, Graph, GraphBuilder};
use serde_json::Value;

use crate::common::*;

fn graphs() -> Vec<Value> {
    golden()["graphs"].as_array().unwrap().clone()
}

fn with_partition(e: &Value) -> Graph {
    let mut g = fixture_graph(e);
    if let Some(p) = e.get("partition") {
        let values = g
            .labels()
            .iter()
            .map(|l| p[l].as_str().unwrap().to_string())
            .collect();
        g.set_attribute_values("club", values).unwrap();
    }
    g
}

#[test]
fn golden_network_scalars() {
    for e in graphs() {
        let g = with_partition(&e);
        let name = e["name"].as_str().unwrap();
        let s = &e["scalars"];
        assert_scalar(
            &format!("{name} density"),
            density(&g),
            s["density"].as_f64().unwrap(),
            1e-12,
        );
        assert_eq!(
            components(&g).1.len() as u64,
            s["components"].as_u64().unwrap(),
            "{name} components"
        );
        if let Some(t) = s.get("transitivity") {
            let (tr, _, _) = transitivity(&g, &clustering(&g, false));
            assert_scalar(
                &format!("{name} transitivity"),
                tr,
                t.as_f64().unwrap(),
                1e-12,
            );
            let c = clustering(&g, false).clustering;
            let avg = c.iter().sum::<f64>() / c.len() as f64;
            assert_scalar(
                &format!("{name} average clustering"),
                avg,
                s["average_clustering"].as_f64().unwrap(),
                1e-12,
            );
            assert_scalar(
                &format!("{name} degree assortativity"),
                degree_assortativity(&g),
                s["degree_assortativity"].as_f64().unwrap(),
                1e-9,
            );
            let d = dependency(&g);
            assert_eq!(
                d.articulation.iter().filter(|&&a| a).count() as u64,
                s["articulation_points"].as_u64().unwrap(),
                "{name}"
            );
            assert_eq!(
                d.bridges.len() as u64,
                s["bridges"].as_u64().unwrap(),
                "{name} bridges"
            );
        }
        if let Some(r) = s.get("reciprocity") {
            assert_scalar(
                &format!("{name} reciprocity"),
                reciprocity(&g),
                r.as_f64().unwrap(),
                1e-12,
            );
        }
        if let Some(a) = s.get("attribute_assortativity") {
            assert_scalar(
                &format!("{name} attribute assortativity"),
                attribute_assortativity(&g, "club").unwrap(),
                a.as_f64().unwrap(),
                1e-9,
            );
        }
    }
}

fn connected_pairs_without(g: &Graph, skip: usize) -> f64 {
    let (n, adj) = (g.node_count(), g.out_adjacency());
    let mut seen = vec![false; n];
    let mut total = 0.0;
    for s in 0..n {
        if s == skip || seen[s] {
            continue;
        }
        let mut stack = vec![s];
        seen[s] = true;
        let mut size = 0.0;
        while let Some(v) = stack.pop() {
            size += 1.0;
            for &u in adj.neighbors(v as u32) {
                let u = u as usize;
                if u != skip && !seen[u] {
                    seen[u] = true;
                    stack.push(u);
                }
            }
        }
        total += size * (size - 1.0) / 2.0;
    }
    total
}

#[test]
fn cut_pairs_match_removing_each_node() {
    let mut state = 99u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for trial in 0..15 {
        let n = 40;
        let mut edges = Vec::new();
        for i in 0..n {
            for j in i + 1..n {
                if next() % 1000 < 45 + trial * 3 {
                    edges.push((format!("v{i}"), format!("v{j}"), None::<f64>));
                }
            }
        }
        let mut b = GraphBuilder::new(false, false);
        for i in 0..n {
            b.node(&format!("v{i}"));
        }
        for (u, v, _) in &edges {
            let (u, v) = (b.node(u), b.node(v));
            b.add_edge(u, v, 1.0).unwrap();
        }
        let g = b.build(&BuildOptions::default()).unwrap();
        let d = dependency(&g);
        let all = connected_pairs_without(&g, usize::MAX);
        assert_eq!(d.connected_pairs, all);
        for v in 0..n {
            let deg = g.out_adjacency().degree(v as u32) as f64;
            // Pairs among the others that stay connected without v.
            let comp_size = {
                let (c, sizes) = components(&g);
                sizes[c[v] as usize] as f64
            };
            let before_others = all - (comp_size - 1.0);
            let after = connected_pairs_without(&g, v);
            let expected = before_others - after;
            assert_eq!(
                d.cut_pairs[v], expected,
                "trial {trial} node {v} (degree {deg})"
            );
            assert_eq!(d.articulation[v], expected > 0.0, "trial {trial} node {v}");
        }
    }
}

#[test]
fn core_periphery_finds_the_core() {
    // Core: a 4-clique; periphery: 6 nodes each tied to two core nodes.
    let mut edges = Vec::new();
    for i in 0..4 {
        for j in i + 1..4 {
            edges.push((format!("c{i}"), format!("c{j}"), None));
        }
    }
    for p in 0..6 {
        edges.push((format!("p{p}"), format!("c{}", p % 4), None));
        edges.push((format!("p{p}"), format!("c{}", (p + 1) % 4), None));
    }
    let g = Graph::from_labelled_edges(false, &edges, &BuildOptions::default()).unwrap();
    let cp = core_periphery(&g, false);
    assert!(cp.converged);
    let score = |l: &str| cp.coreness[g.node(l).unwrap() as usize];
    let min_core = (0..4).map(|i| score(&format!("c{i}"))).fold(1.0, f64::min);
    let max_periphery = (0..6).map(|p| score(&format!("p{p}"))).fold(0.0, f64::max);
    assert!(
        min_core > 2.0 * max_periphery,
        "core {min_core} vs periphery {max_periphery}"
    );
    assert!(cp.fit > 0.6, "fit {}", cp.fit);
    // The result is a least-squares fixed point: c_i = sum_j a_ij c_j / sum_{j != i} c_j^2
    // (the scale cancels in c / max c).
    let c = &cp.coreness;
    let s2: f64 = c.iter().map(|x| x * x).sum();
    for v in 0..g.node_count() {
        let num: f64 = g
            .out_adjacency()
            .neighbors(v as u32)
            .iter()
            .map(|&u| c[u as usize])
            .sum();
        let fixed = num / (s2 - c[v] * c[v]);
        // With unit scale the fixed point is c* = c * t for t = c*_max: all ratios equal.
        let ratio = fixed / c[v];
        let ratio0 = {
            let num0: f64 = g
                .out_adjacency()
                .neighbors(0)
                .iter()
                .map(|&u| c[u as usize])
                .sum();
            num0 / (s2 - c[0] * c[0]) / c[0]
        };
        assert!(
            (ratio - ratio0).abs() < 1e-8,
            "node {v}: {ratio} vs {ratio0}"
        );
    }
}

#[test]
fn ei_index_network_group_node() {
    // Groups A = {a1, a2, a3}, B = {b1, b2}; ties a1-a2, a2-a3 (internal), a1-b1, a3-b2 (external),
    // b1-b2 (internal).
    let mut b = GraphBuilder::new(false, false);
    for (v, grp) in [
        ("a1", "A"),
        ("a2", "A"),
        ("a3", "A"),
        ("b1", "B"),
        ("b2", "B"),
    ] {
        let id = b.node(v);
        b.set_attribute(id, "cluster", grp);
    }
    for (u, v) in [
        ("a1", "a2"),
        ("a2", "a3"),
        ("a1", "b1"),
        ("a3", "b2"),
        ("b1", "b2"),
    ] {
        let (u, v) = (b.node(u), b.node(v));
        b.add_edge(u, v, 1.0).unwrap();
    }
    let g = b.build(&BuildOptions::default()).unwrap();
    let ei = ei_index(&g, "cluster", false).unwrap();
    assert_eq!((ei.external_ties, ei.internal_ties), (2.0, 3.0));
    assert!((ei.network - (-0.2)).abs() < 1e-15);
    let a = &ei.groups[0];
    assert_eq!(
        (a.group.as_str(), a.internal_ties, a.external_ties),
        ("A", 2.0, 2.0)
    );
    assert_eq!(a.ei_index, 0.0);
    assert!((a.internal_density - 2.0 / 3.0).abs() < 1e-15);
    let bg = &ei.groups[1];
    assert!((bg.ei_index - (2.0 - 1.0) / 3.0).abs() < 1e-15);
    let a1 = g.node("a1").unwrap() as usize;
    assert_eq!(ei.node[a1], 0.0);
    assert_eq!(ei.node_external_share[a1], 0.5);
    assert_eq!(ei.node[g.node("a2").unwrap() as usize], -1.0);
    assert!(matches!(
        ei_index(&g, "region", false),
        Err(Error::InvalidParameter { .. })
    ));
}

#[test]
fn lineage_trees_depths_and_errors() {
    let pairs = [
        ("s1", "uni"),
        ("s2", "uni"),
        ("s11", "s1"),
        ("s12", "s1"),
        ("x1", "corp"),
    ];
    let l = lineage(&pairs, "spinoffs.csv").unwrap();
    let row = |id: &str| l.organisations.iter().find(|r| r.id == id).unwrap().clone();
    assert_eq!(
        (
            row("uni").depth,
            row("uni").descendants,
            row("uni").children
        ),
        (0, 4, 2)
    );
    assert_eq!((row("s11").depth, row("s11").root.as_str()), (2, "uni"));
    assert_eq!(row("s1").descendants, 2);
    assert_eq!(
        (l.trees[0].root.as_str(), l.trees[0].size, l.trees[0].depth),
        ("uni", 5, 2)
    );
    assert_eq!((l.trees[1].root.as_str(), l.trees[1].size), ("corp", 2));
    let err = lineage(&[("a", "b"), ("a", "c")], "spinoffs.csv").unwrap_err();
    assert!(matches!(err, Error::BadValue { line: 2, .. }), "{err}");
    let err = lineage(&[("a", "b"), ("b", "a")], "spinoffs.csv").unwrap_err();
    assert!(err.to_string().contains("descends from itself"), "{err}");
}

#[test]
fn mobility_flows_between_kinds() {
    let aff = |p: &str, o: &str, f: &str, t: Option<&str>| Affiliation {
        person: p.into(),
        organisation: o.into(),
        from: f.into(),
        to: t.map(|s| s.into()),
    };
    let list = vec![
        aff("ann", "uni1", "2010-01-01", Some("2014-12-31")),
        aff("ann", "firm1", "2015-01-01", Some("2018-06-30")),
        aff("ann", "firm2", "2018-07-01", None),
        aff("bob", "uni1", "2012-01-01", Some("2016-01-01")),
        aff("bob", "firm2", "2016-02-01", None),
        aff("cat", "firm1", "2011-01-01", None),
    ];
    let kinds: HashMap<String, String> =
        [("uni1", "university"), ("firm1", "firm"), ("firm2", "firm")]
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
    let m = mobility(&list, &kinds, None, None, "affiliations").unwrap();
    assert_eq!(m.moves.len(), 3);
    assert_eq!(m.flows[0].from_kind, "university");
    assert_eq!(
        (
            m.flows[0].to_kind.as_str(),
            m.flows[0].moves,
            m.flows[0].people
        ),
        ("firm", 2, 2)
    );
    assert_eq!(
        (
            m.flows[1].from_kind.as_str(),
            m.flows[1].to_kind.as_str(),
            m.flows[1].moves
        ),
        ("firm", "firm", 1)
    );
    let windowed = mobility(&list, &kinds, Some("2016-01-01"), None, "affiliations").unwrap();
    assert_eq!(windowed.moves.len(), 2);
    let bad = vec![aff("dan", "uni1", "2015-01-01", Some("2014-01-01"))];
    assert!(matches!(
        mobility(&bad, &kinds, None, None, "affiliations"),
        Err(Error::BadValue { line: 1, .. })
    ));
}

#[test]
fn diff_formed_dropped_kept() {
    let a = Graph::from_labelled_edges(
        false,
        &[("x", "y", None), ("y", "z", None)],
        &BuildOptions::default(),
    )
    .unwrap();
    let b = Graph::from_labelled_edges(
        false,
        &[("z", "y", None), ("z", "w", None)],
        &BuildOptions::default(),
    )
    .unwrap();
    let d = diff(
        &a,
        &b,
        &MetricsOptions {
            measures: vec![Measure::Degree, Measure::Betweenness],
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!((d.formed, d.dropped, d.kept), (1, 1, 1));
    assert_eq!(d.retention, 0.5);
    assert_eq!((d.nodes_joined, d.nodes_left), (1, 1));
    let y = d.nodes.iter().find(|n| n.id == "y").unwrap();
    assert_eq!((y.degree_before, y.degree_after), (Some(2.0), Some(1.0)));
    assert_eq!(
        (y.betweenness_before, y.betweenness_after),
        (Some(1.0), Some(0.0))
    );
}

#[test]
fn metrics_rows_agree_with_the_measures_and_serialize() {
    let e = graphs()
        .into_iter()
        .find(|e| e["name"] == "karate_weighted")
        .unwrap();
    let g = with_partition(&e);
    let m = metrics(
        &g,
        &MetricsOptions {
            group_by: Some("club".into()),
            region_attribute: Some("club".into()),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(m.nodes.len(), 34);
    let nx = &e["networkx"];
    let col = |f: fn(&milieu_net::NodeRow) -> Option<f64>| {
        m.nodes
            .iter()
            .map(|r| f(r).unwrap_or(f64::NAN))
            .collect::<Vec<_>>()
    };
    assert_close(
        &g,
        "metrics betweenness",
        &nx["betweenness_normalized"],
        &col(|r| r.betweenness_normalized),
        1e-9,
    );
    assert_close(
        &g,
        "metrics closeness",
        &nx["closeness"],
        &col(|r| r.closeness),
        1e-9,
    );
    assert_close(
        &g,
        "metrics constraint",
        &nx["constraint_weighted"],
        &col(|r| r.constraint),
        1e-9,
    );
    assert_close(
        &g,
        "metrics pagerank",
        &nx["pagerank_weighted"],
        &col(|r| r.pagerank),
        1e-9,
    );
    assert_close(
        &g,
        "metrics clustering",
        &nx["clustering_weighted"],
        &col(|r| r.clustering),
        1e-9,
    );
    let s = &m.summary;
    assert_scalar(
        "summary transitivity",
        s.transitivity.unwrap(),
        e["scalars"]["transitivity"].as_f64().unwrap(),
        1e-12,
    );
    assert_scalar(
        "summary diameter",
        s.diameter.unwrap(),
        e["scalars"]["diameter"].as_f64().unwrap(),
        0.0,
    );
    assert!(s.modularity.unwrap() > 0.35);
    assert_eq!(m.groups.len(), 2);
    assert!(
        m.nodes
            .iter()
            .all(|r| r.coordinator.is_some() && r.ei_index.is_some() && r.external_share.is_some())
    );
    // E-I by club and external share by club describe the same ties.
    for r in &m.nodes {
        let share = r.external_share.unwrap();
        assert!((r.ei_index.unwrap() - (2.0 * share - 1.0)).abs() < 1e-12);
    }
    let json = serde_json::to_value(&m).unwrap();
    assert_eq!(json["nodes"][0]["id"], "0");
    assert!(json["nodes"][0]["constraint"].is_number());
    // Only the chosen measures are filled.
    let only = metrics(
        &g,
        &MetricsOptions {
            measures: Measure::parse_list("degree,constraint").unwrap(),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(only.nodes[0].degree.is_some() && only.nodes[0].effective_size.is_some());
    assert!(only.nodes[0].betweenness.is_none() && only.nodes[0].community.is_none());
    assert!(Measure::parse("nonsense").is_err());
}

#[test]
fn metrics_on_degenerate_graphs_do_not_panic() {
    let opts = MetricsOptions {
        group_by: Some("kind".into()),
        region_attribute: Some("kind".into()),
        ..Default::default()
    };
    // Empty graph (declared attribute, no nodes).
    let mut b = GraphBuilder::new(false, false);
    b.declare_attribute("kind");
    let g = b.build(&BuildOptions::default()).unwrap();
    let m = metrics(&g, &opts).unwrap();
    assert!(m.nodes.is_empty());
    assert_eq!(
        (m.summary.nodes, m.summary.edges, m.summary.density),
        (0, 0, 0.0)
    );
    assert!(serde_json::to_string(&m).is_ok());
    // Isolates only.
    let mut b = GraphBuilder::new(true, true);
    for v in ["a", "b", "c"] {
        let id = b.node(v);
        b.set_attribute(id, "kind", "firm");
    }
    let g = b.build(&BuildOptions::default()).unwrap();
    let m = metrics(&g, &opts).unwrap();
    assert_eq!(m.summary.isolates, 3);
    assert_eq!(m.summary.components, 3);
    assert!(
        m.nodes
            .iter()
            .all(|r| r.constraint.is_none() && r.degree == Some(0.0))
    );
    // A directed weighted graph with two components and a dangling node.
    let mut b = GraphBuilder::new(true, true);
    for (v, k) in [
        ("a", "uni"),
        ("b", "firm"),
        ("c", "firm"),
        ("d", "agency"),
        ("e", "uni"),
    ] {
        let id = b.node(v);
        b.set_attribute(id, "kind", k);
    }
    for (u, v, w) in [
        ("a", "b", 2.0),
        ("b", "c", 1.0),
        ("c", "a", 3.0),
        ("b", "a", 1.0),
        ("d", "e", 1.0),
    ] {
        let (u, v) = (b.node(u), b.node(v));
        b.add_edge(u, v, w).unwrap();
    }
    let g = b.build(&BuildOptions::default()).unwrap();
    let m = metrics(&g, &opts).unwrap();
    assert_eq!(m.summary.components, 2);
    assert_eq!(m.summary.reciprocity, Some(0.4));
    let pr: f64 = m.nodes.iter().map(|r| r.pagerank.unwrap()).sum();
    assert!((pr - 1.0).abs() < 1e-12);
    // b brokers (a, c)? a -> b -> c with a -> c absent: yes; c -> ... no. a is uni, b firm, c firm:
    // gatekeeper for b.
    let b_row = m.nodes.iter().find(|r| r.id == "b").unwrap();
    assert_eq!(b_row.gatekeeper, Some(1.0));
    assert_eq!(b_row.brokerage_total, Some(1.0));
    // Sampled betweenness reports its bound.
    let s = metrics(
        &g,
        &MetricsOptions {
            betweenness_samples: Some(2),
            measures: vec![Measure::Betweenness],
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(s.summary.betweenness_samples, Some(2));
    assert!(s.summary.betweenness_epsilon.unwrap() > 0.0);
}

#[test]
fn hierarchy_and_efficiency_hand_worked() {
    use milieu_net::structural::structural_holes;
    // i tied to j, k, l; j - k tied. p_i. = 1/3; c_ij = c_ik = (1/3 + 1/3 * 1/2)^2 = 1/4,
    // c_il = 1/9, C = 11/18; r = (27/22, 27/22, 12/22);
    // H = (2 r_j ln r_j + r_l ln r_l) / (3 ln 3).
    let g = Graph::from_labelled_edges(
        false,
        &[
            ("i", "j", None),
            ("i", "k", None),
            ("i", "l", None),
            ("j", "k", None),
        ],
        &BuildOptions::default(),
    )
    .unwrap();
    let h = structural_holes(&g, false);
    let i = g.node("i").unwrap() as usize;
    assert!((h.constraint[i] - 11.0 / 18.0).abs() < 1e-15);
    assert!((h.effective_size[i] - (3.0 - 2.0 / 3.0)).abs() < 1e-15);
    assert!((h.efficiency[i] - (3.0 - 2.0 / 3.0) / 3.0).abs() < 1e-15);
    let (rj, rl): (f64, f64) = (27.0 / 22.0, 12.0 / 22.0);
    let want = (2.0 * rj * rj.ln() + rl * rl.ln()) / (3.0 * 3.0f64.ln());
    assert!(
        (h.hierarchy[i] - want).abs() < 1e-15,
        "{} vs {want}",
        h.hierarchy[i]
    );
    // A star with unconnected leaves has no hierarchy (equal constraint on every contact).
    let star = Graph::from_labelled_edges(
        false,
        &[("c", "a", None), ("c", "b", None), ("c", "d", None)],
        &BuildOptions::default(),
    )
    .unwrap();
    let h = structural_holes(&star, false);
    assert!(h.hierarchy[star.node("c").unwrap() as usize].abs() < 1e-15);
    assert!(
        h.hierarchy[star.node("a").unwrap() as usize].is_nan(),
        "one contact: undefined"
    );
}
