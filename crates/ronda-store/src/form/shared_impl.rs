//! The [`FormStore`](super::FormStore) implementation shared by both backends.

macro_rules! impl_form_store {
    ($store:ty, $database:ty) => {
        #[async_trait::async_trait]
        impl $crate::form::FormStore for $store {
            async fn publish_form_version(
                &self,
                version: &$crate::form::StoredFormVersion,
                audit: &$crate::AuditEvent,
            ) -> $crate::StoreResult<$crate::form::PublishOutcome> {
                use $crate::form::PublishOutcome;
                use $crate::form::rows::VersionRow;
                use $crate::form::sql;
                let org = version.organization_id.0;
                let mut tx = self.pool.begin_with(Self::BEGIN_WRITE).await?;
                let same: Option<VersionRow> = sqlx::query_as(sql::SELECT_VERSION_BY_HASH)
                    .bind(org)
                    .bind(&version.form_id)
                    .bind(&version.content_hash)
                    .fetch_optional(&mut *tx)
                    .await?;
                if let Some(row) = same {
                    return Ok(PublishOutcome::Unchanged(row.try_into()?));
                }
                let taken: Option<VersionRow> = sqlx::query_as(sql::SELECT_VERSION_BY_LABEL)
                    .bind(org)
                    .bind(&version.form_id)
                    .bind(&version.version)
                    .fetch_optional(&mut *tx)
                    .await?;
                if let Some(row) = taken {
                    return Ok(PublishOutcome::VersionTaken(row.try_into()?));
                }
                let at = version.published_at.as_millisecond();
                sqlx::query(sql::UPSERT_FORM)
                    .bind(org)
                    .bind(&version.form_id)
                    .bind(&version.title_es)
                    .bind(&version.title_en)
                    .bind(at)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(sql::INSERT_VERSION)
                    .bind(version.id)
                    .bind(org)
                    .bind(&version.form_id)
                    .bind(&version.version)
                    .bind(&version.content_hash)
                    .bind(&version.definition)
                    .bind(version.source.as_str())
                    .bind(version.published_by.map(|user| user.0))
                    .bind(at)
                    .execute(&mut *tx)
                    .await?;
                insert_audit(&mut tx, audit).await?;
                let row: VersionRow = sqlx::query_as(sql::SELECT_VERSION)
                    .bind(org)
                    .bind(version.id)
                    .fetch_one(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(PublishOutcome::Published(row.try_into()?))
            }

            async fn forms(
                &self,
                org: ronda_domain::OrganizationId,
            ) -> $crate::StoreResult<Vec<$crate::form::FormSummary>> {
                let rows: Vec<$crate::form::rows::FormRow> =
                    sqlx::query_as($crate::form::sql::SELECT_FORMS)
                        .bind(org.0)
                        .fetch_all(&self.pool)
                        .await?;
                $crate::rows::convert_all(rows)
            }

            async fn form_versions(
                &self,
                org: ronda_domain::OrganizationId,
                form_id: &str,
            ) -> $crate::StoreResult<Vec<$crate::form::StoredFormVersion>> {
                let rows: Vec<$crate::form::rows::VersionRow> =
                    sqlx::query_as($crate::form::sql::SELECT_VERSIONS)
                        .bind(org.0)
                        .bind(form_id)
                        .fetch_all(&self.pool)
                        .await?;
                $crate::rows::convert_all(rows)
            }

            async fn form_version(
                &self,
                org: ronda_domain::OrganizationId,
                id: uuid::Uuid,
            ) -> $crate::StoreResult<Option<$crate::form::StoredFormVersion>> {
                let row: Option<$crate::form::rows::VersionRow> =
                    sqlx::query_as($crate::form::sql::SELECT_VERSION)
                        .bind(org.0)
                        .bind(id)
                        .fetch_optional(&self.pool)
                        .await?;
                row.map(TryInto::try_into).transpose()
            }

            async fn latest_form_version(
                &self,
                org: ronda_domain::OrganizationId,
                form_id: &str,
            ) -> $crate::StoreResult<Option<$crate::form::StoredFormVersion>> {
                let row: Option<$crate::form::rows::VersionRow> =
                    sqlx::query_as($crate::form::sql::SELECT_LATEST_VERSION)
                        .bind(org.0)
                        .bind(form_id)
                        .fetch_optional(&self.pool)
                        .await?;
                row.map(TryInto::try_into).transpose()
            }
        }
    };
}

pub(crate) use impl_form_store;
