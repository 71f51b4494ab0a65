//! Readers for regional employment tables: County Business Patterns extracts (a hand-rolled
//! line parser that overlaps reading/decompression on a second thread with parsing) and the
//! generic long table (csv crate, header-driven). Both add to a [`TableBuilder`], so several
//! files (years) can be loaded into one table.

use std::io::Read;
use std::sync::mpsc::sync_channel;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::table::{MISSING, TableBuilder, Totals};

/// Options for [`read_cbp`].
#[derive(Debug, Clone)]
pub struct CbpOptions {
    /// NAICS level to keep (2..=6). A table holds one level so sums never double count.
    pub digits: u8,
}

impl Default for CbpOptions {
    fn default() -> Self {
        CbpOptions { digits: 6 }
    }
}

/// What a CBP file contained.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CbpReport {
    pub source: String,
    /// Name of the NAICS code column (tells the code vintage, e.g. `naics2017`).
    pub code_column: String,
    pub lines: u64,
    pub rows_kept: u64,
    pub totals_rows: u64,
    /// Kept rows with employment 0 (CBP suppression with establishments > 0).
    pub zero_employment_rows: u64,
    pub years: Vec<u16>,
}

/// Positions of the CBP columns in the header.
struct CbpColumns {
    fips: usize,
    name: Option<usize>,
    year: usize,
    code: usize,
    digits: usize,
    label: Option<usize>,
    estab: Option<usize>,
    emp: usize,
    payroll: Option<usize>,
    payroll_scale: f64,
    count: usize,
}

const CHUNK: usize = 1 << 20;

