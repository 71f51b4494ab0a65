//! `milieu`: the command line of milieu. Exit codes: 0 ok, 1 internal error, 2 bad usage or
//! bad input.

mod cmd_evaluate;
mod cmd_map;
mod cmd_match;
mod cmd_net;
mod cmd_schedule;
mod cmd_serve;
mod cmd_topic;
mod output;
mod registry;

use clap::{Parser, Subcommand};
use milieu_app::{AppError, import_checked, open_input};
use milieu_io::LocatedDataset;
use milieu_model::ErrorCode;
use milieu_model::{EntityKind, Organisation, Tie};
use milieu_store::AnyStore;
use output::{Format, OutputArgs};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(
    name = "milieu",
    version,
    about = "Map, run and evaluate a regional cluster: registry, mapping, networks, brokerage, evaluation."
)]
struct Cli {
    /// Database: a SQLite file path, or a postgres://user@host/db URL.
    #[arg(long, global = true, env = "MILIEU_DB", default_value = "milieu.db")]
    db: String,
    #[command(subcommand)]
    command: Command,
}

// Parsed once per run; boxing the large variants would only add noise.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand, Debug)]
enum Command {
    /// Create the database (or bring its schema up to date) and say what it holds.
    Init,
    /// How many records of each kind the database holds.
    Status(OutputArgs),
    /// Fill an empty database with a synthetic region (deterministic per seed): value chains,
    /// a university with spin-offs, people changing jobs, five years of events, ties, projects,
    /// introductions, outcomes and opportunities.
    Demo {
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Number of organisations.
        #[arg(long, default_value_t = 300)]
        orgs: usize,
        /// Delete everything the database holds first.
        #[arg(long)]
        replace: bool,
    },
    /// Import records from CSV or JSON (all files in one transaction), or the CORDIS table.
    Import(ImportArgs),
    /// Export records (csv|json) or the tie network (graphml|gexf|json).
    Export(ExportArgs),
    /// Organisations: firms, universities, institutes, agencies, investors, associations.
    #[command(alias = "orgs", alias = "organisation", alias = "organisations")]
    Org {
        #[command(subcommand)]
        action: registry::Action,
    },
    /// People.
    #[command(alias = "people")]
    Person {
        #[command(subcommand)]
        action: registry::Action,
    },
    /// People's affiliations with organisations over time.
    Affiliation {
        #[command(subcommand)]
        action: registry::Action,
    },
    /// Industry clusters.
    Cluster {
        #[command(subcommand)]
        action: registry::Action,
    },
    /// Cluster initiatives / cluster organisations.
    Initiative {
        #[command(subcommand)]
        action: registry::Action,
    },
    /// Memberships of initiatives with roles.
    Membership {
        #[command(subcommand)]
        action: registry::Action,
    },
    /// Events; for brokerage events also meeting requests, scheduling, meetings and agendas.
    #[command(alias = "events")]
    Event {
        #[command(subcommand)]
        action: cmd_schedule::EventAction,
    },
    /// Attendance at events.
    Attendance {
        #[command(subcommand)]
        action: registry::Action,
    },
    /// Topic requests of members, with votes.
    Topic {
        #[command(subcommand)]
        action: cmd_topic::TopicAction,
    },
    /// Joint projects.
    #[command(alias = "projects")]
    Project {
        #[command(subcommand)]
        action: registry::Action,
    },
    /// Participations of organisations in projects.
    Participation {
        #[command(subcommand)]
        action: registry::Action,
    },
    /// Ties between organisations.
    #[command(alias = "ties")]
    Tie {
        #[command(subcommand)]
        action: registry::Action,
    },
    /// Introductions made by brokers.
    Introduction {
        #[command(subcommand)]
        action: registry::Action,
    },
    /// Opportunities: calls, tenders, trade missions, buyer and partner requests.
    #[command(alias = "opportunities")]
    Opportunity {
        #[command(subcommand)]
        action: registry::Action,
    },
    /// Outcomes of ties, meetings and introductions.
    Outcome {
        #[command(subcommand)]
        action: registry::Action,
    },
    /// Follow-ups after events and introductions: due, send, record answers.
    #[command(alias = "followups")]
    Followup {
        #[command(subcommand)]
        action: cmd_evaluate::FollowupCmd,
    },
    /// Evaluation: KPIs, alerts, targets, benchmark, self-assessment, motivations, report.
    Evaluate {
        #[command(subcommand)]
        action: cmd_evaluate::EvaluateCmd,
    },
    /// Cluster mapping from regional employment tables: imports, location quotients,
    /// shift-share, strength, relatedness, discovery, prioritisation, reports.
    Map {
        #[command(subcommand)]
        cmd: cmd_map::MapCommand,
    },
    /// Brokerage: partner suggestions with reasons, opportunity routing, digests, evaluation.
    Match {
        #[command(subcommand)]
        command: cmd_match::MatchCommand,
    },
    /// Record a broker's introduction of one organisation to another (with its status).
    Introduce(cmd_match::IntroduceArgs),
    /// Network analysis of the registry or of CSV files: metrics, communities, brokers, key
    /// players, lineage, mobility, change between two dates.
    Net {
        #[command(subcommand)]
        command: cmd_net::NetCommand,
    },
    /// The web application: JSON API and browser UI (default http://127.0.0.1:8080/).
    Serve(cmd_serve::ServeArgs),
    /// Web accounts: add, list, passwd, disable.
    #[command(alias = "users")]
    User {
        #[command(subcommand)]
        action: cmd_serve::UserCmd,
    },
    /// Brokerage-event meeting scheduling on files (no database): solve, check, agendas.
    Schedule {
        #[command(subcommand)]
        cmd: cmd_schedule::ScheduleCommand,
    },
}

