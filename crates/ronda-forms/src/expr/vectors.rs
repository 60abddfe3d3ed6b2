//! Reading and writing the JSON test vectors in `spec/expressions/`; the
//! format is described in `spec/README.md`.

use serde_json::{Map, Value as Json, json};

use super::dates::Clock;
use super::env::MapEnv;
use super::value::Value;
use super::{evaluate, parse};

/// Builds the environment of a vector: the file's `context`, with each key
/// of the vector's own `context` replacing or, for `values` and `choices`,
/// extending it.
pub fn env_from_context(file: Option<&Json>, vector: Option<&Json>) -> Result<MapEnv, String> {
    let mut merged = Map::new();
    for context in [file, vector].into_iter().flatten() {
        let object = context.as_object().ok_or("context must be an object")?;
        for (key, value) in object {
            match (merged.get_mut(key), value) {
                (Some(Json::Object(existing)), Json::Object(extra)) => {
                    existing.extend(extra.clone());
                }
                _ => {
                    merged.insert(key.clone(), value.clone());
                }
            }
        }
    }

    let now = merged
        .get("now")
        .and_then(Json::as_str)
        .ok_or("context.now is missing")?;
    let clock = Clock::parse(now).ok_or_else(|| format!("invalid context.now {now:?}"))?;
    let mut env = MapEnv::new(clock);
    for (name, answer) in merged
        .get("values")
        .and_then(Json::as_object)
        .into_iter()
        .flatten()
    {
        let answers = match answer {
            Json::String(text) => vec![text.clone()],
            Json::Array(items) => items
                .iter()
                .map(|item| item.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| format!("values.{name} must contain only strings"))?,
            _ => return Err(format!("values.{name} must be a string or an array")),
        };
        env.answers.insert(name.clone(), answers);
    }
    for (field, labels) in merged
        .get("choices")
        .and_then(Json::as_object)
        .into_iter()
        .flatten()
    {
        let labels = labels
            .as_object()
            .ok_or_else(|| format!("choices.{field} must be an object"))?;
        let labels = labels
            .iter()
            .map(|(value, label)| {
                (
                    value.clone(),
                    label.as_str().unwrap_or_default().to_string(),
                )
            })
            .collect();
        env.choice_labels.insert(field.clone(), labels);
    }
    env.current = merged
        .get("current")
        .and_then(Json::as_str)
        .map(str::to_string);
    env.position = merged
        .get("position")
        .and_then(Json::as_u64)
        .and_then(|position| usize::try_from(position).ok());
    Ok(env)
}

/// Writes a number as JSON; NaN and the infinities become the strings
/// "NaN", "Infinity" and "-Infinity".
pub fn number_json(number: f64) -> Json {
    if number.is_finite() {
        json!(number)
    } else {
        json!(super::format_number(number))
    }
}

/// Writes a value as `{"type": ..., "value": ...}`.
pub fn value_json(value: &Value) -> Json {
    let inner = match value {
        Value::String(text) => json!(text),
        Value::Number(number) => number_json(*number),
        Value::Boolean(flag) => json!(flag),
        Value::Nodeset(nodes) => json!(nodes),
    };
    json!({ "type": value.type_name(), "value": inner })
}

/// Parses and evaluates `source`, returning `{"expected": ...}` or
/// `{"error": {"kind": "parse" | "eval", "message": ...}}`.
pub fn outcome_json(source: &str, env: &MapEnv) -> Json {
    let expr = match parse(source) {
        Ok(expr) => expr,
        Err(error) => {
            return json!({ "error": { "kind": "parse", "message": error.to_string() } });
        }
    };
    match evaluate(&expr, env) {
        Ok(value) => json!({ "expected": value_json(&value) }),
        Err(error) => json!({ "error": { "kind": "eval", "message": error.to_string() } }),
    }
}
