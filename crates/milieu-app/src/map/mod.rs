//! Cluster mapping use cases (`milieu map`): checked, all-or-nothing imports of regional
//! tables, cluster definition sets, code concordances and region hierarchies into the store,
//! and the loading an analysis needs (table, definitions, bridging, region level, registry
//! counts) before it calls the pure engine, milieu-map.
//!
//! Conversions between the engine's types and the store's plain ones live here, so neither
//! knows the other. Every user error comes back as [`AppError::Input`] (file, line, column,
//! value, expected) or [`AppError::Usage`] (exit code 2); nothing is written unless the whole
//! import is good.
//!
//! Modules: [`scope`] (resolving an analysis' table, definitions, year and region level, and
//! loading them), [`import`], [`convert`] (engine <-> store types), [`locate`] (pinning a
//! whole-table problem to its file line) and [`demo`] (the demo database's table). This module
//! maps milieu-map's errors and counts the registry's organised actors per cluster.

mod convert;
mod demo;
mod import;
mod locate;
mod scope;

pub use scope::{
    GrowthFrom, Loaded, ResolvedScope, Scope, ScopeRequest, bridge_to, load, load_definitions,
    organised_actors_in, region_or_first, resolve, resolve_and_load, table_years,
};

use crate::AppError;
pub use convert::*;
pub use demo::*;
pub use import::*;
use locate::preview;
use milieu_io::{InputError, Position};
use milieu_map::{Definitions, Hierarchy};
use milieu_model::ErrorCode;
use milieu_model::Organisation;
use milieu_store::Store;
use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::Path;

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
