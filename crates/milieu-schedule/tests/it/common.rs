//! Helpers shared by the integration tests: build events in code.

use milieu_schedule::model::{
    EventInput, FixedInput, ParticipantInput, RequestInput, RequestStatus, Role, SlotInput,
};

pub fn slots(n: usize) -> Vec<SlotInput> {
    (0..n)
        .map(|k| SlotInput {
            id: format!("s{}", k + 1),
            start: format!("2026-03-10T{:02}:{:02}", 9 + (k * 20) / 60, (k * 20) % 60),
            minutes: 20,
        })
        .collect()
}

pub fn person(id: &str, available: Option<&[usize]>, max: Option<u32>) -> ParticipantInput {
    ParticipantInput {
        id: id.to_string(),
        org: None,
        name: None,
        available: available.map(|a| a.iter().map(|k| format!("s{}", k + 1)).collect()),
        max_meetings: max,
        role: Role::Any,
    }
}

pub fn req(from: &str, to: &str, priority: u32, must: bool) -> RequestInput {
    RequestInput {
        from: from.to_string(),
        to: to.to_string(),
        priority,
        status: RequestStatus::Accepted,
        must,
    }
}

pub fn fixed(from: &str, to: &str, slot: usize, table: u32) -> FixedInput {
    FixedInput {
        from: from.to_string(),
        to: to.to_string(),
        slot: format!("s{}", slot + 1),
        table,
    }
}

pub fn event(
    n_slots: usize,
    tables: u32,
    participants: Vec<ParticipantInput>,
    requests: Vec<RequestInput>,
    fixed: Vec<FixedInput>,
) -> EventInput {
    EventInput {
        name: Some("test".to_string()),
        slots: slots(n_slots),
        tables,
        participants,
        requests,
        fixed,
    }
}
