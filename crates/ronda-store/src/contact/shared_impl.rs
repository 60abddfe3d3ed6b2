//! The [`ContactStore`](super::ContactStore) implementation shared by both backends,
//! stamped out per pool type like the main store, whose `insert_audit` it uses.

macro_rules! impl_contact_store {
    ($store:ty, $database:ty) => {
        #[async_trait::async_trait]
        impl $crate::contact::ContactStore for $store {
            async fn account_detail(
                &self,
                org: ronda_domain::OrganizationId,
                account: uuid::Uuid,
            ) -> $crate::StoreResult<Option<$crate::contact::AccountDetail>> {
                use $crate::contact::rows::{AccountRow, AddressRow, AssignmentRow, PersonRow};
                use $crate::contact::sql;

                let row: Option<AccountRow> = sqlx::query_as(sql::SELECT_ACCOUNT)
                    .bind(org.0)
                    .bind(account)
                    .fetch_optional(&self.pool)
                    .await?;
                let Some(row) = row else {
                    return Ok(None);
                };
                let persons: Vec<PersonRow> = sqlx::query_as(sql::SELECT_PERSONS)
                    .bind(org.0)
                    .bind(account)
                    .fetch_all(&self.pool)
                    .await?;
                let addresses: Vec<AddressRow> = sqlx::query_as(sql::SELECT_ADDRESSES)
                    .bind(org.0)
                    .bind(account)
                    .fetch_all(&self.pool)
                    .await?;
                let assignment: Option<AssignmentRow> =
                    sqlx::query_as(sql::SELECT_CURRENT_ASSIGNMENT)
                        .bind(org.0)
                        .bind(account)
                        .fetch_optional(&self.pool)
                        .await?;
                Ok(Some($crate::contact::AccountDetail {
                    id: row.id,
                    lender_id: row.lender_id,
                    lender_name: row.lender_name,
                    portfolio_id: row.portfolio_id,
                    portfolio_name: row.portfolio_name,
                    lender_account_id: row.lender_account_id,
                    product: row.product,
                    principal_cents: row.principal_cents,
                    overdue_cents: row.overdue_cents,
                    days_past_due: row.days_past_due,
                    currency: row.currency,
                    custom_fields: row.custom_fields.0,
                    persons: persons.into_iter().map(Into::into).collect(),
                    addresses: addresses.into_iter().map(Into::into).collect(),
                    assignment: assignment.map(TryInto::try_into).transpose()?,
                }))
            }

            async fn account_visits(
                &self,
                org: ronda_domain::OrganizationId,
                account: uuid::Uuid,
            ) -> $crate::StoreResult<Vec<$crate::contact::AccountVisit>> {
                let rows: Vec<$crate::contact::rows::VisitRow> =
                    sqlx::query_as($crate::contact::sql::SELECT_ACCOUNT_VISITS)
                        .bind(org.0)
                        .bind(account)
                        .fetch_all(&self.pool)
                        .await?;
                $crate::rows::convert_all(rows)
            }

            async fn contact_attempts(
                &self,
                org: ronda_domain::OrganizationId,
                account: uuid::Uuid,
            ) -> $crate::StoreResult<Vec<$crate::contact::ContactAttempt>> {
                let rows: Vec<$crate::contact::rows::AttemptRow> =
                    sqlx::query_as($crate::contact::sql::SELECT_ATTEMPTS)
                        .bind(org.0)
                        .bind(account)
                        .fetch_all(&self.pool)
                        .await?;
                $crate::rows::convert_all(rows)
            }

            async fn record_contact_attempt(
                &self,
                attempt: &$crate::contact::NewContactAttempt,
                audit: &$crate::AuditEvent,
            ) -> $crate::StoreResult<()> {
                let mut tx = self.pool.begin_with(Self::BEGIN_WRITE).await?;
                sqlx::query($crate::contact::sql::INSERT_ATTEMPT)
                    .bind(attempt.id)
                    .bind(attempt.organization_id.0)
                    .bind(attempt.account_id)
                    .bind(attempt.person_id)
                    .bind(attempt.channel.as_str())
                    .bind(attempt.occurred_at.as_millisecond())
                    .bind(&attempt.result_code)
                    .bind(&attempt.person_met)
                    .bind(attempt.promise_amount_cents)
                    .bind(&attempt.promise_date)
                    .bind(&attempt.note)
                    .bind(attempt.recorded_by.0)
                    .bind(attempt.created_at.as_millisecond())
                    .execute(&mut *tx)
                    .await?;
                if let Some(promise) = &attempt.promise {
                    $crate::payment::insert_promise!(
                        tx,
                        promise,
                        attempt.created_at.as_millisecond()
                    )?;
                }
                insert_audit(&mut tx, audit).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn set_verified_point(
                &self,
                org: ronda_domain::OrganizationId,
                account: uuid::Uuid,
                address: uuid::Uuid,
                point: $crate::portfolio::GeoPoint,
                audit: &$crate::AuditEvent,
            ) -> $crate::StoreResult<bool> {
                let mut tx = self.pool.begin_with(Self::BEGIN_WRITE).await?;
                let updated = sqlx::query($crate::contact::sql::SET_VERIFIED_POINT)
                    .bind(org.0)
                    .bind(account)
                    .bind(address)
                    .bind(point.latitude)
                    .bind(point.longitude)
                    .bind(false)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if updated != 1 {
                    tx.rollback().await?;
                    return Ok(false);
                }
                insert_audit(&mut tx, audit).await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn pending_attempt_rollups(
                &self,
                limit: u32,
            ) -> $crate::StoreResult<Vec<$crate::contact::PendingAttempt>> {
                let rows: Vec<$crate::contact::rows::PendingAttemptRow> =
                    sqlx::query_as($crate::contact::sql::SELECT_PENDING_ATTEMPTS)
                        .bind(i64::from(limit))
                        .fetch_all(&self.pool)
                        .await?;
                $crate::rows::convert_all(rows)
            }
        }
    };
}

pub(crate) use impl_contact_store;
