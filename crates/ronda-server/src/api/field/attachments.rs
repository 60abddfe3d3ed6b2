//! Photos and signatures, uploaded apart from their visit and keyed by their SHA-256, so
//! an upload cut off halfway is simply sent again.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use ronda_domain::Permission;
use sha2::{Digest, Sha256};

use super::visit_request::{ATTACHMENT_CONTENT_TYPES, hex, parse_sha256};
use super::{agent_of, publish_events};
use crate::auth::Principal;
use crate::error::{ApiError, ErrorBody, ErrorCode, InputProblem};
use crate::state::AppState;

/// Stores a file under its SHA-256. Visits waiting only for this file become complete.
#[utoipa::path(put, path = "/api/field/attachments/{sha256}", tag = "field",
    params(("sha256" = String, Path, description = "Lower-case hex SHA-256 of the body")),
    request_body(content = Vec<u8>, content_type = "image/jpeg", description = "The file; image/jpeg, image/png or image/webp, at most 10 MiB"),
    responses((status = 201, description = "Stored"), (status = 200, description = "Already stored"),
        (status = 413, body = ErrorBody), (status = 415, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "attachment_hash_mismatch or an invalid sha256"),
        (status = 403, body = ErrorBody)))]
pub async fn put_attachment(
    State(state): State<AppState>,
    principal: Principal,
    Path(sha256): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    agent_of(&principal)?;
    let sha256 = parse_sha256("sha256", &sha256)?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .map(|value| {
            value
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .filter(|value| ATTACHMENT_CONTENT_TYPES.contains(&value.as_str()))
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                ErrorCode::UnsupportedAttachmentType,
            )
        })?;
    let actual = hex(&Sha256::digest(&body));
    if actual != sha256 {
        tracing::info!(
            attachment.sha256 = %sha256,
            attachment.actual = %actual,
            "attachment rejected: body hash differs from the path"
        );
        return Err(ApiError::Client {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: ErrorCode::AttachmentHashMismatch,
            field: Some("sha256".to_owned()),
            problem: Some(InputProblem::Explained {
                es: format!(
                    "El SHA-256 del archivo recibido es {actual}, no {sha256}. Vuelve a enviar el archivo completo."
                ),
                en: format!(
                    "The received file's SHA-256 is {actual}, not {sha256}. Send the whole file again."
                ),
            }),
        });
    }

    let outcome = state
        .store()
        .put_attachment(
            principal.organization_id,
            &sha256,
            &content_type,
            &body,
            Timestamp::now(),
        )
        .await?;
    publish_events(&state, &outcome.events);
    Ok(if outcome.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    })
}

/// Returns a stored file of the caller's organization, for supervisors and viewers.
#[utoipa::path(get, path = "/api/field/attachments/{sha256}", tag = "field",
    params(("sha256" = String, Path, description = "Lower-case hex SHA-256")),
    responses((status = 200, description = "The file with its content type"),
        (status = 404, body = ErrorBody)))]
pub async fn get_attachment(
    State(state): State<AppState>,
    principal: Principal,
    Path(sha256): Path<String>,
) -> Result<Response, ApiError> {
    principal.require(Permission::ReadOrganization)?;
    let sha256 = parse_sha256("sha256", &sha256)?;
    let attachment = state
        .store()
        .attachment(principal.organization_id, &sha256)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let content_type = HeaderValue::from_str(&attachment.content_type)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, max-age=31536000, immutable"),
            ),
        ],
        attachment.content,
    )
        .into_response())
}
