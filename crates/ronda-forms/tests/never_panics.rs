//! Property tests: no input makes the parser or the evaluator panic.

use proptest::prelude::*;
use ronda_forms::expr::{Clock, MapEnv, evaluate, parse, references};

fn env() -> MapEnv {
    let clock = Clock::parse("2026-08-07T10:30:00-06:00").expect("valid clock");
    let mut env = MapEnv::new(clock)
        .with_answer("a", "3")
        .with_answer("b", "")
        .with_answer("d", "2026-02-28");
    env.answers
        .insert("r".to_string(), vec!["1".to_string(), "x".to_string()]);
    env.current = Some("7".to_string());
    env
}

/// Strings built from the language's own tokens, which reach deeper into
/// the parser than arbitrary text.
fn token_soup() -> impl Strategy<Value = String> {
    let tokens = prop::sample::select(vec![
        "${a}",
        "${b}",
        "${d}",
        "${r}",
        "${x}",
        "1",
        "-",
        "2.5",
        ".",
        "..",
        "(",
        ")",
        ",",
        "+",
        "*",
        "div",
        "mod",
        "=",
        "!=",
        "<",
        ">=",
        "and",
        "or",
        "'x'",
        "\"2026-01-01\"",
        "if",
        "concat",
        "regex",
        "substr",
        "round",
        "sum",
        "count",
        "format-date",
        "date",
        "today",
        "now",
        "selected",
        "jr:choice-name",
        "position",
        "not",
        "'['",
        "'%Y %a'",
        " ",
    ]);
    prop::collection::vec(tokens, 0..40).prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_text_never_panics(source in "\\PC{0,60}") {
        if let Ok(expr) = parse(&source) {
            let _ = references(&expr);
            let _ = evaluate(&expr, &env());
        }
    }

    #[test]
    fn token_soup_never_panics(source in token_soup()) {
        if let Ok(expr) = parse(&source) {
            let _ = references(&expr);
            let _ = evaluate(&expr, &env());
        }
    }
}

#[test]
fn deep_nesting_is_rejected() {
    let parens = format!("{}1{}", "(".repeat(5000), ")".repeat(5000));
    let chain = vec!["1"; 5000].join("+");
    let minus = format!("{}1", "-".repeat(5000));
    for source in [parens, chain, minus] {
        let error = parse(&source).expect_err("too deep");
        assert!(
            error.message.starts_with("expression nested too deeply"),
            "{error}"
        );
    }
}

#[test]
fn references_lists_each_name_once() {
    let expr = parse("if(${a} > 1, ${b}, concat(${a}, jr:choice-name(${c}, '${c}')))")
        .expect("valid expression");
    assert_eq!(references(&expr), ["a", "b", "c"]);
}

#[test]
fn parse_error_names_column() {
    let error = parse("concat(${a}, 1").expect_err("missing ')'");
    assert_eq!(error.message, "expected ',' or ')' at column 15");
    let error = parse("(1 + 2").expect_err("missing ')'");
    assert_eq!(error.message, "expected ')' at column 7");
}
