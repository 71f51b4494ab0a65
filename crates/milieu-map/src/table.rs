//! The in-memory columnar table: one row per (year, region, industry) with employment and,
//! where known, establishments and payroll. Region and industry codes are interned to `u32`
//! ids so every kernel works on dense integer indices; rows are sorted by (year, region,
//! industry) so a year is a contiguous slice and a region's industries are contiguous
//! within it (a CSR layout per year).

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use crate::error::{Error, Result};

/// Marks a missing establishments / payroll value in the float columns.
pub const MISSING: f64 = f64::NAN;

/// Interned codes with display names.
#[derive(Debug, Clone, Default)]
pub struct Interner {
    codes: Vec<Arc<str>>,
    names: Vec<Arc<str>>,
    index: HashMap<Arc<str>, u32>,
}

impl Interner {
    /// Id of `code`, creating it (with `name`, or the code itself) when new.
    pub fn intern(&mut self, code: &str, name: Option<&str>) -> u32 {
        if let Some(&id) = self.index.get(code) {
            if let Some(n) = name {
                let slot = &mut self.names[id as usize];
                if &**slot == code && !n.is_empty() {
                    *slot = Arc::from(n);
                }
            }
            return id;
        }
        let id = self.codes.len() as u32;
        let code: Arc<str> = Arc::from(code);
        self.codes.push(code.clone());
        self.names.push(match name {
            Some(n) if !n.is_empty() => Arc::from(n),
            _ => code.clone(),
        });
        self.index.insert(code, id);
        id
    }
    pub fn get(&self, code: &str) -> Option<u32> {
        self.index.get(code).copied()
    }
    pub fn code(&self, id: u32) -> &str {
        &self.codes[id as usize]
    }
    pub fn name(&self, id: u32) -> &str {
        &self.names[id as usize]
    }
    pub fn len(&self) -> usize {
        self.codes.len()
    }
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }
    pub fn codes(&self) -> &[Arc<str>] {
        &self.codes
    }
    /// Shared handle to a code (cheap to clone into result rows).
    pub fn code_arc(&self, id: u32) -> Arc<str> {
        self.codes[id as usize].clone()
    }
    pub fn name_arc(&self, id: u32) -> Arc<str> {
        self.names[id as usize].clone()
    }
}

/// Published all-industry totals of a region in a year (CBP's NAICS "00" row, or a long
/// table's total code). Used as the LQ base when present, because suppressed cells make the
/// sum over industries smaller than the true total.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Totals {
    pub employment: f64,
    pub establishments: f64,
    pub payroll: f64,
}

/// Columnar regional employment table.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub(crate) regions: Interner,
    pub(crate) industries: Interner,
    pub(crate) year: Vec<u16>,
    pub(crate) region: Vec<u32>,
    pub(crate) industry: Vec<u32>,
    pub(crate) employment: Vec<f64>,
    pub(crate) establishments: Vec<f64>,
    pub(crate) payroll: Vec<f64>,
    pub(crate) totals: HashMap<(u16, u32), Totals>,
    years: Vec<u16>,
    year_rows: Vec<Range<usize>>,
}

/// One row with its codes, in the long-table column order (`region,industry,year,
/// employment,establishments,payroll,region_name,industry_name`).
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Record<'a> {
    pub region: &'a str,
    pub industry: &'a str,
    pub year: u16,
    pub employment: f64,
    pub establishments: Option<f64>,
    pub payroll: Option<f64>,
    pub region_name: &'a str,
    pub industry_name: &'a str,
}

/// One row, by value, for iteration.
#[derive(Debug, Clone, Copy)]
pub struct Row {
    pub year: u16,
    pub region: u32,
    pub industry: u32,
    pub employment: f64,
    pub establishments: f64,
    pub payroll: f64,
}

