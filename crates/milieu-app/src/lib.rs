//! Use cases of milieu, shared by the command line and the web server: checked, all-or-nothing
//! imports; exports; the demo region. This is where the store meets the engines; neither the
//! engines nor the store know about each other.

pub mod access;
pub mod evaluate;
pub mod evaluate_network;
pub mod evaluate_services;
pub mod import;
pub mod map;
pub mod matching;
pub mod net;
pub mod schedule;
pub mod topics;

pub use import::{Holds, ImportReport, import_checked, replace_checked};

use milieu_io::InputError;
use milieu_model::{Code, ErrorCode};
use milieu_store::StoreError;

/// What went wrong, split as users need it: their input (exit code 2, a message saying what
/// to fix) or the system (exit code 1). Every variant has a stable code ([`ErrorCode`]); an
/// engine's or the store's code is kept, never folded into a generic one.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    Input(#[from] InputError),
    #[error("{0}")]
    Usage(String),
    #[error("{kind} {id:?} not found")]
    NotFound { kind: &'static str, id: String },
    /// An engine's error (milieu-map, -net, -match, -schedule, -eval) with the engine's code;
    /// the message is the engine's, sometimes reworded to name the file position as
    /// [`InputError`] does.
    #[error("{message}")]
    Engine { code: Code, message: String },
    /// The write would repeat one already made (a second vote, a second request for the same
    /// meeting): a user error with its own stable code (HTTP 409 on the web).
    #[error("{message}")]
    Conflict { code: Code, message: String },
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Reading or writing outside the store failed (a pipe closed, a disk full).
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// A bug: a rule that should hold on any input did not. Never the user's to fix.
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    /// The codes of milieu-app's own variants; `Input`, `Engine` and `Store` carry the codes
    /// of [`InputError`], the engines and [`StoreError`], `Conflict` one of its use case's.
    pub const BAD_USAGE: Code = Code::new("app.bad_usage", 400);
    pub const NOT_FOUND: Code = Code::new("app.not_found", 404);
    pub const IO: Code = Code::new("app.io", 500);
    pub const INTERNAL: Code = Code::new("app.internal", 500);
    /// Every code of milieu-app's own variants, the conflicts of its use cases included.
    pub const ALL_CODES: &'static [Code] = &[
        AppError::BAD_USAGE,
        AppError::NOT_FOUND,
        AppError::IO,
        AppError::INTERNAL,
        topics::ALREADY_VOTED,
        schedule::ALREADY_REQUESTED,
    ];

    /// An engine's error as it is, code and message.
    pub fn engine<E: ErrorCode>(e: &E) -> AppError {
        AppError::Engine {
            code: e.error_code(),
            message: e.to_string(),
        }
    }

    /// A bug, with what went wrong for the log.
    pub fn internal(message: impl std::fmt::Display) -> AppError {
        AppError::Internal(message.to_string())
    }
}

impl ErrorCode for AppError {
    fn error_code(&self) -> Code {
        match self {
            AppError::Input(e) => e.error_code(),
            AppError::Usage(_) => AppError::BAD_USAGE,
            AppError::NotFound { .. } => AppError::NOT_FOUND,
            AppError::Engine { code, .. } | AppError::Conflict { code, .. } => *code,
            AppError::Store(e) => e.error_code(),
            AppError::Io(_) => AppError::IO,
            AppError::Internal(_) => AppError::INTERNAL,
        }
    }
}

macro_rules! from_engine_errors {
    ($($ty:ty),*) => {$(
        impl From<$ty> for AppError {
            fn from(e: $ty) -> AppError {
                AppError::engine(&e)
            }
        }
    )*};
}

from_engine_errors!(
    milieu_map::Error,
    milieu_net::Error,
    milieu_match::MatchError,
    milieu_schedule::Error,
    milieu_eval::Error,
    milieu_model::VocabError
);

/// Opens a file for reading; `.gz` files are decompressed on the fly.
pub fn open_input(path: &std::path::Path) -> Result<Box<dyn std::io::Read>, AppError> {
    let file = std::fs::File::open(path).map_err(|e| {
        AppError::Input(InputError::new(
            &path.display().to_string(),
            milieu_io::Position::File,
            None,
            None,
            format!("a readable file ({e})"),
        ))
    })?;
    let reader = std::io::BufReader::with_capacity(1 << 16, file);
    if path.extension().is_some_and(|e| e == "gz") {
        Ok(Box::new(flate2::read::MultiGzDecoder::new(reader)))
    } else {
        Ok(Box::new(reader))
    }
}
