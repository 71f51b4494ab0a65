//! The registry directory: organisations (search, profiles, the forms that add and edit them),
//! ties (a tie's page, the visible ties, recording a new one) and people.
//!
//! Design choices:
//! - Searching runs over the in-memory snapshot, not SQL: every filter is a plain string
//!   comparison in Rust, so no user text ever reaches a query and `%`, `_` or quotes are just
//!   characters to find.
//! - Everything about a firm is read through [`milieu_app::access::View`]; a tie the account
//!   may not see answers 404 exactly like a missing one.
//! - The forms name their fields after the kind's CSV columns and are parsed by the same reader
//!   as a file import ([`parse_fields`]), then written through `import_checked` /
//!   `replace_checked`: one set of rules and one style of error message (field, value, what was
//!   expected) for files, forms, the JSON API and the command line.

use super::{date_param, given};
use crate::auth::Auth;
use crate::{ApiRouter, AppState, WebError};
use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use milieu_app::AppError;
use milieu_app::access::View;
use milieu_io::{Located, LocatedDataset, Position};
use milieu_model::{
    EntityKind, Introduction, Motivation, OrgKind, Organisation, Outcome, SizeClass, Stage, Tie,
    TieKind, TieSource, Visibility, Vocabulary,
};
use minijinja::context;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::HashMap;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::routes;

pub fn router() -> ApiRouter {
    ApiRouter::new()
        .route("/orgs", get(list_page))
        .route("/orgs/new", get(new_page).post(new_form))
        .route("/orgs/{id}", get(profile_page))
        .route("/orgs/{id}/edit", get(edit_page).post(edit_form))
        .route("/ties", post(tie_form))
        .route("/ties/{id}", get(tie_page))
        .route("/people", get(people_page))
        .route("/people/{id}", get(person_page))
        .routes(routes!(api_orgs, api_create_org))
        .routes(routes!(api_org, api_update_org))
        .routes(routes!(api_ties, api_create_tie))
        .routes(routes!(api_tie))
        .routes(routes!(api_people))
}

/// Page size of the HTML lists and the API's default `limit`.
const PAGE: usize = 50;
/// Largest `limit` the API accepts.
const MAX_LIMIT: usize = 1000;

// ---------------------------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------------------------

/// A query string the extractor could not read becomes a `bad_input` error (JSON under /api).
pub(crate) fn query<T>(q: Result<Query<T>, QueryRejection>) -> Result<T, WebError> {
    q.map(|Query(v)| v)
        .map_err(|e| WebError::bad_input(format!("query parameters: {}", e.body_text())))
}

fn json_body<T>(b: Result<Json<T>, JsonRejection>) -> Result<T, WebError> {
    b.map(|Json(v)| v)
        .map_err(|e| WebError::bad_input(format!("request body: {}", e.body_text())))
}

fn paging(limit: Option<usize>, offset: Option<usize>) -> (usize, usize) {
    (
        limit.unwrap_or(PAGE).clamp(1, MAX_LIMIT),
        offset.unwrap_or(0),
    )
}

/// Links to the previous and next pages of a list, keeping its filters.
fn pager(
    base: &str,
    params: &[(&str, Option<&str>)],
    total: usize,
    limit: usize,
    offset: usize,
) -> minijinja::Value {
    let link = |off: usize| {
        let mut q: Vec<String> = params
            .iter()
            .filter_map(|(k, v)| {
                v.map(|v| format!("{k}={}", crate::auth::url_encode(v).replace('/', "%2F")))
            })
            .collect();
        q.push(format!("offset={off}"));
        format!("{base}?{}", q.join("&"))
    };
    context! {
        from => if total == 0 { 0 } else { offset + 1 },
        to => (offset + limit).min(total),
        total => total,
        prev => (offset > 0).then(|| link(offset.saturating_sub(limit))),
        next => (offset + limit < total).then(|| link(offset + limit)),
    }
}

fn csv_cell(v: &str) -> String {
    format!("\"{}\"", v.replace('"', "\"\""))
}

/// Parses one record of `kind` from (column, value) pairs with the file importer's CSV reader,
/// so a form gets the same rules and messages as a file. Positions become "given values".
pub(crate) fn parse_fields(
    kind: EntityKind,
    source: &str,
    fields: &[(String, String)],
) -> Result<LocatedDataset, AppError> {
    let header: Vec<String> = fields.iter().map(|(k, _)| csv_cell(k)).collect();
    let row: Vec<String> = fields.iter().map(|(_, v)| csv_cell(v)).collect();
    let text = format!("{}\n{}\n", header.join(","), row.join(","));
    let mut batch = LocatedDataset::new(source);
    milieu_io::registry_csv::read(kind, source, text.as_bytes(), &mut batch).map_err(|mut e| {
        if matches!(e.position, Position::Line(_)) {
            e.position = Position::Arguments;
        }
        AppError::Input(e)
    })?;
    for l in &mut batch.organisations {
        l.position = Position::Arguments;
    }
    for l in &mut batch.ties {
        l.position = Position::Arguments;
    }
    Ok(batch)
}

/// A form's problem, for showing next to the form: the field (when known) and the message.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FormError {
    pub field: Option<String>,
    pub expected: String,
    pub message: String,
}

/// Splits a use-case error into what a form shows (user errors) or the error to return.
pub(crate) fn form_error(e: AppError) -> Result<FormError, WebError> {
    match e {
        AppError::Input(i) => Ok(FormError {
            field: i.column.clone(),
            expected: match &i.value {
                Some(v) if !v.is_empty() => format!("value {v:?}: expected {}", i.expected),
                _ => format!("expected {}", i.expected),
            },
            message: i.to_string(),
        }),
        AppError::Usage(m) => Ok(FormError {
            field: None,
            expected: m.clone(),
            message: m,
        }),
        other => Err(WebError::from(other)),
    }
}

