//! Downloads of a report as CSV or as an Excel workbook, with the same numbers the
//! console shows and headers in the caller's language.

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use ronda_store::report::HourCell;
use rust_xlsxwriter::{Format, Workbook};
use serde::Deserialize;
use utoipa::IntoParams;

use super::reports::{ReportQuery, load_contact_hours, rate};
use crate::auth::Principal;
use crate::error::{ApiError, ErrorBody, InputProblem};
use crate::i18n::Locale;
use crate::state::AppState;

pub(crate) const XLSX_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

#[derive(Debug, Deserialize, IntoParams)]
pub struct ExportQuery {
    /// `csv` or `xlsx`.
    format: Option<String>,
    from: Option<String>,
    to: Option<String>,
    lender_id: Option<String>,
    portfolio_id: Option<String>,
    agent_id: Option<String>,
    /// `visit`, `phone`, `email`, `sms` or `whatsapp`; every channel when absent.
    channel: Option<String>,
    /// Addresses' `state|municipality`; every zone when absent.
    zone: Option<String>,
}

pub(crate) enum ExportFormat {
    Csv,
    Xlsx,
}

fn headers(locale: Locale) -> [&'static str; 9] {
    match locale {
        Locale::Es => [
            "Día",
            "Hora",
            "Intentos",
            "Contacto con el titular",
            "Éxitos",
            "Tasa de contacto",
            "Tasa de éxito",
            "Promesas",
            "Monto prometido (MXN)",
        ],
        Locale::En => [
            "Weekday",
            "Hour",
            "Attempts",
            "Right-party contacts",
            "Successes",
            "Contact rate",
            "Success rate",
            "Promises",
            "Amount promised (MXN)",
        ],
    }
}

pub(crate) fn weekday(locale: Locale, iso: i8) -> &'static str {
    const ES: [&str; 7] = [
        "Lunes",
        "Martes",
        "Miércoles",
        "Jueves",
        "Viernes",
        "Sábado",
        "Domingo",
    ];
    const EN: [&str; 7] = [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ];
    let index = usize::try_from(iso.clamp(1, 7) - 1).unwrap_or(0);
    match locale {
        Locale::Es => ES[index],
        Locale::En => EN[index],
    }
}

pub(crate) fn hours(hour: i8) -> String {
    format!("{hour:02}:00–{:02}:00", (hour + 1) % 24)
}

fn pesos(cents: i64) -> f64 {
    cents as f64 / 100.0
}

/// Quotes a CSV field when it holds a separator, a quote or a line break.
pub(crate) fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

fn csv(locale: Locale, cells: &[HourCell]) -> Vec<u8> {
    // The byte order mark lets Excel open the UTF-8 file with its accents intact.
    let mut text = String::from("\u{feff}");
    text.push_str(&headers(locale).map(csv_field).join(","));
    text.push_str("\r\n");
    for cell in cells {
        let row = [
            weekday(locale, cell.weekday).to_owned(),
            hours(cell.hour),
            cell.attempts.to_string(),
            cell.right_party.to_string(),
            cell.successes.to_string(),
            format!("{:.4}", rate(cell.right_party, cell.attempts)),
            format!("{:.4}", rate(cell.successes, cell.attempts)),
            cell.promises.to_string(),
            format!("{:.2}", pesos(cell.promised_cents)),
        ];
        text.push_str(&row.map(|field| csv_field(&field)).join(","));
        text.push_str("\r\n");
    }
    text.into_bytes()
}

fn xlsx(
    locale: Locale,
    period: &str,
    cells: &[HourCell],
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    let title = match locale {
        Locale::Es => "Mejores horarios",
        Locale::En => "Best hours",
    };
    sheet.set_name(title)?;
    let bold = Format::new().set_bold();
    let percent = Format::new().set_num_format("0%");
    let money = Format::new().set_num_format("#,##0.00");
    sheet.write_string_with_format(0, 0, period, &bold)?;
    for (column, header) in (0u16..).zip(headers(locale)) {
        sheet.write_string_with_format(1, column, header, &bold)?;
    }
    for (row, cell) in (2u32..).zip(cells) {
        sheet.write_string(row, 0, weekday(locale, cell.weekday))?;
        sheet.write_string(row, 1, hours(cell.hour))?;
        sheet.write_number(row, 2, cell.attempts as f64)?;
        sheet.write_number(row, 3, cell.right_party as f64)?;
        sheet.write_number(row, 4, cell.successes as f64)?;
        sheet.write_number_with_format(row, 5, rate(cell.right_party, cell.attempts), &percent)?;
        sheet.write_number_with_format(row, 6, rate(cell.successes, cell.attempts), &percent)?;
        sheet.write_number(row, 7, cell.promises as f64)?;
        sheet.write_number_with_format(row, 8, pesos(cell.promised_cents), &money)?;
    }
    sheet.autofit();
    workbook.save_to_buffer()
}

pub(crate) fn parse_format(value: Option<&str>) -> Result<ExportFormat, ApiError> {
    match value
        .map(|text| text.trim().to_ascii_lowercase())
        .as_deref()
    {
        Some("csv") => Ok(ExportFormat::Csv),
        Some("xlsx") => Ok(ExportFormat::Xlsx),
        _ => Err(ApiError::invalid(
            "format",
            InputProblem::NotOneOf("csv, xlsx"),
        )),
    }
}

/// Downloads the best contact hours report, one row per weekday and hour with attempts.
#[utoipa::path(get, path = "/api/reports/contact-hours/export", tag = "reports",
    params(ExportQuery),
    responses((status = 200, description = "text/csv or an .xlsx workbook"),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn export_contact_hours(
    State(state): State<AppState>,
    principal: Principal,
    locale: Locale,
    Query(query): Query<ExportQuery>,
) -> Result<Response, ApiError> {
    let format = parse_format(query.format.as_deref())?;
    let report_query = ReportQuery {
        from: query.from,
        to: query.to,
        lender_id: query.lender_id,
        portfolio_id: query.portfolio_id,
        agent_id: query.agent_id,
        channel: query.channel,
        zone: query.zone,
    };
    let (filter, cells) = load_contact_hours(&state, &principal, &report_query).await?;
    let base = format!("horarios-{}-{}", filter.from, filter.to);
    let (content_type, file_name, bytes) = match format {
        ExportFormat::Csv => (
            "text/csv; charset=utf-8",
            format!("{base}.csv"),
            csv(locale, &cells),
        ),
        ExportFormat::Xlsx => {
            let period = match locale {
                Locale::Es => format!("Del {} al {}", filter.from, filter.to),
                Locale::En => format!("From {} to {}", filter.from, filter.to),
            };
            let bytes = xlsx(locale, &period, &cells).map_err(ApiError::internal)?;
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
