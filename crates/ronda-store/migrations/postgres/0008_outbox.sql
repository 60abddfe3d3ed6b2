-- Outbox: what the server sends about each event (a finished visit, a promise to pay, a
-- rejected check-in), to whom, and how each send went. The dispatcher turns every event
-- into one email delivery per matching rule recipient and one webhook delivery per
-- matching webhook, then sends them with retries.

-- A rule chooses which events reach which recipients. A NULL filter column matches
-- every value; result_codes '[]' matches every result code. event_kinds and recipients
-- are JSON arrays of strings.
CREATE TABLE notification_rules (
    id uuid PRIMARY KEY,
    organization_id uuid NOT NULL
        CONSTRAINT notification_rules_organization_id_fkey REFERENCES organizations (id),
    name text NOT NULL,
    event_kinds jsonb NOT NULL,
    lender_id uuid CONSTRAINT notification_rules_lender_id_fkey REFERENCES lenders (id),
    portfolio_id uuid
        CONSTRAINT notification_rules_portfolio_id_fkey REFERENCES portfolios (id),
    agent_id uuid CONSTRAINT notification_rules_agent_id_fkey REFERENCES users (id),
    result_codes jsonb NOT NULL,
    recipients jsonb NOT NULL,
    language text NOT NULL
        CONSTRAINT notification_rules_language_check CHECK (language IN ('es', 'en')),
    active boolean NOT NULL,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL
);
CREATE INDEX notification_rules_organization_id_idx ON notification_rules (organization_id);

-- The organization's own SMTP server, which takes the place of the installation default
-- from the configuration file. The password is stored as given, because SMTP AUTH needs
-- it in clear; the API never returns it and logs never print it.
CREATE TABLE smtp_settings (
    organization_id uuid PRIMARY KEY
        CONSTRAINT smtp_settings_organization_id_fkey REFERENCES organizations (id),
    host text NOT NULL,
    port integer NOT NULL,
    security text NOT NULL
        CONSTRAINT smtp_settings_security_check CHECK (security IN ('none', 'starttls', 'tls')),
    username text,
    password text,
    -- The From mailbox, such as "Despacho Norte <avisos@norte.mx>".
    from_address text NOT NULL,
    updated_at bigint NOT NULL
);

-- One email about one event to one recipient. The (event_id, recipient) key is the
-- idempotency key: fanning an event out twice never creates a second email.
CREATE TABLE email_deliveries (
    id uuid PRIMARY KEY,
    organization_id uuid NOT NULL
        CONSTRAINT email_deliveries_organization_id_fkey REFERENCES organizations (id),
    event_id uuid NOT NULL CONSTRAINT email_deliveries_event_id_fkey REFERENCES events (id),
    rule_id uuid
        CONSTRAINT email_deliveries_rule_id_fkey REFERENCES notification_rules (id)
        ON DELETE SET NULL,
    recipient text NOT NULL,
    language text NOT NULL
        CONSTRAINT email_deliveries_language_check CHECK (language IN ('es', 'en')),
    state text NOT NULL CONSTRAINT email_deliveries_state_check
        CHECK (state IN ('pending', 'sending', 'sent', 'failed')),
    attempts integer NOT NULL,
    next_attempt_at bigint NOT NULL,
    last_error text,
    -- When a dispatcher took the delivery for sending; set while state is 'sending'.
    claimed_at bigint,
    message_id text NOT NULL,
    created_at bigint NOT NULL,
    sent_at bigint,
    CONSTRAINT email_deliveries_event_recipient_key UNIQUE (event_id, recipient)
);
CREATE INDEX email_deliveries_due_idx ON email_deliveries (state, next_attempt_at);
CREATE INDEX email_deliveries_organization_id_idx
    ON email_deliveries (organization_id, created_at);

-- A URL that receives each event of the listed kinds as a signed JSON POST.
CREATE TABLE webhooks (
    id uuid PRIMARY KEY,
    organization_id uuid NOT NULL
        CONSTRAINT webhooks_organization_id_fkey REFERENCES organizations (id),
    name text NOT NULL,
    url text NOT NULL,
    -- The HMAC-SHA256 key; it must be kept because every request is signed with it.
    secret text NOT NULL,
    kinds jsonb NOT NULL,
    active boolean NOT NULL,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL
);
CREATE INDEX webhooks_organization_id_idx ON webhooks (organization_id);

CREATE TABLE webhook_deliveries (
    id uuid PRIMARY KEY,
    organization_id uuid NOT NULL
        CONSTRAINT webhook_deliveries_organization_id_fkey REFERENCES organizations (id),
    webhook_id uuid NOT NULL CONSTRAINT webhook_deliveries_webhook_id_fkey
        REFERENCES webhooks (id) ON DELETE CASCADE,
    event_id uuid NOT NULL
        CONSTRAINT webhook_deliveries_event_id_fkey REFERENCES events (id),
    state text NOT NULL CONSTRAINT webhook_deliveries_state_check
        CHECK (state IN ('pending', 'sending', 'sent', 'failed')),
    attempts integer NOT NULL,
    next_attempt_at bigint NOT NULL,
    last_status_code integer,
    last_error text,
    claimed_at bigint,
    created_at bigint NOT NULL,
    delivered_at bigint,
    CONSTRAINT webhook_deliveries_webhook_event_key UNIQUE (webhook_id, event_id)
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (state, next_attempt_at);
CREATE INDEX webhook_deliveries_webhook_id_idx ON webhook_deliveries (webhook_id, created_at);

-- Every POST attempt of a webhook delivery, with the receiver's answer.
CREATE TABLE webhook_attempts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organization_id uuid NOT NULL
        CONSTRAINT webhook_attempts_organization_id_fkey REFERENCES organizations (id),
    delivery_id uuid NOT NULL CONSTRAINT webhook_attempts_delivery_id_fkey
        REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempted_at bigint NOT NULL,
    duration_ms bigint NOT NULL,
    status_code integer,
    -- The first kilobyte of the response body, or the connection error.
    response_excerpt text,
    error text
);
CREATE INDEX webhook_attempts_delivery_id_idx ON webhook_attempts (delivery_id, id);
