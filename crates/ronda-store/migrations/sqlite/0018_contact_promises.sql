-- Promises to pay made in hand-recorded contacts (contact_attempts) are judged by imported
-- payments like those of field visits: promise_outcomes holds both. Each row comes from
-- exactly one visit or one contact attempt, and goes with it.
-- SQLite cannot change a primary key or add a foreign key in place, so the table is built
-- again and its rows copied, with their status.
-- NOTE: contact attempts recorded before this migration get no promise outcome.

CREATE TABLE promise_outcomes_0018 (
    visit_id BLOB
        CONSTRAINT promise_outcomes_visit_id_fkey REFERENCES visits (id) ON DELETE CASCADE,
    contact_attempt_id BLOB
        CONSTRAINT promise_outcomes_contact_attempt_id_fkey
        REFERENCES contact_attempts (id) ON DELETE CASCADE,
    organization_id BLOB NOT NULL
        CONSTRAINT promise_outcomes_organization_id_fkey REFERENCES organizations (id),
    account_id BLOB NOT NULL,
    -- The visiting agent, or the user who recorded the contact attempt.
    agent_id BLOB NOT NULL,
    lender_id BLOB NOT NULL,
    portfolio_id BLOB NOT NULL,
    -- Local date of the visit or contact that made the promise.
    created_on TEXT NOT NULL,
    promised_on TEXT NOT NULL,
    -- promised_on plus the grace days.
    due_on TEXT NOT NULL,
    amount_cents INTEGER NOT NULL,
    paid_cents INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL CONSTRAINT promise_outcomes_status_check
        CHECK (status IN ('pending', 'kept', 'broken')),
    evaluated_at INTEGER NOT NULL,
    CONSTRAINT promise_outcomes_visit_id_key UNIQUE (visit_id),
    CONSTRAINT promise_outcomes_contact_attempt_id_key UNIQUE (contact_attempt_id),
    CONSTRAINT promise_outcomes_source_check
        CHECK ((visit_id IS NULL) <> (contact_attempt_id IS NULL))
);

INSERT INTO promise_outcomes_0018 (visit_id, contact_attempt_id, organization_id, account_id,
    agent_id, lender_id, portfolio_id, created_on, promised_on, due_on, amount_cents,
    paid_cents, status, evaluated_at)
SELECT visit_id, NULL, organization_id, account_id, agent_id, lender_id, portfolio_id,
    created_on, promised_on, due_on, amount_cents, paid_cents, status, evaluated_at
FROM promise_outcomes;

DROP TABLE promise_outcomes;
ALTER TABLE promise_outcomes_0018 RENAME TO promise_outcomes;

CREATE INDEX promise_outcomes_pending_idx ON promise_outcomes (due_on) WHERE status = 'pending';
CREATE INDEX promise_outcomes_account_idx ON promise_outcomes (organization_id, account_id);
CREATE INDEX promise_outcomes_agent_idx ON promise_outcomes (organization_id, agent_id, created_on);