/// Read a County Business Patterns county file (columns `fips5, county_name, year,
/// naics<vintage>, naics_digits, naics_label, estab, emp, payann_kusd`, as in the shared
/// `cbp-county-naics` extract) into `builder`. Rows at `opts.digits` become table rows; the
/// all-sector rows (`naics_digits` 0) become the regions' published totals. Payroll is
/// stored in dollars (`payann_kusd` x 1000). `reader` is read on a helper thread (so a gzip
/// decoder runs in parallel with parsing).
pub fn read_cbp<R: Read + Send>(
    reader: R,
    source: &str,
    opts: &CbpOptions,
    builder: &mut TableBuilder,
) -> Result<CbpReport> {
    if !(2..=6).contains(&opts.digits) {
        return Err(Error::option(
            "digits",
            format!("NAICS level must be 2..=6, got {}", opts.digits),
        ));
    }
    let want = [b'0' + opts.digits];
    let mut report = CbpReport {
        source: source.to_string(),
        ..Default::default()
    };
    let mut years_seen = std::collections::BTreeSet::new();
    std::thread::scope(|scope| -> Result<()> {
        let (tx, rx) = sync_channel::<std::io::Result<Vec<u8>>>(8);
        // Parsed chunks come back for reuse: fresh 1 MiB buffers would each be a new
        // mapping with page faults on first touch.
        let (back_tx, back_rx) = std::sync::mpsc::channel::<Vec<u8>>();
        let mut reader = reader;
        scope.spawn(move || {
            loop {
                let mut buf = back_rx.try_recv().unwrap_or_default();
                buf.resize(CHUNK, 0);
                let mut filled = 0;
                // Fill the chunk fully (decoders return small reads).
                let res = loop {
                    match reader.read(&mut buf[filled..]) {
                        Ok(0) => break Ok(filled),
                        Ok(n) => {
                            filled += n;
                            if filled == buf.len() {
                                break Ok(filled);
                            }
                        }
                        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                        Err(e) => break Err(e),
                    }
                };
                match res {
                    Ok(0) => break,
                    Ok(n) => {
                        buf.truncate(n);
                        if tx.send(Ok(buf)).is_err() {
                            break;
                        }
                    }
                    Err(e) => {
                        let _ = tx.send(Err(e));
                        break;
                    }
                }
            }
        });

        let mut cols: Option<CbpColumns> = None;
        let mut fields: Vec<(usize, usize)> = Vec::with_capacity(16);
        let mut last_region: Vec<u8> = Vec::new();
        let mut last_region_id = 0u32;
        let line_no = std::cell::Cell::new(0u64);
        let mut handle = |line: &[u8], builder: &mut TableBuilder| -> Result<()> {
            line_no.set(line_no.get() + 1);
            let line_no = line_no.get();
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if line.is_empty() {
                return Ok(());
            }
            let malformed = |m: String| Error::Malformed {
                file: source.to_string(),
                line: line_no,
                message: m,
            };
            let Some(c) = &cols else {
                split_fields(line, &mut fields).map_err(malformed)?;
                let header: Vec<String> = fields
                    .iter()
                    .map(|&(s, e)| unquote(&line[s..e]).trim().to_ascii_lowercase())
                    .collect();
                let c = cbp_columns(&header, source)?;
                report.code_column = header[c.code].clone();
                cols = Some(c);
                return Ok(());
            };
            // Most lines are at other NAICS levels: look at `naics_digits` first and only
            // split the whole line when it is kept.
            split_fields_upto(line, &mut fields, c.digits + 1).map_err(malformed)?;
            if fields.len() <= c.digits {
                return Err(malformed(format!(
                    "expected {} fields, found {}",
                    c.count,
                    fields.len()
                )));
            }
            let (ds, de) = fields[c.digits];
            let digits = trim(unquote_raw(&line[ds..de]));
            let is_total = digits == b"0";
            if !is_total && digits != want {
                return Ok(());
            }
            split_fields(line, &mut fields).map_err(malformed)?;
            if fields.len() != c.count {
                return Err(Error::Malformed {
                    file: source.to_string(),
                    line: line_no,
                    message: format!("expected {} fields, found {}", c.count, fields.len()),
                });
            }
            let f = |k: usize| {
                let (s, e) = fields[k];
                &line[s..e]
            };
            let field_err = |k: usize, name: &str, expected: &str| Error::Field {
                file: source.to_string(),
                line: line_no,
                column: name.to_string(),
                value: String::from_utf8_lossy(unquote_raw(f(k))).into_owned(),
                expected: expected.to_string(),
            };
            let year = parse_year(unquote_raw(f(c.year)))
                .ok_or_else(|| field_err(c.year, "year", "a year such as 2021"))?;
            let emp = parse_nonneg(unquote_raw(f(c.emp)))
                .ok_or_else(|| field_err(c.emp, "emp", "a non-negative number"))?;
            let estab = match c.estab {
                Some(k) => parse_nonneg(unquote_raw(f(k)))
                    .ok_or_else(|| field_err(k, "estab", "a non-negative number"))?,
                None => MISSING,
            };
            let payroll = match c.payroll {
                Some(k) => {
                    parse_nonneg(unquote_raw(f(k)))
                        .ok_or_else(|| field_err(k, "payroll", "a non-negative number"))?
                        * c.payroll_scale
                }
                None => MISSING,
            };
            let fips = trim(unquote_raw(f(c.fips)));
            if fips.is_empty() {
                return Err(field_err(c.fips, "fips5", "a county FIPS code"));
            }
            if fips != last_region.as_slice() || last_region.is_empty() {
                let code = std::str::from_utf8(fips)
                    .map_err(|_| field_err(c.fips, "fips5", "UTF-8 text"))?;
                let name = c.name.map(|k| unquote(f(k)));
                last_region_id = builder.region_id(code, name.as_deref());
                last_region.clear();
                last_region.extend_from_slice(fips);
            }
            years_seen.insert(year);
            if is_total {
                report.totals_rows += 1;
                builder.add_total(
                    year,
                    last_region_id,
                    Totals {
                        employment: emp,
                        establishments: estab,
                        payroll,
                    },
                );
                return Ok(());
            }
            let code_raw = trim(unquote_raw(f(c.code)));
            let code = std::str::from_utf8(code_raw)
                .map_err(|_| field_err(c.code, "naics", "UTF-8 text"))?;
            if code.is_empty() {
                return Err(field_err(c.code, "naics", "an industry code"));
            }
            let ind = match builder.industries.get(code) {
                Some(id) => id,
                None => {
                    let label = c.label.map(|k| unquote(f(k)));
                    builder.industry_id(code, label.as_deref())
                }
            };
            if emp == 0.0 {
                report.zero_employment_rows += 1;
            }
            report.rows_kept += 1;
            builder.push(year, last_region_id, ind, emp, estab, payroll);
            Ok(())
        };

        let mut carry: Vec<u8> = Vec::new();
        for chunk in rx {
            let chunk = chunk.map_err(|e| Error::Malformed {
                file: source.to_string(),
                line: line_no.get() + 1,
                message: format!("read error: {e}"),
            })?;
            let mut start = 0;
            if !carry.is_empty() {
                match memchr::memchr(b'\n', &chunk) {
                    Some(p) => {
                        carry.extend_from_slice(&chunk[..p]);
                        let line = std::mem::take(&mut carry);
                        handle(&line, builder)?;
                        carry = line;
                        carry.clear();
                        start = p + 1;
                    }
                    None => {
                        carry.extend_from_slice(&chunk);
                        let _ = back_tx.send(chunk);
                        continue;
                    }
                }
            }
            let rest = &chunk[start..];
            let mut from = 0;
            for nl in memchr::memchr_iter(b'\n', rest) {
                handle(&rest[from..nl], builder)?;
                from = nl + 1;
            }
            carry.extend_from_slice(&rest[from..]);
            let _ = back_tx.send(chunk);
        }
        if !carry.is_empty() {
            handle(&carry, builder)?;
        }
        report.lines = line_no.get();
        if cols.is_none() {
            return Err(Error::Empty {
                file: source.to_string(),
                hint: " (no header line)".to_string(),
            });
        }
        Ok(())
    })?;
    report.years = years_seen.into_iter().collect();
    if report.rows_kept == 0 {
        return Err(Error::Empty {
            file: source.to_string(),
            hint: format!(" at NAICS level {}", opts.digits),
        });
    }
    Ok(report)
}

