//! Read-only links to a saved report. Anyone with the link's token sees that report's
//! definition and numbers without a session, until the link expires or is revoked.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use jiff::{SignedDuration, Timestamp};
use ronda_store::report::ReportShare;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::reports_definition::{ReportDefinition, check};
use super::reports_query::{READERS, ReportResult, run, today};
use super::reports_saved::{WRITERS, find, stored_definition};
use super::{ApiJson, parse_id};
use crate::api::notifications::require_role;
use crate::auth::Principal;
use crate::auth::secret::{random_secret, sha256};
use crate::error::{ApiError, ErrorBody, ErrorCode, InputProblem};
use crate::i18n::Locale;
use crate::state::AppState;

const MIN_DAYS: i64 = 1;
const MAX_DAYS: i64 = 90;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShareInput {
    /// Days until the link stops working, 1 to 90.
    pub expires_in_days: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ShareView {
    pub id: Uuid,
    pub report_id: Uuid,
    pub created_at: String,
    pub expires_at: String,
    pub revoked_at: Option<String>,
    /// True while the link is neither expired nor revoked.
    pub active: bool,
}

/// A new link. The token is returned only here: the server keeps its hash.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedShare {
    #[serde(flatten)]
    pub share: ShareView,
    pub token: String,
    /// Path of the page that shows the report without a session, `/shared/{token}`.
    pub url_path: String,
}

/// The content of a shared link: the report's name, definition and numbers, nothing else.
#[derive(Debug, Serialize, ToSchema)]
pub struct SharedReportView {
    pub name: String,
    pub definition: ReportDefinition,
    pub result: ReportResult,
}

fn view(share: ReportShare, now: Timestamp) -> ShareView {
    ShareView {
        id: share.id,
        report_id: share.report_id,
        created_at: share.created_at.to_string(),
        expires_at: share.expires_at.to_string(),
        active: share.revoked_at.is_none() && share.expires_at > now,
        revoked_at: share.revoked_at.map(|at| at.to_string()),
    }
}

/// Creates a read-only link to a saved report.
#[utoipa::path(post, path = "/api/reports/saved/{id}/shares", tag = "reports",
    params(("id" = Uuid, Path)), request_body = ShareInput,
    responses((status = 201, body = CreatedShare), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_share(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ShareInput>,
) -> Result<(StatusCode, Json<CreatedShare>), ApiError> {
    require_role(&principal, &WRITERS)?;
    let report = find(&state, &principal, &id).await?;
    if !(MIN_DAYS..=MAX_DAYS).contains(&input.expires_in_days) {
        return Err(ApiError::invalid(
            "expires_in_days",
            InputProblem::OutOfRange {
                min: MIN_DAYS,
                max: MAX_DAYS,
            },
        ));
    }
    let now = Timestamp::now();
    let lifetime = SignedDuration::from_hours(24 * input.expires_in_days);
    let share = ReportShare {
        id: Uuid::now_v7(),
        organization_id: principal.organization_id,
        report_id: report.id,
        created_by: principal.user_id,
        created_at: now,
        expires_at: now.checked_add(lifetime).map_err(ApiError::internal)?,
        revoked_at: None,
    };
    let token = random_secret();
    state
        .store()
        .insert_report_share(&share, &sha256(&token))
        .await?;
    let created = CreatedShare {
        share: view(share, now),
        url_path: format!("/shared/{token}"),
        token,
    };
    Ok((StatusCode::CREATED, Json(created)))
}

/// Lists a saved report's links, newest first, expired and revoked ones included.
#[utoipa::path(get, path = "/api/reports/saved/{id}/shares", tag = "reports",
    params(("id" = Uuid, Path)),
    responses((status = 200, body = [ShareView]), (status = 404, body = ErrorBody)))]
pub async fn list_shares(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
) -> Result<Json<Vec<ShareView>>, ApiError> {
    require_role(&principal, &READERS)?;
    let report = find(&state, &principal, &id).await?;
    let shares = state
        .store()
        .report_shares(principal.organization_id, report.id)
        .await?;
    let now = Timestamp::now();
    Ok(Json(
        shares.into_iter().map(|share| view(share, now)).collect(),
    ))
}

/// Revokes a link, which stops working at once.
#[utoipa::path(delete, path = "/api/reports/saved/{id}/shares/{share_id}", tag = "reports",
    params(("id" = Uuid, Path), ("share_id" = Uuid, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn revoke_share(
    State(state): State<AppState>,
    principal: Principal,
    Path((id, share_id)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    require_role(&principal, &WRITERS)?;
    let report_id = parse_id("id", &id)?;
    let share_id = parse_id("share_id", &share_id)?;
    let revoked = state
        .store()
        .revoke_report_share(
            principal.organization_id,
            report_id,
            share_id,
            Timestamp::now(),
        )
        .await?;
    if revoked {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found())
    }
}

fn link_gone() -> ApiError {
    ApiError::Client {
        status: StatusCode::NOT_FOUND,
        code: ErrorCode::NotFound,
        field: Some("token".into()),
        problem: Some(InputProblem::Explained {
            es: "Este enlace no existe, expiró o fue revocado. Pide uno nuevo a quien te lo compartió."
                .into(),
            en: "This link does not exist, has expired or was revoked. Ask whoever shared it for a new one."
                .into(),
        }),
    }
}

/// Shows a shared report without a session.
#[utoipa::path(get, path = "/api/shared-reports/{token}", tag = "reports",
    params(("token" = String, Path)),
    responses((status = 200, body = SharedReportView), (status = 404, body = ErrorBody)))]
pub async fn shared_report(
    State(state): State<AppState>,
    locale: Locale,
    Path(token): Path<String>,
) -> Result<Json<SharedReportView>, ApiError> {
    Ok(Json(load_shared(&state, locale, &token).await?))
}

/// Loads the report behind a link token and runs it, or fails with 404 when the link
/// does not exist, expired or was revoked.
pub(crate) async fn load_shared(
    state: &AppState,
    locale: Locale,
    token: &str,
) -> Result<SharedReportView, ApiError> {
    let report = state
        .store()
        .shared_report(&sha256(token.trim()), Timestamp::now())
        .await?
        .ok_or_else(link_gone)?;
    let definition = stored_definition(&report.definition)?;
    let checked = check(&definition, today(state))?;
    let result = run(state, report.organization_id, locale, &checked).await?;
    Ok(SharedReportView {
        name: report.name,
        definition,
        result,
    })
}
