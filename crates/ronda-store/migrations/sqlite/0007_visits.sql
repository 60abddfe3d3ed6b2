-- Field work: agents' shifts, the result-code catalogue, visits with their check-in
-- evidence and verdict, the photos and signatures they carry, and the events that
-- notifications fan out.

-- Tracking outside shifts is off unless an organization turns it on, because an agent's
-- location is personal data.
ALTER TABLE organizations ADD COLUMN track_outside_shifts INTEGER NOT NULL DEFAULT 0;

-- The field app reports positions through the session-authenticated batch endpoint, so
-- each agent gets one device of kind 'pwa'. SQLite cannot alter a CHECK constraint, so
-- the table is rebuilt inside this migration's transaction: copy the rows aside, drop
-- the table, create it with the new check under the same name, and copy the rows back.
-- Dropping counts every position of a device as a broken foreign key; with the checks
-- deferred to commit, inserting the same device ids again repairs each one before then.
PRAGMA defer_foreign_keys = ON;
CREATE TABLE devices_copy AS SELECT * FROM devices;
DROP TABLE devices;
CREATE TABLE devices (
    id BLOB PRIMARY KEY NOT NULL,
    organization_id BLOB NOT NULL
        CONSTRAINT devices_organization_id_fkey REFERENCES organizations (id),
    agent_id BLOB NOT NULL CONSTRAINT devices_agent_id_fkey REFERENCES users (id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL
        CONSTRAINT devices_kind_check CHECK (kind IN ('osmand', 'owntracks', 'pwa')),
    -- The OsmAnd `id` parameter, `user/device` for OwnTracks, `pwa:AGENT_ID` for the app.
    device_identifier TEXT NOT NULL,
    secret_hash BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER,
    CONSTRAINT devices_device_identifier_key UNIQUE (device_identifier)
);
INSERT INTO devices (id, organization_id, agent_id, name, kind, device_identifier,
    secret_hash, created_at, revoked_at)
SELECT id, organization_id, agent_id, name, kind, device_identifier, secret_hash, created_at,
    revoked_at
FROM devices_copy;
DROP TABLE devices_copy;
CREATE INDEX devices_organization_id_idx ON devices (organization_id);

-- A shift runs from clock-in to clock-out. The app makes the id, so a repeated upload
-- finds the same row.
CREATE TABLE shifts (
    id BLOB PRIMARY KEY NOT NULL,
    organization_id BLOB NOT NULL
        CONSTRAINT shifts_organization_id_fkey REFERENCES organizations (id),
    agent_id BLOB NOT NULL CONSTRAINT shifts_agent_id_fkey REFERENCES users (id),
    clocked_in_at INTEGER NOT NULL,
    -- NULL while the shift is open.
    clocked_out_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CONSTRAINT shifts_clock_order_check
        CHECK (clocked_out_at IS NULL OR clocked_out_at >= clocked_in_at)
);
CREATE INDEX shifts_agent_idx ON shifts (organization_id, agent_id, clocked_in_at);

-- Each organization's result codes ("tipificaciones"). An organization without any gets
-- the shipped default on first read.
CREATE TABLE result_codes (
    organization_id BLOB NOT NULL
        CONSTRAINT result_codes_organization_id_fkey REFERENCES organizations (id),
    code TEXT NOT NULL,
    class TEXT NOT NULL CONSTRAINT result_codes_class_check
        CHECK (class IN ('success', 'reach', 'fail', 'data', 'verification')),
    label_es TEXT NOT NULL,
    label_en TEXT NOT NULL,
    -- What the agent must record with this code, for example "amount, date, channel".
    requires_es TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    CONSTRAINT result_codes_pkey PRIMARY KEY (organization_id, code)
);

-- One visit: one agent at one address at one time. The id is made by the field app, so
-- a repeated upload of the same visit finds this row.
CREATE TABLE visits (
    id BLOB PRIMARY KEY NOT NULL,
    organization_id BLOB NOT NULL
        CONSTRAINT visits_organization_id_fkey REFERENCES organizations (id),
    agent_id BLOB NOT NULL CONSTRAINT visits_agent_id_fkey REFERENCES users (id),
    account_id BLOB NOT NULL CONSTRAINT visits_account_id_fkey REFERENCES accounts (id),
    address_id BLOB NOT NULL CONSTRAINT visits_address_id_fkey REFERENCES addresses (id),
    assignment_id BLOB CONSTRAINT visits_assignment_id_fkey REFERENCES assignments (id),
    -- Whether the account was assigned to the agent when the visit arrived. A visit to an
    -- account of someone else is kept as evidence and flagged here.
    assigned_to_agent INTEGER NOT NULL,
    form_version_id BLOB NOT NULL,
    -- SHA-256 (hex) of the request body in canonical JSON; a repeated upload must match it.
    content_sha256 TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    status TEXT NOT NULL CONSTRAINT visits_status_check
        CHECK (status IN ('complete', 'waiting_for_attachments')),
    completed_at INTEGER,
    started_at INTEGER NOT NULL,
    finished_at INTEGER NOT NULL,
    checkin_latitude REAL NOT NULL,
    checkin_longitude REAL NOT NULL,
    checkin_accuracy_m REAL NOT NULL,
    checkin_fix_time INTEGER NOT NULL,
    checkin_mock INTEGER NOT NULL,
    -- The device clock at check-in, and server clock minus device clock as the app measured.
    device_time INTEGER NOT NULL,
    server_offset_ms INTEGER NOT NULL,
    on_device_decision TEXT NOT NULL
        CONSTRAINT visits_on_device_decision_check CHECK (on_device_decision IN ('accepted', 'refused')),
    on_device_reasons TEXT NOT NULL,
    verdict TEXT NOT NULL
        CONSTRAINT visits_verdict_check CHECK (verdict IN ('verified', 'doubtful', 'rejected')),
    -- Every finding of the verdict with its measured values.
    verdict_reasons TEXT NOT NULL,
    exception TEXT CONSTRAINT visits_exception_check
        CHECK (exception IS NULL OR exception IN ('pin_correction', 'address_not_found')),
    proposed_latitude REAL,
    proposed_longitude REAL,
    answers TEXT NOT NULL,
    result_code TEXT,
    person_met TEXT,
    promise_amount_cents INTEGER,
    -- Local date "YYYY-MM-DD".
    promise_date TEXT,
    promise_channel TEXT,
    -- Events to write when the last attachment arrives; NULL once written.
    completion_events TEXT,
    -- The request body as received.
    body TEXT NOT NULL
);
CREATE INDEX visits_agent_idx ON visits (organization_id, agent_id, finished_at);
CREATE INDEX visits_account_idx ON visits (organization_id, account_id, finished_at);

-- Blobs (photos, signatures) keyed by their SHA-256 within an organization, so uploading
-- the same file twice stores it once.
-- NOTE: blobs live in the database; a deployment with many photos will want object
-- storage behind the same key.
CREATE TABLE attachments (
    organization_id BLOB NOT NULL
        CONSTRAINT attachments_organization_id_fkey REFERENCES organizations (id),
    sha256 TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    content BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    CONSTRAINT attachments_pkey PRIMARY KEY (organization_id, sha256)
);

-- The attachments a visit declared. One arrives when `attachments` has its hash.
CREATE TABLE visit_attachments (
    visit_id BLOB NOT NULL
        CONSTRAINT visit_attachments_visit_id_fkey REFERENCES visits (id) ON DELETE CASCADE,
    organization_id BLOB NOT NULL
        CONSTRAINT visit_attachments_organization_id_fkey REFERENCES organizations (id),
    sha256 TEXT NOT NULL,
    kind TEXT NOT NULL
        CONSTRAINT visit_attachments_kind_check CHECK (kind IN ('photo', 'signature', 'pin_photo')),
    content_type TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    question TEXT NOT NULL,
    CONSTRAINT visit_attachments_pkey PRIMARY KEY (visit_id, sha256)
);
CREATE INDEX visit_attachments_sha256_idx ON visit_attachments (organization_id, sha256);

-- Things that happened, written in the same transaction as their cause. The payload is a
-- snapshot with everything a notification needs; dispatched_at is set once fanned out.
CREATE TABLE events (
    id BLOB PRIMARY KEY NOT NULL,
    organization_id BLOB NOT NULL
        CONSTRAINT events_organization_id_fkey REFERENCES organizations (id),
    kind TEXT NOT NULL CONSTRAINT events_kind_check CHECK (kind IN
        ('visit.completed', 'promise.created', 'checkin.rejected', 'account.wrong_party')),
    subject_id BLOB NOT NULL,
    payload TEXT NOT NULL,
    occurred_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    dispatched_at INTEGER
);
CREATE INDEX events_dispatch_idx ON events (dispatched_at, created_at);
CREATE INDEX events_organization_idx ON events (organization_id, created_at);
