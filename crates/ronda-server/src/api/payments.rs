//! Payments imports: a lender's file of payments (CSV or XLSX), checked row by row in a
//! dry run, then stored in one transaction only when no row has a problem. Storing the
//! payments evaluates the lender's promises to pay against them; `promises` lists them.

mod file;
pub mod promises;

use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use jiff::Timestamp;
use ronda_domain::Role;
use ronda_import::{ReadError, Table};
use ronda_store::payment::{PaymentImportCounts, PromiseOutcome};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::api::imports::ProblemView;
use crate::api::notifications::require_role;
use crate::api::parse_id;
use crate::auth::Principal;
use crate::error::{ApiError, ErrorBody, ErrorCode, InputProblem};
use crate::i18n::Locale;
use crate::state::AppState;
use file::{PaymentProblem, PaymentValidation};

/// Largest payments file accepted, in bytes.
const MAX_FILE_BYTES: usize = 32 * 1024 * 1024;
/// Problems listed in one report; the counts still cover every row.
const MAX_PROBLEMS: usize = 1000;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/payments/preview", post(preview))
        .route("/api/payments", post(import))
        .layer(DefaultBodyLimit::max(MAX_FILE_BYTES))
        .route("/api/promises", get(promises::list_promises))
}

#[derive(Default)]
struct PaymentsForm {
    file_name: Option<String>,
    file: Option<Vec<u8>>,
    sheet: Option<String>,
    lender_id: Option<String>,
}

async fn read_form(mut multipart: Multipart) -> Result<PaymentsForm, ApiError> {
    let mut form = PaymentsForm::default();
    let malformed = |_| ApiError::new(StatusCode::BAD_REQUEST, ErrorCode::InvalidInput);
    while let Some(field) = multipart.next_field().await.map_err(malformed)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            form.file_name = field.file_name().map(str::to_owned);
            let bytes = field.bytes().await.map_err(|_| {
                ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::PayloadTooLarge)
            })?;
            form.file = Some(bytes.to_vec());
            continue;
        }
        let text = field.text().await.map_err(malformed)?;
        let text = Some(text.trim().to_owned()).filter(|t| !t.is_empty());
        match name.as_str() {
            "sheet" => form.sheet = text,
            "lender_id" => form.lender_id = text,
            _ => {}
        }
    }
    Ok(form)
}

fn file_problem(es: String, en: String) -> ApiError {
    ApiError::Client {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        code: ErrorCode::UnreadableFile,
        field: Some("file".into()),
        problem: Some(InputProblem::Explained { es, en }),
    }
}

fn unreadable(error: ReadError) -> ApiError {
    tracing::info!(error = %error, "payments file rejected");
    let (es, en) = match error {
        ReadError::Empty => (
            "El archivo no tiene pagos debajo de los encabezados.".to_owned(),
            "The file has no payments below the headers.".to_owned(),
        ),
        ReadError::NotText => (
            "El archivo no es un CSV ni un Excel (.xlsx). Expórtalo como CSV o .xlsx.".to_owned(),
            "The file is neither a CSV nor an Excel workbook. Export it as CSV or .xlsx."
                .to_owned(),
        ),
        ReadError::SheetNotFound {
            requested,
            available,
        } => (
            format!(
                "No existe la hoja «{requested}». Hojas: {}.",
                available.join(", ")
            ),
            format!(
                "There is no sheet {requested:?}. Sheets: {}.",
                available.join(", ")
            ),
        ),
        other => (
            format!("No se pudo leer el archivo ({other}). Guárdalo de nuevo como CSV o .xlsx."),
            format!("The file could not be read ({other}). Save it again as CSV or .xlsx."),
        ),
    };
    file_problem(es, en)
}

/// Result of a dry run or an import of a payments file.
#[derive(Debug, Serialize, ToSchema)]
pub struct PaymentImportReport {
    pub dry_run: bool,
    /// True when the payments were stored.
    pub committed: bool,
    pub rows_read: usize,
    /// Rows without problems.
    pub valid_rows: usize,
    /// Payments stored, or that an import would store.
    pub created: u64,
    /// Payments already stored by an earlier import.
    pub duplicates: u64,
    /// Promises whose status changed, or would change, with these payments.
    pub promises_changed: u64,
    pub rejected: usize,
    pub problems: Vec<ProblemView>,
    pub problems_truncated: bool,
}

/// Outcome, against imported payments, of a promise to pay made in a visit or a
/// hand-recorded contact.
#[derive(Debug, Serialize, ToSchema)]
pub struct PromiseOutcomeView {
    /// Origin of the promise: `visit`, or the contact's channel (`phone`, `email`, `sms` or
    /// `whatsapp`).
    pub source: String,
    /// `pending`, `kept` once the account's payments from the day of the promise to
    /// `due_on` add up to the amount, or `broken` once `due_on` passed without.
    pub status: String,
    /// Local date `YYYY-MM-DD` the promise was made.
    pub created_on: String,
    /// The promised date plus the grace days, `YYYY-MM-DD`.
    pub due_on: String,
    pub amount_cents: i64,
    /// Payments counted so far inside the promise's window.
    pub paid_cents: i64,
}

impl From<PromiseOutcome> for PromiseOutcomeView {
    fn from(outcome: PromiseOutcome) -> Self {
        Self {
            source: outcome.source,
            status: outcome.status.as_str().into(),
            created_on: outcome.created_on,
            due_on: outcome.due_on,
            amount_cents: outcome.amount_cents,
            paid_cents: outcome.paid_cents,
        }
    }
}

fn problem_view(problem: &PaymentProblem, locale: Locale) -> ProblemView {
    let (message, fix) = match locale {
        Locale::Es => problem.spanish(),
        Locale::En => problem.english(),
    };
    ProblemView {
        row: problem.row,
        column: problem.column.clone(),
        value: problem.value.clone(),
        code: problem.code_name().to_owned(),
        message,
        fix,
    }
}