fn org_name<'a>(view: &View<'a>, id: &str) -> String {
    view.organisation(id)
        .map(|o| o.name.clone())
        .unwrap_or_else(|| id.to_string())
}

// ---------------------------------------------------------------------------------------------
// Organisations: search
// ---------------------------------------------------------------------------------------------

/// Filters of the organisation list. Every filter is optional; empty values are ignored.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrgQuery {
    /// Words to find (all of them, case-insensitive) in the name, id, description, offers,
    /// requests or keywords.
    pub q: Option<String>,
    /// Organisation kind: firm, university, research_institute, agency, investor,
    /// association, other.
    pub kind: Option<String>,
    /// Sector code prefix: `33` or `naics:33` (NAICS), `C26` or `nace:C26` (NACE).
    pub sector: Option<String>,
    /// Region code (exact, case-insensitive).
    pub region: Option<String>,
    /// Country code (exact, case-insensitive).
    pub country: Option<String>,
    /// Size class: micro, small, medium, large (from the headcount when known).
    pub size: Option<String>,
    /// Page size (default 50, at most 1000).
    pub limit: Option<usize>,
    /// How many results to skip.
    pub offset: Option<usize>,
}

fn sector_matches(o: &Organisation, prefix: &str) -> bool {
    let p = prefix.to_lowercase();
    o.sectors.iter().any(|s| {
        s.code.to_lowercase().starts_with(&p) || s.to_string().to_lowercase().starts_with(&p)
    })
}

fn text_matches(o: &Organisation, terms: &[String]) -> bool {
    if terms.is_empty() {
        return true;
    }
    let mut hay = String::with_capacity(
        o.name.len() + o.description.len() + o.offers.len() + o.requests.len() + 64,
    );
    for part in [
        o.name.as_str(),
        o.id.as_str(),
        &o.description,
        &o.offers,
        &o.requests,
    ] {
        hay.push_str(part);
        hay.push('\n');
    }
    for k in &o.keywords {
        hay.push_str(k);
        hay.push('\n');
    }
    let hay = hay.to_lowercase();
    terms.iter().all(|t| hay.contains(t.as_str()))
}

/// The organisations matching `q`, sorted by name (then id).
fn search<'a>(view: &View<'a>, q: &OrgQuery) -> Vec<&'a Organisation> {
    let terms: Vec<String> = given(&q.q)
        .map(|t| t.split_whitespace().map(str::to_lowercase).collect())
        .unwrap_or_default();
    let kind = given(&q.kind);
    let sector = given(&q.sector);
    let region = given(&q.region);
    let country = given(&q.country);
    let size = given(&q.size);
    let mut out: Vec<&Organisation> = view
        .organisations()
        .iter()
        .filter(|o| kind.is_none_or(|k| o.kind.as_str() == k))
        .filter(|o| size.is_none_or(|s| o.effective_size_class().is_some_and(|c| c.as_str() == s)))
        .filter(|o| {
            region.is_none_or(|r| {
                o.region
                    .as_deref()
                    .is_some_and(|x| x.eq_ignore_ascii_case(r))
            })
        })
        .filter(|o| {
            country.is_none_or(|c| {
                o.country
                    .as_deref()
                    .is_some_and(|x| x.eq_ignore_ascii_case(c))
            })
        })
        .filter(|o| sector.is_none_or(|s| sector_matches(o, s)))
        .filter(|o| text_matches(o, &terms))
        .collect();
    out.sort_by_cached_key(|o| (o.name.to_lowercase(), o.id.to_string()));
    out
}

/// A page of organisations.
#[derive(Serialize, ToSchema)]
pub struct OrgPage {
    /// How many organisations match (all pages).
    pub total: usize,
    /// This page, sorted by name (milieu-model `Organisation` records).
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<Organisation>,
}

/// Search the organisations (every account sees the directory).
#[utoipa::path(get, path = "/api/orgs", tag = "organisations", params(OrgQuery),
    responses((status = 200, body = OrgPage), (status = 400, body = WebError), (status = 401, body = WebError)))]
async fn api_orgs(
    State(state): State<AppState>,
    auth: Auth,
    q: Result<Query<OrgQuery>, QueryRejection>,
) -> Result<Json<OrgPage>, WebError> {
    let q = query(q)?;
    let snap = state.snapshot().await?;
    let view = snap.view(&auth.principal);
    let found = search(&view, &q);
    let (limit, offset) = paging(q.limit, q.offset);
    Ok(Json(OrgPage {
        total: found.len(),
        items: found
            .iter()
            .skip(offset)
            .take(limit)
            .map(|o| (*o).clone())
            .collect(),
    }))
}

fn distinct(values: impl Iterator<Item = String>) -> Vec<String> {
    let mut v: Vec<String> = values.filter(|s| !s.is_empty()).collect();
    v.sort();
    v.dedup();
    v
}

