//! The typed, versioned form definition that questionnaires are stored,
//! served and validated as. The JSON shape is documented in
//! `spec/forms/model.md` and mirrored by `web/src/shared/forms/model.ts`.

mod canonical;
mod check;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use canonical::{canonical_json, content_hash};
pub use check::{DefinitionProblem, check_definition};

/// Text in the form's languages. Spanish comes first; English is the second
/// locale. A missing language falls back to the other one when shown.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LangText {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub es: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
}

impl LangText {
    /// Text with the same words in both languages.
    pub fn both(es: &str, en: &str) -> Self {
        LangText {
            es: Some(es.to_string()),
            en: Some(en.to_string()),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.es.is_none() && self.en.is_none()
    }

    /// Returns the text in `language` ("es" or "en"), else in the other one.
    pub fn get(&self, language: &str) -> Option<&str> {
        let (first, second) = if language == "en" {
            (&self.en, &self.es)
        } else {
            (&self.es, &self.en)
        };
        first.as_deref().or(second.as_deref())
    }

    /// Returns the text of `language` only, without fallback.
    pub fn exact(&self, language: &str) -> Option<&str> {
        match language {
            "es" => self.es.as_deref(),
            "en" => self.en.as_deref(),
            _ => None,
        }
    }

    /// Sets the text of `language`; other languages are ignored.
    pub fn set(&mut self, language: &str, text: String) {
        match language {
            "es" => self.es = Some(text),
            "en" => self.en = Some(text),
            _ => {}
        }
    }
}

/// The languages a form may carry, in display order.
pub const LANGUAGES: [&str; 2] = ["es", "en"];

/// The type of a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionType {
    Text,
    Integer,
    Decimal,
    SelectOne,
    SelectMultiple,
    Date,
    Time,
    Datetime,
    Geopoint,
    /// A photo; the answer is the attachment's SHA-256 in hex.
    Image,
    /// A drawn signature; the answer is the attachment's SHA-256 in hex.
    Signature,
    /// Read-only text; it has no answer.
    Note,
    /// A value computed from `calculation`, not shown.
    Calculate,
    /// A checkbox answered "OK".
    Acknowledge,
    Barcode,
    /// A section of questions (`children`).
    Group,
    /// A section answered several times (`children`, `repeat_count`).
    Repeat,
}

impl QuestionType {
    pub const ALL: [QuestionType; 17] = [
        QuestionType::Text,
        QuestionType::Integer,
        QuestionType::Decimal,
        QuestionType::SelectOne,
        QuestionType::SelectMultiple,
        QuestionType::Date,
        QuestionType::Time,
        QuestionType::Datetime,
        QuestionType::Geopoint,
        QuestionType::Image,
        QuestionType::Signature,
        QuestionType::Note,
        QuestionType::Calculate,
        QuestionType::Acknowledge,
        QuestionType::Barcode,
        QuestionType::Group,
        QuestionType::Repeat,
    ];

    /// The name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            QuestionType::Text => "text",
            QuestionType::Integer => "integer",
            QuestionType::Decimal => "decimal",
            QuestionType::SelectOne => "select_one",
            QuestionType::SelectMultiple => "select_multiple",
            QuestionType::Date => "date",
            QuestionType::Time => "time",
            QuestionType::Datetime => "datetime",
            QuestionType::Geopoint => "geopoint",
            QuestionType::Image => "image",
            QuestionType::Signature => "signature",
            QuestionType::Note => "note",
            QuestionType::Calculate => "calculate",
            QuestionType::Acknowledge => "acknowledge",
            QuestionType::Barcode => "barcode",
            QuestionType::Group => "group",
            QuestionType::Repeat => "repeat",
        }
    }

    pub fn is_select(self) -> bool {
        matches!(self, QuestionType::SelectOne | QuestionType::SelectMultiple)
    }

    pub fn is_container(self) -> bool {
        matches!(self, QuestionType::Group | QuestionType::Repeat)
    }

    /// True for types whose answer is an uploaded file's hash.
    pub fn is_attachment(self) -> bool {
        matches!(self, QuestionType::Image | QuestionType::Signature)
    }

    /// True when the question has an answer in a submission.
    pub fn has_answer(self) -> bool {
        !matches!(
            self,
            QuestionType::Note | QuestionType::Group | QuestionType::Repeat
        )
    }
}

