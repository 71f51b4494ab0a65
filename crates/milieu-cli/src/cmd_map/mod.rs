//! `milieu map ...`: cluster mapping from regional employment tables stored in the database.
//! Imports go through milieu-app (checked, all or nothing); analyses load what they need
//! from the store (only the years asked for), call the milieu-map engine and print its rows,
//! whose fields are the documented columns (docs/mapping.md), as table, CSV or JSON.
//!
//! Modules: [`args`] (the command line), [`data`] (imports), [`measures`], [`discover`] and
//! [`priority`] (prioritise, report). This module dispatches and holds the scope resolution
//! every analysis shares ([`load_scope`], through `milieu_app::map::resolve_and_load`) and the
//! output helpers.

use crate::output::{self, Format, OutputArgs};
use clap::Subcommand;
use milieu_app::AppError;
use milieu_app::map::{self as app, GrowthFrom, Loaded, ResolvedScope, ScopeRequest};
use milieu_map as engine;
use milieu_store::AnyStore;
use serde::Serialize;

mod args;
mod data;
mod discover;
mod measures;
mod priority;

pub use args::*;

#[derive(Subcommand, Debug)]
pub enum MapCommand {
    /// Import a regional employment table (County Business Patterns or a long table); all or
    /// nothing.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Stored regional tables: list, delete.
    #[command(subcommand)]
    Table(TableCommand),
    /// The old spelling of `map table list`, still accepted.
    #[command(hide = true)]
    Tables(OutputArgs),
    /// The old spelling of `map table delete`, still accepted.
    #[command(hide = true)]
    DeleteTable {
        /// Table name.
        name: String,
    },
    /// Cluster definition sets (industry -> cluster): import, list, show, delete.
    #[command(subcommand, name = "definition", alias = "definitions")]
    Definitions(DefinitionsCommand),
    /// Industry code concordances between vintages (e.g. NAICS 2017 -> 2012).
    #[command(subcommand)]
    Concordance(ConcordanceCommand),
    /// Region hierarchies (county -> state, economic area, metro area, ...).
    #[command(subcommand)]
    Hierarchy(HierarchyCommand),
    /// How the table's industry codes meet a definition set: codes renamed, split or left
    /// unmapped by bridging code vintages, and codes the set does not know.
    Bridge(BridgeArgs),
    /// Location quotients by industry or cluster, with their parts.
    Lq(LqArgs),
    /// Size, specialisation, focus, growth and wages by industry or cluster.
    Profile(ProfileArgs),
    /// Strong clusters (CMP rule), stars (European Cluster Observatory style) and the
    /// working / latent / potential classification, with thresholds and rule.
    Strength(StrengthArgs),
    /// Shift-share of employment change between two years: classic and Esteban-Marquillas.
    ShiftShare(ShiftShareArgs),
    /// Specialisation / diversity of each region: Krugman, Hoover, Herfindahl, entropy.
    Diversity(IndexArgs),
    /// Geographic concentration of each industry or cluster: Hoover, Gini, Ellison-Glaeser.
    Concentration(IndexArgs),
    /// Co-location between industries or clusters: each item's most co-located partners.
    Colocation(ColocationArgs),
    /// Relatedness density of regions to the items they lack ("what could we grow into").
    Relatedness(RelatednessArgs),
    /// Discover clusters from how industries co-locate, with validation scores.
    Discover(DiscoverArgs),
    /// Rank a region's clusters on weighted criteria, every score with its parts.
    #[command(alias = "prioritize")]
    Prioritise(PrioritiseArgs),
    /// Write a self-contained HTML report on a region's clusters.
    Report(ReportArgs),
}

/// `milieu map table ...`: the stored regional tables.
#[derive(Subcommand, Debug)]
pub enum TableCommand {
    /// Stored regional tables with their years and sizes.
    List(OutputArgs),
    /// Delete a stored regional table.
    Delete {
        /// Table name.
        name: String,
    },
}

pub async fn run(store: &AnyStore, cmd: MapCommand) -> Result<(), AppError> {
    match cmd {
        MapCommand::Import(c) => data::import(store, c).await,
        MapCommand::Table(TableCommand::List(out)) | MapCommand::Tables(out) => {
            print(&store.map_tables().await?, out.format)
        }
        MapCommand::Table(TableCommand::Delete { name }) | MapCommand::DeleteTable { name } => {
            if store.map_table_delete(&name).await? {
                println!("deleted table `{name}`");
                Ok(())
            } else {
                Err(AppError::NotFound {
                    kind: "table",
                    id: name,
                })
            }
        }
        MapCommand::Definitions(c) => data::definitions(store, c).await,
        MapCommand::Concordance(c) => match c {
            ConcordanceCommand::Import { file, from, to } => {
                let info = app::import_concordance(store, &file, &from, &to).await?;
                println!(
                    "imported concordance {} -> {}: {} codes, {} pairs",
                    info.from, info.to, info.codes, info.pairs
                );
                Ok(())
            }
            ConcordanceCommand::List(out) => print(&store.map_concordances().await?, out.format),
        },
        MapCommand::Hierarchy(c) => match c {
            HierarchyCommand::Import { file, format } => {
                let format = match format {
                    HierFormat::Generic => app::HierarchyFormat::Generic,
                    HierFormat::Cmp => app::HierarchyFormat::Cmp,
                    HierFormat::Bea => app::HierarchyFormat::Bea,
                };
                for l in app::import_hierarchy(store, &file, format).await? {
                    println!(
                        "imported level {}: {} regions in {} parents",
                        l.level, l.regions, l.parents
                    );
                }
                Ok(())
            }
            HierarchyCommand::List(out) => print(&store.map_hierarchy_levels().await?, out.format),
        },
        MapCommand::Bridge(a) => data::bridge(store, a).await,
        MapCommand::Lq(a) => measures::lq(store, a).await,
        MapCommand::Profile(a) => measures::profile(store, a).await,
        MapCommand::Strength(a) => measures::strength(store, a).await,
        MapCommand::ShiftShare(a) => measures::shift_share(store, a).await,
        MapCommand::Diversity(a) => measures::index(store, a, false).await,
        MapCommand::Concentration(a) => measures::index(store, a, true).await,
        MapCommand::Colocation(a) => measures::colocation(store, a).await,
        MapCommand::Relatedness(a) => measures::relatedness(store, a).await,
        MapCommand::Discover(a) => discover::discover(store, a).await,
        MapCommand::Prioritise(a) => priority::prioritise(store, a).await,
        MapCommand::Report(a) => priority::report(store, a).await,
    }
}

