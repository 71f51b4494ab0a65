//! `milieu org|person|event|... list|show|add|edit`: the same verbs for every record kind.
//! `add` and `edit` take the kind's CSV columns as flags (`--name Acme --sectors 541511;334510`)
//! and go through the very same parser and checks as a file import.

use crate::output::{self, OutputArgs};
use anyhow::Context;
use milieu_app::{AppError, Holds, import_checked, replace_checked};
use milieu_io::{Located, LocatedDataset, Position, registry_csv};
use milieu_model::*;
use milieu_store::{AnyStore, OrgQuery, Record};

#[derive(clap::Subcommand, Debug)]
pub enum Action {
    /// List records (filters: --search, --kind, --region, --country, --sector, --where).
    List(ListArgs),
    /// Show one record by id.
    Show {
        id: String,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Add a record: give its CSV columns as flags, e.g. `--id o1 --name Acme --kind firm`.
    Add {
        #[arg(
            trailing_var_arg = true,
            allow_hyphen_values = true,
            value_name = "--COLUMN VALUE"
        )]
        fields: Vec<String>,
    },
    /// Change fields of a record: `edit ID --employees 25 --stage growth`.
    Edit {
        id: String,
        #[arg(
            trailing_var_arg = true,
            allow_hyphen_values = true,
            value_name = "--COLUMN VALUE"
        )]
        fields: Vec<String>,
    },
}

#[derive(clap::Args, Debug)]
pub struct ListArgs {
    /// Case-insensitive text that must appear in the record (for organisations: name or id).
    #[arg(long)]
    search: Option<String>,
    /// Only this kind (organisation kind, event kind, tie kind, ...).
    #[arg(long)]
    kind: Option<String>,
    #[arg(long)]
    region: Option<String>,
    #[arg(long)]
    country: Option<String>,
    /// Sector code prefix (organisations), e.g. 3391 or nace:C26.
    #[arg(long)]
    sector: Option<String>,
    /// Exact match on any column: `--where org_id=o17` (repeatable).
    #[arg(long = "where", value_name = "COLUMN=VALUE")]
    conditions: Vec<String>,
    #[arg(long)]
    limit: Option<u32>,
    #[arg(long)]
    offset: Option<u32>,
    #[command(flatten)]
    output: OutputArgs,
}

/// Runs `$body` with `T` bound to the record type of `$kind`.
macro_rules! with_record_type {
    ($kind:expr, $T:ident => $body:expr) => {
        match $kind {
            milieu_model::EntityKind::Organisation => {
                type $T = milieu_model::Organisation;
                $body
            }
            milieu_model::EntityKind::Person => {
                type $T = milieu_model::Person;
                $body
            }
            milieu_model::EntityKind::Affiliation => {
                type $T = milieu_model::Affiliation;
                $body
            }
            milieu_model::EntityKind::Cluster => {
                type $T = milieu_model::Cluster;
                $body
            }
            milieu_model::EntityKind::Initiative => {
                type $T = milieu_model::Initiative;
                $body
            }
            milieu_model::EntityKind::Membership => {
                type $T = milieu_model::Membership;
                $body
            }
            milieu_model::EntityKind::Event => {
                type $T = milieu_model::Event;
                $body
            }
            milieu_model::EntityKind::Attendance => {
                type $T = milieu_model::Attendance;
                $body
            }
            milieu_model::EntityKind::TopicRequest => {
                type $T = milieu_model::TopicRequest;
                $body
            }
            milieu_model::EntityKind::Project => {
                type $T = milieu_model::Project;
                $body
            }
            milieu_model::EntityKind::Participation => {
                type $T = milieu_model::Participation;
                $body
            }
            milieu_model::EntityKind::Tie => {
                type $T = milieu_model::Tie;
                $body
            }
            milieu_model::EntityKind::Introduction => {
                type $T = milieu_model::Introduction;
                $body
            }
            milieu_model::EntityKind::Opportunity => {
                type $T = milieu_model::Opportunity;
                $body
            }
            milieu_model::EntityKind::Outcome => {
                type $T = milieu_model::Outcome;
                $body
            }
        }
    };
}
pub(crate) use with_record_type;

