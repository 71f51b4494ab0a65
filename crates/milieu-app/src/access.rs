//! Who may see what: accounts, roles and the confidentiality rule, in one place below every
//! interface (the web server's pages and JSON API both read the registry through [`View`]).
//!
//! The rule, for records that carry a [`Visibility`] (ties, introductions, outcomes):
//! - `private`: the parties only (a member account of one of them);
//! - `staff`: the parties and the cluster team (administrator, manager, broker);
//! - `cluster`: the parties, the team and every member account;
//! - `public`: everyone logged in, funders included.
//!
//! A record's parties are its organisations ([`milieu_model::Confidential::parties`]): a tie's
//! two ends, an outcome's organisation and partner, an introduction's two sides and the
//! organisation it went via (asked for its consent in the brokerage cycle, so a party to it).
//!
//! No role sees another organisation's `private` records: not even an administrator, whose
//! extra power is over accounts, not over firms' confidences. Organisations' directory entries
//! (name, kind, sectors, offers, requests) are visible to every account. Funders see public
//! records and aggregates; an aggregate never breaks a count down to a single organisation.
//!
//! The rule is written once, as [`Principal`]'s [`Audience`] implementation. The engines take
//! the principal as an `&dyn Audience` (milieu-match's context, `net::build_graph`), and
//! [`View`] hands out only what it lets through, with references to hidden records removed.

mod view;

pub use view::{Snapshot, SnapshotCache, View};

use crate::AppError;
use milieu_model::{Audience, Confidential, OrgId, Organisation, Visibility};
use milieu_store::{Store, UserRecord};
use std::collections::HashMap;

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
        self.can_see_between(visibility, &[a, b])
    }

    /// Whether the account may see a tie, an introduction or an outcome (the rule, with the
    /// record's own parties: an introduction's `via` organisation is one).
    pub fn may_see(&self, record: &impl Confidential) -> bool {
        record.visible_to(self)
    }

    /// May see the private side of an organisation: its leads (opportunity routing, partner
    /// suggestions) and follow-up answers. The organisation's own accounts and the team.
    pub fn can_see_leads_of(&self, org: &OrgId) -> bool {
        self.acts_for(org) || self.role.is_staff()
    }

    /// The organisation of a member account.
    pub fn member_org(&self) -> Option<&OrgId> {
        self.org.as_ref().filter(|_| self.role == Role::Member)
    }

    /// The cluster team as the command line acts: whoever runs `milieu` on the database is
    /// staff (a manager), so sees everything but the firms' private records.
    pub fn cluster_team() -> Principal {
        Principal {
            username: String::new(),
            role: Role::Manager,
            org: None,
        }
    }

    /// A member account of `org` (`--as-org`: what that member would be shown).
    pub fn member_of(org: OrgId) -> Principal {
        Principal {
            username: String::new(),
            role: Role::Member,
            org: Some(org),
        }
    }
}

/// The rule itself (module docs): a party sees its records; the rest by role and level.
impl Audience for Principal {
    fn acts_for(&self, org: &OrgId) -> bool {
        Principal::acts_for(self, org)
    }

    fn sees_level(&self, visibility: Visibility) -> bool {
        match visibility {
            Visibility::Public => true,
            Visibility::Cluster => self.role != Role::Funder,
            Visibility::Staff => self.role.is_staff(),
            Visibility::Private => false,
        }
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
