//! A small HTML page for a shared report link, so anyone with the link reads the
//! report in a browser without an account. It shows the same numbers as
//! `GET /api/shared-reports/{token}`, as a table.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use super::reports_custom_export::{dimension_header, measure_header};
use super::reports_shares::load_shared;
use crate::error::ApiError;
use crate::i18n::Locale;
use crate::state::AppState;

/// Escapes text for HTML element content and attribute values.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

/// Formats a measure for people: rates as whole percents, amounts with two decimals.
fn readable(measure: &str, value: f64) -> String {
    match measure {
        "contact_rate" | "success_rate" => format!("{:.0} %", value * 100.0),
        "amount_promised" => with_thousands(&format!("{value:.2}")),
        _ => format!("{value}"),
    }
}

/// Styles of the page, inline because it loads nothing else. Numbers align right, the
/// table scrolls sideways on a phone, and the totals row is bold.
const STYLE: &str = "body{margin:0;font-family:system-ui,-apple-system,'Segoe UI',Roboto,\
sans-serif;color:#1b1f24;background:#f5f6f8;line-height:1.4}\
main{max-width:72rem;margin:0 auto;padding:1.5rem 1rem}\
.brand{margin:0;color:#0b5cad;font-weight:700;letter-spacing:.02em}\
h1{margin:.25rem 0;font-size:1.5rem}.note{margin:0 0 1rem;color:#4a5260}\
.table{overflow-x:auto;background:#fff;border:1px solid #d5d9df;border-radius:.5rem}\
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}\
th,td{padding:.5rem .75rem;border-bottom:1px solid #e4e7eb;white-space:nowrap}\
thead th{background:#eef1f5;text-align:left;font-weight:600}\
td{text-align:left}.num{text-align:right}tbody th{text-align:left;font-weight:400}\
tbody tr:last-child th,tbody tr:last-child td{font-weight:700;border-bottom:0;\
background:#f7f9fb}";

/// Inserts a comma between each group of three digits of the whole part, as amounts are
/// written in Mexico: `27950.00` becomes `27,950.00`.
fn with_thousands(number: &str) -> String {
    let (sign, unsigned) = match number.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", number),
    };
    let (whole, fraction) = unsigned.split_at(unsigned.find('.').unwrap_or(unsigned.len()));
    let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
    for (index, digit) in whole.chars().enumerate() {
        if index > 0 && (whole.len() - index) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    format!("{sign}{grouped}{fraction}")
}

fn page(locale: Locale, title: &str, body: &str) -> String {
    let lang = match locale {
        Locale::Es => "es-MX",
        Locale::En => "en",
    };
    format!(
        "<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"robots\" content=\"noindex\"><title>{}</title>\
         <style>{STYLE}</style></head><body><main>{body}</main></body></html>",
        escape(title)
    )
}

/// Shows a shared report as an HTML table, or a 404 page when the link no longer works.
pub async fn shared_report_page(
    State(state): State<AppState>,
    locale: Locale,
    Path(token): Path<String>,
) -> Response {
    let shared = match load_shared(&state, locale, &token).await {
        Ok(shared) => shared,
        Err(ApiError::Client { status, .. }) if status == StatusCode::NOT_FOUND => {
            let message = match locale {
                Locale::Es => {
                    "Este enlace no existe, expiró o fue revocado. Pide uno nuevo a quien te lo compartió."
                }
                Locale::En => {
                    "This link does not exist, has expired or was revoked. Ask whoever shared it for a new one."
                }
            };
            let body = format!("<h1>Ronda</h1><p role=\"alert\">{}</p>", escape(message));
            return (StatusCode::NOT_FOUND, Html(page(locale, "Ronda", &body))).into_response();
        }
        Err(error) => return error.into_response(),
    };

    let result = &shared.result;
    let period = match locale {
        Locale::Es => format!("Del {} al {}", result.from, result.to),
        Locale::En => format!("From {} to {}", result.from, result.to),
    };
    let read_only = match locale {
        Locale::Es => "Reporte compartido, solo lectura",
        Locale::En => "Shared report, read only",
    };
    let mut body = format!(
        "<p class=\"brand\">Ronda</p><h1>{}</h1><p class=\"note\">{} · {}</p>\
         <div class=\"table\"><table><thead><tr>",
        escape(&shared.name),
        escape(&period),
        escape(read_only)
    );
    // Without dimensions each row still starts with its label column ("Total").
    if result.dimensions.is_empty() {
        body.push_str("<th scope=\"col\"></th>");
    }
    for name in &result.dimensions {
        body.push_str(&format!(
            "<th scope=\"col\">{}</th>",
            escape(dimension_header(locale, name))
        ));
    }
    for name in &result.measures {
        body.push_str(&format!(
            "<th scope=\"col\" class=\"num\">{}</th>",
            escape(measure_header(locale, name))
        ));
    }
    body.push_str("</tr></thead><tbody>");

    let mut lines: Vec<(&[String], &serde_json::Map<String, serde_json::Value>)> = result
        .rows
        .iter()
        .map(|row| (row.labels.as_slice(), &row.values))
        .collect();
    // Without dimensions the one row is the totals, shown once as "Total".
    if result.dimensions.is_empty() {
        lines.clear();
    }
    let total = [String::from("Total")];
    lines.push((&total, &result.totals));
    for (labels, values) in lines {
        body.push_str("<tr>");
        for index in 0..result.dimensions.len().max(1) {
            let label = labels.get(index).map(String::as_str).unwrap_or_default();
            let tag = if index == 0 { "th scope=\"row\"" } else { "td" };
            let close = if index == 0 { "th" } else { "td" };
            body.push_str(&format!("<{tag}>{}</{close}>", escape(label)));
        }
        for measure in &result.measures {
            let value = values
                .get(measure)
                .and_then(serde_json::Value::as_f64)
                .unwrap_or(0.0);
            body.push_str(&format!(
                "<td class=\"num\">{}</td>",
                escape(&readable(measure, value))
            ));
        }
        body.push_str("</tr>");
    }

    body.push_str("</tbody></table></div>");
    Html(page(locale, &shared.name, &body)).into_response()
}

#[cfg(test)]
mod tests {
    use super::with_thousands;

    #[test]
    fn amounts_group_thousands() {
        assert_eq!(with_thousands("27950.00"), "27,950.00");
        assert_eq!(with_thousands("1234567.5"), "1,234,567.5");
        assert_eq!(with_thousands("950.00"), "950.00");
        assert_eq!(with_thousands("-1000.00"), "-1,000.00");
        assert_eq!(with_thousands("0.00"), "0.00");
    }
}
