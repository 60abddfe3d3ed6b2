-- Payments imported from lenders' files, the outcome of each promise to pay, and per-agent
-- daily rollups for the productivity report.

-- One payment to one account, as the lender's file reported it. Importing the same file
-- again finds the same rows: a payment is the same when account, date, amount and
-- reference match. An empty reference is stored as ''.
CREATE TABLE payments (
    id uuid PRIMARY KEY,
    organization_id uuid NOT NULL
        CONSTRAINT payments_organization_id_fkey REFERENCES organizations (id),
    lender_id uuid NOT NULL CONSTRAINT payments_lender_id_fkey REFERENCES lenders (id),
    account_id uuid NOT NULL
        CONSTRAINT payments_account_id_fkey REFERENCES accounts (id) ON DELETE CASCADE,
    -- Local date "YYYY-MM-DD".
    paid_on text NOT NULL,
    amount_cents bigint NOT NULL CONSTRAINT payments_amount_check CHECK (amount_cents > 0),
    reference text NOT NULL,
    imported_at bigint NOT NULL,
    CONSTRAINT payments_identity_key
        UNIQUE (organization_id, account_id, paid_on, amount_cents, reference)
);

-- Each promise to pay made in a visit, and whether payments kept it. status is 'kept'
-- once payments dated from created_on to due_on add up to amount_cents, 'broken' once
-- due_on has passed without, and 'pending' before that.
CREATE TABLE promise_outcomes (
    visit_id uuid PRIMARY KEY
        CONSTRAINT promise_outcomes_visit_id_fkey REFERENCES visits (id) ON DELETE CASCADE,
    organization_id uuid NOT NULL
        CONSTRAINT promise_outcomes_organization_id_fkey REFERENCES organizations (id),
    account_id uuid NOT NULL,
    agent_id uuid NOT NULL,
    lender_id uuid NOT NULL,
    portfolio_id uuid NOT NULL,
    -- Local date of the visit that made the promise.
    created_on text NOT NULL,
    promised_on text NOT NULL,
    -- promised_on plus the grace days.
    due_on text NOT NULL,
    amount_cents bigint NOT NULL,
    paid_cents bigint NOT NULL DEFAULT 0,
    status text NOT NULL CONSTRAINT promise_outcomes_status_check
        CHECK (status IN ('pending', 'kept', 'broken')),
    evaluated_at bigint NOT NULL
);
CREATE INDEX promise_outcomes_pending_idx ON promise_outcomes (due_on) WHERE status = 'pending';
CREATE INDEX promise_outcomes_account_idx ON promise_outcomes (organization_id, account_id);
CREATE INDEX promise_outcomes_agent_idx ON promise_outcomes (organization_id, agent_id, created_on);

-- A finished visit is added once to agent_day_rollups and, when it carries a promise, to
-- promise_outcomes, in the transaction that sets productivity_rolled_up_at.
ALTER TABLE visits ADD COLUMN productivity_rolled_up_at bigint;
CREATE INDEX visits_productivity_pending_idx ON visits (received_at)
    WHERE productivity_rolled_up_at IS NULL;

-- Finished visits per organization, agent, local day (in the address's time zone), lender
-- and portfolio. first and last are the Unix milliseconds of the earliest and latest
-- finish, for the average time between visits.
CREATE TABLE agent_day_rollups (
    organization_id uuid NOT NULL
        CONSTRAINT agent_day_rollups_organization_id_fkey REFERENCES organizations (id),
    agent_id uuid NOT NULL,
    local_date text NOT NULL,
    lender_id uuid NOT NULL,
    portfolio_id uuid NOT NULL,
    visits bigint NOT NULL,
    verified bigint NOT NULL,
    right_party bigint NOT NULL,
    promises bigint NOT NULL,
    promised_cents bigint NOT NULL,
    first_finished_at bigint NOT NULL,
    last_finished_at bigint NOT NULL,
    CONSTRAINT agent_day_rollups_pkey
        PRIMARY KEY (organization_id, agent_id, local_date, lender_id, portfolio_id)
);
CREATE INDEX agent_day_rollups_date_idx ON agent_day_rollups (organization_id, local_date);

-- Distance an agent travelled on a day with visits, from the tracked positions. The worker
-- computes it again while refreshed_at is NULL or before final_after, the end of the day
-- plus a margin for positions that arrive late from offline phones.
CREATE TABLE agent_day_distances (
    organization_id uuid NOT NULL
        CONSTRAINT agent_day_distances_organization_id_fkey REFERENCES organizations (id),
    agent_id uuid NOT NULL,
    local_date text NOT NULL,
    distance_m double precision NOT NULL DEFAULT 0,
    refreshed_at bigint,
    final_after bigint NOT NULL,
    CONSTRAINT agent_day_distances_pkey PRIMARY KEY (organization_id, agent_id, local_date)
);
CREATE INDEX agent_day_distances_stale_idx ON agent_day_distances (final_after);
