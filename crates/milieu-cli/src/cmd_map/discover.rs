//! `map discover`: clusters found from co-location, compared with the stored definitions.

use super::args::{DiscoverArgs, DiscoverShow, LinkageArg};
use super::{engine_err, note, print, print_rows_of, signal};
use crate::output::Format;
use milieu_app::AppError;
use milieu_app::map::{self as app, ScopeRequest};
use milieu_map as engine;
use milieu_model::ErrorCode;
use milieu_store::AnyStore;
use serde::Serialize;

/// Discovery's whole answer, for JSON output.
#[derive(Serialize)]
struct DiscoveryOutput<'a> {
    validation: &'a engine::Validation,
    comparison: Option<&'a engine::Comparison>,
    clusters: &'a [engine::DiscoveredCluster],
    industries: &'a [engine::DiscoveredIndustry],
}

/// Discovery's validation and comparison in one row.
#[derive(Serialize)]
struct DiscoverySummary {
    industries: usize,
    clusters: usize,
    mean_silhouette: f64,
    mean_cohesion: f64,
    crossing_share: f64,
    signals: String,
    views: String,
    years: String,
    neighbours: usize,
    linkage: String,
    code_prior: f64,
    compared_with: Option<String>,
    industries_compared: Option<usize>,
    defined_clusters: Option<usize>,
    adjusted_rand_index: Option<f64>,
    normalized_mutual_information: Option<f64>,
}

