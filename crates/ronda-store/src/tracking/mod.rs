//! Tracking devices, the positions they report, and each agent's live position.

pub mod history;
pub(crate) mod rows;
pub(crate) mod shared_impl;
pub(crate) mod sql;

use async_trait::async_trait;
use jiff::Timestamp;
use ronda_domain::{OrganizationId, UserId};
use serde::Serialize;
use uuid::Uuid;

use crate::{AuditEvent, StoreResult};

/// Tracking client protocol of a device.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeviceKind {
    /// Traccar Client, which speaks the OsmAnd protocol.
    Osmand,
    /// OwnTracks in HTTP mode.
    Owntracks,
    /// Ronda's field app, which reports through the session-authenticated batch endpoint.
    /// The store creates one per agent; admins never register it.
    Pwa,
}

impl DeviceKind {
    /// The kinds an admin registers.
    pub const ALL: [DeviceKind; 2] = [DeviceKind::Osmand, DeviceKind::Owntracks];

    pub fn as_str(self) -> &'static str {
        match self {
            DeviceKind::Osmand => "osmand",
            DeviceKind::Owntracks => "owntracks",
            DeviceKind::Pwa => "pwa",
        }
    }

    /// Finds the kind by its stored name.
    pub fn from_name(name: &str) -> Option<Self> {
        [DeviceKind::Osmand, DeviceKind::Owntracks, DeviceKind::Pwa]
            .into_iter()
            .find(|kind| kind.as_str() == name)
    }
}

/// A tracking client on one agent's phone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Device {
    pub id: Uuid,
    pub organization_id: OrganizationId,
    pub agent_id: UserId,
    pub name: String,
    pub kind: DeviceKind,
    /// Identifier the client sends: the OsmAnd `id`, or `user/device` for OwnTracks.
    pub device_identifier: String,
    pub created_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
}

/// A device to store. `secret_hash` is the SHA-256 of the secret shown once to the admin.
#[derive(Clone, Debug)]
pub struct NewDevice {
    pub device: Device,
    pub secret_hash: [u8; 32],
}

/// An unrevoked device with the hash of its secret, for authenticating its messages.
#[derive(Clone, Debug)]
pub struct DeviceCredentials {
    pub device: Device,
    pub secret_hash: [u8; 32],
}

/// Outcome of the position filter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PositionStatus {
    Accepted,
    Flagged,
}

impl PositionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PositionStatus::Accepted => "accepted",
            PositionStatus::Flagged => "flagged",
        }
    }
}

/// The measurements of one position, in SI units. Every field but the times may be
/// missing, and coordinates are missing when the report carried no location.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct PositionFix {
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// Horizontal accuracy radius in metres.
    pub accuracy_m: Option<f64>,
    pub speed_mps: Option<f64>,
    /// Degrees clockwise from true north.
    pub bearing: Option<f64>,
    /// Metres.
    pub altitude: Option<f64>,
    /// From 0 to 100.
    pub battery_pct: Option<f64>,
    pub charging: Option<bool>,
    /// Whether the operating system marked the fix as coming from a mock-location provider.
    pub mock: Option<bool>,
}

impl PositionFix {
    /// Returns the fix with NaN and infinite numbers made missing, so that both stores
    /// keep the same values. The raw message still carries what the device sent.
    pub fn finite(&self) -> PositionFix {
        let finite = |value: Option<f64>| value.filter(|number| number.is_finite());
        PositionFix {
            latitude: finite(self.latitude),
            longitude: finite(self.longitude),
            accuracy_m: finite(self.accuracy_m),
            speed_mps: finite(self.speed_mps),
            bearing: finite(self.bearing),
            altitude: finite(self.altitude),
            battery_pct: finite(self.battery_pct),
            charging: self.charging,
            mock: self.mock,
        }
    }
}

/// A classified position report to store.
#[derive(Clone, Debug)]
pub struct NewPosition {
    pub organization_id: OrganizationId,
    pub device_id: Uuid,
    pub agent_id: UserId,
    pub fix_time: Timestamp,
    pub received_at: Timestamp,
    pub fix: PositionFix,
    pub status: PositionStatus,
    /// The filter's reason kind, such as `zero_coordinates`, for a flagged position.
    pub flag_reason: Option<String>,
    /// The whole reason with its measured values, such as the implied speed.
    pub flag_details: Option<serde_json::Value>,
    /// An accepted fix older than the device's newest accepted one.
    pub older_than_latest: bool,
    /// The message as the device sent it.
    pub raw: RawMessage,
}

impl NewPosition {
    /// Returns whether this position can become its agent's live position: accepted, with
    /// coordinates, and not older than its device's newest accepted one.
    pub fn moves_live(&self) -> bool {
        self.status == PositionStatus::Accepted
            && !self.older_than_latest
            && self.fix.latitude.is_some()
            && self.fix.longitude.is_some()
    }
}

