//! Prioritisation of a region's clusters on user-weighted, transparent criteria.
//!
//! Each criterion's raw value is turned into a score in [0, 1] by its percentile rank among
//! the region's clusters (ties share the mean rank; a single cluster scores 1), so criteria
//! in different units can be weighted. The total is the weighted mean of the available
//! criteria: `score = sum_k w_k s_k / sum_k w_k`. A criterion without data for the whole
//! region (no start year for growth, no registry counts) gets effective weight 0, shown in
//! the row.

use std::collections::HashMap;

use serde::Serialize;

use crate::defs::Definitions;
use crate::error::{Error, Result};
use crate::lq::{Base, Benchmark, Level};
use crate::relatedness::{RelatednessOptions, relatedness};
use crate::strength::{StrengthOptions, StrengthRules, strength};
use crate::table::Table;

/// Weights of the criteria (any non-negative numbers; they are normalised).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Weights {
    /// CAGR minus the benchmark's CAGR for the cluster.
    pub growth: f64,
    /// Share of the benchmark's cluster employment.
    pub size: f64,
    /// Location quotient.
    pub specialisation: f64,
    /// Jobs in the cluster in the region.
    pub jobs: f64,
    /// Relatedness density to the region's existing strengths.
    pub relatedness: f64,
    /// Organised actors found in the registry.
    pub organised: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            growth: 1.0,
            size: 1.0,
            specialisation: 1.0,
            jobs: 1.0,
            relatedness: 1.0,
            organised: 1.0,
        }
    }
}

/// Options of [`prioritise`].
#[derive(Debug, Clone)]
pub struct PrioritiseOptions<'a> {
    pub region: String,
    pub year: u16,
    pub from_year: Option<u16>,
    pub definitions: &'a Definitions,
    pub base: Base,
    pub benchmark: Benchmark,
    pub weights: Weights,
    /// Cluster code -> organised actors in the registry (from the store).
    pub organised_actors: Option<&'a HashMap<String, u32>>,
    /// Rank traded clusters only (CMP practice: local clusters serve the local market).
    pub traded_only: bool,
}

/// One ranked cluster with every criterion's value, score, weight and part of the total.
#[derive(Debug, Clone, Serialize)]
pub struct PriorityRow {
    pub rank: usize,
    pub region: String,
    pub region_name: String,
    pub cluster: String,
    pub name: String,
    pub year: u16,
    pub score: f64,
    pub classification: &'static str,
    pub stars: u8,
    pub strong: Option<bool>,
    pub growth: Option<f64>,
    pub growth_score: f64,
    pub growth_weight: f64,
    pub growth_part: f64,
    pub size: f64,
    pub size_score: f64,
    pub size_weight: f64,
    pub size_part: f64,
    pub specialisation: f64,
    pub specialisation_score: f64,
    pub specialisation_weight: f64,
    pub specialisation_part: f64,
    pub jobs: f64,
    pub jobs_score: f64,
    pub jobs_weight: f64,
    pub jobs_part: f64,
    pub relatedness: f64,
    pub relatedness_score: f64,
    pub relatedness_weight: f64,
    pub relatedness_part: f64,
    pub organised: Option<u32>,
    pub organised_score: f64,
    pub organised_weight: f64,
    pub organised_part: f64,
}

/// Percentile rank scores in [0, 1]; None values score 0.
pub fn percentile_scores(values: &[Option<f64>]) -> Vec<f64> {
    let present: Vec<f64> = values.iter().flatten().copied().collect();
    let n = present.len();
    values
        .iter()
        .map(|v| match v {
            None => 0.0,
            Some(_) if n <= 1 => 1.0,
            Some(x) => {
                let below = present.iter().filter(|p| **p < *x).count() as f64;
                let equal = present.iter().filter(|p| **p == *x).count() as f64;
                (below + (equal - 1.0) / 2.0) / (n as f64 - 1.0)
            }
        })
        .collect()
}

