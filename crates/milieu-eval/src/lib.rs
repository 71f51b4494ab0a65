//! Evaluation of cluster initiatives from operating data: KPIs over time, follow-up planning,
//! the motivation x outcome table (with small-cell suppression), mid-course alerts against
//! targets, benchmarks between initiatives, a self-assessment filled from the registry, and a
//! self-contained HTML report.
//!
//! Design choices:
//! - Everything is computed from a [`milieu_model::Dataset`] plus the evaluation's own small
//!   records ([`Target`], [`PlannedFollowUp`]); the crate never reads files or a database, so the
//!   same functions serve the CLI, the web server and tests on hand-made registries.
//! - A KPI series is long-format: one [`KpiRow`] per period and KPI, with the numerator and
//!   denominator it was computed from, so every figure explains itself and CSV/JSON stay flat.
//! - Ties are counted per unordered pair of organisations: the first tie record of a pair is the
//!   tie being *formed*; later records of the same pair (a follow-up answer, a strengthening)
//!   are *confirmations*, which is what "kept after 6 / 12 months" looks for. So a tie formed at
//!   an event and confirmed at 6 months counts once as formed and once as kept.
//! - Scope: with an initiative, the members are its memberships (dated) and its events those
//!   that name it; without one, the members are every organisation with any membership (or every
//!   organisation when the registry holds no memberships) and every event counts.
//! - Formulas are written out in docs/evaluation.md; the code names follow them.

mod alerts;
mod benchmark;
mod followup;
mod kpi;
mod motivation;
mod network;
mod period;
mod report;
mod scope;
mod selfassess;
mod services;

pub use alerts::{AlertOptions, AlertRow, ExtraKpis, Target, alerts, alerts_with};
pub use benchmark::{BenchmarkRow, benchmark};
pub use followup::{
    Answer, FollowUpSource, PlannedFollowUp, RecordedAnswer, answer_records, plan_followups,
};
pub use kpi::{KPI_NAMES, KpiOptions, KpiRow, evaluated_range, is_kpi, kpis};
pub use motivation::{
    MemberMotivationRow, MotivationCellRow, member_motivations, motivation_table,
};
pub use network::{NetworkComparison, NetworkGroup, NetworkMeasure, NetworkPicture, picture_svg};
pub use period::{Granularity, Period, periods};
pub use report::{ReportInput, report_html};
pub use selfassess::{SelfAssessmentRow, self_assessment};
pub use services::{
    MemberUptakeRow, NEEDS, Need, SERVICE_KINDS, SERVICE_KPI_NAMES, Service, ServiceScope,
    ServiceUptakeRow, ServiceUse, Services, UnreachedRow, member_uptake, parse_need,
    parse_service_kind, service_kpis, service_uptake, unreached,
};

use milieu_model::Date;

/// What went wrong; every variant is the user's to fix.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    #[error("no initiative {0:?} in the registry")]
    UnknownInitiative(String),
    #[error("unknown KPI {value:?}; expected one of: {expected}")]
    UnknownKpi { value: String, expected: String },
    #[error("date range {from} .. {to} is empty: --from must not be after --to")]
    EmptyRange { from: Date, to: Date },
    #[error("the registry holds no dated records (events, ties, outcomes) to evaluate")]
    NoData,
    #[error("{field}: {value:?} is not valid; expected {expected}")]
    Invalid {
        field: &'static str,
        value: String,
        expected: String,
    },
}

// Stable machine codes for the CLI and the API. An unknown initiative answers 404, like any
// record the registry does not hold.
milieu_model::error_codes!(Error {
    Error::UnknownInitiative(_) => "eval.unknown_initiative", 404;
    Error::UnknownKpi { .. } => "eval.unknown_kpi", 400;
    Error::EmptyRange { .. } => "eval.empty_range", 400;
    Error::NoData => "eval.no_data", 400;
    Error::Invalid { .. } => "eval.invalid_value", 400;
});
