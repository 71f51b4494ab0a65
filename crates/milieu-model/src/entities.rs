//! The registry's records: organisations, people, affiliations, clusters, initiatives,
//! memberships, events, attendance, topic requests, projects, ties, introductions,
//! opportunities, outcomes and services, and `Dataset`, a batch of all of them.

use crate::{
    AttendanceRole, Classification, ClusterId, Date, EventId, EventKind, InitiativeId,
    IntroductionId, IntroductionStatus, MemberRole, Motivation, OpportunityId, OpportunityKind,
    OrgId, OrgKind, OutcomeId, OutcomeKind, PersonId, ProjectId, ProjectRole, SizeClass, Stage,
    TieId, TieKind, TieSource, TopicRequestId, Visibility,
};
use serde::{Deserialize, Serialize};
use std::fmt;

/// An industry code with the classification it belongs to, written `naics:541511` or
/// `nace:C26.1`; a bare code is NAICS when it is all digits, NACE when it starts with a section
/// letter.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SectorCode {
    pub classification: Classification,
    pub code: String,
}

impl SectorCode {
    pub fn parse(text: &str) -> Result<Self, String> {
        let t = text.trim();
        let (classification, code) = match t.split_once(':') {
            Some((scheme, code)) => (
                <Classification as crate::Vocabulary>::parse(scheme).map_err(|e| e.to_string())?,
                code.trim(),
            ),
            None if t.chars().next().is_some_and(|c| c.is_ascii_digit()) => {
                (Classification::Naics, t)
            }
            None => (Classification::Nace, t),
        };
        let ok = match classification {
            // NAICS: 2 to 6 digits, or a sector range such as 31-33.
            Classification::Naics => {
                let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
                (digits(code) && (2..=6).contains(&code.len()))
                    || code.split_once('-').is_some_and(|(a, b)| {
                        a.len() == 2 && b.len() == 2 && digits(a) && digits(b)
                    })
            }
            // NACE Rev. 2: a section letter A-U, optionally followed by a division, group and
            // class (C, C26, C26.1, C26.11).
            Classification::Nace => {
                let mut chars = code.chars();
                let section_ok = chars.next().is_some_and(|c| ('A'..='U').contains(&c));
                let rest: String = chars.collect();
                let digits: String = rest.chars().filter(|c| *c != '.').collect();
                section_ok
                    && digits.len() <= 4
                    && (rest.is_empty() || rest.len() >= 2)
                    && digits.chars().all(|c| c.is_ascii_digit())
                    && rest.matches('.').count() <= 1
                    && (!rest.contains('.') || rest.find('.') == Some(2))
            }
        };
        if ok {
            Ok(Self {
                classification,
                code: code.to_string(),
            })
        } else {
            Err(format!(
                "{t:?} is not a well-formed {} code (expected {})",
                classification,
                match classification {
                    Classification::Naics =>
                        "2 to 6 digits such as 541511, or a range such as 31-33",
                    Classification::Nace => "a section letter and up to 4 digits such as C26.11",
                }
            ))
        }
    }
}

impl fmt::Display for SectorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.classification, self.code)
    }
}

impl TryFrom<String> for SectorCode {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Self::parse(&s)
    }
}

impl From<SectorCode> for String {
    fn from(s: SectorCode) -> String {
        s.to_string()
    }
}

/// An organisation in the cluster's registry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Organisation {
    pub id: OrgId,
    pub name: String,
    pub kind: OrgKind,
    #[serde(default)]
    pub employees: Option<u32>,
    /// Given, or derived from `employees` by [`Organisation::effective_size_class`].
    #[serde(default)]
    pub size_class: Option<SizeClass>,
    #[serde(default)]
    pub sectors: Vec<SectorCode>,
    /// Region code (a NUTS, county FIPS or local code).
    #[serde(default)]
    pub region: Option<String>,
    /// ISO 3166-1 alpha-2 country code (EL and UK accepted as used by the EU).
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default)]
    pub city: Option<String>,
    #[serde(default)]
    pub lat: Option<f64>,
    #[serde(default)]
    pub lon: Option<f64>,
    #[serde(default)]
    pub founded: Option<Date>,
    /// The organisation this one was spun off from.
    #[serde(default)]
    pub parent: Option<OrgId>,
    #[serde(default)]
    pub acquired_by: Option<OrgId>,
    #[serde(default)]
    pub acquired_on: Option<Date>,
    #[serde(default)]
    pub stage: Option<Stage>,
    /// Countries served (ISO alpha-2), the international scope.
    #[serde(default)]
    pub countries_served: Vec<String>,
    /// Share of sales abroad, 0..=1: the international intensity.
    #[serde(default)]
    pub export_share: Option<f64>,
    #[serde(default)]
    pub description: String,
    /// What it offers to others (products, services, capabilities), free text.
    #[serde(default)]
    pub offers: String,
    /// What it looks for, free text.
    #[serde(default)]
    pub requests: String,
    #[serde(default)]
    pub keywords: Vec<String>,
    #[serde(default)]
    pub motivations: Vec<Motivation>,
}

