//! Notification rules and the email outbox. Supervisors and admins manage rules and
//! retry failed emails; every role but agent reads them.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use jiff::Timestamp;
use ronda_domain::{Email, Permission, Role, UserId};
use ronda_store::outbox::{
    DeliveryState, EmailDelivery, EventKind, Language, NotificationRule, RetryResult,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::api::{ApiJson, parse_id};
use crate::auth::Principal;
use crate::error::{ApiError, ErrorBody, ErrorCode, InputProblem};
use crate::state::AppState;

/// Recipients one rule may name, at most.
const MAX_RECIPIENTS: usize = 50;
const MAX_NAME_CHARS: usize = 100;
const DEFAULT_PAGE: u32 = 100;
const MAX_PAGE: i64 = 500;
pub(crate) const EVENT_KIND_CHOICES: &str =
    "visit.completed, promise.created, checkin.rejected, account.wrong_party, daily.summary";

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/notifications/rules",
            get(list_rules).post(create_rule),
        )
        .route(
            "/api/notifications/rules/{id}",
            get(get_rule).put(update_rule).delete(delete_rule),
        )
        .route("/api/notifications/deliveries", get(list_deliveries))
        .route(
            "/api/notifications/deliveries/{id}/retry",
            post(retry_delivery),
        )
        .merge(super::smtp_settings::router())
}

/// Rejects the request with 403 unless the caller has one of `roles`.
pub(crate) fn require_role(principal: &Principal, roles: &[Role]) -> Result<(), ApiError> {
    if roles.contains(&principal.role) {
        Ok(())
    } else {
        Err(ApiError::forbidden())
    }
}

/// Roles that manage notification rules and retry emails.
const RULE_MANAGERS: [Role; 2] = [Role::Admin, Role::Supervisor];

#[derive(Debug, Serialize, ToSchema)]
pub struct RuleView {
    pub id: Uuid,
    pub name: String,
    /// Event kinds the rule reacts to.
    pub event_kinds: Vec<String>,
    /// Only accounts of this lender; absent for every lender.
    pub lender_id: Option<Uuid>,
    pub portfolio_id: Option<Uuid>,
    pub agent_id: Option<Uuid>,
    /// Only these result codes; empty for every code.
    pub result_codes: Vec<String>,
    pub recipients: Vec<String>,
    /// `es` or `en`.
    pub language: String,
    pub active: bool,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
}

