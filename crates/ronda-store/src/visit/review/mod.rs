//! Reading visits back for review in the console, and deciding the pin corrections that
//! agents propose with them.

pub(crate) mod rows;
pub(crate) mod shared_impl;
pub(crate) mod sql;

use async_trait::async_trait;
use jiff::Timestamp;
use ronda_domain::{OrganizationId, UserId};
use serde::Serialize;
use uuid::Uuid;

use super::{Attachment, Event, StopAddress};
use crate::{Actor, AuditEntry, AuditEvent, StoreResult};

/// Filters and page of [`VisitReviewStore::visits`]. Every filter is optional.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VisitQuery {
    /// Visits that finished at or after this instant.
    pub finished_from: Option<Timestamp>,
    /// Visits that finished before this instant.
    pub finished_before: Option<Timestamp>,
    pub agent_id: Option<UserId>,
    pub lender_id: Option<Uuid>,
    pub portfolio_id: Option<Uuid>,
    pub result_code: Option<String>,
    /// `verified`, `doubtful` or `rejected`.
    pub verdict: Option<String>,
    /// Continue below this visit: the last `(finished_at, id)` of the previous page.
    pub after: Option<(Timestamp, Uuid)>,
    pub limit: u32,
}

/// The state of a pin correction an agent proposed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PinState {
    Pending,
    Approved,
    Rejected,
}

impl PinState {
    pub fn as_str(self) -> &'static str {
        match self {
            PinState::Pending => "pending",
            PinState::Approved => "approved",
            PinState::Rejected => "rejected",
        }
    }
}

/// One row of the visits list.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct VisitSummary {
    pub id: Uuid,
    pub agent_id: UserId,
    pub agent_name: String,
    pub account_id: Uuid,
    pub lender_account_id: String,
    pub lender_id: Uuid,
    pub lender_name: String,
    pub portfolio_id: Uuid,
    pub portfolio_name: String,
    pub debtor_name: Option<String>,
    /// The address as the lender wrote it.
    pub address_text: String,
    pub started_at: Timestamp,
    pub finished_at: Timestamp,
    pub received_at: Timestamp,
    /// `complete` or `waiting_for_attachments`.
    pub status: String,
    pub result_code: Option<String>,
    pub result_label_es: Option<String>,
    pub result_label_en: Option<String>,
    pub verdict: String,
    /// `pin_correction` or `address_not_found`.
    pub exception: Option<String>,
    /// `None` unless the agent proposed a corrected point.
    pub pin_state: Option<PinState>,
    pub assigned_to_agent: bool,
}

/// The check-in as the app recorded it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CheckInRecord {
    pub latitude: f64,
    pub longitude: f64,
    pub accuracy_m: f64,
    pub fix_time: Timestamp,
    pub mock: bool,
    /// The device clock at check-in.
    pub device_time: Timestamp,
    /// Server clock minus device clock, as the app measured it.
    pub server_offset_ms: i64,
    /// `accepted` or `refused`.
    pub on_device_decision: String,
    pub on_device_reasons: serde_json::Value,
}

/// A decision on a proposed pin correction.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PinDecision {
    pub state: PinState,
    pub note: Option<String>,
    pub decided_by: Actor,
    pub decided_at: Timestamp,
}

/// The corrected point an agent proposed, with the supervisor's decision once there is one.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PinCorrection {
    pub latitude: f64,
    pub longitude: f64,
    pub decision: Option<PinDecision>,
}

impl PinCorrection {
    pub fn state(&self) -> PinState {
        self.decision
            .as_ref()
            .map_or(PinState::Pending, |decision| decision.state)
    }
}

/// A stored visit with everything its evidence page shows, except the form definition and
/// the agent's track, which come from their own stores.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct VisitRecord {
    pub summary: VisitSummary,
    pub completed_at: Option<Timestamp>,
    pub account_product: Option<String>,
    pub overdue_cents: Option<i64>,
    pub days_past_due: Option<i32>,
    pub address: StopAddress,
    pub form_version_id: Uuid,
    pub answers: serde_json::Value,
    pub person_met: Option<String>,
    pub promise_amount_cents: Option<i64>,
    pub promise_date: Option<String>,
    pub promise_channel: Option<String>,
    pub check_in: CheckInRecord,
    pub verdict_reasons: serde_json::Value,
    pub pin_correction: Option<PinCorrection>,
}

/// A file a visit declared, and whether it has arrived.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct VisitAttachment {
    pub sha256: String,
    /// `photo`, `signature` or `pin_photo`.
    pub kind: String,
    pub content_type: String,
    pub size_bytes: i64,
    /// The question the file answers.
    pub question: String,
    pub received: bool,
}

/// What a supervisor decides about a proposed pin.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PinVerdict {
    /// The proposed point becomes the address's verified point.
    Approve,
    Reject,
}

/// Result of [`VisitReviewStore::decide_pin_correction`].
#[derive(Clone, Debug, PartialEq)]
pub enum PinDecisionOutcome {
    Decided(PinCorrection),
    /// The visit is not in the organization.
    NotFound,
    /// The visit has no proposed point to decide on.
    NoProposal,
    /// Someone decided before; the stored decision stays.
    AlreadyDecided(PinCorrection),
}

#[async_trait]
pub trait VisitReviewStore: Send + Sync {
    /// Lists the organization's visits that match `query`, newest `finished_at` first.
    async fn visits(
        &self,
        org: OrganizationId,
        query: &VisitQuery,
    ) -> StoreResult<Vec<VisitSummary>>;

    async fn visit_record(&self, org: OrganizationId, id: Uuid)
    -> StoreResult<Option<VisitRecord>>;

    /// Lists the files a visit declared, by question.
    async fn visit_attachments(
        &self,
        org: OrganizationId,
        visit: Uuid,
    ) -> StoreResult<Vec<VisitAttachment>>;

    /// Returns a file only when the visit declared it and it has arrived.
    async fn visit_attachment(
        &self,
        org: OrganizationId,
        visit: Uuid,
        sha256: &str,
    ) -> StoreResult<Option<Attachment>>;

    /// Lists the events whose subject is the visit, oldest first.
    async fn visit_events(&self, org: OrganizationId, visit: Uuid) -> StoreResult<Vec<Event>>;

    /// Lists the audit entries whose target is the visit, oldest first.
    async fn visit_audit(&self, org: OrganizationId, visit: Uuid) -> StoreResult<Vec<AuditEntry>>;

    /// Records the decision on a visit's proposed pin, exactly once. Approving writes the
    /// proposed point as the address's verified point. `audit` is written in the same
    /// transaction, and only when the decision is stored.
    async fn decide_pin_correction(
        &self,
        org: OrganizationId,
        visit: Uuid,
        verdict: PinVerdict,
        note: Option<&str>,
        audit: &AuditEvent,
    ) -> StoreResult<PinDecisionOutcome>;
}
