//! Opportunities: the list (deadline, kind, eligibility), one opportunity with the members it
//! is routed to (milieu-match routing), and a member's digest.
//!
//! Routing results are leads: the team sees every routed member with the reasons; a member
//! sees only whether and why the opportunity fits itself (computed for its organisation
//! alone); a funder sees the opportunity without routing.

use super::given;
use super::matches::leads_org;
use super::paging::{PageRequest, paged, query_string};
use crate::auth::Auth;
use crate::{ApiRouter, AppState, WebError};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use milieu_app::access::{Role, View};
use milieu_app::matching::Matcher;
use milieu_match::{ContextOptions, OpportunityMatch, RouteOptions};
use milieu_model::{Opportunity, OpportunityKind, Vocabulary};
use minijinja::context;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::routes;

pub fn router() -> ApiRouter {
    ApiRouter::new()
        .route("/opportunities", axum::routing::get(list_page))
        .route("/opportunities/digest", axum::routing::get(digest_page))
        .route("/opportunities/{id}", axum::routing::get(detail_page))
        .routes(routes!(api_list))
        .routes(routes!(api_digest))
        .routes(routes!(api_detail))
}

/// Filters of the opportunity list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OpportunityFilter {
    /// call, tender, trade_mission, buyer_request or partner_request.
    pub kind: Option<String>,
    /// Words to find in the title or text.
    pub text: Option<String>,
    /// `true`: only those whose deadline is today or later (or have none).
    pub open: Option<String>,
    /// Page (1-based), 50 each.
    pub page: Option<String>,
    /// Rows per page (default 50, at most 1000; `limit` is the older spelling).
    #[serde(alias = "limit")]
    pub per_page: Option<usize>,
}

/// An opportunity as lists show it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OpportunityRow {
    pub id: String,
    pub kind: String,
    pub title: String,
    pub deadline: Option<String>,
    /// Whether the deadline is today or later (or there is none).
    pub open: bool,
    /// Who may apply, in words ("open to everyone" when unrestricted).
    pub eligibility: String,
    pub countries: Vec<String>,
    pub sectors: Vec<String>,
}

/// A page of opportunities.
#[derive(Debug, Serialize, ToSchema)]
pub struct OpportunityList {
    pub total: usize,
    pub page: usize,
    pub pages: usize,
    pub opportunities: Vec<OpportunityRow>,
}

fn eligibility(o: &Opportunity) -> String {
    let e = &o.eligibility;
    let mut parts = Vec::new();
    let join = |v: Vec<String>| v.join(", ");
    if !e.kinds.is_empty() {
        parts.push(format!(
            "kinds: {}",
            join(e.kinds.iter().map(|k| k.to_string()).collect())
        ));
    }
    if !e.size_classes.is_empty() {
        parts.push(format!(
            "sizes: {}",
            join(e.size_classes.iter().map(|k| k.to_string()).collect())
        ));
    }
    if !e.countries.is_empty() {
        parts.push(format!("countries: {}", e.countries.join(", ")));
    }
    if !e.sectors.is_empty() {
        parts.push(format!(
            "sectors: {}",
            join(e.sectors.iter().map(|k| k.to_string()).collect())
        ));
    }
    if parts.is_empty() {
        "open to everyone".into()
    } else {
        parts.join("; ")
    }
}

fn row(o: &Opportunity) -> OpportunityRow {
    let today = milieu_app::matching::today();
    OpportunityRow {
        id: o.id.to_string(),
        kind: o.kind.to_string(),
        title: o.title.clone(),
        deadline: o.deadline.map(|d| d.to_string()),
        open: o.deadline.is_none_or(|d| d >= today),
        eligibility: eligibility(o),
        countries: o.countries.clone(),
        sectors: o.sectors.iter().map(|s| s.to_string()).collect(),
    }
}

fn list(view: &View, f: &OpportunityFilter) -> Result<OpportunityList, WebError> {
    let kind = match given(&f.kind) {
        Some(k) => Some(OpportunityKind::parse(k).map_err(WebError::from)?),
        None => None,
    };
    let words: Vec<String> = given(&f.text)
        .map(|t| {
            t.to_lowercase()
                .split_whitespace()
                .map(String::from)
                .collect()
        })
        .unwrap_or_default();
    let only_open = matches!(given(&f.open), Some("true" | "1" | "on" | "yes"));
    let mut rows: Vec<OpportunityRow> = view
        .opportunities()
        .iter()
        .filter(|o| kind.is_none_or(|k| o.kind == k))
        .filter(|o| {
            let hay = format!("{} {}", o.title, o.text).to_lowercase();
            words.iter().all(|w| hay.contains(w.as_str()))
        })
        .map(row)
        .filter(|r| !only_open || r.open)
        .collect();
    rows.sort_by(|a, b| b.deadline.cmp(&a.deadline).then_with(|| a.id.cmp(&b.id)));
    let p = paged(
        rows,
        &PageRequest::new(f.page.as_deref(), f.per_page, None, 50),
    );
    Ok(OpportunityList {
        total: p.total,
        page: p.page,
        pages: p.pages,
        opportunities: p.items,
    })
}

