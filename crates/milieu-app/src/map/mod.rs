//! Cluster mapping use cases (`milieu map`): checked, all-or-nothing imports of regional
//! tables, cluster definition sets, code concordances and region hierarchies into the store,
//! and the loading an analysis needs (table, definitions, bridging, region level, registry
//! counts) before it calls the pure engine, milieu-map.
//!
//! Conversions between the engine's types and the store's plain ones live here, so neither
//! knows the other. Every user error comes back as [`AppError::Input`] (file, line, column,
//! value, expected) or [`AppError::Usage`] (exit code 2); nothing is written unless the whole
//! import is good.

mod scope;

pub use scope::{
    GrowthFrom, Loaded, ResolvedScope, Scope, ScopeRequest, bridge_to, load, load_definitions,
    organised_actors_in, region_or_first, resolve, resolve_and_load, table_years,
};

use crate::AppError;
use milieu_io::{InputError, Position};
use milieu_map::{
    BridgeRow, CbpOptions, CbpReport, Cluster, Definitions, Hierarchy, LongOptions, Table,
    TableBuilder, Totals,
};
use milieu_model::ErrorCode;
use milieu_model::Organisation;
use milieu_store::{
    ClusterMembership, CodeName, ConcordanceData, DefinitionSet, HierarchyEntry, RegionalRow,
    RegionalTable, RegionalTotal, Store,
};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};

/// The table analyses use when none is named.
pub const DEFAULT_TABLE: &str = "main";

/// An engine error as the user should see it, with the engine's code kept
/// (`map.unknown_industry`, ...): file errors are worded as [`InputError`] words them (file,
/// position, column, value, expected); option and data errors and engine bugs keep the engine's
/// message (the code says which are the user's).
pub fn map_error(e: milieu_map::Error) -> AppError {
    use milieu_map::Error as E;
    let code = e.error_code();
    let input = |file: &str,
                 position: Position,
                 column: Option<&str>,
                 value: Option<&str>,
                 expected: String| AppError::Engine {
        code,
        message: InputError::new(file, position, column, value, expected).to_string(),
    };
    match e {
        E::Field {
            file,
            line,
            column,
            value,
            expected,
        } => input(
            &file,
            Position::Line(line),
            Some(&column),
            Some(&value),
            expected,
        ),
        E::MissingColumn {
            file,
            column,
            header,
        } => input(
            &file,
            Position::Line(1),
            Some(&column),
            None,
            format!("a header with column `{column}` (header has: {header})"),
        ),
        E::Malformed {
            file,
            line,
            message,
        } => input(
            &file,
            Position::Line(line),
            None,
            None,
            format!("a well-formed CSV row ({message})"),
        ),
        E::Empty { file, hint } => input(
            &file,
            Position::File,
            None,
            None,
            format!("data rows{hint}"),
        ),
        other => AppError::engine(&other),
    }
}

fn internal(message: impl Into<String>) -> AppError {
    AppError::Internal(message.into())
}

/// Opens a file for the engine's parsers (which may read on a helper thread, so the reader
/// is `Send`); `.gz` files are decompressed on the fly.
pub fn open_read(path: &Path) -> Result<Box<dyn Read + Send>, AppError> {
    let file = std::fs::File::open(path).map_err(|e| {
        AppError::Input(InputError::new(
            &path.display().to_string(),
            Position::File,
            None,
            None,
            format!("a readable file ({e})"),
        ))
    })?;
    let reader = std::io::BufReader::with_capacity(1 << 20, file);
    if path.extension().is_some_and(|e| e == "gz") {
        Ok(Box::new(flate2::read::MultiGzDecoder::new(reader)))
    } else {
        Ok(Box::new(reader))
    }
}

fn source_name(path: &Path) -> String {
    path.display().to_string()
}

// ---------------------------------------------------------------------------------------
// Conversions between the engine and the store

fn opt(v: f64) -> Option<f64> {
    (!v.is_nan()).then_some(v)
}

