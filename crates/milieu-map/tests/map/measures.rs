//! Measures on hand-worked cases: LQ, shift-share, diversity and concentration, Ellison-Glaeser,
//! prioritisation, relatedness, stars and classification, named benchmark regions.

use crate::common::*;
use milieu_map::*;
use milieu_model::ErrorCode;
use std::collections::HashMap;

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
