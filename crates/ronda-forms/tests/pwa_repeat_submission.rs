//! Validates a repeat submission in the shape the field app builds
//! (`tests/data/pwa_repeat_submission.json`; the web runtime's Vitest suite
//! checks that it builds exactly that `submitted` object).

use std::path::PathBuf;

use ronda_forms::expr::Clock;
use ronda_forms::model::{FormDefinition, check_definition};
use ronda_forms::validate::{Answers, SubmissionContext, validate_submission};
use serde_json::{Value as Json, json};

fn fixture() -> Json {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/pwa_repeat_submission.json");
    let text = std::fs::read_to_string(&path).expect("fixture is readable");
    serde_json::from_str(&text).expect("fixture is JSON")
}

fn definition(doc: &Json) -> FormDefinition {
    serde_json::from_value(doc["definition"].clone()).expect("definition parses")
}

fn context(doc: &Json) -> SubmissionContext {
    SubmissionContext::new(Clock::parse(doc["now"].as_str().expect("now")).expect("valid now"))
}

fn submitted(doc: &Json) -> Answers {
    doc["submitted"]
        .as_object()
        .expect("submitted object")
        .clone()
}

#[test]
fn pwa_repeat_submission_validates() {
    let doc = fixture();
    let definition = definition(&doc);
    assert_eq!(check_definition(&definition), vec![]);
    let validated = validate_submission(&definition, &submitted(&doc), &context(&doc))
        .expect("the field app's submission is valid");
    assert_eq!(Json::Object(validated.answers), doc["submitted"]);
    assert!(validated.dropped.is_empty(), "{:?}", validated.dropped);
    assert!(
        validated.recomputed.is_empty(),
        "{:?}",
        validated.recomputed
    );
}

#[test]
fn pwa_repeat_constraint_fails_second_instance() {
    let doc = fixture();
    let mut answers = submitted(&doc);
    answers["references"][1]["relation"] = json!("adult");
    answers["references"][1]
        .as_object_mut()
        .expect("instance object")
        .remove("school");
    let problems = validate_submission(&definition(&doc), &answers, &context(&doc))
        .expect_err("a minor marked adult breaks the constraint");
    let paths: Vec<(&str, &str)> = problems
        .iter()
        .map(|p| (p.path.as_str(), p.code.as_str()))
        .collect();
    assert_eq!(paths, vec![("references[1].age", "constraint")]);
}

#[test]
fn pwa_repeat_count_mismatch_rejected() {
    let doc = fixture();
    let mut answers = submitted(&doc);
    answers["phones"]
        .as_array_mut()
        .expect("phones array")
        .push(json!({ "phone": "8100000000" }));
    let problems = validate_submission(&definition(&doc), &answers, &context(&doc))
        .expect_err("three phones for a count of two");
    assert!(
        problems.iter().any(|p| p.path == "phones"),
        "problems: {problems:?}"
    );
}
