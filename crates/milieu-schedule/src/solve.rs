//! `milieu schedule solve`: the driver that runs the search, assigns tables, explains every
//! unscheduled request and fills the statistics.

use crate::bound::priority_upper_bound;
use crate::instance::{Instance, NO_SLOT, NONE, bits};
use crate::model::{Problem, Role};
use crate::schedule::{MeetingRow, MustConflict, Schedule, Stats, UnscheduledRow};
use crate::search::{Budget, Search, greedy};
use crate::state::State;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::time::{Duration, Instant};

/// Options of `milieu schedule solve`.
#[derive(Debug, Clone)]
pub struct SolveOptions {
    /// Wall-clock limit for the whole solve (`--time-limit`, seconds).
    pub time_limit: Duration,
    /// Random seed (`--seed`).
    pub seed: u64,
    /// Schedule pending requests too (`--include-pending`).
    pub include_pending: bool,
    /// Work limit: total local-search moves. With it, the result depends only on the seed
    /// (not on the machine's speed) as long as the time limit is not reached first.
    pub max_iterations: Option<u64>,
    /// Flow solves spent on the upper bound (0 skips the bound).
    pub bound_evaluations: usize,
}

impl Default for SolveOptions {
    fn default() -> Self {
        SolveOptions {
            time_limit: Duration::from_secs(10),
            seed: 1,
            include_pending: false,
            max_iterations: None,
            bound_evaluations: 4,
        }
    }
}

/// Solve an event. Never fails on a validated [`Problem`]: must meetings that cannot be placed
/// are reported in `stats.must_conflicts` (and in `unscheduled`), with the best schedule found.
pub fn solve(problem: &Problem, opts: &SolveOptions) -> Schedule {
    let started = Instant::now();
    let deadline = started + opts.time_limit;
    let inst = Instance::new(problem, opts.include_pending);
    let mut st = State::new(&inst);
    for (e, edge) in inst.edges.iter().enumerate() {
        if let Some((s, _)) = edge.fixed {
            st.assign(e as u32, s as usize);
        }
    }
    st.commit();
    let mut search = Search {
        st: &mut st,
        rng: ChaCha8Rng::seed_from_u64(opts.seed),
        iterations: 0,
        slot_sample: 8,
        fair_mode: false,
        refill: true,
        shift_ratio: 8,
        depth: 1,
        cycle_factor: 100,
    };
    greedy(search.st, &mut search.rng);
    let greedy_prio = search.st.prio as u64;
    let greedy_musts = search.st.musts;

    let bound_started = Instant::now();
    let bound = if opts.bound_evaluations > 0 {
        // The bound may use a fifth of the time limit.
        let bound_deadline = Instant::now() + opts.time_limit.mul_f64(0.2);
        Some(priority_upper_bound(
            &inst,
            opts.bound_evaluations,
            Some(bound_deadline),
        ))
    } else {
        None
    };
    let bound_seconds = bound_started.elapsed().as_secs_f64();

    // Each phase gets a share of the time left when it starts.
    let until = |share: f64| {
        let now = Instant::now();
        Some(now + deadline.saturating_duration_since(now).mul_f64(share))
    };
    // The search stops early when it reaches the bound with every must that has a common slot
    // scheduled (then nothing better exists).
    let placeable_musts = inst
        .edges
        .iter()
        .filter(|e| e.must && (e.common != 0 || e.fixed.is_some()))
        .count() as i64;
    let target = match &bound {
        Some(b) => placeable_musts * (total_weight(&inst) + 1) + b.priority as i64,
        None => i64::MAX,
    };
    let anneal_budget = Budget {
        deadline: until(0.85),
        iterations: opts.max_iterations,
    };
    // Temperatures in priority units: early on a loss of 1 is accepted about one time in five.
    search.anneal(anneal_budget, 0.6, 0.03, target);
    search.fill_free();
    let polish = opts.max_iterations.map(|n| n / 10);
    search.improve_fairness(Budget {
        deadline: until(0.5),
        iterations: polish,
    });
    search.fill_free();
    search.reduce_gaps(Budget {
        deadline: Some(deadline),
        iterations: polish,
    });
    // Moving meetings may have opened a common free slot for someone.
    search.fill_free();
    let iterations = search.iterations;

    build_schedule(
        problem,
        &inst,
        &st,
        Extra {
            bound,
            seed: opts.seed,
            time_limit: opts.time_limit.as_secs_f64(),
            started,
            bound_seconds,
            iterations,
            greedy_prio,
            greedy_musts,
        },
    )
}

