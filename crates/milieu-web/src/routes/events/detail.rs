//! One event: its details, attendance, and for a brokerage event the meeting requests and the
//! stored schedule as the account may see them; the notices a page shows after a form.

use super::agenda::agenda_rows;
use super::list::{EventRow, attendance_counts, event_row};
use crate::auth::Auth;
use crate::routes::org_name;
use crate::{AppState, WebError};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use milieu_app::access::View;
use milieu_model::{Event, EventKind, Vocabulary};
use milieu_store::{MeetingPlan, MeetingRequest};
use minijinja::context;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use utoipa::ToSchema;

/// An organisation (or a person without one) at an event.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AttendeeRow {
    /// Organisation id (empty for a person attending without one).
    pub org: Option<String>,
    pub name: String,
    /// attendee, speaker or organiser (the roles of its people, `, `-joined).
    pub roles: String,
    /// People of it attending.
    pub people: usize,
}

/// A meeting request as the account may see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RequestRow {
    pub from: String,
    pub from_name: String,
    pub to: String,
    pub to_name: String,
    /// 1..3, 3 = most wanted.
    pub priority: u32,
    /// accepted or pending.
    pub status: String,
    pub must: bool,
}

/// A slot of the stored schedule.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SlotRow {
    pub id: String,
    /// Local start time `YYYY-MM-DDTHH:MM`.
    pub start: String,
    pub minutes: u32,
    pub tables: u32,
}

/// A scheduled meeting.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MeetingRow {
    pub slot: String,
    pub start: String,
    pub table: u32,
    pub from: String,
    pub from_name: String,
    pub to: String,
    pub to_name: String,
}

/// The stored schedule of a brokerage event, as the account may see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ScheduleView {
    pub slots: Vec<SlotRow>,
    /// Tables per slot (of the first slot).
    pub tables: u32,
    /// Meetings in the whole plan.
    pub total_meetings: usize,
    /// The meetings the account may see (all for the team, its own for a member).
    pub meetings: Vec<MeetingRow>,
}

/// An event with what the account may see of it.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventDetail {
    pub event: EventRow,
    pub attendees: Vec<AttendeeRow>,
    pub brokerage: bool,
    /// Meeting requests the account may see (brokerage events).
    pub requests: Vec<RequestRow>,
    /// The stored schedule, if the event was scheduled.
    pub schedule: Option<ScheduleView>,
}

pub(super) fn find_event<'a>(view: &View<'a>, id: &str) -> Result<&'a Event, WebError> {
    view.events()
        .iter()
        .find(|e| e.id.as_str() == id)
        .ok_or_else(|| WebError::not_found(format!("event {id:?}")))
}

fn attendees(view: &View, event: &str) -> Vec<AttendeeRow> {
    let mut by_org: BTreeMap<String, AttendeeRow> = BTreeMap::new();
    let mut loose: Vec<AttendeeRow> = Vec::new();
    for a in view
        .attendance()
        .iter()
        .filter(|a| a.event.as_str() == event)
    {
        match &a.org {
            Some(org) => {
                let row = by_org.entry(org.to_string()).or_insert(AttendeeRow {
                    org: Some(org.to_string()),
                    name: org_name(view, org.as_str()),
                    roles: String::new(),
                    people: 0,
                });
                if a.person.is_some() {
                    row.people += 1;
                }
                let role = a.role.as_str();
                if !row.roles.split(", ").any(|r| r == role) {
                    if !row.roles.is_empty() {
                        row.roles.push_str(", ");
                    }
                    row.roles.push_str(role);
                }
            }
            None => loose.push(AttendeeRow {
                org: None,
                // People's names are personal data: lists name organisations only.
                name: "an individual".into(),
                roles: a.role.as_str().to_string(),
                people: 1,
            }),
        }
    }
    let mut rows: Vec<AttendeeRow> = by_org.into_values().collect();
    rows.sort_by_key(|a| a.name.to_lowercase());
    rows.extend(loose);
    rows
}

pub(super) fn participant_name(view: &View, plan: &MeetingPlan, id: &str) -> String {
    if let Some(o) = view.organisation(id) {
        return o.name.clone();
    }
    plan.participants
        .iter()
        .find(|p| p.id == id && p.org.is_some())
        .and_then(|p| p.name.clone())
        .unwrap_or_else(|| id.to_string())
}

pub(super) async fn detail(
    state: &AppState,
    view: &View<'_>,
    id: &str,
) -> Result<EventDetail, WebError> {
    let e = find_event(view, id)?;
    let attendees = attendees(view, id);
    let brokerage = e.kind == EventKind::BrokerageEvent;
    let (requests, schedule) = if brokerage {
        let all = state.store().meeting_requests(id).await?;
        let plan = state.store().meeting_plan(id).await?;
        let requests = view
            .meeting_requests(&all)
            .into_iter()
            .map(|r| request_row(view, &plan, r))
            .collect();
        (requests, schedule_view(view, &plan))
    } else {
        (Vec::new(), None)
    };
    let counts = attendance_counts(view);
    Ok(EventDetail {
        event: event_row(view, e, counts.get(id).copied().unwrap_or(0)),
        attendees,
        brokerage,
        requests,
        schedule,
    })
}

