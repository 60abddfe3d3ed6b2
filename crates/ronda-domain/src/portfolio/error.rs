//! Errors of the portfolio rules. Each variant serializes with a stable `code` that the
//! server turns into a localized message, plus the rejected value.

use serde::Serialize;

/// Rejection of one address field read from a lender's file or typed by a person.
#[derive(Clone, Debug, PartialEq, thiserror::Error, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum AddressError {
    #[error(
        "invalid postal code {value:?}: a Mexican postal code is five digits from 01000 to 99999; \
         write it as text with its leading zero, for example \"01000\""
    )]
    InvalidPostalCode { value: String },
    #[error(
        "unknown state {value:?}: write one of Mexico's 32 states by name, abbreviation or \
         INEGI code, for example \"Jalisco\", \"CDMX\" or \"14\""
    )]
    UnknownState { value: String },
    #[error("invalid confidence {value}: write a number from 0 to 1")]
    InvalidConfidence { value: f64 },
    #[error(
        "invalid point ({latitude}, {longitude}): latitude must be from -90 to 90 and \
         longitude from -180 to 180, in decimal degrees"
    )]
    InvalidPoint { latitude: f64, longitude: f64 },
}
