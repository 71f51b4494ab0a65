-- Services of the cluster organisation: the catalogue, members' stated needs (needs
-- assessment) and uptake (which member used which service when). Typed columns for filters and
-- keys, the record as JSON. Clearing the registry empties all three tables.
CREATE TABLE services (
    id TEXT PRIMARY KEY NOT NULL,
    initiative_id TEXT REFERENCES initiatives(id) DEFERRABLE INITIALLY DEFERRED,
    kind TEXT NOT NULL,
    data TEXT NOT NULL
);

CREATE TABLE service_needs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id TEXT NOT NULL REFERENCES organisations(id) DEFERRABLE INITIALLY DEFERRED,
    need TEXT NOT NULL,
    assessed TEXT NOT NULL,
    data TEXT NOT NULL,
    UNIQUE (org_id, need, assessed)
);
CREATE INDEX service_needs_org ON service_needs(org_id);

CREATE TABLE service_uptake (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    service_id TEXT NOT NULL REFERENCES services(id) DEFERRABLE INITIALLY DEFERRED,
    org_id TEXT NOT NULL REFERENCES organisations(id) DEFERRABLE INITIALLY DEFERRED,
    used_on TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX service_uptake_org ON service_uptake(org_id);
CREATE INDEX service_uptake_service ON service_uptake(service_id);
