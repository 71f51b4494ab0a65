//! How each registry record maps onto its table: the typed key columns (for filters, joins and
//! foreign keys) and the JSON `data` column holding the whole record, except a list kept one row
//! per value in a child table ([`ChildTable`]: a topic request's votes), so that adding one value
//! is one INSERT and not a rewrite of the record.

use milieu_model::*;
use serde::{Serialize, de::DeserializeOwned};

/// A registry record the store can write and read back.
pub trait Record: Serialize + DeserializeOwned + Send + Sync + 'static {
    const KIND: EntityKind;
    const TABLE: &'static str;
    /// The typed columns, in the order of [`Record::key_values`]; `data` is implied.
    const COLUMNS: &'static [&'static str];
    /// Whether the first column is the record's own id (else rows are keyed by `seq`).
    const HAS_ID: bool;
    fn key_values(&self) -> Vec<Option<String>>;
    /// The record's own id, for records that have one.
    fn id(&self) -> Option<&str>;
    /// The list field kept in a child table instead of `data`, if any.
    const CHILDREN: Option<ChildTable> = None;
    /// The values of the [`Record::CHILDREN`] field, in order.
    fn child_values(&self) -> Vec<String> {
        Vec::new()
    }
    /// Sets the [`Record::CHILDREN`] field from the child table's rows.
    fn set_child_values(&mut self, _values: Vec<String>) {}
}

/// A list field of a record stored one row per value: `(parent, value, position)` with the
/// primary key (parent, value), so a value appears once per record.
#[derive(Debug, Clone, Copy)]
pub struct ChildTable {
    pub table: &'static str,
    /// The field of the record's JSON that the rows replace.
    pub field: &'static str,
    /// The column holding the record's id.
    pub parent: &'static str,
    /// The column holding one value.
    pub value: &'static str,
}

fn s<T: ToString>(v: &T) -> Option<String> {
    Some(v.to_string())
}
fn o<T: ToString>(v: &Option<T>) -> Option<String> {
    v.as_ref().map(|x| x.to_string())
}

macro_rules! record {
    ($ty:ty, $kind:ident, $table:literal, id: $has_id:literal, [$($col:literal),*], |$r:ident| [$($val:expr),*]
     $(, children: $children:expr, |$cr:ident| $get:expr, |$sr:ident, $sv:ident| $set:expr)?) => {
        impl Record for $ty {
            const KIND: EntityKind = EntityKind::$kind;
            const TABLE: &'static str = $table;
            const COLUMNS: &'static [&'static str] = &[$($col),*];
            const HAS_ID: bool = $has_id;
            fn key_values(&self) -> Vec<Option<String>> {
                let $r = self;
                vec![$($val),*]
            }
            fn id(&self) -> Option<&str> {
                if $has_id { self.key_values_id() } else { None }
            }
            $(
                const CHILDREN: Option<ChildTable> = Some($children);
                fn child_values(&self) -> Vec<String> {
                    let $cr = self;
                    $get
                }
                fn set_child_values(&mut self, $sv: Vec<String>) {
                    let $sr = self;
                    $set
                }
            )?
        }
    };
}

/// The id accessor for id-keyed records, kept apart so the macro stays simple.
trait KeyId {
    fn key_values_id(&self) -> Option<&str>;
}
macro_rules! key_id {
    ($($ty:ty),*) => {$(impl KeyId for $ty { fn key_values_id(&self) -> Option<&str> { Some(self.id.as_str()) } })*};
}
macro_rules! no_key_id {
    ($($ty:ty),*) => {$(impl KeyId for $ty { fn key_values_id(&self) -> Option<&str> { None } })*};
}
key_id!(
    Organisation,
    Person,
    Cluster,
    Initiative,
    Event,
    TopicRequest,
    Project,
    Tie,
    Introduction,
    Opportunity,
    Outcome
);
no_key_id!(Affiliation, Membership, Attendance, Participation);

/// Sector codes as `;naics:541511;nace:C26;` so `LIKE '%;naics:5415%'` finds a prefix.
pub(crate) fn sector_column(sectors: &[SectorCode]) -> String {
    if sectors.is_empty() {
        return String::new();
    }
    let mut out = String::from(";");
    for code in sectors {
        out.push_str(&code.to_string());
        out.push(';');
    }
    out
}

