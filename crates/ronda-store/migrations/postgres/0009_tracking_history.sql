-- What each agent's positions showed on each day, kept after the retention setting has
-- deleted the raw positions themselves.
CREATE TABLE agent_day_summaries (
    organization_id uuid NOT NULL
        CONSTRAINT agent_day_summaries_organization_id_fkey REFERENCES organizations (id),
    agent_id uuid NOT NULL CONSTRAINT agent_day_summaries_agent_id_fkey REFERENCES users (id),
    -- Calendar day, YYYY-MM-DD, in time_zone.
    day text NOT NULL,
    time_zone text NOT NULL,
    distance_m double precision NOT NULL,
    -- Stops: start and end (Unix ms), latitude, longitude, point_count.
    stops jsonb NOT NULL,
    accepted_count bigint NOT NULL,
    flagged_count bigint NOT NULL,
    first_fix_time bigint,
    last_fix_time bigint,
    summarized_at bigint NOT NULL,
    CONSTRAINT agent_day_summaries_pkey PRIMARY KEY (organization_id, agent_id, day)
);

-- The retention job looks for the oldest positions across the installation.
CREATE INDEX positions_fix_time_idx ON positions (fix_time);
