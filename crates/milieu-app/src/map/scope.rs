//! The scope of a mapping analysis, resolved once for the command line and the web: which
//! stored table, which definition set, which years, which region level, with one rule for
//! each default (see [`resolve`]), and the loading of that scope for the engine ([`load`]:
//! only the years asked for, bridged to the definitions' code vintage, aggregated to a
//! hierarchy level).
//!
//! The defaults, the same in every front end:
//! - table: the one named; else [`DEFAULT_TABLE`] when it is stored; else the only stored
//!   table; several and none named is a usage error naming them (the web shows its chooser).
//! - definitions: the set named; else, when the analysis needs one, the only stored set, or
//!   among several the only one whose code vintage is the table's; otherwise a usage error
//!   naming the stored sets.
//! - years: those named (each must be stored); else the table's latest year.
//! - growth: from the year named, or from the table's first year when it is earlier than the
//!   analysis year.

use super::{
    DEFAULT_TABLE, definitions_from_stored, hierarchy_from_stored, map_error, preview,
    table_from_stored,
};
use crate::AppError;
use milieu_map::{BridgeRow, Concordance, Definitions, Hierarchy, Table, Unmapped};
use milieu_model::ErrorCode;
use milieu_store::{RegionalTableInfo, Store};
use std::collections::HashMap;

/// What the user asked for; every `None` or empty field takes the default of the module
/// docs.
#[derive(Debug, Clone, Default)]
pub struct ScopeRequest {
    pub table: Option<String>,
    pub definitions: Option<String>,
    /// Whether the analysis needs a definition set (cluster level, traded base, strength):
    /// then one is chosen by default; otherwise only a named set is loaded.
    pub needs_definitions: bool,
    /// Analysis years (empty: the table's latest).
    pub years: Vec<u16>,
    /// Where growth measures start.
    pub growth: GrowthFrom,
    pub region_level: Option<String>,
    /// With `region_level`: drop regions the hierarchy does not place instead of refusing.
    pub drop_unplaced: bool,
}

/// The start year of growth measures.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum GrowthFrom {
    /// The analysis has no growth measure.
    #[default]
    None,
    /// This year (it must be stored).
    Year(u16),
    /// The table's first year, when it is earlier than the latest analysis year.
    FirstStored,
}

/// A scope with every default decided: what the analysis reports as its inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedScope {
    pub table: String,
    /// Every year the table holds.
    pub table_years: Vec<u16>,
    pub definitions: Option<String>,
    /// Analysis years, ascending.
    pub years: Vec<u16>,
    /// The latest analysis year.
    pub year: u16,
    pub from_year: Option<u16>,
    pub region_level: Option<String>,
    pub drop_unplaced: bool,
}

impl ResolvedScope {
    /// What to load: the analysis years and the growth start.
    pub fn scope(&self) -> Scope {
        let mut years: Vec<u16> = self
            .from_year
            .into_iter()
            .chain(self.years.clone())
            .collect();
        years.sort_unstable();
        years.dedup();
        Scope {
            table: self.table.clone(),
            years,
            definitions: self.definitions.clone(),
            region_level: self.region_level.clone(),
            drop_unplaced: self.drop_unplaced,
        }
    }
}

fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn names(list: impl IntoIterator<Item = String>) -> String {
    let v: Vec<String> = list.into_iter().collect();
    if v.is_empty() {
        "none".into()
    } else {
        v.join(", ")
    }
}

