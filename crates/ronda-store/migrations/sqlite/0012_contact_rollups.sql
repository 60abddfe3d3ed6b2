-- Contact attempts added up per local hour, so reports answer without reading every
-- visit. A visit is added once: rolled_up_at is set in the transaction that adds it.
ALTER TABLE visits ADD COLUMN rolled_up_at INTEGER;
CREATE INDEX visits_rollup_pending_idx ON visits (received_at) WHERE rolled_up_at IS NULL;

-- One row per organization, local day and hour (in the address's time zone), lender,
-- portfolio, agent and channel. weekday is ISO: 1 is Monday, 7 is Sunday.
CREATE TABLE contact_hour_rollups (
    organization_id BLOB NOT NULL
        CONSTRAINT contact_hour_rollups_organization_id_fkey REFERENCES organizations (id),
    local_date TEXT NOT NULL,
    weekday INTEGER NOT NULL,
    hour INTEGER NOT NULL,
    lender_id BLOB NOT NULL,
    portfolio_id BLOB NOT NULL,
    agent_id BLOB NOT NULL,
    channel TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    right_party INTEGER NOT NULL,
    successes INTEGER NOT NULL,
    promises INTEGER NOT NULL,
    promised_cents INTEGER NOT NULL,
    CONSTRAINT contact_hour_rollups_pkey PRIMARY KEY
        (organization_id, local_date, hour, lender_id, portfolio_id, agent_id, channel)
);
