//! Errors of matching: every variant is a user error with a stable code.

use thiserror::Error;

/// What can go wrong when asking for matches. Every variant is a user error (bad input): the
/// CLI maps them to exit code 2. Messages say what was given and what is accepted.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum MatchError {
    #[error("unknown organisation {id:?}: no organisation with this id in the registry")]
    UnknownOrganisation { id: String },
    #[error("unknown opportunity {id:?}: no opportunity with this id in the registry")]
    UnknownOpportunity { id: String },
    #[error("unknown purpose {value:?}; expected one of: {}", expected.join(", "))]
    UnknownPurpose {
        value: String,
        expected: Vec<&'static str>,
    },
    #[error("unknown initiative {id:?}: no initiative with this id in the registry")]
    UnknownInitiative { id: String },
    #[error("{file}: line {line}, field {field}: {value:?} is not valid: expected {expected}")]
    BadInput {
        file: String,
        line: u64,
        field: String,
        value: String,
        expected: String,
    },
    #[error("invalid option {option}: {message}")]
    BadOption {
        option: &'static str,
        message: String,
    },
}

// Stable machine codes for the CLI and the API (`{code, message}`); all user errors.
milieu_model::error_codes!(MatchError {
    MatchError::UnknownOrganisation { .. } => "match.unknown_organisation", 400;
    MatchError::UnknownOpportunity { .. } => "match.unknown_opportunity", 400;
    MatchError::UnknownPurpose { .. } => "match.unknown_purpose", 400;
    MatchError::UnknownInitiative { .. } => "match.unknown_initiative", 400;
    MatchError::BadInput { .. } => "match.bad_input", 400;
    MatchError::BadOption { .. } => "match.bad_option", 400;
});
