//! Structural checks of a definition: names, choice lists and expressions.
//! The importer and the JSON upload both run them, so a stored definition
//! always passes.

use std::collections::{BTreeSet, HashSet};

use serde::Serialize;

use super::{FormDefinition, LANGUAGES, Question, QuestionType};
use crate::expr::{self, parse};
use crate::filter::{CHOICE_PREFIX, parse_choice_filter};

/// One thing wrong with a definition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DefinitionProblem {
    /// Stable code, such as `duplicate_name`.
    pub code: String,
    /// The question (or `choices.<list>`) the problem is about; empty for the
    /// whole form.
    pub path: String,
    /// The XLSForm column the problem is in, when it is about one column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    pub message_es: String,
    pub message_en: String,
}

impl DefinitionProblem {
    fn at(mut self, column: &str) -> Self {
        self.column = Some(column.to_string());
        self
    }

    fn new(code: &str, path: &str, es: String, en: String) -> Self {
        DefinitionProblem {
            code: code.to_string(),
            path: path.to_string(),
            column: None,
            message_es: es,
            message_en: en,
        }
    }
}

/// Names XLSForm reserves for the submission's metadata.
const RESERVED_NAMES: [&str; 1] = ["meta"];

/// Returns the names written as `${name}` in free text (labels, hints,
/// messages), which the app replaces with the answers.
pub fn text_references(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else { break };
        out.push(after[..end].trim());
        rest = &after[end + 1..];
    }
    out
}

fn check_text_references(
    question: &Question,
    names: &HashSet<&str>,
    problems: &mut Vec<DefinitionProblem>,
) {
    let name = question.name.as_str();
    let texts = [
        ("label", &question.label),
        ("hint", &question.hint),
        ("required_message", &question.required_message),
        ("constraint_message", &question.constraint_message),
    ];
    for (column, text) in texts {
        for value in [&text.es, &text.en].into_iter().flatten() {
            for reference in text_references(value) {
                if !names.contains(reference) {
                    problems.push(DefinitionProblem::new(
                        "unknown_reference",
                        name,
                        format!("La columna {column} de «{name}» menciona ${{{reference}}}, que no es una pregunta del formulario."),
                        format!("Column {column} of '{name}' refers to ${{{reference}}}, which is not a question of the form."),
                    ).at(column));
                }
            }
        }
    }
}

/// True for a valid question, list or form name: a letter or `_` followed by
/// letters, digits, `_`, `-` or `.`.
pub fn is_valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// Checks `definition` and returns every problem found, in form order.
pub fn check_definition(definition: &FormDefinition) -> Vec<DefinitionProblem> {
    let mut problems = Vec::new();
    if !is_valid_name(&definition.form_id) {
        problems.push(DefinitionProblem::new(
            "invalid_form_id",
            "",
            format!(
                "El identificador del formulario «{}» no es válido: use letras, números y _.",
                definition.form_id
            ),
            format!(
                "Form id '{}' is not valid: use letters, digits and _.",
                definition.form_id
            ),
        ));
    }
    if definition.version.trim().is_empty() {
        problems.push(DefinitionProblem::new(
            "missing_version",
            "",
            "Falta la versión del formulario.".to_string(),
            "The form version is missing.".to_string(),
        ));
    }
    for language in &definition.languages {
        if !LANGUAGES.contains(&language.as_str()) {
            problems.push(DefinitionProblem::new(
                "unsupported_language",
                "",
                format!("El idioma «{language}» no está soportado; use es o en."),
                format!("Language '{language}' is not supported; use es or en."),
            ));
        }
    }
    if !definition.languages.contains(&definition.default_language) {
        problems.push(DefinitionProblem::new(
            "default_language_not_listed",
            "",
            format!(
                "El idioma predeterminado «{}» no está en la lista de idiomas.",
                definition.default_language
            ),
            format!(
                "Default language '{}' is not among the form's languages.",
                definition.default_language
            ),
        ));
    }

    let names: HashSet<&str> = definition.walk().iter().map(|q| q.name.as_str()).collect();
    let mut seen = HashSet::new();
    check_questions(
        definition,
        &definition.questions,
        &names,
        &mut seen,
        &mut problems,
    );

    for (list, choices) in &definition.choices {
        let path = format!("choices.{list}");
        let mut values = BTreeSet::new();
        for choice in choices {
            if choice.name.is_empty() {
                problems.push(DefinitionProblem::new(
                    "empty_choice_name",
                    &path,
                    format!("La lista «{list}» tiene una opción sin nombre."),
                    format!("List '{list}' has a choice without a name."),
                ));
            } else if choice.name.contains(' ') {
                problems.push(DefinitionProblem::new(
                    "choice_name_with_space",
                    &path,
                    format!("La opción «{}» de la lista «{list}» contiene espacios; las respuestas de selección múltiple se separan con espacios.", choice.name),
                    format!("Choice '{}' of list '{list}' contains a space; select_multiple answers are space separated.", choice.name),
                ));
            }
            for value in [&choice.label.es, &choice.label.en].into_iter().flatten() {
                for reference in text_references(value) {
                    if !names.contains(reference) {
                        problems.push(DefinitionProblem::new(
                            "unknown_reference",
                            &path,
                            format!("La etiqueta de la opción «{}» de la lista «{list}» menciona ${{{reference}}}, que no es una pregunta del formulario.", choice.name),
                            format!("The label of choice '{}' of list '{list}' refers to ${{{reference}}}, which is not a question of the form.", choice.name),
                        ).at("label"));
                    }
                }
            }
            // Duplicates are allowed (pyxform's allow_choice_duplicates) only
            // when a filter column tells them apart.
            if !values.insert(choice.name.as_str()) && choice.extra.is_empty() {
                problems.push(DefinitionProblem::new(
                    "duplicate_choice",
                    &path,
                    format!(
                        "La opción «{}» aparece dos veces en la lista «{list}».",
                        choice.name
                    ),
                    format!("Choice '{}' appears twice in list '{list}'.", choice.name),
                ));
            }
        }
    }
    problems
}

