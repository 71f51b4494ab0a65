//! Integration tests of milieu-map: published figures (CMP, REAT), hand-worked cases,
//! properties, and bad input. Tests needing ../shared/data skip with a message when absent.

use std::collections::HashMap;
use std::io::Read;
use std::path::PathBuf;

use milieu_map::*;

fn shared_data() -> Option<PathBuf> {
    let p = match std::env::var_os("MILIEU_SHARED_DATA") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"),
    };
    p.is_dir().then_some(p)
}

macro_rules! need_data {
    () => {
        match shared_data() {
            Some(p) => p,
            None => {
                println!("skipped: shared data folder not found (set MILIEU_SHARED_DATA)");
                return;
            }
        }
    };
}

fn open(path: &std::path::Path) -> Box<dyn Read + Send> {
    let f = std::fs::File::open(path).unwrap();
    if path.extension().is_some_and(|e| e == "gz") {
        Box::new(flate2::read::GzDecoder::new(std::io::BufReader::new(f)))
    } else {
        Box::new(std::io::BufReader::new(f))
    }
}

/// The CMP state x cluster file as records keyed by column name.
fn cmp_state_rows(data: &std::path::Path) -> Vec<HashMap<String, String>> {
    let mut rdr = csv::Reader::from_reader(open(
        &data.join("uscmp-region-cluster-2016/state_x_cluster_2016.csv.gz"),
    ));
    let header: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
    rdr.records()
        .map(|r| {
            let r = r.unwrap();
            header
                .iter()
                .cloned()
                .zip(r.iter().map(String::from))
                .collect()
        })
        .collect()
}

/// Long table (states + a `US` region) and identity definitions built from the CMP file.
/// US cluster employment is recovered as emp / cluster_emp_per_tf (median over states,
/// rounded: the US figures are integers), as SOURCE.txt describes.
fn cmp_long_table(rows: &[HashMap<String, String>]) -> (String, String) {
    let mut long =
        String::from("region,industry,year,employment,establishments,region_name,industry_name\n");
    let mut defs = String::from("industry,cluster_code,cluster_name,traded\n");
    let mut us: HashMap<String, Vec<f64>> = HashMap::new();
    let mut seen = std::collections::BTreeMap::new();
    for r in rows {
        let c = &r["cluster_code_t"];
        long.push_str(&format!(
            "{},{},2016,{},{},\"{}\",\"{}\"\n",
            r["region_code_t"],
            c,
            r["emp_tl"],
            r["est_tl"],
            r["region_name_t"],
            r["cluster_name_t"]
        ));
        seen.insert(
            c.clone(),
            (r["cluster_name_t"].clone(), r["traded_b"].clone()),
        );
        let emp: f64 = r["emp_tl"].parse().unwrap();
        let per: f64 = r["cluster_emp_per_tf"].parse().unwrap_or(0.0);
        if emp > 0.0 && per > 0.0 {
            us.entry(c.clone()).or_default().push(emp / per);
        }
    }
    for (c, (name, traded)) in &seen {
        defs.push_str(&format!("{c},{c},\"{name}\",{traded}\n"));
        let mut v = us.remove(c).unwrap();
        v.sort_by(f64::total_cmp);
        long.push_str(&format!(
            "US,{c},2016,{},,United States,\"{name}\"\n",
            v[v.len() / 2].round()
        ));
    }
    (long, defs)
}

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
        .map(|r| ((r.region.clone(), r.industry_or_cluster.clone()), r))
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
fn lq_against_all_regions_hand_worked() {
    // Two regions, two industries. Region A: x=10, y=30; B: x=30, y=30. Total 100, x=40.
    // LQ(A,x) = (10/40)/(40/100) = 0.625; LQ(B,x) = (30/60)/(0.4) = 1.25.
    let csv =
        "region,industry,year,employment\nA,x,2020,10\nA,y,2020,30\nB,x,2020,30\nB,y,2020,30\n";
    let mut b = TableBuilder::default();
    read_long(csv.as_bytes(), "t.csv", &LongOptions::default(), &mut b).unwrap();
    let t = b.build().unwrap();
    let rows = lq(
        &t,
        &LqOptions {
            year: 2020,
            ..Default::default()
        },
    )
    .unwrap();
    let get = |r: &str, i: &str| {
        rows.iter()
            .find(|x| x.region == r && x.industry_or_cluster == i)
            .unwrap()
            .lq
            .unwrap()
    };
    assert!((get("A", "x") - 0.625).abs() < 1e-12);
    assert!((get("B", "x") - 1.25).abs() < 1e-12);
    assert!((get("A", "y") - 1.25).abs() < 1e-12);
}

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
        .find(|r| r.region == "01001" && r.industry_or_cluster == "113310")
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
