//! `map prioritise` and `map report`: cluster priorities and the self-contained HTML report.

use super::args::{PrioritiseArgs, PriorityArgs, ReportArgs};
use super::{base, benchmark, engine_err, load_scope, parse_weights, print_rows_of};
use milieu_app::AppError;
use milieu_app::map::{self as app, GrowthFrom, Loaded};
use milieu_map as engine;
use milieu_store::AnyStore;

/// Everything prioritise and report share: the loaded table, definitions and options.
async fn priority_inputs(
    store: &AnyStore,
    p: &PriorityArgs,
) -> Result<
    (
        Loaded,
        u16,
        Option<u16>,
        engine::Weights,
        Option<std::collections::HashMap<String, u32>>,
    ),
    AppError,
> {
    let weights = parse_weights(p.weights.as_deref())?;
    let growth = p.from.map_or(GrowthFrom::FirstStored, GrowthFrom::Year);
    let (scope, loaded) = load_scope(
        store,
        &p.table,
        &p.measure.definitions,
        true,
        p.year.into_iter().collect(),
        growth,
    )
    .await?;
    let (year, from) = (scope.year, scope.from_year);
    loaded.table.require_region(&p.region).map_err(engine_err)?;
    let counts =
        app::organised_actors_in(store, &loaded, &p.region, scope.region_level.as_deref()).await?;
    Ok((loaded, year, from, weights, counts))
}

pub(super) async fn prioritise(store: &AnyStore, a: PrioritiseArgs) -> Result<(), AppError> {
    let p = &a.priority;
    let (loaded, year, from, weights, counts) = priority_inputs(store, p).await?;
    let defs = loaded
        .definitions
        .as_ref()
        .ok_or_else(|| AppError::Usage("prioritise needs --definitions".into()))?;
    let rows = engine::prioritise(
        &loaded.table,
        &engine::PrioritiseOptions {
            region: p.region.clone(),
            year,
            from_year: from,
            definitions: defs,
            base: base(p.base),
            benchmark: benchmark(&p.measure),
            weights,
            organised_actors: counts.as_ref(),
            traded_only: !p.all_clusters,
        },
    )
    .map_err(engine_err)?;
    print_rows_of(&rows, a.out.format)
}

pub(super) async fn report(store: &AnyStore, a: ReportArgs) -> Result<(), AppError> {
    let p = &a.priority;
    let (loaded, year, from, weights, counts) = priority_inputs(store, p).await?;
    let defs = loaded
        .definitions
        .as_ref()
        .ok_or_else(|| AppError::Usage("report needs --definitions".into()))?;
    let html = engine::report_html(
        &loaded.table,
        &engine::ReportOptions {
            region: p.region.clone(),
            year,
            from_year: from,
            definitions: defs,
            base: base(p.base),
            benchmark: benchmark(&p.measure),
            weights,
            organised_actors: counts.as_ref(),
            traded_only: !p.all_clusters,
            top: a.top,
        },
    )
    .map_err(engine_err)?;
    std::fs::write(&a.out, &html)?;
    println!(
        "wrote {} ({} KB): region {}, year {year}{}",
        a.out.display(),
        html.len().div_ceil(1024),
        p.region,
        from.map(|f| format!(", growth from {f}"))
            .unwrap_or_default()
    );
    Ok(())
}
