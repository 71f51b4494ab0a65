//! Relatedness and relatedness density (Hidalgo, Klinger, Barabási & Hausmann 2007, "The
//! product space"; density as in Hidalgo et al. 2018 "The principle of relatedness").
//!
//! - Revealed advantage: M_ri = 1 when LQ_ri >= 1.
//! - Proximity: phi_ij = sum_r M_ri M_rj / max(k_i, k_j), k_i = sum_r M_ri (the minimum of
//!   the two conditional probabilities of having an advantage in one given the other).
//! - Density of region r around item j: omega_rj = sum_{i != j} M_ri phi_ij /
//!   sum_{i != j} phi_ij: the share of j's related items in which r already has an
//!   advantage. High density on an item r lacks = a plausible next step.

use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::colocation::{Csr, Similarity};
use crate::defs::Definitions;
use crate::error::Result;
use crate::lq::{Base, Level};
use crate::table::{Column, Table};

/// Options of [`relatedness`] and [`proximity`].
#[derive(Debug, Clone, Default)]
pub struct RelatednessOptions<'a> {
    pub year: u16,
    pub level: Level,
    pub definitions: Option<&'a Definitions>,
    /// Regions to report (None = all).
    pub regions: Option<Vec<String>>,
    /// Also report items the region already has an advantage in.
    pub include_present: bool,
    /// How many related existing strengths to name per row.
    pub top_related: usize,
}

/// Relatedness density of a region around one item.
#[derive(Debug, Clone, Serialize)]
pub struct RelatednessRow {
    pub region: Arc<str>,
    pub region_name: Arc<str>,
    pub industry_or_cluster: Arc<str>,
    pub name: Arc<str>,
    pub year: u16,
    pub employment: f64,
    pub lq: f64,
    /// LQ >= 1.
    pub advantage: bool,
    /// omega_rj in [0, 1].
    pub density: f64,
    /// sum_{i != j} M_ri phi_ij (numerator).
    pub density_numerator: f64,
    /// sum_{i != j} phi_ij (denominator).
    pub density_denominator: f64,
    /// The region's strengths closest to this item: `name (phi)` joined by `; `.
    pub related_strengths: String,
}

struct Space {
    t_codes: Vec<String>,
    t_names: Vec<String>,
    lq: Vec<f64>,
    emp: Vec<f64>,
    m: Csr,
    phi: Vec<f64>,
    region_codes: Vec<String>,
    region_names: Vec<String>,
}

fn space(
    table: &Table,
    year: u16,
    level: Level,
    definitions: Option<&Definitions>,
) -> Result<Space> {
    let (t, _) = crate::lq::prepare(table, level, definitions, Base::Total)?;
    let t = t.as_ref();
    let lq = crate::lq::lq_matrix(t, year, Column::Employment)?;
    let emp = t.dense(year, Column::Employment);
    let ni = t.industries().len();
    let m = Csr::from_table(t, year, |i| {
        let (r, it) = (t.region[i] as usize, t.industry[i] as usize);
        if lq[r * ni + it] >= 1.0 { 1.0 } else { 0.0 }
    });
    let co = m.gram();
    let k: Vec<f64> = (0..ni).map(|i| co[i * ni + i]).collect();
    let mut phi = co;
    for i in 0..ni {
        for j in 0..ni {
            let d = k[i].max(k[j]);
            phi[i * ni + j] = if d > 0.0 { phi[i * ni + j] / d } else { 0.0 };
        }
    }
    Ok(Space {
        t_codes: t
            .industries()
            .codes()
            .iter()
            .map(|c| c.to_string())
            .collect(),
        t_names: (0..ni as u32)
            .map(|i| t.industries().name(i).to_string())
            .collect(),
        lq,
        emp,
        m,
        phi,
        region_codes: t.regions().codes().iter().map(|c| c.to_string()).collect(),
        region_names: (0..t.regions().len() as u32)
            .map(|r| t.regions().name(r).to_string())
            .collect(),
    })
}

/// Proximity matrix phi of the year's items.
pub fn proximity(table: &Table, opts: &RelatednessOptions) -> Result<Similarity> {
    let s = space(table, opts.year, opts.level, opts.definitions)?;
    Ok(Similarity {
        regions: s.region_codes.len(),
        codes: s.t_codes,
        names: s.t_names,
        values: s.phi,
    })
}

