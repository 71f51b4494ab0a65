//! Partner suggestions with their reasons, and introductions: brokers introduce from a
//! suggestion (the same use case as `milieu introduce`), members ask the cluster team for one
//! (a `proposed` introduction for their own organisation), the team updates their status.
//!
//! Matching runs for the account ([`milieu_app::matching::Matcher::for_view`]),
//! so a member's suggestions lean only on what that member may see; a member gets suggestions
//! for its own organisation only, funders none (suggestions are leads).

use super::given;
use super::org_name;
use super::paging::{PageRequest, paged, query_string};
use crate::auth::Auth;
use crate::{ApiRouter, AppState, WebError};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use milieu_app::access::{Role, View};
use milieu_app::matching::{IntroduceRequest, Matcher};
use milieu_io::{Located, Position};
use milieu_match::{ContextOptions, PartnerOptions, Purpose};
use milieu_model::{IntroductionStatus, Visibility, Vocabulary};
use minijinja::context;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::routes;

pub fn router() -> ApiRouter {
    use axum::routing::{get, post};
    ApiRouter::new()
        .route("/matches", get(matches_page))
        .route(
            "/introductions",
            get(introductions_page).post(introduce_form),
        )
        .route("/introductions/{id}/status", post(status_form))
        .routes(routes!(api_matches))
        .routes(routes!(api_introductions, api_introduce))
        .routes(routes!(api_status))
}

/// Whose suggestions, for what.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MatchQuery {
    /// The organisation to suggest partners for (members: their own, the default).
    pub org: Option<String>,
    /// alliance (default), suppliers, customers, rnd, leads, ... (milieu-match purposes).
    pub purpose: Option<String>,
    /// Suggestions to return (1 to 50, default 10).
    pub top: Option<String>,
    /// Pages only: the organisation just introduced (for the page's notice).
    pub introduced: Option<String>,
}

/// A partner suggestion with the reasons behind it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SuggestionRow {
    pub rank: u32,
    pub candidate: String,
    pub candidate_name: String,
    pub score: f64,
    /// The reasons of the parts that contribute, largest first.
    pub reasons: Vec<String>,
    /// The mutual contact for a warm introduction (empty if none).
    pub via: String,
    pub via_name: String,
    /// `org > via > candidate`, empty if none.
    pub path: String,
}

/// Suggestions for one organisation.
#[derive(Debug, Serialize, ToSchema)]
pub struct Suggestions {
    pub org: String,
    pub org_name: String,
    pub purpose: String,
    pub suggestions: Vec<SuggestionRow>,
}

/// The organisation whose leads the account asks for: members their own (another is 403),
/// the team any (required), funders none.
pub(crate) fn leads_org(auth: &Auth, asked: Option<&str>) -> Result<Option<String>, WebError> {
    match auth.role() {
        Role::Funder => Err(WebError::forbidden(
            "suggestions and routed opportunities are leads of members: a funder account sees public records and aggregates",
        )),
        Role::Member => {
            let me = auth.org().ok_or_else(|| {
                WebError::forbidden("this member account acts for no organisation")
            })?;
            match asked {
                Some(o) if o != me.as_str() => Err(WebError::forbidden(
                    "a member account sees its own organisation's leads only",
                )),
                _ => Ok(Some(me.to_string())),
            }
        }
        _ => Ok(asked.map(String::from)),
    }
}

fn purpose_of(q: &Option<String>) -> Result<Purpose, WebError> {
    Purpose::parse(given(q).unwrap_or("alliance")).map_err(WebError::from)
}

fn suggestions(
    view: &View,
    org: &str,
    purpose: Purpose,
    top: usize,
) -> Result<Suggestions, WebError> {
    if view.organisation(org).is_none() {
        return Err(WebError::not_found(format!("organisation {org:?}")));
    }
    // The engine applies the account's viewer to what it reads (module docs).
    let matcher = Matcher::for_view(view, &ContextOptions::default())?;
    let opts = PartnerOptions {
        purpose,
        top,
        explain: true,
        ..PartnerOptions::default()
    };
    let rows = matcher.partners(org, &opts, true)?;
    let suggestions = rows
        .into_iter()
        .map(|r| {
            let mut parts: Vec<_> = r
                .parts
                .iter()
                .filter(|p| p.contribution > 0.0 && !p.reason.is_empty())
                .collect();
            parts.sort_by(|a, b| b.contribution.total_cmp(&a.contribution));
            let mut reasons: Vec<String> = parts.into_iter().map(|p| p.reason.clone()).collect();
            let s = r.suggestion;
            if let Some(at) = s.explanation.find("cross-cluster: ") {
                reasons.push(s.explanation[at..].to_string());
            }
            SuggestionRow {
                rank: s.rank,
                via_name: if s.via.is_empty() {
                    String::new()
                } else {
                    org_name(view, &s.via)
                },
                candidate: s.candidate,
                candidate_name: s.candidate_name,
                score: s.score,
                reasons,
                via: s.via,
                path: s.path,
            }
        })
        .collect();
    Ok(Suggestions {
        org: org.to_string(),
        org_name: org_name(view, org),
        purpose: purpose.to_string(),
        suggestions,
    })
}

