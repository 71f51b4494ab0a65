//! Brokerage and network-change KPIs of an initiative, computed with the network engine
//! (milieu-net) and fed into the evaluation's KPI table, and the network before and after for
//! the report. milieu-eval stays free of milieu-net; the rules are in docs/evaluation.md,
//! "Network KPIs".
//!
//! - The members' network at a date: the members in scope at that date as nodes, the ties in
//!   force at that date between two of them as undirected, unweighted edges (several ties of a
//!   pair make one edge). Every tie counts, whatever its visibility: these are aggregates.
//! - Groups: the communities (Leiden, modularity, seed 42) of the range's network (every
//!   organisation that is a member at some point of the range, every tie between two of them
//!   in force at some point of the range), fixed for the whole range so periods compare.
//! - Brokers: the initiative's own organisations, i.e. members with the role secretariat or
//!   broker.

use crate::AppError;
use milieu_eval::{self as eval, KpiOptions, KpiRow};
use milieu_model::{Dataset, Date, InitiativeId, MemberRole, Tie};
use milieu_net::community::{CommunityOptions, communities};
use milieu_net::network::components;
use milieu_net::structural::structural_holes;
use milieu_net::{BuildOptions, DuplicateEdges, Graph, GraphBuilder, SelfLoops};
use std::collections::{BTreeMap, HashMap, HashSet};

/// KPIs of this module, in output order.
pub const NETWORK_KPI_NAMES: &[&str] = &[
    "network_density",
    "main_component_share",
    "cross_community_tie_share",
    "community_pairs_linked",
    "bridging_ties_formed",
    "broker_constraint",
    "broker_two_step_reach",
];

type Span = (Option<Date>, Option<Date>);

/// Members (with their membership spans) and brokers of an initiative or of the registry,
/// following the scope rule of milieu-eval.
struct Members<'a> {
    spans: HashMap<&'a str, Vec<Span>>,
    brokers: HashSet<&'a str>,
}

impl<'a> Members<'a> {
    fn new(data: &'a Dataset, initiative: Option<&InitiativeId>) -> Self {
        let mut spans: HashMap<&str, Vec<Span>> = HashMap::new();
        let mut brokers = HashSet::new();
        let memberships = data
            .memberships
            .iter()
            .filter(|m| initiative.is_none_or(|i| &m.initiative == i));
        for m in memberships {
            spans
                .entry(m.org.as_str())
                .or_default()
                .push((m.from, m.to));
            if matches!(m.role, MemberRole::Secretariat | MemberRole::Broker) {
                brokers.insert(m.org.as_str());
            }
        }
        if initiative.is_none() && data.memberships.is_empty() {
            for o in &data.organisations {
                spans.insert(o.id.as_str(), vec![(None, None)]);
            }
        }
        Self { spans, brokers }
    }

    fn during(&self, start: Date, end: Date) -> Vec<&'a str> {
        let mut v: Vec<&str> = self
            .spans
            .iter()
            .filter(|(_, s)| {
                s.iter()
                    .any(|(f, t)| f.is_none_or(|f| f <= end) && t.is_none_or(|t| t >= start))
            })
            .map(|(o, _)| *o)
            .collect();
        v.sort_unstable();
        v
    }
}

fn build(nodes: &[&str], edges: &[(&str, &str)]) -> Result<Graph, AppError> {
    let mut b = GraphBuilder::new(false, false).source_name("registry");
    for n in nodes {
        b.node(n);
    }
    for (x, y) in edges {
        let (Some(u), Some(v)) = (b.existing_node(x), b.existing_node(y)) else {
            continue;
        };
        b.add_edge(u, v, 1.0).map_err(crate::net::net_error)?;
    }
    b.build(&BuildOptions {
        duplicates: DuplicateEdges::First,
        self_loops: SelfLoops::Drop,
    })
    .map_err(crate::net::net_error)
}

