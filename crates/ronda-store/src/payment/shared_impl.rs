//! [`PaymentStore`](super::PaymentStore) for both backends; the statements in `sql` run
//! unchanged on each.

/// Implements [`PaymentStore`](crate::payment::PaymentStore) for a store type. It uses the
/// `insert_audit` helper that `impl_store!` defines in the same module.
macro_rules! impl_payment_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::payment::PaymentStore for $store {
            async fn lender_account_ids(
                &self,
                org: ronda_domain::OrganizationId,
                lender_id: uuid::Uuid,
            ) -> $crate::StoreResult<std::collections::HashMap<String, uuid::Uuid>> {
                let rows: Vec<(String, uuid::Uuid)> =
                    sqlx::query_as($crate::payment::sql::LENDER_ACCOUNT_IDS)
                        .bind(org.0)
                        .bind(lender_id)
                        .fetch_all(&self.pool)
                        .await?;
                Ok(rows.into_iter().collect())
            }

            async fn import_payments(
                &self,
                org: ronda_domain::OrganizationId,
                lender_id: uuid::Uuid,
                payments: &[$crate::payment::NewPayment],
                today: &str,
                commit: bool,
                audit: &$crate::AuditEvent,
            ) -> $crate::StoreResult<$crate::payment::PaymentImportCounts> {
                let mut tx = self.pool.begin_with(Self::BEGIN_WRITE).await?;
                let at = audit.at.as_millisecond();
                let mut counts = $crate::payment::PaymentImportCounts::default();
                for payment in payments {
                    let inserted = sqlx::query($crate::payment::sql::INSERT_PAYMENT)
                        .bind(uuid::Uuid::now_v7())
                        .bind(org.0)
                        .bind(lender_id)
                        .bind(payment.account_id)
                        .bind(&payment.paid_on)
                        .bind(payment.amount_cents)
                        .bind(&payment.reference)
                        .bind(at)
                        .execute(&mut *tx)
                        .await?;
                    if inserted.rows_affected() == 1 {
                        counts.created += 1;
                    } else {
                        counts.duplicates += 1;
                    }
                }
                let changed: i64 = sqlx::query_scalar($crate::payment::sql::COUNT_LENDER_CHANGES)
                    .bind(today)
                    .bind(org.0)
                    .bind(lender_id)
                    .fetch_one(&mut *tx)
                    .await?;
                counts.promises_changed = u64::try_from(changed).unwrap_or(0);
                sqlx::query($crate::payment::sql::EVALUATE_LENDER)
                    .bind(today)
                    .bind(at)
                    .bind(org.0)
                    .bind(lender_id)
                    .execute(&mut *tx)
                    .await?;
                if commit {
                    insert_audit(&mut tx, audit).await?;
                    tx.commit().await?;
                } else {
                    tx.rollback().await?;
                }
                Ok(counts)
            }

            async fn evaluate_pending_promises(
                &self,
                today: &str,
                at: jiff::Timestamp,
            ) -> $crate::StoreResult<u64> {
                let mut tx = self.pool.begin_with(Self::BEGIN_WRITE).await?;
                let changed: i64 = sqlx::query_scalar($crate::payment::sql::COUNT_PENDING_CHANGES)
                    .bind(today)
                    .fetch_one(&mut *tx)
                    .await?;
                sqlx::query($crate::payment::sql::EVALUATE_PENDING)
                    .bind(today)
                    .bind(at.as_millisecond())
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(u64::try_from(changed).unwrap_or(0))
            }

            async fn account_promises(
                &self,
                org: ronda_domain::OrganizationId,
                account_id: uuid::Uuid,
            ) -> $crate::StoreResult<Vec<$crate::payment::PromiseOutcome>> {
                let rows: Vec<$crate::payment::PromiseRow> =
                    sqlx::query_as($crate::payment::sql::ACCOUNT_PROMISES)
                        .bind(org.0)
                        .bind(account_id)
                        .fetch_all(&self.pool)
                        .await?;
                rows.into_iter()
                    .map($crate::payment::promise_outcome)
                    .collect()
            }

            async fn promises(
                &self,
                org: ronda_domain::OrganizationId,
                query: &$crate::payment::PromiseQuery,
            ) -> $crate::StoreResult<Vec<$crate::payment::PromiseListEntry>> {
                let rows: Vec<$crate::payment::PromiseListRow> =
                    sqlx::query_as($crate::payment::SELECT_PROMISES)
                        .bind(org.0)
                        .bind(query.status.map($crate::payment::PromiseStatus::as_str))
                        .bind(query.lender_id)
                        .bind(query.portfolio_id)
                        .bind(query.agent_id.map(|agent| agent.0))
                        .bind(query.source.as_deref())
                        .bind(query.due_from.as_deref())
                        .bind(query.due_to.as_deref())
                        .bind(i64::from(query.limit))
                        .bind(i64::from(query.offset))
                        .fetch_all(&self.pool)
                        .await?;
                rows.into_iter()
                    .map($crate::payment::PromiseListRow::into_entry)
                    .collect()
            }
        }
    };
}

pub(crate) use impl_payment_store;
