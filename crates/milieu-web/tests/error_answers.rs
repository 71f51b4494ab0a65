//! Every error answer has the documented shape: `{code, message, details?}` JSON under `/api`
//! with the code's status, an HTML page elsewhere. Covers what axum rejects before a handler
//! runs (malformed JSON, wrong content type, a body of the wrong shape, a query that does not
//! parse, an unknown route, a wrong method) and codes chosen below the web (store, engines).

mod common;

use axum::http::{StatusCode, header};
use common::TestApp;
use milieu_app::access::Role;
use milieu_web::WebError;

fn assert_json_error(r: &common::Reply, status: StatusCode, code: &str) {
    assert_eq!(r.status, status, "{}", r.body);
    let content_type = r.headers.get(header::CONTENT_TYPE).unwrap();
    assert_eq!(content_type, "application/json", "{}", r.body);
    let j = r.json();
    assert_eq!(j["code"], code, "{}", r.body);
    assert!(
        !j["message"].as_str().unwrap_or("").is_empty(),
        "a message: {}",
        r.body
    );
}

#[tokio::test]
async fn malformed_json_is_a_json_bad_input_error() {
    let t = TestApp::demo(30).await;
    let mut admin = t.client(Role::Admin).await;
    let r = admin
        .send_raw(
            "POST",
            "/api/users",
            Some("application/json"),
            "{\"username\": ",
        )
        .await;
    assert_json_error(&r, StatusCode::BAD_REQUEST, "web.bad_input");
    assert!(r.json()["message"].as_str().unwrap().contains("JSON"));
}

#[tokio::test]
async fn a_body_of_the_wrong_shape_is_a_json_invalid_body_error() {
    let t = TestApp::demo(30).await;
    let mut admin = t.client(Role::Admin).await;
    let r = admin
        .send_raw(
            "POST",
            "/api/users",
            Some("application/json"),
            r#"{"username": 5}"#,
        )
        .await;
    assert_json_error(&r, StatusCode::UNPROCESSABLE_ENTITY, "web.invalid_body");
    assert!(r.json()["message"].as_str().unwrap().contains("username"));
}

#[tokio::test]
async fn a_wrong_content_type_is_a_json_unsupported_media_type_error() {
    let t = TestApp::demo(30).await;
    let mut admin = t.client(Role::Admin).await;
    let r = admin
        .send_raw(
            "POST",
            "/api/users",
            Some("text/plain"),
            r#"{"username": "x"}"#,
        )
        .await;
    assert_json_error(
        &r,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "web.unsupported_media_type",
    );
    let r = admin.send_raw("POST", "/api/users", None, "{}").await;
    assert_json_error(
        &r,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "web.unsupported_media_type",
    );
}

#[tokio::test]
async fn a_query_parameter_that_does_not_parse_is_a_json_bad_input_error() {
    let t = TestApp::demo(30).await;
    let mut admin = t.client(Role::Admin).await;
    let r = admin.get("/api/mapping/clusters?year=last").await;
    assert_json_error(&r, StatusCode::BAD_REQUEST, "web.bad_input");
    assert!(r.json()["message"].as_str().unwrap().contains("year"));
}

#[tokio::test]
async fn an_unknown_api_route_is_a_json_not_found_error() {
    let t = TestApp::demo(30).await;
    let mut admin = t.client(Role::Admin).await;
    let r = admin.get("/api/no/such/operation").await;
    assert_json_error(&r, StatusCode::NOT_FOUND, "web.not_found");
    assert!(
        r.json()["message"]
            .as_str()
            .unwrap()
            .contains("/api/no/such/operation")
    );
    // Anonymous too: the answer does not depend on a session.
    let r = t.anonymous().get("/api/nothing-here").await;
    assert_json_error(&r, StatusCode::NOT_FOUND, "web.not_found");
}

