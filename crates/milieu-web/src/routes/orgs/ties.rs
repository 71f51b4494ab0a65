//! Ties: the visible ties (filtered, a page at a time), a tie's page, and recording a new tie
//! from the profile form or the JSON API.

use super::app_error_json;
use super::forms::seg;
use super::profile::{TieFormValues, render_profile};
use super::{form_error, json_body, page_request, parse_fields, query};
use crate::auth::Auth;
use crate::routes::org_name;
use crate::routes::paging::paged;
use crate::routes::{date_param, given};
use crate::{AppState, WebError};
use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use milieu_app::AppError;
use milieu_model::{EntityKind, Tie, Vocabulary};
use minijinja::context;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use utoipa::{IntoParams, ToSchema};

/// Filters of the tie list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TieQuery {
    /// Ties of this organisation (either party).
    pub org: Option<String>,
    /// Tie kind: lead, sale, alliance, joint_project, supplier, customer, knowledge, advice,
    /// rnd, spin_off, staff_move, other.
    pub kind: Option<String>,
    /// Ties in force on or after this date (YYYY-MM-DD): ended after it or not ended.
    pub from: Option<String>,
    /// Ties in force on or before this date (YYYY-MM-DD): started on or before it.
    pub to: Option<String>,
    /// Page (1-based; default 1).
    pub page: Option<String>,
    /// Rows per page (default 50, at most 1000; `limit` is the older spelling).
    #[serde(alias = "limit")]
    pub per_page: Option<usize>,
    /// Older spelling of the page: the first row to show, from 0.
    pub offset: Option<usize>,
}

/// A page of ties.
#[derive(Serialize, ToSchema)]
pub struct TiePage {
    pub total: usize,
    /// milieu-model `Tie` records, sorted by start date then id.
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<Tie>,
}

/// The ties the account may see, filtered.
#[utoipa::path(get, path = "/api/ties", tag = "ties", params(TieQuery),
    responses((status = 200, body = TiePage), (status = 400, body = WebError), (status = 401, body = WebError)))]
pub(super) async fn api_ties(
    State(state): State<AppState>,
    auth: Auth,
    q: Result<Query<TieQuery>, QueryRejection>,
) -> Result<Json<TiePage>, WebError> {
    let q = query(q)?;
    let from = date_param("from", &q.from)?;
    let to = date_param("to", &q.to)?;
    let kind = given(&q.kind);
    let snap = state.snapshot().await?;
    let view = snap.view(&auth.principal);
    let candidates: Vec<Cow<'_, Tie>> = match given(&q.org) {
        Some(org) => view.ties_of(org),
        None => view.ties().collect(),
    };
    let mut found: Vec<Cow<'_, Tie>> = candidates
        .into_iter()
        .filter(|t| kind.is_none_or(|k| t.kind.as_str() == k))
        .filter(|t| from.is_none_or(|d| t.end.is_none_or(|end| end > d)))
        .filter(|t| to.is_none_or(|d| t.start <= d))
        .collect();
    found.sort_by(|a, b| a.start.cmp(&b.start).then(a.id.cmp(&b.id)));
    let p = paged(found, &page_request(&q.page, q.per_page, q.offset));
    Ok(Json(TiePage {
        total: p.total,
        items: p.items.into_iter().map(Cow::into_owned).collect(),
    }))
}

/// A tie, if the account may see it (404 otherwise, as for a missing one).
#[utoipa::path(get, path = "/api/ties/{id}", tag = "ties",
    params(("id" = String, Path, description = "Tie id")),
    responses((status = 200, body = Object, description = "The milieu-model Tie"),
        (status = 404, body = WebError), (status = 401, body = WebError)))]
