//! Gould-Fernandez brokerage roles (Gould & Fernandez 1989, Sociological Methodology 19).
//!
//! Node b brokers the ordered pair (a, c) when a -> b -> c, a != c, and there is no tie
//! a -> c. With g(.) the group (a node attribute), the role of b in that pair is:
//! - coordinator: g(a) = g(b) = g(c);
//! - consultant (itinerant broker): g(a) = g(c) != g(b);
//! - gatekeeper: g(a) != g(b) = g(c) (b controls access into its group);
//! - representative: g(a) = g(b) != g(c) (b speaks for its group outwards);
//! - liaison: all three groups differ.
//!
//! Undirected graphs are treated as symmetric directed graphs (every tie both ways), as
//! `sna::brokerage` does with a symmetric matrix: an open pair {a, c} is brokered in both
//! orientations, so it counts twice, and the representative and gatekeeper counts are equal
//! (one orientation each). Empty attribute values form one group ``""``.
//!
//! Counting is per broker from group counts of its in- and out-neighbours (all pairs by
//! role, in O(deg)), minus the closed pairs found by walking a's out-row against a mark of b's
//! out-neighbours, so the cost is that of counting triangles, not deg(b)^2 per broker.

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::error::Error;
use crate::graph::{Graph, NodeId};

/// Role counts of every node.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Brokerage {
    pub attribute: String,
    pub coordinator: Vec<f64>,
    pub gatekeeper: Vec<f64>,
    pub representative: Vec<f64>,
    pub consultant: Vec<f64>,
    pub liaison: Vec<f64>,
    /// Sum of the five roles: the ordered open pairs the node brokers.
    pub total: Vec<f64>,
}

/// One row per node for `milieu net brokers`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BrokerageRow {
    pub id: String,
    pub group: String,
    pub coordinator: f64,
    pub gatekeeper: f64,
    pub representative: f64,
    pub consultant: f64,
    pub liaison: f64,
    pub brokerage_total: f64,
}

impl Brokerage {
    /// Rows with node labels and groups.
    pub fn rows(&self, g: &Graph) -> Vec<BrokerageRow> {
        let groups = g.attribute(&self.attribute).unwrap_or(&[]);
        (0..self.total.len())
            .map(|v| BrokerageRow {
                id: g.labels()[v].clone(),
                group: groups.get(v).cloned().unwrap_or_default(),
                coordinator: self.coordinator[v],
                gatekeeper: self.gatekeeper[v],
                representative: self.representative[v],
                consultant: self.consultant[v],
                liaison: self.liaison[v],
                brokerage_total: self.total[v],
            })
            .collect()
    }
}

#[derive(Default, Clone, Copy)]
struct Counts([f64; 5]); // coordinator, gatekeeper, representative, consultant, liaison

/// Gould-Fernandez role counts by a node attribute.
pub fn brokerage(g: &Graph, attribute: &str) -> Result<Brokerage, Error> {
    let values = g.require_attribute(attribute)?;
    let mut ids: HashMap<&str, u32> = HashMap::new();
    let group: Vec<u32> = values
        .iter()
        .map(|v| {
            let k = ids.len() as u32;
            *ids.entry(v.as_str()).or_insert(k)
        })
        .collect();
    let ngroups = ids.len();
    let n = g.node_count();
    let out = g.out_adjacency();
    let inc = g.in_adjacency();
    let role = |ga: u32, gb: u32, gc: u32| -> usize {
        match (ga == gb, gc == gb) {
            (true, true) => 0,
            (false, true) => 1,
            (true, false) => 2,
            (false, false) if ga == gc => 3,
            _ => 4,
        }
    };
    let rows: Vec<Counts> = (0..n as NodeId)
        .into_par_iter()
        .map_init(
            || {
                (
                    vec![false; n],
                    vec![0.0f64; ngroups],
                    vec![0.0f64; ngroups],
                    Vec::<u32>::new(),
                )
            },
            |(mark, cin, cout, touched), b| {
                let gb = group[b as usize];
                let ins = inc.neighbors(b);
                let outs = out.neighbors(b);
                for &a in ins {
                    let ga = group[a as usize];
                    if cin[ga as usize] == 0.0 && cout[ga as usize] == 0.0 {
                        touched.push(ga);
                    }
                    cin[ga as usize] += 1.0;
                }
                for &c in outs {
                    let gc = group[c as usize];
                    if cin[gc as usize] == 0.0 && cout[gc as usize] == 0.0 {
                        touched.push(gc);
                    }
                    cout[gc as usize] += 1.0;
                    mark[c as usize] = true;
                }
                let mut k = [0.0f64; 5];
                let (i_same, o_same) = (cin[gb as usize], cout[gb as usize]);
                let i_other = ins.len() as f64 - i_same;
                let o_other = outs.len() as f64 - o_same;
                let mut same_other = 0.0; // sum over groups != gb of in * out
                for &t in touched.iter() {
                    if t != gb {
                        same_other += cin[t as usize] * cout[t as usize];
                    }
                }
                k[0] = i_same * o_same;
                k[1] = i_other * o_same;
                k[2] = i_same * o_other;
                k[3] = same_other;
                k[4] = i_other * o_other - same_other;
                // Remove a == c (a node that is both an in- and an out-neighbour).
                for &a in ins {
                    if mark[a as usize] {
                        let ga = group[a as usize];
                        k[role(ga, gb, ga)] -= 1.0;
                    }
                }
                // Remove closed pairs: a -> c exists.
                for &a in ins {
                    let ga = group[a as usize];
                    for &c in out.neighbors(a) {
                        if c != b && mark[c as usize] {
                            k[role(ga, gb, group[c as usize])] -= 1.0;
                        }
                    }
                }
                for &c in outs {
                    mark[c as usize] = false;
                }
                for &t in touched.iter() {
                    cin[t as usize] = 0.0;
                    cout[t as usize] = 0.0;
                }
                touched.clear();
                Counts(k)
            },
        )
        .collect();
    let col = |i: usize| rows.iter().map(|r| r.0[i]).collect::<Vec<f64>>();
    Ok(Brokerage {
        attribute: attribute.to_string(),
        coordinator: col(0),
        gatekeeper: col(1),
        representative: col(2),
        consultant: col(3),
        liaison: col(4),
        total: rows.iter().map(|r| r.0.iter().sum()).collect(),
    })
}
