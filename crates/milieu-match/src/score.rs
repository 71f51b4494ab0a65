//! Sparse candidate generation and the score parts of one pair.

use crate::context::{MatchContext, broad_sector};
use crate::purpose::{GeoPreference, N_PARTS, Parts, Purpose, Weights};
use crate::text::TextHit;
use milieu_model::{OrgKind, SectorCode, SizeClass, Stage, Vocabulary};
use std::collections::HashMap;

/// How many of a topic's (sector's, initiative's) most active organisations join the
/// candidates of an organisation active in it.
pub const DEFAULT_POOL: usize = 100;
/// How many two-hop neighbours (by Adamic-Adar index) become candidates.
pub const DEFAULT_NETWORK_CANDIDATES: usize = 300;
/// How many text matches (best BM25 score) in each direction become candidates: common words
/// of offers and requests would otherwise make nearly every organisation a candidate of
/// every other, and `match all` quadratic.
pub const DEFAULT_TEXT_CANDIDATES: usize = 200;
/// How many of an organisation's strongest topics feed its candidate pools.
const TOPICS_PER_ORG: usize = 5;

/// Options that shape candidate generation.
#[derive(Debug, Clone, Copy)]
pub(crate) struct GatherOptions {
    pub purpose: Purpose,
    pub include_tied: bool,
    pub cross_cluster: bool,
    pub pool: usize,
    pub network: usize,
    pub text: usize,
}

/// Reused per-thread buffers (one slot per organisation), so that scanning two-hop
/// neighbourhoods costs no allocation.
pub(crate) struct Scratch {
    aa: Vec<f64>,
    cn: Vec<u32>,
    /// Organisations reached in two hops (their `cn` is non-zero).
    touched: Vec<u32>,
    chosen: Vec<bool>,
    picked: Vec<u32>,
    /// Neighbours of the asking organisation.
    tied: Vec<bool>,
    /// Text search accumulators (see `TextIndex::search_top`).
    text_acc: Vec<f64>,
    text_touched: Vec<u32>,
}

impl Scratch {
    pub fn new(n: usize) -> Self {
        Self {
            aa: vec![0.0; n],
            cn: vec![0; n],
            touched: Vec::new(),
            chosen: vec![false; n],
            picked: Vec::new(),
            tied: vec![false; n],
            text_acc: vec![0.0; n],
            text_touched: Vec::new(),
        }
    }

    fn pick(&mut self, c: u32) {
        if !self.chosen[c as usize] {
            self.chosen[c as usize] = true;
            self.picked.push(c);
        }
    }

    fn reset(&mut self) {
        for &c in &self.touched {
            let c = c as usize;
            self.aa[c] = 0.0;
            self.cn[c] = 0;
        }
        for &c in &self.picked {
            self.chosen[c as usize] = false;
        }
        self.touched.clear();
        self.picked.clear();
    }
}

/// A candidate as generation found it: compact, so that scoring thousands per organisation
/// moves little memory.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cand {
    pub c: u32,
    pub cn: u32,
    pub aa: f64,
    /// Already tied to the asking organisation (only with `include_tied`).
    pub tied: bool,
}

/// The candidates of one organisation, with the text matches of those that have one.
#[derive(Debug, Default)]
pub(crate) struct Gathered {
    pub cands: Vec<Cand>,
    pub offers: HashMap<u32, TextHit>,
    pub demands: HashMap<u32, TextHit>,
}

impl Gathered {
    pub fn offer_fit(&self, c: u32) -> f64 {
        if self.offers.is_empty() {
            return 0.0;
        }
        self.offers.get(&c).map_or(0.0, |h| h.fit)
    }

    pub fn demand_fit(&self, c: u32) -> f64 {
        if self.demands.is_empty() {
            return 0.0;
        }
        self.demands.get(&c).map_or(0.0, |h| h.fit)
    }

    /// The full record of a kept candidate.
    pub fn full(&self, cand: Cand) -> Candidate {
        Candidate {
            c: cand.c,
            aa: cand.aa,
            cn: cand.cn,
            via: None,
            offer: self.offers.get(&cand.c).cloned(),
            demand: self.demands.get(&cand.c).cloned(),
            parts: Parts::default(),
            score: 0.0,
        }
    }
}

