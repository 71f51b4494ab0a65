//! The evaluation's own records: follow-up requests and KPI targets. Kept apart from the
//! registry's [`crate::Record`]s because they are not part of a registry import or export.

use milieu_model::{Date, InitiativeId, OrgId};
use serde::{Deserialize, Serialize};

/// A follow-up request: ask `org`, `months` after the event or introduction, what came of it.
/// `status` is `due`, `sent` or `answered`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FollowUpRecord {
    pub id: String,
    pub org: OrgId,
    /// `event` or `introduction`.
    pub source_kind: String,
    pub source_id: String,
    pub source_date: Date,
    #[serde(default)]
    pub partner: Option<OrgId>,
    pub months: u32,
    pub due: Date,
    pub status: String,
    #[serde(default)]
    pub sent_on: Option<Date>,
    #[serde(default)]
    pub answered_on: Option<Date>,
    #[serde(default)]
    pub answer: Option<String>,
    #[serde(default)]
    pub outcome: Option<String>,
}

/// A KPI target agreed for an initiative.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetRecord {
    pub initiative: InitiativeId,
    pub kpi: String,
    pub value: f64,
    pub by: Date,
    #[serde(default)]
    pub terminate_below: Option<f64>,
}
