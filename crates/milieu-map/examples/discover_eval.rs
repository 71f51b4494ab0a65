//! Discovery quality on CBP against the CMP traded definitions (NAICS 2012, bridged).
//!
//! cargo run --release -p milieu-map --example discover_eval -- [YEAR] [K] [--baseline] [--ward]
//!     [--code-prior W] [--all-years]
//!
//! `--all-years` also loads the other CBP years (2017..2021) and averages their co-location in.
//!
//! Loads CBP YEAR (default 2021) at NAICS-6, bridges NAICS 2017 -> 2012, keeps the CMP traded
//! industries, aggregates counties to BEA economic areas, and runs discovery with the engine's
//! default method (views: counties + economic areas). `--baseline` runs the reference method
//! instead (average linkage on correlations of log(1+LQ) across economic areas, no neighbours).
//! Prints NMI and ARI against the CMP traded clusters.

use std::fs::File;
use std::io::BufReader;
use std::path::PathBuf;

use milieu_map::*;

fn data() -> PathBuf {
    std::env::var_os("MILIEU_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"))
}

fn main() -> anyhow_free::Result {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let year: u16 = args.first().and_then(|s| s.parse().ok()).unwrap_or(2021);
    let k: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let baseline = args.iter().any(|a| a == "--baseline");
    let ward = args.iter().any(|a| a == "--ward");
    let prior: f64 = args
        .iter()
        .position(|a| a == "--code-prior")
        .and_then(|p| args.get(p + 1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0.0);
    let all_years = args.iter().any(|a| a == "--all-years");
    let d = data();
    let years: Vec<u16> = if all_years {
        (2017..=2021).collect()
    } else {
        vec![year]
    };
    let mut b = TableBuilder::default();
    for y in &years {
        let cbp = d.join(format!("cbp-county-naics/cbp_county_naics2017_{y}.csv.gz"));
        read_cbp(
            flate2::read::GzDecoder::new(BufReader::new(File::open(&cbp)?)),
            &cbp.display().to_string(),
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
    let (county, report) = bridge(&county, &conc, Unmapped::Keep)?;
    let defs = read_cmp_definitions(
        File::open(d.join("us-cluster-definitions/cmp_cluster_naics_by_vintage.csv"))?,
        "cmp",
        "2012",
        "cmp2012",
    )?;
    defs.check_table(&county)?;
    let traded: Vec<String> = defs
        .rows()
        .into_iter()
        .filter(|r| r.traded == Some(true))
        .map(|r| r.industry)
        .collect();
    let h = read_bea_economic_areas(
        File::open(d.join("uscmp-region-cluster-2016/bea_economic_area_county_definition.csv"))?,
        "bea",
    )?;
    let (ea, dropped) = county.aggregate_regions(&h, "bea_ea", true)?;
    let traded_defs = {
        let mut t = Definitions::new("cmp2012-traded");
        for r in defs.rows().into_iter().filter(|r| r.traded == Some(true)) {
            t.insert(
                &r.industry,
                Cluster {
                    code: r.cluster_code,
                    name: r.cluster_name,
                    traded: Some(true),
                },
                None,
            )
            .map_err(anyhow_free::msg)?;
        }
        t
    };
    let n_clusters = if k > 0 { k } else { traded_defs.clusters.len() };
    let t0 = std::time::Instant::now();
    let opts = if baseline {
        DiscoverOptions {
            year,
            clusters: n_clusters,
            signals: vec![Signal::Employment],
            neighbours: 0,
            linkage: if ward {
                Linkage::Ward
            } else {
                Linkage::Average
            },
            industries: Some(&traded),
            ..Default::default()
        }
    } else {
        DiscoverOptions {
            year,
            extra_years: years.clone(),
            clusters: n_clusters,
            code_prior: prior,
            industries: Some(&traded),
            ..Default::default()
        }
    };
    let views: Vec<&Table> = if baseline {
        vec![&ea]
    } else {
        vec![&county, &ea]
    };
    let disc = discover(&views, &opts)?;
    let cmp = compare_with_definitions(&disc, &traded_defs)?;
    println!(
        "year {year}: {} bridged codes changed ({} split), {} counties outside BEA EAs dropped, {} EAs",
        report.len(),
        report.iter().filter(|r| r.kind == "split").count(),
        dropped.len(),
        ea.regions().len()
    );
    println!(
        "method: {} | views {} | years {} | signals {} | neighbours {} | linkage {} | code prior {}",
        if baseline {
            "baseline"
        } else {
            "milieu default"
        },
        disc.validation.views,
        disc.validation.years,
        disc.validation.signals,
        disc.validation.neighbours,
        disc.validation.linkage,
        disc.validation.code_prior
    );
    println!(
        "industries {} | K {} | NMI {:.3} | ARI {:.3} | mean silhouette {:.3} | clusters crossing 3-digit codes {:.0}% | {:.2}s",
        cmp.industries_compared,
        cmp.discovered_clusters,
        cmp.normalized_mutual_information,
        cmp.adjusted_rand_index,
        disc.validation.mean_silhouette,
        disc.validation.crossing_share * 100.0,
        t0.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Minimal error plumbing for an example (anyhow is for binaries; keep the example's
/// dependencies to the crate's own).
mod anyhow_free {
    pub type Result = std::result::Result<(), Box<dyn std::error::Error>>;
    pub fn msg(s: String) -> Box<dyn std::error::Error> {
        s.into()
    }
}
