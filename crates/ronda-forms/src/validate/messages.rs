//! Default Spanish and English texts of submission problems.

use super::SubmissionProblem;
use crate::model::{LangText, QuestionType};

fn type_words(kind: QuestionType) -> (&'static str, &'static str) {
    match kind {
        QuestionType::Integer => ("un número entero", "a whole number"),
        QuestionType::Decimal => ("un número", "a number"),
        QuestionType::Date => ("una fecha AAAA-MM-DD", "a date YYYY-MM-DD"),
        QuestionType::Time => ("una hora HH:MM", "a time HH:MM"),
        QuestionType::Datetime => ("una fecha y hora RFC 3339", "an RFC 3339 date-time"),
        QuestionType::Geopoint => (
            "una ubicación «latitud longitud [altitud [precisión]]»",
            "a location 'latitude longitude [altitude [accuracy]]'",
        ),
        QuestionType::Image | QuestionType::Signature => (
            "el SHA-256 en hexadecimal del archivo adjunto",
            "the attachment's SHA-256 in hex",
        ),
        QuestionType::Acknowledge => ("«OK»", "'OK'"),
        QuestionType::SelectMultiple => ("una lista de opciones", "a list of choices"),
        _ => ("texto", "text"),
    }
}

pub(super) fn problem(path: &str, code: &str, es: String, en: String) -> SubmissionProblem {
    SubmissionProblem {
        path: path.to_string(),
        code: code.to_string(),
        message_es: es,
        message_en: en,
    }
}

/// Uses the form's own message when it has one, in each language.
fn with_form_message(custom: &LangText, es: String, en: String) -> (String, String) {
    (
        custom.get("es").map_or(es, str::to_string),
        custom.get("en").map_or(en, str::to_string),
    )
}

pub(super) fn required(path: &str, custom: &LangText) -> SubmissionProblem {
    let (es, en) = with_form_message(
        custom,
        format!("La pregunta «{path}» es obligatoria."),
        format!("Question '{path}' is required."),
    );
    problem(path, "required", es, en)
}

pub(super) fn constraint(path: &str, custom: &LangText) -> SubmissionProblem {
    let (es, en) = with_form_message(
        custom,
        format!("La respuesta de «{path}» no cumple la regla del formulario."),
        format!("The answer to '{path}' breaks the form's rule."),
    );
    problem(path, "constraint", es, en)
}

pub(super) fn invalid_type(path: &str, kind: QuestionType, value: &str) -> SubmissionProblem {
    let (es, en) = type_words(kind);
    problem(
        path,
        "invalid_type",
        format!("La respuesta «{value}» de «{path}» debe ser {es}."),
        format!("Answer '{value}' to '{path}' must be {en}."),
    )
}

pub(super) fn invalid_choice(path: &str, value: &str) -> SubmissionProblem {
    problem(
        path,
        "invalid_choice",
        format!("«{value}» no es una opción permitida en «{path}»."),
        format!("'{value}' is not an allowed choice of '{path}'."),
    )
}

pub(super) fn unknown_question(path: &str) -> SubmissionProblem {
    problem(
        path,
        "unknown_question",
        format!("El formulario no tiene una pregunta «{path}» que se pueda responder."),
        format!("The form has no answerable question '{path}'."),
    )
}

pub(super) fn repeat_count(path: &str, expected: &str, found: usize) -> SubmissionProblem {
    problem(
        path,
        "repeat_count",
        format!("«{path}» debe tener {expected} repeticiones y tiene {found}."),
        format!("'{path}' must have {expected} instances and has {found}."),
    )
}

pub(super) fn expression_error(path: &str, column: &str, error: &str) -> SubmissionProblem {
    problem(
        path,
        "expression_error",
        format!("No se pudo evaluar la columna {column} de «{path}»: {error}."),
        format!("Column {column} of '{path}' could not be evaluated: {error}."),
    )
}

pub(super) fn dependency_cycle(path: &str) -> SubmissionProblem {
    problem(
        path,
        "dependency_cycle",
        format!("«{path}» depende de sí misma a través de sus cálculos o condiciones."),
        format!("'{path}' depends on itself through its calculations or conditions."),
    )
}
