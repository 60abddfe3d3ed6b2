//! The background loop: fan out new events, then send due emails and webhook requests.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use ronda_domain::OrganizationId;
use ronda_store::outbox::{
    AttemptOutcome, EmailDelivery, Event, EventKind, NewEmailDelivery, NewWebhookAttempt,
    NewWebhookDelivery, WebhookDelivery,
};
use ronda_store::{Store, StoreResult};
use tokio::sync::watch;
use tokio::task::JoinHandle;
use uuid::Uuid;

use super::email::{self, EmailContext, InlinePhoto, RenderedEmail};
use super::fanout;
use super::payload::EventPayload;
use super::smtp::{self, Outgoing, SendError, SmtpServer};
use super::webhook;
use crate::state::AppState;

/// Photos shown inline in an email, at most.
const MAX_INLINE_PHOTOS: usize = 4;
/// Larger photos are left to the console, to keep emails small.
// NOTE: photos are attached as uploaded, not scaled down; a resized thumbnail would let
// more of them fit.
const MAX_INLINE_PHOTO_BYTES: usize = 400 * 1024;

/// Error recorded on an email whose dispatcher stopped while sending it.
pub const INTERRUPTED_ERROR: &str = "interrupted while sending: the server stopped before \
    the SMTP reply was recorded, so the message may or may not have arrived; retry it \
    only if the recipient did not get it";

/// Counts of what one pass did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PassReport {
    pub summaries_recorded: usize,
    pub events_dispatched: usize,
    pub emails_sent: usize,
    pub emails_failed_attempts: usize,
    pub webhooks_sent: usize,
    pub webhooks_failed_attempts: usize,
    pub abandoned_emails: u64,
    pub abandoned_webhooks: u64,
}

pub struct Dispatcher {
    state: AppState,
    http: reqwest::Client,
}

impl Dispatcher {
    pub fn new(state: AppState) -> anyhow::Result<Self> {
        let http = webhook::client(state.settings().notify.send_timeout)?;
        Ok(Self { state, http })
    }

    fn store(&self) -> &dyn Store {
        self.state.store()
    }

    fn settings(&self) -> &super::NotifySettings {
        &self.state.settings().notify
    }

    /// Runs one pass: recover abandoned claims, fan out new events, send due emails,
    /// then due webhook requests. Store errors end the pass and are returned; the loop
    /// logs them and tries again on the next tick.
    pub async fn run_once(&self) -> StoreResult<PassReport> {
        let mut report = PassReport::default();
        let now = Timestamp::now();
        let abandoned_before = now - signed(self.settings().abandoned_after);
        report.abandoned_emails = self
            .store()
            .fail_abandoned_emails(abandoned_before, INTERRUPTED_ERROR)
            .await?;
        report.abandoned_webhooks = self
            .store()
            .release_abandoned_webhooks(abandoned_before)
            .await?;
        if report.abandoned_emails > 0 || report.abandoned_webhooks > 0 {
            tracing::warn!(
                emails = report.abandoned_emails,
                webhooks = report.abandoned_webhooks,
                "found deliveries abandoned mid-send: emails marked failed, webhooks queued again"
            );
        }

        if let Some(hour) = self.settings().daily_summary_hour {
            let zone = &self.state.settings().tracking_time_zone;
            report.summaries_recorded =
                super::summary::record_due(self.store(), zone, hour, now).await?;
        }
        report.events_dispatched = self.fan_out().await?;
        let (sent, failed) = self.send_emails().await?;
        report.emails_sent = sent;
        report.emails_failed_attempts = failed;
        let (sent, failed) = self.send_webhooks().await?;
        report.webhooks_sent = sent;
        report.webhooks_failed_attempts = failed;
        Ok(report)
    }

    /// Turns every undispatched event into deliveries. Returns how many events.
    async fn fan_out(&self) -> StoreResult<usize> {
        let mut dispatched = 0;
        loop {
            let events = self
                .store()
                .undispatched_events(self.settings().batch_size)
                .await?;
            let batch = events.len();
            for event in &events {
                if self.fan_out_event(event).await? {
                    dispatched += 1;
                }
            }
            if batch < self.settings().batch_size as usize {
                return Ok(dispatched);
            }
        }
    }

