-- Promises to pay made in hand-recorded contacts (contact_attempts) are judged by imported
-- payments like those of field visits: promise_outcomes holds both. Each row comes from
-- exactly one visit or one contact attempt, and goes with it. Existing rows keep their
-- visit and status.
-- NOTE: contact attempts recorded before this migration get no promise outcome.

ALTER TABLE promise_outcomes DROP CONSTRAINT promise_outcomes_pkey;
ALTER TABLE promise_outcomes ALTER COLUMN visit_id DROP NOT NULL;
ALTER TABLE promise_outcomes
    ADD CONSTRAINT promise_outcomes_visit_id_key UNIQUE (visit_id);
-- agent_id of a contact attempt's promise is the user who recorded the attempt.
ALTER TABLE promise_outcomes ADD COLUMN contact_attempt_id uuid
    CONSTRAINT promise_outcomes_contact_attempt_id_fkey
    REFERENCES contact_attempts (id) ON DELETE CASCADE;
ALTER TABLE promise_outcomes
    ADD CONSTRAINT promise_outcomes_contact_attempt_id_key UNIQUE (contact_attempt_id);
ALTER TABLE promise_outcomes ADD CONSTRAINT promise_outcomes_source_check
    CHECK ((visit_id IS NULL) <> (contact_attempt_id IS NULL));
