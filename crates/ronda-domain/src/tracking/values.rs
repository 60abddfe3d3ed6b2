//! Conversions of single field values shared by the message formats.

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;

use super::error::{ParseError, ParseErrorCode};

/// Metres per second in one knot (1852 m per hour).
pub(crate) const MPS_PER_KNOT: f64 = 1852.0 / 3600.0;
/// Metres per second in one kilometre per hour.
pub(crate) const MPS_PER_KMH: f64 = 1000.0 / 3600.0;

pub(crate) const TIMESTAMP_EXAMPLE: &str = "1377177267 (Unix seconds), 1377177267000 (Unix milliseconds), \
     2013-08-22T13:14:27Z (ISO 8601) or 2013-08-22 13:14:27 (UTC)";

/// Parses a decimal number. Rust's float syntax also accepts `NaN` and `inf`, which the
/// position filter classifies as invalid instead of the parser rejecting them.
pub(crate) fn parse_number(field: &str, value: &str, example: &str) -> Result<f64, ParseError> {
    value.trim().parse::<f64>().map_err(|_| {
        ParseError::new(
            ParseErrorCode::InvalidNumber,
            field,
            format!(
                "invalid number {value:?} for {field}, expected a decimal number such as {example}"
            ),
        )
        .with_value(value)
        .with_example(example)
    })
}

/// Parses `true`/`false`, `1`/`0` or `yes`/`no`, in any case.
pub(crate) fn parse_boolean(field: &str, value: &str) -> Result<bool, ParseError> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" => Ok(true),
        "false" | "0" | "no" => Ok(false),
        _ => Err(ParseError::new(
            ParseErrorCode::InvalidBoolean,
            field,
            format!("invalid boolean {value:?} for {field}, expected true or false"),
        )
        .with_value(value)
        .with_example("true")),
    }
}

/// Parses a fix time as Traccar's server reads the OsmAnd `timestamp` parameter. An
/// integer below 2^31 - 1 is Unix seconds, a larger one Unix milliseconds, and a decimal
/// number Unix seconds. Text is ISO 8601 with an offset, or `yyyy-MM-dd HH:mm:ss` in UTC
/// with a space or a `T` between date and time.
pub(crate) fn parse_timestamp(field: &str, value: &str) -> Result<Timestamp, ParseError> {
    let text = value.trim();
    let invalid = || {
        ParseError::new(
            ParseErrorCode::InvalidTimestamp,
            field,
            format!("invalid time {value:?} for {field}, expected {TIMESTAMP_EXAMPLE}"),
        )
        .with_value(value)
    };

    if let Ok(integer) = text.parse::<i64>() {
        return timestamp_from_integer(integer).ok_or_else(invalid);
    }
    if let Ok(seconds) = text.parse::<f64>() {
        return timestamp_from_seconds(seconds).ok_or_else(invalid);
    }
    if let Ok(timestamp) = text.parse::<Timestamp>() {
        return Ok(timestamp);
    }
    let civil = text.parse::<DateTime>().map_err(|_| invalid())?;
    TimeZone::UTC.to_timestamp(civil).map_err(|_| invalid())
}

/// Reads an integer as Unix seconds below 2^31 - 1 and as Unix milliseconds from there on.
pub(crate) fn timestamp_from_integer(value: i64) -> Option<Timestamp> {
    if value < i64::from(i32::MAX) {
        Timestamp::from_second(value).ok()
    } else {
        Timestamp::from_millisecond(value).ok()
    }
}

/// Reads a possibly fractional number of Unix seconds, to millisecond precision.
pub(crate) fn timestamp_from_seconds(seconds: f64) -> Option<Timestamp> {
    if !seconds.is_finite() {
        return None;
    }
    let milliseconds = (seconds * 1000.0).round();
    // i64 milliseconds cover far more than jiff's range, which from_millisecond checks.
    if milliseconds.abs() > 9.0e15 {
        return None;
    }
    Timestamp::from_millisecond(milliseconds as i64).ok()
}

/// Returns `Some(value)` for a known measurement, and `None` for NaN and for the negative
/// values that clients send when a speed, course or accuracy is unknown (transistorsoft
/// sends -1).
pub(crate) fn known_non_negative(value: f64) -> Option<f64> {
    if value >= 0.0 { Some(value) } else { None }
}

/// Checks a battery percentage from 0 to 100.
pub(crate) fn check_battery_percent(
    field: &str,
    percent: f64,
    raw_value: &str,
) -> Result<f64, ParseError> {
    if (0.0..=100.0).contains(&percent) {
        Ok(percent)
    } else {
        Err(ParseError::new(
            ParseErrorCode::OutOfRange,
            field,
            format!(
                "battery level {raw_value} for {field} is out of range, expected a percentage from 0 to 100 such as 87"
            ),
        )
        .with_value(raw_value)
        .with_example("87 (0–100)"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamp_integer_seconds_and_milliseconds() {
        let seconds = parse_timestamp("timestamp", "1377177267").expect("seconds");
        assert_eq!(seconds.as_second(), 1_377_177_267);
        let millis = parse_timestamp("timestamp", "1442068686579").expect("milliseconds");
        assert_eq!(millis.as_millisecond(), 1_442_068_686_579);
    }

    #[test]
    fn timestamp_text_formats() {
        let iso = parse_timestamp("timestamp", "2016-01-27T18:55:47Z").expect("iso");
        assert_eq!(iso.to_string(), "2016-01-27T18:55:47Z");
        let offset = parse_timestamp("timestamp", "2016-01-27T12:55:47-06:00").expect("offset");
        assert_eq!(offset, iso);
        let civil = parse_timestamp("timestamp", "2014-06-04 09:10:11").expect("civil");
        assert_eq!(civil.to_string(), "2014-06-04T09:10:11Z");
        let fraction = parse_timestamp("timestamp", "1377177267.25").expect("fraction");
        assert_eq!(fraction.as_millisecond(), 1_377_177_267_250);
    }

    #[test]
    fn timestamp_rejects_text() {
        let error = parse_timestamp("timestamp", "yesterday").expect_err("text");
        assert_eq!(error.code, ParseErrorCode::InvalidTimestamp);
        assert_eq!(error.field, "timestamp");
        assert!(error.message.contains("1377177267"), "{}", error.message);
    }

    #[test]
    fn boolean_forms() {
        assert_eq!(parse_boolean("mock", "TRUE"), Ok(true));
        assert_eq!(parse_boolean("mock", "0"), Ok(false));
        assert_eq!(
            parse_boolean("mock", "maybe").expect_err("invalid").code,
            ParseErrorCode::InvalidBoolean
        );
    }
}
