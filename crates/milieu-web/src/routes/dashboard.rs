//! The dashboard: what the cluster holds and what it has done over time, for the logged-in
//! account.
//!
//! The series per quarter are milieu-eval's KPIs (the same function as `milieu evaluate kpis`)
//! computed on the registry as the account may see it ([`View::aggregate_dataset`]): a member
//! counts its own private ties, the cluster team does not. Funders see aggregates over what the
//! team may see, and nothing that could single out one firm: no per-organisation rows, and the
//! outcome breakdown by kind only as totals over the whole range, with cells of fewer than
//! [`K_ANONYMITY`] reporting organisations suppressed (and one more cell when a single
//! suppressed cell could be recovered from the total).
//!
//! Computing KPIs costs a pass over the registry per quarter, so a dashboard is cached per
//! snapshot, view (team, funder, member organisation) and range; a new snapshot (any write)
//! recomputes it. Scheduled meetings are stored outside the registry's write generation, so a
//! cached dashboard is also recomputed after [`MAX_AGE`].

use crate::auth::Auth;
use crate::{ApiRouter, AppState, WebError};
use axum::Json;
use axum::extract::{Query, State};
use axum::response::Html;
use milieu_app::access::{Role, Snapshot, View};
use milieu_eval::{Granularity, KpiOptions, KpiRow};
use milieu_model::{Dataset, Date, EventKind, OutcomeKind, Vocabulary};
use minijinja::context;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::routes;

/// Smallest number of organisations a breakdown cell shown to a funder may stand for.
pub const K_ANONYMITY: usize = 3;
/// How long a cached dashboard is reused while the registry has not changed.
const MAX_AGE: Duration = Duration::from_secs(60);
/// Quarters shown when the request names no `from`.
const DEFAULT_QUARTERS: u32 = 20;

pub fn router() -> ApiRouter {
    ApiRouter::new()
        .route("/", axum::routing::get(page))
        .routes(routes!(api_summary))
        .routes(routes!(api_dashboard))
}

/// Counts of what the registry holds, as the account may see it.
#[derive(Serialize, ToSchema, Clone)]
pub struct Summary {
    pub organisations: usize,
    pub events: usize,
    /// Ties the account may see.
    pub ties: usize,
    /// Introductions the account may see.
    pub introductions: usize,
    pub opportunities: usize,
}

fn summary(view: &View) -> Summary {
    Summary {
        organisations: view.organisations().len(),
        events: view.events().len(),
        ties: view.ties().count(),
        introductions: view.introductions().count(),
        opportunities: view.opportunities().len(),
    }
}

/// What the registry holds, counted as the account may see it.
#[utoipa::path(get, path = "/api/summary", tag = "dashboard",
    responses((status = 200, body = Summary), (status = 401, body = WebError)))]
async fn api_summary(State(state): State<AppState>, auth: Auth) -> Result<Json<Summary>, WebError> {
    let snapshot = state.snapshot().await?;
    let view = snapshot.view(&auth.principal);
    Ok(Json(summary(&view)))
}

/// The range of the series (inclusive dates, `YYYY-MM-DD`).
#[derive(Deserialize, IntoParams, Default, Clone)]
#[into_params(parameter_in = Query)]
pub struct RangeQuery {
    /// First day counted; default the start of the quarter 20 quarters before `to`, or the
    /// first dated record when that is later.
    pub from: Option<String>,
    /// Last day counted (also the "as of" date of the KPIs); default the last dated record.
    pub to: Option<String>,
}

/// One calendar period of the series.
#[derive(Serialize, ToSchema, Clone)]
pub struct PeriodInfo {
    /// `2024-Q1`.
    pub label: String,
    pub start: String,
    pub end: String,
}

/// A series' figure in one period: `value = numerator / denominator` for shares, the count
/// itself for counts (no denominator); no value when the denominator is 0.
#[derive(Serialize, ToSchema, Clone)]
pub struct Point {
    pub period: String,
    pub value: Option<f64>,
    pub numerator: f64,
    pub denominator: Option<f64>,
}

/// A series' figure over the whole range and how it was made from the periods.
#[derive(Serialize, ToSchema, Clone)]
pub struct Total {
    pub value: Option<f64>,
    pub numerator: f64,
    pub denominator: Option<f64>,
    /// `sum` (of the periods), `latest` (the last period) or `ratio_of_sums`.
    pub basis: &'static str,
    /// The total's formula in words.
    pub explanation: String,
}

