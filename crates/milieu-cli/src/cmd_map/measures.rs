//! The measures on a loaded table: location quotients, profiles, strength, shift-share,
//! diversity and concentration indexes, co-location and relatedness.

use super::args::{
    BaseArg, ColocationArgs, IndexArgs, LevelArg, LqArgs, ProfileArgs, RelatednessArgs,
    ShiftShareArgs, StrengthArgs, TableArgs, TransformArg,
};
use super::{
    base, benchmark, check_regions, engine_err, keep_regions, level, load_scope, print_rows_of,
    signal,
};
use milieu_app::AppError;
use milieu_app::map::{self as app, GrowthFrom, Loaded};
use milieu_map as engine;
use milieu_store::AnyStore;

pub(super) async fn lq(store: &AnyStore, a: LqArgs) -> Result<(), AppError> {
    let needs = a.level == LevelArg::Cluster || a.base == BaseArg::Traded;
    let (scope, loaded) = load_scope(
        store,
        &a.table,
        &a.measure.definitions,
        needs,
        a.year.clone(),
        GrowthFrom::None,
    )
    .await?;
    let years = scope.years;
    check_regions(&loaded.table, &a.region)?;
    let mut rows = Vec::new();
    for year in years {
        rows.extend(
            engine::lq(
                &loaded.table,
                &engine::LqOptions {
                    year,
                    level: level(a.level),
                    definitions: loaded.definitions.as_ref(),
                    base: base(a.base),
                    benchmark: benchmark(&a.measure),
                },
            )
            .map_err(engine_err)?,
        );
    }
    keep_regions(&mut rows, &a.region, |r| &r.region);
    print_rows_of(&rows, a.out.format)
}

pub(super) async fn profile(store: &AnyStore, a: ProfileArgs) -> Result<(), AppError> {
    let needs = a.level == LevelArg::Cluster || a.base == BaseArg::Traded;
    let growth = a.from.map_or(GrowthFrom::None, GrowthFrom::Year);
    let (scope, loaded) = load_scope(
        store,
        &a.table,
        &a.measure.definitions,
        needs,
        a.year.into_iter().collect(),
        growth,
    )
    .await?;
    let year = scope.year;
    check_regions(&loaded.table, &a.region)?;
    let mut rows = engine::profile(
        &loaded.table,
        &engine::ProfileOptions {
            year,
            from_year: a.from,
            level: level(a.level),
            definitions: loaded.definitions.as_ref(),
            base: base(a.base),
            benchmark: benchmark(&a.measure),
        },
    )
    .map_err(engine_err)?;
    keep_regions(&mut rows, &a.region, |r| &r.region);
    print_rows_of(&rows, a.out.format)
}

pub(super) async fn strength(store: &AnyStore, a: StrengthArgs) -> Result<(), AppError> {
    let growth = a.from.map_or(GrowthFrom::FirstStored, GrowthFrom::Year);
    let (scope, loaded) = load_scope(
        store,
        &a.table,
        &a.measure.definitions,
        true,
        a.year.into_iter().collect(),
        growth,
    )
    .await?;
    let (year, from) = (scope.year, scope.from_year);
    check_regions(&loaded.table, &a.region)?;
    let counts = match a.region.as_slice() {
        [one] => {
            app::organised_actors_in(store, &loaded, one, scope.region_level.as_deref()).await?
        }
        _ => None,
    };
    let rows = engine::strength(
        &loaded.table,
        &engine::StrengthOptions {
            year,
            from_year: from,
            level: engine::Level::Cluster,
            definitions: loaded.definitions.as_ref(),
            base: base(a.base),
            benchmark: benchmark(&a.measure),
            traded_only: !a.all_clusters,
            organised_actors: counts.as_ref(),
            regions: (!a.region.is_empty()).then(|| a.region.clone()),
            rules: engine::StrengthRules::default(),
        },
    )
    .map_err(engine_err)?;
    print_rows_of(&rows, a.out.format)
}

