//! The interactive network map: `/network` (page) and `GET /api/network` (nodes with positions,
//! measures and colours, edges, legend, figures).
//!
//! - The graph is the tie network the account may see: the ties come from
//!   [`milieu_app::access::View::ties`] (the one confidentiality rule) and are built into a graph
//!   by `milieu_app::net::build_graph` with the account's network viewer, so a funder's map holds
//!   public ties only, the staff's no private ones, and a member's its own private ties too.
//! - Measures (degree, betweenness, eigenvector, PageRank, communities, Gould-Fernandez
//!   brokerage by 2-digit sector, dependency for key players) are computed by milieu-net once
//!   per (snapshot, viewer, window, tie kinds); betweenness is estimated from sampled sources
//!   on large graphs. Positions are computed here, deterministically: communities are packed
//!   as discs along a spiral (largest first) and each community's nodes fill its disc on a
//!   sunflower pattern (best connected at the centre). O(n log n), so 10,000 nodes take
//!   milliseconds.
//! - The serialized JSON is cached per (snapshot, viewer, normalized parameters) in a bounded
//!   in-memory cache; a write moves the store's generation, which gives a new snapshot and so
//!   new keys.

use crate::auth::Auth;
use crate::{ApiRouter, AppState, WebError};
use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use milieu_app::access::{Principal, Role, Snapshot};
use milieu_app::net::{GraphSpec, Window, parse_date_arg};
use milieu_model::{TieKind, Vocabulary};
use milieu_net::metrics::{Measure, MetricsOptions};
use minijinja::context;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, OnceLock, Weak};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::routes;

pub fn router() -> ApiRouter {
    ApiRouter::new()
        .route("/network", axum::routing::get(page))
        .routes(routes!(api_network))
}

// ---------------------------------------------------------------------------------------
// Parameters

/// Filters and display choices of the map (all optional).
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NetworkQuery {
    /// Ties in force at some time on or after this date (YYYY-MM-DD).
    pub from: Option<String>,
    /// Ties that started on or before this date (YYYY-MM-DD).
    pub to: Option<String>,
    /// Ties in force on this date (excludes `from`/`to`).
    pub at: Option<String>,
    /// Tie kinds, comma-separated (e.g. `alliance,supplier`); empty: all kinds.
    pub kinds: Option<String>,
    /// What node size shows: `degree` (default), `betweenness`, `eigenvector` or `pagerank`.
    pub measure: Option<String>,
    /// What node colour shows: `community` (default), `sector` or `kind`.
    pub color: Option<String>,
}

/// The measures a node's size may show.
pub const SIZE_MEASURES: &[&str] = &["degree", "betweenness", "eigenvector", "pagerank"];
/// What a node's colour may show.
pub const COLOR_BY: &[&str] = &["community", "sector", "kind"];

/// Normalized parameters: equal filters give equal keys.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Params {
    at: Option<String>,
    from: Option<String>,
    to: Option<String>,
    kinds: Vec<TieKind>,
    measure: &'static str,
    color: &'static str,
}

impl NetworkQuery {
    /// From the query string's pairs: `kinds` may be repeated (checkboxes of the page's form)
    /// or comma-separated.
    pub fn from_pairs(pairs: &[(String, String)]) -> NetworkQuery {
        let mut q = NetworkQuery::default();
        for (k, v) in pairs {
            let v = Some(v.clone());
            match k.as_str() {
                "from" => q.from = v,
                "to" => q.to = v,
                "at" => q.at = v,
                "measure" => q.measure = v,
                "color" => q.color = v,
                _ => {}
            }
        }
        let joined: Vec<&str> = pairs
            .iter()
            .filter(|(k, _)| k == "kinds")
            .map(|(_, v)| v.as_str())
            .collect();
        if !joined.is_empty() {
            q.kinds = Some(joined.join(","));
        }
        q
    }
}

