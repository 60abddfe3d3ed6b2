//! In-memory copies of what every position message reads before its write: the device with
//! its secret hash, the device's newest accepted fix, the agent's shifts and the
//! organization's setting for tracking outside shifts. Each copy expires after [`TTL`],
//! and the API handlers that change a device, a user, a shift or the setting drop the
//! copies at once, so a revoked secret fails on its next message.
//
// NOTE: with several server instances, a change made through another instance reaches
// this one's copies only when they expire, at most `TTL` later.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use jiff::Timestamp;
use ronda_domain::tracking::{Coordinates, TrackPoint};
use ronda_domain::{OrganizationId, UserId};
use ronda_store::tracking::{Device, DeviceCredentials, Position, PositionFix, PositionStatus};
use ronda_store::visit::OPEN_SHIFT_MAX_MS;
use ronda_store::{Store, StoreResult};

use super::writer::StoredPosition;
use uuid::Uuid;

/// How long a copy is used before it is read again from the store.
pub const TTL: Duration = Duration::from_secs(10);

/// Shifts are kept for fixes from this long before the moment they were read. An older
/// fix, from a phone's offline backlog, is checked against the store.
const SHIFT_WINDOW_MS: i64 = 24 * 60 * 60 * 1000;

/// Above this many entries, an insert first drops the expired ones.
const PRUNE_ABOVE: usize = 10_000;

/// A map whose entries expire, with a generation that every invalidation bumps. A value
/// read from the store is kept only when no invalidation happened during the read, so a
/// read that raced a revocation cannot bring the revoked device back.
struct Expiring<K, V> {
    generation: u64,
    entries: HashMap<K, (V, Instant)>,
}

impl<K: Eq + Hash, V: Clone> Expiring<K, V> {
    fn new() -> Self {
        Self {
            generation: 0,
            entries: HashMap::new(),
        }
    }

    fn get(&self, key: &K, now: Instant) -> Option<V> {
        self.entries
            .get(key)
            .filter(|(_, loaded)| now.duration_since(*loaded) < TTL)
            .map(|(value, _)| value.clone())
    }

    fn insert(&mut self, generation: u64, key: K, value: V, loaded: Instant) {
        if generation != self.generation {
            return;
        }
        if self.entries.len() > PRUNE_ABOVE {
            let now = Instant::now();
            self.entries
                .retain(|_, (_, at)| now.duration_since(*at) < TTL);
        }
        self.entries.insert(key, (value, loaded));
    }

    fn clear(&mut self) {
        self.generation += 1;
        self.entries.clear();
    }