fn total_weight(inst: &Instance) -> i64 {
    inst.edges.iter().map(|e| i64::from(e.weight)).sum()
}

fn count_musts(inst: &Instance) -> usize {
    inst.edges.iter().filter(|e| e.must).count()
}

struct Extra {
    bound: Option<crate::bound::Bound>,
    seed: u64,
    time_limit: f64,
    started: Instant,
    bound_seconds: f64,
    iterations: u64,
    greedy_prio: u64,
    greedy_musts: usize,
}

/// Tables: fixed meetings keep theirs; others keep, where possible, the table one of their
/// participants sat at in the previous slot (people move less; a buyer's table first, since
/// buyers usually stay seated and suppliers come to them), else the lowest free table.
pub(crate) fn assign_tables(problem: &Problem, inst: &Instance, slot_of: &[u8]) -> Vec<u32> {
    let mut table = vec![0u32; inst.edges.len()];
    let mut last_table = vec![0u32; inst.n];
    let mut by_slot: Vec<Vec<usize>> = vec![Vec::new(); inst.ns];
    for (e, &s) in slot_of.iter().enumerate() {
        if s != NO_SLOT {
            by_slot[s as usize].push(e);
        }
    }
    for list in &by_slot {
        let mut used = vec![false; inst.tables as usize + 1];
        for &e in list {
            if let Some((_, t)) = inst.edges[e].fixed {
                table[e] = t;
                used[t as usize] = true;
            }
        }
        for &e in list {
            if table[e] != 0 {
                continue;
            }
            let edge = &inst.edges[e];
            let mut sides = [edge.to, edge.from];
            if problem.participants[edge.from].role == Role::Buyer
                && problem.participants[edge.to].role != Role::Buyer
            {
                sides.swap(0, 1);
            }
            for p in sides {
                let t = last_table[p] as usize;
                if t != 0 && !used[t] {
                    table[e] = t as u32;
                    used[t] = true;
                    break;
                }
            }
        }
        let mut next = 1usize;
        for &e in list {
            if table[e] != 0 {
                continue;
            }
            while next < used.len() && used[next] {
                next += 1;
            }
            // The search never fills a slot beyond its tables.
            if next < used.len() {
                table[e] = next as u32;
                used[next] = true;
            }
        }
        for &e in list {
            let edge = &inst.edges[e];
            last_table[edge.u as usize] = table[e];
            last_table[edge.v as usize] = table[e];
        }
    }
    table
}

