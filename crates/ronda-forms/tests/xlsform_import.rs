//! Conformance of the XLSForm importer with pyxform's own example workbooks
//! (copied in tests/data, see SOURCES.txt there).

use std::path::PathBuf;

use ronda_forms::expr::Clock;
use ronda_forms::model::{FormDefinition, QuestionType};
use ronda_forms::validate::{SubmissionContext, validate_submission};
use ronda_forms::xlsform::workbook::{read_markdown, read_xlsx};
use ronda_forms::xlsform::{ImportProblem, export_xlsx, import_file, import_workbook};
use serde_json::{Value as Json, json};

fn data(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    std::fs::read(path).expect("test file exists")
}

fn import(name: &str) -> FormDefinition {
    match import_file(&data(name), name) {
        Ok(definition) => definition,
        Err(problems) => panic!("{name} should import: {problems:#?}"),
    }
}

fn problems(name: &str) -> Vec<ImportProblem> {
    import_file(&data(name), name).expect_err("the file should be refused")
}

fn where_(problem: &ImportProblem) -> (&str, &str, Option<usize>, Option<&str>) {
    (
        problem.code.as_str(),
        problem.sheet.as_str(),
        problem.row,
        problem.column.as_deref(),
    )
}

/// Export then import gives the same definition.
fn assert_round_trip(definition: &FormDefinition) {
    let bytes = export_xlsx(definition).expect("exports");
    let back = import_file(&bytes, "export.xlsx").expect("the export imports");
    assert_eq!(&back, definition);
}

fn question_json(definition: &FormDefinition, name: &str) -> Json {
    serde_json::to_value(definition.question(name).expect("question exists")).expect("serialises")
}

#[test]
fn containers_give_same_form() {
    let md = import("text_and_integer.md");
    assert_eq!(import("text_and_integer.csv"), md);
    assert_eq!(import("text_and_integer.xlsx"), md);
    assert_eq!(md.form_id, "text_and_integer");
    assert_eq!(md.default_language, "en");
    assert_eq!(
        serde_json::to_value(&md.questions).expect("serialises"),
        json!([
            {"type": "text", "name": "your_name", "label": {"en": "What is your name?"}},
            {"type": "integer", "name": "your_age", "label": {"en": "How many years old are you?"}},
        ])
    );
    assert_round_trip(&md);
}

#[test]
fn legacy_select_alias_matches_pyxform_model() {
    let definition = import("yes_or_no_question.md");
    let expected: Json =
        serde_json::from_slice(&data("yes_or_no_question.expected.json")).expect("json");
    let oracle = &expected["children"][0];
    let question = definition.question("good_day").expect("question");
    assert_eq!(question.kind, QuestionType::SelectOne);
    assert_eq!(
        Some(question.list_name.clone().unwrap_or_default().as_str()),
        oracle["list_name"].as_str()
    );
    assert_eq!(
        question.label.en.as_deref(),
        oracle["label"]["english"].as_str()
    );
    let names: Vec<&str> = definition.choices["yes_or_no"]
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    let oracle_names: Vec<&str> = oracle["choices"]
        .as_array()
        .expect("choices")
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert_eq!(names, oracle_names);
    assert_round_trip(&definition);
}

#[test]
fn groups_nest_phone_is_text() {
    let definition = import("group.md");
    let father = definition.question("father").expect("group");
    assert_eq!(father.kind, QuestionType::Group);
    assert_eq!(father.label.en.as_deref(), Some("Father"));
    let children: Vec<&str> = father.children.iter().map(|q| q.name.as_str()).collect();
    assert_eq!(children, ["phone_number", "age"]);
    assert_eq!(
        question_json(&definition, "phone_number")["constraint"],
        "regex(., '^[0-9]*$')"
    );
    assert_round_trip(&definition);
}

#[test]
fn or_other_adds_choice_and_question() {
    let definition = import("specify_other.md");
    let names: Vec<&str> = definition.choices["sexes"]
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(names, ["male", "female", "other"]);
    assert_eq!(
        question_json(&definition, "sex_other"),
        json!({"type": "text", "name": "sex_other", "label": {"en": "Specify other."}, "relevant": "selected(${sex}, 'other')"})
    );
    assert_round_trip(&definition);
}

