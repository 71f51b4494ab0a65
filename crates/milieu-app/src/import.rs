//! Checked imports: every record is validated, every id is new, every reference resolves (in
//! the batch or the store), then the whole batch is written in one transaction. The first
//! problem found stops the import with a message naming the file, line, column and value, and
//! the database is left unchanged.

use crate::AppError;
use milieu_io::{InputError, Located, LocatedDataset, Position};
use milieu_model::*;
use milieu_store::{Record, Store};
use std::collections::{HashMap, HashSet};

/// What an import wrote.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ImportReport {
    pub source: String,
    pub counts: Vec<(String, u64)>,
}

fn input_error(
    source: &str,
    position: &Position,
    field: &str,
    value: &str,
    expected: impl Into<String>,
) -> AppError {
    AppError::Input(InputError::new(
        source,
        position.clone(),
        Some(field),
        Some(value),
        expected,
    ))
}

/// Column name a model field is read from in CSV files (`parent` is read from `parent_id`).
fn column_of(kind: EntityKind, field: &str) -> String {
    let cols = milieu_io::registry_csv::columns(kind);
    let with_id = format!("{field}_id");
    if cols.required.contains(&with_id.as_str()) || cols.optional.contains(&with_id.as_str()) {
        with_id
    } else {
        field.to_string()
    }
}

struct Checker<'a> {
    source: &'a str,
    /// Ids in the batch, per kind, with where each was read.
    batch_ids: HashMap<EntityKind, HashMap<String, Position>>,
    /// References to check: (kind, id, where, field).
    refs: Vec<(EntityKind, String, Position, &'static str, EntityKind)>,
}

impl<'a> Checker<'a> {
    fn records<T: Record + Validate + References>(
        &mut self,
        records: &[Located<T>],
    ) -> Result<(), AppError> {
        for located in records {
            let r = &located.record;
            if let Some(e) = r.validate().into_iter().next() {
                return Err(input_error(
                    self.source,
                    &located.position,
                    &column_of(T::KIND, e.field),
                    &e.value,
                    e.expected,
                ));
            }
            if let Some(id) = r.id() {
                let ids = self.batch_ids.entry(T::KIND).or_default();
                if let Some(first) = ids.get(id) {
                    return Err(input_error(
                        self.source,
                        &located.position,
                        "id",
                        id,
                        format!(
                            "a {} id not used before in this import (already at {first})",
                            T::KIND.singular()
                        ),
                    ));
                }
                ids.insert(id.to_string(), located.position.clone());
            }
            for reference in r.references() {
                self.refs.push((
                    reference.kind,
                    reference.id,
                    located.position.clone(),
                    reference.field,
                    T::KIND,
                ));
            }
        }
        Ok(())
    }
}

/// Duplicate rows among records without ids (the same attendance twice, ...).
fn no_duplicate_rows<T, K: std::hash::Hash + Eq>(
    source: &str,
    records: &[Located<T>],
    what: &str,
    key: impl Fn(&T) -> K,
) -> Result<(), AppError> {
    let mut seen: HashMap<K, &Position> = HashMap::new();
    for l in records {
        if let Some(first) = seen.insert(key(&l.record), &l.position) {
            return Err(input_error(
                source,
                &l.position,
                "row",
                "",
                format!("each {what} once (the same one is already at {first})"),
            ));
        }
    }
    Ok(())
}

/// Checks a batch against the model's rules and the store, then writes it in one transaction.
pub async fn import_checked<S: Store>(
    store: &S,
    batch: &LocatedDataset,
) -> Result<ImportReport, AppError> {
    check_batch(store, batch, Mode::Insert).await?;
    let data = batch.to_dataset();
    let summary = store.import(&data).await?;
    Ok(ImportReport {
        source: batch.source_name.clone(),
        counts: summary.counts,
    })
}

/// Checks a batch as [`import_checked`] would, without writing it (for use cases that write
/// the batch together with records of their own in one transaction).
pub async fn check_insert<S: Store>(store: &S, batch: &LocatedDataset) -> Result<(), AppError> {
    check_batch(store, batch, Mode::Insert).await
}

