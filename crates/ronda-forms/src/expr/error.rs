//! Errors of parsing and evaluation.

/// A syntax error, with the byte span of the offending token.
///
/// The message ends with "at column N", where N counts characters (Unicode
/// scalar values) from 1, so it reads the same whatever the encoding.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ParseError {
    pub message: String,
    pub start: usize,
    pub end: usize,
}

impl ParseError {
    /// Builds an error whose message is `what` followed by the column of `start`.
    pub(crate) fn at(source: &str, start: usize, end: usize, what: &str) -> Self {
        let column = source.get(..start).map_or(start, |s| s.chars().count()) + 1;
        ParseError {
            message: format!("{what} at column {column}"),
            start,
            end,
        }
    }
}

/// A failure while evaluating a well-formed expression.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EvalError {
    #[error("unknown reference ${{{0}}}")]
    UnknownReference(String),
    #[error("'.' has no current value in this context")]
    NoCurrentValue,
    #[error("position() is only available inside a repeat")]
    NoPosition,
    #[error("'..' is only supported as the argument of position()")]
    ParentOutsidePosition,
    #[error("{0}() expects a repeat field reference as its argument")]
    NodesetExpected(String),
    #[error("invalid regular expression '{0}'")]
    InvalidRegex(String),
}