    async fn fan_out_event(&self, event: &Event) -> StoreResult<bool> {
        let org = event.organization_id;
        let payload = EventPayload::read(&event.payload);
        let (emails, webhooks) = match EventKind::from_name(&event.kind) {
            Some(kind) => {
                let rules = self.store().notification_rules(org).await?;
                let hooks = self.store().webhooks(org).await?;
                let emails = fanout::recipients(&rules, kind, &payload)
                    .into_iter()
                    .map(|recipient| {
                        let id = Uuid::now_v7();
                        NewEmailDelivery {
                            id,
                            rule_id: recipient.rule_id,
                            recipient: recipient.email,
                            language: recipient.language,
                            message_id: self.message_id(id),
                        }
                    })
                    .collect::<Vec<_>>();
                let webhooks = fanout::webhooks(&hooks, kind)
                    .into_iter()
                    .map(|webhook_id| NewWebhookDelivery {
                        id: Uuid::now_v7(),
                        webhook_id,
                    })
                    .collect::<Vec<_>>();
                (emails, webhooks)
            }
            None => {
                tracing::warn!(event.id = %event.id, event.kind = %event.kind,
                    "event of an unknown kind is dispatched without deliveries");
                (Vec::new(), Vec::new())
            }
        };
        let dispatched = self
            .store()
            .dispatch_event(event, &emails, &webhooks, Timestamp::now())
            .await?;
        if dispatched {
            tracing::debug!(org.id = %org, event.id = %event.id, emails = emails.len(),
                webhooks = webhooks.len(), "event fanned out");
        }
        Ok(dispatched)
    }

    /// Builds the Message-ID of a delivery, kept the same on every attempt.
    fn message_id(&self, delivery: Uuid) -> String {
        let domain = self
            .settings()
            .public_url
            .as_deref()
            .and_then(|url| reqwest::Url::parse(url).ok())
            .and_then(|url| url.host_str().map(str::to_owned))
            .unwrap_or_else(|| "ronda.invalid".to_owned());
        format!("<{}@{domain}>", delivery.simple())
    }

    /// Sends due emails. Returns how many were sent and how many attempts failed.
    async fn send_emails(&self) -> StoreResult<(usize, usize)> {
        let include_unconfigured = self.settings().default_smtp.is_some();
        let due = self
            .store()
            .due_email_deliveries(
                Timestamp::now(),
                include_unconfigured,
                self.settings().batch_size,
            )
            .await?;
        let mut servers: HashMap<OrganizationId, Option<SmtpServer>> = HashMap::new();
        let (mut sent, mut failed) = (0, 0);
        for delivery in due {
            let org = delivery.organization_id;
            let server = match servers.entry(org) {
                Entry::Occupied(known) => known.into_mut(),
                Entry::Vacant(slot) => slot.insert(self.smtp_server(org).await?),
            };
            let Some(server) = server.as_ref() else {
                continue;
            };
            match self.send_email(server, &delivery).await? {
                Some(true) => sent += 1,
                Some(false) => failed += 1,
                None => {}
            }
        }
        Ok((sent, failed))
    }

    /// Returns the SMTP server for an organization: its own, or the installation default.
    pub async fn smtp_server(&self, org: OrganizationId) -> StoreResult<Option<SmtpServer>> {
        let own = self.store().smtp_settings(org).await?;
        Ok(own
            .map(SmtpServer::from)
            .or_else(|| self.settings().default_smtp.clone()))
    }

    /// Claims, sends and records one email. Returns `None` when another dispatcher
    /// claimed it, otherwise whether the attempt succeeded.
    async fn send_email(
        &self,
        server: &SmtpServer,
        delivery: &EmailDelivery,
    ) -> StoreResult<Option<bool>> {
        let org = delivery.organization_id;
        let Some(event) = self.store().event(org, delivery.event_id).await? else {
            return Ok(None);
        };
        let rendered = self.render(&event, delivery).await;
        if !self
            .store()
            .claim_email_delivery(org, delivery.id, Timestamp::now())
            .await?
        {
            return Ok(None);
        }

        let outgoing = Outgoing {
            to: &delivery.recipient,
            message_id: &delivery.message_id,
            email: &rendered,
        };
        let result = smtp::send(
            server,
            outgoing,
            self.settings().send_timeout,
            &self.settings().smtp_extra_roots,
        )
        .await;
        let attempts = u32::try_from(delivery.attempts).unwrap_or(0) + 1;
        let outcome = self.outcome(attempts, result.as_ref().err());
        match &result {
            Ok(()) => tracing::info!(org.id = %org, delivery.id = %delivery.id,
                event.id = %delivery.event_id, "notification email sent"),
            Err(error) => tracing::warn!(org.id = %org, delivery.id = %delivery.id,
                attempts, error = %error, "notification email failed"),
        }
        self.store()
            .finish_email_delivery(org, delivery.id, &outcome)
            .await?;
        Ok(Some(result.is_ok()))
    }

    fn outcome(&self, attempts: u32, error: Option<&SendError>) -> AttemptOutcome {
        match error {
            None => AttemptOutcome::Sent {
                at: Timestamp::now(),
            },
            Some(error) if error.is_permanent() || attempts >= self.settings().max_attempts => {
                AttemptOutcome::Failed {
                    error: error.to_string(),
                }
            }
            Some(error) => AttemptOutcome::Retry {
                error: error.to_string(),
                next_attempt_at: Timestamp::now() + signed(self.settings().backoff(attempts)),
            },
        }
    }

