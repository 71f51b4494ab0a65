//! Partner suggestions for one organisation or for all, with their reasons.

use crate::context::MatchContext;
use crate::error::MatchError;
use crate::purpose::{N_PARTS, PART_NAMES, Parts, Purpose, Weights};
use crate::score::{
    self, Asker, Cand, Candidate, DEFAULT_NETWORK_CANDIDATES, DEFAULT_POOL,
    DEFAULT_TEXT_CANDIDATES, GatherOptions, Gathered, Scratch,
};
use crate::text::best_passage;
use rayon::prelude::*;
use serde::Serialize;

/// Options of `match partners` and `match all`.
#[derive(Debug, Clone)]
pub struct PartnerOptions {
    pub purpose: Purpose,
    /// Suggestions per organisation (0: every candidate).
    pub top: usize,
    /// Also suggest organisations already tied (normally excluded).
    pub include_tied: bool,
    /// Only suggest members of initiatives the organisation is not a member of.
    pub cross_cluster: bool,
    /// Build the human-readable explanation (costs time over a whole registry).
    pub explain: bool,
    /// Weights of the parts; `None`: the purpose's defaults.
    pub weights: Option<Weights>,
    /// Pool size per topic, broad sector and initiative in candidate generation.
    pub pool: usize,
    /// Two-hop neighbours (best by Adamic-Adar) taken as candidates.
    pub network_candidates: usize,
    /// Best text matches (offers answering the requests, requests the offers answer) taken as
    /// candidates in each direction (0: all).
    pub text_candidates: usize,
    /// Suggestions scoring below this are dropped.
    pub min_score: f64,
}

impl Default for PartnerOptions {
    fn default() -> Self {
        Self {
            purpose: Purpose::Alliance,
            top: 10,
            include_tied: false,
            cross_cluster: false,
            explain: true,
            weights: None,
            pool: DEFAULT_POOL,
            network_candidates: DEFAULT_NETWORK_CANDIDATES,
            text_candidates: DEFAULT_TEXT_CANDIDATES,
            min_score: 0.0,
        }
    }
}

impl PartnerOptions {
    pub fn weights(&self) -> Weights {
        self.weights.unwrap_or_else(|| self.purpose.weights())
    }

    fn gather(&self) -> GatherOptions {
        GatherOptions {
            purpose: self.purpose,
            include_tied: self.include_tied,
            cross_cluster: self.cross_cluster,
            pool: self.pool,
            network: self.network_candidates,
            text: self.text_candidates,
        }
    }
}

/// One suggested partner. The part columns are contributions to the score (weight x value /
/// total weight), so they add up to `score`; `explain_pair` gives the raw values.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestion {
    pub org: String,
    pub candidate: String,
    pub candidate_name: String,
    pub rank: u32,
    pub score: f64,
    pub offer_fit: f64,
    pub demand_fit: f64,
    pub sector: f64,
    pub topic: f64,
    pub bridge: f64,
    pub reachability: f64,
    pub geography: f64,
    pub size: f64,
    pub kind: f64,
    pub activity: f64,
    /// The mutual contact for a warm introduction (id), empty if none.
    pub via: String,
    /// The introduction path `org > via > candidate`, empty if none.
    pub path: String,
    /// The candidate's offer (passage) that answers the organisation's request.
    pub answers: String,
    /// The candidate's request (passage) that the organisation's offer answers.
    pub wants: String,
    /// Query words that matched, `;`-separated.
    pub matched_terms: String,
    /// The group the candidate opens, when it is a bridge.
    pub bridge_to: String,
    /// Reasons, most important first, `; `-separated (empty unless `explain`).
    pub explanation: String,
}

/// One part of a pair's score: value in [0, 1], weight, contribution and reason.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartDetail {
    pub part: &'static str,
    pub value: f64,
    pub weight: f64,
    pub contribution: f64,
    pub reason: String,
}

