//! milieu's web server: a JSON API under `/api` and server-rendered pages over the same store
//! and engines as the command line.
//!
//! Design choices:
//! - Every read goes through [`milieu_app::access::View`], which applies the confidentiality
//!   rule; handlers never filter by visibility themselves. The registry is read from an
//!   in-memory [`milieu_app::access::Snapshot`] reloaded when the store's write generation
//!   moves, so a page read costs one session lookup and no registry query.
//! - Pages are HTML rendered by minijinja templates (auto-escaped), usable without
//!   JavaScript; the network map and charts use small vendored scripts from `static/`.
//! - Each feature is one module of [`routes`] that returns an [`ApiRouter`] holding both its
//!   pages and its documented API operations; [`app`] merges them and serves the OpenAPI
//!   document the operations produce at `/api/openapi.json`.
//! - Errors are `{code, message, details}` JSON under `/api` and an HTML page elsewhere
//!   ([`error::WebError`]), with the stable codes of docs/errors.md; axum's own plain-text
//!   rejections are turned into the same shape by one middleware.

pub mod auth;
pub mod error;
pub mod routes;
mod state;
mod templates;

pub use error::WebError;
pub use state::{AppState, ServeOptions};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, header};
use axum::middleware;
use utoipa_axum::router::OpenApiRouter;

/// A feature module's routes: pages (plain routes) and API operations (documented).
pub type ApiRouter = OpenApiRouter<AppState>;

/// The whole application: every feature's routes, the OpenAPI document, static files and the
/// security headers.
pub fn app(state: AppState) -> Router {
    let (router, api) = routes::all().split_for_parts();
    let api_json = std::sync::Arc::new(
        api.to_pretty_json()
            .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}")),
    );
    let max_upload = state.options().max_upload_bytes;
    router
        .route(
            "/api/openapi.json",
            axum::routing::get(move || {
                let body = api_json.clone();
                async move {
                    (
                        [(
                            header::CONTENT_TYPE,
                            HeaderValue::from_static("application/json"),
                        )],
                        body.as_str().to_owned(),
                    )
                }
            }),
        )
        .layer(middleware::from_fn_with_state(state.clone(), error_answers))
        .layer(middleware::from_fn(security_headers))
        .layer(DefaultBodyLimit::max(max_upload))
        .with_state(state)
}

/// Headers on every response: no framing, no sniffing, scripts only from this origin, and no
/// caching of pages that may hold confidential data.
async fn security_headers(
    request: axum::extract::Request,
    next: middleware::Next,
) -> axum::response::Response {
    let is_static = request.uri().path().starts_with("/static/");
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
             img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; \
             base-uri 'self'; form-action 'self'",
        ),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    if !is_static && !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// Every error answer has one shape. An error a handler returned carries its [`WebError`]; one
/// that axum wrote itself (a path, query or body it could not read, an unknown route, a method
/// the route does not take) is plain text or empty, and becomes a [`WebError`] here with the
/// code its status stands for, so no extractor or route can answer in another shape. Under
/// `/api` the error is answered as JSON, elsewhere as an HTML page saying the same thing.
async fn error_answers(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: axum::extract::Request,
    next: middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let path = request.uri().path().to_string();
    let method = request.method().clone();
    let api = path == "/api" || path.starts_with("/api/");
    // Only the session cookie is kept: the account is looked up when there is an error page
    // to render, not on every request (the handler's extractor already looked it up).
    let cookies: Vec<HeaderValue> = if api {
        Vec::new()
    } else {
        request
            .headers()
            .get_all(header::COOKIE)
            .iter()
            .cloned()
            .collect()
    };
    let response = next.run(request).await;
    let status = response.status();
    if !status.is_client_error() && !status.is_server_error() {
        return response;
    }
    let (error, response) = match response.extensions().get::<WebError>().cloned() {
        Some(error) => (error, response),
        None if is_plain_text(&response) => {
            let (parts, body) = response.into_parts();
            // axum's rejection texts are short; a longer body is cut, not refused.
            let text = axum::body::to_bytes(body, 16 * 1024)
                .await
                .map(|b| String::from_utf8_lossy(&b).trim().to_string())
                .unwrap_or_default();
            let error = plain_error(status, text, &method, &path);
            let mut response = error.clone().into_response();
            if let Some(allow) = parts.headers.get(header::ALLOW) {
                response.headers_mut().insert(header::ALLOW, allow.clone());
            }
            (error, response)
        }
        // A page the handler rendered itself (the login form after a failed login).
        None => return response,
    };
    if api {
        return response;
    }
    let mut headers = axum::http::HeaderMap::new();
    for c in cookies {
        headers.append(header::COOKIE, c);
    }
    let auth = auth::Auth::from_headers(&state, &headers)
        .await
        .ok()
        .flatten();
    let status = error.status();
    let context = minijinja::context! {
        status => format!("{} {}", status.as_u16(), status.canonical_reason().unwrap_or("")),
        code => error.code,
        message => error.message,
        details => error.details,
    };
    match state.render(auth.as_ref(), "", "error.html", context) {
        Ok(page) => (status, page).into_response(),
        Err(_) => response,
    }
}

/// An answer without a body, or with a plain-text one: what axum writes for its rejections.
fn is_plain_text(response: &axum::response::Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_none_or(|t| t.as_bytes().starts_with(b"text/plain"))
}

/// The error for an answer axum wrote itself: its text says what could not be read; an empty
/// 404 or 405 gets a sentence naming the method and path.
fn plain_error(
    status: axum::http::StatusCode,
    text: String,
    method: &axum::http::Method,
    path: &str,
) -> WebError {
    use axum::http::StatusCode;
    let code = WebError::code_for_status(status);
    if !code.is_user_error() {
        return WebError::internal(format!("{status} on {method} {path}: {text}"));
    }
    let message = match status {
        StatusCode::NOT_FOUND => {
            format!("{method} {path}: no such page or API operation (see /api/docs)")
        }
        StatusCode::METHOD_NOT_ALLOWED => {
            format!("{method} is not allowed on {path} (see /api/docs)")
        }
        _ if text.is_empty() => format!(
            "{method} {path}: the request could not be read ({})",
            status.canonical_reason().unwrap_or("bad request")
        ),
        _ => text,
    };
    WebError::new(code, message)
}

/// Serves until Ctrl-C.
pub async fn serve(state: AppState, addr: std::net::SocketAddr) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let app = app(state);
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
}
