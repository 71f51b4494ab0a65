//! `metrics`: one row per node with every node measure (or a chosen list) and a network
//! summary; the API behind `milieu net metrics`. Column names are documented in
//! docs/network.md. Undefined values (e.g. constraint of an isolate) are `None` (empty in CSV,
//! null in JSON).

use serde::{Deserialize, Serialize};

use crate::brokerage::brokerage;
use crate::centrality::{PowerOptions, degrees, eigenvector, pagerank};
use crate::community::{CommunityOptions, communities};
use crate::coreperiphery::core_periphery;
use crate::dependency::dependency;
use crate::error::Error;
use crate::graph::Graph;
use crate::kcore::core_numbers;
use crate::network::{
    GroupRow, attribute_assortativity, components, degree_assortativity, density, ei_index,
    reciprocity,
};
use crate::paths::{PathWeights, betweenness_sampled, path_measures};
use crate::structural::{clustering, structural_holes, transitivity};

/// A node measure (or family of columns) that `metrics` can compute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// degree, in_degree, out_degree, degree_centrality
    Degree,
    /// strength
    Strength,
    /// betweenness, betweenness_normalized
    Betweenness,
    /// closeness, harmonic, eccentricity
    Closeness,
    Eigenvector,
    Pagerank,
    /// clustering, triangles
    Clustering,
    /// contacts, constraint, effective_size, efficiency, hierarchy
    StructuralHoles,
    /// coordinator, gatekeeper, representative, consultant, liaison, brokerage_total
    Brokerage,
    /// coreness (Borgatti-Everett continuous)
    CorePeriphery,
    /// kcore
    Kcore,
    Community,
    Component,
    /// articulation, cut_pairs, cut_share
    Dependency,
    /// ei_index (by group_by)
    EiIndex,
    /// external_share (by region attribute)
    ExternalShare,
}

impl Measure {
    pub const ALL: [Measure; 16] = [
        Measure::Degree,
        Measure::Strength,
        Measure::Betweenness,
        Measure::Closeness,
        Measure::Eigenvector,
        Measure::Pagerank,
        Measure::Clustering,
        Measure::StructuralHoles,
        Measure::Brokerage,
        Measure::CorePeriphery,
        Measure::Kcore,
        Measure::Community,
        Measure::Component,
        Measure::Dependency,
        Measure::EiIndex,
        Measure::ExternalShare,
    ];

    /// Parses a measure or column name (`constraint` selects the structural-hole family,
    /// `harmonic` the closeness family, ...).
    pub fn parse(name: &str) -> Result<Measure, Error> {
        let m = match name.trim().to_ascii_lowercase().replace('-', "_").as_str() {
            "degree" | "in_degree" | "out_degree" | "degree_centrality" => Measure::Degree,
            "strength" => Measure::Strength,
            "betweenness" | "betweenness_normalized" => Measure::Betweenness,
            "closeness" | "harmonic" | "eccentricity" => Measure::Closeness,
            "eigenvector" => Measure::Eigenvector,
            "pagerank" => Measure::Pagerank,
            "clustering" | "triangles" => Measure::Clustering,
            "structural_holes" | "constraint" | "effective_size" | "efficiency" | "hierarchy"
            | "contacts" => Measure::StructuralHoles,
            "brokerage" | "coordinator" | "gatekeeper" | "representative" | "consultant"
            | "liaison" | "brokerage_total" => Measure::Brokerage,
            "core_periphery" | "coreness" => Measure::CorePeriphery,
            "kcore" | "k_core" | "core_number" => Measure::Kcore,
            "community" => Measure::Community,
            "component" => Measure::Component,
            "dependency" | "articulation" | "cut_pairs" | "cut_share" => Measure::Dependency,
            "ei_index" | "ei" => Measure::EiIndex,
            "external_share" => Measure::ExternalShare,
            other => {
                return Err(Error::param(
                    "measure",
                    other,
                    "one of degree, strength, betweenness, closeness, harmonic, eigenvector, \
                     pagerank, clustering, constraint, effective_size, efficiency, hierarchy, \
                     brokerage, coreness, kcore, community, component, dependency, ei_index, \
                     external_share",
                ));
            }
        };
        Ok(m)
    }

