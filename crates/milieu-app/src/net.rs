//! Network analysis use cases (`milieu net ...`): graphs from the registry or from files, fed
//! to milieu-net.
//!
//! Graph building is a pure function of a [`Registry`] snapshot and a [`GraphSpec`], so it is
//! tested without a database; [`load_registry`] reads the snapshot from any [`Store`].
//!
//! Rules (docs/network.md, "Graphs from the registry"):
//! - Layers: ties (organisation to organisation), co-attendance at events, co-participation in
//!   projects and shared affiliations, the last three projected from two-mode data with
//!   milieu-net's projection (count, Newman or plain weights; events larger than
//!   `max_size` skipped). `all` adds ties, events and projects on organisations, summing the
//!   weights of the layers.
//! - Dates: ties in force (start inclusive, end exclusive); events held on or before `--at`
//!   (or inside `--from..--to`); projects, affiliations and memberships overlapping the window.
//! - Visibility: the staff see public and staff-visible ties (a private tie belongs to its two
//!   parties only); a member organisation (`Viewer::Org`) sees public ties and the ties it is a
//!   party to.
//! - Several ties between the same two organisations (different kinds or periods) make one
//!   edge whose weight is the sum of their strengths (a tie without strength counts 1).

use crate::{AppError, open_input};
use milieu_io::{InputError, Position};
use milieu_model::*;
use milieu_net::lineage::{Affiliation as NetAffiliation, Lineage, Mobility};
use milieu_net::metrics::{Measure, Metrics, MetricsOptions};
use milieu_net::parse::{EdgesCsvOptions, read_edges_csv, read_nodes_csv};
use milieu_net::projection::{ProjectionOptions, ProjectionWeight, project};
use milieu_net::{BuildOptions, Graph, GraphBuilder};
use milieu_store::Store;
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};
use std::path::Path;

/// An engine error as the user should see it, with the engine's code kept (`net.unknown_node`,
/// ...): problems with a file's content are worded as [`InputError`] words them (file, line,
/// field, value, expected); bad parameters keep the engine's message.
pub fn net_error(e: milieu_net::Error) -> AppError {
    use milieu_net::Error as E;
    let code = e.error_code();
    let input = |file: &str, line: u64, field: Option<&str>, value: Option<&str>, exp: String| {
        let located = InputError::new(
            file,
            if line == 0 {
                Position::File
            } else {
                Position::Line(line)
            },
            field,
            value,
            exp,
        );
        AppError::Engine {
            code,
            message: located.to_string(),
        }
    };
    match e {
        E::Csv {
            file,
            line,
            message,
        } => input(&file, line, None, None, format!("a CSV row ({message})")),
        E::MissingColumn {
            file,
            column,
            expected,
        } => input(
            &file,
            1,
            Some(&column),
            None,
            format!("a header with {expected}"),
        ),
        E::BadValue {
            file,
            line,
            field,
            value,
            expected,
        } => input(&file, line, Some(&field), Some(&value), expected),
        E::UnknownNode {
            file,
            line,
            field,
            value,
        } => input(
            &file,
            line,
            Some(&field),
            Some(&value),
            "a node listed in the nodes file".into(),
        ),
        E::DuplicateNode {
            file,
            line,
            first_line,
            id,
        } => input(
            &file,
            line,
            Some("id"),
            Some(&id),
            format!("a node id not listed before (first on line {first_line})"),
        ),
        E::SelfLoop { file, line, node } => input(
            &file,
            line,
            Some("target"),
            Some(&node),
            "an edge between two different nodes (or --self-loops drop)".into(),
        ),
        E::DuplicateEdge {
            file,
            line,
            first_line,
            source_node,
            target_node,
        } => input(
            &file,
            line,
            Some("source,target"),
            Some(&format!("{source_node},{target_node}")),
            format!(
                "an edge not given before (first on line {first_line}), or --duplicates sum|max|first"
            ),
        ),
        e @ (E::InvalidParameter { .. } | E::Unsupported(_)) => AppError::engine(&e),
    }
}

