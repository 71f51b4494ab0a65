//! Industry code concordances (NAICS vintages). A code of the source vintage maps to one or
//! more codes of the target vintage; when it maps to several, its employment,
//! establishments and payroll are split equally among them (the concordance carries no
//! weights; the split is reported so an analyst sees every code it touched). Codes absent
//! from the concordance are reported, never dropped silently.

use std::collections::HashMap;
use std::io::Read;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::parse::read_small_csv;
use crate::table::{Column, Table};

/// Source-vintage code -> target-vintage codes.
#[derive(Debug, Clone, Default)]
pub struct Concordance {
    pub from: String,
    pub to: String,
    map: HashMap<String, Vec<String>>,
}

impl Concordance {
    pub fn targets(&self, code: &str) -> Option<&[String]> {
        self.map.get(code).map(|v| v.as_slice())
    }
    pub fn len(&self) -> usize {
        self.map.len()
    }
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
    /// Every (source code, target code) pair, sorted (e.g. for storing the concordance).
    pub fn pairs(&self) -> Vec<(&str, &str)> {
        let mut v: Vec<(&str, &str)> = self
            .map
            .iter()
            .flat_map(|(a, ts)| ts.iter().map(move |b| (a.as_str(), b.as_str())))
            .collect();
        v.sort_unstable();
        v
    }
    /// Build from explicit pairs (tests, custom bridges).
    pub fn from_pairs<'a>(
        from: &str,
        to: &str,
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Concordance {
        let mut c = Concordance {
            from: from.to_string(),
            to: to.to_string(),
            map: HashMap::new(),
        };
        for (a, b) in pairs {
            let v = c.map.entry(a.to_string()).or_default();
            if !v.iter().any(|x| x == b) {
                v.push(b.to_string());
            }
        }
        for v in c.map.values_mut() {
            v.sort();
        }
        c
    }
}

/// Read the NAICS time-series crosswalk (columns `NAICS_<vintage>_Code`, e.g. the EPA
/// `NAICS_Crosswalk_TimeSeries` file) for `from` -> `to` vintages. Only all-digit codes are
/// used (suffixed EPA/BEA pseudo-codes are skipped).
pub fn read_naics_concordance<R: Read>(
    reader: R,
    source: &str,
    from: &str,
    to: &str,
) -> Result<Concordance> {
    let (header, rows) = read_small_csv(reader, source)?;
    let col = |v: &str| {
        let name = format!("naics_{v}_code");
        header
            .iter()
            .position(|h| *h == name)
            .ok_or_else(|| Error::MissingColumn {
                file: source.to_string(),
                column: format!("NAICS_{v}_Code"),
                header: header.join(","),
            })
    };
    let (cf, ct) = (col(from)?, col(to)?);
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let pairs: Vec<(String, String)> = rows
        .iter()
        .filter_map(|(_, rec)| {
            let a = rec.get(cf)?.trim();
            let b = rec.get(ct)?.trim();
            (digits(a) && digits(b)).then(|| (a.to_string(), b.to_string()))
        })
        .collect();
    if pairs.is_empty() {
        return Err(Error::Empty {
            file: source.to_string(),
            hint: format!(" for NAICS {from} -> {to}"),
        });
    }
    Ok(Concordance::from_pairs(
        from,
        to,
        pairs.iter().map(|(a, b)| (a.as_str(), b.as_str())),
    ))
}

/// What to do with codes the concordance does not know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Unmapped {
    /// Keep them under their own code (a later definitions check will name them).
    #[default]
    Keep,
    /// Drop them (they are still listed in the report).
    Drop,
}

/// One code that did not map one-to-one.
#[derive(Debug, Clone, Serialize)]
pub struct BridgeRow {
    /// `unmapped`, `split` or `renamed`.
    pub kind: String,
    pub code: String,
    /// Target codes joined by `;` (empty when unmapped).
    pub targets: String,
    /// Employment of the code over all years and regions of the table.
    pub employment: f64,
    /// For unmapped codes: `kept` or `dropped`.
    pub action: String,
}

/// Bridge the table's industry codes through a concordance. Returns the bridged table and
/// a row for every code that was unmapped, split or renamed.
pub fn bridge(
    table: &Table,
    concordance: &Concordance,
    unmapped: Unmapped,
) -> Result<(Table, Vec<BridgeRow>)> {
    let mut emp_by_code = vec![0.0; table.industries().len()];
    let emp = table.column(Column::Employment);
    for (i, e) in emp.iter().enumerate() {
        emp_by_code[table.industry[i] as usize] += e;
    }
    let mut report = Vec::new();
    for (id, code) in table.industries().codes().iter().enumerate() {
        let e = emp_by_code[id];
        match concordance.targets(code) {
            None => report.push(BridgeRow {
                kind: "unmapped".into(),
                code: code.to_string(),
                targets: String::new(),
                employment: e,
                action: match unmapped {
                    Unmapped::Keep => "kept".into(),
                    Unmapped::Drop => "dropped".into(),
                },
            }),
            Some(t) if t.len() > 1 => report.push(BridgeRow {
                kind: "split".into(),
                code: code.to_string(),
                targets: t.join(";"),
                employment: e,
                action: format!("divided equally in {}", t.len()),
            }),
            Some(t) if *t[0] != **code => report.push(BridgeRow {
                kind: "renamed".into(),
                code: code.to_string(),
                targets: t[0].clone(),
                employment: e,
                action: "moved".into(),
            }),
            Some(_) => {}
        }
    }
    report.sort_by(|a, b| {
        (a.kind.as_str(), a.code.as_str()).cmp(&(b.kind.as_str(), b.code.as_str()))
    });
    let bridged = table.remap_industries(|code| match concordance.targets(code) {
        Some(t) => {
            let w = 1.0 / t.len() as f64;
            t.iter().map(|c| (c.clone(), c.clone(), w)).collect()
        }
        None => match unmapped {
            Unmapped::Keep => vec![(code.to_string(), code.to_string(), 1.0)],
            Unmapped::Drop => Vec::new(),
        },
    })?;
    // Keep the source names where the code did not change.
    let mut out = bridged;
    for id in 0..out.industries.len() as u32 {
        let code = out.industries.code(id).to_string();
        if let Some(src) = table.industries().get(&code) {
            let name = table.industries().name(src).to_string();
            out.industries.intern(&code, Some(&name));
        }
    }
    Ok((out, report))
}