/// Everything fixed over the range.
struct Range<'a> {
    data: &'a Dataset,
    members: Members<'a>,
    /// Community of each organisation of the range's network.
    community: HashMap<&'a str, u32>,
    /// Community sizes in the range's network, largest first.
    sizes: Vec<usize>,
    /// Dates of bridging ties: pairs formed between two communities no earlier tie linked.
    bridging: Vec<Date>,
}

/// One date's network measures.
struct AtDate {
    nodes: usize,
    edges: usize,
    main_component: usize,
    cross_community: usize,
    community_pairs: usize,
    broker_constraint: (f64, usize),
    broker_reach: (usize, usize),
    /// Members and inner ties per community, and ties between communities.
    per_community: BTreeMap<u32, (u64, u64)>,
    between: BTreeMap<(u32, u32), u64>,
}

fn pair<'a>(a: &'a str, b: &'a str) -> (&'a str, &'a str) {
    if a <= b { (a, b) } else { (b, a) }
}

impl<'a> Range<'a> {
    fn new(
        data: &'a Dataset,
        initiative: Option<&InitiativeId>,
        from: Date,
        to: Date,
    ) -> Result<Self, AppError> {
        let members = Members::new(data, initiative);
        let nodes = members.during(from, to);
        let set: HashSet<&str> = nodes.iter().copied().collect();
        let in_range = |t: &Tie| t.start <= to && t.end.is_none_or(|e| e > from);
        let edges: Vec<(&str, &str)> = data
            .ties
            .iter()
            .filter(|t| in_range(t) && set.contains(t.from.as_str()) && set.contains(t.to.as_str()))
            .map(|t| (t.from.as_str(), t.to.as_str()))
            .collect();
        let g = build(&nodes, &edges)?;
        let part = communities(
            &g,
            &CommunityOptions {
                use_weights: false,
                ..CommunityOptions::default()
            },
        )
        .map_err(crate::net::net_error)?;
        let community: HashMap<&str, u32> = nodes
            .iter()
            .map(|n| (*n, part.membership[g.node(n).unwrap_or(0) as usize]))
            .collect();
        // Bridging ties, in time order: a pair's first tie record whose two communities no tie
        // starting strictly earlier linked.
        let mut ties: Vec<&Tie> = data
            .ties
            .iter()
            .filter(|t| {
                community.contains_key(t.from.as_str()) && community.contains_key(t.to.as_str())
            })
            .collect();
        ties.sort_by(|x, y| x.start.cmp(&y.start).then_with(|| x.id.cmp(&y.id)));
        let mut linked: HashSet<(u32, u32)> = HashSet::new();
        let mut seen_pairs: HashSet<(&str, &str)> = HashSet::new();
        let mut bridging = Vec::new();
        let mut i = 0;
        while i < ties.len() {
            let day = ties[i].start;
            let mut j = i;
            let mut today = Vec::new();
            while j < ties.len() && ties[j].start == day {
                let t = ties[j];
                let (ca, cb) = (community[t.from.as_str()], community[t.to.as_str()]);
                let key = (ca.min(cb), ca.max(cb));
                let first = seen_pairs.insert(pair(t.from.as_str(), t.to.as_str()));
                if ca != cb {
                    if first && !linked.contains(&key) {
                        bridging.push(day);
                    }
                    today.push(key);
                }
                j += 1;
            }
            linked.extend(today);
            i = j;
        }
        Ok(Self {
            data,
            members,
            community,
            sizes: part.sizes,
            bridging,
        })
    }

