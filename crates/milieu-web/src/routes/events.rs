//! Events: the list with filters, an event's details and attendance, editors' forms to create
//! and edit events, topic requests with members' votes, and for brokerage events the meeting
//! requests, the scheduler and each participant's agenda (page, JSON and iCalendar).
//!
//! Who sees what of a brokerage event is [`milieu_app::access::View::meeting_requests`] and
//! [`milieu_app::access::View::meetings`]: the team everything, a member what its organisation
//! asked for or was asked, a funder nothing of the meetings.

use super::given;
use crate::auth::Auth;
use crate::{ApiRouter, AppState, WebError};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use milieu_app::access::View;
use milieu_io::{Located, LocatedDataset, Position};
use milieu_model::{
    Event, EventId, EventKind, InitiativeId, OrgId, TopicRequest, TopicRequestId, Vocabulary,
};
use milieu_store::{MeetingPlan, MeetingRequest};
use minijinja::context;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::routes;

pub fn router() -> ApiRouter {
    use axum::routing::{get, post};
    ApiRouter::new()
        .route("/events", get(list_page).post(create_form))
        .route("/events/new", get(new_page))
        .route("/events/{id}", get(detail_page))
        .route("/events/{id}/edit", get(edit_page).post(edit_form))
        .route("/events/{id}/requests", post(request_form))
        .route("/events/{id}/schedule", post(schedule_form))
        .route("/events/{id}/agenda", get(agenda_page))
        .route("/events/{id}/agenda.ics", get(agenda_ics))
        .route("/topics", get(topics_page).post(topic_form))
        .route("/topics/{id}/vote", post(vote_form))
        .routes(routes!(api_list, api_create))
        .routes(routes!(api_detail, api_edit))
        .routes(routes!(api_requests, api_add_request))
        .routes(routes!(api_schedule, api_run_schedule))
        .routes(routes!(api_agenda))
        .routes(routes!(api_topics, api_add_topic))
        .routes(routes!(api_vote))
}

// ---------------------------------------------------------------------------------------------
// Shared helpers (also used by the matches and opportunities modules).

/// Page `page` (1-based) of `items`, `per_page` each, with the page count.
pub(crate) fn paged<T>(items: Vec<T>, page: Option<&str>, per_page: usize) -> Paged<T> {
    let total = items.len();
    let pages = total.div_ceil(per_page).max(1);
    let page = page
        .and_then(|p| p.trim().parse::<usize>().ok())
        .unwrap_or(1)
        .clamp(1, pages);
    let items = items
        .into_iter()
        .skip((page - 1) * per_page)
        .take(per_page)
        .collect();
    Paged {
        items,
        total,
        page,
        pages,
    }
}

pub(crate) struct Paged<T> {
    pub items: Vec<T>,
    pub total: usize,
    pub page: usize,
    pub pages: usize,
}

/// The name of an organisation (its id when unknown).
pub(crate) fn org_name(view: &View, id: &str) -> String {
    view.organisation(id)
        .map(|o| o.name.clone())
        .unwrap_or_else(|| id.to_string())
}

