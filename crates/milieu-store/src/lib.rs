//! Storage of the milieu registry.
//!
//! One trait, [`Store`], with two implementations: [`SqliteStore`] (the default, one file in WAL
//! mode) and [`PgStore`] (a multi-user deployment). Each has its own migrations folder, applied
//! on open. [`AnyStore`] is what a binary holds: it picks the implementation from a URL
//! ([`open`]): `postgres://...` means PostgreSQL, anything else is a SQLite file path.
//!
//! Design choice: every table has typed, indexed columns for ids, references, kinds and dates,
//! and the whole record as JSON in `data`. Filters, joins and foreign keys run on the typed
//! columns; reading a record back is one JSON decode, and an optional field added to a record
//! needs no migration. The SQL is written once (placeholders `$1..$n`, which both drivers
//! accept) and expanded for each driver by a macro in [`sql`].
//!
//! Invariants: an [`Store::import`] is one transaction (all or nothing); foreign keys are
//! deferred to commit so a batch may hold records pointing at each other; the store checks no
//! domain rule itself beyond keys (validation lives in milieu-model and the import use case).

mod accounts;
mod evaluation;
pub mod map;
mod meetings;
mod record;
mod services;
mod sql;

use milieu_model::{Dataset, EntityKind, Organisation};
use std::collections::HashSet;
use std::future::Future;

pub use accounts::{SessionRecord, UserRecord};
pub use evaluation::{FollowUpRecord, TargetRecord};
pub use map::{
    ClusterMembership, CodeName, ConcordanceData, ConcordanceInfo, DefinitionSet,
    DefinitionSetInfo, HierarchyEntry, HierarchyLevelInfo, RegionalRow, RegionalTable,
    RegionalTableInfo, RegionalTotal,
};
pub use meetings::{
    MeetingParticipant, MeetingPlan, MeetingRequest, MeetingSlot, ScheduledMeeting,
};
pub use record::{ChildTable, Record, has_id, table_of};
pub use services::{NeedRecord, ServiceRecord, UptakeRecord};
pub use sql::{PgStore, SqliteStore};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(sqlx::Error),
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error(
        "a stored {kind} record could not be read ({source}); the database may be from a newer milieu"
    )]
    Corrupt {
        kind: &'static str,
        source: serde_json::Error,
    },
    #[error("no {kind} with id {id:?}")]
    NotFound { kind: &'static str, id: String },
    #[error("a {kind} {id:?} already exists")]
    Duplicate { kind: &'static str, id: String },
    #[error("invalid database address {0:?}: {1}")]
    Address(String, String),
}

// A missing record answers 404 and a repeated key 409, so a client can tell them apart; the
// database's own failures are internal (500, exit code 1). A bad address is the user's `--db`.
milieu_model::error_codes!(StoreError {
    StoreError::Database(_) => "store.database", 500;
    StoreError::Migrate(_) => "store.migration", 500;
    StoreError::Corrupt { .. } => "store.corrupt", 500;
    StoreError::NotFound { .. } => "store.not_found", 404;
    StoreError::Duplicate { .. } => "store.duplicate", 409;
    StoreError::Address(..) => "store.bad_address", 400;
});

impl From<sqlx::Error> for StoreError {
    /// The one place where either database's unique-constraint violation becomes `Duplicate`
    /// (the methods that insert one record then name it with [`StoreError::naming`]).
    fn from(e: sqlx::Error) -> StoreError {
        match &e {
            sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Duplicate {
                kind: "record",
                id: db.constraint().unwrap_or(db.message()).to_string(),
            },
            _ => StoreError::Database(e),
        }
    }
}

impl StoreError {
    /// Names the record a `Duplicate` is about (the database names only its constraint).
    pub(crate) fn naming(self, kind: &'static str, id: impl FnOnce() -> String) -> StoreError {
        match self {
            StoreError::Duplicate { .. } => StoreError::Duplicate { kind, id: id() },
            other => other,
        }
    }
}

/// Filters for listing organisations; empty fields do not filter.
#[derive(Debug, Clone, Default)]
pub struct OrgQuery {
    /// Case-insensitive substring of the name or id.
    pub text: Option<String>,
    pub kind: Option<String>,
    pub region: Option<String>,
    pub country: Option<String>,
    /// A sector code prefix such as `naics:3391` or `3391`.
    pub sector: Option<String>,
    pub limit: Option<u32>,
    pub offset: Option<u32>,
}

/// How many records of each kind an import wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportSummary {
    pub counts: Vec<(String, u64)>,
}

