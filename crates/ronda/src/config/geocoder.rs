//! The `[geocoder]` section: a Nominatim-compatible service for addresses imported
//! without coordinates.

use std::time::Duration;

use ronda_server::geocode::GeocoderSettings;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct GeocoderConfig {
    /// Base URL of the service; empty turns geocoding off.
    pub url: String,
    /// Contact address sent with each request.
    pub email: String,
    /// Requests per second the service allows; public Nominatim allows one.
    pub requests_per_second: f64,
    pub timeout_seconds: u64,
}

impl Default for GeocoderConfig {
    fn default() -> Self {
        Self {
            url: String::new(),
            email: String::new(),
            requests_per_second: 1.0,
            timeout_seconds: 10,
        }
    }
}

impl GeocoderConfig {
    /// Checks the values `load` cannot type-check.
    pub fn check(&self) -> anyhow::Result<()> {
        if self.url.is_empty() {
            return Ok(());
        }
        anyhow::ensure!(
            self.url.starts_with("http://") || self.url.starts_with("https://"),
            "invalid configuration: geocoder.url {:?} must start with http:// or https://",
            self.url
        );
        anyhow::ensure!(
            self.requests_per_second.is_finite()
                && self.requests_per_second > 0.0
                && self.requests_per_second <= 1000.0,
            "invalid configuration: geocoder.requests_per_second {} must be above 0 and at most 1000",
            self.requests_per_second
        );
        anyhow::ensure!(
            (1..=120).contains(&self.timeout_seconds),
            "invalid configuration: geocoder.timeout_seconds {} must be from 1 to 120",
            self.timeout_seconds
        );
        Ok(())
    }

    pub fn settings(&self) -> Option<GeocoderSettings> {
        if self.url.is_empty() {
            return None;
        }
        Some(GeocoderSettings {
            url: self.url.clone(),
            email: Some(self.email.clone()).filter(|e| !e.is_empty()),
            min_interval: Duration::from_secs_f64(1.0 / self.requests_per_second.max(0.001)),
            timeout: Duration::from_secs(self.timeout_seconds),
        })
    }
}
