//! Organisations, ties and people through HTTP: search, profiles, forms, and the
//! confidentiality rule on profiles and ties.

mod common;

use axum::http::StatusCode;
use common::TestApp;
use milieu_app::access::Role;
use milieu_model::{Dataset, Tie, Visibility};

async fn data(t: &TestApp) -> Dataset {
    t.store.dataset().await.unwrap()
}

fn enc(id: &str) -> String {
    milieu_web::auth::url_encode(id).replace('/', "%2F")
}

/// A private tie between two organisations neither of which is the member's.
fn foreign_private_tie<'a>(d: &'a Dataset, member_org: &str) -> &'a Tie {
    d.ties
        .iter()
        .find(|t| {
            t.visibility == Visibility::Private
                && t.from.as_str() != member_org
                && t.to.as_str() != member_org
        })
        .expect("the demo has private ties between other firms")
}

fn own_private_tie<'a>(d: &'a Dataset, member_org: &str) -> &'a Tie {
    d.ties
        .iter()
        .find(|t| {
            t.visibility == Visibility::Private
                && (t.from.as_str() == member_org || t.to.as_str() == member_org)
        })
        .expect("the demo member's organisation has a private tie")
}

fn tie_ids(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x["id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn search_filters_sorts_and_pages_over_the_directory() {
    let t = TestApp::demo(120).await;
    let d = data(&t).await;
    let mut c = t.client(Role::Funder).await;

    let all = c.get("/api/orgs?limit=1000").await;
    assert_eq!(all.status, StatusCode::OK, "{}", all.body);
    let all = all.json();
    assert_eq!(all["total"], d.organisations.len());
    let names: Vec<String> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap().to_lowercase())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "sorted by name");

    // Kind filter: exactly the universities.
    let r = c.get("/api/orgs?kind=university&limit=1000").await.json();
    let want = d
        .organisations
        .iter()
        .filter(|o| o.kind == milieu_model::OrgKind::University)
        .count();
    assert!(want > 0);
    assert_eq!(r["total"], want);
    assert!(
        r["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o["kind"] == "university")
    );

    // Text search finds an organisation by a word of its name, case-insensitively.
    let target = &d.organisations[7];
    let word = target
        .name
        .split_whitespace()
        .next()
        .unwrap()
        .to_uppercase();
    let r = c
        .get(&format!("/api/orgs?q={}&limit=1000", enc(&word)))
        .await
        .json();
    assert!(
        r["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["id"] == target.id.as_str())
    );
    // ... and by its id.
    let r = c
        .get(&format!("/api/orgs?q={}", enc(target.id.as_str())))
        .await
        .json();
    assert!(
        r["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["id"] == target.id.as_str())
    );

    // Sector prefix and country.
    let sector = d
        .organisations
        .iter()
        .flat_map(|o| o.sectors.iter())
        .next()
        .unwrap()
        .clone();
    let prefix: String = sector.code.chars().take(2).collect();
    let r = c
        .get(&format!("/api/orgs?sector={}&limit=1000", enc(&prefix)))
        .await
        .json();
    let want = d
        .organisations
        .iter()
        .filter(|o| o.sectors.iter().any(|s| s.code.starts_with(&prefix)))
        .count();
    assert_eq!(r["total"], want);

    // Paging: two pages of 10 are the first 20 in order, and do not overlap.
    let p1 = c.get("/api/orgs?limit=10&offset=0").await.json();
    let p2 = c.get("/api/orgs?limit=10&offset=10").await.json();
    let first20: Vec<_> = all["items"].as_array().unwrap()[..20].to_vec();
    let mut both = p1["items"].as_array().unwrap().clone();
    both.extend(p2["items"].as_array().unwrap().iter().cloned());
    assert_eq!(both, first20);
    // The one paging scheme of every listing (`page`, `per_page`) gives the same rows as the
    // older `limit`/`offset`.
    let by_page = c.get("/api/orgs?page=2&per_page=10").await.json();
    assert_eq!(by_page["items"], p2["items"]);
    let people_a = c.get("/api/people?page=2&per_page=5").await.json();
    let people_b = c.get("/api/people?limit=5&offset=5").await.json();
    assert_eq!(people_a["items"], people_b["items"]);
    assert_eq!(people_a["items"].as_array().unwrap().len(), 5);
    // The directory page links its next page by number.
    let page = c.get("/orgs?per_page=10").await;
    assert!(
        page.body.contains("page=2&amp;per_page=10"),
        "{}",
        page.body
    );

    // A bad limit is a JSON bad_input error, not a crash.
    let r = c.get("/api/orgs?limit=lots").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.json()["code"], "web.bad_input");

    // The page shows the count and the rows.
    let page = c.get("/orgs?kind=university").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains(&format!(
            "<strong>{want_u}</strong>",
            want_u = d
                .organisations
                .iter()
                .filter(|o| o.kind == milieu_model::OrgKind::University)
                .count()
        )));
    assert!(page.body.contains("<th scope=\"col\">Name</th>"));
}

