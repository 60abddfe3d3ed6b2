//! Webhooks: URLs that receive the organization's events as signed JSON. Admins manage
//! them; other roles but agent read them and their delivery log. The signing secret is
//! shown once, when the webhook is created.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use jiff::Timestamp;
use ronda_domain::{Permission, Role};
use ronda_store::outbox::{EventKind, RetryResult, Webhook, WebhookAttempt, WebhookDelivery};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::api::notifications::{EVENT_KIND_CHOICES, integer, parse_name, require_role};
use crate::api::{ApiJson, parse_id};
use crate::auth::{Principal, secret};
use crate::error::{ApiError, ErrorBody, ErrorCode, InputProblem};
use crate::state::AppState;

const MAX_URL_CHARS: usize = 2000;
const DEFAULT_PAGE: u32 = 100;
const MAX_PAGE: i64 = 500;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/webhooks", get(list_webhooks).post(create_webhook))
        .route(
            "/api/webhooks/{id}",
            get(get_webhook).put(update_webhook).delete(delete_webhook),
        )
        .route("/api/webhooks/{id}/deliveries", get(list_deliveries))
        .route("/api/webhooks/deliveries/{id}/attempts", get(list_attempts))
        .route("/api/webhooks/deliveries/{id}/retry", post(retry_delivery))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookView {
    pub id: Uuid,
    pub name: String,
    pub url: String,
    pub kinds: Vec<String>,
    pub active: bool,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
}

impl From<Webhook> for WebhookView {
    fn from(webhook: Webhook) -> Self {
        Self {
            id: webhook.id,
            name: webhook.name,
            url: webhook.url,
            kinds: webhook
                .kinds
                .iter()
                .map(|k| k.as_str().to_owned())
                .collect(),
            active: webhook.active,
            created_at: webhook.created_at,
            updated_at: webhook.updated_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookList {
    pub webhooks: Vec<WebhookView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedWebhook {
    pub webhook: WebhookView,
    /// The HMAC-SHA256 key for `X-Ronda-Signature`, shown only in this response.
    pub secret: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookRequest {
    pub name: String,
    /// An `https://` URL, or `http://` for a receiver on a private network.
    pub url: String,
    /// One or more of visit.completed, promise.created, checkin.rejected,
    /// account.wrong_party, daily.summary.
    pub kinds: Vec<String>,
    /// `true` when absent.
    pub active: Option<bool>,
}

/// Lists the organization's webhooks.
#[utoipa::path(get, path = "/api/webhooks", tag = "webhooks",
    responses((status = 200, body = WebhookList), (status = 403, body = ErrorBody)))]
pub async fn list_webhooks(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<WebhookList>, ApiError> {
    principal.require(Permission::ReadOrganization)?;
    let webhooks = state.store().webhooks(principal.organization_id).await?;
    Ok(Json(WebhookList {
        webhooks: webhooks.into_iter().map(WebhookView::from).collect(),
    }))
}

#[utoipa::path(get, path = "/api/webhooks/{id}", tag = "webhooks", params(("id" = Uuid, Path)),
    responses((status = 200, body = WebhookView), (status = 404, body = ErrorBody)))]
pub async fn get_webhook(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
) -> Result<Json<WebhookView>, ApiError> {
    principal.require(Permission::ReadOrganization)?;
    let webhook = find_webhook(&state, &principal, &id).await?;
    Ok(Json(webhook.into()))
}

/// Creates a webhook and returns its signing secret once.
#[utoipa::path(post, path = "/api/webhooks", tag = "webhooks", request_body = WebhookRequest,
    responses((status = 201, body = CreatedWebhook), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn create_webhook(
    State(state): State<AppState>,
    principal: Principal,
    ApiJson(request): ApiJson<WebhookRequest>,
) -> Result<(StatusCode, Json<CreatedWebhook>), ApiError> {
    require_role(&principal, &[Role::Admin])?;
    let now = Timestamp::now();
    let secret = secret::random_secret();
    let webhook = Webhook {
        id: Uuid::now_v7(),
        organization_id: principal.organization_id,
        name: parse_name(&request.name)?,
        url: parse_url(&request.url)?,
        secret: secret.clone(),
        kinds: parse_kinds(&request.kinds)?,
        active: request.active.unwrap_or(true),
        created_at: now,
        updated_at: now,
    };
    let audit = principal.audit(
        "webhook.created",
        "webhook",
        Some(webhook.id.to_string()),
        serde_json::json!({"name": webhook.name, "url": webhook.url}),
    );
    let webhook = state.store().create_webhook(&webhook, &audit).await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedWebhook {
            webhook: webhook.into(),
            secret,
        }),
    ))
}

