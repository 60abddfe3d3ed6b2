//! Statements of the visit review that run unchanged on SQLite and PostgreSQL.

macro_rules! summary_columns {
    () => {
        "v.id, v.agent_id, u.name AS agent_name, v.account_id, a.lender_account_id, a.lender_id, \
         l.name AS lender_name, a.portfolio_id, p.name AS portfolio_name, \
         (SELECT d.name FROM persons d WHERE d.account_id = a.id \
          AND d.organization_id = a.organization_id AND d.role = 'debtor' \
          ORDER BY d.name LIMIT 1) AS debtor_name, \
         ad.original_text AS address_text, v.started_at, v.finished_at, v.received_at, v.status, \
         v.result_code, rc.label_es AS result_label_es, rc.label_en AS result_label_en, \
         v.verdict, v.exception, v.proposed_latitude, v.proposed_longitude, \
         pd.decision AS pin_decision, pd.note AS pin_note, pd.actor_kind AS pin_actor_kind, \
         pd.actor_id AS pin_actor_id, pd.decided_at AS pin_decided_at, v.assigned_to_agent"
    };
}

macro_rules! summary_joins {
    () => {
        " FROM visits v \
         JOIN users u ON u.id = v.agent_id AND u.organization_id = v.organization_id \
         JOIN accounts a ON a.id = v.account_id AND a.organization_id = v.organization_id \
         JOIN lenders l ON l.id = a.lender_id AND l.organization_id = a.organization_id \
         JOIN portfolios p ON p.id = a.portfolio_id AND p.organization_id = a.organization_id \
         JOIN addresses ad ON ad.id = v.address_id AND ad.organization_id = v.organization_id \
         LEFT JOIN result_codes rc ON rc.organization_id = v.organization_id \
           AND rc.code = v.result_code \
         LEFT JOIN visit_pin_decisions pd ON pd.visit_id = v.id \
           AND pd.organization_id = v.organization_id "
    };
}

/// `$2`/`$3` bound the finish time, `$4`..`$8` are the filters, `$9`/`$10` the keyset
/// cursor and `$11` the page size.
pub(crate) const SELECT_VISITS: &str = concat!(
    "SELECT ",
    summary_columns!(),
    summary_joins!(),
    "WHERE v.organization_id = $1 \
     AND (CAST($2 AS BIGINT) IS NULL OR v.finished_at >= $2) \
     AND (CAST($3 AS BIGINT) IS NULL OR v.finished_at < $3) \
     AND ($4 IS NULL OR v.agent_id = $4) \
     AND ($5 IS NULL OR a.lender_id = $5) \
     AND ($6 IS NULL OR a.portfolio_id = $6) \
     AND (CAST($7 AS TEXT) IS NULL OR v.result_code = $7) \
     AND (CAST($8 AS TEXT) IS NULL OR v.verdict = $8) \
     AND (CAST($9 AS BIGINT) IS NULL OR v.finished_at < $9 \
          OR (v.finished_at = $9 AND v.id < $10)) \
     ORDER BY v.finished_at DESC, v.id DESC LIMIT $11"
);

pub(crate) const SELECT_VISIT_RECORD: &str = concat!(
    "SELECT ",
    summary_columns!(),
    ", v.completed_at, a.product, a.overdue_cents, a.days_past_due, ",
    "ad.id AS address_id, ad.street, ad.exterior_number, ad.interior_number, ad.colonia, \
     ad.postal_code, ad.locality, ad.municipality, ad.state, ad.between_streets, \
     ad.landmarks, ad.original_text, ad.time_zone, ad.geocoded_latitude, \
     ad.geocoded_longitude, ad.geocode_source, ad.geocode_confidence, \
     ad.verified_latitude, ad.verified_longitude, ",
    "v.form_version_id, v.answers, v.person_met, v.promise_amount_cents, v.promise_date, \
     v.promise_channel, v.checkin_latitude, v.checkin_longitude, v.checkin_accuracy_m, \
     v.checkin_fix_time, v.checkin_mock, v.device_time, v.server_offset_ms, \
     v.on_device_decision, v.on_device_reasons, v.verdict_reasons",
    summary_joins!(),
    "WHERE v.organization_id = $1 AND v.id = $2"
);

pub(crate) const SELECT_VISIT_ATTACHMENTS: &str = "SELECT va.sha256, va.kind, va.content_type, \
    va.size_bytes, va.question, f.sha256 IS NOT NULL AS received FROM visit_attachments va \
    LEFT JOIN attachments f ON f.organization_id = va.organization_id AND f.sha256 = va.sha256 \
    WHERE va.organization_id = $1 AND va.visit_id = $2 ORDER BY va.question, va.sha256";

pub(crate) const SELECT_VISIT_ATTACHMENT: &str = "SELECT f.sha256, f.content_type, f.content \
    FROM visit_attachments va \
    JOIN attachments f ON f.organization_id = va.organization_id AND f.sha256 = va.sha256 \
    WHERE va.organization_id = $1 AND va.visit_id = $2 AND va.sha256 = $3";

pub(crate) const SELECT_VISIT_EVENTS: &str = "SELECT id, organization_id, kind, subject_id, \
    payload, occurred_at, created_at, dispatched_at FROM events \
    WHERE organization_id = $1 AND subject_id = $2 ORDER BY created_at, id";

pub(crate) const SELECT_VISIT_AUDIT: &str = "SELECT id, organization_id, actor_kind, actor_id, \
    action, target_kind, target_id, details, created_at FROM audit_log \
    WHERE organization_id = $1 AND target_kind = 'visit' AND target_id = $2 ORDER BY id";

pub(crate) const SELECT_PIN_PROPOSAL: &str = "SELECT address_id, exception, proposed_latitude, \
    proposed_longitude FROM visits WHERE organization_id = $1 AND id = $2";

pub(crate) const INSERT_PIN_DECISION: &str = "INSERT INTO visit_pin_decisions (visit_id, \
    organization_id, decision, note, actor_kind, actor_id, decided_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (visit_id) DO NOTHING";

pub(crate) const SELECT_PIN_DECISION: &str = "SELECT decision AS pin_decision, note AS pin_note, \
    actor_kind AS pin_actor_kind, actor_id AS pin_actor_id, decided_at AS pin_decided_at \
    FROM visit_pin_decisions WHERE organization_id = $1 AND visit_id = $2";

/// Makes the approved point the address's verified point, proposed by the agent on site;
/// the address no longer needs one.
pub(crate) const VERIFY_ADDRESS_POINT: &str = "UPDATE addresses SET verified_latitude = $3, \
    verified_longitude = $4, verified_source = 'agent', needs_pin = $5 \
    WHERE organization_id = $1 AND id = $2";
