//! Row types of the account page and contact attempts, and their conversion into records.

use ronda_domain::{OrganizationId, UserId};
use sqlx::FromRow;
use sqlx::types::Json;
use uuid::Uuid;

use super::{
    AccountAddress, AccountPerson, AccountVisit, ContactAttempt, ContactChannel, CurrentAssignment,
    PendingAttempt,
};
use crate::portfolio::{GeoPoint, Geocode};
use crate::rows::timestamp;
use crate::{StoreError, StoreResult};

#[derive(FromRow)]
pub(crate) struct AccountRow {
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
    pub custom_fields: Json<serde_json::Value>,
}

#[derive(FromRow)]
pub(crate) struct PersonRow {
    id: Uuid,
    role: String,
    name: String,
    phones: Json<Vec<String>>,
    emails: Json<Vec<String>>,
}

impl From<PersonRow> for AccountPerson {
    fn from(row: PersonRow) -> Self {
        Self {
            id: row.id,
            role: row.role,
            name: row.name,
            phones: row.phones.0,
            emails: row.emails.0,
        }
    }
}

#[derive(FromRow)]
pub(crate) struct AddressRow {
    id: Uuid,
    street: Option<String>,
    exterior_number: Option<String>,
    interior_number: Option<String>,
    colonia: Option<String>,
    postal_code: Option<String>,
    locality: Option<String>,
    municipality: Option<String>,
    state: Option<String>,
    between_streets: Option<String>,
    landmarks: Option<String>,
    original_text: String,
    geocoded_latitude: Option<f64>,
    geocoded_longitude: Option<f64>,
    geocode_source: Option<String>,
    geocode_confidence: Option<f64>,
    verified_latitude: Option<f64>,
    verified_longitude: Option<f64>,
    verified_source: Option<String>,
    time_zone: Option<String>,
    needs_pin: bool,
}

impl From<AddressRow> for AccountAddress {
    fn from(row: AddressRow) -> Self {
        let geocode = match (row.geocoded_latitude, row.geocoded_longitude) {
            (Some(latitude), Some(longitude)) => Some(Geocode {
                point: GeoPoint {
                    latitude,
                    longitude,
                },
                source: row.geocode_source.unwrap_or_default(),
                confidence: row.geocode_confidence.unwrap_or_default(),
            }),
            _ => None,
        };
        let verified = match (row.verified_latitude, row.verified_longitude) {
            (Some(latitude), Some(longitude)) => Some(GeoPoint {
                latitude,
                longitude,
            }),
            _ => None,
        };
        Self {
            id: row.id,
            street: row.street,
            exterior_number: row.exterior_number,
            interior_number: row.interior_number,
            colonia: row.colonia,
            postal_code: row.postal_code,
            locality: row.locality,
            municipality: row.municipality,
            state: row.state,
            between_streets: row.between_streets,
            landmarks: row.landmarks,
            original_text: row.original_text,
            geocode,
            verified,
            verified_source: row.verified_source,
            time_zone: row.time_zone,
            needs_pin: row.needs_pin,
        }
    }
}

#[derive(FromRow)]
pub(crate) struct AssignmentRow {
    id: Uuid,
    agent_id: Uuid,
    agent_name: String,
    assigned_at: i64,
}

impl TryFrom<AssignmentRow> for CurrentAssignment {
    type Error = StoreError;

    fn try_from(row: AssignmentRow) -> StoreResult<Self> {
        Ok(Self {
            assignment_id: row.id,
            agent_id: UserId(row.agent_id),
            agent_name: row.agent_name,
            assigned_at: timestamp("assignments", "assigned_at", row.assigned_at)?,
        })
    }
}

#[derive(FromRow)]
pub(crate) struct VisitRow {
    id: Uuid,
    agent_id: Uuid,
    agent_name: String,
    finished_at: i64,
    result_code: Option<String>,
    result_label_es: Option<String>,
    result_label_en: Option<String>,
    verdict: String,
    person_met: Option<String>,
    promise_amount_cents: Option<i64>,
    promise_date: Option<String>,
}

impl TryFrom<VisitRow> for AccountVisit {
    type Error = StoreError;

    fn try_from(row: VisitRow) -> StoreResult<Self> {
        Ok(Self {
            id: row.id,
            agent_id: UserId(row.agent_id),
            agent_name: row.agent_name,
            finished_at: timestamp("visits", "finished_at", row.finished_at)?,
            result_code: row.result_code,
            result_label_es: row.result_label_es,
            result_label_en: row.result_label_en,
            verdict: row.verdict,
            person_met: row.person_met,
            promise_amount_cents: row.promise_amount_cents,
            promise_date: row.promise_date,
        })
    }
}

#[derive(FromRow)]
pub(crate) struct AttemptRow {
    id: Uuid,
    account_id: Uuid,
    person_id: Option<Uuid>,
    person_name: Option<String>,
    channel: String,
    occurred_at: i64,
    result_code: String,
    result_label_es: Option<String>,
    result_label_en: Option<String>,
    person_met: Option<String>,
    promise_amount_cents: Option<i64>,
    promise_date: Option<String>,
    note: Option<String>,
    recorded_by: Uuid,
    recorded_by_name: String,
    created_at: i64,
}

impl TryFrom<AttemptRow> for ContactAttempt {
    type Error = StoreError;

    fn try_from(row: AttemptRow) -> StoreResult<Self> {
        Ok(Self {
            id: row.id,
            account_id: row.account_id,
            person_id: row.person_id,
            person_name: row.person_name,
            channel: row.channel,
            occurred_at: timestamp("contact_attempts", "occurred_at", row.occurred_at)?,
            result_code: row.result_code,
            result_label_es: row.result_label_es,
            result_label_en: row.result_label_en,
            person_met: row.person_met,
            promise_amount_cents: row.promise_amount_cents,
            promise_date: row.promise_date,
            note: row.note,
            recorded_by: UserId(row.recorded_by),
            recorded_by_name: row.recorded_by_name,
            created_at: timestamp("contact_attempts", "created_at", row.created_at)?,
        })
    }
}

#[derive(FromRow)]
pub(crate) struct PendingAttemptRow {
    id: Uuid,
    organization_id: Uuid,
    recorded_by: Uuid,
    lender_id: Uuid,
    portfolio_id: Uuid,
    occurred_at: i64,
    time_zone: Option<String>,
    zone_state: Option<String>,
    zone_municipality: Option<String>,
    channel: String,
    result_code: String,
    result_class: Option<String>,
    promise_amount_cents: Option<i64>,
}

impl TryFrom<PendingAttemptRow> for PendingAttempt {
    type Error = StoreError;

    fn try_from(row: PendingAttemptRow) -> StoreResult<Self> {
        let channel = ContactChannel::parse(&row.channel).ok_or(StoreError::CorruptRow {
            table: "contact_attempts",
            column: "channel",
            value: row.channel.clone(),
        })?;
        Ok(Self {
            attempt_id: row.id,
            organization_id: OrganizationId(row.organization_id),
            recorded_by: UserId(row.recorded_by),
            lender_id: row.lender_id,
            portfolio_id: row.portfolio_id,
            occurred_at: timestamp("contact_attempts", "occurred_at", row.occurred_at)?,
            time_zone: row.time_zone,
            zone_state: row.zone_state,
            zone_municipality: row.zone_municipality,
            channel,
            result_code: row.result_code,
            result_class: row.result_class,
            promise_amount_cents: row.promise_amount_cents,
        })
    }
}
