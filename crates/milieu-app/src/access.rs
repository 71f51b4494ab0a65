//! Who may see what: accounts, roles and the confidentiality rule, in one place below every
//! interface (the web server's pages and JSON API both read the registry through [`View`]).
//!
//! The rule, for records that carry a [`Visibility`] (ties, introductions, outcomes):
//! - `private`: the two parties only (a member account of either organisation);
//! - `staff`: the parties and the cluster team (administrator, manager, broker);
//! - `cluster`: the parties, the team and every member account;
//! - `public`: everyone logged in, funders included.
//!
//! No role sees another organisation's `private` records: not even an administrator, whose
//! extra power is over accounts, not over firms' confidences. Organisations' directory entries
//! (name, kind, sectors, offers, requests) are visible to every account. Funders see public
//! records and aggregates; an aggregate never breaks a count down to a single organisation.

use crate::AppError;
use milieu_model::{Dataset, Introduction, OrgId, Organisation, Outcome, Tie, Visibility};
use milieu_store::{Store, UserRecord};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// A role an account has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Manages accounts; otherwise sees what the cluster team sees.
    Admin,
    /// Runs the cluster: edits the registry, events, mapping, evaluation.
    Manager,
    /// Makes introductions and runs brokerage events.
    Broker,
    /// A user of one member organisation.
    Member,
    /// A funder or other viewer: public records and aggregates.
    Funder,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::Manager,
        Role::Broker,
        Role::Member,
        Role::Funder,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Manager => "manager",
            Role::Broker => "broker",
            Role::Member => "member",
            Role::Funder => "funder",
        }
    }

    pub fn parse(text: &str) -> Result<Role, AppError> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == text)
            .ok_or_else(|| {
                AppError::Usage(format!(
                    "unknown role {text:?}: expected one of admin, manager, broker, member, funder"
                ))
            })
    }

    /// The cluster team: administrator, manager, broker.
    pub fn is_staff(self) -> bool {
        matches!(self, Role::Admin | Role::Manager | Role::Broker)
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The account a request acts as.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Principal {
    pub username: String,
    pub role: Role,
    /// The organisation a member account acts for.
    pub org: Option<OrgId>,
}

impl Principal {
    pub fn from_user(user: &UserRecord) -> Result<Principal, AppError> {
        Ok(Principal {
            username: user.username.clone(),
            role: Role::parse(&user.role)?,
            org: user.org.as_deref().map(OrgId::new),
        })
    }

    pub fn is_staff(&self) -> bool {
        self.role.is_staff()
    }

    /// May create and edit registry records, events, mapping data and evaluation targets.
    pub fn can_edit_registry(&self) -> bool {
        matches!(self.role, Role::Admin | Role::Manager)
    }

    /// May make introductions, schedule brokerage events and see matching for every member.
    pub fn can_broker(&self) -> bool {
        self.role.is_staff()
    }

    /// May manage accounts.
    pub fn can_admin(&self) -> bool {
        self.role == Role::Admin
    }

    /// Whether `org` is the organisation this account acts for.
    pub fn acts_for(&self, org: &OrgId) -> bool {
        self.role == Role::Member && self.org.as_ref() == Some(org)
    }

    /// The confidentiality rule (module docs) for a record between `a` and `b`.
    pub fn can_see(&self, visibility: Visibility, a: &OrgId, b: &OrgId) -> bool {
        if self.acts_for(a) || self.acts_for(b) {
            return true;
        }
        match visibility {
            Visibility::Public => true,
            Visibility::Cluster => self.role != Role::Funder,
            Visibility::Staff => self.role.is_staff(),
            Visibility::Private => false,
        }
    }

    /// May see the private side of an organisation: its leads (opportunity routing, partner
    /// suggestions) and follow-up answers. The organisation's own accounts and the team.
    pub fn can_see_leads_of(&self, org: &OrgId) -> bool {
        self.acts_for(org) || self.role.is_staff()
    }

    /// The matching engine's viewer with the same rule.
    pub fn match_viewer(&self) -> milieu_match::Viewer {
        match (&self.role, &self.org) {
            (Role::Member, Some(org)) => milieu_match::Viewer::Org(org.clone()),
            (Role::Funder, _) | (Role::Member, None) => milieu_match::Viewer::Public,
            _ => milieu_match::Viewer::Staff,
        }
    }

    /// The network builder's viewer, for staff and members (funders see only public ties:
    /// filter with [`Principal::can_see`]).
    pub fn net_viewer(&self) -> crate::net::Viewer {
        match (&self.role, &self.org) {
            (Role::Member, Some(org)) => crate::net::Viewer::Org(org.clone()),
            _ => crate::net::Viewer::Staff,
        }
    }
}

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

    /// The whole registry, unfiltered: only for code that applies the rule itself (the
    /// engines' viewers) or computes aggregates.
    pub fn unfiltered(&self) -> &Dataset {
        &self.data
    }
}

