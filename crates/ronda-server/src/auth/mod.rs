//! Caller authentication: a browser session (cookie plus CSRF token) or an API token (bearer).

pub mod password;
pub mod rate_limit;
pub mod secret;

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, header};
use jiff::Timestamp;
use ronda_domain::{OrganizationId, Permission, Role, UserId};
use ronda_store::{Actor, AuditEvent};
use uuid::Uuid;

use crate::error::{ApiError, ErrorCode};
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "ronda_session";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The credential the caller authenticated with.
#[derive(Clone, Debug)]
pub enum Credential {
    Session {
        token_hash: [u8; 32],
        csrf_token: String,
    },
    ApiToken {
        id: Uuid,
    },
}

/// The authenticated caller of a request.
#[derive(Clone, Debug)]
pub struct Principal {
    pub organization_id: OrganizationId,
    pub role: Role,
    /// The user behind a session; `None` for API tokens.
    pub user_id: Option<UserId>,
    pub credential: Credential,
}

impl Principal {
    /// Rejects the request with 403 unless the caller's role allows `permission`.
    pub fn require(&self, permission: Permission) -> Result<(), ApiError> {
        if self.role.allows(permission) {
            Ok(())
        } else {
            Err(ApiError::forbidden())
        }
    }

    pub fn actor(&self) -> Actor {
        match (&self.credential, self.user_id) {
            (Credential::Session { .. }, Some(user_id)) => Actor::User(user_id),
            (Credential::ApiToken { id }, _) => Actor::ApiToken(*id),
            (Credential::Session { .. }, None) => Actor::System,
        }
    }

    /// Builds an audit event performed by this caller in its organization.
    pub fn audit(
        &self,
        action: &'static str,
        target_kind: &'static str,
        target_id: Option<String>,
        details: serde_json::Value,
    ) -> AuditEvent {
        AuditEvent {
            organization_id: self.organization_id,
            actor: self.actor(),
            action,
            target_kind,
            target_id,
            details,
            at: Timestamp::now(),
        }
    }
}

impl FromRequestParts<AppState> for Principal {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let principal = match bearer_token(&parts.headers) {
            Some(secret) => from_api_token(state, secret).await?,
            None => from_session(parts, state).await?,
        };
        let span = tracing::Span::current();
        span.record("org.id", tracing::field::display(principal.organization_id));
        if let Some(user_id) = principal.user_id {
            span.record("user.id", tracing::field::display(user_id));
        }
        Ok(principal)
    }
}

async fn from_api_token(state: &AppState, secret: &str) -> Result<Principal, ApiError> {
    let token = state
        .store()
        .active_api_token(&secret::sha256(secret))
        .await?
        .ok_or_else(ApiError::unauthenticated)?;
    Ok(Principal {
        organization_id: token.organization_id,
        role: token.role,
        user_id: None,
        credential: Credential::ApiToken { id: token.id },
    })
}

async fn from_session(parts: &Parts, state: &AppState) -> Result<Principal, ApiError> {
    let cookie =
        cookie_value(&parts.headers, SESSION_COOKIE).ok_or_else(ApiError::unauthenticated)?;
    let token_hash = secret::sha256(cookie);
    let session = state
        .store()
        .session(&token_hash, Timestamp::now())
        .await?
        .ok_or_else(ApiError::unauthenticated)?;
    if !is_safe_method(&parts.method) {
        let sent = parts
            .headers
            .get(CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if !secret::constant_time_eq(sent, &session.csrf_token) {
            return Err(ApiError::new(StatusCode::FORBIDDEN, ErrorCode::CsrfFailed));
        }
    }
    Ok(Principal {
        organization_id: session.user.organization_id,
        role: session.user.role,
        user_id: Some(session.user.id),
        credential: Credential::Session {
            token_hash,
            csrf_token: session.csrf_token,
        },
    })
}

fn is_safe_method(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// Returns the value of the named cookie from the `Cookie` headers.
pub fn cookie_value<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// Builds the `Set-Cookie` value for a session, or for clearing it when `value` is empty.
pub fn session_cookie(value: &str, max_age_secs: u64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!(
        "{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}"
    )
}

/// The connection's peer address, when the server was started with connection info.
#[derive(Clone, Copy, Debug)]
pub struct PeerAddr(pub Option<SocketAddr>);

impl<S: Send + Sync> FromRequestParts<S> for PeerAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(PeerAddr(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|info| info.0),
        ))
    }
}

/// Returns the caller's IP address: the connection's peer, or the last `X-Forwarded-For` entry
/// when the server is configured to trust its reverse proxy.
pub fn client_ip(headers: &HeaderMap, peer: PeerAddr, trust_forwarded_for: bool) -> String {
    if trust_forwarded_for {
        let forwarded = headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .map(str::trim)
            .filter(|v| !v.is_empty());
        if let Some(ip) = forwarded {
            return ip.to_owned();
        }
    }
    peer.0
        .map_or_else(|| "unknown".to_owned(), |addr| addr.ip().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn finds_cookie_among_others() {
        let mut headers = HeaderMap::new();
        headers.append(
            header::COOKIE,
            HeaderValue::from_static("theme=dark; ronda_session=abc123"),
        );
        assert_eq!(cookie_value(&headers, SESSION_COOKIE), Some("abc123"));
        assert_eq!(cookie_value(&headers, "missing"), None);
    }

    #[test]
    fn bearer_scheme_is_case_insensitive() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("bearer ronda_xyz"),
        );
        assert_eq!(bearer_token(&headers), Some("ronda_xyz"));
        headers.insert(header::AUTHORIZATION, HeaderValue::from_static("Basic abc"));
        assert_eq!(bearer_token(&headers), None);
    }

    #[test]
    fn forwarded_for_only_when_trusted() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            HeaderValue::from_static("1.2.3.4, 10.0.0.5"),
        );
        let peer = PeerAddr(Some(SocketAddr::from(([127, 0, 0, 1], 9000))));
        assert_eq!(client_ip(&headers, peer, false), "127.0.0.1");
        assert_eq!(client_ip(&headers, peer, true), "10.0.0.5");
    }
}
