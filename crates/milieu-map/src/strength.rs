//! Cluster strength: the US Cluster Mapping Project strong-cluster rule, a European Cluster
//! Observatory style star rating, and a working / latent / potential classification.
//!
//! CMP rule (as implemented in the CMP site's calculation code): for each cluster, across
//! all regions of the same type with employment > 0, take the 25th percentile of employment
//! and of establishments and the 75th / 90th percentile of LQ (linear interpolation between
//! order statistics, d3/R-7). A region's cluster is *strong* when LQ >= p75(LQ), LQ >= 1,
//! employment > p25(employment) and establishments > p25(establishments); *strong10* uses
//! p90 instead of p75. CMP applies it to traded clusters only.

use std::collections::HashMap;

use serde::Serialize;

use crate::defs::Definitions;
use crate::error::Result;
use crate::lq::{Base, Benchmark, Level, ProfileOptions, profile};

/// Quantile with linear interpolation between order statistics (R type 7, d3.quantile).
/// `sorted` must be ascending; None when empty.
pub fn quantile(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let h = (sorted.len() - 1) as f64 * p.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    Some(sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo]))
}

/// Thresholds of the star rating and the classification.
#[derive(Debug, Clone)]
pub struct StrengthRules {
    /// Size star: region's share of the benchmark's cluster employment in the top
    /// `size_top` fraction of regions (ECO: top 10%).
    pub size_top: f64,
    /// Specialisation star: LQ >= this (ECO: 2).
    pub specialisation_lq: f64,
    /// Focus star: cluster's share of the region's employment in the top `focus_top`
    /// fraction of regions (ECO: top 10%).
    pub focus_top: f64,
    /// Potential: LQ at least this, without critical mass.
    pub potential_lq: f64,
    /// Working needs at least this many organised actors in the registry.
    pub min_actors: u32,
}

impl Default for StrengthRules {
    fn default() -> Self {
        StrengthRules {
            size_top: 0.10,
            specialisation_lq: 2.0,
            focus_top: 0.10,
            potential_lq: 0.8,
            min_actors: 1,
        }
    }
}

/// Options of [`strength`].
#[derive(Debug, Clone)]
pub struct StrengthOptions<'a> {
    pub year: u16,
    /// Start year for growth (used by the `potential` class); None = no growth test.
    pub from_year: Option<u16>,
    pub level: Level,
    pub definitions: Option<&'a Definitions>,
    pub base: Base,
    pub benchmark: Benchmark,
    /// Apply the CMP rule to traded clusters only (CMP practice); others get no flag.
    pub traded_only: bool,
    /// Organised actors per cluster code found in the registry (from the store); None =
    /// unknown, so no cluster can be shown to be `working`.
    pub organised_actors: Option<&'a HashMap<String, u32>>,
    /// Only these regions in the output (None = all).
    pub regions: Option<Vec<String>>,
    pub rules: StrengthRules,
}

impl Default for StrengthOptions<'_> {
    fn default() -> Self {
        StrengthOptions {
            year: 0,
            from_year: None,
            level: Level::Cluster,
            definitions: None,
            base: Base::TradedLocal,
            benchmark: Benchmark::AllRegions,
            traded_only: true,
            organised_actors: None,
            regions: None,
            rules: StrengthRules::default(),
        }
    }
}

