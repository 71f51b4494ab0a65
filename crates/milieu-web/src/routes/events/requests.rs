//! Meeting requests of a brokerage event: listing what the account may see and asking for a
//! 1:1 meeting (members for their own organisation, the team for any participant).

use super::detail::{RequestRow, detail, find_event};
use crate::auth::Auth;
use crate::routes::given;
use crate::{AppState, WebError};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use milieu_store::MeetingRequest;
use serde::Deserialize;
use utoipa::ToSchema;

/// A request for a 1:1 meeting at a brokerage event.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewMeetingRequest {
    /// The requesting participant: a member's own organisation (default); the team may give
    /// any participant.
    #[serde(default)]
    pub from: Option<String>,
    /// The participant to meet.
    pub to: String,
    /// 1..3, 3 = most wanted (default 1).
    #[serde(default)]
    pub priority: Option<u32>,
}

async fn add_request(
    state: &AppState,
    auth: &Auth,
    event: &str,
    body: &NewMeetingRequest,
) -> Result<(), WebError> {
    let snap = state.snapshot().await?;
    let view = snap.view(&auth.principal);
    find_event(&view, event)?;
    let from = if auth.principal.is_staff() {
        given(&body.from)
            .ok_or_else(|| WebError::bad_input("give the requesting participant (from)"))?
            .to_string()
    } else {
        let me = auth.org().ok_or_else(|| {
            WebError::forbidden("only member accounts and the team request meetings")
        })?;
        if let Some(f) = given(&body.from)
            && f != me.as_str()
        {
            return Err(WebError::forbidden(
                "a member account requests meetings for its own organisation only",
            ));
        }
        me.to_string()
    };
    milieu_app::schedule::add_meeting_request(
        state.store(),
        event,
        MeetingRequest {
            from,
            to: body.to.trim().to_string(),
            priority: body.priority.unwrap_or(1),
            status: "accepted".into(),
            must: false,
        },
    )
    .await?;
    Ok(())
}

/// Meeting requests of a brokerage event: the team sees all, a member those its organisation
/// made or received.
#[utoipa::path(get, path = "/api/events/{id}/requests", tag = "events",
    params(("id" = String, Path, description = "Event id")),
    responses((status = 200, body = [RequestRow]), (status = 404, body = WebError)))]
pub(super) async fn api_requests(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<Vec<RequestRow>>, WebError> {
    let snap = state.snapshot().await?;
    let view = snap.view(&auth.principal);
    Ok(Json(detail(&state, &view, &id).await?.requests))
}

/// Ask for a 1:1 meeting with another participant of a brokerage event (members for their own
/// organisation; the team for any participant).
#[utoipa::path(post, path = "/api/events/{id}/requests", tag = "events",
    params(("id" = String, Path, description = "Event id")),
    request_body = NewMeetingRequest,
    responses((status = 201), (status = 400, body = WebError), (status = 403, body = WebError), (status = 404, body = WebError)))]
pub(super) async fn api_add_request(
    State(state): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(body): Json<NewMeetingRequest>,
) -> Result<StatusCode, WebError> {
    auth.check_csrf_header(&headers)?;
    add_request(&state, &auth, &id, &body).await?;
    Ok(StatusCode::CREATED)
}

#[derive(Deserialize)]
pub(super) struct RequestFormData {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    to: String,
    #[serde(default)]
    priority: Option<String>,
}

pub(super) async fn request_form(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    axum::Form(form): axum::Form<RequestFormData>,
) -> Result<Response, WebError> {
    auth.check_csrf(Some(&form.csrf))?;
    let priority = match given(&form.priority) {
        Some(p) => Some(
            p.parse::<u32>()
                .map_err(|_| WebError::bad_input(format!("priority {p:?}: expected 1, 2 or 3")))?,
        ),
        None => None,
    };
    let body = NewMeetingRequest {
        from: form.from,
        to: form.to,
        priority,
    };
    add_request(&state, &auth, &id, &body).await?;
    Ok(Redirect::to(&format!(
        "/events/{}?notice=requested",
        crate::auth::url_encode(&id)
    ))
    .into_response())
}
