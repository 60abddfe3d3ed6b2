//! The one error type at the HTTP edge. Every failure leaves the server as
//! `{"code", "message", "field"}`. Client errors explain the fix in the request's
//! language. Server errors are opaque to the client and logged with their cause.

use axum::Json;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use ronda_domain::{InputError, user::InputReason};
use ronda_store::{Constraint, StoreError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::i18n::Locale;
use crate::messages;

/// Stable, machine-readable error codes. Clients branch on these, never on messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    InvalidInput,
    InvalidJson,
    UnsupportedMediaType,
    InvalidCredentials,
    RateLimited,
    Unauthenticated,
    Forbidden,
    CsrfFailed,
    NotFound,
    MethodNotAllowed,
    PayloadTooLarge,
    EmailTaken,
    OrganizationNameTaken,
    CannotDeactivateSelf,
    LenderNameTaken,
    PortfolioNameTaken,
    NotAnAgent,
    OverCapacity,
    DeviceIdentifierTaken,
    InvalidDeviceCredentials,
    UnreadableFile,
    AssignmentConflict,
    NotReady,
    SmtpNotConfigured,
    SmtpFailed,
    DeliveryNotFailed,
    // Field app.
    VisitConflict,
    ShiftConflict,
    AttachmentHashMismatch,
    UnsupportedAttachmentType,
    // Visit review.
    PinCorrectionDecided,
    NoPinCorrection,
    // Forms.
    FormVersionTaken,
    UnknownTemplate,
    Internal,
}

/// The problem with one input value, kept until the message is localized.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InputProblem {
    Rule(InputReason),
    /// The value is not one of the listed choices.
    NotOneOf(&'static str),
    /// The JSON body could not be read; the text is serde's description.
    Malformed(String),
    /// The value must be a whole number between the bounds.
    OutOfRange {
        min: i64,
        max: i64,
    },
    /// The value must be an identifier (UUID).
    NotAnId,
    /// The id is well formed but names nothing in the caller's organization.
    UnknownId,
    /// A required part of the request is missing.
    Missing,
    /// A problem described by the caller in both languages.
    Explained {
        es: String,
        en: String,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{code:?} on field {field:?}")]
    Client {
        status: StatusCode,
        code: ErrorCode,
        field: Option<String>,
        problem: Option<InputProblem>,
    },
    #[error("rate limited for {retry_after_secs} s")]
    RateLimited {
        retry_after_secs: u64,
        /// An explanation of the limit, for limits that the general wording about attempts
        /// does not fit.
        problem: Option<InputProblem>,
    },
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

impl ApiError {
    pub fn new(status: StatusCode, code: ErrorCode) -> Self {
        ApiError::Client {
            status,
            code,
            field: None,
            problem: None,
        }
    }

    pub fn invalid(field: impl Into<String>, problem: InputProblem) -> Self {
        ApiError::Client {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: ErrorCode::InvalidInput,
            field: Some(field.into()),
            problem: Some(problem),
        }
    }

    pub fn conflict(code: ErrorCode, field: &str) -> Self {
        ApiError::Client {
            status: StatusCode::CONFLICT,
            code,
            field: Some(field.into()),
            problem: None,
        }
    }

    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, ErrorCode::NotFound)
    }

    pub fn forbidden() -> Self {
        Self::new(StatusCode::FORBIDDEN, ErrorCode::Forbidden)
    }

    pub fn unauthenticated() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, ErrorCode::Unauthenticated)
    }

    pub fn internal(error: impl Into<anyhow::Error>) -> Self {
        ApiError::Internal(error.into())
    }
}

impl From<InputError> for ApiError {
    fn from(error: InputError) -> Self {
        ApiError::invalid(error.field, InputProblem::Rule(error.reason))
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Conflict(Constraint::UserEmail) => {
                ApiError::conflict(ErrorCode::EmailTaken, "email")
            }
            StoreError::Conflict(Constraint::OrganizationName) => {
                ApiError::conflict(ErrorCode::OrganizationNameTaken, "name")
            }
            StoreError::Conflict(Constraint::LenderName) => {
                ApiError::conflict(ErrorCode::LenderNameTaken, "name")
            }
            StoreError::Conflict(Constraint::PortfolioName) => {
                ApiError::conflict(ErrorCode::PortfolioNameTaken, "name")
            }
            StoreError::Conflict(Constraint::CurrentAssignment) => {
                ApiError::conflict(ErrorCode::AssignmentConflict, "account_ids")
            }
            StoreError::Conflict(Constraint::DeviceIdentifier) => {
                ApiError::conflict(ErrorCode::DeviceIdentifierTaken, "device_identifier")
            }
            other => ApiError::Internal(other.into()),
        }
    }
}