fn top_of(q: &Option<String>) -> Result<usize, WebError> {
    match given(q) {
        Some(t) => match t.parse::<usize>() {
            Ok(n @ 1..=50) => Ok(n),
            _ => Err(WebError::bad_input(format!(
                "top {t:?}: expected a number from 1 to 50"
            ))),
        },
        None => Ok(10),
    }
}

/// Partner suggestions with their reasons (members: their own organisation; the team: any;
/// funders: 403).
#[utoipa::path(get, path = "/api/matches", tag = "matches", params(MatchQuery),
    responses((status = 200, body = Suggestions), (status = 400, body = WebError), (status = 403, body = WebError), (status = 404, body = WebError)))]
async fn api_matches(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<MatchQuery>,
) -> Result<Json<Suggestions>, WebError> {
    let org = leads_org(&auth, given(&q.org))?
        .ok_or_else(|| WebError::bad_input("give the organisation: ?org=ID"))?;
    let purpose = purpose_of(&q.purpose)?;
    let top = top_of(&q.top)?;
    let snap = state.snapshot().await?;
    let view = snap.view(&auth.principal);
    Ok(Json(suggestions(&view, &org, purpose, top)?))
}

async fn matches_page(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<MatchQuery>,
) -> Result<Html<String>, WebError> {
    let org = leads_org(&auth, given(&q.org))?;
    let purpose = purpose_of(&q.purpose)?;
    let top = top_of(&q.top)?;
    let snap = state.snapshot().await?;
    let view = snap.view(&auth.principal);
    let result = match &org {
        Some(o) => Some(suggestions(&view, o, purpose, top)?),
        None => None,
    };
    let notice = given(&q.introduced).map(|to| {
        let name = org_name(&view, to);
        if auth.principal.is_staff() {
            format!("Introduction to {name} recorded.")
        } else {
            format!("Your request for an introduction to {name} was sent to the cluster team.")
        }
    });
    state.render(
        Some(&auth),
        "matches",
        "matches/list.html",
        context! {
            result => result,
            org => org,
            purposes => Purpose::ALL.iter().map(|p| p.to_string()).collect::<Vec<_>>(),
            purpose => purpose.to_string(),
            top => top,
            notice => notice,
            is_staff => auth.principal.is_staff(),
        },
    )
}

// ---------------------------------------------------------------------------------------------
// Introductions.

/// An introduction to make (the team) or to ask for (a member, for its own organisation).
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewIntroduction {
    /// The organisation introduced (members: their own, the default).
    #[serde(default)]
    pub from: Option<String>,
    /// The organisation it is introduced to.
    pub to: String,
    /// A mutual contact.
    #[serde(default)]
    pub via: Option<String>,
    /// The matching purpose the pair was suggested for (its rank is recorded in the note).
    #[serde(default)]
    pub purpose: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// An introduction as the account may see it, with what came of it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IntroductionRow {
    pub id: String,
    pub from: String,
    pub from_name: String,
    pub to: String,
    pub to_name: String,
    pub via: Option<String>,
    pub via_name: Option<String>,
    pub date: String,
    /// proposed, made, met, declined or closed.
    pub status: String,
    pub visibility: String,
    pub note: String,
    /// Kinds of the outcomes recorded for it that the account may see.
    pub outcomes: Vec<String>,
}

fn introduction_row(
    view: &View,
    x: &milieu_model::Introduction,
    outcomes: &HashMap<String, Vec<String>>,
) -> IntroductionRow {
    IntroductionRow {
        id: x.id.to_string(),
        from: x.from.to_string(),
        from_name: org_name(view, x.from.as_str()),
        to: x.to.to_string(),
        to_name: org_name(view, x.to.as_str()),
        via: x.via.as_ref().map(|v| v.to_string()),
        via_name: x.via.as_ref().map(|v| org_name(view, v.as_str())),
        date: x.date.to_string(),
        status: x.status.to_string(),
        visibility: x.visibility.to_string(),
        note: x.note.clone(),
        outcomes: outcomes.get(x.id.as_str()).cloned().unwrap_or_default(),
    }
}

