//! Values and the XPath 1.0 conversions between them.

use super::dates::text_to_days;
use super::lexer::is_xml_space;

/// The result of evaluating an expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    String(String),
    Number(f64),
    Boolean(bool),
    /// The answers a `${name}` reference selects: one for an ordinary
    /// question, one per instance for a question inside a repeat.
    Nodeset(Vec<String>),
}

impl Value {
    /// Converts to a string: a nodeset gives its first answer or "".
    pub fn to_text(&self) -> String {
        match self {
            Value::String(text) => text.clone(),
            Value::Number(number) => format_number(*number),
            Value::Boolean(true) => "true".to_string(),
            Value::Boolean(false) => "false".to_string(),
            Value::Nodeset(nodes) => nodes.first().cloned().unwrap_or_default(),
        }
    }

    /// Converts to a number. Dates and date-times become days since
    /// 1970-01-01 in the clock's offset; other non-numeric text is NaN.
    pub fn to_number(&self, clock_offset: i32) -> f64 {
        match self {
            Value::Number(number) => *number,
            Value::Boolean(flag) => f64::from(u8::from(*flag)),
            Value::String(text) => text_to_number(text, clock_offset),
            Value::Nodeset(nodes) => nodes
                .first()
                .map_or(f64::NAN, |text| text_to_number(text, clock_offset)),
        }
    }

    /// Converts to a boolean. A nodeset is true when one of its answers is
    /// not blank, so a blank answer tests false.
    pub fn to_boolean(&self) -> bool {
        match self {
            Value::Boolean(flag) => *flag,
            Value::Number(number) => *number != 0.0 && !number.is_nan(),
            Value::String(text) => !text.is_empty(),
            Value::Nodeset(nodes) => nodes.iter().any(|node| !node.is_empty()),
        }
    }

    /// Returns the type name used in test vectors.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::String(_) => "string",
            Value::Number(_) => "number",
            Value::Boolean(_) => "boolean",
            Value::Nodeset(_) => "nodeset",
        }
    }
}

/// Formats a number the XPath 1.0 way: no exponent, integers without a
/// fraction, and "NaN", "Infinity" or "-Infinity" for the special values.
pub fn format_number(number: f64) -> String {
    if number.is_nan() {
        "NaN".to_string()
    } else if number.is_infinite() {
        if number > 0.0 {
            "Infinity"
        } else {
            "-Infinity"
        }
        .to_string()
    } else if number == 0.0 {
        "0".to_string()
    } else {
        // Display prints the shortest digits that read back as the same
        // number, never in exponent form.
        number.to_string()
    }
}

/// Reads text as an XPath number (`-?(\d+(\.\d*)?|\.\d+)` between
/// whitespace) or, failing that, as a date. Anything else is NaN.
pub fn text_to_number(text: &str, clock_offset: i32) -> f64 {
    let trimmed = text.trim_matches(is_xml_space);
    if is_xpath_number(trimmed) {
        return trimmed.parse().unwrap_or(f64::NAN);
    }
    text_to_days(trimmed, clock_offset).unwrap_or(f64::NAN)
}

fn is_xpath_number(text: &str) -> bool {
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };
    let all_digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    let has_digits = !whole.is_empty() || fraction.is_some_and(|f| !f.is_empty());
    has_digits && all_digits(whole) && fraction.is_none_or(all_digits)
}
