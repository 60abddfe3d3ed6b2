-- A supervisor's decision on the corrected point an agent proposed with a visit. One row
-- per visit: the primary key makes a second decision on the same visit insert nothing.
CREATE TABLE visit_pin_decisions (
    visit_id uuid PRIMARY KEY
        CONSTRAINT visit_pin_decisions_visit_id_fkey REFERENCES visits (id) ON DELETE CASCADE,
    organization_id uuid NOT NULL
        CONSTRAINT visit_pin_decisions_organization_id_fkey REFERENCES organizations (id),
    decision text NOT NULL
        CONSTRAINT visit_pin_decisions_decision_check CHECK (decision IN ('approved', 'rejected')),
    note text,
    -- Who decided, as in audit_log: 'user' or 'api_token' with its id.
    actor_kind text NOT NULL,
    actor_id uuid,
    decided_at bigint NOT NULL
);

-- The console lists visits newest first across agents.
CREATE INDEX visits_finished_idx ON visits (organization_id, finished_at);
