//! Downloads of a custom report, ad hoc or saved, as CSV or as an Excel workbook, laid
//! out like the best-hours export: a header row, one row per group, then the totals.

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use serde::Deserialize;
use serde_json::{Map, Value};
use utoipa::IntoParams;

use super::ApiJson;
use super::reports_definition::{ReportDefinition, check};
use super::reports_export::{ExportFormat, XLSX_TYPE, csv_field, parse_format};
use super::reports_query::{READERS, ReportResult, run, today};
use super::reports_saved::{find, stored_definition};
use crate::api::notifications::require_role;
use crate::auth::Principal;
use crate::error::{ApiError, ErrorBody};
use crate::i18n::Locale;
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
pub struct FormatQuery {
    /// `csv` or `xlsx`.
    format: Option<String>,
}

pub(crate) fn dimension_header(locale: Locale, name: &str) -> &str {
    let es = locale == Locale::Es;
    match name {
        "date" => {
            if es {
                "Fecha"
            } else {
                "Date"
            }
        }
        "hour" => {
            if es {
                "Hora"
            } else {
                "Hour"
            }
        }
        "weekday" => {
            if es {
                "Día"
            } else {
                "Weekday"
            }
        }
        "agent" => {
            if es {
                "Gestor"
            } else {
                "Agent"
            }
        }
        "lender" => {
            if es {
                "Otorgante"
            } else {
                "Lender"
            }
        }
        "portfolio" => {
            if es {
                "Cartera"
            } else {
                "Portfolio"
            }
        }
        "zone" => {
            if es {
                "Zona"
            } else {
                "Zone"
            }
        }
        "result_code" => {
            if es {
                "Resultado"
            } else {
                "Result code"
            }
        }
        "verdict" => {
            if es {
                "Veredicto"
            } else {
                "Verdict"
            }
        }
        "reason_class" => {
            if es {
                "Tipo de hallazgo"
            } else {
                "Finding class"
            }
        }
        "channel" => {
            if es {
                "Canal"
            } else {
                "Channel"
            }
        }
        other => other,
    }
}

pub(crate) fn measure_header(locale: Locale, name: &str) -> &str {
    let es = locale == Locale::Es;
    match name {
        "attempts" => {
            if es {
                "Intentos"
            } else {
                "Attempts"
            }
        }
        "contact_rate" => {
            if es {
                "Tasa de contacto"
            } else {
                "Contact rate"
            }
        }
        "success_rate" => {
            if es {
                "Tasa de éxito"
            } else {
                "Success rate"
            }
        }
        "promises" => {
            if es {
                "Promesas"
            } else {
                "Promises"
            }
        }
        "amount_promised" => {
            if es {
                "Monto prometido (MXN)"
            } else {
                "Amount promised (MXN)"
            }
        }
        other => other,
    }
}

fn headers(locale: Locale, result: &ReportResult) -> Vec<String> {
    let dimensions = result
        .dimensions
        .iter()
        .map(|name| dimension_header(locale, name));
    let measures = result
        .measures
        .iter()
        .map(|name| measure_header(locale, name));
    dimensions.chain(measures).map(str::to_owned).collect()
}

fn number(values: &Map<String, Value>, measure: &str) -> f64 {
    values.get(measure).and_then(Value::as_f64).unwrap_or(0.0)
}

/// First cell of the totals row. The word is the same in Spanish and English.
const TOTAL: &str = "Total";

fn format_measure(measure: &str, value: f64) -> String {
    match measure {
        "contact_rate" | "success_rate" => format!("{value:.4}"),
        "amount_promised" => format!("{value:.2}"),
        _ => format!("{value}"),
    }
}

fn csv(locale: Locale, result: &ReportResult) -> Vec<u8> {
    // The byte order mark lets Excel open the UTF-8 file with its accents intact.
    let mut text = String::from("\u{feff}");
    let mut push_row = |fields: Vec<String>| {
        let quoted: Vec<String> = fields.iter().map(|field| csv_field(field)).collect();
        text.push_str(&quoted.join(","));
        text.push_str("\r\n");
    };
    push_row(headers(locale, result));
    let mut rows: Vec<(Vec<String>, &Map<String, Value>)> = result
        .rows
        .iter()
        .map(|row| (row.labels.clone(), &row.values))
        .collect();
    let mut total = vec![String::new(); result.dimensions.len()];
    if let Some(first) = total.first_mut() {
        *first = TOTAL.to_owned();
    }
    rows.push((total, &result.totals));
    for (labels, values) in rows {
        let mut fields = labels;
        for measure in &result.measures {
            fields.push(format_measure(measure, number(values, measure)));
        }
        push_row(fields);
    }
    text.into_bytes()
}

