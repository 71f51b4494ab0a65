//! Rows of brokerage-event meeting scheduling (migration 0004): slots, participants with
//! their availability and limits, meeting requests, and the stored schedule. Plain data; the
//! rules live in milieu-schedule and the use cases in milieu-app.

use serde::{Deserialize, Serialize};

/// A time slot of an event's meeting session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingSlot {
    pub id: String,
    /// Local start time `YYYY-MM-DDTHH:MM`.
    pub start: String,
    pub minutes: u32,
    /// Tables available in this slot.
    pub tables: u32,
}

/// A participant of the meeting session: an attending organisation (or person).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingParticipant {
    pub id: String,
    #[serde(default)]
    pub org: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    /// Slot ids; `None` means every slot.
    #[serde(default)]
    pub available: Option<Vec<String>>,
    #[serde(default)]
    pub max_meetings: Option<u32>,
    /// `buyer`, `supplier` or `any`.
    pub role: String,
}

/// A meeting request between two participants of an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingRequest {
    pub from: String,
    pub to: String,
    /// 1..3, 3 = most wanted.
    pub priority: u32,
    /// `accepted` or `pending`.
    pub status: String,
    pub must: bool,
}

/// A scheduled meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduledMeeting {
    pub from: String,
    pub to: String,
    pub slot: String,
    pub table: u32,
}

/// What `milieu event schedule` stores for an event: the slots and participants it scheduled
/// with, and the meetings. Saved and read as a whole.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingPlan {
    pub slots: Vec<MeetingSlot>,
    pub participants: Vec<MeetingParticipant>,
    pub meetings: Vec<ScheduledMeeting>,
}
