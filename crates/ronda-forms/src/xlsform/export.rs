//! Writes a definition as an .xlsx XLSForm with survey, choices and settings
//! sheets, in the shape the importer reads back to the same definition.

use std::collections::BTreeSet;

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::headers::translated_header;
use super::types::type_cell;
use crate::model::{FormDefinition, LangText, Question, QuestionType};

/// Translatable survey columns, in the order written.
const TRANSLATED: [&str; 4] = ["label", "hint", "required_message", "constraint_message"];

fn languages(definition: &FormDefinition) -> Vec<&str> {
    definition.languages.iter().map(String::as_str).collect()
}

fn write_row(sheet: &mut Worksheet, row: u32, cells: &[String]) -> Result<(), XlsxError> {
    for (column, text) in cells.iter().enumerate() {
        if !text.is_empty() {
            let column = u16::try_from(column).unwrap_or(u16::MAX);
            sheet.write_string(row, column, text)?;
        }
    }
    Ok(())
}

fn text_in(text: &LangText, language: &str) -> String {
    text.exact(language).unwrap_or_default().to_string()
}

/// Returns the .xlsx bytes of `definition`.
pub fn export_xlsx(definition: &FormDefinition) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let languages = languages(definition);

    let survey = workbook.add_worksheet();
    survey.set_name("survey")?;
    let mut header: Vec<String> = vec!["type".into(), "name".into()];
    for base in &TRANSLATED[..2] {
        header.extend(languages.iter().map(|l| translated_header(base, l)));
    }
    header.push("required".into());
    header.extend(
        languages
            .iter()
            .map(|l| translated_header("required_message", l)),
    );
    header.extend(["relevant".into(), "constraint".into()]);
    header.extend(
        languages
            .iter()
            .map(|l| translated_header("constraint_message", l)),
    );
    header.extend(
        [
            "calculation",
            "default",
            "choice_filter",
            "read_only",
            "appearance",
            "repeat_count",
            "parameters",
        ]
        .map(String::from),
    );
    survey.set_row_format(0, &bold)?;
    write_row(survey, 0, &header)?;
    let mut row = 1;
    write_questions(survey, &definition.questions, &languages, &mut row)?;
    survey.autofit();

    let choices = workbook.add_worksheet();
    choices.set_name("choices")?;
    let extra_columns: BTreeSet<&str> = definition
        .choices
        .values()
        .flatten()
        .flat_map(|c| c.extra.keys().map(String::as_str))
        .collect();
    let mut header: Vec<String> = vec!["list_name".into(), "name".into()];
    header.extend(languages.iter().map(|l| translated_header("label", l)));
    header.extend(extra_columns.iter().map(|c| (*c).to_string()));
    choices.set_row_format(0, &bold)?;
    write_row(choices, 0, &header)?;
    let mut row = 1;
    for (list, items) in &definition.choices {
        for choice in items {
            let mut cells = vec![list.clone(), choice.name.clone()];
            cells.extend(languages.iter().map(|l| text_in(&choice.label, l)));
            cells.extend(
                extra_columns
                    .iter()
                    .map(|c| choice.extra.get(*c).cloned().unwrap_or_default()),
            );
            write_row(choices, row, &cells)?;
            row += 1;
        }
    }
    choices.autofit();

    let settings = workbook.add_worksheet();
    settings.set_name("settings")?;
    let mut header: Vec<String> = languages
        .iter()
        .map(|l| translated_header("form_title", l))
        .collect();
    header.extend(
        [
            "form_id",
            "version",
            "default_language",
            "allow_choice_duplicates",
        ]
        .map(String::from),
    );
    let mut values: Vec<String> = languages
        .iter()
        .map(|l| text_in(&definition.title, l))
        .collect();
    values.extend([
        definition.form_id.clone(),
        definition.version.clone(),
        definition.default_language.clone(),
        if has_duplicate_choices(definition) {
            "yes"
        } else {
            ""
        }
        .to_string(),
    ]);
    settings.set_row_format(0, &bold)?;
    write_row(settings, 0, &header)?;
    write_row(settings, 1, &values)?;
    settings.autofit();

    workbook.save_to_buffer()
}

fn write_questions(
    sheet: &mut Worksheet,
    questions: &[Question],
    languages: &[&str],
    row: &mut u32,
) -> Result<(), XlsxError> {
    for question in questions {
        let mut cells = vec![
            type_cell(question.kind, question.list_name.as_deref()),
            question.name.clone(),
        ];
        cells.extend(languages.iter().map(|l| text_in(&question.label, l)));
        cells.extend(languages.iter().map(|l| text_in(&question.hint, l)));
        cells.push(question.required.clone().unwrap_or_default());
        cells.extend(
            languages
                .iter()
                .map(|l| text_in(&question.required_message, l)),
        );
        cells.push(question.relevant.clone().unwrap_or_default());
        cells.push(question.constraint.clone().unwrap_or_default());
        cells.extend(
            languages
                .iter()
                .map(|l| text_in(&question.constraint_message, l)),
        );
        let appearance = match question.kind {
            QuestionType::Signature => Some("signature".to_string()),
            _ => question.appearance.clone(),
        };
        let parameters = question
            .parameters
            .max_pixels
            .map(|pixels| format!("max-pixels={pixels}"));
        for value in [
            &question.calculation,
            &question.default,
            &question.choice_filter,
            &question.read_only,
            &appearance,
            &question.repeat_count,
            &parameters,
        ] {
            cells.push(value.clone().unwrap_or_default());
        }
        write_row(sheet, *row, &cells)?;
        *row += 1;
        if question.kind.is_container() {
            write_questions(sheet, &question.children, languages, row)?;
            let end = if question.kind == QuestionType::Group {
                "end_group"
            } else {
                "end_repeat"
            };
            write_row(sheet, *row, &[end.to_string()])?;
            *row += 1;
        }
    }
    Ok(())
}

fn has_duplicate_choices(definition: &FormDefinition) -> bool {
    definition.choices.values().any(|items| {
        let mut names = BTreeSet::new();
        items.iter().any(|c| !names.insert(c.name.as_str()))
    })
}