/// One KPI over time.
#[derive(Serialize, ToSchema, Clone)]
pub struct Series {
    /// The KPI's name in milieu-eval (`milieu evaluate kpis`), or `meetings_scheduled`.
    pub kpi: &'static str,
    pub title: &'static str,
    /// How a period's figure is counted.
    pub formula: &'static str,
    /// `count` or `share`.
    pub unit: &'static str,
    pub points: Vec<Point>,
    pub total: Total,
}

/// Outcomes of one kind over the range.
#[derive(Serialize, ToSchema, Clone)]
pub struct OutcomeKindRow {
    /// Outcome kind (`lead`, `sale`, ...).
    pub kind: &'static str,
    /// Outcomes of the kind in the range; empty when suppressed.
    pub total: Option<f64>,
    /// Left out because it stands for fewer than `k` organisations (funders only), or to
    /// protect such a cell from being worked out from the total.
    pub suppressed: bool,
    /// Per period, in the order of `periods` (empty for funders).
    pub points: Vec<f64>,
}

/// The dashboard: counts, KPI series per quarter with their totals, and outcomes by kind.
#[derive(Serialize, ToSchema, Clone)]
pub struct Dashboard {
    pub summary: Summary,
    /// Which records the figures count, for this account.
    pub basis: String,
    /// True for funders: aggregates only, small cells suppressed.
    pub aggregate_only: bool,
    /// Smallest number of organisations behind a breakdown cell shown to a funder.
    pub k: usize,
    pub granularity: &'static str,
    pub from: Option<String>,
    pub to: Option<String>,
    pub periods: Vec<PeriodInfo>,
    pub series: Vec<Series>,
    pub outcomes_by_kind: Vec<OutcomeKindRow>,
    /// Why there are no series, when there are none.
    pub note: Option<String>,
}

/// KPIs per quarter and totals, computed on what the account may see.
#[utoipa::path(get, path = "/api/dashboard", tag = "dashboard", params(RangeQuery),
    responses((status = 200, body = Dashboard), (status = 400, body = WebError),
        (status = 401, body = WebError)))]
async fn api_dashboard(
    State(state): State<AppState>,
    auth: Auth,
    Query(range): Query<RangeQuery>,
) -> Result<Json<Dashboard>, WebError> {
    Ok(Json((*dashboard(&state, &auth, &range).await?).clone()))
}

async fn page(
    State(state): State<AppState>,
    auth: Auth,
    Query(range): Query<RangeQuery>,
) -> Result<Html<String>, WebError> {
    let d = dashboard(&state, &auth, &range).await?;
    let charts: Vec<Chart> = d.series.iter().map(chart).collect();
    state.render(
        Some(&auth),
        "dashboard",
        "dashboard.html",
        context! { summary => d.summary.clone(), d => &*d, charts => charts },
    )
}

/// One cached dashboard.
struct Entry {
    snapshot: Weak<Snapshot>,
    key: String,
    made: Instant,
    dashboard: Arc<Dashboard>,
}

fn cache() -> &'static Mutex<Vec<Entry>> {
    static CACHE: std::sync::OnceLock<Mutex<Vec<Entry>>> = std::sync::OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(Vec::new()))
}

/// Accounts with the same key see the same dashboard.
fn view_key(auth: &Auth, range: &RangeQuery) -> String {
    let who = match auth.role() {
        Role::Admin | Role::Manager | Role::Broker => "team".to_string(),
        Role::Funder => "funder".to_string(),
        Role::Member => format!("member:{}", auth.org().map_or("", |o| o.as_str())),
    };
    format!(
        "{who}|{}|{}",
        range.from.as_deref().unwrap_or(""),
        range.to.as_deref().unwrap_or("")
    )
}