/// Decides every default of `request` by the rules of the module docs; a usage error says
/// what is stored when a named item is missing or a default is ambiguous.
pub async fn resolve(
    store: &impl Store,
    request: &ScopeRequest,
) -> Result<ResolvedScope, AppError> {
    let tables = store.map_tables().await?;
    let table = choose_table(&tables, given(&request.table))?;
    let table_years = table.years.clone();
    let latest = *table_years
        .last()
        .ok_or_else(|| AppError::Usage(format!("table `{}` holds no rows", table.name)))?;
    let mut years = request.years.clone();
    years.sort_unstable();
    years.dedup();
    if years.is_empty() {
        years.push(latest);
    }
    let from_year = match request.growth {
        GrowthFrom::None => None,
        GrowthFrom::Year(y) => Some(y),
        GrowthFrom::FirstStored => table_years
            .first()
            .copied()
            .filter(|&f| Some(&f) < years.last()),
    };
    let missing: Vec<String> = years
        .iter()
        .chain(from_year.as_ref())
        .filter(|y| !table_years.contains(y))
        .map(|y| y.to_string())
        .collect();
    if !missing.is_empty() {
        return Err(AppError::Usage(format!(
            "table `{}` has no year {} (years present: {})",
            table.name,
            missing.join(", "),
            names(table_years.iter().map(|y| y.to_string()))
        )));
    }
    let definitions = match given(&request.definitions) {
        Some(named) => Some(named.to_string()),
        None if request.needs_definitions => {
            Some(default_definitions(store, table.vintage.as_deref()).await?)
        }
        None => None,
    };
    let year = *years.last().unwrap_or(&latest);
    Ok(ResolvedScope {
        table: table.name.clone(),
        table_years,
        definitions,
        years,
        year,
        from_year,
        region_level: given(&request.region_level).map(str::to_string),
        drop_unplaced: request.drop_unplaced,
    })
}

/// Resolves `request` and loads it: the scope as decided and the table ready for the engine.
pub async fn resolve_and_load(
    store: &impl Store,
    request: &ScopeRequest,
) -> Result<(ResolvedScope, Loaded), AppError> {
    let resolved = resolve(store, request).await?;
    let loaded = load(store, &resolved.scope()).await?;
    Ok((resolved, loaded))
}

fn choose_table<'a>(
    tables: &'a [RegionalTableInfo],
    named: Option<&str>,
) -> Result<&'a RegionalTableInfo, AppError> {
    let name = match named {
        Some(n) => n,
        None => match tables {
            [only] => return Ok(only),
            _ if tables.iter().any(|t| t.name == DEFAULT_TABLE) => DEFAULT_TABLE,
            [] => return Err(no_table(DEFAULT_TABLE, tables)),
            _ => {
                return Err(AppError::Usage(format!(
                    "several regional tables are stored ({}) and none is called `{DEFAULT_TABLE}`: name one (--table NAME)",
                    names(tables.iter().map(|t| t.name.clone()))
                )));
            }
        },
    };
    match tables.iter().find(|t| t.name == name) {
        Some(t) => Ok(t),
        // A table the user named and that is missing is not found (404 on the web); the
        // default missing says what to import.
        None if named.is_some() => Err(AppError::NotFound {
            kind: "table",
            id: name.to_string(),
        }),
        None => Err(no_table(name, tables)),
    }
}

/// The definition set an analysis uses when none is named: the only stored one, or among
/// several the only one whose code vintage is the table's.
async fn default_definitions(
    store: &impl Store,
    table_vintage: Option<&str>,
) -> Result<String, AppError> {
    let sets = store.map_definition_sets().await?;
    if let [only] = sets.as_slice() {
        return Ok(only.name.clone());
    }
    if sets.is_empty() {
        return Err(AppError::Usage(
            "this needs a cluster definition set: import one with `milieu map definition import FILE`".into(),
        ));
    }
    let same_vintage: Vec<&str> = sets
        .iter()
        .filter(|s| table_vintage.is_some() && s.vintage.as_deref() == table_vintage)
        .map(|s| s.name.as_str())
        .collect();
    if let [one] = same_vintage.as_slice() {
        return Ok(one.to_string());
    }
    Err(AppError::Usage(format!(
        "several cluster definition sets are stored ({}): name one (--definitions NAME)",
        names(sets.into_iter().map(|s| s.name))
    )))
}

/// The region an analysis of one region shows: the one named (it must be in the loaded,
/// possibly aggregated, table), else the table's first region.
pub fn region_or_first(loaded: &Loaded, named: Option<&str>) -> Result<String, AppError> {
    match named.map(str::trim).filter(|s| !s.is_empty()) {
        Some(r) => match loaded.table.require_region(r) {
            Ok(_) => Ok(r.to_string()),
            Err(_) => Err(AppError::NotFound {
                kind: "region",
                id: r.to_string(),
            }),
        },
        None => loaded
            .table
            .regions()
            .codes()
            .first()
            .map(|c| c.to_string())
            .ok_or_else(|| AppError::Usage("the table has no region".into())),
    }
}

