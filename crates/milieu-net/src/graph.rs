//! The compact graph: CSR adjacency with `u32` node ids, labels and string attributes.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::error::Error;

/// Node id: the index of the node in [`Graph::labels`].
pub type NodeId = u32;

/// Compressed sparse row adjacency: the neighbours of `v` are `adj[off[v]..off[v+1]]`,
/// sorted ascending, with parallel weights.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Adjacency {
    pub(crate) off: Vec<usize>,
    pub(crate) adj: Vec<NodeId>,
    pub(crate) w: Vec<f64>,
}

impl Adjacency {
    /// Builds from arcs `(from, to, weight)`; arcs need not be sorted and must be unique.
    pub(crate) fn from_arcs(n: usize, arcs: &[(NodeId, NodeId, f64)]) -> Adjacency {
        let mut off = vec![0usize; n + 1];
        for &(u, _, _) in arcs {
            off[u as usize + 1] += 1;
        }
        for i in 0..n {
            off[i + 1] += off[i];
        }
        let mut pos = off.clone();
        let mut adj = vec![0; arcs.len()];
        let mut w = vec![0.0; arcs.len()];
        for &(u, v, x) in arcs {
            let p = pos[u as usize];
            adj[p] = v;
            w[p] = x;
            pos[u as usize] += 1;
        }
        let mut a = Adjacency { off, adj, w };
        a.sort_rows();
        a
    }

    fn sort_rows(&mut self) {
        let mut buf: Vec<(NodeId, f64)> = Vec::new();
        for v in 0..self.off.len() - 1 {
            let (s, e) = (self.off[v], self.off[v + 1]);
            if self.adj[s..e].windows(2).all(|p| p[0] < p[1]) {
                continue;
            }
            buf.clear();
            buf.extend(
                self.adj[s..e]
                    .iter()
                    .copied()
                    .zip(self.w[s..e].iter().copied()),
            );
            buf.sort_by_key(|p| p.0);
            for (i, &(a, x)) in buf.iter().enumerate() {
                self.adj[s + i] = a;
                self.w[s + i] = x;
            }
        }
    }

    /// Number of nodes.
    #[inline]
    pub fn len(&self) -> usize {
        self.off.len().saturating_sub(1)
    }

    /// True when there are no nodes.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Sorted neighbours of `v`.
    #[inline]
    pub fn neighbors(&self, v: NodeId) -> &[NodeId] {
        &self.adj[self.off[v as usize]..self.off[v as usize + 1]]
    }

    /// Weights parallel to [`Adjacency::neighbors`].
    #[inline]
    pub fn weights(&self, v: NodeId) -> &[f64] {
        &self.w[self.off[v as usize]..self.off[v as usize + 1]]
    }

    /// Number of neighbours of `v`.
    #[inline]
    pub fn degree(&self, v: NodeId) -> usize {
        self.off[v as usize + 1] - self.off[v as usize]
    }

    /// Total number of arcs.
    #[inline]
    pub fn arc_count(&self) -> usize {
        self.adj.len()
    }

    /// Weight of arc `u -> v`, if present (binary search in the sorted row).
    pub fn weight(&self, u: NodeId, v: NodeId) -> Option<f64> {
        let row = self.neighbors(u);
        row.binary_search(&v)
            .ok()
            .map(|i| self.w[self.off[u as usize] + i])
    }
}

/// One edge of the graph (for undirected graphs `source < target`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Edge {
    pub source: NodeId,
    pub target: NodeId,
    pub weight: f64,
}

/// What to do when the same edge appears twice (for undirected graphs `a,b` and `b,a` are the
/// same edge).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DuplicateEdges {
    /// Reject with an error naming both lines (default: a duplicate is usually a mistake).
    #[default]
    Error,
    /// Merge into one edge whose weight is the sum of the weights (an unweighted input then
    /// becomes a weighted graph whose weight counts the repetitions).
    Sum,
    /// Merge into one edge with the largest weight.
    Max,
    /// Keep the first occurrence, ignore later ones.
    First,
}

/// What to do with an edge from a node to itself.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SelfLoops {
    /// Reject with an error naming the line (default).
    #[default]
    Error,
    /// Drop silently; the count is kept in [`Graph::dropped_self_loops`].
    Drop,
}

/// Rules applied by [`GraphBuilder::build`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildOptions {
    pub duplicates: DuplicateEdges,
    pub self_loops: SelfLoops,
}

