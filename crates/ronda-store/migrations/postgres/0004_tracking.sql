-- Tracking: the phones that report agents' positions, every position they report, and
-- the newest accepted position of each agent for the live map.

-- A device is one tracking client on one agent's phone. It authenticates with its
-- identifier, which the client sends, and a random secret of which only the SHA-256 is
-- stored. Identifiers are unique across the installation because OsmAnd requests name
-- no organization.
CREATE TABLE devices (
    id uuid PRIMARY KEY,
    organization_id uuid NOT NULL
        CONSTRAINT devices_organization_id_fkey REFERENCES organizations (id),
    agent_id uuid NOT NULL CONSTRAINT devices_agent_id_fkey REFERENCES users (id),
    name text NOT NULL,
    kind text NOT NULL CONSTRAINT devices_kind_check CHECK (kind IN ('osmand', 'owntracks')),
    -- The OsmAnd `id` parameter, or `user/device` for OwnTracks.
    device_identifier text NOT NULL,
    secret_hash bytea NOT NULL,
    created_at bigint NOT NULL,
    revoked_at bigint,
    CONSTRAINT devices_device_identifier_key UNIQUE (device_identifier)
);
CREATE INDEX devices_organization_id_idx ON devices (organization_id);

-- Every position report, accepted or flagged. Flagged ones are kept as evidence and
-- never move the live position.
CREATE TABLE positions (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organization_id uuid NOT NULL
        CONSTRAINT positions_organization_id_fkey REFERENCES organizations (id),
    device_id uuid NOT NULL CONSTRAINT positions_device_id_fkey REFERENCES devices (id),
    agent_id uuid NOT NULL CONSTRAINT positions_agent_id_fkey REFERENCES users (id),
    fix_time bigint NOT NULL,
    received_at bigint NOT NULL,
    -- Missing when the report carried no location, which is flagged missing_location.
    latitude double precision,
    longitude double precision,
    accuracy_m double precision,
    speed_mps double precision,
    -- Degrees clockwise from true north.
    bearing double precision,
    -- Metres.
    altitude double precision,
    battery_pct double precision,
    charging boolean,
    mock boolean,
    status text NOT NULL CONSTRAINT positions_status_check CHECK (status IN ('accepted', 'flagged')),
    -- The filter's reason kind, such as 'zero_coordinates', and its measured values.
    flag_reason text,
    flag_details jsonb,
    -- An accepted fix that arrived after a newer one of the same device.
    older_than_latest boolean NOT NULL,
    -- The message as the device sent it.
    raw jsonb NOT NULL
);
CREATE INDEX positions_device_id_idx ON positions (device_id, status, fix_time);
CREATE INDEX positions_agent_id_idx ON positions (organization_id, agent_id, fix_time);

-- The newest accepted position of each agent, over all of the agent's devices.
CREATE TABLE agent_live_positions (
    agent_id uuid PRIMARY KEY
        CONSTRAINT agent_live_positions_agent_id_fkey REFERENCES users (id),
    organization_id uuid NOT NULL
        CONSTRAINT agent_live_positions_organization_id_fkey REFERENCES organizations (id),
    device_id uuid NOT NULL
        CONSTRAINT agent_live_positions_device_id_fkey REFERENCES devices (id),
    position_id bigint NOT NULL,
    fix_time bigint NOT NULL,
    received_at bigint NOT NULL,
    latitude double precision NOT NULL,
    longitude double precision NOT NULL,
    accuracy_m double precision,
    speed_mps double precision,
    bearing double precision,
    altitude double precision,
    battery_pct double precision,
    charging boolean
);
CREATE INDEX agent_live_positions_organization_id_idx ON agent_live_positions (organization_id);
