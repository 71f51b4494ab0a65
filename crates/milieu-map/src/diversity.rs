//! Diversity / specialisation of regions (Krugman, Hoover, Herfindahl, entropy) and
//! geographic concentration of industries (Hoover, locational Gini, Ellison-Glaeser).

use serde::Serialize;

use crate::defs::Definitions;
use crate::error::Result;
use crate::lq::{Base, Benchmark, Level};
use crate::table::{Column, Table};

/// Options shared by [`diversity`] and [`concentration`].
#[derive(Debug, Clone, Default)]
pub struct IndexOptions<'a> {
    pub year: u16,
    pub level: Level,
    pub definitions: Option<&'a Definitions>,
    pub benchmark: Benchmark,
}

/// A region's specialisation profile. Shares are of the sum of the region's items.
#[derive(Debug, Clone, Serialize)]
pub struct DiversityRow {
    pub region: String,
    pub region_name: String,
    pub year: u16,
    pub employment: f64,
    /// Items with employment > 0.
    pub items: usize,
    /// Krugman specialisation index: sum_i |s_ri - s_i| (0 = same mix as benchmark, max 2).
    pub krugman: f64,
    /// Hoover coefficient of specialisation: krugman / 2.
    pub hoover: f64,
    /// Herfindahl-Hirschman index: sum_i s_ri^2.
    pub herfindahl: f64,
    /// Shannon entropy: -sum_i s_ri ln s_ri.
    pub entropy: f64,
    /// entropy / ln(number of items in the table) (1 = perfectly even).
    pub entropy_normalised: f64,
}

/// Region diversity indices for one year.
pub fn diversity(table: &Table, opts: &IndexOptions) -> Result<Vec<DiversityRow>> {
    let (t, group) = crate::lq::prepare(table, opts.level, opts.definitions, Base::Total)?;
    let b = crate::lq::bases(
        &t,
        opts.year,
        &group,
        Base::Total,
        &opts.benchmark,
        Column::Employment,
    )?;
    let ni = t.industries().len();
    let m = t.dense(opts.year, Column::Employment);
    let bench_total: f64 = b.item.iter().sum();
    let bench_share: Vec<f64> = b.item.iter().map(|v| v / bench_total).collect();
    let ln_n = (ni as f64).ln();
    let mut out = Vec::new();
    for r in 0..t.regions().len() {
        if Some(r as u32) == b.bench_region {
            continue;
        }
        let row = &m[r * ni..(r + 1) * ni];
        let total: f64 = row.iter().sum();
        if total <= 0.0 {
            continue;
        }
        let (mut k, mut h, mut ent, mut items) = (0.0, 0.0, 0.0, 0);
        for i in 0..ni {
            let s = row[i] / total;
            k += (s - bench_share[i]).abs();
            h += s * s;
            if s > 0.0 {
                ent -= s * s.ln();
                items += 1;
            }
        }
        out.push(DiversityRow {
            region: t.regions().code(r as u32).to_string(),
            region_name: t.regions().name(r as u32).to_string(),
            year: opts.year,
            employment: total,
            items,
            krugman: k,
            hoover: k / 2.0,
            herfindahl: h,
            entropy: ent,
            entropy_normalised: if ln_n > 0.0 { ent / ln_n } else { 0.0 },
        });
    }
    Ok(out)
}

/// An item's geographic concentration across the table's regions.
#[derive(Debug, Clone, Serialize)]
pub struct ConcentrationRow {
    pub industry_or_cluster: String,
    pub name: String,
    pub year: u16,
    pub employment: f64,
    /// Regions with employment > 0.
    pub regions: usize,
    /// Hoover concentration: 0.5 * sum_r |s_r - x_r| (s_r item share, x_r total share).
    pub hoover: f64,
    /// Locational Gini (Lorenz curve of regions ordered by LQ).
    pub gini: f64,
    /// Raw geographic concentration G = sum_r (s_r - x_r)^2.
    pub eg_raw_concentration: f64,
    /// 1 - sum_r x_r^2.
    pub eg_region_term: f64,
    /// Plant Herfindahl H used by Ellison-Glaeser (see `herfindahl_method`).
    pub plant_herfindahl: Option<f64>,
    /// How H was obtained: `establishments, equal size within region` or `not available`.
    pub herfindahl_method: &'static str,
    pub establishments: Option<f64>,
    /// Ellison-Glaeser index: (G - (1 - sum x^2) H) / ((1 - sum x^2)(1 - H)).
    pub ellison_glaeser: Option<f64>,
}

