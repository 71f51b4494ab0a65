//! Records back out, as CSV with the import's column names (so an export imports again) or as
//! a JSON array in milieu-model's serde shape.

use crate::registry_csv::columns;
use milieu_model::EntityKind;
use serde::Serialize;
use serde_json::Value;
use std::io::Write;

fn cell(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| cell(Some(v)))
            .collect::<Vec<_>>()
            .join(";"),
        Some(v) => v.to_string(),
    }
}

/// The field of a serialized record that a CSV column holds: the same name, the name without
/// `_id` (`parent_id` -> `parent`), or an eligibility rule (`eligible_sizes`).
fn field<'a>(record: &'a Value, column: &str) -> Option<&'a Value> {
    if let Some(v) = record.get(column) {
        return Some(v);
    }
    if let Some(base) = column.strip_suffix("_id") {
        return record.get(base);
    }
    let rule = match column {
        "eligible_kinds" => "kinds",
        "eligible_sizes" => "size_classes",
        "eligible_countries" => "countries",
        "eligible_sectors" => "sectors",
        _ => return None,
    };
    record.get("eligibility").and_then(|e| e.get(rule))
}

/// Writes records of one kind as CSV with every column of the kind.
pub fn write_csv<T: Serialize>(
    kind: EntityKind,
    records: &[T],
    out: impl Write,
) -> Result<(), std::io::Error> {
    let cols = columns(kind);
    let names: Vec<&str> = cols.required.iter().chain(cols.optional).copied().collect();
    let mut w = csv::Writer::from_writer(out);
    w.write_record(&names)?;
    for record in records {
        let value = serde_json::to_value(record).map_err(std::io::Error::other)?;
        w.write_record(names.iter().map(|c| cell(field(&value, c))))?;
    }
    w.flush()
}

/// Writes records as a pretty JSON array.
pub fn write_json<T: Serialize>(records: &[T], mut out: impl Write) -> Result<(), std::io::Error> {
    serde_json::to_writer_pretty(&mut out, records).map_err(std::io::Error::other)?;
    writeln!(out)
}

/// Column names and cells of records as the CSV export writes them.
pub fn rows<T: Serialize>(
    kind: EntityKind,
    records: &[T],
) -> (Vec<&'static str>, Vec<Vec<String>>) {
    let cols = columns(kind);
    let names: Vec<&'static str> = cols.required.iter().chain(cols.optional).copied().collect();
    let cells = records
        .iter()
        .map(|r| {
            let value = serde_json::to_value(r).unwrap_or(Value::Null);
            names.iter().map(|c| cell(field(&value, c))).collect()
        })
        .collect();
    (names, cells)
}
