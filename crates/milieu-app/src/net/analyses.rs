//! The analyses on a built graph: metrics (and their columns), brokers, key players, lineage,
//! mobility and the diff of two graphs, with the row types the commands print.

use super::build::{Registry, org_attribute_table};
use super::spec::Window;
use super::{net_error, usage};
use crate::AppError;
use milieu_model::*;
use milieu_net::Graph;
use milieu_net::lineage::{Affiliation as NetAffiliation, Lineage, Mobility};
use milieu_net::metrics::{Measure, Metrics, MetricsOptions};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

/// The columns `net metrics` prints for a measure list: `id`, then `group` and `region` when
/// those attributes are set, then the columns of each measure (all measures when the list is
/// empty, leaving out those whose attribute is not set).
pub fn metrics_columns(opts: &MetricsOptions) -> Result<Vec<&'static str>, AppError> {
    let explicit = !opts.measures.is_empty();
    let list: Vec<Measure> = if explicit {
        opts.measures.clone()
    } else {
        Measure::ALL.to_vec()
    };
    let mut cols = vec!["id"];
    if opts.group_by.is_some() {
        cols.push("group");
    }
    if opts.region_attribute.is_some() {
        cols.push("region");
    }
    for m in list {
        let missing = (m.needs_group() && opts.group_by.is_none())
            || (m == Measure::ExternalShare && opts.region_attribute.is_none());
        if missing {
            if explicit {
                return Err(usage(format!(
                    "measure {m:?} needs {}",
                    if m == Measure::ExternalShare {
                        "a region attribute (--region-by ATTR)"
                    } else {
                        "--group-by ATTR"
                    }
                )));
            }
            continue;
        }
        cols.extend_from_slice(m.columns());
    }
    Ok(cols)
}

/// `net metrics`: node rows, network summary and E-I groups.
pub fn metrics(g: &Graph, opts: &MetricsOptions) -> Result<Metrics, AppError> {
    milieu_net::metrics(g, opts).map_err(net_error)
}

/// One row of `net brokers`: Gould-Fernandez roles by the group attribute and Burt's
/// structural-hole measures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BrokerRow {
    pub id: String,
    pub group: String,
    pub coordinator: f64,
    pub gatekeeper: f64,
    pub representative: f64,
    pub consultant: f64,
    pub liaison: f64,
    pub brokerage_total: f64,
    pub contacts: Option<u32>,
    pub constraint: Option<f64>,
    pub effective_size: Option<f64>,
    pub efficiency: Option<f64>,
    pub hierarchy: Option<f64>,
}

/// `net brokers`: rows sorted by `brokerage_total` (largest first), then lowest constraint,
/// then id.
pub fn brokers(g: &Graph, group_by: &str, use_weights: bool) -> Result<Vec<BrokerRow>, AppError> {
    let m = metrics(
        g,
        &MetricsOptions {
            measures: vec![Measure::Brokerage, Measure::StructuralHoles],
            group_by: Some(group_by.to_string()),
            use_weights,
            ..MetricsOptions::default()
        },
    )?;
    let mut rows: Vec<BrokerRow> = m
        .nodes
        .into_iter()
        .map(|r| BrokerRow {
            id: r.id,
            group: r.group.unwrap_or_default(),
            coordinator: r.coordinator.unwrap_or(0.0),
            gatekeeper: r.gatekeeper.unwrap_or(0.0),
            representative: r.representative.unwrap_or(0.0),
            consultant: r.consultant.unwrap_or(0.0),
            liaison: r.liaison.unwrap_or(0.0),
            brokerage_total: r.brokerage_total.unwrap_or(0.0),
            contacts: r.contacts,
            constraint: r.constraint,
            effective_size: r.effective_size,
            efficiency: r.efficiency,
            hierarchy: r.hierarchy,
        })
        .collect();
    rows.sort_by(|a, b| {
        b.brokerage_total
            .total_cmp(&a.brokerage_total)
            .then_with(|| {
                a.constraint
                    .unwrap_or(f64::INFINITY)
                    .total_cmp(&b.constraint.unwrap_or(f64::INFINITY))
            })
            .then_with(|| a.id.cmp(&b.id))
    });
    Ok(rows)
}

