//! Accounts, sessions and the protections around them, through the HTTP API and pages.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{PASSWORD, TestApp};
use milieu_app::access::Role;

#[tokio::test]
async fn every_role_logs_in_and_sees_itself() {
    let t = TestApp::demo(120).await;
    for role in Role::ALL {
        let mut c = t.client(role).await;
        let me = c.get("/api/me").await;
        assert_eq!(me.status, StatusCode::OK);
        assert_eq!(me.json()["role"], role.as_str());
        let page = c.get("/").await;
        assert_eq!(page.status, StatusCode::OK, "{role}: {}", page.body);
        assert!(page.body.contains("Dashboard"));
    }
}

#[tokio::test]
async fn without_a_session_the_api_says_401_and_pages_redirect_to_login() {
    let t = TestApp::demo(60).await;
    let mut c = t.anonymous();
    let r = c.get("/api/me").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.json()["code"], "web.unauthenticated");
    let r = c.get("/admin/users?text=x").await;
    assert!(r.status.is_redirection());
    assert_eq!(r.location(), Some("/login?next=/admin/users%3Ftext%3Dx"));
}

#[tokio::test]
async fn a_wrong_password_is_refused_and_repeated_failures_are_rate_limited() {
    let t = TestApp::demo(60).await;
    let mut c = t.anonymous();
    let body = serde_json::json!({"username": "manager", "password": "wrong password!"});
    for _ in 0..5 {
        let r = c.post_json("/api/login", &body).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert_eq!(r.json()["code"], "web.bad_credentials");
    }
    let r = c.post_json("/api/login", &body).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.json()["code"], "web.too_many_attempts");
    // Even the right password waits out the window.
    let good = serde_json::json!({"username": "manager", "password": PASSWORD});
    assert_eq!(
        c.post_json("/api/login", &good).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    // Other accounts are not locked by it.
    let other = serde_json::json!({"username": "broker", "password": PASSWORD});
    assert_eq!(
        c.post_json("/api/login", &other).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn session_cookies_are_http_only_and_lax() {
    let t = TestApp::demo(60).await;
    let mut c = t.anonymous();
    let r = c
        .post_json(
            "/api/login",
            &serde_json::json!({"username": "admin", "password": PASSWORD}),
        )
        .await;
    let cookie = r
        .set_cookies()
        .into_iter()
        .find(|c| c.starts_with("milieu_session="))
        .unwrap();
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    // The store keeps only a hash of the token.
    let token = cookie
        .split(';')
        .next()
        .unwrap()
        .trim_start_matches("milieu_session=");
    assert!(t.store.session_get(token, 0).await.unwrap().is_none());
    let hashed = milieu_web::auth::token_hash(token);
    assert!(t.store.session_get(&hashed, 0).await.unwrap().is_some());
}

#[tokio::test]
async fn logging_in_issues_a_new_session_so_a_planted_token_is_useless() {
    let t = TestApp::demo(60).await;
    // An attacker plants a session cookie value of its choosing in the victim's browser.
    let planted = "planted-token-chosen-by-attacker";
    let mut victim = t.anonymous();
    victim.cookie = Some(format!("milieu_session={planted}"));
    let r = victim
        .post_json(
            "/api/login",
            &serde_json::json!({"username": "manager", "password": PASSWORD}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let issued = victim.cookie.clone().unwrap();
    assert_ne!(issued, format!("milieu_session={planted}"));
    // The planted value does not authenticate.
    let mut attacker = t.anonymous();
    attacker.cookie = Some(format!("milieu_session={planted}"));
    assert_eq!(
        attacker.get("/api/me").await.status,
        StatusCode::UNAUTHORIZED
    );
    // An old session the browser held is ended by a new login.
    let mut first = t.client(Role::Broker).await;
    let old_cookie = first.cookie.clone();
    let r = first
        .post_json(
            "/api/login",
            &serde_json::json!({"username": "broker", "password": PASSWORD}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let mut stale = t.anonymous();
    stale.cookie = old_cookie;
    assert_eq!(stale.get("/api/me").await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn writes_without_the_csrf_token_are_refused_and_change_nothing() {
    let t = TestApp::demo(60).await;
    let mut admin = t.client(Role::Admin).await;
    let before = t.store.users().await.unwrap().len();
    let token = std::mem::take(&mut admin.csrf);
    let r = admin
        .post_json(
            "/api/users",
            &serde_json::json!({"username": "eve", "password": "long enough pw", "role": "manager"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.json()["code"], "web.csrf_failed");
    let r = admin
        .post_form(
            "/admin/users",
            &[
                ("_csrf", "forged"),
                ("username", "eve"),
                ("password", "long enough pw"),
                ("role", "manager"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(t.store.users().await.unwrap().len(), before);
    // With the token it works.
    admin.csrf = token;
    let r = admin
        .post_json(
            "/api/users",
            &serde_json::json!({"username": "eve", "password": "long enough pw", "role": "manager"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(t.store.users().await.unwrap().len(), before + 1);
}

#[tokio::test]
async fn the_login_form_needs_its_own_csrf_cookie() {
    let t = TestApp::demo(60).await;
    let page = t
        .send(Request::get("/login").body(Body::empty()).unwrap())
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let cookie = page
        .set_cookies()
        .into_iter()
        .find(|c| c.starts_with("milieu_login_csrf="))
        .unwrap();
    let token = cookie
        .split(';')
        .next()
        .unwrap()
        .trim_start_matches("milieu_login_csrf=")
        .to_string();
    assert!(page.body.contains(&token));
    let post = |csrf_cookie: Option<String>, field: String| {
        let mut b = Request::post("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(c) = csrf_cookie {
            b = b.header(header::COOKIE, format!("milieu_login_csrf={c}"));
        }
        b.body(Body::from(format!(
            "username=manager&password={}&_csrf={field}&next=%2Forgs",
            common::form_encode(PASSWORD)
        )))
        .unwrap()
    };
    // A cross-site form post has no cookie: refused.
    let r = t.send(post(None, token.clone())).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = t.send(post(Some(token.clone()), token.clone())).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), Some("/orgs"));
}

#[tokio::test]
async fn only_administrators_reach_account_administration() {
    let t = TestApp::demo(60).await;
    for role in [Role::Manager, Role::Broker, Role::Member, Role::Funder] {
        let mut c = t.client(role).await;
        assert_eq!(
            c.get("/api/users").await.status,
            StatusCode::FORBIDDEN,
            "{role}"
        );
        let page = c.get("/admin/users").await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{role}");
        assert!(page.body.contains("<html"), "pages show errors as HTML");
        let r = c
            .post_json(
                "/api/users",
                &serde_json::json!({"username": "mallory", "password": "long enough pw", "role": "admin"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
    }
    assert!(t.store.user_get("mallory").await.unwrap().is_none());
    let mut admin = t.client(Role::Admin).await;
    let page = admin.get("/admin/users").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("funder"));
}

#[tokio::test]
async fn a_disabled_account_loses_its_sessions_and_cannot_log_in() {
    let t = TestApp::demo(60).await;
    let mut funder = t.client(Role::Funder).await;
    let mut admin = t.client(Role::Admin).await;
    let r = admin.post_form("/admin/users/funder/disable", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(funder.get("/api/me").await.status, StatusCode::UNAUTHORIZED);
    let r = t
        .anonymous()
        .post_json(
            "/api/login",
            &serde_json::json!({"username": "funder", "password": PASSWORD}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_openapi_document_lists_the_api() {
    let t = TestApp::demo(60).await;
    let r = t
        .send(
            Request::get("/api/openapi.json")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let doc = r.json();
    for path in ["/api/login", "/api/me", "/api/users", "/api/summary"] {
        assert!(doc["paths"][path].is_object(), "{path} missing");
    }
}

#[tokio::test]
async fn pages_escape_what_users_typed() {
    let t = TestApp::demo(60).await;
    let mut admin = t.client(Role::Admin).await;
    let r = admin
        .post_form(
            "/admin/users",
            &[
                ("username", "<script>alert(1)</script>"),
                ("password", "long enough pw"),
                ("role", "manager"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(!r.body.contains("<script>alert(1)"), "{}", r.body);
    assert!(r.body.contains("&lt;script&gt;"));
}
