//! Statements of the account page and manual contact attempts that run unchanged on SQLite
//! and PostgreSQL.

pub(crate) const SELECT_ACCOUNT: &str = "SELECT a.id, a.lender_id, l.name AS lender_name, \
    a.portfolio_id, p.name AS portfolio_name, a.lender_account_id, a.product, \
    a.principal_cents, a.overdue_cents, a.days_past_due, a.currency, a.custom_fields \
    FROM accounts a \
    JOIN lenders l ON l.id = a.lender_id AND l.organization_id = a.organization_id \
    JOIN portfolios p ON p.id = a.portfolio_id AND p.organization_id = a.organization_id \
    WHERE a.organization_id = $1 AND a.id = $2";

/// Debtors first, then guarantors, then references.
pub(crate) const SELECT_PERSONS: &str = "SELECT id, role, name, phones, emails FROM persons \
    WHERE organization_id = $1 AND account_id = $2 \
    ORDER BY CASE role WHEN 'debtor' THEN 0 WHEN 'guarantor' THEN 1 ELSE 2 END, name, id";

pub(crate) const SELECT_ADDRESSES: &str = "SELECT id, street, exterior_number, interior_number, \
    colonia, postal_code, locality, municipality, state, between_streets, landmarks, \
    original_text, geocoded_latitude, geocoded_longitude, geocode_source, geocode_confidence, \
    verified_latitude, verified_longitude, verified_source, time_zone, needs_pin \
    FROM addresses WHERE organization_id = $1 AND account_id = $2 ORDER BY original_text, id";

pub(crate) const SELECT_CURRENT_ASSIGNMENT: &str = "SELECT s.id, s.agent_id, u.name AS agent_name, \
    s.assigned_at FROM assignments s \
    JOIN users u ON u.id = s.agent_id AND u.organization_id = s.organization_id \
    WHERE s.organization_id = $1 AND s.account_id = $2 AND s.unassigned_at IS NULL";

pub(crate) const SELECT_ACCOUNT_VISITS: &str = "SELECT v.id, v.agent_id, u.name AS agent_name, \
    v.finished_at, v.result_code, rc.label_es AS result_label_es, \
    rc.label_en AS result_label_en, v.verdict, v.person_met, v.promise_amount_cents, \
    v.promise_date FROM visits v \
    JOIN users u ON u.id = v.agent_id AND u.organization_id = v.organization_id \
    LEFT JOIN result_codes rc ON rc.organization_id = v.organization_id \
        AND rc.code = v.result_code \
    WHERE v.organization_id = $1 AND v.account_id = $2 \
    ORDER BY v.finished_at DESC, v.id DESC";

pub(crate) const SELECT_ATTEMPTS: &str = "SELECT c.id, c.account_id, c.person_id, \
    pe.name AS person_name, c.channel, c.occurred_at, c.result_code, \
    rc.label_es AS result_label_es, rc.label_en AS result_label_en, c.person_met, \
    c.promise_amount_cents, c.promise_date, c.note, c.recorded_by, \
    u.name AS recorded_by_name, c.created_at FROM contact_attempts c \
    JOIN users u ON u.id = c.recorded_by AND u.organization_id = c.organization_id \
    LEFT JOIN persons pe ON pe.id = c.person_id AND pe.organization_id = c.organization_id \
    LEFT JOIN result_codes rc ON rc.organization_id = c.organization_id \
        AND rc.code = c.result_code \
    WHERE c.organization_id = $1 AND c.account_id = $2 \
    ORDER BY c.occurred_at DESC, c.id DESC";

pub(crate) const INSERT_ATTEMPT: &str = "INSERT INTO contact_attempts (id, organization_id, \
    account_id, person_id, channel, occurred_at, result_code, person_met, \
    promise_amount_cents, promise_date, note, recorded_by, created_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";

pub(crate) const SET_VERIFIED_POINT: &str = "UPDATE addresses SET verified_latitude = $4, \
    verified_longitude = $5, verified_source = 'supervisor', needs_pin = $6 \
    WHERE organization_id = $1 AND account_id = $2 AND id = $3";

/// The zone, state and municipality are those of the account's first address, by the same
/// order as the account page lists addresses.
pub(crate) const SELECT_PENDING_ATTEMPTS: &str = "SELECT c.id, c.organization_id, c.recorded_by, \
    a.lender_id, a.portfolio_id, c.occurred_at, ad.time_zone, ad.state AS zone_state, \
    ad.municipality AS zone_municipality, c.channel, c.result_code, \
    rc.class AS result_class, c.promise_amount_cents FROM contact_attempts c \
    JOIN accounts a ON a.id = c.account_id AND a.organization_id = c.organization_id \
    LEFT JOIN addresses ad ON ad.id = (SELECT fa.id FROM addresses fa \
        WHERE fa.account_id = a.id AND fa.organization_id = a.organization_id \
        ORDER BY fa.original_text, fa.id LIMIT 1) \
    LEFT JOIN result_codes rc ON rc.organization_id = c.organization_id \
        AND rc.code = c.result_code \
    WHERE c.rolled_up_at IS NULL ORDER BY c.created_at, c.id LIMIT $1";
