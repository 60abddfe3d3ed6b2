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
        "amount_promised" => format!("{value:.2}"),
        _ => format!("{value}"),
    }
}

fn page(locale: Locale, title: &str, body: &str) -> String {
    let lang = match locale {
        Locale::Es => "es-MX",
        Locale::En => "en",
    };
    format!(
        "<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"robots\" content=\"noindex\"><title>{}</title></head>\
         <body><main>{body}</main></body></html>",
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
    let mut body = format!(
        "<h1>{}</h1><p>{}</p><table><thead><tr>",
        escape(&shared.name),
        escape(&period)
    );
    for name in &result.dimensions {
        body.push_str(&format!(
            "<th scope=\"col\">{}</th>",
            escape(dimension_header(locale, name))
        ));
    }
    for name in &result.measures {
        body.push_str(&format!(
            "<th scope=\"col\">{}</th>",
            escape(measure_header(locale, name))
        ));
    }
    body.push_str("</tr></thead><tbody>");

    let mut lines: Vec<(&[String], &serde_json::Map<String, serde_json::Value>)> = result
        .rows
        .iter()
        .map(|row| (row.labels.as_slice(), &row.values))
        .collect();
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
            body.push_str(&format!("<td>{}</td>", escape(&readable(measure, value))));
        }
        body.push_str("</tr>");
    }

    body.push_str("</tbody></table>");
    Html(page(locale, &shared.name, &body)).into_response()
}
