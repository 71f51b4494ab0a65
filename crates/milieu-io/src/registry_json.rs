//! JSON readers: a file holds an array of records of one kind, in milieu-model's serde shape
//! (docs/formats.md), or a whole [`milieu_model::Dataset`] document.

use crate::{InputError, Located, LocatedDataset, Position};
use milieu_model::EntityKind;
use serde::de::DeserializeOwned;
use std::io::Read;

fn parse_items<T: DeserializeOwned>(
    source: &str,
    items: Vec<serde_json::Value>,
) -> Result<Vec<Located<T>>, InputError> {
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            serde_json::from_value::<T>(item)
                .map(|record| Located {
                    position: Position::Item(i),
                    record,
                })
                .map_err(|e| {
                    InputError::new(
                        source,
                        Position::Item(i),
                        None,
                        None,
                        format!("a valid record ({e})"),
                    )
                })
        })
        .collect()
}

fn read_value(source: &str, reader: impl Read) -> Result<serde_json::Value, InputError> {
    let mut text = String::new();
    let mut reader = reader;
    reader.read_to_string(&mut text).map_err(|_| {
        InputError::new(
            source,
            Position::File,
            None,
            None,
            "UTF-8 text (save the file as UTF-8)",
        )
    })?;
    if text.trim().is_empty() {
        return Err(InputError::new(
            source,
            Position::File,
            None,
            None,
            "a JSON document; the file is empty",
        ));
    }
    serde_json::from_str(&text).map_err(|e| {
        InputError::new(
            source,
            Position::Line(e.line() as u64),
            Some(&format!("{}", e.column())),
            None,
            format!("valid JSON ({e})"),
        )
    })
}

/// Reads a JSON array of one record kind into `into` (all or nothing).
pub fn read(
    kind: EntityKind,
    source: &str,
    reader: impl Read,
    into: &mut LocatedDataset,
) -> Result<usize, InputError> {
    let value = read_value(source, reader)?;
    let serde_json::Value::Array(items) = value else {
        return Err(InputError::new(
            source,
            Position::File,
            None,
            None,
            format!("a JSON array of {} records", kind.plural()),
        ));
    };
    if items.is_empty() {
        return Err(InputError::new(
            source,
            Position::File,
            None,
            None,
            format!(
                "at least one {} record; the array is empty",
                kind.singular()
            ),
        ));
    }
    let n = items.len();
    let mut staged = LocatedDataset::new(source);
    match kind {
        EntityKind::Organisation => staged.organisations = parse_items(source, items)?,
        EntityKind::Person => staged.people = parse_items(source, items)?,
        EntityKind::Affiliation => staged.affiliations = parse_items(source, items)?,
        EntityKind::Cluster => staged.clusters = parse_items(source, items)?,
        EntityKind::Initiative => staged.initiatives = parse_items(source, items)?,
        EntityKind::Membership => staged.memberships = parse_items(source, items)?,
        EntityKind::Event => staged.events = parse_items(source, items)?,
        EntityKind::Attendance => staged.attendance = parse_items(source, items)?,
        EntityKind::TopicRequest => staged.topic_requests = parse_items(source, items)?,
        EntityKind::Project => staged.projects = parse_items(source, items)?,
        EntityKind::Participation => staged.participations = parse_items(source, items)?,
        EntityKind::Tie => staged.ties = parse_items(source, items)?,
        EntityKind::Introduction => staged.introductions = parse_items(source, items)?,
        EntityKind::Opportunity => staged.opportunities = parse_items(source, items)?,
        EntityKind::Outcome => staged.outcomes = parse_items(source, items)?,
    }
    crate::registry_csv::append(into, staged);
    Ok(n)
}

/// Reads a whole dataset document (`{"organisations": [...], "ties": [...], ...}`).
pub fn read_dataset(source: &str, reader: impl Read) -> Result<LocatedDataset, InputError> {
    let value = read_value(source, reader)?;
    let data: milieu_model::Dataset = serde_json::from_value(value).map_err(|e| {
        InputError::new(
            source,
            Position::File,
            None,
            None,
            format!("a milieu dataset document ({e})"),
        )
    })?;
    Ok(LocatedDataset::from_dataset(source, data))
}
