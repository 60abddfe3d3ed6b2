//! OwnTracks HTTP-mode parsing of the bodies that Traccar's own decoder tests use.

use jiff::Timestamp;
use ronda_domain::tracking::owntracks::parse;
use ronda_domain::tracking::{
    Coordinates, OwnTracksMessage, ParseErrorCode, PositionReport, TimeSource,
};
use serde_json::json;

const BODIES: &str = include_str!("fixtures/tracking/traccar_owntracks_http_bodies.jsonl");
const DEVICE: &str = "ana/phone";

fn body(number: usize) -> PositionReport {
    let lines: Vec<&str> = BODIES
        .lines()
        .filter(|line| !line.trim().is_empty())
        .collect();
    assert_eq!(lines.len(), 6, "bodies in the fixture");
    match parse(lines[number - 1].as_bytes(), DEVICE).expect("valid OwnTracks body") {
        OwnTracksMessage::Location(report) => report,
        other => panic!("expected a location, got {other:?}"),
    }
}

fn time(text: &str) -> Timestamp {
    text.parse().expect("valid time")
}

fn assert_close(actual: Option<f64>, expected: f64, label: &str) {
    let actual = actual.unwrap_or_else(|| panic!("{label} is missing"));
    assert!(
        (actual - expected).abs() < 1e-9,
        "{label}: {actual} != {expected}"
    );
}

fn coordinates(latitude: f64, longitude: f64) -> Option<Coordinates> {
    Some(Coordinates {
        latitude,
        longitude,
    })
}

#[test]
fn body_1_full_android() {
    let report = body(1);
    assert_eq!(report.device_id, DEVICE);
    assert_eq!(report.fix_time, time("2019-03-06T12:21:18Z"));
    assert_eq!(report.time_source, TimeSource::Device);
    assert_eq!(report.coordinates, coordinates(46.0681247, 11.1512805));
    assert_close(report.accuracy_m, 15.0, "acc");
    assert_close(report.altitude_m, 440.0, "alt");
    assert_close(report.battery_percent, 46.0, "batt");
    assert_close(report.speed_mps, 0.0, "vel");
    assert_eq!(report.charging, None);
    assert_eq!(report.mock, None);
    assert_eq!(report.extra["tid"], json!("5t"));
    assert_eq!(report.extra["conn"], json!("w"));
    assert_eq!(report.extra["t"], json!("u"));
    assert_eq!(report.extra["vac"], json!(2));
}

#[test]
fn body_2_minimal() {
    let report = body(2);
    assert_eq!(report.fix_time, time("2017-06-13T10:21:56Z"));
    assert_eq!(report.coordinates, coordinates(48.85833, 2.29513));
    assert_eq!(report.accuracy_m, None);
    assert_eq!(report.speed_mps, None);
    assert_eq!(report.extra["tid"], json!("JJ"));
    assert_eq!(report.extra.len(), 1);
}

#[test]
fn body_3_speed_in_kmh() {
    let report = body(3);
    assert_eq!(report.fix_time, time("2017-06-13T10:21:56Z"));
    assert_eq!(report.coordinates, coordinates(48.85833, 2.29513));
    assert_close(report.bearing_deg, 271.0, "cog");
    assert_close(report.accuracy_m, 5.0, "acc");
    assert_close(report.speed_mps, 61.0 / 3.6, "vel");
    assert_close(report.altitude_m, 167.0, "alt");
    assert_close(report.battery_percent, 67.0, "batt");
    assert_eq!(report.extra["vac"], json!(21));
}

#[test]
fn body_4_minimal_other_time() {
    let report = body(4);
    assert_eq!(report.fix_time, time("2017-06-14T21:40:56Z"));
    assert_eq!(report.coordinates, coordinates(48.85, 2.295));
}

#[test]
fn body_5_ios_with_topic_and_mode() {
    let report = body(5);
    assert_eq!(
        report.device_id, DEVICE,
        "the topic does not override the device"
    );
    assert_eq!(report.fix_time, time("2025-01-06T10:59:29Z"));
    assert_eq!(report.coordinates, coordinates(37.0, -122.0));
    assert_close(report.accuracy_m, 5.0, "acc");
    assert_close(report.altitude_m, 0.0, "alt");
    assert_eq!(report.extra["m"], json!(1));
    assert_eq!(report.extra["created_at"], json!(1736161415));
    assert_eq!(
        report.extra["topic"],
        json!("owntracks/ckrey/22A67880-15C3-41A6-9157-25545C7993AC")
    );
}

#[test]
fn body_6_vehicle_tracker_with_cell() {
    let report = body(6);
    assert_eq!(report.fix_time, time("2025-01-10T14:26:07Z"));
    assert_eq!(report.coordinates, coordinates(47.420051, 13.654704));
    assert_close(report.speed_mps, 0.0, "vel");
    assert_close(report.bearing_deg, 113.0, "cog");
    assert_close(report.accuracy_m, 10.0, "acc");
    assert_close(report.altitude_m, 1113.0, "alt");
    assert_eq!(report.extra["mcc"], json!(232));
    assert_eq!(report.extra["lac"], json!("4F4D"));
    assert_eq!(report.extra["cid"], json!("673A"));
    assert_eq!(report.extra["t"], json!("I"));
}

#[test]
fn battery_status_sets_charging() {
    for (status, expected) in [
        (0, None),
        (1, Some(false)),
        (2, Some(true)),
        (3, Some(true)),
    ] {
        let body = format!(
            r#"{{"_type":"location","lat":19.4,"lon":-99.1,"tst":1736161169,"bs":{status}}}"#
        );
        let Ok(OwnTracksMessage::Location(report)) = parse(body.as_bytes(), DEVICE) else {
            panic!("bs={status} should parse");
        };
        assert_eq!(report.charging, expected, "bs={status}");
    }
}

#[test]
fn other_types_are_acknowledged() {
    for message_type in ["transition", "waypoint", "card", "lwt", "status"] {
        let body = format!(r#"{{"_type":"{message_type}","tst":1736161169}}"#);
        let message = parse(body.as_bytes(), DEVICE).expect("other type");
        assert_eq!(
            message,
            OwnTracksMessage::Other {
                message_type: message_type.to_owned()
            }
        );
    }
}

#[test]
fn errors_name_the_field() {
    let cases: [(&[u8], ParseErrorCode, &str); 6] = [
        (b"[1,2]", ParseErrorCode::InvalidType, "body"),
        (b"{", ParseErrorCode::InvalidJson, "body"),
        (br#"{"lat":1}"#, ParseErrorCode::MissingField, "_type"),
        (
            br#"{"_type":"location","lon":2,"tst":1}"#,
            ParseErrorCode::MissingField,
            "lat",
        ),
        (
            br#"{"_type":"location","lat":1,"lon":2}"#,
            ParseErrorCode::MissingField,
            "tst",
        ),
        (
            br#"{"_type":"location","lat":1,"lon":2,"tst":1,"batt":"full"}"#,
            ParseErrorCode::InvalidNumber,
            "batt",
        ),
    ];
    for (body, code, field) in cases {
        let error = parse(body, DEVICE).expect_err(field);
        assert_eq!(error.code, code, "{}", error.message);
        assert_eq!(error.field, field, "{}", error.message);
    }
}

#[test]
fn empty_device_is_error() {
    let error =
        parse(br#"{"_type":"location","lat":1,"lon":2,"tst":1}"#, " ").expect_err("no device");
    assert_eq!(error.code, ParseErrorCode::MissingField);
    assert_eq!(error.field, "device_id");
}