impl Params {
    fn parse(q: &NetworkQuery) -> Result<(Params, Window), WebError> {
        let date = |flag: &str, v: &Option<String>| -> Result<_, WebError> {
            match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                Some(s) => Ok(Some(parse_date_arg(flag, s)?)),
                None => Ok(None),
            }
        };
        let (at, from, to) = (
            date("at", &q.at)?,
            date("from", &q.from)?,
            date("to", &q.to)?,
        );
        let window = Window::new(at, from, to)?;
        let mut kinds = Vec::new();
        for k in q
            .kinds
            .as_deref()
            .unwrap_or("")
            .split(',')
            .map(str::trim)
            .filter(|k| !k.is_empty())
        {
            kinds.push(TieKind::parse(k).map_err(WebError::from)?);
        }
        kinds.sort_by_key(|k| k.as_str());
        kinds.dedup();
        if kinds.len() == TieKind::ALL.len() {
            kinds.clear();
        }
        let pick = |v: &Option<String>, list: &[&'static str], what: &str| match v
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => Ok(list[0]),
            Some(s) => list.iter().copied().find(|m| *m == s).ok_or_else(|| {
                WebError::bad_input(format!("{what} {s:?}: expected one of {}", list.join(", ")))
            }),
        };
        let measure = pick(&q.measure, SIZE_MEASURES, "measure")?;
        let color = pick(&q.color, COLOR_BY, "color")?;
        let params = Params {
            at: at.map(|d| d.to_string()),
            from: from.map(|d| d.to_string()),
            to: to.map(|d| d.to_string()),
            kinds,
            measure,
            color,
        };
        Ok((params, window))
    }

    /// The part of the key the measures depend on (not the display choices).
    fn graph_key(&self) -> String {
        format!(
            "at={}|from={}|to={}|kinds={}",
            self.at.as_deref().unwrap_or(""),
            self.from.as_deref().unwrap_or(""),
            self.to.as_deref().unwrap_or(""),
            self.kinds
                .iter()
                .map(|k| k.as_str())
                .collect::<Vec<_>>()
                .join(",")
        )
    }

    fn full_key(&self) -> String {
        format!(
            "{}|measure={}|color={}",
            self.graph_key(),
            self.measure,
            self.color
        )
    }
}

/// Which graph an account sees: accounts with the same key see the same ties.
fn viewer_key(p: &Principal) -> String {
    match (p.role, &p.org) {
        (Role::Member, Some(org)) => format!("org:{org}"),
        (Role::Member, None) => "member".into(),
        (Role::Funder, _) => "public".into(),
        _ => "staff".into(),
    }
}

// ---------------------------------------------------------------------------------------
// The computed network

/// A node of the map.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MapNode {
    /// Organisation id (its profile is `/orgs/{id}`).
    pub id: String,
    pub label: String,
    /// Organisation kind (firm, university, ...).
    pub kind: String,
    /// 2-digit sector (`naics:33`), empty when unknown.
    pub sector: String,
    /// Community number (Leiden, modularity), 0 = largest.
    pub community: u32,
    /// Display size from the chosen measure.
    pub size: f64,
    /// Display colour from the chosen colouring (`#rrggbb`).
    pub color: String,
    pub x: f64,
    pub y: f64,
    /// Among the strongest Gould-Fernandez brokers between sectors.
    pub broker: bool,
    /// Among the nodes the network depends on most (cut share, then betweenness).
    pub key_player: bool,
    pub degree: f64,
    pub betweenness: f64,
    pub eigenvector: f64,
    pub pagerank: f64,
    pub brokerage: f64,
    pub cut_share: f64,
}

/// An edge: one or more ties between two organisations (weights are summed strengths).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MapEdge {
    pub source: String,
    pub target: String,
    /// The tie kind, or `multiple` when the ties between the two are of several kinds.
    pub kind: String,
    pub weight: f64,
}

/// One entry of the colour legend.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LegendEntry {
    pub label: String,
    pub color: String,
    /// Nodes with this colour.
    pub count: usize,
}

/// Figures of the whole map.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MapStats {
    pub nodes: usize,
    pub edges: usize,
    pub ties_used: usize,
    pub communities: usize,
    pub modularity: Option<f64>,
    pub density: f64,
    pub components: usize,
    pub largest_component: usize,
    /// Betweenness was estimated from this many sampled sources (None: exact).
    pub betweenness_samples: Option<usize>,
    pub brokers: usize,
    pub key_players: usize,
}

/// The map: nodes with positions, edges, legend and figures.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NetworkMap {
    pub nodes: Vec<MapNode>,
    pub edges: Vec<MapEdge>,
    pub legend: Vec<LegendEntry>,
    pub stats: MapStats,
    /// The chosen size measure and colouring.
    pub measure: String,
    pub color: String,
}