/// A simple graph (no self-loops, no parallel edges), directed or undirected, with positive
/// edge weights (all 1.0 when unweighted), node labels and string attributes.
#[derive(Debug, Clone)]
pub struct Graph {
    directed: bool,
    weighted: bool,
    labels: Vec<String>,
    index: HashMap<String, NodeId>,
    attributes: BTreeMap<String, Vec<String>>,
    out: Adjacency,
    inc: Option<Adjacency>,
    edges: Vec<Edge>,
    dropped_self_loops: usize,
    merged_duplicates: usize,
}

impl Graph {
    /// True for a directed graph.
    pub fn is_directed(&self) -> bool {
        self.directed
    }
    /// True when edge weights were given (otherwise every weight is 1.0).
    pub fn is_weighted(&self) -> bool {
        self.weighted
    }
    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.labels.len()
    }
    /// Number of edges (an undirected edge counts once).
    pub fn edge_count(&self) -> usize {
        self.edges.len()
    }
    /// Node labels, indexed by node id.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }
    /// Label of one node.
    pub fn label(&self, v: NodeId) -> &str {
        &self.labels[v as usize]
    }
    /// Node id of a label.
    pub fn node(&self, label: &str) -> Option<NodeId> {
        self.index.get(label).copied()
    }
    /// The edges (for undirected graphs with `source < target`), sorted by (source, target).
    pub fn edges(&self) -> &[Edge] {
        &self.edges
    }
    /// Out-neighbours (all neighbours for an undirected graph).
    pub fn out_adjacency(&self) -> &Adjacency {
        &self.out
    }
    /// In-neighbours (the same as [`Graph::out_adjacency`] for an undirected graph).
    pub fn in_adjacency(&self) -> &Adjacency {
        self.inc.as_ref().unwrap_or(&self.out)
    }
    /// Attribute names, sorted.
    pub fn attribute_names(&self) -> impl Iterator<Item = &str> {
        self.attributes.keys().map(|s| s.as_str())
    }
    /// Values of one attribute per node ("" where a node has no value), if the attribute exists.
    pub fn attribute(&self, name: &str) -> Option<&[String]> {
        self.attributes.get(name).map(|v| v.as_slice())
    }
    /// Values of one attribute, or an error naming the known attributes.
    pub fn require_attribute(&self, name: &str) -> Result<&[String], Error> {
        self.attribute(name).ok_or_else(|| {
            let known: Vec<&str> = self.attribute_names().collect();
            Error::param(
                "attribute",
                name,
                &format!("one of the node attributes [{}]", known.join(", ")),
            )
        })
    }
    /// Sets (or replaces) an attribute column; `values` has one entry per node ("" = none).
    pub fn set_attribute_values(&mut self, name: &str, values: Vec<String>) -> Result<(), Error> {
        if values.len() != self.labels.len() {
            return Err(Error::param(
                "attribute values",
                values.len(),
                &format!("one value per node ({})", self.labels.len()),
            ));
        }
        self.attributes.insert(name.to_string(), values);
        Ok(())
    }
    /// Self-loops dropped under [`SelfLoops::Drop`].
    pub fn dropped_self_loops(&self) -> usize {
        self.dropped_self_loops
    }
    /// Duplicate edges merged under the `sum`, `max` or `first` policies.
    pub fn merged_duplicates(&self) -> usize {
        self.merged_duplicates
    }

    /// The underlying undirected graph with *mutual* weights `w(u,v) + w(v,u)` for a directed
    /// graph (NetworkX's `mutual_weight`); for an undirected graph the adjacency itself.
    pub fn symmetric(&self) -> Cow<'_, Adjacency> {
        match &self.inc {
            None => Cow::Borrowed(&self.out),
            Some(_) => Cow::Owned(self.symmetric_map(|w| w)),
        }
    }

    /// The underlying undirected graph where an edge's weight is the sum of `f(w)` over the
    /// arcs joining the two nodes (one arc for an undirected edge, one or two for a directed
    /// pair). `f = |_| 1.0` gives NetworkX's unweighted mutual weights.
    pub fn symmetric_map(&self, f: impl Fn(f64) -> f64) -> Adjacency {
        if self.inc.is_none() {
            let mut a = self.out.clone();
            for x in a.w.iter_mut() {
                *x = f(*x);
            }
            return a;
        }
        let mut arcs = Vec::with_capacity(2 * self.edges.len());
        for e in &self.edges {
            let x = f(e.weight);
            arcs.push((e.source, e.target, x));
            arcs.push((e.target, e.source, x));
        }
        arcs.sort_by_key(|a| (a.0, a.1));
        let mut merged: Vec<(NodeId, NodeId, f64)> = Vec::with_capacity(arcs.len());
        for a in arcs {
            match merged.last_mut() {
                Some(l) if l.0 == a.0 && l.1 == a.1 => l.2 += a.2,
                _ => merged.push(a),
            }
        }
        Adjacency::from_arcs(self.labels.len(), &merged)
    }

    /// Largest edge weight (1.0 for an empty graph).
    pub fn max_weight(&self) -> f64 {
        if self.edges.is_empty() {
            return 1.0;
        }
        self.edges.iter().map(|e| e.weight).fold(0.0, f64::max)
    }

    /// Builds a graph from labelled edges; a convenience for tests and small inputs.
    /// `weight` of `None` makes the graph unweighted.
    pub fn from_labelled_edges<S: AsRef<str>>(
        directed: bool,
        edges: &[(S, S, Option<f64>)],
        options: &BuildOptions,
    ) -> Result<Graph, Error> {
        let weighted = edges.iter().any(|e| e.2.is_some());
        let mut b = GraphBuilder::new(directed, weighted);
        for (i, (s, t, w)) in edges.iter().enumerate() {
            let u = b.node(s.as_ref());
            let v = b.node(t.as_ref());
            b.add_edge_at(u, v, w.unwrap_or(1.0), i as u64 + 1)?;
        }
        b.build(options)
    }

    /// The graph induced on nodes with `keep[v]`, with the same labels and attributes.
    /// Returns the new graph and, per new node, its id in `self`.
    pub fn induced_subgraph(&self, keep: &[bool]) -> (Graph, Vec<NodeId>) {
        let mut b = GraphBuilder::new(self.directed, self.weighted);
        let mut map = vec![u32::MAX; self.node_count()];
        let mut back = Vec::new();
        for v in 0..self.node_count() {
            if keep[v] {
                map[v] = b.node(&self.labels[v]);
                back.push(v as NodeId);
            }
        }
        for (name, values) in &self.attributes {
            for (v, val) in values.iter().enumerate() {
                if keep[v] && !val.is_empty() {
                    b.set_attribute(map[v], name, val);
                }
            }
        }
        for e in &self.edges {
            if keep[e.source as usize] && keep[e.target as usize] {
                b.edges.push(PendingEdge {
                    u: map[e.source as usize],
                    v: map[e.target as usize],
                    w: e.weight,
                    line: 0,
                });
            }
        }
        let g = b
            .build(&BuildOptions::default())
            .expect("a subgraph of a simple graph is simple");
        (g, back)
    }
}

