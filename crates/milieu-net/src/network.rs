//! Network- and group-level measures: density, components, reciprocity, assortativity,
//! E-I index and the share of external ties.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::error::Error;
use crate::graph::{Graph, NodeId};

/// Density: m / (n(n-1)) for directed graphs, 2m / (n(n-1)) for undirected (NetworkX).
pub fn density(g: &Graph) -> f64 {
    let n = g.node_count() as f64;
    if n <= 1.0 {
        return 0.0;
    }
    let m = g.edge_count() as f64;
    if g.is_directed() {
        m / (n * (n - 1.0))
    } else {
        2.0 * m / (n * (n - 1.0))
    }
}

/// Connected components (weakly connected for directed graphs): the component of each node
/// (0 = largest; ties by smallest node) and the sizes.
pub fn components(g: &Graph) -> (Vec<u32>, Vec<usize>) {
    let n = g.node_count();
    let out = g.out_adjacency();
    let inc = g.in_adjacency();
    let mut comp = vec![u32::MAX; n];
    let mut sizes = Vec::new();
    let mut stack = Vec::new();
    for s in 0..n {
        if comp[s] != u32::MAX {
            continue;
        }
        let c = sizes.len() as u32;
        comp[s] = c;
        stack.push(s as NodeId);
        let mut size = 0;
        while let Some(v) = stack.pop() {
            size += 1;
            for &u in out.neighbors(v).iter().chain(inc.neighbors(v)) {
                if comp[u as usize] == u32::MAX {
                    comp[u as usize] = c;
                    stack.push(u);
                }
            }
        }
        sizes.push(size);
    }
    let mut ids: Vec<usize> = (0..sizes.len()).collect();
    ids.sort_by(|&a, &b| sizes[b].cmp(&sizes[a]).then(a.cmp(&b)));
    let mut rank = vec![0u32; sizes.len()];
    for (r, &c) in ids.iter().enumerate() {
        rank[c] = r as u32;
    }
    let sorted = ids.iter().map(|&c| sizes[c]).collect();
    (comp.iter().map(|&c| rank[c as usize]).collect(), sorted)
}

/// Reciprocity of a directed graph: reciprocated arcs / arcs (NetworkX `overall_reciprocity`);
/// 1.0 for an undirected graph with edges, NaN without edges.
pub fn reciprocity(g: &Graph) -> f64 {
    if g.edge_count() == 0 {
        return f64::NAN;
    }
    if !g.is_directed() {
        return 1.0;
    }
    let out = g.out_adjacency();
    let mutual = g
        .edges()
        .iter()
        .filter(|e| out.weight(e.target, e.source).is_some())
        .count();
    mutual as f64 / g.edge_count() as f64
}

fn pearson(pairs: impl Iterator<Item = (f64, f64)>) -> f64 {
    let (mut n, mut sx, mut sy, mut sxx, mut syy, mut sxy) = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
    for (x, y) in pairs {
        n += 1.0;
        sx += x;
        sy += y;
        sxx += x * x;
        syy += y * y;
        sxy += x * y;
    }
    let cov = n * sxy - sx * sy;
    let den = ((n * sxx - sx * sx) * (n * syy - sy * sy)).sqrt();
    if den == 0.0 { f64::NAN } else { cov / den }
}

/// Degree assortativity (Newman 2002) as NetworkX `degree_assortativity_coefficient`:
/// the Pearson correlation of the degrees at the two ends of each edge (both orientations for
/// undirected graphs; out-degree of the source with in-degree of the target for directed).
pub fn degree_assortativity(g: &Graph) -> f64 {
    let out = g.out_adjacency();
    let inc = g.in_adjacency();
    if g.is_directed() {
        pearson(
            g.edges()
                .iter()
                .map(|e| (out.degree(e.source) as f64, inc.degree(e.target) as f64)),
        )
    } else {
        pearson(g.edges().iter().flat_map(|e| {
            let (a, b) = (out.degree(e.source) as f64, out.degree(e.target) as f64);
            [(a, b), (b, a)]
        }))
    }
}

