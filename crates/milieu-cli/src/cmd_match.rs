//! `milieu match ...` and `milieu introduce`: partner suggestions with reasons, opportunity
//! routing, digests, introductions and the evaluation of matching. The user of the command
//! line is cluster staff: matching uses the records staff may see (private ties of others are
//! not used); `--as-org ID` shows what that member would be shown.

use crate::output::{self, Format, OutputArgs};
use milieu_app::AppError;
use milieu_app::access::Principal;
use milieu_app::matching::{
    self, EvaluateOptions, IntroduceRequest, Matcher, PartnerRow, match_error, parse_date_arg,
};
use milieu_match::{ContextOptions, PartnerOptions, Purpose, RouteOptions, Weights};
use milieu_model::{IntroductionStatus, OrgId, Visibility, Vocabulary};
use milieu_store::AnyStore;
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;

fn purpose_arg(text: &str) -> Result<Purpose, AppError> {
    Purpose::parse(text).map_err(match_error)
}

/// Options shared by `partners` and `all`.
#[derive(clap::Args, Debug)]
pub struct PartnerArgs {
    /// What the partner is sought for: leads, suppliers, alliance, rnd, international, peers.
    #[arg(long, default_value = "alliance")]
    purpose: String,
    /// Suggestions per organisation (0: every candidate).
    #[arg(long, default_value_t = 10)]
    top: usize,
    /// Also suggest organisations already tied (normally excluded).
    #[arg(long)]
    include_tied: bool,
    /// Only suggest members of initiatives the organisation is not a member of.
    #[arg(long)]
    cross_cluster: bool,
    /// Override part weights, e.g. `topic=2,bridge=0` (others keep the purpose's default).
    #[arg(long, value_name = "PART=W,...")]
    weights: Option<String>,
    /// Sector relatedness (CSV `sector_a,sector_b,relatedness`, e.g. from milieu-map) used for
    /// sector complementarity instead of the code hierarchy.
    #[arg(long, value_name = "FILE")]
    relatedness: Option<PathBuf>,
    /// Use only what was known on this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    as_of: Option<String>,
}

impl PartnerArgs {
    fn options(&self, explain: bool) -> Result<PartnerOptions, AppError> {
        let purpose = purpose_arg(&self.purpose)?;
        let weights = match &self.weights {
            Some(spec) => {
                Some(Weights::parse_overrides(spec, purpose.weights()).map_err(match_error)?)
            }
            None => None,
        };
        Ok(PartnerOptions {
            purpose,
            top: self.top,
            include_tied: self.include_tied,
            cross_cluster: self.cross_cluster,
            explain,
            weights,
            ..PartnerOptions::default()
        })
    }

    fn context(&self) -> Result<ContextOptions, AppError> {
        let mut opts = ContextOptions::default();
        if let Some(path) = &self.relatedness {
            let source = path.display().to_string();
            let reader = std::io::BufReader::new(milieu_app::open_input(path)?);
            opts.sector_relatedness =
                milieu_match::read_sector_relatedness(reader, &source).map_err(match_error)?;
        }
        if let Some(d) = &self.as_of {
            opts.as_of = Some(parse_date_arg("--as-of", d)?);
        }
        Ok(opts)
    }
}

/// Options shared by `opportunities` and `digest`.
#[derive(clap::Args, Debug)]
pub struct RouteArgs {
    /// Results (0: all that fit).
    #[arg(long, default_value_t = 10)]
    top: usize,
    /// Opportunities whose deadline is before this date are closed (default: today).
    #[arg(long, value_name = "DATE")]
    today: Option<String>,
    /// Include closed opportunities (deadline passed).
    #[arg(long)]
    include_closed: bool,
    /// Count an eligibility rule the registry cannot check (size, country or sector not
    /// recorded) as met.
    #[arg(long)]
    allow_unknown: bool,
    /// Fits scoring below this are not shown.
    #[arg(long, default_value_t = 0.1)]
    min_score: f64,
}

