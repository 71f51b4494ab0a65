//! Services use cases (`milieu evaluate services ...`): import the catalogue, the needs
//! assessment and the uptake from CSV files (strict: the first problem is reported with its
//! file, line, column, value and what was expected, and nothing is written), and the uptake
//! and unreached-members tables computed by milieu-eval. Columns: docs/evaluation.md,
//! "Services".

use crate::{AppError, open_input};
use milieu_eval as eval;
use milieu_io::{InputError, Position};
use milieu_model::{Dataset, Date, InitiativeId, OrgId, parse_date};
use milieu_store::{NeedRecord, ServiceRecord, Store, UptakeRecord};
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// Columns of the catalogue file (`id`, `name`, `kind` required).
pub const CATALOGUE_COLUMNS: &[&str] = &[
    "id",
    "name",
    "kind",
    "answers",
    "initiative",
    "provider",
    "from",
    "to",
    "description",
];
/// Columns of the needs file (`org`, `need`, `assessed` required).
pub const NEEDS_COLUMNS: &[&str] = &["org", "need", "assessed", "priority", "note"];
/// Columns of the uptake file (`service`, `org`, `date` required).
pub const UPTAKE_COLUMNS: &[&str] = &["service", "org", "date", "note"];

fn bad(file: &str, line: u64, column: &str, value: &str, expected: impl Into<String>) -> AppError {
    AppError::Input(InputError::new(
        file,
        Position::Line(line),
        Some(column),
        Some(value),
        expected,
    ))
}

/// A CSV file read whole, with its header checked against the allowed columns.
struct Table {
    file: String,
    index: HashMap<String, usize>,
    rows: Vec<(u64, csv::StringRecord)>,
}

impl Table {
    fn read(path: &Path, allowed: &[&str], required: &[&str]) -> Result<Table, AppError> {
        let file = path.display().to_string();
        let mut rdr = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_reader(open_input(path)?);
        let header_error = |e: csv::Error| {
            AppError::Input(InputError::new(
                &file,
                Position::Line(1),
                None,
                None,
                format!("a CSV header ({e})"),
            ))
        };
        let headers = rdr.headers().map_err(header_error)?.clone();
        let mut index = HashMap::new();
        for (i, h) in headers.iter().enumerate() {
            if !allowed.contains(&h) {
                return Err(bad(
                    &file,
                    1,
                    h,
                    h,
                    format!("a column among {}", allowed.join(", ")),
                ));
            }
            if index.insert(h.to_string(), i).is_some() {
                return Err(bad(&file, 1, h, h, "each column once"));
            }
        }
        for r in required {
            if !index.contains_key(*r) {
                return Err(AppError::Input(InputError::new(
                    &file,
                    Position::Line(1),
                    Some(r),
                    None,
                    "this required column in the header",
                )));
            }
        }
        let mut rows = Vec::new();
        for rec in rdr.records() {
            let rec = rec.map_err(|e| {
                let line = e.position().map_or(0, |p| p.line());
                AppError::Input(InputError::new(
                    &file,
                    Position::Line(line),
                    None,
                    None,
                    format!("a CSV row ({e})"),
                ))
            })?;
            let line = rec.position().map_or(0, |p| p.line());
            rows.push((line, rec));
        }
        Ok(Table { file, index, rows })
    }

    fn get<'r>(&self, rec: &'r csv::StringRecord, col: &str) -> Option<&'r str> {
        self.index
            .get(col)
            .and_then(|&i| rec.get(i))
            .filter(|v| !v.is_empty())
    }

    fn required<'r>(
        &self,
        line: u64,
        rec: &'r csv::StringRecord,
        col: &str,
    ) -> Result<&'r str, AppError> {
        self.get(rec, col).ok_or_else(|| {
            bad(
                &self.file,
                line,
                col,
                "",
                "a value (this column is required)",
            )
        })
    }

    fn date(
        &self,
        line: u64,
        rec: &csv::StringRecord,
        col: &str,
    ) -> Result<Option<Date>, AppError> {
        self.get(rec, col)
            .map(|v| {
                parse_date(v).ok_or_else(|| bad(&self.file, line, col, v, "a date YYYY-MM-DD"))
            })
            .transpose()
    }

    fn vocab(
        &self,
        line: u64,
        col: &str,
        value: &str,
        parse: fn(&str) -> Result<&'static str, eval::Error>,
    ) -> Result<String, AppError> {
        parse(value).map(str::to_string).map_err(|e| match e {
            eval::Error::Invalid { expected, .. } => bad(&self.file, line, col, value, expected),
            other => AppError::Usage(other.to_string()),
        })
    }
}

