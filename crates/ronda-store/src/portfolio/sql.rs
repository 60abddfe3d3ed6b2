//! Portfolio statements that run unchanged on SQLite and PostgreSQL.

pub(crate) const INSERT_LENDER: &str = "INSERT INTO lenders (id, organization_id, name, \
    redeco_registration, complaint_unit_contact, collection_phones, payment_references, created_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
pub(crate) const SELECT_LENDERS: &str = "SELECT id, organization_id, name, redeco_registration, \
    complaint_unit_contact, collection_phones, payment_references, created_at \
    FROM lenders WHERE organization_id = $1 ORDER BY name";
pub(crate) const SELECT_LENDER: &str = "SELECT id, organization_id, name, redeco_registration, \
    complaint_unit_contact, collection_phones, payment_references, created_at \
    FROM lenders WHERE organization_id = $1 AND id = $2";

pub(crate) const INSERT_PORTFOLIO: &str = "INSERT INTO portfolios \
    (id, organization_id, lender_id, name, created_at) VALUES ($1, $2, $3, $4, $5)";
/// Portfolios with their lender's name and account count; `$2` optionally picks a lender
/// and `$3` one portfolio.
pub(crate) const SELECT_PORTFOLIOS: &str = "SELECT p.id, p.organization_id, p.lender_id, \
    l.name AS lender_name, p.name, p.created_at, \
    (SELECT COUNT(*) FROM accounts a WHERE a.organization_id = p.organization_id \
        AND a.portfolio_id = p.id) AS account_count \
    FROM portfolios p JOIN lenders l ON l.id = p.lender_id AND l.organization_id = p.organization_id \
    WHERE p.organization_id = $1 AND ($2 IS NULL OR p.lender_id = $2) AND ($3 IS NULL OR p.id = $3) \
    ORDER BY l.name, p.name";

pub(crate) const SELECT_ACCOUNT_FOR_IMPORT: &str = "SELECT id, content_hash, portfolio_id \
    FROM accounts WHERE organization_id = $1 AND lender_id = $2 AND lender_account_id = $3";
pub(crate) const INSERT_ACCOUNT: &str = "INSERT INTO accounts (id, organization_id, lender_id, \
    portfolio_id, lender_account_id, product, principal_cents, overdue_cents, days_past_due, \
    currency, custom_fields, content_hash, created_at, updated_at, search_text) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $14)";
pub(crate) const UPDATE_ACCOUNT: &str = "UPDATE accounts SET portfolio_id = $3, product = $4, \
    principal_cents = $5, overdue_cents = $6, days_past_due = $7, currency = $8, \
    custom_fields = $9, content_hash = $10, updated_at = $11, search_text = $12 \
    WHERE organization_id = $1 AND id = $2";
pub(crate) const INSERT_DEBTOR: &str = "INSERT INTO persons \
    (id, organization_id, account_id, role, name, phones, emails) \
    VALUES ($1, $2, $3, 'debtor', $4, $5, $6)";
pub(crate) const UPDATE_DEBTOR: &str = "UPDATE persons SET name = $3, phones = $4, emails = $5 \
    WHERE organization_id = $1 AND account_id = $2 AND role = 'debtor'";
pub(crate) const INSERT_ADDRESS: &str = "INSERT INTO addresses (id, organization_id, account_id, \
    street, exterior_number, interior_number, colonia, postal_code, locality, municipality, state, \
    between_streets, landmarks, original_text, geocoded_latitude, geocoded_longitude, \
    geocode_source, geocode_confidence, time_zone, needs_pin, geocode_key) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, \
    $15 IS NULL, $20)";
/// Updates the lender's fields of an address and keeps the agent-verified point, so an
/// address needs a pin only when it has neither point. When the file brings no point and
/// the address reads as before (same `geocode_key`, `$19`), the geocoded point stays;
/// a changed address is geocoded again. Every SET expression reads the row as it was.
pub(crate) const UPDATE_ADDRESS: &str = "UPDATE addresses SET street = $3, exterior_number = $4, \
    interior_number = $5, colonia = $6, postal_code = $7, locality = $8, municipality = $9, \
    state = $10, between_streets = $11, landmarks = $12, original_text = $13, \
    geocoded_latitude = CASE WHEN $14 IS NULL AND geocode_key = $19 \
        THEN geocoded_latitude ELSE $14 END, \
    geocoded_longitude = CASE WHEN $14 IS NULL AND geocode_key = $19 \
        THEN geocoded_longitude ELSE $15 END, \
    geocode_source = CASE WHEN $14 IS NULL AND geocode_key = $19 \
        THEN geocode_source ELSE $16 END, \
    geocode_confidence = CASE WHEN $14 IS NULL AND geocode_key = $19 \
        THEN geocode_confidence ELSE $17 END, \
    geocode_status = CASE WHEN geocode_key = $19 THEN geocode_status ELSE NULL END, \
    geocode_retry_at = CASE WHEN geocode_key = $19 THEN geocode_retry_at ELSE NULL END, \
    time_zone = $18, geocode_key = $19, \
    needs_pin = (CASE WHEN $14 IS NULL AND geocode_key = $19 \
        THEN geocoded_latitude ELSE $14 END) IS NULL AND verified_latitude IS NULL \
    WHERE organization_id = $1 AND account_id = $2";

pub(crate) const UPSERT_IMPORT_TEMPLATE: &str = "INSERT INTO import_templates \
    (id, organization_id, lender_id, name, mapping, created_at) VALUES ($1, $2, $3, $4, $5, $6) \
    ON CONFLICT (organization_id, lender_id, name) DO UPDATE SET mapping = excluded.mapping";

/// Filters shared by the accounts page and its count: `$2` portfolio, `$3` a LIKE pattern
/// over the folded search text, which holds only letters, digits and spaces.
macro_rules! account_filter {
    () => {
        "FROM accounts a \
         JOIN persons d ON d.account_id = a.id AND d.organization_id = a.organization_id \
             AND d.role = 'debtor' \
         JOIN addresses ad ON ad.account_id = a.id AND ad.organization_id = a.organization_id \
         JOIN lenders l ON l.id = a.lender_id AND l.organization_id = a.organization_id \
         JOIN portfolios p ON p.id = a.portfolio_id AND p.organization_id = a.organization_id \
         WHERE a.organization_id = $1 AND ($2 IS NULL OR a.portfolio_id = $2) \
         AND ($3 IS NULL OR a.search_text LIKE $3)"
    };
}

pub(crate) const SELECT_ACCOUNTS_PAGE: &str = concat!(
    "SELECT a.id, a.lender_account_id, d.name AS debtor_name, l.name AS lender_name, \
     p.name AS portfolio_name, a.overdue_cents, a.days_past_due, a.currency, \
     ad.original_text AS address_text, ad.postal_code, ad.municipality, ad.state, \
     ad.time_zone, ad.needs_pin ",
    account_filter!(),
    " ORDER BY a.lender_account_id LIMIT $4 OFFSET $5"
);

pub(crate) const COUNT_ACCOUNTS: &str = concat!("SELECT COUNT(*) ", account_filter!());
