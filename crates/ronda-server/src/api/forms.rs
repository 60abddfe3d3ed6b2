//! Forms (questionnaires): list, upload an XLSForm (dry run or publish), read a version
//! as JSON, download it as an XLSForm workbook, and install a shipped template. Admins
//! and supervisors manage forms; every role reads them, agents included.

use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use jiff::Timestamp;
use ronda_domain::Role;
use ronda_forms::model::{
    FormDefinition, FormVersion, LangText, canonical_json, check_definition, content_hash,
};
use ronda_forms::templates::{TEMPLATES, template};
use ronda_forms::xlsform::{ImportProblem, export_xlsx, import_file};
use ronda_store::form::{FormSource, FormSummary, PublishOutcome, StoredFormVersion};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::api::parse_id;
use crate::auth::Principal;
use crate::error::{ApiError, ErrorBody, ErrorCode, InputProblem};
use crate::i18n::Locale;
use crate::state::AppState;

/// Largest form file accepted.
const MAX_FORM_BYTES: usize = 5 * 1024 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/forms", get(list_forms).post(upload_form))
        .route("/api/forms/templates", get(list_templates))
        .route("/api/forms/templates/{template}", post(install_template))
        .route("/api/forms/versions/{id}", get(get_version))
        .route("/api/forms/versions/{id}/xlsx", get(download_version))
        .route("/api/forms/{form_id}/versions", get(list_versions))
        .layer(DefaultBodyLimit::max(MAX_FORM_BYTES))
}

