//! Creating and editing events (managers and administrators): the JSON API and the HTML forms.

use super::bad_date;
use super::detail::find_event;
use super::list::{EventRow, attendance_counts, event_row};
use crate::auth::Auth;
use crate::routes::given;
use crate::{AppState, WebError};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use milieu_io::{Located, LocatedDataset, Position};
use milieu_model::{Event, EventId, EventKind, InitiativeId, OrgId, Vocabulary};
use minijinja::context;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An event to create or the new values of one (dates `YYYY-MM-DD`).
#[derive(Debug, Default, Clone, Deserialize, Serialize, ToSchema)]
pub struct EventInput {
    /// Id for a new event (default: the next free `eN`); ignored on edit.
    #[serde(default)]
    pub id: Option<String>,
    pub kind: String,
    pub title: String,
    pub date: String,
    #[serde(default)]
    pub end_date: Option<String>,
    #[serde(default)]
    pub region: Option<String>,
    /// Topics, `;` or `,`-separated in forms.
    #[serde(default)]
    pub topics: Vec<String>,
    #[serde(default)]
    pub organiser: Option<String>,
    #[serde(default)]
    pub initiative: Option<String>,
}

fn to_event(id: String, input: &EventInput) -> Result<Event, WebError> {
    let kind = EventKind::parse(input.kind.trim()).map_err(WebError::from)?;
    let date =
        milieu_model::parse_date(input.date.trim()).ok_or_else(|| bad_date("date", &input.date))?;
    let end_date = match given(&input.end_date) {
        Some(d) => Some(milieu_model::parse_date(d).ok_or_else(|| bad_date("end_date", d))?),
        None => None,
    };
    Ok(Event {
        id: EventId::new(id),
        kind,
        title: input.title.trim().to_string(),
        date,
        end_date,
        region: given(&input.region).map(String::from),
        topics: input
            .topics
            .iter()
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect(),
        organiser: given(&input.organiser).map(OrgId::new),
        initiative: given(&input.initiative).map(InitiativeId::new),
    })
}

pub(super) fn next_id(prefix: &str, taken: impl Iterator<Item = String>) -> String {
    let n = taken
        .filter_map(|id| id.strip_prefix(prefix).and_then(|n| n.parse::<u64>().ok()))
        .max()
        .unwrap_or(0);
    format!("{prefix}{}", n + 1)
}

async fn create(state: &AppState, auth: &Auth, input: &EventInput) -> Result<Event, WebError> {
    auth.require_editor("create events")?;
    let snap = state.snapshot().await?;
    let id = match given(&input.id) {
        Some(id) => id.to_string(),
        None => next_id(
            "e",
            snap.view(&auth.principal)
                .events()
                .iter()
                .map(|e| e.id.to_string()),
        ),
    };
    let event = to_event(id, input)?;
    let mut batch = LocatedDataset::new("the event form");
    batch.events.push(Located {
        position: Position::File,
        record: event.clone(),
    });
    milieu_app::import_checked(state.store(), &batch).await?;
    Ok(event)
}

async fn edit(
    state: &AppState,
    auth: &Auth,
    id: &str,
    input: &EventInput,
) -> Result<Event, WebError> {
    auth.require_editor("edit events")?;
    let snap = state.snapshot().await?;
    find_event(&snap.view(&auth.principal), id)?;
    let event = to_event(id.to_string(), input)?;
    milieu_app::replace_checked(
        state.store(),
        "the event form",
        Located {
            position: Position::File,
            record: event.clone(),
        },
    )
    .await?;
    Ok(event)
}

/// Create an event (managers and administrators).
#[utoipa::path(post, path = "/api/events", tag = "events", request_body = EventInput,
    responses((status = 201, body = EventRow), (status = 400, body = WebError), (status = 403, body = WebError)))]
pub(super) async fn api_create(
    State(state): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Json(input): Json<EventInput>,
) -> Result<(StatusCode, Json<EventRow>), WebError> {
    auth.check_csrf_header(&headers)?;
    let e = create(&state, &auth, &input).await?;
    let snap = state.snapshot().await?;
    let view = snap.view(&auth.principal);
    Ok((StatusCode::CREATED, Json(event_row(&view, &e, 0))))
}

/// Edit an event (managers and administrators); the body replaces every field.
#[utoipa::path(put, path = "/api/events/{id}", tag = "events", request_body = EventInput,
    params(("id" = String, Path, description = "Event id")),
    responses((status = 200, body = EventRow), (status = 400, body = WebError), (status = 403, body = WebError), (status = 404, body = WebError)))]