#[derive(clap::Args, Debug)]
struct ImportArgs {
    /// What the files hold: organisations, people, affiliations, clusters, initiatives,
    /// memberships, events, attendance, topic_requests, projects, participations, ties,
    /// introductions, opportunities, outcomes; `dataset` (a whole JSON document); or `cordis`.
    kind: String,
    /// Files (.csv or .json, optionally .gz).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// File format when the extension does not say.
    #[arg(long, value_parser = ["csv", "json"])]
    format: Option<String>,
    /// CORDIS only: the programme-parts table (rcn,programme_part), giving projects topics.
    #[arg(long)]
    programme_parts: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
struct ExportArgs {
    /// `graph`, or a record kind (organisations, ties, ...).
    what: String,
    /// graph: graphml|gexf|json; records: csv|json.
    #[arg(long)]
    format: String,
    /// graph: only ties in force on this date (YYYY-MM-DD).
    #[arg(long)]
    at: Option<String>,
    /// graph: also write ties private to their two parties (left out by default: the export
    /// is the cluster staff's view).
    #[arg(long)]
    include_private: bool,
    /// Write here instead of standard output.
    #[arg(long)]
    out: Option<PathBuf>,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // The code, as rustc prints `error[E0433]`: the same as the API's, listed in
            // docs/errors.md with what to do.
            eprintln!("error[{}]: {e}", e.code());
            if e.is_user_error() {
                ExitCode::from(2)
            } else {
                ExitCode::from(1)
            }
        }
    }
}

