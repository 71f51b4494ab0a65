//! Cluster mapping: `/mapping` (stored regional tables; for a table, year and region the
//! clusters with LQ, employment, growth, stars and class, a bubble chart, the cluster
//! definitions), `/mapping/report` (the `milieu map report` HTML page) and the same data as
//! JSON under `/api/mapping/...`.
//!
//! Regional statistics are public, never per firm: every logged-in account may read them.
//! The numbers are milieu-map's (`strength`, `report_html`) on the table milieu-app loads, as
//! `milieu map strength --region R` computes them: traded/local base, all regions as the
//! benchmark, traded clusters rated, growth from the table's first year.

use crate::auth::Auth;
use crate::{ApiRouter, AppState, WebError};
use axum::Json;
use axum::extract::{Query, State};
use axum::response::Html;
use milieu_app::map::{GrowthFrom, Loaded, ScopeRequest};
use minijinja::context;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::routes;

pub fn router() -> ApiRouter {
    ApiRouter::new()
        .route("/mapping", axum::routing::get(page))
        .route("/mapping/report", axum::routing::get(report_page))
        .routes(routes!(api_tables))
        .routes(routes!(api_clusters))
}

/// Which table, year, region and definitions, all optional, with the defaults of
/// `milieu map` (milieu-app's scope rules): table `main`, else the only stored table; the
/// table's latest year; its first region; the only definition set, or the only one of the
/// table's code vintage.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MappingQuery {
    /// Stored table name.
    pub table: Option<String>,
    pub year: Option<u16>,
    /// Region code (at `level` when given).
    pub region: Option<String>,
    /// Definition set name.
    pub definitions: Option<String>,
    /// Hierarchy level to aggregate regions to (regions not placed there are dropped).
    pub level: Option<String>,
    /// `1`: also discover clusters from the co-location of industries (slower on large
    /// tables).
    pub discover: Option<String>,
}

impl MappingQuery {
    /// Whether the query leaves table and definitions to the defaults.
    fn is_default(&self) -> bool {
        nonempty(&self.table).is_none() && nonempty(&self.definitions).is_none()
    }
}

/// A stored regional table.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TableInfo {
    pub name: String,
    pub source: String,
    pub vintage: Option<String>,
    pub years: Vec<u16>,
    pub regions: u64,
    pub industries: u64,
    pub rows: u64,
}

/// A stored cluster definition set.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DefinitionSetInfo {
    pub name: String,
    pub format: String,
    pub vintage: Option<String>,
    pub clusters: u64,
    pub industries: u64,
}

/// What the database holds for mapping.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MappingData {
    pub tables: Vec<TableInfo>,
    pub definition_sets: Vec<DefinitionSetInfo>,
    /// Hierarchy levels (state, msa, ...).
    pub hierarchy_levels: Vec<String>,
}

/// One cluster of a region (milieu-map's strength row).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClusterRow {
    pub cluster: String,
    pub name: String,
    pub traded: Option<bool>,
    pub employment: f64,
    pub establishments: Option<f64>,
    /// Location quotient (traded/local base, all regions as benchmark).
    pub lq: Option<f64>,
    /// Compound annual employment growth from `from_year` to `year`.
    pub cagr: Option<f64>,
    pub benchmark_cagr: Option<f64>,
    /// The region's share of the cluster's employment in all regions.
    pub size_share: f64,
    /// 0..=3 (size, specialisation, focus).
    pub stars: u8,
    /// CMP strong cluster (None when the rule does not apply).
    pub strong: Option<bool>,
    pub organised_actors: Option<u32>,
    /// `working`, `latent`, `potential` or `none`.
    pub classification: String,
    pub classification_rule: String,
}

/// A definition set's cluster.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DefinedCluster {
    pub code: String,
    pub name: String,
    pub traded: Option<bool>,
    /// Industry codes in the cluster.
    pub industries: Vec<String>,
}

