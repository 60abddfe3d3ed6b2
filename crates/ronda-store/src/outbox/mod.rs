//! The outbox: events that happened in an organization, the notification rules and
//! webhooks that fan them out, and the state of every email and webhook delivery.

pub(crate) mod rows;
pub(crate) mod shared_impl;
pub(crate) mod sql;

use async_trait::async_trait;
use jiff::Timestamp;
use ronda_domain::{OrganizationId, UserId};
use serde::Serialize;
use uuid::Uuid;

use crate::{AuditEvent, StoreResult};

/// Kind of event. The names are the ones webhooks and the live feed carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum EventKind {
    #[serde(rename = "visit.completed")]
    VisitCompleted,
    #[serde(rename = "promise.created")]
    PromiseCreated,
    #[serde(rename = "checkin.rejected")]
    CheckinRejected,
    #[serde(rename = "account.wrong_party")]
    AccountWrongParty,
    /// The day's numbers of an organization, once per local day.
    #[serde(rename = "daily.summary")]
    DailySummary,
}

impl EventKind {
    pub const ALL: [EventKind; 5] = [
        EventKind::VisitCompleted,
        EventKind::PromiseCreated,
        EventKind::CheckinRejected,
        EventKind::AccountWrongParty,
        EventKind::DailySummary,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::VisitCompleted => "visit.completed",
            EventKind::PromiseCreated => "promise.created",
            EventKind::CheckinRejected => "checkin.rejected",
            EventKind::AccountWrongParty => "account.wrong_party",
            EventKind::DailySummary => "daily.summary",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == name)
    }
}

/// An event as stored. `kind` stays text so that a kind added later by a newer server
/// does not make older rows unreadable.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Event {
    pub id: Uuid,
    pub organization_id: OrganizationId,
    pub kind: String,
    /// The visit the event is about.
    pub subject_id: Uuid,
    /// A snapshot of everything an email or webhook shows, taken when the event happened.
    pub payload: serde_json::Value,
    pub occurred_at: Timestamp,
    pub created_at: Timestamp,
    /// When the dispatcher turned the event into deliveries.
    pub dispatched_at: Option<Timestamp>,
}

/// An event to store on its own, outside a visit's transaction.
#[derive(Clone, Debug)]
pub struct NewEvent {
    pub id: Uuid,
    pub organization_id: OrganizationId,
    pub kind: EventKind,
    pub subject_id: Uuid,
    pub payload: serde_json::Value,
    pub occurred_at: Timestamp,
    pub created_at: Timestamp,
}

/// One visit of a day, with what a daily summary counts.
#[derive(Clone, Debug, PartialEq)]
pub struct DayVisit {
    pub agent_id: UserId,
    pub agent_name: String,
    /// `verified`, `doubtful` or `rejected`.
    pub verdict: String,
    pub result_code: Option<String>,
    pub promise_amount_cents: Option<i64>,
    /// `pin_correction` or `address_not_found`.
    pub exception: Option<String>,
}

/// Language of a notification email.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    Es,
    En,
}

impl Language {
    pub fn as_str(self) -> &'static str {
        match self {
            Language::Es => "es",
            Language::En => "en",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "es" => Some(Language::Es),
            "en" => Some(Language::En),
            _ => None,
        }
    }
}

/// Rule that selects events and their email recipients. A `None` filter and an empty
/// `result_codes` match everything.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NotificationRule {
    pub id: Uuid,
    pub organization_id: OrganizationId,
    pub name: String,
    pub event_kinds: Vec<EventKind>,
    pub lender_id: Option<Uuid>,
    pub portfolio_id: Option<Uuid>,
    pub agent_id: Option<UserId>,
    pub result_codes: Vec<String>,
    pub recipients: Vec<String>,
    pub language: Language,
    pub active: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// Protection of the SMTP connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpSecurity {
    /// Plain SMTP, for a relay on the same machine or network.
    None,
    /// Plain connection upgraded with STARTTLS, usually on port 587. The upgrade is
    /// required: a server that does not offer it fails the send.
    Starttls,
    /// TLS from the first byte, usually on port 465.
    Tls,
}

