//! The event (problem) file: serde types exactly as the contract, and the validated [`Problem`].

use crate::error::{Error, InputProblem, from_json_reader};
use crate::schedule::ScheduleInput;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Most slots an event may have (slot sets are 128-bit masks inside the solver).
pub const MAX_SLOTS: usize = 128;

/// Role of a participant at a brokerage event (informational: shown in agendas and statistics).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Buyer,
    Supplier,
    #[default]
    Any,
}

/// Status of a meeting request. Only accepted requests are scheduled unless pending ones are
/// included explicitly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum RequestStatus {
    #[default]
    Accepted,
    Pending,
}

/// A time slot as written in the event file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SlotInput {
    pub id: String,
    /// Local start time `YYYY-MM-DDTHH:MM` (seconds optional).
    pub start: String,
    pub minutes: u32,
}

/// A participant as written in the event file. `available` defaults to every slot and
/// `max_meetings` to the number of slots.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ParticipantInput {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_meetings: Option<u32>,
    #[serde(default)]
    pub role: Role,
}

/// A meeting request as written in the event file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RequestInput {
    pub from: String,
    pub to: String,
    pub priority: u32,
    #[serde(default)]
    pub status: RequestStatus,
    #[serde(default)]
    pub must: bool,
}

/// A meeting the organiser has fixed to a slot and table.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FixedInput {
    pub from: String,
    pub to: String,
    pub slot: String,
    pub table: u32,
}

/// The event file (contract of `milieu schedule solve --input`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EventInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub slots: Vec<SlotInput>,
    pub tables: u32,
    pub participants: Vec<ParticipantInput>,
    #[serde(default)]
    pub requests: Vec<RequestInput>,
    #[serde(default)]
    pub fixed: Vec<FixedInput>,
}

/// A validated slot.
#[derive(Debug, Clone)]
pub struct Slot {
    pub id: String,
    pub start: NaiveDateTime,
    pub minutes: u32,
}

impl Slot {
    pub fn end(&self) -> NaiveDateTime {
        self.start + chrono::Duration::minutes(i64::from(self.minutes))
    }
}

/// A validated participant; `available[s]` says whether the participant can meet in slot `s`.
#[derive(Debug, Clone)]
pub struct Participant {
    pub id: String,
    pub org: Option<String>,
    pub name: Option<String>,
    pub available: Vec<bool>,
    pub max_meetings: u32,
    pub role: Role,
}

impl Participant {
    /// Display name: the name when given, else the id.
    pub fn display_name(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.id)
    }
}

/// A validated request; `from`/`to` index [`Problem::participants`].
#[derive(Debug, Clone)]
pub struct Request {
    pub from: usize,
    pub to: usize,
    pub priority: u32,
    pub status: RequestStatus,
    pub must: bool,
}

/// A validated fixed meeting; indices into participants and slots, table is 1-based.
#[derive(Debug, Clone)]
pub struct Fixed {
    pub from: usize,
    pub to: usize,
    pub slot: usize,
    pub table: u32,
}

/// A validated event: ids resolved to indices, every contract rule checked.
#[derive(Debug, Clone)]
pub struct Problem {
    pub name: Option<String>,
    pub slots: Vec<Slot>,
    pub tables: u32,
    pub participants: Vec<Participant>,
    pub requests: Vec<Request>,
    pub fixed: Vec<Fixed>,
    participant_index: HashMap<String, usize>,
    slot_index: HashMap<String, usize>,
}

/// Parse and validate an event file. `file` names the source in error messages.
pub fn parse_problem<R: std::io::Read>(reader: R, file: &str) -> Result<Problem, Error> {
    let input: EventInput = from_json_reader(reader, file)?;
    Problem::from_input(input, file)
}

fn problem(
    code: &'static str,
    path: impl Into<String>,
    value: impl Into<String>,
    expected: impl Into<String>,
) -> InputProblem {
    InputProblem {
        code,
        path: path.into(),
        value: value.into(),
        expected: expected.into(),
    }
}

fn quoted(s: &str) -> String {
    format!("{s:?}")
}

/// Parse `YYYY-MM-DDTHH:MM[:SS]` (a space instead of `T` is accepted).
pub(crate) fn parse_local_time(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim();
    let (date, time) = s.split_once(['T', ' '])?;
    let date = NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
    let time = NaiveTime::parse_from_str(time, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(time, "%H:%M:%S"))
        .ok()?;
    Some(NaiveDateTime::new(date, time))
}

