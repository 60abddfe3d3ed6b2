//! One visit's evidence for the console: the stored visit with its account, address,
//! form labels, files, events, audit entries and the agent's track around the check-in.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use jiff::SignedDuration;
use ronda_domain::{OrganizationId, Permission, UserId};
use ronda_store::tracking::PositionStatus;
use ronda_store::visit::review::{PinCorrection, VisitAttachment, VisitRecord};
use ronda_store::visit::{Event, StopAddress};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

use super::field::visit_request::parse_sha256;
use super::views::AuditEntryView;
use super::visits::VisitSummaryView;
use super::visits_form::FormView;
use crate::api::parse_id;
use crate::auth::Principal;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;

/// How much of the agent's track before and after the check-in the page shows.
const TRACK_WINDOW: SignedDuration = SignedDuration::from_mins(30);

#[derive(Debug, Serialize, ToSchema)]
pub struct PointView {
    pub latitude: f64,
    pub longitude: f64,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = VisitAddressView)]
pub struct AddressView {
    pub id: Uuid,
    /// The address as the lender wrote it.
    pub text: String,
    pub street: Option<String>,
    pub exterior_number: Option<String>,
    pub interior_number: Option<String>,
    pub colonia: Option<String>,
    pub postal_code: Option<String>,
    pub municipality: Option<String>,
    pub state: Option<String>,
    pub between_streets: Option<String>,
    pub landmarks: Option<String>,
    pub time_zone: Option<String>,
    /// The geocoded point.
    pub point: Option<PointView>,
    /// Source of the geocoded point: `file` or a geocoder's name.
    pub point_source: Option<String>,
    /// 0 to 1.
    pub point_confidence: Option<f64>,
    /// The point a supervisor confirmed.
    pub verified_point: Option<PointView>,
}