/// `--name Acme --kind=firm` into (column, value) pairs.
fn parse_fields(args: &[String]) -> Result<Vec<(String, String)>, AppError> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let Some(flag) = args[i].strip_prefix("--") else {
            return Err(AppError::Usage(format!(
                "expected a --column flag, found {:?}",
                args[i]
            )));
        };
        if let Some((k, v)) = flag.split_once('=') {
            out.push((k.replace('-', "_"), v.to_string()));
            i += 1;
        } else {
            let value = args
                .get(i + 1)
                .ok_or_else(|| AppError::Usage(format!("--{flag} needs a value")))?;
            out.push((flag.replace('-', "_"), value.clone()));
            i += 2;
        }
    }
    Ok(out)
}

/// One CSV line with a header, built from the fields, for the regular parser.
fn one_row_csv(fields: &[(String, String)]) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(fields.iter().map(|(k, _)| k))?;
    w.write_record(fields.iter().map(|(_, v)| v))?;
    Ok(w.into_inner()?)
}

const ARGS: &str = "command-line arguments";

fn parse_one(kind: EntityKind, fields: &[(String, String)]) -> Result<LocatedDataset, AppError> {
    let bytes = one_row_csv(fields).map_err(|e| AppError::Usage(e.to_string()))?;
    let mut batch = LocatedDataset::new(ARGS);
    registry_csv::read(kind, ARGS, bytes.as_slice(), &mut batch).map_err(|mut e| {
        if e.position == Position::Line(1) || e.position == Position::Line(2) {
            e.position = Position::Arguments;
        }
        AppError::Input(e)
    })?;
    Ok(batch)
}

pub async fn run(store: &AnyStore, kind: EntityKind, action: Action) -> Result<(), AppError> {
    match action {
        Action::List(args) => list(store, kind, args).await,
        Action::Show { id, output } => {
            with_record_type!(kind, T => show::<T>(store, kind, &id, output).await)
        }
        Action::Add { fields } => {
            let mut fields = parse_fields(&fields)?;
            // Required columns left out are given empty, so the parser names the ones that
            // need a value.
            for column in registry_csv::columns(kind).required {
                if !fields.iter().any(|(k, _)| k == column) {
                    fields.push((column.to_string(), String::new()));
                }
            }
            let batch = parse_one(kind, &fields)?;
            let report = import_checked(store, &batch).await?;
            let n: u64 = report.counts.iter().map(|(_, n)| n).sum();
            println!("added {n} {}", kind.singular());
            Ok(())
        }
        Action::Edit { id, fields } => {
            if !has_own_id(kind) {
                return Err(AppError::Usage(format!(
                    "{} records have no id of their own and cannot be edited; import corrected rows instead",
                    kind.plural()
                )));
            }
            with_record_type!(kind, T => edit::<T>(store, kind, &id, &fields).await)
        }
    }
}

fn has_own_id(kind: EntityKind) -> bool {
    milieu_store::has_id(kind)
}

async fn edit<T>(
    store: &AnyStore,
    kind: EntityKind,
    id: &str,
    args: &[String],
) -> Result<(), AppError>
where
    T: Record + Validate + References + Clone,
    LocatedDataset: Holds<T>,
{
    let current: T = store.get(id).await?.ok_or_else(|| AppError::NotFound {
        kind: kind.singular(),
        id: id.to_string(),
    })?;
    let changes = parse_fields(args)?;
    if let Some((k, _)) = changes.iter().find(|(k, _)| k == "id") {
        return Err(AppError::Usage(format!("--{k} cannot be changed by edit")));
    }
    let (names, rows) = milieu_io::export::rows(kind, std::slice::from_ref(&current));
    let mut fields: Vec<(String, String)> = names
        .iter()
        .map(|n| n.to_string())
        .zip(rows.into_iter().next().unwrap_or_default())
        .collect();
    for (k, v) in changes {
        match fields.iter_mut().find(|(name, _)| *name == k) {
            Some(slot) => slot.1 = v,
            None => {
                return Err(AppError::Usage(format!(
                    "--{k} is not a {} column; columns: {}",
                    kind.singular(),
                    names.join(", ")
                )));
            }
        }
    }
    let mut batch = parse_one(kind, &fields)?;
    let record = batch
        .holder()
        .pop()
        .ok_or_else(|| AppError::Usage("nothing to edit".into()))?;
    let record: Located<T> = Located {
        position: Position::File,
        record: record.record,
    };
    replace_checked(store, ARGS, record).await?;
    println!("updated {} {id}", kind.singular());
    Ok(())
}

