//! Ronda's storage. [`Store`] is the one interface the server uses; [`connect`] picks the
//! SQLite or PostgreSQL implementation from the URL scheme. SQL lives only in this crate.

pub mod assignment;
pub mod catalogue;
pub mod contact;
mod error;
pub mod form;
pub mod geocode;
mod model;
pub mod organization;
pub mod outbox;
pub mod payment;
pub mod portfolio;
mod postgres;
pub mod report;
mod rows;
mod shared_impl;
mod sql;
mod sqlite;
pub mod testing;
pub mod today;
pub mod tracking;
pub mod visit;

use std::sync::Arc;

use async_trait::async_trait;
use jiff::Timestamp;
use ronda_domain::{Email, OrganizationId, UserId};
use uuid::Uuid;

pub use assignment::AssignmentStore;
pub use catalogue::ResultCodeStore;
pub use contact::ContactStore;
pub use error::{Constraint, StoreError};
pub use form::FormStore;
pub use geocode::GeocodeStore;
pub use model::{
    Actor, ApiToken, AuditEntry, AuditEvent, LoginCandidate, NewApiToken, NewSession, NewUser,
    Organization, SessionRecord, User,
};
pub use organization::OrganizationSettingsStore;
pub use outbox::OutboxStore;
pub use payment::PaymentStore;
pub use portfolio::PortfolioStore;
pub use portfolio::lender_settings::LenderSettingsStore;
pub use postgres::PgStore;
pub use report::ReportStore;
pub use report::productivity::ProductivityStore;
pub use sqlite::SqliteStore;
pub use today::TodayStore;
pub use tracking::TrackingStore;
pub use tracking::history::TrackingHistoryStore;
pub use visit::VisitStore;
pub use visit::review::VisitReviewStore;

pub type StoreResult<T> = Result<T, StoreError>;

/// Database engine behind a store.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Pool settings that apply to both backends.
#[derive(Clone, Debug)]
pub struct ConnectOptions {
    pub max_connections: u32,
    /// How long a SQLite writer waits for the file lock before failing.
    pub busy_timeout: std::time::Duration,
}

impl Default for ConnectOptions {
    fn default() -> Self {
        Self {
            max_connections: 8,
            busy_timeout: std::time::Duration::from_secs(5),
        }
    }
}

/// Opens the store named by `url`: `sqlite://PATH` (the file is created when missing) or
/// `postgres://...` / `postgresql://...`. Migrations are not run here; call [`Store::migrate`].
pub async fn connect(url: &str, options: &ConnectOptions) -> StoreResult<Arc<dyn Store>> {
    if url.starts_with("sqlite:") {
        Ok(Arc::new(SqliteStore::connect(url, options).await?))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(PgStore::connect(url, options).await?))
    } else {
        Err(StoreError::UnsupportedUrl(redact_url(url)))
    }
}

/// Returns `url` with any password replaced by `***`, for logs and error messages.
pub fn redact_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            // set_password fails only for URLs that cannot have a password; this one has one.
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        _ => url.to_owned(),
    }
}

/// Every read and write of Ronda's data. Each method that takes an organization id
/// touches only that organization's rows. Each change that takes an [`AuditEvent`]
/// writes it in the same transaction, so there is no change without its audit entry.
#[async_trait]
pub trait Store:
    PortfolioStore
    + AssignmentStore
    + TrackingStore
    + TrackingHistoryStore
    + ReportStore
    + ResultCodeStore
    + OutboxStore
    + VisitStore
    + VisitReviewStore
    + FormStore
    + OrganizationSettingsStore
    + ContactStore
    + GeocodeStore
    + TodayStore
    + LenderSettingsStore
    + PaymentStore
    + ProductivityStore
    + Send
    + Sync
    + std::fmt::Debug
{
    fn backend(&self) -> Backend;

    /// Applies the backend's pending migrations.
    async fn migrate(&self) -> StoreResult<()>;

    /// Runs a trivial query, for readiness checks.
    async fn ping(&self) -> StoreResult<()>;

    /// Waits for open connections to finish and closes the pool.
    async fn close(&self);

    async fn create_organization(&self, org: &Organization, audit: &AuditEvent) -> StoreResult<()>;

    async fn organization(&self, id: OrganizationId) -> StoreResult<Option<Organization>>;

    async fn organization_by_name(&self, name: &str) -> StoreResult<Option<Organization>>;

    async fn count_organizations(&self) -> StoreResult<i64>;

    async fn create_user(&self, user: &NewUser, audit: &AuditEvent) -> StoreResult<User>;

    async fn user(&self, org: OrganizationId, id: UserId) -> StoreResult<Option<User>>;

    /// Lists the organization's users, ordered by name.
    async fn users(&self, org: OrganizationId) -> StoreResult<Vec<User>>;

    /// Finds an account by email in any organization, for login. Emails are unique
    /// across the whole installation.
    async fn login_candidate(&self, email: &Email) -> StoreResult<Option<LoginCandidate>>;

    /// Activates or deactivates a user. Deactivation deletes the user's sessions in the
    /// same transaction, so they end at once. Returns `None` when the user is not in `org`.
    async fn set_user_active(
        &self,
        org: OrganizationId,
        id: UserId,
        active: bool,
        audit: &AuditEvent,
    ) -> StoreResult<Option<User>>;

    async fn create_session(&self, session: &NewSession) -> StoreResult<()>;

    /// Returns the session and its user when the session has not expired at `now` and
    /// the user is active.
    async fn session(
        &self,
        token_hash: &[u8; 32],
        now: Timestamp,
    ) -> StoreResult<Option<SessionRecord>>;

    async fn delete_session(&self, token_hash: &[u8; 32]) -> StoreResult<()>;

    /// Deletes sessions that expired before `now`; returns how many.
    async fn delete_expired_sessions(&self, now: Timestamp) -> StoreResult<u64>;

    async fn create_api_token(
        &self,
        token: &NewApiToken,
        audit: &AuditEvent,
    ) -> StoreResult<ApiToken>;

    /// Lists the organization's API tokens, newest first, revoked ones included.
    async fn api_tokens(&self, org: OrganizationId) -> StoreResult<Vec<ApiToken>>;

    async fn api_token(&self, org: OrganizationId, id: Uuid) -> StoreResult<Option<ApiToken>>;

    /// Revokes a token. Returns `None` when the token is not in `org`; revoking twice
    /// keeps the first revocation time.
    async fn revoke_api_token(
        &self,
        org: OrganizationId,
        id: Uuid,
        audit: &AuditEvent,
    ) -> StoreResult<Option<ApiToken>>;

    /// Finds an unrevoked token by the SHA-256 of its secret.
    async fn active_api_token(&self, token_hash: &[u8; 32]) -> StoreResult<Option<ApiToken>>;

    /// Appends an audit entry on its own, for events that change no other row (a login).
    async fn append_audit(&self, audit: &AuditEvent) -> StoreResult<i64>;

    /// Lists audit entries newest first, starting below `before` when given.
    async fn audit_entries(
        &self,
        org: OrganizationId,
        before: Option<i64>,
        limit: u32,
    ) -> StoreResult<Vec<AuditEntry>>;

    async fn audit_entry(&self, org: OrganizationId, id: i64) -> StoreResult<Option<AuditEntry>>;
}