/// A cluster discovered from where industries locate together (`milieu map discover`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DiscoveredRow {
    pub cluster: String,
    pub size: usize,
    /// Largest member by employment.
    pub anchor: String,
    pub anchor_name: String,
    /// Mean co-location similarity between members.
    pub cohesion: f64,
    pub silhouette: f64,
    /// Member industry codes.
    pub members: String,
}

/// A region's clusters in a year.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RegionClusters {
    pub table: String,
    pub definitions: String,
    pub year: u16,
    pub from_year: Option<u16>,
    pub level: Option<String>,
    pub region: String,
    pub region_name: String,
    /// Regions of the (aggregated) table: code and name.
    pub regions: Vec<(String, String)>,
    pub years: Vec<u16>,
    pub clusters: Vec<ClusterRow>,
    pub defined_clusters: Vec<DefinedCluster>,
    /// What was bridged or dropped while loading.
    pub notes: Vec<String>,
    /// Clusters discovered from co-location (with `discover=1`), traded industries only.
    pub discovered: Option<Vec<DiscoveredRow>>,
    /// Why discovery gave nothing, when it could not run on this table.
    pub discovery_note: Option<String>,
}

async fn mapping_data(state: &AppState) -> Result<MappingData, WebError> {
    let store = state.store();
    let tables = store
        .map_tables()
        .await?
        .into_iter()
        .map(|t| TableInfo {
            name: t.name,
            source: t.source,
            vintage: t.vintage,
            years: t.years,
            regions: t.regions,
            industries: t.industries,
            rows: t.rows,
        })
        .collect();
    let definition_sets = store
        .map_definition_sets()
        .await?
        .into_iter()
        .map(|s| DefinitionSetInfo {
            name: s.name,
            format: s.format,
            vintage: s.vintage,
            clusters: s.clusters,
            industries: s.industries,
        })
        .collect();
    let hierarchy_levels = store
        .map_hierarchy_levels()
        .await?
        .into_iter()
        .map(|l| l.level)
        .collect();
    Ok(MappingData {
        tables,
        definition_sets,
        hierarchy_levels,
    })
}

/// Everything an analysis of one region needs.
struct Prepared {
    loaded: Loaded,
    table: String,
    definitions: String,
    year: u16,
    from_year: Option<u16>,
    region: String,
    years: Vec<u16>,
    counts: Option<std::collections::HashMap<String, u32>>,
}

