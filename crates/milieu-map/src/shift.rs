//! Shift-share decomposition of employment change between two years: classic (national
//! share, industry mix, regional shift) and Esteban-Marquillas (regional shift split into a
//! competitive effect on homothetic employment and an allocation effect).

use serde::Serialize;

use crate::defs::Definitions;
use crate::error::{Error, Result};
use crate::lq::{Benchmark, Level};
use crate::table::{Column, Table};

/// Options of [`shift_share`].
#[derive(Debug, Clone, Default)]
pub struct ShiftShareOptions<'a> {
    pub from: u16,
    pub to: u16,
    pub level: Level,
    pub definitions: Option<&'a Definitions>,
    pub benchmark: Benchmark,
    /// Only these regions in the output (None = all).
    pub regions: Option<Vec<String>>,
}

/// One (region, item) decomposition. `change = national_share + industry_mix +
/// regional_shift` and `regional_shift = competitive_effect + allocation_effect`.
#[derive(Debug, Clone, Serialize)]
pub struct ShiftShareRow {
    pub region: String,
    pub region_name: String,
    pub industry_or_cluster: String,
    pub name: String,
    pub from_year: u16,
    pub to_year: u16,
    pub employment_from: f64,
    pub employment_to: f64,
    pub change: f64,
    /// G: growth of the benchmark's total employment.
    pub benchmark_growth: f64,
    /// g_i: growth of the item in the benchmark.
    pub industry_growth: f64,
    /// g_ri: growth of the item in the region (empty when it started at 0).
    pub regional_growth: Option<f64>,
    /// e_ri(t0) * G.
    pub national_share: f64,
    /// e_ri(t0) * (g_i - G).
    pub industry_mix: f64,
    /// e_ri(t0) * (g_ri - g_i); for an item new to the region, its whole employment.
    pub regional_shift: f64,
    /// Esteban-Marquillas homothetic employment e_r(t0) * E_i(t0) / E(t0).
    pub homothetic_employment: f64,
    /// homothetic_employment * (g_ri - g_i).
    pub competitive_effect: f64,
    /// (e_ri(t0) - homothetic_employment) * (g_ri - g_i).
    pub allocation_effect: f64,
}

