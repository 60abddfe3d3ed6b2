//! The shipped templates: sound definitions, the question names the visit
//! API relies on, the rules of DOMAIN.md, and .xlsx twins that import back
//! to the same definition.

use std::path::PathBuf;

use ronda_forms::expr::{parse, references};
use ronda_forms::model::{FormDefinition, QuestionType, check_definition};
use ronda_forms::templates::{TEMPLATES, template};
use ronda_forms::xlsform::{export_xlsx, import_file};

fn definition(name: &str) -> FormDefinition {
    template(name)
        .expect("template exists")
        .definition()
        .expect("template parses")
}

fn twin_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("templates")
        .join(format!("{name}.xlsx"))
}

#[test]
fn templates_are_sound() {
    for shipped in &TEMPLATES {
        let definition = shipped.definition().expect("parses");
        assert_eq!(definition.form_id, shipped.name);
        assert_eq!(definition.default_language, "es");
        assert_eq!(check_definition(&definition), vec![], "{}", shipped.name);
        for question in definition.walk() {
            if question.kind != QuestionType::Calculate {
                assert!(
                    question.label.es.is_some() && question.label.en.is_some(),
                    "{}",
                    question.name
                );
            }
        }
    }
}

#[test]
fn collection_form_has_the_names_visits_read() {
    let definition = definition("visita_cobranza");
    let expect = [
        ("person_met", QuestionType::SelectOne),
        ("result_code", QuestionType::SelectOne),
        ("disclosure_ack", QuestionType::Acknowledge),
        ("promise_amount", QuestionType::Decimal),
        ("promise_date", QuestionType::Date),
        ("promise_channel", QuestionType::SelectOne),
        ("facade_photo", QuestionType::Image),
        ("agreement_signature", QuestionType::Signature),
        ("notes", QuestionType::Text),
    ];
    for (name, kind) in expect {
        assert_eq!(
            definition.question(name).map(|q| q.kind),
            Some(kind),
            "{name}"
        );
    }
    let people: Vec<&str> = definition.choices["person_met"]
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(
        people,
        [
            "debtor",
            "guarantor",
            "third_party",
            "reference",
            "minor",
            "older_adult",
            "nobody"
        ]
    );
}

#[test]
fn verification_score_ignores_age_and_marital_status() {
    let definition = definition("verificacion_domiciliaria");
    let score = definition.question("verification_score").expect("score");
    let calculation = parse(score.calculation.as_deref().expect("calculation")).expect("parses");
    let used = references(&calculation);
    assert!(!used.is_empty());
    for sensitive in ["applicant_age", "marital_status", "dependents"] {
        assert!(
            !used.contains(&sensitive.to_string()),
            "{sensitive} must not be scored"
        );
    }
    // The ten factors of a verification, as sections.
    let sections: Vec<&str> = definition
        .questions
        .iter()
        .filter(|q| q.kind == QuestionType::Group)
        .map(|q| q.name.as_str())
        .collect();
    assert_eq!(
        sections,
        [
            "payment_record",
            "income",
            "employment",
            "residence",
            "household",
            "age_section",
            "references",
            "reserve_assets",
            "purchase",
            "collateral"
        ]
    );
}

/// Set RONDA_WRITE_TEMPLATE_TWINS=1 to rewrite the .xlsx twins after
/// editing a template's JSON.
#[test]
fn xlsx_twins_import_to_the_same_definition() {
    for shipped in &TEMPLATES {
        let definition = shipped.definition().expect("parses");
        let path = twin_path(shipped.name);
        if std::env::var_os("RONDA_WRITE_TEMPLATE_TWINS").is_some() {
            std::fs::write(&path, export_xlsx(&definition).expect("exports")).expect("writes");
        }
        let bytes = std::fs::read(&path).expect("twin exists");
        let imported =
            import_file(&bytes, &format!("{}.xlsx", shipped.name)).expect("twin imports");
        assert_eq!(imported, definition, "{}", shipped.name);
        let fresh =
            import_file(&export_xlsx(&definition).expect("exports"), "x.xlsx").expect("imports");
        assert_eq!(fresh, definition);
    }
}
