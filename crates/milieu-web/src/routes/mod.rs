//! One module per feature; each returns an [`ApiRouter`] with its pages and API operations.
//! API operations carry `#[utoipa::path]` and are added with `routes!`, so the OpenAPI
//! document lists exactly what is served.

use crate::ApiRouter;

pub mod account;
pub mod assets;
pub mod dashboard;
pub mod docs;
pub mod events;
pub mod imports;
pub mod mapping;
pub mod matches;
pub mod network;
pub mod opportunities;
pub mod orgs;
pub(crate) mod paging;

/// Every route of the application.
pub fn all() -> ApiRouter {
    ApiRouter::with_openapi(api_doc())
        .merge(assets::router())
        .merge(account::router())
        .merge(dashboard::router())
        .merge(docs::router())
        .merge(orgs::router())
        .merge(events::router())
        .merge(network::router())
        .merge(mapping::router())
        .merge(matches::router())
        .merge(opportunities::router())
        .merge(imports::router())
}

/// `Some(trimmed)` unless the parameter is missing, empty or blank.
pub(crate) fn given(text: &Option<String>) -> Option<&str> {
    text.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

/// The name of an organisation (its id when unknown).
pub(crate) fn org_name(view: &milieu_app::access::View, id: &str) -> String {
    view.organisation(id)
        .map(|o| o.name.clone())
        .unwrap_or_else(|| id.to_string())
}

/// An optional date parameter (`YYYY-MM-DD`); a malformed one is `bad_input` naming it.
pub(crate) fn date_param(
    name: &str,
    text: &Option<String>,
) -> Result<Option<milieu_model::Date>, crate::WebError> {
    match given(text) {
        None => Ok(None),
        Some(t) => milieu_model::parse_date(t).map(Some).ok_or_else(|| {
            crate::WebError::bad_input(format!(
                "parameter {name}: value {t:?}: expected a date YYYY-MM-DD"
            ))
        }),
    }
}

fn api_doc() -> utoipa::openapi::OpenApi {
    use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
    let mut doc = utoipa::openapi::OpenApiBuilder::new()
        .info(
            utoipa::openapi::InfoBuilder::new()
                .title("milieu API")
                .version(env!("CARGO_PKG_VERSION"))
                .description(Some(
                    "The JSON API of milieu serve. Log in with POST /api/login; the session \
                     cookie authenticates later calls, and every call that changes something \
                     carries the session's CSRF token in the X-CSRF-Token header. Errors are \
                     {code, message} with stable codes.",
                ))
                .build(),
        )
        .build();
    let components = doc.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        "session",
        SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(
            crate::auth::SESSION_COOKIE,
        ))),
    );
    doc
}
