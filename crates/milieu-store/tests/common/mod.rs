//! The stores every conformance test runs against: SQLite in a temp dir always, and PostgreSQL
//! when MILIEU_TEST_PG_URL names a server (each call in a schema of its own).

use milieu_store::*;

pub async fn stores() -> Vec<(AnyStore, Option<tempfile::TempDir>)> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("test.db");
    let mut out = vec![(
        AnyStore::Sqlite(SqliteStore::open(path.to_str().unwrap()).await.unwrap()),
        Some(dir),
    )];
    match std::env::var("MILIEU_TEST_PG_URL") {
        Ok(url) if !url.is_empty() => {
            static COUNTER: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
            let schema = format!(
                "conf_{}_{}_{}",
                std::process::id(),
                COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst),
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_nanos()
                    % 1_000_000_000
            );
            out.push((
                AnyStore::Postgres(PgStore::open(&url, Some(&schema)).await.unwrap()),
                None,
            ));
        }
        _ => eprintln!("skipped PostgreSQL: MILIEU_TEST_PG_URL is not set"),
    }
    out
}
