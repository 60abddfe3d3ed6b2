//! Tracking rows shared by both backends.

use ronda_domain::{OrganizationId, UserId};
use sqlx::FromRow;
use sqlx::types::Json;
use uuid::Uuid;

use super::{
    DayVisit, Device, DeviceCredentials, DeviceKind, LivePosition, Position, PositionFix,
    PositionStatus,
};
use crate::rows::timestamp;
use crate::{StoreError, StoreResult};

#[derive(FromRow)]
pub(crate) struct DeviceRow {
    id: Uuid,
    organization_id: Uuid,
    agent_id: Uuid,
    name: String,
    kind: String,
    device_identifier: String,
    secret_hash: Vec<u8>,
    created_at: i64,
    revoked_at: Option<i64>,
}

impl TryFrom<DeviceRow> for DeviceCredentials {
    type Error = StoreError;

    fn try_from(row: DeviceRow) -> StoreResult<Self> {
        let secret_hash: [u8; 32] =
            row.secret_hash
                .as_slice()
                .try_into()
                .map_err(|_| StoreError::CorruptRow {
                    table: "devices",
                    column: "secret_hash",
                    value: format!("{} bytes", row.secret_hash.len()),
                })?;
        let kind = DeviceKind::from_name(&row.kind).ok_or_else(|| StoreError::CorruptRow {
            table: "devices",
            column: "kind",
            value: row.kind.clone(),
        })?;
        let device = Device {
            id: row.id,
            organization_id: OrganizationId(row.organization_id),
            agent_id: UserId(row.agent_id),
            name: row.name,
            kind,
            device_identifier: row.device_identifier,
            created_at: timestamp("devices", "created_at", row.created_at)?,
            revoked_at: row
                .revoked_at
                .map(|ms| timestamp("devices", "revoked_at", ms))
                .transpose()?,
        };
        Ok(DeviceCredentials {
            device,
            secret_hash,
        })
    }
}

impl TryFrom<DeviceRow> for Device {
    type Error = StoreError;

    fn try_from(row: DeviceRow) -> StoreResult<Self> {
        DeviceCredentials::try_from(row).map(|credentials| credentials.device)
    }
}

#[derive(FromRow)]
pub(crate) struct PositionRow {
    id: i64,
    organization_id: Uuid,
    device_id: Uuid,
    agent_id: Uuid,
    fix_time: i64,
    received_at: i64,
    latitude: Option<f64>,
    longitude: Option<f64>,
    accuracy_m: Option<f64>,
    speed_mps: Option<f64>,
    bearing: Option<f64>,
    altitude: Option<f64>,
    battery_pct: Option<f64>,
    charging: Option<bool>,
    mock: Option<bool>,
    status: String,
    flag_reason: Option<String>,
    flag_details: Option<Json<serde_json::Value>>,
    older_than_latest: bool,
    raw: Json<serde_json::Value>,
}

impl TryFrom<PositionRow> for Position {
    type Error = StoreError;

    fn try_from(row: PositionRow) -> StoreResult<Self> {
        let status = match row.status.as_str() {
            "accepted" => PositionStatus::Accepted,
            "flagged" => PositionStatus::Flagged,
            _ => {
                return Err(StoreError::CorruptRow {
                    table: "positions",
                    column: "status",
                    value: row.status,
                });
            }
        };
        Ok(Position {
            id: row.id,
            organization_id: OrganizationId(row.organization_id),
            device_id: row.device_id,
            agent_id: UserId(row.agent_id),
            fix_time: timestamp("positions", "fix_time", row.fix_time)?,
            received_at: timestamp("positions", "received_at", row.received_at)?,
            fix: PositionFix {
                latitude: row.latitude,
                longitude: row.longitude,
                accuracy_m: row.accuracy_m,
                speed_mps: row.speed_mps,
                bearing: row.bearing,
                altitude: row.altitude,
                battery_pct: row.battery_pct,
                charging: row.charging,
                mock: row.mock,
            },
            status,
            flag_reason: row.flag_reason,
            flag_details: row.flag_details.map(|details| details.0),
            older_than_latest: row.older_than_latest,
            raw: row.raw.0,
        })
    }
}

#[derive(FromRow)]
pub(crate) struct LivePositionRow {
    agent_id: Uuid,
    organization_id: Uuid,
    device_id: Uuid,
    position_id: i64,
    fix_time: i64,
    received_at: i64,
    latitude: f64,
    longitude: f64,
    accuracy_m: Option<f64>,
    speed_mps: Option<f64>,
    bearing: Option<f64>,
    altitude: Option<f64>,
    battery_pct: Option<f64>,
    charging: Option<bool>,
}

impl TryFrom<LivePositionRow> for LivePosition {
    type Error = StoreError;

    fn try_from(row: LivePositionRow) -> StoreResult<Self> {
        Ok(LivePosition {
            organization_id: OrganizationId(row.organization_id),
            agent_id: UserId(row.agent_id),
            device_id: row.device_id,
            position_id: row.position_id,
            fix_time: timestamp("agent_live_positions", "fix_time", row.fix_time)?,
            received_at: timestamp("agent_live_positions", "received_at", row.received_at)?,
            latitude: row.latitude,
            longitude: row.longitude,
            accuracy_m: row.accuracy_m,
            speed_mps: row.speed_mps,
            bearing: row.bearing,
            altitude: row.altitude,
            battery_pct: row.battery_pct,
            charging: row.charging,
        })
    }
}

#[derive(FromRow)]
pub(crate) struct DayVisitRow {
    id: Uuid,
    started_at: i64,
    finished_at: i64,
    account_id: Uuid,
    lender_account_id: String,
    lender_name: String,
    debtor_name: Option<String>,
    result_code: Option<String>,
    verdict: String,
    status: String,
    checkin_latitude: f64,
    checkin_longitude: f64,
    checkin_accuracy_m: f64,
}

impl TryFrom<DayVisitRow> for DayVisit {
    type Error = StoreError;

    fn try_from(row: DayVisitRow) -> StoreResult<Self> {
        Ok(DayVisit {
            id: row.id,
            started_at: timestamp("visits", "started_at", row.started_at)?,
            finished_at: timestamp("visits", "finished_at", row.finished_at)?,
            account_id: row.account_id,
            lender_account_id: row.lender_account_id,
            lender_name: row.lender_name,
            debtor_name: row.debtor_name,
            result_code: row.result_code,
            verdict: row.verdict,
            status: row.status,
            checkin_latitude: row.checkin_latitude,
            checkin_longitude: row.checkin_longitude,
            checkin_accuracy_m: row.checkin_accuracy_m,
        })
    }
}
