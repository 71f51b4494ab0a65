//! Adding and editing organisations: the form fields (named after the CSV columns), the pages,
//! and the JSON API, all written through `import_checked` / `replace_checked`.

use super::app_error_json;
use super::{FormError, form_error, json_body, parse_fields};
use crate::auth::Auth;
use crate::{AppState, WebError};
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use milieu_app::AppError;
use milieu_io::{Located, LocatedDataset, Position};
use milieu_model::{EntityKind, Motivation, OrgKind, Organisation, SizeClass, Stage, Vocabulary};
use minijinja::context;
use std::collections::HashMap;

/// The fields of the organisation form: CSV column, label, input type, hint.
const ORG_FIELDS: &[(&str, &str, &str, &str)] = &[
    (
        "id",
        "Id",
        "text",
        "Your key for it, e.g. a CRM id; cannot be changed later",
    ),
    ("name", "Name", "text", ""),
    ("kind", "Kind", "select", ""),
    (
        "employees",
        "Employees",
        "number",
        "Headcount; sets the size class",
    ),
    (
        "size_class",
        "Size class",
        "select",
        "When the headcount is unknown",
    ),
    ("stage", "Stage", "select", ""),
    (
        "sectors",
        "Sectors",
        "text",
        "Codes separated by ; such as naics:541511; nace:C26.11",
    ),
    (
        "region",
        "Region",
        "text",
        "A NUTS, county FIPS or local code",
    ),
    ("country", "Country", "text", "ISO 3166-1 alpha-2, e.g. DE"),
    ("city", "City", "text", ""),
    ("lat", "Latitude", "text", "-90 to 90"),
    ("lon", "Longitude", "text", "-180 to 180"),
    ("founded", "Founded", "text", "YYYY-MM-DD (or YYYY)"),
    (
        "parent_id",
        "Spun off from",
        "text",
        "Id of the parent organisation",
    ),
    (
        "acquired_by",
        "Acquired by",
        "text",
        "Id of the acquiring organisation",
    ),
    ("acquired_on", "Acquired on", "text", "YYYY-MM-DD"),
    (
        "countries_served",
        "Countries served",
        "text",
        "Codes separated by ;",
    ),
    (
        "export_share",
        "Export share",
        "text",
        "Share of sales abroad, 0 to 1",
    ),
    ("description", "Description", "textarea", ""),
    (
        "offers",
        "Offers",
        "textarea",
        "Products, services, capabilities",
    ),
    ("requests", "Requests", "textarea", "What it looks for"),
    ("keywords", "Keywords", "text", "Separated by ;"),
    (
        "motivations",
        "Motivations",
        "text",
        "Separated by ;: leads; alliances; information; peer_support",
    ),
];

fn org_field_options(name: &str) -> Vec<&'static str> {
    match name {
        "kind" => OrgKind::ALL.iter().map(|v| v.as_str()).collect(),
        "size_class" => SizeClass::ALL.iter().map(|v| v.as_str()).collect(),
        "stage" => Stage::ALL.iter().map(|v| v.as_str()).collect(),
        _ => Vec::new(),
    }
}

fn render_org_form(
    state: &AppState,
    auth: &Auth,
    editing: Option<&str>,
    values: &HashMap<String, String>,
    error: Option<FormError>,
) -> Result<Html<String>, WebError> {
    let required = milieu_io::registry_csv::columns(EntityKind::Organisation).required;
    let fields: Vec<_> = ORG_FIELDS
        .iter()
        .map(|&(name, label, input, hint)| {
            let err = error
                .as_ref()
                .filter(|e| e.field.as_deref() == Some(name))
                .map(|e| e.expected.clone());
            context! {
                name => name,
                label => label,
                input => input,
                hint => hint,
                options => org_field_options(name),
                value => values.get(name).cloned().unwrap_or_default(),
                error => err,
                required => matches!(name, "id" | "name" | "kind") && required.contains(&name),
                readonly => editing.is_some() && name == "id",
            }
        })
        .collect();
    state.render(
        Some(auth),
        "orgs",
        "orgs/form.html",
        context! {
            editing => editing,
            fields => fields,
            error => error,
            motivations => Motivation::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>(),
        },
    )
}

pub(super) async fn new_page(
    State(state): State<AppState>,
    auth: Auth,
) -> Result<Html<String>, WebError> {
    auth.require_editor("add organisations")?;
    let mut values = HashMap::new();
    values.insert("kind".to_string(), "firm".to_string());
    render_org_form(&state, &auth, None, &values, None)
}

/// The form's values in the column order of [`ORG_FIELDS`], without the CSRF field.
fn org_fields(values: &HashMap<String, String>) -> Vec<(String, String)> {
    ORG_FIELDS
        .iter()
        .map(|(name, ..)| {
            (
                name.to_string(),
                values.get(*name).cloned().unwrap_or_default(),
            )
        })
        .collect()
}

