//! Published figures reproduced: CMP location quotients and strong-cluster flags, REAT's
//! textbook LQ, CMP regions, CBP 2021 bridged to CMP 2012 definitions, Colorado definitions.
//! Tests needing the shared data folder skip with a message when it is absent.

use crate::common::*;
use milieu_map::*;
use std::collections::HashMap;

#[test]
fn cmp_state_lq_reproduces_published_lq_tf_traded_and_local() {
    let data = need_data!();
    let rows = cmp_state_rows(&data);
    let (long, defs) = cmp_long_table(&rows);
    let mut b = TableBuilder::default();
    read_long(long.as_bytes(), "cmp-long", &LongOptions::default(), &mut b).unwrap();
    let table = b.build().unwrap();
    let defs = read_definitions(defs.as_bytes(), "cmp-defs", "cmp-identity").unwrap();
    let out = lq(
        &table,
        &LqOptions {
            year: 2016,
            level: Level::Industry,
            definitions: Some(&defs),
            base: Base::TradedLocal,
            benchmark: Benchmark::Region("US".into()),
        },
    )
    .unwrap();
    let ours: HashMap<(String, String), &LqRow> = out
        .iter()
        .map(|r| ((r.region.to_string(), r.industry_or_cluster.to_string()), r))
        .collect();
    let (mut checked, mut traded, mut local) = (0, 0, 0);
    let mut worst = 0.0f64;
    for r in &rows {
        let published: f64 = r["lq_tf"].parse().unwrap_or(0.0);
        if published == 0.0 {
            continue;
        }
        let mine = ours[&(r["region_code_t"].clone(), r["cluster_code_t"].clone())];
        let rel = (mine.lq.unwrap() - published).abs() / published;
        worst = worst.max(rel);
        assert!(
            rel < 1e-6,
            "{} {}: ours {} published {published}",
            r["region_code_t"],
            r["cluster_code_t"],
            mine.lq.unwrap()
        );
        assert_eq!(
            mine.base,
            if r["traded_b"] == "TRUE" {
                "traded"
            } else {
                "local"
            }
        );
        checked += 1;
        if r["traded_b"] == "TRUE" {
            traded += 1
        } else {
            local += 1
        }
    }
    assert!(
        traded > 2400 && local > 750,
        "{traded} traded, {local} local rows"
    );
    println!(
        "checked {checked} rows ({traded} traded, {local} local), worst relative error {worst:e}"
    );
}

#[test]
fn reat_textbook_locq() {
    let v = locq(1714.0, 79006.0, 879213.0, 15593224.0);
    assert!((v - 0.3847623).abs() < 5e-8, "{v}");
}

#[test]
fn cmp_strong_cluster_flags_reproduce_published_strong_b() {
    let data = need_data!();
    let rows = cmp_state_rows(&data);
    let (long, defs) = cmp_long_table(&rows);
    let mut b = TableBuilder::default();
    read_long(long.as_bytes(), "cmp-long", &LongOptions::default(), &mut b).unwrap();
    let table = b.build().unwrap();
    let defs = read_definitions(defs.as_bytes(), "cmp-defs", "cmp-identity").unwrap();
    let out = strength(
        &table,
        &StrengthOptions {
            year: 2016,
            level: Level::Industry,
            definitions: Some(&defs),
            base: Base::TradedLocal,
            benchmark: Benchmark::Region("US".into()),
            ..Default::default()
        },
    )
    .unwrap();
    let ours: HashMap<(String, String), &StrengthRow> = out
        .iter()
        .map(|r| ((r.region.clone(), r.industry_or_cluster.clone()), r))
        .collect();
    let (mut n, mut strong) = (0, 0);
    for r in rows
        .iter()
        .filter(|r| r["traded_b"] == "TRUE" && r["emp_tl"] != "0")
    {
        let mine = ours[&(r["region_code_t"].clone(), r["cluster_code_t"].clone())];
        let want = |k: &str| r[k] == "TRUE";
        assert_eq!(
            mine.strong,
            Some(want("strong_b")),
            "{} {}",
            r["region_code_t"],
            r["cluster_code_t"]
        );
        assert_eq!(
            mine.strong10,
            Some(want("strong10_b")),
            "{} {}",
            r["region_code_t"],
            r["cluster_code_t"]
        );
        n += 1;
        strong += want("strong_b") as usize;
    }
    assert!(n > 2400 && strong > 400, "{n} rows, {strong} strong");
    // Local clusters get no CMP flag.
    assert!(
        out.iter()
            .filter(|r| r.traded == Some(false))
            .all(|r| r.strong.is_none())
    );
}

