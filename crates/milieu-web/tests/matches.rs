//! Partner suggestions and introductions through HTTP: who gets whose suggestions, the
//! introduce form, the introduction list and status updates.

mod common;

use axum::http::StatusCode;
use common::TestApp;
use milieu_app::access::Role;

/// Some organisation other than the member's.
fn other_org(t: &TestApp, data: &milieu_model::Dataset) -> String {
    data.organisations
        .iter()
        .find(|o| o.id.as_str() != t.member_org)
        .unwrap()
        .id
        .to_string()
}

#[tokio::test]
async fn members_get_suggestions_for_themselves_only_and_funders_none() {
    let t = TestApp::demo(120).await;
    let data = t.store.dataset().await.unwrap();
    let other = other_org(&t, &data);
    let mut member = t.client(Role::Member).await;
    let r = member.get("/api/matches?top=5").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let own = r.json();
    assert_eq!(own["org"], t.member_org.as_str());
    let rows = own["suggestions"].as_array().unwrap();
    assert!(!rows.is_empty() && rows.len() <= 5);
    assert!(
        rows.iter()
            .all(|s| !s["reasons"].as_array().unwrap().is_empty())
    );
    // Another organisation's suggestions, by URL or API: refused.
    let r = member.get(&format!("/api/matches?org={other}")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = member.get(&format!("/matches?org={other}")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Funders: no leads at all.
    let mut funder = t.client(Role::Funder).await;
    assert_eq!(
        funder.get("/api/matches").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        funder
            .get(&format!("/api/matches?org={}", t.member_org))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(funder.get("/matches").await.status, StatusCode::FORBIDDEN);
    // The team: any organisation; without one the API asks for it.
    let mut broker = t.client(Role::Broker).await;
    let r = broker
        .get(&format!("/api/matches?org={other}&purpose=suppliers"))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["purpose"], "suppliers");
    assert_eq!(
        broker.get("/api/matches").await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        broker
            .get("/api/matches?org=o1&purpose=picnic")
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn the_page_offers_introduce_to_the_team_and_asking_to_members() {
    let t = TestApp::demo(120).await;
    let mut broker = t.client(Role::Broker).await;
    let page = broker.get(&format!("/matches?org={}", t.member_org)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains(r#"<form class="introduce" method="post" action="/introductions">"#)
    );
    assert!(page.body.contains(">Introduce</button>"));
    assert!(
        page.body
            .contains(&format!("name=\"_csrf\" value=\"{}\"", broker.csrf))
    );
    let mut member = t.client(Role::Member).await;
    let page = member.get("/matches").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains(r#"<form class="introduce" method="post" action="/introductions">"#)
    );
    assert!(
        page.body
            .contains(">Ask the cluster team for an introduction</button>")
    );
    assert!(!page.body.contains(">Introduce</button>"));
}

#[tokio::test]
async fn an_introduction_made_through_the_form_reaches_staff_and_the_parties() {
    let t = TestApp::demo(120).await;
    let mut broker = t.client(Role::Broker).await;
    let s = broker
        .get(&format!("/api/matches?org={}&top=3", t.member_org))
        .await
        .json();
    let to = s["suggestions"][0]["candidate"]
        .as_str()
        .unwrap()
        .to_string();
    let via = s["suggestions"][0]["via"].as_str().unwrap().to_string();
    // Without the token: refused, nothing recorded.
    let before = t.store.dataset().await.unwrap().introductions.len();
    let r = broker
        .post_form(
            "/introductions",
            &[("from", &t.member_org), ("to", &to), ("_csrf", "forged")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = broker
        .post_form(
            "/introductions",
            &[
                ("from", &t.member_org),
                ("to", &to),
                ("via", &via),
                ("purpose", "alliance"),
                ("note", "battery housings"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let back = r.location().unwrap().to_string();
    assert!(back.starts_with("/matches?org="), "{back}");
    let page = broker.get(&back).await;
    assert!(page.body.contains("<p class=\"notice\""), "{}", page.body);
    let data = t.store.dataset().await.unwrap();
    assert_eq!(data.introductions.len(), before + 1);
    let made = data
        .introductions
        .iter()
        .find(|x| {
            x.from.as_str() == t.member_org
                && x.to.as_str() == to
                && x.note.contains("battery housings")
        })
        .unwrap();
    assert_eq!(made.status.to_string(), "made");
    assert!(made.note.contains("[match alliance:"), "{}", made.note);
    let id = made.id.to_string();
    // The team and the member (a party) see it; a funder does not (staff visibility).
    for role in [Role::Manager, Role::Member] {
        let mut c = t.client(role).await;
        let list = c
            .get(&format!("/api/introductions?org={}", t.member_org))
            .await
            .json();
        assert!(
            list["introductions"]
                .as_array()
                .unwrap()
                .iter()
                .any(|x| x["id"] == id.as_str()),
            "{role}"
        );
        let page = c.get("/introductions").await;
        assert!(page.body.contains("battery housings"), "{role}");
    }
    let mut funder = t.client(Role::Funder).await;
    let list = funder.get("/api/introductions").await.json();
    assert!(
        !list["introductions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["id"] == id.as_str())
    );
    assert!(
        !funder
            .get("/introductions")
            .await
            .body
            .contains("battery housings")
    );
}

#[tokio::test]
async fn members_ask_for_introductions_for_their_own_organisation_only() {
    let t = TestApp::demo(120).await;
    let data = t.store.dataset().await.unwrap();
    let others: Vec<String> = data
        .organisations
        .iter()
        .filter(|o| o.id.as_str() != t.member_org)
        .take(2)
        .map(|o| o.id.to_string())
        .collect();
    let mut member = t.client(Role::Member).await;
    let r = member
        .post_form(
            "/introductions",
            &[("from", &others[0]), ("to", &others[1])],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = member
        .post_json("/api/introductions", &serde_json::json!({"to": others[1]}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let x = r.json();
    assert_eq!(x["from"], t.member_org.as_str());
    assert_eq!(x["status"], "proposed");
    let r = member
        .post_form(
            "/introductions",
            &[("from", &t.member_org), ("to", &others[0])],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = member.get(r.location().unwrap()).await;
    assert!(page.body.contains("<p class=\"notice\""));
    assert!(page.body.contains("sent to the cluster team"));
    let mut funder = t.client(Role::Funder).await;
    let r = funder
        .post_json(
            "/api/introductions",
            &serde_json::json!({"from": others[0], "to": others[1]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn only_the_team_updates_an_introductions_status() {
    let t = TestApp::demo(120).await;
    let mut member = t.client(Role::Member).await;
    let data = t.store.dataset().await.unwrap();
    let to = data
        .organisations
        .iter()
        .find(|o| o.id.as_str() != t.member_org)
        .unwrap()
        .id
        .to_string();
    let x = member
        .post_json("/api/introductions", &serde_json::json!({"to": to}))
        .await
        .json();
    let id = x["id"].as_str().unwrap().to_string();
    let url = format!("/introductions/{id}/status");
    let r = member.post_form(&url, &[("status", "made")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let mut manager = t.client(Role::Manager).await;
    let r = manager
        .post_form(&url, &[("status", "met"), ("_csrf", "forged")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = manager.post_form(&url, &[("status", "met")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = manager
        .post_json(
            &format!("/api/introductions/{id}/status"),
            &serde_json::json!({"status": "closed"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = manager
        .post_json(
            &format!("/api/introductions/{id}/status"),
            &serde_json::json!({"status": "married"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let list = member.get("/api/introductions").await.json();
    let now = list["introductions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == id.as_str())
        .unwrap()
        .clone();
    assert_eq!(now["status"], "closed");
    // An introduction private to two other parties answers 404 to the team, like a missing one.
    let private = data.introductions.iter().find(|x| {
        x.visibility == milieu_model::Visibility::Private
            && x.from.as_str() != t.member_org
            && x.to.as_str() != t.member_org
    });
    if let Some(p) = private {
        let r = manager
            .post_json(
                &format!("/api/introductions/{}/status", p.id),
                &serde_json::json!({"status": "met"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }
    let r = manager
        .post_json(
            "/api/introductions/no-such/status",
            &serde_json::json!({"status": "met"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_api_operations_are_documented() {
    let t = TestApp::demo(40).await;
    let mut c = t.client(Role::Funder).await;
    let doc = c.get("/api/openapi.json").await.json();
    for path in [
        "/api/matches",
        "/api/introductions",
        "/api/introductions/{id}/status",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} missing");
    }
}
