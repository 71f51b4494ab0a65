//! Property tests: random events give valid schedules, the same schedule for the same seed,
//! and on tiny events the optimum (found by exhaustive search) with a bound above it.

use crate::cases::opts;
use crate::common::*;
use milieu_schedule::model::{EventInput, RequestStatus};
use milieu_schedule::{CheckOptions, Problem, check, solve};
use proptest::prelude::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::HashSet;

/// A random event: partial availability, limits, priorities, musts, both request directions,
/// pending requests and a few fixed meetings that respect every rule.
fn random_event(seed: u64, n: usize, ns: usize, tables: u32, density: f64) -> EventInput {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let ids: Vec<String> = (0..n).map(|i| format!("p{i}")).collect();
    let mut participants = Vec::new();
    let mut avail = Vec::new();
    for id in &ids {
        let a: Vec<usize> = (0..ns).filter(|_| rng.random_bool(0.75)).collect();
        let max = if rng.random_bool(0.5) {
            Some(rng.random_range(0..=ns as u32 + 1))
        } else {
            None
        };
        participants.push(person(id, Some(&a), max));
        avail.push(a);
    }
    let mut requests = Vec::new();
    for i in 0..n {
        for j in 0..n {
            if i != j && rng.random_bool(density) {
                let mut r = req(
                    &ids[i],
                    &ids[j],
                    rng.random_range(1..=3),
                    rng.random_bool(0.1),
                );
                if rng.random_bool(0.1) {
                    r.status = RequestStatus::Pending;
                }
                requests.push(r);
            }
        }
    }
    // Fixed meetings: a few requested pairs, placed without breaking anything.
    let mut fixed_list = Vec::new();
    let mut busy: HashSet<(usize, usize)> = HashSet::new();
    let mut table_used: HashSet<(usize, u32)> = HashSet::new();
    let mut count = vec![0u32; n];
    let mut pairs: HashSet<(usize, usize)> = HashSet::new();
    for r in requests.iter().take(3) {
        if !rng.random_bool(0.3) {
            continue;
        }
        let a: usize = r.from[1..].parse().unwrap();
        let b: usize = r.to[1..].parse().unwrap();
        let key = (a.min(b), a.max(b));
        let maxa = participants[a].max_meetings.unwrap_or(ns as u32);
        let maxb = participants[b].max_meetings.unwrap_or(ns as u32);
        if pairs.contains(&key) || count[a] >= maxa || count[b] >= maxb {
            continue;
        }
        let common: Vec<usize> = avail[a]
            .iter()
            .copied()
            .filter(|s| {
                avail[b].contains(s) && !busy.contains(&(a, *s)) && !busy.contains(&(b, *s))
            })
            .collect();
        let Some(&s) = common.first() else { continue };
        let t = rng.random_range(1..=tables);
        if table_used.contains(&(s, t)) {
            continue;
        }
        busy.insert((a, s));
        busy.insert((b, s));
        table_used.insert((s, t));
        count[a] += 1;
        count[b] += 1;
        pairs.insert(key);
        fixed_list.push(fixed(&r.from, &r.to, s, t));
    }
    event(ns, tables, participants, requests, fixed_list)
}

