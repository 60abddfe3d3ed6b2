-- Custom reports: rollups with more dimensions, saved report definitions and read-only
-- links that show one saved report without a session.

-- Contact attempts per local hour, like contact_hour_rollups, split further by the
-- address's municipality (state and municipality, because named zones do not exist yet),
-- result code, check-in verdict and the class of the verdict's main finding. Text
-- dimensions use '' when unknown, and verdict is 'none' for attempts without a check-in,
-- so every column can be part of the primary key. The rollup transaction that adds a
-- visit to contact_hour_rollups adds it here too.
CREATE TABLE report_rollups (
    organization_id uuid NOT NULL
        CONSTRAINT report_rollups_organization_id_fkey REFERENCES organizations (id),
    local_date text NOT NULL,
    weekday integer NOT NULL,
    hour integer NOT NULL,
    lender_id uuid NOT NULL,
    portfolio_id uuid NOT NULL,
    agent_id uuid NOT NULL,
    channel text NOT NULL,
    zone_state text NOT NULL,
    zone_municipality text NOT NULL,
    result_code text NOT NULL,
    verdict text NOT NULL
        CONSTRAINT report_rollups_verdict_check
        CHECK (verdict IN ('verified', 'doubtful', 'rejected', 'none')),
    reason_class text NOT NULL,
    attempts bigint NOT NULL,
    right_party bigint NOT NULL,
    successes bigint NOT NULL,
    promises bigint NOT NULL,
    promised_cents bigint NOT NULL,
    CONSTRAINT report_rollups_pkey PRIMARY KEY (organization_id, local_date, hour, lender_id,
        portfolio_id, agent_id, channel, zone_state, zone_municipality, result_code, verdict,
        reason_class)
);

-- Visits already rolled up are rolled up again so the new table holds them too: their
-- rows in contact_hour_rollups go, and the worker adds each visit back to both tables.
DELETE FROM contact_hour_rollups WHERE channel = 'visit';
UPDATE visits SET rolled_up_at = NULL WHERE rolled_up_at IS NOT NULL;
-- NOTE: manual contact attempts are not rolled up again here. Their rows in
-- contact_hour_rollups stay, and any attempt rolled up before this migration is missing
-- from report_rollups. Migration 0013 adds them in the same release, so none exist yet.

-- A custom report an organization saved: its name and its definition as JSON
-- (dimensions, measures, filters, period and chart type, checked by the server).
-- created_by is NULL when an API token made the row, here and in report_shares.
CREATE TABLE saved_reports (
    id uuid PRIMARY KEY NOT NULL,
    organization_id uuid NOT NULL
        CONSTRAINT saved_reports_organization_id_fkey REFERENCES organizations (id),
    name text NOT NULL,
    definition text NOT NULL,
    created_by uuid CONSTRAINT saved_reports_created_by_fkey REFERENCES users (id),
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL
);
CREATE INDEX saved_reports_organization_idx ON saved_reports (organization_id, name);

-- A read-only link to one saved report. Only the SHA-256 of the link's token is kept.
CREATE TABLE report_shares (
    id uuid PRIMARY KEY NOT NULL,
    organization_id uuid NOT NULL
        CONSTRAINT report_shares_organization_id_fkey REFERENCES organizations (id),
    report_id uuid NOT NULL
        CONSTRAINT report_shares_report_id_fkey REFERENCES saved_reports (id) ON DELETE CASCADE,
    token_sha256 bytea NOT NULL,
    created_by uuid CONSTRAINT report_shares_created_by_fkey REFERENCES users (id),
    created_at bigint NOT NULL,
    expires_at bigint NOT NULL,
    revoked_at bigint,
    CONSTRAINT report_shares_token_sha256_key UNIQUE (token_sha256)
);
CREATE INDEX report_shares_report_idx ON report_shares (organization_id, report_id);
