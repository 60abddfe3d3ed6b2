//! Portfolio rows shared by both backends.

use ronda_domain::OrganizationId;
use sqlx::FromRow;
use sqlx::types::Json;
use uuid::Uuid;

use super::{AccountSummary, Lender, Portfolio};
use crate::rows::timestamp;
use crate::{StoreError, StoreResult};

#[derive(FromRow)]
pub(crate) struct LenderRow {
    id: Uuid,
    organization_id: Uuid,
    name: String,
    redeco_registration: Option<String>,
    complaint_unit_contact: Option<String>,
    collection_phones: Json<Vec<String>>,
    payment_references: Json<Vec<String>>,
    created_at: i64,
}

impl TryFrom<LenderRow> for Lender {
    type Error = StoreError;

    fn try_from(row: LenderRow) -> StoreResult<Self> {
        Ok(Lender {
            id: row.id,
            organization_id: OrganizationId(row.organization_id),
            name: row.name,
            redeco_registration: row.redeco_registration,
            complaint_unit_contact: row.complaint_unit_contact,
            collection_phones: row.collection_phones.0,
            payment_references: row.payment_references.0,
            created_at: timestamp("lenders", "created_at", row.created_at)?,
        })
    }
}

#[derive(FromRow)]
pub(crate) struct PortfolioRow {
    id: Uuid,
    organization_id: Uuid,
    lender_id: Uuid,
    lender_name: String,
    name: String,
    account_count: i64,
    created_at: i64,
}

impl TryFrom<PortfolioRow> for Portfolio {
    type Error = StoreError;

    fn try_from(row: PortfolioRow) -> StoreResult<Self> {
        Ok(Portfolio {
            id: row.id,
            organization_id: OrganizationId(row.organization_id),
            lender_id: row.lender_id,
            lender_name: row.lender_name,
            name: row.name,
            account_count: row.account_count,
            created_at: timestamp("portfolios", "created_at", row.created_at)?,
        })
    }
}

/// The stored state of an account that an import is about to touch.
#[derive(FromRow)]
pub(crate) struct ImportTargetRow {
    pub(crate) id: Uuid,
    pub(crate) content_hash: String,
    pub(crate) portfolio_id: Uuid,
}

#[derive(FromRow)]
pub(crate) struct AccountSummaryRow {
    id: Uuid,
    lender_account_id: String,
    debtor_name: String,
    lender_name: String,
    portfolio_name: String,
    overdue_cents: Option<i64>,
    days_past_due: Option<i32>,
    currency: String,
    address_text: String,
    postal_code: Option<String>,
    municipality: Option<String>,
    state: Option<String>,
    time_zone: Option<String>,
    needs_pin: bool,
}

impl TryFrom<AccountSummaryRow> for AccountSummary {
    type Error = StoreError;

    fn try_from(row: AccountSummaryRow) -> StoreResult<Self> {
        Ok(AccountSummary {
            id: row.id,
            lender_account_id: row.lender_account_id,
            debtor_name: row.debtor_name,
            lender_name: row.lender_name,
            portfolio_name: row.portfolio_name,
            overdue_cents: row.overdue_cents,
            days_past_due: row.days_past_due,
            currency: row.currency,
            address_text: row.address_text,
            postal_code: row.postal_code,
            municipality: row.municipality,
            state: row.state,
            time_zone: row.time_zone,
            needs_pin: row.needs_pin,
        })
    }
}
