//! Times each measure family of `metrics` on the CORDIS network (diagnostics for the bench).
//! cargo run --release -p milieu-net --example measure_times -- FILE.csv.gz [--before YEAR]
use std::time::Instant;

use milieu_net::metrics::{Measure, MetricsOptions, metrics};
use milieu_net::projection::{ProjectionOptions, project};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let file = args
        .first()
        .ok_or("usage: measure_times FILE.csv.gz [--before YEAR]")?;
    let cut = args
        .iter()
        .position(|a| a == "--before")
        .and_then(|i| args.get(i + 1))
        .map(|y| format!("{y}-01-01"));
    let reader = flate2::read::GzDecoder::new(std::fs::File::open(file)?);
    let mut rdr = csv::Reader::from_reader(reader);
    let h = rdr.headers()?.clone();
    let col = |n: &str| {
        h.iter()
            .position(|x| x == n)
            .ok_or(format!("no column {n}"))
    };
    let (rcn, pic, start, ty, country) = (
        col("rcn")?,
        col("pic")?,
        col("start_date")?,
        col("type")?,
        col("country")?,
    );
    let mut pairs = Vec::new();
    let mut attrs = std::collections::HashMap::new();
    for r in rdr.records() {
        let r = r?;
        if cut.as_ref().is_some_and(|c| &r[start] >= c.as_str()) {
            continue;
        }
        attrs
            .entry(r[pic].to_string())
            .or_insert((r[ty].to_string(), r[country].to_string()));
        pairs.push((r[pic].to_string(), r[rcn].to_string()));
    }
    let opts = ProjectionOptions {
        max_event_size: Some(50),
        ..Default::default()
    };
    let mut g = project(&pairs, &opts)?.graph;
    let kinds = g.labels().iter().map(|l| attrs[l].0.clone()).collect();
    let countries = g.labels().iter().map(|l| attrs[l].1.clone()).collect();
    g.set_attribute_values("type", kinds)?;
    g.set_attribute_values("country", countries)?;
    for m in Measure::ALL {
        let t = Instant::now();
        let o = MetricsOptions {
            measures: vec![m],
            group_by: Some("type".into()),
            region_attribute: Some("country".into()),
            ..Default::default()
        };
        metrics(&g, &o)?;
        println!("{m:?} {:.3}", t.elapsed().as_secs_f64());
    }
    Ok(())
}
