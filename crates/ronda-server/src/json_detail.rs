//! Spanish wording of the JSON reader's error details, so that a Spanish error message
//! does not carry an English sentence in the middle.

/// Rewrites a serde_json error detail in Spanish. A detail of an unknown shape is kept
/// as it is, without its position.
pub fn spanish(detail: &str) -> String {
    let detail = without_position(detail);
    if let Some(rest) = detail.strip_prefix("invalid type: ")
        && let Some((found, expected)) = rest.split_once(", expected ")
    {
        return format!(
            "se recibió {} y se esperaba {}",
            value_es(found),
            expected_es(expected)
        );
    }

    if let Some(rest) = detail.strip_prefix("invalid value: ")
        && let Some((found, expected)) = rest.split_once(", expected ")
    {
        return format!(
            "{} no es válido; se esperaba {}",
            value_es(found),
            expected_es(expected)
        );
    }

    if let Some(rest) = detail.strip_prefix("unknown variant ") {
        return match rest.split_once(", expected ") {
            Some((found, choices)) => format!(
                "el valor {} no es una opción; usa {}",
                quoted(found),
                choices_es(choices)
            ),
            None => format!("el valor {} no es una opción", quoted(rest)),
        };
    }

    if let Some(rest) = detail.strip_prefix("unknown field ") {
        let name = rest.split_once(", expected").map_or(rest, |(name, _)| name);
        return format!("el campo {} no existe; quítalo", quoted(name));
    }

    if let Some(rest) = detail.strip_prefix("missing field ") {
        return format!("falta el campo {}", quoted(rest));
    }

    if let Some(rest) = detail.strip_prefix("invalid length ")
        && let Some((found, expected)) = rest.split_once(", expected ")
    {
        return format!(
            "la lista tiene {found} elementos y se esperaba {}",
            expected_es(expected)
        );
    }
    if detail.starts_with("duplicate field ") {
        let name = detail.trim_start_matches("duplicate field ");
        return format!("el campo {} aparece dos veces", quoted(name));
    }
    detail.to_owned()
}

/// Drops serde_json's " at line 1 column 9" suffix.
fn without_position(detail: &str) -> &str {
    match detail.rfind(" at line ") {
        Some(index) if detail[index..].contains(" column ") => &detail[..index],
        _ => detail,
    }
}

/// Turns serde's backquoted names into «guillemets».
fn quoted(text: &str) -> String {
    let text = text.trim().trim_matches('`');
    format!("«{text}»")
}

/// Describes the value serde found, such as `string "abc"` or `integer `900``.
fn value_es(found: &str) -> String {
    let found = found.trim();
    let pairs = [
        ("string ", "el texto "),
        ("integer ", "el número "),
        ("floating point ", "el número "),
        ("boolean ", "el valor lógico "),
        ("character ", "el carácter "),
    ];
    for (english, spanish) in pairs {
        if let Some(value) = found.strip_prefix(english) {
            return format!("{spanish}{}", value.replace('`', ""));
        }
    }
    match found {
        "null" => "un valor nulo".into(),
        "map" => "un objeto".into(),
        "sequence" => "una lista".into(),
        "unit value" => "un valor vacío".into(),
        other => other.replace('`', ""),
    }
}

/// Describes what serde expected, such as `u8`, `a string` or `struct Login`.
fn expected_es(expected: &str) -> String {
    let expected = expected.trim();
    let ranges = [
        ("u8", "de 0 a 255"),
        ("u16", "de 0 a 65535"),
        ("u32", "de 0 a 4294967295"),
        ("i8", "de -128 a 127"),
        ("i16", "de -32768 a 32767"),
    ];
    if let Some((_, range)) = ranges.iter().find(|(name, _)| *name == expected) {
        return format!("un número entero {range}");
    }
    let whole = ["u64", "i32", "i64", "usize", "isize"];
    if whole.contains(&expected) || expected.contains("integer") {
        return "un número entero".into();
    }

    if expected == "f32" || expected == "f64" || expected.contains("number") {
        return "un número".into();
    }
    if expected.contains("string") || expected == "char" {
        return "un texto".into();
    }

    if expected.contains("bool") {
        return "verdadero o falso (true o false)".into();
    }
    if expected.contains("sequence") || expected.contains("array") || expected.contains("list") {
        return "una lista".into();
    }
    if expected.starts_with("struct ") || expected.contains("map") {
        return "un objeto".into();
    }
    if let Some(rest) = expected.strip_prefix("one of ") {
        return format!("uno de {}", choices_es(rest));
    }
    if expected.starts_with("variant identifier") {
        return "una de las opciones".into();
    }
    expected.replace('`', "")
}

/// Lists serde's choices, such as "`a`, `b` or `c`", as «a», «b», «c».
fn choices_es(choices: &str) -> String {
    let choices = choices
        .trim()
        .trim_start_matches("one of ")
        .replace("` or `", "`, `");
    choices
        .split(", ")
        .map(quoted)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::spanish;

    fn detail_of<T: serde::de::DeserializeOwned + std::fmt::Debug>(json: &str) -> String {
        serde_json::from_str::<T>(json)
            .expect_err("bad input")
            .to_string()
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    #[serde(deny_unknown_fields)]
    struct Rule {
        attempts: u8,
        language: Language,
        recipients: Vec<String>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(rename_all = "lowercase")]
    enum Language {
        Es,
        En,
    }

    #[test]
    fn wrong_type_is_spanish() {
        let detail = detail_of::<Rule>(r#"{"attempts": "tres"}"#);
        assert_eq!(
            spanish(&detail),
            "se recibió el texto \"tres\" y se esperaba un número entero de 0 a 255"
        );
    }

    #[test]
    fn out_of_range_is_spanish() {
        let detail = detail_of::<Rule>(r#"{"attempts": 900}"#);
        assert_eq!(
            spanish(&detail),
            "el número 900 no es válido; se esperaba un número entero de 0 a 255"
        );
    }

    #[test]
    fn unknown_choice_lists_options() {
        let detail = detail_of::<Rule>(r#"{"attempts": 1, "language": "fr"}"#);
        assert_eq!(
            spanish(&detail),
            "el valor «fr» no es una opción; usa «es», «en»"
        );
    }

    #[test]
    fn missing_and_unknown_fields() {
        let missing = detail_of::<Rule>(r#"{"attempts": 1, "language": "es"}"#);
        assert_eq!(spanish(&missing), "falta el campo «recipients»");
        let unknown = detail_of::<Rule>(r#"{"attempts": 1, "idioma": "es"}"#);
        assert_eq!(spanish(&unknown), "el campo «idioma» no existe; quítalo");
    }

    #[test]
    fn list_where_text_expected() {
        let detail =
            detail_of::<Rule>(r#"{"attempts": 1, "language": "es", "recipients": "a@b.mx"}"#);
        assert_eq!(
            spanish(&detail),
            "se recibió el texto \"a@b.mx\" y se esperaba una lista"
        );
    }

    #[test]
    fn unknown_shapes_keep_their_text() {
        assert_eq!(
            spanish("recursion limit exceeded at line 1 column 300"),
            "recursion limit exceeded"
        );
    }
}
