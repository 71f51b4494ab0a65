//! One conformance suite for every store implementation: SQLite in a temp dir always, and
//! PostgreSQL when MILIEU_TEST_PG_URL names a server (each test in a schema of its own).

use milieu_model::*;
use milieu_store::*;

mod common;
use common::stores;

fn d(s: &str) -> Date {
    parse_date(s).unwrap()
}

fn sample() -> Dataset {
    let mut a = Organisation::new("a", "Alpha Instruments", OrgKind::Firm);
    a.sectors = vec![SectorCode::parse("339112").unwrap()];
    a.region = Some("R1".into());
    a.country = Some("DE".into());
    a.employees = Some(40);
    a.offers = "precision machining".into();
    let mut b = Organisation::new("b", "Beta University", OrgKind::University);
    b.sectors = vec![SectorCode::parse("nace:P85.4").unwrap()];
    b.region = Some("R1".into());
    let mut c = Organisation::new("c", "Gamma 100% Spin_off", OrgKind::Firm);
    c.parent = Some(OrgId::new("b"));
    c.region = Some("R2".into());
    let tie = Tie {
        id: TieId::new("t1"),
        from: OrgId::new("a"),
        to: OrgId::new("c"),
        kind: TieKind::Supplier,
        start: d("2023-01-01"),
        end: None,
        strength: Some(3),
        trust: Some(4),
        source: TieSource::Event,
        event: Some(EventId::new("e1")),
        introduction: None,
        visibility: Visibility::Private,
        note: String::new(),
    };
    Dataset {
        // c comes before b on purpose: references inside one batch need no order.
        organisations: vec![a, c, b],
        people: vec![Person {
            id: PersonId::new("p1"),
            name: "Ada".into(),
            email: None,
        }],
        affiliations: vec![Affiliation {
            person: PersonId::new("p1"),
            org: OrgId::new("b"),
            role: None,
            from: Some(d("2015-01-01")),
            to: Some(d("2020-01-01")),
        }],
        events: vec![Event {
            id: EventId::new("e1"),
            kind: EventKind::NetworkingMeeting,
            title: "Spring meeting".into(),
            date: d("2022-12-01"),
            end_date: None,
            region: None,
            topics: vec!["sensors".into()],
            organiser: Some(OrgId::new("b")),
            initiative: None,
        }],
        attendance: vec![Attendance {
            event: EventId::new("e1"),
            org: Some(OrgId::new("a")),
            person: None,
            role: AttendanceRole::Attendee,
        }],
        ties: vec![tie],
        ..Dataset::default()
    }
}

#[tokio::test]
async fn import_then_read_back_everything() {
    for (store, _dir) in stores().await {
        let data = sample();
        store.import(&data).await.unwrap();
        let back = store.dataset().await.unwrap();
        let mut orgs = data.organisations.clone();
        orgs.sort_by(|x, y| x.id.cmp(&y.id));
        assert_eq!(back.organisations, orgs, "{}", store.backend());
        assert_eq!(back.ties, data.ties);
        assert_eq!(back.affiliations, data.affiliations);
        assert_eq!(back.attendance, data.attendance);
        let counts = store.counts().await.unwrap();
        assert!(counts.contains(&(EntityKind::Organisation, 3)));
        assert!(counts.contains(&(EntityKind::Tie, 1)));
    }
}

#[tokio::test]
async fn a_failed_import_leaves_nothing_behind() {
    for (store, _dir) in stores().await {
        store.import(&sample()).await.unwrap();
        // A duplicate id in the second batch, after a valid new organisation.
        let mut second = Dataset::default();
        second
            .organisations
            .push(Organisation::new("d", "Delta", OrgKind::Agency));
        second
            .organisations
            .push(Organisation::new("a", "Alpha again", OrgKind::Firm));
        assert!(store.import(&second).await.is_err(), "{}", store.backend());
        assert_eq!(store.get::<Organisation>("d").await.unwrap(), None);
        // A dangling reference is refused by the deferred foreign key at commit.
        let mut third = Dataset::default();
        let mut e = Organisation::new("e", "Echo", OrgKind::Firm);
        e.parent = Some(OrgId::new("nobody"));
        third.organisations.push(e);
        assert!(store.import(&third).await.is_err());
        assert_eq!(store.get::<Organisation>("e").await.unwrap(), None);
    }
}