/// The engine's table as the store keeps it.
pub fn table_to_stored(
    t: &Table,
    name: &str,
    source: &str,
    vintage: Option<&str>,
) -> RegionalTable {
    let codes = |int: &milieu_map::Interner| {
        (0..int.len() as u32)
            .map(|i| CodeName {
                code: int.code(i).to_string(),
                name: int.name(i).to_string(),
            })
            .collect()
    };
    let rows = (0..t.len())
        .map(|i| {
            let r = t.row(i);
            RegionalRow {
                year: r.year,
                region: r.region,
                industry: r.industry,
                employment: r.employment,
                establishments: opt(r.establishments),
                payroll: opt(r.payroll),
            }
        })
        .collect();
    let totals = t
        .total_records()
        .into_iter()
        .filter_map(|(year, code, tot)| {
            Some(RegionalTotal {
                year,
                region: t.regions().get(code)?,
                employment: tot.employment,
                establishments: opt(tot.establishments),
                payroll: opt(tot.payroll),
            })
        })
        .collect();
    RegionalTable {
        name: name.to_string(),
        source: source.to_string(),
        vintage: vintage.map(str::to_string),
        regions: codes(t.regions()),
        industries: codes(t.industries()),
        rows,
        totals,
    }
}

/// The stored table as the engine's table.
pub fn table_from_stored(s: &RegionalTable) -> Result<Table, AppError> {
    let mut b = TableBuilder::default();
    let regions: Vec<u32> = s
        .regions
        .iter()
        .map(|c| b.region_id(&c.code, Some(&c.name)))
        .collect();
    let industries: Vec<u32> = s
        .industries
        .iter()
        .map(|c| b.industry_id(&c.code, Some(&c.name)))
        .collect();
    let region = |id: u32| {
        regions.get(id as usize).copied().ok_or_else(|| {
            internal(format!(
                "stored table `{}`: region id {id} has no code",
                s.name
            ))
        })
    };
    for r in &s.rows {
        let industry = industries
            .get(r.industry as usize)
            .copied()
            .ok_or_else(|| {
                internal(format!(
                    "stored table `{}`: industry id {} has no code",
                    s.name, r.industry
                ))
            })?;
        b.push(
            r.year,
            region(r.region)?,
            industry,
            r.employment,
            r.establishments.unwrap_or(f64::NAN),
            r.payroll.unwrap_or(f64::NAN),
        );
    }
    for t in &s.totals {
        b.add_total(
            t.year,
            region(t.region)?,
            Totals {
                employment: t.employment,
                establishments: t.establishments.unwrap_or(f64::NAN),
                payroll: t.payroll.unwrap_or(f64::NAN),
            },
        );
    }
    b.build().map_err(map_error)
}

/// A definition set as the store keeps it: every membership, an industry's primary cluster
/// first (overlapping sets list an industry in several clusters).
pub fn definitions_to_stored(
    d: &Definitions,
    format: &str,
    vintage: Option<&str>,
    source: &str,
) -> DefinitionSet {
    let rows = d.rows();
    let primary = |r: &milieu_map::DefinitionRow| {
        d.cluster_of(&r.industry)
            .is_some_and(|c| c.code == r.cluster_code)
    };
    let (first, rest): (Vec<_>, Vec<_>) = rows.into_iter().partition(|r| primary(r));
    DefinitionSet {
        name: d.name.clone(),
        format: format.to_string(),
        vintage: vintage.map(str::to_string),
        source: source.to_string(),
        memberships: first
            .into_iter()
            .chain(rest)
            .map(|r| ClusterMembership {
                industry: r.industry,
                cluster_code: r.cluster_code,
                cluster_name: r.cluster_name,
                traded: r.traded,
                subcluster: r.subcluster,
            })
            .collect(),
    }
}

/// The stored definition set as the engine's.
pub fn definitions_from_stored(s: &DefinitionSet) -> Definitions {
    let mut d = Definitions::new(&s.name);
    let mut seen = HashSet::new();
    for m in &s.memberships {
        let cluster = Cluster {
            code: m.cluster_code.clone(),
            name: m.cluster_name.clone(),
            traded: m.traded,
        };
        if seen.insert(m.industry.clone()) {
            // First membership of the industry: cannot conflict.
            let _ = d.insert(&m.industry, cluster, m.subcluster.as_deref());
        } else {
            d.insert_overlapping(&m.industry, cluster);
        }
    }
    d
}

