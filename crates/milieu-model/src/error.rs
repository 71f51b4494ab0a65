//! Error codes shared by every crate: one [`Code`] (a stable name and an HTTP status) per kind
//! of error, and the [`ErrorCode`] trait every error type of the workspace implements.
//!
//! Why here: milieu-model is the one crate every other crate may depend on, so an engine can
//! choose its code where the error arises and milieu-app, the CLI and the web pass it on
//! unchanged (as meilisearch's `ErrorCode` does) instead of folding it into a few generic ones.
//!
//! The rules, checked by `crates/milieu-web/tests/error_codes.rs` against `docs/errors.md`:
//! - a code is `<area>.<snake_case>`, where `<area>` is the crate that defines it without its
//!   `milieu-` prefix (`net.unknown_node`, `store.not_found`, `web.forbidden`);
//! - a status below 500 marks the user's error (exit code 2 in the CLI, a message that says what
//!   to fix), 500 and above an internal one (exit code 1, logged; the web hides its message);
//! - each type lists every code it can emit in `ALL_CODES` (the [`error_codes!`] table does it
//!   for enums whose variants each have one code), and every code is listed once in the docs.

use std::fmt;

/// One kind of error: a stable machine name and the HTTP status it answers with.
///
/// Built only through [`Code::new`] (usually by [`error_codes!`]); the fields are private so a
/// code cannot be changed after it is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Code {
    name: &'static str,
    status: u16,
}

impl Code {
    /// A code named `name` (`<area>.<snake_case>`) answering with HTTP `status`.
    pub const fn new(name: &'static str, status: u16) -> Code {
        Code { name, status }
    }

    /// The stable machine name, e.g. `net.unknown_node`.
    pub const fn name(self) -> &'static str {
        self.name
    }

    /// The HTTP status: 4xx for the user's errors, 5xx for internal ones.
    pub const fn status(self) -> u16 {
        self.status
    }

    /// True when the user can fix it by changing their input, parameters or request.
    pub const fn is_user_error(self) -> bool {
        self.status < 500
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name)
    }
}

/// An error with a stable code. Implemented by every error type of the workspace, so a code
/// chosen in an engine reaches the CLI's exit status and the API's `code` unchanged.
pub trait ErrorCode: std::error::Error {
    /// The code of this error.
    fn error_code(&self) -> Code;

    /// The code's stable machine name.
    fn code(&self) -> &'static str {
        self.error_code().name()
    }

    /// The HTTP status the web answers with.
    fn status(&self) -> u16 {
        self.error_code().status()
    }

    /// True for the user's errors (exit code 2), false for internal ones (exit code 1).
    fn is_user_error(&self) -> bool {
        self.error_code().is_user_error()
    }
}

/// Implements [`ErrorCode`] for an enum from one table, one line per variant (pattern, code
/// name, HTTP status), and defines `ALL_CODES`, the table's codes, so the list of what the
/// type can emit cannot drift from what it emits.
///
/// ```
/// #[derive(Debug, thiserror::Error)]
/// enum Error {
///     #[error("no such node")]
///     UnknownNode,
///     #[error("bug")]
///     Internal,
/// }
/// milieu_model::error_codes!(Error {
///     Error::UnknownNode => "example.unknown_node", 400;
///     Error::Internal => "example.internal", 500;
/// });
/// use milieu_model::ErrorCode;
/// assert_eq!(Error::UnknownNode.code(), "example.unknown_node");
/// assert!(!Error::Internal.is_user_error());
/// assert_eq!(Error::ALL_CODES.len(), 2);
/// ```
#[macro_export]
macro_rules! error_codes {
    ($ty:ident { $($pattern:pat => $name:literal, $status:literal;)+ }) => {
        impl $ty {
            /// Every code this type can emit (for the completeness test of docs/errors.md).
            pub const ALL_CODES: &'static [$crate::Code] = &[$($crate::Code::new($name, $status)),+];
        }

        impl $crate::ErrorCode for $ty {
            fn error_code(&self) -> $crate::Code {
                match self {
                    $($pattern => $crate::Code::new($name, $status),)+
                }
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_status_below_500_is_the_users_error() {
        assert!(Code::new("x.bad", 400).is_user_error());
        assert!(Code::new("x.missing", 404).is_user_error());
        assert!(!Code::new("x.bug", 500).is_user_error());
    }

    #[test]
    fn a_code_serialises_as_its_name() {
        let json = serde_json::to_string(&Code::new("net.unknown_node", 400)).unwrap();
        assert_eq!(json, "\"net.unknown_node\"");
    }
}
