//! `milieu map ...`: cluster mapping from regional employment tables stored in the database.
//! Imports go through milieu-app (checked, all or nothing); analyses load what they need
//! from the store (only the years asked for), call the milieu-map engine and print its rows,
//! whose fields are the documented columns (docs/mapping.md), as table, CSV or JSON.

use crate::output::{self, Format, OutputArgs};
use clap::{Args, Subcommand, ValueEnum};
use milieu_app::AppError;
use milieu_app::map::{self as app, GrowthFrom, Loaded, ResolvedScope, ScopeRequest};
use milieu_map as engine;
use milieu_model::ErrorCode;
use milieu_store::AnyStore;
use serde::Serialize;
use std::path::PathBuf;

#[derive(Subcommand, Debug)]
pub enum MapCommand {
    /// Import a regional employment table (County Business Patterns or a long table); all or
    /// nothing.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Stored regional tables with their years and sizes.
    Tables(OutputArgs),
    /// Delete a stored regional table.
    DeleteTable {
        /// Table name.
        name: String,
    },
    /// Cluster definition sets (industry -> cluster): import, list, show, delete.
    #[command(subcommand)]
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

#[derive(Subcommand, Debug)]
pub enum ImportCommand {
    /// County Business Patterns county files (fips5, year, naicsYYYY, naics_digits, estab,
    /// emp, payann_kusd; several years; .gz accepted).
    Cbp {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// NAICS level to keep (2-6).
        #[arg(long, default_value_t = 6)]
        digits: u8,
        #[command(flatten)]
        import: TableImportArgs,
    },
    /// Long tables: region,industry,year,employment[,establishments,payroll,region_name,
    /// industry_name].
    Long {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Industry code whose rows are the regions' all-industry totals (e.g. TOTAL).
        #[arg(long)]
        total_code: Option<String>,
        /// Code vintage of the industries (e.g. 2017 for NAICS 2017), for bridging.
        #[arg(long)]
        vintage: Option<String>,
        #[command(flatten)]
        import: TableImportArgs,
    },
}

#[derive(Args, Debug)]
pub struct TableImportArgs {
    /// Name of the table in the database.
    #[arg(long, default_value = app::DEFAULT_TABLE)]
    table: String,
    /// Replace an existing table of that name.
    #[arg(long, conflicts_with = "add")]
    replace: bool,
    /// Add the files' years to an existing table.
    #[arg(long)]
    add: bool,
    /// Refuse the import unless every region is placed at this level of the stored hierarchy.
    #[arg(long)]
    check_level: Option<String>,
    /// Refuse the import unless every industry is known to this stored definition set
    /// (after bridging code vintages).
    #[arg(long)]
    check_definitions: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum DefinitionsCommand {
    /// Import a definition set (replaces nothing unless --replace).
    Import {
        file: PathBuf,
        /// File format.
        #[arg(long, value_enum, default_value_t = DefsFormat::Generic)]
        format: DefsFormat,
        /// Code vintage of the set; with --format cmp, the NAICS vintage to take (2012, 2007,
        /// 2002, 1997).
        #[arg(long)]
        vintage: Option<String>,
        /// With --format colorado: the cluster system (Advance Longmont, Fort Collins, Metro
        /// Denver, OEDIT).
        #[arg(long)]
        system: Option<String>,
        /// Name of the set (default: cmpVINTAGE, the system, or the file name).
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        replace: bool,
    },
    /// Stored definition sets.
    List(OutputArgs),
    /// The memberships of one set: industry,cluster_code,cluster_name,traded,subcluster.
    Show {
        name: String,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// Delete a definition set.
    Delete { name: String },
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum DefsFormat {
    Generic,
    Cmp,
    Colorado,
}

#[derive(Subcommand, Debug)]
pub enum ConcordanceCommand {
    /// Import a NAICS concordance (columns NAICS_<vintage>_Code) from one vintage to another.
    Import {
        file: PathBuf,
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
    },
    /// Stored concordances.
    List(OutputArgs),
}

#[derive(Subcommand, Debug)]
pub enum HierarchyCommand {
    /// Import region hierarchy levels (a level in the file replaces the stored level).
    Import {
        file: PathBuf,
        /// generic: region,level,parent[,parent_name]; cmp: CMP regions file (levels state,
        /// msa, economic); bea: BEA economic areas (level bea_ea).
        #[arg(long, value_enum, default_value_t = HierFormat::Generic)]
        format: HierFormat,
    },
    /// Stored levels.
    List(OutputArgs),
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum HierFormat {
    Generic,
    Cmp,
    Bea,
}

/// Which table, and at which region level.
#[derive(Args, Debug, Clone)]
pub struct TableArgs {
    /// Stored table to analyse (default: `main`, else the only stored table).
    #[arg(long)]
    table: Option<String>,
    /// Aggregate regions to this level of the stored hierarchy first (e.g. state, bea_ea).
    #[arg(long)]
    region_level: Option<String>,
    /// With --region-level: leave out regions the hierarchy does not place (they are listed)
    /// instead of refusing.
    #[arg(long)]
    drop_unplaced: bool,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum LevelArg {
    Industry,
    Cluster,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum BaseArg {
    /// Shares of all employment of the region.
    Total,
    /// CMP convention: traded items against traded employment, local against local.
    Traded,
}

#[derive(Args, Debug)]
pub struct BridgeArgs {
    #[command(flatten)]
    table: TableArgs,
    /// Definition set to bridge to.
    #[arg(long)]
    definitions: Option<String>,
    #[command(flatten)]
    out: OutputArgs,
}

/// Options shared by the measures: definitions, base, benchmark.
#[derive(Args, Debug, Clone)]
pub struct MeasureArgs {
    /// Cluster definition set (needed for --level cluster and --base traded; the table is
    /// bridged to its code vintage). Default: the only stored set, if there is one.
    #[arg(long)]
    definitions: Option<String>,
    /// Compare with this region of the table (e.g. the nation's totals) instead of the sum of
    /// all regions; it is left out of the output.
    #[arg(long)]
    benchmark: Option<String>,
}

#[derive(Args, Debug)]
pub struct LqArgs {
    /// Year (repeat for several; default: the latest).
    #[arg(long)]
    year: Vec<u16>,
    #[arg(long, value_enum, default_value_t = LevelArg::Industry)]
    level: LevelArg,
    #[arg(long, value_enum, default_value_t = BaseArg::Total)]
    base: BaseArg,
    /// Only these regions in the output (repeat).
    #[arg(long)]
    region: Vec<String>,
    #[command(flatten)]
    measure: MeasureArgs,
    #[command(flatten)]
    table: TableArgs,
    #[command(flatten)]
    out: OutputArgs,
}

#[derive(Args, Debug)]
pub struct ProfileArgs {
    /// Year (default: the latest).
    #[arg(long)]
    year: Option<u16>,
    /// Start year for growth (default: none).
    #[arg(long)]
    from: Option<u16>,
    #[arg(long, value_enum, default_value_t = LevelArg::Industry)]
    level: LevelArg,
    #[arg(long, value_enum, default_value_t = BaseArg::Total)]
    base: BaseArg,
    #[arg(long)]
    region: Vec<String>,
    #[command(flatten)]
    measure: MeasureArgs,
    #[command(flatten)]
    table: TableArgs,
    #[command(flatten)]
    out: OutputArgs,
}

#[derive(Args, Debug)]
pub struct StrengthArgs {
    #[arg(long)]
    year: Option<u16>,
    /// Start year for growth (default: the table's first year, when earlier).
    #[arg(long)]
    from: Option<u16>,
    #[arg(long, value_enum, default_value_t = BaseArg::Traded)]
    base: BaseArg,
    /// Only these regions in the output (repeat). With one region, organisations of the
    /// registry in it are counted per cluster (the `working` class needs them).
    #[arg(long)]
    region: Vec<String>,
    /// Rate local clusters too (the CMP rates traded clusters only).
    #[arg(long)]
    all_clusters: bool,
    #[command(flatten)]
    measure: MeasureArgs,
    #[command(flatten)]
    table: TableArgs,
    #[command(flatten)]
    out: OutputArgs,
}

#[derive(Args, Debug)]
pub struct ShiftShareArgs {
    #[arg(long)]
    from: u16,
    #[arg(long)]
    to: u16,
    #[arg(long, value_enum, default_value_t = LevelArg::Industry)]
    level: LevelArg,
    #[arg(long)]
    region: Vec<String>,
    /// One row per region (sums of its components) instead of per region and item.
    #[arg(long)]
    summary: bool,
    #[command(flatten)]
    measure: MeasureArgs,
    #[command(flatten)]
    table: TableArgs,
    #[command(flatten)]
    out: OutputArgs,
}

#[derive(Args, Debug)]
pub struct IndexArgs {
    #[arg(long)]
    year: Option<u16>,
    #[arg(long, value_enum, default_value_t = LevelArg::Industry)]
    level: LevelArg,
    #[command(flatten)]
    measure: MeasureArgs,
    #[command(flatten)]
    table: TableArgs,
    #[command(flatten)]
    out: OutputArgs,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum SignalArg {
    Employment,
    Establishments,
    Coagglomeration,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum TransformArg {
    Raw,
    Lq,
    LogLq,
}

#[derive(Args, Debug)]
pub struct ColocationArgs {
    #[arg(long)]
    year: Option<u16>,
    #[arg(long, value_enum, default_value_t = LevelArg::Industry)]
    level: LevelArg,
    #[arg(long, value_enum, default_value_t = SignalArg::Employment)]
    signal: SignalArg,
    #[arg(long, value_enum, default_value_t = TransformArg::LogLq)]
    transform: TransformArg,
    /// Partners listed per item.
    #[arg(long, default_value_t = 5)]
    top: usize,
    /// Only these items (repeat).
    #[arg(long)]
    item: Vec<String>,
    #[command(flatten)]
    measure: MeasureArgs,
    #[command(flatten)]
    table: TableArgs,
    #[command(flatten)]
    out: OutputArgs,
}

#[derive(Args, Debug)]
pub struct RelatednessArgs {
    #[arg(long)]
    year: Option<u16>,
    #[arg(long, value_enum, default_value_t = LevelArg::Industry)]
    level: LevelArg,
    /// Only these regions (repeat; default all).
    #[arg(long)]
    region: Vec<String>,
    /// Also list items the region already has an advantage in (LQ >= 1).
    #[arg(long)]
    include_present: bool,
    /// Related existing strengths named per row.
    #[arg(long, default_value_t = 3)]
    top_related: usize,
    #[command(flatten)]
    measure: MeasureArgs,
    #[command(flatten)]
    table: TableArgs,
    #[command(flatten)]
    out: OutputArgs,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkageArg {
    Average,
    Ward,
    Complete,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiscoverShow {
    Clusters,
    Industries,
    Summary,
}

#[derive(Args, Debug)]
pub struct DiscoverArgs {
    /// Number of clusters K.
    #[arg(long)]
    clusters: usize,
    #[arg(long)]
    year: Option<u16>,
    /// Further years whose co-location is averaged in (repeat).
    #[arg(long)]
    extra_year: Vec<u16>,
    /// Region levels to read co-location at (repeat): `base` (the table's own regions) or a
    /// hierarchy level such as bea_ea. Default: base.
    #[arg(long)]
    view: Vec<String>,
    /// Leave out regions a view's level does not place instead of refusing.
    #[arg(long)]
    drop_unplaced: bool,
    /// Co-location signals (comma-separated).
    #[arg(long, value_enum, value_delimiter = ',', default_values_t = [SignalArg::Employment, SignalArg::Establishments])]
    signals: Vec<SignalArg>,
    /// Shared-nearest-neighbour k (0: cluster the co-location directly).
    #[arg(long, default_value_t = 10)]
    neighbours: usize,
    #[arg(long, value_enum, default_value_t = LinkageArg::Average)]
    linkage: LinkageArg,
    /// Weight in [0, 1] of the code hierarchy blended in (0: co-location only).
    #[arg(long, default_value_t = 0.0)]
    code_prior: f64,
    /// Definition set whose traded industries are clustered (with --traded-only) and whose
    /// code vintage the table is bridged to.
    #[arg(long)]
    definitions: Option<String>,
    /// Cluster only the traded industries of --definitions (or --compare-with).
    #[arg(long)]
    traded_only: bool,
    /// Report adjusted Rand index and NMI against this stored definition set.
    #[arg(long)]
    compare_with: Option<String>,
    /// What to list: clusters, industries, or the validation summary (one row).
    #[arg(long, value_enum, default_value_t = DiscoverShow::Clusters)]
    show: DiscoverShow,
    #[arg(long)]
    table: Option<String>,
    #[command(flatten)]
    out: OutputArgs,
}

/// Criteria weights and base shared by prioritise and report.
#[derive(Args, Debug)]
pub struct PriorityArgs {
    /// Region to rank the clusters of.
    #[arg(long)]
    region: String,
    #[arg(long)]
    year: Option<u16>,
    /// Start year for growth (default: the table's first year, when earlier).
    #[arg(long)]
    from: Option<u16>,
    #[arg(long, value_enum, default_value_t = BaseArg::Traded)]
    base: BaseArg,
    /// Criterion weights, e.g. growth=2,size=1,specialisation=1,jobs=1,relatedness=1,organised=1
    /// (unnamed criteria keep weight 1).
    #[arg(long)]
    weights: Option<String>,
    /// Rank local clusters too (default: traded clusters only).
    #[arg(long)]
    all_clusters: bool,
    #[command(flatten)]
    measure: MeasureArgs,
    #[command(flatten)]
    table: TableArgs,
}

#[derive(Args, Debug)]
pub struct PrioritiseArgs {
    #[command(flatten)]
    priority: PriorityArgs,
    #[command(flatten)]
    out: OutputArgs,
}

#[derive(Args, Debug)]
pub struct ReportArgs {
    #[command(flatten)]
    priority: PriorityArgs,
    /// HTML file to write.
    #[arg(long)]
    out: PathBuf,
    /// Clusters shown in the charts.
    #[arg(long, default_value_t = 15)]
    top: usize,
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

pub async fn run(store: &AnyStore, cmd: MapCommand) -> Result<(), AppError> {
    match cmd {
        MapCommand::Import(c) => import(store, c).await,
        MapCommand::Tables(out) => print(&store.map_tables().await?, out.format),
        MapCommand::DeleteTable { name } => {
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
        MapCommand::Definitions(c) => definitions(store, c).await,
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
        MapCommand::Bridge(a) => bridge(store, a).await,
        MapCommand::Lq(a) => lq(store, a).await,
        MapCommand::Profile(a) => profile(store, a).await,
        MapCommand::Strength(a) => strength(store, a).await,
        MapCommand::ShiftShare(a) => shift_share(store, a).await,
        MapCommand::Diversity(a) => index(store, a, false).await,
        MapCommand::Concentration(a) => index(store, a, true).await,
        MapCommand::Colocation(a) => colocation(store, a).await,
        MapCommand::Relatedness(a) => relatedness(store, a).await,
        MapCommand::Discover(a) => discover(store, a).await,
        MapCommand::Prioritise(a) => prioritise(store, a).await,
        MapCommand::Report(a) => report(store, a).await,
    }
}

async fn import(store: &AnyStore, c: ImportCommand) -> Result<(), AppError> {
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

async fn definitions(store: &AnyStore, c: DefinitionsCommand) -> Result<(), AppError> {
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

async fn bridge(store: &AnyStore, a: BridgeArgs) -> Result<(), AppError> {
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

async fn lq(store: &AnyStore, a: LqArgs) -> Result<(), AppError> {
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

async fn profile(store: &AnyStore, a: ProfileArgs) -> Result<(), AppError> {
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

async fn strength(store: &AnyStore, a: StrengthArgs) -> Result<(), AppError> {
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

async fn shift_share(store: &AnyStore, a: ShiftShareArgs) -> Result<(), AppError> {
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

async fn index(store: &AnyStore, a: IndexArgs, concentration: bool) -> Result<(), AppError> {
    let (scope, loaded) = load_scope(
        store,
        &a.table,
        &a.measure.definitions,
        a.level == LevelArg::Cluster,
        a.year.into_iter().collect(),
        GrowthFrom::None,
    )
    .await?;
    let year = scope.year;
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

async fn colocation(store: &AnyStore, a: ColocationArgs) -> Result<(), AppError> {
    let (scope, loaded) = load_scope(
        store,
        &a.table,
        &a.measure.definitions,
        a.level == LevelArg::Cluster,
        a.year.into_iter().collect(),
        GrowthFrom::None,
    )
    .await?;
    let year = scope.year;
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

async fn relatedness(store: &AnyStore, a: RelatednessArgs) -> Result<(), AppError> {
    let (scope, loaded) = load_scope(
        store,
        &a.table,
        &a.measure.definitions,
        a.level == LevelArg::Cluster,
        a.year.into_iter().collect(),
        GrowthFrom::None,
    )
    .await?;
    let year = scope.year;
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

async fn discover(store: &AnyStore, a: DiscoverArgs) -> Result<(), AppError> {
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

async fn prioritise(store: &AnyStore, a: PrioritiseArgs) -> Result<(), AppError> {
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

async fn report(store: &AnyStore, a: ReportArgs) -> Result<(), AppError> {
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