fn cbp_columns(header: &[String], source: &str) -> Result<CbpColumns> {
    let find = |names: &[&str]| header.iter().position(|h| names.contains(&h.as_str()));
    let need = |names: &[&str]| {
        find(names).ok_or_else(|| Error::MissingColumn {
            file: source.to_string(),
            column: names[0].to_string(),
            header: header.join(","),
        })
    };
    let code = header
        .iter()
        .position(|h| {
            h.starts_with("naics") && h.len() > 5 && h[5..].bytes().all(|b| b.is_ascii_digit())
        })
        .or_else(|| find(&["naics"]))
        .ok_or_else(|| Error::MissingColumn {
            file: source.to_string(),
            column: "naics2017".to_string(),
            header: header.join(","),
        })?;
    let (payroll, payroll_scale) = match find(&["payann_kusd", "payann"]) {
        Some(k) => (Some(k), 1000.0),
        None => (find(&["payroll"]), 1.0),
    };
    Ok(CbpColumns {
        fips: need(&["fips5", "fips"])?,
        name: find(&["county_name", "name"]),
        year: need(&["year"])?,
        code,
        digits: need(&["naics_digits"])?,
        label: find(&["naics_label"]),
        estab: find(&["estab"]),
        emp: need(&["emp"])?,
        payroll,
        payroll_scale,
        count: header.len(),
    })
}

/// Split a CSV line into field byte ranges (quotes kept; `""` escapes allowed).
fn split_fields(line: &[u8], out: &mut Vec<(usize, usize)>) -> std::result::Result<(), String> {
    split_fields_upto(line, out, usize::MAX)
}

/// Like [`split_fields`] but stops after `max` fields (the rest of the line is not checked).
fn split_fields_upto(
    line: &[u8],
    out: &mut Vec<(usize, usize)>,
    max: usize,
) -> std::result::Result<(), String> {
    out.clear();
    let n = line.len();
    let mut i = 0;
    loop {
        if out.len() >= max {
            return Ok(());
        }
        let start = i;
        if i < n && line[i] == b'"' {
            i += 1;
            loop {
                match memchr::memchr(b'"', &line[i..]) {
                    Some(p) => {
                        i += p + 1;
                        if i < n && line[i] == b'"' {
                            i += 1;
                            continue;
                        }
                        break;
                    }
                    None => return Err("unbalanced quote".to_string()),
                }
            }
            if i < n && line[i] != b',' {
                return Err(format!("text after closing quote at byte {i}"));
            }
        } else {
            // Plain field: up to the next comma (short fields: a plain loop beats SIMD).
            while i < n && line[i] != b',' {
                i += 1;
            }
        }
        out.push((start, i));
        if i >= n {
            return Ok(());
        }
        i += 1; // skip comma
        if i == n {
            out.push((n, n));
            return Ok(());
        }
    }
}

