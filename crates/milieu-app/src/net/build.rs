//! Graphs from the registry ([`load_registry`], [`build_graph`]: a pure function of a
//! [`Registry`] snapshot and a [`GraphSpec`]) and from edge/node files ([`graph_from_files`]).

use super::spec::{GraphSpec, Mode, NodeKind, Window};
use super::{net_error, usage};
use crate::{AppError, open_input};
use milieu_model::*;
use milieu_net::parse::{EdgesCsvOptions, read_edges_csv, read_nodes_csv};
use milieu_net::projection::{ProjectionOptions, ProjectionWeight, project};
use milieu_net::{BuildOptions, Graph, GraphBuilder};
use milieu_store::Store;
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};
use std::path::Path;

/// The registry records the network commands read.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    pub organisations: Vec<Organisation>,
    pub people: Vec<Person>,
    pub affiliations: Vec<Affiliation>,
    pub initiatives: Vec<Initiative>,
    pub memberships: Vec<Membership>,
    pub events: Vec<Event>,
    pub attendance: Vec<Attendance>,
    pub projects: Vec<Project>,
    pub participations: Vec<Participation>,
    pub ties: Vec<Tie>,
}

/// Which parts of the registry to read.
#[derive(Debug, Clone, Copy, Default)]
pub struct Needs {
    pub ties: bool,
    pub events: bool,
    pub projects: bool,
    pub affiliations: bool,
}

impl Needs {
    pub fn of(spec: &GraphSpec) -> Needs {
        let all = spec.mode == Mode::All;
        Needs {
            ties: all || spec.mode == Mode::Ties,
            events: all || spec.mode == Mode::Events,
            projects: all || spec.mode == Mode::Projects,
            affiliations: spec.mode == Mode::Affiliations || spec.nodes == NodeKind::People,
        }
    }
}

/// Reads the organisations, initiatives and memberships (node attributes) and the records the
/// graph needs.
pub async fn load_registry<S: Store>(store: &S, needs: Needs) -> Result<Registry, AppError> {
    let mut r = Registry {
        organisations: store.load().await?,
        initiatives: store.load().await?,
        memberships: store.load().await?,
        ..Registry::default()
    };
    if needs.ties {
        r.ties = store.load().await?;
    }
    if needs.events {
        r.events = store.load().await?;
        r.attendance = store.load().await?;
    }
    if needs.projects {
        r.projects = store.load().await?;
        r.participations = store.load().await?;
    }
    if needs.affiliations {
        r.people = store.load().await?;
        r.affiliations = store.load().await?;
    }
    Ok(r)
}

/// What went into a registry graph (printed with the network summary).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct GraphFacts {
    pub mode: String,
    pub node_kind: String,
    /// Ties that passed every filter.
    pub ties_used: usize,
    /// Ties hidden from the viewer (`--as-org`).
    pub ties_hidden: usize,
    /// Ties left out by date, kind, strength or organisation kind.
    pub ties_filtered: usize,
    pub events_used: usize,
    pub events_too_large: usize,
    pub events_single: usize,
    /// Attendance rows without the member the graph is about (no organisation, or no person).
    pub attendance_without_member: usize,
    pub projects_used: usize,
    pub projects_too_large: usize,
    pub projects_single: usize,
    /// Edges made of more than one tie or layer (their weights were added).
    pub merged_edges: usize,
}

/// Organisation attributes set on every registry graph: `name`, `kind`, `sector` (first code,
/// `naics:334510`), `sector2` (`naics:33`, `nace:C26`), `region`, `country`, `cluster` and
/// `initiative` (memberships in the window, several joined by `;`), `size_class`, `stage`.
pub const ORG_ATTRIBUTES: &[&str] = &[
    "name",
    "kind",
    "sector",
    "sector2",
    "region",
    "country",
    "cluster",
    "initiative",
    "size_class",
    "stage",
];

/// The 2-digit sector of a code: NAICS sector (`naics:54`), NACE division with its section
/// letter (`nace:C26`, or the section alone when no division is given).
pub fn sector2(code: &SectorCode) -> String {
    match code.classification {
        Classification::Naics => format!("naics:{}", code.code.get(..2).unwrap_or(&code.code)),
        Classification::Nace => format!("nace:{}", code.code.get(..3).unwrap_or(&code.code)),
    }
}

