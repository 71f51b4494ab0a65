//! Mid-course alerts: a KPI off track against its target (or missed, or past a termination
//! criterion), a key person the network depends on, members who only attend, a widening
//! core-periphery gap. Rules: docs/evaluation.md.

use crate::kpi::{KpiOptions, KpiRow, kpis, resolve_range};
use crate::period::{Granularity, periods};
use crate::scope::Scope;
use crate::{Error, is_kpi};
use chrono::Datelike;
use milieu_model::{Dataset, Date, InitiativeId, OutcomeKind};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// A target agreed for an initiative: KPI `kpi` reaches `value` (per period, at least) by
/// `by`; optionally the initiative is to be reconsidered (terminated) when the KPI is below
/// `terminate_below` at a review.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Target {
    pub initiative: InitiativeId,
    pub kpi: String,
    pub value: f64,
    pub by: Date,
    pub terminate_below: Option<f64>,
}

impl Target {
    /// Checks the KPI name (one of [`crate::KPI_NAMES`]) and that the value is finite.
    pub fn validate(&self) -> Result<(), Error> {
        self.validate_among(&[])
    }

    /// [`Target::validate`], also accepting the names of KPIs computed outside milieu-eval
    /// (`extra`: the service and network KPIs milieu-app adds).
    pub fn validate_among(&self, extra: &[&str]) -> Result<(), Error> {
        if !is_kpi(&self.kpi) && !extra.contains(&self.kpi.as_str()) {
            return Err(Error::UnknownKpi {
                value: self.kpi.clone(),
                expected: crate::KPI_NAMES
                    .iter()
                    .chain(extra)
                    .copied()
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
        if !self.value.is_finite() || self.terminate_below.is_some_and(|t| !t.is_finite()) {
            return Err(Error::Invalid {
                field: "value",
                value: self.value.to_string(),
                expected: "a finite number".into(),
            });
        }
        Ok(())
    }
}

/// Thresholds of the alert rules.
#[derive(Debug, Clone)]
pub struct AlertOptions {
    pub initiative: Option<InitiativeId>,
    /// Evaluation date; default the last dated record.
    pub as_of: Option<Date>,
    pub by: Granularity,
    /// Key person: an organisation attending at least this many events, always through the
    /// same single person.
    pub key_person_min_events: usize,
    /// Attend-only: a member attending at least this many events with no tie, introduction
    /// or outcome (other than nothing_yet).
    pub attend_only_min_events: usize,
    /// Core: the top this share of members by degree.
    pub core_fraction: f64,
    /// Widening: the core's share of tie ends grows by at least this much over the range.
    pub gap_widening: f64,
}

impl Default for AlertOptions {
    fn default() -> Self {
        Self {
            initiative: None,
            as_of: None,
            by: Granularity::Quarter,
            key_person_min_events: 2,
            attend_only_min_events: 3,
            core_fraction: 0.2,
            gap_widening: 0.05,
        }
    }
}

/// One alert. `kind` is kpi_off_track, kpi_missed, termination_criterion, key_person,
/// attend_only or core_periphery_gap; `subject` the KPI or organisation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlertRow {
    pub kind: &'static str,
    pub subject: String,
    pub period: String,
    pub value: Option<f64>,
    pub threshold: Option<f64>,
    pub detail: String,
}

/// Whether a period ends where its calendar quarter/year ends (not clipped by the range).
fn complete(end: Date, by: Granularity) -> bool {
    let next = end.succ_opt().unwrap_or(end);
    next.day() == 1
        && match by {
            Granularity::Quarter => matches!(next.month(), 1 | 4 | 7 | 10),
            Granularity::Year => next.month() == 1,
        }
}

/// KPI series computed outside milieu-eval (milieu-app's service and network KPIs), so that
/// targets may be set on them: their names, and their rows for given options (as [`kpis`]).
pub struct ExtraKpis<'a> {
    pub names: &'a [&'a str],
    pub series: &'a dyn Fn(&KpiOptions) -> Result<Vec<KpiRow>, Error>,
}

