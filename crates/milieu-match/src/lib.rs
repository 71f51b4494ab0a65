//! Partner matching and opportunity routing for cluster brokers, where every suggestion says
//! why.
//!
//! A broker asks: whom should this firm meet, for what purpose (leads, suppliers, alliance,
//! R&D, international partners, peers), and which opportunities fit which members? The
//! answer combines what firms declare (offers, requests, keywords, sectors, size, markets)
//! with what the registry has observed (ties, introductions, joint projects, events).
//!
//! Design choices:
//! - **A context per asking user.** [`MatchContext::build`] takes the user as a
//!   [`milieu_model::Audience`] (the one confidentiality rule lives above the engines, in
//!   milieu-app): ties and introductions the user may not see are dropped before
//!   anything is computed, so they cannot surface as a mutual contact, a bridge or an
//!   exclusion. `as_of` rebuilds what was known at a date (used by the forecast evaluation).
//! - **A score made of named parts.** Each part is a value in [0, 1] with a reason; the score
//!   is their weighted mean with purpose-specific weights ([`Purpose::weights`], documented in
//!   docs/matching.md), and each row carries the contributions, which add up to the score.
//!   Parts: request-offer text fit in both directions (BM25, matched words reported), sector
//!   complementarity or similarity (milieu-map relatedness when given), topic similarity
//!   (projects, events, topic requests), bridge value (a community the firm has no tie to),
//!   reachability (Adamic-Adar over the network, with the best mutual contact and path),
//!   geography, size/stage fit, organisation kind fit, activity.
//! - **Sparse candidates, not all pairs.** Candidates come from the two-hop neighbourhood,
//!   text matches, and capped pools of the most active organisations of the firm's topics,
//!   broad sectors and initiatives, so `match all` is linear in the network's two-hop volume
//!   and runs in parallel (rayon).
//! - **Own small graph kernel.** L1 crates do not depend on each other, so the few graph
//!   features needed (CSR adjacency, common neighbours, Adamic-Adar, label propagation) live
//!   in [`graph`]; milieu-net's communities can be passed in instead ([`CommunityLabel`]).
//! - **Measured as a forecast.** [`forecast`] replays history: from what was known at a date,
//!   which new pairs went on to collaborate? It computes the classic link-prediction
//!   baselines in the same run and calibrates the part weights on an earlier split.
//!
//! Errors are user errors ([`MatchError`], each with a stable code): unknown organisation,
//! opportunity, purpose or initiative; bad input lines in the relatedness file.

mod context;
mod error;
pub mod forecast;
pub mod graph;
mod opportunities;
mod partners;
mod purpose;
mod score;
pub mod text;

pub use context::{
    Acquaintance, CommunityLabel, ContextOptions, MatchContext, SectorRelatedness,
    read_sector_relatedness,
};
pub use error::MatchError;
pub use forecast::{Calibration, CalibrationOptions, ForecastMetrics, Ranker, calibrate};
pub use opportunities::{
    EligibilityCheck, OpportunityMatch, RouteOptions, check_eligibility, digest,
    explain_opportunity, route_opportunities,
};
pub use partners::{PartDetail, PartnerOptions, Suggestion, explain_pair, match_all, partners};
pub use purpose::{GeoPreference, N_PARTS, PART_NAMES, Parts, Purpose, Weights};
pub use score::{
    DEFAULT_NETWORK_CANDIDATES, DEFAULT_POOL, DEFAULT_TEXT_CANDIDATES, hierarchy_complementarity,
    prefix_similarity, reachability, topic_part,
};