/// Ellison-Glaeser (1997) agglomeration index from industry shares `s`, total shares `x`
/// and the plant Herfindahl `h`.
pub fn ellison_glaeser(s: &[f64], x: &[f64], h: f64) -> f64 {
    let g: f64 = s.iter().zip(x).map(|(a, b)| (a - b) * (a - b)).sum();
    let sx: f64 = 1.0 - x.iter().map(|v| v * v).sum::<f64>();
    (g - sx * h) / (sx * (1.0 - h))
}

/// Plant Herfindahl from plant (firm) employments: sum_j (z_j / sum z)^2.
pub fn plant_herfindahl(sizes: &[f64]) -> f64 {
    let tot: f64 = sizes.iter().sum();
    sizes.iter().map(|z| (z / tot) * (z / tot)).sum()
}

/// Locational Gini: regions sorted by s_r / x_r ascending, Lorenz curve of cumulative x
/// (horizontal) and cumulative s (vertical), Gini = 1 - sum (X_k - X_k-1)(Y_k + Y_k-1).
pub fn locational_gini(s: &[f64], x: &[f64]) -> f64 {
    let mut idx: Vec<usize> = (0..s.len()).filter(|&k| x[k] > 0.0 || s[k] > 0.0).collect();
    // Order by LQ ascending without division: s_a * x_b < s_b * x_a.
    idx.sort_by(|&a, &b| (s[a] * x[b]).total_cmp(&(s[b] * x[a])));
    let (mut cx, mut cy, mut area) = (0.0, 0.0, 0.0);
    for k in idx {
        let (nx, ny) = (cx + x[k], cy + s[k]);
        area += (nx - cx) * (ny + cy);
        cx = nx;
        cy = ny;
    }
    1.0 - area
}

/// Concentration of every item across regions for one year. Region shares use the region
/// base (published totals when present). The Ellison-Glaeser plant Herfindahl is
/// approximated from establishment counts assuming equal plant size within each region:
/// H ~ sum_r s_r^2 / n_r, a lower bound of the true H.
pub fn concentration(table: &Table, opts: &IndexOptions) -> Result<Vec<ConcentrationRow>> {
    let (t, group) = crate::lq::prepare(table, opts.level, opts.definitions, Base::Total)?;
    let b = crate::lq::bases(
        &t,
        opts.year,
        &group,
        Base::Total,
        &Benchmark::AllRegions,
        Column::Employment,
    )?;
    let nr = t.regions().len();
    let ni = t.industries().len();
    let total: f64 = b.region.iter().map(|v| v[0]).sum();
    let x: Vec<f64> = b.region.iter().map(|v| v[0] / total).collect();
    let m = t.dense(opts.year, Column::Employment);
    let has_est = t.has_establishments(opts.year);
    let n_est = if has_est {
        Some(t.dense(opts.year, Column::Establishments))
    } else {
        None
    };
    let mut out = Vec::with_capacity(ni);
    let mut s = vec![0.0; nr];
    for i in 0..ni {
        let ei = b.item[i];
        if ei <= 0.0 {
            continue;
        }
        let mut count = 0;
        for r in 0..nr {
            s[r] = m[r * ni + i] / ei;
            if s[r] > 0.0 {
                count += 1;
            }
        }
        let hoover = 0.5 * s.iter().zip(&x).map(|(a, b)| (a - b).abs()).sum::<f64>();
        let g: f64 = s.iter().zip(&x).map(|(a, b)| (a - b) * (a - b)).sum();
        let sx = 1.0 - x.iter().map(|v| v * v).sum::<f64>();
        let (h, est) = match &n_est {
            Some(n) => {
                let mut h = 0.0;
                let mut tot = 0.0;
                for r in 0..nr {
                    let nn = n[r * ni + i];
                    tot += nn;
                    if s[r] > 0.0 {
                        // Suppressed cells can carry employment with 0 establishments:
                        // count them as one plant.
                        h += s[r] * s[r] / nn.max(1.0);
                    }
                }
                (Some(h), Some(tot))
            }
            None => (None, None),
        };
        out.push(ConcentrationRow {
            industry_or_cluster: t.industries().code(i as u32).to_string(),
            name: t.industries().name(i as u32).to_string(),
            year: opts.year,
            employment: ei,
            regions: count,
            hoover,
            gini: locational_gini(&s, &x),
            eg_raw_concentration: g,
            eg_region_term: sx,
            plant_herfindahl: h,
            herfindahl_method: if h.is_some() {
                "establishments, equal size within region"
            } else {
                "not available"
            },
            establishments: est,
            ellison_glaeser: h
                .filter(|&h| h < 1.0)
                .map(|h| (g - sx * h) / (sx * (1.0 - h))),
        });
    }
    Ok(out)
}
