//! Field-work statements that run unchanged on SQLite and PostgreSQL.

pub(crate) const SELECT_TRACK_OUTSIDE_SHIFTS: &str =
    "SELECT track_outside_shifts FROM organizations WHERE id = $1";
pub(crate) const UPDATE_TRACK_OUTSIDE_SHIFTS: &str =
    "UPDATE organizations SET track_outside_shifts = $2 WHERE id = $1";

pub(crate) const INSERT_SHIFT: &str = "INSERT INTO shifts (id, organization_id, agent_id, \
    clocked_in_at, clocked_out_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) \
    ON CONFLICT (id) DO NOTHING";
pub(crate) const SELECT_SHIFT: &str = "SELECT id, organization_id, agent_id, clocked_in_at, \
    clocked_out_at FROM shifts WHERE id = $1";
pub(crate) const CLOCK_OUT_SHIFT: &str = "UPDATE shifts SET clocked_out_at = $2, updated_at = $3 \
    WHERE id = $1 AND clocked_out_at IS NULL";
pub(crate) const SELECT_OPEN_SHIFT: &str = "SELECT id, organization_id, agent_id, clocked_in_at, \
    clocked_out_at FROM shifts WHERE organization_id = $1 AND agent_id = $2 \
    AND clocked_out_at IS NULL ORDER BY clocked_in_at DESC LIMIT 1";
/// Whether a shift covers `$3`; `$4` is the longest an open shift counts.
pub(crate) const SELECT_SHIFT_COVERS: &str = "SELECT COUNT(*) FROM shifts \
    WHERE organization_id = $1 AND agent_id = $2 AND clocked_in_at <= $3 \
    AND ((clocked_out_at IS NOT NULL AND clocked_out_at > $3) \
    OR (clocked_out_at IS NULL AND clocked_in_at > $3 - $4))";

pub(crate) const INSERT_FIELD_DEVICE: &str = "INSERT INTO devices (id, organization_id, \
    agent_id, name, kind, device_identifier, secret_hash, created_at) \
    VALUES ($1, $2, $3, 'Ronda', 'pwa', $4, $5, $6) ON CONFLICT (device_identifier) DO NOTHING";
pub(crate) const SELECT_FIELD_DEVICE: &str = "SELECT id, organization_id, agent_id, name, kind, \
    device_identifier, secret_hash, created_at, revoked_at FROM devices \
    WHERE organization_id = $1 AND device_identifier = $2";

pub(crate) const SELECT_RESULT_CODES: &str = "SELECT code, class, label_es, label_en, \
    requires_es, active FROM result_codes WHERE organization_id = $1 ORDER BY position, code";
pub(crate) const INSERT_RESULT_CODE: &str = "INSERT INTO result_codes (organization_id, code, \
    class, label_es, label_en, requires_es, position, active) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, TRUE) ON CONFLICT (organization_id, code) DO NOTHING";

macro_rules! address_columns {
    () => {
        "ad.id AS address_id, ad.street, ad.exterior_number, ad.interior_number, ad.colonia, \
         ad.postal_code, ad.locality, ad.municipality, ad.state, ad.between_streets, \
         ad.landmarks, ad.original_text, ad.time_zone, ad.geocoded_latitude, \
         ad.geocoded_longitude, ad.geocode_source, ad.geocode_confidence, \
         ad.verified_latitude, ad.verified_longitude"
    };
}

pub(crate) const SELECT_DAY_STOPS: &str = concat!(
    "SELECT s.id AS assignment_id, a.id AS account_id, a.lender_id, l.name AS lender_name, \
     a.lender_account_id, a.product, a.overdue_cents, a.days_past_due, ",
    address_columns!(),
    ", (SELECT COUNT(*) FROM visits v WHERE v.organization_id = s.organization_id \
       AND v.account_id = a.id AND v.agent_id = s.agent_id AND v.finished_at >= $3) \
       AS visit_count \
     FROM assignments s \
     JOIN accounts a ON a.id = s.account_id AND a.organization_id = s.organization_id \
     JOIN lenders l ON l.id = a.lender_id AND l.organization_id = a.organization_id \
     JOIN addresses ad ON ad.account_id = a.id AND ad.organization_id = a.organization_id \
     WHERE s.organization_id = $1 AND s.agent_id = $2 AND s.unassigned_at IS NULL \
     ORDER BY ad.postal_code, ad.colonia, a.lender_account_id, ad.id"
);
pub(crate) const SELECT_DAY_PERSONS: &str = "SELECT p.account_id, p.role, p.name, p.phones \
    FROM persons p JOIN assignments s ON s.account_id = p.account_id \
    AND s.organization_id = p.organization_id \
    WHERE s.organization_id = $1 AND s.agent_id = $2 AND s.unassigned_at IS NULL \
    ORDER BY p.account_id, p.role, p.name";

