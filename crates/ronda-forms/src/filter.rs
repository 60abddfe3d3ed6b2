//! `choice_filter` expressions. In XLSForm a bare name in a choice filter,
//! such as `cf` in `cf = ${state}`, means a column of the choice being
//! tested; the expression parser only knows `${name}` references, so bare
//! names are rewritten to references with the [`CHOICE_PREFIX`].

use crate::expr::{Expr, ParseError, TokenKind, parse, tokenize};

/// Prefix of the references that stand for a column of the tested choice.
pub const CHOICE_PREFIX: &str = "__choice.";

const OPERATOR_WORDS: [&str; 4] = ["and", "or", "div", "mod"];

/// Parses a choice filter, rewriting bare names into choice-column
/// references. Returns the expression and the choice columns it reads.
pub fn parse_choice_filter(source: &str) -> Result<(Expr, Vec<String>), ParseError> {
    let tokens = tokenize(source)?;
    let mut rewritten = String::with_capacity(source.len() + 16);
    let mut columns = Vec::new();
    let mut copied = 0;
    for (index, token) in tokens.iter().enumerate() {
        let TokenKind::Name(name) = &token.kind else {
            continue;
        };
        let is_call = tokens
            .get(index + 1)
            .is_some_and(|next| next.kind == TokenKind::LeftParen);
        if is_call || OPERATOR_WORDS.contains(&name.as_str()) {
            continue;
        }
        rewritten.push_str(source.get(copied..token.span.start).unwrap_or_default());
        rewritten.push_str("${");
        rewritten.push_str(CHOICE_PREFIX);
        rewritten.push_str(name);
        rewritten.push('}');
        copied = token.span.end;
        if !columns.contains(name) {
            columns.push(name.clone());
        }
    }
    rewritten.push_str(source.get(copied..).unwrap_or_default());
    let expr = parse(&rewritten)?;
    Ok((expr, columns))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::references;

    #[test]
    fn bare_names_become_choice_columns() {
        let (expr, columns) =
            parse_choice_filter("cf = ${state} and selected(${x}, name)").expect("valid filter");
        assert_eq!(columns, vec!["cf".to_string(), "name".to_string()]);
        assert_eq!(
            references(&expr),
            vec!["__choice.cf", "state", "x", "__choice.name"]
        );
    }

    #[test]
    fn syntax_errors_are_reported() {
        assert!(parse_choice_filter("cf = ").is_err());
    }
}