impl Table {
    pub fn regions(&self) -> &Interner {
        &self.regions
    }
    pub fn industries(&self) -> &Interner {
        &self.industries
    }
    /// Distinct years, ascending.
    pub fn years(&self) -> &[u16] {
        &self.years
    }
    pub fn len(&self) -> usize {
        self.year.len()
    }
    pub fn is_empty(&self) -> bool {
        self.year.is_empty()
    }
    pub fn row(&self, i: usize) -> Row {
        Row {
            year: self.year[i],
            region: self.region[i],
            industry: self.industry[i],
            employment: self.employment[i],
            establishments: self.establishments[i],
            payroll: self.payroll[i],
        }
    }
    /// All rows with their codes, in (year, region, industry) order; e.g. for storing an
    /// imported table or exporting it as a long table.
    pub fn records(&self) -> impl Iterator<Item = Record<'_>> + '_ {
        (0..self.len()).map(move |i| Record {
            region: self.regions.code(self.region[i]),
            industry: self.industries.code(self.industry[i]),
            year: self.year[i],
            employment: self.employment[i],
            establishments: (!self.establishments[i].is_nan()).then_some(self.establishments[i]),
            payroll: (!self.payroll[i].is_nan()).then_some(self.payroll[i]),
            region_name: self.regions.name(self.region[i]),
            industry_name: self.industries.name(self.industry[i]),
        })
    }

    /// Published totals as (year, region code, totals), sorted.
    pub fn total_records(&self) -> Vec<(u16, &str, Totals)> {
        let mut v: Vec<(u16, &str, Totals)> = self
            .totals
            .iter()
            .map(|(&(y, r), t)| (y, self.regions.code(r), *t))
            .collect();
        v.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        v
    }