async fn show<T: Record>(
    store: &AnyStore,
    kind: EntityKind,
    id: &str,
    output: OutputArgs,
) -> Result<(), AppError> {
    let record: T = store.get(id).await?.ok_or_else(|| AppError::NotFound {
        kind: kind.singular(),
        id: id.to_string(),
    })?;
    let (names, rows) = milieu_io::export::rows(kind, std::slice::from_ref(&record));
    let json = serde_json::to_value(&record).unwrap_or_default();
    output::print_record(&names, &rows[0], json, output.format).map_err(output::output_error)
}

async fn list(store: &AnyStore, kind: EntityKind, args: ListArgs) -> Result<(), AppError> {
    let mut conditions: Vec<(String, String)> = Vec::new();
    for c in &args.conditions {
        let (k, v) = c
            .split_once('=')
            .ok_or_else(|| AppError::Usage(format!("--where {c:?}: expected COLUMN=VALUE")))?;
        conditions.push((k.trim().to_string(), v.trim().to_string()));
    }
    if kind == EntityKind::Organisation && conditions.is_empty() {
        // Indexed query in the store.
        let query = OrgQuery {
            text: args.search.clone(),
            kind: args.kind.clone(),
            region: args.region.clone(),
            country: args.country.clone(),
            sector: args.sector.clone(),
            limit: args.limit,
            offset: args.offset,
        };
        let orgs = store.organisations(&query).await?;
        return print_records(kind, &orgs, args.output);
    }
    with_record_type!(kind, T => {
        let all: Vec<T> = store.load().await?;
        let (names, rows) = milieu_io::export::rows(kind, &all);
        for (k, _) in &conditions {
            if !names.contains(&k.as_str()) {
                return Err(AppError::Usage(format!("--where {k}: not a {} column; columns: {}", kind.singular(), names.join(", "))));
            }
        }
        let needle = args.search.as_deref().map(str::to_lowercase);
        let col = |name: &str| names.iter().position(|n| *n == name);
        let mut exact = conditions.clone();
        for (name, value) in [("kind", &args.kind), ("region", &args.region), ("country", &args.country)] {
            if let Some(v) = value {
                if col(name).is_none() {
                    return Err(AppError::Usage(format!("--{name}: {} records have no {name}", kind.plural())));
                }
                exact.push((name.to_string(), v.clone()));
            }
        }
        let keep: Vec<usize> = rows
            .iter()
            .enumerate()
            .filter(|(_, r)| {
                exact.iter().all(|(k, v)| col(k).is_some_and(|i| r[i] == *v))
                    && needle.as_ref().is_none_or(|n| r.iter().any(|c| c.to_lowercase().contains(n)))
            })
            .map(|(i, _)| i)
            .skip(args.offset.unwrap_or(0) as usize)
            .take(args.limit.map(|l| l as usize).unwrap_or(usize::MAX))
            .collect();
        let chosen: Vec<&T> = keep.iter().map(|&i| &all[i]).collect();
        print_records(kind, &chosen, args.output)
    })
}

/// Columns a table shows for each kind (CSV and JSON show all).
fn table_columns(kind: EntityKind) -> &'static [&'static str] {
    match kind {
        EntityKind::Organisation => &[
            "id",
            "name",
            "kind",
            "employees",
            "sectors",
            "region",
            "country",
            "city",
        ],
        EntityKind::Tie => &[
            "id",
            "from_id",
            "to_id",
            "kind",
            "start",
            "end",
            "strength",
            "visibility",
        ],
        _ => {
            let cols = registry_csv::columns(kind);
            cols.required
        }
    }
}

fn print_records<T: serde::Serialize>(
    kind: EntityKind,
    records: &[T],
    output: OutputArgs,
) -> Result<(), AppError> {
    let result = match output.format {
        output::Format::Json => output::print_rows(records, output.format),
        format => {
            let (names, rows) = milieu_io::export::rows(kind, records);
            if format == output::Format::Table {
                let cols = table_columns(kind);
                let idx: Vec<usize> = cols
                    .iter()
                    .filter_map(|c| names.iter().position(|n| n == c))
                    .collect();
                let shown: Vec<Vec<String>> = rows
                    .iter()
                    .map(|r| idx.iter().map(|&i| r[i].clone()).collect())
                    .collect();
                let heads: Vec<&str> = idx.iter().map(|&i| names[i]).collect();
                output::print_table(&heads, &shown, format)
            } else {
                output::print_table(&names, &rows, format)
            }
        }
    };
    result
        .context("writing the listing")
        .map_err(output::output_error)
}