fn check_questions<'a>(
    definition: &FormDefinition,
    questions: &'a [Question],
    names: &HashSet<&str>,
    seen: &mut HashSet<&'a str>,
    problems: &mut Vec<DefinitionProblem>,
) {
    for question in questions {
        let name = question.name.as_str();
        if !is_valid_name(name) {
            problems.push(DefinitionProblem::new(
                "invalid_name",
                name,
                format!("El nombre «{name}» no es válido: empiece con una letra o _ y use solo letras, números, _, - o ."),
                format!("Name '{name}' is not valid: start with a letter or _ and use only letters, digits, _, - or ."),
            ).at("name"));
        }
        if !seen.insert(name) {
            problems.push(DefinitionProblem::new(
                "duplicate_name",
                name,
                format!("Hay dos preguntas llamadas «{name}»; cada nombre debe ser único en el formulario."),
                format!("Two questions are called '{name}'; each name must be unique in the form."),
            ).at("name"));
        }
        if RESERVED_NAMES.contains(&name) {
            problems.push(
                DefinitionProblem::new(
                    "reserved_name",
                    name,
                    format!("El nombre «{name}» está reservado; use otro."),
                    format!("Name '{name}' is reserved; use another one."),
                )
                .at("name"),
            );
        }
        check_question(definition, question, names, problems);
        check_text_references(question, names, problems);
        if question.kind == QuestionType::Repeat && contains_repeat(&question.children) {
            problems.push(DefinitionProblem::new(
                "nested_repeat",
                name,
                format!("La repetición «{name}» contiene otra repetición; Ronda admite un solo nivel de repeticiones."),
                format!("Repeat '{name}' contains another repeat; Ronda supports one level of repeats."),
            ).at("type"));
        }
        check_questions(definition, &question.children, names, seen, problems);
    }
}

