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

/// Tables of meeting scheduling, emptied before the registry tables they refer to.
pub(crate) const MEETING_TABLES: [&str; 4] = [
    "scheduled_meetings",
    "meeting_requests",
    "meeting_participants",
    "meeting_slots",
];

/// A meeting-scheduling row: its key column values and its JSON.
pub(crate) fn meeting_row<T: serde::Serialize>(
    keys: Vec<String>,
    row: &T,
    kind: &'static str,
) -> Result<(Vec<String>, String), crate::StoreError> {
    Ok((keys, crate::sql::to_json(kind, row)?))
}

/// The [`crate::MeetingStore`] implementation, written once and expanded for each driver
/// inside the SQL store macro (`$db`; `$numbered`: `$n` placeholders rather than `?`).
macro_rules! meeting_store_impl {
    ($name:ident, $db:ty, $numbered:literal) => {
        impl $name {
            /// Multi-row inserts of (key values, data) rows into a meeting table whose columns
            /// are `event_id`, `columns..`, `data`.
            async fn insert_meeting_rows(
                tx: &mut sqlx::Transaction<'_, $db>,
                table: &str,
                columns: &[&str],
                event: &str,
                rows: &[(Vec<String>, String)],
            ) -> Result<u64, StoreError> {
                let cols = columns.len() + 2;
                let mut written = 0;
                for chunk in rows.chunks(ROWS_PER_INSERT) {
                    let sql = format!(
                        "INSERT INTO {table} (event_id, {}, data) VALUES {}",
                        columns.join(", "),
                        values_placeholders($numbered, chunk.len(), cols)
                    );
                    let mut query = sqlx::query::<$db>(&sql);
                    for (keys, json) in chunk {
                        query = query.bind(event.to_string());
                        for k in keys {
                            query = query.bind(k.clone());
                        }
                        query = query.bind(json.clone());
                    }
                    written += query.execute(&mut **tx).await?.rows_affected();
                }
                Ok(written)
            }
            async fn meeting_rows(
                &self,
                table: &str,
                event: &str,
                order: &str,
            ) -> Result<Vec<String>, StoreError> {
                let sql = format!("SELECT data FROM {table} WHERE event_id = $1 ORDER BY {order}");
                Ok(sqlx::query_scalar::<$db, String>(&sql)
                    .bind(event)
                    .fetch_all(&self.pool)
                    .await?)
            }        }

        impl $crate::MeetingStore for $name {
            async fn replace_meeting_requests(
                &self,
                event: &str,
                requests: &[MeetingRequest],
            ) -> Result<u64, StoreError> {
                let rows = requests
                    .iter()
                    .map(|r| meeting_row(vec![r.from.clone(), r.to.clone()], r, "meeting request"))
                    .collect::<Result<Vec<_>, _>>()?;
                let mut tx = self.pool.begin().await?;
                sqlx::query::<$db>("DELETE FROM meeting_requests WHERE event_id = $1")
                    .bind(event)
                    .execute(&mut *tx)
                    .await?;
                let n = Self::insert_meeting_rows(
                    &mut tx,
                    "meeting_requests",
                    &["from_id", "to_id"],
                    event,
                    &rows,
                )
                .await?;
                tx.commit().await?;
                Ok(n)
            }

            async fn meeting_request_add(
                &self,
                event: &str,
                request: &MeetingRequest,
            ) -> Result<(), StoreError> {
                let json = to_json("meeting request", request)?;
                let mut tx = self.pool.begin().await?;
                sqlx::query::<$db>(
                    "INSERT INTO meeting_requests (event_id, from_id, to_id, data) VALUES ($1, $2, $3, $4)",
                )
                .bind(event)
                .bind(&request.from)
                .bind(&request.to)
                .bind(json)
                .execute(&mut *tx)
                .await
                .map_err(|e| {
                    StoreError::from(e).naming("meeting request", || {
                        format!("from {} to {} at event {event}", request.from, request.to)
                    })
                })?;
                let n: i64 = sqlx::query_scalar::<$db, i64>("SELECT COUNT(*) FROM events WHERE id = $1")
                    .bind(event)
                    .fetch_one(&mut *tx)
                    .await?;
                if n == 0 {
                    return Err(StoreError::NotFound {
                        kind: "event",
                        id: event.to_string(),
                    });
                }
                tx.commit().await?;
                Ok(())
            }

            async fn meeting_requests(
                &self,
                event: &str,
            ) -> Result<Vec<MeetingRequest>, StoreError> {
                self.meeting_rows("meeting_requests", event, "from_id, to_id")
                    .await?
                    .iter()
                    .map(|json| from_json("meeting request", json))
                    .collect()
            }

            async fn save_meeting_plan(
                &self,
                event: &str,
                plan: &MeetingPlan,
            ) -> Result<(), StoreError> {
                let slots = plan
                    .slots
                    .iter()
                    .map(|s| meeting_row(vec![s.id.clone(), s.start.clone()], s, "meeting slot"))
                    .collect::<Result<Vec<_>, _>>()?;
                let participants = plan
                    .participants
                    .iter()
                    .map(|p| meeting_row(vec![p.id.clone()], p, "meeting participant"))
                    .collect::<Result<Vec<_>, _>>()?;
                let meetings = plan
                    .meetings
                    .iter()
                    .map(|m: &ScheduledMeeting| {
                        meeting_row(
                            vec![m.from.clone(), m.to.clone(), m.slot.clone()],
                            m,
                            "scheduled meeting",
                        )
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                let mut tx = self.pool.begin().await?;
                for table in MEETING_TABLES {
                    if table == "meeting_requests" {
                        continue;
                    }
                    sqlx::query::<$db>(&format!("DELETE FROM {table} WHERE event_id = $1"))
                        .bind(event)
                        .execute(&mut *tx)
                        .await?;
                }
                Self::insert_meeting_rows(
                    &mut tx,
                    "meeting_slots",
                    &["slot_id", "start"],
                    event,
                    &slots,
                )
                .await?;
                Self::insert_meeting_rows(
                    &mut tx,
                    "meeting_participants",
                    &["participant_id"],
                    event,
                    &participants,
                )
                .await?;
                Self::insert_meeting_rows(
                    &mut tx,
                    "scheduled_meetings",
                    &["from_id", "to_id", "slot_id"],
                    event,
                    &meetings,
                )
                .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn meeting_plan(&self, event: &str) -> Result<MeetingPlan, StoreError> {
                let slots = self
                    .meeting_rows("meeting_slots", event, "start, slot_id")
                    .await?;
                let participants = self
                    .meeting_rows("meeting_participants", event, "participant_id")
                    .await?;
                let meetings = self
                    .meeting_rows("scheduled_meetings", event, "slot_id, from_id, to_id")
                    .await?;
                Ok(MeetingPlan {
                    slots: slots
                        .iter()
                        .map(|j| from_json("meeting slot", j))
                        .collect::<Result<_, _>>()?,
                    participants: participants
                        .iter()
                        .map(|j| from_json("meeting participant", j))
                        .collect::<Result<_, _>>()?,
                    meetings: meetings
                        .iter()
                        .map(|j| from_json("scheduled meeting", j))
                        .collect::<Result<_, _>>()?,
                })
            }        }
    };
}
pub(crate) use meeting_store_impl;