/// Measures of one graph (independent of the display choices).
struct Computed {
    nodes: Vec<MapNode>,
    edges: Vec<MapEdge>,
    stats: MapStats,
}

const PALETTE: &[&str] = &[
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf",
    "#bcbd22", "#393b79", "#637939", "#843c39",
];
const OTHER_COLOR: &str = "#9a9a9a";
/// Graphs larger than this get sampled betweenness.
const EXACT_BETWEENNESS_MAX: usize = 2500;
const BETWEENNESS_SAMPLES: usize = 300;

fn compute(
    snapshot: &Snapshot,
    principal: &Principal,
    window: Window,
    kinds: &[TieKind],
) -> Result<Computed, WebError> {
    // Directory data (organisations, initiatives, memberships) is visible to every account;
    // the ties are the account's.
    let registry = snapshot.view(principal).network_registry();
    let spec = GraphSpec {
        window,
        tie_kinds: kinds.to_vec(),
        viewer: principal.clone(),
        ..GraphSpec::default()
    };
    let (g, facts) = milieu_app::net::build_graph(&registry, &spec)?;
    let n = g.node_count();
    let sampled = n > EXACT_BETWEENNESS_MAX;
    let m = milieu_app::net::metrics(
        &g,
        &MetricsOptions {
            measures: vec![
                Measure::Degree,
                Measure::Betweenness,
                Measure::Eigenvector,
                Measure::Pagerank,
                Measure::Community,
                Measure::Brokerage,
                Measure::Dependency,
            ],
            group_by: Some("sector2".into()),
            betweenness_samples: sampled.then_some(BETWEENNESS_SAMPLES.min(n)),
            ..MetricsOptions::default()
        },
    )?;
    let attr = |name: &str| {
        g.attribute(name)
            .map(|a| a.to_vec())
            .unwrap_or_else(|| vec![String::new(); n])
    };
    let (names, kinds_attr, sectors) = (attr("name"), attr("kind"), attr("sector2"));

    // Communities renumbered by size (0 = largest), ties broken by the engine's number.
    let raw: Vec<u32> = m.nodes.iter().map(|r| r.community.unwrap_or(0)).collect();
    let mut sizes: HashMap<u32, usize> = HashMap::new();
    for &c in &raw {
        *sizes.entry(c).or_default() += 1;
    }
    let mut order: Vec<(u32, usize)> = sizes.into_iter().collect();
    order.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let renumber: HashMap<u32, u32> = order
        .iter()
        .enumerate()
        .map(|(i, (c, _))| (*c, i as u32))
        .collect();
    let community: Vec<u32> = raw.iter().map(|c| renumber[c]).collect();

    let degree: Vec<f64> = m.nodes.iter().map(|r| r.degree.unwrap_or(0.0)).collect();
    let positions = layout(&community, &degree);

    // Brokers and key players: the top 1% (at least 5, at most 50) with a positive score.
    let top = (n / 100).clamp(5, 50);
    let pick_top = |score: &dyn Fn(usize) -> (f64, f64)| -> Vec<bool> {
        let mut idx: Vec<usize> = (0..n).filter(|&v| score(v).0 > 0.0).collect();
        idx.sort_by(|&a, &b| {
            let (sa, sb) = (score(a), score(b));
            sb.0.total_cmp(&sa.0)
                .then(sb.1.total_cmp(&sa.1))
                .then(g.label(a as u32).cmp(g.label(b as u32)))
        });
        let mut flags = vec![false; n];
        for v in idx.into_iter().take(top) {
            flags[v] = true;
        }
        flags
    };
    let rows = &m.nodes;
    let broker = pick_top(&|v| {
        (
            rows[v].brokerage_total.unwrap_or(0.0),
            rows[v].betweenness.unwrap_or(0.0),
        )
    });
    let key_player = pick_top(&|v| {
        (
            rows[v].cut_share.unwrap_or(0.0),
            rows[v].betweenness.unwrap_or(0.0),
        )
    });

    let nodes: Vec<MapNode> = (0..n)
        .map(|v| {
            let r = &rows[v];
            MapNode {
                id: r.id.clone(),
                label: names[v].clone(),
                kind: kinds_attr[v].clone(),
                sector: sectors[v].clone(),
                community: community[v],
                size: 1.0,
                color: OTHER_COLOR.into(),
                x: positions[v].0,
                y: positions[v].1,
                broker: broker[v],
                key_player: key_player[v],
                degree: r.degree.unwrap_or(0.0),
                betweenness: r.betweenness.unwrap_or(0.0),
                eigenvector: r.eigenvector.unwrap_or(0.0),
                pagerank: r.pagerank.unwrap_or(0.0),
                brokerage: r.brokerage_total.unwrap_or(0.0),
                cut_share: r.cut_share.unwrap_or(0.0),
            }
        })
        .collect();

    // Edge kinds from the ties that made each edge.
    let index: HashMap<&str, u32> = (0..n as u32).map(|v| (g.label(v), v)).collect();
    let mut pair_kind: HashMap<(u32, u32), Option<TieKind>> = HashMap::new();
    for t in &registry.ties {
        let (Some(&a), Some(&b)) = (index.get(t.from.as_str()), index.get(t.to.as_str())) else {
            continue;
        };
        let in_graph = spec.window.tie(t) && (kinds.is_empty() || kinds.contains(&t.kind));
        if !in_graph || a == b {
            continue;
        }
        let key = (a.min(b), a.max(b));
        pair_kind
            .entry(key)
            .and_modify(|k| {
                if *k != Some(t.kind) {
                    *k = None;
                }
            })
            .or_insert(Some(t.kind));
    }
    let edges: Vec<MapEdge> = g
        .edges()
        .iter()
        .map(|e| {
            let key = (e.source.min(e.target), e.source.max(e.target));
            MapEdge {
                source: g.label(e.source).to_string(),
                target: g.label(e.target).to_string(),
                kind: match pair_kind.get(&key) {
                    Some(Some(k)) => k.as_str().to_string(),
                    _ => "multiple".into(),
                },
                weight: e.weight,
            }
        })
        .collect();
    let s = &m.summary;
    let stats = MapStats {
        nodes: n,
        edges: g.edge_count(),
        ties_used: facts.ties_used,
        communities: order.len(),
        modularity: s.modularity,
        density: s.density,
        components: s.components,
        largest_component: s.largest_component,
        betweenness_samples: s.betweenness_samples,
        brokers: broker.iter().filter(|&&b| b).count(),
        key_players: key_player.iter().filter(|&&b| b).count(),
    };
    Ok(Computed {
        nodes,
        edges,
        stats,
    })
}

