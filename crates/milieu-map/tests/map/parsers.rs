//! Input formats: long tables and CBP files (levels, totals, read sizes, bad input naming
//! line, column and value), hierarchies, concordances, and the long format's round trip.

use crate::common::*;
use milieu_map::*;
use milieu_model::ErrorCode;
use std::io::Read;

#[test]
fn long_table_bad_input_names_line_column_value() {
    for (csv, col, val) in [
        (
            "region,industry,year,employment\nA,x,2020,10\nA,y,2020,-3\n",
            "employment",
            "-3",
        ),
        (
            "region,industry,year,employment\nA,x,2020,ten\n",
            "employment",
            "ten",
        ),
        (
            "region,industry,year,employment\nA,x,20x0,1\n",
            "year",
            "20x0",
        ),
    ] {
        let mut b = TableBuilder::default();
        let e = read_long(csv.as_bytes(), "bad.csv", &LongOptions::default(), &mut b).unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.contains("bad.csv:") && msg.contains(col) && msg.contains(val),
            "{msg}"
        );
        assert_eq!(e.code(), "map.bad_field");
    }
    let mut b = TableBuilder::default();
    let e = read_long(
        "region,industry,emp\n".as_bytes(),
        "h.csv",
        &LongOptions::default(),
        &mut b,
    )
    .unwrap_err();
    assert!(
        e.to_string().contains("missing required column `year`"),
        "{e}"
    );
    let mut b = TableBuilder::default();
    read_long(
        "region,industry,year,employment\nA,x,2020,1\nA,x,2020,2\n".as_bytes(),
        "d.csv",
        &LongOptions::default(),
        &mut b,
    )
    .unwrap();
    assert!(matches!(b.build(), Err(Error::Duplicate { .. })));
}

const CBP_SAMPLE: &str = "state_fips,county_fips,fips5,county_name,year,naics2017,naics_digits,naics_label,estab,emp,payann_kusd
01,001,01001,\"Autauga County, Alabama\",2021,00,0,Total for all sectors,924,11216,424826
01,001,01001,\"Autauga County, Alabama\",2021,11,2,\"Agriculture, forestry, fishing and hunting\",10,78,5107
01,001,01001,\"Autauga County, Alabama\",2021,113310,6,Logging,7,68,4563
01,001,01001,\"Autauga County, Alabama\",2021,212321,6,Construction sand and gravel mining,6,87,5144
01,003,01003,\"Baldwin County, Alabama\",2021,00,0,Total for all sectors,5000,60000,2000000
01,003,01003,\"Baldwin County, Alabama\",2021,113310,6,Logging,3,0,0
";

#[test]
fn cbp_parser_reads_level_and_totals() {
    let mut b = TableBuilder::default();
    // A tiny chunk would still work; the sample also has no trailing-newline edge.
    let rep = read_cbp(
        CBP_SAMPLE.as_bytes(),
        "cbp.csv",
        &CbpOptions::default(),
        &mut b,
    )
    .unwrap();
    assert_eq!(rep.rows_kept, 3);
    assert_eq!(rep.totals_rows, 2);
    assert_eq!(rep.zero_employment_rows, 1);
    assert_eq!(rep.code_column, "naics2017");
    let t = b.build().unwrap();
    assert_eq!(
        t.regions().name(t.regions().get("01001").unwrap()),
        "Autauga County, Alabama"
    );
    assert_eq!(t.totals(2021, 0).unwrap().employment, 11216.0);
    assert_eq!(t.totals(2021, 0).unwrap().payroll, 424826000.0);
    // LQ of logging in Autauga: (68/11216)/(68/71216).
    let rows = lq(
        &t,
        &LqOptions {
            year: 2021,
            ..Default::default()
        },
    )
    .unwrap();
    let r = rows
        .iter()
        .find(|r| &*r.region == "01001" && &*r.industry_or_cluster == "113310")
        .unwrap();
    assert!((r.lq.unwrap() - (68.0 / 11216.0) / (68.0 / 71216.0)).abs() < 1e-12);

    let bad = CBP_SAMPLE.replace(",7,68,4563", ",7,-68,4563");
    let mut b = TableBuilder::default();
    let e = read_cbp(bad.as_bytes(), "cbp.csv", &CbpOptions::default(), &mut b).unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.contains("cbp.csv:4") && msg.contains("emp") && msg.contains("-68"),
        "{msg}"
    );
    let bad = CBP_SAMPLE.replace(",7,68,4563", ",7,n/a,4563");
    let mut b = TableBuilder::default();
    let e = read_cbp(bad.as_bytes(), "cbp.csv", &CbpOptions::default(), &mut b).unwrap_err();
    assert!(e.to_string().contains("n/a"), "{e}");
}

/// A reader that returns one byte at a time: chunk boundaries fall inside lines.
struct Trickle<'a>(&'a [u8]);
impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.0.is_empty() || buf.is_empty() {
            return Ok(0);
        }
        buf[0] = self.0[0];
        self.0 = &self.0[1..];
        Ok(1)
    }
}

#[test]
fn cbp_parser_is_independent_of_read_sizes() {
    let mut a = TableBuilder::default();
    read_cbp(CBP_SAMPLE.as_bytes(), "a", &CbpOptions::default(), &mut a).unwrap();
    let mut b = TableBuilder::default();
    read_cbp(
        Trickle(CBP_SAMPLE.as_bytes()),
        "b",
        &CbpOptions::default(),
        &mut b,
    )
    .unwrap();
    let (a, b) = (a.build().unwrap(), b.build().unwrap());
    assert_eq!(a.len(), b.len());
    for i in 0..a.len() {
        assert_eq!(a.row(i).employment, b.row(i).employment);
    }
}