    /// The [`NodeRow`] columns this measure fills, in row order.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            Measure::Degree => &["degree", "in_degree", "out_degree", "degree_centrality"],
            Measure::Strength => &["strength"],
            Measure::Betweenness => &["betweenness", "betweenness_normalized"],
            Measure::Closeness => &["closeness", "harmonic", "eccentricity"],
            Measure::Eigenvector => &["eigenvector"],
            Measure::Pagerank => &["pagerank"],
            Measure::Clustering => &["clustering", "triangles"],
            Measure::StructuralHoles => &[
                "contacts",
                "constraint",
                "effective_size",
                "efficiency",
                "hierarchy",
            ],
            Measure::Brokerage => &[
                "coordinator",
                "gatekeeper",
                "representative",
                "consultant",
                "liaison",
                "brokerage_total",
            ],
            Measure::CorePeriphery => &["coreness"],
            Measure::Kcore => &["kcore"],
            Measure::Community => &["community"],
            Measure::Component => &["component"],
            Measure::Dependency => &["articulation", "cut_pairs", "cut_share"],
            Measure::EiIndex => &["ei_index"],
            Measure::ExternalShare => &["external_share"],
        }
    }

    /// Whether the measure needs `group_by` (brokerage, E-I) or `region_attribute` (external
    /// share); without it, its columns stay empty.
    pub fn needs_group(self) -> bool {
        matches!(self, Measure::Brokerage | Measure::EiIndex)
    }

    /// Parses a comma-separated list.
    pub fn parse_list(list: &str) -> Result<Vec<Measure>, Error> {
        let mut v: Vec<Measure> = list
            .split(',')
            .filter(|s| !s.trim().is_empty())
            .map(Measure::parse)
            .collect::<Result<_, _>>()?;
        v.sort();
        v.dedup();
        Ok(v)
    }
}

/// Options of [`metrics`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricsOptions {
    /// Measures to compute; empty = all (brokerage and E-I need `group_by`, external share
    /// needs `region_attribute`; without them those columns stay empty).
    pub measures: Vec<Measure>,
    /// Attribute for brokerage roles, E-I index and attribute assortativity.
    pub group_by: Option<String>,
    /// Attribute whose differing values make a tie "external" (local vs global ties).
    pub region_attribute: Option<String>,
    /// How shortest paths use weights (default: hops).
    pub path_weights: PathWeights,
    /// Use weights as tie strengths (strength, eigenvector, PageRank, clustering, structural
    /// holes, communities, core-periphery) when the graph is weighted.
    pub use_weights: bool,
    /// Estimate betweenness from this many sampled sources instead of exactly.
    pub betweenness_samples: Option<usize>,
    /// Probability that the sampled betweenness bound fails.
    pub betweenness_delta: f64,
    pub seed: u64,
    pub pagerank_alpha: f64,
    pub community: CommunityOptions,
}

impl Default for MetricsOptions {
    fn default() -> Self {
        MetricsOptions {
            measures: Vec::new(),
            group_by: None,
            region_attribute: None,
            path_weights: PathWeights::Hops,
            use_weights: true,
            betweenness_samples: None,
            betweenness_delta: 0.05,
            seed: 42,
            pagerank_alpha: 0.85,
            community: CommunityOptions::default(),
        }
    }
}

/// One row per node. Column names are the field names.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct NodeRow {
    pub id: String,
    pub group: Option<String>,
    pub region: Option<String>,
    pub degree: Option<f64>,
    pub in_degree: Option<f64>,
    pub out_degree: Option<f64>,
    pub degree_centrality: Option<f64>,
    pub strength: Option<f64>,
    pub betweenness: Option<f64>,
    pub betweenness_normalized: Option<f64>,
    pub closeness: Option<f64>,
    pub harmonic: Option<f64>,
    pub eccentricity: Option<f64>,
    pub eigenvector: Option<f64>,
    pub pagerank: Option<f64>,
    pub clustering: Option<f64>,
    pub triangles: Option<f64>,
    pub contacts: Option<u32>,
    pub constraint: Option<f64>,
    pub effective_size: Option<f64>,
    pub efficiency: Option<f64>,
    pub hierarchy: Option<f64>,
    pub coordinator: Option<f64>,
    pub gatekeeper: Option<f64>,
    pub representative: Option<f64>,
    pub consultant: Option<f64>,
    pub liaison: Option<f64>,
    pub brokerage_total: Option<f64>,
    pub coreness: Option<f64>,
    pub kcore: Option<u32>,
    pub community: Option<u32>,
    pub component: Option<u32>,
    pub articulation: Option<bool>,
    pub cut_pairs: Option<f64>,
    pub cut_share: Option<f64>,
    pub ei_index: Option<f64>,
    pub external_share: Option<f64>,
}

