-- Schema conventions, shared with the SQLite migrations:
-- * Every table that holds an organization's data has an organization_id column, and
--   every query on it filters by that column.
-- * Ids are UUIDs; audit entries use a sequence.
-- * Times are BIGINT Unix milliseconds in UTC, in columns named *_at, so both backends
--   store, compare and return the same values.
-- * Constraint names are the same in both backends, because the server maps them to
--   precise error answers.

CREATE TABLE organizations (
    id uuid PRIMARY KEY,
    name text NOT NULL,
    created_at bigint NOT NULL,
    CONSTRAINT organizations_name_key UNIQUE (name)
);

CREATE TABLE users (
    id uuid PRIMARY KEY,
    organization_id uuid NOT NULL
        CONSTRAINT users_organization_id_fkey REFERENCES organizations (id),
    email text NOT NULL,
    name text NOT NULL,
    role text NOT NULL
        CONSTRAINT users_role_check CHECK (role IN ('admin', 'supervisor', 'agent', 'viewer')),
    password_hash text NOT NULL,
    active boolean NOT NULL DEFAULT true,
    created_at bigint NOT NULL,
    deactivated_at bigint,
    CONSTRAINT users_email_key UNIQUE (email)
);
CREATE INDEX users_organization_id_idx ON users (organization_id);

-- A session row is keyed by the SHA-256 of the cookie value, so a copy of the database
-- cannot be used to log in.
CREATE TABLE sessions (
    token_hash bytea PRIMARY KEY,
    organization_id uuid NOT NULL
        CONSTRAINT sessions_organization_id_fkey REFERENCES organizations (id),
    user_id uuid NOT NULL
        CONSTRAINT sessions_user_id_fkey REFERENCES users (id) ON DELETE CASCADE,
    csrf_token text NOT NULL,
    created_at bigint NOT NULL,
    expires_at bigint NOT NULL
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);
CREATE INDEX sessions_expires_at_idx ON sessions (expires_at);

CREATE TABLE api_tokens (
    id uuid PRIMARY KEY,
    organization_id uuid NOT NULL
        CONSTRAINT api_tokens_organization_id_fkey REFERENCES organizations (id),
    name text NOT NULL,
    role text NOT NULL
        CONSTRAINT api_tokens_role_check CHECK (role IN ('admin', 'supervisor', 'agent', 'viewer')),
    token_hash bytea NOT NULL,
    created_by uuid CONSTRAINT api_tokens_created_by_fkey REFERENCES users (id),
    created_at bigint NOT NULL,
    revoked_at bigint,
    CONSTRAINT api_tokens_token_hash_key UNIQUE (token_hash)
);
CREATE INDEX api_tokens_organization_id_idx ON api_tokens (organization_id);

CREATE TABLE audit_log (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organization_id uuid NOT NULL
        CONSTRAINT audit_log_organization_id_fkey REFERENCES organizations (id),
    actor_kind text NOT NULL
        CONSTRAINT audit_log_actor_kind_check CHECK (actor_kind IN ('user', 'api_token', 'system')),
    actor_id uuid,
    action text NOT NULL,
    target_kind text NOT NULL,
    target_id text,
    details jsonb NOT NULL DEFAULT '{}',
    created_at bigint NOT NULL
);
CREATE INDEX audit_log_organization_id_idx ON audit_log (organization_id, id);

-- The audit log is append-only: the database itself rejects changes and deletions.
CREATE FUNCTION audit_log_reject_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_reject_change();

CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_reject_change();