impl RouteArgs {
    fn options(&self) -> Result<RouteOptions, AppError> {
        let today = match (&self.today, self.include_closed) {
            (_, true) => None,
            (Some(d), false) => Some(parse_date_arg("--today", d)?),
            (None, false) => Some(matching::today()),
        };
        if !(0.0..=1.0).contains(&self.min_score) {
            return Err(AppError::Usage(format!(
                "--min-score {}: expected a number in [0, 1]",
                self.min_score
            )));
        }
        Ok(RouteOptions {
            top: self.top,
            today,
            allow_unknown: self.allow_unknown,
            min_score: self.min_score,
            ..RouteOptions::default()
        })
    }
}

#[derive(clap::Subcommand, Debug)]
pub enum MatchCommand {
    /// Partner suggestions for one organisation, each with its score parts and reasons (the
    /// offer it answers, the bridge it makes, the mutual contact who can introduce).
    Partners {
        /// The organisation looking for partners (default: the --as-org member).
        #[arg(long)]
        org: Option<String>,
        /// See as this member would: its own private ties count, others' private and
        /// staff-only records do not.
        #[arg(long, value_name = "ID")]
        as_org: Option<String>,
        /// Show every part: value, weight, contribution and reason.
        #[arg(long)]
        explain: bool,
        #[command(flatten)]
        partner: PartnerArgs,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Suggestions for every organisation: columns org, candidate, rank, score, the ten part
    /// contributions (they add up to the score), via, explanation (with --explain).
    All {
        /// Write the reasons too (slower over a large registry).
        #[arg(long)]
        explain: bool,
        #[command(flatten)]
        partner: PartnerArgs,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// For each open opportunity (or the one given), the eligible members it fits, with reasons.
    Opportunities {
        #[arg(long, value_name = "ID")]
        opportunity: Option<String>,
        /// With --opportunity: why it does or does not fit this organisation.
        #[arg(long, value_name = "ID")]
        org: Option<String>,
        /// Route to the members of this initiative (default: members of any initiative).
        #[arg(long, value_name = "ID")]
        initiative: Option<String>,
        #[command(flatten)]
        route: RouteArgs,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// The open opportunities that fit one member.
    Digest {
        #[arg(long)]
        org: Option<String>,
        /// See as this member would (the digest is for itself).
        #[arg(long, value_name = "ID")]
        as_org: Option<String>,
        #[command(flatten)]
        route: RouteArgs,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Forecast of new collaborations on the stored registry: from what was known before
    /// --split, which new pairs work together in projects starting up to --until? milieu
    /// against common neighbours, Adamic-Adar, topic cosine and random, in the same run.
    Evaluate {
        #[arg(long, value_name = "DATE")]
        split: String,
        #[arg(long, value_name = "DATE")]
        until: String,
        /// Purpose whose weights are evaluated.
        #[arg(long, default_value = "rnd")]
        purpose: String,
        /// Calibrate the weights on the new pairs of this many months before the split (0: no).
        #[arg(long, default_value_t = 6)]
        calibrate_months: u32,
        /// Evaluate these weights instead of the purpose's defaults, e.g. `topic=2`.
        #[arg(long, value_name = "PART=W,...")]
        weights: Option<String>,
        /// Recall cut-off.
        #[arg(long, default_value_t = 10)]
        k: usize,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Every introduction with what came of it: status, outcomes (kinds, value), whether a tie
    /// followed, and its rank among the suggestions when introduced (`introduce --purpose`).
    /// Private introductions, outcomes and ties (the two parties' only) are left out.
    Introductions {
        #[command(flatten)]
        output: OutputArgs,
    },
}

/// `milieu introduce`: a broker's introduction, recorded with its status.
#[derive(clap::Args, Debug)]
pub struct IntroduceArgs {
    /// The organisation introduced (usually the one that asked).
    #[arg(long)]
    from: String,
    /// The organisation it is introduced to.
    #[arg(long)]
    to: String,
    /// A third organisation through which the introduction is made (the mutual contact).
    #[arg(long, value_name = "ID")]
    via: Option<String>,
    /// The broker (a person id) who makes it.
    #[arg(long, value_name = "PERSON")]
    broker: Option<String>,
    /// What it is about.
    #[arg(long)]
    note: String,
    /// proposed, made, met, declined or closed.
    #[arg(long, default_value = "made")]
    status: String,
    /// Date (default: today).
    #[arg(long, value_name = "DATE")]
    date: Option<String>,
    /// Who may see it: private (the two parties), staff (and the cluster staff), public.
    #[arg(long, default_value = "staff")]
    visibility: String,
    /// Id (default: intro-FROM-TO-DATE).
    #[arg(long)]
    id: Option<String>,
    /// Record in the note where --to stood among --from's suggestions for this purpose, so
    /// `match introductions` can relate outcomes to matching.
    #[arg(long)]
    purpose: Option<String>,
}

/// Writes rows as CSV or JSON straight from their serde form (fast for large outputs), or as
/// a table of the given columns.
fn write_rows<T: Serialize>(rows: &[T], format: Format) -> Result<(), AppError> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    match format {
        Format::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            if rows.is_empty() {
                drop(w);
                return Ok(());
            }
            for r in rows {
                w.serialize(r).map_err(output::output_error)?;
            }
            w.flush()?;
        }
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, rows).map_err(output::output_error)?;
            writeln!(out)?;
        }
        Format::Table => {
            if rows.is_empty() {
                writeln!(out, "(0 rows)")?;
                out.flush()?;
                return Ok(());
            }
            drop(out);
            return output::print_rows(rows, format).map_err(output::output_error);
        }
    }
    out.flush()?;
    Ok(())
}

fn member_viewer(as_org: &Option<String>) -> Principal {
    match as_org {
        Some(id) => Principal::member_of(OrgId::new(id.clone())),
        None => Principal::cluster_team(),
    }
}

/// The organisation asked about: `--org`, or the `--as-org` member.
fn asked_org(org: &Option<String>, as_org: &Option<String>) -> Result<String, AppError> {
    org.clone().or_else(|| as_org.clone()).ok_or_else(|| {
        AppError::Usage("give the organisation with --org ID (or --as-org ID)".into())
    })
}

pub async fn run(store: &AnyStore, cmd: MatchCommand) -> Result<(), AppError> {
    match cmd {
        MatchCommand::Partners {
            org,
            as_org,
            explain,
            partner,
            output,
        } => {
            let org = asked_org(&org, &as_org)?;
            let opts = partner.options(true)?;
            let matcher = Matcher::load(store, member_viewer(&as_org), &partner.context()?).await?;
            // The table lists each part's reason, so it needs the parts even without --explain.
            let table = output.format == Format::Table;
            let rows = matcher.partners(&org, &opts, explain || table)?;
            match output.format {
                Format::Table => print_partner_blocks(&matcher, &org, &opts, &rows, explain),
                Format::Json => write_rows(&rows, Format::Json),
                Format::Csv => {
                    let flat: Vec<_> = rows.into_iter().map(|r| r.suggestion).collect();
                    write_rows(&flat, Format::Csv)
                }
            }
        }
        MatchCommand::All {
            explain,
            partner,
            output,
        } => {
            let started = std::time::Instant::now();
            let opts = partner.options(explain)?;
            let matcher =
                Matcher::load(store, Principal::cluster_team(), &partner.context()?).await?;
            let loaded = started.elapsed().as_secs_f64();
            let rows = matcher.all(&opts);
            let matched = started.elapsed().as_secs_f64() - loaded;
            write_rows(&rows, output.format)?;
            eprintln!(
                "match all: {} organisations, {} rows (load and index {loaded:.2} s, match {matched:.2} s)",
                matcher.context.len(),
                rows.len()
            );
            Ok(())
        }
        MatchCommand::Opportunities {
            opportunity,
            org,
            initiative,
            route,
            output,
        } => {
            let matcher =
                Matcher::load(store, Principal::cluster_team(), &ContextOptions::default()).await?;
            let mut opts = route.options()?;
            if let Some(org) = org {
                let Some(opp) = opportunity else {
                    return Err(AppError::Usage(
                        "--org needs --opportunity (for all opportunities of one member use `match digest --org ID`)".into(),
                    ));
                };
                let e = matcher.explain_opportunity(&opp, &org, opts.allow_unknown)?;
                return write_rows(&[e], output.format);
            }
            opts.opportunity = opportunity;
            opts.members_of = initiative;
            let rows = matcher.opportunities(&opts)?;
            if rows.is_empty() {
                note_nothing_open(&matcher, &opts);
            }
            write_rows(&rows, output.format)
        }
        MatchCommand::Digest {
            org,
            as_org,
            route,
            output,
        } => {
            let org = asked_org(&org, &as_org)?;
            if let Some(me) = &as_org
                && *me != org
            {
                return Err(AppError::Usage(format!(
                    "--as-org {me} shows the digest of member {me}; drop --org or give --org {me}"
                )));
            }
            let matcher =
                Matcher::load(store, member_viewer(&as_org), &ContextOptions::default()).await?;
            let opts = route.options()?;
            let rows = matcher.digest(&org, &opts)?;
            if rows.is_empty() {
                note_nothing_open(&matcher, &opts);
            }
            write_rows(&rows, output.format)
        }
        MatchCommand::Evaluate {
            split,
            until,
            purpose,
            calibrate_months,
            weights,
            k,
            output,
        } => {
            let purpose = purpose_arg(&purpose)?;
            let split = parse_date_arg("--split", &split)?;
            let until = parse_date_arg("--until", &until)?;
            let weights = match weights {
                Some(spec) => {
                    Some(Weights::parse_overrides(&spec, purpose.weights()).map_err(match_error)?)
                }
                None => None,
            };
            if k == 0 {
                return Err(AppError::Usage("--k must be at least 1".into()));
            }
            let started = std::time::Instant::now();
            let dataset = matching::load_registry(store).await?;
            let loaded = started.elapsed().as_secs_f64();
            let opts = EvaluateOptions {
                split,
                until,
                k,
                depth: 100.max(k),
                purpose,
                calibrate_months,
                weights,
            };
            let ev = matching::evaluate(&dataset, &Principal::cluster_team(), &opts)?;
            eprintln!(
                "training network before {split}: {} organisations with ties, {} edges; registry loaded in {loaded:.2} s",
                ev.train_organisations, ev.train_edges
            );
            if let Some(w) = &ev.calibrated_weights {
                eprintln!(
                    "calibrated on {} new pairs of the {calibrate_months} months before the split: recall@{k} {:.4} -> {:.4}; weights {}{}",
                    ev.validation_pairs,
                    ev.validation_recall_default.unwrap_or(0.0),
                    ev.validation_recall_calibrated.unwrap_or(0.0),
                    serde_json::to_string(w).map_err(output::output_error)?,
                    if ev.constant_parts.is_empty() {
                        String::new()
                    } else {
                        format!(
                            " (constant here, so left as they were: {})",
                            ev.constant_parts.join(", ")
                        )
                    }
                );
            } else if calibrate_months > 0 {
                eprintln!(
                    "no new pairs in the {calibrate_months} months before the split: not calibrated"
                );
            }
            write_rows(&ev.rows, output.format)
        }
        MatchCommand::Introductions { output } => {
            let report = matching::introduction_report(store, &Principal::cluster_team()).await?;
            if report.hidden_introductions + report.hidden_outcomes + report.hidden_ties > 0 {
                eprintln!(
                    "left out as private to their parties: {} introductions, {} outcomes, {} ties",
                    report.hidden_introductions, report.hidden_outcomes, report.hidden_ties
                );
            }
            write_rows(&report.rows, output.format)
        }
    }
}

/// Says why nothing was routed when every opportunity is closed.
fn note_nothing_open(matcher: &Matcher, opts: &RouteOptions) {
    if let Some(today) = opts.today {
        let open = matcher
            .opportunity_records()
            .iter()
            .filter(|o| o.deadline.is_none_or(|d| d >= today))
            .count();
        if open == 0 && !matcher.opportunity_records().is_empty() {
            eprintln!(
                "note: all {} opportunities have a deadline before {today}; give --today DATE or --include-closed",
                matcher.opportunity_records().len()
            );
        }
    }
}

/// The table form of `match partners`: one block per suggestion with its reasons and, with
/// `--explain`, every part.
fn print_partner_blocks(
    matcher: &Matcher,
    org: &str,
    opts: &PartnerOptions,
    rows: &[PartnerRow],
    explain: bool,
) -> Result<(), AppError> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let name = matcher
        .organisation(org)
        .map(|o| o.name.as_str())
        .unwrap_or(org);
    writeln!(
        out,
        "{} partners for {name} ({org}), purpose {}{}:",
        rows.len(),
        opts.purpose,
        match matcher.viewer.member_org() {
            Some(me) => format!(", as member {me} sees it"),
            None => ", as cluster staff sees it".to_string(),
        }
    )?;
    for r in rows {
        let s = &r.suggestion;
        writeln!(
            out,
            "\n{:>2}. {} ({})  score {:.3}",
            s.rank, s.candidate_name, s.candidate, s.score
        )?;
        // The reasons of the parts that contribute, largest first (the explanation's order).
        let mut reasons: Vec<_> = r
            .parts
            .iter()
            .filter(|p| p.contribution > 0.0 && !p.reason.is_empty())
            .collect();
        reasons.sort_by(|a, b| b.contribution.total_cmp(&a.contribution));
        for p in reasons {
            writeln!(out, "    - {}", p.reason)?;
        }
        if let Some(at) = s.explanation.find("cross-cluster: ") {
            writeln!(out, "    - {}", &s.explanation[at..])?;
        }
        if !s.path.is_empty() {
            writeln!(out, "    path: {}", s.path)?;
        }
        if explain {
            writeln!(
                out,
                "    {:<13} {:>6} {:>6} {:>12}  reason",
                "part", "value", "weight", "contribution"
            )?;
            for p in &r.parts {
                writeln!(
                    out,
                    "    {:<13} {:>6.3} {:>6.2} {:>12.4}  {}",
                    p.part, p.value, p.weight, p.contribution, p.reason
                )?;
            }
        }
    }
    out.flush()?;
    Ok(())
}

pub async fn introduce(store: &AnyStore, args: IntroduceArgs) -> Result<(), AppError> {
    let status = IntroductionStatus::parse(&args.status)
        .map_err(|e| AppError::Usage(format!("--status: {e}")))?;
    let visibility = Visibility::parse(&args.visibility)
        .map_err(|e| AppError::Usage(format!("--visibility: {e}")))?;
    let date = match &args.date {
        Some(d) => parse_date_arg("--date", d)?,
        None => matching::today(),
    };
    let request = IntroduceRequest {
        id: args.id,
        from: args.from,
        to: args.to,
        via: args.via,
        broker: args.broker,
        date,
        status,
        visibility,
        note: args.note,
        purpose: args.purpose.as_deref().map(purpose_arg).transpose()?,
    };
    let intro = matching::introduce(store, &request).await?;
    println!(
        "introduction {} recorded: {} to {}{} on {}, status {}, visibility {}",
        intro.id,
        intro.from,
        intro.to,
        intro
            .via
            .as_ref()
            .map(|v| format!(" via {v}"))
            .unwrap_or_default(),
        intro.date,
        intro.status,
        intro.visibility
    );
    if !intro.note.is_empty() {
        println!("note: {}", intro.note);
    }
    Ok(())
}
