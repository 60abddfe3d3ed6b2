//! Runs the shared submission-validation vectors in `spec/forms/`.

use std::collections::BTreeSet;
use std::path::PathBuf;

use ronda_forms::expr::Clock;
use ronda_forms::model::{FormDefinition, check_definition};
use ronda_forms::validate::{SubmissionContext, validate_submission};
use serde_json::{Value as Json, json};

fn spec_file(name: &str) -> Json {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../spec/forms")
        .join(name);
    let text = std::fs::read_to_string(&path).expect("vector file is readable");
    serde_json::from_str(&text).expect("vector file is JSON")
}

/// Runs every case of a vector file against the forms it names, which come
/// from the file's `forms` or from `load_form`.
pub fn run_cases(doc: &Json, load_form: &dyn Fn(&str) -> Option<FormDefinition>) -> usize {
    let cases = doc["cases"].as_array().expect("cases array");
    let mut failures = Vec::new();
    for case in cases {
        let name = case["name"].as_str().expect("case name");
        let form_name = case["form"].as_str().expect("case form");
        let definition = match doc["forms"].get(form_name) {
            Some(form) => serde_json::from_value(form.clone()).expect("form parses"),
            None => load_form(form_name).expect("named form exists"),
        };
        assert_eq!(check_definition(&definition), vec![], "form {form_name}");
        let clock = Clock::parse(case["now"].as_str().expect("now")).expect("valid now");
        let mut context = SubmissionContext::new(clock);
        for (key, value) in case["external"].as_object().into_iter().flatten() {
            context = context.with_external(key, value.as_str().expect("external text"));
        }
        let answers = case["answers"].as_object().expect("answers object");
        let got = match validate_submission(&definition, answers, &context) {
            Ok(validated) => json!({
                "answers": validated.answers,
                "dropped": validated.dropped,
                "recomputed": validated.recomputed,
            }),
            Err(problems) => {
                let pairs: BTreeSet<(String, String)> =
                    problems.into_iter().map(|p| (p.path, p.code)).collect();
                json!({ "problems": pairs.into_iter().map(|(path, code)| json!({"path": path, "code": code})).collect::<Vec<_>>() })
            }
        };
        let mut expected = case["expect"].clone();
        if let Some(problems) = expected.get_mut("problems").and_then(Json::as_array_mut) {
            problems.sort_by_key(|p| (p["path"].to_string(), p["code"].to_string()));
        }
        if got != expected {
            failures.push(format!("{name}: expected {expected}\n   got {got}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failing cases:\n{}",
        failures.len(),
        failures.join("\n")
    );
    cases.len()
}

#[test]
fn validation_vectors_pass() {
    let count = run_cases(&spec_file("validation.json"), &|_| None);
    assert!(count >= 40);
}

#[test]
fn template_vectors_pass() {
    let load =
        |name: &str| ronda_forms::templates::template(name).and_then(|t| t.definition().ok());
    let count = run_cases(&spec_file("templates.json"), &load);
    assert!(count >= 40);
}