fn nonempty(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// The scope of the page by milieu-app's rules (the same defaults as `milieu map`), loaded,
/// with the region (default: the first) and its organised actors. Growth runs from the
/// table's first year; a region level drops regions the hierarchy does not place.
async fn prepare(state: &AppState, q: &MappingQuery) -> Result<Prepared, WebError> {
    let store = state.store();
    let level = nonempty(&q.level);
    let (scope, loaded) = milieu_app::map::resolve_and_load(
        store,
        &ScopeRequest {
            table: nonempty(&q.table),
            definitions: nonempty(&q.definitions),
            needs_definitions: true,
            years: q.year.into_iter().collect(),
            growth: GrowthFrom::FirstStored,
            drop_unplaced: level.is_some(),
            region_level: level,
        },
    )
    .await?;
    let region = milieu_app::map::region_or_first(&loaded, q.region.as_deref())?;
    let counts = milieu_app::map::organised_actors_in(
        store,
        &loaded,
        &region,
        scope.region_level.as_deref(),
    )
    .await?;
    Ok(Prepared {
        loaded,
        table: scope.table,
        definitions: scope.definitions.unwrap_or_default(),
        year: scope.year,
        from_year: scope.from_year,
        region,
        years: scope.table_years,
        counts,
    })
}

async fn region_clusters(state: &AppState, q: &MappingQuery) -> Result<RegionClusters, WebError> {
    let p = prepare(state, q).await?;
    let t = &p.loaded.table;
    let defs = p.loaded.definitions.as_ref();
    let rows = milieu_map::strength(
        t,
        &milieu_map::StrengthOptions {
            year: p.year,
            from_year: p.from_year,
            level: milieu_map::Level::Cluster,
            definitions: defs,
            base: milieu_map::Base::TradedLocal,
            benchmark: milieu_map::Benchmark::AllRegions,
            traded_only: true,
            organised_actors: p.counts.as_ref(),
            regions: Some(vec![p.region.clone()]),
            rules: milieu_map::StrengthRules::default(),
        },
    )
    .map_err(milieu_app::map::map_error)?;
    let mut clusters: Vec<ClusterRow> = rows
        .into_iter()
        .map(|r| ClusterRow {
            cluster: r.industry_or_cluster,
            name: r.name,
            traded: r.traded,
            employment: r.employment,
            establishments: r.establishments,
            lq: r.lq,
            cagr: r.cagr,
            benchmark_cagr: r.benchmark_cagr,
            size_share: r.size_share,
            stars: r.stars,
            strong: r.strong,
            organised_actors: r.organised_actors,
            classification: r.classification.to_string(),
            classification_rule: r.classification_rule,
        })
        .collect();
    clusters.sort_by(|a, b| {
        b.employment
            .total_cmp(&a.employment)
            .then_with(|| a.cluster.cmp(&b.cluster))
    });
    let regions: Vec<(String, String)> = (0..t.regions().len() as u32)
        .map(|i| {
            (
                t.regions().code(i).to_string(),
                t.regions().name(i).to_string(),
            )
        })
        .collect();
    let region_name = regions
        .iter()
        .find(|(c, _)| *c == p.region)
        .map(|(_, n)| n.clone())
        .unwrap_or_default();
    let defined_clusters = defs
        .map(|d| {
            let rows = d.rows();
            d.clusters
                .iter()
                .map(|c| DefinedCluster {
                    code: c.code.clone(),
                    name: c.name.clone(),
                    traded: c.traded,
                    industries: rows
                        .iter()
                        .filter(|r| r.cluster_code == c.code)
                        .map(|r| r.industry.clone())
                        .collect(),
                })
                .collect()
        })
        .unwrap_or_default();
    let (discovered, discovery_note) = if nonempty(&q.discover).is_some_and(|d| d != "0") {
        match discover(t, defs, p.year) {
            Ok(rows) => (Some(rows), None),
            Err(e) => (None, Some(e)),
        }
    } else {
        (None, None)
    };
    Ok(RegionClusters {
        discovered,
        discovery_note,
        table: p.table,
        definitions: p.definitions,
        year: p.year,
        from_year: p.from_year,
        level: nonempty(&q.level),
        region: p.region,
        region_name,
        regions,
        years: p.years,
        clusters,
        defined_clusters,
        notes: p.loaded.notes(),
    })
}

/// Clusters discovered in the table's traded industries: as many as the definitions have
/// traded clusters (at most half the industries).
fn discover(
    t: &milieu_map::Table,
    defs: Option<&milieu_map::Definitions>,
    year: u16,
) -> Result<Vec<DiscoveredRow>, String> {
    let traded: Option<Vec<String>> = defs.map(|d| {
        d.rows()
            .into_iter()
            .filter(|r| r.traded == Some(true))
            .map(|r| r.industry)
            .filter(|code| t.industries().get(code).is_some())
            .collect()
    });
    let industries = traded.as_ref().map_or(t.industries().len(), |v| v.len());
    let defined = defs.map_or(0, |d| {
        d.clusters.iter().filter(|c| c.traded == Some(true)).count()
    });
    let k = defined.clamp(2, (industries / 2).max(2));
    if industries < 4 {
        return Err(format!(
            "discovery needs at least 4 traded industries in the table ({industries} found)"
        ));
    }
    let d = milieu_map::discover(
        &[t],
        &milieu_map::DiscoverOptions {
            year,
            clusters: k,
            neighbours: 10.min(industries - 1),
            industries: traded.as_deref(),
            ..milieu_map::DiscoverOptions::default()
        },
    )
    .map_err(|e| e.to_string())?;
    Ok(d.clusters
        .into_iter()
        .map(|c| DiscoveredRow {
            cluster: c.cluster,
            size: c.size,
            anchor: c.anchor,
            anchor_name: c.anchor_name,
            cohesion: c.cohesion,
            silhouette: c.silhouette,
            members: c.members,
        })
        .collect())
}

/// What the database holds for cluster mapping: tables, definition sets, hierarchy levels.
#[utoipa::path(get, path = "/api/mapping/tables", tag = "mapping",
    responses((status = 200, body = MappingData), (status = 401, body = WebError)))]
