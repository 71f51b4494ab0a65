//! Single-record rules (`Validate`: dates in order, codes well formed, ranges) and the ids a
//! record points to (`References`), per kind of record (`EntityKind`).

use crate::*;

/// Every kind of record the registry holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntityKind {
    Organisation,
    Person,
    Affiliation,
    Cluster,
    Initiative,
    Membership,
    Event,
    Attendance,
    TopicRequest,
    Project,
    Participation,
    Tie,
    Introduction,
    Opportunity,
    Outcome,
}

impl EntityKind {
    pub const ALL: &'static [EntityKind] = &[
        Self::Organisation,
        Self::Person,
        Self::Affiliation,
        Self::Cluster,
        Self::Initiative,
        Self::Membership,
        Self::Event,
        Self::Attendance,
        Self::TopicRequest,
        Self::Project,
        Self::Participation,
        Self::Tie,
        Self::Introduction,
        Self::Opportunity,
        Self::Outcome,
    ];

    /// The plural name used on the command line and in file names (`organisations`).
    pub fn plural(self) -> &'static str {
        match self {
            Self::Organisation => "organisations",
            Self::Person => "people",
            Self::Affiliation => "affiliations",
            Self::Cluster => "clusters",
            Self::Initiative => "initiatives",
            Self::Membership => "memberships",
            Self::Event => "events",
            Self::Attendance => "attendance",
            Self::TopicRequest => "topic_requests",
            Self::Project => "projects",
            Self::Participation => "participations",
            Self::Tie => "ties",
            Self::Introduction => "introductions",
            Self::Opportunity => "opportunities",
            Self::Outcome => "outcomes",
        }
    }

    pub fn singular(self) -> &'static str {
        match self {
            Self::Organisation => "organisation",
            Self::Person => "person",
            Self::Affiliation => "affiliation",
            Self::Cluster => "cluster",
            Self::Initiative => "initiative",
            Self::Membership => "membership",
            Self::Event => "event",
            Self::Attendance => "attendance",
            Self::TopicRequest => "topic request",
            Self::Project => "project",
            Self::Participation => "participation",
            Self::Tie => "tie",
            Self::Introduction => "introduction",
            Self::Opportunity => "opportunity",
            Self::Outcome => "outcome",
        }
    }

    pub fn from_plural(name: &str) -> Option<Self> {
        let n = name.trim().to_ascii_lowercase().replace('-', "_");
        Self::ALL
            .iter()
            .copied()
            .find(|k| k.plural() == n || k.singular().replace(' ', "_") == n)
    }
}

/// A field of one record that breaks a rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub value: String,
    pub expected: String,
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "field {}: value {:?}: expected {}",
            self.field, self.value, self.expected
        )
    }
}

/// An id a record points to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub field: &'static str,
    pub kind: EntityKind,
    pub id: String,
}

/// Rules a record can check alone: dates in order, codes well formed, values in range.
pub trait Validate {
    fn validate(&self) -> Vec<FieldError>;
}

/// The ids a record points to, to be checked against the store and the batch being imported.
pub trait References {
    fn references(&self) -> Vec<Reference>;
}

fn err(field: &'static str, value: impl ToString, expected: impl Into<String>) -> FieldError {
    FieldError {
        field,
        value: value.to_string(),
        expected: expected.into(),
    }
}

struct Checks(Vec<FieldError>);

impl Checks {
    fn new() -> Self {
        Self(Vec::new())
    }
    fn id(&mut self, field: &'static str, id: &str) {
        if let Err(e) = check_id(id) {
            self.0.push(err(field, id, e));
        }
    }
    fn text(&mut self, field: &'static str, text: &str) {
        if text.trim().is_empty() {
            self.0.push(err(field, text, "a non-empty text"));
        }
    }
    fn order(&mut self, field: &'static str, from: Option<Date>, to: Option<Date>) {
        if let (Some(a), Some(b)) = (from, to)
            && b < a
        {
            self.0
                .push(err(field, b, format!("a date on or after {a}")));
        }
    }
    fn country(&mut self, field: &'static str, code: &str) {
        if !is_country_code(code) {
            self.0.push(err(
                field,
                code,
                "an ISO 3166-1 alpha-2 country code such as DE, FR, US",
            ));
        }
    }
    fn scale(&mut self, field: &'static str, v: Option<u8>) {
        if let Some(v) = v
            && !(1..=5).contains(&v)
        {
            self.0.push(err(field, v, "an integer from 1 to 5"));
        }
    }
    fn share(&mut self, field: &'static str, v: Option<f64>) {
        if let Some(v) = v
            && !(0.0..=1.0).contains(&v)
        {
            self.0.push(err(field, v, "a share between 0 and 1"));
        }
    }
    fn nonneg(&mut self, field: &'static str, v: Option<f64>) {
        if let Some(v) = v
            && !(v.is_finite() && v >= 0.0)
        {
            self.0.push(err(field, v, "a non-negative number"));
        }
    }
    fn done(self) -> Vec<FieldError> {
        self.0
    }
}

