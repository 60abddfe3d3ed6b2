//! Visits: stored exactly once under the id the app made, judged on arrival, and
//! acknowledged with a receipt the app keeps as proof of delivery.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use jiff::{SignedDuration, Timestamp};
use ronda_domain::checkin::{self, CheckIn, Target, TrackFix, Verdict};
use ronda_domain::portfolio::Point;
use ronda_domain::{OrganizationId, Permission, Role, UserId};
use ronda_store::tracking::PositionStatus;
use ronda_store::visit::{NewVisit, PutVisitOutcome, VisitContext, VisitReceipt};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

use super::answers;
use super::events::VisitSnapshot;
use super::visit_request::{self, CollectionFacts, VisitRequest, timestamp};
use super::{agent_of, publish_events};
use crate::api::organization::organization_rules;
use crate::api::{ApiJson, parse_id};
use crate::auth::Principal;
use crate::error::{ApiError, ErrorBody, ErrorCode, InputProblem};
use crate::state::AppState;

/// How far back the verdict reads the agent's track for the previous position.
const TRACK_BEFORE: SignedDuration = SignedDuration::from_hours(6);
/// How far after the check-in the verdict reads the track, for the next position.
const TRACK_AFTER: SignedDuration = SignedDuration::from_hours(1);

#[derive(Debug, Serialize, ToSchema)]
pub struct ReceiptView {
    pub visit_id: Uuid,
    /// Unix milliseconds.
    pub received_at: i64,
    /// SHA-256 of the visit body in canonical JSON.
    pub content_sha256: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VerdictView {
    /// `verified`, `doubtful` or `rejected`.
    pub outcome: String,
    /// Every finding as `{code, severity, ...measured values}`; see `spec/checkin/README.md`.
    #[schema(value_type = Vec<Object>)]
    pub reasons: Value,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VisitReceiptBody {
    pub receipt: ReceiptView,
    /// `complete` or `waiting_for_attachments`.
    pub status: String,
    /// SHA-256 of each declared file not uploaded yet.
    pub missing_attachments: Vec<String>,
    pub verdict: VerdictView,
    /// False when the account was not assigned to the visiting agent on arrival. The visit
    /// is kept as evidence and flagged for review.
    pub assigned_to_agent: bool,
}

impl From<VisitReceipt> for VisitReceiptBody {
    fn from(receipt: VisitReceipt) -> Self {
        VisitReceiptBody {
            receipt: ReceiptView {
                visit_id: receipt.visit_id,
                received_at: receipt.received_at.as_millisecond(),
                content_sha256: receipt.content_sha256,
            },
            status: receipt.status,
            missing_attachments: receipt.missing_attachments,
            verdict: VerdictView {
                outcome: receipt.verdict,
                reasons: receipt.verdict_reasons,
            },
            assigned_to_agent: receipt.assigned_to_agent,
        }
    }
}

/// Stores a visit under the app's id. The same content again gets the same receipt with
/// 200; other content under the same id gets 409 `visit_conflict`.
#[utoipa::path(put, path = "/api/field/visits/{id}", tag = "field", request_body = VisitRequest,
    params(("id" = Uuid, Path, description = "Visit id made by the app")),
    responses((status = 201, body = VisitReceiptBody, description = "Stored now"),
        (status = 200, body = VisitReceiptBody, description = "Stored before with the same content"),
        (status = 409, body = ErrorBody, description = "visit_conflict"),
        (status = 422, body = answers::AnswerProblemsBody, description = "invalid_answers with each question's problem, or invalid_input naming the field"),
        (status = 403, body = ErrorBody)))]
