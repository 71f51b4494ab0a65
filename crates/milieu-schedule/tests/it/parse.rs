//! Bad input: every problem named by JSON path and value.

use crate::common::*;
use milieu_schedule::{Error, Problem, parse_problem};

fn problems(input: milieu_schedule::EventInput) -> Vec<(String, String, String)> {
    match Problem::from_input(input, "event.json") {
        Ok(_) => Vec::new(),
        Err(Error::Invalid { file, problems }) => {
            assert_eq!(file, "event.json");
            problems
                .into_iter()
                .map(|p| (p.code.to_string(), p.path, p.value))
                .collect()
        }
        Err(e) => panic!("unexpected error {e}"),
    }
}

#[test]
fn contract_example_parses() {
    let json = r#"{"slots": [{"id": "s1", "start": "2026-03-10T09:00", "minutes": 20},
                             {"id": "s2", "start": "2026-03-10T09:20", "minutes": 20},
                             {"id": "s3", "start": "2026-03-10T09:40", "minutes": 20}],
      "tables": 60,
      "participants": [{"id": "p1", "org": "o1", "available": ["s1", "s2", "s3"], "max_meetings": 8, "role": "buyer"},
                       {"id": "p2", "org": "o2", "available": ["s2", "s3"], "max_meetings": 8, "role": "supplier"}],
      "requests": [{"from": "p1", "to": "p2", "priority": 3, "status": "accepted", "must": false}],
      "fixed": [{"from": "p1", "to": "p2", "slot": "s3", "table": 5}]}"#;
    let p = parse_problem(json.as_bytes(), "event.json").unwrap();
    assert_eq!(p.slots.len(), 3);
    assert_eq!(p.participants[1].available, vec![false, true, true]);
    assert_eq!(p.fixed[0].table, 5);
    assert_eq!(p.fixed[0].slot, 2);
}

#[test]
fn unknown_participant_self_request_unknown_slot_duplicates() {
    let mut ev = event(
        2,
        2,
        vec![
            person("a", None, None),
            person("b", Some(&[0]), None),
            person("a", None, None),
        ],
        vec![
            req("a", "zz", 1, false),
            req("b", "b", 1, false),
            req("a", "b", 4, false),
            req("a", "b", 1, false),
        ],
        vec![],
    );
    ev.participants[1].available = Some(vec!["s1".into(), "s9".into()]);
    ev.slots[1].id = "s1".into();
    ev.slots[1].start = "2026-03-10T10:00".into();
    let got = problems(ev);
    let want = [
        ("duplicate_id", "slots[1].id", "\"s1\""),
        ("duplicate_id", "participants[2].id", "\"a\""),
        ("unknown_slot", "participants[1].available[1]", "\"s9\""),
        ("unknown_participant", "requests[0].to", "\"zz\""),
        ("self_request", "requests[1].to", "\"b\""),
        ("bad_priority", "requests[2].priority", "4"),
        ("duplicate_request", "requests[3]", "a -> b"),
    ];
    for w in want {
        assert!(
            got.iter()
                .any(|g| (g.0.as_str(), g.1.as_str(), g.2.as_str()) == w),
            "missing {w:?} in {got:?}"
        );
    }
    assert_eq!(got.len(), want.len(), "{got:?}");
}

#[test]
fn fixed_meeting_that_breaks_a_constraint() {
    let ev = event(
        2,
        1,
        vec![
            person("a", Some(&[0, 1]), Some(1)),
            person("b", Some(&[1]), None),
            person("c", None, None),
        ],
        vec![req("a", "b", 1, false)],
        vec![
            fixed("a", "b", 0, 1), // b not available in s1
            fixed("a", "c", 1, 1), // a already... (fine alone)
            fixed("c", "b", 1, 1), // c double-booked in s2, table 1 twice in s2
            fixed("a", "c", 0, 2), // table 2 does not exist, a over max, pair twice
        ],
    );
    let got = problems(ev);
    let codes: Vec<&str> = got.iter().map(|g| g.0.as_str()).collect();
    for c in [
        "fixed_unavailable",
        "fixed_double_booked",
        "table_double_booked",
        "bad_table",
        "fixed_over_max",
        "pair_meets_twice",
    ] {
        assert!(codes.contains(&c), "missing {c} in {got:?}");
    }
    let unavailable = got.iter().find(|g| g.0 == "fixed_unavailable").unwrap();
    assert_eq!(unavailable.1, "fixed[0].slot");
}

#[test]
fn json_type_error_names_path_and_line() {
    let json = "{\"slots\": [], \"tables\": 3,\n \"participants\": [{\"id\": \"a\", \"max_meetings\": \"many\"}]}";
    let err = parse_problem(json.as_bytes(), "ev.json").unwrap_err();
    match err {
        Error::Json {
            file, line, path, ..
        } => {
            assert_eq!(file, "ev.json");
            assert_eq!(line, 2);
            assert_eq!(path, "participants[0].max_meetings");
        }
        other => panic!("unexpected {other}"),
    }
}

#[test]
fn bad_time_and_overlapping_slots() {
    let mut ev = event(3, 1, vec![person("a", None, None)], vec![], vec![]);
    ev.slots[0].start = "9am".into();
    ev.slots[2].start = "2026-03-10T09:30".into(); // overlaps s2 (09:20-09:40)
    let got = problems(ev);
    assert!(
        got.iter()
            .any(|g| g.0 == "bad_time" && g.1 == "slots[0].start")
    );
    assert!(
        got.iter()
            .any(|g| g.0 == "overlapping_slots" && g.1 == "slots[2]")
    );
}