/// Positions: communities (largest first) as discs of area proportional to their size, placed
/// along a spiral without overlapping; inside a disc, nodes on a sunflower pattern with the
/// best connected at the centre.
fn layout(community: &[u32], degree: &[f64]) -> Vec<(f64, f64)> {
    let n = community.len();
    let k = community.iter().map(|&c| c as usize + 1).max().unwrap_or(0);
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); k];
    for v in 0..n {
        members[community[v] as usize].push(v);
    }
    const GOLDEN: f64 = 2.399_963_229_728_653; // pi * (3 - sqrt 5)
    let spacing = 1.0;
    let mut placed: Vec<(f64, f64, f64)> = Vec::with_capacity(k);
    // Grid of placed discs for the overlap test (cell = largest disc's diameter).
    let radius_of = |size: usize| spacing * ((size as f64).sqrt() + 0.6);
    let cell = 2.0 * radius_of(members.first().map_or(1, |m| m.len()).max(1));
    let mut grid: HashMap<(i64, i64), Vec<usize>> = HashMap::new();
    let cell_of = |x: f64, y: f64| ((x / cell).floor() as i64, (y / cell).floor() as i64);
    let mut t = 0.0f64;
    let gap = 0.8 * spacing;
    let mut pos = vec![(0.0, 0.0); n];
    for group in members.iter_mut() {
        if group.is_empty() {
            continue;
        }
        let r = radius_of(group.len());
        // Walk the spiral (radius grows a little per turn) until the disc fits.
        let (cx, cy) = loop {
            let rad = 0.35 * cell * t / std::f64::consts::TAU;
            let (x, y) = (rad * t.cos(), rad * t.sin());
            let (gx, gy) = cell_of(x, y);
            let mut free = true;
            'scan: for dx in -1..=1 {
                for dy in -1..=1 {
                    if let Some(list) = grid.get(&(gx + dx, gy + dy)) {
                        for &i in list {
                            let (px, py, pr) = placed[i];
                            if (px - x).hypot(py - y) < pr + r + gap {
                                free = false;
                                break 'scan;
                            }
                        }
                    }
                }
            }
            if free {
                break (x, y);
            }
            // Step so that consecutive tries are about a small disc apart on the spiral.
            t += (0.5 * spacing / rad.max(spacing)).min(0.5);
        };
        grid.entry(cell_of(cx, cy)).or_default().push(placed.len());
        placed.push((cx, cy, r));
        group.sort_by(|&a, &b| degree[b].total_cmp(&degree[a]).then(a.cmp(&b)));
        for (j, &v) in group.iter().enumerate() {
            let rr = spacing * (j as f64 + 0.5).sqrt();
            let a = j as f64 * GOLDEN;
            pos[v] = (cx + rr * a.cos(), cy + rr * a.sin());
        }
    }
    // Round to keep the JSON short.
    pos.into_iter()
        .map(|(x, y)| ((x * 100.0).round() / 100.0, (y * 100.0).round() / 100.0))
        .collect()
}

