//! Geocoding of imported addresses that came without coordinates. The import commits
//! without calling the geocoder. A worker sends waiting addresses one at a time, at the rate the service
//! allows, and an address it cannot place keeps needing a pin.

pub mod nominatim;

use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use ronda_store::geocode::GeocodeOutcome;
use ronda_store::{Store, StoreResult};

pub use nominatim::Nominatim;

use crate::state::AppState;

/// Connection settings of the geocoder. `None` in the server settings turns geocoding off.
#[derive(Clone, Debug)]
pub struct GeocoderSettings {
    /// Base URL of a Nominatim-compatible service, such as `http://127.0.0.1:8088`.
    pub url: String,
    /// Contact address sent with each request, which public Nominatim requires.
    pub email: Option<String>,
    /// Pause between two requests, from the configured requests per second.
    pub min_interval: Duration,
    pub timeout: Duration,
}

/// Addresses read per pass.
const BATCH: u32 = 50;
/// How often the worker looks for addresses when the last pass found none.
const IDLE_EVERY: Duration = Duration::from_secs(10);
/// Delay before an address whose lookup failed is sent again.
const RETRY_AFTER: SignedDuration = SignedDuration::from_mins(30);

/// Counts of one pass, for logs and tests.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PassCounts {
    pub found: usize,
    pub not_found: usize,
    pub failed: usize,
}

impl PassCounts {
    pub fn total(&self) -> usize {
        self.found + self.not_found + self.failed
    }
}

/// Looks up one batch of waiting addresses, pausing `pause` between requests, and records
/// each result.
pub async fn geocode_pending(
    store: &dyn Store,
    geocoder: &Nominatim,
    pause: Duration,
) -> StoreResult<PassCounts> {
    let mut counts = PassCounts::default();
    let waiting = store.addresses_to_geocode(Timestamp::now(), BATCH).await?;
    for (index, address) in waiting.iter().enumerate() {
        if index > 0 && !pause.is_zero() {
            tokio::time::sleep(pause).await;
        }
        let outcome = match geocoder.geocode(address).await {
            Ok(Some(found)) => {
                counts.found += 1;
                GeocodeOutcome::Found(found)
            }
            Ok(None) => {
                counts.not_found += 1;
                GeocodeOutcome::NotFound
            }
            Err(error) => {
                counts.failed += 1;
                tracing::warn!(address.id = %address.address_id, %error,
                    "geocoding failed; the address is asked about again in 30 minutes");
                GeocodeOutcome::Failed {
                    retry_at: Timestamp::now() + RETRY_AFTER,
                }
            }
        };
        store.record_geocode(address, &outcome).await?;
    }
    Ok(counts)
}

/// Runs the geocoding worker until the live hub closes; `None` when no geocoder is set.
pub fn spawn(state: AppState) -> anyhow::Result<Option<tokio::task::JoinHandle<()>>> {
    let Some(settings) = state.settings().geocoder.clone() else {
        return Ok(None);
    };
    let geocoder = Nominatim::new(&settings.url, settings.email.clone(), settings.timeout)
        .map_err(|error| anyhow::anyhow!("geocoder client: {error}"))?;
    let mut closed = state.live().closed();
    Ok(Some(tokio::spawn(async move {
        loop {
            let pass = geocode_pending(state.store(), &geocoder, settings.min_interval);
            let rest = tokio::select! {
                result = pass => match result {
                    Ok(counts) if counts.total() > 0 => {
                        tracing::info!(found = counts.found, not_found = counts.not_found,
                            failed = counts.failed, "addresses geocoded");
                        settings.min_interval
                    }
                    Ok(_) => IDLE_EVERY,
                    Err(error) => {
                        tracing::warn!(%error, "geocoding pass failed; it runs again in 10 s");
                        IDLE_EVERY
                    }
                },
                _ = closed.changed() => return,
            };
            tokio::select! {
                _ = tokio::time::sleep(rest) => {}
                _ = closed.changed() => return,
            }
        }
    })))
}
