//! Strict CSV readers for every record kind. The columns of each kind are in [`columns`];
//! docs/formats.md shows an example of each.

use crate::{InputError, Located, LocatedDataset, Position};
use milieu_model::*;
use std::collections::HashMap;
use std::io::Read;

/// The columns a kind's CSV must have, and those it may have.
pub struct Columns {
    pub required: &'static [&'static str],
    pub optional: &'static [&'static str],
}

/// The CSV columns of each record kind.
pub fn columns(kind: EntityKind) -> Columns {
    let (required, optional): (&[&str], &[&str]) = match kind {
        EntityKind::Organisation => (
            &["id", "name", "kind", "region", "country", "sectors"],
            &[
                "employees",
                "size_class",
                "city",
                "lat",
                "lon",
                "founded",
                "parent_id",
                "acquired_by",
                "acquired_on",
                "stage",
                "countries_served",
                "export_share",
                "description",
                "offers",
                "requests",
                "keywords",
                "motivations",
            ],
        ),
        EntityKind::Person => (&["id", "name"], &["email"]),
        EntityKind::Affiliation => (&["person_id", "org_id", "from", "to"], &["role"]),
        EntityKind::Cluster => (&["id", "name"], &["region", "sectors", "description"]),
        EntityKind::Initiative => (
            &["id", "name"],
            &["cluster_id", "region", "started", "ended", "goals"],
        ),
        EntityKind::Membership => (
            &["initiative_id", "org_id", "role"],
            &["person_id", "from", "to"],
        ),
        EntityKind::Event => (
            &["id", "kind", "title", "date"],
            &[
                "end_date",
                "region",
                "topics",
                "organiser_id",
                "initiative_id",
            ],
        ),
        EntityKind::Attendance => (&["event_id", "org_id", "person_id"], &["role"]),
        EntityKind::TopicRequest => (
            &["id", "org_id", "topic", "date"],
            &["initiative_id", "votes"],
        ),
        EntityKind::Project => (&["id", "title"], &["start", "end", "topics", "budget"]),
        EntityKind::Participation => (&["project_id", "org_id"], &["role", "contribution"]),
        EntityKind::Tie => (
            &["from_id", "to_id", "kind", "start"],
            &[
                "id",
                "end",
                "strength",
                "trust",
                "source",
                "event_id",
                "introduction_id",
                "visibility",
                "note",
            ],
        ),
        EntityKind::Introduction => (
            &["id", "from_id", "to_id", "date"],
            &["via_id", "broker_id", "status", "note", "visibility"],
        ),
        EntityKind::Opportunity => (
            &["id", "kind", "title", "text"],
            &[
                "countries",
                "sectors",
                "deadline",
                "eligible_kinds",
                "eligible_sizes",
                "eligible_countries",
                "eligible_sectors",
                "url",
            ],
        ),
        EntityKind::Outcome => (
            &["id", "org_id", "kind", "date"],
            &[
                "partner_id",
                "tie_id",
                "event_id",
                "introduction_id",
                "value",
                "note",
                "visibility",
            ],
        ),
    };
    Columns { required, optional }
}

/// One data row with the header it belongs to; every accessor names the column on error.
struct Row<'a> {
    source: &'a str,
    line: u64,
    index: &'a HashMap<&'static str, usize>,
    fields: Vec<&'a str>,
}

type R<T> = Result<T, InputError>;

impl<'a> Row<'a> {
    fn err(&self, column: &str, value: &str, expected: impl Into<String>) -> InputError {
        InputError::new(
            self.source,
            Position::Line(self.line),
            Some(column),
            Some(value),
            expected,
        )
    }

