//! Services of the cluster organisation: the catalogue, members' stated needs (the needs
//! assessment), uptake per service and per member, the members no service reaches, and the
//! service KPIs. Rules: docs/evaluation.md, "Services".

use crate::Error;
use crate::kpi::{KpiOptions, KpiRow, resolve_range};
use crate::period::periods;
use crate::scope::Scope;
use milieu_model::{Dataset, Date, InitiativeId, OrgId};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Kinds of service in a catalogue.
pub const SERVICE_KINDS: &[&str] = &[
    "information",
    "matchmaking",
    "trade_mission",
    "training",
    "voucher",
    "facility_access",
    "other",
];

/// Needs a needs assessment records. The three `intl_*` needs are the internationalisation
/// capability gaps: sensing opportunities abroad, mobilising partners and legitimacy,
/// operationalising (with funding).
pub const NEEDS: &[&str] = &[
    "information",
    "partners",
    "markets",
    "skills",
    "technology",
    "funding",
    "facilities",
    "intl_sensing",
    "intl_mobilising",
    "intl_operationalising",
];

/// KPIs computed by [`service_kpis`], in output order.
pub const SERVICE_KPI_NAMES: &[&str] = &["service_users", "needs_answered_share"];

fn normalise(text: &str) -> String {
    text.trim()
        .chars()
        .map(|c| match c {
            ' ' | '-' => '_',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

fn one_of(
    field: &'static str,
    text: &str,
    list: &'static [&'static str],
) -> Result<&'static str, Error> {
    let norm = normalise(text);
    list.iter()
        .copied()
        .find(|k| *k == norm)
        .ok_or_else(|| Error::Invalid {
            field,
            value: text.to_string(),
            expected: format!("one of: {}", list.join(", ")),
        })
}

/// A service kind of [`SERVICE_KINDS`] (case, spaces and dashes forgiven).
pub fn parse_service_kind(text: &str) -> Result<&'static str, Error> {
    one_of("kind", text, SERVICE_KINDS)
}

/// A need of [`NEEDS`] (case, spaces and dashes forgiven).
pub fn parse_need(text: &str) -> Result<&'static str, Error> {
    one_of("need", text, NEEDS)
}

/// A service of the catalogue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Service {
    pub id: String,
    pub name: String,
    pub kind: String,
    /// Needs it answers.
    pub answers: Vec<String>,
    /// The initiative offering it; `None` = offered to every member.
    pub initiative: Option<InitiativeId>,
}

/// A need stated by an organisation at an assessment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Need {
    pub org: OrgId,
    pub need: String,
    pub assessed: Date,
}

/// One use of a service.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceUse {
    pub service: String,
    pub org: OrgId,
    pub date: Date,
}

/// The catalogue, the needs assessment and the uptake.
#[derive(Debug, Clone, Default)]
pub struct Services {
    pub catalogue: Vec<Service>,
    pub needs: Vec<Need>,
    pub uses: Vec<ServiceUse>,
}

/// Whose and when: an initiative (or every member) and an inclusive date range (open ends
/// allowed).
#[derive(Debug, Clone, Default)]
pub struct ServiceScope {
    pub initiative: Option<InitiativeId>,
    pub from: Option<Date>,
    pub to: Option<Date>,
}

/// Uptake of one service over the range.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceUptakeRow {
    pub service: String,
    pub name: String,
    pub kind: String,
    /// Distinct members that used it.
    pub users: u64,
    pub uses: u64,
    /// Members in scope.
    pub members: u64,
    /// users / members.
    pub uptake_share: Option<f64>,
    /// Members that stated a need the service answers.
    pub members_needing: u64,
    /// Of those, members that used it on or after their latest statement of the need.
    pub needing_users: u64,
}

/// One member's uptake and needs over the range.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MemberUptakeRow {
    pub org: OrgId,
    pub name: String,
    pub services_used: u64,
    pub uses: u64,
    pub last_use: Option<Date>,
    pub needs_stated: u64,
    pub needs_answered: u64,
    /// Unanswered needs, `;`-separated.
    pub needs_unanswered: String,
}

/// A member that no service reaches, or whose stated needs no service use answered.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnreachedRow {
    pub org: OrgId,
    pub name: String,
    /// `never_reached` (no use of any service in the range) or `needs_unanswered`.
    pub reason: &'static str,
    pub needs_stated: u64,
    /// `;`-separated.
    pub needs_unanswered: String,
    /// Unanswered needs that no service of the catalogue answers at all, `;`-separated.
    pub not_in_catalogue: String,
    pub services_used: u64,
}