pub(crate) const SELECT_VISIT_CONTEXT: &str = concat!(
    "SELECT a.id AS account_id, a.lender_id, l.name AS lender_name, a.portfolio_id, \
     p.name AS portfolio_name, a.lender_account_id, a.overdue_cents, \
     (SELECT d.name FROM persons d WHERE d.account_id = a.id AND d.organization_id = a.organization_id \
      AND d.role = 'debtor' ORDER BY d.name LIMIT 1) AS debtor_name, ",
    address_columns!(),
    ", s.id AS assignment_id, s.agent_id AS assignee_id \
     FROM accounts a \
     JOIN lenders l ON l.id = a.lender_id AND l.organization_id = a.organization_id \
     JOIN portfolios p ON p.id = a.portfolio_id AND p.organization_id = a.organization_id \
     JOIN addresses ad ON ad.id = $3 AND ad.account_id = a.id AND ad.organization_id = a.organization_id \
     LEFT JOIN assignments s ON s.account_id = a.id AND s.organization_id = a.organization_id \
       AND s.unassigned_at IS NULL \
     WHERE a.organization_id = $1 AND a.id = $2"
);

pub(crate) const INSERT_VISIT: &str = "INSERT INTO visits (id, organization_id, agent_id, \
    account_id, address_id, assignment_id, assigned_to_agent, form_version_id, content_sha256, \
    received_at, status, completed_at, started_at, finished_at, checkin_latitude, \
    checkin_longitude, checkin_accuracy_m, checkin_fix_time, checkin_mock, device_time, \
    server_offset_ms, on_device_decision, on_device_reasons, verdict, verdict_reasons, \
    exception, proposed_latitude, proposed_longitude, answers, result_code, person_met, \
    promise_amount_cents, promise_date, promise_channel, completion_events, body) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'waiting_for_attachments', NULL, $11, $12, \
    $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, \
    $31, $32, $33, $34) ON CONFLICT (id) DO NOTHING";
pub(crate) const SELECT_RECEIPT: &str = "SELECT id, organization_id, agent_id, received_at, \
    content_sha256, status, verdict, verdict_reasons, assigned_to_agent FROM visits WHERE id = $1";
pub(crate) const INSERT_VISIT_ATTACHMENT: &str = "INSERT INTO visit_attachments (visit_id, \
    organization_id, sha256, kind, content_type, size_bytes, question) \
    VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (visit_id, sha256) DO NOTHING";
pub(crate) const SELECT_MISSING_ATTACHMENTS: &str = "SELECT va.sha256 FROM visit_attachments va \
    LEFT JOIN attachments f ON f.organization_id = va.organization_id AND f.sha256 = va.sha256 \
    WHERE va.visit_id = $1 AND f.sha256 IS NULL ORDER BY va.sha256";
pub(crate) const SELECT_KEPT_EVENTS: &str = "SELECT completion_events FROM visits \
    WHERE id = $1 AND status = 'waiting_for_attachments'";
/// Completes a waiting visit. The status condition makes exactly one of two racing
/// completions change a row.
pub(crate) const COMPLETE_VISIT: &str = "UPDATE visits SET status = 'complete', \
    completed_at = $2, completion_events = NULL \
    WHERE id = $1 AND status = 'waiting_for_attachments'";
pub(crate) const SELECT_WAITING_VISITS_FOR_FILE: &str = "SELECT DISTINCT va.visit_id \
    FROM visit_attachments va JOIN visits v ON v.id = va.visit_id \
    WHERE va.organization_id = $1 AND va.sha256 = $2 AND v.status = 'waiting_for_attachments'";

pub(crate) const INSERT_ATTACHMENT: &str = "INSERT INTO attachments (organization_id, sha256, \
    content_type, size_bytes, content, created_at) VALUES ($1, $2, $3, $4, $5, $6) \
    ON CONFLICT (organization_id, sha256) DO NOTHING";
pub(crate) const SELECT_ATTACHMENT: &str = "SELECT sha256, content_type, content \
    FROM attachments WHERE organization_id = $1 AND sha256 = $2";

pub(crate) const INSERT_EVENT: &str = "INSERT INTO events (id, organization_id, kind, \
    subject_id, payload, occurred_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)";
pub(crate) const SELECT_EVENTS: &str = "SELECT id, organization_id, kind, subject_id, payload, \
    occurred_at, created_at, dispatched_at FROM events WHERE organization_id = $1 \
    ORDER BY created_at, id";
