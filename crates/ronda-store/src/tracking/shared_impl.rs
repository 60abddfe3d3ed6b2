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
            ) -> $crate::StoreResult<Vec<$crate::tracking::Position>> {
                use sqlx::types::Json;
                use $crate::tracking::{PositionStatus, sql};

                let raws: Vec<serde_json::Value> = positions
                    .iter()
                    .map(|position| $crate::tracking::without_nul(&position.raw))
                    .collect();
                let mut tx = self.position_pool.begin_with(Self::BEGIN_WRITE).await?;
                let mut ids: Vec<i64> = Vec::with_capacity(positions.len());
                let mut offset = 0;
                for rows in sql::statement_sizes(positions.len()) {
                    let text = sql::insert_positions(Self::BACKEND, rows);
                    let mut query = sqlx::query(text);
                    for (position, raw) in positions[offset..offset + rows]
                        .iter()
                        .zip(&raws[offset..offset + rows])
                    {
                        let fix = &position.fix;
                        query = query
                            .bind(position.organization_id.0)
                            .bind(position.device_id)
                            .bind(position.agent_id.0)
                            .bind(position.fix_time.as_millisecond())
                            .bind(position.received_at.as_millisecond())
                            .bind(fix.latitude)
                            .bind(fix.longitude)
                            .bind(fix.accuracy_m)
                            .bind(fix.speed_mps)
                            .bind(fix.bearing)
                            .bind(fix.altitude)
                            .bind(fix.battery_pct)
                            .bind(fix.charging)
                            .bind(fix.mock)
                            .bind(position.status.as_str())
                            .bind(&position.flag_reason)
                            .bind(position.flag_details.as_ref().map(Json))
                            .bind(position.older_than_latest)
                            .bind(Json(raw));
                    }
                    let returned: Vec<i64> = if Self::BACKEND == $crate::Backend::Sqlite {
                        // The statement ends with `SELECT last_insert_rowid(), changes()`.
                        // SQLite gives a new row the largest id so far plus one, and this
                        // transaction holds the write lock, so the ids are consecutive.
                        let row = query.fetch_one(&mut *tx).await?;
                        let last: i64 = sqlx::Row::try_get(&row, 0)?;
                        let changed: i64 = sqlx::Row::try_get(&row, 1)?;
                        if changed != rows as i64 {
                            return Err($crate::StoreError::Database(sqlx::Error::RowNotFound));
                        }
                        (last - changed + 1..=last).collect()
                    } else {
                        let mut returned = query
                            .fetch_all(&mut *tx)
                            .await?
                            .iter()
                            .map(|row| sqlx::Row::try_get::<i64, _>(row, 0))
                            .collect::<Result<Vec<i64>, _>>()?;
                        // One statement numbers its rows in order, so sorting the
                        // returned ids lines them up with the rows.
                        returned.sort_unstable();
                        returned
                    };
                    if returned.len() != rows {
                        return Err($crate::StoreError::Database(sqlx::Error::RowNotFound));
                    }
                    ids.extend(returned);
                    offset += rows;
                }

                // Only each agent's newest candidate can end up as the live position,
                // so one row per agent gives the same result as one per position. Among
                // equal fix times the first wins, as the upsert's strict comparison does.
                let mut newest: std::collections::HashMap<ronda_domain::UserId, usize> =
                    std::collections::HashMap::new();
                for (index, position) in positions.iter().enumerate() {
                    let moves_live = position.status == PositionStatus::Accepted
                        && !position.older_than_latest
                        && position.fix.latitude.is_some()
                        && position.fix.longitude.is_some();
                    if !moves_live {
                        continue;
                    }
                    let known = newest.entry(position.agent_id).or_insert(index);
                    if positions[*known].fix_time < position.fix_time {
                        *known = index;
                    }
                }
                let mut newest: Vec<usize> = newest.into_values().collect();
                newest.sort_unstable();
                let mut offset = 0;
                for rows in sql::statement_sizes(newest.len()) {
                    let text = sql::upsert_live_positions(Self::BACKEND, rows);
                    let mut query = sqlx::query(text);
                    for &index in &newest[offset..offset + rows] {
                        let position = &positions[index];
                        let fix = &position.fix;
                        query = query
                            .bind(position.agent_id.0)
                            .bind(position.organization_id.0)
                            .bind(position.device_id)
                            .bind(ids[index])
                            .bind(position.fix_time.as_millisecond())
                            .bind(position.received_at.as_millisecond())
                            .bind(fix.latitude)
                            .bind(fix.longitude)
                            .bind(fix.accuracy_m)
                            .bind(fix.speed_mps)
                            .bind(fix.bearing)
                            .bind(fix.altitude)
                            .bind(fix.battery_pct)
                            .bind(fix.charging);
                    }
                    query.execute(&mut *tx).await?;
                    offset += rows;
                }
                tx.commit().await?;

                Ok(positions
                    .iter()
                    .zip(ids)
                    .map(|(position, id)| $crate::tracking::Position {
                        id,
                        organization_id: position.organization_id,
                        device_id: position.device_id,
                        agent_id: position.agent_id,
                        fix_time: position.fix_time,
                        received_at: position.received_at,
                        fix: position.fix.clone(),
                        status: position.status,
                        flag_reason: position.flag_reason.clone(),
                        flag_details: position.flag_details.clone(),
                        older_than_latest: position.older_than_latest,
                        raw: position.raw.clone(),
                    })
                    .collect())
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
