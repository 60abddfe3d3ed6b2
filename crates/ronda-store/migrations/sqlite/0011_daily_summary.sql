-- no-transaction
-- Daily summaries: an event of kind 'daily.summary' per organization and local day,
-- which notification rules send to supervisors. SQLite cannot change a CHECK constraint,
-- so the events table is rebuilt with the new kind. Foreign keys are off while the table
-- is swapped, because email and webhook deliveries reference it by name.
PRAGMA foreign_keys = OFF;
BEGIN;

CREATE TABLE events_rebuilt (
    id BLOB PRIMARY KEY NOT NULL,
    organization_id BLOB NOT NULL
        CONSTRAINT events_organization_id_fkey REFERENCES organizations (id),
    kind TEXT NOT NULL CONSTRAINT events_kind_check CHECK (kind IN
        ('visit.completed', 'promise.created', 'checkin.rejected', 'account.wrong_party',
         'daily.summary')),
    subject_id BLOB NOT NULL,
    payload TEXT NOT NULL,
    occurred_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    dispatched_at INTEGER
);
INSERT INTO events_rebuilt (id, organization_id, kind, subject_id, payload, occurred_at,
    created_at, dispatched_at)
SELECT id, organization_id, kind, subject_id, payload, occurred_at, created_at,
    dispatched_at
FROM events;
DROP TABLE events;
ALTER TABLE events_rebuilt RENAME TO events;
CREATE INDEX events_dispatch_idx ON events (dispatched_at, created_at);
CREATE INDEX events_organization_idx ON events (organization_id, created_at);

-- One summary per organization and day: occurred_at is the start of the local day.
CREATE UNIQUE INDEX events_daily_summary_key ON events (organization_id, occurred_at)
    WHERE kind = 'daily.summary';

COMMIT;
PRAGMA foreign_keys = ON;
