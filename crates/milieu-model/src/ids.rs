//! Typed ids: the user's strings in newtypes (`OrgId`, `TieId`, ...), so one kind of id is
//! never passed where another is expected.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta] $name:ident),* $(,)?) => {$(
        #[$doc]
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            pub fn new(id: impl Into<String>) -> Self {
                Self(id.into())
            }
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        // Hash and Eq agree with the inner String's, so maps keyed by id can be read by &str.
        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(s.to_string())
            }
        }
    )*};
}

id_type!(
    /// Organisation id: firm, university, research institute, agency, investor, association.
    OrgId,
    /// Person id.
    PersonId,
    /// Cluster id (an industry cluster as mapped or declared).
    ClusterId,
    /// Cluster initiative / cluster organisation id.
    InitiativeId,
    /// Event id.
    EventId,
    /// Project id (joint R&D or business project).
    ProjectId,
    /// Tie id.
    TieId,
    /// Introduction id (a broker's introduction of two organisations).
    IntroductionId,
    /// Opportunity id (call, tender, trade mission, buyer or partner request).
    OpportunityId,
    /// Outcome id.
    OutcomeId,
    /// Topic request id.
    TopicRequestId,
);

/// Checks that an id is usable in files, URLs and exports: 1-128 characters, no control
/// characters, no leading/trailing whitespace.
pub fn check_id(id: &str) -> Result<(), String> {
    if id.is_empty() {
        return Err("an id must not be empty".into());
    }
    if id.len() > 128 {
        return Err("an id must be at most 128 characters".into());
    }
    if id.trim() != id {
        return Err("an id must not start or end with whitespace".into());
    }
    if id.chars().any(char::is_control) {
        return Err("an id must not contain control characters".into());
    }
    Ok(())
}