async fn org_ids<S: Store>(store: &S) -> Result<HashSet<String>, AppError> {
    Ok(store
        .load::<milieu_model::Organisation>()
        .await?
        .into_iter()
        .map(|o| o.id.to_string())
        .collect())
}

/// Reads and checks a catalogue file: ids unique in the file, kinds and needs from the
/// vocabularies, initiative and provider known, `from` not after `to`. Services with an id
/// already stored are replaced. Returns how many were written.
pub async fn import_catalogue<S: Store>(store: &S, path: &Path) -> Result<u64, AppError> {
    let t = Table::read(path, CATALOGUE_COLUMNS, &["id", "name", "kind"])?;
    let orgs = org_ids(store).await?;
    let initiatives: HashSet<String> = store
        .load::<milieu_model::Initiative>()
        .await?
        .into_iter()
        .map(|i| i.id.to_string())
        .collect();
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut out = Vec::new();
    for (line, rec) in &t.rows {
        let line = *line;
        let id = t.required(line, rec, "id")?;
        if let Some(first) = seen.insert(id.to_string(), line) {
            return Err(bad(
                &t.file,
                line,
                "id",
                id,
                format!("a new id (already on line {first})"),
            ));
        }
        let name = t.required(line, rec, "name")?;
        let kind = t.vocab(
            line,
            "kind",
            t.required(line, rec, "kind")?,
            eval::parse_service_kind,
        )?;
        let mut answers = Vec::new();
        for a in t.get(rec, "answers").unwrap_or("").split(';') {
            let a = a.trim();
            if !a.is_empty() {
                let need = t.vocab(line, "answers", a, eval::parse_need)?;
                if !answers.contains(&need) {
                    answers.push(need);
                }
            }
        }
        let initiative = t.get(rec, "initiative");
        if let Some(i) = initiative
            && !initiatives.contains(i)
        {
            return Err(bad(
                &t.file,
                line,
                "initiative",
                i,
                "the id of an initiative in the registry",
            ));
        }
        let provider = t.get(rec, "provider");
        if let Some(p) = provider
            && !orgs.contains(p)
        {
            return Err(bad(
                &t.file,
                line,
                "provider",
                p,
                "the id of an organisation in the registry",
            ));
        }
        let (from, to) = (t.date(line, rec, "from")?, t.date(line, rec, "to")?);
        if let (Some(f), Some(x)) = (from, to)
            && x < f
        {
            return Err(bad(
                &t.file,
                line,
                "to",
                &x.to_string(),
                format!("a date on or after from ({f})"),
            ));
        }
        out.push(ServiceRecord {
            id: id.to_string(),
            name: name.to_string(),
            kind,
            answers,
            initiative: initiative.map(InitiativeId::new),
            provider: provider.map(OrgId::new),
            from,
            to,
            description: t.get(rec, "description").unwrap_or("").to_string(),
        });
    }
    Ok(store.services_put(&out).await?)
}

/// Reads and checks a needs-assessment file: known organisations, needs from the vocabulary,
/// priority 1-5, no (org, need, assessed) twice in the file or already stored.
pub async fn import_needs<S: Store>(store: &S, path: &Path) -> Result<u64, AppError> {
    let t = Table::read(path, NEEDS_COLUMNS, &["org", "need", "assessed"])?;
    let orgs = org_ids(store).await?;
    let mut seen: HashMap<(String, String, Date), u64> = store
        .needs()
        .await?
        .into_iter()
        .map(|n| ((n.org.to_string(), n.need, n.assessed), 0))
        .collect();
    let mut out = Vec::new();
    for (line, rec) in &t.rows {
        let line = *line;
        let org = t.required(line, rec, "org")?;
        if !orgs.contains(org) {
            return Err(bad(
                &t.file,
                line,
                "org",
                org,
                "the id of an organisation in the registry",
            ));
        }
        let need = t.vocab(
            line,
            "need",
            t.required(line, rec, "need")?,
            eval::parse_need,
        )?;
        let assessed_text = t.required(line, rec, "assessed")?;
        let assessed = t.date(line, rec, "assessed")?.unwrap_or_default();
        let priority = match t.get(rec, "priority") {
            None => None,
            Some(v) => match v.parse::<u8>() {
                Ok(p @ 1..=5) => Some(p),
                _ => {
                    return Err(bad(
                        &t.file,
                        line,
                        "priority",
                        v,
                        "a whole number from 1 to 5",
                    ));
                }
            },
        };
        if let Some(first) = seen.insert((org.to_string(), need.clone(), assessed), line) {
            let where_ = if first == 0 {
                "already stored".to_string()
            } else {
                format!("already on line {first}")
            };
            return Err(bad(
                &t.file,
                line,
                "assessed",
                assessed_text,
                format!("one statement of need {need} by {org} per assessment date ({where_})"),
            ));
        }
        out.push(NeedRecord {
            org: OrgId::new(org),
            need,
            assessed,
            priority,
            note: t.get(rec, "note").unwrap_or("").to_string(),
        });
    }
    Ok(store.needs_add(&out).await?)
}

