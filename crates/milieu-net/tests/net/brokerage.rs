//! Gould-Fernandez roles on hand-worked graphs, and the fast count against brute force.

use milieu_net::brokerage::brokerage;
use milieu_net::{BuildOptions, Graph, GraphBuilder};

fn build(directed: bool, groups: &[(&str, &str)], edges: &[(&str, &str)]) -> Graph {
    let mut b = GraphBuilder::new(directed, false);
    for (v, g) in groups {
        let id = b.node(v);
        b.set_attribute(id, "sector", g);
    }
    for (u, v) in edges {
        let (u, v) = (b.node(u), b.node(v));
        b.add_edge(u, v, 1.0).unwrap();
    }
    b.build(&BuildOptions::default()).unwrap()
}

fn roles(g: &Graph, v: &str) -> [f64; 6] {
    let r = brokerage(g, "sector").unwrap();
    let i = g.node(v).unwrap() as usize;
    [
        r.coordinator[i],
        r.gatekeeper[i],
        r.representative[i],
        r.consultant[i],
        r.liaison[i],
        r.total[i],
    ]
}

#[test]
fn directed_hand_worked() {
    // b (G1) receives from x1 (G1), y1 (G2), z1 (G3), y2 (G2) and sends to x2, x3 (G1), y2 (G2),
    // z2 (G3); x1 -> x2 closes the pair (x1, x2).
    let groups = [
        ("b", "G1"),
        ("x1", "G1"),
        ("x2", "G1"),
        ("x3", "G1"),
        ("y1", "G2"),
        ("y2", "G2"),
        ("z1", "G3"),
        ("z2", "G3"),
    ];
    let edges = [
        ("x1", "b"),
        ("y1", "b"),
        ("z1", "b"),
        ("y2", "b"),
        ("b", "x2"),
        ("b", "x3"),
        ("b", "y2"),
        ("b", "z2"),
        ("x1", "x2"),
    ];
    let g = build(true, &groups, &edges);
    // Pairs (a, c), a in {x1, y1, z1, y2}, c in {x2, x3, y2, z2}, minus (x1, x2) closed and
    // (y2, y2):
    // coordinator: (x1, x3)                                   = 1
    // gatekeeper: (y1|z1|y2, x2|x3)                           = 6
    // representative: (x1, y2), (x1, z2)                      = 2
    // consultant: (y1, y2), (z1, z2)                          = 2
    // liaison: (y1, z2), (z1, y2), (y2, z2)                   = 3
    assert_eq!(roles(&g, "b"), [1.0, 6.0, 2.0, 2.0, 3.0, 14.0]);
    for v in ["x1", "x2", "x3", "y1", "y2", "z1", "z2"] {
        assert_eq!(roles(&g, v)[5], 0.0, "{v}");
    }
}

#[test]
fn undirected_counts_both_orientations() {
    // b (G1) with neighbours p, q, u (G1), r, t (G2), s (G3); p - q closes {p, q}.
    let groups = [
        ("b", "G1"),
        ("p", "G1"),
        ("q", "G1"),
        ("u", "G1"),
        ("r", "G2"),
        ("t", "G2"),
        ("s", "G3"),
    ];
    let edges = [
        ("b", "p"),
        ("b", "q"),
        ("b", "u"),
        ("b", "r"),
        ("b", "t"),
        ("b", "s"),
        ("p", "q"),
    ];
    let g = build(false, &groups, &edges);
    // Open unordered pairs: G1-G1 {p,u},{q,u}; G1-G2 six; G1-G3 three; G2-G2 {r,t}; G2-G3 two.
    // Each counts in both orientations: one as representative, the other as gatekeeper.
    assert_eq!(roles(&g, "b"), [4.0, 9.0, 9.0, 2.0, 4.0, 28.0]);
    assert_eq!(roles(&g, "p")[5], 0.0);
    // A path a - m - c with a and c in one group and m in another: m is a consultant twice.
    let g = build(
        false,
        &[("a", "X"), ("m", "Y"), ("c", "X")],
        &[("a", "m"), ("m", "c")],
    );
    assert_eq!(roles(&g, "m"), [0.0, 0.0, 0.0, 2.0, 0.0, 2.0]);
}

#[test]
fn fast_count_matches_brute_force_on_random_digraphs() {
    let mut state = 12345u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for trial in 0..20 {
        let n = 25;
        let directed = trial % 2 == 0;
        let groups: Vec<(String, String)> = (0..n)
            .map(|i| (format!("v{i}"), format!("g{}", next() % 3)))
            .collect();
        let mut edges = Vec::new();
        for i in 0..n {
            for j in 0..n {
                if i != j && (directed || i < j) && next() % 100 < 15 {
                    edges.push((format!("v{i}"), format!("v{j}")));
                }
            }
        }
        let gr: Vec<(&str, &str)> = groups
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let er: Vec<(&str, &str)> = edges
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let g = build(directed, &gr, &er);
        let fast = brokerage(&g, "sector").unwrap();
        let group = g.attribute("sector").unwrap();
        let out = g.out_adjacency();
        let inc = g.in_adjacency();
        for b in 0..n as u32 {
            let mut k = [0.0; 5];
            for &a in inc.neighbors(b) {
                for &c in out.neighbors(b) {
                    if a == c || out.weight(a, c).is_some() {
                        continue;
                    }
                    let (ga, gb, gc) = (&group[a as usize], &group[b as usize], &group[c as usize]);
                    let role = if ga == gb && gc == gb {
                        0
                    } else if ga != gb && gc == gb {
                        1
                    } else if ga == gb {
                        2
                    } else if ga == gc {
                        3
                    } else {
                        4
                    };
                    k[role] += 1.0;
                }
            }
            let i = b as usize;
            assert_eq!(
                [
                    fast.coordinator[i],
                    fast.gatekeeper[i],
                    fast.representative[i],
                    fast.consultant[i],
                    fast.liaison[i]
                ],
                k,
                "trial {trial} node {b}"
            );
        }
    }
}