/// A query string for paging links: the given pairs without empty values.
pub(crate) fn query_string(pairs: &[(&str, Option<&str>)]) -> String {
    pairs
        .iter()
        .filter_map(|(k, v)| v.filter(|v| !v.is_empty()).map(|v| (k, v)))
        .map(|(k, v)| format!("{k}={}", crate::auth::url_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn bad_date(field: &str, text: &str) -> WebError {
    WebError::bad_input(format!("{field} {text:?}: expected a date YYYY-MM-DD"))
}

// ---------------------------------------------------------------------------------------------
// The list.

/// Filters of the event list (every one optional).
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventFilter {
    /// Event kind, e.g. `brokerage_event`.
    pub kind: Option<String>,
    /// Year of the event's date.
    pub year: Option<String>,
    /// Initiative id.
    pub initiative: Option<String>,
    /// Words to find in the title, topics or region.
    pub text: Option<String>,
    /// Page (1-based), 50 events each.
    pub page: Option<String>,
}

/// An event as lists show it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EventRow {
    pub id: String,
    pub kind: String,
    pub title: String,
    pub date: String,
    pub end_date: Option<String>,
    pub region: Option<String>,
    pub topics: Vec<String>,
    pub organiser: Option<String>,
    pub organiser_name: Option<String>,
    pub initiative: Option<String>,
    /// Attendance records.
    pub attendance: usize,
}

/// A page of the event list.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventList {
    pub total: usize,
    pub page: usize,
    pub pages: usize,
    pub events: Vec<EventRow>,
}

fn event_row(view: &View, e: &Event, attendance: usize) -> EventRow {
    EventRow {
        id: e.id.to_string(),
        kind: e.kind.to_string(),
        title: e.title.clone(),
        date: e.date.to_string(),
        end_date: e.end_date.map(|d| d.to_string()),
        region: e.region.clone(),
        topics: e.topics.clone(),
        organiser: e.organiser.as_ref().map(|o| o.to_string()),
        organiser_name: e.organiser.as_ref().map(|o| org_name(view, o.as_str())),
        initiative: e.initiative.as_ref().map(|i| i.to_string()),
        attendance,
    }
}

fn attendance_counts<'a>(view: &View<'a>) -> HashMap<&'a str, usize> {
    let mut counts = HashMap::new();
    for a in view.attendance() {
        *counts.entry(a.event.as_str()).or_default() += 1;
    }
    counts
}

fn list(view: &View, f: &EventFilter) -> Result<EventList, WebError> {
    let kind = match given(&f.kind) {
        Some(k) => Some(EventKind::parse(k).map_err(|e| WebError::bad_input(e.to_string()))?),
        None => None,
    };
    let year = match given(&f.year) {
        Some(y) => Some(
            y.parse::<i32>()
                .map_err(|_| WebError::bad_input(format!("year {y:?}: expected a year")))?,
        ),
        None => None,
    };
    let initiative = given(&f.initiative);
    let words: Vec<String> = given(&f.text)
        .map(|t| {
            t.to_lowercase()
                .split_whitespace()
                .map(String::from)
                .collect()
        })
        .unwrap_or_default();
    let counts = attendance_counts(view);
    let mut rows: Vec<&Event> = view
        .events()
        .iter()
        .filter(|e| kind.is_none_or(|k| e.kind == k))
        .filter(|e| {
            year.is_none_or(|y| {
                use chrono::Datelike;
                e.date.year() == y
            })
        })
        .filter(|e| {
            initiative.is_none_or(|i| e.initiative.as_ref().is_some_and(|x| x.as_str() == i))
        })
        .filter(|e| {
            if words.is_empty() {
                return true;
            }
            let hay = format!(
                "{} {} {}",
                e.title,
                e.topics.join(" "),
                e.region.as_deref().unwrap_or("")
            )
            .to_lowercase();
            words.iter().all(|w| hay.contains(w.as_str()))
        })
        .collect();
    rows.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.id.cmp(&b.id)));
    let p = paged(rows, f.page.as_deref(), 50);
    Ok(EventList {
        total: p.total,
        page: p.page,
        pages: p.pages,
        events: p
            .items
            .into_iter()
            .map(|e| event_row(view, e, counts.get(e.id.as_str()).copied().unwrap_or(0)))
            .collect(),
    })
}

/// Events, newest first, filtered.
#[utoipa::path(get, path = "/api/events", tag = "events", params(EventFilter),
    responses((status = 200, body = EventList), (status = 400, body = WebError), (status = 401, body = WebError)))]
async fn api_list(
    State(state): State<AppState>,
    auth: Auth,
    Query(f): Query<EventFilter>,
) -> Result<Json<EventList>, WebError> {
    let snap = state.snapshot().await?;
    let view = snap.view(&auth.principal);
    Ok(Json(list(&view, &f)?))
}