pub(super) fn hierarchy_from_stored(entries: &[HierarchyEntry]) -> Hierarchy {
    let mut h = Hierarchy::default();
    for e in entries {
        h.insert(&e.level, &e.region, &e.parent, &e.parent_name);
    }
    h
}

// ---------------------------------------------------------------------------------------
// Locating a problem found after parsing (duplicates, hierarchy, definitions) at its line

/// Which columns of an input file hold the region, industry and year, and for CBP which
/// rows are table rows.
struct Layout {
    region: &'static str,
    industry: String,
    year: &'static str,
    /// CBP: keep rows whose `naics_digits` equals this.
    digits: Option<u8>,
}

/// A problem found in the whole table, to be pinned to the first line that shows it.
enum Finding<'a> {
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
fn located_error(
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

// ---------------------------------------------------------------------------------------
// Imports

/// How an import treats an existing table of the same name, and what it checks.
#[derive(Debug, Clone, Default)]
pub struct TableImportOptions {
    /// Table name (default [`DEFAULT_TABLE`]).
    pub name: String,
    /// Replace an existing table of that name.
    pub replace: bool,
    /// Add the files' years to an existing table (years it already holds are refused).
    pub add: bool,
    /// Every region must be placed at this level of the stored hierarchy.
    pub check_level: Option<String>,
    /// Every industry must be known to this stored definition set (after bridging).
    pub check_definitions: Option<String>,
}

/// What an import of a regional table wrote.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TableImportReport {
    pub table: String,
    pub source: String,
    pub vintage: Option<String>,
    pub years: Vec<u16>,
    pub regions: usize,
    pub industries: usize,
    pub rows: usize,
    pub totals: usize,
    /// Per CBP file: lines read, rows kept, totals, zero-employment rows.
    pub files: Vec<CbpReport>,
    /// Codes bridged by the definitions check.
    pub bridged: Vec<BridgeRow>,
}