fn require_manage(principal: &Principal) -> Result<(), ApiError> {
    match principal.role {
        Role::Admin | Role::Supervisor => Ok(()),
        _ => Err(ApiError::forbidden()),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FormSummaryView {
    pub form_id: String,
    #[schema(value_type = Object)]
    pub title: LangText,
    pub version_count: i64,
    pub latest_version_id: Option<Uuid>,
    pub latest_version: Option<String>,
    /// Unix milliseconds.
    pub updated_at: i64,
}

impl From<FormSummary> for FormSummaryView {
    fn from(form: FormSummary) -> Self {
        Self {
            form_id: form.form_id,
            title: LangText {
                es: form.title_es,
                en: form.title_en,
            },
            version_count: form.version_count,
            latest_version_id: form.latest_version_id,
            latest_version: form.latest_version,
            updated_at: form.updated_at.as_millisecond(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FormList {
    pub forms: Vec<FormSummaryView>,
}

/// A version without its definition.
#[derive(Debug, Serialize, ToSchema)]
pub struct FormVersionMeta {
    pub id: Uuid,
    pub form_id: String,
    pub version: String,
    pub content_hash: String,
    /// `xlsform`, `json` or `template`.
    pub source: String,
    pub published_by: Option<Uuid>,
    /// Unix milliseconds.
    pub published_at: i64,
}

impl From<&StoredFormVersion> for FormVersionMeta {
    fn from(version: &StoredFormVersion) -> Self {
        Self {
            id: version.id,
            form_id: version.form_id.clone(),
            version: version.version.clone(),
            content_hash: version.content_hash.clone(),
            source: version.source.as_str().to_owned(),
            published_by: version.published_by.map(|user| user.0),
            published_at: version.published_at.as_millisecond(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FormVersionList {
    pub versions: Vec<FormVersionMeta>,
}

/// One problem of an uploaded form, with where it is and how to fix it.
#[derive(Debug, Serialize, ToSchema)]
pub struct FormProblemView {
    pub code: String,
    pub sheet: String,
    pub row: Option<usize>,
    pub column: Option<String>,
    pub message: String,
}

fn problem_view(problem: ImportProblem, locale: Locale) -> FormProblemView {
    FormProblemView {
        message: match locale {
            Locale::Es => problem.message_es,
            Locale::En => problem.message_en,
        },
        code: problem.code,
        sheet: problem.sheet,
        row: problem.row,
        column: problem.column,
    }
}

/// The outcome of an upload: its problems, or the version checked or published.
#[derive(Debug, Serialize, ToSchema)]
pub struct FormUploadReport {
    pub dry_run: bool,
    /// `problems`, `valid` (dry run), `published` or `unchanged`.
    pub status: String,
    pub problems: Vec<FormProblemView>,
    pub form_id: Option<String>,
    pub version: Option<String>,
    pub content_hash: Option<String>,
    pub question_count: usize,
    /// The stored version, once published (or already published).
    pub published: Option<FormVersionMeta>,
}

fn stored_view(version: &StoredFormVersion) -> Result<FormVersion, ApiError> {
    let definition: FormDefinition =
        serde_json::from_str(&version.definition).map_err(ApiError::internal)?;
    Ok(FormVersion {
        id: version.id.to_string(),
        form_id: version.form_id.clone(),
        version: version.version.clone(),
        content_hash: version.content_hash.clone(),
        title: definition.title.clone(),
        definition,
        published_at: version.published_at.as_millisecond(),
    })
}

/// Lists the organization's forms with their newest version.
#[utoipa::path(get, path = "/api/forms", tag = "forms",
    responses((status = 200, body = FormList), (status = 401, body = ErrorBody)))]
pub async fn list_forms(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<FormList>, ApiError> {
    let forms = state.store().forms(principal.organization_id).await?;
    Ok(Json(FormList {
        forms: forms.into_iter().map(FormSummaryView::from).collect(),
    }))
}

/// Lists the versions of one form, newest first.
#[utoipa::path(get, path = "/api/forms/{form_id}/versions", tag = "forms",
    responses((status = 200, body = FormVersionList), (status = 404, body = ErrorBody)))]
pub async fn list_versions(
    State(state): State<AppState>,
    principal: Principal,
    Path(form_id): Path<String>,
) -> Result<Json<FormVersionList>, ApiError> {
    let versions = state
        .store()
        .form_versions(principal.organization_id, &form_id)
        .await?;
    if versions.is_empty() {
        return Err(ApiError::not_found());
    }
    Ok(Json(FormVersionList {
        versions: versions.iter().map(FormVersionMeta::from).collect(),
    }))
}

/// Returns one version in the form model's JSON (spec/forms/model.md).
#[utoipa::path(get, path = "/api/forms/versions/{id}", tag = "forms",
    responses((status = 200, description = "FormVersion JSON, see spec/forms/model.md"), (status = 404, body = ErrorBody)))]
pub async fn get_version(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
) -> Result<Json<FormVersion>, ApiError> {
    let id = parse_id("id", &id)?;
    let version = state
        .store()
        .form_version(principal.organization_id, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(stored_view(&version)?))
}

/// Downloads one version as an XLSForm workbook.
#[utoipa::path(get, path = "/api/forms/versions/{id}/xlsx", tag = "forms",
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 404, body = ErrorBody)))]
pub async fn download_version(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = parse_id("id", &id)?;
    let version = state
        .store()
        .form_version(principal.organization_id, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let view = stored_view(&version)?;
    let bytes = export_xlsx(&view.definition).map_err(ApiError::internal)?;
    let file_name = format!("{}-{}.xlsx", version.form_id, version.version).replace(
        |c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')),
        "_",
    );
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

async fn read_upload(mut multipart: Multipart) -> Result<(String, Vec<u8>, bool), ApiError> {
    let malformed = |_| ApiError::new(StatusCode::BAD_REQUEST, ErrorCode::InvalidInput);
    let (mut file, mut dry_run) = (None, true);
    while let Some(field) = multipart.next_field().await.map_err(malformed)? {
        match field.name().unwrap_or_default() {
            "file" => {
                let name = field.file_name().unwrap_or("form.xlsx").to_owned();
                let bytes = field.bytes().await.map_err(|_| {
                    ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::PayloadTooLarge)
                })?;
                file = Some((name, bytes.to_vec()));
            }
            "dry_run" => {
                let text = field.text().await.map_err(malformed)?;
                dry_run = match text.trim() {
                    "" | "true" | "1" => true,
                    "false" | "0" => false,
                    _ => {
                        return Err(ApiError::invalid(
                            "dry_run",
                            InputProblem::NotOneOf("true, false"),
                        ));
                    }
                };
            }
            _ => {}
        }
    }
    let (name, bytes) = file.ok_or_else(|| ApiError::invalid("file", InputProblem::Missing))?;
    Ok((name, bytes, dry_run))
}

/// Reads an uploaded form: an XLSForm (.xlsx, .csv, .md) or a form definition (.json).
fn read_definition(name: &str, bytes: &[u8]) -> Result<FormDefinition, Vec<ImportProblem>> {
    if !name.to_ascii_lowercase().ends_with(".json") {
        return import_file(bytes, name);
    }
    let definition: FormDefinition = serde_json::from_slice(bytes).map_err(|error| {
        vec![ImportProblem {
            code: "invalid_json".into(),
            sheet: String::new(),
            row: Some(error.line()),
            column: None,
            message_es: format!("El JSON del formulario no es válido: {error}."),
            message_en: format!("The form JSON is not valid: {error}."),
        }]
    })?;
    let problems: Vec<ImportProblem> = check_definition(&definition)
        .into_iter()
        .map(|p| ImportProblem {
            code: p.code,
            sheet: p.path,
            row: None,
            column: p.column,
            message_es: p.message_es,
            message_en: p.message_en,
        })
        .collect();
    if problems.is_empty() {
        Ok(definition)
    } else {
        Err(problems)
    }
}

fn new_version(
    principal: &Principal,
    definition: &FormDefinition,
    source: FormSource,
) -> StoredFormVersion {
    StoredFormVersion {
        id: Uuid::now_v7(),
        organization_id: principal.organization_id,
        form_id: definition.form_id.clone(),
        version: definition.version.clone(),
        content_hash: content_hash(definition),
        title_es: definition.title.es.clone(),
        title_en: definition.title.en.clone(),
        definition: canonical_json(definition),
        source,
        published_by: principal.user_id,
        published_at: Timestamp::now(),
    }
}

async fn publish(
    state: &AppState,
    principal: &Principal,
    version: &StoredFormVersion,
) -> Result<(bool, StoredFormVersion), ApiError> {
    let audit = principal.audit(
        "form.published",
        "form_version",
        Some(version.id.to_string()),
        serde_json::json!({
            "form_id": version.form_id,
            "version": version.version,
            "content_hash": version.content_hash,
            "source": version.source.as_str(),
        }),
    );
    match state.store().publish_form_version(version, &audit).await? {
        PublishOutcome::Published(stored) => {
            tracing::info!(form_id = %stored.form_id, version = %stored.version, "form version published");
            Ok((true, stored))
        }
        PublishOutcome::Unchanged(stored) => Ok((false, stored)),
        PublishOutcome::VersionTaken(_) => {
            Err(ApiError::conflict(ErrorCode::FormVersionTaken, "version"))
        }
    }
}

/// Checks an uploaded form and, unless `dry_run` (the default), publishes it as a new
/// version. Parts: `file` (.xlsx, .csv, .md or .json) and `dry_run` (`true`/`false`).
/// Problems come back with sheet, row and column; without a dry run they make a 422.
#[utoipa::path(post, path = "/api/forms", tag = "forms",
    request_body(content_type = "multipart/form-data", description = "Parts: file, dry_run"),
    responses((status = 200, body = FormUploadReport), (status = 201, body = FormUploadReport),
        (status = 409, body = ErrorBody, description = "form_version_taken"),
        (status = 422, body = FormUploadReport), (status = 403, body = ErrorBody)))]