pub async fn put_visit(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<Value>,
) -> Result<Response, ApiError> {
    let agent = agent_of(&principal)?;
    let org = principal.organization_id;
    let id = parse_id("id", &id)?;
    let content_sha256 = visit_request::content_sha256(&body);

    // A retry after a lost response gets its receipt without being judged again.
    if let Some(receipt) = state.store().visit_receipt(org, id).await? {
        if receipt.content_sha256 != content_sha256 || receipt.agent_id != agent {
            return Err(ApiError::conflict(ErrorCode::VisitConflict, "id"));
        }
        return Ok((StatusCode::OK, Json(VisitReceiptBody::from(receipt))).into_response());
    }

    let request: VisitRequest = parse_request(&body)?;
    let check_in = visit_request::check_in(&request.check_in)?;
    let started_at = timestamp("started_at", request.started_at)?;
    let finished_at = timestamp("finished_at", request.finished_at)?;
    if finished_at < started_at {
        return Err(ApiError::invalid(
            "finished_at",
            InputProblem::Explained {
                es: "«finished_at» no puede ser anterior a «started_at».".to_owned(),
                en: "\"finished_at\" cannot be earlier than \"started_at\".".to_owned(),
            },
        ));
    }
    let attachments = visit_request::attachments(&request.attachments)?;
    let context = state
        .store()
        .visit_context(org, request.account_id, request.address_id)
        .await?
        .ok_or_else(|| ApiError::invalid("address_id", InputProblem::UnknownId))?;
    let checked = answers::check_answers(
        &state,
        org,
        request.form_version_id,
        &request.answers,
        &context,
        finished_at,
    )
    .await;
    if let Err(rejected) = checked {
        return Ok(rejected.into_response(&headers));
    }

    let received_at = Timestamp::now();
    let verdict = judge(&state, org, agent, &context, &check_in, received_at).await?;
    let facts = CollectionFacts::from_answers(&request.answers);
    let visit = build_visit(
        &state,
        &principal,
        VisitParts {
            id,
            agent,
            request: &request,
            body: &body,
            content_sha256,
            context: &context,
            check_in: &check_in,
            verdict: &verdict,
            facts,
            attachments,
            received_at,
            started_at,
            finished_at,
        },
    )
    .await?;

    match state.store().put_visit(&visit).await? {
        PutVisitOutcome::Created { receipt, events } => {
            publish_events(&state, &events);
            log_verdict(&receipt, &verdict);
            Ok((StatusCode::CREATED, Json(VisitReceiptBody::from(receipt))).into_response())
        }
        PutVisitOutcome::Unchanged { receipt, events } => {
            publish_events(&state, &events);
            Ok((StatusCode::OK, Json(VisitReceiptBody::from(receipt))).into_response())
        }
        PutVisitOutcome::Conflict => Err(ApiError::conflict(ErrorCode::VisitConflict, "id")),
    }
}

fn parse_request(body: &Value) -> Result<VisitRequest, ApiError> {
    serde_path_to_error::deserialize(body).map_err(|error| {
        let path = error.path().to_string();
        let message = error.into_inner().to_string();
        let field = match path.as_str() {
            "." => message
                .strip_prefix("missing field `")
                .and_then(|rest| rest.split_once('`'))
                .map_or_else(|| "body".to_owned(), |(field, _)| field.to_owned()),
            _ => path,
        };
        ApiError::invalid(field, InputProblem::Malformed(message))
    })
}

fn log_verdict(receipt: &VisitReceipt, verdict: &Verdict) {
    tracing::info!(
        visit.id = %receipt.visit_id,
        visit.status = %receipt.status,
        visit.verdict = verdict.outcome.as_str(),
        visit.assigned = receipt.assigned_to_agent,
        "visit stored"
    );
}

/// Runs the server's check-in verdict against the address and the agent's track.
async fn judge(
    state: &AppState,
    org: OrganizationId,
    agent: UserId,
    context: &VisitContext,
    check_in: &CheckIn,
    received_at: Timestamp,
) -> Result<Verdict, ApiError> {
    let address = &context.address;
    let rules = organization_rules(state, org).await?;
    let (point, confidence) = match (&address.verified, &address.geocoded) {
        (Some((latitude, longitude)), _) => (Some((*latitude, *longitude)), 1.0),
        (None, Some((latitude, longitude, _, confidence))) => {
            (Some((*latitude, *longitude)), *confidence)
        }
        (None, None) => (None, 0.0),
    };
    let target = Target {
        point: point.map(|(latitude, longitude)| Point {
            latitude,
            longitude,
        }),
        confidence,
        time_zone: address
            .time_zone
            .clone()
            .or(rules.default_time_zone.clone()),
    };
    let at = check_in
        .fix
        .fix_time
        .checked_add(SignedDuration::from_millis(check_in.server_offset_ms))
        .unwrap_or(check_in.fix.fix_time);
    let from = at.checked_sub(TRACK_BEFORE).unwrap_or(at);
    let to = at.checked_add(TRACK_AFTER).unwrap_or(at);
    let positions = state.store().agent_positions(org, agent, from, to).await?;
    let track: Vec<TrackFix> = positions
        .iter()
        .filter_map(|position| {
            let mock = match (position.status, position.flag_reason.as_deref()) {
                (PositionStatus::Accepted, _) => false,
                (PositionStatus::Flagged, Some("mock_location")) => true,
                (PositionStatus::Flagged, Some(super::positions::NOT_CLOCKED_IN)) => false,
                (PositionStatus::Flagged, _) => return None,
            };
            Some(TrackFix {
                time: position.fix_time,
                latitude: position.fix.latitude?,
                longitude: position.fix.longitude?,
                accuracy_m: position.fix.accuracy_m,
                mock,
            })
        })
        .collect();
    Ok(checkin::verdict(
        &rules.checkin,
        &target,
        check_in,
        received_at,
        &track,
    ))
}

