//! API tokens for integrations. Admins create and revoke them; the secret is shown once.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use jiff::Timestamp;
use ronda_domain::{Permission, PersonName};
use ronda_store::NewApiToken;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::api::users::parse_role;
use crate::api::views::ApiTokenView;
use crate::api::{ApiJson, parse_id};
use crate::auth::{Principal, secret};
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/tokens", get(list_tokens).post(create_token))
        .route("/api/tokens/{id}", get(get_token).delete(revoke_token))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiTokenList {
    pub tokens: Vec<ApiTokenView>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateApiTokenRequest {
    /// Purpose of the token, such as "ERP del otorgante".
    pub name: String,
    /// The role the token acts with: admin, supervisor, agent or viewer.
    pub role: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedApiToken {
    pub token: ApiTokenView,
    /// Send as `Authorization: Bearer <secret>`. Shown only in this response.
    pub secret: String,
}

/// Lists the organization's API tokens, revoked ones included.
#[utoipa::path(get, path = "/api/tokens", tag = "tokens",
    responses((status = 200, body = ApiTokenList), (status = 403, body = ErrorBody)))]
pub async fn list_tokens(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<ApiTokenList>, ApiError> {
    principal.require(Permission::ManageApiTokens)?;
    let tokens = state.store().api_tokens(principal.organization_id).await?;
    Ok(Json(ApiTokenList {
        tokens: tokens.into_iter().map(ApiTokenView::from).collect(),
    }))
}

/// Creates an API token and returns its secret once.
#[utoipa::path(post, path = "/api/tokens", tag = "tokens", request_body = CreateApiTokenRequest,
    responses((status = 201, body = CreatedApiToken), (status = 422, body = ErrorBody)))]
pub async fn create_token(
    State(state): State<AppState>,
    principal: Principal,
    ApiJson(request): ApiJson<CreateApiTokenRequest>,
) -> Result<(StatusCode, Json<CreatedApiToken>), ApiError> {
    principal.require(Permission::ManageApiTokens)?;
    let name = PersonName::parse("name", &request.name)?;
    let role = parse_role(&request.role)?;
    let secret = secret::new_api_token_secret();
    let token = NewApiToken {
        id: Uuid::now_v7(),
        organization_id: principal.organization_id,
        name: name.as_str().to_owned(),
        role,
        token_hash: secret::sha256(&secret),
        created_by: principal.user_id,
        created_at: Timestamp::now(),
    };
    let details = serde_json::json!({ "name": token.name, "role": role });
    let audit = principal.audit(
        "api_token.created",
        "api_token",
        Some(token.id.to_string()),
        details,
    );
    let created = state.store().create_api_token(&token, &audit).await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedApiToken {
            token: created.into(),
            secret,
        }),
    ))
}

/// Returns one API token of the organization.
#[utoipa::path(get, path = "/api/tokens/{id}", tag = "tokens", params(("id" = Uuid, Path)),
    responses((status = 200, body = ApiTokenView), (status = 404, body = ErrorBody)))]
pub async fn get_token(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
) -> Result<Json<ApiTokenView>, ApiError> {
    principal.require(Permission::ManageApiTokens)?;
    let id = parse_id("id", &id)?;
    let token = state
        .store()
        .api_token(principal.organization_id, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(token.into()))
}

/// Revokes an API token; requests with it fail from then on.
#[utoipa::path(delete, path = "/api/tokens/{id}", tag = "tokens", params(("id" = Uuid, Path)),
    responses((status = 200, body = ApiTokenView), (status = 404, body = ErrorBody)))]
pub async fn revoke_token(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
) -> Result<Json<ApiTokenView>, ApiError> {
    principal.require(Permission::ManageApiTokens)?;
    let id = parse_id("id", &id)?;
    let audit = principal.audit(
        "api_token.revoked",
        "api_token",
        Some(id.to_string()),
        serde_json::json!({}),
    );
    let token = state
        .store()
        .revoke_api_token(principal.organization_id, id, &audit)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(token.into()))
}
