//! Hand-worked cases: optimum known by reasoning, reasons, musts, --keep.

use crate::common::*;
use milieu_schedule::{
    CheckOptions, Problem, ScheduleInput, SolveOptions, check, parse_schedule, solve,
};
use std::time::Duration;

pub fn opts(seed: u64) -> SolveOptions {
    SolveOptions {
        time_limit: Duration::from_secs(30),
        seed,
        include_pending: false,
        max_iterations: Some(20_000),
        bound_evaluations: 4,
    }
}

fn valid(p: &Problem, s: &milieu_schedule::Schedule) {
    let v = check(p, &s.into(), &CheckOptions::default());
    assert!(v.is_empty(), "violations: {v:?}");
}

#[test]
fn triangle_in_two_slots_keeps_the_two_best_meetings() {
    // a-b (3), b-c (2), a-c (1) in two slots: the three meetings of a triangle pairwise share a
    // person, so they need three different slots; any two fit, and the best two give 3 + 2 = 5.
    let ev = event(
        2,
        5,
        vec![
            person("a", None, None),
            person("b", None, None),
            person("c", None, None),
        ],
        vec![
            req("a", "b", 3, false),
            req("b", "c", 2, false),
            req("a", "c", 1, false),
        ],
        vec![],
    );
    let p = Problem::from_input(ev, "t").unwrap();
    let s = solve(&p, &opts(1));
    valid(&p, &s);
    assert_eq!(s.stats.priority_sum, 5);
    assert_eq!(s.meetings.len(), 2);
    assert_eq!(s.unscheduled.len(), 1);
    let u = &s.unscheduled[0];
    assert_eq!((u.from.as_str(), u.to.as_str()), ("a", "c"));
    assert_eq!(u.code, "busy");
    // Relaxation: the flow bound cannot exceed 3 + 2 + 1 and must be at least the optimum 5.
    assert!((5..=6).contains(&s.stats.priority_upper_bound));
}

#[test]
fn one_table_takes_the_highest_priorities() {
    // Four disjoint pairs, 2 slots, 1 table: only two meetings; the optimum takes 3 + 3.
    let ev = event(
        2,
        1,
        ["a", "b", "c", "d", "e", "f", "g", "h"]
            .iter()
            .map(|id| person(id, None, None))
            .collect(),
        vec![
            req("a", "b", 1, false),
            req("c", "d", 3, false),
            req("e", "f", 2, false),
            req("g", "h", 3, false),
        ],
        vec![],
    );
    let p = Problem::from_input(ev, "t").unwrap();
    let s = solve(&p, &opts(7));
    valid(&p, &s);
    assert_eq!(s.stats.priority_sum, 6);
    // Table capacity is in the bound: 2 slots x 1 table, best weights 3 + 3.
    assert_eq!(s.stats.priority_upper_bound, 6);
    assert_eq!(s.stats.gap_percent, 0.0);
    assert!(s.unscheduled.iter().all(|u| u.code == "tables_full"));
}

#[test]
fn reasons_no_common_slot_and_at_max() {
    let ev = event(
        3,
        5,
        vec![
            person("a", Some(&[0]), None),
            person("b", Some(&[1, 2]), None),
            person("c", None, Some(1)),
            person("d", None, None),
        ],
        vec![
            req("a", "b", 1, false),
            req("c", "d", 3, false),
            req("a", "c", 1, false),
        ],
        vec![],
    );
    let p = Problem::from_input(ev, "t").unwrap();
    let s = solve(&p, &opts(3));
    valid(&p, &s);
    assert_eq!(s.stats.priority_sum, 3);
    let code = |f: &str, t: &str| {
        s.unscheduled
            .iter()
            .find(|u| u.from == f && u.to == t)
            .map(|u| u.code.clone())
    };
    assert_eq!(code("a", "b").as_deref(), Some("no_common_slot"));
    assert_eq!(code("a", "c").as_deref(), Some("at_max"));
}