/// What the rules need, prepared once.
struct Prepared<'a> {
    scope: Scope<'a>,
    /// Services in scope by id.
    services: HashMap<&'a str, &'a Service>,
    /// Uses of services in scope in the range, per member.
    uses: HashMap<&'a str, Vec<&'a ServiceUse>>,
    /// Per member: need -> latest assessment on or before the range end.
    needs: HashMap<&'a str, BTreeMap<&'a str, Date>>,
    /// Needs some service in scope answers.
    offered: BTreeSet<&'a str>,
}

impl<'a> Prepared<'a> {
    fn new(data: &'a Dataset, s: &'a Services, sc: &ServiceScope) -> Result<Self, Error> {
        let scope = Scope::new(data, sc.initiative.as_ref())?;
        let services: HashMap<&str, &Service> = s
            .catalogue
            .iter()
            .filter(|v| v.initiative.is_none() || v.initiative == sc.initiative)
            .map(|v| (v.id.as_str(), v))
            .collect();
        let offered = services
            .values()
            .flat_map(|v| v.answers.iter().map(|a| a.as_str()))
            .collect();
        let in_range = |d: Date| sc.from.is_none_or(|f| d >= f) && sc.to.is_none_or(|t| d <= t);
        let mut uses: HashMap<&str, Vec<&ServiceUse>> = HashMap::new();
        for u in &s.uses {
            if in_range(u.date) && services.contains_key(u.service.as_str()) {
                uses.entry(u.org.as_str()).or_default().push(u);
            }
        }
        let mut needs: HashMap<&str, BTreeMap<&str, Date>> = HashMap::new();
        for n in &s.needs {
            if sc.to.is_none_or(|t| n.assessed <= t) {
                let e = needs
                    .entry(n.org.as_str())
                    .or_default()
                    .entry(n.need.as_str())
                    .or_insert(n.assessed);
                *e = (*e).max(n.assessed);
            }
        }
        Ok(Self {
            scope,
            services,
            uses,
            needs,
            offered,
        })
    }

    fn members(&self, sc: &ServiceScope) -> Vec<&'a str> {
        let (start, end) = (sc.from.unwrap_or(Date::MIN), sc.to.unwrap_or(Date::MAX));
        let mut v: Vec<&str> = self
            .scope
            .spans
            .keys()
            .copied()
            .filter(|o| self.scope.member_during(o, start, end))
            .collect();
        v.sort_unstable();
        v
    }

    /// Whether `org`'s need, stated last on `assessed`, was answered: a use, on or after
    /// `assessed`, of a service answering it.
    fn answered(&self, org: &str, need: &str, assessed: Date) -> bool {
        self.uses.get(org).is_some_and(|us| {
            us.iter().any(|u| {
                u.date >= assessed
                    && self.services[u.service.as_str()]
                        .answers
                        .iter()
                        .any(|a| a == need)
            })
        })
    }
}

fn names(data: &Dataset) -> HashMap<&str, &str> {
    data.organisations
        .iter()
        .map(|o| (o.id.as_str(), o.name.as_str()))
        .collect()
}

/// Uptake per service of the catalogue in scope (by id).
pub fn service_uptake(
    data: &Dataset,
    s: &Services,
    sc: &ServiceScope,
) -> Result<Vec<ServiceUptakeRow>, Error> {
    let p = Prepared::new(data, s, sc)?;
    let members = p.members(sc);
    let mut rows = Vec::new();
    let mut ids: Vec<&&str> = p.services.keys().collect();
    ids.sort();
    for id in ids {
        let v = p.services[*id];
        let (mut users, mut uses, mut needing, mut needing_users) = (0, 0, 0, 0);
        for m in &members {
            let mine: Vec<_> = p
                .uses
                .get(m)
                .map(|us| us.iter().filter(|u| u.service == v.id).collect())
                .unwrap_or_default();
            users += u64::from(!mine.is_empty());
            uses += mine.len() as u64;
            if let Some(ns) = p.needs.get(m) {
                let relevant: Vec<Date> = v
                    .answers
                    .iter()
                    .filter_map(|a| ns.get(a.as_str()).copied())
                    .collect();
                if !relevant.is_empty() {
                    needing += 1;
                    let first = relevant.iter().min().copied().unwrap_or(Date::MIN);
                    needing_users += u64::from(mine.iter().any(|u| u.date >= first));
                }
            }
        }
        let n = members.len() as u64;
        rows.push(ServiceUptakeRow {
            service: v.id.clone(),
            name: v.name.clone(),
            kind: v.kind.clone(),
            users,
            uses,
            members: n,
            uptake_share: (n > 0).then(|| users as f64 / n as f64),
            members_needing: needing,
            needing_users,
        });
    }
    Ok(rows)
}