impl Problem {
    /// Validate a parsed event file, listing every problem found.
    pub fn from_input(input: EventInput, file: &str) -> Result<Problem, Error> {
        let mut problems = Vec::new();

        // Slots.
        if input.slots.len() > MAX_SLOTS {
            problems.push(problem(
                "too_many_slots",
                "slots",
                input.slots.len().to_string(),
                format!("at most {MAX_SLOTS} slots"),
            ));
        }
        let mut slot_index = HashMap::new();
        let mut slots = Vec::with_capacity(input.slots.len());
        for (i, s) in input.slots.iter().enumerate() {
            if let Some(&j) = slot_index.get(&s.id) {
                problems.push(problem(
                    "duplicate_id",
                    format!("slots[{i}].id"),
                    quoted(&s.id),
                    format!("a unique slot id (already used by slots[{j}])"),
                ));
            } else {
                slot_index.insert(s.id.clone(), i);
            }
            let start = match parse_local_time(&s.start) {
                Some(t) => t,
                None => {
                    problems.push(problem(
                        "bad_time",
                        format!("slots[{i}].start"),
                        quoted(&s.start),
                        "a local time YYYY-MM-DDTHH:MM",
                    ));
                    NaiveDateTime::default()
                }
            };
            if s.minutes == 0 {
                problems.push(problem(
                    "bad_minutes",
                    format!("slots[{i}].minutes"),
                    "0",
                    "a positive duration in minutes",
                ));
            }
            slots.push(Slot {
                id: s.id.clone(),
                start,
                minutes: s.minutes,
            });
        }
        // Overlapping slots would let one person sit in two meetings at the same time.
        let mut order: Vec<usize> = (0..slots.len()).collect();
        order.sort_by_key(|&i| (slots[i].start, i));
        for w in order.windows(2) {
            let (a, b) = (w[0], w[1]);
            if slots[a].minutes > 0 && slots[b].start < slots[a].end() {
                let (first, second) = (a.min(b), a.max(b));
                problems.push(problem(
                    "overlapping_slots",
                    format!("slots[{second}]"),
                    quoted(&slots[second].id),
                    format!(
                        "a slot that does not overlap slots[{first}] ({})",
                        slots[first].id
                    ),
                ));
            }
        }

        // Participants.
        let mut participant_index = HashMap::new();
        let mut participants = Vec::with_capacity(input.participants.len());
        for (i, p) in input.participants.iter().enumerate() {
            if let Some(&j) = participant_index.get(&p.id) {
                problems.push(problem(
                    "duplicate_id",
                    format!("participants[{i}].id"),
                    quoted(&p.id),
                    format!("a unique participant id (already used by participants[{j}])"),
                ));
            } else {
                participant_index.insert(p.id.clone(), i);
            }
            let mut available = vec![p.available.is_none(); slots.len()];
            if let Some(list) = &p.available {
                for (k, sid) in list.iter().enumerate() {
                    match slot_index.get(sid) {
                        Some(&s) => available[s] = true,
                        None => problems.push(problem(
                            "unknown_slot",
                            format!("participants[{i}].available[{k}]"),
                            quoted(sid),
                            "the id of a slot in `slots`",
                        )),
                    }
                }
            }
            participants.push(Participant {
                id: p.id.clone(),
                org: p.org.clone(),
                name: p.name.clone(),
                available,
                max_meetings: p.max_meetings.unwrap_or(slots.len() as u32),
                role: p.role,
            });
        }

        let lookup = |map: &HashMap<String, usize>,
                      id: &str,
                      path: String,
                      what: &str,
                      problems: &mut Vec<InputProblem>|
         -> Option<usize> {
            let found = map.get(id).copied();
            if found.is_none() {
                problems.push(problem(
                    if what == "slot" {
                        "unknown_slot"
                    } else {
                        "unknown_participant"
                    },
                    path,
                    quoted(id),
                    format!("the id of a {what} in `{what}s`"),
                ));
            }
            found
        };

        // Requests.
        let mut requests = Vec::with_capacity(input.requests.len());
        let mut seen_pairs: HashMap<(usize, usize), usize> = HashMap::new();
        for (i, r) in input.requests.iter().enumerate() {
            let from = lookup(
                &participant_index,
                &r.from,
                format!("requests[{i}].from"),
                "participant",
                &mut problems,
            );
            let to = lookup(
                &participant_index,
                &r.to,
                format!("requests[{i}].to"),
                "participant",
                &mut problems,
            );
            if !(1..=3).contains(&r.priority) {
                problems.push(problem(
                    "bad_priority",
                    format!("requests[{i}].priority"),
                    r.priority.to_string(),
                    "a priority 1, 2 or 3",
                ));
            }
            let (Some(from), Some(to)) = (from, to) else {
                continue;
            };
            if from == to {
                problems.push(problem(
                    "self_request",
                    format!("requests[{i}].to"),
                    quoted(&r.to),
                    "a participant other than the requester (a request to oneself)",
                ));
                continue;
            }
            if let Some(&j) = seen_pairs.get(&(from, to)) {
                problems.push(problem(
                    "duplicate_request",
                    format!("requests[{i}]"),
                    format!("{} -> {}", r.from, r.to),
                    format!("one request per pair and direction (same as requests[{j}])"),
                ));
                continue;
            }
            seen_pairs.insert((from, to), i);
            requests.push(Request {
                from,
                to,
                priority: r.priority,
                status: r.status,
                must: r.must,
            });
        }

        // Fixed meetings.
        let mut fixed = Vec::with_capacity(input.fixed.len());
        let mut fixed_at: HashMap<(usize, usize), usize> = HashMap::new(); // (participant, slot)
        let mut table_at: HashMap<(usize, u32), usize> = HashMap::new(); // (slot, table)
        let mut fixed_pair: HashMap<(usize, usize), usize> = HashMap::new();
        let mut fixed_count = vec![0u32; participants.len()];
        for (i, f) in input.fixed.iter().enumerate() {
            let from = lookup(
                &participant_index,
                &f.from,
                format!("fixed[{i}].from"),
                "participant",
                &mut problems,
            );
            let to = lookup(
                &participant_index,
                &f.to,
                format!("fixed[{i}].to"),
                "participant",
                &mut problems,
            );
            let slot = lookup(
                &slot_index,
                &f.slot,
                format!("fixed[{i}].slot"),
                "slot",
                &mut problems,
            );
            if f.table == 0 || f.table > input.tables {
                problems.push(problem(
                    "bad_table",
                    format!("fixed[{i}].table"),
                    f.table.to_string(),
                    format!("a table number from 1 to {}", input.tables),
                ));
            }
            let (Some(from), Some(to), Some(slot)) = (from, to, slot) else {
                continue;
            };
            if from == to {
                problems.push(problem(
                    "self_meeting",
                    format!("fixed[{i}].to"),
                    quoted(&f.to),
                    "a participant other than `from` (a meeting with oneself)",
                ));
                continue;
            }
            for (side, p) in [("from", from), ("to", to)] {
                if !participants[p].available[slot] {
                    problems.push(problem(
                        "fixed_unavailable",
                        format!("fixed[{i}].slot"),
                        quoted(&f.slot),
                        format!(
                            "a slot where `{side}` ({}) is available",
                            participants[p].id
                        ),
                    ));
                }
                if let Some(&j) = fixed_at.get(&(p, slot)) {
                    problems.push(problem(
                        "fixed_double_booked",
                        format!("fixed[{i}]"),
                        format!("{} in {}", participants[p].id, f.slot),
                        format!("one meeting per participant and slot (fixed[{j}] already has {} there)", participants[p].id),
                    ));
                } else {
                    fixed_at.insert((p, slot), i);
                }
                fixed_count[p] += 1;
                if fixed_count[p] == participants[p].max_meetings + 1 {
                    problems.push(problem(
                        "fixed_over_max",
                        format!("fixed[{i}]"),
                        format!(
                            "{} fixed meetings for {}",
                            fixed_count[p], participants[p].id
                        ),
                        format!("at most max_meetings = {}", participants[p].max_meetings),
                    ));
                }
            }
            if f.table >= 1 && f.table <= input.tables {
                if let Some(&j) = table_at.get(&(slot, f.table)) {
                    problems.push(problem(
                        "table_double_booked",
                        format!("fixed[{i}].table"),
                        f.table.to_string(),
                        format!(
                            "a table not already used in {} (fixed[{j}] uses it)",
                            f.slot
                        ),
                    ));
                } else {
                    table_at.insert((slot, f.table), i);
                }
            }
            let key = (from.min(to), from.max(to));
            if let Some(&j) = fixed_pair.get(&key) {
                problems.push(problem(
                    "pair_meets_twice",
                    format!("fixed[{i}]"),
                    format!("{} and {}", f.from, f.to),
                    format!("a pair meets at most once (fixed[{j}] already fixes this pair)"),
                ));
            } else {
                fixed_pair.insert(key, i);
            }
            fixed.push(Fixed {
                from,
                to,
                slot,
                table: f.table,
            });
        }

        if !problems.is_empty() {
            return Err(Error::Invalid {
                file: file.to_string(),
                problems,
            });
        }
        Ok(Problem {
            name: input.name,
            slots,
            tables: input.tables,
            participants,
            requests,
            fixed,
            participant_index,
            slot_index,
        })
    }

