//! Brokerage use cases: partner suggestions, opportunity routing, introductions and their
//! evaluation, on the registry in the store. The engine (milieu-match) is pure; this module
//! loads the registry, builds the matching context for the user who asks, maps the engine's
//! user errors to [`AppError::Usage`] (exit code 2) and records introductions through the
//! checked import path.
//!
//! Who asks decides which confidential records matching may lean on: the engine's context is
//! built with the asking [`Principal`] as its audience (the rule of [`crate::access`]). The
//! command line is used by cluster staff, so it matches as [`Principal::cluster_team`]: private
//! ties and introductions of others are not used at all, so they can surface neither as a
//! mutual contact nor as a bridge nor as an exclusion. `--as-org ID` matches as
//! [`Principal::member_of`]: what that member would be shown, i.e. public and cluster records
//! and the records it is a party to (its own private ties included, others' staff-visible ones
//! excluded). The web server builds its matcher from the account's [`View`]
//! ([`Matcher::for_view`]), on the snapshot it already holds, without a copy of it.

use crate::access::{Principal, View};
use crate::{AppError, import_checked};
use milieu_io::{Located, LocatedDataset, Position};
use milieu_match::forecast::{Ranker, evaluate as evaluate_ranker, new_collaborations};
use milieu_match::{
    CalibrationOptions, ContextOptions, MatchContext, MatchError, OpportunityMatch, PartDetail,
    PartnerOptions, Purpose, RouteOptions, Suggestion, Weights, calibrate,
};
use milieu_model::*;
use milieu_store::Store;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::HashMap;

/// The engine's errors are all user errors (unknown id, purpose, bad option): exit code 2 with
/// the engine's code and message.
pub fn match_error(e: MatchError) -> AppError {
    AppError::engine(&e)
}

/// Today's date on this machine (the default "today" of opportunity routing and introductions).
pub fn today() -> Date {
    chrono::Local::now().date_naive()
}

/// Reads what matching uses from the store: every kind but people, affiliations, clusters and
/// outcomes.
pub async fn load_registry<S: Store>(store: &S) -> Result<Dataset, AppError> {
    Ok(Dataset {
        organisations: store.load().await?,
        initiatives: store.load().await?,
        memberships: store.load().await?,
        events: store.load().await?,
        attendance: store.load().await?,
        topic_requests: store.load().await?,
        projects: store.load().await?,
        participations: store.load().await?,
        ties: store.load().await?,
        introductions: store.load().await?,
        opportunities: store.load().await?,
        ..Dataset::default()
    })
}

/// The registry indexed for matching, for one asking user.
pub struct Matcher<'a> {
    /// The registry the context was built from. Unfiltered (the context applied the rule), so
    /// private: only what every account may see is lent out ([`Matcher::opportunity_records`],
    /// [`Matcher::organisation`]).
    dataset: Cow<'a, Dataset>,
    pub context: MatchContext,
    /// Who asks.
    pub viewer: Principal,
}

impl Matcher<'static> {
    /// Loads the registry and builds the context for `viewer`. A member viewer must be a known
    /// organisation.
    pub async fn load<S: Store>(
        store: &S,
        viewer: Principal,
        options: &ContextOptions,
    ) -> Result<Self, AppError> {
        let dataset = load_registry(store).await?;
        Self::build(Cow::Owned(dataset), viewer, options)
    }
}

impl<'a> Matcher<'a> {
    /// The matcher for the account of `view`, on the snapshot the view reads (no copy).
    pub fn for_view(view: &View<'a>, options: &ContextOptions) -> Result<Self, AppError> {
        Self::build(
            Cow::Borrowed(view.unfiltered()),
            view.principal.clone(),
            options,
        )
    }