#[test]
fn upper_case_sheets_and_headers_are_normalised() {
    let found = problems("case_insensitivity.md");
    let places: Vec<_> = found.iter().map(where_).collect();
    assert_eq!(
        places,
        [
            ("unsupported_type", "survey", Some(4), Some("type")),
            ("unsupported_type", "survey", Some(5), Some("type")),
        ]
    );
    // Without the two unsupported rows the rest imports, headers and all.
    let text = String::from_utf8(data("case_insensitivity.md")).expect("utf-8");
    let kept: String = text
        .lines()
        .filter(|line| !line.contains("select_one_external") && !line.contains("osm c1"))
        .map(|line| format!("{line}\n"))
        .collect();
    let definition = import_workbook(&read_markdown(&kept), "case").expect("imports");
    assert_eq!(definition.form_id, "YesNo");
    assert_eq!(definition.default_language, "en");
    assert_eq!(definition.title.en.as_deref(), Some("Yes or no"));
    let q1 = definition.question("q1").expect("q1");
    assert_eq!(q1.list_name.as_deref(), Some("c1"));
    assert_eq!(q1.label.en.as_deref(), Some("Are you good?"));
    assert_eq!(definition.choices["c1"].len(), 2);
}

#[test]
fn gps_and_choice_column_aliases() {
    // The file's only question has no label, which pyxform also refuses.
    let found = problems("gps.csv");
    let places: Vec<_> = found.iter().map(where_).collect();
    assert_eq!(
        places,
        [("missing_label", "survey", Some(3), Some("label"))]
    );
    let text = String::from_utf8(data("gps.csv"))
        .expect("utf-8")
        .replace(",\"type\",\"name\"", ",\"type\",\"name\",\"hint\"")
        .replace("\"location\"", "\"location\",\"Ubicación\"");
    let definition = import_file(text.as_bytes(), "gps.csv").expect("imports with a hint");
    assert_eq!(
        definition.question("location").map(|q| q.kind),
        Some(QuestionType::Geopoint)
    );
    let book = "| survey |\n| | type | name | label |\n| | select one from l | q | Q |\n| choices |\n| | list name | value | text:english |\n| | l | a | A |\n";
    let definition = import_workbook(&read_markdown(book), "aliases").expect("imports");
    assert_eq!(definition.choices["l"][0].label.en.as_deref(), Some("A"));
}

#[test]
fn legacy_widgets_form() {
    let found = problems("widgets.csv");
    let places: Vec<_> = found.iter().map(where_).collect();
    assert_eq!(
        places,
        [
            ("unsupported_type", "survey", Some(15), Some("type")),
            ("unsupported_type", "survey", Some(16), Some("type")),
        ]
    );
    let text = String::from_utf8(data("widgets.csv")).expect("utf-8");
    let kept: String = text
        .lines()
        .filter(|line| !line.contains("\"audio\"") && !line.contains("\"video\""))
        .map(|line| format!("{line}\n"))
        .collect();
    let definition = import_file(kept.as_bytes(), "widgets.csv").expect("imports");
    let q = |name: &str| question_json(&definition, name);
    assert_eq!(q("my_string")["type"], "text");
    assert_eq!(q("my_int")["type"], "integer");
    assert_eq!(q("my_int")["constraint"], ". < 10");
    assert_eq!(
        q("my_int")["constraint_message"],
        json!({"es": "number must be less than 10"})
    );
    assert_eq!(q("my_decimal")["default"], "18.31");
    assert_eq!(q("my_select")["type"], "select_multiple");
    assert_eq!(q("my_select")["default"], "a c");
    assert_eq!(q("my_select1")["default"], "8");
    assert_eq!(q("my_trigger")["type"], "acknowledge");
    assert_eq!(q("my_output")["read_only"], "true()");
    assert_eq!(q("dateTime")["type"], "datetime");
    assert_eq!(q("numberAsString")["appearance"], "numbers");
    let list2: Vec<&str> = definition.choices["list2"]
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(list2, ["1", "2", "3", "4", "5", "6", "7", "8"]);
    assert_round_trip(&definition);
}

#[test]
fn cascading_selects_filter_choices_on_submission() {
    let definition = import("choice_filter_test.xlsx");
    assert_eq!(definition.form_id, "cascading_selects1");
    assert_eq!(
        question_json(&definition, "county")["choice_filter"],
        "${state}=cf"
    );
    // Duplicate "king" is allowed by allow_choice_duplicates.
    assert_eq!(
        definition.choices["counties"]
            .iter()
            .filter(|c| c.name == "king")
            .count(),
        2
    );
    let clock = Clock::parse("2026-08-07T10:00:00-06:00").expect("clock");
    let context = SubmissionContext::new(clock);
    let answers = |state: &str, county: &str, city: &str| {
        json!({"state": state, "county": county, "city": city})
            .as_object()
            .cloned()
            .expect("object")
    };
    assert!(
        validate_submission(
            &definition,
            &answers("washington", "king", "seattle"),
            &context
        )
        .is_ok()
    );
    let refused = validate_submission(
        &definition,
        &answers("washington", "cameron", "harlingen"),
        &context,
    )
    .expect_err("cameron is in texas");
    assert_eq!(refused[0].path, "county");
    assert_eq!(refused[0].code, "invalid_choice");
    assert_round_trip(&definition);
}