    /// The trimmed value, or "" when the column is absent.
    fn get(&self, column: &str) -> &'a str {
        self.index
            .get(column)
            .and_then(|&i| self.fields.get(i))
            .map(|s| s.trim())
            .unwrap_or("")
    }

    fn opt(&self, column: &str) -> Option<&'a str> {
        Some(self.get(column)).filter(|v| !v.is_empty())
    }

    fn req(&self, column: &str) -> R<&'a str> {
        self.opt(column)
            .ok_or_else(|| self.err(column, "", "a value (this column is required)"))
    }

    fn id(&self, column: &str) -> R<String> {
        let v = self.req(column)?;
        check_id(v).map_err(|e| self.err(column, v, e))?;
        Ok(v.to_string())
    }

    fn opt_id(&self, column: &str) -> R<Option<String>> {
        match self.opt(column) {
            None => Ok(None),
            Some(_) => self.id(column).map(Some),
        }
    }

    fn word<T: Vocabulary>(&self, column: &str) -> R<T> {
        let v = self.req(column)?;
        T::parse(v).map_err(|e| self.err(column, v, format!("one of: {}", e.expected.join(", "))))
    }

    fn opt_word<T: Vocabulary>(&self, column: &str) -> R<Option<T>> {
        match self.opt(column) {
            None => Ok(None),
            Some(_) => self.word(column).map(Some),
        }
    }

    fn date(&self, column: &str) -> R<Date> {
        let v = self.req(column)?;
        parse_date(v).ok_or_else(|| self.err(column, v, "a date YYYY-MM-DD"))
    }

    fn opt_date(&self, column: &str) -> R<Option<Date>> {
        match self.opt(column) {
            None => Ok(None),
            Some(_) => self.date(column).map(Some),
        }
    }

    fn opt_num<T: std::str::FromStr>(&self, column: &str, expected: &str) -> R<Option<T>> {
        match self.opt(column) {
            None => Ok(None),
            Some(v) => v
                .parse::<T>()
                .map(Some)
                .map_err(|_| self.err(column, v, expected)),
        }
    }

    fn opt_f64(&self, column: &str) -> R<Option<f64>> {
        let v: Option<f64> = self.opt_num(column, "a number")?;
        match v {
            Some(x) if !x.is_finite() => Err(self.err(column, self.get(column), "a finite number")),
            v => Ok(v),
        }
    }

    /// A `;`-separated list; empty items are dropped.
    fn list(&self, column: &str) -> Vec<String> {
        self.get(column)
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    }

    fn words<T: Vocabulary>(&self, column: &str) -> R<Vec<T>> {
        self.list(column)
            .iter()
            .map(|v| {
                T::parse(v).map_err(|e| {
                    self.err(
                        column,
                        v,
                        format!("a ;-separated list of: {}", e.expected.join(", ")),
                    )
                })
            })
            .collect()
    }

    fn sectors(&self, column: &str) -> R<Vec<SectorCode>> {
        self.list(column)
            .iter()
            .map(|v| SectorCode::parse(v).map_err(|e| self.err(column, v, e)))
            .collect()
    }

    fn countries(&self, column: &str) -> R<Vec<String>> {
        self.list(column)
            .into_iter()
            .map(|v| {
                let up = v.to_ascii_uppercase();
                if is_country_code(&up) {
                    Ok(up)
                } else {
                    Err(self.err(
                        column,
                        &v,
                        "a ;-separated list of ISO alpha-2 country codes",
                    ))
                }
            })
            .collect()
    }

    fn opt_country(&self, column: &str) -> R<Option<String>> {
        match self.opt(column) {
            None => Ok(None),
            Some(v) => {
                let up = v.to_ascii_uppercase();
                if is_country_code(&up) {
                    Ok(Some(up))
                } else {
                    Err(self.err(column, v, "an ISO 3166-1 alpha-2 country code such as DE"))
                }
            }
        }
    }

    fn scale(&self, column: &str) -> R<Option<u8>> {
        let v: Option<u8> = self.opt_num(column, "an integer from 1 to 5")?;
        if let Some(x) = v
            && !(1..=5).contains(&x)
        {
            return Err(self.err(column, self.get(column), "an integer from 1 to 5"));
        }
        Ok(v)
    }

    fn text(&self, column: &str) -> String {
        self.get(column).to_string()
    }
}

