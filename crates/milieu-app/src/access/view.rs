//! The read model: the registry in memory ([`Snapshot`], with per-organisation indexes) read
//! through [`View`], which applies the confidentiality rule to every record it hands out.
//!
//! A `View` lends out nothing unfiltered: the directory and calendar records every account may
//! see (organisations, people, events, attendance, opportunities, ...) as slices; ties,
//! introductions and outcomes only when [`Principal::may_see`] lets them through, and with their
//! references to records the account may not see removed (an outcome the account sees may
//! name a tie or an introduction it does not: the id is cleared, so a copy is made only then).
//! Computations that need a whole dataset get it from here, filtered
//! ([`View::visible_dataset`], [`View::aggregate_dataset`]), or build their engine input inside
//! milieu-app with the principal as the engine's audience ([`crate::matching::Matcher::for_view`],
//! [`crate::net::Registry::from_view`]).

use super::{Principal, Role};
use crate::AppError;
use milieu_model::{
    Affiliation, Attendance, Cluster, Dataset, Event, Initiative, Introduction, Membership,
    Opportunity, OrgId, Organisation, Outcome, Participation, Person, Project, Tie, TopicRequest,
};
use milieu_store::Store;
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The registry in memory with indexes, for fast reads by many requests. Build one with
/// [`Snapshot::build`] or get the current one from a [`SnapshotCache`]; read it through
/// [`Snapshot::view`], which applies the confidentiality rule.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// The store's generation this snapshot was read at.
    pub generation: u64,
    data: Dataset,
    org_index: HashMap<OrgId, usize>,
    tie_index: HashMap<String, usize>,
    introduction_index: HashMap<String, usize>,
    ties_by_org: HashMap<OrgId, Vec<usize>>,
    introductions_by_org: HashMap<OrgId, Vec<usize>>,
    outcomes_by_org: HashMap<OrgId, Vec<usize>>,
    attendance_by_org: HashMap<OrgId, Vec<usize>>,
}

impl Snapshot {
    pub fn build(data: Dataset, generation: u64) -> Snapshot {
        let mut s = Snapshot {
            generation,
            ..Snapshot::default()
        };
        for (i, o) in data.organisations.iter().enumerate() {
            s.org_index.insert(o.id.clone(), i);
        }
        for (i, t) in data.ties.iter().enumerate() {
            s.tie_index.insert(t.id.to_string(), i);
            s.ties_by_org.entry(t.from.clone()).or_default().push(i);
            s.ties_by_org.entry(t.to.clone()).or_default().push(i);
        }
        for (i, x) in data.introductions.iter().enumerate() {
            s.introduction_index.insert(x.id.to_string(), i);
            for org in [Some(&x.from), Some(&x.to), x.via.as_ref()]
                .into_iter()
                .flatten()
            {
                s.introductions_by_org
                    .entry(org.clone())
                    .or_default()
                    .push(i);
            }
        }
        for (i, o) in data.outcomes.iter().enumerate() {
            s.outcomes_by_org.entry(o.org.clone()).or_default().push(i);
            if let Some(p) = &o.partner {
                s.outcomes_by_org.entry(p.clone()).or_default().push(i);
            }
        }
        for (i, a) in data.attendance.iter().enumerate() {
            if let Some(org) = &a.org {
                s.attendance_by_org.entry(org.clone()).or_default().push(i);
            }
        }
        s.data = data;
        s
    }

    /// The registry as `principal` may see it.
    pub fn view<'a>(&'a self, principal: &'a Principal) -> View<'a> {
        View {
            snapshot: self,
            principal,
        }
    }
}

/// A [`Snapshot`] seen by one account: every list leaves out what the account may not see.
#[derive(Clone, Copy)]
pub struct View<'a> {
    snapshot: &'a Snapshot,
    pub principal: &'a Principal,
}

