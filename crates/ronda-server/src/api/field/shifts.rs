//! Clock-in and clock-out, and the organization's setting for tracking outside shifts.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use jiff::Timestamp;
use ronda_domain::{Permission, Role};
use ronda_store::visit::{Shift, ShiftOutcome};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::agent_of;
use super::visit_request::timestamp;
use crate::api::{ApiJson, parse_id};
use crate::auth::Principal;
use crate::error::{ApiError, ErrorBody, ErrorCode, InputProblem};
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
pub struct ShiftRequest {
    /// Unix milliseconds.
    pub clocked_in_at: i64,
    /// Unix milliseconds; absent while the shift is open.
    pub clocked_out_at: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ShiftView {
    pub id: Uuid,
    /// Unix milliseconds.
    pub clocked_in_at: i64,
    pub clocked_out_at: Option<i64>,
}

impl From<&Shift> for ShiftView {
    fn from(shift: &Shift) -> Self {
        ShiftView {
            id: shift.id,
            clocked_in_at: shift.clocked_in_at.as_millisecond(),
            clocked_out_at: shift.clocked_out_at.map(Timestamp::as_millisecond),
        }
    }
}

/// Earliest time a shift may have: anything before comes from a phone whose clock was
/// reset, not from a real shift.
const EARLIEST_SHIFT_MS: i64 = 1_577_836_800_000; // 2020-01-01T00:00:00Z
/// How far ahead of the server's clock a phone's clock may run.
const MAX_CLOCK_AHEAD_MS: i64 = 24 * 60 * 60 * 1000;

/// Reads a shift time, refusing times before 2020 and more than a day ahead of `now`.
fn shift_time(field: &str, ms: i64, now: Timestamp) -> Result<Timestamp, ApiError> {
    let at = timestamp(field, ms)?;
    if ms < EARLIEST_SHIFT_MS || ms > now.as_millisecond() + MAX_CLOCK_AHEAD_MS {
        return Err(ApiError::invalid(
            field,
            InputProblem::Explained {
                es: format!(
                    "«{field}» ({at}) no es una hora posible para un turno. Revisa la fecha y \
                     hora del teléfono y vuelve a registrar el turno."
                ),
                en: format!(
                    "\"{field}\" ({at}) is not a possible time for a shift. Check the phone's \
                     date and time and record the shift again."
                ),
            },
        ));
    }
    Ok(at)
}

/// Records a clock-in, or the clock-out of a shift, under the app's id. Sending the same
/// shift again is harmless.
#[utoipa::path(put, path = "/api/field/shifts/{id}", tag = "field", request_body = ShiftRequest,
    params(("id" = Uuid, Path, description = "Shift id made by the app")),
    responses((status = 201, body = ShiftView, description = "Clocked in"),
        (status = 200, body = ShiftView, description = "Clocked out, or already stored"),
        (status = 409, body = ErrorBody, description = "shift_conflict: the id has other times or another agent"),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_shift(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<ShiftRequest>,
) -> Result<(StatusCode, Json<ShiftView>), ApiError> {
    let agent = agent_of(&principal)?;
    let id = parse_id("id", &id)?;
    let now = Timestamp::now();
    let clocked_in_at = shift_time("clocked_in_at", request.clocked_in_at, now)?;
    let clocked_out_at = request
        .clocked_out_at
        .map(|ms| shift_time("clocked_out_at", ms, now))
        .transpose()?;
    if clocked_out_at.is_some_and(|out| out < clocked_in_at) {
        return Err(ApiError::invalid(
            "clocked_out_at",
            InputProblem::Explained {
                es: "«clocked_out_at» no puede ser anterior a «clocked_in_at».".to_owned(),
                en: "\"clocked_out_at\" cannot be earlier than \"clocked_in_at\".".to_owned(),
            },
        ));
    }
    let shift = Shift {
        id,
        organization_id: principal.organization_id,
        agent_id: agent,
        clocked_in_at,
        clocked_out_at,
    };
    let outcome = state.store().put_shift(&shift, Timestamp::now()).await?;
    state
        .ingest_cache()
        .shifts_changed(principal.organization_id, agent);
    match outcome {
        ShiftOutcome::Created(shift) => Ok((StatusCode::CREATED, Json((&shift).into()))),
        ShiftOutcome::ClockedOut(shift) | ShiftOutcome::Unchanged(shift) => {
            Ok((StatusCode::OK, Json((&shift).into())))
        }
        ShiftOutcome::Conflict => Err(ApiError::conflict(ErrorCode::ShiftConflict, "id")),
    }
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct FieldSettings {
    /// Store agents' positions as accepted outside their shifts too. Off by default:
    /// positions of an agent who is not clocked in are stored flagged `not_clocked_in`.
    pub track_outside_shifts: bool,
}

/// Returns the organization's field settings.
#[utoipa::path(get, path = "/api/field/settings", tag = "field",
    responses((status = 200, body = FieldSettings), (status = 403, body = ErrorBody)))]
pub async fn settings(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<FieldSettings>, ApiError> {
    principal.require(Permission::ReadOrganization)?;
    let track_outside_shifts = state
        .store()
        .track_outside_shifts(principal.organization_id)
        .await?;
    Ok(Json(FieldSettings {
        track_outside_shifts,
    }))
}

/// Changes the organization's field settings. Admins only, because tracking outside
/// shifts processes agents' personal data.
#[utoipa::path(put, path = "/api/field/settings", tag = "field", request_body = FieldSettings,
    responses((status = 200, body = FieldSettings), (status = 403, body = ErrorBody)))]
pub async fn set_settings(
    State(state): State<AppState>,
    principal: Principal,
    ApiJson(request): ApiJson<FieldSettings>,
) -> Result<Json<FieldSettings>, ApiError> {
    if principal.role != Role::Admin {
        return Err(ApiError::forbidden());
    }
    let audit = principal.audit(
        "field.settings_changed",
        "organization",
        Some(principal.organization_id.to_string()),
        serde_json::json!({ "track_outside_shifts": request.track_outside_shifts }),
    );
    state
        .store()
        .set_track_outside_shifts(
            principal.organization_id,
            request.track_outside_shifts,
            &audit,
        )
        .await?;
    state
        .ingest_cache()
        .settings_changed(principal.organization_id);
    Ok(Json(request))
}