/// Checks an edited record (it must already exist) and replaces the stored one.
pub async fn replace_checked<S: Store, T: Record + Validate + References + Clone>(
    store: &S,
    source: &str,
    record: Located<T>,
) -> Result<(), AppError>
where
    LocatedDataset: Holds<T>,
{
    let mut batch = LocatedDataset::new(source);
    batch.holder().push(record.clone());
    check_batch(store, &batch, Mode::Replace).await?;
    store.replace(&record.record).await?;
    Ok(())
}

/// Access to the vector of one record kind inside a [`LocatedDataset`].
pub trait Holds<T> {
    fn holder(&mut self) -> &mut Vec<Located<T>>;
}

macro_rules! holds {
    ($($ty:ty => $field:ident),*) => {$(
        impl Holds<$ty> for LocatedDataset {
            fn holder(&mut self) -> &mut Vec<Located<$ty>> { &mut self.$field }
        }
    )*};
}
holds!(Organisation => organisations, Person => people, Affiliation => affiliations,
    Cluster => clusters, Initiative => initiatives, Membership => memberships, Event => events,
    Attendance => attendance, TopicRequest => topic_requests, Project => projects,
    Participation => participations, Tie => ties, Introduction => introductions,
    Opportunity => opportunities, Outcome => outcomes);

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Insert,
    Replace,
}

async fn check_batch<S: Store>(
    store: &S,
    batch: &LocatedDataset,
    mode: Mode,
) -> Result<(), AppError> {
    let source = batch.source_name.as_str();
    if batch.is_empty() {
        return Err(AppError::Input(InputError::new(
            source,
            Position::File,
            None,
            None,
            "at least one record",
        )));
    }
    let mut c = Checker {
        source,
        batch_ids: HashMap::new(),
        refs: Vec::new(),
    };
    c.records(&batch.organisations)?;
    c.records(&batch.people)?;
    c.records(&batch.affiliations)?;
    c.records(&batch.clusters)?;
    c.records(&batch.initiatives)?;
    c.records(&batch.memberships)?;
    c.records(&batch.events)?;
    c.records(&batch.attendance)?;
    c.records(&batch.topic_requests)?;
    c.records(&batch.projects)?;
    c.records(&batch.participations)?;
    c.records(&batch.ties)?;
    c.records(&batch.introductions)?;
    c.records(&batch.opportunities)?;
    c.records(&batch.outcomes)?;

    no_duplicate_rows(source, &batch.attendance, "attendance", |a| {
        (a.event.clone(), a.org.clone(), a.person.clone())
    })?;
    no_duplicate_rows(source, &batch.participations, "participation", |p| {
        (p.project.clone(), p.org.clone())
    })?;
    no_duplicate_rows(source, &batch.affiliations, "affiliation", |a| {
        (a.person.clone(), a.org.clone(), a.from)
    })?;
    no_duplicate_rows(source, &batch.memberships, "membership", |m| {
        (
            m.initiative.clone(),
            m.org.clone(),
            m.person.clone(),
            m.role,
            m.from,
        )
    })?;

    // Ids already in the store (an insert) or missing from it (a replacement).
    for (&kind, ids) in &c.batch_ids {
        let list: Vec<String> = ids.keys().cloned().collect();
        let taken = store.existing_ids(kind, &list).await?;
        if mode == Mode::Replace {
            if let Some((id, _)) = ids.iter().find(|(id, _)| !taken.contains(*id)) {
                return Err(AppError::NotFound {
                    kind: kind.singular(),
                    id: id.clone(),
                });
            }
            continue;
        }
        if let Some((id, pos)) = ids
            .iter()
            .filter(|(id, _)| taken.contains(*id))
            .min_by_key(|(_, p)| position_key(p))
        {
            return Err(input_error(
                source,
                pos,
                "id",
                id,
                format!(
                    "a new {} id (this one is already in the database)",
                    kind.singular()
                ),
            ));
        }
    }

    // References resolve in the batch or the store.
    let mut unresolved: HashMap<EntityKind, HashSet<String>> = HashMap::new();
    for (kind, id, ..) in &c.refs {
        if !c
            .batch_ids
            .get(kind)
            .is_some_and(|ids| ids.contains_key(id))
        {
            unresolved.entry(*kind).or_default().insert(id.clone());
        }
    }
    let mut known: HashMap<EntityKind, HashSet<String>> = HashMap::new();
    for (kind, ids) in unresolved {
        let list: Vec<String> = ids.into_iter().collect();
        known.insert(kind, store.existing_ids(kind, &list).await?);
    }
    for (kind, id, position, field, from_kind) in &c.refs {
        let in_batch = c
            .batch_ids
            .get(kind)
            .is_some_and(|ids| ids.contains_key(id));
        let in_store = known.get(kind).is_some_and(|ids| ids.contains(id));
        if !in_batch && !in_store {
            return Err(input_error(
                source,
                position,
                &column_of(*from_kind, field),
                id,
                format!(
                    "the id of a known {} (none has this id in the file or the database)",
                    kind.singular()
                ),
            ));
        }
    }

    check_dates_after_events(store, batch).await
}