/// Returns the indexes of each agent's newest position among those that can move the
/// live position, in ascending order. Only these can end up live, so storing or publishing
/// them alone gives the same live map as all of them. Among equal fix times the first
/// wins, as the live upsert's strict comparison does.
pub fn newest_live<P: std::borrow::Borrow<NewPosition>>(positions: &[P]) -> Vec<usize> {
    let mut newest: std::collections::HashMap<UserId, usize> = std::collections::HashMap::new();
    for (index, position) in positions.iter().map(P::borrow).enumerate() {
        if !position.moves_live() {
            continue;
        }
        let known = newest.entry(position.agent_id).or_insert(index);
        if positions[*known].borrow().fix_time < position.fix_time {
            *known = index;
        }
    }
    let mut newest: Vec<usize> = newest.into_values().collect();
    newest.sort_unstable();
    newest
}

/// A tracking message as its device sent it, serialized once as JSON text when it arrives,
/// so the writer only copies it. NUL characters are removed from its strings and keys,
/// because PostgreSQL's `jsonb` rejects them and the message must still be stored.
#[derive(Clone, Debug)]
pub struct RawMessage(Box<serde_json::value::RawValue>);

impl RawMessage {
    /// Serializes `message`.
    pub fn new<T: Serialize + ?Sized>(message: &T) -> serde_json::Result<Self> {
        let text = serde_json::to_string(message)?;
        // serde_json writes NUL as this escape. Text that only looks like it takes the
        // slower path below, which leaves it unchanged.
        let text = if text.contains("\\u0000") {
            let value: serde_json::Value = serde_json::from_str(&text)?;
            serde_json::to_string(&without_nul(&value))?
        } else {
            text
        };
        serde_json::value::RawValue::from_string(text).map(Self)
    }

    /// Returns the message as JSON text.
    pub fn get(&self) -> &str {
        self.0.get()
    }

    pub(crate) fn as_raw_value(&self) -> &serde_json::value::RawValue {
        &self.0
    }
}

/// A stored position.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Position {
    pub id: i64,
    pub organization_id: OrganizationId,
    pub device_id: Uuid,
    pub agent_id: UserId,
    pub fix_time: Timestamp,
    pub received_at: Timestamp,
    pub fix: PositionFix,
    pub status: PositionStatus,
    pub flag_reason: Option<String>,
    pub flag_details: Option<serde_json::Value>,
    pub older_than_latest: bool,
    pub raw: serde_json::Value,
}

/// The newest accepted position of an agent, over all of the agent's devices.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LivePosition {
    pub organization_id: OrganizationId,
    pub agent_id: UserId,
    pub device_id: Uuid,
    pub position_id: i64,
    pub fix_time: Timestamp,
    pub received_at: Timestamp,
    pub latitude: f64,
    pub longitude: f64,
    pub accuracy_m: Option<f64>,
    pub speed_mps: Option<f64>,
    pub bearing: Option<f64>,
    pub altitude: Option<f64>,
    pub battery_pct: Option<f64>,
    pub charging: Option<bool>,
}

/// A visit as the agent's day replay shows it: when, which account, the result code, the
/// server's verdict and the check-in point.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DayVisit {
    pub id: Uuid,
    pub started_at: Timestamp,
    pub finished_at: Timestamp,
    pub account_id: Uuid,
    pub lender_account_id: String,
    pub lender_name: String,
    pub debtor_name: Option<String>,
    pub result_code: Option<String>,
    /// `verified`, `doubtful` or `rejected`.
    pub verdict: String,
    /// `complete` or `waiting_for_attachments`.
    pub status: String,
    pub checkin_latitude: f64,
    pub checkin_longitude: f64,
    pub checkin_accuracy_m: f64,
}

#[async_trait]
pub trait TrackingStore: Send + Sync {
    /// Creates a device. An identifier already used anywhere in the installation fails
    /// with [`Constraint::DeviceIdentifier`](crate::Constraint::DeviceIdentifier).
    async fn create_device(&self, device: &NewDevice, audit: &AuditEvent) -> StoreResult<Device>;

    /// Lists the organization's devices, newest first, revoked ones included.
    async fn devices(&self, org: OrganizationId) -> StoreResult<Vec<Device>>;

    /// Revokes a device. Returns `None` when the device is not in `org`. Revoking twice
    /// keeps the first revocation time.
    async fn revoke_device(
        &self,
        org: OrganizationId,
        id: Uuid,
        audit: &AuditEvent,
    ) -> StoreResult<Option<Device>>;

