//! Evaluation use cases: follow-ups (plan, send, record answers through the checked import
//! path), KPI series, targets and alerts, benchmarks, self-assessment, the motivation table
//! and the HTML report. The engine (milieu-eval) computes; this module loads and stores.

use crate::AppError;
use crate::import::check_insert;
use milieu_eval as eval;
use milieu_io::LocatedDataset;
use milieu_model::{Dataset, Date, InitiativeId, OrgId};
use milieu_store::{FollowUpRecord, Store, TargetRecord};
use std::collections::HashSet;

pub use eval::{Answer, Granularity, KpiOptions};

fn engine(e: eval::Error) -> AppError {
    AppError::engine(&e)
}

/// Today's date on the local clock (the default evaluation date of the CLI).
pub fn today() -> Date {
    chrono::Local::now().date_naive()
}

fn to_record(p: eval::PlannedFollowUp) -> FollowUpRecord {
    FollowUpRecord {
        org: p.org,
        source_kind: p.source.kind().to_string(),
        source_id: p.source.id().to_string(),
        source_date: p.source_date,
        partner: p.partner,
        months: p.months,
        due: p.due,
        status: "due".into(),
        sent_on: None,
        answered_on: None,
        answer: None,
        outcome: None,
        id: p.id,
    }
}

fn to_planned(f: &FollowUpRecord) -> Result<eval::PlannedFollowUp, AppError> {
    let source = match f.source_kind.as_str() {
        "event" => eval::FollowUpSource::Event(milieu_model::EventId::new(f.source_id.clone())),
        "introduction" => eval::FollowUpSource::Introduction(milieu_model::IntroductionId::new(
            f.source_id.clone(),
        )),
        other => {
            return Err(AppError::Usage(format!(
                "follow-up {} has an unknown source kind {other:?}",
                f.id
            )));
        }
    };
    Ok(eval::PlannedFollowUp {
        id: f.id.clone(),
        org: f.org.clone(),
        source,
        source_date: f.source_date,
        partner: f.partner.clone(),
        months: f.months,
        due: f.due,
    })
}

/// Creates the follow-ups due on or before `on` that do not exist yet (events and
/// introductions dated on or after `since`, at `delays` months) and returns every follow-up
/// still open (status due or sent) and due on or before `on`, with the number created.
pub async fn followups_due<S: Store>(
    store: &S,
    on: Date,
    delays: &[u32],
    since: Option<Date>,
) -> Result<(Vec<FollowUpRecord>, usize), AppError> {
    if delays.is_empty() || delays.contains(&0) {
        return Err(AppError::Usage(
            "--delays: expected one or more delays in months, each at least 1".into(),
        ));
    }
    let data = store.dataset().await?;
    let existing: HashSet<String> = store.followups().await?.into_iter().map(|f| f.id).collect();
    let planned: Vec<FollowUpRecord> = eval::plan_followups(&data, delays, on, since, &existing)
        .into_iter()
        .map(to_record)
        .collect();
    store.add_followups(&planned).await?;
    let open = store
        .followups()
        .await?
        .into_iter()
        .filter(|f| f.status != "answered" && f.due <= on)
        .collect();
    Ok((open, planned.len()))
}

/// The message asking an organisation what came of an event or introduction.
pub fn followup_message(f: &FollowUpRecord, data: &Dataset) -> String {
    let org = data
        .organisations
        .iter()
        .find(|o| o.id == f.org)
        .map_or(f.org.to_string(), |o| o.name.clone());
    let what = match f.source_kind.as_str() {
        "event" => data
            .events
            .iter()
            .find(|e| e.id.as_str() == f.source_id)
            .map_or(format!("event {}", f.source_id), |e| {
                format!("the event \"{}\"", e.title)
            }),
        _ => {
            let partner = f.partner.as_ref().map_or("a partner".to_string(), |p| {
                data.organisations
                    .iter()
                    .find(|o| &o.id == p)
                    .map_or(p.to_string(), |o| o.name.clone())
            });
            format!("the introduction to {partner}")
        }
    };
    format!(
        "To: {org}\nSubject: What came of {what} ({date})?\nFollow-up: {id}\n\n\
         {months} month(s) ago you took part in {what} on {date}. What came of it?\n\
         Answer with one of: {answers}; name the partner organisation if there is one, \
         and how much you trust the contact (1-5) and how strong it is (1-5).\n",
        date = f.source_date,
        id = f.id,
        months = f.months,
        answers = Answer::ALL.join(", ")
    )
}

/// Marks every follow-up due on or before `on` and not yet sent as sent (on `on`) and returns
/// them with their messages.
pub async fn followups_send<S: Store>(
    store: &S,
    on: Date,
) -> Result<Vec<(FollowUpRecord, String)>, AppError> {
    let data = store.dataset().await?;
    let mut out = Vec::new();
    for mut f in store.followups().await? {
        if f.status == "due" && f.due <= on {
            f.status = "sent".into();
            f.sent_on = Some(on);
            let msg = followup_message(&f, &data);
            out.push((f, msg));
        }
    }
    let records: Vec<FollowUpRecord> = out.iter().map(|(f, _)| f.clone()).collect();
    store.update_followups(&records).await?;
    Ok(out)
}