    async fn render(&self, event: &Event, delivery: &EmailDelivery) -> RenderedEmail {
        if event.kind == EventKind::DailySummary.as_str() {
            return super::summary::render(&event.payload, delivery.language);
        }
        let payload = EventPayload::read(&event.payload);
        let photos = self.inline_photos(event.organization_id, &payload).await;
        email::render(
            &payload,
            EmailContext {
                kind: &event.kind,
                language: delivery.language,
                public_url: self.settings().public_url.as_deref(),
                occurred_at: event.occurred_at,
                photos,
            },
        )
    }

    /// Loads the first photos of the visit from the organization's attachments.
    async fn inline_photos(&self, org: OrganizationId, payload: &EventPayload) -> Vec<InlinePhoto> {
        let mut photos = Vec::new();
        for sha256 in payload.photos.iter().take(MAX_INLINE_PHOTOS) {
            match self.store().attachment(org, sha256).await {
                Ok(Some(file))
                    if file.content.len() <= MAX_INLINE_PHOTO_BYTES
                        && file.content_type.starts_with("image/") =>
                {
                    photos.push(InlinePhoto {
                        content_id: format!("{sha256}@ronda"),
                        content_type: file.content_type,
                        content: file.content,
                    });
                }
                Ok(_) => {}
                Err(error) => tracing::warn!(org.id = %org, error = %error,
                    "could not load a photo for a notification email"),
            }
        }
        photos
    }

    /// Posts due webhook requests. Returns how many succeeded and how many failed.
    async fn send_webhooks(&self) -> StoreResult<(usize, usize)> {
        let due = self
            .store()
            .due_webhook_deliveries(Timestamp::now(), self.settings().batch_size)
            .await?;
        let (mut sent, mut failed) = (0, 0);
        for delivery in due {
            match self.send_webhook(&delivery).await? {
                Some(true) => sent += 1,
                Some(false) => failed += 1,
                None => {}
            }
        }
        Ok((sent, failed))
    }

    async fn send_webhook(&self, delivery: &WebhookDelivery) -> StoreResult<Option<bool>> {
        let org = delivery.organization_id;
        let Some(hook) = self.store().webhook(org, delivery.webhook_id).await? else {
            return Ok(None);
        };
        let Some(event) = self.store().event(org, delivery.event_id).await? else {
            return Ok(None);
        };
        if !self
            .store()
            .claim_webhook_delivery(org, delivery.id, Timestamp::now())
            .await?
        {
            return Ok(None);
        }

        let attempted_at = Timestamp::now();
        let result = webhook::post(&self.http, &hook.url, &hook.secret, delivery.id, &event).await;
        let attempts = u32::try_from(delivery.attempts).unwrap_or(0) + 1;
        let succeeded = result.succeeded();
        let outcome = match &result.error {
            None if succeeded => AttemptOutcome::Sent {
                at: Timestamp::now(),
            },
            error => {
                let error = error.clone().unwrap_or_else(|| "request failed".to_owned());
                if attempts >= self.settings().max_attempts {
                    AttemptOutcome::Failed { error }
                } else {
                    AttemptOutcome::Retry {
                        error,
                        next_attempt_at: Timestamp::now()
                            + signed(self.settings().backoff(attempts)),
                    }
                }
            }
        };
        if succeeded {
            tracing::info!(org.id = %org, delivery.id = %delivery.id, "webhook delivered");
        } else {
            tracing::warn!(org.id = %org, delivery.id = %delivery.id, attempts,
                error = result.error.as_deref().unwrap_or(""), "webhook request failed");
        }
        let attempt = NewWebhookAttempt {
            attempted_at,
            duration_ms: i64::try_from(result.duration.as_millis()).unwrap_or(i64::MAX),
            status_code: result.status_code.map(i32::from),
            response_excerpt: result.response_excerpt,
            error: result.error,
        };
        self.store()
            .finish_webhook_delivery(org, delivery.id, &attempt, &outcome)
            .await?;
        Ok(Some(succeeded))
    }
}

fn signed(duration: Duration) -> SignedDuration {
    SignedDuration::try_from(duration).unwrap_or(SignedDuration::MAX)
}

/// The running dispatcher loop.
pub struct NotifyHandle {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl NotifyHandle {
    /// Asks the loop to stop and waits until its current pass has finished, so no
    /// delivery is left claimed.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        if let Err(error) = self.task.await {
            tracing::warn!(%error, "notification dispatcher ended abnormally");
        }
    }
}

/// Starts the dispatcher loop on the current runtime.
pub fn spawn(state: AppState) -> anyhow::Result<NotifyHandle> {
    let dispatcher = Dispatcher::new(state)?;
    let (stop, mut stopped) = watch::channel(false);
    let task = tokio::spawn(async move {
        tracing::info!("notification dispatcher started");
        loop {
            if let Err(error) = dispatcher.run_once().await {
                tracing::warn!(error = format!("{error:#}"), "notification pass failed");
            }
            let interval = dispatcher.settings().poll_interval;
            tokio::select! {
                () = tokio::time::sleep(interval) => {}
                _ = stopped.changed() => break,
            }
        }
        tracing::info!("notification dispatcher stopped");
    });
    Ok(NotifyHandle { stop, task })
}
