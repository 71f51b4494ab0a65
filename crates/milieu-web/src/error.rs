//! Errors as the API and the pages show them: a status, a stable `code` and a message that
//! says what to do. Under `/api` the body is `{"code": ..., "message": ..., "details": [...]}`;
//! elsewhere the [`crate::app`] middleware turns the same error into an HTML page.
//!
//! The code is a [`Code`] (milieu-model), so an error from an engine, milieu-app or the store
//! keeps its code and status on the way out ([`WebError::from_error`]); the web's own codes are
//! the `web.*` constants below. Every code is listed in docs/errors.md; a test keeps the list
//! and the codes equal.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use milieu_app::AppError;
use milieu_model::{Code, ErrorCode};

/// An error response. `details` carries per-line import errors and the like.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct WebError {
    /// Stable machine-readable code, e.g. `web.not_found`, `store.duplicate`,
    /// `map.unknown_industry` (docs/errors.md lists them all).
    #[schema(value_type = String, example = "web.not_found")]
    pub code: Code,
    /// What went wrong and what to do, for a person.
    pub message: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<String>,
}

impl WebError {
    /// A record or page that does not exist, or that the account may not see.
    pub const NOT_FOUND: Code = Code::new("web.not_found", 404);
    /// The account's role may not do this.
    pub const FORBIDDEN: Code = Code::new("web.forbidden", 403);
    /// The request cannot be used as it is: a path, query or form parameter, or a body that
    /// does not parse (malformed JSON), or a value that cannot work.
    pub const BAD_INPUT: Code = Code::new("web.bad_input", 400);
    /// The body is well formed but does not have the fields or types the operation takes.
    pub const INVALID_BODY: Code = Code::new("web.invalid_body", 422);
    /// No session, or an expired one.
    pub const UNAUTHENTICATED: Code = Code::new("web.unauthenticated", 401);
    /// A state-changing request without this session's CSRF token.
    pub const CSRF_FAILED: Code = Code::new("web.csrf_failed", 403);
    /// Unknown username or wrong password.
    pub const BAD_CREDENTIALS: Code = Code::new("web.bad_credentials", 401);
    /// Too many failed logins for this username and client.
    pub const TOO_MANY_ATTEMPTS: Code = Code::new("web.too_many_attempts", 429);
    /// The body is larger than the server accepts.
    pub const PAYLOAD_TOO_LARGE: Code = Code::new("web.payload_too_large", 413);
    /// The body's `Content-Type` is not one the operation reads.
    pub const UNSUPPORTED_MEDIA_TYPE: Code = Code::new("web.unsupported_media_type", 415);
    /// The path exists but not with this HTTP method.
    pub const METHOD_NOT_ALLOWED: Code = Code::new("web.method_not_allowed", 405);
    /// A bug in the server; the message is logged, not shown.
    pub const INTERNAL: Code = Code::new("web.internal", 500);

    /// Every code of the web's own.
    pub const ALL_CODES: &'static [Code] = &[
        WebError::NOT_FOUND,
        WebError::FORBIDDEN,
        WebError::BAD_INPUT,
        WebError::INVALID_BODY,
        WebError::UNAUTHENTICATED,
        WebError::CSRF_FAILED,
        WebError::BAD_CREDENTIALS,
        WebError::TOO_MANY_ATTEMPTS,
        WebError::PAYLOAD_TOO_LARGE,
        WebError::UNSUPPORTED_MEDIA_TYPE,
        WebError::METHOD_NOT_ALLOWED,
        WebError::INTERNAL,
    ];

    /// An error with `code`; the status is the code's.
    pub fn new(code: Code, message: impl Into<String>) -> WebError {
        WebError {
            code,
            message: message.into(),
            details: Vec::new(),
        }
    }

    /// Any error of the workspace, code and status kept. An internal error's message is
    /// logged, not shown: it may name tables, files or addresses.
    pub fn from_error<E: ErrorCode + ?Sized>(e: &E) -> WebError {
        let code = e.error_code();
        if code.is_user_error() {
            WebError::new(code, e.to_string())
        } else {
            tracing::error!("internal error [{code}]: {e}");
            WebError::new(code, "an internal error occurred; it has been logged")
        }
    }

    /// The HTTP status of the code.
    pub fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    pub fn not_found(what: impl std::fmt::Display) -> WebError {
        WebError::new(WebError::NOT_FOUND, format!("{what} not found"))
    }

    /// The account may not do this. Used also where revealing that a record exists would leak
    /// it: then say [`WebError::not_found`] instead.
    pub fn forbidden(message: impl Into<String>) -> WebError {
        WebError::new(WebError::FORBIDDEN, message)
    }

    pub fn bad_input(message: impl Into<String>) -> WebError {
        WebError::new(WebError::BAD_INPUT, message)
    }

    pub fn unauthenticated() -> WebError {
        WebError::new(
            WebError::UNAUTHENTICATED,
            "log in first (POST /api/login or the /login page)",
        )
    }

    pub fn internal(message: impl std::fmt::Display) -> WebError {
        tracing::error!("internal error: {message}");
        WebError::new(
            WebError::INTERNAL,
            "an internal error occurred; it has been logged",
        )
    }

    pub fn with_details(mut self, details: Vec<String>) -> WebError {
        self.details = details;
        self
    }

    /// The web's code for an error answer that carries no [`WebError`] (axum's rejections of a
    /// path, query or body it cannot read, its 404 and 405), by the status axum chose.
    pub fn code_for_status(status: StatusCode) -> Code {
        match status {
            StatusCode::NOT_FOUND => WebError::NOT_FOUND,
            StatusCode::METHOD_NOT_ALLOWED => WebError::METHOD_NOT_ALLOWED,
            StatusCode::PAYLOAD_TOO_LARGE => WebError::PAYLOAD_TOO_LARGE,
            StatusCode::UNSUPPORTED_MEDIA_TYPE => WebError::UNSUPPORTED_MEDIA_TYPE,
            StatusCode::UNPROCESSABLE_ENTITY => WebError::INVALID_BODY,
            StatusCode::UNAUTHORIZED => WebError::UNAUTHENTICATED,
            StatusCode::FORBIDDEN => WebError::FORBIDDEN,
            s if s.is_server_error() => WebError::INTERNAL,
            _ => WebError::BAD_INPUT,
        }
    }
}

impl ErrorCode for WebError {
    fn error_code(&self) -> Code {
        self.code
    }
}

/// Errors a handler may pass up with `?`: their code and status are kept.
macro_rules! from_errors {
    ($($ty:ty),*) => {$(
        impl From<$ty> for WebError {
            fn from(e: $ty) -> WebError {
                WebError::from_error(&e)
            }
        }
    )*};
}

from_errors!(
    AppError,
    milieu_store::StoreError,
    milieu_io::InputError,
    milieu_model::VocabError,
    milieu_map::Error,
    milieu_net::Error,
    milieu_match::MatchError,
    milieu_schedule::Error,
    milieu_eval::Error
);

impl std::fmt::Display for WebError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for WebError {}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let status = self.status();
        let mut response = (status, axum::Json(&self)).into_response();
        // The page middleware renders this as HTML outside /api.
        response.extensions_mut().insert(self);
        response
    }
}