/// Exhaustive optimum of (musts, priority sum) over all schedules (pairs merged as the solver
/// does: weight = higher priority, must if either; pending requests left out unless their pair
/// is fixed).
fn brute_force(p: &Problem) -> (usize, u64) {
    let ns = p.slots.len();
    let mut edges: Vec<(usize, usize, u32, bool, Option<usize>)> = Vec::new();
    for r in &p.requests {
        if r.status != RequestStatus::Accepted {
            continue;
        }
        let (a, b) = (r.from.min(r.to), r.from.max(r.to));
        match edges.iter_mut().find(|e| e.0 == a && e.1 == b) {
            Some(e) => {
                e.2 = e.2.max(r.priority);
                e.3 |= r.must;
            }
            None => edges.push((a, b, r.priority, r.must, None)),
        }
    }
    for f in &p.fixed {
        // A fixed meeting answers every request of its pair, pending ones included.
        let (a, b) = (f.from.min(f.to), f.from.max(f.to));
        let pr = p
            .requests
            .iter()
            .filter(|r| r.from.min(r.to) == a && r.from.max(r.to) == b)
            .map(|r| (r.priority, r.must))
            .fold((0, false), |acc, x| (acc.0.max(x.0), acc.1 | x.1));
        match edges.iter_mut().find(|e| e.0 == a && e.1 == b) {
            Some(e) => *e = (a, b, pr.0, pr.1, Some(f.slot)),
            None => edges.push((a, b, pr.0, pr.1, Some(f.slot))),
        }
    }
    let n = p.participants.len();
    struct Ctx<'a> {
        p: &'a Problem,
        edges: &'a [(usize, usize, u32, bool, Option<usize>)],
        busy: Vec<Vec<bool>>,
        deg: Vec<u32>,
        load: Vec<u32>,
        best: (usize, u64),
    }
    fn go(c: &mut Ctx, i: usize, musts: usize, prio: u64) {
        if i == c.edges.len() {
            c.best = c.best.max((musts, prio));
            return;
        }
        let (a, b, w, must, fixed) = c.edges[i];
        if fixed.is_none() {
            go(c, i + 1, musts, prio);
        }
        if c.deg[a] >= c.p.participants[a].max_meetings
            || c.deg[b] >= c.p.participants[b].max_meetings
        {
            return;
        }
        for s in 0..c.p.slots.len() {
            if fixed.is_some_and(|f| f != s) {
                continue;
            }
            let pa = &c.p.participants[a];
            let pb = &c.p.participants[b];
            if !pa.available[s]
                || !pb.available[s]
                || c.busy[a][s]
                || c.busy[b][s]
                || c.load[s] >= c.p.tables
            {
                continue;
            }
            c.busy[a][s] = true;
            c.busy[b][s] = true;
            c.deg[a] += 1;
            c.deg[b] += 1;
            c.load[s] += 1;
            go(c, i + 1, musts + usize::from(must), prio + u64::from(w));
            c.busy[a][s] = false;
            c.busy[b][s] = false;
            c.deg[a] -= 1;
            c.deg[b] -= 1;
            c.load[s] -= 1;
        }
    }
    let mut c = Ctx {
        p,
        edges: &edges,
        busy: vec![vec![false; ns]; n],
        deg: vec![0; n],
        load: vec![0; ns],
        best: (0, 0),
    };
    go(&mut c, 0, 0, 0);
    c.best
}