/// Region totals of the decomposition (sums of its rows).
#[derive(Debug, Clone, Serialize)]
pub struct ShiftShareRegionRow {
    pub region: String,
    pub region_name: String,
    pub from_year: u16,
    pub to_year: u16,
    pub employment_from: f64,
    pub employment_to: f64,
    pub change: f64,
    pub national_share: f64,
    pub industry_mix: f64,
    pub regional_shift: f64,
    pub competitive_effect: f64,
    pub allocation_effect: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ShiftShare {
    pub rows: Vec<ShiftShareRow>,
    pub regions: Vec<ShiftShareRegionRow>,
}

/// Classic and Esteban-Marquillas shift-share of every region (and item) from `from` to `to`.
/// All totals are sums over the table's items, so the components add up to the change.
pub fn shift_share(table: &Table, opts: &ShiftShareOptions) -> Result<ShiftShare> {
    if opts.from >= opts.to {
        return Err(Error::option(
            "from",
            format!("--from ({}) must be before --to ({})", opts.from, opts.to),
        ));
    }
    let (t, _) = crate::lq::prepare(table, opts.level, opts.definitions, crate::lq::Base::Total)?;
    t.require_year(opts.from)?;
    t.require_year(opts.to)?;
    let nr = t.regions().len();
    let ni = t.industries().len();
    let m0 = t.dense(opts.from, Column::Employment);
    let m1 = t.dense(opts.to, Column::Employment);
    let bench = match &opts.benchmark {
        Benchmark::AllRegions => None,
        Benchmark::Region(code) => {
            Some(t.regions().get(code).ok_or_else(|| Error::UnknownRegion {
                region: code.clone(),
                hint: " (the benchmark must be a region of the table)".into(),
            })?)
        }
    };
    // Benchmark item employment at t0, t1.
    let (mut b0, mut b1) = (vec![0.0; ni], vec![0.0; ni]);
    match bench {
        None => {
            for r in 0..nr {
                for i in 0..ni {
                    b0[i] += m0[r * ni + i];
                    b1[i] += m1[r * ni + i];
                }
            }
        }
        Some(b) => {
            b0.copy_from_slice(&m0[b as usize * ni..(b as usize + 1) * ni]);
            b1.copy_from_slice(&m1[b as usize * ni..(b as usize + 1) * ni]);
        }
    }
    let (e0, e1): (f64, f64) = (b0.iter().sum(), b1.iter().sum());
    if e0 <= 0.0 {
        return Err(Error::option(
            "from",
            format!("the benchmark has no employment in {}", opts.from),
        ));
    }
    let g = e1 / e0 - 1.0;
    let gi: Vec<f64> = (0..ni)
        .map(|i| if b0[i] > 0.0 { b1[i] / b0[i] - 1.0 } else { g })
        .collect();
    let keep: Option<Vec<u32>> = match &opts.regions {
        Some(list) => Some(
            list.iter()
                .map(|c| t.require_region(c))
                .collect::<Result<Vec<_>>>()?,
        ),
        None => None,
    };
    let mut rows = Vec::new();
    let mut regions = Vec::new();
    for r in 0..nr as u32 {
        if Some(r) == bench || keep.as_ref().is_some_and(|k| !k.contains(&r)) {
            continue;
        }
        let row0 = &m0[r as usize * ni..(r as usize + 1) * ni];
        let row1 = &m1[r as usize * ni..(r as usize + 1) * ni];
        let er0: f64 = row0.iter().sum();
        let er1: f64 = row1.iter().sum();
        let mut tot = ShiftShareRegionRow {
            region: t.regions().code(r).to_string(),
            region_name: t.regions().name(r).to_string(),
            from_year: opts.from,
            to_year: opts.to,
            employment_from: er0,
            employment_to: er1,
            change: er1 - er0,
            national_share: 0.0,
            industry_mix: 0.0,
            regional_shift: 0.0,
            competitive_effect: 0.0,
            allocation_effect: 0.0,
        };
        if er0 == 0.0 && er1 == 0.0 {
            continue;
        }
        for i in 0..ni {
            let (a, b) = (row0[i], row1[i]);
            if a == 0.0 && b == 0.0 {
                continue;
            }
            let ns = a * g;
            let im = a * (gi[i] - g);
            let (rs, grow, hom, ce, ae);
            hom = er0 * b0[i] / e0;
            if a > 0.0 {
                let gri = b / a - 1.0;
                rs = a * (gri - gi[i]);
                ce = hom * (gri - gi[i]);
                ae = (a - hom) * (gri - gi[i]);
                grow = Some(gri);
            } else {
                // New in the region: no growth rate; the whole gain is a regional
                // (competitive) shift and there is no allocation to split off.
                rs = b;
                ce = b;
                ae = 0.0;
                grow = None;
            }
            tot.national_share += ns;
            tot.industry_mix += im;
            tot.regional_shift += rs;
            tot.competitive_effect += ce;
            tot.allocation_effect += ae;
            rows.push(ShiftShareRow {
                region: tot.region.clone(),
                region_name: tot.region_name.clone(),
                industry_or_cluster: t.industries().code(i as u32).to_string(),
                name: t.industries().name(i as u32).to_string(),
                from_year: opts.from,
                to_year: opts.to,
                employment_from: a,
                employment_to: b,
                change: b - a,
                benchmark_growth: g,
                industry_growth: gi[i],
                regional_growth: grow,
                national_share: ns,
                industry_mix: im,
                regional_shift: rs,
                homothetic_employment: hom,
                competitive_effect: ce,
                allocation_effect: ae,
            });
        }
        regions.push(tot);
    }
    Ok(ShiftShare { rows, regions })
}
