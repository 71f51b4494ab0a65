-- Web accounts and their sessions (milieu serve), and the registry's write generation, which
-- a server's in-memory read model compares to know when to reload.
CREATE TABLE users (
    username TEXT PRIMARY KEY NOT NULL,
    role TEXT NOT NULL,
    -- The organisation a member account acts for; not a foreign key, so clearing the registry
    -- keeps the accounts.
    org_id TEXT,
    password_hash TEXT NOT NULL,
    disabled BIGINT NOT NULL DEFAULT 0,
    data TEXT NOT NULL
);

CREATE TABLE sessions (
    -- SHA-256 of the cookie's token, so a copy of the database cannot be used to log in.
    token_hash TEXT PRIMARY KEY NOT NULL,
    username TEXT NOT NULL REFERENCES users(username) ON DELETE CASCADE,
    expires_unix BIGINT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX sessions_username ON sessions(username);

CREATE TABLE registry_generation (
    id BIGINT PRIMARY KEY NOT NULL,
    n BIGINT NOT NULL
);
INSERT INTO registry_generation (id, n) VALUES (1, 0);
