//! `milieu net ...`: network analysis of the registry (ties, attendance, projects,
//! affiliations) or of CSV files (`--edges`, `--nodes`), with milieu-net.
//!
//! Output: a command prints one or more parts (node rows, a summary, groups, bridges...).
//! `--format json` prints one object with a key per part; `csv` and `table` print the parts
//! one after the other, separated by a blank line (a table part is headed by `# part`), the
//! summary as `field,value` rows. `--only PART` prints a single part (a plain CSV table, or
//! that part's JSON value).

use crate::output::{Format, OutputArgs, print_table};
use milieu_app::AppError;
use milieu_app::access::Principal;
use milieu_app::net::{
    self as app, FileSpec, GraphFacts, GraphSpec, Mode, NodeKind, Registry, Window,
};
use milieu_model::{EventKind, OrgId, OrgKind, TieKind, Vocabulary};
use milieu_net::community::{Algorithm, CommunityOptions, Quality, communities};
use milieu_net::metrics::{Measure, MetricsOptions};
use milieu_net::{BuildOptions, DuplicateEdges, Graph, PathWeights, SelfLoops};
use milieu_store::AnyStore;
use serde::Serialize;
use serde_json::{Map, Value};
use std::path::PathBuf;

#[derive(clap::Subcommand, Debug)]
pub enum NetCommand {
    /// One row per node with every node measure (or those in --measures), then the network
    /// summary and, with --group-by, the E-I index per group.
    Metrics(Box<MetricsArgs>),
    /// Communities (Leiden or Louvain; modularity or CPM): one row per node, then the summary.
    Communities(Box<CommunitiesArgs>),
    /// Brokers: Gould-Fernandez roles by --group-by and Burt's constraint and effective size.
    Brokers(Box<BrokersArgs>),
    /// Key players: who the network depends on (cut pairs, articulation points), and bridges.
    KeyPlayers(Box<KeyPlayersArgs>),
    /// Spin-off genealogy from the organisations' parent field.
    Lineage(LineageArgs),
    /// People's moves between organisations, as flows between organisation kinds or sectors.
    Mobility(MobilityArgs),
    /// Change between two dates: ties formed, dropped and kept; node measures before and after.
    Diff(Box<DiffArgs>),
}

impl NetCommand {
    /// Commands that read only files and need no database.
    pub fn reads_files_only(&self) -> bool {
        match self {
            NetCommand::Metrics(a) => a.source.edges.is_some(),
            NetCommand::Communities(a) => a.source.edges.is_some(),
            NetCommand::Brokers(a) => a.source.edges.is_some(),
            NetCommand::KeyPlayers(a) => a.source.edges.is_some(),
            NetCommand::Diff(a) => a.before_edges.is_some(),
            NetCommand::Lineage(_) | NetCommand::Mobility(_) => false,
        }
    }
}