/// Scores every candidate of `u` and keeps the best `top` (score descending, then id for a
/// stable order), as full records with their parts.
fn best_candidates(
    ctx: &MatchContext,
    u: u32,
    opts: &PartnerOptions,
    scratch: &mut Scratch,
) -> (Asker, Vec<Candidate>) {
    let asker = Asker::new(ctx, u, opts.purpose);
    let weights = opts.weights();
    let used = score::used_parts(Some(&weights));
    let norm = score::normalised(&weights);
    let found = score::gather(ctx, &asker, &opts.gather(), scratch);
    let mut scored: Vec<(f64, Cand)> = found
        .cands
        .iter()
        .map(|&cand| {
            let parts = score::parts(ctx, &asker, opts.purpose, cand, &found, &used);
            (score::dot(&norm, &parts), cand)
        })
        .filter(|(s, _)| *s >= opts.min_score && *s > 0.0)
        .collect();
    let cmp = |a: &(f64, Cand), b: &(f64, Cand)| {
        b.0.total_cmp(&a.0).then_with(|| {
            ctx.orgs[a.1.c as usize]
                .id
                .cmp(&ctx.orgs[b.1.c as usize].id)
        })
    };
    let top = opts.top;
    if scored.len() > top && top > 0 {
        scored.select_nth_unstable_by(top - 1, cmp);
        scored.truncate(top);
    }
    scored.sort_by(cmp);
    let kept = scored
        .into_iter()
        .map(|(score, cand)| {
            let mut full = found.full(cand);
            full.parts = score::parts(ctx, &asker, opts.purpose, cand, &found, &used);
            full.score = score;
            full
        })
        .collect();
    (asker, kept)
}

fn suggestions_for(
    ctx: &MatchContext,
    u: u32,
    opts: &PartnerOptions,
    scratch: &mut Scratch,
) -> Vec<Suggestion> {
    let (asker, mut cands) = best_candidates(ctx, u, opts, scratch);
    let weights = opts.weights();
    for cand in &mut cands {
        cand.via = score::best_contact(ctx, u, cand.c);
    }
    cands
        .iter()
        .enumerate()
        .map(|(i, cand)| suggestion(ctx, &asker, opts, &weights, cand, i as u32 + 1))
        .collect()
}

/// Partner suggestions for one organisation (`match partners --org ID --purpose P --top N`).
pub fn partners(
    ctx: &MatchContext,
    org: &str,
    opts: &PartnerOptions,
) -> Result<Vec<Suggestion>, MatchError> {
    let u = ctx.org_index(org)?;
    let mut scratch = Scratch::new(ctx.len());
    Ok(suggestions_for(ctx, u, opts, &mut scratch))
}

/// Suggestions for every organisation (`match all --top N`), in parallel; rows are grouped by
/// organisation in registry order, ranked within.
pub fn match_all(ctx: &MatchContext, opts: &PartnerOptions) -> Vec<Suggestion> {
    let n = ctx.len() as u32;
    let per_org: Vec<Vec<Suggestion>> = (0..n)
        .into_par_iter()
        .map_init(
            || Scratch::new(ctx.len()),
            |scratch, u| suggestions_for(ctx, u, opts, scratch),
        )
        .collect();
    per_org.into_iter().flatten().collect()
}

/// The best candidates of `u` (compact ids), best first (evaluation).
pub(crate) fn ranked_with(
    ctx: &MatchContext,
    u: u32,
    opts: &PartnerOptions,
    scratch: &mut Scratch,
) -> Vec<u32> {
    best_candidates(ctx, u, opts, scratch)
        .1
        .into_iter()
        .map(|c| c.c)
        .collect()
}

/// Every candidate of one organisation with all its part values, unranked (calibration).
pub(crate) fn candidate_parts(
    ctx: &MatchContext,
    u: u32,
    opts: &PartnerOptions,
    scratch: &mut Scratch,
) -> Vec<(u32, Parts)> {
    let asker = Asker::new(ctx, u, opts.purpose);
    let found = score::gather(ctx, &asker, &opts.gather(), scratch);
    let used = score::used_parts(None);
    found
        .cands
        .iter()
        .map(|&cand| {
            (
                cand.c,
                score::parts(ctx, &asker, opts.purpose, cand, &found, &used),
            )
        })
        .collect()
}