/// Organised actors of the registry in `region` per cluster of the loaded definitions (at
/// the scope's region level when it has one); None without definitions or sector codes.
pub async fn organised_actors_in(
    store: &impl Store,
    loaded: &Loaded,
    region: &str,
    region_level: Option<&str>,
) -> Result<Option<HashMap<String, u32>>, AppError> {
    let Some(defs) = &loaded.definitions else {
        return Ok(None);
    };
    let level = match (&loaded.hierarchy, region_level) {
        (Some(h), Some(l)) => Some((h, l)),
        _ => None,
    };
    super::organised_actors(store, defs, region, level).await
}

/// A stored definition set and its code vintage; a usage error naming the stored sets when
/// there is none of that name.
pub async fn load_definitions(
    store: &impl Store,
    name: &str,
) -> Result<(Definitions, Option<String>), AppError> {
    match store.map_definitions_get(name).await? {
        Some(set) => Ok((definitions_from_stored(&set), set.vintage.clone())),
        None => {
            let sets: Vec<String> = store
                .map_definition_sets()
                .await?
                .into_iter()
                .map(|s| s.name)
                .collect();
            Err(AppError::Usage(format!(
                "no definitions `{name}` (stored: {}); import them with `milieu map definition import FILE --name {name}`",
                if sets.is_empty() {
                    "none".to_string()
                } else {
                    sets.join(", ")
                }
            )))
        }
    }
}

/// Bridges `table` (codes of vintage `from`) to vintage `to` through the stored
/// concordance; unchanged when either vintage is unknown or they agree. Unmapped codes are
/// kept under their own code (so a definitions check names them) and reported.
pub async fn bridge_to(
    store: &impl Store,
    table: &Table,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<(Table, Vec<BridgeRow>), AppError> {
    let (Some(from), Some(to)) = (from, to) else {
        return Ok((table.clone(), Vec::new()));
    };
    if from == to {
        return Ok((table.clone(), Vec::new()));
    }
    let data = store.map_concordance_get(from, to).await?.ok_or_else(|| {
        AppError::Usage(format!(
            "the table's codes are of vintage {from} and the definitions' of {to}: import a concordance with `milieu map concordance import FILE --from {from} --to {to}`"
        ))
    })?;
    let c = Concordance::from_pairs(
        from,
        to,
        data.pairs.iter().map(|(a, b)| (a.as_str(), b.as_str())),
    );
    milieu_map::bridge(table, &c, Unmapped::Keep).map_err(map_error)
}

/// What an analysis works on.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// Stored table name (empty = [`DEFAULT_TABLE`]).
    pub table: String,
    /// Years to load (empty = all).
    pub years: Vec<u16>,
    /// Definition set to use (and bridge the table's codes to).
    pub definitions: Option<String>,
    /// Aggregate regions to this hierarchy level first.
    pub region_level: Option<String>,
    /// Drop regions the hierarchy does not place at `region_level` instead of refusing.
    pub drop_unplaced: bool,
}

/// A table ready for the engine, with how it was prepared.
pub struct Loaded {
    pub table: Table,
    pub definitions: Option<Definitions>,
    pub hierarchy: Option<Hierarchy>,
    /// Codes that did not map one-to-one when bridging to the definitions' vintage.
    pub bridged: Vec<BridgeRow>,
    pub bridge_vintages: Option<(String, String)>,
    /// Regions dropped as not placed at the region level (`drop_unplaced`).
    pub dropped: Vec<String>,
}

impl Loaded {
    /// One line saying what was bridged or dropped, for the user (None when nothing was).
    pub fn notes(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some((from, to)) = &self.bridge_vintages {
            let count = |k: &str| self.bridged.iter().filter(|r| r.kind == k).count();
            out.push(format!(
                "bridged codes {from} -> {to}: {} renamed, {} split equally, {} unmapped (kept){}",
                count("renamed"),
                count("split"),
                count("unmapped"),
                if self.bridged.is_empty() {
                    String::new()
                } else {
                    "; `milieu map bridge` lists them".to_string()
                }
            ));
        }
        if !self.dropped.is_empty() {
            out.push(format!(
                "dropped {} region(s) not placed in the hierarchy: {}",
                self.dropped.len(),
                preview(&self.dropped)
            ));
        }
        out
    }
}

