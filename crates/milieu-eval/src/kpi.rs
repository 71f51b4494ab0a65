//! KPI series over calendar periods. Formulas: docs/evaluation.md.

use crate::Error;
use crate::period::{Granularity, Period, periods};
use crate::scope::{Scope, data_range, pair};
use chrono::Months;
use milieu_model::{
    Dataset, Date, InitiativeId, IntroductionStatus, OrgKind, Organisation, OutcomeKind, Tie,
    Vocabulary,
};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap, HashSet};

/// Every KPI this crate computes, in output order.
pub const KPI_NAMES: &[&str] = &[
    "members",
    "members_engaged",
    "new_orgs_reached",
    "events",
    "attendance",
    "introductions_requested",
    "introductions_accepted",
    "meetings_held",
    "introduction_conversion",
    "ties_formed",
    "ties_kept_6m",
    "ties_kept_12m",
    "cross_sector_tie_share",
    "external_tie_share",
    "international_tie_share",
    "outcomes_total",
    "outcomes_lead",
    "outcomes_sale",
    "outcomes_agreement",
    "outcomes_joint_project",
    "outcomes_knowledge_gained",
    "outcomes_advice",
    "outcomes_contact_kept",
    "outcomes_nothing_yet",
    "firms_exporting",
    "countries_served",
    "export_intensity",
    "spin_offs",
    "staff_moves",
];

/// Whether `name` is a KPI of [`KPI_NAMES`].
pub fn is_kpi(name: &str) -> bool {
    KPI_NAMES.contains(&name)
}

/// What to evaluate: whose (an initiative, or the whole registry), when, and how bucketed.
#[derive(Debug, Clone, Default)]
pub struct KpiOptions {
    pub initiative: Option<InitiativeId>,
    /// First day evaluated; default the first dated record.
    pub from: Option<Date>,
    /// Last day evaluated, also the "as of" date for kept ties; default the last dated record.
    pub to: Option<Date>,
    pub by: Granularity,
}

/// One KPI in one period. `value` is `numerator / denominator` for shares and means, the
/// count itself for counts (then `denominator` is empty); empty when the denominator is 0.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KpiRow {
    pub period: String,
    pub period_start: Date,
    pub period_end: Date,
    pub kpi: &'static str,
    pub value: Option<f64>,
    pub numerator: f64,
    pub denominator: Option<f64>,
}

/// Months after formation at which a tie is checked for being kept.
pub(crate) fn months_later(d: Date, months: u32) -> Date {
    d.checked_add_months(Months::new(months))
        .unwrap_or(Date::MAX)
}

/// A pair of organisations and every record of a tie between them.
pub(crate) struct PairTies<'a> {
    pub a: &'a str,
    pub b: &'a str,
    /// The earliest record: its start is when the tie was formed.
    pub first: &'a Tie,
    pub records: Vec<&'a Tie>,
    /// Dates of outcomes (other than nothing_yet) one party reported with the other as partner.
    pub outcome_dates: Vec<Date>,
}

impl PairTies<'_> {
    pub fn formed(&self) -> Date {
        self.first.start
    }

    /// Kept at `months`: some evidence that the tie exists on or after the mark
    /// (formed + months): a later record of the pair starting on or after it, a record whose
    /// known end is on or after it, or an outcome between the two dated on or after it.
    pub fn kept_after(&self, months: u32) -> bool {
        let mark = months_later(self.formed(), months);
        self.records.iter().any(|r| {
            (!std::ptr::eq(*r, self.first) && r.start >= mark)
                || r.end.is_some_and(|e| e >= mark && r.start <= mark)
        }) || self.outcome_dates.iter().any(|d| *d >= mark)
    }
}

