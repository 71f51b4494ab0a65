//! What every handler shares: the store, the registry read model, the templates, the login
//! limiter and the options.

use crate::auth::{Auth, LoginLimiter};
use crate::error::WebError;
use milieu_app::access::{Snapshot, SnapshotCache};
use milieu_store::AnyStore;
use std::sync::Arc;

/// How the server runs.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Mark cookies `Secure` (sent over HTTPS only). On by default unless the server listens
    /// on a loopback address, where browsers and tests reach it over plain HTTP.
    pub secure_cookies: bool,
    /// Largest request body accepted (uploads included).
    pub max_upload_bytes: usize,
    /// How long a session lasts without logging in again.
    pub session_hours: i64,
    /// Failed logins allowed per username (and, times four, per client address) in
    /// `login_window_secs` before further attempts are refused with 429.
    pub login_failures_allowed: usize,
    pub login_window_secs: u64,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            secure_cookies: true,
            max_upload_bytes: 20 * 1024 * 1024,
            session_hours: 12,
            login_failures_allowed: 5,
            login_window_secs: 300,
        }
    }
}

struct Inner {
    store: AnyStore,
    cache: SnapshotCache,
    limiter: LoginLimiter,
    templates: minijinja::Environment<'static>,
    options: ServeOptions,
}

/// The server's shared state (cheap to clone).
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

impl AppState {
    pub fn new(store: AnyStore, options: ServeOptions) -> AppState {
        AppState(Arc::new(Inner {
            store,
            cache: SnapshotCache::default(),
            limiter: LoginLimiter::new(
                options.login_failures_allowed,
                std::time::Duration::from_secs(options.login_window_secs),
            ),
            templates: crate::templates::environment(),
            options,
        }))
    }

    pub fn store(&self) -> &AnyStore {
        &self.0.store
    }

    pub fn options(&self) -> &ServeOptions {
        &self.0.options
    }

    pub(crate) fn limiter(&self) -> &LoginLimiter {
        &self.0.limiter
    }

    /// The current registry read model (reloaded when the store has changed).
    pub async fn snapshot(&self) -> Result<Arc<Snapshot>, WebError> {
        Ok(self.0.cache.get(&self.0.store).await?)
    }

    /// Renders a page template with the common context (`user`, `csrf`, `nav`) added to
    /// `context`. `nav` names the menu entry to mark as current.
    pub fn render(
        &self,
        auth: Option<&Auth>,
        nav: &str,
        template: &str,
        context: minijinja::Value,
    ) -> Result<axum::response::Html<String>, WebError> {
        crate::templates::render(&self.0.templates, auth, nav, template, context)
    }
}
