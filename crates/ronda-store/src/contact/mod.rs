//! One account with everything a supervisor needs about it, the contacts made outside field
//! visits (calls, emails, SMS and WhatsApp messages), and the supervisor's pin for an
//! address that has no point.

pub(crate) mod rows;
pub(crate) mod shared_impl;
pub(crate) mod sql;

use async_trait::async_trait;
use jiff::Timestamp;
use ronda_domain::{OrganizationId, UserId};
use serde::Serialize;
use uuid::Uuid;

use crate::portfolio::{GeoPoint, Geocode};
use crate::{AuditEvent, StoreResult};

/// How a manual contact attempt reached the person.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactChannel {
    Phone,
    Email,
    Sms,
    Whatsapp,
}

impl ContactChannel {
    pub const ALL: [ContactChannel; 4] = [
        ContactChannel::Phone,
        ContactChannel::Email,
        ContactChannel::Sms,
        ContactChannel::Whatsapp,
    ];

    /// Returns the stored name, which is also the rollup channel.
    pub fn as_str(self) -> &'static str {
        match self {
            ContactChannel::Phone => "phone",
            ContactChannel::Email => "email",
            ContactChannel::Sms => "sms",
            ContactChannel::Whatsapp => "whatsapp",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|channel| channel.as_str() == value)
    }
}

/// A person of an account with every phone and email the lender gave.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AccountPerson {
    pub id: Uuid,
    /// `debtor`, `guarantor` or `reference`.
    pub role: String,
    pub name: String,
    pub phones: Vec<String>,
    pub emails: Vec<String>,
}

/// An address of an account with every Mexican address field and its points.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AccountAddress {
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
    pub geocode: Option<Geocode>,
    pub verified: Option<GeoPoint>,
    /// `supervisor` for a pin set on the account page; `None` for older points.
    pub verified_source: Option<String>,
    pub time_zone: Option<String>,
    pub needs_pin: bool,
}

/// The agent who works the account now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CurrentAssignment {
    pub assignment_id: Uuid,
    pub agent_id: UserId,
    pub agent_name: String,
    pub assigned_at: Timestamp,
}

/// An account with its lender, portfolio, persons, addresses and current agent.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AccountDetail {
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
    pub custom_fields: serde_json::Value,
    pub persons: Vec<AccountPerson>,
    pub addresses: Vec<AccountAddress>,
    pub assignment: Option<CurrentAssignment>,
}

/// A visit to the account, as its contact history shows it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AccountVisit {
    pub id: Uuid,
    pub agent_id: UserId,
    pub agent_name: String,
    pub finished_at: Timestamp,
    pub result_code: Option<String>,
    pub result_label_es: Option<String>,
    pub result_label_en: Option<String>,
    /// `verified`, `doubtful` or `rejected`.
    pub verdict: String,
    pub person_met: Option<String>,
    pub promise_amount_cents: Option<i64>,
    pub promise_date: Option<String>,
}

/// A manual contact attempt to store.
#[derive(Clone, Debug, PartialEq)]
pub struct NewContactAttempt {
    pub id: Uuid,
    pub organization_id: OrganizationId,
    pub account_id: Uuid,
    pub person_id: Option<Uuid>,
    pub channel: ContactChannel,
    pub occurred_at: Timestamp,
    pub result_code: String,
    /// A [`ronda_domain::portfolio::PersonMet`] name, such as `debtor`.
    pub person_met: Option<String>,
    pub promise_amount_cents: Option<i64>,
    /// `YYYY-MM-DD`.
    pub promise_date: Option<String>,
    pub note: Option<String>,
    pub recorded_by: UserId,
    pub created_at: Timestamp,
    /// The promise to pay to judge against imported payments, when the attempt made one.
    /// Its source is this attempt.
    pub promise: Option<crate::payment::NewPromise>,
}

/// A stored manual contact attempt with the names the history shows.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ContactAttempt {
    pub id: Uuid,
    pub account_id: Uuid,
    pub person_id: Option<Uuid>,
    pub person_name: Option<String>,
    pub channel: String,
    pub occurred_at: Timestamp,
    pub result_code: String,
    pub result_label_es: Option<String>,
    pub result_label_en: Option<String>,
    pub person_met: Option<String>,
    pub promise_amount_cents: Option<i64>,
    pub promise_date: Option<String>,
    pub note: Option<String>,
    pub recorded_by: UserId,
    pub recorded_by_name: String,
    pub created_at: Timestamp,
}

/// A contact attempt not yet added to the report rollups, with what the rollup needs.
#[derive(Clone, Debug, PartialEq)]
pub struct PendingAttempt {
    pub attempt_id: Uuid,
    pub organization_id: OrganizationId,
    pub recorded_by: UserId,
    pub lender_id: Uuid,
    pub portfolio_id: Uuid,
    pub occurred_at: Timestamp,
    /// IANA zone of the account's first address, when known.
    pub time_zone: Option<String>,
    /// State and municipality of the account's first address, when known.
    pub zone_state: Option<String>,
    pub zone_municipality: Option<String>,
    pub channel: ContactChannel,
    pub result_code: String,
    /// Class of the result code in the organization's catalogue, when it has one.
    pub result_class: Option<String>,
    pub promise_amount_cents: Option<i64>,
}

#[async_trait]
pub trait ContactStore: Send + Sync {
    /// Reads an account of `org` with its persons, addresses and current assignment.
    async fn account_detail(
        &self,
        org: OrganizationId,
        account: Uuid,
    ) -> StoreResult<Option<AccountDetail>>;

    /// Lists the account's finished visits, newest first.
    async fn account_visits(
        &self,
        org: OrganizationId,
        account: Uuid,
    ) -> StoreResult<Vec<AccountVisit>>;

    /// Lists the account's manual contact attempts, newest first.
    async fn contact_attempts(
        &self,
        org: OrganizationId,
        account: Uuid,
    ) -> StoreResult<Vec<ContactAttempt>>;

    /// Stores a manual contact attempt, its promise to pay when it has one, and its audit
    /// entry in one transaction. The caller has checked that the account, person and
    /// result code belong to the organization.
    async fn record_contact_attempt(
        &self,
        attempt: &NewContactAttempt,
        audit: &AuditEvent,
    ) -> StoreResult<()>;

    /// Sets the verified point of an address of the account, with source `supervisor`,
    /// so it no longer needs a pin. Returns `false`, and writes nothing, when the address
    /// is not one of the account's addresses in `org`.
    async fn set_verified_point(
        &self,
        org: OrganizationId,
        account: Uuid,
        address: Uuid,
        point: GeoPoint,
        audit: &AuditEvent,
    ) -> StoreResult<bool>;

    /// Lists contact attempts of every organization not yet rolled up, oldest first. The
    /// rollup worker is the only caller; [`crate::ReportStore::apply_rollups`] marks them.
    async fn pending_attempt_rollups(&self, limit: u32) -> StoreResult<Vec<PendingAttempt>>;
}
