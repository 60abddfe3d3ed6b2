-- Settings an organization changes in the console, and the profile of each agent.
-- A missing row means the shipped defaults: Mexico's contact hours and the built-in
-- fallback zone for addresses without one.

CREATE TABLE organization_settings (
    organization_id uuid PRIMARY KEY
        CONSTRAINT organization_settings_organization_id_fkey REFERENCES organizations (id),
    -- Name shown in the console and in emails; NULL shows organizations.name.
    display_name text,
    -- IANA zone for contact hours at addresses whose state is unknown; NULL uses the
    -- built-in fallback and marks the verdict with unknown_time_zone.
    default_time_zone text,
    -- ronda_domain::portfolio::ContactRule as JSON; NULL uses Mexico's preset.
    contact_rule jsonb,
    updated_at bigint NOT NULL
);

CREATE TABLE agent_profiles (
    agent_id uuid PRIMARY KEY
        CONSTRAINT agent_profiles_agent_id_fkey REFERENCES users (id),
    organization_id uuid NOT NULL
        CONSTRAINT agent_profiles_organization_id_fkey REFERENCES organizations (id),
    -- JSON array of {day, start, end} with "HH:MM" times, at most one entry per weekday.
    working_hours jsonb NOT NULL,
    start_latitude double precision,
    start_longitude double precision,
    start_label text,
    -- JSON array of {name, vertices: [[latitude, longitude], ...]}.
    zones jsonb NOT NULL,
    updated_at bigint NOT NULL
);
CREATE INDEX agent_profiles_organization_id_idx ON agent_profiles (organization_id);

-- One-time links where an invited agent or supervisor sets a password. The row keeps
-- the SHA-256 of the token, so a copy of the database cannot be used to accept one.
CREATE TABLE invitations (
    token_hash bytea PRIMARY KEY,
    organization_id uuid NOT NULL
        CONSTRAINT invitations_organization_id_fkey REFERENCES organizations (id),
    user_id uuid NOT NULL
        CONSTRAINT invitations_user_id_fkey REFERENCES users (id),
    created_by uuid,
    created_at bigint NOT NULL,
    expires_at bigint NOT NULL,
    used_at bigint
);
CREATE INDEX invitations_user_id_idx ON invitations (user_id);
