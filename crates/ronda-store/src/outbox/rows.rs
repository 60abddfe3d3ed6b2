//! Outbox rows shared by both backends.

use ronda_domain::{OrganizationId, UserId};
use sqlx::FromRow;
use sqlx::types::Json;
use uuid::Uuid;

use super::{
    DeliveryState, EmailDelivery, Event, EventKind, Language, NotificationRule, SmtpSecurity,
    SmtpSettings, Webhook, WebhookAttempt, WebhookDelivery,
};
use crate::rows::timestamp;
use crate::{StoreError, StoreResult};

fn corrupt(table: &'static str, column: &'static str, value: impl Into<String>) -> StoreError {
    StoreError::CorruptRow {
        table,
        column,
        value: value.into(),
    }
}

fn optional_timestamp(
    table: &'static str,
    column: &'static str,
    ms: Option<i64>,
) -> StoreResult<Option<jiff::Timestamp>> {
    ms.map(|ms| timestamp(table, column, ms)).transpose()
}

fn event_kinds(table: &'static str, names: Vec<String>) -> StoreResult<Vec<EventKind>> {
    names
        .into_iter()
        .map(|name| EventKind::from_name(&name).ok_or_else(|| corrupt(table, "kinds", name)))
        .collect()
}

fn language(table: &'static str, name: &str) -> StoreResult<Language> {
    Language::from_name(name).ok_or_else(|| corrupt(table, "language", name))
}

fn state(table: &'static str, name: &str) -> StoreResult<DeliveryState> {
    DeliveryState::from_name(name).ok_or_else(|| corrupt(table, "state", name))
}

#[derive(FromRow)]
pub(crate) struct EventRow {
    id: Uuid,
    organization_id: Uuid,
    kind: String,
    subject_id: Uuid,
    payload: String,
    occurred_at: i64,
    created_at: i64,
    dispatched_at: Option<i64>,
}

impl TryFrom<EventRow> for Event {
    type Error = StoreError;

    fn try_from(row: EventRow) -> StoreResult<Self> {
        let payload = serde_json::from_str(&row.payload)
            .map_err(|error| corrupt("events", "payload", error.to_string()))?;
        Ok(Event {
            id: row.id,
            organization_id: OrganizationId(row.organization_id),
            kind: row.kind,
            subject_id: row.subject_id,
            payload,
            occurred_at: timestamp("events", "occurred_at", row.occurred_at)?,
            created_at: timestamp("events", "created_at", row.created_at)?,
            dispatched_at: optional_timestamp("events", "dispatched_at", row.dispatched_at)?,
        })
    }
}

#[derive(FromRow)]
pub(crate) struct RuleRow {
    id: Uuid,
    organization_id: Uuid,
    name: String,
    event_kinds: Json<Vec<String>>,
    lender_id: Option<Uuid>,
    portfolio_id: Option<Uuid>,
    agent_id: Option<Uuid>,
    result_codes: Json<Vec<String>>,
    recipients: Json<Vec<String>>,
    language: String,
    active: bool,
    created_at: i64,
    updated_at: i64,
}

impl TryFrom<RuleRow> for NotificationRule {
    type Error = StoreError;

    fn try_from(row: RuleRow) -> StoreResult<Self> {
        const TABLE: &str = "notification_rules";
        Ok(NotificationRule {
            id: row.id,
            organization_id: OrganizationId(row.organization_id),
            name: row.name,
            event_kinds: event_kinds(TABLE, row.event_kinds.0)?,
            lender_id: row.lender_id,
            portfolio_id: row.portfolio_id,
            agent_id: row.agent_id.map(UserId),
            result_codes: row.result_codes.0,
            recipients: row.recipients.0,
            language: language(TABLE, &row.language)?,
            active: row.active,
            created_at: timestamp(TABLE, "created_at", row.created_at)?,
            updated_at: timestamp(TABLE, "updated_at", row.updated_at)?,
        })
    }
}

#[derive(FromRow)]
pub(crate) struct SmtpRow {
    organization_id: Uuid,
    host: String,
    port: i32,
    security: String,
    username: Option<String>,
    password: Option<String>,
    from_address: String,
    updated_at: i64,
}

impl TryFrom<SmtpRow> for SmtpSettings {
    type Error = StoreError;

    fn try_from(row: SmtpRow) -> StoreResult<Self> {
        const TABLE: &str = "smtp_settings";
        Ok(SmtpSettings {
            organization_id: OrganizationId(row.organization_id),
            host: row.host,
            port: u16::try_from(row.port)
                .map_err(|_| corrupt(TABLE, "port", row.port.to_string()))?,
            security: SmtpSecurity::from_name(&row.security)
                .ok_or_else(|| corrupt(TABLE, "security", row.security.clone()))?,
            username: row.username,
            password: row.password,
            from_address: row.from_address,
            updated_at: timestamp(TABLE, "updated_at", row.updated_at)?,
        })
    }
}

