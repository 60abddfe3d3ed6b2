//! Tracking statements that run unchanged on SQLite and PostgreSQL.

macro_rules! device_select {
    ($tail:literal) => {
        concat!(
            "SELECT d.id, d.organization_id, d.agent_id, d.name, d.kind, d.device_identifier, \
             d.secret_hash, d.created_at, d.revoked_at FROM devices d ",
            $tail
        )
    };
}

pub(crate) const INSERT_DEVICE: &str = "INSERT INTO devices (id, organization_id, agent_id, \
    name, kind, device_identifier, secret_hash, created_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
pub(crate) const SELECT_DEVICES: &str =
    device_select!("WHERE d.organization_id = $1 ORDER BY d.created_at DESC, d.id DESC");
pub(crate) const SELECT_DEVICE: &str = device_select!("WHERE d.organization_id = $1 AND d.id = $2");
/// An unrevoked device whose agent is active, so deactivating a user also stops the
/// user's phones from reporting.
pub(crate) const SELECT_ACTIVE_DEVICE: &str = device_select!(
    "JOIN users u ON u.id = d.agent_id AND u.organization_id = d.organization_id \
     WHERE d.device_identifier = $1 AND d.revoked_at IS NULL AND u.active"
);
pub(crate) const REVOKE_DEVICE: &str = "UPDATE devices \
    SET revoked_at = COALESCE(revoked_at, $3) WHERE organization_id = $1 AND id = $2";

macro_rules! position_select {
    ($tail:literal) => {
        concat!(
            "SELECT id, organization_id, device_id, agent_id, fix_time, received_at, latitude, \
             longitude, accuracy_m, speed_mps, bearing, altitude, battery_pct, charging, mock, \
             status, flag_reason, flag_details, older_than_latest, raw FROM positions ",
            $tail
        )
    };
}

pub(crate) const INSERT_POSITION: &str = "INSERT INTO positions (organization_id, device_id, \
    agent_id, fix_time, received_at, latitude, longitude, accuracy_m, speed_mps, bearing, \
    altitude, battery_pct, charging, mock, status, flag_reason, flag_details, older_than_latest, \
    raw) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, \
    $18, $19) RETURNING id";
pub(crate) const SELECT_LATEST_ACCEPTED_POSITION: &str = position_select!(
    "WHERE organization_id = $1 AND device_id = $2 AND status = 'accepted' \
     ORDER BY fix_time DESC, id DESC LIMIT 1"
);
pub(crate) const SELECT_AGENT_POSITIONS: &str = position_select!(
    "WHERE organization_id = $1 AND agent_id = $2 AND fix_time >= $3 AND fix_time < $4 \
     ORDER BY fix_time, id"
);

/// Makes a position the agent's live one unless the stored live fix is at least as new,
/// so a late report never moves the live position back.
pub(crate) const UPSERT_LIVE_POSITION: &str = "INSERT INTO agent_live_positions \
    (agent_id, organization_id, device_id, position_id, fix_time, received_at, latitude, \
    longitude, accuracy_m, speed_mps, bearing, altitude, battery_pct, charging) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) \
    ON CONFLICT (agent_id) DO UPDATE SET device_id = excluded.device_id, \
    position_id = excluded.position_id, fix_time = excluded.fix_time, \
    received_at = excluded.received_at, latitude = excluded.latitude, \
    longitude = excluded.longitude, accuracy_m = excluded.accuracy_m, \
    speed_mps = excluded.speed_mps, bearing = excluded.bearing, altitude = excluded.altitude, \
    battery_pct = excluded.battery_pct, charging = excluded.charging \
    WHERE agent_live_positions.fix_time < excluded.fix_time";
pub(crate) const SELECT_LIVE_POSITIONS: &str = "SELECT agent_id, organization_id, device_id, \
    position_id, fix_time, received_at, latitude, longitude, accuracy_m, speed_mps, bearing, \
    altitude, battery_pct, charging FROM agent_live_positions WHERE organization_id = $1 \
    ORDER BY fix_time DESC";