async fn run(cli: Cli) -> Result<(), AppError> {
    // Network analysis of files needs no database (and must not create one).
    let cli = match cli.command {
        Command::Net { command } if command.reads_files_only() => {
            return cmd_net::run(None, command).await;
        }
        command => Cli { command, ..cli },
    };
    // File-only commands never open (or create) the database.
    let command = match cli.command {
        Command::Schedule { cmd } => return cmd_schedule::run_files(cmd),
        other => other,
    };
    let store = milieu_store::open(&cli.db).await?;
    match command {
        Command::Init => {
            let total: u64 = store.counts().await?.iter().map(|(_, n)| n).sum();
            println!(
                "database ready: {} ({}), {total} records",
                cli.db,
                store.backend()
            );
            Ok(())
        }
        Command::Status(out) => status(&store, out).await,
        Command::Demo {
            seed,
            orgs,
            replace,
        } => {
            if replace {
                store.clear().await?;
            }
            demo(&store, seed, orgs).await
        }
        Command::Import(args) => import(&store, args).await,
        Command::Export(args) => export(&store, args).await,
        Command::Org { action } => registry::run(&store, EntityKind::Organisation, action).await,
        Command::Person { action } => registry::run(&store, EntityKind::Person, action).await,
        Command::Affiliation { action } => {
            registry::run(&store, EntityKind::Affiliation, action).await
        }
        Command::Cluster { action } => registry::run(&store, EntityKind::Cluster, action).await,
        Command::Initiative { action } => {
            registry::run(&store, EntityKind::Initiative, action).await
        }
        Command::Membership { action } => {
            registry::run(&store, EntityKind::Membership, action).await
        }
        Command::Event { action } => cmd_schedule::run_event(&store, action).await,
        Command::Attendance { action } => {
            registry::run(&store, EntityKind::Attendance, action).await
        }
        Command::Topic { action } => cmd_topic::run(&store, action).await,
        Command::Project { action } => registry::run(&store, EntityKind::Project, action).await,
        Command::Participation { action } => {
            registry::run(&store, EntityKind::Participation, action).await
        }
        Command::Tie { action } => registry::run(&store, EntityKind::Tie, action).await,
        Command::Introduction { action } => {
            registry::run(&store, EntityKind::Introduction, action).await
        }
        Command::Opportunity { action } => {
            registry::run(&store, EntityKind::Opportunity, action).await
        }
        Command::Outcome { action } => registry::run(&store, EntityKind::Outcome, action).await,
        Command::Followup { action } => cmd_evaluate::run_followup(&store, action).await,
        Command::Evaluate { action } => cmd_evaluate::run_evaluate(&store, action).await,
        Command::Map { cmd } => cmd_map::run(&store, cmd).await,
        Command::Match { command } => cmd_match::run(&store, command).await,
        Command::Introduce(args) => cmd_match::introduce(&store, args).await,
        Command::Net { command } => cmd_net::run(Some(&store), command).await,
        Command::Serve(args) => cmd_serve::serve(store, &cli.db, args).await,
        Command::User { action } => cmd_serve::run_user(&store, action).await,
        Command::Schedule { .. } => unreachable!("handled before the database is opened"),
    }
}

