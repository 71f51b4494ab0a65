//! Calendar periods (quarters or years) over a date range.

use chrono::Datelike;
use milieu_model::Date;
use serde::Serialize;

/// How a KPI series is bucketed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Granularity {
    #[default]
    Quarter,
    Year,
}

impl std::str::FromStr for Granularity {
    type Err = crate::Error;
    fn from_str(s: &str) -> Result<Self, crate::Error> {
        match s.trim().to_ascii_lowercase().as_str() {
            "quarter" | "q" => Ok(Self::Quarter),
            "year" | "y" => Ok(Self::Year),
            _ => Err(crate::Error::Invalid {
                field: "by",
                value: s.to_string(),
                expected: "quarter or year".into(),
            }),
        }
    }
}

/// One bucket of a series: `label` (`2024-Q1`, `2024`), first and last day (inclusive), both
/// clipped to the evaluated range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub label: String,
    pub start: Date,
    pub end: Date,
}

impl Period {
    pub fn contains(&self, d: Date) -> bool {
        self.start <= d && d <= self.end
    }
}

fn ymd(y: i32, m: u32, d: u32) -> Date {
    Date::from_ymd_opt(y, m, d).unwrap_or(Date::MIN)
}

/// Calendar quarters or years overlapping `from..=to`, clipped to it; empty when from > to.
pub fn periods(from: Date, to: Date, by: Granularity) -> Vec<Period> {
    let mut out = Vec::new();
    if from > to {
        return out;
    }
    let (mut y, mut q) = (from.year(), (from.month0() / 3) as i32);
    loop {
        let (start, end, label) = match by {
            Granularity::Year => (ymd(y, 1, 1), ymd(y, 12, 31), format!("{y}")),
            Granularity::Quarter => {
                let m = (q * 3 + 1) as u32;
                let start = ymd(y, m, 1);
                let next = if q == 3 {
                    ymd(y + 1, 1, 1)
                } else {
                    ymd(y, m + 3, 1)
                };
                (
                    start,
                    next.pred_opt().unwrap_or(next),
                    format!("{y}-Q{}", q + 1),
                )
            }
        };
        if start > to {
            break;
        }
        out.push(Period {
            label,
            start: start.max(from),
            end: end.min(to),
        });
        match by {
            Granularity::Year => y += 1,
            Granularity::Quarter => {
                q += 1;
                if q == 4 {
                    q = 0;
                    y += 1;
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn quarters_are_clipped_to_the_range() {
        let p = periods(ymd(2024, 2, 15), ymd(2024, 7, 1), Granularity::Quarter);
        let labels: Vec<_> = p.iter().map(|p| p.label.as_str()).collect();
        assert_eq!(labels, ["2024-Q1", "2024-Q2", "2024-Q3"]);
        assert_eq!(p[0].start, ymd(2024, 2, 15));
        assert_eq!(p[1].end, ymd(2024, 6, 30));
        assert_eq!(p[2].end, ymd(2024, 7, 1));
        let y = periods(ymd(2023, 5, 1), ymd(2025, 1, 1), Granularity::Year);
        assert_eq!(y.len(), 3);
        assert!(periods(ymd(2025, 1, 2), ymd(2025, 1, 1), Granularity::Year).is_empty());
    }
}