    fn build(
        dataset: Cow<'a, Dataset>,
        viewer: Principal,
        options: &ContextOptions,
    ) -> Result<Self, AppError> {
        let context = MatchContext::build(&dataset, options, &viewer);
        if let Some(id) = viewer.member_org() {
            context.org_index(id.as_str()).map_err(match_error)?;
        }
        Ok(Self {
            dataset,
            context,
            viewer,
        })
    }

    /// Every opportunity on record (calls and requests are visible to every account).
    pub fn opportunity_records(&self) -> &[Opportunity] {
        &self.dataset.opportunities
    }

    /// An organisation's directory entry.
    pub fn organisation(&self, id: &str) -> Option<&Organisation> {
        self.dataset
            .organisations
            .iter()
            .find(|o| o.id.as_str() == id)
    }

    /// Partner suggestions for one organisation (`match partners`); with `parts`, each row also
    /// carries the value, weight, contribution and reason of every part.
    pub fn partners(
        &self,
        org: &str,
        opts: &PartnerOptions,
        parts: bool,
    ) -> Result<Vec<PartnerRow>, AppError> {
        if let Some(me) = self.viewer.member_org()
            && me.as_str() != org
        {
            return Err(AppError::Usage(format!(
                "--as-org {me} shows what member {me} would see, which is suggestions for itself; \
                 drop --org or give --org {me}"
            )));
        }
        let rows = milieu_match::partners(&self.context, org, opts).map_err(match_error)?;
        rows.into_iter()
            .map(|s| {
                let parts = if parts {
                    milieu_match::explain_pair(&self.context, org, &s.candidate, opts)
                        .map_err(match_error)?
                } else {
                    Vec::new()
                };
                Ok(PartnerRow {
                    suggestion: s,
                    parts,
                })
            })
            .collect()
    }

    /// Suggestions for every organisation (`match all`), rows grouped by organisation.
    pub fn all(&self, opts: &PartnerOptions) -> Vec<MatchAllRow> {
        milieu_match::match_all(&self.context, opts)
            .into_iter()
            .map(MatchAllRow::from)
            .collect()
    }

    /// Members each open opportunity fits (`match opportunities`).
    pub fn opportunities(&self, opts: &RouteOptions) -> Result<Vec<OpportunityMatch>, AppError> {
        milieu_match::route_opportunities(&self.context, opts).map_err(match_error)
    }

    /// Open opportunities that fit one member (`match digest`).
    pub fn digest(
        &self,
        org: &str,
        opts: &RouteOptions,
    ) -> Result<Vec<OpportunityMatch>, AppError> {
        milieu_match::digest(&self.context, org, opts).map_err(match_error)
    }

    /// Eligibility and fit of one opportunity for one organisation.
    pub fn explain_opportunity(
        &self,
        opportunity: &str,
        org: &str,
        allow_unknown: bool,
    ) -> Result<OpportunityExplanation, AppError> {
        let (check, fit) =
            milieu_match::explain_opportunity(&self.context, opportunity, org, allow_unknown)
                .map_err(match_error)?;
        Ok(OpportunityExplanation {
            opportunity: opportunity.to_string(),
            org: org.to_string(),
            eligible: check.eligible,
            met: check.met.join("; "),
            failed: check.failed.join("; "),
            unchecked: check.unknown.join("; "),
            score: fit.as_ref().map(|f| f.score),
            reasons: fit.map(|f| f.reasons).unwrap_or_default(),
        })
    }

    /// Where `to` stands among `from`'s suggestions for a purpose (every candidate ranked),
    /// for recording with an introduction.
    pub fn rank_of(
        &self,
        from: &str,
        to: &str,
        purpose: Purpose,
    ) -> Result<SuggestionRank, AppError> {
        let opts = PartnerOptions {
            purpose,
            top: 0,
            explain: false,
            ..PartnerOptions::default()
        };
        let all = milieu_match::partners(&self.context, from, &opts).map_err(match_error)?;
        let found = all.iter().find(|s| s.candidate == to);
        let score = match found {
            Some(s) => s.score,
            None => {
                // Not a candidate (e.g. already tied): its score all the same.
                let parts = milieu_match::explain_pair(&self.context, from, to, &opts)
                    .map_err(match_error)?;
                parts.iter().map(|p| p.contribution).sum()
            }
        };
        Ok(SuggestionRank {
            purpose,
            rank: found.map(|s| s.rank),
            of: all.len(),
            score,
        })
    }
}

