-- Settings an organization changes in the console, and the profile of each agent.
-- A missing row means the shipped defaults: Mexico's contact hours and the built-in
-- fallback zone for addresses without one.

CREATE TABLE organization_settings (
    organization_id BLOB PRIMARY KEY NOT NULL
        CONSTRAINT organization_settings_organization_id_fkey REFERENCES organizations (id),
    -- Name shown in the console and in emails; NULL shows organizations.name.
    display_name TEXT,
    -- IANA zone for contact hours at addresses whose state is unknown; NULL uses the
    -- built-in fallback and marks the verdict with unknown_time_zone.
    default_time_zone TEXT,
    -- ronda_domain::portfolio::ContactRule as JSON; NULL uses Mexico's preset.
    contact_rule TEXT,
    updated_at INTEGER NOT NULL
);

CREATE TABLE agent_profiles (
    agent_id BLOB PRIMARY KEY NOT NULL
        CONSTRAINT agent_profiles_agent_id_fkey REFERENCES users (id),
    organization_id BLOB NOT NULL
        CONSTRAINT agent_profiles_organization_id_fkey REFERENCES organizations (id),
    -- JSON array of {day, start, end} with "HH:MM" times, at most one entry per weekday.
    working_hours TEXT NOT NULL,
    start_latitude REAL,
    start_longitude REAL,
    start_label TEXT,
    -- JSON array of {name, vertices: [[latitude, longitude], ...]}.
    zones TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX agent_profiles_organization_id_idx ON agent_profiles (organization_id);

-- One-time links where an invited agent or supervisor sets a password. The row keeps
-- the SHA-256 of the token, so a copy of the database cannot be used to accept one.
CREATE TABLE invitations (
    token_hash BLOB PRIMARY KEY NOT NULL,
    organization_id BLOB NOT NULL
        CONSTRAINT invitations_organization_id_fkey REFERENCES organizations (id),
    user_id BLOB NOT NULL
        CONSTRAINT invitations_user_id_fkey REFERENCES users (id),
    created_by BLOB,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
);
CREATE INDEX invitations_user_id_idx ON invitations (user_id);
