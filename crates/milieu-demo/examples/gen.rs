//! Generates the demo region and prints how many records of each kind it made and how long
//! that took: `cargo run --release -p milieu-demo --example gen -- --orgs 10000 [--seed N]`.

use milieu_demo::{DemoOptions, generate};
use std::time::Instant;

fn main() {
    let mut opts = DemoOptions::default();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        let value = args.get(i + 1).and_then(|v| v.parse::<u64>().ok());
        match (args[i].as_str(), value) {
            ("--orgs", Some(v)) => opts.orgs = v as usize,
            ("--seed", Some(v)) => opts.seed = v,
            (flag, _) => {
                eprintln!("usage: gen [--orgs N] [--seed N] (bad argument {flag:?})");
                std::process::exit(2);
            }
        }
        i += 2;
    }
    let t = Instant::now();
    let ds = generate(&opts);
    let elapsed = t.elapsed();
    println!("seed {} orgs {}", opts.seed, opts.orgs);
    for (kind, n) in ds.counts() {
        println!("{:>16} {n}", kind.plural());
    }
    println!("generated in {:.3} s", elapsed.as_secs_f64());
}