/// A suggestion with, when asked (`--explain`), the detail of every part.
#[derive(Debug, Clone, Serialize)]
pub struct PartnerRow {
    #[serde(flatten)]
    pub suggestion: Suggestion,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<PartDetail>,
}

/// One row of `match all`: columns `org, candidate, rank, score`, the ten part contributions
/// (they add up to `score`), the mutual contact and, with `--explain`, the reasons.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatchAllRow {
    pub org: String,
    pub candidate: String,
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
    pub via: String,
    pub explanation: String,
}

impl From<Suggestion> for MatchAllRow {
    fn from(s: Suggestion) -> Self {
        Self {
            org: s.org,
            candidate: s.candidate,
            rank: s.rank,
            score: s.score,
            offer_fit: s.offer_fit,
            demand_fit: s.demand_fit,
            sector: s.sector,
            topic: s.topic,
            bridge: s.bridge,
            reachability: s.reachability,
            geography: s.geography,
            size: s.size,
            kind: s.kind,
            activity: s.activity,
            via: s.via,
            explanation: s.explanation,
        }
    }
}

/// Why an opportunity does or does not fit one organisation.
#[derive(Debug, Clone, Serialize)]
pub struct OpportunityExplanation {
    pub opportunity: String,
    pub org: String,
    pub eligible: bool,
    pub met: String,
    pub failed: String,
    pub unchecked: String,
    pub score: Option<f64>,
    pub reasons: String,
}

/// Where a pair stood among the suggestions when it was introduced.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SuggestionRank {
    pub purpose: Purpose,
    /// Rank among the candidates (`None`: not a candidate, e.g. already tied).
    pub rank: Option<u32>,
    /// Number of candidates ranked.
    pub of: usize,
    pub score: f64,
}

impl SuggestionRank {
    /// The tag written into an introduction's note, read back by [`introduction_report`].
    pub fn tag(&self) -> String {
        match self.rank {
            Some(r) => format!(
                "[match {}: rank {r} of {}, score {:.3}]",
                self.purpose, self.of, self.score
            ),
            None => format!(
                "[match {}: not suggested, score {:.3}]",
                self.purpose, self.score
            ),
        }
    }

    /// Reads a tag written by [`SuggestionRank::tag`] from a note.
    pub fn parse_tag(note: &str) -> Option<(String, Option<u32>, f64)> {
        let start = note.find("[match ")?;
        let rest = &note[start + 7..];
        let end = rest.find(']')?;
        let body = &rest[..end];
        let (purpose, facts) = body.split_once(": ")?;
        let score = facts
            .rsplit_once("score ")
            .and_then(|(_, s)| s.trim().parse::<f64>().ok())?;
        let rank = facts
            .strip_prefix("rank ")
            .and_then(|r| r.split_whitespace().next())
            .and_then(|r| r.parse().ok());
        Some((purpose.to_string(), rank, score))
    }
}

/// A broker's introduction to record (`milieu introduce`).
#[derive(Debug, Clone)]
pub struct IntroduceRequest {
    /// Id to give it; `None`: `intro-FROM-TO-DATE` (or a numbered one when taken or too long).
    pub id: Option<String>,
    pub from: String,
    pub to: String,
    pub via: Option<String>,
    pub broker: Option<String>,
    pub date: Date,
    pub status: IntroductionStatus,
    pub visibility: Visibility,
    pub note: String,
    /// Record where `to` stood among `from`'s suggestions for this purpose (in the note).
    pub purpose: Option<Purpose>,
}

