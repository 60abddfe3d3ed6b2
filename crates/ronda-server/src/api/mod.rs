//! The JSON API under `/api`: one module per resource, each with its own routes.

pub mod accounts;
pub mod accounts_detail;
pub mod agent_profile;
pub mod assignments;
pub mod audit;
pub mod auth;
pub mod contact_attempts;
pub mod devices;
pub mod field;
pub mod forms;
pub mod funnel;
pub mod import_jobs;
pub mod imports;
pub mod invitation_email;
pub mod invitations;
pub mod lender_settings;
pub mod lenders;
pub mod live;
pub mod notifications;
pub mod organization;
pub mod organization_input;
pub mod payments;
pub mod productivity;
pub mod query_params;
pub mod reports;
pub mod reports_custom_export;
pub mod reports_definition;
pub mod reports_export;
pub mod reports_labels;
pub mod reports_query;
pub mod reports_saved;
pub mod reports_shared_page;
pub mod reports_shares;
pub mod result_codes;
pub mod smtp_settings;
pub mod today;
pub mod tokens;
pub mod tracking;
pub mod users;
pub mod views;
pub mod visits;
pub mod visits_detail;
pub mod visits_form;
pub mod visits_pin;
pub mod webhooks;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{StatusCode, header};
use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::error::{ApiError, ErrorCode, InputProblem};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(auth::router())
        .merge(users::router())
        .merge(tokens::router())
        .merge(organization::router())
        .merge(agent_profile::router())
        .merge(invitations::router())
        .merge(audit::router())
        .merge(lenders::router())
        .merge(lender_settings::router())
        .merge(imports::router())
        .merge(import_jobs::router())
        .merge(accounts::router())
        .merge(accounts_detail::router())
        .merge(assignments::router())
        .merge(devices::router())
        .merge(field::router())
        .merge(forms::router())
        .merge(tracking::router())
        .merge(notifications::router())
        .merge(reports::router())
        .merge(payments::router())
        .merge(productivity::router())
        .merge(funnel::router())
        .merge(result_codes::router())
        .merge(webhooks::router())
        .merge(live::router())
        .merge(visits::router())
        .merge(today::router())
}

/// A JSON request body. Unlike axum's `Json`, a rejected body becomes an [`ApiError`] that
/// names the offending field.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        let is_json = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                v.trim_start()
                    .to_ascii_lowercase()
                    .starts_with("application/json")
            });
        if !is_json {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                ErrorCode::UnsupportedMediaType,
            ));
        }
        let bytes = Bytes::from_request(request, state).await.map_err(|_| {
            ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::PayloadTooLarge)
        })?;
        parse_json(&bytes).map(ApiJson)
    }
}

fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        if inner.is_syntax() || inner.is_eof() || path == "." {
            let message = inner.to_string();
            if let Some(field) = named_field(&message, "missing field `")
                .or_else(|| named_field(&message, "unknown field `"))
            {
                let field = if path == "." {
                    field
                } else {
                    format!("{path}.{field}")
                };
                return ApiError::invalid(field, InputProblem::Malformed(message));
            }
            return ApiError::new(StatusCode::BAD_REQUEST, ErrorCode::InvalidJson);
        }
        ApiError::invalid(path, InputProblem::Malformed(inner.to_string()))
    })
}

/// Extracts `email` from serde's "missing field `email`" or "unknown field `email`, …"
/// message, given the part before the name.
fn named_field(message: &str, prefix: &str) -> Option<String> {
    let rest = message.strip_prefix(prefix)?;
    rest.split_once('`').map(|(field, _)| field.to_owned())
}

/// Parses an id taken from the URL path.
pub fn parse_id(field: &'static str, value: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(value).map_err(|_| ApiError::invalid(field, InputProblem::NotAnId))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Login {
        email: String,
        attempts: u8,
    }

    fn field_of(body: &str) -> Option<String> {
        match parse_json::<Login>(body.as_bytes()) {
            Err(ApiError::Client { field, .. }) => field,
            other => panic!("expected a client error, got {other:?}"),
        }
    }

    #[test]
    fn names_the_bad_field() {
        assert_eq!(
            field_of(r#"{"email": 5, "attempts": 1}"#).as_deref(),
            Some("email")
        );
        assert_eq!(
            field_of(r#"{"email": "a@b.mx"}"#).as_deref(),
            Some("attempts")
        );
        assert_eq!(
            field_of(r#"{"email": "a@b.mx", "attempts": 900}"#).as_deref(),
            Some("attempts")
        );
    }

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Strict {
        name: String,
    }

    #[test]
    fn unknown_field_is_named_in_spanish() {
        match parse_json::<Strict>(br#"{"name": "Norte", "nombre": "Sur"}"#) {
            Err(ApiError::Client {
                code,
                field,
                problem,
                ..
            }) => {
                assert_eq!(field.as_deref(), Some("nombre"));
                let message = crate::messages::error_message(
                    crate::i18n::Locale::Es,
                    code,
                    field.as_deref(),
                    problem.as_ref(),
                );
                assert!(
                    message.contains("el campo «nombre» no existe; quítalo"),
                    "{message}"
                );
            }
            other => panic!("expected a client error, got {other:?}"),
        }
    }

    #[test]
    fn syntax_error_is_invalid_json() {
        match parse_json::<Login>(b"{\"email\": ") {
            Err(ApiError::Client { code, .. }) => assert_eq!(code, ErrorCode::InvalidJson),
            other => panic!("expected invalid JSON, got {other:?}"),
        }
    }
}