fn position_key(p: &Position) -> (u64, usize) {
    match p {
        Position::Line(l) => (*l, 0),
        Position::Item(i) => (0, *i),
        Position::File | Position::Arguments => (0, 0),
    }
}

/// A tie that came from an event, or an outcome of an event or introduction, cannot predate it.
async fn check_dates_after_events<S: Store>(
    store: &S,
    batch: &LocatedDataset,
) -> Result<(), AppError> {
    let source = batch.source_name.as_str();
    let mut event_dates: HashMap<String, Date> = batch
        .events
        .iter()
        .map(|e| (e.record.id.0.clone(), e.record.date))
        .collect();
    let mut intro_dates: HashMap<String, Date> = batch
        .introductions
        .iter()
        .map(|i| (i.record.id.0.clone(), i.record.date))
        .collect();
    let wanted_events: HashSet<&EventId> = batch
        .ties
        .iter()
        .filter_map(|t| t.record.event.as_ref())
        .chain(
            batch
                .outcomes
                .iter()
                .filter_map(|o| o.record.event.as_ref()),
        )
        .collect();
    for id in wanted_events {
        if !event_dates.contains_key(id.as_str())
            && let Some(e) = store.get::<Event>(id.as_str()).await?
        {
            event_dates.insert(id.0.clone(), e.date);
        }
    }
    let wanted_intros: HashSet<&IntroductionId> = batch
        .ties
        .iter()
        .filter_map(|t| t.record.introduction.as_ref())
        .chain(
            batch
                .outcomes
                .iter()
                .filter_map(|o| o.record.introduction.as_ref()),
        )
        .collect();
    for id in wanted_intros {
        if !intro_dates.contains_key(id.as_str())
            && let Some(i) = store.get::<Introduction>(id.as_str()).await?
        {
            intro_dates.insert(id.0.clone(), i.date);
        }
    }
    // (where, column, date, event it came from, introduction it came from) for every dated
    // record that may have come from an event or an introduction.
    let dated = batch
        .ties
        .iter()
        .map(|t| {
            (
                &t.position,
                "start",
                t.record.start,
                &t.record.event,
                &t.record.introduction,
            )
        })
        .chain(batch.outcomes.iter().map(|o| {
            (
                &o.position,
                "date",
                o.record.date,
                &o.record.event,
                &o.record.introduction,
            )
        }));
    for (position, field, date, event, introduction) in dated {
        let origins = [
            ("event", event.as_ref().map(|e| e.as_str()), &event_dates),
            (
                "introduction",
                introduction.as_ref().map(|i| i.as_str()),
                &intro_dates,
            ),
        ];
        for (what, id, dates) in origins {
            if let Some((id, at)) = id.and_then(|id| dates.get(id).map(|at| (id, *at)))
                && date < at
            {
                return Err(input_error(
                    source,
                    position,
                    field,
                    &date.to_string(),
                    format!("a date on or after {at}, the date of {what} {id} it came from"),
                ));
            }
        }
    }
    Ok(())
}
