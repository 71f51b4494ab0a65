//! Who and what an evaluation looks at: the members (with their membership dates) and the
//! events of an initiative, or of the whole registry.

use crate::Error;
use milieu_model::{Dataset, Date, InitiativeId};
use std::collections::{HashMap, HashSet};

/// A membership span: from, to (both optional, inclusive).
pub(crate) type Span = (Option<Date>, Option<Date>);

/// Members and events in scope.
pub(crate) struct Scope<'a> {
    /// Membership spans per member: (from, to), both optional.
    pub spans: HashMap<&'a str, Vec<Span>>,
    pub events: HashSet<&'a str>,
}

impl<'a> Scope<'a> {
    pub fn new(data: &'a Dataset, initiative: Option<&InitiativeId>) -> Result<Self, Error> {
        let mut spans: HashMap<&str, Vec<_>> = HashMap::new();
        let events = match initiative {
            Some(id) => {
                if !data.initiatives.iter().any(|i| &i.id == id) {
                    return Err(Error::UnknownInitiative(id.to_string()));
                }
                for m in data.memberships.iter().filter(|m| &m.initiative == id) {
                    spans
                        .entry(m.org.as_str())
                        .or_default()
                        .push((m.from, m.to));
                }
                data.events
                    .iter()
                    .filter(|e| e.initiative.as_ref() == Some(id))
                    .map(|e| e.id.as_str())
                    .collect()
            }
            None => {
                if data.memberships.is_empty() {
                    for o in &data.organisations {
                        spans.entry(o.id.as_str()).or_default().push((None, None));
                    }
                } else {
                    for m in &data.memberships {
                        spans
                            .entry(m.org.as_str())
                            .or_default()
                            .push((m.from, m.to));
                    }
                }
                data.events.iter().map(|e| e.id.as_str()).collect()
            }
        };
        Ok(Self { spans, events })
    }

    /// Whether `org` is a member at some point of `start..=end`.
    pub fn member_during(&self, org: &str, start: Date, end: Date) -> bool {
        self.spans.get(org).is_some_and(|spans| {
            spans
                .iter()
                .any(|(f, t)| f.is_none_or(|f| f <= end) && t.is_none_or(|t| t >= start))
        })
    }

    /// Whether `org` is ever a member.
    pub fn ever_member(&self, org: &str) -> bool {
        self.spans.contains_key(org)
    }

    pub fn member_count_during(&self, start: Date, end: Date) -> usize {
        self.spans
            .keys()
            .filter(|o| self.member_during(o, start, end))
            .count()
    }
}

/// Unordered pair key of two organisation ids.
pub(crate) fn pair<'a>(a: &'a str, b: &'a str) -> (&'a str, &'a str) {
    if a <= b { (a, b) } else { (b, a) }
}

/// The default evaluated range: the first to the last dated record (events, ties, outcomes,
/// introductions).
pub(crate) fn data_range(data: &Dataset) -> Option<(Date, Date)> {
    let dates = data
        .events
        .iter()
        .map(|e| e.date)
        .chain(data.ties.iter().map(|t| t.start))
        .chain(data.outcomes.iter().map(|o| o.date))
        .chain(data.introductions.iter().map(|i| i.date));
    let mut range: Option<(Date, Date)> = None;
    for d in dates {
        range = Some(match range {
            None => (d, d),
            Some((a, b)) => (a.min(d), b.max(d)),
        });
    }
    range
}
