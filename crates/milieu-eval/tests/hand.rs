//! KPI series, alerts, follow-ups and the motivation table on a small hand-made registry whose
//! answers are worked out by hand (see the comments at each assertion).

use milieu_eval::*;
use milieu_model::{Dataset, Date, InitiativeId, OrgId};
use std::collections::HashSet;

fn d(s: &str) -> Date {
    milieu_model::parse_date(s).unwrap()
}

/// Initiative i1 (from 2024) with members a, b, c, e; d is an outsider.
/// a-b meet at ev1 (2024-01-10) and confirm at 6 months (t2, o1 on 2024-07-10);
/// a-c and c-d form at ev2; e attends all three events, always as person pe, and never connects.
fn registry() -> Dataset {
    serde_json::from_str(
        r#"{
      "initiatives": [{"id":"i1","name":"Sensors <&> Co","started":"2024-01-01"},
                      {"id":"i2","name":"Other","started":"2024-01-01"}],
      "organisations": [
        {"id":"a","name":"A","kind":"firm","country":"DE","sectors":["naics:334510"],"motivations":["leads"]},
        {"id":"b","name":"B","kind":"firm","country":"FR","sectors":["naics:541511"],"export_share":0.3,"countries_served":["FR","US"],"motivations":["leads"]},
        {"id":"c","name":"C","kind":"university","country":"DE"},
        {"id":"d","name":"D","kind":"firm","country":"DE","sectors":["naics:334511"]},
        {"id":"e","name":"E","kind":"firm","country":"DE","sectors":["naics:334519"],"motivations":["leads","information"]}
      ],
      "people": [{"id":"pa","name":"Pa"},{"id":"pa2","name":"Pa2"},{"id":"pb","name":"Pb"},{"id":"pc","name":"Pc"},{"id":"pe","name":"Pe"}],
      "memberships": [
        {"initiative":"i1","org":"a","role":"member","from":"2024-01-01"},
        {"initiative":"i1","org":"b","role":"member","from":"2024-01-01"},
        {"initiative":"i1","org":"c","role":"member","from":"2024-01-01"},
        {"initiative":"i1","org":"e","role":"member","from":"2024-01-01"},
        {"initiative":"i2","org":"d","role":"member","from":"2024-01-01"}
      ],
      "events": [
        {"id":"ev1","kind":"networking_meeting","title":"Kick-off","date":"2024-01-10","initiative":"i1"},
        {"id":"ev2","kind":"workshop","title":"W","date":"2024-04-15","initiative":"i1"},
        {"id":"ev3","kind":"workshop","title":"W2","date":"2024-07-20","initiative":"i1"}
      ],
      "attendance": [
        {"event":"ev1","org":"a","person":"pa","role":"attendee"},
        {"event":"ev1","org":"b","person":"pb","role":"attendee"},
        {"event":"ev1","org":"e","person":"pe","role":"attendee"},
        {"event":"ev2","org":"a","person":"pa2","role":"attendee"},
        {"event":"ev2","org":"c","person":"pc","role":"attendee"},
        {"event":"ev2","org":"d","role":"attendee"},
        {"event":"ev2","org":"e","person":"pe","role":"attendee"},
        {"event":"ev3","org":"e","person":"pe","role":"attendee"},
        {"event":"ev3","org":"a","person":"pa","role":"attendee"}
      ],
      "ties": [
        {"id":"t1","from":"a","to":"b","kind":"other","start":"2024-01-10","source":"event","event":"ev1","visibility":"staff"},
        {"id":"t2","from":"a","to":"b","kind":"lead","start":"2024-07-10","source":"event","event":"ev1","visibility":"staff"},
        {"id":"t3","from":"a","to":"c","kind":"knowledge","start":"2024-04-15","source":"event","visibility":"staff"},
        {"id":"t4","from":"c","to":"d","kind":"knowledge","start":"2024-04-15","source":"event","visibility":"staff"}
      ],
      "outcomes": [
        {"id":"o1","org":"a","kind":"contact_kept","date":"2024-07-10","partner":"b","visibility":"private"},
        {"id":"o2","org":"a","kind":"lead","date":"2024-08-01","visibility":"private"}
      ]
    }"#,
    )
    .unwrap()
}

fn series(data: &Dataset) -> Vec<KpiRow> {
    kpis(
        data,
        &KpiOptions {
            initiative: Some(InitiativeId::new("i1")),
            from: Some(d("2024-01-01")),
            to: Some(d("2025-03-31")),
            by: Granularity::Quarter,
        },
    )
    .unwrap()
}

