//! Location quotients and the per-region cluster profile (size, specialisation, focus,
//! growth, wages).

use std::sync::Arc;

use serde::Serialize;

use crate::defs::Definitions;
use crate::error::{Error, Result};
use crate::table::{Column, Table};

/// Industry (table codes) or cluster (industries summed by a definition set).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Level {
    #[default]
    Industry,
    Cluster,
}

/// Denominator of the region and benchmark shares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Base {
    /// All employment of the region (published total when the table has it).
    #[default]
    Total,
    /// CMP convention: a traded item against all traded employment, a local item against
    /// all local employment (needs definitions with traded flags).
    TradedLocal,
}

/// What the region is compared with.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Benchmark {
    /// The sum of all regions in the table.
    #[default]
    AllRegions,
    /// A region present in the table (e.g. the nation); it is left out of the output.
    Region(String),
}

/// Options of [`lq`].
#[derive(Debug, Clone, Default)]
pub struct LqOptions<'a> {
    pub year: u16,
    pub level: Level,
    pub definitions: Option<&'a Definitions>,
    pub base: Base,
    pub benchmark: Benchmark,
}

/// One location quotient with its parts:
/// `lq = (employment / region_base) / (benchmark_employment / benchmark_base)`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LqRow {
    pub region: Arc<str>,
    pub region_name: Arc<str>,
    pub industry_or_cluster: Arc<str>,
    pub name: Arc<str>,
    pub year: u16,
    pub employment: f64,
    /// `total`, `traded` or `local`: which employment the shares are of.
    pub base: &'static str,
    pub region_base: f64,
    pub benchmark_employment: f64,
    pub benchmark_base: f64,
    pub region_share: f64,
    pub benchmark_share: f64,
    /// Empty when the benchmark has none of this item.
    pub lq: Option<f64>,
}

/// REAT-style scalar LQ: `(e_ij / e_j) / (E_i / E)` (region's industry employment, region
/// total, benchmark industry employment, benchmark total).
pub fn locq(e_ij: f64, e_j: f64, e_i: f64, e: f64) -> f64 {
    (e_ij / e_j) / (e_i / e)
}

/// The table at the requested level plus, per item, its base group (0 = total or local,
/// 1 = traded).
pub(crate) fn prepare<'t>(
    table: &'t Table,
    level: Level,
    definitions: Option<&Definitions>,
    base: Base,
) -> Result<(std::borrow::Cow<'t, Table>, Vec<u8>)> {
    let t = match level {
        Level::Industry => std::borrow::Cow::Borrowed(table),
        Level::Cluster => {
            let d = definitions
                .ok_or_else(|| Error::option("level", "cluster level needs --definitions"))?;
            std::borrow::Cow::Owned(d.aggregate(table)?)
        }
    };
    let n = t.industries().len();
    let mut group = vec![0u8; n];
    if base == Base::TradedLocal {
        let d =
            definitions.ok_or_else(|| Error::option("base", "traded base needs --definitions"))?;
        let mut unknown = Vec::new();
        for (i, g) in group.iter_mut().enumerate() {
            let code = t.industries().code(i as u32);
            let traded = match level {
                Level::Industry => d.cluster_of(code).map(|c| c.traded),
                Level::Cluster => d.cluster(code).map(|c| c.traded),
            };
            match traded {
                Some(Some(true)) => *g = 1,
                Some(Some(false)) => *g = 0,
                Some(None) => {
                    return Err(Error::option(
                        "base",
                        format!(
                            "definitions `{}` do not say whether `{code}` is traded or local",
                            d.name
                        ),
                    ));
                }
                None => unknown.push(code.to_string()),
            }
        }
        if !unknown.is_empty() {
            unknown.sort();
            return Err(Error::UnknownIndustries {
                definitions: d.name.clone(),
                codes: unknown,
            });
        }
    }
    Ok((t, group))
}

/// Denominators for one year: per region and group, and for the benchmark.
pub(crate) struct Bases {
    /// region x 2 (group 0, group 1)
    pub region: Vec<[f64; 2]>,
    /// per item benchmark employment
    pub item: Vec<f64>,
    pub bench: [f64; 2],
    pub bench_region: Option<u32>,
}