impl From<StopAddress> for AddressView {
    fn from(address: StopAddress) -> Self {
        let (point, point_source, point_confidence) = match address.geocoded {
            Some((latitude, longitude, source, confidence)) => (
                Some(PointView {
                    latitude,
                    longitude,
                }),
                Some(source),
                Some(confidence),
            ),
            None => (None, None, None),
        };
        AddressView {
            id: address.id,
            text: address.original_text,
            street: address.street,
            exterior_number: address.exterior_number,
            interior_number: address.interior_number,
            colonia: address.colonia,
            postal_code: address.postal_code,
            municipality: address.municipality,
            state: address.state,
            between_streets: address.between_streets,
            landmarks: address.landmarks,
            time_zone: address.time_zone,
            point,
            point_source,
            point_confidence,
            verified_point: address.verified.map(|(latitude, longitude)| PointView {
                latitude,
                longitude,
            }),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = VisitAccountView)]
pub struct AccountView {
    pub id: Uuid,
    pub lender_account_id: String,
    pub lender_id: Uuid,
    pub lender_name: String,
    pub portfolio_id: Uuid,
    pub portfolio_name: String,
    pub product: Option<String>,
    pub overdue_cents: Option<i64>,
    pub days_past_due: Option<i32>,
    pub debtor_name: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CheckInView {
    pub latitude: f64,
    pub longitude: f64,
    /// Horizontal accuracy radius in metres.
    pub accuracy_m: f64,
    /// Unix milliseconds, device clock.
    pub fix_time: i64,
    pub mock: bool,
    /// The device clock at check-in, Unix milliseconds.
    pub device_time: i64,
    /// Server clock minus device clock, in milliseconds.
    pub server_offset_ms: i64,
    /// `accepted` or `refused`: the app's own decision.
    pub on_device_decision: String,
    #[schema(value_type = Vec<Object>)]
    pub on_device_reasons: Value,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PinCorrectionView {
    pub latitude: f64,
    pub longitude: f64,
    /// `pending`, `approved` or `rejected`.
    pub state: String,
    pub note: Option<String>,
    /// `user` or `api_token`.
    pub decided_by_kind: Option<String>,
    pub decided_by_id: Option<Uuid>,
    /// Unix milliseconds.
    pub decided_at: Option<i64>,
}

impl From<PinCorrection> for PinCorrectionView {
    fn from(correction: PinCorrection) -> Self {
        let state = correction.state().as_str().to_owned();
        let decision = correction.decision;
        let actor = decision.as_ref().map(|decision| match decision.decided_by {
            ronda_store::Actor::User(id) => ("user", Some(id.0)),
            ronda_store::Actor::ApiToken(id) => ("api_token", Some(id)),
            ronda_store::Actor::System => ("system", None),
        });
        PinCorrectionView {
            latitude: correction.latitude,
            longitude: correction.longitude,
            state,
            note: decision.as_ref().and_then(|decision| decision.note.clone()),
            decided_by_kind: actor.map(|(kind, _)| kind.to_owned()),
            decided_by_id: actor.and_then(|(_, id)| id),
            decided_at: decision.map(|decision| decision.decided_at.as_millisecond()),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AttachmentView {
    pub sha256: String,
    /// `photo`, `signature` or `pin_photo`.
    pub kind: String,
    pub content_type: String,
    pub size_bytes: i64,
    /// The question the file answers.
    pub question: String,
    /// False while the app has not uploaded the file yet.
    pub received: bool,
}

impl From<VisitAttachment> for AttachmentView {
    fn from(file: VisitAttachment) -> Self {
        AttachmentView {
            sha256: file.sha256,
            kind: file.kind,
            content_type: file.content_type,
            size_bytes: file.size_bytes,
            question: file.question,
            received: file.received,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EventView {
    pub id: Uuid,
    /// `visit.completed`, `promise.created`, `checkin.rejected` or `account.wrong_party`.
    pub kind: String,
    /// Unix milliseconds.
    pub occurred_at: i64,
    /// Unix milliseconds.
    pub created_at: i64,
    /// Unix milliseconds; absent until notifications fanned the event out.
    pub dispatched_at: Option<i64>,
}

impl From<Event> for EventView {
    fn from(event: Event) -> Self {
        EventView {
            id: event.id,
            kind: event.kind,
            occurred_at: event.occurred_at.as_millisecond(),
            created_at: event.created_at.as_millisecond(),
            dispatched_at: event.dispatched_at.map(|at| at.as_millisecond()),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TrackFixView {
    /// Unix milliseconds.
    pub fix_time: i64,
    pub latitude: f64,
    pub longitude: f64,
    pub accuracy_m: Option<f64>,
    /// The reason the position was flagged, absent for accepted positions.
    pub flag_reason: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VisitDetail {
    #[serde(flatten)]
    pub summary: VisitSummaryView,
    /// Unix milliseconds; absent while files are missing.
    pub completed_at: Option<i64>,
    pub account: AccountView,
    pub address: AddressView,
    pub form: FormView,
    /// Answers by question name; photos and signatures answer with the file's SHA-256.
    #[schema(value_type = Object)]
    pub answers: Value,
    pub person_met: Option<String>,
    pub promise_amount_cents: Option<i64>,
    /// `YYYY-MM-DD`.
    pub promise_date: Option<String>,
    pub promise_channel: Option<String>,
    pub attachments: Vec<AttachmentView>,
    pub check_in: CheckInView,
    /// Every finding of the server's verdict as `{code, severity, ...measured values}`.
    #[schema(value_type = Vec<Object>)]
    pub verdict_reasons: Value,
    pub pin_correction: Option<PinCorrectionView>,
    pub events: Vec<EventView>,
    pub audit: Vec<AuditEntryView>,
    /// The agent's positions from 30 minutes before to 30 minutes after the check-in,
    /// oldest first.
    pub track: Vec<TrackFixView>,
}

/// Returns everything the evidence page of one visit shows.
#[utoipa::path(get, path = "/api/visits/{id}", tag = "visits",
    params(("id" = Uuid, Path, description = "Visit id")),
    responses((status = 200, body = VisitDetail), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn get_visit(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
) -> Result<Json<VisitDetail>, ApiError> {
    principal.require(Permission::ReadOrganization)?;
    let org = principal.organization_id;
    let id = parse_id("id", &id)?;
    let store = state.store();
    let record = store
        .visit_record(org, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let stored_form = store.form_version(org, record.form_version_id).await?;
    let form = FormView::new(record.form_version_id, stored_form).map_err(ApiError::internal)?;
    let attachments = store.visit_attachments(org, id).await?;
    let events = store.visit_events(org, id).await?;
    let audit = store.visit_audit(org, id).await?;
    let track = track_around(&state, org, &record).await?;
    Ok(Json(detail_of(
        record,
        form,
        attachments,
        events,
        audit,
        track,
    )))
}

/// Reads the agent's positions around the check-in, at server time as the verdict does.
async fn track_around(
    state: &AppState,
    org: OrganizationId,
    record: &VisitRecord,
) -> Result<Vec<TrackFixView>, ApiError> {
    let check_in = &record.check_in;
    let at = check_in
        .fix_time
        .checked_add(SignedDuration::from_millis(check_in.server_offset_ms))
        .unwrap_or(check_in.fix_time);
    let from = at.checked_sub(TRACK_WINDOW).unwrap_or(at);
    let to = at.checked_add(TRACK_WINDOW).unwrap_or(at);
    let agent: UserId = record.summary.agent_id;
    let positions = state.store().agent_positions(org, agent, from, to).await?;
    Ok(positions
        .iter()
        .filter_map(|position| {
            Some(TrackFixView {
                fix_time: position.fix_time.as_millisecond(),
                latitude: position.fix.latitude?,
                longitude: position.fix.longitude?,
                accuracy_m: position.fix.accuracy_m,
                flag_reason: (position.status == PositionStatus::Flagged)
                    .then(|| position.flag_reason.clone())
                    .flatten(),
            })
        })
        .collect())
}

fn detail_of(
    record: VisitRecord,
    form: FormView,
    attachments: Vec<VisitAttachment>,
    events: Vec<Event>,
    audit: Vec<ronda_store::AuditEntry>,
    track: Vec<TrackFixView>,
) -> VisitDetail {
    let summary = record.summary;
    let account = AccountView {
        id: summary.account_id,
        lender_account_id: summary.lender_account_id.clone(),
        lender_id: summary.lender_id,
        lender_name: summary.lender_name.clone(),
        portfolio_id: summary.portfolio_id,
        portfolio_name: summary.portfolio_name.clone(),
        product: record.account_product,
        overdue_cents: record.overdue_cents,
        days_past_due: record.days_past_due,
        debtor_name: summary.debtor_name.clone(),
    };
    let check_in = record.check_in;
    VisitDetail {
        summary: summary.into(),
        completed_at: record.completed_at.map(|at| at.as_millisecond()),
        account,
        address: record.address.into(),
        form,
        answers: record.answers,
        person_met: record.person_met,
        promise_amount_cents: record.promise_amount_cents,
        promise_date: record.promise_date,
        promise_channel: record.promise_channel,
        attachments: attachments.into_iter().map(AttachmentView::from).collect(),
        check_in: CheckInView {
            latitude: check_in.latitude,
            longitude: check_in.longitude,
            accuracy_m: check_in.accuracy_m,
            fix_time: check_in.fix_time.as_millisecond(),
            mock: check_in.mock,
            device_time: check_in.device_time.as_millisecond(),
            server_offset_ms: check_in.server_offset_ms,
            on_device_decision: check_in.on_device_decision,
            on_device_reasons: check_in.on_device_reasons,
        },
        verdict_reasons: record.verdict_reasons,
        pin_correction: record.pin_correction.map(PinCorrectionView::from),
        events: events.into_iter().map(EventView::from).collect(),
        audit: audit.into_iter().map(AuditEntryView::from).collect(),
        track,
    }
}

/// Returns a file of the visit with its content type. A file the visit did not declare,
/// or one not uploaded yet, gets 404.
#[utoipa::path(get, path = "/api/visits/{id}/attachments/{sha256}", tag = "visits",
    params(("id" = Uuid, Path, description = "Visit id"),
        ("sha256" = String, Path, description = "Lower-case hex SHA-256")),
    responses((status = 200, description = "The file with its content type"),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_attachment(
    State(state): State<AppState>,
    principal: Principal,
    Path((id, sha256)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    principal.require(Permission::ReadOrganization)?;
    let id = parse_id("id", &id)?;
    let sha256 = parse_sha256("sha256", &sha256)?;
    let file = state
        .store()
        .visit_attachment(principal.organization_id, id, &sha256)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let content_type = HeaderValue::from_str(&file.content_type)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, max-age=31536000, immutable"),
            ),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
        ],
        file.content,
    )
        .into_response())
}
