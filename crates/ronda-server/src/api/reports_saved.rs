//! Saved custom reports. Admins and supervisors create, change and delete them, viewers
//! read and run them, and agents have no access.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use jiff::Timestamp;
use ronda_domain::Role;
use ronda_store::report::SavedReport;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::reports_definition::{ReportDefinition, check};
use super::reports_query::{READERS, ReportResult, run, today};
use super::{ApiJson, parse_id};
use crate::api::notifications::require_role;
use crate::auth::Principal;
use crate::error::{ApiError, ErrorBody, InputProblem};
use crate::i18n::Locale;
use crate::state::AppState;

/// Roles that create, change, delete and share saved reports.
pub(crate) const WRITERS: [Role; 2] = [Role::Admin, Role::Supervisor];
/// Maximum length of a report's name, in characters.
const MAX_NAME_CHARS: usize = 120;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SavedReportInput {
    /// 1 to 120 characters.
    pub name: String,
    pub definition: ReportDefinition,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SavedReportView {
    pub id: Uuid,
    pub name: String,
    pub definition: ReportDefinition,
    pub created_at: String,
    pub updated_at: String,
}

impl SavedReportView {
    pub(crate) fn from_saved(report: SavedReport) -> Result<Self, ApiError> {
        Ok(Self {
            id: report.id,
            name: report.name,
            definition: stored_definition(&report.definition)?,
            created_at: report.created_at.to_string(),
            updated_at: report.updated_at.to_string(),
        })
    }
}

/// Reads a definition the server stored after checking it.
pub(crate) fn stored_definition(text: &str) -> Result<ReportDefinition, ApiError> {
    serde_json::from_str(text).map_err(ApiError::internal)
}

fn check_name(name: &str) -> Result<String, ApiError> {
    let name = name.trim();
    let length = name.chars().count();
    if length == 0 || length > MAX_NAME_CHARS || name.chars().any(char::is_control) {
        return Err(ApiError::invalid(
            "name",
            InputProblem::Explained {
                es: format!(
                    "El nombre del reporte debe tener de 1 a {MAX_NAME_CHARS} caracteres, sin caracteres de control."
                ),
                en: format!(
                    "The report name must have 1 to {MAX_NAME_CHARS} characters, without control characters."
                ),
            },
        ));
    }
    Ok(name.to_owned())
}

/// Checks a new or changed report and returns its name and definition as stored.
fn check_input(state: &AppState, input: &SavedReportInput) -> Result<(String, String), ApiError> {
    let name = check_name(&input.name)?;
    check(&input.definition, today(state)).map_err(|error| nest_field(error, "definition"))?;
    let text = serde_json::to_string(&input.definition).map_err(ApiError::internal)?;
    Ok((name, text))
}

/// Prefixes the field of a client error, so `dimensions` becomes `definition.dimensions`.
fn nest_field(error: ApiError, parent: &str) -> ApiError {
    match error {
        ApiError::Client {
            status,
            code,
            field,
            problem,
        } => ApiError::Client {
            status,
            code,
            field: field.map(|field| format!("{parent}.{field}")),
            problem,
        },
        other => other,
    }
}

/// Loads a saved report of the caller's organization, or fails with 404.
pub(crate) async fn find(
    state: &AppState,
    principal: &Principal,
    id: &str,
) -> Result<SavedReport, ApiError> {
    let id = parse_id("id", id)?;
    state
        .store()
        .saved_report(principal.organization_id, id)
        .await?
        .ok_or_else(ApiError::not_found)
}

/// Lists the organization's saved reports by name.
#[utoipa::path(get, path = "/api/reports/saved", tag = "reports",
    responses((status = 200, body = [SavedReportView]), (status = 403, body = ErrorBody)))]
pub async fn list_saved(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<Vec<SavedReportView>>, ApiError> {
    require_role(&principal, &READERS)?;
    let reports = state
        .store()
        .saved_reports(principal.organization_id)
        .await?;
    let views = reports
        .into_iter()
        .map(SavedReportView::from_saved)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Json(views))
}

/// Saves a custom report.
#[utoipa::path(post, path = "/api/reports/saved", tag = "reports", request_body = SavedReportInput,
    responses((status = 201, body = SavedReportView), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn create_saved(
    State(state): State<AppState>,
    principal: Principal,
    ApiJson(input): ApiJson<SavedReportInput>,
) -> Result<(StatusCode, Json<SavedReportView>), ApiError> {
    require_role(&principal, &WRITERS)?;
    let (name, definition) = check_input(&state, &input)?;
    let now = Timestamp::now();
    let report = SavedReport {
        id: Uuid::now_v7(),
        organization_id: principal.organization_id,
        name,
        definition,
        created_by: principal.user_id,
        created_at: now,
        updated_at: now,
    };
    state.store().insert_saved_report(&report).await?;
    Ok((
        StatusCode::CREATED,
        Json(SavedReportView::from_saved(report)?),
    ))
}

#[utoipa::path(get, path = "/api/reports/saved/{id}", tag = "reports", params(("id" = Uuid, Path)),
    responses((status = 200, body = SavedReportView), (status = 404, body = ErrorBody)))]
pub async fn get_saved(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
) -> Result<Json<SavedReportView>, ApiError> {
    require_role(&principal, &READERS)?;
    let report = find(&state, &principal, &id).await?;
    Ok(Json(SavedReportView::from_saved(report)?))
}

/// Replaces a saved report's name and definition.
#[utoipa::path(put, path = "/api/reports/saved/{id}", tag = "reports", params(("id" = Uuid, Path)),
    request_body = SavedReportInput,
    responses((status = 200, body = SavedReportView), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn update_saved(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<SavedReportInput>,
) -> Result<Json<SavedReportView>, ApiError> {
    require_role(&principal, &WRITERS)?;
    let mut report = find(&state, &principal, &id).await?;
    let (name, definition) = check_input(&state, &input)?;
    let now = Timestamp::now();
    let updated = state
        .store()
        .update_saved_report(report.organization_id, report.id, &name, &definition, now)
        .await?;
    if !updated {
        return Err(ApiError::not_found());
    }
    report.name = name;
    report.definition = definition;
    report.updated_at = now;
    Ok(Json(SavedReportView::from_saved(report)?))
}

/// Deletes a saved report and every link that shares it.
#[utoipa::path(delete, path = "/api/reports/saved/{id}", tag = "reports", params(("id" = Uuid, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete_saved(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    require_role(&principal, &WRITERS)?;
    let id = parse_id("id", &id)?;
    if state
        .store()
        .delete_saved_report(principal.organization_id, id)
        .await?
    {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found())
    }
}

/// Runs a saved report, with a relative period ending today.
#[utoipa::path(get, path = "/api/reports/saved/{id}/result", tag = "reports",
    params(("id" = Uuid, Path)),
    responses((status = 200, body = ReportResult), (status = 404, body = ErrorBody)))]
pub async fn run_saved(
    State(state): State<AppState>,
    principal: Principal,
    locale: Locale,
    Path(id): Path<String>,
) -> Result<Json<ReportResult>, ApiError> {
    require_role(&principal, &READERS)?;
    let report = find(&state, &principal, &id).await?;
    let checked = check(&stored_definition(&report.definition)?, today(&state))?;
    Ok(Json(
        run(&state, principal.organization_id, locale, &checked).await?,
    ))
}
