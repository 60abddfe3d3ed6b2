//! Property tests: no file, form or submission makes the importer, the
//! exporter or the validator panic, and every form the importer accepts
//! survives an .xlsx round trip.

use std::path::PathBuf;

use proptest::prelude::*;
use ronda_forms::expr::Clock;
use ronda_forms::model::{FormDefinition, check_definition};
use ronda_forms::validate::{SubmissionContext, validate_submission};
use ronda_forms::xlsform::workbook::read_markdown;
use ronda_forms::xlsform::{export_xlsx, import_file, import_workbook};
use serde_json::{Map, Value as Json};

const TYPES: &[&str] = &[
    "text",
    "integer",
    "decimal",
    "select_one l",
    "select_multiple l",
    "select one from l",
    "select_one l or_other",
    "date",
    "time",
    "dateTime",
    "geopoint",
    "image",
    "note",
    "calculate",
    "acknowledge",
    "barcode",
    "begin group",
    "end group",
    "begin repeat",
    "end repeat",
    "audio",
    "select_one",
    "",
    "start",
    "phone number",
    "trigger",
];
const HEADERS: &[&str] = &[
    "type",
    "name",
    "label",
    "label::English (en)",
    "hint::es",
    "required",
    "relevant",
    "constraint",
    "constraint_message",
    "calculation",
    "default",
    "choice_filter",
    "read_only",
    "appearance",
    "repeat_count",
    "parameters",
    "media::image",
    "LABEL:ES",
];
const CELLS: &[&str] = &[
    "",
    "a",
    "b",
    "c",
    "q1",
    "${a}",
    "${a} > 1",
    ". < 10",
    "yes",
    "true()",
    "signature",
    "max-pixels=800",
    "max-pixels=x",
    "cf = ${a}",
    "(",
    "${missing}",
    "2",
    "né|x",
    "'x'",
    "selected(${b}, 'x')",
    "sum(${c})",
    "count(${c})",
];

fn cell(pool: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop::sample::select(pool).prop_map(str::to_string)
}

fn markdown_form() -> impl Strategy<Value = String> {
    let header = prop::collection::vec(cell(HEADERS), 1..7);
    let rows = prop::collection::vec(
        (cell(TYPES), prop::collection::vec(cell(CELLS), 0..7)),
        0..12,
    );
    let choices = prop::collection::vec((cell(CELLS), cell(CELLS), cell(CELLS)), 0..5);
    (header, rows, choices).prop_map(|(header, rows, choices)| {
        let mut md = format!("| survey |\n| | {} |\n", header.join(" | "));
        for (kind, cells) in rows {
            md.push_str(&format!("| | {kind} | {} |\n", cells.join(" | ")));
        }
        md.push_str("| choices |\n| | list_name | name | label | cf |\n");
        for (name, label, cf) in choices {
            md.push_str(&format!("| | l | {name} | {label} | {cf} |\n"));
        }
        md
    })
}

const GOOD_TYPES: &[&str] = &[
    "text",
    "integer",
    "decimal",
    "select_one l",
    "select_multiple l",
    "date",
    "time",
    "datetime",
    "geopoint",
    "image",
    "note",
    "acknowledge",
    "barcode",
    "select_one l or_other",
];
const EXPRESSIONS: &[&str] = &["", "${q0} != ''", ". > 1", "string-length(.) < 5", "true()"];
const HINTS: &[&str] = &["", "Ayuda", "Antes: ${q0}"];

/// Forms that are mostly well made: unique names, labels, expressions over
/// the first question, a group around part of the rows.
fn mostly_valid_form() -> impl Strategy<Value = String> {
    let row = (
        cell(GOOD_TYPES),
        cell(EXPRESSIONS),
        cell(EXPRESSIONS),
        any::<bool>(),
        cell(HINTS),
    );
    (prop::collection::vec(row, 1..10), 0usize..10, 0usize..10, any::<bool>()).prop_map(
        |(rows, group_start, group_len, english)| {
            let label = if english { "label::English (en)" } else { "label" };
            let mut md = format!("| survey |\n| | type | name | {label} | relevant | constraint | required | hint |\n");
            for (index, (kind, relevant, constraint, required, hint)) in rows.iter().enumerate() {
                if index == group_start && index > 0 {
                    md.push_str("| | begin_group | g | Grupo | | | | |\n");
                }
                let relevant = if index == 0 { "" } else { relevant.as_str() };
                let constraint = if kind.starts_with("select") || index == 0 { "" } else { constraint.as_str() };
                let required = if *required { "yes" } else { "" };
                md.push_str(&format!("| | {kind} | q{index} | Pregunta {index} | {relevant} | {constraint} | {required} | {hint} |\n"));
                if index == group_start + group_len && index >= group_start && group_start > 0 {
                    md.push_str("| | end_group | | | | | | |\n");
                }
            }
            if group_start > 0 && group_start < rows.len() && group_start + group_len >= rows.len() {
                md.push_str("| | end_group | | | | | | |\n");
            }
            md.push_str("| choices |\n| | list_name | name | label |\n| | l | x | Equis |\n| | l | y | Ye |\n");
            md
        },
    )
}

