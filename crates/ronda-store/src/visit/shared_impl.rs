//! The [`VisitStore`](super::VisitStore) implementation shared by both backends, stamped
//! out per pool type like the main store.

use serde_json::{Value, json};
use uuid::Uuid;

use super::NewEvent;

/// Encodes events kept on a waiting visit, with times in milliseconds.
pub(crate) fn encode_events(events: &[NewEvent]) -> Value {
    Value::Array(
        events
            .iter()
            .map(|event| {
                json!({
                    "id": event.id,
                    "kind": event.kind,
                    "subject_id": event.subject_id,
                    "payload": event.payload,
                    "occurred_at": event.occurred_at.as_millisecond(),
                })
            })
            .collect(),
    )
}

/// Decodes what [`encode_events`] wrote. A malformed entry is a corrupt row.
pub(crate) fn decode_events(value: &Value) -> crate::StoreResult<Vec<NewEvent>> {
    let corrupt = || crate::StoreError::CorruptRow {
        table: "visits",
        column: "completion_events",
        value: value.to_string(),
    };
    let Some(items) = value.as_array() else {
        return Err(corrupt());
    };
    items
        .iter()
        .map(|item| {
            let id = item["id"]
                .as_str()
                .and_then(|text| Uuid::parse_str(text).ok());
            let subject_id = item["subject_id"]
                .as_str()
                .and_then(|text| Uuid::parse_str(text).ok());
            let kind = item["kind"].as_str();
            let occurred_at = item["occurred_at"]
                .as_i64()
                .and_then(|ms| jiff::Timestamp::from_millisecond(ms).ok());
            match (id, subject_id, kind, occurred_at) {
                (Some(id), Some(subject_id), Some(kind), Some(occurred_at)) => Ok(NewEvent {
                    id,
                    kind: kind.to_owned(),
                    subject_id,
                    payload: item["payload"].clone(),
                    occurred_at,
                }),
                _ => Err(corrupt()),
            }
        })
        .collect()
}

