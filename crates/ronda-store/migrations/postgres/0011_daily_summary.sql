-- Daily summaries: an event of kind 'daily.summary' per organization and local day,
-- which notification rules send to supervisors.
ALTER TABLE events DROP CONSTRAINT events_kind_check;
ALTER TABLE events ADD CONSTRAINT events_kind_check CHECK (kind IN
    ('visit.completed', 'promise.created', 'checkin.rejected', 'account.wrong_party',
     'daily.summary'));

-- One summary per organization and day: occurred_at is the start of the local day.
CREATE UNIQUE INDEX events_daily_summary_key ON events (organization_id, occurred_at)
    WHERE kind = 'daily.summary';
