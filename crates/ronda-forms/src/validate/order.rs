//! The questions of a form as a flat list, and the order in which relevance
//! and calculations can be computed.

use std::collections::HashMap;

use crate::expr::{parse, references};
use crate::model::{FormDefinition, Question, QuestionType};

/// A question with its place in the form.
pub(super) struct Node<'a> {
    pub question: &'a Question,
    pub parent: Option<usize>,
    /// The enclosing repeat, if any.
    pub repeat: Option<usize>,
}

/// Flattens the form depth-first.
pub(super) fn flatten(definition: &FormDefinition) -> Vec<Node<'_>> {
    fn push<'a>(
        questions: &'a [Question],
        parent: Option<usize>,
        repeat: Option<usize>,
        out: &mut Vec<Node<'a>>,
    ) {
        for question in questions {
            let index = out.len();
            out.push(Node {
                question,
                parent,
                repeat,
            });
            let inner = if question.kind == QuestionType::Repeat {
                Some(index)
            } else {
                repeat
            };
            push(&question.children, Some(index), inner, out);
        }
    }
    let mut out = Vec::new();
    push(&definition.questions, None, None, &mut out);
    out
}

/// Returns the node indices so that each comes after its parent and after the
/// questions its `relevant`, `calculation` and `repeat_count` read, or the
/// index of a question that takes part in a cycle.
pub(super) fn evaluation_order(nodes: &[Node<'_>]) -> Result<Vec<usize>, usize> {
    let by_name: HashMap<&str, usize> = nodes
        .iter()
        .enumerate()
        .map(|(index, node)| (node.question.name.as_str(), index))
        .collect();
    let dependencies: Vec<Vec<usize>> = nodes
        .iter()
        .map(|node| {
            let question = node.question;
            let mut out: Vec<usize> = node.parent.into_iter().collect();
            for text in [
                &question.relevant,
                &question.calculation,
                &question.repeat_count,
            ]
            .into_iter()
            .flatten()
            {
                let Ok(expr) = parse(text) else { continue };
                out.extend(
                    references(&expr)
                        .iter()
                        .filter_map(|name| by_name.get(name.as_str()).copied()),
                );
            }
            out
        })
        .collect();

    // 0 = not visited, 1 = on the current path, 2 = done.
    let mut state = vec![0u8; nodes.len()];
    let mut order = Vec::with_capacity(nodes.len());
    for start in 0..nodes.len() {
        if state[start] != 0 {
            continue;
        }
        let mut stack = vec![(start, 0usize)];
        state[start] = 1;
        while let Some((node, next)) = stack.pop() {
            if let Some(&dependency) = dependencies[node].get(next) {
                stack.push((node, next + 1));
                match state[dependency] {
                    0 => {
                        state[dependency] = 1;
                        stack.push((dependency, 0));
                    }
                    1 => return Err(dependency),
                    _ => {}
                }
            } else {
                state[node] = 2;
                order.push(node);
            }
        }
    }
    Ok(order)
}
