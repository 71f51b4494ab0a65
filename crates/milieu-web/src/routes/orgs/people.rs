//! People: search with their affiliations, the list page and a person's page.

use super::{page_request, query};
use crate::auth::Auth;
use crate::routes::given;
use crate::routes::org_name;
use crate::routes::paging::paged;
use crate::{AppState, WebError};
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use milieu_app::access::View;
use milieu_model::Vocabulary;
use minijinja::context;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::{IntoParams, ToSchema};

/// Filters of the people list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PersonQuery {
    /// Words to find (all, case-insensitive) in the name or id.
    pub q: Option<String>,
    /// People affiliated (ever) with this organisation.
    pub org: Option<String>,
    /// Page (1-based; default 1).
    pub page: Option<String>,
    /// Rows per page (default 50, at most 1000; `limit` is the older spelling).
    #[serde(alias = "limit")]
    pub per_page: Option<usize>,
    /// Older spelling of the page: the first row to show, from 0.
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
pub(super) async fn api_people(
    State(state): State<AppState>,
    auth: Auth,
    q: Result<Query<PersonQuery>, QueryRejection>,
) -> Result<Json<PersonPage>, WebError> {
    let q = query(q)?;
    let snap = state.snapshot().await?;
    let view = snap.view(&auth.principal);
    let found = people_search(&view, &auth, &q);
    let p = paged(found, &page_request(&q.page, q.per_page, q.offset));
    Ok(Json(PersonPage {
        total: p.total,
        items: p.items,
    }))
}

pub(super) async fn people_page(
    State(state): State<AppState>,
    auth: Auth,
    q: Result<Query<PersonQuery>, QueryRejection>,
) -> Result<Html<String>, WebError> {
    let q = query(q)?;
    let snap = state.snapshot().await?;
    let view = snap.view(&auth.principal);
    let found = people_search(&view, &auth, &q);
    let params = [("q", given(&q.q)), ("org", given(&q.org))];
    let p = paged(found, &page_request(&q.page, q.per_page, q.offset));
    let pager = p.pager("/people", &params);
    let rows: Vec<PersonRow> = p.items;
    state.render(
        Some(&auth),
        "orgs",
        "orgs/people.html",
        context! { rows => rows, q => given(&q.q), org => given(&q.org), pager => pager },
    )
}

pub(super) async fn person_page(
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