pub(super) async fn new_form(
    State(state): State<AppState>,
    auth: Auth,
    axum::Form(form): axum::Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    auth.check_csrf(form.get(crate::auth::CSRF_FIELD).map(String::as_str))?;
    auth.require_editor("add organisations")?;
    let result = match parse_fields(EntityKind::Organisation, "form", &org_fields(&form)) {
        Ok(batch) => milieu_app::import_checked(state.store(), &batch)
            .await
            .map(|_| batch.organisations[0].record.id.to_string()),
        Err(e) => Err(e),
    };
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/orgs/{}", seg(&id))).into_response()),
        Err(e) => {
            let fe = form_error(e)?;
            let page = render_org_form(&state, &auth, None, &form, Some(fe))?;
            Ok((StatusCode::BAD_REQUEST, page).into_response())
        }
    }
}

/// Percent-encodes a path segment (slashes included).
pub(crate) fn seg(text: &str) -> String {
    crate::auth::url_encode(text).replace('/', "%2F")
}

fn current_values(o: &Organisation) -> HashMap<String, String> {
    let (names, rows) = milieu_io::export::rows(EntityKind::Organisation, std::slice::from_ref(o));
    names
        .iter()
        .map(|n| n.to_string())
        .zip(rows.into_iter().next().unwrap_or_default())
        .collect()
}

pub(super) async fn edit_page(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Html<String>, WebError> {
    auth.require_editor("edit organisations")?;
    let snap = state.snapshot().await?;
    let view = snap.view(&auth.principal);
    let org = view
        .organisation(&id)
        .ok_or_else(|| WebError::not_found(format!("organisation {id:?}")))?;
    render_org_form(&state, &auth, Some(&id), &current_values(org), None)
}

pub(super) async fn edit_form(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    axum::Form(mut form): axum::Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    auth.check_csrf(form.get(crate::auth::CSRF_FIELD).map(String::as_str))?;
    auth.require_editor("edit organisations")?;
    // The id is the one in the address; the form cannot change it.
    form.insert("id".into(), id.clone());
    let result = match parse_fields(EntityKind::Organisation, "form", &org_fields(&form)) {
        Ok(mut batch) => match batch.organisations.pop() {
            Some(record) => milieu_app::replace_checked(state.store(), "form", record).await,
            None => Err(AppError::Usage("the form holds no organisation".into())),
        },
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/orgs/{}", seg(&id))).into_response()),
        Err(e) => {
            let fe = form_error(e)?;
            let page = render_org_form(&state, &auth, Some(&id), &form, Some(fe))?;
            Ok((StatusCode::BAD_REQUEST, page).into_response())
        }
    }
}

/// Add an organisation (managers and administrators). The body is a milieu-model
/// `Organisation`; it is checked like a file import (valid fields, new id, references).
#[utoipa::path(post, path = "/api/orgs", tag = "organisations",
    request_body(content = Object, description = "An Organisation record (id, name, kind, ...)"),
    responses((status = 201, body = Object, description = "The organisation as stored"),
        (status = 400, body = WebError), (status = 403, body = WebError)))]
pub(super) async fn api_create_org(
    State(state): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    body: Result<Json<Organisation>, JsonRejection>,
) -> Result<(StatusCode, Json<Organisation>), WebError> {
    auth.check_csrf_header(&headers)?;
    auth.require_editor("add organisations")?;
    let org = json_body(body)?;
    let mut batch = LocatedDataset::new("request body");
    batch.organisations.push(Located {
        position: Position::Arguments,
        record: org.clone(),
    });
    milieu_app::import_checked(state.store(), &batch)
        .await
        .map_err(app_error_json)?;
    Ok((StatusCode::CREATED, Json(org)))
}

/// Replace an organisation's record (managers and administrators). The body's `id` must be
/// the one in the path.
#[utoipa::path(put, path = "/api/orgs/{id}", tag = "organisations",
    params(("id" = String, Path, description = "Organisation id")),
    request_body(content = Object, description = "The whole Organisation record"),
    responses((status = 200, body = Object, description = "The organisation as stored"),
        (status = 400, body = WebError), (status = 403, body = WebError), (status = 404, body = WebError)))]
pub(super) async fn api_update_org(
    State(state): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Result<Json<Organisation>, JsonRejection>,
) -> Result<Json<Organisation>, WebError> {
    auth.check_csrf_header(&headers)?;
    auth.require_editor("edit organisations")?;
    let org = json_body(body)?;
    if org.id.as_str() != id {
        return Err(WebError::bad_input(format!(
            "field id: value {:?}: expected the id in the path ({id:?}); ids cannot be changed",
            org.id.as_str()
        )));
    }
    milieu_app::replace_checked(
        state.store(),
        "request body",
        Located {
            position: Position::Arguments,
            record: org.clone(),
        },
    )
    .await
    .map_err(app_error_json)?;
    Ok(Json(org))
}