/// A [`Snapshot`] seen by one account: every list leaves out what the account may not see.
#[derive(Clone, Copy)]
pub struct View<'a> {
    snapshot: &'a Snapshot,
    pub principal: &'a Principal,
}

impl<'a> View<'a> {
    pub fn organisations(&self) -> &'a [Organisation] {
        &self.snapshot.data.organisations
    }

    pub fn organisation(&self, id: &str) -> Option<&'a Organisation> {
        self.snapshot
            .org_index
            .get(id)
            .map(|&i| &self.snapshot.data.organisations[i])
    }

    pub fn dataset(&self) -> &'a Dataset {
        &self.snapshot.data
    }

    fn tie_visible(&self, t: &Tie) -> bool {
        self.principal.can_see(t.visibility, &t.from, &t.to)
    }

    fn introduction_visible(&self, x: &Introduction) -> bool {
        let p = self.principal;
        p.can_see(x.visibility, &x.from, &x.to) || x.via.as_ref().is_some_and(|v| p.acts_for(v))
    }

    fn outcome_visible(&self, o: &Outcome) -> bool {
        let partner = o.partner.as_ref().unwrap_or(&o.org);
        self.principal.can_see(o.visibility, &o.org, partner)
    }

    /// Every tie the account may see.
    pub fn ties(&self) -> impl Iterator<Item = &'a Tie> + '_ {
        self.snapshot
            .data
            .ties
            .iter()
            .filter(|t| self.tie_visible(t))
    }

    /// The ties of one organisation the account may see.
    pub fn ties_of(&self, org: &str) -> Vec<&'a Tie> {
        self.indexed(&self.snapshot.ties_by_org, org, &self.snapshot.data.ties)
            .filter(|t| self.tie_visible(t))
            .collect()
    }

    /// A tie by id, if the account may see it.
    pub fn tie(&self, id: &str) -> Option<&'a Tie> {
        self.snapshot
            .tie_index
            .get(id)
            .map(|&i| &self.snapshot.data.ties[i])
            .filter(|t| self.tie_visible(t))
    }

    pub fn introductions(&self) -> impl Iterator<Item = &'a Introduction> + '_ {
        self.snapshot
            .data
            .introductions
            .iter()
            .filter(|x| self.introduction_visible(x))
    }

    pub fn introductions_of(&self, org: &str) -> Vec<&'a Introduction> {
        self.indexed(
            &self.snapshot.introductions_by_org,
            org,
            &self.snapshot.data.introductions,
        )
        .filter(|x| self.introduction_visible(x))
        .collect()
    }

    pub fn introduction(&self, id: &str) -> Option<&'a Introduction> {
        self.snapshot
            .introduction_index
            .get(id)
            .map(|&i| &self.snapshot.data.introductions[i])
            .filter(|x| self.introduction_visible(x))
    }

    pub fn outcomes(&self) -> impl Iterator<Item = &'a Outcome> + '_ {
        self.snapshot
            .data
            .outcomes
            .iter()
            .filter(|o| self.outcome_visible(o))
    }

    pub fn outcomes_of(&self, org: &str) -> Vec<&'a Outcome> {
        self.indexed(
            &self.snapshot.outcomes_by_org,
            org,
            &self.snapshot.data.outcomes,
        )
        .filter(|o| self.outcome_visible(o))
        .collect()
    }

    /// Attendance records of an organisation (who attended events is visible to every
    /// account; what came of a meeting is an outcome, filtered above).
    pub fn attendance_of(&self, org: &str) -> Vec<&'a milieu_model::Attendance> {
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
    /// from one (the KPI series of the dashboard, ...): ties, introductions and outcomes the
    /// account may not see are left out; the rest (directory, events, attendance, ...) is what
    /// every account sees. A clone: callers cache it per snapshot.
    pub fn visible_dataset(&self) -> Dataset {
        self.filtered_dataset()
    }

    /// What aggregates shown to this account are computed from: its own
    /// [`View::visible_dataset`], except for funders, whose aggregates cover what the cluster
    /// team may see (never a firm's `private` records). A funder must only be shown counts and
    /// shares from it, never records or per-organisation rows, and no breakdown cell of fewer
    /// than k organisations.
    pub fn aggregate_dataset(&self) -> Dataset {
        if self.principal.role != Role::Funder {
            return self.filtered_dataset();
        }
        let team = Principal {
            username: String::new(),
            role: Role::Manager,
            org: None,
        };
        self.snapshot.view(&team).filtered_dataset()
    }

    fn filtered_dataset(&self) -> Dataset {
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
            ties: self.ties().cloned().collect(),
            introductions: self.introductions().cloned().collect(),
            opportunities: d.opportunities.clone(),
            outcomes: self.outcomes().cloned().collect(),
        }
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

