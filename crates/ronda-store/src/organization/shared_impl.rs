//! The [`OrganizationSettingsStore`](super::OrganizationSettingsStore) implementation
//! shared by both backends.

macro_rules! impl_organization_settings_store {
    ($store:ty) => {
        $crate::organization::invitation::impl_invitation_store!($store);

        #[async_trait::async_trait]
        impl $crate::organization::OrganizationSettingsStore for $store {
            async fn organization_settings(
                &self,
                org: ronda_domain::OrganizationId,
            ) -> $crate::StoreResult<$crate::organization::OrganizationSettings> {
                let row: Option<$crate::organization::rows::SettingsRow> =
                    sqlx::query_as($crate::organization::sql::SELECT_SETTINGS)
                        .bind(org.0)
                        .fetch_optional(&self.pool)
                        .await?;
                row.map_or_else(|| Ok(Default::default()), TryInto::try_into)
            }

            async fn put_organization_settings(
                &self,
                org: ronda_domain::OrganizationId,
                settings: &$crate::organization::OrganizationSettings,
                audit: &$crate::AuditEvent,
            ) -> $crate::StoreResult<()> {
                let updated_at = settings.updated_at.unwrap_or(audit.at);
                let mut tx = self.pool.begin_with(Self::BEGIN_WRITE).await?;
                sqlx::query($crate::organization::sql::UPSERT_SETTINGS)
                    .bind(org.0)
                    .bind(&settings.display_name)
                    .bind(&settings.default_time_zone)
                    .bind(settings.contact_rule.as_ref().map(sqlx::types::Json))
                    .bind(updated_at.as_millisecond())
                    .execute(&mut *tx)
                    .await?;
                insert_audit(&mut tx, audit).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn agent_profile(
                &self,
                org: ronda_domain::OrganizationId,
                agent: ronda_domain::UserId,
            ) -> $crate::StoreResult<Option<$crate::organization::AgentProfile>> {
                let row: Option<$crate::organization::rows::ProfileRow> =
                    sqlx::query_as($crate::organization::sql::SELECT_PROFILE)
                        .bind(org.0)
                        .bind(agent.0)
                        .fetch_optional(&self.pool)
                        .await?;
                row.map(TryInto::try_into).transpose()
            }

            async fn put_agent_profile(
                &self,
                profile: &$crate::organization::AgentProfile,
                audit: &$crate::AuditEvent,
            ) -> $crate::StoreResult<()> {
                let start = profile.start_location.as_ref();
                let mut tx = self.pool.begin_with(Self::BEGIN_WRITE).await?;
                sqlx::query($crate::organization::sql::UPSERT_PROFILE)
                    .bind(profile.agent_id.0)
                    .bind(profile.organization_id.0)
                    .bind(sqlx::types::Json(&profile.working_hours))
                    .bind(start.map(|location| location.latitude))
                    .bind(start.map(|location| location.longitude))
                    .bind(start.and_then(|location| location.label.clone()))
                    .bind(sqlx::types::Json(&profile.zones))
                    .bind(profile.updated_at.as_millisecond())
                    .execute(&mut *tx)
                    .await?;
                insert_audit(&mut tx, audit).await?;
                tx.commit().await?;
                Ok(())
            }
        }
    };
}

pub(crate) use impl_organization_settings_store;
