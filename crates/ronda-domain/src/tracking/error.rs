//! Rejection of a tracking message, naming the bad field and a valid example.

use serde::Serialize;

/// Stable code of a parse failure. The server turns each one into a localized message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ParseErrorCode {
    /// A required field is absent or empty.
    MissingField,
    /// A field that must be a number is not one.
    InvalidNumber,
    /// A number lies outside the range the field allows.
    OutOfRange,
    /// A field that must be true or false is neither.
    InvalidBoolean,
    /// A time is in none of the accepted formats.
    InvalidTimestamp,
    /// A field has the wrong JSON type, for example a string where an object belongs.
    InvalidType,
    /// The body is not valid JSON.
    InvalidJson,
    /// The query string or form body has a bad percent escape or is not UTF-8.
    InvalidEncoding,
}

/// A rejected message: the field at fault, a stable code and an English message that
/// names the field, the value received and what a valid value looks like.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{message}")]
pub struct ParseError {
    pub code: ParseErrorCode,
    /// Parameter name, or the dotted path of a JSON field such as `location.coords.latitude`.
    pub field: String,
    pub message: String,
}

impl ParseError {
    pub(crate) fn new(code: ParseErrorCode, field: &str, message: String) -> Self {
        Self {
            code,
            field: field.to_owned(),
            message,
        }
    }

    pub(crate) fn missing(field: &str, example: &str) -> Self {
        Self::new(
            ParseErrorCode::MissingField,
            field,
            format!("missing {field}, expected for example {example}"),
        )
    }
}
