//! The checker lists every violation with its code and path.

use crate::common::*;
use milieu_schedule::{CheckOptions, MeetingRow, Problem, ScheduleInput, check};

fn m(from: &str, to: &str, slot: &str, table: u32) -> MeetingRow {
    MeetingRow {
        from: from.into(),
        to: to.into(),
        slot: slot.into(),
        table,
    }
}

#[test]
fn every_violation_is_listed() {
    let ev = event(
        2,
        1,
        vec![
            person("a", Some(&[0]), Some(1)),
            person("b", None, None),
            person("c", None, None),
            person("d", None, None),
        ],
        vec![
            req("a", "b", 1, false),
            req("b", "c", 1, false),
            req("c", "d", 1, false),
            req("a", "d", 1, false),
        ],
        vec![fixed("c", "d", 1, 1)],
    );
    let p = Problem::from_input(ev, "t").unwrap();
    let sched = ScheduleInput {
        meetings: vec![
            m("a", "b", "s1", 1), // 0 ok
            m("a", "d", "s2", 1), // 1 a unavailable in s2, a over max, table 1 twice in s2...
            m("b", "c", "s1", 1), // 2 b double-booked, table 1 twice in s1, slot over tables
            m("b", "a", "s9", 7), // 3 unknown slot, bad table
            m("x", "b", "s1", 1), // 4 unknown participant
            m("b", "d", "s2", 2), // 5 no request, bad table (2 > 1)
            m("c", "d", "s1", 1), // 6 fixed moved (should be s2), double booked c? no: c in s1 twice
            m("c", "c", "s1", 1), // 7 self meeting
            m("a", "b", "s1", 1), // 8 pair meets twice, etc.
        ],
        ..Default::default()
    };
    let v = check(&p, &sched, &CheckOptions::default());
    let has = |code: &str, path: &str| v.iter().any(|x| x.code == code && x.path == path);
    assert!(has("unavailable", "meetings[1].from"), "{v:#?}");
    assert!(has("over_max", "meetings[1]"), "{v:#?}");
    assert!(has("double_booked", "meetings[2]"), "{v:#?}");
    assert!(has("table_double_booked", "meetings[2].table"), "{v:#?}");
    assert!(has("slot_over_tables", "meetings[2]"), "{v:#?}");
    assert!(has("unknown_slot", "meetings[3].slot"), "{v:#?}");
    assert!(has("bad_table", "meetings[3].table"), "{v:#?}");
    assert!(has("unknown_participant", "meetings[4].from"), "{v:#?}");
    assert!(has("no_request", "meetings[5]"), "{v:#?}");
    assert!(has("bad_table", "meetings[5].table"), "{v:#?}");
    assert!(has("fixed_moved", "meetings[6]"), "{v:#?}");
    assert!(has("self_meeting", "meetings[7]"), "{v:#?}");
    assert!(has("pair_meets_twice", "meetings[8]"), "{v:#?}");
}

#[test]
fn valid_schedule_has_no_violation_and_missing_fixed_is_reported() {
    let ev = event(
        2,
        2,
        vec![
            person("a", None, None),
            person("b", None, None),
            person("c", None, None),
        ],
        vec![req("a", "b", 1, false), req("b", "c", 1, false)],
        vec![fixed("b", "c", 1, 2)],
    );
    let p = Problem::from_input(ev, "t").unwrap();
    let ok = ScheduleInput {
        meetings: vec![m("b", "a", "s1", 1), m("b", "c", "s2", 2)],
        ..Default::default()
    };
    assert!(check(&p, &ok, &CheckOptions::default()).is_empty());
    let missing = ScheduleInput {
        meetings: vec![m("a", "b", "s1", 1)],
        ..Default::default()
    };
    let v = check(&p, &missing, &CheckOptions::default());
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].code, "fixed_missing");
    assert_eq!(v[0].path, "fixed[0]");
}
