//! Position batches from the field app, through the same filter, store and live feed as
//! the tracking clients, and the clock-in rule every position passes.

use axum::Json;
use axum::extract::State;
use jiff::Timestamp;
use ronda_domain::tracking::{Coordinates, PositionReport, TimeSource};
use ronda_store::tracking::{Device, PositionStatus, RawMessage};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use super::agent_of;
use super::visit_request::timestamp;
use crate::api::ApiJson;
use crate::auth::Principal;
use crate::error::{ApiError, ErrorBody, InputProblem};
use crate::state::AppState;
use crate::tracking;

/// Positions accepted in one request: about eight hours at one fix a minute.
const MAX_BATCH: usize = 500;

/// The flag reason of a position taken while its agent was not clocked in.
pub const NOT_CLOCKED_IN: &str = "not_clocked_in";

#[derive(Debug, Deserialize, ToSchema)]
pub struct PositionBatch {
    pub positions: Vec<BatchPosition>,
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct BatchPosition {
    /// Unix milliseconds, device clock.
    pub fix_time: i64,
    pub latitude: f64,
    pub longitude: f64,
    /// Horizontal accuracy radius in metres.
    pub accuracy_m: Option<f64>,
    pub speed_mps: Option<f64>,
    /// Degrees clockwise from true north.
    pub bearing: Option<f64>,
    /// Metres.
    pub altitude: Option<f64>,
    /// From 0 to 100.
    pub battery_pct: Option<f64>,
    pub charging: Option<bool>,
    pub mock: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PositionBatchResult {
    /// Positions stored as accepted.
    pub accepted: u32,
    /// Positions stored flagged, with the reason kept on each.
    pub flagged: u32,
}

/// Stores a batch of the agent's positions. Every position is stored, accepted or
/// flagged, and accepted ones move the agent's live position.
#[utoipa::path(post, path = "/api/field/positions", tag = "field", request_body = PositionBatch,
    responses((status = 200, body = PositionBatchResult), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn post_positions(
    State(state): State<AppState>,
    principal: Principal,
    ApiJson(batch): ApiJson<PositionBatch>,
) -> Result<Json<PositionBatchResult>, ApiError> {
    let agent = agent_of(&principal)?;
    if batch.positions.len() > MAX_BATCH {
        return Err(ApiError::invalid(
            "positions",
            InputProblem::OutOfRange {
                min: 0,
                max: MAX_BATCH as i64,
            },
        ));
    }
    let received_at = Timestamp::now();
    let reports = batch
        .positions
        .iter()
        .enumerate()
        .map(|(index, position)| report(index, position))
        .collect::<Result<Vec<_>, _>>()?;

    let device = state
        .ingest_cache()
        .field_device(state.store(), principal.organization_id, agent, received_at)
        .await?;
    tracking::check_ingest_limit(&state, device.id)?;
    let mut latest = state
        .ingest_cache()
        .latest_fix(state.store(), device.organization_id, device.id)
        .await?;
    let mut classified = Vec::with_capacity(reports.len());
    for (report, position) in reports.iter().zip(&batch.positions) {
        let raw = RawMessage::new(position).map_err(ApiError::internal)?;
        let new =
            tracking::classify_report(&state, &device, latest.as_ref(), report, received_at, raw)
                .await?;
        // Each position is judged against the newest accepted one before it, stored or
        // earlier in this batch, as if the batch arrived one position at a time.
        if new.status == PositionStatus::Accepted
            && latest.is_none_or(|point| new.fix_time >= point.time)
        {
            latest = report.track_point();
        }
        classified.push(new);
    }
    let stored = tracking::store_classified(&state, classified).await?;
    let accepted = stored
        .iter()
        .filter(|stored| stored.position.status == PositionStatus::Accepted)
        .count();
    let result = PositionBatchResult {
        accepted: accepted as u32,
        flagged: (stored.len() - accepted) as u32,
    };
    Ok(Json(result))
}

fn report(index: usize, position: &BatchPosition) -> Result<PositionReport, ApiError> {
    let fix_time = timestamp(&format!("positions[{index}].fix_time"), position.fix_time)?;
    let mut report = PositionReport::new(String::new(), fix_time, TimeSource::Device);
    report.coordinates = Some(Coordinates {
        latitude: position.latitude,
        longitude: position.longitude,
    });
    report.accuracy_m = position.accuracy_m;
    report.speed_mps = position.speed_mps;
    report.bearing_deg = position.bearing;
    report.altitude_m = position.altitude;
    report.battery_percent = position.battery_pct;
    report.charging = position.charging;
    report.mock = position.mock;
    Ok(report)
}

/// The filter's verdict on a position: status, flag reason and flag details.
pub type Classified = (PositionStatus, Option<String>, Option<Value>);

/// Applies the clock-in rule: a position of an agent who is not clocked in at its fix time
/// is stored flagged `not_clocked_in`, unless the organization tracks outside shifts. A
/// position the filter already flagged keeps its reason and gets `not_clocked_in: true`
/// in its details. Positions are never dropped, so the evidence stays.
pub async fn gate_by_shift(
    state: &AppState,
    device: &Device,
    fix_time: Timestamp,
    classified: Classified,
) -> Result<Classified, ApiError> {
    let allowed = state
        .ingest_cache()
        .tracking_allowed(
            state.store(),
            device.organization_id,
            device.agent_id,
            fix_time,
        )
        .await?;
    if allowed {
        return Ok(classified);
    }
    let (status, reason, details) = classified;
    Ok(match status {
        PositionStatus::Accepted => (
            PositionStatus::Flagged,
            Some(NOT_CLOCKED_IN.to_owned()),
            Some(serde_json::json!({ "kind": NOT_CLOCKED_IN })),
        ),
        PositionStatus::Flagged => {
            let mut details = details.unwrap_or_else(|| serde_json::json!({}));
            if let Some(object) = details.as_object_mut() {
                object.insert(NOT_CLOCKED_IN.to_owned(), Value::Bool(true));
            }
            (PositionStatus::Flagged, reason, Some(details))
        }
    })
}