pub(crate) fn tie_pairs(data: &Dataset) -> Vec<PairTies<'_>> {
    let mut index: HashMap<(&str, &str), usize> = HashMap::new();
    let mut pairs: Vec<PairTies> = Vec::new();
    let mut ties: Vec<&Tie> = data.ties.iter().filter(|t| t.from != t.to).collect();
    ties.sort_by(|x, y| x.start.cmp(&y.start).then_with(|| x.id.cmp(&y.id)));
    for t in ties {
        let key = pair(t.from.as_str(), t.to.as_str());
        match index.get(&key) {
            Some(&i) => pairs[i].records.push(t),
            None => {
                index.insert(key, pairs.len());
                pairs.push(PairTies {
                    a: key.0,
                    b: key.1,
                    first: t,
                    records: vec![t],
                    outcome_dates: Vec::new(),
                });
            }
        }
    }
    for o in &data.outcomes {
        if o.kind == OutcomeKind::NothingYet {
            continue;
        }
        if let Some(p) = &o.partner
            && let Some(&i) = index.get(&pair(o.org.as_str(), p.as_str()))
        {
            pairs[i].outcome_dates.push(o.date);
        }
    }
    pairs
}

/// Coarse sector of an organisation: NAICS 2-digit sector or NACE section (first character),
/// from its first sector code.
fn sector_group(o: &Organisation) -> Option<String> {
    let code = o.sectors.first()?;
    let c = code.code.trim();
    let group: String = if c.starts_with(|ch: char| ch.is_ascii_digit()) {
        c.chars().take(2).collect()
    } else {
        c.chars().take(1).collect()
    };
    Some(format!("{}:{group}", code.classification))
}

/// Cross-sector comparison of two organisations: `Some(true)` when they differ in kind (firm,
/// university, ...) or, of the same kind, in sector group; `None` when same kind and a sector is
/// unknown.
fn cross_sector(x: &Organisation, y: &Organisation) -> Option<bool> {
    if x.kind != y.kind {
        return Some(true);
    }
    Some(sector_group(x)? != sector_group(y)?)
}

fn country(o: &Organisation) -> Option<String> {
    o.country
        .as_deref()
        .map(|c| c.trim().to_ascii_uppercase())
        .filter(|c| !c.is_empty())
}

/// Whether a firm sells abroad: a positive export share, or a served country other than its own.
pub(crate) fn exports(o: &Organisation) -> bool {
    let own = country(o);
    o.export_share.is_some_and(|s| s > 0.0)
        || o.countries_served
            .iter()
            .any(|c| Some(c.trim().to_ascii_uppercase()) != own && !c.trim().is_empty())
}

/// The evaluated range for options: given dates, or the data's first/last dated record.
pub(crate) fn resolve_range(data: &Dataset, opts: &KpiOptions) -> Result<(Date, Date), Error> {
    let range = data_range(data);
    let from = match (opts.from, range) {
        (Some(f), _) => f,
        (None, Some((f, _))) => f,
        (None, None) => return Err(Error::NoData),
    };
    let to = match (opts.to, range) {
        (Some(t), _) => t,
        (None, Some((_, t))) => t,
        (None, None) => return Err(Error::NoData),
    };
    if from > to {
        return Err(Error::EmptyRange { from, to });
    }
    Ok((from, to))
}