pub(crate) fn bases(
    t: &Table,
    year: u16,
    group: &[u8],
    base: Base,
    benchmark: &Benchmark,
    column: Column,
) -> Result<Bases> {
    let rows = t.require_year(year)?;
    let nr = t.regions().len();
    let col = t.column(column);
    let mut region = vec![[0.0f64; 2]; nr];
    let mut item_sum = vec![0.0; t.industries().len()];
    for i in rows.clone() {
        let v = col[i];
        if v.is_nan() {
            continue;
        }
        let it = t.industry[i] as usize;
        region[t.region[i] as usize][group[it] as usize] += v;
        item_sum[it] += v;
    }
    if base == Base::Total {
        for (r, b) in region.iter_mut().enumerate() {
            if let Some(tot) = t.totals(year, r as u32) {
                let v = match column {
                    Column::Employment => tot.employment,
                    Column::Establishments => tot.establishments,
                    Column::Payroll => tot.payroll,
                };
                if !v.is_nan() {
                    b[0] = v;
                }
            }
        }
    }
    let (item, bench, bench_region) = match benchmark {
        Benchmark::AllRegions => {
            let mut b = [0.0; 2];
            for r in &region {
                b[0] += r[0];
                b[1] += r[1];
            }
            (item_sum, b, None)
        }
        Benchmark::Region(code) => {
            let b = t.regions().get(code).ok_or_else(|| Error::UnknownRegion {
                region: code.clone(),
                hint: " (the benchmark must be a region of the table, e.g. the nation's totals)"
                    .into(),
            })?;
            let mut item = vec![0.0; t.industries().len()];
            for i in rows {
                if t.region[i] == b && !col[i].is_nan() {
                    item[t.industry[i] as usize] = col[i];
                }
            }
            (item, region[b as usize], Some(b))
        }
    };
    Ok(Bases {
        region,
        item,
        bench,
        bench_region,
    })
}

fn base_name(base: Base, g: u8) -> &'static str {
    match (base, g) {
        (Base::Total, _) => "total",
        (Base::TradedLocal, 1) => "traded",
        (Base::TradedLocal, _) => "local",
    }
}

/// Location quotients of every (region, industry or cluster) row of the year.
pub fn lq(table: &Table, opts: &LqOptions) -> Result<Vec<LqRow>> {
    let (t, group) = prepare(table, opts.level, opts.definitions, opts.base)?;
    let b = bases(
        &t,
        opts.year,
        &group,
        opts.base,
        &opts.benchmark,
        Column::Employment,
    )?;
    let rows = t.year_range(opts.year);
    let mut out = Vec::with_capacity(rows.len());
    for i in rows {
        let r = t.region[i];
        if Some(r) == b.bench_region {
            continue;
        }
        let it = t.industry[i];
        let g = group[it as usize] as usize;
        let e = t.employment[i];
        let rb = b.region[r as usize][g];
        let be = b.item[it as usize];
        let bb = b.bench[g];
        let rs = if rb > 0.0 { e / rb } else { 0.0 };
        let bs = if bb > 0.0 { be / bb } else { 0.0 };
        out.push(LqRow {
            region: t.regions().code_arc(r),
            region_name: t.regions().name_arc(r),
            industry_or_cluster: t.industries().code_arc(it),
            name: t.industries().name_arc(it),
            year: opts.year,
            employment: e,
            base: base_name(opts.base, g as u8),
            region_base: rb,
            benchmark_employment: be,
            benchmark_base: bb,
            region_share: rs,
            benchmark_share: bs,
            lq: (bs > 0.0 && rb > 0.0).then(|| rs / bs),
        });
    }
    Ok(out)
}

/// Dense LQ matrix (regions x items, row-major) of one year, for kernels (co-location,
/// relatedness). Cells with no benchmark employment are 0.
pub fn lq_matrix(t: &Table, year: u16, column: Column) -> Result<Vec<f64>> {
    let group = vec![0u8; t.industries().len()];
    let b = bases(t, year, &group, Base::Total, &Benchmark::AllRegions, column)?;
    let ni = t.industries().len();
    let mut m = vec![0.0; t.regions().len() * ni];
    let col = t.column(column);
    for i in t.year_range(year) {
        let (r, it) = (t.region[i] as usize, t.industry[i] as usize);
        let v = col[i];
        let rb = b.region[r][0];
        if v > 0.0 && rb > 0.0 && b.item[it] > 0.0 {
            m[r * ni + it] = (v / rb) / (b.item[it] / b.bench[0]);
        }
    }
    Ok(m)
}

/// Options of [`profile`].
#[derive(Debug, Clone, Default)]
pub struct ProfileOptions<'a> {
    pub year: u16,
    /// Start year for growth; None = no growth columns.
    pub from_year: Option<u16>,
    pub level: Level,
    pub definitions: Option<&'a Definitions>,
    pub base: Base,
    pub benchmark: Benchmark,
}

