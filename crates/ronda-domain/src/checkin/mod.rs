//! Check-in rules: whether an agent is at the address to visit. The field app runs
//! [`decide_on_device`] offline before it opens the form. The server runs [`verdict`] on
//! every received visit, adding what only the server has: the agent's track, the speed needed
//! from the previous position, and the device clock against the server clock.
//!
//! The same rules exist in TypeScript in `web/src/shared/rules/checkin.ts`, and both pass
//! every vector in `spec/checkin/`, whose README lists the thresholds and their reasons.

mod device;
mod reason;
mod verdict;

#[cfg(test)]
mod vectors;

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::portfolio::{ContactRule, Point};
use crate::tracking::{Coordinates, haversine_m};

pub use device::{DeviceDecision, FALLBACK_TIME_ZONE, OnDeviceOutcome, decide_on_device};
pub use reason::{Reason, Severity, VerdictReason};
pub use verdict::{Outcome, Verdict, verdict};

/// Thresholds of both checks. [`CheckinRules::default`] is the shipped preset.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckinRules {
    /// Distance from the address point accepted with a perfect fix and a perfect point.
    pub base_radius_m: f64,
    /// Fixes less precise than this are refused on the device; the app keeps watching
    /// for a better one.
    pub max_accuracy_m: f64,
    /// Extra radius for an address point of confidence 0, scaled down linearly to nothing
    /// at confidence 1.
    pub confidence_allowance_m: f64,
    /// Device clock offsets above this make a visit doubtful.
    pub doubtful_clock_offset_ms: i64,
    /// Device clock offsets above this reject a visit.
    pub rejected_clock_offset_ms: i64,
    /// A fix older than this at check-in time makes a visit doubtful.
    pub max_fix_age_ms: i64,
    /// Half-width of the window around the check-in in which the track must show the
    /// device near the address.
    pub track_window_ms: i64,
    /// Speed above which reaching the fix from the previous position is impossible.
    pub max_speed_kmh: f64,
    /// Contact hours, checked in the address's time zone.
    pub contact: ContactRule,
}

impl Default for CheckinRules {
    fn default() -> Self {
        Self {
            base_radius_m: 50.0,
            max_accuracy_m: 150.0,
            confidence_allowance_m: 450.0,
            doubtful_clock_offset_ms: 5 * 60 * 1000,
            rejected_clock_offset_ms: 60 * 60 * 1000,
            max_fix_age_ms: 2 * 60 * 1000,
            track_window_ms: 10 * 60 * 1000,
            max_speed_kmh: 200.0,
            contact: ContactRule::mexico(),
        }
    }
}

impl CheckinRules {
    /// Returns the accepted distance for a fix of `accuracy_m` to a point of `confidence`.
    /// The accuracy counts up to [`CheckinRules::max_accuracy_m`] only, so a vague fix
    /// cannot stretch the radius without limit.
    pub fn radius_m(&self, accuracy_m: f64, confidence: f64) -> f64 {
        let accuracy = accuracy_m.clamp(0.0, self.max_accuracy_m);
        let confidence = confidence.clamp(0.0, 1.0);
        self.base_radius_m + accuracy + (1.0 - confidence) * self.confidence_allowance_m
    }
}

/// The address checked against: its best point and the zone its contact hours use.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Target {
    /// The agent-verified point when there is one, else the geocoded point; `None` for an
    /// address that still needs a pin.
    pub point: Option<Point>,
    /// Confidence of the point from 0 to 1. A verified point counts as 1.
    pub confidence: f64,
    /// IANA zone of the address, `None` while its state is unknown.
    pub time_zone: Option<String>,
}

/// The fix the device took for the check-in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Fix {
    pub latitude: f64,
    pub longitude: f64,
    pub accuracy_m: f64,
    /// Fix time as the device reported it, on the device's clock.
    #[serde(with = "crate::checkin::millis")]
    pub fix_time: Timestamp,
    /// Whether the operating system marked the fix as coming from a mock-location provider.
    #[serde(default)]
    pub mock: bool,
}

impl Fix {
    pub fn coordinates(&self) -> Coordinates {
        Coordinates {
            latitude: self.latitude,
            longitude: self.longitude,
        }
    }

    fn is_valid(&self) -> bool {
        self.latitude.is_finite()
            && self.longitude.is_finite()
            && self.latitude.abs() <= 90.0
            && self.longitude.abs() <= 180.0
            && self.accuracy_m.is_finite()
            && self.accuracy_m >= 0.0
    }
}

/// What the agent declared when the normal check-in could not pass.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Exception {
    /// The agent is at the house and the pin is wrong; a corrected point is proposed.
    PinCorrection,
    /// The agent could not find the address.
    AddressNotFound,
}

/// One check-in as the device recorded it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckIn {
    pub fix: Fix,
    /// The device clock at check-in.
    #[serde(with = "crate::checkin::millis")]
    pub device_time: Timestamp,
    /// Server clock minus device clock, as the app last measured it, in milliseconds.
    pub server_offset_ms: i64,
    #[serde(default)]
    pub exception: Option<Exception>,
}

impl CheckIn {
    /// Returns the check-in instant on the server's clock: the device time corrected by the
    /// measured offset, so a phone set to the wrong hour still gets the right contact hours.
    pub fn corrected_time(&self) -> Timestamp {
        self.device_time
            .checked_add(SignedDuration::from_millis(self.server_offset_ms))
            .unwrap_or(self.device_time)
    }
}

/// A position of the agent's track, from any of the agent's devices.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrackFix {
    #[serde(with = "crate::checkin::millis")]
    pub time: Timestamp,
    pub latitude: f64,
    pub longitude: f64,
    #[serde(default)]
    pub accuracy_m: Option<f64>,
    #[serde(default)]
    pub mock: bool,
}

impl TrackFix {
    fn coordinates(&self) -> Coordinates {
        Coordinates {
            latitude: self.latitude,
            longitude: self.longitude,
        }
    }
}

impl Target {
    fn coordinates(&self) -> Option<Coordinates> {
        self.point.map(|point| Coordinates {
            latitude: point.latitude,
            longitude: point.longitude,
        })
    }
}

/// Returns the distance between two points in metres, rounded to a tenth.
fn distance_to(point: Coordinates, from: Coordinates) -> f64 {
    round_tenth(haversine_m(point, from))
}

fn round_tenth(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

/// Serde for timestamps as integer Unix milliseconds, the API's time format.
pub(crate) mod millis {
    use jiff::Timestamp;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(time: &Timestamp, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(time.as_millisecond())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Timestamp, D::Error> {
        let ms = i64::deserialize(deserializer)?;
        Timestamp::from_millisecond(ms).map_err(serde::de::Error::custom)
    }
}