    /// The members' network at `date` for the members of `start..=end`.
    fn at(&self, date: Date, start: Date, end: Date) -> Result<AtDate, AppError> {
        let nodes = self.members.during(start, end);
        let set: HashSet<&str> = nodes.iter().copied().collect();
        let mut pairs: HashSet<(&str, &str)> = HashSet::new();
        for t in &self.data.ties {
            if t.from != t.to
                && t.active_on(date)
                && set.contains(t.from.as_str())
                && set.contains(t.to.as_str())
            {
                pairs.insert(pair(t.from.as_str(), t.to.as_str()));
            }
        }
        let mut edges: Vec<(&str, &str)> = pairs.into_iter().collect();
        edges.sort_unstable();
        let g = build(&nodes, &edges)?;
        let (_, sizes) = components(&g);
        let comm = |o: &str| self.community.get(o).copied().unwrap_or(u32::MAX);
        let mut per_community: BTreeMap<u32, (u64, u64)> = BTreeMap::new();
        for n in &nodes {
            per_community.entry(comm(n)).or_default().0 += 1;
        }
        let mut between: BTreeMap<(u32, u32), u64> = BTreeMap::new();
        let mut cross = 0;
        for (a, b) in &edges {
            let (ca, cb) = (comm(a), comm(b));
            if ca == cb {
                per_community.entry(ca).or_default().1 += 1;
            } else {
                cross += 1;
                *between.entry((ca.min(cb), ca.max(cb))).or_default() += 1;
            }
        }
        // Brokers: constraint (those with a tie) and members within two steps.
        let holes = structural_holes(&g, false);
        let adj = g.out_adjacency();
        let mut constraint = (0.0, 0);
        let mut reached: HashSet<u32> = HashSet::new();
        let mut brokers_here = 0;
        for b in nodes.iter().filter(|n| self.members.brokers.contains(*n)) {
            brokers_here += 1;
            let v = g.node(b).unwrap_or(0);
            if adj.degree(v) > 0 {
                constraint.0 += holes.constraint[v as usize];
                constraint.1 += 1;
            }
            for &u in adj.neighbors(v) {
                reached.insert(u);
                reached.extend(adj.neighbors(u).iter().copied());
            }
        }
        let others = nodes.len() - brokers_here;
        let reach = reached
            .iter()
            .filter(|v| !self.members.brokers.contains(g.label(**v)))
            .count();
        Ok(AtDate {
            nodes: nodes.len(),
            edges: edges.len(),
            main_component: sizes.first().copied().unwrap_or(0),
            cross_community: cross,
            community_pairs: between.len(),
            broker_constraint: constraint,
            broker_reach: if brokers_here > 0 {
                (reach, others)
            } else {
                (0, 0)
            },
            per_community,
            between,
        })
    }
}

fn ratio(num: f64, den: f64) -> (Option<f64>, f64, Option<f64>) {
    ((den > 0.0).then(|| num / den), num, Some(den))
}

/// The stock measures at one date, as (kpi, value, numerator, denominator).
fn measures(a: &AtDate) -> Vec<(&'static str, Option<f64>, f64, Option<f64>)> {
    let n = a.nodes as f64;
    let mut out = Vec::new();
    let mut push = |k: &'static str, (v, num, den): (Option<f64>, f64, Option<f64>)| {
        out.push((k, v, num, den));
    };
    push(
        "network_density",
        ratio(a.edges as f64, (n * (n - 1.0) / 2.0).max(0.0)),
    );
    push("main_component_share", ratio(a.main_component as f64, n));
    push(
        "cross_community_tie_share",
        ratio(a.cross_community as f64, a.edges as f64),
    );
    push(
        "community_pairs_linked",
        (
            Some(a.community_pairs as f64),
            a.community_pairs as f64,
            None,
        ),
    );
    push(
        "broker_constraint",
        ratio(a.broker_constraint.0, a.broker_constraint.1 as f64),
    );
    push(
        "broker_two_step_reach",
        ratio(a.broker_reach.0 as f64, a.broker_reach.1 as f64),
    );
    out
}

/// Network KPIs per period of the KPI table (stock measures at each period's end over the
/// period's members; bridging ties formed during the period).
pub fn network_kpis(data: &Dataset, opts: &KpiOptions) -> Result<Vec<KpiRow>, AppError> {
    let (from, to) = eval::evaluated_range(data, opts).map_err(AppError::from)?;
    let range = Range::new(data, opts.initiative.as_ref(), from, to)?;
    let mut rows = Vec::new();
    for p in eval::periods(from, to, opts.by) {
        let a = range.at(p.end, p.start, p.end)?;
        let mut row = |kpi: &'static str, value: Option<f64>, num: f64, den: Option<f64>| {
            rows.push(KpiRow {
                period: p.label.clone(),
                period_start: p.start,
                period_end: p.end,
                kpi,
                value,
                numerator: num,
                denominator: den,
            });
        };
        for (k, v, num, den) in measures(&a) {
            if k == "broker_constraint" {
                let bridging = range.bridging.iter().filter(|d| p.contains(**d)).count() as f64;
                row("bridging_ties_formed", Some(bridging), bridging, None);
            }
            row(k, v, num, den);
        }
    }
    Ok(rows)
}

