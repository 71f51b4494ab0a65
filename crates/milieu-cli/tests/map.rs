//! `milieu map` through the real binary: small hand-made tables with known answers (REAT's
//! textbook LQ, hand-worked cluster LQs with the traded base, the textbook shift-share),
//! imports that refuse bad input with exit code 2 and store nothing, bridging of code
//! vintages, registry counts in prioritisation, the report, discovery, the documented
//! columns of every listing, and (with ../shared/data) the CMP's published `lq_tf`.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

mod common;
use common::{Env, parse_csv};

/// Helpers of this file.
impl Env {
    fn table_names(&self) -> Vec<String> {
        self.csv(&["map", "tables"])
            .into_iter()
            .filter_map(|r| r.get("name").cloned())
            .collect()
    }
}

fn header(text: &str) -> String {
    text.lines().next().unwrap_or("").to_string()
}

fn num(r: &HashMap<String, String>, column: &str) -> f64 {
    r[column]
        .parse()
        .unwrap_or_else(|_| panic!("column {column}: {:?} in {r:?}", r.get(column)))
}

fn find<'a>(
    rows: &'a [HashMap<String, String>],
    region: &str,
    item: &str,
) -> &'a HashMap<String, String> {
    rows.iter()
        .find(|r| r["region"] == region && r["industry_or_cluster"] == item)
        .unwrap_or_else(|| panic!("no row {region} {item}"))
}

#[test]
fn reat_textbook_lq_through_a_long_table() {
    // REAT: locq(1714, 79006, 879213, 15593224) = 0.3847623, as a region and a benchmark
    // (the nation) with published totals.
    let env = Env::new();
    env.write(
        "de.csv",
        "region,industry,year,employment\n\
         R,C,2010,1714\nR,TOTAL,2010,79006\nDE,C,2010,879213\nDE,TOTAL,2010,15593224\n",
    );
    env.ok(&["map", "import", "long", "de.csv", "--total-code", "TOTAL"]);
    let out = env.ok(&[
        "map",
        "lq",
        "--year",
        "2010",
        "--benchmark",
        "DE",
        "--format",
        "csv",
    ]);
    assert!(
        header(&out).starts_with("region,region_name,industry_or_cluster,name,year,employment,"),
        "{out}"
    );
    let rows = parse_csv(&out);
    assert_eq!(rows.len(), 1, "the benchmark region is left out: {rows:?}");
    let r = &rows[0];
    assert!((num(r, "lq") - 0.3847623).abs() < 5e-8, "{r:?}");
    // Every part of the number.
    assert_eq!(num(r, "employment"), 1714.0);
    assert_eq!(num(r, "region_base"), 79006.0);
    assert_eq!(num(r, "benchmark_employment"), 879213.0);
    assert_eq!(num(r, "benchmark_base"), 15593224.0);
    assert_eq!(r["year"], "2010");
}

/// Two regions, two traded clusters (T1 = i1, T2 = i2) and a local one (L = i3).
fn cluster_env() -> Env {
    let env = Env::new();
    env.write(
        "t.csv",
        "region,industry,year,employment,establishments\n\
         A,i1,2020,10,2\nA,i2,2020,20,3\nA,i3,2020,30,5\n\
         B,i1,2020,30,4\nB,i2,2020,10,2\nB,i3,2020,60,9\n",
    );
    env.write(
        "d.csv",
        "industry,cluster_code,cluster_name,traded\ni1,T1,Traded one,true\ni2,T2,Traded two,yes\ni3,L,Local,local\n",
    );
    env.ok(&["map", "import", "long", "t.csv"]);
    env.ok(&["map", "definitions", "import", "d.csv", "--name", "d"]);
    env
}

