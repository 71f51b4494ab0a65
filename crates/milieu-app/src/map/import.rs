//! All-or-nothing imports of regional tables (CBP files parsed in parallel, long tables),
//! definition sets, concordances and hierarchies.

use super::convert::{
    definitions_to_stored, hierarchy_from_stored, table_from_stored, table_to_stored,
};
use super::locate::{Finding, Layout, located_error, preview};
use super::scope::{bridge_to, load_definitions};
use super::{DEFAULT_TABLE, internal, map_error, open_read, source_name};
use crate::AppError;
use milieu_io::{InputError, Position};
use milieu_map::{BridgeRow, CbpOptions, CbpReport, LongOptions, TableBuilder};
use milieu_store::{ConcordanceData, HierarchyEntry, Store};
use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

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
