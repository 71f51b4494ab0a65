//! A self-assessment in the spirit of the cluster-management excellence labels: the
//! indicators the registry can answer, filled with evidence, and the rest listed for a person.
//! The indicator list is milieu's own, grouped like the labels' areas (structure, governance,
//! financing, services, cooperation, recognition); it is not the ESCA questionnaire.

use crate::Error;
use crate::kpi::{KpiOptions, kpis, resolve_range};
use crate::period::Granularity;
use crate::scope::Scope;
use milieu_model::{Dataset, Date, InitiativeId, MemberRole, OrgKind, SizeClass};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SelfAssessmentRow {
    pub area: &'static str,
    pub indicator: &'static str,
    /// `registry` when filled from operating data, `by_hand` otherwise.
    pub answered_from: &'static str,
    pub value: String,
    pub evidence: String,
}

fn row(
    area: &'static str,
    indicator: &'static str,
    value: String,
    evidence: String,
) -> SelfAssessmentRow {
    SelfAssessmentRow {
        area,
        indicator,
        answered_from: "registry",
        value,
        evidence,
    }
}

fn by_hand(area: &'static str, indicator: &'static str) -> SelfAssessmentRow {
    SelfAssessmentRow {
        area,
        indicator,
        answered_from: "by_hand",
        value: String::new(),
        evidence: "not in the registry: to be answered by the cluster management".into(),
    }
}

fn pct(n: usize, d: usize) -> String {
    if d == 0 {
        "n/a".into()
    } else {
        format!("{:.1}%", 100.0 * n as f64 / d as f64)
    }
}

