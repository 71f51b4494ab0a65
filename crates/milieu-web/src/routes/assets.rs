//! Static files (CSS, vendored scripts) embedded at build time, served under `/static/`.

use crate::ApiRouter;
use axum::extract::Path;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

pub fn router() -> ApiRouter {
    ApiRouter::new().route("/static/{*path}", axum::routing::get(serve_static))
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "html" => "text/html; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

async fn serve_static(Path(path): Path<String>) -> Response {
    match crate::templates::STATIC_FILES
        .iter()
        .find(|(name, _)| *name == path)
    {
        Some((name, bytes)) => (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static(content_type(name)),
                ),
                (
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("public, max-age=3600"),
                ),
            ],
            *bytes,
        )
            .into_response(),
        None => crate::WebError::not_found(format!("file {path:?}")).into_response(),
    }
}