/// Two upper-case ASCII letters (ISO 3166-1 alpha-2; EL and UK as the EU writes them).
pub fn is_country_code(code: &str) -> bool {
    code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase())
}

impl Validate for Organisation {
    fn validate(&self) -> Vec<FieldError> {
        let mut c = Checks::new();
        c.id("id", self.id.as_str());
        c.text("name", &self.name);
        if let Some(country) = &self.country {
            c.country("country", country);
        }
        for country in &self.countries_served {
            c.country("countries_served", country);
        }
        c.share("export_share", self.export_share);
        if let Some(lat) = self.lat
            && !(-90.0..=90.0).contains(&lat)
        {
            c.0.push(err("lat", lat, "a latitude between -90 and 90"));
        }
        if let Some(lon) = self.lon
            && !(-180.0..=180.0).contains(&lon)
        {
            c.0.push(err("lon", lon, "a longitude between -180 and 180"));
        }
        if self.lat.is_some() != self.lon.is_some() {
            c.0.push(err("lat/lon", "", "both coordinates or neither"));
        }
        if let (Some(e), Some(given)) = (self.employees, self.size_class)
            && SizeClass::from_employees(e) != given
        {
            c.0.push(err(
                "size_class",
                given,
                format!(
                    "{} for {e} employees (or leave size_class empty)",
                    SizeClass::from_employees(e)
                ),
            ));
        }
        if self.parent.as_ref() == Some(&self.id) {
            c.0.push(err("parent", &self.id, "another organisation than itself"));
        }
        if self.acquired_by.as_ref() == Some(&self.id) {
            c.0.push(err(
                "acquired_by",
                &self.id,
                "another organisation than itself",
            ));
        }
        if self.acquired_on.is_some() && self.acquired_by.is_none() {
            c.0.push(err(
                "acquired_on",
                self.acquired_on.map(|d| d.to_string()).unwrap_or_default(),
                "acquired_by to be given as well",
            ));
        }
        c.order("acquired_on", self.founded, self.acquired_on);
        c.done()
    }
}

impl References for Organisation {
    fn references(&self) -> Vec<Reference> {
        let mut r = Vec::new();
        if let Some(p) = &self.parent {
            r.push(Reference {
                field: "parent",
                kind: EntityKind::Organisation,
                id: p.0.clone(),
            });
        }
        if let Some(p) = &self.acquired_by {
            r.push(Reference {
                field: "acquired_by",
                kind: EntityKind::Organisation,
                id: p.0.clone(),
            });
        }
        r
    }
}

macro_rules! refs {
    ($self:ident; $($field:ident : $kind:ident),* ; opt $($ofield:ident : $okind:ident),*) => {{
        #[allow(unused_mut)]
        let mut r = vec![$(Reference { field: stringify!($field), kind: EntityKind::$kind, id: $self.$field.0.clone() }),*];
        $(if let Some(v) = &$self.$ofield {
            r.push(Reference { field: stringify!($ofield), kind: EntityKind::$okind, id: v.0.clone() });
        })*
        r
    }};
}

impl Validate for Person {
    fn validate(&self) -> Vec<FieldError> {
        let mut c = Checks::new();
        c.id("id", self.id.as_str());
        c.text("name", &self.name);
        if let Some(email) = &self.email
            && !email.contains('@')
        {
            c.0.push(err("email", email, "an e-mail address"));
        }
        c.done()
    }
}
impl References for Person {
    fn references(&self) -> Vec<Reference> {
        Vec::new()
    }
}

impl Validate for Affiliation {
    fn validate(&self) -> Vec<FieldError> {
        let mut c = Checks::new();
        c.order("to", self.from, self.to);
        c.done()
    }
}
impl References for Affiliation {
    fn references(&self) -> Vec<Reference> {
        refs!(self; person: Person, org: Organisation; opt)
    }
}