/// Attribute (categorical) assortativity as NetworkX `attribute_assortativity_coefficient`:
/// r = (tr e - sum_i a_i b_i) / (1 - sum_i a_i b_i), e the normalised mixing matrix.
pub fn attribute_assortativity(g: &Graph, attribute: &str) -> Result<f64, Error> {
    let values = g.require_attribute(attribute)?;
    let mut ids: BTreeMap<&str, usize> = BTreeMap::new();
    for v in values {
        let k = ids.len();
        ids.entry(v.as_str()).or_insert(k);
    }
    let k = ids.len();
    let mut e = vec![0.0; k * k];
    let mut total = 0.0;
    for edge in g.edges() {
        let a = ids[values[edge.source as usize].as_str()];
        let b = ids[values[edge.target as usize].as_str()];
        e[a * k + b] += 1.0;
        total += 1.0;
        if !g.is_directed() {
            e[b * k + a] += 1.0;
            total += 1.0;
        }
    }
    if total == 0.0 {
        return Ok(f64::NAN);
    }
    let trace: f64 = (0..k).map(|i| e[i * k + i] / total).sum();
    let mut ab = 0.0;
    for i in 0..k {
        let a: f64 = (0..k).map(|j| e[i * k + j]).sum::<f64>() / total;
        let b: f64 = (0..k).map(|j| e[j * k + i]).sum::<f64>() / total;
        ab += a * b;
    }
    Ok(if ab == 1.0 {
        f64::NAN
    } else {
        (trace - ab) / (1.0 - ab)
    })
}

/// E-I index of one group (Krackhardt & Stern 1988).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupRow {
    pub group: String,
    pub nodes: usize,
    /// Ties inside the group.
    pub internal_ties: f64,
    /// Ties from the group's members to other groups.
    pub external_ties: f64,
    /// (external - internal) / (external + internal); NaN without ties.
    pub ei_index: f64,
    /// external / (external + internal).
    pub external_share: f64,
    /// Density of ties inside the group: internal / possible pairs.
    pub internal_density: f64,
}

/// E-I index at network, group and node level.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EiIndex {
    pub attribute: String,
    /// Network: (E - I) / (E + I) over all ties whose two ends have a value.
    pub network: f64,
    pub external_ties: f64,
    pub internal_ties: f64,
    pub groups: Vec<GroupRow>,
    /// Per node: (E_v - I_v) / (E_v + I_v) over v's ties (NaN without ties or value).
    pub node: Vec<f64>,
    /// Per node: E_v / (E_v + I_v), the share of v's ties that leave its group.
    pub node_external_share: Vec<f64>,
}

/// E-I index by a node attribute. Ties count once each (weights ignored unless
/// `use_weights`), direction ignored; ties touching a node with an empty value are left out.
pub fn ei_index(g: &Graph, attribute: &str, use_weights: bool) -> Result<EiIndex, Error> {
    let values = g.require_attribute(attribute)?;
    let n = g.node_count();
    let (mut e_v, mut i_v) = (vec![0.0; n], vec![0.0; n]);
    let mut groups: BTreeMap<&str, (usize, f64, f64)> = BTreeMap::new();
    for v in values.iter().filter(|v| !v.is_empty()) {
        groups.entry(v.as_str()).or_insert((0, 0.0, 0.0)).0 += 1;
    }
    let (mut ext, mut int) = (0.0, 0.0);
    for e in g.edges() {
        let (a, b) = (&values[e.source as usize], &values[e.target as usize]);
        if a.is_empty() || b.is_empty() {
            continue;
        }
        let w = if use_weights { e.weight } else { 1.0 };
        if a == b {
            int += w;
            i_v[e.source as usize] += w;
            i_v[e.target as usize] += w;
            groups.get_mut(a.as_str()).expect("group").1 += w;
        } else {
            ext += w;
            e_v[e.source as usize] += w;
            e_v[e.target as usize] += w;
            groups.get_mut(a.as_str()).expect("group").2 += w;
            groups.get_mut(b.as_str()).expect("group").2 += w;
        }
    }
    let ratio = |e: f64, i: f64| {
        if e + i == 0.0 {
            f64::NAN
        } else {
            (e - i) / (e + i)
        }
    };
    let share = |e: f64, i: f64| if e + i == 0.0 { f64::NAN } else { e / (e + i) };
    let pairs_factor = if g.is_directed() { 1.0 } else { 0.5 };
    Ok(EiIndex {
        attribute: attribute.to_string(),
        network: ratio(ext, int),
        external_ties: ext,
        internal_ties: int,
        groups: groups
            .into_iter()
            .map(|(name, (nodes, i, e))| {
                let possible = nodes as f64 * (nodes as f64 - 1.0) * pairs_factor;
                GroupRow {
                    group: name.to_string(),
                    nodes,
                    internal_ties: i,
                    external_ties: e,
                    ei_index: ratio(e, i),
                    external_share: share(e, i),
                    internal_density: if possible > 0.0 {
                        i / possible
                    } else {
                        f64::NAN
                    },
                }
            })
            .collect(),
        node: (0..n).map(|v| ratio(e_v[v], i_v[v])).collect(),
        node_external_share: (0..n).map(|v| share(e_v[v], i_v[v])).collect(),
    })
}