async fn list_page(
    State(state): State<AppState>,
    auth: Auth,
    q: Result<Query<OrgQuery>, QueryRejection>,
) -> Result<Html<String>, WebError> {
    let q = query(q)?;
    let snap = state.snapshot().await?;
    let view = snap.view(&auth.principal);
    let found = search(&view, &q);
    let (limit, offset) = paging(q.limit, q.offset);
    let rows: Vec<_> = found
        .iter()
        .skip(offset)
        .take(limit)
        .map(|o| {
            context! {
                id => o.id.as_str(),
                name => &o.name,
                kind => o.kind.as_str(),
                sectors => o.sectors.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
                region => &o.region,
                country => &o.country,
                size => o.effective_size_class().map(|s| s.as_str()),
                employees => o.employees,
            }
        })
        .collect();
    let orgs = view.organisations();
    let params = [
        ("q", given(&q.q)),
        ("kind", given(&q.kind)),
        ("sector", given(&q.sector)),
        ("region", given(&q.region)),
        ("country", given(&q.country)),
        ("size", given(&q.size)),
    ];
    state.render(
        Some(&auth),
        "orgs",
        "orgs/list.html",
        context! {
            rows => rows,
            q => context! {
                q => given(&q.q), kind => given(&q.kind), sector => given(&q.sector),
                region => given(&q.region), country => given(&q.country), size => given(&q.size),
            },
            kinds => OrgKind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
            sizes => SizeClass::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
            regions => distinct(orgs.iter().filter_map(|o| o.region.clone())),
            countries => distinct(orgs.iter().filter_map(|o| o.country.clone())),
            pager => pager("/orgs", &params, found.len(), limit, offset),
        },
    )
}

// ---------------------------------------------------------------------------------------------
// Organisations: profile
// ---------------------------------------------------------------------------------------------

/// A tie as an organisation's profile shows it: the tie and the other party.
#[derive(Serialize, ToSchema)]
pub struct ProfileTie {
    /// The milieu-model `Tie`.
    #[schema(value_type = Object)]
    pub tie: Tie,
    pub partner: String,
    pub partner_name: String,
}

/// An event an organisation attended.
#[derive(Serialize, ToSchema)]
pub struct EventAttended {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub date: String,
    /// attendee, speaker or organiser.
    pub role: String,
}

/// An introduction with the names of the organisations it links.
#[derive(Serialize, ToSchema)]
pub struct ProfileIntroduction {
    /// The milieu-model `Introduction`.
    #[schema(value_type = Object)]
    pub introduction: Introduction,
    pub from_name: String,
    pub to_name: String,
    pub via_name: Option<String>,
}

/// An outcome with the names of its organisation and partner.
#[derive(Serialize, ToSchema)]
pub struct ProfileOutcome {
    /// The milieu-model `Outcome`.
    #[schema(value_type = Object)]
    pub outcome: Outcome,
    pub org_name: String,
    pub partner_name: Option<String>,
}

/// An organisation with what the account may see around it.
#[derive(Serialize, ToSchema)]
pub struct OrgProfile {
    /// The milieu-model `Organisation`.
    #[schema(value_type = Object)]
    pub organisation: Organisation,
    /// Ties the account may see, newest first.
    pub ties: Vec<ProfileTie>,
    /// Events attended, newest first.
    pub events_attended: Vec<EventAttended>,
    pub introductions: Vec<ProfileIntroduction>,
    pub outcomes: Vec<ProfileOutcome>,
    /// Whether the account may see this organisation's leads (partner suggestions).
    pub can_see_leads: bool,
    /// Whether the account may record a tie of this organisation.
    pub can_record_ties: bool,
}

fn may_record_tie_of(auth: &Auth, org: &milieu_model::OrgId) -> bool {
    auth.principal.is_staff() || auth.principal.acts_for(org)
}

fn profile(view: &View<'_>, auth: &Auth, id: &str) -> Result<OrgProfile, WebError> {
    let org = view
        .organisation(id)
        .ok_or_else(|| WebError::not_found(format!("organisation {id:?}")))?;
    let mut ties: Vec<ProfileTie> = view
        .ties_of(id)
        .into_iter()
        .map(|t| {
            let partner = if t.from.as_str() == id {
                &t.to
            } else {
                &t.from
            };
            ProfileTie {
                tie: t.clone().into_owned(),
                partner: partner.to_string(),
                partner_name: org_name(view, partner.as_str()),
            }
        })
        .collect();
    ties.sort_by(|a, b| b.tie.start.cmp(&a.tie.start).then(a.tie.id.cmp(&b.tie.id)));
    let event_index: HashMap<&str, &milieu_model::Event> =
        view.events().iter().map(|e| (e.id.as_str(), e)).collect();
    let mut events_attended: Vec<EventAttended> = view
        .attendance_of(id)
        .into_iter()
        .filter_map(|a| {
            event_index.get(a.event.as_str()).map(|e| EventAttended {
                id: e.id.to_string(),
                title: e.title.clone(),
                kind: e.kind.as_str().to_string(),
                date: e.date.to_string(),
                role: a.role.as_str().to_string(),
            })
        })
        .collect();
    events_attended.sort_by(|a, b| b.date.cmp(&a.date).then(a.id.cmp(&b.id)));
    events_attended.dedup_by(|a, b| a.id == b.id && a.role == b.role);
    let mut introductions: Vec<ProfileIntroduction> = view
        .introductions_of(id)
        .into_iter()
        .map(|x| ProfileIntroduction {
            introduction: x.clone(),
            from_name: org_name(view, x.from.as_str()),
            to_name: org_name(view, x.to.as_str()),
            via_name: x.via.as_ref().map(|v| org_name(view, v.as_str())),
        })
        .collect();
    introductions.sort_by_key(|x| std::cmp::Reverse(x.introduction.date));
    let mut outcomes: Vec<ProfileOutcome> = view
        .outcomes_of(id)
        .into_iter()
        .map(|o| ProfileOutcome {
            outcome: o.clone().into_owned(),
            org_name: org_name(view, o.org.as_str()),
            partner_name: o.partner.as_ref().map(|p| org_name(view, p.as_str())),
        })
        .collect();
    outcomes.sort_by_key(|x| std::cmp::Reverse(x.outcome.date));
    Ok(OrgProfile {
        organisation: org.clone(),
        ties,
        events_attended,
        introductions,
        outcomes,
        can_see_leads: auth.principal.can_see_leads_of(&org.id),
        can_record_ties: may_record_tie_of(auth, &org.id),
    })
}

