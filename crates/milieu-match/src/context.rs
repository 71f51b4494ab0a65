//! The matching context: a registry snapshot indexed for matching (compact ids, the visible
//! network, topic vectors, text indexes, pools for sparse candidate generation).

use crate::error::MatchError;
use crate::graph::Graph;
use crate::text::{Field, Query, TextIndex};
use milieu_model::{
    Audience, Confidential, Dataset, Date, EventId, InitiativeId, Opportunity, OrgId, OrgKind,
    Organisation, ProjectId, SectorCode, TieKind, Vocabulary,
};
use std::collections::{HashMap, HashSet};

/// Relatedness of two sectors (e.g. co-location or value-chain proximity from milieu-map),
/// in [0, 1]; symmetric.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SectorRelatedness {
    pub sector_a: SectorCode,
    pub sector_b: SectorCode,
    pub relatedness: f64,
}

/// Reads sector relatedness rows from CSV text with the header `sector_a,sector_b,relatedness`
/// (codes as `naics:541511` or bare). `source` names the input in errors.
pub fn read_sector_relatedness(
    reader: impl std::io::BufRead,
    source: &str,
) -> Result<Vec<SectorRelatedness>, MatchError> {
    let mut rows = Vec::new();
    let bad = |line: u64, field: &str, value: &str, expected: &str| MatchError::BadInput {
        file: source.to_string(),
        line,
        field: field.to_string(),
        value: value.to_string(),
        expected: expected.to_string(),
    };
    for (i, line) in reader.lines().enumerate() {
        let line_no = i as u64 + 1;
        let line = line.map_err(|e| bad(line_no, "line", "", &format!("readable text ({e})")))?;
        if line.trim().is_empty() {
            continue;
        }
        let cells: Vec<&str> = line.split(',').map(str::trim).collect();
        if i == 0 {
            if cells != ["sector_a", "sector_b", "relatedness"] {
                return Err(bad(
                    line_no,
                    "header",
                    &line,
                    "the header sector_a,sector_b,relatedness",
                ));
            }
            continue;
        }
        if cells.len() != 3 {
            return Err(bad(line_no, "line", &line, "3 comma-separated fields"));
        }
        let a = SectorCode::parse(cells[0]).map_err(|e| bad(line_no, "sector_a", cells[0], &e))?;
        let b = SectorCode::parse(cells[1]).map_err(|e| bad(line_no, "sector_b", cells[1], &e))?;
        let r: f64 = cells[2]
            .parse()
            .ok()
            .filter(|r: &f64| (0.0..=1.0).contains(r))
            .ok_or_else(|| bad(line_no, "relatedness", cells[2], "a number in [0, 1]"))?;
        rows.push(SectorRelatedness {
            sector_a: a,
            sector_b: b,
            relatedness: r,
        });
    }
    Ok(rows)
}

/// A precomputed community label for an organisation (e.g. from milieu-net).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CommunityLabel {
    pub org: OrgId,
    pub community: u32,
}

/// How to build the context.
#[derive(Debug, Clone)]
pub struct ContextOptions {
    /// Use only what was known on this date: ties started on or before it, projects started
    /// before it, events held before it, memberships in force on it. `None`: everything
    /// recorded (memberships: the ongoing ones).
    pub as_of: Option<Date>,
    /// Count co-participation in a project as a tie (true by default: partners in a joint
    /// project know each other).
    pub project_ties: bool,
    /// Sector relatedness (from milieu-map); empty: sector codes are compared by prefix.
    pub sector_relatedness: Vec<SectorRelatedness>,
    /// Precomputed community labels; empty: label propagation over the visible network.
    pub communities: Vec<CommunityLabel>,
    /// Seed of the label propagation order.
    pub community_seed: u64,
}

impl Default for ContextOptions {
    fn default() -> Self {
        Self {
            as_of: None,
            project_ties: true,
            sector_relatedness: Vec::new(),
            communities: Vec::new(),
            community_seed: 42,
        }
    }
}

