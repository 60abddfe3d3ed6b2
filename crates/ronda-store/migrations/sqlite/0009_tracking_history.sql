-- What each agent's positions showed on each day, kept after the retention setting has
-- deleted the raw positions themselves.
CREATE TABLE agent_day_summaries (
    organization_id BLOB NOT NULL
        CONSTRAINT agent_day_summaries_organization_id_fkey REFERENCES organizations (id),
    agent_id BLOB NOT NULL CONSTRAINT agent_day_summaries_agent_id_fkey REFERENCES users (id),
    -- Calendar day, YYYY-MM-DD, in time_zone.
    day TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    distance_m REAL NOT NULL,
    -- JSON array of stops: start and end (Unix ms), latitude, longitude, point_count.
    stops TEXT NOT NULL,
    accepted_count INTEGER NOT NULL,
    flagged_count INTEGER NOT NULL,
    first_fix_time INTEGER,
    last_fix_time INTEGER,
    summarized_at INTEGER NOT NULL,
    CONSTRAINT agent_day_summaries_pkey PRIMARY KEY (organization_id, agent_id, day)
);

-- The retention job looks for the oldest positions across the installation.
CREATE INDEX positions_fix_time_idx ON positions (fix_time);
