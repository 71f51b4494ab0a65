//! Domain types of milieu: organisations, people and their dated affiliations, clusters and
//! initiatives, events and attendance, projects, ties, introductions, opportunities and outcomes.
//!
//! Design choices:
//! - Ids are the user's own strings (a CORDIS PIC, a CRM key, `o17`), wrapped in newtypes so an
//!   organisation id cannot be passed where an event id is expected. Imports keep them, exports
//!   give them back, so a round trip is lossless.
//! - Every vocabulary (organisation kind, tie kind, ...) is a closed enum with a stable
//!   snake_case spelling used in files, the database and the API; [`Vocabulary`] parses it and,
//!   on failure, lists the accepted values.
//! - Validation lives here: [`Validate::validate`] checks what a record can check alone (dates
//!   in order, codes well formed, ranges), [`References::references`] lists the ids it points to
//!   so the importer can check them against the store and the batch. No IO, no async.
//! - Confidential records (ties, introductions, outcomes) name their parties
//!   ([`Confidential::parties`]); who may see them is an [`Audience`], implemented once above
//!   the engines (milieu-app's `Principal`).

mod confidential;
mod entities;
mod error;
mod ids;
mod validate;
mod vocab;

pub use confidential::*;
pub use entities::*;
pub use error::{Code, ErrorCode};
pub use ids::*;
pub use validate::*;
pub use vocab::*;

/// Calendar date used throughout the registry (ISO 8601 `YYYY-MM-DD` in files and storage).
pub type Date = chrono::NaiveDate;

/// Parses an ISO date `YYYY-MM-DD`; also accepts a bare year `YYYY` (taken as 1 January) and
/// `YYYY-MM` (first of the month), which registries often hold for founding dates.
pub fn parse_date(text: &str) -> Option<Date> {
    let t = text.trim();
    if let Ok(d) = Date::parse_from_str(t, "%Y-%m-%d") {
        return Some(d);
    }
    let mut parts = t.split('-');
    let year: i32 = parts.next()?.parse().ok()?;
    if !(1000..=9999).contains(&year) {
        return None;
    }
    let month: u32 = match parts.next() {
        None => 1,
        Some(m) if m.len() == 2 => m.parse().ok()?,
        Some(_) => return None,
    };
    if parts.next().is_some() {
        return None;
    }
    Date::from_ymd_opt(year, month, 1)
}