fn build_schedule(problem: &Problem, inst: &Instance, st: &State, x: Extra) -> Schedule {
    let pid = |p: usize| problem.participants[p].id.clone();
    let sid = |k: usize| problem.slots[inst.order[k]].id.clone();
    let tables = assign_tables(problem, inst, &st.slot_of);
    // People who change tables between two meetings in consecutive slots of a day.
    let mut table_moves = 0u64;
    for p in 0..inst.n {
        let mut prev: Option<(usize, u32)> = None;
        for s in bits(st.busy[p]) {
            let t = tables[st.at[p * inst.ns + s] as usize];
            if let Some((ps, pt)) = prev {
                let same_day = inst
                    .day_masks
                    .iter()
                    .any(|d| d & (1u128 << ps) != 0 && d & (1u128 << s) != 0);
                if ps + 1 == s && same_day && pt != t {
                    table_moves += 1;
                }
            }
            prev = Some((s, t));
        }
    }
    let mut meetings: Vec<(usize, u32, MeetingRow)> = Vec::new();
    for (e, &s) in st.slot_of.iter().enumerate() {
        if s == NO_SLOT {
            continue;
        }
        let edge = &inst.edges[e];
        meetings.push((
            s as usize,
            tables[e],
            MeetingRow {
                from: pid(edge.from),
                to: pid(edge.to),
                slot: sid(s as usize),
                table: tables[e],
            },
        ));
    }
    meetings.sort_by_key(|(s, t, _)| (*s, *t));
    let meetings: Vec<MeetingRow> = meetings.into_iter().map(|m| m.2).collect();

    // Unscheduled requests with reasons true of this schedule.
    let mut unscheduled = Vec::new();
    for &r in &inst.excluded {
        let req = &problem.requests[r];
        unscheduled.push(UnscheduledRow {
            from: pid(req.from),
            to: pid(req.to),
            reason: "pending request, not scheduled (schedule pending requests with \
                     --include-pending)"
                .to_string(),
            code: "pending".to_string(),
            priority: req.priority,
            must: req.must,
        });
    }
    let mut unscheduled_musts: Vec<usize> = Vec::new();
    for (e, edge) in inst.edges.iter().enumerate() {
        if st.slot_of[e] != NO_SLOT {
            continue;
        }
        let (code, reason) = explain(problem, inst, st, e);
        if edge.must {
            unscheduled_musts.push(e);
        }
        for &r in &edge.requests {
            let req = &problem.requests[r];
            unscheduled.push(UnscheduledRow {
                from: pid(req.from),
                to: pid(req.to),
                reason: reason.clone(),
                code: code.to_string(),
                priority: req.priority,
                must: req.must,
            });
        }
    }
    let must_conflicts = must_conflicts(problem, inst, st, &unscheduled_musts);

    let musts_total = count_musts(inst);
    let prio = st.prio.max(0) as u64;
    let (fair_min, fair_at) = st.fairness();
    let idle: u64 = (0..inst.n)
        .map(|p| u64::from(inst.idle(p, st.busy[p])))
        .sum();
    let (ub, method) = match &x.bound {
        Some(b) => (b.priority.max(prio), b.method.clone()),
        None => (0, "not computed".to_string()),
    };
    let gap = if ub > 0 {
        100.0 * (ub - prio) as f64 / ub as f64
    } else {
        0.0
    };
    let stats = Stats {
        requests_considered: inst.requests_considered,
        pairs_considered: inst.edges.iter().filter(|e| !e.requests.is_empty()).count(),
        meetings: meetings.len(),
        fixed_meetings: inst.edges.iter().filter(|e| e.fixed.is_some()).count(),
        musts_scheduled: st.musts,
        musts_total,
        priority_sum: prio,
        priority_upper_bound: ub,
        gap_percent: (gap * 1000.0).round() / 1000.0,
        bound_method: method,
        fairness_min_meetings: fair_min,
        fairness_at_min: fair_at as usize,
        requesting_participants: inst.requester.iter().filter(|r| **r).count(),
        idle_gaps: idle,
        table_moves,
        mean_meetings_per_participant: if inst.n > 0 {
            2.0 * meetings.len() as f64 / inst.n as f64
        } else {
            0.0
        },
        max_slot_load: st.load.iter().copied().max().unwrap_or(0),
        seed: x.seed,
        time_limit_seconds: x.time_limit,
        solve_seconds: x.started.elapsed().as_secs_f64(),
        bound_seconds: x.bound_seconds,
        iterations: x.iterations,
        greedy_priority_sum: x.greedy_prio,
        greedy_musts_scheduled: x.greedy_musts,
        must_conflicts,
    };
    Schedule {
        meetings,
        unscheduled,
        stats,
    }
}

fn slot_list(problem: &Problem, inst: &Instance, mask: u128) -> String {
    let ids: Vec<&str> = bits(mask)
        .map(|k| problem.slots[inst.order[k]].id.as_str())
        .collect();
    ids.join(", ")
}

