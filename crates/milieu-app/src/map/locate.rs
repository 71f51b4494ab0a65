//! Locating a problem found only in the whole table (duplicates, regions missing from the
//! hierarchy, industries the definitions do not know) at its first file line, by reading the
//! file again.

use super::{open_read, source_name};
use crate::AppError;
use milieu_io::{InputError, Position};
use std::collections::HashSet;
use std::path::PathBuf;

/// Which columns of an input file hold the region, industry and year, and for CBP which
/// rows are table rows.
pub(super) struct Layout {
    pub(super) region: &'static str,
    pub(super) industry: String,
    pub(super) year: &'static str,
    /// CBP: keep rows whose `naics_digits` equals this.
    pub(super) digits: Option<u8>,
}

/// A problem found in the whole table, to be pinned to the first line that shows it.
pub(super) enum Finding<'a> {
    Duplicate {
        region: &'a str,
        industry: &'a str,
        year: u16,
    },
    Region(&'a HashSet<String>),
    Industry(&'a HashSet<String>),
}

/// The first (file, line, column, value) in `files` where `finding` shows.
fn locate(
    files: &[PathBuf],
    layout: &Layout,
    finding: &Finding,
) -> Option<(String, u64, String, String)> {
    for path in files {
        let reader = open_read(path).ok()?;
        let mut rdr = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .flexible(true)
            .from_reader(reader);
        let header: Vec<String> = rdr
            .headers()
            .ok()?
            .iter()
            .map(|h| h.to_ascii_lowercase())
            .collect();
        let find = |n: &str| header.iter().position(|h| h == n);
        let (cr, ci, cy) = (
            find(layout.region)?,
            find(&layout.industry)?,
            find(layout.year)?,
        );
        let cd = layout.digits.and_then(|_| find("naics_digits"));
        let mut seen = 0;
        for rec in rdr.records() {
            let Ok(rec) = rec else { return None };
            let line = rec.position().map_or(0, |p| p.line());
            if let (Some(d), Some(k)) = (layout.digits, cd)
                && rec.get(k).and_then(|v| v.parse::<u8>().ok()) != Some(d)
            {
                continue;
            }
            let (region, industry) = (rec.get(cr).unwrap_or(""), rec.get(ci).unwrap_or(""));
            let hit = match finding {
                Finding::Duplicate {
                    region: r,
                    industry: i,
                    year,
                } => {
                    let same = region == *r
                        && industry == *i
                        && rec
                            .get(cy)
                            .and_then(|y| y.parse::<f64>().ok())
                            .is_some_and(|y| y == *year as f64);
                    if same {
                        seen += 1;
                    }
                    same && seen == 2
                }
                Finding::Region(codes) => codes.contains(region),
                Finding::Industry(codes) => codes.contains(industry),
            };
            if hit {
                let (column, value) = match finding {
                    Finding::Industry(_) => (&header[ci], industry),
                    _ => (&header[cr], region),
                };
                return Some((source_name(path), line, column.clone(), value.to_string()));
            }
        }
    }
    None
}

pub(super) fn preview(codes: &[String]) -> String {
    let mut s = codes.iter().take(8).cloned().collect::<Vec<_>>().join(", ");
    if codes.len() > 8 {
        s.push_str(&format!(" and {} more", codes.len() - 8));
    }
    s
}

/// A table-wide problem as an input error at its first line (or without a line when the
/// files cannot be read again).
pub(super) fn located_error(
    files: &[PathBuf],
    layout: &Layout,
    finding: Finding,
    fallback_column: &str,
    fallback_value: &str,
    expected: String,
) -> AppError {
    match locate(files, layout, &finding) {
        Some((file, line, column, value)) => AppError::Input(InputError::new(
            &file,
            Position::Line(line),
            Some(&column),
            Some(&value),
            expected,
        )),
        None => AppError::Input(InputError::new(
            &files.first().map(|f| source_name(f)).unwrap_or_default(),
            Position::File,
            Some(fallback_column),
            Some(fallback_value),
            expected,
        )),
    }
}
