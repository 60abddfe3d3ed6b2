-- Schema conventions, shared with the PostgreSQL migrations:
-- * Every table that holds an organization's data has an organization_id column, and
--   every query on it filters by that column.
-- * Ids are UUIDs (16-byte BLOBs here, uuid in PostgreSQL); audit entries use a sequence.
-- * Times are INTEGER Unix milliseconds in UTC, in columns named *_at.
-- * Constraint names are the same in both backends, because the server maps them to
--   precise error answers.

CREATE TABLE organizations (
    id BLOB PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    CONSTRAINT organizations_name_key UNIQUE (name)
);

CREATE TABLE users (
    id BLOB PRIMARY KEY NOT NULL,
    organization_id BLOB NOT NULL
        CONSTRAINT users_organization_id_fkey REFERENCES organizations (id),
    email TEXT NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL
        CONSTRAINT users_role_check CHECK (role IN ('admin', 'supervisor', 'agent', 'viewer')),
    password_hash TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    deactivated_at INTEGER,
    CONSTRAINT users_email_key UNIQUE (email)
);
CREATE INDEX users_organization_id_idx ON users (organization_id);

-- A session row is keyed by the SHA-256 of the cookie value, so a copy of the database
-- cannot be used to log in.
CREATE TABLE sessions (
    token_hash BLOB PRIMARY KEY NOT NULL,
    organization_id BLOB NOT NULL
        CONSTRAINT sessions_organization_id_fkey REFERENCES organizations (id),
    user_id BLOB NOT NULL
        CONSTRAINT sessions_user_id_fkey REFERENCES users (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);
CREATE INDEX sessions_expires_at_idx ON sessions (expires_at);

CREATE TABLE api_tokens (
    id BLOB PRIMARY KEY NOT NULL,
    organization_id BLOB NOT NULL
        CONSTRAINT api_tokens_organization_id_fkey REFERENCES organizations (id),
    name TEXT NOT NULL,
    role TEXT NOT NULL
        CONSTRAINT api_tokens_role_check CHECK (role IN ('admin', 'supervisor', 'agent', 'viewer')),
    token_hash BLOB NOT NULL,
    created_by BLOB CONSTRAINT api_tokens_created_by_fkey REFERENCES users (id),
    created_at INTEGER NOT NULL,
    revoked_at INTEGER,
    CONSTRAINT api_tokens_token_hash_key UNIQUE (token_hash)
);
CREATE INDEX api_tokens_organization_id_idx ON api_tokens (organization_id);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id BLOB NOT NULL
        CONSTRAINT audit_log_organization_id_fkey REFERENCES organizations (id),
    actor_kind TEXT NOT NULL
        CONSTRAINT audit_log_actor_kind_check CHECK (actor_kind IN ('user', 'api_token', 'system')),
    actor_id BLOB,
    action TEXT NOT NULL,
    target_kind TEXT NOT NULL,
    target_id TEXT,
    details TEXT NOT NULL DEFAULT '{}',
    created_at INTEGER NOT NULL
);
CREATE INDEX audit_log_organization_id_idx ON audit_log (organization_id, id);

-- The audit log is append-only: the database itself rejects changes and deletions.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