/// Where the graph comes from: files, or the registry with filters.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct SourceArgs {
    /// Edges CSV `source,target[,weight]` (.gz accepted): analyse this file, not the database.
    #[arg(long, value_name = "FILE", help_heading = "Graph from files")]
    edges: Option<PathBuf>,
    /// Nodes CSV `id` + attribute columns (with --edges).
    #[arg(long, value_name = "FILE", help_heading = "Graph from files")]
    nodes: Option<PathBuf>,
    /// Edges (files) or ties (registry) are arcs from source to target.
    #[arg(long)]
    directed: bool,
    /// Files: a self-loop is an error (default) or is dropped.
    #[arg(long, value_parser = ["error", "drop"], help_heading = "Graph from files")]
    self_loops: Option<String>,
    /// Files: a repeated edge is an error (default), or merged: weights summed, largest kept,
    /// or first kept.
    #[arg(long, value_parser = ["error", "sum", "max", "first"], help_heading = "Graph from files")]
    duplicates: Option<String>,
    /// Registry: what ties organisations (or people): ties, co-attendance at events,
    /// co-participation in projects, shared affiliations, or ties + events + projects.
    #[arg(long, value_parser = ["ties", "events", "projects", "affiliations", "all"], help_heading = "Graph from the registry")]
    mode: Option<String>,
    /// Registry: project events or affiliations onto organisations (default) or people.
    #[arg(long, value_parser = ["organisations", "people"], help_heading = "Graph from the registry")]
    project_to: Option<String>,
    /// Registry: only ties of these kinds (comma-separated: alliance,supplier,...).
    #[arg(long, value_delimiter = ',', help_heading = "Graph from the registry")]
    kinds: Vec<String>,
    /// Registry: only events of these kinds (networking_meeting,workshop,...).
    #[arg(long, value_delimiter = ',', help_heading = "Graph from the registry")]
    event_kinds: Vec<String>,
    /// Registry: only organisations of these kinds as nodes (firm,university,...).
    #[arg(long, value_delimiter = ',', help_heading = "Graph from the registry")]
    org_kinds: Vec<String>,
    /// Registry: only ties of at least this strength (1-5; a tie without strength counts 1).
    #[arg(long, help_heading = "Graph from the registry")]
    min_strength: Option<u8>,
    /// Registry: the network as this member organisation may see it (public ties and its
    /// own); default: the staff's view, every tie.
    #[arg(long, value_name = "ORG_ID", help_heading = "Graph from the registry")]
    as_org: Option<String>,
    /// Every edge weighs 1 (default: tie strength, number of shared events or projects).
    #[arg(long)]
    unweighted: bool,
    /// Registry: weight of projected ties: shared events (count), Newman's sum of 1/(n-1), or
    /// unweighted (plain).
    #[arg(long, value_parser = ["count", "newman", "plain"], help_heading = "Graph from the registry")]
    weight: Option<String>,
    /// Registry: skip events and projects with more members than this (default 50; 0: no
    /// limit).
    #[arg(long, help_heading = "Graph from the registry")]
    max_size: Option<usize>,
    /// Registry: keep organisations (or people) without any tie as isolated nodes.
    #[arg(long, help_heading = "Graph from the registry")]
    keep_isolates: bool,
}

/// The date or period of a registry graph.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct WindowArgs {
    /// Ties in force on this date, events up to it, projects and memberships running on it.
    #[arg(long, value_name = "DATE")]
    at: Option<String>,
    /// Start of the period (inclusive).
    #[arg(long, value_name = "DATE")]
    from: Option<String>,
    /// End of the period (inclusive).
    #[arg(long, value_name = "DATE")]
    to: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct MetricsArgs {
    #[command(flatten)]
    source: SourceArgs,
    #[command(flatten)]
    window: WindowArgs,
    /// Attribute for brokerage roles, E-I index and attribute assortativity (registry: kind,
    /// sector, sector2, region, country, cluster, initiative, size_class, stage).
    #[arg(long, value_name = "ATTR")]
    group_by: Option<String>,
    /// Attribute whose differing values make a tie external (default: region, when the graph
    /// has it).
    #[arg(long, value_name = "ATTR")]
    region_by: Option<String>,
    /// Only these measures (comma-separated): degree, strength, betweenness, closeness,
    /// eigenvector, pagerank, clustering, constraint, brokerage, coreness, kcore, community,
    /// component, dependency, ei_index, external_share.
    #[arg(long, value_delimiter = ',', value_name = "LIST")]
    measures: Vec<String>,
    /// Estimate betweenness from K sampled sources (with an error bound in the summary).
    #[arg(long, value_name = "K")]
    betweenness_samples: Option<usize>,
    /// How shortest paths use weights: hops (default), distance (weight = length), inverse
    /// (length = 1/weight).
    #[arg(long, value_parser = ["hops", "distance", "inverse"], default_value = "hops")]
    path_weights: String,
    /// Seed of the community detection and of sampled betweenness.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Print only one part.
    #[arg(long, value_parser = ["nodes", "summary", "groups"])]
    only: Option<String>,
    #[command(flatten)]
    output: OutputArgs,
}