/// Strength of one region's cluster, with every threshold it was tested against.
#[derive(Debug, Clone, Serialize)]
pub struct StrengthRow {
    pub region: String,
    pub region_name: String,
    pub industry_or_cluster: String,
    pub name: String,
    pub year: u16,
    pub traded: Option<bool>,
    pub employment: f64,
    pub establishments: Option<f64>,
    pub lq: Option<f64>,
    pub lq_p75: Option<f64>,
    pub lq_p90: Option<f64>,
    pub employment_p25: Option<f64>,
    pub establishments_p25: Option<f64>,
    /// CMP strong cluster (None when the rule does not apply, e.g. local clusters).
    pub strong: Option<bool>,
    pub strong10: Option<bool>,
    pub size_share: f64,
    pub size_threshold: Option<f64>,
    pub size_star: bool,
    pub specialisation_star: bool,
    pub focus: f64,
    pub focus_threshold: Option<f64>,
    pub focus_star: bool,
    /// 0..=3.
    pub stars: u8,
    pub cagr: Option<f64>,
    pub benchmark_cagr: Option<f64>,
    pub organised_actors: Option<u32>,
    /// `working`, `latent`, `potential` or `none`.
    pub classification: &'static str,
    /// The rule that gave the class, in words with the numbers.
    pub classification_rule: String,
}