/// An organisation's profile: its directory entry, and the ties, events, introductions and
/// outcomes the account may see.
#[utoipa::path(get, path = "/api/orgs/{id}", tag = "organisations",
    params(("id" = String, Path, description = "Organisation id")),
    responses((status = 200, body = OrgProfile), (status = 404, body = WebError), (status = 401, body = WebError)))]
async fn api_org(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<OrgProfile>, WebError> {
    let snap = state.snapshot().await?;
    let view = snap.view(&auth.principal);
    Ok(Json(profile(&view, &auth, &id)?))
}

/// Values of the tie form, for showing it again after an error.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct TieFormValues {
    #[serde(default)]
    pub from_id: String,
    #[serde(default)]
    pub to_id: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub start: String,
    #[serde(default)]
    pub end: String,
    #[serde(default)]
    pub strength: String,
    #[serde(default)]
    pub trust: String,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub event_id: String,
    #[serde(default)]
    pub introduction_id: String,
    #[serde(default)]
    pub visibility: String,
    #[serde(default)]
    pub note: String,
}

impl TieFormValues {
    fn fields(&self) -> Vec<(String, String)> {
        [
            ("from_id", &self.from_id),
            ("to_id", &self.to_id),
            ("kind", &self.kind),
            ("start", &self.start),
            ("end", &self.end),
            ("strength", &self.strength),
            ("trust", &self.trust),
            ("source", &self.source),
            ("event_id", &self.event_id),
            ("introduction_id", &self.introduction_id),
            ("visibility", &self.visibility),
            ("note", &self.note),
        ]
        .into_iter()
        .filter(|(k, v)| !v.trim().is_empty() || ["from_id", "to_id", "kind", "start"].contains(k))
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
    }
}

async fn render_profile(
    state: &AppState,
    auth: &Auth,
    id: &str,
    tie_form: Option<(TieFormValues, FormError)>,
) -> Result<Html<String>, WebError> {
    let id = id.to_string();
    let snap = state.snapshot().await?;
    let view = snap.view(&auth.principal);
    let p = profile(&view, auth, &id)?;
    let (values, error) = match tie_form {
        Some((v, e)) => (v, Some(e)),
        None => (
            TieFormValues {
                from_id: id.clone(),
                source: "self_report".into(),
                visibility: "private".into(),
                ..Default::default()
            },
            None,
        ),
    };
    let o = &p.organisation;
    state.render(
        Some(auth),
        "orgs",
        "orgs/profile.html",
        context! {
            p => &p,
            o => o,
            size => o.effective_size_class().map(|s| s.as_str()),
            sectors => o.sectors.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
            parent_name => o.parent.as_ref().map(|x| org_name(&view, x.as_str())),
            acquirer_name => o.acquired_by.as_ref().map(|x| org_name(&view, x.as_str())),
            tie_kinds => TieKind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
            tie_sources => TieSource::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
            visibilities => Visibility::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
            tie_values => values,
            tie_error => error,
            can_edit => auth.principal.can_edit_registry(),
        },
    )
}

async fn profile_page(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Html<String>, WebError> {
    render_profile(&state, &auth, &id, None).await
}

// ---------------------------------------------------------------------------------------------
// Organisations: create and edit
// ---------------------------------------------------------------------------------------------

/// The fields of the organisation form: CSV column, label, input type, hint.
const ORG_FIELDS: &[(&str, &str, &str, &str)] = &[
    (
        "id",
        "Id",
        "text",
        "Your key for it, e.g. a CRM id; cannot be changed later",
    ),
    ("name", "Name", "text", ""),
    ("kind", "Kind", "select", ""),
    (
        "employees",
        "Employees",
        "number",
        "Headcount; sets the size class",
    ),
    (
        "size_class",
        "Size class",
        "select",
        "When the headcount is unknown",
    ),
    ("stage", "Stage", "select", ""),
    (
        "sectors",
        "Sectors",
        "text",
        "Codes separated by ; such as naics:541511; nace:C26.11",
    ),
    (
        "region",
        "Region",
        "text",
        "A NUTS, county FIPS or local code",
    ),
    ("country", "Country", "text", "ISO 3166-1 alpha-2, e.g. DE"),
    ("city", "City", "text", ""),
    ("lat", "Latitude", "text", "-90 to 90"),
    ("lon", "Longitude", "text", "-180 to 180"),
    ("founded", "Founded", "text", "YYYY-MM-DD (or YYYY)"),
    (
        "parent_id",
        "Spun off from",
        "text",
        "Id of the parent organisation",
    ),
    (
        "acquired_by",
        "Acquired by",
        "text",
        "Id of the acquiring organisation",
    ),
    ("acquired_on", "Acquired on", "text", "YYYY-MM-DD"),
    (
        "countries_served",
        "Countries served",
        "text",
        "Codes separated by ;",
    ),
    (
        "export_share",
        "Export share",
        "text",
        "Share of sales abroad, 0 to 1",
    ),
    ("description", "Description", "textarea", ""),
    (
        "offers",
        "Offers",
        "textarea",
        "Products, services, capabilities",
    ),
    ("requests", "Requests", "textarea", "What it looks for"),
    ("keywords", "Keywords", "text", "Separated by ;"),
    (
        "motivations",
        "Motivations",
        "text",
        "Separated by ;: leads; alliances; information; peer_support",
    ),
];

fn org_field_options(name: &str) -> Vec<&'static str> {
    match name {
        "kind" => OrgKind::ALL.iter().map(|v| v.as_str()).collect(),
        "size_class" => SizeClass::ALL.iter().map(|v| v.as_str()).collect(),
        "stage" => Stage::ALL.iter().map(|v| v.as_str()).collect(),
        _ => Vec::new(),
    }
}