#[derive(clap::Args, Debug)]
pub struct CommunitiesArgs {
    #[command(flatten)]
    source: SourceArgs,
    #[command(flatten)]
    window: WindowArgs,
    #[arg(long, value_parser = ["leiden", "louvain"], default_value = "leiden")]
    algorithm: String,
    /// Quality to maximise: modularity, or the Constant Potts Model (cpm).
    #[arg(long, value_parser = ["modularity", "cpm"], default_value = "modularity")]
    quality: String,
    /// Resolution gamma (> 1: more, smaller communities; CPM: minimum internal density).
    #[arg(long, default_value_t = 1.0)]
    resolution: f64,
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Independent chains; the best quality wins.
    #[arg(long, default_value_t = 2)]
    restarts: usize,
    #[arg(long, value_parser = ["nodes", "summary"])]
    only: Option<String>,
    #[command(flatten)]
    output: OutputArgs,
}

#[derive(clap::Args, Debug)]
pub struct BrokersArgs {
    #[command(flatten)]
    source: SourceArgs,
    #[command(flatten)]
    window: WindowArgs,
    /// Attribute whose groups the brokers bridge (kind, sector2, cluster, region, ...).
    #[arg(long, value_name = "ATTR")]
    group_by: String,
    /// Print only the first N rows (by brokerage_total).
    #[arg(long, value_name = "N")]
    top: Option<usize>,
    #[arg(long, value_parser = ["brokers", "graph"])]
    only: Option<String>,
    #[command(flatten)]
    output: OutputArgs,
}

#[derive(clap::Args, Debug)]
pub struct KeyPlayersArgs {
    #[command(flatten)]
    source: SourceArgs,
    #[command(flatten)]
    window: WindowArgs,
    /// Print only the first N nodes (by cut_share, then betweenness) and N bridges.
    #[arg(long, value_name = "N")]
    top: Option<usize>,
    #[arg(long, value_parser = ["nodes", "bridges"])]
    only: Option<String>,
    #[command(flatten)]
    output: OutputArgs,
}

#[derive(clap::Args, Debug)]
pub struct LineageArgs {
    #[arg(long, value_parser = ["organisations", "trees"])]
    only: Option<String>,
    #[command(flatten)]
    output: OutputArgs,
}

#[derive(clap::Args, Debug)]
pub struct MobilityArgs {
    /// Group organisations by kind (default), sector, sector2, region or country.
    #[arg(long, default_value = "kind", value_parser = ["kind", "sector", "sector2", "region", "country"])]
    by: String,
    /// Only moves from this date on.
    #[arg(long, value_name = "DATE")]
    from: Option<String>,
    /// Only moves up to this date.
    #[arg(long, value_name = "DATE")]
    to: Option<String>,
    #[arg(long, value_parser = ["flows", "moves", "summary"])]
    only: Option<String>,
    #[command(flatten)]
    output: OutputArgs,
}

#[derive(clap::Args, Debug)]
pub struct DiffArgs {
    #[command(flatten)]
    source: SourceArgs,
    /// The earlier date (the graph as with --at D1).
    #[arg(long, value_name = "D1", required_unless_present = "before_edges")]
    from: Option<String>,
    /// The later date (the graph as with --at D2).
    #[arg(long, value_name = "D2", required_unless_present = "before_edges")]
    to: Option<String>,
    /// Files: the earlier edges file (with --after-edges instead of dates).
    #[arg(long, value_name = "FILE", requires = "after_edges", conflicts_with_all = ["from", "to", "edges"])]
    before_edges: Option<PathBuf>,
    /// Files: the later edges file.
    #[arg(long, value_name = "FILE", requires = "before_edges")]
    after_edges: Option<PathBuf>,
    #[arg(long, default_value_t = 42)]
    seed: u64,
    #[arg(long, value_parser = ["summary", "ties", "nodes"])]
    only: Option<String>,
    #[command(flatten)]
    output: OutputArgs,
}

