//! Position ingest from agents' tracking clients: Traccar Client (OsmAnd protocol) and
//! OwnTracks (HTTP mode). These routes sit outside `/api` and use no session or CSRF
//! token, because each message authenticates with its device's identifier and secret.

pub mod cache;
pub mod history;
pub mod osmand;
pub mod owntracks;
mod parse_error;
pub mod rate_limit;
pub mod writer;

use parse_error::parse_error;
pub use writer::StoredPosition;

use std::time::Instant;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::middleware;
use axum::routing::{get, post};
use jiff::Timestamp;
use ronda_domain::tracking::{Classification, FilterConfig, PositionReport, TrackPoint, classify};
use ronda_store::tracking::{
    Device, DeviceKind, NewPosition, PositionFix, PositionStatus, RawMessage, newest_live,
};
use tower_http::trace::TraceLayer;

use crate::auth::secret;
use crate::error::{ApiError, ErrorCode, InputProblem};
use crate::live::LiveEvent;
use crate::state::AppState;

/// Header that carries the device secret on `/tracking/osmand`, for clients that cannot
/// put it in the path.
pub const SECRET_HEADER: &str = "x-ronda-device-secret";

/// Largest message body accepted. One Traccar Client 9 JSON message is about 1 KiB.
const MAX_MESSAGE_BYTES: usize = 64 * 1024;

/// The ingest routes, for merging into the main router.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/tracking/osmand",
            get(osmand::ingest_with_header).post(osmand::ingest_with_header),
        )
        .route(
            "/tracking/osmand/{secret}",
            get(osmand::ingest_with_path).post(osmand::ingest_with_path),
        )
        .route("/tracking/owntracks", post(owntracks::ingest))
        .layer(DefaultBodyLimit::max(MAX_MESSAGE_BYTES))
}

/// Builds the ingest routes as an application of their own, with error bodies and request
/// tracing. `ronda serve` serves it on `tracking.osmand_listen` (port 5055 by default, as
/// Traccar Client expects) besides the main router.
pub fn router(state: AppState) -> Router {
    // Traccar Client posts to the path of its server URL, so a URL of only address and
    // port reaches `/`. The header form handles `/` and names a missing secret.
    routes()
        .route(
            "/",
            get(osmand::ingest_with_header).post(osmand::ingest_with_header),
        )
        .layer(DefaultBodyLimit::max(MAX_MESSAGE_BYTES))
        .layer(middleware::from_fn(crate::error::localize_errors))
        .layer(axum::Extension(crate::error::JsonErrors))
        .layer(TraceLayer::new_for_http().make_span_with(crate::telemetry::request_span))
        .with_state(state)
}

/// Finds the unrevoked device of `kind` with `identifier` and checks `secret` against
/// the stored SHA-256. Every failure gives the same 401, so a caller cannot tell an
/// unknown identifier from a wrong secret.
async fn authenticate(
    state: &AppState,
    kind: DeviceKind,
    identifier: &str,
    secret: Option<&str>,
) -> Result<Device, ApiError> {
    let credentials = state
        .ingest_cache()
        .active_device(state.store(), identifier)
        .await?;
    let sent_hash = secret.map(secret::sha256);
    match (credentials, sent_hash) {
        (Some(credentials), Some(sent_hash))
            if credentials.device.kind == kind
                && hashes_equal(&credentials.secret_hash, &sent_hash) =>
        {
            Ok(credentials.device)
        }
        _ => {
            tracing::debug!(
                device.identifier = identifier,
                "tracking message rejected: unknown or revoked device, or wrong secret"
            );
            Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                ErrorCode::InvalidDeviceCredentials,
            ))
        }
    }
}

/// Returns the 401 for a message that cannot identify its device, with an explanation
/// of what `field` is missing.
fn unidentified(field: &str, es: &str, en: &str) -> ApiError {
    ApiError::Client {
        status: StatusCode::UNAUTHORIZED,
        code: ErrorCode::InvalidDeviceCredentials,
        field: Some(field.to_owned()),
        problem: Some(InputProblem::Explained {
            es: es.to_owned(),
            en: en.to_owned(),
        }),
    }
}

/// Compares two SHA-256 digests in constant time.
fn hashes_equal(a: &[u8; 32], b: &[u8; 32]) -> bool {
    a.iter().zip(b).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
}

/// Classifies an authenticated device's report against its newest accepted position and
/// stores it, flagged or accepted. `raw` is the message as the device sent it.
async fn store_report(
    state: &AppState,
    device: &Device,
    report: &PositionReport,
    received_at: Timestamp,
    raw: serde_json::Value,
) -> Result<StoredPosition, ApiError> {
    check_ingest_limit(state, device.id)?;
    classify_and_store(state, device, report, received_at, raw).await
}