/// Records an introduction through the checked import path (validation, references, unique
/// id, one transaction). Unknown organisations or broker are reported with the flag they came
/// from.
pub async fn introduce<S: Store>(
    store: &S,
    request: &IntroduceRequest,
) -> Result<Introduction, AppError> {
    if request.from == request.to {
        return Err(AppError::Usage(format!(
            "--to {:?} is the same organisation as --from: an introduction joins two organisations",
            request.to
        )));
    }
    for (flag, id) in [("--from", Some(&request.from)), ("--to", Some(&request.to))]
        .into_iter()
        .chain([("--via", request.via.as_ref())])
    {
        if let Some(id) = id
            && store
                .existing_ids(EntityKind::Organisation, std::slice::from_ref(id))
                .await?
                .is_empty()
        {
            return Err(AppError::Usage(format!(
                "{flag} {id:?}: unknown organisation; no organisation with this id in the registry"
            )));
        }
    }
    if let Some(broker) = &request.broker
        && store
            .existing_ids(EntityKind::Person, std::slice::from_ref(broker))
            .await?
            .is_empty()
    {
        return Err(AppError::Usage(format!(
            "--broker {broker:?}: unknown person; no person with this id in the registry"
        )));
    }
    let mut note = request.note.trim().to_string();
    if let Some(purpose) = request.purpose {
        let matcher =
            Matcher::load(store, Principal::cluster_team(), &ContextOptions::default()).await?;
        let rank = matcher.rank_of(&request.from, &request.to, purpose)?;
        if !note.is_empty() {
            note.push(' ');
        }
        note.push_str(&rank.tag());
    }
    let id = match &request.id {
        Some(id) => id.clone(),
        None => new_introduction_id(store, request).await?,
    };
    let record = Introduction {
        id: IntroductionId::new(id),
        from: OrgId::new(request.from.clone()),
        to: OrgId::new(request.to.clone()),
        via: request.via.clone().map(OrgId::new),
        broker: request.broker.clone().map(PersonId::new),
        date: request.date,
        status: request.status,
        note,
        visibility: request.visibility,
    };
    let mut batch = LocatedDataset::new("command-line arguments");
    batch.introductions.push(Located {
        position: Position::File,
        record: record.clone(),
    });
    import_checked(store, &batch).await?;
    Ok(record)
}

async fn new_introduction_id<S: Store>(
    store: &S,
    r: &IntroduceRequest,
) -> Result<String, AppError> {
    let readable = format!("intro-{}-{}-{}", r.from, r.to, r.date);
    let mut tried = Vec::new();
    if check_id(&readable).is_ok() {
        tried.push(readable.clone());
    }
    let taken_readable = !tried.is_empty()
        && !store
            .existing_ids(EntityKind::Introduction, &tried)
            .await?
            .is_empty();
    if !tried.is_empty() && !taken_readable {
        return Ok(readable);
    }
    // Numbered: the first free `intro-DATE-N`.
    let base = format!("intro-{}", r.date);
    for start in (1..).step_by(100) {
        let candidates: Vec<String> = (start..start + 100)
            .map(|n| format!("{base}-{n}"))
            .collect();
        let taken = store
            .existing_ids(EntityKind::Introduction, &candidates)
            .await?;
        if let Some(free) = candidates.into_iter().find(|c| !taken.contains(c)) {
            return Ok(free);
        }
    }
    unreachable!("an unbounded range always yields a free id")
}

