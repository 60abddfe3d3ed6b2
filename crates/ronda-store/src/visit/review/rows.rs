//! Rows of the visit review shared by both backends.

use ronda_domain::UserId;
use sqlx::FromRow;
use sqlx::types::Json;
use uuid::Uuid;

use super::{
    CheckInRecord, PinCorrection, PinDecision, PinState, VisitAttachment, VisitRecord, VisitSummary,
};
use crate::rows::timestamp;
use crate::visit::rows::AddressColumns;
use crate::{Actor, StoreError, StoreResult};

#[derive(FromRow)]
pub(crate) struct PinDecisionColumns {
    #[sqlx(rename = "pin_decision")]
    decision: Option<String>,
    #[sqlx(rename = "pin_note")]
    note: Option<String>,
    #[sqlx(rename = "pin_actor_kind")]
    actor_kind: Option<String>,
    #[sqlx(rename = "pin_actor_id")]
    actor_id: Option<Uuid>,
    #[sqlx(rename = "pin_decided_at")]
    decided_at: Option<i64>,
}

fn corrupt(column: &'static str, value: impl Into<String>) -> StoreError {
    StoreError::CorruptRow {
        table: "visit_pin_decisions",
        column,
        value: value.into(),
    }
}

impl PinDecisionColumns {
    fn into_decision(self) -> StoreResult<Option<PinDecision>> {
        let Some(decision) = self.decision else {
            return Ok(None);
        };
        let state = match decision.as_str() {
            "approved" => PinState::Approved,
            "rejected" => PinState::Rejected,
            _ => return Err(corrupt("decision", decision)),
        };
        let kind = self.actor_kind.unwrap_or_default();
        let decided_by =
            Actor::from_parts(&kind, self.actor_id).ok_or_else(|| corrupt("actor_kind", kind))?;
        let decided_at = timestamp(
            "visit_pin_decisions",
            "decided_at",
            self.decided_at.unwrap_or(i64::MIN),
        )?;
        Ok(Some(PinDecision {
            state,
            note: self.note,
            decided_by,
            decided_at,
        }))
    }
}

#[derive(FromRow)]
pub(crate) struct SummaryRow {
    id: Uuid,
    agent_id: Uuid,
    agent_name: String,
    account_id: Uuid,
    lender_account_id: String,
    lender_id: Uuid,
    lender_name: String,
    portfolio_id: Uuid,
    portfolio_name: String,
    debtor_name: Option<String>,
    address_text: String,
    started_at: i64,
    finished_at: i64,
    received_at: i64,
    status: String,
    result_code: Option<String>,
    result_label_es: Option<String>,
    result_label_en: Option<String>,
    verdict: String,
    exception: Option<String>,
    proposed_latitude: Option<f64>,
    proposed_longitude: Option<f64>,
    #[sqlx(flatten)]
    pin_decision: PinDecisionColumns,
    assigned_to_agent: bool,
}

impl SummaryRow {
    /// Splits the row into the summary and the pin correction it carries.
    fn split(self) -> StoreResult<(VisitSummary, Option<PinCorrection>)> {
        let proposed = match (self.exception.as_deref(), self.proposed_latitude) {
            (Some("pin_correction"), Some(latitude)) => self
                .proposed_longitude
                .map(|longitude| (latitude, longitude)),
            _ => None,
        };
        let decision = self.pin_decision.into_decision()?;
        let pin_correction = proposed.map(|(latitude, longitude)| PinCorrection {
            latitude,
            longitude,
            decision,
        });
        let summary = VisitSummary {
            id: self.id,
            agent_id: UserId(self.agent_id),
            agent_name: self.agent_name,
            account_id: self.account_id,
            lender_account_id: self.lender_account_id,
            lender_id: self.lender_id,
            lender_name: self.lender_name,
            portfolio_id: self.portfolio_id,
            portfolio_name: self.portfolio_name,
            debtor_name: self.debtor_name,
            address_text: self.address_text,
            started_at: timestamp("visits", "started_at", self.started_at)?,
            finished_at: timestamp("visits", "finished_at", self.finished_at)?,
            received_at: timestamp("visits", "received_at", self.received_at)?,
            status: self.status,
            result_code: self.result_code,
            result_label_es: self.result_label_es,
            result_label_en: self.result_label_en,
            verdict: self.verdict,
            exception: self.exception,
            pin_state: pin_correction.as_ref().map(PinCorrection::state),
            assigned_to_agent: self.assigned_to_agent,
        };
        Ok((summary, pin_correction))
    }
}