/// Counts one message of `device` against its rate limit, or returns the 429 that names
/// the limit and how long to wait.
pub(crate) fn check_ingest_limit(state: &AppState, device: uuid::Uuid) -> Result<(), ApiError> {
    let limiter = state.ingest_limiter();
    let Err(wait) = limiter.acquire(device, Instant::now()) else {
        return Ok(());
    };
    let wait = wait.as_secs().max(1);
    let limits = limiter.limits();
    let (max, window) = (limits.max_messages, limits.window.as_secs());
    tracing::warn!(device.id = %device, retry_after_secs = wait, "position messages rate limited");
    Err(ApiError::RateLimited {
        retry_after_secs: wait,
        problem: Some(InputProblem::Explained {
            es: format!(
                "Este dispositivo envió {max} mensajes de posición en {window} s, el máximo. \
                 Espera {wait} s antes de enviar más, o sube tracking.max_messages_per_minute \
                 si debe reportar más seguido."
            ),
            en: format!(
                "This device sent {max} position messages in {window} s, the maximum. Wait \
                 {wait} s before sending more, or raise tracking.max_messages_per_minute if \
                 it must report more often."
            ),
        }),
    })
}

/// Classifies and stores one report without the per-device rate limit, for callers that
/// limit a whole batch themselves. Positions of an agent who is not clocked in are stored
/// flagged `not_clocked_in`.
pub(crate) async fn classify_and_store(
    state: &AppState,
    device: &Device,
    report: &PositionReport,
    received_at: Timestamp,
    raw: serde_json::Value,
) -> Result<StoredPosition, ApiError> {
    let raw = RawMessage::new(&raw).map_err(ApiError::internal)?;
    let latest = state
        .ingest_cache()
        .latest_fix(state.store(), device.organization_id, device.id)
        .await?;
    // NOTE: two messages of one device handled at the same moment are both classified
    // against the same newest position. The live position stays right, because the store
    // moves it only forward in time.
    let position =
        classify_report(state, device, latest.as_ref(), report, received_at, raw).await?;
    let mut stored = store_classified(state, vec![position]).await?;
    // The writer returns one position per input.
    stored
        .pop()
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("the writer returned no position")))
}

/// Classifies one report of `device` against `latest`, the newest accepted fix before it,
/// and applies the clock-in rule.
pub(crate) async fn classify_report(
    state: &AppState,
    device: &Device,
    latest: Option<&TrackPoint>,
    report: &PositionReport,
    received_at: Timestamp,
    raw: RawMessage,
) -> Result<NewPosition, ApiError> {
    let classification = classify(latest, report, received_at, &FilterConfig::default());
    let (status, flag_reason, flag_details, older_than_latest) = match classification {
        Classification::Accepted { older_than_latest } => {
            (PositionStatus::Accepted, None, None, older_than_latest)
        }
        Classification::Flagged { reason } => {
            let details = serde_json::to_value(&reason).map_err(ApiError::internal)?;
            let kind = details["kind"].as_str().map(str::to_owned);
            (PositionStatus::Flagged, kind, Some(details), false)
        }
    };
    let (status, flag_reason, flag_details) = crate::api::field::positions::gate_by_shift(
        state,
        device,
        report.fix_time,
        (status, flag_reason, flag_details),
    )
    .await?;

    let coordinates = report.coordinates;
    Ok(NewPosition {
        organization_id: device.organization_id,
        device_id: device.id,
        agent_id: device.agent_id,
        fix_time: report.fix_time,
        received_at,
        fix: PositionFix {
            latitude: coordinates.map(|c| c.latitude),
            longitude: coordinates.map(|c| c.longitude),
            accuracy_m: report.accuracy_m,
            speed_mps: report.speed_mps,
            bearing: report.bearing_deg,
            altitude: report.altitude_m,
            battery_pct: report.battery_percent,
            charging: report.charging,
            mock: report.mock,
        },
        status,
        flag_reason,
        flag_details,
        older_than_latest,
        raw,
    })
}

/// Stores classified positions in one transaction through the writer, then publishes the
/// accepted ones to live subscribers. Returns once they are committed.
pub(crate) async fn store_classified(
    state: &AppState,
    positions: Vec<NewPosition>,
) -> Result<Vec<StoredPosition>, ApiError> {
    let stored = state
        .position_writer()
        .store(positions)
        .await
        .map_err(ApiError::internal)?;
    // The live map shows each agent's newest position, so a field-app batch of hundreds
    // publishes one event per agent, not one per position.
    let positions: Vec<&NewPosition> = stored.iter().map(|stored| &stored.position).collect();
    for index in newest_live(&positions) {
        publish_position(state, positions[index]);
    }
    Ok(stored)
}

/// Tells live subscribers about an accepted position that moves the agent's live position.
fn publish_position(state: &AppState, position: &NewPosition) {
    let (Some(latitude), Some(longitude)) = (position.fix.latitude, position.fix.longitude) else {
        return;
    };
    state.live().publish(LiveEvent {
        organization_id: position.organization_id,
        kind: "position",
        data: serde_json::json!({
            "agent_id": position.agent_id,
            "device_id": position.device_id,
            "fix_time": position.fix_time.as_millisecond(),
            "received_at": position.received_at.as_millisecond(),
            "latitude": latitude,
            "longitude": longitude,
            "accuracy_m": position.fix.accuracy_m,
            "speed_mps": position.fix.speed_mps,
            "battery_pct": position.fix.battery_pct,
            "charging": position.fix.charging,
        }),
    });
}
