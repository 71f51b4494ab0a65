//! Events: the list with filters, an event's details and attendance, editors' forms to create
//! and edit events, topic requests with members' votes, and for brokerage events the meeting
//! requests, the scheduler and each participant's agenda (page, JSON and iCalendar).
//!
//! Who sees what of a brokerage event is [`milieu_app::access::View::meeting_requests`] and
//! [`milieu_app::access::View::meetings`]: the team everything, a member what its organisation
//! asked for or was asked, a funder nothing of the meetings.
//!
//! One module per feature: [`list`], [`detail`], [`forms`] (create and edit), [`requests`]
//! (meeting requests), [`scheduler`], [`agenda`] (page, JSON, .ics) and [`topics`] (topic
//! requests and votes). This module holds the router and what several of them share.

use crate::{ApiRouter, WebError};
use utoipa_axum::routes;

mod agenda;
mod detail;
mod forms;
mod list;
mod requests;
mod scheduler;
mod topics;

pub use agenda::{Agenda, AgendaQuery, AgendaRow, agenda_calendar};
pub use detail::{AttendeeRow, EventDetail, MeetingRow, RequestRow, ScheduleView, SlotRow};
pub use forms::EventInput;
pub use list::{EventFilter, EventList, EventRow};
pub use requests::NewMeetingRequest;
pub use scheduler::{ScheduleRequest, ScheduleResult};
pub use topics::{NewTopic, TopicRow, VoteResult};

pub fn router() -> ApiRouter {
    use axum::routing::{get, post};
    ApiRouter::new()
        .route("/events", get(list::list_page).post(forms::create_form))
        .route("/events/new", get(forms::new_page))
        .route("/events/{id}", get(detail::detail_page))
        .route(
            "/events/{id}/edit",
            get(forms::edit_page).post(forms::edit_form),
        )
        .route("/events/{id}/requests", post(requests::request_form))
        .route("/events/{id}/schedule", post(scheduler::schedule_form))
        .route("/events/{id}/agenda", get(agenda::agenda_page))
        .route("/events/{id}/agenda.ics", get(agenda::agenda_ics))
        .route("/topics", get(topics::topics_page).post(topics::topic_form))
        .route("/topics/{id}/vote", post(topics::vote_form))
        .routes(routes!(list::api_list, forms::api_create))
        .routes(routes!(detail::api_detail, forms::api_edit))
        .routes(routes!(requests::api_requests, requests::api_add_request))
        .routes(routes!(
            scheduler::api_schedule,
            scheduler::api_run_schedule
        ))
        .routes(routes!(agenda::api_agenda))
        .routes(routes!(topics::api_topics, topics::api_add_topic))
        .routes(routes!(topics::api_vote))
}

/// A malformed date field of a form or a body, as `bad_input`.
fn bad_date(field: &str, text: &str) -> WebError {
    WebError::bad_input(format!("{field} {text:?}: expected a date YYYY-MM-DD"))
}