#[tokio::test]
async fn organisation_search_filters_and_escapes() {
    for (store, _dir) in stores().await {
        store.import(&sample()).await.unwrap();
        let find = |q: OrgQuery| {
            let store = store.clone();
            async move {
                store
                    .organisations(&q)
                    .await
                    .unwrap()
                    .into_iter()
                    .map(|o| o.id.0)
                    .collect::<Vec<_>>()
            }
        };
        let text = |t: &str| OrgQuery {
            text: Some(t.into()),
            ..OrgQuery::default()
        };
        assert_eq!(find(text("beta")).await, vec!["b"]);
        // Wildcards in the search text are literal characters.
        assert_eq!(find(text("100%")).await, vec!["c"]);
        assert_eq!(find(text("%")).await, vec!["c"]);
        assert_eq!(find(text("_")).await, vec!["c"]);
        assert_eq!(find(text("' OR 1=1 --")).await, Vec::<String>::new());
        let by_region = OrgQuery {
            region: Some("R1".into()),
            ..OrgQuery::default()
        };
        assert_eq!(find(by_region).await, vec!["a", "b"]);
        let by_sector = OrgQuery {
            sector: Some("3391".into()),
            ..OrgQuery::default()
        };
        assert_eq!(find(by_sector).await, vec!["a"]);
        let page = OrgQuery {
            limit: Some(1),
            offset: Some(1),
            ..OrgQuery::default()
        };
        assert_eq!(find(page).await, vec!["b"]);
    }
}

#[tokio::test]
async fn replace_and_existing_ids() {
    for (store, _dir) in stores().await {
        store.import(&sample()).await.unwrap();
        let mut a: Organisation = store.get("a").await.unwrap().unwrap();
        a.name = "Alpha Renamed".into();
        store.replace(&a).await.unwrap();
        assert_eq!(
            store.get::<Organisation>("a").await.unwrap().unwrap().name,
            "Alpha Renamed"
        );
        let ghost = Organisation::new("zz", "Ghost", OrgKind::Other);
        assert!(matches!(
            store.replace(&ghost).await,
            Err(StoreError::NotFound { .. })
        ));
        let ids: Vec<String> = ["a", "x", "c"].iter().map(|s| s.to_string()).collect();
        let found = store
            .existing_ids(EntityKind::Organisation, &ids)
            .await
            .unwrap();
        assert_eq!(found.len(), 2);
        assert!(found.contains("a") && found.contains("c"));
    }
}

#[tokio::test]
async fn bulk_import_spans_many_statements() {
    for (store, _dir) in stores().await {
        let mut data = Dataset::default();
        for i in 0..2345 {
            data.organisations.push(Organisation::new(
                format!("o{i}"),
                format!("Org {i}"),
                OrgKind::Firm,
            ));
        }
        store.import(&data).await.unwrap();
        let all: Vec<Organisation> = store.load().await.unwrap();
        assert_eq!(all.len(), 2345);
    }
}

#[tokio::test]
async fn clear_deletes_everything() {
    for (store, _dir) in stores().await {
        store.import(&sample()).await.unwrap();
        store.clear().await.unwrap();
        assert!(
            store.counts().await.unwrap().iter().all(|(_, n)| *n == 0),
            "{}",
            store.backend()
        );
        // The ids are free again.
        store.import(&sample()).await.unwrap();
    }
}

fn followup(id: &str, org: &str) -> FollowUpRecord {
    FollowUpRecord {
        id: id.into(),
        org: OrgId::new(org),
        source_kind: "event".into(),
        source_id: "e1".into(),
        source_date: d("2024-01-10"),
        partner: None,
        months: 1,
        due: d("2024-02-10"),
        status: "due".into(),
        sent_on: None,
        answered_on: None,
        answer: None,
        outcome: None,
    }
}

// ---- regional statistics (`milieu map`) ----