/// Why edge `e` is not in the schedule `st` (a statement that holds for this schedule).
fn explain(problem: &Problem, inst: &Instance, st: &State, e: usize) -> (&'static str, String) {
    let edge = &inst.edges[e];
    let (u, v) = (edge.u as usize, edge.v as usize);
    let (pu, pv) = (&problem.participants[u], &problem.participants[v]);
    if edge.common == 0 {
        return (
            "no_common_slot",
            format!(
                "no common available slot: {} and {} are never available at the same time",
                pu.id, pv.id
            ),
        );
    }
    let mut at_max = Vec::new();
    for p in [u, v] {
        if st.deg[p] >= inst.cap[p] {
            let q = &problem.participants[p];
            at_max.push(if inst.cap[p] < q.max_meetings {
                format!(
                    "{} already has {} meetings, one in each of its available slots",
                    q.id, st.deg[p]
                )
            } else {
                format!("{} is at its maximum of {} meetings", q.id, q.max_meetings)
            });
        }
    }
    if !at_max.is_empty() {
        return (
            "at_max",
            format!("a side at its maximum: {}", at_max.join("; ")),
        );
    }
    let busy_u = edge.common & st.busy[u];
    let busy_v = edge.common & st.busy[v] & !busy_u;
    let free = edge.common & !st.busy[u] & !st.busy[v];
    if free == 0 {
        let mut parts = Vec::new();
        if busy_u != 0 {
            parts.push(format!(
                "{} is busy in {}",
                pu.id,
                slot_list(problem, inst, busy_u)
            ));
        }
        if busy_v != 0 {
            parts.push(format!(
                "{} is busy in {}",
                pv.id,
                slot_list(problem, inst, busy_v)
            ));
        }
        return (
            "busy",
            format!(
                "no common free slot: in every common available slot one side already has a \
                 meeting ({})",
                parts.join("; ")
            ),
        );
    }
    // The search ends with no request that fits as it stands (fill_free), so every common
    // slot where both are free has all its tables taken.
    let full = free & st.full;
    debug_assert_eq!(full, free, "an unscheduled edge with a free slot");
    if busy_u | busy_v == 0 {
        (
            "tables_full",
            format!(
                "tables full: every table is taken in the common free slots ({})",
                slot_list(problem, inst, full)
            ),
        )
    } else {
        (
            "busy_or_tables_full",
            format!(
                "no common free slot with a free table: tables full in {}; busy in {}",
                slot_list(problem, inst, full),
                slot_list(problem, inst, busy_u | busy_v)
            ),
        )
    }
}

