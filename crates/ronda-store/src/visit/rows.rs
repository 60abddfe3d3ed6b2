//! Field-work rows shared by both backends.

use ronda_domain::{OrganizationId, UserId};
use sqlx::FromRow;
use sqlx::types::Json;
use uuid::Uuid;

use super::{
    DayStop, Event, ResultCode, Shift, StopAddress, StopPerson, VisitContext, VisitReceipt,
};
use crate::rows::timestamp;
use crate::{StoreError, StoreResult};

#[derive(FromRow)]
pub(crate) struct ShiftRow {
    id: Uuid,
    organization_id: Uuid,
    agent_id: Uuid,
    clocked_in_at: i64,
    clocked_out_at: Option<i64>,
}

impl TryFrom<ShiftRow> for Shift {
    type Error = StoreError;

    fn try_from(row: ShiftRow) -> StoreResult<Self> {
        Ok(Shift {
            id: row.id,
            organization_id: OrganizationId(row.organization_id),
            agent_id: UserId(row.agent_id),
            clocked_in_at: timestamp("shifts", "clocked_in_at", row.clocked_in_at)?,
            clocked_out_at: row
                .clocked_out_at
                .map(|ms| timestamp("shifts", "clocked_out_at", ms))
                .transpose()?,
        })
    }
}

#[derive(FromRow)]
pub(crate) struct ResultCodeRow {
    code: String,
    class: String,
    label_es: String,
    label_en: String,
    requires_es: String,
    active: bool,
}

impl From<ResultCodeRow> for ResultCode {
    fn from(row: ResultCodeRow) -> Self {
        ResultCode {
            code: row.code,
            class: row.class,
            label_es: row.label_es,
            label_en: row.label_en,
            requires_es: row.requires_es,
            active: row.active,
        }
    }
}

/// The address columns that both the day package and the visit context select.
#[derive(FromRow)]
pub(crate) struct AddressColumns {
    address_id: Uuid,
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
    time_zone: Option<String>,
    geocoded_latitude: Option<f64>,
    geocoded_longitude: Option<f64>,
    geocode_source: Option<String>,
    geocode_confidence: Option<f64>,
    verified_latitude: Option<f64>,
    verified_longitude: Option<f64>,
}

impl From<AddressColumns> for StopAddress {
    fn from(row: AddressColumns) -> Self {
        let geocoded = match (row.geocoded_latitude, row.geocoded_longitude) {
            (Some(latitude), Some(longitude)) => Some((
                latitude,
                longitude,
                row.geocode_source.unwrap_or_default(),
                row.geocode_confidence.unwrap_or(0.0),
            )),
            _ => None,
        };
        let verified = row.verified_latitude.zip(row.verified_longitude);
        StopAddress {
            id: row.address_id,
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
            time_zone: row.time_zone,
            geocoded,
            verified,
        }
    }
}

#[derive(FromRow)]
pub(crate) struct DayStopRow {
    assignment_id: Uuid,
    account_id: Uuid,
    lender_id: Uuid,
    lender_name: String,
    lender_account_id: String,
    product: Option<String>,
    overdue_cents: Option<i64>,
    days_past_due: Option<i32>,
    #[sqlx(flatten)]
    address: AddressColumns,
    visit_count: i64,
}

impl DayStopRow {
    pub(crate) fn into_stop(self, persons: Vec<StopPerson>) -> DayStop {
        DayStop {
            assignment_id: self.assignment_id,
            account_id: self.account_id,
            lender_id: self.lender_id,
            lender_name: self.lender_name,
            lender_account_id: self.lender_account_id,
            product: self.product,
            overdue_cents: self.overdue_cents,
            days_past_due: self.days_past_due,
            persons,
            address: self.address.into(),
            visited: self.visit_count > 0,
        }
    }

    pub(crate) fn account_id(&self) -> Uuid {
        self.account_id
    }
}

#[derive(FromRow)]
pub(crate) struct DayPersonRow {
    pub(crate) account_id: Uuid,
    role: String,
    name: String,
    phones: Json<Vec<String>>,
}

impl From<DayPersonRow> for StopPerson {
    fn from(row: DayPersonRow) -> Self {
        StopPerson {
            role: row.role,
            name: row.name,
            phones: row.phones.0,
        }
    }
}

#[derive(FromRow)]
pub(crate) struct VisitContextRow {
    account_id: Uuid,
    lender_id: Uuid,
    lender_name: String,
    portfolio_id: Uuid,
    portfolio_name: String,
    lender_account_id: String,
    overdue_cents: Option<i64>,
    debtor_name: Option<String>,
    #[sqlx(flatten)]
    address: AddressColumns,
    assignment_id: Option<Uuid>,
    assignee_id: Option<Uuid>,
}

impl From<VisitContextRow> for VisitContext {
    fn from(row: VisitContextRow) -> Self {
        VisitContext {
            account_id: row.account_id,
            lender_id: row.lender_id,
            lender_name: row.lender_name,
            portfolio_id: row.portfolio_id,
            portfolio_name: row.portfolio_name,
            lender_account_id: row.lender_account_id,
            overdue_cents: row.overdue_cents,
            debtor_name: row.debtor_name,
            address: row.address.into(),
            current_assignment: row.assignment_id.zip(row.assignee_id.map(UserId)),
        }
    }
}

#[derive(FromRow)]
pub(crate) struct ReceiptRow {
    id: Uuid,
    pub(crate) organization_id: Uuid,
    agent_id: Uuid,
    received_at: i64,
    pub(crate) content_sha256: String,
    pub(crate) status: String,
    verdict: String,
    verdict_reasons: Json<serde_json::Value>,
    assigned_to_agent: bool,
}

impl ReceiptRow {
    pub(crate) fn into_receipt(self, missing: Vec<String>) -> StoreResult<VisitReceipt> {
        Ok(VisitReceipt {
            visit_id: self.id,
            agent_id: UserId(self.agent_id),
            received_at: timestamp("visits", "received_at", self.received_at)?,
            content_sha256: self.content_sha256,
            status: self.status,
            missing_attachments: missing,
            verdict: self.verdict,
            verdict_reasons: self.verdict_reasons.0,
            assigned_to_agent: self.assigned_to_agent,
        })
    }
}

#[derive(FromRow)]
pub(crate) struct EventRow {
    id: Uuid,
    organization_id: Uuid,
    kind: String,
    subject_id: Uuid,
    payload: Json<serde_json::Value>,
    occurred_at: i64,
    created_at: i64,
    dispatched_at: Option<i64>,
}

impl TryFrom<EventRow> for Event {
    type Error = StoreError;

    fn try_from(row: EventRow) -> StoreResult<Self> {
        Ok(Event {
            id: row.id,
            organization_id: OrganizationId(row.organization_id),
            kind: row.kind,
            subject_id: row.subject_id,
            payload: row.payload.0,
            occurred_at: timestamp("events", "occurred_at", row.occurred_at)?,
            created_at: timestamp("events", "created_at", row.created_at)?,
            dispatched_at: row
                .dispatched_at
                .map(|ms| timestamp("events", "dispatched_at", ms))
                .transpose()?,
        })
    }
}
