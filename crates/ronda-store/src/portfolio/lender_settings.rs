//! A lender's editable data and its saved column mappings for imports.

use async_trait::async_trait;
use jiff::Timestamp;
use ronda_domain::OrganizationId;
use serde::Serialize;
use uuid::Uuid;

use super::Lender;
use crate::{AuditEvent, StoreResult};

/// A named column mapping of a lender, as the import saved it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ImportTemplate {
    pub id: Uuid,
    pub lender_id: Uuid,
    pub name: String,
    /// `{"headers": [...], "fields": [...]}`, or a plain array of fields from before
    /// headers were saved.
    pub mapping: serde_json::Value,
    pub created_at: Timestamp,
}

#[async_trait]
pub trait LenderSettingsStore: Send + Sync {
    /// Replaces a lender's name, REDECO data, phones and payment references, with its
    /// audit entry. Returns `false` when the lender is not in `lender.organization_id`.
    async fn update_lender(&self, lender: &Lender, audit: &AuditEvent) -> StoreResult<bool>;

    /// Lists the lender's saved import mappings, by name.
    async fn import_templates(
        &self,
        org: OrganizationId,
        lender_id: Uuid,
    ) -> StoreResult<Vec<ImportTemplate>>;
}

pub(crate) mod sql {
    pub(crate) const UPDATE_LENDER: &str = "UPDATE lenders SET name = $3, \
        redeco_registration = $4, complaint_unit_contact = $5, collection_phones = $6, \
        payment_references = $7 WHERE organization_id = $1 AND id = $2";
    pub(crate) const SELECT_TEMPLATES: &str = "SELECT id, lender_id, name, mapping, created_at \
        FROM import_templates WHERE organization_id = $1 AND lender_id = $2 ORDER BY name";
}

/// Implements [`LenderSettingsStore`]; expanded beside `impl_store!`, whose `insert_audit`
/// it uses.
macro_rules! impl_lender_settings_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::portfolio::lender_settings::LenderSettingsStore for $store {
            async fn update_lender(
                &self,
                lender: &$crate::portfolio::Lender,
                audit: &$crate::AuditEvent,
            ) -> $crate::StoreResult<bool> {
                let mut tx = self.pool.begin_with(Self::BEGIN_WRITE).await?;
                let done = sqlx::query($crate::portfolio::lender_settings::sql::UPDATE_LENDER)
                    .bind(lender.organization_id.0)
                    .bind(lender.id)
                    .bind(&lender.name)
                    .bind(&lender.redeco_registration)
                    .bind(&lender.complaint_unit_contact)
                    .bind(sqlx::types::Json(&lender.collection_phones))
                    .bind(sqlx::types::Json(&lender.payment_references))
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() != 1 {
                    return Ok(false);
                }
                insert_audit(&mut tx, audit).await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn import_templates(
                &self,
                org: ronda_domain::OrganizationId,
                lender_id: uuid::Uuid,
            ) -> $crate::StoreResult<Vec<$crate::portfolio::lender_settings::ImportTemplate>> {
                type Row = (
                    uuid::Uuid,
                    uuid::Uuid,
                    String,
                    sqlx::types::Json<serde_json::Value>,
                    i64,
                );
                let rows: Vec<Row> =
                    sqlx::query_as($crate::portfolio::lender_settings::sql::SELECT_TEMPLATES)
                        .bind(org.0)
                        .bind(lender_id)
                        .fetch_all(&self.pool)
                        .await?;
                rows.into_iter()
                    .map(|row| {
                        Ok($crate::portfolio::lender_settings::ImportTemplate {
                            id: row.0,
                            lender_id: row.1,
                            name: row.2,
                            mapping: row.3.0,
                            created_at: $crate::rows::timestamp(
                                "import_templates",
                                "created_at",
                                row.4,
                            )?,
                        })
                    })
                    .collect()
            }
        }
    };
}

pub(crate) use impl_lender_settings_store;