async fn list_page(
    State(state): State<AppState>,
    auth: Auth,
    Query(f): Query<EventFilter>,
) -> Result<Html<String>, WebError> {
    let snap = state.snapshot().await?;
    let view = snap.view(&auth.principal);
    let l = list(&view, &f)?;
    let mut initiatives: Vec<(String, String)> = view
        .initiatives()
        .iter()
        .map(|i| (i.id.to_string(), i.name.clone()))
        .collect();
    initiatives.sort();
    let base = query_string(&[
        ("kind", given(&f.kind)),
        ("year", given(&f.year)),
        ("initiative", given(&f.initiative)),
        ("text", given(&f.text)),
    ]);
    state.render(
        Some(&auth),
        "events",
        "events/list.html",
        context! {
            list => l,
            kinds => EventKind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
            initiatives => initiatives,
            filter => context! { kind => given(&f.kind), year => given(&f.year),
                initiative => given(&f.initiative), text => given(&f.text) },
            base => base,
        },
    )
}

// ---------------------------------------------------------------------------------------------
// Details.

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

fn find_event<'a>(view: &View<'a>, id: &str) -> Result<&'a Event, WebError> {
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

fn participant_name(view: &View, plan: &MeetingPlan, id: &str) -> String {
    if let Some(o) = view.organisation(id) {
        return o.name.clone();
    }
    plan.participants
        .iter()
        .find(|p| p.id == id && p.org.is_some())
        .and_then(|p| p.name.clone())
        .unwrap_or_else(|| id.to_string())
}