/// Every part of the score of one pair with its reason (`match partners --explain` detail).
pub fn explain_pair(
    ctx: &MatchContext,
    org: &str,
    candidate: &str,
    opts: &PartnerOptions,
) -> Result<Vec<PartDetail>, MatchError> {
    let u = ctx.org_index(org)?;
    let c = ctx.org_index(candidate)?;
    let asker = Asker::new(ctx, u, opts.purpose);
    let (cand, found) = pair_candidate(ctx, u, c);
    let weights = opts.weights();
    // Every part's value, also those weighted 0.
    let mut cand = cand;
    cand.parts = score::parts(
        ctx,
        &asker,
        opts.purpose,
        Cand {
            c,
            cn: cand.cn,
            aa: cand.aa,
            tied: ctx.tied(u, c),
        },
        &found,
        &score::used_parts(None),
    );
    cand.score = score::combine(&weights, &cand.parts);
    let reasons = reasons(ctx, &asker, opts.purpose, &cand);
    let total = weights.total();
    let (w, v) = (weights.to_array(), cand.parts.to_array());
    Ok((0..N_PARTS)
        .map(|i| PartDetail {
            part: PART_NAMES[i],
            value: v[i],
            weight: w[i],
            contribution: if total > 0.0 {
                w[i] * v[i] / total
            } else {
                0.0
            },
            reason: reasons[i].clone().unwrap_or_default(),
        })
        .collect())
}

/// A candidate record for an arbitrary pair (network facts computed directly).
fn pair_candidate(ctx: &MatchContext, u: u32, c: u32) -> (Candidate, Gathered) {
    let g = &ctx.graph;
    let common = g.common_neighbours(u, c);
    let mut found = Gathered::default();
    let offer = ctx.offer_index.score(&ctx.request_queries[u as usize], c);
    if offer.score > 0.0 {
        found.offers.insert(c, offer);
    }
    let demand = score::demand_hit(ctx, u, c);
    if demand.score > 0.0 {
        found.demands.insert(c, demand);
    }
    let cand = Cand {
        c,
        cn: common.len() as u32,
        aa: common.iter().map(|&w| g.adamic_adar_weight(w)).sum(),
        tied: g.has_edge(u, c),
    };
    let mut full = found.full(cand);
    full.via = score::best_contact(ctx, u, c);
    (full, found)
}

fn suggestion(
    ctx: &MatchContext,
    asker: &Asker,
    opts: &PartnerOptions,
    weights: &Weights,
    cand: &Candidate,
    rank: u32,
) -> Suggestion {
    let (u, c) = (asker.u, cand.c);
    let total = weights.total();
    let contrib = |w: f64, v: f64| if total > 0.0 { w * v / total } else { 0.0 };
    let (w, v) = (weights.to_array(), cand.parts.to_array());
    let id = |o: u32| ctx.orgs[o as usize].id.to_string();
    let mut s = Suggestion {
        org: id(u),
        candidate: id(c),
        candidate_name: ctx.name(c).to_string(),
        rank,
        score: cand.score,
        offer_fit: contrib(w[0], v[0]),
        demand_fit: contrib(w[1], v[1]),
        sector: contrib(w[2], v[2]),
        topic: contrib(w[3], v[3]),
        bridge: contrib(w[4], v[4]),
        reachability: contrib(w[5], v[5]),
        geography: contrib(w[6], v[6]),
        size: contrib(w[7], v[7]),
        kind: contrib(w[8], v[8]),
        activity: contrib(w[9], v[9]),
        via: cand.via.map(id).unwrap_or_default(),
        path: cand
            .via
            .map(|x| format!("{} > {} > {}", id(u), id(x), id(c)))
            .unwrap_or_default(),
        answers: String::new(),
        wants: String::new(),
        matched_terms: String::new(),
        bridge_to: String::new(),
        explanation: String::new(),
    };
    if !opts.explain {
        return s;
    }
    let mut terms: Vec<String> = Vec::new();
    if let Some(hit) = &cand.offer {
        s.answers = best_passage(&ctx.offer_index, &ctx.orgs[c as usize].offers, &hit.terms)
            .unwrap_or_default();
        terms.extend(
            hit.terms
                .iter()
                .map(|&t| ctx.offer_index.word(t).to_string()),
        );
    }
    if let Some(hit) = &cand.demand {
        s.wants = best_passage(&ctx.offer_index, &ctx.orgs[c as usize].requests, &hit.terms)
            .unwrap_or_default();
        terms.extend(
            hit.terms
                .iter()
                .map(|&t| ctx.offer_index.word(t).to_string()),
        );
    }
    terms.sort();
    terms.dedup();
    s.matched_terms = terms.join(";");
    let (_, new_group, _) = score::bridge(ctx, asker, c, cand.cn, ctx.tied(u, c));
    if new_group {
        s.bridge_to = community_label(ctx, c);
    }
    let reasons = reasons(ctx, asker, opts.purpose, cand);
    let mut ordered: Vec<(f64, String)> = reasons
        .into_iter()
        .enumerate()
        .filter_map(|(i, r)| r.map(|r| (contrib(w[i], v[i]), r)))
        .filter(|(c, _)| *c > 0.0)
        .collect();
    ordered.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut sentences: Vec<String> = ordered.into_iter().map(|(_, r)| r).collect();
    if opts.cross_cluster {
        let theirs: Vec<&str> = ctx.org_initiatives[c as usize]
            .iter()
            .map(|&i| ctx.initiatives[i as usize].1.as_str())
            .collect();
        sentences.push(format!(
            "cross-cluster: member of {} (not one of your initiatives)",
            theirs.join(", ")
        ));
    }
    s.explanation = sentences.join("; ");
    s
}