async fn dashboard(
    state: &AppState,
    auth: &Auth,
    range: &RangeQuery,
) -> Result<Arc<Dashboard>, WebError> {
    let snapshot = state.snapshot().await?;
    let key = view_key(auth, range);
    {
        let entries = cache().lock().unwrap_or_else(|e| e.into_inner());
        let hit = entries.iter().find(|e| {
            e.key == key
                && e.made.elapsed() < MAX_AGE
                && e.snapshot
                    .upgrade()
                    .is_some_and(|s| Arc::ptr_eq(&s, &snapshot))
        });
        if let Some(e) = hit {
            return Ok(e.dashboard.clone());
        }
    }
    let (from, to) = (
        super::date_param("from", &range.from)?,
        super::date_param("to", &range.to)?,
    );
    let view = snapshot.view(&auth.principal);
    let data = view.aggregate_dataset();
    let mut d = compute(&data, from, to, auth.role() == Role::Funder)?;
    d.summary = summary(&view);
    d.basis = basis(auth);
    if !d.periods.is_empty() {
        add_scheduled_meetings(state, &data, &mut d).await?;
    }
    let d = Arc::new(d);
    let mut entries = cache().lock().unwrap_or_else(|e| e.into_inner());
    entries.retain(|e| e.snapshot.strong_count() > 0 && e.made.elapsed() < MAX_AGE);
    if entries.len() >= 64 {
        entries.remove(0);
    }
    entries.push(Entry {
        snapshot: Arc::downgrade(&snapshot),
        key,
        made: Instant::now(),
        dashboard: d.clone(),
    });
    Ok(d)
}

fn basis(auth: &Auth) -> String {
    match auth.role() {
        Role::Funder => format!(
            "Aggregates over the records the cluster team may see (never a firm's private \
             records). No figure names an organisation; outcome kinds reported by fewer than \
             {K_ANONYMITY} organisations are suppressed."
        ),
        Role::Member => "The records your account may see: your organisation's own records \
             (private ones included) and the records shared with the cluster or the public."
            .to_string(),
        _ => "The records the cluster team may see: every record except those private to the \
             two organisations concerned. `milieu evaluate kpis` on the command line counts \
             private records too."
            .to_string(),
    }
}

/// The series shown, in order: (KPI, title, unit, formula, total basis).
const SERIES: &[(&str, &str, &str, &str, &str)] = &[
    (
        "members_engaged",
        "Members engaged",
        "count",
        "Members that attended an event, were party to a tie record starting, to an \
         introduction, or reported an outcome in the quarter (numerator), out of the members \
         in the quarter (denominator).",
        "latest",
    ),
    (
        "new_orgs_reached",
        "New organisations reached",
        "count",
        "Organisations (members or not) whose first attendance at an event falls in the quarter.",
        "sum",
    ),
    (
        "events",
        "Events",
        "count",
        "Events dated in the quarter.",
        "sum",
    ),
    (
        "meetings_scheduled",
        "1:1 meetings scheduled",
        "count",
        "Meetings in the stored 1:1 schedules of brokerage events dated in the quarter \
         (milieu event schedule).",
        "sum",
    ),
    (
        "meetings_held",
        "Brokered meetings held",
        "count",
        "Introductions with a member as a party, dated in the quarter, whose status is met or \
         closed.",
        "sum",
    ),
    (
        "ties_formed",
        "Ties formed",
        "count",
        "Pairs of organisations whose first tie record starts in the quarter, with a member as \
         a party. Later records of the same pair are confirmations and are not counted again.",
        "sum",
    ),
    (
        "introductions_requested",
        "Introductions",
        "count",
        "Introductions dated in the quarter with a member as a party.",
        "sum",
    ),
    (
        "introductions_accepted",
        "Introductions made",
        "count",
        "Of those, introductions whose status is made, met or closed.",
        "sum",
    ),
    (
        "introduction_conversion",
        "Introductions that led to a tie or outcome",
        "share",
        "Introductions of the quarter with a tie or outcome linked to them, or a tie record of \
         the two parties starting on or after the introduction (numerator), out of the \
         introductions of the quarter (denominator).",
        "ratio_of_sums",
    ),
    (
        "outcomes_total",
        "Outcomes reported",
        "count",
        "Outcomes (leads, sales, agreements, joint projects, ...) reported by members, dated \
         in the quarter.",
        "sum",
    ),
];

fn date_range(data: &Dataset) -> Option<(Date, Date)> {
    let dates = data
        .events
        .iter()
        .map(|e| e.date)
        .chain(data.ties.iter().map(|t| t.start))
        .chain(data.outcomes.iter().map(|o| o.date))
        .chain(data.introductions.iter().map(|i| i.date));
    dates.fold(None, |r, d| match r {
        None => Some((d, d)),
        Some((a, b)) => Some((a.min(d), b.max(d))),
    })
}