pub(super) async fn shift_share(store: &AnyStore, a: ShiftShareArgs) -> Result<(), AppError> {
    if a.from >= a.to {
        return Err(AppError::Usage(format!(
            "--from {} must be before --to {}",
            a.from, a.to
        )));
    }
    let (_, loaded) = load_scope(
        store,
        &a.table,
        &a.measure.definitions,
        a.level == LevelArg::Cluster,
        vec![a.from, a.to],
        GrowthFrom::None,
    )
    .await?;
    check_regions(&loaded.table, &a.region)?;
    let ss = engine::shift_share(
        &loaded.table,
        &engine::ShiftShareOptions {
            from: a.from,
            to: a.to,
            level: level(a.level),
            definitions: loaded.definitions.as_ref(),
            benchmark: benchmark(&a.measure),
            regions: (!a.region.is_empty()).then(|| a.region.clone()),
        },
    )
    .map_err(engine_err)?;
    if a.summary {
        print_rows_of(&ss.regions, a.out.format)
    } else {
        print_rows_of(&ss.rows, a.out.format)
    }
}

/// The scope of a one-year measure (index, co-location, relatedness): definitions needed at
/// cluster level, the year given or the latest.
async fn load_one_year(
    store: &AnyStore,
    table: &TableArgs,
    definitions: &Option<String>,
    level: LevelArg,
    year: Option<u16>,
) -> Result<(u16, Loaded), AppError> {
    let (scope, loaded) = load_scope(
        store,
        table,
        definitions,
        level == LevelArg::Cluster,
        year.into_iter().collect(),
        GrowthFrom::None,
    )
    .await?;
    Ok((scope.year, loaded))
}

pub(super) async fn index(
    store: &AnyStore,
    a: IndexArgs,
    concentration: bool,
) -> Result<(), AppError> {
    let (year, loaded) =
        load_one_year(store, &a.table, &a.measure.definitions, a.level, a.year).await?;
    let opts = engine::IndexOptions {
        year,
        level: level(a.level),
        definitions: loaded.definitions.as_ref(),
        benchmark: benchmark(&a.measure),
    };
    if concentration {
        print_rows_of(
            &engine::concentration(&loaded.table, &opts).map_err(engine_err)?,
            a.out.format,
        )
    } else {
        print_rows_of(
            &engine::diversity(&loaded.table, &opts).map_err(engine_err)?,
            a.out.format,
        )
    }
}

pub(super) async fn colocation(store: &AnyStore, a: ColocationArgs) -> Result<(), AppError> {
    let (year, loaded) =
        load_one_year(store, &a.table, &a.measure.definitions, a.level, a.year).await?;
    let transform = match a.transform {
        TransformArg::Raw => engine::Transform::Raw,
        TransformArg::Lq => engine::Transform::Lq,
        TransformArg::LogLq => engine::Transform::LogLq,
    };
    let sim = engine::colocation_matrix(
        &loaded.table,
        &engine::CoLocationOptions {
            year,
            level: level(a.level),
            definitions: loaded.definitions.as_ref(),
            signal: signal(a.signal),
            transform,
        },
    )
    .map_err(engine_err)?;
    let items = (!a.item.is_empty()).then_some(a.item.as_slice());
    print_rows_of(
        &engine::colocation_pairs(&sim, signal(a.signal), a.top, items),
        a.out.format,
    )
}

pub(super) async fn relatedness(store: &AnyStore, a: RelatednessArgs) -> Result<(), AppError> {
    let (year, loaded) =
        load_one_year(store, &a.table, &a.measure.definitions, a.level, a.year).await?;
    check_regions(&loaded.table, &a.region)?;
    let rows = engine::relatedness(
        &loaded.table,
        &engine::RelatednessOptions {
            year,
            level: level(a.level),
            definitions: loaded.definitions.as_ref(),
            regions: (!a.region.is_empty()).then(|| a.region.clone()),
            include_present: a.include_present,
            top_related: a.top_related,
        },
    )
    .map_err(engine_err)?;
    print_rows_of(&rows, a.out.format)
}