/// One row of `net key-players`: how much the network depends on a node.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeyPlayerRow {
    pub id: String,
    pub degree: f64,
    pub betweenness: f64,
    pub betweenness_normalized: f64,
    pub articulation: bool,
    pub cut_pairs: f64,
    pub cut_share: f64,
}

/// `net key-players`: rows sorted by `cut_share`, then betweenness (largest first), and the
/// bridges sorted by the size of the smaller side (largest first).
pub fn key_players(
    g: &Graph,
) -> Result<(Vec<KeyPlayerRow>, Vec<milieu_net::dependency::BridgeRow>), AppError> {
    let m = metrics(
        g,
        &MetricsOptions {
            measures: vec![Measure::Degree, Measure::Betweenness, Measure::Dependency],
            ..MetricsOptions::default()
        },
    )?;
    let mut rows: Vec<KeyPlayerRow> = m
        .nodes
        .into_iter()
        .map(|r| KeyPlayerRow {
            id: r.id,
            degree: r.degree.unwrap_or(0.0),
            betweenness: r.betweenness.unwrap_or(0.0),
            betweenness_normalized: r.betweenness_normalized.unwrap_or(0.0),
            articulation: r.articulation.unwrap_or(false),
            cut_pairs: r.cut_pairs.unwrap_or(0.0),
            cut_share: r.cut_share.unwrap_or(0.0),
        })
        .collect();
    rows.sort_by(|a, b| {
        b.cut_share
            .total_cmp(&a.cut_share)
            .then_with(|| b.betweenness.total_cmp(&a.betweenness))
            .then_with(|| a.id.cmp(&b.id))
    });
    let mut bridges = milieu_net::dependency::dependency(g).bridge_rows(g);
    bridges.sort_by(|a, b| {
        b.side_source
            .min(b.side_target)
            .cmp(&a.side_source.min(a.side_target))
            .then_with(|| (&a.source, &a.target).cmp(&(&b.source, &b.target)))
    });
    Ok((rows, bridges))
}

/// One organisation of the spin-off genealogy, with its name and kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LineageOrgRow {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub parent: Option<String>,
    pub root: String,
    pub depth: u32,
    pub children: u32,
    pub descendants: u32,
}

/// `net lineage`: the spin-off genealogy from the organisations' `parent` field. Only
/// organisations in some lineage (with a parent or a spin-off) appear; rows are sorted by
/// tree (largest first), then depth, then id.
pub fn lineage(orgs: &[Organisation]) -> Result<(Vec<LineageOrgRow>, Lineage), AppError> {
    let mut sorted: Vec<&Organisation> = orgs.iter().collect();
    sorted.sort_by(|a, b| a.id.cmp(&b.id));
    let pairs: Vec<(&str, &str)> = sorted
        .iter()
        .filter_map(|o| o.parent.as_ref().map(|p| (o.id.as_str(), p.as_str())))
        .collect();
    let l =
        milieu_net::lineage::lineage(&pairs, "organisations (parent field)").map_err(
            |e| match e {
                milieu_net::Error::BadValue {
                    value, expected, ..
                } => usage(format!(
                    "organisations: parent {value:?}: expected {expected}"
                )),
                e => net_error(e),
            },
        )?;
    let by_id: HashMap<&str, &Organisation> = orgs.iter().map(|o| (o.id.as_str(), o)).collect();
    let tree_rank: HashMap<&str, usize> = l
        .trees
        .iter()
        .enumerate()
        .map(|(i, t)| (t.root.as_str(), i))
        .collect();
    let mut rows: Vec<LineageOrgRow> = l
        .organisations
        .iter()
        .map(|r| {
            let o = by_id.get(r.id.as_str());
            LineageOrgRow {
                id: r.id.clone(),
                name: o.map(|o| o.name.clone()).unwrap_or_default(),
                kind: o.map(|o| o.kind.to_string()).unwrap_or_default(),
                parent: r.parent.clone(),
                root: r.root.clone(),
                depth: r.depth,
                children: r.children,
                descendants: r.descendants,
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        tree_rank
            .get(a.root.as_str())
            .cmp(&tree_rank.get(b.root.as_str()))
            .then(a.depth.cmp(&b.depth))
            .then_with(|| a.id.cmp(&b.id))
    });
    Ok((rows, l))
}

/// What organisations are grouped by in `net mobility`.
pub const MOBILITY_BY: &[&str] = &["kind", "sector", "sector2", "region", "country"];

/// Figures of `net mobility`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct MobilitySummary {
    pub by: String,
    pub affiliations: usize,
    /// Affiliations without a start date (they cannot be ordered, so they are left out).
    pub undated_affiliations: usize,
    pub people: usize,
    pub moves: usize,
    pub people_moving: usize,
}