/// Network-level figures, with the parts they come from.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct NetworkSummary {
    pub nodes: usize,
    pub edges: usize,
    pub directed: bool,
    pub weighted: bool,
    pub density: f64,
    pub components: usize,
    pub largest_component: usize,
    pub isolates: usize,
    pub reciprocity: Option<f64>,
    pub degree_assortativity: Option<f64>,
    pub attribute_assortativity: Option<f64>,
    pub diameter: Option<f64>,
    pub average_path_length: Option<f64>,
    pub reachable_pairs: Option<u64>,
    pub transitivity: Option<f64>,
    pub triangles: Option<f64>,
    pub connected_triples: Option<f64>,
    pub average_clustering: Option<f64>,
    pub modularity: Option<f64>,
    pub communities: Option<usize>,
    pub core_periphery_fit: Option<f64>,
    pub articulation_points: Option<usize>,
    pub bridges: Option<usize>,
    pub connected_pairs: Option<f64>,
    pub ei_index: Option<f64>,
    pub external_ties: Option<f64>,
    pub internal_ties: Option<f64>,
    pub external_share: Option<f64>,
    pub betweenness_samples: Option<usize>,
    pub betweenness_epsilon: Option<f64>,
    pub eigenvector_converged: Option<bool>,
    pub pagerank_converged: Option<bool>,
    pub dropped_self_loops: usize,
    pub merged_duplicates: usize,
}

/// Everything `metrics` computes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Metrics {
    pub nodes: Vec<NodeRow>,
    pub summary: NetworkSummary,
    /// E-I index per group (when `group_by` is set).
    pub groups: Vec<GroupRow>,
}

fn opt(x: f64) -> Option<f64> {
    (!x.is_nan()).then_some(x)
}

