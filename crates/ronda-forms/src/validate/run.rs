//! The validation pass: relevance and calculations in dependency order, then
//! the checks of each relevant answer.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value as Json};

use super::answers::{answer_text, same_value};
use super::messages as msg;
use super::order::{Node, evaluation_order, flatten};
use super::types::fits_type;
use super::{Answers, Recomputed, SubmissionContext, SubmissionProblem, Validated};
use crate::expr::{Clock, Env, Value, evaluate, format_number, parse};
use crate::filter::{CHOICE_PREFIX, parse_choice_filter};
use crate::model::{Choice, FormDefinition, QuestionType};

struct Pass<'a> {
    definition: &'a FormDefinition,
    nodes: Vec<Node<'a>>,
    by_name: HashMap<&'a str, usize>,
    answers: &'a Answers,
    context: &'a SubmissionContext,
    /// Per node, per instance (one outside repeats).
    values: Vec<Vec<String>>,
    relevant: Vec<Vec<bool>>,
    bad_shape: HashSet<(usize, usize)>,
    problems: Vec<SubmissionProblem>,
    dropped: Vec<String>,
    recomputed: Vec<Recomputed>,
}

/// What an expression sees: the answers so far, from inside one repeat
/// instance or from the top, and optionally a choice being filtered.
struct Scope<'p, 'a> {
    pass: &'p Pass<'a>,
    instance: Option<(usize, usize)>,
    current: Option<String>,
    choice: Option<&'a Choice>,
}

impl Env for Scope<'_, '_> {
    fn answers(&self, name: &str) -> Option<Vec<String>> {
        if let Some(column) = name.strip_prefix(CHOICE_PREFIX) {
            let choice = self.choice?;
            let value = match column {
                "name" => choice.name.clone(),
                "label" => choice
                    .label
                    .get(&self.pass.definition.default_language)?
                    .to_string(),
                _ => choice.extra.get(column).cloned().unwrap_or_default(),
            };
            return Some(vec![value]);
        }
        let index = *self.pass.by_name.get(name)?;
        let values = &self.pass.values[index];
        match (self.pass.nodes[index].repeat, self.instance) {
            (Some(repeat), Some((current, at))) if repeat == current => {
                Some(vec![values.get(at).cloned().unwrap_or_default()])
            }
            (None, _) => Some(vec![values.first().cloned().unwrap_or_default()]),
            _ => Some(values.clone()),
        }
    }

    fn choice_label(&self, field: &str, value: &str) -> Option<String> {
        let definition = self.pass.definition;
        let question = self.pass.nodes[*self.pass.by_name.get(field)?].question;
        let choices = definition.choices.get(question.list_name.as_ref()?)?;
        let choice = choices.iter().find(|c| c.name == value)?;
        choice
            .label
            .get(&definition.default_language)
            .map(str::to_string)
    }

    fn current(&self) -> Option<String> {
        self.current.clone()
    }

    fn position(&self) -> Option<usize> {
        self.instance.map(|(_, at)| at + 1)
    }

    fn clock(&self) -> Clock {
        self.pass.context.clock
    }
}

pub(super) fn run(
    definition: &FormDefinition,
    answers: &Answers,
    context: &SubmissionContext,
) -> Result<Validated, Vec<SubmissionProblem>> {
    let nodes = flatten(definition);
    let by_name = nodes
        .iter()
        .enumerate()
        .map(|(index, node)| (node.question.name.as_str(), index))
        .collect();
    let order = match evaluation_order(&nodes) {
        Ok(order) => order,
        Err(index) => return Err(vec![msg::dependency_cycle(&nodes[index].question.name)]),
    };
    let count = nodes.len();
    let mut pass = Pass {
        definition,
        nodes,
        by_name,
        answers,
        context,
        values: vec![Vec::new(); count],
        relevant: vec![Vec::new(); count],
        bad_shape: HashSet::new(),
        problems: Vec::new(),
        dropped: Vec::new(),
        recomputed: Vec::new(),
    };
    pass.check_keys();
    for index in order {
        pass.compute(index);
    }
    for index in 0..count {
        pass.check(index);
    }
    if !pass.problems.is_empty() {
        return Err(pass.problems);
    }
    let answers = pass.output(None, None);
    Ok(Validated {
        answers,
        dropped: pass.dropped,
        recomputed: pass.recomputed,
    })
}

