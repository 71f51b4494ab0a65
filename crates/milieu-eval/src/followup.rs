//! Follow-up planning and answers: after an event or an introduction, each organisation
//! involved is asked, at set delays, what came of it; an answer becomes an Outcome and, unless
//! nothing came of it yet, a new or strengthened Tie.

use crate::Error;
use crate::kpi::months_later;
use milieu_model::{
    Dataset, Date, EventId, IntroductionId, IntroductionStatus, OrgId, Outcome, OutcomeId,
    OutcomeKind, Tie, TieKind, TieSource, Visibility,
};
use serde::Serialize;
use std::collections::{BTreeSet, HashSet};

/// What a follow-up asks about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FollowUpSource {
    Event(EventId),
    Introduction(IntroductionId),
}

impl FollowUpSource {
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Event(_) => "event",
            Self::Introduction(_) => "introduction",
        }
    }
    pub fn id(&self) -> &str {
        match self {
            Self::Event(e) => e.as_str(),
            Self::Introduction(i) => i.as_str(),
        }
    }
}

/// A follow-up request: ask `org`, `months` after `source_date`, what came of the source.
/// The id is derived (`fu:<kind>:<source>:<org>:<months>m`), so planning twice creates nothing
/// new.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlannedFollowUp {
    pub id: String,
    pub org: OrgId,
    pub source: FollowUpSource,
    pub source_date: Date,
    /// The other party of an introduction (an event has none).
    pub partner: Option<OrgId>,
    pub months: u32,
    pub due: Date,
}

/// Follow-ups due on or before `on` for events and introductions dated on or after `since`:
/// one per organisation attending an event, and one per party of an introduction that was
/// made, met or closed, at each delay in `delays` (months). Ids in `existing` are skipped.
pub fn plan_followups(
    data: &Dataset,
    delays: &[u32],
    on: Date,
    since: Option<Date>,
    existing: &HashSet<String>,
) -> Vec<PlannedFollowUp> {
    let mut out = Vec::new();
    let mut add = |org: &OrgId, source: FollowUpSource, date: Date, partner: Option<OrgId>| {
        for &months in delays {
            let due = months_later(date, months);
            let id = format!("fu:{}:{}:{}:{months}m", source.kind(), source.id(), org);
            if due <= on && !existing.contains(&id) {
                out.push(PlannedFollowUp {
                    id,
                    org: org.clone(),
                    source: source.clone(),
                    source_date: date,
                    partner: partner.clone(),
                    months,
                    due,
                });
            }
        }
    };
    for e in data
        .events
        .iter()
        .filter(|e| since.is_none_or(|s| e.date >= s))
    {
        let orgs: BTreeSet<&OrgId> = data
            .attendance
            .iter()
            .filter(|a| a.event == e.id)
            .filter_map(|a| a.org.as_ref())
            .collect();
        for org in orgs {
            add(org, FollowUpSource::Event(e.id.clone()), e.date, None);
        }
    }
    for i in data
        .introductions
        .iter()
        .filter(|i| since.is_none_or(|s| i.date >= s))
        .filter(|i| {
            matches!(
                i.status,
                IntroductionStatus::Made | IntroductionStatus::Met | IntroductionStatus::Closed
            )
        })
    {
        let src = FollowUpSource::Introduction(i.id.clone());
        add(&i.from, src.clone(), i.date, Some(i.to.clone()));
        add(&i.to, src, i.date, Some(i.from.clone()));
    }
    out.sort_by(|a, b| a.due.cmp(&b.due).then_with(|| a.id.cmp(&b.id)));
    out
}

/// An answer to a follow-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    Lead,
    Sale,
    Alliance,
    JointProject,
    KnowledgeGained,
    Advice,
    ContactKept,
    NothingYet,
}

impl Answer {
    pub const ALL: &[&str] = &[
        "lead",
        "sale",
        "alliance",
        "joint_project",
        "knowledge_gained",
        "advice",
        "contact_kept",
        "nothing_yet",
    ];

    pub fn outcome_kind(self) -> OutcomeKind {
        match self {
            Self::Lead => OutcomeKind::Lead,
            Self::Sale => OutcomeKind::Sale,
            Self::Alliance => OutcomeKind::Agreement,
            Self::JointProject => OutcomeKind::JointProject,
            Self::KnowledgeGained => OutcomeKind::KnowledgeGained,
            Self::Advice => OutcomeKind::Advice,
            Self::ContactKept => OutcomeKind::ContactKept,
            Self::NothingYet => OutcomeKind::NothingYet,
        }
    }

