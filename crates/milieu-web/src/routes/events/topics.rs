//! Topic requests: members propose topics for events and vote for them (one vote per
//! organisation); the list is most voted first.

use super::detail::{NoticeQuery, notice_text};
use super::forms::next_id;
use crate::auth::Auth;
use crate::routes::{given, org_name};
use crate::{AppState, WebError};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use milieu_app::access::View;
use milieu_io::{Located, LocatedDataset, Position};
use milieu_model::{InitiativeId, OrgId, TopicRequest, TopicRequestId};
use minijinja::context;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A topic a member asked the cluster to hold an event on, with its votes.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TopicRow {
    pub id: String,
    pub topic: String,
    /// The organisation that proposed it.
    pub org: String,
    pub org_name: String,
    pub date: String,
    pub initiative: Option<String>,
    /// Organisations in favour (the proposer's vote included), each counted once.
    pub votes: usize,
    /// Whether the account's organisation has voted (or proposed it).
    pub voted: bool,
}

fn topic_votes(t: &TopicRequest) -> usize {
    milieu_app::topics::vote_count(t)
}

fn has_voted(t: &TopicRequest, org: &OrgId) -> bool {
    milieu_app::topics::has_voted(t, org)
}

pub(super) fn topics(view: &View, auth: &Auth) -> Vec<TopicRow> {
    let mut rows: Vec<TopicRow> = view
        .topic_requests()
        .iter()
        .map(|t| TopicRow {
            id: t.id.to_string(),
            topic: t.topic.clone(),
            org: t.org.to_string(),
            org_name: org_name(view, t.org.as_str()),
            date: t.date.to_string(),
            initiative: t.initiative.as_ref().map(|i| i.to_string()),
            votes: topic_votes(t),
            voted: auth.org().is_some_and(|me| has_voted(t, me)),
        })
        .collect();
    rows.sort_by(|a, b| b.votes.cmp(&a.votes).then_with(|| b.date.cmp(&a.date)));
    rows
}

/// A topic to propose.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewTopic {
    pub topic: String,
    #[serde(default)]
    pub initiative: Option<String>,
}

fn member_org(auth: &Auth, what: &str) -> Result<OrgId, WebError> {
    match (auth.role(), auth.org()) {
        (milieu_app::access::Role::Member, Some(org)) => Ok(org.clone()),
        _ => Err(WebError::forbidden(format!(
            "only member accounts {what} (for their organisation)"
        ))),
    }
}

async fn propose(state: &AppState, auth: &Auth, body: &NewTopic) -> Result<TopicRow, WebError> {
    let org = member_org(auth, "propose topics")?;
    let topic = body.topic.trim();
    if topic.is_empty() || topic.chars().count() > 200 {
        return Err(WebError::bad_input("topic: expected 1 to 200 characters"));
    }
    let snap = state.snapshot().await?;
    let view = snap.view(&auth.principal);
    let record = TopicRequest {
        id: TopicRequestId::new(next_id(
            "tr",
            view.topic_requests().iter().map(|t| t.id.to_string()),
        )),
        org: org.clone(),
        topic: topic.to_string(),
        date: milieu_app::matching::today(),
        initiative: given(&body.initiative).map(InitiativeId::new),
        votes: Vec::new(),
    };
    let mut batch = LocatedDataset::new("the topic form");
    batch.topic_requests.push(Located {
        position: Position::File,
        record: record.clone(),
    });
    milieu_app::import_checked(state.store(), &batch).await?;
    Ok(TopicRow {
        id: record.id.to_string(),
        topic: record.topic,
        org: org.to_string(),
        org_name: org_name(&view, org.as_str()),
        date: record.date.to_string(),
        initiative: record.initiative.map(|i| i.to_string()),
        votes: 1,
        voted: true,
    })
}

pub(super) async fn vote(state: &AppState, auth: &Auth, id: &str) -> Result<usize, WebError> {
    let org = member_org(auth, "vote for topics")?;
    Ok(milieu_app::topics::vote(state.store(), &org, id).await?)
}

/// Topic requests, most voted first.
#[utoipa::path(get, path = "/api/topics", tag = "events",
    responses((status = 200, body = [TopicRow]), (status = 401, body = WebError)))]
pub(super) async fn api_topics(
    State(state): State<AppState>,
    auth: Auth,
) -> Result<Json<Vec<TopicRow>>, WebError> {
    let snap = state.snapshot().await?;
    let view = snap.view(&auth.principal);
    Ok(Json(topics(&view, &auth)))
}

/// Propose a topic for an event (member accounts, for their organisation).
#[utoipa::path(post, path = "/api/topics", tag = "events", request_body = NewTopic,
    responses((status = 201, body = TopicRow), (status = 400, body = WebError), (status = 403, body = WebError)))]
pub(super) async fn api_add_topic(
    State(state): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Json(body): Json<NewTopic>,
) -> Result<(StatusCode, Json<TopicRow>), WebError> {
    auth.check_csrf_header(&headers)?;
    Ok((
        StatusCode::CREATED,
        Json(propose(&state, &auth, &body).await?),
    ))
}

/// Votes of a topic after a vote.
#[derive(Debug, Serialize, ToSchema)]
pub struct VoteResult {
    pub id: String,
    pub votes: usize,
}

/// Vote for a topic (member accounts; one vote per organisation: 409 `app.already_voted`).
#[utoipa::path(post, path = "/api/topics/{id}/vote", tag = "events",
    params(("id" = String, Path, description = "Topic request id")),
    responses((status = 200, body = VoteResult), (status = 403, body = WebError), (status = 404, body = WebError), (status = 409, body = WebError)))]
pub(super) async fn api_vote(
    State(state): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<VoteResult>, WebError> {
    auth.check_csrf_header(&headers)?;
    let votes = vote(&state, &auth, &id).await?;
    Ok(Json(VoteResult { id, votes }))
}

pub(super) async fn topics_page(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<NoticeQuery>,
) -> Result<Html<String>, WebError> {
    let snap = state.snapshot().await?;
    let view = snap.view(&auth.principal);
    let rows = topics(&view, &auth);
    state.render(
        Some(&auth),
        "events",
        "events/topics.html",
        context! {
            topics => rows,
            can_vote => auth.role() == milieu_app::access::Role::Member && auth.org().is_some(),
            notice => notice_text(q.notice.as_deref()),
        },
    )
}

#[derive(Deserialize)]
pub(super) struct TopicFormData {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    topic: String,
    #[serde(default)]
    initiative: Option<String>,
}

pub(super) async fn topic_form(
    State(state): State<AppState>,
    auth: Auth,
    axum::Form(form): axum::Form<TopicFormData>,
) -> Result<Response, WebError> {
    auth.check_csrf(Some(&form.csrf))?;
    propose(
        &state,
        &auth,
        &NewTopic {
            topic: form.topic,
            initiative: form.initiative,
        },
    )
    .await?;
    Ok(Redirect::to("/topics?notice=proposed").into_response())
}

#[derive(Deserialize)]
pub(super) struct CsrfForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
}

pub(super) async fn vote_form(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    axum::Form(form): axum::Form<CsrfForm>,
) -> Result<Response, WebError> {
    auth.check_csrf(Some(&form.csrf))?;
    vote(&state, &auth, &id).await?;
    Ok(Redirect::to("/topics?notice=voted").into_response())
}
