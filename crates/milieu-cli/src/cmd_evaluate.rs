//! `milieu followup ...` and `milieu evaluate ...`: outcome capture and evaluation
//! (docs/evaluation.md). The use cases are in milieu_app::evaluate, the computations in
//! milieu-eval.

use crate::output::{self, OutputArgs};
use clap::Subcommand;
use milieu_app::AppError;
use milieu_app::evaluate::{self as ev, AnswerInput, Granularity, KpiOptions};
use milieu_model::{Date, InitiativeId};
use milieu_store::{AnyStore, TargetRecord};
use std::path::PathBuf;

fn date(s: &str) -> Result<Date, String> {
    milieu_model::parse_date(s).ok_or_else(|| format!("{s:?} is not a date; expected YYYY-MM-DD"))
}

fn granularity(s: &str) -> Result<Granularity, String> {
    s.parse().map_err(|e: milieu_eval::Error| e.to_string())
}

fn print<T: serde::Serialize>(rows: &[T], out: &OutputArgs) -> Result<(), AppError> {
    output::print_rows(rows, out.format).map_err(output::output_error)
}

#[derive(Subcommand, Debug)]
pub enum FollowupCmd {
    /// Create the follow-ups due on or before a date (for events and introductions) and list
    /// every open one. Columns: the follow-up record (id, org, source_kind, source_id, ...).
    Due {
        /// Default: today.
        #[arg(long, value_parser = date)]
        on: Option<Date>,
        /// Delays in months after the event or introduction.
        #[arg(long, value_delimiter = ',', default_value = "1,6")]
        delays: Vec<u32>,
        /// Only events and introductions on or after this date.
        #[arg(long, value_parser = date)]
        since: Option<Date>,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// Mark the due follow-ups as sent and write their messages (one file per follow-up in
    /// --dir, or all to stdout). Nothing goes over the network.
    Send {
        #[arg(long, value_parser = date)]
        on: Option<Date>,
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// Record an answer: an outcome and (unless nothing_yet) a new or strengthened tie.
    Record {
        #[arg(long)]
        id: String,
        /// lead, sale, alliance, joint_project, knowledge_gained, advice, contact_kept, nothing_yet.
        #[arg(long)]
        answer: String,
        /// The partner organisation (default: the introduction's other party).
        #[arg(long)]
        partner: Option<String>,
        #[arg(long)]
        trust: Option<u8>,
        #[arg(long)]
        strength: Option<u8>,
        /// Date of the answer (default today).
        #[arg(long, value_parser = date)]
        date: Option<Date>,
    },
    /// List follow-ups (all statuses).
    List(OutputArgs),
}

#[derive(clap::Args, Debug)]
pub struct RangeArgs {
    #[arg(long)]
    initiative: Option<String>,
    #[arg(long, value_parser = date)]
    from: Option<Date>,
    #[arg(long, value_parser = date)]
    to: Option<Date>,
    /// quarter or year.
    #[arg(long, value_parser = granularity, default_value = "quarter")]
    by: Granularity,
}

impl RangeArgs {
    fn initiative(&self) -> Option<InitiativeId> {
        self.initiative.clone().map(InitiativeId::new)
    }
    fn kpi_options(&self) -> KpiOptions {
        KpiOptions {
            initiative: self.initiative(),
            from: self.from,
            to: self.to,
            by: self.by,
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum EvaluateCmd {
    /// KPI series: period, period_start, period_end, kpi, value, numerator, denominator.
    Kpis {
        #[command(flatten)]
        range: RangeArgs,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// Mid-course alerts: kind, subject, period, value, threshold, detail.
    Alerts {
        #[arg(long)]
        initiative: Option<String>,
        /// Evaluation date (default: the last dated record).
        #[arg(long, value_parser = date)]
        as_of: Option<Date>,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// KPI targets of initiatives.
    Target {
        #[command(subcommand)]
        action: TargetCmd,
    },
    /// The same KPIs for every initiative side by side, per member.
    Benchmark {
        #[arg(long, value_parser = date)]
        from: Option<Date>,
        #[arg(long, value_parser = date)]
        to: Option<Date>,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// Cluster-management indicators filled from the registry, the rest to answer by hand.
    SelfAssessment {
        #[arg(long)]
        initiative: Option<String>,
        #[arg(long, value_parser = date)]
        from: Option<Date>,
        #[arg(long, value_parser = date)]
        to: Option<Date>,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// Motivation x outcome: the cluster table (cells under k members suppressed) or, with
    /// --members, each member's rows (staff only).
    Motivations {
        #[arg(long)]
        initiative: Option<String>,
        #[arg(long, default_value_t = 3)]
        k: u64,
        #[arg(long)]
        members: bool,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// A self-contained HTML report of an initiative.
    Report {
        #[arg(long)]
        initiative: String,
        #[arg(long)]
        out: PathBuf,
        #[arg(long, value_parser = date)]
        from: Option<Date>,
        #[arg(long, value_parser = date)]
        to: Option<Date>,
        #[arg(long, value_parser = granularity, default_value = "quarter")]
        by: Granularity,
        #[arg(long, default_value_t = 3)]
        k: u64,
    },
    /// The services catalogue, the needs assessment, uptake and the members no service reaches.
    #[command(name = "service", alias = "services")]
    Services {
        #[command(subcommand)]
        action: ServicesCmd,
    },
}

/// Which services file or list.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ServicesKind {
    Catalogue,
    Needs,
    Uptake,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum UptakeBy {
    Service,
    Member,
}

#[derive(clap::Args, Debug)]
pub struct ServiceScopeArgs {
    #[arg(long)]
    initiative: Option<String>,
    #[arg(long, value_parser = date)]
    from: Option<Date>,
    #[arg(long, value_parser = date)]
    to: Option<Date>,
}

impl ServiceScopeArgs {
    fn scope(&self) -> milieu_eval::ServiceScope {
        milieu_eval::ServiceScope {
            initiative: self.initiative.clone().map(InitiativeId::new),
            from: self.from,
            to: self.to,
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum ServicesCmd {
    /// Import a CSV file: catalogue (id,name,kind[,answers,initiative,provider,from,to,
    /// description]), needs (org,need,assessed[,priority,note]) or uptake
    /// (service,org,date[,note]). Checked whole; any problem: exit 2, nothing stored.
    Import {
        #[arg(value_enum)]
        kind: ServicesKind,
        file: PathBuf,
    },
    /// List the stored catalogue, needs or uptake.
    List {
        #[arg(value_enum)]
        kind: ServicesKind,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// Uptake per service (service, name, kind, users, uses, members, uptake_share,
    /// members_needing, needing_users) or per member (org, name, services_used, uses,
    /// last_use, needs_stated, needs_answered, needs_unanswered).
    Uptake {
        #[arg(long, value_enum, default_value_t = UptakeBy::Service)]
        by: UptakeBy,
        #[command(flatten)]
        scope: ServiceScopeArgs,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// Members no service reached in the range, or whose stated needs no use answered: org,
    /// name, reason, needs_stated, needs_unanswered, not_in_catalogue, services_used.
    Unreached {
        #[command(flatten)]
        scope: ServiceScopeArgs,
        #[command(flatten)]
        out: OutputArgs,
    },
}

async fn run_services(store: &AnyStore, cmd: ServicesCmd) -> Result<(), AppError> {
    use milieu_app::evaluate_services as sv;
    match cmd {
        ServicesCmd::Import { kind, file } => {
            let n = match kind {
                ServicesKind::Catalogue => sv::import_catalogue(store, &file).await?,
                ServicesKind::Needs => sv::import_needs(store, &file).await?,
                ServicesKind::Uptake => sv::import_uptake(store, &file).await?,
            };
            eprintln!("{n} record(s) imported from {}", file.display());
            Ok(())
        }
        ServicesCmd::List { kind, out } => match kind {
            ServicesKind::Catalogue => print(&store.services().await?, &out),
            ServicesKind::Needs => print(&store.needs().await?, &out),
            ServicesKind::Uptake => print(&store.uptake().await?, &out),
        },
        ServicesCmd::Uptake { by, scope, out } => match by {
            UptakeBy::Service => print(&sv::service_uptake(store, &scope.scope()).await?, &out),
            UptakeBy::Member => print(&sv::member_uptake(store, &scope.scope()).await?, &out),
        },
        ServicesCmd::Unreached { scope, out } => {
            print(&sv::unreached(store, &scope.scope()).await?, &out)
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum TargetCmd {
    /// Agree a target: KPI reaches VALUE (per period) by DATE; optional termination level.
    Add {
        #[arg(long)]
        initiative: String,
        #[arg(long)]
        kpi: String,
        #[arg(long, allow_negative_numbers = true)]
        value: f64,
        #[arg(long, value_parser = date)]
        by: Date,
        #[arg(long, allow_negative_numbers = true)]
        terminate_below: Option<f64>,
    },
    /// List targets: initiative, kpi, value, by, terminate_below.
    List {
        #[arg(long)]
        initiative: Option<String>,
        #[command(flatten)]
        out: OutputArgs,
    },
}

pub async fn run_followup(store: &AnyStore, cmd: FollowupCmd) -> Result<(), AppError> {
    match cmd {
        FollowupCmd::Due {
            on,
            delays,
            since,
            out,
        } => {
            let (open, created) =
                ev::followups_due(store, on.unwrap_or_else(ev::today), &delays, since).await?;
            eprintln!("{created} follow-up(s) created, {} open", open.len());
            print(&open, &out)
        }
        FollowupCmd::Send { on, dir } => {
            let sent = ev::followups_send(store, on.unwrap_or_else(ev::today)).await?;
            match &dir {
                Some(dir) => {
                    std::fs::create_dir_all(dir)?;
                    for (f, msg) in &sent {
                        let name: String =
                            f.id.chars()
                                .map(|c| {
                                    if c.is_ascii_alphanumeric() || c == '-' {
                                        c
                                    } else {
                                        '_'
                                    }
                                })
                                .collect();
                        std::fs::write(dir.join(format!("{name}.txt")), msg)?;
                    }
                }
                None => {
                    for (_, msg) in &sent {
                        println!("{msg}\n---");
                    }
                }
            }
            eprintln!("{} follow-up(s) sent", sent.len());
            Ok(())
        }
        FollowupCmd::Record {
            id,
            answer,
            partner,
            trust,
            strength,
            date,
        } => {
            let rec = ev::followup_record(
                store,
                &AnswerInput {
                    id,
                    answer,
                    partner,
                    trust,
                    strength,
                    date: date.unwrap_or_else(ev::today),
                },
            )
            .await?;
            println!(
                "recorded outcome {}{}",
                rec.outcome.id,
                rec.tie
                    .map_or(String::new(), |t| format!(" and tie {}", t.id))
            );
            Ok(())
        }
        FollowupCmd::List(out) => print(&store.followups().await?, &out),
    }
}

pub async fn run_evaluate(store: &AnyStore, cmd: EvaluateCmd) -> Result<(), AppError> {
    match cmd {
        EvaluateCmd::Kpis { range, out } => {
            print(&ev::kpis(store, &range.kpi_options()).await?, &out)
        }
        EvaluateCmd::Alerts {
            initiative,
            as_of,
            out,
        } => {
            let opts = milieu_eval::AlertOptions {
                initiative: initiative.map(InitiativeId::new),
                as_of,
                ..milieu_eval::AlertOptions::default()
            };
            print(&ev::alerts(store, &opts).await?, &out)
        }
        EvaluateCmd::Target { action } => match action {
            TargetCmd::Add {
                initiative,
                kpi,
                value,
                by,
                terminate_below,
            } => {
                ev::add_target(
                    store,
                    TargetRecord {
                        initiative: InitiativeId::new(initiative),
                        kpi,
                        value,
                        by,
                        terminate_below,
                    },
                )
                .await?;
                eprintln!("target added");
                Ok(())
            }
            TargetCmd::List { initiative, out } => {
                let id = initiative.map(InitiativeId::new);
                print(&ev::targets(store, id.as_ref()).await?, &out)
            }
        },
        EvaluateCmd::Benchmark { from, to, out } => {
            print(&ev::benchmark(store, from, to).await?, &out)
        }
        EvaluateCmd::SelfAssessment {
            initiative,
            from,
            to,
            out,
        } => {
            let id = initiative.map(InitiativeId::new);
            print(
                &ev::self_assessment(store, id.as_ref(), from, to).await?,
                &out,
            )
        }
        EvaluateCmd::Motivations {
            initiative,
            k,
            members,
            out,
        } => {
            let id = initiative.map(InitiativeId::new);
            if members {
                print(&ev::member_motivations(store, id.as_ref()).await?, &out)
            } else {
                print(&ev::motivation_table(store, id.as_ref(), k).await?, &out)
            }
        }
        EvaluateCmd::Report {
            initiative,
            out,
            from,
            to,
            by,
            k,
        } => {
            let opts = KpiOptions {
                initiative: None,
                from,
                to,
                by,
            };
            let html = ev::report(store, &InitiativeId::new(initiative), &opts, k).await?;
            std::fs::write(&out, html)?;
            eprintln!("report written to {}", out.display());
            Ok(())
        }
        EvaluateCmd::Services { action } => run_services(store, action).await,
    }
}
