//! Uploads of registry files: the `/import` page (a form with the kind and a .csv or .json
//! file) and `POST /api/import/{kind}` (the file as the raw body). Editors only.
//!
//! The same readers and checks as `milieu import`: all or nothing through
//! `milieu_app::import_checked`; a bad file is refused with 400 and every error it produced,
//! each naming the file, line (or JSON item), column, value and what was expected; nothing is
//! written. Bodies over the server's upload limit are refused with 413 before anything is read
//! into the registry.

use crate::auth::Auth;
use crate::{ApiRouter, AppState, WebError};
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use milieu_app::AppError;
use milieu_io::LocatedDataset;
use milieu_model::{EntityKind, ErrorCode};
use minijinja::context;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::routes;

pub fn router() -> ApiRouter {
    ApiRouter::new()
        .route("/import", get(page).post(upload))
        .routes(routes!(api_import))
}

/// The kinds an upload accepts: every registry kind (as `milieu import` names them) and
/// `dataset`, a whole JSON document with several kinds.
fn kinds() -> Vec<&'static str> {
    let mut v: Vec<&'static str> = EntityKind::ALL.iter().map(|k| k.plural()).collect();
    v.push("dataset");
    v
}

/// What an import wrote.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportCounts {
    /// The file name the errors and this report refer to.
    pub source: String,
    /// Records written, per kind.
    pub counts: Vec<KindCount>,
    /// All records written.
    pub total: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct KindCount {
    pub kind: String,
    pub count: u64,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Csv,
    Json,
}

/// Reads the file into a batch with the registry readers.
fn read_batch(
    kind: &str,
    source: &str,
    format: Format,
    bytes: &[u8],
) -> Result<LocatedDataset, AppError> {
    if kind == "dataset" {
        if format != Format::Json {
            return Err(AppError::Usage(
                "a dataset upload is a JSON document ({\"organisations\": [...], ...}); choose a .json file"
                    .into(),
            ));
        }
        return Ok(milieu_io::registry_json::read_dataset(source, bytes)?);
    }
    let k = EntityKind::from_plural(kind).ok_or_else(|| {
        AppError::Usage(format!(
            "unknown import kind {kind:?}; expected one of: {}",
            kinds().join(", ")
        ))
    })?;
    let mut batch = LocatedDataset::new(source);
    match format {
        Format::Csv => milieu_io::registry_csv::read(k, source, bytes, &mut batch)?,
        Format::Json => milieu_io::registry_json::read(k, source, bytes, &mut batch)?,
    };
    Ok(batch)
}

/// Reads and imports; a user error becomes `bad_input` with every problem in `details`.
async fn run(
    state: &AppState,
    kind: &str,
    source: &str,
    format: Format,
    bytes: &[u8],
) -> Result<ImportCounts, WebError> {
    let result = match read_batch(kind, source, format, bytes) {
        Ok(batch) => milieu_app::import_checked(state.store(), &batch).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(report) => Ok(ImportCounts {
            source: source.to_string(),
            total: report.counts.iter().map(|(_, n)| n).sum(),
            counts: report
                .counts
                .into_iter()
                .filter(|(_, n)| *n > 0)
                .map(|(kind, count)| KindCount { kind, count })
                .collect(),
        }),
        Err(e) if e.is_user_error() => {
            let details = match (&e, format) {
                (AppError::Input(first), Format::Csv) if kind != "dataset" => {
                    every_row_error(kind, source, bytes, first)
                }
                _ => vec![e.to_string()],
            };
            let message = match &e {
                AppError::Input(_) => format!("{source} was not imported; nothing was written"),
                _ => format!("{e}; nothing was written"),
            };
            Err(WebError::new(e.error_code(), message).with_details(details))
        }
        Err(e) => Err(WebError::from(e)),
    }
}

/// Most errors a person can fix in one go: when the reader stopped at a bad row, every data
/// row is read again on its own so that each bad row is listed with its line (at most 100).
/// Only for files whose rows are one line each (no quoted fields); otherwise, and for
/// problems of the whole batch (duplicates, references), the first error alone.
fn every_row_error(
    kind: &str,
    source: &str,
    bytes: &[u8],
    first: &milieu_io::InputError,
) -> Vec<String> {
    const MAX: usize = 100;
    let single = vec![first.to_string()];
    let (Some(k), Ok(text)) = (EntityKind::from_plural(kind), std::str::from_utf8(bytes)) else {
        return single;
    };
    let milieu_io::Position::Line(first_line) = first.position else {
        return single;
    };
    if first_line < 2 || text.contains('"') {
        return single;
    }
    let mut lines = text.lines();
    let Some(header) = lines.next() else {
        return single;
    };
    let mut out = Vec::new();
    for (i, line) in lines.enumerate() {
        let number = i as u64 + 2;
        if number < first_line || line.trim().is_empty() {
            continue;
        }
        let one = format!("{header}\n{line}\n");
        let mut scratch = LocatedDataset::new(source);
        if let Err(mut e) = milieu_io::registry_csv::read(k, source, one.as_bytes(), &mut scratch) {
            if e.position == milieu_io::Position::Line(2) {
                e.position = milieu_io::Position::Line(number);
            }
            out.push(e.to_string());
            if out.len() == MAX {
                out.push(format!(
                    "... and possibly more; only the first {MAX} are listed"
                ));
                break;
            }
        }
    }
    if out.first() != Some(&first.to_string()) {
        return single;
    }
    out
}

fn too_large(state: &AppState) -> WebError {
    WebError::new(
        WebError::PAYLOAD_TOO_LARGE,
        format!(
            "the upload is larger than the server accepts ({} bytes); split the file",
            state.options().max_upload_bytes
        ),
    )
}