#[test]
fn cluster_lq_with_traded_and_total_base_hand_worked() {
    let env = cluster_env();
    let traded = env.csv(&[
        "map",
        "lq",
        "--level",
        "cluster",
        "--definitions",
        "d",
        "--base",
        "traded",
    ]);
    // Traded employment: A 30, B 40, all 70; T1: A 10, B 30, all 40.
    let a = find(&traded, "A", "T1");
    assert!((num(a, "lq") - (10.0 / 30.0) / (40.0 / 70.0)).abs() < 1e-12);
    assert_eq!(a["base"], "traded");
    assert_eq!(num(a, "region_base"), 30.0);
    let b = find(&traded, "B", "T1");
    assert!((num(b, "lq") - (30.0 / 40.0) / (40.0 / 70.0)).abs() < 1e-12);
    // Local clusters against local employment: A 30 of 30, all 90 of 90.
    let l = find(&traded, "A", "L");
    assert_eq!(l["base"], "local");
    assert!((num(l, "lq") - 1.0).abs() < 1e-12);
    // Total base: A 60, all 160.
    let total = env.csv(&["map", "lq", "--level", "cluster", "--definitions", "d"]);
    let a = find(&total, "A", "T1");
    assert!((num(a, "lq") - (10.0 / 60.0) / (40.0 / 160.0)).abs() < 1e-12);
    assert_eq!(a["name"], "Traded one");
    // The only stored set is the default; --region keeps one region.
    let only_b = env.csv(&["map", "lq", "--level", "cluster", "--region", "B"]);
    assert_eq!(only_b.len(), 3);
    assert!(only_b.iter().all(|r| r["region"] == "B"));
    env.refuse_one_error(
        &["map", "lq", "--region", "Z"],
        &["region `Z` is not in the table"],
    );
    // A second set and none named: refused, naming both (the web asks the same question).
    env.ok(&["map", "definitions", "import", "d.csv", "--name", "d2"]);
    env.refuse_one_error(
        &["map", "lq", "--level", "cluster"],
        &[
            "several cluster definition sets are stored (d, d2)",
            "--definitions NAME",
        ],
    );
}

#[test]
fn the_only_table_is_the_default_whatever_its_name() {
    let env = Env::new();
    env.write(
        "t.csv",
        "region,industry,year,employment\nA,i1,2019,10\nA,i2,2019,30\nB,i1,2019,20\nB,i2,2019,20\n",
    );
    env.ok(&["map", "import", "long", "t.csv", "--table", "regions"]);
    let rows = env.csv(&["map", "lq"]);
    let a = find(&rows, "A", "i1");
    assert!((num(a, "lq") - (10.0 / 40.0) / (30.0 / 80.0)).abs() < 1e-12);
    env.ok(&["map", "import", "long", "t.csv", "--table", "second"]);
    env.refuse_one_error(
        &["map", "lq"],
        &[
            "several regional tables are stored (regions, second)",
            "--table NAME",
        ],
    );
}

#[test]
fn shift_share_components_sum_to_the_change() {
    // Textbook regions A, B, C, industries i0..i3 (Farhauer/Kroell data, REAT `shift()`).
    let env = Env::new();
    let data = [
        ("A", [90, 20, 10, 60], [100, 40, 10, 55]),
        ("B", [60, 30, 30, 40], [85, 55, 40, 35]),
        ("C", [250, 100, 110, 300], [255, 115, 85, 390]),
    ];
    let mut csv = String::from("region,industry,year,employment\n");
    for (r, t0, t1) in data {
        for i in 0..4 {
            csv.push_str(&format!(
                "{r},i{i},2000,{}\n{r},i{i},2001,{}\n",
                t0[i], t1[i]
            ));
        }
    }
    env.write("ss.csv", &csv);
    env.ok(&["map", "import", "long", "ss.csv"]);
    let rows = env.csv(&["map", "shift-share", "--from", "2000", "--to", "2001"]);
    assert_eq!(rows.len(), 12);
    for r in &rows {
        let change = num(r, "change");
        assert_eq!(change, num(r, "employment_to") - num(r, "employment_from"));
        let sum = num(r, "national_share") + num(r, "industry_mix") + num(r, "regional_shift");
        assert!((sum - change).abs() < 1e-9, "{r:?}");
        let em = num(r, "competitive_effect") + num(r, "allocation_effect");
        assert!((em - num(r, "regional_shift")).abs() < 1e-9, "{r:?}");
    }
    // Nation 1100 -> 1265 (G = 0.15); i0 400 -> 440 (g = 0.10); A's i0 90 -> 100.
    let a0 = find(&rows, "A", "i0");
    assert!((num(a0, "national_share") - 13.5).abs() < 1e-9);
    assert!((num(a0, "industry_mix") + 4.5).abs() < 1e-9);
    assert!((num(a0, "regional_shift") - 1.0).abs() < 1e-9);
    let summary = env.csv(&[
        "map",
        "shift-share",
        "--from",
        "2000",
        "--to",
        "2001",
        "--summary",
        "--region",
        "A",
    ]);
    assert_eq!(summary.len(), 1);
    assert_eq!(num(&summary[0], "change"), 25.0);
    env.refuse_one_error(
        &["map", "shift-share", "--from", "2000", "--to", "2009"],
        &["no year 2009", "2000, 2001"],
    );
}

