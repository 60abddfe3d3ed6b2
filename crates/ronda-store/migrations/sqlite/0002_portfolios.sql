-- Lenders, their portfolios, and the accounts imported into them, with the debtor and
-- the address of each account. Amounts are integer cents.

CREATE TABLE lenders (
    id BLOB PRIMARY KEY NOT NULL,
    organization_id BLOB NOT NULL
        CONSTRAINT lenders_organization_id_fkey REFERENCES organizations (id),
    name TEXT NOT NULL,
    -- The organization's REDECO registration for collecting on this lender's behalf.
    redeco_registration TEXT,
    complaint_unit_contact TEXT,
    collection_phones TEXT NOT NULL DEFAULT '[]',
    payment_references TEXT NOT NULL DEFAULT '[]',
    created_at INTEGER NOT NULL,
    CONSTRAINT lenders_name_key UNIQUE (organization_id, name)
);

CREATE TABLE portfolios (
    id BLOB PRIMARY KEY NOT NULL,
    organization_id BLOB NOT NULL
        CONSTRAINT portfolios_organization_id_fkey REFERENCES organizations (id),
    lender_id BLOB NOT NULL CONSTRAINT portfolios_lender_id_fkey REFERENCES lenders (id),
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    CONSTRAINT portfolios_name_key UNIQUE (organization_id, lender_id, name)
);

CREATE TABLE import_templates (
    id BLOB PRIMARY KEY NOT NULL,
    organization_id BLOB NOT NULL
        CONSTRAINT import_templates_organization_id_fkey REFERENCES organizations (id),
    lender_id BLOB NOT NULL CONSTRAINT import_templates_lender_id_fkey REFERENCES lenders (id),
    name TEXT NOT NULL,
    mapping TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    CONSTRAINT import_templates_name_key UNIQUE (organization_id, lender_id, name)
);

CREATE TABLE accounts (
    id BLOB PRIMARY KEY NOT NULL,
    organization_id BLOB NOT NULL
        CONSTRAINT accounts_organization_id_fkey REFERENCES organizations (id),
    lender_id BLOB NOT NULL CONSTRAINT accounts_lender_id_fkey REFERENCES lenders (id),
    portfolio_id BLOB NOT NULL CONSTRAINT accounts_portfolio_id_fkey REFERENCES portfolios (id),
    lender_account_id TEXT NOT NULL,
    product TEXT,
    principal_cents INTEGER,
    overdue_cents INTEGER,
    days_past_due INTEGER,
    currency TEXT NOT NULL DEFAULT 'MXN',
    custom_fields TEXT NOT NULL DEFAULT '{}',
    -- Hash of the imported values, so a re-import can tell unchanged accounts apart.
    content_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CONSTRAINT accounts_lender_account_id_key UNIQUE (organization_id, lender_id, lender_account_id)
);
CREATE INDEX accounts_portfolio_id_idx ON accounts (organization_id, portfolio_id);

CREATE TABLE persons (
    id BLOB PRIMARY KEY NOT NULL,
    organization_id BLOB NOT NULL
        CONSTRAINT persons_organization_id_fkey REFERENCES organizations (id),
    account_id BLOB NOT NULL
        CONSTRAINT persons_account_id_fkey REFERENCES accounts (id) ON DELETE CASCADE,
    role TEXT NOT NULL
        CONSTRAINT persons_role_check CHECK (role IN ('debtor', 'guarantor', 'reference')),
    name TEXT NOT NULL,
    phones TEXT NOT NULL DEFAULT '[]',
    emails TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX persons_account_id_idx ON persons (account_id);

CREATE TABLE addresses (
    id BLOB PRIMARY KEY NOT NULL,
    organization_id BLOB NOT NULL
        CONSTRAINT addresses_organization_id_fkey REFERENCES organizations (id),
    account_id BLOB NOT NULL
        CONSTRAINT addresses_account_id_fkey REFERENCES accounts (id) ON DELETE CASCADE,
    street TEXT,
    exterior_number TEXT,
    interior_number TEXT,
    colonia TEXT,
    postal_code TEXT CONSTRAINT addresses_postal_code_check CHECK (postal_code IS NULL OR length(postal_code) = 5),
    locality TEXT,
    municipality TEXT,
    state TEXT,
    between_streets TEXT,
    landmarks TEXT,
    original_text TEXT NOT NULL,
    geocoded_latitude REAL,
    geocoded_longitude REAL,
    -- Where the geocoded point came from: 'file' or a geocoder's name.
    geocode_source TEXT,
    -- 0 to 1; a point taken from the lender's file counts as 1.
    geocode_confidence REAL,
    verified_latitude REAL,
    verified_longitude REAL,
    time_zone TEXT,
    needs_pin INTEGER NOT NULL
);
CREATE INDEX addresses_account_id_idx ON addresses (account_id);
