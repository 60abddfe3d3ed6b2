//! Mexican postal codes ("código postal"), including the ones a spreadsheet turned into
//! numbers and so lost their leading zero.

use serde::{Deserialize, Serialize};

use super::error::AddressError;

/// A Mexican postal code: exactly five ASCII digits, from "01000" to "99999".
///
/// The first two digits identify the state, and no state uses "00", so values below 01000
/// are rejected.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PostalCode(String);

impl PostalCode {
    /// Parses a postal code from the text of a cell, repairing what spreadsheets do to it:
    /// "1000" and "1000.0" (a number that lost its leading zero) become "01000".
    ///
    /// Surrounding whitespace is ignored. Anything else that is not five digits is
    /// rejected with the original value in the error.
    pub fn parse(value: &str) -> Result<Self, AddressError> {
        let text = value.trim();
        let digits = strip_zero_decimals(text);
        let valid = (4..=5).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit());
        if !valid {
            return Err(invalid(value));
        }
        Self::from_digits(digits).ok_or_else(|| invalid(value))
    }

    /// Converts a number read from a spreadsheet cell, such as 1000 or 1000.0, into a
    /// postal code. The number must be a whole number from 1000 to 99999.
    pub fn from_number(value: f64) -> Result<Self, AddressError> {
        let in_range =
            value.is_finite() && value.fract() == 0.0 && (1000.0..=99999.0).contains(&value);
        if !in_range {
            return Err(invalid(&value.to_string()));
        }
        // The range check above makes this cast exact.
        Self::from_integer(value as i64)
    }

    /// Converts an integer such as 1000 into a postal code ("01000").
    pub fn from_integer(value: i64) -> Result<Self, AddressError> {
        if !(1000..=99999).contains(&value) {
            return Err(invalid(&value.to_string()));
        }
        Ok(Self(format!("{value:05}")))
    }

    /// Returns the five digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn from_digits(digits: &str) -> Option<Self> {
        let padded = format!("{digits:0>5}");
        (padded.as_str() >= "01000").then_some(Self(padded))
    }
}

/// Removes a decimal part made only of zeros ("1000.0", "1000.00"), which is how a postal
/// code stored as a number often comes out of a spreadsheet export.
fn strip_zero_decimals(text: &str) -> &str {
    match text.split_once('.') {
        Some((whole, decimals)) if !decimals.is_empty() && decimals.bytes().all(|b| b == b'0') => {
            whole
        }
        _ => text,
    }
}

fn invalid(value: &str) -> AddressError {
    AddressError::InvalidPostalCode {
        value: value.to_owned(),
    }
}

impl TryFrom<String> for PostalCode {
    type Error = AddressError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<PostalCode> for String {
    fn from(code: PostalCode) -> Self {
        code.0
    }
}

impl std::fmt::Display for PostalCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(result: Result<PostalCode, AddressError>) -> String {
        match result {
            Ok(code) => code.as_str().to_owned(),
            Err(error) => panic!("unexpected error: {error}"),
        }
    }

    #[test]
    fn parse_keeps_five_digits() {
        assert_eq!(code(PostalCode::parse("06700")), "06700");
        assert_eq!(code(PostalCode::parse(" 64000 ")), "64000");
        assert_eq!(code(PostalCode::parse("99999")), "99999");
    }

    #[test]
    fn parse_repairs_lost_leading_zero() {
        assert_eq!(code(PostalCode::parse("1000")), "01000");
        assert_eq!(code(PostalCode::parse("1000.0")), "01000");
        assert_eq!(code(PostalCode::parse("6700.00")), "06700");
        assert_eq!(code(PostalCode::parse("64000.0")), "64000");
    }

    #[test]
    fn numbers_from_spreadsheets() {
        assert_eq!(code(PostalCode::from_integer(1000)), "01000");
        assert_eq!(code(PostalCode::from_number(1000.0)), "01000");
        assert_eq!(code(PostalCode::from_number(97000.0)), "97000");
    }

    #[test]
    fn parse_rejects_other_text() {
        for value in [
            "",
            "123",
            "00999",
            "0100",
            "123456",
            "1000.5",
            "1000.",
            "1e3",
            "C.P. 01000",
            "01 000",
            "０１０００",
            "-1000",
            "+1000",
            "abcde",
        ] {
            let error = PostalCode::parse(value).expect_err(value);
            assert_eq!(
                error,
                AddressError::InvalidPostalCode {
                    value: value.to_owned()
                }
            );
        }
    }

    #[test]
    fn numbers_out_of_range_rejected() {
        for value in [999.0, 100000.0, 1000.5, -1000.0, f64::NAN, f64::INFINITY] {
            assert!(PostalCode::from_number(value).is_err(), "{value}");
        }
        for value in [0, 999, 100_000, -5] {
            assert!(PostalCode::from_integer(value).is_err(), "{value}");
        }
    }

    #[test]
    fn error_names_value_and_fix() {
        let message = PostalCode::parse("1234567")
            .expect_err("seven digits")
            .to_string();
        assert!(message.contains("\"1234567\""), "{message}");
        assert!(message.contains("\"01000\""), "{message}");
    }
}