/// First day of the quarter `quarters - 1` quarters before the quarter of `to`.
fn quarters_back(to: Date, quarters: u32) -> Date {
    use chrono::Datelike;
    let first = Date::from_ymd_opt(to.year(), to.month0() / 3 * 3 + 1, 1).unwrap_or(to);
    first
        .checked_sub_months(chrono::Months::new(3 * (quarters - 1)))
        .unwrap_or(first)
}

/// The dashboard's series from milieu-eval's KPIs on `data` (scheduled meetings are added by
/// the caller, from the store). Public so that tests can check it against the engine.
pub fn compute(
    data: &Dataset,
    from: Option<Date>,
    to: Option<Date>,
    aggregate_only: bool,
) -> Result<Dashboard, WebError> {
    let mut d = Dashboard {
        summary: Summary {
            organisations: 0,
            events: 0,
            ties: 0,
            introductions: 0,
            opportunities: 0,
        },
        basis: String::new(),
        aggregate_only,
        k: K_ANONYMITY,
        granularity: "quarter",
        from: None,
        to: None,
        periods: Vec::new(),
        series: Vec::new(),
        outcomes_by_kind: Vec::new(),
        note: None,
    };
    let Some((first, last)) = date_range(data) else {
        d.note = Some("The registry holds no dated records (events, ties, outcomes) yet.".into());
        return Ok(d);
    };
    let to = to.unwrap_or(last);
    let from = from.unwrap_or_else(|| first.max(quarters_back(to, DEFAULT_QUARTERS)));
    if from > to {
        return Err(WebError::bad_input(format!(
            "from {from} is after to {to}: expected from on or before to"
        )));
    }
    let opts = KpiOptions {
        initiative: None,
        from: Some(from),
        to: Some(to),
        by: Granularity::Quarter,
    };
    let rows = milieu_eval::kpis(data, &opts).map_err(WebError::from)?;
    d.from = Some(from.to_string());
    d.to = Some(to.to_string());
    let mut by_kpi: HashMap<&str, Vec<&KpiRow>> = HashMap::new();
    for r in &rows {
        by_kpi.entry(r.kpi).or_default().push(r);
        if r.kpi == "members" {
            d.periods.push(PeriodInfo {
                label: r.period.clone(),
                start: r.period_start.to_string(),
                end: r.period_end.to_string(),
            });
        }
    }
    for &(kpi, title, unit, formula, basis) in SERIES {
        let points: Vec<Point> = match by_kpi.get(kpi) {
            Some(rows) => rows
                .iter()
                .map(|r| Point {
                    period: r.period.clone(),
                    value: r.value,
                    numerator: r.numerator,
                    denominator: r.denominator,
                })
                .collect(),
            // Filled by the caller (scheduled meetings).
            None => d
                .periods
                .iter()
                .map(|p| Point {
                    period: p.label.clone(),
                    value: Some(0.0),
                    numerator: 0.0,
                    denominator: None,
                })
                .collect(),
        };
        let total = total_of(&points, basis);
        d.series.push(Series {
            kpi,
            title,
            formula,
            unit,
            points,
            total,
        });
    }
    d.outcomes_by_kind = outcome_kinds(data, &d.periods, &by_kpi, aggregate_only);
    Ok(d)
}

fn total_of(points: &[Point], basis: &'static str) -> Total {
    let n = points.len();
    match basis {
        "latest" => {
            let last = points.last();
            Total {
                value: last.and_then(|p| p.numerator.into()),
                numerator: last.map_or(0.0, |p| p.numerator),
                denominator: last.and_then(|p| p.denominator),
                basis,
                explanation: format!(
                    "In the latest quarter ({}): {} of {} members. A member engaged in several \
                     quarters counts in each, so quarters are not added up.",
                    last.map_or("none", |p| p.period.as_str()),
                    last.map_or(0.0, |p| p.numerator),
                    last.and_then(|p| p.denominator).unwrap_or(0.0)
                ),
            }
        }
        "ratio_of_sums" => {
            let num: f64 = points.iter().map(|p| p.numerator).sum();
            let den: f64 = points.iter().filter_map(|p| p.denominator).sum();
            Total {
                value: (den > 0.0).then(|| num / den),
                numerator: num,
                denominator: Some(den),
                basis,
                explanation: format!(
                    "{num} of {den} over the {n} quarters (sum of numerators / sum of \
                     denominators)."
                ),
            }
        }
        _ => {
            let num: f64 = points.iter().map(|p| p.numerator).sum();
            Total {
                value: Some(num),
                numerator: num,
                denominator: None,
                basis,
                explanation: format!("Sum over the {n} quarters."),
            }
        }
    }
}

