//! milieu-map: the cluster mapping engine.
//!
//! From regional employment tables (County Business Patterns, or any long table of
//! `region, industry, year, employment`) to location quotients, shift-share, diversity and
//! concentration indices, co-location, relatedness, discovered clusters, strength ratings and
//! a prioritised list of a region's clusters, plus a self-contained HTML report.
//!
//! Design choices:
//! - Pure computation. Parsers take any `std::io::Read` and a source name for messages; the
//!   caller opens files and gunzips. No filesystem, network, database or async here.
//! - One columnar [`Table`]: interned `u32` region and industry ids, rows sorted by (year,
//!   region, industry), so a year is a slice and each region a contiguous run (CSR). Every
//!   measure is a pass over that layout; cluster-level measures first sum industries into
//!   clusters with a [`Definitions`] set, giving a table of the same shape.
//! - Every result row is a flat `serde::Serialize` struct whose field names are the
//!   documented CSV/JSON columns (see `docs/mapping.md`), and carries the parts of its
//!   number (numerator, denominators, components).
//! - Errors are one [`Error`] enum; user errors name file, line, column, value and what
//!   was expected.
//! - Speed where the data is big (a CBP year is 566k lines): the CBP parser overlaps gzip
//!   inflation (caller's reader, on a helper thread) with a hand-rolled line parser that
//!   rejects other NAICS levels after 7 fields; co-location Gram matrices are accumulated
//!   from the sparse regions x industries matrix in parallel row blocks (rayon), so the work
//!   is proportional to the squared non-zeros per region, not to the dense product.
//! - Published rules are reproduced, not approximated: the CMP traded/local LQ and the CMP
//!   strong-cluster rule are tested against the CMP's own published state results.
//!
//! Modules: [`parse`] (CBP, long tables), [`defs`] (cluster definitions: generic, CMP,
//! Colorado), [`concord`] (code vintages), [`hierarchy`] (region levels), [`table`],
//! [`lq`](mod@lq) (LQ and profile: size, focus, growth, wages), [`shift`] (shift-share),
//! [`diversity`](mod@diversity) (diversity and concentration), [`colocation`], [`relatedness`](mod@relatedness),
//! [`discover`](mod@discover) (cluster discovery, ARI, NMI), [`strength`](mod@strength) (CMP rule, stars,
//! classification), [`prioritise`](mod@prioritise), [`report`] (HTML).

// Numeric kernels index several parallel arrays by the same id; index loops say that best.
#![allow(clippy::needless_range_loop)]

pub mod colocation;
pub mod concord;
pub mod defs;
pub mod discover;
pub mod diversity;
pub mod error;
pub mod hierarchy;
pub mod lq;
pub mod parse;
pub mod prioritise;
pub mod relatedness;
pub mod report;
pub mod shift;
pub mod strength;
pub mod table;

pub use colocation::{
    CoLocationOptions, CoLocationRow, Signal, Similarity, Transform, colocation_matrix,
    colocation_pairs,
};
pub use concord::{BridgeRow, Concordance, Unmapped, bridge, read_naics_concordance};
pub use defs::{
    Cluster, DefinitionRow, Definitions, read_cmp_definitions, read_colorado_definitions,
    read_definitions,
};
pub use discover::{
    Comparison, DiscoverOptions, DiscoveredCluster, DiscoveredIndustry, Discovery, Linkage,
    Validation, adjusted_rand_index, compare_with_definitions, discover, hierarchical,
    normalized_mutual_information, shared_neighbours, silhouettes,
};
pub use diversity::{
    ConcentrationRow, DiversityRow, IndexOptions, concentration, diversity, ellison_glaeser,
    locational_gini, plant_herfindahl,
};
pub use error::{Error, Result};
pub use hierarchy::{Hierarchy, read_bea_economic_areas, read_cmp_regions, read_hierarchy};
pub use lq::{
    Base, Benchmark, Level, LqOptions, LqRow, ProfileOptions, ProfileRow, cagr, locq, lq,
    lq_matrix, profile,
};
pub use parse::{CbpOptions, CbpReport, LongOptions, read_cbp, read_long};
pub use prioritise::{PrioritiseOptions, PriorityRow, Weights, percentile_scores, prioritise};
pub use relatedness::{RelatednessOptions, RelatednessRow, proximity, relatedness};
pub use report::{ReportData, ReportOptions, escape, render, report_data, report_html};
pub use shift::{ShiftShare, ShiftShareOptions, ShiftShareRegionRow, ShiftShareRow, shift_share};
pub use strength::{StrengthOptions, StrengthRow, StrengthRules, quantile, strength};
pub use table::{Column, Interner, Record, Row, Table, TableBuilder, Totals};
