//! `milieu schedule solve|check|agendas`: brokerage-event scheduling on files (no database),
//! and `milieu event request|schedule|meetings|agendas`: the same from the registry.

use crate::output::{self, OutputArgs};
use crate::registry;
use milieu_app::{AppError, open_input, schedule};
use milieu_model::{EntityKind, Event};
use milieu_schedule::{
    AgendaOptions, CheckOptions, Problem, Schedule, ScheduleInput, SolveOptions, Violation,
};
use milieu_store::AnyStore;
use std::path::{Path, PathBuf};
use std::time::Duration;

#[derive(clap::Subcommand, Debug)]
pub enum ScheduleCommand {
    /// Schedule the accepted meeting requests of an event file into slots and tables.
    Solve {
        /// The event (JSON: slots, tables, participants, requests, fixed); .gz allowed.
        #[arg(long)]
        input: PathBuf,
        /// Where to write the schedule (JSON).
        #[arg(long)]
        out: PathBuf,
        /// Wall-clock limit of the search, seconds.
        #[arg(long, default_value_t = 10.0)]
        time_limit: f64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// A previous schedule whose meetings stay where they are (late requests are added).
        #[arg(long)]
        keep: Option<PathBuf>,
        /// Schedule pending requests too.
        #[arg(long)]
        include_pending: bool,
    },
    /// Check a schedule against its event: exit 0 when valid, 2 with every violation listed.
    Check {
        #[arg(long)]
        input: PathBuf,
        #[arg(long)]
        schedule: PathBuf,
    },
    /// Write agendas: HTML and iCalendar per participant, a table plan per slot, statistics.
    Agendas {
        #[arg(long)]
        input: PathBuf,
        #[arg(long)]
        schedule: PathBuf,
        /// Directory to write into (created when missing).
        #[arg(long)]
        out: PathBuf,
        /// Title on every page (default: the event's name).
        #[arg(long)]
        title: Option<String>,
    },
}

fn name(path: &Path) -> String {
    path.display().to_string()
}

fn engine_error(e: milieu_schedule::Error) -> AppError {
    AppError::engine(&e)
}

fn read_problem(path: &Path) -> Result<Problem, AppError> {
    milieu_schedule::parse_problem(open_input(path)?, &name(path)).map_err(engine_error)
}

fn read_schedule(path: &Path) -> Result<ScheduleInput, AppError> {
    milieu_schedule::parse_schedule(open_input(path)?, &name(path)).map_err(engine_error)
}

fn write_file(path: &Path, contents: &str) -> Result<(), AppError> {
    std::fs::write(path, contents)
        .map_err(|e| AppError::Usage(format!("{}: cannot write the file ({e})", path.display())))
}

/// Runs the file commands; they never open the database.
pub fn run_files(cmd: ScheduleCommand) -> Result<(), AppError> {
    match cmd {
        ScheduleCommand::Solve {
            input,
            out,
            time_limit,
            seed,
            keep,
            include_pending,
        } => {
            let mut problem = read_problem(&input)?;
            if let Some(keep) = &keep {
                let previous = read_schedule(keep)?;
                problem = problem
                    .with_kept(&previous, &name(keep))
                    .map_err(engine_error)?;
            }
            let opts = solve_options(time_limit, seed, include_pending)?;
            let schedule = solve_checked(&problem, &opts)?;
            let json = serde_json::to_string_pretty(&schedule).map_err(output::output_error)?;
            write_file(&out, &json)?;
            print_summary(&schedule);
            println!("schedule written to {}", out.display());
            must_conflicts(&schedule)
        }
        ScheduleCommand::Check { input, schedule } => {
            let problem = read_problem(&input)?;
            let schedule_in = read_schedule(&schedule)?;
            let violations =
                milieu_schedule::check(&problem, &schedule_in, &CheckOptions::default());
            if violations.is_empty() {
                println!(
                    "valid: {} meetings, every rule holds",
                    schedule_in.meetings.len()
                );
                return Ok(());
            }
            for v in &violations {
                println!("{}", describe(v));
            }
            Err(AppError::Usage(format!(
                "{}: {} violation(s) of the rules of {}",
                schedule.display(),
                violations.len(),
                input.display()
            )))
        }
        ScheduleCommand::Agendas {
            input,
            schedule,
            out,
            title,
        } => {
            let problem = read_problem(&input)?;
            let schedule = read_schedule(&schedule)?;
            let n = write_agendas(&problem, &schedule, title, None, &out)?;
            println!("{n} files written under {}", out.display());
            Ok(())
        }
    }
}

