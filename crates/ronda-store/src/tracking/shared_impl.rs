//! The [`TrackingStore`](super::TrackingStore) implementation shared by both backends,
//! stamped out per pool type like the main store.

macro_rules! impl_tracking_store {
    ($store:ty, $database:ty) => {
        #[async_trait::async_trait]
        impl $crate::tracking::TrackingStore for $store {
            async fn create_device(
                &self,
                new: &$crate::tracking::NewDevice,
                audit: &$crate::AuditEvent,
            ) -> $crate::StoreResult<$crate::tracking::Device> {
                let device = &new.device;
                let mut tx = self.pool.begin_with(Self::BEGIN_WRITE).await?;
                sqlx::query($crate::tracking::sql::INSERT_DEVICE)
                    .bind(device.id)
                    .bind(device.organization_id.0)
                    .bind(device.agent_id.0)
                    .bind(&device.name)
                    .bind(device.kind.as_str())
                    .bind(&device.device_identifier)
                    .bind(&new.secret_hash[..])
                    .bind(device.created_at.as_millisecond())
                    .execute(&mut *tx)
                    .await?;
                insert_audit(&mut tx, audit).await?;
                let row: $crate::tracking::rows::DeviceRow =
                    sqlx::query_as($crate::tracking::sql::SELECT_DEVICE)
                        .bind(device.organization_id.0)
                        .bind(device.id)
                        .fetch_one(&mut *tx)
                        .await?;
                tx.commit().await?;
                row.try_into()
            }

            async fn devices(
                &self,
                org: ronda_domain::OrganizationId,
            ) -> $crate::StoreResult<Vec<$crate::tracking::Device>> {
                let rows: Vec<$crate::tracking::rows::DeviceRow> =
                    sqlx::query_as($crate::tracking::sql::SELECT_DEVICES)
                        .bind(org.0)
                        .fetch_all(&self.pool)
                        .await?;
                $crate::rows::convert_all(rows)
            }

            async fn revoke_device(
                &self,
                org: ronda_domain::OrganizationId,
                id: uuid::Uuid,
                audit: &$crate::AuditEvent,
            ) -> $crate::StoreResult<Option<$crate::tracking::Device>> {
                let mut tx = self.pool.begin_with(Self::BEGIN_WRITE).await?;
                let updated = sqlx::query($crate::tracking::sql::REVOKE_DEVICE)
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
                let row: $crate::tracking::rows::DeviceRow =
                    sqlx::query_as($crate::tracking::sql::SELECT_DEVICE)
                        .bind(org.0)
                        .bind(id)
                        .fetch_one(&mut *tx)
                        .await?;
                tx.commit().await?;
                row.try_into().map(Some)
            }

            async fn active_device(
                &self,
                identifier: &str,
            ) -> $crate::StoreResult<Option<$crate::tracking::DeviceCredentials>> {
                let row: Option<$crate::tracking::rows::DeviceRow> =
                    sqlx::query_as($crate::tracking::sql::SELECT_ACTIVE_DEVICE)
                        .bind(identifier)
                        .fetch_optional(&self.pool)
                        .await?;
                row.map(TryInto::try_into).transpose()
            }

            async fn store_positions(
                &self,
                positions: &[$crate::tracking::NewPosition],
            ) -> $crate::StoreResult<Vec<i64>> {
                self.insert_positions(positions).await
            }

            async fn latest_accepted_position(
                &self,
                org: ronda_domain::OrganizationId,
                device: uuid::Uuid,
            ) -> $crate::StoreResult<Option<$crate::tracking::Position>> {
                let row: Option<$crate::tracking::rows::PositionRow> =
                    sqlx::query_as($crate::tracking::sql::SELECT_LATEST_ACCEPTED_POSITION)
                        .bind(org.0)
                        .bind(device)
                        .fetch_optional(&self.pool)
                        .await?;
                row.map(TryInto::try_into).transpose()
            }

            async fn live_positions(
                &self,
                org: ronda_domain::OrganizationId,
            ) -> $crate::StoreResult<Vec<$crate::tracking::LivePosition>> {
                let rows: Vec<$crate::tracking::rows::LivePositionRow> =
                    sqlx::query_as($crate::tracking::sql::SELECT_LIVE_POSITIONS)
                        .bind(org.0)
                        .fetch_all(&self.pool)
                        .await?;
                $crate::rows::convert_all(rows)
            }

            async fn agent_positions(
                &self,
                org: ronda_domain::OrganizationId,
                agent: ronda_domain::UserId,
                from: jiff::Timestamp,
                to: jiff::Timestamp,
            ) -> $crate::StoreResult<Vec<$crate::tracking::Position>> {
                let rows: Vec<$crate::tracking::rows::PositionRow> =
                    sqlx::query_as($crate::tracking::sql::SELECT_AGENT_POSITIONS)
                        .bind(org.0)
                        .bind(agent.0)
                        .bind(from.as_millisecond())
                        .bind(to.as_millisecond())
                        .fetch_all(&self.pool)
                        .await?;
                $crate::rows::convert_all(rows)
            }

            async fn agent_shifts_since(
                &self,
                org: ronda_domain::OrganizationId,
                agent: ronda_domain::UserId,
                since: jiff::Timestamp,
            ) -> $crate::StoreResult<Vec<$crate::visit::Shift>> {
                let rows: Vec<$crate::visit::rows::ShiftRow> =
                    sqlx::query_as($crate::tracking::sql::SELECT_AGENT_SHIFTS_SINCE)
                        .bind(org.0)
                        .bind(agent.0)
                        .bind(since.as_millisecond())
                        .fetch_all(&self.pool)
                        .await?;
                $crate::rows::convert_all(rows)
            }

            async fn agent_day_visits(
                &self,
                org: ronda_domain::OrganizationId,
                agent: ronda_domain::UserId,
                from: jiff::Timestamp,
                to: jiff::Timestamp,
            ) -> $crate::StoreResult<Vec<$crate::tracking::DayVisit>> {
                let rows: Vec<$crate::tracking::rows::DayVisitRow> =
                    sqlx::query_as($crate::tracking::sql::SELECT_AGENT_DAY_VISITS)
                        .bind(org.0)
                        .bind(agent.0)
                        .bind(from.as_millisecond())
                        .bind(to.as_millisecond())
                        .fetch_all(&self.pool)
                        .await?;
                $crate::rows::convert_all(rows)
            }
        }
    };
}

pub(crate) use impl_tracking_store;
