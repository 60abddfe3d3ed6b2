-- Field work: agents' shifts, the result-code catalogue, visits with their check-in
-- evidence and verdict, the photos and signatures they carry, and the events that
-- notifications fan out.

-- Tracking outside shifts is off unless an organization turns it on, because an agent's
-- location is personal data.
ALTER TABLE organizations ADD COLUMN track_outside_shifts boolean NOT NULL DEFAULT false;

-- The field app reports positions through the session-authenticated batch endpoint, so
-- each agent gets one device of kind 'pwa'.
ALTER TABLE devices DROP CONSTRAINT devices_kind_check;
ALTER TABLE devices ADD CONSTRAINT devices_kind_check
    CHECK (kind IN ('osmand', 'owntracks', 'pwa'));

-- A shift runs from clock-in to clock-out. The app makes the id, so a repeated upload
-- finds the same row.
CREATE TABLE shifts (
    id uuid PRIMARY KEY,
    organization_id uuid NOT NULL
        CONSTRAINT shifts_organization_id_fkey REFERENCES organizations (id),
    agent_id uuid NOT NULL CONSTRAINT shifts_agent_id_fkey REFERENCES users (id),
    clocked_in_at bigint NOT NULL,
    -- NULL while the shift is open.
    clocked_out_at bigint,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL,
    CONSTRAINT shifts_clock_order_check
        CHECK (clocked_out_at IS NULL OR clocked_out_at >= clocked_in_at)
);
CREATE INDEX shifts_agent_idx ON shifts (organization_id, agent_id, clocked_in_at);

-- Each organization's result codes ("tipificaciones"). An organization without any gets
-- the shipped default on first read.
CREATE TABLE result_codes (
    organization_id uuid NOT NULL
        CONSTRAINT result_codes_organization_id_fkey REFERENCES organizations (id),
    code text NOT NULL,
    class text NOT NULL CONSTRAINT result_codes_class_check
        CHECK (class IN ('success', 'reach', 'fail', 'data', 'verification')),
    label_es text NOT NULL,
    label_en text NOT NULL,
    -- What the agent must record with this code, for example "amount, date, channel".
    requires_es text NOT NULL DEFAULT '',
    position integer NOT NULL,
    active boolean NOT NULL DEFAULT true,
    CONSTRAINT result_codes_pkey PRIMARY KEY (organization_id, code)
);

-- One visit: one agent at one address at one time. The id is made by the field app, so
-- a repeated upload of the same visit finds this row.
CREATE TABLE visits (
    id uuid PRIMARY KEY,
    organization_id uuid NOT NULL
        CONSTRAINT visits_organization_id_fkey REFERENCES organizations (id),
    agent_id uuid NOT NULL CONSTRAINT visits_agent_id_fkey REFERENCES users (id),
    account_id uuid NOT NULL CONSTRAINT visits_account_id_fkey REFERENCES accounts (id),
    address_id uuid NOT NULL CONSTRAINT visits_address_id_fkey REFERENCES addresses (id),
    assignment_id uuid CONSTRAINT visits_assignment_id_fkey REFERENCES assignments (id),
    -- Whether the account was assigned to the agent when the visit arrived. A visit to an
    -- account of someone else is kept as evidence and flagged here.
    assigned_to_agent boolean NOT NULL,
    form_version_id uuid NOT NULL,
    -- SHA-256 (hex) of the request body in canonical JSON; a repeated upload must match it.
    content_sha256 text NOT NULL,
    received_at bigint NOT NULL,
    status text NOT NULL CONSTRAINT visits_status_check
        CHECK (status IN ('complete', 'waiting_for_attachments')),
    completed_at bigint,
    started_at bigint NOT NULL,
    finished_at bigint NOT NULL,
    checkin_latitude double precision NOT NULL,
    checkin_longitude double precision NOT NULL,
    checkin_accuracy_m double precision NOT NULL,
    checkin_fix_time bigint NOT NULL,
    checkin_mock boolean NOT NULL,
    -- The device clock at check-in, and server clock minus device clock as the app measured.
    device_time bigint NOT NULL,
    server_offset_ms bigint NOT NULL,
    on_device_decision text NOT NULL
        CONSTRAINT visits_on_device_decision_check CHECK (on_device_decision IN ('accepted', 'refused')),
    on_device_reasons jsonb NOT NULL,
    verdict text NOT NULL
        CONSTRAINT visits_verdict_check CHECK (verdict IN ('verified', 'doubtful', 'rejected')),
    -- Every finding of the verdict with its measured values.
    verdict_reasons jsonb NOT NULL,
    exception text CONSTRAINT visits_exception_check
        CHECK (exception IS NULL OR exception IN ('pin_correction', 'address_not_found')),
    proposed_latitude double precision,
    proposed_longitude double precision,
    answers jsonb NOT NULL,
    result_code text,
    person_met text,
    promise_amount_cents bigint,
    -- Local date "YYYY-MM-DD".
    promise_date text,
    promise_channel text,
    -- Events to write when the last attachment arrives; NULL once written.
    completion_events jsonb,
    -- The request body as received.
    body jsonb NOT NULL
);
CREATE INDEX visits_agent_idx ON visits (organization_id, agent_id, finished_at);
CREATE INDEX visits_account_idx ON visits (organization_id, account_id, finished_at);

-- Blobs (photos, signatures) keyed by their SHA-256 within an organization, so uploading
-- the same file twice stores it once.
-- NOTE: blobs live in the database; a deployment with many photos will want object
-- storage behind the same key.
CREATE TABLE attachments (
    organization_id uuid NOT NULL
        CONSTRAINT attachments_organization_id_fkey REFERENCES organizations (id),
    sha256 text NOT NULL,
    content_type text NOT NULL,
    size_bytes bigint NOT NULL,
    content bytea NOT NULL,
    created_at bigint NOT NULL,
    CONSTRAINT attachments_pkey PRIMARY KEY (organization_id, sha256)
);

-- The attachments a visit declared. One arrives when `attachments` has its hash.
CREATE TABLE visit_attachments (
    visit_id uuid NOT NULL
        CONSTRAINT visit_attachments_visit_id_fkey REFERENCES visits (id) ON DELETE CASCADE,
    organization_id uuid NOT NULL
        CONSTRAINT visit_attachments_organization_id_fkey REFERENCES organizations (id),
    sha256 text NOT NULL,
    kind text NOT NULL
        CONSTRAINT visit_attachments_kind_check CHECK (kind IN ('photo', 'signature', 'pin_photo')),
    content_type text NOT NULL,
    size_bytes bigint NOT NULL,
    question text NOT NULL,
    CONSTRAINT visit_attachments_pkey PRIMARY KEY (visit_id, sha256)
);
CREATE INDEX visit_attachments_sha256_idx ON visit_attachments (organization_id, sha256);

-- Things that happened, written in the same transaction as their cause. The payload is a
-- snapshot with everything a notification needs; dispatched_at is set once fanned out.
CREATE TABLE events (
    id uuid PRIMARY KEY,
    organization_id uuid NOT NULL
        CONSTRAINT events_organization_id_fkey REFERENCES organizations (id),
    kind text NOT NULL CONSTRAINT events_kind_check CHECK (kind IN
        ('visit.completed', 'promise.created', 'checkin.rejected', 'account.wrong_party')),
    subject_id uuid NOT NULL,
    payload jsonb NOT NULL,
    occurred_at bigint NOT NULL,
    created_at bigint NOT NULL,
    dispatched_at bigint
);
CREATE INDEX events_dispatch_idx ON events (dispatched_at, created_at);
CREATE INDEX events_organization_idx ON events (organization_id, created_at);
