//! Outbox statements that run unchanged on SQLite and PostgreSQL.

/// Reads the payload as text, so the column may be `text` or `jsonb`.
macro_rules! event_select {
    ($tail:literal) => {
        concat!(
            "SELECT id, organization_id, kind, subject_id, CAST(payload AS TEXT) AS payload, \
             occurred_at, created_at, dispatched_at FROM events ",
            $tail
        )
    };
}

pub(crate) const INSERT_EVENT: &str = "INSERT INTO events (id, organization_id, kind, \
    subject_id, payload, occurred_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)";
pub(crate) const INSERT_DAILY_SUMMARY: &str = "INSERT INTO events (id, organization_id, \
    kind, subject_id, payload, occurred_at, created_at) VALUES ($1, $2, 'daily.summary', $3, \
    $4, $5, $6) ON CONFLICT DO NOTHING";
pub(crate) const SELECT_DAILY_SUMMARY_ORGANIZATIONS: &str = "SELECT DISTINCT organization_id \
    FROM notification_rules WHERE active = $1 \
    AND CAST(event_kinds AS TEXT) LIKE '%\"daily.summary\"%' ORDER BY organization_id";
pub(crate) const SELECT_DAY_VISITS: &str = "SELECT v.agent_id, u.name, v.verdict, \
    v.result_code, v.promise_amount_cents, v.exception FROM visits v \
    JOIN users u ON u.id = v.agent_id AND u.organization_id = v.organization_id \
    WHERE v.organization_id = $1 AND v.finished_at >= $2 AND v.finished_at < $3 \
    ORDER BY v.finished_at, v.id";
pub(crate) const SELECT_UNDISPATCHED_EVENTS: &str =
    event_select!("WHERE dispatched_at IS NULL ORDER BY created_at, id LIMIT $1");
pub(crate) const SELECT_EVENT: &str = event_select!("WHERE organization_id = $1 AND id = $2");
pub(crate) const MARK_EVENT_DISPATCHED: &str = "UPDATE events SET dispatched_at = $3 \
    WHERE organization_id = $1 AND id = $2 AND dispatched_at IS NULL";

/// The (event_id, recipient) key makes a second fan-out of the same event a no-op.
pub(crate) const INSERT_EMAIL_DELIVERY: &str = "INSERT INTO email_deliveries (id, \
    organization_id, event_id, rule_id, recipient, language, state, attempts, next_attempt_at, \
    message_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $7, $8, $7) \
    ON CONFLICT (event_id, recipient) DO NOTHING";
pub(crate) const INSERT_WEBHOOK_DELIVERY: &str = "INSERT INTO webhook_deliveries (id, \
    organization_id, webhook_id, event_id, state, attempts, next_attempt_at, created_at) \
    VALUES ($1, $2, $3, $4, 'pending', 0, $5, $5) ON CONFLICT (webhook_id, event_id) DO NOTHING";

macro_rules! rule_select {
    ($tail:literal) => {
        concat!(
            "SELECT id, organization_id, name, event_kinds, lender_id, portfolio_id, agent_id, \
             result_codes, recipients, language, active, created_at, updated_at \
             FROM notification_rules ",
            $tail
        )
    };
}

pub(crate) const SELECT_RULES: &str =
    rule_select!("WHERE organization_id = $1 ORDER BY name, created_at");
pub(crate) const SELECT_RULE: &str = rule_select!("WHERE organization_id = $1 AND id = $2");
pub(crate) const INSERT_RULE: &str = "INSERT INTO notification_rules (id, organization_id, name, \
    event_kinds, lender_id, portfolio_id, agent_id, result_codes, recipients, language, active, \
    created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";
pub(crate) const UPDATE_RULE: &str = "UPDATE notification_rules SET name = $3, event_kinds = $4, \
    lender_id = $5, portfolio_id = $6, agent_id = $7, result_codes = $8, recipients = $9, \
    language = $10, active = $11, updated_at = $12 WHERE organization_id = $1 AND id = $2";
pub(crate) const DELETE_RULE: &str =
    "DELETE FROM notification_rules WHERE organization_id = $1 AND id = $2";