impl Organisation {
    /// A minimal organisation; the other fields start empty.
    pub fn new(id: impl Into<String>, name: impl Into<String>, kind: OrgKind) -> Self {
        Self {
            id: OrgId::new(id),
            name: name.into(),
            kind,
            employees: None,
            size_class: None,
            sectors: Vec::new(),
            region: None,
            country: None,
            city: None,
            lat: None,
            lon: None,
            founded: None,
            parent: None,
            acquired_by: None,
            acquired_on: None,
            stage: None,
            countries_served: Vec::new(),
            export_share: None,
            description: String::new(),
            offers: String::new(),
            requests: String::new(),
            keywords: Vec::new(),
            motivations: Vec::new(),
        }
    }

    /// The size class: derived from the headcount when it is known, else the one given.
    pub fn effective_size_class(&self) -> Option<SizeClass> {
        self.employees
            .map(SizeClass::from_employees)
            .or(self.size_class)
    }
}

/// A person (an entrepreneur, researcher, broker).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Person {
    pub id: PersonId,
    pub name: String,
    #[serde(default)]
    pub email: Option<String>,
}

/// A person's affiliation with an organisation over a period; successive affiliations trace
/// labour mobility. `to = None` means ongoing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Affiliation {
    pub person: PersonId,
    pub org: OrgId,
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default)]
    pub from: Option<Date>,
    #[serde(default)]
    pub to: Option<Date>,
}

/// An industry cluster (as mapped from statistics or declared by the region).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cluster {
    pub id: ClusterId,
    pub name: String,
    #[serde(default)]
    pub region: Option<String>,
    #[serde(default)]
    pub sectors: Vec<SectorCode>,
    #[serde(default)]
    pub description: String,
}

/// A cluster initiative / cluster organisation: who runs it, what it wants.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Initiative {
    pub id: InitiativeId,
    pub name: String,
    #[serde(default)]
    pub cluster: Option<ClusterId>,
    #[serde(default)]
    pub region: Option<String>,
    #[serde(default)]
    pub started: Option<Date>,
    #[serde(default)]
    pub ended: Option<Date>,
    #[serde(default)]
    pub goals: Vec<String>,
}

/// An organisation's (and optionally one of its people's) membership of an initiative.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Membership {
    pub initiative: InitiativeId,
    pub org: OrgId,
    #[serde(default)]
    pub person: Option<PersonId>,
    pub role: MemberRole,
    #[serde(default)]
    pub from: Option<Date>,
    #[serde(default)]
    pub to: Option<Date>,
}

/// An event: networking meeting, workshop, brokerage event...
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub id: EventId,
    pub kind: EventKind,
    pub title: String,
    pub date: Date,
    #[serde(default)]
    pub end_date: Option<Date>,
    #[serde(default)]
    pub region: Option<String>,
    #[serde(default)]
    pub topics: Vec<String>,
    #[serde(default)]
    pub organiser: Option<OrgId>,
    #[serde(default)]
    pub initiative: Option<InitiativeId>,
}

/// Who attended an event: an organisation, a person, or a person on behalf of an organisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attendance {
    pub event: EventId,
    #[serde(default)]
    pub org: Option<OrgId>,
    #[serde(default)]
    pub person: Option<PersonId>,
    pub role: AttendanceRole,
}

/// A topic a member asks the cluster to hold an event on; members vote for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopicRequest {
    pub id: TopicRequestId,
    pub org: OrgId,
    pub topic: String,
    pub date: Date,
    #[serde(default)]
    pub initiative: Option<InitiativeId>,
    /// Organisations that voted for it (the requester's own vote is implied).
    #[serde(default)]
    pub votes: Vec<OrgId>,
}

/// A joint R&D or business project.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Project {
    pub id: ProjectId,
    pub title: String,
    #[serde(default)]
    pub start: Option<Date>,
    #[serde(default)]
    pub end: Option<Date>,
    /// Programme parts or topics (e.g. the H2020 programme part).
    #[serde(default)]
    pub topics: Vec<String>,
    #[serde(default)]
    pub budget: Option<f64>,
}

/// An organisation's participation in a project.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Participation {
    pub project: ProjectId,
    pub org: OrgId,
    pub role: ProjectRole,
    #[serde(default)]
    pub contribution: Option<f64>,
}

/// A tie between two organisations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tie {
    pub id: TieId,
    pub from: OrgId,
    pub to: OrgId,
    pub kind: TieKind,
    pub start: Date,
    #[serde(default)]
    pub end: Option<Date>,
    /// 1 (weak) to 5 (strong).
    #[serde(default)]
    pub strength: Option<u8>,
    /// 1 (none) to 5 (full).
    #[serde(default)]
    pub trust: Option<u8>,
    pub source: TieSource,
    #[serde(default)]
    pub event: Option<EventId>,
    #[serde(default)]
    pub introduction: Option<IntroductionId>,
    pub visibility: Visibility,
    #[serde(default)]
    pub note: String,
}