async fn api_tables(
    State(state): State<AppState>,
    _auth: Auth,
) -> Result<Json<MappingData>, WebError> {
    Ok(Json(mapping_data(&state).await?))
}

/// A region's clusters in a year: employment, LQ, growth, stars, classification.
#[utoipa::path(get, path = "/api/mapping/clusters", tag = "mapping", params(MappingQuery),
    responses(
        (status = 200, body = RegionClusters),
        (status = 400, body = WebError),
        (status = 401, body = WebError),
        (status = 404, body = WebError)))]
async fn api_clusters(
    State(state): State<AppState>,
    _auth: Auth,
    Query(q): Query<MappingQuery>,
) -> Result<Json<RegionClusters>, WebError> {
    Ok(Json(region_clusters(&state, &q).await?))
}

/// A bubble of the chart, in SVG coordinates.
#[derive(Serialize)]
struct Bubble {
    cx: f64,
    cy: f64,
    r: f64,
    name: String,
    /// The name cut to fit beside the bubble.
    short: String,
    lq: f64,
    cagr: f64,
    employment: f64,
    strong: bool,
}

#[derive(Serialize)]
struct Tick {
    pos: f64,
    label: String,
}

/// Chart geometry (x = LQ, y = growth, area = employment).
#[derive(Serialize)]
struct Chart {
    width: f64,
    height: f64,
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
    bubbles: Vec<Bubble>,
    x_ticks: Vec<Tick>,
    y_ticks: Vec<Tick>,
    /// x of LQ = 1 and y of zero growth.
    lq_one: f64,
    zero: Option<f64>,
}

fn ticks(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    let span = (hi - lo).max(1e-9);
    let raw = span / n as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| span / s <= n as f64)
        .unwrap_or(10.0 * mag);
    let mut out = Vec::new();
    let mut v = (lo / step).ceil() * step;
    while v <= hi + 1e-9 {
        out.push((v / step).round() * step);
        v += step;
    }
    out
}

