//! References count too: a record the server hands an account carries no id of a record that
//! account may not see. On the demo region (the one `milieu serve --demo` serves), every
//! organisation profile, the tie listing and every tie, as every role: each tie and
//! introduction id they name is of a record the account may see (the rule applied here from
//! the stored registry), and every tie id named opens with `GET /api/ties/{id}`.

mod common;

use axum::http::StatusCode;
use common::TestApp;
use milieu_app::access::{Principal, Role};
use milieu_model::{Dataset, OrgId};
use std::collections::{BTreeSet, HashMap};

/// The tie and introduction ids a JSON answer names, wherever they are: a tie's `id` and
/// `introduction`, an outcome's `tie` and `introduction`, an introduction's `id`.
fn named_ids(v: &serde_json::Value, ties: &mut BTreeSet<String>, intros: &mut BTreeSet<String>) {
    match v {
        serde_json::Value::Object(map) => {
            let id = |k: &str| map.get(k).and_then(|v| v.as_str()).map(str::to_string);
            let is_tie = map.contains_key("from") && map.contains_key("strength");
            let is_introduction = map.contains_key("via") && map.contains_key("status");
            let is_outcome = map.contains_key("org") && map.contains_key("partner");
            if is_tie {
                ties.extend(id("id"));
                intros.extend(id("introduction"));
            }
            if is_introduction {
                intros.extend(id("id"));
            }
            if is_outcome {
                ties.extend(id("tie"));
                intros.extend(id("introduction"));
            }
            for v in map.values() {
                named_ids(v, ties, intros);
            }
        }
        serde_json::Value::Array(items) => {
            for v in items {
                named_ids(v, ties, intros);
            }
        }
        _ => {}
    }
}

#[tokio::test]
async fn no_answer_names_a_tie_or_introduction_its_reader_may_not_see() {
    let t = TestApp::demo(300).await;
    let data: Dataset = t.store.dataset().await.unwrap();
    let tie_by_id: HashMap<&str, _> = data.ties.iter().map(|x| (x.id.as_str(), x)).collect();
    let intro_by_id: HashMap<&str, _> = data
        .introductions
        .iter()
        .map(|x| (x.id.as_str(), x))
        .collect();

    // The case the issue names: out207 of o153 with o22 is public, its tie t1187 and introduction
    // intro19 are not. The demo must still hold it, or this test would check nothing.
    let out207 = data.outcomes.iter().find(|o| o.id.as_str() == "out207");
    let out207 = out207.expect("the demo holds outcome out207");
    assert_eq!(out207.partner.as_ref().map(|x| x.as_str()), Some("o22"));
    assert_eq!(out207.tie.as_ref().map(|x| x.as_str()), Some("t1187"));
    assert_eq!(
        out207.introduction.as_ref().map(|x| x.as_str()),
        Some("intro19")
    );
    let funder = Principal {
        username: "funder".into(),
        role: Role::Funder,
        org: None,
    };
    assert!(funder.may_see(out207));
    assert!(!funder.may_see(tie_by_id["t1187"]));

    // Every organisation with an outcome or a tie naming a record less visible than itself,
    // o22 and the member's own organisation.
    let mut orgs: BTreeSet<String> = ["o22".to_string(), t.member_org.clone()].into();
    for o in &data.outcomes {
        if o.tie.is_some() || o.introduction.is_some() {
            orgs.extend(o.partner.iter().chain([&o.org]).map(|x| x.to_string()));
        }
    }
    for x in &data.ties {
        if x.introduction.is_some() {
            orgs.insert(x.from.to_string());
        }
    }

    for role in [
        Role::Admin,
        Role::Manager,
        Role::Broker,
        Role::Member,
        Role::Funder,
    ] {
        let who = Principal {
            username: role.as_str().into(),
            role,
            org: (role == Role::Member).then(|| OrgId::new(t.member_org.clone())),
        };
        let mut c = t.client(role).await;
        let (mut ties, mut intros) = (BTreeSet::new(), BTreeSet::new());
        for org in &orgs {
            let r = c.get(&format!("/api/orgs/{org}")).await;
            assert_eq!(
                r.status,
                StatusCode::OK,
                "{role} /api/orgs/{org}: {}",
                r.body
            );
            named_ids(&r.json(), &mut ties, &mut intros);
        }
        let r = c.get("/api/ties?limit=1000").await;
        assert_eq!(r.status, StatusCode::OK, "{role} /api/ties: {}", r.body);
        named_ids(&r.json(), &mut ties, &mut intros);

        for id in &ties {
            let tie = tie_by_id.get(id.as_str()).expect("a stored tie");
            assert!(who.may_see(*tie), "{role} is shown tie {id}");
            let r = c.get(&format!("/api/ties/{id}")).await;
            assert_eq!(
                r.status,
                StatusCode::OK,
                "{role} is shown tie {id} it cannot open"
            );
            named_ids(&r.json(), &mut BTreeSet::new(), &mut intros);
        }
        for id in &intros {
            let x = intro_by_id.get(id.as_str()).expect("a stored introduction");
            assert!(who.may_see(*x), "{role} is shown introduction {id}");
        }
        if role == Role::Funder {
            // The public outcome is still shown, without the ids of its hidden records.
            let r = c.get("/api/orgs/o22").await;
            let j = r.json();
            let shown = j["outcomes"]
                .as_array()
                .unwrap()
                .iter()
                .find(|o| o["outcome"]["id"] == "out207")
                .expect("the funder sees the public outcome out207");
            assert!(shown["outcome"]["tie"].is_null(), "{shown}");
            assert!(shown["outcome"]["introduction"].is_null(), "{shown}");
            assert_eq!(c.get("/api/ties/t1187").await.status, StatusCode::NOT_FOUND);
        }
    }
}
