-- Contacts made outside field visits (phone calls, emails, SMS and WhatsApp messages),
-- recorded by supervisors. The rollup worker adds each one to contact_hour_rollups once:
-- rolled_up_at is set in the transaction that adds it.
CREATE TABLE contact_attempts (
    id uuid PRIMARY KEY,
    organization_id uuid NOT NULL
        CONSTRAINT contact_attempts_organization_id_fkey REFERENCES organizations (id),
    account_id uuid NOT NULL
        CONSTRAINT contact_attempts_account_id_fkey REFERENCES accounts (id) ON DELETE CASCADE,
    -- The person of the account who was contacted, when the caller named one.
    person_id uuid
        CONSTRAINT contact_attempts_person_id_fkey REFERENCES persons (id) ON DELETE SET NULL,
    channel text NOT NULL
        CONSTRAINT contact_attempts_channel_check
        CHECK (channel IN ('phone', 'email', 'sms', 'whatsapp')),
    occurred_at bigint NOT NULL,
    -- A code of the organization's result-code catalogue.
    result_code text NOT NULL,
    -- debtor, guarantor, third_party, reference, minor or older_adult.
    person_met text,
    promise_amount_cents bigint,
    -- YYYY-MM-DD.
    promise_date text,
    note text,
    recorded_by uuid NOT NULL CONSTRAINT contact_attempts_recorded_by_fkey REFERENCES users (id),
    created_at bigint NOT NULL,
    rolled_up_at bigint
);
CREATE INDEX contact_attempts_account_idx
    ON contact_attempts (organization_id, account_id, occurred_at);
CREATE INDEX contact_attempts_rollup_pending_idx
    ON contact_attempts (created_at) WHERE rolled_up_at IS NULL;

-- Who set the verified point: 'supervisor' for a pin set on the account page. NULL for
-- points set before this column existed and for approved pin corrections.
ALTER TABLE addresses ADD COLUMN verified_source text;
