//! Each participant's agenda of a brokerage event: JSON, an HTML page and an iCalendar file.

use super::detail::{ScheduleView, find_event, participant_name, schedule_view};
use crate::auth::Auth;
use crate::routes::given;
use crate::{AppState, WebError};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use milieu_model::EventKind;
use minijinja::context;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::{IntoParams, ToSchema};

/// One meeting of a participant's agenda.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AgendaRow {
    pub slot: String,
    /// Local start time `YYYY-MM-DDTHH:MM`.
    pub start: String,
    pub minutes: u32,
    pub table: u32,
    /// The other participant.
    pub with: String,
    pub with_name: String,
}

/// A participant's personal agenda of a brokerage event.
#[derive(Debug, Serialize, ToSchema)]
pub struct Agenda {
    pub event: String,
    pub title: String,
    pub participant: String,
    pub participant_name: String,
    /// Whether the event has a stored schedule.
    pub scheduled: bool,
    pub meetings: Vec<AgendaRow>,
}

pub(super) fn agenda_rows(s: &ScheduleView, me: &str) -> Vec<AgendaRow> {
    let minutes: HashMap<&str, u32> = s.slots.iter().map(|x| (x.id.as_str(), x.minutes)).collect();
    s.meetings
        .iter()
        .filter(|m| m.from == me || m.to == me)
        .map(|m| {
            let (with, with_name) = if m.from == me {
                (m.to.clone(), m.to_name.clone())
            } else {
                (m.from.clone(), m.from_name.clone())
            };
            AgendaRow {
                slot: m.slot.clone(),
                start: m.start.clone(),
                minutes: minutes.get(m.slot.as_str()).copied().unwrap_or(0),
                table: m.table,
                with,
                with_name,
            }
        })
        .collect()
}

/// Whose agenda: `?org=` (the team: any participant; a member: its own organisation only).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AgendaQuery {
    /// The participant (an organisation id); members default to their own.
    pub org: Option<String>,
}

async fn agenda(
    state: &AppState,
    auth: &Auth,
    event: &str,
    q: &AgendaQuery,
) -> Result<Agenda, WebError> {
    let who = match (given(&q.org), auth.org()) {
        (Some(o), _) => o.to_string(),
        (None, Some(me)) => me.to_string(),
        (None, None) => {
            return Err(WebError::bad_input(
                "give the participant whose agenda to show: ?org=ID",
            ));
        }
    };
    let snap = state.snapshot().await?;
    let view = snap.view(&auth.principal);
    if !view.may_see_agenda_of(&who) {
        return Err(WebError::forbidden(
            "a member account sees its own organisation's agenda only",
        ));
    }
    let e = find_event(&view, event)?;
    if e.kind != EventKind::BrokerageEvent {
        return Err(WebError::not_found(format!(
            "an agenda of event {event:?} (not a brokerage event)"
        )));
    }
    let plan = state.store().meeting_plan(event).await?;
    let attends =
        view.attendance().iter().any(|a| {
            a.event.as_str() == event && a.org.as_ref().is_some_and(|o| o.as_str() == who)
        }) || plan.participants.iter().any(|p| p.id == who);
    if !attends {
        return Err(WebError::not_found(format!(
            "participant {who:?} of event {event:?}"
        )));
    }
    let schedule = schedule_view(&view, &plan);
    Ok(Agenda {
        event: event.to_string(),
        title: e.title.clone(),
        participant_name: participant_name(&view, &plan, &who),
        scheduled: schedule.is_some(),
        meetings: schedule
            .as_ref()
            .map(|s| agenda_rows(s, &who))
            .unwrap_or_default(),
        participant: who,
    })
}

/// A participant's agenda (`?org=`; members: their own organisation's only).
#[utoipa::path(get, path = "/api/events/{id}/agenda", tag = "events",
    params(("id" = String, Path, description = "Event id"), AgendaQuery),
    responses((status = 200, body = Agenda), (status = 400, body = WebError), (status = 403, body = WebError), (status = 404, body = WebError)))]
pub(super) async fn api_agenda(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Query(q): Query<AgendaQuery>,
) -> Result<Json<Agenda>, WebError> {
    Ok(Json(agenda(&state, &auth, &id, &q).await?))
}

pub(super) async fn agenda_page(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Query(q): Query<AgendaQuery>,
) -> Result<Html<String>, WebError> {
    let a = agenda(&state, &auth, &id, &q).await?;
    let ics = format!(
        "/events/{}/agenda.ics?org={}",
        crate::auth::url_encode(&id),
        crate::auth::url_encode(&a.participant)
    );
    state.render(
        Some(&auth),
        "events",
        "events/agenda.html",
        context! { a => a, ics => ics },
    )
}

fn local_time(local: &str) -> Option<chrono::NaiveDateTime> {
    chrono::NaiveDateTime::parse_from_str(local, "%Y-%m-%dT%H:%M").ok()
}

/// The agenda as an iCalendar file, written by milieu-schedule's one writer with its UIDs
/// ([`milieu_schedule::agenda::meeting_uid`] of the event id and the pair), so the file the
/// command line's `event agendas` writes and this download name each meeting alike.
pub fn agenda_calendar(a: &Agenda, now: chrono::DateTime<chrono::Utc>) -> String {
    use milieu_schedule::agenda::{CalendarEntry, calendar, meeting_uid};
    let entries: Vec<CalendarEntry> = a
        .meetings
        .iter()
        .filter_map(|m| {
            let start = local_time(&m.start)?;
            Some(CalendarEntry {
                uid: meeting_uid(&a.event, &a.participant, &m.with),
                start,
                end: start + chrono::Duration::minutes(i64::from(m.minutes)),
                summary: format!("Meeting with {}", m.with_name),
                location: format!("Table {}", m.table),
                description: format!(
                    "{}: 1:1 meeting of {} and {} at table {} in slot {}.",
                    a.title, a.participant_name, m.with_name, m.table, m.slot
                ),
            })
        })
        .collect();
    calendar(
        &format!("{} - {}", a.title, a.participant_name),
        now.naive_utc(),
        &entries,
    )
}

pub(super) async fn agenda_ics(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Query(q): Query<AgendaQuery>,
) -> Result<Response, WebError> {
    let a = agenda(&state, &auth, &id, &q).await?;
    let body = agenda_calendar(&a, chrono::Utc::now());
    let file: String = format!("{}-{}", a.event, a.participant)
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut response = body.into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/calendar; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"agenda-{file}.ics\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(response)
}
