//! The JSON body of Traccar Client 9, which posts one transistorsoft location object:
//! `{"device_id": "...", "location": {"timestamp", "coords": {...}, "battery": {...}, ...}}`.

use jiff::Timestamp;
use serde_json::{Map, Value};

use super::urlencoded::decode_pairs;
use crate::tracking::error::{ParseError, ParseErrorCode};
use crate::tracking::report::{Coordinates, PositionReport, TimeSource};
use crate::tracking::values::{
    TIMESTAMP_EXAMPLE, known_non_negative, parse_timestamp, timestamp_from_integer,
    timestamp_from_seconds,
};

/// Parses a Traccar Client 9 JSON body. Speed is in metres per second, the battery level
/// a fraction from 0 to 1, and -1 marks an unknown speed, heading, accuracy or level.
///
/// The device id comes from `device_id`, or else from the `id` inside `location._`, the
/// query-string copy that the client's template adds. Unrecognised fields go to `extra`:
/// those of `coords` and `battery` under `coords.` and `battery.` prefixes, the others
/// under their own names.
pub fn parse_json(body: &[u8], received_at: Timestamp) -> Result<PositionReport, ParseError> {
    let root: Value = serde_json::from_slice(body).map_err(|error| {
        ParseError::new(
            ParseErrorCode::InvalidJson,
            "body",
            format!("invalid JSON body ({error}), expected an object such as {{\"device_id\":\"123456\",\"location\":{{...}}}}"),
        )
        .with_example(r#"{"device_id":"123456","location":{...}}"#)
    })?;
    let root = as_object(
        "body",
        &root,
        "{\"device_id\":\"123456\",\"location\":{...}}",
    )?;
    let location = match root.get("location") {
        None | Some(Value::Null) => {
            return Err(ParseError::missing(
                "location",
                "\"location\":{\"timestamp\":\"2025-06-15T13:45:12.862Z\",\"coords\":{...}}",
            ));
        }
        // NOTE: the client's batch mode posts an array of locations, which is rejected.
        Some(Value::Array(_)) => {
            return Err(ParseError::new(
                ParseErrorCode::InvalidType,
                "location",
                "location is an array, expected one location object (batched uploads are not supported)".to_owned(),
            )
            .with_example(r#"{"timestamp":...,"coords":{...}}"#));
        }
        Some(value) => as_object("location", value, "{\"timestamp\":...,\"coords\":{...}}")?,
    };

    let device_id = device_id(root, location)?;
    let mut report = PositionReport::new(device_id, received_at, TimeSource::Received);
    for (key, value) in root {
        if key != "device_id" && key != "location" {
            report.extra.insert(key.clone(), value.clone());
        }
    }
    apply_location(&mut report, location)?;
    Ok(report)
}

fn device_id(
    root: &Map<String, Value>,
    location: &Map<String, Value>,
) -> Result<String, ParseError> {
    let from_field = match root.get("device_id") {
        None | Some(Value::Null) => None,
        Some(Value::String(text)) => Some(text.trim().to_owned()),
        Some(Value::Number(number)) => Some(number.to_string()),
        Some(_) => {
            return Err(ParseError::new(
                ParseErrorCode::InvalidType,
                "device_id",
                "device_id is not a string, expected for example \"device_id\":\"123456\""
                    .to_owned(),
            )
            .with_example(r#""device_id":"123456""#));
        }
    };
    let from_template = || {
        let Some(Value::String(template)) = location.get("_") else {
            return None;
        };
        let pairs = decode_pairs(template).ok()?;
        pairs
            .into_iter()
            .rev()
            .find(|(key, _)| key == "id")
            .map(|(_, value)| value.trim().to_owned())
    };
    from_field
        .filter(|id| !id.is_empty())
        .or_else(|| from_template().filter(|id| !id.is_empty()))
        .ok_or_else(|| ParseError::missing("device_id", "\"device_id\":\"123456\""))
}

fn apply_location(
    report: &mut PositionReport,
    location: &Map<String, Value>,
) -> Result<(), ParseError> {
    for (key, value) in location {
        match key.as_str() {
            "timestamp" => {
                if let Some(time) = fix_time("location.timestamp", value)? {
                    report.fix_time = time;
                    report.time_source = TimeSource::Device;
                }
            }
            "coords" => apply_coords(report, value)?,
            "battery" => apply_battery(report, value)?,
            "mock" => report.mock = boolean("location.mock", value)?,
            "is_moving" => report.moving = boolean("location.is_moving", value)?,
            "odometer" => report.odometer_m = number("location.odometer", value, "1234.5 m")?,
            _ => {
                report.extra.insert(key.clone(), value.clone());
            }
        }
    }
    Ok(())
}

fn apply_coords(report: &mut PositionReport, value: &Value) -> Result<(), ParseError> {
    if value.is_null() {
        return Ok(());
    }
    let coords = as_object(
        "location.coords",
        value,
        "{\"latitude\":19.4326,\"longitude\":-99.1332}",
    )?;
    let mut latitude = None;
    let mut longitude = None;
    for (key, value) in coords {
        match key.as_str() {
            "latitude" => latitude = number("location.coords.latitude", value, "19.4326")?,
            "longitude" => longitude = number("location.coords.longitude", value, "-99.1332")?,
            "accuracy" => {
                let metres = number("location.coords.accuracy", value, "12.0 m")?;
                report.accuracy_m = metres.and_then(known_non_negative);
            }
            "speed" => {
                let speed = number("location.coords.speed", value, "4.2 m/s")?;
                report.speed_mps = speed.and_then(known_non_negative);
            }
            "heading" => {
                let degrees = number("location.coords.heading", value, "270.5°")?;
                report.bearing_deg = degrees.and_then(known_non_negative);
            }
            "altitude" => {
                report.altitude_m = number("location.coords.altitude", value, "2240.5 m")?
            }
            _ => {
                report.extra.insert(format!("coords.{key}"), value.clone());
            }
        }
    }
    report.coordinates = match (latitude, longitude) {
        (Some(latitude), Some(longitude)) => Some(Coordinates {
            latitude,
            longitude,
        }),
        (None, None) => None,
        (Some(_), None) => {
            return Err(ParseError::missing("location.coords.longitude", "-99.1332"));
        }
        (None, Some(_)) => return Err(ParseError::missing("location.coords.latitude", "19.4326")),
    };
    Ok(())
}

fn apply_battery(report: &mut PositionReport, value: &Value) -> Result<(), ParseError> {
    if value.is_null() {
        return Ok(());
    }
    let battery = as_object(
        "location.battery",
        value,
        "{\"level\":0.87,\"is_charging\":false}",
    )?;
    for (key, value) in battery {
        match key.as_str() {
            "level" => {
                let field = "location.battery.level";
                let fraction = number(field, value, "0.87")?;
                report.battery_percent = match fraction.and_then(known_non_negative) {
                    None => None,
                    Some(fraction) if fraction <= 1.0 => Some(fraction * 100.0),
                    Some(fraction) => {
                        return Err(ParseError::new(
                            ParseErrorCode::OutOfRange,
                            field,
                            format!(
                                "battery level {fraction} for {field} is out of range, expected a fraction from 0 to 1 such as 0.87, or -1 when unknown"
                            ),
                        )
                        .with_value(fraction)
                        .with_example("0.87 (0–1, -1)"));
                    }
                };
            }
            "is_charging" => report.charging = boolean("location.battery.is_charging", value)?,
            _ => {
                report.extra.insert(format!("battery.{key}"), value.clone());
            }
        }
    }
    Ok(())
}

fn fix_time(field: &str, value: &Value) -> Result<Option<Timestamp>, ParseError> {
    match value {
        Value::Null => Ok(None),
        Value::String(text) => parse_timestamp(field, text).map(Some),
        Value::Number(number) => {
            let time = match number.as_i64() {
                Some(integer) => timestamp_from_integer(integer),
                None => number.as_f64().and_then(timestamp_from_seconds),
            };
            time.map(Some).ok_or_else(|| {
                ParseError::new(
                    ParseErrorCode::InvalidTimestamp,
                    field,
                    format!("invalid time {number} for {field}, expected {TIMESTAMP_EXAMPLE}"),
                )
                .with_value(number)
            })
        }
        _ => Err(type_error(field, "\"2025-06-15T13:45:12.862Z\"")),
    }
}

fn number(field: &str, value: &Value, example: &str) -> Result<Option<f64>, ParseError> {
    match value {
        Value::Null => Ok(None),
        Value::Number(number) => Ok(number.as_f64()),
        _ => Err(ParseError::new(
            ParseErrorCode::InvalidNumber,
            field,
            format!("invalid number {value} for {field}, expected a JSON number such as {example}"),
        )
        .with_value(value)
        .with_example(example)),
    }
}

fn boolean(field: &str, value: &Value) -> Result<Option<bool>, ParseError> {
    match value {
        Value::Null => Ok(None),
        Value::Bool(flag) => Ok(Some(*flag)),
        _ => Err(ParseError::new(
            ParseErrorCode::InvalidBoolean,
            field,
            format!("invalid boolean {value} for {field}, expected true or false"),
        )
        .with_value(value)
        .with_example("true")),
    }
}

fn as_object<'a>(
    field: &str,
    value: &'a Value,
    example: &str,
) -> Result<&'a Map<String, Value>, ParseError> {
    value.as_object().ok_or_else(|| type_error(field, example))
}

fn type_error(field: &str, example: &str) -> ParseError {
    ParseError::new(
        ParseErrorCode::InvalidType,
        field,
        format!("{field} has the wrong JSON type, expected for example {example}"),
    )
    .with_example(example)
}
