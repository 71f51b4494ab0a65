//! The public CORDIS (Horizon 2020) participation table: one row per organisation in a
//! project, with the organisation's PIC, type and country and the project's dates and cost.
//! It becomes organisations (id = PIC), projects (id = RCN) and participations; the optional
//! programme-parts table (`rcn,programme_part`) gives each project its topics.
//!
//! Organisation types map to kinds: HES -> university, REC -> research_institute,
//! PRC -> firm, PUB -> agency, OTH -> other. Names are not in the extract, so an organisation
//! is named after its PIC.

use crate::{InputError, Located, LocatedDataset, Position};
use milieu_model::*;
use std::collections::HashMap;
use std::io::Read;

const REQUIRED: &[&str] = &[
    "rcn",
    "role",
    "pic",
    "type",
    "country",
    "start_date",
    "end_date",
];

fn kind_of(code: &str) -> Option<OrgKind> {
    Some(match code {
        "HES" => OrgKind::University,
        "REC" => OrgKind::ResearchInstitute,
        "PRC" => OrgKind::Firm,
        "PUB" => OrgKind::Agency,
        "OTH" => OrgKind::Other,
        _ => return None,
    })
}

/// Reads the programme-parts table into `rcn -> [programme part]`.
pub fn read_programme_parts(
    source: &str,
    reader: impl Read,
) -> Result<HashMap<String, Vec<String>>, InputError> {
    let mut csv = csv::ReaderBuilder::new().from_reader(reader);
    let headers = csv
        .headers()
        .map_err(|e| {
            InputError::new(
                source,
                Position::Line(1),
                None,
                None,
                format!("a CSV header ({e})"),
            )
        })?
        .clone();
    let col = |name: &str| {
        headers.iter().position(|h| h == name).ok_or_else(|| {
            InputError::new(
                source,
                Position::Line(1),
                Some(name),
                None,
                "columns rcn,programme_part",
            )
        })
    };
    let (rcn, part) = (col("rcn")?, col("programme_part")?);
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    for row in csv.records() {
        let row = row.map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            InputError::new(
                source,
                Position::Line(line),
                None,
                None,
                format!("well-formed UTF-8 CSV ({e})"),
            )
        })?;
        let (Some(r), Some(p)) = (row.get(rcn), row.get(part)) else {
            continue;
        };
        if !r.is_empty() && !p.is_empty() {
            let parts = out.entry(r.to_string()).or_default();
            if !parts.iter().any(|x| x == p) {
                parts.push(p.to_string());
            }
        }
    }
    Ok(out)
}

/// Reads the participation table into organisations, projects and participations.
pub fn read_participations(
    source: &str,
    reader: impl Read,
    programme_parts: &HashMap<String, Vec<String>>,
) -> Result<LocatedDataset, InputError> {
    let mut csv = csv::ReaderBuilder::new().from_reader(reader);
    let headers = csv
        .headers()
        .map_err(|e| {
            InputError::new(
                source,
                Position::Line(1),
                None,
                None,
                format!("a CSV header ({e})"),
            )
        })?
        .clone();
    if headers.is_empty() || headers.iter().all(str::is_empty) {
        return Err(InputError::new(
            source,
            Position::File,
            None,
            None,
            "a CORDIS participation table; the file is empty",
        ));
    }
    let mut idx = HashMap::new();
    for name in REQUIRED.iter().chain(&["contribution", "total_cost"]) {
        if let Some(i) = headers.iter().position(|h| h == *name) {
            idx.insert(*name, i);
        } else if REQUIRED.contains(name) {
            return Err(InputError::new(
                source,
                Position::Line(1),
                Some(name),
                None,
                format!(
                    "a column named {name} (CORDIS columns: {})",
                    REQUIRED.join(",")
                ),
            ));
        }
    }
    let mut out = LocatedDataset::new(source);
    let mut org_index: HashMap<String, usize> = HashMap::new();
    let mut project_index: HashMap<String, usize> = HashMap::new();
    let mut record = csv::StringRecord::new();
    loop {
        match csv.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                return Err(InputError::new(
                    source,
                    Position::Line(line),
                    None,
                    None,
                    format!("well-formed UTF-8 CSV ({e})"),
                ));
            }
        }
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        let get = |c: &str| idx.get(c).and_then(|&i| record.get(i)).unwrap_or("").trim();
        let bad = |c: &str, expected: &str| {
            InputError::new(
                source,
                Position::Line(line),
                Some(c),
                Some(get(c)),
                expected,
            )
        };
        let rcn = get("rcn");
        let pic = get("pic");
        for (c, v) in [("rcn", rcn), ("pic", pic)] {
            check_id(v).map_err(|e| bad(c, &e))?;
        }
        let kind =
            kind_of(get("type")).ok_or_else(|| bad("type", "one of HES, REC, PRC, PUB, OTH"))?;
        let role = match get("role") {
            "coordinator" => ProjectRole::Coordinator,
            "participant" => ProjectRole::Participant,
            "partner" => ProjectRole::Partner,
            _ => return Err(bad("role", "one of coordinator, participant, partner")),
        };
        let country = get("country").to_ascii_uppercase();
        let country = if country.is_empty() {
            None
        } else if is_country_code(&country) {
            Some(country)
        } else {
            return Err(bad("country", "an ISO alpha-2 country code"));
        };
        let start =
            parse_date(get("start_date")).ok_or_else(|| bad("start_date", "a date YYYY-MM-DD"))?;
        let end = match get("end_date") {
            "" => None,
            v => Some(parse_date(v).ok_or_else(|| bad("end_date", "a date YYYY-MM-DD"))?),
        };
        if end.is_some_and(|e| e < start) {
            return Err(bad("end_date", "a date on or after start_date"));
        }
        let number = |c: &str| -> Result<Option<f64>, InputError> {
            match get(c) {
                "" => Ok(None),
                v => v
                    .parse::<f64>()
                    .ok()
                    .filter(|x| x.is_finite() && *x >= 0.0)
                    .map(Some)
                    .ok_or_else(|| bad(c, "a non-negative number")),
            }
        };
        let contribution = number("contribution")?;
        let total_cost = number("total_cost")?;
        let position = Position::Line(line);
        if !org_index.contains_key(pic) {
            let mut org = Organisation::new(pic, format!("PIC {pic}"), kind);
            org.country = country;
            org_index.insert(pic.to_string(), out.organisations.len());
            out.organisations.push(Located {
                position: position.clone(),
                record: org,
            });
        }
        match project_index.get(rcn) {
            Some(&i) => {
                let p = &out.projects[i].record;
                if p.start != Some(start) {
                    return Err(bad(
                        "start_date",
                        &format!(
                            "the same start date as the project's earlier rows ({})",
                            p.start.map(|d| d.to_string()).unwrap_or_default()
                        ),
                    ));
                }
            }
            None => {
                project_index.insert(rcn.to_string(), out.projects.len());
                out.projects.push(Located {
                    position: position.clone(),
                    record: Project {
                        id: ProjectId::new(rcn),
                        title: format!("H2020 project {rcn}"),
                        start: Some(start),
                        end,
                        topics: programme_parts.get(rcn).cloned().unwrap_or_default(),
                        budget: total_cost,
                    },
                });
            }
        }
        out.participations.push(Located {
            position,
            record: Participation {
                project: ProjectId::new(rcn),
                org: OrgId::new(pic),
                role,
                contribution,
            },
        });
    }
    if out.participations.is_empty() {
        return Err(InputError::new(
            source,
            Position::File,
            None,
            None,
            "at least one participation row after the header",
        ));
    }
    Ok(out)
}