/// Opportunities, latest deadline first.
#[utoipa::path(get, path = "/api/opportunities", tag = "opportunities", params(OpportunityFilter),
    responses((status = 200, body = OpportunityList), (status = 400, body = WebError)))]
async fn api_list(
    State(state): State<AppState>,
    auth: Auth,
    Query(f): Query<OpportunityFilter>,
) -> Result<Json<OpportunityList>, WebError> {
    let snap = state.snapshot().await?;
    let view = snap.view(&auth.principal);
    Ok(Json(list(&view, &f)?))
}

async fn list_page(
    State(state): State<AppState>,
    auth: Auth,
    Query(f): Query<OpportunityFilter>,
) -> Result<Html<String>, WebError> {
    let snap = state.snapshot().await?;
    let view = snap.view(&auth.principal);
    let l = list(&view, &f)?;
    let base = query_string(&[
        ("kind", given(&f.kind)),
        ("text", given(&f.text)),
        ("open", given(&f.open)),
    ]);
    state.render(
        Some(&auth),
        "opportunities",
        "opportunities/list.html",
        context! {
            list => l,
            kinds => OpportunityKind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
            filter => context! { kind => given(&f.kind), text => given(&f.text), open => given(&f.open).is_some() },
            base => base,
            is_member => auth.role() == Role::Member,
        },
    )
}

/// A member an opportunity is routed to, and why.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RoutedRow {
    pub org: String,
    pub org_name: String,
    pub rank: u32,
    pub score: f64,
    /// Eligibility rules met and fit reasons.
    pub reasons: String,
}

impl From<OpportunityMatch> for RoutedRow {
    fn from(m: OpportunityMatch) -> Self {
        RoutedRow {
            org: m.org,
            org_name: m.org_name,
            rank: m.rank,
            score: m.score,
            reasons: m.reasons,
        }
    }
}

/// Whether an opportunity fits the member asking.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OwnFit {
    pub org: String,
    /// Whether routing sends it to this member.
    pub routed: bool,
    pub eligible: bool,
    pub score: Option<f64>,
    /// Rules met and fit reasons.
    pub reasons: String,
    /// Rules not met.
    pub failed: String,
    /// Rules the registry cannot check for this member.
    pub unchecked: String,
}

/// One opportunity; `routed` for the team, `mine` for a member, neither for a funder.
#[derive(Debug, Serialize, ToSchema)]
pub struct OpportunityDetail {
    pub opportunity: OpportunityRow,
    pub text: String,
    pub url: Option<String>,
    /// Every member it is routed to (the team only).
    pub routed: Option<Vec<RoutedRow>>,
    /// Whether and why it fits the member's own organisation (members only).
    pub mine: Option<OwnFit>,
}

fn matcher<'a>(view: &View<'a>) -> Result<Matcher<'a>, WebError> {
    // The engine applies the account's rule to what it reads.
    Ok(Matcher::for_view(view, &ContextOptions::default())?)
}

fn detail(view: &View, auth: &Auth, id: &str) -> Result<OpportunityDetail, WebError> {
    let o = view
        .opportunities()
        .iter()
        .find(|o| o.id.as_str() == id)
        .ok_or_else(|| WebError::not_found(format!("opportunity {id:?}")))?;
    let (mut routed, mut mine) = (None, None);
    match auth.role() {
        Role::Funder => {}
        Role::Member => {
            if let Some(me) = auth.org() {
                let m = matcher(view)?;
                // Routing for this member alone: its digest, every opportunity (closed ones
                // included, so the page explains past ones too).
                let opts = RouteOptions {
                    top: 0,
                    ..RouteOptions::default()
                };
                let digest = m.digest(me.as_str(), &opts)?;
                let hit = digest.into_iter().find(|d| d.opportunity == id);
                let e = m.explain_opportunity(id, me.as_str(), false)?;
                mine = Some(OwnFit {
                    org: me.to_string(),
                    routed: hit.is_some(),
                    eligible: e.eligible,
                    score: hit.as_ref().map(|h| h.score).or(e.score),
                    reasons: hit.map(|h| h.reasons).unwrap_or(e.reasons),
                    failed: e.failed,
                    unchecked: e.unchecked,
                });
            }
        }
        _ => {
            let m = matcher(view)?;
            let opts = RouteOptions {
                opportunity: Some(id.to_string()),
                top: 0,
                ..RouteOptions::default()
            };
            routed = Some(
                m.opportunities(&opts)?
                    .into_iter()
                    .map(RoutedRow::from)
                    .collect(),
            );
        }
    }
    Ok(OpportunityDetail {
        opportunity: row(o),
        text: o.text.clone(),
        url: o.url.clone(),
        routed,
        mine,
    })
}

