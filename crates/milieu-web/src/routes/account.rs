//! Logging in and out, the current account, and account administration.

use crate::auth::{self, Auth, LOGIN_CSRF_COOKIE, MaybeAuth, SESSION_COOKIE};
use crate::{ApiRouter, AppState, WebError};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use milieu_app::access::Role;
use minijinja::context;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::routes;

pub fn router() -> ApiRouter {
    ApiRouter::new()
        .route("/login", axum::routing::get(login_page).post(login_form))
        .route("/logout", axum::routing::post(logout_form))
        .route(
            "/admin/users",
            axum::routing::get(users_page).post(users_form),
        )
        .route(
            "/admin/users/{username}/disable",
            axum::routing::post(disable_form),
        )
        .routes(routes!(api_login))
        .routes(routes!(api_logout))
        .routes(routes!(api_me))
        .routes(routes!(api_users, api_add_user))
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
    error: Option<String>,
}

/// Only same-site relative paths are followed after login (no open redirect).
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.into(),
        _ => "/".into(),
    }
}

async fn login_page(
    State(state): State<AppState>,
    MaybeAuth(auth): MaybeAuth,
    Query(q): Query<NextQuery>,
) -> Result<Response, WebError> {
    if auth.is_some() {
        return Ok(Redirect::to(&safe_next(q.next.as_deref())).into_response());
    }
    let token = auth::random_token();
    let page = state.render(
        None,
        "login",
        "login.html",
        context! { login_csrf => token, next => safe_next(q.next.as_deref()), error => q.error },
    )?;
    let mut response = page.into_response();
    set_cookie(
        &mut response,
        &auth::set_cookie(&state, LOGIN_CSRF_COOKIE, &token, 3600),
    );
    Ok(response)
}

fn set_cookie(response: &mut Response, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
}

#[derive(Deserialize)]
struct LoginForm {
    username: String,
    password: String,
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    next: Option<String>,
}

async fn login_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    request_parts: axum::http::Extensions,
    axum::Form(form): axum::Form<LoginForm>,
) -> Result<Response, WebError> {
    let expected = auth::cookie(&headers, LOGIN_CSRF_COOKIE).unwrap_or("");
    if expected.is_empty() || !auth::constant_time_eq(expected, &form.csrf) {
        return Err(WebError::new(
            WebError::CSRF_FAILED,
            "the login form has expired; reload the login page and try again",
        ));
    }
    let client = auth::client_addr(&request_parts);
    // A session the browser already holds is ended: logging in always starts a new one.
    if let Some(old) = Auth::from_headers(&state, &headers).await? {
        auth::logout(&state, &old).await?;
    }
    let next = safe_next(form.next.as_deref());
    match auth::login(&state, &form.username, &form.password, &client).await {
        Ok((token, _)) => {
            let mut response = Redirect::to(&next).into_response();
            let max_age = state.options().session_hours * 3600;
            set_cookie(
                &mut response,
                &auth::set_cookie(&state, SESSION_COOKIE, &token, max_age),
            );
            set_cookie(
                &mut response,
                &auth::set_cookie(&state, LOGIN_CSRF_COOKIE, "", 0),
            );
            Ok(response)
        }
        Err(e) if e.code == WebError::BAD_CREDENTIALS || e.code == WebError::TOO_MANY_ATTEMPTS => {
            let page = state.render(
                None,
                "login",
                "login.html",
                context! { login_csrf => expected, next => next, error => e.message, username => form.username },
            )?;
            Ok((e.status(), page).into_response())
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
struct CsrfForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
}

async fn logout_form(
    State(state): State<AppState>,
    auth: Auth,
    axum::Form(form): axum::Form<CsrfForm>,
) -> Result<Response, WebError> {
    auth.check_csrf(Some(&form.csrf))?;
    auth::logout(&state, &auth).await?;
    let mut response = Redirect::to("/login").into_response();
    set_cookie(
        &mut response,
        &auth::set_cookie(&state, SESSION_COOKIE, "", 0),
    );
    Ok(response)
}

/// Credentials for `POST /api/login`.
#[derive(Deserialize, ToSchema)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

/// The logged-in account, with the CSRF token to send in `X-CSRF-Token` on writes.
#[derive(Serialize, ToSchema)]
pub struct Me {
    pub username: String,
    /// admin, manager, broker, member or funder.
    pub role: String,
    /// The organisation a member account acts for.
    pub org: Option<String>,
    pub csrf: String,
}

fn me(auth: &Auth) -> Me {
    Me {
        username: auth.username().to_string(),
        role: auth.role().as_str().to_string(),
        org: auth.org().map(|o| o.to_string()),
        csrf: auth.csrf.clone(),
    }
}

/// Log in: sets the session cookie and returns the account with its CSRF token.
#[utoipa::path(post, path = "/api/login", tag = "account",
    request_body = LoginRequest,
    responses((status = 200, body = Me), (status = 401, body = WebError), (status = 429, body = WebError)))]
async fn api_login(
    State(state): State<AppState>,
    headers: HeaderMap,
    extensions: axum::http::Extensions,
    Json(body): Json<LoginRequest>,
) -> Result<Response, WebError> {
    if let Some(old) = Auth::from_headers(&state, &headers).await? {
        auth::logout(&state, &old).await?;
    }
    let client = auth::client_addr(&extensions);
    let (token, auth) = auth::login(&state, &body.username, &body.password, &client).await?;
    let mut response = Json(me(&auth)).into_response();
    let max_age = state.options().session_hours * 3600;
    set_cookie(
        &mut response,
        &auth::set_cookie(&state, SESSION_COOKIE, &token, max_age),
    );
    Ok(response)
}