impl Validate for Cluster {
    fn validate(&self) -> Vec<FieldError> {
        let mut c = Checks::new();
        c.id("id", self.id.as_str());
        c.text("name", &self.name);
        c.done()
    }
}
impl References for Cluster {
    fn references(&self) -> Vec<Reference> {
        Vec::new()
    }
}

impl Validate for Initiative {
    fn validate(&self) -> Vec<FieldError> {
        let mut c = Checks::new();
        c.id("id", self.id.as_str());
        c.text("name", &self.name);
        c.order("ended", self.started, self.ended);
        c.done()
    }
}
impl References for Initiative {
    fn references(&self) -> Vec<Reference> {
        refs!(self; ; opt cluster: Cluster)
    }
}

impl Validate for Membership {
    fn validate(&self) -> Vec<FieldError> {
        let mut c = Checks::new();
        c.order("to", self.from, self.to);
        c.done()
    }
}
impl References for Membership {
    fn references(&self) -> Vec<Reference> {
        refs!(self; initiative: Initiative, org: Organisation; opt person: Person)
    }
}

impl Validate for Event {
    fn validate(&self) -> Vec<FieldError> {
        let mut c = Checks::new();
        c.id("id", self.id.as_str());
        c.text("title", &self.title);
        c.order("end_date", Some(self.date), self.end_date);
        c.done()
    }
}
impl References for Event {
    fn references(&self) -> Vec<Reference> {
        refs!(self; ; opt organiser: Organisation, initiative: Initiative)
    }
}

impl Validate for Attendance {
    fn validate(&self) -> Vec<FieldError> {
        let mut c = Checks::new();
        if self.org.is_none() && self.person.is_none() {
            c.0.push(err(
                "org_id/person_id",
                "",
                "an organisation, a person or both",
            ));
        }
        c.done()
    }
}
impl References for Attendance {
    fn references(&self) -> Vec<Reference> {
        refs!(self; event: Event; opt org: Organisation, person: Person)
    }
}

impl Validate for TopicRequest {
    fn validate(&self) -> Vec<FieldError> {
        let mut c = Checks::new();
        c.id("id", self.id.as_str());
        c.text("topic", &self.topic);
        c.done()
    }
}
impl References for TopicRequest {
    fn references(&self) -> Vec<Reference> {
        let mut r = refs!(self; org: Organisation; opt initiative: Initiative);
        r.extend(self.votes.iter().map(|v| Reference {
            field: "votes",
            kind: EntityKind::Organisation,
            id: v.0.clone(),
        }));
        r
    }
}

impl Validate for Project {
    fn validate(&self) -> Vec<FieldError> {
        let mut c = Checks::new();
        c.id("id", self.id.as_str());
        c.text("title", &self.title);
        c.order("end", self.start, self.end);
        c.nonneg("budget", self.budget);
        c.done()
    }
}
impl References for Project {
    fn references(&self) -> Vec<Reference> {
        Vec::new()
    }
}

impl Validate for Participation {
    fn validate(&self) -> Vec<FieldError> {
        let mut c = Checks::new();
        c.nonneg("contribution", self.contribution);
        c.done()
    }
}
impl References for Participation {
    fn references(&self) -> Vec<Reference> {
        refs!(self; project: Project, org: Organisation; opt)
    }
}

impl Validate for Tie {
    fn validate(&self) -> Vec<FieldError> {
        let mut c = Checks::new();
        c.id("id", self.id.as_str());
        if self.from == self.to {
            c.0.push(err("to_id", &self.to, "another organisation than from_id"));
        }
        c.order("end", Some(self.start), self.end);
        c.scale("strength", self.strength);
        c.scale("trust", self.trust);
        if self.source == TieSource::Event && self.event.is_none() {
            c.0.push(err(
                "event_id",
                "",
                "the event the tie came from (source is event)",
            ));
        }
        if self.source == TieSource::Introduction && self.introduction.is_none() {
            c.0.push(err(
                "introduction_id",
                "",
                "the introduction the tie came from (source is introduction)",
            ));
        }
        c.done()
    }
}
impl References for Tie {
    fn references(&self) -> Vec<Reference> {
        refs!(self; from: Organisation, to: Organisation; opt event: Event, introduction: Introduction)
    }
}