    /// Row index range of one year (empty when absent).
    pub fn year_range(&self, year: u16) -> Range<usize> {
        match self.years.binary_search(&year) {
            Ok(k) => self.year_rows[k].clone(),
            Err(_) => 0..0,
        }
    }
    pub fn require_year(&self, year: u16) -> Result<Range<usize>> {
        match self.years.binary_search(&year) {
            Ok(k) => Ok(self.year_rows[k].clone()),
            Err(_) => Err(Error::UnknownYear {
                year,
                present: self
                    .years
                    .iter()
                    .map(|y| y.to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
            }),
        }
    }
    pub fn require_region(&self, code: &str) -> Result<u32> {
        self.regions.get(code).ok_or_else(|| Error::UnknownRegion {
            region: code.to_string(),
            hint: String::new(),
        })
    }
    /// Published totals for (year, region), if the input had them.
    pub fn totals(&self, year: u16, region: u32) -> Option<Totals> {
        self.totals.get(&(year, region)).copied()
    }
    /// True when every row of the year carries an establishment count.
    pub fn has_establishments(&self, year: u16) -> bool {
        let r = self.year_range(year);
        !r.is_empty() && self.establishments[r].iter().all(|v| !v.is_nan())
    }
    pub fn has_payroll(&self, year: u16) -> bool {
        let r = self.year_range(year);
        !r.is_empty() && self.payroll[r].iter().all(|v| !v.is_nan())
    }

    /// Region base employment for a year: published total when present, else the sum of
    /// the region's industry rows.
    pub fn region_totals(&self, year: u16) -> Vec<f64> {
        let mut sums = vec![0.0; self.regions.len()];
        for i in self.year_range(year) {
            sums[self.region[i] as usize] += self.employment[i];
        }
        for (r, s) in sums.iter_mut().enumerate() {
            if let Some(t) = self.totals.get(&(year, r as u32)) {
                *s = t.employment;
            }
        }
        sums
    }

    /// Employment matrix of one year as dense `regions x industries` (row-major) of the
    /// given column. Missing cells are 0.
    pub fn dense(&self, year: u16, column: Column) -> Vec<f64> {
        let ni = self.industries.len();
        let mut m = vec![0.0; self.regions.len() * ni];
        let col = self.column(column);
        for i in self.year_range(year) {
            let v = col[i];
            if !v.is_nan() {
                m[self.region[i] as usize * ni + self.industry[i] as usize] = v;
            }
        }
        m
    }

    fn index_years(&mut self) {
        self.years.clear();
        self.year_rows.clear();
        let mut start = 0;
        for i in 1..=self.year.len() {
            if i == self.year.len() || self.year[i] != self.year[start] {
                self.years.push(self.year[start]);
                self.year_rows.push(start..i);
                start = i;
            }
        }
    }

    pub(crate) fn column(&self, column: Column) -> &[f64] {
        match column {
            Column::Employment => &self.employment,
            Column::Establishments => &self.establishments,
            Column::Payroll => &self.payroll,
        }
    }

    /// Aggregate regions to a hierarchy level (sum of employment, establishments, payroll,
    /// and of published totals). Regions absent from the hierarchy are an error unless
    /// `drop_missing`, in which case they are dropped and returned in the second value.
    pub fn aggregate_regions(
        &self,
        hierarchy: &crate::hierarchy::Hierarchy,
        level: &str,
        drop_missing: bool,
    ) -> Result<(Table, Vec<String>)> {
        let map = hierarchy.level(level)?;
        let mut missing = Vec::new();
        let mut parent_of: Vec<Option<(&str, &str)>> = Vec::with_capacity(self.regions.len());
        for code in self.regions.codes() {
            match map.get(&**code) {
                Some((p, n)) => parent_of.push(Some((p.as_str(), n.as_str()))),
                None => {
                    missing.push(code.to_string());
                    parent_of.push(None);
                }
            }
        }
        if !missing.is_empty() && !drop_missing {
            return Err(Error::RegionsNotInHierarchy {
                level: level.to_string(),
                regions: missing,
            });
        }
        let mut b = TableBuilder::default();
        let mut new_id: Vec<Option<u32>> = Vec::with_capacity(parent_of.len());
        for p in &parent_of {
            new_id.push(p.map(|(code, name)| b.regions.intern(code, Some(name))));
        }
        let ind_ids: Vec<u32> = (0..self.industries.len() as u32)
            .map(|i| {
                b.industries
                    .intern(self.industries.code(i), Some(self.industries.name(i)))
            })
            .collect();
        for i in 0..self.len() {
            if let Some(r) = new_id[self.region[i] as usize] {
                b.push(
                    self.year[i],
                    r,
                    ind_ids[self.industry[i] as usize],
                    self.employment[i],
                    self.establishments[i],
                    self.payroll[i],
                );
            }
        }
        for (&(y, r), t) in &self.totals {
            if let Some(nr) = new_id[r as usize] {
                b.add_total(y, nr, *t);
            }
        }
        Ok((b.build_summing()?, missing))
    }

    /// Map industries through `f` (None = drop the row) and sum rows that collide, e.g. to
    /// aggregate industries to clusters or to bridge code vintages. `f` returns a list of
    /// (new code, new name, weight) so one code can be split across several.
    pub(crate) fn remap_industries<F>(&self, mut f: F) -> Result<Table>
    where
        F: FnMut(&str) -> Vec<(String, String, f64)>,
    {
        let mut b = TableBuilder::default();
        let reg_ids: Vec<u32> = (0..self.regions.len() as u32)
            .map(|r| {
                b.regions
                    .intern(self.regions.code(r), Some(self.regions.name(r)))
            })
            .collect();
        let mut targets: Vec<Vec<(u32, f64)>> = Vec::with_capacity(self.industries.len());
        for i in 0..self.industries.len() as u32 {
            let t = f(self.industries.code(i))
                .into_iter()
                .map(|(c, n, w)| (b.industries.intern(&c, Some(&n)), w))
                .collect();
            targets.push(t);
        }
        for i in 0..self.len() {
            for &(t, w) in &targets[self.industry[i] as usize] {
                b.push(
                    self.year[i],
                    reg_ids[self.region[i] as usize],
                    t,
                    self.employment[i] * w,
                    self.establishments[i] * w,
                    self.payroll[i] * w,
                );
            }
        }
        for (&(y, r), t) in &self.totals {
            b.add_total(y, reg_ids[r as usize], *t);
        }
        b.build_summing()
    }

    /// Keep only some regions (by predicate on the code).
    pub fn filter_regions(&self, keep: impl Fn(&str) -> bool) -> Result<Table> {
        let mut b = TableBuilder::default();
        let ids: Vec<Option<u32>> = (0..self.regions.len() as u32)
            .map(|r| {
                let code = self.regions.code(r);
                keep(code).then(|| b.regions.intern(code, Some(self.regions.name(r))))
            })
            .collect();
        let ind: Vec<u32> = (0..self.industries.len() as u32)
            .map(|i| {
                b.industries
                    .intern(self.industries.code(i), Some(self.industries.name(i)))
            })
            .collect();
        for i in 0..self.len() {
            if let Some(r) = ids[self.region[i] as usize] {
                b.push(
                    self.year[i],
                    r,
                    ind[self.industry[i] as usize],
                    self.employment[i],
                    self.establishments[i],
                    self.payroll[i],
                );
            }
        }
        for (&(y, r), t) in &self.totals {
            if let Some(nr) = ids[r as usize] {
                b.add_total(y, nr, *t);
            }
        }
        b.build()
    }
}

/// Which measure column to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Employment,
    Establishments,
    Payroll,
}

