//! Cluster discovery (ARI and NMI against scikit-learn, planted co-location groups) and the
//! self-contained HTML report.

use milieu_map::*;

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