impl Validate for Introduction {
    fn validate(&self) -> Vec<FieldError> {
        let mut c = Checks::new();
        c.id("id", self.id.as_str());
        if self.from == self.to {
            c.0.push(err("to", &self.to, "another organisation than from"));
        }
        if self
            .via
            .as_ref()
            .is_some_and(|v| *v == self.from || *v == self.to)
        {
            c.0.push(err(
                "via",
                self.via.as_ref().map(|v| v.0.clone()).unwrap_or_default(),
                "a third organisation, not one of the two introduced",
            ));
        }
        c.done()
    }
}
impl References for Introduction {
    fn references(&self) -> Vec<Reference> {
        refs!(self; from: Organisation, to: Organisation; opt via: Organisation, broker: Person)
    }
}

impl Validate for Opportunity {
    fn validate(&self) -> Vec<FieldError> {
        let mut c = Checks::new();
        c.id("id", self.id.as_str());
        c.text("title", &self.title);
        for country in self.countries.iter().chain(&self.eligibility.countries) {
            c.country("countries", country);
        }
        c.done()
    }
}
impl References for Opportunity {
    fn references(&self) -> Vec<Reference> {
        Vec::new()
    }
}

impl Validate for Outcome {
    fn validate(&self) -> Vec<FieldError> {
        let mut c = Checks::new();
        c.id("id", self.id.as_str());
        c.nonneg("value", self.value);
        if self.partner.as_ref() == Some(&self.org) {
            c.0.push(err("partner", &self.org, "another organisation than org"));
        }
        c.done()
    }
}
impl References for Outcome {
    fn references(&self) -> Vec<Reference> {
        refs!(self; org: Organisation; opt partner: Organisation, tie: Tie, event: Event, introduction: Introduction)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sector_codes_are_checked() {
        assert!(SectorCode::parse("541511").is_ok());
        assert!(SectorCode::parse("31-33").is_ok());
        assert_eq!(
            SectorCode::parse("nace:C26.11").unwrap().classification,
            Classification::Nace
        );
        assert!(SectorCode::parse("C26").is_ok());
        assert!(SectorCode::parse("5415111").is_err());
        assert!(SectorCode::parse("Z12").is_err());
        assert!(SectorCode::parse("naics:ab").is_err());
    }

    #[test]
    fn size_class_is_derived_from_headcount() {
        let mut o = Organisation::new("o1", "Acme", OrgKind::Firm);
        o.employees = Some(12);
        assert_eq!(o.effective_size_class(), Some(SizeClass::Small));
        o.size_class = Some(SizeClass::Large);
        assert_eq!(o.validate()[0].field, "size_class");
    }

    #[test]
    fn tie_dates_must_be_in_order() {
        let d = |s| parse_date(s).unwrap();
        let tie = Tie {
            id: TieId::new("t"),
            from: OrgId::new("a"),
            to: OrgId::new("b"),
            kind: TieKind::Alliance,
            start: d("2024-05-01"),
            end: Some(d("2023-01-01")),
            strength: Some(6),
            trust: None,
            source: TieSource::SelfReport,
            event: None,
            introduction: None,
            visibility: Visibility::Private,
            note: String::new(),
        };
        let fields: Vec<_> = tie.validate().iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["end", "strength"]);
        assert!(!tie.active_on(d("2025-01-01")));
    }

    #[test]
    fn vocabulary_error_lists_accepted_values() {
        let e = OrgKind::parse("bank").unwrap_err();
        assert!(e.to_string().contains("research_institute"));
        assert_eq!(
            OrgKind::parse("Research institute"),
            Ok(OrgKind::ResearchInstitute)
        );
    }

    #[test]
    fn serde_spelling_is_the_vocabulary_spelling() {
        fn check<T: Vocabulary + serde::Serialize>() {
            for v in T::ALL {
                let json = serde_json::to_string(v).unwrap();
                assert_eq!(json, format!("\"{}\"", v.as_str()));
            }
        }
        check::<TieKind>();
        check::<OrgKind>();
        check::<EventKind>();
        check::<OutcomeKind>();
        check::<Stage>();
    }

    #[test]
    fn dates_accept_year_and_month() {
        assert_eq!(parse_date("2019"), Date::from_ymd_opt(2019, 1, 1));
        assert_eq!(parse_date("2019-07"), Date::from_ymd_opt(2019, 7, 1));
        assert_eq!(parse_date("2019-02-30"), None);
        assert_eq!(parse_date("19"), None);
    }
}