fn answer() -> impl Strategy<Value = Json> {
    let leaf = prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::Bool),
        any::<f64>().prop_map(|n| serde_json::Number::from_f64(n).map_or(Json::Null, Json::Number)),
        cell(CELLS).prop_map(Json::String),
        ".{0,12}".prop_map(Json::String),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Json::Array),
            prop::collection::btree_map(cell(CELLS), inner, 0..4)
                .prop_map(|m| Json::Object(m.into_iter().collect())),
        ]
    })
}

fn vector_forms() -> Vec<FormDefinition> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../spec/forms/validation.json");
    let doc: Json = serde_json::from_slice(&std::fs::read(path).expect("readable")).expect("json");
    doc["forms"]
        .as_object()
        .expect("forms")
        .values()
        .map(|f| serde_json::from_value(f.clone()).expect("form"))
        .collect()
}

fn answer_names() -> Vec<&'static str> {
    vec![
        "name",
        "age",
        "wage",
        "person",
        "tags",
        "why",
        "people",
        "people_count",
        "person_age",
        "state",
        "city",
        "promise_amount",
        "promise_date",
        "overdue_amount",
        "work",
        "photo",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400), ext in prop::sample::select(vec!["x.xlsx", "x.csv", "x.md", "x.bin"])) {
        let _ = import_file(&bytes, ext);
    }

    #[test]
    fn damaged_workbooks_never_panic(at in 0usize..4000, byte in any::<u8>(), cut in 0usize..6000) {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/or_other.xlsx");
        let mut bytes = std::fs::read(path).expect("readable");
        if let Some(slot) = bytes.get_mut(at) {
            *slot = byte;
        }
        bytes.truncate(cut.max(4));
        let _ = import_file(&bytes, "x.xlsx");
    }

    #[test]
    fn mostly_valid_forms_round_trip(md in mostly_valid_form()) {
        let definition = import_workbook(&read_markdown(&md), "generated");
        let definition = match definition {
            Ok(definition) => definition,
            Err(problems) => return Err(TestCaseError::fail(format!("{md}\n{problems:#?}"))),
        };
        let bytes = export_xlsx(&definition).expect("exports");
        let back = import_file(&bytes, "generated.xlsx").expect("re-imports");
        prop_assert_eq!(back, definition);
    }

    #[test]
    fn generated_forms_import_or_explain(md in markdown_form()) {
        match import_workbook(&read_markdown(&md), "generated") {
            Ok(definition) => {
                prop_assert_eq!(check_definition(&definition), vec![]);
                let bytes = export_xlsx(&definition).expect("exports");
                let back = import_file(&bytes, "generated.xlsx").expect("re-imports");
                prop_assert_eq!(back, definition);
            }
            Err(problems) => {
                prop_assert!(!problems.is_empty());
                for problem in problems {
                    prop_assert!(!problem.code.is_empty() && !problem.message_es.is_empty());
                }
            }
        }
    }

    #[test]
    fn arbitrary_answers_never_panic(values in prop::collection::vec(answer(), 0..10), form in 0usize..4) {
        let forms = vector_forms();
        let definition = &forms[form % forms.len()];
        let mut answers = Map::new();
        for (name, value) in answer_names().into_iter().zip(values) {
            answers.insert(name.to_string(), value);
        }
        let clock = Clock::parse("2026-08-07T10:30:00-06:00").expect("clock");
        let context = SubmissionContext::new(clock).with_external("overdue_amount", "1000");
        if let Ok(validated) = validate_submission(definition, &answers, &context) {
            // What was accepted is accepted again, unchanged.
            let again = validate_submission(definition, &validated.answers, &context).expect("stable");
            prop_assert_eq!(again.answers, validated.answers);
        }
    }
}