#[test]
fn cmp_region_file_gives_county_parents() {
    let data = need_data!();
    let h = read_cmp_regions(
        open(&data.join("uscmp-region-cluster-2016/cmp_regions_with_member_counties.csv.gz")),
        "cmp_regions",
    )
    .unwrap();
    assert_eq!(h.levels(), vec!["economic", "msa", "state"]);
    assert_eq!(h.parent("state", "01001"), Some("01"));
    assert_eq!(h.parent("msa", "01095"), Some("10700"));
    assert_eq!(h.parent("economic", "02013"), Some("57008"));
    let bea = read_bea_economic_areas(
        open(&data.join("uscmp-region-cluster-2016/bea_economic_area_county_definition.csv")),
        "bea",
    )
    .unwrap();
    assert_eq!(bea.parent("bea_ea", "38001"), Some("001"));
}

#[test]
fn cbp_2021_bridges_into_cmp_2012_definitions() {
    let data = need_data!();
    let mut b = TableBuilder::default();
    let rep = read_cbp(
        open(&data.join("cbp-county-naics/cbp_county_naics2017_2021.csv.gz")),
        "cbp2021",
        &CbpOptions::default(),
        &mut b,
    )
    .unwrap();
    assert_eq!(rep.lines, 566_684);
    assert_eq!(rep.rows_kept, 177_398);
    assert_eq!(rep.years, vec![2021]);
    let t = b.build().unwrap();
    assert_eq!(t.regions().len(), 1875);
    assert_eq!(t.industries().len(), 931);
    let conc = read_naics_concordance(
        open(&data.join("naics-concordance/NAICS_Crosswalk_TimeSeries_2002_2007_2012_2017.csv")),
        "crosswalk",
        "2017",
        "2012",
    )
    .unwrap();
    let (bridged, report) = bridge(&t, &conc, Unmapped::Keep).unwrap();
    assert!(report.iter().all(|r| r.kind != "unmapped"));
    assert_eq!(report.iter().filter(|r| r.kind == "split").count(), 9);
    assert_eq!(report.len(), 20);
    let defs = read_cmp_definitions(
        open(&data.join("us-cluster-definitions/cmp_cluster_naics_by_vintage.csv")),
        "cmp",
        "2012",
        "cmp2012",
    )
    .unwrap();
    assert_eq!(defs.industry_count(), 978);
    defs.check_table(&bridged).unwrap();
    // Unbridged 2017 codes are not all known to the 2012 definitions: a clear error.
    let e = defs.check_table(&t).unwrap_err();
    assert!(
        e.to_string().contains("unknown to definitions `cmp2012`"),
        "{e}"
    );
    // Employment is conserved by bridging.
    let total = |tab: &Table| (0..tab.len()).map(|i| tab.row(i).employment).sum::<f64>();
    assert!((total(&t) - total(&bridged)).abs() < 1e-6 * total(&t));
}

#[test]
fn colorado_custom_definitions_overlap_and_aggregate() {
    let data = need_data!();
    let path = data.join("us-cluster-definitions/colorado_regional_cluster_definitions.csv");
    let d =
        read_colorado_definitions(open(&path), "colorado", "Metro Denver", "metro-denver").unwrap();
    assert_eq!(d.clusters.len(), 10);
    assert_eq!(d.industry_count(), 283);
    assert!(d.overlapping());
    let e = read_colorado_definitions(open(&path), "colorado", "Boulder", "x").unwrap_err();
    assert!(e.to_string().contains("Metro Denver"), "{e}");
    // An industry in two clusters counts in both cluster sums.
    let (ind, clusters) = d
        .rows()
        .iter()
        .map(|r| r.industry.clone())
        .find_map(|i| {
            let c = d.clusters_of(&i);
            (c.len() > 1).then(|| {
                (
                    i.clone(),
                    c.iter().map(|c| c.code.clone()).collect::<Vec<_>>(),
                )
            })
        })
        .unwrap();
    let mut b = TableBuilder::default();
    b.push_codes(2021, "R", &ind, 100.0, None, None);
    let t = b.build().unwrap();
    let agg = d.aggregate(&t).unwrap();
    assert_eq!(agg.len(), clusters.len());
    assert!((0..agg.len()).all(|i| agg.row(i).employment == 100.0));
}