#[derive(Debug, Clone, Copy)]
struct PendingEdge {
    u: NodeId,
    v: NodeId,
    w: f64,
    line: u64,
}

/// Collects nodes, attributes and edges, then checks them and builds a [`Graph`].
#[derive(Debug, Clone)]
pub struct GraphBuilder {
    directed: bool,
    weighted: bool,
    file: String,
    labels: Vec<String>,
    index: HashMap<String, NodeId>,
    attributes: BTreeMap<String, Vec<String>>,
    edges: Vec<PendingEdge>,
}

impl GraphBuilder {
    /// An empty builder.
    pub fn new(directed: bool, weighted: bool) -> GraphBuilder {
        GraphBuilder {
            directed,
            weighted,
            file: "<edges>".to_string(),
            labels: Vec::new(),
            index: HashMap::new(),
            attributes: BTreeMap::new(),
            edges: Vec::new(),
        }
    }

    /// Names the source of the edges, for error messages.
    pub fn source_name(mut self, file: &str) -> GraphBuilder {
        self.file = file.to_string();
        self
    }

    /// The id of a node, adding it when new.
    pub fn node(&mut self, label: &str) -> NodeId {
        if let Some(&v) = self.index.get(label) {
            return v;
        }
        let v = self.labels.len() as NodeId;
        self.labels.push(label.to_string());
        self.index.insert(label.to_string(), v);
        for col in self.attributes.values_mut() {
            col.push(String::new());
        }
        v
    }

    /// The id of an existing node.
    pub fn existing_node(&self, label: &str) -> Option<NodeId> {
        self.index.get(label).copied()
    }

    /// Number of nodes so far.
    pub fn node_count(&self) -> usize {
        self.labels.len()
    }