/// (numerator, denominator) of a KPI per quarter 2024-Q1..2025-Q1.
fn parts(rows: &[KpiRow], kpi: &str) -> Vec<(f64, Option<f64>)> {
    rows.iter()
        .filter(|r| r.kpi == kpi)
        .map(|r| (r.numerator, r.denominator))
        .collect()
}

#[test]
fn tie_formed_and_confirmed_counts_once_as_formed_and_once_as_kept() {
    let rows = series(&registry());
    assert_eq!(rows.len(), 5 * KPI_NAMES.len());
    // a-b formed in Q1 (t2 is its confirmation, not a new tie); a-c and c-d in Q2.
    let formed: Vec<f64> = parts(&rows, "ties_formed").iter().map(|p| p.0).collect();
    assert_eq!(formed, [1.0, 2.0, 0.0, 0.0, 0.0]);
    // Kept at 6 months: a-b confirmed on its 6-month mark (1 of 1); a-c, c-d unconfirmed.
    let kept6 = parts(&rows, "ties_kept_6m");
    assert_eq!(kept6[0], (1.0, Some(1.0)));
    assert_eq!(kept6[1], (0.0, Some(2.0)));
    // At 12 months a-b (mark 2025-01-10) has no evidence; Q2's marks fall after the range.
    let kept12 = parts(&rows, "ties_kept_12m");
    assert_eq!(kept12[0], (0.0, Some(1.0)));
    assert_eq!(kept12[1], (0.0, Some(0.0)));
    assert!(
        rows.iter()
            .any(|r| r.kpi == "ties_kept_12m" && r.period == "2024-Q2" && r.value.is_none())
    );
}

#[test]
fn activity_and_tie_shares_per_quarter() {
    let rows = series(&registry());
    assert_eq!(parts(&rows, "members")[0], (4.0, None));
    let engaged = parts(&rows, "members_engaged");
    assert_eq!(
        engaged[..4],
        [
            (3.0, Some(4.0)),
            (3.0, Some(4.0)),
            (3.0, Some(4.0)),
            (0.0, Some(4.0))
        ]
    );
    let reached: Vec<f64> = parts(&rows, "new_orgs_reached")
        .iter()
        .map(|p| p.0)
        .collect();
    assert_eq!(reached, [3.0, 2.0, 0.0, 0.0, 0.0]);
    let attendance: Vec<f64> = parts(&rows, "attendance").iter().map(|p| p.0).collect();
    assert_eq!(attendance, [3.0, 4.0, 2.0, 0.0, 0.0]);
    // Q1: a (firm 33) - b (firm 54): cross-sector, international, internal.
    // Q2: a-c and c-d: firm-university both, DE-DE both, c-d external (d is not a member).
    assert_eq!(
        parts(&rows, "cross_sector_tie_share")[..2],
        [(1.0, Some(1.0)), (2.0, Some(2.0))]
    );
    assert_eq!(
        parts(&rows, "international_tie_share")[..2],
        [(1.0, Some(1.0)), (0.0, Some(2.0))]
    );
    assert_eq!(
        parts(&rows, "external_tie_share")[..2],
        [(0.0, Some(1.0)), (1.0, Some(2.0))]
    );
    assert_eq!(parts(&rows, "outcomes_contact_kept")[2], (1.0, None));
    assert_eq!(parts(&rows, "outcomes_total")[2], (2.0, None));
    // Member firms a, b, e: only b exports; it serves one country besides its own.
    assert_eq!(parts(&rows, "firms_exporting")[0], (1.0, Some(3.0)));
    assert_eq!(parts(&rows, "countries_served")[0], (1.0, None));
    assert_eq!(parts(&rows, "export_intensity")[0], (0.3, Some(1.0)));
}

#[test]
fn yearly_series_and_bad_options() {
    let data = registry();
    let rows = kpis(
        &data,
        &KpiOptions {
            initiative: Some(InitiativeId::new("i1")),
            from: Some(d("2024-01-01")),
            to: Some(d("2025-03-31")),
            by: Granularity::Year,
        },
    )
    .unwrap();
    assert_eq!(parts(&rows, "ties_formed"), [(3.0, None), (0.0, None)]);
    let unknown = KpiOptions {
        initiative: Some(InitiativeId::new("nope")),
        ..KpiOptions::default()
    };
    assert_eq!(
        kpis(&data, &unknown),
        Err(Error::UnknownInitiative("nope".into()))
    );
    let reversed = KpiOptions {
        from: Some(d("2025-01-01")),
        to: Some(d("2024-01-01")),
        ..KpiOptions::default()
    };
    assert!(matches!(
        kpis(&data, &reversed),
        Err(Error::EmptyRange { .. })
    ));
    assert_eq!(
        kpis(&Dataset::default(), &KpiOptions::default()),
        Err(Error::NoData)
    );
}

