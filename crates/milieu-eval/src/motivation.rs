//! What members wanted (Organisation.motivations) against what they got (outcomes), per member
//! and for the cluster, with small cells suppressed in the cluster table.

use crate::Error;
use crate::scope::Scope;
use milieu_model::{Dataset, Date, InitiativeId, Motivation, OrgId, OutcomeKind, Vocabulary};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

/// The outcome kinds that answer a motivation.
pub fn answers(m: Motivation) -> &'static [OutcomeKind] {
    use OutcomeKind as K;
    match m {
        Motivation::Leads => &[K::Lead, K::Sale],
        Motivation::Alliances => &[K::Agreement, K::JointProject],
        Motivation::Information => &[K::KnowledgeGained],
        Motivation::PeerSupport => &[K::Advice, K::ContactKept],
    }
}

/// One member's motivation and whether outcomes answered it (for staff, never for funders).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MemberMotivationRow {
    pub org: OrgId,
    pub motivation: Motivation,
    /// Outcomes of the kinds that answer the motivation.
    pub matching_outcomes: u64,
    /// All outcomes other than nothing_yet.
    pub all_outcomes: u64,
    /// The kinds received, `;`-separated.
    pub kinds_received: String,
    pub met: bool,
}

/// One cell of the cluster table: of the members with `motivation`, how many reported at least
/// one outcome of `outcome_kind`. Cells with 1..k-1 members, and every cell of a motivation
/// held by fewer than k members, are suppressed (`members` empty, `suppressed` true).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MotivationCellRow {
    pub motivation: Motivation,
    pub outcome_kind: OutcomeKind,
    /// Whether this kind answers the motivation.
    pub answers_motivation: bool,
    pub members: Option<u64>,
    pub members_with_motivation: Option<u64>,
    pub suppressed: bool,
}

/// Per member: outcomes dated in `from..=to` (open ends allowed) of members in scope.
fn outcomes_by_member<'a>(
    data: &'a Dataset,
    scope: &Scope,
    from: Option<Date>,
    to: Option<Date>,
) -> HashMap<&'a str, Vec<OutcomeKind>> {
    let mut out: HashMap<&str, Vec<OutcomeKind>> = HashMap::new();
    for o in &data.outcomes {
        if from.is_some_and(|f| o.date < f) || to.is_some_and(|t| o.date > t) {
            continue;
        }
        if scope.ever_member(o.org.as_str()) {
            out.entry(o.org.as_str()).or_default().push(o.kind);
        }
    }
    out
}

/// The motivation x outcome rows of each member with stated motivations.
pub fn member_motivations(
    data: &Dataset,
    initiative: Option<&InitiativeId>,
    from: Option<Date>,
    to: Option<Date>,
) -> Result<Vec<MemberMotivationRow>, Error> {
    let scope = Scope::new(data, initiative)?;
    let got = outcomes_by_member(data, &scope, from, to);
    let mut rows = Vec::new();
    let mut orgs: Vec<_> = data
        .organisations
        .iter()
        .filter(|o| scope.ever_member(o.id.as_str()) && !o.motivations.is_empty())
        .collect();
    orgs.sort_by(|a, b| a.id.cmp(&b.id));
    for o in orgs {
        let kinds = got.get(o.id.as_str()).map(Vec::as_slice).unwrap_or(&[]);
        let real: Vec<_> = kinds
            .iter()
            .filter(|k| **k != OutcomeKind::NothingYet)
            .collect();
        let received: BTreeSet<&str> = real.iter().map(|k| k.as_str()).collect();
        for m in &o.motivations {
            let matching = real.iter().filter(|k| answers(*m).contains(k)).count() as u64;
            rows.push(MemberMotivationRow {
                org: o.id.clone(),
                motivation: *m,
                matching_outcomes: matching,
                all_outcomes: real.len() as u64,
                kinds_received: received.iter().copied().collect::<Vec<_>>().join(";"),
                met: matching > 0,
            });
        }
    }
    Ok(rows)
}

/// The cluster's motivation x outcome table, safe to give to funders: no cell counts fewer
/// than `k` members (k >= 1; the CLI's default is 3).
pub fn motivation_table(
    data: &Dataset,
    initiative: Option<&InitiativeId>,
    from: Option<Date>,
    to: Option<Date>,
    k: u64,
) -> Result<Vec<MotivationCellRow>, Error> {
    if k == 0 {
        return Err(Error::Invalid {
            field: "k",
            value: "0".into(),
            expected: "a threshold of at least 1 member".into(),
        });
    }
    let scope = Scope::new(data, initiative)?;
    let got = outcomes_by_member(data, &scope, from, to);
    let mut rows = Vec::new();
    for m in Motivation::ALL {
        let holders: Vec<&str> = data
            .organisations
            .iter()
            .filter(|o| scope.ever_member(o.id.as_str()) && o.motivations.contains(m))
            .map(|o| o.id.as_str())
            .collect();
        let group = holders.len() as u64;
        let group_small = group > 0 && group < k;
        for kind in OutcomeKind::ALL {
            let n = holders
                .iter()
                .filter(|o| got.get(*o).is_some_and(|ks| ks.contains(kind)))
                .count() as u64;
            let suppressed = group_small || (n > 0 && n < k);
            rows.push(MotivationCellRow {
                motivation: *m,
                outcome_kind: *kind,
                answers_motivation: answers(*m).contains(kind),
                members: (!suppressed).then_some(n),
                members_with_motivation: (!group_small).then_some(group),
                suppressed,
            });
        }
    }
    Ok(rows)
}
