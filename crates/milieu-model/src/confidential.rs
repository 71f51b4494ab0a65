//! Confidential records and who may see them, as the engines take it.
//!
//! Ties, introductions and outcomes carry a [`Visibility`] and are *between* organisations,
//! their parties ([`Confidential::parties`]). Whether a reader may see one is decided in one
//! place: the reader's [`Audience`], whose only implementation for people is milieu-app's
//! `Principal` (the rule by role lives there, next to the roles). The analytics crates take an
//! `&dyn Audience` and never decide visibility themselves, so the rule cannot drift between
//! them.
//!
//! The shape of the rule is fixed here: a party sees its records whatever their visibility;
//! anyone else sees them by level ([`Audience::sees_level`]).

use crate::{Introduction, OrgId, Outcome, Tie, Visibility};

/// A reader of confidential records.
pub trait Audience: Sync {
    /// Whether the reader acts for `org`, so sees every record `org` is a party to.
    fn acts_for(&self, org: &OrgId) -> bool;

    /// Whether the reader sees records of `visibility` it is not a party to.
    fn sees_level(&self, visibility: Visibility) -> bool;

    /// Whether the reader may see a record of `visibility` between `parties`.
    fn can_see_between(&self, visibility: Visibility, parties: &[&OrgId]) -> bool {
        self.sees_level(visibility) || parties.iter().any(|org| self.acts_for(org))
    }
}

/// Reads every record: for computations on a whole registry that no account is shown
/// (benchmarks on public data such as CORDIS, the engines' own tests). Never hand its results
/// to a user.
#[derive(Debug, Clone, Copy, Default)]
pub struct WholeRegistry;

impl Audience for WholeRegistry {
    fn acts_for(&self, _org: &OrgId) -> bool {
        true
    }

    fn sees_level(&self, _visibility: Visibility) -> bool {
        true
    }
}

/// A record with a visibility, between organisations.
pub trait Confidential {
    fn visibility(&self) -> Visibility;

    /// The organisations the record is between; each sees it whatever its visibility.
    fn parties(&self) -> [Option<&OrgId>; 3];

    /// Whether `audience` may see this record.
    fn visible_to(&self, audience: &dyn Audience) -> bool {
        audience.sees_level(self.visibility())
            || self
                .parties()
                .into_iter()
                .flatten()
                .any(|org| audience.acts_for(org))
    }
}

impl Confidential for Tie {
    fn visibility(&self) -> Visibility {
        self.visibility
    }

    fn parties(&self) -> [Option<&OrgId>; 3] {
        [Some(&self.from), Some(&self.to), None]
    }
}

/// The organisation an introduction went via is a party to it: it is asked for its consent
/// (the brokerage cycle), so it sees the introduction whatever its visibility.
impl Confidential for Introduction {
    fn visibility(&self) -> Visibility {
        self.visibility
    }

    fn parties(&self) -> [Option<&OrgId>; 3] {
        [Some(&self.from), Some(&self.to), self.via.as_ref()]
    }
}

/// An outcome is between its organisation and its partner, if it names one.
impl Confidential for Outcome {
    fn visibility(&self) -> Visibility {
        self.visibility
    }

    fn parties(&self) -> [Option<&OrgId>; 3] {
        [Some(&self.org), self.partner.as_ref(), None]
    }
}
