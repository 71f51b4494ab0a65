//! Schema drift: the SQLite and PostgreSQL migrations are two hand-kept copies, so a fresh
//! database of each is read back (tables, columns with a type family and nullability, primary
//! keys, foreign keys, indexes with their columns and uniqueness) and the two descriptions
//! must agree. Runs when MILIEU_TEST_PG_URL names a PostgreSQL server; says skipped otherwise.
//!
//! Intended differences are normalised away, each for a reason:
//! - integer widths (SQLite has one INTEGER; PostgreSQL columns are INTEGER or BIGINT) and
//!   `NUMERIC` for SQLite's counts against `DOUBLE PRECISION` (SQLite stores integral counts
//!   compactly under NUMERIC affinity): both are one family, "integer" or "number";
//! - an `INTEGER PRIMARY KEY` is nullable in SQLite's catalogue (a rowid alias) and NOT NULL in
//!   PostgreSQL's: primary-key columns are compared as not null;
//! - the indexes a primary key or UNIQUE constraint creates have engine-chosen names: they are
//!   compared by table, columns and uniqueness, not by name.

use sqlx::Row;
use std::collections::BTreeSet;

/// One fact of a schema, comparable across the two databases.
type Facts = BTreeSet<String>;

fn family(declared: &str) -> &'static str {
    let t = declared.to_ascii_lowercase();
    if t.contains("int") {
        "integer"
    } else if t.contains("numeric") || t.contains("double") || t.contains("real") {
        "number"
    } else if t.contains("char") || t.contains("text") {
        "text"
    } else if t.contains("bool") {
        "boolean"
    } else if t.contains("blob") || t.contains("bytea") {
        "bytes"
    } else {
        "other"
    }
}

async fn sqlite_facts(path: &str) -> Facts {
    milieu_store::SqliteStore::open(path).await.unwrap();
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{path}"))
        .await
        .unwrap();
    let mut facts = Facts::new();
    let tables: Vec<String> = sqlx::query(
        "SELECT name FROM sqlite_master WHERE type = 'table' \
         AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%' ORDER BY name",
    )
    .fetch_all(&pool)
    .await
    .unwrap()
    .iter()
    .map(|r| r.get::<String, _>(0))
    .collect();
    for table in &tables {
        facts.insert(format!("table {table}"));
        let columns = sqlx::query(&format!("PRAGMA table_info(\"{table}\")"))
            .fetch_all(&pool)
            .await
            .unwrap();
        let mut pk: Vec<(i64, String)> = Vec::new();
        for c in &columns {
            let name: String = c.get("name");
            let declared: String = c.get("type");
            let not_null: i64 = c.get("notnull");
            let pk_position: i64 = c.get("pk");
            if pk_position > 0 {
                pk.push((pk_position, name.clone()));
            }
            let nullable = not_null == 0 && pk_position == 0;
            facts.insert(format!(
                "column {table}.{name} {} {}",
                family(&declared),
                if nullable { "null" } else { "not null" }
            ));
        }
        pk.sort();
        let pk: Vec<String> = pk.into_iter().map(|(_, n)| n).collect();
        if !pk.is_empty() {
            facts.insert(format!("primary key {table}({})", pk.join(", ")));
        }
        let fks = sqlx::query(&format!("PRAGMA foreign_key_list(\"{table}\")"))
            .fetch_all(&pool)
            .await
            .unwrap();
        let mut by_id: std::collections::BTreeMap<i64, (String, Vec<String>, Vec<String>)> =
            Default::default();
        for f in &fks {
            let id: i64 = f.get("id");
            let e = by_id
                .entry(id)
                .or_insert_with(|| (f.get("table"), vec![], vec![]));
            e.1.push(f.get("from"));
            e.2.push(f.get::<Option<String>, _>("to").unwrap_or_default());
        }
        for (target, from, to) in by_id.into_values() {
            facts.insert(format!(
                "foreign key {table}({}) -> {target}({})",
                from.join(", "),
                to.join(", ")
            ));
        }
        let indexes = sqlx::query(&format!("PRAGMA index_list(\"{table}\")"))
            .fetch_all(&pool)
            .await
            .unwrap();
        for i in &indexes {
            let name: String = i.get("name");
            let unique: i64 = i.get("unique");
            let origin: String = i.get("origin");
            if origin == "pk" {
                continue;
            }
            let cols: Vec<String> = sqlx::query(&format!("PRAGMA index_info(\"{name}\")"))
                .fetch_all(&pool)
                .await
                .unwrap()
                .iter()
                .map(|r| r.get::<String, _>("name"))
                .collect();
            facts.insert(index_fact(table, &name, origin == "c", unique != 0, &cols));
        }
    }
    facts
}

