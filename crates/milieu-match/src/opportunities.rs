//! Opportunity routing: which members an opportunity (call, tender, trade mission, buyer or
//! partner request) fits, with its eligibility rules applied and reasons; per-member digests.

use crate::context::MatchContext;
use crate::error::MatchError;
use crate::score::prefix_similarity;
use crate::text::{Field, Query};
use milieu_model::{
    Date, InitiativeId, Motivation, Opportunity, OpportunityKind, Organisation, SectorCode,
};
use rayon::prelude::*;
use serde::Serialize;

/// Options of `match opportunities` and `match digest`.
#[derive(Debug, Clone)]
pub struct RouteOptions {
    /// Route only this opportunity.
    pub opportunity: Option<String>,
    /// Members per opportunity (0: all that fit).
    pub top: usize,
    /// Route to the members of this initiative; `None`: to members of any initiative, or to
    /// every organisation when the registry records no memberships.
    pub members_of: Option<String>,
    /// Skip opportunities whose deadline is before this date (default: the context's `as_of`).
    pub today: Option<Date>,
    /// Treat a rule the registry cannot check (size, country or sector not recorded) as met.
    /// Off by default: an opportunity is only routed to members known to be eligible.
    pub allow_unknown: bool,
    /// Fits scoring below this are not routed.
    pub min_score: f64,
}

impl Default for RouteOptions {
    fn default() -> Self {
        Self {
            opportunity: None,
            top: 10,
            members_of: None,
            today: None,
            allow_unknown: false,
            min_score: 0.1,
        }
    }
}

/// The outcome of an opportunity's eligibility rules for one organisation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EligibilityCheck {
    pub eligible: bool,
    /// Rules met, e.g. `size small is allowed`.
    pub met: Vec<String>,
    /// Rules failed, e.g. `country FR is not one of DE, AT`.
    pub failed: Vec<String>,
    /// Rules the registry cannot check for this organisation.
    pub unknown: Vec<String>,
}

/// Applies an opportunity's eligibility (kinds, size classes, countries, sectors; an empty
/// list is no restriction; a sector rule admits codes it is a prefix of, so `naics:33` admits
/// `naics:332710`).
pub fn check_eligibility(
    opportunity: &Opportunity,
    org: &Organisation,
    allow_unknown: bool,
) -> EligibilityCheck {
    let e = &opportunity.eligibility;
    let mut check = EligibilityCheck {
        eligible: true,
        met: Vec::new(),
        failed: Vec::new(),
        unknown: Vec::new(),
    };
    let list = |items: Vec<String>| items.join(", ");
    if !e.kinds.is_empty() {
        if e.kinds.contains(&org.kind) {
            check.met.push(format!("kind {} is allowed", org.kind));
        } else {
            check.failed.push(format!(
                "kind {} is not one of {}",
                org.kind,
                list(e.kinds.iter().map(|k| k.to_string()).collect())
            ));
        }
    }
    if !e.size_classes.is_empty() {
        match org.effective_size_class() {
            Some(s) if e.size_classes.contains(&s) => {
                check.met.push(format!("size {s} is allowed"));
            }
            Some(s) => check.failed.push(format!(
                "size {s} is not one of {}",
                list(e.size_classes.iter().map(|k| k.to_string()).collect())
            )),
            None => check.unknown.push("size not recorded".to_string()),
        }
    }
    if !e.countries.is_empty() {
        match &org.country {
            Some(c) if e.countries.iter().any(|x| x.eq_ignore_ascii_case(c)) => {
                check.met.push(format!("country {c} is allowed"));
            }
            Some(c) => check.failed.push(format!(
                "country {c} is not one of {}",
                e.countries.join(", ")
            )),
            None => check.unknown.push("country not recorded".to_string()),
        }
    }
    if !e.sectors.is_empty() {
        let admitted = org
            .sectors
            .iter()
            .find(|s| e.sectors.iter().any(|rule| sector_admits(rule, s)));
        match admitted {
            Some(s) => check.met.push(format!("sector {s} is allowed")),
            None if org.sectors.is_empty() => check.unknown.push("sector not recorded".to_string()),
            None => check.failed.push(format!(
                "sectors {} are not within {}",
                list(org.sectors.iter().map(|s| s.to_string()).collect()),
                list(e.sectors.iter().map(|s| s.to_string()).collect())
            )),
        }
    }
    check.eligible = check.failed.is_empty() && (allow_unknown || check.unknown.is_empty());
    check
}

