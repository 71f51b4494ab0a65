//! Cluster discovery: group industries by how they co-locate, whatever their codes.
//!
//! Method (chosen on a development split — CBP 2017, a seeded half of the CMP traded
//! clusters — see `bench/map/tune_discover.py`; never tuned on the evaluation answer):
//! 1. For each *view* (the same table at one or more region levels, e.g. counties and BEA
//!    economic areas) and each *signal* (employment, establishments), the Pearson
//!    correlation across regions of log(1 + LQ), with LQs taken within the analysed
//!    industry set. Signals and views are averaged into one co-location similarity: fine
//!    regions see neighbouring suppliers, coarse regions see commuting-range links, and
//!    establishment counts are less noisy than employment where a few plants dominate.
//! 2. Shared-nearest-neighbour similarity: s_ij = |N_k(i) ∩ N_k(j)| / k over each
//!    industry's k most co-located partners, which discounts correlations that come from a
//!    handful of regions and makes the scale comparable across industries.
//! 3. Agglomerative clustering (average linkage by default, kodama) on 1 - s, cut at K.
//!
//! Optionally a code prior blends in the code hierarchy (shared prefix length); it is off
//! by default because the point of discovery is to cross code boundaries.
//!
//! Validation without an answer key: mean silhouette on the co-location dissimilarity,
//! per-cluster cohesion and separation, and how many code groups each cluster spans.
//! With a definition set: adjusted Rand index and normalised mutual information.

use std::collections::HashMap;

use serde::Serialize;

use crate::colocation::{Csr, Signal, Transform};
use crate::defs::Definitions;
use crate::error::{Error, Result};
use crate::table::{Column, Table};

/// Agglomerative linkage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Linkage {
    #[default]
    Average,
    Ward,
    Complete,
}

/// Options of [`discover`].
#[derive(Debug, Clone)]
pub struct DiscoverOptions<'a> {
    /// The year whose employment labels the clusters (anchors, partners).
    pub year: u16,
    /// Further years whose co-location is averaged in (more data, less noise); industries
    /// must be present in every year and view.
    pub extra_years: Vec<u16>,
    /// Number of clusters K.
    pub clusters: usize,
    pub signals: Vec<Signal>,
    pub transform: Transform,
    /// Shared-nearest-neighbour k; 0 = cluster the co-location similarity directly.
    pub neighbours: usize,
    pub linkage: Linkage,
    /// Weight in [0, 1] of the code-hierarchy similarity blended in (0 = co-location only).
    pub code_prior: f64,
    /// Restrict to these industry codes (e.g. traded industries); None = all.
    pub industries: Option<&'a [String]>,
}

impl Default for DiscoverOptions<'_> {
    fn default() -> Self {
        DiscoverOptions {
            year: 0,
            extra_years: Vec::new(),
            clusters: 50,
            signals: vec![Signal::Employment, Signal::Establishments],
            transform: Transform::LogLq,
            neighbours: 10,
            linkage: Linkage::Average,
            code_prior: 0.0,
            industries: None,
        }
    }
}

/// One industry's discovered cluster.
#[derive(Debug, Clone, Serialize)]
pub struct DiscoveredIndustry {
    pub industry: String,
    pub name: String,
    pub cluster: String,
    /// Silhouette on the co-location dissimilarity (-1..1; high = well placed).
    pub silhouette: f64,
    /// Most co-located other industry and its similarity.
    pub top_partner: String,
    pub top_partner_similarity: f64,
}

/// One discovered cluster.
#[derive(Debug, Clone, Serialize)]
pub struct DiscoveredCluster {
    pub cluster: String,
    pub size: usize,
    /// Largest member by employment (a label suggestion).
    pub anchor: String,
    pub anchor_name: String,
    /// Mean co-location similarity between members.
    pub cohesion: f64,
    /// Highest mean similarity to another cluster.
    pub separation: f64,
    pub silhouette: f64,
    /// Distinct 3-character code prefixes among members (> 1 = crosses code boundaries).
    pub code_groups: usize,
    pub members: String,
}

