//! Records that the store reads and writes.

use jiff::Timestamp;
use ronda_domain::{Email, OrganizationId, PersonName, Role, UserId};
use serde::Serialize;
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Organization {
    pub id: OrganizationId,
    pub name: String,
    pub created_at: Timestamp,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct User {
    pub id: UserId,
    pub organization_id: OrganizationId,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub active: bool,
    pub created_at: Timestamp,
    pub deactivated_at: Option<Timestamp>,
}

/// A user to create. `password_hash` is a PHC string (argon2id), never a plain password.
#[derive(Clone, Debug)]
pub struct NewUser {
    pub id: UserId,
    pub organization_id: OrganizationId,
    pub email: Email,
    pub name: PersonName,
    pub role: Role,
    pub password_hash: String,
    pub created_at: Timestamp,
}

/// Account data for login, found by email across organizations.
#[derive(Clone, Debug)]
pub struct LoginCandidate {
    pub user: User,
    pub password_hash: String,
}

/// A browser session to store. `token_hash` is the SHA-256 of the cookie value.
#[derive(Clone, Debug)]
pub struct NewSession {
    pub token_hash: [u8; 32],
    pub organization_id: OrganizationId,
    pub user_id: UserId,
    pub csrf_token: String,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
}

/// A live session together with its active user.
#[derive(Clone, Debug)]
pub struct SessionRecord {
    pub user: User,
    pub csrf_token: String,
    pub expires_at: Timestamp,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ApiToken {
    pub id: Uuid,
    pub organization_id: OrganizationId,
    pub name: String,
    pub role: Role,
    pub created_by: Option<UserId>,
    pub created_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
}

/// An API token to store. `token_hash` is the SHA-256 of the secret shown once to the admin.
#[derive(Clone, Debug)]
pub struct NewApiToken {
    pub id: Uuid,
    pub organization_id: OrganizationId,
    pub name: String,
    pub role: Role,
    pub token_hash: [u8; 32],
    pub created_by: Option<UserId>,
    pub created_at: Timestamp,
}

/// Performer of an audited change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Actor {
    User(UserId),
    ApiToken(Uuid),
    /// The command line or the server itself, such as the first admin created at start.
    System,
}

impl Actor {
    pub(crate) fn kind(self) -> &'static str {
        match self {
            Actor::User(_) => "user",
            Actor::ApiToken(_) => "api_token",
            Actor::System => "system",
        }
    }

    pub(crate) fn id(self) -> Option<Uuid> {
        match self {
            Actor::User(id) => Some(id.0),
            Actor::ApiToken(id) => Some(id),
            Actor::System => None,
        }
    }

    pub(crate) fn from_parts(kind: &str, id: Option<Uuid>) -> Option<Self> {
        match (kind, id) {
            ("user", Some(id)) => Some(Actor::User(UserId(id))),
            ("api_token", Some(id)) => Some(Actor::ApiToken(id)),
            ("system", _) => Some(Actor::System),
            _ => None,
        }
    }
}

/// An audit log entry to append. `action` is a dotted name such as `user.created`.
#[derive(Clone, Debug)]
pub struct AuditEvent {
    pub organization_id: OrganizationId,
    pub actor: Actor,
    pub action: &'static str,
    pub target_kind: &'static str,
    pub target_id: Option<String>,
    pub details: serde_json::Value,
    pub at: Timestamp,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub organization_id: OrganizationId,
    pub actor: Actor,
    pub action: String,
    pub target_kind: String,
    pub target_id: Option<String>,
    pub details: serde_json::Value,
    pub created_at: Timestamp,
}