    /// Sets a string attribute of a node.
    pub fn set_attribute(&mut self, v: NodeId, name: &str, value: &str) {
        let n = self.labels.len();
        let col = self
            .attributes
            .entry(name.to_string())
            .or_insert_with(|| vec![String::new(); n]);
        col[v as usize] = value.to_string();
    }

    /// Declares an attribute column (so that it exists even when every value is empty).
    pub fn declare_attribute(&mut self, name: &str) {
        let n = self.labels.len();
        self.attributes
            .entry(name.to_string())
            .or_insert_with(|| vec![String::new(); n]);
    }

    /// Adds an edge; `line` is reported in errors (use the input line, or the edge's ordinal).
    /// The weight must be finite and > 0.
    pub fn add_edge_at(
        &mut self,
        u: NodeId,
        v: NodeId,
        weight: f64,
        line: u64,
    ) -> Result<(), Error> {
        if !(weight.is_finite() && weight > 0.0) {
            return Err(Error::BadValue {
                file: self.file.clone(),
                line,
                field: "weight".into(),
                value: weight.to_string(),
                expected: "a finite number > 0".into(),
            });
        }
        self.edges.push(PendingEdge {
            u,
            v,
            w: weight,
            line,
        });
        Ok(())
    }

    /// Adds an edge numbered by its ordinal.
    pub fn add_edge(&mut self, u: NodeId, v: NodeId, weight: f64) -> Result<(), Error> {
        let line = self.edges.len() as u64 + 1;
        self.add_edge_at(u, v, weight, line)
    }

    /// Applies the self-loop and duplicate rules and builds the CSR graph.
    pub fn build(self, options: &BuildOptions) -> Result<Graph, Error> {
        let n = self.labels.len();
        let mut dropped = 0usize;
        let mut pending = Vec::with_capacity(self.edges.len());
        for e in self.edges {
            if e.u == e.v {
                match options.self_loops {
                    SelfLoops::Error => {
                        return Err(Error::SelfLoop {
                            file: self.file.clone(),
                            line: e.line,
                            node: self.labels[e.u as usize].clone(),
                        });
                    }
                    SelfLoops::Drop => {
                        dropped += 1;
                        continue;
                    }
                }
            }
            let (u, v) = if !self.directed && e.u > e.v {
                (e.v, e.u)
            } else {
                (e.u, e.v)
            };
            pending.push(PendingEdge { u, v, ..e });
        }
        // Stable sort keeps input order among duplicates, so "first" and error lines are right.
        pending.sort_by_key(|e| (e.u, e.v));
        let mut edges: Vec<Edge> = Vec::with_capacity(pending.len());
        let mut first_line: Vec<u64> = Vec::with_capacity(pending.len());
        let mut merged = 0usize;
        let mut weighted = self.weighted;
        for e in pending {
            if let Some(last) = edges.last_mut()
                && last.source == e.u
                && last.target == e.v
            {
                merged += 1;
                match options.duplicates {
                    DuplicateEdges::Error => {
                        let first = *first_line.last().unwrap_or(&0);
                        let (a, b) = (first.min(e.line), first.max(e.line));
                        return Err(Error::DuplicateEdge {
                            file: self.file.clone(),
                            line: b,
                            first_line: a,
                            source_node: self.labels[e.u as usize].clone(),
                            target_node: self.labels[e.v as usize].clone(),
                        });
                    }
                    DuplicateEdges::Sum => {
                        last.weight += e.w;
                        weighted = true;
                    }
                    DuplicateEdges::Max => last.weight = last.weight.max(e.w),
                    DuplicateEdges::First => {}
                }
                continue;
            }
            edges.push(Edge {
                source: e.u,
                target: e.v,
                weight: e.w,
            });
            first_line.push(e.line);
        }
        let mut arcs = Vec::with_capacity(if self.directed {
            edges.len()
        } else {
            2 * edges.len()
        });
        for e in &edges {
            arcs.push((e.source, e.target, e.weight));
            if !self.directed {
                arcs.push((e.target, e.source, e.weight));
            }
        }
        let out = Adjacency::from_arcs(n, &arcs);
        let inc = if self.directed {
            let rev: Vec<_> = edges
                .iter()
                .map(|e| (e.target, e.source, e.weight))
                .collect();
            Some(Adjacency::from_arcs(n, &rev))
        } else {
            None
        };
        Ok(Graph {
            directed: self.directed,
            weighted,
            labels: self.labels,
            index: self.index,
            attributes: self.attributes,
            out,
            inc,
            edges,
            dropped_self_loops: dropped,
            merged_duplicates: merged,
        })
    }
}