#[tokio::test]
async fn the_member_sees_its_own_private_ties_on_its_profile_and_by_id() {
    let t = TestApp::demo(120).await;
    let d = data(&t).await;
    let own = own_private_tie(&d, &t.member_org);
    let mut m = t.client(Role::Member).await;

    let r = m.get(&format!("/api/ties/{}", enc(own.id.as_str()))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["visibility"], "private");

    let p = m.get(&format!("/api/orgs/{}", enc(&t.member_org))).await;
    assert_eq!(p.status, StatusCode::OK);
    let p = p.json();
    assert!(
        p["ties"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["tie"]["id"] == own.id.as_str())
    );
    assert_eq!(p["can_see_leads"], true);

    let page = m.get(&format!("/orgs/{}", enc(&t.member_org))).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("vis-private"));
    assert!(
        page.body
            .contains(&format!("/matches?org={}", t.member_org))
    );
    assert!(page.body.contains("Record a tie"));

    let page = m.get(&format!("/ties/{}", enc(own.id.as_str()))).await;
    assert_eq!(page.status, StatusCode::OK);
}

#[tokio::test]
async fn another_firms_private_tie_is_404_and_absent_for_member_staff_and_funder() {
    let t = TestApp::demo(120).await;
    let d = data(&t).await;
    let foreign = foreign_private_tie(&d, &t.member_org);
    let id = enc(foreign.id.as_str());
    for role in [
        Role::Member,
        Role::Manager,
        Role::Admin,
        Role::Broker,
        Role::Funder,
    ] {
        let mut c = t.client(role).await;
        let api = c.get(&format!("/api/ties/{id}")).await;
        assert_eq!(api.status, StatusCode::NOT_FOUND, "{role}");
        assert_eq!(api.json()["code"], "web.not_found");
        // The same answer as for a tie that does not exist.
        let missing = c.get("/api/ties/no-such-tie").await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        assert_eq!(api.json()["code"], missing.json()["code"]);
        let page = c.get(&format!("/ties/{id}")).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{role}");
        assert!(!page.body.contains(&foreign.note) || foreign.note.is_empty());

        // Absent from the lists ...
        let list = c.get("/api/ties?limit=1000").await.json();
        assert!(
            !tie_ids(&list["items"]).contains(&foreign.id.to_string()),
            "{role}"
        );
        let of = c
            .get(&format!(
                "/api/ties?org={}&limit=1000",
                enc(foreign.from.as_str())
            ))
            .await
            .json();
        assert!(
            !tie_ids(&of["items"]).contains(&foreign.id.to_string()),
            "{role}"
        );
        // ... and from both parties' profiles.
        for party in [&foreign.from, &foreign.to] {
            let p = c
                .get(&format!("/api/orgs/{}", enc(party.as_str())))
                .await
                .json();
            assert!(
                !p["ties"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|x| x["tie"]["id"] == foreign.id.as_str()),
                "{role} sees {} on {party}",
                foreign.id
            );
            let page = c.get(&format!("/orgs/{}", enc(party.as_str()))).await;
            assert!(
                !page
                    .body
                    .contains(&format!("/ties/{}\"", enc(foreign.id.as_str()))),
                "{role}"
            );
        }
    }
}

#[tokio::test]
async fn staff_see_staff_ties_and_funders_only_public_ones() {
    let t = TestApp::demo(120).await;
    let d = data(&t).await;
    let mut funder = t.client(Role::Funder).await;
    let list = funder.get("/api/ties?limit=1000").await.json();
    let items = list["items"].as_array().unwrap();
    assert!(!items.is_empty());
    assert!(items.iter().all(|x| x["visibility"] == "public"));
    let public = d
        .ties
        .iter()
        .filter(|x| x.visibility == Visibility::Public)
        .count();
    assert_eq!(list["total"], public.min(1000));
    if let Some(staff_tie) = d.ties.iter().find(|x| x.visibility == Visibility::Staff) {
        let r = funder
            .get(&format!("/api/ties/{}", enc(staff_tie.id.as_str())))
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let mut manager = t.client(Role::Manager).await;
        let r = manager
            .get(&format!("/api/ties/{}", enc(staff_tie.id.as_str())))
            .await;
        assert_eq!(r.status, StatusCode::OK);
    }
    // Staff never see private ties of others in the list.
    let mut manager = t.client(Role::Manager).await;
    let list = manager.get("/api/ties?limit=1000").await.json();
    assert!(
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|x| x["visibility"] != "private")
    );
    // The member's list holds private ties only of its own organisation.
    let mut member = t.client(Role::Member).await;
    let list = member.get("/api/ties?limit=1000").await.json();
    for x in list["items"].as_array().unwrap() {
        if x["visibility"] == "private" {
            assert!(x["from"] == t.member_org.as_str() || x["to"] == t.member_org.as_str());
        }
    }
    // Funders get no link to a firm's partner suggestions.
    let page = funder.get(&format!("/orgs/{}", enc(&t.member_org))).await;
    assert!(!page.body.contains("/matches?org="));
    assert!(!page.body.contains("Record a tie"));
}