fn usage(message: impl Into<String>) -> AppError {
    AppError::Usage(message.into())
}

/// What the graph is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Organisation-organisation ties.
    Ties,
    /// Co-attendance at events.
    Events,
    /// Co-participation in projects.
    Projects,
    /// Shared affiliations (organisations sharing people, or colleagues).
    Affiliations,
    /// Ties + events + projects on organisations, weights summed.
    All,
}

impl Mode {
    pub const NAMES: &'static [&'static str] =
        &["ties", "events", "projects", "affiliations", "all"];

    pub fn parse(text: &str) -> Result<Mode, AppError> {
        Ok(match text {
            "ties" => Mode::Ties,
            "events" => Mode::Events,
            "projects" => Mode::Projects,
            "affiliations" => Mode::Affiliations,
            "all" => Mode::All,
            _ => {
                return Err(usage(format!(
                    "--mode {text:?}: expected one of {}",
                    Mode::NAMES.join(", ")
                )));
            }
        })
    }
}

/// Who the nodes are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeKind {
    #[default]
    Organisations,
    People,
}

impl NodeKind {
    pub fn parse(text: &str) -> Result<NodeKind, AppError> {
        match text {
            "organisations" | "orgs" => Ok(NodeKind::Organisations),
            "people" => Ok(NodeKind::People),
            _ => Err(usage(format!(
                "--project-to {text:?}: expected organisations or people"
            ))),
        }
    }
}

/// Parses a projection weight name.
pub fn parse_projection_weight(text: &str) -> Result<ProjectionWeight, AppError> {
    match text {
        "count" => Ok(ProjectionWeight::Count),
        "newman" => Ok(ProjectionWeight::Newman),
        "plain" => Ok(ProjectionWeight::Plain),
        _ => Err(usage(format!(
            "--weight {text:?}: expected count, newman or plain"
        ))),
    }
}

/// A date or a period: `at` alone, or `from` and/or `to` (inclusive).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Window {
    pub at: Option<Date>,
    pub from: Option<Date>,
    pub to: Option<Date>,
}

/// Parses a `--at`/`--from`/`--to` date.
pub fn parse_date_arg(flag: &str, text: &str) -> Result<Date, AppError> {
    parse_date(text).ok_or_else(|| usage(format!("{flag} {text:?}: expected a date YYYY-MM-DD")))
}

impl Window {
    /// Checks the combination: `at` excludes `from`/`to`, and `from <= to`.
    pub fn new(at: Option<Date>, from: Option<Date>, to: Option<Date>) -> Result<Window, AppError> {
        if at.is_some() && (from.is_some() || to.is_some()) {
            return Err(usage("give either --at DATE or --from/--to, not both"));
        }
        if let (Some(f), Some(t)) = (from, to)
            && f > t
        {
            return Err(usage(format!("--from {f} is after --to {t}")));
        }
        Ok(Window { at, from, to })
    }

    pub fn at(date: Date) -> Window {
        Window {
            at: Some(date),
            ..Window::default()
        }
    }

    fn bounds(&self) -> (Option<Date>, Option<Date>) {
        match self.at {
            Some(d) => (Some(d), Some(d)),
            None => (self.from, self.to),
        }
    }

    /// A tie in force on `at`, or at some time inside the period (end is exclusive).
    pub fn tie(&self, t: &Tie) -> bool {
        if let Some(d) = self.at {
            return t.active_on(d);
        }
        self.from.is_none_or(|f| t.end.is_none_or(|e| e > f))
            && self.to.is_none_or(|x| t.start <= x)
    }