/// Strength, stars and classification of every region's clusters.
pub fn strength(table: &Table, opts: &StrengthOptions) -> Result<Vec<StrengthRow>> {
    let prof = profile(
        table,
        &ProfileOptions {
            year: opts.year,
            from_year: opts.from_year,
            level: opts.level,
            definitions: opts.definitions,
            base: opts.base,
            benchmark: opts.benchmark.clone(),
        },
    )?;
    // Per item: sorted LQ, employment, establishments, size shares, focus over regions with
    // employment > 0.
    #[derive(Default)]
    struct Dist {
        lq: Vec<f64>,
        emp: Vec<f64>,
        est: Vec<f64>,
        size: Vec<f64>,
        focus: Vec<f64>,
    }
    let mut dist: HashMap<String, Dist> = HashMap::new();
    for p in &prof {
        if p.employment <= 0.0 {
            continue;
        }
        let d = dist.entry(p.industry_or_cluster.clone()).or_default();
        d.lq.push(p.lq.unwrap_or(0.0));
        d.emp.push(p.employment);
        if let Some(e) = p.establishments {
            d.est.push(e);
        }
        d.size.push(p.size_share);
        d.focus.push(p.focus);
    }
    struct Cut {
        lq75: Option<f64>,
        lq90: Option<f64>,
        emp25: Option<f64>,
        est25: Option<f64>,
        size: Option<f64>,
        focus: Option<f64>,
    }
    let r = &opts.rules;
    let cuts: HashMap<String, Cut> = dist
        .into_iter()
        .map(|(k, mut d)| {
            for v in [&mut d.lq, &mut d.emp, &mut d.est, &mut d.size, &mut d.focus] {
                v.sort_by(f64::total_cmp);
            }
            let est25 = if d.est.len() == d.emp.len() {
                quantile(&d.est, 0.25)
            } else {
                None
            };
            (
                k,
                Cut {
                    lq75: quantile(&d.lq, 0.75),
                    lq90: quantile(&d.lq, 0.90),
                    emp25: quantile(&d.emp, 0.25),
                    est25,
                    size: quantile(&d.size, 1.0 - r.size_top),
                    focus: quantile(&d.focus, 1.0 - r.focus_top),
                },
            )
        })
        .collect();
    let traded_of = |code: &str| -> Option<bool> {
        let d = opts.definitions?;
        match opts.level {
            Level::Cluster => d.cluster(code).and_then(|c| c.traded),
            Level::Industry => d.cluster_of(code).and_then(|c| c.traded),
        }
    };
    let mut out = Vec::new();
    for p in prof {
        if let Some(list) = &opts.regions
            && !list.contains(&p.region)
        {
            continue;
        }
        let traded = traded_of(&p.industry_or_cluster);
        let cut = cuts.get(p.industry_or_cluster.as_str());
        let lq = p.lq.unwrap_or(0.0);
        let applies = p.employment > 0.0 && (!opts.traded_only || traded == Some(true));
        let mass = |q: Option<f64>| -> Option<bool> {
            let c = cut?;
            let lq_ok = lq >= q? && lq >= 1.0;
            let emp_ok = p.employment > c.emp25?;
            let est_ok = match (p.establishments, c.est25) {
                (Some(e), Some(q)) => e > q,
                _ => true, // no establishment counts: the floor is not applied
            };
            Some(lq_ok && emp_ok && est_ok)
        };
        let (strong, strong10) = if applies {
            (
                mass(cut.and_then(|c| c.lq75)),
                mass(cut.and_then(|c| c.lq90)),
            )
        } else {
            (None, None)
        };
        let size_star =
            p.employment > 0.0 && cut.and_then(|c| c.size).is_some_and(|q| p.size_share >= q);
        let spec_star = lq >= r.specialisation_lq;
        let focus_star =
            p.employment > 0.0 && cut.and_then(|c| c.focus).is_some_and(|q| p.focus >= q);
        let stars = size_star as u8 + spec_star as u8 + focus_star as u8;
        let actors = opts
            .organised_actors
            .map(|m| m.get(&p.industry_or_cluster).copied().unwrap_or(0));
        let critical = strong == Some(true) || stars >= 2;
        let mass_text = format!(
            "critical mass = CMP strong ({}) or >= 2 stars ({stars})",
            match strong {
                Some(true) => "yes",
                Some(false) => "no",
                None => "n/a",
            }
        );
        let growing = match (p.cagr, p.benchmark_cagr) {
            (Some(a), Some(b)) => Some(a > b),
            _ => None,
        };
        let (class, rule) = if critical {
            match actors {
                Some(n) if n >= r.min_actors => (
                    "working",
                    format!("{mass_text}; organised actors {n} >= {}", r.min_actors),
                ),
                Some(n) => (
                    "latent",
                    format!("{mass_text}; organised actors {n} < {}", r.min_actors),
                ),
                None => (
                    "latent",
                    format!(
                        "{mass_text}; organised actors unknown (no registry counts), so interaction is not shown"
                    ),
                ),
            }
        } else if lq >= r.potential_lq && (stars >= 1 || growing == Some(true)) {
            (
                "potential",
                format!(
                    "no critical mass; LQ {lq:.2} >= {} and ({} star(s) or growth above benchmark: {})",
                    r.potential_lq,
                    stars,
                    match growing {
                        Some(true) => "yes",
                        Some(false) => "no",
                        None => "unknown",
                    }
                ),
            )
        } else {
            (
                "none",
                format!(
                    "no critical mass; LQ {lq:.2} < {} or neither a star nor growth above benchmark",
                    r.potential_lq
                ),
            )
        };
        out.push(StrengthRow {
            region: p.region,
            region_name: p.region_name,
            industry_or_cluster: p.industry_or_cluster,
            name: p.name,
            year: p.year,
            traded,
            employment: p.employment,
            establishments: p.establishments,
            lq: p.lq,
            lq_p75: cut.and_then(|c| c.lq75),
            lq_p90: cut.and_then(|c| c.lq90),
            employment_p25: cut.and_then(|c| c.emp25),
            establishments_p25: cut.and_then(|c| c.est25),
            strong,
            strong10,
            size_share: p.size_share,
            size_threshold: cut.and_then(|c| c.size),
            size_star,
            specialisation_star: spec_star,
            focus: p.focus,
            focus_threshold: cut.and_then(|c| c.focus),
            focus_star,
            stars,
            cagr: p.cagr,
            benchmark_cagr: p.benchmark_cagr,
            organised_actors: actors,
            classification: class,
            classification_rule: rule,
        });
    }
    Ok(out)
}

use crate::table::Table;

#[cfg(test)]
mod tests {
    use super::quantile;

    #[test]
    fn quantile_matches_r7() {
        let v = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(quantile(&v, 0.25), Some(1.75));
        assert_eq!(quantile(&v, 0.75), Some(3.25));
        assert_eq!(quantile(&v, 1.0), Some(4.0));
        assert_eq!(quantile(&[], 0.5), None);
    }
}
