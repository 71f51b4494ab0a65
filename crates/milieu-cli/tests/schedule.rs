//! `milieu schedule solve|check|agendas` and `milieu event requests|schedule|meetings` through
//! the real binary: valid schedules, every violation of a tampered one, agenda files, exit codes
//! of bad input, and a registry round trip.

use serde_json::{Value, json};

mod common;
use common::Env;

/// A small event generated deterministically: 14 participants (buyers and suppliers), 6
/// slots, 3 tables (so tables bind), partial availability, limits, priorities, two musts, one
/// pending request and one fixed meeting.
fn small_event() -> Value {
    let slots: Vec<Value> = (0..6)
        .map(|i| json!({"id": format!("s{}", i + 1), "start": format!("2026-03-10T{:02}:{:02}", 9 + i / 3, (i % 3) * 20), "minutes": 20}))
        .collect();
    let mut participants = Vec::new();
    for p in 1..=14u32 {
        let available: Vec<String> = (1..=6)
            .filter(|s| !((p % 4 == 0 && *s >= 5) || (p % 5 == 0 && *s == 1)))
            .map(|s| format!("s{s}"))
            .collect();
        participants.push(json!({
            "id": format!("p{p}"), "org": format!("o{p}"), "name": format!("Person {p} <&>"),
            "available": available, "max_meetings": 3 + p % 3,
            "role": if p % 2 == 0 { "buyer" } else { "supplier" }
        }));
    }
    let mut requests = Vec::new();
    let mut state = 7u32;
    for from in 1..=14u32 {
        for k in 0..4 {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            let to = (from + 1 + (state >> 8) % 13) % 14 + 1;
            if to == from
                || requests
                    .iter()
                    .any(|r: &Value| r["from"] == format!("p{from}") && r["to"] == format!("p{to}"))
            {
                continue;
            }
            requests.push(json!({
                "from": format!("p{from}"), "to": format!("p{to}"),
                "priority": 1 + (state >> 16) % 3,
                "status": if from == 3 && k == 0 { "pending" } else { "accepted" },
                "must": from == 2 && k < 2
            }));
        }
    }
    json!({"name": "Test brokerage", "slots": slots, "tables": 3,
           "participants": participants, "requests": requests,
           "fixed": [{"from": "p1", "to": "p14", "slot": "s2", "table": 2}]})
}

fn solve(env: &Env, event: &Value) -> (i32, String, String) {
    env.write("event.json", event.to_string());
    env.milieu(&[
        "schedule",
        "solve",
        "--input",
        "event.json",
        "--out",
        "schedule.json",
        "--time-limit",
        "2",
        "--seed",
        "3",
    ])
}

