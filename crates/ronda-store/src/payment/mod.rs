//! Payments imported from lenders' files, and the outcome of each promise to pay: kept when
//! the account's payments inside the promise's window add up to the promised amount.

mod list;
pub(crate) mod shared_impl;

pub use list::{PromiseListEntry, PromiseQuery};
pub(crate) use list::{PromiseListRow, SELECT_PROMISES};

use std::collections::HashMap;

use async_trait::async_trait;
use jiff::Timestamp;
use ronda_domain::{OrganizationId, UserId};
use serde::Serialize;
use uuid::Uuid;

use crate::{AuditEvent, StoreResult};

/// One valid row of a payments file, matched to an account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewPayment {
    pub account_id: Uuid,
    /// `YYYY-MM-DD`.
    pub paid_on: String,
    pub amount_cents: i64,
    /// Empty when the file has no reference.
    pub reference: String,
}

/// Counts of an import, or of what it would write in a dry run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PaymentImportCounts {
    pub created: u64,
    /// Payments already stored by an earlier import of the same rows.
    pub duplicates: u64,
    /// Promises whose status changed with these payments.
    pub promises_changed: u64,
}

/// The origin of a promise to pay: a field visit or a hand-recorded contact attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PromiseSource {
    Visit(Uuid),
    ContactAttempt(Uuid),
}

impl PromiseSource {
    pub fn visit_id(self) -> Option<Uuid> {
        match self {
            Self::Visit(id) => Some(id),
            Self::ContactAttempt(_) => None,
        }
    }

    pub fn contact_attempt_id(self) -> Option<Uuid> {
        match self {
            Self::Visit(_) => None,
            Self::ContactAttempt(id) => Some(id),
        }
    }
}

/// A promise to pay taken from a finished visit or a contact attempt, ready to be stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewPromise {
    pub source: PromiseSource,
    pub organization_id: OrganizationId,
    pub account_id: Uuid,
    /// The visiting agent, or the user who recorded the contact attempt.
    pub agent_id: UserId,
    pub lender_id: Uuid,
    pub portfolio_id: Uuid,
    /// Local date of the visit or contact, `YYYY-MM-DD`.
    pub created_on: String,
    pub promised_on: String,
    /// `promised_on` plus the grace days.
    pub due_on: String,
    pub amount_cents: i64,
}

/// Status of a promise to pay.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PromiseStatus {
    Pending,
    Kept,
    Broken,
}

impl PromiseStatus {
    fn parse(value: &str) -> StoreResult<Self> {
        match value {
            "pending" => Ok(Self::Pending),
            "kept" => Ok(Self::Kept),
            "broken" => Ok(Self::Broken),
            other => Err(crate::StoreError::CorruptRow {
                table: "promise_outcomes",
                column: "status",
                value: other.to_owned(),
            }),
        }
    }
}

/// A stored promise and its outcome.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PromiseOutcome {
    /// Set when a field visit made the promise.
    pub visit_id: Option<Uuid>,
    /// Set when a hand-recorded contact attempt made the promise.
    pub contact_attempt_id: Option<Uuid>,
    /// `visit`, or the contact attempt's channel: `phone`, `email`, `sms` or `whatsapp`.
    pub source: String,
    pub account_id: Uuid,
    pub lender_account_id: String,
    pub agent_id: UserId,
    pub created_on: String,
    pub promised_on: String,
    pub due_on: String,
    pub amount_cents: i64,
    pub paid_cents: i64,
    pub status: PromiseStatus,
}

#[async_trait]
pub trait PaymentStore: Send + Sync {
    /// Maps each lender account id of one lender's accounts to the account's id.
    async fn lender_account_ids(
        &self,
        org: OrganizationId,
        lender_id: Uuid,
    ) -> StoreResult<HashMap<String, Uuid>>;

    /// Inserts the payments that are not stored yet and evaluates the lender's promises
    /// against them as of `today` (`YYYY-MM-DD`), in one transaction with the audit
    /// entry. With `commit` false the transaction is rolled back, so the counts show what
    /// an import would do and nothing is written.
    async fn import_payments(
        &self,
        org: OrganizationId,
        lender_id: Uuid,
        payments: &[NewPayment],
        today: &str,
        commit: bool,
        audit: &AuditEvent,
    ) -> StoreResult<PaymentImportCounts>;

    /// Evaluates every pending promise of every organization as of `today`: kept when
    /// its payments add up, broken when its due date is before `today`. The productivity worker
    /// and the reports' catch-up call it. Returns how many promises changed status.
    async fn evaluate_pending_promises(&self, today: &str, at: Timestamp) -> StoreResult<u64>;

    /// Lists the promises made on an account, newest first.
    async fn account_promises(
        &self,
        org: OrganizationId,
        account_id: Uuid,
    ) -> StoreResult<Vec<PromiseOutcome>>;

    /// Lists the organization's promises across accounts that match the query, latest due
    /// date first, one page of at most `query.limit` rows from `query.offset`.
    async fn promises(
        &self,
        org: OrganizationId,
        query: &PromiseQuery,
    ) -> StoreResult<Vec<PromiseListEntry>>;
}

pub(crate) mod sql {
    pub(crate) const LENDER_ACCOUNT_IDS: &str = "SELECT lender_account_id, id FROM accounts \
        WHERE organization_id = $1 AND lender_id = $2";

    /// Inserts a payment unless the same one is stored. The account must belong to the
    /// organization and lender, or nothing is inserted.
    pub(crate) const INSERT_PAYMENT: &str = "INSERT INTO payments (id, organization_id, \
        lender_id, account_id, paid_on, amount_cents, reference, imported_at) \
        SELECT $1, $2, $3, a.id, $5, $6, $7, $8 FROM accounts a \
        WHERE a.id = $4 AND a.organization_id = $2 AND a.lender_id = $3 \
        ON CONFLICT (organization_id, account_id, paid_on, amount_cents, reference) DO NOTHING";