pub async fn upload_form(
    State(state): State<AppState>,
    principal: Principal,
    locale: Locale,
    multipart: Multipart,
) -> Result<(StatusCode, Json<FormUploadReport>), ApiError> {
    require_manage(&principal)?;
    let (name, bytes, dry_run) = read_upload(multipart).await?;
    let mut report = FormUploadReport {
        dry_run,
        status: "problems".into(),
        problems: Vec::new(),
        form_id: None,
        version: None,
        content_hash: None,
        question_count: 0,
        published: None,
    };
    let definition = match read_definition(&name, &bytes) {
        Ok(definition) => definition,
        Err(problems) => {
            tracing::info!(file = %name, problems = problems.len(), "form upload rejected");
            report.problems = problems
                .into_iter()
                .map(|p| problem_view(p, locale))
                .collect();
            let status = if dry_run {
                StatusCode::OK
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            return Ok((status, Json(report)));
        }
    };
    report.form_id = Some(definition.form_id.clone());
    report.version = Some(definition.version.clone());
    report.content_hash = Some(content_hash(&definition));
    report.question_count = definition.walk().len();
    if dry_run {
        report.status = "valid".into();
        return Ok((StatusCode::OK, Json(report)));
    }
    let source = if name.to_ascii_lowercase().ends_with(".json") {
        FormSource::Json
    } else {
        FormSource::Xlsform
    };
    let (created, stored) = publish(
        &state,
        &principal,
        &new_version(&principal, &definition, source),
    )
    .await?;
    report.status = if created { "published" } else { "unchanged" }.into();
    report.published = Some(FormVersionMeta::from(&stored));
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(report)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TemplateView {
    pub name: String,
    #[schema(value_type = Object)]
    pub title: LangText,
    pub version: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TemplateList {
    pub templates: Vec<TemplateView>,
}

/// Lists the forms Ronda ships.
#[utoipa::path(get, path = "/api/forms/templates", tag = "forms",
    responses((status = 200, body = TemplateList)))]
pub async fn list_templates(_principal: Principal) -> Result<Json<TemplateList>, ApiError> {
    let mut templates = Vec::new();
    for shipped in &TEMPLATES {
        let definition = shipped.definition().map_err(ApiError::internal)?;
        templates.push(TemplateView {
            name: shipped.name.to_owned(),
            title: definition.title,
            version: definition.version,
        });
    }
    Ok(Json(TemplateList { templates }))
}

/// Installs a shipped template in the organization: 201 with the new version, or 200
/// when this version of the template is already installed.
#[utoipa::path(post, path = "/api/forms/templates/{template}", tag = "forms",
    responses((status = 201, body = FormVersionMeta), (status = 200, body = FormVersionMeta),
        (status = 404, body = ErrorBody, description = "unknown_template"), (status = 403, body = ErrorBody)))]
pub async fn install_template(
    State(state): State<AppState>,
    principal: Principal,
    Path(name): Path<String>,
) -> Result<(StatusCode, Json<FormVersionMeta>), ApiError> {
    require_manage(&principal)?;
    let shipped = template(&name)
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, ErrorCode::UnknownTemplate))?;
    let definition = shipped.definition().map_err(ApiError::internal)?;
    let version = new_version(&principal, &definition, FormSource::Template);
    let (created, stored) = publish(&state, &principal, &version).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(FormVersionMeta::from(&stored))))
}
