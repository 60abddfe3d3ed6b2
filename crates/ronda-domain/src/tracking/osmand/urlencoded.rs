//! Decoding of `application/x-www-form-urlencoded` text, the format of query strings and
//! form bodies.

use crate::tracking::error::{ParseError, ParseErrorCode};

/// Splits `text` into decoded key/value pairs in order. Empty segments (`a=1&&b=2`) are
/// skipped, and a segment without `=` is a key with an empty value.
pub(super) fn decode_pairs(text: &str) -> Result<Vec<(String, String)>, ParseError> {
    let mut pairs = Vec::new();
    for segment in text.split('&').filter(|segment| !segment.is_empty()) {
        let (raw_key, raw_value) = segment.split_once('=').unwrap_or((segment, ""));
        let key = decode_component(raw_key, raw_key)?;
        let value = decode_component(&key, raw_value)?;
        pairs.push((key, value));
    }
    Ok(pairs)
}

/// Decodes `+` as a space and `%XX` as a byte, then checks that the bytes are UTF-8.
fn decode_component(field: &str, raw: &str) -> Result<String, ParseError> {
    let invalid = |reason: &str| {
        ParseError::new(
            ParseErrorCode::InvalidEncoding,
            field,
            format!(
                "{reason} in {raw:?} for {field}, expected percent-encoded UTF-8 such as 2016-01-27T18%3A55%3A47Z"
            ),
        )
        .with_value(raw)
        .with_example("2016-01-27T18%3A55%3A47Z")
    };

    let bytes = raw.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        match bytes[index] {
            b'+' => {
                decoded.push(b' ');
                index += 1;
            }
            b'%' => {
                let high = bytes.get(index + 1).and_then(|byte| hex_value(*byte));
                let low = bytes.get(index + 2).and_then(|byte| hex_value(*byte));
                let (Some(high), Some(low)) = (high, low) else {
                    return Err(invalid("invalid percent escape"));
                };
                decoded.push(high * 16 + low);
                index += 3;
            }
            byte => {
                decoded.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8(decoded).map_err(|_| invalid("invalid UTF-8"))
}

fn hex_value(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_plus_and_percent() {
        let pairs = decode_pairs("timestamp=2014-06-04+09%3A10%3A11&id=7").expect("valid");
        assert_eq!(
            pairs,
            vec![
                ("timestamp".to_owned(), "2014-06-04 09:10:11".to_owned()),
                ("id".to_owned(), "7".to_owned()),
            ]
        );
    }

    #[test]
    fn decode_skips_empty_segments() {
        let pairs = decode_pairs("&id=7&&flag").expect("valid");
        assert_eq!(
            pairs,
            vec![
                ("id".to_owned(), "7".to_owned()),
                ("flag".to_owned(), String::new()),
            ]
        );
    }

    #[test]
    fn decode_rejects_bad_escape() {
        let error = decode_pairs("id=12%G4").expect_err("bad escape");
        assert_eq!(error.code, ParseErrorCode::InvalidEncoding);
        assert_eq!(error.field, "id");
    }

    #[test]
    fn decode_rejects_invalid_utf8() {
        let error = decode_pairs("id=%FF").expect_err("not UTF-8");
        assert_eq!(error.code, ParseErrorCode::InvalidEncoding);
    }
}