/// Years of a stored table (a usage error naming the stored tables when there is none).
pub async fn table_years(store: &impl Store, table: &str) -> Result<Vec<u16>, AppError> {
    let name = if table.is_empty() {
        DEFAULT_TABLE
    } else {
        table
    };
    let tables = store.map_tables().await?;
    match tables.iter().find(|t| t.name == name) {
        Some(t) => Ok(t.years.clone()),
        None => Err(no_table(name, &tables)),
    }
}

fn no_table(name: &str, tables: &[milieu_store::RegionalTableInfo]) -> AppError {
    AppError::Usage(format!(
        "no table `{name}` (stored: {}); import one with `milieu map import cbp FILE...` or `milieu map import long FILE`{}",
        if tables.is_empty() {
            "none".to_string()
        } else {
            tables
                .iter()
                .map(|t| t.name.clone())
                .collect::<Vec<_>>()
                .join(", ")
        },
        if name == DEFAULT_TABLE {
            String::new()
        } else {
            format!(" with --table {name}")
        }
    ))
}

/// Loads the scope's table (only its years), definitions and hierarchy level, bridging the
/// table to the definitions' code vintage.
pub async fn load(store: &impl Store, scope: &Scope) -> Result<Loaded, AppError> {
    let name = if scope.table.is_empty() {
        DEFAULT_TABLE
    } else {
        scope.table.as_str()
    };
    let years = (!scope.years.is_empty()).then_some(scope.years.as_slice());
    let stored = match store.map_table_get(name, years).await? {
        Some(s) => s,
        None => return Err(no_table(name, &store.map_tables().await?)),
    };
    let mut table = table_from_stored(&stored)?;
    let missing: Vec<u16> = scope
        .years
        .iter()
        .copied()
        .filter(|y| !table.years().contains(y))
        .collect();
    if !missing.is_empty() {
        let present = table_years(store, name).await?;
        return Err(AppError::Usage(format!(
            "table `{name}` has no year {} (years present: {})",
            missing
                .iter()
                .map(|y| y.to_string())
                .collect::<Vec<_>>()
                .join(", "),
            present
                .iter()
                .map(|y| y.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let mut hierarchy = None;
    let mut dropped = Vec::new();
    if let Some(level) = &scope.region_level {
        let h = hierarchy_from_stored(&store.map_hierarchy_get().await?);
        if !h.levels().contains(&level.as_str()) {
            return Err(AppError::Usage(format!(
                "--region-level {level}: the stored hierarchy has no such level (levels: {}); import one with `milieu map hierarchy import FILE --format cmp|bea|generic`",
                if h.levels().is_empty() {
                    "none".to_string()
                } else {
                    h.levels().join(", ")
                }
            )));
        }
        let (t, d) = table
            .aggregate_regions(&h, level, scope.drop_unplaced)
            .map_err(|e| match e {
                milieu_map::Error::RegionsNotInHierarchy { .. } => AppError::Engine {
                    code: e.error_code(),
                    message: format!("{e} (add --drop-unplaced to leave them out)"),
                },
                e => map_error(e),
            })?;
        table = t;
        dropped = d;
        hierarchy = Some(h);
    }
    let mut definitions = None;
    let mut bridged = Vec::new();
    let mut bridge_vintages = None;
    if let Some(defs_name) = &scope.definitions {
        let (defs, defs_vintage) = load_definitions(store, defs_name).await?;
        if let (Some(a), Some(b)) = (&stored.vintage, &defs_vintage)
            && a != b
        {
            let (t, rows) = bridge_to(store, &table, Some(a), Some(b)).await?;
            table = t;
            bridged = rows;
            bridge_vintages = Some((a.clone(), b.clone()));
        }
        definitions = Some(defs);
    }
    Ok(Loaded {
        table,
        definitions,
        hierarchy,
        bridged,
        bridge_vintages,
        dropped,
    })
}
