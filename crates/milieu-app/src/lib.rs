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
use milieu_store::StoreError;

/// What went wrong, split as users need it: their input (exit code 2, a message saying what
/// to fix) or the system (exit code 1).
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    Input(#[from] InputError),
    #[error("{0}")]
    Usage(String),
    #[error("{kind} {id:?} not found")]
    NotFound { kind: &'static str, id: String },
    /// The write would repeat one already made (a second vote, a second request for the same
    /// meeting): a user error with its own stable code (HTTP 409 on the web).
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

impl AppError {
    /// Whether the user can fix it by changing their input or command.
    pub fn is_user_error(&self) -> bool {
        matches!(
            self,
            AppError::Input(_)
                | AppError::Usage(_)
                | AppError::NotFound { .. }
                | AppError::Conflict { .. }
        )
    }

    /// Stable machine-readable code (the API's `code`).
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Input(_) => "bad_input",
            AppError::Usage(_) => "bad_usage",
            AppError::NotFound { .. } => "not_found",
            AppError::Conflict { code, .. } => code,
            AppError::Store(_) => "storage_error",
            AppError::Io(_) => "io_error",
        }
    }
}

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