fn unquote_raw(f: &[u8]) -> &[u8] {
    if f.len() >= 2 && f[0] == b'"' && f[f.len() - 1] == b'"' {
        &f[1..f.len() - 1]
    } else {
        f
    }
}

fn unquote(f: &[u8]) -> String {
    let s = String::from_utf8_lossy(unquote_raw(f));
    if s.contains("\"\"") {
        s.replace("\"\"", "\"")
    } else {
        s.into_owned()
    }
}

fn trim(f: &[u8]) -> &[u8] {
    let s = f
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(f.len());
    let e = f
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(s, |p| p + 1);
    &f[s..e]
}

/// Non-negative finite number; fast path for plain integers.
pub(crate) fn parse_nonneg(f: &[u8]) -> Option<f64> {
    let f = trim(f);
    if f.is_empty() {
        return None;
    }
    if f.len() <= 15 && f.iter().all(|b| b.is_ascii_digit()) {
        let mut v: u64 = 0;
        for &b in f {
            v = v * 10 + (b - b'0') as u64;
        }
        return Some(v as f64);
    }
    let v: f64 = std::str::from_utf8(f).ok()?.parse().ok()?;
    (v.is_finite() && v >= 0.0).then_some(if v == 0.0 { 0.0 } else { v })
}

/// A year: integer, or a float with no fraction (`2008.0`, as R exports write it).
pub(crate) fn parse_year(f: &[u8]) -> Option<u16> {
    let f = trim(f);
    let s = std::str::from_utf8(f).ok()?;
    if let Ok(y) = s.parse::<u16>() {
        return Some(y);
    }
    let v: f64 = s.parse().ok()?;
    (v.fract() == 0.0 && (0.0..=65535.0).contains(&v)).then_some(v as u16)
}

/// Options for [`read_long`].
#[derive(Debug, Clone, Default)]
pub struct LongOptions {
    /// Industry code whose rows are the regions' all-industry totals (e.g. `TOTAL`), not an
    /// industry. None: every row is an industry.
    pub total_code: Option<String>,
}

/// Read a long table `region,industry,year,employment[,establishments,payroll,region_name,
/// industry_name]` (header required, any column order, extra columns ignored).
/// Returns the number of data rows read.
pub fn read_long<R: Read>(
    reader: R,
    source: &str,
    opts: &LongOptions,
    builder: &mut TableBuilder,
) -> Result<usize> {
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(false)
        .from_reader(reader);
    let header: Vec<String> = rdr
        .byte_headers()
        .map_err(|e| csv_error(source, e))?
        .iter()
        .map(|h| String::from_utf8_lossy(h).to_ascii_lowercase())
        .collect();
    let find = |n: &str| header.iter().position(|h| h == n);
    let need = |n: &str| {
        find(n).ok_or_else(|| Error::MissingColumn {
            file: source.to_string(),
            column: n.to_string(),
            header: header.join(","),
        })
    };
    let (c_region, c_industry, c_year, c_emp) = (
        need("region")?,
        need("industry")?,
        need("year")?,
        need("employment")?,
    );
    let (c_est, c_pay, c_rname, c_iname) = (
        find("establishments"),
        find("payroll"),
        find("region_name"),
        find("industry_name"),
    );
    let mut rec = csv::ByteRecord::new();
    let mut n = 0usize;
    while rdr
        .read_byte_record(&mut rec)
        .map_err(|e| csv_error(source, e))?
    {
        let line = rec.position().map_or(0, |p| p.line());
        let get = |k: usize| rec.get(k).unwrap_or(b"");
        let err = |k: usize, expected: &str| Error::Field {
            file: source.to_string(),
            line,
            column: header[k].clone(),
            value: String::from_utf8_lossy(get(k)).into_owned(),
            expected: expected.to_string(),
        };
        let text = |k: usize| -> Result<&str> {
            let s = std::str::from_utf8(get(k)).map_err(|_| err(k, "UTF-8 text"))?;
            if s.is_empty() {
                return Err(err(k, "a non-empty code"));
            }
            Ok(s)
        };
        let region = text(c_region)?;
        let industry = text(c_industry)?;
        let year = parse_year(get(c_year)).ok_or_else(|| err(c_year, "a year such as 2021"))?;
        let emp = parse_nonneg(get(c_emp)).ok_or_else(|| err(c_emp, "a non-negative number"))?;
        let opt_num = |c: Option<usize>| -> Result<f64> {
            match c {
                Some(k) if !get(k).is_empty() => {
                    parse_nonneg(get(k)).ok_or_else(|| err(k, "a non-negative number or empty"))
                }
                _ => Ok(MISSING),
            }
        };
        let est = opt_num(c_est)?;
        let pay = opt_num(c_pay)?;
        let rname = c_rname.map(|k| String::from_utf8_lossy(get(k)).into_owned());
        let r = builder.region_id(region, rname.as_deref());
        if opts.total_code.as_deref() == Some(industry) {
            builder.add_total(
                year,
                r,
                Totals {
                    employment: emp,
                    establishments: est,
                    payroll: pay,
                },
            );
        } else {
            let iname = c_iname.map(|k| String::from_utf8_lossy(get(k)).into_owned());
            let i = builder.industry_id(industry, iname.as_deref());
            builder.push(year, r, i, emp, est, pay);
        }
        n += 1;
    }
    if n == 0 {
        return Err(Error::Empty {
            file: source.to_string(),
            hint: String::new(),
        });
    }
    Ok(n)
}

