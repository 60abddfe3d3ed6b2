//! Column headers as pyxform reads them: case and spacing do not matter,
//! `bind:` and `control:` prefixes and legacy names are aliases, and a
//! language follows `::` (or a single `:`), as a code (`es`), a name
//! (`Spanish`, `Español`) or both (`English (en)`).

/// The kind of value a column contains.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnKind {
    /// A column without translations, by its canonical name (`type`,
    /// `relevant`, `list_name`, `form_id`...).
    Plain(String),
    /// A translatable column (`label`, `hint`, `required_message`,
    /// `constraint_message`, `form_title`) and its language as written, if
    /// any.
    Translated(String, Option<String>),
}

const TRANSLATED: [&str; 5] = [
    "label",
    "hint",
    "required_message",
    "constraint_message",
    "form_title",
];

/// Normalises a header cell.
pub fn column_kind(header: &str) -> ColumnKind {
    let trimmed = header.trim();
    let lower = trimmed.to_lowercase();
    let mut rest = trimmed;
    for prefix in ["bind::", "bind:", "control::", "control:"] {
        if lower.starts_with(prefix) {
            rest = &trimmed[prefix.len()..];
            break;
        }
    }
    // `jr:` belongs to the name (jr:constraintMsg), not to a language.
    let (base, language) = if rest.to_lowercase().starts_with("jr:") {
        split_language(&rest[3..]).map_or((rest.to_string(), None), |(b, l)| (format!("jr:{b}"), l))
    } else {
        split_language(rest).unwrap_or((rest.to_string(), None))
    };
    let base = alias(&base.trim().to_lowercase().replace(' ', "_"));
    if TRANSLATED.contains(&base.as_str()) {
        ColumnKind::Translated(base, language)
    } else if let Some(language) = language {
        // A language on a column that has none stays part of its name.
        ColumnKind::Plain(format!("{base}::{language}"))
    } else {
        ColumnKind::Plain(base)
    }
}

fn split_language(text: &str) -> Option<(String, Option<String>)> {
    if let Some((base, language)) = text.split_once("::") {
        return Some((base.to_string(), Some(language.trim().to_string())));
    }
    let (base, language) = text.split_once(':')?;
    Some((base.to_string(), Some(language.trim().to_string())))
}

fn alias(base: &str) -> String {
    match base {
        "list_name" | "list" => "list_name",
        "value" => "name",
        "text" | "caption" => "label",
        "constraint_msg" | "jr:constraintmsg" | "constraintmsg" => "constraint_message",
        "required_msg" | "jr:requiredmsg" | "requiredmsg" => "required_message",
        "readonly" => "read_only",
        "calculate" => "calculation",
        "jr:count" | "count" => "repeat_count",
        "filter" => "choice_filter",
        "title" => "form_title",
        "id_string" => "form_id",
        other => other,
    }
    .to_string()
}

/// Maps a language as written in a header or in `default_language` to the
/// form languages Ronda has, `es` or `en`.
pub fn language_code(written: &str) -> Option<&'static str> {
    let lower = written.trim().to_lowercase();
    let code = match (lower.rfind('('), lower.ends_with(')')) {
        (Some(open), true) => lower[open + 1..lower.len() - 1].trim().to_string(),
        _ => lower.clone(),
    };
    let name = lower
        .split('(')
        .next()
        .unwrap_or_default()
        .trim()
        .to_string();
    for candidate in [code.as_str(), name.as_str()] {
        match candidate {
            "es" | "es-mx" | "spa" | "spanish" | "español" | "espanol" | "castellano" => {
                return Some("es");
            }
            "en" | "en-us" | "en-gb" | "eng" | "english" | "inglés" | "ingles" => {
                return Some("en");
            }
            _ => {}
        }
    }
    None
}

/// The header Ronda writes for a translated column.
pub fn translated_header(base: &str, language: &str) -> String {
    match language {
        "en" => format!("{base}::English (en)"),
        _ => format!("{base}::Español (es)"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(name: &str) -> ColumnKind {
        ColumnKind::Plain(name.to_string())
    }

    fn translated(name: &str, language: Option<&str>) -> ColumnKind {
        ColumnKind::Translated(name.to_string(), language.map(str::to_string))
    }

    #[test]
    fn headers_normalise_like_pyxform() {
        assert_eq!(column_kind(" TYPE "), plain("type"));
        assert_eq!(column_kind("list name"), plain("list_name"));
        assert_eq!(column_kind("LIST_NAME"), plain("list_name"));
        assert_eq!(column_kind("bind:constraint"), plain("constraint"));
        assert_eq!(
            column_kind("bind:jr:constraintMsg"),
            translated("constraint_message", None)
        );
        assert_eq!(column_kind("control:appearance"), plain("appearance"));
        assert_eq!(
            column_kind("label:english"),
            translated("label", Some("english"))
        );
        assert_eq!(column_kind("LABEL::EN"), translated("label", Some("EN")));
        assert_eq!(
            column_kind("label::English (en)"),
            translated("label", Some("English (en)"))
        );
        assert_eq!(
            column_kind("text:english"),
            translated("label", Some("english"))
        );
        assert_eq!(column_kind("media::image"), plain("media::image"));
    }

    #[test]
    fn languages_map_to_codes() {
        assert_eq!(language_code("English (en)"), Some("en"));
        assert_eq!(language_code("EN"), Some("en"));
        assert_eq!(language_code("Español (es)"), Some("es"));
        assert_eq!(language_code("spanish"), Some("es"));
        assert_eq!(language_code("Chinese (zh)"), None);
        assert_eq!(language_code("default"), None);
    }
}
