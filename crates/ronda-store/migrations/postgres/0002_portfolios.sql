-- Lenders, their portfolios, and the accounts imported into them, with the debtor and
-- the address of each account. Amounts are integer cents.

CREATE TABLE lenders (
    id uuid PRIMARY KEY,
    organization_id uuid NOT NULL
        CONSTRAINT lenders_organization_id_fkey REFERENCES organizations (id),
    name text NOT NULL,
    -- The organization's REDECO registration for collecting on this lender's behalf.
    redeco_registration text,
    complaint_unit_contact text,
    collection_phones jsonb NOT NULL DEFAULT '[]',
    payment_references jsonb NOT NULL DEFAULT '[]',
    created_at bigint NOT NULL,
    CONSTRAINT lenders_name_key UNIQUE (organization_id, name)
);

CREATE TABLE portfolios (
    id uuid PRIMARY KEY,
    organization_id uuid NOT NULL
        CONSTRAINT portfolios_organization_id_fkey REFERENCES organizations (id),
    lender_id uuid NOT NULL CONSTRAINT portfolios_lender_id_fkey REFERENCES lenders (id),
    name text NOT NULL,
    created_at bigint NOT NULL,
    CONSTRAINT portfolios_name_key UNIQUE (organization_id, lender_id, name)
);

CREATE TABLE import_templates (
    id uuid PRIMARY KEY,
    organization_id uuid NOT NULL
        CONSTRAINT import_templates_organization_id_fkey REFERENCES organizations (id),
    lender_id uuid NOT NULL CONSTRAINT import_templates_lender_id_fkey REFERENCES lenders (id),
    name text NOT NULL,
    mapping jsonb NOT NULL,
    created_at bigint NOT NULL,
    CONSTRAINT import_templates_name_key UNIQUE (organization_id, lender_id, name)
);

CREATE TABLE accounts (
    id uuid PRIMARY KEY,
    organization_id uuid NOT NULL
        CONSTRAINT accounts_organization_id_fkey REFERENCES organizations (id),
    lender_id uuid NOT NULL CONSTRAINT accounts_lender_id_fkey REFERENCES lenders (id),
    portfolio_id uuid NOT NULL CONSTRAINT accounts_portfolio_id_fkey REFERENCES portfolios (id),
    lender_account_id text NOT NULL,
    product text,
    principal_cents bigint,
    overdue_cents bigint,
    days_past_due integer,
    currency text NOT NULL DEFAULT 'MXN',
    custom_fields jsonb NOT NULL DEFAULT '{}',
    -- Hash of the imported values, so a re-import can tell unchanged accounts apart.
    content_hash text NOT NULL,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL,
    CONSTRAINT accounts_lender_account_id_key UNIQUE (organization_id, lender_id, lender_account_id)
);
CREATE INDEX accounts_portfolio_id_idx ON accounts (organization_id, portfolio_id);

CREATE TABLE persons (
    id uuid PRIMARY KEY,
    organization_id uuid NOT NULL
        CONSTRAINT persons_organization_id_fkey REFERENCES organizations (id),
    account_id uuid NOT NULL
        CONSTRAINT persons_account_id_fkey REFERENCES accounts (id) ON DELETE CASCADE,
    role text NOT NULL
        CONSTRAINT persons_role_check CHECK (role IN ('debtor', 'guarantor', 'reference')),
    name text NOT NULL,
    phones jsonb NOT NULL DEFAULT '[]',
    emails jsonb NOT NULL DEFAULT '[]'
);
CREATE INDEX persons_account_id_idx ON persons (account_id);

CREATE TABLE addresses (
    id uuid PRIMARY KEY,
    organization_id uuid NOT NULL
        CONSTRAINT addresses_organization_id_fkey REFERENCES organizations (id),
    account_id uuid NOT NULL
        CONSTRAINT addresses_account_id_fkey REFERENCES accounts (id) ON DELETE CASCADE,
    street text,
    exterior_number text,
    interior_number text,
    colonia text,
    postal_code text CONSTRAINT addresses_postal_code_check CHECK (postal_code IS NULL OR length(postal_code) = 5),
    locality text,
    municipality text,
    state text,
    between_streets text,
    landmarks text,
    original_text text NOT NULL,
    geocoded_latitude double precision,
    geocoded_longitude double precision,
    -- Where the geocoded point came from: 'file' or a geocoder's name.
    geocode_source text,
    -- 0 to 1; a point taken from the lender's file counts as 1.
    geocode_confidence double precision,
    verified_latitude double precision,
    verified_longitude double precision,
    time_zone text,
    needs_pin boolean NOT NULL
);
CREATE INDEX addresses_account_id_idx ON addresses (account_id);
