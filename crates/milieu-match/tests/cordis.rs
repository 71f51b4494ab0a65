//! Partner matching as a forecast on the real CORDIS H2020 extract (skipped when the shared
//! data folder is absent). The pair count is pinned by an independent pandas/scipy count
//! (bench/match/forecast_baselines.py prints it).

#[path = "../examples/common/cordis.rs"]
mod cordis;

use milieu_match::forecast::{Ranker, evaluate, new_collaborations, pair_orgs};
use milieu_match::{
    CalibrationOptions, ContextOptions, MatchContext, PartnerOptions, Purpose, calibrate, partners,
};
use milieu_model::{Date, WholeRegistry};

fn date(y: i32, m: u32) -> Date {
    Date::from_ymd_opt(y, m, 1).unwrap()
}

fn context(ds: &milieu_model::Dataset, as_of: Date) -> MatchContext {
    let opts = ContextOptions {
        as_of: Some(as_of),
        ..ContextOptions::default()
    };
    MatchContext::build(ds, &opts, &WholeRegistry)
}

#[test]
fn cordis_forecast_beats_adamic_adar() {
    let dir = cordis::shared_data().join("cordis-h2020-participations");
    if !dir.exists() {
        println!("skipped: {} not found", dir.display());
        return;
    }
    let ds = cordis::load(&dir).unwrap();
    assert_eq!(ds.organisations.len(), 22787);
    let ctx = context(&ds, date(2016, 1));
    let pairs = new_collaborations(&ds, &ctx, date(2016, 1), date(2018, 1));
    assert_eq!(pairs.len(), 93285);
    assert_eq!(pair_orgs(&pairs).len(), 4551);

    let aa = evaluate(&ctx, &Ranker::AdamicAdar, &pairs, 10, 10);
    assert!((0.075..0.085).contains(&aa.recall_at_k), "{aa:?}");
    let random = evaluate(&ctx, &Ranker::Random { seed: 1 }, &pairs, 10, 10);
    assert!(random.recall_at_k < 0.01, "{random:?}");

    // Weights calibrated inside the training period only.
    let base = PartnerOptions {
        purpose: Purpose::Rnd,
        explain: false,
        ..PartnerOptions::default()
    };
    let ctx_val = context(&ds, date(2015, 7));
    let pairs_val = new_collaborations(&ds, &ctx_val, date(2015, 7), date(2016, 1));
    let cal = calibrate(
        &ctx_val,
        &pairs_val,
        &CalibrationOptions {
            base: base.clone(),
            rounds: 2,
            ..CalibrationOptions::default()
        },
    );
    assert!(cal.recall_at_k >= cal.start_recall);
    let ours = evaluate(
        &ctx,
        &Ranker::Milieu(Box::new(PartnerOptions {
            weights: Some(cal.weights),
            ..base
        })),
        &pairs,
        10,
        10,
    );
    assert!(
        ours.recall_at_k > aa.recall_at_k * 1.05,
        "{ours:?} vs {aa:?}"
    );
}

#[test]
fn cordis_suggestion_names_its_mutual_contact() {
    let dir = cordis::shared_data().join("cordis-h2020-participations");
    if !dir.exists() {
        println!("skipped: {} not found", dir.display());
        return;
    }
    let ds = cordis::load(&dir).unwrap();
    let ctx = context(&ds, date(2016, 1));
    // The first organisation with a handful of partners before 2016.
    let org = (0..ctx.len() as u32)
        .find(|&o| (5..50).contains(&ctx.graph().degree(o)))
        .map(|o| ctx.organisation(o).id.to_string())
        .unwrap();
    let found = partners(
        &ctx,
        &org,
        &PartnerOptions {
            purpose: Purpose::Rnd,
            top: 5,
            ..PartnerOptions::default()
        },
    )
    .unwrap();
    assert_eq!(found.len(), 5);
    let u = ctx.org_index(&org).unwrap();
    for s in &found {
        let c = ctx.org_index(&s.candidate).unwrap();
        assert!(!ctx.tied(u, c));
        if !s.via.is_empty() {
            let w = ctx.org_index(&s.via).unwrap();
            assert!(ctx.tied(u, w) && ctx.tied(w, c));
            assert!(
                s.explanation
                    .contains(&format!("warm introduction via {}", s.via))
            );
            assert!(s.explanation.contains("project "), "{}", s.explanation);
        }
    }
}
