//! Portfolio imports as background jobs: the console starts one, then polls it for the
//! rows read so far and, at the end, the same report as `POST /api/imports`.

use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use jiff::Timestamp;
use ronda_domain::Permission;
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::imports::{
    ImportReport, MAX_FILE_BYTES, PreparedImport, failure_error, prepare, report, save_template,
};
use crate::api::parse_id;
use crate::auth::Principal;
use crate::error::{ApiError, ErrorBody, ErrorCode, InputProblem};
use crate::i18n::Locale;
use crate::portfolio_import::{ImportJob, JobState, pipeline};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/imports/jobs", post(start_job))
        .route("/api/imports/jobs/{id}", get(get_job))
        .layer(DefaultBodyLimit::max(MAX_FILE_BYTES))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportJobView {
    pub id: uuid::Uuid,
    /// `running`, `finished` or `failed`.
    pub state: &'static str,
    pub dry_run: bool,
    pub file_name: Option<String>,
    /// Data rows read and checked so far.
    pub rows_read: usize,
    #[schema(value_type = String, format = DateTime)]
    pub started_at: Timestamp,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub finished_at: Option<Timestamp>,
    /// The import's report once it finished.
    pub report: Option<ImportReport>,
    /// Error that stopped the job. Nothing was written.
    pub error: Option<ErrorBody>,
}

fn job_view(job: &ImportJob, locale: Locale) -> ImportJobView {
    let (state, report, error, finished_at) = job.with_state(|state, ended| match state {
        JobState::Running => ("running", None, None, ended),
        JobState::Finished(outcome) => (
            "finished",
            Some(report(outcome, job.dry_run, locale)),
            None,
            ended,
        ),
        JobState::Failed(failure) => ("failed", None, Some(failure_body(failure, locale)), ended),
    });
    ImportJobView {
        id: job.id,
        state,
        dry_run: job.dry_run,
        file_name: job.file_name.clone(),
        rows_read: job.progress.rows_read(),
        started_at: job.started_at,
        finished_at,
        report,
        error,
    }
}

fn failure_body(failure: &crate::portfolio_import::ImportFailure, locale: Locale) -> ErrorBody {
    use crate::portfolio_import::ImportFailure;
    let error = match failure {
        ImportFailure::Read(read) => failure_error(ImportFailure::Read(read.clone())),
        ImportFailure::Store(_) | ImportFailure::Reader(_) => {
            ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Internal)
        }
    };
    error.body(locale)
}

/// Starts an import or dry run in the background and returns its id at once.
#[utoipa::path(post, path = "/api/imports/jobs", tag = "portfolios",
    request_body(content_type = "multipart/form-data",
        description = "Parts: file, sheet, portfolio_id, mapping (JSON array), dry_run, template_name"),
    responses((status = 202, body = ImportJobView), (status = 422, body = ErrorBody),
        (status = 429, body = ErrorBody, description = "two imports of the organization are running")))]
pub async fn start_job(
    State(state): State<AppState>,
    principal: Principal,
    locale: Locale,
    multipart: Multipart,
) -> Result<(StatusCode, Json<ImportJobView>), ApiError> {
    let PreparedImport {
        input,
        dry_run,
        file_name,
        template_name,
        headers,
    } = prepare(&state, &principal, multipart).await?;
    let job = state
        .import_jobs()
        .start(principal.organization_id, dry_run, file_name)
        .map_err(|_| busy())?;
    let view = job_view(&job, locale);
    let background = state.clone();
    tokio::spawn(async move {
        let portfolio = input.portfolio.clone();
        let mapping = input.mapping.clone();
        let result = pipeline::run(background.store_handle(), input, job.progress.clone()).await;
        if let (Ok(_), false, Some(name)) = (&result, dry_run, template_name.as_deref())
            && let Err(error) =
                save_template(&background, &portfolio, name, &mapping, &headers).await
        {
            tracing::warn!(job.id = %job.id, ?error, "import template not saved");
        }
        background.import_jobs().finish(&job, result);
    });
    Ok((StatusCode::ACCEPTED, Json(view)))
}

fn busy() -> ApiError {
    ApiError::Client {
        status: StatusCode::TOO_MANY_REQUESTS,
        code: ErrorCode::RateLimited,
        field: None,
        problem: Some(InputProblem::Explained {
            es: "Ya hay dos importaciones en curso en tu despacho. Espera a que termine una y vuelve a intentarlo.".into(),
            en: "Two imports of your organization are already running. Wait for one to finish and try again.".into(),
        }),
    }
}

/// Returns an import job's progress, and its report once it finished.
#[utoipa::path(get, path = "/api/imports/jobs/{id}", tag = "portfolios",
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = ImportJobView), (status = 404, body = ErrorBody)))]
pub async fn get_job(
    State(state): State<AppState>,
    principal: Principal,
    locale: Locale,
    Path(id): Path<String>,
) -> Result<Json<ImportJobView>, ApiError> {
    principal.require(Permission::ManagePortfolios)?;
    let id = parse_id("id", &id)?;
    let job = state
        .import_jobs()
        .get(principal.organization_id, id)
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(job_view(&job, locale)))
}