/// A candidate partner with everything needed to explain it.
#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    pub c: u32,
    /// Adamic-Adar index with the asking organisation.
    pub aa: f64,
    /// Number of common neighbours.
    pub cn: u32,
    /// The mutual contact best placed for a warm introduction (filled for the suggestions
    /// kept, see [`best_contact`]).
    pub via: Option<u32>,
    pub offer: Option<TextHit>,
    pub demand: Option<TextHit>,
    pub parts: Parts,
    pub score: f64,
}

/// Facts about the asking organisation reused for every candidate.
pub(crate) struct Asker {
    pub u: u32,
    /// Kind fit of each candidate kind (in `OrgKind::ALL` order) for this organisation and
    /// purpose.
    pub kind_values: Vec<f64>,
    /// Communities the organisation or one of its contacts belongs to.
    pub reached_communities: Vec<u32>,
    pub initiatives: Vec<u32>,
}

impl Asker {
    pub fn new(ctx: &MatchContext, u: u32, purpose: Purpose) -> Self {
        let mut reached: Vec<u32> = ctx
            .graph
            .neighbours(u)
            .iter()
            .map(|&v| ctx.community[v as usize])
            .chain(std::iter::once(ctx.community[u as usize]))
            .collect();
        reached.sort_unstable();
        reached.dedup();
        let kind_values = OrgKind::ALL
            .iter()
            .map(|&k| kind_value(ctx, ctx.orgs[u as usize].kind, k, purpose).0)
            .collect();
        Self {
            u,
            kind_values,
            reached_communities: reached,
            initiatives: ctx.org_initiatives[u as usize].clone(),
        }
    }
}

/// The mutual contact best placed to introduce `u` to `c`: the strongest weakest link of the
/// two-step path, then the less connected contact (whose word carries more), then the id.
pub(crate) fn best_contact(ctx: &MatchContext, u: u32, c: u32) -> Option<u32> {
    let g = &ctx.graph;
    let (nu, wu) = (g.neighbours(u), g.edge_weights(u));
    let (nc, wc) = (g.neighbours(c), g.edge_weights(c));
    let (mut i, mut j) = (0, 0);
    let mut best: Option<(u32, f32)> = None;
    while i < nu.len() && j < nc.len() {
        match nu[i].cmp(&nc[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                let (w, strength) = (nu[i], wu[i].min(wc[j]));
                let better = match best {
                    None => true,
                    Some((b, s)) => {
                        strength > s
                            || (strength == s
                                && (g.degree(w), &ctx.orgs[w as usize].id)
                                    < (g.degree(b), &ctx.orgs[b as usize].id))
                    }
                };
                if better {
                    best = Some((w, strength));
                }
                i += 1;
                j += 1;
            }
        }
    }
    best.map(|b| b.0)
}

/// How well `u`'s offers answer `c`'s request: `c`'s request as a query over the offers
/// index, scored on `u`'s document (so the fit is the share of the request covered, and the
/// terms are offers-index stems).
pub(crate) fn demand_hit(ctx: &MatchContext, u: u32, c: u32) -> TextHit {
    ctx.offer_index.score(&ctx.request_queries[c as usize], u)
}

