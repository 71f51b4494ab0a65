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
//! - Errors are `{code, message}` JSON under `/api` and an HTML page elsewhere
//!   ([`error::WebError`]), with stable codes.

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
        .layer(middleware::from_fn_with_state(state.clone(), html_errors))
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

/// Outside `/api`, an error response becomes an HTML page saying the same thing.
async fn html_errors(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: axum::extract::Request,
    next: middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let api = request.uri().path().starts_with("/api/");
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
    if api {
        return response;
    }
    let Some(error) = response.extensions().get::<WebError>().cloned() else {
        return response;
    };
    let mut headers = axum::http::HeaderMap::new();
    for c in cookies {
        headers.append(header::COOKIE, c);
    }
    let auth = auth::Auth::from_headers(&state, &headers)
        .await
        .ok()
        .flatten();
    let status = error.status;
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
