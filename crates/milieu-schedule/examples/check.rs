//! Check a schedule: `check --input EVENT.json --schedule SCHEDULE.json`. Exit 0 when valid,
//! 2 with every violation listed otherwise (what `milieu schedule check` does).
use milieu_schedule::{CheckOptions, check, parse_problem, parse_schedule};

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut input, mut sched) = (None, None);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--input" => input = args.next(),
            "--schedule" => sched = args.next(),
            other => {
                eprintln!("unknown argument {other}");
                std::process::exit(2);
            }
        }
    }
    let (Some(input), Some(sched)) = (input, sched) else {
        eprintln!("usage: check --input EVENT.json --schedule SCHEDULE.json");
        std::process::exit(2);
    };
    let result = (|| -> Result<Vec<milieu_schedule::Violation>, Box<dyn std::error::Error>> {
        let problem = parse_problem(std::fs::File::open(&input)?, &input)?;
        let schedule = parse_schedule(std::fs::File::open(&sched)?, &sched)?;
        Ok(check(&problem, &schedule, &CheckOptions::default()))
    })();
    match result {
        Ok(v) if v.is_empty() => println!("valid"),
        Ok(v) => {
            for x in &v {
                println!("{}: {} ({})", x.code, x.message, x.path);
            }
            println!("{} violation(s)", v.len());
            std::process::exit(2);
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    }
}
