//! A client for Nominatim's `/search` API, which self-hosted Nominatim and several hosted
//! services implement. It searches first with the address's structured parts, then with the
//! address as one line (which includes the colonia), and keeps only points in Mexico.

use std::time::Duration;

use reqwest::StatusCode;
use ronda_store::geocode::GeocodeRequest;
use ronda_store::portfolio::{GeoPoint, Geocode};
use serde::Deserialize;

/// Failure of a geocoder request, for logs.
#[derive(Debug, thiserror::Error)]
pub enum GeocodeError {
    #[error("geocoder request failed: {0}")]
    Request(String),
    #[error("geocoder answered HTTP {0}")]
    Status(StatusCode),
    #[error("geocoder answer is not Nominatim JSON: {0}")]
    Body(String),
}

/// A Nominatim-compatible geocoder.
#[derive(Clone, Debug)]
pub struct Nominatim {
    client: reqwest::Client,
    search_url: String,
    email: Option<String>,
    /// Written as the point's source, for example `nominatim`.
    source: String,
}

impl Nominatim {
    /// Builds a client for the service at `base_url` (its `/search` is appended). `email` is
    /// sent with each request, as public Nominatim's usage policy requires of batch users.
    pub fn new(base_url: &str, email: Option<String>, timeout: Duration) -> Result<Self, String> {
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .user_agent(concat!("Ronda/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|error| error.to_string())?;
        Ok(Self {
            client,
            search_url: format!("{}/search", base_url.trim_end_matches('/')),
            email: email.filter(|e| !e.is_empty()),
            source: "nominatim".into(),
        })
    }

    /// Looks up one address. `Ok(None)` means the service found no place in Mexico.
    pub async fn geocode(&self, address: &GeocodeRequest) -> Result<Option<Geocode>, GeocodeError> {
        if let Some(found) = self.search(&structured_query(address)).await? {
            return Ok(Some(found));
        }
        match free_form_query(address) {
            Some(query) => self.search(&query).await,
            None => Ok(None),
        }
    }

    async fn search(&self, query: &[(&str, String)]) -> Result<Option<Geocode>, GeocodeError> {
        if query.is_empty() {
            return Ok(None);
        }
        let mut params: Vec<(&str, String)> = vec![
            ("format", "jsonv2".into()),
            ("limit", "1".into()),
            ("countrycodes", "mx".into()),
        ];
        params.extend_from_slice(query);
        if let Some(email) = &self.email {
            params.push(("email", email.clone()));
        }
        let response = self
            .client
            .get(&self.search_url)
            .query(&params)
            .send()
            .await
            .map_err(|error| GeocodeError::Request(error.to_string()))?;
        if !response.status().is_success() {
            return Err(GeocodeError::Status(response.status()));
        }
        let body = response
            .bytes()
            .await
            .map_err(|error| GeocodeError::Request(error.to_string()))?;
        let places: Vec<Place> =
            serde_json::from_slice(&body).map_err(|error| GeocodeError::Body(error.to_string()))?;
        Ok(places
            .into_iter()
            .find_map(|place| place.into_geocode(&self.source)))
    }
}

/// Structured search: `street` with its number, then the place names and postal code.
fn structured_query(address: &GeocodeRequest) -> Vec<(&'static str, String)> {
    let mut query = Vec::new();
    if let Some(street) = present(&address.street) {
        let number = present(&address.exterior_number).filter(|n| !is_no_number(n));
        let line = match number {
            Some(number) => format!("{number} {street}"),
            None => street.to_owned(),
        };
        query.push(("street", line));
    }
    if let Some(city) = present(&address.locality).or(present(&address.municipality)) {
        query.push(("city", city.to_owned()));
    }
    if let Some(county) = present(&address.municipality) {
        query.push(("county", county.to_owned()));
    }
    if let Some(state) = present(&address.state) {
        query.push(("state", state.to_owned()));
    }
    if let Some(postal_code) = present(&address.postal_code) {
        query.push(("postalcode", postal_code.to_owned()));
    }
    // A query with only a state would place every such address at the state's centre.
    if query.iter().all(|(key, _)| *key == "state") {
        query.clear();
    }
    query
}

/// Builds the address as one line, with the colonia, for services that match text better.
fn free_form_query(address: &GeocodeRequest) -> Option<Vec<(&'static str, String)>> {
    let street = present(&address.street).map(|street| {
        match present(&address.exterior_number).filter(|n| !is_no_number(n)) {
            Some(number) => format!("{street} {number}"),
            None => street.to_owned(),
        }
    });
    let parts: Vec<&str> = [
        street.as_deref(),
        present(&address.colonia),
        present(&address.postal_code),
        present(&address.municipality).or(present(&address.locality)),
        present(&address.state),
    ]
    .into_iter()
    .flatten()
    .collect();
    // Without a street or colonia, the structured query already sent everything known.
    if street.is_none() && present(&address.colonia).is_none() {
        return None;
    }
    Some(vec![("q", parts.join(", "))])
}

fn present(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// "S/N" (sin número) and its spellings.
fn is_no_number(number: &str) -> bool {
    let folded: String = number
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect::<String>()
        .to_lowercase();
    matches!(folded.as_str(), "sn" | "sinnumero" | "sinnúmero")
}

/// One result of `/search?format=jsonv2`. Nominatim writes coordinates as strings; some
/// compatible services write numbers, so both are read.
#[derive(Debug, Deserialize)]
struct Place {
    lat: Coordinate,
    lon: Coordinate,
    #[serde(default)]
    place_rank: Option<u8>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Coordinate {
    Text(String),
    Number(f64),
}

impl Coordinate {
    fn value(&self) -> Option<f64> {
        match self {
            Coordinate::Text(text) => text.trim().parse().ok(),
            Coordinate::Number(number) => Some(*number),
        }
        .filter(|v: &f64| v.is_finite())
    }
}

impl Place {
    fn into_geocode(self, source: &str) -> Option<Geocode> {
        let latitude = self.lat.value()?;
        let longitude = self.lon.value()?;
        if !in_mexico(latitude, longitude) {
            tracing::debug!(latitude, longitude, "geocoder point outside Mexico ignored");
            return None;
        }
        Some(Geocode {
            point: GeoPoint {
                latitude,
                longitude,
            },
            source: source.to_owned(),
            confidence: confidence(self.place_rank),
        })
    }
}

/// Tells whether a point lies in a box around Mexico, islands included, so that places
/// abroad with the same name are dropped.
fn in_mexico(latitude: f64, longitude: f64) -> bool {
    (14.3..=32.8).contains(&latitude) && (-118.5..=-86.6).contains(&longitude)
}

/// Confidence from Nominatim's place rank: 30 is a building or house number, 26–27 a
/// street, 21–25 a colonia or postal code area, 16–20 a town or city.
pub fn confidence(place_rank: Option<u8>) -> f64 {
    match place_rank {
        Some(28..) => 0.9,
        Some(26..=27) => 0.6,
        Some(21..=25) => 0.35,
        Some(16..=20) => 0.15,
        Some(_) => 0.05,
        None => 0.1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ronda_domain::OrganizationId;
    use uuid::Uuid;

    fn address() -> GeocodeRequest {
        GeocodeRequest {
            organization_id: OrganizationId::new(),
            address_id: Uuid::new_v4(),
            key: None,
            street: Some("Av. Insurgentes Sur".into()),
            exterior_number: Some("1602".into()),
            colonia: Some("Crédito Constructor".into()),
            postal_code: Some("03940".into()),
            locality: None,
            municipality: Some("Benito Juárez".into()),
            state: Some("Ciudad de México".into()),
        }
    }

    #[test]
    fn structured_query_number_and_s_n() {
        let query = structured_query(&address());
        assert_eq!(query[0], ("street", "1602 Av. Insurgentes Sur".to_owned()));
        assert!(query.contains(&("city", "Benito Juárez".to_owned())));
        assert!(query.contains(&("postalcode", "03940".to_owned())));
        let mut no_number = address();
        no_number.exterior_number = Some("S/N".into());
        assert_eq!(
            structured_query(&no_number)[0],
            ("street", "Av. Insurgentes Sur".to_owned())
        );
    }

    #[test]
    fn queries_skip_state_only_address() {
        let only_state = GeocodeRequest {
            street: None,
            exterior_number: None,
            colonia: None,
            postal_code: None,
            municipality: None,
            ..address()
        };
        assert!(structured_query(&only_state).is_empty());
        assert!(free_form_query(&only_state).is_none());
    }

    #[test]
    fn free_form_query_includes_the_colonia() {
        let query = free_form_query(&address()).expect("query");
        assert_eq!(
            query[0].1,
            "Av. Insurgentes Sur 1602, Crédito Constructor, 03940, Benito Juárez, Ciudad de México"
        );
    }

    #[test]
    fn place_coordinates_and_abroad() {
        let places: Vec<Place> = serde_json::from_str(
            r#"[{"lat":"19.3727","lon":"-99.1785","place_rank":30},
                {"lat":19.4,"lon":-99.1},
                {"lat":"40.4","lon":"-3.7","place_rank":30}]"#,
        )
        .expect("json");
        let found: Vec<Option<Geocode>> = places
            .into_iter()
            .map(|place| place.into_geocode("nominatim"))
            .collect();
        let first = found[0].as_ref().expect("in Mexico");
        assert_eq!(first.point.latitude, 19.3727);
        assert_eq!(first.confidence, 0.9);
        assert_eq!(found[1].as_ref().expect("numbers").confidence, 0.1);
        assert!(found[2].is_none(), "Madrid is not in Mexico");
    }

    #[test]
    fn rank_maps_to_confidence() {
        assert_eq!(confidence(Some(30)), 0.9);
        assert_eq!(confidence(Some(26)), 0.6);
        assert_eq!(confidence(Some(22)), 0.35);
        assert_eq!(confidence(Some(16)), 0.15);
        assert_eq!(confidence(Some(4)), 0.05);
    }
}
