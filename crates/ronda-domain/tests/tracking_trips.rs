//! Day summaries of two real GPS tracks. The expected numbers come from an independent
//! implementation of the same algorithm with the same Earth radius.

use jiff::{SignedDuration, Timestamp};
use ronda_domain::tracking::{Coordinates, DaySummary, TrackPoint, TripConfig, summarize_day};

const VISNJAN: &str = include_str!("fixtures/tracking/gpx/gpxpy_around-visnjan-with-car.gpx");
const CERKNICA: &str = include_str!("fixtures/tracking/gpx/gpxpy_cerknicko-jezero.gpx");

/// Reads the `<trkpt lat=".." lon="..">` elements of a GPX file with their `<time>`,
/// across all tracks and segments. Waypoints (`<wpt>`) are not track points.
fn read_gpx_track(text: &str) -> Vec<TrackPoint> {
    let mut points = Vec::new();
    for element in text.split("<trkpt ").skip(1) {
        let end = element.find("</trkpt>").expect("closed trkpt");
        let element = &element[..end];
        let latitude = attribute(element, "lat").parse().expect("latitude");
        let longitude = attribute(element, "lon").parse().expect("longitude");
        let time_start = element.find("<time>").expect("trkpt time") + "<time>".len();
        let time_end = element.find("</time>").expect("closed time");
        let time: Timestamp = element[time_start..time_end].parse().expect("ISO time");
        points.push(TrackPoint {
            time,
            coordinates: Coordinates {
                latitude,
                longitude,
            },
            accuracy_m: None,
        });
    }
    points
}

fn attribute<'a>(element: &'a str, name: &str) -> &'a str {
    let marker = format!("{name}=\"");
    let start = element.find(&marker).expect("attribute") + marker.len();
    let length = element[start..].find('"').expect("closing quote");
    &element[start..start + length]
}

fn assert_near(actual: f64, expected: f64, tolerance: f64, label: &str) {
    assert!(
        (actual - expected).abs() <= tolerance,
        "{label}: {actual} not within {tolerance} of {expected}"
    );
}

fn time(text: &str) -> Timestamp {
    text.parse().expect("valid time")
}

fn summarize(points: &[TrackPoint], config: &TripConfig) -> DaySummary {
    summarize_day(points, config)
}

#[test]
fn gpx_reader_counts_points() {
    assert_eq!(read_gpx_track(VISNJAN).len(), 104);
    assert_eq!(read_gpx_track(CERKNICA).len(), 296);
}

#[test]
fn visnjan_drive_distance() {
    let points = read_gpx_track(VISNJAN);
    let raw = summarize(
        &points,
        &TripConfig {
            min_movement_m: 0.0,
            ..TripConfig::default()
        },
    );
    assert_near(raw.distance_m, 2733.2, 0.5, "sum of all steps");

    let summary = summarize(&points, &TripConfig::default());
    assert_near(
        summary.distance_m,
        2686.3,
        0.5,
        "distance with 10 m minimum movement",
    );
}

#[test]
fn visnjan_drive_has_one_two_minute_stop() {
    let points = read_gpx_track(VISNJAN);
    let config = TripConfig {
        stop_radius_m: 30.0,
        min_stop_duration: SignedDuration::from_mins(2),
        ..TripConfig::default()
    };
    let summary = summarize(&points, &config);
    assert_eq!(summary.stops.len(), 1, "{:?}", summary.stops);

    let stop = &summary.stops[0];
    assert_eq!(stop.start, time("2020-12-18T06:19:31Z"));
    assert_eq!(stop.end, time("2020-12-18T06:21:37Z"));
    assert_eq!(stop.duration(), SignedDuration::from_secs(126));
    assert_eq!(stop.point_count, 13);
    assert_near(stop.centre.latitude, 45.276389, 1e-6, "centre latitude");
    assert_near(stop.centre.longitude, 13.719824, 1e-6, "centre longitude");
}

#[test]
fn visnjan_drive_has_no_visit_length_stop() {
    let points = read_gpx_track(VISNJAN);
    let summary = summarize(&points, &TripConfig::default());
    assert!(summary.stops.is_empty(), "{:?}", summary.stops);
}

#[test]
fn cerknica_walk_distance() {
    let points = read_gpx_track(CERKNICA);
    let raw = summarize(
        &points,
        &TripConfig {
            min_movement_m: 0.0,
            ..TripConfig::default()
        },
    );
    assert_near(raw.distance_m, 13_665.0, 0.5, "sum of all steps");

    let summary = summarize(&points, &TripConfig::default());
    assert_near(
        summary.distance_m,
        13_616.0,
        0.5,
        "distance with 10 m minimum movement",
    );
}

#[test]
fn cerknica_walk_stops() {
    let points = read_gpx_track(CERKNICA);
    let summary = summarize(&points, &TripConfig::default());
    let found: Vec<(Timestamp, Timestamp, usize)> = summary
        .stops
        .iter()
        .map(|stop| (stop.start, stop.end, stop.point_count))
        .collect();
    assert_eq!(
        found,
        vec![
            (
                time("2010-08-05T14:35:59Z"),
                time("2010-08-05T14:41:43Z"),
                9
            ),
            (
                time("2010-08-05T15:04:55Z"),
                time("2010-08-05T15:12:27Z"),
                12
            ),
            (
                time("2010-08-05T15:58:31Z"),
                time("2010-08-05T16:06:14Z"),
                6
            ),
            (
                time("2010-08-05T16:07:15Z"),
                time("2010-08-05T16:15:46Z"),
                5
            ),
        ]
    );
}

#[test]
fn parked_jitter_adds_no_distance() {
    // Twenty fixes up to 8 m north-south and east-west of one point (11.3 m away at most),
    // each with a 15 m accuracy radius.
    let start = time("2026-01-15T16:00:00Z");
    let points: Vec<TrackPoint> = (0..20i32)
        .map(|index| {
            let offset_m = f64::from(index % 5 - 2) * 4.0;
            TrackPoint {
                time: start + SignedDuration::from_secs(i64::from(index) * 30),
                coordinates: Coordinates {
                    latitude: 19.4326 + offset_m / 111_195.0,
                    longitude: -99.1332 + offset_m / 104_900.0,
                },
                accuracy_m: Some(15.0),
            }
        })
        .collect();
    let summary = summarize(&points, &TripConfig::default());
    assert_eq!(summary.distance_m, 0.0);
    assert_eq!(summary.stops.len(), 1);
    assert_eq!(summary.stops[0].point_count, 20);
}

#[test]
fn unordered_points_are_sorted() {
    let mut points = read_gpx_track(VISNJAN);
    let in_order = summarize(&points, &TripConfig::default());
    points.reverse();
    let reversed = summarize(&points, &TripConfig::default());
    assert_eq!(in_order, reversed);
}

#[test]
fn empty_day_is_zero() {
    let summary = summarize(&[], &TripConfig::default());
    assert_eq!(summary.distance_m, 0.0);
    assert!(summary.stops.is_empty());
}
