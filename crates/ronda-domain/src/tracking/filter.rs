//! Classification of each incoming position against the device's newest accepted one.
//! Every report gets a classification, so the server can store flagged positions as
//! evidence while only accepted ones feed the live map and the trip summary.

use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

use super::geo::haversine_m;
use super::report::{PositionReport, TrackPoint};

/// Two fixes at the same time closer than this many metres are one fix sent twice.
/// It allows for coordinates rounded on the way through storage.
pub const DUPLICATE_DISTANCE_M: f64 = 1.0;

/// Thresholds of the position filter.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FilterConfig {
    /// Maximum time a fix may lie ahead of the server's receive time.
    pub max_future: SignedDuration,
    /// Maximum horizontal accuracy radius, in metres, of an accepted fix.
    pub max_accuracy_m: f64,
    /// Maximum speed, in km/h, implied by the distance from the newest accepted fix.
    pub max_speed_kmh: f64,
}

impl Default for FilterConfig {
    /// Ten minutes of clock drift, 100 m of accuracy and 200 km/h, which is faster than
    /// an agent travels by road in town or on the highway.
    fn default() -> Self {
        Self {
            max_future: SignedDuration::from_mins(10),
            max_accuracy_m: 100.0,
            max_speed_kmh: 200.0,
        }
    }
}

/// Result of filtering one position report.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Classification {
    /// The position is plausible. When `older_than_latest` is true it arrived after a
    /// newer fix, so it belongs in the history but must not move the live position.
    Accepted {
        older_than_latest: bool,
    },
    Flagged {
        reason: FlagReason,
    },
}

/// Reason a position was flagged.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FlagReason {
    /// The message had no coordinates, only network or battery data.
    MissingLocation,
    /// Latitude outside -90..=90, longitude outside -180..=180, or a NaN or infinite value.
    InvalidCoordinates,
    /// Exactly 0,0, which receivers send when they have no fix.
    ZeroCoordinates,
    /// The phone reported the fix as coming from a mock-location app.
    MockLocation,
    /// The fix time lies further ahead of the server's receive time than allowed.
    FutureTime { ahead_seconds: i64 },
    /// Same time and place as the newest accepted fix.
    Duplicate,
    /// The accuracy radius exceeds the configured maximum.
    PoorAccuracy { accuracy_m: f64 },
    /// Reaching this fix from the newest accepted one needs a faster speed than allowed.
    /// `distance_m` is the distance left after subtracting both accuracy radii.
    ImpossibleSpeed {
        distance_m: f64,
        elapsed_seconds: f64,
    },
}

impl FlagReason {
    /// Returns the implied speed in km/h of an `ImpossibleSpeed` flag, or `None` for other
    /// reasons and for two fixes at the same instant.
    pub fn speed_kmh(&self) -> Option<f64> {
        match self {
            Self::ImpossibleSpeed {
                distance_m,
                elapsed_seconds,
            } if *elapsed_seconds > 0.0 => Some(distance_m / elapsed_seconds * 3.6),
            _ => None,
        }
    }
}

/// Classifies `report`, received at `received_at`, against `latest`, the device's newest
/// accepted position (`None` for a device's first position).
///
/// Checks run in this order and the first failing one sets the reason: location present,
/// valid coordinates, not 0,0, not mocked, not in the future, not a duplicate, accuracy, speed. The
/// speed check measures against `latest` also for a fix older than it, so a device whose
/// newest accepted fix is wrong gets its later fixes accepted once enough time has passed
/// for the distance to be reachable.
pub fn classify(
    latest: Option<&TrackPoint>,
    report: &PositionReport,
    received_at: Timestamp,
    config: &FilterConfig,
) -> Classification {
    match flag_reason(latest, report, received_at, config) {
        Some(reason) => Classification::Flagged { reason },
        None => Classification::Accepted {
            older_than_latest: latest.is_some_and(|latest| report.fix_time < latest.time),
        },
    }
}

fn flag_reason(
    latest: Option<&TrackPoint>,
    report: &PositionReport,
    received_at: Timestamp,
    config: &FilterConfig,
) -> Option<FlagReason> {
    let Some(point) = report.track_point() else {
        return Some(FlagReason::MissingLocation);
    };
    let coordinates = point.coordinates;
    let latitude_valid = coordinates.latitude.is_finite() && coordinates.latitude.abs() <= 90.0;
    let longitude_valid = coordinates.longitude.is_finite() && coordinates.longitude.abs() <= 180.0;
    if !latitude_valid || !longitude_valid {
        return Some(FlagReason::InvalidCoordinates);
    }
    if coordinates.latitude == 0.0 && coordinates.longitude == 0.0 {
        return Some(FlagReason::ZeroCoordinates);
    }
    if report.mock == Some(true) {
        return Some(FlagReason::MockLocation);
    }

    let ahead = report.fix_time.duration_since(received_at);
    if ahead > config.max_future {
        return Some(FlagReason::FutureTime {
            ahead_seconds: ahead.as_secs(),
        });
    }

    if let Some(latest) = latest {
        let same_place = haversine_m(latest.coordinates, coordinates) < DUPLICATE_DISTANCE_M;
        if report.fix_time == latest.time && same_place {
            return Some(FlagReason::Duplicate);
        }
    }

    // A NaN accuracy never compares greater, so it counts as unknown here.
    if let Some(accuracy_m) = report
        .accuracy_m
        .filter(|accuracy| *accuracy > config.max_accuracy_m)
    {
        return Some(FlagReason::PoorAccuracy { accuracy_m });
    }

    latest.and_then(|latest| speed_flag(latest, &point, config))
}

fn speed_flag(
    latest: &TrackPoint,
    point: &TrackPoint,
    config: &FilterConfig,
) -> Option<FlagReason> {
    let uncertainty = latest.accuracy_m.unwrap_or(0.0) + point.accuracy_m.unwrap_or(0.0);
    let distance_m = (haversine_m(latest.coordinates, point.coordinates) - uncertainty).max(0.0);
    let elapsed_seconds = point.time.duration_since(latest.time).abs().as_secs_f64();

    let too_fast = if elapsed_seconds > 0.0 {
        distance_m / elapsed_seconds * 3.6 > config.max_speed_kmh
    } else {
        distance_m > 0.0
    };
    too_fast.then_some(FlagReason::ImpossibleSpeed {
        distance_m,
        elapsed_seconds,
    })
}