/// Runs a `net` command; `store` is `None` for file-only commands.
pub async fn run(store: Option<&AnyStore>, cmd: NetCommand) -> Result<(), AppError> {
    match cmd {
        NetCommand::Metrics(a) => metrics(store, *a).await,
        NetCommand::Communities(a) => communities_cmd(store, *a).await,
        NetCommand::Brokers(a) => {
            let (g, facts) = graph(store, &a.source, &a.window).await?;
            let mut rows = app::brokers(&g, &a.group_by, !a.source.unweighted)?;
            if let Some(n) = a.top {
                rows.truncate(n);
            }
            let mut parts = vec![Part::rows("brokers", &rows)?];
            if let Some(f) = facts {
                parts.push(Part::record("graph", &f)?);
            }
            print_parts(parts, a.only.as_deref(), a.output.format)
        }
        NetCommand::KeyPlayers(a) => {
            let (g, _) = graph(store, &a.source, &a.window).await?;
            let (mut rows, mut bridges) = app::key_players(&g)?;
            if let Some(n) = a.top {
                rows.truncate(n);
                bridges.truncate(n);
            }
            print_parts(
                vec![
                    Part::rows("nodes", &rows)?,
                    Part::rows("bridges", &bridges)?,
                ],
                a.only.as_deref(),
                a.output.format,
            )
        }
        NetCommand::Lineage(a) => {
            let store = need_store(store)?;
            let orgs = store.load().await?;
            let (rows, l) = app::lineage(&orgs)?;
            print_parts(
                vec![
                    Part::rows("organisations", &rows)?,
                    Part::rows("trees", &l.trees)?,
                ],
                a.only.as_deref(),
                a.output.format,
            )
        }
        NetCommand::Mobility(a) => {
            let store = need_store(store)?;
            let from = opt_date("--from", &a.from)?;
            let to = opt_date("--to", &a.to)?;
            Window::new(None, from, to)?;
            let reg = app::load_registry(
                store,
                app::Needs {
                    affiliations: true,
                    ..app::Needs::default()
                },
            )
            .await?;
            let (m, summary) = app::mobility(&reg, &a.by, from, to)?;
            print_parts(
                vec![
                    Part::rows("flows", &m.flows)?,
                    Part::rows("moves", &m.moves)?,
                    Part::record("summary", &summary)?,
                ],
                a.only.as_deref(),
                a.output.format,
            )
        }
        NetCommand::Diff(a) => diff(store, *a).await,
    }
}

fn need_store(store: Option<&AnyStore>) -> Result<&AnyStore, AppError> {
    store.ok_or_else(|| AppError::Usage("this command reads the database".into()))
}

fn opt_date(flag: &str, text: &Option<String>) -> Result<Option<milieu_model::Date>, AppError> {
    text.as_deref()
        .map(|t| app::parse_date_arg(flag, t))
        .transpose()
}

fn vocab_list<T: Vocabulary>(flag: &str, items: &[String]) -> Result<Vec<T>, AppError> {
    items
        .iter()
        .filter(|s| !s.trim().is_empty())
        .map(|s| T::parse(s).map_err(|e| AppError::Usage(format!("{flag}: {e}"))))
        .collect()
}

/// The registry options given, for refusing them in file mode.
fn registry_flags(s: &SourceArgs) -> Vec<&'static str> {
    let mut v = Vec::new();
    let mut flag = |set: bool, name| {
        if set {
            v.push(name)
        }
    };
    flag(s.mode.is_some(), "--mode");
    flag(s.project_to.is_some(), "--project-to");
    flag(!s.kinds.is_empty(), "--kinds");
    flag(!s.event_kinds.is_empty(), "--event-kinds");
    flag(!s.org_kinds.is_empty(), "--org-kinds");
    flag(s.min_strength.is_some(), "--min-strength");
    flag(s.as_org.is_some(), "--as-org");
    flag(s.weight.is_some(), "--weight");
    flag(s.max_size.is_some(), "--max-size");
    flag(s.keep_isolates, "--keep-isolates");
    v
}