#[test]
fn bad_employment_is_refused_and_nothing_is_stored() {
    let env = Env::new();
    env.refuse_one_error(
        &[
            "map",
            "import",
            "long",
            &env.write(
                "neg.csv",
                "region,industry,year,employment\nA,x,2020,5\nA,y,2020,-5\n",
            )
            .display()
            .to_string(),
        ],
        &[
            "neg.csv",
            "line 3",
            "column employment",
            "\"-5\"",
            "non-negative",
        ],
    );
    env.write(
        "nan.csv",
        "region,industry,year,employment\nA,x,2020,5\nA,y,2020,lots\n",
    );
    env.refuse_one_error(
        &["map", "import", "long", "nan.csv"],
        &["nan.csv", "line 3", "column employment", "\"lots\""],
    );
    env.write(
        "dup.csv",
        "region,industry,year,employment\nA,x,2020,5\nA,y,2020,6\nA,x,2020,7\n",
    );
    env.refuse_one_error(
        &["map", "import", "long", "dup.csv"],
        &["dup.csv", "line 4", "A, industry x, year 2020 repeats"],
    );
    assert!(env.table_names().is_empty());
    // A good table, then a bad replacement: the good one stays.
    env.write("ok.csv", "region,industry,year,employment\nA,x,2020,5\n");
    env.ok(&["map", "import", "long", "ok.csv"]);
    env.refuse_one_error(
        &["map", "import", "long", "neg.csv", "--replace"],
        &["line 3"],
    );
    env.refuse_one_error(
        &["map", "import", "long", "ok.csv"],
        &["table `main` already exists", "--replace"],
    );
    let rows = env.csv(&["map", "lq"]);
    assert_eq!(rows.len(), 1);
    assert_eq!(num(&rows[0], "employment"), 5.0);
}

