//! The 400 response to a tracking message the parser rejected, in Spanish and English.

use axum::http::StatusCode;
use ronda_domain::tracking::{ParseError, ParseErrorCode};

use crate::error::{ApiError, ErrorCode, InputProblem};

/// Turns a rejected message into a 400 that names the field. The English text is the
/// parser's message. The Spanish text is worded here from the code, the rejected value
/// and the example.
pub(crate) fn parse_error(error: ParseError) -> ApiError {
    ApiError::Client {
        status: StatusCode::BAD_REQUEST,
        code: ErrorCode::InvalidInput,
        field: Some(error.field.clone()),
        problem: Some(InputProblem::Explained {
            es: format!("Mensaje de posición no válido: {}", spanish(&error)),
            en: format!("Invalid position message: {}", error.message),
        }),
    }
}

fn spanish(error: &ParseError) -> String {
    let field = &error.field;
    let received = match &error.value {
        Some(value) => format!(" (se recibió {value})"),
        None => String::new(),
    };
    let example = match &error.example {
        Some(example) => format!(" Por ejemplo: {example}."),
        None => String::new(),
    };
    match error.code {
        ParseErrorCode::MissingField => {
            format!("falta «{field}». Revisa la configuración de la app de rastreo.{example}")
        }
        ParseErrorCode::InvalidNumber => format!(
            "«{field}» no es un número válido{received}. Envía un número decimal con punto.{example}"
        ),
        ParseErrorCode::OutOfRange => {
            format!("«{field}» está fuera del rango permitido{received}.{example}")
        }
        ParseErrorCode::InvalidBoolean => {
            format!("«{field}» debe ser true o false{received}.")
        }
        ParseErrorCode::InvalidTimestamp => format!(
            "«{field}» no es una hora válida{received}. Envía segundos o milisegundos Unix, \
             ISO 8601 o «aaaa-MM-dd HH:mm:ss» en UTC, por ejemplo 1377177267."
        ),
        ParseErrorCode::InvalidType => {
            format!("«{field}» tiene un tipo JSON incorrecto.{example}")
        }
        ParseErrorCode::InvalidJson => {
            format!("el cuerpo no es JSON válido. Envía un objeto JSON.{example}")
        }
        ParseErrorCode::InvalidEncoding => format!(
            "«{field}» no es texto UTF-8 con escapes %XX válidos{received}. Codifica el mensaje \
             como un formulario de URL.{example}"
        ),
    }
}

#[cfg(test)]
mod tests {
    use ronda_domain::tracking::osmand::parse_query;

    use super::*;
    use crate::i18n::Locale;

    fn messages(query: &str) -> (String, String) {
        let error = parse_query(query, jiff::Timestamp::UNIX_EPOCH).expect_err("rejected");
        let body_es = parse_error(error.clone()).body(Locale::Es);
        let body_en = parse_error(error).body(Locale::En);
        (body_es.message, body_en.message)
    }

    #[test]
    fn spanish_names_field_value_example() {
        let (es, en) = messages("id=1&lat=abc&lon=-99.1");
        assert_eq!(
            es,
            "Mensaje de posición no válido: «lat» no es un número válido (se recibió abc). \
             Envía un número decimal con punto. Por ejemplo: 19.4326."
        );
        assert!(en.contains("invalid number \"abc\" for lat"), "{en}");
    }

    #[test]
    fn spanish_has_no_english_detail() {
        for query in [
            "lat=19.4&lon=-99.1",
            "id=1&timestamp=ayer",
            "id=1&batt=150",
            "id=1&charge=tal_vez",
            "id=1&location=19.4",
        ] {
            let (es, _) = messages(query);
            for english in ["expected", "invalid", "missing", "such as"] {
                assert!(!es.contains(english), "{query}: {es}");
            }
        }
    }

    #[test]
    fn long_value_is_cut() {
        let value = "x".repeat(500);
        let (es, _) = messages(&format!("id=1&lat={value}"));
        assert!(es.contains(&format!("{}…", "x".repeat(40))), "{es}");
        assert!(es.len() < 300, "{es}");
        let (_, en) = messages(&format!("id=1&speed={}x", "9".repeat(500)));
        assert!(en.len() < 300, "{en}");
        let (_, en) = messages(&format!("id=1&lat={value}"));
        assert!(en.contains(&format!("\"{}…\"", "x".repeat(40))), "{en}");
    }
}