/// Ranked clusters of one region.
pub fn prioritise(table: &Table, opts: &PrioritiseOptions) -> Result<Vec<PriorityRow>> {
    let w = opts.weights;
    for (name, v) in [
        ("growth", w.growth),
        ("size", w.size),
        ("specialisation", w.specialisation),
        ("jobs", w.jobs),
        ("relatedness", w.relatedness),
        ("organised", w.organised),
    ] {
        if !(v >= 0.0 && v.is_finite()) {
            return Err(Error::option(
                "weights",
                format!("weight `{name}` must be a non-negative number, got {v}"),
            ));
        }
    }
    table.require_region(&opts.region)?;
    let st = strength(
        table,
        &StrengthOptions {
            year: opts.year,
            from_year: opts.from_year,
            level: Level::Cluster,
            definitions: Some(opts.definitions),
            base: opts.base,
            benchmark: opts.benchmark.clone(),
            traded_only: opts.traded_only,
            organised_actors: opts.organised_actors,
            regions: Some(vec![opts.region.clone()]),
            rules: StrengthRules::default(),
        },
    )?;
    let st: Vec<_> = st
        .into_iter()
        .filter(|s| !opts.traded_only || s.traded == Some(true))
        .collect();
    let dens: HashMap<String, f64> = if w.relatedness > 0.0 {
        relatedness(
            table,
            &RelatednessOptions {
                year: opts.year,
                level: Level::Cluster,
                definitions: Some(opts.definitions),
                regions: Some(vec![opts.region.clone()]),
                include_present: true,
                top_related: 0,
            },
        )?
        .into_iter()
        .map(|r| (r.industry_or_cluster.to_string(), r.density))
        .collect()
    } else {
        HashMap::new()
    };
    let growth: Vec<Option<f64>> = st
        .iter()
        .map(|s| match (s.cagr, s.benchmark_cagr) {
            (Some(a), Some(b)) => Some(a - b),
            _ => None,
        })
        .collect();
    let size: Vec<Option<f64>> = st.iter().map(|s| Some(s.size_share)).collect();
    let spec: Vec<Option<f64>> = st.iter().map(|s| Some(s.lq.unwrap_or(0.0))).collect();
    let jobs: Vec<Option<f64>> = st.iter().map(|s| Some(s.employment)).collect();
    let rel: Vec<Option<f64>> = st
        .iter()
        .map(|s| Some(dens.get(&s.industry_or_cluster).copied().unwrap_or(0.0)))
        .collect();
    let org: Vec<Option<f64>> = st
        .iter()
        .map(|s| s.organised_actors.map(f64::from))
        .collect();
    let eff = |weight: f64, vals: &[Option<f64>]| {
        if vals.iter().any(|v| v.is_some()) {
            weight
        } else {
            0.0
        }
    };
    let weights = [
        eff(w.growth, &growth),
        eff(w.size, &size),
        eff(w.specialisation, &spec),
        eff(w.jobs, &jobs),
        eff(w.relatedness, &rel),
        eff(w.organised, &org),
    ];
    let wsum: f64 = weights.iter().sum();
    if wsum <= 0.0 {
        return Err(Error::option(
            "weights",
            "every criterion with data has weight 0; give at least one a positive weight",
        ));
    }
    let scores = [
        percentile_scores(&growth),
        percentile_scores(&size),
        percentile_scores(&spec),
        percentile_scores(&jobs),
        percentile_scores(&rel),
        percentile_scores(&org),
    ];
    let mut rows: Vec<PriorityRow> = st
        .iter()
        .enumerate()
        .map(|(k, s)| {
            let part = |c: usize| weights[c] * scores[c][k] / wsum;
            let total: f64 = (0..6).map(part).sum();
            PriorityRow {
                rank: 0,
                region: s.region.clone(),
                region_name: s.region_name.clone(),
                cluster: s.industry_or_cluster.clone(),
                name: s.name.clone(),
                year: s.year,
                score: total,
                classification: s.classification,
                stars: s.stars,
                strong: s.strong,
                growth: growth[k],
                growth_score: scores[0][k],
                growth_weight: weights[0] / wsum,
                growth_part: part(0),
                size: s.size_share,
                size_score: scores[1][k],
                size_weight: weights[1] / wsum,
                size_part: part(1),
                specialisation: spec[k].unwrap_or(0.0),
                specialisation_score: scores[2][k],
                specialisation_weight: weights[2] / wsum,
                specialisation_part: part(2),
                jobs: s.employment,
                jobs_score: scores[3][k],
                jobs_weight: weights[3] / wsum,
                jobs_part: part(3),
                relatedness: rel[k].unwrap_or(0.0),
                relatedness_score: scores[4][k],
                relatedness_weight: weights[4] / wsum,
                relatedness_part: part(4),
                organised: s.organised_actors,
                organised_score: scores[5][k],
                organised_weight: weights[5] / wsum,
                organised_part: part(5),
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.cluster.cmp(&b.cluster))
    });
    for (i, r) in rows.iter_mut().enumerate() {
        r.rank = i + 1;
    }
    Ok(rows)
}
