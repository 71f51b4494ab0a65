//! Web accounts and sessions. Kept apart from the registry's [`crate::Record`]s: they are not
//! part of a registry import or export, and clearing the registry keeps them.

use serde::{Deserialize, Serialize};

/// A login. `role` is one of milieu-app's roles (`admin`, `manager`, `broker`, `member`,
/// `funder`); `org` is the organisation a member account acts for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRecord {
    pub username: String,
    pub role: String,
    #[serde(default)]
    pub org: Option<String>,
    /// An argon2 PHC string; the password itself is never stored.
    pub password_hash: String,
    #[serde(default)]
    pub display_name: String,
    /// RFC 3339 time of creation.
    pub created: String,
    #[serde(default)]
    pub disabled: bool,
}

/// A logged-in session. The store keeps only the hash of the cookie's token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRecord {
    pub token_hash: String,
    pub username: String,
    /// The account's role and organisation when the session began: changing either ends the
    /// account's sessions ([`crate::AccountStore::user_update`]), so a session never acts on stale ones.
    pub role: String,
    #[serde(default)]
    pub org: Option<String>,
    /// The form token bound to this session (double-submitted by every form and by API writes).
    pub csrf: String,
    pub created_unix: i64,
    pub expires_unix: i64,
}

macro_rules! account_store_methods {
    ($db:ty) => {
        async fn user_add(&self, user: &$crate::UserRecord) -> Result<(), $crate::StoreError> {
            sqlx::query::<$db>(
                "INSERT INTO users (username, role, org_id, password_hash, disabled, data) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(&user.username)
            .bind(&user.role)
            .bind(user.org.clone())
            .bind(&user.password_hash)
            .bind(i64::from(user.disabled))
            .bind($crate::sql::to_json("user", user)?)
            .execute(&self.pool)
            .await
            .map_err(|e| $crate::StoreError::from(e).naming("user", || user.username.clone()))?;
            Ok(())
        }

        async fn user_update(&self, user: &$crate::UserRecord) -> Result<(), $crate::StoreError> {
            let mut tx = self.pool.begin().await?;
            let n = sqlx::query::<$db>(
                "UPDATE users SET role = $2, org_id = $3, password_hash = $4, disabled = $5, \
                 data = $6 WHERE username = $1",
            )
            .bind(&user.username)
            .bind(&user.role)
            .bind(user.org.clone())
            .bind(&user.password_hash)
            .bind(i64::from(user.disabled))
            .bind($crate::sql::to_json("user", user)?)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 0 {
                return Err($crate::StoreError::NotFound {
                    kind: "user",
                    id: user.username.clone(),
                });
            }
            // A changed password, role or status ends every session of the account.
            sqlx::query::<$db>("DELETE FROM sessions WHERE username = $1")
                .bind(&user.username)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(())
        }

        async fn user_get(
            &self,
            username: &str,
        ) -> Result<Option<$crate::UserRecord>, $crate::StoreError> {
            let row: Option<String> =
                sqlx::query_scalar::<$db, String>("SELECT data FROM users WHERE username = $1")
                    .bind(username)
                    .fetch_optional(&self.pool)
                    .await?;
            row.map(|j| $crate::sql::from_json("user", &j)).transpose()
        }

        async fn users(&self) -> Result<Vec<$crate::UserRecord>, $crate::StoreError> {
            let rows: Vec<String> =
                sqlx::query_scalar::<$db, String>("SELECT data FROM users ORDER BY username")
                    .fetch_all(&self.pool)
                    .await?;
            rows.iter()
                .map(|j| $crate::sql::from_json("user", j))
                .collect()
        }

        async fn session_put(
            &self,
            session: &$crate::SessionRecord,
        ) -> Result<(), $crate::StoreError> {
            sqlx::query::<$db>(
                "INSERT INTO sessions (token_hash, username, expires_unix, data) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(&session.token_hash)
            .bind(&session.username)
            .bind(session.expires_unix)
            .bind($crate::sql::to_json("session", session)?)
            .execute(&self.pool)
            .await?;
            Ok(())
        }

        async fn session_get(
            &self,
            token_hash: &str,
            now_unix: i64,
        ) -> Result<Option<$crate::SessionRecord>, $crate::StoreError> {
            let row: Option<String> = sqlx::query_scalar::<$db, String>(
                "SELECT data FROM sessions WHERE token_hash = $1 AND expires_unix > $2",
            )
            .bind(token_hash)
            .bind(now_unix)
            .fetch_optional(&self.pool)
            .await?;
            row.map(|j| $crate::sql::from_json("session", &j))
                .transpose()
        }

        async fn session_delete(&self, token_hash: &str) -> Result<(), $crate::StoreError> {
            sqlx::query::<$db>("DELETE FROM sessions WHERE token_hash = $1")
                .bind(token_hash)
                .execute(&self.pool)
                .await?;
            Ok(())
        }

        async fn sessions_expire(&self, now_unix: i64) -> Result<u64, $crate::StoreError> {
            Ok(
                sqlx::query::<$db>("DELETE FROM sessions WHERE expires_unix <= $1")
                    .bind(now_unix)
                    .execute(&self.pool)
                    .await?
                    .rows_affected(),
            )
        }
    };
}

pub(crate) use account_store_methods;