impl<'a> Pass<'a> {
    fn path(&self, index: usize, at: usize) -> String {
        let name = &self.nodes[index].question.name;
        match self.nodes[index].repeat {
            Some(repeat) => format!("{}[{at}].{name}", self.nodes[repeat].question.name),
            None => name.clone(),
        }
    }

    fn instances(&self, index: usize) -> usize {
        match self.nodes[index].repeat {
            Some(repeat) => self.values[repeat]
                .first()
                .map_or(0, |n| n.parse().unwrap_or(0)),
            None => 1,
        }
    }

    fn scope(&self, index: usize, at: usize) -> Scope<'_, 'a> {
        Scope {
            pass: self,
            instance: self.nodes[index].repeat.map(|repeat| (repeat, at)),
            current: None,
            choice: None,
        }
    }

    fn submitted(&self, index: usize, at: usize) -> Option<&'a Json> {
        let node = &self.nodes[index];
        match node.repeat {
            None => self.answers.get(&node.question.name),
            Some(repeat) => self
                .answers
                .get(&self.nodes[repeat].question.name)?
                .as_array()?
                .get(at)?
                .as_object()?
                .get(&node.question.name),
        }
    }

    fn eval(&mut self, index: usize, at: usize, column: &str, text: &str) -> Option<Value> {
        let result = match parse(text) {
            Ok(expr) => evaluate(&expr, &self.scope(index, at)).map_err(|e| e.to_string()),
            Err(error) => Err(error.to_string()),
        };
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                let path = self.path(index, at);
                self.problems
                    .push(msg::expression_error(&path, column, &error));
                None
            }
        }
    }

    /// Refuses keys that name no answerable question, and repeats that are
    /// not arrays of objects.
    fn check_keys(&mut self) {
        let answers = self.answers;
        for (key, value) in answers {
            let index = self.by_name.get(key.as_str()).copied();
            let node = index.map(|i| &self.nodes[i]);
            match node {
                Some(node)
                    if node.repeat.is_none() && node.question.kind == QuestionType::Repeat =>
                {
                    let Some(items) = value.as_array() else {
                        self.problems
                            .push(msg::invalid_type(key, QuestionType::Repeat, "…"));
                        continue;
                    };
                    for (at, item) in items.iter().enumerate() {
                        let Some(object) = item.as_object() else {
                            self.problems.push(msg::invalid_type(
                                &format!("{key}[{at}]"),
                                QuestionType::Repeat,
                                "…",
                            ));
                            continue;
                        };
                        for inner in object.keys() {
                            let inside = self.by_name.get(inner.as_str()).is_some_and(|&i| {
                                self.nodes[i].repeat == index
                                    && self.nodes[i].question.kind.has_answer()
                            });
                            if !inside {
                                self.problems
                                    .push(msg::unknown_question(&format!("{key}[{at}].{inner}")));
                            }
                        }
                    }
                }
                Some(node) if node.repeat.is_none() && node.question.kind.has_answer() => {}
                _ => self.problems.push(msg::unknown_question(key)),
            }
        }
    }

    fn parent_relevant(&self, index: usize, at: usize) -> bool {
        let Some(parent) = self.nodes[index].parent else {
            return true;
        };
        let same_instance = self.nodes[parent].repeat == self.nodes[index].repeat;
        let slot = if same_instance { at } else { 0 };
        self.relevant[parent].get(slot).copied().unwrap_or(false)
    }

    /// Computes relevance and value of every instance of one question.
    fn compute(&mut self, index: usize) {
        let question = self.nodes[index].question;
        let instances = self.instances(index);
        let mut relevant = Vec::with_capacity(instances);
        let mut values = Vec::with_capacity(instances);
        for at in 0..instances {
            let mut is_relevant = self.parent_relevant(index, at);
            if is_relevant && let Some(text) = &question.relevant {
                is_relevant = self
                    .eval(index, at, "relevant", text)
                    .is_none_or(|v| v.to_boolean());
            }
            // Relevance of this instance is visible to the value's own
            // calculation through its parent only, so record it first.
            self.relevant[index] = relevant.iter().copied().chain([is_relevant]).collect();
            let value = self.value(index, at, is_relevant);
            relevant.push(is_relevant);
            values.push(value);
            self.values[index] = values.clone();
        }
        self.relevant[index] = relevant;
        self.values[index] = values;
    }

    fn value(&mut self, index: usize, at: usize, is_relevant: bool) -> String {
        let question = self.nodes[index].question;
        let submitted = self.submitted(index, at);
        let path = self.path(index, at);
        if question.kind == QuestionType::Repeat {
            let found = submitted.and_then(Json::as_array).map_or(0, Vec::len);
            if !is_relevant {
                if found > 0 {
                    self.dropped.push(path);
                }
                return "0".to_string();
            }
            if let Some(text) = &question.repeat_count
                && let Some(expected) = self.eval(index, at, "repeat_count", text)
            {
                let expected = expected.to_number(self.context.clock_offset());
                if expected.is_finite() && expected != found as f64 {
                    self.problems
                        .push(msg::repeat_count(&path, &format_number(expected), found));
                }
            }
            return found.to_string();
        }
        let submitted_text = match submitted.map(|json| answer_text(question.kind, json)) {
            None => String::new(),
            Some(Some(text)) => text,
            Some(None) => {
                self.bad_shape.insert((index, at));
                self.problems
                    .push(msg::invalid_type(&path, question.kind, "…"));
                String::new()
            }
        };
        if !is_relevant {
            if !submitted_text.is_empty() {
                self.dropped.push(path);
            }
            return String::new();
        }
        let external = (question.appearance.as_deref() == Some("external"))
            .then(|| self.context.external.get(&question.name).cloned())
            .flatten();
        let computed = if let Some(value) = external {
            Some(value)
        } else if let Some(text) = &question.calculation {
            // NaN (a calculation over blanks) is stored blank: a blank is
            // not zero, and "NaN" is no answer.
            let value = self.eval(index, at, "calculation", text);
            Some(match value {
                Some(Value::Number(number)) if number.is_nan() => String::new(),
                Some(value) => value.to_text(),
                None => String::new(),
            })
        } else {
            None
        };
        match computed {
            Some(computed) => {
                if !submitted_text.is_empty() && !same_value(&submitted_text, &computed) {
                    self.recomputed.push(Recomputed {
                        path,
                        submitted: submitted_text,
                        computed: computed.clone(),
                    });
                }
                computed
            }
            None => submitted_text,
        }
    }

    fn is_computed(&self, index: usize) -> bool {
        let question = self.nodes[index].question;
        question.calculation.is_some() || question.appearance.as_deref() == Some("external")
    }

    /// Checks required, type, choices and constraint of each relevant
    /// instance of an answerable question.
    fn check(&mut self, index: usize) {
        let question = self.nodes[index].question;
        if !question.kind.has_answer()
            || self.is_computed(index)
            || question.kind == QuestionType::Calculate
        {
            return;
        }
        for at in 0..self.values[index].len() {
            if !self.relevant[index][at] || self.bad_shape.contains(&(index, at)) {
                continue;
            }
            let path = self.path(index, at);
            let value = self.values[index][at].clone();
            if let Some(text) = &question.required
                && value.is_empty()
                && self
                    .eval(index, at, "required", text)
                    .is_some_and(|v| v.to_boolean())
            {
                self.problems
                    .push(msg::required(&path, &question.required_message));
            }
            if value.is_empty() {
                continue;
            }
            if !fits_type(question.kind, &value) {
                self.problems
                    .push(msg::invalid_type(&path, question.kind, &value));
                continue;
            }
            if question.kind.is_select() {
                let allowed = self.allowed_choices(index, at);
                let bad = value
                    .split(' ')
                    .filter(|name| !name.is_empty())
                    .find(|name| !allowed.contains(name));
                if let Some(bad) = bad {
                    self.problems.push(msg::invalid_choice(&path, bad));
                    continue;
                }
            }
            if let Some(text) = &question.constraint {
                let scope = Scope {
                    current: Some(value.clone()),
                    ..self.scope(index, at)
                };
                let result = parse(text)
                    .map_err(|e| e.to_string())
                    .and_then(|expr| evaluate(&expr, &scope).map_err(|e| e.to_string()));
                match result {
                    Ok(outcome) if !outcome.to_boolean() => {
                        self.problems
                            .push(msg::constraint(&path, &question.constraint_message));
                    }
                    Ok(_) => {}
                    Err(error) => {
                        self.problems
                            .push(msg::expression_error(&path, "constraint", &error))
                    }
                }
            }
        }
    }

    /// The choice names a select question may take in one instance: its list,
    /// narrowed by its choice filter.
    fn allowed_choices(&mut self, index: usize, at: usize) -> Vec<&'a str> {
        let question = self.nodes[index].question;
        let definition = self.definition;
        let Some(choices) = question
            .list_name
            .as_ref()
            .and_then(|l| definition.choices.get(l))
        else {
            return Vec::new();
        };
        let Some(filter) = &question.choice_filter else {
            return choices.iter().map(|c| c.name.as_str()).collect();
        };
        let expr = match parse_choice_filter(filter) {
            Ok((expr, _)) => expr,
            Err(error) => {
                let path = self.path(index, at);
                self.problems.push(msg::expression_error(
                    &path,
                    "choice_filter",
                    &error.to_string(),
                ));
                return Vec::new();
            }
        };
        let mut allowed = Vec::new();
        for choice in choices {
            let scope = Scope {
                choice: Some(choice),
                ..self.scope(index, at)
            };
            if evaluate(&expr, &scope).is_ok_and(|v| v.to_boolean()) {
                allowed.push(choice.name.as_str());
            }
        }
        allowed
    }

    /// Builds the kept answers of the top level (`repeat` None) or of one
    /// repeat instance.
    fn output(&self, repeat: Option<usize>, at: Option<usize>) -> Answers {
        let slot = at.unwrap_or(0);
        let mut out = Map::new();
        for (index, node) in self.nodes.iter().enumerate() {
            if node.repeat != repeat || !self.relevant[index].get(slot).copied().unwrap_or(false) {
                continue;
            }
            let name = node.question.name.clone();
            if node.question.kind == QuestionType::Repeat {
                let count = self.values[index]
                    .first()
                    .map_or(0, |n| n.parse().unwrap_or(0));
                let items = (0..count).map(|i| Json::Object(self.output(Some(index), Some(i))));
                out.insert(name, Json::Array(items.collect()));
                continue;
            }
            if !node.question.kind.has_answer() {
                continue;
            }
            let value = &self.values[index][slot];
            if value.is_empty() {
                continue;
            }
            let json = if self.is_computed(index) {
                Json::String(value.clone())
            } else {
                self.submitted(index, slot)
                    .cloned()
                    .unwrap_or(Json::String(value.clone()))
            };
            out.insert(name, json);
        }
        out
    }
}

impl SubmissionContext {
    fn clock_offset(&self) -> i32 {
        self.clock.offset_minutes()
    }
}
