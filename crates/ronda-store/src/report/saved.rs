//! Saved custom reports and the read-only links that share one of them.

use async_trait::async_trait;
use jiff::Timestamp;
use ronda_domain::{OrganizationId, UserId};
use uuid::Uuid;

use crate::StoreResult;

/// A custom report an organization saved. The definition is JSON that the server checks
/// before saving, so the store keeps it as text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SavedReport {
    pub id: Uuid,
    pub organization_id: OrganizationId,
    pub name: String,
    pub definition: String,
    /// `None` when an API token made it.
    pub created_by: Option<UserId>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A read-only link to a saved report. The token itself is never stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportShare {
    pub id: Uuid,
    pub organization_id: OrganizationId,
    pub report_id: Uuid,
    /// `None` when an API token made it.
    pub created_by: Option<UserId>,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
}

#[async_trait]
pub trait SavedReportStore: Send + Sync {
    /// Lists the organization's saved reports by name.
    async fn saved_reports(&self, org: OrganizationId) -> StoreResult<Vec<SavedReport>>;

    async fn saved_report(&self, org: OrganizationId, id: Uuid)
    -> StoreResult<Option<SavedReport>>;

    async fn insert_saved_report(&self, report: &SavedReport) -> StoreResult<()>;

    /// Replaces the name and definition. Returns false when the organization has no such
    /// report.
    async fn update_saved_report(
        &self,
        org: OrganizationId,
        id: Uuid,
        name: &str,
        definition: &str,
        at: Timestamp,
    ) -> StoreResult<bool>;

    /// Deletes the report and its links. Returns false when the organization has no such
    /// report.
    async fn delete_saved_report(&self, org: OrganizationId, id: Uuid) -> StoreResult<bool>;

    /// Stores a link under the SHA-256 of its token.
    async fn insert_report_share(
        &self,
        share: &ReportShare,
        token_sha256: &[u8],
    ) -> StoreResult<()>;

    /// Lists a report's links, newest first, revoked and expired ones included.
    async fn report_shares(
        &self,
        org: OrganizationId,
        report_id: Uuid,
    ) -> StoreResult<Vec<ReportShare>>;

    /// Marks a link revoked. Returns false when the organization has no such link for
    /// that report or it was already revoked.
    async fn revoke_report_share(
        &self,
        org: OrganizationId,
        report_id: Uuid,
        share_id: Uuid,
        at: Timestamp,
    ) -> StoreResult<bool>;

    /// Finds the report behind a token's hash, only while the link is neither revoked nor
    /// expired at `now`.
    async fn shared_report(
        &self,
        token_sha256: &[u8],
        now: Timestamp,
    ) -> StoreResult<Option<SavedReport>>;
}

pub(crate) mod sql {
    pub(crate) const LIST: &str = "SELECT id, organization_id, name, definition, created_by, \
        created_at, updated_at FROM saved_reports WHERE organization_id = $1 ORDER BY name, id";
    pub(crate) const ONE: &str = "SELECT id, organization_id, name, definition, created_by, \
        created_at, updated_at FROM saved_reports WHERE organization_id = $1 AND id = $2";
    pub(crate) const INSERT: &str = "INSERT INTO saved_reports (id, organization_id, name, \
        definition, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)";
    pub(crate) const UPDATE: &str = "UPDATE saved_reports SET name = $3, definition = $4, \
        updated_at = $5 WHERE organization_id = $1 AND id = $2";
    pub(crate) const DELETE_SHARES: &str =
        "DELETE FROM report_shares WHERE organization_id = $1 AND report_id = $2";
    pub(crate) const DELETE: &str =
        "DELETE FROM saved_reports WHERE organization_id = $1 AND id = $2";
    pub(crate) const INSERT_SHARE: &str = "INSERT INTO report_shares (id, organization_id, \
        report_id, token_sha256, created_by, created_at, expires_at) \
        VALUES ($1, $2, $3, $4, $5, $6, $7)";
    pub(crate) const SHARES: &str = "SELECT id, organization_id, report_id, created_by, \
        created_at, expires_at, revoked_at FROM report_shares \
        WHERE organization_id = $1 AND report_id = $2 ORDER BY created_at DESC, id";
    pub(crate) const REVOKE_SHARE: &str = "UPDATE report_shares SET revoked_at = $4 \
        WHERE organization_id = $1 AND report_id = $2 AND id = $3 AND revoked_at IS NULL";
    pub(crate) const SHARED: &str = "SELECT r.id, r.organization_id, r.name, r.definition, \
        r.created_by, r.created_at, r.updated_at FROM report_shares s \
        JOIN saved_reports r ON r.id = s.report_id AND r.organization_id = s.organization_id \
        WHERE s.token_sha256 = $1 AND s.revoked_at IS NULL AND s.expires_at > $2";
}

/// A `saved_reports` row as read by the queries above.
pub(crate) type SavedRow = (Uuid, Uuid, String, String, Option<Uuid>, i64, i64);

pub(crate) fn saved_from_row(row: SavedRow) -> StoreResult<SavedReport> {
    Ok(SavedReport {
        id: row.0,
        organization_id: OrganizationId(row.1),
        name: row.2,
        definition: row.3,
        created_by: row.4.map(UserId),
        created_at: crate::rows::timestamp("saved_reports", "created_at", row.5)?,
        updated_at: crate::rows::timestamp("saved_reports", "updated_at", row.6)?,
    })
}

/// A `report_shares` row as read by [`sql::SHARES`].
pub(crate) type ShareRow = (Uuid, Uuid, Uuid, Option<Uuid>, i64, i64, Option<i64>);

