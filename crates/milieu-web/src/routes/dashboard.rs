//! The dashboard: what the cluster holds and what it has done, for the logged-in account.

use crate::auth::Auth;
use crate::{ApiRouter, AppState, WebError};
use axum::Json;
use axum::extract::State;
use axum::response::Html;
use minijinja::context;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::routes;

pub fn router() -> ApiRouter {
    ApiRouter::new()
        .route("/", axum::routing::get(page))
        .routes(routes!(api_summary))
}

/// Counts of what the registry holds, as the account may see it.
#[derive(Serialize, ToSchema)]
pub struct Summary {
    pub organisations: usize,
    pub events: usize,
    /// Ties the account may see.
    pub ties: usize,
    /// Introductions the account may see.
    pub introductions: usize,
    pub opportunities: usize,
}

async fn summary(state: &AppState, auth: &Auth) -> Result<Summary, WebError> {
    let snapshot = state.snapshot().await?;
    let view = snapshot.view(&auth.principal);
    Ok(Summary {
        organisations: view.organisations().len(),
        events: view.dataset().events.len(),
        ties: view.ties().count(),
        introductions: view.introductions().count(),
        opportunities: view.dataset().opportunities.len(),
    })
}

/// What the registry holds, counted as the account may see it.
#[utoipa::path(get, path = "/api/summary", tag = "dashboard",
    responses((status = 200, body = Summary), (status = 401, body = WebError)))]
async fn api_summary(State(state): State<AppState>, auth: Auth) -> Result<Json<Summary>, WebError> {
    Ok(Json(summary(&state, &auth).await?))
}

async fn page(State(state): State<AppState>, auth: Auth) -> Result<Html<String>, WebError> {
    let s = summary(&state, &auth).await?;
    state.render(
        Some(&auth),
        "dashboard",
        "dashboard.html",
        context! { summary => s },
    )
}
