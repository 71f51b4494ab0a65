//! Errors of milieu-net.
//!
//! User-input errors name the file (the `file` field is the `source` name the caller passed),
//! the 1-based line, the field, the value and what was expected. Every variant has a stable
//! machine code ([`milieu_model::ErrorCode`]) for the CLI and the JSON API.

/// Everything that can go wrong in milieu-net.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// A CSV row could not be read (bad quoting, bad UTF-8, ...).
    #[error("{file}: line {line}: cannot read CSV row: {message}")]
    Csv {
        file: String,
        line: u64,
        message: String,
    },
    /// A required column is missing from the header.
    #[error("{file}: line 1: missing column `{column}`; expected a header with {expected}")]
    MissingColumn {
        file: String,
        column: String,
        expected: String,
    },
    /// A field is empty or has a value of the wrong shape.
    #[error("{file}: line {line}: field `{field}` has value `{value}`; expected {expected}")]
    BadValue {
        file: String,
        line: u64,
        field: String,
        value: String,
        expected: String,
    },
    /// An edge names a node that the nodes file does not list.
    #[error(
        "{file}: line {line}: field `{field}` names node `{value}`, which is not in the nodes file; \
         add it to the nodes file or remove the edge"
    )]
    UnknownNode {
        file: String,
        line: u64,
        field: String,
        value: String,
    },
    /// The nodes file lists an id twice.
    #[error("{file}: line {line}: node id `{id}` already appeared on line {first_line}")]
    DuplicateNode {
        file: String,
        line: u64,
        first_line: u64,
        id: String,
    },
    /// An edge joins a node to itself and the policy is to reject self-loops.
    #[error(
        "{file}: line {line}: self-loop on node `{node}`; remove it or choose the `drop` self-loop policy"
    )]
    SelfLoop {
        file: String,
        line: u64,
        node: String,
    },
    /// The same edge appears twice and the policy is to reject duplicates.
    #[error(
        "{file}: line {line}: duplicate edge `{source_node}` - `{target_node}` (first on line {first_line}); \
         remove it or choose the `sum`, `max` or `first` duplicate policy"
    )]
    DuplicateEdge {
        file: String,
        line: u64,
        first_line: u64,
        source_node: String,
        target_node: String,
    },
    /// A parameter outside its domain (resolution < 0, alpha outside (0,1), unknown measure...).
    #[error("invalid parameter `{parameter}` = `{value}`: expected {expected}")]
    InvalidParameter {
        parameter: String,
        value: String,
        expected: String,
    },
    /// A computation that is not defined for this graph (e.g. cliques on a huge graph).
    #[error("{0}")]
    Unsupported(String),
}

// Stable machine codes, for the CLI exit status and the API's `{code, message}`. Every
// variant is a user error (status 400, exit code 2).
milieu_model::error_codes!(Error {
    Error::Csv { .. } => "net.csv", 400;
    Error::MissingColumn { .. } => "net.missing_column", 400;
    Error::BadValue { .. } => "net.bad_value", 400;
    Error::UnknownNode { .. } => "net.unknown_node", 400;
    Error::DuplicateNode { .. } => "net.duplicate_node", 400;
    Error::SelfLoop { .. } => "net.self_loop", 400;
    Error::DuplicateEdge { .. } => "net.duplicate_edge", 400;
    Error::InvalidParameter { .. } => "net.invalid_parameter", 400;
    Error::Unsupported(_) => "net.unsupported", 400;
});

impl Error {
    pub(crate) fn param(parameter: &str, value: impl ToString, expected: &str) -> Error {
        Error::InvalidParameter {
            parameter: parameter.to_string(),
            value: value.to_string(),
            expected: expected.to_string(),
        }
    }
}