#[test]
fn musts_come_before_priorities() {
    // b can meet once; the must (priority 1) beats the priority-3 request.
    let ev = event(
        2,
        5,
        vec![
            person("a", None, None),
            person("b", None, Some(1)),
            person("c", None, None),
        ],
        vec![req("a", "b", 3, false), req("c", "b", 1, true)],
        vec![],
    );
    let p = Problem::from_input(ev, "t").unwrap();
    let s = solve(&p, &opts(2));
    valid(&p, &s);
    assert_eq!(s.stats.musts_scheduled, 1);
    assert_eq!(s.stats.priority_sum, 1);
    assert!(s.stats.must_conflicts.is_empty());
}

#[test]
fn infeasible_musts_are_listed_and_a_schedule_is_returned() {
    // b has two musts but only one available slot: Hall's condition fails at b.
    let ev = event(
        2,
        5,
        vec![
            person("a", None, None),
            person("b", Some(&[1]), None),
            person("c", None, None),
        ],
        vec![
            req("a", "b", 1, true),
            req("c", "b", 2, true),
            req("a", "c", 1, false),
        ],
        vec![],
    );
    let p = Problem::from_input(ev, "t").unwrap();
    let s = solve(&p, &opts(4));
    valid(&p, &s);
    assert_eq!(s.stats.musts_total, 2);
    assert_eq!(s.stats.musts_scheduled, 1);
    assert_eq!(s.stats.must_conflicts.len(), 1);
    let c = &s.stats.must_conflicts[0];
    assert_eq!(c.kind, "proven");
    let mut reqs = c.requests.clone();
    reqs.sort();
    assert_eq!(reqs, vec!["a->b".to_string(), "c->b".to_string()]);
    // The other meeting still takes place.
    assert!(s.meetings.iter().any(|m| m.from == "a" && m.to == "c"));
}

#[test]
fn fixed_meetings_stay_and_keep_adds_late_requests_without_moving() {
    let people: Vec<_> = ["a", "b", "c", "d"]
        .iter()
        .map(|id| person(id, None, Some(2)))
        .collect();
    let ev = event(
        3,
        2,
        people.clone(),
        vec![req("a", "b", 1, false), req("c", "d", 2, false)],
        vec![fixed("a", "b", 1, 2)],
    );
    let p = Problem::from_input(ev, "t").unwrap();
    let first = solve(&p, &opts(5));
    valid(&p, &first);
    assert!(
        first
            .meetings
            .iter()
            .any(|m| m.from == "a" && m.to == "b" && m.slot == "s2" && m.table == 2)
    );
    // Late requests arrive; re-solve keeping the previous schedule.
    let ev2 = event(
        3,
        2,
        people,
        vec![
            req("a", "b", 1, false),
            req("c", "d", 2, false),
            req("a", "c", 3, false),
            req("b", "d", 3, false),
        ],
        vec![fixed("a", "b", 1, 2)],
    );
    let p2 = Problem::from_input(ev2, "t").unwrap();
    let json = serde_json::to_string(&first).unwrap();
    let prev = parse_schedule(json.as_bytes(), "prev.json").unwrap();
    let kept = p2.with_kept(&prev, "prev.json").unwrap();
    let second = solve(&kept, &opts(5));
    valid(&kept, &second);
    valid(&p2, &second);
    for m in &first.meetings {
        assert!(second.meetings.contains(m), "{m:?} moved");
    }
    assert_eq!(second.stats.priority_sum, 1 + 2 + 3 + 3);
}

#[test]
fn keep_with_a_meeting_that_no_longer_fits_is_an_error() {
    let ev = event(
        2,
        2,
        vec![person("a", Some(&[0]), None), person("b", None, None)],
        vec![req("a", "b", 1, false)],
        vec![],
    );
    let p = Problem::from_input(ev, "t").unwrap();
    let prev = ScheduleInput {
        meetings: vec![milieu_schedule::MeetingRow {
            from: "a".into(),
            to: "b".into(),
            slot: "s2".into(),
            table: 1,
        }],
        ..Default::default()
    };
    let err = p.with_kept(&prev, "prev.json").unwrap_err();
    let probs = err.problems();
    assert_eq!(probs[0].path, "meetings[0].slot");
    assert_eq!(probs[0].code, "kept_meeting_invalid");
}