/// Whether an eligibility sector rule admits a code (same classification, rule is a prefix).
fn sector_admits(rule: &SectorCode, code: &SectorCode) -> bool {
    let strip = |s: &str| s.chars().filter(|c| *c != '.').collect::<String>();
    rule.classification == code.classification && strip(&code.code).starts_with(&strip(&rule.code))
}

/// One member an opportunity fits. Part columns are values in [0, 1]; `-1` marks a part that
/// does not apply (e.g. no target country), left out of the score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OpportunityMatch {
    pub opportunity: String,
    pub opportunity_title: String,
    pub kind: OpportunityKind,
    pub org: String,
    pub org_name: String,
    pub rank: u32,
    pub score: f64,
    /// Opportunity text against the member's offers, keywords and description (BM25 fit).
    pub text_fit: f64,
    /// The opportunity's sectors against the member's.
    pub sector: f64,
    /// The opportunity's countries against the markets the member serves.
    pub market: f64,
    /// The member's motivation for joining against what the opportunity brings.
    pub motivation: f64,
    pub matched_terms: String,
    /// Eligibility rules met and fit reasons, `; `-separated.
    pub reasons: String,
}

/// The motivation an opportunity kind serves.
fn serves(kind: OpportunityKind) -> &'static [Motivation] {
    match kind {
        OpportunityKind::Tender | OpportunityKind::BuyerRequest => &[Motivation::Leads],
        OpportunityKind::TradeMission => &[Motivation::Leads, Motivation::Information],
        OpportunityKind::PartnerRequest => &[Motivation::Alliances, Motivation::Leads],
        OpportunityKind::Call => &[Motivation::Alliances, Motivation::Information],
    }
}

/// Weights of (text, sector, market, motivation) by opportunity kind: trade missions are
/// about markets, calls and tenders about capabilities.
fn weights(kind: OpportunityKind) -> [f64; 4] {
    match kind {
        OpportunityKind::TradeMission => [2.0, 2.0, 2.0, 1.0],
        OpportunityKind::Call => [3.0, 1.5, 0.5, 1.0],
        OpportunityKind::Tender => [3.0, 2.0, 0.5, 1.0],
        OpportunityKind::BuyerRequest | OpportunityKind::PartnerRequest => [3.0, 2.0, 1.0, 1.0],
    }
}

