//! Addresses waiting for a geocoder, and the geocoder's results. An address is sent only
//! while it has no point at all, and a result is written only if the address has not
//! changed since it was read.

use async_trait::async_trait;
use jiff::Timestamp;
use ronda_domain::OrganizationId;
use uuid::Uuid;

use crate::StoreResult;
use crate::portfolio::Geocode;

/// An address with no point, as the geocoder needs it.
#[derive(Clone, Debug, PartialEq)]
pub struct GeocodeRequest {
    pub organization_id: OrganizationId,
    pub address_id: Uuid,
    /// The address's `geocode_key` when it was read.
    pub key: Option<String>,
    pub street: Option<String>,
    pub exterior_number: Option<String>,
    pub colonia: Option<String>,
    pub postal_code: Option<String>,
    pub locality: Option<String>,
    pub municipality: Option<String>,
    pub state: Option<String>,
}

/// Result of one geocoder lookup.
#[derive(Clone, Debug, PartialEq)]
pub enum GeocodeOutcome {
    Found(Geocode),
    /// The geocoder has no such place; the address keeps needing a pin.
    NotFound,
    /// The lookup failed; it is sent again from `retry_at`.
    Failed {
        retry_at: Timestamp,
    },
}

#[async_trait]
pub trait GeocodeStore: Send + Sync {
    /// Returns addresses with no point that were never sent, or whose last failure may be
    /// retried at `now`, oldest first.
    async fn addresses_to_geocode(
        &self,
        now: Timestamp,
        limit: u32,
    ) -> StoreResult<Vec<GeocodeRequest>>;

    /// Records a lookup's result. Returns `false` and writes nothing when the address
    /// changed or got a point since it was read.
    async fn record_geocode(
        &self,
        request: &GeocodeRequest,
        outcome: &GeocodeOutcome,
    ) -> StoreResult<bool>;
}

pub(crate) mod sql {
    pub(crate) const SELECT_PENDING: &str = "SELECT organization_id, id, geocode_key, street, \
        exterior_number, colonia, postal_code, locality, municipality, state FROM addresses \
        WHERE needs_pin AND geocoded_latitude IS NULL \
        AND (geocode_status IS NULL OR (geocode_status = 'failed' AND geocode_retry_at <= $1)) \
        ORDER BY id LIMIT $2";

    /// Guard shared by the three writes: same organization, same address text, no point.
    macro_rules! guarded {
        ($set:literal) => {
            concat!(
                "UPDATE addresses SET ",
                $set,
                " WHERE organization_id = $1 AND id = $2 \
                 AND COALESCE(geocode_key, '') = COALESCE($3, '') \
                 AND geocoded_latitude IS NULL AND verified_latitude IS NULL"
            )
        };
    }

    pub(crate) const FOUND: &str = guarded!(
        "geocoded_latitude = $4, geocoded_longitude = $5, geocode_source = $6, \
         geocode_confidence = $7, geocode_status = 'found', geocode_retry_at = NULL, \
         needs_pin = FALSE"
    );
    pub(crate) const NOT_FOUND: &str =
        guarded!("geocode_status = 'not_found', geocode_retry_at = NULL");
    pub(crate) const FAILED: &str = guarded!("geocode_status = 'failed', geocode_retry_at = $4");
}

/// Implements [`GeocodeStore`] for a store type.
macro_rules! impl_geocode_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::geocode::GeocodeStore for $store {
            async fn addresses_to_geocode(
                &self,
                now: jiff::Timestamp,
                limit: u32,
            ) -> $crate::StoreResult<Vec<$crate::geocode::GeocodeRequest>> {
                type Row = (
                    uuid::Uuid,
                    uuid::Uuid,
                    Option<String>,
                    Option<String>,
                    Option<String>,
                    Option<String>,
                    Option<String>,
                    Option<String>,
                    Option<String>,
                    Option<String>,
                );
                let rows: Vec<Row> = sqlx::query_as($crate::geocode::sql::SELECT_PENDING)
                    .bind(now.as_millisecond())
                    .bind(i64::from(limit))
                    .fetch_all(&self.pool)
                    .await?;
                Ok(rows
                    .into_iter()
                    .map(|row| $crate::geocode::GeocodeRequest {
                        organization_id: ronda_domain::OrganizationId(row.0),
                        address_id: row.1,
                        key: row.2,
                        street: row.3,
                        exterior_number: row.4,
                        colonia: row.5,
                        postal_code: row.6,
                        locality: row.7,
                        municipality: row.8,
                        state: row.9,
                    })
                    .collect())
            }

            async fn record_geocode(
                &self,
                request: &$crate::geocode::GeocodeRequest,
                outcome: &$crate::geocode::GeocodeOutcome,
            ) -> $crate::StoreResult<bool> {
                use $crate::geocode::{GeocodeOutcome, sql};
                let statement = match outcome {
                    GeocodeOutcome::Found(_) => sql::FOUND,
                    GeocodeOutcome::NotFound => sql::NOT_FOUND,
                    GeocodeOutcome::Failed { .. } => sql::FAILED,
                };
                let query = sqlx::query(statement)
                    .bind(request.organization_id.0)
                    .bind(request.address_id)
                    .bind(&request.key);
                let query = match outcome {
                    GeocodeOutcome::Found(geocode) => query
                        .bind(geocode.point.latitude)
                        .bind(geocode.point.longitude)
                        .bind(&geocode.source)
                        .bind(geocode.confidence),
                    GeocodeOutcome::NotFound => query,
                    GeocodeOutcome::Failed { retry_at } => query.bind(retry_at.as_millisecond()),
                };
                let done = query.execute(&self.pool).await?;
                Ok(done.rows_affected() == 1)
            }
        }
    };
}

pub(crate) use impl_geocode_store;