pub(super) async fn api_edit(
    State(state): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(input): Json<EventInput>,
) -> Result<Json<EventRow>, WebError> {
    auth.check_csrf_header(&headers)?;
    let e = edit(&state, &auth, &id, &input).await?;
    let snap = state.snapshot().await?;
    let view = snap.view(&auth.principal);
    let n = attendance_counts(&view)
        .get(id.as_str())
        .copied()
        .unwrap_or(0);
    Ok(Json(event_row(&view, &e, n)))
}

#[derive(Deserialize)]
pub(super) struct EventFormData {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    end_date: Option<String>,
    #[serde(default)]
    region: Option<String>,
    #[serde(default)]
    topics: Option<String>,
    #[serde(default)]
    organiser: Option<String>,
    #[serde(default)]
    initiative: Option<String>,
}

impl EventFormData {
    fn input(&self) -> EventInput {
        EventInput {
            id: self.id.clone(),
            kind: self.kind.clone(),
            title: self.title.clone(),
            date: self.date.clone(),
            end_date: self.end_date.clone(),
            region: self.region.clone(),
            topics: self
                .topics
                .as_deref()
                .unwrap_or("")
                .split([';', ','])
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty())
                .collect(),
            organiser: self.organiser.clone(),
            initiative: self.initiative.clone(),
        }
    }
}

fn form_page(
    state: &AppState,
    auth: &Auth,
    editing: Option<&str>,
    input: &EventInput,
    error: Option<String>,
) -> Result<Html<String>, WebError> {
    state.render(
        Some(auth),
        "events",
        "events/form.html",
        context! {
            editing => editing,
            e => input,
            topics => input.topics.join("; "),
            kinds => EventKind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
            error => error,
        },
    )
}

pub(super) async fn new_page(
    State(state): State<AppState>,
    auth: Auth,
) -> Result<Html<String>, WebError> {
    auth.require_editor("create events")?;
    let input = EventInput {
        kind: "networking_meeting".into(),
        ..EventInput::default()
    };
    form_page(&state, &auth, None, &input, None)
}

pub(super) async fn edit_page(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Html<String>, WebError> {
    auth.require_editor("edit events")?;
    let snap = state.snapshot().await?;
    let view = snap.view(&auth.principal);
    let e = find_event(&view, &id)?;
    let input = EventInput {
        id: Some(e.id.to_string()),
        kind: e.kind.to_string(),
        title: e.title.clone(),
        date: e.date.to_string(),
        end_date: e.end_date.map(|d| d.to_string()),
        region: e.region.clone(),
        topics: e.topics.clone(),
        organiser: e.organiser.as_ref().map(|o| o.to_string()),
        initiative: e.initiative.as_ref().map(|i| i.to_string()),
    };
    form_page(&state, &auth, Some(&id), &input, None)
}

/// Input errors show the form again with the message; others are error pages.
fn form_error(
    state: &AppState,
    auth: &Auth,
    editing: Option<&str>,
    input: &EventInput,
    e: WebError,
) -> Result<Response, WebError> {
    if matches!(e.status(), StatusCode::BAD_REQUEST | StatusCode::CONFLICT) {
        let mut message = e.message.clone();
        for d in &e.details {
            message.push_str("; ");
            message.push_str(d);
        }
        let page = form_page(state, auth, editing, input, Some(message))?;
        Ok((e.status(), page).into_response())
    } else {
        Err(e)
    }
}

pub(super) async fn create_form(
    State(state): State<AppState>,
    auth: Auth,
    axum::Form(form): axum::Form<EventFormData>,
) -> Result<Response, WebError> {
    auth.check_csrf(Some(&form.csrf))?;
    let input = form.input();
    match create(&state, &auth, &input).await {
        Ok(e) => Ok(Redirect::to(&format!(
            "/events/{}?notice=created",
            crate::auth::url_encode(e.id.as_str())
        ))
        .into_response()),
        Err(e) => form_error(&state, &auth, None, &input, e),
    }
}

pub(super) async fn edit_form(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    axum::Form(form): axum::Form<EventFormData>,
) -> Result<Response, WebError> {
    auth.check_csrf(Some(&form.csrf))?;
    let input = form.input();
    match edit(&state, &auth, &id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!(
            "/events/{}?notice=saved",
            crate::auth::url_encode(&id)
        ))
        .into_response()),
        Err(e) => form_error(&state, &auth, Some(&id), &input, e),
    }
}
