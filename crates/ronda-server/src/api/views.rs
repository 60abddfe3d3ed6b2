//! The JSON shapes that the API returns.

use jiff::Timestamp;
use ronda_store::{ApiToken, AuditEntry, Organization, User};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Serialize, ToSchema)]
pub struct UserView {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    /// One of admin, supervisor, agent, viewer.
    #[schema(example = "supervisor")]
    pub role: String,
    pub active: bool,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub deactivated_at: Option<Timestamp>,
}

impl From<User> for UserView {
    fn from(user: User) -> Self {
        Self {
            id: user.id.0,
            email: user.email,
            name: user.name,
            role: user.role.to_string(),
            active: user.active,
            created_at: user.created_at,
            deactivated_at: user.deactivated_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrganizationView {
    pub id: Uuid,
    pub name: String,
}

impl From<Organization> for OrganizationView {
    fn from(org: Organization) -> Self {
        Self {
            id: org.id.0,
            name: org.name,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiTokenView {
    pub id: Uuid,
    pub name: String,
    #[schema(example = "viewer")]
    pub role: String,
    pub created_by: Option<Uuid>,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub revoked_at: Option<Timestamp>,
}

impl From<ApiToken> for ApiTokenView {
    fn from(token: ApiToken) -> Self {
        Self {
            id: token.id,
            name: token.name,
            role: token.role.to_string(),
            created_by: token.created_by.map(|id| id.0),
            created_at: token.created_at,
            revoked_at: token.revoked_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntryView {
    pub id: i64,
    /// `user`, `api_token` or `system`.
    pub actor_kind: String,
    pub actor_id: Option<Uuid>,
    /// Dotted action name, such as `user.created`.
    pub action: String,
    pub target_kind: String,
    pub target_id: Option<String>,
    pub details: serde_json::Value,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
}

impl From<AuditEntry> for AuditEntryView {
    fn from(entry: AuditEntry) -> Self {
        let (actor_kind, actor_id) = match entry.actor {
            ronda_store::Actor::User(id) => ("user", Some(id.0)),
            ronda_store::Actor::ApiToken(id) => ("api_token", Some(id)),
            ronda_store::Actor::System => ("system", None),
        };
        Self {
            id: entry.id,
            actor_kind: actor_kind.into(),
            actor_id,
            action: entry.action,
            target_kind: entry.target_kind,
            target_id: entry.target_id,
            details: entry.details,
            created_at: entry.created_at,
        }
    }
}
