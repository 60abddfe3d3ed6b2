//! Canonical JSON of a definition and its content hash.

use serde_json::Value as Json;
use sha2::{Digest, Sha256};

use super::FormDefinition;

/// Serialises `definition` with object keys sorted by byte order and no
/// whitespace, so two definitions with the same content give the same bytes.
pub fn canonical_json(definition: &FormDefinition) -> String {
    let value = serde_json::to_value(definition).unwrap_or(Json::Null);
    let mut out = String::new();
    write_canonical(&value, &mut out);
    out
}

/// Returns the SHA-256 in lower-case hex of [`canonical_json`].
pub fn content_hash(definition: &FormDefinition) -> String {
    let digest = Sha256::digest(canonical_json(definition).as_bytes());
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

fn write_canonical(value: &Json, out: &mut String) {
    match value {
        Json::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (index, key) in keys.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                out.push_str(&Json::String((*key).clone()).to_string());
                out.push(':');
                if let Some(inner) = map.get(*key) {
                    write_canonical(inner, out);
                }
            }
            out.push('}');
        }
        Json::Array(items) => {
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