/// Whether an organisation is a member at some point of a period: milieu-eval's rule without
/// an initiative (any membership overlapping the period; everyone when there are none).
fn membership_rule(data: &Dataset) -> impl Fn(&str, Date, Date) -> bool + '_ {
    type Span = (Option<Date>, Option<Date>);
    let mut spans: HashMap<&str, Vec<Span>> = HashMap::new();
    for m in &data.memberships {
        spans
            .entry(m.org.as_str())
            .or_default()
            .push((m.from, m.to));
    }
    let everyone = data.memberships.is_empty();
    move |org: &str, start: Date, end: Date| {
        everyone
            || spans.get(org).is_some_and(|s| {
                s.iter()
                    .any(|(f, t)| f.is_none_or(|f| f <= end) && t.is_none_or(|t| t >= start))
            })
    }
}

fn outcome_kinds(
    data: &Dataset,
    periods: &[PeriodInfo],
    by_kpi: &HashMap<&str, Vec<&KpiRow>>,
    aggregate_only: bool,
) -> Vec<OutcomeKindRow> {
    // Organisations behind each kind's count (the KPI's outcomes: by members, in the range).
    let member = membership_rule(data);
    let bounds: Vec<(Date, Date)> = periods
        .iter()
        .filter_map(|p| Some((p.start.parse().ok()?, p.end.parse().ok()?)))
        .collect();
    let mut orgs: HashMap<OutcomeKind, BTreeSet<&str>> = HashMap::new();
    for o in &data.outcomes {
        if let Some(&(s, e)) = bounds.iter().find(|(s, e)| *s <= o.date && o.date <= *e)
            && member(o.org.as_str(), s, e)
        {
            orgs.entry(o.kind).or_default().insert(o.org.as_str());
        }
    }
    let mut rows: Vec<OutcomeKindRow> = OutcomeKind::ALL
        .iter()
        .map(|kind| {
            let name = format!("outcomes_{}", kind.as_str());
            let points: Vec<f64> = by_kpi
                .iter()
                .find(|(k, _)| **k == name)
                .map(|(_, rows)| rows.iter().map(|r| r.numerator).collect())
                .unwrap_or_default();
            let total: f64 = points.iter().sum();
            let n_orgs = orgs.get(kind).map_or(0, |s| s.len());
            let suppressed = aggregate_only && (1..K_ANONYMITY).contains(&n_orgs);
            OutcomeKindRow {
                kind: kind.as_str(),
                total: Some(total),
                suppressed,
                points: if aggregate_only { Vec::new() } else { points },
            }
        })
        .collect();
    // One suppressed cell could be worked out from the total of all outcomes: suppress the
    // smallest other non-zero cell too.
    if aggregate_only
        && rows.iter().filter(|r| r.suppressed).count() == 1
        && let Some(r) = rows
            .iter_mut()
            .filter(|r| !r.suppressed && r.total.is_some_and(|t| t > 0.0))
            .min_by(|a, b| {
                a.total
                    .partial_cmp(&b.total)
                    .unwrap_or(std::cmp::Ordering::Equal)
            })
    {
        r.suppressed = true;
    }
    for r in &mut rows {
        if r.suppressed {
            r.total = None;
        }
    }
    rows
}

