//! The organization's promises to pay across accounts, filtered for the console's list.

use ronda_domain::UserId;
use sqlx::FromRow;
use uuid::Uuid;

use super::{PromiseOutcome, PromiseStatus};
use crate::StoreResult;

/// Filters and page of [`PaymentStore::promises`](super::PaymentStore::promises).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PromiseQuery {
    pub status: Option<PromiseStatus>,
    pub lender_id: Option<Uuid>,
    pub portfolio_id: Option<Uuid>,
    pub agent_id: Option<UserId>,
    /// `visit`, `phone`, `email`, `sms` or `whatsapp`.
    pub source: Option<String>,
    /// First due date, `YYYY-MM-DD`, inclusive.
    pub due_from: Option<String>,
    /// Last due date, `YYYY-MM-DD`, inclusive.
    pub due_to: Option<String>,
    /// Rows skipped before the page.
    pub offset: u32,
    pub limit: u32,
}

/// A promise with the names the list shows next to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PromiseListEntry {
    pub outcome: PromiseOutcome,
    pub debtor_name: Option<String>,
    pub lender_id: Uuid,
    pub lender_name: String,
    pub portfolio_id: Uuid,
    /// The visiting agent or the user who recorded the contact.
    pub agent_name: Option<String>,
}

impl PromiseStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Kept => "kept",
            Self::Broken => "broken",
        }
    }
}

/// `$2`..`$8` are the filters (status, lender, portfolio, agent, source, first and last due
/// date), `$9` the page size and `$10` the offset. Newest due date first, and the promise's
/// own id breaks ties so pages never overlap.
pub(crate) const SELECT_PROMISES: &str = "SELECT o.visit_id, o.contact_attempt_id, \
    COALESCE(c.channel, 'visit') AS source, o.account_id, a.lender_account_id, o.agent_id, \
    o.created_on, o.promised_on, o.due_on, o.amount_cents, o.paid_cents, o.status, \
    (SELECT d.name FROM persons d WHERE d.account_id = a.id \
        AND d.organization_id = a.organization_id AND d.role = 'debtor' \
        ORDER BY d.name LIMIT 1) AS debtor_name, \
    o.lender_id, l.name AS lender_name, o.portfolio_id, u.name AS agent_name \
    FROM promise_outcomes o \
    JOIN accounts a ON a.id = o.account_id AND a.organization_id = o.organization_id \
    JOIN lenders l ON l.id = o.lender_id AND l.organization_id = o.organization_id \
    LEFT JOIN users u ON u.id = o.agent_id AND u.organization_id = o.organization_id \
    LEFT JOIN contact_attempts c ON c.id = o.contact_attempt_id \
        AND c.organization_id = o.organization_id \
    WHERE o.organization_id = $1 \
    AND (CAST($2 AS TEXT) IS NULL OR o.status = $2) \
    AND ($3 IS NULL OR o.lender_id = $3) \
    AND ($4 IS NULL OR o.portfolio_id = $4) \
    AND ($5 IS NULL OR o.agent_id = $5) \
    AND (CAST($6 AS TEXT) IS NULL OR COALESCE(c.channel, 'visit') = $6) \
    AND (CAST($7 AS TEXT) IS NULL OR o.due_on >= $7) \
    AND (CAST($8 AS TEXT) IS NULL OR o.due_on <= $8) \
    ORDER BY o.due_on DESC, COALESCE(o.visit_id, o.contact_attempt_id) DESC \
    LIMIT $9 OFFSET $10";

/// Row of [`SELECT_PROMISES`].
#[derive(FromRow)]
pub(crate) struct PromiseListRow {
    visit_id: Option<Uuid>,
    contact_attempt_id: Option<Uuid>,
    source: String,
    account_id: Uuid,
    lender_account_id: String,
    agent_id: Uuid,
    created_on: String,
    promised_on: String,
    due_on: String,
    amount_cents: i64,
    paid_cents: i64,
    status: String,
    debtor_name: Option<String>,
    lender_id: Uuid,
    lender_name: String,
    portfolio_id: Uuid,
    agent_name: Option<String>,
}

impl PromiseListRow {
    pub(crate) fn into_entry(self) -> StoreResult<PromiseListEntry> {
        let outcome = PromiseOutcome {
            visit_id: self.visit_id,
            contact_attempt_id: self.contact_attempt_id,
            source: self.source,
            account_id: self.account_id,
            lender_account_id: self.lender_account_id,
            agent_id: UserId(self.agent_id),
            created_on: self.created_on,
            promised_on: self.promised_on,
            due_on: self.due_on,
            amount_cents: self.amount_cents,
            paid_cents: self.paid_cents,
            status: PromiseStatus::parse(&self.status)?,
        };
        Ok(PromiseListEntry {
            outcome,
            debtor_name: self.debtor_name,
            lender_id: self.lender_id,
            lender_name: self.lender_name,
            portfolio_id: self.portfolio_id,
            agent_name: self.agent_name,
        })
    }
}
