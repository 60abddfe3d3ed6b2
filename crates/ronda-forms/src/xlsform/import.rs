//! Builds a [`FormDefinition`] from a workbook, following pyxform for the
//! supported subset and reporting everything else with sheet, row and
//! column.

use std::collections::{BTreeMap, HashMap};

use super::problem::ImportProblem;
use super::table::{RowView, Table, explicit_languages};
use super::types::{RowType, parse_type};
use super::workbook::{Sheet, Workbook};
use crate::model::{
    Choice, FormDefinition, LANGUAGES, LangText, Parameters, Question, QuestionType,
    check_definition,
};

const SURVEY_COLUMNS: [&str; 16] = [
    "type",
    "name",
    "label",
    "hint",
    "required",
    "required_message",
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
];

/// Media columns of pyxform's choices sheet, which Ronda does not support.
const MEDIA_COLUMNS: [&str; 5] = ["image", "audio", "video", "big-image", "media"];

fn find_sheet<'a>(book: &'a Workbook, name: &str) -> Option<&'a Sheet> {
    book.sheets
        .iter()
        .find(|s| s.name.trim().eq_ignore_ascii_case(name))
}

/// Turns any text into a usable form id: invalid characters become `_`.
pub fn sanitize_id(text: &str) -> String {
    let mut out: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if !out.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        out.insert(0, '_');
    }
    out
}

struct Settings {
    values: HashMap<String, String>,
    titles: LangText,
}

fn read_settings(book: &Workbook, problems: &mut Vec<ImportProblem>) -> Settings {
    let mut settings = Settings {
        values: HashMap::new(),
        titles: LangText::default(),
    };
    let Some(sheet) = find_sheet(book, "settings") else {
        return settings;
    };
    // The default language decides what a plain form_title is, so read it first.
    let mut scratch = Vec::new();
    let table = Table::read(sheet, "settings", "es", &mut scratch);
    let Some(row) = table.rows.first() else {
        return settings;
    };
    let view = RowView { table: &table, row };
    for (_, _, key) in &table.columns {
        if let super::table::Key::Plain(base) = key
            && let Some(value) = view.plain(base)
        {
            settings.values.insert(base.clone(), value.to_string());
        }
    }
    let default_language = settings
        .values
        .get("default_language")
        .and_then(|l| super::headers::language_code(l))
        .unwrap_or("es");
    let table = Table::read(sheet, "settings", default_language, problems);
    let view = RowView { table: &table, row };
    for language in LANGUAGES {
        if let Some(title) = view.translated("form_title", language) {
            settings.titles.set(language, title.to_string());
        }
    }
    settings
}

fn yes_no_expression(value: Option<&str>) -> Option<String> {
    let value = value?;
    match value.to_ascii_lowercase().as_str() {
        "yes" | "true" | "true()" | "1" => Some("true()".to_string()),
        "no" | "false" | "false()" | "0" => None,
        _ => Some(value.to_string()),
    }
}

fn lang_text(view: &RowView<'_, '_>, column: &str) -> LangText {
    let mut text = LangText::default();
    for language in LANGUAGES {
        if let Some(value) = view.translated(column, language) {
            text.set(language, value.to_string());
        }
    }
    text
}