/// Whole-partition validation.
#[derive(Debug, Clone, Serialize)]
pub struct Validation {
    pub industries: usize,
    pub clusters: usize,
    pub mean_silhouette: f64,
    pub mean_cohesion: f64,
    /// Share of multi-member clusters that span more than one 3-character code group.
    pub crossing_share: f64,
    pub signals: String,
    pub views: usize,
    /// Years whose co-location was averaged.
    pub years: String,
    pub neighbours: usize,
    pub linkage: String,
    pub code_prior: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Discovery {
    pub industries: Vec<DiscoveredIndustry>,
    pub clusters: Vec<DiscoveredCluster>,
    pub validation: Validation,
}

/// Comparison of a discovery with a definition set (on industries in both).
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    pub definitions: String,
    pub industries_compared: usize,
    pub discovered_clusters: usize,
    pub defined_clusters: usize,
    pub adjusted_rand_index: f64,
    pub normalized_mutual_information: f64,
}

/// Co-location similarity of `codes` in one view, for one signal.
fn view_similarity(
    t: &Table,
    year: u16,
    codes: &[String],
    signal: Signal,
    transform: Transform,
) -> Result<Vec<f64>> {
    let n = codes.len();
    // Table industry id -> position in `codes`.
    let mut pos = vec![u32::MAX; t.industries().len()];
    for (k, c) in codes.iter().enumerate() {
        if let Some(id) = t.industries().get(c) {
            pos[id as usize] = k as u32;
        }
    }
    let column = match signal {
        Signal::Establishments => {
            if !t.has_establishments(year) {
                return Err(Error::option(
                    "signal",
                    format!("a view has no establishment counts for {year}"),
                ));
            }
            Column::Establishments
        }
        _ => Column::Employment,
    };
    let col = t.column(column);
    let rows = t.require_year(year)?;
    let nr = t.regions().len();
    let mut region_sum = vec![0.0; nr];
    let mut item_sum = vec![0.0; n];
    for i in rows.clone() {
        let p = pos[t.industry[i] as usize];
        if p != u32::MAX && col[i] > 0.0 {
            region_sum[t.region[i] as usize] += col[i];
            item_sum[p as usize] += col[i];
        }
    }
    let total: f64 = region_sum.iter().sum();
    // CSR over `codes` columns.
    let mut start = vec![0usize; nr + 1];
    let mut cols = Vec::new();
    let mut vals = Vec::new();
    for i in rows {
        let p = pos[t.industry[i] as usize];
        let v = col[i];
        if p == u32::MAX || v <= 0.0 {
            continue;
        }
        let r = t.region[i] as usize;
        let x = match signal {
            Signal::Coagglomeration => v / item_sum[p as usize],
            _ => {
                let lq = (v / region_sum[r]) / (item_sum[p as usize] / total);
                match transform {
                    Transform::Raw => v,
                    Transform::Lq => lq,
                    Transform::LogLq => lq.ln_1p(),
                }
            }
        };
        start[r + 1] += 1;
        cols.push(p);
        vals.push(x);
    }
    for r in 0..nr {
        start[r + 1] += start[r];
    }
    let csr = Csr {
        n_rows: nr,
        n_cols: n,
        start,
        col: cols,
        val: vals,
    };
    if signal != Signal::Coagglomeration {
        return Ok(csr.correlation());
    }
    // Coagglomeration, scaled to about [-1, 1] by three standard deviations of the
    // off-diagonal values so it can be averaged with correlations.
    let x: Vec<f64> = region_sum.iter().map(|v| v / total).collect();
    let sx2: f64 = x.iter().map(|v| v * v).sum();
    let mut u = vec![0.0; n];
    for r in 0..nr {
        for k in csr.start[r]..csr.start[r + 1] {
            u[csr.col[k] as usize] += x[r] * csr.val[k];
        }
    }
    let mut g = csr.gram();
    for i in 0..n {
        for j in 0..n {
            g[i * n + j] = (g[i * n + j] - u[i] - u[j] + sx2) / (1.0 - sx2);
        }
    }
    let off: Vec<f64> = (0..n)
        .flat_map(|i| ((i + 1)..n).map(move |j| (i, j)))
        .map(|(i, j)| g[i * n + j])
        .collect();
    let m = off.iter().sum::<f64>() / off.len().max(1) as f64;
    let sd = (off.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / off.len().max(1) as f64).sqrt();
    for i in 0..n {
        for j in 0..n {
            g[i * n + j] = if i == j {
                1.0
            } else if sd > 0.0 {
                ((g[i * n + j] - m) / (3.0 * sd)).clamp(-1.0, 1.0)
            } else {
                0.0
            };
        }
    }
    Ok(g)
}