/// Replaces a webhook's name, URL, kinds and active flag. The secret stays.
#[utoipa::path(put, path = "/api/webhooks/{id}", tag = "webhooks", params(("id" = Uuid, Path)),
    request_body = WebhookRequest,
    responses((status = 200, body = WebhookView), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn update_webhook(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<WebhookRequest>,
) -> Result<Json<WebhookView>, ApiError> {
    require_role(&principal, &[Role::Admin])?;
    let existing = find_webhook(&state, &principal, &id).await?;
    let webhook = Webhook {
        name: parse_name(&request.name)?,
        url: parse_url(&request.url)?,
        kinds: parse_kinds(&request.kinds)?,
        active: request.active.unwrap_or(existing.active),
        updated_at: Timestamp::now(),
        ..existing
    };
    let audit = principal.audit(
        "webhook.updated",
        "webhook",
        Some(webhook.id.to_string()),
        serde_json::json!({"name": webhook.name, "url": webhook.url, "active": webhook.active}),
    );
    let webhook = state
        .store()
        .update_webhook(&webhook, &audit)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(webhook.into()))
}

/// Deletes a webhook with its delivery log.
#[utoipa::path(delete, path = "/api/webhooks/{id}", tag = "webhooks", params(("id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn delete_webhook(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    require_role(&principal, &[Role::Admin])?;
    let id = parse_id("id", &id)?;
    let audit = principal.audit(
        "webhook.deleted",
        "webhook",
        Some(id.to_string()),
        serde_json::json!({}),
    );
    if state
        .store()
        .delete_webhook(principal.organization_id, id, &audit)
        .await?
    {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found())
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookDeliveryView {
    pub id: Uuid,
    pub webhook_id: Uuid,
    pub event_id: Uuid,
    pub event_kind: String,
    /// `pending`, `sending`, `sent` or `failed`.
    pub state: String,
    pub attempts: i32,
    #[schema(value_type = String, format = DateTime)]
    pub next_attempt_at: Timestamp,
    pub last_status_code: Option<i32>,
    pub last_error: Option<String>,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub delivered_at: Option<Timestamp>,
}

