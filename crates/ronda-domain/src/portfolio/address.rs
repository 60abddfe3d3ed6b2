//! A Mexican address as a lender sends it and as agents correct it in the field.
//!
//! The lender's text, the geocoded point and the point an agent verified on site are kept
//! apart, because geocoding in Mexico is imprecise and rural addresses are descriptive.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::error::AddressError;
use super::postal_code::PostalCode;
use super::state::State;
use super::timezone::time_zone_name;
use crate::UserId;

/// An exterior or interior number. Numbers in Mexico are often not numeric ("12-B",
/// "Mz 4 Lt 7"), so they stay text, and "sin número" is a value of its own.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum StreetNumber {
    /// The address has no number ("S/N", "sin número").
    WithoutNumber,
    /// The number as written, trimmed.
    Number(String),
}

impl StreetNumber {
    /// Parses a street number. "S/N", "SN", "s.n." and "sin número" become
    /// [`StreetNumber::WithoutNumber`]. Blank text returns `None`.
    pub fn parse(value: &str) -> Option<StreetNumber> {
        let text = value.trim();
        if text.is_empty() {
            return None;
        }
        let key = super::text::fold(text).replace(' ', "");
        if matches!(key.as_str(), "sn" | "sinnumero" | "sinnum" | "sinno") {
            return Some(StreetNumber::WithoutNumber);
        }
        Some(StreetNumber::Number(text.to_owned()))
    }
}

impl std::fmt::Display for StreetNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StreetNumber::WithoutNumber => f.write_str("S/N"),
            StreetNumber::Number(number) => f.write_str(number),
        }
    }
}

/// A WGS 84 position in decimal degrees.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Point {
    pub latitude: f64,
    pub longitude: f64,
}

impl Point {
    /// Checks that both coordinates are finite and within their ranges.
    pub fn new(latitude: f64, longitude: f64) -> Result<Point, AddressError> {
        let valid = (-90.0..=90.0).contains(&latitude) && (-180.0..=180.0).contains(&longitude);
        if !valid {
            return Err(AddressError::InvalidPoint {
                latitude,
                longitude,
            });
        }
        Ok(Point {
            latitude,
            longitude,
        })
    }
}

/// A geocoder's certainty about a point, from 0 (a guess) to 1 (the exact building).
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd, Serialize, Deserialize)]
#[serde(try_from = "f64", into = "f64")]
pub struct Confidence(f64);

impl Confidence {
    pub fn new(value: f64) -> Result<Confidence, AddressError> {
        if !(0.0..=1.0).contains(&value) {
            return Err(AddressError::InvalidConfidence { value });
        }
        Ok(Confidence(value))
    }

    pub fn value(self) -> f64 {
        self.0
    }
}

impl TryFrom<f64> for Confidence {
    type Error = AddressError;

    fn try_from(value: f64) -> Result<Self, Self::Error> {
        Confidence::new(value)
    }
}

impl From<Confidence> for f64 {
    fn from(confidence: Confidence) -> Self {
        confidence.0
    }
}

/// A point computed from the address text, with where it came from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GeocodedPoint {
    pub point: Point,
    /// Origin of the point, for example "lender" (coordinates in the lender's file),
    /// "nominatim" or "map_pin".
    pub source: String,
    pub confidence: Confidence,
}

/// A point an agent confirmed while standing at the address.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VerifiedPoint {
    pub point: Point,
    pub agent_id: UserId,
    pub verified_at: Timestamp,
    /// Horizontal accuracy the agent's device reported, in metres.
    pub accuracy_m: Option<f64>,
}

/// A Mexican address of a debtor, guarantor or reference.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Address {
    pub street: Option<String>,
    pub exterior_number: Option<StreetNumber>,
    pub interior_number: Option<StreetNumber>,
    /// Neighbourhood ("colonia"), the unit a postal code usually covers.
    pub colonia: Option<String>,
    pub postal_code: Option<PostalCode>,
    /// Town or city ("localidad"), which may differ from the municipality's name.
    pub locality: Option<String>,
    /// Municipality, or alcaldía in Mexico City.
    pub municipality: Option<String>,
    pub state: Option<State>,
    /// The cross streets ("entre calles").
    pub between_streets: Option<String>,
    /// Descriptions that help to find the house ("frente a la tienda", "portón verde").
    pub landmarks: Option<String>,
    /// The address exactly as the lender sent it, kept as evidence of what was given.
    pub lender_text: String,
    pub geocoded: Option<GeocodedPoint>,
    pub verified: Option<VerifiedPoint>,
}

impl Address {
    /// Returns the IANA time zone of the address, or `None` while its state is unknown.
    pub fn time_zone_name(&self) -> Option<&'static str> {
        let state = self.state?;
        Some(time_zone_name(state, self.municipality.as_deref()))
    }

    /// Returns the point to navigate to and check in against: the agent-verified point
    /// when there is one, otherwise the geocoded point.
    pub fn best_point(&self) -> Option<Point> {
        match (&self.verified, &self.geocoded) {
            (Some(verified), _) => Some(verified.point),
            (None, Some(geocoded)) => Some(geocoded.point),
            (None, None) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn street_number_without_number() {
        for value in [
            "S/N",
            "s/n",
            "SN",
            "s.n.",
            "Sin número",
            "SIN NUMERO",
            " S / N ",
        ] {
            assert_eq!(
                StreetNumber::parse(value),
                Some(StreetNumber::WithoutNumber),
                "{value}"
            );
        }
        assert_eq!(StreetNumber::WithoutNumber.to_string(), "S/N");
    }

    #[test]
    fn street_number_keeps_text() {
        assert_eq!(
            StreetNumber::parse(" 12-B "),
            Some(StreetNumber::Number("12-B".to_owned()))
        );
        assert_eq!(StreetNumber::parse("   "), None);
    }

    #[test]
    fn confidence_range() {
        assert!(Confidence::new(0.0).is_ok());
        assert!(Confidence::new(1.0).is_ok());
        assert!(Confidence::new(1.01).is_err());
        assert!(Confidence::new(-0.1).is_err());
        assert!(Confidence::new(f64::NAN).is_err());
    }

    #[test]
    fn point_range() {
        assert!(Point::new(19.43, -99.13).is_ok());
        assert!(Point::new(91.0, 0.0).is_err());
        assert!(Point::new(0.0, -181.0).is_err());
        assert!(Point::new(f64::NAN, 0.0).is_err());
    }

    #[test]
    fn address_time_zone_from_state_and_municipality() {
        let address = Address {
            municipality: Some("Juárez".to_owned()),
            state: Some(State::Chihuahua),
            ..Address::default()
        };
        assert_eq!(address.time_zone_name(), Some("America/Ciudad_Juarez"));
        assert_eq!(Address::default().time_zone_name(), None);
    }

    #[test]
    fn verified_point_wins_over_geocoded() {
        let geocoded = Point {
            latitude: 19.0,
            longitude: -99.0,
        };
        let verified = Point {
            latitude: 19.1,
            longitude: -99.1,
        };
        let mut address = Address {
            geocoded: Some(GeocodedPoint {
                point: geocoded,
                source: "nominatim".to_owned(),
                confidence: Confidence(0.4),
            }),
            ..Address::default()
        };
        assert_eq!(address.best_point(), Some(geocoded));
        address.verified = Some(VerifiedPoint {
            point: verified,
            agent_id: UserId::new(),
            verified_at: Timestamp::UNIX_EPOCH,
            accuracy_m: Some(8.0),
        });
        assert_eq!(address.best_point(), Some(verified));
    }
}