/// Shared-nearest-neighbour similarity from a dense similarity.
pub fn shared_neighbours(s: &[f64], n: usize, k: usize) -> Vec<f64> {
    let k = k.min(n.saturating_sub(1)).max(1);
    let lists: Vec<Vec<usize>> = (0..n)
        .map(|i| {
            let mut o: Vec<usize> = (0..n).filter(|&j| j != i).collect();
            o.sort_by(|&a, &b| s[i * n + b].total_cmp(&s[i * n + a]).then(a.cmp(&b)));
            o.truncate(k);
            o.sort_unstable();
            o
        })
        .collect();
    let mut out = vec![0.0; n * n];
    for i in 0..n {
        out[i * n + i] = 1.0;
        for j in (i + 1)..n {
            let (a, b) = (&lists[i], &lists[j]);
            let (mut x, mut y, mut c) = (0, 0, 0);
            while x < a.len() && y < b.len() {
                match a[x].cmp(&b[y]) {
                    std::cmp::Ordering::Less => x += 1,
                    std::cmp::Ordering::Greater => y += 1,
                    std::cmp::Ordering::Equal => {
                        c += 1;
                        x += 1;
                        y += 1;
                    }
                }
            }
            let v = c as f64 / k as f64;
            out[i * n + j] = v;
            out[j * n + i] = v;
        }
    }
    out
}

/// Code-hierarchy similarity: (shared prefix length - 1) / (code length - 1), at least 0.
fn code_similarity(a: &str, b: &str) -> f64 {
    let len = a.len().max(b.len());
    if len <= 1 {
        return if a == b { 1.0 } else { 0.0 };
    }
    let p = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    p.saturating_sub(1) as f64 / (len - 1) as f64
}

/// Cut an agglomerative clustering of `n` items on dissimilarity `d` (full matrix) into
/// `k` clusters; labels are 0..k in order of first appearance.
pub fn hierarchical(d: &[f64], n: usize, k: usize, linkage: Linkage) -> Vec<usize> {
    if n <= 1 {
        return vec![0; n];
    }
    let mut condensed = Vec::with_capacity(n * (n - 1) / 2);
    for i in 0..n {
        for j in (i + 1)..n {
            condensed.push(d[i * n + j].max(0.0));
        }
    }
    let method = match linkage {
        Linkage::Average => kodama::Method::Average,
        Linkage::Ward => kodama::Method::Ward,
        Linkage::Complete => kodama::Method::Complete,
    };
    let dend = kodama::linkage(&mut condensed, n, method);
    // Union-find over dendrogram labels (0..n leaves, n+s for step s).
    let mut parent: Vec<usize> = (0..2 * n).collect();
    fn find(p: &mut [usize], mut x: usize) -> usize {
        while p[x] != x {
            p[x] = p[p[x]];
            x = p[x];
        }
        x
    }
    let merges = n.saturating_sub(k.max(1));
    for (s, step) in dend.steps().iter().take(merges).enumerate() {
        let new = n + s;
        let a = find(&mut parent, step.cluster1);
        let b = find(&mut parent, step.cluster2);
        parent[a] = new;
        parent[b] = new;
    }
    let mut label = HashMap::new();
    (0..n)
        .map(|i| {
            let root = find(&mut parent, i);
            let next = label.len();
            *label.entry(root).or_insert(next)
        })
        .collect()
}

