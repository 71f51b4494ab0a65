//! Conformance of web accounts, sessions and the registry generation, on every store.

mod common;

use common::stores;
use milieu_store::*;

fn user(name: &str, role: &str) -> UserRecord {
    UserRecord {
        username: name.into(),
        role: role.into(),
        org: None,
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
        display_name: String::new(),
        created: "2026-11-24T00:00:00Z".into(),
        disabled: false,
    }
}

fn session(token_hash: &str, username: &str, expires_unix: i64) -> SessionRecord {
    SessionRecord {
        token_hash: token_hash.into(),
        username: username.into(),
        role: "manager".into(),
        org: None,
        csrf: format!("csrf-{token_hash}"),
        created_unix: 100,
        expires_unix,
    }
}

#[tokio::test]
async fn users_are_added_once_updated_and_listed() {
    for (store, _dir) in stores().await {
        let b = store.backend();
        store.user_add(&user("zoe", "admin")).await.unwrap();
        store.user_add(&user("amy", "member")).await.unwrap();
        let dup = store.user_add(&user("zoe", "manager")).await;
        assert!(
            matches!(dup, Err(StoreError::Duplicate { .. })),
            "{b}: {dup:?}"
        );
        let names: Vec<String> = store
            .users()
            .await
            .unwrap()
            .into_iter()
            .map(|u| u.username)
            .collect();
        assert_eq!(names, ["amy", "zoe"], "{b}");
        let mut amy = store.user_get("amy").await.unwrap().unwrap();
        assert_eq!(amy.role, "member");
        amy.org = Some("o1".into());
        amy.disabled = true;
        store.user_update(&amy).await.unwrap();
        assert_eq!(store.user_get("amy").await.unwrap().unwrap(), amy, "{b}");
        assert!(store.user_get("nobody").await.unwrap().is_none());
        let missing = store.user_update(&user("nobody", "admin")).await;
        assert!(matches!(missing, Err(StoreError::NotFound { .. })), "{b}");
        // Accounts survive clearing the registry.
        store.clear().await.unwrap();
        assert_eq!(store.users().await.unwrap().len(), 2, "{b}");
    }
}

#[tokio::test]
async fn sessions_expire_and_end_when_their_account_changes() {
    for (store, _dir) in stores().await {
        let b = store.backend();
        store.user_add(&user("zoe", "admin")).await.unwrap();
        store.user_add(&user("amy", "manager")).await.unwrap();
        store
            .session_put(&session("h1", "zoe", 1_000))
            .await
            .unwrap();
        store
            .session_put(&session("h2", "zoe", 5_000))
            .await
            .unwrap();
        store
            .session_put(&session("h3", "amy", 5_000))
            .await
            .unwrap();
        assert_eq!(
            store.session_get("h1", 999).await.unwrap(),
            Some(session("h1", "zoe", 1_000)),
            "{b}"
        );
        assert!(
            store.session_get("h1", 1_000).await.unwrap().is_none(),
            "{b}: expired"
        );
        assert_eq!(store.sessions_expire(2_000).await.unwrap(), 1, "{b}");
        store.session_delete("h3").await.unwrap();
        assert!(store.session_get("h3", 0).await.unwrap().is_none());
        // Changing the account ends its sessions.
        let zoe = store.user_get("zoe").await.unwrap().unwrap();
        store.user_update(&zoe).await.unwrap();
        assert!(store.session_get("h2", 0).await.unwrap().is_none(), "{b}");
    }
}

#[tokio::test]
async fn every_registry_write_raises_the_generation() {
    for (store, _dir) in stores().await {
        let b = store.backend();
        let g0 = store.generation().await.unwrap();
        let mut data = milieu_model::Dataset::default();
        data.organisations.push(milieu_model::Organisation::new(
            "o1",
            "Acme",
            milieu_model::OrgKind::Firm,
        ));
        store.import(&data).await.unwrap();
        let g1 = store.generation().await.unwrap();
        assert!(g1 > g0, "{b}: import");
        let mut acme = data.organisations[0].clone();
        acme.name = "Acme GmbH".into();
        store.replace(&acme).await.unwrap();
        let g2 = store.generation().await.unwrap();
        assert!(g2 > g1, "{b}: replace");
        // A failed write leaves it where it was.
        assert!(store.import(&data).await.is_err());
        assert_eq!(store.generation().await.unwrap(), g2, "{b}: failed import");
        // Reads and account changes do not move it.
        store.dataset().await.unwrap();
        store.user_add(&user("zoe", "admin")).await.unwrap();
        assert_eq!(store.generation().await.unwrap(), g2, "{b}");
        store.clear().await.unwrap();
        assert!(store.generation().await.unwrap() > g2, "{b}: clear");
    }
}