impl TryFrom<SummaryRow> for VisitSummary {
    type Error = StoreError;

    fn try_from(row: SummaryRow) -> StoreResult<Self> {
        row.split().map(|(summary, _)| summary)
    }
}

#[derive(FromRow)]
pub(crate) struct RecordRow {
    #[sqlx(flatten)]
    summary: SummaryRow,
    completed_at: Option<i64>,
    product: Option<String>,
    overdue_cents: Option<i64>,
    days_past_due: Option<i32>,
    #[sqlx(flatten)]
    address: AddressColumns,
    form_version_id: Uuid,
    answers: Json<serde_json::Value>,
    person_met: Option<String>,
    promise_amount_cents: Option<i64>,
    promise_date: Option<String>,
    promise_channel: Option<String>,
    checkin_latitude: f64,
    checkin_longitude: f64,
    checkin_accuracy_m: f64,
    checkin_fix_time: i64,
    checkin_mock: bool,
    device_time: i64,
    server_offset_ms: i64,
    on_device_decision: String,
    on_device_reasons: Json<serde_json::Value>,
    verdict_reasons: Json<serde_json::Value>,
}

impl TryFrom<RecordRow> for VisitRecord {
    type Error = StoreError;

    fn try_from(row: RecordRow) -> StoreResult<Self> {
        let (summary, pin_correction) = row.summary.split()?;
        Ok(VisitRecord {
            summary,
            completed_at: row
                .completed_at
                .map(|ms| timestamp("visits", "completed_at", ms))
                .transpose()?,
            account_product: row.product,
            overdue_cents: row.overdue_cents,
            days_past_due: row.days_past_due,
            address: row.address.into(),
            form_version_id: row.form_version_id,
            answers: row.answers.0,
            person_met: row.person_met,
            promise_amount_cents: row.promise_amount_cents,
            promise_date: row.promise_date,
            promise_channel: row.promise_channel,
            check_in: CheckInRecord {
                latitude: row.checkin_latitude,
                longitude: row.checkin_longitude,
                accuracy_m: row.checkin_accuracy_m,
                fix_time: timestamp("visits", "checkin_fix_time", row.checkin_fix_time)?,
                mock: row.checkin_mock,
                device_time: timestamp("visits", "device_time", row.device_time)?,
                server_offset_ms: row.server_offset_ms,
                on_device_decision: row.on_device_decision,
                on_device_reasons: row.on_device_reasons.0,
            },
            verdict_reasons: row.verdict_reasons.0,
            pin_correction,
        })
    }
}

#[derive(FromRow)]
pub(crate) struct VisitAttachmentRow {
    sha256: String,
    kind: String,
    content_type: String,
    size_bytes: i64,
    question: String,
    received: bool,
}

impl From<VisitAttachmentRow> for VisitAttachment {
    fn from(row: VisitAttachmentRow) -> Self {
        VisitAttachment {
            sha256: row.sha256,
            kind: row.kind,
            content_type: row.content_type,
            size_bytes: row.size_bytes,
            question: row.question,
            received: row.received,
        }
    }
}

#[derive(FromRow)]
pub(crate) struct PinProposalRow {
    pub(crate) address_id: Uuid,
    pub(crate) exception: Option<String>,
    pub(crate) proposed_latitude: Option<f64>,
    pub(crate) proposed_longitude: Option<f64>,
}

impl PinProposalRow {
    /// Returns the proposed point of a `pin_correction` visit.
    pub(crate) fn point(&self) -> Option<(f64, f64)> {
        if self.exception.as_deref() != Some("pin_correction") {
            return None;
        }
        self.proposed_latitude.zip(self.proposed_longitude)
    }
}

#[derive(FromRow)]
pub(crate) struct PinDecisionRow {
    #[sqlx(flatten)]
    columns: PinDecisionColumns,
}

impl PinDecisionRow {
    pub(crate) fn into_correction(self, point: (f64, f64)) -> StoreResult<PinCorrection> {
        Ok(PinCorrection {
            latitude: point.0,
            longitude: point.1,
            decision: self.columns.into_decision()?,
        })
    }
}
