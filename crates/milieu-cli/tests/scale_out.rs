//! Scale-out: two `milieu serve` processes on one database, as behind a load balancer. A
//! write through either is read at once through the other, and simultaneous topic votes and
//! meeting requests through both lose nothing (no lock lives in one server's memory). Runs on
//! a SQLite file and, when `MILIEU_TEST_PG_URL` names a server, on PostgreSQL in a fresh
//! schema.

use milieu_model::{Attendance, Event, EventKind};
use std::collections::{BTreeSet, HashMap};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const PASSWORD: &str = "scale-out-password";
/// Member accounts that vote, one per organisation.
const VOTERS: usize = 8;
/// Meeting requests sent at once, half through each server.
const REQUESTS: usize = 24;

fn milieu(db: &str, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_milieu"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("MILIEU_PASSWORD", PASSWORD)
        .output()
        .expect("milieu runs");
    assert!(
        out.status.success(),
        "milieu {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A `milieu serve` process, stopped when dropped.
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(db: &str) -> Server {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port");
    let child = Command::new(env!("CARGO_BIN_EXE_milieu"))
        .arg("--db")
        .arg(db)
        .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("milieu serve starts");
    let mut server = Server { child, port };
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(Some(status)) = server.child.try_wait() {
            panic!("milieu serve exited early with {status}");
        }
        if let Ok(reply) = http(port, "GET", "/login", &[], None)
            && reply.status == 200
        {
            return server;
        }
        assert!(Instant::now() < deadline, "milieu serve did not answer");
        std::thread::sleep(Duration::from_millis(100));
    }
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

/// One HTTP/1.1 request on a new connection (`Connection: close`), enough for a test.
fn http(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> std::io::Result<Reply> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(60)))?;
    let mut request =
        format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
    for (k, v) in headers {
        request.push_str(&format!("{k}: {v}\r\n"));
    }
    if let Some(b) = body {
        request.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n",
            b.len()
        ));
    }
    request.push_str("\r\n");
    request.push_str(body.unwrap_or(""));
    stream.write_all(request.as_bytes())?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, rest) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let chunked = headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"));
    let body = if chunked {
        dechunk(rest)
    } else {
        rest.to_string()
    };
    Ok(Reply {
        status,
        headers,
        body,
    })
}

fn dechunk(mut rest: &str) -> String {
    let mut out = String::new();
    while let Some((size, tail)) = rest.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || tail.len() < n {
            break;
        }
        out.push_str(&tail[..n]);
        rest = tail[n..].trim_start_matches("\r\n");
    }
    out
}

/// A logged-in account on one server: its cookie and CSRF token.
#[derive(Clone)]
struct Session {
    port: u16,
    cookie: String,
    csrf: String,
}

fn login(port: u16, username: &str) -> Session {
    let body = serde_json::json!({"username": username, "password": PASSWORD}).to_string();
    let reply = http(port, "POST", "/api/login", &[], Some(&body)).unwrap();
    assert_eq!(reply.status, 200, "login {username}: {}", reply.body);
    let cookie = reply
        .headers
        .iter()
        .filter(|(k, _)| k == "set-cookie")
        .filter_map(|(_, v)| v.split(';').next())
        .collect::<Vec<_>>()
        .join("; ");
    let me: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    Session {
        port,
        cookie,
        csrf: me["csrf"].as_str().unwrap().to_string(),
    }
}

impl Session {
    fn get(&self, path: &str) -> Reply {
        http(self.port, "GET", path, &[("Cookie", &self.cookie)], None).unwrap()
    }

    fn post(&self, path: &str, body: &serde_json::Value) -> Reply {
        http(
            self.port,
            "POST",
            path,
            &[("Cookie", &self.cookie), ("X-CSRF-Token", &self.csrf)],
            Some(&body.to_string()),
        )
        .unwrap()
    }
}

fn block_on<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

/// A brokerage event of the demo, its participants and the pairs already requested.
fn brokerage_event(db: &str) -> (String, Vec<String>, BTreeSet<(String, String)>) {
    block_on(async {
        let store = milieu_store::open(db).await.unwrap();
        let events: Vec<Event> = store.load().await.unwrap();
        let attendance: Vec<Attendance> = store.load().await.unwrap();
        let mut participants: HashMap<String, BTreeSet<String>> = HashMap::new();
        for a in &attendance {
            if let Some(org) = &a.org {
                participants
                    .entry(a.event.to_string())
                    .or_default()
                    .insert(org.to_string());
            }
        }
        let event = events
            .iter()
            .filter(|e| e.kind == EventKind::BrokerageEvent)
            .map(|e| e.id.to_string())
            .max_by_key(|id| participants.get(id).map_or(0, BTreeSet::len))
            .expect("the demo has a brokerage event");
        let orgs: Vec<String> = participants[&event].iter().cloned().collect();
        let requested = store
            .meeting_requests(&event)
            .await
            .unwrap()
            .into_iter()
            .map(|r| (r.from, r.to))
            .collect();
        (event, orgs, requested)
    })
}

