-- Contact attempts added up per local hour, so reports answer without reading every
-- visit. A visit is added once: rolled_up_at is set in the transaction that adds it.
ALTER TABLE visits ADD COLUMN rolled_up_at bigint;
CREATE INDEX visits_rollup_pending_idx ON visits (received_at) WHERE rolled_up_at IS NULL;

-- One row per organization, local day and hour (in the address's time zone), lender,
-- portfolio, agent and channel. weekday is ISO: 1 is Monday, 7 is Sunday.
CREATE TABLE contact_hour_rollups (
    organization_id uuid NOT NULL
        CONSTRAINT contact_hour_rollups_organization_id_fkey REFERENCES organizations (id),
    local_date text NOT NULL,
    weekday integer NOT NULL,
    hour integer NOT NULL,
    lender_id uuid NOT NULL,
    portfolio_id uuid NOT NULL,
    agent_id uuid NOT NULL,
    channel text NOT NULL,
    attempts bigint NOT NULL,
    right_party bigint NOT NULL,
    successes bigint NOT NULL,
    promises bigint NOT NULL,
    promised_cents bigint NOT NULL,
    CONSTRAINT contact_hour_rollups_pkey PRIMARY KEY
        (organization_id, local_date, hour, lender_id, portfolio_id, agent_id, channel)
);
