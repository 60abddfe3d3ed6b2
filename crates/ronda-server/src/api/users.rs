//! Users of the caller's organization. Admins create, deactivate and reactivate them;
//! supervisors and viewers read them.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use jiff::Timestamp;
use ronda_domain::{Email, NewPassword, Permission, PersonName, Role, UserId};
use ronda_store::NewUser;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::views::UserView;
use crate::api::{ApiJson, parse_id};
use crate::auth::{Principal, password};
use crate::error::{ApiError, ErrorBody, ErrorCode, InputProblem};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/users", get(list_users).post(create_user))
        .route("/api/users/{id}", get(get_user))
        .route("/api/users/{id}/deactivate", post(deactivate_user))
        .route("/api/users/{id}/reactivate", post(reactivate_user))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserList {
    pub users: Vec<UserView>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateUserRequest {
    pub email: String,
    pub name: String,
    /// One of admin, supervisor, agent, viewer.
    pub role: String,
    /// At least 10 characters.
    pub password: String,
}

pub(crate) fn parse_role(value: &str) -> Result<Role, ApiError> {
    value.parse().map_err(|_| {
        ApiError::invalid(
            "role",
            InputProblem::NotOneOf("admin, supervisor, agent, viewer"),
        )
    })
}

/// Lists the organization's users.
#[utoipa::path(get, path = "/api/users", tag = "users",
    responses((status = 200, body = UserList), (status = 403, body = ErrorBody)))]
pub async fn list_users(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<UserList>, ApiError> {
    principal.require(Permission::ReadOrganization)?;
    let users = state.store().users(principal.organization_id).await?;
    Ok(Json(UserList {
        users: users.into_iter().map(UserView::from).collect(),
    }))
}

/// Creates a user in the caller's organization.
#[utoipa::path(post, path = "/api/users", tag = "users", request_body = CreateUserRequest,
    responses((status = 201, body = UserView), (status = 409, body = ErrorBody, description = "email_taken"),
        (status = 422, body = ErrorBody)))]
pub async fn create_user(
    State(state): State<AppState>,
    principal: Principal,
    ApiJson(request): ApiJson<CreateUserRequest>,
) -> Result<(StatusCode, Json<UserView>), ApiError> {
    principal.require(Permission::ManageUsers)?;
    let email = Email::parse("email", &request.email)?;
    let name = PersonName::parse("name", &request.name)?;
    let role = parse_role(&request.role)?;
    let password = NewPassword::parse("password", &request.password)?;

    let password_hash = password::hash_password(password.expose().to_owned())
        .await
        .map_err(ApiError::internal)?;
    let user = NewUser {
        id: UserId::new(),
        organization_id: principal.organization_id,
        email,
        name,
        role,
        password_hash,
        created_at: Timestamp::now(),
    };
    let details = serde_json::json!({ "email": user.email, "role": role });
    let audit = principal.audit("user.created", "user", Some(user.id.to_string()), details);
    let created = state.store().create_user(&user, &audit).await?;
    tracing::info!(created_user.id = %created.id, role = %role, "user created");
    Ok((StatusCode::CREATED, Json(created.into())))
}

/// Returns one user of the organization. Agents may read only themselves.
#[utoipa::path(get, path = "/api/users/{id}", tag = "users",
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = UserView), (status = 404, body = ErrorBody)))]
pub async fn get_user(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
) -> Result<Json<UserView>, ApiError> {
    let id = UserId(parse_id("id", &id)?);
    if principal.user_id != Some(id) {
        principal.require(Permission::ReadOrganization)?;
    }
    let user = state
        .store()
        .user(principal.organization_id, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(user.into()))
}

/// Deactivates a user: their sessions end at once and they can no longer log in. Their
/// history stays.
#[utoipa::path(post, path = "/api/users/{id}/deactivate", tag = "users",
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = UserView), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "cannot_deactivate_self")))]
pub async fn deactivate_user(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
) -> Result<Json<UserView>, ApiError> {
    set_active(state, principal, id, false).await
}

/// Reactivates a deactivated user.
#[utoipa::path(post, path = "/api/users/{id}/reactivate", tag = "users",
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = UserView), (status = 404, body = ErrorBody)))]
pub async fn reactivate_user(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
) -> Result<Json<UserView>, ApiError> {
    set_active(state, principal, id, true).await
}

async fn set_active(
    state: AppState,
    principal: Principal,
    id: String,
    active: bool,
) -> Result<Json<UserView>, ApiError> {
    principal.require(Permission::ManageUsers)?;
    let id = UserId(parse_id("id", &id)?);
    if !active && principal.user_id == Some(id) {
        return Err(ApiError::conflict(ErrorCode::CannotDeactivateSelf, "id"));
    }
    let action = if active {
        "user.reactivated"
    } else {
        "user.deactivated"
    };
    let audit = principal.audit(action, "user", Some(id.to_string()), serde_json::json!({}));
    let user = state
        .store()
        .set_user_active(principal.organization_id, id, active, &audit)
        .await?
        .ok_or_else(ApiError::not_found)?;
    // A deactivated agent's phones stop reporting at once.
    state.ingest_cache().devices_changed();
    Ok(Json(user.into()))
}