async fn introduce(
    state: &AppState,
    auth: &Auth,
    body: &NewIntroduction,
) -> Result<IntroductionRow, WebError> {
    let staff = auth.principal.can_broker();
    let (from, status, purpose) = match auth.role() {
        Role::Funder => {
            return Err(WebError::forbidden(
                "a funder account may not make or ask for introductions",
            ));
        }
        Role::Member => {
            let me = auth.org().ok_or_else(|| {
                WebError::forbidden("this member account acts for no organisation")
            })?;
            if given(&body.from).is_some_and(|f| f != me.as_str()) {
                return Err(WebError::forbidden(
                    "a member account asks for introductions for its own organisation only",
                ));
            }
            // A member's request is ranked by nobody: the team makes the introduction.
            (me.to_string(), IntroductionStatus::Proposed, None)
        }
        _ => {
            let from = given(&body.from)
                .ok_or_else(|| WebError::bad_input("give the organisation introduced (from)"))?;
            let purpose = match given(&body.purpose) {
                Some(p) => Some(Purpose::parse(p).map_err(WebError::from)?),
                None => None,
            };
            (from.to_string(), IntroductionStatus::Made, purpose)
        }
    };
    debug_assert!(staff || status == IntroductionStatus::Proposed);
    let to = body.to.trim().to_string();
    let via = given(&body.via)
        .filter(|v| *v != from && *v != to)
        .map(String::from);
    let note = given(&body.note).map(String::from).unwrap_or_else(|| {
        if staff {
            "introduced from the matches page".to_string()
        } else {
            "asked for by the member on the matches page".to_string()
        }
    });
    let request = IntroduceRequest {
        id: None,
        from,
        to,
        via,
        broker: None,
        date: milieu_app::matching::today(),
        status,
        visibility: Visibility::Staff,
        note,
        purpose,
    };
    let x = milieu_app::matching::introduce(state.store(), &request).await?;
    let snap = state.snapshot().await?;
    let view = snap.view(&auth.principal);
    Ok(introduction_row(&view, &x, &HashMap::new()))
}

/// Make an introduction (the team: status `made`) or ask the cluster team for one (a member,
/// for its own organisation: status `proposed`).
#[utoipa::path(post, path = "/api/introductions", tag = "matches", request_body = NewIntroduction,
    responses((status = 201, body = IntroductionRow), (status = 400, body = WebError), (status = 403, body = WebError)))]
async fn api_introduce(
    State(state): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Json(body): Json<NewIntroduction>,
) -> Result<(StatusCode, Json<IntroductionRow>), WebError> {
    auth.check_csrf_header(&headers)?;
    Ok((
        StatusCode::CREATED,
        Json(introduce(&state, &auth, &body).await?),
    ))
}

#[derive(Deserialize)]
struct IntroduceFormData {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    to: String,
    #[serde(default)]
    via: Option<String>,
    #[serde(default)]
    purpose: Option<String>,
    #[serde(default)]
    note: Option<String>,
}

async fn introduce_form(
    State(state): State<AppState>,
    auth: Auth,
    axum::Form(form): axum::Form<IntroduceFormData>,
) -> Result<Response, WebError> {
    auth.check_csrf(Some(&form.csrf))?;
    let body = NewIntroduction {
        from: form.from,
        to: form.to,
        via: form.via,
        purpose: form.purpose.clone(),
        note: form.note,
    };
    let x = introduce(&state, &auth, &body).await?;
    let back = query_string(&[
        ("org", Some(x.from.as_str())),
        ("purpose", given(&form.purpose)),
        ("introduced", Some(x.to.as_str())),
    ]);
    Ok(Redirect::to(&format!("/matches?{back}")).into_response())
}

/// Filter of the introduction list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IntroductionQuery {
    /// Only this status.
    pub status: Option<String>,
    /// Only introductions of this organisation (from, to or via).
    pub org: Option<String>,
    /// Page (1-based), 100 each.
    pub page: Option<String>,
    /// Rows per page (default 100, at most 1000; `limit` is the older spelling).
    #[serde(alias = "limit")]
    pub per_page: Option<usize>,
}