/// Applies the display choices: sizes from the measure, colours and legend.
fn present(c: &Computed, measure: &str, color: &str) -> NetworkMap {
    let value = |node: &MapNode| match measure {
        "betweenness" => node.betweenness,
        "eigenvector" => node.eigenvector,
        "pagerank" => node.pagerank,
        _ => node.degree,
    };
    let max = c.nodes.iter().map(value).fold(0.0f64, f64::max);
    let group = |node: &MapNode| -> String {
        match color {
            "sector" => {
                if node.sector.is_empty() {
                    "unknown".into()
                } else {
                    node.sector.clone()
                }
            }
            "kind" => node.kind.clone(),
            _ => format!("community {}", node.community + 1),
        }
    };
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for node in &c.nodes {
        *counts.entry(group(node)).or_default() += 1;
    }
    let mut ranked: Vec<(String, usize)> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let named = if ranked.len() > PALETTE.len() {
        PALETTE.len() - 1
    } else {
        ranked.len()
    };
    let colors: HashMap<&str, &str> = ranked
        .iter()
        .take(named)
        .zip(PALETTE)
        .map(|((g, _), c)| (g.as_str(), *c))
        .collect();
    let mut legend: Vec<LegendEntry> = ranked
        .iter()
        .take(named)
        .map(|(g, count)| LegendEntry {
            label: g.clone(),
            color: colors[g.as_str()].to_string(),
            count: *count,
        })
        .collect();
    let rest: usize = ranked.iter().skip(named).map(|(_, n)| n).sum();
    if rest > 0 {
        legend.push(LegendEntry {
            label: format!("other ({} groups)", ranked.len() - named),
            color: OTHER_COLOR.into(),
            count: rest,
        });
    }
    let nodes = c
        .nodes
        .iter()
        .map(|node| {
            let mut out = node.clone();
            let v = value(node);
            out.size = if max > 0.0 {
                ((2.0 + 10.0 * (v / max).sqrt()) * 100.0).round() / 100.0
            } else {
                2.0
            };
            out.color = colors
                .get(group(node).as_str())
                .copied()
                .unwrap_or(OTHER_COLOR)
                .to_string();
            out
        })
        .collect();
    NetworkMap {
        nodes,
        edges: c.edges.clone(),
        legend,
        stats: c.stats.clone(),
        measure: measure.to_string(),
        color: color.to_string(),
    }
}

// ---------------------------------------------------------------------------------------
// The cache

/// A presented map and its JSON.
pub struct Cached {
    pub map: NetworkMap,
    pub json: axum::body::Bytes,
    /// The same JSON gzip-compressed once (about a sixth of the size), for clients that accept
    /// it: the map of a large region is megabytes, and copying them is what a read costs.
    pub json_gzip: axum::body::Bytes,
}

fn gzip(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(bytes.len() / 4),
        flate2::Compression::fast(),
    );
    encoder.write_all(bytes)?;
    encoder.finish()
}

