//! The [`PortfolioStore`](super::PortfolioStore) implementation shared by both backends,
//! stamped out per pool type like the main store.

macro_rules! impl_portfolio_store {
    ($store:ty, $database:ty) => {
        /// Creates or updates one imported account inside the import's transaction.
        async fn upsert_account(
            tx: &mut sqlx::Transaction<'_, $database>,
            portfolio: &$crate::portfolio::Portfolio,
            account: &$crate::portfolio::AccountImport,
            now: i64,
        ) -> $crate::StoreResult<Outcome> {
            use sqlx::types::Json;
            use $crate::portfolio::sql;

            let org = portfolio.organization_id.0;
            let hash = account.content_hash();
            let existing: Option<$crate::portfolio::rows::ImportTargetRow> =
                sqlx::query_as(sql::SELECT_ACCOUNT_FOR_IMPORT)
                    .bind(org)
                    .bind(portfolio.lender_id)
                    .bind(&account.lender_account_id)
                    .fetch_optional(&mut **tx)
                    .await?;
            let address = &account.address;
            let point = address.geocode.as_ref().map(|g| g.point);
            let outcome = match existing {
                Some(row) if row.content_hash == hash && row.portfolio_id == portfolio.id => {
                    return Ok(Outcome::Unchanged);
                }
                Some(row) => {
                    sqlx::query(sql::UPDATE_ACCOUNT)
                        .bind(org)
                        .bind(row.id)
                        .bind(portfolio.id)
                        .bind(&account.product)
                        .bind(account.principal_cents)
                        .bind(account.overdue_cents)
                        .bind(account.days_past_due)
                        .bind(&account.currency)
                        .bind(Json(&account.custom_fields))
                        .bind(&hash)
                        .bind(now)
                        .bind(account.search_text())
                        .execute(&mut **tx)
                        .await?;
                    sqlx::query(sql::UPDATE_DEBTOR)
                        .bind(org)
                        .bind(row.id)
                        .bind(&account.debtor_name)
                        .bind(Json(&account.phones))
                        .bind(Json(&account.emails))
                        .execute(&mut **tx)
                        .await?;
                    sqlx::query(sql::UPDATE_ADDRESS)
                        .bind(org)
                        .bind(row.id)
                        .bind(&address.street)
                        .bind(&address.exterior_number)
                        .bind(&address.interior_number)
                        .bind(&address.colonia)
                        .bind(&address.postal_code)
                        .bind(&address.locality)
                        .bind(&address.municipality)
                        .bind(&address.state)
                        .bind(&address.between_streets)
                        .bind(&address.landmarks)
                        .bind(&address.original_text)
                        .bind(point.map(|p| p.latitude))
                        .bind(point.map(|p| p.longitude))
                        .bind(address.geocode.as_ref().map(|g| g.source.clone()))
                        .bind(address.geocode.as_ref().map(|g| g.confidence))
                        .bind(&address.time_zone)
                        .bind(address.geocode_key())
                        .execute(&mut **tx)
                        .await?;
                    Outcome::Updated
                }
                None => {
                    let id = uuid::Uuid::now_v7();
                    sqlx::query(sql::INSERT_ACCOUNT)
                        .bind(id)
                        .bind(org)
                        .bind(portfolio.lender_id)
                        .bind(portfolio.id)
                        .bind(&account.lender_account_id)
                        .bind(&account.product)
                        .bind(account.principal_cents)
                        .bind(account.overdue_cents)
                        .bind(account.days_past_due)
                        .bind(&account.currency)
                        .bind(Json(&account.custom_fields))
                        .bind(&hash)
                        .bind(now)
                        .bind(account.search_text())
                        .execute(&mut **tx)
                        .await?;
                    sqlx::query(sql::INSERT_DEBTOR)
                        .bind(uuid::Uuid::now_v7())
                        .bind(org)
                        .bind(id)
                        .bind(&account.debtor_name)
                        .bind(Json(&account.phones))
                        .bind(Json(&account.emails))
                        .execute(&mut **tx)
                        .await?;
                    sqlx::query(sql::INSERT_ADDRESS)
                        .bind(uuid::Uuid::now_v7())
                        .bind(org)
                        .bind(id)
                        .bind(&address.street)
                        .bind(&address.exterior_number)
                        .bind(&address.interior_number)
                        .bind(&address.colonia)
                        .bind(&address.postal_code)
                        .bind(&address.locality)
                        .bind(&address.municipality)
                        .bind(&address.state)
                        .bind(&address.between_streets)
                        .bind(&address.landmarks)
                        .bind(&address.original_text)
                        .bind(point.map(|p| p.latitude))
                        .bind(point.map(|p| p.longitude))
                        .bind(address.geocode.as_ref().map(|g| g.source.clone()))
                        .bind(address.geocode.as_ref().map(|g| g.confidence))
                        .bind(&address.time_zone)
                        .bind(address.geocode_key())
                        .execute(&mut **tx)
                        .await?;
                    Outcome::Created
                }
            };
            Ok(outcome)
        }

        enum Outcome {
            Created,
            Updated,
            Unchanged,
        }

        /// The open transaction of one import.
        struct ImportTransaction {
            tx: sqlx::Transaction<'static, $database>,
            portfolio: $crate::portfolio::Portfolio,
            now: i64,
            counts: $crate::portfolio::ImportCounts,
        }

        #[async_trait::async_trait]
        impl $crate::portfolio::ImportSession for ImportTransaction {
            async fn add(
                &mut self,
                accounts: &[$crate::portfolio::AccountImport],
            ) -> $crate::StoreResult<()> {
                for account in accounts {
                    match upsert_account(&mut self.tx, &self.portfolio, account, self.now).await? {
                        Outcome::Created => self.counts.created += 1,
                        Outcome::Updated => self.counts.updated += 1,
                        Outcome::Unchanged => self.counts.unchanged += 1,
                    }
                }
                Ok(())
            }

            fn counts(&self) -> $crate::portfolio::ImportCounts {
                self.counts
            }

            async fn finish(
                self: Box<Self>,
                commit: bool,
                audit: &$crate::AuditEvent,
            ) -> $crate::StoreResult<$crate::portfolio::ImportCounts> {
                let ImportTransaction { mut tx, counts, .. } = *self;
                if commit {
                    insert_audit(&mut tx, audit).await?;
                    tx.commit().await?;
                } else {
                    tx.rollback().await?;
                }
                Ok(counts)
            }
        }

        #[async_trait::async_trait]
        impl $crate::portfolio::PortfolioStore for $store {
            async fn create_lender(
                &self,
                lender: &$crate::portfolio::Lender,
                audit: &$crate::AuditEvent,
            ) -> $crate::StoreResult<()> {
                let mut tx = self.pool.begin_with(Self::BEGIN_WRITE).await?;
                sqlx::query($crate::portfolio::sql::INSERT_LENDER)
                    .bind(lender.id)
                    .bind(lender.organization_id.0)
                    .bind(&lender.name)
                    .bind(&lender.redeco_registration)
                    .bind(&lender.complaint_unit_contact)
                    .bind(sqlx::types::Json(&lender.collection_phones))
                    .bind(sqlx::types::Json(&lender.payment_references))
                    .bind(lender.created_at.as_millisecond())
                    .execute(&mut *tx)
                    .await?;
                insert_audit(&mut tx, audit).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn lenders(
                &self,
                org: ronda_domain::OrganizationId,
            ) -> $crate::StoreResult<Vec<$crate::portfolio::Lender>> {
                let rows: Vec<$crate::portfolio::rows::LenderRow> =
                    sqlx::query_as($crate::portfolio::sql::SELECT_LENDERS)
                        .bind(org.0)
                        .fetch_all(&self.pool)
                        .await?;
                $crate::rows::convert_all(rows)
            }

            async fn lender(
                &self,
                org: ronda_domain::OrganizationId,
                id: uuid::Uuid,
            ) -> $crate::StoreResult<Option<$crate::portfolio::Lender>> {
                let row: Option<$crate::portfolio::rows::LenderRow> =
                    sqlx::query_as($crate::portfolio::sql::SELECT_LENDER)
                        .bind(org.0)
                        .bind(id)
                        .fetch_optional(&self.pool)
                        .await?;
                row.map(TryInto::try_into).transpose()
            }

            async fn create_portfolio(
                &self,
                portfolio: &$crate::portfolio::Portfolio,
                audit: &$crate::AuditEvent,
            ) -> $crate::StoreResult<()> {
                let mut tx = self.pool.begin_with(Self::BEGIN_WRITE).await?;
                sqlx::query($crate::portfolio::sql::INSERT_PORTFOLIO)
                    .bind(portfolio.id)
                    .bind(portfolio.organization_id.0)
                    .bind(portfolio.lender_id)
                    .bind(&portfolio.name)
                    .bind(portfolio.created_at.as_millisecond())
                    .execute(&mut *tx)
                    .await?;
                insert_audit(&mut tx, audit).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn portfolios(
                &self,
                org: ronda_domain::OrganizationId,
                lender: Option<uuid::Uuid>,
            ) -> $crate::StoreResult<Vec<$crate::portfolio::Portfolio>> {
                let rows: Vec<$crate::portfolio::rows::PortfolioRow> =
                    sqlx::query_as($crate::portfolio::sql::SELECT_PORTFOLIOS)
                        .bind(org.0)
                        .bind(lender)
                        .bind(None::<uuid::Uuid>)
                        .fetch_all(&self.pool)
                        .await?;
                $crate::rows::convert_all(rows)
            }

            async fn portfolio(
                &self,
                org: ronda_domain::OrganizationId,
                id: uuid::Uuid,
            ) -> $crate::StoreResult<Option<$crate::portfolio::Portfolio>> {
                let row: Option<$crate::portfolio::rows::PortfolioRow> =
                    sqlx::query_as($crate::portfolio::sql::SELECT_PORTFOLIOS)
                        .bind(org.0)
                        .bind(None::<uuid::Uuid>)
                        .bind(id)
                        .fetch_optional(&self.pool)
                        .await?;
                row.map(TryInto::try_into).transpose()
            }

            async fn begin_import(
                &self,
                portfolio: &$crate::portfolio::Portfolio,
            ) -> $crate::StoreResult<Box<dyn $crate::portfolio::ImportSession>> {
                let mut tx = self.pool.begin_with(Self::BEGIN_WRITE).await?;
                if let Some(setup) = Self::CUSTOM_PLANS {
                    sqlx::query(setup).execute(&mut *tx).await?;
                }
                Ok(Box::new(ImportTransaction {
                    tx,
                    portfolio: portfolio.clone(),
                    now: jiff::Timestamp::now().as_millisecond(),
                    counts: $crate::portfolio::ImportCounts::default(),
                }))
            }

            async fn save_import_template(
                &self,
                org: ronda_domain::OrganizationId,
                lender_id: uuid::Uuid,
                name: &str,
                mapping: &serde_json::Value,
            ) -> $crate::StoreResult<()> {
                sqlx::query($crate::portfolio::sql::UPSERT_IMPORT_TEMPLATE)
                    .bind(uuid::Uuid::now_v7())
                    .bind(org.0)
                    .bind(lender_id)
                    .bind(name)
                    .bind(sqlx::types::Json(mapping))
                    .bind(jiff::Timestamp::now().as_millisecond())
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn accounts(
                &self,
                org: ronda_domain::OrganizationId,
                query: &$crate::portfolio::AccountQuery,
            ) -> $crate::StoreResult<(Vec<$crate::portfolio::AccountSummary>, i64)> {
                let pattern = query
                    .search
                    .as_deref()
                    .and_then($crate::portfolio::like_pattern);
                let rows: Vec<$crate::portfolio::rows::AccountSummaryRow> =
                    sqlx::query_as($crate::portfolio::sql::SELECT_ACCOUNTS_PAGE)
                        .bind(org.0)
                        .bind(query.portfolio_id)
                        .bind(&pattern)
                        .bind(i64::from(query.limit))
                        .bind(i64::try_from(query.offset).unwrap_or(i64::MAX))
                        .fetch_all(&self.pool)
                        .await?;
                let total: i64 = sqlx::query_scalar($crate::portfolio::sql::COUNT_ACCOUNTS)
                    .bind(org.0)
                    .bind(query.portfolio_id)
                    .bind(&pattern)
                    .fetch_one(&self.pool)
                    .await?;
                Ok(($crate::rows::convert_all(rows)?, total))
            }
        }
    };
}

pub(crate) use impl_portfolio_store;