/// Mean silhouette per item on dissimilarity `d`.
pub fn silhouettes(d: &[f64], n: usize, labels: &[usize]) -> Vec<f64> {
    let k = labels.iter().max().map_or(0, |m| m + 1);
    let mut size = vec![0usize; k];
    for &l in labels {
        size[l] += 1;
    }
    (0..n)
        .map(|i| {
            let mut sum = vec![0.0; k];
            for j in 0..n {
                if j != i {
                    sum[labels[j]] += d[i * n + j];
                }
            }
            let own = labels[i];
            if size[own] <= 1 {
                return 0.0;
            }
            let a = sum[own] / (size[own] - 1) as f64;
            let b = (0..k)
                .filter(|&c| c != own && size[c] > 0)
                .map(|c| sum[c] / size[c] as f64)
                .fold(f64::INFINITY, f64::min);
            if !b.is_finite() {
                return 0.0;
            }
            let m = a.max(b);
            if m > 0.0 { (b - a) / m } else { 0.0 }
        })
        .collect()
}

/// Discover clusters of industries from their co-location in one or more views (the same
/// data at different region levels). Industries must be present in every view.
pub fn discover(views: &[&Table], opts: &DiscoverOptions) -> Result<Discovery> {
    if views.is_empty() {
        return Err(Error::option("views", "give at least one table"));
    }
    if opts.signals.is_empty() {
        return Err(Error::option("signals", "give at least one signal"));
    }
    if !(0.0..=1.0).contains(&opts.code_prior) {
        return Err(Error::option("code-prior", "must be between 0 and 1"));
    }
    // Industries with employment in the year in every view.
    let mut years = vec![opts.year];
    years.extend(opts.extra_years.iter().copied().filter(|&y| y != opts.year));
    let present = |t: &Table, y: u16| -> Result<std::collections::HashSet<String>> {
        let rows = t.require_year(y)?;
        Ok(rows
            .filter(|&i| t.employment[i] > 0.0)
            .map(|i| t.industries().code(t.industry[i]).to_string())
            .collect())
    };
    let mut common = present(views[0], opts.year)?;
    for v in views {
        for &y in &years {
            let p = present(v, y)?;
            common.retain(|c| p.contains(c));
        }
    }
    if let Some(list) = opts.industries {
        let keep: std::collections::HashSet<&str> = list.iter().map(|s| s.as_str()).collect();
        common.retain(|c| keep.contains(c.as_str()));
    }
    let mut codes: Vec<String> = common.into_iter().collect();
    codes.sort();
    let n = codes.len();
    if n < 2 || opts.clusters < 1 || opts.clusters > n {
        return Err(Error::option(
            "clusters",
            format!(
                "need 1 <= K <= number of industries ({n}), got {}",
                opts.clusters
            ),
        ));
    }
    let mut sim = vec![0.0; n * n];
    let mut parts = 0.0;
    for v in views {
        for &y in &years {
            for &s in &opts.signals {
                let m = view_similarity(v, y, &codes, s, opts.transform)?;
                sim.iter_mut().zip(&m).for_each(|(a, b)| *a += b);
                parts += 1.0;
            }
        }
    }
    sim.iter_mut().for_each(|v| *v /= parts);
    let mut cluster_sim = if opts.neighbours > 0 {
        shared_neighbours(&sim, n, opts.neighbours)
    } else {
        sim.clone()
    };
    if opts.code_prior > 0.0 {
        for i in 0..n {
            for j in 0..n {
                let c = code_similarity(&codes[i], &codes[j]);
                cluster_sim[i * n + j] =
                    (1.0 - opts.code_prior) * cluster_sim[i * n + j] + opts.code_prior * c;
            }
        }
    }
    let dist: Vec<f64> = cluster_sim.iter().map(|v| 1.0 - v).collect();
    let labels = hierarchical(&dist, n, opts.clusters, opts.linkage);
    let k = labels.iter().max().map_or(0, |m| m + 1);

    // Validation on the co-location dissimilarity itself.
    let coloc_dist: Vec<f64> = sim.iter().map(|v| 1.0 - v).collect();
    let sil = silhouettes(&coloc_dist, n, &labels);
    let first = views[0];
    let mut emp_by_id = vec![0.0; first.industries().len()];
    for i in first.year_range(opts.year) {
        emp_by_id[first.industry[i] as usize] += first.employment[i];
    }
    let emp_of = |code: &str| -> f64 {
        first
            .industries()
            .get(code)
            .map_or(0.0, |id| emp_by_id[id as usize])
    };
    let emp: Vec<f64> = codes.iter().map(|c| emp_of(c)).collect();
    let name_of = |code: &str| -> String {
        first.industries().get(code).map_or(code.to_string(), |id| {
            first.industries().name(id).to_string()
        })
    };
    let cluster_label = |c: usize| format!("D{:02}", c + 1);
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); k];
    for (i, &l) in labels.iter().enumerate() {
        members[l].push(i);
    }
    let mean_between = |a: &[usize], b: &[usize], same: bool| -> f64 {
        let mut s = 0.0;
        let mut c = 0usize;
        for &i in a {
            for &j in b {
                if !same || i != j {
                    s += sim[i * n + j];
                    c += 1;
                }
            }
        }
        if c > 0 { s / c as f64 } else { 1.0 }
    };
    let mut clusters = Vec::with_capacity(k);
    for (c, m) in members.iter().enumerate() {
        let anchor = *m
            .iter()
            .max_by(|&&a, &&b| emp[a].total_cmp(&emp[b]))
            .unwrap_or(&m[0]);
        let separation = (0..k)
            .filter(|&o| o != c)
            .map(|o| mean_between(m, &members[o], false))
            .fold(f64::NEG_INFINITY, f64::max);
        let groups: std::collections::HashSet<&str> = m
            .iter()
            .map(|&i| &codes[i][..codes[i].len().min(3)])
            .collect();
        clusters.push(DiscoveredCluster {
            cluster: cluster_label(c),
            size: m.len(),
            anchor: codes[anchor].clone(),
            anchor_name: name_of(&codes[anchor]),
            cohesion: mean_between(m, m, true),
            separation: if separation.is_finite() {
                separation
            } else {
                0.0
            },
            silhouette: m.iter().map(|&i| sil[i]).sum::<f64>() / m.len() as f64,
            code_groups: groups.len(),
            members: m
                .iter()
                .map(|&i| codes[i].as_str())
                .collect::<Vec<_>>()
                .join(";"),
        });
    }
    let industries = (0..n)
        .map(|i| {
            let partner = (0..n)
                .filter(|&j| j != i)
                .max_by(|&a, &b| sim[i * n + a].total_cmp(&sim[i * n + b]))
                .unwrap_or(i);
            DiscoveredIndustry {
                industry: codes[i].clone(),
                name: name_of(&codes[i]),
                cluster: cluster_label(labels[i]),
                silhouette: sil[i],
                top_partner: codes[partner].clone(),
                top_partner_similarity: sim[i * n + partner],
            }
        })
        .collect();
    let multi: Vec<&DiscoveredCluster> = clusters.iter().filter(|c| c.size > 1).collect();
    let validation = Validation {
        industries: n,
        clusters: k,
        mean_silhouette: sil.iter().sum::<f64>() / n as f64,
        mean_cohesion: multi.iter().map(|c| c.cohesion).sum::<f64>() / multi.len().max(1) as f64,
        crossing_share: multi.iter().filter(|c| c.code_groups > 1).count() as f64
            / multi.len().max(1) as f64,
        signals: opts
            .signals
            .iter()
            .map(|s| s.name())
            .collect::<Vec<_>>()
            .join("+"),
        views: views.len(),
        years: years
            .iter()
            .map(|y| y.to_string())
            .collect::<Vec<_>>()
            .join("+"),
        neighbours: opts.neighbours,
        linkage: format!("{:?}", opts.linkage).to_lowercase(),
        code_prior: opts.code_prior,
    };
    Ok(Discovery {
        industries,
        clusters,
        validation,
    })
}

