//! Field work: shifts, the result-code catalogue, the agent's day, visits with their
//! evidence, attachments, and the events a visit produces.

pub mod catalogue;
pub mod review;
pub(crate) mod rows;
pub(crate) mod shared_impl;
pub(crate) mod sql;

#[cfg(test)]
mod migration_tests;

use async_trait::async_trait;
use jiff::Timestamp;
use ronda_domain::{OrganizationId, UserId};
use serde::Serialize;
use uuid::Uuid;

use crate::tracking::Device;
use crate::{AuditEvent, StoreResult};

/// How long an open shift counts as clocked in: an agent who forgets to clock out is not
/// tracked for days.
pub const OPEN_SHIFT_MAX_MS: i64 = 16 * 60 * 60 * 1000;

/// A period between clock-in and clock-out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Shift {
    pub id: Uuid,
    pub organization_id: OrganizationId,
    pub agent_id: UserId,
    pub clocked_in_at: Timestamp,
    pub clocked_out_at: Option<Timestamp>,
}

/// Result of [`VisitStore::put_shift`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ShiftOutcome {
    Created(Shift),
    /// The clock-out was recorded on an open shift.
    ClockedOut(Shift),
    /// The shift was already stored with these values, or the request is an older copy.
    Unchanged(Shift),
    /// The id belongs to another agent, or the times contradict the stored ones.
    Conflict,
}

/// One entry of an organization's result-code catalogue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ResultCode {
    pub code: String,
    /// `success`, `reach`, `fail`, `data` or `verification`.
    pub class: String,
    pub label_es: String,
    pub label_en: String,
    /// Data the agent must record with this code.
    pub requires_es: String,
    pub active: bool,
}

/// A person of an account, as the agent needs them in the field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StopPerson {
    /// `debtor`, `guarantor` or `reference`.
    pub role: String,
    pub name: String,
    pub phones: Vec<String>,
}

/// An address of an account with its points.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StopAddress {
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
    pub time_zone: Option<String>,
    /// The geocoded point: latitude, longitude, source and confidence.
    pub geocoded: Option<(f64, f64, String, f64)>,
    pub verified: Option<(f64, f64)>,
}

/// One account of an agent's day: a current assignment and one of its addresses.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DayStop {
    pub assignment_id: Uuid,
    pub account_id: Uuid,
    pub lender_id: Uuid,
    pub lender_name: String,
    pub lender_account_id: String,
    pub product: Option<String>,
    pub overdue_cents: Option<i64>,
    pub days_past_due: Option<i32>,
    pub persons: Vec<StopPerson>,
    pub address: StopAddress,
    /// The agent finished a visit to this account since `since`.
    pub visited: bool,
}

/// Account and address data the server needs to judge and store a visit.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct VisitContext {
    pub account_id: Uuid,
    pub lender_id: Uuid,
    pub lender_name: String,
    pub portfolio_id: Uuid,
    pub portfolio_name: String,
    pub lender_account_id: String,
    pub overdue_cents: Option<i64>,
    pub debtor_name: Option<String>,
    pub address: StopAddress,
    /// The account's current assignment and its agent.
    pub current_assignment: Option<(Uuid, UserId)>,
}

/// A file a visit declares.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DeclaredAttachment {
    /// Lower-case hex SHA-256 of the file.
    pub sha256: String,
    /// `photo`, `signature` or `pin_photo`.
    pub kind: String,
    pub content_type: String,
    pub size_bytes: i64,
    /// The question the file answers.
    pub question: String,
}

/// An event to write with the change that caused it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NewEvent {
    pub id: Uuid,
    /// `visit.completed`, `promise.created`, `checkin.rejected` or `account.wrong_party`.
    pub kind: String,
    pub subject_id: Uuid,
    pub payload: serde_json::Value,
    pub occurred_at: Timestamp,
}

/// A stored event.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Event {
    pub id: Uuid,
    pub organization_id: OrganizationId,
    pub kind: String,
    pub subject_id: Uuid,
    pub payload: serde_json::Value,
    pub occurred_at: Timestamp,
    pub created_at: Timestamp,
    pub dispatched_at: Option<Timestamp>,
}

/// A received visit, ready to store. Its values were checked by the caller.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NewVisit {
    pub id: Uuid,
    pub organization_id: OrganizationId,
    pub agent_id: UserId,
    pub account_id: Uuid,
    pub address_id: Uuid,
    pub assignment_id: Option<Uuid>,
    pub assigned_to_agent: bool,
    pub form_version_id: Uuid,
    pub content_sha256: String,
    pub received_at: Timestamp,
    pub started_at: Timestamp,
    pub finished_at: Timestamp,
    pub checkin_latitude: f64,
    pub checkin_longitude: f64,
    pub checkin_accuracy_m: f64,
    pub checkin_fix_time: Timestamp,
    pub checkin_mock: bool,
    pub device_time: Timestamp,
    pub server_offset_ms: i64,
    /// `accepted` or `refused`.
    pub on_device_decision: String,
    pub on_device_reasons: serde_json::Value,
    /// `verified`, `doubtful` or `rejected`.
    pub verdict: String,
    pub verdict_reasons: serde_json::Value,
    /// `pin_correction` or `address_not_found`.
    pub exception: Option<String>,
    pub proposed_point: Option<(f64, f64)>,
    pub answers: serde_json::Value,
    pub result_code: Option<String>,
    pub person_met: Option<String>,
    pub promise_amount_cents: Option<i64>,
    pub promise_date: Option<String>,
    pub promise_channel: Option<String>,
    pub body: serde_json::Value,
    pub attachments: Vec<DeclaredAttachment>,
    /// Written at once, such as `checkin.rejected`.
    pub receipt_events: Vec<NewEvent>,
    /// Written when the visit is complete: at once, or when its last attachment arrives.
    pub completion_events: Vec<NewEvent>,
}