/// Uptake and needs per member in scope (by id).
pub fn member_uptake(
    data: &Dataset,
    s: &Services,
    sc: &ServiceScope,
) -> Result<Vec<MemberUptakeRow>, Error> {
    let p = Prepared::new(data, s, sc)?;
    let names = names(data);
    Ok(p.members(sc)
        .into_iter()
        .map(|m| {
            let us = p.uses.get(m).map(Vec::as_slice).unwrap_or_default();
            let used: BTreeSet<&str> = us.iter().map(|u| u.service.as_str()).collect();
            let needs = p.needs.get(m);
            let unanswered: Vec<&str> = needs
                .into_iter()
                .flatten()
                .filter(|(n, d)| !p.answered(m, n, **d))
                .map(|(n, _)| *n)
                .collect();
            let stated = needs.map_or(0, |n| n.len()) as u64;
            MemberUptakeRow {
                org: OrgId::new(m),
                name: names.get(m).unwrap_or(&"").to_string(),
                services_used: used.len() as u64,
                uses: us.len() as u64,
                last_use: us.iter().map(|u| u.date).max(),
                needs_stated: stated,
                needs_answered: stated - unanswered.len() as u64,
                needs_unanswered: unanswered.join(";"),
            }
        })
        .collect())
}

/// The members in scope that no service reached in the range (`never_reached`), and those
/// reached whose stated needs some service use did not answer (`needs_unanswered`).
pub fn unreached(
    data: &Dataset,
    s: &Services,
    sc: &ServiceScope,
) -> Result<Vec<UnreachedRow>, Error> {
    let p = Prepared::new(data, s, sc)?;
    let rows = member_uptake(data, s, sc)?;
    Ok(rows
        .into_iter()
        .filter(|r| r.uses == 0 || !r.needs_unanswered.is_empty())
        .map(|r| {
            let not_offered: Vec<&str> = r
                .needs_unanswered
                .split(';')
                .filter(|n| !n.is_empty() && !p.offered.contains(n))
                .collect();
            UnreachedRow {
                reason: if r.uses == 0 {
                    "never_reached"
                } else {
                    "needs_unanswered"
                },
                not_in_catalogue: not_offered.join(";"),
                org: r.org,
                name: r.name,
                needs_stated: r.needs_stated,
                needs_unanswered: r.needs_unanswered,
                services_used: r.services_used,
            }
        })
        .collect())
}

/// Service KPIs per period (same periods and scope as [`crate::kpis`]):
/// `service_users` = members that used a service in scope in the period / members;
/// `needs_answered_share` = needs stated by members (latest statement on or before the period
/// end) answered by a use from the statement to the period end / those needs.
pub fn service_kpis(data: &Dataset, s: &Services, opts: &KpiOptions) -> Result<Vec<KpiRow>, Error> {
    let (from, to) = resolve_range(data, opts)?;
    let mut rows = Vec::new();
    for period in periods(from, to, opts.by) {
        let in_period = ServiceScope {
            initiative: opts.initiative.clone(),
            from: Some(period.start),
            to: Some(period.end),
        };
        let p = Prepared::new(data, s, &in_period)?;
        let members = p.members(&in_period);
        let users = members.iter().filter(|m| p.uses.contains_key(*m)).count();
        // Needs are answered by uses from their statement to the period end, however early.
        let to_end = ServiceScope {
            from: None,
            ..in_period.clone()
        };
        let q = Prepared::new(data, s, &to_end)?;
        let (mut stated, mut answered) = (0usize, 0usize);
        for m in &members {
            for (n, d) in q.needs.get(m).into_iter().flatten() {
                stated += 1;
                answered += usize::from(q.answered(m, n, *d));
            }
        }
        for (kpi, num, den) in [
            ("service_users", users, members.len()),
            ("needs_answered_share", answered, stated),
        ] {
            rows.push(KpiRow {
                period: period.label.clone(),
                period_start: period.start,
                period_end: period.end,
                kpi,
                value: (den > 0).then(|| num as f64 / den as f64),
                numerator: num as f64,
                denominator: Some(den as f64),
            });
        }
    }
    Ok(rows)
}