/// Extra settings of a question, from XLSForm's `parameters` column.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Parameters {
    /// Largest side, in pixels, a photo is scaled down to before upload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_pixels: Option<u32>,
}

impl Parameters {
    pub fn is_empty(&self) -> bool {
        self.max_pixels.is_none()
    }
}

/// One question, note, calculation, group or repeat.
///
/// Expression columns (`required`, `relevant`, `constraint`, `calculation`,
/// `default`, `choice_filter`, `read_only`, `repeat_count`) hold expression
/// text in the language of [`crate::expr`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    #[serde(rename = "type")]
    pub kind: QuestionType,
    pub name: String,
    #[serde(default, skip_serializing_if = "LangText::is_empty")]
    pub label: LangText,
    #[serde(default, skip_serializing_if = "LangText::is_empty")]
    pub hint: LangText,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<String>,
    #[serde(default, skip_serializing_if = "LangText::is_empty")]
    pub required_message: LangText,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relevant: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub constraint: Option<String>,
    #[serde(default, skip_serializing_if = "LangText::is_empty")]
    pub constraint_message: LangText,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calculation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub choice_filter: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_only: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appearance: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repeat_count: Option<String>,
    /// The choice list of a select question.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list_name: Option<String>,
    #[serde(default, skip_serializing_if = "Parameters::is_empty")]
    pub parameters: Parameters,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Question>,
}

impl Question {
    /// A question of `kind` named `name` with every column empty.
    pub fn new(kind: QuestionType, name: &str) -> Self {
        Question {
            kind,
            name: name.to_string(),
            label: LangText::default(),
            hint: LangText::default(),
            required: None,
            required_message: LangText::default(),
            relevant: None,
            constraint: None,
            constraint_message: LangText::default(),
            calculation: None,
            default: None,
            choice_filter: None,
            read_only: None,
            appearance: None,
            repeat_count: None,
            list_name: None,
            parameters: Parameters::default(),
            children: Vec::new(),
        }
    }
}

/// One option of a choice list. `extra` contains the list's other columns,
/// which `choice_filter` expressions read (for example a parent's value in a
/// cascade).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub name: String,
    #[serde(default, skip_serializing_if = "LangText::is_empty")]
    pub label: LangText,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extra: BTreeMap<String, String>,
}

/// A complete form: questions in order and the choice lists they use.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormDefinition {
    pub form_id: String,
    pub version: String,
    pub title: LangText,
    pub default_language: String,
    pub languages: Vec<String>,
    pub questions: Vec<Question>,
    #[serde(default)]
    pub choices: BTreeMap<String, Vec<Choice>>,
}

impl FormDefinition {
    /// Visits every question depth-first, in form order.
    pub fn walk(&self) -> Vec<&Question> {
        fn push<'a>(questions: &'a [Question], out: &mut Vec<&'a Question>) {
            for question in questions {
                out.push(question);
                push(&question.children, out);
            }
        }
        let mut out = Vec::new();
        push(&self.questions, &mut out);
        out
    }

    /// Returns the question called `name`, wherever it sits.
    pub fn question(&self, name: &str) -> Option<&Question> {
        self.walk().into_iter().find(|q| q.name == name)
    }
}

/// A stored, published version of a form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormVersion {
    /// The version's UUID.
    pub id: String,
    pub form_id: String,
    pub version: String,
    /// SHA-256 in hex of [`canonical_json`] of the definition.
    pub content_hash: String,
    pub title: LangText,
    pub definition: FormDefinition,
    /// Unix milliseconds.
    pub published_at: i64,
}

#[cfg(test)]
mod tests;