/// Computes node measures and the network summary.
pub fn metrics(g: &Graph, opts: &MetricsOptions) -> Result<Metrics, Error> {
    let want = |m: Measure| opts.measures.is_empty() || opts.measures.contains(&m);
    let n = g.node_count();
    let group_values = match &opts.group_by {
        Some(a) => Some(g.require_attribute(a)?),
        None => None,
    };
    let region_values = match &opts.region_attribute {
        Some(a) => Some(g.require_attribute(a)?),
        None => None,
    };
    let mut rows: Vec<NodeRow> = (0..n)
        .map(|v| NodeRow {
            id: g.labels()[v].clone(),
            group: group_values.map(|x| x[v].clone()),
            region: region_values.map(|x| x[v].clone()),
            ..Default::default()
        })
        .collect();
    let (comp, sizes) = components(g);
    let mut s = NetworkSummary {
        nodes: n,
        edges: g.edge_count(),
        directed: g.is_directed(),
        weighted: g.is_weighted(),
        density: density(g),
        components: sizes.len(),
        largest_component: sizes.first().copied().unwrap_or(0),
        isolates: (0..n as u32)
            .filter(|&v| g.out_adjacency().degree(v) + g.in_adjacency().degree(v) == 0)
            .count(),
        reciprocity: g.is_directed().then(|| reciprocity(g)).and_then(opt),
        degree_assortativity: opt(degree_assortativity(g)),
        dropped_self_loops: g.dropped_self_loops(),
        merged_duplicates: g.merged_duplicates(),
        ..Default::default()
    };
    if want(Measure::Component) {
        for v in 0..n {
            rows[v].component = Some(comp[v]);
        }
    }
    if want(Measure::Degree) || want(Measure::Strength) {
        let d = degrees(g);
        for v in 0..n {
            if want(Measure::Degree) {
                rows[v].degree = Some(d.degree[v]);
                rows[v].in_degree = Some(d.in_degree[v]);
                rows[v].out_degree = Some(d.out_degree[v]);
                rows[v].degree_centrality = Some(d.degree_centrality[v]);
            }
            if want(Measure::Strength) {
                rows[v].strength = Some(d.strength[v]);
            }
        }
    }
    if want(Measure::Closeness)
        || (want(Measure::Betweenness) && opts.betweenness_samples.is_none())
    {
        let p = path_measures(g, opts.path_weights);
        for v in 0..n {
            if want(Measure::Betweenness) && opts.betweenness_samples.is_none() {
                rows[v].betweenness = Some(p.betweenness[v]);
                rows[v].betweenness_normalized = Some(p.betweenness_normalized[v]);
            }
            if want(Measure::Closeness) {
                rows[v].closeness = Some(p.closeness[v]);
                rows[v].harmonic = Some(p.harmonic[v]);
                rows[v].eccentricity = Some(p.eccentricity[v]);
            }
        }
        s.diameter = Some(p.diameter);
        s.average_path_length = opt(p.average_path_length());
        s.reachable_pairs = Some(p.reachable_pairs);
    }
    if want(Measure::Betweenness)
        && let Some(k) = opts.betweenness_samples
    {
        let b = betweenness_sampled(g, opts.path_weights, k, opts.seed, opts.betweenness_delta)?;
        for v in 0..n {
            rows[v].betweenness = Some(b.betweenness[v]);
            rows[v].betweenness_normalized = Some(b.betweenness_normalized[v]);
        }
        s.betweenness_samples = Some(b.samples);
        s.betweenness_epsilon = Some(b.epsilon);
    }
    let power = PowerOptions {
        use_weights: opts.use_weights,
        ..Default::default()
    };
    if want(Measure::Eigenvector) {
        let e = eigenvector(g, &power);
        for v in 0..n {
            rows[v].eigenvector = Some(e.values[v]);
        }
        s.eigenvector_converged = Some(e.converged);
    }
    if want(Measure::Pagerank) {
        let p = pagerank(g, opts.pagerank_alpha, &power)?;
        for v in 0..n {
            rows[v].pagerank = Some(p.values[v]);
        }
        s.pagerank_converged = Some(p.converged);
    }
    if want(Measure::Clustering) {
        let c = clustering(g, opts.use_weights);
        // Triangle counts ignore weights, so the weighted run serves transitivity too.
        let (t, tri, triples) = transitivity(g, &c);
        for v in 0..n {
            rows[v].clustering = Some(c.clustering[v]);
            rows[v].triangles = Some(c.triangles[v]);
        }
        s.transitivity = Some(t);
        s.triangles = Some(tri);
        s.connected_triples = Some(triples);
        s.average_clustering = if n > 0 {
            Some(c.clustering.iter().sum::<f64>() / n as f64)
        } else {
            None
        };
    }
    if want(Measure::StructuralHoles) {
        let h = structural_holes(g, opts.use_weights);
        for v in 0..n {
            rows[v].contacts = Some(h.contacts[v]);
            rows[v].constraint = opt(h.constraint[v]);
            rows[v].effective_size = opt(h.effective_size[v]);
            rows[v].efficiency = opt(h.efficiency[v]);
            rows[v].hierarchy = opt(h.hierarchy[v]);
        }
    }
    if let Some(attr) = &opts.group_by {
        if want(Measure::Brokerage) {
            let b = brokerage(g, attr)?;
            for v in 0..n {
                rows[v].coordinator = Some(b.coordinator[v]);
                rows[v].gatekeeper = Some(b.gatekeeper[v]);
                rows[v].representative = Some(b.representative[v]);
                rows[v].consultant = Some(b.consultant[v]);
                rows[v].liaison = Some(b.liaison[v]);
                rows[v].brokerage_total = Some(b.total[v]);
            }
        }
        s.attribute_assortativity = opt(attribute_assortativity(g, attr)?);
    }
    let mut groups = Vec::new();
    if want(Measure::EiIndex)
        && let Some(attr) = &opts.group_by
    {
        let ei = ei_index(g, attr, false)?;
        for v in 0..n {
            rows[v].ei_index = opt(ei.node[v]);
        }
        s.ei_index = opt(ei.network);
        s.external_ties = Some(ei.external_ties);
        s.internal_ties = Some(ei.internal_ties);
        groups = ei.groups;
    }
    if want(Measure::ExternalShare)
        && let Some(attr) = &opts.region_attribute
    {
        let ei = ei_index(g, attr, false)?;
        for v in 0..n {
            rows[v].external_share = opt(ei.node_external_share[v]);
        }
        let total = ei.external_ties + ei.internal_ties;
        s.external_share = (total > 0.0).then(|| ei.external_ties / total);
    }
    if want(Measure::CorePeriphery) {
        let cp = core_periphery(g, opts.use_weights);
        for v in 0..n {
            rows[v].coreness = Some(cp.coreness[v]);
        }
        s.core_periphery_fit = opt(cp.fit);
    }
    if want(Measure::Kcore) {
        let k = core_numbers(g);
        for v in 0..n {
            rows[v].kcore = Some(k[v]);
        }
    }
    if want(Measure::Community) && g.edge_count() > 0 {
        let copts = CommunityOptions {
            use_weights: opts.use_weights,
            ..opts.community
        };
        let p = communities(g, &copts)?;
        for v in 0..n {
            rows[v].community = Some(p.membership[v]);
        }
        s.modularity = opt(p.modularity);
        s.communities = Some(p.sizes.len());
    }
    if want(Measure::Dependency) {
        let d = dependency(g);
        for v in 0..n {
            rows[v].articulation = Some(d.articulation[v]);
            rows[v].cut_pairs = Some(d.cut_pairs[v]);
            rows[v].cut_share = Some(d.cut_share[v]);
        }
        s.articulation_points = Some(d.articulation.iter().filter(|&&a| a).count());
        s.bridges = Some(d.bridges.len());
        s.connected_pairs = Some(d.connected_pairs);
    }
    Ok(Metrics {
        nodes: rows,
        summary: s,
        groups,
    })
}