async fn detail(state: &AppState, view: &View<'_>, id: &str) -> Result<EventDetail, WebError> {
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

fn schedule_view(view: &View, plan: &MeetingPlan) -> Option<ScheduleView> {
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
async fn api_detail(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<EventDetail>, WebError> {
    let snap = state.snapshot().await?;
    let view = snap.view(&auth.principal);
    Ok(Json(detail(&state, &view, &id).await?))
}

#[derive(Deserialize)]
struct NoticeQuery {
    notice: Option<String>,
}

fn notice_text(code: Option<&str>) -> Option<&'static str> {
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

async fn detail_page(
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

// ---------------------------------------------------------------------------------------------
// Creating and editing events.

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
    let kind =
        EventKind::parse(input.kind.trim()).map_err(|e| WebError::bad_input(e.to_string()))?;
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

fn next_id(prefix: &str, taken: impl Iterator<Item = String>) -> String {
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
async fn api_create(
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
async fn api_edit(
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
struct EventFormData {
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

async fn new_page(State(state): State<AppState>, auth: Auth) -> Result<Html<String>, WebError> {
    auth.require_editor("create events")?;
    let input = EventInput {
        kind: "networking_meeting".into(),
        ..EventInput::default()
    };
    form_page(&state, &auth, None, &input, None)
}

async fn edit_page(
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

async fn create_form(
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

async fn edit_form(
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

// ---------------------------------------------------------------------------------------------
// Meeting requests.

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
async fn api_requests(
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
async fn api_add_request(
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
struct RequestFormData {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    to: String,
    #[serde(default)]
    priority: Option<String>,
}

async fn request_form(
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

// ---------------------------------------------------------------------------------------------
// The scheduler.

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
async fn api_schedule(
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
async fn api_run_schedule(
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
struct ScheduleFormData {
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

async fn schedule_form(
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

// ---------------------------------------------------------------------------------------------
// Agendas.

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

fn agenda_rows(s: &ScheduleView, me: &str) -> Vec<AgendaRow> {
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
async fn api_agenda(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Query(q): Query<AgendaQuery>,
) -> Result<Json<Agenda>, WebError> {
    Ok(Json(agenda(&state, &auth, &id, &q).await?))
}

async fn agenda_page(
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

fn ics_time(local: &str) -> Option<chrono::NaiveDateTime> {
    chrono::NaiveDateTime::parse_from_str(local, "%Y-%m-%dT%H:%M").ok()
}

/// The agenda as an iCalendar file (RFC 5545: CRLF lines folded at 75 octets, escaped text,
/// one VEVENT per meeting with UID, DTSTAMP, DTSTART and DTEND in local time).
pub fn agenda_calendar(a: &Agenda, now: chrono::DateTime<chrono::Utc>) -> String {
    use milieu_schedule::agenda::{ics_escape, ics_fold};
    let mut out = String::new();
    for line in [
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".to_string(),
        "PRODID:-//milieu//milieu-web//EN".to_string(),
        "CALSCALE:GREGORIAN".to_string(),
        "METHOD:PUBLISH".to_string(),
        format!(
            "X-WR-CALNAME:{}",
            ics_escape(&format!("{} - {}", a.title, a.participant_name))
        ),
    ] {
        out.push_str(&ics_fold(&line));
    }
    let stamp = now.format("%Y%m%dT%H%M%SZ").to_string();
    for m in &a.meetings {
        let Some(start) = ics_time(&m.start) else {
            continue;
        };
        let end = start + chrono::Duration::minutes(i64::from(m.minutes));
        let (x, y) = if a.participant <= m.with {
            (&a.participant, &m.with)
        } else {
            (&m.with, &a.participant)
        };
        for line in [
            "BEGIN:VEVENT".to_string(),
            format!("UID:{}", ics_escape(&format!("{}-{x}-{y}@milieu", a.event))),
            format!("DTSTAMP:{stamp}"),
            format!("DTSTART:{}", start.format("%Y%m%dT%H%M%S")),
            format!("DTEND:{}", end.format("%Y%m%dT%H%M%S")),
            format!(
                "SUMMARY:{}",
                ics_escape(&format!("Meeting with {}", m.with_name))
            ),
            format!("LOCATION:{}", ics_escape(&format!("Table {}", m.table))),
            format!(
                "DESCRIPTION:{}",
                ics_escape(&format!(
                    "{}: 1:1 meeting of {} and {} at table {}.",
                    a.title, a.participant_name, m.with_name, m.table
                ))
            ),
            "END:VEVENT".to_string(),
        ] {
            out.push_str(&ics_fold(&line));
        }
    }
    out.push_str(&ics_fold("END:VCALENDAR"));
    out
}

async fn agenda_ics(
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

// ---------------------------------------------------------------------------------------------
// Topic requests.

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

fn topics(view: &View, auth: &Auth) -> Vec<TopicRow> {
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

async fn vote(state: &AppState, auth: &Auth, id: &str) -> Result<usize, WebError> {
    let org = member_org(auth, "vote for topics")?;
    Ok(milieu_app::topics::vote(state.store(), &org, id).await?)
}

/// Topic requests, most voted first.
#[utoipa::path(get, path = "/api/topics", tag = "events",
    responses((status = 200, body = [TopicRow]), (status = 401, body = WebError)))]
async fn api_topics(
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
async fn api_add_topic(
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
async fn api_vote(
    State(state): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<VoteResult>, WebError> {
    auth.check_csrf_header(&headers)?;
    let votes = vote(&state, &auth, &id).await?;
    Ok(Json(VoteResult { id, votes }))
}

async fn topics_page(
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
struct TopicFormData {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    topic: String,
    #[serde(default)]
    initiative: Option<String>,
}

async fn topic_form(
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
struct CsrfForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
}

async fn vote_form(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    axum::Form(form): axum::Form<CsrfForm>,
) -> Result<Response, WebError> {
    auth.check_csrf(Some(&form.csrf))?;
    vote(&state, &auth, &id).await?;
    Ok(Redirect::to("/topics?notice=voted").into_response())
}
