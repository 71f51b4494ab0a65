//! Partner matching as a forecast on CORDIS H2020: from the projects that started before
//! 2016-01-01, which new pairs of organisations co-participate in projects starting in 2016-2017?
//! milieu's score (weights calibrated on an earlier split: what was known at 2015-01-01 against
//! the new pairs of 2015) against common neighbours, Adamic-Adar, topic cosine and random.
//!
//! `cargo run --release -p milieu-match --example cordis_forecast [-- DATA_DIR]`

#[path = "common/cordis.rs"]
mod cordis;

use milieu_match::forecast::{ForecastMetrics, Ranker, evaluate, new_collaborations};
use milieu_match::{
    CalibrationOptions, ContextOptions, MatchContext, PartnerOptions, Purpose, calibrate,
};
use milieu_model::{Date, WholeRegistry};
use std::time::Instant;

fn date(y: i32, m: u32) -> Date {
    Date::from_ymd_opt(y, m, 1).expect("valid date")
}

fn context(ds: &milieu_model::Dataset, as_of: Date) -> MatchContext {
    let opts = ContextOptions {
        as_of: Some(as_of),
        ..ContextOptions::default()
    };
    MatchContext::build(ds, &opts, &WholeRegistry)
}

fn row(m: &ForecastMetrics, best_baseline: f64) {
    println!(
        "{:<22} {:>8} {:>10.4} {:>8.4} {:>8.2}x {:>8.2}s",
        m.method,
        m.pairs,
        m.recall_at_k,
        m.mrr,
        if best_baseline > 0.0 {
            m.recall_at_k / best_baseline
        } else {
            0.0
        },
        m.seconds
    );
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args()
        .nth(1)
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| cordis::shared_data().join("cordis-h2020-participations"));
    let t = Instant::now();
    let ds = cordis::load(&dir)?;
    println!(
        "loaded {} organisations, {} projects, {} participations in {:.2}s",
        ds.organisations.len(),
        ds.projects.len(),
        ds.participations.len(),
        t.elapsed().as_secs_f64()
    );
    let (k, depth) = (10, 100);
    let env = |name: &str, default: usize| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let base = PartnerOptions {
        purpose: Purpose::Rnd,
        explain: false,
        pool: env("MILIEU_POOL", milieu_match::DEFAULT_POOL),
        network_candidates: env("MILIEU_NETWORK", milieu_match::DEFAULT_NETWORK_CANDIDATES),
        ..PartnerOptions::default()
    };

    // Validation split inside the training period: known at 2015-07-01, new pairs of the second
    // half of 2015. (2014, H2020's first year, holds only 1.5k participations: a context at
    // 2015-01-01 would have 10k edges against 148k at the test date.)
    let t = Instant::now();
    let ctx_val = context(&ds, date(2015, 7));
    let pairs_val = new_collaborations(&ds, &ctx_val, date(2015, 7), date(2016, 1));
    println!(
        "validation: context at 2015-07-01 ({} edges), {} new pairs in 2015-07..12 ({:.2}s)",
        ctx_val.graph().edge_count(),
        pairs_val.len(),
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let cal = calibrate(
        &ctx_val,
        &pairs_val,
        &CalibrationOptions {
            base: base.clone(),
            ..CalibrationOptions::default()
        },
    );
    println!(
        "calibrated in {:.1}s ({} evaluations): validation recall@{k} {:.4} -> {:.4}; constant parts: {}",
        t.elapsed().as_secs_f64(),
        cal.evaluations,
        cal.start_recall,
        cal.recall_at_k,
        cal.constant_parts.join(", ")
    );
    println!("weights: {}", serde_json::to_string(&cal.weights)?);
    let aa_val = evaluate(&ctx_val, &Ranker::AdamicAdar, &pairs_val, k, depth);
    println!(
        "validation Adamic-Adar recall@{k} {:.4}: calibrated milieu {:.2}x",
        aa_val.recall_at_k,
        cal.recall_at_k / aa_val.recall_at_k.max(1e-12)
    );

    // The real split: known at 2016-01-01, new pairs of 2016-2017.
    let t = Instant::now();
    let ctx = context(&ds, date(2016, 1));
    let pairs = new_collaborations(&ds, &ctx, date(2016, 1), date(2018, 1));
    println!(
        "test: context at 2016-01-01 ({} organisations active, {} edges), {} new pairs in 2016-2017 ({:.2}s)",
        (0..ctx.len() as u32)
            .filter(|&o| ctx.graph().degree(o) > 0)
            .count(),
        ctx.graph().edge_count(),
        pairs.len(),
        t.elapsed().as_secs_f64()
    );
    let baselines: Vec<ForecastMetrics> = [
        Ranker::CommonNeighbours,
        Ranker::AdamicAdar,
        Ranker::TopicCosine,
        Ranker::Random { seed: 1 },
    ]
    .iter()
    .map(|r| evaluate(&ctx, r, &pairs, k, depth))
    .collect();
    let best = baselines.iter().map(|m| m.recall_at_k).fold(0.0, f64::max);
    let default_weights = evaluate(
        &ctx,
        &Ranker::Milieu(Box::new(base.clone())),
        &pairs,
        k,
        depth,
    );
    let calibrated = evaluate(
        &ctx,
        &Ranker::Milieu(Box::new(PartnerOptions {
            weights: Some(cal.weights),
            ..base.clone()
        })),
        &pairs,
        k,
        depth,
    );
    println!(
        "\n{:<22} {:>8} {:>10} {:>8} {:>9} {:>9}",
        "method", "pairs", "recall@10", "MRR", "vs best", "time"
    );
    for m in &baselines {
        row(m, best);
    }
    let mut d = default_weights;
    d.method = "milieu (rnd defaults)".into();
    row(&d, best);
    if let Ok(spec) = std::env::var("MILIEU_WEIGHTS") {
        // Exploration aid: evaluate hand-given weights on the validation split only.
        for item in spec.split('|') {
            let w = milieu_match::Weights::parse_overrides(item, milieu_match::Weights::default())?;
            let m = evaluate(
                &ctx_val,
                &Ranker::Milieu(Box::new(PartnerOptions {
                    weights: Some(w),
                    ..base.clone()
                })),
                &pairs_val,
                k,
                depth,
            );
            println!(
                "validation {item:<50} recall@10 {:.4} MRR {:.4}",
                m.recall_at_k, m.mrr
            );
        }
    }
    let mut c = calibrated;
    c.method = "milieu (calibrated)".into();
    row(&c, best);
    Ok(())
}
