//! The [`Store`](crate::Store) implementation that both backends share. It is a macro
//! because the statements in `sql.rs` run unchanged on both, and only the pool type
//! differs. Each backend supplies `BACKEND` and `run_migrations`, and may override a
//! statement by keeping it out of this macro.

macro_rules! impl_store {
    ($store:ty, $database:ty) => {
        /// Appends an audit entry inside the caller's transaction.
        async fn insert_audit(
            tx: &mut sqlx::Transaction<'_, $database>,
            audit: &$crate::AuditEvent,
        ) -> $crate::StoreResult<i64> {
            let id: i64 = sqlx::query_scalar($crate::sql::INSERT_AUDIT)
                .bind(audit.organization_id.0)
                .bind(audit.actor.kind())
                .bind(audit.actor.id())
                .bind(audit.action)
                .bind(audit.target_kind)
                .bind(&audit.target_id)
                .bind(sqlx::types::Json(&audit.details))
                .bind(audit.at.as_millisecond())
                .fetch_one(&mut **tx)
                .await?;
            Ok(id)
        }

        #[async_trait::async_trait]
        impl $crate::Store for $store {
            fn backend(&self) -> $crate::Backend {
                Self::BACKEND
            }

            async fn migrate(&self) -> $crate::StoreResult<()> {
                self.run_migrations().await
            }

            async fn ping(&self) -> $crate::StoreResult<()> {
                sqlx::query("SELECT 1").execute(&self.pool).await?;
                Ok(())
            }

            async fn close(&self) {
                self.close_positions().await;
                self.pool.close().await;
            }

            async fn create_organization(
                &self,
                org: &$crate::Organization,
                audit: &$crate::AuditEvent,
            ) -> $crate::StoreResult<()> {
                let mut tx = self.pool.begin_with(Self::BEGIN_WRITE).await?;
                sqlx::query($crate::sql::INSERT_ORGANIZATION)
                    .bind(org.id.0)
                    .bind(&org.name)
                    .bind(org.created_at.as_millisecond())
                    .execute(&mut *tx)
                    .await?;
                insert_audit(&mut tx, audit).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn organization(
                &self,
                id: ronda_domain::OrganizationId,
            ) -> $crate::StoreResult<Option<$crate::Organization>> {
                let row: Option<$crate::rows::OrganizationRow> =
                    sqlx::query_as($crate::sql::SELECT_ORGANIZATION)
                        .bind(id.0)
                        .fetch_optional(&self.pool)
                        .await?;
                row.map(TryInto::try_into).transpose()
            }

            async fn organization_by_name(
                &self,
                name: &str,
            ) -> $crate::StoreResult<Option<$crate::Organization>> {
                let row: Option<$crate::rows::OrganizationRow> =
                    sqlx::query_as($crate::sql::SELECT_ORGANIZATION_BY_NAME)
                        .bind(name)
                        .fetch_optional(&self.pool)
                        .await?;
                row.map(TryInto::try_into).transpose()
            }

            async fn count_organizations(&self) -> $crate::StoreResult<i64> {
                let count: i64 = sqlx::query_scalar($crate::sql::COUNT_ORGANIZATIONS)
                    .fetch_one(&self.pool)
                    .await?;
                Ok(count)
            }

            async fn create_user(
                &self,
                user: &$crate::NewUser,
                audit: &$crate::AuditEvent,
            ) -> $crate::StoreResult<$crate::User> {
                let mut tx = self.pool.begin_with(Self::BEGIN_WRITE).await?;
                sqlx::query($crate::sql::INSERT_USER)
                    .bind(user.id.0)
                    .bind(user.organization_id.0)
                    .bind(user.email.as_str())
                    .bind(user.name.as_str())
                    .bind(user.role.as_str())
                    .bind(&user.password_hash)
                    .bind(user.created_at.as_millisecond())
                    .execute(&mut *tx)
                    .await?;
                insert_audit(&mut tx, audit).await?;
                let row: $crate::rows::UserRow = sqlx::query_as($crate::sql::SELECT_USER)
                    .bind(user.organization_id.0)
                    .bind(user.id.0)
                    .fetch_one(&mut *tx)
                    .await?;
                tx.commit().await?;
                row.try_into()
            }

            async fn user(
                &self,
                org: ronda_domain::OrganizationId,
                id: ronda_domain::UserId,
            ) -> $crate::StoreResult<Option<$crate::User>> {
                let row: Option<$crate::rows::UserRow> = sqlx::query_as($crate::sql::SELECT_USER)
                    .bind(org.0)
                    .bind(id.0)
                    .fetch_optional(&self.pool)
                    .await?;
                row.map(TryInto::try_into).transpose()
            }

            async fn users(
                &self,
                org: ronda_domain::OrganizationId,
            ) -> $crate::StoreResult<Vec<$crate::User>> {
                let rows: Vec<$crate::rows::UserRow> = sqlx::query_as($crate::sql::SELECT_USERS)
                    .bind(org.0)
                    .fetch_all(&self.pool)
                    .await?;
                $crate::rows::convert_all(rows)
            }

            async fn login_candidate(
                &self,
                email: &ronda_domain::Email,
            ) -> $crate::StoreResult<Option<$crate::LoginCandidate>> {
                let row: Option<$crate::rows::LoginCandidateRow> =
                    sqlx::query_as($crate::sql::SELECT_LOGIN_CANDIDATE)
                        .bind(email.as_str())
                        .fetch_optional(&self.pool)
                        .await?;
                row.map(TryInto::try_into).transpose()
            }

            async fn set_user_active(
                &self,
                org: ronda_domain::OrganizationId,
                id: ronda_domain::UserId,
                active: bool,
                audit: &$crate::AuditEvent,
            ) -> $crate::StoreResult<Option<$crate::User>> {
                let mut tx = self.pool.begin_with(Self::BEGIN_WRITE).await?;
                let updated = sqlx::query($crate::sql::UPDATE_USER_ACTIVE)
                    .bind(org.0)
                    .bind(id.0)
                    .bind(active)
                    .bind(audit.at.as_millisecond())
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if updated == 0 {
                    return Ok(None);
                }
                if !active {
                    sqlx::query($crate::sql::DELETE_USER_SESSIONS)
                        .bind(org.0)
                        .bind(id.0)
                        .execute(&mut *tx)
                        .await?;
                }
                insert_audit(&mut tx, audit).await?;
                let row: $crate::rows::UserRow = sqlx::query_as($crate::sql::SELECT_USER)
                    .bind(org.0)
                    .bind(id.0)
                    .fetch_one(&mut *tx)
                    .await?;
                tx.commit().await?;
                row.try_into().map(Some)
            }

            async fn create_session(
                &self,
                session: &$crate::NewSession,
            ) -> $crate::StoreResult<()> {
                sqlx::query($crate::sql::INSERT_SESSION)
                    .bind(&session.token_hash[..])
                    .bind(session.organization_id.0)
                    .bind(session.user_id.0)
                    .bind(&session.csrf_token)
                    .bind(session.created_at.as_millisecond())
                    .bind(session.expires_at.as_millisecond())
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn session(
                &self,
                token_hash: &[u8; 32],
                now: jiff::Timestamp,
            ) -> $crate::StoreResult<Option<$crate::SessionRecord>> {
                let row: Option<$crate::rows::SessionRow> =
                    sqlx::query_as($crate::sql::SELECT_SESSION)
                        .bind(&token_hash[..])
                        .bind(now.as_millisecond())
                        .fetch_optional(&self.pool)
                        .await?;
                row.map(TryInto::try_into).transpose()
            }

            async fn delete_session(&self, token_hash: &[u8; 32]) -> $crate::StoreResult<()> {
                sqlx::query($crate::sql::DELETE_SESSION)
                    .bind(&token_hash[..])
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn delete_expired_sessions(
                &self,
                now: jiff::Timestamp,
            ) -> $crate::StoreResult<u64> {
                let deleted = sqlx::query($crate::sql::DELETE_EXPIRED_SESSIONS)
                    .bind(now.as_millisecond())
                    .execute(&self.pool)
                    .await?
                    .rows_affected();
                Ok(deleted)
            }

            async fn create_api_token(
                &self,
                token: &$crate::NewApiToken,
                audit: &$crate::AuditEvent,
            ) -> $crate::StoreResult<$crate::ApiToken> {
                let mut tx = self.pool.begin_with(Self::BEGIN_WRITE).await?;
                sqlx::query($crate::sql::INSERT_API_TOKEN)
                    .bind(token.id)
                    .bind(token.organization_id.0)
                    .bind(&token.name)
                    .bind(token.role.as_str())
                    .bind(&token.token_hash[..])
                    .bind(token.created_by.map(|id| id.0))
                    .bind(token.created_at.as_millisecond())
                    .execute(&mut *tx)
                    .await?;
                insert_audit(&mut tx, audit).await?;
                let row: $crate::rows::ApiTokenRow = sqlx::query_as($crate::sql::SELECT_API_TOKEN)
                    .bind(token.organization_id.0)
                    .bind(token.id)
                    .fetch_one(&mut *tx)
                    .await?;
                tx.commit().await?;
                row.try_into()
            }

            async fn api_tokens(
                &self,
                org: ronda_domain::OrganizationId,
            ) -> $crate::StoreResult<Vec<$crate::ApiToken>> {
                let rows: Vec<$crate::rows::ApiTokenRow> =
                    sqlx::query_as($crate::sql::SELECT_API_TOKENS)
                        .bind(org.0)
                        .fetch_all(&self.pool)
                        .await?;
                $crate::rows::convert_all(rows)
            }

            async fn api_token(
                &self,
                org: ronda_domain::OrganizationId,
                id: uuid::Uuid,
            ) -> $crate::StoreResult<Option<$crate::ApiToken>> {
                let row: Option<$crate::rows::ApiTokenRow> =
                    sqlx::query_as($crate::sql::SELECT_API_TOKEN)
                        .bind(org.0)
                        .bind(id)
                        .fetch_optional(&self.pool)
                        .await?;
                row.map(TryInto::try_into).transpose()
            }

            async fn revoke_api_token(
                &self,
                org: ronda_domain::OrganizationId,
                id: uuid::Uuid,
                audit: &$crate::AuditEvent,
            ) -> $crate::StoreResult<Option<$crate::ApiToken>> {
                let mut tx = self.pool.begin_with(Self::BEGIN_WRITE).await?;
                let updated = sqlx::query($crate::sql::REVOKE_API_TOKEN)
                    .bind(org.0)
                    .bind(id)
                    .bind(audit.at.as_millisecond())
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if updated == 0 {
                    return Ok(None);
                }
                insert_audit(&mut tx, audit).await?;
                let row: $crate::rows::ApiTokenRow = sqlx::query_as($crate::sql::SELECT_API_TOKEN)
                    .bind(org.0)
                    .bind(id)
                    .fetch_one(&mut *tx)
                    .await?;
                tx.commit().await?;
                row.try_into().map(Some)
            }

            async fn active_api_token(
                &self,
                token_hash: &[u8; 32],
            ) -> $crate::StoreResult<Option<$crate::ApiToken>> {
                let row: Option<$crate::rows::ApiTokenRow> =
                    sqlx::query_as($crate::sql::SELECT_ACTIVE_API_TOKEN)
                        .bind(&token_hash[..])
                        .fetch_optional(&self.pool)
                        .await?;
                row.map(TryInto::try_into).transpose()
            }

            async fn append_audit(&self, audit: &$crate::AuditEvent) -> $crate::StoreResult<i64> {
                let mut tx = self.pool.begin_with(Self::BEGIN_WRITE).await?;
                let id = insert_audit(&mut tx, audit).await?;
                tx.commit().await?;
                Ok(id)
            }

            async fn audit_entries(
                &self,
                org: ronda_domain::OrganizationId,
                before: Option<i64>,
                limit: u32,
            ) -> $crate::StoreResult<Vec<$crate::AuditEntry>> {
                let rows: Vec<$crate::rows::AuditRow> =
                    sqlx::query_as($crate::sql::SELECT_AUDIT_PAGE)
                        .bind(org.0)
                        .bind(before)
                        .bind(i64::from(limit))
                        .fetch_all(&self.pool)
                        .await?;
                $crate::rows::convert_all(rows)
            }

            async fn audit_entry(
                &self,
                org: ronda_domain::OrganizationId,
                id: i64,
            ) -> $crate::StoreResult<Option<$crate::AuditEntry>> {
                let row: Option<$crate::rows::AuditRow> =
                    sqlx::query_as($crate::sql::SELECT_AUDIT_ENTRY)
                        .bind(org.0)
                        .bind(id)
                        .fetch_optional(&self.pool)
                        .await?;
                row.map(TryInto::try_into).transpose()
            }
        }
    };
}

pub(crate) use impl_store;
