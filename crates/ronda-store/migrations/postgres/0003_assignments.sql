-- Which agent works each account, with history: reassigning closes the current row and
-- opens a new one, so the rows of an account are its assignment history.

CREATE TABLE assignments (
    id uuid PRIMARY KEY,
    organization_id uuid NOT NULL
        CONSTRAINT assignments_organization_id_fkey REFERENCES organizations (id),
    account_id uuid NOT NULL
        CONSTRAINT assignments_account_id_fkey REFERENCES accounts (id) ON DELETE CASCADE,
    agent_id uuid NOT NULL CONSTRAINT assignments_agent_id_fkey REFERENCES users (id),
    -- The user who assigned it; NULL when an API token or the system did.
    assigned_by uuid CONSTRAINT assignments_assigned_by_fkey REFERENCES users (id),
    assigned_at bigint NOT NULL,
    -- NULL while the assignment is current.
    unassigned_at bigint
);
-- At most one current assignment per account; it also serves the lookup of that row.
CREATE UNIQUE INDEX assignments_current_key ON assignments (organization_id, account_id)
    WHERE unassigned_at IS NULL;
CREATE INDEX assignments_account_id_idx ON assignments (organization_id, account_id, assigned_at);
CREATE INDEX assignments_agent_current_idx ON assignments (organization_id, agent_id)
    WHERE unassigned_at IS NULL;

-- Per-agent settings. An agent without a row has the default daily capacity.
CREATE TABLE agent_settings (
    user_id uuid PRIMARY KEY
        CONSTRAINT agent_settings_user_id_fkey REFERENCES users (id) ON DELETE CASCADE,
    organization_id uuid NOT NULL
        CONSTRAINT agent_settings_organization_id_fkey REFERENCES organizations (id),
    -- Visits the agent can make in one day.
    daily_capacity integer NOT NULL DEFAULT 25
        CONSTRAINT agent_settings_daily_capacity_check CHECK (daily_capacity BETWEEN 1 AND 200),
    updated_at bigint NOT NULL
);
