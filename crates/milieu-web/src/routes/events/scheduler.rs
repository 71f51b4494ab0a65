//! The meeting scheduler of a brokerage event: run it on the stored requests with slot blocks,
//! tables and limits, store the plan, and show the stored schedule.

use super::detail::{ScheduleView, detail, find_event};
use crate::auth::Auth;
use crate::routes::given;
use crate::{AppState, WebError};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use milieu_model::EventKind;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// How to schedule: slot blocks, tables, limits.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ScheduleRequest {
    /// Slot blocks `START/MINUTESxCOUNT` (`09:00/20x12` on the event's date, or
    /// `2026-03-10T09:00/20x12`). Default: the stored slots, else `09:00/20x12`.
    #[serde(default)]
    pub slots: Vec<String>,
    /// Tables per slot (default: the stored number, else one per two participants).
    #[serde(default)]
    pub tables: Option<u32>,
    /// Meetings per participant at most.
    #[serde(default)]
    pub max_meetings: Option<u32>,
    /// Seconds the solver may search (0.1 to 10, default 2).
    #[serde(default)]
    pub time_limit: Option<f64>,
}

/// What the scheduler stored.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScheduleResult {
    pub meetings: usize,
    pub musts_scheduled: usize,
    pub musts_total: usize,
    pub priority_sum: u64,
    /// Requests not scheduled, `from->to: reason`.
    pub unscheduled: Vec<String>,
    /// Must meetings that could not be held together.
    pub must_conflicts: Vec<String>,
}

async fn run_schedule(
    state: &AppState,
    auth: &Auth,
    event: &str,
    req: &ScheduleRequest,
) -> Result<ScheduleResult, WebError> {
    auth.require(auth.principal.can_broker(), "schedule brokerage events")?;
    let snap = state.snapshot().await?;
    let e = find_event(&snap.view(&auth.principal), event)?;
    if e.kind != EventKind::BrokerageEvent {
        return Err(WebError::bad_input(format!(
            "event {event} is a {}, not a brokerage event",
            e.kind
        )));
    }
    let time_limit = req.time_limit.unwrap_or(2.0);
    if !(0.1..=10.0).contains(&time_limit) {
        return Err(WebError::bad_input(
            "time_limit: expected a number of seconds from 0.1 to 10",
        ));
    }
    let opts = milieu_app::schedule::EventScheduleOptions {
        slots: req
            .slots
            .iter()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
        tables: req.tables,
        max_meetings: req.max_meetings,
        solve: milieu_schedule::SolveOptions {
            time_limit: std::time::Duration::from_secs_f64(time_limit),
            ..milieu_schedule::SolveOptions::default()
        },
    };
    // The solver computes for up to `time_limit` seconds: on the server's multi-threaded
    // runtime the worker hands its other tasks over while it does.
    let store = state.store().clone();
    let job = async move { milieu_app::schedule::schedule_event(&store, event, &opts).await };
    let handle = tokio::runtime::Handle::current();
    let s = if handle.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread {
        tokio::task::block_in_place(|| handle.block_on(job))?
    } else {
        job.await?
    };
    Ok(ScheduleResult {
        meetings: s.meetings.len(),
        musts_scheduled: s.stats.musts_scheduled,
        musts_total: s.stats.musts_total,
        priority_sum: s.stats.priority_sum,
        unscheduled: s
            .unscheduled
            .iter()
            .map(|u| format!("{}->{}: {}", u.from, u.to, u.reason))
            .collect(),
        must_conflicts: s
            .stats
            .must_conflicts
            .iter()
            .map(|c| format!("{} ({}): {}", c.requests.join(", "), c.kind, c.reason))
            .collect(),
    })
}

/// The stored schedule of a brokerage event (slots, and the meetings the account may see).
#[utoipa::path(get, path = "/api/events/{id}/schedule", tag = "events",
    params(("id" = String, Path, description = "Event id")),
    responses((status = 200, body = ScheduleView), (status = 404, body = WebError)))]
pub(super) async fn api_schedule(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<ScheduleView>, WebError> {
    let snap = state.snapshot().await?;
    let view = snap.view(&auth.principal);
    detail(&state, &view, &id)
        .await?
        .schedule
        .map(Json)
        .ok_or_else(|| WebError::not_found(format!("a stored schedule of event {id:?}")))
}

/// Run the meeting scheduler on the event's requests and store the plan (the team).
#[utoipa::path(post, path = "/api/events/{id}/schedule", tag = "events",
    params(("id" = String, Path, description = "Event id")),
    request_body = ScheduleRequest,
    responses((status = 200, body = ScheduleResult), (status = 400, body = WebError), (status = 403, body = WebError), (status = 404, body = WebError)))]
pub(super) async fn api_run_schedule(
    State(state): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(body): Json<ScheduleRequest>,
) -> Result<Json<ScheduleResult>, WebError> {
    auth.check_csrf_header(&headers)?;
    Ok(Json(run_schedule(&state, &auth, &id, &body).await?))
}

#[derive(Deserialize)]
pub(super) struct ScheduleFormData {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    slots: Option<String>,
    #[serde(default)]
    tables: Option<String>,
    #[serde(default)]
    max_meetings: Option<String>,
    #[serde(default)]
    time_limit: Option<String>,
}

fn number<T: std::str::FromStr>(field: &str, text: &Option<String>) -> Result<Option<T>, WebError> {
    match given(text) {
        Some(t) => t
            .parse::<T>()
            .map(Some)
            .map_err(|_| WebError::bad_input(format!("{field} {t:?}: expected a number"))),
        None => Ok(None),
    }
}

pub(super) async fn schedule_form(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    axum::Form(form): axum::Form<ScheduleFormData>,
) -> Result<Response, WebError> {
    auth.check_csrf(Some(&form.csrf))?;
    let req = ScheduleRequest {
        slots: form
            .slots
            .as_deref()
            .unwrap_or("")
            .split([',', ' ', ';'])
            .map(String::from)
            .collect(),
        tables: number("tables", &form.tables)?,
        max_meetings: number("max_meetings", &form.max_meetings)?,
        time_limit: number("time_limit", &form.time_limit)?,
    };
    run_schedule(&state, &auth, &id, &req).await?;
    Ok(Redirect::to(&format!(
        "/events/{}?notice=scheduled",
        crate::auth::url_encode(&id)
    ))
    .into_response())
}