fn fit(
    ctx: &MatchContext,
    opp: &Opportunity,
    query: &Query,
    o: u32,
    check: &EligibilityCheck,
) -> Option<OpportunityMatch> {
    let org = &ctx.orgs[o as usize];
    let hit = ctx.offer_index.score(query, o);
    let text = hit.fit;
    let mut reasons: Vec<String> = Vec::new();
    if !check.met.is_empty() {
        reasons.push(format!("eligible: {}", check.met.join(", ")));
    } else {
        reasons.push("eligible: no restriction".to_string());
    }
    if !check.unknown.is_empty() {
        reasons.push(format!("unchecked: {}", check.unknown.join(", ")));
    }
    let terms: Vec<&str> = hit.terms.iter().map(|&t| ctx.offer_index.word(t)).collect();
    if text > 0.0 {
        reasons.push(format!(
            "what you offer matches the {}: {}",
            opp.kind.to_string().replace('_', " "),
            terms.iter().take(5).copied().collect::<Vec<_>>().join(", ")
        ));
    }
    let sector = if opp.sectors.is_empty() || org.sectors.is_empty() {
        None
    } else {
        let mut best = (0.0, None);
        for a in &opp.sectors {
            for b in &org.sectors {
                let s = if sector_admits(a, b) {
                    1.0
                } else {
                    prefix_similarity(a, b)
                };
                if s > best.0 {
                    best = (s, Some((a, b)));
                }
            }
        }
        if let (s, Some((a, b))) = best
            && s > 0.0
        {
            reasons.push(format!(
                "your sector {b} is {} {a}",
                if s >= 1.0 { "within" } else { "close to" }
            ));
        }
        Some(best.0)
    };
    let market = if opp.countries.is_empty() {
        None
    } else {
        let foreign: Vec<&String> = opp
            .countries
            .iter()
            .filter(|c| {
                org.country
                    .as_ref()
                    .is_none_or(|h| !h.eq_ignore_ascii_case(c))
            })
            .collect();
        if foreign.is_empty() {
            None
        } else if let Some(c) = foreign.iter().find(|c| {
            org.countries_served
                .iter()
                .any(|s| s.eq_ignore_ascii_case(c))
        }) {
            reasons.push(format!("you already serve {c}"));
            Some(1.0)
        } else if org.export_share.is_some_and(|x| x >= 0.1) || !org.countries_served.is_empty() {
            let n = org.countries_served.len();
            reasons.push(format!(
                "you export ({}); {} would be a new market",
                match org.export_share {
                    Some(x) if x >= 0.1 => format!("{:.0}% of sales abroad", x * 100.0),
                    _ => format!(
                        "{n} {} served",
                        if n == 1 { "country" } else { "countries" }
                    ),
                },
                foreign
                    .iter()
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            Some(0.7)
        } else {
            Some(0.2)
        }
    };
    let motivation = if org.motivations.is_empty() {
        None
    } else if let Some(m) = org
        .motivations
        .iter()
        .find(|m| serves(opp.kind).contains(m))
    {
        reasons.push(format!("you joined for {m}"));
        Some(1.0)
    } else {
        Some(0.3)
    };
    // Something substantive must fit: words or sector.
    if text <= 0.0 && sector.is_none_or(|s| s <= 0.0) {
        return None;
    }
    let w = weights(opp.kind);
    let parts = [Some(text), sector, market, motivation];
    let (mut num, mut den) = (0.0, 0.0);
    for (wi, p) in w.iter().zip(parts) {
        if let Some(p) = p {
            num += wi * p;
            den += wi;
        }
    }
    Some(OpportunityMatch {
        opportunity: opp.id.to_string(),
        opportunity_title: opp.title.clone(),
        kind: opp.kind,
        org: org.id.to_string(),
        org_name: org.name.clone(),
        rank: 0,
        score: if den > 0.0 { num / den } else { 0.0 },
        text_fit: text,
        sector: sector.unwrap_or(-1.0),
        market: market.unwrap_or(-1.0),
        motivation: motivation.unwrap_or(-1.0),
        matched_terms: terms.join(";"),
        reasons: reasons.join("; "),
    })
}

fn opportunity_query(ctx: &MatchContext, opp: &Opportunity) -> Query {
    ctx.offer_index.query(&[
        Field {
            text: &opp.title,
            weight: 1.0,
        },
        Field {
            text: &opp.text,
            weight: 1.0,
        },
    ])
}

/// The organisations opportunities are routed to.
fn members(ctx: &MatchContext, members_of: Option<&str>) -> Result<Vec<u32>, MatchError> {
    if let Some(id) = members_of {
        let i = ctx
            .initiatives
            .iter()
            .position(|(x, _)| *x == InitiativeId::new(id))
            .ok_or_else(|| MatchError::UnknownInitiative { id: id.to_string() })?;
        let mut m = ctx.initiative_orgs[i].clone();
        m.sort_unstable();
        return Ok(m);
    }
    if ctx.org_initiatives.iter().any(|l| !l.is_empty()) {
        Ok((0..ctx.len() as u32)
            .filter(|&o| !ctx.org_initiatives[o as usize].is_empty())
            .collect())
    } else {
        Ok((0..ctx.len() as u32).collect())
    }
}

fn open(opp: &Opportunity, today: Option<Date>) -> bool {
    match (opp.deadline, today) {
        (Some(d), Some(t)) => d >= t,
        _ => true,
    }
}

fn finish(mut rows: Vec<OpportunityMatch>, top: usize) -> Vec<OpportunityMatch> {
    rows.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.org.cmp(&b.org))
            .then_with(|| a.opportunity.cmp(&b.opportunity))
    });
    if top > 0 {
        rows.truncate(top);
    }
    for (i, r) in rows.iter_mut().enumerate() {
        r.rank = i as u32 + 1;
    }
    rows
}