/// Log out: ends the session.
#[utoipa::path(post, path = "/api/logout", tag = "account",
    responses((status = 204), (status = 403, body = WebError)))]
async fn api_logout(
    State(state): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    auth.check_csrf_header(&headers)?;
    auth::logout(&state, &auth).await?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    set_cookie(
        &mut response,
        &auth::set_cookie(&state, SESSION_COOKIE, "", 0),
    );
    Ok(response)
}

/// The logged-in account.
#[utoipa::path(get, path = "/api/me", tag = "account",
    responses((status = 200, body = Me), (status = 401, body = WebError)))]
async fn api_me(auth: Auth) -> Json<Me> {
    Json(me(&auth))
}

/// An account as administrators see it (never the password hash).
#[derive(Serialize, ToSchema)]
pub struct Account {
    pub username: String,
    pub role: String,
    pub org: Option<String>,
    pub created: String,
    pub disabled: bool,
}

fn account(u: &milieu_store::UserRecord) -> Account {
    Account {
        username: u.username.clone(),
        role: u.role.clone(),
        org: u.org.clone(),
        created: u.created.clone(),
        disabled: u.disabled,
    }
}

/// Every account (administrators only).
#[utoipa::path(get, path = "/api/users", tag = "account",
    responses((status = 200, body = [Account]), (status = 403, body = WebError)))]
async fn api_users(
    State(state): State<AppState>,
    auth: Auth,
) -> Result<Json<Vec<Account>>, WebError> {
    auth.require_admin("list accounts")?;
    Ok(Json(
        state.store().users().await?.iter().map(account).collect(),
    ))
}

/// A new account.
#[derive(Deserialize, ToSchema)]
pub struct NewAccount {
    pub username: String,
    pub password: String,
    pub role: String,
    /// Required for member accounts: the organisation it acts for.
    #[serde(default)]
    pub org: Option<String>,
}

/// Create an account (administrators only).
#[utoipa::path(post, path = "/api/users", tag = "account",
    request_body = NewAccount,
    responses((status = 201, body = Account), (status = 400, body = WebError), (status = 403, body = WebError)))]
async fn api_add_user(
    State(state): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Json(body): Json<NewAccount>,
) -> Result<(StatusCode, Json<Account>), WebError> {
    auth.check_csrf_header(&headers)?;
    auth.require_admin("create accounts")?;
    let user = create(&state, &body).await?;
    Ok((StatusCode::CREATED, Json(account(&user))))
}

async fn create(state: &AppState, body: &NewAccount) -> Result<milieu_store::UserRecord, WebError> {
    let role = Role::parse(&body.role)?;
    let org = body.org.as_deref().filter(|o| !o.trim().is_empty());
    Ok(milieu_app::access::add_user(
        state.store(),
        &body.username,
        &body.password,
        role,
        org,
        &chrono::Utc::now().to_rfc3339(),
    )
    .await?)
}

async fn users_page(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<NextQuery>,
) -> Result<Response, WebError> {
    auth.require_admin("manage accounts")?;
    let users: Vec<Account> = state.store().users().await?.iter().map(account).collect();
    Ok(state
        .render(
            Some(&auth),
            "admin",
            "admin_users.html",
            context! { users => users, roles => Role::ALL.map(|r| r.as_str()), error => q.error },
        )?
        .into_response())
}

#[derive(Deserialize)]
struct NewAccountForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    username: String,
    password: String,
    role: String,
    #[serde(default)]
    org: Option<String>,
}

async fn users_form(
    State(state): State<AppState>,
    auth: Auth,
    axum::Form(form): axum::Form<NewAccountForm>,
) -> Result<Response, WebError> {
    auth.check_csrf(Some(&form.csrf))?;
    auth.require_admin("create accounts")?;
    let body = NewAccount {
        username: form.username,
        password: form.password,
        role: form.role,
        org: form.org,
    };
    match create(&state, &body).await {
        Ok(_) => Ok(Redirect::to("/admin/users").into_response()),
        Err(e) if e.code.is_user_error() => {
            let users: Vec<Account> = state.store().users().await?.iter().map(account).collect();
            let page = state.render(
                Some(&auth),
                "admin",
                "admin_users.html",
                context! { users => users, roles => Role::ALL.map(|r| r.as_str()), error => e.message },
            )?;
            Ok((e.status(), page).into_response())
        }
        Err(e) => Err(e),
    }
}

async fn disable_form(
    State(state): State<AppState>,
    auth: Auth,
    Path(username): Path<String>,
    axum::Form(form): axum::Form<CsrfForm>,
) -> Result<Response, WebError> {
    auth.check_csrf(Some(&form.csrf))?;
    auth.require_admin("disable accounts")?;
    if username == auth.username() {
        return Err(WebError::bad_input("you cannot disable your own account"));
    }
    let mut user = state
        .store()
        .user_get(&username)
        .await?
        .ok_or_else(|| WebError::not_found(format!("account {username:?}")))?;
    user.disabled = !user.disabled;
    state.store().user_update(&user).await?;
    Ok(Redirect::to("/admin/users").into_response())
}
