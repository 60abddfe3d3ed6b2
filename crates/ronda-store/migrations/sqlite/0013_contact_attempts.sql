-- Contacts made outside field visits (phone calls, emails, SMS and WhatsApp messages),
-- recorded by supervisors. The rollup worker adds each one to contact_hour_rollups once:
-- rolled_up_at is set in the transaction that adds it.
CREATE TABLE contact_attempts (
    id BLOB PRIMARY KEY NOT NULL,
    organization_id BLOB NOT NULL
        CONSTRAINT contact_attempts_organization_id_fkey REFERENCES organizations (id),
    account_id BLOB NOT NULL
        CONSTRAINT contact_attempts_account_id_fkey REFERENCES accounts (id) ON DELETE CASCADE,
    -- The person of the account who was contacted, when the caller named one.
    person_id BLOB
        CONSTRAINT contact_attempts_person_id_fkey REFERENCES persons (id) ON DELETE SET NULL,
    channel TEXT NOT NULL
        CONSTRAINT contact_attempts_channel_check
        CHECK (channel IN ('phone', 'email', 'sms', 'whatsapp')),
    occurred_at INTEGER NOT NULL,
    -- A code of the organization's result-code catalogue.
    result_code TEXT NOT NULL,
    -- debtor, guarantor, third_party, reference, minor or older_adult.
    person_met TEXT,
    promise_amount_cents INTEGER,
    -- YYYY-MM-DD.
    promise_date TEXT,
    note TEXT,
    recorded_by BLOB NOT NULL CONSTRAINT contact_attempts_recorded_by_fkey REFERENCES users (id),
    created_at INTEGER NOT NULL,
    rolled_up_at INTEGER
);
CREATE INDEX contact_attempts_account_idx
    ON contact_attempts (organization_id, account_id, occurred_at);
CREATE INDEX contact_attempts_rollup_pending_idx
    ON contact_attempts (created_at) WHERE rolled_up_at IS NULL;

-- Who set the verified point: 'supervisor' for a pin set on the account page. NULL for
-- points set before this column existed and for approved pin corrections.
ALTER TABLE addresses ADD COLUMN verified_source TEXT;
