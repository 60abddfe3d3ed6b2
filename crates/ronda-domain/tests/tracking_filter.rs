//! Position filter: one test per flag reason and the accepted cases.

use jiff::{SignedDuration, Timestamp};
use ronda_domain::tracking::{
    Classification, Coordinates, FilterConfig, FlagReason, PositionReport, TimeSource, TrackPoint,
    classify,
};

fn time(text: &str) -> Timestamp {
    text.parse().expect("valid time")
}

fn report(fix_time: &str, latitude: f64, longitude: f64) -> PositionReport {
    let mut report =
        PositionReport::new("agent-phone".to_owned(), time(fix_time), TimeSource::Device);
    report.coordinates = Some(Coordinates {
        latitude,
        longitude,
    });
    report.accuracy_m = Some(10.0);
    report
}

/// Returns the newest accepted fix: Mexico City's Zócalo at 10:00 UTC.
fn latest() -> TrackPoint {
    TrackPoint {
        time: time("2026-01-15T10:00:00Z"),
        coordinates: Coordinates {
            latitude: 19.4326,
            longitude: -99.1332,
        },
        accuracy_m: Some(10.0),
    }
}

fn received_at() -> Timestamp {
    time("2026-01-15T10:05:00Z")
}

fn flag(latest: Option<&TrackPoint>, report: &PositionReport) -> FlagReason {
    match classify(latest, report, received_at(), &FilterConfig::default()) {
        Classification::Flagged { reason } => reason,
        accepted => panic!("expected a flag, got {accepted:?}"),
    }
}

#[test]
fn first_position_is_accepted() {
    let report = report("2026-01-15T10:04:00Z", 19.4326, -99.1332);
    assert_eq!(
        classify(None, &report, received_at(), &FilterConfig::default()),
        Classification::Accepted {
            older_than_latest: false
        }
    );
}

#[test]
fn walking_position_is_accepted() {
    // About 220 m north in 3 minutes.
    let report = report("2026-01-15T10:03:00Z", 19.4346, -99.1332);
    assert_eq!(
        classify(
            Some(&latest()),
            &report,
            received_at(),
            &FilterConfig::default()
        ),
        Classification::Accepted {
            older_than_latest: false
        }
    );
}

#[test]
fn older_position_is_accepted_but_marked() {
    let report = report("2026-01-15T09:58:00Z", 19.4330, -99.1332);
    assert_eq!(
        classify(
            Some(&latest()),
            &report,
            received_at(),
            &FilterConfig::default()
        ),
        Classification::Accepted {
            older_than_latest: true
        }
    );
}

#[test]
fn missing_location_is_flagged() {
    let mut report = report("2026-01-15T10:04:00Z", 0.0, 0.0);
    report.coordinates = None;
    assert_eq!(flag(Some(&latest()), &report), FlagReason::MissingLocation);
}

#[test]
fn invalid_coordinates_are_flagged() {
    for (latitude, longitude) in [
        (91.0, 0.5),
        (-90.5, 0.5),
        (10.0, 180.5),
        (10.0, -181.0),
        (f64::NAN, 1.0),
        (1.0, f64::INFINITY),
    ] {
        let report = report("2026-01-15T10:04:00Z", latitude, longitude);
        assert_eq!(
            flag(None, &report),
            FlagReason::InvalidCoordinates,
            "{latitude},{longitude}"
        );
    }
}

#[test]
fn zero_coordinates_are_flagged() {
    let report = report("2026-01-15T10:04:00Z", 0.0, 0.0);
    assert_eq!(flag(Some(&latest()), &report), FlagReason::ZeroCoordinates);
}

#[test]
fn future_time_is_flagged() {
    let report = report("2026-01-15T10:20:00Z", 19.4326, -99.1332);
    assert_eq!(
        flag(Some(&latest()), &report),
        FlagReason::FutureTime { ahead_seconds: 900 }
    );

    let config = FilterConfig {
        max_future: SignedDuration::from_mins(30),
        ..FilterConfig::default()
    };
    assert!(matches!(
        classify(Some(&latest()), &report, received_at(), &config),
        Classification::Accepted { .. }
    ));
}

