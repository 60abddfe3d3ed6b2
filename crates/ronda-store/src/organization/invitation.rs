//! One-time invitations: an admin creates a user without a known password, and the
//! person sets one through a link that works once, before it expires.

use async_trait::async_trait;
use jiff::Timestamp;
use ronda_domain::{OrganizationId, UserId};

use crate::{AuditEvent, NewUser, StoreResult, User};

/// An invitation to store with its user.
#[derive(Clone, Debug)]
pub struct NewInvitation {
    /// SHA-256 of the token in the link.
    pub token_hash: [u8; 32],
    pub created_by: Option<UserId>,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
}

/// An invitation that can still be accepted, with the name and email it was made for.
#[derive(Clone, Debug, PartialEq)]
pub struct PendingInvitation {
    pub organization_id: OrganizationId,
    pub user_id: UserId,
    pub email: String,
    pub name: String,
    pub expires_at: Timestamp,
}

#[async_trait]
pub trait InvitationStore: Send + Sync {
    /// Creates the invited user and the invitation in one transaction with `audit`.
    /// A taken email fails with the `users_email_key` constraint, as for any user.
    async fn create_invitation(
        &self,
        user: &NewUser,
        invitation: &NewInvitation,
        audit: &AuditEvent,
    ) -> StoreResult<User>;

    /// Finds an invitation that is unused and unexpired at `now`.
    async fn pending_invitation(
        &self,
        token_hash: &[u8; 32],
        now: Timestamp,
    ) -> StoreResult<Option<PendingInvitation>>;

    /// Marks the invitation used and sets its user's password hash, in one transaction
    /// with `audit`. Returns `false` and changes nothing when the invitation was used or
    /// expired at `now`, so two requests with one link cannot both set a password.
    async fn accept_invitation(
        &self,
        token_hash: &[u8; 32],
        password_hash: &str,
        now: Timestamp,
        audit: &AuditEvent,
    ) -> StoreResult<bool>;
}

pub(crate) mod sql {
    pub(crate) const INSERT: &str = "INSERT INTO invitations (token_hash, organization_id, \
        user_id, created_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)";
    pub(crate) const SELECT_PENDING: &str = "SELECT i.organization_id, i.user_id, u.email, \
        u.name, i.expires_at FROM invitations i JOIN users u ON u.id = i.user_id \
        WHERE i.token_hash = $1 AND i.used_at IS NULL AND i.expires_at > $2 AND u.active";
    pub(crate) const MARK_USED: &str = "UPDATE invitations SET used_at = $2 \
        WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING user_id";
    pub(crate) const SET_PASSWORD: &str = "UPDATE users SET password_hash = $2 WHERE id = $1";
}

pub(crate) mod rows {
    use uuid::Uuid;

    use super::PendingInvitation;
    use crate::StoreError;
    use crate::rows::timestamp;

    #[derive(sqlx::FromRow)]
    pub(crate) struct PendingRow {
        organization_id: Uuid,
        user_id: Uuid,
        email: String,
        name: String,
        expires_at: i64,
    }

    impl TryFrom<PendingRow> for PendingInvitation {
        type Error = StoreError;

        fn try_from(row: PendingRow) -> Result<Self, StoreError> {
            Ok(PendingInvitation {
                organization_id: ronda_domain::OrganizationId(row.organization_id),
                user_id: ronda_domain::UserId(row.user_id),
                email: row.email,
                name: row.name,
                expires_at: timestamp("invitations", "expires_at", row.expires_at)?,
            })
        }
    }
}

macro_rules! impl_invitation_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::organization::invitation::InvitationStore for $store {
            async fn create_invitation(
                &self,
                user: &$crate::NewUser,
                invitation: &$crate::organization::invitation::NewInvitation,
                audit: &$crate::AuditEvent,
            ) -> $crate::StoreResult<$crate::User> {
                use $crate::organization::invitation::sql;
                let mut tx = self.pool.begin_with(Self::BEGIN_WRITE).await?;
                sqlx::query($crate::sql::INSERT_USER)
                    .bind(user.id.0)
                    .bind(user.organization_id.0)
                    .bind(user.email.as_str())
                    .bind(user.name.as_str())
                    .bind(user.role.as_str())
                    .bind(&user.password_hash)
                    .bind(user.created_at.as_millisecond())
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(sql::INSERT)
                    .bind(&invitation.token_hash[..])
                    .bind(user.organization_id.0)
                    .bind(user.id.0)
                    .bind(invitation.created_by.map(|id| id.0))
                    .bind(invitation.created_at.as_millisecond())
                    .bind(invitation.expires_at.as_millisecond())
                    .execute(&mut *tx)
                    .await?;
                insert_audit(&mut tx, audit).await?;
                let row: $crate::rows::UserRow = sqlx::query_as($crate::sql::SELECT_USER)
                    .bind(user.organization_id.0)
                    .bind(user.id.0)
                    .fetch_one(&mut *tx)
                    .await?;
                tx.commit().await?;
                row.try_into()
            }

            async fn pending_invitation(
                &self,
                token_hash: &[u8; 32],
                now: jiff::Timestamp,
            ) -> $crate::StoreResult<Option<$crate::organization::invitation::PendingInvitation>>
            {
                let row: Option<$crate::organization::invitation::rows::PendingRow> =
                    sqlx::query_as($crate::organization::invitation::sql::SELECT_PENDING)
                        .bind(&token_hash[..])
                        .bind(now.as_millisecond())
                        .fetch_optional(&self.pool)
                        .await?;
                row.map(TryInto::try_into).transpose()
            }

            async fn accept_invitation(
                &self,
                token_hash: &[u8; 32],
                password_hash: &str,
                now: jiff::Timestamp,
                audit: &$crate::AuditEvent,
            ) -> $crate::StoreResult<bool> {
                use $crate::organization::invitation::sql;
                let mut tx = self.pool.begin_with(Self::BEGIN_WRITE).await?;
                let user: Option<uuid::Uuid> = sqlx::query_scalar(sql::MARK_USED)
                    .bind(&token_hash[..])
                    .bind(now.as_millisecond())
                    .fetch_optional(&mut *tx)
                    .await?;
                let Some(user) = user else {
                    return Ok(false);
                };
                sqlx::query(sql::SET_PASSWORD)
                    .bind(user)
                    .bind(password_hash)
                    .execute(&mut *tx)
                    .await?;
                insert_audit(&mut tx, audit).await?;
                tx.commit().await?;
                Ok(true)
            }
        }
    };
}

pub(crate) use impl_invitation_store;
