//! The arguments of `milieu map ...`: the import subcommands and each analysis' options.

use crate::output::OutputArgs;
use clap::{Args, Subcommand, ValueEnum};
use milieu_app::map::{self as app};
use std::path::PathBuf;

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
    pub(super) table: String,
    /// Replace an existing table of that name.
    #[arg(long, conflicts_with = "add")]
    pub(super) replace: bool,
    /// Add the files' years to an existing table.
    #[arg(long)]
    pub(super) add: bool,
    /// Refuse the import unless every region is placed at this level of the stored hierarchy.
    #[arg(long)]
    pub(super) check_level: Option<String>,
    /// Refuse the import unless every industry is known to this stored definition set
    /// (after bridging code vintages).
    #[arg(long)]
    pub(super) check_definitions: Option<String>,
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
    pub(super) table: Option<String>,
    /// Aggregate regions to this level of the stored hierarchy first (e.g. state, bea_ea).
    #[arg(long)]
    pub(super) region_level: Option<String>,
    /// With --region-level: leave out regions the hierarchy does not place (they are listed)
    /// instead of refusing.
    #[arg(long)]
    pub(super) drop_unplaced: bool,
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
    pub(super) table: TableArgs,
    /// Definition set to bridge to.
    #[arg(long)]
    pub(super) definitions: Option<String>,
    #[command(flatten)]
    pub(super) out: OutputArgs,
}

/// Options shared by the measures: definitions, base, benchmark.
#[derive(Args, Debug, Clone)]
pub struct MeasureArgs {
    /// Cluster definition set (needed for --level cluster and --base traded; the table is
    /// bridged to its code vintage). Default: the only stored set, if there is one.
    #[arg(long)]
    pub(super) definitions: Option<String>,
    /// Compare with this region of the table (e.g. the nation's totals) instead of the sum of
    /// all regions; it is left out of the output.
    #[arg(long)]
    pub(super) benchmark: Option<String>,
}

#[derive(Args, Debug)]
pub struct LqArgs {
    /// Year (repeat for several; default: the latest).
    #[arg(long)]
    pub(super) year: Vec<u16>,
    #[arg(long, value_enum, default_value_t = LevelArg::Industry)]
    pub(super) level: LevelArg,
    #[arg(long, value_enum, default_value_t = BaseArg::Total)]
    pub(super) base: BaseArg,
    /// Only these regions in the output (repeat).
    #[arg(long)]
    pub(super) region: Vec<String>,
    #[command(flatten)]
    pub(super) measure: MeasureArgs,
    #[command(flatten)]
    pub(super) table: TableArgs,
    #[command(flatten)]
    pub(super) out: OutputArgs,
}

#[derive(Args, Debug)]
pub struct ProfileArgs {
    /// Year (default: the latest).
    #[arg(long)]
    pub(super) year: Option<u16>,
    /// Start year for growth (default: none).
    #[arg(long)]
    pub(super) from: Option<u16>,
    #[arg(long, value_enum, default_value_t = LevelArg::Industry)]
    pub(super) level: LevelArg,
    #[arg(long, value_enum, default_value_t = BaseArg::Total)]
    pub(super) base: BaseArg,
    #[arg(long)]
    pub(super) region: Vec<String>,
    #[command(flatten)]
    pub(super) measure: MeasureArgs,
    #[command(flatten)]
    pub(super) table: TableArgs,
    #[command(flatten)]
    pub(super) out: OutputArgs,
}

#[derive(Args, Debug)]
pub struct StrengthArgs {
    #[arg(long)]
    pub(super) year: Option<u16>,
    /// Start year for growth (default: the table's first year, when earlier).
    #[arg(long)]
    pub(super) from: Option<u16>,
    #[arg(long, value_enum, default_value_t = BaseArg::Traded)]
    pub(super) base: BaseArg,
    /// Only these regions in the output (repeat). With one region, organisations of the
    /// registry in it are counted per cluster (the `working` class needs them).
    #[arg(long)]
    pub(super) region: Vec<String>,
    /// Rate local clusters too (the CMP rates traded clusters only).
    #[arg(long)]
    pub(super) all_clusters: bool,
    #[command(flatten)]
    pub(super) measure: MeasureArgs,
    #[command(flatten)]
    pub(super) table: TableArgs,
    #[command(flatten)]
    pub(super) out: OutputArgs,
}

#[derive(Args, Debug)]
pub struct ShiftShareArgs {
    #[arg(long)]
    pub(super) from: u16,
    #[arg(long)]
    pub(super) to: u16,
    #[arg(long, value_enum, default_value_t = LevelArg::Industry)]
    pub(super) level: LevelArg,
    #[arg(long)]
    pub(super) region: Vec<String>,
    /// One row per region (sums of its components) instead of per region and item.
    #[arg(long)]
    pub(super) summary: bool,
    #[command(flatten)]
    pub(super) measure: MeasureArgs,
    #[command(flatten)]
    pub(super) table: TableArgs,
    #[command(flatten)]
    pub(super) out: OutputArgs,
}