/// How two organisations know each other directly, for explanations.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Acquaintance {
    /// Visible ties between them, by kind.
    pub tie_kinds: Vec<TieKind>,
    /// Projects (before `as_of`) they share.
    pub shared_projects: Vec<ProjectId>,
    /// Introductions made between them.
    pub introduced: bool,
}

/// A registry snapshot indexed for matching. Build once per asking user (the visibility rule
/// shapes the network), then ask any number of questions.
#[derive(Debug, Clone)]
pub struct MatchContext {
    pub(crate) orgs: Vec<Organisation>,
    pub(crate) index: HashMap<OrgId, u32>,
    /// Visible network: ties, introductions made, project co-participation.
    pub(crate) graph: Graph,
    pub(crate) tie_kinds: HashMap<(u32, u32), Vec<TieKind>>,
    pub(crate) introduced: HashSet<(u32, u32)>,
    pub(crate) projects: Vec<ProjectId>,
    /// Projects of each organisation (indices into `projects`), sorted.
    pub(crate) org_projects: Vec<Vec<u32>>,
    /// Events known by `as_of`: id and title.
    pub(crate) events: Vec<(EventId, String)>,
    pub(crate) org_events: Vec<Vec<u32>>,
    pub(crate) topics: Vec<String>,
    /// Raw topic counts per organisation (projects, events attended, topic requests), sorted.
    pub(crate) topic_counts: Vec<Vec<(u32, f32)>>,
    /// TF-IDF topic vectors, L2-normalised, sorted by topic id.
    pub(crate) topic_vecs: Vec<Vec<(u32, f32)>>,
    /// For each topic, its organisations by decreasing count then degree.
    pub(crate) topic_orgs: Vec<Vec<u32>>,
    pub(crate) initiatives: Vec<(InitiativeId, String)>,
    pub(crate) org_initiatives: Vec<Vec<u32>>,
    pub(crate) initiative_orgs: Vec<Vec<u32>>,
    /// Organisations by broad sector (NAICS 2 digits / NACE division), by decreasing degree.
    pub(crate) sector_orgs: HashMap<String, Vec<u32>>,
    pub(crate) relatedness: HashMap<(String, String), f64>,
    pub(crate) community: Vec<u32>,
    pub(crate) community_size: Vec<u32>,
    /// The three most connected members of each community, to name it.
    pub(crate) community_landmarks: HashMap<u32, Vec<u32>>,
    /// Observed / expected edge count between organisation kinds (Newman's mixing), with the
    /// observed count, for the learned part of the kind fit.
    pub(crate) kind_mixing: Vec<Vec<(f64, f64)>>,
    /// The activity part of each organisation as a candidate, from its projects, events
    /// attended and explicit tie partners (see `score::activity_part`).
    pub(crate) activity_part: Vec<f64>,
    /// Offers, keywords and descriptions (what each organisation can do).
    pub(crate) offer_index: TextIndex,
    /// Requests (what each organisation looks for).
    pub(crate) request_index: TextIndex,
    /// Per organisation: its requests as a query over `offer_index`, its offers as a query
    /// over `request_index`.
    pub(crate) request_queries: Vec<Query>,
    pub(crate) offer_queries: Vec<Query>,
    pub(crate) opportunities: Vec<Opportunity>,
    pub(crate) as_of: Option<Date>,
}

fn kind_index(kind: OrgKind) -> usize {
    OrgKind::ALL.iter().position(|k| *k == kind).unwrap_or(0)
}

/// The broad sector key used for candidate pools: NAICS 2 digits, NACE section + division.
pub(crate) fn broad_sector(code: &SectorCode) -> String {
    let n = match code.classification {
        milieu_model::Classification::Naics => 2,
        milieu_model::Classification::Nace => 3,
    };
    let short: String = code.code.chars().filter(|c| *c != '.').take(n).collect();
    format!("{}:{}", code.classification, short)
}

