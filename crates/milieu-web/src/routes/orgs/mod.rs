//! The registry directory: organisations (search, profiles, the forms that add and edit them),
//! ties (a tie's page, the visible ties, recording a new one) and people.
//!
//! Design choices:
//! - Searching runs over the in-memory snapshot, not SQL: every filter is a plain string
//!   comparison in Rust, so no user text ever reaches a query and `%`, `_` or quotes are just
//!   characters to find.
//! - Everything about a firm is read through [`milieu_app::access::View`]; a tie the account
//!   may not see answers 404 exactly like a missing one.
//! - The forms name their fields after the kind's CSV columns and are parsed by the same reader
//!   as a file import ([`parse_fields`]), then written through `import_checked` /
//!   `replace_checked`: one set of rules and one style of error message (field, value, what was
//!   expected) for files, forms, the JSON API and the command line.
//!
//! One module per feature: [`directory`] (search), [`profile`], [`forms`] (add and edit),
//! [`ties`] and [`people`]. This module holds the router and the helpers they share.

use crate::routes::paging::PageRequest;
use crate::{ApiRouter, WebError};
use axum::Json;
use axum::extract::Query;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::routing::{get, post};
use milieu_app::AppError;
use milieu_io::{LocatedDataset, Position};
use milieu_model::EntityKind;
use serde::Serialize;
use utoipa_axum::routes;

mod directory;
mod forms;
mod people;
mod profile;
mod ties;

pub use directory::{OrgPage, OrgQuery};
pub use people::{AffiliationRow, PersonPage, PersonQuery, PersonRow};
pub use profile::{
    EventAttended, OrgProfile, ProfileIntroduction, ProfileOutcome, ProfileTie, TieFormValues,
};
pub use ties::{NewTie, TiePage, TieQuery};

pub fn router() -> ApiRouter {
    ApiRouter::new()
        .route("/orgs", get(directory::list_page))
        .route("/orgs/new", get(forms::new_page).post(forms::new_form))
        .route("/orgs/{id}", get(profile::profile_page))
        .route(
            "/orgs/{id}/edit",
            get(forms::edit_page).post(forms::edit_form),
        )
        .route("/ties", post(ties::tie_form))
        .route("/ties/{id}", get(ties::tie_page))
        .route("/people", get(people::people_page))
        .route("/people/{id}", get(people::person_page))
        .routes(routes!(directory::api_orgs, forms::api_create_org))
        .routes(routes!(profile::api_org, forms::api_update_org))
        .routes(routes!(ties::api_ties, ties::api_create_tie))
        .routes(routes!(ties::api_tie))
        .routes(routes!(people::api_people))
}

/// Page size of the HTML lists and the API's default `limit`.
const PAGE: usize = 50;

// ---------------------------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------------------------

/// A query string the extractor could not read becomes a `bad_input` error (JSON under /api).
pub(crate) fn query<T>(q: Result<Query<T>, QueryRejection>) -> Result<T, WebError> {
    q.map(|Query(v)| v)
        .map_err(|e| WebError::bad_input(format!("query parameters: {}", e.body_text())))
}

fn json_body<T>(b: Result<Json<T>, JsonRejection>) -> Result<T, WebError> {
    b.map(|Json(v)| v)
        .map_err(|e| WebError::bad_input(format!("request body: {}", e.body_text())))
}

/// The page an organisation, people or tie listing asks for (default [`PAGE`] rows).
fn page_request(
    page: &Option<String>,
    per_page: Option<usize>,
    offset: Option<usize>,
) -> PageRequest {
    PageRequest::new(page.as_deref(), per_page, offset, PAGE)
}

fn csv_cell(v: &str) -> String {
    format!("\"{}\"", v.replace('"', "\"\""))
}

/// Parses one record of `kind` from (column, value) pairs with the file importer's CSV reader,
/// so a form gets the same rules and messages as a file. Positions become "given values".
pub(crate) fn parse_fields(
    kind: EntityKind,
    source: &str,
    fields: &[(String, String)],
) -> Result<LocatedDataset, AppError> {
    let header: Vec<String> = fields.iter().map(|(k, _)| csv_cell(k)).collect();
    let row: Vec<String> = fields.iter().map(|(_, v)| csv_cell(v)).collect();
    let text = format!("{}\n{}\n", header.join(","), row.join(","));
    let mut batch = LocatedDataset::new(source);
    milieu_io::registry_csv::read(kind, source, text.as_bytes(), &mut batch).map_err(|mut e| {
        if matches!(e.position, Position::Line(_)) {
            e.position = Position::Arguments;
        }
        AppError::Input(e)
    })?;
    for l in &mut batch.organisations {
        l.position = Position::Arguments;
    }
    for l in &mut batch.ties {
        l.position = Position::Arguments;
    }
    Ok(batch)
}

/// A form's problem, for showing next to the form: the field (when known) and the message.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FormError {
    pub field: Option<String>,
    pub expected: String,
    pub message: String,
}

/// Splits a use-case error into what a form shows (user errors) or the error to return.
pub(crate) fn form_error(e: AppError) -> Result<FormError, WebError> {
    match e {
        AppError::Input(i) => Ok(FormError {
            field: i.column.clone(),
            expected: match &i.value {
                Some(v) if !v.is_empty() => format!("value {v:?}: expected {}", i.expected),
                _ => format!("expected {}", i.expected),
            },
            message: i.to_string(),
        }),
        AppError::Usage(m) => Ok(FormError {
            field: None,
            expected: m.clone(),
            message: m,
        }),
        other => Err(WebError::from(other)),
    }
}

/// A use-case error as a JSON answer: an input error keeps its message as the only detail.
fn app_error_json(e: AppError) -> WebError {
    match &e {
        AppError::Input(i) => WebError::bad_input(i.to_string()).with_details(vec![i.to_string()]),
        _ => WebError::from(e),
    }
}