fn check_question(
    definition: &FormDefinition,
    question: &Question,
    names: &HashSet<&str>,
    problems: &mut Vec<DefinitionProblem>,
) {
    let name = question.name.as_str();
    if question.kind.is_select() {
        match &question.list_name {
            None => problems.push(DefinitionProblem::new(
                "missing_list_name",
                name,
                format!("La pregunta «{name}» es de selección y no indica su lista de opciones."),
                format!("Select question '{name}' does not name its choice list."),
            ).at("type")),
            Some(list) if definition.choices.get(list).is_none_or(|c| c.is_empty()) => {
                problems.push(DefinitionProblem::new(
                    "unknown_list",
                    name,
                    format!("La lista de opciones «{list}» de la pregunta «{name}» no existe o está vacía."),
                    format!("Choice list '{list}' of question '{name}' does not exist or is empty."),
                ).at("type"))
            }
            Some(_) => {}
        }
    }
    if question.kind == QuestionType::Calculate && question.calculation.is_none() {
        problems.push(
            DefinitionProblem::new(
                "missing_calculation",
                name,
                format!("El cálculo «{name}» no tiene fórmula en la columna calculation."),
                format!("Calculate '{name}' has no formula in the calculation column."),
            )
            .at("calculation"),
        );
    }
    let needs_label = !question.kind.is_container() && question.kind != QuestionType::Calculate;
    if needs_label && question.label.is_empty() && question.hint.is_empty() {
        problems.push(DefinitionProblem::new(
            "missing_label",
            name,
            format!("La pregunta «{name}» no tiene etiqueta ni pista; escriba el texto que verá el gestor."),
            format!("Question '{name}' has no label or hint; write the text the agent will see."),
        ).at("label"));
    }
    if question.kind.is_container() && question.children.is_empty() {
        problems.push(
            DefinitionProblem::new(
                "empty_group",
                name,
                format!("El grupo «{name}» no contiene preguntas."),
                format!("Group '{name}' contains no questions."),
            )
            .at("type"),
        );
    }
    if !question.kind.is_container() && !question.children.is_empty() {
        problems.push(
            DefinitionProblem::new(
                "children_not_allowed",
                name,
                format!(
                    "Solo los grupos y las repeticiones contienen preguntas; «{name}» no es uno."
                ),
                format!("Only groups and repeats contain questions; '{name}' is neither."),
            )
            .at("type"),
        );
    }
    let columns = [
        ("required", &question.required),
        ("relevant", &question.relevant),
        ("constraint", &question.constraint),
        ("calculation", &question.calculation),
        ("choice_filter", &question.choice_filter),
        ("read_only", &question.read_only),
        ("repeat_count", &question.repeat_count),
    ];
    for (column, text) in columns {
        let Some(text) = text else { continue };
        let parsed = if column == "choice_filter" {
            check_filter_columns(definition, question, text, problems);
            parse_choice_filter(text).map(|(expr, _)| expr)
        } else {
            parse(text)
        };
        match parsed {
            Err(error) => problems.push(
                DefinitionProblem::new(
                    "invalid_expression",
                    name,
                    format!("La columna {column} de «{name}» tiene un error: {error}."),
                    format!("Column {column} of '{name}' has an error: {error}."),
                )
                .at(column),
            ),
            Ok(parsed) => {
                for reference in expr::references(&parsed) {
                    if reference.starts_with(CHOICE_PREFIX) {
                        continue;
                    }
                    if !names.contains(reference.as_str()) {
                        problems.push(DefinitionProblem::new(
                            "unknown_reference",
                            name,
                            format!("La columna {column} de «{name}» menciona ${{{reference}}}, que no es una pregunta del formulario."),
                            format!("Column {column} of '{name}' refers to ${{{reference}}}, which is not a question of the form."),
                        ).at(column));
                    }
                }
            }
        }
    }
}

fn check_filter_columns(
    definition: &FormDefinition,
    question: &Question,
    text: &str,
    problems: &mut Vec<DefinitionProblem>,
) {
    let Ok((_, columns)) = parse_choice_filter(text) else {
        return;
    };
    let choices = question
        .list_name
        .as_ref()
        .and_then(|list| definition.choices.get(list));
    let Some(choices) = choices else { return };
    for column in columns {
        let known = column == "name"
            || column == "label"
            || choices.iter().any(|c| c.extra.contains_key(&column));
        if !known {
            let name = &question.name;
            problems.push(DefinitionProblem::new(
                "unknown_choice_column",
                name,
                format!("El filtro de opciones de «{name}» usa la columna «{column}», que la lista de opciones no tiene."),
                format!("The choice filter of '{name}' uses column '{column}', which its choice list does not have."),
            ).at("choice_filter"));
        }
    }
}

fn contains_repeat(questions: &[Question]) -> bool {
    questions
        .iter()
        .any(|q| q.kind == QuestionType::Repeat || contains_repeat(&q.children))
}