/// "community 3 (12 organisations, e.g. A, B)".
fn community_label(ctx: &MatchContext, c: u32) -> String {
    let label = ctx.community[c as usize];
    let size = ctx.community_size[c as usize];
    // Name the most connected members as landmarks.
    let names: Vec<&str> = ctx
        .community_landmarks
        .get(&label)
        .map(|l| l.iter().map(|&o| ctx.name(o)).collect())
        .unwrap_or_default();
    format!(
        "community {label} ({size} organisation{}, e.g. {})",
        if size == 1 { "" } else { "s" },
        names.join(", ")
    )
}

/// Describes how two organisations know each other, e.g. "you share project P1 with W".
fn acquaintance_phrase(ctx: &MatchContext, a: u32, b: u32) -> String {
    let acq = ctx.acquaintance(a, b);
    let mut bits = Vec::new();
    if !acq.tie_kinds.is_empty() {
        let kinds: Vec<String> = acq.tie_kinds.iter().map(|k| k.to_string()).collect();
        bits.push(format!("a tie ({})", kinds.join(", ")));
    }
    if !acq.shared_projects.is_empty() {
        let shown: Vec<&str> = acq
            .shared_projects
            .iter()
            .take(2)
            .map(|p| p.as_str())
            .collect();
        let more = acq.shared_projects.len().saturating_sub(2);
        bits.push(format!(
            "project {}{}",
            shown.join(", "),
            if more > 0 {
                format!(" (+{more})")
            } else {
                String::new()
            }
        ));
    }
    if acq.introduced {
        bits.push("an introduction".to_string());
    }
    bits.join(" and ")
}