impl MatchContext {
    /// Builds the context from a registry for `audience`, the asking user (milieu-app's
    /// `Principal`; [`milieu_model::WholeRegistry`] for offline runs): ties and introductions it
    /// may not see are not used at all, so they cannot leak through a mutual contact,
    /// a bridge or an exclusion. Records naming unknown organisations are skipped (the
    /// registry's import already checks references).
    pub fn build(dataset: &Dataset, options: &ContextOptions, audience: &dyn Audience) -> Self {
        let orgs = dataset.organisations.clone();
        let n = orgs.len();
        let index: HashMap<OrgId, u32> = orgs
            .iter()
            .enumerate()
            .map(|(i, o)| (o.id.clone(), i as u32))
            .collect();
        let as_of = options.as_of;

        // Projects known by `as_of`.
        let project_ids: HashMap<&ProjectId, u32> = dataset
            .projects
            .iter()
            .filter(|p| match (as_of, p.start) {
                (None, _) => true,
                (Some(d), Some(s)) => s < d,
                (Some(_), None) => false,
            })
            .enumerate()
            .map(|(i, p)| (&p.id, i as u32))
            .collect();
        let mut projects = vec![ProjectId::new(""); project_ids.len()];
        let mut project_topics: Vec<&[String]> = vec![&[]; project_ids.len()];
        for p in &dataset.projects {
            if let Some(&i) = project_ids.get(&p.id) {
                projects[i as usize] = p.id.clone();
                project_topics[i as usize] = &p.topics;
            }
        }
        let mut project_members: Vec<Vec<u32>> = vec![Vec::new(); projects.len()];
        let mut org_projects: Vec<Vec<u32>> = vec![Vec::new(); n];
        for part in &dataset.participations {
            if let (Some(&p), Some(&o)) = (project_ids.get(&part.project), index.get(&part.org)) {
                project_members[p as usize].push(o);
                org_projects[o as usize].push(p);
            }
        }
        for list in org_projects.iter_mut().chain(project_members.iter_mut()) {
            list.sort_unstable();
            list.dedup();
        }

        // Network edges: visible ties, introductions made, co-participation.
        let mut edges: Vec<(u32, u32, f32)> = Vec::new();
        let mut tie_kinds: HashMap<(u32, u32), Vec<TieKind>> = HashMap::new();
        for tie in &dataset.ties {
            if as_of.is_some_and(|d| tie.start > d) || !tie.visible_to(audience) {
                continue;
            }
            let (Some(&a), Some(&b)) = (index.get(&tie.from), index.get(&tie.to)) else {
                continue;
            };
            if a == b {
                continue;
            }
            let mut w = f32::from(tie.strength.unwrap_or(3).clamp(1, 5)) / 5.0;
            // A tie that has ended still means the two know each other, but less.
            if tie.end.is_some_and(|e| as_of.is_none_or(|d| e <= d)) {
                w *= 0.5;
            }
            edges.push((a, b, w));
            let kinds = tie_kinds.entry((a.min(b), a.max(b))).or_default();
            if !kinds.contains(&tie.kind) {
                kinds.push(tie.kind);
            }
        }
        let mut introduced = HashSet::new();
        for intro in &dataset.introductions {
            use milieu_model::IntroductionStatus as S;
            if !matches!(intro.status, S::Made | S::Met | S::Closed)
                || as_of.is_some_and(|d| intro.date > d)
                || !intro.visible_to(audience)
            {
                continue;
            }
            if let (Some(&a), Some(&b)) = (index.get(&intro.from), index.get(&intro.to))
                && a != b
            {
                edges.push((a, b, 0.4));
                introduced.insert((a.min(b), a.max(b)));
            }
        }
        if options.project_ties {
            // Weight of co-participation: 1 - 0.5^shared, accumulated per pair.
            let mut shared: HashMap<(u32, u32), u32> = HashMap::new();
            for members in &project_members {
                for (i, &a) in members.iter().enumerate() {
                    for &b in &members[i + 1..] {
                        *shared.entry((a, b)).or_default() += 1;
                    }
                }
            }
            edges.extend(
                shared
                    .into_iter()
                    .map(|((a, b), k)| (a, b, 1.0 - 0.5f32.powi(k.min(30) as i32))),
            );
        }
        let graph = Graph::from_edges(n, edges);

        // Events attended before `as_of`.
        let event_ids: HashMap<&EventId, u32> = dataset
            .events
            .iter()
            .filter(|e| as_of.is_none_or(|d| e.date < d))
            .enumerate()
            .map(|(i, e)| (&e.id, i as u32))
            .collect();
        let mut events = vec![(EventId::new(""), String::new()); event_ids.len()];
        let mut event_topics: Vec<&[String]> = vec![&[]; event_ids.len()];
        for e in &dataset.events {
            if let Some(&i) = event_ids.get(&e.id) {
                events[i as usize] = (e.id.clone(), e.title.clone());
                event_topics[i as usize] = &e.topics;
            }
        }
        let mut org_events: Vec<Vec<u32>> = vec![Vec::new(); n];
        for a in &dataset.attendance {
            if let (Some(org), Some(&e)) = (&a.org, event_ids.get(&a.event))
                && let Some(&o) = index.get(org)
            {
                org_events[o as usize].push(e);
            }
        }
        for list in &mut org_events {
            list.sort_unstable();
            list.dedup();
        }

        let mut activity: Vec<u32> = (0..n)
            .map(|o| (org_projects[o].len() + org_events[o].len()) as u32)
            .collect();
        for &(a, b) in tie_kinds.keys().chain(introduced.iter()) {
            activity[a as usize] += 1;
            activity[b as usize] += 1;
        }
        let max_activity = activity.iter().copied().max().unwrap_or(0);

        // Topics: project topics, event topics, topic requests and votes.
        let mut topic_ids: HashMap<String, u32> = HashMap::new();
        let mut topics: Vec<String> = Vec::new();
        let mut counts: Vec<HashMap<u32, f32>> = vec![HashMap::new(); n];
        let mut add_topic = |org: u32, topic: &str, counts: &mut Vec<HashMap<u32, f32>>| {
            let key = topic.trim().to_lowercase();
            if key.is_empty() {
                return;
            }
            let next = topic_ids.len() as u32;
            let id = *topic_ids.entry(key).or_insert_with(|| {
                topics.push(topic.trim().to_string());
                next
            });
            *counts[org as usize].entry(id).or_default() += 1.0;
        };
        for (o, list) in org_projects.iter().enumerate() {
            for &p in list {
                for t in project_topics[p as usize] {
                    add_topic(o as u32, t, &mut counts);
                }
            }
        }
        for (o, list) in org_events.iter().enumerate() {
            for &e in list {
                for t in event_topics[e as usize] {
                    add_topic(o as u32, t, &mut counts);
                }
            }
        }
        for req in &dataset.topic_requests {
            if as_of.is_some_and(|d| req.date >= d) {
                continue;
            }
            for voter in std::iter::once(&req.org).chain(&req.votes) {
                if let Some(&o) = index.get(voter) {
                    add_topic(o, &req.topic, &mut counts);
                }
            }
        }
        let n_topics = topics.len();
        let mut df = vec![0usize; n_topics];
        let topic_counts: Vec<Vec<(u32, f32)>> = counts
            .into_iter()
            .map(|m| {
                let mut v: Vec<(u32, f32)> = m.into_iter().collect();
                v.sort_unstable_by_key(|t| t.0);
                for &(t, _) in &v {
                    df[t as usize] += 1;
                }
                v
            })
            .collect();
        let with_topics = topic_counts.iter().filter(|v| !v.is_empty()).count().max(1) as f32;
        let topic_vecs: Vec<Vec<(u32, f32)>> = topic_counts
            .iter()
            .map(|v| {
                // Log-scaled term frequency times smoothed inverse document frequency.
                let mut w: Vec<(u32, f32)> = v
                    .iter()
                    .map(|&(t, c)| {
                        let idf = (1.0 + with_topics / df[t as usize] as f32).ln();
                        (t, (1.0 + c.ln()) * idf)
                    })
                    .collect();
                let norm = w.iter().map(|x| x.1 * x.1).sum::<f32>().sqrt();
                if norm > 0.0 {
                    for x in &mut w {
                        x.1 /= norm;
                    }
                }
                w
            })
            .collect();
        let mut topic_orgs: Vec<Vec<u32>> = vec![Vec::new(); n_topics];
        for (o, v) in topic_counts.iter().enumerate() {
            for &(t, _) in v {
                topic_orgs[t as usize].push(o as u32);
            }
        }
        for (t, list) in topic_orgs.iter_mut().enumerate() {
            let count = |o: u32| {
                topic_counts[o as usize]
                    .binary_search_by_key(&(t as u32), |x| x.0)
                    .map(|i| topic_counts[o as usize][i].1)
                    .unwrap_or(0.0)
            };
            list.sort_by(|&a, &b| {
                count(b)
                    .total_cmp(&count(a))
                    .then(graph.degree(b).cmp(&graph.degree(a)))
                    .then(a.cmp(&b))
            });
        }

        // Initiatives and memberships in force.
        let initiatives: Vec<(InitiativeId, String)> = dataset
            .initiatives
            .iter()
            .map(|i| (i.id.clone(), i.name.clone()))
            .collect();
        let initiative_index: HashMap<&InitiativeId, u32> = dataset
            .initiatives
            .iter()
            .enumerate()
            .map(|(i, x)| (&x.id, i as u32))
            .collect();
        let mut org_initiatives: Vec<Vec<u32>> = vec![Vec::new(); n];
        let mut initiative_orgs: Vec<Vec<u32>> = vec![Vec::new(); initiatives.len()];
        for m in &dataset.memberships {
            let in_force = match as_of {
                None => m.to.is_none(),
                Some(d) => m.from.is_none_or(|f| f <= d) && m.to.is_none_or(|t| d < t),
            };
            if !in_force {
                continue;
            }
            if let (Some(&i), Some(&o)) = (initiative_index.get(&m.initiative), index.get(&m.org)) {
                org_initiatives[o as usize].push(i);
                initiative_orgs[i as usize].push(o);
            }
        }
        for list in org_initiatives.iter_mut() {
            list.sort_unstable();
            list.dedup();
        }
        for list in initiative_orgs.iter_mut() {
            list.sort_by(|&a, &b| graph.degree(b).cmp(&graph.degree(a)).then(a.cmp(&b)));
            list.dedup();
        }

        // Sectors.
        let mut sector_orgs: HashMap<String, Vec<u32>> = HashMap::new();
        for (o, org) in orgs.iter().enumerate() {
            let mut keys: Vec<String> = org.sectors.iter().map(broad_sector).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                sector_orgs.entry(k).or_default().push(o as u32);
            }
        }
        for list in sector_orgs.values_mut() {
            list.sort_by(|&a, &b| graph.degree(b).cmp(&graph.degree(a)).then(a.cmp(&b)));
        }
        let mut relatedness = HashMap::new();
        for r in &options.sector_relatedness {
            let (a, b) = (r.sector_a.to_string(), r.sector_b.to_string());
            relatedness.insert((a.clone(), b.clone()), r.relatedness);
            relatedness.insert((b, a), r.relatedness);
        }

