//! The bench/map workload through milieu-map (release build):
//!   one year : load CBP (gz) -> LQ for all counties x NAICS-6 -> industry co-location matrix
//!              (correlation of log(1+LQ) across counties) -> average-linkage clustering (K=50)
//!   --years  : load all five CBP years into one table -> shift-share first -> last year
//!
//! cargo run --release -p milieu-map --example map_bench -- FILE.csv.gz [FILE...] [--shift-share]

use std::fs::File;
use std::io::BufReader;
use std::time::Instant;

use milieu_map::*;
use rayon::prelude::*;

/// CPU seconds (user + system) of this process so far, from /proc (Linux; 0 elsewhere).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which is in parentheses): utime is 14th, stime 15th.
    let rest = stat.rsplit(')').next().unwrap_or("");
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let cpu0 = cpu_seconds();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let files: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let shift = args.iter().any(|a| a == "--shift-share");
    if files.is_empty() {
        return Err("usage: map_bench FILE.csv.gz [FILE...] [--shift-share]".into());
    }
    let t0 = Instant::now();
    // Files are parsed in parallel (each also decompresses on its own helper thread), then
    // merged into one builder.
    let parts: Vec<Result<TableBuilder, String>> = files
        .par_iter()
        .map(|f| {
            let mut b = TableBuilder::default();
            let file = File::open(f).map_err(|e| format!("{f}: {e}"))?;
            let r = flate2::read::GzDecoder::new(BufReader::with_capacity(1 << 20, file));
            read_cbp(r, f, &CbpOptions::default(), &mut b).map_err(|e| e.to_string())?;
            Ok(b)
        })
        .collect();
    let mut b = TableBuilder::default();
    for p in parts {
        b.merge(p?);
    }
    let table = b.build()?;
    let t_load = t0.elapsed();
    let year = *table.years().last().ok_or("no years")?;
    if shift {
        let first = table.years()[0];
        let t1 = Instant::now();
        let ss = shift_share(
            &table,
            &ShiftShareOptions {
                from: first,
                to: year,
                ..Default::default()
            },
        )?;
        let t_ss = t1.elapsed();
        let t2 = Instant::now();
        let mut lq_rows = 0;
        for &y in table.years() {
            lq_rows += lq(
                &table,
                &LqOptions {
                    year: y,
                    ..Default::default()
                },
            )?
            .len();
        }
        let t_lq = t2.elapsed();
        println!(
            "milieu five-year: load {} files {:.3}s ({} rows) | shift-share {first}->{year} {:.3}s ({} rows) | LQ all years {:.3}s ({lq_rows} rows) | cpu {:.2}s | total {:.3}s",
            files.len(),
            t_load.as_secs_f64(),
            table.len(),
            t_ss.as_secs_f64(),
            ss.rows.len(),
            t_lq.as_secs_f64(),
            cpu_seconds() - cpu0,
            t0.elapsed().as_secs_f64()
        );
        return Ok(());
    }
    let t1 = Instant::now();
    let rows = lq(
        &table,
        &LqOptions {
            year,
            ..Default::default()
        },
    )?;
    let t_lq = t1.elapsed();
    if std::env::var_os("MAP_BENCH_PROBE").is_some() {
        for _ in 0..5 {
            let t = Instant::now();
            let r = lq(
                &table,
                &LqOptions {
                    year,
                    ..Default::default()
                },
            )?;
            eprintln!("probe lq {:.4}s {}", t.elapsed().as_secs_f64(), r.len());
            let t = Instant::now();
            let s = colocation_matrix(
                &table,
                &CoLocationOptions {
                    year,
                    ..Default::default()
                },
            )?;
            eprintln!("probe coloc {:.4}s {}", t.elapsed().as_secs_f64(), s.len());
        }
    }
    let t2 = Instant::now();
    let sim = colocation_matrix(
        &table,
        &CoLocationOptions {
            year,
            signal: Signal::Employment,
            transform: Transform::LogLq,
            ..Default::default()
        },
    )?;
    let t_co = t2.elapsed();
    let t3 = Instant::now();
    let n = sim.len();
    let dist: Vec<f64> = sim.values.iter().map(|v| 1.0 - v).collect();
    let labels = hierarchical(&dist, n, 50, Linkage::Average);
    let t_cl = t3.elapsed();
    let total = t0.elapsed();
    let check: f64 = rows.iter().filter_map(|r| r.lq).sum();
    println!(
        "milieu: load {:.3}s ({} rows) | LQ {:.3}s ({} rows, sum {:.1}) | co-location {:.3}s ({n}x{n}) | clustering {:.3}s ({} clusters) | cpu {:.2}s | total {:.3}s",
        t_load.as_secs_f64(),
        table.len(),
        t_lq.as_secs_f64(),
        rows.len(),
        check,
        t_co.as_secs_f64(),
        t_cl.as_secs_f64(),
        labels.iter().max().map_or(0, |m| m + 1),
        cpu_seconds() - cpu0,
        total.as_secs_f64()
    );
    Ok(())
}