    /// Index of a participant id.
    pub fn participant(&self, id: &str) -> Option<usize> {
        self.participant_index.get(id).copied()
    }

    /// Index of a slot id.
    pub fn slot(&self, id: &str) -> Option<usize> {
        self.slot_index.get(id).copied()
    }

    /// Slot indices sorted by start time (ties by position in the file).
    pub fn slots_in_time_order(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.slots.len()).collect();
        order.sort_by_key(|&i| (self.slots[i].start, i));
        order
    }

    /// Turn the meetings of a previous schedule into fixed meetings (`--keep PREVIOUS.json`):
    /// existing meetings stay exactly where they are and only late requests are added around
    /// them. A kept meeting that breaks a rule of the (possibly changed) event is an error naming
    /// the meeting in `file`.
    pub fn with_kept(&self, previous: &ScheduleInput, file: &str) -> Result<Problem, Error> {
        let mut input = self.to_input();
        let mut problems = Vec::new();
        let fixed_pairs: HashMap<(String, String), usize> = input
            .fixed
            .iter()
            .enumerate()
            .flat_map(|(i, f)| {
                [
                    ((f.from.clone(), f.to.clone()), i),
                    ((f.to.clone(), f.from.clone()), i),
                ]
            })
            .collect();
        let first_kept = input.fixed.len();
        for (i, m) in previous.meetings.iter().enumerate() {
            if let Some(&j) = fixed_pairs.get(&(m.from.clone(), m.to.clone())) {
                let f = &input.fixed[j];
                if f.slot != m.slot || f.table != m.table {
                    problems.push(problem(
                        "kept_moves_fixed",
                        format!("meetings[{i}]"),
                        format!("{} - {} in {} at table {}", m.from, m.to, m.slot, m.table),
                        format!(
                            "the fixed place of this pair ({} at table {})",
                            f.slot, f.table
                        ),
                    ));
                }
                continue;
            }
            input.fixed.push(FixedInput {
                from: m.from.clone(),
                to: m.to.clone(),
                slot: m.slot.clone(),
                table: m.table,
            });
        }
        if !problems.is_empty() {
            return Err(Error::Invalid {
                file: file.to_string(),
                problems,
            });
        }
        Problem::from_input(input, file).map_err(|e| match e {
            Error::Invalid { file, problems } => Error::Invalid {
                file,
                problems: problems
                    .into_iter()
                    .map(|mut p| {
                        // Name kept meetings by their place in the previous schedule.
                        if let Some((k, tail)) = p
                            .path
                            .strip_prefix("fixed[")
                            .and_then(|rest| rest.split_once(']'))
                            .and_then(|(idx, tail)| Some((idx.parse::<usize>().ok()?, tail)))
                            && k >= first_kept
                        {
                            p.path = format!("meetings[{}]{tail}", k - first_kept);
                            p.code = "kept_meeting_invalid";
                        }
                        p
                    })
                    .collect(),
            },
            other => other,
        })
    }

    /// Back to the file form (ids instead of indices).
    pub fn to_input(&self) -> EventInput {
        let pid = |i: usize| self.participants[i].id.clone();
        EventInput {
            name: self.name.clone(),
            slots: self
                .slots
                .iter()
                .map(|s| SlotInput {
                    id: s.id.clone(),
                    start: if s.start.second() == 0 {
                        s.start.format("%Y-%m-%dT%H:%M").to_string()
                    } else {
                        s.start.format("%Y-%m-%dT%H:%M:%S").to_string()
                    },
                    minutes: s.minutes,
                })
                .collect(),
            tables: self.tables,
            participants: self
                .participants
                .iter()
                .map(|p| ParticipantInput {
                    id: p.id.clone(),
                    org: p.org.clone(),
                    name: p.name.clone(),
                    available: Some(
                        p.available
                            .iter()
                            .enumerate()
                            .filter(|(_, a)| **a)
                            .map(|(s, _)| self.slots[s].id.clone())
                            .collect(),
                    ),
                    max_meetings: Some(p.max_meetings),
                    role: p.role,
                })
                .collect(),
            requests: self
                .requests
                .iter()
                .map(|r| RequestInput {
                    from: pid(r.from),
                    to: pid(r.to),
                    priority: r.priority,
                    status: r.status,
                    must: r.must,
                })
                .collect(),
            fixed: self
                .fixed
                .iter()
                .map(|f| FixedInput {
                    from: pid(f.from),
                    to: pid(f.to),
                    slot: self.slots[f.slot].id.clone(),
                    table: f.table,
                })
                .collect(),
        }
    }
}
