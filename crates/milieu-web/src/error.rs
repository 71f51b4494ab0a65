//! Errors as the API and the pages show them: a status, a stable `code` and a message that
//! says what to do. Under `/api` the body is `{"code": ..., "message": ...}`; elsewhere the
//! [`crate::app`] middleware turns the same error into an HTML page.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use milieu_app::AppError;

/// An error response. `details` carries per-line import errors and the like.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct WebError {
    #[serde(skip)]
    pub status: StatusCode,
    /// Stable machine-readable code, e.g. `not_found`, `forbidden`, `bad_input`.
    pub code: &'static str,
    /// What went wrong and what to do, for a person.
    pub message: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<String>,
}

impl WebError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> WebError {
        WebError {
            status,
            code,
            message: message.into(),
            details: Vec::new(),
        }
    }

    pub fn not_found(what: impl std::fmt::Display) -> WebError {
        WebError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("{what} not found"),
        )
    }

    /// The account may not do this. Used also where revealing that a record exists would leak
    /// it: then say [`WebError::not_found`] instead.
    pub fn forbidden(message: impl Into<String>) -> WebError {
        WebError::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    pub fn bad_input(message: impl Into<String>) -> WebError {
        WebError::new(StatusCode::BAD_REQUEST, "bad_input", message)
    }

    pub fn unauthenticated() -> WebError {
        WebError::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "log in first (POST /api/login or the /login page)",
        )
    }

    pub fn internal(message: impl std::fmt::Display) -> WebError {
        tracing::error!("internal error: {message}");
        WebError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "an internal error occurred; it has been logged",
        )
    }

    pub fn with_details(mut self, details: Vec<String>) -> WebError {
        self.details = details;
        self
    }
}

impl From<AppError> for WebError {
    fn from(e: AppError) -> WebError {
        let status = match &e {
            AppError::NotFound { .. } => StatusCode::NOT_FOUND,
            AppError::Input(_) | AppError::Usage(_) => StatusCode::BAD_REQUEST,
            AppError::Conflict { .. } => StatusCode::CONFLICT,
            AppError::Store(_) | AppError::Io(_) => {
                return WebError::internal(e);
            }
        };
        WebError::new(status, e.code(), e.to_string())
    }
}

impl From<milieu_store::StoreError> for WebError {
    fn from(e: milieu_store::StoreError) -> WebError {
        WebError::from(AppError::Store(e))
    }
}

impl std::fmt::Display for WebError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let status = self.status;
        let mut response = (status, axum::Json(&self)).into_response();
        // The page middleware renders this as HTML outside /api.
        response.extensions_mut().insert(self);
        response
    }
}