macro_rules! impl_visit_store {
    ($store:ty, $database:ty) => {
        /// Writes events inside the caller's transaction and returns them as stored.
        async fn insert_events(
            tx: &mut sqlx::Transaction<'_, $database>,
            org: ronda_domain::OrganizationId,
            events: &[$crate::visit::NewEvent],
            now: jiff::Timestamp,
        ) -> $crate::StoreResult<Vec<$crate::visit::Event>> {
            let mut written = Vec::with_capacity(events.len());
            for event in events {
                sqlx::query($crate::visit::sql::INSERT_EVENT)
                    .bind(event.id)
                    .bind(org.0)
                    .bind(&event.kind)
                    .bind(event.subject_id)
                    .bind(sqlx::types::Json(&event.payload))
                    .bind(event.occurred_at.as_millisecond())
                    .bind(now.as_millisecond())
                    .execute(&mut **tx)
                    .await?;
                written.push($crate::visit::Event {
                    id: event.id,
                    organization_id: org,
                    kind: event.kind.clone(),
                    subject_id: event.subject_id,
                    payload: event.payload.clone(),
                    occurred_at: event.occurred_at,
                    created_at: now,
                    dispatched_at: None,
                });
            }
            Ok(written)
        }

        async fn missing_attachments(
            tx: &mut sqlx::Transaction<'_, $database>,
            visit: uuid::Uuid,
        ) -> $crate::StoreResult<Vec<String>> {
            Ok(
                sqlx::query_scalar($crate::visit::sql::SELECT_MISSING_ATTACHMENTS)
                    .bind(visit)
                    .fetch_all(&mut **tx)
                    .await?,
            )
        }

        /// Takes the backend's transaction lock on one organization's file, if it has one.
        async fn lock_attachment(
            tx: &mut sqlx::Transaction<'_, $database>,
            lock: Option<&'static str>,
            org: ronda_domain::OrganizationId,
            sha256: &str,
        ) -> $crate::StoreResult<()> {
            if let Some(lock) = lock {
                sqlx::query(lock)
                    .bind(format!("{}:{sha256}", org.0))
                    .execute(&mut **tx)
                    .await?;
            }
            Ok(())
        }

        /// Completes a waiting visit that has every attachment, writing the events it
        /// kept. Returns the events, empty when the visit was not completed now.
        async fn complete_if_ready(
            tx: &mut sqlx::Transaction<'_, $database>,
            org: ronda_domain::OrganizationId,
            visit: uuid::Uuid,
            now: jiff::Timestamp,
        ) -> $crate::StoreResult<Option<Vec<$crate::visit::Event>>> {
            if !missing_attachments(tx, visit).await?.is_empty() {
                return Ok(None);
            }
            let kept: Option<Option<sqlx::types::Json<serde_json::Value>>> =
                sqlx::query_scalar($crate::visit::sql::SELECT_KEPT_EVENTS)
                    .bind(visit)
                    .fetch_optional(&mut **tx)
                    .await?;
            let Some(kept) = kept else {
                return Ok(None);
            };
            let completed = sqlx::query($crate::visit::sql::COMPLETE_VISIT)
                .bind(visit)
                .bind(now.as_millisecond())
                .execute(&mut **tx)
                .await?
                .rows_affected();
            if completed == 0 {
                return Ok(None);
            }
            let events = match kept {
                Some(value) => $crate::visit::shared_impl::decode_events(&value.0)?,
                None => Vec::new(),
            };
            insert_events(tx, org, &events, now).await.map(Some)
        }

        async fn read_receipt(
            tx: &mut sqlx::Transaction<'_, $database>,
            org: ronda_domain::OrganizationId,
            id: uuid::Uuid,
        ) -> $crate::StoreResult<Option<$crate::visit::VisitReceipt>> {
            let row: Option<$crate::visit::rows::ReceiptRow> =
                sqlx::query_as($crate::visit::sql::SELECT_RECEIPT)
                    .bind(id)
                    .fetch_optional(&mut **tx)
                    .await?;
            let Some(row) = row.filter(|row| row.organization_id == org.0) else {
                return Ok(None);
            };
            let missing = missing_attachments(tx, id).await?;
            row.into_receipt(missing).map(Some)
        }

        #[async_trait::async_trait]
        impl $crate::visit::VisitStore for $store {
            async fn track_outside_shifts(
                &self,
                org: ronda_domain::OrganizationId,
            ) -> $crate::StoreResult<bool> {
                let allowed: Option<bool> =
                    sqlx::query_scalar($crate::visit::sql::SELECT_TRACK_OUTSIDE_SHIFTS)
                        .bind(org.0)
                        .fetch_optional(&self.pool)
                        .await?;
                Ok(allowed.unwrap_or(false))
            }

            async fn set_track_outside_shifts(
                &self,
                org: ronda_domain::OrganizationId,
                allowed: bool,
                audit: &$crate::AuditEvent,
            ) -> $crate::StoreResult<()> {
                let mut tx = self.pool.begin_with(Self::BEGIN_WRITE).await?;
                sqlx::query($crate::visit::sql::UPDATE_TRACK_OUTSIDE_SHIFTS)
                    .bind(org.0)
                    .bind(allowed)
                    .execute(&mut *tx)
                    .await?;
                insert_audit(&mut tx, audit).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn put_shift(
                &self,
                shift: &$crate::visit::Shift,
                now: jiff::Timestamp,
            ) -> $crate::StoreResult<$crate::visit::ShiftOutcome> {
                use $crate::visit::{ShiftOutcome, sql};

                let mut tx = self.pool.begin_with(Self::BEGIN_WRITE).await?;
                let inserted = sqlx::query(sql::INSERT_SHIFT)
                    .bind(shift.id)
                    .bind(shift.organization_id.0)
                    .bind(shift.agent_id.0)
                    .bind(shift.clocked_in_at.as_millisecond())
                    .bind(shift.clocked_out_at.map(|at| at.as_millisecond()))
                    .bind(now.as_millisecond())
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if inserted == 1 {
                    tx.commit().await?;
                    return Ok(ShiftOutcome::Created(shift.clone()));
                }
                let row: $crate::visit::rows::ShiftRow = sqlx::query_as(sql::SELECT_SHIFT)
                    .bind(shift.id)
                    .fetch_one(&mut *tx)
                    .await?;
                let stored: $crate::visit::Shift = row.try_into()?;
                let same_owner = stored.organization_id == shift.organization_id
                    && stored.agent_id == shift.agent_id;
                if !same_owner || stored.clocked_in_at != shift.clocked_in_at {
                    tx.rollback().await?;
                    return Ok(ShiftOutcome::Conflict);
                }
                let outcome = match (stored.clocked_out_at, shift.clocked_out_at) {
                    (None, Some(out)) => {
                        sqlx::query(sql::CLOCK_OUT_SHIFT)
                            .bind(shift.id)
                            .bind(out.as_millisecond())
                            .bind(now.as_millisecond())
                            .execute(&mut *tx)
                            .await?;
                        ShiftOutcome::ClockedOut(shift.clone())
                    }
                    (Some(stored_out), Some(out)) if stored_out != out => ShiftOutcome::Conflict,
                    _ => ShiftOutcome::Unchanged(stored),
                };
                tx.commit().await?;
                Ok(outcome)
            }

            async fn open_shift(
                &self,
                org: ronda_domain::OrganizationId,
                agent: ronda_domain::UserId,
            ) -> $crate::StoreResult<Option<$crate::visit::Shift>> {
                let row: Option<$crate::visit::rows::ShiftRow> =
                    sqlx::query_as($crate::visit::sql::SELECT_OPEN_SHIFT)
                        .bind(org.0)
                        .bind(agent.0)
                        .fetch_optional(&self.pool)
                        .await?;
                row.map(TryInto::try_into).transpose()
            }

            async fn tracking_allowed(
                &self,
                org: ronda_domain::OrganizationId,
                agent: ronda_domain::UserId,
                at: jiff::Timestamp,
            ) -> $crate::StoreResult<bool> {
                if self.track_outside_shifts(org).await? {
                    return Ok(true);
                }
                let covering: i64 = sqlx::query_scalar($crate::visit::sql::SELECT_SHIFT_COVERS)
                    .bind(org.0)
                    .bind(agent.0)
                    .bind(at.as_millisecond())
                    .bind($crate::visit::OPEN_SHIFT_MAX_MS)
                    .fetch_one(&self.pool)
                    .await?;
                Ok(covering > 0)
            }

            async fn field_device(
                &self,
                org: ronda_domain::OrganizationId,
                agent: ronda_domain::UserId,
                now: jiff::Timestamp,
            ) -> $crate::StoreResult<$crate::tracking::Device> {
                let identifier = format!("pwa:{}", agent.0);
                let mut tx = self.pool.begin_with(Self::BEGIN_WRITE).await?;
                // The app authenticates with the agent's session, never with a device
                // secret, so the stored hash is all zeros: no secret hashes to it.
                sqlx::query($crate::visit::sql::INSERT_FIELD_DEVICE)
                    .bind(uuid::Uuid::now_v7())
                    .bind(org.0)
                    .bind(agent.0)
                    .bind(&identifier)
                    .bind(&[0u8; 32][..])
                    .bind(now.as_millisecond())
                    .execute(&mut *tx)
                    .await?;
                let row: $crate::tracking::rows::DeviceRow =
                    sqlx::query_as($crate::visit::sql::SELECT_FIELD_DEVICE)
                        .bind(org.0)
                        .bind(&identifier)
                        .fetch_one(&mut *tx)
                        .await?;
                tx.commit().await?;
                row.try_into()
            }

            async fn result_codes(
                &self,
                org: ronda_domain::OrganizationId,
            ) -> $crate::StoreResult<Vec<$crate::visit::ResultCode>> {
                use $crate::visit::{catalogue::DEFAULT_RESULT_CODES, rows::ResultCodeRow, sql};

                let rows: Vec<ResultCodeRow> = sqlx::query_as(sql::SELECT_RESULT_CODES)
                    .bind(org.0)
                    .fetch_all(&self.pool)
                    .await?;
                if !rows.is_empty() {
                    return Ok(rows.into_iter().map(Into::into).collect());
                }
                let mut tx = self.pool.begin_with(Self::BEGIN_WRITE).await?;
                for (position, (code, class, label_es, label_en, requires_es)) in
                    DEFAULT_RESULT_CODES.iter().enumerate()
                {
                    sqlx::query(sql::INSERT_RESULT_CODE)
                        .bind(org.0)
                        .bind(*code)
                        .bind(*class)
                        .bind(*label_es)
                        .bind(*label_en)
                        .bind(*requires_es)
                        .bind(i32::try_from(position).unwrap_or(i32::MAX))
                        .execute(&mut *tx)
                        .await?;
                }
                let rows: Vec<ResultCodeRow> = sqlx::query_as(sql::SELECT_RESULT_CODES)
                    .bind(org.0)
                    .fetch_all(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(rows.into_iter().map(Into::into).collect())
            }

            async fn day_stops(
                &self,
                org: ronda_domain::OrganizationId,
                agent: ronda_domain::UserId,
                since: jiff::Timestamp,
            ) -> $crate::StoreResult<Vec<$crate::visit::DayStop>> {
                use $crate::visit::rows::{DayPersonRow, DayStopRow};
                use $crate::visit::sql;

                let stops: Vec<DayStopRow> = sqlx::query_as(sql::SELECT_DAY_STOPS)
                    .bind(org.0)
                    .bind(agent.0)
                    .bind(since.as_millisecond())
                    .fetch_all(&self.pool)
                    .await?;
                let persons: Vec<DayPersonRow> = sqlx::query_as(sql::SELECT_DAY_PERSONS)
                    .bind(org.0)
                    .bind(agent.0)
                    .fetch_all(&self.pool)
                    .await?;
                let mut by_account: std::collections::HashMap<uuid::Uuid, Vec<_>> =
                    std::collections::HashMap::new();
                for person in persons {
                    by_account
                        .entry(person.account_id)
                        .or_default()
                        .push($crate::visit::StopPerson::from(person));
                }
                Ok(stops
                    .into_iter()
                    .map(|stop| {
                        let persons = by_account.get(&stop.account_id()).cloned();
                        stop.into_stop(persons.unwrap_or_default())
                    })
                    .collect())
            }

            async fn visit_context(
                &self,
                org: ronda_domain::OrganizationId,
                account: uuid::Uuid,
                address: uuid::Uuid,
            ) -> $crate::StoreResult<Option<$crate::visit::VisitContext>> {
                let row: Option<$crate::visit::rows::VisitContextRow> =
                    sqlx::query_as($crate::visit::sql::SELECT_VISIT_CONTEXT)
                        .bind(org.0)
                        .bind(account)
                        .bind(address)
                        .fetch_optional(&self.pool)
                        .await?;
                Ok(row.map(Into::into))
            }

            async fn put_visit(
                &self,
                visit: &$crate::visit::NewVisit,
            ) -> $crate::StoreResult<$crate::visit::PutVisitOutcome> {
                use sqlx::types::Json;
                use $crate::visit::{PutVisitOutcome, sql};

                let org = visit.organization_id;
                let now = visit.received_at;
                let mut tx = self.pool.begin_with(Self::BEGIN_WRITE).await?;
                let mut files: Vec<&str> = visit
                    .attachments
                    .iter()
                    .map(|attachment| attachment.sha256.as_str())
                    .collect();
                // Sorted, so two transactions never wait on each other's locks in a cycle.
                files.sort_unstable();
                files.dedup();
                for sha256 in files {
                    lock_attachment(&mut tx, Self::LOCK_ATTACHMENT, org, sha256).await?;
                }
                let kept_events = (!visit.completion_events.is_empty())
                    .then(|| $crate::visit::shared_impl::encode_events(&visit.completion_events));
                let inserted = sqlx::query(sql::INSERT_VISIT)
                    .bind(visit.id)
                    .bind(org.0)
                    .bind(visit.agent_id.0)
                    .bind(visit.account_id)
                    .bind(visit.address_id)
                    .bind(visit.assignment_id)
                    .bind(visit.assigned_to_agent)
                    .bind(visit.form_version_id)
                    .bind(&visit.content_sha256)
                    .bind(visit.received_at.as_millisecond())
                    .bind(visit.started_at.as_millisecond())
                    .bind(visit.finished_at.as_millisecond())
                    .bind(visit.checkin_latitude)
                    .bind(visit.checkin_longitude)
                    .bind(visit.checkin_accuracy_m)
                    .bind(visit.checkin_fix_time.as_millisecond())
                    .bind(visit.checkin_mock)
                    .bind(visit.device_time.as_millisecond())
                    .bind(visit.server_offset_ms)
                    .bind(&visit.on_device_decision)
                    .bind(Json(&visit.on_device_reasons))
                    .bind(&visit.verdict)
                    .bind(Json(&visit.verdict_reasons))
                    .bind(&visit.exception)
                    .bind(visit.proposed_point.map(|(latitude, _)| latitude))
                    .bind(visit.proposed_point.map(|(_, longitude)| longitude))
                    .bind(Json(&$crate::tracking::without_nul(&visit.answers)))
                    .bind(&visit.result_code)
                    .bind(&visit.person_met)
                    .bind(visit.promise_amount_cents)
                    .bind(&visit.promise_date)
                    .bind(&visit.promise_channel)
                    .bind(kept_events.as_ref().map(Json))
                    .bind(Json(&$crate::tracking::without_nul(&visit.body)))
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();

                if inserted == 0 {
                    let Some(receipt) = read_receipt(&mut tx, org, visit.id).await? else {
                        tx.rollback().await?;
                        return Ok(PutVisitOutcome::Conflict);
                    };
                    if receipt.content_sha256 != visit.content_sha256
                        || receipt.agent_id != visit.agent_id
                    {
                        tx.rollback().await?;
                        return Ok(PutVisitOutcome::Conflict);
                    }
                    // A file may have arrived while this visit's first request was still
                    // open, so a retry finishes what that race left waiting.
                    let events = complete_if_ready(&mut tx, org, visit.id, now)
                        .await?
                        .unwrap_or_default();
                    let receipt = read_receipt(&mut tx, org, visit.id).await?;
                    tx.commit().await?;
                    return match receipt {
                        Some(receipt) => Ok(PutVisitOutcome::Unchanged { receipt, events }),
                        None => Ok(PutVisitOutcome::Conflict),
                    };
                }

                for attachment in &visit.attachments {
                    sqlx::query(sql::INSERT_VISIT_ATTACHMENT)
                        .bind(visit.id)
                        .bind(org.0)
                        .bind(&attachment.sha256)
                        .bind(&attachment.kind)
                        .bind(&attachment.content_type)
                        .bind(attachment.size_bytes)
                        .bind(&attachment.question)
                        .execute(&mut *tx)
                        .await?;
                }
                let mut events = insert_events(&mut tx, org, &visit.receipt_events, now).await?;
                if let Some(completed) = complete_if_ready(&mut tx, org, visit.id, now).await? {
                    events.extend(completed);
                }
                let receipt = read_receipt(&mut tx, org, visit.id).await?;
                tx.commit().await?;
                match receipt {
                    Some(receipt) => Ok(PutVisitOutcome::Created { receipt, events }),
                    None => Err($crate::StoreError::CorruptRow {
                        table: "visits",
                        column: "id",
                        value: visit.id.to_string(),
                    }),
                }
            }

            async fn visit_receipt(
                &self,
                org: ronda_domain::OrganizationId,
                id: uuid::Uuid,
            ) -> $crate::StoreResult<Option<$crate::visit::VisitReceipt>> {
                let mut tx = self.pool.begin().await?;
                let receipt = read_receipt(&mut tx, org, id).await?;
                tx.commit().await?;
                Ok(receipt)
            }

            async fn put_attachment(
                &self,
                org: ronda_domain::OrganizationId,
                sha256: &str,
                content_type: &str,
                content: &[u8],
                now: jiff::Timestamp,
            ) -> $crate::StoreResult<$crate::visit::PutAttachmentOutcome> {
                use $crate::visit::sql;

                let mut tx = self.pool.begin_with(Self::BEGIN_WRITE).await?;
                lock_attachment(&mut tx, Self::LOCK_ATTACHMENT, org, sha256).await?;
                let size = i64::try_from(content.len()).unwrap_or(i64::MAX);
                let created = sqlx::query(sql::INSERT_ATTACHMENT)
                    .bind(org.0)
                    .bind(sha256)
                    .bind(content_type)
                    .bind(size)
                    .bind(content)
                    .bind(now.as_millisecond())
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
                    == 1;
                let waiting: Vec<uuid::Uuid> =
                    sqlx::query_scalar(sql::SELECT_WAITING_VISITS_FOR_FILE)
                        .bind(org.0)
                        .bind(sha256)
                        .fetch_all(&mut *tx)
                        .await?;
                let mut completed_visits = Vec::new();
                let mut events = Vec::new();
                for visit in waiting {
                    if let Some(written) = complete_if_ready(&mut tx, org, visit, now).await? {
                        completed_visits.push(visit);
                        events.extend(written);
                    }
                }
                tx.commit().await?;
                Ok($crate::visit::PutAttachmentOutcome {
                    created,
                    completed_visits,
                    events,
                })
            }

            async fn attachment(
                &self,
                org: ronda_domain::OrganizationId,
                sha256: &str,
            ) -> $crate::StoreResult<Option<$crate::visit::Attachment>> {
                let row: Option<(String, String, Vec<u8>)> =
                    sqlx::query_as($crate::visit::sql::SELECT_ATTACHMENT)
                        .bind(org.0)
                        .bind(sha256)
                        .fetch_optional(&self.pool)
                        .await?;
                Ok(row.map(
                    |(sha256, content_type, content)| $crate::visit::Attachment {
                        sha256,
                        content_type,
                        content,
                    },
                ))
            }

            async fn events(
                &self,
                org: ronda_domain::OrganizationId,
            ) -> $crate::StoreResult<Vec<$crate::visit::Event>> {
                let rows: Vec<$crate::visit::rows::EventRow> =
                    sqlx::query_as($crate::visit::sql::SELECT_EVENTS)
                        .bind(org.0)
                        .fetch_all(&self.pool)
                        .await?;
                $crate::rows::convert_all(rows)
            }
        }
    };
}

pub(crate) use impl_visit_store;