fn file_spec(s: &SourceArgs) -> Result<FileSpec<'_>, AppError> {
    let given = registry_flags(s);
    if !given.is_empty() {
        return Err(AppError::Usage(format!(
            "{} appl{} to the registry, not to --edges files",
            given.join(", "),
            if given.len() == 1 { "ies" } else { "y" }
        )));
    }
    let build = BuildOptions {
        self_loops: match s.self_loops.as_deref() {
            Some("drop") => SelfLoops::Drop,
            _ => SelfLoops::Error,
        },
        duplicates: match s.duplicates.as_deref() {
            Some("sum") => DuplicateEdges::Sum,
            Some("max") => DuplicateEdges::Max,
            Some("first") => DuplicateEdges::First,
            _ => DuplicateEdges::Error,
        },
    };
    Ok(FileSpec {
        edges: s.edges.as_deref(),
        nodes: s.nodes.as_deref(),
        directed: s.directed,
        build,
    })
}

fn graph_spec(s: &SourceArgs, window: Window) -> Result<GraphSpec, AppError> {
    if s.nodes.is_some() || s.self_loops.is_some() || s.duplicates.is_some() {
        return Err(AppError::Usage(
            "--nodes, --self-loops and --duplicates apply to --edges files".into(),
        ));
    }
    Ok(GraphSpec {
        mode: Mode::parse(s.mode.as_deref().unwrap_or("ties"))?,
        nodes: NodeKind::parse(s.project_to.as_deref().unwrap_or("organisations"))?,
        window,
        tie_kinds: vocab_list::<TieKind>("--kinds", &s.kinds)?,
        event_kinds: vocab_list::<EventKind>("--event-kinds", &s.event_kinds)?,
        org_kinds: vocab_list::<OrgKind>("--org-kinds", &s.org_kinds)?,
        min_strength: s.min_strength,
        viewer: match &s.as_org {
            Some(id) => Principal::member_of(OrgId::new(id.clone())),
            None => Principal::cluster_team(),
        },
        directed: s.directed,
        weighted: !s.unweighted,
        projection_weight: app::parse_projection_weight(s.weight.as_deref().unwrap_or("count"))?,
        max_size: match s.max_size {
            Some(0) => None,
            Some(n) => Some(n),
            None => Some(50),
        },
        keep_isolates: s.keep_isolates,
    })
}

fn window_of(w: &WindowArgs) -> Result<Window, AppError> {
    Window::new(
        opt_date("--at", &w.at)?,
        opt_date("--from", &w.from)?,
        opt_date("--to", &w.to)?,
    )
}

/// Makes every edge weigh 1 (for `--unweighted` on files).
fn unweighted(g: Graph) -> Result<Graph, AppError> {
    if !g.is_weighted() {
        return Ok(g);
    }
    let mut b = milieu_net::GraphBuilder::new(g.is_directed(), false);
    for l in g.labels() {
        b.node(l);
    }
    for name in g.attribute_names() {
        b.declare_attribute(name);
        for (v, value) in g.attribute(name).unwrap_or(&[]).iter().enumerate() {
            b.set_attribute(v as u32, name, value);
        }
    }
    for e in g.edges() {
        b.add_edge(e.source, e.target, 1.0)
            .map_err(app::net_error)?;
    }
    b.build(&BuildOptions::default()).map_err(app::net_error)
}

/// Builds the graph from files or from the registry.
async fn graph(
    store: Option<&AnyStore>,
    s: &SourceArgs,
    w: &WindowArgs,
) -> Result<(Graph, Option<GraphFacts>), AppError> {
    if let Some(edges) = &s.edges {
        if w.at.is_some() || w.from.is_some() || w.to.is_some() {
            return Err(AppError::Usage(
                "--at, --from and --to apply to the registry, not to --edges files".into(),
            ));
        }
        let g = app::graph_from_files(edges, &file_spec(s)?)?;
        let g = if s.unweighted { unweighted(g)? } else { g };
        return Ok((g, None));
    }
    let spec = graph_spec(s, window_of(w)?)?;
    let reg = load(store, &spec).await?;
    let (g, facts) = app::build_graph(&reg, &spec)?;
    Ok((g, Some(facts)))
}

