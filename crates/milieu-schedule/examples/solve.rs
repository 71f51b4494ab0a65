//! Solve an event file: `solve --input EVENT.json --out SCHEDULE.json [--time-limit S] [--seed N]
//! [--keep PREVIOUS.json] [--include-pending] [--max-iterations N]`.
//! Prints the objective parts, bound and times on stdout; checks the schedule it writes.
use milieu_schedule::{CheckOptions, SolveOptions, check, parse_problem, parse_schedule, solve};
use std::time::{Duration, Instant};

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(2);
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (mut input, mut out, mut keep) = (None, None, None);
    let mut opts = SolveOptions::default();
    while let Some(a) = args.next() {
        let mut val = || args.next().ok_or_else(|| format!("{a} needs a value"));
        match a.as_str() {
            "--input" => input = Some(val()?),
            "--out" => out = Some(val()?),
            "--keep" => keep = Some(val()?),
            "--time-limit" => opts.time_limit = Duration::from_secs_f64(val()?.parse()?),
            "--seed" => opts.seed = val()?.parse()?,
            "--max-iterations" => opts.max_iterations = Some(val()?.parse()?),
            "--include-pending" => opts.include_pending = true,
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    let input = input.ok_or("--input is required")?;
    let t0 = Instant::now();
    let mut problem = parse_problem(std::fs::File::open(&input)?, &input)?;
    if let Some(k) = &keep {
        let prev = parse_schedule(std::fs::File::open(k)?, k)?;
        problem = problem.with_kept(&prev, k)?;
    }
    let parse_s = t0.elapsed().as_secs_f64();
    let schedule = solve(&problem, &opts);
    let total_s = t0.elapsed().as_secs_f64();
    let violations = check(&problem, &(&schedule).into(), &CheckOptions::default());
    let s = &schedule.stats;
    println!(
        "{{\"musts\":{},\"musts_total\":{},\"priority_sum\":{},\"meetings\":{},\"upper_bound\":{},\"gap_percent\":{:.3},\"fairness_min\":{},\"fairness_at_min\":{},\"idle_gaps\":{},\"greedy_priority_sum\":{},\"iterations\":{},\"bound_seconds\":{:.3},\"parse_seconds\":{:.3},\"solve_seconds\":{:.3},\"total_seconds\":{:.3},\"violations\":{}}}",
        s.musts_scheduled,
        s.musts_total,
        s.priority_sum,
        s.meetings,
        s.priority_upper_bound,
        s.gap_percent,
        s.fairness_min_meetings,
        s.fairness_at_min,
        s.idle_gaps,
        s.greedy_priority_sum,
        s.iterations,
        s.bound_seconds,
        parse_s,
        s.solve_seconds,
        total_s,
        violations.len()
    );
    for c in &s.must_conflicts {
        eprintln!(
            "must conflict ({}): {} [{}]",
            c.kind,
            c.reason,
            c.requests.join(", ")
        );
    }
    if let Some(out) = out {
        std::fs::write(&out, serde_json::to_string_pretty(&schedule)?)?;
    }
    if !violations.is_empty() {
        for v in &violations {
            eprintln!("violation {}: {} ({})", v.code, v.message, v.path);
        }
        std::process::exit(2);
    }
    Ok(())
}