/// Imports a workbook. `fallback_id` names the form when the settings sheet
/// gives no `form_id` (pyxform uses the file name).
pub fn import_workbook(
    book: &Workbook,
    fallback_id: &str,
) -> Result<FormDefinition, Vec<ImportProblem>> {
    let mut problems = Vec::new();
    let survey = match find_sheet(book, "survey") {
        Some(sheet) => sheet,
        None if book.sheets.len() == 1 => &book.sheets[0],
        None => {
            let names: Vec<&str> = book.sheets.iter().map(|s| s.name.as_str()).collect();
            let names = names.join(", ");
            return Err(vec![ImportProblem::new(
                "missing_survey_sheet",
                "",
                format!(
                    "El archivo no tiene una hoja llamada «survey» (hojas encontradas: {names}). Cambie el nombre de la hoja de preguntas a «survey»."
                ),
                format!(
                    "The file has no sheet called 'survey' (sheets found: {names}). Rename the questions sheet to 'survey'."
                ),
            )]);
        }
    };
    let settings = read_settings(book, &mut problems);
    let choices_sheet = find_sheet(book, "choices");

    let mut explicit = explicit_languages(survey);
    if let Some(sheet) = choices_sheet {
        explicit.extend(explicit_languages(sheet));
    }
    let default_language = match settings.values.get("default_language") {
        Some(written) => match super::headers::language_code(written) {
            Some(code) => code,
            None => {
                problems.push(ImportProblem::new(
                    "unsupported_language",
                    "settings",
                    format!("El idioma predeterminado «{written}» no está soportado; use «es» o «en»."),
                    format!("Default language '{written}' is not supported; use 'es' or 'en'."),
                ).column("default_language"));
                "es"
            }
        },
        None if explicit.contains(&"en") && !explicit.contains(&"es") => "en",
        None => "es",
    };

    let survey_table = Table::read(survey, "survey", default_language, &mut problems);
    if !survey_table.has_column("type") {
        let row = survey.rows.first().map_or(1, |r| r.number);
        return Err(vec![ImportProblem::new(
            "missing_type_column",
            "survey",
            "La hoja survey no tiene la columna «type» en su primera fila; la primera fila debe ser de encabezados (type, name, label...).".to_string(),
            "The survey sheet has no 'type' column in its first row; the first row must hold the headers (type, name, label...).".to_string(),
        ).row(row)]);
    }
    let allow_duplicates = settings
        .values
        .get("allow_choice_duplicates")
        .is_some_and(|v| matches!(v.to_ascii_lowercase().as_str(), "yes" | "true"));
    let mut choices = match choices_sheet {
        Some(sheet) => {
            let table = Table::read(sheet, "choices", default_language, &mut problems);
            read_choices(&table, allow_duplicates, &mut problems)
        }
        None => BTreeMap::new(),
    };
    let mut languages: Vec<&str> = survey_table.languages();
    languages.push(default_language);

    let mut builder = SurveyBuilder {
        languages: languages.clone(),
        ..SurveyBuilder::default()
    };
    builder.read(&survey_table, &mut problems);
    for list in &builder.or_other_lists {
        if let Some(list_choices) = choices.get_mut(list)
            && !list_choices.iter().any(|c| c.name == "other")
        {
            list_choices.push(Choice {
                name: "other".to_string(),
                label: generated_text(&languages, "Otro", "Other"),
                extra: BTreeMap::new(),
            });
        }
    }

    let form_id = settings
        .values
        .get("form_id")
        .cloned()
        .unwrap_or_else(|| sanitize_id(fallback_id));
    let mut title = settings.titles.clone();
    if title.is_empty() {
        title.set(default_language, form_id.clone());
    }
    let mut ordered: Vec<String> = LANGUAGES
        .iter()
        .filter(|l| languages.contains(l))
        .map(|l| (*l).to_string())
        .collect();
    ordered.dedup();
    let definition = FormDefinition {
        form_id,
        version: settings
            .values
            .get("version")
            .cloned()
            .unwrap_or_else(|| "1".to_string()),
        title,
        default_language: default_language.to_string(),
        languages: ordered,
        questions: builder.top,
        choices,
    };
    for problem in check_definition(&definition) {
        let (sheet, row) = if let Some(list) = problem.path.strip_prefix("choices.") {
            ("choices", builder.list_rows.get(list).copied())
        } else if problem.code == "duplicate_name" {
            (
                "survey",
                builder
                    .name_rows
                    .get(&problem.path)
                    .and_then(|rows| rows.last().copied()),
            )
        } else {
            (
                "survey",
                builder
                    .name_rows
                    .get(&problem.path)
                    .and_then(|rows| rows.first().copied()),
            )
        };
        let mut imported =
            ImportProblem::new(&problem.code, sheet, problem.message_es, problem.message_en);
        imported.row = row;
        imported.column = problem.column;
        problems.push(imported);
    }
    if problems.is_empty() {
        Ok(definition)
    } else {
        Err(problems)
    }
}