pub(crate) fn solve_options(
    time_limit: f64,
    seed: u64,
    include_pending: bool,
) -> Result<SolveOptions, AppError> {
    if !(time_limit.is_finite() && time_limit > 0.0) {
        return Err(AppError::Usage(format!(
            "--time-limit {time_limit}: expected a positive number of seconds"
        )));
    }
    Ok(SolveOptions {
        time_limit: Duration::from_secs_f64(time_limit),
        seed,
        include_pending,
        ..SolveOptions::default()
    })
}

/// Solves and verifies the result with the independent checker: a violation there is a bug
/// of milieu (exit 1), never written silently.
pub(crate) fn solve_checked(problem: &Problem, opts: &SolveOptions) -> Result<Schedule, AppError> {
    let schedule = milieu_schedule::solve(problem, opts);
    let violations = milieu_schedule::check(
        problem,
        &ScheduleInput::from(&schedule),
        &CheckOptions::default(),
    );
    if !violations.is_empty() {
        let list: Vec<String> = violations.iter().map(describe).collect();
        return Err(AppError::Internal(format!(
            "the solver produced an invalid schedule:\n{}",
            list.join("\n")
        )));
    }
    Ok(schedule)
}

fn describe(v: &Violation) -> String {
    format!("{} at {}: {}", v.code, v.path, v.message)
}

pub(crate) fn print_summary(schedule: &Schedule) {
    let s = &schedule.stats;
    println!(
        "meetings {} | musts {}/{} | priority sum {} (upper bound {}, gap {:.2} %) | fewest meetings among requesters {} ({} at it) | idle slots {} | unscheduled {} | {:.2} s",
        s.meetings,
        s.musts_scheduled,
        s.musts_total,
        s.priority_sum,
        s.priority_upper_bound,
        s.gap_percent,
        s.fairness_min_meetings,
        s.fairness_at_min,
        s.idle_gaps,
        schedule.unscheduled.len(),
        s.solve_seconds
    );
}

/// Infeasible musts: the schedule is kept (already written), the conflicts listed, exit 2.
pub(crate) fn must_conflicts(schedule: &Schedule) -> Result<(), AppError> {
    let conflicts = &schedule.stats.must_conflicts;
    if conflicts.is_empty() {
        return Ok(());
    }
    let lines: Vec<String> = conflicts
        .iter()
        .map(|c| format!("  - {} ({}): {}", c.requests.join(", "), c.kind, c.reason))
        .collect();
    Err(AppError::Usage(format!(
        "{} must meeting(s) could not be scheduled (the schedule holds all the others):\n{}",
        conflicts.len(),
        lines.join("\n")
    )))
}

pub(crate) fn write_agendas(
    problem: &Problem,
    schedule: &ScheduleInput,
    title: Option<String>,
    event_id: Option<String>,
    out: &Path,
) -> Result<usize, AppError> {
    let opts = AgendaOptions {
        title,
        generated_at: None,
        event_id,
    };
    let files = milieu_schedule::agendas(problem, schedule, &opts).map_err(engine_error)?;
    for (relative, contents) in &files {
        let path = out.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| {
                AppError::Usage(format!("{}: cannot create ({e})", parent.display()))
            })?;
        }
        write_file(&path, contents)?;
    }
    Ok(files.len())
}