fn regional_table(name: &str, years: &[u16], regions: usize, industries: usize) -> RegionalTable {
    let code = |prefix: &str, i: usize| CodeName {
        code: format!("{prefix}{i:04}"),
        name: format!("{prefix} number {i}"),
    };
    let mut t = RegionalTable {
        name: name.into(),
        source: "test".into(),
        vintage: Some("2017".into()),
        regions: (0..regions).map(|i| code("r", i)).collect(),
        industries: (0..industries).map(|i| code("i", i)).collect(),
        ..RegionalTable::default()
    };
    for &year in years {
        for r in 0..regions as u32 {
            for i in 0..industries as u32 {
                let e = (year as u32 * 7 + r * 13 + i) % 97;
                t.rows.push(RegionalRow {
                    year,
                    region: r,
                    industry: i,
                    // Fractional values survive (bridged tables split employment).
                    employment: if i % 5 == 0 {
                        e as f64 + 0.25
                    } else {
                        e as f64
                    },
                    establishments: (i % 3 != 0).then_some((e % 7) as f64),
                    payroll: (i % 4 != 0).then_some(e as f64 * 41_000.0),
                });
            }
            t.totals.push(RegionalTotal {
                year,
                region: r,
                employment: 10_000.0 + r as f64,
                establishments: Some(300.0),
                payroll: None,
            });
        }
    }
    t
}

#[tokio::test]
async fn map_table_round_trips_and_filters_years() {
    for (store, _dir) in stores().await {
        // 2 x 30 x 80 = 4800 rows: several INSERT statements.
        let t = regional_table("cbp", &[2020, 2021], 30, 80);
        store.map_table_put(&t).await.unwrap();
        let back = store.map_table_get("cbp", None).await.unwrap().unwrap();
        assert_eq!(back, t, "{}", store.backend());
        let y = store
            .map_table_get("cbp", Some(&[2021]))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(y.rows.len(), 2400);
        assert!(y.rows.iter().all(|r| r.year == 2021));
        assert!(y.totals.iter().all(|r| r.year == 2021) && y.totals.len() == 30);
        assert_eq!(y.regions, t.regions);
        assert!(store.map_table_get("none", None).await.unwrap().is_none());
        let info = store.map_tables().await.unwrap();
        assert_eq!(info.len(), 1);
        assert_eq!(info[0].years, vec![2020, 2021]);
        assert_eq!(
            (info[0].regions, info[0].industries, info[0].rows),
            (30, 80, 4800)
        );
        assert_eq!(info[0].vintage.as_deref(), Some("2017"));
    }
}

