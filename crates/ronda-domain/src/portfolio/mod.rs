//! Rules for portfolios without I/O: Mexican addresses, the time zone of an address,
//! contact-hour rules and the person-met gate.
//!
//! The same time zone table, window check and gate exist in TypeScript under
//! `web/src/shared/rules/`, and both implementations must pass every vector in
//! `spec/contact-rules/`.

pub mod address;
pub mod contact;
pub mod error;
pub mod person_met;
pub mod postal_code;
pub mod state;
mod text;
pub mod timezone;

pub use address::{Address, Confidence, GeocodedPoint, Point, StreetNumber, VerifiedPoint};
pub use contact::{
    ClockTime, ContactCheck, ContactRule, RefusalReason, Weekday, WeekdayWindow, Window, check,
};
pub use error::AddressError;
pub use person_met::{CollectionAction, PersonMet, PersonMetRefusal, check_person_met};
pub use postal_code::PostalCode;
pub use state::State;
pub use timezone::{bundled_zone, time_zone, time_zone_name};

/// Folds a place name into a key that compares equal regardless of case, Spanish accents
/// and punctuation, so "Álvaro Obregón" and "ALVARO OBREGON" match.
pub fn fold_place_name(name: &str) -> String {
    text::fold(name)
}
