-- Outbox: what the server sends about each event (a finished visit, a promise to pay, a
-- rejected check-in), to whom, and how each send went. The dispatcher turns every event
-- into one email delivery per matching rule recipient and one webhook delivery per
-- matching webhook, then sends them with retries.

-- A rule chooses which events reach which recipients. A NULL filter column matches
-- every value; result_codes '[]' matches every result code. event_kinds and recipients
-- are JSON arrays of strings.
CREATE TABLE notification_rules (
    id BLOB PRIMARY KEY NOT NULL,
    organization_id BLOB NOT NULL
        CONSTRAINT notification_rules_organization_id_fkey REFERENCES organizations (id),
    name TEXT NOT NULL,
    event_kinds TEXT NOT NULL,
    lender_id BLOB CONSTRAINT notification_rules_lender_id_fkey REFERENCES lenders (id),
    portfolio_id BLOB
        CONSTRAINT notification_rules_portfolio_id_fkey REFERENCES portfolios (id),
    agent_id BLOB CONSTRAINT notification_rules_agent_id_fkey REFERENCES users (id),
    result_codes TEXT NOT NULL,
    recipients TEXT NOT NULL,
    language TEXT NOT NULL
        CONSTRAINT notification_rules_language_check CHECK (language IN ('es', 'en')),
    active INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX notification_rules_organization_id_idx ON notification_rules (organization_id);

-- The organization's own SMTP server, which takes the place of the installation default
-- from the configuration file. The password is stored as given, because SMTP AUTH needs
-- it in clear; the API never returns it and logs never print it.
CREATE TABLE smtp_settings (
    organization_id BLOB PRIMARY KEY NOT NULL
        CONSTRAINT smtp_settings_organization_id_fkey REFERENCES organizations (id),
    host TEXT NOT NULL,
    port INTEGER NOT NULL,
    security TEXT NOT NULL
        CONSTRAINT smtp_settings_security_check CHECK (security IN ('none', 'starttls', 'tls')),
    username TEXT,
    password TEXT,
    -- The From mailbox, such as "Despacho Norte <avisos@norte.mx>".
    from_address TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);

-- One email about one event to one recipient. The (event_id, recipient) key is the
-- idempotency key: fanning an event out twice never creates a second email.
CREATE TABLE email_deliveries (
    id BLOB PRIMARY KEY NOT NULL,
    organization_id BLOB NOT NULL
        CONSTRAINT email_deliveries_organization_id_fkey REFERENCES organizations (id),
    event_id BLOB NOT NULL CONSTRAINT email_deliveries_event_id_fkey REFERENCES events (id),
    rule_id BLOB
        CONSTRAINT email_deliveries_rule_id_fkey REFERENCES notification_rules (id)
        ON DELETE SET NULL,
    recipient TEXT NOT NULL,
    language TEXT NOT NULL
        CONSTRAINT email_deliveries_language_check CHECK (language IN ('es', 'en')),
    state TEXT NOT NULL CONSTRAINT email_deliveries_state_check
        CHECK (state IN ('pending', 'sending', 'sent', 'failed')),
    attempts INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    last_error TEXT,
    -- When a dispatcher took the delivery for sending; set while state is 'sending'.
    claimed_at INTEGER,
    message_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    sent_at INTEGER,
    CONSTRAINT email_deliveries_event_recipient_key UNIQUE (event_id, recipient)
);
CREATE INDEX email_deliveries_due_idx ON email_deliveries (state, next_attempt_at);
CREATE INDEX email_deliveries_organization_id_idx
    ON email_deliveries (organization_id, created_at);

-- A URL that receives each event of the listed kinds as a signed JSON POST.
CREATE TABLE webhooks (
    id BLOB PRIMARY KEY NOT NULL,
    organization_id BLOB NOT NULL
        CONSTRAINT webhooks_organization_id_fkey REFERENCES organizations (id),
    name TEXT NOT NULL,
    url TEXT NOT NULL,
    -- The HMAC-SHA256 key; it must be kept because every request is signed with it.
    secret TEXT NOT NULL,
    kinds TEXT NOT NULL,
    active INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX webhooks_organization_id_idx ON webhooks (organization_id);

CREATE TABLE webhook_deliveries (
    id BLOB PRIMARY KEY NOT NULL,
    organization_id BLOB NOT NULL
        CONSTRAINT webhook_deliveries_organization_id_fkey REFERENCES organizations (id),
    webhook_id BLOB NOT NULL CONSTRAINT webhook_deliveries_webhook_id_fkey
        REFERENCES webhooks (id) ON DELETE CASCADE,
    event_id BLOB NOT NULL
        CONSTRAINT webhook_deliveries_event_id_fkey REFERENCES events (id),
    state TEXT NOT NULL CONSTRAINT webhook_deliveries_state_check
        CHECK (state IN ('pending', 'sending', 'sent', 'failed')),
    attempts INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    last_status_code INTEGER,
    last_error TEXT,
    claimed_at INTEGER,
    created_at INTEGER NOT NULL,
    delivered_at INTEGER,
    CONSTRAINT webhook_deliveries_webhook_event_key UNIQUE (webhook_id, event_id)
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (state, next_attempt_at);
CREATE INDEX webhook_deliveries_webhook_id_idx ON webhook_deliveries (webhook_id, created_at);

-- Every POST attempt of a webhook delivery, with the receiver's answer.
CREATE TABLE webhook_attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id BLOB NOT NULL
        CONSTRAINT webhook_attempts_organization_id_fkey REFERENCES organizations (id),
    delivery_id BLOB NOT NULL CONSTRAINT webhook_attempts_delivery_id_fkey
        REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempted_at INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL,
    status_code INTEGER,
    -- The first kilobyte of the response body, or the connection error.
    response_excerpt TEXT,
    error TEXT
);
CREATE INDEX webhook_attempts_delivery_id_idx ON webhook_attempts (delivery_id, id);