fn render_org_form(
    state: &AppState,
    auth: &Auth,
    editing: Option<&str>,
    values: &HashMap<String, String>,
    error: Option<FormError>,
) -> Result<Html<String>, WebError> {
    let required = milieu_io::registry_csv::columns(EntityKind::Organisation).required;
    let fields: Vec<_> = ORG_FIELDS
        .iter()
        .map(|&(name, label, input, hint)| {
            let err = error
                .as_ref()
                .filter(|e| e.field.as_deref() == Some(name))
                .map(|e| e.expected.clone());
            context! {
                name => name,
                label => label,
                input => input,
                hint => hint,
                options => org_field_options(name),
                value => values.get(name).cloned().unwrap_or_default(),
                error => err,
                required => matches!(name, "id" | "name" | "kind") && required.contains(&name),
                readonly => editing.is_some() && name == "id",
            }
        })
        .collect();
    state.render(
        Some(auth),
        "orgs",
        "orgs/form.html",
        context! {
            editing => editing,
            fields => fields,
            error => error,
            motivations => Motivation::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>(),
        },
    )
}

async fn new_page(State(state): State<AppState>, auth: Auth) -> Result<Html<String>, WebError> {
    auth.require_editor("add organisations")?;
    let mut values = HashMap::new();
    values.insert("kind".to_string(), "firm".to_string());
    render_org_form(&state, &auth, None, &values, None)
}

/// The form's values in the column order of [`ORG_FIELDS`], without the CSRF field.
fn org_fields(values: &HashMap<String, String>) -> Vec<(String, String)> {
    ORG_FIELDS
        .iter()
        .map(|(name, ..)| {
            (
                name.to_string(),
                values.get(*name).cloned().unwrap_or_default(),
            )
        })
        .collect()
}

async fn new_form(
    State(state): State<AppState>,
    auth: Auth,
    axum::Form(form): axum::Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    auth.check_csrf(form.get(crate::auth::CSRF_FIELD).map(String::as_str))?;
    auth.require_editor("add organisations")?;
    let result = match parse_fields(EntityKind::Organisation, "form", &org_fields(&form)) {
        Ok(batch) => milieu_app::import_checked(state.store(), &batch)
            .await
            .map(|_| batch.organisations[0].record.id.to_string()),
        Err(e) => Err(e),
    };
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/orgs/{}", seg(&id))).into_response()),
        Err(e) => {
            let fe = form_error(e)?;
            let page = render_org_form(&state, &auth, None, &form, Some(fe))?;
            Ok((StatusCode::BAD_REQUEST, page).into_response())
        }
    }
}

/// Percent-encodes a path segment (slashes included).
pub(crate) fn seg(text: &str) -> String {
    crate::auth::url_encode(text).replace('/', "%2F")
}

fn current_values(o: &Organisation) -> HashMap<String, String> {
    let (names, rows) = milieu_io::export::rows(EntityKind::Organisation, std::slice::from_ref(o));
    names
        .iter()
        .map(|n| n.to_string())
        .zip(rows.into_iter().next().unwrap_or_default())
        .collect()
}

async fn edit_page(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Html<String>, WebError> {
    auth.require_editor("edit organisations")?;
    let snap = state.snapshot().await?;
    let view = snap.view(&auth.principal);
    let org = view
        .organisation(&id)
        .ok_or_else(|| WebError::not_found(format!("organisation {id:?}")))?;
    render_org_form(&state, &auth, Some(&id), &current_values(org), None)
}

async fn edit_form(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    axum::Form(mut form): axum::Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    auth.check_csrf(form.get(crate::auth::CSRF_FIELD).map(String::as_str))?;
    auth.require_editor("edit organisations")?;
    // The id is the one in the address; the form cannot change it.
    form.insert("id".into(), id.clone());
    let result = match parse_fields(EntityKind::Organisation, "form", &org_fields(&form)) {
        Ok(mut batch) => match batch.organisations.pop() {
            Some(record) => milieu_app::replace_checked(state.store(), "form", record).await,
            None => Err(AppError::Usage("the form holds no organisation".into())),
        },
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/orgs/{}", seg(&id))).into_response()),
        Err(e) => {
            let fe = form_error(e)?;
            let page = render_org_form(&state, &auth, Some(&id), &form, Some(fe))?;
            Ok((StatusCode::BAD_REQUEST, page).into_response())
        }
    }
}

fn app_error_json(e: AppError) -> WebError {
    match &e {
        AppError::Input(i) => WebError::bad_input(i.to_string()).with_details(vec![i.to_string()]),
        _ => WebError::from(e),
    }
}

/// Add an organisation (managers and administrators). The body is a milieu-model
/// `Organisation`; it is checked like a file import (valid fields, new id, references).
#[utoipa::path(post, path = "/api/orgs", tag = "organisations",
    request_body(content = Object, description = "An Organisation record (id, name, kind, ...)"),
    responses((status = 201, body = Object, description = "The organisation as stored"),
        (status = 400, body = WebError), (status = 403, body = WebError)))]
