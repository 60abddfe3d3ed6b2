//! Login, logout and the current session.

use std::time::Instant;

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use jiff::{SignedDuration, Timestamp};
use ronda_domain::Email;
use ronda_store::{Actor, AuditEvent, LoginCandidate, NewSession, User};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::ApiJson;
use crate::api::views::{OrganizationView, UserView};
use crate::auth::{self, Credential, PeerAddr, Principal, password, secret};
use crate::error::{ApiError, ErrorBody, ErrorCode};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/auth/login", post(login))
        .route("/api/auth/logout", post(logout))
        .route("/api/session", get(current_session))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

/// The logged-in user, their organization, and the token to send as `X-CSRF-Token` on
/// every request that changes something.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionView {
    pub user: UserView,
    pub organization: OrganizationView,
    pub csrf_token: String,
}

/// Logs in with email and password and sets the session cookie. Every failure returns the
/// same error, so the response does not reveal whether the account exists.
#[utoipa::path(post, path = "/api/auth/login", tag = "auth", request_body = LoginRequest,
    responses(
        (status = 200, body = SessionView, description = "Logged in; the session cookie is set"),
        (status = 401, body = ErrorBody, description = "invalid_credentials"),
        (status = 429, body = ErrorBody, description = "rate_limited, with Retry-After"),
    ))]
pub async fn login(
    State(state): State<AppState>,
    peer: PeerAddr,
    headers: HeaderMap,
    ApiJson(request): ApiJson<LoginRequest>,
) -> Result<Response, ApiError> {
    let ip = auth::client_ip(&headers, peer, state.settings().trust_forwarded_for);
    let limiter = state.login_limiter();
    if let Some(wait) = limiter.check(&request.email, &ip, Instant::now()) {
        tracing::warn!(client.ip = %ip, "login rate limited");
        return Err(ApiError::RateLimited {
            retry_after_secs: wait.as_secs().max(1),
            problem: None,
        });
    }

    let Some(user) = check_credentials(&state, &request).await? else {
        limiter.record_failure(&request.email, &ip, Instant::now());
        tracing::info!(client.ip = %ip, "login failed");
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::InvalidCredentials,
        ));
    };
    limiter.record_success(&request.email);

    let (cookie_value, session) = new_session(&state, &user);
    state.store().create_session(&session).await?;
    state.store().append_audit(&login_audit(&user, &ip)).await?;
    tracing::info!(user.id = %user.id, org.id = %user.organization_id, "login succeeded");

    let view = session_view(&state, user, session.csrf_token).await?;
    let cookie = auth::session_cookie(
        &cookie_value,
        state.settings().session_ttl.as_secs(),
        state.settings().secure_cookies,
    );
    Ok(with_cookie(Json(view).into_response(), &cookie))
}

/// Returns the active user whose password matches, or `None` for any failure.
async fn check_credentials(
    state: &AppState,
    request: &LoginRequest,
) -> Result<Option<User>, ApiError> {
    let candidate = match Email::parse("email", &request.email) {
        Ok(email) => state.store().login_candidate(&email).await?,
        Err(_) => None,
    };
    let (user, stored_hash) = match candidate {
        Some(LoginCandidate {
            user,
            password_hash,
        }) => (Some(user), Some(password_hash)),
        None => (None, None),
    };
    // Verify even when the account is unknown, so both failures take the same time.
    let matches = password::verify_password(request.password.clone(), stored_hash)
        .await
        .map_err(ApiError::internal)?;
    Ok(user.filter(|user| matches && user.active))
}

fn new_session(state: &AppState, user: &User) -> (String, NewSession) {
    let cookie_value = secret::random_secret();
    let now = Timestamp::now();
    let ttl = SignedDuration::try_from(state.settings().session_ttl)
        .unwrap_or(SignedDuration::from_hours(12));
    let session = NewSession {
        token_hash: secret::sha256(&cookie_value),
        organization_id: user.organization_id,
        user_id: user.id,
        csrf_token: secret::random_secret(),
        created_at: now,
        expires_at: now + ttl,
    };
    (cookie_value, session)
}

fn login_audit(user: &User, ip: &str) -> AuditEvent {
    AuditEvent {
        organization_id: user.organization_id,
        actor: Actor::User(user.id),
        action: "session.created",
        target_kind: "user",
        target_id: Some(user.id.to_string()),
        details: serde_json::json!({ "client_ip": ip }),
        at: Timestamp::now(),
    }
}

async fn session_view(
    state: &AppState,
    user: User,
    csrf_token: String,
) -> Result<SessionView, ApiError> {
    let organization = state
        .store()
        .organization(user.organization_id)
        .await?
        .ok_or_else(|| {
            ApiError::internal(anyhow::anyhow!(
                "organization of user {} is missing",
                user.id
            ))
        })?;
    Ok(SessionView {
        user: user.into(),
        organization: organization.into(),
        csrf_token,
    })
}

fn with_cookie(mut response: Response, cookie: &str) -> Response {
    match HeaderValue::from_str(cookie) {
        Ok(value) => {
            response.headers_mut().append(header::SET_COOKIE, value);
            response
        }
        Err(error) => ApiError::internal(error).into_response(),
    }
}

/// Ends the current browser session and clears its cookie.
#[utoipa::path(post, path = "/api/auth/logout", tag = "auth",
    params(("X-CSRF-Token" = String, Header, description = "The session's CSRF token")),
    responses((status = 204, description = "Logged out"), (status = 401, body = ErrorBody)))]
pub async fn logout(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Response, ApiError> {
    let Credential::Session { token_hash, .. } = &principal.credential else {
        return Err(ApiError::forbidden());
    };
    state.store().delete_session(token_hash).await?;
    let cookie = auth::session_cookie("", 0, state.settings().secure_cookies);
    Ok(with_cookie(StatusCode::NO_CONTENT.into_response(), &cookie))
}

/// Returns the logged-in user and the session's CSRF token.
#[utoipa::path(get, path = "/api/session", tag = "auth",
    responses((status = 200, body = SessionView), (status = 401, body = ErrorBody)))]
pub async fn current_session(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<SessionView>, ApiError> {
    let (Credential::Session { csrf_token, .. }, Some(user_id)) =
        (&principal.credential, principal.user_id)
    else {
        return Err(ApiError::forbidden());
    };
    let user = state
        .store()
        .user(principal.organization_id, user_id)
        .await?
        .ok_or_else(ApiError::unauthenticated)?;
    Ok(Json(session_view(&state, user, csrf_token.clone()).await?))
}
