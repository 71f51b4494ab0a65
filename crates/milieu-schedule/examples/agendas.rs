//! Write agendas: `agendas --input EVENT.json --schedule SCHEDULE.json --out DIR`
//! (what `milieu schedule agendas` does).
use milieu_schedule::{AgendaOptions, agendas, parse_problem, parse_schedule};

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(2);
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (mut input, mut sched, mut out) = (None, None, None);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--input" => input = args.next(),
            "--schedule" => sched = args.next(),
            "--out" => out = args.next(),
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    let (Some(input), Some(sched), Some(out)) = (input, sched, out) else {
        return Err("usage: agendas --input EVENT.json --schedule SCHEDULE.json --out DIR".into());
    };
    let problem = parse_problem(std::fs::File::open(&input)?, &input)?;
    let schedule = parse_schedule(std::fs::File::open(&sched)?, &sched)?;
    let files = agendas(&problem, &schedule, &AgendaOptions::default())?;
    for (path, contents) in &files {
        let full = std::path::Path::new(&out).join(path);
        if let Some(dir) = full.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(full, contents)?;
    }
    println!("{} files written to {out}", files.len());
    Ok(())
}
