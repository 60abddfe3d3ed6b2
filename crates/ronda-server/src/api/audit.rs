//! The organization's audit log (bitácora), read-only.

use axum::extract::{Path, Query, State};
use axum::routing::get;
use axum::{Json, Router};
use ronda_domain::Permission;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::views::AuditEntryView;
use crate::auth::Principal;
use crate::error::{ApiError, ErrorBody, InputProblem};
use crate::state::AppState;

const MAX_PAGE: u32 = 500;
const DEFAULT_PAGE: u32 = 100;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/audit", get(list_entries))
        .route("/api/audit/{id}", get(get_entry))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct AuditQuery {
    /// Return entries older than this id (the `next_before` of the previous page).
    before: Option<String>,
    /// Page size, 1 to 500; 100 when absent.
    limit: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditPage {
    pub entries: Vec<AuditEntryView>,
    /// Pass as `before` to read the next page; absent on the last page.
    pub next_before: Option<i64>,
}

fn parse_integer(
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

/// Lists audit entries, newest first.
#[utoipa::path(get, path = "/api/audit", tag = "audit", params(AuditQuery),
    responses((status = 200, body = AuditPage), (status = 422, body = ErrorBody)))]
pub async fn list_entries(
    State(state): State<AppState>,
    principal: Principal,
    Query(query): Query<AuditQuery>,
) -> Result<Json<AuditPage>, ApiError> {
    principal.require(Permission::ReadOrganization)?;
    let before = parse_integer("before", query.before.as_deref(), 1, i64::MAX)?;
    let limit = parse_integer("limit", query.limit.as_deref(), 1, i64::from(MAX_PAGE))?
        .map_or(DEFAULT_PAGE, |limit| limit as u32);
    let entries = state
        .store()
        .audit_entries(principal.organization_id, before, limit)
        .await?;
    let next_before = (entries.len() == limit as usize)
        .then(|| entries.last().map(|e| e.id))
        .flatten();
    Ok(Json(AuditPage {
        entries: entries.into_iter().map(AuditEntryView::from).collect(),
        next_before,
    }))
}

/// Returns one audit entry of the organization.
#[utoipa::path(get, path = "/api/audit/{id}", tag = "audit", params(("id" = i64, Path)),
    responses((status = 200, body = AuditEntryView), (status = 404, body = ErrorBody)))]
pub async fn get_entry(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
) -> Result<Json<AuditEntryView>, ApiError> {
    principal.require(Permission::ReadOrganization)?;
    let id = parse_integer("id", Some(&id), 1, i64::MAX)?.unwrap_or_default();
    let entry = state
        .store()
        .audit_entry(principal.organization_id, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(entry.into()))
}
