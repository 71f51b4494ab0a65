//! The SQL implementation, written once and expanded for SQLite and PostgreSQL.

use crate::meetings::{MEETING_TABLES, meeting_row};
use crate::record::Record;
use crate::{
    FollowUpRecord, ImportSummary, MeetingPlan, MeetingRequest, OrgQuery, ScheduledMeeting,
    StoreError, TargetRecord,
};
use milieu_model::{Dataset, EntityKind, Organisation};
use std::collections::HashSet;
use std::str::FromStr;

/// Most rows written by one INSERT statement; both drivers allow far more parameters than
/// this needs, and larger statements stop paying off.
const ROWS_PER_INSERT: usize = 500;
/// Most ids in one `IN (...)` list.
const IDS_PER_QUERY: usize = 900;

/// The one placeholder writer: `(?,?,..),(..)` for SQLite, `($1,$2,..),(..)` for PostgreSQL
/// (`numbered`), for `rows` rows of `cols` values. SQLite looks up a numbered parameter's name
/// by a linear scan, so binding n `$k` parameters costs O(n²) (14,000 parameters: 98 M steps
/// per statement); anonymous `?` parameters bind in O(1).
pub(crate) fn values_placeholders(numbered: bool, rows: usize, cols: usize) -> String {
    let row = |r: usize| -> String {
        let values: Vec<String> = (0..cols)
            .map(|c| {
                if numbered {
                    format!("${}", r * cols + c + 1)
                } else {
                    "?".to_string()
                }
            })
            .collect();
        format!("({})", values.join(","))
    };
    (0..rows).map(row).collect::<Vec<_>>().join(",")
}

/// `$first,$first+1,..` for `n` values of an `IN (...)` list.
pub(crate) fn numbered_list(first: usize, n: usize) -> String {
    (0..n)
        .map(|i| format!("${}", first + i))
        .collect::<Vec<_>>()
        .join(",")
}

/// Organisations ordered so that a spin-off's parent is written before it: SQLite's deferred
/// foreign-key bookkeeping then never has an outstanding violation to resolve, which would make
/// each later insert search the referencing tables.
fn parents_first(orgs: &[Organisation]) -> Vec<Organisation> {
    use std::collections::HashMap;
    let index: HashMap<&str, usize> = orgs
        .iter()
        .enumerate()
        .map(|(i, o)| (o.id.as_str(), i))
        .collect();
    let mut placed = vec![false; orgs.len()];
    let mut out = Vec::with_capacity(orgs.len());
    for start in 0..orgs.len() {
        // Walk up the parent chain, then place from the top down (cycles end the walk).
        let mut chain = Vec::new();
        let mut at = Some(start);
        while let Some(i) = at {
            if placed[i] || chain.contains(&i) {
                break;
            }
            chain.push(i);
            at = orgs[i]
                .parent
                .as_ref()
                .and_then(|p| index.get(p.as_str()).copied());
        }
        for &i in chain.iter().rev() {
            placed[i] = true;
            out.push(orgs[i].clone());
        }
    }
    out
}

/// The one encoder of a stored row's JSON (`data`); `kind` names it in the error.
pub(crate) fn to_json<T: serde::Serialize>(
    kind: &'static str,
    value: &T,
) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|source| StoreError::Corrupt { kind, source })
}

/// The one decoder of a stored row's JSON (`data`); `kind` names it in the error.
pub(crate) fn from_json<T: serde::de::DeserializeOwned>(
    kind: &'static str,
    json: &str,
) -> Result<T, StoreError> {
    serde_json::from_str(json).map_err(|source| StoreError::Corrupt { kind, source })
}

/// A registry record's `data`: the whole record but its child-table field, whose values live in
/// their own rows (one copy of each value, read back by [`fill_children`]).
fn encode_record<T: Record>(record: &T) -> Result<String, StoreError> {
    let kind = T::KIND.singular();
    let Some(children) = T::CHILDREN else {
        return to_json(kind, record);
    };
    let mut value =
        serde_json::to_value(record).map_err(|source| StoreError::Corrupt { kind, source })?;
    if let Some(fields) = value.as_object_mut() {
        fields.remove(children.field);
    }
    to_json(kind, &value)
}