        // Communities: given, or label propagation.
        let community: Vec<u32> = if options.communities.is_empty() {
            graph.label_propagation(options.community_seed, 30)
        } else {
            let given: HashMap<&OrgId, u32> = options
                .communities
                .iter()
                .map(|c| (&c.org, c.community))
                .collect();
            // Organisations without a label get a community of their own.
            let max_label = given.values().copied().max().unwrap_or(0);
            orgs.iter()
                .enumerate()
                .map(|(i, o)| {
                    given
                        .get(&o.id)
                        .copied()
                        .unwrap_or(max_label + 1 + i as u32)
                })
                .collect()
        };
        let mut sizes: HashMap<u32, u32> = HashMap::new();
        for &c in &community {
            *sizes.entry(c).or_default() += 1;
        }
        let community_size = community.iter().map(|c| sizes[c]).collect();
        let mut by_degree: Vec<u32> = (0..n as u32).collect();
        by_degree.sort_by(|&a, &b| graph.degree(b).cmp(&graph.degree(a)).then(a.cmp(&b)));
        let mut community_landmarks: HashMap<u32, Vec<u32>> = HashMap::new();
        for o in by_degree {
            let list = community_landmarks
                .entry(community[o as usize])
                .or_default();
            if list.len() < 3 {
                list.push(o);
            }
        }