#[derive(Args, Debug)]
pub struct IndexArgs {
    #[arg(long)]
    pub(super) year: Option<u16>,
    #[arg(long, value_enum, default_value_t = LevelArg::Industry)]
    pub(super) level: LevelArg,
    #[command(flatten)]
    pub(super) measure: MeasureArgs,
    #[command(flatten)]
    pub(super) table: TableArgs,
    #[command(flatten)]
    pub(super) out: OutputArgs,
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
    pub(super) year: Option<u16>,
    #[arg(long, value_enum, default_value_t = LevelArg::Industry)]
    pub(super) level: LevelArg,
    #[arg(long, value_enum, default_value_t = SignalArg::Employment)]
    pub(super) signal: SignalArg,
    #[arg(long, value_enum, default_value_t = TransformArg::LogLq)]
    pub(super) transform: TransformArg,
    /// Partners listed per item.
    #[arg(long, default_value_t = 5)]
    pub(super) top: usize,
    /// Only these items (repeat).
    #[arg(long)]
    pub(super) item: Vec<String>,
    #[command(flatten)]
    pub(super) measure: MeasureArgs,
    #[command(flatten)]
    pub(super) table: TableArgs,
    #[command(flatten)]
    pub(super) out: OutputArgs,
}

#[derive(Args, Debug)]
pub struct RelatednessArgs {
    #[arg(long)]
    pub(super) year: Option<u16>,
    #[arg(long, value_enum, default_value_t = LevelArg::Industry)]
    pub(super) level: LevelArg,
    /// Only these regions (repeat; default all).
    #[arg(long)]
    pub(super) region: Vec<String>,
    /// Also list items the region already has an advantage in (LQ >= 1).
    #[arg(long)]
    pub(super) include_present: bool,
    /// Related existing strengths named per row.
    #[arg(long, default_value_t = 3)]
    pub(super) top_related: usize,
    #[command(flatten)]
    pub(super) measure: MeasureArgs,
    #[command(flatten)]
    pub(super) table: TableArgs,
    #[command(flatten)]
    pub(super) out: OutputArgs,
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
    pub(super) clusters: usize,
    #[arg(long)]
    pub(super) year: Option<u16>,
    /// Further years whose co-location is averaged in (repeat).
    #[arg(long)]
    pub(super) extra_year: Vec<u16>,
    /// Region levels to read co-location at (repeat): `base` (the table's own regions) or a
    /// hierarchy level such as bea_ea. Default: base.
    #[arg(long)]
    pub(super) view: Vec<String>,
    /// Leave out regions a view's level does not place instead of refusing.
    #[arg(long)]
    pub(super) drop_unplaced: bool,
    /// Co-location signals (comma-separated).
    #[arg(long, value_enum, value_delimiter = ',', default_values_t = [SignalArg::Employment, SignalArg::Establishments])]
    pub(super) signals: Vec<SignalArg>,
    /// Shared-nearest-neighbour k (0: cluster the co-location directly).
    #[arg(long, default_value_t = 10)]
    pub(super) neighbours: usize,
    #[arg(long, value_enum, default_value_t = LinkageArg::Average)]
    pub(super) linkage: LinkageArg,
    /// Weight in [0, 1] of the code hierarchy blended in (0: co-location only).
    #[arg(long, default_value_t = 0.0)]
    pub(super) code_prior: f64,
    /// Definition set whose traded industries are clustered (with --traded-only) and whose
    /// code vintage the table is bridged to.
    #[arg(long)]
    pub(super) definitions: Option<String>,
    /// Cluster only the traded industries of --definitions (or --compare-with).
    #[arg(long)]
    pub(super) traded_only: bool,
    /// Report adjusted Rand index and NMI against this stored definition set.
    #[arg(long)]
    pub(super) compare_with: Option<String>,
    /// What to list: clusters, industries, or the validation summary (one row).
    #[arg(long, value_enum, default_value_t = DiscoverShow::Clusters)]
    pub(super) show: DiscoverShow,
    #[arg(long)]
    pub(super) table: Option<String>,
    #[command(flatten)]
    pub(super) out: OutputArgs,
}

/// Criteria weights and base shared by prioritise and report.
#[derive(Args, Debug)]
pub struct PriorityArgs {
    /// Region to rank the clusters of.
    #[arg(long)]
    pub(super) region: String,
    #[arg(long)]
    pub(super) year: Option<u16>,
    /// Start year for growth (default: the table's first year, when earlier).
    #[arg(long)]
    pub(super) from: Option<u16>,
    #[arg(long, value_enum, default_value_t = BaseArg::Traded)]
    pub(super) base: BaseArg,
    /// Criterion weights, e.g. growth=2,size=1,specialisation=1,jobs=1,relatedness=1,organised=1
    /// (unnamed criteria keep weight 1).
    #[arg(long)]
    pub(super) weights: Option<String>,
    /// Rank local clusters too (default: traded clusters only).
    #[arg(long)]
    pub(super) all_clusters: bool,
    #[command(flatten)]
    pub(super) measure: MeasureArgs,
    #[command(flatten)]
    pub(super) table: TableArgs,
}

#[derive(Args, Debug)]
pub struct PrioritiseArgs {
    #[command(flatten)]
    pub(super) priority: PriorityArgs,
    #[command(flatten)]
    pub(super) out: OutputArgs,
}

#[derive(Args, Debug)]
pub struct ReportArgs {
    #[command(flatten)]
    pub(super) priority: PriorityArgs,
    /// HTML file to write.
    #[arg(long)]
    pub(super) out: PathBuf,
    /// Clusters shown in the charts.
    #[arg(long, default_value_t = 15)]
    pub(super) top: usize,
}
