//! Sessions, the logged-in account of a request, CSRF tokens and the login limiter.
//!
//! - A session is a random 256-bit token in an `HttpOnly`, `SameSite=Lax` cookie (`Secure`
//!   unless the server runs on loopback); the store keeps only its SHA-256, with the account's
//!   role and organisation at login. Logging in always issues a new token (no fixation), and
//!   changing an account ends its sessions.
//! - Every state-changing request must carry the session's CSRF token: the `_csrf` field of a
//!   form, or the `X-CSRF-Token` header of an API call ([`Auth::check_csrf`]). The login form,
//!   which has no session yet, uses a double-submitted cookie.
//! - Failed logins are counted per username and per client address in a sliding window.

use crate::AppState;
use crate::error::WebError;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use base64::Engine;
use milieu_app::access::{Principal, Role};
use milieu_model::OrgId;
use sha2::Digest;
use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub const SESSION_COOKIE: &str = "milieu_session";
pub const LOGIN_CSRF_COOKIE: &str = "milieu_login_csrf";
pub const CSRF_HEADER: &str = "x-csrf-token";
pub const CSRF_FIELD: &str = "_csrf";

/// A random URL-safe token of 256 bits.
pub fn random_token() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// What the store keeps of a session token.
pub fn token_hash(token: &str) -> String {
    let digest = sha2::Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Equality that takes the same time wherever the strings differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The value of a cookie in the request's `Cookie` headers.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value with the server's flags.
pub fn set_cookie(state: &AppState, name: &str, value: &str, max_age_secs: i64) -> String {
    let secure = if state.options().secure_cookies {
        "; Secure"
    } else {
        ""
    };
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}")
}

pub fn now_unix() -> i64 {
    chrono::Utc::now().timestamp()
}

/// The logged-in account of a request. As an extractor it refuses the request when there is
/// no valid session: `401 unauthenticated` under `/api`, a redirect to the login page
/// elsewhere.
#[derive(Debug, Clone)]
pub struct Auth {
    pub principal: Principal,
    /// The session's CSRF token, for forms.
    pub csrf: String,
    pub(crate) token_hash: String,
}

impl Auth {
    pub fn role(&self) -> Role {
        self.principal.role
    }

    pub fn username(&self) -> &str {
        &self.principal.username
    }

    pub fn org(&self) -> Option<&OrgId> {
        self.principal.org.as_ref()
    }

    /// Refuses a write whose CSRF token (form field or header) is not this session's.
    pub fn check_csrf(&self, given: Option<&str>) -> Result<(), WebError> {
        match given {
            Some(token) if constant_time_eq(token, &self.csrf) => Ok(()),
            _ => Err(WebError::new(
                WebError::CSRF_FAILED,
                "the form or request is missing this session's CSRF token; reload the page and try again",
            )),
        }
    }

    /// [`Auth::check_csrf`] with the `X-CSRF-Token` header.
    pub fn check_csrf_header(&self, headers: &HeaderMap) -> Result<(), WebError> {
        self.check_csrf(headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()))
    }

    /// Refuses unless `allowed` holds for the account (403 `forbidden`).
    pub fn require(&self, allowed: bool, what: &str) -> Result<(), WebError> {
        if allowed {
            Ok(())
        } else {
            Err(WebError::forbidden(format!(
                "a {} account may not {what}",
                self.principal.role
            )))
        }
    }

    pub fn require_staff(&self, what: &str) -> Result<(), WebError> {
        self.require(self.principal.is_staff(), what)
    }

    pub fn require_editor(&self, what: &str) -> Result<(), WebError> {
        self.require(self.principal.can_edit_registry(), what)
    }

    pub fn require_admin(&self, what: &str) -> Result<(), WebError> {
        self.require(self.principal.can_admin(), what)
    }

    /// Reads the session of a request, if any.
    pub async fn from_headers(
        state: &AppState,
        headers: &HeaderMap,
    ) -> Result<Option<Auth>, WebError> {
        let Some(token) = cookie(headers, SESSION_COOKIE) else {
            return Ok(None);
        };
        let hash = token_hash(token);
        let Some(session) = state.store().session_get(&hash, now_unix()).await? else {
            return Ok(None);
        };
        let Ok(role) = Role::parse(&session.role) else {
            return Ok(None);
        };
        Ok(Some(Auth {
            principal: Principal {
                username: session.username,
                role,
                org: session.org.map(OrgId::new),
            },
            csrf: session.csrf,
            token_hash: hash,
        }))
    }
}

/// Why a request has no account.
pub struct AuthRejection {
    api: bool,
    path_and_query: String,
    error: Option<WebError>,
}

