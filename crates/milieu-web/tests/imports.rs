//! Uploads of registry files through the /import page and POST /api/import/{kind}: all or
//! nothing, with every error naming file, line, column and value.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::TestApp;
use milieu_app::access::Role;

async fn counts(t: &TestApp) -> Vec<(milieu_model::EntityKind, usize)> {
    t.store.dataset().await.unwrap().counts()
}

const ORGS: &str = "id,name,kind,region,country,sectors,employees,offers\n\
up1,Upload One,firm,LM-N,DE,naics:541511,12,software\n\
up2,Upload Two,university,LM-N,DE,,,teaching\n";

#[tokio::test]
async fn an_editor_imports_a_csv_file_from_the_page() {
    let t = TestApp::demo(60).await;
    let mut c = t.client(Role::Manager).await;
    let page = c.get("/import").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<select id=\"i-kind\" name=\"kind\""));
    assert!(page.body.contains("type=\"file\" name=\"file\""));
    assert!(page.body.contains(">Import</button>"));
    // Every kind `milieu import` reads can be chosen.
    for kind in milieu_model::EntityKind::ALL {
        assert!(
            page.body
                .contains(&format!("<option value=\"{}\"", kind.plural())),
            "{kind:?}"
        );
    }

    let r = c
        .post_multipart(
            "/import",
            &[("kind", "organisations")],
            "file",
            "orgs.csv",
            ORGS.as_bytes(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("class=\"notice\""));
    assert!(
        r.body.contains("Imported 2 records from orgs.csv"),
        "{}",
        r.body
    );
    let org: milieu_model::Organisation = t.store.get("up1").await.unwrap().unwrap();
    assert_eq!(org.employees, Some(12));
}

