//! The `type` column: Ronda's question types, pyxform's legacy aliases, and
//! the types Ronda does not support.

use crate::model::QuestionType;

/// The meaning of a survey row's type cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowType {
    Question(QuestionType),
    Select {
        kind: QuestionType,
        list: String,
        or_other: bool,
    },
    /// pyxform's `phone number`: text of digits only.
    PhoneNumber,
    BeginGroup,
    EndGroup,
    BeginRepeat,
    EndRepeat,
    /// Metadata Ronda records on every visit by itself (start, end, today,
    /// deviceid); the row is skipped.
    RecordedMetadata,
    Unsupported,
    /// A select without a list name.
    MissingList,
}

const SELECT_ONE: [&str; 4] = ["select_one", "select one", "select1", "select_one_from"];
const SELECT_MULTIPLE: [&str; 5] = [
    "select_multiple",
    "select multiple",
    "select all that apply",
    "select_many",
    "select many",
];
const UNSUPPORTED_SELECTS: [&str; 5] = [
    "select_one_from_file",
    "select_multiple_from_file",
    "select_one_external",
    "select one external",
    "select_multiple_external",
];

/// Parses a type cell.
pub fn parse_type(cell: &str) -> RowType {
    let collapsed = cell.split_whitespace().collect::<Vec<_>>().join(" ");
    let lower = collapsed.to_ascii_lowercase();
    if UNSUPPORTED_SELECTS.iter().any(|p| lower.starts_with(p)) {
        return RowType::Unsupported;
    }
    for (prefixes, kind) in [
        (&SELECT_ONE[..], QuestionType::SelectOne),
        (&SELECT_MULTIPLE[..], QuestionType::SelectMultiple),
    ] {
        for prefix in prefixes {
            if lower == *prefix {
                return RowType::MissingList;
            }
            let Some(rest) = lower.strip_prefix(prefix) else {
                continue;
            };
            if !rest.starts_with(' ') {
                continue;
            }
            // Keep the list name's case: cut the same number of bytes from
            // the original text (the prefix is ASCII).
            // (`get` never panics should a lower-case form change lengths.)
            let mut list = collapsed.get(prefix.len()..).unwrap_or_default().trim();
            if list.to_ascii_lowercase().starts_with("from ") {
                list = list.get(5..).unwrap_or_default().trim();
            }
            let mut or_other = false;
            for suffix in [" or_other", " or specify other"] {
                if list.to_ascii_lowercase().ends_with(suffix) {
                    list = list
                        .get(..list.len() - suffix.len())
                        .unwrap_or_default()
                        .trim();
                    or_other = true;
                }
            }
            if list.is_empty() || list.contains(' ') {
                return if list.is_empty() {
                    RowType::MissingList
                } else {
                    RowType::Unsupported
                };
            }
            return RowType::Select {
                kind,
                list: list.to_string(),
                or_other,
            };
        }
    }
    let kind = match lower.as_str() {
        "text" | "string" => QuestionType::Text,
        "integer" | "int" => QuestionType::Integer,
        "decimal" => QuestionType::Decimal,
        "date" => QuestionType::Date,
        "time" => QuestionType::Time,
        "datetime" => QuestionType::Datetime,
        "geopoint" | "gps" => QuestionType::Geopoint,
        "image" | "photo" => QuestionType::Image,
        "note" => QuestionType::Note,
        "calculate" => QuestionType::Calculate,
        "acknowledge" | "trigger" => QuestionType::Acknowledge,
        "barcode" => QuestionType::Barcode,
        "phone number" | "phone_number" => return RowType::PhoneNumber,
        "begin group" | "begin_group" => return RowType::BeginGroup,
        "end group" | "end_group" => return RowType::EndGroup,
        "begin repeat" | "begin_repeat" => return RowType::BeginRepeat,
        "end repeat" | "end_repeat" => return RowType::EndRepeat,
        "start" | "end" | "today" | "deviceid" => return RowType::RecordedMetadata,
        _ => return RowType::Unsupported,
    };
    RowType::Question(kind)
}

/// The type cell Ronda writes for a question.
pub fn type_cell(kind: QuestionType, list: Option<&str>) -> String {
    match (kind, list) {
        (QuestionType::SelectOne, Some(list)) => format!("select_one {list}"),
        (QuestionType::SelectMultiple, Some(list)) => format!("select_multiple {list}"),
        (QuestionType::Signature, _) => "image".to_string(),
        (QuestionType::Group, _) => "begin_group".to_string(),
        (QuestionType::Repeat, _) => "begin_repeat".to_string(),
        (other, _) => other.as_str().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn select(kind: QuestionType, list: &str, or_other: bool) -> RowType {
        RowType::Select {
            kind,
            list: list.to_string(),
            or_other,
        }
    }

    #[test]
    fn legacy_aliases() {
        assert_eq!(
            parse_type("select one from yes_or_no"),
            select(QuestionType::SelectOne, "yes_or_no", false)
        );
        assert_eq!(
            parse_type("select all that apply from list"),
            select(QuestionType::SelectMultiple, "list", false)
        );
        assert_eq!(
            parse_type("select_one  Colors or_other"),
            select(QuestionType::SelectOne, "Colors", true)
        );
        assert_eq!(
            parse_type("select one from sexes or specify other"),
            select(QuestionType::SelectOne, "sexes", true)
        );
        assert_eq!(
            parse_type("dateTime"),
            RowType::Question(QuestionType::Datetime)
        );
        assert_eq!(
            parse_type("trigger"),
            RowType::Question(QuestionType::Acknowledge)
        );
        assert_eq!(parse_type("int"), RowType::Question(QuestionType::Integer));
        assert_eq!(parse_type("gps"), RowType::Question(QuestionType::Geopoint));
        assert_eq!(parse_type("begin group"), RowType::BeginGroup);
        assert_eq!(parse_type("select_one"), RowType::MissingList);
        assert_eq!(parse_type("select_one_external c1"), RowType::Unsupported);
        assert_eq!(parse_type("audio"), RowType::Unsupported);
    }
}
