//! The event list: filters (kind, initiative, dates, text), newest first, a page at a time.

use crate::auth::Auth;
use crate::routes::paging::{PageRequest, paged, query_string};
use crate::routes::{given, org_name};
use crate::{AppState, WebError};
use axum::Json;
use axum::extract::{Query, State};
use axum::response::Html;
use milieu_app::access::View;
use milieu_model::{Event, EventKind, Vocabulary};
use minijinja::context;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::{IntoParams, ToSchema};

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
    /// Rows per page (default 50, at most 1000; `limit` is the older spelling).
    #[serde(alias = "limit")]
    pub per_page: Option<usize>,
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

pub(super) fn event_row(view: &View, e: &Event, attendance: usize) -> EventRow {
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

pub(super) fn attendance_counts<'a>(view: &View<'a>) -> HashMap<&'a str, usize> {
    let mut counts = HashMap::new();
    for a in view.attendance() {
        *counts.entry(a.event.as_str()).or_default() += 1;
    }
    counts
}

fn list(view: &View, f: &EventFilter) -> Result<EventList, WebError> {
    let kind = match given(&f.kind) {
        Some(k) => Some(EventKind::parse(k).map_err(WebError::from)?),
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
    let p = paged(
        rows,
        &PageRequest::new(f.page.as_deref(), f.per_page, None, 50),
    );
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
pub(super) async fn api_list(
    State(state): State<AppState>,
    auth: Auth,
    Query(f): Query<EventFilter>,
) -> Result<Json<EventList>, WebError> {
    let snap = state.snapshot().await?;
    let view = snap.view(&auth.principal);
    Ok(Json(list(&view, &f)?))
}

pub(super) async fn list_page(
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