/// Collects the candidates of `u`: the two-hop neighbours with the highest Adamic-Adar index
/// (at most `opts.network`), the best text matches in both directions (at most `opts.text`
/// each), the most active organisations
/// of its topics, broad sectors (and related ones) and initiatives. Not all pairs: every
/// source is capped, so the work per organisation is bounded by its two-hop volume.
pub(crate) fn gather(
    ctx: &MatchContext,
    asker: &Asker,
    opts: &GatherOptions,
    scratch: &mut Scratch,
) -> Gathered {
    let u = asker.u;
    let g = &ctx.graph;
    for &w in g.neighbours(u) {
        scratch.tied[w as usize] = true;
    }
    scratch.tied[u as usize] = true;
    {
        // The hot loop: sum 1/ln(degree) over paths u - w - c.
        let (aa, cn, touched) = (&mut scratch.aa, &mut scratch.cn, &mut scratch.touched);
        for &w in g.neighbours(u) {
            let aw = g.adamic_adar_weight(w);
            for &c in g.neighbours(w) {
                let ci = c as usize;
                if cn[ci] == 0 {
                    touched.push(c);
                }
                cn[ci] += 1;
                aa[ci] += aw;
            }
        }
    }
    // Keep the two-hop candidates with the highest index.
    let mut two_hop: Vec<u32> = scratch
        .touched
        .iter()
        .copied()
        .filter(|&c| !scratch.tied[c as usize])
        .collect();
    if two_hop.len() > opts.network && opts.network > 0 {
        let aa = &scratch.aa;
        two_hop.select_nth_unstable_by(opts.network - 1, |&a, &b| {
            aa[b as usize].total_cmp(&aa[a as usize]).then(a.cmp(&b))
        });
        two_hop.truncate(opts.network);
    }
    for c in two_hop {
        scratch.pick(c);
    }
    if opts.include_tied {
        for &v in g.neighbours(u) {
            scratch.pick(v);
        }
    }
    let mut offers: HashMap<u32, TextHit> = HashMap::new();
    let mut demands: HashMap<u32, TextHit> = HashMap::new();
    if !ctx.request_queries[u as usize].is_empty() {
        let hits = ctx.offer_index.search_top(
            &ctx.request_queries[u as usize],
            opts.text,
            &mut scratch.text_acc,
            &mut scratch.text_touched,
        );
        for hit in hits {
            scratch.pick(hit.doc);
            offers.insert(hit.doc, hit);
        }
    }
    if !ctx.offer_queries[u as usize].is_empty() {
        let found_all = ctx.request_index.search_top(
            &ctx.offer_queries[u as usize],
            opts.text,
            &mut scratch.text_acc,
            &mut scratch.text_touched,
        );
        for found in found_all {
            // Measured on the candidate's side: how much of its request this offer covers.
            let hit = demand_hit(ctx, u, found.doc);
            if hit.score > 0.0 {
                scratch.pick(found.doc);
                demands.insert(found.doc, hit);
            }
        }
    }
    let mut top_topics = ctx.topic_vecs[u as usize].clone();
    top_topics.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    for &(t, _) in top_topics.iter().take(TOPICS_PER_ORG) {
        for &c in ctx.topic_orgs[t as usize].iter().take(opts.pool) {
            scratch.pick(c);
        }
    }
    let org = &ctx.orgs[u as usize];
    let mut sector_keys: Vec<String> = org.sectors.iter().map(broad_sector).collect();
    if !ctx.relatedness.is_empty() {
        for ((a, b), r) in &ctx.relatedness {
            if *r >= 0.3
                && org.sectors.iter().any(|s| s.to_string() == *a)
                && let Ok(code) = SectorCode::parse(b)
            {
                sector_keys.push(broad_sector(&code));
            }
        }
    }
    sector_keys.sort();
    sector_keys.dedup();
    for key in &sector_keys {
        if let Some(list) = ctx.sector_orgs.get(key) {
            for &c in list.iter().take(opts.pool) {
                scratch.pick(c);
            }
        }
    }
    for (i, members) in ctx.initiative_orgs.iter().enumerate() {
        let mine = asker.initiatives.binary_search(&(i as u32)).is_ok();
        if mine != opts.cross_cluster {
            for &c in members.iter().take(opts.pool) {
                scratch.pick(c);
            }
        }
    }

    let mut out = Vec::new();
    for &c in &scratch.picked {
        if c == u || (!opts.include_tied && scratch.tied[c as usize]) {
            continue;
        }
        if opts.cross_cluster {
            let theirs = &ctx.org_initiatives[c as usize];
            if theirs.is_empty() || theirs.iter().any(|i| asker.initiatives.contains(i)) {
                continue;
            }
        }
        if opts.purpose == Purpose::International {
            let (a, b) = (&org.country, &ctx.orgs[c as usize].country);
            if a.is_some() && a == b {
                continue;
            }
        }
        let ci = c as usize;
        out.push(Cand {
            c,
            aa: scratch.aa[ci],
            cn: scratch.cn[ci],
            tied: scratch.tied[ci],
        });
    }
    for &w in g.neighbours(u) {
        scratch.tied[w as usize] = false;
    }
    scratch.tied[u as usize] = false;
    scratch.reset();
    Gathered {
        cands: out,
        offers,
        demands,
    }
}

