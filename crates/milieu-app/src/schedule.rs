//! Brokerage-event meeting scheduling from the registry: meeting requests imported from CSV
//! (checked line by line, all or nothing), the scheduling problem built from an event's
//! attendance and requests, solved by milieu-schedule, and the result stored.
//!
//! Participants of an event are its attendance records: an attending organisation is one
//! participant (id = the organisation's id, however many of its people attend); a person
//! attending without an organisation is a participant with the person's id.

use crate::AppError;
use milieu_io::{InputError, Position};
use milieu_model::{Attendance, Event, Organisation, Person};
use milieu_schedule::model::{ParticipantInput, RequestInput, RequestStatus, Role, SlotInput};
use milieu_schedule::{CheckOptions, EventInput, Problem, Schedule, ScheduleInput, SolveOptions};
use milieu_store::{
    MeetingParticipant, MeetingPlan, MeetingRequest, MeetingSlot, ScheduledMeeting, Store,
};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The participants of an event (see the module docs), with display names, in id order.
pub async fn event_participants<S: Store>(
    store: &S,
    event: &str,
) -> Result<BTreeMap<String, MeetingParticipant>, AppError> {
    let attendance: Vec<Attendance> = store.load().await?;
    let orgs: HashMap<String, String> = store
        .load::<Organisation>()
        .await?
        .into_iter()
        .map(|o| (o.id.to_string(), o.name))
        .collect();
    let people: HashMap<String, String> = store
        .load::<Person>()
        .await?
        .into_iter()
        .map(|p| (p.id.to_string(), p.name))
        .collect();
    let mut out = BTreeMap::new();
    for a in attendance.iter().filter(|a| a.event.as_str() == event) {
        let (id, org, name) = match (&a.org, &a.person) {
            (Some(o), _) => (
                o.to_string(),
                Some(o.to_string()),
                orgs.get(o.as_str()).cloned(),
            ),
            (None, Some(p)) => (p.to_string(), None, people.get(p.as_str()).cloned()),
            (None, None) => continue,
        };
        out.entry(id.clone()).or_insert(MeetingParticipant {
            id,
            org,
            name,
            available: None,
            max_meetings: None,
            role: "any".into(),
        });
    }
    Ok(out)
}

async fn event_record<S: Store>(store: &S, event: &str) -> Result<Event, AppError> {
    store
        .get::<Event>(event)
        .await?
        .ok_or_else(|| AppError::NotFound {
            kind: "event",
            id: event.to_string(),
        })
}

/// Columns of the meeting-request CSV file.
pub const REQUEST_COLUMNS: [&str; 5] = ["from", "to", "priority", "status", "must"];

