//! Events, topic requests and brokerage (meeting requests, scheduler, agendas) through HTTP.

mod common;

use axum::http::StatusCode;
use common::{Client, TestApp};
use milieu_app::access::Role;
use milieu_model::{Attendance, AttendanceRole, Dataset, EventId, OrgId, OrgKind, Organisation};

/// Text as the templates print it (minijinja's HTML escaping).
fn html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#x27;")
        .replace('/', "&#x2f;")
}

/// Creates brokerage event `bx` (through the API, as the manager) attended by the demo member,
/// three other organisations and a firm whose name needs escaping in iCalendar. Returns the
/// three others' ids and the escaped firm's id.
async fn brokerage_event(t: &TestApp) -> (Vec<String>, String) {
    let mut manager = t.client(Role::Manager).await;
    let r = manager
        .post_json(
            "/api/events",
            &serde_json::json!({"id": "bx", "kind": "brokerage_event", "title": "Supplier day",
                "date": "2026-03-10", "topics": ["batteries"]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let data = t.store.dataset().await.unwrap();
    let others: Vec<String> = data
        .organisations
        .iter()
        .filter(|o| o.id.as_str() != t.member_org)
        .take(3)
        .map(|o| o.id.to_string())
        .collect();
    let odd = Organisation::new("o-odd", "Comma, Semi; Back\\slash Ltd", OrgKind::Firm);
    let mut attendance: Vec<Attendance> = others
        .iter()
        .chain([&t.member_org, &"o-odd".to_string()])
        .map(|o| Attendance {
            event: EventId::new("bx"),
            org: Some(OrgId::new(o.clone())),
            person: None,
            role: AttendanceRole::Attendee,
        })
        .collect();
    attendance.sort_by(|a, b| a.org.cmp(&b.org));
    t.store
        .import(&Dataset {
            organisations: vec![odd],
            ..Dataset::default()
        })
        .await
        .unwrap();
    t.store
        .import(&Dataset {
            attendance,
            ..Dataset::default()
        })
        .await
        .unwrap();
    (others, "o-odd".to_string())
}

async fn schedule(c: &mut Client<'_>) -> serde_json::Value {
    let r = c
        .post_json(
            "/api/events/bx/schedule",
            &serde_json::json!({"slots": ["09:00/20x6"], "tables": 4, "time_limit": 0.5}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()
}

#[tokio::test]
async fn the_event_list_filters_and_pages() {
    let t = TestApp::demo(120).await;
    let mut c = t.client(Role::Funder).await;
    let all = c.get("/api/events").await;
    assert_eq!(all.status, StatusCode::OK);
    let all = all.json();
    let total = all["total"].as_u64().unwrap();
    assert!(total > 50, "the demo has many events");
    assert_eq!(all["events"].as_array().unwrap().len(), 50);
    let page2 = c.get("/api/events?page=2").await.json();
    assert_eq!(page2["page"], 2);
    assert_ne!(page2["events"][0]["id"], all["events"][0]["id"]);
    let workshops = c.get("/api/events?kind=workshop&year=").await.json();
    assert!(workshops["total"].as_u64().unwrap() > 0);
    assert!(
        workshops["events"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["kind"] == "workshop")
    );
    let year: String = all["events"][0]["date"].as_str().unwrap()[..4].to_string();
    let in_year = c.get(&format!("/api/events?year={year}")).await.json();
    assert!(
        in_year["events"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["date"].as_str().unwrap().starts_with(&year))
    );
    // The vocabulary's own code reaches the client.
    let r = c.get("/api/events?kind=picnic").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.json()["code"], "model.unknown_word");
    let page = c.get("/events?kind=workshop").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<caption>"));
    assert!(page.body.contains("Next</a>") || workshops["total"].as_u64().unwrap() <= 50);
    // Details with attendance linking organisations.
    let id = all["events"][0]["id"].as_str().unwrap();
    let d = c.get(&format!("/events/{id}")).await;
    assert_eq!(d.status, StatusCode::OK);
    assert!(
        d.body.contains("href=\"/orgs/"),
        "attendance links organisations"
    );
    assert_eq!(
        c.get("/api/events/no-such-event").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn editors_create_and_edit_events_and_others_may_not() {
    let t = TestApp::demo(60).await;
    let body = serde_json::json!({"kind": "workshop", "title": "Sensors 101", "date": "2026-05-04",
        "topics": ["sensors"]});
    for role in [Role::Broker, Role::Member, Role::Funder] {
        let mut c = t.client(role).await;
        let r = c.post_json("/api/events", &body).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{role}");
        assert_eq!(c.get("/events/new").await.status, StatusCode::FORBIDDEN);
    }
    let mut m = t.client(Role::Manager).await;
    let r = m.post_json("/api/events", &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_str().unwrap().to_string();
    // A bad date is a 400 on the form, shown again with the message.
    let r = m
        .post_form(
            "/events",
            &[("kind", "workshop"), ("title", "Bad"), ("date", "tomorrow")],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("class=\"error\""));
    // The form edits it; without the CSRF token nothing changes.
    let fields = [
        ("kind", "conference"),
        ("title", "Sensors 102"),
        ("date", "2026-05-05"),
        ("topics", "sensors; optics"),
    ];
    let mut forged: Vec<(&str, &str)> = fields.to_vec();
    forged.push(("_csrf", "forged"));
    let r = m.post_form(&format!("/events/{id}/edit"), &forged).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = m.post_form(&format!("/events/{id}/edit"), &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let e = m.get(&format!("/api/events/{id}")).await.json();
    assert_eq!(e["event"]["title"], "Sensors 102");
    assert_eq!(e["event"]["kind"], "conference");
    assert_eq!(
        e["event"]["topics"],
        serde_json::json!(["sensors", "optics"])
    );
    let page = m.get(&format!("/events/{id}?notice=saved")).await;
    assert!(page.body.contains("class=\"notice\""));
    // A broker may not edit.
    let mut b = t.client(Role::Broker).await;
    let r = b.post_form(&format!("/events/{id}/edit"), &fields).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn members_request_meetings_for_themselves_and_see_only_their_own_requests() {
    let t = TestApp::demo(80).await;
    let (others, _) = brokerage_event(&t).await;
    let mut member = t.client(Role::Member).await;
    // Through the form, for its own organisation.
    let r = member
        .post_form(
            "/events/bx/requests",
            &[("to", &others[0]), ("priority", "3")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), Some("/events/bx?notice=requested"));
    // Not on behalf of another organisation, and not without the token.
    let r = member
        .post_json(
            "/api/events/bx/requests",
            &serde_json::json!({"from": others[1], "to": others[2]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = member
        .post_form(
            "/events/bx/requests",
            &[("to", &others[1]), ("_csrf", "nope")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // A second request of the same pair is refused as a conflict with its own code.
    let r = member
        .post_json(
            "/api/events/bx/requests",
            &serde_json::json!({"to": others[0]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.json()["code"], "app.already_requested");
    // The team records requests between others, and one addressed to the member.
    let mut broker = t.client(Role::Broker).await;
    for (from, to) in [
        (&others[1], &others[2]),
        (&others[2], &t.member_org),
        (&others[0], &others[1]),
    ] {
        let r = broker
            .post_json(
                "/api/events/bx/requests",
                &serde_json::json!({"from": from, "to": to, "priority": 2}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    let all = broker.get("/api/events/bx/requests").await.json();
    assert_eq!(all.as_array().unwrap().len(), 4);
    let mine = member.get("/api/events/bx/requests").await.json();
    let mine = mine.as_array().unwrap();
    assert_eq!(mine.len(), 2, "{mine:?}");
    assert!(
        mine.iter()
            .all(|r| r["from"] == t.member_org.as_str() || r["to"] == t.member_org.as_str())
    );
    let page = member.get("/events/bx").await;
    assert_eq!(page.status, StatusCode::OK);
    let data = t.store.dataset().await.unwrap();
    let name_of = |id: &str| {
        data.organisations
            .iter()
            .find(|o| o.id.as_str() == id)
            .unwrap()
            .name
            .clone()
    };
    // The page lists the member's requests, never the pair between two others.
    let requests_table = page
        .body
        .split("<h3>Meeting requests</h3>")
        .nth(1)
        .unwrap()
        .split("</table>")
        .next()
        .unwrap()
        .to_string();
    assert!(
        requests_table.contains(&html(&name_of(&others[0]))),
        "{requests_table}"
    );
    assert!(
        !requests_table.contains(&format!(
            "<td>{}</td><td>{}</td>",
            html(&name_of(&others[1])),
            html(&name_of(&others[2]))
        )),
        "{requests_table}"
    );
    let mut funder = t.client(Role::Funder).await;
    let seen = funder.get("/api/events/bx/requests").await.json();
    assert_eq!(seen.as_array().unwrap().len(), 0);
    let r = funder
        .post_json(
            "/api/events/bx/requests",
            &serde_json::json!({"to": others[0]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_team_schedules_and_members_see_only_their_own_agenda() {
    let t = TestApp::demo(80).await;
    let (others, odd) = brokerage_event(&t).await;
    let mut member = t.client(Role::Member).await;
    for to in [&others[0], &odd] {
        let r = member
            .post_json("/api/events/bx/requests", &serde_json::json!({"to": to}))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    let mut broker = t.client(Role::Broker).await;
    let r = broker
        .post_json(
            "/api/events/bx/requests",
            &serde_json::json!({"from": others[1], "to": others[2]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    // Only the team runs the scheduler; a form without the token is refused.
    let r = member
        .post_json("/api/events/bx/schedule", &serde_json::json!({}))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = broker
        .post_form("/events/bx/schedule", &[("_csrf", "forged")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let result = schedule(&mut broker).await;
    assert_eq!(result["meetings"], 3, "{result}");
    // The form works too and keeps the plan.
    let r = broker
        .post_form("/events/bx/schedule", &[("time_limit", "0.5")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let staff_view = broker.get("/api/events/bx/schedule").await.json();
    assert_eq!(staff_view["meetings"].as_array().unwrap().len(), 3);
    let member_view = member.get("/api/events/bx/schedule").await.json();
    let mine = member_view["meetings"].as_array().unwrap();
    assert_eq!(mine.len(), 2);
    assert_eq!(member_view["total_meetings"], 3);
    assert!(
        mine.iter()
            .all(|m| m["from"] == t.member_org.as_str() || m["to"] == t.member_org.as_str())
    );
    // The member's agenda: its own, by default and by its id; another's is refused everywhere.
    let a = member.get("/api/events/bx/agenda").await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(a.json()["meetings"].as_array().unwrap().len(), 2);
    let own = format!("/events/bx/agenda?org={}", t.member_org);
    assert_eq!(member.get(&own).await.status, StatusCode::OK);
    for url in [
        format!("/api/events/bx/agenda?org={}", others[1]),
        format!("/events/bx/agenda?org={}", others[1]),
        format!("/events/bx/agenda.ics?org={}", others[1]),
    ] {
        let r = member.get(&url).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{url}");
        assert!(!r.body.contains("BEGIN:VCALENDAR"));
    }
    let mut funder = t.client(Role::Funder).await;
    assert_eq!(
        funder
            .get(&format!("/api/events/bx/agenda?org={}", others[1]))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        funder.get("/api/events/bx/schedule").await.json()["meetings"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    // The team sees any participant's agenda, and the slot x table grid.
    let r = broker
        .get(&format!("/api/events/bx/agenda?org={}", others[1]))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["meetings"].as_array().unwrap().len(), 1);
    let page = broker.get("/events/bx").await;
    assert!(page.body.contains("Table 4"), "the grid shows every table");
    // The member's event page shows "my agenda" and no grid.
    let page = member.get("/events/bx").await;
    assert!(page.body.contains("My agenda"));
    assert!(!page.body.contains("Slots and tables"));
}

// On the server's multi-threaded runtime (the scheduler runs in `block_in_place` there).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_agenda_downloads_as_valid_icalendar() {
    let t = TestApp::demo(80).await;
    let (others, odd) = brokerage_event(&t).await;
    let mut member = t.client(Role::Member).await;
    for to in [&others[0], &odd] {
        member
            .post_json("/api/events/bx/requests", &serde_json::json!({"to": to}))
            .await;
    }
    let mut broker = t.client(Role::Broker).await;
    schedule(&mut broker).await;
    let r = member
        .get(&format!("/events/bx/agenda.ics?org={}", t.member_org))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        r.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    let ics = r.body;
    // Every line ends with CRLF, none is longer than 75 octets, no bare LF.
    assert!(ics.ends_with("\r\n"));
    for line in ics.split("\r\n") {
        assert!(!line.contains('\n'), "bare LF in {line:?}");
        assert!(line.len() <= 75, "unfolded line {line:?}");
    }
    let unfolded = ics.replace("\r\n ", "");
    let lines: Vec<&str> = unfolded.split("\r\n").collect();
    assert_eq!(lines[0], "BEGIN:VCALENDAR");
    assert!(lines.contains(&"VERSION:2.0"));
    assert!(lines.iter().any(|l| l.starts_with("PRODID:")));
    assert_eq!(lines.iter().rev().nth(1), Some(&"END:VCALENDAR"));
    let events = lines.iter().filter(|l| **l == "BEGIN:VEVENT").count();
    assert_eq!(events, 2);
    assert_eq!(lines.iter().filter(|l| **l == "END:VEVENT").count(), 2);
    for prop in ["UID:", "DTSTAMP:", "DTSTART:", "DTEND:", "SUMMARY:"] {
        assert_eq!(
            lines.iter().filter(|l| l.starts_with(prop)).count(),
            2,
            "{prop}"
        );
    }
    let uids: std::collections::HashSet<&&str> =
        lines.iter().filter(|l| l.starts_with("UID:")).collect();
    assert_eq!(uids.len(), 2, "UIDs are unique");
    assert!(
        lines
            .iter()
            .filter(|l| l.starts_with("DTSTAMP:"))
            .all(|l| l.len() == "DTSTAMP:20260310T090000Z".len() && l.ends_with('Z'))
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("DTSTART:20260310T09") || l.starts_with("DTSTART:20260310T1"))
    );
    // Text is escaped: commas, semicolons and backslashes.
    assert!(
        unfolded.contains("SUMMARY:Meeting with Comma\\, Semi\\; Back\\\\slash Ltd"),
        "{unfolded}"
    );
}

#[tokio::test]
async fn topic_votes_count_once_per_organisation() {
    let t = TestApp::demo(60).await;
    let mut member = t.client(Role::Member).await;
    let r = member
        .post_form("/topics", &[("topic", "Hydrogen storage <b>now</b>")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let topics = member.get("/api/topics").await.json();
    let mine = topics
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["topic"] == "Hydrogen storage <b>now</b>")
        .unwrap()
        .clone();
    assert_eq!(mine["votes"], 1, "the proposer's vote is implied");
    assert_eq!(mine["voted"], true);
    let page = member.get("/topics").await;
    assert!(page.body.contains(&html("Hydrogen storage <b>now</b>")));
    assert!(!page.body.contains("<b>now</b>"));
    // Voting for one's own topic is a second vote of the same organisation: refused.
    let id = mine["id"].as_str().unwrap();
    let r = member
        .post_json(&format!("/api/topics/{id}/vote"), &serde_json::json!({}))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.json()["code"], "app.already_voted");
    // A topic of another organisation: one vote counts, the second does not.
    let other = topics
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["voted"] == false)
        .expect("the demo has topic requests of other members")
        .clone();
    let (oid, before) = (
        other["id"].as_str().unwrap(),
        other["votes"].as_u64().unwrap(),
    );
    let r = member
        .post_form(&format!("/topics/{oid}/vote"), &[("_csrf", "forged")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = member.post_form(&format!("/topics/{oid}/vote"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = member.post_form(&format!("/topics/{oid}/vote"), &[]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let after = member.get("/api/topics").await.json();
    let now = after
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == oid)
        .unwrap();
    assert_eq!(now["votes"].as_u64().unwrap(), before + 1);
    assert_eq!(now["voted"], true);
    // Accounts without an organisation neither propose nor vote.
    for role in [Role::Manager, Role::Funder] {
        let mut c = t.client(role).await;
        let r = c
            .post_json(&format!("/api/topics/{oid}/vote"), &serde_json::json!({}))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{role}");
        let r = c
            .post_json("/api/topics", &serde_json::json!({"topic": "x"}))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{role}");
    }
    // The form without the token proposes nothing.
    let n = after.as_array().unwrap().len();
    let r = member
        .post_form("/topics", &[("topic", "Forged"), ("_csrf", "x")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        member
            .get("/api/topics")
            .await
            .json()
            .as_array()
            .unwrap()
            .len(),
        n
    );
}

#[tokio::test]
async fn the_api_operations_are_documented() {
    let t = TestApp::demo(40).await;
    let mut c = t.client(Role::Funder).await;
    let doc = c.get("/api/openapi.json").await.json();
    for path in [
        "/api/events",
        "/api/events/{id}",
        "/api/events/{id}/requests",
        "/api/events/{id}/schedule",
        "/api/events/{id}/agenda",
        "/api/topics",
        "/api/topics/{id}/vote",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} missing");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn simultaneous_votes_of_many_members_are_all_counted() {
    let t = TestApp::demo(120).await;
    let data = t.store.dataset().await.unwrap();
    let topic = data.topic_requests[0].clone();
    // Eight firms that neither proposed nor voted for the topic, each with a member account.
    let voters: Vec<String> = data
        .organisations
        .iter()
        .filter(|o| o.kind == OrgKind::Firm && o.id != topic.org && !topic.votes.contains(&o.id))
        .take(8)
        .map(|o| o.id.to_string())
        .collect();
    assert_eq!(voters.len(), 8);
    let mut clients = Vec::new();
    for (i, org) in voters.iter().enumerate() {
        let name = format!("voter{i}");
        milieu_app::access::add_user(
            &t.store,
            &name,
            common::PASSWORD,
            Role::Member,
            Some(org),
            "2026-11-24T00:00:00Z",
        )
        .await
        .unwrap();
        let mut c = t.anonymous();
        let r = c
            .post_json(
                "/api/login",
                &serde_json::json!({"username": name, "password": common::PASSWORD}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK);
        c.csrf = r.json()["csrf"].as_str().unwrap().to_string();
        clients.push(c);
    }
    let uri = format!("/api/topics/{}/vote", topic.id);
    let replies = futures_join(clients.iter_mut().map(|c| {
        let uri = uri.clone();
        async move { c.post_json(&uri, &serde_json::json!({})).await.status }
    }))
    .await;
    assert!(replies.iter().all(|s| *s == StatusCode::OK), "{replies:?}");
    let stored = t
        .store
        .get::<milieu_model::TopicRequest>(topic.id.as_str())
        .await
        .unwrap()
        .unwrap();
    for org in &voters {
        assert!(
            stored.votes.iter().any(|v| v.as_str() == org),
            "{org}'s vote was lost"
        );
    }
    assert_eq!(stored.votes.len(), topic.votes.len() + voters.len());
}

/// Runs the futures concurrently (spawned on the runtime's worker threads).
async fn futures_join<F, T>(futures: impl Iterator<Item = F>) -> Vec<T>
where
    F: std::future::Future<Output = T>,
{
    let mut set = Vec::new();
    for f in futures {
        set.push(f);
    }
    let mut out = Vec::new();
    let mut pinned: Vec<std::pin::Pin<Box<F>>> = set.into_iter().map(Box::pin).collect();
    // Poll all until done: a minimal join_all without another dependency.
    let mut results: Vec<Option<T>> = (0..pinned.len()).map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (i, f) in pinned.iter_mut().enumerate() {
            if results[i].is_none() {
                match f.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => results[i] = Some(v),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    for r in results {
        out.extend(r);
    }
    out
}

/// Regression: the command line's agendas (`milieu event agendas`) and the web's download
/// wrote the same meeting with different UIDs, so a participant importing both got every
/// meeting twice. Both now come from milieu-schedule's one writer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_line_and_the_web_calendar_give_a_meeting_one_uid() {
    let t = TestApp::demo(80).await;
    let (others, odd) = brokerage_event(&t).await;
    let mut member = t.client(Role::Member).await;
    for to in [&others[0], &odd] {
        member
            .post_json("/api/events/bx/requests", &serde_json::json!({"to": to}))
            .await;
    }
    let mut broker = t.client(Role::Broker).await;
    schedule(&mut broker).await;
    let uids = |ics: &str| -> std::collections::BTreeSet<String> {
        ics.replace("\r\n ", "")
            .split("\r\n")
            .filter_map(|l| l.strip_prefix("UID:"))
            .map(str::to_string)
            .collect()
    };
    let web = member
        .get(&format!("/events/bx/agenda.ics?org={}", t.member_org))
        .await;
    assert_eq!(web.status, StatusCode::OK, "{}", web.body);
    let web_uids = uids(&web.body);
    assert_eq!(web_uids.len(), 2, "{}", web.body);

    // What `milieu event agendas bx --out DIR` writes (crates/milieu-cli/src/cmd_schedule.rs).
    let (problem, stored) = milieu_app::schedule::stored_schedule(&t.store, "bx")
        .await
        .unwrap();
    let options = milieu_schedule::AgendaOptions {
        event_id: Some("bx".to_string()),
        ..Default::default()
    };
    let files = milieu_schedule::agendas(&problem, &stored, &options).unwrap();
    let file_of = |org: &str| {
        let name = format!("participants/{org}.ics");
        let (_, ics) = files
            .iter()
            .find(|(path, _)| *path == name)
            .unwrap_or_else(|| panic!("no {name} among the agenda files"));
        uids(ics)
    };
    assert_eq!(file_of(&t.member_org), web_uids);
    // The other participant's calendar names their meeting with the same UID.
    let theirs = file_of(&others[0]);
    assert_eq!(
        theirs.intersection(&web_uids).count(),
        1,
        "{theirs:?} {web_uids:?}"
    );
}
