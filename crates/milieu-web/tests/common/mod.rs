//! An in-process server over a fresh SQLite demo database with one account per role, and a
//! small client that keeps a session cookie and the CSRF token. Shared by every test file of
//! milieu-web (each file uses a part of it).
#![allow(dead_code)]

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use milieu_app::access::Role;
use milieu_store::AnyStore;
use tower::ServiceExt;

pub const PASSWORD: &str = "test-password-123";

pub struct TestApp {
    pub app: Router,
    pub store: AnyStore,
    pub state: milieu_web::AppState,
    /// The organisation the demo member account acts for.
    pub member_org: String,
    _dir: tempfile::TempDir,
}

/// A response: status, headers and body text.
pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| {
            panic!("not JSON ({e}): {}", &self.body[..self.body.len().min(500)])
        })
    }
    pub fn location(&self) -> Option<&str> {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
    }
    pub fn set_cookies(&self) -> Vec<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_string))
            .collect()
    }
}

impl TestApp {
    /// The demo region (`orgs` organisations, seed 42) and the demo accounts, all with
    /// [`PASSWORD`].
    pub async fn demo(orgs: usize) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("web.db");
        let store = milieu_store::open(path.to_str().unwrap()).await.unwrap();
        let data = milieu_demo::generate(&milieu_demo::DemoOptions::new(42, orgs));
        store.import(&data).await.unwrap();
        let accounts = milieu_app::access::ensure_demo_accounts(
            &store,
            |_| PASSWORD.to_string(),
            "2026-11-24T00:00:00Z",
        )
        .await
        .unwrap();
        let member_org = accounts
            .iter()
            .find(|a| a.role == Role::Member)
            .and_then(|a| a.org.clone())
            .unwrap();
        let options = milieu_web::ServeOptions {
            secure_cookies: false,
            max_upload_bytes: 1024 * 1024,
            ..Default::default()
        };
        let state = milieu_web::AppState::new(store.clone(), options);
        TestApp {
            app: milieu_web::app(state.clone()),
            store,
            state,
            member_org,
            _dir: dir,
        }
    }

    pub async fn send(&self, request: Request<Body>) -> Reply {
        let response = self.app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    /// A client logged in as the demo account of `role`.
    pub async fn client(&self, role: Role) -> Client<'_> {
        let mut c = Client {
            app: self,
            cookie: None,
            csrf: String::new(),
        };
        let r = c
            .post_json(
                "/api/login",
                &serde_json::json!({"username": role.as_str(), "password": PASSWORD}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "login as {role}: {}", r.body);
        c.csrf = r.json()["csrf"].as_str().unwrap().to_string();
        c
    }

    /// A client with no session.
    pub fn anonymous(&self) -> Client<'_> {
        Client {
            app: self,
            cookie: None,
            csrf: String::new(),
        }
    }
}

/// Keeps the session cookie between requests; sends the CSRF token on writes.
pub struct Client<'a> {
    pub app: &'a TestApp,
    pub cookie: Option<String>,
    pub csrf: String,
}

impl Client<'_> {
    fn request(&self, method: &str, uri: &str) -> axum::http::request::Builder {
        let mut b = Request::builder().method(method).uri(uri);
        if let Some(c) = &self.cookie {
            b = b.header(header::COOKIE, c);
        }
        b
    }

    async fn send(&mut self, request: Request<Body>) -> Reply {
        let reply = self.app.send(request).await;
        for c in reply.set_cookies() {
            if let Some(v) = c.strip_prefix("milieu_session=") {
                let value = v.split(';').next().unwrap_or("");
                self.cookie = (!value.is_empty()).then(|| format!("milieu_session={value}"));
            }
        }
        reply
    }

    pub async fn get(&mut self, uri: &str) -> Reply {
        let r = self.request("GET", uri).body(Body::empty()).unwrap();
        self.send(r).await
    }

    pub async fn post_json(&mut self, uri: &str, body: &serde_json::Value) -> Reply {
        let r = self
            .request("POST", uri)
            .header(header::CONTENT_TYPE, "application/json")
            .header("x-csrf-token", self.csrf.clone())
            .body(Body::from(body.to_string()))
            .unwrap();
        self.send(r).await
    }

    /// Any method with a JSON body and the CSRF header.
    pub async fn send_json(&mut self, method: &str, uri: &str, body: &serde_json::Value) -> Reply {
        let r = self
            .request(method, uri)
            .header(header::CONTENT_TYPE, "application/json")
            .header("x-csrf-token", self.csrf.clone())
            .body(Body::from(body.to_string()))
            .unwrap();
        self.send(r).await
    }

    /// Any method with a body sent as it is (no JSON encoding), the given `Content-Type` if
    /// any, and the CSRF header: for requests a well-behaved client would not send.
    pub async fn send_raw(
        &mut self,
        method: &str,
        uri: &str,
        content_type: Option<&str>,
        body: &str,
    ) -> Reply {
        let mut r = self
            .request(method, uri)
            .header("x-csrf-token", self.csrf.clone());
        if let Some(t) = content_type {
            r = r.header(header::CONTENT_TYPE, t);
        }
        let r = r.body(Body::from(body.to_string())).unwrap();
        self.send(r).await
    }

    /// A form post; `_csrf` is added unless `fields` has one.
    pub async fn post_form(&mut self, uri: &str, fields: &[(&str, &str)]) -> Reply {
        let mut pairs: Vec<(String, String)> = fields
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        if !fields.iter().any(|(k, _)| *k == "_csrf") {
            pairs.push(("_csrf".into(), self.csrf.clone()));
        }
        let body = pairs
            .iter()
            .map(|(k, v)| format!("{}={}", form_encode(k), form_encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let r = self
            .request("POST", uri)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        self.send(r).await
    }

    /// A multipart upload of one file field plus text fields (`_csrf` added).
    pub async fn post_multipart(
        &mut self,
        uri: &str,
        fields: &[(&str, &str)],
        file_field: &str,
        file_name: &str,
        content: &[u8],
    ) -> Reply {
        let boundary = "milieu-test-boundary-7d1f";
        let mut body = Vec::new();
        let mut fields: Vec<(String, String)> = fields
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        if !fields.iter().any(|(k, _)| k == "_csrf") {
            fields.push(("_csrf".into(), self.csrf.clone()));
        }
        for (k, v) in &fields {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                )
                .as_bytes(),
            );
        }
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{file_field}\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(content);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let r = self
            .request("POST", uri)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .unwrap();
        self.send(r).await
    }
}

pub fn form_encode(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}
