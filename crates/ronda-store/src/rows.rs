//! Row types shared by both backends, and their conversion into records. Both backends
//! select the same column names so one `FromRow` derive serves them.

use jiff::Timestamp;
use ronda_domain::{OrganizationId, Role, UserId};
use sqlx::FromRow;
use uuid::Uuid;

use crate::{
    Actor, ApiToken, AuditEntry, LoginCandidate, Organization, SessionRecord, StoreError,
    StoreResult, User,
};

pub(crate) fn timestamp(
    table: &'static str,
    column: &'static str,
    ms: i64,
) -> StoreResult<Timestamp> {
    Timestamp::from_millisecond(ms).map_err(|_| StoreError::CorruptRow {
        table,
        column,
        value: ms.to_string(),
    })
}

fn role(table: &'static str, value: &str) -> StoreResult<Role> {
    value.parse().map_err(|_| StoreError::CorruptRow {
        table,
        column: "role",
        value: value.to_owned(),
    })
}

#[derive(FromRow)]
pub(crate) struct OrganizationRow {
    id: Uuid,
    name: String,
    created_at: i64,
}

impl TryFrom<OrganizationRow> for Organization {
    type Error = StoreError;

    fn try_from(row: OrganizationRow) -> StoreResult<Self> {
        Ok(Organization {
            id: OrganizationId(row.id),
            name: row.name,
            created_at: timestamp("organizations", "created_at", row.created_at)?,
        })
    }
}

#[derive(FromRow)]
pub(crate) struct UserRow {
    id: Uuid,
    organization_id: Uuid,
    email: String,
    name: String,
    role: String,
    active: bool,
    created_at: i64,
    deactivated_at: Option<i64>,
}

impl TryFrom<UserRow> for User {
    type Error = StoreError;

    fn try_from(row: UserRow) -> StoreResult<Self> {
        Ok(User {
            id: UserId(row.id),
            organization_id: OrganizationId(row.organization_id),
            email: row.email,
            name: row.name,
            role: role("users", &row.role)?,
            active: row.active,
            created_at: timestamp("users", "created_at", row.created_at)?,
            deactivated_at: row
                .deactivated_at
                .map(|ms| timestamp("users", "deactivated_at", ms))
                .transpose()?,
        })
    }
}

#[derive(FromRow)]
pub(crate) struct LoginCandidateRow {
    #[sqlx(flatten)]
    user: UserRow,
    password_hash: String,
}

impl TryFrom<LoginCandidateRow> for LoginCandidate {
    type Error = StoreError;

    fn try_from(row: LoginCandidateRow) -> StoreResult<Self> {
        Ok(LoginCandidate {
            user: row.user.try_into()?,
            password_hash: row.password_hash,
        })
    }
}

#[derive(FromRow)]
pub(crate) struct SessionRow {
    #[sqlx(flatten)]
    user: UserRow,
    csrf_token: String,
    session_expires_at: i64,
}

impl TryFrom<SessionRow> for SessionRecord {
    type Error = StoreError;

    fn try_from(row: SessionRow) -> StoreResult<Self> {
        Ok(SessionRecord {
            user: row.user.try_into()?,
            csrf_token: row.csrf_token,
            expires_at: timestamp("sessions", "expires_at", row.session_expires_at)?,
        })
    }
}

#[derive(FromRow)]
pub(crate) struct ApiTokenRow {
    id: Uuid,
    organization_id: Uuid,
    name: String,
    role: String,
    created_by: Option<Uuid>,
    created_at: i64,
    revoked_at: Option<i64>,
}

impl TryFrom<ApiTokenRow> for ApiToken {
    type Error = StoreError;

    fn try_from(row: ApiTokenRow) -> StoreResult<Self> {
        Ok(ApiToken {
            id: row.id,
            organization_id: OrganizationId(row.organization_id),
            name: row.name,
            role: role("api_tokens", &row.role)?,
            created_by: row.created_by.map(UserId),
            created_at: timestamp("api_tokens", "created_at", row.created_at)?,
            revoked_at: row
                .revoked_at
                .map(|ms| timestamp("api_tokens", "revoked_at", ms))
                .transpose()?,
        })
    }
}

#[derive(FromRow)]
pub(crate) struct AuditRow {
    id: i64,
    organization_id: Uuid,
    actor_kind: String,
    actor_id: Option<Uuid>,
    action: String,
    target_kind: String,
    target_id: Option<String>,
    details: sqlx::types::Json<serde_json::Value>,
    created_at: i64,
}

impl TryFrom<AuditRow> for AuditEntry {
    type Error = StoreError;

    fn try_from(row: AuditRow) -> StoreResult<Self> {
        let actor = Actor::from_parts(&row.actor_kind, row.actor_id).ok_or_else(|| {
            StoreError::CorruptRow {
                table: "audit_log",
                column: "actor_kind",
                value: row.actor_kind.clone(),
            }
        })?;
        Ok(AuditEntry {
            id: row.id,
            organization_id: OrganizationId(row.organization_id),
            actor,
            action: row.action,
            target_kind: row.target_kind,
            target_id: row.target_id,
            details: row.details.0,
            created_at: timestamp("audit_log", "created_at", row.created_at)?,
        })
    }
}

/// Converts rows into records, failing on the first corrupt row.
pub(crate) fn convert_all<R, T>(rows: Vec<R>) -> StoreResult<Vec<T>>
where
    T: TryFrom<R, Error = StoreError>,
{
    rows.into_iter().map(T::try_from).collect()
}
