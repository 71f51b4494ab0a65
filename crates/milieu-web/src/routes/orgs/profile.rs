//! An organisation's profile: its details and what the account may see of its ties, events,
//! introductions and outcomes, with the form to record a tie.

use super::FormError;
use crate::auth::Auth;
use crate::routes::org_name;
use crate::{AppState, WebError};
use axum::Json;
use axum::extract::{Path, State};
use axum::response::Html;
use milieu_app::access::View;
use milieu_model::{
    Introduction, Organisation, Outcome, Tie, TieKind, TieSource, Visibility, Vocabulary,
};
use minijinja::context;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::ToSchema;

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
pub(super) async fn api_org(
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
    pub(super) fn fields(&self) -> Vec<(String, String)> {
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

pub(super) async fn render_profile(
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

pub(super) async fn profile_page(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Html<String>, WebError> {
    render_profile(&state, &auth, &id, None).await
}