/// Whether the request's `Accept-Encoding` allows gzip.
fn accepts_gzip(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|coding| {
            let mut parts = coding.split(';');
            let name = parts.next().unwrap_or("").trim();
            let refused = parts.any(|q| {
                q.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    == Some(0.0)
            });
            (name.eq_ignore_ascii_case("gzip") || name == "*") && !refused
        })
}

struct Entry<T> {
    /// The snapshot the value was computed from; alive while the entry is, so its address
    /// (part of the key) cannot be reused by another snapshot.
    snapshot: Weak<Snapshot>,
    value: Arc<T>,
    used: u64,
}

/// A small bounded map; least recently used entries (and those of replaced snapshots) go
/// first.
struct Lru<T> {
    entries: HashMap<(usize, u64, String, String), Entry<T>>,
    clock: u64,
    capacity: usize,
}

impl<T> Lru<T> {
    fn new(capacity: usize) -> Self {
        Lru {
            entries: HashMap::new(),
            clock: 0,
            capacity,
        }
    }

    fn key(s: &Arc<Snapshot>, viewer: &str, params: &str) -> (usize, u64, String, String) {
        (
            Arc::as_ptr(s) as usize,
            s.generation,
            viewer.to_string(),
            params.to_string(),
        )
    }

    fn get(&mut self, s: &Arc<Snapshot>, viewer: &str, params: &str) -> Option<Arc<T>> {
        self.clock += 1;
        let clock = self.clock;
        let e = self.entries.get_mut(&Self::key(s, viewer, params))?;
        match e.snapshot.upgrade() {
            Some(live) if Arc::ptr_eq(&live, s) => {
                e.used = clock;
                Some(e.value.clone())
            }
            _ => None,
        }
    }

    fn put(&mut self, s: &Arc<Snapshot>, viewer: &str, params: &str, value: Arc<T>) {
        self.clock += 1;
        if self.entries.len() >= self.capacity {
            self.entries.retain(|_, e| e.snapshot.strong_count() > 0);
        }
        while self.entries.len() >= self.capacity {
            let Some(oldest) = self
                .entries
                .iter()
                .min_by_key(|(_, e)| e.used)
                .map(|(k, _)| k.clone())
            else {
                break;
            };
            self.entries.remove(&oldest);
        }
        self.entries.insert(
            Self::key(s, viewer, params),
            Entry {
                snapshot: Arc::downgrade(s),
                value,
                used: self.clock,
            },
        );
    }
}

struct NetCache {
    graphs: Mutex<Lru<Computed>>,
    maps: Mutex<Lru<Cached>>,
    /// One computation at a time: a burst of requests for a new key computes it once.
    compute: tokio::sync::Mutex<()>,
}

fn cache() -> &'static NetCache {
    static CACHE: OnceLock<NetCache> = OnceLock::new();
    CACHE.get_or_init(|| NetCache {
        graphs: Mutex::new(Lru::new(16)),
        maps: Mutex::new(Lru::new(64)),
        compute: tokio::sync::Mutex::new(()),
    })
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The map for an account and parameters, from the cache or computed (once).
pub async fn network_map(
    state: &AppState,
    principal: &Principal,
    query: &NetworkQuery,
) -> Result<Arc<Cached>, WebError> {
    let (params, window) = Params::parse(query)?;
    let snapshot = state.snapshot().await?;
    let viewer = viewer_key(principal);
    let full = params.full_key();
    let c = cache();
    let hit = lock(&c.maps).get(&snapshot, &viewer, &full);
    if let Some(hit) = hit {
        return Ok(hit);
    }
    let _guard = c.compute.lock().await;
    let hit = lock(&c.maps).get(&snapshot, &viewer, &full);
    if let Some(hit) = hit {
        return Ok(hit);
    }
    let gkey = params.graph_key();
    // (Bound first: the guard must not live across the computation's await.)
    let hit = lock(&c.graphs).get(&snapshot, &viewer, &gkey);
    let computed = match hit {
        Some(hit) => hit,
        None => {
            let (s, p, kinds) = (snapshot.clone(), principal.clone(), params.kinds.clone());
            let computed = tokio::task::spawn_blocking(move || compute(&s, &p, window, &kinds))
                .await
                .map_err(WebError::internal)??;
            let computed = Arc::new(computed);
            lock(&c.graphs).put(&snapshot, &viewer, &gkey, computed.clone());
            computed
        }
    };
    let map = present(&computed, params.measure, params.color);
    let json = serde_json::to_vec(&map).map_err(WebError::internal)?;
    let json_gzip = gzip(&json).map_err(WebError::internal)?;
    let cached = Arc::new(Cached {
        map,
        json: json.into(),
        json_gzip: json_gzip.into(),
    });
    lock(&c.maps).put(&snapshot, &viewer, &full, cached.clone());
    Ok(cached)
}