#[test]
fn solve_then_check_is_valid_and_needs_no_database() {
    let env = Env::new();
    let (code, out, err) = solve(&env, &small_event());
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(out.contains("musts 2/2"), "{out}");
    let schedule = env.read_json("schedule.json");
    let meetings = schedule["meetings"].as_array().unwrap();
    assert!(meetings.len() >= 10, "{schedule}");
    // The fixed meeting stays where it is.
    assert!(
        meetings
            .iter()
            .any(|m| m["from"] == "p1" && m["to"] == "p14" && m["slot"] == "s2" && m["table"] == 2)
    );
    // At most 3 tables in each of the 6 slots.
    assert!(meetings.len() <= 18);
    let stats = &schedule["stats"];
    assert!(
        stats["priority_sum"].as_u64().unwrap() <= stats["priority_upper_bound"].as_u64().unwrap()
    );
    // Every unscheduled request carries a reason; the pending one says so.
    for u in schedule["unscheduled"].as_array().unwrap() {
        assert!(!u["reason"].as_str().unwrap().is_empty(), "{u}");
    }
    assert!(
        schedule["unscheduled"]
            .as_array()
            .unwrap()
            .iter()
            .any(|u| u["code"] == "pending")
    );

    let (code, out, err) = env.milieu(&[
        "schedule",
        "check",
        "--input",
        "event.json",
        "--schedule",
        "schedule.json",
    ]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(out.starts_with("valid"), "{out}");
    assert!(
        !env.path("test.db").exists(),
        "schedule commands must not create the database"
    );

    // Same seed, work done: the same meetings (the search converges well within 2 s here).
    let first = env.read_json("schedule.json")["meetings"].clone();
    let (code, _, _) = solve(&env, &small_event());
    assert_eq!(code, 0);
    assert_eq!(env.read_json("schedule.json")["meetings"], first);
}

#[test]
fn tampered_schedule_fails_check_with_every_violation() {
    let env = Env::new();
    let (code, _, err) = solve(&env, &small_event());
    assert_eq!(code, 0, "{err}");
    let mut schedule = env.read_json("schedule.json");
    let meetings = schedule["meetings"].as_array_mut().unwrap();
    // 1: move the fixed meeting; 2: a meeting with a stranger id; 3: a table outside 1..3;
    // 4: the same pair again.
    let fixed = meetings
        .iter()
        .position(|m| m["from"] == "p1" && m["to"] == "p14")
        .unwrap();
    meetings[fixed]["slot"] = json!("s3");
    let mut copy = meetings[0].clone();
    copy["table"] = json!(9);
    meetings.push(copy);
    meetings.push(json!({"from": "p1", "to": "zz", "slot": "s1", "table": 1}));
    env.write("tampered.json", schedule.to_string());
    let (code, out, err) = env.milieu(&[
        "schedule",
        "check",
        "--input",
        "event.json",
        "--schedule",
        "tampered.json",
    ]);
    assert_eq!(code, 2, "{out}\n{err}");
    for needle in [
        "fixed_moved",
        "bad_table",
        "pair_meets_twice",
        "unknown_participant",
    ] {
        assert!(out.contains(needle), "missing {needle} in:\n{out}");
    }
    assert!(err.contains("violation(s)"), "{err}");
}

#[test]
fn agendas_write_html_and_well_formed_ics() {
    let env = Env::new();
    let (code, _, err) = solve(&env, &small_event());
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = env.milieu(&[
        "schedule",
        "agendas",
        "--input",
        "event.json",
        "--schedule",
        "schedule.json",
        "--out",
        "agendas",
    ]);
    assert_eq!(code, 0, "{out}\n{err}");
    let dir = env.path("agendas");
    assert!(dir.join("index.html").exists());
    for s in 1..=6 {
        assert!(dir.join(format!("slots/s{s}.html")).exists());
    }
    let schedule = env.read_json("schedule.json");
    for p in 1..=14 {
        let id = format!("p{p}");
        let html = std::fs::read_to_string(dir.join(format!("participants/{id}.html"))).unwrap();
        assert!(html.contains("Person"), "{html}");
        assert!(!html.contains("<&>"), "names must be escaped");
        let ics = std::fs::read_to_string(dir.join(format!("participants/{id}.ics"))).unwrap();
        assert_ics_well_formed(&ics);
        let mine = schedule["meetings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["from"] == id.as_str() || m["to"] == id.as_str())
            .count();
        assert_eq!(ics.matches("BEGIN:VEVENT\r\n").count(), mine, "{id}");
    }
}

fn assert_ics_well_formed(ics: &str) {
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"));
    assert!(ics.ends_with("END:VCALENDAR\r\n"));
    assert!(ics.contains("VERSION:2.0\r\n") && ics.contains("PRODID:"));
    // CRLF only, lines at most 75 octets, BEGIN/END balanced per event.
    assert!(!ics.replace("\r\n", "").contains('\n'));
    for line in ics.split("\r\n") {
        assert!(line.len() <= 75, "line too long: {line:?}");
    }
    assert_eq!(
        ics.matches("BEGIN:VEVENT").count(),
        ics.matches("END:VEVENT").count()
    );
    for event in ics.split("BEGIN:VEVENT").skip(1) {
        for prop in ["UID:", "DTSTAMP:", "DTSTART:", "DTEND:", "SUMMARY:"] {
            assert!(event.contains(prop), "{prop} missing in {event}");
        }
    }
}

/// Runs solve on a broken event; expects exit 2 and every needle in stderr.
fn refuse(event: &Value, needles: &[&str]) {
    let env = Env::new();
    let (code, out, err) = solve(&env, event);
    assert_eq!(code, 2, "{out}\n{err}");
    for n in needles {
        assert!(err.contains(n), "missing {n:?} in:\n{err}");
    }
    assert!(!env.path("schedule.json").exists());
}

#[test]
fn bad_input_exits_2_with_clear_messages() {
    let mut e = small_event();
    e["requests"][0]["to"] = json!("nobody");
    refuse(
        &e,
        &[
            "event.json",
            "requests[0].to",
            "nobody",
            "unknown_participant",
        ],
    );

    let mut e = small_event();
    e["requests"][1]["to"] = e["requests"][1]["from"].clone();
    refuse(&e, &["requests[1].to", "self_request"]);

    let mut e = small_event();
    e["participants"][0]["available"] = json!(["s1", "s99"]);
    refuse(&e, &["participants[0].available", "s99", "unknown_slot"]);

    // p4 is not available in s5 (p % 4 == 0).
    let mut e = small_event();
    e["fixed"] = json!([{"from": "p4", "to": "p1", "slot": "s5", "table": 1}]);
    refuse(&e, &["fixed[0]", "p4"]);

    let env = Env::new();
    env.write("broken.json", "{\"slots\": [}");
    let (code, _, err) = env.milieu(&[
        "schedule",
        "solve",
        "--input",
        "broken.json",
        "--out",
        "x.json",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("broken.json: line 1"), "{err}");

    let (code, _, err) = env.milieu(&[
        "schedule",
        "check",
        "--input",
        "missing.json",
        "--schedule",
        "x.json",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("missing.json"), "{err}");
}

#[test]
fn infeasible_musts_write_the_schedule_and_list_the_conflict() {
    // p6 may take one meeting but has two musts.
    let mut e = small_event();
    e["participants"][5]["max_meetings"] = json!(1);
    let reqs = e["requests"].as_array_mut().unwrap();
    reqs.retain(|r| r["from"] != "p6" && r["to"] != "p6");
    reqs.push(json!({"from": "p6", "to": "p7", "priority": 2, "must": true}));
    reqs.push(json!({"from": "p9", "to": "p6", "priority": 1, "must": true}));
    let env = Env::new();
    let (code, out, err) = solve(&env, &e);
    assert_eq!(code, 2, "{out}\n{err}");
    assert!(
        err.contains("must meeting(s) could not be scheduled"),
        "{err}"
    );
    assert!(err.contains("p6"), "{err}");
    let schedule = env.read_json("schedule.json");
    assert_eq!(
        schedule["stats"]["must_conflicts"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let (code, out, _) = env.milieu(&[
        "schedule",
        "check",
        "--input",
        "event.json",
        "--schedule",
        "schedule.json",
    ]);
    assert_eq!(code, 0, "the written schedule is still valid: {out}");
}

#[test]
fn keep_adds_late_requests_without_moving_meetings() {
    let env = Env::new();
    let (code, _, err) = solve(&env, &small_event());
    assert_eq!(code, 0, "{err}");
    let before = env.read_json("schedule.json");
    std::fs::rename(env.path("schedule.json"), env.path("previous.json")).unwrap();
    let mut e = small_event();
    let reqs = e["requests"].as_array_mut().unwrap();
    // A late request (one that was in the event already is withdrawn and made again).
    reqs.retain(|r| !(r["from"] == "p13" && r["to"] == "p11"));
    reqs.push(json!({"from": "p13", "to": "p11", "priority": 3}));
    env.write("event.json", e.to_string());
    let (code, out, err) = env.milieu(&[
        "schedule",
        "solve",
        "--input",
        "event.json",
        "--out",
        "schedule.json",
        "--keep",
        "previous.json",
        "--time-limit",
        "1",
    ]);
    assert_eq!(code, 0, "{out}\n{err}");
    let after = env.read_json("schedule.json");
    for m in before["meetings"].as_array().unwrap() {
        assert!(
            after["meetings"].as_array().unwrap().contains(m),
            "moved: {m}"
        );
    }
}

#[test]
fn event_schedule_round_trip_on_a_tiny_registry() {
    let env = Env::new();
    env.write(
        "orgs.csv",
        "id,name,kind,region,country,sectors\no1,Alpha,firm,R,DE,\no2,Beta,firm,R,DE,\no3,Gamma,firm,R,DE,\no4,Delta,firm,R,DE,\no5,Nobody,firm,R,DE,\n",
    );
    env.write(
        "events.csv",
        "id,kind,title,date\ne1,brokerage_event,Matchmaking day,2026-03-10\n",
    );
    let attendance: String = std::iter::once("event_id,org_id,person_id,role\n".to_string())
        .chain((1..=4).map(|i| format!("e1,o{i},,attendee\n")))
        .collect();
    env.write("attendance.csv", &attendance);
    for (kind, file) in [
        ("organisations", "orgs.csv"),
        ("events", "events.csv"),
        ("attendance", "attendance.csv"),
    ] {
        let (code, out, err) = env.milieu(&["import", kind, file]);
        assert_eq!(code, 0, "{kind}: {out}\n{err}");
    }

    // Line-level errors, nothing imported: o5 does not attend, o9 does not exist, a request
    // to oneself, a priority out of range, a duplicate.
    env.write(
        "bad.csv",
        "from,to,priority,status,must\no1,o2,3,accepted,true\no1,o5,1,,\no9,o1,2,,\no3,o3,1,,\no2,o4,7,,\no1,o2,1,,\n",
    );
    let (code, _, err) = env.milieu(&["event", "requests", "import", "e1", "bad.csv"]);
    assert_eq!(code, 2, "{err}");
    for needle in [
        "bad.csv", "line 3", "o5", "line 4", "o9", "line 5", "oneself", "line 6", "priority",
        "line 7", "line 2",
    ] {
        assert!(err.contains(needle), "missing {needle:?} in:\n{err}");
    }
    let (_, out, _) = env.milieu(&["event", "requests", "list", "e1", "--format", "json"]);
    assert_eq!(out.trim(), "[]", "nothing imported: {out}");

    // Every pair among o1..o4 once (6 requests); with 2 slots at most 2 meetings each, so at
    // most 4 meetings: a perfect matching in each slot.
    env.write(
        "requests.csv",
        "from,to,priority,status,must\no1,o2,3,accepted,true\no3,o4,1,,\no1,o3,2,,\no2,o4,2,,\no1,o4,1,,\no2,o3,1,pending,\n",
    );
    let (code, out, err) = env.milieu(&["event", "requests", "import", "e1", "requests.csv"]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(out.contains("imported 6"), "{out}");
    let (code, out, err) = env.milieu(&[
        "event",
        "schedule",
        "e1",
        "--slots",
        "09:00/30x2",
        "--tables",
        "2",
        "--time-limit",
        "1",
    ]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(out.contains("musts 1/1"), "{out}");
    assert!(out.contains("4 meetings stored"), "{out}");

    let (code, out, err) = env.milieu(&["event", "meetings", "e1", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let rows: Value = serde_json::from_str(&out).unwrap();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 4);
    // o1-o2 (must, 3) and o1-o3 and o2-o4 (2 each) are the best matching pairs: priority
    // 3+2+2+1 = 8 with o3-o4 (the pending o2-o3 is left out).
    let pairs: Vec<String> = rows
        .iter()
        .map(|r| {
            format!(
                "{}-{}",
                r["from"].as_str().unwrap(),
                r["to"].as_str().unwrap()
            )
        })
        .collect();
    for p in ["o1-o2", "o3-o4", "o1-o3", "o2-o4"] {
        assert!(pairs.contains(&p.to_string()), "{pairs:?}");
    }
    assert_eq!(rows[0]["start"], "2026-03-10 09:00");
    assert_eq!(rows[3]["start"], "2026-03-10 09:30");
    assert!(rows.iter().any(|r| r["from_name"] == "Alpha"));

    let (code, out, err) = env.milieu(&["event", "agendas", "e1", "--out", "agendas"]);
    assert_eq!(code, 0, "{out}\n{err}");
    let ics = std::fs::read_to_string(env.path("agendas/participants/o1.ics")).unwrap();
    assert_ics_well_formed(&ics);
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 2);

    // Scheduling again keeps the stored slots and tables; the registry verbs still work.
    let (code, out, err) = env.milieu(&["event", "schedule", "e1", "--time-limit", "1"]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(out.contains("4 meetings stored"), "{out}");
    let (code, out, _) = env.milieu(&["event", "show", "e1", "--format", "json"]);
    assert_eq!(code, 0);
    assert!(out.contains("Matchmaking day"));
    let (code, _, err) = env.milieu(&["event", "schedule", "nope"]);
    assert_eq!(code, 2, "{err}");
}