fn report(
    validation: &PaymentValidation,
    counts: PaymentImportCounts,
    dry_run: bool,
    committed: bool,
    locale: Locale,
) -> PaymentImportReport {
    PaymentImportReport {
        dry_run,
        committed,
        rows_read: validation.rows_read,
        valid_rows: validation.payments.len(),
        created: counts.created,
        duplicates: counts.duplicates,
        promises_changed: counts.promises_changed,
        rejected: validation.rejected_rows(),
        problems: validation
            .problems
            .iter()
            .take(MAX_PROBLEMS)
            .map(|problem| problem_view(problem, locale))
            .collect(),
        problems_truncated: validation.problems.len() > MAX_PROBLEMS,
    }
}

/// Reads the file and checks every row against the lender's accounts.
async fn validate_form(
    state: &AppState,
    principal: &Principal,
    form: &PaymentsForm,
) -> Result<(Uuid, PaymentValidation), ApiError> {
    require_role(principal, &[Role::Admin, Role::Supervisor])?;

    let lender_text = form
        .lender_id
        .as_deref()
        .ok_or_else(|| ApiError::invalid("lender_id", InputProblem::Missing))?;
    let lender_id = parse_id("lender_id", lender_text)?;
    let org = principal.organization_id;
    let known = state.store().lenders(org).await?;
    if !known.iter().any(|lender| lender.id == lender_id) {
        return Err(ApiError::invalid("lender_id", InputProblem::UnknownId));
    }

    let bytes = form
        .file
        .as_deref()
        .ok_or_else(|| ApiError::invalid("file", InputProblem::Missing))?;
    let table: Table =
        ronda_import::read_table(bytes, form.sheet.as_deref()).map_err(unreadable)?;
    let columns = file::find_columns(&table.headers).map_err(|missing| {
        file_problem(
            format!(
                "Falta la columna «{}». Encabezados del archivo: {}.",
                missing.label_es(),
                table.headers.join(", ")
            ),
            format!(
                "The {} column is missing. Headers in the file: {}.",
                missing.label_en(),
                table.headers.join(", ")
            ),
        )
    })?;

    let accounts = state.store().lender_account_ids(org, lender_id).await?;
    let today = today(state);
    let validation =
        tokio::task::spawn_blocking(move || file::validate(&table, columns, &accounts, today))
            .await
            .map_err(ApiError::internal)?;
    Ok((lender_id, validation))
}

/// Today in the server's tracking time zone, the zone of promise and payment dates.
fn today(state: &AppState) -> jiff::civil::Date {
    let zone = state.settings().tracking_time_zone.clone();
    Timestamp::now().to_zoned_datetime(zone).date()
}

/// Writes the payments (or, with `commit` false, only counts them) and their audit entry.
async fn store_payments(
    state: &AppState,
    principal: &Principal,
    form: &PaymentsForm,
    lender_id: Uuid,
    validation: &PaymentValidation,
    commit: bool,
) -> Result<PaymentImportCounts, ApiError> {
    let details = serde_json::json!({
        "file_name": form.file_name, "rows_read": validation.rows_read,
        "payments": validation.payments.len(),
    });
    let audit = principal.audit(
        "payments.imported",
        "lender",
        Some(lender_id.to_string()),
        details,
    );
    let counts = state
        .store()
        .import_payments(
            principal.organization_id,
            lender_id,
            &validation.payments,
            &today(state).to_string(),
            commit,
            &audit,
        )
        .await?;
    Ok(counts)
}

/// Checks a payments file and reports every row's problems and what an import would
/// store. Writes nothing.
#[utoipa::path(post, path = "/api/payments/preview", tag = "payments",
    request_body(content_type = "multipart/form-data", description = "Parts: file, lender_id, sheet"),
    responses((status = 200, body = PaymentImportReport), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn preview(
    State(state): State<AppState>,
    principal: Principal,
    locale: Locale,
    multipart: Multipart,
) -> Result<Json<PaymentImportReport>, ApiError> {
    let form = read_form(multipart).await?;
    let (lender_id, validation) = validate_form(&state, &principal, &form).await?;
    let counts = store_payments(&state, &principal, &form, lender_id, &validation, false).await?;
    Ok(Json(report(&validation, counts, true, false, locale)))
}

/// Stores the payments of a file in one transaction when no row has a problem, and
/// evaluates the lender's promises against them. With any problem nothing is stored, and
/// the response is 422 with the report.
#[utoipa::path(post, path = "/api/payments", tag = "payments",
    request_body(content_type = "multipart/form-data", description = "Parts: file, lender_id, sheet"),
    responses((status = 200, body = PaymentImportReport),
        (status = 422, body = PaymentImportReport, description = "Rows with problems; nothing stored"),
        (status = 403, body = ErrorBody)))]
pub async fn import(
    State(state): State<AppState>,
    principal: Principal,
    locale: Locale,
    multipart: Multipart,
) -> Result<(StatusCode, Json<PaymentImportReport>), ApiError> {
    let form = read_form(multipart).await?;
    let (lender_id, validation) = validate_form(&state, &principal, &form).await?;
    if !validation.problems.is_empty() {
        let counts = PaymentImportCounts::default();
        let body = report(&validation, counts, false, false, locale);
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, Json(body)));
    }
    let counts = store_payments(&state, &principal, &form, lender_id, &validation, true).await?;
    tracing::info!(lender.id = %lender_id, created = counts.created, duplicates = counts.duplicates,
        promises_changed = counts.promises_changed, "payments import finished");
    Ok((
        StatusCode::OK,
        Json(report(&validation, counts, false, true, locale)),
    ))
}