// ---------------------------------------------------------------------------------------
// Handlers

/// The tie network the account may see, with positions, measures, colours and a legend.
#[utoipa::path(get, path = "/api/network", tag = "network", params(NetworkQuery),
    responses(
        (status = 200, body = NetworkMap),
        (status = 400, body = WebError),
        (status = 401, body = WebError)))]
async fn api_network(
    State(state): State<AppState>,
    auth: Auth,
    headers: axum::http::HeaderMap,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let query = NetworkQuery::from_pairs(&pairs);
    let cached = network_map(&state, &auth.principal, &query).await?;
    let json = [(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    )];
    let vary = [(header::VARY, HeaderValue::from_static("accept-encoding"))];
    if accepts_gzip(&headers) {
        let gzip = [(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"))];
        return Ok((json, gzip, vary, cached.json_gzip.clone()).into_response());
    }
    Ok((json, vary, cached.json.clone()).into_response())
}

/// A row of the page's table of top nodes.
#[derive(Serialize)]
struct TopRow<'a> {
    id: &'a str,
    label: &'a str,
    kind: &'a str,
    sector: &'a str,
    community: u32,
    value: f64,
    degree: f64,
    broker: bool,
    key_player: bool,
}

async fn page(
    State(state): State<AppState>,
    auth: Auth,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Html<String>, WebError> {
    let query = NetworkQuery::from_pairs(&pairs);
    let cached = network_map(&state, &auth.principal, &query).await?;
    let map = &cached.map;
    let value = |n: &MapNode| match map.measure.as_str() {
        "betweenness" => n.betweenness,
        "eigenvector" => n.eigenvector,
        "pagerank" => n.pagerank,
        _ => n.degree,
    };
    let mut top: Vec<&MapNode> = map.nodes.iter().collect();
    top.sort_by(|a, b| value(b).total_cmp(&value(a)).then_with(|| a.id.cmp(&b.id)));
    let top: Vec<TopRow> = top
        .into_iter()
        .take(25)
        .map(|n| TopRow {
            id: &n.id,
            label: &n.label,
            kind: &n.kind,
            sector: &n.sector,
            community: n.community + 1,
            value: value(n),
            degree: n.degree,
            broker: n.broker,
            key_player: n.key_player,
        })
        .collect();
    // The same query string for the JSON the script fetches.
    let mut qs = Vec::new();
    for (k, v) in [
        ("from", &query.from),
        ("to", &query.to),
        ("at", &query.at),
        ("kinds", &query.kinds),
    ] {
        if let Some(v) = v.as_deref().filter(|v| !v.trim().is_empty()) {
            qs.push(format!("{k}={}", crate::auth::url_encode(v.trim())));
        }
    }
    qs.push(format!("measure={}", map.measure));
    qs.push(format!("color={}", map.color));
    let chosen_kinds: Vec<&str> = query
        .kinds
        .as_deref()
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .collect();
    let tie_kinds: Vec<minijinja::Value> = TieKind::ALL
        .iter()
        .map(|k| {
            context! {
                value => k.as_str(),
                label => k.as_str().replace('_', " "),
                checked => chosen_kinds.contains(&k.as_str()),
            }
        })
        .collect();
    state.render(
        Some(&auth),
        "network",
        "network/map.html",
        context! {
            stats => &map.stats,
            legend => &map.legend,
            top => top,
            measure => &map.measure,
            color => &map.color,
            measures => SIZE_MEASURES,
            colors => COLOR_BY,
            tie_kinds => tie_kinds,
            from => query.from.as_deref().unwrap_or(""),
            to => query.to.as_deref().unwrap_or(""),
            at => query.at.as_deref().unwrap_or(""),
            api_url => format!("/api/network?{}", qs.join("&")),
        },
    )
}
