//! Just enough MIME decoding to read the emails the test SMTP server received: header
//! values with encoded words, and the text of each part in base64 or quoted-printable.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// Returns the decoded value of the first header named `name`, unfolded.
pub fn header(data: &str, name: &str) -> Option<String> {
    let head = data.split("\r\n\r\n").next()?;
    let prefix = format!("{}:", name.to_ascii_lowercase());
    let mut value: Option<String> = None;
    for line in head.split("\r\n") {
        match &mut value {
            Some(current) if line.starts_with(' ') || line.starts_with('\t') => {
                current.push_str(line);
            }
            Some(_) => break,
            None if line.to_ascii_lowercase().starts_with(&prefix) => {
                value = Some(line[prefix.len()..].trim().to_owned());
            }
            None => {}
        }
    }
    value.map(|raw| decode_words(&raw))
}

/// Decodes RFC 2047 encoded words such as `=?utf-8?b?...?=`.
fn decode_words(raw: &str) -> String {
    let mut decoded = String::new();
    let mut rest = raw;
    while let Some(start) = rest.find("=?") {
        let before = &rest[..start];
        if !before.trim().is_empty() {
            decoded.push_str(before);
        }
        let word = &rest[start + 2..];
        let mut pieces = word.splitn(3, '?');
        let (_charset, encoding, tail) = match (pieces.next(), pieces.next(), pieces.next()) {
            (Some(c), Some(e), Some(t)) => (c, e, t),
            _ => break,
        };
        let Some(end) = tail.find("?=") else { break };
        let text = &tail[..end];
        let bytes = if encoding.eq_ignore_ascii_case("b") {
            STANDARD.decode(text).unwrap_or_default()
        } else {
            quoted_printable(&text.replace('_', " "))
        };
        decoded.push_str(&String::from_utf8_lossy(&bytes));
        rest = &tail[end + 2..];
    }
    decoded.push_str(rest);
    decoded
}

/// Returns the decoded body of every leaf part, with its content type.
pub fn parts(data: &str) -> Vec<(String, String)> {
    let mut parts = Vec::new();
    for chunk in data.split("\r\n--") {
        let Some((head, body)) = chunk.split_once("\r\n\r\n") else {
            continue;
        };
        let head_lower = head.to_ascii_lowercase();
        let Some(content_type) = field(&head_lower, "content-type:") else {
            continue;
        };
        if content_type.starts_with("multipart/") {
            continue;
        }
        let encoding = field(&head_lower, "content-transfer-encoding:").unwrap_or_default();
        let body = body.trim_end_matches("\r\n");
        let bytes = match encoding.as_str() {
            "base64" => STANDARD
                .decode(body.replace("\r\n", ""))
                .unwrap_or_default(),
            "quoted-printable" => quoted_printable(body),
            _ => body.as_bytes().to_vec(),
        };
        parts.push((content_type, String::from_utf8_lossy(&bytes).into_owned()));
    }
    parts
}

/// The text of the first part whose content type starts with `prefix`.
pub fn part(data: &str, prefix: &str) -> String {
    parts(data)
        .into_iter()
        .find(|(content_type, _)| content_type.starts_with(prefix))
        .map(|(_, text)| text)
        .unwrap_or_default()
}

fn field(head: &str, name: &str) -> Option<String> {
    head.split("\r\n")
        .find_map(|line| line.strip_prefix(name))
        .map(|value| value.trim().to_owned())
}

fn quoted_printable(text: &str) -> Vec<u8> {
    let mut bytes = Vec::new();
    let raw = text.as_bytes();
    let mut index = 0;
    while index < raw.len() {
        match raw[index] {
            b'=' if raw.get(index + 1) == Some(&b'\r') && raw.get(index + 2) == Some(&b'\n') => {
                index += 3;
            }
            b'=' if index + 2 < raw.len() => {
                let hex = std::str::from_utf8(&raw[index + 1..index + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(byte) => {
                        bytes.push(byte);
                        index += 3;
                    }
                    Err(_) => {
                        bytes.push(b'=');
                        index += 1;
                    }
                }
            }
            byte => {
                bytes.push(byte);
                index += 1;
            }
        }
    }
    bytes
}