/// Which parts a weighting uses (parts weighted 0 cannot change the score and are skipped
/// over a whole registry).
pub(crate) fn used_parts(weights: Option<&Weights>) -> [bool; N_PARTS] {
    weights.map_or([true; N_PARTS], |w| w.to_array().map(|x| x > 0.0))
}

/// Weighted mean of the part values.
pub(crate) fn combine(weights: &Weights, parts: &Parts) -> f64 {
    dot(&normalised(weights), parts)
}

/// Weights divided by their total (all 0 when the total is 0).
pub(crate) fn normalised(weights: &Weights) -> [f64; N_PARTS] {
    let total = weights.total();
    weights
        .to_array()
        .map(|w| if total > 0.0 { w / total } else { 0.0 })
}

/// Score from normalised weights.
pub(crate) fn dot(normalised: &[f64; N_PARTS], parts: &Parts) -> f64 {
    normalised
        .iter()
        .zip(parts.to_array())
        .map(|(w, p)| w * p)
        .sum()
}

/// The part values of a candidate; parts not `used` are left at 0.
pub(crate) fn parts(
    ctx: &MatchContext,
    asker: &Asker,
    purpose: Purpose,
    cand: Cand,
    found: &Gathered,
    used: &[bool; N_PARTS],
) -> Parts {
    let (u, c) = (asker.u, cand.c);
    let when = |i: usize, f: &dyn Fn() -> f64| if used[i] { f() } else { 0.0 };
    Parts {
        offer_fit: found.offer_fit(c),
        demand_fit: found.demand_fit(c),
        sector: when(2, &|| sector_fit(ctx, u, c, purpose).0),
        topic: when(3, &|| topic_part(topic_dot(ctx, u, c))),
        bridge: when(4, &|| bridge(ctx, asker, c, cand.cn, cand.tied).0),
        reachability: reachability(cand.aa),
        geography: when(6, &|| geography(ctx, u, c, purpose.geography())),
        size: when(7, &|| size_fit(ctx, u, c, purpose)),
        kind: when(8, &|| {
            asker.kind_values[kind_index(ctx.orgs[c as usize].kind)]
        }),
        activity: ctx.activity_part[c as usize],
    }
}

/// Adamic-Adar index at which reachability reaches 1.
const REACH_FULL: f64 = 50.0;
/// Scale of the logarithm: an index of 0.05 (one shared contact with some 400 partners)
/// already counts.
const REACH_SCALE: f64 = 0.05;

/// Reachability from the Adamic-Adar index on a log scale, `ln(1 + AA/0.05) / ln(1 + 50/0.05)`
/// capped at 1: one more mutual contact matters more to a firm with none than to one with
/// twenty, and the score stays a weighted mean of values in [0, 1].
pub fn reachability(adamic_adar: f64) -> f64 {
    ((1.0 + adamic_adar / REACH_SCALE).ln() / (1.0 + REACH_FULL / REACH_SCALE).ln()).min(1.0)
}

/// Topic part from the topic cosine on a log scale, `ln(1 + cos/0.01) / ln(101)`: sharing some
/// topic at all is the big step.
pub fn topic_part(cosine: f64) -> f64 {
    ((1.0 + cosine.max(0.0) / 0.01).ln() / 101f64.ln()).min(1.0)
}

/// Activity of the candidate, `ln(1 + a) / ln(1 + max a)` where `a` counts its projects,
/// events attended and explicit tie partners: active organisations take part in more new
/// collaborations.
pub(crate) fn activity_part(activity: u32, max_activity: u32) -> f64 {
    if max_activity == 0 {
        return 0.0;
    }
    (1.0 + f64::from(activity)).ln() / (1.0 + f64::from(max_activity)).ln()
}

