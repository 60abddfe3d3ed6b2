//! Runs every vector in `spec/expressions/*.json` through the Rust evaluator.

use std::path::{Path, PathBuf};

use ronda_forms::expr::vectors::{env_from_context, outcome_json};
use ronda_forms::expr::{parse, references};
use serde_json::Value as Json;

fn spec_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../spec/expressions")
}

/// Compares two JSON numbers or the strings "NaN", "Infinity", "-Infinity".
fn same_number(expected: &Json, actual: &Json) -> bool {
    match (expected, actual) {
        (Json::Number(e), Json::Number(a)) => e.as_f64() == a.as_f64(),
        (Json::String(e), Json::String(a)) => e == a,
        _ => false,
    }
}

/// Returns a description of the difference, or `None` when the outcome matches.
fn mismatch(vector: &Json, actual: &Json) -> Option<String> {
    let differs = match (vector.get("expected"), vector.get("error")) {
        (Some(expected), None) => match actual.get("expected") {
            Some(value) if expected["type"] == "number" && value["type"] == "number" => {
                !same_number(&expected["value"], &value["value"])
            }
            Some(value) => value != expected,
            None => true,
        },
        (None, Some(error)) => actual.get("error") != Some(error),
        _ => return Some("vector needs exactly one of 'expected' and 'error'".to_string()),
    };
    differs.then(|| format!("got {actual}"))
}

#[test]
fn spec_vectors_pass() {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(spec_dir())
        .expect("spec/expressions exists")
        .map(|entry| entry.expect("readable directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    paths.sort();
    assert!(
        !paths.is_empty(),
        "no vector files in {}",
        spec_dir().display()
    );

    let mut failures = Vec::new();
    let mut count = 0;
    for path in &paths {
        let text = std::fs::read_to_string(path).expect("readable vector file");
        let file: Json = serde_json::from_str(&text).expect("valid JSON");
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let vectors = file["vectors"].as_array().expect("a 'vectors' array");
        for vector in vectors {
            count += 1;
            let id = vector["id"].as_str().unwrap_or("?");
            let source = vector["expr"].as_str().expect("an 'expr' string");
            let env = match env_from_context(file.get("context"), vector.get("context")) {
                Ok(env) => env,
                Err(error) => {
                    failures.push(format!("{name} {id}: {error}"));
                    continue;
                }
            };
            let actual = outcome_json(source, &env);
            if let Some(problem) = mismatch(vector, &actual) {
                failures.push(format!("{name} {id} `{source}`: {problem}"));
            }
            if let Some(expected) = vector.get("references") {
                let actual = parse(source).map(|expr| references(&expr));
                if actual
                    .as_ref()
                    .map(|names| serde_json::json!(names))
                    .ok()
                    .as_ref()
                    != Some(expected)
                {
                    failures.push(format!(
                        "{name} {id}: references {actual:?}, expected {expected}"
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {count} vectors failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