/// Size, specialisation, focus, growth and wages of a region's industry or cluster.
#[derive(Debug, Clone, Serialize)]
pub struct ProfileRow {
    pub region: String,
    pub region_name: String,
    pub industry_or_cluster: String,
    pub name: String,
    pub year: u16,
    pub employment: f64,
    pub establishments: Option<f64>,
    /// Annual payroll (dollars for CBP).
    pub payroll: Option<f64>,
    /// payroll / employment.
    pub wage: Option<f64>,
    /// Benchmark wage of the item (benchmark payroll / benchmark employment).
    pub benchmark_wage: Option<f64>,
    /// Size: employment / benchmark employment of the item (share of the nation's cluster).
    pub size_share: f64,
    /// Specialisation: the location quotient.
    pub lq: Option<f64>,
    /// Focus: employment / region base (share of the region's employment).
    pub focus: f64,
    pub from_year: Option<u16>,
    pub from_employment: Option<f64>,
    /// employment - from_employment.
    pub growth_abs: Option<f64>,
    /// (employment / from_employment)^(1 / years) - 1.
    pub cagr: Option<f64>,
    /// The benchmark's CAGR for the same item.
    pub benchmark_cagr: Option<f64>,
}

/// Compound annual growth rate; None when undefined (start 0 or no span).
pub fn cagr(from: f64, to: f64, years: f64) -> Option<f64> {
    (from > 0.0 && years > 0.0).then(|| (to / from).powf(1.0 / years) - 1.0)
}

/// Profile of every (region, item) row of `opts.year`.
pub fn profile(table: &Table, opts: &ProfileOptions) -> Result<Vec<ProfileRow>> {
    let (t, group) = prepare(table, opts.level, opts.definitions, opts.base)?;
    let b = bases(
        &t,
        opts.year,
        &group,
        opts.base,
        &opts.benchmark,
        Column::Employment,
    )?;
    let pay = bases(
        &t,
        opts.year,
        &group,
        opts.base,
        &opts.benchmark,
        Column::Payroll,
    )?;
    let ni = t.industries().len();
    let from = match opts.from_year {
        Some(y) => {
            t.require_year(y)?;
            let m = t.dense(y, Column::Employment);
            let fb = bases(
                &t,
                y,
                &group,
                opts.base,
                &opts.benchmark,
                Column::Employment,
            )?;
            Some((y, m, fb))
        }
        None => None,
    };
    let mut out = Vec::new();
    for i in t.year_range(opts.year) {
        let r = t.region[i];
        if Some(r) == b.bench_region {
            continue;
        }
        let it = t.industry[i] as usize;
        let g = group[it] as usize;
        let e = t.employment[i];
        let rb = b.region[r as usize][g];
        let be = b.item[it];
        let rs = if rb > 0.0 { e / rb } else { 0.0 };
        let bs = if b.bench[g] > 0.0 {
            be / b.bench[g]
        } else {
            0.0
        };
        let est = t.establishments[i];
        let p = t.payroll[i];
        let (fy, fe, ga, cg, bcg) = match &from {
            Some((y, m, fb)) => {
                let fe = m[r as usize * ni + it];
                let span = opts.year as f64 - *y as f64;
                (
                    Some(*y),
                    Some(fe),
                    Some(e - fe),
                    cagr(fe, e, span),
                    cagr(fb.item[it], be, span),
                )
            }
            None => (None, None, None, None, None),
        };
        out.push(ProfileRow {
            region: t.regions().code(r).to_string(),
            region_name: t.regions().name(r).to_string(),
            industry_or_cluster: t.industries().code(it as u32).to_string(),
            name: t.industries().name(it as u32).to_string(),
            year: opts.year,
            employment: e,
            establishments: (!est.is_nan()).then_some(est),
            payroll: (!p.is_nan()).then_some(p),
            wage: (!p.is_nan() && e > 0.0).then(|| p / e),
            benchmark_wage: (be > 0.0 && pay.item[it] > 0.0).then(|| pay.item[it] / be),
            size_share: if be > 0.0 { e / be } else { 0.0 },
            lq: (bs > 0.0 && rb > 0.0).then(|| rs / bs),
            focus: rs,
            from_year: fy,
            from_employment: fe,
            growth_abs: ga,
            cagr: cg,
            benchmark_cagr: bcg,
        });
    }
    Ok(out)
}