/// An index by name when the migration named it (`CREATE INDEX`), else by its columns.
fn index_fact(table: &str, name: &str, named: bool, unique: bool, cols: &[String]) -> String {
    format!(
        "{}index {table}{} ({})",
        if unique { "unique " } else { "" },
        if named {
            format!(" {name}")
        } else {
            String::new()
        },
        cols.join(", ")
    )
}

async fn postgres_facts(url: &str) -> Facts {
    let schema = format!("drift_{}", std::process::id());
    milieu_store::PgStore::open(url, Some(&schema))
        .await
        .unwrap();
    let pool = sqlx::PgPool::connect(url).await.unwrap();
    let mut facts = Facts::new();
    let columns = sqlx::query(
        "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text \
         FROM information_schema.columns WHERE table_schema = $1 \
         AND table_name NOT LIKE '\\_sqlx%'",
    )
    .bind(&schema)
    .fetch_all(&pool)
    .await
    .unwrap();
    for c in &columns {
        let table: String = c.get(0);
        facts.insert(format!("table {table}"));
        let nullable: String = c.get(3);
        facts.insert(format!(
            "column {table}.{} {} {}",
            c.get::<String, _>(1),
            family(&c.get::<String, _>(2)),
            if nullable == "YES" {
                "null"
            } else {
                "not null"
            }
        ));
    }
    // Constraints: primary and foreign keys with their columns in key order.
    let constraints = sqlx::query(
        "SELECT c.contype::text, t.relname::text, \
           ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, o) \
                 JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.o), \
           COALESCE(r.relname::text, ''), \
           ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(n, o) \
                 JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.o) \
         FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid \
         JOIN pg_namespace s ON s.oid = t.relnamespace \
         LEFT JOIN pg_class r ON r.oid = c.confrelid \
         WHERE s.nspname = $1 AND c.contype IN ('p', 'f') AND t.relname NOT LIKE '\\_sqlx%'",
    )
    .bind(&schema)
    .fetch_all(&pool)
    .await
    .unwrap();
    for c in &constraints {
        let kind: String = c.get(0);
        let table: String = c.get(1);
        let cols: Vec<String> = c.get(2);
        if kind == "p" {
            facts.insert(format!("primary key {table}({})", cols.join(", ")));
        } else {
            let target: String = c.get(3);
            let to: Vec<String> = c.get(4);
            facts.insert(format!(
                "foreign key {table}({}) -> {target}({})",
                cols.join(", "),
                to.join(", ")
            ));
        }
    }
    let indexes = sqlx::query(
        "SELECT t.relname::text, i.relname::text, x.indisunique, \
           EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid), \
           ARRAY(SELECT a.attname::text FROM unnest(x.indkey) WITH ORDINALITY k(n, o) \
                 JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.n ORDER BY k.o) \
         FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid \
         JOIN pg_class t ON t.oid = x.indrelid JOIN pg_namespace s ON s.oid = t.relnamespace \
         WHERE s.nspname = $1 AND NOT x.indisprimary AND t.relname NOT LIKE '\\_sqlx%'",
    )
    .bind(&schema)
    .fetch_all(&pool)
    .await
    .unwrap();
    for i in &indexes {
        let table: String = i.get(0);
        let name: String = i.get(1);
        let unique: bool = i.get(2);
        let from_constraint: bool = i.get(3);
        let cols: Vec<String> = i.get(4);
        facts.insert(index_fact(&table, &name, !from_constraint, unique, &cols));
    }
    sqlx::query(&format!("DROP SCHEMA {schema} CASCADE"))
        .execute(&pool)
        .await
        .unwrap();
    facts
}

#[tokio::test]
async fn sqlite_and_postgres_migrations_build_the_same_schema() {
    let Ok(url) = std::env::var("MILIEU_TEST_PG_URL") else {
        eprintln!("skipped: MILIEU_TEST_PG_URL is not set (no PostgreSQL to compare with)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let sqlite = sqlite_facts(dir.path().join("drift.db").to_str().unwrap()).await;
    let postgres = postgres_facts(&url).await;
    assert!(
        sqlite.len() > 100,
        "the SQLite schema was read: {sqlite:#?}"
    );
    let only_sqlite: Vec<&String> = sqlite.difference(&postgres).collect();
    let only_postgres: Vec<&String> = postgres.difference(&sqlite).collect();
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "schemas drifted\nonly in SQLite: {only_sqlite:#?}\nonly in PostgreSQL: {only_postgres:#?}"
    );
}
