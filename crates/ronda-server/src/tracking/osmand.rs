//! `GET|POST /tracking/osmand/{secret}` and `/tracking/osmand` with the secret in the
//! `X-Ronda-Device-Secret` header. The message is a query string, a form body, or the
//! JSON body of Traccar Client 9. A stored message gets 200 with an empty body.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use jiff::Timestamp;
use ronda_domain::tracking::osmand::{parse_form, parse_json, parse_query};
use ronda_domain::tracking::{ParseError, PositionReport};
use ronda_store::tracking::DeviceKind;
use serde_json::{Value, json};

use super::{SECRET_HEADER, authenticate, parse_error, store_report, unidentified};
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;

/// Stores one OsmAnd position message (Traccar Client), with the device's secret in the
/// path. The fields travel in the query string, a form body, or Traccar Client 9's JSON
/// body. Speed is in knots in the query and form, in m/s in JSON.
#[utoipa::path(method(get, post), path = "/tracking/osmand/{secret}", tag = "tracking-ingest",
    params(("secret" = String, Path, description = "The device's secret, shown once at registration"),
        ("id" = String, Query, description = "Device identifier (also `deviceid`)"),
        ("timestamp" = Option<String>, Query,
            description = "Seconds, milliseconds, ISO 8601 or `yyyy-MM-dd HH:mm:ss`"),
        ("lat" = Option<f64>, Query), ("lon" = Option<f64>, Query),
        ("speed" = Option<f64>, Query, description = "Knots"),
        ("bearing" = Option<f64>, Query), ("altitude" = Option<f64>, Query),
        ("accuracy" = Option<f64>, Query, description = "Metres"),
        ("batt" = Option<f64>, Query, description = "Battery percentage"),
        ("charge" = Option<bool>, Query), ("mock" = Option<bool>, Query)),
    request_body(content(
        (Option<String> = "application/x-www-form-urlencoded"),
        (Option<Object> = "application/json")),
        description = "Optional: the same fields as a form, or Traccar Client 9's JSON"),
    security(()),
    responses((status = 200, description = "Stored, accepted or flagged. Empty body"),
        (status = 400, body = ErrorBody, description = "A field is missing or invalid; `field` names it"),
        (status = 401, body = ErrorBody,
            description = "Missing secret, unknown device, wrong or revoked secret"),
        (status = 413, body = ErrorBody, description = "Message over 64 KiB"),
        (status = 429, body = ErrorBody,
            description = "The device sent more than `tracking.max_messages_per_minute` \
                messages (120 by default) in the last minute. Retry-After says when to retry")))]
pub async fn ingest_with_path(
    State(state): State<AppState>,
    Path(secret): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    ingest(&state, Some(&secret), &uri, &headers, &body).await
}

/// Stores one OsmAnd position message, with the device's secret in the
/// `X-Ronda-Device-Secret` header. Same fields and responses as the path form.
#[utoipa::path(method(get, post), path = "/tracking/osmand", tag = "tracking-ingest",
    params(("X-Ronda-Device-Secret" = String, Header, description = "The device's secret"),
        ("id" = String, Query, description = "Device identifier (also `deviceid`)")),
    request_body(content(
        (Option<String> = "application/x-www-form-urlencoded"),
        (Option<Object> = "application/json")),
        description = "Optional: the fields as a form, or Traccar Client 9's JSON"),
    security(()),
    responses((status = 200, description = "Stored, accepted or flagged. Empty body"),
        (status = 400, body = ErrorBody, description = "A field is missing or invalid; `field` names it"),
        (status = 401, body = ErrorBody,
            description = "Missing secret, unknown device, wrong or revoked secret"),
        (status = 413, body = ErrorBody, description = "Message over 64 KiB"),
        (status = 429, body = ErrorBody,
            description = "The device sent more than `tracking.max_messages_per_minute` \
                messages (120 by default) in the last minute. Retry-After says when to retry")))]
pub async fn ingest_with_header(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    let secret = headers
        .get(SECRET_HEADER)
        .and_then(|value| value.to_str().ok())
        .map(str::trim);
    ingest(&state, secret, &uri, &headers, &body).await
}

async fn ingest(
    state: &AppState,
    secret: Option<&str>,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<StatusCode, ApiError> {
    let received_at = Timestamp::now();
    let Some(secret) = secret.filter(|secret| !secret.is_empty()) else {
        tracing::info!(path = uri.path(), "OsmAnd message without a device secret");
        return Err(missing_secret());
    };
    let (report, raw) =
        parse_message(uri.query(), headers, body, received_at).map_err(parse_error)?;
    let device = authenticate(state, DeviceKind::Osmand, &report.device_id, Some(secret)).await?;
    store_report(state, &device, &report, received_at, raw).await?;
    Ok(StatusCode::OK)
}

/// Returns the 401 for a message that carries no secret, as when Traccar Client has only
/// the server's address and port as its URL.
fn missing_secret() -> ApiError {
    unidentified(
        "secret",
        "Falta el secreto del dispositivo. En Traccar Client, usa como URL del servidor la que \
         mostró la consola al registrar el dispositivo: termina en /tracking/osmand/ seguido \
         del secreto. Otra opción es enviar el secreto en la cabecera X-Ronda-Device-Secret.",
        "The device secret is missing. In Traccar Client, use as server URL the one the \
         console showed when the device was registered: it ends in /tracking/osmand/ followed \
         by the secret. Or send the secret in the X-Ronda-Device-Secret header.",
    )
}

/// Parses the message from the body when there is one, or else from the query string,
/// and returns it with the raw message to store.
fn parse_message(
    query: Option<&str>,
    headers: &HeaderMap,
    body: &[u8],
    received_at: Timestamp,
) -> Result<(PositionReport, Value), ParseError> {
    if body.trim_ascii().is_empty() {
        let query = query.unwrap_or("");
        return Ok((parse_query(query, received_at)?, json!({ "query": query })));
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    // Traccar Client 9 sends application/json. A body without a content type is taken
    // as JSON when it looks like a JSON object.
    let is_json = content_type.starts_with("application/json")
        || (content_type.is_empty() && body.trim_ascii_start().starts_with(b"{"));
    if is_json {
        let report = parse_json(body, received_at)?;
        // parse_json accepted the body, so it is valid JSON.
        let raw = serde_json::from_slice(body).unwrap_or(Value::Null);
        return Ok((report, raw));
    }
    let report = parse_form(body, received_at)?;
    let raw = json!({ "form": String::from_utf8_lossy(body) });
    Ok((report, raw))
}