/// The registry's storage. Every method's future is `Send`, so a web server can hold a store.
pub trait Store: Send + Sync {
    /// Which implementation this is (`sqlite`, `postgres`).
    fn backend(&self) -> &'static str;

    /// Writes every record of the batch in one transaction: all or nothing.
    fn import(
        &self,
        data: &Dataset,
    ) -> impl Future<Output = Result<ImportSummary, StoreError>> + Send;

    /// Reads every record of every kind.
    fn dataset(&self) -> impl Future<Output = Result<Dataset, StoreError>> + Send;

    /// Reads every record of one kind, in insertion order for records without ids and id
    /// order otherwise.
    fn load<T: Record>(&self) -> impl Future<Output = Result<Vec<T>, StoreError>> + Send;

    /// One record by id.
    fn get<T: Record>(
        &self,
        id: &str,
    ) -> impl Future<Output = Result<Option<T>, StoreError>> + Send;

    /// Replaces a record with the same id (it must exist), its child-table values included.
    fn replace<T: Record>(&self, record: &T)
    -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Which of these ids exist for a kind with ids.
    fn existing_ids(
        &self,
        kind: EntityKind,
        ids: &[String],
    ) -> impl Future<Output = Result<HashSet<String>, StoreError>> + Send;

    /// Deletes every record of every kind, in one transaction.
    fn clear(&self) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Number of records of each kind.
    fn counts(&self) -> impl Future<Output = Result<Vec<(EntityKind, u64)>, StoreError>> + Send;

    fn organisations(
        &self,
        query: &OrgQuery,
    ) -> impl Future<Output = Result<Vec<Organisation>, StoreError>> + Send;