fn chart(rows: &[ClusterRow]) -> Option<Chart> {
    let pts: Vec<&ClusterRow> = rows
        .iter()
        .filter(|r| r.lq.is_some_and(f64::is_finite) && r.cagr.is_some_and(f64::is_finite))
        .collect();
    if pts.is_empty() {
        return None;
    }
    let (width, height, left, right, top, bottom) = (680.0, 420.0, 60.0, 660.0, 20.0, 370.0);
    let max_lq = pts
        .iter()
        .filter_map(|r| r.lq)
        .fold(1.0f64, f64::max)
        .max(1.2)
        * 1.1;
    let (mut gmin, mut gmax) = pts
        .iter()
        .filter_map(|r| r.cagr)
        .fold((0.0f64, 0.0f64), |(a, b), g| (a.min(g), b.max(g)));
    let pad = ((gmax - gmin) * 0.1).max(0.01);
    gmin -= pad;
    gmax += pad;
    let max_emp = pts.iter().map(|r| r.employment).fold(0.0f64, f64::max);
    let x = |lq: f64| left + (right - left) * lq / max_lq;
    let y = |g: f64| bottom - (bottom - top) * (g - gmin) / (gmax - gmin);
    let round = |v: f64| (v * 10.0).round() / 10.0;
    let bubbles = pts
        .iter()
        .map(|r| {
            let (lq, g) = (r.lq.unwrap_or(0.0), r.cagr.unwrap_or(0.0));
            Bubble {
                cx: round(x(lq)),
                cy: round(y(g)),
                r: round(if max_emp > 0.0 {
                    3.0 + 27.0 * (r.employment / max_emp).sqrt()
                } else {
                    3.0
                }),
                name: r.name.clone(),
                short: if r.name.chars().count() > 28 {
                    format!("{}…", r.name.chars().take(27).collect::<String>())
                } else {
                    r.name.clone()
                },
                lq,
                cagr: g,
                employment: r.employment,
                strong: r.strong == Some(true),
            }
        })
        .collect();
    Some(Chart {
        width,
        height,
        left,
        right,
        top,
        bottom,
        bubbles,
        x_ticks: ticks(0.0, max_lq, 6)
            .into_iter()
            .map(|v| Tick {
                pos: round(x(v)),
                label: format!("{v:.1}"),
            })
            .collect(),
        y_ticks: ticks(gmin, gmax, 5)
            .into_iter()
            .map(|v| Tick {
                pos: round(y(v)),
                // (+ 0.0 turns -0.0 into 0.0.)
                label: format!("{:.1}%", v * 100.0 + 0.0),
            })
            .collect(),
        lq_one: round(x(1.0)),
        zero: (gmin < 0.0 && gmax > 0.0).then(|| round(y(0.0))),
    })
}

async fn page(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<MappingQuery>,
) -> Result<Html<String>, WebError> {
    let data = mapping_data(&state).await?;
    if data.tables.is_empty() || data.definition_sets.is_empty() {
        return state.render(
            Some(&auth),
            "mapping",
            "mapping/index.html",
            context! { data => &data, result => (), chart => () },
        );
    }
    let result = match region_clusters(&state, &q).await {
        Ok(r) => r,
        // A default the rules cannot decide (several tables or definition sets, none named):
        // the page says so above its chooser instead of an error page.
        Err(e) if e.status() == axum::http::StatusCode::BAD_REQUEST && q.is_default() => {
            return state.render(
                Some(&auth),
                "mapping",
                "mapping/index.html",
                context! { data => &data, result => (), chart => (), choose => e.message },
            );
        }
        Err(e) => return Err(e),
    };
    let chart = chart(&result.clusters);
    let report_query = report_query(&result);
    state.render(
        Some(&auth),
        "mapping",
        "mapping/index.html",
        context! {
            data => &data,
            result => &result,
            chart => chart,
            report_query => report_query,
        },
    )
}

fn report_query(r: &RegionClusters) -> String {
    let enc = crate::auth::url_encode;
    let mut q = format!(
        "table={}&definitions={}&year={}&region={}",
        enc(&r.table),
        enc(&r.definitions),
        r.year,
        enc(&r.region)
    );
    if let Some(l) = &r.level {
        q.push_str(&format!("&level={}", enc(l)));
    }
    q
}

/// The `milieu map report` page for a region.
async fn report_page(
    State(state): State<AppState>,
    _auth: Auth,
    Query(q): Query<MappingQuery>,
) -> Result<Html<String>, WebError> {
    let p = prepare(&state, &q).await?;
    let defs = p
        .loaded
        .definitions
        .as_ref()
        .ok_or_else(|| WebError::bad_input("the report needs a definition set"))?;
    let html = milieu_map::report_html(
        &p.loaded.table,
        &milieu_map::ReportOptions {
            region: p.region.clone(),
            year: p.year,
            from_year: p.from_year,
            definitions: defs,
            base: milieu_map::Base::TradedLocal,
            benchmark: milieu_map::Benchmark::AllRegions,
            weights: milieu_map::Weights::default(),
            organised_actors: p.counts.as_ref(),
            traded_only: true,
            top: 15,
        },
    )
    .map_err(milieu_app::map::map_error)?;
    Ok(Html(html))
}