impl SmtpSecurity {
    pub const ALL: [SmtpSecurity; 3] = [
        SmtpSecurity::None,
        SmtpSecurity::Starttls,
        SmtpSecurity::Tls,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SmtpSecurity::None => "none",
            SmtpSecurity::Starttls => "starttls",
            SmtpSecurity::Tls => "tls",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|security| security.as_str() == name)
    }
}

/// An organization's SMTP server.
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpSettings {
    pub organization_id: OrganizationId,
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    pub username: Option<String>,
    pub password: Option<String>,
    /// The From mailbox, such as `Despacho Norte <avisos@norte.mx>`.
    pub from_address: String,
    pub updated_at: Timestamp,
}

impl std::fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("organization_id", &self.organization_id)
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("from_address", &self.from_address)
            .finish()
    }
}

/// Change to the stored password when SMTP settings are saved.
#[derive(Clone, PartialEq, Eq)]
pub enum PasswordChange {
    Keep,
    Clear,
    Set(String),
}

/// State of an email or webhook delivery.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DeliveryState {
    /// Waiting for its next attempt, or for SMTP settings.
    Pending,
    /// Taken by a dispatcher that is sending it now.
    Sending,
    Sent,
    /// Gave up after the last attempt, or interrupted mid-send; retried only by hand.
    Failed,
}

impl DeliveryState {
    pub const ALL: [DeliveryState; 4] = [
        DeliveryState::Pending,
        DeliveryState::Sending,
        DeliveryState::Sent,
        DeliveryState::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryState::Pending => "pending",
            DeliveryState::Sending => "sending",
            DeliveryState::Sent => "sent",
            DeliveryState::Failed => "failed",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|state| state.as_str() == name)
    }
}

/// One email about one event to one recipient.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EmailDelivery {
    pub id: Uuid,
    pub organization_id: OrganizationId,
    pub event_id: Uuid,
    pub event_kind: String,
    pub rule_id: Option<Uuid>,
    pub recipient: String,
    pub language: Language,
    pub state: DeliveryState,
    pub attempts: i32,
    pub next_attempt_at: Timestamp,
    pub last_error: Option<String>,
    pub claimed_at: Option<Timestamp>,
    /// The Message-ID header, the same on every attempt.
    pub message_id: String,
    pub created_at: Timestamp,
    pub sent_at: Option<Timestamp>,
}

/// An email the dispatcher creates when it fans an event out.
#[derive(Clone, Debug)]
pub struct NewEmailDelivery {
    pub id: Uuid,
    pub rule_id: Uuid,
    pub recipient: String,
    pub language: Language,
    pub message_id: String,
}

/// A webhook delivery the dispatcher creates when it fans an event out.
#[derive(Clone, Debug)]
pub struct NewWebhookDelivery {
    pub id: Uuid,
    pub webhook_id: Uuid,
}

/// The end of one delivery attempt.
#[derive(Clone, Debug)]
pub enum AttemptOutcome {
    Sent {
        at: Timestamp,
    },
    /// Failed, with another attempt due at `next_attempt_at`.
    Retry {
        error: String,
        next_attempt_at: Timestamp,
    },
    /// Failed for the last time.
    Failed {
        error: String,
    },
}

/// A URL that receives events as signed JSON.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct Webhook {
    pub id: Uuid,
    pub organization_id: OrganizationId,
    pub name: String,
    pub url: String,
    #[serde(skip)]
    pub secret: String,
    pub kinds: Vec<EventKind>,
    pub active: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl std::fmt::Debug for Webhook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Webhook")
            .field("id", &self.id)
            .field("organization_id", &self.organization_id)
            .field("name", &self.name)
            .field("url", &self.url)
            .field("secret", &"***")
            .field("kinds", &self.kinds)
            .field("active", &self.active)
            .finish()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WebhookDelivery {
    pub id: Uuid,
    pub organization_id: OrganizationId,
    pub webhook_id: Uuid,
    pub event_id: Uuid,
    pub event_kind: String,
    pub state: DeliveryState,
    pub attempts: i32,
    pub next_attempt_at: Timestamp,
    pub last_status_code: Option<i32>,
    pub last_error: Option<String>,
    pub claimed_at: Option<Timestamp>,
    pub created_at: Timestamp,
    pub delivered_at: Option<Timestamp>,
}

/// One POST of a webhook delivery and the receiver's response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WebhookAttempt {
    pub id: i64,
    pub delivery_id: Uuid,
    pub attempted_at: Timestamp,
    pub duration_ms: i64,
    pub status_code: Option<i32>,
    pub response_excerpt: Option<String>,
    pub error: Option<String>,
}