fn request_row(view: &View, plan: &MeetingPlan, r: &MeetingRequest) -> RequestRow {
    RequestRow {
        from: r.from.clone(),
        from_name: participant_name(view, plan, &r.from),
        to: r.to.clone(),
        to_name: participant_name(view, plan, &r.to),
        priority: r.priority,
        status: r.status.clone(),
        must: r.must,
    }
}

pub(super) fn schedule_view(view: &View, plan: &MeetingPlan) -> Option<ScheduleView> {
    if plan.slots.is_empty() {
        return None;
    }
    let start_of: HashMap<&str, &str> = plan
        .slots
        .iter()
        .map(|s| (s.id.as_str(), s.start.as_str()))
        .collect();
    let mut meetings: Vec<MeetingRow> = view
        .meetings(plan)
        .into_iter()
        .map(|m| MeetingRow {
            slot: m.slot.clone(),
            start: start_of.get(m.slot.as_str()).copied().unwrap_or("").into(),
            table: m.table,
            from: m.from.clone(),
            from_name: participant_name(view, plan, &m.from),
            to: m.to.clone(),
            to_name: participant_name(view, plan, &m.to),
        })
        .collect();
    meetings.sort_by(|a, b| a.start.cmp(&b.start).then(a.table.cmp(&b.table)));
    Some(ScheduleView {
        slots: plan
            .slots
            .iter()
            .map(|s| SlotRow {
                id: s.id.clone(),
                start: s.start.clone(),
                minutes: s.minutes,
                tables: s.tables,
            })
            .collect(),
        tables: plan.slots.first().map_or(0, |s| s.tables),
        total_meetings: plan.meetings.len(),
        meetings,
    })
}

/// One event: details, attendance and, for a brokerage event, the meeting requests and the
/// stored schedule as the account may see them.
#[utoipa::path(get, path = "/api/events/{id}", tag = "events",
    params(("id" = String, Path, description = "Event id")),
    responses((status = 200, body = EventDetail), (status = 404, body = WebError)))]
pub(super) async fn api_detail(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<EventDetail>, WebError> {
    let snap = state.snapshot().await?;
    let view = snap.view(&auth.principal);
    Ok(Json(detail(&state, &view, &id).await?))
}

#[derive(Deserialize)]
pub(super) struct NoticeQuery {
    pub(super) notice: Option<String>,
}

pub(super) fn notice_text(code: Option<&str>) -> Option<&'static str> {
    Some(match code? {
        "requested" => "Your meeting request was recorded.",
        "scheduled" => "The schedule was computed and stored.",
        "created" => "The event was created.",
        "saved" => "The event was saved.",
        "proposed" => "Your topic was proposed.",
        "voted" => "Your vote was counted.",
        _ => return None,
    })
}

pub(super) async fn detail_page(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> Result<Html<String>, WebError> {
    let snap = state.snapshot().await?;
    let view = snap.view(&auth.principal);
    let d = detail(&state, &view, &id).await?;
    // A member's own agenda, and whom it may ask for a meeting.
    let me = auth.org().map(|o| o.to_string());
    let participates = me
        .as_ref()
        .is_some_and(|o| d.attendees.iter().any(|a| a.org.as_deref() == Some(o)));
    let my_agenda = match (&me, &d.schedule) {
        (Some(me), Some(s)) if participates => Some(agenda_rows(s, me)),
        _ => None,
    };
    let others: Vec<&AttendeeRow> = d
        .attendees
        .iter()
        .filter(|a| a.org.is_some() && a.org != me)
        .collect();
    // The grid of slots x tables for the team.
    let grid: Vec<(SlotRow, Vec<Option<MeetingRow>>)> = match &d.schedule {
        Some(s) if auth.principal.is_staff() => s
            .slots
            .iter()
            .map(|slot| {
                let mut cells = vec![None; slot.tables as usize];
                for m in s.meetings.iter().filter(|m| m.slot == slot.id) {
                    if let Some(c) = cells.get_mut((m.table as usize).saturating_sub(1)) {
                        *c = Some(m.clone());
                    }
                }
                (slot.clone(), cells)
            })
            .collect(),
        _ => Vec::new(),
    };
    state.render(
        Some(&auth),
        "events",
        "events/detail.html",
        context! {
            d => d,
            participates => participates,
            my_agenda => my_agenda,
            others => others,
            grid => grid,
            can_schedule => auth.principal.can_broker(),
            can_request => participates || auth.principal.is_staff(),
            notice => notice_text(q.notice.as_deref()),
        },
    )
}