fn target_alerts(
    data: &Dataset,
    targets: &[Target],
    opts: &AlertOptions,
    as_of: Date,
    extra: Option<&ExtraKpis<'_>>,
) -> Result<Vec<AlertRow>, Error> {
    let mut out = Vec::new();
    for t in targets {
        if opts.initiative.as_ref().is_some_and(|i| i != &t.initiative) {
            continue;
        }
        t.validate_among(extra.map(|e| e.names).unwrap_or(&[]))?;
        let started = data
            .initiatives
            .iter()
            .find(|i| i.id == t.initiative)
            .ok_or_else(|| Error::UnknownInitiative(t.initiative.to_string()))?
            .started;
        let series_opts = KpiOptions {
            initiative: Some(t.initiative.clone()),
            from: started,
            to: Some(as_of),
            by: opts.by,
        };
        let series = match extra {
            Some(e) if e.names.contains(&t.kpi.as_str()) => (e.series)(&series_opts)?,
            _ => kpis(data, &series_opts)?,
        };
        let points: Vec<&KpiRow> = series
            .iter()
            .filter(|r| r.kpi == t.kpi && r.value.is_some() && complete(r.period_end, opts.by))
            .collect();
        let (Some(first), Some(last)) = (points.first(), points.last()) else {
            continue;
        };
        let (base, now) = (first.value.unwrap_or(0.0), last.value.unwrap_or(0.0));
        // Straight line from the first complete period to the target at its date.
        let span = (t.by - first.period_end).num_days().max(1) as f64;
        let done = ((last.period_end - first.period_end).num_days() as f64 / span).clamp(0.0, 1.0);
        let expected = base + (t.value - base) * done;
        let detail = format!(
            "{} = {now:.3} in {}; started at {base:.3} in {}; target {} by {}",
            t.kpi, last.period, first.period, t.value, t.by
        );
        if last.period_end >= t.by && now < t.value {
            out.push(AlertRow {
                kind: "kpi_missed",
                subject: t.kpi.clone(),
                period: last.period.clone(),
                value: Some(now),
                threshold: Some(t.value),
                detail: detail.clone(),
            });
        } else if now < expected {
            out.push(AlertRow {
                kind: "kpi_off_track",
                subject: t.kpi.clone(),
                period: last.period.clone(),
                value: Some(now),
                threshold: Some(expected),
                detail: format!("{detail}; expected {expected:.3} on the way"),
            });
        }
        if let Some(stop) = t.terminate_below
            && now < stop
        {
            out.push(AlertRow {
                kind: "termination_criterion",
                subject: t.kpi.clone(),
                period: last.period.clone(),
                value: Some(now),
                threshold: Some(stop),
                detail: format!("{detail}; below the agreed termination level {stop}"),
            });
        }
    }
    Ok(out)
}

/// All alerts as of the evaluation date, targets first.
pub fn alerts(
    data: &Dataset,
    targets: &[Target],
    opts: &AlertOptions,
) -> Result<Vec<AlertRow>, Error> {
    alerts_with(data, targets, opts, None)
}