#[test]
fn duplicate_is_flagged() {
    let report = report("2026-01-15T10:00:00Z", 19.4326, -99.1332);
    assert_eq!(flag(Some(&latest()), &report), FlagReason::Duplicate);
}

#[test]
fn poor_accuracy_is_flagged() {
    let mut report = report("2026-01-15T10:04:00Z", 19.4330, -99.1332);
    report.accuracy_m = Some(250.0);
    assert_eq!(
        flag(Some(&latest()), &report),
        FlagReason::PoorAccuracy { accuracy_m: 250.0 }
    );

    let config = FilterConfig {
        max_accuracy_m: 500.0,
        ..FilterConfig::default()
    };
    assert!(matches!(
        classify(Some(&latest()), &report, received_at(), &config),
        Classification::Accepted { .. }
    ));
}

#[test]
fn impossible_speed_is_flagged() {
    // Guadalajara, about 461 km away, one minute later.
    let report = report("2026-01-15T10:01:00Z", 20.6767, -103.3475);
    let reason = flag(Some(&latest()), &report);
    let FlagReason::ImpossibleSpeed {
        distance_m,
        elapsed_seconds,
    } = reason
    else {
        panic!("expected impossible speed, got {reason:?}");
    };
    assert_eq!(elapsed_seconds, 60.0);
    assert!((distance_m - 461_378.6).abs() < 1.0, "{distance_m}");
    let speed = reason.speed_kmh().expect("speed");
    assert!(speed > 27_000.0, "{speed}");
}

#[test]
fn speed_allows_for_accuracy() {
    // 50 m in 1 s is 180 km/h, but with two 10 m radii only 30 m (108 km/h) must be real.
    let mut report = report("2026-01-15T10:00:01Z", 19.4326, -99.1332);
    report.coordinates = Some(Coordinates {
        latitude: 19.4326 + 50.0 / 111_195.0,
        longitude: -99.1332,
    });
    let config = FilterConfig {
        max_speed_kmh: 120.0,
        ..FilterConfig::default()
    };
    assert!(matches!(
        classify(Some(&latest()), &report, received_at(), &config),
        Classification::Accepted { .. }
    ));
}

#[test]
fn same_time_elsewhere_is_impossible_speed() {
    let report = report("2026-01-15T10:00:00Z", 19.4426, -99.1332);
    let reason = flag(Some(&latest()), &report);
    assert!(
        matches!(reason, FlagReason::ImpossibleSpeed { elapsed_seconds, .. } if elapsed_seconds == 0.0),
        "{reason:?}"
    );
    assert_eq!(reason.speed_kmh(), None);
}

#[test]
fn speed_flag_clears_with_time() {
    // The same 461 km become reachable at under 200 km/h after three hours.
    let report = report("2026-01-15T13:00:00Z", 20.6767, -103.3475);
    let received_at = time("2026-01-15T13:00:05Z");
    assert!(matches!(
        classify(
            Some(&latest()),
            &report,
            received_at,
            &FilterConfig::default()
        ),
        Classification::Accepted { .. }
    ));
}

#[test]
fn mock_location_is_flagged() {
    let mut mocked = report("2026-01-15T10:04:00Z", 19.4330, -99.1332);
    mocked.mock = Some(true);
    assert_eq!(flag(Some(&latest()), &mocked), FlagReason::MockLocation);
}

#[test]
fn fix_marked_not_mocked_is_accepted() {
    let mut real = report("2026-01-15T10:04:00Z", 19.4330, -99.1332);
    real.mock = Some(false);
    assert!(matches!(
        classify(
            Some(&latest()),
            &real,
            received_at(),
            &FilterConfig::default()
        ),
        Classification::Accepted { .. }
    ));
}
