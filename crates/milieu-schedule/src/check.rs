//! `milieu schedule check`: every rule of the contract, every violation listed.

use crate::model::{Problem, RequestStatus};
use crate::schedule::ScheduleInput;
use serde::Serialize;
use std::collections::HashMap;

/// Options of `milieu schedule check`.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// Accept meetings that answer pending requests (schedules made with `--include-pending`).
    pub allow_pending: bool,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            allow_pending: true,
        }
    }
}

/// One broken rule. `meeting` is the index in the schedule's `meetings` (when one meeting is at
/// fault), `path` its JSON path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// Stable code: `unknown_participant`, `unknown_slot`, `bad_table`, `self_meeting`,
    /// `no_request`, `unavailable`, `double_booked`, `over_max`, `slot_over_tables`,
    /// `table_double_booked`, `pair_meets_twice`, `fixed_missing`, `fixed_moved`.
    pub code: &'static str,
    pub path: String,
    pub message: String,
}

/// Check a schedule against an event. An empty list means the schedule is valid.
pub fn check(problem: &Problem, schedule: &ScheduleInput, opts: &CheckOptions) -> Vec<Violation> {
    let mut out = Vec::new();
    let mut v = |code: &'static str, path: String, message: String| {
        out.push(Violation {
            code,
            path,
            message,
        })
    };
    let ns = problem.slots.len();
    let mut requested: HashMap<(usize, usize), RequestStatus> = HashMap::new();
    for r in &problem.requests {
        let key = (r.from.min(r.to), r.from.max(r.to));
        let entry = requested.entry(key).or_insert(r.status);
        if r.status == RequestStatus::Accepted {
            *entry = RequestStatus::Accepted;
        }
    }
    let fixed_pairs: HashMap<(usize, usize), usize> = problem
        .fixed
        .iter()
        .enumerate()
        .map(|(i, f)| ((f.from.min(f.to), f.from.max(f.to)), i))
        .collect();

    // Resolved meetings: (from, to, slot, table, index).
    let mut resolved = Vec::new();
    for (i, m) in schedule.meetings.iter().enumerate() {
        let path = format!("meetings[{i}]");
        let from = problem.participant(&m.from);
        let to = problem.participant(&m.to);
        let slot = problem.slot(&m.slot);
        if from.is_none() {
            v(
                "unknown_participant",
                format!("{path}.from"),
                format!("unknown participant {:?}", m.from),
            );
        }
        if to.is_none() {
            v(
                "unknown_participant",
                format!("{path}.to"),
                format!("unknown participant {:?}", m.to),
            );
        }
        if slot.is_none() {
            v(
                "unknown_slot",
                format!("{path}.slot"),
                format!("unknown slot {:?}", m.slot),
            );
        }
        if m.table == 0 || m.table > problem.tables {
            v(
                "bad_table",
                format!("{path}.table"),
                format!(
                    "table {} does not exist (tables are numbered 1 to {})",
                    m.table, problem.tables
                ),
            );
        }
        let (Some(from), Some(to), Some(slot)) = (from, to, slot) else {
            continue;
        };
        if from == to {
            v(
                "self_meeting",
                path.clone(),
                format!("{} meets itself", m.from),
            );
            continue;
        }
        let key = (from.min(to), from.max(to));
        let allowed = fixed_pairs.contains_key(&key)
            || match requested.get(&key) {
                Some(RequestStatus::Accepted) => true,
                Some(RequestStatus::Pending) => opts.allow_pending,
                None => false,
            };
        if !allowed {
            let what = if requested.contains_key(&key) {
                "only a pending request"
            } else {
                "no request"
            };
            v(
                "no_request",
                path.clone(),
                format!(
                    "{} and {} meet but there is {what} between them",
                    m.from, m.to
                ),
            );
        }
        for (side, p) in [("from", from), ("to", to)] {
            if !problem.participants[p].available[slot] {
                v(
                    "unavailable",
                    format!("{path}.{side}"),
                    format!(
                        "{} is not available in slot {}",
                        problem.participants[p].id, m.slot
                    ),
                );
            }
        }
        resolved.push((from, to, slot, m.table, i));
    }

    // One meeting per participant and slot; max meetings.
    let mut at: HashMap<(usize, usize), usize> = HashMap::new();
    let mut count = vec![0u32; problem.participants.len()];
    let mut load = vec![0u32; ns];
    let mut table_at: HashMap<(usize, u32), usize> = HashMap::new();
    let mut pair_at: HashMap<(usize, usize), usize> = HashMap::new();
    for &(from, to, slot, table, i) in &resolved {
        let path = format!("meetings[{i}]");
        for p in [from, to] {
            if let Some(&j) = at.get(&(p, slot)) {
                v(
                    "double_booked",
                    path.clone(),
                    format!(
                        "{} has two meetings in slot {} (also meetings[{j}])",
                        problem.participants[p].id, problem.slots[slot].id
                    ),
                );
            } else {
                at.insert((p, slot), i);
            }
            count[p] += 1;
            if count[p] == problem.participants[p].max_meetings + 1 {
                v(
                    "over_max",
                    path.clone(),
                    format!(
                        "{} has more than max_meetings = {} meetings",
                        problem.participants[p].id, problem.participants[p].max_meetings
                    ),
                );
            }
        }
        load[slot] += 1;
        if load[slot] == problem.tables + 1 {
            v(
                "slot_over_tables",
                path.clone(),
                format!(
                    "slot {} holds more meetings than its {} tables",
                    problem.slots[slot].id, problem.tables
                ),
            );
        }
        if table >= 1 && table <= problem.tables {
            if let Some(&j) = table_at.get(&(slot, table)) {
                v(
                    "table_double_booked",
                    format!("{path}.table"),
                    format!(
                        "table {table} holds two meetings in slot {} (also meetings[{j}])",
                        problem.slots[slot].id
                    ),
                );
            } else {
                table_at.insert((slot, table), i);
            }
        }
        let key = (from.min(to), from.max(to));
        if let Some(&j) = pair_at.get(&key) {
            v(
                "pair_meets_twice",
                path.clone(),
                format!(
                    "{} and {} meet more than once (also meetings[{j}])",
                    problem.participants[from].id, problem.participants[to].id
                ),
            );
        } else {
            pair_at.insert(key, i);
        }
    }

    // Fixed meetings stay where they are.
    for (k, f) in problem.fixed.iter().enumerate() {
        let key = (f.from.min(f.to), f.from.max(f.to));
        let desc = format!(
            "{} - {} in {} at table {}",
            problem.participants[f.from].id,
            problem.participants[f.to].id,
            problem.slots[f.slot].id,
            f.table
        );
        let found = resolved
            .iter()
            .filter(|m| (m.0.min(m.1), m.0.max(m.1)) == key)
            .map(|m| (m.2, m.3, m.4))
            .next();
        match found {
            None => v(
                "fixed_missing",
                format!("fixed[{k}]"),
                format!("fixed meeting {desc} is missing"),
            ),
            Some((slot, table, i)) if slot != f.slot || table != f.table => v(
                "fixed_moved",
                format!("meetings[{i}]"),
                format!(
                    "fixed meeting {desc} was moved to {} at table {table}",
                    problem.slots[slot].id
                ),
            ),
            Some(_) => {}
        }
    }
    out
}
