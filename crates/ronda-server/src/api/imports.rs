//! Portfolio imports: preview a file with a suggested column mapping, then a dry run
//! that reports every row's problems, then the import itself in one transaction.

use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use ronda_domain::Permission;
use std::sync::Arc;

use ronda_import::{Field, Mapping, Problem, ReadError, TableHead};
use ronda_store::portfolio::{AccountImport, AddressImport, GeoPoint, Geocode, Portfolio};
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::parse_id;
use crate::auth::Principal;
use crate::error::{ApiError, ErrorBody, ErrorCode, InputProblem};
use crate::i18n::Locale;
use crate::portfolio_import::pipeline;
use crate::portfolio_import::{ImportFailure, ImportInput, ImportOutcome};
use crate::state::AppState;

/// Largest portfolio file accepted, in bytes.
pub(crate) const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;
/// Rows shown in the preview.
const SAMPLE_ROWS: usize = 5;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/imports/preview", post(preview))
        .route("/api/imports", post(import))
        .layer(DefaultBodyLimit::max(MAX_FILE_BYTES))
}

/// The parts of an import request.
#[derive(Default)]
struct ImportForm {
    file_name: Option<String>,
    file: Option<Vec<u8>>,
    sheet: Option<String>,
    portfolio_id: Option<String>,
    mapping: Option<String>,
    dry_run: Option<String>,
    template_name: Option<String>,
}

async fn read_form(mut multipart: Multipart) -> Result<ImportForm, ApiError> {
    let mut form = ImportForm::default();
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
            "portfolio_id" => form.portfolio_id = text,
            "mapping" => form.mapping = text,
            "dry_run" => form.dry_run = text,
            "template_name" => form.template_name = text,
            _ => {}
        }
    }
    Ok(form)
}

/// Reads the file's header, which the mapping must match, without reading its rows.
fn read_head(form: &ImportForm) -> Result<TableHead, ApiError> {
    let bytes = form
        .file
        .as_deref()
        .ok_or_else(|| ApiError::invalid("file", InputProblem::Missing))?;
    ronda_import::read_rows(bytes, form.sheet.as_deref(), &mut |_| false).map_err(unreadable)
}