pub(super) async fn api_tie(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<Tie>, WebError> {
    let snap = state.snapshot().await?;
    let view = snap.view(&auth.principal);
    view.tie(&id)
        .map(|t| Json(t.into_owned()))
        .ok_or_else(|| WebError::not_found(format!("tie {id:?}")))
}

pub(super) async fn tie_page(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Html<String>, WebError> {
    let snap = state.snapshot().await?;
    let view = snap.view(&auth.principal);
    let tie = view
        .tie(&id)
        .ok_or_else(|| WebError::not_found(format!("tie {id:?}")))?;
    let event = tie.event.as_ref().and_then(|e| {
        view.events().iter().find(|x| x.id == *e).map(
            |x| context! { id => x.id.as_str(), title => &x.title, date => x.date.to_string() },
        )
    });
    let outcomes: Vec<_> = view
        .outcomes_of(tie.from.as_str())
        .into_iter()
        .filter(|o| o.tie.as_ref() == Some(&tie.id))
        .collect();
    state.render(
        Some(&auth),
        "orgs",
        "orgs/tie.html",
        context! {
            t => tie,
            from_name => org_name(&view, tie.from.as_str()),
            to_name => org_name(&view, tie.to.as_str()),
            event => event,
            outcomes => outcomes,
        },
    )
}

/// Checks who may record a tie: staff, or a member for a tie its organisation is a party to.
fn check_tie_author(auth: &Auth, tie: &Tie) -> Result<(), WebError> {
    if auth.principal.is_staff() {
        return Ok(());
    }
    if auth.principal.acts_for(&tie.from) || auth.principal.acts_for(&tie.to) {
        return Ok(());
    }
    Err(WebError::forbidden(format!(
        "a {} account may record only ties of its own organisation",
        auth.principal.role
    )))
}

async fn record_tie(
    state: &AppState,
    auth: &Auth,
    values: &TieFormValues,
    source: &str,
) -> Result<Result<String, AppError>, WebError> {
    if !(auth.principal.is_staff() || auth.principal.org.is_some()) {
        return Err(WebError::forbidden(format!(
            "a {} account may not record ties",
            auth.principal.role
        )));
    }
    let batch = match parse_fields(EntityKind::Tie, source, &values.fields()) {
        Ok(b) => b,
        Err(e) => return Ok(Err(e)),
    };
    let Some(tie) = batch.ties.first().map(|l| l.record.clone()) else {
        return Ok(Err(AppError::Usage("no tie given".into())));
    };
    check_tie_author(auth, &tie)?;
    Ok(milieu_app::import_checked(state.store(), &batch)
        .await
        .map(|_| tie.id.to_string()))
}

#[derive(Deserialize)]
pub(super) struct TieForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    /// The profile the form was sent from (shown again on error).
    #[serde(default)]
    back: String,
    #[serde(flatten)]
    values: TieFormValues,
}

pub(super) async fn tie_form(
    State(state): State<AppState>,
    auth: Auth,
    axum::Form(form): axum::Form<TieForm>,
) -> Result<Response, WebError> {
    auth.check_csrf(Some(&form.csrf))?;
    match record_tie(&state, &auth, &form.values, "form").await? {
        Ok(id) => Ok(Redirect::to(&format!("/ties/{}", seg(&id))).into_response()),
        Err(e) => {
            let fe = form_error(e)?;
            let back = if form.back.is_empty() {
                form.values.from_id.clone()
            } else {
                form.back.clone()
            };
            let page = render_profile(&state, &auth, &back, Some((form.values, fe))).await?;
            Ok((StatusCode::BAD_REQUEST, page).into_response())
        }
    }
}

/// A new tie. `id` defaults to `from~to~kind~start`, `source` to `self_report`,
/// `visibility` to `private`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewTie {
    #[serde(default)]
    pub id: Option<String>,
    pub from: String,
    pub to: String,
    /// lead, sale, alliance, joint_project, supplier, customer, knowledge, advice, rnd,
    /// spin_off, staff_move, other.
    pub kind: String,
    /// YYYY-MM-DD.
    pub start: String,
    #[serde(default)]
    pub end: Option<String>,
    /// 1 (weak) to 5 (strong).
    #[serde(default)]
    pub strength: Option<u8>,
    /// 1 (none) to 5 (full).
    #[serde(default)]
    pub trust: Option<u8>,
    /// event, introduction, self_report, observed, import.
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub event: Option<String>,
    #[serde(default)]
    pub introduction: Option<String>,
    /// private, staff, cluster, public.
    #[serde(default)]
    pub visibility: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// Record a tie (staff, or a member for a tie of its own organisation); checked like a file
/// import.
#[utoipa::path(post, path = "/api/ties", tag = "ties", request_body = NewTie,
    responses((status = 201, body = Object, description = "The milieu-model Tie as stored"),
        (status = 400, body = WebError), (status = 403, body = WebError)))]
pub(super) async fn api_create_tie(
    State(state): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    body: Result<Json<NewTie>, JsonRejection>,
) -> Result<(StatusCode, Json<Tie>), WebError> {
    auth.check_csrf_header(&headers)?;
    if !(auth.principal.is_staff() || auth.principal.org.is_some()) {
        return Err(WebError::forbidden(format!(
            "a {} account may not record ties",
            auth.principal.role
        )));
    }
    let t = json_body(body)?;
    let values = TieFormValues {
        from_id: t.from,
        to_id: t.to,
        kind: t.kind,
        start: t.start,
        end: t.end.unwrap_or_default(),
        strength: t.strength.map(|v| v.to_string()).unwrap_or_default(),
        trust: t.trust.map(|v| v.to_string()).unwrap_or_default(),
        source: t.source.unwrap_or_else(|| "self_report".into()),
        event_id: t.event.unwrap_or_default(),
        introduction_id: t.introduction.unwrap_or_default(),
        visibility: t.visibility.unwrap_or_default(),
        note: t.note.unwrap_or_default(),
    };
    let mut fields = values.fields();
    if let Some(id) = t.id.filter(|s| !s.is_empty()) {
        fields.push(("id".into(), id));
    }
    let mut batch =
        parse_fields(EntityKind::Tie, "request body", &fields).map_err(app_error_json)?;
    let tie = batch
        .ties
        .first()
        .map(|l| l.record.clone())
        .ok_or_else(|| WebError::bad_input("no tie given"))?;
    check_tie_author(&auth, &tie)?;
    batch.source_name = "request body".into();
    milieu_app::import_checked(state.store(), &batch)
        .await
        .map_err(app_error_json)?;
    Ok((StatusCode::CREATED, Json(tie)))
}