#[test]
fn pending_requests_only_with_include_pending() {
    let mut ev = event(
        2,
        2,
        vec![person("a", None, None), person("b", None, None)],
        vec![req("a", "b", 2, false)],
        vec![],
    );
    ev.requests[0].status = milieu_schedule::model::RequestStatus::Pending;
    let p = Problem::from_input(ev, "t").unwrap();
    let s = solve(&p, &opts(1));
    assert!(s.meetings.is_empty());
    assert_eq!(s.unscheduled[0].code, "pending");
    let mut o = opts(1);
    o.include_pending = true;
    let s = solve(&p, &o);
    assert_eq!(s.meetings.len(), 1);
}

#[test]
fn both_directions_of_a_pair_are_one_meeting() {
    let ev = event(
        2,
        2,
        vec![person("a", None, None), person("b", None, None)],
        vec![req("a", "b", 1, false), req("b", "a", 3, false)],
        vec![],
    );
    let p = Problem::from_input(ev, "t").unwrap();
    let s = solve(&p, &opts(1));
    valid(&p, &s);
    assert_eq!(s.meetings.len(), 1);
    assert_eq!(s.stats.priority_sum, 3);
    assert!(s.unscheduled.is_empty());
}

#[test]
fn idle_gaps_are_closed_when_possible() {
    // a meets b and c; 3 slots; a compact day has no gap.
    let ev = event(
        3,
        5,
        vec![
            person("a", None, None),
            person("b", None, None),
            person("c", None, None),
        ],
        vec![req("a", "b", 1, false), req("a", "c", 1, false)],
        vec![],
    );
    let p = Problem::from_input(ev, "t").unwrap();
    for seed in 0..5 {
        let s = solve(&p, &opts(seed));
        assert_eq!(s.stats.priority_sum, 2);
        assert_eq!(s.stats.idle_gaps, 0, "seed {seed}");
    }
}

#[test]
fn a_must_without_common_slot_is_a_proven_conflict_listed_once() {
    let ev = event(
        4,
        2,
        vec![
            person("a", Some(&[0, 1]), None),
            person("b", Some(&[2, 3]), None),
            person("c", None, None),
        ],
        vec![req("a", "b", 2, true), req("a", "c", 1, false)],
        vec![],
    );
    let p = Problem::from_input(ev, "t").unwrap();
    let s = solve(&p, &opts(1));
    valid(&p, &s);
    assert_eq!(s.stats.must_conflicts.len(), 1);
    let c = &s.stats.must_conflicts[0];
    assert_eq!(c.kind, "proven");
    assert_eq!(c.requests, vec!["a->b".to_string()]);
    assert_eq!(
        c.reason,
        "no common available slot: a is available in s1, s2; b in s3, s4"
    );
    assert_eq!(s.stats.priority_sum, 1);
}

#[test]
fn multi_day_event_with_more_than_64_slots() {
    // 3 days x 40 slots = 120 slots (beyond one 64-bit word); people meet across days.
    let mut ev = event(120, 2, vec![], vec![], vec![]);
    for (k, slot) in ev.slots.iter_mut().enumerate() {
        let (day, i) = (k / 40, k % 40);
        slot.start = format!(
            "2026-03-{:02}T{:02}:{:02}",
            10 + day,
            8 + (i * 15) / 60,
            (i * 15) % 60
        );
        slot.minutes = 15;
    }
    let ids: Vec<String> = (0..12).map(|i| format!("p{i}")).collect();
    for (i, id) in ids.iter().enumerate() {
        // Each person is there on one or two days.
        let days: Vec<usize> = match i % 3 {
            0 => (0..80).collect(),
            1 => (40..120).collect(),
            _ => (0..40).chain(80..120).collect(),
        };
        ev.participants.push(person(id, Some(&days), Some(30)));
    }
    for i in 0..12 {
        for j in (i + 1)..12 {
            ev.requests
                .push(req(&ids[i], &ids[j], 1 + ((i + j) % 3) as u32, false));
        }
    }
    let p = Problem::from_input(ev, "t").unwrap();
    let s = solve(&p, &opts(9));
    valid(&p, &s);
    // Any two people share at least 40 slots, so with 2 tables per slot and 240 table-slots
    // every one of the 66 requests fits.
    assert_eq!(s.meetings.len(), 66);
    assert!(s.meetings.iter().any(|m| p.slot(&m.slot).unwrap() >= 64));
    assert_eq!(s.stats.priority_upper_bound, s.stats.priority_sum);
}