#[derive(FromRow)]
pub(crate) struct EmailRow {
    id: Uuid,
    organization_id: Uuid,
    event_id: Uuid,
    event_kind: String,
    rule_id: Option<Uuid>,
    recipient: String,
    language: String,
    state: String,
    attempts: i32,
    next_attempt_at: i64,
    last_error: Option<String>,
    claimed_at: Option<i64>,
    message_id: String,
    created_at: i64,
    sent_at: Option<i64>,
}

impl TryFrom<EmailRow> for EmailDelivery {
    type Error = StoreError;

    fn try_from(row: EmailRow) -> StoreResult<Self> {
        const TABLE: &str = "email_deliveries";
        Ok(EmailDelivery {
            id: row.id,
            organization_id: OrganizationId(row.organization_id),
            event_id: row.event_id,
            event_kind: row.event_kind,
            rule_id: row.rule_id,
            recipient: row.recipient,
            language: language(TABLE, &row.language)?,
            state: state(TABLE, &row.state)?,
            attempts: row.attempts,
            next_attempt_at: timestamp(TABLE, "next_attempt_at", row.next_attempt_at)?,
            last_error: row.last_error,
            claimed_at: optional_timestamp(TABLE, "claimed_at", row.claimed_at)?,
            message_id: row.message_id,
            created_at: timestamp(TABLE, "created_at", row.created_at)?,
            sent_at: optional_timestamp(TABLE, "sent_at", row.sent_at)?,
        })
    }
}

#[derive(FromRow)]
pub(crate) struct WebhookRow {
    id: Uuid,
    organization_id: Uuid,
    name: String,
    url: String,
    secret: String,
    kinds: Json<Vec<String>>,
    active: bool,
    created_at: i64,
    updated_at: i64,
}

impl TryFrom<WebhookRow> for Webhook {
    type Error = StoreError;

    fn try_from(row: WebhookRow) -> StoreResult<Self> {
        const TABLE: &str = "webhooks";
        Ok(Webhook {
            id: row.id,
            organization_id: OrganizationId(row.organization_id),
            name: row.name,
            url: row.url,
            secret: row.secret,
            kinds: event_kinds(TABLE, row.kinds.0)?,
            active: row.active,
            created_at: timestamp(TABLE, "created_at", row.created_at)?,
            updated_at: timestamp(TABLE, "updated_at", row.updated_at)?,
        })
    }
}

#[derive(FromRow)]
pub(crate) struct WebhookDeliveryRow {
    id: Uuid,
    organization_id: Uuid,
    webhook_id: Uuid,
    event_id: Uuid,
    event_kind: String,
    state: String,
    attempts: i32,
    next_attempt_at: i64,
    last_status_code: Option<i32>,
    last_error: Option<String>,
    claimed_at: Option<i64>,
    created_at: i64,
    delivered_at: Option<i64>,
}

impl TryFrom<WebhookDeliveryRow> for WebhookDelivery {
    type Error = StoreError;

    fn try_from(row: WebhookDeliveryRow) -> StoreResult<Self> {
        const TABLE: &str = "webhook_deliveries";
        Ok(WebhookDelivery {
            id: row.id,
            organization_id: OrganizationId(row.organization_id),
            webhook_id: row.webhook_id,
            event_id: row.event_id,
            event_kind: row.event_kind,
            state: state(TABLE, &row.state)?,
            attempts: row.attempts,
            next_attempt_at: timestamp(TABLE, "next_attempt_at", row.next_attempt_at)?,
            last_status_code: row.last_status_code,
            last_error: row.last_error,
            claimed_at: optional_timestamp(TABLE, "claimed_at", row.claimed_at)?,
            created_at: timestamp(TABLE, "created_at", row.created_at)?,
            delivered_at: optional_timestamp(TABLE, "delivered_at", row.delivered_at)?,
        })
    }
}

#[derive(FromRow)]
pub(crate) struct WebhookAttemptRow {
    id: i64,
    delivery_id: Uuid,
    attempted_at: i64,
    duration_ms: i64,
    status_code: Option<i32>,
    response_excerpt: Option<String>,
    error: Option<String>,
}

impl TryFrom<WebhookAttemptRow> for WebhookAttempt {
    type Error = StoreError;

    fn try_from(row: WebhookAttemptRow) -> StoreResult<Self> {
        Ok(WebhookAttempt {
            id: row.id,
            delivery_id: row.delivery_id,
            attempted_at: timestamp("webhook_attempts", "attempted_at", row.attempted_at)?,
            duration_ms: row.duration_ms,
            status_code: row.status_code,
            response_excerpt: row.response_excerpt,
            error: row.error,
        })
    }
}