async fn load(store: Option<&AnyStore>, spec: &GraphSpec) -> Result<Registry, AppError> {
    app::load_registry(need_store(store)?, app::Needs::of(spec)).await
}

fn metrics_options(
    g: &Graph,
    measures: &[String],
    group_by: Option<String>,
    region_by: Option<String>,
    path_weights: &str,
    seed: u64,
    unweighted: bool,
) -> Result<MetricsOptions, AppError> {
    let measures = Measure::parse_list(&measures.join(",")).map_err(app::net_error)?;
    for attr in group_by.iter().chain(region_by.iter()) {
        g.require_attribute(attr).map_err(app::net_error)?;
    }
    let region_attribute = region_by.or_else(|| g.attribute("region").map(|_| "region".into()));
    Ok(MetricsOptions {
        measures,
        group_by,
        region_attribute,
        path_weights: match path_weights {
            "distance" => PathWeights::Distance,
            "inverse" => PathWeights::InverseWeight,
            _ => PathWeights::Hops,
        },
        use_weights: !unweighted,
        seed,
        community: CommunityOptions {
            seed,
            ..CommunityOptions::default()
        },
        ..MetricsOptions::default()
    })
}

async fn metrics(store: Option<&AnyStore>, a: MetricsArgs) -> Result<(), AppError> {
    let (g, facts) = graph(store, &a.source, &a.window).await?;
    let mut opts = metrics_options(
        &g,
        &a.measures,
        a.group_by.clone(),
        a.region_by.clone(),
        &a.path_weights,
        a.seed,
        a.source.unweighted,
    )?;
    opts.betweenness_samples = a.betweenness_samples;
    let columns = app::metrics_columns(&opts)?;
    let m = app::metrics(&g, &opts)?;
    let mut summary = to_map(&m.summary)?;
    if let Some(f) = &facts {
        summary.extend(to_map(f)?);
    }
    let mut parts = vec![
        Part::rows_with("nodes", &columns, &m.nodes)?,
        Part::Record {
            name: "summary",
            value: summary,
        },
    ];
    let ei = opts.measures.is_empty() || opts.measures.contains(&Measure::EiIndex);
    if opts.group_by.is_some() && ei {
        parts.push(Part::rows("groups", &m.groups)?);
    }
    print_parts(parts, a.only.as_deref(), a.output.format)
}

async fn communities_cmd(store: Option<&AnyStore>, a: CommunitiesArgs) -> Result<(), AppError> {
    let (g, facts) = graph(store, &a.source, &a.window).await?;
    let opts = CommunityOptions {
        algorithm: if a.algorithm == "louvain" {
            Algorithm::Louvain
        } else {
            Algorithm::Leiden
        },
        quality: if a.quality == "cpm" {
            Quality::Cpm
        } else {
            Quality::Modularity
        },
        resolution: a.resolution,
        seed: a.seed,
        use_weights: !a.source.unweighted,
        restarts: a.restarts,
        ..CommunityOptions::default()
    };
    #[derive(Serialize)]
    struct Summary {
        nodes: usize,
        edges: usize,
        algorithm: String,
        quality_function: String,
        resolution: f64,
        seed: u64,
        communities: usize,
        largest: usize,
        quality: Option<f64>,
        modularity: Option<f64>,
        levels: usize,
        runs: usize,
    }
    let (rows, summary) = if g.edge_count() == 0 {
        // No edge: every node is its own community; quality is undefined.
        let rows: Vec<milieu_net::community::CommunityRow> = g
            .labels()
            .iter()
            .enumerate()
            .map(|(i, l)| milieu_net::community::CommunityRow {
                id: l.clone(),
                community: i as u32,
                community_size: 1,
            })
            .collect();
        let n = rows.len();
        (
            rows,
            Summary {
                nodes: n,
                edges: 0,
                algorithm: a.algorithm.clone(),
                quality_function: a.quality.clone(),
                resolution: a.resolution,
                seed: a.seed,
                communities: n,
                largest: n.min(1),
                quality: None,
                modularity: None,
                levels: 0,
                runs: 0,
            },
        )
    } else {
        let p = communities(&g, &opts).map_err(app::net_error)?;
        let summary = Summary {
            nodes: g.node_count(),
            edges: g.edge_count(),
            algorithm: a.algorithm.clone(),
            quality_function: a.quality.clone(),
            resolution: a.resolution,
            seed: a.seed,
            communities: p.sizes.len(),
            largest: p.sizes.first().copied().unwrap_or(0),
            quality: Some(p.quality),
            modularity: Some(p.modularity),
            levels: p.levels,
            runs: p.runs,
        };
        (p.rows(&g), summary)
    };
    let mut summary = to_map(&summary)?;
    if let Some(f) = &facts {
        summary.extend(to_map(f)?);
    }
    print_parts(
        vec![
            Part::rows("nodes", &rows)?,
            Part::Record {
                name: "summary",
                value: summary,
            },
        ],
        a.only.as_deref(),
        a.output.format,
    )
}

