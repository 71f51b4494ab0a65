//! Attacks through HTTP on the registry pages and API: SQL injection in every search and
//! filter field, stored XSS in every text a page shows, missing CSRF tokens, other roles'
//! pages and writes, and oversized uploads. Each proves both the answer and that the
//! database did not change.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{TestApp, form_encode};
use milieu_app::access::Role;

const INJECTIONS: &[&str] = &[
    "' OR 1=1 --",
    "\"; DROP TABLE organisations; --",
    "%",
    "_",
    "\\",
    "o1' OR '1'='1",
];

async fn counts(t: &TestApp) -> Vec<(milieu_model::EntityKind, usize)> {
    t.store.dataset().await.unwrap().counts()
}

fn enc(id: &str) -> String {
    milieu_web::auth::url_encode(id).replace('/', "%2F")
}

fn org_text(o: &milieu_model::Organisation) -> String {
    let mut s = format!(
        "{}\n{}\n{}\n{}\n{}",
        o.name, o.id, o.description, o.offers, o.requests
    );
    for k in &o.keywords {
        s.push('\n');
        s.push_str(k);
    }
    s.to_lowercase()
}

#[tokio::test]
async fn sql_injection_in_every_filter_returns_only_genuine_matches_and_changes_nothing() {
    let t = TestApp::demo(80).await;
    let mut admin = t.client(Role::Admin).await;
    // One organisation whose text holds the special characters, so `%` and `_` have exactly
    // one genuine match each among organisations that did not already contain them.
    let r = admin
        .post_json(
            "/api/orgs",
            &serde_json::json!({"id": "pct", "name": "Hundred % Recycled_Metals", "kind": "firm",
                "description": "back\\slash"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let before = counts(&t).await;
    let data = t.store.dataset().await.unwrap();

    for role in [Role::Admin, Role::Member, Role::Funder] {
        let mut c = t.client(role).await;
        for &bad in INJECTIONS {
            let v = form_encode(bad);
            // Free text: exactly the organisations whose text contains every word literally.
            let terms: Vec<String> = bad.split_whitespace().map(str::to_lowercase).collect();
            let want: Vec<&str> = data
                .organisations
                .iter()
                .filter(|o| {
                    let text = org_text(o);
                    terms.iter().all(|w| text.contains(w.as_str()))
                })
                .map(|o| o.id.as_str())
                .collect();
            let r = c.get(&format!("/api/orgs?q={v}&limit=1000")).await;
            assert_eq!(r.status, StatusCode::OK, "{role} q={bad}: {}", r.body);
            let j = r.json();
            assert_eq!(j["total"], want.len(), "{role} q={bad}");
            let mut got: Vec<&str> = j["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| o["id"].as_str().unwrap())
                .collect();
            got.sort();
            let mut want_sorted = want.clone();
            want_sorted.sort();
            assert_eq!(got, want_sorted, "{role} q={bad}");
            if bad == "%" || bad == "_" || bad == "\\" {
                assert!(got.contains(&"pct"), "{bad} finds the literal character");
                assert!(
                    got.len() < data.organisations.len(),
                    "{bad} is not a wildcard"
                );
            }
            // Exact filters: nothing has such a kind, region, country, size or sector.
            for field in ["kind", "sector", "region", "country", "size"] {
                let r = c.get(&format!("/api/orgs?{field}={v}")).await;
                assert_eq!(r.status, StatusCode::OK, "{role} {field}={bad}");
                assert_eq!(r.json()["total"], 0, "{role} {field}={bad}");
                let page = c.get(&format!("/orgs?{field}={v}")).await;
                assert_eq!(page.status, StatusCode::OK, "{role} /orgs {field}={bad}");
                assert!(
                    page.body.contains("<strong>0</strong>"),
                    "{role} /orgs {field}={bad}"
                );
            }
            let page = c.get(&format!("/orgs?q={v}")).await;
            assert_eq!(page.status, StatusCode::OK);
            assert!(
                page.body
                    .contains(&format!("<strong>{}</strong>", want.len())),
                "{role} /orgs q={bad}"
            );
            // Ties: organisation and kind filters match nothing; dates are checked as dates.
            for field in ["org", "kind"] {
                let r = c.get(&format!("/api/ties?{field}={v}")).await;
                assert_eq!(r.status, StatusCode::OK, "{role} ties {field}={bad}");
                assert_eq!(r.json()["total"], 0, "{role} ties {field}={bad}");
            }
            for field in ["from", "to"] {
                let r = c.get(&format!("/api/ties?{field}={v}")).await;
                assert_eq!(
                    r.status,
                    StatusCode::BAD_REQUEST,
                    "{role} ties {field}={bad}"
                );
                assert_eq!(r.json()["code"], "web.bad_input");
            }
            // People: name/id search and organisation filter.
            let want_people = data
                .people
                .iter()
                .filter(|p| {
                    let text = format!("{}\n{}", p.name, p.id).to_lowercase();
                    terms.iter().all(|w| text.contains(w.as_str()))
                })
                .count();
            let r = c.get(&format!("/api/people?q={v}&limit=1000")).await;
            assert_eq!(r.status, StatusCode::OK);
            assert_eq!(r.json()["total"], want_people, "{role} people q={bad}");
            let page = c.get(&format!("/people?q={v}")).await;
            assert_eq!(page.status, StatusCode::OK);
            let page = c.get(&format!("/people?org={v}")).await;
            assert_eq!(page.status, StatusCode::OK);
            assert!(page.body.contains("<strong>0</strong>"));
            // The path parameters too.
            assert_eq!(
                c.get(&format!("/api/orgs/{}", enc(bad))).await.status,
                StatusCode::NOT_FOUND
            );
            assert_eq!(
                c.get(&format!("/api/ties/{}", enc(bad))).await.status,
                StatusCode::NOT_FOUND
            );
            assert_eq!(
                c.get(&format!("/people/{}", enc(bad))).await.status,
                StatusCode::NOT_FOUND
            );
        }
    }
    assert_eq!(counts(&t).await, before, "the database is unchanged");
    // The organisations table is still there and whole.
    let orgs: Vec<milieu_model::Organisation> = t.store.load().await.unwrap();
    assert_eq!(orgs.len(), data.organisations.len());
}

const SCRIPT: &str = "<script>alert(1)</script>";
const IMG: &str = "\"><img src=x onerror=alert(1)>";

fn assert_escaped(page: &common::Reply, what: &str) {
    assert_eq!(page.status, StatusCode::OK, "{what}: {}", page.body);
    assert!(!page.body.contains(SCRIPT), "{what}: raw script tag");
    assert!(!page.body.contains("<img src=x"), "{what}: raw img tag");
    assert!(
        !page.body.contains("onerror=alert(1)>"),
        "{what}: raw handler"
    );
    assert!(
        page.body.contains("&lt;script&gt;"),
        "{what}: escaped text shown"
    );
}

#[tokio::test]
async fn stored_markup_is_escaped_on_every_page_that_shows_it() {
    let t = TestApp::demo(60).await;
    let mut admin = t.client(Role::Admin).await;
    let evil = format!("{SCRIPT}{IMG}");
    let r = admin
        .post_json(
            "/api/orgs",
            &serde_json::json!({"id": "xss", "name": evil, "kind": "firm", "city": evil,
                "description": evil, "offers": evil, "requests": evil, "keywords": [evil]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = admin
        .post_json(
            "/api/ties",
            &serde_json::json!({"from": "xss", "to": "o1", "kind": "alliance", "start": "2024-01-01",
                "visibility": "public", "note": evil}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let tie_id = r.json()["id"].as_str().unwrap().to_string();
    let c = admin.csrf.clone();
    let request = Request::builder()
        .method("POST")
        .uri("/api/import/people")
        .header(header::COOKIE, admin.cookie.clone().unwrap())
        .header("x-csrf-token", c)
        .header(header::CONTENT_TYPE, "text/csv")
        .body(Body::from(format!(
            "id,name,email\npx,\"{}\",x@example.org\n",
            evil.replace('"', "\"\"")
        )))
        .unwrap();
    let r = t.send(request).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = t
        .send(
            Request::builder()
                .method("POST")
                .uri("/api/import/affiliations")
                .header(header::COOKIE, admin.cookie.clone().unwrap())
                .header("x-csrf-token", admin.csrf.clone())
                .header(header::CONTENT_TYPE, "text/csv")
                .body(Body::from(
                    "person_id,org_id,from,to,role\npx,xss,2020-01-01,,<b>boss</b>\n",
                ))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    for role in [Role::Admin, Role::Member, Role::Funder] {
        let mut c = t.client(role).await;
        assert_escaped(&c.get("/orgs?q=alert").await, "org list");
        assert_escaped(&c.get("/orgs/xss").await, "profile");
        assert_escaped(&c.get("/orgs/o1").await, "partner's profile (tie note)");
        assert_escaped(&c.get(&format!("/ties/{}", enc(&tie_id))).await, "tie page");
        assert_escaped(&c.get("/people?q=alert").await, "people list");
        assert_escaped(&c.get("/people/px").await, "person page");
        let page = c.get("/people/px").await;
        assert!(!page.body.contains("<b>boss</b>"));
    }
    assert_escaped(&admin.get("/orgs/xss/edit").await, "edit form");
    // The form shows a bad value back escaped as well.
    let r = admin
        .post_form(
            "/orgs/new",
            &[
                ("id", "x2"),
                ("name", &evil),
                ("kind", "firm"),
                ("country", &evil),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(!r.body.contains(SCRIPT) && !r.body.contains("<img src=x"));
    // The import page shows the bad file's values escaped.
    let r = admin
        .post_multipart(
            "/import",
            &[("kind", "organisations")],
            "file",
            "evil<script>.csv",
            format!("id,name,kind,region,country,sectors\nz1,n,{},,,\n", SCRIPT).as_bytes(),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(!r.body.contains(SCRIPT) && !r.body.contains("evil<script>"));
    assert!(r.body.contains("&lt;script&gt;"));
}

#[tokio::test]
async fn writes_without_the_csrf_token_are_refused_and_change_nothing() {
    let t = TestApp::demo(60).await;
    let mut admin = t.client(Role::Admin).await;
    let before = counts(&t).await;
    let token = std::mem::take(&mut admin.csrf);

    let r = admin
        .post_json(
            "/api/orgs",
            &serde_json::json!({"id": "c1", "name": "C", "kind": "firm"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.json()["code"], "web.csrf_failed");
    let r = admin
        .send_json(
            "PUT",
            "/api/orgs/o1",
            &serde_json::json!({"id": "o1", "name": "Hijacked", "kind": "firm"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.json()["code"], "web.csrf_failed");
    let r = admin
        .post_json(
            "/api/ties",
            &serde_json::json!({"from": "o1", "to": "o2", "kind": "sale", "start": "2024-01-01"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.json()["code"], "web.csrf_failed");
    let r = t
        .send(
            Request::builder()
                .method("POST")
                .uri("/api/import/organisations")
                .header(header::COOKIE, admin.cookie.clone().unwrap())
                .header(header::CONTENT_TYPE, "text/csv")
                .body(Body::from(
                    "id,name,kind,region,country,sectors\nc2,C,firm,,,\n",
                ))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.json()["code"], "web.csrf_failed");

    // Forms with a forged token (pages answer with an HTML error page, same status).
    for (uri, fields) in [
        (
            "/orgs/new",
            vec![
                ("_csrf", "forged"),
                ("id", "c3"),
                ("name", "C"),
                ("kind", "firm"),
            ],
        ),
        (
            "/orgs/o1/edit",
            vec![("_csrf", "forged"), ("name", "Hijacked"), ("kind", "firm")],
        ),
        (
            "/ties",
            vec![
                ("_csrf", "forged"),
                ("from_id", "o1"),
                ("to_id", "o2"),
                ("kind", "sale"),
                ("start", "2024-01-01"),
            ],
        ),
    ] {
        let r = admin.post_form(uri, &fields).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{uri}");
        assert!(r.body.contains("web.csrf_failed"), "{uri}");
    }
    let r = admin
        .post_multipart(
            "/import",
            &[("_csrf", ""), ("kind", "organisations")],
            "file",
            "o.csv",
            b"id,name,kind,region,country,sectors\nc4,C,firm,,,\n",
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("web.csrf_failed"));

    assert_eq!(counts(&t).await, before);
    let o1: milieu_model::Organisation = t.store.get("o1").await.unwrap().unwrap();
    assert_ne!(o1.name, "Hijacked");
    admin.csrf = token;
}

#[tokio::test]
async fn members_and_funders_cannot_reach_the_editors_pages_or_writes() {
    let t = TestApp::demo(60).await;
    let before = counts(&t).await;
    for role in [Role::Member, Role::Funder] {
        let mut c = t.client(role).await;
        for uri in ["/orgs/new", "/import", "/orgs/o1/edit"] {
            let r = c.get(uri).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{role} {uri}");
        }
        let r = c
            .post_json(
                "/api/orgs",
                &serde_json::json!({"id": "m1", "name": "M", "kind": "firm"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{role}");
        assert_eq!(r.json()["code"], "web.forbidden");
        let r = c
            .send_json(
                "PUT",
                "/api/orgs/o1",
                &serde_json::json!({"id": "o1", "name": "Mine now", "kind": "firm"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = c
            .post_form(
                "/orgs/new",
                &[("id", "m2"), ("name", "M"), ("kind", "firm")],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = c
            .post_form("/orgs/o1/edit", &[("name", "Mine now"), ("kind", "firm")])
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
    }
    // A funder records no ties at all.
    let mut f = t.client(Role::Funder).await;
    let r = f
        .post_json(
            "/api/ties",
            &serde_json::json!({"from": "o1", "to": "o2", "kind": "sale", "start": "2024-01-01"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(counts(&t).await, before);
}

#[tokio::test]
async fn a_member_cannot_create_a_tie_between_two_other_firms() {
    let t = TestApp::demo(60).await;
    let data = t.store.dataset().await.unwrap();
    let others: Vec<&str> = data
        .organisations
        .iter()
        .map(|o| o.id.as_str())
        .filter(|id| *id != t.member_org)
        .take(2)
        .collect();
    let before = counts(&t).await;
    let mut m = t.client(Role::Member).await;
    let r = m
        .post_json(
            "/api/ties",
            &serde_json::json!({"from": others[0], "to": others[1], "kind": "alliance", "start": "2024-01-01",
                "visibility": "public"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert_eq!(r.json()["code"], "web.forbidden");
    let r = m
        .post_form(
            "/ties",
            &[
                ("from_id", others[0]),
                ("to_id", others[1]),
                ("kind", "alliance"),
                ("start", "2024-01-01"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(counts(&t).await, before);
    // The profile of another firm offers the member no tie form.
    let page = m.get(&format!("/orgs/{}", others[0])).await;
    assert!(!page.body.contains("action=\"/ties\""));
}

#[tokio::test]
async fn oversized_uploads_are_refused_with_413_and_nothing_is_written() {
    let t = TestApp::demo(60).await;
    let mut admin = t.client(Role::Admin).await;
    let before = counts(&t).await;
    // 2 MiB of valid rows.
    let mut csv = String::from("id,name,kind,region,country,sectors\n");
    let mut i = 0;
    while csv.len() < 2 * 1024 * 1024 {
        csv.push_str(&format!("big{i},Big Firm Number {i},firm,,,\n"));
        i += 1;
    }
    let r = admin
        .post_multipart(
            "/import",
            &[("kind", "organisations")],
            "file",
            "big.csv",
            csv.as_bytes(),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        &r.body[..r.body.len().min(300)]
    );
    let r = t
        .send(
            Request::builder()
                .method("POST")
                .uri("/api/import/organisations")
                .header(header::COOKIE, admin.cookie.clone().unwrap())
                .header("x-csrf-token", admin.csrf.clone())
                .header(header::CONTENT_TYPE, "text/csv")
                .body(Body::from(csv.clone()))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(r.json()["code"], "web.payload_too_large");
    assert_eq!(counts(&t).await, before);
}

#[tokio::test]
async fn sql_injection_in_event_opportunity_and_introduction_filters_changes_nothing() {
    let t = TestApp::demo(80).await;
    let before = counts(&t).await;
    let data = t.store.dataset().await.unwrap();
    // The literal-text rule each list applies: every word occurs in the record's text.
    let contains_all = |hay: String, bad: &str| {
        let hay = hay.to_lowercase();
        bad.split_whitespace()
            .all(|w| hay.contains(&w.to_lowercase()))
    };
    for role in [Role::Manager, Role::Member, Role::Funder] {
        let mut c = t.client(role).await;
        for &bad in INJECTIONS {
            let v = form_encode(bad);
            let want_events = data
                .events
                .iter()
                .filter(|e| {
                    contains_all(
                        format!(
                            "{} {} {}",
                            e.title,
                            e.topics.join(" "),
                            e.region.as_deref().unwrap_or("")
                        ),
                        bad,
                    )
                })
                .count();
            let r = c.get(&format!("/api/events?text={v}")).await;
            assert_eq!(
                r.status,
                StatusCode::OK,
                "{role} events text={bad}: {}",
                r.body
            );
            assert_eq!(r.json()["total"], want_events, "{role} events text={bad}");
            for field in ["kind", "initiative"] {
                let r = c.get(&format!("/api/events?{field}={v}")).await;
                // A kind is a closed word: refused as bad input, or matching nothing.
                assert!(
                    r.status == StatusCode::BAD_REQUEST
                        || (r.status == StatusCode::OK && r.json()["total"] == 0),
                    "{role} events {field}={bad}: {} {}",
                    r.status,
                    r.body
                );
            }
            let r = c.get(&format!("/api/events?year={v}")).await;
            assert_eq!(
                r.status,
                StatusCode::BAD_REQUEST,
                "{role} events year={bad}"
            );
            let page = c.get(&format!("/events?text={v}")).await;
            assert_eq!(page.status, StatusCode::OK, "{role} /events text={bad}");

            let want_opps = data
                .opportunities
                .iter()
                .filter(|o| contains_all(format!("{} {}", o.title, o.text), bad))
                .count();
            let r = c
                .get(&format!("/api/opportunities?text={v}&open=all"))
                .await;
            assert_eq!(
                r.status,
                StatusCode::OK,
                "{role} opps text={bad}: {}",
                r.body
            );
            assert!(
                r.json()["total"].as_u64().unwrap() <= want_opps as u64,
                "{role} opportunities text={bad}: more than the genuine matches"
            );
            let page = c.get(&format!("/opportunities?text={v}")).await;
            assert_eq!(
                page.status,
                StatusCode::OK,
                "{role} /opportunities text={bad}"
            );

            let r = c.get(&format!("/api/introductions?org={v}")).await;
            assert_eq!(r.status, StatusCode::OK, "{role} introductions org={bad}");
            assert_eq!(r.json()["total"], 0, "{role} introductions org={bad}");
            let r = c.get(&format!("/api/introductions?status={v}")).await;
            assert!(
                r.status == StatusCode::BAD_REQUEST
                    || (r.status == StatusCode::OK && r.json()["total"] == 0),
                "{role} introductions status={bad}: {}",
                r.status
            );
        }
    }
    assert_eq!(counts(&t).await, before, "nothing was written");
}
