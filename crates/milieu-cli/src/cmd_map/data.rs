//! Storing what analyses read: table imports, definition sets, concordances, hierarchies, and
//! the `bridge` check of a table against definitions of another code vintage.

use super::args::{BridgeArgs, DefinitionsCommand, DefsFormat, ImportCommand, TableImportArgs};
use super::{note, print, print_rows_of};
use milieu_app::AppError;
use milieu_app::map::{self as app, ScopeRequest};
use milieu_map as engine;
use milieu_store::AnyStore;

pub(super) async fn import(store: &AnyStore, c: ImportCommand) -> Result<(), AppError> {
    let started = std::time::Instant::now();
    let opts = |i: &TableImportArgs| app::TableImportOptions {
        name: i.table.clone(),
        replace: i.replace,
        add: i.add,
        check_level: i.check_level.clone(),
        check_definitions: i.check_definitions.clone(),
    };
    let report = match c {
        ImportCommand::Cbp {
            files,
            digits,
            import,
        } => app::import_cbp(store, &files, digits, &opts(&import)).await?,
        ImportCommand::Long {
            files,
            total_code,
            vintage,
            import,
        } => app::import_long(store, &files, total_code, vintage, &opts(&import)).await?,
    };
    for f in &report.files {
        println!(
            "{}: {} lines, {} rows at this NAICS level ({} with employment 0), {} region totals",
            f.source, f.lines, f.rows_kept, f.zero_employment_rows, f.totals_rows
        );
    }
    println!(
        "imported table `{}`: years {}, {} regions, {} industries{}, {} rows, {} region totals in {:.2} s",
        report.table,
        report
            .years
            .iter()
            .map(|y| y.to_string())
            .collect::<Vec<_>>()
            .join(", "),
        report.regions,
        report.industries,
        report
            .vintage
            .as_deref()
            .map(|v| format!(" (code vintage {v})"))
            .unwrap_or_default(),
        report.rows,
        report.totals,
        started.elapsed().as_secs_f64()
    );
    if !report.bridged.is_empty() {
        note(vec![format!(
            "checked after bridging: {} codes did not map one-to-one (`milieu map bridge` lists them)",
            report.bridged.len()
        )]);
    }
    Ok(())
}

pub(super) async fn definitions(store: &AnyStore, c: DefinitionsCommand) -> Result<(), AppError> {
    match c {
        DefinitionsCommand::Import {
            file,
            format,
            vintage,
            system,
            name,
            replace,
        } => {
            let format = match format {
                DefsFormat::Generic => app::DefinitionsFormat::Generic,
                DefsFormat::Cmp => app::DefinitionsFormat::Cmp,
                DefsFormat::Colorado => app::DefinitionsFormat::Colorado,
            };
            let r = app::import_definitions(store, &file, format, vintage, system, name, replace)
                .await?;
            println!(
                "imported definitions `{}` ({}{}): {} clusters ({} traded), {} industries{}",
                r.name,
                r.format,
                r.vintage
                    .as_deref()
                    .map(|v| format!(", vintage {v}"))
                    .unwrap_or_default(),
                r.clusters,
                r.traded_clusters,
                r.industries,
                if r.overlapping {
                    "; clusters overlap"
                } else {
                    ""
                }
            );
            Ok(())
        }
        DefinitionsCommand::List(out) => print(&store.map_definition_sets().await?, out.format),
        DefinitionsCommand::Show { name, out } => {
            let (defs, _) = app::load_definitions(store, &name).await?;
            print(&defs.rows(), out.format)
        }
        DefinitionsCommand::Delete { name } => {
            if store.map_definitions_delete(&name).await? {
                println!("deleted definitions `{name}`");
                Ok(())
            } else {
                Err(AppError::NotFound {
                    kind: "definitions",
                    id: name,
                })
            }
        }
    }
}

pub(super) async fn bridge(store: &AnyStore, a: BridgeArgs) -> Result<(), AppError> {
    // Every stored year: the employment of a code is summed over the whole table.
    let resolved = app::resolve(
        store,
        &ScopeRequest {
            table: a.table.table.clone(),
            definitions: a.definitions.clone(),
            needs_definitions: true,
            region_level: a.table.region_level.clone(),
            drop_unplaced: a.table.drop_unplaced,
            ..ScopeRequest::default()
        },
    )
    .await?;
    let mut scope = resolved.scope();
    scope.years.clear();
    let loaded = app::load(store, &scope).await?;
    note(loaded.notes());
    let mut rows = loaded.bridged.clone();
    if let Some(d) = &loaded.definitions {
        let unknown = d.unknown_industries(&loaded.table);
        let employment = |code: &str| -> f64 {
            let id = loaded.table.industries().get(code);
            (0..loaded.table.len())
                .map(|i| loaded.table.row(i))
                .filter(|r| Some(r.industry) == id)
                .map(|r| r.employment)
                .sum()
        };
        for code in unknown {
            rows.push(engine::BridgeRow {
                kind: "unknown".into(),
                employment: employment(&code),
                code,
                targets: String::new(),
                action: format!(
                    "not in definitions `{}`: cluster-level measures refuse the table",
                    d.name
                ),
            });
        }
    }
    print_rows_of(&rows, a.out.format)
}
