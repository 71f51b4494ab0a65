//! Co-location of industries (or clusters) across regions: Pearson correlation of
//! employment or of establishments (raw, LQ or log(1+LQ)), and Ellison-Glaeser
//! coagglomeration. All three reduce to the Gram matrix X'X of a sparse regions x items
//! matrix plus rank-one corrections, computed by one kernel: each region adds the outer
//! product of its non-zero entries to a thread-local dense accumulator (work proportional to
//! the sum of squared non-zeros per region, far below the dense n_regions x n_items^2), and
//! the accumulators are summed.

use rayon::prelude::*;
use serde::Serialize;

use crate::defs::Definitions;
use crate::error::{Error, Result};
use crate::lq::{Base, Benchmark, Level};
use crate::table::{Column, Table};

/// Which co-location signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Signal {
    /// Correlation across regions of employment (after `Transform`).
    #[default]
    Employment,
    /// Correlation across regions of establishment counts (after `Transform`).
    Establishments,
    /// Ellison-Glaeser coagglomeration of employment (transform ignored).
    Coagglomeration,
}

impl Signal {
    pub fn name(self) -> &'static str {
        match self {
            Signal::Employment => "employment_correlation",
            Signal::Establishments => "establishment_correlation",
            Signal::Coagglomeration => "coagglomeration",
        }
    }
}

/// Value correlated across regions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Transform {
    /// The count itself.
    Raw,
    /// Location quotient of the count.
    Lq,
    /// log(1 + LQ): damps a few extreme LQs of small regions.
    #[default]
    LogLq,
}

/// Options of [`colocation_matrix`].
#[derive(Debug, Clone, Default)]
pub struct CoLocationOptions<'a> {
    pub year: u16,
    pub level: Level,
    pub definitions: Option<&'a Definitions>,
    pub signal: Signal,
    pub transform: Transform,
}

/// A square item x item matrix (row-major) with the item codes.
#[derive(Debug, Clone)]
pub struct Similarity {
    pub codes: Vec<String>,
    pub names: Vec<String>,
    pub values: Vec<f64>,
    /// Regions the statistic was computed over.
    pub regions: usize,
}

impl Similarity {
    pub fn len(&self) -> usize {
        self.codes.len()
    }
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }
    pub fn get(&self, i: usize, j: usize) -> f64 {
        self.values[i * self.codes.len() + j]
    }
    pub fn index_of(&self, code: &str) -> Option<usize> {
        self.codes.iter().position(|c| c == code)
    }
}

/// Sparse regions x items matrix in CSR form.
pub(crate) struct Csr {
    pub n_rows: usize,
    pub n_cols: usize,
    pub start: Vec<usize>,
    pub col: Vec<u32>,
    pub val: Vec<f64>,
}

impl Csr {
    /// Build from the table's year slice (sorted by region then item) with a value map;
    /// zero values are skipped.
    pub fn from_table(t: &Table, year: u16, mut value: impl FnMut(usize) -> f64) -> Csr {
        let nr = t.regions().len();
        let mut start = vec![0usize; nr + 1];
        let mut col = Vec::new();
        let mut val = Vec::new();
        for i in t.year_range(year) {
            let v = value(i);
            if v != 0.0 && v.is_finite() {
                start[t.region[i] as usize + 1] += 1;
                col.push(t.industry[i]);
                val.push(v);
            }
        }
        for r in 0..nr {
            start[r + 1] += start[r];
        }
        Csr {
            n_rows: nr,
            n_cols: t.industries().len(),
            start,
            col,
            val,
        }
    }

    /// Column sums and sums of squares.
    fn column_moments(&self) -> (Vec<f64>, Vec<f64>) {
        let mut s = vec![0.0; self.n_cols];
        let mut q = vec![0.0; self.n_cols];
        for (c, v) in self.col.iter().zip(&self.val) {
            s[*c as usize] += v;
            q[*c as usize] += v * v;
        }
        (s, q)
    }

    /// Dense symmetric Gram matrix X'X (n_cols x n_cols).
    ///
    /// Output rows are split into blocks processed in parallel; a block owns rows
    /// [a0, a1) of the result and adds, for every region, the products of its non-zeros
    /// with column index in [a0, a1) and every later non-zero of that region. Blocks write
    /// disjoint rows, so there is one output buffer and no reduction.
    pub fn gram(&self) -> Vec<f64> {
        let n = self.n_cols;
        let mut g = vec![0.0; n * n];
        if n == 0 {
            return g;
        }
        let block = n.div_ceil(64).max(1);
        g.par_chunks_mut(block * n)
            .enumerate()
            .for_each(|(bi, out)| {
                let a0 = bi * block;
                let a1 = (a0 + block).min(n);
                for r in 0..self.n_rows {
                    let (s, e) = (self.start[r], self.start[r + 1]);
                    let cols = &self.col[s..e];
                    let vals = &self.val[s..e];
                    let first = cols.partition_point(|&c| (c as usize) < a0);
                    for a in first..cols.len() {
                        let ca = cols[a] as usize;
                        if ca >= a1 {
                            break;
                        }
                        let va = vals[a];
                        let row = &mut out[(ca - a0) * n..(ca - a0 + 1) * n];
                        for (&cb, &vb) in cols[a..].iter().zip(&vals[a..]) {
                            row[cb as usize] += va * vb;
                        }
                    }
                }
            });
        // Columns within a region are sorted, so only the upper triangle was filled.
        for i in 0..n {
            for j in (i + 1)..n {
                g[j * n + i] = g[i * n + j];
            }
        }
        g
    }