/// An answer to a follow-up, as given on the command line.
#[derive(Debug, Clone)]
pub struct AnswerInput {
    pub id: String,
    pub answer: String,
    pub partner: Option<String>,
    pub trust: Option<u8>,
    pub strength: Option<u8>,
    pub date: Date,
}

/// Records an answer: an Outcome and (unless nothing came of it yet) a Tie, checked like any
/// import, written together with the answered follow-up in one transaction.
pub async fn followup_record<S: Store>(
    store: &S,
    input: &AnswerInput,
) -> Result<eval::RecordedAnswer, AppError> {
    let Some(mut f) = store
        .followups()
        .await?
        .into_iter()
        .find(|f| f.id == input.id)
    else {
        return Err(AppError::NotFound {
            kind: "follow-up",
            id: input.id.clone(),
        });
    };
    if f.status == "answered" {
        return Err(AppError::Usage(format!(
            "follow-up {} was already answered on {}",
            f.id,
            f.answered_on
                .map_or("an earlier date".into(), |d| d.to_string())
        )));
    }
    let answer: Answer = input.answer.parse().map_err(engine)?;
    let rec = eval::answer_records(
        &to_planned(&f)?,
        answer,
        input.partner.clone().map(OrgId::new),
        input.trust,
        input.strength,
        input.date,
    )
    .map_err(engine)?;
    let batch = Dataset {
        outcomes: vec![rec.outcome.clone()],
        ties: rec.tie.clone().into_iter().collect(),
        ..Dataset::default()
    };
    let source = format!("answer to follow-up {}", f.id);
    check_insert(store, &LocatedDataset::from_dataset(&source, batch.clone())).await?;
    f.status = "answered".into();
    f.answered_on = Some(input.date);
    f.answer = Some(input.answer.trim().to_ascii_lowercase());
    f.outcome = Some(rec.outcome.id.to_string());
    store.answer_followup(&f, &batch).await?;
    Ok(rec)
}

/// KPI series of the registry or an initiative: milieu-eval's KPIs, then per period the service
/// KPIs and the network KPIs (crate::evaluate_network).
pub async fn kpis<S: Store>(store: &S, opts: &KpiOptions) -> Result<Vec<eval::KpiRow>, AppError> {
    let data = store.dataset().await?;
    let services = crate::evaluate_services::load_services(store).await?;
    all_kpis(&data, &services, opts)
}

/// Every KPI of [`kpis`] from data in memory, ordered by period (within a period: milieu-eval's,
/// the service KPIs, the network KPIs).
pub fn all_kpis(
    data: &Dataset,
    services: &eval::Services,
    opts: &KpiOptions,
) -> Result<Vec<eval::KpiRow>, AppError> {
    let mut rows = eval::kpis(data, opts).map_err(engine)?;
    rows.extend(eval::service_kpis(data, services, opts).map_err(engine)?);
    rows.extend(crate::evaluate_network::network_kpis(data, opts)?);
    rows.sort_by_key(|r| r.period_start);
    Ok(rows)
}

/// Adds a KPI target; an unknown KPI or initiative is refused and nothing stored.
pub async fn add_target<S: Store>(store: &S, target: TargetRecord) -> Result<(), AppError> {
    let t = eval::Target {
        initiative: target.initiative.clone(),
        kpi: target.kpi.clone(),
        value: target.value,
        by: target.by,
        terminate_below: target.terminate_below,
    };
    t.validate_among(&extra_kpi_names()).map_err(engine)?;
    if store
        .get::<milieu_model::Initiative>(target.initiative.as_str())
        .await?
        .is_none()
    {
        return Err(AppError::NotFound {
            kind: "initiative",
            id: target.initiative.to_string(),
        });
    }
    store.add_target(&target).await?;
    Ok(())
}

pub async fn targets<S: Store>(
    store: &S,
    initiative: Option<&InitiativeId>,
) -> Result<Vec<eval::Target>, AppError> {
    Ok(store
        .targets()
        .await?
        .into_iter()
        .filter(|t| initiative.is_none_or(|i| &t.initiative == i))
        .map(|t| eval::Target {
            initiative: t.initiative,
            kpi: t.kpi,
            value: t.value,
            by: t.by,
            terminate_below: t.terminate_below,
        })
        .collect())
}

/// The KPIs milieu-app computes beside milieu-eval's (services, network): targets may name them.
pub fn extra_kpi_names() -> Vec<&'static str> {
    eval::SERVICE_KPI_NAMES
        .iter()
        .chain(crate::evaluate_network::NETWORK_KPI_NAMES)
        .copied()
        .collect()
}