/// For each open opportunity (or the one asked), the eligible members it fits, best first
/// (`match opportunities [--opportunity ID] [--top N]`).
pub fn route_opportunities(
    ctx: &MatchContext,
    opts: &RouteOptions,
) -> Result<Vec<OpportunityMatch>, MatchError> {
    let selected: Vec<usize> = match &opts.opportunity {
        Some(id) => vec![ctx.opportunity_index(id)?],
        None => (0..ctx.opportunities.len())
            .filter(|&i| open(&ctx.opportunities[i], opts.today.or(ctx.as_of)))
            .collect(),
    };
    let members = members(ctx, opts.members_of.as_deref())?;
    let per_opp: Vec<Vec<OpportunityMatch>> = selected
        .par_iter()
        .map(|&i| {
            let opp = &ctx.opportunities[i];
            let query = opportunity_query(ctx, opp);
            let rows = members
                .iter()
                .filter_map(|&o| {
                    let check = check_eligibility(opp, &ctx.orgs[o as usize], opts.allow_unknown);
                    if !check.eligible {
                        return None;
                    }
                    fit(ctx, opp, &query, o, &check).filter(|m| m.score >= opts.min_score)
                })
                .collect();
            finish(rows, opts.top)
        })
        .collect();
    Ok(per_opp.into_iter().flatten().collect())
}

/// The open opportunities that fit one member, best first (`match digest --org ID`).
pub fn digest(
    ctx: &MatchContext,
    org: &str,
    opts: &RouteOptions,
) -> Result<Vec<OpportunityMatch>, MatchError> {
    let o = ctx.org_index(org)?;
    let rows = ctx
        .opportunities
        .iter()
        .filter(|opp| open(opp, opts.today.or(ctx.as_of)))
        .filter_map(|opp| {
            let check = check_eligibility(opp, &ctx.orgs[o as usize], opts.allow_unknown);
            if !check.eligible {
                return None;
            }
            let query = opportunity_query(ctx, opp);
            fit(ctx, opp, &query, o, &check).filter(|m| m.score >= opts.min_score)
        })
        .collect();
    Ok(finish(rows, opts.top))
}

/// Why an opportunity does or does not fit one organisation (eligibility and, if eligible,
/// the fit), for `match opportunities --opportunity ID --org ID`.
pub fn explain_opportunity(
    ctx: &MatchContext,
    opportunity: &str,
    org: &str,
    allow_unknown: bool,
) -> Result<(EligibilityCheck, Option<OpportunityMatch>), MatchError> {
    let i = ctx.opportunity_index(opportunity)?;
    let o = ctx.org_index(org)?;
    let opp = &ctx.opportunities[i];
    let check = check_eligibility(opp, &ctx.orgs[o as usize], allow_unknown);
    let m = if check.eligible {
        fit(ctx, opp, &opportunity_query(ctx, opp), o, &check)
    } else {
        None
    };
    Ok((check, m))
}
