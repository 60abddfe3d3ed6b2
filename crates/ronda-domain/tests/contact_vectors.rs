//! Runs every vector in `spec/contact-rules/` against the Rust rules. The TypeScript
//! mirror in `web/src/shared/rules/` runs the same files.

use std::path::{Path, PathBuf};

use jiff::Timestamp;
use ronda_domain::portfolio::{
    CollectionAction, ContactCheck, ContactRule, PersonMet, PersonMetRefusal, State, bundled_zone,
    check, check_person_met, time_zone_name,
};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum VectorFile {
    ContactWindow { cases: Vec<WindowCase> },
    PersonMet { cases: Vec<PersonCase> },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WindowCase {
    name: String,
    rule: ContactRule,
    address: Option<AddressInput>,
    time_zone: Option<String>,
    instant: Timestamp,
    expected: WindowExpected,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AddressInput {
    state: String,
    municipality: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WindowExpected {
    time_zone: String,
    utc_offset: String,
    local_time: String,
    outcome: String,
    reason: Option<String>,
    next_allowed_start: Option<Timestamp>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PersonCase {
    name: String,
    person_met: PersonMet,
    action: CollectionAction,
    expected: PersonExpected,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PersonExpected {
    outcome: String,
    reason: Option<PersonMetRefusal>,
}

fn vector_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../spec/contact-rules")
}

fn vector_files() -> Vec<PathBuf> {
    let entries = std::fs::read_dir(vector_dir()).expect("spec/contact-rules is readable");
    let mut files: Vec<PathBuf> = entries
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    files
}

/// Formats a UTC offset in seconds as "+HH:MM" or "-HH:MM".
fn format_offset(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.abs() / 60;
    format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

fn run_window_case(file: &str, case: &WindowCase) {
    let label = format!("{file}: {}", case.name);
    let zone_name = match (&case.address, &case.time_zone) {
        (Some(address), None) => {
            let state = State::parse(&address.state).unwrap_or_else(|e| panic!("{label}: {e}"));
            time_zone_name(state, address.municipality.as_deref()).to_owned()
        }
        (None, Some(name)) => name.clone(),
        _ => panic!("{label}: give exactly one of address and time_zone"),
    };
    assert_eq!(zone_name, case.expected.time_zone, "{label}: time zone");
    let tz = bundled_zone(&zone_name).unwrap_or_else(|| panic!("{label}: unknown zone"));

    let result = check(&case.rule, &tz, case.instant);
    let (outcome, reason, local_time, next) = match &result {
        ContactCheck::Allowed { local_time } => ("allowed", None, local_time, None),
        ContactCheck::Refused {
            reason,
            local_time,
            next_allowed_start,
        } => {
            let reason = serde_json::to_value(reason).expect("reason serializes");
            let next = next_allowed_start.as_ref().map(|zoned| zoned.timestamp());
            (
                "refused",
                reason.as_str().map(str::to_owned),
                local_time,
                next,
            )
        }
    };
    let offset = format_offset(local_time.offset().seconds());
    assert_eq!(offset, case.expected.utc_offset, "{label}: UTC offset");
    let local = local_time.datetime().to_string();
    assert_eq!(local, case.expected.local_time, "{label}: local time");
    assert_eq!(outcome, case.expected.outcome, "{label}: outcome");
    assert_eq!(reason, case.expected.reason, "{label}: reason");
    assert_eq!(
        next, case.expected.next_allowed_start,
        "{label}: next allowed start"
    );
}

fn run_person_case(file: &str, case: &PersonCase) {
    let label = format!("{file}: {}", case.name);
    let result = check_person_met(case.person_met, case.action);
    let outcome = if result.is_ok() { "allowed" } else { "refused" };
    assert_eq!(outcome, case.expected.outcome, "{label}: outcome");
    assert_eq!(result.err(), case.expected.reason, "{label}: reason");
}

#[test]
fn contact_vectors_all_pass() {
    let files = vector_files();
    assert!(
        files.len() >= 4,
        "expected the vector files in {:?}",
        vector_dir()
    );
    let mut cases = 0;
    for path in files {
        let file = path
            .file_name()
            .expect("file name")
            .to_string_lossy()
            .into_owned();
        let text = std::fs::read_to_string(&path).expect("vector file is readable");
        let vectors: VectorFile =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
        match vectors {
            VectorFile::ContactWindow { cases: list } => {
                list.iter().for_each(|case| run_window_case(&file, case));
                cases += list.len();
            }
            VectorFile::PersonMet { cases: list } => {
                list.iter().for_each(|case| run_person_case(&file, case));
                cases += list.len();
            }
        }
    }
    assert!(cases > 50, "only {cases} cases ran");
}