/// Relatedness density of each requested region around each item (by default only the
/// items it lacks), sorted by region then density descending.
pub fn relatedness(table: &Table, opts: &RelatednessOptions) -> Result<Vec<RelatednessRow>> {
    let s = space(table, opts.year, opts.level, opts.definitions)?;
    let ni = s.t_codes.len();
    let wanted: Option<Vec<usize>> = match &opts.regions {
        Some(list) => Some(
            list.iter()
                .map(|c| {
                    s.region_codes.iter().position(|x| x == c).ok_or_else(|| {
                        crate::error::Error::UnknownRegion {
                            region: c.clone(),
                            hint: String::new(),
                        }
                    })
                })
                .collect::<Result<Vec<_>>>()?,
        ),
        None => None,
    };
    let col_sum: Vec<f64> = (0..ni)
        .map(|j| (0..ni).filter(|&i| i != j).map(|i| s.phi[i * ni + j]).sum())
        .collect();
    let regions: Vec<usize> = wanted.unwrap_or_else(|| (0..s.region_codes.len()).collect());
    let codes: Vec<Arc<str>> = s.t_codes.iter().map(|c| Arc::from(c.as_str())).collect();
    let names: Vec<Arc<str>> = s.t_names.iter().map(|c| Arc::from(c.as_str())).collect();
    let per_region: Vec<Vec<RelatednessRow>> = regions
        .par_iter()
        .map(|&r| {
            let strengths: Vec<usize> = s.m.col[s.m.start[r]..s.m.start[r + 1]]
                .iter()
                .map(|&c| c as usize)
                .collect();
            let region: Arc<str> = Arc::from(s.region_codes[r].as_str());
            let region_name: Arc<str> = Arc::from(s.region_names[r].as_str());
            let mut rows = Vec::new();
            let mut near: Vec<(usize, f64)> = Vec::with_capacity(opts.top_related + 1);
            // Numerators for every j at once: sum of the strengths' phi rows (contiguous,
            // vectorisable), minus the item's own term.
            let mut acc = vec![0.0; ni];
            for &i in &strengths {
                for (a, p) in acc.iter_mut().zip(&s.phi[i * ni..(i + 1) * ni]) {
                    *a += p;
                }
            }
            for j in 0..ni {
                let lq = s.lq[r * ni + j];
                let adv = lq >= 1.0;
                if adv && !opts.include_present {
                    continue;
                }
                let num = if adv {
                    acc[j] - s.phi[j * ni + j]
                } else {
                    acc[j]
                };
                near.clear();
                if opts.top_related > 0 {
                    // phi is symmetric: read row j (contiguous) rather than column j.
                    let phi_j = &s.phi[j * ni..(j + 1) * ni];
                    for &i in &strengths {
                        let p = phi_j[i];
                        if i == j || p <= 0.0 {
                            continue;
                        }
                        if near.len() == opts.top_related && p <= near[near.len() - 1].1 {
                            continue;
                        }
                        let pos = near.iter().position(|q| p > q.1).unwrap_or(near.len());
                        near.insert(pos, (i, p));
                        near.truncate(opts.top_related);
                    }
                }
                let den = col_sum[j];
                let related = near
                    .iter()
                    .map(|(i, p)| format!("{} ({p:.2})", s.t_names[*i]))
                    .collect::<Vec<_>>()
                    .join("; ");
                rows.push(RelatednessRow {
                    region: region.clone(),
                    region_name: region_name.clone(),
                    industry_or_cluster: codes[j].clone(),
                    name: names[j].clone(),
                    year: opts.year,
                    employment: s.emp[r * ni + j],
                    lq,
                    advantage: adv,
                    density: if den > 0.0 { num / den } else { 0.0 },
                    density_numerator: num,
                    density_denominator: den,
                    related_strengths: related,
                });
            }
            rows.sort_by(|a, b| b.density.total_cmp(&a.density));
            rows
        })
        .collect();
    let out: Vec<RelatednessRow> = per_region.into_iter().flatten().collect();
    Ok(out)
}
