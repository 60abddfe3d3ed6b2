//! The account page: one account with its persons, addresses, current agent and contact
//! history (field visits and manual contact attempts, newest first).

use axum::extract::{Path, State};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use ronda_domain::Permission;
use ronda_store::contact::{
    AccountAddress, AccountDetail, AccountPerson, AccountVisit, ContactAttempt,
};
use ronda_store::payment::PromiseOutcome;
use ronda_store::portfolio::GeoPoint;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::contact_attempts;
use super::payments::PromiseOutcomeView;
use crate::api::parse_id;
use crate::auth::Principal;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/accounts/{id}", get(get_account))
        .route(
            "/api/accounts/{id}/contact-attempts",
            post(contact_attempts::record_contact_attempt),
        )
        .route(
            "/api/accounts/{id}/addresses/{address_id}/point",
            put(contact_attempts::set_address_point),
        )
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AccountHeaderView {
    pub id: Uuid,
    pub lender_id: Uuid,
    pub lender_name: String,
    pub portfolio_id: Uuid,
    pub portfolio_name: String,
    pub lender_account_id: String,
    pub product: Option<String>,
    pub principal_cents: Option<i64>,
    pub overdue_cents: Option<i64>,
    pub days_past_due: Option<i32>,
    pub currency: String,
    /// The lender's extra columns, by name.
    #[schema(value_type = Object)]
    pub custom_fields: serde_json::Value,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PersonView {
    pub id: Uuid,
    /// `debtor`, `guarantor` or `reference`.
    pub role: String,
    pub name: String,
    pub phones: Vec<String>,
    pub emails: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MapPointView {
    pub latitude: f64,
    pub longitude: f64,
}

impl From<GeoPoint> for MapPointView {
    fn from(point: GeoPoint) -> Self {
        Self {
            latitude: point.latitude,
            longitude: point.longitude,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GeocodeView {
    pub latitude: f64,
    pub longitude: f64,
    /// `file` when the lender's file had coordinates, or the geocoder's name.
    pub source: String,
    /// From 0 to 1.
    pub confidence: f64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AddressView {
    pub id: Uuid,
    pub street: Option<String>,
    pub exterior_number: Option<String>,
    pub interior_number: Option<String>,
    pub colonia: Option<String>,
    pub postal_code: Option<String>,
    pub locality: Option<String>,
    pub municipality: Option<String>,
    pub state: Option<String>,
    pub between_streets: Option<String>,
    pub landmarks: Option<String>,
    /// The address as the lender wrote it.
    pub original_text: String,
    pub geocode: Option<GeocodeView>,
    pub verified_point: Option<MapPointView>,
    /// `supervisor` for a pin set on the account page; null for older points.
    pub verified_source: Option<String>,
    pub time_zone: Option<String>,
    /// The address has no usable point: a supervisor must pin it on the map.
    pub needs_pin: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AssignmentView {
    pub assignment_id: Uuid,
    pub agent_id: Uuid,
    pub agent_name: String,
    /// Unix milliseconds.
    pub assigned_at: i64,
}

/// One entry of the contact history: a field visit or a manual contact attempt.
#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryEntryView {
    /// `visit` or `contact_attempt`.
    pub kind: &'static str,
    /// The visit id (open it at `/api/visits/{id}`) or the contact attempt id.
    pub id: Uuid,
    /// When the visit finished or the contact happened, Unix milliseconds.
    pub at: i64,
    /// `visit`, `phone`, `email`, `sms` or `whatsapp`.
    pub channel: String,
    /// The visiting agent or the user who recorded the attempt.
    pub user_id: Uuid,
    pub user_name: String,
    pub result_code: Option<String>,
    pub result_label_es: Option<String>,
    pub result_label_en: Option<String>,
    /// The check-in verdict of a visit: `verified`, `doubtful` or `rejected`.
    pub verdict: Option<String>,
    pub person_met: Option<String>,
    /// The account's person contacted by a manual attempt, when one was named.
    pub person_name: Option<String>,
    pub promise_amount_cents: Option<i64>,
    pub promise_date: Option<String>,
    pub note: Option<String>,
    /// Outcome of the entry's promise to pay against imported payments; null without one.
    pub promise_outcome: Option<PromiseOutcomeView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AccountPageBody {
    pub account: AccountHeaderView,
    pub persons: Vec<PersonView>,
    pub addresses: Vec<AddressView>,
    /// The agent who works the account now; null when it is unassigned.
    pub assignment: Option<AssignmentView>,
    /// Visits and manual contact attempts, newest first.
    pub history: Vec<HistoryEntryView>,
}

/// Reads an account with its persons, addresses, current agent and contact history.
/// Every console role may read it; an account of another organization is 404.
#[utoipa::path(get, path = "/api/accounts/{id}", tag = "portfolios",
    params(("id" = Uuid, Path, description = "Account id")),
    responses((status = 200, body = AccountPageBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn get_account(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
) -> Result<Json<AccountPageBody>, ApiError> {
    principal.require(Permission::ReadOrganization)?;
    let id = parse_id("id", &id)?;
    let org = principal.organization_id;
    let store = state.store();
    let detail = store
        .account_detail(org, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let visits = store.account_visits(org, id).await?;
    let attempts = store.contact_attempts(org, id).await?;
    let promises = store.account_promises(org, id).await?;
    Ok(Json(page_body(detail, visits, attempts, promises)))
}

pub(crate) fn page_body(
    detail: AccountDetail,
    visits: Vec<AccountVisit>,
    attempts: Vec<ContactAttempt>,
    promises: Vec<PromiseOutcome>,
) -> AccountPageBody {
    let mut history: Vec<HistoryEntryView> = visits
        .into_iter()
        .map(visit_entry)
        .chain(attempts.into_iter().map(attempt_entry))
        .collect();
    for promise in promises {
        let source = match (promise.visit_id, promise.contact_attempt_id) {
            (Some(visit), _) => ("visit", visit),
            (None, Some(attempt)) => ("contact_attempt", attempt),
            (None, None) => continue,
        };
        if let Some(entry) = history
            .iter_mut()
            .find(|entry| (entry.kind, entry.id) == source)
        {
            entry.promise_outcome = Some(promise.into());
        }
    }
    history.sort_by(|a, b| b.at.cmp(&a.at).then(b.id.cmp(&a.id)));
    AccountPageBody {
        account: AccountHeaderView {
            id: detail.id,
            lender_id: detail.lender_id,
            lender_name: detail.lender_name,
            portfolio_id: detail.portfolio_id,
            portfolio_name: detail.portfolio_name,
            lender_account_id: detail.lender_account_id,
            product: detail.product,
            principal_cents: detail.principal_cents,
            overdue_cents: detail.overdue_cents,
            days_past_due: detail.days_past_due,
            currency: detail.currency,
            custom_fields: detail.custom_fields,
        },
        persons: detail.persons.into_iter().map(person_view).collect(),
        addresses: detail.addresses.into_iter().map(address_view).collect(),
        assignment: detail.assignment.map(|assignment| AssignmentView {
            assignment_id: assignment.assignment_id,
            agent_id: assignment.agent_id.0,
            agent_name: assignment.agent_name,
            assigned_at: assignment.assigned_at.as_millisecond(),
        }),
        history,
    }
}

fn person_view(person: AccountPerson) -> PersonView {
    PersonView {
        id: person.id,
        role: person.role,
        name: person.name,
        phones: person.phones,
        emails: person.emails,
    }
}

pub(crate) fn address_view(address: AccountAddress) -> AddressView {
    AddressView {
        id: address.id,
        street: address.street,
        exterior_number: address.exterior_number,
        interior_number: address.interior_number,
        colonia: address.colonia,
        postal_code: address.postal_code,
        locality: address.locality,
        municipality: address.municipality,
        state: address.state,
        between_streets: address.between_streets,
        landmarks: address.landmarks,
        original_text: address.original_text,
        geocode: address.geocode.map(|geocode| GeocodeView {
            latitude: geocode.point.latitude,
            longitude: geocode.point.longitude,
            source: geocode.source,
            confidence: geocode.confidence,
        }),
        verified_point: address.verified.map(MapPointView::from),
        verified_source: address.verified_source,
        time_zone: address.time_zone,
        needs_pin: address.needs_pin,
    }
}

fn visit_entry(visit: AccountVisit) -> HistoryEntryView {
    HistoryEntryView {
        kind: "visit",
        id: visit.id,
        at: visit.finished_at.as_millisecond(),
        channel: "visit".into(),
        user_id: visit.agent_id.0,
        user_name: visit.agent_name,
        result_code: visit.result_code,
        result_label_es: visit.result_label_es,
        result_label_en: visit.result_label_en,
        verdict: Some(visit.verdict),
        person_met: visit.person_met,
        person_name: None,
        promise_amount_cents: visit.promise_amount_cents,
        promise_date: visit.promise_date,
        note: None,
        promise_outcome: None,
    }
}

pub(crate) fn attempt_entry(attempt: ContactAttempt) -> HistoryEntryView {
    HistoryEntryView {
        kind: "contact_attempt",
        id: attempt.id,
        at: attempt.occurred_at.as_millisecond(),
        channel: attempt.channel,
        user_id: attempt.recorded_by.0,
        user_name: attempt.recorded_by_name,
        result_code: Some(attempt.result_code),
        result_label_es: attempt.result_label_es,
        result_label_en: attempt.result_label_en,
        verdict: None,
        person_met: attempt.person_met,
        person_name: attempt.person_name,
        promise_amount_cents: attempt.promise_amount_cents,
        promise_date: attempt.promise_date,
        note: attempt.note,
        promise_outcome: None,
    }
}
