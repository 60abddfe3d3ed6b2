//! The reasons a check-in is refused or a visit is doubted, each with what was measured.

use serde::{Deserialize, Serialize};

use super::Exception;
use crate::portfolio::RefusalReason;

/// One finding about a check-in. Serialized as `{"code": ..., measured values}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Reason {
    /// Coordinates out of range or not numbers, or a negative accuracy.
    InvalidFix,
    /// The address has no point yet, so distance cannot be checked.
    NoAddressPoint,
    /// The fix is less precise than the rules accept.
    PoorAccuracy {
        accuracy_m: f64,
        max_accuracy_m: f64,
    },
    /// The fix lies farther from the address point than the accuracy-aware radius.
    TooFar { distance_m: f64, radius_m: f64 },
    /// The check-in falls outside the contact hours in the address's time zone.
    OutsideContactWindow {
        /// Local time at the address, RFC 3339 with the zone's offset.
        local_time: String,
        time_zone: String,
        window: RefusalReason,
    },
    /// The address has no known time zone, so contact hours used `assumed` instead.
    UnknownTimeZone { assumed: String },
    /// The operating system marked the fix as coming from a mock-location provider.
    MockLocation,
    /// The fix was taken this long before the check-in, by the device clock.
    StaleFix { fix_age_ms: i64 },
    /// The device clock differs from the server clock by this much.
    ClockOffset { offset_ms: i64 },
    /// Reaching the fix from the previous position of the track needs this speed.
    ImpossibleSpeed {
        speed_kmh: f64,
        distance_m: f64,
        elapsed_s: f64,
    },
    /// The track jumps to the address and straight back, both faster than possible.
    Teleport {
        speed_in_kmh: f64,
        speed_out_kmh: f64,
    },
    /// The track around the check-in has positions, none of them near the address.
    TrackNotNear { track_points: u32, nearest_m: f64 },
    /// The track shows the device near the address, for `dwell_s` seconds between the
    /// first and last near position.
    TrackNear { near_points: u32, dwell_s: f64 },
    /// No position of the agent around the check-in, so the track cannot confirm it.
    NoTrack,
    /// Positions of the track around the check-in came from a mock-location provider.
    MockInTrack { points: u32 },
    /// The agent declared a wrong pin or an address not found; a supervisor reviews it.
    ExceptionDeclared { exception: Exception },
}

impl Reason {
    pub fn code(&self) -> &'static str {
        match self {
            Reason::InvalidFix => "invalid_fix",
            Reason::NoAddressPoint => "no_address_point",
            Reason::PoorAccuracy { .. } => "poor_accuracy",
            Reason::TooFar { .. } => "too_far",
            Reason::OutsideContactWindow { .. } => "outside_contact_window",
            Reason::UnknownTimeZone { .. } => "unknown_time_zone",
            Reason::MockLocation => "mock_location",
            Reason::StaleFix { .. } => "stale_fix",
            Reason::ClockOffset { .. } => "clock_offset",
            Reason::ImpossibleSpeed { .. } => "impossible_speed",
            Reason::Teleport { .. } => "teleport",
            Reason::TrackNotNear { .. } => "track_not_near",
            Reason::TrackNear { .. } => "track_near",
            Reason::NoTrack => "no_track",
            Reason::MockInTrack { .. } => "mock_in_track",
            Reason::ExceptionDeclared { .. } => "exception_declared",
        }
    }
}

/// How much a finding weighs in the server's verdict. Ordered from lightest to heaviest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Recorded as evidence; does not lower the outcome.
    Info,
    Doubtful,
    Rejected,
}

/// A finding of the server's verdict with its weight.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VerdictReason {
    #[serde(flatten)]
    pub reason: Reason,
    pub severity: Severity,
}
