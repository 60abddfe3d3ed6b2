//! The body of `PUT /api/field/visits/{id}`: its JSON shape, the checks that turn it into
//! domain values, and the content hash that makes the upload idempotent.

use jiff::Timestamp;
use ronda_domain::checkin::{CheckIn, Exception, Fix};
use serde::Deserialize;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::{ApiError, InputProblem};

/// Largest attachment accepted, also the body limit of the attachment upload.
pub const MAX_ATTACHMENT_BYTES: usize = 10 * 1024 * 1024;

/// Image types an attachment may have.
pub const ATTACHMENT_CONTENT_TYPES: [&str; 3] = ["image/jpeg", "image/png", "image/webp"];

const ATTACHMENT_KINDS: [&str; 3] = ["photo", "signature", "pin_photo"];

#[derive(Debug, Deserialize, ToSchema)]
pub struct VisitRequest {
    /// The assignment the app worked from; the server records the account's current one.
    pub assignment_id: Option<Uuid>,
    pub account_id: Uuid,
    pub address_id: Uuid,
    pub form_version_id: Uuid,
    /// Unix milliseconds, device clock.
    pub started_at: i64,
    /// Unix milliseconds, device clock.
    pub finished_at: i64,
    pub check_in: CheckInRequest,
    /// Answers by question name; photos and signatures answer with the file's SHA-256.
    #[schema(value_type = Object)]
    pub answers: Map<String, Value>,
    #[serde(default)]
    pub attachments: Vec<AttachmentRequest>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CheckInRequest {
    pub fix: FixRequest,
    /// The device clock at check-in, Unix milliseconds.
    pub device_time: i64,
    /// Server clock minus device clock as the app measured it, in milliseconds.
    pub server_offset_ms: i64,
    pub on_device: OnDeviceRequest,
    /// `pin_correction` or `address_not_found`.
    pub exception: Option<String>,
    /// The corrected point an agent proposes with `pin_correction`.
    pub proposed_point: Option<PointRequest>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct FixRequest {
    pub latitude: f64,
    pub longitude: f64,
    /// Horizontal accuracy radius in metres.
    pub accuracy_m: f64,
    /// Unix milliseconds, device clock.
    pub fix_time: i64,
    pub mock: Option<bool>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct OnDeviceRequest {
    /// `accepted` or `refused`.
    pub decision: String,
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    pub reasons: Vec<Value>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PointRequest {
    pub latitude: f64,
    pub longitude: f64,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AttachmentRequest {
    /// Lower-case hex SHA-256 of the file.
    pub sha256: String,
    /// `photo`, `signature` or `pin_photo`.
    pub kind: String,
    /// `image/jpeg`, `image/png` or `image/webp`.
    pub content_type: String,
    pub bytes: i64,
    /// The question the file answers.
    pub question: String,
}

/// Returns the lower-case hex SHA-256 of the body in canonical JSON: object keys sorted,
/// no spaces. The same visit sent again with keys in another order hashes the same.
pub fn content_sha256(body: &Value) -> String {
    let mut canonical = String::new();
    write_canonical(body, &mut canonical);
    hex(&Sha256::digest(canonical.as_bytes()))
}

fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (index, key) in keys.into_iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                write_canonical(&map[key], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Checks that `value` is 64 hexadecimal digits and returns it in lower case.
pub fn parse_sha256(field: &str, value: &str) -> Result<String, ApiError> {
    let valid = value.len() == 64 && value.chars().all(|c| c.is_ascii_hexdigit());
    if !valid {
        return Err(ApiError::invalid(
            field,
            InputProblem::Explained {
                es: format!("«{field}» debe ser el SHA-256 del archivo: 64 dígitos hexadecimales."),
                en: format!("\"{field}\" must be the file's SHA-256: 64 hexadecimal digits."),
            },
        ));
    }
    Ok(value.to_ascii_lowercase())
}

/// Converts Unix milliseconds from the request, naming the field when out of range.
pub fn timestamp(field: &str, ms: i64) -> Result<Timestamp, ApiError> {
    Timestamp::from_millisecond(ms).map_err(|_| {
        ApiError::invalid(
            field,
            InputProblem::Explained {
                es: format!("«{field}» debe ser una fecha en milisegundos Unix."),
                en: format!("\"{field}\" must be a time in Unix milliseconds."),
            },
        )
    })
}

/// Converts the request's check-in into the input of the domain's check-in rules.
pub fn check_in(request: &CheckInRequest) -> Result<CheckIn, ApiError> {
    let exception = match request.exception.as_deref() {
        None => None,
        Some("pin_correction") => Some(Exception::PinCorrection),
        Some("address_not_found") => Some(Exception::AddressNotFound),
        Some(_) => {
            return Err(ApiError::invalid(
                "check_in.exception",
                InputProblem::NotOneOf("pin_correction, address_not_found"),
            ));
        }
    };
    if !matches!(request.on_device.decision.as_str(), "accepted" | "refused") {
        return Err(ApiError::invalid(
            "check_in.on_device.decision",
            InputProblem::NotOneOf("accepted, refused"),
        ));
    }
    Ok(CheckIn {
        fix: Fix {
            latitude: request.fix.latitude,
            longitude: request.fix.longitude,
            accuracy_m: request.fix.accuracy_m,
            fix_time: timestamp("check_in.fix.fix_time", request.fix.fix_time)?,
            mock: request.fix.mock.unwrap_or(false),
        },
        device_time: timestamp("check_in.device_time", request.device_time)?,
        server_offset_ms: request.server_offset_ms,
        exception,
    })
}

/// Checks each declared attachment.
pub fn attachments(
    requests: &[AttachmentRequest],
) -> Result<Vec<ronda_store::visit::DeclaredAttachment>, ApiError> {
    let max_bytes = i64::try_from(MAX_ATTACHMENT_BYTES).unwrap_or(i64::MAX);
    requests
        .iter()
        .enumerate()
        .map(|(index, request)| {
            let field = |name: &str| format!("attachments[{index}].{name}");
            let sha256 = parse_sha256(&field("sha256"), &request.sha256)?;
            if !ATTACHMENT_KINDS.contains(&request.kind.as_str()) {
                return Err(ApiError::invalid(
                    field("kind"),
                    InputProblem::NotOneOf("photo, signature, pin_photo"),
                ));
            }
            if !ATTACHMENT_CONTENT_TYPES.contains(&request.content_type.as_str()) {
                return Err(ApiError::invalid(
                    field("content_type"),
                    InputProblem::NotOneOf("image/jpeg, image/png, image/webp"),
                ));
            }
            if request.bytes < 1 || request.bytes > max_bytes {
                return Err(ApiError::invalid(
                    field("bytes"),
                    InputProblem::OutOfRange {
                        min: 1,
                        max: max_bytes,
                    },
                ));
            }
            Ok(ronda_store::visit::DeclaredAttachment {
                sha256,
                kind: request.kind.clone(),
                content_type: request.content_type.clone(),
                size_bytes: request.bytes,
                question: request.question.clone(),
            })
        })
        .collect()
}

/// What the server reads from the collection form's answers: result code, person met and
/// the promise to pay.
#[derive(Debug, Default, PartialEq)]
pub struct CollectionFacts {
    pub result_code: Option<String>,
    pub person_met: Option<String>,
    pub promise_amount_cents: Option<i64>,
    pub promise_date: Option<String>,
    pub promise_channel: Option<String>,
}

impl CollectionFacts {
    /// Reads the answers by the names the shipped collection form uses. A missing or blank
    /// answer is `None`; the amount is in pesos, as a number or a decimal string.
    pub fn from_answers(answers: &Map<String, Value>) -> Self {
        let text = |name: &str| match answers.get(name) {
            Some(Value::String(value)) if !value.trim().is_empty() => Some(value.trim().to_owned()),
            _ => None,
        };
        let pesos = match answers.get("promise_amount") {
            Some(Value::Number(number)) => number.as_f64(),
            Some(Value::String(value)) => value.trim().parse::<f64>().ok(),
            _ => None,
        };
        let promise_amount_cents = pesos
            .filter(|pesos| pesos.is_finite() && *pesos >= 0.0 && *pesos < 1e13)
            .map(|pesos| (pesos * 100.0).round() as i64);
        CollectionFacts {
            result_code: text("result_code"),
            person_met: text("person_met"),
            promise_amount_cents,
            promise_date: text("promise_date"),
            promise_channel: text("promise_channel"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_hash_ignores_key_order() {
        let first: Value =
            serde_json::from_str(r#"{"b": 1, "a": {"y": [1, 2], "x": "é"}}"#).expect("valid JSON");
        let second: Value =
            serde_json::from_str(r#"{"a": {"x": "é", "y": [1, 2]}, "b": 1}"#).expect("valid JSON");
        assert_eq!(content_sha256(&first), content_sha256(&second));
    }

    #[test]
    fn content_hash_sees_changed_values() {
        let first: Value = serde_json::from_str(r#"{"a": 1}"#).expect("valid JSON");
        let second: Value = serde_json::from_str(r#"{"a": 2}"#).expect("valid JSON");
        assert_ne!(content_sha256(&first), content_sha256(&second));
    }

    #[test]
    fn promise_amount_in_cents() {
        let answers: Map<String, Value> = serde_json::from_str(
            r#"{"promise_amount": "1250.5", "result_code": " PTP ", "person_met": ""}"#,
        )
        .expect("valid JSON");
        let facts = CollectionFacts::from_answers(&answers);
        assert_eq!(facts.promise_amount_cents, Some(125_050));
        assert_eq!(facts.result_code.as_deref(), Some("PTP"));
        assert_eq!(facts.person_met, None);
    }

    #[test]
    fn sha256_must_be_hex() {
        assert!(parse_sha256("sha256", &"A".repeat(64)).is_ok());
        assert!(parse_sha256("sha256", &"g".repeat(64)).is_err());
        assert!(parse_sha256("sha256", "abc").is_err());
    }
}