    /// Adds one organisation's vote for a topic request, raising the generation: `Duplicate`
    /// when that organisation has voted for it already (the primary key of `topic_votes`
    /// decides), `NotFound` when the topic request or the organisation does not exist.
    fn topic_vote_add(
        &self,
        topic_request: &str,
        org: &str,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Adds follow-up requests (ids must be new), in one transaction.
    fn add_followups(
        &self,
        followups: &[FollowUpRecord],
    ) -> impl Future<Output = Result<u64, StoreError>> + Send;

    /// Every follow-up request, by due date then id.
    fn followups(&self) -> impl Future<Output = Result<Vec<FollowUpRecord>, StoreError>> + Send;

    /// Replaces stored follow-ups by id (status changes), in one transaction.
    fn update_followups(
        &self,
        followups: &[FollowUpRecord],
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Writes an answer in one transaction: the batch (its outcome and tie) and the answered
    /// follow-up. The batch must have been checked by the caller.
    fn answer_followup(
        &self,
        followup: &FollowUpRecord,
        batch: &Dataset,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    fn add_target(
        &self,
        target: &TargetRecord,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Every KPI target, in the order added.
    fn targets(&self) -> impl Future<Output = Result<Vec<TargetRecord>, StoreError>> + Send;
    // Regional statistics for `milieu map` (types in [`map`]). Each `*_put` replaces what it
    // names (a table, a definition set, a concordance, hierarchy levels) in one transaction.

    /// Stores a regional table under its name, replacing any table of that name.
    fn map_table_put(
        &self,
        table: &RegionalTable,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// The named table; only the rows and totals of `years` when given.
    fn map_table_get(
        &self,
        name: &str,
        years: Option<&[u16]>,
    ) -> impl Future<Output = Result<Option<RegionalTable>, StoreError>> + Send;

    /// Every stored table with its years and sizes, by name.
    fn map_tables(&self)
    -> impl Future<Output = Result<Vec<RegionalTableInfo>, StoreError>> + Send;

    /// Deletes a table; false when there was none of that name.
    fn map_table_delete(&self, name: &str)
    -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// Stores a cluster definition set under its name, replacing any set of that name.
    fn map_definitions_put(
        &self,
        set: &DefinitionSet,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    fn map_definitions_get(
        &self,
        name: &str,
    ) -> impl Future<Output = Result<Option<DefinitionSet>, StoreError>> + Send;

    fn map_definition_sets(
        &self,
    ) -> impl Future<Output = Result<Vec<DefinitionSetInfo>, StoreError>> + Send;

    fn map_definitions_delete(
        &self,
        name: &str,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// Stores a concordance, replacing any with the same from and to vintages.
    fn map_concordance_put(
        &self,
        concordance: &ConcordanceData,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    fn map_concordance_get(
        &self,
        from: &str,
        to: &str,
    ) -> impl Future<Output = Result<Option<ConcordanceData>, StoreError>> + Send;

    fn map_concordances(
        &self,
    ) -> impl Future<Output = Result<Vec<ConcordanceInfo>, StoreError>> + Send;

    /// Stores hierarchy entries, replacing every level they name.
    fn map_hierarchy_put(
        &self,
        source: &str,
        entries: &[HierarchyEntry],
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Every hierarchy entry, by level and region.
    fn map_hierarchy_get(
        &self,
    ) -> impl Future<Output = Result<Vec<HierarchyEntry>, StoreError>> + Send;

    fn map_hierarchy_levels(
        &self,
    ) -> impl Future<Output = Result<Vec<HierarchyLevelInfo>, StoreError>> + Send;
    /// Replaces the meeting requests of an event with `requests`, in one transaction.
    fn replace_meeting_requests(
        &self,
        event: &str,
        requests: &[MeetingRequest],
    ) -> impl Future<Output = Result<u64, StoreError>> + Send;

    /// Adds one meeting request to an event: `Duplicate` when the requester has already asked
    /// the requested participant at that event (the table's primary key decides, so two
    /// processes adding at once cannot both succeed or lose one another's request);
    /// `NotFound` when the event does not exist.
    fn meeting_request_add(
        &self,
        event: &str,
        request: &MeetingRequest,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// The meeting requests of an event, ordered by requester then requested.
    fn meeting_requests(
        &self,
        event: &str,
    ) -> impl Future<Output = Result<Vec<MeetingRequest>, StoreError>> + Send;

    /// Replaces the slots, participants and scheduled meetings of an event, in one
    /// transaction.
    fn save_meeting_plan(
        &self,
        event: &str,
        plan: &MeetingPlan,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// The stored plan of an event (empty when none): slots in time order, participants and
    /// meetings by id.
    fn meeting_plan(
        &self,
        event: &str,
    ) -> impl Future<Output = Result<MeetingPlan, StoreError>> + Send;

    // Web accounts and sessions (types in [`accounts`]).

    /// Adds an account; `Duplicate` when the username is taken.
    fn user_add(&self, user: &UserRecord) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Replaces an account by username and ends all its sessions, in one transaction.
    fn user_update(&self, user: &UserRecord)
    -> impl Future<Output = Result<(), StoreError>> + Send;

    fn user_get(
        &self,
        username: &str,
    ) -> impl Future<Output = Result<Option<UserRecord>, StoreError>> + Send;

    /// Every account, by username.
    fn users(&self) -> impl Future<Output = Result<Vec<UserRecord>, StoreError>> + Send;

    fn session_put(
        &self,
        session: &SessionRecord,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// The session with this token hash, if it has not expired by `now_unix`.
    fn session_get(
        &self,
        token_hash: &str,
        now_unix: i64,
    ) -> impl Future<Output = Result<Option<SessionRecord>, StoreError>> + Send;

    fn session_delete(
        &self,
        token_hash: &str,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Deletes the sessions expired by `now_unix`; how many.
    fn sessions_expire(
        &self,
        now_unix: i64,
    ) -> impl Future<Output = Result<u64, StoreError>> + Send;

    /// A counter that every registry write (import, replace, clear, follow-up answer, topic vote) raises
    /// in its transaction: a cached read model is current while the counter is unchanged.
    fn generation(&self) -> impl Future<Output = Result<u64, StoreError>> + Send;

    // Services of the cluster organisation (types in [`services`]).

    /// Stores services of the catalogue, replacing any with the same id, in one transaction.
    fn services_put(
        &self,
        services: &[ServiceRecord],
    ) -> impl Future<Output = Result<u64, StoreError>> + Send;

    /// The catalogue, by id.
    fn services(&self) -> impl Future<Output = Result<Vec<ServiceRecord>, StoreError>> + Send;

    /// Adds stated needs in one transaction; an (org, need, assessed) already stored is an error
    /// and nothing is written.
    fn needs_add(
        &self,
        needs: &[NeedRecord],
    ) -> impl Future<Output = Result<u64, StoreError>> + Send;

    /// Every stated need, by organisation, assessment date and need.
    fn needs(&self) -> impl Future<Output = Result<Vec<NeedRecord>, StoreError>> + Send;

    /// Adds uses of services in one transaction (the service and organisation must exist).
    fn uptake_add(
        &self,
        uptake: &[UptakeRecord],
    ) -> impl Future<Output = Result<u64, StoreError>> + Send;

    /// Every use of a service, by date, service and organisation.
    fn uptake(&self) -> impl Future<Output = Result<Vec<UptakeRecord>, StoreError>> + Send;
}

/// The store a binary holds: SQLite or PostgreSQL, chosen at run time.
#[derive(Clone)]
pub enum AnyStore {
    Sqlite(SqliteStore),
    Postgres(PgStore),
}

/// Opens (creating and migrating as needed) the store at `address`: a `postgres://` or
/// `postgresql://` URL, or a SQLite file path (`sqlite://` prefix optional).
pub async fn open(address: &str) -> Result<AnyStore, StoreError> {
    if address.starts_with("postgres://") || address.starts_with("postgresql://") {
        Ok(AnyStore::Postgres(PgStore::open(address, None).await?))
    } else {
        let path = address
            .strip_prefix("sqlite://")
            .or_else(|| address.strip_prefix("sqlite:"))
            .unwrap_or(address);
        Ok(AnyStore::Sqlite(SqliteStore::open(path).await?))
    }
}

macro_rules! delegate {
    ($self:ident, $s:ident => $e:expr) => {
        match $self {
            AnyStore::Sqlite($s) => $e,
            AnyStore::Postgres($s) => $e,
        }
    };
}

impl Store for AnyStore {
    fn backend(&self) -> &'static str {
        delegate!(self, s => s.backend())
    }
    async fn import(&self, data: &Dataset) -> Result<ImportSummary, StoreError> {
        delegate!(self, s => s.import(data).await)
    }
    async fn dataset(&self) -> Result<Dataset, StoreError> {
        delegate!(self, s => s.dataset().await)
    }
    async fn load<T: Record>(&self) -> Result<Vec<T>, StoreError> {
        delegate!(self, s => s.load::<T>().await)
    }
    async fn get<T: Record>(&self, id: &str) -> Result<Option<T>, StoreError> {
        delegate!(self, s => s.get::<T>(id).await)
    }
    async fn replace<T: Record>(&self, record: &T) -> Result<(), StoreError> {
        delegate!(self, s => s.replace(record).await)
    }
    async fn existing_ids(
        &self,
        kind: EntityKind,
        ids: &[String],
    ) -> Result<HashSet<String>, StoreError> {
        delegate!(self, s => s.existing_ids(kind, ids).await)
    }
    async fn clear(&self) -> Result<(), StoreError> {
        delegate!(self, s => s.clear().await)
    }
    async fn counts(&self) -> Result<Vec<(EntityKind, u64)>, StoreError> {
        delegate!(self, s => s.counts().await)
    }
    async fn organisations(&self, query: &OrgQuery) -> Result<Vec<Organisation>, StoreError> {
        delegate!(self, s => s.organisations(query).await)
    }
    async fn topic_vote_add(&self, topic_request: &str, org: &str) -> Result<(), StoreError> {
        delegate!(self, s => s.topic_vote_add(topic_request, org).await)
    }
    async fn meeting_request_add(
        &self,
        event: &str,
        request: &MeetingRequest,
    ) -> Result<(), StoreError> {
        delegate!(self, s => s.meeting_request_add(event, request).await)
    }
    async fn add_followups(&self, followups: &[FollowUpRecord]) -> Result<u64, StoreError> {
        delegate!(self, s => s.add_followups(followups).await)
    }
    async fn followups(&self) -> Result<Vec<FollowUpRecord>, StoreError> {
        delegate!(self, s => s.followups().await)
    }
    async fn update_followups(&self, followups: &[FollowUpRecord]) -> Result<(), StoreError> {
        delegate!(self, s => s.update_followups(followups).await)
    }
    async fn answer_followup(
        &self,
        followup: &FollowUpRecord,
        batch: &Dataset,
    ) -> Result<(), StoreError> {
        delegate!(self, s => s.answer_followup(followup, batch).await)
    }
    async fn add_target(&self, target: &TargetRecord) -> Result<(), StoreError> {
        delegate!(self, s => s.add_target(target).await)
    }
    async fn targets(&self) -> Result<Vec<TargetRecord>, StoreError> {
        delegate!(self, s => s.targets().await)
    }
    async fn map_table_put(&self, table: &RegionalTable) -> Result<(), StoreError> {
        delegate!(self, s => s.map_table_put(table).await)
    }
    async fn map_table_get(
        &self,
        name: &str,
        years: Option<&[u16]>,
    ) -> Result<Option<RegionalTable>, StoreError> {
        delegate!(self, s => s.map_table_get(name, years).await)
    }
    async fn map_tables(&self) -> Result<Vec<RegionalTableInfo>, StoreError> {
        delegate!(self, s => s.map_tables().await)
    }
    async fn map_table_delete(&self, name: &str) -> Result<bool, StoreError> {
        delegate!(self, s => s.map_table_delete(name).await)
    }
    async fn map_definitions_put(&self, set: &DefinitionSet) -> Result<(), StoreError> {
        delegate!(self, s => s.map_definitions_put(set).await)
    }
    async fn map_definitions_get(&self, name: &str) -> Result<Option<DefinitionSet>, StoreError> {
        delegate!(self, s => s.map_definitions_get(name).await)
    }
    async fn map_definition_sets(&self) -> Result<Vec<DefinitionSetInfo>, StoreError> {
        delegate!(self, s => s.map_definition_sets().await)
    }
    async fn map_definitions_delete(&self, name: &str) -> Result<bool, StoreError> {
        delegate!(self, s => s.map_definitions_delete(name).await)
    }
    async fn map_concordance_put(&self, concordance: &ConcordanceData) -> Result<(), StoreError> {
        delegate!(self, s => s.map_concordance_put(concordance).await)
    }
    async fn map_concordance_get(
        &self,
        from: &str,
        to: &str,
    ) -> Result<Option<ConcordanceData>, StoreError> {
        delegate!(self, s => s.map_concordance_get(from, to).await)
    }
    async fn map_concordances(&self) -> Result<Vec<ConcordanceInfo>, StoreError> {
        delegate!(self, s => s.map_concordances().await)
    }
    async fn map_hierarchy_put(
        &self,
        source: &str,
        entries: &[HierarchyEntry],
    ) -> Result<(), StoreError> {
        delegate!(self, s => s.map_hierarchy_put(source, entries).await)
    }
    async fn map_hierarchy_get(&self) -> Result<Vec<HierarchyEntry>, StoreError> {
        delegate!(self, s => s.map_hierarchy_get().await)
    }
    async fn map_hierarchy_levels(&self) -> Result<Vec<HierarchyLevelInfo>, StoreError> {
        delegate!(self, s => s.map_hierarchy_levels().await)
    }
    async fn replace_meeting_requests(
        &self,
        event: &str,
        requests: &[MeetingRequest],
    ) -> Result<u64, StoreError> {
        delegate!(self, s => s.replace_meeting_requests(event, requests).await)
    }
    async fn meeting_requests(&self, event: &str) -> Result<Vec<MeetingRequest>, StoreError> {
        delegate!(self, s => s.meeting_requests(event).await)
    }
    async fn save_meeting_plan(&self, event: &str, plan: &MeetingPlan) -> Result<(), StoreError> {
        delegate!(self, s => s.save_meeting_plan(event, plan).await)
    }
    async fn meeting_plan(&self, event: &str) -> Result<MeetingPlan, StoreError> {
        delegate!(self, s => s.meeting_plan(event).await)
    }
    async fn user_add(&self, user: &UserRecord) -> Result<(), StoreError> {
        delegate!(self, s => s.user_add(user).await)
    }
    async fn user_update(&self, user: &UserRecord) -> Result<(), StoreError> {
        delegate!(self, s => s.user_update(user).await)
    }
    async fn user_get(&self, username: &str) -> Result<Option<UserRecord>, StoreError> {
        delegate!(self, s => s.user_get(username).await)
    }
    async fn users(&self) -> Result<Vec<UserRecord>, StoreError> {
        delegate!(self, s => s.users().await)
    }
    async fn session_put(&self, session: &SessionRecord) -> Result<(), StoreError> {
        delegate!(self, s => s.session_put(session).await)
    }
    async fn session_get(
        &self,
        token_hash: &str,
        now_unix: i64,
    ) -> Result<Option<SessionRecord>, StoreError> {
        delegate!(self, s => s.session_get(token_hash, now_unix).await)
    }
    async fn session_delete(&self, token_hash: &str) -> Result<(), StoreError> {
        delegate!(self, s => s.session_delete(token_hash).await)
    }
    async fn sessions_expire(&self, now_unix: i64) -> Result<u64, StoreError> {
        delegate!(self, s => s.sessions_expire(now_unix).await)
    }
    async fn generation(&self) -> Result<u64, StoreError> {
        delegate!(self, s => s.generation().await)
    }
    async fn services_put(&self, services: &[ServiceRecord]) -> Result<u64, StoreError> {
        delegate!(self, s => s.services_put(services).await)
    }
    async fn services(&self) -> Result<Vec<ServiceRecord>, StoreError> {
        delegate!(self, s => s.services().await)
    }
    async fn needs_add(&self, needs: &[NeedRecord]) -> Result<u64, StoreError> {
        delegate!(self, s => s.needs_add(needs).await)
    }
    async fn needs(&self) -> Result<Vec<NeedRecord>, StoreError> {
        delegate!(self, s => s.needs().await)
    }
    async fn uptake_add(&self, uptake: &[UptakeRecord]) -> Result<u64, StoreError> {
        delegate!(self, s => s.uptake_add(uptake).await)
    }
    async fn uptake(&self) -> Result<Vec<UptakeRecord>, StoreError> {
        delegate!(self, s => s.uptake().await)
    }
}