pub(super) fn org_attribute_table<'a>(
    reg: &'a Registry,
    window: &Window,
) -> HashMap<&'a str, Vec<String>> {
    let cluster_of: HashMap<&str, Option<&str>> = reg
        .initiatives
        .iter()
        .map(|i| (i.id.as_str(), i.cluster.as_ref().map(|c| c.as_str())))
        .collect();
    let mut initiatives: HashMap<&str, BTreeSet<&str>> = HashMap::new();
    let mut clusters: HashMap<&str, BTreeSet<&str>> = HashMap::new();
    for m in &reg.memberships {
        if !window.span(m.from, m.to) {
            continue;
        }
        initiatives
            .entry(m.org.as_str())
            .or_default()
            .insert(m.initiative.as_str());
        if let Some(Some(c)) = cluster_of.get(m.initiative.as_str()) {
            clusters.entry(m.org.as_str()).or_default().insert(c);
        }
    }
    let join = |s: Option<&BTreeSet<&str>>| {
        s.map(|s| s.iter().copied().collect::<Vec<_>>().join(";"))
            .unwrap_or_default()
    };
    reg.organisations
        .iter()
        .map(|o| {
            let id = o.id.as_str();
            let values = vec![
                o.name.clone(),
                o.kind.to_string(),
                o.sectors.first().map(|s| s.to_string()).unwrap_or_default(),
                o.sectors.first().map(sector2).unwrap_or_default(),
                o.region.clone().unwrap_or_default(),
                o.country.clone().unwrap_or_default(),
                join(clusters.get(id)),
                join(initiatives.get(id)),
                o.effective_size_class()
                    .map(|s| s.to_string())
                    .unwrap_or_default(),
                o.stage.map(|s| s.to_string()).unwrap_or_default(),
            ];
            (id, values)
        })
        .collect()
}

/// Each person's organisation on the window's reference date (`--at`, else `--to`): the
/// affiliation in force then that started last; without a date, the affiliation that started
/// last.
fn person_organisation<'a>(reg: &'a Registry, window: &Window) -> HashMap<&'a str, &'a str> {
    let mut best: HashMap<&str, (Option<Date>, &str)> = HashMap::new();
    for a in &reg.affiliations {
        if let Some(d) = window.reference()
            && !(a.from.is_none_or(|f| f <= d) && a.to.is_none_or(|t| t >= d))
        {
            continue;
        }
        let e = best
            .entry(a.person.as_str())
            .or_insert((a.from, a.org.as_str()));
        if a.from > e.0 {
            *e = (a.from, a.org.as_str());
        }
    }
    best.into_iter().map(|(p, (_, o))| (p, o)).collect()
}

/// Node universe: ids in id order, with a lookup.
struct Universe<'a> {
    ids: Vec<&'a str>,
    index: HashMap<&'a str, u32>,
}

impl<'a> Universe<'a> {
    fn new(mut ids: Vec<&'a str>) -> Self {
        ids.sort_unstable();
        ids.dedup();
        let index = ids
            .iter()
            .enumerate()
            .map(|(i, s)| (*s, i as u32))
            .collect();
        Universe { ids, index }
    }
}

/// Accumulates weighted edges between node indexes (a pair may come several times).
struct EdgeSum {
    directed: bool,
    edges: Vec<(u64, f64)>,
}

impl EdgeSum {
    fn add(&mut self, u: u32, v: u32, w: f64) {
        let (a, b) = if self.directed || u < v {
            (u, v)
        } else {
            (v, u)
        };
        self.edges.push((((a as u64) << 32) | b as u64, w));
    }

    /// The distinct pairs `(u, v, summed weight)` in order, and the number of pairs that came
    /// more than once. Weights are added in sorted order, so the sums do not depend on the
    /// order the layers came in.
    fn merged(mut self) -> (Vec<(u32, u32, f64)>, usize) {
        self.edges
            .sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
        let mut out: Vec<(u64, f64, bool)> = Vec::with_capacity(self.edges.len());
        for (key, w) in self.edges {
            match out.last_mut() {
                Some(last) if last.0 == key => {
                    last.1 += w;
                    last.2 = true;
                }
                _ => out.push((key, w, false)),
            }
        }
        let repeated = out.iter().filter(|e| e.2).count();
        let pairs = out
            .into_iter()
            .map(|(k, w, _)| ((k >> 32) as u32, k as u32, w))
            .collect();
        (pairs, repeated)
    }
}

