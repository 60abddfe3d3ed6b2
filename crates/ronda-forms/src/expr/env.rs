//! What an expression can read: answers, choice labels, the current value,
//! the repeat position and the clock.

use std::collections::HashMap;

use super::dates::Clock;

/// The data an expression is evaluated against.
pub trait Env {
    /// Returns the answers of question `name`: one item for an ordinary
    /// question (an empty string when blank), one per repeat instance for a
    /// question inside a repeat, or `None` when the form has no such question.
    fn answers(&self, name: &str) -> Option<Vec<String>>;

    /// Returns the label of choice `value` of the select question `field`.
    fn choice_label(&self, field: &str, value: &str) -> Option<String>;

    /// Returns the value `.` stands for, inside a constraint.
    fn current(&self) -> Option<String>;

    /// Returns the 1-based index of the repeat instance being evaluated.
    fn position(&self) -> Option<usize>;

    /// Returns the clock that `today()` and `now()` read.
    fn clock(&self) -> Clock;
}

/// An [`Env`] backed by maps, used by tests and by callers that hold all
/// answers in memory.
#[derive(Debug, Clone)]
pub struct MapEnv {
    pub answers: HashMap<String, Vec<String>>,
    /// Labels by select question, then by choice value.
    pub choice_labels: HashMap<String, HashMap<String, String>>,
    pub current: Option<String>,
    pub position: Option<usize>,
    pub clock: Clock,
}

impl MapEnv {
    /// Creates an environment with no answers.
    pub fn new(clock: Clock) -> Self {
        MapEnv {
            answers: HashMap::new(),
            choice_labels: HashMap::new(),
            current: None,
            position: None,
            clock,
        }
    }

    /// Sets the answer of an ordinary question.
    pub fn with_answer(mut self, name: &str, value: &str) -> Self {
        self.answers
            .insert(name.to_string(), vec![value.to_string()]);
        self
    }
}

impl Env for MapEnv {
    fn answers(&self, name: &str) -> Option<Vec<String>> {
        self.answers.get(name).cloned()
    }

    fn choice_label(&self, field: &str, value: &str) -> Option<String> {
        self.choice_labels.get(field)?.get(value).cloned()
    }

    fn current(&self) -> Option<String> {
        self.current.clone()
    }

    fn position(&self) -> Option<usize> {
        self.position
    }

    fn clock(&self) -> Clock {
        self.clock
    }
}