    /// Finds an unrevoked device of an active agent by the identifier its client sends.
    async fn active_device(&self, identifier: &str) -> StoreResult<Option<DeviceCredentials>>;

    /// Stores positions in one transaction, all or none. Each accepted one that is not
    /// older than its device's newest and is newer than the agent's live position becomes
    /// the live position, in the same transaction. Returns the new rows' ids, in the order
    /// of `positions`.
    async fn store_positions(&self, positions: &[NewPosition]) -> StoreResult<Vec<i64>>;

    /// Returns the device's accepted position with the newest fix time.
    async fn latest_accepted_position(
        &self,
        org: OrganizationId,
        device: Uuid,
    ) -> StoreResult<Option<Position>>;

    /// Lists the live position of every agent of the organization that has one.
    async fn live_positions(&self, org: OrganizationId) -> StoreResult<Vec<LivePosition>>;

    /// Lists an agent's positions, accepted and flagged, with fix times from `from`
    /// (inclusive) to `to` (exclusive), oldest first.
    async fn agent_positions(
        &self,
        org: OrganizationId,
        agent: UserId,
        from: Timestamp,
        to: Timestamp,
    ) -> StoreResult<Vec<Position>>;

    /// Lists the agent's shifts that are open or clocked out after `since`, oldest first:
    /// every shift that can cover a moment from `since` on.
    async fn agent_shifts_since(
        &self,
        org: OrganizationId,
        agent: UserId,
        since: Timestamp,
    ) -> StoreResult<Vec<crate::visit::Shift>>;

    /// Lists the agent's visits finished from `from` (inclusive) to `to` (exclusive),
    /// oldest first.
    async fn agent_day_visits(
        &self,
        org: OrganizationId,
        agent: UserId,
        from: Timestamp,
        to: Timestamp,
    ) -> StoreResult<Vec<DayVisit>>;
}

/// Returns a copy of a JSON value without NUL characters in its strings and keys, because
/// PostgreSQL's `jsonb` rejects them and a device's message must still be stored.
pub(crate) fn without_nul(value: &serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::String(text) => Value::String(text.replace('\0', "")),
        Value::Array(items) => Value::Array(items.iter().map(without_nul).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(key, item)| (key.replace('\0', ""), without_nul(item)))
                .collect(),
        ),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn nul_characters_are_removed_everywhere() {
        let raw = serde_json::json!({"tid\u{0}": "a\u{0}b", "list": ["\u{0}", 1], "n": null});
        let clean = super::without_nul(&raw);
        assert_eq!(
            clean,
            serde_json::json!({"tid": "ab", "list": ["", 1], "n": null})
        );
    }

    #[test]
    fn raw_message_drops_nul_characters() {
        let raw = serde_json::json!({"tid\u{0}": "a\u{0}b", "note": "\\u0000 is text"});
        let message = super::RawMessage::new(&raw).expect("serializes");
        let read: serde_json::Value = serde_json::from_str(message.get()).expect("JSON");
        assert_eq!(
            read,
            serde_json::json!({"tid": "ab", "note": "\\u0000 is text"})
        );
    }

    fn position(agent: u128, second: i64, status: super::PositionStatus) -> super::NewPosition {
        super::NewPosition {
            organization_id: ronda_domain::OrganizationId(uuid::Uuid::from_u128(1)),
            device_id: uuid::Uuid::from_u128(agent),
            agent_id: ronda_domain::UserId(uuid::Uuid::from_u128(agent)),
            fix_time: jiff::Timestamp::from_second(second).expect("time"),
            received_at: jiff::Timestamp::from_second(second).expect("time"),
            fix: super::PositionFix {
                latitude: Some(19.43),
                longitude: Some(-99.13),
                accuracy_m: None,
                speed_mps: None,
                bearing: None,
                altitude: None,
                battery_pct: None,
                charging: None,
                mock: None,
            },
            status,
            flag_reason: None,
            flag_details: None,
            older_than_latest: false,
            raw: super::RawMessage::new(&serde_json::json!({})).expect("raw"),
        }
    }

    #[test]
    fn newest_live_picks_one_per_agent() {
        use super::PositionStatus::{Accepted, Flagged};
        let mut late = position(1, 900, Accepted);
        late.older_than_latest = true;
        let mut no_coordinates = position(2, 900, Accepted);
        no_coordinates.fix.latitude = None;
        let positions = vec![
            position(1, 100, Accepted),
            position(2, 300, Accepted),
            position(1, 200, Accepted),
            // Equal fix time: the first one stays.
            position(1, 200, Accepted),
            position(1, 800, Flagged),
            late,
            no_coordinates,
        ];
        assert_eq!(super::newest_live(&positions), vec![1, 2]);
        assert!(super::newest_live::<super::NewPosition>(&[]).is_empty());
    }
}
