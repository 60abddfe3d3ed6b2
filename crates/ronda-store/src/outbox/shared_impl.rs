//! The [`OutboxStore`](super::OutboxStore) implementation shared by both backends,
//! stamped out per pool type like the main store.

macro_rules! impl_outbox_store {
    ($store:ty, $database:ty) => {
        #[async_trait::async_trait]
        impl $crate::outbox::OutboxStore for $store {
            async fn record_event(
                &self,
                event: &$crate::outbox::NewEvent,
            ) -> $crate::StoreResult<()> {
                sqlx::query($crate::outbox::sql::INSERT_EVENT)
                    .bind(event.id)
                    .bind(event.organization_id.0)
                    .bind(event.kind.as_str())
                    .bind(event.subject_id)
                    .bind(sqlx::types::Json(&event.payload))
                    .bind(event.occurred_at.as_millisecond())
                    .bind(event.created_at.as_millisecond())
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn record_daily_summary(
                &self,
                event: &$crate::outbox::NewEvent,
            ) -> $crate::StoreResult<bool> {
                let done = sqlx::query($crate::outbox::sql::INSERT_DAILY_SUMMARY)
                    .bind(event.id)
                    .bind(event.organization_id.0)
                    .bind(event.subject_id)
                    .bind(sqlx::types::Json(&event.payload))
                    .bind(event.occurred_at.as_millisecond())
                    .bind(event.created_at.as_millisecond())
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn organizations_with_daily_summary(
                &self,
            ) -> $crate::StoreResult<Vec<ronda_domain::OrganizationId>> {
                let ids: Vec<(uuid::Uuid,)> =
                    sqlx::query_as($crate::outbox::sql::SELECT_DAILY_SUMMARY_ORGANIZATIONS)
                        .bind(true)
                        .fetch_all(&self.pool)
                        .await?;
                Ok(ids
                    .into_iter()
                    .map(|(id,)| ronda_domain::OrganizationId(id))
                    .collect())
            }

            async fn day_visits(
                &self,
                org: ronda_domain::OrganizationId,
                from: jiff::Timestamp,
                to: jiff::Timestamp,
            ) -> $crate::StoreResult<Vec<$crate::outbox::DayVisit>> {
                type Row = (
                    uuid::Uuid,
                    String,
                    String,
                    Option<String>,
                    Option<i64>,
                    Option<String>,
                );
                let rows: Vec<Row> = sqlx::query_as($crate::outbox::sql::SELECT_DAY_VISITS)
                    .bind(org.0)
                    .bind(from.as_millisecond())
                    .bind(to.as_millisecond())
                    .fetch_all(&self.pool)
                    .await?;
                Ok(rows
                    .into_iter()
                    .map(
                        |(agent, agent_name, verdict, result_code, promise, exception)| {
                            $crate::outbox::DayVisit {
                                agent_id: ronda_domain::UserId(agent),
                                agent_name,
                                verdict,
                                result_code,
                                promise_amount_cents: promise,
                                exception,
                            }
                        },
                    )
                    .collect())
            }

            async fn undispatched_events(
                &self,
                limit: u32,
            ) -> $crate::StoreResult<Vec<$crate::outbox::Event>> {
                let rows: Vec<$crate::outbox::rows::EventRow> =
                    sqlx::query_as($crate::outbox::sql::SELECT_UNDISPATCHED_EVENTS)
                        .bind(i64::from(limit))
                        .fetch_all(&self.pool)
                        .await?;
                $crate::rows::convert_all(rows)
            }

            async fn event(
                &self,
                org: ronda_domain::OrganizationId,
                id: uuid::Uuid,
            ) -> $crate::StoreResult<Option<$crate::outbox::Event>> {
                let row: Option<$crate::outbox::rows::EventRow> =
                    sqlx::query_as($crate::outbox::sql::SELECT_EVENT)
                        .bind(org.0)
                        .bind(id)
                        .fetch_optional(&self.pool)
                        .await?;
                row.map(TryInto::try_into).transpose()
            }

            async fn dispatch_event(
                &self,
                event: &$crate::outbox::Event,
                emails: &[$crate::outbox::NewEmailDelivery],
                webhooks: &[$crate::outbox::NewWebhookDelivery],
                at: jiff::Timestamp,
            ) -> $crate::StoreResult<bool> {
                use $crate::outbox::sql;

                let at = at.as_millisecond();
                let mut tx = self.pool.begin_with(Self::BEGIN_WRITE).await?;
                let marked = sqlx::query(sql::MARK_EVENT_DISPATCHED)
                    .bind(event.organization_id.0)
                    .bind(event.id)
                    .bind(at)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if marked == 0 {
                    return Ok(false);
                }
                for email in emails {
                    sqlx::query(sql::INSERT_EMAIL_DELIVERY)
                        .bind(email.id)
                        .bind(event.organization_id.0)
                        .bind(event.id)
                        .bind(email.rule_id)
                        .bind(&email.recipient)
                        .bind(email.language.as_str())
                        .bind(at)
                        .bind(&email.message_id)
                        .execute(&mut *tx)
                        .await?;
                }
                for webhook in webhooks {
                    sqlx::query(sql::INSERT_WEBHOOK_DELIVERY)
                        .bind(webhook.id)
                        .bind(event.organization_id.0)
                        .bind(webhook.webhook_id)
                        .bind(event.id)
                        .bind(at)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok(true)
            }

            async fn notification_rules(
                &self,
                org: ronda_domain::OrganizationId,
            ) -> $crate::StoreResult<Vec<$crate::outbox::NotificationRule>> {
                let rows: Vec<$crate::outbox::rows::RuleRow> =
                    sqlx::query_as($crate::outbox::sql::SELECT_RULES)
                        .bind(org.0)
                        .fetch_all(&self.pool)
                        .await?;
                $crate::rows::convert_all(rows)
            }

            async fn notification_rule(
                &self,
                org: ronda_domain::OrganizationId,
                id: uuid::Uuid,
            ) -> $crate::StoreResult<Option<$crate::outbox::NotificationRule>> {
                let row: Option<$crate::outbox::rows::RuleRow> =
                    sqlx::query_as($crate::outbox::sql::SELECT_RULE)
                        .bind(org.0)
                        .bind(id)
                        .fetch_optional(&self.pool)
                        .await?;
                row.map(TryInto::try_into).transpose()
            }

            async fn create_notification_rule(
                &self,
                rule: &$crate::outbox::NotificationRule,
                audit: &$crate::AuditEvent,
            ) -> $crate::StoreResult<$crate::outbox::NotificationRule> {
                use sqlx::types::Json;

                let kinds: Vec<&str> = rule.event_kinds.iter().map(|k| k.as_str()).collect();
                let mut tx = self.pool.begin_with(Self::BEGIN_WRITE).await?;
                sqlx::query($crate::outbox::sql::INSERT_RULE)
                    .bind(rule.id)
                    .bind(rule.organization_id.0)
                    .bind(&rule.name)
                    .bind(Json(&kinds))
                    .bind(rule.lender_id)
                    .bind(rule.portfolio_id)
                    .bind(rule.agent_id.map(|id| id.0))
                    .bind(Json(&rule.result_codes))
                    .bind(Json(&rule.recipients))
                    .bind(rule.language.as_str())
                    .bind(rule.active)
                    .bind(rule.created_at.as_millisecond())
                    .bind(rule.updated_at.as_millisecond())
                    .execute(&mut *tx)
                    .await?;
                insert_audit(&mut tx, audit).await?;
                let row: $crate::outbox::rows::RuleRow =
                    sqlx::query_as($crate::outbox::sql::SELECT_RULE)
                        .bind(rule.organization_id.0)
                        .bind(rule.id)
                        .fetch_one(&mut *tx)
                        .await?;
                tx.commit().await?;
                row.try_into()
            }

            async fn update_notification_rule(
                &self,
                rule: &$crate::outbox::NotificationRule,
                audit: &$crate::AuditEvent,
            ) -> $crate::StoreResult<Option<$crate::outbox::NotificationRule>> {
                use sqlx::types::Json;

                let kinds: Vec<&str> = rule.event_kinds.iter().map(|k| k.as_str()).collect();
                let mut tx = self.pool.begin_with(Self::BEGIN_WRITE).await?;
                let updated = sqlx::query($crate::outbox::sql::UPDATE_RULE)
                    .bind(rule.organization_id.0)
                    .bind(rule.id)
                    .bind(&rule.name)
                    .bind(Json(&kinds))
                    .bind(rule.lender_id)
                    .bind(rule.portfolio_id)
                    .bind(rule.agent_id.map(|id| id.0))
                    .bind(Json(&rule.result_codes))
                    .bind(Json(&rule.recipients))
                    .bind(rule.language.as_str())
                    .bind(rule.active)
                    .bind(rule.updated_at.as_millisecond())
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if updated == 0 {
                    return Ok(None);
                }
                insert_audit(&mut tx, audit).await?;
                let row: $crate::outbox::rows::RuleRow =
                    sqlx::query_as($crate::outbox::sql::SELECT_RULE)
                        .bind(rule.organization_id.0)
                        .bind(rule.id)
                        .fetch_one(&mut *tx)
                        .await?;
                tx.commit().await?;
                row.try_into().map(Some)
            }

            async fn delete_notification_rule(
                &self,
                org: ronda_domain::OrganizationId,
                id: uuid::Uuid,
                audit: &$crate::AuditEvent,
            ) -> $crate::StoreResult<bool> {
                let mut tx = self.pool.begin_with(Self::BEGIN_WRITE).await?;
                let deleted = sqlx::query($crate::outbox::sql::DELETE_RULE)
                    .bind(org.0)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if deleted == 0 {
                    return Ok(false);
                }
                insert_audit(&mut tx, audit).await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn smtp_settings(
                &self,
                org: ronda_domain::OrganizationId,
            ) -> $crate::StoreResult<Option<$crate::outbox::SmtpSettings>> {
                let row: Option<$crate::outbox::rows::SmtpRow> =
                    sqlx::query_as($crate::outbox::sql::SELECT_SMTP)
                        .bind(org.0)
                        .fetch_optional(&self.pool)
                        .await?;
                row.map(TryInto::try_into).transpose()
            }

            async fn put_smtp_settings(
                &self,
                settings: &$crate::outbox::SmtpSettings,
                password: &$crate::outbox::PasswordChange,
                audit: &$crate::AuditEvent,
            ) -> $crate::StoreResult<$crate::outbox::SmtpSettings> {
                use $crate::outbox::PasswordChange;

                let (replace, new_password) = match password {
                    PasswordChange::Keep => (false, None),
                    PasswordChange::Clear => (true, None),
                    PasswordChange::Set(value) => (true, Some(value.as_str())),
                };
                let mut tx = self.pool.begin_with(Self::BEGIN_WRITE).await?;
                sqlx::query($crate::outbox::sql::UPSERT_SMTP)
                    .bind(settings.organization_id.0)
                    .bind(&settings.host)
                    .bind(i32::from(settings.port))
                    .bind(settings.security.as_str())
                    .bind(&settings.username)
                    .bind(new_password)
                    .bind(&settings.from_address)
                    .bind(settings.updated_at.as_millisecond())
                    .bind(replace)
                    .execute(&mut *tx)
                    .await?;
                insert_audit(&mut tx, audit).await?;
                let row: $crate::outbox::rows::SmtpRow =
                    sqlx::query_as($crate::outbox::sql::SELECT_SMTP)
                        .bind(settings.organization_id.0)
                        .fetch_one(&mut *tx)
                        .await?;
                tx.commit().await?;
                row.try_into()
            }

            async fn delete_smtp_settings(
                &self,
                org: ronda_domain::OrganizationId,
                audit: &$crate::AuditEvent,
            ) -> $crate::StoreResult<bool> {
                let mut tx = self.pool.begin_with(Self::BEGIN_WRITE).await?;
                let deleted = sqlx::query($crate::outbox::sql::DELETE_SMTP)
                    .bind(org.0)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if deleted == 0 {
                    return Ok(false);
                }
                insert_audit(&mut tx, audit).await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn due_email_deliveries(
                &self,
                now: jiff::Timestamp,
                include_unconfigured: bool,
                limit: u32,
            ) -> $crate::StoreResult<Vec<$crate::outbox::EmailDelivery>> {
                let rows: Vec<$crate::outbox::rows::EmailRow> =
                    sqlx::query_as($crate::outbox::sql::SELECT_DUE_EMAILS)
                        .bind(now.as_millisecond())
                        .bind(include_unconfigured)
                        .bind(i64::from(limit))
                        .fetch_all(&self.pool)
                        .await?;
                $crate::rows::convert_all(rows)
            }

            async fn claim_email_delivery(
                &self,
                org: ronda_domain::OrganizationId,
                id: uuid::Uuid,
                now: jiff::Timestamp,
            ) -> $crate::StoreResult<bool> {
                let claimed = sqlx::query($crate::outbox::sql::CLAIM_EMAIL)
                    .bind(org.0)
                    .bind(id)
                    .bind(now.as_millisecond())
                    .execute(&self.pool)
                    .await?
                    .rows_affected();
                Ok(claimed == 1)
            }

            async fn finish_email_delivery(
                &self,
                org: ronda_domain::OrganizationId,
                id: uuid::Uuid,
                outcome: &$crate::outbox::AttemptOutcome,
            ) -> $crate::StoreResult<()> {
                use $crate::outbox::{AttemptOutcome, sql};

                let query = match outcome {
                    AttemptOutcome::Sent { at } => sqlx::query(sql::FINISH_EMAIL_SENT)
                        .bind(org.0)
                        .bind(id)
                        .bind(at.as_millisecond()),
                    AttemptOutcome::Retry {
                        error,
                        next_attempt_at,
                    } => sqlx::query(sql::FINISH_EMAIL_RETRY)
                        .bind(org.0)
                        .bind(id)
                        .bind(error.clone())
                        .bind(next_attempt_at.as_millisecond()),
                    AttemptOutcome::Failed { error } => sqlx::query(sql::FINISH_EMAIL_FAILED)
                        .bind(org.0)
                        .bind(id)
                        .bind(error.clone()),
                };
                query.execute(&self.pool).await?;
                Ok(())
            }

            async fn fail_abandoned_emails(
                &self,
                claimed_before: jiff::Timestamp,
                error: &str,
            ) -> $crate::StoreResult<u64> {
                let failed = sqlx::query($crate::outbox::sql::FAIL_ABANDONED_EMAILS)
                    .bind(claimed_before.as_millisecond())
                    .bind(error)
                    .execute(&self.pool)
                    .await?
                    .rows_affected();
                Ok(failed)
            }

            async fn email_deliveries(
                &self,
                org: ronda_domain::OrganizationId,
                state: Option<$crate::outbox::DeliveryState>,
                before: Option<jiff::Timestamp>,
                limit: u32,
            ) -> $crate::StoreResult<Vec<$crate::outbox::EmailDelivery>> {
                let rows: Vec<$crate::outbox::rows::EmailRow> =
                    sqlx::query_as($crate::outbox::sql::SELECT_EMAILS)
                        .bind(org.0)
                        .bind(state.map(|state| state.as_str()))
                        .bind(before.map(|at| at.as_millisecond()))
                        .bind(i64::from(limit))
                        .fetch_all(&self.pool)
                        .await?;
                $crate::rows::convert_all(rows)
            }

            async fn email_delivery(
                &self,
                org: ronda_domain::OrganizationId,
                id: uuid::Uuid,
            ) -> $crate::StoreResult<Option<$crate::outbox::EmailDelivery>> {
                let row: Option<$crate::outbox::rows::EmailRow> =
                    sqlx::query_as($crate::outbox::sql::SELECT_EMAIL)
                        .bind(org.0)
                        .bind(id)
                        .fetch_optional(&self.pool)
                        .await?;
                row.map(TryInto::try_into).transpose()
            }

            async fn retry_email_delivery(
                &self,
                org: ronda_domain::OrganizationId,
                id: uuid::Uuid,
                audit: &$crate::AuditEvent,
            ) -> $crate::StoreResult<$crate::outbox::RetryResult<$crate::outbox::EmailDelivery>>
            {
                use $crate::outbox::{RetryResult, rows::EmailRow, sql};

                let mut tx = self.pool.begin_with(Self::BEGIN_WRITE).await?;
                let retried = sqlx::query(sql::RETRY_EMAIL)
                    .bind(org.0)
                    .bind(id)
                    .bind(audit.at.as_millisecond())
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if retried == 1 {
                    insert_audit(&mut tx, audit).await?;
                }
                let row: Option<EmailRow> = sqlx::query_as(sql::SELECT_EMAIL)
                    .bind(org.0)
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
                tx.commit().await?;
                match row {
                    None => Ok(RetryResult::NotFound),
                    Some(row) if retried == 1 => row.try_into().map(RetryResult::Retried),
                    Some(row) => row.try_into().map(RetryResult::NotFailed),
                }
            }

            async fn webhooks(
                &self,
                org: ronda_domain::OrganizationId,
            ) -> $crate::StoreResult<Vec<$crate::outbox::Webhook>> {
                let rows: Vec<$crate::outbox::rows::WebhookRow> =
                    sqlx::query_as($crate::outbox::sql::SELECT_WEBHOOKS)
                        .bind(org.0)
                        .fetch_all(&self.pool)
                        .await?;
                $crate::rows::convert_all(rows)
            }

            async fn webhook(
                &self,
                org: ronda_domain::OrganizationId,
                id: uuid::Uuid,
            ) -> $crate::StoreResult<Option<$crate::outbox::Webhook>> {
                let row: Option<$crate::outbox::rows::WebhookRow> =
                    sqlx::query_as($crate::outbox::sql::SELECT_WEBHOOK)
                        .bind(org.0)
                        .bind(id)
                        .fetch_optional(&self.pool)
                        .await?;
                row.map(TryInto::try_into).transpose()
            }

            async fn create_webhook(
                &self,
                webhook: &$crate::outbox::Webhook,
                audit: &$crate::AuditEvent,
            ) -> $crate::StoreResult<$crate::outbox::Webhook> {
                use sqlx::types::Json;

                let kinds: Vec<&str> = webhook.kinds.iter().map(|k| k.as_str()).collect();
                let mut tx = self.pool.begin_with(Self::BEGIN_WRITE).await?;
                sqlx::query($crate::outbox::sql::INSERT_WEBHOOK)
                    .bind(webhook.id)
                    .bind(webhook.organization_id.0)
                    .bind(&webhook.name)
                    .bind(&webhook.url)
                    .bind(&webhook.secret)
                    .bind(Json(&kinds))
                    .bind(webhook.active)
                    .bind(webhook.created_at.as_millisecond())
                    .bind(webhook.updated_at.as_millisecond())
                    .execute(&mut *tx)
                    .await?;
                insert_audit(&mut tx, audit).await?;
                let row: $crate::outbox::rows::WebhookRow =
                    sqlx::query_as($crate::outbox::sql::SELECT_WEBHOOK)
                        .bind(webhook.organization_id.0)
                        .bind(webhook.id)
                        .fetch_one(&mut *tx)
                        .await?;
                tx.commit().await?;
                row.try_into()
            }

            async fn update_webhook(
                &self,
                webhook: &$crate::outbox::Webhook,
                audit: &$crate::AuditEvent,
            ) -> $crate::StoreResult<Option<$crate::outbox::Webhook>> {
                use sqlx::types::Json;

                let kinds: Vec<&str> = webhook.kinds.iter().map(|k| k.as_str()).collect();
                let mut tx = self.pool.begin_with(Self::BEGIN_WRITE).await?;
                let updated = sqlx::query($crate::outbox::sql::UPDATE_WEBHOOK)
                    .bind(webhook.organization_id.0)
                    .bind(webhook.id)
                    .bind(&webhook.name)
                    .bind(&webhook.url)
                    .bind(Json(&kinds))
                    .bind(webhook.active)
                    .bind(webhook.updated_at.as_millisecond())
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if updated == 0 {
                    return Ok(None);
                }
                insert_audit(&mut tx, audit).await?;
                let row: $crate::outbox::rows::WebhookRow =
                    sqlx::query_as($crate::outbox::sql::SELECT_WEBHOOK)
                        .bind(webhook.organization_id.0)
                        .bind(webhook.id)
                        .fetch_one(&mut *tx)
                        .await?;
                tx.commit().await?;
                row.try_into().map(Some)
            }

            async fn delete_webhook(
                &self,
                org: ronda_domain::OrganizationId,
                id: uuid::Uuid,
                audit: &$crate::AuditEvent,
            ) -> $crate::StoreResult<bool> {
                let mut tx = self.pool.begin_with(Self::BEGIN_WRITE).await?;
                let deleted = sqlx::query($crate::outbox::sql::DELETE_WEBHOOK)
                    .bind(org.0)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if deleted == 0 {
                    return Ok(false);
                }
                insert_audit(&mut tx, audit).await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn due_webhook_deliveries(
                &self,
                now: jiff::Timestamp,
                limit: u32,
            ) -> $crate::StoreResult<Vec<$crate::outbox::WebhookDelivery>> {
                let rows: Vec<$crate::outbox::rows::WebhookDeliveryRow> =
                    sqlx::query_as($crate::outbox::sql::SELECT_DUE_WEBHOOK_DELIVERIES)
                        .bind(now.as_millisecond())
                        .bind(i64::from(limit))
                        .fetch_all(&self.pool)
                        .await?;
                $crate::rows::convert_all(rows)
            }

            async fn claim_webhook_delivery(
                &self,
                org: ronda_domain::OrganizationId,
                id: uuid::Uuid,
                now: jiff::Timestamp,
            ) -> $crate::StoreResult<bool> {
                let claimed = sqlx::query($crate::outbox::sql::CLAIM_WEBHOOK_DELIVERY)
                    .bind(org.0)
                    .bind(id)
                    .bind(now.as_millisecond())
                    .execute(&self.pool)
                    .await?
                    .rows_affected();
                Ok(claimed == 1)
            }

            async fn finish_webhook_delivery(
                &self,
                org: ronda_domain::OrganizationId,
                id: uuid::Uuid,
                attempt: &$crate::outbox::NewWebhookAttempt,
                outcome: &$crate::outbox::AttemptOutcome,
            ) -> $crate::StoreResult<()> {
                use $crate::outbox::{AttemptOutcome, sql};

                let mut tx = self.pool.begin_with(Self::BEGIN_WRITE).await?;
                sqlx::query(sql::INSERT_WEBHOOK_ATTEMPT)
                    .bind(org.0)
                    .bind(id)
                    .bind(attempt.attempted_at.as_millisecond())
                    .bind(attempt.duration_ms)
                    .bind(attempt.status_code)
                    .bind(&attempt.response_excerpt)
                    .bind(&attempt.error)
                    .execute(&mut *tx)
                    .await?;
                let query = match outcome {
                    AttemptOutcome::Sent { at } => sqlx::query(sql::FINISH_WEBHOOK_SENT)
                        .bind(org.0)
                        .bind(id)
                        .bind(at.as_millisecond())
                        .bind(attempt.status_code),
                    AttemptOutcome::Retry {
                        error,
                        next_attempt_at,
                    } => sqlx::query(sql::FINISH_WEBHOOK_RETRY)
                        .bind(org.0)
                        .bind(id)
                        .bind(error.clone())
                        .bind(next_attempt_at.as_millisecond())
                        .bind(attempt.status_code),
                    AttemptOutcome::Failed { error } => sqlx::query(sql::FINISH_WEBHOOK_FAILED)
                        .bind(org.0)
                        .bind(id)
                        .bind(error.clone())
                        .bind(attempt.status_code),
                };
                query.execute(&mut *tx).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn release_abandoned_webhooks(
                &self,
                claimed_before: jiff::Timestamp,
            ) -> $crate::StoreResult<u64> {
                let released = sqlx::query($crate::outbox::sql::RELEASE_ABANDONED_WEBHOOKS)
                    .bind(claimed_before.as_millisecond())
                    .execute(&self.pool)
                    .await?
                    .rows_affected();
                Ok(released)
            }

            async fn webhook_deliveries(
                &self,
                org: ronda_domain::OrganizationId,
                webhook: uuid::Uuid,
                limit: u32,
            ) -> $crate::StoreResult<Vec<$crate::outbox::WebhookDelivery>> {
                let rows: Vec<$crate::outbox::rows::WebhookDeliveryRow> =
                    sqlx::query_as($crate::outbox::sql::SELECT_WEBHOOK_DELIVERIES)
                        .bind(org.0)
                        .bind(webhook)
                        .bind(i64::from(limit))
                        .fetch_all(&self.pool)
                        .await?;
                $crate::rows::convert_all(rows)
            }

            async fn webhook_delivery(
                &self,
                org: ronda_domain::OrganizationId,
                id: uuid::Uuid,
            ) -> $crate::StoreResult<Option<$crate::outbox::WebhookDelivery>> {
                let row: Option<$crate::outbox::rows::WebhookDeliveryRow> =
                    sqlx::query_as($crate::outbox::sql::SELECT_WEBHOOK_DELIVERY)
                        .bind(org.0)
                        .bind(id)
                        .fetch_optional(&self.pool)
                        .await?;
                row.map(TryInto::try_into).transpose()
            }

            async fn webhook_attempts(
                &self,
                org: ronda_domain::OrganizationId,
                delivery: uuid::Uuid,
            ) -> $crate::StoreResult<Vec<$crate::outbox::WebhookAttempt>> {
                let rows: Vec<$crate::outbox::rows::WebhookAttemptRow> =
                    sqlx::query_as($crate::outbox::sql::SELECT_WEBHOOK_ATTEMPTS)
                        .bind(org.0)
                        .bind(delivery)
                        .fetch_all(&self.pool)
                        .await?;
                $crate::rows::convert_all(rows)
            }

            async fn retry_webhook_delivery(
                &self,
                org: ronda_domain::OrganizationId,
                id: uuid::Uuid,
                audit: &$crate::AuditEvent,
            ) -> $crate::StoreResult<$crate::outbox::RetryResult<$crate::outbox::WebhookDelivery>>
            {
                use $crate::outbox::{RetryResult, rows::WebhookDeliveryRow, sql};

                let mut tx = self.pool.begin_with(Self::BEGIN_WRITE).await?;
                let retried = sqlx::query(sql::RETRY_WEBHOOK_DELIVERY)
                    .bind(org.0)
                    .bind(id)
                    .bind(audit.at.as_millisecond())
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if retried == 1 {
                    insert_audit(&mut tx, audit).await?;
                }
                let row: Option<WebhookDeliveryRow> = sqlx::query_as(sql::SELECT_WEBHOOK_DELIVERY)
                    .bind(org.0)
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
                tx.commit().await?;
                match row {
                    None => Ok(RetryResult::NotFound),
                    Some(row) if retried == 1 => row.try_into().map(RetryResult::Retried),
                    Some(row) => row.try_into().map(RetryResult::NotFailed),
                }
            }
        }
    };
}

pub(crate) use impl_outbox_store;
