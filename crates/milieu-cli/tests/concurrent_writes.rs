//! Two `milieu` processes writing the same event's meeting requests and the same topic's votes
//! at once, on SQLite and (when MILIEU_TEST_PG_URL is set) PostgreSQL: every request and vote
//! is kept, and a request or vote both processes make is written once, the other process
//! answering exit code 2. Nothing but the databases' primary keys coordinates the processes.

use milieu_model::*;
use std::collections::BTreeSet;
use std::process::Command;
use std::sync::{Arc, Barrier};

/// Writes each process makes of its own (requests and votes, one invocation each).
const PER_WRITER: usize = 6;
const WRITERS: usize = 2;
/// The organisation both processes request a meeting with and vote for the topic as.
const CONTESTED: &str = "o99";

fn org(i: usize) -> String {
    format!("o{i}")
}

/// The organisations writer `w` acts for.
fn writer_orgs(w: usize) -> Vec<String> {
    (0..PER_WRITER)
        .map(|i| org(2 + w * PER_WRITER + i))
        .collect()
}

/// A brokerage event attended by o1, every writer's organisations and the contested one; a
/// topic proposed by o1.
fn registry() -> Dataset {
    let date = parse_date("2026-03-10").unwrap();
    let mut ids = vec![org(1), CONTESTED.to_string()];
    ids.extend((0..WRITERS).flat_map(writer_orgs));
    Dataset {
        organisations: ids
            .iter()
            .map(|id| Organisation::new(id.as_str(), format!("Firm {id}"), OrgKind::Firm))
            .collect(),
        events: vec![Event {
            id: EventId::new("e1"),
            kind: EventKind::BrokerageEvent,
            title: "Meet the buyers".into(),
            date,
            end_date: None,
            region: None,
            topics: Vec::new(),
            organiser: None,
            initiative: None,
        }],
        attendance: ids
            .iter()
            .map(|id| Attendance {
                event: EventId::new("e1"),
                org: Some(OrgId::new(id.as_str())),
                person: None,
                role: AttendanceRole::Attendee,
            })
            .collect(),
        topic_requests: vec![TopicRequest {
            id: TopicRequestId::new("tr1"),
            org: OrgId::new(org(1)),
            topic: "Hydrogen storage".into(),
            date,
            initiative: None,
            votes: Vec::new(),
        }],
        ..Dataset::default()
    }
}

/// Runs milieu on `db`; returns (exit code, stdout + stderr).
fn milieu(db: &str, args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_milieu"))
        .args(["--db", db])
        .args(args)
        .env_remove("MILIEU_DB")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

/// What one writer process did: exit codes of the contested request and vote.
struct WriterReport {
    contested_request: i32,
    contested_vote: i32,
}

/// Writer `w`: its own organisations each ask o1 for a meeting and vote for the topic, then
/// the contested request and vote, one `milieu` process per write.
fn writer(db: &str, w: usize, start: &Barrier) -> WriterReport {
    start.wait();
    for from in writer_orgs(w) {
        let (code, out) = milieu(db, &["event", "requests", "add", "e1", &from, &org(1)]);
        assert_eq!(code, 0, "request of {from}: {out}");
        let (code, out) = milieu(db, &["topic", "vote", "tr1", "--org", &from]);
        assert_eq!(code, 0, "vote of {from}: {out}");
    }
    let (contested_request, out) =
        milieu(db, &["event", "requests", "add", "e1", CONTESTED, &org(1)]);
    assert!(
        contested_request == 0 || out.contains("already asked"),
        "{out}"
    );
    let (contested_vote, out) = milieu(db, &["topic", "vote", "tr1", "--org", CONTESTED]);
    assert!(
        contested_vote == 0 || out.contains("already voted"),
        "{out}"
    );
    WriterReport {
        contested_request,
        contested_vote,
    }
}

fn two_writers_lose_nothing(db: &str) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("registry.json");
    std::fs::write(&file, serde_json::to_string(&registry()).unwrap()).unwrap();
    let (code, out) = milieu(db, &["import", "dataset", file.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");

    let start = Arc::new(Barrier::new(WRITERS));
    let handles: Vec<_> = (0..WRITERS)
        .map(|w| {
            let (db, start) = (db.to_string(), start.clone());
            std::thread::spawn(move || writer(&db, w, &start))
        })
        .collect();
    let reports: Vec<WriterReport> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    for (what, codes) in [
        (
            "contested request",
            reports
                .iter()
                .map(|r| r.contested_request)
                .collect::<Vec<_>>(),
        ),
        (
            "contested vote",
            reports.iter().map(|r| r.contested_vote).collect(),
        ),
    ] {
        let mut sorted = codes.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, [0, 2], "{what}: exactly one process writes it");
    }

    let mut expected: BTreeSet<String> = (0..WRITERS).flat_map(writer_orgs).collect();
    expected.insert(CONTESTED.to_string());
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (requests, topic) = runtime.block_on(async {
        let store = milieu_store::open(db).await.unwrap();
        let requests = store.meeting_requests("e1").await.unwrap();
        let topic = store.get::<TopicRequest>("tr1").await.unwrap().unwrap();
        (requests, topic)
    });
    assert_eq!(requests.len(), expected.len(), "{requests:?}");
    let requesters: BTreeSet<String> = requests.iter().map(|r| r.from.clone()).collect();
    assert_eq!(requesters, expected);
    assert!(requests.iter().all(|r| r.to == org(1)));
    assert_eq!(topic.votes.len(), expected.len(), "{:?}", topic.votes);
    let voters: BTreeSet<String> = topic.votes.iter().map(|v| v.to_string()).collect();
    assert_eq!(voters, expected);
}

#[test]
fn two_processes_on_sqlite_lose_no_request_and_no_vote() {
    let dir = tempfile::tempdir().unwrap();
    two_writers_lose_nothing(dir.path().join("shared.db").to_str().unwrap());
}

#[test]
fn two_processes_on_postgres_lose_no_request_and_no_vote() {
    let url = match std::env::var("MILIEU_TEST_PG_URL") {
        Ok(url) if !url.is_empty() => url,
        _ => {
            eprintln!("skipped PostgreSQL: MILIEU_TEST_PG_URL is not set");
            return;
        }
    };
    // A fresh schema, created and migrated here; the processes reach it by the search path.
    let schema = format!(
        "twoproc_{}_{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
            % 1_000_000_000
    );
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        milieu_store::PgStore::open(&url, Some(&schema))
            .await
            .unwrap();
    });
    let separator = if url.contains('?') { '&' } else { '?' };
    two_writers_lose_nothing(&format!("{url}{separator}options[search_path]={schema}"));
}