fn print<T: Serialize>(rows: &[T], format: Format) -> Result<(), AppError> {
    output::print_rows(rows, format).map_err(output::output_error)
}

/// Prints a measure's rows (flat structs, possibly hundreds of thousands): CSV is streamed
/// straight from the rows, with the same header, cells and number formatting as
/// `print_rows` (field names; shortest round-trip floats; empty for None), which builds a
/// JSON value and strings per cell first and takes most of the time of a large listing.
fn print_rows_of<T: Serialize>(rows: &[T], format: Format) -> Result<(), AppError> {
    if format != Format::Csv || rows.is_empty() {
        return print(rows, format);
    }
    let stdout = std::io::stdout();
    let mut w = csv::Writer::from_writer(std::io::BufWriter::with_capacity(1 << 16, stdout.lock()));
    for r in rows {
        w.serialize(r).map_err(output::output_error)?;
    }
    w.flush()?;
    Ok(())
}

fn note(lines: Vec<String>) {
    for l in lines {
        eprintln!("note: {l}");
    }
}

fn level(l: LevelArg) -> engine::Level {
    match l {
        LevelArg::Industry => engine::Level::Industry,
        LevelArg::Cluster => engine::Level::Cluster,
    }
}

fn base(b: BaseArg) -> engine::Base {
    match b {
        BaseArg::Total => engine::Base::Total,
        BaseArg::Traded => engine::Base::TradedLocal,
    }
}

fn signal(s: SignalArg) -> engine::Signal {
    match s {
        SignalArg::Employment => engine::Signal::Employment,
        SignalArg::Establishments => engine::Signal::Establishments,
        SignalArg::Coagglomeration => engine::Signal::Coagglomeration,
    }
}

fn benchmark(m: &MeasureArgs) -> engine::Benchmark {
    match &m.benchmark {
        Some(r) => engine::Benchmark::Region(r.clone()),
        None => engine::Benchmark::AllRegions,
    }
}

/// Resolves the scope by milieu-app's rules (defaults included), loads it and prints what
/// was bridged or dropped.
async fn load_scope(
    store: &AnyStore,
    table: &TableArgs,
    definitions: &Option<String>,
    needs_definitions: bool,
    years: Vec<u16>,
    growth: GrowthFrom,
) -> Result<(ResolvedScope, Loaded), AppError> {
    let (scope, loaded) = app::resolve_and_load(
        store,
        &ScopeRequest {
            table: table.table.clone(),
            definitions: definitions.clone(),
            needs_definitions,
            years,
            growth,
            region_level: table.region_level.clone(),
            drop_unplaced: table.drop_unplaced,
        },
    )
    .await?;
    note(loaded.notes());
    Ok((scope, loaded))
}

/// Every region named by --region must be in the (aggregated) table.
fn check_regions(table: &engine::Table, regions: &[String]) -> Result<(), AppError> {
    for r in regions {
        table.require_region(r).map_err(engine_err)?;
    }
    Ok(())
}

fn keep_regions<T>(rows: &mut Vec<T>, regions: &[String], region_of: impl Fn(&T) -> &str) {
    if !regions.is_empty() {
        rows.retain(|r| regions.iter().any(|x| x == region_of(r)));
    }
}

fn engine_err(e: engine::Error) -> AppError {
    app::map_error(e)
}

fn parse_weights(text: Option<&str>) -> Result<engine::Weights, AppError> {
    let mut w = engine::Weights::default();
    let Some(text) = text else {
        return Ok(w);
    };
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (key, value) = part.split_once('=').ok_or_else(|| {
            AppError::Usage(format!(
                "--weights: `{part}` should be criterion=number, e.g. growth=2"
            ))
        })?;
        let v: f64 = value
            .trim()
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite() && *v >= 0.0)
            .ok_or_else(|| {
                AppError::Usage(format!(
                    "--weights: `{value}` for {key} should be a non-negative number"
                ))
            })?;
        match key.trim() {
            "growth" => w.growth = v,
            "size" => w.size = v,
            "specialisation" | "specialization" => w.specialisation = v,
            "jobs" => w.jobs = v,
            "relatedness" => w.relatedness = v,
            "organised" | "organized" => w.organised = v,
            other => {
                return Err(AppError::Usage(format!(
                    "--weights: unknown criterion `{other}` (criteria: growth, size, specialisation, jobs, relatedness, organised)"
                )));
            }
        }
    }
    Ok(w)
}