/// Accumulates rows in any order; `build` sorts them and checks duplicates.
#[derive(Debug, Default)]
pub struct TableBuilder {
    pub(crate) regions: Interner,
    pub(crate) industries: Interner,
    year: Vec<u16>,
    region: Vec<u32>,
    industry: Vec<u32>,
    employment: Vec<f64>,
    establishments: Vec<f64>,
    payroll: Vec<f64>,
    totals: HashMap<(u16, u32), Totals>,
}

impl TableBuilder {
    /// Start from an existing table (to add more years or files).
    pub fn from_table(t: Table) -> TableBuilder {
        TableBuilder {
            regions: t.regions,
            industries: t.industries,
            year: t.year,
            region: t.region,
            industry: t.industry,
            employment: t.employment,
            establishments: t.establishments,
            payroll: t.payroll,
            totals: t.totals,
        }
    }
    /// Append another builder's rows and totals (e.g. files parsed in parallel).
    pub fn merge(&mut self, other: TableBuilder) {
        let rmap: Vec<u32> = (0..other.regions.len() as u32)
            .map(|r| {
                self.regions
                    .intern(other.regions.code(r), Some(other.regions.name(r)))
            })
            .collect();
        let imap: Vec<u32> = (0..other.industries.len() as u32)
            .map(|i| {
                self.industries
                    .intern(other.industries.code(i), Some(other.industries.name(i)))
            })
            .collect();
        self.year.extend_from_slice(&other.year);
        self.region
            .extend(other.region.iter().map(|&r| rmap[r as usize]));
        self.industry
            .extend(other.industry.iter().map(|&i| imap[i as usize]));
        self.employment.extend_from_slice(&other.employment);
        self.establishments.extend_from_slice(&other.establishments);
        self.payroll.extend_from_slice(&other.payroll);
        for ((y, r), t) in other.totals {
            self.add_total(y, rmap[r as usize], t);
        }
    }

    pub fn region_id(&mut self, code: &str, name: Option<&str>) -> u32 {
        self.regions.intern(code, name)
    }
    pub fn industry_id(&mut self, code: &str, name: Option<&str>) -> u32 {
        self.industries.intern(code, name)
    }
    /// Add one row by ids (use `MISSING` for unknown establishments / payroll).
    pub fn push(
        &mut self,
        year: u16,
        region: u32,
        industry: u32,
        employment: f64,
        establishments: f64,
        payroll: f64,
    ) {
        self.year.push(year);
        self.region.push(region);
        self.industry.push(industry);
        self.employment.push(employment);
        self.establishments.push(establishments);
        self.payroll.push(payroll);
    }
    /// Add one row by codes.
    pub fn push_codes(
        &mut self,
        year: u16,
        region: &str,
        industry: &str,
        employment: f64,
        establishments: Option<f64>,
        payroll: Option<f64>,
    ) {
        let r = self.regions.intern(region, None);
        let i = self.industries.intern(industry, None);
        self.push(
            year,
            r,
            i,
            employment,
            establishments.unwrap_or(MISSING),
            payroll.unwrap_or(MISSING),
        );
    }
    /// Record a region's published all-industry totals (summed when added twice).
    pub fn add_total(&mut self, year: u16, region: u32, t: Totals) {
        self.totals
            .entry((year, region))
            .and_modify(|e| {
                e.employment += t.employment;
                e.establishments += t.establishments;
                e.payroll += t.payroll;
            })
            .or_insert(t);
    }
    pub fn len(&self) -> usize {
        self.year.len()
    }
    pub fn is_empty(&self) -> bool {
        self.year.is_empty()
    }

