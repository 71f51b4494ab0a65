//! Bad input is rejected with file, line, field and value, or handled by a stated rule.

use milieu_net::parse::{EdgesCsvOptions, read_edges_csv, read_nodes_csv};
use milieu_net::{BuildOptions, DuplicateEdges, Error, SelfLoops};

fn edges(text: &str, opts: &EdgesCsvOptions) -> Result<milieu_net::Graph, Error> {
    read_edges_csv(text.as_bytes(), "edges.csv", None, opts)
}

#[test]
fn unknown_node_is_an_error_with_line() {
    let nodes = read_nodes_csv("id,sector\na,x\nb,y\n".as_bytes(), "nodes.csv").unwrap();
    let err = read_edges_csv(
        "source,target\na,b\nb,zed\n".as_bytes(),
        "edges.csv",
        Some(&nodes),
        &Default::default(),
    )
    .unwrap_err();
    assert_eq!(
        err,
        Error::UnknownNode {
            file: "edges.csv".into(),
            line: 3,
            field: "target".into(),
            value: "zed".into()
        }
    );
    assert!(err.to_string().contains("edges.csv: line 3"));
}

#[test]
fn self_loop_is_an_error_or_dropped() {
    let err = edges("source,target\na,b\nc,c\n", &Default::default()).unwrap_err();
    assert_eq!(
        err,
        Error::SelfLoop {
            file: "edges.csv".into(),
            line: 3,
            node: "c".into()
        }
    );
    let opts = EdgesCsvOptions {
        build: BuildOptions {
            self_loops: SelfLoops::Drop,
            ..Default::default()
        },
        ..Default::default()
    };
    let g = edges("source,target\na,b\nc,c\n", &opts).unwrap();
    assert_eq!(
        (g.node_count(), g.edge_count(), g.dropped_self_loops()),
        (3, 1, 1)
    );
}

#[test]
fn duplicate_edges_error_or_merge() {
    // b,a repeats a,b in an undirected graph.
    let text = "source,target,weight\na,b,2\nb,c,1\nb,a,3\n";
    let err = edges(text, &Default::default()).unwrap_err();
    assert!(
        matches!(
            err,
            Error::DuplicateEdge {
                line: 4,
                first_line: 2,
                ..
            }
        ),
        "{err:?}"
    );
    let with = |d| EdgesCsvOptions {
        build: BuildOptions {
            duplicates: d,
            ..Default::default()
        },
        ..Default::default()
    };
    let w = |g: &milieu_net::Graph| {
        g.out_adjacency()
            .weight(g.node("a").unwrap(), g.node("b").unwrap())
            .unwrap()
    };
    assert_eq!(w(&edges(text, &with(DuplicateEdges::Sum)).unwrap()), 5.0);
    assert_eq!(w(&edges(text, &with(DuplicateEdges::Max)).unwrap()), 3.0);
    assert_eq!(w(&edges(text, &with(DuplicateEdges::First)).unwrap()), 2.0);
    // In a directed graph a,b and b,a are different edges.
    let directed = EdgesCsvOptions {
        directed: true,
        ..Default::default()
    };
    assert_eq!(edges(text, &directed).unwrap().edge_count(), 3);
}

#[test]
fn negative_zero_and_non_numeric_weights_are_errors_with_line() {
    for (bad, line) in [("-1", 3), ("0", 3), ("abc", 3), ("", 3), ("inf", 3)] {
        let text = format!("source,target,weight\na,b,1\nb,c,{bad}\n");
        let err = edges(&text, &Default::default()).unwrap_err();
        match err {
            Error::BadValue {
                file,
                line: l,
                field,
                value,
                ..
            } => {
                assert_eq!(
                    (file.as_str(), l, field.as_str(), value.as_str()),
                    ("edges.csv", line, "weight", bad)
                );
            }
            other => panic!("{bad}: {other:?}"),
        }
    }
}

#[test]
fn empty_graph_is_valid_and_measures_are_empty() {
    let g = edges("source,target\n", &Default::default()).unwrap();
    assert_eq!((g.node_count(), g.edge_count()), (0, 0));
    let p = milieu_net::paths::path_measures(&g, Default::default());
    assert!(p.betweenness.is_empty());
    assert!(p.average_path_length().is_nan());
}

#[test]
fn nodes_file_keeps_isolates_and_attributes() {
    let nodes = read_nodes_csv(
        "id,sector,region\na,x,r1\nb,y,r1\nc,x,\n".as_bytes(),
        "nodes.csv",
    )
    .unwrap();
    let g = read_edges_csv(
        "source,target\na,b\n".as_bytes(),
        "edges.csv",
        Some(&nodes),
        &Default::default(),
    )
    .unwrap();
    assert_eq!(g.node_count(), 3);
    assert_eq!(g.attribute("sector").unwrap(), ["x", "y", "x"]);
    assert_eq!(g.attribute("region").unwrap(), ["r1", "r1", ""]);
    let err = read_nodes_csv("id,sector\na,x\na,y\n".as_bytes(), "nodes.csv").unwrap_err();
    assert_eq!(
        err,
        Error::DuplicateNode {
            file: "nodes.csv".into(),
            line: 3,
            first_line: 2,
            id: "a".into()
        }
    );
}

#[test]
fn positional_columns_without_source_target_header() {
    let g = edges("u,v,weight\n0,1,4\n0,2,5\n", &Default::default()).unwrap();
    assert!(g.is_weighted());
    assert_eq!(g.edge_count(), 2);
}

#[test]
fn disconnected_graph_closeness_uses_wasserman_faust() {
    // Two components: a-b-c and d-e. Closeness of b = (2/2) * (2/4) = 0.5.
    let g = edges("source,target\na,b\nb,c\nd,e\n", &Default::default()).unwrap();
    let p = milieu_net::paths::path_measures(&g, Default::default());
    let b = g.node("b").unwrap() as usize;
    assert!((p.closeness[b] - 0.5).abs() < 1e-15);
    let d = g.node("d").unwrap() as usize;
    assert!((p.closeness[d] - 0.25).abs() < 1e-15);
    assert_eq!(p.reachable_pairs, 8);
    assert_eq!(p.diameter, 2.0);
}