#[test]
fn or_other_on_typed_workbook() {
    // pyxform accepts `pastel=yes`, which compares with a `yes` column that
    // does not exist and so offers no choice; Ronda refuses it instead.
    let found = problems("or_other.xlsx");
    let places: Vec<_> = found.iter().map(where_).collect();
    assert_eq!(
        places,
        [(
            "unknown_choice_column",
            "survey",
            Some(3),
            Some("choice_filter")
        )]
    );
    let mut book = read_xlsx(&data("or_other.xlsx")).expect("reads");
    for row in &mut book.sheets[0].rows {
        for cell in &mut row.cells {
            if cell == "pastel=yes" {
                *cell = "pastel='yes'".to_string();
            }
        }
    }
    let definition = import_workbook(&book, "or_other").expect("imports once fixed");
    let colors: Vec<&str> = definition.choices["colors"]
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(
        colors,
        ["red", "green", "blue", "mauve", "apricot", "other"]
    );
    assert_eq!(
        question_json(&definition, "fav_color_other")["relevant"],
        "selected(${fav_color}, 'other')"
    );
    assert_round_trip(&definition);
}

#[test]
fn lone_sheet_is_survey() {
    let definition = import("survey_no_name.xlsx");
    assert_eq!(
        definition
            .question("state")
            .and_then(|q| q.label.es.as_deref()),
        Some("The State")
    );
    let two_sheets =
        "| questions |\n| | type | name |\n| | text | a |\n| other |\n| | x |\n| | y |\n";
    let refused = import_workbook(&read_markdown(two_sheets), "x").expect_err("no survey sheet");
    assert_eq!(refused[0].code, "missing_survey_sheet");
    assert!(refused[0].message_es.contains("questions, other"));
}

#[test]
fn typed_excel_cells_become_text() {
    let book = read_xlsx(&data("xl_date_ambiguous.xlsx")).expect("reads");
    let survey = book
        .sheets
        .iter()
        .find(|s| s.name == "survey")
        .expect("survey");
    // The relevant column of name3 is a number cell holding 0.
    assert!(survey.rows.iter().any(|r| r.cells.iter().any(|c| c == "0")));
    assert!(
        !survey
            .rows
            .iter()
            .any(|r| r.cells.iter().any(|c| c == "0.0"))
    );
    // The changelog sheet is not an XLSForm sheet and is ignored; the only
    // problem is the choice filter on a translated label column.
    let found = problems("xl_date_ambiguous.xlsx");
    let places: Vec<_> = found.iter().map(where_).collect();
    assert_eq!(
        places,
        [(
            "invalid_expression",
            "survey",
            Some(5),
            Some("choice_filter")
        )]
    );
}

#[test]
fn duplicate_headers_are_refused_with_their_place() {
    let found = problems("duplicate_columns.xlsx");
    assert_eq!(
        where_(&found[0]),
        ("duplicate_column", "survey", Some(1), Some("label"))
    );
}

#[test]
fn unsupported_parts_are_named() {
    let found = problems("flat_xlsform_test.xlsx");
    for problem in &found {
        assert!(
            !problem.sheet.is_empty() || problem.code == "invalid_form_id",
            "{problem}"
        );
        assert!(!problem.message_es.is_empty());
        assert!(!problem.message_en.is_empty());
    }
    let codes: std::collections::BTreeSet<&str> = found.iter().map(|p| p.code.as_str()).collect();
    assert_eq!(
        codes.into_iter().collect::<Vec<_>>(),
        [
            "invalid_form_id",
            "missing_label",
            "unknown_reference",
            "unsupported_column",
            "unsupported_language",
            "unsupported_type"
        ]
    );
    let audio = found
        .iter()
        .find(|p| p.code == "unsupported_type" && p.message_en.contains("'audio'"))
        .expect("audio row");
    assert_eq!(
        where_(audio),
        ("unsupported_type", "survey", Some(37), Some("type"))
    );
}
