//! Every measure that NetworkX / igraph also computes matches theirs to 1e-9 on the classic
//! networks (fixture produced by bench/net/golden.py).

use milieu_net::centrality::{PowerOptions, degrees, eigenvector, pagerank};
use milieu_net::paths::{PathWeights, path_measures};
use milieu_net::structural::{clustering, structural_holes};
use serde_json::Value;

use crate::common::*;

const TOL: f64 = 1e-9;

fn graphs() -> Vec<Value> {
    golden()["graphs"].as_array().unwrap().clone()
}

#[test]
fn golden_path_measures() {
    for e in graphs() {
        let g = fixture_graph(&e);
        let name = e["name"].as_str().unwrap();
        let nx = &e["networkx"];
        let p = path_measures(&g, PathWeights::Hops);
        assert_close(
            &g,
            &format!("{name} betweenness"),
            &nx["betweenness"],
            &p.betweenness,
            TOL,
        );
        assert_close(
            &g,
            &format!("{name} betweenness (igraph)"),
            &e["igraph"]["betweenness"],
            &p.betweenness,
            TOL,
        );
        assert_close(
            &g,
            &format!("{name} betweenness_normalized"),
            &nx["betweenness_normalized"],
            &p.betweenness_normalized,
            TOL,
        );
        assert_close(
            &g,
            &format!("{name} closeness"),
            &nx["closeness"],
            &p.closeness,
            TOL,
        );
        assert_close(
            &g,
            &format!("{name} harmonic"),
            &nx["harmonic"],
            &p.harmonic,
            TOL,
        );
        if e["weighted"].as_bool().unwrap() {
            let p = path_measures(&g, PathWeights::Distance);
            assert_close(
                &g,
                &format!("{name} betweenness_distance"),
                &nx["betweenness_distance"],
                &p.betweenness,
                TOL,
            );
            assert_close(
                &g,
                &format!("{name} betweenness_distance (igraph)"),
                &e["igraph"]["betweenness_distance"],
                &p.betweenness,
                TOL,
            );
            assert_close(
                &g,
                &format!("{name} betweenness_normalized_distance"),
                &nx["betweenness_normalized_distance"],
                &p.betweenness_normalized,
                TOL,
            );
            assert_close(
                &g,
                &format!("{name} closeness_distance"),
                &nx["closeness_distance"],
                &p.closeness,
                TOL,
            );
            assert_close(
                &g,
                &format!("{name} harmonic_distance"),
                &nx["harmonic_distance"],
                &p.harmonic,
                TOL,
            );
        }
        let s = &e["scalars"];
        if let Some(d) = s.get("diameter") {
            assert_scalar(
                &format!("{name} diameter"),
                p.diameter,
                d.as_f64().unwrap(),
                TOL,
            );
            assert_scalar(
                &format!("{name} average path length"),
                p.average_path_length(),
                s["average_path_length"].as_f64().unwrap(),
                TOL,
            );
        }
    }
}

#[test]
fn golden_spectral_and_degree() {
    for e in graphs() {
        let g = fixture_graph(&e);
        let name = e["name"].as_str().unwrap();
        let nx = &e["networkx"];
        let d = degrees(&g);
        assert_close(
            &g,
            &format!("{name} degree_centrality"),
            &nx["degree_centrality"],
            &d.degree_centrality,
            TOL,
        );
        let plain = PowerOptions {
            use_weights: false,
            ..Default::default()
        };
        let ev = eigenvector(&g, &plain);
        assert!(ev.converged);
        assert_close(
            &g,
            &format!("{name} eigenvector"),
            &nx["eigenvector"],
            &ev.values,
            TOL,
        );
        let pr = pagerank(&g, 0.85, &plain).unwrap();
        assert_close(
            &g,
            &format!("{name} pagerank"),
            &nx["pagerank"],
            &pr.values,
            TOL,
        );
        if e["weighted"].as_bool().unwrap() {
            let w = PowerOptions::default();
            let ev = eigenvector(&g, &w);
            assert_close(
                &g,
                &format!("{name} eigenvector_weighted"),
                &nx["eigenvector_weighted"],
                &ev.values,
                TOL,
            );
            let pr = pagerank(&g, 0.85, &w).unwrap();
            assert_close(
                &g,
                &format!("{name} pagerank_weighted"),
                &nx["pagerank_weighted"],
                &pr.values,
                TOL,
            );
        }
    }
}