pub(super) async fn discover(store: &AnyStore, a: DiscoverArgs) -> Result<(), AppError> {
    if a.clusters < 2 {
        return Err(AppError::Usage("--clusters must be at least 2".into()));
    }
    if !(0.0..=1.0).contains(&a.code_prior) {
        return Err(AppError::Usage("--code-prior must be in [0, 1]".into()));
    }
    let defs_name = a.definitions.clone().or(a.compare_with.clone());
    if a.traded_only && defs_name.is_none() {
        return Err(AppError::Usage(
            "--traded-only needs --definitions (or --compare-with)".into(),
        ));
    }
    let views: Vec<String> = if a.view.is_empty() {
        vec!["base".into()]
    } else {
        a.view.clone()
    };
    let resolved = app::resolve(
        store,
        &ScopeRequest {
            table: a.table.clone(),
            definitions: defs_name,
            years: a.year.into_iter().collect(),
            ..ScopeRequest::default()
        },
    )
    .await?;
    let year = resolved.year;
    let mut years = vec![year];
    years.extend(a.extra_year.iter().copied().filter(|y| *y != year));
    let mut scope = resolved.scope();
    scope.years = years.clone();
    let loaded = app::load(store, &scope).await?;
    note(loaded.notes());
    let mut hierarchy = None;
    let mut tables = Vec::new();
    for v in &views {
        if v == "base" {
            tables.push(None);
            continue;
        }
        if hierarchy.is_none() {
            let entries = store.map_hierarchy_get().await?;
            let mut h = engine::Hierarchy::default();
            for e in &entries {
                h.insert(&e.level, &e.region, &e.parent, &e.parent_name);
            }
            hierarchy = Some(h);
        }
        let h = hierarchy
            .as_ref()
            .ok_or_else(|| AppError::Usage("no hierarchy".into()))?;
        if !h.levels().contains(&v.as_str()) {
            return Err(AppError::Usage(format!(
                "--view {v}: not `base` nor a stored hierarchy level (levels: {})",
                h.levels().join(", ")
            )));
        }
        let (t, dropped) = loaded
            .table
            .aggregate_regions(h, v, a.drop_unplaced)
            .map_err(|e| match e {
                engine::Error::RegionsNotInHierarchy { .. } => AppError::Engine {
                    code: e.error_code(),
                    message: format!("{e} (add --drop-unplaced to leave them out)"),
                },
                e => engine_err(e),
            })?;
        if !dropped.is_empty() {
            note(vec![format!(
                "view {v}: dropped {} region(s) not placed at that level",
                dropped.len()
            )]);
        }
        tables.push(Some(t));
    }
    let view_refs: Vec<&engine::Table> = tables
        .iter()
        .map(|t| t.as_ref().unwrap_or(&loaded.table))
        .collect();
    let traded: Option<Vec<String>> = match (&loaded.definitions, a.traded_only) {
        (Some(d), true) => Some(
            d.rows()
                .into_iter()
                .filter(|r| r.traded == Some(true))
                .map(|r| r.industry)
                .collect(),
        ),
        _ => None,
    };
    let result = engine::discover(
        &view_refs,
        &engine::DiscoverOptions {
            year,
            extra_years: if a.extra_year.is_empty() {
                Vec::new()
            } else {
                years.clone()
            },
            clusters: a.clusters,
            signals: a.signals.iter().map(|s| signal(*s)).collect(),
            transform: engine::Transform::LogLq,
            neighbours: a.neighbours,
            linkage: match a.linkage {
                LinkageArg::Average => engine::Linkage::Average,
                LinkageArg::Ward => engine::Linkage::Ward,
                LinkageArg::Complete => engine::Linkage::Complete,
            },
            code_prior: a.code_prior,
            industries: traded.as_deref(),
        },
    )
    .map_err(engine_err)?;
    let comparison = match &a.compare_with {
        Some(name) => {
            let defs = if a.definitions.as_deref() == Some(name.as_str()) || a.definitions.is_none()
            {
                loaded.definitions.clone()
            } else {
                Some(app::load_definitions(store, name).await?.0)
            };
            match defs {
                Some(d) => Some(engine::compare_with_definitions(&result, &d).map_err(engine_err)?),
                None => None,
            }
        }
        None => None,
    };
    let v = &result.validation;
    let summary = DiscoverySummary {
        industries: v.industries,
        clusters: v.clusters,
        mean_silhouette: v.mean_silhouette,
        mean_cohesion: v.mean_cohesion,
        crossing_share: v.crossing_share,
        signals: v.signals.clone(),
        views: views.join(";"),
        years: v.years.clone(),
        neighbours: v.neighbours,
        linkage: v.linkage.clone(),
        code_prior: v.code_prior,
        compared_with: comparison.as_ref().map(|c| c.definitions.clone()),
        industries_compared: comparison.as_ref().map(|c| c.industries_compared),
        defined_clusters: comparison.as_ref().map(|c| c.defined_clusters),
        adjusted_rand_index: comparison.as_ref().map(|c| c.adjusted_rand_index),
        normalized_mutual_information: comparison.as_ref().map(|c| c.normalized_mutual_information),
    };
    if a.out.format == Format::Json && a.show != DiscoverShow::Summary {
        let whole = DiscoveryOutput {
            validation: &result.validation,
            comparison: comparison.as_ref(),
            clusters: &result.clusters,
            industries: &result.industries,
        };
        println!(
            "{}",
            serde_json::to_string_pretty(&whole).map_err(|e| AppError::Io(e.into()))?
        );
        return Ok(());
    }
    match a.show {
        DiscoverShow::Clusters => print_rows_of(&result.clusters, a.out.format)?,
        DiscoverShow::Industries => print_rows_of(&result.industries, a.out.format)?,
        DiscoverShow::Summary => return print(&[summary], a.out.format),
    }
    let mut line = format!(
        "{} industries in {} clusters: mean silhouette {:.3}, {:.0}% of clusters cross 3-digit code groups",
        summary.industries,
        summary.clusters,
        summary.mean_silhouette,
        summary.crossing_share * 100.0
    );
    if let Some(c) = &comparison {
        line.push_str(&format!(
            "; against `{}` ({} industries, {} clusters): ARI {:.3}, NMI {:.3}",
            c.definitions,
            c.industries_compared,
            c.defined_clusters,
            c.adjusted_rand_index,
            c.normalized_mutual_information
        ));
    }
    eprintln!("{line}");
    Ok(())
}