pub(crate) const SELECT_SMTP: &str = "SELECT organization_id, host, port, security, username, \
    password, from_address, updated_at FROM smtp_settings WHERE organization_id = $1";
/// When `$9` is true, `$6` replaces the stored password; otherwise the stored one stays.
pub(crate) const UPSERT_SMTP: &str = "INSERT INTO smtp_settings (organization_id, host, port, \
    security, username, password, from_address, updated_at) \
    VALUES ($1, $2, $3, $4, $5, CASE WHEN $9 THEN $6 ELSE NULL END, $7, $8) \
    ON CONFLICT (organization_id) DO UPDATE SET host = excluded.host, port = excluded.port, \
    security = excluded.security, username = excluded.username, \
    password = CASE WHEN $9 THEN excluded.password ELSE smtp_settings.password END, \
    from_address = excluded.from_address, updated_at = excluded.updated_at";
pub(crate) const DELETE_SMTP: &str = "DELETE FROM smtp_settings WHERE organization_id = $1";

macro_rules! email_select {
    ($tail:literal) => {
        concat!(
            "SELECT d.id, d.organization_id, d.event_id, e.kind AS event_kind, d.rule_id, \
             d.recipient, d.language, d.state, d.attempts, d.next_attempt_at, d.last_error, \
             d.claimed_at, d.message_id, d.created_at, d.sent_at \
             FROM email_deliveries d JOIN events e ON e.id = d.event_id ",
            $tail
        )
    };
}

pub(crate) const SELECT_DUE_EMAILS: &str = email_select!(
    "WHERE d.state = 'pending' AND d.next_attempt_at <= $1 AND ($2 OR EXISTS \
     (SELECT 1 FROM smtp_settings s WHERE s.organization_id = d.organization_id)) \
     ORDER BY d.next_attempt_at, d.id LIMIT $3"
);
pub(crate) const SELECT_EMAILS: &str = email_select!(
    "WHERE d.organization_id = $1 AND (CAST($2 AS TEXT) IS NULL OR d.state = $2) \
     AND (CAST($3 AS BIGINT) IS NULL OR d.created_at < $3) \
     ORDER BY d.created_at DESC, d.id DESC LIMIT $4"
);
pub(crate) const SELECT_EMAIL: &str = email_select!("WHERE d.organization_id = $1 AND d.id = $2");
/// Succeeds for one caller only, because the row must still be pending.
pub(crate) const CLAIM_EMAIL: &str = "UPDATE email_deliveries SET state = 'sending', \
    claimed_at = $3, attempts = attempts + 1 \
    WHERE organization_id = $1 AND id = $2 AND state = 'pending'";
pub(crate) const FINISH_EMAIL_SENT: &str = "UPDATE email_deliveries SET state = 'sent', \
    sent_at = $3, claimed_at = NULL, last_error = NULL \
    WHERE organization_id = $1 AND id = $2 AND state = 'sending'";
pub(crate) const FINISH_EMAIL_RETRY: &str = "UPDATE email_deliveries SET state = 'pending', \
    last_error = $3, next_attempt_at = $4, claimed_at = NULL \
    WHERE organization_id = $1 AND id = $2 AND state = 'sending'";
pub(crate) const FINISH_EMAIL_FAILED: &str = "UPDATE email_deliveries SET state = 'failed', \
    last_error = $3, claimed_at = NULL \
    WHERE organization_id = $1 AND id = $2 AND state = 'sending'";
pub(crate) const FAIL_ABANDONED_EMAILS: &str = "UPDATE email_deliveries SET state = 'failed', \
    last_error = $2, claimed_at = NULL WHERE state = 'sending' AND claimed_at < $1";
pub(crate) const RETRY_EMAIL: &str = "UPDATE email_deliveries SET state = 'pending', \
    attempts = 0, next_attempt_at = $3 \
    WHERE organization_id = $1 AND id = $2 AND state = 'failed'";

macro_rules! webhook_select {
    ($tail:literal) => {
        concat!(
            "SELECT id, organization_id, name, url, secret, kinds, active, created_at, \
             updated_at FROM webhooks ",
            $tail
        )
    };
}

pub(crate) const SELECT_WEBHOOKS: &str =
    webhook_select!("WHERE organization_id = $1 ORDER BY name, created_at");