/// One opportunity with its routing as the account may see it.
#[utoipa::path(get, path = "/api/opportunities/{id}", tag = "opportunities",
    params(("id" = String, Path, description = "Opportunity id")),
    responses((status = 200, body = OpportunityDetail), (status = 404, body = WebError)))]
async fn api_detail(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<OpportunityDetail>, WebError> {
    let snap = state.snapshot().await?;
    let view = snap.view(&auth.principal);
    Ok(Json(detail(&view, &auth, &id)?))
}

async fn detail_page(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Html<String>, WebError> {
    let snap = state.snapshot().await?;
    let view = snap.view(&auth.principal);
    let d = detail(&view, &auth, &id)?;
    state.render(
        Some(&auth),
        "opportunities",
        "opportunities/detail.html",
        context! { d => d },
    )
}

/// Whose digest and as of when.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DigestQuery {
    /// The member (members: their own, the default; the team: required).
    pub org: Option<String>,
    /// Leave out opportunities whose deadline is before this date (default: today).
    pub today: Option<String>,
    /// `true`: closed opportunities too.
    pub include_closed: Option<String>,
    /// Opportunities at most (default 20).
    pub top: Option<String>,
}

/// A member's digest: the open opportunities that fit it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Digest {
    pub org: String,
    pub org_name: String,
    /// The date deadlines were compared with (none: closed ones included).
    pub today: Option<String>,
    pub opportunities: Vec<DigestRow>,
}

/// One opportunity of a digest.
#[derive(Debug, Serialize, ToSchema)]
pub struct DigestRow {
    pub opportunity: String,
    pub title: String,
    pub kind: String,
    pub rank: u32,
    pub score: f64,
    pub reasons: String,
}

fn digest(view: &View, auth: &Auth, q: &DigestQuery) -> Result<Option<Digest>, WebError> {
    let Some(org) = leads_org(auth, given(&q.org))? else {
        return Ok(None);
    };
    if view.organisation(&org).is_none() {
        return Err(WebError::not_found(format!("organisation {org:?}")));
    }
    let include_closed = matches!(given(&q.include_closed), Some("true" | "1" | "on" | "yes"));
    let today = match (given(&q.today), include_closed) {
        (_, true) => None,
        (Some(d), false) => Some(milieu_model::parse_date(d).ok_or_else(|| {
            WebError::bad_input(format!("today {d:?}: expected a date YYYY-MM-DD"))
        })?),
        (None, false) => Some(milieu_app::matching::today()),
    };
    let top = match given(&q.top) {
        Some(t) => t
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=100).contains(n))
            .ok_or_else(|| WebError::bad_input(format!("top {t:?}: expected 1 to 100")))?,
        None => 20,
    };
    let m = matcher(view)?;
    let opts = RouteOptions {
        top,
        today,
        ..RouteOptions::default()
    };
    let rows = m.digest(&org, &opts)?;
    Ok(Some(Digest {
        org_name: super::org_name(view, &org),
        org,
        today: today.map(|d| d.to_string()),
        opportunities: rows
            .into_iter()
            .map(|r| DigestRow {
                opportunity: r.opportunity,
                title: r.opportunity_title,
                kind: r.kind.to_string(),
                rank: r.rank,
                score: r.score,
                reasons: r.reasons,
            })
            .collect(),
    }))
}

/// A member's digest of open opportunities that fit it (members: their own; the team: any;
/// funders: 403).
#[utoipa::path(get, path = "/api/opportunities/digest", tag = "opportunities", params(DigestQuery),
    responses((status = 200, body = Digest), (status = 400, body = WebError), (status = 403, body = WebError), (status = 404, body = WebError)))]
async fn api_digest(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<DigestQuery>,
) -> Result<Json<Digest>, WebError> {
    let snap = state.snapshot().await?;
    let view = snap.view(&auth.principal);
    digest(&view, &auth, &q)?
        .map(Json)
        .ok_or_else(|| WebError::bad_input("give the member: ?org=ID"))
}

async fn digest_page(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<DigestQuery>,
) -> Result<Html<String>, WebError> {
    let snap = state.snapshot().await?;
    let view = snap.view(&auth.principal);
    let d = digest(&view, &auth, &q)?;
    state.render(
        Some(&auth),
        "opportunities",
        "opportunities/digest.html",
        context! {
            d => d,
            is_staff => auth.principal.is_staff(),
            org => given(&q.org),
            today => given(&q.today),
            include_closed => given(&q.include_closed).is_some(),
        },
    )
}