/// Reads meeting requests for `event` from CSV (`from,to[,priority][,status][,must]`) and
/// replaces the event's requests with them. Every problem of every line is reported and
/// nothing is written when there is any.
pub async fn import_meeting_requests<S: Store, R: std::io::Read>(
    store: &S,
    event: &str,
    source: &str,
    reader: R,
) -> Result<u64, AppError> {
    event_record(store, event).await?;
    let participants = event_participants(store, event).await?;
    let mut csv = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(reader);
    let headers = csv
        .headers()
        .map_err(|e| {
            AppError::Input(InputError::new(
                source,
                Position::Line(1),
                None,
                None,
                format!("a CSV header ({e})"),
            ))
        })?
        .clone();
    let mut errors: Vec<InputError> = Vec::new();
    let mut index = HashMap::new();
    for (i, h) in headers.iter().enumerate() {
        if REQUEST_COLUMNS.contains(&h) {
            index.insert(h.to_string(), i);
        } else {
            errors.push(InputError::new(
                source,
                Position::Line(1),
                Some(h),
                None,
                format!("a column among {}", REQUEST_COLUMNS.join(", ")),
            ));
        }
    }
    for required in ["from", "to"] {
        if !index.contains_key(required) {
            errors.push(InputError::new(
                source,
                Position::Line(1),
                Some(required),
                None,
                "this required column in the header",
            ));
        }
    }
    if !errors.is_empty() {
        return Err(many(errors));
    }
    let mut requests = Vec::new();
    let mut seen: HashMap<(String, String), u64> = HashMap::new();
    for record in csv.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                errors.push(InputError::new(
                    source,
                    Position::Line(line),
                    None,
                    None,
                    format!("a well-formed CSV line ({e})"),
                ));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        let at = Position::Line(line);
        let field = |name: &str| index.get(name).and_then(|&i| record.get(i)).unwrap_or("");
        let mut bad = |column: &str, value: &str, expected: String| {
            errors.push(InputError::new(
                source,
                at.clone(),
                Some(column),
                Some(value),
                expected,
            ));
        };
        let (from, to) = (field("from"), field("to"));
        for (column, id) in [("from", from), ("to", to)] {
            if !participants.contains_key(id) {
                bad(
                    column,
                    id,
                    format!(
                        "a participant of event {event} (an attending organisation, or a person attending without one)"
                    ),
                );
            }
        }
        if from == to && !from.is_empty() {
            bad(
                "to",
                to,
                "a participant other than the requester (a request to oneself)".into(),
            );
        }
        let priority = match field("priority") {
            "" => 1,
            p => match p.parse::<u32>() {
                Ok(n @ 1..=3) => n,
                _ => {
                    bad("priority", p, "1, 2 or 3 (3 = most wanted)".into());
                    1
                }
            },
        };
        let status = match field("status").to_ascii_lowercase().as_str() {
            "" | "accepted" => "accepted",
            "pending" => "pending",
            _ => {
                bad("status", field("status"), "accepted or pending".into());
                "accepted"
            }
        };
        let must = match field("must").to_ascii_lowercase().as_str() {
            "" | "false" | "no" | "0" => false,
            "true" | "yes" | "1" => true,
            _ => {
                bad("must", field("must"), "true or false".into());
                false
            }
        };
        if let Some(first) = seen.insert((from.to_string(), to.to_string()), line) {
            bad(
                "to",
                to,
                format!("one request per pair and direction (already on line {first})"),
            );
        }
        requests.push(MeetingRequest {
            from: from.to_string(),
            to: to.to_string(),
            priority,
            status: status.to_string(),
            must,
        });
    }
    if !errors.is_empty() {
        return Err(many(errors));
    }
    Ok(store.replace_meeting_requests(event, &requests).await?)
}

fn many(errors: Vec<InputError>) -> AppError {
    if errors.len() == 1 {
        return AppError::Input(errors.into_iter().next().expect("one error"));
    }
    let lines: Vec<String> = errors.iter().map(|e| format!("  - {e}")).collect();
    AppError::Usage(format!(
        "{} problem(s), nothing imported:\n{}",
        errors.len(),
        lines.join("\n")
    ))
}

/// Options of `milieu event schedule`.
#[derive(Debug, Clone, Default)]
pub struct EventScheduleOptions {
    /// Slot blocks `START/MINUTESxCOUNT` (`2026-03-10T09:00/20x12`, or `09:00/20x12` on the
    /// event's date). Empty: the slots of the stored plan, else 12 slots of 20 minutes from
    /// 09:00 on the event's date.
    pub slots: Vec<String>,
    /// Tables per slot. Default: the stored plan's, else one per two participants (no
    /// shortage).
    pub tables: Option<u32>,
    /// Meetings per participant at most (default: one per slot).
    pub max_meetings: Option<u32>,
    pub solve: SolveOptions,
}

fn parse_slot_blocks(specs: &[String], date: &str) -> Result<Vec<MeetingSlot>, AppError> {
    let mut slots = Vec::new();
    for spec in specs {
        let bad = || {
            AppError::Usage(format!(
                "--slots {spec:?}: expected START/MINUTESxCOUNT, e.g. 2026-03-10T09:00/20x12 or 09:00/20x12 (on the event's date)"
            ))
        };
        let (start, rest) = spec.split_once('/').ok_or_else(bad)?;
        let (minutes, count) = rest.split_once('x').ok_or_else(bad)?;
        let minutes: u32 = minutes.parse().map_err(|_| bad())?;
        let count: u32 = count.parse().map_err(|_| bad())?;
        let start = if start.contains('T') {
            start.to_string()
        } else {
            format!("{date}T{start}")
        };
        let t0 =
            chrono::NaiveDateTime::parse_from_str(&start, "%Y-%m-%dT%H:%M").map_err(|_| bad())?;
        if minutes == 0 || count == 0 {
            return Err(bad());
        }
        for k in 0..count {
            let t = t0 + chrono::Duration::minutes(i64::from(minutes) * i64::from(k));
            let id = t.format("%Y-%m-%dT%H:%M").to_string();
            slots.push(MeetingSlot {
                id: id.clone(),
                start: id,
                minutes,
                tables: 0,
            });
        }
    }
    Ok(slots)
}

