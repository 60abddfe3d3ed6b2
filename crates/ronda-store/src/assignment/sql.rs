//! Assignment statements that run unchanged on SQLite and PostgreSQL.

pub(crate) const SELECT_ASSIGNEE: &str =
    "SELECT role, active FROM users WHERE organization_id = $1 AND id = $2";
pub(crate) const SELECT_DAILY_CAPACITY: &str = "SELECT daily_capacity FROM agent_settings \
    WHERE organization_id = $1 AND user_id = $2";
pub(crate) const UPSERT_DAILY_CAPACITY: &str = "INSERT INTO agent_settings \
    (user_id, organization_id, daily_capacity, updated_at) VALUES ($1, $2, $3, $4) \
    ON CONFLICT (user_id) DO UPDATE SET daily_capacity = excluded.daily_capacity, \
    updated_at = excluded.updated_at";
pub(crate) const COUNT_CURRENT_OF_AGENT: &str = "SELECT COUNT(*) FROM assignments \
    WHERE organization_id = $1 AND agent_id = $2 AND unassigned_at IS NULL";

/// An account of the organization with the agent of its current assignment, if any.
pub(crate) const SELECT_ACCOUNT_HOLDER: &str = "SELECT a.id, s.agent_id FROM accounts a \
    LEFT JOIN assignments s ON s.organization_id = a.organization_id AND s.account_id = a.id \
        AND s.unassigned_at IS NULL \
    WHERE a.organization_id = $1 AND a.id = $2";
pub(crate) const CLOSE_CURRENT: &str = "UPDATE assignments SET unassigned_at = $3 \
    WHERE organization_id = $1 AND account_id = $2 AND unassigned_at IS NULL";
pub(crate) const INSERT_ASSIGNMENT: &str = "INSERT INTO assignments \
    (id, organization_id, account_id, agent_id, assigned_by, assigned_at) \
    VALUES ($1, $2, $3, $4, $5, $6)";

pub(crate) const COUNT_ACCOUNT: &str =
    "SELECT COUNT(*) FROM accounts WHERE organization_id = $1 AND id = $2";

/// Assignments with their agent's name. `$2` picks an account and `$3`, when true, only
/// its current assignment.
pub(crate) const SELECT_ASSIGNMENTS: &str = "SELECT s.id, s.account_id, s.agent_id, \
    u.name AS agent_name, s.assigned_by, s.assigned_at, s.unassigned_at \
    FROM assignments s JOIN users u ON u.id = s.agent_id AND u.organization_id = s.organization_id \
    WHERE s.organization_id = $1 AND s.account_id = $2 AND ($3 = FALSE OR s.unassigned_at IS NULL) \
    ORDER BY s.assigned_at DESC, s.id DESC";

/// The 25 repeats `DEFAULT_DAILY_CAPACITY`.
pub(crate) const SELECT_AGENT_LOADS: &str = "SELECT u.id AS agent_id, u.name, u.active, \
    COALESCE(st.daily_capacity, 25) AS daily_capacity, \
    (SELECT COUNT(*) FROM assignments s WHERE s.organization_id = u.organization_id \
        AND s.agent_id = u.id AND s.unassigned_at IS NULL) AS current_assignments \
    FROM users u LEFT JOIN agent_settings st ON st.user_id = u.id \
    WHERE u.organization_id = $1 AND u.role = 'agent' ORDER BY u.name";

pub(crate) const SELECT_IDS_BY_POSTAL_CODE: &str = "SELECT a.id FROM accounts a \
    JOIN addresses ad ON ad.account_id = a.id AND ad.organization_id = a.organization_id \
    WHERE a.organization_id = $1 AND ad.postal_code = $2 AND ($3 IS NULL OR a.portfolio_id = $3) \
    ORDER BY a.lender_account_id";

/// Accounts with a municipality. The caller compares the folded names, because SQLite's
/// `lower()` leaves non-ASCII letters such as "Á" unchanged.
pub(crate) const SELECT_MUNICIPALITIES: &str = "SELECT a.id, ad.municipality FROM accounts a \
    JOIN addresses ad ON ad.account_id = a.id AND ad.organization_id = a.organization_id \
    WHERE a.organization_id = $1 AND ad.municipality IS NOT NULL \
    AND ($2 IS NULL OR a.portfolio_id = $2) ORDER BY a.lender_account_id";

/// The verified point when both its coordinates are present, else the geocoded one.
macro_rules! best_coordinate {
    ($axis:literal) => {
        concat!(
            "(CASE WHEN ad.verified_latitude IS NOT NULL AND ad.verified_longitude IS NOT NULL \
             THEN ad.verified_",
            $axis,
            " ELSE ad.geocoded_",
            $axis,
            " END)"
        )
    };
}

/// Accounts whose point lies in the box from (`$3`, `$4`) to (`$5`, `$6`) as latitude and
/// longitude. The caller then tests the exact zone.
pub(crate) const SELECT_POINTS_IN_BOX: &str = concat!(
    "SELECT a.id, ",
    best_coordinate!("latitude"),
    " AS latitude, ",
    best_coordinate!("longitude"),
    " AS longitude FROM accounts a \
     JOIN addresses ad ON ad.account_id = a.id AND ad.organization_id = a.organization_id \
     WHERE a.organization_id = $1 AND ($2 IS NULL OR a.portfolio_id = $2) AND ",
    best_coordinate!("latitude"),
    " BETWEEN $3 AND $5 AND ",
    best_coordinate!("longitude"),
    " BETWEEN $4 AND $6 ORDER BY a.lender_account_id"
);