struct VisitParts<'a> {
    id: Uuid,
    agent: UserId,
    request: &'a VisitRequest,
    body: &'a Value,
    content_sha256: String,
    context: &'a VisitContext,
    check_in: &'a CheckIn,
    verdict: &'a Verdict,
    facts: CollectionFacts,
    attachments: Vec<ronda_store::visit::DeclaredAttachment>,
    received_at: Timestamp,
    started_at: Timestamp,
    finished_at: Timestamp,
}

/// Assembles the row to store with its events. A visit to an account that is not the
/// agent's is kept and marked, because losing evidence is worse than reviewing it.
async fn build_visit(
    state: &AppState,
    principal: &Principal,
    parts: VisitParts<'_>,
) -> Result<NewVisit, ApiError> {
    let org = principal.organization_id;
    let store = state.store();
    let agent_name = store
        .user(org, parts.agent)
        .await?
        .map(|user| user.name)
        .unwrap_or_default();
    let result_codes = store.result_codes(org).await?;
    let result = parts
        .facts
        .result_code
        .as_deref()
        .and_then(|code| result_codes.iter().find(|entry| entry.code == code));
    let photos = parts
        .attachments
        .iter()
        .filter(|attachment| attachment.kind != "signature")
        .map(|attachment| attachment.sha256.clone())
        .collect();
    let snapshot = VisitSnapshot {
        visit_id: parts.id,
        context: parts.context,
        agent_id: parts.agent.0,
        agent_name: &agent_name,
        finished_at: parts.finished_at,
        facts: &parts.facts,
        result,
        verdict: parts.verdict,
        photos,
    };
    let payload = snapshot.payload();
    let receipt_events = snapshot.receipt_events(&payload);
    let completion_events = snapshot.completion_events(&payload);

    let assignment = parts
        .context
        .current_assignment
        .filter(|(_, assignee)| *assignee == parts.agent)
        .map(|(assignment, _)| assignment);
    let check_in = parts.check_in;
    let request = parts.request;
    let on_device = &request.check_in.on_device;
    Ok(NewVisit {
        id: parts.id,
        organization_id: org,
        agent_id: parts.agent,
        account_id: parts.context.account_id,
        address_id: parts.context.address.id,
        assignment_id: assignment,
        assigned_to_agent: assignment.is_some(),
        form_version_id: request.form_version_id,
        content_sha256: parts.content_sha256,
        received_at: parts.received_at,
        started_at: parts.started_at,
        finished_at: parts.finished_at,
        checkin_latitude: check_in.fix.latitude,
        checkin_longitude: check_in.fix.longitude,
        checkin_accuracy_m: check_in.fix.accuracy_m,
        checkin_fix_time: check_in.fix.fix_time,
        checkin_mock: check_in.fix.mock,
        device_time: check_in.device_time,
        server_offset_ms: check_in.server_offset_ms,
        on_device_decision: on_device.decision.clone(),
        on_device_reasons: Value::Array(on_device.reasons.clone()),
        verdict: parts.verdict.outcome.as_str().to_owned(),
        verdict_reasons: serde_json::to_value(&parts.verdict.reasons)
            .map_err(ApiError::internal)?,
        exception: request.check_in.exception.clone(),
        proposed_point: request
            .check_in
            .proposed_point
            .as_ref()
            .map(|point| (point.latitude, point.longitude)),
        answers: Value::Object(request.answers.clone()),
        result_code: parts.facts.result_code,
        person_met: parts.facts.person_met,
        promise_amount_cents: parts.facts.promise_amount_cents,
        promise_date: parts.facts.promise_date,
        promise_channel: parts.facts.promise_channel,
        body: parts.body.clone(),
        attachments: parts.attachments,
        receipt_events,
        completion_events,
    })
}

/// Returns a visit's receipt, so the app can confirm delivery after a lost response.
/// Agents read their own visits; supervisors, admins and viewers read any of the
/// organization.
#[utoipa::path(get, path = "/api/field/visits/{id}/receipt", tag = "field",
    params(("id" = Uuid, Path, description = "Visit id made by the app")),
    responses((status = 200, body = VisitReceiptBody), (status = 404, body = ErrorBody)))]
pub async fn receipt(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
) -> Result<Json<VisitReceiptBody>, ApiError> {
    let id = parse_id("id", &id)?;
    let receipt = state
        .store()
        .visit_receipt(principal.organization_id, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let own = principal.role == Role::Agent && principal.user_id == Some(receipt.agent_id);
    if !own && !principal.role.allows(Permission::ReadOrganization) {
        // Another agent's visit gets 404, the same as an unknown id.
        return Err(ApiError::not_found());
    }
    Ok(Json(receipt.into()))
}