async fn diff(store: Option<&AnyStore>, a: DiffArgs) -> Result<(), AppError> {
    let (before, after) = match (&a.before_edges, &a.after_edges) {
        (Some(b), Some(af)) => {
            let spec = file_spec(&a.source)?;
            (
                app::graph_from_files(b, &spec)?,
                app::graph_from_files(af, &spec)?,
            )
        }
        _ => {
            if a.source.edges.is_some() {
                return Err(AppError::Usage(
                    "net diff compares two files with --before-edges and --after-edges".into(),
                ));
            }
            let from = opt_date("--from", &a.from)?;
            let to = opt_date("--to", &a.to)?;
            let (Some(from), Some(to)) = (from, to) else {
                return Err(AppError::Usage(
                    "net diff needs --from D1 and --to D2".into(),
                ));
            };
            Window::new(None, Some(from), Some(to))?;
            let spec = graph_spec(&a.source, Window::at(from))?;
            let reg = load(store, &spec).await?;
            let (before, _) = app::build_graph(&reg, &spec)?;
            let (after, _) = app::build_graph(
                &reg,
                &GraphSpec {
                    window: Window::at(to),
                    ..spec
                },
            )?;
            (before, after)
        }
    };
    let opts = MetricsOptions {
        measures: app::DIFF_MEASURES.to_vec(),
        use_weights: !a.source.unweighted,
        seed: a.seed,
        community: CommunityOptions {
            seed: a.seed,
            ..CommunityOptions::default()
        },
        ..MetricsOptions::default()
    };
    let d = app::diff(&before, &after, &opts)?;
    let mut summary = Map::new();
    summary.insert("formed".into(), d.formed.into());
    summary.insert("dropped".into(), d.dropped.into());
    summary.insert("kept".into(), d.kept.into());
    summary.insert("retention".into(), number(d.retention));
    summary.insert("nodes_joined".into(), d.nodes_joined.into());
    summary.insert("nodes_left".into(), d.nodes_left.into());
    for (k, v) in to_map(&d.before)? {
        summary.insert(format!("{k}_before"), v);
    }
    for (k, v) in to_map(&d.after)? {
        summary.insert(format!("{k}_after"), v);
    }
    print_parts(
        vec![
            Part::Record {
                name: "summary",
                value: summary,
            },
            Part::rows("ties", &d.ties)?,
            Part::rows("nodes", &d.nodes)?,
        ],
        a.only.as_deref(),
        a.output.format,
    )
}

// ---------------------------------------------------------------------------------------
// Output: parts of rows or records, as JSON, CSV or tables.

fn number(x: f64) -> Value {
    serde_json::Number::from_f64(x)
        .map(Value::Number)
        .unwrap_or(Value::Null)
}

fn to_map<T: Serialize>(value: &T) -> Result<Map<String, Value>, AppError> {
    match serde_json::to_value(value).map_err(crate::output::output_error)? {
        Value::Object(m) => Ok(m),
        _ => Ok(Map::new()),
    }
}

