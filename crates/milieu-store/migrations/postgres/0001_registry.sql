-- The registry. Key and reference columns are typed and indexed; the full record is kept as
-- JSON in `data`, so adding an optional field to a record needs no migration.
-- Foreign keys are deferred so one import can hold records that point at each other.
CREATE TABLE organisations (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    region TEXT,
    country TEXT,
    sectors TEXT NOT NULL DEFAULT '',
    parent_id TEXT REFERENCES organisations(id) DEFERRABLE INITIALLY DEFERRED,
    data TEXT NOT NULL
);
CREATE INDEX organisations_name ON organisations(name);
CREATE INDEX organisations_kind ON organisations(kind);
CREATE INDEX organisations_region ON organisations(region);

CREATE TABLE people (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    data TEXT NOT NULL
);

CREATE TABLE affiliations (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people(id) DEFERRABLE INITIALLY DEFERRED,
    org_id TEXT NOT NULL REFERENCES organisations(id) DEFERRABLE INITIALLY DEFERRED,
    date_from TEXT,
    date_to TEXT,
    data TEXT NOT NULL
);
CREATE INDEX affiliations_person ON affiliations(person_id);
CREATE INDEX affiliations_org ON affiliations(org_id);

CREATE TABLE clusters (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    data TEXT NOT NULL
);

CREATE TABLE initiatives (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    cluster_id TEXT REFERENCES clusters(id) DEFERRABLE INITIALLY DEFERRED,
    data TEXT NOT NULL
);

CREATE TABLE memberships (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    initiative_id TEXT NOT NULL REFERENCES initiatives(id) DEFERRABLE INITIALLY DEFERRED,
    org_id TEXT NOT NULL REFERENCES organisations(id) DEFERRABLE INITIALLY DEFERRED,
    role TEXT NOT NULL,
    date_from TEXT,
    date_to TEXT,
    data TEXT NOT NULL
);
CREATE INDEX memberships_org ON memberships(org_id);

CREATE TABLE events (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    date TEXT NOT NULL,
    initiative_id TEXT REFERENCES initiatives(id) DEFERRABLE INITIALLY DEFERRED,
    data TEXT NOT NULL
);
CREATE INDEX events_date ON events(date);

CREATE TABLE attendance (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id TEXT NOT NULL REFERENCES events(id) DEFERRABLE INITIALLY DEFERRED,
    org_id TEXT REFERENCES organisations(id) DEFERRABLE INITIALLY DEFERRED,
    person_id TEXT REFERENCES people(id) DEFERRABLE INITIALLY DEFERRED,
    role TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX attendance_event ON attendance(event_id);
CREATE INDEX attendance_org ON attendance(org_id);

CREATE TABLE topic_requests (
    id TEXT PRIMARY KEY NOT NULL,
    org_id TEXT NOT NULL REFERENCES organisations(id) DEFERRABLE INITIALLY DEFERRED,
    data TEXT NOT NULL
);

CREATE TABLE projects (
    id TEXT PRIMARY KEY NOT NULL,
    title TEXT NOT NULL,
    date_start TEXT,
    data TEXT NOT NULL
);

CREATE TABLE participations (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES projects(id) DEFERRABLE INITIALLY DEFERRED,
    org_id TEXT NOT NULL REFERENCES organisations(id) DEFERRABLE INITIALLY DEFERRED,
    role TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX participations_project ON participations(project_id);
CREATE INDEX participations_org ON participations(org_id);

CREATE TABLE ties (
    id TEXT PRIMARY KEY NOT NULL,
    from_id TEXT NOT NULL REFERENCES organisations(id) DEFERRABLE INITIALLY DEFERRED,
    to_id TEXT NOT NULL REFERENCES organisations(id) DEFERRABLE INITIALLY DEFERRED,
    kind TEXT NOT NULL,
    date_start TEXT NOT NULL,
    date_end TEXT,
    visibility TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX ties_from ON ties(from_id);
CREATE INDEX ties_to ON ties(to_id);

CREATE TABLE introductions (
    id TEXT PRIMARY KEY NOT NULL,
    from_id TEXT NOT NULL REFERENCES organisations(id) DEFERRABLE INITIALLY DEFERRED,
    to_id TEXT NOT NULL REFERENCES organisations(id) DEFERRABLE INITIALLY DEFERRED,
    date TEXT NOT NULL,
    status TEXT NOT NULL,
    data TEXT NOT NULL
);

CREATE TABLE opportunities (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    deadline TEXT,
    data TEXT NOT NULL
);

CREATE TABLE outcomes (
    id TEXT PRIMARY KEY NOT NULL,
    org_id TEXT NOT NULL REFERENCES organisations(id) DEFERRABLE INITIALLY DEFERRED,
    kind TEXT NOT NULL,
    date TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX outcomes_org ON outcomes(org_id);