fn xlsx(locale: Locale, name: &str, result: &ReportResult) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(match locale {
        Locale::Es => "Reporte",
        Locale::En => "Report",
    })?;
    let bold = Format::new().set_bold();
    let percent = Format::new().set_num_format("0%");
    let money = Format::new().set_num_format("#,##0.00");
    let period = match locale {
        Locale::Es => format!("{name}: del {} al {}", result.from, result.to),
        Locale::En => format!("{name}: from {} to {}", result.from, result.to),
    };
    sheet.write_string_with_format(0, 0, &period, &bold)?;

    for (column, header) in (0u16..).zip(headers(locale, result)) {
        sheet.write_string_with_format(1, column, &header, &bold)?;
    }

    let last = 2 + u32::try_from(result.rows.len()).unwrap_or(u32::MAX - 3);
    let mut lines: Vec<(u32, Vec<String>, &Map<String, Value>)> = (2u32..)
        .zip(&result.rows)
        .map(|(row, group)| (row, group.labels.clone(), &group.values))
        .collect();
    lines.push((last, vec![TOTAL.to_owned()], &result.totals));

    let first_measure = u16::try_from(result.dimensions.len()).unwrap_or(0);
    for (row, labels, values) in lines {
        for (column, label) in (0u16..).zip(&labels) {
            sheet.write_string(row, column, label)?;
        }
        for (column, measure) in (first_measure..).zip(&result.measures) {
            let value = number(values, measure);
            match measure.as_str() {
                "contact_rate" | "success_rate" => {
                    sheet.write_number_with_format(row, column, value, &percent)?
                }
                "amount_promised" => sheet.write_number_with_format(row, column, value, &money)?,
                _ => sheet.write_number(row, column, value)?,
            };
        }
    }

    sheet.autofit();
    workbook.save_to_buffer()
}

fn download(
    locale: Locale,
    format: ExportFormat,
    name: &str,
    result: &ReportResult,
) -> Result<Response, ApiError> {
    let base = format!("reporte-{}-{}", result.from, result.to);
    let (content_type, file_name, bytes) = match format {
        ExportFormat::Csv => (
            "text/csv; charset=utf-8",
            format!("{base}.csv"),
            csv(locale, result),
        ),
        ExportFormat::Xlsx => {
            let bytes = xlsx(locale, name, result).map_err(ApiError::internal)?;
            (XLSX_TYPE, format!("{base}.xlsx"), bytes)
        }
    };
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// Downloads an ad-hoc report.
#[utoipa::path(post, path = "/api/reports/query/export", tag = "reports",
    params(FormatQuery), request_body = ReportDefinition,
    responses((status = 200, description = "text/csv or an .xlsx workbook"),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn export_query(
    State(state): State<AppState>,
    principal: Principal,
    locale: Locale,
    Query(query): Query<FormatQuery>,
    ApiJson(definition): ApiJson<ReportDefinition>,
) -> Result<Response, ApiError> {
    require_role(&principal, &READERS)?;
    let format = parse_format(query.format.as_deref())?;
    let checked = check(&definition, today(&state))?;
    let result = run(&state, principal.organization_id, locale, &checked).await?;
    let name = match locale {
        Locale::Es => "Reporte",
        Locale::En => "Report",
    };
    download(locale, format, name, &result)
}

/// Downloads a saved report.
#[utoipa::path(get, path = "/api/reports/saved/{id}/export", tag = "reports",
    params(("id" = uuid::Uuid, Path), FormatQuery),
    responses((status = 200, description = "text/csv or an .xlsx workbook"),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn export_saved(
    State(state): State<AppState>,
    principal: Principal,
    locale: Locale,
    Path(id): Path<String>,
    Query(query): Query<FormatQuery>,
) -> Result<Response, ApiError> {
    require_role(&principal, &READERS)?;
    let format = parse_format(query.format.as_deref())?;
    let report = find(&state, &principal, &id).await?;
    let checked = check(&stored_definition(&report.definition)?, today(&state))?;
    let result = run(&state, principal.organization_id, locale, &checked).await?;
    download(locale, format, &report.name, &result)
}
