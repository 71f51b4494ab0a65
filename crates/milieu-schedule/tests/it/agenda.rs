//! Agendas: files per participant and slot, escaping, RFC 5545 folding.

use crate::cases::opts;
use crate::common::*;
use milieu_schedule::agenda::{AgendaOptions, agendas, ics_escape, ics_fold};
use milieu_schedule::{Problem, solve};

#[test]
fn folding_keeps_lines_within_75_octets_and_never_splits_a_character() {
    let line = format!("SUMMARY:{}", "Réunion à Zürich – Ü ".repeat(12));
    let folded = ics_fold(&line);
    assert!(folded.ends_with("\r\n"));
    for physical in folded.trim_end_matches("\r\n").split("\r\n") {
        assert!(
            physical.len() <= 75,
            "{} octets: {physical}",
            physical.len()
        );
    }
    // Unfolding (RFC 5545: remove CRLF followed by one space) restores the line.
    let unfolded = folded.trim_end_matches("\r\n").replace("\r\n ", "");
    assert_eq!(unfolded, line);
    assert_eq!(ics_fold("SHORT"), "SHORT\r\n");
    assert_eq!(ics_escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
}

#[test]
fn one_html_and_one_ics_per_participant_a_plan_per_slot_and_statistics() {
    let mut people = vec![
        person("a", None, None),
        person("b", None, None),
        person("c/../x", Some(&[1]), None),
    ];
    people[0].name = Some("<script>alert('x')</script> & Co".into());
    people[1].org = Some("Ö & \"Partners\", Ltd; Zürich".into());
    let ev = event(
        2,
        3,
        people,
        vec![
            req("a", "b", 2, false),
            req("c/../x", "a", 1, false),
            req("b", "c/../x", 1, false),
        ],
        vec![],
    );
    let p = Problem::from_input(ev, "t").unwrap();
    let s = solve(&p, &opts(1));
    let files = agendas(&p, &(&s).into(), &AgendaOptions::default()).unwrap();
    let names: Vec<&str> = files.iter().map(|f| f.0.as_str()).collect();
    for want in [
        "participants/a.html",
        "participants/a.ics",
        "participants/b.html",
        "participants/b.ics",
        "participants/c____x.html",
        "participants/c____x.ics",
        "slots/s1.html",
        "slots/s2.html",
        "index.html",
    ] {
        assert!(names.contains(&want), "missing {want} in {names:?}");
    }
    assert_eq!(files.len(), 9);
    for (name, body) in &files {
        if name.ends_with(".html") {
            assert!(!body.contains("<script>"), "{name} not escaped");
            assert!(!body.contains("\"Partners\""), "{name} not escaped");
        }
    }
    let a_html = &files
        .iter()
        .find(|f| f.0 == "participants/b.html")
        .unwrap()
        .1;
    assert!(a_html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; Co"));
    // iCalendar: CRLF only, one VEVENT per meeting with UID, DTSTAMP, DTSTART, DTEND.
    let a_meetings = s
        .meetings
        .iter()
        .filter(|m| m.from == "a" || m.to == "a")
        .count();
    assert!(a_meetings >= 1);
    let ics = &files
        .iter()
        .find(|f| f.0 == "participants/a.ics")
        .unwrap()
        .1;
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
    assert!(ics.ends_with("END:VCALENDAR\r\n"));
    assert!(!ics.replace("\r\n", "").contains('\n'), "bare LF in ics");
    for prop in [
        "BEGIN:VEVENT",
        "UID:",
        "DTSTAMP:",
        "DTSTART:",
        "DTEND:",
        "END:VEVENT",
    ] {
        assert_eq!(
            ics.matches(&format!("\r\n{prop}")).count(),
            a_meetings,
            "{prop}"
        );
    }
    let b_ics = &files
        .iter()
        .find(|f| f.0 == "participants/a.ics")
        .unwrap()
        .1;
    assert!(b_ics.contains("DTSTART:20260310T09"));
    assert!(b_ics.contains("DTEND:20260310T09"));
    let unfolded = ics.replace("\r\n ", "");
    if s.meetings
        .iter()
        .any(|m| (m.from == "a" && m.to == "b") || (m.from == "b" && m.to == "a"))
    {
        assert!(
            unfolded.contains("(Ö & \"Partners\"\\, Ltd\\; Zürich)"),
            "{unfolded}"
        );
    }
    let index = &files.iter().find(|f| f.0 == "index.html").unwrap().1;
    assert!(index.contains(&format!("<th>Meetings</th><td>{}</td>", s.meetings.len())));
}

#[test]
fn unknown_ids_in_the_schedule_are_input_errors() {
    let ev = event(
        1,
        1,
        vec![person("a", None, None), person("b", None, None)],
        vec![],
        vec![],
    );
    let p = Problem::from_input(ev, "t").unwrap();
    let sched = milieu_schedule::ScheduleInput {
        meetings: vec![milieu_schedule::MeetingRow {
            from: "a".into(),
            to: "zz".into(),
            slot: "s1".into(),
            table: 1,
        }],
        ..Default::default()
    };
    let err = agendas(&p, &sched, &AgendaOptions::default()).unwrap_err();
    assert_eq!(err.problems()[0].path, "meetings[0].to");
}
