//! The API viewer: `/api/docs` serves a vendored Swagger UI (static/vendor/swagger-ui,
//! swagger-ui-dist from npm) pointed at `/api/openapi.json`. The page has no inline script
//! (CSP `script-src 'self'`): static/api_docs.js starts the viewer from the page's `data-*`
//! attributes, and adds the session's CSRF token to the calls "Try it out" makes.

use crate::auth::{MaybeAuth, url_encode};
use crate::{ApiRouter, AppState, WebError};
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;

pub fn router() -> ApiRouter {
    ApiRouter::new().route("/api/docs", axum::routing::get(page))
}

/// The viewer page. It is a page, not an API call, so without a session it sends the browser
/// to the login form (and back here after) instead of answering 401.
async fn page(State(state): State<AppState>, auth: MaybeAuth) -> Result<Response, WebError> {
    let Some(auth) = auth.0 else {
        let next = url_encode("/api/docs");
        return Ok(Redirect::to(&format!("/login?next={next}")).into_response());
    };
    let page = state.render(
        Some(&auth),
        "api",
        "api_docs.html",
        context! { spec_url => "/api/openapi.json" },
    )?;
    Ok(page.into_response())
}
