//! Integration tests of milieu-map: published figures (CMP, REAT), hand-worked cases,
//! properties, and bad input. Tests needing ../shared/data skip with a message when absent.

use milieu_model::ErrorCode;
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
            .find(|x| &*x.region == r && &*x.industry_or_cluster == i)
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

/// REAT / Farhauer-Kroell textbook regions A, B, C (the nation is their sum).
fn textbook_table() -> Table {
    let data = [
        ("A", [90.0, 20.0, 10.0, 60.0], [100.0, 40.0, 10.0, 55.0]),
        ("B", [60.0, 30.0, 30.0, 40.0], [85.0, 55.0, 40.0, 35.0]),
        (
            "C",
            [250.0, 100.0, 110.0, 300.0],
            [255.0, 115.0, 85.0, 390.0],
        ),
    ];
    let mut b = TableBuilder::default();
    for (r, t0, t1) in data {
        for i in 0..4 {
            b.push_codes(2000, r, &format!("i{i}"), t0[i], None, None);
            b.push_codes(2001, r, &format!("i{i}"), t1[i], None, None);
        }
    }
    b.build().unwrap()
}

#[test]
fn shift_share_textbook_region_a() {
    let t = textbook_table();
    let ss = shift_share(
        &t,
        &ShiftShareOptions {
            from: 2000,
            to: 2001,
            ..Default::default()
        },
    )
    .unwrap();
    // Nation: 1100 -> 1265, G = 0.15; industry 0: 400 -> 440, g = 0.10.
    let a0 = ss
        .rows
        .iter()
        .find(|r| r.region == "A" && r.industry_or_cluster == "i0")
        .unwrap();
    assert!((a0.benchmark_growth - 0.15).abs() < 1e-12);
    assert!((a0.national_share - 13.5).abs() < 1e-9);
    assert!((a0.industry_mix - (-4.5)).abs() < 1e-9);
    assert!((a0.regional_shift - 1.0).abs() < 1e-9);
    // Esteban-Marquillas: homothetic = 180 * 400/1100.
    let hom = 180.0 * 400.0 / 1100.0;
    assert!((a0.homothetic_employment - hom).abs() < 1e-9);
    assert!((a0.competitive_effect - hom * (10.0 / 90.0 - 0.1)).abs() < 1e-9);
    let a = ss.regions.iter().find(|r| r.region == "A").unwrap();
    assert_eq!(a.change, 25.0);
    assert!((a.national_share + a.industry_mix + a.regional_shift - 25.0).abs() < 1e-9);
    // Nation-wide, regional shifts cancel out.
    let rs: f64 = ss.regions.iter().map(|r| r.regional_shift).sum();
    assert!(rs.abs() < 1e-9, "{rs}");
}