/// Groups drawn in the report: the largest communities, the rest merged into "other".
const DRAWN_GROUPS: usize = 11;

fn picture(range: &Range, a: &AtDate, date: Date) -> eval::NetworkPicture {
    let group = |c: u32| -> usize {
        if (c as usize) < DRAWN_GROUPS.min(range.sizes.len()) && range.sizes[c as usize] > 1 {
            c as usize
        } else {
            DRAWN_GROUPS
        }
    };
    let mut groups: Vec<eval::NetworkGroup> = (0..=DRAWN_GROUPS)
        .map(|i| eval::NetworkGroup {
            label: if i == DRAWN_GROUPS {
                "other".into()
            } else {
                format!("C{}", i + 1)
            },
            members: 0,
            internal_ties: 0,
        })
        .collect();
    for (&c, &(m, t)) in &a.per_community {
        let g = &mut groups[group(c)];
        g.members += m;
        g.internal_ties += t;
    }
    let mut links: BTreeMap<(usize, usize), u64> = BTreeMap::new();
    for (&(x, y), &n) in &a.between {
        let (gx, gy) = (group(x), group(y));
        if gx == gy {
            groups[gx].internal_ties += n;
        } else {
            *links.entry((gx.min(gy), gx.max(gy))).or_default() += n;
        }
    }
    // Keep the groups of the range (the same at both dates, so the drawings compare).
    let other = range
        .sizes
        .iter()
        .enumerate()
        .any(|(c, &n)| c >= DRAWN_GROUPS || n <= 1);
    let keep: Vec<usize> = (0..=DRAWN_GROUPS)
        .filter(|&i| {
            if i == DRAWN_GROUPS {
                other
            } else {
                i < range.sizes.len() && range.sizes[i] > 1
            }
        })
        .collect();
    let index: HashMap<usize, usize> = keep.iter().enumerate().map(|(k, &i)| (i, k)).collect();
    eval::NetworkPicture {
        date,
        groups: keep.iter().map(|&i| groups[i].clone()).collect(),
        links: links
            .into_iter()
            .filter_map(|((x, y), n)| Some((*index.get(&x)?, *index.get(&y)?, n)))
            .collect(),
    }
}

/// The members' network at the start and at the end of the range, for the report.
pub fn network_comparison(
    data: &Dataset,
    opts: &KpiOptions,
) -> Result<eval::NetworkComparison, AppError> {
    let (from, to) = eval::evaluated_range(data, opts).map_err(AppError::from)?;
    let range = Range::new(data, opts.initiative.as_ref(), from, to)?;
    let before = range.at(from, from, from)?;
    let after = range.at(to, to, to)?;
    let (mb, ma) = (measures(&before), measures(&after));
    let mut out = vec![
        eval::NetworkMeasure {
            kpi: "members",
            before: Some(before.nodes as f64),
            after: Some(after.nodes as f64),
        },
        eval::NetworkMeasure {
            kpi: "ties_in_force",
            before: Some(before.edges as f64),
            after: Some(after.edges as f64),
        },
    ];
    for ((k, b, ..), (_, a, ..)) in mb.into_iter().zip(ma) {
        out.push(eval::NetworkMeasure {
            kpi: k,
            before: b,
            after: a,
        });
    }
    out.push(eval::NetworkMeasure {
        kpi: "bridging_ties_formed",
        before: None,
        after: Some(
            range
                .bridging
                .iter()
                .filter(|d| **d > from && **d <= to)
                .count() as f64,
        ),
    });
    Ok(eval::NetworkComparison {
        measures: out,
        before: picture(&range, &before, from),
        after: picture(&range, &after, to),
    })
}
