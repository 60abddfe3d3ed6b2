//! The supervisor's decision on the corrected point an agent proposed with a visit.

use axum::Json;
use axum::extract::{Path, State};
use jiff::Timestamp;
use ronda_domain::Role;
use ronda_store::AuditEvent;
use ronda_store::visit::review::{PinDecisionOutcome, PinVerdict};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::visits_detail::{PinCorrectionView, PointView};
use crate::api::{ApiJson, parse_id};
use crate::auth::Principal;
use crate::error::{ApiError, ErrorBody, ErrorCode, InputProblem};
use crate::state::AppState;

const MAX_NOTE_CHARS: usize = 1000;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PinDecisionRequest {
    /// `approve` makes the proposed point the address's verified point; `reject` keeps
    /// the address as it is.
    pub decision: String,
    /// Why, for the audit log; at most 1000 characters.
    pub note: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PinDecisionBody {
    pub pin_correction: PinCorrectionView,
    /// The address's verified point after the decision.
    pub verified_point: Option<PointView>,
}

/// Approves or rejects the point an agent proposed with a `pin_correction` visit. Admins
/// and supervisors only; a visit is decided once, and a second decision gets 409.
#[utoipa::path(post, path = "/api/visits/{id}/pin-correction", tag = "visits",
    request_body = PinDecisionRequest,
    params(("id" = Uuid, Path, description = "Visit id")),
    responses((status = 200, body = PinDecisionBody),
        (status = 403, body = ErrorBody, description = "Not an admin or supervisor"),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "pin_correction_decided or no_pin_correction"),
        (status = 422, body = ErrorBody, description = "invalid_input naming decision or note")))]
pub async fn decide_pin_correction(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<PinDecisionRequest>,
) -> Result<Json<PinDecisionBody>, ApiError> {
    if !matches!(principal.role, Role::Admin | Role::Supervisor) {
        return Err(ApiError::forbidden());
    }
    let id = parse_id("id", &id)?;
    let verdict = match body.decision.as_str() {
        "approve" => PinVerdict::Approve,
        "reject" => PinVerdict::Reject,
        _ => {
            return Err(ApiError::invalid(
                "decision",
                InputProblem::NotOneOf("approve, reject"),
            ));
        }
    };
    let note = parse_note(body.note.as_deref())?;
    let org = principal.organization_id;
    let store = state.store();

    // The record names the address and point for the audit entry; the store checks the
    // proposal again inside its transaction.
    let record = store
        .visit_record(org, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let proposed = record
        .pin_correction
        .as_ref()
        .map(|correction| (correction.latitude, correction.longitude));
    let (action, decision) = match verdict {
        PinVerdict::Approve => ("visit.pin_correction_approved", "approve"),
        PinVerdict::Reject => ("visit.pin_correction_rejected", "reject"),
    };
    let audit = AuditEvent {
        organization_id: org,
        actor: principal.actor(),
        action,
        target_kind: "visit",
        target_id: Some(id.to_string()),
        details: json!({
            "decision": decision,
            "note": note,
            "address_id": record.address.id,
            "latitude": proposed.map(|point| point.0),
            "longitude": proposed.map(|point| point.1),
        }),
        at: Timestamp::now(),
    };
    let outcome = store
        .decide_pin_correction(org, id, verdict, note.as_deref(), &audit)
        .await?;
    let correction = match outcome {
        PinDecisionOutcome::Decided(correction) => correction,
        PinDecisionOutcome::NotFound => return Err(ApiError::not_found()),
        PinDecisionOutcome::NoProposal => {
            return Err(ApiError::conflict(ErrorCode::NoPinCorrection, "decision"));
        }
        PinDecisionOutcome::AlreadyDecided(_) => {
            return Err(ApiError::conflict(
                ErrorCode::PinCorrectionDecided,
                "decision",
            ));
        }
    };
    tracing::info!(visit.id = %id, pin.decision = decision, "pin correction decided");

    let verified_point = store
        .visit_record(org, id)
        .await?
        .and_then(|record| record.address.verified)
        .map(|(latitude, longitude)| PointView {
            latitude,
            longitude,
        });
    Ok(Json(PinDecisionBody {
        pin_correction: correction.into(),
        verified_point,
    }))
}

fn parse_note(note: Option<&str>) -> Result<Option<String>, ApiError> {
    let Some(note) = note.map(str::trim).filter(|note| !note.is_empty()) else {
        return Ok(None);
    };
    if note.chars().count() > MAX_NOTE_CHARS {
        return Err(ApiError::invalid(
            "note",
            InputProblem::Explained {
                es: format!("La nota tiene más de {MAX_NOTE_CHARS} caracteres. Acórtala."),
                en: format!("The note is longer than {MAX_NOTE_CHARS} characters. Shorten it."),
            },
        ));
    }
    Ok(Some(note.to_owned()))
}
