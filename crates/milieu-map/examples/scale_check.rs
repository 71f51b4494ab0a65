//! Times every measure on a full CBP year at county x NAICS-6 (and at cluster level), to
//! make sure none is pathologically slow at national scale.
//!
//! cargo run --release -p milieu-map --example scale_check -- CBP_2017.csv.gz CBP_2021.csv.gz

use std::fs::File;
use std::io::BufReader;
use std::path::PathBuf;
use std::time::Instant;

use milieu_map::*;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let files: Vec<String> = std::env::args().skip(1).collect();
    let d = std::env::var_os("MILIEU_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"));
    let mut b = TableBuilder::default();
    for f in &files {
        read_cbp(
            flate2::read::GzDecoder::new(BufReader::new(File::open(f)?)),
            f,
            &CbpOptions::default(),
            &mut b,
        )?;
    }
    let raw = b.build()?;
    let conc = read_naics_concordance(
        File::open(d.join("naics-concordance/NAICS_Crosswalk_TimeSeries_2002_2007_2012_2017.csv"))?,
        "concordance",
        "2017",
        "2012",
    )?;
    let (t, _) = bridge(&raw, &conc, Unmapped::Keep)?;
    let defs = read_cmp_definitions(
        File::open(d.join("us-cluster-definitions/cmp_cluster_naics_by_vintage.csv"))?,
        "cmp",
        "2012",
        "cmp2012",
    )?;
    let years = t.years().to_vec();
    let (y0, y1) = (years[0], *years.last().ok_or("no year")?);
    let region = t.regions().code(0).to_string();
    macro_rules! time {
        ($name:expr, $e:expr) => {{
            let s = Instant::now();
            let n = $e;
            println!(
                "{:<40} {:>8.3}s  {} rows",
                $name,
                s.elapsed().as_secs_f64(),
                n
            );
        }};
    }
    time!(
        "lq industry",
        lq(
            &t,
            &LqOptions {
                year: y1,
                ..Default::default()
            }
        )?
        .len()
    );
    time!(
        "lq cluster traded base",
        lq(
            &t,
            &LqOptions {
                year: y1,
                level: Level::Cluster,
                definitions: Some(&defs),
                base: Base::TradedLocal,
                ..Default::default()
            }
        )?
        .len()
    );
    time!(
        "profile industry with growth",
        profile(
            &t,
            &ProfileOptions {
                year: y1,
                from_year: Some(y0),
                ..Default::default()
            }
        )?
        .len()
    );
    time!(
        "shift-share industry",
        shift_share(
            &t,
            &ShiftShareOptions {
                from: y0,
                to: y1,
                ..Default::default()
            }
        )?
        .rows
        .len()
    );
    time!(
        "diversity",
        diversity(
            &t,
            &IndexOptions {
                year: y1,
                ..Default::default()
            }
        )?
        .len()
    );
    time!(
        "concentration",
        concentration(
            &t,
            &IndexOptions {
                year: y1,
                ..Default::default()
            }
        )?
        .len()
    );
    time!(
        "co-location establishments",
        colocation_matrix(
            &t,
            &CoLocationOptions {
                year: y1,
                signal: Signal::Establishments,
                ..Default::default()
            }
        )?
        .len()
    );
    time!(
        "co-location coagglomeration",
        colocation_matrix(
            &t,
            &CoLocationOptions {
                year: y1,
                signal: Signal::Coagglomeration,
                ..Default::default()
            }
        )?
        .len()
    );
    time!(
        "relatedness all counties x industries",
        relatedness(
            &t,
            &RelatednessOptions {
                year: y1,
                top_related: 3,
                ..Default::default()
            }
        )?
        .len()
    );
    time!(
        "strength industry level",
        strength(
            &t,
            &StrengthOptions {
                year: y1,
                level: Level::Industry,
                base: Base::Total,
                traded_only: false,
                ..Default::default()
            }
        )?
        .len()
    );
    time!(
        "strength cluster level",
        strength(
            &t,
            &StrengthOptions {
                year: y1,
                from_year: Some(y0),
                definitions: Some(&defs),
                ..Default::default()
            }
        )?
        .len()
    );
    time!(
        "prioritise one county",
        prioritise(
            &t,
            &PrioritiseOptions {
                region: region.clone(),
                year: y1,
                from_year: Some(y0),
                definitions: &defs,
                base: Base::TradedLocal,
                benchmark: Benchmark::AllRegions,
                weights: Weights::default(),
                organised_actors: None,
                traded_only: true,
            }
        )?
        .len()
    );
    time!(
        "report one county",
        report_html(
            &t,
            &ReportOptions {
                region,
                year: y1,
                from_year: Some(y0),
                definitions: &defs,
                base: Base::TradedLocal,
                benchmark: Benchmark::AllRegions,
                weights: Weights::default(),
                organised_actors: None,
                traded_only: true,
                top: 12,
            }
        )?
        .len()
    );
    Ok(())
}