/// Adjusted Rand index of two labelings of the same items.
pub fn adjusted_rand_index(a: &[usize], b: &[usize]) -> f64 {
    let (table, ra, cb, n) = contingency(a, b);
    let c2 = |x: f64| x * (x - 1.0) / 2.0;
    let sum_ij: f64 = table.values().map(|&v| c2(v)).sum();
    let sum_a: f64 = ra.iter().map(|&v| c2(v)).sum();
    let sum_b: f64 = cb.iter().map(|&v| c2(v)).sum();
    let expected = sum_a * sum_b / c2(n);
    let max = (sum_a + sum_b) / 2.0;
    if max == expected {
        return 1.0;
    }
    (sum_ij - expected) / (max - expected)
}

/// Normalised mutual information, arithmetic normalisation 2 I / (H(a) + H(b)).
pub fn normalized_mutual_information(a: &[usize], b: &[usize]) -> f64 {
    let (table, ra, cb, n) = contingency(a, b);
    let h = |v: &[f64]| -> f64 {
        v.iter()
            .filter(|&&x| x > 0.0)
            .map(|&x| -(x / n) * (x / n).ln())
            .sum()
    };
    let (ha, hb) = (h(&ra), h(&cb));
    let mut mi = 0.0;
    for (&(i, j), &v) in &table {
        mi += (v / n) * ((v * n) / (ra[i] * cb[j])).ln();
    }
    if ha + hb == 0.0 {
        return 1.0;
    }
    (2.0 * mi / (ha + hb)).clamp(0.0, 1.0)
}

