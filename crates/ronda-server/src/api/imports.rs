//! Portfolio imports: preview a file with a suggested column mapping, then a dry run
//! that reports every row's problems, then the import itself in one transaction.

use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use ronda_domain::Permission;
use ronda_import::{Field, Mapping, Problem, ReadError, Table, Validation};
use ronda_store::portfolio::{AccountImport, AddressImport, GeoPoint, Geocode, ImportCounts};
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::parse_id;
use crate::auth::Principal;
use crate::error::{ApiError, ErrorBody, ErrorCode, InputProblem};
use crate::i18n::Locale;
use crate::state::AppState;

/// Largest portfolio file accepted, in bytes.
const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;
/// Problems listed in one report; the counts still cover every row.
const MAX_PROBLEMS: usize = 1000;
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

fn read_table(form: &ImportForm) -> Result<Table, ApiError> {
    let bytes = form
        .file
        .as_deref()
        .ok_or_else(|| ApiError::invalid("file", InputProblem::Missing))?;
    ronda_import::read_table(bytes, form.sheet.as_deref()).map_err(unreadable)
}

fn unreadable(error: ReadError) -> ApiError {
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
    let table = read_table(&form)?;
    let sheets = form
        .file
        .as_deref()
        .map(ronda_import::sheet_names)
        .transpose()
        .map_err(unreadable)?
        .unwrap_or_default();
    let mapping = Mapping::suggest(&table.headers);
    let sample = table
        .rows
        .iter()
        .take(SAMPLE_ROWS)
        .map(|row| {
            (0..table.headers.len())
                .map(|c| row.cell(c).display())
                .collect()
        })
        .collect();
    Ok(Json(ImportPreview {
        file_name: form.file_name,
        format: FormatView {
            kind: table.format.kind.to_owned(),
            encoding: table.format.encoding.map(str::to_owned),
            delimiter: table.format.delimiter.map(String::from),
            sheet: table.format.sheet.clone(),
        },
        sheets,
        headers: table.headers.clone(),
        header_row: table.header_row,
        rows: table.rows.len(),
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

fn parse_mapping(text: Option<&str>, table: &Table) -> Result<Mapping, ApiError> {
    let Some(text) = text else {
        return Ok(Mapping::suggest(&table.headers));
    };
    let columns: Vec<Option<Field>> = serde_json::from_str(text).map_err(|error| {
        ApiError::invalid("mapping", InputProblem::Malformed(error.to_string()))
    })?;
    if columns.len() != table.headers.len() {
        return Err(ApiError::invalid(
            "mapping",
            InputProblem::Explained {
                es: format!(
                    "El mapeo tiene {} columnas y el archivo {}. Vuelve a cargar la vista previa.",
                    columns.len(),
                    table.headers.len()
                ),
                en: format!(
                    "The mapping has {} columns and the file {}. Load the preview again.",
                    columns.len(),
                    table.headers.len()
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

fn report(
    validation: &Validation,
    counts: ImportCounts,
    dry_run: bool,
    locale: Locale,
) -> ImportReport {
    ImportReport {
        dry_run,
        rows_read: validation.rows_read,
        created: counts.created,
        updated: counts.updated,
        unchanged: counts.unchanged,
        rejected: validation.rejected_rows(),
        problems: validation
            .problems
            .iter()
            .take(MAX_PROBLEMS)
            .map(|p| problem_view(p, locale))
            .collect(),
        problems_truncated: validation.problems.len() > MAX_PROBLEMS,
    }
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
    let table = read_table(&form)?;
    let mapping = parse_mapping(form.mapping.as_deref(), &table)?;
    let headers = table.headers.clone();

    // Validation is CPU work proportional to the file, so it leaves the async executor.
    let (validation, mapping) =
        tokio::task::spawn_blocking(move || (ronda_import::validate(&table, &mapping), mapping))
            .await
            .map_err(ApiError::internal)?;
    let accounts: Vec<AccountImport> = validation
        .accounts
        .iter()
        .cloned()
        .map(account_import)
        .collect();
    let details = serde_json::json!({
        "file_name": form.file_name, "rows_read": validation.rows_read, "rejected": validation.rejected_rows(),
    });
    let audit = principal.audit(
        "portfolio.imported",
        "portfolio",
        Some(portfolio.id.to_string()),
        details,
    );
    let counts = state
        .store()
        .import_accounts(&portfolio, &accounts, !dry_run, &audit)
        .await?;

    if let (false, Some(name)) = (dry_run, form.template_name.as_deref()) {
        // Headers are saved with the fields, so the template applies to a file whose
        // columns come in another order.
        let columns = serde_json::json!({ "headers": headers, "fields": mapping.columns });
        state
            .store()
            .save_import_template(
                principal.organization_id,
                portfolio.lender_id,
                name,
                &columns,
            )
            .await?;
    }
    tracing::info!(portfolio.id = %portfolio.id, dry_run, created = counts.created, updated = counts.updated,
        unchanged = counts.unchanged, rejected = validation.rejected_rows(), "portfolio import finished");
    Ok(Json(report(&validation, counts, dry_run, locale)))
}