    /// Expands to the status a promise outcome has now: `$1` is today's date.
    macro_rules! status_now {
        () => {
            "CASE WHEN (SELECT CAST(COALESCE(SUM(p.amount_cents), 0) AS BIGINT) \
            FROM payments p WHERE p.organization_id = promise_outcomes.organization_id \
            AND p.account_id = promise_outcomes.account_id \
            AND p.paid_on >= promise_outcomes.created_on \
            AND p.paid_on <= promise_outcomes.due_on) >= amount_cents THEN 'kept' \
            WHEN due_on < $1 THEN 'broken' ELSE 'pending' END"
        };
    }

    /// Expands to the sum of a promise outcome's payments inside its window.
    macro_rules! paid_in_window {
        () => {
            "(SELECT CAST(COALESCE(SUM(p.amount_cents), 0) AS BIGINT) \
            FROM payments p WHERE p.organization_id = promise_outcomes.organization_id \
            AND p.account_id = promise_outcomes.account_id \
            AND p.paid_on >= promise_outcomes.created_on \
            AND p.paid_on <= promise_outcomes.due_on)"
        };
    }

    /// Expands to the update of the outcomes matching `$where`; `$2` is the time.
    macro_rules! evaluate {
        ($where:literal) => {
            concat!(
                "UPDATE promise_outcomes SET paid_cents = ",
                paid_in_window!(),
                ", status = ",
                status_now!(),
                ", evaluated_at = $2 WHERE ",
                $where
            )
        };
    }

    /// Expands to the count of outcomes matching `$where` whose status the update would
    /// change. It runs before the update in the same transaction, because the number of
    /// updated rows counts unchanged rows too.
    macro_rules! count_changes {
        ($where:literal) => {
            concat!(
                "SELECT COUNT(*) FROM promise_outcomes WHERE ",
                $where,
                " AND status <> ",
                status_now!()
            )
        };
    }

    pub(crate) const EVALUATE_PENDING: &str = evaluate!("status = 'pending'");
    pub(crate) const COUNT_PENDING_CHANGES: &str = count_changes!("status = 'pending'");
    pub(crate) const EVALUATE_LENDER: &str = evaluate!("organization_id = $3 AND lender_id = $4");
    pub(crate) const COUNT_LENDER_CHANGES: &str =
        count_changes!("organization_id = $2 AND lender_id = $3");

    /// Stores a promise once: a visit or contact attempt that already has one adds nothing.
    pub(crate) const INSERT_PROMISE: &str = "INSERT INTO promise_outcomes (visit_id, \
        contact_attempt_id, organization_id, account_id, agent_id, lender_id, portfolio_id, \
        created_on, promised_on, due_on, amount_cents, paid_cents, status, evaluated_at) \
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 0, 'pending', $12) \
        ON CONFLICT DO NOTHING";

    pub(crate) const ACCOUNT_PROMISES: &str = "SELECT o.visit_id, o.contact_attempt_id, \
        COALESCE(c.channel, 'visit'), o.account_id, a.lender_account_id, o.agent_id, \
        o.created_on, o.promised_on, o.due_on, o.amount_cents, o.paid_cents, o.status \
        FROM promise_outcomes o \
        JOIN accounts a ON a.id = o.account_id AND a.organization_id = o.organization_id \
        LEFT JOIN contact_attempts c ON c.id = o.contact_attempt_id \
            AND c.organization_id = o.organization_id \
        WHERE o.organization_id = $1 AND o.account_id = $2 \
        ORDER BY o.created_on DESC, o.visit_id, o.contact_attempt_id";
}

/// Inserts a [`NewPromise`] with [`sql::INSERT_PROMISE`] inside the transaction `$tx`,
/// evaluated at `$at` (Unix milliseconds). Visits and contact attempts store their
/// promises with it.
macro_rules! insert_promise {
    ($tx:expr, $promise:expr, $at:expr) => {{
        let promise: &$crate::payment::NewPromise = $promise;
        sqlx::query($crate::payment::sql::INSERT_PROMISE)
            .bind(promise.source.visit_id())
            .bind(promise.source.contact_attempt_id())
            .bind(promise.organization_id.0)
            .bind(promise.account_id)
            .bind(promise.agent_id.0)
            .bind(promise.lender_id)
            .bind(promise.portfolio_id)
            .bind(&promise.created_on)
            .bind(&promise.promised_on)
            .bind(&promise.due_on)
            .bind(promise.amount_cents)
            .bind($at)
            .execute(&mut *$tx)
            .await
    }};
}

pub(crate) use insert_promise;

/// Row of [`sql::ACCOUNT_PROMISES`].
pub(crate) type PromiseRow = (
    Option<Uuid>,
    Option<Uuid>,
    String,
    Uuid,
    String,
    Uuid,
    String,
    String,
    String,
    i64,
    i64,
    String,
);

pub(crate) fn promise_outcome(row: PromiseRow) -> StoreResult<PromiseOutcome> {
    Ok(PromiseOutcome {
        visit_id: row.0,
        contact_attempt_id: row.1,
        source: row.2,
        account_id: row.3,
        lender_account_id: row.4,
        agent_id: UserId(row.5),
        created_on: row.6,
        promised_on: row.7,
        due_on: row.8,
        amount_cents: row.9,
        paid_cents: row.10,
        status: PromiseStatus::parse(&row.11)?,
    })
}