/// Explain unscheduled must meetings: proven conflicts (a participant has more must meetings
/// than its limit or than can be matched to distinct available slots) or, failing a proof, the
/// must meetings that occupy every common slot.
fn must_conflicts(
    problem: &Problem,
    inst: &Instance,
    st: &State,
    unscheduled_musts: &[usize],
) -> Vec<MustConflict> {
    let name = |e: usize| {
        let edge = &inst.edges[e];
        format!(
            "{}->{}",
            problem.participants[edge.from].id, problem.participants[edge.to].id
        )
    };
    let mut out = Vec::new();
    let mut explained = vec![false; inst.edges.len()];
    // A must whose two sides are never available together.
    for &e in unscheduled_musts {
        let edge = &inst.edges[e];
        if edge.common == 0 {
            explained[e] = true;
            let (u, v) = (edge.u as usize, edge.v as usize);
            let avail = |p: usize| {
                let list = slot_list(problem, inst, inst.avail[p]);
                if list.is_empty() {
                    "no slot".to_string()
                } else {
                    list
                }
            };
            out.push(MustConflict {
                requests: vec![name(e)],
                kind: "proven".to_string(),
                reason: format!(
                    "no common available slot: {} is available in {}; {} in {}",
                    problem.participants[u].id,
                    avail(u),
                    problem.participants[v].id,
                    avail(v)
                ),
            });
        }
    }
    // Per participant: musts (and fixed meetings) need distinct slots and count against the limit.
    for p in 0..inst.n {
        let musts: Vec<usize> = inst.adj[p]
            .iter()
            .map(|&e| e as usize)
            .filter(|&e| {
                (inst.edges[e].must && inst.edges[e].common != 0) || inst.edges[e].fixed.is_some()
            })
            .collect();
        if !musts
            .iter()
            .any(|e| unscheduled_musts.contains(e) && !explained[*e])
        {
            continue;
        }
        let q = &problem.participants[p];
        if musts.len() as u32 > q.max_meetings {
            for &e in &musts {
                explained[e] = true;
            }
            out.push(MustConflict {
                requests: musts.iter().map(|&e| name(e)).collect(),
                kind: "proven".to_string(),
                reason: format!(
                    "{} has {} must/fixed meetings but max_meetings = {}",
                    q.id,
                    musts.len(),
                    q.max_meetings
                ),
            });
            continue;
        }
        if let Some(violator) = hall_violation(inst, &musts) {
            let slots = violator.iter().fold(0u128, |m, &e| m | slots_of(inst, e));
            for &e in &violator {
                explained[e] = true;
            }
            out.push(MustConflict {
                requests: violator.iter().map(|&e| name(e)).collect(),
                kind: "proven".to_string(),
                reason: format!(
                    "{} has {} must/fixed meetings that can only take place in {} slot(s) ({})",
                    q.id,
                    violator.len(),
                    slots.count_ones(),
                    slot_list(problem, inst, slots)
                ),
            });
        }
    }
    let ns = inst.ns;
    for &e in unscheduled_musts {
        if explained[e] {
            continue;
        }
        let edge = &inst.edges[e];
        let (u, v) = (edge.u as usize, edge.v as usize);
        let mut blockers = Vec::new();
        for s in bits(edge.common) {
            for p in [u, v] {
                let f = st.at[p * ns + s];
                if f != NONE && !blockers.contains(&(f as usize)) {
                    blockers.push(f as usize);
                }
            }
        }
        let all_must = blockers
            .iter()
            .all(|&f| inst.edges[f].must || inst.edges[f].fixed.is_some());
        let mut requests = vec![name(e)];
        requests.extend(blockers.iter().map(|&f| name(f)));
        out.push(MustConflict {
            requests,
            kind: "unresolved".to_string(),
            reason: if edge.common == 0 {
                "no common available slot".to_string()
            } else if all_must && !blockers.is_empty() {
                format!(
                    "every common slot of {} is taken by another must or fixed meeting (listed); \
                     the solver found no arrangement that fits them all",
                    name(e)
                )
            } else {
                format!(
                    "the solver could not place {} (listed: meetings in its common slots)",
                    name(e)
                )
            },
        });
    }
    out
}

/// Slots an edge can take: its fixed slot, else its common availability.
fn slots_of(inst: &Instance, e: usize) -> u128 {
    match inst.edges[e].fixed {
        Some((s, _)) => 1u128 << s,
        None => inst.edges[e].common,
    }
}

/// If the edges cannot be given distinct slots from their common availability, a smallest-found
/// subset that proves it (Hall's condition), else `None`.
fn hall_violation(inst: &Instance, edges: &[usize]) -> Option<Vec<usize>> {
    // Bipartite matching edges -> slots by augmenting paths.
    let mut slot_owner: Vec<Option<usize>> = vec![None; inst.ns];
    fn augment(
        inst: &Instance,
        edges: &[usize],
        i: usize,
        seen: &mut u128,
        owner: &mut Vec<Option<usize>>,
    ) -> bool {
        for s in bits(slots_of(inst, edges[i])) {
            if *seen & (1u128 << s) != 0 {
                continue;
            }
            *seen |= 1u128 << s;
            let free = match owner[s] {
                None => true,
                Some(j) => augment(inst, edges, j, seen, owner),
            };
            if free {
                owner[s] = Some(i);
                return true;
            }
        }
        false
    }
    for i in 0..edges.len() {
        let mut seen = 0u128;
        if !augment(inst, edges, i, &mut seen, &mut slot_owner) {
            // The edges reachable by alternating paths from i form the violating set.
            let mut set = vec![edges[i]];
            for s in bits(seen) {
                if let Some(j) = slot_owner[s] {
                    set.push(edges[j]);
                }
            }
            return Some(set);
        }
    }
    None
}