/// The body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub code: ErrorCode,
    pub message: String,
    pub field: Option<String>,
}

/// An error waiting for the request's locale, carried in the response extensions until
/// [`localize_errors`] writes its body.
#[derive(Clone, Debug)]
struct PendingError {
    code: ErrorCode,
    field: Option<String>,
    problem: Option<InputProblem>,
    retry_after_secs: Option<u64>,
}

impl ApiError {
    /// Returns the JSON body this error gets in `locale`, for an error reported inside
    /// another response (such as a failed background job).
    pub fn body(&self, locale: crate::i18n::Locale) -> ErrorBody {
        let (code, field, problem) = match self {
            ApiError::Client {
                code,
                field,
                problem,
                ..
            } => (*code, field.clone(), problem.as_ref()),
            ApiError::RateLimited { problem, .. } => {
                (ErrorCode::RateLimited, None, problem.as_ref())
            }
            ApiError::Internal(_) => (ErrorCode::Internal, None, None),
        };
        ErrorBody {
            code,
            message: messages::error_message(locale, code, field.as_deref(), problem),
            field,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, pending) = match self {
            ApiError::Client {
                status,
                code,
                field,
                problem,
            } => (
                status,
                PendingError {
                    code,
                    field,
                    problem,
                    retry_after_secs: None,
                },
            ),
            ApiError::RateLimited {
                retry_after_secs,
                problem,
            } => (
                StatusCode::TOO_MANY_REQUESTS,
                PendingError {
                    code: ErrorCode::RateLimited,
                    field: None,
                    problem,
                    retry_after_secs: Some(retry_after_secs),
                },
            ),
            ApiError::Internal(error) => {
                tracing::error!(error = format!("{error:#}"), "request failed");
                let pending = PendingError {
                    code: ErrorCode::Internal,
                    field: None,
                    problem: None,
                    retry_after_secs: None,
                };
                (StatusCode::INTERNAL_SERVER_ERROR, pending)
            }
        };
        let mut response = status.into_response();
        response.extensions_mut().insert(pending);
        response
    }
}

/// Middleware that writes the localized JSON body of every [`ApiError`] response, and
/// turns axum's own plain-text rejections (unknown route, wrong method, body too large)
/// into the same shape.
/// Request extension of a router whose every path is an API path, as the tracking port's:
/// its bare 404, 405 and 413 get JSON bodies too.
#[derive(Clone, Copy, Debug)]
pub struct JsonErrors;

pub async fn localize_errors(request: Request, next: Next) -> Response {
    let locale = Locale::from_headers(request.headers());
    // Tracking clients are programs too, so their routes get the same JSON errors, and so
    // does every path of the tracking port.
    let path = request.uri().path();
    let is_api = path.starts_with("/api/")
        || path.starts_with("/tracking/")
        || request.extensions().get::<JsonErrors>().is_some();
    let response = next.run(request).await;

    let pending = match response.extensions().get::<PendingError>() {
        Some(pending) => pending.clone(),
        None => match bare_rejection(response.status(), is_api) {
            Some(code) => PendingError {
                code,
                field: None,
                problem: None,
                retry_after_secs: None,
            },
            None => return response,
        },
    };
    let status = response.status();
    let body = ErrorBody {
        code: pending.code,
        message: messages::error_message(
            locale,
            pending.code,
            pending.field.as_deref(),
            pending.problem.as_ref(),
        ),
        field: pending.field,
    };
    let mut localized = (status, Json(body)).into_response();
    if let Some(seconds) = pending.retry_after_secs {
        localized
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    localized
}

/// Maps an error status that axum produced without an [`ApiError`] to a code, for API
/// and tracking routes only, so that the web pages keep their own responses.
fn bare_rejection(status: StatusCode, is_api: bool) -> Option<ErrorCode> {
    if !is_api {
        return None;
    }
    match status {
        StatusCode::NOT_FOUND => Some(ErrorCode::NotFound),
        StatusCode::METHOD_NOT_ALLOWED => Some(ErrorCode::MethodNotAllowed),
        StatusCode::PAYLOAD_TOO_LARGE => Some(ErrorCode::PayloadTooLarge),
        _ => None,
    }
}
