//! Optional query-string parameters of the list endpoints: an empty value counts as
//! absent, and a bad one gets an error that names the parameter and the expected form.

use axum::http::StatusCode;
use jiff::civil::Date;
use uuid::Uuid;

use crate::error::{ApiError, ErrorCode, InputProblem};

/// Treats an empty parameter (`?verdict=`) as absent, as a cleared form field sends it.
pub(crate) fn non_empty(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|value| !value.is_empty())
}

/// Builds the error for parameter `name`, with `status` and its Spanish and English text.
pub(crate) fn bad_parameter(status: StatusCode, name: &str, es: String, en: String) -> ApiError {
    ApiError::Client {
        status,
        code: ErrorCode::InvalidInput,
        field: Some(name.to_owned()),
        problem: Some(InputProblem::Explained { es, en }),
    }
}

/// Parses an optional `YYYY-MM-DD` parameter. A value that is not a date gets a `status` error.
pub(crate) fn parse_day(
    status: StatusCode,
    name: &str,
    value: Option<&str>,
) -> Result<Option<Date>, ApiError> {
    let Some(value) = non_empty(value) else {
        return Ok(None);
    };
    value.parse::<Date>().map(Some).map_err(|_| {
        bad_parameter(
            status,
            name,
            format!("«{name}» debe ser una fecha AAAA-MM-DD, por ejemplo 2026-12-04; se recibió «{value}»."),
            format!("\"{name}\" must be a YYYY-MM-DD date, for example 2026-12-04; got \"{value}\"."),
        )
    })
}

/// Parses an optional UUID parameter. A value that is not a UUID gets a `status` error.
pub(crate) fn parse_uuid(
    status: StatusCode,
    name: &str,
    value: Option<&str>,
) -> Result<Option<Uuid>, ApiError> {
    let Some(value) = non_empty(value) else {
        return Ok(None);
    };
    Uuid::parse_str(value).map(Some).map_err(|_| {
        bad_parameter(
            status,
            name,
            format!("«{name}» debe ser un identificador (UUID); se recibió «{value}»."),
            format!("\"{name}\" must be an identifier (UUID); got \"{value}\"."),
        )
    })
}