/// What came of one introduction: its status, the outcomes recorded for it, whether a tie
/// followed, and where the pair stood among the suggestions when introduced (if recorded).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IntroductionOutcomeRow {
    pub introduction: String,
    pub from: String,
    pub to: String,
    pub via: String,
    pub date: Date,
    pub status: IntroductionStatus,
    /// Outcomes naming this introduction.
    pub outcomes: u32,
    /// Their kinds, `;`-separated.
    pub outcome_kinds: String,
    /// Sum of their values (EUR), when any is known.
    pub outcome_value: Option<f64>,
    /// A tie recorded from this introduction, or between the two on or after its date.
    pub tie_formed: bool,
    /// The purpose the pair was ranked for when introduced (`--purpose` of `introduce`).
    pub match_purpose: String,
    /// Its rank among the suggestions then (0: not suggested or not recorded).
    pub match_rank: u32,
    pub match_score: Option<f64>,
}

/// What `match introductions` found, and how many records the viewer may not see.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IntroductionReport {
    pub rows: Vec<IntroductionOutcomeRow>,
    /// Introductions, outcomes and ties left out because the viewer may not see them.
    pub hidden_introductions: usize,
    pub hidden_outcomes: usize,
    pub hidden_ties: usize,
}

/// Every introduction the viewer may see with what came of it (`match introductions`): the
/// raw material to evaluate what matching produced (share of introductions met or closed,
/// outcomes by kind and value, for suggested pairs against the others). Outcomes and ties
/// count only when the viewer may see them too (an outcome's parties are its organisation and
/// partner).
pub async fn introduction_report<S: Store>(
    store: &S,
    viewer: &Principal,
) -> Result<IntroductionReport, AppError> {
    let mut intros: Vec<Introduction> = store.load().await?;
    let mut outcomes: Vec<Outcome> = store.load().await?;
    let mut ties: Vec<Tie> = store.load().await?;
    let (n_intros, n_outcomes, n_ties) = (intros.len(), outcomes.len(), ties.len());
    intros.retain(|i| viewer.may_see(i));
    outcomes.retain(|o| viewer.may_see(o));
    ties.retain(|t| viewer.may_see(t));
    let mut by_intro: HashMap<&str, Vec<&Outcome>> = HashMap::new();
    for o in &outcomes {
        if let Some(i) = &o.introduction {
            by_intro.entry(i.as_str()).or_default().push(o);
        }
    }
    let mut pair_ties: HashMap<(&str, &str), Vec<&Tie>> = HashMap::new();
    let mut intro_ties: HashMap<&str, usize> = HashMap::new();
    for t in &ties {
        let (a, b) = (t.from.as_str(), t.to.as_str());
        pair_ties.entry((a.min(b), a.max(b))).or_default().push(t);
        if let Some(i) = &t.introduction {
            *intro_ties.entry(i.as_str()).or_default() += 1;
        }
    }
    let rows = intros
        .iter()
        .map(|i| {
            let outs = by_intro.get(i.id.as_str()).cloned().unwrap_or_default();
            let mut kinds: Vec<String> = outs.iter().map(|o| o.kind.to_string()).collect();
            kinds.sort();
            kinds.dedup();
            let (a, b) = (i.from.as_str(), i.to.as_str());
            let tie_formed = intro_ties.contains_key(i.id.as_str())
                || pair_ties
                    .get(&(a.min(b), a.max(b)))
                    .is_some_and(|ts| ts.iter().any(|t| t.start >= i.date));
            let tag = SuggestionRank::parse_tag(&i.note);
            IntroductionOutcomeRow {
                introduction: i.id.to_string(),
                from: i.from.to_string(),
                to: i.to.to_string(),
                via: i.via.as_ref().map(|v| v.to_string()).unwrap_or_default(),
                date: i.date,
                status: i.status,
                outcomes: outs.len() as u32,
                outcome_kinds: kinds.join(";"),
                outcome_value: outs.iter().filter_map(|o| o.value).reduce(|a, b| a + b),
                tie_formed,
                match_purpose: tag.as_ref().map(|t| t.0.clone()).unwrap_or_default(),
                match_rank: tag.as_ref().and_then(|t| t.1).unwrap_or(0),
                match_score: tag.map(|t| t.2),
            }
        })
        .collect();
    Ok(IntroductionReport {
        rows,
        hidden_introductions: n_intros - intros.len(),
        hidden_outcomes: n_outcomes - outcomes.len(),
        hidden_ties: n_ties - ties.len(),
    })
}

