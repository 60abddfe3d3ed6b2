//! The position message every tracking client's format parses into.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::Serialize;

/// A point on the WGS 84 ellipsoid in decimal degrees, as GPS receivers report it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Coordinates {
    pub latitude: f64,
    pub longitude: f64,
}

/// Origin of a report's fix time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeSource {
    /// The device sent the time of the fix.
    Device,
    /// The message had no time, so the server's receive time is used instead.
    Received,
}

/// One position message from one device, in SI units, before any filtering.
///
/// Parsers keep values as the device sent them after unit conversion: out-of-range or NaN
/// coordinates are the filter's business, so a bad fix is classified instead of lost.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PositionReport {
    /// Device identifier: the OsmAnd `id`, or the authenticated device for OwnTracks.
    pub device_id: String,
    pub fix_time: Timestamp,
    pub time_source: TimeSource,
    /// Missing when the device sent only network data (cell towers, Wi-Fi) or battery.
    pub coordinates: Option<Coordinates>,
    /// Horizontal accuracy radius in metres.
    pub accuracy_m: Option<f64>,
    /// Horizontal dilution of precision, a unitless factor and not a distance.
    pub hdop: Option<f64>,
    /// Ground speed in metres per second.
    pub speed_mps: Option<f64>,
    /// Course over ground in degrees clockwise from true north.
    pub bearing_deg: Option<f64>,
    /// Altitude in metres.
    pub altitude_m: Option<f64>,
    /// Battery charge from 0 to 100.
    pub battery_percent: Option<f64>,
    /// Whether the phone is connected to power.
    pub charging: Option<bool>,
    /// Whether the operating system marked the fix as coming from a mock-location provider.
    pub mock: Option<bool>,
    /// Whether the client's motion detection considers the device moving.
    pub moving: Option<bool>,
    /// Distance the client has counted since it started, in metres.
    pub odometer_m: Option<f64>,
    /// Fields the message carried that have no place above, under their names in the
    /// message. Query and form values are strings, and a repeated key becomes an array.
    pub extra: BTreeMap<String, serde_json::Value>,
}

impl PositionReport {
    /// Creates a report with the given identity and time and every measurement unknown.
    pub fn new(device_id: String, fix_time: Timestamp, time_source: TimeSource) -> Self {
        Self {
            device_id,
            fix_time,
            time_source,
            coordinates: None,
            accuracy_m: None,
            hdop: None,
            speed_mps: None,
            bearing_deg: None,
            altitude_m: None,
            battery_percent: None,
            charging: None,
            mock: None,
            moving: None,
            odometer_m: None,
            extra: BTreeMap::new(),
        }
    }

    /// Returns the point the filter and the trip summary work on, or `None` without coordinates.
    pub fn track_point(&self) -> Option<TrackPoint> {
        let coordinates = self.coordinates?;
        Some(TrackPoint {
            time: self.fix_time,
            coordinates,
            accuracy_m: self.accuracy_m,
        })
    }
}

/// A stored position reduced to what distance and speed calculations need.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct TrackPoint {
    pub time: Timestamp,
    pub coordinates: Coordinates,
    /// Horizontal accuracy radius in metres, when the device reported one.
    pub accuracy_m: Option<f64>,
}