#[test]
fn alerts_key_person_attend_only_and_missed_target() {
    let data = registry();
    let targets = [Target {
        initiative: InitiativeId::new("i1"),
        kpi: "ties_formed".into(),
        value: 3.0,
        by: d("2024-12-31"),
        terminate_below: Some(0.5),
    }];
    let opts = AlertOptions {
        initiative: Some(InitiativeId::new("i1")),
        as_of: Some(d("2025-03-31")),
        ..AlertOptions::default()
    };
    let got = alerts(&data, &targets, &opts).unwrap();
    let kinds: Vec<(&str, &str)> = got.iter().map(|a| (a.kind, a.subject.as_str())).collect();
    // ties_formed in 2025-Q1 is 0 < 3 after the target date; 0 < 0.5 too.
    // e attended ev1..ev3 always as pe (key person) and never connected (attend only).
    // a attended three events but through two people and has ties: no alert.
    assert_eq!(
        kinds,
        [
            ("kpi_missed", "ties_formed"),
            ("termination_criterion", "ties_formed"),
            ("key_person", "e"),
            ("attend_only", "e"),
        ]
    );
    let bad = [Target {
        kpi: "happiness".into(),
        ..targets[0].clone()
    }];
    assert!(matches!(
        alerts(&data, &bad, &opts),
        Err(Error::UnknownKpi { .. })
    ));
}

#[test]
fn off_track_against_the_straight_line() {
    let data = registry();
    // ties_formed: 1 in 2024-Q1, 2 in Q2; as of 2024-06-30 the line from 1 (Q1 end) to 10
    // (2024-12-31) is at 1 + 9 * 91/275 = 3.98 at Q2's end, above 2: off track.
    let targets = [Target {
        initiative: InitiativeId::new("i1"),
        kpi: "ties_formed".into(),
        value: 10.0,
        by: d("2024-12-31"),
        terminate_below: None,
    }];
    let opts = AlertOptions {
        initiative: Some(InitiativeId::new("i1")),
        as_of: Some(d("2024-06-30")),
        ..AlertOptions::default()
    };
    let got = alerts(&data, &targets, &opts).unwrap();
    let off = got.iter().find(|a| a.kind == "kpi_off_track").unwrap();
    assert_eq!(off.value, Some(2.0));
    let expected = 1.0 + 9.0 * 91.0 / 275.0;
    assert!((off.threshold.unwrap() - expected).abs() < 1e-9, "{off:?}");
}