pub(crate) async fn demo(store: &AnyStore, seed: u64, orgs: usize) -> Result<(), AppError> {
    let held: u64 = store.counts().await?.iter().map(|(_, n)| n).sum();
    if held > 0 {
        return Err(AppError::Usage(format!(
            "the database already holds {held} records; give the demo a new one with --db FILE, or add --replace to delete them"
        )));
    }
    let started = std::time::Instant::now();
    let data = milieu_demo::generate(&milieu_demo::DemoOptions::new(seed, orgs));
    let batch = LocatedDataset::from_dataset(&format!("demo (seed {seed})"), data);
    let report = import_checked(store, &batch).await?;
    for (kind, n) in &report.counts {
        println!("{n:>8} {kind}");
    }
    println!(
        "demo region (seed {seed}, {orgs} organisations) written in {:.2} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

async fn status(store: &AnyStore, out: OutputArgs) -> Result<(), AppError> {
    #[derive(serde::Serialize)]
    struct Count {
        kind: &'static str,
        records: u64,
    }
    let rows: Vec<Count> = store
        .counts()
        .await?
        .into_iter()
        .map(|(k, n)| Count {
            kind: k.plural(),
            records: n,
        })
        .collect();
    output::print_rows(&rows, out.format).map_err(output::output_error)
}

fn source_name(path: &std::path::Path) -> String {
    path.display().to_string()
}

async fn import(store: &AnyStore, args: ImportArgs) -> Result<(), AppError> {
    let batch = match args.kind.as_str() {
        "cordis" => {
            let parts = match &args.programme_parts {
                Some(p) => {
                    milieu_io::cordis::read_programme_parts(&source_name(p), open_input(p)?)?
                }
                None => Default::default(),
            };
            let mut all = LocatedDataset::new(&source_name(&args.files[0]));
            for f in &args.files {
                let b = milieu_io::cordis::read_participations(
                    &source_name(f),
                    open_input(f)?,
                    &parts,
                )?;
                milieu_io::registry_csv::append(&mut all, b);
            }
            all
        }
        "dataset" => {
            let mut all = LocatedDataset::new(&source_name(&args.files[0]));
            for f in &args.files {
                let b = milieu_io::registry_json::read_dataset(&source_name(f), open_input(f)?)?;
                milieu_io::registry_csv::append(&mut all, b);
            }
            all
        }
        other => {
            let kind = EntityKind::from_plural(other).ok_or_else(|| {
                AppError::Usage(format!(
                    "unknown import kind {other:?}; expected one of: {}, dataset, cordis",
                    EntityKind::ALL
                        .iter()
                        .map(|k| k.plural())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })?;
            let mut all = LocatedDataset::new(&source_name(&args.files[0]));
            for f in &args.files {
                let name = f.to_string_lossy().to_lowercase();
                let name = name.trim_end_matches(".gz");
                let json = match args.format.as_deref() {
                    Some(fmt) => fmt == "json",
                    None => name.ends_with(".json"),
                };
                let reader = open_input(f)?;
                if json {
                    milieu_io::registry_json::read(kind, &source_name(f), reader, &mut all)?;
                } else {
                    milieu_io::registry_csv::read(kind, &source_name(f), reader, &mut all)?;
                }
            }
            all
        }
    };
    let report = import_checked(store, &batch).await?;
    for (kind, n) in &report.counts {
        println!("imported {n} {kind}");
    }
    Ok(())
}

async fn export(store: &AnyStore, args: ExportArgs) -> Result<(), AppError> {
    let mut out: Box<dyn std::io::Write> = match &args.out {
        Some(path) => Box::new(std::io::BufWriter::new(std::fs::File::create(path)?)),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    if args.what == "graph" {
        let orgs: Vec<Organisation> = store.load().await?;
        let mut ties: Vec<Tie> = store.load().await?;
        if !args.include_private {
            ties.retain(|t| t.visibility != milieu_model::Visibility::Private);
        }
        if let Some(at) = &args.at {
            let date = milieu_model::parse_date(at).ok_or_else(|| {
                AppError::Usage(format!("--at {at:?}: expected a date YYYY-MM-DD"))
            })?;
            ties.retain(|t| t.active_on(date));
        }
        match args.format.as_str() {
            "graphml" => milieu_io::graph::write_graphml(&orgs, &ties, &mut out)?,
            "gexf" => milieu_io::graph::write_gexf(&orgs, &ties, &mut out)?,
            "json" => milieu_io::graph::write_json(&orgs, &ties, &mut out)?,
            f => {
                return Err(AppError::Usage(format!(
                    "--format {f:?}: expected graphml, gexf or json for a graph"
                )));
            }
        }
        out.flush()?;
        return Ok(());
    }
    let kind = EntityKind::from_plural(&args.what).ok_or_else(|| {
        AppError::Usage(format!(
            "unknown export {:?}; expected graph or one of: {}",
            args.what,
            EntityKind::ALL
                .iter()
                .map(|k| k.plural())
                .collect::<Vec<_>>()
                .join(", ")
        ))
    })?;
    if args.at.is_some() {
        return Err(AppError::Usage(
            "--at applies to `export graph` only".into(),
        ));
    }
    registry::with_record_type!(kind, T => {
        let records: Vec<T> = store.load().await?;
        match args.format.as_str() {
            "csv" => milieu_io::export::write_csv(kind, &records, &mut out)?,
            "json" => milieu_io::export::write_json(&records, &mut out)?,
            f => return Err(AppError::Usage(format!("--format {f:?}: expected csv or json for records"))),
        }
    });
    out.flush()?;
    let _ = Format::Table;
    Ok(())
}