fn read_choices(
    table: &Table<'_>,
    allow_duplicates: bool,
    problems: &mut Vec<ImportProblem>,
) -> BTreeMap<String, Vec<Choice>> {
    let mut lists: BTreeMap<String, Vec<Choice>> = BTreeMap::new();
    for row in table.rows {
        let view = RowView { table, row };
        if view.is_blank() {
            continue;
        }
        let list = view.plain("list_name");
        let name = view.plain("name");
        let (Some(list), Some(name)) = (list, name) else {
            let (code, column) = if list.is_none() {
                ("missing_list_name", "list_name")
            } else {
                ("missing_choice_name", "name")
            };
            problems.push(
                ImportProblem::new(
                    code,
                    "choices",
                    format!("A la fila le falta el valor de la columna «{column}»; escríbalo o borre la fila."),
                    format!("The row has no value in column '{column}'; fill it in or delete the row."),
                )
                .row(row.number)
                .column(column),
            );
            continue;
        };
        let mut extra = BTreeMap::new();
        for (index, header, key) in &table.columns {
            let super::table::Key::Plain(base) = key else {
                continue;
            };
            if base == "list_name" || base == "name" {
                continue;
            }
            let Some(value) = row
                .cells
                .get(*index)
                .map(|c| c.trim())
                .filter(|c| !c.is_empty())
            else {
                continue;
            };
            let family = base.split("::").next().unwrap_or_default();
            if MEDIA_COLUMNS.contains(&family) {
                problems.push(
                    ImportProblem::new(
                        "unsupported_column",
                        "choices",
                        format!("Ronda no admite archivos multimedia en las opciones (columna «{header}»); borre su contenido o la columna."),
                        format!("Ronda does not support media in choices (column '{header}'); clear it or delete the column."),
                    )
                    .row(row.number)
                    .column(header),
                );
                continue;
            }
            extra.insert(header.clone(), value.to_string());
        }
        let entries = lists.entry(list.to_string()).or_default();
        if !allow_duplicates && entries.iter().any(|c| c.name == name) {
            problems.push(
                ImportProblem::new(
                    "duplicate_choice",
                    "choices",
                    format!("La opción «{name}» aparece dos veces en la lista «{list}». Cambie un nombre, o escriba allow_choice_duplicates = yes en la hoja settings."),
                    format!("Choice '{name}' appears twice in list '{list}'. Rename one, or set allow_choice_duplicates = yes on the settings sheet."),
                )
                .row(row.number)
                .column("name"),
            );
            continue;
        }
        entries.push(Choice {
            name: name.to_string(),
            label: lang_text(&view, "label"),
            extra,
        });
    }
    lists
}

/// Text Ronda adds to a form (or_other), in the form's languages only.
fn generated_text(languages: &[&str], es: &str, en: &str) -> LangText {
    LangText {
        es: languages.contains(&"es").then(|| es.to_string()),
        en: languages.contains(&"en").then(|| en.to_string()),
    }
}

#[derive(Default)]
struct SurveyBuilder {
    languages: Vec<&'static str>,
    top: Vec<Question>,
    stack: Vec<(Question, usize)>,
    name_rows: HashMap<String, Vec<usize>>,
    list_rows: HashMap<String, usize>,
    or_other_lists: Vec<String>,
}

impl SurveyBuilder {
    fn push(&mut self, question: Question, row: usize) {
        self.name_rows
            .entry(question.name.clone())
            .or_default()
            .push(row);
        self.attach(question);
    }

    fn attach(&mut self, question: Question) {
        match self.stack.last_mut() {
            Some((open, _)) => open.children.push(question),
            None => self.top.push(question),
        }
    }