/// Imports County Business Patterns files (several years, `.gz` accepted) as one table.
pub async fn import_cbp(
    store: &impl Store,
    files: &[PathBuf],
    digits: u8,
    opts: &TableImportOptions,
) -> Result<TableImportReport, AppError> {
    if files.is_empty() {
        return Err(AppError::Usage("no CBP files given".into()));
    }
    let cbp = CbpOptions { digits };
    // Files are parsed in parallel (each also inflates on a helper thread).
    let parts: Vec<Result<(TableBuilder, CbpReport), AppError>> = std::thread::scope(|s| {
        let handles: Vec<_> = files
            .iter()
            .map(|f| {
                let cbp = &cbp;
                s.spawn(move || {
                    let mut b = TableBuilder::default();
                    let report = milieu_map::read_cbp(open_read(f)?, &source_name(f), cbp, &mut b)
                        .map_err(map_error)?;
                    Ok((b, report))
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(internal("a CBP parser thread failed")))
            })
            .collect()
    });
    let mut builder = TableBuilder::default();
    let mut reports = Vec::new();
    for p in parts {
        let (b, r) = p?;
        builder.merge(b);
        reports.push(r);
    }
    let vintages: BTreeSet<String> = reports
        .iter()
        .map(|r| r.code_column.trim_start_matches("naics").to_string())
        .collect();
    if vintages.len() > 1 {
        return Err(AppError::Usage(format!(
            "the CBP files use different NAICS vintages ({}); import them into separate tables with --table",
            vintages.into_iter().collect::<Vec<_>>().join(", ")
        )));
    }
    let vintage = vintages.into_iter().next().filter(|v| !v.is_empty());
    let layout = Layout {
        region: "fips5",
        industry: reports
            .first()
            .map(|r| r.code_column.clone())
            .unwrap_or_default(),
        year: "year",
        digits: Some(digits),
    };
    let source = format!(
        "cbp: {}",
        files
            .iter()
            .map(|f| f
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default())
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut report = finish_import(store, builder, files, &layout, &source, vintage, opts).await?;
    report.files = reports;
    Ok(report)
}

/// Imports long tables `region,industry,year,employment[,establishments,payroll,
/// region_name,industry_name]` as one table.
pub async fn import_long(
    store: &impl Store,
    files: &[PathBuf],
    total_code: Option<String>,
    vintage: Option<String>,
    opts: &TableImportOptions,
) -> Result<TableImportReport, AppError> {
    if files.is_empty() {
        return Err(AppError::Usage("no files given".into()));
    }
    let long = LongOptions { total_code };
    let mut builder = TableBuilder::default();
    for f in files {
        milieu_map::read_long(open_read(f)?, &source_name(f), &long, &mut builder)
            .map_err(map_error)?;
    }
    let layout = Layout {
        region: "region",
        industry: "industry".into(),
        year: "year",
        digits: None,
    };
    let source = format!(
        "long: {}",
        files
            .iter()
            .map(|f| f
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default())
            .collect::<Vec<_>>()
            .join(", ")
    );
    finish_import(store, builder, files, &layout, &source, vintage, opts).await
}

async fn finish_import(
    store: &impl Store,
    builder: TableBuilder,
    files: &[PathBuf],
    layout: &Layout,
    source: &str,
    vintage: Option<String>,
    opts: &TableImportOptions,
) -> Result<TableImportReport, AppError> {
    let name = if opts.name.is_empty() {
        DEFAULT_TABLE
    } else {
        opts.name.as_str()
    };
    let table = match builder.build() {
        Ok(t) => t,
        Err(milieu_map::Error::Duplicate {
            region,
            industry,
            year,
        }) => {
            return Err(located_error(
                files,
                layout,
                Finding::Duplicate {
                    region: &region,
                    industry: &industry,
                    year,
                },
                layout.region,
                &region,
                format!(
                    "each (region, industry, year) once (region {region}, industry {industry}, year {year} repeats)"
                ),
            ));
        }
        Err(e) => return Err(map_error(e)),
    };
    if table.is_empty() {
        return Err(AppError::Input(InputError::new(
            &files.first().map(|f| source_name(f)).unwrap_or_default(),
            Position::File,
            None,
            None,
            "at least one table row",
        )));
    }
    let mut source = source.to_string();
    let mut existing = None;
    if let Some(info) = store
        .map_tables()
        .await?
        .into_iter()
        .find(|t| t.name == name)
    {
        let years = |ys: &[u16]| {
            ys.iter()
                .map(|y| y.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        if opts.add {
            if info.vintage != vintage {
                return Err(AppError::Usage(format!(
                    "table `{name}` holds codes of vintage {} but the files are of vintage {}; import them into another table with --table",
                    info.vintage.as_deref().unwrap_or("(none)"),
                    vintage.as_deref().unwrap_or("(none)")
                )));
            }
            let both: Vec<u16> = table
                .years()
                .iter()
                .copied()
                .filter(|y| info.years.contains(y))
                .collect();
            if !both.is_empty() {
                return Err(AppError::Usage(format!(
                    "table `{name}` already holds year(s) {}; add --replace to replace the whole table, or leave those files out",
                    years(&both)
                )));
            }
            let stored = store
                .map_table_get(name, None)
                .await?
                .ok_or_else(|| internal(format!("table `{name}` vanished during the import")))?;
            source = format!("{}; {source}", stored.source);
            existing = Some(table_from_stored(&stored)?);
        } else if !opts.replace {
            return Err(AppError::Usage(format!(
                "table `{name}` already exists (years {}); add --replace to replace it, --add to add years to it, or --table NAME for another table",
                years(&info.years)
            )));
        }
    }
    if let Some(level) = &opts.check_level {
        let h = hierarchy_from_stored(&store.map_hierarchy_get().await?);
        if !h.levels().contains(&level.as_str()) {
            return Err(AppError::Usage(format!(
                "--check-level {level}: the stored hierarchy has no such level (levels: {}); import one with `milieu map hierarchy import`",
                h.levels().join(", ")
            )));
        }
        let missing: Vec<String> = table
            .regions()
            .codes()
            .iter()
            .filter(|c| h.parent(level, c).is_none())
            .map(|c| c.to_string())
            .collect();
        if !missing.is_empty() {
            let set: HashSet<String> = missing.iter().cloned().collect();
            return Err(located_error(
                files,
                layout,
                Finding::Region(&set),
                layout.region,
                &missing[0],
                format!(
                    "a region placed at level `{level}` of the stored hierarchy ({} region(s) are not: {})",
                    missing.len(),
                    preview(&missing)
                ),
            ));
        }
    }
    let mut bridged = Vec::new();
    if let Some(defs_name) = &opts.check_definitions {
        let (defs, defs_vintage) = load_definitions(store, defs_name).await?;
        let (checked, rows) =
            bridge_to(store, &table, vintage.as_deref(), defs_vintage.as_deref()).await?;
        bridged = rows;
        let unknown = defs.unknown_industries(&checked);
        if !unknown.is_empty() {
            let set: HashSet<String> = unknown.iter().cloned().collect();
            let how = match (&vintage, &defs_vintage) {
                (Some(a), Some(b)) if a != b => format!(" after bridging {a} -> {b}"),
                _ => String::new(),
            };
            return Err(located_error(
                files,
                layout,
                Finding::Industry(&set),
                &layout.industry,
                &unknown[0],
                format!(
                    "an industry code of definitions `{defs_name}`{how} ({} code(s) are unknown: {})",
                    unknown.len(),
                    preview(&unknown)
                ),
            ));
        }
    }
    let table = match existing {
        Some(old) => {
            let mut merged = TableBuilder::from_table(old);
            merged.merge(TableBuilder::from_table(table));
            merged.build().map_err(map_error)?
        }
        None => table,
    };
    let stored = table_to_stored(&table, name, &source, vintage.as_deref());
    store.map_table_put(&stored).await?;
    Ok(TableImportReport {
        table: name.to_string(),
        source,
        vintage,
        years: table.years().to_vec(),
        regions: table.regions().len(),
        industries: table.industries().len(),
        rows: table.len(),
        totals: stored.totals.len(),
        files: Vec::new(),
        bridged,
    })
}

/// Format of a definitions file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DefinitionsFormat {
    /// `industry,cluster_code,cluster_name,traded[,subcluster]`.
    Generic,
    /// US Cluster Mapping Project `cmp_cluster_naics_by_vintage.csv` (one NAICS vintage).
    Cmp,
    /// Colorado regional cluster systems (one system; clusters overlap).
    Colorado,
}

impl DefinitionsFormat {
    pub fn name(self) -> &'static str {
        match self {
            DefinitionsFormat::Generic => "generic",
            DefinitionsFormat::Cmp => "cmp",
            DefinitionsFormat::Colorado => "colorado",
        }
    }
}

/// What a definitions import wrote.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DefinitionsReport {
    pub name: String,
    pub format: &'static str,
    pub vintage: Option<String>,
    pub clusters: usize,
    pub industries: usize,
    pub traded_clusters: usize,
    pub overlapping: bool,
}

/// Imports a cluster definition set under `name` (several sets coexist by name).
pub async fn import_definitions(
    store: &impl Store,
    file: &Path,
    format: DefinitionsFormat,
    vintage: Option<String>,
    system: Option<String>,
    name: Option<String>,
    replace: bool,
) -> Result<DefinitionsReport, AppError> {
    let source = source_name(file);
    let name = match name {
        Some(n) if !n.trim().is_empty() => n.trim().to_string(),
        _ => match format {
            DefinitionsFormat::Cmp => format!("cmp{}", vintage.as_deref().unwrap_or("")),
            DefinitionsFormat::Colorado => system
                .as_deref()
                .unwrap_or("colorado")
                .to_lowercase()
                .replace(' ', "-"),
            DefinitionsFormat::Generic => file
                .file_stem()
                .map(|s| s.to_string_lossy().trim_end_matches(".csv").to_string())
                .unwrap_or_else(|| "definitions".into()),
        },
    };
    let defs = match format {
        DefinitionsFormat::Generic => milieu_map::read_definitions(open_read(file)?, &source, &name),
        DefinitionsFormat::Cmp => {
            let v = vintage.as_deref().ok_or_else(|| {
                AppError::Usage(
                    "--format cmp needs --vintage (the NAICS vintage to take: 2012, 2007, 2002 or 1997)"
                        .into(),
                )
            })?;
            milieu_map::read_cmp_definitions(open_read(file)?, &source, v, &name)
        }
        DefinitionsFormat::Colorado => {
            let s = system.as_deref().ok_or_else(|| {
                AppError::Usage(
                    "--format colorado needs --system (Advance Longmont, Fort Collins, Metro Denver or OEDIT)"
                        .into(),
                )
            })?;
            milieu_map::read_colorado_definitions(open_read(file)?, &source, s, &name)
        }
    }
    .map_err(map_error)?;
    if !replace && store.map_definitions_get(&name).await?.is_some() {
        return Err(AppError::Usage(format!(
            "definitions `{name}` already exist; add --replace to replace them, or --name NAME"
        )));
    }
    let stored = definitions_to_stored(&defs, format.name(), vintage.as_deref(), &source);
    store.map_definitions_put(&stored).await?;
    Ok(DefinitionsReport {
        name,
        format: format.name(),
        vintage,
        clusters: defs.clusters.len(),
        industries: defs.industry_count(),
        traded_clusters: defs
            .clusters
            .iter()
            .filter(|c| c.traded == Some(true))
            .count(),
        overlapping: defs.overlapping(),
    })
}

/// Imports a NAICS concordance (`NAICS_<vintage>_Code` columns) from one vintage to another.
pub async fn import_concordance(
    store: &impl Store,
    file: &Path,
    from: &str,
    to: &str,
) -> Result<milieu_store::ConcordanceInfo, AppError> {
    let source = source_name(file);
    let c = milieu_map::read_naics_concordance(open_read(file)?, &source, from, to)
        .map_err(map_error)?;
    let data = ConcordanceData {
        from: from.to_string(),
        to: to.to_string(),
        source,
        pairs: c
            .pairs()
            .into_iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect(),
    };
    store.map_concordance_put(&data).await?;
    store
        .map_concordances()
        .await?
        .into_iter()
        .find(|i| i.from == from && i.to == to)
        .ok_or_else(|| internal("the concordance just written is missing"))
}

/// Format of a region hierarchy file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HierarchyFormat {
    /// `region,level,parent[,parent_name]`.
    Generic,
    /// US Cluster Mapping Project regions file: counties -> `state`, `msa`, `economic`.
    Cmp,
    /// BEA economic areas county definition: counties -> `bea_ea`.
    Bea,
}