#[test]
fn diversity_and_concentration_hand_worked() {
    let t = textbook_table();
    let d = diversity(
        &t,
        &IndexOptions {
            year: 2000,
            ..Default::default()
        },
    )
    .unwrap();
    let a = d.iter().find(|r| r.region == "A").unwrap();
    // A shares: 0.5, 1/9, 1/18, 1/3; nation: 4/11, 3/22, 3/22, 4/11.
    let s: [f64; 4] = [0.5, 1.0 / 9.0, 1.0 / 18.0, 1.0 / 3.0];
    let n: [f64; 4] = [4.0 / 11.0, 3.0 / 22.0, 3.0 / 22.0, 4.0 / 11.0];
    let k: f64 = s.iter().zip(&n).map(|(a, b)| (a - b).abs()).sum();
    assert!((a.krugman - k).abs() < 1e-12 && (a.hoover - k / 2.0).abs() < 1e-12);
    assert!((a.herfindahl - s.iter().map(|v| v * v).sum::<f64>()).abs() < 1e-12);
    assert!((a.entropy + s.iter().map(|v| v * v.ln()).sum::<f64>()).abs() < 1e-12);

    // Ellison-Glaeser: x = (0.5, 0.5), industry all in region 1, H = 0.1 -> gamma = 1.
    assert!((ellison_glaeser(&[1.0, 0.0], &[0.5, 0.5], 0.1) - 1.0).abs() < 1e-12);
    // An industry spread exactly like total employment has G = 0 and Gini 0.
    assert!(locational_gini(&[0.2, 0.3, 0.5], &[0.2, 0.3, 0.5]).abs() < 1e-12);
    // All in the smallest region (x = 0.1): Lorenz area = 0.9 * 0 + 0.1 * 1 -> Gini 0.9.
    assert!((locational_gini(&[0.0, 0.0, 1.0], &[0.5, 0.4, 0.1]) - 0.9).abs() < 1e-12);
    assert!((plant_herfindahl(&[1.0, 1.0, 2.0]) - (0.0625 + 0.0625 + 0.25)).abs() < 1e-12);
    let c = concentration(
        &t,
        &IndexOptions {
            year: 2000,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(c.len(), 4);
    assert!(
        c.iter()
            .all(|r| r.ellison_glaeser.is_none() && r.herfindahl_method == "not available")
    );
}

#[test]
fn ellison_glaeser_textbook_firms() {
    // Farhauer/Kroell (2014) example in REAT's data: firms x industries x 3 regions.
    let data = need_data!();
    let mut rdr = csv::Reader::from_reader(open(
        &data.join("reat-germany-regional-employment/FK2014_EGC.csv"),
    ));
    let mut firms: HashMap<String, Vec<(usize, f64)>> = HashMap::new();
    let mut region_emp = [0.0f64; 3];
    for r in rdr.records() {
        let r = r.unwrap();
        let reg = r[0].parse::<f64>().unwrap() as usize - 1;
        firms
            .entry(r[1].to_string())
            .or_default()
            .push((reg, r[3].parse().unwrap()));
        region_emp[reg] = r[4].parse().unwrap();
    }
    let tot: f64 = region_emp.iter().sum();
    let x: Vec<f64> = region_emp.iter().map(|v| v / tot).collect();
    for (industry, f) in &firms {
        let ei: f64 = f.iter().map(|p| p.1).sum();
        let mut s = vec![0.0; 3];
        for (r, e) in f {
            s[*r] += e / ei;
        }
        let h = plant_herfindahl(&f.iter().map(|p| p.1).collect::<Vec<_>>());
        let g = ellison_glaeser(&s, &x, h);
        // gamma is bounded above by 1 and, for these near-even industries, small.
        assert!(g < 1.0 && g > -1.0, "{industry}: {g}");
    }
}

mod props {
    use super::*;
    use proptest::prelude::*;

    fn table_from(e0: &[Vec<u32>], e1: &[Vec<u32>]) -> Table {
        let mut b = TableBuilder::default();
        for (r, (a, c)) in e0.iter().zip(e1).enumerate() {
            for i in 0..a.len() {
                if a[i] > 0 {
                    b.push_codes(
                        2000,
                        &format!("r{r}"),
                        &format!("i{i}"),
                        a[i] as f64,
                        None,
                        None,
                    );
                }
                if c[i] > 0 {
                    b.push_codes(
                        2005,
                        &format!("r{r}"),
                        &format!("i{i}"),
                        c[i] as f64,
                        None,
                        None,
                    );
                }
            }
        }
        b.build().unwrap()
    }

    proptest! {
        #[test]
        fn shift_share_components_add_to_change(
            (e0, e1) in (2usize..6, 2usize..6).prop_flat_map(|(nr, ni)| (
                proptest::collection::vec(proptest::collection::vec(0u32..5000, ni), nr),
                proptest::collection::vec(proptest::collection::vec(0u32..5000, ni), nr),
            ))
        ) {
            let t = table_from(&e0, &e1);
            prop_assume!(t.years().len() == 2);
            let ss = shift_share(&t, &ShiftShareOptions { from: 2000, to: 2005, ..Default::default() }).unwrap();
            for r in &ss.rows {
                let scale = 1.0 + r.employment_from.abs() + r.employment_to.abs();
                prop_assert!((r.national_share + r.industry_mix + r.regional_shift - r.change).abs() <= 1e-9 * scale);
                prop_assert!((r.competitive_effect + r.allocation_effect - r.regional_shift).abs() <= 1e-9 * scale);
            }
            for r in &ss.regions {
                let scale = 1.0 + r.employment_from + r.employment_to;
                prop_assert!((r.national_share + r.industry_mix + r.regional_shift - r.change).abs() <= 1e-9 * scale);
                prop_assert!((r.competitive_effect + r.allocation_effect - r.regional_shift).abs() <= 1e-9 * scale);
            }
        }

        #[test]
        fn sparse_correlation_matches_dense_definition(
            m in (3usize..8, 2usize..6).prop_flat_map(|(nr, ni)|
                proptest::collection::vec(proptest::collection::vec(0u32..100, ni), nr))
        ) {
            let t = table_from(&m, &m);
            let sim = colocation_matrix(&t, &CoLocationOptions {
                year: 2000, transform: Transform::Raw, ..Default::default()
            }).unwrap();
            let nr = t.regions().len();
            for a in 0..sim.len() {
                for b in 0..sim.len() {
                    let col = |code: &str| -> Vec<f64> {
                        let i = t.industries().get(code).unwrap();
                        (0..nr as u32).map(|r| {
                            let rr = t.year_range(2000).find(|&k| t.row(k).region == r && t.row(k).industry == i);
                            rr.map_or(0.0, |k| t.row(k).employment)
                        }).collect()
                    };
                    let (x, y) = (col(&sim.codes[a]), col(&sim.codes[b]));
                    let n = x.len() as f64;
                    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
                    let cov: f64 = x.iter().zip(&y).map(|(p, q)| (p - mx) * (q - my)).sum::<f64>();
                    let vx: f64 = x.iter().map(|p| (p - mx) * (p - mx)).sum::<f64>();
                    let vy: f64 = y.iter().map(|q| (q - my) * (q - my)).sum::<f64>();
                    let want = if a == b { 1.0 } else if vx > 0.0 && vy > 0.0 { cov / (vx * vy).sqrt() } else { 0.0 };
                    prop_assert!((sim.get(a, b) - want).abs() < 1e-9, "{} vs {}", sim.get(a, b), want);
                }
            }
        }
    }
}

#[test]
fn ari_and_nmi_match_scikit_learn() {
    // Values from scikit-learn 1.x adjusted_rand_score / normalized_mutual_info_score
    // (arithmetic normalisation) on the same labels (bench/.venv, see docs/mapping.md).
    let x = [
        4, 0, 0, 1, 0, 4, 4, 2, 0, 0, 1, 2, 3, 2, 1, 0, 3, 3, 0, 0, 2, 1, 4, 2, 2, 2, 3, 2, 0, 3,
        3, 4, 3, 1, 1, 3, 3, 3, 4, 1,
    ];
    let y = [
        6, 0, 0, 6, 6, 2, 0, 2, 0, 6, 4, 4, 1, 3, 1, 5, 3, 0, 1, 4, 3, 2, 1, 0, 4, 4, 3, 6, 6, 1,
        4, 4, 1, 2, 3, 5, 2, 5, 4, 1,
    ];
    assert!((adjusted_rand_index(&x, &y) - -0.00919793966151582).abs() < 1e-12);
    assert!((normalized_mutual_information(&x, &y) - 0.2012036403341114).abs() < 1e-12);
    let a = [0, 0, 0, 1, 1, 1, 2, 2, 2];
    let b = [0, 0, 1, 1, 1, 2, 2, 2, 2];
    assert!((adjusted_rand_index(&a, &b) - 0.35714285714285715).abs() < 1e-12);
    assert!((normalized_mutual_information(&a, &b) - 0.589509827447305).abs() < 1e-12);
    assert_eq!(adjusted_rand_index(&a, &a), 1.0);
}

#[test]
fn discovery_recovers_planted_co_location_groups() {
    // Two groups of three industries that co-locate in disjoint sets of regions.
    let mut b = TableBuilder::default();
    for r in 0..12u32 {
        let group = r % 2;
        for i in 0..6u32 {
            let in_group = i / 3 == group;
            let emp = if in_group {
                100.0 + (r * 7 + i * 13) as f64 % 50.0
            } else {
                1.0 + (r + i) as f64 % 3.0
            };
            b.push_codes(
                2020,
                &format!("r{r:02}"),
                &format!("{}{i}", if i < 3 { "31" } else { "54" }),
                emp,
                Some(emp / 10.0 + 1.0),
                None,
            );
        }
    }
    let t = b.build().unwrap();
    let d = discover(
        &[&t],
        &DiscoverOptions {
            year: 2020,
            clusters: 2,
            neighbours: 2,
            ..Default::default()
        },
    )
    .unwrap();
    let lab: Vec<&str> = d.industries.iter().map(|r| r.cluster.as_str()).collect();
    assert_eq!(lab[0], lab[1]);
    assert_eq!(lab[1], lab[2]);
    assert_eq!(lab[3], lab[4]);
    assert_ne!(lab[0], lab[3]);
    assert!(d.validation.mean_silhouette > 0.5, "{:?}", d.validation);
    let defs = read_definitions(
        "industry,cluster_code,cluster_name,traded\n310,A,A,1\n311,A,A,1\n312,A,A,1\n543,B,B,1\n544,B,B,1\n545,B,B,1\n".as_bytes(),
        "d.csv",
        "planted",
    )
    .unwrap();
    let c = compare_with_definitions(&d, &defs).unwrap();
    assert_eq!(c.adjusted_rand_index, 1.0);
    assert!((c.normalized_mutual_information - 1.0).abs() < 1e-12);
}

#[test]
fn report_is_self_contained_and_escapes_data() {
    let csv = "region,industry,year,employment,establishments,region_name\n\
        R1,a,2019,100,10,\"<script>alert(1)</script> & Co\"\nR1,b,2019,50,5,x\nR2,a,2019,20,4,y\nR2,b,2019,200,20,y\nR3,a,2019,60,6,z\nR3,b,2019,60,6,z\n\
        R1,a,2021,130,11,x\nR1,b,2021,40,5,x\nR2,a,2021,25,4,y\nR2,b,2021,210,20,y\nR3,a,2021,70,6,z\nR3,b,2021,65,6,z\n";
    let mut b = TableBuilder::default();
    read_long(csv.as_bytes(), "t.csv", &LongOptions::default(), &mut b).unwrap();
    let t = b.build().unwrap();
    let defs = read_definitions(
        "industry,cluster_code,cluster_name,traded\na,A,Alpha <tools>,true\nb,B,Beta,true\n"
            .as_bytes(),
        "d.csv",
        "mine",
    )
    .unwrap();
    let html = report_html(
        &t,
        &ReportOptions {
            region: "R1".into(),
            year: 2021,
            from_year: None,
            definitions: &defs,
            base: Base::TradedLocal,
            benchmark: Benchmark::AllRegions,
            weights: Weights::default(),
            organised_actors: None,
            traded_only: true,
            top: 5,
        },
    )
    .unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.ends_with("</html>"));
    assert!(!html.contains("<script>"), "data must be escaped");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co"));
    assert!(html.contains("Alpha &lt;tools&gt;"));
    assert!(
        !html.contains("src=") && !html.contains("href="),
        "no external resources"
    );
    assert_eq!(
        html.matches("<svg").count(),
        4,
        "bubble, top clusters, shift-share, related"
    );
    // Growth from the table's first year was used.
    assert!(html.contains("from 2019 to 2021"));
    assert_eq!(escape("a<b>\"'&"), "a&lt;b&gt;&quot;&#39;&amp;");
}

#[test]
fn prioritise_parts_sum_to_score_and_weights_matter() {
    let t = textbook_table();
    let defs = read_definitions(
        "industry,cluster_code,cluster_name,traded\ni0,C0,c0,1\ni1,C1,c1,1\ni2,C2,c2,1\ni3,C3,c3,1\n".as_bytes(),
        "d.csv",
        "tb",
    )
    .unwrap();
    let mut actors = HashMap::new();
    actors.insert("C3".to_string(), 4u32);
    let run = |w: Weights| {
        prioritise(
            &t,
            &PrioritiseOptions {
                region: "A".into(),
                year: 2001,
                from_year: Some(2000),
                definitions: &defs,
                base: Base::Total,
                benchmark: Benchmark::AllRegions,
                weights: w,
                organised_actors: Some(&actors),
                traded_only: true,
            },
        )
        .unwrap()
    };
    let rows = run(Weights::default());
    assert_eq!(rows.len(), 4);
    for r in &rows {
        let parts = r.growth_part
            + r.size_part
            + r.specialisation_part
            + r.jobs_part
            + r.relatedness_part
            + r.organised_part;
        assert!((parts - r.score).abs() < 1e-12);
    }
    // Only growth counts: A's fastest-growing cluster relative to the nation ranks first.
    // A: i1 20 -> 40 (+100% vs nation +40%), the largest excess.
    let g = run(Weights {
        growth: 1.0,
        size: 0.0,
        specialisation: 0.0,
        jobs: 0.0,
        relatedness: 0.0,
        organised: 0.0,
    });
    assert_eq!(g[0].cluster, "C1");
    assert!((g[0].growth_weight - 1.0).abs() < 1e-12);
    // Only organised actors: C3 has the registry's 4 actors.
    let o = run(Weights {
        growth: 0.0,
        size: 0.0,
        specialisation: 0.0,
        jobs: 0.0,
        relatedness: 0.0,
        organised: 1.0,
    });
    assert_eq!(o[0].cluster, "C3");
    assert_eq!(o[0].organised, Some(4));
}

#[test]
fn layering_l1_depends_on_no_other_milieu_crate() {
    // milieu-map is L1: pure computation; it may depend on milieu-model only.
    let manifest =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml")).unwrap();
    assert!(
        manifest.contains("# Layer L1"),
        "the layer rule comment must stay in Cargo.toml"
    );
    let mut section = String::new();
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            section = line.to_string();
            continue;
        }
        if section.contains("dependencies") && line.starts_with("milieu-") {
            assert!(
                line.starts_with("milieu-model"),
                "L1 crate depends on {line}"
            );
        }
        for banned in ["tokio", "sqlx", "axum", "reqwest"] {
            assert!(
                !(section.contains("dependencies") && line.starts_with(banned)),
                "no IO/async deps: {line}"
            );
        }
    }
}