    /// The tie an answer records; none for "nothing yet".
    pub fn tie_kind(self) -> Option<TieKind> {
        Some(match self {
            Self::Lead => TieKind::Lead,
            Self::Sale => TieKind::Sale,
            Self::Alliance => TieKind::Alliance,
            Self::JointProject => TieKind::JointProject,
            Self::KnowledgeGained => TieKind::Knowledge,
            Self::Advice => TieKind::Advice,
            Self::ContactKept => TieKind::Other,
            Self::NothingYet => return None,
        })
    }
}

impl std::str::FromStr for Answer {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        let i = Self::ALL
            .iter()
            .position(|a| *a == s.trim().to_ascii_lowercase())
            .ok_or_else(|| Error::Invalid {
                field: "answer",
                value: s.to_string(),
                expected: format!("one of {}", Self::ALL.join(", ")),
            })?;
        Ok([
            Self::Lead,
            Self::Sale,
            Self::Alliance,
            Self::JointProject,
            Self::KnowledgeGained,
            Self::Advice,
            Self::ContactKept,
            Self::NothingYet,
        ][i])
    }
}

/// The records an answer produces.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedAnswer {
    pub outcome: Outcome,
    pub tie: Option<Tie>,
}

fn check_scale(field: &'static str, v: Option<u8>) -> Result<(), Error> {
    match v {
        Some(x) if !(1..=5).contains(&x) => Err(Error::Invalid {
            field,
            value: x.to_string(),
            expected: "an integer from 1 to 5".into(),
        }),
        _ => Ok(()),
    }
}

/// Turns an answer into an Outcome (for the asked organisation, dated `date`) and, unless the
/// answer is `nothing_yet`, a Tie to the partner (source = event or introduction, starting on
/// `date`, with the given strength and trust). The partner is `partner` or the follow-up's own;
/// a tie needs one. The answer may not be dated before the event or introduction it is about.
pub fn answer_records(
    fu: &PlannedFollowUp,
    answer: Answer,
    partner: Option<OrgId>,
    trust: Option<u8>,
    strength: Option<u8>,
    date: Date,
) -> Result<RecordedAnswer, Error> {
    if date < fu.source_date {
        return Err(Error::Invalid {
            field: "date",
            value: date.to_string(),
            expected: format!(
                "a date on or after the {} {} ({})",
                fu.source.kind(),
                fu.source.id(),
                fu.source_date
            ),
        });
    }
    check_scale("trust", trust)?;
    check_scale("strength", strength)?;
    let partner = partner.or_else(|| fu.partner.clone());
    if partner.as_ref() == Some(&fu.org) {
        return Err(Error::Invalid {
            field: "partner",
            value: fu.org.to_string(),
            expected: "an organisation other than the one answering".into(),
        });
    }
    let (event, introduction, source) = match &fu.source {
        FollowUpSource::Event(e) => (Some(e.clone()), None, TieSource::Event),
        FollowUpSource::Introduction(i) => (None, Some(i.clone()), TieSource::Introduction),
    };
    let tie = match answer.tie_kind() {
        None => None,
        Some(kind) => {
            let Some(to) = partner.clone() else {
                return Err(Error::Invalid {
                    field: "partner",
                    value: String::new(),
                    expected: format!(
                        "--partner ORG: the answer {:?} records a tie, which needs the other organisation",
                        Answer::ALL[answer as usize]
                    ),
                });
            };
            Some(Tie {
                id: Tie::derived_id(&fu.org, &to, kind, date),
                from: fu.org.clone(),
                to,
                kind,
                start: date,
                end: None,
                strength,
                trust,
                source,
                event: event.clone(),
                introduction: introduction.clone(),
                visibility: Visibility::Staff,
                note: format!("follow-up {}", fu.id),
            })
        }
    };
    let outcome = Outcome {
        id: OutcomeId::new(format!("{}:{date}", fu.id)),
        org: fu.org.clone(),
        kind: answer.outcome_kind(),
        date,
        partner,
        tie: tie.as_ref().map(|t| t.id.clone()),
        event,
        introduction,
        value: None,
        note: format!("answer to follow-up {}", fu.id),
        visibility: Visibility::Private,
    };
    Ok(RecordedAnswer { outcome, tie })
}