    /// Pearson correlation of columns over all rows (zeros included).
    pub fn correlation(&self) -> Vec<f64> {
        let n = self.n_cols;
        let rows = self.n_rows as f64;
        let mut g = self.gram();
        let (s, q) = self.column_moments();
        let mean: Vec<f64> = s.iter().map(|v| v / rows).collect();
        let sd: Vec<f64> = (0..n)
            .map(|i| (q[i] / rows - mean[i] * mean[i]).max(0.0).sqrt())
            .collect();
        g.par_chunks_mut(n).enumerate().for_each(|(i, row)| {
            for (j, v) in row.iter_mut().enumerate() {
                let d = sd[i] * sd[j];
                *v = if i == j {
                    1.0
                } else if d > 0.0 {
                    ((*v / rows - mean[i] * mean[j]) / d).clamp(-1.0, 1.0)
                } else {
                    0.0
                };
            }
        });
        g
    }
}

/// Item x item co-location matrix of one year.
pub fn colocation_matrix(table: &Table, opts: &CoLocationOptions) -> Result<Similarity> {
    let (t, group) = crate::lq::prepare(table, opts.level, opts.definitions, Base::Total)?;
    let t = t.as_ref();
    let column = match opts.signal {
        Signal::Establishments => {
            if !t.has_establishments(opts.year) {
                return Err(Error::option(
                    "signal",
                    format!("the table has no establishment counts for {}", opts.year),
                ));
            }
            Column::Establishments
        }
        _ => Column::Employment,
    };
    let b = crate::lq::bases(
        t,
        opts.year,
        &group,
        Base::Total,
        &Benchmark::AllRegions,
        column,
    )?;
    let col = t.column(column);
    let values = match opts.signal {
        Signal::Coagglomeration => coagglomeration(t, opts.year, &b),
        _ => {
            let csr = Csr::from_table(t, opts.year, |i| {
                let v = col[i];
                let (r, it) = (t.region[i] as usize, t.industry[i] as usize);
                let lq = || {
                    let rb = b.region[r][0];
                    if rb > 0.0 && b.item[it] > 0.0 {
                        (v / rb) / (b.item[it] / b.bench[0])
                    } else {
                        0.0
                    }
                };
                match opts.transform {
                    Transform::Raw => v,
                    Transform::Lq => lq(),
                    Transform::LogLq => lq().ln_1p(),
                }
            });
            csr.correlation()
        }
    };
    Ok(Similarity {
        codes: t
            .industries()
            .codes()
            .iter()
            .map(|c| c.to_string())
            .collect(),
        names: (0..t.industries().len() as u32)
            .map(|i| t.industries().name(i).to_string())
            .collect(),
        values,
        regions: t.regions().len(),
    })
}

/// Ellison-Glaeser coagglomeration: sum_r (s_ri - x_r)(s_rj - x_r) / (1 - sum_r x_r^2),
/// s_ri = e_ri / E_i, x_r = e_r / E.
fn coagglomeration(t: &Table, year: u16, b: &crate::lq::Bases) -> Vec<f64> {
    let total: f64 = b.region.iter().map(|v| v[0]).sum();
    let x: Vec<f64> = b.region.iter().map(|v| v[0] / total).collect();
    let sx2: f64 = x.iter().map(|v| v * v).sum();
    let csr = Csr::from_table(t, year, |i| {
        let it = t.industry[i] as usize;
        if b.item[it] > 0.0 {
            t.employment[i] / b.item[it]
        } else {
            0.0
        }
    });
    let n = csr.n_cols;
    let mut u = vec![0.0; n];
    for r in 0..csr.n_rows {
        for k in csr.start[r]..csr.start[r + 1] {
            u[csr.col[k] as usize] += x[r] * csr.val[k];
        }
    }
    let mut g = csr.gram();
    let denom = 1.0 - sx2;
    g.par_chunks_mut(n).enumerate().for_each(|(i, row)| {
        for (j, v) in row.iter_mut().enumerate() {
            *v = (*v - u[i] - u[j] + sx2) / denom;
        }
    });
    g
}

/// One pair of co-located items.
#[derive(Debug, Clone, Serialize)]
pub struct CoLocationRow {
    pub industry_a: String,
    pub name_a: String,
    pub industry_b: String,
    pub name_b: String,
    pub signal: &'static str,
    pub value: f64,
    /// Rank of b among a's partners (1 = most co-located).
    pub rank: usize,
}

/// The `top` most co-located partners of each item (or only of `items`).
pub fn colocation_pairs(
    sim: &Similarity,
    signal: Signal,
    top: usize,
    items: Option<&[String]>,
) -> Vec<CoLocationRow> {
    let n = sim.len();
    let mut out = Vec::new();
    for i in 0..n {
        if let Some(list) = items
            && !list.contains(&sim.codes[i])
        {
            continue;
        }
        let mut partners: Vec<usize> = (0..n).filter(|&j| j != i).collect();
        partners.sort_by(|&a, &b| sim.get(i, b).total_cmp(&sim.get(i, a)));
        for (rank, &j) in partners.iter().take(top).enumerate() {
            out.push(CoLocationRow {
                industry_a: sim.codes[i].clone(),
                name_a: sim.names[i].clone(),
                industry_b: sim.codes[j].clone(),
                name_b: sim.names[j].clone(),
                signal: signal.name(),
                value: sim.get(i, j),
                rank: rank + 1,
            });
        }
    }
    out
}