#[tokio::test]
async fn tie_filters_by_kind_and_dates() {
    let t = TestApp::demo(120).await;
    let mut c = t.client(Role::Manager).await;
    let r = c
        .get("/api/ties?kind=alliance&from=2020-01-01&to=2021-12-31&limit=1000")
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    for x in r.json()["items"].as_array().unwrap() {
        assert_eq!(x["kind"], "alliance");
        assert!(x["start"].as_str().unwrap() <= "2021-12-31");
        if let Some(end) = x["end"].as_str() {
            assert!(end > "2020-01-01");
        }
    }
    let r = c.get("/api/ties?from=yesterday").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.json()["message"].as_str().unwrap().contains("from"));
}

#[tokio::test]
async fn a_manager_adds_and_edits_an_organisation_with_the_forms() {
    let t = TestApp::demo(60).await;
    let mut c = t.client(Role::Manager).await;
    let form = c.get("/orgs/new").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("name=\"_csrf\""));
    assert!(form.body.contains("<label for=\"f-name\">"));

    let r = c
        .post_form(
            "/orgs/new",
            &[
                ("id", "nova"),
                ("name", "Nova Optics"),
                ("kind", "firm"),
                ("employees", "12"),
                ("sectors", "naics:333314"),
                ("country", "DE"),
                ("offers", "precision lenses"),
                ("keywords", "optics; lenses"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), Some("/orgs/nova"));
    let org: milieu_model::Organisation = t.store.get("nova").await.unwrap().unwrap();
    assert_eq!(org.name, "Nova Optics");
    assert_eq!(org.keywords, vec!["optics", "lenses"]);
    let page = c.get("/orgs/nova").await;
    assert!(page.body.contains("precision lenses"));

    // A bad value: 400, the field and what was expected are shown, nothing is written.
    let before = data(&t).await.organisations.len();
    let r = c
        .post_form(
            "/orgs/new",
            &[
                ("id", "nova2"),
                ("name", "Nova Two"),
                ("kind", "firm"),
                ("country", "Germany"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.body.contains("class=\"field-error\" id=\"e-country\""),
        "{}",
        r.body
    );
    assert!(r.body.contains("expected"));
    assert!(
        r.body.contains("value=\"Nova Two\""),
        "the form keeps what was typed"
    );
    assert_eq!(data(&t).await.organisations.len(), before);

    // The same id twice is refused.
    let r = c
        .post_form(
            "/orgs/new",
            &[("id", "nova"), ("name", "Again"), ("kind", "firm")],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("e-id"));

    // Edit: the form shows the current values; saving changes the record.
    let edit = c.get("/orgs/nova/edit").await;
    assert_eq!(edit.status, StatusCode::OK);
    assert!(edit.body.contains("value=\"Nova Optics\""));
    let r = c
        .post_form(
            "/orgs/nova/edit",
            &[
                ("name", "Nova Optics GmbH"),
                ("kind", "firm"),
                ("employees", "14"),
                ("country", "DE"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let org: milieu_model::Organisation = t.store.get("nova").await.unwrap().unwrap();
    assert_eq!(org.name, "Nova Optics GmbH");
    assert_eq!(org.employees, Some(14));
    // A bad edit changes nothing.
    let r = c
        .post_form("/orgs/nova/edit", &[("name", "X"), ("kind", "spaceship")])
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("e-kind"));
    let org: milieu_model::Organisation = t.store.get("nova").await.unwrap().unwrap();
    assert_eq!(org.name, "Nova Optics GmbH");
    assert_eq!(
        c.get("/orgs/nobody/edit").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_api_creates_and_replaces_organisations() {
    let t = TestApp::demo(60).await;
    let mut c = t.client(Role::Admin).await;
    let body =
        serde_json::json!({"id": "api1", "name": "Api Works", "kind": "firm", "employees": 30});
    let r = c.post_json("/api/orgs", &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let got = c.get("/api/orgs/api1").await.json();
    assert_eq!(got["organisation"]["name"], "Api Works");
    assert_eq!(
        c.post_json("/api/orgs", &body).await.status,
        StatusCode::BAD_REQUEST
    );

    let r = c
        .send_json(
            "PUT",
            "/api/orgs/api1",
            &serde_json::json!({"id": "api1", "name": "Api Works AG", "kind": "firm"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let got = c.get("/api/orgs/api1").await.json();
    assert_eq!(got["organisation"]["name"], "Api Works AG");
    // The body's id must be the path's.
    let r = c
        .send_json(
            "PUT",
            "/api/orgs/api1",
            &serde_json::json!({"id": "other", "name": "X", "kind": "firm"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    // A record that breaks a rule: the message names the field.
    let r = c
        .send_json(
            "PUT",
            "/api/orgs/api1",
            &serde_json::json!({"id": "api1", "name": "X", "kind": "firm", "export_share": 3.0}),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.json()["message"]
            .as_str()
            .unwrap()
            .contains("export_share"),
        "{}",
        r.body
    );
    let r = c
        .send_json(
            "PUT",
            "/api/orgs/ghost",
            &serde_json::json!({"id": "ghost", "name": "X", "kind": "firm"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // Not JSON at all: a JSON error.
    let r = c.post_json("/api/orgs", &serde_json::json!([1, 2])).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.json()["code"], "web.bad_input");
    assert_eq!(c.get("/api/orgs/ghost").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_member_records_a_tie_of_its_own_organisation() {
    let t = TestApp::demo(60).await;
    let d = data(&t).await;
    let other = d
        .organisations
        .iter()
        .find(|o| o.id.as_str() != t.member_org)
        .unwrap();
    let mut m = t.client(Role::Member).await;
    let r = m
        .post_json(
            "/api/ties",
            &serde_json::json!({"from": t.member_org, "to": other.id.as_str(), "kind": "supplier",
                "start": "2024-03-01", "strength": 3, "note": "housings"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let tie = r.json();
    assert_eq!(tie["visibility"], "private");
    assert_eq!(tie["source"], "self_report");
    let id = tie["id"].as_str().unwrap().to_string();
    assert_eq!(
        m.get(&format!("/api/ties/{}", enc(&id))).await.status,
        StatusCode::OK
    );
    // Private: the cluster team does not see it.
    let mut manager = t.client(Role::Manager).await;
    assert_eq!(
        manager.get(&format!("/api/ties/{}", enc(&id))).await.status,
        StatusCode::NOT_FOUND
    );

    // With the form on the profile page.
    let r = m
        .post_form(
            "/ties",
            &[
                ("back", &t.member_org),
                ("from_id", &t.member_org),
                ("to_id", other.id.as_str()),
                ("kind", "alliance"),
                ("start", "2024-05-01"),
                ("source", "self_report"),
                ("visibility", "staff"),
                ("note", "joint bid"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let loc = r.location().unwrap().to_string();
    assert!(loc.starts_with("/ties/"));
    let page = m.get(&loc).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("joint bid"));
    assert_eq!(
        manager.get(&loc).await.status,
        StatusCode::OK,
        "staff see staff ties"
    );

    // A form error is shown on the profile with the field, and nothing is written.
    let before = data(&t).await.ties.len();
    let r = m
        .post_form(
            "/ties",
            &[
                ("back", &t.member_org),
                ("from_id", &t.member_org),
                ("to_id", other.id.as_str()),
                ("kind", "alliance"),
                ("start", "2024-13-45"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("<strong>start</strong>"), "{}", r.body);
    assert_eq!(data(&t).await.ties.len(), before);
}

#[tokio::test]
async fn people_are_listed_searched_and_shown_with_affiliations() {
    let t = TestApp::demo(60).await;
    let d = data(&t).await;
    let a = &d.affiliations[0];
    let person = d.people.iter().find(|p| p.id == a.person).unwrap();
    let mut c = t.client(Role::Broker).await;
    let r = c
        .get(&format!("/api/people?q={}", enc(&person.name)))
        .await
        .json();
    let hit = r["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == person.id.as_str())
        .unwrap()
        .clone();
    assert!(
        hit["affiliations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["org"] == a.org.as_str())
    );
    let page = c.get(&format!("/people/{}", enc(person.id.as_str()))).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&format!("/orgs/{}", a.org)));
    let list = c.get("/people").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("people found") || list.body.contains("person found"));
    assert_eq!(
        c.get("/people/nobody-here").await.status,
        StatusCode::NOT_FOUND
    );
    // Funders do not get e-mail addresses.
    let mut f = t.client(Role::Funder).await;
    let r = f.get("/api/people?limit=1000").await.json();
    assert!(
        r["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["email"].is_null())
    );
}

#[tokio::test]
async fn the_api_operations_are_documented() {
    let t = TestApp::demo(30).await;
    let doc = t.anonymous().get("/api/openapi.json").await.json();
    for path in [
        "/api/orgs",
        "/api/orgs/{id}",
        "/api/ties",
        "/api/ties/{id}",
        "/api/people",
        "/api/import/{kind}",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} is documented");
    }
    assert!(doc["paths"]["/api/orgs"]["post"].is_object());
    assert!(doc["paths"]["/api/orgs/{id}"]["put"].is_object());
}

#[tokio::test]
async fn profiles_leave_out_introductions_and_outcomes_the_account_may_not_see() {
    let t = TestApp::demo(120).await;
    let d = data(&t).await;
    let member = t.member_org.as_str();
    let outcome = d.outcomes.iter().find(|o| {
        o.visibility == Visibility::Private
            && o.org.as_str() != member
            && o.partner.as_ref().is_none_or(|p| p.as_str() != member)
    });
    let intro = d.introductions.iter().find(|x| {
        x.visibility == Visibility::Private
            && ![Some(&x.from), Some(&x.to), x.via.as_ref()]
                .into_iter()
                .flatten()
                .any(|o| o.as_str() == member)
    });
    let staff_intro = d.introductions.iter().find(|x| {
        x.visibility == Visibility::Staff && x.from.as_str() != member && x.to.as_str() != member
    });
    assert!(
        outcome.is_some(),
        "the demo has a private outcome of other firms"
    );
    assert!(staff_intro.is_some(), "the demo has a staff introduction");
    for role in [Role::Member, Role::Manager, Role::Funder] {
        let mut c = t.client(role).await;
        if let Some(o) = outcome {
            let p = c
                .get(&format!("/api/orgs/{}", enc(o.org.as_str())))
                .await
                .json();
            assert!(
                !p["outcomes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|x| x["outcome"]["id"] == o.id.as_str()),
                "{role} sees private outcome {}",
                o.id
            );
        }
        if let Some(x) = intro {
            let p = c
                .get(&format!("/api/orgs/{}", enc(x.from.as_str())))
                .await
                .json();
            assert!(
                !p["introductions"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|y| y["introduction"]["id"] == x.id.as_str()),
                "{role} sees private introduction {}",
                x.id
            );
        }
        if let Some(x) = staff_intro {
            let p = c
                .get(&format!("/api/orgs/{}", enc(x.from.as_str())))
                .await
                .json();
            let shown = p["introductions"]
                .as_array()
                .unwrap()
                .iter()
                .any(|y| y["introduction"]["id"] == x.id.as_str());
            assert_eq!(
                shown,
                role == Role::Manager,
                "{role} and staff introduction {}",
                x.id
            );
        }
    }
    // Funders see only public outcomes and introductions anywhere.
    let mut f = t.client(Role::Funder).await;
    for o in d.organisations.iter().take(40) {
        let p = f
            .get(&format!("/api/orgs/{}", enc(o.id.as_str())))
            .await
            .json();
        for x in p["outcomes"].as_array().unwrap() {
            assert_eq!(x["outcome"]["visibility"], "public");
        }
        for x in p["introductions"].as_array().unwrap() {
            assert_eq!(x["introduction"]["visibility"], "public");
        }
        for x in p["ties"].as_array().unwrap() {
            assert_eq!(x["tie"]["visibility"], "public");
        }
    }
    // The member's own profile lists the events it attended, linking to them.
    let mut m = t.client(Role::Member).await;
    let p = m.get(&format!("/api/orgs/{}", enc(member))).await.json();
    let attended: std::collections::BTreeSet<&str> = d
        .attendance
        .iter()
        .filter(|a| a.org.as_ref().is_some_and(|o| o.as_str() == member))
        .map(|a| a.event.as_str())
        .collect();
    let listed: std::collections::BTreeSet<&str> = p["events_attended"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert_eq!(listed, attended);
    if let Some(e) = attended.iter().next() {
        let page = m.get(&format!("/orgs/{}", enc(member))).await;
        assert!(page.body.contains(&format!("href=\"/events/{e}\"")));
    }
}