/// Options of `match evaluate`: the forecast of new collaborations on the stored registry.
#[derive(Debug, Clone)]
pub struct EvaluateOptions {
    /// What was known before this date is the training registry.
    pub split: Date,
    /// New collaborations in projects starting from `split` to this date (inclusive) are the
    /// answers.
    pub until: Date,
    /// Recall is measured at this cut-off (10).
    pub k: usize,
    /// Ranks beyond this count 0 in the MRR (100).
    pub depth: usize,
    /// The purpose whose weights are evaluated and calibrated (rnd: joint projects).
    pub purpose: Purpose,
    /// Calibrate the weights on the months just before the split (context at `split` minus
    /// this many months, answers: new pairs of those months); 0: no calibration.
    pub calibrate_months: u32,
    /// Weights to evaluate instead of the purpose's defaults.
    pub weights: Option<Weights>,
}

/// One method's forecast quality.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvaluationRow {
    pub method: String,
    pub pairs: usize,
    pub recall_at_k: f64,
    pub mrr: f64,
    /// Recall@k relative to the best baseline (common neighbours, Adamic-Adar, topic cosine,
    /// random).
    pub vs_best_baseline: f64,
    pub seconds: f64,
}

/// The forecast's results and how it was set up.
#[derive(Debug, Clone, Serialize)]
pub struct Evaluation {
    pub rows: Vec<EvaluationRow>,
    pub k: usize,
    /// Organisations and edges of the training network.
    pub train_organisations: usize,
    pub train_edges: usize,
    /// Validation split used for calibration: pairs, recall@k before and after, weights.
    pub validation_pairs: usize,
    pub validation_recall_default: Option<f64>,
    pub validation_recall_calibrated: Option<f64>,
    pub calibrated_weights: Option<Weights>,
    pub constant_parts: Vec<&'static str>,
}

