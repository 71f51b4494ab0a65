//! Property tests (proptest): invariants of the measures on generated tables.

use milieu_map::*;
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