    fn sorted_order(&self) -> Vec<u32> {
        let mut order: Vec<u32> = (0..self.year.len() as u32).collect();
        let key = |i: u32| {
            let i = i as usize;
            ((self.year[i] as u64) << 48)
                | ((self.region[i] as u64) << 24)
                | self.industry[i] as u64
        };
        if self.regions.len() < (1 << 24) && self.industries.len() < (1 << 24) {
            order.sort_unstable_by_key(|&i| key(i));
        } else {
            order.sort_unstable_by_key(|&i| {
                let i = i as usize;
                (self.year[i], self.region[i], self.industry[i])
            });
        }
        order
    }

    /// Sort and check that no (year, region, industry) repeats.
    pub fn build(self) -> Result<Table> {
        self.finish(false)
    }

    /// Sort and sum rows that share (year, region, industry).
    pub fn build_summing(self) -> Result<Table> {
        self.finish(true)
    }

    /// Renumber regions and industries so ids follow code order (outputs come out sorted
    /// by code, and input already sorted by code needs no row sort).
    fn renumber(&mut self) {
        fn remap(int: &mut Interner) -> Vec<u32> {
            let mut order: Vec<u32> = (0..int.len() as u32).collect();
            order.sort_unstable_by(|&a, &b| int.codes[a as usize].cmp(&int.codes[b as usize]));
            let mut new_id = vec![0u32; order.len()];
            for (new, &old) in order.iter().enumerate() {
                new_id[old as usize] = new as u32;
            }
            let codes: Vec<Arc<str>> = order
                .iter()
                .map(|&o| int.codes[o as usize].clone())
                .collect();
            let names: Vec<Arc<str>> = order
                .iter()
                .map(|&o| int.names[o as usize].clone())
                .collect();
            for v in int.index.values_mut() {
                *v = new_id[*v as usize];
            }
            int.codes = codes;
            int.names = names;
            new_id
        }
        let rmap = remap(&mut self.regions);
        let imap = remap(&mut self.industries);
        for r in &mut self.region {
            *r = rmap[*r as usize];
        }
        for i in &mut self.industry {
            *i = imap[*i as usize];
        }
        self.totals = std::mem::take(&mut self.totals)
            .into_iter()
            .map(|((y, r), t)| ((y, rmap[r as usize]), t))
            .collect();
    }

    fn finish(mut self, sum: bool) -> Result<Table> {
        self.renumber();
        let strictly_sorted = (1..self.year.len()).all(|i| {
            (self.year[i - 1], self.region[i - 1], self.industry[i - 1])
                < (self.year[i], self.region[i], self.industry[i])
        });
        if strictly_sorted {
            // Already in order without duplicates (CBP files are): keep the columns.
            let mut t = Table {
                regions: self.regions,
                industries: self.industries,
                year: self.year,
                region: self.region,
                industry: self.industry,
                employment: self.employment,
                establishments: self.establishments,
                payroll: self.payroll,
                totals: self.totals,
                years: Vec::new(),
                year_rows: Vec::new(),
            };
            t.index_years();
            return Ok(t);
        }
        let order = self.sorted_order();
        let n = order.len();
        let mut t = Table {
            regions: self.regions,
            industries: self.industries,
            year: Vec::with_capacity(n),
            region: Vec::with_capacity(n),
            industry: Vec::with_capacity(n),
            employment: Vec::with_capacity(n),
            establishments: Vec::with_capacity(n),
            payroll: Vec::with_capacity(n),
            totals: self.totals,
            years: Vec::new(),
            year_rows: Vec::new(),
        };
        for &o in &order {
            let o = o as usize;
            let (y, r, i) = (self.year[o], self.region[o], self.industry[o]);
            if let Some(last) = t.year.len().checked_sub(1)
                && t.year[last] == y
                && t.region[last] == r
                && t.industry[last] == i
            {
                if !sum {
                    return Err(Error::Duplicate {
                        region: t.regions.code(r).to_string(),
                        industry: t.industries.code(i).to_string(),
                        year: y,
                    });
                }
                t.employment[last] += self.employment[o];
                t.establishments[last] += self.establishments[o];
                t.payroll[last] += self.payroll[o];
                continue;
            }
            t.year.push(y);
            t.region.push(r);
            t.industry.push(i);
            t.employment.push(self.employment[o]);
            t.establishments.push(self.establishments[o]);
            t.payroll.push(self.payroll[o]);
        }
        t.index_years();
        Ok(t)
    }
}