    /// A dated span (project, affiliation, membership; both ends inclusive, missing ends
    /// open) overlapping the window.
    pub fn span(&self, start: Option<Date>, end: Option<Date>) -> bool {
        let (lo, hi) = self.bounds();
        lo.is_none_or(|lo| end.is_none_or(|e| e >= lo))
            && hi.is_none_or(|hi| start.is_none_or(|s| s <= hi))
    }

    /// An event held on or before `at` (the co-attendance accumulated by then), or inside the
    /// period.
    pub fn event(&self, date: Date) -> bool {
        match self.at {
            Some(d) => date <= d,
            None => self.from.is_none_or(|f| date >= f) && self.to.is_none_or(|t| date <= t),
        }
    }

    /// The date a person's current organisation is read at: `at`, else `to`.
    fn reference(&self) -> Option<Date> {
        self.at.or(self.to)
    }
}

/// Who is asking: decides which ties are in the graph.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Viewer {
    /// The cluster staff: public and staff-visible ties, not the parties' private ones.
    #[default]
    Staff,
    /// A member organisation: public and cluster-visible ties, and its own.
    Org(OrgId),
}

impl Viewer {
    pub fn can_see(&self, t: &Tie) -> bool {
        match self {
            Viewer::Staff => t.visibility != Visibility::Private,
            Viewer::Org(me) => {
                matches!(t.visibility, Visibility::Public | Visibility::Cluster)
                    || t.from == *me
                    || t.to == *me
            }
        }
    }
}

/// How to build a graph from the registry.
#[derive(Debug, Clone, PartialEq)]
pub struct GraphSpec {
    pub mode: Mode,
    pub nodes: NodeKind,
    pub window: Window,
    /// Only ties of these kinds (empty: all).
    pub tie_kinds: Vec<TieKind>,
    /// Only events of these kinds (empty: all).
    pub event_kinds: Vec<EventKind>,
    /// Only organisations of these kinds as nodes (empty: all).
    pub org_kinds: Vec<OrgKind>,
    /// Only ties with at least this strength (a tie without strength counts 1).
    pub min_strength: Option<u8>,
    pub viewer: Viewer,
    /// Ties from -> to as arcs (ties mode only).
    pub directed: bool,
    /// Keep weights (tie strength, shared events); false makes every edge weigh 1.
    pub weighted: bool,
    pub projection_weight: ProjectionWeight,
    /// Skip events/projects with more members than this (None: no limit).
    pub max_size: Option<usize>,
    /// Keep every organisation (or person) of the registry, tied or not.
    pub keep_isolates: bool,
}

impl Default for GraphSpec {
    fn default() -> Self {
        GraphSpec {
            mode: Mode::Ties,
            nodes: NodeKind::Organisations,
            window: Window::default(),
            tie_kinds: Vec::new(),
            event_kinds: Vec::new(),
            org_kinds: Vec::new(),
            min_strength: None,
            viewer: Viewer::Staff,
            directed: false,
            weighted: true,
            projection_weight: ProjectionWeight::Count,
            max_size: Some(50),
            keep_isolates: false,
        }
    }
}

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

