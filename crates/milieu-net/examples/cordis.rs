//! CORDIS H2020 co-participation benchmark: organisations (`pic`) tied when they share a project
//! (`rcn`) of at most `--max-size` partners (weight = number of shared projects).
//!
//! cargo run --release -p milieu-net --example cordis -- FILE.csv.gz [--before YEAR]
//!     [--max-size 50] [--task load|betweenness|leiden|leiden_fast|louvain|constraint|metrics]...
//!     [--write DIR] [--seed S] [--runs R] [--restarts K]
//! Prints one `timing <task> <seconds> <facts>` line per task; with --write, writes per-node
//! results (`pic,value`) for comparison with the peers.

use std::fs::File;
use std::io::{BufReader, Write};
use std::path::PathBuf;
use std::time::Instant;

use milieu_net::community::{Algorithm, CommunityOptions, communities};
use milieu_net::metrics::{MetricsOptions, metrics};
use milieu_net::paths::{PathWeights, betweenness};
use milieu_net::projection::{ProjectionOptions, ProjectionWeight, project};
use milieu_net::structural::structural_holes;

/// CPU seconds of this process so far (user + system, from /proc; 0 elsewhere). The bench
/// machine is shared, so CPU time is reported beside wall time.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or("");
    let f: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|x| x.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut file = None;
    let mut before: Option<String> = None;
    let mut max_size = 50usize;
    let mut tasks: Vec<String> = Vec::new();
    let mut write: Option<PathBuf> = None;
    let mut seed = 42u64;
    let mut runs = CommunityOptions::default().max_runs;
    let mut restarts = CommunityOptions::default().restarts;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        let mut val = || {
            i += 1;
            args.get(i).cloned().ok_or(format!("{a} needs a value"))
        };
        match a {
            "--before" => before = Some(val()?),
            "--max-size" => max_size = val()?.parse()?,
            "--task" => tasks.push(val()?),
            "--write" => write = Some(PathBuf::from(val()?)),
            "--seed" => seed = val()?.parse()?,
            "--runs" => runs = val()?.parse()?,
            "--restarts" => restarts = val()?.parse()?,
            _ => file = Some(a.to_string()),
        }
        i += 1;
    }
    let file = file.ok_or("usage: cordis FILE.csv.gz [--before YEAR] [--task T]...")?;
    if tasks.is_empty() {
        tasks.push("load".into());
    }

    let t = Instant::now();
    let reader = flate2::read::GzDecoder::new(BufReader::new(File::open(&file)?));
    let mut rdr = csv::Reader::from_reader(reader);
    let header = rdr.headers()?.clone();
    let col = |n: &str| {
        header
            .iter()
            .position(|h| h == n)
            .ok_or(format!("no column {n}"))
    };
    let (rcn, pic, start) = (col("rcn")?, col("pic")?, col("start_date")?);
    let cut = before.as_ref().map(|y| format!("{y}-01-01"));
    let mut pairs: Vec<(String, String)> = Vec::new();
    let mut types = std::collections::HashMap::new();
    let (ty, country) = (col("type")?, col("country")?);
    for rec in rdr.records() {
        let rec = rec?;
        if let Some(c) = &cut
            && rec[start] >= *c.as_str()
        {
            continue;
        }
        types
            .entry(rec[pic].to_string())
            .or_insert((rec[ty].to_string(), rec[country].to_string()));
        pairs.push((rec[pic].to_string(), rec[rcn].to_string()));
    }
    let opts = ProjectionOptions {
        weight: ProjectionWeight::Count,
        max_event_size: Some(max_size),
        keep_isolates: false,
    };
    let p = project(&pairs, &opts)?;
    let mut g = p.graph;
    let kinds: Vec<String> = g.labels().iter().map(|l| types[l].0.clone()).collect();
    let countries: Vec<String> = g.labels().iter().map(|l| types[l].1.clone()).collect();
    g.set_attribute_values("type", kinds)?;
    g.set_attribute_values("country", countries)?;
    println!(
        "timing load {:.3} nodes={} edges={} projects_used={} projects_too_large={}",
        t.elapsed().as_secs_f64(),
        g.node_count(),
        g.edge_count(),
        p.events_used,
        p.events_too_large
    );
    if let Some(dir) = &write {
        std::fs::create_dir_all(dir)?;
    }
    let dump = |name: &str, values: &[f64]| -> std::io::Result<()> {
        if let Some(dir) = &write {
            let mut f = std::io::BufWriter::new(File::create(dir.join(format!("{name}.csv")))?);
            writeln!(f, "pic,value")?;
            for (l, v) in g.labels().iter().zip(values) {
                writeln!(f, "{l},{v:.17e}")?;
            }
        }
        Ok(())
    };
    for task in &tasks {
        let t = Instant::now();
        let cpu0 = cpu_seconds();
        match task.as_str() {
            "load" => {}
            "betweenness" => {
                let (raw, _) = betweenness(&g, PathWeights::Hops);
                println!(
                    "timing betweenness {:.3} cpu={:.2}",
                    t.elapsed().as_secs_f64(),
                    cpu_seconds() - cpu0
                );
                dump("betweenness", &raw)?;
            }
            "leiden" | "leiden_fast" | "louvain" => {
                let algorithm = if task == "louvain" {
                    Algorithm::Louvain
                } else {
                    Algorithm::Leiden
                };
                // leiden_fast: one chain of at most 4 runs, against igraph's default 2 iterations.
                let (runs, restarts) = if task == "leiden_fast" {
                    (4, 1)
                } else {
                    (runs, restarts)
                };
                let r = communities(
                    &g,
                    &CommunityOptions {
                        algorithm,
                        seed,
                        max_runs: runs,
                        restarts,
                        ..Default::default()
                    },
                )?;
                println!(
                    "timing {task} {:.3} cpu={:.2} modularity={:.6} communities={} runs={}",
                    t.elapsed().as_secs_f64(),
                    cpu_seconds() - cpu0,
                    r.modularity,
                    r.sizes.len(),
                    r.runs
                );
            }
            "constraint" => {
                let s = structural_holes(&g, true);
                println!(
                    "timing constraint {:.3} cpu={:.2}",
                    t.elapsed().as_secs_f64(),
                    cpu_seconds() - cpu0
                );
                dump("constraint", &s.constraint)?;
            }
            "metrics" => {
                let m = metrics(
                    &g,
                    &MetricsOptions {
                        group_by: Some("type".into()),
                        region_attribute: Some("country".into()),
                        ..Default::default()
                    },
                )?;
                if let Some(dir) = &write {
                    std::fs::write(
                        dir.join("metrics_summary.json"),
                        serde_json::to_string_pretty(&m.summary)?,
                    )?;
                }
                println!(
                    "timing metrics {:.3} cpu={:.2} rows={} density={:.6} modularity={:.6}",
                    t.elapsed().as_secs_f64(),
                    cpu_seconds() - cpu0,
                    m.nodes.len(),
                    m.summary.density,
                    m.summary.modularity.unwrap_or(f64::NAN)
                );
            }
            other => return Err(format!("unknown task {other}").into()),
        }
    }
    Ok(())
}