fn run_against(db: &str) {
    milieu(db, &["demo", "--orgs", "80", "--seed", "3"]);
    milieu(db, &["user", "add", "boss", "--role", "manager"]);
    let orgs: Vec<String> = (1..=VOTERS + 1).map(|i| format!("o{i}")).collect();
    for (i, org) in orgs.iter().enumerate() {
        milieu(
            db,
            &[
                "user",
                "add",
                &format!("m{i}"),
                "--role",
                "member",
                "--org",
                org,
            ],
        );
    }
    let servers = [serve(db), serve(db)];
    let ports = [servers[0].port, servers[1].port];

    // A write through one server is read at once through the other, both ways.
    let staff = [login(ports[0], "boss"), login(ports[1], "boss")];
    for (writer, reader, id) in [(0, 1, "scale-a"), (1, 0, "scale-b")] {
        let created = staff[writer].post(
            "/api/orgs",
            &serde_json::json!({"id": id, "name": format!("Scale {id}"), "kind": "firm"}),
        );
        assert_eq!(created.status, 201, "{}", created.body);
        let read = staff[reader].get(&format!("/api/orgs/{id}"));
        assert_eq!(
            read.status, 200,
            "{id} through the other server: {}",
            read.body
        );
        assert!(read.body.contains(&format!("Scale {id}")));
    }

    // Topic votes: one member proposes, the others vote at once, alternating servers.
    let proposer = login(ports[0], "m0");
    let topic = proposer.post(
        "/api/topics",
        &serde_json::json!({"topic": "Scale-out testing in practice"}),
    );
    assert_eq!(topic.status, 201, "{}", topic.body);
    let topic: serde_json::Value = serde_json::from_str(&topic.body).unwrap();
    let topic_id = topic["id"].as_str().unwrap().to_string();
    let voters: Vec<Session> = (1..=VOTERS)
        .map(|i| login(ports[i % 2], &format!("m{i}")))
        .collect();
    let barrier = std::sync::Barrier::new(voters.len());
    std::thread::scope(|s| {
        for v in &voters {
            let (barrier, topic_id) = (&barrier, &topic_id);
            s.spawn(move || {
                barrier.wait();
                let r = v.post(
                    &format!("/api/topics/{topic_id}/vote"),
                    &serde_json::json!({}),
                );
                assert!(r.status < 300, "vote: {} {}", r.status, r.body);
            });
        }
    });
    let topics: serde_json::Value =
        serde_json::from_str(&staff[1].get("/api/topics").body).unwrap();
    let votes = topics
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == topic_id.as_str())
        .map(|t| t["votes"].as_u64().unwrap());
    // The proposer's own vote and one from each voter.
    assert_eq!(votes, Some(VOTERS as u64 + 1), "votes lost");

    // Meeting requests: new pairs of one event sent at once through both servers.
    let (event, participants, requested) = brokerage_event(db);
    let mut pairs = Vec::new();
    'outer: for a in &participants {
        for b in &participants {
            if a != b && !requested.contains(&(a.clone(), b.clone())) {
                pairs.push((a.clone(), b.clone()));
                if pairs.len() == REQUESTS {
                    break 'outer;
                }
            }
        }
    }
    assert_eq!(pairs.len(), REQUESTS, "the event has enough participants");
    let barrier = std::sync::Barrier::new(pairs.len());
    std::thread::scope(|s| {
        for (i, (from, to)) in pairs.iter().enumerate() {
            let (barrier, event, session) = (&barrier, &event, &staff[i % 2]);
            s.spawn(move || {
                barrier.wait();
                let r = session.post(
                    &format!("/api/events/{event}/requests"),
                    &serde_json::json!({"from": from, "to": to, "priority": 2}),
                );
                assert_eq!(r.status, 201, "request {from} -> {to}: {}", r.body);
            });
        }
    });
    let stored: BTreeSet<(String, String)> = block_on(async {
        let store = milieu_store::open(db).await.unwrap();
        store
            .meeting_requests(&event)
            .await
            .unwrap()
            .into_iter()
            .map(|r| (r.from, r.to))
            .collect()
    });
    for pair in &pairs {
        assert!(stored.contains(pair), "request {pair:?} lost");
    }
    assert!(requested.is_subset(&stored), "earlier requests lost");
    assert_eq!(stored.len(), requested.len() + REQUESTS);
}

#[test]
fn two_servers_on_one_sqlite_file_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("scale.db");
    run_against(db.to_str().unwrap());
}

#[test]
fn two_servers_on_one_postgres_database_lose_nothing() {
    let Ok(url) = std::env::var("MILIEU_TEST_PG_URL") else {
        eprintln!("skipped: MILIEU_TEST_PG_URL is not set (PostgreSQL scale-out)");
        return;
    };
    // A fresh schema, named in the URL's search path so that every process uses it.
    let schema = format!(
        "scale_{}_{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or(0)
    );
    block_on(async {
        milieu_store::PgStore::open(&url, Some(&schema))
            .await
            .expect("PostgreSQL reachable");
    });
    let separator = if url.contains('?') { '&' } else { '?' };
    let db = format!("{url}{separator}options=-c%20search_path%3D{schema}");
    run_against(&db);
}
