//! Closed vocabularies (`Vocabulary`): every kind, role and status word with one stable
//! snake_case spelling; parsing lists the accepted words on error.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A closed list of words with one stable spelling each (snake_case).
pub trait Vocabulary: Sized + Copy + 'static {
    /// What the word names, for error messages ("organisation kind").
    const WHAT: &'static str;
    /// Every accepted value, in their stable spelling.
    const ALL: &'static [Self];
    fn as_str(self) -> &'static str;

    /// Parses the stable spelling; case, spaces and hyphens are forgiven ("Research institute").
    fn parse(text: &str) -> Result<Self, VocabError> {
        let norm: String = text
            .trim()
            .chars()
            .map(|c| match c {
                ' ' | '-' => '_',
                c => c.to_ascii_lowercase(),
            })
            .collect();
        Self::ALL
            .iter()
            .copied()
            .find(|v| v.as_str() == norm)
            .ok_or_else(|| VocabError {
                what: Self::WHAT,
                value: text.to_string(),
                expected: Self::ALL.iter().map(|v| v.as_str()).collect(),
            })
    }
}

/// A word that is not in its vocabulary; says which words are.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{value:?} is not a valid {what}; expected one of: {}", expected.join(", "))]
pub struct VocabError {
    pub what: &'static str,
    pub value: String,
    pub expected: Vec<&'static str>,
}

impl crate::ErrorCode for VocabError {
    fn error_code(&self) -> crate::Code {
        VocabError::CODE
    }
}

impl VocabError {
    /// The one code of a word outside its vocabulary.
    pub const CODE: crate::Code = crate::Code::new("model.unknown_word", 400);
    /// Every code this type can emit.
    pub const ALL_CODES: &'static [crate::Code] = &[VocabError::CODE];
}

macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident, $what:literal { $($variant:ident => $text:literal),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name { $(#[serde(rename = $text)] $variant),* }

        impl Vocabulary for $name {
            const WHAT: &'static str = $what;
            const ALL: &'static [Self] = &[$(Self::$variant),*];
            fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $text),* }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = VocabError;
            fn from_str(s: &str) -> Result<Self, VocabError> {
                <Self as Vocabulary>::parse(s)
            }
        }
    };
}

vocabulary!(
    /// What an organisation is.
    OrgKind, "organisation kind" {
        Firm => "firm", University => "university", ResearchInstitute => "research_institute",
        Agency => "agency", Investor => "investor", Association => "association", Other => "other",
    }
);

vocabulary!(
    /// EU size classes (Commission Recommendation 2003/361/EC, by headcount).
    SizeClass, "size class" { Micro => "micro", Small => "small", Medium => "medium", Large => "large" }
);

impl SizeClass {
    /// Micro < 10, small < 50, medium < 250 employees, large otherwise.
    pub fn from_employees(employees: u32) -> Self {
        match employees {
            0..=9 => Self::Micro,
            10..=49 => Self::Small,
            50..=249 => Self::Medium,
            _ => Self::Large,
        }
    }
}

vocabulary!(
    /// Development stage of a firm.
    Stage, "stage" { StartUp => "start_up", Growth => "growth", Mature => "mature" }
);

vocabulary!(
    /// Why a member joined the cluster (what it hopes to get).
    Motivation, "motivation" {
        Leads => "leads", Alliances => "alliances", Information => "information", PeerSupport => "peer_support",
    }
);

vocabulary!(
    /// Industry classification a sector code belongs to.
    Classification, "classification" { Naics => "naics", Nace => "nace" }
);

vocabulary!(
    /// Role of a member in a cluster initiative.
    MemberRole, "membership role" {
        Member => "member", Board => "board", Secretariat => "secretariat", Broker => "broker",
    }
);

vocabulary!(
    /// Kind of event.
    EventKind, "event kind" {
        NetworkingMeeting => "networking_meeting", Workshop => "workshop", Conference => "conference",
        TradeFair => "trade_fair", BrokerageEvent => "brokerage_event", DelegationVisit => "delegation_visit",
        LearningCircle => "learning_circle", Other => "other",
    }
);

vocabulary!(
    /// Role at an event.
    AttendanceRole, "attendance role" { Attendee => "attendee", Speaker => "speaker", Organiser => "organiser" }
);

vocabulary!(
    /// Role in a project.
    ProjectRole, "project role" {
        Coordinator => "coordinator", Participant => "participant", Partner => "partner", Other => "other",
    }
);

vocabulary!(
    /// What a tie between two organisations carries.
    TieKind, "tie kind" {
        Lead => "lead", Sale => "sale", Alliance => "alliance", JointProject => "joint_project",
        Supplier => "supplier", Customer => "customer", Knowledge => "knowledge", Advice => "advice",
        RnD => "rnd", SpinOff => "spin_off", StaffMove => "staff_move", Other => "other",
    }
);

vocabulary!(
    /// Where a tie's record comes from.
    TieSource, "tie source" {
        Event => "event", Introduction => "introduction", SelfReport => "self_report",
        Observed => "observed", Import => "import",
    }
);

vocabulary!(
    /// Who may see a tie (or an introduction, an outcome): the two parties only, the cluster
    /// staff as well, every member of the cluster as well, or everyone.
    Visibility, "visibility" {
        Private => "private", Staff => "staff", Cluster => "cluster", Public => "public",
    }
);

vocabulary!(
    /// Where a broker's introduction stands.
    IntroductionStatus, "introduction status" {
        Proposed => "proposed", Made => "made", Met => "met", Declined => "declined", Closed => "closed",
    }
);

vocabulary!(
    /// Kind of opportunity.
    OpportunityKind, "opportunity kind" {
        Call => "call", Tender => "tender", TradeMission => "trade_mission",
        BuyerRequest => "buyer_request", PartnerRequest => "partner_request",
    }
);

vocabulary!(
    /// What came of a meeting, an introduction or a tie.
    OutcomeKind, "outcome kind" {
        Lead => "lead", Sale => "sale", Agreement => "agreement", JointProject => "joint_project",
        KnowledgeGained => "knowledge_gained", Advice => "advice", ContactKept => "contact_kept",
        NothingYet => "nothing_yet",
    }
);