impl<'a> View<'a> {
    /// The whole registry, unfiltered, for the engines inside milieu-app that apply the rule
    /// themselves (they take the principal as their audience).
    pub(crate) fn unfiltered(&self) -> &'a Dataset {
        &self.snapshot.data
    }

    pub fn organisations(&self) -> &'a [Organisation] {
        &self.snapshot.data.organisations
    }

    pub fn organisation(&self, id: &str) -> Option<&'a Organisation> {
        self.snapshot
            .org_index
            .get(id)
            .map(|&i| &self.snapshot.data.organisations[i])
    }

    pub fn people(&self) -> &'a [Person] {
        &self.snapshot.data.people
    }

    pub fn affiliations(&self) -> &'a [Affiliation] {
        &self.snapshot.data.affiliations
    }

    pub fn clusters(&self) -> &'a [Cluster] {
        &self.snapshot.data.clusters
    }

    pub fn initiatives(&self) -> &'a [Initiative] {
        &self.snapshot.data.initiatives
    }

    pub fn memberships(&self) -> &'a [Membership] {
        &self.snapshot.data.memberships
    }

    pub fn events(&self) -> &'a [Event] {
        &self.snapshot.data.events
    }

    /// Who attended which event: visible to every account (what came of a meeting is an
    /// outcome, filtered).
    pub fn attendance(&self) -> &'a [Attendance] {
        &self.snapshot.data.attendance
    }

    pub fn topic_requests(&self) -> &'a [TopicRequest] {
        &self.snapshot.data.topic_requests
    }

    pub fn projects(&self) -> &'a [Project] {
        &self.snapshot.data.projects
    }

    pub fn participations(&self) -> &'a [Participation] {
        &self.snapshot.data.participations
    }

    pub fn opportunities(&self) -> &'a [Opportunity] {
        &self.snapshot.data.opportunities
    }

    /// Every tie the account may see.
    pub fn ties(&self) -> impl Iterator<Item = Cow<'a, Tie>> + '_ {
        self.snapshot
            .data
            .ties
            .iter()
            .filter(|t| self.principal.may_see(*t))
            .map(|t| self.scrub_tie(t))
    }

    /// The ties of one organisation the account may see.
    pub fn ties_of(&self, org: &str) -> Vec<Cow<'a, Tie>> {
        self.indexed(&self.snapshot.ties_by_org, org, &self.snapshot.data.ties)
            .filter(|t| self.principal.may_see(*t))
            .map(|t| self.scrub_tie(t))
            .collect()
    }

    /// A tie by id, if the account may see it.
    pub fn tie(&self, id: &str) -> Option<Cow<'a, Tie>> {
        self.visible_tie(id).map(|t| self.scrub_tie(t))
    }

    /// Every introduction the account may see (an introduction refers to organisations and
    /// a broker only, all in the directory, so nothing is removed from it).
    pub fn introductions(&self) -> impl Iterator<Item = &'a Introduction> + '_ {
        self.snapshot
            .data
            .introductions
            .iter()
            .filter(|x| self.principal.may_see(*x))
    }

    /// The introductions an organisation is a party to (either side, or the one it went via)
    /// that the account may see.
    pub fn introductions_of(&self, org: &str) -> Vec<&'a Introduction> {
        self.indexed(
            &self.snapshot.introductions_by_org,
            org,
            &self.snapshot.data.introductions,
        )
        .filter(|x| self.principal.may_see(*x))
        .collect()
    }

    pub fn introduction(&self, id: &str) -> Option<&'a Introduction> {
        self.snapshot
            .introduction_index
            .get(id)
            .map(|&i| &self.snapshot.data.introductions[i])
            .filter(|x| self.principal.may_see(*x))
    }

    pub fn outcomes(&self) -> impl Iterator<Item = Cow<'a, Outcome>> + '_ {
        self.snapshot
            .data
            .outcomes
            .iter()
            .filter(|o| self.principal.may_see(*o))
            .map(|o| self.scrub_outcome(o))
    }

    pub fn outcomes_of(&self, org: &str) -> Vec<Cow<'a, Outcome>> {
        self.indexed(
            &self.snapshot.outcomes_by_org,
            org,
            &self.snapshot.data.outcomes,
        )
        .filter(|o| self.principal.may_see(*o))
        .map(|o| self.scrub_outcome(o))
        .collect()
    }

    fn visible_tie(&self, id: &str) -> Option<&'a Tie> {
        self.snapshot
            .tie_index
            .get(id)
            .map(|&i| &self.snapshot.data.ties[i])
            .filter(|t| self.principal.may_see(*t))
    }

    /// The tie as the account may be shown it: without the id of an introduction it may not
    /// see (a staff-visible tie that came of a private introduction, ...).
    fn scrub_tie(&self, tie: &'a Tie) -> Cow<'a, Tie> {
        let hidden_introduction = tie
            .introduction
            .as_ref()
            .is_some_and(|x| self.introduction(x.as_str()).is_none());
        if !hidden_introduction {
            return Cow::Borrowed(tie);
        }
        let mut tie = tie.clone();
        tie.introduction = None;
        Cow::Owned(tie)
    }

    /// The outcome as the account may be shown it: without the ids of a tie or an
    /// introduction it may not see (a public outcome of a staff-only tie, ...).
    fn scrub_outcome(&self, outcome: &'a Outcome) -> Cow<'a, Outcome> {
        let hidden_tie = outcome
            .tie
            .as_ref()
            .is_some_and(|t| self.visible_tie(t.as_str()).is_none());
        let hidden_introduction = outcome
            .introduction
            .as_ref()
            .is_some_and(|x| self.introduction(x.as_str()).is_none());
        if !hidden_tie && !hidden_introduction {
            return Cow::Borrowed(outcome);
        }
        let mut outcome = outcome.clone();
        if hidden_tie {
            outcome.tie = None;
        }
        if hidden_introduction {
            outcome.introduction = None;
        }
        Cow::Owned(outcome)
    }

    /// Attendance records of an organisation (who attended events is visible to every
    /// account; what came of a meeting is an outcome, filtered above).
    pub fn attendance_of(&self, org: &str) -> Vec<&'a Attendance> {
        self.indexed(
            &self.snapshot.attendance_by_org,
            org,
            &self.snapshot.data.attendance,
        )
        .collect()
    }

    /// The meeting requests of a brokerage event the account may see: the team sees every
    /// request; a member sees those its organisation made or received; a funder none (who
    /// wants to meet whom is a lead).
    pub fn meeting_requests<'r>(
        &self,
        requests: &'r [milieu_store::MeetingRequest],
    ) -> Vec<&'r milieu_store::MeetingRequest> {
        requests
            .iter()
            .filter(|r| self.meeting_pair_visible(&r.from, &r.to))
            .collect()
    }

    /// The scheduled meetings of an event's stored plan the account may see (the same rule as
    /// [`View::meeting_requests`]: a meeting shows that one of the two asked for it).
    pub fn meetings<'r>(
        &self,
        plan: &'r milieu_store::MeetingPlan,
    ) -> Vec<&'r milieu_store::ScheduledMeeting> {
        plan.meetings
            .iter()
            .filter(|m| self.meeting_pair_visible(&m.from, &m.to))
            .collect()
    }

    /// Whether the account may see the personal agenda of an event participant (an
    /// organisation's or a person's id): the team any; a member only its own organisation's.
    pub fn may_see_agenda_of(&self, participant: &str) -> bool {
        self.principal.is_staff() || self.principal.acts_for(&OrgId::new(participant))
    }

    fn meeting_pair_visible(&self, from: &str, to: &str) -> bool {
        let p = self.principal;
        p.is_staff() || p.acts_for(&OrgId::new(from)) || p.acts_for(&OrgId::new(to))
    }

    /// The registry as the account may see it, as one `Dataset` for the engines that compute
    /// from one: ties, introductions and outcomes the account may not see are left out, and
    /// references to them removed from the rest; the directory, events, attendance, ... are
    /// what every account sees. A clone: callers cache it per snapshot.
    pub fn visible_dataset(&self) -> Dataset {
        let d = &self.snapshot.data;
        Dataset {
            organisations: d.organisations.clone(),
            people: d.people.clone(),
            affiliations: d.affiliations.clone(),
            clusters: d.clusters.clone(),
            initiatives: d.initiatives.clone(),
            memberships: d.memberships.clone(),
            events: d.events.clone(),
            attendance: d.attendance.clone(),
            topic_requests: d.topic_requests.clone(),
            projects: d.projects.clone(),
            participations: d.participations.clone(),
            ties: self.ties().map(Cow::into_owned).collect(),
            introductions: self.introductions().cloned().collect(),
            opportunities: d.opportunities.clone(),
            outcomes: self.outcomes().map(Cow::into_owned).collect(),
        }
    }

    /// What the network graphs of this account are built from: the directory and the ties it
    /// may see (as [`View::ties`] hands them out). Graph building applies the rule again with
    /// [`crate::net::GraphSpec::viewer`]; this keeps the unfiltered ties inside milieu-app.
    pub fn network_registry(&self) -> crate::net::Registry {
        let d = &self.snapshot.data;
        crate::net::Registry {
            organisations: d.organisations.clone(),
            people: d.people.clone(),
            affiliations: d.affiliations.clone(),
            initiatives: d.initiatives.clone(),
            memberships: d.memberships.clone(),
            events: d.events.clone(),
            attendance: d.attendance.clone(),
            projects: d.projects.clone(),
            participations: d.participations.clone(),
            ties: self.ties().map(Cow::into_owned).collect(),
        }
    }

    /// What aggregates shown to this account are computed from: its own
    /// [`View::visible_dataset`], except for funders, whose aggregates cover what the cluster
    /// team may see (never a firm's `private` records). A funder must only be shown counts and
    /// shares from it, never records or per-organisation rows, and no breakdown cell of fewer
    /// than k organisations.
    pub fn aggregate_dataset(&self) -> Dataset {
        if self.principal.role != Role::Funder {
            return self.visible_dataset();
        }
        self.snapshot
            .view(&Principal::cluster_team())
            .visible_dataset()
    }

    fn indexed<T>(
        &self,
        index: &'a HashMap<OrgId, Vec<usize>>,
        org: &str,
        items: &'a [T],
    ) -> impl Iterator<Item = &'a T> + 'a {
        index
            .get(org)
            .map(|v| v.as_slice())
            .unwrap_or(&[])
            .iter()
            .map(move |&i| &items[i])
    }
}

/// The current [`Snapshot`], reloaded when the store's generation has moved (a write by this
/// process or by another, such as the CLI importing while the server runs).
#[derive(Default, Clone)]
pub struct SnapshotCache {
    current: Arc<Mutex<Option<Arc<Snapshot>>>>,
    /// Serialises reloads so that a burst of requests after a write loads once.
    reload: Arc<tokio::sync::Mutex<()>>,
}

impl SnapshotCache {
    pub async fn get<S: Store>(&self, store: &S) -> Result<Arc<Snapshot>, AppError> {
        let generation = store.generation().await?;
        if let Some(s) = self.cached(generation) {
            return Ok(s);
        }
        let _guard = self.reload.lock().await;
        let generation = store.generation().await?;
        if let Some(s) = self.cached(generation) {
            return Ok(s);
        }
        let data = store.dataset().await?;
        let snapshot = Arc::new(Snapshot::build(data, generation));
        *self.current.lock().unwrap_or_else(|e| e.into_inner()) = Some(snapshot.clone());
        Ok(snapshot)
    }

    fn cached(&self, generation: u64) -> Option<Arc<Snapshot>> {
        self.current
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            .filter(|s| s.generation == generation)
            .cloned()
    }
}