/// The server's acknowledgement of a stored visit.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct VisitReceipt {
    pub visit_id: Uuid,
    pub agent_id: UserId,
    pub received_at: Timestamp,
    pub content_sha256: String,
    /// `complete` or `waiting_for_attachments`.
    pub status: String,
    pub missing_attachments: Vec<String>,
    pub verdict: String,
    pub verdict_reasons: serde_json::Value,
    pub assigned_to_agent: bool,
}

/// Result of [`VisitStore::put_visit`]. `events` lists the events written, for the
/// caller to publish after commit.
#[derive(Clone, Debug, PartialEq)]
pub enum PutVisitOutcome {
    Created {
        receipt: VisitReceipt,
        events: Vec<Event>,
    },
    /// The same content was stored before; nothing new was written unless the visit
    /// became complete now.
    Unchanged {
        receipt: VisitReceipt,
        events: Vec<Event>,
    },
    /// The id is taken by a visit with different content, or by another organization.
    Conflict,
}

/// A stored file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attachment {
    pub sha256: String,
    pub content_type: String,
    pub content: Vec<u8>,
}

/// Result of [`VisitStore::put_attachment`].
#[derive(Clone, Debug, PartialEq)]
pub struct PutAttachmentOutcome {
    /// False when the organization already had the file.
    pub created: bool,
    /// Visits that became complete with this file.
    pub completed_visits: Vec<Uuid>,
    pub events: Vec<Event>,
}

#[async_trait]
pub trait VisitStore: Send + Sync {
    /// Returns whether the organization tracks agents outside their shifts.
    async fn track_outside_shifts(&self, org: OrganizationId) -> StoreResult<bool>;

    async fn set_track_outside_shifts(
        &self,
        org: OrganizationId,
        allowed: bool,
        audit: &AuditEvent,
    ) -> StoreResult<()>;

    /// Creates a shift, or records the clock-out of a stored one. Idempotent: the same
    /// request again is `Unchanged`.
    async fn put_shift(&self, shift: &Shift, now: Timestamp) -> StoreResult<ShiftOutcome>;

    /// Returns the agent's newest shift that is still open.
    async fn open_shift(&self, org: OrganizationId, agent: UserId) -> StoreResult<Option<Shift>>;

    /// Returns whether positions of the agent at `at` may be tracked: the organization
    /// tracks outside shifts, or a shift covers `at`. An open shift covers at most
    /// [`OPEN_SHIFT_MAX_MS`] after its clock-in.
    async fn tracking_allowed(
        &self,
        org: OrganizationId,
        agent: UserId,
        at: Timestamp,
    ) -> StoreResult<bool>;

    /// Returns the agent's field-app device, creating it on first use.
    async fn field_device(
        &self,
        org: OrganizationId,
        agent: UserId,
        now: Timestamp,
    ) -> StoreResult<Device>;

    /// Lists the organization's result codes in catalogue order. An organization without
    /// any gets the shipped default first, in the same transaction.
    async fn result_codes(&self, org: OrganizationId) -> StoreResult<Vec<ResultCode>>;

    /// Lists the agent's current assignments with each address of the account. `visited`
    /// is true when the agent finished a visit to the account at or after `since`.
    async fn day_stops(
        &self,
        org: OrganizationId,
        agent: UserId,
        since: Timestamp,
    ) -> StoreResult<Vec<DayStop>>;

    /// Returns what a visit to `address` of `account` needs, or `None` when either is not
    /// in `org` or the address is not the account's.
    async fn visit_context(
        &self,
        org: OrganizationId,
        account: Uuid,
        address: Uuid,
    ) -> StoreResult<Option<VisitContext>>;

    /// Stores a visit under its client-made id, exactly once. A second request with the
    /// same content hash gets the stored receipt; different content gets `Conflict`.
    async fn put_visit(&self, visit: &NewVisit) -> StoreResult<PutVisitOutcome>;

    /// Returns the receipt of a visit of `org`.
    async fn visit_receipt(
        &self,
        org: OrganizationId,
        id: Uuid,
    ) -> StoreResult<Option<VisitReceipt>>;

    /// Stores a file under its SHA-256, once per organization, and completes every visit
    /// that was waiting only for it, writing their completion events.
    async fn put_attachment(
        &self,
        org: OrganizationId,
        sha256: &str,
        content_type: &str,
        content: &[u8],
        now: Timestamp,
    ) -> StoreResult<PutAttachmentOutcome>;

    async fn attachment(
        &self,
        org: OrganizationId,
        sha256: &str,
    ) -> StoreResult<Option<Attachment>>;

    /// Lists the organization's events, oldest first.
    async fn events(&self, org: OrganizationId) -> StoreResult<Vec<Event>>;
}
