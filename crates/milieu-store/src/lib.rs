//! Storage of the milieu registry.
//!
//! One trait per concern ([`RegistryStore`], [`MapStore`], [`MeetingStore`], [`AccountStore`],
//! [`EvaluationStore`], [`ServiceStore`]) and [`Store`], their sum, with two implementations:
//! [`SqliteStore`] (the default, one file in WAL mode) and [`PgStore`] (a multi-user
//! deployment). Each has its own migrations folder, applied
//! on open. [`AnyStore`] is what a binary holds: it picks the implementation from a URL
//! ([`open`]): `postgres://...` means PostgreSQL, anything else is a SQLite file path.
//!
//! Design choice: every table has typed, indexed columns for ids, references, kinds and dates,
//! and the whole record as JSON in `data`. Filters, joins and foreign keys run on the typed
//! columns; reading a record back is one JSON decode, and an optional field added to a record
//! needs no migration. The SQL is written once (placeholders `$1..$n`, which both drivers
//! accept) and expanded for each driver by a macro in [`sql`].
//!
//! Invariants: an [`RegistryStore::import`] is one transaction (all or nothing); foreign keys are
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

/// Declares the store's traits, one per concern, from one listing of their methods, and
/// implements each for [`AnyStore`] by delegating to the chosen backend. Every listed method
/// is also an inherent method of `AnyStore`, so a caller holding the concrete store needs no
/// trait import. `sync` marks the methods that return a value rather than a future.
macro_rules! store_traits {
    ($(
        $(#[$trait_meta:meta])*
        trait $trait:ident {
            $(sync $(#[$sync_meta:meta])* fn $sync_name:ident(&self) -> $sync_ret:ty;)*
            $(
                $(#[$meta:meta])*
                async fn $name:ident $(<$generic:ident: $bound:path>)? (&self $(, $arg:ident: $ty:ty)*) -> $ret:ty;
            )*
        }
    )*) => {$(
        $(#[$trait_meta])*
        pub trait $trait: Send + Sync {
            $($(#[$sync_meta])* fn $sync_name(&self) -> $sync_ret;)*
            $(
                $(#[$meta])*
                fn $name $(<$generic: $bound>)? (&self $(, $arg: $ty)*)
                -> impl Future<Output = $ret> + Send;
            )*
        }

        impl $trait for AnyStore {
            $(fn $sync_name(&self) -> $sync_ret {
                match self {
                    AnyStore::Sqlite(s) => $trait::$sync_name(s),
                    AnyStore::Postgres(s) => $trait::$sync_name(s),
                }
            })*
            $(
                async fn $name $(<$generic: $bound>)? (&self $(, $arg: $ty)*) -> $ret {
                    match self {
                        AnyStore::Sqlite(s) => $trait::$name $(::<$generic>)? (s $(, $arg)*).await,
                        AnyStore::Postgres(s) => $trait::$name $(::<$generic>)? (s $(, $arg)*).await,
                    }
                }
            )*
        }

        impl AnyStore {
            $(
                $(#[$sync_meta])*
                pub fn $sync_name(&self) -> $sync_ret {
                    <Self as $trait>::$sync_name(self)
                }
            )*
            $(
                $(#[$meta])*
                pub async fn $name $(<$generic: $bound>)? (&self $(, $arg: $ty)*) -> $ret {
                    <Self as $trait>::$name $(::<$generic>)? (self $(, $arg)*).await
                }
            )*
        }
    )*};
}

store_traits! {
    /// The registry: records of every kind (typed key columns plus the record as JSON), the
    /// organisation search, single votes, and the generation counter of registry writes.
    trait RegistryStore {
        sync
        /// Which implementation this is (`sqlite`, `postgres`).
        fn backend(&self) -> &'static str;

        /// Writes every record of the batch in one transaction: all or nothing.
        async fn import(&self, data: &Dataset) -> Result<ImportSummary, StoreError>;
        /// Reads every record of every kind.
        async fn dataset(&self) -> Result<Dataset, StoreError>;
        /// Reads every record of one kind, in insertion order for records without ids and id
        /// order otherwise.
        async fn load<T: Record>(&self) -> Result<Vec<T>, StoreError>;
        /// One record by id.
        async fn get<T: Record>(&self, id: &str) -> Result<Option<T>, StoreError>;
        /// Replaces a record with the same id (it must exist), its child-table values included.
        async fn replace<T: Record>(&self, record: &T) -> Result<(), StoreError>;
        /// Which of these ids exist for a kind with ids.
        async fn existing_ids(&self, kind: EntityKind, ids: &[String]) -> Result<HashSet<String>, StoreError>;
        /// Deletes every record of every kind (and the meeting, evaluation and service rows
        /// that refer to them), in one transaction; accounts stay.
        async fn clear(&self) -> Result<(), StoreError>;
        /// Number of records of each kind.
        async fn counts(&self) -> Result<Vec<(EntityKind, u64)>, StoreError>;
        /// Organisations matching the query, by name then id.
        async fn organisations(&self, query: &OrgQuery) -> Result<Vec<Organisation>, StoreError>;
        /// Adds one organisation's vote for a topic request, raising the generation:
        /// `Duplicate` when that organisation has voted for it already (the primary key of
        /// `topic_votes` decides), `NotFound` when the topic request or the organisation does
        /// not exist.
        async fn topic_vote_add(&self, topic_request: &str, org: &str) -> Result<(), StoreError>;
        /// A counter that every registry write (import, replace, clear, follow-up answer, topic
        /// vote) raises in its transaction: a cached read model is current while it is unchanged.
        async fn generation(&self) -> Result<u64, StoreError>;
    }

    /// Regional statistics for `milieu map` (types in [`map`]). Each `*_put` replaces what it
    /// names (a table, a definition set, a concordance, hierarchy levels) in one transaction.
    trait MapStore {
        /// Stores a regional table under its name, replacing any table of that name.
        async fn map_table_put(&self, table: &RegionalTable) -> Result<(), StoreError>;
        /// The named table; only the rows and totals of `years` when given.
        async fn map_table_get(&self, name: &str, years: Option<&[u16]>) -> Result<Option<RegionalTable>, StoreError>;
        /// Every stored table with its years and sizes, by name.
        async fn map_tables(&self) -> Result<Vec<RegionalTableInfo>, StoreError>;
        /// Deletes a table; false when there was none of that name.
        async fn map_table_delete(&self, name: &str) -> Result<bool, StoreError>;
        /// Stores a cluster definition set under its name, replacing any set of that name.
        async fn map_definitions_put(&self, set: &DefinitionSet) -> Result<(), StoreError>;
        /// The named definition set, memberships in their stored order.
        async fn map_definitions_get(&self, name: &str) -> Result<Option<DefinitionSet>, StoreError>;
        /// Every stored definition set with its sizes, by name.
        async fn map_definition_sets(&self) -> Result<Vec<DefinitionSetInfo>, StoreError>;
        /// Deletes a definition set; false when there was none of that name.
        async fn map_definitions_delete(&self, name: &str) -> Result<bool, StoreError>;
        /// Stores a concordance, replacing any with the same from and to vintages.
        async fn map_concordance_put(&self, concordance: &ConcordanceData) -> Result<(), StoreError>;
        /// The concordance between two vintages, pairs by from code then to code.
        async fn map_concordance_get(&self, from: &str, to: &str) -> Result<Option<ConcordanceData>, StoreError>;
        /// Every stored concordance with its sizes.
        async fn map_concordances(&self) -> Result<Vec<ConcordanceInfo>, StoreError>;
        /// Stores hierarchy entries, replacing every level they name.
        async fn map_hierarchy_put(&self, source: &str, entries: &[HierarchyEntry]) -> Result<(), StoreError>;
        /// Every hierarchy entry, by level and region.
        async fn map_hierarchy_get(&self) -> Result<Vec<HierarchyEntry>, StoreError>;
        /// Every stored hierarchy level with its sizes.
        async fn map_hierarchy_levels(&self) -> Result<Vec<HierarchyLevelInfo>, StoreError>;
    }

    /// Brokerage-event meeting scheduling (types [`MeetingRequest`], [`MeetingPlan`]): requests, slots,
    /// participants and the stored schedule, per event.
    trait MeetingStore {
        /// Replaces the meeting requests of an event with `requests`, in one transaction.
        async fn replace_meeting_requests(&self, event: &str, requests: &[MeetingRequest]) -> Result<u64, StoreError>;
        /// Adds one meeting request to an event: `Duplicate` when the requester has already
        /// asked the requested participant at that event (the table's primary key decides, so
        /// two processes adding at once cannot both succeed or lose one another's request);
        /// `NotFound` when the event does not exist.
        async fn meeting_request_add(&self, event: &str, request: &MeetingRequest) -> Result<(), StoreError>;
        /// The meeting requests of an event, ordered by requester then requested.
        async fn meeting_requests(&self, event: &str) -> Result<Vec<MeetingRequest>, StoreError>;
        /// Replaces the slots, participants and scheduled meetings of an event, in one
        /// transaction.
        async fn save_meeting_plan(&self, event: &str, plan: &MeetingPlan) -> Result<(), StoreError>;
        /// The stored plan of an event (empty when none): slots in time order, participants and
        /// meetings by id.
        async fn meeting_plan(&self, event: &str) -> Result<MeetingPlan, StoreError>;
    }

    /// Web accounts and sessions ([`UserRecord`], [`SessionRecord`]); clearing the registry keeps them.
    trait AccountStore {
        /// Adds an account; `Duplicate` when the username is taken.
        async fn user_add(&self, user: &UserRecord) -> Result<(), StoreError>;
        /// Replaces an account by username and ends all its sessions, in one transaction.
        async fn user_update(&self, user: &UserRecord) -> Result<(), StoreError>;
        /// The account of that username.
        async fn user_get(&self, username: &str) -> Result<Option<UserRecord>, StoreError>;
        /// Every account, by username.
        async fn users(&self) -> Result<Vec<UserRecord>, StoreError>;
        /// Stores a new session.
        async fn session_put(&self, session: &SessionRecord) -> Result<(), StoreError>;
        /// The session with this token hash, if it has not expired by `now_unix`.
        async fn session_get(&self, token_hash: &str, now_unix: i64) -> Result<Option<SessionRecord>, StoreError>;
        /// Ends a session.
        async fn session_delete(&self, token_hash: &str) -> Result<(), StoreError>;
        /// Deletes the sessions expired by `now_unix`; how many.
        async fn sessions_expire(&self, now_unix: i64) -> Result<u64, StoreError>;
    }

    /// The evaluation's own records ([`FollowUpRecord`], [`TargetRecord`]): follow-up requests and KPI
    /// targets.
    trait EvaluationStore {
        /// Adds follow-up requests (ids must be new), in one transaction.
        async fn add_followups(&self, followups: &[FollowUpRecord]) -> Result<u64, StoreError>;
        /// Every follow-up request, by due date then id.
        async fn followups(&self) -> Result<Vec<FollowUpRecord>, StoreError>;
        /// Replaces stored follow-ups by id (status changes), in one transaction.
        async fn update_followups(&self, followups: &[FollowUpRecord]) -> Result<(), StoreError>;
        /// Writes an answer in one transaction: the batch (its outcome and tie) and the
        /// answered follow-up. The batch must have been checked by the caller.
        async fn answer_followup(&self, followup: &FollowUpRecord, batch: &Dataset) -> Result<(), StoreError>;
        /// Adds a KPI target.
        async fn add_target(&self, target: &TargetRecord) -> Result<(), StoreError>;
        /// Every KPI target, in the order added.
        async fn targets(&self) -> Result<Vec<TargetRecord>, StoreError>;
    }

    /// Services of the cluster organisation ([`ServiceRecord`], [`NeedRecord`], [`UptakeRecord`]): the catalogue, stated
    /// needs and uptake.
    trait ServiceStore {
        /// Stores services of the catalogue, replacing any with the same id, in one transaction.
        async fn services_put(&self, services: &[ServiceRecord]) -> Result<u64, StoreError>;
        /// The catalogue, by id.
        async fn services(&self) -> Result<Vec<ServiceRecord>, StoreError>;
        /// Adds stated needs in one transaction; an (org, need, assessed) already stored is an
        /// error and nothing is written.
        async fn needs_add(&self, needs: &[NeedRecord]) -> Result<u64, StoreError>;
        /// Every stated need, by organisation, assessment date and need.
        async fn needs(&self) -> Result<Vec<NeedRecord>, StoreError>;
        /// Adds uses of services in one transaction (the service and organisation must exist).
        async fn uptake_add(&self, uptake: &[UptakeRecord]) -> Result<u64, StoreError>;
        /// Every use of a service, by date, service and organisation.
        async fn uptake(&self) -> Result<Vec<UptakeRecord>, StoreError>;
    }
}

/// The whole store: every concern. Code generic over a store asks for `S: Store` and may call
/// any method; a store type implements the concern traits and gets this one.
pub trait Store:
    RegistryStore + MapStore + MeetingStore + AccountStore + EvaluationStore + ServiceStore
{
}

impl<T> Store for T where
    T: RegistryStore + MapStore + MeetingStore + AccountStore + EvaluationStore + ServiceStore
{
}

/// The traits of every concern, for code that calls store methods on a concrete store type
/// other than [`AnyStore`] (whose methods are also inherent).
pub mod prelude {
    pub use crate::{
        AccountStore, EvaluationStore, MapStore, MeetingStore, RegistryStore, ServiceStore, Store,
    };
}