pub(crate) fn unreadable(error: ReadError) -> ApiError {
    let (es, en) = match &error {
        ReadError::Empty => (
            "El archivo está vacío o no tiene filas con datos debajo de los encabezados.".to_owned(),
            "The file is empty or has no data rows below the headers.".to_owned(),
        ),
        ReadError::NotText => (
            "El archivo no es un CSV ni un Excel (.xlsx). Exporta la cartera como CSV o guárdala como .xlsx.".to_owned(),
            "The file is neither a CSV nor an Excel workbook (.xlsx). Export the portfolio as CSV or save it as .xlsx.".to_owned(),
        ),
        ReadError::NoHeaders => (
            "La primera fila con datos no tiene nombres de columna. Agrega una fila de encabezados.".to_owned(),
            "The first row with data has no column names. Add a header row.".to_owned(),
        ),
        ReadError::SheetNotFound { requested, available } => (
            format!("No existe la hoja «{requested}». Hojas del archivo: {}.", available.join(", ")),
            format!("There is no sheet {requested:?}. Sheets in the file: {}.", available.join(", ")),
        ),
        ReadError::Csv { row, message } => (
            format!("No se pudo leer la fila {row} del CSV ({message}). Revisa las comillas de esa fila."),
            format!("Row {row} of the CSV could not be read ({message}). Check that row's quotes."),
        ),
        ReadError::Xlsx(message) => (
            format!("El archivo parece un Excel dañado o protegido ({message}). Ábrelo y guárdalo de nuevo como .xlsx."),
            format!("The file looks like a damaged or protected Excel file ({message}). Open it and save it again as .xlsx."),
        ),
    };
    tracing::info!(error = %error, "portfolio file rejected");
    ApiError::Client {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        code: ErrorCode::UnreadableFile,
        field: Some("file".into()),
        problem: Some(InputProblem::Explained { es, en }),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FormatView {
    /// `csv` or `xlsx`.
    pub kind: String,
    pub encoding: Option<String>,
    pub delimiter: Option<String>,
    pub sheet: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FieldOption {
    #[schema(value_type = String)]
    pub field: Field,
    pub label: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportPreview {
    pub file_name: Option<String>,
    pub format: FormatView,
    pub sheets: Vec<String>,
    pub headers: Vec<String>,
    pub header_row: usize,
    pub rows: usize,
    /// The suggested field of each column; `null` keeps the column as a custom field.
    #[schema(value_type = Vec<Option<String>>)]
    pub mapping: Vec<Option<Field>>,
    pub fields: Vec<FieldOption>,
    pub sample: Vec<Vec<String>>,
}

fn field_label(field: Field, locale: Locale) -> &'static str {
    match locale {
        Locale::Es => field.label_es(),
        Locale::En => field.label_en(),
    }
}

/// Reads a portfolio file and suggests a column mapping.
#[utoipa::path(post, path = "/api/imports/preview", tag = "portfolios",
    request_body(content_type = "multipart/form-data", description = "Parts: file, and sheet for XLSX"),
    responses((status = 200, body = ImportPreview), (status = 422, body = ErrorBody, description = "unreadable_file")))]
pub async fn preview(
    State(_state): State<AppState>,
    principal: Principal,
    locale: Locale,
    multipart: Multipart,
) -> Result<Json<ImportPreview>, ApiError> {
    principal.require(Permission::ManagePortfolios)?;
    let form = read_form(multipart).await?;
    let sheets = form
        .file
        .as_deref()
        .map(ronda_import::sheet_names)
        .transpose()
        .map_err(unreadable)?
        .unwrap_or_default();
    let file = form
        .file
        .ok_or_else(|| ApiError::invalid("file", InputProblem::Missing))?;
    let sheet = form.sheet;
    // Reading every row (to count them) is CPU work proportional to the file.
    let (head, rows, sample) = tokio::task::spawn_blocking(move || {
        let mut rows = 0;
        let mut sample: Vec<ronda_import::Row> = Vec::new();
        let head = ronda_import::read_rows(&file, sheet.as_deref(), &mut |row| {
            rows += 1;
            if sample.len() < SAMPLE_ROWS {
                sample.push(row);
            }
            true
        })?;
        Ok::<_, ReadError>((head, rows, sample))
    })
    .await
    .map_err(ApiError::internal)?
    .map_err(unreadable)?;
    let mapping = Mapping::suggest(&head.headers);
    let sample = sample
        .iter()
        .map(|row| {
            (0..head.headers.len())
                .map(|c| row.cell(c).display())
                .collect()
        })
        .collect();
    Ok(Json(ImportPreview {
        file_name: form.file_name,
        format: FormatView {
            kind: head.format.kind.to_owned(),
            encoding: head.format.encoding.map(str::to_owned),
            delimiter: head.format.delimiter.map(String::from),
            sheet: head.format.sheet.clone(),
        },
        sheets,
        headers: head.headers.clone(),
        header_row: head.header_row,
        rows,
        mapping: mapping.columns,
        fields: Field::ALL
            .into_iter()
            .map(|field| FieldOption {
                field,
                label: field_label(field, locale).to_owned(),
            })
            .collect(),
        sample,
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProblemView {
    pub row: usize,
    pub column: String,
    pub value: String,
    pub code: String,
    pub message: String,
    pub fix: String,
}

fn problem_view(problem: &Problem, locale: Locale) -> ProblemView {
    let (message, fix) = match locale {
        Locale::Es => (problem.message_es(), problem.fix_es().to_owned()),
        Locale::En => (problem.what_en(), problem.fix_en().to_owned()),
    };
    let code = serde_json::to_value(problem.code)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    ProblemView {
        row: problem.row,
        column: problem.column.clone(),
        value: problem.value.clone(),
        code,
        message,
        fix,
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportReport {
    pub dry_run: bool,
    pub rows_read: usize,
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub rejected: usize,
    pub problems: Vec<ProblemView>,
    pub problems_truncated: bool,
}

fn parse_mapping(text: Option<&str>, headers: &[String]) -> Result<Mapping, ApiError> {
    let Some(text) = text else {
        return Ok(Mapping::suggest(headers));
    };
    let columns: Vec<Option<Field>> = serde_json::from_str(text).map_err(|error| {
        ApiError::invalid("mapping", InputProblem::Malformed(error.to_string()))
    })?;
    if columns.len() != headers.len() {
        return Err(ApiError::invalid(
            "mapping",
            InputProblem::Explained {
                es: format!(
                    "El mapeo tiene {} columnas y el archivo {}. Vuelve a cargar la vista previa.",
                    columns.len(),
                    headers.len()
                ),
                en: format!(
                    "The mapping has {} columns and the file {}. Load the preview again.",
                    columns.len(),
                    headers.len()
                ),
            },
        ));
    }
    let mapping = Mapping { columns };
    if let Some(field) = mapping.duplicated_fields().first() {
        return Err(ApiError::invalid(
            "mapping",
            InputProblem::Explained {
                es: format!(
                    "«{}» está asignado a más de una columna. Déjalo en una sola.",
                    field.label_es()
                ),
                en: format!(
                    "\"{}\" is mapped to more than one column. Keep it on one.",
                    field.label_en()
                ),
            },
        ));
    }
    for required in [Field::LenderAccountId, Field::DebtorName] {
        if mapping.column_of(required).is_none() {
            return Err(ApiError::invalid(
                "mapping",
                InputProblem::Explained {
                    es: format!(
                        "Falta asignar una columna a «{}», que es obligatorio.",
                        required.label_es()
                    ),
                    en: format!(
                        "No column is mapped to \"{}\", which is required.",
                        required.label_en()
                    ),
                },
            ));
        }
    }
    Ok(mapping)
}

fn parse_dry_run(text: Option<&str>) -> Result<bool, ApiError> {
    match text {
        None | Some("true") => Ok(true),
        Some("false") => Ok(false),
        Some(_) => Err(ApiError::invalid(
            "dry_run",
            InputProblem::NotOneOf("true, false"),
        )),
    }
}

/// Converts a validated record into what the store imports. A point from the file counts
/// as a geocode with confidence 1.
pub fn account_import(record: ronda_import::AccountRecord) -> AccountImport {
    let address = record.address;
    let geocode = address.point.map(|(latitude, longitude)| Geocode {
        point: GeoPoint {
            latitude,
            longitude,
        },
        source: "file".into(),
        confidence: 1.0,
    });
    AccountImport {
        lender_account_id: record.lender_account_id,
        product: record.product,
        principal_cents: record.principal_cents,
        overdue_cents: record.overdue_cents,
        days_past_due: record
            .days_past_due
            .and_then(|days| i32::try_from(days).ok()),
        currency: record.currency,
        custom_fields: serde_json::Value::Object(record.custom_fields),
        debtor_name: record.debtor_name,
        phones: record.phones,
        emails: record.emails,
        address: AddressImport {
            street: address.street,
            exterior_number: address.exterior_number,
            interior_number: address.interior_number,
            colonia: address.colonia,
            postal_code: address.postal_code,
            locality: address.locality,
            municipality: address.municipality,
            state: address.state,
            between_streets: address.between_streets,
            landmarks: address.landmarks,
            original_text: address.original_text,
            geocode,
            time_zone: address.time_zone,
        },
    }
}

pub(crate) fn report(outcome: &ImportOutcome, dry_run: bool, locale: Locale) -> ImportReport {
    ImportReport {
        dry_run,
        rows_read: outcome.rows_read,
        created: outcome.counts.created,
        updated: outcome.counts.updated,
        unchanged: outcome.counts.unchanged,
        rejected: outcome.rejected,
        problems: outcome
            .problems
            .iter()
            .map(|p| problem_view(p, locale))
            .collect(),
        problems_truncated: outcome.problems_truncated,
    }
}

/// An import request checked and ready to run.
pub(crate) struct PreparedImport {
    pub input: ImportInput,
    pub dry_run: bool,
    pub file_name: Option<String>,
    pub template_name: Option<String>,
    pub headers: Vec<String>,
}

/// Reads and checks the parts of an import request: portfolio, dry run flag, file header
/// and mapping. Rows are read later, while the import runs.
pub(crate) async fn prepare(
    state: &AppState,
    principal: &Principal,
    multipart: Multipart,
) -> Result<PreparedImport, ApiError> {
    principal.require(Permission::ManagePortfolios)?;
    let form = read_form(multipart).await?;
    let portfolio_text = form
        .portfolio_id
        .as_deref()
        .ok_or_else(|| ApiError::invalid("portfolio_id", InputProblem::Missing))?;
    let portfolio_id = parse_id("portfolio_id", portfolio_text)?;
    let portfolio = state
        .store()
        .portfolio(principal.organization_id, portfolio_id)
        .await?
        .ok_or_else(|| ApiError::invalid("portfolio_id", InputProblem::UnknownId))?;
    let dry_run = parse_dry_run(form.dry_run.as_deref())?;
    let head = read_head(&form)?;
    let mapping = parse_mapping(form.mapping.as_deref(), &head.headers)?;
    let audit = principal.audit(
        "portfolio.imported",
        "portfolio",
        Some(portfolio.id.to_string()),
        serde_json::json!({ "file_name": form.file_name }),
    );
    Ok(PreparedImport {
        input: ImportInput {
            portfolio,
            file: Arc::new(form.file.unwrap_or_default()),
            sheet: form.sheet,
            mapping,
            commit: !dry_run,
            audit,
        },
        dry_run,
        file_name: form.file_name,
        template_name: form.template_name,
        headers: head.headers,
    })
}

/// Maps a failed import to the error its caller gets.
pub(crate) fn failure_error(failure: ImportFailure) -> ApiError {
    match failure {
        ImportFailure::Read(error) => unreadable(error),
        ImportFailure::Store(error) => error.into(),
        ImportFailure::Reader(message) => ApiError::internal(anyhow::anyhow!(message)),
    }
}

/// Saves the mapping as a template of the portfolio's lender, after a real import that
/// named one. Headers are saved with the fields, so the template applies to a file whose
/// columns move.
pub(crate) async fn save_template(
    state: &AppState,
    portfolio: &Portfolio,
    name: &str,
    mapping: &Mapping,
    headers: &[String],
) -> Result<(), ApiError> {
    let columns = serde_json::json!({ "headers": headers, "fields": mapping.columns });
    state
        .store()
        .save_import_template(
            portfolio.organization_id,
            portfolio.lender_id,
            name,
            &columns,
        )
        .await?;
    Ok(())
}

/// Validates a portfolio file and imports its valid rows into a portfolio, creating or
/// updating accounts by the lender's account id. `dry_run` (the default) writes nothing.
#[utoipa::path(post, path = "/api/imports", tag = "portfolios",
    request_body(content_type = "multipart/form-data",
        description = "Parts: file, sheet, portfolio_id, mapping (JSON array), dry_run, template_name"),
    responses((status = 200, body = ImportReport), (status = 422, body = ErrorBody)))]
pub async fn import(
    State(state): State<AppState>,
    principal: Principal,
    locale: Locale,
    multipart: Multipart,
) -> Result<Json<ImportReport>, ApiError> {
    let prepared = prepare(&state, &principal, multipart).await?;
    let PreparedImport {
        input,
        dry_run,
        template_name,
        headers,
        ..
    } = prepared;
    let portfolio = input.portfolio.clone();
    let mapping = input.mapping.clone();
    let outcome = pipeline::run(state.store_handle(), input, Arc::default())
        .await
        .map_err(failure_error)?;
    if let (false, Some(name)) = (dry_run, template_name.as_deref()) {
        save_template(&state, &portfolio, name, &mapping, &headers).await?;
    }
    tracing::info!(portfolio.id = %portfolio.id, dry_run, created = outcome.counts.created,
        updated = outcome.counts.updated, unchanged = outcome.counts.unchanged,
        rejected = outcome.rejected, "portfolio import finished");
    Ok(Json(report(&outcome, dry_run, locale)))
}