fn role(text: &str) -> Role {
    match text {
        "buyer" => Role::Buyer,
        "supplier" => Role::Supplier,
        _ => Role::Any,
    }
}

fn problem_from(
    event: &str,
    slots: &[MeetingSlot],
    participants: &[MeetingParticipant],
    requests: &[MeetingRequest],
    title: &str,
) -> Result<Problem, AppError> {
    let input = EventInput {
        name: Some(title.to_string()),
        slots: slots
            .iter()
            .map(|s| SlotInput {
                id: s.id.clone(),
                start: s.start.clone(),
                minutes: s.minutes,
            })
            .collect(),
        tables: slots.first().map_or(0, |s| s.tables),
        participants: participants
            .iter()
            .map(|p| ParticipantInput {
                id: p.id.clone(),
                org: p.org.clone(),
                name: p.name.clone(),
                available: p.available.clone(),
                max_meetings: p.max_meetings,
                role: role(&p.role),
            })
            .collect(),
        requests: requests
            .iter()
            .map(|r| RequestInput {
                from: r.from.clone(),
                to: r.to.clone(),
                priority: r.priority,
                status: if r.status == "pending" {
                    RequestStatus::Pending
                } else {
                    RequestStatus::Accepted
                },
                must: r.must,
            })
            .collect(),
        fixed: Vec::new(),
    };
    Problem::from_input(input, &format!("event {event} in the registry")).map_err(AppError::from)
}

/// `milieu event schedule`: builds the problem from the event's attendance and requests,
/// solves it, verifies the result with the checker and stores slots, participants and
/// meetings (replacing a previous plan). Returns the schedule (its `stats.must_conflicts`
/// name musts that could not be held).
pub async fn schedule_event<S: Store>(
    store: &S,
    event: &str,
    opts: &EventScheduleOptions,
) -> Result<Schedule, AppError> {
    let record = event_record(store, event).await?;
    let previous = store.meeting_plan(event).await?;
    let mut slots = if opts.slots.is_empty() {
        previous.slots.clone()
    } else {
        parse_slot_blocks(&opts.slots, &record.date.to_string())?
    };
    if slots.is_empty() {
        slots = parse_slot_blocks(&["09:00/20x12".to_string()], &record.date.to_string())?;
    }
    let mut participants: Vec<MeetingParticipant> = event_participants(store, event)
        .await?
        .into_values()
        .collect();
    if participants.is_empty() {
        return Err(AppError::Usage(format!(
            "event {event} has no attendance records: import its participants with `milieu import attendance FILE` first"
        )));
    }
    // Availability, limits and roles stored with the previous plan carry over.
    let kept: HashMap<&str, &MeetingParticipant> = previous
        .participants
        .iter()
        .map(|p| (p.id.as_str(), p))
        .collect();
    let slot_ids: HashSet<&str> = slots.iter().map(|s| s.id.as_str()).collect();
    for p in &mut participants {
        if let Some(old) = kept.get(p.id.as_str()) {
            p.available = old.available.as_ref().map(|a| {
                a.iter()
                    .filter(|s| slot_ids.contains(s.as_str()))
                    .cloned()
                    .collect()
            });
            p.max_meetings = old.max_meetings;
            p.role = old.role.clone();
        }
        if opts.max_meetings.is_some() {
            p.max_meetings = opts.max_meetings;
        }
    }
    let tables = opts
        .tables
        .or_else(|| previous.slots.first().map(|s| s.tables))
        .unwrap_or(participants.len().div_ceil(2) as u32);
    for s in &mut slots {
        s.tables = tables;
    }
    let requests = store.meeting_requests(event).await?;
    let problem = problem_from(event, &slots, &participants, &requests, &record.title)?;
    let schedule = milieu_schedule::solve(&problem, &opts.solve);
    let violations = milieu_schedule::check(
        &problem,
        &ScheduleInput::from(&schedule),
        &CheckOptions::default(),
    );
    if let Some(v) = violations.first() {
        return Err(AppError::Internal(format!(
            "the solver produced an invalid schedule ({} at {}: {})",
            v.code, v.path, v.message
        )));
    }
    let plan = MeetingPlan {
        slots,
        participants,
        meetings: schedule
            .meetings
            .iter()
            .map(|m| ScheduledMeeting {
                from: m.from.clone(),
                to: m.to.clone(),
                slot: m.slot.clone(),
                table: m.table,
            })
            .collect(),
    };
    store.save_meeting_plan(event, &plan).await?;
    Ok(schedule)
}

