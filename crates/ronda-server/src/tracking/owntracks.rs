//! `POST /tracking/owntracks`, for OwnTracks in HTTP mode. HTTP Basic authentication
//! carries the user, with the device secret as password. The `X-Limit-D` header carries
//! the device name, and the device identifier is `user/device`. Every accepted request
//! gets `[]`, the empty list of messages for the phone.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use jiff::Timestamp;
use ronda_domain::tracking::OwnTracksMessage;
use ronda_domain::tracking::owntracks::parse;
use ronda_store::tracking::DeviceKind;
use serde_json::Value;

use super::{authenticate, parse_error, store_report, unidentified};
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;

/// Header in which OwnTracks sends its device name.
const DEVICE_HEADER: &str = "x-limit-d";

/// Stores an OwnTracks message in HTTP mode. Location messages become positions, and
/// other message types are accepted and ignored.
#[utoipa::path(post, path = "/tracking/owntracks", tag = "tracking-ingest",
    params(("X-Limit-D" = Option<String>, Header,
        description = "Device name. Without it, the last part of the message's `topic`")),
    request_body(content = Object, content_type = "application/json",
        description = "An OwnTracks message, such as `{\"_type\": \"location\", \"lat\": ..., \"lon\": ..., \"tst\": ...}`"),
    security(("owntracks_basic" = [])),
    responses((status = 200, body = Vec<Object>, description = "Stored: an empty list of messages for the phone"),
        (status = 400, body = ErrorBody, description = "A field is missing or invalid; `field` names it"),
        (status = 401, body = ErrorBody,
            description = "Missing Basic credentials or device name, unknown device, wrong or revoked secret"),
        (status = 413, body = ErrorBody, description = "Message over 64 KiB"),
        (status = 429, body = ErrorBody,
            description = "The device sent more than `tracking.max_messages_per_minute` \
                messages (120 by default) in the last minute. Retry-After says when to retry")))]
pub async fn ingest(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Vec<Value>>, ApiError> {
    let received_at = Timestamp::now();
    let Some((user, password)) = basic_credentials(&headers) else {
        tracing::info!("OwnTracks message without Basic credentials");
        return Err(unidentified(
            "Authorization",
            "Faltan el usuario y la contraseña. En los ajustes de conexión de OwnTracks, \
             escribe el usuario y la contraseña que mostró la consola.",
            "The user and password are missing. In OwnTracks' connection settings, enter the \
             user and password the console showed.",
        ));
    };
    let raw: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let Some(device_name) = device_name(&headers, &raw) else {
        tracing::info!(owntracks.user = %user, "OwnTracks message without a device name");
        return Err(unidentified(
            "X-Limit-D",
            "Falta el nombre del dispositivo: OwnTracks lo envía en la cabecera X-Limit-D o en \
             el campo topic. En los ajustes de conexión de OwnTracks, escribe el ID de \
             dispositivo (Device ID) que mostró la consola.",
            "The device name is missing: OwnTracks sends it in the X-Limit-D header or the \
             topic field. In OwnTracks' connection settings, enter the Device ID the console \
             showed.",
        ));
    };
    let identifier = format!("{user}/{device_name}");

    let message = parse(&body, &identifier).map_err(parse_error)?;
    let device = authenticate(&state, DeviceKind::Owntracks, &identifier, Some(&password)).await?;
    match message {
        OwnTracksMessage::Location(report) => {
            store_report(&state, &device, &report, received_at, raw).await?;
        }
        OwnTracksMessage::Other { message_type } => {
            tracing::debug!(%message_type, device.id = %device.id, "OwnTracks message ignored");
        }
    }
    Ok(Json(Vec::new()))
}

/// Returns the user and password of an `Authorization: Basic` header.
fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = STANDARD.decode(encoded.trim()).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (user, password) = text.split_once(':')?;
    Some((user.to_owned(), password.to_owned()))
}

/// Returns the device name from the `X-Limit-D` header, or else from the last part of the
/// `owntracks/user/device` topic in the body, which some versions send instead.
fn device_name(headers: &HeaderMap, body: &Value) -> Option<String> {
    let from_header = headers
        .get(DEVICE_HEADER)
        .and_then(|value| value.to_str().ok())
        .map(str::trim)
        .filter(|name| !name.is_empty());
    if let Some(name) = from_header {
        return Some(name.to_owned());
    }
    let topic = body.get("topic")?.as_str()?;
    let mut parts = topic.split('/');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(_), Some(_), Some(device), None) if !device.is_empty() => Some(device.to_owned()),
        _ => None,
    }
}