pub(crate) fn share_from_row(row: ShareRow) -> StoreResult<ReportShare> {
    let revoked_at = match row.6 {
        Some(ms) => Some(crate::rows::timestamp("report_shares", "revoked_at", ms)?),
        None => None,
    };
    Ok(ReportShare {
        id: row.0,
        organization_id: OrganizationId(row.1),
        report_id: row.2,
        created_by: row.3.map(UserId),
        created_at: crate::rows::timestamp("report_shares", "created_at", row.4)?,
        expires_at: crate::rows::timestamp("report_shares", "expires_at", row.5)?,
        revoked_at,
    })
}

/// Implements [`SavedReportStore`] for a store type.
macro_rules! impl_saved_report_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::report::saved::SavedReportStore for $store {
            async fn saved_reports(
                &self,
                org: ronda_domain::OrganizationId,
            ) -> $crate::StoreResult<Vec<$crate::report::saved::SavedReport>> {
                let rows: Vec<$crate::report::saved::SavedRow> =
                    sqlx::query_as($crate::report::saved::sql::LIST)
                        .bind(org.0)
                        .fetch_all(&self.pool)
                        .await?;
                rows.into_iter()
                    .map($crate::report::saved::saved_from_row)
                    .collect()
            }

            async fn saved_report(
                &self,
                org: ronda_domain::OrganizationId,
                id: uuid::Uuid,
            ) -> $crate::StoreResult<Option<$crate::report::saved::SavedReport>> {
                let row: Option<$crate::report::saved::SavedRow> =
                    sqlx::query_as($crate::report::saved::sql::ONE)
                        .bind(org.0)
                        .bind(id)
                        .fetch_optional(&self.pool)
                        .await?;
                row.map($crate::report::saved::saved_from_row).transpose()
            }

            async fn insert_saved_report(
                &self,
                report: &$crate::report::saved::SavedReport,
            ) -> $crate::StoreResult<()> {
                sqlx::query($crate::report::saved::sql::INSERT)
                    .bind(report.id)
                    .bind(report.organization_id.0)
                    .bind(&report.name)
                    .bind(&report.definition)
                    .bind(report.created_by.map(|user| user.0))
                    .bind(report.created_at.as_millisecond())
                    .bind(report.updated_at.as_millisecond())
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn update_saved_report(
                &self,
                org: ronda_domain::OrganizationId,
                id: uuid::Uuid,
                name: &str,
                definition: &str,
                at: jiff::Timestamp,
            ) -> $crate::StoreResult<bool> {
                let updated = sqlx::query($crate::report::saved::sql::UPDATE)
                    .bind(org.0)
                    .bind(id)
                    .bind(name)
                    .bind(definition)
                    .bind(at.as_millisecond())
                    .execute(&self.pool)
                    .await?;
                Ok(updated.rows_affected() == 1)
            }

            async fn delete_saved_report(
                &self,
                org: ronda_domain::OrganizationId,
                id: uuid::Uuid,
            ) -> $crate::StoreResult<bool> {
                let mut tx = self.pool.begin_with(Self::BEGIN_WRITE).await?;
                sqlx::query($crate::report::saved::sql::DELETE_SHARES)
                    .bind(org.0)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                let deleted = sqlx::query($crate::report::saved::sql::DELETE)
                    .bind(org.0)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(deleted.rows_affected() == 1)
            }

            async fn insert_report_share(
                &self,
                share: &$crate::report::saved::ReportShare,
                token_sha256: &[u8],
            ) -> $crate::StoreResult<()> {
                sqlx::query($crate::report::saved::sql::INSERT_SHARE)
                    .bind(share.id)
                    .bind(share.organization_id.0)
                    .bind(share.report_id)
                    .bind(token_sha256)
                    .bind(share.created_by.map(|user| user.0))
                    .bind(share.created_at.as_millisecond())
                    .bind(share.expires_at.as_millisecond())
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn report_shares(
                &self,
                org: ronda_domain::OrganizationId,
                report_id: uuid::Uuid,
            ) -> $crate::StoreResult<Vec<$crate::report::saved::ReportShare>> {
                let rows: Vec<$crate::report::saved::ShareRow> =
                    sqlx::query_as($crate::report::saved::sql::SHARES)
                        .bind(org.0)
                        .bind(report_id)
                        .fetch_all(&self.pool)
                        .await?;
                rows.into_iter()
                    .map($crate::report::saved::share_from_row)
                    .collect()
            }

            async fn revoke_report_share(
                &self,
                org: ronda_domain::OrganizationId,
                report_id: uuid::Uuid,
                share_id: uuid::Uuid,
                at: jiff::Timestamp,
            ) -> $crate::StoreResult<bool> {
                let revoked = sqlx::query($crate::report::saved::sql::REVOKE_SHARE)
                    .bind(org.0)
                    .bind(report_id)
                    .bind(share_id)
                    .bind(at.as_millisecond())
                    .execute(&self.pool)
                    .await?;
                Ok(revoked.rows_affected() == 1)
            }

            async fn shared_report(
                &self,
                token_sha256: &[u8],
                now: jiff::Timestamp,
            ) -> $crate::StoreResult<Option<$crate::report::saved::SavedReport>> {
                let row: Option<$crate::report::saved::SavedRow> =
                    sqlx::query_as($crate::report::saved::sql::SHARED)
                        .bind(token_sha256)
                        .bind(now.as_millisecond())
                        .fetch_optional(&self.pool)
                        .await?;
                row.map($crate::report::saved::saved_from_row).transpose()
            }
        }
    };
}

pub(crate) use impl_saved_report_store;