/// One optional sentence per part (index as in [`PART_NAMES`]).
fn reasons(
    ctx: &MatchContext,
    asker: &Asker,
    purpose: Purpose,
    cand: &Candidate,
) -> Vec<Option<String>> {
    let (u, c) = (asker.u, cand.c);
    let me = &ctx.orgs[u as usize];
    let them = &ctx.orgs[c as usize];
    let name = ctx.name(c);
    let mut r: Vec<Option<String>> = vec![None; N_PARTS];
    let words = |terms: &[u32], index: &crate::text::TextIndex| {
        terms
            .iter()
            .take(5)
            .map(|&t| index.word(t))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if let Some(hit) = &cand.offer {
        let passage = best_passage(&ctx.offer_index, &them.offers, &hit.terms)
            .unwrap_or_else(|| "their profile".to_string());
        r[0] = Some(format!(
            "answers your request: {name} offers \"{passage}\" (matched: {})",
            words(&hit.terms, &ctx.offer_index)
        ));
    }
    if let Some(hit) = &cand.demand {
        let passage =
            best_passage(&ctx.offer_index, &them.requests, &hit.terms).unwrap_or_default();
        r[1] = Some(format!(
            "wants what you offer: {name} requests \"{passage}\" (matched: {})",
            words(&hit.terms, &ctx.offer_index)
        ));
    }
    let (sector, codes) = score::sector_fit(ctx, u, c, purpose);
    if let Some((a, b)) = codes.filter(|_| sector > 0.0) {
        r[2] = Some(if purpose == Purpose::Peers {
            format!("same line of business: {b} next to your {a}")
        } else if a == b {
            format!("same sector {a} ({sector:.2}: a competitor as much as a partner)")
        } else {
            format!("complementary sector: {b} related to your {a} ({sector:.2})")
        });
    }
    let (cos, shared) = ctx.topic_cosine(u, c);
    if cos > 0.0 {
        let names: Vec<&str> = shared
            .iter()
            .take(3)
            .map(|&t| ctx.topics[t as usize].as_str())
            .collect();
        let events = ctx.shared_events(u, c);
        r[3] = Some(format!(
            "shared topics: {} (similarity {cos:.2}){}",
            names.join(", "),
            match events.first() {
                None => String::new(),
                Some((id, title)) if title.is_empty() => format!(", both attended {id}"),
                Some((_, title)) => format!(", both attended \"{title}\""),
            }
        ));
    }
    let (_, new_group, new_contacts) = score::bridge(ctx, asker, c, cand.cn, ctx.tied(u, c));
    if new_group {
        r[4] = Some(format!(
            "bridge to a group you have no tie to: {}; {new_contacts} of their {} contacts are new to you",
            community_label(ctx, c),
            ctx.graph.degree(c)
        ));
    } else if new_contacts > 0 {
        r[4] = Some(format!(
            "{new_contacts} of their {} contacts are new to you",
            ctx.graph.degree(c)
        ));
    }
    if let Some(w) = cand.via {
        let others = cand.cn.saturating_sub(1);
        r[5] = Some(format!(
            "warm introduction via {} (mutual contact: you know {} through {}; {} knows {name} through {}){}",
            ctx.name(w),
            ctx.name(w),
            acquaintance_phrase(ctx, u, w),
            ctx.name(w),
            acquaintance_phrase(ctx, w, c),
            if others > 0 {
                format!(
                    "; {others} more mutual contact{}",
                    if others == 1 { "" } else { "s" }
                )
            } else {
                String::new()
            }
        ));
    }
    let geo = score::geography(ctx, u, c, purpose.geography());
    if geo > 0.5 || (geo > 0.0 && purpose.geography() != crate::purpose::GeoPreference::Any) {
        let place = match (&them.country, &them.region) {
            (Some(c), Some(r)) if r != c => format!("{c} ({r})"),
            (Some(c), _) => c.clone(),
            (None, Some(r)) => r.clone(),
            (None, None) => String::new(),
        };
        r[6] = Some(match purpose.geography() {
            crate::purpose::GeoPreference::External => {
                if geo >= 1.0 {
                    format!("abroad in {place}, a market you do not serve yet")
                } else {
                    format!("abroad in {place}")
                }
            }
            _ => {
                if geo >= 1.0 {
                    format!(
                        "local: same region {}",
                        them.region.clone().unwrap_or_default()
                    )
                } else {
                    format!("same country {}", them.country.clone().unwrap_or_default())
                }
            }
        });
    }
    let size = score::size_fit(ctx, u, c, purpose);
    if size > 0.5
        && let Some(class) = them.effective_size_class()
    {
        r[7] = Some(format!(
            "{} fit: {name} is {class}{}",
            if purpose == Purpose::Peers {
                "size/stage"
            } else {
                "size"
            },
            me.effective_size_class()
                .map(|m| format!(", you are {m}"))
                .unwrap_or_default()
        ));
    }
    let (kind, ratio) = score::kind_fit(ctx, u, c, purpose);
    if kind > 0.0 {
        let plural = |k: milieu_model::OrgKind| match k {
            milieu_model::OrgKind::Agency => "agencies".to_string(),
            milieu_model::OrgKind::Other => "other organisations".to_string(),
            k => {
                let word = k.to_string().replace('_', " ");
                match word.strip_suffix('y') {
                    Some(stem) => format!("{stem}ies"),
                    None => format!("{word}s"),
                }
            }
        };
        r[8] = Some(format!(
            "kind: a {} (purpose {purpose}); {} and {} tie {ratio:.1}x as often as chance here",
            them.kind.to_string().replace('_', " "),
            plural(me.kind),
            plural(them.kind)
        ));
    }
    let degree = ctx.graph.degree(c);
    let projects = ctx.org_projects[c as usize].len();
    let events = ctx.org_events[c as usize].len();
    if degree + projects + events > 0 {
        let plural = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
        let mut bits = vec![plural(degree, "partner")];
        if projects > 0 {
            bits.push(plural(projects, "project"));
        }
        if events > 0 {
            bits.push(plural(events, "event"));
        }
        r[9] = Some(format!("active: {}", bits.join(", ")));
    }
    r
}
