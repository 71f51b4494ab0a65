//! The organisation directory: search over the in-memory snapshot (kind, sector prefix, region,
//! size, words), a page at a time, as JSON and as the list page.

use super::{page_request, query};
use crate::auth::Auth;
use crate::routes::given;
use crate::routes::paging::paged;
use crate::{AppState, WebError};
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::Html;
use milieu_app::access::View;
use milieu_model::{OrgKind, Organisation, SizeClass, Vocabulary};
use minijinja::context;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Filters of the organisation list. Every filter is optional; empty values are ignored.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrgQuery {
    /// Words to find (all of them, case-insensitive) in the name, id, description, offers,
    /// requests or keywords.
    pub q: Option<String>,
    /// Organisation kind: firm, university, research_institute, agency, investor,
    /// association, other.
    pub kind: Option<String>,
    /// Sector code prefix: `33` or `naics:33` (NAICS), `C26` or `nace:C26` (NACE).
    pub sector: Option<String>,
    /// Region code (exact, case-insensitive).
    pub region: Option<String>,
    /// Country code (exact, case-insensitive).
    pub country: Option<String>,
    /// Size class: micro, small, medium, large (from the headcount when known).
    pub size: Option<String>,
    /// Page (1-based; default 1).
    pub page: Option<String>,
    /// Rows per page (default 50, at most 1000; `limit` is the older spelling).
    #[serde(alias = "limit")]
    pub per_page: Option<usize>,
    /// Older spelling of the page: the first row to show, from 0.
    pub offset: Option<usize>,
}

fn sector_matches(o: &Organisation, prefix: &str) -> bool {
    let p = prefix.to_lowercase();
    o.sectors.iter().any(|s| {
        s.code.to_lowercase().starts_with(&p) || s.to_string().to_lowercase().starts_with(&p)
    })
}

fn text_matches(o: &Organisation, terms: &[String]) -> bool {
    if terms.is_empty() {
        return true;
    }
    let mut hay = String::with_capacity(
        o.name.len() + o.description.len() + o.offers.len() + o.requests.len() + 64,
    );
    for part in [
        o.name.as_str(),
        o.id.as_str(),
        &o.description,
        &o.offers,
        &o.requests,
    ] {
        hay.push_str(part);
        hay.push('\n');
    }
    for k in &o.keywords {
        hay.push_str(k);
        hay.push('\n');
    }
    let hay = hay.to_lowercase();
    terms.iter().all(|t| hay.contains(t.as_str()))
}

/// The organisations matching `q`, sorted by name (then id).
fn search<'a>(view: &View<'a>, q: &OrgQuery) -> Vec<&'a Organisation> {
    let terms: Vec<String> = given(&q.q)
        .map(|t| t.split_whitespace().map(str::to_lowercase).collect())
        .unwrap_or_default();
    let kind = given(&q.kind);
    let sector = given(&q.sector);
    let region = given(&q.region);
    let country = given(&q.country);
    let size = given(&q.size);
    let mut out: Vec<&Organisation> = view
        .organisations()
        .iter()
        .filter(|o| kind.is_none_or(|k| o.kind.as_str() == k))
        .filter(|o| size.is_none_or(|s| o.effective_size_class().is_some_and(|c| c.as_str() == s)))
        .filter(|o| {
            region.is_none_or(|r| {
                o.region
                    .as_deref()
                    .is_some_and(|x| x.eq_ignore_ascii_case(r))
            })
        })
        .filter(|o| {
            country.is_none_or(|c| {
                o.country
                    .as_deref()
                    .is_some_and(|x| x.eq_ignore_ascii_case(c))
            })
        })
        .filter(|o| sector.is_none_or(|s| sector_matches(o, s)))
        .filter(|o| text_matches(o, &terms))
        .collect();
    out.sort_by_cached_key(|o| (o.name.to_lowercase(), o.id.to_string()));
    out
}

/// A page of organisations.
#[derive(Serialize, ToSchema)]
pub struct OrgPage {
    /// How many organisations match (all pages).
    pub total: usize,
    /// This page, sorted by name (milieu-model `Organisation` records).
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<Organisation>,
}

/// Search the organisations (every account sees the directory).
#[utoipa::path(get, path = "/api/orgs", tag = "organisations", params(OrgQuery),
    responses((status = 200, body = OrgPage), (status = 400, body = WebError), (status = 401, body = WebError)))]
pub(super) async fn api_orgs(
    State(state): State<AppState>,
    auth: Auth,
    q: Result<Query<OrgQuery>, QueryRejection>,
) -> Result<Json<OrgPage>, WebError> {
    let q = query(q)?;
    let snap = state.snapshot().await?;
    let view = snap.view(&auth.principal);
    let found = search(&view, &q);
    let p = paged(found, &page_request(&q.page, q.per_page, q.offset));
    Ok(Json(OrgPage {
        total: p.total,
        items: p.items.into_iter().cloned().collect(),
    }))
}

fn distinct(values: impl Iterator<Item = String>) -> Vec<String> {
    let mut v: Vec<String> = values.filter(|s| !s.is_empty()).collect();
    v.sort();
    v.dedup();
    v
}

pub(super) async fn list_page(
    State(state): State<AppState>,
    auth: Auth,
    q: Result<Query<OrgQuery>, QueryRejection>,
) -> Result<Html<String>, WebError> {
    let q = query(q)?;
    let snap = state.snapshot().await?;
    let view = snap.view(&auth.principal);
    let found = search(&view, &q);
    let p = paged(found, &page_request(&q.page, q.per_page, q.offset));
    let rows: Vec<_> = p
        .items
        .iter()
        .map(|o| {
            context! {
                id => o.id.as_str(),
                name => &o.name,
                kind => o.kind.as_str(),
                sectors => o.sectors.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
                region => &o.region,
                country => &o.country,
                size => o.effective_size_class().map(|s| s.as_str()),
                employees => o.employees,
            }
        })
        .collect();
    let orgs = view.organisations();
    let params = [
        ("q", given(&q.q)),
        ("kind", given(&q.kind)),
        ("sector", given(&q.sector)),
        ("region", given(&q.region)),
        ("country", given(&q.country)),
        ("size", given(&q.size)),
    ];
    state.render(
        Some(&auth),
        "orgs",
        "orgs/list.html",
        context! {
            rows => rows,
            q => context! {
                q => given(&q.q), kind => given(&q.kind), sector => given(&q.sector),
                region => given(&q.region), country => given(&q.country), size => given(&q.size),
            },
            kinds => OrgKind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
            sizes => SizeClass::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
            regions => distinct(orgs.iter().filter_map(|o| o.region.clone())),
            countries => distinct(orgs.iter().filter_map(|o| o.country.clone())),
            pager => p.pager("/orgs", &params),
        },
    )
}