/// Reads and checks an uptake file: known services and organisations, dates within the
/// service's offer (from..=to when given).
pub async fn import_uptake<S: Store>(store: &S, path: &Path) -> Result<u64, AppError> {
    let t = Table::read(path, UPTAKE_COLUMNS, &["service", "org", "date"])?;
    let orgs = org_ids(store).await?;
    let services: HashMap<String, ServiceRecord> = store
        .services()
        .await?
        .into_iter()
        .map(|s| (s.id.clone(), s))
        .collect();
    let mut out = Vec::new();
    for (line, rec) in &t.rows {
        let line = *line;
        let sid = t.required(line, rec, "service")?;
        let Some(service) = services.get(sid) else {
            return Err(bad(
                &t.file,
                line,
                "service",
                sid,
                "the id of a service in the catalogue (milieu evaluate service import catalogue)",
            ));
        };
        let org = t.required(line, rec, "org")?;
        if !orgs.contains(org) {
            return Err(bad(
                &t.file,
                line,
                "org",
                org,
                "the id of an organisation in the registry",
            ));
        }
        let text = t.required(line, rec, "date")?;
        let date = t.date(line, rec, "date")?.unwrap_or_default();
        if service.from.is_some_and(|f| date < f) || service.to.is_some_and(|x| date > x) {
            return Err(bad(
                &t.file,
                line,
                "date",
                text,
                format!(
                    "a date within the offer of service {sid} ({} .. {})",
                    service.from.map_or("open".into(), |d| d.to_string()),
                    service.to.map_or("open".into(), |d| d.to_string())
                ),
            ));
        }
        out.push(UptakeRecord {
            service: sid.to_string(),
            org: OrgId::new(org),
            date,
            note: t.get(rec, "note").unwrap_or("").to_string(),
        });
    }
    Ok(store.uptake_add(&out).await?)
}

/// The catalogue, needs and uptake as milieu-eval reads them.
pub async fn load_services<S: Store>(store: &S) -> Result<eval::Services, AppError> {
    Ok(eval::Services {
        catalogue: store
            .services()
            .await?
            .into_iter()
            .map(|s| eval::Service {
                id: s.id,
                name: s.name,
                kind: s.kind,
                answers: s.answers,
                initiative: s.initiative,
            })
            .collect(),
        needs: store
            .needs()
            .await?
            .into_iter()
            .map(|n| eval::Need {
                org: n.org,
                need: n.need,
                assessed: n.assessed,
            })
            .collect(),
        uses: store
            .uptake()
            .await?
            .into_iter()
            .map(|u| eval::ServiceUse {
                service: u.service,
                org: u.org,
                date: u.date,
            })
            .collect(),
    })
}

fn engine(e: eval::Error) -> AppError {
    AppError::engine(&e)
}

async fn inputs<S: Store>(store: &S) -> Result<(Dataset, eval::Services), AppError> {
    Ok((store.dataset().await?, load_services(store).await?))
}

pub async fn service_uptake<S: Store>(
    store: &S,
    scope: &eval::ServiceScope,
) -> Result<Vec<eval::ServiceUptakeRow>, AppError> {
    let (data, s) = inputs(store).await?;
    eval::service_uptake(&data, &s, scope).map_err(engine)
}

pub async fn member_uptake<S: Store>(
    store: &S,
    scope: &eval::ServiceScope,
) -> Result<Vec<eval::MemberUptakeRow>, AppError> {
    let (data, s) = inputs(store).await?;
    eval::member_uptake(&data, &s, scope).map_err(engine)
}

pub async fn unreached<S: Store>(
    store: &S,
    scope: &eval::ServiceScope,
) -> Result<Vec<eval::UnreachedRow>, AppError> {
    let (data, s) = inputs(store).await?;
    eval::unreached(&data, &s, scope).map_err(engine)
}