#[test]
fn key_person_alert_needs_a_single_person() {
    let mut data = registry();
    // Once someone else from e attends, e no longer depends on pe alone.
    data.attendance.push(
        serde_json::from_str(r#"{"event":"ev3","org":"e","person":"pa2","role":"attendee"}"#)
            .unwrap(),
    );
    let opts = AlertOptions {
        initiative: Some(InitiativeId::new("i1")),
        as_of: Some(d("2025-03-31")),
        ..AlertOptions::default()
    };
    let got = alerts(&data, &[], &opts).unwrap();
    assert!(!got.iter().any(|a| a.kind == "key_person"), "{got:?}");
    assert!(
        got.iter()
            .any(|a| a.kind == "attend_only" && a.subject == "e")
    );
}

#[test]
fn followups_are_planned_once_per_org_source_and_delay() {
    let data = registry();
    let planned = plan_followups(&data, &[1, 6], d("2024-07-10"), None, &HashSet::new());
    // ev1 (a, b, e) at 1 and 6 months (due 2024-02-10 and 2024-07-10); ev2 (a, c, d, e) at 1.
    assert_eq!(planned.len(), 10);
    assert_eq!(planned[0].id, "fu:event:ev1:a:1m");
    assert_eq!(planned[0].due, d("2024-02-10"));
    let existing: HashSet<String> = planned.iter().map(|p| p.id.clone()).collect();
    assert!(plan_followups(&data, &[1, 6], d("2024-07-10"), None, &existing).is_empty());

    let fu = planned
        .iter()
        .find(|p| p.id == "fu:event:ev1:a:6m")
        .unwrap();
    let rec = answer_records(
        fu,
        "sale".parse().unwrap(),
        Some(OrgId::new("b")),
        Some(4),
        Some(3),
        d("2024-07-12"),
    )
    .unwrap();
    let tie = rec.tie.unwrap();
    assert_eq!(
        (tie.from.as_str(), tie.to.as_str(), tie.start),
        ("a", "b", d("2024-07-12"))
    );
    assert_eq!((tie.trust, tie.strength), (Some(4), Some(3)));
    assert_eq!(rec.outcome.tie, Some(tie.id.clone()));
    assert_eq!(rec.outcome.event.as_ref().map(|e| e.as_str()), Some("ev1"));
    // Dated before the event, a tie without a partner, a trust of 7: refused.
    assert!(
        answer_records(
            fu,
            Answer::Sale,
            Some(OrgId::new("b")),
            None,
            None,
            d("2024-01-09")
        )
        .is_err()
    );
    assert!(answer_records(fu, Answer::Sale, None, None, None, d("2024-07-12")).is_err());
    assert!(
        answer_records(
            fu,
            Answer::Sale,
            Some(OrgId::new("b")),
            Some(7),
            None,
            d("2024-07-12")
        )
        .is_err()
    );
    let nothing =
        answer_records(fu, Answer::NothingYet, None, None, None, d("2024-07-12")).unwrap();
    assert!(nothing.tie.is_none());
    assert!("maybe".parse::<Answer>().is_err());
}

#[test]
fn motivation_table_suppresses_cells_of_one_firm() {
    let data = registry();
    let cells = motivation_table(&data, Some(&InitiativeId::new("i1")), None, None, 3).unwrap();
    let cell = |m: &str, k: &str| {
        cells
            .iter()
            .find(|c| c.motivation.to_string() == m && c.outcome_kind.to_string() == k)
            .unwrap()
    };
    // Three members want leads (a, b, e); only a got a lead: a cell of one firm, suppressed.
    let lead = cell("leads", "lead");
    assert!(lead.suppressed);
    assert_eq!(lead.members, None);
    assert_eq!(lead.members_with_motivation, Some(3));
    assert_eq!(cell("leads", "sale").members, Some(0));
    // Only e wants information: the whole row is suppressed, zeros included.
    assert!(cell("information", "advice").suppressed);
    assert_eq!(cell("information", "advice").members_with_motivation, None);
    // With k = 1 nothing is hidden.
    let open = motivation_table(&data, Some(&InitiativeId::new("i1")), None, None, 1).unwrap();
    assert!(open.iter().all(|c| !c.suppressed));
    let per_member = member_motivations(&data, Some(&InitiativeId::new("i1")), None, None).unwrap();
    let a = per_member.iter().find(|r| r.org.as_str() == "a").unwrap();
    assert_eq!((a.matching_outcomes, a.all_outcomes, a.met), (1, 2, true));
    assert_eq!(a.kinds_received, "contact_kept;lead");
}

#[test]
fn benchmark_self_assessment_and_report() {
    let data = registry();
    let rows = benchmark(&data, Some(d("2024-01-01")), Some(d("2024-12-31"))).unwrap();
    let get = |i: &str, k: &str| {
        rows.iter()
            .find(|r| r.initiative.as_str() == i && r.kpi == k)
            .unwrap()
    };
    assert_eq!(get("i1", "ties_formed").numerator, 3.0);
    assert_eq!(get("i1", "ties_formed").per_member, Some(0.75));
    // i2 has no events; its only member d has one tie (c-d, c not an i2 member: still touches d).
    assert_eq!(get("i2", "events").numerator, 0.0);
    assert_eq!(get("i2", "ties_formed").numerator, 1.0);

    let sa = self_assessment(
        &data,
        Some(&InitiativeId::new("i1")),
        None,
        Some(d("2024-12-31")),
    )
    .unwrap();
    let members = sa
        .iter()
        .find(|r| r.indicator == "number of members")
        .unwrap();
    assert_eq!(members.value, "4");
    assert!(sa.iter().any(|r| r.answered_from == "by_hand"));

    let series = series(&data);
    let cells = motivation_table(&data, None, None, None, 3).unwrap();
    let html = report_html(&ReportInput {
        title: "Sensors <&> Co",
        as_of: "2025-03-31",
        kpis: &series,
        charted: &["ties_formed", "members_engaged"],
        motivation: &cells,
        k: 3,
        alerts: &[],
        targets: &[],
        network: None,
    });
    assert!(html.contains("Sensors &lt;&amp;&gt; Co"));
    assert!(!html.contains("<&>"));
    assert_eq!(html.matches("<svg").count(), 2);
    assert!(!html.contains("http://") || html.matches("http://").count() == 2); // svg xmlns only
}