    fn read(&mut self, table: &Table<'_>, problems: &mut Vec<ImportProblem>) {
        for row in table.rows {
            let view = RowView { table, row };
            if view.is_blank() {
                continue;
            }
            self.read_row(&view, problems);
        }
        while let Some((open, row)) = self.stack.pop() {
            problems.push(
                ImportProblem::new(
                    "unclosed_group",
                    "survey",
                    format!(
                        "«{}» se abre en esta fila y nunca se cierra; agregue una fila «end_{}».",
                        open.name,
                        open.kind.as_str()
                    ),
                    format!(
                        "'{}' opens on this row and is never closed; add an 'end_{}' row.",
                        open.name,
                        open.kind.as_str()
                    ),
                )
                .row(row)
                .column("type"),
            );
        }
    }

    fn read_row(&mut self, view: &RowView<'_, '_>, problems: &mut Vec<ImportProblem>) {
        let number = view.row.number;
        let problem = |code: &str, column: &str, es: String, en: String| {
            ImportProblem::new(code, "survey", es, en)
                .row(number)
                .column(column)
        };
        let Some(type_cell) = view.plain("type") else {
            problems.push(problem(
                "missing_type",
                "type",
                "La fila tiene datos pero no tipo; escriba el tipo de pregunta o borre la fila."
                    .to_string(),
                "The row has data but no type; write the question type or delete the row."
                    .to_string(),
            ));
            return;
        };
        let row_type = parse_type(type_cell);
        let kind = match &row_type {
            RowType::EndGroup | RowType::EndRepeat => {
                let want = if row_type == RowType::EndGroup {
                    QuestionType::Group
                } else {
                    QuestionType::Repeat
                };
                match self.stack.pop() {
                    Some((open, _)) if open.kind == want => self.attach(open),
                    Some((open, row)) => {
                        problems.push(problem(
                            "unmatched_end",
                            "type",
                            format!("«{type_cell}» no cierra lo último que se abrió («{}», fila {row}).", open.name),
                            format!("'{type_cell}' does not close the last opened section ('{}', row {row}).", open.name),
                        ));
                        self.stack.push((open, row));
                    }
                    None => problems.push(problem(
                        "unmatched_end",
                        "type",
                        format!("«{type_cell}» no tiene un «begin» que cerrar."),
                        format!("'{type_cell}' has no 'begin' to close."),
                    )),
                }
                return;
            }
            RowType::RecordedMetadata => return,
            RowType::Unsupported => {
                problems.push(problem(
                    "unsupported_type",
                    "type",
                    format!("Ronda no admite el tipo «{type_cell}». Tipos admitidos: text, integer, decimal, select_one, select_multiple, date, time, datetime, geopoint, image, note, calculate, acknowledge, barcode, grupos y repeticiones."),
                    format!("Ronda does not support type '{type_cell}'. Supported: text, integer, decimal, select_one, select_multiple, date, time, datetime, geopoint, image, note, calculate, acknowledge, barcode, groups and repeats."),
                ));
                return;
            }
            RowType::MissingList => {
                problems.push(problem(
                    "missing_list_name",
                    "type",
                    format!("«{type_cell}» necesita el nombre de su lista de opciones, por ejemplo «select_one si_no»."),
                    format!("'{type_cell}' needs the name of its choice list, for example 'select_one yes_no'."),
                ));
                return;
            }
            RowType::Question(kind) => *kind,
            RowType::Select { kind, .. } => *kind,
            RowType::PhoneNumber => QuestionType::Text,
            RowType::BeginGroup => QuestionType::Group,
            RowType::BeginRepeat => QuestionType::Repeat,
        };
        for header in view.unknown(&SURVEY_COLUMNS) {
            problems.push(problem(
                "unsupported_column",
                header,
                format!("Ronda no admite la columna «{header}»; borre su contenido o la columna."),
                format!("Ronda does not support column '{header}'; clear it or delete the column."),
            ));
        }
        let Some(name) = view.plain("name") else {
            problems.push(problem(
                "missing_name",
                "name",
                "Falta el nombre de la pregunta; escriba un nombre único con letras, números y _."
                    .to_string(),
                "The question has no name; write a unique name with letters, digits and _."
                    .to_string(),
            ));
            return;
        };
        let mut question = Question::new(kind, name);
        question.label = lang_text(view, "label");
        question.hint = lang_text(view, "hint");
        question.required = yes_no_expression(view.plain("required"));
        question.required_message = lang_text(view, "required_message");
        question.relevant = view.plain("relevant").map(str::to_string);
        question.constraint = view.plain("constraint").map(str::to_string);
        question.constraint_message = lang_text(view, "constraint_message");
        question.calculation = view.plain("calculation").map(str::to_string);
        question.default = view.plain("default").map(str::to_string);
        question.choice_filter = view.plain("choice_filter").map(str::to_string);
        question.read_only = yes_no_expression(view.plain("read_only"));
        question.appearance = view.plain("appearance").map(str::to_string);
        question.repeat_count = view.plain("repeat_count").map(str::to_string);
        if let Some(text) = view.plain("parameters") {
            match parse_parameters(kind, text) {
                Ok(parameters) => question.parameters = parameters,
                Err((es, en)) => problems.push(problem("invalid_parameter", "parameters", es, en)),
            }
        }
        if kind == QuestionType::Image && question.appearance.as_deref() == Some("signature") {
            question.kind = QuestionType::Signature;
            question.appearance = None;
        }
        if row_type == RowType::PhoneNumber && question.constraint.is_none() {
            question.constraint = Some("regex(., '^[0-9]*$')".to_string());
        }
        match row_type {
            RowType::BeginGroup | RowType::BeginRepeat => {
                self.name_rows
                    .entry(question.name.clone())
                    .or_default()
                    .push(number);
                self.stack.push((question, number));
            }
            RowType::Select { list, or_other, .. } => {
                self.list_rows.entry(list.clone()).or_insert(number);
                question.list_name = Some(list.clone());
                if or_other && question.choice_filter.is_some() {
                    problems.push(problem(
                        "or_other_with_choice_filter",
                        "choice_filter",
                        "«or_other» no se puede combinar con choice_filter; agregue la opción «other» a la lista y una pregunta de texto con relevant.".to_string(),
                        "'or_other' cannot be combined with choice_filter; add an 'other' choice to the list and a text question with relevant.".to_string(),
                    ));
                }
                let other = or_other.then(|| {
                    let mut other = Question::new(QuestionType::Text, &format!("{name}_other"));
                    other.label =
                        generated_text(&self.languages, "Especifique otro.", "Specify other.");
                    other.relevant = Some(format!("selected(${{{name}}}, 'other')"));
                    other
                });
                self.push(question, number);
                if let Some(other) = other {
                    self.or_other_lists.push(list);
                    self.push(other, number);
                }
            }
            _ => self.push(question, number),
        }
    }
}

/// Parses `max-pixels=1024` style parameters; only photos take one.
fn parse_parameters(kind: QuestionType, text: &str) -> Result<Parameters, (String, String)> {
    let mut parameters = Parameters::default();
    for pair in text.split([' ', ',', ';']).filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let key = key.trim().to_ascii_lowercase().replace('_', "-");
        if key != "max-pixels" || kind != QuestionType::Image {
            return Err((
                format!(
                    "Ronda no admite el parámetro «{pair}» en esta pregunta; solo las fotos aceptan max-pixels=N."
                ),
                format!(
                    "Ronda does not support parameter '{pair}' on this question; only photos take max-pixels=N."
                ),
            ));
        }
        match value.trim().parse::<u32>() {
            Ok(pixels) if pixels > 0 => parameters.max_pixels = Some(pixels),
            _ => {
                return Err((
                    format!("max-pixels debe ser un número entero positivo, no «{value}»."),
                    format!("max-pixels must be a positive whole number, not '{value}'."),
                ));
            }
        }
    }
    Ok(parameters)
}