impl axum::response::IntoResponse for AuthRejection {
    fn into_response(self) -> axum::response::Response {
        if let Some(e) = self.error {
            return e.into_response();
        }
        if self.api {
            return WebError::unauthenticated().into_response();
        }
        let next = url_encode(&self.path_and_query);
        axum::response::Redirect::to(&format!("/login?next={next}")).into_response()
    }
}

/// Percent-encodes everything but unreserved characters.
pub fn url_encode(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = AuthRejection;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let api = parts.uri.path().starts_with("/api/");
        let path_and_query = parts
            .uri
            .path_and_query()
            .map(|p| p.as_str().to_string())
            .unwrap_or_else(|| "/".into());
        match Auth::from_headers(state, &parts.headers).await {
            Ok(Some(auth)) => Ok(auth),
            Ok(None) => Err(AuthRejection {
                api,
                path_and_query,
                error: None,
            }),
            Err(e) => Err(AuthRejection {
                api,
                path_and_query,
                error: Some(e),
            }),
        }
    }
}

/// Optional account: pages that also show something to visitors (the login page).
pub struct MaybeAuth(pub Option<Auth>);

impl FromRequestParts<AppState> for MaybeAuth {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        Ok(MaybeAuth(Auth::from_headers(state, &parts.headers).await?))
    }
}

/// Counts failed logins per key (a username, a client address) in a sliding window.
pub struct LoginLimiter {
    allowed: usize,
    window: Duration,
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl LoginLimiter {
    pub fn new(allowed: usize, window: Duration) -> LoginLimiter {
        LoginLimiter {
            allowed,
            window,
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// Whether another attempt is allowed for `username` from `client`.
    pub fn allows(&self, username: &str, client: &str) -> bool {
        let now = Instant::now();
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let mut count = |key: String| {
            let q = map.entry(key).or_default();
            while q
                .front()
                .is_some_and(|t| now.duration_since(*t) > self.window)
            {
                q.pop_front();
            }
            q.len()
        };
        count(format!("u:{username}")) < self.allowed
            && count(format!("c:{client}")) < self.allowed * 4
    }

    pub fn record_failure(&self, username: &str, client: &str) {
        let now = Instant::now();
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        // Bound the memory an attacker can make us use with many usernames.
        if map.len() > 100_000 {
            map.retain(|_, q| {
                q.back()
                    .is_some_and(|t| now.duration_since(*t) <= self.window)
            });
        }
        map.entry(format!("u:{username}"))
            .or_default()
            .push_back(now);
        map.entry(format!("c:{client}")).or_default().push_back(now);
    }

    pub fn record_success(&self, username: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        map.remove(&format!("u:{username}"));
    }
}

/// The client's address as the listener saw it ("unknown" in in-process tests).
pub fn client_addr(parts_extensions: &axum::http::Extensions) -> String {
    parts_extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

/// Logs in: checks the password (with the limiter), then creates a new session. Returns the
/// new session's token and CSRF token.
pub async fn login(
    state: &AppState,
    username: &str,
    password: &str,
    client: &str,
) -> Result<(String, Auth), WebError> {
    if !state.limiter().allows(username, client) {
        return Err(WebError::new(
            WebError::TOO_MANY_ATTEMPTS,
            "too many failed logins; wait a few minutes and try again",
        ));
    }
    let user = state.store().user_get(username).await?;
    // Verify against a dummy hash when the user is unknown, so timing does not tell.
    let ok = match &user {
        Some(u) if !u.disabled => milieu_app::access::verify_password(password, &u.password_hash),
        _ => {
            let _ = milieu_app::access::verify_password(password, dummy_hash());
            false
        }
    };
    let Some(user) = user.filter(|_| ok) else {
        state.limiter().record_failure(username, client);
        return Err(WebError::new(
            WebError::BAD_CREDENTIALS,
            "unknown username or wrong password",
        ));
    };
    state.limiter().record_success(username);
    let principal = Principal::from_user(&user)?;
    let token = random_token();
    let now = now_unix();
    let session = milieu_store::SessionRecord {
        token_hash: token_hash(&token),
        username: user.username.clone(),
        role: user.role.clone(),
        org: user.org.clone(),
        csrf: random_token(),
        created_unix: now,
        expires_unix: now + state.options().session_hours * 3600,
    };
    state.store().session_put(&session).await?;
    let _ = state.store().sessions_expire(now).await;
    Ok((
        token,
        Auth {
            principal,
            csrf: session.csrf,
            token_hash: session.token_hash,
        },
    ))
}

/// Ends the session.
pub async fn logout(state: &AppState, auth: &Auth) -> Result<(), WebError> {
    state.store().session_delete(&auth.token_hash).await?;
    Ok(())
}

fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        milieu_app::access::hash_password("not a password of anyone").unwrap_or_default()
    })
}
