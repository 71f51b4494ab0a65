//! Every listing prints as an aligned table, CSV or JSON.

use milieu_app::AppError;
use serde::Serialize;
use serde_json::Value;
use std::io::Write;

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Table,
    Csv,
    Json,
}

#[derive(clap::Args, Debug, Clone, Copy)]
pub struct OutputArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// Longest cell a table shows; CSV and JSON show everything.
const TABLE_CELL: usize = 48;

fn cell(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(cell).collect::<Vec<_>>().join(";"),
        Value::Number(n) => n.to_string(),
        v => v.to_string(),
    }
}

/// Prints serializable rows; the columns of CSV and tables are the fields of the first row.
/// Writing the answer failed (standard output closed, a value that does not serialise): not
/// the user's input, so an internal error (exit code 1).
pub fn output_error<E: std::fmt::Display>(e: E) -> AppError {
    AppError::Internal(format!("cannot write the output: {e:#}"))
}

pub fn print_rows<T: Serialize>(rows: &[T], format: Format) -> anyhow::Result<()> {
    if format == Format::Json {
        let mut out = std::io::stdout().lock();
        serde_json::to_writer_pretty(&mut out, rows)?;
        writeln!(out)?;
        return Ok(());
    }
    let values: Vec<Value> = rows
        .iter()
        .map(serde_json::to_value)
        .collect::<Result<_, _>>()?;
    let headers: Vec<String> = match values.first() {
        Some(Value::Object(m)) => m.keys().cloned().collect(),
        _ => vec!["value".to_string()],
    };
    let cells: Vec<Vec<String>> = values
        .iter()
        .map(|v| match v {
            Value::Object(m) => headers
                .iter()
                .map(|h| m.get(h).map(cell).unwrap_or_default())
                .collect(),
            v => vec![cell(v)],
        })
        .collect();
    let names: Vec<&str> = headers.iter().map(String::as_str).collect();
    print_table(&names, &cells, format)
}

/// Prints a table given as column names and rows of cells.
pub fn print_table(headers: &[&str], rows: &[Vec<String>], format: Format) -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match format {
        Format::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record(headers)?;
            for r in rows {
                w.write_record(r)?;
            }
            w.flush()?;
        }
        Format::Json => {
            let objects: Vec<serde_json::Map<String, Value>> = rows
                .iter()
                .map(|r| {
                    headers
                        .iter()
                        .zip(r)
                        .map(|(h, v)| (h.to_string(), Value::String(v.clone())))
                        .collect()
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &objects)?;
            writeln!(out)?;
        }
        Format::Table => {
            let shown: Vec<Vec<String>> = rows
                .iter()
                .map(|r| r.iter().map(|c| shorten(c)).collect())
                .collect();
            let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
            for r in &shown {
                for (i, c) in r.iter().enumerate() {
                    if let Some(w) = widths.get_mut(i) {
                        *w = (*w).max(c.chars().count());
                    }
                }
            }
            let line = |out: &mut dyn Write,
                        cells: &mut dyn Iterator<Item = &str>|
             -> std::io::Result<()> {
                let mut s = String::new();
                for (i, c) in cells.enumerate() {
                    if i > 0 {
                        s.push_str("  ");
                    }
                    s.push_str(c);
                    let pad = widths
                        .get(i)
                        .copied()
                        .unwrap_or(0)
                        .saturating_sub(c.chars().count());
                    s.extend(std::iter::repeat_n(' ', pad));
                }
                writeln!(out, "{}", s.trim_end())
            };
            line(&mut out, &mut headers.iter().copied())?;
            let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
            line(&mut out, &mut rule.iter().map(String::as_str))?;
            for r in &shown {
                line(&mut out, &mut r.iter().map(String::as_str))?;
            }
            writeln!(out, "({} rows)", rows.len())?;
        }
    }
    out.flush()?;
    Ok(())
}

fn shorten(text: &str) -> String {
    let one_line = text.replace(['\n', '\r'], " ");
    if one_line.chars().count() <= TABLE_CELL {
        one_line
    } else {
        let mut s: String = one_line.chars().take(TABLE_CELL - 1).collect();
        s.push('…');
        s
    }
}

/// Prints one record as `field: value` lines (table) or in full (CSV, JSON).
pub fn print_record(
    headers: &[&str],
    row: &[String],
    json: Value,
    format: Format,
) -> anyhow::Result<()> {
    match format {
        Format::Json => {
            println!("{}", serde_json::to_string_pretty(&json)?);
            Ok(())
        }
        Format::Csv => print_table(headers, &[row.to_vec()], Format::Csv),
        Format::Table => {
            let width = headers.iter().map(|h| h.len()).max().unwrap_or(0);
            for (h, v) in headers.iter().zip(row) {
                if !v.is_empty() {
                    println!("{h:>width$}  {v}");
                }
            }
            Ok(())
        }
    }
}
