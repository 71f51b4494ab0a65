//! `match all --top N` over every organisation of the whole CORDIS H2020 extract: builds the
//! context, suggests R&D partners for every organisation in parallel and writes the rows
//! `org,candidate,rank,score` + parts as CSV. Prints the time of each step.
//!
//! `cargo run --release -p milieu-match --example cordis_match_all -- [--top N] [--out FILE]
//! [--weights name=value,...] [--pool N] [--network N] [--explain true|false] [--data DIR]`

#[path = "common/cordis.rs"]
mod cordis;

use milieu_match::{ContextOptions, MatchContext, PartnerOptions, Purpose, Weights, match_all};
use milieu_model::WholeRegistry;
use std::io::Write;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut top = 10;
    let mut out: Option<String> = None;
    let mut weights: Option<Weights> = None;
    let mut pool = milieu_match::DEFAULT_POOL;
    let mut network = milieu_match::DEFAULT_NETWORK_CANDIDATES;
    let mut explain = false;
    let mut dir = cordis::shared_data().join("cordis-h2020-participations");
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        let value = args.get(i + 1).ok_or("missing value")?;
        match args[i].as_str() {
            "--top" => top = value.parse()?,
            "--out" => out = Some(value.clone()),
            "--weights" => weights = Some(Weights::parse_overrides(value, Purpose::Rnd.weights())?),
            "--data" => dir = value.into(),
            "--pool" => pool = value.parse()?,
            "--network" => network = value.parse()?,
            "--explain" => explain = value.parse()?,
            other => return Err(format!("unknown argument {other}").into()),
        }
        i += 2;
    }
    let total = Instant::now();
    let t = Instant::now();
    let ds = cordis::load(&dir)?;
    let load = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let ctx = MatchContext::build(&ds, &ContextOptions::default(), &WholeRegistry);
    let build = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let opts = PartnerOptions {
        purpose: Purpose::Rnd,
        top,
        explain,
        weights,
        pool,
        network_candidates: network,
        ..PartnerOptions::default()
    };
    let rows = match_all(&ctx, &opts);
    let matching = t.elapsed().as_secs_f64();
    let t = Instant::now();
    if let Some(path) = &out {
        let mut w = csv::Writer::from_writer(std::io::BufWriter::new(std::fs::File::create(path)?));
        for r in &rows {
            w.serialize(r)?;
        }
        w.flush()?;
    }
    let write = t.elapsed().as_secs_f64();
    let orgs_with_rows = {
        let mut o: Vec<&str> = rows.iter().map(|r| r.org.as_str()).collect();
        o.dedup();
        o.len()
    };
    writeln!(
        std::io::stdout(),
        "milieu match all --top {top}: {} organisations ({} with suggestions), {} edges, {} rows\n\
         load {load:.2}s, context {build:.2}s, matching {matching:.2}s, write {write:.2}s, total {:.2}s",
        ctx.len(),
        orgs_with_rows,
        ctx.graph().edge_count(),
        rows.len(),
        total.elapsed().as_secs_f64()
    )?;
    Ok(())
}