#[tokio::test]
async fn followups_and_targets_round_trip_and_answer_atomically() {
    for (store, _dir) in stores().await {
        store.import(&sample()).await.unwrap();
        let fus = [followup("f1", "a"), followup("f2", "c")];
        assert_eq!(store.add_followups(&fus).await.unwrap(), 2);
        assert!(
            store.add_followups(&fus[..1]).await.is_err(),
            "duplicate id"
        );
        // A follow-up for an unknown organisation fails the deferred key: nothing written.
        assert!(store.add_followups(&[followup("f3", "zz")]).await.is_err());
        assert_eq!(store.followups().await.unwrap(), fus);

        let mut sent = fus[0].clone();
        sent.status = "sent".into();
        store
            .update_followups(std::slice::from_ref(&sent))
            .await
            .unwrap();
        assert_eq!(store.followups().await.unwrap()[0].status, "sent");
        assert!(
            store
                .update_followups(&[followup("nope", "a")])
                .await
                .is_err()
        );

        // An answer whose batch fails (outcome for an unknown org) leaves the follow-up as is.
        let mut answered = sent.clone();
        answered.status = "answered".into();
        let bad = Dataset {
            outcomes: vec![Outcome {
                id: OutcomeId::new("o9"),
                org: OrgId::new("zz"),
                kind: OutcomeKind::Lead,
                date: d("2024-02-11"),
                partner: None,
                tie: None,
                event: None,
                introduction: None,
                value: None,
                note: String::new(),
                visibility: Visibility::Private,
            }],
            ..Dataset::default()
        };
        assert!(store.answer_followup(&answered, &bad).await.is_err());
        assert_eq!(store.followups().await.unwrap()[0].status, "sent");
        let mut good = bad.clone();
        good.outcomes[0].org = OrgId::new("a");
        store.answer_followup(&answered, &good).await.unwrap();
        assert_eq!(store.followups().await.unwrap()[0].status, "answered");
        assert_eq!(store.dataset().await.unwrap().outcomes.len(), 1);

        let target = TargetRecord {
            initiative: InitiativeId::new("i1"),
            kpi: "ties_formed".into(),
            value: 3.0,
            by: d("2025-12-31"),
            terminate_below: Some(1.0),
        };
        assert!(
            store.add_target(&target).await.is_err(),
            "unknown initiative"
        );
        let mut ini = Dataset::default();
        ini.initiatives.push(Initiative {
            id: InitiativeId::new("i1"),
            name: "I".into(),
            cluster: None,
            region: None,
            started: None,
            ended: None,
            goals: vec![],
        });
        store.import(&ini).await.unwrap();
        store.add_target(&target).await.unwrap();
        assert_eq!(store.targets().await.unwrap(), [target]);
        store.clear().await.unwrap();
        assert!(store.followups().await.unwrap().is_empty());
        assert!(store.targets().await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn map_table_put_replaces_and_failed_put_changes_nothing() {
    for (store, _dir) in stores().await {
        let first = regional_table("t", &[2019], 3, 4);
        store.map_table_put(&first).await.unwrap();
        store
            .map_table_put(&regional_table("other", &[2019], 2, 2))
            .await
            .unwrap();
        // A table with the same (year, region, industry) twice is refused by the database.
        let mut bad = regional_table("t", &[2020, 2021], 3, 4);
        let dup = bad.rows[5];
        bad.rows.push(dup);
        assert!(store.map_table_put(&bad).await.is_err());
        assert_eq!(
            store.map_table_get("t", None).await.unwrap().unwrap(),
            first,
            "{}: a failed replace keeps the old table",
            store.backend()
        );
        let second = regional_table("t", &[2020, 2021], 5, 6);
        store.map_table_put(&second).await.unwrap();
        assert_eq!(
            store.map_table_get("t", None).await.unwrap().unwrap(),
            second
        );
        assert!(store.map_table_delete("t").await.unwrap());
        assert!(!store.map_table_delete("t").await.unwrap());
        let names: Vec<String> = store
            .map_tables()
            .await
            .unwrap()
            .into_iter()
            .map(|i| i.name)
            .collect();
        assert_eq!(names, vec!["other"]);
    }
}

#[tokio::test]
async fn map_definitions_keep_order_flags_and_subclusters() {
    for (store, _dir) in stores().await {
        let m = |industry: &str, cluster: &str, traded: Option<bool>, sub: Option<&str>| {
            ClusterMembership {
                industry: industry.into(),
                cluster_code: cluster.into(),
                cluster_name: format!("Cluster {cluster}"),
                traded,
                subcluster: sub.map(String::from),
            }
        };
        let set = DefinitionSet {
            name: "custom".into(),
            format: "generic".into(),
            vintage: Some("2012".into()),
            source: "defs.csv".into(),
            memberships: vec![
                m("336411", "B", Some(true), Some("aircraft")),
                m("111110", "A", Some(false), None),
                m("336411", "C", None, None),
            ],
        };
        store.map_definitions_put(&set).await.unwrap();
        assert_eq!(
            store.map_definitions_get("custom").await.unwrap().unwrap(),
            set
        );
        let info = store.map_definition_sets().await.unwrap();
        assert_eq!(info.len(), 1);
        assert_eq!((info[0].clusters, info[0].industries), (3, 2));
        // Replacing by name.
        let mut smaller = set.clone();
        smaller.memberships.truncate(1);
        store.map_definitions_put(&smaller).await.unwrap();
        assert_eq!(
            store.map_definitions_get("custom").await.unwrap().unwrap(),
            smaller
        );
        assert!(store.map_definitions_delete("custom").await.unwrap());
        assert!(store.map_definitions_get("custom").await.unwrap().is_none());
    }
}

#[tokio::test]
async fn map_concordance_and_hierarchy_round_trip() {
    for (store, _dir) in stores().await {
        let c = ConcordanceData {
            from: "2017".into(),
            to: "2012".into(),
            source: "crosswalk.csv".into(),
            pairs: vec![
                ("111110".into(), "111110".into()),
                ("423430".into(), "423430".into()),
                ("423430".into(), "443142".into()),
            ],
        };
        store.map_concordance_put(&c).await.unwrap();
        assert_eq!(
            store
                .map_concordance_get("2017", "2012")
                .await
                .unwrap()
                .unwrap(),
            c
        );
        assert!(
            store
                .map_concordance_get("2012", "2017")
                .await
                .unwrap()
                .is_none()
        );
        let info = store.map_concordances().await.unwrap();
        assert_eq!((info[0].codes, info[0].pairs), (2, 3));

        let e = |level: &str, region: &str, parent: &str| HierarchyEntry {
            level: level.into(),
            region: region.into(),
            parent: parent.into(),
            parent_name: format!("{parent} name"),
        };
        store
            .map_hierarchy_put(
                "cmp",
                &[
                    e("state", "01001", "01"),
                    e("state", "01003", "01"),
                    e("msa", "01001", "33860"),
                ],
            )
            .await
            .unwrap();
        store
            .map_hierarchy_put("bea", &[e("bea_ea", "01001", "76")])
            .await
            .unwrap();
        // Importing a level again replaces that level only.
        store
            .map_hierarchy_put("cmp2", &[e("state", "02013", "02")])
            .await
            .unwrap();
        let all = store.map_hierarchy_get().await.unwrap();
        assert_eq!(
            all,
            vec![
                e("bea_ea", "01001", "76"),
                e("msa", "01001", "33860"),
                e("state", "02013", "02")
            ]
        );
        let levels = store.map_hierarchy_levels().await.unwrap();
        assert_eq!(levels.len(), 3);
        assert_eq!(levels[2].source, "cmp2");
    }
}

fn request(from: &str, to: &str, priority: u32, must: bool) -> MeetingRequest {
    MeetingRequest {
        from: from.into(),
        to: to.into(),
        priority,
        status: "accepted".into(),
        must,
    }
}

#[tokio::test]
async fn meeting_requests_and_plans_are_replaced_per_event() {
    for (store, _dir) in stores().await {
        let b = store.backend();
        store.import(&sample()).await.unwrap();
        let first = vec![request("b", "a", 2, false), request("a", "c", 3, true)];
        assert_eq!(
            store.replace_meeting_requests("e1", &first).await.unwrap(),
            2
        );
        let back = store.meeting_requests("e1").await.unwrap();
        assert_eq!(back, vec![first[1].clone(), first[0].clone()], "{b}");
        // A second import replaces, it does not append.
        let second = vec![request("c", "b", 1, false)];
        store.replace_meeting_requests("e1", &second).await.unwrap();
        assert_eq!(store.meeting_requests("e1").await.unwrap(), second, "{b}");
        assert!(store.meeting_requests("e2").await.unwrap().is_empty());
        // Requests for an event that does not exist are refused and leave nothing behind.
        assert!(
            store
                .replace_meeting_requests("nope", &first)
                .await
                .is_err(),
            "{b}"
        );
        assert!(store.meeting_requests("nope").await.unwrap().is_empty());

        let slot = |id: &str, start: &str| MeetingSlot {
            id: id.into(),
            start: start.into(),
            minutes: 20,
            tables: 4,
        };
        let plan = MeetingPlan {
            slots: vec![
                slot("late", "2026-03-10T10:00"),
                slot("early", "2026-03-10T09:00"),
            ],
            participants: vec![MeetingParticipant {
                id: "a".into(),
                org: Some("a".into()),
                name: Some("Alpha".into()),
                available: Some(vec!["early".into()]),
                max_meetings: Some(3),
                role: "buyer".into(),
            }],
            meetings: vec![ScheduledMeeting {
                from: "a".into(),
                to: "c".into(),
                slot: "early".into(),
                table: 2,
            }],
        };
        store.save_meeting_plan("e1", &plan).await.unwrap();
        let back = store.meeting_plan("e1").await.unwrap();
        assert_eq!(back.slots[0].id, "early", "{b}: slots in time order");
        assert_eq!(back.slots.len(), 2);
        assert_eq!(back.participants, plan.participants);
        assert_eq!(back.meetings, plan.meetings);
        let mut smaller = plan.clone();
        smaller.slots.truncate(1);
        smaller.meetings.clear();
        store.save_meeting_plan("e1", &smaller).await.unwrap();
        let back = store.meeting_plan("e1").await.unwrap();
        assert_eq!((back.slots.len(), back.meetings.len()), (1, 0), "{b}");
        // Requests survive a new plan; clear() removes everything.
        assert_eq!(store.meeting_requests("e1").await.unwrap().len(), 1);
        store.clear().await.unwrap();
        assert!(store.meeting_requests("e1").await.unwrap().is_empty());
        assert!(store.meeting_plan("e1").await.unwrap().slots.is_empty());
    }
}

fn service(id: &str, kind: &str, answers: &[&str]) -> ServiceRecord {
    ServiceRecord {
        id: id.into(),
        name: format!("Service {id}"),
        kind: kind.into(),
        answers: answers.iter().map(|a| a.to_string()).collect(),
        initiative: None,
        provider: None,
        from: Some(d("2024-01-01")),
        to: None,
        description: String::new(),
    }
}

#[tokio::test]
async fn services_needs_and_uptake_round_trip_and_clear() {
    for (store, _dir) in stores().await {
        store.import(&sample()).await.unwrap();
        let s1 = service("s1", "training", &["skills"]);
        let s2 = service("s2", "matchmaking", &["partners", "intl_mobilising"]);
        assert_eq!(
            store.services_put(&[s2.clone(), s1.clone()]).await.unwrap(),
            2
        );
        assert_eq!(store.services().await.unwrap(), [s1.clone(), s2.clone()]);
        // Same id replaces.
        let mut s1b = s1.clone();
        s1b.name = "Training, new".into();
        store
            .services_put(std::slice::from_ref(&s1b))
            .await
            .unwrap();
        assert_eq!(store.services().await.unwrap(), [s1b.clone(), s2.clone()]);
        // An unknown initiative is refused and nothing is written.
        let mut bad = service("s3", "voucher", &[]);
        bad.initiative = Some(InitiativeId::new("nope"));
        assert!(
            store
                .services_put(&[service("s4", "other", &[]), bad])
                .await
                .is_err()
        );
        assert_eq!(
            store.services().await.unwrap().len(),
            2,
            "{}",
            store.backend()
        );

        let need = |org: &str, need: &str, date: &str| NeedRecord {
            org: OrgId::new(org),
            need: need.into(),
            assessed: d(date),
            priority: Some(3),
            note: String::new(),
        };
        let needs = [
            need("c", "skills", "2024-02-01"),
            need("a", "partners", "2024-02-01"),
        ];
        assert_eq!(store.needs_add(&needs).await.unwrap(), 2);
        // A repeated (org, need, date) or an unknown organisation: nothing written.
        assert!(
            store
                .needs_add(&[need("b", "funding", "2024-03-01"), needs[0].clone()])
                .await
                .is_err()
        );
        assert!(
            store
                .needs_add(&[need("zz", "funding", "2024-03-01")])
                .await
                .is_err()
        );
        assert_eq!(
            store.needs().await.unwrap(),
            [needs[1].clone(), needs[0].clone()],
            "{}",
            store.backend()
        );

        let use_ = |service: &str, org: &str, date: &str| UptakeRecord {
            service: service.into(),
            org: OrgId::new(org),
            date: d(date),
            note: String::new(),
        };
        let uses = [use_("s2", "a", "2024-05-01"), use_("s1", "c", "2024-04-01")];
        assert_eq!(store.uptake_add(&uses).await.unwrap(), 2);
        assert!(
            store
                .uptake_add(&[
                    use_("s1", "a", "2024-06-01"),
                    use_("nope", "a", "2024-06-01")
                ])
                .await
                .is_err(),
            "unknown service"
        );
        assert!(
            store
                .uptake_add(&[use_("s1", "zz", "2024-06-01")])
                .await
                .is_err()
        );
        assert_eq!(
            store.uptake().await.unwrap(),
            [uses[1].clone(), uses[0].clone()]
        );
        // Replacing an organisation keeps its needs and uptake.
        let mut a = store.get::<Organisation>("a").await.unwrap().unwrap();
        a.name = "Alpha renamed".into();
        store.replace(&a).await.unwrap();
        assert_eq!(store.uptake().await.unwrap().len(), 2);
        assert_eq!(store.needs().await.unwrap().len(), 2);

        store.clear().await.unwrap();
        assert!(store.services().await.unwrap().is_empty());
        assert!(store.needs().await.unwrap().is_empty());
        assert!(store.uptake().await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn one_meeting_request_is_added_once() {
    for (store, _dir) in stores().await {
        let b = store.backend();
        store.import(&sample()).await.unwrap();
        store
            .replace_meeting_requests("e1", &[request("b", "a", 2, false)])
            .await
            .unwrap();
        store
            .meeting_request_add("e1", &request("a", "c", 3, true))
            .await
            .unwrap();
        // The other direction of a pair is a request of its own.
        store
            .meeting_request_add("e1", &request("c", "a", 1, false))
            .await
            .unwrap();
        let repeat = store
            .meeting_request_add("e1", &request("a", "c", 1, false))
            .await;
        assert!(
            matches!(&repeat, Err(StoreError::Duplicate { kind: "meeting request", id }) if id.contains("from a to c")),
            "{b}: {repeat:?}"
        );
        let missing = store
            .meeting_request_add("nope", &request("a", "c", 1, false))
            .await;
        assert!(
            matches!(missing, Err(StoreError::NotFound { kind: "event", .. })),
            "{b}: {missing:?}"
        );
        assert_eq!(
            store.meeting_requests("e1").await.unwrap(),
            vec![
                request("a", "c", 3, true),
                request("b", "a", 2, false),
                request("c", "a", 1, false)
            ],
            "{b}: the refused repeat changed nothing"
        );
        assert!(store.meeting_requests("nope").await.unwrap().is_empty());
    }
}

fn topic(id: &str, org: &str, votes: &[&str]) -> TopicRequest {
    TopicRequest {
        id: TopicRequestId::new(id),
        org: OrgId::new(org),
        topic: "Sensor calibration".into(),
        date: d("2024-02-01"),
        initiative: None,
        votes: votes.iter().map(|v| OrgId::new(*v)).collect(),
    }
}

#[tokio::test]
async fn topic_votes_are_rows_read_back_into_the_record() {
    for (store, _dir) in stores().await {
        let b = store.backend();
        let mut data = sample();
        // Votes keep their order; a vote repeated in one record is one vote.
        data.topic_requests = vec![topic("tr1", "a", &["c", "b", "c"]), topic("tr2", "b", &[])];
        store.import(&data).await.unwrap();
        let votes = |t: &TopicRequest| t.votes.iter().map(|v| v.to_string()).collect::<Vec<_>>();
        let tr1 = store.get::<TopicRequest>("tr1").await.unwrap().unwrap();
        assert_eq!(votes(&tr1), ["c", "b"], "{b}");

        let before = store.generation().await.unwrap();
        store.topic_vote_add("tr2", "a").await.unwrap();
        store.topic_vote_add("tr2", "c").await.unwrap();
        assert!(
            store.generation().await.unwrap() > before,
            "{b}: a vote is a registry write"
        );
        let repeat = store.topic_vote_add("tr2", "a").await;
        assert!(
            matches!(&repeat, Err(StoreError::Duplicate { kind: "topic vote", id }) if id.contains("of a for tr2")),
            "{b}: {repeat:?}"
        );
        for (topic_id, org, kind) in [
            ("nope", "a", "topic request"),
            ("tr2", "nobody", "organisation"),
        ] {
            let missing = store.topic_vote_add(topic_id, org).await;
            assert!(
                matches!(&missing, Err(StoreError::NotFound { kind: k, .. }) if *k == kind),
                "{b}: {missing:?}"
            );
        }
        let all: Vec<TopicRequest> = store.load().await.unwrap();
        assert_eq!(
            all.iter().map(votes).collect::<Vec<_>>(),
            [vec!["c", "b"], vec!["a", "c"]],
            "{b}"
        );
        assert_eq!(store.dataset().await.unwrap().topic_requests, all);

        // A replaced record's votes are the record's.
        store.replace(&topic("tr1", "a", &["b"])).await.unwrap();
        let tr1 = store.get::<TopicRequest>("tr1").await.unwrap().unwrap();
        assert_eq!(votes(&tr1), ["b"], "{b}");
        store.clear().await.unwrap();
        assert!(store.load::<TopicRequest>().await.unwrap().is_empty());
    }
}