#[test]
fn region_missing_from_the_hierarchy_is_refused() {
    let env = Env::new();
    env.write(
        "h.csv",
        "region,level,parent,parent_name\nc1,state,S1,State one\nc2,state,S1,State one\nc3,state,S2,State two\n",
    );
    env.ok(&["map", "hierarchy", "import", "h.csv"]);
    env.write(
        "t.csv",
        "region,industry,year,employment\nc1,x,2020,5\nc2,x,2020,5\nc9,x,2020,5\nc3,y,2020,1\n",
    );
    env.refuse_one_error(
        &["map", "import", "long", "t.csv", "--check-level", "state"],
        &[
            "t.csv",
            "line 4",
            "column region",
            "\"c9\"",
            "level `state`",
        ],
    );
    assert!(env.table_names().is_empty());
    // Imported without the check, an analysis at the state level refuses it too ...
    env.ok(&["map", "import", "long", "t.csv"]);
    env.refuse_one_error(
        &["map", "lq", "--region-level", "state"],
        &["c9", "--drop-unplaced"],
    );
    // ... unless told to leave such regions out.
    let (code, out, err) = env.milieu(&[
        "map",
        "lq",
        "--region-level",
        "state",
        "--drop-unplaced",
        "--format",
        "csv",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("dropped 1 region(s)") && err.contains("c9"),
        "{err}"
    );
    let rows = parse_csv(&out);
    let s1 = find(&rows, "S1", "x");
    assert_eq!(num(s1, "employment"), 10.0);
    assert_eq!(s1["region_name"], "State one");
}

#[test]
fn industry_unknown_to_the_definitions_is_refused() {
    let env = cluster_env();
    env.write(
        "more.csv",
        "region,industry,year,employment\nA,i1,2021,10\nA,i7,2021,3\n",
    );
    env.refuse_one_error(
        &[
            "map",
            "import",
            "long",
            "more.csv",
            "--table",
            "t2",
            "--check-definitions",
            "d",
        ],
        &[
            "more.csv",
            "line 3",
            "column industry",
            "\"i7\"",
            "definitions `d`",
        ],
    );
    assert_eq!(env.table_names(), vec!["main"]);
    env.ok(&["map", "import", "long", "more.csv", "--table", "t2"]);
    env.refuse_one_error(
        &[
            "map",
            "lq",
            "--table",
            "t2",
            "--level",
            "cluster",
            "--definitions",
            "d",
        ],
        // The engine's code survives to the message (docs/errors.md).
        &[
            "error[map.unknown_industry]",
            "i7",
            "unknown to definitions `d`",
        ],
    );
    env.refuse_one_error(
        &["map", "lq", "--table", "nope"],
        &["table \"nope\" not found"],
    );
}

#[test]
fn concordance_bridges_codes_and_reports_what_did_not_map() {
    let env = Env::new();
    // NAICS-2017-coded table: 111110 maps as is, 222220 splits in two, 333330 is unknown
    // to the concordance.
    env.write(
        "t.csv",
        "region,industry,year,employment\nA,111110,2021,10\nA,222220,2021,8\nA,333330,2021,4\nB,111110,2021,5\nB,222220,2021,2\n",
    );
    env.write(
        "cw.csv",
        "NAICS_2012_Code,NAICS_2017_Code\n111110,111110\n222221,222220\n222222,222220\n",
    );
    env.write(
        "d12.csv",
        "industry,cluster_code,cluster_name,traded\n111110,F,Farms,1\n222221,M,Mines,1\n222222,Q,Quarries,1\n",
    );
    env.ok(&["map", "import", "long", "t.csv", "--vintage", "2017"]);
    env.ok(&[
        "map",
        "definitions",
        "import",
        "d12.csv",
        "--vintage",
        "2012",
        "--name",
        "d12",
    ]);
    // No concordance yet: the message says how to get one.
    env.refuse_one_error(
        &["map", "lq", "--level", "cluster"],
        &[
            "vintage 2017",
            "concordance import",
            "--from 2017 --to 2012",
        ],
    );
    env.ok(&[
        "map",
        "concordance",
        "import",
        "cw.csv",
        "--from",
        "2017",
        "--to",
        "2012",
    ]);
    let report = env.csv(&["map", "bridge"]);
    let kinds: Vec<(&str, &str)> = report
        .iter()
        .map(|r| (r["kind"].as_str(), r["code"].as_str()))
        .collect();
    assert_eq!(
        kinds,
        vec![
            ("split", "222220"),
            ("unmapped", "333330"),
            ("unknown", "333330")
        ]
    );
    assert_eq!(report[0]["targets"], "222221;222222");
    assert_eq!(num(&report[0], "employment"), 10.0);
    // The unmapped code is kept, so cluster measures name it instead of dropping it.
    env.refuse_one_error(
        &["map", "lq", "--level", "cluster"],
        &["333330", "unknown to definitions `d12`"],
    );
    // With a set that knows it, the split halves land in their clusters.
    env.write(
        "d12b.csv",
        "industry,cluster_code,cluster_name,traded\n111110,F,Farms,1\n222221,M,Mines,1\n222222,Q,Quarries,1\n333330,O,Other,1\n",
    );
    env.ok(&[
        "map",
        "definitions",
        "import",
        "d12b.csv",
        "--vintage",
        "2012",
        "--name",
        "d12",
        "--replace",
    ]);
    let (code, out, err) = env.milieu(&["map", "lq", "--level", "cluster", "--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("bridged codes 2017 -> 2012"), "{err}");
    let rows = parse_csv(&out);
    assert_eq!(num(find(&rows, "A", "M"), "employment"), 4.0);
    assert_eq!(num(find(&rows, "A", "Q"), "employment"), 4.0);
    assert_eq!(num(find(&rows, "A", "O"), "employment"), 4.0);
}

const CBP_HEADER: &str =
    "fips5,county_name,year,naics2017,naics_digits,naics_label,estab,emp,payann_kusd\n";

fn cbp(year: u16, extra: &str) -> String {
    format!(
        "{CBP_HEADER}\
         01001,\"Autauga County, Alabama\",{year},00,0,Total for all sectors,924,11216,424826\n\
         01001,\"Autauga County, Alabama\",{year},11,2,Agriculture,10,78,5107\n\
         01001,\"Autauga County, Alabama\",{year},113310,6,Logging,7,68,4563\n\
         01003,\"Baldwin County, Alabama\",{year},00,0,Total for all sectors,5000,60000,2000000\n\
         01003,\"Baldwin County, Alabama\",{year},113310,6,Logging,3,12,300\n{extra}"
    )
}

fn gzip(path: &Path, text: &str) {
    let mut gz = flate2::write::GzEncoder::new(
        std::fs::File::create(path).unwrap(),
        flate2::Compression::fast(),
    );
    gz.write_all(text.as_bytes()).unwrap();
    gz.finish().unwrap();
}

#[test]
fn cbp_years_import_gzipped_and_add_years() {
    let env = Env::new();
    gzip(&env.path("cbp2020.csv.gz"), &cbp(2020, ""));
    env.write("cbp2021.csv", cbp(2021, ""));
    let out = env.ok(&["map", "import", "cbp", "cbp2020.csv.gz"]);
    assert!(out.contains("code vintage 2017"), "{out}");
    env.refuse_one_error(
        &["map", "import", "cbp", "cbp2020.csv.gz", "--add"],
        &["already holds year(s) 2020"],
    );
    env.ok(&["map", "import", "cbp", "cbp2021.csv", "--add"]);
    let tables = env.csv(&["map", "tables"]);
    assert_eq!(tables[0]["years"], "2020;2021");
    assert_eq!(tables[0]["vintage"], "2017");
    assert_eq!(num(&tables[0], "rows"), 4.0);
    // LQ against the published county totals: (68/11216)/(80/71216).
    let rows = env.csv(&["map", "lq", "--year", "2020", "--year", "2021"]);
    assert_eq!(rows.len(), 4);
    let r = rows
        .iter()
        .find(|r| r["region"] == "01001" && r["year"] == "2021")
        .unwrap();
    assert!((num(r, "lq") - (68.0 / 11216.0) / (80.0 / 71216.0)).abs() < 1e-12);
    assert_eq!(r["region_name"], "Autauga County, Alabama");
    // Payroll is kept in dollars: the wage is payroll / employment.
    let p = env.csv(&["map", "profile", "--region", "01001"]);
    assert!(
        (num(&p[0], "wage") - 4_563_000.0 / 68.0).abs() < 1e-6,
        "{p:?}"
    );
    // A bad CBP line refuses the whole import, naming it.
    env.write(
        "bad.csv",
        cbp(
            2019,
            "01003,\"Baldwin County, Alabama\",2019,212321,6,Sand,2,-9,100\n",
        ),
    );
    env.refuse_one_error(
        &["map", "import", "cbp", "bad.csv", "--add"],
        &["bad.csv", "line 7", "emp", "-9"],
    );
    assert_eq!(env.csv(&["map", "tables"])[0]["years"], "2020;2021");
}

#[test]
fn prioritise_counts_organised_actors_of_the_registry() {
    let env = Env::new();
    let mut csv = String::from("region,industry,year,employment,establishments\n");
    let emp = [
        ("R1", [120, 80, 40, 300]),
        ("R2", [30, 20, 90, 250]),
        ("R3", [50, 60, 60, 400]),
    ];
    for (r, e) in emp {
        for (k, code) in ["311111", "311119", "334511", "541511"].iter().enumerate() {
            let e19 = e[k];
            let e21 = e[k] + (k as i32 * 7 + r.len() as i32) % 11;
            csv.push_str(&format!("{r},{code},2019,{e19},{}\n", e19 / 10 + 1));
            csv.push_str(&format!("{r},{code},2021,{e21},{}\n", e21 / 10 + 1));
        }
    }
    env.write("t.csv", &csv);
    env.write(
        "d.csv",
        "industry,cluster_code,cluster_name,traded\n311111,FOOD,Food,1\n311119,FOOD,Food,1\n334511,ELEC,Electronics,1\n541511,SERV,Services,0\n",
    );
    env.write(
        "orgs.csv",
        "id,name,kind,region,country,sectors\n\
         o1,Mill,firm,R1,US,311111\n\
         o2,Sensors,firm,R1,US,3345\n\
         o3,Both,firm,R1,US,31;334511\n\
         o4,Elsewhere,firm,R2,US,311111\n\
         o5,Unrelated,firm,R1,US,999999\n",
    );
    env.ok(&["import", "organisations", "orgs.csv"]);
    env.ok(&["map", "import", "long", "t.csv"]);
    env.ok(&["map", "definitions", "import", "d.csv", "--name", "d"]);
    let rows = env.csv(&["map", "prioritise", "--region", "R1"]);
    // Traded clusters only, by default.
    assert_eq!(rows.len(), 2);
    let get = |c: &str| rows.iter().find(|r| r["cluster"] == c).unwrap();
    // FOOD: o1 (311111) and o3 (31, coarser); ELEC: o2 (3345, coarser) and o3 (334511).
    assert_eq!(get("FOOD")["organised"], "2");
    assert_eq!(get("ELEC")["organised"], "2");
    for r in &rows {
        let parts: f64 = [
            "growth",
            "size",
            "specialisation",
            "jobs",
            "relatedness",
            "organised",
        ]
        .iter()
        .map(|c| num(r, &format!("{c}_part")))
        .sum();
        assert!((parts - num(r, "score")).abs() < 1e-9, "{r:?}");
        assert_eq!(r["year"], "2021");
    }
    // Weights: jobs only ranks by employment (FOOD 200+ jobs in R1, ELEC about 40).
    let jobs = env.csv(&[
        "map",
        "prioritise",
        "--region",
        "R1",
        "--weights",
        "growth=0,size=0,specialisation=0,jobs=1,relatedness=0,organised=0",
    ]);
    assert_eq!(jobs[0]["cluster"], "FOOD");
    assert_eq!(num(&jobs[0], "jobs_weight"), 1.0);
    env.refuse_one_error(
        &["map", "prioritise", "--region", "R1", "--weights", "luck=3"],
        &["unknown criterion `luck`"],
    );
    // At a coarser level, organisations count where the hierarchy puts their region.
    env.write(
        "h.csv",
        "region,level,parent\nR1,area,N\nR2,area,N\nR3,area,S\n",
    );
    env.ok(&["map", "hierarchy", "import", "h.csv"]);
    let coarse = env.csv(&[
        "map",
        "prioritise",
        "--region",
        "N",
        "--region-level",
        "area",
        "--all-clusters",
    ]);
    let food = coarse.iter().find(|r| r["cluster"] == "FOOD").unwrap();
    assert_eq!(food["organised"], "3");
    assert_eq!(coarse.len(), 3);
    // Strength for one region carries the same counts into the classification.
    let s = env.csv(&["map", "strength", "--region", "R1"]);
    let food = s
        .iter()
        .find(|r| r["industry_or_cluster"] == "FOOD")
        .unwrap();
    assert_eq!(food["organised_actors"], "2");
    // The report: one self-contained page.
    let out = env.ok(&["map", "report", "--region", "R1", "--out", "r1.html"]);
    assert!(out.contains("r1.html"), "{out}");
    let mut html = String::new();
    std::fs::File::open(env.path("r1.html"))
        .unwrap()
        .read_to_string(&mut html)
        .unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<svg") && html.contains("Food"));
    // Self-contained: no scripts, no linked resources.
    for bad in ["<script", "src=", "<link", "href=\"http", "@import"] {
        assert!(!html.contains(bad), "report contains {bad}");
    }
}

#[test]
fn discovery_recovers_planted_groups_and_compares_with_definitions() {
    // Two groups of three industries that co-locate in disjoint halves of 12 regions.
    let env = Env::new();
    let mut csv = String::from("region,industry,year,employment,establishments\n");
    for r in 0..12u32 {
        for i in 0..6u32 {
            let emp = if i / 3 == r % 2 {
                100 + (r * 7 + i * 13) % 50
            } else {
                1 + (r + i) % 3
            };
            let code = format!("{}{i}", if i < 3 { "31" } else { "54" });
            csv.push_str(&format!("r{r:02},{code},2020,{emp},{}\n", emp / 10 + 1));
        }
    }
    env.write("t.csv", &csv);
    env.write(
        "p.csv",
        "industry,cluster_code,cluster_name,traded\n310,A,A,1\n311,A,A,1\n312,A,A,1\n543,B,B,1\n544,B,B,1\n545,B,B,1\n",
    );
    env.ok(&["map", "import", "long", "t.csv"]);
    env.ok(&["map", "definitions", "import", "p.csv", "--name", "planted"]);
    let summary = env.csv(&[
        "map",
        "discover",
        "--clusters",
        "2",
        "--neighbours",
        "2",
        "--compare-with",
        "planted",
        "--show",
        "summary",
    ]);
    assert_eq!(num(&summary[0], "adjusted_rand_index"), 1.0);
    assert!((num(&summary[0], "normalized_mutual_information") - 1.0).abs() < 1e-12);
    assert!(num(&summary[0], "mean_silhouette") > 0.5);
    let industries = env.csv(&[
        "map",
        "discover",
        "--clusters",
        "2",
        "--neighbours",
        "2",
        "--show",
        "industries",
    ]);
    let cluster_of =
        |code: &str| industries.iter().find(|r| r["industry"] == code).unwrap()["cluster"].clone();
    assert_eq!(cluster_of("310"), cluster_of("312"));
    assert_eq!(cluster_of("543"), cluster_of("545"));
    assert_ne!(cluster_of("310"), cluster_of("543"));
    let (code, out, _) = env.milieu(&[
        "map",
        "discover",
        "--clusters",
        "2",
        "--neighbours",
        "2",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["clusters"].as_array().unwrap().len(), 2);
    assert_eq!(v["industries"].as_array().unwrap().len(), 6);
}

#[test]
fn every_listing_has_its_documented_columns() {
    let env = cluster_env();
    env.write(
        "t21.csv",
        "region,industry,year,employment,establishments\n\
         A,i1,2021,12,2\nA,i2,2021,18,3\nA,i3,2021,33,5\n\
         B,i1,2021,31,4\nB,i2,2021,12,2\nB,i3,2021,58,9\n\
         C,i1,2021,5,1\nC,i2,2021,25,3\nC,i3,2021,20,2\n",
    );
    env.ok(&["map", "import", "long", "t21.csv", "--add"]);
    let cases: &[(&[&str], &str)] = &[
        (
            &["map", "lq"],
            "region,region_name,industry_or_cluster,name,year,employment,base,region_base,benchmark_employment,benchmark_base,region_share,benchmark_share,lq",
        ),
        (
            &["map", "profile", "--from", "2020"],
            "region,region_name,industry_or_cluster,name,year,employment,establishments,payroll,wage,benchmark_wage,size_share,lq,focus,from_year,from_employment,growth_abs,cagr,benchmark_cagr",
        ),
        (
            &["map", "shift-share", "--from", "2020", "--to", "2021"],
            "region,region_name,industry_or_cluster,name,from_year,to_year,employment_from,employment_to,change,benchmark_growth,industry_growth,regional_growth,national_share,industry_mix,regional_shift,homothetic_employment,competitive_effect,allocation_effect",
        ),
        (
            &["map", "strength"],
            "region,region_name,industry_or_cluster,name,year,traded,employment,establishments,lq,lq_p75,lq_p90,employment_p25,establishments_p25,strong,strong10,size_share,size_threshold,size_star,specialisation_star,focus,focus_threshold,focus_star,stars,cagr,benchmark_cagr,organised_actors,classification,classification_rule",
        ),
        (
            &["map", "diversity"],
            "region,region_name,year,employment,items,krugman,hoover,herfindahl,entropy,entropy_normalised",
        ),
        (
            &["map", "colocation", "--top", "1"],
            "industry_a,name_a,industry_b,name_b,signal,value,rank",
        ),
        (
            &["map", "relatedness", "--include-present"],
            "region,region_name,industry_or_cluster,name,year,employment,lq,advantage,density,density_numerator,density_denominator,related_strengths",
        ),
        (&["map", "bridge"], ""),
    ];
    for (args, columns) in cases {
        let mut all = args.to_vec();
        all.extend(["--format", "csv"]);
        let out = env.ok(&all);
        if columns.is_empty() {
            continue;
        }
        assert_eq!(header(&out), *columns, "{args:?}");
    }
    let conc = env.ok(&["map", "concentration", "--format", "csv"]);
    assert!(
        header(&conc).starts_with(
            "industry_or_cluster,name,year,employment,regions,hoover,gini,eg_raw_concentration,"
        ),
        "{conc}"
    );
    // Diversity of A in 2021 by hand: shares 12/63, 18/63, 33/63.
    let d = env.csv(&["map", "diversity", "--year", "2021"]);
    let a = d.iter().find(|r| r["region"] == "A").unwrap();
    let hhi: f64 = [12.0f64, 18.0, 33.0]
        .iter()
        .map(|e| (e / 63.0).powi(2))
        .sum();
    assert!((num(a, "herfindahl") - hhi).abs() < 1e-12);
    // JSON has the same fields.
    let (_, json, _) = env.milieu(&["map", "lq", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(v[0]["lq"].is_number() && v[0]["industry_or_cluster"].is_string());
}

fn shared_data() -> Option<PathBuf> {
    let p = match std::env::var_os("MILIEU_SHARED_DATA") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"),
    };
    p.is_dir().then_some(p)
}

#[test]
fn cmp_state_lq_reproduces_published_lq_tf_through_the_cli() {
    let Some(data) = shared_data() else {
        println!("skipped: shared data folder not found (set MILIEU_SHARED_DATA)");
        return;
    };
    let path = data.join("uscmp-region-cluster-2016/state_x_cluster_2016.csv.gz");
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(&path).unwrap())
        .read_to_string(&mut text)
        .unwrap();
    let published = parse_csv(&text);
    // States' cluster employment as a long table, plus a `US` region whose cluster
    // employment is emp / cluster_emp_per_tf (median over states, rounded: the US figures
    // are integers), and identity definitions with the CMP traded flags.
    let mut long =
        String::from("region,industry,year,employment,establishments,region_name,industry_name\n");
    let mut defs = String::from("industry,cluster_code,cluster_name,traded\n");
    let mut us: std::collections::BTreeMap<String, (String, String, Vec<f64>)> = Default::default();
    for r in &published {
        let c = &r["cluster_code_t"];
        long.push_str(&format!(
            "{},{c},2016,{},{},\"{}\",\"{}\"\n",
            r["region_code_t"], r["emp_tl"], r["est_tl"], r["region_name_t"], r["cluster_name_t"]
        ));
        let e = us.entry(c.clone()).or_insert_with(|| {
            (
                r["cluster_name_t"].clone(),
                r["traded_b"].clone(),
                Vec::new(),
            )
        });
        let emp: f64 = r["emp_tl"].parse().unwrap();
        let per: f64 = r["cluster_emp_per_tf"].parse().unwrap_or(0.0);
        if emp > 0.0 && per > 0.0 {
            e.2.push(emp / per);
        }
    }
    for (c, (name, traded, mut v)) in us {
        defs.push_str(&format!("{c},{c},\"{name}\",{traded}\n"));
        v.sort_by(f64::total_cmp);
        long.push_str(&format!(
            "US,{c},2016,{},,United States,\"{name}\"\n",
            v[v.len() / 2].round()
        ));
    }
    let env = Env::new();
    env.write("cmp_long.csv", &long);
    env.write("cmp_defs.csv", &defs);
    env.ok(&["map", "import", "long", "cmp_long.csv", "--table", "cmp"]);
    env.ok(&[
        "map",
        "definitions",
        "import",
        "cmp_defs.csv",
        "--name",
        "cmp-identity",
    ]);
    let ours = env.csv(&[
        "map",
        "lq",
        "--table",
        "cmp",
        "--year",
        "2016",
        "--definitions",
        "cmp-identity",
        "--base",
        "traded",
        "--benchmark",
        "US",
    ]);
    let ours: HashMap<(String, String), &HashMap<String, String>> = ours
        .iter()
        .map(|r| ((r["region"].clone(), r["industry_or_cluster"].clone()), r))
        .collect();
    let (mut traded, mut local, mut worst) = (0, 0, 0.0f64);
    for r in &published {
        let want: f64 = r["lq_tf"].parse().unwrap_or(0.0);
        if want == 0.0 {
            continue;
        }
        let mine = ours[&(r["region_code_t"].clone(), r["cluster_code_t"].clone())];
        let rel = (num(mine, "lq") - want).abs() / want;
        worst = worst.max(rel);
        assert!(rel < 1e-6, "{mine:?}: published {want}");
        let is_traded = r["traded_b"] == "TRUE";
        assert_eq!(mine["base"], if is_traded { "traded" } else { "local" });
        if is_traded { traded += 1 } else { local += 1 }
    }
    assert!(
        traded > 2400 && local > 750,
        "{traded} traded, {local} local"
    );
    println!("{traded} traded and {local} local rows match lq_tf, worst relative error {worst:e}");
}