/// `milieu event ...`: the registry verbs, plus meeting scheduling of brokerage events.
#[derive(clap::Subcommand, Debug)]
pub enum EventAction {
    #[command(flatten)]
    Record(registry::Action),
    /// Meeting requests of an event: `request import EVENT_ID FILE` (CSV
    /// from,to,priority,status,must; replaces the event's requests, all or nothing),
    /// `request add EVENT_ID FROM TO`, `request list EVENT_ID`.
    #[command(name = "request", alias = "requests")]
    Requests {
        #[command(subcommand)]
        action: RequestsAction,
    },
    /// Schedule the event's meeting requests among its participants (attendance) and store
    /// the meetings (replacing an earlier schedule).
    Schedule {
        event_id: String,
        /// Slot block START/MINUTESxCOUNT, e.g. 2026-03-10T09:00/20x12 or 09:00/20x12 on the
        /// event's date (repeatable). Default: the stored slots, else 09:00/20x12.
        #[arg(long = "slots", value_name = "START/MINxCOUNT")]
        slots: Vec<String>,
        /// Tables per slot (default: the stored number, else one per two participants).
        #[arg(long)]
        tables: Option<u32>,
        /// Meetings per participant at most (default: one per slot).
        #[arg(long)]
        max_meetings: Option<u32>,
        #[arg(long, default_value_t = 10.0)]
        time_limit: f64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long)]
        include_pending: bool,
    },
    /// The stored meetings of an event, in time order.
    Meetings {
        event_id: String,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Agendas of the stored schedule (as `milieu schedule agendas`).
    Agendas {
        event_id: String,
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(clap::Subcommand, Debug)]
pub enum RequestsAction {
    /// Import meeting requests from CSV, replacing the event's requests (all or nothing).
    Import { event_id: String, file: PathBuf },
    /// Add one meeting request: FROM asks to meet TO (both attend the event; a request already
    /// made is refused, exit code 2).
    Add {
        event_id: String,
        from: String,
        to: String,
        /// 1..3, 3 = most wanted.
        #[arg(long, default_value_t = 1)]
        priority: u32,
        /// accepted or pending.
        #[arg(long, default_value = "accepted")]
        status: String,
        /// The meeting must be scheduled.
        #[arg(long)]
        must: bool,
    },
    /// List the event's meeting requests.
    List {
        event_id: String,
        #[command(flatten)]
        output: OutputArgs,
    },
}

#[derive(serde::Serialize)]
struct MeetingListRow {
    start: String,
    slot: String,
    table: u32,
    from: String,
    from_name: String,
    to: String,
    to_name: String,
}

fn print<T: serde::Serialize>(rows: &[T], out: OutputArgs) -> Result<(), AppError> {
    output::print_rows(rows, out.format).map_err(output::output_error)
}

pub async fn run_event(store: &AnyStore, action: EventAction) -> Result<(), AppError> {
    match action {
        EventAction::Record(action) => registry::run(store, EntityKind::Event, action).await,
        EventAction::Requests {
            action: RequestsAction::Import { event_id, file },
        } => {
            let n = schedule::import_meeting_requests(
                store,
                &event_id,
                &name(&file),
                open_input(&file)?,
            )
            .await?;
            println!("imported {n} meeting requests for event {event_id}");
            Ok(())
        }
        EventAction::Requests {
            action:
                RequestsAction::Add {
                    event_id,
                    from,
                    to,
                    priority,
                    status,
                    must,
                },
        } => {
            let request = milieu_store::MeetingRequest {
                from,
                to,
                priority,
                status,
                must,
            };
            schedule::add_meeting_request(store, &event_id, request.clone()).await?;
            println!(
                "added the request of {} to meet {} at event {event_id}",
                request.from, request.to
            );
            Ok(())
        }
        EventAction::Requests {
            action: RequestsAction::List { event_id, output },
        } => {
            if store.get::<Event>(&event_id).await?.is_none() {
                return Err(AppError::NotFound {
                    kind: "event",
                    id: event_id,
                });
            }
            print(&store.meeting_requests(&event_id).await?, output)
        }
        EventAction::Schedule {
            event_id,
            slots,
            tables,
            max_meetings,
            time_limit,
            seed,
            include_pending,
        } => {
            let opts = schedule::EventScheduleOptions {
                slots,
                tables,
                max_meetings,
                solve: solve_options(time_limit, seed, include_pending)?,
            };
            let result = schedule::schedule_event(store, &event_id, &opts).await?;
            print_summary(&result);
            println!(
                "{} meetings stored for event {event_id}; list them with `milieu event meetings {event_id}`",
                result.meetings.len()
            );
            must_conflicts(&result)
        }
        EventAction::Meetings { event_id, output } => {
            let (problem, stored) = schedule::stored_schedule(store, &event_id).await?;
            let order = problem.slots_in_time_order();
            let mut rank = vec![0; problem.slots.len()];
            for (r, &s) in order.iter().enumerate() {
                rank[s] = r;
            }
            let display = |id: &str| {
                problem
                    .participant(id)
                    .map(|i| problem.participants[i].display_name().to_string())
                    .unwrap_or_default()
            };
            let mut rows: Vec<(usize, MeetingListRow)> = stored
                .meetings
                .iter()
                .map(|m| {
                    let s = problem.slot(&m.slot);
                    (
                        s.map_or(usize::MAX, |s| rank[s]),
                        MeetingListRow {
                            start: s
                                .map(|s| {
                                    problem.slots[s].start.format("%Y-%m-%d %H:%M").to_string()
                                })
                                .unwrap_or_default(),
                            slot: m.slot.clone(),
                            table: m.table,
                            from: m.from.clone(),
                            from_name: display(&m.from),
                            to: m.to.clone(),
                            to_name: display(&m.to),
                        },
                    )
                })
                .collect();
            rows.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.table.cmp(&b.1.table)));
            let rows: Vec<MeetingListRow> = rows.into_iter().map(|(_, r)| r).collect();
            print(&rows, output)
        }
        EventAction::Agendas { event_id, out } => {
            let (problem, stored) = schedule::stored_schedule(store, &event_id).await?;
            let n = write_agendas(&problem, &stored, None, Some(event_id.clone()), &out)?;
            println!("{n} files written under {}", out.display());
            Ok(())
        }
    }
}