/// Unscheduled (non-pending) requests that could be added without moving anything: a slot where
/// both are available and free, a table is free and both are below their maximum.
fn fitting_unscheduled(p: &Problem, s: &milieu_schedule::Schedule) -> Vec<String> {
    let n = p.participants.len();
    let ns = p.slots.len();
    let mut busy = vec![vec![false; ns]; n];
    let mut count = vec![0u32; n];
    let mut load = vec![0u32; ns];
    for m in &s.meetings {
        let (a, b, t) = (
            p.participant(&m.from).unwrap(),
            p.participant(&m.to).unwrap(),
            p.slot(&m.slot).unwrap(),
        );
        busy[a][t] = true;
        busy[b][t] = true;
        count[a] += 1;
        count[b] += 1;
        load[t] += 1;
    }
    let mut out = Vec::new();
    for u in s.unscheduled.iter().filter(|u| u.code != "pending") {
        let (a, b) = (
            p.participant(&u.from).unwrap(),
            p.participant(&u.to).unwrap(),
        );
        let fits = (0..ns).any(|t| {
            p.participants[a].available[t]
                && p.participants[b].available[t]
                && !busy[a][t]
                && !busy[b][t]
                && load[t] < p.tables
                && count[a] < p.participants[a].max_meetings
                && count[b] < p.participants[b].max_meetings
        });
        if fits {
            out.push(format!("{}->{} ({}: {})", u.from, u.to, u.code, u.reason));
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    #[test]
    fn random_events_give_valid_deterministic_schedules(
        seed in any::<u64>(),
        n in 2usize..24,
        ns in 1usize..9,
        tables in 1u32..6,
        density in 0.05f64..0.5,
        solve_seed in 0u64..4,
    ) {
        let ev = random_event(seed, n, ns, tables, density);
        let p = Problem::from_input(ev, "random").unwrap();
        let a = solve(&p, &opts(solve_seed));
        let v = check(&p, &(&a).into(), &CheckOptions::default());
        prop_assert!(v.is_empty(), "violations {:?}", v);
        let b = solve(&p, &opts(solve_seed));
        prop_assert_eq!(&a.meetings, &b.meetings);
        prop_assert_eq!(&a.unscheduled, &b.unscheduled);
        prop_assert!(a.stats.priority_upper_bound >= a.stats.priority_sum);
        // Every included request is either met or explained, exactly once.
        let included = p.requests.iter().filter(|r| r.status == RequestStatus::Accepted).count();
        let pending = p.requests.len() - included;
        let met_requests = a.stats.requests_considered
            - a.unscheduled.iter().filter(|u| u.code != "pending").count();
        prop_assert!(met_requests <= 2 * a.meetings.len());
        prop_assert!(a.unscheduled.iter().filter(|u| u.code == "pending").count() <= pending);
        // Reasons are true: no unscheduled request fits into the schedule as it stands.
        prop_assert_eq!(fitting_unscheduled(&p, &a), Vec::<String>::new());
    }

    #[test]
    fn tiny_events_reach_the_exhaustive_optimum_under_the_bound(
        seed in any::<u64>(),
        n in 2usize..7,
        ns in 1usize..4,
        tables in 1u32..3,
        density in 0.05f64..0.3,
    ) {
        let ev = random_event(seed, n, ns, tables, density);
        let p = Problem::from_input(ev, "tiny").unwrap();
        prop_assume!(p.requests.len() <= 10);
        let (musts, prio) = brute_force(&p);
        let s = solve(&p, &opts(1));
        prop_assert_eq!((s.stats.musts_scheduled, s.stats.priority_sum), (musts, prio));
        // The bound holds for every schedule, so for the optimum too.
        prop_assert!(s.stats.priority_upper_bound >= prio);
    }

    #[test]
    fn keep_never_moves_a_meeting_and_adds_late_requests_validly(
        seed in any::<u64>(),
        n in 3usize..16,
        ns in 2usize..7,
        tables in 1u32..5,
        density in 0.05f64..0.4,
    ) {
        let ev = random_event(seed, n, ns, tables, density);
        let p = Problem::from_input(ev.clone(), "first").unwrap();
        let first = solve(&p, &opts(1));
        // Late requests: a few new pairs, accepted.
        let mut late = ev.clone();
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5eed);
        for _ in 0..4 {
            let a = rng.random_range(0..n);
            let b = rng.random_range(0..n);
            let exists = late.requests.iter().any(|r| {
                (r.from == format!("p{a}") && r.to == format!("p{b}"))
                    || (r.from == format!("p{b}") && r.to == format!("p{a}"))
            });
            if a != b && !exists {
                late.requests.push(req(&format!("p{a}"), &format!("p{b}"), 3, false));
            }
        }
        let p2 = Problem::from_input(late, "late").unwrap();
        let kept = p2.with_kept(&(&first).into(), "first.json").unwrap();
        let second = solve(&kept, &opts(2));
        let v = check(&p2, &(&second).into(), &CheckOptions::default());
        prop_assert!(v.is_empty(), "violations {:?}", v);
        for m in &first.meetings {
            prop_assert!(second.meetings.contains(m), "{:?} moved", m);
        }
        prop_assert!(second.stats.priority_sum >= first.stats.priority_sum);
    }
}
