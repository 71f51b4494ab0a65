//! Helpers shared by the test modules: the shared data folder, CMP state rows as a long table,
//! and the textbook table of the hand-worked cases.

use milieu_map::*;
use std::collections::HashMap;
use std::io::Read;
use std::path::PathBuf;

pub(crate) fn shared_data() -> Option<PathBuf> {
    let p = match std::env::var_os("MILIEU_SHARED_DATA") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"),
    };
    p.is_dir().then_some(p)
}

pub(crate) fn open(path: &std::path::Path) -> Box<dyn Read + Send> {
    let f = std::fs::File::open(path).unwrap();
    if path.extension().is_some_and(|e| e == "gz") {
        Box::new(flate2::read::GzDecoder::new(std::io::BufReader::new(f)))
    } else {
        Box::new(std::io::BufReader::new(f))
    }
}

/// The CMP state x cluster file as records keyed by column name.
pub(crate) fn cmp_state_rows(data: &std::path::Path) -> Vec<HashMap<String, String>> {
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
pub(crate) fn cmp_long_table(rows: &[HashMap<String, String>]) -> (String, String) {
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

/// REAT / Farhauer-Kroell textbook regions A, B, C (the nation is their sum).
pub(crate) fn textbook_table() -> Table {
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