/// A page of introductions.
#[derive(Debug, Serialize, ToSchema)]
pub struct IntroductionList {
    pub total: usize,
    pub page: usize,
    pub pages: usize,
    pub introductions: Vec<IntroductionRow>,
}

fn introductions(view: &View, q: &IntroductionQuery) -> Result<IntroductionList, WebError> {
    let status = match given(&q.status) {
        Some(s) => Some(IntroductionStatus::parse(s).map_err(WebError::from)?),
        None => None,
    };
    let mut outcomes: HashMap<String, Vec<String>> = HashMap::new();
    for o in view.outcomes() {
        if let Some(i) = &o.introduction {
            outcomes
                .entry(i.to_string())
                .or_default()
                .push(o.kind.to_string());
        }
    }
    let mut list: Vec<&milieu_model::Introduction> = match given(&q.org) {
        Some(org) => view.introductions_of(org),
        None => view.introductions().collect(),
    };
    list.retain(|x| status.is_none_or(|s| x.status == s));
    list.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.id.cmp(&b.id)));
    let p = paged(
        list,
        &PageRequest::new(q.page.as_deref(), q.per_page, None, 100),
    );
    Ok(IntroductionList {
        total: p.total,
        page: p.page,
        pages: p.pages,
        introductions: p
            .items
            .into_iter()
            .map(|x| introduction_row(view, x, &outcomes))
            .collect(),
    })
}

/// The introductions the account may see, newest first, with their outcomes.
#[utoipa::path(get, path = "/api/introductions", tag = "matches", params(IntroductionQuery),
    responses((status = 200, body = IntroductionList), (status = 400, body = WebError)))]
async fn api_introductions(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<IntroductionQuery>,
) -> Result<Json<IntroductionList>, WebError> {
    let snap = state.snapshot().await?;
    let view = snap.view(&auth.principal);
    Ok(Json(introductions(&view, &q)?))
}

async fn introductions_page(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<IntroductionQuery>,
) -> Result<Html<String>, WebError> {
    let snap = state.snapshot().await?;
    let view = snap.view(&auth.principal);
    let list = introductions(&view, &q)?;
    let base = query_string(&[("status", given(&q.status)), ("org", given(&q.org))]);
    state.render(
        Some(&auth),
        "matches",
        "matches/introductions.html",
        context! {
            list => list,
            statuses => IntroductionStatus::ALL.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
            filter => context! { status => given(&q.status), org => given(&q.org) },
            base => base,
            can_update => auth.principal.can_broker(),
        },
    )
}

/// A new status.
#[derive(Debug, Deserialize, ToSchema)]
pub struct StatusUpdate {
    /// proposed, made, met, declined or closed.
    pub status: String,
}

async fn set_status(
    state: &AppState,
    auth: &Auth,
    id: &str,
    status: &str,
) -> Result<IntroductionRow, WebError> {
    auth.require(auth.principal.can_broker(), "update introductions")?;
    let status = IntroductionStatus::parse(status.trim()).map_err(WebError::from)?;
    let snap = state.snapshot().await?;
    let view = snap.view(&auth.principal);
    let mut x = view
        .introduction(id)
        .cloned()
        .ok_or_else(|| WebError::not_found(format!("introduction {id:?}")))?;
    x.status = status;
    milieu_app::replace_checked(
        state.store(),
        "the introduction form",
        Located {
            position: Position::File,
            record: x.clone(),
        },
    )
    .await?;
    Ok(introduction_row(&view, &x, &HashMap::new()))
}

/// Set the status of an introduction (the team).
#[utoipa::path(post, path = "/api/introductions/{id}/status", tag = "matches",
    params(("id" = String, Path, description = "Introduction id")),
    request_body = StatusUpdate,
    responses((status = 200, body = IntroductionRow), (status = 400, body = WebError), (status = 403, body = WebError), (status = 404, body = WebError)))]
async fn api_status(
    State(state): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(body): Json<StatusUpdate>,
) -> Result<Json<IntroductionRow>, WebError> {
    auth.check_csrf_header(&headers)?;
    Ok(Json(set_status(&state, &auth, &id, &body.status).await?))
}

#[derive(Deserialize)]
struct StatusFormData {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    status: String,
}

async fn status_form(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    axum::Form(form): axum::Form<StatusFormData>,
) -> Result<Response, WebError> {
    auth.check_csrf(Some(&form.csrf))?;
    set_status(&state, &auth, &id, &form.status).await?;
    Ok(Redirect::to("/introductions").into_response())
}
