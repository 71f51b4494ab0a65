-- Evaluation: follow-up requests (what came of an event or introduction, asked at set delays)
-- and KPI targets agreed for an initiative. Typed columns for filters, the record as JSON.
CREATE TABLE followups (
    id TEXT PRIMARY KEY NOT NULL,
    org_id TEXT NOT NULL REFERENCES organisations(id) DEFERRABLE INITIALLY DEFERRED,
    source_kind TEXT NOT NULL,
    source_id TEXT NOT NULL,
    due TEXT NOT NULL,
    status TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX followups_org ON followups(org_id);
CREATE INDEX followups_due ON followups(due);

CREATE TABLE kpi_targets (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    initiative_id TEXT NOT NULL REFERENCES initiatives(id) DEFERRABLE INITIALLY DEFERRED,
    kpi TEXT NOT NULL,
    by_date TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX kpi_targets_initiative ON kpi_targets(initiative_id);
