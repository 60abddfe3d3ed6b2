//! Runs every vector in `spec/checkin/` against the Rust rules. The TypeScript mirror in
//! `web/src/shared/rules/checkin.test.ts` runs the same files.

use std::path::PathBuf;

use jiff::Timestamp;
use serde::Deserialize;
use serde_json::Value;

use super::{CheckIn, CheckinRules, Target, TrackFix, decide_on_device, verdict};

#[derive(Deserialize)]
struct VectorFile {
    cases: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    #[allow(dead_code)]
    note: String,
    target: Target,
    check_in: CheckIn,
    received_at: i64,
    track: Vec<TrackFix>,
    expected: Expected,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    on_device: ExpectedDevice,
    verdict: ExpectedVerdict,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectedDevice {
    decision: String,
    reasons: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectedVerdict {
    outcome: String,
    /// Each has `code` and `severity`; any other key must equal the measured value, within
    /// 0.2 for numbers.
    reasons: Vec<serde_json::Map<String, Value>>,
}

fn vector_files() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../spec/checkin");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", dir.display()))
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    files
}

fn text(value: &impl serde::Serialize) -> String {
    match serde_json::to_value(value) {
        Ok(Value::String(text)) => text,
        other => panic!("expected a string, got {other:?}"),
    }
}

fn values_match(expected: &Value, actual: Option<&Value>) -> bool {
    match (expected, actual) {
        (Value::Number(expected), Some(Value::Number(actual))) => {
            let (Some(expected), Some(actual)) = (expected.as_f64(), actual.as_f64()) else {
                return false;
            };
            (expected - actual).abs() <= 0.2
        }
        (expected, actual) => Some(expected) == actual,
    }
}

fn run_case(case: &Case) -> Vec<String> {
    let rules = CheckinRules::default();
    let mut failures = Vec::new();

    let device = decide_on_device(&rules, &case.target, &case.check_in);
    let decision = text(&device.decision);
    if decision != case.expected.on_device.decision {
        failures.push(format!("on-device decision {decision}"));
    }
    let codes: Vec<&str> = device.reasons.iter().map(|reason| reason.code()).collect();
    if codes != case.expected.on_device.reasons {
        failures.push(format!("on-device reasons {codes:?}"));
    }

    let received_at = Timestamp::from_millisecond(case.received_at).expect("valid received_at");
    let verdict = verdict(
        &rules,
        &case.target,
        &case.check_in,
        received_at,
        &case.track,
    );
    let outcome = text(&verdict.outcome);
    if outcome != case.expected.verdict.outcome {
        failures.push(format!("verdict outcome {outcome}"));
    }
    let actual: Vec<Value> = verdict
        .reasons
        .iter()
        .map(|reason| serde_json::to_value(reason).expect("reason serializes"))
        .collect();
    if actual.len() != case.expected.verdict.reasons.len() {
        failures.push(format!("verdict reasons {actual:?}"));
        return failures;
    }
    for (expected, actual) in case.expected.verdict.reasons.iter().zip(&actual) {
        for (key, value) in expected {
            if !values_match(value, actual.get(key)) {
                failures.push(format!(
                    "verdict reason {key}: expected {value}, got {actual}"
                ));
            }
        }
    }
    failures
}

#[test]
fn every_checkin_vector_passes() {
    let files = vector_files();
    assert!(files.len() >= 2, "vector files in spec/checkin: {files:?}");
    let mut failures = Vec::new();
    let mut cases = 0;
    for path in files {
        let text = std::fs::read_to_string(&path).expect("readable vector file");
        let file: VectorFile = serde_json::from_str(&text)
            .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        for case in &file.cases {
            cases += 1;
            for failure in run_case(case) {
                failures.push(format!("{} / {}: {failure}", path.display(), case.name));
            }
        }
    }
    assert!(cases >= 20, "only {cases} vectors");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