        // Kind mixing: observed edges between kinds versus what degree totals would give.
        let k = OrgKind::ALL.len();
        let mut observed = vec![vec![0.0f64; k]; k];
        let mut ends = vec![0.0f64; k];
        for u in 0..n as u32 {
            let ku = kind_index(orgs[u as usize].kind);
            for &v in graph.neighbours(u) {
                observed[ku][kind_index(orgs[v as usize].kind)] += 1.0;
                ends[ku] += 1.0;
            }
        }
        let total_ends: f64 = ends.iter().sum();
        let kind_mixing = (0..k)
            .map(|a| {
                (0..k)
                    .map(|b| {
                        // Each undirected edge was counted from both ends.
                        let expected = if total_ends > 0.0 {
                            ends[a] * ends[b] / total_ends
                        } else {
                            0.0
                        };
                        (observed[a][b], expected)
                    })
                    .collect()
            })
            .collect();

        // Text indexes.
        let keyword_texts: Vec<String> = orgs.iter().map(|o| o.keywords.join(" ; ")).collect();
        let offer_docs: Vec<Vec<Field>> = orgs
            .iter()
            .zip(&keyword_texts)
            .map(|(o, keywords)| {
                vec![
                    Field {
                        text: &o.offers,
                        weight: 1.0,
                    },
                    Field {
                        text: keywords,
                        weight: 1.0,
                    },
                    Field {
                        text: &o.description,
                        weight: 0.5,
                    },
                ]
            })
            .collect();
        let offer_index = TextIndex::build(&offer_docs);
        let request_docs: Vec<Vec<Field>> = orgs
            .iter()
            .map(|o| {
                vec![Field {
                    text: &o.requests,
                    weight: 1.0,
                }]
            })
            .collect();
        let request_index = TextIndex::build(&request_docs);
        let request_queries = orgs
            .iter()
            .map(|o| {
                offer_index.query(&[Field {
                    text: &o.requests,
                    weight: 1.0,
                }])
            })
            .collect();
        let offer_queries = orgs
            .iter()
            .zip(&keyword_texts)
            .map(|(o, keywords)| {
                request_index.query(&[
                    Field {
                        text: &o.offers,
                        weight: 1.0,
                    },
                    Field {
                        text: keywords,
                        weight: 1.0,
                    },
                ])
            })
            .collect();

