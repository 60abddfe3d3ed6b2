//! OsmAnd parsing of the query strings and JSON bodies that Traccar's own decoder tests use.

use jiff::Timestamp;
use ronda_domain::tracking::osmand::{parse_json, parse_query};
use ronda_domain::tracking::{Coordinates, ParseErrorCode, PositionReport, TimeSource};
use serde_json::json;

const QUERY_REQUESTS: &str = include_str!("fixtures/tracking/traccar_osmand_query_requests.txt");
const JSON_BODIES: &str = include_str!("fixtures/tracking/traccar_osmand_json_bodies.jsonl");

fn received_at() -> Timestamp {
    "2026-01-15T18:00:00Z".parse().expect("valid time")
}

fn time(text: &str) -> Timestamp {
    text.parse().expect("valid time")
}

/// Returns the query part of each request target in the fixture, skipping comments.
fn queries() -> Vec<&'static str> {
    QUERY_REQUESTS
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| line.split_once('?').expect("request target with a query").1)
        .collect()
}

fn query(number: usize) -> PositionReport {
    let queries = queries();
    assert_eq!(queries.len(), 11, "query requests in the fixture");
    parse_query(queries[number - 1], received_at()).expect("valid OsmAnd query")
}

fn json_body(number: usize) -> PositionReport {
    let lines: Vec<&str> = JSON_BODIES
        .lines()
        .filter(|line| !line.trim().is_empty())
        .collect();
    assert_eq!(lines.len(), 4, "JSON bodies in the fixture");
    parse_json(lines[number - 1].as_bytes(), received_at()).expect("valid OsmAnd JSON body")
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
fn query_1_network_only() {
    let report = query(1);
    assert_eq!(report.device_id, "123456");
    assert_eq!(report.fix_time, time("2013-08-22T13:14:27Z"));
    assert_eq!(report.time_source, TimeSource::Device);
    assert_eq!(report.coordinates, None);
    assert_eq!(
        report.extra["cell"],
        json!(["257,02,16,2224", "257,02,16,2223,-90"])
    );
    assert_eq!(
        report.extra["wifi"],
        json!(["00-14-22-01-23-45,-80", "00-1C-B3-09-85-15,-70"])
    );
    assert_eq!(report.extra.len(), 2);
}

#[test]
fn query_2_without_id_is_error() {
    let queries = queries();
    let error = parse_query(queries[1], received_at()).expect_err("no id");
    assert_eq!(error.code, ParseErrorCode::MissingField);
    assert_eq!(error.field, "id");
    assert!(error.message.contains("id=123456"), "{}", error.message);
}

#[test]
fn query_3_iso_time_and_hdop() {
    let report = query(3);
    assert_eq!(report.device_id, "902064");
    assert_eq!(report.coordinates, coordinates(42.06288, -88.23412));
    assert_eq!(report.fix_time, time("2016-01-27T18:55:47Z"));
    assert_close(report.hdop, 6.0, "hdop");
    assert_eq!(report.accuracy_m, None);
    assert_close(report.altitude_m, 224.0, "altitude");
    assert_close(report.speed_mps, 0.0, "speed");
    assert!(report.extra.is_empty());
}

#[test]
fn query_4_millisecond_time() {
    let report = query(4);
    assert_eq!(report.device_id, "902064");
    assert_eq!(report.fix_time, time("2015-09-12T14:38:06.579Z"));
    assert_eq!(report.coordinates, coordinates(42.06288, -88.23412));
    assert_close(report.hdop, 6.0, "hdop");
}

#[test]
fn query_5_civil_time_in_utc() {
    let report = query(5);
    assert_eq!(report.device_id, "353861053849681");
    assert_eq!(report.fix_time, time("2014-06-04T09:10:11Z"));
    assert_eq!(report.coordinates, coordinates(49.60688, 6.15788));
    assert_close(report.altitude_m, 384.7, "altitude");
    assert_close(report.speed_mps, 0.0, "speed");
}

#[test]
fn query_6_all_zero_measurements() {
    let report = query(6);
    assert_eq!(report.device_id, "123456");
    assert_eq!(report.fix_time, time("2013-08-22T13:14:27Z"));
    assert_eq!(report.coordinates, coordinates(60.0, 30.0));
    assert_close(report.speed_mps, 0.0, "speed");
    assert_close(report.bearing_deg, 0.0, "bearing");
    assert_close(report.altitude_m, 0.0, "altitude");
    assert_close(report.hdop, 0.0, "hdop");
}

#[test]
fn query_7_minimal() {
    let report = query(7);
    assert_eq!(report.device_id, "123456");
    assert_eq!(report.fix_time, time("2013-08-22T13:14:27Z"));
    assert_eq!(report.coordinates, coordinates(60.0, 30.0));
    assert_eq!(report.speed_mps, None);
    assert_eq!(report.battery_percent, None);
    assert!(report.extra.is_empty());
}

#[test]
fn query_8_deviceid_alias_without_time() {
    let report = query(8);
    assert_eq!(report.device_id, "123456");
    assert_eq!(report.fix_time, received_at());
    assert_eq!(report.time_source, TimeSource::Received);
    assert_eq!(report.coordinates, coordinates(60.0, 30.0));
    assert_close(report.bearing_deg, 0.0, "heading");
    assert_eq!(report.extra["vacc"], json!("0"));
    assert_eq!(report.extra["hacc"], json!("0"));
    assert_eq!(report.accuracy_m, None);
}

#[test]
fn query_9_battery_percent() {
    let report = query(9);
    assert_eq!(report.device_id, "861001000719969");
    assert_eq!(report.time_source, TimeSource::Received);
    assert_eq!(report.coordinates, coordinates(41.666667, -0.883333));
    assert_close(report.altitude_m, 350.059479, "altitude");
    assert_close(report.speed_mps, 0.0, "speed");
    assert_close(report.battery_percent, 87.0, "battery");
}

#[test]
fn query_10_location_alias() {
    let report = query(10);
    assert_eq!(report.device_id, "123456");
    assert_eq!(report.fix_time, time("2013-08-22T13:14:27Z"));
    assert_eq!(report.coordinates, coordinates(60.0, 30.0));
}

#[test]
fn query_11_speed_in_knots_and_extras() {
    let report = query(11);
    assert_eq!(report.device_id, "123456789012345");
    assert_eq!(report.fix_time, time("2017-09-07T05:56:50Z"));
    assert_eq!(
        report.coordinates,
        coordinates(40.7232948571, -74.0061408571)
    );
    assert_close(report.bearing_deg, 7.19889788244, "bearing");
    // 40 knots at 1852 m per nautical mile.
    assert_close(report.speed_mps, 40.0 * 1852.0 / 3600.0, "speed");
    assert_eq!(report.extra["ignition"], json!("true"));
    assert_eq!(report.extra["rpm"], json!("933"));
    assert_eq!(report.extra["fuel"], json!("24"));
}

#[test]
fn json_1_still_on_full_battery() {
    let report = json_body(1);
    assert_eq!(report.device_id, "48241179");
    assert_eq!(report.fix_time, time("2025-06-15T13:45:12.862Z"));
    assert_eq!(report.time_source, TimeSource::Device);
    assert_eq!(report.coordinates, coordinates(37.4219983, -122.084));
    assert_close(report.accuracy_m, 5.0, "accuracy");
    assert_close(report.speed_mps, 0.0, "speed");
    assert_eq!(report.bearing_deg, None, "heading -1 is unknown");
    assert_close(report.altitude_m, 5.0, "altitude");
    assert_close(report.battery_percent, 100.0, "battery");
    assert_eq!(report.charging, Some(false));
    assert_eq!(report.moving, Some(false));
    assert_close(report.odometer_m, 0.0, "odometer");
    assert_eq!(report.mock, None);
    assert_eq!(report.extra["event"], json!("motionchange"));
    assert_eq!(report.extra["activity"], json!({"type": "still"}));
    assert_eq!(report.extra["extras"], json!({}));
    assert!(report.extra.contains_key("_"));
}

#[test]
fn json_2_keeps_client_extras() {
    let report = json_body(2);
    assert_eq!(report.device_id, "48241179");
    assert_eq!(report.coordinates, coordinates(37.4219983, -122.084));
    let extras = &report.extra["extras"];
    assert_eq!(extras["device_string_test"], json!("long_device_id"));
    assert_eq!(extras["device_bool_test"], json!(true));
    assert_eq!(extras["device_integer_twelve_test"], json!(12));
    assert_eq!(extras["device_very_long_double_test"], json!(1763636.3442));
}

#[test]
fn json_3_mock_location() {
    let report = json_body(3);
    assert_eq!(report.device_id, "658765");
    assert_eq!(report.fix_time, time("2025-05-09T04:11:30.579Z"));
    assert_eq!(report.mock, Some(true));
    assert_eq!(report.coordinates, coordinates(37.785834, -122.406417));
    assert_close(report.accuracy_m, 5.0, "accuracy");
    assert_eq!(report.speed_mps, None, "speed -1 is unknown");
    assert_eq!(report.bearing_deg, None, "heading -1 is unknown");
    assert_close(report.altitude_m, 0.0, "altitude");
    assert_eq!(report.battery_percent, None, "level -1 is unknown");
    assert_eq!(report.charging, Some(false));
    assert_eq!(report.extra["coords.speed_accuracy"], json!(-1));
    assert_eq!(report.extra["coords.floor"], json!(null));
    assert_eq!(report.extra["age"], json!(188));
    assert_eq!(
        report.extra["uuid"],
        json!("2FB04C65-99CF-42AB-8DD3-EBCB4B108BF8")
    );
}

#[test]
fn json_4_speed_in_metres_per_second() {
    let report = json_body(4);
    assert_eq!(report.device_id, "8737767034");
    assert_eq!(report.fix_time, time("2021-07-21T08:06:34.444Z"));
    assert_eq!(report.coordinates, coordinates(-6.1148096, 106.6837015));
    assert_close(report.accuracy_m, 3.8, "accuracy");
    assert_close(report.speed_mps, 18.67, "speed");
    assert_close(report.bearing_deg, 63.0, "heading");
    assert_close(report.altitude_m, 35.7, "altitude");
    let battery = report.battery_percent.expect("battery");
    assert!((battery - 79.0).abs() < 1e-9, "{battery}");
    assert_eq!(report.extra["coords.heading_accuracy"], json!(0.28));
}

#[test]
fn json_device_id_from_template() {
    let body = br#"{"location":{"timestamp":"2025-06-15T13:45:12.862Z","coords":{"latitude":19.4326,"longitude":-99.1332},"_":"&id=48241179&lat=19.4326&"}}"#;
    let report = parse_json(body, received_at()).expect("id from the template field");
    assert_eq!(report.device_id, "48241179");
}

#[test]
fn json_without_device_id_is_error() {
    let body = br#"{"location":{"coords":{"latitude":19.4326,"longitude":-99.1332}}}"#;
    let error = parse_json(body, received_at()).expect_err("no device id");
    assert_eq!(error.code, ParseErrorCode::MissingField);
    assert_eq!(error.field, "device_id");
}

#[test]
fn json_errors_name_the_field() {
    let cases: [(&[u8], ParseErrorCode, &str); 6] = [
        (b"not json", ParseErrorCode::InvalidJson, "body"),
        (br#"{"device_id":"1"}"#, ParseErrorCode::MissingField, "location"),
        (br#"{"device_id":"1","location":[]}"#, ParseErrorCode::InvalidType, "location"),
        (
            br#"{"device_id":"1","location":{"coords":{"latitude":"19.4","longitude":-99.1}}}"#,
            ParseErrorCode::InvalidNumber,
            "location.coords.latitude",
        ),
        (
            br#"{"device_id":"1","location":{"timestamp":"soon","coords":{"latitude":19.4,"longitude":-99.1}}}"#,
            ParseErrorCode::InvalidTimestamp,
            "location.timestamp",
        ),
        (
            br#"{"device_id":"1","location":{"battery":{"level":1.5}}}"#,
            ParseErrorCode::OutOfRange,
            "location.battery.level",
        ),
    ];
    for (body, code, field) in cases {
        let error = parse_json(body, received_at()).expect_err(field);
        assert_eq!(error.code, code, "{}", error.message);
        assert_eq!(error.field, field, "{}", error.message);
    }
}

#[test]
fn query_errors_name_the_parameter() {
    let cases = [
        ("id=1&lat=abc&lon=2", ParseErrorCode::InvalidNumber, "lat"),
        ("id=1&lat=19.4", ParseErrorCode::MissingField, "lon"),
        (
            "id=1&location=19.4",
            ParseErrorCode::InvalidNumber,
            "location",
        ),
        (
            "id=1&timestamp=tomorrow",
            ParseErrorCode::InvalidTimestamp,
            "timestamp",
        ),
        ("id=1&batt=120", ParseErrorCode::OutOfRange, "batt"),
        ("id=1&mock=perhaps", ParseErrorCode::InvalidBoolean, "mock"),
        ("id=%ZZ", ParseErrorCode::InvalidEncoding, "id"),
        ("id=&lat=1&lon=2", ParseErrorCode::MissingField, "id"),
    ];
    for (query, code, field) in cases {
        let error = parse_query(query, received_at()).expect_err(query);
        assert_eq!(error.code, code, "{query}: {}", error.message);
        assert_eq!(error.field, field, "{query}: {}", error.message);
        assert!(error.message.contains(field), "{query}: {}", error.message);
    }
}

#[test]
fn query_accuracy_charge_and_mock() {
    let report = parse_query(
        "id=7&lat=19.4326&lon=-99.1332&accuracy=12.5&charge=true&mock=1&battery=55.5",
        received_at(),
    )
    .expect("valid query");
    assert_close(report.accuracy_m, 12.5, "accuracy");
    assert_eq!(report.charging, Some(true));
    assert_eq!(report.mock, Some(true));
    assert_close(report.battery_percent, 55.5, "battery");
}

#[test]
fn form_body_same_as_query() {
    let body = b"id=7&lat=19.4326&lon=-99.1332&timestamp=1377177267";
    let from_form = ronda_domain::tracking::osmand::parse_form(body, received_at()).expect("form");
    let from_query =
        parse_query(std::str::from_utf8(body).expect("UTF-8"), received_at()).expect("query");
    assert_eq!(from_form, from_query);
}
