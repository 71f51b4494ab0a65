-- Regional statistics for cluster mapping (`milieu map`): employment tables, cluster
-- definition sets, code concordances and region hierarchies.
--
-- A table's region and industry codes are stored once (map_regions, map_industries) and its
-- rows refer to them by small integer ids, so a row is six numbers. Rows are clustered on
-- (table, year, region, industry) (WITHOUT ROWID), the order the engine builds its columns
-- in, and NUMERIC affinity stores integral counts as 1-4 byte integers.

CREATE TABLE map_tables (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    source TEXT NOT NULL,
    vintage TEXT
);

CREATE TABLE map_regions (
    table_id INTEGER NOT NULL REFERENCES map_tables(id),
    id INTEGER NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (table_id, id)
) WITHOUT ROWID;

CREATE TABLE map_industries (
    table_id INTEGER NOT NULL REFERENCES map_tables(id),
    id INTEGER NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (table_id, id)
) WITHOUT ROWID;

CREATE TABLE map_rows (
    table_id INTEGER NOT NULL REFERENCES map_tables(id),
    year INTEGER NOT NULL,
    region_id INTEGER NOT NULL,
    industry_id INTEGER NOT NULL,
    employment NUMERIC NOT NULL,
    establishments NUMERIC,
    payroll NUMERIC,
    PRIMARY KEY (table_id, year, region_id, industry_id)
) WITHOUT ROWID;

-- Published all-industry totals of a region (CBP's NAICS "00" rows, a long table's total code).
CREATE TABLE map_totals (
    table_id INTEGER NOT NULL REFERENCES map_tables(id),
    year INTEGER NOT NULL,
    region_id INTEGER NOT NULL,
    employment NUMERIC NOT NULL,
    establishments NUMERIC,
    payroll NUMERIC,
    PRIMARY KEY (table_id, year, region_id)
) WITHOUT ROWID;

CREATE TABLE map_definition_sets (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    format TEXT NOT NULL,
    vintage TEXT,
    source TEXT NOT NULL
);

-- One membership of an industry in a cluster; seq keeps the file's order (an industry's
-- first membership is its primary cluster in overlapping sets). traded: 1, 0 or NULL.
CREATE TABLE map_definitions (
    set_id INTEGER NOT NULL REFERENCES map_definition_sets(id),
    seq INTEGER NOT NULL,
    industry TEXT NOT NULL,
    cluster_code TEXT NOT NULL,
    cluster_name TEXT NOT NULL,
    traded INTEGER,
    subcluster TEXT,
    PRIMARY KEY (set_id, seq)
);

CREATE TABLE map_concordances (
    id INTEGER PRIMARY KEY,
    from_vintage TEXT NOT NULL,
    to_vintage TEXT NOT NULL,
    source TEXT NOT NULL,
    UNIQUE (from_vintage, to_vintage)
);

CREATE TABLE map_concordance_pairs (
    concordance_id INTEGER NOT NULL REFERENCES map_concordances(id),
    from_code TEXT NOT NULL,
    to_code TEXT NOT NULL,
    PRIMARY KEY (concordance_id, from_code, to_code)
);

-- Region hierarchy: a base region's parent at each level (county -> state, bea_ea, msa, ...).
CREATE TABLE map_hierarchy (
    level TEXT NOT NULL,
    region TEXT NOT NULL,
    parent TEXT NOT NULL,
    parent_name TEXT NOT NULL,
    source TEXT NOT NULL,
    PRIMARY KEY (level, region)
);