#[test]
fn golden_structural_holes_and_clustering() {
    for e in graphs() {
        let g = fixture_graph(&e);
        let name = e["name"].as_str().unwrap();
        let nx = &e["networkx"];
        let sh = structural_holes(&g, false);
        assert_close(
            &g,
            &format!("{name} constraint"),
            &nx["constraint"],
            &sh.constraint,
            TOL,
        );
        assert_close(
            &g,
            &format!("{name} constraint (igraph)"),
            &e["igraph"]["constraint"],
            &sh.constraint,
            TOL,
        );
        assert_close(
            &g,
            &format!("{name} effective_size"),
            &nx["effective_size"],
            &sh.effective_size,
            TOL,
        );
        let c = clustering(&g, false);
        assert_close(
            &g,
            &format!("{name} clustering"),
            &nx["clustering"],
            &c.clustering,
            TOL,
        );
        if e["weighted"].as_bool().unwrap() {
            let sh = structural_holes(&g, true);
            assert_close(
                &g,
                &format!("{name} constraint_weighted"),
                &nx["constraint_weighted"],
                &sh.constraint,
                TOL,
            );
            assert_close(
                &g,
                &format!("{name} constraint_weighted (igraph)"),
                &e["igraph"]["constraint_weighted"],
                &sh.constraint,
                TOL,
            );
            assert_close(
                &g,
                &format!("{name} effective_size_weighted"),
                &nx["effective_size_weighted"],
                &sh.effective_size,
                TOL,
            );
            let c = clustering(&g, true);
            assert_close(
                &g,
                &format!("{name} clustering_weighted"),
                &nx["clustering_weighted"],
                &c.clustering,
                TOL,
            );
        }
    }
}

#[test]
fn golden_cores_cliques_modularity() {
    use milieu_net::community::{maximal_cliques, modularity};
    use milieu_net::kcore::core_numbers;
    for e in graphs() {
        let g = fixture_graph(&e);
        let name = e["name"].as_str().unwrap();
        let cores: Vec<f64> = core_numbers(&g).iter().map(|&c| c as f64).collect();
        assert_close(
            &g,
            &format!("{name} core_number"),
            &e["networkx"]["core_number"],
            &cores,
            0.0,
        );
        let s = &e["scalars"];
        if let Some(c) = s.get("maximal_cliques") {
            let cl = maximal_cliques(&g, 1, 100_000).unwrap();
            assert_eq!(
                cl.len() as u64,
                c.as_u64().unwrap(),
                "{name} maximal cliques"
            );
        }
        if let Some(part) = e.get("partition") {
            let mut ids = std::collections::BTreeMap::new();
            let mut membership = vec![0u32; g.node_count()];
            for (label, p) in part.as_object().unwrap() {
                let next = ids.len() as u32;
                let c = *ids.entry(p.as_str().unwrap().to_string()).or_insert(next);
                membership[g.node(label).unwrap() as usize] = c;
            }
            let q = modularity(&g, &membership, 1.0, false).unwrap();
            assert_scalar(
                &format!("{name} modularity"),
                q,
                s["modularity_partition"].as_f64().unwrap(),
                TOL,
            );
            if let Some(w) = s.get("modularity_partition_weighted") {
                let q = modularity(&g, &membership, 1.0, true).unwrap();
                assert_scalar(
                    &format!("{name} weighted modularity"),
                    q,
                    w.as_f64().unwrap(),
                    TOL,
                );
            }
        }
    }
}