#[tokio::test]
async fn a_wrong_method_is_a_json_method_not_allowed_error_naming_the_allowed_ones() {
    let t = TestApp::demo(30).await;
    let mut admin = t.client(Role::Admin).await;
    let r = admin.send_raw("DELETE", "/api/login", None, "").await;
    assert_json_error(&r, StatusCode::METHOD_NOT_ALLOWED, "web.method_not_allowed");
    let allow = r.headers.get(header::ALLOW).unwrap().to_str().unwrap();
    assert!(allow.contains("POST"), "{allow}");
}

#[tokio::test]
async fn an_unknown_page_is_an_html_error_page() {
    let t = TestApp::demo(30).await;
    let mut member = t.client(Role::Member).await;
    let r = member.get("/no-such-page").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let content_type = r.headers.get(header::CONTENT_TYPE).unwrap();
    assert!(content_type.to_str().unwrap().starts_with("text/html"));
    assert!(r.body.contains("web.not_found"), "{}", r.body);
}

#[tokio::test]
async fn a_rejected_form_on_a_page_is_an_html_error_page() {
    let t = TestApp::demo(30).await;
    let mut admin = t.client(Role::Admin).await;
    // A form post without the fields the form takes: axum rejects it before the handler.
    let r = admin
        .send_raw(
            "POST",
            "/admin/users",
            Some("application/x-www-form-urlencoded"),
            "",
        )
        .await;
    assert!(r.status.is_client_error(), "{}", r.status);
    let content_type = r.headers.get(header::CONTENT_TYPE).unwrap();
    assert!(content_type.to_str().unwrap().starts_with("text/html"));
    assert!(r.body.contains("web."), "{}", r.body);
}

#[tokio::test]
async fn a_taken_username_is_a_409_store_duplicate() {
    let t = TestApp::demo(30).await;
    let mut admin = t.client(Role::Admin).await;
    let body =
        serde_json::json!({"username": "alice2", "password": "a long password", "role": "broker"});
    let r = admin.post_json("/api/users", &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = admin.post_json("/api/users", &body).await;
    assert_json_error(&r, StatusCode::CONFLICT, "store.duplicate");
    assert!(r.json()["message"].as_str().unwrap().contains("alice2"));
}

#[test]
fn store_errors_keep_their_code_and_status_and_internal_ones_hide_their_message() {
    use milieu_store::StoreError;
    let e = WebError::from(StoreError::NotFound {
        kind: "event",
        id: "e1".into(),
    });
    assert_eq!(
        (e.status(), e.code.name()),
        (StatusCode::NOT_FOUND, "store.not_found")
    );
    let e = WebError::from(StoreError::Duplicate {
        kind: "event",
        id: "e1".into(),
    });
    assert_eq!(
        (e.status(), e.code.name()),
        (StatusCode::CONFLICT, "store.duplicate")
    );
    let broken = serde_json::from_str::<u8>("not a number").unwrap_err();
    let e = WebError::from(StoreError::Corrupt {
        kind: "event",
        source: broken,
    });
    assert_eq!(
        (e.status(), e.code.name()),
        (StatusCode::INTERNAL_SERVER_ERROR, "store.corrupt")
    );
    assert!(!e.message.contains("number"), "{}", e.message);
}

#[test]
fn engine_codes_reach_the_web_through_milieu_app() {
    let engine = milieu_map::Error::UnknownRegion {
        region: "99999".into(),
        hint: String::new(),
    };
    let e = WebError::from(milieu_app::AppError::from(engine));
    assert_eq!(
        (e.status(), e.code.name()),
        (StatusCode::BAD_REQUEST, "map.unknown_region")
    );
    assert!(e.message.contains("99999"));
    let e = WebError::from(milieu_app::map::map_error(milieu_map::Error::Internal(
        "a bug".into(),
    )));
    assert_eq!(
        (e.status(), e.code.name()),
        (StatusCode::INTERNAL_SERVER_ERROR, "map.internal")
    );
}