async fn api_create_org(
    State(state): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    body: Result<Json<Organisation>, JsonRejection>,
) -> Result<(StatusCode, Json<Organisation>), WebError> {
    auth.check_csrf_header(&headers)?;
    auth.require_editor("add organisations")?;
    let org = json_body(body)?;
    let mut batch = LocatedDataset::new("request body");
    batch.organisations.push(Located {
        position: Position::Arguments,
        record: org.clone(),
    });
    milieu_app::import_checked(state.store(), &batch)
        .await
        .map_err(app_error_json)?;
    Ok((StatusCode::CREATED, Json(org)))
}

/// Replace an organisation's record (managers and administrators). The body's `id` must be
/// the one in the path.
#[utoipa::path(put, path = "/api/orgs/{id}", tag = "organisations",
    params(("id" = String, Path, description = "Organisation id")),
    request_body(content = Object, description = "The whole Organisation record"),
    responses((status = 200, body = Object, description = "The organisation as stored"),
        (status = 400, body = WebError), (status = 403, body = WebError), (status = 404, body = WebError)))]
async fn api_update_org(
    State(state): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Result<Json<Organisation>, JsonRejection>,
) -> Result<Json<Organisation>, WebError> {
    auth.check_csrf_header(&headers)?;
    auth.require_editor("edit organisations")?;
    let org = json_body(body)?;
    if org.id.as_str() != id {
        return Err(WebError::bad_input(format!(
            "field id: value {:?}: expected the id in the path ({id:?}); ids cannot be changed",
            org.id.as_str()
        )));
    }
    milieu_app::replace_checked(
        state.store(),
        "request body",
        Located {
            position: Position::Arguments,
            record: org.clone(),
        },
    )
    .await
    .map_err(app_error_json)?;
    Ok(Json(org))
}

// ---------------------------------------------------------------------------------------------
// Ties
// ---------------------------------------------------------------------------------------------

/// Filters of the tie list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TieQuery {
    /// Ties of this organisation (either party).
    pub org: Option<String>,
    /// Tie kind: lead, sale, alliance, joint_project, supplier, customer, knowledge, advice,
    /// rnd, spin_off, staff_move, other.
    pub kind: Option<String>,
    /// Ties in force on or after this date (YYYY-MM-DD): ended after it or not ended.
    pub from: Option<String>,
    /// Ties in force on or before this date (YYYY-MM-DD): started on or before it.
    pub to: Option<String>,
    /// Page size (default 50, at most 1000).
    pub limit: Option<usize>,
    /// How many results to skip.
    pub offset: Option<usize>,
}

/// A page of ties.
#[derive(Serialize, ToSchema)]
pub struct TiePage {
    pub total: usize,
    /// milieu-model `Tie` records, sorted by start date then id.
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<Tie>,
}

/// The ties the account may see, filtered.
#[utoipa::path(get, path = "/api/ties", tag = "ties", params(TieQuery),
    responses((status = 200, body = TiePage), (status = 400, body = WebError), (status = 401, body = WebError)))]
async fn api_ties(
    State(state): State<AppState>,
    auth: Auth,
    q: Result<Query<TieQuery>, QueryRejection>,
) -> Result<Json<TiePage>, WebError> {
    let q = query(q)?;
    let from = date_param("from", &q.from)?;
    let to = date_param("to", &q.to)?;
    let kind = given(&q.kind);
    let snap = state.snapshot().await?;
    let view = snap.view(&auth.principal);
    let candidates: Vec<Cow<'_, Tie>> = match given(&q.org) {
        Some(org) => view.ties_of(org),
        None => view.ties().collect(),
    };
    let mut found: Vec<Cow<'_, Tie>> = candidates
        .into_iter()
        .filter(|t| kind.is_none_or(|k| t.kind.as_str() == k))
        .filter(|t| from.is_none_or(|d| t.end.is_none_or(|end| end > d)))
        .filter(|t| to.is_none_or(|d| t.start <= d))
        .collect();
    found.sort_by(|a, b| a.start.cmp(&b.start).then(a.id.cmp(&b.id)));
    let (limit, offset) = paging(q.limit, q.offset);
    Ok(Json(TiePage {
        total: found.len(),
        items: found
            .into_iter()
            .skip(offset)
            .take(limit)
            .map(Cow::into_owned)
            .collect(),
    }))
}

/// A tie, if the account may see it (404 otherwise, as for a missing one).
#[utoipa::path(get, path = "/api/ties/{id}", tag = "ties",
    params(("id" = String, Path, description = "Tie id")),
    responses((status = 200, body = Object, description = "The milieu-model Tie"),
        (status = 404, body = WebError), (status = 401, body = WebError)))]
