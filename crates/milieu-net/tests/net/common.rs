use std::path::PathBuf;

use milieu_net::{BuildOptions, Graph, GraphBuilder};
use serde_json::Value;

/// `<workspace root>/../shared/data`, or `MILIEU_SHARED_DATA`.
#[allow(dead_code)]
pub fn shared_data() -> Option<PathBuf> {
    let p = match std::env::var_os("MILIEU_SHARED_DATA") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"),
    };
    p.is_dir().then_some(p)
}

pub fn golden() -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/golden.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Builds the fixture's graph with its node order.
pub fn fixture_graph(entry: &Value) -> Graph {
    let directed = entry["directed"].as_bool().unwrap();
    let weighted = entry["weighted"].as_bool().unwrap();
    let mut b = GraphBuilder::new(directed, weighted);
    for v in entry["nodes"].as_array().unwrap() {
        b.node(v.as_str().unwrap());
    }
    for e in entry["edges"].as_array().unwrap() {
        let u = b.node(e[0].as_str().unwrap());
        let v = b.node(e[1].as_str().unwrap());
        let w = if weighted {
            e[2].as_f64().unwrap()
        } else {
            1.0
        };
        b.add_edge(u, v, w).unwrap();
    }
    b.build(&BuildOptions::default()).unwrap()
}

/// Asserts that `ours` (indexed by node id) matches the fixture's map keyed by label.
pub fn assert_close(g: &Graph, what: &str, expected: &Value, ours: &[f64], tol: f64) {
    let map = expected
        .as_object()
        .unwrap_or_else(|| panic!("{what}: missing"));
    assert_eq!(map.len(), g.node_count(), "{what}: node count");
    for (label, want) in map {
        let v = g
            .node(label)
            .unwrap_or_else(|| panic!("{what}: no node {label}"));
        let got = ours[v as usize];
        match want.as_f64() {
            None => assert!(got.is_nan(), "{what}[{label}]: expected NaN, got {got}"),
            Some(want) => {
                let err = (got - want).abs();
                assert!(
                    err <= tol * want.abs().max(1.0),
                    "{what}[{label}]: got {got}, expected {want} (error {err:e})"
                );
            }
        }
    }
}

pub fn assert_scalar(what: &str, got: f64, want: f64, tol: f64) {
    assert!(
        (got - want).abs() <= tol * want.abs().max(1.0),
        "{what}: got {got}, expected {want}"
    );
}