        MatchContext {
            orgs,
            index,
            graph,
            tie_kinds,
            introduced,
            projects,
            org_projects,
            events,
            org_events,
            topics,
            topic_counts,
            topic_vecs,
            topic_orgs,
            initiatives,
            org_initiatives,
            initiative_orgs,
            sector_orgs,
            relatedness,
            community,
            community_size,
            community_landmarks,
            kind_mixing,
            activity_part: activity
                .iter()
                .map(|&a| crate::score::activity_part(a, max_activity))
                .collect(),
            offer_index,
            request_index,
            request_queries,
            offer_queries,
            opportunities: dataset.opportunities.clone(),
            as_of,
        }
    }

    /// The date the context was built for (`None`: everything recorded).
    pub fn as_of(&self) -> Option<Date> {
        self.as_of
    }

    /// Number of organisations.
    pub fn len(&self) -> usize {
        self.orgs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.orgs.is_empty()
    }

    /// The compact index of an organisation, or the user error naming it.
    pub fn org_index(&self, id: &str) -> Result<u32, MatchError> {
        self.index
            .get(&OrgId::new(id))
            .copied()
            .ok_or_else(|| MatchError::UnknownOrganisation { id: id.to_string() })
    }

    pub fn organisation(&self, index: u32) -> &Organisation {
        &self.orgs[index as usize]
    }

    pub fn organisations(&self) -> &[Organisation] {
        &self.orgs
    }

    /// The visible network the context matches on.
    pub fn graph(&self) -> &Graph {
        &self.graph
    }

    /// Community label of each organisation (given or by label propagation).
    pub fn communities(&self) -> &[u32] {
        &self.community
    }

    /// Whether the two already know each other (a visible tie, an introduction made, a shared
    /// project): such pairs are not suggested unless asked.
    pub fn tied(&self, a: u32, b: u32) -> bool {
        self.graph.has_edge(a, b)
    }

    /// How two organisations know each other directly.
    pub fn acquaintance(&self, a: u32, b: u32) -> Acquaintance {
        let key = (a.min(b), a.max(b));
        let (pa, pb) = (
            &self.org_projects[a as usize],
            &self.org_projects[b as usize],
        );
        let shared_projects = pa
            .iter()
            .filter(|p| pb.binary_search(p).is_ok())
            .map(|&p| self.projects[p as usize].clone())
            .collect();
        Acquaintance {
            tie_kinds: self.tie_kinds.get(&key).cloned().unwrap_or_default(),
            shared_projects,
            introduced: self.introduced.contains(&key),
        }
    }

    /// Events both attended.
    /// Events both attended: id and title.
    pub(crate) fn shared_events(&self, a: u32, b: u32) -> Vec<(EventId, String)> {
        let (ea, eb) = (&self.org_events[a as usize], &self.org_events[b as usize]);
        ea.iter()
            .filter(|e| eb.binary_search(e).is_ok())
            .map(|&e| self.events[e as usize].clone())
            .collect()
    }

    /// Cosine of two organisations' TF-IDF topic vectors, and the shared topics by weight.
    pub(crate) fn topic_cosine(&self, a: u32, b: u32) -> (f64, Vec<u32>) {
        let (va, vb) = (&self.topic_vecs[a as usize], &self.topic_vecs[b as usize]);
        let (mut i, mut j) = (0, 0);
        let mut dot = 0.0f64;
        let mut shared: Vec<(u32, f32)> = Vec::new();
        while i < va.len() && j < vb.len() {
            match va[i].0.cmp(&vb[j].0) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    let p = va[i].1 * vb[j].1;
                    dot += f64::from(p);
                    shared.push((va[i].0, p));
                    i += 1;
                    j += 1;
                }
            }
        }
        shared.sort_by(|x, y| y.1.total_cmp(&x.1));
        (dot.min(1.0), shared.into_iter().map(|s| s.0).collect())
    }

    /// The opportunity with this id, or the user error naming it.
    pub(crate) fn opportunity_index(&self, id: &str) -> Result<usize, MatchError> {
        self.opportunities
            .iter()
            .position(|o| o.id.as_str() == id)
            .ok_or_else(|| MatchError::UnknownOpportunity { id: id.to_string() })
    }

    pub(crate) fn name(&self, o: u32) -> &str {
        let org = &self.orgs[o as usize];
        if org.name.is_empty() {
            org.id.as_str()
        } else {
            &org.name
        }
    }
}