/// `net mobility`: people's moves between organisations, and flows between organisation
/// kinds (or sectors, regions, countries) inside the window (a move is dated at the start of
/// the new affiliation).
pub fn mobility(
    reg: &Registry,
    by: &str,
    from: Option<Date>,
    to: Option<Date>,
) -> Result<(Mobility, MobilitySummary), AppError> {
    let Some(column) = MOBILITY_BY.iter().position(|b| *b == by) else {
        return Err(usage(format!(
            "--by {by:?}: expected one of {}",
            MOBILITY_BY.join(", ")
        )));
    };
    // kind, sector, sector2, region, country are ORG_ATTRIBUTES[1..=5].
    let table = org_attribute_table(reg, &Window::default());
    let kind_of: HashMap<String, String> = table
        .iter()
        .map(|(id, values)| (id.to_string(), values[column + 1].clone()))
        .collect();
    let mut summary = MobilitySummary {
        by: by.to_string(),
        affiliations: reg.affiliations.len(),
        ..MobilitySummary::default()
    };
    let mut dated = Vec::with_capacity(reg.affiliations.len());
    for a in &reg.affiliations {
        match a.from {
            Some(f) => dated.push(NetAffiliation {
                person: a.person.to_string(),
                organisation: a.org.to_string(),
                from: f.to_string(),
                to: a.to.map(|t| t.to_string()),
            }),
            None => summary.undated_affiliations += 1,
        }
    }
    summary.people = reg
        .affiliations
        .iter()
        .map(|a| a.person.as_str())
        .collect::<BTreeSet<_>>()
        .len();
    let (f, t) = (from.map(|d| d.to_string()), to.map(|d| d.to_string()));
    let m =
        milieu_net::lineage::mobility(&dated, &kind_of, f.as_deref(), t.as_deref(), "affiliations")
            .map_err(net_error)?;
    summary.moves = m.moves.len();
    summary.people_moving = m
        .moves
        .iter()
        .map(|m| m.person.as_str())
        .collect::<BTreeSet<_>>()
        .len();
    Ok((m, summary))
}

/// The measures `net diff` compares node by node.
pub const DIFF_MEASURES: &[Measure] = &[
    Measure::Degree,
    Measure::Betweenness,
    Measure::Closeness,
    Measure::Eigenvector,
    Measure::StructuralHoles,
    Measure::Community,
];

/// `net diff`: the graph on `before` against the graph on `after` (each as with `--at`).
pub fn diff(
    before: &Graph,
    after: &Graph,
    opts: &MetricsOptions,
) -> Result<milieu_net::diff::Diff, AppError> {
    milieu_net::diff::diff(before, after, opts).map_err(net_error)
}