#[test]
fn idle_gaps_count_available_free_slots_between_meetings_of_the_same_day() {
    let run = |a_avail: &[usize], b: &[usize], c: &[usize], two_days: bool| {
        let mut ev = event(
            4,
            3,
            vec![
                person("a", Some(a_avail), None),
                person("b", Some(b), None),
                person("c", Some(c), None),
            ],
            vec![req("a", "b", 1, false), req("a", "c", 1, false)],
            vec![],
        );
        if two_days {
            ev.slots[2].start = "2026-03-11T09:00".into();
            ev.slots[3].start = "2026-03-11T09:20".into();
        }
        let p = Problem::from_input(ev, "t").unwrap();
        let s = solve(&p, &opts(1));
        assert_eq!(s.meetings.len(), 2);
        s.stats.idle_gaps
    };
    // a meets b in s1 and c in s3 (forced); s2 free and available: one idle slot.
    assert_eq!(run(&[0, 1, 2, 3], &[0], &[2], false), 1);
    // a is away in s2: not idle.
    assert_eq!(run(&[0, 2, 3], &[0], &[2], false), 0);
    // s2 on day 1 and s3 on day 2: the night is not an idle gap.
    assert_eq!(run(&[0, 1, 2, 3], &[1], &[2], true), 0);
    // Same day, s2 and s4 with s3 free: one idle slot.
    assert_eq!(run(&[0, 1, 2, 3], &[1], &[3], false), 1);
}

#[test]
fn degenerate_events_do_not_panic() {
    // No slots at all.
    let ev = event(
        0,
        3,
        vec![person("a", None, None), person("b", None, None)],
        vec![req("a", "b", 2, true)],
        vec![],
    );
    let p = Problem::from_input(ev, "t").unwrap();
    let s = solve(&p, &opts(1));
    assert!(s.meetings.is_empty());
    assert_eq!(s.unscheduled[0].code, "no_common_slot");
    assert_eq!(s.stats.priority_upper_bound, 0);
    // No tables.
    let ev = event(
        2,
        0,
        vec![person("a", None, None), person("b", None, Some(0))],
        vec![req("a", "b", 2, false)],
        vec![],
    );
    let p = Problem::from_input(ev, "t").unwrap();
    let s = solve(&p, &opts(1));
    assert!(s.meetings.is_empty());
    assert_eq!(s.unscheduled[0].code, "at_max");
    // No participants, no requests.
    let p = Problem::from_input(event(3, 2, vec![], vec![], vec![]), "t").unwrap();
    let s = solve(&p, &opts(1));
    assert!(s.meetings.is_empty() && s.unscheduled.is_empty());
}

#[test]
fn a_buyer_keeps_their_table_through_consecutive_meetings() {
    let mut people = vec![
        person("buyer", None, None),
        person("x", Some(&[0]), None),
        person("y", Some(&[1]), None),
        person("z", Some(&[2]), None),
        person("c", Some(&[0, 1]), None),
        person("d", Some(&[0, 1]), None),
    ];
    people[0].role = milieu_schedule::model::Role::Buyer;
    let ev = event(
        3,
        3,
        people,
        vec![
            req("x", "buyer", 1, false),
            req("y", "buyer", 1, false),
            req("z", "buyer", 1, false),
            req("c", "d", 1, false),
        ],
        vec![],
    );
    let p = Problem::from_input(ev, "t").unwrap();
    let s = solve(&p, &opts(1));
    valid(&p, &s);
    let tables: Vec<u32> = s
        .meetings
        .iter()
        .filter(|m| m.to == "buyer")
        .map(|m| m.table)
        .collect();
    assert_eq!(tables.len(), 3);
    assert!(tables.iter().all(|t| *t == tables[0]), "{tables:?}");
    assert_eq!(s.stats.table_moves, 0);
}
