//! The schedule file: meetings, unscheduled requests with their reasons, and statistics.

use crate::error::{Error, from_json_reader};
use serde::{Deserialize, Serialize};

/// One scheduled meeting (ids as in the event file, table 1-based).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingRow {
    pub from: String,
    pub to: String,
    pub slot: String,
    pub table: u32,
}

/// A request that is not in the schedule, with the reason that holds in the returned schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnscheduledRow {
    pub from: String,
    pub to: String,
    /// Human-readable reason, true of the returned schedule.
    pub reason: String,
    /// Stable code: `pending`, `no_common_slot`, `at_max`, `busy`, `tables_full`,
    /// `busy_or_tables_full`.
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub priority: u32,
    #[serde(default)]
    pub must: bool,
}

/// A set of `must` requests that cannot all be scheduled (or that the solver could not place),
/// with the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MustConflict {
    /// The unscheduled must request(s) and the must meetings that block them, as `from->to`.
    pub requests: Vec<String>,
    /// `proven` when the set provably cannot be scheduled together (a participant's limit,
    /// availability or a Hall violation of its slots), else `unresolved`.
    pub kind: String,
    pub reason: String,
}

/// Statistics of a schedule: the objective parts, the bound and how the search went.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Stats {
    /// Requests considered (accepted, plus pending with `include_pending`), after merging the
    /// two directions of a pair into one possible meeting.
    pub requests_considered: usize,
    pub pairs_considered: usize,
    pub meetings: usize,
    pub fixed_meetings: usize,
    /// Objective part 1: scheduled `must` meetings, out of `musts_total`.
    pub musts_scheduled: usize,
    pub musts_total: usize,
    /// Objective part 2: sum of priorities of scheduled meetings.
    pub priority_sum: u64,
    /// Upper bound on the priority sum of any valid schedule.
    pub priority_upper_bound: u64,
    /// `(bound - priority_sum) / bound`, in percent.
    pub gap_percent: f64,
    /// How the bound was computed.
    pub bound_method: String,
    /// Objective part 3: lowest meeting count among participants who asked for meetings.
    pub fairness_min_meetings: u32,
    /// Number of requesting participants at that lowest count.
    pub fairness_at_min: usize,
    pub requesting_participants: usize,
    /// Objective part 4: idle slots between a participant's first and last meeting of a day
    /// (slots where the participant is available but has no meeting), summed.
    pub idle_gaps: u64,
    /// Times a participant changes table between meetings in consecutive slots of a day.
    pub table_moves: u64,
    pub mean_meetings_per_participant: f64,
    pub max_slot_load: u32,
    pub seed: u64,
    pub time_limit_seconds: f64,
    pub solve_seconds: f64,
    pub bound_seconds: f64,
    pub iterations: u64,
    /// Objective after the greedy construction (musts, priority) for comparison.
    pub greedy_priority_sum: u64,
    pub greedy_musts_scheduled: usize,
    pub must_conflicts: Vec<MustConflict>,
}

/// The schedule file written by `milieu schedule solve`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Schedule {
    pub meetings: Vec<MeetingRow>,
    pub unscheduled: Vec<UnscheduledRow>,
    pub stats: Stats,
}

/// A schedule as read back for checking, `--keep` or agendas: the meetings, and the
/// unscheduled requests when present (shown in agendas).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ScheduleInput {
    pub meetings: Vec<MeetingRow>,
    #[serde(default)]
    pub unscheduled: Vec<UnscheduledRow>,
}

/// Parse a schedule file (any file with a `meetings` array of `{from,to,slot,table}`; an
/// `unscheduled` array is optional).
pub fn parse_schedule<R: std::io::Read>(reader: R, file: &str) -> Result<ScheduleInput, Error> {
    from_json_reader(reader, file)
}

impl From<&Schedule> for ScheduleInput {
    fn from(s: &Schedule) -> Self {
        ScheduleInput {
            meetings: s.meetings.clone(),
            unscheduled: s.unscheduled.clone(),
        }
    }
}