#[test]
fn region_missing_from_hierarchy_and_unknown_industry_are_errors() {
    let csv = "region,industry,year,employment\n01001,x,2020,10\n99999,y,2020,30\n";
    let mut b = TableBuilder::default();
    read_long(csv.as_bytes(), "t.csv", &LongOptions::default(), &mut b).unwrap();
    let t = b.build().unwrap();
    let h = read_hierarchy("region,level,parent\n01001,state,01\n".as_bytes(), "h.csv").unwrap();
    let e = t.aggregate_regions(&h, "state", false).unwrap_err();
    assert!(
        e.to_string().contains("99999") && e.to_string().contains("state"),
        "{e}"
    );
    let (agg, dropped) = t.aggregate_regions(&h, "state", true).unwrap();
    assert_eq!(dropped, vec!["99999".to_string()]);
    assert_eq!(agg.len(), 1);

    let d = read_definitions(
        "industry,cluster_code,cluster_name,traded\nx,C,Cx,true\n".as_bytes(),
        "d.csv",
        "mine",
    )
    .unwrap();
    let e = lq(
        &t,
        &LqOptions {
            year: 2020,
            level: Level::Cluster,
            definitions: Some(&d),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert!(
        e.to_string().contains(": y (") && e.to_string().contains("`mine`"),
        "{e}"
    );
    assert_eq!(e.code(), "map.unknown_industry");
}

#[test]
fn concordance_splits_equally_and_reports_unmapped() {
    let conc = Concordance::from_pairs(
        "2017",
        "2012",
        [
            ("111", "111"),
            ("222", "220"),
            ("333", "331"),
            ("333", "332"),
        ],
    );
    let csv = "region,industry,year,employment,establishments\nR,111,2020,10,1\nR,222,2020,20,2\nR,333,2020,30,4\nR,999,2020,5,1\n";
    let mut b = TableBuilder::default();
    read_long(csv.as_bytes(), "t.csv", &LongOptions::default(), &mut b).unwrap();
    let t = b.build().unwrap();
    let (kept, report) = bridge(&t, &conc, Unmapped::Keep).unwrap();
    let emp = |tab: &Table, code: &str| {
        let id = tab.industries().get(code).unwrap();
        (0..tab.len())
            .map(|i| tab.row(i))
            .find(|r| r.industry == id)
            .unwrap()
    };
    assert_eq!(emp(&kept, "331").employment, 15.0);
    assert_eq!(emp(&kept, "332").establishments, 2.0);
    assert_eq!(emp(&kept, "220").employment, 20.0);
    assert_eq!(emp(&kept, "999").employment, 5.0);
    let kinds: Vec<(&str, &str, &str)> = report
        .iter()
        .map(|r| (r.kind.as_str(), r.code.as_str(), r.action.as_str()))
        .collect();
    assert_eq!(
        kinds,
        vec![
            ("renamed", "222", "moved"),
            ("split", "333", "divided equally in 2"),
            ("unmapped", "999", "kept")
        ]
    );
    let (dropped, report) = bridge(&t, &conc, Unmapped::Drop).unwrap();
    assert!(dropped.industries().get("999").is_none());
    assert_eq!(
        report.iter().find(|r| r.kind == "unmapped").unwrap().action,
        "dropped"
    );
    // Total employment is conserved except for the dropped code.
    let total = |tab: &Table| (0..tab.len()).map(|i| tab.row(i).employment).sum::<f64>();
    assert_eq!(total(&kept), 65.0);
    assert_eq!(total(&dropped), 60.0);
}

#[test]
fn lq_rows_serialise_with_the_documented_columns() {
    let t = textbook_table();
    let rows = lq(
        &t,
        &LqOptions {
            year: 2000,
            ..Default::default()
        },
    )
    .unwrap();
    let v = serde_json::to_value(&rows[0]).unwrap();
    for k in [
        "region",
        "region_name",
        "industry_or_cluster",
        "name",
        "year",
        "employment",
        "base",
        "region_base",
        "benchmark_employment",
        "benchmark_base",
        "region_share",
        "benchmark_share",
        "lq",
    ] {
        assert!(v.get(k).is_some(), "missing column {k}");
    }
    assert_eq!(v["region"], "A");
    assert_eq!(v["base"], "total");
    let mut w = csv::Writer::from_writer(Vec::new());
    w.serialize(&rows[0]).unwrap();
    let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
    assert!(
        text.starts_with("region,region_name,industry_or_cluster,name,year,employment,base,"),
        "{text}"
    );
}

#[test]
fn records_round_trip_through_the_long_format() {
    let mut b = TableBuilder::default();
    read_cbp(
        CBP_SAMPLE.as_bytes(),
        "cbp.csv",
        &CbpOptions::default(),
        &mut b,
    )
    .unwrap();
    let t = b.build().unwrap();
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in t.records() {
        w.serialize(r).unwrap();
    }
    let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
    assert!(text.starts_with(
        "region,industry,year,employment,establishments,payroll,region_name,industry_name\n"
    ));
    let mut b2 = TableBuilder::default();
    read_long(
        text.as_bytes(),
        "export.csv",
        &LongOptions::default(),
        &mut b2,
    )
    .unwrap();
    let t2 = b2.build().unwrap();
    assert_eq!(t.len(), t2.len());
    for (a, c) in t.records().zip(t2.records()) {
        assert_eq!(
            (
                a.region,
                a.industry,
                a.year,
                a.employment,
                a.establishments,
                a.payroll
            ),
            (
                c.region,
                c.industry,
                c.year,
                c.employment,
                c.establishments,
                c.payroll
            )
        );
        assert_eq!(a.region_name, c.region_name);
    }
    assert_eq!(t.total_records().len(), 2);
}