#[tokio::test]
async fn a_bad_row_is_reported_with_its_line_and_nothing_is_written() {
    let t = TestApp::demo(60).await;
    let mut c = t.client(Role::Admin).await;
    let before = counts(&t).await;
    let bad = "id,name,kind,region,country,sectors\n\
ok1,Fine Firm,firm,,DE,\n\
bad1,Bad Firm,spaceship,,DE,\n";
    let r = c
        .post_multipart(
            "/import",
            &[("kind", "organisations")],
            "file",
            "members.csv",
            bad.as_bytes(),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let li = r
        .body
        .split("<ul class=\"details\">")
        .nth(1)
        .expect("an error list")
        .split("</ul>")
        .next()
        .unwrap()
        .to_string();
    assert!(li.contains("<li>members.csv: line 3, column kind"), "{li}");
    assert!(li.contains("spaceship"));
    assert!(li.contains("expected"));
    assert_eq!(
        counts(&t).await,
        before,
        "all or nothing: the good row is not written either"
    );

    // Every bad row is listed, each with its line.
    let bad = "id,name,kind,region,country,sectors\n\
ok2,Fine,firm,,DE,\n\
b2,Bad Country,firm,,Germany,\n\
ok3,Fine Too,firm,,DE,\n\
b3,Bad Sector,firm,,DE,xyz!\n";
    let r = c
        .post_multipart(
            "/import",
            &[("kind", "organisations")],
            "file",
            "many.csv",
            bad.as_bytes(),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let items: Vec<&str> = r
        .body
        .split("<ul class=\"details\">")
        .nth(1)
        .unwrap()
        .split("</ul>")
        .next()
        .unwrap()
        .matches("<li>")
        .collect();
    assert_eq!(items.len(), 2, "{}", r.body);
    assert!(r.body.contains("many.csv: line 3, column country"));
    assert!(r.body.contains("many.csv: line 5, column sectors"));
    assert_eq!(counts(&t).await, before);

    // A reference to an unknown organisation is pinned to its line too.
    let ties =
        "from_id,to_id,kind,start\no1,o2,alliance,2022-01-01\no1,nobody,alliance,2022-01-01\n";
    let r = c
        .post_multipart(
            "/import",
            &[("kind", "ties")],
            "file",
            "ties.csv",
            ties.as_bytes(),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("ties.csv: line 3"), "{}", r.body);
    assert!(r.body.contains("nobody"));
    assert_eq!(counts(&t).await, before);

    // An id the registry already holds.
    let dup = "id,name,kind,region,country,sectors\no1,Clash,firm,,,\n";
    let r = c
        .post_multipart(
            "/import",
            &[("kind", "organisations")],
            "file",
            "dup.csv",
            dup.as_bytes(),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("dup.csv: line 2, column id"), "{}", r.body);
    assert_eq!(counts(&t).await, before);

    // A file that is not CSV or JSON, and an unknown kind.
    let r = c
        .post_multipart(
            "/import",
            &[("kind", "organisations")],
            "file",
            "orgs.xlsx",
            b"PK",
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("expected a .csv or .json file"));
    let r = c
        .post_multipart(
            "/import",
            &[("kind", "planets")],
            "file",
            "orgs.csv",
            ORGS.as_bytes(),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(counts(&t).await, before);
}

async fn raw(
    t: &TestApp,
    c: &common::Client<'_>,
    uri: &str,
    content_type: &str,
    body: &str,
) -> common::Reply {
    let request = Request::builder()
        .method("POST")
        .uri(uri)
        .header(header::COOKIE, c.cookie.clone().unwrap())
        .header("x-csrf-token", c.csrf.clone())
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body.to_string()))
        .unwrap();
    t.send(request).await
}

#[tokio::test]
async fn the_api_imports_csv_and_json_and_reports_errors_as_details() {
    let t = TestApp::demo(60).await;
    let c = t.client(Role::Manager).await;
    let r = raw(
        &t,
        &c,
        "/api/import/organisations",
        "text/csv; charset=utf-8",
        ORGS,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let j = r.json();
    assert_eq!(j["total"], 2);
    assert_eq!(j["counts"][0]["count"], 2);

    let people = r#"[{"id": "pp1", "name": "Ada Example"}, {"id": "pp2", "name": "Bo Example", "email": "bo@example.org"}]"#;
    let r = raw(&t, &c, "/api/import/people", "application/json", people).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["total"], 2);

    let before = counts(&t).await;
    let bad = "id,name\npp3,Fine\npp3,Twice\n";
    let r = raw(&t, &c, "/api/import/people", "text/csv", bad).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let j = r.json();
    assert_eq!(j["code"], "io.bad_input");
    let details = j["details"].as_array().unwrap();
    assert!(!details.is_empty());
    assert!(details[0].as_str().unwrap().contains("line 3"), "{j}");
    assert_eq!(counts(&t).await, before);

    let r = raw(
        &t,
        &c,
        "/api/import/people",
        "application/json",
        "[{\"id\": 5}]",
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.json()["details"][0].as_str().unwrap().contains("item 0"),
        "{}",
        r.body
    );

    let r = raw(&t, &c, "/api/import/people", "application/xml", "<people/>").await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let r = raw(&t, &c, "/api/import/planets", "text/csv", "id\n1\n").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(counts(&t).await, before);
}

#[tokio::test]
async fn only_editors_may_import() {
    let t = TestApp::demo(60).await;
    for role in [Role::Member, Role::Funder, Role::Broker] {
        let mut c = t.client(role).await;
        assert_eq!(
            c.get("/import").await.status,
            StatusCode::FORBIDDEN,
            "{role}"
        );
        let before = counts(&t).await;
        let r = c
            .post_multipart(
                "/import",
                &[("kind", "organisations")],
                "file",
                "orgs.csv",
                ORGS.as_bytes(),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{role}");
        let r = raw(&t, &c, "/api/import/organisations", "text/csv", ORGS).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{role}");
        assert_eq!(r.json()["code"], "web.forbidden");
        assert_eq!(counts(&t).await, before);
    }
}