/// Replays history on the stored registry (`match evaluate`): from what was known at the split,
/// which new pairs (not tied before, both active before) collaborate in projects starting
/// from the split to `until`? milieu's score (default weights, and weights calibrated on the
/// months before the split) against common neighbours, Adamic-Adar, topic cosine and random,
/// in the same run. Uses what the asking user may see (`viewer`).
pub fn evaluate(
    dataset: &Dataset,
    viewer: &Principal,
    opts: &EvaluateOptions,
) -> Result<Evaluation, AppError> {
    if opts.until < opts.split {
        return Err(AppError::Usage(format!(
            "--until {} is before --split {}: the answers must follow the split",
            opts.until, opts.split
        )));
    }
    let to = opts.until.succ_opt().unwrap_or(opts.until);
    let context_at = |date: Date| {
        MatchContext::build(
            dataset,
            &ContextOptions {
                as_of: Some(date),
                ..ContextOptions::default()
            },
            viewer,
        )
    };
    let ctx = context_at(opts.split);
    let pairs = new_collaborations(dataset, &ctx, opts.split, to);
    if pairs.is_empty() {
        return Err(AppError::Usage(format!(
            "no new collaborations to forecast: no pair of organisations active before {} \
             (a project started before it) shares a project starting from {} to {} without \
             having been tied before",
            opts.split, opts.split, opts.until
        )));
    }
    let base = PartnerOptions {
        purpose: opts.purpose,
        explain: false,
        weights: opts.weights,
        ..PartnerOptions::default()
    };
    let mut calibrated = None;
    let mut validation_pairs = 0;
    let mut constant_parts = Vec::new();
    let (mut val_default, mut val_calibrated) = (None, None);
    if opts.calibrate_months > 0 {
        let start = opts
            .split
            .checked_sub_months(chrono::Months::new(opts.calibrate_months))
            .ok_or_else(|| AppError::Usage("--calibrate-months reaches before year 0".into()))?;
        let ctx_val = context_at(start);
        let pairs_val = new_collaborations(dataset, &ctx_val, start, opts.split);
        validation_pairs = pairs_val.len();
        if !pairs_val.is_empty() {
            let cal = calibrate(
                &ctx_val,
                &pairs_val,
                &CalibrationOptions {
                    base: base.clone(),
                    k: opts.k,
                    ..CalibrationOptions::default()
                },
            );
            val_default = Some(cal.start_recall);
            val_calibrated = Some(cal.recall_at_k);
            constant_parts = cal.constant_parts.clone();
            calibrated = Some(cal.weights);
        }
    }
    let baselines = [
        Ranker::CommonNeighbours,
        Ranker::AdamicAdar,
        Ranker::TopicCosine,
        Ranker::Random { seed: 1 },
    ];
    let mut metrics: Vec<(String, milieu_match::ForecastMetrics)> = baselines
        .iter()
        .map(|r| {
            (
                r.name().to_string(),
                evaluate_ranker(&ctx, r, &pairs, opts.k, opts.depth),
            )
        })
        .collect();
    let best = metrics
        .iter()
        .map(|(_, m)| m.recall_at_k)
        .fold(0.0, f64::max);
    let default_name = if opts.weights.is_some() {
        format!("milieu ({}, given weights)", opts.purpose)
    } else {
        format!("milieu ({} defaults)", opts.purpose)
    };
    metrics.push((
        default_name,
        evaluate_ranker(
            &ctx,
            &Ranker::Milieu(Box::new(base.clone())),
            &pairs,
            opts.k,
            opts.depth,
        ),
    ));
    if let Some(w) = calibrated {
        metrics.push((
            "milieu (calibrated)".to_string(),
            evaluate_ranker(
                &ctx,
                &Ranker::Milieu(Box::new(PartnerOptions {
                    weights: Some(w),
                    ..base.clone()
                })),
                &pairs,
                opts.k,
                opts.depth,
            ),
        ));
    }
    let rows = metrics
        .into_iter()
        .map(|(method, m)| EvaluationRow {
            method,
            pairs: m.pairs,
            recall_at_k: m.recall_at_k,
            mrr: m.mrr,
            vs_best_baseline: if best > 0.0 {
                m.recall_at_k / best
            } else {
                0.0
            },
            seconds: m.seconds,
        })
        .collect();
    Ok(Evaluation {
        rows,
        k: opts.k,
        train_organisations: (0..ctx.len() as u32)
            .filter(|&o| ctx.graph().degree(o) > 0)
            .count(),
        train_edges: ctx.graph().edge_count(),
        validation_pairs,
        validation_recall_default: val_default,
        validation_recall_calibrated: val_calibrated,
        calibrated_weights: calibrated,
        constant_parts,
    })
}

/// Parses a date given on the command line, naming the flag on error.
pub fn parse_date_arg(flag: &str, text: &str) -> Result<Date, AppError> {
    milieu_model::parse_date(text)
        .ok_or_else(|| AppError::Usage(format!("{flag} {text:?}: expected a date YYYY-MM-DD")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rank_tag_round_trips() {
        let r = SuggestionRank {
            purpose: Purpose::Suppliers,
            rank: Some(3),
            of: 41,
            score: 0.41234,
        };
        let note = format!("met at the fair {}", r.tag());
        assert_eq!(
            SuggestionRank::parse_tag(&note),
            Some(("suppliers".to_string(), Some(3), 0.412))
        );
        let none = SuggestionRank { rank: None, ..r };
        assert_eq!(
            SuggestionRank::parse_tag(&none.tag()),
            Some(("suppliers".to_string(), None, 0.412))
        );
        assert_eq!(SuggestionRank::parse_tag("no tag here"), None);
    }
}