/// Record of a webhook attempt, stored with the delivery's new state.
#[derive(Clone, Debug)]
pub struct NewWebhookAttempt {
    pub attempted_at: Timestamp,
    pub duration_ms: i64,
    pub status_code: Option<i32>,
    pub response_excerpt: Option<String>,
    pub error: Option<String>,
}

/// A retry requested by hand.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RetryResult<T> {
    NotFound,
    /// Only failed deliveries are retried; this one is in another state.
    NotFailed(T),
    Retried(T),
}

#[async_trait]
pub trait OutboxStore: Send + Sync {
    /// Stores an event on its own transaction. Visits write their events inside the
    /// visit's transaction instead; this serves tests and events without a visit.
    async fn record_event(&self, event: &NewEvent) -> StoreResult<()>;

    /// Lists events of every organization not yet fanned out, oldest first. The
    /// dispatcher is the only caller and keeps each event inside its organization.
    async fn undispatched_events(&self, limit: u32) -> StoreResult<Vec<Event>>;

    /// Stores a daily summary event unless the organization already has one for the
    /// same day (`occurred_at`). Returns whether it was stored.
    async fn record_daily_summary(&self, event: &NewEvent) -> StoreResult<bool>;

    /// Lists the organizations with an active rule that sends daily summaries.
    async fn organizations_with_daily_summary(&self) -> StoreResult<Vec<OrganizationId>>;

    /// Lists the organization's visits finished in `[from, to)`, in finish order.
    async fn day_visits(
        &self,
        org: OrganizationId,
        from: Timestamp,
        to: Timestamp,
    ) -> StoreResult<Vec<DayVisit>>;

    async fn event(&self, org: OrganizationId, id: Uuid) -> StoreResult<Option<Event>>;

    /// Creates the event's deliveries and marks it dispatched, in one transaction.
    /// Deliveries that already exist (same event and recipient, or same event and
    /// webhook) are left as they are. Returns false when the event was already dispatched.
    async fn dispatch_event(
        &self,
        event: &Event,
        emails: &[NewEmailDelivery],
        webhooks: &[NewWebhookDelivery],
        at: Timestamp,
    ) -> StoreResult<bool>;

    /// Lists the organization's rules, by name.
    async fn notification_rules(&self, org: OrganizationId) -> StoreResult<Vec<NotificationRule>>;

    async fn notification_rule(
        &self,
        org: OrganizationId,
        id: Uuid,
    ) -> StoreResult<Option<NotificationRule>>;

    async fn create_notification_rule(
        &self,
        rule: &NotificationRule,
        audit: &AuditEvent,
    ) -> StoreResult<NotificationRule>;

    /// Replaces a rule's fields but its creation time. Returns `None` when the rule is
    /// not in the rule's organization.
    async fn update_notification_rule(
        &self,
        rule: &NotificationRule,
        audit: &AuditEvent,
    ) -> StoreResult<Option<NotificationRule>>;

    /// Deletes a rule; its past deliveries keep their state and lose the link.
    async fn delete_notification_rule(
        &self,
        org: OrganizationId,
        id: Uuid,
        audit: &AuditEvent,
    ) -> StoreResult<bool>;

    async fn smtp_settings(&self, org: OrganizationId) -> StoreResult<Option<SmtpSettings>>;

    /// Creates or replaces the organization's SMTP settings. The password in `settings`
    /// is ignored in favour of `password`.
    async fn put_smtp_settings(
        &self,
        settings: &SmtpSettings,
        password: &PasswordChange,
        audit: &AuditEvent,
    ) -> StoreResult<SmtpSettings>;

    /// Removes the organization's SMTP settings, so the installation default applies.
    async fn delete_smtp_settings(
        &self,
        org: OrganizationId,
        audit: &AuditEvent,
    ) -> StoreResult<bool>;

    /// Lists pending emails due at `now`, oldest due first. Unless `include_unconfigured`
    /// (an installation default exists), only organizations with SMTP settings count.
    async fn due_email_deliveries(
        &self,
        now: Timestamp,
        include_unconfigured: bool,
        limit: u32,
    ) -> StoreResult<Vec<EmailDelivery>>;

