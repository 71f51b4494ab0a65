//! Opportunities, their routing and digests through HTTP: the team sees every routed member,
//! a member only itself, a funder no routing.

mod common;

use axum::http::StatusCode;
use common::TestApp;
use milieu_app::access::Role;

/// Text as the templates print it (minijinja's HTML escaping).
fn html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#x27;")
        .replace('/', "&#x2f;")
}

#[tokio::test]
async fn every_account_lists_opportunities_with_deadline_kind_and_eligibility() {
    let t = TestApp::demo(120).await;
    let data = t.store.dataset().await.unwrap();
    let mut funder = t.client(Role::Funder).await;
    let r = funder.get("/api/opportunities").await;
    assert_eq!(r.status, StatusCode::OK);
    let l = r.json();
    assert_eq!(
        l["total"].as_u64().unwrap() as usize,
        data.opportunities.len()
    );
    let first = &l["opportunities"][0];
    for field in ["id", "kind", "title", "deadline", "eligibility", "open"] {
        assert!(!first[field].is_null(), "{field}");
    }
    let calls = funder.get("/api/opportunities?kind=call").await.json();
    assert!(
        calls["opportunities"]
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o["kind"] == "call")
    );
    assert_eq!(
        funder.get("/api/opportunities?kind=lottery").await.status,
        StatusCode::BAD_REQUEST
    );
    let page = funder.get("/opportunities").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<th scope=\"col\">Deadline</th>"));
    assert_eq!(
        funder.get("/api/opportunities/nope").await.status,
        StatusCode::NOT_FOUND
    );
}

/// An opportunity the team's routing sends to several members, one of them maybe the demo
/// member; with its routed members.
async fn routed_opportunity(t: &TestApp) -> (String, Vec<(String, String)>) {
    let data = t.store.dataset().await.unwrap();
    let mut broker = t.client(Role::Broker).await;
    let mut best: Option<(String, Vec<(String, String)>)> = None;
    for o in data.opportunities.iter().take(40) {
        let d = broker.get(&format!("/api/opportunities/{}", o.id)).await;
        assert_eq!(d.status, StatusCode::OK, "{}", d.body);
        let d = d.json();
        assert!(d["mine"].is_null());
        let routed: Vec<(String, String)> = d["routed"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["org"].as_str().unwrap().to_string(),
                    r["org_name"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        if routed.len() >= 2 && best.as_ref().is_none_or(|b| b.1.len() < routed.len()) {
            best = Some((o.id.to_string(), routed));
        }
    }
    best.expect("some opportunity is routed to two members or more")
}

#[tokio::test]
async fn a_member_sees_only_whether_an_opportunity_is_routed_to_itself() {
    let t = TestApp::demo(150).await;
    let (id, routed) = routed_opportunity(&t).await;
    let mut member = t.client(Role::Member).await;
    let r = member.get(&format!("/api/opportunities/{id}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let d = r.json();
    assert!(d["routed"].is_null(), "members never get the routed list");
    assert_eq!(d["mine"]["org"], t.member_org.as_str());
    let page = member.get(&format!("/opportunities/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("Routed members"));
    assert!(page.body.contains("For your organisation"));
    for (org, name) in routed.iter().filter(|(o, _)| *o != t.member_org) {
        assert!(!r.body.contains(&format!("\"{org}\"")), "{org} leaked");
        assert!(!page.body.contains(&html(name)), "{name} leaked");
        assert!(
            !page.body.contains(&format!("/orgs/{org}\"")),
            "{org} leaked"
        );
    }
    // A funder sees the opportunity without routing.
    let mut funder = t.client(Role::Funder).await;
    let d = funder.get(&format!("/api/opportunities/{id}")).await.json();
    assert!(d["routed"].is_null() && d["mine"].is_null());
    let page = funder.get(&format!("/opportunities/{id}")).await;
    for (_, name) in &routed {
        assert!(
            !page.body.contains(&html(name)),
            "{name} leaked to a funder"
        );
    }
    // The team sees every routed member with reasons.
    let mut manager = t.client(Role::Manager).await;
    let page = manager.get(&format!("/opportunities/{id}")).await;
    assert!(page.body.contains("Routed members"));
    for (_, name) in &routed {
        assert!(page.body.contains(&html(name)), "{name}");
    }
}

#[tokio::test]
async fn digests_are_the_members_own() {
    let t = TestApp::demo(120).await;
    let data = t.store.dataset().await.unwrap();
    let other = data
        .organisations
        .iter()
        .find(|o| o.id.as_str() != t.member_org)
        .unwrap()
        .id
        .to_string();
    let mut member = t.client(Role::Member).await;
    let r = member
        .get("/api/opportunities/digest?include_closed=true")
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let d = r.json();
    assert_eq!(d["org"], t.member_org.as_str());
    assert!(d["today"].is_null());
    let r = member
        .get("/api/opportunities/digest?today=2020-01-01")
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["today"], "2020-01-01");
    for url in [
        format!("/api/opportunities/digest?org={other}"),
        format!("/opportunities/digest?org={other}"),
    ] {
        assert_eq!(
            member.get(&url).await.status,
            StatusCode::FORBIDDEN,
            "{url}"
        );
    }
    assert_eq!(
        member.get("/opportunities/digest").await.status,
        StatusCode::OK
    );
    let mut funder = t.client(Role::Funder).await;
    assert_eq!(
        funder.get("/api/opportunities/digest").await.status,
        StatusCode::FORBIDDEN
    );
    let mut broker = t.client(Role::Broker).await;
    let r = broker
        .get(&format!(
            "/api/opportunities/digest?org={other}&include_closed=true"
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["org"], other.as_str());
    assert_eq!(
        broker.get("/api/opportunities/digest").await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        broker
            .get("/api/opportunities/digest?org=o1&today=someday")
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    // The staff page asks for the member without one.
    let page = broker.get("/opportunities/digest").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Member id"));
}

#[tokio::test]
async fn the_api_operations_are_documented() {
    let t = TestApp::demo(40).await;
    let mut c = t.client(Role::Funder).await;
    let doc = c.get("/api/openapi.json").await.json();
    for path in [
        "/api/opportunities",
        "/api/opportunities/{id}",
        "/api/opportunities/digest",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} missing");
    }
}