pub(crate) fn topic_dot(ctx: &MatchContext, a: u32, b: u32) -> f64 {
    let (va, vb) = (&ctx.topic_vecs[a as usize], &ctx.topic_vecs[b as usize]);
    let (mut i, mut j) = (0, 0);
    let mut dot = 0.0f32;
    while i < va.len() && j < vb.len() {
        match va[i].0.cmp(&vb[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                dot += va[i].1 * vb[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    f64::from(dot).min(1.0)
}

/// Share of leading characters two codes of the same classification have in common (dots
/// ignored): naics:541511 and naics:541512 give 5/6, different 2-digit sectors give 0.
pub fn prefix_similarity(a: &SectorCode, b: &SectorCode) -> f64 {
    if a.classification != b.classification {
        return 0.0;
    }
    let ca: Vec<char> = a.code.chars().filter(|c| *c != '.').collect();
    let cb: Vec<char> = b.code.chars().filter(|c| *c != '.').collect();
    let common = ca.iter().zip(&cb).take_while(|(x, y)| x == y).count();
    let longest = ca.len().max(cb.len());
    if longest == 0 {
        0.0
    } else {
        common as f64 / longest as f64
    }
}

/// Complementarity of two codes from the classification's hierarchy alone (used when no
/// relatedness is given): neighbours in the same industry group are the most likely to
/// complement each other, the same code less (a competitor as much as a partner), the same
/// broad sector little. NAICS: same 6 digits 0.5, same 4 or 5 digits 0.8, same 3 digits 0.6,
/// same 2-digit sector 0.3. NACE: same class 0.5, same group 0.8, same division 0.6, same
/// section 0.2. Otherwise 0.
pub fn hierarchy_complementarity(a: &SectorCode, b: &SectorCode) -> f64 {
    if a.classification != b.classification {
        return 0.0;
    }
    let ca: Vec<char> = a.code.chars().filter(|c| *c != '.').collect();
    let cb: Vec<char> = b.code.chars().filter(|c| *c != '.').collect();
    let common = ca.iter().zip(&cb).take_while(|(x, y)| x == y).count();
    let same = ca == cb;
    match a.classification {
        milieu_model::Classification::Naics => match common {
            _ if same => 0.5,
            4.. => 0.8,
            3 => 0.6,
            2 => 0.3,
            _ => 0.0,
        },
        milieu_model::Classification::Nace => match common {
            _ if same => 0.5,
            4.. => 0.8,
            3 => 0.6,
            1 | 2 => 0.2,
            _ => 0.0,
        },
    }
}

/// Sector fit and the pair of codes behind it. Peers want the same sector (prefix
/// similarity). Other purposes want a related but different sector: the relatedness given
/// (from milieu-map) between two different codes, or without it
/// [`hierarchy_complementarity`].
pub(crate) fn sector_fit(
    ctx: &MatchContext,
    u: u32,
    c: u32,
    purpose: Purpose,
) -> (f64, Option<(SectorCode, SectorCode)>) {
    let (su, sc) = (&ctx.orgs[u as usize].sectors, &ctx.orgs[c as usize].sectors);
    let mut best = (0.0, None);
    for a in su {
        for b in sc {
            let v = if purpose == Purpose::Peers {
                prefix_similarity(a, b)
            } else if !ctx.relatedness.is_empty() {
                if a == b {
                    0.0
                } else {
                    ctx.relatedness
                        .get(&(a.to_string(), b.to_string()))
                        .copied()
                        .unwrap_or(0.0)
                }
            } else {
                hierarchy_complementarity(a, b)
            };
            if v > best.0 {
                best = (v, Some((a.clone(), b.clone())));
            }
        }
    }
    best
}

/// Network value of a candidate: half for sitting in a community the organisation has no
/// tie into, half for the share of the candidate's contacts that are new to it.
/// Returns (value, opens a new community, new contacts).
pub(crate) fn bridge(
    ctx: &MatchContext,
    asker: &Asker,
    c: u32,
    cn: u32,
    tied: bool,
) -> (f64, bool, usize) {
    let community = ctx.community[c as usize];
    // A candidate without contacts opens no group.
    let new_group = ctx.community_size[c as usize] > 1
        && asker.reached_communities.binary_search(&community).is_err();
    let degree = ctx.graph.degree(c);
    let new_contacts = degree.saturating_sub(cn as usize + usize::from(tied));
    let share = if degree > 0 {
        new_contacts as f64 / degree as f64
    } else {
        0.0
    };
    (
        0.5 * f64::from(u8::from(new_group)) + 0.5 * share,
        new_group,
        new_contacts,
    )
}

/// Local or external as the purpose asks; 0.5 when a country is unknown.
pub(crate) fn geography(ctx: &MatchContext, u: u32, c: u32, pref: GeoPreference) -> f64 {
    if pref == GeoPreference::Any {
        return 0.5;
    }
    let (a, b) = (&ctx.orgs[u as usize], &ctx.orgs[c as usize]);
    let same_country = match (&a.country, &b.country) {
        (Some(x), Some(y)) => x.eq_ignore_ascii_case(y),
        _ => return 0.5,
    };
    let same_region = matches!((&a.region, &b.region), (Some(x), Some(y)) if x == y);
    match pref {
        GeoPreference::Any => 0.5,
        GeoPreference::Local if same_region => 1.0,
        GeoPreference::Local if same_country => 0.7,
        GeoPreference::Local => 0.0,
        GeoPreference::External if same_country => 0.0,
        GeoPreference::External => {
            let served = b.country.as_ref().is_some_and(|bc| {
                a.countries_served
                    .iter()
                    .any(|s| s.eq_ignore_ascii_case(bc))
            });
            // A market not yet served is worth more than one the firm already sells to.
            if served { 0.6 } else { 1.0 }
        }
    }
}

fn size_rank(s: SizeClass) -> f64 {
    SizeClass::ALL.iter().position(|x| *x == s).unwrap_or(0) as f64
}

fn stage_rank(s: Stage) -> f64 {
    Stage::ALL.iter().position(|x| *x == s).unwrap_or(0) as f64
}

/// Size and stage fit; 0.5 when unknown. Leads: customers as large or larger; suppliers and
/// alliances: similar size; peers: similar size and stage.
pub(crate) fn size_fit(ctx: &MatchContext, u: u32, c: u32, purpose: Purpose) -> f64 {
    let (a, b) = (&ctx.orgs[u as usize], &ctx.orgs[c as usize]);
    let size = match (a.effective_size_class(), b.effective_size_class()) {
        (Some(x), Some(y)) => Some((size_rank(x), size_rank(y))),
        _ => None,
    };
    match purpose {
        Purpose::Rnd | Purpose::International => 0.5,
        Purpose::Leads => size.map_or(0.5, |(x, y)| if y >= x { 1.0 } else { 1.0 - (x - y) / 3.0 }),
        Purpose::Suppliers => size.map_or(0.5, |(x, y)| 1.0 - (x - y).abs() / 6.0),
        Purpose::Alliance => size.map_or(0.5, |(x, y)| 1.0 - (x - y).abs() / 3.0),
        Purpose::Peers => {
            let stage = match (a.stage, b.stage) {
                (Some(x), Some(y)) => Some(1.0 - (stage_rank(x) - stage_rank(y)).abs() / 2.0),
                _ => None,
            };
            let size = size.map(|(x, y)| 1.0 - (x - y).abs() / 3.0);
            match (size, stage) {
                (Some(s), Some(t)) => 0.5 * (s + t),
                (Some(s), None) | (None, Some(s)) => s,
                (None, None) => 0.5,
            }
        }
    }
}

fn is_research(k: OrgKind) -> bool {
    matches!(k, OrgKind::University | OrgKind::ResearchInstitute)
}

/// What the purpose expects of the candidate's kind, in [0, 1].
pub(crate) fn kind_prior(purpose: Purpose, a: OrgKind, b: OrgKind) -> f64 {
    let firm = |k| k == OrgKind::Firm;
    match purpose {
        Purpose::Rnd => {
            if (firm(a) && is_research(b)) || (is_research(a) && firm(b)) {
                1.0
            } else if is_research(a) && is_research(b) {
                0.8
            } else if firm(a) && firm(b) {
                0.6
            } else {
                0.4
            }
        }
        Purpose::Leads | Purpose::Suppliers => {
            if firm(b) {
                1.0
            } else if is_research(b) {
                0.5
            } else {
                0.3
            }
        }
        Purpose::Alliance => {
            if firm(a) && firm(b) {
                1.0
            } else if firm(a) || firm(b) {
                0.6
            } else {
                0.4
            }
        }
        Purpose::International => {
            if firm(b) || is_research(b) {
                1.0
            } else {
                0.5
            }
        }
        Purpose::Peers => {
            if a == b {
                1.0
            } else {
                0.2
            }
        }
    }
}

/// Pseudo-count of edges at chance level that shrinks the learned kind mixing of rare pairs.
const MIXING_PRIOR_EDGES: f64 = 5.0;

/// Kind fit: the mean of the purpose prior and the learned mixing ratio `r` (how much more
/// often than chance these kinds tie in this network, shrunk to 1 for few edges) mapped to
/// `r / (1 + r)` (0.5 at chance). Returns (value, ratio).
pub(crate) fn kind_fit(ctx: &MatchContext, u: u32, c: u32, purpose: Purpose) -> (f64, f64) {
    kind_value(
        ctx,
        ctx.orgs[u as usize].kind,
        ctx.orgs[c as usize].kind,
        purpose,
    )
}

pub(crate) fn kind_index(k: OrgKind) -> usize {
    OrgKind::ALL.iter().position(|x| *x == k).unwrap_or(0)
}

fn kind_value(ctx: &MatchContext, a: OrgKind, b: OrgKind, purpose: Purpose) -> (f64, f64) {
    let (observed, expected) = ctx.kind_mixing[kind_index(a)][kind_index(b)];
    let ratio = (observed + MIXING_PRIOR_EDGES) / (expected + MIXING_PRIOR_EDGES);
    (
        0.5 * kind_prior(purpose, a, b) + 0.5 * ratio / (1.0 + ratio),
        ratio,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> SectorCode {
        SectorCode::parse(s).unwrap()
    }

    #[test]
    fn sector_codes_compare_along_the_hierarchy() {
        assert!((prefix_similarity(&code("541511"), &code("541512")) - 5.0 / 6.0).abs() < 1e-12);
        assert_eq!(
            prefix_similarity(&code("541511"), &code("nace:C26.11")),
            0.0
        );
        assert_eq!(
            hierarchy_complementarity(&code("541511"), &code("541512")),
            0.8
        );
        assert_eq!(
            hierarchy_complementarity(&code("541511"), &code("541511")),
            0.5
        );
        assert_eq!(
            hierarchy_complementarity(&code("334511"), &code("332710")),
            0.3
        );
        assert_eq!(
            hierarchy_complementarity(&code("334511"), &code("541330")),
            0.0
        );
        assert_eq!(
            hierarchy_complementarity(&code("nace:C26.11"), &code("nace:C26.12")),
            0.8
        );
        assert_eq!(
            hierarchy_complementarity(&code("nace:C10.51"), &code("nace:C32.50")),
            0.2
        );
    }

    #[test]
    fn log_scaled_parts_stay_in_unit_interval() {
        assert_eq!(reachability(0.0), 0.0);
        assert_eq!(reachability(1e6), 1.0);
        assert!(reachability(1.0) > reachability(0.5));
        assert!((reachability(50.0) - 1.0).abs() < 1e-12);
        assert_eq!(topic_part(0.0), 0.0);
        assert!((topic_part(1.0) - 1.0).abs() < 1e-12);
        assert_eq!(activity_part(0, 10), 0.0);
        assert_eq!(activity_part(10, 10), 1.0);
        assert_eq!(activity_part(3, 0), 0.0);
    }
}