    fn remove(&mut self, key: &K) {
        self.generation += 1;
        self.entries.remove(key);
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The newest accepted fix of a device, as far as this cache has seen.
#[derive(Default)]
struct LatestFix {
    /// Fix and position id. Positions compare by fix time, then id, as the store orders them.
    newest: Option<(TrackPoint, i64)>,
    /// When the store was last read for this device. `None` means only the writer has
    /// recorded positions, so the store may contain a newer fix than `newest`.
    loaded: Option<Instant>,
    /// Counts positions recorded by the writer, to tell whether one arrived during a read.
    recorded: u64,
}

impl LatestFix {
    fn offer(&mut self, point: TrackPoint, id: i64) {
        let newer = self
            .newest
            .as_ref()
            .is_none_or(|(known, known_id)| (point.time, id) > (known.time, *known_id));
        if newer {
            self.newest = Some((point, id));
        }
    }
}

/// The agent's shifts that can cover a fix from `since` on, as clock-in and clock-out in
/// Unix milliseconds.
#[derive(Clone)]
struct ShiftWindow {
    since_ms: i64,
    shifts: Vec<(i64, Option<i64>)>,
}

impl ShiftWindow {
    /// Checks the store's rule: a clocked-out shift covers up to its clock-out, and an open
    /// one at most [`OPEN_SHIFT_MAX_MS`] after its clock-in.
    fn covers(&self, at_ms: i64) -> bool {
        self.shifts.iter().any(|&(clocked_in, clocked_out)| {
            clocked_in <= at_ms
                && match clocked_out {
                    Some(out) => out > at_ms,
                    None => clocked_in > at_ms - OPEN_SHIFT_MAX_MS,
                }
        })
    }
}

pub struct IngestCache {
    devices: Mutex<Expiring<String, DeviceCredentials>>,
    field_devices: Mutex<Expiring<(OrganizationId, UserId), Device>>,
    latest: Mutex<HashMap<Uuid, LatestFix>>,
    shifts: Mutex<Expiring<(OrganizationId, UserId), ShiftWindow>>,
    outside_shifts: Mutex<Expiring<OrganizationId, bool>>,
}

impl Default for IngestCache {
    fn default() -> Self {
        Self {
            devices: Mutex::new(Expiring::new()),
            field_devices: Mutex::new(Expiring::new()),
            latest: Mutex::default(),
            shifts: Mutex::new(Expiring::new()),
            outside_shifts: Mutex::new(Expiring::new()),
        }
    }
}

impl IngestCache {
    /// Returns the unrevoked device of an active agent with `identifier`, as
    /// [`active_device`](ronda_store::tracking::TrackingStore::active_device) returns it.
    /// Unknown identifiers are not kept, so a device created a moment ago is found.
    pub async fn active_device(
        &self,
        store: &dyn Store,
        identifier: &str,
    ) -> StoreResult<Option<DeviceCredentials>> {
        let now = Instant::now();
        let generation = {
            let devices = lock(&self.devices);
            if let Some(found) = devices.get(&identifier.to_owned(), now) {
                return Ok(Some(found));
            }
            devices.generation
        };
        let found = store.active_device(identifier).await?;
        if let Some(credentials) = &found {
            lock(&self.devices).insert(generation, identifier.to_owned(), credentials.clone(), now);
        }
        Ok(found)
    }

    /// Returns the agent's field-app device, which the store creates on first use.
    pub async fn field_device(
        &self,
        store: &dyn Store,
        org: OrganizationId,
        agent: UserId,
        now: Timestamp,
    ) -> StoreResult<Device> {
        let started = Instant::now();
        let generation = {
            let devices = lock(&self.field_devices);
            if let Some(found) = devices.get(&(org, agent), started) {
                return Ok(found);
            }
            devices.generation
        };
        let device = store.field_device(org, agent, now).await?;
        lock(&self.field_devices).insert(generation, (org, agent), device.clone(), started);
        Ok(device)
    }

    /// Drops every device copy: call after a device is revoked or a user is deactivated
    /// or reactivated.
    pub fn devices_changed(&self) {
        lock(&self.devices).clear();
        lock(&self.field_devices).clear();
    }

    /// Returns the device's newest accepted fix, as
    /// [`latest_accepted_position`](ronda_store::tracking::TrackingStore::latest_accepted_position)
    /// gives it, including every position the writer committed.
    pub async fn latest_fix(
        &self,
        store: &dyn Store,
        org: OrganizationId,
        device: Uuid,
    ) -> StoreResult<Option<TrackPoint>> {
        let started = Instant::now();
        let recorded = {
            let latest = lock(&self.latest);
            match latest.get(&device) {
                Some(entry)
                    if entry
                        .loaded
                        .is_some_and(|loaded| started.duration_since(loaded) < TTL) =>
                {
                    return Ok(entry.newest.as_ref().map(|(point, _)| *point));
                }
                Some(entry) => entry.recorded,
                None => 0,
            }
        };
        let stored = store
            .latest_accepted_position(org, device)
            .await?
            .and_then(|position| Some((track_point(&position)?, position.id)));
        let mut latest = lock(&self.latest);
        let entry = latest.entry(device).or_default();
        if entry.recorded == recorded {
            // Nothing was committed during the read, so the stored fix is the newest.
            entry.newest = stored;
        } else if let Some((point, id)) = stored {
            // The writer committed positions during the read, so keep the newer of both.
            entry.offer(point, id);
        }
        entry.loaded = Some(started);
        Ok(entry.newest.as_ref().map(|(point, _)| *point))
    }

    /// Records committed positions, before their senders hear of the commit.
    pub fn record_stored(&self, positions: &[StoredPosition]) {
        let mut latest = lock(&self.latest);
        if latest.len() > PRUNE_ABOVE {
            let now = Instant::now();
            // Drops only entries read long ago, so a read in flight keeps its entry.
            latest.retain(|_, entry| {
                entry
                    .loaded
                    .is_none_or(|at| now.duration_since(at) < TTL * 10)
            });
        }
        for StoredPosition { id, position } in positions {
            if position.status != PositionStatus::Accepted {
                continue;
            }
            let entry = latest.entry(position.device_id).or_default();
            entry.recorded += 1;
            if let Some(point) = fix_point(position.fix_time, &position.fix) {
                entry.offer(point, *id);
            }
        }
    }

    /// Returns whether the agent's positions at `at` may be tracked, with the same result as
    /// [`tracking_allowed`](ronda_store::visit::VisitStore::tracking_allowed).
    pub async fn tracking_allowed(
        &self,
        store: &dyn Store,
        org: OrganizationId,
        agent: UserId,
        at: Timestamp,
    ) -> StoreResult<bool> {
        if self.outside_shifts(store, org).await? {
            return Ok(true);
        }
        let window = self.shift_window(store, org, agent).await?;
        let at_ms = at.as_millisecond();
        if at_ms >= window.since_ms {
            return Ok(window.covers(at_ms));
        }
        store.tracking_allowed(org, agent, at).await
    }

    async fn outside_shifts(&self, store: &dyn Store, org: OrganizationId) -> StoreResult<bool> {
        let started = Instant::now();
        let generation = {
            let settings = lock(&self.outside_shifts);
            if let Some(allowed) = settings.get(&org, started) {
                return Ok(allowed);
            }
            settings.generation
        };
        let allowed = store.track_outside_shifts(org).await?;
        lock(&self.outside_shifts).insert(generation, org, allowed, started);
        Ok(allowed)
    }

    async fn shift_window(
        &self,
        store: &dyn Store,
        org: OrganizationId,
        agent: UserId,
    ) -> StoreResult<ShiftWindow> {
        let started = Instant::now();
        let generation = {
            let shifts = lock(&self.shifts);
            if let Some(window) = shifts.get(&(org, agent), started) {
                return Ok(window);
            }
            shifts.generation
        };
        let since_ms = Timestamp::now().as_millisecond() - SHIFT_WINDOW_MS;
        let since = Timestamp::from_millisecond(since_ms).unwrap_or(Timestamp::UNIX_EPOCH);
        let window = ShiftWindow {
            since_ms: since.as_millisecond(),
            shifts: store
                .agent_shifts_since(org, agent, since)
                .await?
                .iter()
                .map(|shift| {
                    (
                        shift.clocked_in_at.as_millisecond(),
                        shift.clocked_out_at.map(Timestamp::as_millisecond),
                    )
                })
                .collect(),
        };
        lock(&self.shifts).insert(generation, (org, agent), window.clone(), started);
        Ok(window)
    }

    /// Drops the agent's shifts: call after a clock-in or clock-out is stored.
    pub fn shifts_changed(&self, org: OrganizationId, agent: UserId) {
        lock(&self.shifts).remove(&(org, agent));
    }

    /// Drops the organization's setting: call after it changed.
    pub fn settings_changed(&self, org: OrganizationId) {
        lock(&self.outside_shifts).remove(&org);
    }
}

/// Returns the fix of a stored position, or `None` when it has no coordinates.
pub fn track_point(position: &Position) -> Option<TrackPoint> {
    fix_point(position.fix_time, &position.fix)
}

fn fix_point(time: Timestamp, fix: &PositionFix) -> Option<TrackPoint> {
    Some(TrackPoint {
        time,
        coordinates: Coordinates {
            latitude: fix.latitude?,
            longitude: fix.longitude?,
        },
        accuracy_m: fix.accuracy_m,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiring_drops_read_raced_by_invalidation() {
        let mut map: Expiring<&str, u32> = Expiring::new();
        let generation = map.generation;
        map.clear();
        map.insert(generation, "device", 1, Instant::now());
        assert_eq!(map.get(&"device", Instant::now()), None);
        map.insert(map.generation, "device", 2, Instant::now());
        assert_eq!(map.get(&"device", Instant::now()), Some(2));
    }

    #[test]
    fn entries_expire() {
        let mut map: Expiring<&str, u32> = Expiring::new();
        let loaded = Instant::now();
        map.insert(map.generation, "device", 1, loaded);
        assert_eq!(map.get(&"device", loaded + TTL), None);
        assert_eq!(map.get(&"device", loaded + TTL / 2), Some(1));
    }

    #[test]
    fn shift_window_follows_the_store_rule() {
        let hour = 60 * 60 * 1000;
        let window = ShiftWindow {
            since_ms: 0,
            shifts: vec![(10 * hour, Some(12 * hour)), (20 * hour, None)],
        };
        assert!(!window.covers(10 * hour - 1));
        assert!(window.covers(10 * hour));
        assert!(!window.covers(12 * hour), "clock-out ends the shift");
        assert!(window.covers(20 * hour + 15 * hour));
        assert!(
            !window.covers(20 * hour + OPEN_SHIFT_MAX_MS),
            "an open shift counts 16 hours at most"
        );
    }

    #[test]
    fn newest_fix_compares_time_then_id() {
        let point = |seconds| TrackPoint {
            time: Timestamp::from_second(seconds).expect("time"),
            coordinates: Coordinates {
                latitude: 19.4,
                longitude: -99.1,
            },
            accuracy_m: None,
        };
        let mut entry = LatestFix::default();
        entry.offer(point(100), 5);
        entry.offer(point(90), 9);
        assert_eq!(
            entry.newest.map(|(p, id)| (p.time.as_second(), id)),
            Some((100, 5))
        );
        entry.offer(point(100), 7);
        assert_eq!(entry.newest.map(|(_, id)| id), Some(7));
    }
}
