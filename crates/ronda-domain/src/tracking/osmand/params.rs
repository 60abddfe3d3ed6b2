//! OsmAnd parameters from a query string or a form body.

use jiff::Timestamp;
use serde_json::Value;

use super::urlencoded::decode_pairs;
use crate::tracking::error::{ParseError, ParseErrorCode};
use crate::tracking::report::{Coordinates, PositionReport, TimeSource};
use crate::tracking::values::{
    MPS_PER_KNOT, check_battery_percent, known_non_negative, parse_boolean, parse_number,
    parse_timestamp,
};

/// Parses the query string of an OsmAnd request (the part after `?`). A message without a
/// `timestamp` gets `received_at` as its fix time, as Traccar's server does.
pub fn parse_query(query: &str, received_at: Timestamp) -> Result<PositionReport, ParseError> {
    let pairs = decode_pairs(query)?;
    parse_pairs(pairs, received_at)
}

/// Parses an `application/x-www-form-urlencoded` body, which carries the same parameters
/// as the query string.
pub fn parse_form(body: &[u8], received_at: Timestamp) -> Result<PositionReport, ParseError> {
    let text = std::str::from_utf8(body).map_err(|_| {
        ParseError::new(
            ParseErrorCode::InvalidEncoding,
            "body",
            "invalid UTF-8 in the form body, expected percent-encoded text such as id=123456&lat=19.4326".to_owned(),
        )
        .with_example("id=123456&lat=19.4326")
    })?;
    parse_query(text, received_at)
}

/// Values of the recognised parameters, before the device id and coordinates are checked.
/// For a repeated parameter the last value wins.
#[derive(Default)]
struct Fields {
    device_id: Option<String>,
    latitude: Option<f64>,
    longitude: Option<f64>,
}

fn parse_pairs(
    pairs: Vec<(String, String)>,
    received_at: Timestamp,
) -> Result<PositionReport, ParseError> {
    let mut fields = Fields::default();
    let mut report = PositionReport::new(String::new(), received_at, TimeSource::Received);

    for (key, value) in pairs {
        apply_parameter(&mut report, &mut fields, key, value)?;
    }

    report.device_id = fields
        .device_id
        .filter(|id| !id.is_empty())
        .ok_or_else(|| ParseError::missing("id", "id=123456"))?;
    report.coordinates = match (fields.latitude, fields.longitude) {
        (Some(latitude), Some(longitude)) => Some(Coordinates {
            latitude,
            longitude,
        }),
        (None, None) => None,
        (Some(_), None) => return Err(ParseError::missing("lon", "lon=-99.1332")),
        (None, Some(_)) => return Err(ParseError::missing("lat", "lat=19.4326")),
    };
    Ok(report)
}

fn apply_parameter(
    report: &mut PositionReport,
    fields: &mut Fields,
    key: String,
    value: String,
) -> Result<(), ParseError> {
    let field = key.as_str();
    match field {
        "id" | "deviceid" => fields.device_id = Some(value.trim().to_owned()),
        "timestamp" => {
            report.fix_time = parse_timestamp(field, &value)?;
            report.time_source = TimeSource::Device;
        }
        "lat" => fields.latitude = Some(parse_number(field, &value, "19.4326")?),
        "lon" => fields.longitude = Some(parse_number(field, &value, "-99.1332")?),
        "location" => {
            let coordinates = parse_location(field, &value)?;
            fields.latitude = Some(coordinates.latitude);
            fields.longitude = Some(coordinates.longitude);
        }
        "speed" => {
            let knots = parse_number(field, &value, "12.5 kn")?;
            report.speed_mps = known_non_negative(knots).map(|knots| knots * MPS_PER_KNOT);
        }
        "bearing" | "heading" => {
            let degrees = parse_number(field, &value, "270.5°")?;
            report.bearing_deg = known_non_negative(degrees);
        }
        "altitude" => report.altitude_m = Some(parse_number(field, &value, "2240.5 m")?),
        "accuracy" => {
            let metres = parse_number(field, &value, "12.0 m")?;
            report.accuracy_m = known_non_negative(metres);
        }
        "hdop" => {
            let hdop = parse_number(field, &value, "1.2")?;
            report.hdop = known_non_negative(hdop);
        }
        "batt" | "battery" => {
            let percent = parse_number(field, &value, "87 %")?;
            report.battery_percent = Some(check_battery_percent(field, percent, &value)?);
        }
        "charge" => report.charging = Some(parse_boolean(field, &value)?),
        "mock" => report.mock = Some(parse_boolean(field, &value)?),
        "motion" => report.moving = Some(parse_boolean(field, &value)?),
        _ => keep_extra(report, key, value),
    }
    Ok(())
}

/// Parses the `location=lat,lon` form.
fn parse_location(field: &str, value: &str) -> Result<Coordinates, ParseError> {
    let invalid = || {
        ParseError::new(
            ParseErrorCode::InvalidNumber,
            field,
            format!(
                "invalid location {value:?}, expected latitude,longitude in decimal degrees such as 19.4326,-99.1332"
            ),
        )
        .with_value(value)
        .with_example("19.4326,-99.1332")
    };
    let (latitude, longitude) = value.split_once(',').ok_or_else(invalid)?;
    Ok(Coordinates {
        latitude: latitude.trim().parse().map_err(|_| invalid())?,
        longitude: longitude.trim().parse().map_err(|_| invalid())?,
    })
}

/// Stores an unrecognised parameter as a string, turning a repeated one into an array.
fn keep_extra(report: &mut PositionReport, key: String, value: String) {
    match report.extra.get_mut(&key) {
        None => {
            report.extra.insert(key, Value::String(value));
        }
        Some(Value::Array(values)) => values.push(Value::String(value)),
        Some(existing) => {
            let first = existing.take();
            *existing = Value::Array(vec![first, Value::String(value)]);
        }
    }
}
