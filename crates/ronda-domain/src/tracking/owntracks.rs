//! OwnTracks messages posted in HTTP mode. The body is one JSON object whose `_type` names
//! its kind. Only `location` carries a position, and the other types (transition,
//! waypoint, card, lwt and so on) parse into [`OwnTracksMessage::Other`].

use serde_json::{Map, Value};

use super::error::{ParseError, ParseErrorCode};
use super::report::{Coordinates, PositionReport, TimeSource};
use super::values::{
    MPS_PER_KMH, check_battery_percent, known_non_negative, timestamp_from_seconds,
};

/// A parsed OwnTracks body.
#[derive(Clone, Debug, PartialEq)]
pub enum OwnTracksMessage {
    Location(PositionReport),
    /// A message that carries no position. The server acknowledges and ignores it.
    Other {
        message_type: String,
    },
}

/// Parses an OwnTracks HTTP-mode body for `device_id`, the device that the server
/// authenticated from the HTTP Basic user and the `X-Limit-U`/`X-Limit-D` headers or the
/// topic. The two-letter `tid` is only a display label, so it stays in `extra`.
///
/// Units follow the OwnTracks JSON format: `tst` in Unix seconds, `acc` and `alt` in
/// metres, `vel` in km/h, `cog` in degrees, `batt` in percent and `bs` the battery status
/// (0 unknown, 1 unplugged, 2 charging, 3 full). Both 2 and 3 mean connected to power.
pub fn parse(body: &[u8], device_id: &str) -> Result<OwnTracksMessage, ParseError> {
    let root: Value = serde_json::from_slice(body).map_err(|error| {
        ParseError::new(
            ParseErrorCode::InvalidJson,
            "body",
            format!("invalid JSON body ({error}), expected an object such as {{\"_type\":\"location\",\"lat\":19.4326,\"lon\":-99.1332,\"tst\":1736161169}}"),
        )
        .with_example(r#"{"_type":"location","lat":19.4326,"lon":-99.1332,"tst":1736161169}"#)
    })?;
    let Some(object) = root.as_object() else {
        return Err(ParseError::new(
            ParseErrorCode::InvalidType,
            "body",
            "the body is not a JSON object, expected for example {\"_type\":\"location\",...}"
                .to_owned(),
        )
        .with_example(r#"{"_type":"location",...}"#));
    };
    let message_type = match object.get("_type") {
        Some(Value::String(text)) if !text.is_empty() => text.as_str(),
        Some(Value::String(_)) | None | Some(Value::Null) => {
            return Err(ParseError::missing("_type", "\"_type\":\"location\""));
        }
        Some(_) => {
            return Err(ParseError::new(
                ParseErrorCode::InvalidType,
                "_type",
                "_type is not a string, expected for example \"_type\":\"location\"".to_owned(),
            )
            .with_example(r#""_type":"location""#));
        }
    };
    if message_type != "location" {
        return Ok(OwnTracksMessage::Other {
            message_type: message_type.to_owned(),
        });
    }

    let device_id = device_id.trim();
    if device_id.is_empty() {
        return Err(ParseError::missing("device_id", "ana/phone"));
    }
    parse_location(object, device_id).map(OwnTracksMessage::Location)
}

fn parse_location(
    object: &Map<String, Value>,
    device_id: &str,
) -> Result<PositionReport, ParseError> {
    let latitude = required_number(object, "lat", "19.4326")?;
    let longitude = required_number(object, "lon", "-99.1332")?;
    let seconds = required_number(object, "tst", "1736161169 (Unix seconds)")?;
    let fix_time = timestamp_from_seconds(seconds).ok_or_else(|| {
        ParseError::new(
            ParseErrorCode::InvalidTimestamp,
            "tst",
            format!("invalid time {seconds} for tst, expected Unix seconds such as 1736161169"),
        )
        .with_value(seconds)
        .with_example("1736161169")
    })?;

    let mut report = PositionReport::new(device_id.to_owned(), fix_time, TimeSource::Device);
    report.coordinates = Some(Coordinates {
        latitude,
        longitude,
    });
    for (key, value) in object {
        let field = key.as_str();
        match field {
            "_type" | "lat" | "lon" | "tst" => {}
            "acc" => report.accuracy_m = number(field, value, "12 m")?.and_then(known_non_negative),
            "alt" => report.altitude_m = number(field, value, "2240 m")?,
            "vel" => {
                let kmh = number(field, value, "36 (km/h)")?.and_then(known_non_negative);
                report.speed_mps = kmh.map(|kmh| kmh * MPS_PER_KMH);
            }
            "cog" => {
                report.bearing_deg = number(field, value, "270°")?.and_then(known_non_negative)
            }
            "batt" => {
                report.battery_percent = match number(field, value, "87 %")? {
                    Some(percent) => {
                        Some(check_battery_percent(field, percent, &value.to_string())?)
                    }
                    None => None,
                };
            }
            "bs" => report.charging = charging(value)?,
            _ => {
                report.extra.insert(key.clone(), value.clone());
            }
        }
    }
    Ok(report)
}

fn charging(value: &Value) -> Result<Option<bool>, ParseError> {
    match value.as_i64() {
        Some(0) => Ok(None),
        Some(1) => Ok(Some(false)),
        Some(2 | 3) => Ok(Some(true)),
        _ if value.is_null() => Ok(None),
        _ => Err(ParseError::new(
            ParseErrorCode::OutOfRange,
            "bs",
            format!(
                "invalid battery status {value} for bs, expected 0 (unknown), 1 (unplugged), 2 (charging) or 3 (full)"
            ),
        )
        .with_value(value)
        .with_example("2 (0–3)")),
    }
}

fn required_number(
    object: &Map<String, Value>,
    field: &str,
    example: &str,
) -> Result<f64, ParseError> {
    match object.get(field) {
        None => Err(ParseError::missing(field, example)),
        Some(value) => {
            number(field, value, example)?.ok_or_else(|| ParseError::missing(field, example))
        }
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