fn org_attribute_table<'a>(reg: &'a Registry, window: &Window) -> HashMap<&'a str, Vec<String>> {
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
    if let Viewer::Org(me) = &spec.viewer
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
            if !spec.viewer.can_see(t) {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        parse_date(s).unwrap()
    }

    fn tie(start: &str, end: Option<&str>) -> Tie {
        Tie {
            id: TieId::new("t"),
            from: OrgId::new("a"),
            to: OrgId::new("b"),
            kind: TieKind::Alliance,
            start: d(start),
            end: end.map(d),
            strength: None,
            trust: None,
            source: TieSource::Import,
            event: None,
            introduction: None,
            visibility: Visibility::Private,
            note: String::new(),
        }
    }

    #[test]
    fn window_rules_at_the_edges() {
        let t = tie("2020-01-01", Some("2021-01-01"));
        // In force: start inclusive, end exclusive.
        assert!(Window::at(d("2020-01-01")).tie(&t));
        assert!(!Window::at(d("2021-01-01")).tie(&t));
        let period = |a: &str, b: &str| Window::new(None, Some(d(a)), Some(d(b))).unwrap();
        assert!(period("2019-01-01", "2020-01-01").tie(&t));
        assert!(!period("2021-01-01", "2022-01-01").tie(&t));
        // Spans are inclusive at both ends; missing ends are open.
        assert!(Window::at(d("2021-01-01")).span(Some(d("2020-01-01")), Some(d("2021-01-01"))));
        assert!(Window::at(d("1990-01-01")).span(None, Some(d("2021-01-01"))));
        assert!(
            !period("2022-01-01", "2023-01-01").span(Some(d("2020-01-01")), Some(d("2021-12-31")))
        );
        // Events accumulate up to --at.
        assert!(Window::at(d("2021-01-01")).event(d("2015-06-01")));
        assert!(!Window::at(d("2021-01-01")).event(d("2021-01-02")));
        assert!(!period("2020-01-01", "2020-12-31").event(d("2021-01-01")));
        // --at with --from is refused, as is from > to.
        assert!(Window::new(Some(d("2020-01-01")), Some(d("2019-01-01")), None).is_err());
        assert!(Window::new(None, Some(d("2021-01-01")), Some(d("2020-01-01"))).is_err());
    }

    #[test]
    fn sector_two_digits() {
        assert_eq!(sector2(&SectorCode::parse("334510").unwrap()), "naics:33");
        assert_eq!(sector2(&SectorCode::parse("31-33").unwrap()), "naics:31");
        assert_eq!(
            sector2(&SectorCode::parse("nace:C26.11").unwrap()),
            "nace:C26"
        );
        assert_eq!(sector2(&SectorCode::parse("nace:C").unwrap()), "nace:C");
    }

    #[test]
    fn member_view_hides_other_members_private_and_staff_ties() {
        let mut reg = Registry {
            organisations: ["a", "b", "c"]
                .iter()
                .map(|id| Organisation::new(*id, *id, OrgKind::Firm))
                .collect(),
            ..Registry::default()
        };
        let mut ab = tie("2020-01-01", None);
        ab.visibility = Visibility::Staff;
        let mut bc = tie("2020-01-01", None);
        bc.from = OrgId::new("b");
        bc.to = OrgId::new("c");
        bc.strength = Some(4);
        let mut ac = tie("2020-01-01", None);
        ac.to = OrgId::new("c");
        ac.visibility = Visibility::Public;
        reg.ties = vec![ab, bc, ac];
        let spec = |viewer| GraphSpec {
            viewer,
            ..GraphSpec::default()
        };
        // The staff see the staff and public ties, not the private b-c.
        let (g, facts) = build_graph(&reg, &spec(Viewer::Staff)).unwrap();
        assert_eq!((g.edge_count(), facts.ties_hidden), (2, 1));
        // c sees its own private tie b-c and the public a-c, not the staff tie a-b.
        let (g, facts) = build_graph(&reg, &spec(Viewer::Org(OrgId::new("c")))).unwrap();
        assert_eq!((g.edge_count(), facts.ties_hidden), (2, 1));
        assert!(g.node("b").is_some());
        let (g, _) = build_graph(&reg, &spec(Viewer::Org(OrgId::new("a")))).unwrap();
        assert_eq!(g.edge_count(), 2);
        let (b, c) = (g.node("b").unwrap(), g.node("c").unwrap());
        assert!(g.out_adjacency().weight(b, c).is_none());
        // Weights are strengths (none counts 1).
        let (g, _) = build_graph(&reg, &spec(Viewer::Org(OrgId::new("b")))).unwrap();
        let (b, c) = (g.node("b").unwrap(), g.node("c").unwrap());
        assert_eq!(g.out_adjacency().weight(b, c), Some(4.0));
    }
}