pub(crate) fn csv_error(source: &str, e: csv::Error) -> Error {
    let line = e.position().map_or(0, |p| p.line());
    Error::Malformed {
        file: source.to_string(),
        line,
        message: e.to_string(),
    }
}

/// A CSV record with its line number.
pub(crate) type NumberedRecord = (u64, csv::StringRecord);

/// Read a header-driven CSV into rows of strings; helper for the small definition,
/// concordance and hierarchy files. Returns (lowercased header, rows with line numbers).
pub(crate) fn read_small_csv<R: Read>(
    reader: R,
    source: &str,
) -> Result<(Vec<String>, Vec<NumberedRecord>)> {
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(reader);
    let header: Vec<String> = rdr
        .headers()
        .map_err(|e| csv_error(source, e))?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_ascii_lowercase())
        .collect();
    let mut rows = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| csv_error(source, e))?;
        let line = rec.position().map_or(0, |p| p.line());
        rows.push((line, rec));
    }
    Ok((header, rows))
}

pub(crate) fn column(header: &[String], source: &str, names: &[&str]) -> Result<usize> {
    header
        .iter()
        .position(|h| names.contains(&h.as_str()))
        .ok_or_else(|| Error::MissingColumn {
            file: source.to_string(),
            column: names[0].to_string(),
            header: header.join(","),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_handles_quotes_and_empty_fields() {
        let mut f = Vec::new();
        let line = br#"01,"Autauga County, Alabama",,"a ""b""",x"#;
        split_fields(line, &mut f).unwrap();
        let parts: Vec<String> = f.iter().map(|&(s, e)| unquote(&line[s..e])).collect();
        assert_eq!(
            parts,
            vec!["01", "Autauga County, Alabama", "", "a \"b\"", "x"]
        );
        split_fields(b"a,", &mut f).unwrap();
        assert_eq!(f.len(), 2);
        assert!(split_fields(br#"a,"b"#, &mut f).is_err());
    }

    #[test]
    fn numbers() {
        assert_eq!(parse_nonneg(b"123"), Some(123.0));
        assert_eq!(parse_nonneg(b" 1.5 "), Some(1.5));
        assert_eq!(parse_nonneg(b"-3"), None);
        assert_eq!(parse_nonneg(b"abc"), None);
        assert_eq!(parse_nonneg(b""), None);
        assert_eq!(parse_nonneg(b"NaN"), None);
        assert_eq!(parse_year(b"2008.0"), Some(2008));
        assert_eq!(parse_year(b"2008.5"), None);
    }
}
