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
/// names the field, the value received and what a valid value looks like. The value and
/// the example are also kept apart, so that the server can word the error in Spanish.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{message}")]
pub struct ParseError {
    pub code: ParseErrorCode,
    /// Parameter name, or the dotted path of a JSON field such as `location.coords.latitude`.
    pub field: String,
    pub message: String,
    /// The rejected value as received, cut to [`VALUE_CHARS`] characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// A valid value in no particular language, such as `19.4326` or `87 (0–100)`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub example: Option<String>,
}

/// Longest rejected value an error repeats, in characters.
pub const VALUE_CHARS: usize = 40;

impl ParseError {
    pub(crate) fn new(code: ParseErrorCode, field: &str, message: String) -> Self {
        Self {
            code,
            field: field.to_owned(),
            message,
            value: None,
            example: None,
        }
    }

    pub(crate) fn missing(field: &str, example: &str) -> Self {
        Self::new(
            ParseErrorCode::MissingField,
            field,
            format!("missing {field}, expected for example {example}"),
        )
        .with_example(example)
    }

    /// Keeps the rejected value, cut to [`VALUE_CHARS`] characters, and cuts it in the
    /// English message too, whether quoted there or not.
    pub(crate) fn with_value(mut self, value: impl std::fmt::Display) -> Self {
        let text = value.to_string();
        let mut cut: String = text.chars().take(VALUE_CHARS).collect();
        if cut.len() < text.len() {
            cut.push('…');
            self.message = self
                .message
                .replace(&format!("{text:?}"), &format!("{cut:?}"))
                .replace(&text, &cut);
        }
        self.value = Some(cut);
        self
    }

    pub(crate) fn with_example(mut self, example: &str) -> Self {
        self.example = Some(example.to_owned());
        self
    }
}