pub fn self_assessment(
    data: &Dataset,
    initiative: Option<&InitiativeId>,
    from: Option<Date>,
    to: Option<Date>,
) -> Result<Vec<SelfAssessmentRow>, Error> {
    let scope = Scope::new(data, initiative)?;
    let opts = KpiOptions {
        initiative: initiative.cloned(),
        from,
        to,
        by: Granularity::Year,
    };
    let (from, to) = resolve_range(data, &opts)?;
    let years = ((to - from).num_days() as f64 / 365.25).max(1.0 / 365.25);
    let orgs: HashMap<&str, _> = data
        .organisations
        .iter()
        .map(|o| (o.id.as_str(), o))
        .collect();
    let members: Vec<_> = scope
        .spans
        .keys()
        .filter(|o| scope.member_during(o, from, to))
        .filter_map(|o| orgs.get(o).copied())
        .collect();
    let n = members.len();
    let firms: Vec<_> = members.iter().filter(|o| o.kind == OrgKind::Firm).collect();
    let smes = firms
        .iter()
        .filter(|o| {
            o.size_class
                .or(o.employees.map(SizeClass::from_employees))
                .is_some_and(|s| s != SizeClass::Large)
        })
        .count();
    let research = members
        .iter()
        .filter(|o| matches!(o.kind, OrgKind::University | OrgKind::ResearchInstitute))
        .count();
    let mut countries: HashMap<String, usize> = HashMap::new();
    for o in &members {
        if let Some(c) = &o.country {
            *countries.entry(c.to_ascii_uppercase()).or_default() += 1;
        }
    }
    let home = countries
        .iter()
        .max_by_key(|(c, k)| (**k, std::cmp::Reverse((*c).clone())));
    let foreign = home.map_or(0, |(h, _)| {
        members
            .iter()
            .filter(|o| {
                o.country
                    .as_ref()
                    .is_some_and(|c| &c.to_ascii_uppercase() != h)
            })
            .count()
    });
    let roles = |role: MemberRole| {
        data.memberships
            .iter()
            .filter(|m| initiative.is_none_or(|i| &m.initiative == i) && m.role == role)
            .map(|m| m.org.as_str())
            .collect::<HashSet<_>>()
            .len()
    };
    let series = kpis(data, &opts)?;
    let total = |kpi: &str| -> (f64, f64) {
        series
            .iter()
            .filter(|r| r.kpi == kpi)
            .fold((0.0, 0.0), |(n, d), r| {
                (n + r.numerator, d + r.denominator.unwrap_or(0.0))
            })
    };
    let share = |kpi: &str| {
        let (n, d) = total(kpi);
        if d > 0.0 {
            format!("{:.1}%", 100.0 * n / d)
        } else {
            "n/a".into()
        }
    };
    let member_set: HashSet<&str> = members.iter().map(|o| o.id.as_str()).collect();
    let joint_projects = data
        .projects
        .iter()
        .filter(|p| {
            data.participations
                .iter()
                .filter(|x| x.project == p.id && member_set.contains(x.org.as_str()))
                .count()
                >= 2
        })
        .count();
    let range = format!("{from} to {to}");
    let (events, _) = total("events");
    let (attendance, _) = total("attendance");
    let (ties, _) = total("ties_formed");
    let (intros, _) = total("introductions_requested");
    let (successes, _) = [
        "outcomes_sale",
        "outcomes_agreement",
        "outcomes_joint_project",
    ]
    .iter()
    .map(|k| total(k))
    .fold((0.0, 0.0), |a, b| (a.0 + b.0, 0.0));
    let (spin, _) = total("spin_offs");
    Ok(vec![
        row(
            "structure",
            "number of members",
            n.to_string(),
            format!("memberships in force between {range}"),
        ),
        row(
            "structure",
            "share of firms among members",
            pct(firms.len(), n),
            format!("{} firms of {n} members", firms.len()),
        ),
        row(
            "structure",
            "share of SMEs among member firms",
            pct(smes, firms.len()),
            format!(
                "{smes} of {} firms below 250 employees (size class or headcount)",
                firms.len()
            ),
        ),
        row(
            "structure",
            "research and education members",
            research.to_string(),
            "members of kind university or research_institute".into(),
        ),
        row(
            "structure",
            "members from outside the home country",
            pct(foreign, n),
            format!(
                "{foreign} members; home country = most frequent member country ({})",
                home.map_or("unknown".to_string(), |h| h.0.clone())
            ),
        ),
        row(
            "governance",
            "members involved in the board",
            roles(MemberRole::Board).to_string(),
            "memberships with role board".into(),
        ),
        row(
            "governance",
            "cluster management staff (secretariat, brokers)",
            (roles(MemberRole::Secretariat) + roles(MemberRole::Broker)).to_string(),
            "memberships with role secretariat or broker".into(),
        ),
        by_hand(
            "governance",
            "written strategy and action plan, reviewed regularly",
        ),
        by_hand(
            "governance",
            "qualification and training of the cluster management staff",
        ),
        by_hand(
            "financing",
            "financing structure and share of private funding",
        ),
        by_hand(
            "financing",
            "financial sustainability beyond public support",
        ),
        row(
            "services",
            "events per year",
            format!("{:.1}", events / years),
            format!("{events} events between {range}"),
        ),
        row(
            "services",
            "attendance per event",
            if events > 0.0 {
                format!("{:.1}", attendance / events)
            } else {
                "n/a".into()
            },
            format!("{attendance} attendance records"),
        ),
        row(
            "services",
            "share of members engaged per period",
            share("members_engaged"),
            "members with any activity in a year over members of that year (KPI members_engaged)"
                .into(),
        ),
        row(
            "services",
            "introductions (matchmaking) made",
            intros.to_string(),
            format!(
                "introduction conversion {}",
                share("introduction_conversion")
            ),
        ),
        by_hand("services", "member satisfaction survey"),
        by_hand("services", "communication: website, newsletters, press"),
        row(
            "cooperation",
            "new ties between organisations",
            ties.to_string(),
            format!(
                "first tie records of a pair touching a member; kept at 6 months {}",
                share("ties_kept_6m")
            ),
        ),
        row(
            "cooperation",
            "cross-sector ties",
            share("cross_sector_tie_share"),
            "KPI cross_sector_tie_share".into(),
        ),
        row(
            "cooperation",
            "international ties",
            share("international_tie_share"),
            "KPI international_tie_share".into(),
        ),
        row(
            "cooperation",
            "joint projects among members",
            joint_projects.to_string(),
            "projects with at least two member participants".into(),
        ),
        row(
            "recognition",
            "documented success stories (sales, agreements, joint projects)",
            successes.to_string(),
            "outcomes of kind sale, agreement or joint_project reported by members".into(),
        ),
        row(
            "recognition",
            "spin-offs of members",
            spin.to_string(),
            "organisations founded in the range whose parent is a member".into(),
        ),
        row(
            "recognition",
            "member firms exporting",
            share("firms_exporting"),
            "KPI firms_exporting, averaged over years".into(),
        ),
        by_hand(
            "recognition",
            "visibility and recognition outside the region (awards, media)",
        ),
    ])
}