/// KPI series: one row per period and KPI of [`KPI_NAMES`].
pub fn kpis(data: &Dataset, opts: &KpiOptions) -> Result<Vec<KpiRow>, Error> {
    let scope = Scope::new(data, opts.initiative.as_ref())?;
    let (from, to) = resolve_range(data, opts)?;
    let orgs: HashMap<&str, &Organisation> = data
        .organisations
        .iter()
        .map(|o| (o.id.as_str(), o))
        .collect();
    let event_date: HashMap<&str, Date> = data
        .events
        .iter()
        .filter(|e| scope.events.contains(e.id.as_str()))
        .map(|e| (e.id.as_str(), e.date))
        .collect();
    // First attendance of each organisation at an event in scope (over all time).
    let mut first_seen: HashMap<&str, Date> = HashMap::new();
    for a in &data.attendance {
        if let (Some(org), Some(&d)) = (&a.org, event_date.get(a.event.as_str())) {
            let e = first_seen.entry(org.as_str()).or_insert(d);
            *e = (*e).min(d);
        }
    }
    let pairs = tie_pairs(data);
    let linked_intros: HashSet<&str> = data
        .ties
        .iter()
        .filter_map(|t| t.introduction.as_ref())
        .chain(data.outcomes.iter().filter_map(|o| o.introduction.as_ref()))
        .map(|i| i.as_str())
        .collect();
    let tie_starts: HashMap<(&str, &str), Vec<Date>> = pairs
        .iter()
        .map(|p| ((p.a, p.b), p.records.iter().map(|r| r.start).collect()))
        .collect();
    let mut jobs: HashMap<&str, Vec<(&str, Option<Date>)>> = HashMap::new();
    for a in &data.affiliations {
        jobs.entry(a.person.as_str())
            .or_default()
            .push((a.org.as_str(), a.from));
    }

    let mut rows = Vec::new();
    for p in periods(from, to, opts.by) {
        let Period { start, end, .. } = p;
        let member = |o: &str| scope.member_during(o, start, end);
        let mut push = |kpi: &'static str, num: f64, den: Option<f64>| {
            let value = match den {
                None => Some(num),
                Some(d) if d > 0.0 => Some(num / d),
                Some(_) => None,
            };
            rows.push(KpiRow {
                period: p.label.clone(),
                period_start: start,
                period_end: end,
                kpi,
                value,
                numerator: num,
                denominator: den,
            });
        };
        let members = scope.member_count_during(start, end);
        push("members", members as f64, None);

        // Activity of members in the period.
        let mut engaged: HashSet<&str> = HashSet::new();
        let mut attendance = 0usize;
        for a in &data.attendance {
            if event_date
                .get(a.event.as_str())
                .is_some_and(|d| p.contains(*d))
            {
                attendance += 1;
                if let Some(o) = &a.org
                    && member(o.as_str())
                {
                    engaged.insert(o.as_str());
                }
            }
        }
        for t in data.ties.iter().filter(|t| p.contains(t.start)) {
            for o in [t.from.as_str(), t.to.as_str()] {
                if member(o) {
                    engaged.insert(o);
                }
            }
        }
        for i in data.introductions.iter().filter(|i| p.contains(i.date)) {
            for o in [i.from.as_str(), i.to.as_str()] {
                if member(o) {
                    engaged.insert(o);
                }
            }
        }
        for o in data.outcomes.iter().filter(|o| p.contains(o.date)) {
            if member(o.org.as_str()) {
                engaged.insert(o.org.as_str());
            }
        }
        push(
            "members_engaged",
            engaged.len() as f64,
            Some(members as f64),
        );
        let reached = first_seen.values().filter(|d| p.contains(**d)).count();
        push("new_orgs_reached", reached as f64, None);
        let events = event_date.values().filter(|d| p.contains(**d)).count();
        push("events", events as f64, None);
        push("attendance", attendance as f64, None);

        // Introductions (and brokered meetings) touching a member.
        let intros: Vec<_> = data
            .introductions
            .iter()
            .filter(|i| p.contains(i.date) && (member(i.from.as_str()) || member(i.to.as_str())))
            .collect();
        use IntroductionStatus as S;
        let accepted = intros
            .iter()
            .filter(|i| matches!(i.status, S::Made | S::Met | S::Closed))
            .count();
        let held = intros
            .iter()
            .filter(|i| matches!(i.status, S::Met | S::Closed))
            .count();
        let converted = intros
            .iter()
            .filter(|i| {
                linked_intros.contains(i.id.as_str())
                    || tie_starts
                        .get(&pair(i.from.as_str(), i.to.as_str()))
                        .is_some_and(|starts| starts.iter().any(|s| *s >= i.date))
            })
            .count();
        push("introductions_requested", intros.len() as f64, None);
        push("introductions_accepted", accepted as f64, None);
        push("meetings_held", held as f64, None);
        push(
            "introduction_conversion",
            converted as f64,
            Some(intros.len() as f64),
        );

        // Ties formed in the period (first record of a pair) touching a member.
        let formed: Vec<&PairTies> = pairs
            .iter()
            .filter(|q| p.contains(q.formed()) && (member(q.a) || member(q.b)))
            .collect();
        push("ties_formed", formed.len() as f64, None);
        for (kpi, months) in [("ties_kept_6m", 6), ("ties_kept_12m", 12)] {
            let eligible: Vec<_> = formed
                .iter()
                .filter(|q| months_later(q.formed(), months) <= to)
                .collect();
            let kept = eligible.iter().filter(|q| q.kept_after(months)).count();
            push(kpi, kept as f64, Some(eligible.len() as f64));
        }
        let (mut cross, mut comparable) = (0, 0);
        let (mut external, mut intl, mut with_country) = (0, 0, 0);
        for q in &formed {
            let (x, y) = (orgs.get(q.a), orgs.get(q.b));
            if let (Some(x), Some(y)) = (x, y) {
                if let Some(c) = cross_sector(x, y) {
                    comparable += 1;
                    cross += c as usize;
                }
                if let (Some(cx), Some(cy)) = (country(x), country(y)) {
                    with_country += 1;
                    intl += (cx != cy) as usize;
                }
            }
            external += (!member(q.a) || !member(q.b)) as usize;
        }
        push(
            "cross_sector_tie_share",
            cross as f64,
            Some(comparable as f64),
        );
        push(
            "external_tie_share",
            external as f64,
            Some(formed.len() as f64),
        );
        push(
            "international_tie_share",
            intl as f64,
            Some(with_country as f64),
        );

        // Outcomes reported by members.
        let outcomes: Vec<_> = data
            .outcomes
            .iter()
            .filter(|o| p.contains(o.date) && member(o.org.as_str()))
            .collect();
        push("outcomes_total", outcomes.len() as f64, None);
        for kind in OutcomeKind::ALL {
            let n = outcomes.iter().filter(|o| o.kind == *kind).count();
            let name = KPI_NAMES
                .iter()
                .find(|k| k.strip_prefix("outcomes_") == Some(kind.as_str()))
                .copied()
                .unwrap_or("outcomes_other");
            push(name, n as f64, None);
        }

        // Internationalisation of member firms (their current profile).
        let firms: Vec<&Organisation> = scope
            .spans
            .keys()
            .filter(|o| member(o))
            .filter_map(|o| orgs.get(o).copied())
            .filter(|o| o.kind == OrgKind::Firm)
            .collect();
        let exporting = firms.iter().filter(|o| exports(o)).count();
        push(
            "firms_exporting",
            exporting as f64,
            Some(firms.len() as f64),
        );
        let served: BTreeSet<String> = firms
            .iter()
            .flat_map(|o| {
                let own = country(o);
                o.countries_served
                    .iter()
                    .map(|c| c.trim().to_ascii_uppercase())
                    .filter(move |c| !c.is_empty() && Some(c) != own.as_ref())
            })
            .collect();
        push("countries_served", served.len() as f64, None);
        let shares: Vec<f64> = firms.iter().filter_map(|o| o.export_share).collect();
        push(
            "export_intensity",
            shares.iter().sum(),
            Some(shares.len() as f64),
        );

        // Collective learning: spin-offs founded and staff moves started in the period.
        let spin_offs = data
            .organisations
            .iter()
            .filter(|o| {
                o.founded.is_some_and(|d| p.contains(d))
                    && o.parent.as_ref().is_some_and(|par| member(par.as_str()))
            })
            .count();
        push("spin_offs", spin_offs as f64, None);
        let mut moves = 0;
        for a in &data.affiliations {
            let Some(d) = a.from.filter(|d| p.contains(*d)) else {
                continue;
            };
            let moved = jobs.get(a.person.as_str()).is_some_and(|js| {
                js.iter().any(|(org, f)| {
                    *org != a.org.as_str()
                        && f.is_none_or(|f| f < d)
                        && (member(a.org.as_str()) || member(org))
                })
            });
            moves += moved as usize;
        }
        push("staff_moves", moves as f64, None);
    }
    Ok(rows)
}

/// The range [`kpis`] evaluates for these options: the given dates, or the registry's first
/// and last dated record.
pub fn evaluated_range(data: &Dataset, opts: &KpiOptions) -> Result<(Date, Date), Error> {
    resolve_range(data, opts)
}