impl Tie {
    /// The id a tie gets when its file gives none: stable for the same parties, kind and start,
    /// so importing the same tie twice is caught as a duplicate.
    pub fn derived_id(from: &OrgId, to: &OrgId, kind: TieKind, start: Date) -> TieId {
        TieId::new(format!("{from}~{to}~{kind}~{start}"))
    }

    /// Whether the tie is in force on a date (start inclusive, end exclusive).
    pub fn active_on(&self, date: Date) -> bool {
        self.start <= date && self.end.is_none_or(|end| date < end)
    }
}

/// A broker's introduction of one organisation to another, possibly via a third.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Introduction {
    pub id: IntroductionId,
    pub from: OrgId,
    pub to: OrgId,
    #[serde(default)]
    pub via: Option<OrgId>,
    /// The broker who made it.
    #[serde(default)]
    pub broker: Option<PersonId>,
    pub date: Date,
    pub status: IntroductionStatus,
    #[serde(default)]
    pub note: String,
    pub visibility: Visibility,
}

/// Who an opportunity is open to; empty lists mean no restriction.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Eligibility {
    #[serde(default)]
    pub kinds: Vec<OrgKind>,
    #[serde(default)]
    pub size_classes: Vec<SizeClass>,
    #[serde(default)]
    pub countries: Vec<String>,
    #[serde(default)]
    pub sectors: Vec<SectorCode>,
}

/// A call, tender, trade mission, buyer or partner request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Opportunity {
    pub id: OpportunityId,
    pub kind: OpportunityKind,
    pub title: String,
    #[serde(default)]
    pub text: String,
    /// Countries the opportunity concerns (target markets, partner countries).
    #[serde(default)]
    pub countries: Vec<String>,
    #[serde(default)]
    pub sectors: Vec<SectorCode>,
    #[serde(default)]
    pub deadline: Option<Date>,
    #[serde(default)]
    pub eligibility: Eligibility,
    #[serde(default)]
    pub url: Option<String>,
}

/// What came of a tie, a meeting at an event or an introduction, for one organisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    pub id: OutcomeId,
    pub org: OrgId,
    pub kind: OutcomeKind,
    pub date: Date,
    #[serde(default)]
    pub partner: Option<OrgId>,
    #[serde(default)]
    pub tie: Option<TieId>,
    #[serde(default)]
    pub event: Option<EventId>,
    #[serde(default)]
    pub introduction: Option<IntroductionId>,
    /// Value in EUR where one is known (a sale, a contract).
    #[serde(default)]
    pub value: Option<f64>,
    #[serde(default)]
    pub note: String,
    pub visibility: Visibility,
}

/// A whole registry, or a batch of records to import, in plain vectors (the unit the demo
/// generator produces, importers fill and exporters write).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Dataset {
    #[serde(default)]
    pub organisations: Vec<Organisation>,
    #[serde(default)]
    pub people: Vec<Person>,
    #[serde(default)]
    pub affiliations: Vec<Affiliation>,
    #[serde(default)]
    pub clusters: Vec<Cluster>,
    #[serde(default)]
    pub initiatives: Vec<Initiative>,
    #[serde(default)]
    pub memberships: Vec<Membership>,
    #[serde(default)]
    pub events: Vec<Event>,
    #[serde(default)]
    pub attendance: Vec<Attendance>,
    #[serde(default)]
    pub topic_requests: Vec<TopicRequest>,
    #[serde(default)]
    pub projects: Vec<Project>,
    #[serde(default)]
    pub participations: Vec<Participation>,
    #[serde(default)]
    pub ties: Vec<Tie>,
    #[serde(default)]
    pub introductions: Vec<Introduction>,
    #[serde(default)]
    pub opportunities: Vec<Opportunity>,
    #[serde(default)]
    pub outcomes: Vec<Outcome>,
}

impl Dataset {
    /// Number of records of each kind, in [`crate::EntityKind::ALL`] order.
    pub fn counts(&self) -> Vec<(crate::EntityKind, usize)> {
        use crate::EntityKind as K;
        vec![
            (K::Organisation, self.organisations.len()),
            (K::Person, self.people.len()),
            (K::Affiliation, self.affiliations.len()),
            (K::Cluster, self.clusters.len()),
            (K::Initiative, self.initiatives.len()),
            (K::Membership, self.memberships.len()),
            (K::Event, self.events.len()),
            (K::Attendance, self.attendance.len()),
            (K::TopicRequest, self.topic_requests.len()),
            (K::Project, self.projects.len()),
            (K::Participation, self.participations.len()),
            (K::Tie, self.ties.len()),
            (K::Introduction, self.introductions.len()),
            (K::Opportunity, self.opportunities.len()),
            (K::Outcome, self.outcomes.len()),
        ]
    }

    pub fn is_empty(&self) -> bool {
        self.counts().iter().all(|(_, n)| *n == 0)
    }
}