/// The stored plan of an event as the engine's problem and schedule (for listings and
/// agendas). An event never scheduled is a usage error saying what to run.
pub async fn stored_schedule<S: Store>(
    store: &S,
    event: &str,
) -> Result<(Problem, ScheduleInput), AppError> {
    let record = event_record(store, event).await?;
    let plan = store.meeting_plan(event).await?;
    if plan.slots.is_empty() {
        return Err(AppError::Usage(format!(
            "event {event} has no stored schedule: run `milieu event schedule {event}` first"
        )));
    }
    let requests = store.meeting_requests(event).await?;
    let ids: HashSet<&str> = plan.participants.iter().map(|p| p.id.as_str()).collect();
    // Requests imported after the schedule may name newer participants; they are not part
    // of this plan.
    let requests: Vec<MeetingRequest> = requests
        .into_iter()
        .filter(|r| ids.contains(r.from.as_str()) && ids.contains(r.to.as_str()))
        .collect();
    let problem = problem_from(
        event,
        &plan.slots,
        &plan.participants,
        &requests,
        &record.title,
    )?;
    let schedule = ScheduleInput {
        meetings: plan
            .meetings
            .iter()
            .map(|m| milieu_schedule::MeetingRow {
                from: m.from.clone(),
                to: m.to.clone(),
                slot: m.slot.clone(),
                table: m.table,
            })
            .collect(),
        unscheduled: Vec::new(),
    };
    Ok((problem, schedule))
}

/// The code of a meeting request repeating one already made (same event, requester and
/// requested participant).
pub const ALREADY_REQUESTED: milieu_model::Code =
    milieu_model::Code::new("app.already_requested", 409);

/// Adds one meeting request to a brokerage event (a member asking for a 1:1 meeting from the
/// web, or `milieu event request add`): both must be participants of the event, different,
/// and the pair not yet requested in this direction ([`ALREADY_REQUESTED`]). The request is
/// one row inserted by [`Store::meeting_request_add`], whose primary key refuses a repeat, so
/// requests added at once by several processes are all kept.
pub async fn add_meeting_request<S: Store>(
    store: &S,
    event: &str,
    request: MeetingRequest,
) -> Result<(), AppError> {
    let record = event_record(store, event).await?;
    if record.kind != milieu_model::EventKind::BrokerageEvent {
        return Err(AppError::Usage(format!(
            "event {event} is a {}, not a brokerage event: meetings are requested for brokerage events only",
            record.kind
        )));
    }
    let participants = event_participants(store, event).await?;
    for (what, id) in [("requester", &request.from), ("requested", &request.to)] {
        if !participants.contains_key(id.as_str()) {
            return Err(AppError::Usage(format!(
                "{what} {id:?} is not a participant of event {event}"
            )));
        }
    }
    if request.from == request.to {
        return Err(AppError::Usage(
            "a meeting request joins two different participants".into(),
        ));
    }
    if !(1..=3).contains(&request.priority) {
        return Err(AppError::Usage(format!(
            "priority {}: expected 1, 2 or 3 (3 = most wanted)",
            request.priority
        )));
    }
    if !matches!(request.status.as_str(), "accepted" | "pending") {
        return Err(AppError::Usage(format!(
            "status {:?}: expected accepted or pending",
            request.status
        )));
    }
    match store.meeting_request_add(event, &request).await {
        Ok(()) => Ok(()),
        Err(milieu_store::StoreError::Duplicate { .. }) => Err(AppError::Conflict {
            code: ALREADY_REQUESTED,
            message: format!(
                "{} has already asked to meet {} at event {event}",
                request.from, request.to
            ),
        }),
        Err(milieu_store::StoreError::NotFound { kind, id }) => {
            Err(AppError::NotFound { kind, id })
        }
        Err(e) => Err(e.into()),
    }
}