/// Imports a region hierarchy; the levels in the file replace stored levels of that name.
pub async fn import_hierarchy(
    store: &impl Store,
    file: &Path,
    format: HierarchyFormat,
) -> Result<Vec<milieu_store::HierarchyLevelInfo>, AppError> {
    let source = source_name(file);
    let reader = open_read(file)?;
    let h = match format {
        HierarchyFormat::Generic => milieu_map::read_hierarchy(reader, &source),
        HierarchyFormat::Cmp => milieu_map::read_cmp_regions(reader, &source),
        HierarchyFormat::Bea => milieu_map::read_bea_economic_areas(reader, &source),
    }
    .map_err(map_error)?;
    let entries: Vec<HierarchyEntry> = h
        .entries()
        .into_iter()
        .map(|(level, region, parent, parent_name)| HierarchyEntry {
            level: level.to_string(),
            region: region.to_string(),
            parent: parent.to_string(),
            parent_name: parent_name.to_string(),
        })
        .collect();
    store.map_hierarchy_put(&source, &entries).await?;
    let levels: HashSet<&str> = h.levels().into_iter().collect();
    Ok(store
        .map_hierarchy_levels()
        .await?
        .into_iter()
        .filter(|l| levels.contains(l.level.as_str()))
        .collect())
}