impl From<NotificationRule> for RuleView {
    fn from(rule: NotificationRule) -> Self {
        Self {
            id: rule.id,
            name: rule.name,
            event_kinds: rule
                .event_kinds
                .iter()
                .map(|k| k.as_str().to_owned())
                .collect(),
            lender_id: rule.lender_id,
            portfolio_id: rule.portfolio_id,
            agent_id: rule.agent_id.map(|id| id.0),
            result_codes: rule.result_codes,
            recipients: rule.recipients,
            language: rule.language.as_str().to_owned(),
            active: rule.active,
            created_at: rule.created_at,
            updated_at: rule.updated_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RuleList {
    pub rules: Vec<RuleView>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleRequest {
    pub name: String,
    /// One or more of visit.completed, promise.created, checkin.rejected,
    /// account.wrong_party, daily.summary. A rule with daily.summary takes no filters.
    pub event_kinds: Vec<String>,
    pub lender_id: Option<String>,
    pub portfolio_id: Option<String>,
    pub agent_id: Option<String>,
    /// Result codes such as `PTP`; absent or empty for every code.
    #[serde(default)]
    pub result_codes: Vec<String>,
    /// Email addresses, 1 to 50.
    pub recipients: Vec<String>,
    /// `es` (default) or `en`.
    pub language: Option<String>,
    /// `true` when absent.
    pub active: Option<bool>,
}

/// Lists the organization's notification rules.
#[utoipa::path(get, path = "/api/notifications/rules", tag = "notifications",
    responses((status = 200, body = RuleList), (status = 403, body = ErrorBody)))]
pub async fn list_rules(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<RuleList>, ApiError> {
    principal.require(Permission::ReadOrganization)?;
    let rules = state
        .store()
        .notification_rules(principal.organization_id)
        .await?;
    Ok(Json(RuleList {
        rules: rules.into_iter().map(RuleView::from).collect(),
    }))
}

/// Returns one notification rule.
#[utoipa::path(get, path = "/api/notifications/rules/{id}", tag = "notifications",
    params(("id" = Uuid, Path)),
    responses((status = 200, body = RuleView), (status = 404, body = ErrorBody)))]
pub async fn get_rule(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
) -> Result<Json<RuleView>, ApiError> {
    principal.require(Permission::ReadOrganization)?;
    let id = parse_id("id", &id)?;
    let rule = state
        .store()
        .notification_rule(principal.organization_id, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(rule.into()))
}

/// Creates a notification rule.
#[utoipa::path(post, path = "/api/notifications/rules", tag = "notifications",
    request_body = RuleRequest,
    responses((status = 201, body = RuleView), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn create_rule(
    State(state): State<AppState>,
    principal: Principal,
    ApiJson(request): ApiJson<RuleRequest>,
) -> Result<(StatusCode, Json<RuleView>), ApiError> {
    require_role(&principal, &RULE_MANAGERS)?;
    let now = Timestamp::now();
    let rule = parse_rule(&state, &principal, Uuid::now_v7(), now, request).await?;
    let audit = principal.audit(
        "notification_rule.created",
        "notification_rule",
        Some(rule.id.to_string()),
        serde_json::json!({"name": rule.name, "recipients": rule.recipients}),
    );
    let rule = state
        .store()
        .create_notification_rule(&rule, &audit)
        .await?;
    Ok((StatusCode::CREATED, Json(rule.into())))
}

/// Replaces a notification rule.
#[utoipa::path(put, path = "/api/notifications/rules/{id}", tag = "notifications",
    params(("id" = Uuid, Path)), request_body = RuleRequest,
    responses((status = 200, body = RuleView), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn update_rule(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<RuleRequest>,
) -> Result<Json<RuleView>, ApiError> {
    require_role(&principal, &RULE_MANAGERS)?;
    let id = parse_id("id", &id)?;
    let existing = state
        .store()
        .notification_rule(principal.organization_id, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let mut rule = parse_rule(&state, &principal, id, Timestamp::now(), request).await?;
    rule.created_at = existing.created_at;
    let audit = principal.audit(
        "notification_rule.updated",
        "notification_rule",
        Some(id.to_string()),
        serde_json::json!({"name": rule.name, "recipients": rule.recipients}),
    );
    let rule = state
        .store()
        .update_notification_rule(&rule, &audit)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(rule.into()))
}

/// Deletes a notification rule. Emails it already created keep their state.
#[utoipa::path(delete, path = "/api/notifications/rules/{id}", tag = "notifications",
    params(("id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn delete_rule(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    require_role(&principal, &RULE_MANAGERS)?;
    let id = parse_id("id", &id)?;
    let audit = principal.audit(
        "notification_rule.deleted",
        "notification_rule",
        Some(id.to_string()),
        serde_json::json!({}),
    );
    let deleted = state
        .store()
        .delete_notification_rule(principal.organization_id, id, &audit)
        .await?;
    if deleted {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found())
    }
}

/// Checks a rule request and resolves its ids inside the caller's organization.
async fn parse_rule(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
    now: Timestamp,
    request: RuleRequest,
) -> Result<NotificationRule, ApiError> {
    let org = principal.organization_id;
    let name = parse_name(&request.name)?;
    if request.event_kinds.is_empty() {
        return Err(ApiError::invalid("event_kinds", InputProblem::Missing));
    }
    let mut event_kinds = Vec::new();
    for (index, kind) in request.event_kinds.iter().enumerate() {
        let kind = EventKind::from_name(kind.trim()).ok_or_else(|| {
            ApiError::invalid(
                format!("event_kinds[{index}]"),
                InputProblem::NotOneOf(EVENT_KIND_CHOICES),
            )
        })?;
        if !event_kinds.contains(&kind) {
            event_kinds.push(kind);
        }
    }

    let lender_id = optional_id("lender_id", request.lender_id.as_deref())?;
    if let Some(lender) = lender_id
        && state.store().lender(org, lender).await?.is_none()
    {
        return Err(ApiError::invalid("lender_id", InputProblem::UnknownId));
    }
    let portfolio_id = optional_id("portfolio_id", request.portfolio_id.as_deref())?;
    if let Some(portfolio) = portfolio_id
        && state.store().portfolio(org, portfolio).await?.is_none()
    {
        return Err(ApiError::invalid("portfolio_id", InputProblem::UnknownId));
    }
    let agent_id = optional_id("agent_id", request.agent_id.as_deref())?.map(UserId);
    if let Some(agent) = agent_id {
        match state.store().user(org, agent).await? {
            Some(user) if user.role == Role::Agent => {}
            _ => return Err(ApiError::invalid("agent_id", InputProblem::UnknownId)),
        }
    }

    let result_codes = parse_result_codes(&request.result_codes)?;
    let filtered = lender_id.is_some()
        || portfolio_id.is_some()
        || agent_id.is_some()
        || !result_codes.is_empty();
    if filtered && event_kinds.contains(&EventKind::DailySummary) {
        return Err(ApiError::invalid(
            "event_kinds",
            InputProblem::Explained {
                es: "El resumen diario cubre toda la organización: quita los filtros de \
                    otorgante, cartera, gestor y resultado, o crea una regla aparte para él."
                    .into(),
                en: "The daily summary covers the whole organization: remove the lender, \
                    portfolio, agent and result filters, or give it a rule of its own."
                    .into(),
            },
        ));
    }
    let recipients = parse_recipients(&request.recipients)?;
    let language = match request.language.as_deref().map(str::trim) {
        None | Some("") => Language::Es,
        Some(name) => Language::from_name(name)
            .ok_or_else(|| ApiError::invalid("language", InputProblem::NotOneOf("es, en")))?,
    };
    Ok(NotificationRule {
        id,
        organization_id: org,
        name,
        event_kinds,
        lender_id,
        portfolio_id,
        agent_id,
        result_codes,
        recipients,
        language,
        active: request.active.unwrap_or(true),
        created_at: now,
        updated_at: now,
    })
}

pub(crate) fn parse_name(value: &str) -> Result<String, ApiError> {
    let name = value.trim();
    if name.is_empty() {
        return Err(ApiError::invalid("name", InputProblem::Missing));
    }
    if name.chars().count() > MAX_NAME_CHARS || name.chars().any(char::is_control) {
        return Err(ApiError::invalid(
            "name",
            InputProblem::Explained {
                es: "«name» debe tener de 1 a 100 caracteres, sin caracteres de control."
                    .to_owned(),
                en: "\"name\" must have 1 to 100 characters, without control characters."
                    .to_owned(),
            },
        ));
    }
    Ok(name.to_owned())
}

fn optional_id(field: &'static str, value: Option<&str>) -> Result<Option<Uuid>, ApiError> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(value) => parse_id(field, value).map(Some),
    }
}

/// Result codes are upper-case letters, digits and underscores, such as `PTP`.
fn parse_result_codes(codes: &[String]) -> Result<Vec<String>, ApiError> {
    let mut parsed: Vec<String> = Vec::new();
    for (index, code) in codes.iter().enumerate() {
        let code = code.trim().to_ascii_uppercase();
        let valid = !code.is_empty()
            && code.len() <= 40
            && code
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
        if !valid {
            return Err(ApiError::invalid(
                format!("result_codes[{index}]"),
                InputProblem::Explained {
                    es: "Cada código de resultado lleva letras, dígitos y «_», como PTP o NOBODY_HOME.".to_owned(),
                    en: "Each result code is letters, digits and \"_\", such as PTP or NOBODY_HOME.".to_owned(),
                },
            ));
        }
        if !parsed.contains(&code) {
            parsed.push(code);
        }
    }
    Ok(parsed)
}

fn parse_recipients(recipients: &[String]) -> Result<Vec<String>, ApiError> {
    if recipients.is_empty() || recipients.len() > MAX_RECIPIENTS {
        return Err(ApiError::invalid(
            "recipients",
            InputProblem::Explained {
                es: "«recipients» debe tener de 1 a 50 correos.".to_owned(),
                en: "\"recipients\" must have 1 to 50 email addresses.".to_owned(),
            },
        ));
    }
    let mut parsed: Vec<String> = Vec::new();
    for (index, recipient) in recipients.iter().enumerate() {
        let email = Email::parse("recipients", recipient).map_err(|error| {
            ApiError::invalid(
                format!("recipients[{index}]"),
                InputProblem::Rule(error.reason),
            )
        })?;
        let email = email.as_str().to_lowercase();
        if !parsed.contains(&email) {
            parsed.push(email);
        }
    }
    Ok(parsed)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryView {
    pub id: Uuid,
    pub event_id: Uuid,
    pub event_kind: String,
    pub rule_id: Option<Uuid>,
    pub recipient: String,
    pub language: String,
    /// `pending` (waiting for its next attempt or for SMTP settings), `sending`, `sent`
    /// or `failed`.
    pub state: String,
    pub attempts: i32,
    #[schema(value_type = String, format = DateTime)]
    pub next_attempt_at: Timestamp,
    pub last_error: Option<String>,
    pub message_id: String,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub sent_at: Option<Timestamp>,
    /// Unix milliseconds of `created_at`, to pass as `before` for the next page.
    pub cursor: i64,
}

impl From<EmailDelivery> for DeliveryView {
    fn from(delivery: EmailDelivery) -> Self {
        Self {
            id: delivery.id,
            event_id: delivery.event_id,
            event_kind: delivery.event_kind,
            rule_id: delivery.rule_id,
            recipient: delivery.recipient,
            language: delivery.language.as_str().to_owned(),
            state: delivery.state.as_str().to_owned(),
            attempts: delivery.attempts,
            next_attempt_at: delivery.next_attempt_at,
            last_error: delivery.last_error,
            message_id: delivery.message_id,
            created_at: delivery.created_at,
            sent_at: delivery.sent_at,
            cursor: delivery.created_at.as_millisecond(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryPage {
    pub deliveries: Vec<DeliveryView>,
    /// Pass as `before` to read the next page; absent on the last page.
    pub next_before: Option<i64>,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct DeliveryQuery {
    /// Only deliveries in this state: pending, sending, sent or failed.
    state: Option<String>,
    /// Deliveries created before this cursor (Unix milliseconds).
    before: Option<String>,
    /// Page size, 1 to 500; 100 when absent.
    limit: Option<String>,
}

/// Lists the organization's notification emails, newest first.
#[utoipa::path(get, path = "/api/notifications/deliveries", tag = "notifications",
    params(DeliveryQuery),
    responses((status = 200, body = DeliveryPage), (status = 422, body = ErrorBody)))]
pub async fn list_deliveries(
    State(state): State<AppState>,
    principal: Principal,
    Query(query): Query<DeliveryQuery>,
) -> Result<Json<DeliveryPage>, ApiError> {
    principal.require(Permission::ReadOrganization)?;
    let delivery_state = match query.state.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(name) => Some(DeliveryState::from_name(name).ok_or_else(|| {
            ApiError::invalid(
                "state",
                InputProblem::NotOneOf("pending, sending, sent, failed"),
            )
        })?),
    };
    let before = integer("before", query.before.as_deref(), 0, i64::MAX)?
        .map(|ms| {
            Timestamp::from_millisecond(ms).map_err(|_| {
                ApiError::invalid(
                    "before",
                    InputProblem::OutOfRange {
                        min: 0,
                        max: 253_402_300_799_999,
                    },
                )
            })
        })
        .transpose()?;
    let limit = integer("limit", query.limit.as_deref(), 1, MAX_PAGE)?
        .map_or(DEFAULT_PAGE, |limit| limit as u32);
    let deliveries = state
        .store()
        .email_deliveries(principal.organization_id, delivery_state, before, limit)
        .await?;
    let next_before = (deliveries.len() == limit as usize)
        .then(|| deliveries.last().map(|d| d.created_at.as_millisecond()))
        .flatten();
    Ok(Json(DeliveryPage {
        deliveries: deliveries.into_iter().map(DeliveryView::from).collect(),
        next_before,
    }))
}

pub(crate) fn integer(
    field: &'static str,
    value: Option<&str>,
    min: i64,
    max: i64,
) -> Result<Option<i64>, ApiError> {
    let Some(value) = value else { return Ok(None) };
    match value.trim().parse::<i64>() {
        Ok(number) if (min..=max).contains(&number) => Ok(Some(number)),
        _ => Err(ApiError::invalid(
            field,
            InputProblem::OutOfRange { min, max },
        )),
    }
}

/// Queues a failed email again with a fresh count of attempts.
#[utoipa::path(post, path = "/api/notifications/deliveries/{id}/retry", tag = "notifications",
    params(("id" = Uuid, Path)),
    responses((status = 200, body = DeliveryView), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "delivery_not_failed")))]
pub async fn retry_delivery(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
) -> Result<Json<DeliveryView>, ApiError> {
    require_role(&principal, &RULE_MANAGERS)?;
    let id = parse_id("id", &id)?;
    let audit = principal.audit(
        "email_delivery.retried",
        "email_delivery",
        Some(id.to_string()),
        serde_json::json!({}),
    );
    match state
        .store()
        .retry_email_delivery(principal.organization_id, id, &audit)
        .await?
    {
        RetryResult::Retried(delivery) => Ok(Json(delivery.into())),
        RetryResult::NotFailed(_) => Err(ApiError::conflict(ErrorCode::DeliveryNotFailed, "id")),
        RetryResult::NotFound => Err(ApiError::not_found()),
    }
}