/// [`alerts`] where targets may also name the KPIs of `extra`.
pub fn alerts_with(
    data: &Dataset,
    targets: &[Target],
    opts: &AlertOptions,
    extra: Option<&ExtraKpis<'_>>,
) -> Result<Vec<AlertRow>, Error> {
    let (from, to) = resolve_range(
        data,
        &KpiOptions {
            initiative: None,
            from: None,
            to: opts.as_of,
            by: opts.by,
        },
    )?;
    let mut out = target_alerts(data, targets, opts, to, extra)?;
    let scope = Scope::new(data, opts.initiative.as_ref())?;
    let period_label = format!("{from}..{to}");
    let event_ok: HashSet<&str> = data
        .events
        .iter()
        .filter(|e| scope.events.contains(e.id.as_str()) && e.date <= to)
        .map(|e| e.id.as_str())
        .collect();

    // Attendance per organisation: events, people, rows without a named person.
    #[derive(Default)]
    struct Seen<'a> {
        events: BTreeSet<&'a str>,
        people: BTreeSet<&'a str>,
        anonymous: usize,
    }
    let mut seen: BTreeMap<&str, Seen> = BTreeMap::new();
    for a in &data.attendance {
        let Some(org) = &a.org else { continue };
        if !event_ok.contains(a.event.as_str()) || !scope.ever_member(org.as_str()) {
            continue;
        }
        let s = seen.entry(org.as_str()).or_default();
        s.events.insert(a.event.as_str());
        match &a.person {
            Some(p) => {
                s.people.insert(p.as_str());
            }
            None => s.anonymous += 1,
        }
    }
    for (org, s) in &seen {
        if s.events.len() >= opts.key_person_min_events && s.people.len() == 1 && s.anonymous == 0 {
            let person = s.people.iter().next().copied().unwrap_or_default();
            out.push(AlertRow {
                kind: "key_person",
                subject: org.to_string(),
                period: period_label.clone(),
                value: Some(s.events.len() as f64),
                threshold: Some(opts.key_person_min_events as f64),
                detail: format!(
                    "all {} events {org} attended were attended by {person} alone",
                    s.events.len()
                ),
            });
        }
    }

    // Members who attend but never connect.
    let mut connected: HashSet<&str> = HashSet::new();
    for t in data.ties.iter().filter(|t| t.start <= to) {
        connected.insert(t.from.as_str());
        connected.insert(t.to.as_str());
    }
    for i in data.introductions.iter().filter(|i| i.date <= to) {
        connected.insert(i.from.as_str());
        connected.insert(i.to.as_str());
    }
    for o in data
        .outcomes
        .iter()
        .filter(|o| o.date <= to && o.kind != OutcomeKind::NothingYet)
    {
        connected.insert(o.org.as_str());
    }
    for (org, s) in &seen {
        if s.events.len() >= opts.attend_only_min_events && !connected.contains(org) {
            out.push(AlertRow {
                kind: "attend_only",
                subject: org.to_string(),
                period: period_label.clone(),
                value: Some(s.events.len() as f64),
                threshold: Some(opts.attend_only_min_events as f64),
                detail: format!(
                    "{org} attended {} events but has no tie, introduction or outcome",
                    s.events.len()
                ),
            });
        }
    }

    // Core-periphery gap: the core's share of tie ends among members, first vs last period.
    let shares: Vec<(String, f64)> = periods(from, to, opts.by)
        .iter()
        .filter_map(|p| {
            core_share(data, &scope, p.start, p.end, opts.core_fraction)
                .map(|s| (p.label.clone(), s))
        })
        .collect();
    if let (Some(first), Some(last)) = (shares.first(), shares.last())
        && last.1 - first.1 >= opts.gap_widening
    {
        out.push(AlertRow {
            kind: "core_periphery_gap",
            subject: "network".into(),
            period: last.0.clone(),
            value: Some(last.1),
            threshold: Some(first.1 + opts.gap_widening),
            detail: format!(
                "the top {:.0}% of members hold {:.1}% of tie ends in {} against {:.1}% in {}",
                opts.core_fraction * 100.0,
                last.1 * 100.0,
                last.0,
                first.1 * 100.0,
                first.0
            ),
        });
    }
    Ok(out)
}

/// Share of member tie ends (distinct partners over ties active at `end`) held by the top
/// `fraction` of the members of `start..=end` (at least one); None when no member has a tie.
pub(crate) fn core_share(
    data: &Dataset,
    scope: &Scope,
    start: Date,
    end: Date,
    fraction: f64,
) -> Option<f64> {
    let mut partners: HashMap<&str, HashSet<&str>> = scope
        .spans
        .keys()
        .filter(|o| scope.member_during(o, start, end))
        .map(|o| (*o, HashSet::new()))
        .collect();
    for t in data.ties.iter().filter(|t| t.active_on(end)) {
        if let Some(p) = partners.get_mut(t.from.as_str()) {
            p.insert(t.to.as_str());
        }
        if let Some(p) = partners.get_mut(t.to.as_str()) {
            p.insert(t.from.as_str());
        }
    }
    let mut degrees: Vec<usize> = partners.values().map(HashSet::len).collect();
    let total: usize = degrees.iter().sum();
    if total == 0 {
        return None;
    }
    degrees.sort_unstable_by(|a, b| b.cmp(a));
    let core = ((degrees.len() as f64 * fraction).ceil() as usize).max(1);
    Some(degrees[..core.min(degrees.len())].iter().sum::<usize>() as f64 / total as f64)
}