/// Reads a CSV file of one record kind into `into`. All or nothing: the first problem is
/// returned and `into` is left as it was.
pub fn read(
    kind: EntityKind,
    source: &str,
    reader: impl Read,
    into: &mut LocatedDataset,
) -> Result<usize, InputError> {
    let file_err = |expected: String| InputError::new(source, Position::File, None, None, expected);
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(reader);
    let mut record = csv::ByteRecord::new();
    let cols = columns(kind);
    // Header line.
    let got_header = csv
        .read_byte_record(&mut record)
        .map_err(|e| csv_error(source, &e))?;
    if !got_header || record.iter().all(|f| f.is_empty()) {
        return Err(file_err(format!(
            "a CSV file with a header line; this one is empty (expected columns: {})",
            cols.required.join(",")
        )));
    }
    let mut index: HashMap<&'static str, usize> = HashMap::new();
    for (i, raw) in record.iter().enumerate() {
        let name = std::str::from_utf8(raw).map_err(|_| {
            InputError::new(
                source,
                Position::Line(1),
                Some(&format!("#{}", i + 1)),
                Some(&String::from_utf8_lossy(raw)),
                "UTF-8 text (save the file as UTF-8)",
            )
        })?;
        let name = name.trim_start_matches('\u{feff}').trim();
        let known = cols
            .required
            .iter()
            .chain(cols.optional)
            .find(|c| c.eq_ignore_ascii_case(name));
        match known {
            Some(c) => {
                if index.insert(c, i).is_some() {
                    return Err(InputError::new(
                        source,
                        Position::Line(1),
                        Some(name),
                        Some(name),
                        "each column once (this one is repeated)",
                    ));
                }
            }
            None => {
                return Err(InputError::new(
                    source,
                    Position::Line(1),
                    Some(name),
                    Some(name),
                    format!(
                        "a known {} column: {}",
                        kind.singular(),
                        cols.required
                            .iter()
                            .chain(cols.optional)
                            .copied()
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
        }
    }
    if let Some(missing) = cols.required.iter().find(|c| !index.contains_key(*c)) {
        return Err(InputError::new(
            source,
            Position::Line(1),
            Some(missing),
            None,
            format!(
                "a column named {missing} (required columns: {})",
                cols.required.join(",")
            ),
        ));
    }
    let mut staged = LocatedDataset::new(source);
    let mut rows = 0;
    while csv
        .read_byte_record(&mut record)
        .map_err(|e| csv_error(source, &e))?
    {
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue;
        }
        let mut fields = Vec::with_capacity(record.len());
        for (i, raw) in record.iter().enumerate() {
            match std::str::from_utf8(raw) {
                Ok(s) => fields.push(s),
                Err(_) => {
                    let column = index
                        .iter()
                        .find(|(_, j)| **j == i)
                        .map(|(c, _)| c.to_string())
                        .unwrap_or_else(|| format!("#{}", i + 1));
                    return Err(InputError::new(
                        source,
                        Position::Line(line),
                        Some(&column),
                        Some(&String::from_utf8_lossy(raw)),
                        "UTF-8 text (save the file as UTF-8)",
                    ));
                }
            }
        }
        if fields.len() > index.len() && fields[index.len()..].iter().any(|f| !f.trim().is_empty())
        {
            return Err(InputError::new(
                source,
                Position::Line(line),
                None,
                None,
                format!(
                    "{} fields as in the header, found {}",
                    index.len(),
                    fields.len()
                ),
            ));
        }
        let row = Row {
            source,
            line,
            index: &index,
            fields,
        };
        let position = Position::Line(line);
        macro_rules! push {
            ($field:ident, $parse:ident) => {
                staged.$field.push(Located {
                    position,
                    record: $parse(&row)?,
                })
            };
        }
        match kind {
            EntityKind::Organisation => push!(organisations, organisation),
            EntityKind::Person => push!(people, person),
            EntityKind::Affiliation => push!(affiliations, affiliation),
            EntityKind::Cluster => push!(clusters, cluster),
            EntityKind::Initiative => push!(initiatives, initiative),
            EntityKind::Membership => push!(memberships, membership),
            EntityKind::Event => push!(events, event),
            EntityKind::Attendance => push!(attendance, attendance),
            EntityKind::TopicRequest => push!(topic_requests, topic_request),
            EntityKind::Project => push!(projects, project),
            EntityKind::Participation => push!(participations, participation),
            EntityKind::Tie => push!(ties, tie),
            EntityKind::Introduction => push!(introductions, introduction),
            EntityKind::Opportunity => push!(opportunities, opportunity),
            EntityKind::Outcome => push!(outcomes, outcome),
        }
        rows += 1;
    }
    if rows == 0 {
        return Err(file_err(format!(
            "at least one {} row after the header; the file has none",
            kind.singular()
        )));
    }
    append(into, staged);
    Ok(rows)
}

/// Moves every record of `from` to the end of `into`.
pub fn append(into: &mut LocatedDataset, mut from: LocatedDataset) {
    macro_rules! mv {
        ($($f:ident),*) => {$(into.$f.append(&mut from.$f);)*};
    }
    mv!(
        organisations,
        people,
        affiliations,
        clusters,
        initiatives,
        memberships,
        events,
        attendance,
        topic_requests,
        projects,
        participations,
        ties,
        introductions,
        opportunities,
        outcomes
    );
}

fn csv_error(source: &str, e: &csv::Error) -> InputError {
    let line = e.position().map(|p| p.line()).unwrap_or(0);
    let position = if line > 0 {
        Position::Line(line)
    } else {
        Position::File
    };
    InputError::new(
        source,
        position,
        None,
        None,
        format!("well-formed CSV ({e})"),
    )
}

fn organisation(r: &Row) -> R<Organisation> {
    Ok(Organisation {
        id: OrgId(r.id("id")?),
        name: r.req("name")?.to_string(),
        kind: r.word("kind")?,
        employees: r.opt_num("employees", "a whole number of employees")?,
        size_class: r.opt_word("size_class")?,
        sectors: r.sectors("sectors")?,
        region: r.opt("region").map(str::to_string),
        country: r.opt_country("country")?,
        city: r.opt("city").map(str::to_string),
        lat: r.opt_f64("lat")?,
        lon: r.opt_f64("lon")?,
        founded: r.opt_date("founded")?,
        parent: r.opt_id("parent_id")?.map(OrgId),
        acquired_by: r.opt_id("acquired_by")?.map(OrgId),
        acquired_on: r.opt_date("acquired_on")?,
        stage: r.opt_word("stage")?,
        countries_served: r.countries("countries_served")?,
        export_share: r.opt_f64("export_share")?,
        description: r.text("description"),
        offers: r.text("offers"),
        requests: r.text("requests"),
        keywords: r.list("keywords"),
        motivations: r.words("motivations")?,
    })
}

fn person(r: &Row) -> R<Person> {
    Ok(Person {
        id: PersonId(r.id("id")?),
        name: r.req("name")?.to_string(),
        email: r.opt("email").map(str::to_string),
    })
}

fn affiliation(r: &Row) -> R<Affiliation> {
    Ok(Affiliation {
        person: PersonId(r.id("person_id")?),
        org: OrgId(r.id("org_id")?),
        role: r.opt("role").map(str::to_string),
        from: r.opt_date("from")?,
        to: r.opt_date("to")?,
    })
}

fn cluster(r: &Row) -> R<Cluster> {
    Ok(Cluster {
        id: ClusterId(r.id("id")?),
        name: r.req("name")?.to_string(),
        region: r.opt("region").map(str::to_string),
        sectors: r.sectors("sectors")?,
        description: r.text("description"),
    })
}

fn initiative(r: &Row) -> R<Initiative> {
    Ok(Initiative {
        id: InitiativeId(r.id("id")?),
        name: r.req("name")?.to_string(),
        cluster: r.opt_id("cluster_id")?.map(ClusterId),
        region: r.opt("region").map(str::to_string),
        started: r.opt_date("started")?,
        ended: r.opt_date("ended")?,
        goals: r.list("goals"),
    })
}

fn membership(r: &Row) -> R<Membership> {
    Ok(Membership {
        initiative: InitiativeId(r.id("initiative_id")?),
        org: OrgId(r.id("org_id")?),
        person: r.opt_id("person_id")?.map(PersonId),
        role: r.word("role")?,
        from: r.opt_date("from")?,
        to: r.opt_date("to")?,
    })
}

fn event(r: &Row) -> R<Event> {
    Ok(Event {
        id: EventId(r.id("id")?),
        kind: r.word("kind")?,
        title: r.req("title")?.to_string(),
        date: r.date("date")?,
        end_date: r.opt_date("end_date")?,
        region: r.opt("region").map(str::to_string),
        topics: r.list("topics"),
        organiser: r.opt_id("organiser_id")?.map(OrgId),
        initiative: r.opt_id("initiative_id")?.map(InitiativeId),
    })
}

fn attendance(r: &Row) -> R<Attendance> {
    Ok(Attendance {
        event: EventId(r.id("event_id")?),
        org: r.opt_id("org_id")?.map(OrgId),
        person: r.opt_id("person_id")?.map(PersonId),
        role: r.opt_word("role")?.unwrap_or(AttendanceRole::Attendee),
    })
}

fn topic_request(r: &Row) -> R<TopicRequest> {
    Ok(TopicRequest {
        id: TopicRequestId(r.id("id")?),
        org: OrgId(r.id("org_id")?),
        topic: r.req("topic")?.to_string(),
        date: r.date("date")?,
        initiative: r.opt_id("initiative_id")?.map(InitiativeId),
        votes: r.list("votes").into_iter().map(OrgId).collect(),
    })
}

fn project(r: &Row) -> R<Project> {
    Ok(Project {
        id: ProjectId(r.id("id")?),
        title: r.req("title")?.to_string(),
        start: r.opt_date("start")?,
        end: r.opt_date("end")?,
        topics: r.list("topics"),
        budget: r.opt_f64("budget")?,
    })
}

fn participation(r: &Row) -> R<Participation> {
    Ok(Participation {
        project: ProjectId(r.id("project_id")?),
        org: OrgId(r.id("org_id")?),
        role: r.opt_word("role")?.unwrap_or(ProjectRole::Participant),
        contribution: r.opt_f64("contribution")?,
    })
}

fn tie(r: &Row) -> R<Tie> {
    let from = OrgId(r.id("from_id")?);
    let to = OrgId(r.id("to_id")?);
    let kind: TieKind = r.word("kind")?;
    let start = r.date("start")?;
    let id = match r.opt_id("id")? {
        Some(id) => TieId(id),
        None => Tie::derived_id(&from, &to, kind, start),
    };
    Ok(Tie {
        id,
        from,
        to,
        kind,
        start,
        end: r.opt_date("end")?,
        strength: r.scale("strength")?,
        trust: r.scale("trust")?,
        source: r.opt_word("source")?.unwrap_or(TieSource::Import),
        event: r.opt_id("event_id")?.map(EventId),
        introduction: r.opt_id("introduction_id")?.map(IntroductionId),
        // Confidential by default: a tie nobody classified stays between its two parties.
        visibility: r.opt_word("visibility")?.unwrap_or(Visibility::Private),
        note: r.text("note"),
    })
}

fn introduction(r: &Row) -> R<Introduction> {
    Ok(Introduction {
        id: IntroductionId(r.id("id")?),
        from: OrgId(r.id("from_id")?),
        to: OrgId(r.id("to_id")?),
        via: r.opt_id("via_id")?.map(OrgId),
        broker: r.opt_id("broker_id")?.map(PersonId),
        date: r.date("date")?,
        status: r.opt_word("status")?.unwrap_or(IntroductionStatus::Made),
        note: r.text("note"),
        visibility: r.opt_word("visibility")?.unwrap_or(Visibility::Staff),
    })
}

fn opportunity(r: &Row) -> R<Opportunity> {
    Ok(Opportunity {
        id: OpportunityId(r.id("id")?),
        kind: r.word("kind")?,
        title: r.req("title")?.to_string(),
        text: r.text("text"),
        countries: r.countries("countries")?,
        sectors: r.sectors("sectors")?,
        deadline: r.opt_date("deadline")?,
        eligibility: Eligibility {
            kinds: r.words("eligible_kinds")?,
            size_classes: r.words("eligible_sizes")?,
            countries: r.countries("eligible_countries")?,
            sectors: r.sectors("eligible_sectors")?,
        },
        url: r.opt("url").map(str::to_string),
    })
}

fn outcome(r: &Row) -> R<Outcome> {
    Ok(Outcome {
        id: OutcomeId(r.id("id")?),
        org: OrgId(r.id("org_id")?),
        kind: r.word("kind")?,
        date: r.date("date")?,
        partner: r.opt_id("partner_id")?.map(OrgId),
        tie: r.opt_id("tie_id")?.map(TieId),
        event: r.opt_id("event_id")?.map(EventId),
        introduction: r.opt_id("introduction_id")?.map(IntroductionId),
        value: r.opt_f64("value")?,
        note: r.text("note"),
        visibility: r.opt_word("visibility")?.unwrap_or(Visibility::Private),
    })
}