impl From<WebhookDelivery> for WebhookDeliveryView {
    fn from(delivery: WebhookDelivery) -> Self {
        Self {
            id: delivery.id,
            webhook_id: delivery.webhook_id,
            event_id: delivery.event_id,
            event_kind: delivery.event_kind,
            state: delivery.state.as_str().to_owned(),
            attempts: delivery.attempts,
            next_attempt_at: delivery.next_attempt_at,
            last_status_code: delivery.last_status_code,
            last_error: delivery.last_error,
            created_at: delivery.created_at,
            delivered_at: delivery.delivered_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookDeliveryList {
    pub deliveries: Vec<WebhookDeliveryView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookAttemptView {
    #[schema(value_type = String, format = DateTime)]
    pub attempted_at: Timestamp,
    pub duration_ms: i64,
    pub status_code: Option<i32>,
    /// The first kilobyte of the receiver's response.
    pub response_excerpt: Option<String>,
    pub error: Option<String>,
}

impl From<WebhookAttempt> for WebhookAttemptView {
    fn from(attempt: WebhookAttempt) -> Self {
        Self {
            attempted_at: attempt.attempted_at,
            duration_ms: attempt.duration_ms,
            status_code: attempt.status_code,
            response_excerpt: attempt.response_excerpt,
            error: attempt.error,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookAttemptList {
    pub attempts: Vec<WebhookAttemptView>,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct WebhookDeliveryQuery {
    /// Page size, 1 to 500; 100 when absent.
    limit: Option<String>,
}

/// Lists a webhook's deliveries, newest first.
#[utoipa::path(get, path = "/api/webhooks/{id}/deliveries", tag = "webhooks",
    params(("id" = Uuid, Path), WebhookDeliveryQuery),
    responses((status = 200, body = WebhookDeliveryList), (status = 404, body = ErrorBody)))]
pub async fn list_deliveries(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
    Query(query): Query<WebhookDeliveryQuery>,
) -> Result<Json<WebhookDeliveryList>, ApiError> {
    principal.require(Permission::ReadOrganization)?;
    let webhook = find_webhook(&state, &principal, &id).await?;
    let limit = integer("limit", query.limit.as_deref(), 1, MAX_PAGE)?
        .map_or(DEFAULT_PAGE, |limit| limit as u32);
    let deliveries = state
        .store()
        .webhook_deliveries(principal.organization_id, webhook.id, limit)
        .await?;
    Ok(Json(WebhookDeliveryList {
        deliveries: deliveries
            .into_iter()
            .map(WebhookDeliveryView::from)
            .collect(),
    }))
}

/// Lists every attempt of one webhook delivery, oldest first.
#[utoipa::path(get, path = "/api/webhooks/deliveries/{id}/attempts", tag = "webhooks",
    params(("id" = Uuid, Path)),
    responses((status = 200, body = WebhookAttemptList), (status = 404, body = ErrorBody)))]
pub async fn list_attempts(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
) -> Result<Json<WebhookAttemptList>, ApiError> {
    principal.require(Permission::ReadOrganization)?;
    let id = parse_id("id", &id)?;
    let org = principal.organization_id;
    state
        .store()
        .webhook_delivery(org, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let attempts = state.store().webhook_attempts(org, id).await?;
    Ok(Json(WebhookAttemptList {
        attempts: attempts.into_iter().map(WebhookAttemptView::from).collect(),
    }))
}

/// Queues a failed webhook delivery again with a fresh count of attempts.
#[utoipa::path(post, path = "/api/webhooks/deliveries/{id}/retry", tag = "webhooks",
    params(("id" = Uuid, Path)),
    responses((status = 200, body = WebhookDeliveryView), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "delivery_not_failed")))]
pub async fn retry_delivery(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
) -> Result<Json<WebhookDeliveryView>, ApiError> {
    require_role(&principal, &[Role::Admin])?;
    let id = parse_id("id", &id)?;
    let audit = principal.audit(
        "webhook_delivery.retried",
        "webhook_delivery",
        Some(id.to_string()),
        serde_json::json!({}),
    );
    match state
        .store()
        .retry_webhook_delivery(principal.organization_id, id, &audit)
        .await?
    {
        RetryResult::Retried(delivery) => Ok(Json(delivery.into())),
        RetryResult::NotFailed(_) => Err(ApiError::conflict(ErrorCode::DeliveryNotFailed, "id")),
        RetryResult::NotFound => Err(ApiError::not_found()),
    }
}

async fn find_webhook(
    state: &AppState,
    principal: &Principal,
    id: &str,
) -> Result<Webhook, ApiError> {
    let id = parse_id("id", id)?;
    state
        .store()
        .webhook(principal.organization_id, id)
        .await?
        .ok_or_else(ApiError::not_found)
}

fn parse_kinds(kinds: &[String]) -> Result<Vec<EventKind>, ApiError> {
    if kinds.is_empty() {
        return Err(ApiError::invalid("kinds", InputProblem::Missing));
    }
    let mut parsed = Vec::new();
    for (index, kind) in kinds.iter().enumerate() {
        let kind = EventKind::from_name(kind.trim()).ok_or_else(|| {
            ApiError::invalid(
                format!("kinds[{index}]"),
                InputProblem::NotOneOf(EVENT_KIND_CHOICES),
            )
        })?;
        if !parsed.contains(&kind) {
            parsed.push(kind);
        }
    }
    Ok(parsed)
}

// NOTE: any host is accepted, including loopback and private addresses, because
// receivers often sit on the agency's own network; only admins can set the URL.
fn parse_url(value: &str) -> Result<String, ApiError> {
    let value = value.trim();
    let parsed = reqwest::Url::parse(value).ok().filter(|url| {
        matches!(url.scheme(), "http" | "https")
            && url.host_str().is_some()
            && url.username().is_empty()
            && url.password().is_none()
    });
    match parsed {
        Some(url) if value.len() <= MAX_URL_CHARS => Ok(url.to_string()),
        _ => Err(ApiError::invalid(
            "url",
            InputProblem::Explained {
                es: "«url» debe ser una dirección http:// o https:// completa, sin usuario ni contraseña, como https://ejemplo.mx/ronda.".to_owned(),
                en: "\"url\" must be a full http:// or https:// address without user or password, such as https://example.mx/ronda.".to_owned(),
            },
        )),
    }
}
