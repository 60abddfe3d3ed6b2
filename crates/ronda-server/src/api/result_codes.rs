//! The organization's result-code catalogue: read by every console role, changed by
//! admins. The shipped default comes from the collection rules; codes are added or
//! deactivated, never deleted, because visits keep the code they were recorded with.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, put};
use axum::{Json, Router};
use ronda_domain::Role;
use ronda_store::visit::ResultCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::ApiJson;
use crate::api::notifications::require_role;
use crate::auth::Principal;
use crate::error::{ApiError, ErrorBody, InputProblem};
use crate::state::AppState;

const CLASSES: [&str; 5] = ["success", "reach", "fail", "data", "verification"];
const MAX_LABEL_CHARS: usize = 80;
const MAX_REQUIRES_CHARS: usize = 200;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/result-codes", get(list_result_codes))
        .route("/api/result-codes/{code}", put(put_result_code))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ResultCodeView {
    pub code: String,
    /// `success` (right party reached), `reach`, `fail`, `data` or `verification`.
    pub class: String,
    pub label_es: String,
    pub label_en: String,
    /// Data the agent must record with this result, in Spanish.
    pub requires_es: String,
    pub active: bool,
}

impl From<ResultCode> for ResultCodeView {
    fn from(code: ResultCode) -> Self {
        Self {
            code: code.code,
            class: code.class,
            label_es: code.label_es,
            label_en: code.label_en,
            requires_es: code.requires_es,
            active: code.active,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ResultCodeList {
    pub result_codes: Vec<ResultCodeView>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResultCodeRequest {
    pub class: String,
    pub label_es: String,
    pub label_en: String,
    pub requires_es: Option<String>,
    /// `true` when absent.
    pub active: Option<bool>,
}

/// Lists the catalogue in its order, inactive codes included.
#[utoipa::path(get, path = "/api/result-codes", tag = "settings",
    responses((status = 200, body = ResultCodeList), (status = 403, body = ErrorBody)))]
pub async fn list_result_codes(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<ResultCodeList>, ApiError> {
    require_role(&principal, &[Role::Admin, Role::Supervisor, Role::Viewer])?;
    let codes = state
        .store()
        .result_codes(principal.organization_id)
        .await?;
    Ok(Json(ResultCodeList {
        result_codes: codes.into_iter().map(ResultCodeView::from).collect(),
    }))
}

fn explained(field: &str, es: String, en: String) -> ApiError {
    ApiError::invalid(field.to_owned(), InputProblem::Explained { es, en })
}

fn check_code(code: &str) -> Result<String, ApiError> {
    let code = code.trim();
    let valid = (2..=32).contains(&code.len())
        && code.starts_with(|c: char| c.is_ascii_uppercase())
        && code
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    if valid {
        return Ok(code.to_owned());
    }
    Err(explained(
        "code",
        "El código lleva de 2 a 32 mayúsculas, dígitos o «_» y empieza con una letra, como PROMESA_2.".into(),
        "The code has 2 to 32 capital letters, digits or '_' and starts with a letter, such as PROMISE_2.".into(),
    ))
}

fn check_label(field: &str, value: &str, max: usize, required: bool) -> Result<String, ApiError> {
    let value = value.trim();
    if required && value.is_empty() {
        return Err(ApiError::invalid(field.to_owned(), InputProblem::Missing));
    }
    if value.chars().count() > max || value.chars().any(char::is_control) {
        return Err(explained(
            field,
            format!("«{field}» admite hasta {max} caracteres, sin saltos de línea."),
            format!("\"{field}\" takes up to {max} characters, without line breaks."),
        ));
    }
    Ok(value.to_owned())
}

/// Adds a result code or changes an existing one.
#[utoipa::path(put, path = "/api/result-codes/{code}", tag = "settings",
    request_body = ResultCodeRequest,
    params(("code" = String, Path, description = "Code such as PTP")),
    responses((status = 200, body = ResultCodeView, description = "Changed"),
        (status = 201, body = ResultCodeView, description = "Added"),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_result_code(
    State(state): State<AppState>,
    principal: Principal,
    Path(code): Path<String>,
    ApiJson(request): ApiJson<ResultCodeRequest>,
) -> Result<(StatusCode, Json<ResultCodeView>), ApiError> {
    require_role(&principal, &[Role::Admin])?;
    let code = check_code(&code)?;

    let class = request.class.trim().to_owned();
    if !CLASSES.contains(&class.as_str()) {
        return Err(ApiError::invalid(
            "class",
            InputProblem::NotOneOf("success, reach, fail, data, verification"),
        ));
    }
    let result_code = ResultCode {
        code: code.clone(),
        class,
        label_es: check_label("label_es", &request.label_es, MAX_LABEL_CHARS, true)?,
        label_en: check_label("label_en", &request.label_en, MAX_LABEL_CHARS, true)?,
        requires_es: check_label(
            "requires_es",
            request.requires_es.as_deref().unwrap_or_default(),
            MAX_REQUIRES_CHARS,
            false,
        )?,
        active: request.active.unwrap_or(true),
    };

    let org = principal.organization_id;
    let existing = state.store().result_codes(org).await?;
    let created = !existing.iter().any(|known| known.code == code);
    let audit = principal.audit(
        "result_code.saved",
        "result_code",
        Some(code.clone()),
        serde_json::json!({"code": code, "created": created, "active": result_code.active}),
    );

    let saved = state
        .store()
        .put_result_code(org, &result_code, &audit)
        .await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(saved.into())))
}
