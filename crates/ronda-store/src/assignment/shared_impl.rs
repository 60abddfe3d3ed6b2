//! The [`AssignmentStore`](super::AssignmentStore) implementation shared by both backends,
//! stamped out per pool type like the main store.

macro_rules! impl_assignment_store {
    ($store:ty, $database:ty) => {
        /// Returns why the user cannot receive assignments, or `None` for an active agent.
        async fn check_assignee(
            executor: impl sqlx::Executor<'_, Database = $database>,
            org: ronda_domain::OrganizationId,
            agent_id: ronda_domain::UserId,
        ) -> $crate::StoreResult<Option<$crate::assignment::AgentProblem>> {
            let row: Option<$crate::assignment::rows::AgentRow> =
                sqlx::query_as($crate::assignment::sql::SELECT_ASSIGNEE)
                    .bind(org.0)
                    .bind(agent_id.0)
                    .fetch_optional(executor)
                    .await?;
            Ok($crate::assignment::agent_problem(row.as_ref()))
        }

        async fn stored_daily_capacity(
            executor: impl sqlx::Executor<'_, Database = $database>,
            org: ronda_domain::OrganizationId,
            agent_id: ronda_domain::UserId,
        ) -> $crate::StoreResult<i32> {
            let capacity: Option<i32> =
                sqlx::query_scalar($crate::assignment::sql::SELECT_DAILY_CAPACITY)
                    .bind(org.0)
                    .bind(agent_id.0)
                    .fetch_optional(executor)
                    .await?;
            Ok(capacity.unwrap_or($crate::assignment::DEFAULT_DAILY_CAPACITY))
        }

        #[async_trait::async_trait]
        impl $crate::assignment::AssignmentStore for $store {
            async fn assign_accounts(
                &self,
                batch: &$crate::assignment::AssignmentBatch,
                audit: &$crate::AuditEvent,
            ) -> $crate::StoreResult<$crate::assignment::AssignOutcome> {
                use $crate::assignment::{AssignOutcome, AssignmentCounts, sql};

                let org = batch.organization_id;
                let now = audit.at.as_millisecond();
                let mut tx = self.pool.begin_with(Self::BEGIN_WRITE).await?;
                if let Some(problem) = check_assignee(&mut *tx, org, batch.agent_id).await? {
                    tx.rollback().await?;
                    return Ok(AssignOutcome::Agent(problem));
                }

                // Read every account first, so an unknown id writes nothing at all.
                let mut seen = std::collections::HashSet::new();
                let mut holders = Vec::with_capacity(batch.account_ids.len());
                let mut unknown = Vec::new();
                for &account_id in &batch.account_ids {
                    if !seen.insert(account_id) {
                        continue;
                    }
                    let holder: Option<(uuid::Uuid, Option<uuid::Uuid>)> =
                        sqlx::query_as(sql::SELECT_ACCOUNT_HOLDER)
                            .bind(org.0)
                            .bind(account_id)
                            .fetch_optional(&mut *tx)
                            .await?;
                    match holder {
                        Some((_, agent)) => holders.push((account_id, agent)),
                        None => unknown.push(account_id),
                    }
                }
                if !unknown.is_empty() {
                    tx.rollback().await?;
                    return Ok(AssignOutcome::UnknownAccounts(unknown));
                }

                let mut counts = AssignmentCounts::default();
                for (account_id, holder) in holders {
                    match holder {
                        Some(agent) if agent == batch.agent_id.0 => {
                            counts.unchanged += 1;
                            continue;
                        }
                        Some(_) => {
                            sqlx::query(sql::CLOSE_CURRENT)
                                .bind(org.0)
                                .bind(account_id)
                                .bind(now)
                                .execute(&mut *tx)
                                .await?;
                            counts.reassigned += 1;
                        }
                        None => counts.assigned += 1,
                    }
                    sqlx::query(sql::INSERT_ASSIGNMENT)
                        .bind(uuid::Uuid::now_v7())
                        .bind(org.0)
                        .bind(account_id)
                        .bind(batch.agent_id.0)
                        .bind(batch.assigned_by.map(|user| user.0))
                        .bind(now)
                        .execute(&mut *tx)
                        .await?;
                }

                // NOTE: two concurrent batches for the same agent on PostgreSQL may each
                // pass this check, because neither reads the other's rows before commit. Two
                // batches that move the same account conflict on `assignments_current_key`,
                // and the later one is answered 409.
                counts.agent_load = sqlx::query_scalar(sql::COUNT_CURRENT_OF_AGENT)
                    .bind(org.0)
                    .bind(batch.agent_id.0)
                    .fetch_one(&mut *tx)
                    .await?;
                counts.daily_capacity =
                    stored_daily_capacity(&mut *tx, org, batch.agent_id).await?;
                counts.over_capacity = $crate::assignment::exceeds_capacity(
                    counts.agent_load,
                    counts.daily_capacity,
                    batch.capacity_days,
                );
                // A batch that gives the agent no account, such as an empty selection,
                // is not refused for a load the agent already had.
                let adds = counts.assigned + counts.reassigned > 0;
                if counts.over_capacity && adds && !batch.allow_over_capacity {
                    tx.rollback().await?;
                    return Ok(AssignOutcome::OverCapacity {
                        agent_load: counts.agent_load,
                        daily_capacity: counts.daily_capacity,
                    });
                }
                insert_audit(&mut tx, audit).await?;
                tx.commit().await?;
                Ok(AssignOutcome::Done(counts))
            }

            async fn unassign_account(
                &self,
                org: ronda_domain::OrganizationId,
                account_id: uuid::Uuid,
                audit: &$crate::AuditEvent,
            ) -> $crate::StoreResult<Option<$crate::assignment::Assignment>> {
                use $crate::assignment::sql;

                let mut tx = self.pool.begin_with(Self::BEGIN_WRITE).await?;
                let current: Option<$crate::assignment::rows::AssignmentRow> =
                    sqlx::query_as(sql::SELECT_ASSIGNMENTS)
                        .bind(org.0)
                        .bind(account_id)
                        .bind(true)
                        .fetch_optional(&mut *tx)
                        .await?;
                let Some(current) = current else {
                    tx.rollback().await?;
                    return Ok(None);
                };
                sqlx::query(sql::CLOSE_CURRENT)
                    .bind(org.0)
                    .bind(account_id)
                    .bind(audit.at.as_millisecond())
                    .execute(&mut *tx)
                    .await?;
                insert_audit(&mut tx, audit).await?;
                tx.commit().await?;
                let mut closed: $crate::assignment::Assignment = current.try_into()?;
                closed.unassigned_at = Some(audit.at);
                Ok(Some(closed))
            }

            async fn assignment_history(
                &self,
                org: ronda_domain::OrganizationId,
                account_id: uuid::Uuid,
            ) -> $crate::StoreResult<Option<Vec<$crate::assignment::Assignment>>> {
                use $crate::assignment::sql;

                let exists: i64 = sqlx::query_scalar(sql::COUNT_ACCOUNT)
                    .bind(org.0)
                    .bind(account_id)
                    .fetch_one(&self.pool)
                    .await?;
                if exists == 0 {
                    return Ok(None);
                }
                let rows: Vec<$crate::assignment::rows::AssignmentRow> =
                    sqlx::query_as(sql::SELECT_ASSIGNMENTS)
                        .bind(org.0)
                        .bind(account_id)
                        .bind(false)
                        .fetch_all(&self.pool)
                        .await?;
                $crate::rows::convert_all(rows).map(Some)
            }

            async fn agent_loads(
                &self,
                org: ronda_domain::OrganizationId,
            ) -> $crate::StoreResult<Vec<$crate::assignment::AgentLoad>> {
                let rows: Vec<$crate::assignment::rows::AgentLoadRow> =
                    sqlx::query_as($crate::assignment::sql::SELECT_AGENT_LOADS)
                        .bind(org.0)
                        .fetch_all(&self.pool)
                        .await?;
                $crate::rows::convert_all(rows)
            }

            async fn daily_capacity(
                &self,
                org: ronda_domain::OrganizationId,
                agent_id: ronda_domain::UserId,
            ) -> $crate::StoreResult<Result<i32, $crate::assignment::AgentProblem>> {
                if let Some(problem) = check_assignee(&self.pool, org, agent_id).await? {
                    return Ok(Err(problem));
                }
                stored_daily_capacity(&self.pool, org, agent_id)
                    .await
                    .map(Ok)
            }

            async fn set_daily_capacity(
                &self,
                org: ronda_domain::OrganizationId,
                agent_id: ronda_domain::UserId,
                daily_capacity: i32,
                audit: &$crate::AuditEvent,
            ) -> $crate::StoreResult<Result<(), $crate::assignment::AgentProblem>> {
                let mut tx = self.pool.begin_with(Self::BEGIN_WRITE).await?;
                if let Some(problem) = check_assignee(&mut *tx, org, agent_id).await? {
                    tx.rollback().await?;
                    return Ok(Err(problem));
                }
                sqlx::query($crate::assignment::sql::UPSERT_DAILY_CAPACITY)
                    .bind(agent_id.0)
                    .bind(org.0)
                    .bind(daily_capacity)
                    .bind(audit.at.as_millisecond())
                    .execute(&mut *tx)
                    .await?;
                insert_audit(&mut tx, audit).await?;
                tx.commit().await?;
                Ok(Ok(()))
            }

            async fn account_ids_by_postal_codes(
                &self,
                org: ronda_domain::OrganizationId,
                postal_codes: &[String],
                portfolio_id: Option<uuid::Uuid>,
            ) -> $crate::StoreResult<Vec<uuid::Uuid>> {
                let mut ids = Vec::new();
                let mut seen = std::collections::HashSet::new();
                for code in postal_codes {
                    if !seen.insert(code.as_str()) {
                        continue;
                    }
                    let found: Vec<uuid::Uuid> =
                        sqlx::query_scalar($crate::assignment::sql::SELECT_IDS_BY_POSTAL_CODE)
                            .bind(org.0)
                            .bind(code)
                            .bind(portfolio_id)
                            .fetch_all(&self.pool)
                            .await?;
                    ids.extend(found);
                }
                Ok(ids)
            }

            async fn account_ids_by_municipality(
                &self,
                org: ronda_domain::OrganizationId,
                municipality: &str,
                portfolio_id: Option<uuid::Uuid>,
            ) -> $crate::StoreResult<Vec<uuid::Uuid>> {
                use ronda_domain::portfolio::fold_place_name;

                let expected = fold_place_name(municipality);
                let rows: Vec<(uuid::Uuid, String)> =
                    sqlx::query_as($crate::assignment::sql::SELECT_MUNICIPALITIES)
                        .bind(org.0)
                        .bind(portfolio_id)
                        .fetch_all(&self.pool)
                        .await?;
                Ok(rows
                    .into_iter()
                    .filter(|(_, name)| fold_place_name(name) == expected)
                    .map(|(id, _)| id)
                    .collect())
            }

            async fn account_ids_in_zone(
                &self,
                org: ronda_domain::OrganizationId,
                zone: &ronda_domain::zone::Zone,
                portfolio_id: Option<uuid::Uuid>,
            ) -> $crate::StoreResult<Vec<uuid::Uuid>> {
                let (south_west, north_east) = zone.bounding_box();
                let rows: Vec<$crate::assignment::rows::AccountPointRow> =
                    sqlx::query_as($crate::assignment::sql::SELECT_POINTS_IN_BOX)
                        .bind(org.0)
                        .bind(portfolio_id)
                        .bind(south_west.latitude)
                        .bind(south_west.longitude)
                        .bind(north_east.latitude)
                        .bind(north_east.longitude)
                        .fetch_all(&self.pool)
                        .await?;
                let inside = rows.into_iter().filter_map(|row| {
                    let point = ronda_domain::portfolio::Point {
                        latitude: row.latitude?,
                        longitude: row.longitude?,
                    };
                    zone.contains(point).then_some(row.id)
                });
                Ok(inside.collect())
            }
        }
    };
}

pub(crate) use impl_assignment_store;
