//! The expression language of XLSForm questionnaires: the subset of ODK XPath
//! used in `relevant`, `constraint` and `calculation` columns, with `${name}`
//! references to other questions.
//!
//! The TypeScript evaluator in `web/src/shared/forms/expr/` implements the same
//! rules, and both must pass every vector in `spec/expressions/`.
//!
//! ```
//! use ronda_forms::expr::{Clock, MapEnv, Value, evaluate, parse};
//!
//! let clock = Clock::parse("2026-08-07T10:30:00-06:00").expect("valid clock");
//! let env = MapEnv::new(clock).with_answer("age", "");
//! let expr = parse("${age} > 18").expect("valid expression");
//! // A blank answer is not zero: the comparison is false.
//! assert_eq!(evaluate(&expr, &env), Ok(Value::Boolean(false)));
//! ```

mod ast;
mod dates;
mod env;
mod error;
mod eval;
mod functions;
pub mod generate;
mod lexer;
mod parser;
mod value;
pub mod vectors;

pub use ast::{BinaryOp, Expr, ExprKind, Span};
pub use dates::Clock;
pub use env::{Env, MapEnv};
pub use error::{EvalError, ParseError};
pub use eval::evaluate;
pub use lexer::{Token, TokenKind, tokenize};
pub use parser::parse;
pub use value::{Value, format_number, text_to_number};

/// Returns the names of the `${name}` references in `expr`, each once, in
/// order of first appearance. References written inside string literals, as
/// in the second argument of `jr:choice-name`, are not included.
pub fn references(expr: &Expr) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let mut stack = vec![expr];
    while let Some(expr) = stack.pop() {
        match &expr.kind {
            ExprKind::Reference(name) if !names.contains(name) => names.push(name.clone()),
            ExprKind::Negate(inner) => stack.push(inner),
            ExprKind::Binary { left, right, .. } => {
                stack.push(right);
                stack.push(left);
            }
            ExprKind::Call { args, .. } => stack.extend(args.iter().rev()),
            _ => {}
        }
    }
    names
}
