//! Changes to an organization's result-code catalogue. Reading it, with the shipped
//! default given on first read, is in the visit store.

use async_trait::async_trait;
use ronda_domain::OrganizationId;

use crate::visit::ResultCode;
use crate::{AuditEvent, StoreResult};

#[async_trait]
pub trait ResultCodeStore: Send + Sync {
    /// Adds a result code, or changes the class, labels, requirement and active flag of
    /// an existing one, with its audit entry in the same transaction. A new code goes at
    /// the end of the catalogue. Codes are never deleted, because visits keep them.
    async fn put_result_code(
        &self,
        org: OrganizationId,
        code: &ResultCode,
        audit: &AuditEvent,
    ) -> StoreResult<ResultCode>;
}

pub(crate) mod sql {
    pub(crate) const UPSERT_RESULT_CODE: &str = "INSERT INTO result_codes (organization_id, \
        code, class, label_es, label_en, requires_es, position, active) \
        VALUES ($1, $2, $3, $4, $5, $6, \
        (SELECT COALESCE(MAX(position), -1) + 1 FROM result_codes WHERE organization_id = $1), \
        $7) ON CONFLICT (organization_id, code) DO UPDATE SET class = excluded.class, \
        label_es = excluded.label_es, label_en = excluded.label_en, \
        requires_es = excluded.requires_es, active = excluded.active";
}

/// Implements [`ResultCodeStore`] for a store type; expanded beside `impl_store!`, whose
/// `insert_audit` it uses.
macro_rules! impl_result_code_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::catalogue::ResultCodeStore for $store {
            async fn put_result_code(
                &self,
                org: ronda_domain::OrganizationId,
                code: &$crate::visit::ResultCode,
                audit: &$crate::AuditEvent,
            ) -> $crate::StoreResult<$crate::visit::ResultCode> {
                // An organization that never read its catalogue gets the shipped one first,
                // so a first edit does not leave it with a single code.
                $crate::visit::VisitStore::result_codes(self, org).await?;
                let mut tx = self.pool.begin_with(Self::BEGIN_WRITE).await?;
                sqlx::query($crate::catalogue::sql::UPSERT_RESULT_CODE)
                    .bind(org.0)
                    .bind(&code.code)
                    .bind(&code.class)
                    .bind(&code.label_es)
                    .bind(&code.label_en)
                    .bind(&code.requires_es)
                    .bind(code.active)
                    .execute(&mut *tx)
                    .await?;
                insert_audit(&mut tx, audit).await?;
                tx.commit().await?;
                Ok(code.clone())
            }
        }
    };
}

pub(crate) use impl_result_code_store;