/// A file name safe to show and to name in messages: its last path component, printable.
fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let cleaned: String = base.chars().filter(|c| !c.is_control()).take(200).collect();
    if cleaned.trim().is_empty() {
        "upload".into()
    } else {
        cleaned
    }
}

async fn page(State(state): State<AppState>, auth: Auth) -> Result<Html<String>, WebError> {
    auth.require_editor("import files")?;
    render(&state, &auth, None, None, None, None)
}

fn render(
    state: &AppState,
    auth: &Auth,
    kind: Option<&str>,
    report: Option<&ImportCounts>,
    error: Option<&WebError>,
    file: Option<&str>,
) -> Result<Html<String>, WebError> {
    state.render(
        Some(auth),
        "import",
        "imports/import.html",
        context! {
            kinds => kinds(),
            kind => kind,
            report => report,
            error => error.map(|e| context! { message => &e.message, details => &e.details }),
            file => file,
            max_bytes => state.options().max_upload_bytes,
        },
    )
}

async fn upload(
    State(state): State<AppState>,
    auth: Auth,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, WebError> {
    let mut multipart =
        multipart.map_err(|e| WebError::bad_input(format!("the form: {}", e.body_text())))?;
    // Read every part first (the token may come after the file), then check the token before
    // anything else happens.
    let mut csrf = None;
    let mut kind = None;
    let mut file: Option<(String, Bytes)> = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_large(&state)),
            Err(e) => return Err(WebError::bad_input(format!("the form: {}", e.body_text()))),
        };
        let name = field.name().unwrap_or("").to_string();
        let file_name = field.file_name().map(str::to_string);
        let data = match field.bytes().await {
            Ok(d) => d,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_large(&state)),
            Err(e) => return Err(WebError::bad_input(format!("the form: {}", e.body_text()))),
        };
        match name.as_str() {
            crate::auth::CSRF_FIELD => csrf = Some(String::from_utf8_lossy(&data).into_owned()),
            "kind" => kind = Some(String::from_utf8_lossy(&data).trim().to_string()),
            "file" => file = Some((file_name.unwrap_or_default(), data)),
            _ => {}
        }
    }
    auth.check_csrf(csrf.as_deref())?;
    auth.require_editor("import files")?;
    let kind = kind.unwrap_or_default();
    let fail = |e: WebError, file: Option<&str>| -> Result<Response, WebError> {
        let page = render(&state, &auth, Some(&kind), None, Some(&e), file)?;
        Ok((e.status(), page).into_response())
    };
    let Some((name, data)) = file.filter(|(n, d)| !n.is_empty() || !d.is_empty()) else {
        return fail(WebError::bad_input("choose a file to import"), None);
    };
    let name = clean_name(&name);
    let lower = name.to_lowercase();
    let format = if lower.ends_with(".json") {
        Format::Json
    } else if lower.ends_with(".csv") || lower.ends_with(".txt") {
        Format::Csv
    } else {
        return fail(
            WebError::bad_input(format!("{name}: expected a .csv or .json file")),
            Some(&name),
        );
    };
    if !kinds().contains(&kind.as_str()) {
        return fail(
            WebError::bad_input(format!(
                "choose what the file holds: one of {}",
                kinds().join(", ")
            )),
            Some(&name),
        );
    }
    match run(&state, &kind, &name, format, &data).await {
        Ok(report) => Ok(
            render(&state, &auth, Some(&kind), Some(&report), None, Some(&name))?.into_response(),
        ),
        Err(e) if e.code.is_user_error() => fail(e, Some(&name)),
        Err(e) => Err(e),
    }
}

/// Import a registry file (editors only), all or nothing. The body is the file itself:
/// `Content-Type: text/csv` (the kind's CSV columns, see docs/formats.md) or
/// `application/json` (an array of records; for `dataset`, a whole document). A bad file is
/// refused with 400 `bad_input` and every error in `details`; nothing is written.
#[utoipa::path(post, path = "/api/import/{kind}", tag = "import",
    params(("kind" = String, Path, description = "organisations, people, affiliations, clusters, initiatives, memberships, events, attendance, topic_requests, projects, participations, ties, introductions, opportunities, outcomes, or dataset")),
    request_body(content = String, description = "The CSV or JSON file", content_type = "text/csv"),
    responses((status = 200, body = ImportCounts), (status = 400, body = WebError),
        (status = 403, body = WebError), (status = 413, body = WebError), (status = 415, body = WebError)))]
async fn api_import(
    State(state): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Path(kind): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<ImportCounts>, WebError> {
    auth.check_csrf_header(&headers)?;
    auth.require_editor("import files")?;
    let body = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            too_large(&state)
        } else {
            WebError::bad_input(format!("request body: {}", e.body_text()))
        }
    })?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let format = match content_type.as_str() {
        "text/csv" | "application/csv" | "text/plain" => Format::Csv,
        "application/json" => Format::Json,
        other => {
            return Err(WebError::new(
                WebError::UNSUPPORTED_MEDIA_TYPE,
                format!("Content-Type {other:?}: expected text/csv or application/json"),
            ));
        }
    };
    if !kinds().contains(&kind.as_str()) {
        return Err(WebError::not_found(format!(
            "import kind {kind:?} (expected one of: {})",
            kinds().join(", ")
        )));
    }
    let source = format!(
        "{kind}.{}",
        if format == Format::Json {
            "json"
        } else {
            "csv"
        }
    );
    Ok(Json(run(&state, &kind, &source, format, &body).await?))
}