/// One part of a command's output.
enum Part {
    Rows {
        name: &'static str,
        columns: Vec<String>,
        rows: Vec<Map<String, Value>>,
    },
    Record {
        name: &'static str,
        value: Map<String, Value>,
    },
}

impl Part {
    /// Rows with the fields of `T` as columns.
    fn rows<T: Serialize>(name: &'static str, rows: &[T]) -> Result<Part, AppError> {
        let maps: Vec<Map<String, Value>> = rows.iter().map(to_map).collect::<Result<_, _>>()?;
        let columns = match maps.first() {
            Some(m) => m.keys().cloned().collect(),
            None => Vec::new(),
        };
        Ok(Part::Rows {
            name,
            columns,
            rows: maps,
        })
    }

    /// Rows restricted to the given columns.
    fn rows_with<T: Serialize>(
        name: &'static str,
        columns: &[&str],
        rows: &[T],
    ) -> Result<Part, AppError> {
        let maps: Vec<Map<String, Value>> = rows
            .iter()
            .map(|r| {
                let mut all = to_map(r)?;
                Ok(columns
                    .iter()
                    .map(|c| (c.to_string(), all.remove(*c).unwrap_or(Value::Null)))
                    .collect())
            })
            .collect::<Result<_, AppError>>()?;
        Ok(Part::Rows {
            name,
            columns: columns.iter().map(|c| c.to_string()).collect(),
            rows: maps,
        })
    }

    fn record<T: Serialize>(name: &'static str, value: &T) -> Result<Part, AppError> {
        Ok(Part::Record {
            name,
            value: to_map(value)?,
        })
    }

    fn name(&self) -> &'static str {
        match self {
            Part::Rows { name, .. } | Part::Record { name, .. } => name,
        }
    }

    fn json(self) -> Value {
        match self {
            Part::Rows { rows, .. } => Value::Array(rows.into_iter().map(Value::Object).collect()),
            Part::Record { value, .. } => Value::Object(value),
        }
    }

    fn print(&self, format: Format) -> anyhow::Result<()> {
        match self {
            Part::Rows { columns, .. } if columns.is_empty() => {
                if format == Format::Table {
                    println!("(0 rows)");
                }
                Ok(())
            }
            Part::Rows { columns, rows, .. } => {
                let headers: Vec<&str> = columns.iter().map(String::as_str).collect();
                let cells: Vec<Vec<String>> = rows
                    .iter()
                    .map(|r| {
                        columns
                            .iter()
                            .map(|c| cell(r.get(c).unwrap_or(&Value::Null)))
                            .collect()
                    })
                    .collect();
                print_table(&headers, &cells, format)
            }
            Part::Record { value, .. } => {
                let cells: Vec<Vec<String>> = value
                    .iter()
                    .map(|(k, v)| vec![k.clone(), cell(v)])
                    .collect();
                print_table(&["field", "value"], &cells, format)
            }
        }
    }
}

fn cell(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        v => v.to_string(),
    }
}

fn print_parts(parts: Vec<Part>, only: Option<&str>, format: Format) -> Result<(), AppError> {
    let io = crate::output::output_error::<anyhow::Error>;
    let parts: Vec<Part> = match only {
        Some(name) => parts.into_iter().filter(|p| p.name() == name).collect(),
        None => parts,
    };
    if format == Format::Json {
        let value = if only.is_some() && parts.len() == 1 {
            parts
                .into_iter()
                .next()
                .map(Part::json)
                .unwrap_or(Value::Null)
        } else {
            Value::Object(
                parts
                    .into_iter()
                    .map(|p| (p.name().to_string(), p.json()))
                    .collect(),
            )
        };
        let text = serde_json::to_string_pretty(&value).map_err(|e| io(e.into()))?;
        println!("{text}");
        return Ok(());
    }
    let several = parts.len() > 1;
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            println!();
        }
        if several && format == Format::Table {
            println!("# {}", p.name());
        }
        p.print(format).map_err(io)?;
    }
    Ok(())
}