#[test]
fn relatedness_hand_worked() {
    // Regions x industries with LQ >= 1 marked by construction:
    // R1: a, b    R2: a, b    R3: b, c    R4: c (and a little of a).
    let csv = "region,industry,year,employment\n\
        R1,a,2020,50\nR1,b,2020,50\nR1,c,2020,1\n\
        R2,a,2020,50\nR2,b,2020,50\nR2,c,2020,1\n\
        R3,b,2020,50\nR3,c,2020,50\nR3,a,2020,1\n\
        R4,c,2020,90\nR4,a,2020,10\n";
    let mut b = TableBuilder::default();
    read_long(csv.as_bytes(), "t.csv", &LongOptions::default(), &mut b).unwrap();
    let t = b.build().unwrap();
    let lqs = lq(
        &t,
        &LqOptions {
            year: 2020,
            ..Default::default()
        },
    )
    .unwrap();
    let adv: Vec<(String, String)> = lqs
        .iter()
        .filter(|r| r.lq.unwrap() >= 1.0)
        .map(|r| (r.region.to_string(), r.industry_or_cluster.to_string()))
        .collect();
    // Check the construction: M = {R1:a,b; R2:a,b; R3:b,c; R4:c}.
    let want = [
        ("R1", "a"),
        ("R1", "b"),
        ("R2", "a"),
        ("R2", "b"),
        ("R3", "b"),
        ("R3", "c"),
        ("R4", "c"),
    ];
    assert_eq!(adv.len(), want.len(), "{adv:?}");
    // k_a = 2, k_b = 3, k_c = 2; co-occurrence ab = 2, bc = 1, ac = 0.
    // phi_ab = 2/3, phi_bc = 1/3, phi_ac = 0.
    let opts = RelatednessOptions {
        year: 2020,
        top_related: 2,
        ..Default::default()
    };
    let phi = proximity(&t, &opts).unwrap();
    let (a, bb, c) = (
        phi.index_of("a").unwrap(),
        phi.index_of("b").unwrap(),
        phi.index_of("c").unwrap(),
    );
    assert!((phi.get(a, bb) - 2.0 / 3.0).abs() < 1e-12);
    assert!((phi.get(bb, c) - 1.0 / 3.0).abs() < 1e-12);
    assert_eq!(phi.get(a, c), 0.0);
    // R4 lacks a and b. density(R4, b) = (M_a phi_ab + M_c phi_cb) / (phi_ab + phi_cb)
    //   = (0 + 1/3) / (2/3 + 1/3) = 1/3; density(R4, a) = (0*phi_ba + 1*phi_ca)/(phi_ba + phi_ca) = 0.
    let rows = relatedness(
        &t,
        &RelatednessOptions {
            regions: Some(vec!["R4".into()]),
            ..opts
        },
    )
    .unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(&*rows[0].industry_or_cluster, "b");
    assert!((rows[0].density - 1.0 / 3.0).abs() < 1e-12);
    assert_eq!(rows[0].related_strengths, "c (0.33)");
    assert_eq!(rows[1].density, 0.0);
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
fn stars_and_classification_hand_worked() {
    // Ten regions, one cluster X (traded) and a local remainder L.
    let mut csv = String::from("region,industry,year,employment,establishments\n");
    for r in 0..10 {
        let x = if r == 0 { 500 } else { 10 + r * 5 };
        // R0 also has the most establishments (the CMP rule needs them above the p25).
        let est = if r == 0 { 40 } else { 5 + r };
        csv.push_str(&format!("R{r},x,2021,{x},{est}\nR{r},l,2021,1000,50\n"));
        csv.push_str(&format!(
            "R{r},x,2018,{},{est}\nR{r},l,2018,1000,50\n",
            if r == 1 { 10 } else { x }
        ));
    }
    let mut b = TableBuilder::default();
    read_long(csv.as_bytes(), "t.csv", &LongOptions::default(), &mut b).unwrap();
    let t = b.build().unwrap();
    let defs = read_definitions(
        "industry,cluster_code,cluster_name,traded\nx,X,Xcluster,true\nl,L,Local,false\n"
            .as_bytes(),
        "d.csv",
        "d",
    )
    .unwrap();
    let mut actors = HashMap::new();
    actors.insert("X".to_string(), 2u32);
    let rows = strength(
        &t,
        &StrengthOptions {
            year: 2021,
            from_year: Some(2018),
            definitions: Some(&defs),
            base: Base::Total,
            organised_actors: Some(&actors),
            ..Default::default()
        },
    )
    .unwrap();
    let r0 = rows
        .iter()
        .find(|r| r.region == "R0" && r.industry_or_cluster == "X")
        .unwrap();
    // R0 has by far the most X: size, specialisation (LQ > 2) and focus stars; strong; and
    // the registry shows organised actors -> working.
    assert!(r0.lq.unwrap() > 2.0);
    assert_eq!(r0.stars, 3);
    assert_eq!(r0.strong, Some(true));
    assert_eq!(r0.classification, "working");
    // R1 (few establishments) fails the establishment floor even where its LQ would pass.
    let r1 = rows
        .iter()
        .find(|r| r.region == "R1" && r.industry_or_cluster == "X")
        .unwrap();
    assert_eq!(r1.strong, Some(false));
    assert!(r0.classification_rule.contains("organised actors 2 >= 1"));
    // Local clusters get no CMP flag.
    assert!(
        rows.iter()
            .filter(|r| r.industry_or_cluster == "L")
            .all(|r| r.strong.is_none())
    );
    // Without registry counts the same cluster is only latent.
    let rows = strength(
        &t,
        &StrengthOptions {
            year: 2021,
            from_year: Some(2018),
            definitions: Some(&defs),
            base: Base::Total,
            ..Default::default()
        },
    )
    .unwrap();
    let r0 = rows
        .iter()
        .find(|r| r.region == "R0" && r.industry_or_cluster == "X")
        .unwrap();
    assert_eq!(r0.classification, "latent");
    // R1's X grew from 10 to 15 while X elsewhere stood still, LQ just under 1: potential
    // needs LQ >= 0.8 -- R1's LQ is low, so it is `none`; the rule says why.
    let r1 = rows
        .iter()
        .find(|r| r.region == "R1" && r.industry_or_cluster == "X")
        .unwrap();
    assert!(r1.cagr.unwrap() > r1.benchmark_cagr.unwrap());
    assert_eq!(
        r1.classification,
        if r1.lq.unwrap() >= 0.8 {
            "potential"
        } else {
            "none"
        }
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

#[test]
fn named_benchmark_equal_to_the_sum_gives_the_all_regions_results() {
    let t = textbook_table();
    // Add the nation as a region of its own: the sum of A, B, C.
    let mut b = TableBuilder::default();
    for i in 0..t.len() {
        let r = t.row(i);
        let (reg, ind) = (
            t.regions().code(r.region).to_string(),
            t.industries().code(r.industry).to_string(),
        );
        b.push_codes(r.year, &reg, &ind, r.employment, None, None);
        b.push_codes(r.year, "NATION", &ind, r.employment, None, None);
    }
    let with_nation = b.build_summing().unwrap();
    let named = Benchmark::Region("NATION".into());
    let a = lq(
        &t,
        &LqOptions {
            year: 2000,
            ..Default::default()
        },
    )
    .unwrap();
    let n = lq(
        &with_nation,
        &LqOptions {
            year: 2000,
            benchmark: named.clone(),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(a.len(), n.len(), "the benchmark region is left out");
    for (x, y) in a.iter().zip(&n) {
        assert_eq!(x.region, y.region);
        assert!((x.lq.unwrap() - y.lq.unwrap()).abs() < 1e-12);
    }
    let sa = shift_share(
        &t,
        &ShiftShareOptions {
            from: 2000,
            to: 2001,
            ..Default::default()
        },
    )
    .unwrap();
    let sn = shift_share(
        &with_nation,
        &ShiftShareOptions {
            from: 2000,
            to: 2001,
            benchmark: named,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(sa.rows.len(), sn.rows.len());
    for (x, y) in sa.rows.iter().zip(&sn.rows) {
        assert!(
            (x.industry_mix - y.industry_mix).abs() < 1e-9
                && (x.allocation_effect - y.allocation_effect).abs() < 1e-9
        );
    }
    // Unknown benchmark: a clear error.
    let e = lq(
        &t,
        &LqOptions {
            year: 2000,
            benchmark: Benchmark::Region("XX".into()),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert_eq!(e.code(), "map.unknown_region");
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
