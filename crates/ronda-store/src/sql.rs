//! SQL text that both backends run unchanged. Both accept `$N` placeholders, store ids
//! as UUIDs and times as integer milliseconds, so most statements need one version only.
//! A statement that must differ lives in its backend's module instead.

macro_rules! user_select {
    ($tail:literal) => {
        concat!(
            "SELECT id, organization_id, email, name, role, active, created_at, deactivated_at ",
            $tail
        )
    };
}

pub(crate) const INSERT_ORGANIZATION: &str =
    "INSERT INTO organizations (id, name, created_at) VALUES ($1, $2, $3)";
pub(crate) const SELECT_ORGANIZATION: &str =
    "SELECT id, name, created_at FROM organizations WHERE id = $1";
pub(crate) const SELECT_ORGANIZATION_BY_NAME: &str =
    "SELECT id, name, created_at FROM organizations WHERE name = $1";
pub(crate) const COUNT_ORGANIZATIONS: &str = "SELECT COUNT(*) FROM organizations";

pub(crate) const INSERT_USER: &str = "INSERT INTO users \
    (id, organization_id, email, name, role, password_hash, active, created_at) \
    VALUES ($1, $2, $3, $4, $5, $6, TRUE, $7)";
pub(crate) const SELECT_USER: &str =
    user_select!("FROM users WHERE organization_id = $1 AND id = $2");
pub(crate) const SELECT_USERS: &str =
    user_select!("FROM users WHERE organization_id = $1 ORDER BY name, email");
pub(crate) const SELECT_LOGIN_CANDIDATE: &str =
    user_select!(", password_hash FROM users WHERE email = $1");
pub(crate) const UPDATE_USER_ACTIVE: &str = "UPDATE users \
    SET active = $3, deactivated_at = CASE WHEN $3 THEN NULL ELSE CAST($4 AS BIGINT) END \
    WHERE organization_id = $1 AND id = $2";
pub(crate) const DELETE_USER_SESSIONS: &str =
    "DELETE FROM sessions WHERE organization_id = $1 AND user_id = $2";

pub(crate) const INSERT_SESSION: &str = "INSERT INTO sessions \
    (token_hash, organization_id, user_id, csrf_token, created_at, expires_at) \
    VALUES ($1, $2, $3, $4, $5, $6)";
pub(crate) const SELECT_SESSION: &str = "SELECT u.id, u.organization_id, u.email, u.name, \
    u.role, u.active, u.created_at, u.deactivated_at, s.csrf_token, \
    s.expires_at AS session_expires_at \
    FROM sessions s JOIN users u ON u.id = s.user_id AND u.organization_id = s.organization_id \
    WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active";
pub(crate) const DELETE_SESSION: &str = "DELETE FROM sessions WHERE token_hash = $1";
pub(crate) const DELETE_EXPIRED_SESSIONS: &str = "DELETE FROM sessions WHERE expires_at <= $1";

macro_rules! api_token_select {
    ($tail:literal) => {
        concat!(
            "SELECT id, organization_id, name, role, created_by, created_at, revoked_at ",
            $tail
        )
    };
}

pub(crate) const INSERT_API_TOKEN: &str = "INSERT INTO api_tokens \
    (id, organization_id, name, role, token_hash, created_by, created_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7)";
pub(crate) const SELECT_API_TOKENS: &str =
    api_token_select!("FROM api_tokens WHERE organization_id = $1 ORDER BY created_at DESC, id");
pub(crate) const SELECT_API_TOKEN: &str =
    api_token_select!("FROM api_tokens WHERE organization_id = $1 AND id = $2");
pub(crate) const SELECT_ACTIVE_API_TOKEN: &str =
    api_token_select!("FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL");
pub(crate) const REVOKE_API_TOKEN: &str = "UPDATE api_tokens \
    SET revoked_at = COALESCE(revoked_at, $3) WHERE organization_id = $1 AND id = $2";

macro_rules! audit_select {
    ($tail:literal) => {
        concat!(
            "SELECT id, organization_id, actor_kind, actor_id, action, target_kind, target_id, ",
            "details, created_at ",
            $tail
        )
    };
}

pub(crate) const INSERT_AUDIT: &str = "INSERT INTO audit_log \
    (organization_id, actor_kind, actor_id, action, target_kind, target_id, details, created_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
pub(crate) const SELECT_AUDIT_PAGE: &str = audit_select!(
    "FROM audit_log WHERE organization_id = $1 AND (CAST($2 AS BIGINT) IS NULL OR id < $2) ORDER BY id DESC LIMIT $3"
);
pub(crate) const SELECT_AUDIT_ENTRY: &str =
    audit_select!("FROM audit_log WHERE organization_id = $1 AND id = $2");
