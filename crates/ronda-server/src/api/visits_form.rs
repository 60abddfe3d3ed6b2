//! The question labels of the form a visit answered, flattened for the evidence page.

use ronda_forms::model::{FormDefinition, LangText, Question, QuestionType};
use ronda_store::form::StoredFormVersion;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Serialize, ToSchema)]
pub struct ChoiceLabel {
    pub name: String,
    pub label_es: Option<String>,
    pub label_en: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QuestionLabel {
    /// The answer's key in `answers`.
    pub name: String,
    /// The question type, such as `select_one` or `image`.
    #[serde(rename = "type")]
    pub kind: String,
    pub label_es: Option<String>,
    pub label_en: Option<String>,
    /// The labels of the answer values of select questions.
    pub choices: Vec<ChoiceLabel>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FormView {
    pub version_id: Uuid,
    /// Absent when the version is not in the organization's forms any more.
    pub form_id: Option<String>,
    pub version: Option<String>,
    pub title_es: Option<String>,
    pub title_en: Option<String>,
    /// Every question that can carry an answer, in form order, groups flattened.
    pub questions: Vec<QuestionLabel>,
}

impl FormView {
    /// Builds the view of a stored version, or of a version id that names no stored form.
    pub fn new(
        version_id: Uuid,
        stored: Option<StoredFormVersion>,
    ) -> Result<Self, serde_json::Error> {
        let Some(stored) = stored else {
            return Ok(FormView {
                version_id,
                form_id: None,
                version: None,
                title_es: None,
                title_en: None,
                questions: Vec::new(),
            });
        };
        let definition: FormDefinition = serde_json::from_str(&stored.definition)?;
        let mut questions = Vec::new();
        collect_questions(&definition, &definition.questions, &mut questions);
        Ok(FormView {
            version_id,
            form_id: Some(stored.form_id),
            version: Some(stored.version),
            title_es: stored.title_es,
            title_en: stored.title_en,
            questions,
        })
    }
}

fn collect_questions(
    definition: &FormDefinition,
    questions: &[Question],
    out: &mut Vec<QuestionLabel>,
) {
    for question in questions {
        match question.kind {
            QuestionType::Group => collect_questions(definition, &question.children, out),
            QuestionType::Note => {}
            _ => {
                let choices = question
                    .list_name
                    .as_ref()
                    .and_then(|list| definition.choices.get(list))
                    .map(|choices| {
                        choices
                            .iter()
                            .map(|choice| ChoiceLabel {
                                name: choice.name.clone(),
                                label_es: text(&choice.label.es),
                                label_en: text(&choice.label.en),
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                out.push(label_of(question, choices));
                if question.kind == QuestionType::Repeat {
                    collect_questions(definition, &question.children, out);
                }
            }
        }
    }
}

fn label_of(question: &Question, choices: Vec<ChoiceLabel>) -> QuestionLabel {
    let LangText { es, en } = &question.label;
    QuestionLabel {
        name: question.name.clone(),
        kind: question.kind.as_str().to_owned(),
        label_es: text(es),
        label_en: text(en),
        choices,
    }
}

fn text(value: &Option<String>) -> Option<String> {
    value.clone().filter(|text| !text.trim().is_empty())
}
