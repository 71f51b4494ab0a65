//! milieu-net: network analytics for regional clusters.
//!
//! Design:
//! - One compact graph type ([`Graph`]): CSR adjacency with `u32` node ids, sorted neighbour
//!   rows, `f64` weights (1.0 when unweighted), an in-adjacency for directed graphs, node labels
//!   and string attributes. Graphs are simple (no self-loops, no parallel edges); the builder
//!   applies stated rules to self-loops and duplicates ([`BuildOptions`]).
//! - Hot kernels are ours and parallel with rayon: the shortest-path sweep ([`paths`]) computes
//!   betweenness, closeness, harmonic centrality and distances in one pass over all sources with
//!   per-thread reusable buffers; structural holes and clustering use per-thread dense scratch
//!   arrays.
//! - Conventions follow NetworkX wherever NetworkX defines the measure, so results can be checked
//!   against it to 1e-9 (see the golden tests); measures NetworkX lacks (Gould-Fernandez
//!   brokerage, E-I index, core-periphery, ...) follow their published definitions, cited in
//!   each module and in docs/network.md.
//! - Weights are tie strengths. Shortest paths ignore them unless asked ([`PathWeights`]).
//! - No IO: parsers read from `std::io::Read` and take a source name for error messages.

// Index loops over node ids read more clearly than zipped iterators in graph kernels.
#![allow(clippy::needless_range_loop)]

pub mod brokerage;
pub mod centrality;
pub mod community;
pub mod coreperiphery;
pub mod dependency;
pub mod diff;
pub mod error;
pub mod graph;
pub mod kcore;
pub mod lineage;
pub mod metrics;
pub mod network;
pub mod parse;
pub mod paths;
pub mod projection;
pub mod structural;

pub use error::Error;
pub use graph::{
    Adjacency, BuildOptions, DuplicateEdges, Edge, Graph, GraphBuilder, NodeId, SelfLoops,
};
pub use metrics::{Measure, Metrics, MetricsOptions, NodeRow, metrics};
pub use paths::PathWeights;
