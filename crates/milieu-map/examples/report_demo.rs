//! Render the HTML report for one state from CBP 2017 + 2021 (bridged to NAICS 2012, CMP
//! definitions, counties aggregated to states with the CMP region file).
//!
//! cargo run --release -p milieu-map --example report_demo -- STATE_FIPS OUT.html

use std::fs::File;
use std::io::BufReader;
use std::path::PathBuf;

use milieu_map::*;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let state = args.first().cloned().unwrap_or_else(|| "53".into());
    let out = args.get(1).cloned().unwrap_or_else(|| "report.html".into());
    let d = std::env::var_os("MILIEU_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"));
    let mut b = TableBuilder::default();
    for y in [2017, 2021] {
        let p = d.join(format!("cbp-county-naics/cbp_county_naics2017_{y}.csv.gz"));
        read_cbp(
            flate2::read::GzDecoder::new(BufReader::new(File::open(&p)?)),
            &p.display().to_string(),
            &CbpOptions::default(),
            &mut b,
        )?;
    }
    let county = b.build()?;
    let conc = read_naics_concordance(
        File::open(d.join("naics-concordance/NAICS_Crosswalk_TimeSeries_2002_2007_2012_2017.csv"))?,
        "concordance",
        "2017",
        "2012",
    )?;
    let (county, _) = bridge(&county, &conc, Unmapped::Keep)?;
    let defs = read_cmp_definitions(
        File::open(d.join("us-cluster-definitions/cmp_cluster_naics_by_vintage.csv"))?,
        "cmp",
        "2012",
        "CMP 2012",
    )?;
    let h = read_cmp_regions(
        flate2::read::GzDecoder::new(File::open(
            d.join("uscmp-region-cluster-2016/cmp_regions_with_member_counties.csv.gz"),
        )?),
        "cmp-regions",
    )?;
    let (states, dropped) = county.aggregate_regions(&h, "state", true)?;
    eprintln!(
        "{} counties not in the CMP region file dropped: {:?}",
        dropped.len(),
        dropped
    );
    let t = std::time::Instant::now();
    let html = report_html(
        &states,
        &ReportOptions {
            region: state,
            year: 2021,
            from_year: Some(2017),
            definitions: &defs,
            base: Base::TradedLocal,
            benchmark: Benchmark::AllRegions,
            weights: Weights::default(),
            organised_actors: None,
            traded_only: true,
            top: 12,
        },
    )?;
    std::fs::write(&out, &html)?;
    eprintln!(
        "wrote {out} ({} bytes) in {:.3}s",
        html.len(),
        t.elapsed().as_secs_f64()
    );
    Ok(())
}
