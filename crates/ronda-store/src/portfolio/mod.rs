//! Lenders, portfolios and accounts: what a despacho is hired to collect.

pub mod lender_settings;
pub(crate) mod rows;
pub(crate) mod shared_impl;
pub(crate) mod sql;

use async_trait::async_trait;
use jiff::Timestamp;
use ronda_domain::OrganizationId;
use serde::Serialize;
use uuid::Uuid;

use crate::{AuditEvent, StoreResult};

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Lender {
    pub id: Uuid,
    pub organization_id: OrganizationId,
    pub name: String,
    pub redeco_registration: Option<String>,
    pub complaint_unit_contact: Option<String>,
    pub collection_phones: Vec<String>,
    pub payment_references: Vec<String>,
    pub created_at: Timestamp,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Portfolio {
    pub id: Uuid,
    pub organization_id: OrganizationId,
    pub lender_id: Uuid,
    pub lender_name: String,
    pub name: String,
    pub account_count: i64,
    pub created_at: Timestamp,
}

/// A point on the map in decimal degrees (WGS 84).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct GeoPoint {
    pub latitude: f64,
    pub longitude: f64,
}

/// A geocoded point and where it came from.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Geocode {
    pub point: GeoPoint,
    /// `file` when the lender's file had coordinates, or the geocoder's name.
    pub source: String,
    /// From 0 to 1.
    pub confidence: f64,
}

/// The address of an account as imported. The agent-verified point is never part of an
/// import, so a re-import keeps it.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct AddressImport {
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
    pub original_text: String,
    pub geocode: Option<Geocode>,
    /// IANA time zone, derived from state and municipality.
    pub time_zone: Option<String>,
}

impl AddressImport {
    /// Returns the parts of the address a geocoder reads, folded, so that only a real
    /// change of address sends it to the geocoder again.
    pub fn geocode_key(&self) -> String {
        [
            &self.street,
            &self.exterior_number,
            &self.colonia,
            &self.postal_code,
            &self.locality,
            &self.municipality,
            &self.state,
        ]
        .iter()
        .map(|part| {
            part.as_deref()
                .map(ronda_domain::portfolio::fold_place_name)
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join("|")
    }
}

/// One account of an import, with its debtor and address.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AccountImport {
    pub lender_account_id: String,
    pub product: Option<String>,
    pub principal_cents: Option<i64>,
    pub overdue_cents: Option<i64>,
    pub days_past_due: Option<i32>,
    pub currency: String,
    pub custom_fields: serde_json::Value,
    pub debtor_name: String,
    pub phones: Vec<String>,
    pub emails: Vec<String>,
    pub address: AddressImport,
}

impl AccountImport {
    /// Returns the account id and the debtor's name folded for accent- and
    /// case-insensitive search.
    pub fn search_text(&self) -> String {
        let id = ronda_domain::portfolio::fold_place_name(&self.lender_account_id);
        let name = ronda_domain::portfolio::fold_place_name(&self.debtor_name);
        format!("{id} | {name}")
    }

    /// Returns a hash of every imported value, to detect unchanged accounts on re-import.
    pub fn content_hash(&self) -> String {
        // serde_json writes struct fields in declaration order, so equal imports hash equally.
        let json = serde_json::to_string(self).unwrap_or_default();
        format!("{:016x}", fnv1a(json.as_bytes()))
    }
}

/// FNV-1a, 64-bit: enough to tell changed rows apart, not a security hash.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// How many accounts an import created, updated and left unchanged.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ImportCounts {
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
}

/// An import in progress: one open transaction that receives accounts in batches.
/// Dropping it without [`ImportSession::finish`] rolls everything back.
#[async_trait]
pub trait ImportSession: Send {
    /// Creates or updates a batch of accounts by the lender's account id.
    async fn add(&mut self, accounts: &[AccountImport]) -> StoreResult<()>;

    /// Returns the counts of the batches added so far.
    fn counts(&self) -> ImportCounts;

    /// Commits with the audit entry, or rolls back when `commit` is false (a dry run).
    async fn finish(self: Box<Self>, commit: bool, audit: &AuditEvent)
    -> StoreResult<ImportCounts>;
}

/// Filters for the accounts list.
#[derive(Clone, Debug, Default)]
pub struct AccountQuery {
    pub portfolio_id: Option<Uuid>,
    /// Matches the lender's account id or the debtor's name, case-insensitively.
    pub search: Option<String>,
    pub limit: u32,
    pub offset: u64,
}

/// A row of the accounts list.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AccountSummary {
    pub id: Uuid,
    pub lender_account_id: String,
    pub debtor_name: String,
    pub lender_name: String,
    pub portfolio_name: String,
    pub overdue_cents: Option<i64>,
    pub days_past_due: Option<i32>,
    pub currency: String,
    pub address_text: String,
    pub postal_code: Option<String>,
    pub municipality: Option<String>,
    pub state: Option<String>,
    pub time_zone: Option<String>,
    pub needs_pin: bool,
}

#[async_trait]
pub trait PortfolioStore: Send + Sync {
    async fn create_lender(&self, lender: &Lender, audit: &AuditEvent) -> StoreResult<()>;

    /// Lists the organization's lenders by name.
    async fn lenders(&self, org: OrganizationId) -> StoreResult<Vec<Lender>>;

    async fn lender(&self, org: OrganizationId, id: Uuid) -> StoreResult<Option<Lender>>;

    /// Creates a portfolio. The caller has checked that the lender is in `org`.
    async fn create_portfolio(&self, portfolio: &Portfolio, audit: &AuditEvent) -> StoreResult<()>;

    /// Lists portfolios with their account counts, optionally of one lender.
    async fn portfolios(
        &self,
        org: OrganizationId,
        lender: Option<Uuid>,
    ) -> StoreResult<Vec<Portfolio>>;

    async fn portfolio(&self, org: OrganizationId, id: Uuid) -> StoreResult<Option<Portfolio>>;

    /// Creates or updates accounts by the lender's account id, in one transaction. With
    /// `commit` false the transaction is rolled back, so a dry run reports exactly what a
    /// real import would do and writes nothing.
    async fn import_accounts(
        &self,
        portfolio: &Portfolio,
        accounts: &[AccountImport],
        commit: bool,
        audit: &AuditEvent,
    ) -> StoreResult<ImportCounts> {
        let mut session = self.begin_import(portfolio).await?;
        session.add(accounts).await?;
        session.finish(commit, audit).await
    }

    /// Opens the transaction of an import that receives its accounts in batches, so a
    /// large file never has to be held in memory at once.
    async fn begin_import(&self, portfolio: &Portfolio) -> StoreResult<Box<dyn ImportSession>>;

    /// Saves a column mapping as a named template of a lender, replacing one of the same name.
    async fn save_import_template(
        &self,
        org: OrganizationId,
        lender_id: Uuid,
        name: &str,
        mapping: &serde_json::Value,
    ) -> StoreResult<()>;

    /// Returns one page of accounts and the total that match.
    async fn accounts(
        &self,
        org: OrganizationId,
        query: &AccountQuery,
    ) -> StoreResult<(Vec<AccountSummary>, i64)>;
}

/// Turns a search text into a `LIKE` pattern over the folded search text, or `None` when
/// nothing searchable is left (only punctuation).
pub(crate) fn like_pattern(search: &str) -> Option<String> {
    let folded = ronda_domain::portfolio::fold_place_name(search);
    (!folded.is_empty()).then(|| format!("%{folded}%"))
}