pub(crate) const SELECT_WEBHOOK: &str = webhook_select!("WHERE organization_id = $1 AND id = $2");
pub(crate) const INSERT_WEBHOOK: &str = "INSERT INTO webhooks (id, organization_id, name, url, \
    secret, kinds, active, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
pub(crate) const UPDATE_WEBHOOK: &str = "UPDATE webhooks SET name = $3, url = $4, kinds = $5, \
    active = $6, updated_at = $7 WHERE organization_id = $1 AND id = $2";
pub(crate) const DELETE_WEBHOOK: &str =
    "DELETE FROM webhooks WHERE organization_id = $1 AND id = $2";

macro_rules! webhook_delivery_select {
    ($tail:literal) => {
        concat!(
            "SELECT d.id, d.organization_id, d.webhook_id, d.event_id, e.kind AS event_kind, \
             d.state, d.attempts, d.next_attempt_at, d.last_status_code, d.last_error, \
             d.claimed_at, d.created_at, d.delivered_at \
             FROM webhook_deliveries d JOIN events e ON e.id = d.event_id ",
            $tail
        )
    };
}

/// Deliveries of an inactive webhook wait until it is active again.
pub(crate) const SELECT_DUE_WEBHOOK_DELIVERIES: &str = webhook_delivery_select!(
    "JOIN webhooks w ON w.id = d.webhook_id \
     WHERE d.state = 'pending' AND d.next_attempt_at <= $1 AND w.active \
     ORDER BY d.next_attempt_at, d.id LIMIT $2"
);
pub(crate) const SELECT_WEBHOOK_DELIVERIES: &str = webhook_delivery_select!(
    "WHERE d.organization_id = $1 AND d.webhook_id = $2 \
     ORDER BY d.created_at DESC, d.id DESC LIMIT $3"
);
pub(crate) const SELECT_WEBHOOK_DELIVERY: &str =
    webhook_delivery_select!("WHERE d.organization_id = $1 AND d.id = $2");
pub(crate) const CLAIM_WEBHOOK_DELIVERY: &str = "UPDATE webhook_deliveries \
    SET state = 'sending', claimed_at = $3, attempts = attempts + 1 \
    WHERE organization_id = $1 AND id = $2 AND state = 'pending'";
pub(crate) const FINISH_WEBHOOK_SENT: &str = "UPDATE webhook_deliveries SET state = 'sent', \
    delivered_at = $3, last_status_code = $4, last_error = NULL, claimed_at = NULL \
    WHERE organization_id = $1 AND id = $2 AND state = 'sending'";
pub(crate) const FINISH_WEBHOOK_RETRY: &str = "UPDATE webhook_deliveries \
    SET state = 'pending', last_error = $3, next_attempt_at = $4, last_status_code = $5, \
    claimed_at = NULL WHERE organization_id = $1 AND id = $2 AND state = 'sending'";
pub(crate) const FINISH_WEBHOOK_FAILED: &str = "UPDATE webhook_deliveries \
    SET state = 'failed', last_error = $3, last_status_code = $4, claimed_at = NULL \
    WHERE organization_id = $1 AND id = $2 AND state = 'sending'";
pub(crate) const RELEASE_ABANDONED_WEBHOOKS: &str = "UPDATE webhook_deliveries \
    SET state = 'pending', claimed_at = NULL WHERE state = 'sending' AND claimed_at < $1";
pub(crate) const RETRY_WEBHOOK_DELIVERY: &str = "UPDATE webhook_deliveries \
    SET state = 'pending', attempts = 0, next_attempt_at = $3 \
    WHERE organization_id = $1 AND id = $2 AND state = 'failed'";
pub(crate) const INSERT_WEBHOOK_ATTEMPT: &str = "INSERT INTO webhook_attempts (organization_id, \
    delivery_id, attempted_at, duration_ms, status_code, response_excerpt, error) \
    VALUES ($1, $2, $3, $4, $5, $6, $7)";
pub(crate) const SELECT_WEBHOOK_ATTEMPTS: &str = "SELECT id, delivery_id, attempted_at, \
    duration_ms, status_code, response_excerpt, error FROM webhook_attempts \
    WHERE organization_id = $1 AND delivery_id = $2 ORDER BY id";