/// Alerts where a target on a service or network KPI is followed like any other.
fn alerts_on(
    data: &Dataset,
    services: &eval::Services,
    targets: &[eval::Target],
    opts: &eval::AlertOptions,
) -> Result<Vec<eval::AlertRow>, AppError> {
    let names = extra_kpi_names();
    let series = |o: &KpiOptions| -> Result<Vec<eval::KpiRow>, eval::Error> {
        let mut rows = eval::service_kpis(data, services, o)?;
        rows.extend(crate::evaluate_network::network_kpis(data, o).map_err(|e| {
            eval::Error::Invalid {
                field: "kpi",
                value: e.to_string(),
                expected: "network KPIs computable on this registry".into(),
            }
        })?);
        Ok(rows)
    };
    let extra = eval::ExtraKpis {
        names: &names,
        series: &series,
    };
    eval::alerts_with(data, targets, opts, Some(&extra)).map_err(engine)
}

pub async fn alerts<S: Store>(
    store: &S,
    opts: &eval::AlertOptions,
) -> Result<Vec<eval::AlertRow>, AppError> {
    let data = store.dataset().await?;
    let services = crate::evaluate_services::load_services(store).await?;
    let targets = targets(store, opts.initiative.as_ref()).await?;
    alerts_on(&data, &services, &targets, opts)
}

pub async fn benchmark<S: Store>(
    store: &S,
    from: Option<Date>,
    to: Option<Date>,
) -> Result<Vec<eval::BenchmarkRow>, AppError> {
    let data = store.dataset().await?;
    eval::benchmark(&data, from, to).map_err(engine)
}

pub async fn self_assessment<S: Store>(
    store: &S,
    initiative: Option<&InitiativeId>,
    from: Option<Date>,
    to: Option<Date>,
) -> Result<Vec<eval::SelfAssessmentRow>, AppError> {
    let data = store.dataset().await?;
    eval::self_assessment(&data, initiative, from, to).map_err(engine)
}

pub async fn motivation_table<S: Store>(
    store: &S,
    initiative: Option<&InitiativeId>,
    k: u64,
) -> Result<Vec<eval::MotivationCellRow>, AppError> {
    let data = store.dataset().await?;
    eval::motivation_table(&data, initiative, None, None, k).map_err(engine)
}

pub async fn member_motivations<S: Store>(
    store: &S,
    initiative: Option<&InitiativeId>,
) -> Result<Vec<eval::MemberMotivationRow>, AppError> {
    let data = store.dataset().await?;
    eval::member_motivations(&data, initiative, None, None).map_err(engine)
}

/// KPIs charted in the report.
pub const REPORT_CHARTS: &[&str] = &[
    "members_engaged",
    "new_orgs_reached",
    "events",
    "attendance",
    "ties_formed",
    "ties_kept_6m",
    "international_tie_share",
    "outcomes_total",
    "service_users",
    "main_component_share",
    "cross_community_tie_share",
    "bridging_ties_formed",
];

/// The HTML report of an initiative: KPI trends, the network before and after, decision points,
/// alerts, motivation table.
pub async fn report<S: Store>(
    store: &S,
    initiative: &InitiativeId,
    opts: &KpiOptions,
    k: u64,
) -> Result<String, AppError> {
    let data = store.dataset().await?;
    let ini = data
        .initiatives
        .iter()
        .find(|i| &i.id == initiative)
        .ok_or_else(|| AppError::NotFound {
            kind: "initiative",
            id: initiative.to_string(),
        })?;
    let opts = KpiOptions {
        initiative: Some(initiative.clone()),
        ..opts.clone()
    };
    let services = crate::evaluate_services::load_services(store).await?;
    let series = all_kpis(&data, &services, &opts)?;
    // The network "before" is at --from, or else at the initiative's start (when the
    // registry's dated records begin earlier).
    let (first, last) = eval::evaluated_range(&data, &opts).map_err(engine)?;
    let net_opts = KpiOptions {
        from: opts
            .from
            .or(ini.started.filter(|s| *s > first && *s <= last)),
        ..opts.clone()
    };
    let network = crate::evaluate_network::network_comparison(&data, &net_opts)?;
    let targets = targets(store, Some(initiative)).await?;
    let alert_opts = eval::AlertOptions {
        initiative: Some(initiative.clone()),
        as_of: opts.to,
        by: opts.by,
        ..eval::AlertOptions::default()
    };
    let alerts = alerts_on(&data, &services, &targets, &alert_opts)?;
    let cells =
        eval::motivation_table(&data, Some(initiative), opts.from, opts.to, k).map_err(engine)?;
    let as_of = series
        .last()
        .map_or(String::new(), |r| r.period_end.to_string());
    let title = format!("Evaluation of {}", ini.name);
    Ok(eval::report_html(&eval::ReportInput {
        title: &title,
        as_of: &as_of,
        kpis: &series,
        charted: REPORT_CHARTS,
        motivation: &cells,
        k,
        alerts: &alerts,
        targets: &targets,
        network: Some(&network),
    }))
}