// ---------------------------------------------------------------------------------------
// The registry's organised actors per cluster

fn normalise_code(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Organisations of the registry in `region` per cluster of `defs`: an organisation counts
/// once for a cluster when one of its sector codes and one of the cluster's industry codes
/// agree on the shorter of the two (`3345` counts for every cluster with an industry under
/// 3345; `334511` for the cluster of 334511 or of 33451). It is in the region when its
/// `region` is the region's code or, with a hierarchy level, when the hierarchy places it in
/// that region. None when the registry holds no organisation with a sector code.
pub async fn organised_actors(
    store: &impl Store,
    defs: &Definitions,
    region: &str,
    level: Option<(&Hierarchy, &str)>,
) -> Result<Option<HashMap<String, u32>>, AppError> {
    let orgs: Vec<Organisation> = store.load().await?;
    if !orgs.iter().any(|o| !o.sectors.is_empty()) {
        return Ok(None);
    }
    // Industry codes (normalised, sorted) with their clusters.
    let mut industries: Vec<(String, Vec<String>)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for row in defs.rows() {
        let code = normalise_code(&row.industry);
        let k = *index.entry(code.clone()).or_insert_with(|| {
            industries.push((code, Vec::new()));
            industries.len() - 1
        });
        industries[k].1.push(row.cluster_code);
    }
    industries.sort_by(|a, b| a.0.cmp(&b.0));
    let mut counts: HashMap<String, u32> =
        defs.clusters.iter().map(|c| (c.code.clone(), 0)).collect();
    for org in &orgs {
        let Some(r) = org.region.as_deref() else {
            continue;
        };
        let here = r == region || level.is_some_and(|(h, l)| h.parent(l, r) == Some(region));
        if !here {
            continue;
        }
        let mut clusters: HashSet<&str> = HashSet::new();
        for sector in &org.sectors {
            let code = normalise_code(&sector.code);
            if code.is_empty() {
                continue;
            }
            // Industries under the organisation's code (it is the coarser one) ...
            let start = industries.partition_point(|(c, _)| c.as_str() < code.as_str());
            for (c, cl) in &industries[start..] {
                if !c.starts_with(&code) {
                    break;
                }
                clusters.extend(cl.iter().map(String::as_str));
            }
            // ... and industries the organisation's code lies under.
            for len in 1..code.len() {
                if let Ok(k) = industries.binary_search_by(|(c, _)| c.as_str().cmp(&code[..len])) {
                    clusters.extend(industries[k].1.iter().map(String::as_str));
                }
            }
        }
        for c in clusters {
            if let Some(n) = counts.get_mut(c) {
                *n += 1;
            }
        }
    }
    Ok(Some(counts))
}

// ---------------------------------------------------------------------------------------
// A small synthetic regional table for demo databases

/// Name of the definition set [`write_demo_map`] stores.
pub const DEMO_DEFINITIONS: &str = "demo";

/// Writes a small synthetic regional employment table (the default table `main`: the demo
/// region's four sub-regions `LM-N`, `LM-S`, `LM-E`, `LM-W` and four comparison regions, 16
/// industries of the demo's value chains in four traded clusters and one local, years 2019
/// and 2023) and its cluster definition set (`demo`) into the store, replacing earlier ones of
/// those names, so that a demo database has something for `milieu map ...` and the web's
/// mapping pages (the demo organisations' regions and NAICS codes match, so organised actors
/// are counted). Deterministic (no clock, no randomness): each region is specialised in one or
/// two clusters, and some of them grow.
pub async fn write_demo_map(store: &impl Store) -> Result<(), AppError> {
    let regions = [
        ("LM-N", "Lindenmark-Nord"),
        ("LM-S", "Lindenmark-Süd"),
        ("LM-E", "Lindenmark-Ost"),
        ("LM-W", "Lindenmark-West"),
        ("XR-A", "Comparison region A"),
        ("XR-B", "Comparison region B"),
        ("XR-C", "Comparison region C"),
        ("XR-D", "Comparison region D"),
    ];
    // (industry code, name, cluster index); cluster 4 is local.
    let industries = [
        ("339112", "Surgical and medical instruments", 0),
        ("339113", "Surgical appliances and supplies", 0),
        ("334510", "Electromedical apparatus", 0),
        ("511210", "Software publishers", 1),
        ("518210", "Data processing and hosting", 1),
        ("541511", "Custom computer programming", 1),
        ("311421", "Fruit and vegetable canning", 2),
        ("311812", "Commercial bakeries", 2),
        ("312120", "Breweries", 2),
        ("336390", "Other motor vehicle parts", 3),
        ("336111", "Automobile manufacturing", 3),
        ("325211", "Plastics material and resin", 3),
        ("722511", "Full-service restaurants", 4),
        ("721110", "Hotels and motels", 4),
        ("445110", "Supermarkets", 4),
        ("541110", "Offices of lawyers", 4),
    ];
    let clusters = [
        ("medical_technology", "Medical technology", true),
        ("ict_software", "ICT and software", true),
        ("food_processing", "Food processing", true),
        (
            "automotive_materials",
            "Automotive and advanced materials",
            true,
        ),
        ("local_services", "Local services and hospitality", false),
    ];
    // Specialisations: region index -> (cluster, factor).
    let special: [&[(usize, f64)]; 8] = [
        &[(0, 4.0), (1, 1.5)],
        &[(2, 3.0)],
        &[(3, 3.5)],
        &[(1, 4.0)],
        &[(3, 2.0), (2, 1.5)],
        &[(0, 2.5)],
        &[(2, 1.8)],
        &[(1, 1.2), (0, 1.2)],
    ];
    let growth = [1.25, 1.02, 1.10, 1.35, 0.95, 1.15, 1.05, 1.08];
    let mut rows = Vec::new();
    for (year_index, year) in [2019u16, 2023].into_iter().enumerate() {
        for (r, _) in regions.iter().enumerate() {
            let size = 1.0 + (r as f64 * 0.37) % 1.3;
            for (i, (_, _, c)) in industries.iter().enumerate() {
                let base = 400.0 + ((i * 7 + r * 13) % 11) as f64 * 60.0;
                let factor = special[r]
                    .iter()
                    .find(|(sc, _)| sc == c)
                    .map_or(1.0, |(_, f)| *f);
                let g = if year_index == 1 && factor > 1.0 {
                    growth[r]
                } else if year_index == 1 {
                    1.03
                } else {
                    1.0
                };
                let local = if *c == 4 { 6.0 } else { 1.0 };
                let employment = (base * size * factor * g * local).round();
                rows.push(RegionalRow {
                    year,
                    region: r as u32,
                    industry: i as u32,
                    employment,
                    establishments: Some((employment / 25.0).ceil()),
                    payroll: None,
                });
            }
        }
    }
    let code_name = |(code, name): (&str, &str)| CodeName {
        code: code.to_string(),
        name: name.to_string(),
    };
    store
        .map_table_put(&RegionalTable {
            name: DEFAULT_TABLE.to_string(),
            source: "milieu demo (synthetic)".to_string(),
            vintage: None,
            regions: regions.iter().map(|r| code_name(*r)).collect(),
            industries: industries
                .iter()
                .map(|(code, name, _)| code_name((code, name)))
                .collect(),
            rows,
            totals: Vec::new(),
        })
        .await?;
    store
        .map_definitions_put(&DefinitionSet {
            name: DEMO_DEFINITIONS.to_string(),
            format: "generic".to_string(),
            vintage: None,
            source: "milieu demo (synthetic)".to_string(),
            memberships: industries
                .iter()
                .map(|(code, _, c)| ClusterMembership {
                    industry: code.to_string(),
                    cluster_code: clusters[*c].0.to_string(),
                    cluster_name: clusters[*c].1.to_string(),
                    traded: Some(clusters[*c].2),
                    subcluster: None,
                })
                .collect(),
        })
        .await?;
    Ok(())
}
