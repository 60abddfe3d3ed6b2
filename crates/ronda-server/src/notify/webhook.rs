//! Webhook requests: the JSON body, its HMAC-SHA256 signature, and one POST.

use std::time::{Duration, Instant};

use hmac::{Hmac, Mac};
use ronda_store::outbox::Event;
use serde::Serialize;
use sha2::Sha256;
use uuid::Uuid;

/// Header with the Unix time in seconds at which the request was signed.
pub const TIMESTAMP_HEADER: &str = "x-ronda-timestamp";
/// Header with `v1=` and the hex HMAC-SHA256 of `{timestamp}.{body}`.
pub const SIGNATURE_HEADER: &str = "x-ronda-signature";
/// Header with the delivery id, the same on every retry, for receivers to drop repeats.
pub const DELIVERY_HEADER: &str = "x-ronda-delivery";
pub const EVENT_HEADER: &str = "x-ronda-event";

/// Bytes of the receiver's response kept in the delivery log.
const EXCERPT_BYTES: usize = 1024;

/// The JSON body of a webhook request.
#[derive(Debug, Serialize)]
pub struct WebhookBody<'a> {
    /// The event id, the same for every webhook that receives the event.
    pub id: Uuid,
    pub kind: &'a str,
    pub organization_id: Uuid,
    /// Unix milliseconds.
    pub occurred_at: i64,
    pub data: &'a serde_json::Value,
}

pub fn body(event: &Event) -> Vec<u8> {
    let body = WebhookBody {
        id: event.id,
        kind: &event.kind,
        organization_id: event.organization_id.0,
        occurred_at: event.occurred_at.as_millisecond(),
        data: &event.payload,
    };
    // Serializing a struct of strings, numbers and a JSON value cannot fail.
    serde_json::to_vec(&body).unwrap_or_default()
}

/// Returns `v1=` followed by the hex HMAC-SHA256 of `{timestamp}.{body}` under `secret`.
pub fn signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
    // HMAC accepts keys of any length, so this never fails.
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("v1={}", hex::encode(mac.finalize().into_bytes()))
}

/// Result of one POST.
#[derive(Debug)]
pub struct PostResult {
    pub status_code: Option<u16>,
    pub response_excerpt: Option<String>,
    pub error: Option<String>,
    pub duration: Duration,
}

impl PostResult {
    pub fn succeeded(&self) -> bool {
        self.status_code
            .is_some_and(|code| (200..300).contains(&code))
    }
}

/// Sends one signed POST. Redirects are not followed, so the signed body reaches only
/// the configured URL.
pub async fn post(
    client: &reqwest::Client,
    url: &str,
    secret: &str,
    delivery_id: Uuid,
    event: &Event,
) -> PostResult {
    let body = body(event);
    let timestamp = jiff::Timestamp::now().as_second();
    let started = Instant::now();
    let response = client
        .post(url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header(TIMESTAMP_HEADER, timestamp.to_string())
        .header(SIGNATURE_HEADER, signature(secret, timestamp, &body))
        .header(DELIVERY_HEADER, delivery_id.to_string())
        .header(EVENT_HEADER, event.kind.as_str())
        .body(body)
        .send()
        .await;
    match response {
        Ok(response) => {
            let status = response.status().as_u16();
            let excerpt = match response.bytes().await {
                Ok(bytes) => Some(excerpt(&bytes)),
                Err(error) => Some(format!("(body unreadable: {error})")),
            };
            PostResult {
                status_code: Some(status),
                response_excerpt: excerpt,
                error: (!(200..300).contains(&status)).then(|| format!("HTTP status {status}")),
                duration: started.elapsed(),
            }
        }
        Err(error) => PostResult {
            status_code: None,
            response_excerpt: None,
            error: Some(error_text(&error)),
            duration: started.elapsed(),
        },
    }
}

/// Builds the HTTP client for webhooks.
pub fn client(timeout: Duration) -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("Ronda-Webhooks/", env!("CARGO_PKG_VERSION")))
        .build()
}

fn excerpt(bytes: &[u8]) -> String {
    let mut end = bytes.len().min(EXCERPT_BYTES);
    // Cut on a character boundary.
    while end > 0 && std::str::from_utf8(&bytes[..end]).is_err() {
        end -= 1;
    }
    String::from_utf8_lossy(&bytes[..end]).into_owned()
}

fn error_text(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The expected value was computed apart from this code, with Python's `hmac` module.
    #[test]
    fn signature_matches_independent_hmac() {
        assert_eq!(
            signature("secreto", 1_700_000_000, b"{\"a\":1}"),
            "v1=b066ea5660a5cec64764b2352f7f0817fd722e527a09b7225028bb29454d1595"
        );
    }

    #[test]
    fn signature_covers_timestamp_and_body() {
        let signed = signature("secreto", 1_700_000_000, b"{\"a\":1}");
        assert!(signed.starts_with("v1="));
        assert_eq!(signed.len(), 3 + 64);
        assert_ne!(signed, signature("secreto", 1_700_000_001, b"{\"a\":1}"));
        assert_ne!(signed, signature("secreto", 1_700_000_000, b"{\"a\":2}"));
        assert_ne!(signed, signature("otro", 1_700_000_000, b"{\"a\":1}"));
    }

    #[test]
    fn excerpt_cuts_on_character_boundary() {
        let text = "ñ".repeat(600);
        let cut = excerpt(text.as_bytes());
        assert!(cut.len() <= EXCERPT_BYTES);
        assert!(cut.chars().all(|c| c == 'ñ'));
    }
}