/// Sets each record's child-table field from `rows` of (parent id, value), in row order.
fn fill_children<T: Record>(records: &mut [T], rows: Vec<(String, String)>) {
    use std::collections::HashMap;
    let mut by_parent: HashMap<String, Vec<String>> = HashMap::new();
    for (parent, value) in rows {
        by_parent.entry(parent).or_default().push(value);
    }
    for record in records {
        let values = record
            .id()
            .and_then(|id| by_parent.remove(id))
            .unwrap_or_default();
        record.set_child_values(values);
    }
}

/// `%text%` with LIKE's wildcards escaped, lower-cased.
fn like_pattern(text: &str, prefix_only: bool) -> String {
    let mut out = String::new();
    if !prefix_only {
        out.push('%');
    }
    for c in text.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

macro_rules! sql_store {
    ($name:ident, $db:ty, $backend:literal, $numbered:literal) => {
        impl $name {
            /// Marks the registry as changed, inside the writing transaction.
            async fn bump_generation(
                tx: &mut sqlx::Transaction<'_, $db>,
            ) -> Result<(), StoreError> {
                sqlx::query::<$db>("UPDATE registry_generation SET n = n + 1 WHERE id = 1")
                    .execute(&mut **tx)
                    .await?;
                Ok(())
            }

            async fn insert_all<T: Record>(
                tx: &mut sqlx::Transaction<'_, $db>,
                records: &[T],
            ) -> Result<u64, StoreError> {
                let cols = T::COLUMNS.len() + 1;
                let mut written = 0;
                for chunk in records.chunks(ROWS_PER_INSERT) {
                    let sql = format!(
                        "INSERT INTO {} ({}, data) VALUES {}",
                        T::TABLE,
                        T::COLUMNS.join(", "),
                        values_placeholders($numbered, chunk.len(), cols)
                    );
                    let mut query = sqlx::query::<$db>(&sql);
                    for record in chunk {
                        for value in record.key_values() {
                            query = query.bind(value);
                        }
                        query = query.bind(encode_record(record)?);
                    }
                    written += query.execute(&mut **tx).await?.rows_affected();
                }
                Self::insert_children(tx, records).await?;
                Ok(written)
            }

            /// Writes the child-table rows of `records` (see [`crate::ChildTable`]); a value
            /// repeated within one record is written once.
            async fn insert_children<T: Record>(
                tx: &mut sqlx::Transaction<'_, $db>,
                records: &[T],
            ) -> Result<(), StoreError> {
                let Some(child) = T::CHILDREN else {
                    return Ok(());
                };
                let rows: Vec<(&str, String, i64)> = records
                    .iter()
                    .flat_map(|r| {
                        let parent = r.id().unwrap_or_default();
                        r.child_values()
                            .into_iter()
                            .enumerate()
                            .map(move |(i, v)| (parent, v, i as i64))
                    })
                    .collect();
                for chunk in rows.chunks(ROWS_PER_INSERT) {
                    let sql = format!(
                        "INSERT INTO {} ({}, {}, position) VALUES {} ON CONFLICT DO NOTHING",
                        child.table,
                        child.parent,
                        child.value,
                        values_placeholders($numbered, chunk.len(), 3)
                    );
                    let mut query = sqlx::query::<$db>(&sql);
                    for (parent, value, position) in chunk {
                        query = query.bind(*parent).bind(value.clone()).bind(*position);
                    }
                    query.execute(&mut **tx).await?;
                }
                Ok(())
            }

            /// (parent id, value) rows of a child table, of one parent or of all, in order.
            async fn child_rows(
                &self,
                child: crate::ChildTable,
                parent: Option<&str>,
            ) -> Result<Vec<(String, String)>, StoreError> {
                let filter = if parent.is_some() {
                    format!(" WHERE {} = $1", child.parent)
                } else {
                    String::new()
                };
                let sql = format!(
                    "SELECT {p}, {v} FROM {t}{filter} ORDER BY {p}, position, {v}",
                    p = child.parent,
                    v = child.value,
                    t = child.table
                );
                let mut query = sqlx::query_as::<$db, (String, String)>(&sql);
                if let Some(parent) = parent {
                    query = query.bind(parent);
                }
                Ok(query.fetch_all(&self.pool).await?)
            }
        }

        impl crate::RegistryStore for $name {
            fn backend(&self) -> &'static str {
                $backend
            }

            async fn import(&self, data: &Dataset) -> Result<ImportSummary, StoreError> {
                let mut tx = self.pool.begin().await?;
                let mut counts = Vec::new();
                macro_rules! write {
                    ($field:ident) => {
                        if !data.$field.is_empty() {
                            let n = Self::insert_all(&mut tx, &data.$field).await?;
                            counts.push((stringify!($field).to_string(), n));
                        }
                    };
                }
                if !data.organisations.is_empty() {
                    let ordered = parents_first(&data.organisations);
                    let n = Self::insert_all(&mut tx, &ordered).await?;
                    counts.push(("organisations".to_string(), n));
                }
                write!(people);
                write!(affiliations);
                write!(clusters);
                write!(initiatives);
                write!(memberships);
                write!(events);
                write!(attendance);
                write!(topic_requests);
                write!(projects);
                write!(participations);
                write!(introductions);
                write!(ties);
                write!(opportunities);
                write!(outcomes);
                Self::bump_generation(&mut tx).await?;
                tx.commit().await?;
                Ok(ImportSummary { counts })
            }

            async fn dataset(&self) -> Result<Dataset, StoreError> {
                Ok(Dataset {
                    organisations: self.load().await?,
                    people: self.load().await?,
                    affiliations: self.load().await?,
                    clusters: self.load().await?,
                    initiatives: self.load().await?,
                    memberships: self.load().await?,
                    events: self.load().await?,
                    attendance: self.load().await?,
                    topic_requests: self.load().await?,
                    projects: self.load().await?,
                    participations: self.load().await?,
                    ties: self.load().await?,
                    introductions: self.load().await?,
                    opportunities: self.load().await?,
                    outcomes: self.load().await?,
                })
            }

            async fn load<T: Record>(&self) -> Result<Vec<T>, StoreError> {
                let order = if T::HAS_ID { "id" } else { "seq" };
                let sql = format!("SELECT data FROM {} ORDER BY {order}", T::TABLE);
                let rows: Vec<String> = sqlx::query_scalar::<$db, String>(&sql)
                    .fetch_all(&self.pool)
                    .await?;
                let mut records = rows
                    .iter()
                    .map(|json| from_json::<T>(T::KIND.singular(), json))
                    .collect::<Result<Vec<T>, _>>()?;
                if let Some(child) = T::CHILDREN {
                    fill_children(&mut records, self.child_rows(child, None).await?);
                }
                Ok(records)
            }

            async fn get<T: Record>(&self, id: &str) -> Result<Option<T>, StoreError> {
                let sql = format!("SELECT data FROM {} WHERE id = $1", T::TABLE);
                let row: Option<String> = sqlx::query_scalar::<$db, String>(&sql)
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?;
                let Some(json) = row else {
                    return Ok(None);
                };
                let mut record = from_json::<T>(T::KIND.singular(), &json)?;
                if let Some(child) = T::CHILDREN {
                    let rows = self.child_rows(child, Some(id)).await?;
                    fill_children(std::slice::from_mut(&mut record), rows);
                }
                Ok(Some(record))
            }

            async fn replace<T: Record>(&self, record: &T) -> Result<(), StoreError> {
                let Some(id) = record.id() else {
                    return Err(StoreError::NotFound {
                        kind: T::KIND.singular(),
                        id: String::new(),
                    });
                };
                let mut tx = self.pool.begin().await?;
                let sql = format!("DELETE FROM {} WHERE id = $1", T::TABLE);
                let deleted = sqlx::query::<$db>(&sql)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if deleted == 0 {
                    return Err(StoreError::NotFound {
                        kind: T::KIND.singular(),
                        id: id.to_string(),
                    });
                }
                if let Some(child) = T::CHILDREN {
                    let sql = format!("DELETE FROM {} WHERE {} = $1", child.table, child.parent);
                    sqlx::query::<$db>(&sql).bind(id).execute(&mut *tx).await?;
                }
                Self::insert_all(&mut tx, std::slice::from_ref(record)).await?;
                Self::bump_generation(&mut tx).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn existing_ids(
                &self,
                kind: EntityKind,
                ids: &[String],
            ) -> Result<HashSet<String>, StoreError> {
                let mut found = HashSet::new();
                if !crate::has_id(kind) {
                    return Ok(found);
                }
                let table = crate::table_of(kind);
                for chunk in ids.chunks(IDS_PER_QUERY) {
                    let sql = format!(
                        "SELECT id FROM {table} WHERE id IN ({})",
                        numbered_list(1, chunk.len())
                    );
                    let mut query = sqlx::query_scalar::<$db, String>(&sql);
                    for id in chunk {
                        query = query.bind(id);
                    }
                    found.extend(query.fetch_all(&self.pool).await?);
                }
                Ok(found)
            }

            async fn clear(&self) -> Result<(), StoreError> {
                let mut tx = self.pool.begin().await?;
                for table in MEETING_TABLES.into_iter().chain([
                    "followups",
                    "kpi_targets",
                    "service_uptake",
                    "service_needs",
                    "services",
                    "topic_votes",
                ]) {
                    sqlx::query::<$db>(&format!("DELETE FROM {table}"))
                        .execute(&mut *tx)
                        .await?;
                }
                for &kind in EntityKind::ALL.iter().rev() {
                    let sql = format!("DELETE FROM {}", crate::table_of(kind));
                    sqlx::query::<$db>(&sql).execute(&mut *tx).await?;
                }
                Self::bump_generation(&mut tx).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn counts(&self) -> Result<Vec<(EntityKind, u64)>, StoreError> {
                let mut out = Vec::new();
                for &kind in EntityKind::ALL {
                    let sql = format!("SELECT COUNT(*) FROM {}", crate::table_of(kind));
                    let n: i64 = sqlx::query_scalar::<$db, i64>(&sql)
                        .fetch_one(&self.pool)
                        .await?;
                    out.push((kind, n as u64));
                }
                Ok(out)
            }

            async fn organisations(&self, q: &OrgQuery) -> Result<Vec<Organisation>, StoreError> {
                let mut conditions = Vec::new();
                let mut binds = Vec::new();
                if let Some(text) = q.text.as_deref().filter(|t| !t.is_empty()) {
                    let pattern = like_pattern(text, false);
                    conditions.push(format!(
                        "(LOWER(name) LIKE ${} ESCAPE '\\' OR LOWER(id) LIKE ${} ESCAPE '\\')",
                        binds.len() + 1,
                        binds.len() + 2
                    ));
                    binds.push(pattern.clone());
                    binds.push(pattern);
                }
                for (column, value) in [
                    ("kind", &q.kind),
                    ("region", &q.region),
                    ("country", &q.country),
                ] {
                    if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
                        conditions.push(format!("{column} = ${}", binds.len() + 1));
                        binds.push(v.to_string());
                    }
                }
                if let Some(sector) = q.sector.as_deref().filter(|v| !v.is_empty()) {
                    let code = if sector.contains(':') {
                        sector.to_lowercase()
                    } else {
                        match milieu_model::SectorCode::parse(sector) {
                            Ok(c) => c.to_string().to_lowercase(),
                            Err(_) => sector.to_lowercase(),
                        }
                    };
                    conditions.push(format!(
                        "LOWER(sectors) LIKE ${} ESCAPE '\\'",
                        binds.len() + 1
                    ));
                    binds.push(format!("%;{}", like_pattern(&code, true)));
                }
                let mut sql = String::from("SELECT data FROM organisations");
                if !conditions.is_empty() {
                    sql.push_str(" WHERE ");
                    sql.push_str(&conditions.join(" AND "));
                }
                sql.push_str(" ORDER BY name, id");
                if let Some(limit) = q.limit {
                    sql.push_str(&format!(" LIMIT {limit}"));
                    if let Some(offset) = q.offset {
                        sql.push_str(&format!(" OFFSET {offset}"));
                    }
                }
                let mut query = sqlx::query_scalar::<$db, String>(&sql);
                for b in binds {
                    query = query.bind(b);
                }
                let rows = query.fetch_all(&self.pool).await?;
                rows.iter()
                    .map(|json| {
                        from_json::<Organisation>(EntityKind::Organisation.singular(), json)
                    })
                    .collect()
            }

            async fn topic_vote_add(
                &self,
                topic_request: &str,
                org: &str,
            ) -> Result<(), StoreError> {
                // The INSERT comes first: on SQLite it takes the write lock at once, so the
                // checks below cannot turn this into a read transaction that fails to upgrade.
                let mut tx = self.pool.begin().await?;
                sqlx::query::<$db>(
                    "INSERT INTO topic_votes (topic_request_id, org_id, position) VALUES ($1, $2, \
                     (SELECT COUNT(*) FROM topic_votes WHERE topic_request_id = $3))",
                )
                .bind(topic_request)
                .bind(org)
                .bind(topic_request)
                .execute(&mut *tx)
                .await
                .map_err(|e| {
                    StoreError::from(e)
                        .naming("topic vote", || format!("of {org} for {topic_request}"))
                })?;
                for (kind, table, id) in [
                    ("topic request", "topic_requests", topic_request),
                    ("organisation", "organisations", org),
                ] {
                    let sql = format!("SELECT COUNT(*) FROM {table} WHERE id = $1");
                    let n: i64 = sqlx::query_scalar::<$db, i64>(&sql)
                        .bind(id)
                        .fetch_one(&mut *tx)
                        .await?;
                    if n == 0 {
                        return Err(StoreError::NotFound {
                            kind,
                            id: id.to_string(),
                        });
                    }
                }
                Self::bump_generation(&mut tx).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn generation(&self) -> Result<u64, crate::StoreError> {
                let n: i64 = sqlx::query_scalar::<$db, i64>(
                    "SELECT n FROM registry_generation WHERE id = 1",
                )
                .fetch_one(&self.pool)
                .await?;
                Ok(n as u64)
            }
        }

        impl crate::MapStore for $name {
            crate::map::map_store_methods!($db);
        }

        impl crate::AccountStore for $name {
            crate::accounts::account_store_methods!($db);
        }

        impl crate::ServiceStore for $name {
            crate::services::service_store_methods!($db);
        }
        crate::evaluation::evaluation_store_impl!($name, $db, $numbered);
        crate::meetings::meeting_store_impl!($name, $db, $numbered);
    };
}

/// The registry in one SQLite file (WAL journal, foreign keys on).
#[derive(Clone)]
pub struct SqliteStore {
    pool: sqlx::SqlitePool,
}

impl SqliteStore {
    /// Opens or creates the file and applies the SQLite migrations.
    pub async fn open(path: &str) -> Result<Self, StoreError> {
        use sqlx::sqlite::{
            SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous,
        };
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(std::time::Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
        Ok(Self { pool })
    }
}

/// The registry in a PostgreSQL database, optionally in its own schema.
#[derive(Clone)]
pub struct PgStore {
    pool: sqlx::PgPool,
}

impl PgStore {
    /// Connects, creates `schema` if given (and uses it as the search path), and applies the
    /// PostgreSQL migrations.
    pub async fn open(url: &str, schema: Option<&str>) -> Result<Self, StoreError> {
        use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
        let mut options = PgConnectOptions::from_str(url)
            .map_err(|e| StoreError::Address(url.to_string(), e.to_string()))?;
        if let Some(schema) = schema {
            if !schema
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_')
            {
                return Err(StoreError::Address(
                    url.to_string(),
                    format!("schema name {schema:?} must be letters, digits and _"),
                ));
            }
            let admin = PgPoolOptions::new()
                .max_connections(1)
                .connect_with(options.clone())
                .await?;
            sqlx::query(&format!("CREATE SCHEMA IF NOT EXISTS {schema}"))
                .execute(&admin)
                .await?;
            admin.close().await;
            options = options.options([("search_path", schema)]);
        }
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations/postgres").run(&pool).await?;
        Ok(Self { pool })
    }
}

sql_store!(SqliteStore, sqlx::Sqlite, "sqlite", false);
sql_store!(PgStore, sqlx::Postgres, "postgres", true);