/// Builds the graph a spec describes from a registry snapshot.
pub fn build_graph(reg: &Registry, spec: &GraphSpec) -> Result<(Graph, GraphFacts), AppError> {
    let people = spec.nodes == NodeKind::People;
    if spec.directed && spec.mode != Mode::Ties {
        return Err(usage(
            "--directed applies to --mode ties (projections are undirected)",
        ));
    }
    if people && matches!(spec.mode, Mode::Ties | Mode::Projects | Mode::All) {
        return Err(usage(
            "--project-to people applies to --mode events or affiliations (ties and projects join organisations)",
        ));
    }
    if people && !spec.org_kinds.is_empty() {
        return Err(usage("--org-kinds applies to organisation graphs"));
    }
    if let Some(me) = spec.viewer.member_org()
        && !reg.organisations.iter().any(|o| o.id == *me)
    {
        return Err(AppError::NotFound {
            kind: "organisation",
            id: me.to_string(),
        });
    }
    let kind_ok = |o: &Organisation| spec.org_kinds.is_empty() || spec.org_kinds.contains(&o.kind);
    let universe = if people {
        Universe::new(reg.people.iter().map(|p| p.id.as_str()).collect())
    } else {
        Universe::new(
            reg.organisations
                .iter()
                .filter(|o| kind_ok(o))
                .map(|o| o.id.as_str())
                .collect(),
        )
    };
    let mut facts = GraphFacts {
        mode: format!("{:?}", spec.mode).to_lowercase(),
        node_kind: if people { "people" } else { "organisations" }.into(),
        ..GraphFacts::default()
    };
    let mut sum = EdgeSum {
        directed: spec.directed,
        edges: Vec::new(),
    };
    let layers = Needs::of(spec);
    if layers.ties {
        for t in &reg.ties {
            if !spec.viewer.may_see(t) {
                facts.ties_hidden += 1;
                continue;
            }
            let strength = t.strength.unwrap_or(1);
            let ends = (
                universe.index.get(t.from.as_str()),
                universe.index.get(t.to.as_str()),
            );
            let keep = spec.window.tie(t)
                && (spec.tie_kinds.is_empty() || spec.tie_kinds.contains(&t.kind))
                && spec.min_strength.is_none_or(|m| strength >= m)
                && t.from != t.to;
            match ends {
                (Some(&u), Some(&v)) if keep => {
                    facts.ties_used += 1;
                    sum.add(u, v, strength as f64);
                }
                _ => facts.ties_filtered += 1,
            }
        }
    }
    let options = ProjectionOptions {
        weight: spec.projection_weight,
        max_event_size: spec.max_size,
        keep_isolates: false,
    };
    let add_projection = |pairs: &[(&str, &str)], sum: &mut EdgeSum| {
        let p = project(pairs, &options).map_err(net_error)?;
        let g = &p.graph;
        // Projected node -> universe index, looked up once per node.
        let to_universe: Vec<Option<u32>> = g
            .labels()
            .iter()
            .map(|l| universe.index.get(l.as_str()).copied())
            .collect();
        for e in g.edges() {
            if let (Some(u), Some(v)) = (
                to_universe[e.source as usize],
                to_universe[e.target as usize],
            ) {
                let w = if spec.projection_weight == ProjectionWeight::Plain {
                    1.0
                } else {
                    e.weight
                };
                sum.add(u, v, w);
            }
        }
        Ok::<_, AppError>((p.events_used, p.events_too_large, p.events_single))
    };
    if layers.events && spec.mode != Mode::Affiliations {
        let held: HashMap<&str, &Event> = reg
            .events
            .iter()
            .filter(|e| spec.window.event(e.date))
            .filter(|e| spec.event_kinds.is_empty() || spec.event_kinds.contains(&e.kind))
            .map(|e| (e.id.as_str(), e))
            .collect();
        let mut pairs = Vec::new();
        for a in &reg.attendance {
            if !held.contains_key(a.event.as_str()) {
                continue;
            }
            let member = if people {
                a.person.as_ref().map(|p| p.as_str())
            } else {
                a.org.as_ref().map(|o| o.as_str())
            };
            match member {
                Some(m) => pairs.push((m, a.event.as_str())),
                None => facts.attendance_without_member += 1,
            }
        }
        (
            facts.events_used,
            facts.events_too_large,
            facts.events_single,
        ) = add_projection(&pairs, &mut sum)?;
    }
    if layers.projects {
        let running: HashMap<&str, &Project> = reg
            .projects
            .iter()
            .filter(|p| spec.window.span(p.start, p.end))
            .map(|p| (p.id.as_str(), p))
            .collect();
        let pairs: Vec<(&str, &str)> = reg
            .participations
            .iter()
            .filter(|p| running.contains_key(p.project.as_str()))
            .map(|p| (p.org.as_str(), p.project.as_str()))
            .collect();
        (
            facts.projects_used,
            facts.projects_too_large,
            facts.projects_single,
        ) = add_projection(&pairs, &mut sum)?;
    }
    if spec.mode == Mode::Affiliations {
        // Organisations sharing a person, or people sharing an organisation.
        let pairs: Vec<(&str, &str)> = reg
            .affiliations
            .iter()
            .filter(|a| spec.window.span(a.from, a.to))
            .map(|a| {
                if people {
                    (a.person.as_str(), a.org.as_str())
                } else {
                    (a.org.as_str(), a.person.as_str())
                }
            })
            .collect();
        // The "events" of this projection are organisations (or people).
        (
            facts.events_used,
            facts.events_too_large,
            facts.events_single,
        ) = add_projection(&pairs, &mut sum)?;
    }
    let (edges, merged) = sum.merged();
    facts.merged_edges = merged;

    let weighted = spec.weighted
        && !(spec.mode != Mode::Ties
            && spec.mode != Mode::All
            && spec.projection_weight == ProjectionWeight::Plain);
    let mut tied = vec![false; universe.ids.len()];
    for &(u, v, _) in &edges {
        tied[u as usize] = true;
        tied[v as usize] = true;
    }
    let mut b = GraphBuilder::new(spec.directed, weighted).source_name("registry");
    let mut node_of = vec![u32::MAX; universe.ids.len()];
    for (i, id) in universe.ids.iter().enumerate() {
        if tied[i] || spec.keep_isolates {
            node_of[i] = b.node(id);
        }
    }
    // Attributes.
    let org_table = org_attribute_table(reg, &spec.window);
    let names: &[&str] = if people {
        b.declare_attribute("organisation");
        &[
            "name",
            "kind",
            "sector",
            "sector2",
            "region",
            "country",
            "cluster",
            "initiative",
        ]
    } else {
        ORG_ATTRIBUTES
    };
    for name in names {
        b.declare_attribute(name);
    }
    if people {
        let person_name: HashMap<&str, &str> = reg
            .people
            .iter()
            .map(|p| (p.id.as_str(), p.name.as_str()))
            .collect();
        let org_of = person_organisation(reg, &spec.window);
        for (i, id) in universe.ids.iter().enumerate() {
            let v = node_of[i];
            if v == u32::MAX {
                continue;
            }
            b.set_attribute(v, "name", person_name.get(id).copied().unwrap_or(""));
            if let Some(org) = org_of.get(id) {
                b.set_attribute(v, "organisation", org);
                if let Some(values) = org_table.get(org) {
                    // kind, sector, ... of the organisation (skip its name).
                    for (k, name) in ORG_ATTRIBUTES.iter().enumerate().skip(1) {
                        if names.contains(name) {
                            b.set_attribute(v, name, &values[k]);
                        }
                    }
                }
            }
        }
    } else {
        for (i, id) in universe.ids.iter().enumerate() {
            let v = node_of[i];
            if v == u32::MAX {
                continue;
            }
            if let Some(values) = org_table.get(id) {
                for (k, name) in ORG_ATTRIBUTES.iter().enumerate() {
                    b.set_attribute(v, name, &values[k]);
                }
            }
        }
    }
    for (u, v, w) in edges {
        let w = if weighted { w } else { 1.0 };
        b.add_edge(node_of[u as usize], node_of[v as usize], w)
            .map_err(net_error)?;
    }
    let g = b.build(&BuildOptions::default()).map_err(net_error)?;
    Ok((g, facts))
}

/// How to read a graph from files.
#[derive(Debug, Clone, Default)]
pub struct FileSpec<'a> {
    pub edges: Option<&'a Path>,
    pub nodes: Option<&'a Path>,
    pub directed: bool,
    pub build: BuildOptions,
}

/// Reads `--edges` (and `--nodes`) CSV files (`.gz` accepted) into a graph.
pub fn graph_from_files(edges: &Path, spec: &FileSpec) -> Result<Graph, AppError> {
    let nodes = match spec.nodes {
        Some(p) => {
            Some(read_nodes_csv(open_input(p)?, &p.display().to_string()).map_err(net_error)?)
        }
        None => None,
    };
    read_edges_csv(
        open_input(edges)?,
        &edges.display().to_string(),
        nodes.as_ref(),
        &EdgesCsvOptions {
            directed: spec.directed,
            build: spec.build,
        },
    )
    .map_err(net_error)
}