type Contingency = (HashMap<(usize, usize), f64>, Vec<f64>, Vec<f64>, f64);

fn contingency(a: &[usize], b: &[usize]) -> Contingency {
    let ka = a.iter().max().map_or(0, |m| m + 1);
    let kb = b.iter().max().map_or(0, |m| m + 1);
    let mut t = HashMap::new();
    let mut ra = vec![0.0; ka];
    let mut cb = vec![0.0; kb];
    for (&x, &y) in a.iter().zip(b) {
        *t.entry((x, y)).or_insert(0.0) += 1.0;
        ra[x] += 1.0;
        cb[y] += 1.0;
    }
    (t, ra, cb, a.len() as f64)
}

/// Compare a discovery with a definition set on the industries both contain.
pub fn compare_with_definitions(d: &Discovery, defs: &Definitions) -> Result<Comparison> {
    let mut disc = Vec::new();
    let mut def = Vec::new();
    let mut disc_ids: HashMap<&str, usize> = HashMap::new();
    let mut def_ids: HashMap<&str, usize> = HashMap::new();
    for r in &d.industries {
        if let Some(c) = defs.cluster_of(&r.industry) {
            let n1 = disc_ids.len();
            disc.push(*disc_ids.entry(r.cluster.as_str()).or_insert(n1));
            let n2 = def_ids.len();
            def.push(*def_ids.entry(c.code.as_str()).or_insert(n2));
        }
    }
    if disc.len() < 2 {
        return Err(Error::option(
            "compare-with",
            format!(
                "definitions `{}` share fewer than two industries with the discovery",
                defs.name
            ),
        ));
    }
    Ok(Comparison {
        definitions: defs.name.clone(),
        industries_compared: disc.len(),
        discovered_clusters: disc_ids.len(),
        defined_clusters: def_ids.len(),
        adjusted_rand_index: adjusted_rand_index(&disc, &def),
        normalized_mutual_information: normalized_mutual_information(&disc, &def),
    })
}