async fn api_tie(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<Tie>, WebError> {
    let snap = state.snapshot().await?;
    let view = snap.view(&auth.principal);
    view.tie(&id)
        .map(|t| Json(t.into_owned()))
        .ok_or_else(|| WebError::not_found(format!("tie {id:?}")))
}

async fn tie_page(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Html<String>, WebError> {
    let snap = state.snapshot().await?;
    let view = snap.view(&auth.principal);
    let tie = view
        .tie(&id)
        .ok_or_else(|| WebError::not_found(format!("tie {id:?}")))?;
    let event = tie.event.as_ref().and_then(|e| {
        view.events().iter().find(|x| x.id == *e).map(
            |x| context! { id => x.id.as_str(), title => &x.title, date => x.date.to_string() },
        )
    });
    let outcomes: Vec<_> = view
        .outcomes_of(tie.from.as_str())
        .into_iter()
        .filter(|o| o.tie.as_ref() == Some(&tie.id))
        .collect();
    state.render(
        Some(&auth),
        "orgs",
        "orgs/tie.html",
        context! {
            t => tie,
            from_name => org_name(&view, tie.from.as_str()),
            to_name => org_name(&view, tie.to.as_str()),
            event => event,
            outcomes => outcomes,
        },
    )
}

/// Checks who may record a tie: staff, or a member for a tie its organisation is a party to.
fn check_tie_author(auth: &Auth, tie: &Tie) -> Result<(), WebError> {
    if auth.principal.is_staff() {
        return Ok(());
    }
    if auth.principal.acts_for(&tie.from) || auth.principal.acts_for(&tie.to) {
        return Ok(());
    }
    Err(WebError::forbidden(format!(
        "a {} account may record only ties of its own organisation",
        auth.principal.role
    )))
}

async fn record_tie(
    state: &AppState,
    auth: &Auth,
    values: &TieFormValues,
    source: &str,
) -> Result<Result<String, AppError>, WebError> {
    if !(auth.principal.is_staff() || auth.principal.org.is_some()) {
        return Err(WebError::forbidden(format!(
            "a {} account may not record ties",
            auth.principal.role
        )));
    }
    let batch = match parse_fields(EntityKind::Tie, source, &values.fields()) {
        Ok(b) => b,
        Err(e) => return Ok(Err(e)),
    };
    let Some(tie) = batch.ties.first().map(|l| l.record.clone()) else {
        return Ok(Err(AppError::Usage("no tie given".into())));
    };
    check_tie_author(auth, &tie)?;
    Ok(milieu_app::import_checked(state.store(), &batch)
        .await
        .map(|_| tie.id.to_string()))
}

#[derive(Deserialize)]
struct TieForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    /// The profile the form was sent from (shown again on error).
    #[serde(default)]
    back: String,
    #[serde(flatten)]
    values: TieFormValues,
}

async fn tie_form(
    State(state): State<AppState>,
    auth: Auth,
    axum::Form(form): axum::Form<TieForm>,
) -> Result<Response, WebError> {
    auth.check_csrf(Some(&form.csrf))?;
    match record_tie(&state, &auth, &form.values, "form").await? {
        Ok(id) => Ok(Redirect::to(&format!("/ties/{}", seg(&id))).into_response()),
        Err(e) => {
            let fe = form_error(e)?;
            let back = if form.back.is_empty() {
                form.values.from_id.clone()
            } else {
                form.back.clone()
            };
            let page = render_profile(&state, &auth, &back, Some((form.values, fe))).await?;
            Ok((StatusCode::BAD_REQUEST, page).into_response())
        }
    }
}

/// A new tie. `id` defaults to `from~to~kind~start`, `source` to `self_report`,
/// `visibility` to `private`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewTie {
    #[serde(default)]
    pub id: Option<String>,
    pub from: String,
    pub to: String,
    /// lead, sale, alliance, joint_project, supplier, customer, knowledge, advice, rnd,
    /// spin_off, staff_move, other.
    pub kind: String,
    /// YYYY-MM-DD.
    pub start: String,
    #[serde(default)]
    pub end: Option<String>,
    /// 1 (weak) to 5 (strong).
    #[serde(default)]
    pub strength: Option<u8>,
    /// 1 (none) to 5 (full).
    #[serde(default)]
    pub trust: Option<u8>,
    /// event, introduction, self_report, observed, import.
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub event: Option<String>,
    #[serde(default)]
    pub introduction: Option<String>,
    /// private, staff, cluster, public.
    #[serde(default)]
    pub visibility: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// Record a tie (staff, or a member for a tie of its own organisation); checked like a file
/// import.
#[utoipa::path(post, path = "/api/ties", tag = "ties", request_body = NewTie,
    responses((status = 201, body = Object, description = "The milieu-model Tie as stored"),
        (status = 400, body = WebError), (status = 403, body = WebError)))]
async fn api_create_tie(
    State(state): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    body: Result<Json<NewTie>, JsonRejection>,
) -> Result<(StatusCode, Json<Tie>), WebError> {
    auth.check_csrf_header(&headers)?;
    if !(auth.principal.is_staff() || auth.principal.org.is_some()) {
        return Err(WebError::forbidden(format!(
            "a {} account may not record ties",
            auth.principal.role
        )));
    }
    let t = json_body(body)?;
    let values = TieFormValues {
        from_id: t.from,
        to_id: t.to,
        kind: t.kind,
        start: t.start,
        end: t.end.unwrap_or_default(),
        strength: t.strength.map(|v| v.to_string()).unwrap_or_default(),
        trust: t.trust.map(|v| v.to_string()).unwrap_or_default(),
        source: t.source.unwrap_or_else(|| "self_report".into()),
        event_id: t.event.unwrap_or_default(),
        introduction_id: t.introduction.unwrap_or_default(),
        visibility: t.visibility.unwrap_or_default(),
        note: t.note.unwrap_or_default(),
    };
    let mut fields = values.fields();
    if let Some(id) = t.id.filter(|s| !s.is_empty()) {
        fields.push(("id".into(), id));
    }
    let mut batch =
        parse_fields(EntityKind::Tie, "request body", &fields).map_err(app_error_json)?;
    let tie = batch
        .ties
        .first()
        .map(|l| l.record.clone())
        .ok_or_else(|| WebError::bad_input("no tie given"))?;
    check_tie_author(&auth, &tie)?;
    batch.source_name = "request body".into();
    milieu_app::import_checked(state.store(), &batch)
        .await
        .map_err(app_error_json)?;
    Ok((StatusCode::CREATED, Json(tie)))
}

// ---------------------------------------------------------------------------------------------
// People
// ---------------------------------------------------------------------------------------------