/// Hashes a password for storage (argon2id, a random salt, the crate's default cost).
pub fn hash_password(password: &str) -> Result<String, AppError> {
    use argon2::password_hash::{PasswordHasher, SaltString, rand_core::OsRng};
    let salt = SaltString::generate(&mut OsRng);
    argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Usage(format!("the password could not be hashed: {e}")))
}

/// Whether `password` matches a stored hash; a malformed hash never matches.
pub fn verify_password(password: &str, hash: &str) -> bool {
    use argon2::password_hash::{PasswordHash, PasswordVerifier};
    PasswordHash::new(hash).is_ok_and(|parsed| {
        argon2::Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// Shortest password accepted.
pub const MIN_PASSWORD_LEN: usize = 10;

/// Creates an account. Usernames are 1-64 letters, digits, `.`, `-`, `_`, `@`; a member account
/// names an organisation of the registry; other roles name none.
pub async fn add_user<S: Store>(
    store: &S,
    username: &str,
    password: &str,
    role: Role,
    org: Option<&str>,
    now_rfc3339: &str,
) -> Result<UserRecord, AppError> {
    if username.is_empty()
        || username.len() > 64
        || !username
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '@'))
    {
        return Err(AppError::Usage(format!(
            "username {username:?}: expected 1-64 letters, digits, '.', '-', '_' or '@'"
        )));
    }
    if password.chars().count() < MIN_PASSWORD_LEN {
        return Err(AppError::Usage(format!(
            "the password is too short: at least {MIN_PASSWORD_LEN} characters"
        )));
    }
    match (role, org) {
        (Role::Member, None) => {
            return Err(AppError::Usage(
                "a member account needs the organisation it acts for (--org)".into(),
            ));
        }
        (Role::Member, Some(org)) => {
            if store
                .get::<Organisation>(org)
                .await
                .map_err(AppError::Store)?
                .is_none()
            {
                return Err(AppError::NotFound {
                    kind: "organisation",
                    id: org.to_string(),
                });
            }
        }
        (_, Some(_)) => {
            return Err(AppError::Usage(format!(
                "only member accounts act for an organisation; a {role} account takes no --org"
            )));
        }
        (_, None) => {}
    }
    let user = UserRecord {
        username: username.to_string(),
        role: role.as_str().to_string(),
        org: org.map(str::to_string),
        password_hash: hash_password(password)?,
        display_name: String::new(),
        created: now_rfc3339.to_string(),
        disabled: false,
    };
    // A taken username is the store's `Duplicate` (409 on the web, exit code 2).
    store.user_add(&user).await?;
    Ok(user)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(role: Role, org: Option<&str>) -> Principal {
        Principal {
            username: "u".into(),
            role,
            org: org.map(OrgId::new),
        }
    }

    #[test]
    fn the_rule_for_each_role_and_visibility() {
        let (a, b) = (OrgId::new("a"), OrgId::new("b"));
        use Visibility::*;
        let cases = [
            (p(Role::Admin, None), [false, true, true, true]),
            (p(Role::Manager, None), [false, true, true, true]),
            (p(Role::Broker, None), [false, true, true, true]),
            (p(Role::Member, Some("c")), [false, false, true, true]),
            (p(Role::Member, Some("a")), [true, true, true, true]),
            (p(Role::Funder, None), [false, false, false, true]),
        ];
        for (who, expected) in cases {
            for (vis, want) in [Private, Staff, Cluster, Public].into_iter().zip(expected) {
                assert_eq!(who.can_see(vis, &a, &b), want, "{who:?} {vis:?}");
                // The matching engine's viewer applies the same rule.
                if who.role != Role::Admin {
                    assert_eq!(
                        who.match_viewer().can_see(vis, &a, &b),
                        want,
                        "match viewer {who:?} {vis:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn passwords_verify_only_themselves() {
        let h = hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("correct horse batterY", &h));
        assert!(!verify_password("x", "not a hash"));
    }
}

/// A demo account and the password it was given.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DemoAccount {
    pub role: Role,
    pub username: String,
    pub password: String,
    pub org: Option<String>,
}

/// One account per role for a demo database, named after the role (`admin`, `manager`, ...).
/// Existing accounts of those names get the new password, so the printed credentials always
/// work. The member account acts for the firm with the most ties, private ones included, so
/// that the confidentiality rule has something to show.
pub async fn ensure_demo_accounts<S: Store>(
    store: &S,
    password_for: impl Fn(Role) -> String,
    now_rfc3339: &str,
) -> Result<Vec<DemoAccount>, AppError> {
    let data = store.dataset().await?;
    let mut ties_per_org: HashMap<&OrgId, (usize, usize)> = HashMap::new();
    for t in &data.ties {
        for org in [&t.from, &t.to] {
            let e = ties_per_org.entry(org).or_default();
            e.0 += 1;
            if t.visibility == Visibility::Private {
                e.1 += 1;
            }
        }
    }
    let member_org = data
        .organisations
        .iter()
        .filter(|o| o.kind == milieu_model::OrgKind::Firm)
        .filter_map(|o| ties_per_org.get(&o.id).map(|&(n, p)| (o, n, p)))
        .filter(|&(_, _, private)| private > 0)
        .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.id.cmp(&a.0.id)))
        .map(|(o, _, _)| o.id.to_string())
        .ok_or_else(|| {
            AppError::Usage(
                "the registry has no firm with a private tie to give the demo member account"
                    .into(),
            )
        })?;
    let mut out = Vec::new();
    for role in Role::ALL {
        let username = role.as_str().to_string();
        let password = password_for(role);
        let org = (role == Role::Member).then(|| member_org.clone());
        match store.user_get(&username).await? {
            Some(mut user) => {
                user.password_hash = hash_password(&password)?;
                user.role = role.as_str().to_string();
                user.org = org.clone();
                user.disabled = false;
                store.user_update(&user).await?;
            }
            None => {
                add_user(
                    store,
                    &username,
                    &password,
                    role,
                    org.as_deref(),
                    now_rfc3339,
                )
                .await?;
            }
        }
        out.push(DemoAccount {
            role,
            username,
            password,
            org,
        });
    }
    Ok(out)
}