/// Adds the 1:1 meetings of stored brokerage-event schedules to the `meetings_scheduled`
/// series.
async fn add_scheduled_meetings(
    state: &AppState,
    data: &Dataset,
    d: &mut Dashboard,
) -> Result<(), WebError> {
    let bounds: Vec<(Date, Date)> = d
        .periods
        .iter()
        .filter_map(|p| Some((p.start.parse().ok()?, p.end.parse().ok()?)))
        .collect();
    let mut counts = vec![0.0; bounds.len()];
    for e in data
        .events
        .iter()
        .filter(|e| e.kind == EventKind::BrokerageEvent)
    {
        let Some(i) = bounds
            .iter()
            .position(|(s, t)| *s <= e.date && e.date <= *t)
        else {
            continue;
        };
        let plan = state.store().meeting_plan(e.id.as_str()).await?;
        counts[i] += plan.meetings.len() as f64;
    }
    if let Some(s) = d.series.iter_mut().find(|s| s.kpi == "meetings_scheduled") {
        for (p, c) in s.points.iter_mut().zip(&counts) {
            p.numerator = *c;
            p.value = Some(*c);
        }
        s.total = total_of(&s.points, "sum");
    }
    Ok(())
}

/// An inline SVG bar chart of one series (rendered by the template; numbers only).
#[derive(Serialize)]
struct Chart {
    width: u32,
    height: u32,
    /// The plot's left edge and baseline.
    left: u32,
    base: u32,
    max_label: String,
    bars: Vec<Bar>,
    labels: Vec<AxisLabel>,
}

#[derive(Serialize)]
struct Bar {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
    title: String,
}

#[derive(Serialize)]
struct AxisLabel {
    x: f64,
    text: String,
}

fn shown(s: &Series, p: &Point) -> f64 {
    if s.unit == "share" {
        p.value.unwrap_or(0.0) * 100.0
    } else {
        p.numerator
    }
}

fn chart(s: &Series) -> Chart {
    let (width, height, left, top, base) = (640u32, 170u32, 44u32, 10u32, 145u32);
    let plot_w = f64::from(width - left - 6);
    let plot_h = f64::from(base - top);
    let max = s.points.iter().map(|p| shown(s, p)).fold(0.0, f64::max);
    let scale_max = nice_ceiling(max);
    let n = s.points.len().max(1) as f64;
    let slot = plot_w / n;
    let mut bars = Vec::new();
    let mut labels = Vec::new();
    for (i, p) in s.points.iter().enumerate() {
        let v = shown(s, p);
        let h = if scale_max > 0.0 {
            v / scale_max * plot_h
        } else {
            0.0
        };
        let x = f64::from(left) + i as f64 * slot + slot * 0.1;
        let text = if s.unit == "share" {
            match p.value {
                Some(v) => format!(
                    "{}: {:.1}% ({} of {})",
                    p.period,
                    v * 100.0,
                    p.numerator,
                    p.denominator.unwrap_or(0.0)
                ),
                None => format!("{}: no data (denominator 0)", p.period),
            }
        } else {
            match p.denominator {
                Some(den) => format!("{}: {} of {}", p.period, p.numerator, den),
                None => format!("{}: {}", p.period, p.numerator),
            }
        };
        bars.push(Bar {
            x: round1(x),
            y: round1(f64::from(base) - h),
            w: round1(slot * 0.8),
            h: round1(h),
            title: text,
        });
        // Label the first quarter of each year (and the first bar).
        if i == 0 || p.period.ends_with("-Q1") {
            labels.push(AxisLabel {
                x: round1(x),
                text: p.period.clone(),
            });
        }
    }
    let max_label = if s.unit == "share" {
        format!("{scale_max:.0}%")
    } else {
        format!("{scale_max}")
    };
    Chart {
        width,
        height,
        left,
        base,
        max_label,
        bars,
        labels,
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// The smallest of 1, 2, 5 times a power of ten at or above `x` (0 for 0).
fn nice_ceiling(x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    let mut step = 1.0;
    while step * 10.0 <= x {
        step *= 10.0;
    }
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * step)
        .find(|c| *c >= x)
        .unwrap_or(10.0 * step)
}

#[cfg(test)]
mod tests {
    #[test]
    fn nice_ceilings() {
        assert_eq!(super::nice_ceiling(0.0), 0.0);
        assert_eq!(super::nice_ceiling(1.0), 1.0);
        assert_eq!(super::nice_ceiling(3.0), 5.0);
        assert_eq!(super::nice_ceiling(17.0), 20.0);
        assert_eq!(super::nice_ceiling(100.0), 100.0);
        assert_eq!(super::nice_ceiling(101.0), 200.0);
    }
}