/// Filters of the people list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PersonQuery {
    /// Words to find (all, case-insensitive) in the name or id.
    pub q: Option<String>,
    /// People affiliated (ever) with this organisation.
    pub org: Option<String>,
    /// Page size (default 50, at most 1000).
    pub limit: Option<usize>,
    /// How many results to skip.
    pub offset: Option<usize>,
}

/// A person's affiliation.
#[derive(Serialize, ToSchema, Clone)]
pub struct AffiliationRow {
    pub org: String,
    pub org_name: String,
    pub role: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
}

/// A person with their affiliations. The e-mail address is left out for funders.
#[derive(Serialize, ToSchema)]
pub struct PersonRow {
    pub id: String,
    pub name: String,
    pub email: Option<String>,
    pub affiliations: Vec<AffiliationRow>,
}

/// A page of people.
#[derive(Serialize, ToSchema)]
pub struct PersonPage {
    pub total: usize,
    pub items: Vec<PersonRow>,
}

fn people_search(view: &View<'_>, auth: &Auth, q: &PersonQuery) -> Vec<PersonRow> {
    let terms: Vec<String> = given(&q.q)
        .map(|t| t.split_whitespace().map(str::to_lowercase).collect())
        .unwrap_or_default();
    let mut affiliations: HashMap<&str, Vec<AffiliationRow>> = HashMap::new();
    for a in view.affiliations() {
        affiliations
            .entry(a.person.as_str())
            .or_default()
            .push(AffiliationRow {
                org: a.org.to_string(),
                org_name: org_name(view, a.org.as_str()),
                role: a.role.clone(),
                from: a.from.map(|d| d.to_string()),
                to: a.to.map(|d| d.to_string()),
            });
    }
    let org = given(&q.org);
    let show_email = auth.principal.role != milieu_app::access::Role::Funder;
    let mut out: Vec<PersonRow> = view
        .people()
        .iter()
        .filter(|p| {
            let hay = format!("{}\n{}", p.name, p.id).to_lowercase();
            terms.iter().all(|t| hay.contains(t.as_str()))
        })
        .filter(|p| {
            org.is_none_or(|o| {
                affiliations
                    .get(p.id.as_str())
                    .is_some_and(|v| v.iter().any(|a| a.org == o))
            })
        })
        .map(|p| {
            let mut affs = affiliations.get(p.id.as_str()).cloned().unwrap_or_default();
            affs.sort_by(|a, b| b.from.cmp(&a.from));
            PersonRow {
                id: p.id.to_string(),
                name: p.name.clone(),
                email: p.email.clone().filter(|_| show_email),
                affiliations: affs,
            }
        })
        .collect();
    out.sort_by_cached_key(|p| (p.name.to_lowercase(), p.id.clone()));
    out
}

/// Search people (with their affiliations).
#[utoipa::path(get, path = "/api/people", tag = "people", params(PersonQuery),
    responses((status = 200, body = PersonPage), (status = 400, body = WebError), (status = 401, body = WebError)))]
async fn api_people(
    State(state): State<AppState>,
    auth: Auth,
    q: Result<Query<PersonQuery>, QueryRejection>,
) -> Result<Json<PersonPage>, WebError> {
    let q = query(q)?;
    let snap = state.snapshot().await?;
    let view = snap.view(&auth.principal);
    let found = people_search(&view, &auth, &q);
    let (limit, offset) = paging(q.limit, q.offset);
    Ok(Json(PersonPage {
        total: found.len(),
        items: found.into_iter().skip(offset).take(limit).collect(),
    }))
}

async fn people_page(
    State(state): State<AppState>,
    auth: Auth,
    q: Result<Query<PersonQuery>, QueryRejection>,
) -> Result<Html<String>, WebError> {
    let q = query(q)?;
    let snap = state.snapshot().await?;
    let view = snap.view(&auth.principal);
    let found = people_search(&view, &auth, &q);
    let (limit, offset) = paging(q.limit, q.offset);
    let params = [("q", given(&q.q)), ("org", given(&q.org))];
    let pager = pager("/people", &params, found.len(), limit, offset);
    let rows: Vec<PersonRow> = found.into_iter().skip(offset).take(limit).collect();
    state.render(
        Some(&auth),
        "orgs",
        "orgs/people.html",
        context! { rows => rows, q => given(&q.q), org => given(&q.org), pager => pager },
    )
}

async fn person_page(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Html<String>, WebError> {
    let snap = state.snapshot().await?;
    let view = snap.view(&auth.principal);
    let person = view
        .people()
        .iter()
        .find(|p| p.id.as_str() == id)
        .ok_or_else(|| WebError::not_found(format!("person {id:?}")))?;
    let row = people_search(
        &view,
        &auth,
        &PersonQuery {
            q: None,
            ..Default::default()
        },
    )
    .into_iter()
    .find(|p| p.id == person.id.as_str());
    let events: HashMap<&str, &milieu_model::Event> =
        view.events().iter().map(|e| (e.id.as_str(), e)).collect();
    let mut attended: Vec<_> = view
        .attendance()
        .iter()
        .filter(|a| a.person.as_ref().is_some_and(|p| p.as_str() == id))
        .filter_map(|a| {
            events.get(a.event.as_str()).map(|e| {
                context! {
                    id => e.id.as_str(), title => &e.title, date => e.date.to_string(),
                    role => a.role.as_str(),
                    org => a.org.as_ref().map(|o| o.as_str()),
                    org_name => a.org.as_ref().map(|o| org_name(&view, o.as_str())),
                }
            })
        })
        .collect();
    attended.reverse();
    state.render(
        Some(&auth),
        "orgs",
        "orgs/person.html",
        context! { person => row, attended => attended },
    )
}
