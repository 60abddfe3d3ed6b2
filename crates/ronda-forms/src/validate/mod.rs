//! Validation of submitted answers against a form definition: the server's
//! authoritative check of what the field app collected offline.
//!
//! Rules, in the order they apply (see `spec/forms/validation.md`):
//! relevance (inherited from groups and repeats) and calculations are
//! computed together in dependency order; answers to questions that are not
//! relevant are dropped and listed in [`Validated::dropped`]; then each
//! relevant question is checked for required, type, choice membership (with
//! its choice filter) and constraint. A recomputed value that differs from the
//! submitted one is kept as computed and listed in [`Validated::recomputed`].
//! The TypeScript `validateSubmission` applies the same rules.

mod answers;
mod messages;
mod order;
mod run;
mod types;

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Value as Json};

use crate::expr::Clock;
use crate::model::FormDefinition;

/// Submitted answers by question name; see `spec/forms/model.md`.
pub type Answers = Map<String, Json>;

/// What a submission is checked against besides its answers.
#[derive(Debug, Clone)]
pub struct SubmissionContext {
    /// The time `today()` and `now()` read: the visit's finish time in the
    /// address's offset.
    pub clock: Clock,
    /// Values of the questions with appearance `external`, by name.
    pub external: BTreeMap<String, String>,
}

impl SubmissionContext {
    pub fn new(clock: Clock) -> Self {
        SubmissionContext {
            clock,
            external: BTreeMap::new(),
        }
    }

    pub fn with_external(mut self, name: &str, value: &str) -> Self {
        self.external.insert(name.to_string(), value.to_string());
        self
    }
}

/// One broken rule. `path` is the question name, or `repeat[index].name`
/// (index from 0) inside a repeat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SubmissionProblem {
    pub path: String,
    pub code: String,
    pub message_es: String,
    pub message_en: String,
}

/// A computed value that differs from the submitted one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Recomputed {
    pub path: String,
    pub submitted: String,
    pub computed: String,
}

/// The accepted form of a submission.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Validated {
    /// Relevant answers, with calculations and external values as computed.
    pub answers: Answers,
    /// Paths of answers dropped because their question was not relevant.
    pub dropped: Vec<String>,
    pub recomputed: Vec<Recomputed>,
}

/// Checks `answers` against `definition`. Returns the cleaned answers, or
/// every problem found.
pub fn validate_submission(
    definition: &FormDefinition,
    answers: &Answers,
    context: &SubmissionContext,
) -> Result<Validated, Vec<SubmissionProblem>> {
    run::run(definition, answers, context)
}
