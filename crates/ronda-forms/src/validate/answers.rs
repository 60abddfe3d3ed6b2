//! Reading submitted JSON answers into the text the expression language
//! works on.

use serde_json::Value as Json;

use crate::expr::format_number;
use crate::model::QuestionType;

/// Converts one submitted answer to text: blank for null, numbers in XPath
/// form, a select_multiple array joined with spaces. `None` when the JSON
/// shape does not fit the question type.
pub(super) fn answer_text(kind: QuestionType, answer: &Json) -> Option<String> {
    match answer {
        Json::Null => Some(String::new()),
        Json::String(text) => Some(text.clone()),
        Json::Number(number) => number.as_f64().map(format_number),
        Json::Array(items) if kind == QuestionType::SelectMultiple => items
            .iter()
            .map(|item| item.as_str().map(str::to_string))
            .collect::<Option<Vec<_>>>()
            .map(|names| names.join(" ")),
        _ => None,
    }
}

/// True when two answers mean the same: equal text, or two XPath numbers
/// with equal values ("1500" and "1500.0").
pub(super) fn same_value(left: &str, right: &str) -> bool {
    if left == right {
        return true;
    }
    if !super::types::is_number(left) || !super::types::is_number(right) {
        return false;
    }
    match (left.parse::<f64>(), right.parse::<f64>()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