    /// Takes a pending email for sending: moves it to `sending` and counts the attempt.
    /// Returns false when another dispatcher took it first.
    async fn claim_email_delivery(
        &self,
        org: OrganizationId,
        id: Uuid,
        now: Timestamp,
    ) -> StoreResult<bool>;

    /// Records the end of an attempt on a claimed email.
    async fn finish_email_delivery(
        &self,
        org: OrganizationId,
        id: Uuid,
        outcome: &AttemptOutcome,
    ) -> StoreResult<()>;

    /// Marks as failed every email still `sending` since before `claimed_before`: its
    /// dispatcher stopped mid-send, and whether the message left is unknown, so it waits
    /// for a person to retry it instead of risking a second copy. Returns how many.
    async fn fail_abandoned_emails(
        &self,
        claimed_before: Timestamp,
        error: &str,
    ) -> StoreResult<u64>;

    /// Lists the organization's emails, newest first, below `before` when given.
    async fn email_deliveries(
        &self,
        org: OrganizationId,
        state: Option<DeliveryState>,
        before: Option<Timestamp>,
        limit: u32,
    ) -> StoreResult<Vec<EmailDelivery>>;

    async fn email_delivery(
        &self,
        org: OrganizationId,
        id: Uuid,
    ) -> StoreResult<Option<EmailDelivery>>;

    /// Puts a failed email back in the queue with a fresh count of attempts.
    async fn retry_email_delivery(
        &self,
        org: OrganizationId,
        id: Uuid,
        audit: &AuditEvent,
    ) -> StoreResult<RetryResult<EmailDelivery>>;

    /// Lists the organization's webhooks, by name.
    async fn webhooks(&self, org: OrganizationId) -> StoreResult<Vec<Webhook>>;

    async fn webhook(&self, org: OrganizationId, id: Uuid) -> StoreResult<Option<Webhook>>;

    async fn create_webhook(&self, webhook: &Webhook, audit: &AuditEvent) -> StoreResult<Webhook>;

    /// Replaces a webhook's name, URL, kinds and active flag; the secret stays.
    async fn update_webhook(
        &self,
        webhook: &Webhook,
        audit: &AuditEvent,
    ) -> StoreResult<Option<Webhook>>;

    /// Deletes a webhook together with its deliveries and their log.
    async fn delete_webhook(
        &self,
        org: OrganizationId,
        id: Uuid,
        audit: &AuditEvent,
    ) -> StoreResult<bool>;

    /// Lists pending webhook deliveries due at `now`, oldest due first.
    async fn due_webhook_deliveries(
        &self,
        now: Timestamp,
        limit: u32,
    ) -> StoreResult<Vec<WebhookDelivery>>;

    async fn claim_webhook_delivery(
        &self,
        org: OrganizationId,
        id: Uuid,
        now: Timestamp,
    ) -> StoreResult<bool>;

    /// Records one attempt in the log and the delivery's new state, in one transaction.
    async fn finish_webhook_delivery(
        &self,
        org: OrganizationId,
        id: Uuid,
        attempt: &NewWebhookAttempt,
        outcome: &AttemptOutcome,
    ) -> StoreResult<()>;

    /// Returns to `pending` every webhook delivery still `sending` since before
    /// `claimed_before`. Webhooks are delivered at least once: receivers tell repeats
    /// apart by the delivery id header. Returns how many.
    async fn release_abandoned_webhooks(&self, claimed_before: Timestamp) -> StoreResult<u64>;

    /// Lists a webhook's deliveries, newest first.
    async fn webhook_deliveries(
        &self,
        org: OrganizationId,
        webhook: Uuid,
        limit: u32,
    ) -> StoreResult<Vec<WebhookDelivery>>;

    async fn webhook_delivery(
        &self,
        org: OrganizationId,
        id: Uuid,
    ) -> StoreResult<Option<WebhookDelivery>>;

    /// Lists a delivery's attempts, oldest first.
    async fn webhook_attempts(
        &self,
        org: OrganizationId,
        delivery: Uuid,
    ) -> StoreResult<Vec<WebhookAttempt>>;

    async fn retry_webhook_delivery(
        &self,
        org: OrganizationId,
        id: Uuid,
        audit: &AuditEvent,
    ) -> StoreResult<RetryResult<WebhookDelivery>>;
}