record!(Organisation, Organisation, "organisations", id: true,
    ["id", "name", "kind", "region", "country", "sectors", "parent_id"],
    |r| [s(&r.id), s(&r.name), s(&r.kind), o(&r.region), o(&r.country), Some(sector_column(&r.sectors)), o(&r.parent)]);
record!(Person, Person, "people", id: true, ["id", "name"], |r| [s(&r.id), s(&r.name)]);
record!(Affiliation, Affiliation, "affiliations", id: false,
    ["person_id", "org_id", "date_from", "date_to"],
    |r| [s(&r.person), s(&r.org), o(&r.from), o(&r.to)]);
record!(Cluster, Cluster, "clusters", id: true, ["id", "name"], |r| [s(&r.id), s(&r.name)]);
record!(Initiative, Initiative, "initiatives", id: true, ["id", "name", "cluster_id"],
    |r| [s(&r.id), s(&r.name), o(&r.cluster)]);
record!(Membership, Membership, "memberships", id: false,
    ["initiative_id", "org_id", "role", "date_from", "date_to"],
    |r| [s(&r.initiative), s(&r.org), s(&r.role), o(&r.from), o(&r.to)]);
record!(Event, Event, "events", id: true, ["id", "kind", "title", "date", "initiative_id"],
    |r| [s(&r.id), s(&r.kind), s(&r.title), s(&r.date), o(&r.initiative)]);
record!(Attendance, Attendance, "attendance", id: false, ["event_id", "org_id", "person_id", "role"],
    |r| [s(&r.event), o(&r.org), o(&r.person), s(&r.role)]);
record!(TopicRequest, TopicRequest, "topic_requests", id: true, ["id", "org_id"],
    |r| [s(&r.id), s(&r.org)],
    children: ChildTable { table: "topic_votes", field: "votes", parent: "topic_request_id", value: "org_id" },
    |r| r.votes.iter().map(|v| v.to_string()).collect(),
    |r, values| r.votes = values.into_iter().map(OrgId).collect());
record!(Project, Project, "projects", id: true, ["id", "title", "date_start"],
    |r| [s(&r.id), s(&r.title), o(&r.start)]);
record!(Participation, Participation, "participations", id: false, ["project_id", "org_id", "role"],
    |r| [s(&r.project), s(&r.org), s(&r.role)]);
record!(Tie, Tie, "ties", id: true,
    ["id", "from_id", "to_id", "kind", "date_start", "date_end", "visibility"],
    |r| [s(&r.id), s(&r.from), s(&r.to), s(&r.kind), s(&r.start), o(&r.end), s(&r.visibility)]);
record!(Introduction, Introduction, "introductions", id: true,
    ["id", "from_id", "to_id", "date", "status"],
    |r| [s(&r.id), s(&r.from), s(&r.to), s(&r.date), s(&r.status)]);
record!(Opportunity, Opportunity, "opportunities", id: true, ["id", "kind", "deadline"],
    |r| [s(&r.id), s(&r.kind), o(&r.deadline)]);
record!(Outcome, Outcome, "outcomes", id: true, ["id", "org_id", "kind", "date"],
    |r| [s(&r.id), s(&r.org), s(&r.kind), s(&r.date)]);

/// The table of a record kind.
pub fn table_of(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Organisation => Organisation::TABLE,
        EntityKind::Person => Person::TABLE,
        EntityKind::Affiliation => Affiliation::TABLE,
        EntityKind::Cluster => Cluster::TABLE,
        EntityKind::Initiative => Initiative::TABLE,
        EntityKind::Membership => Membership::TABLE,
        EntityKind::Event => Event::TABLE,
        EntityKind::Attendance => Attendance::TABLE,
        EntityKind::TopicRequest => TopicRequest::TABLE,
        EntityKind::Project => Project::TABLE,
        EntityKind::Participation => Participation::TABLE,
        EntityKind::Tie => Tie::TABLE,
        EntityKind::Introduction => Introduction::TABLE,
        EntityKind::Opportunity => Opportunity::TABLE,
        EntityKind::Outcome => Outcome::TABLE,
    }
}

/// Whether records of this kind carry their own id.
pub fn has_id(kind: EntityKind) -> bool {
    !matches!(
        kind,
        EntityKind::Affiliation
            | EntityKind::Membership
            | EntityKind::Attendance
            | EntityKind::Participation
    )
}
