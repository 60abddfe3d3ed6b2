//! The functions an expression may call.

use super::ast::{Expr, ExprKind};
use super::dates::{days_to_local_ms, format_date_only, format_date_time, format_local};
use super::error::EvalError;
use super::eval::Evaluator;
use super::lexer::is_xml_space;
use super::value::Value;

/// Returns the minimum and maximum argument counts of a known function, or
/// `None` for an unknown one. A maximum of `None` means any number.
pub(crate) fn arity(name: &str) -> Option<(usize, Option<usize>)> {
    let counts = match name {
        "today" | "now" | "true" | "false" => (0, Some(0)),
        "string-length" | "normalize-space" | "number" | "string" | "position" => (0, Some(1)),
        "count-selected"
        | "int"
        | "floor"
        | "ceiling"
        | "abs"
        | "boolean"
        | "boolean-from-string"
        | "not"
        | "sum"
        | "count"
        | "date"
        | "decimal-date-time" => (1, Some(1)),
        "round" => (1, Some(2)),
        "selected" | "selected-at" | "jr:choice-name" | "regex" | "contains" | "starts-with"
        | "ends-with" | "substring-before" | "substring-after" | "coalesce" | "pow"
        | "format-date" | "format-date-time" => (2, Some(2)),
        "substr" => (2, Some(3)),
        "if" | "translate" => (3, Some(3)),
        "concat" => (0, None),
        "join" | "min" | "max" => (1, None),
        _ => return None,
    };
    Some(counts)
}

/// Splits a multiple-choice answer into its space-separated choice values.
fn choice_values(text: &str) -> Vec<&str> {
    text.split(is_xml_space)
        .filter(|part| !part.is_empty())
        .collect()
}

/// Converts a position argument: NaN counts as 0, fractions are truncated,
/// negative values count back from `length`, and the result is clamped.
fn clamp_index(number: f64, length: usize) -> usize {
    let length = length as f64;
    let mut index = if number.is_nan() { 0.0 } else { number.trunc() };
    if index < 0.0 {
        index += length;
    }
    index.clamp(0.0, length) as usize
}

/// Rounds half away from zero at `digits` decimal places; negative `digits`
/// round to tens, hundreds and so on.
fn round_half_away(number: f64, digits: f64) -> f64 {
    if number.is_nan() || digits.is_nan() {
        return f64::NAN;
    }
    if number.is_infinite() {
        return number;
    }
    let places = digits.trunc().clamp(-308.0, 308.0);
    // Reading "1e{n}" gives the correctly rounded power of ten in both Rust
    // and JavaScript, which repeated multiplication does not guarantee.
    let scale: f64 = format!("1e{}", places.abs())
        .parse()
        .unwrap_or(f64::INFINITY);
    let scaled = if places >= 0.0 {
        number * scale
    } else {
        number / scale
    };
    if !scaled.is_finite() {
        return number;
    }
    let magnitude = scaled.abs();
    let mut rounded = magnitude.floor();
    if magnitude - rounded >= 0.5 {
        rounded += 1.0;
    }
    let rounded = if scaled < 0.0 { -rounded } else { rounded };
    if places >= 0.0 {
        rounded / scale
    } else {
        rounded * scale
    }
}

/// Raises to a power. Integer exponents up to 1024 use repeated squaring, so
/// the Rust and TypeScript evaluators give the same bits.
fn power(base: f64, exponent: f64) -> f64 {
    if exponent.is_nan() || exponent.trunc() != exponent || exponent.abs() > 1024.0 {
        // NOTE: powf and JavaScript's Math.pow may differ in the last bit for
        // fractional exponents.
        return base.powf(exponent);
    }
    let mut result = 1.0;
    let mut factor = base;
    let mut remaining = exponent.abs() as u32;
    while remaining > 0 {
        if remaining & 1 == 1 {
            result *= factor;
        }
        factor *= factor;
        remaining >>= 1;
    }
    if exponent < 0.0 { 1.0 / result } else { result }
}

impl Evaluator<'_> {
    pub(crate) fn call(&self, name: &str, args: &[Expr]) -> Result<Value, EvalError> {
        let arg = |index: usize| &args[index];
        let value = match name {
            "if" => {
                let branch = if self.boolean(arg(0))? { 1 } else { 2 };
                return self.eval(arg(branch));
            }
            "coalesce" => {
                let first = self.text(arg(0))?;
                if first.is_empty() {
                    Value::String(self.text(arg(1))?)
                } else {
                    Value::String(first)
                }
            }
            "true" => Value::Boolean(true),
            "false" => Value::Boolean(false),
            "not" => Value::Boolean(!self.boolean(arg(0))?),
            "boolean" => Value::Boolean(self.boolean(arg(0))?),
            "boolean-from-string" => {
                let text = self.text(arg(0))?;
                Value::Boolean(text == "1" || text.eq_ignore_ascii_case("true"))
            }
            "number" => Value::Number(self.optional_arg(args)?.to_number(self.clock_offset)),
            "string" => Value::String(self.optional_arg(args)?.to_text()),
            "string-length" => {
                Value::Number(self.optional_arg(args)?.to_text().chars().count() as f64)
            }
            "normalize-space" => {
                let text = self.optional_arg(args)?.to_text();
                Value::String(choice_values(&text).join(" "))
            }
            "concat" => Value::String(self.items(args)?.concat()),
            "join" => {
                let separator = self.text(arg(0))?;
                Value::String(self.items(&args[1..])?.join(&separator))
            }
            "contains" => Value::Boolean(self.text(arg(0))?.contains(&self.text(arg(1))?)),
            "starts-with" => Value::Boolean(self.text(arg(0))?.starts_with(&self.text(arg(1))?)),
            "ends-with" => Value::Boolean(self.text(arg(0))?.ends_with(&self.text(arg(1))?)),
            "substring-before" | "substring-after" => {
                let text = self.text(arg(0))?;
                let needle = self.text(arg(1))?;
                let part = match text.find(&needle) {
                    Some(at) if name == "substring-before" => &text[..at],
                    Some(at) => &text[at + needle.len()..],
                    None => "",
                };
                Value::String(part.to_string())
            }
            "substr" => self.substr(args)?,
            "translate" => self.translate(args)?,
            "regex" => {
                let text = self.text(arg(0))?;
                let pattern = self.text(arg(1))?;
                // The whole value must match, as in ODK Collect.
                let anchored = format!("^(?:{pattern})$");
                let regex =
                    regex::Regex::new(&anchored).map_err(|_| EvalError::InvalidRegex(pattern))?;
                Value::Boolean(regex.is_match(&text))
            }
            "selected" => {
                let answer = self.text(arg(0))?;
                let choice = self.text(arg(1))?;
                let choice = choice.trim_matches(is_xml_space);
                Value::Boolean(choice_values(&answer).contains(&choice))
            }
            "count-selected" => Value::Number(choice_values(&self.text(arg(0))?).len() as f64),
            "selected-at" => {
                let answer = self.text(arg(0))?;
                let index = self.number(arg(1))?.trunc();
                let values = choice_values(&answer);
                let found =
                    (index >= 0.0 && index < values.len() as f64).then(|| values[index as usize]);
                Value::String(found.unwrap_or_default().to_string())
            }
            "jr:choice-name" => {
                let value = self.text(arg(0))?;
                let field = self.text(arg(1))?;
                let field = field.trim_matches(is_xml_space);
                let field = field
                    .strip_prefix("${")
                    .and_then(|rest| rest.strip_suffix('}'))
                    .unwrap_or(field);
                Value::String(self.env.choice_label(field, &value).unwrap_or_default())
            }
            "int" => Value::Number(self.number(arg(0))?.trunc()),
            "floor" => Value::Number(self.number(arg(0))?.floor()),
            "ceiling" => Value::Number(self.number(arg(0))?.ceil()),
            "abs" => Value::Number(self.number(arg(0))?.abs()),
            "round" => {
                let digits = match args.get(1) {
                    Some(digits) => self.number(digits)?,
                    None => 0.0,
                };
                Value::Number(round_half_away(self.number(arg(0))?, digits))
            }
            "pow" => Value::Number(power(self.number(arg(0))?, self.number(arg(1))?)),
            "min" | "max" => self.extreme(name == "min", args)?,
            "sum" => {
                let nodes = self.nodeset(name, arg(0))?;
                let total = nodes.iter().fold(0.0, |total, node| {
                    total + Value::String(node.clone()).to_number(self.clock_offset)
                });
                Value::Number(total)
            }
            "count" => Value::Number(self.nodeset(name, arg(0))?.len() as f64),
            "position" => {
                // The argument, `..` in ODK forms, is not evaluated.
                let position = self.env.position().ok_or(EvalError::NoPosition)?;
                Value::Number(position as f64)
            }
            "today" => Value::String(format_date_only(self.env.clock().local_ms())),
            "now" => {
                let clock = self.env.clock();
                Value::String(format_date_time(clock.local_ms(), clock.offset_minutes()))
            }
            "date" => {
                let local = days_to_local_ms(self.number(arg(0))?);
                Value::String(local.map(format_date_only).unwrap_or_default())
            }
            "decimal-date-time" => Value::Number(self.number(arg(0))?),
            "format-date" | "format-date-time" => {
                let local = days_to_local_ms(self.number(arg(0))?);
                let pattern = self.text(arg(1))?;
                let formatted = local.map(|ms| format_local(ms, &pattern));
                Value::String(formatted.unwrap_or_default())
            }
            // The parser rejects unknown names, so this arm only runs for a
            // name added to `arity` without an implementation.
            _ => Value::String(String::new()),
        };
        Ok(value)
    }

    /// Evaluates the only argument, or `.` when there is none.
    fn optional_arg(&self, args: &[Expr]) -> Result<Value, EvalError> {
        match args.first() {
            Some(arg) => self.eval(arg),
            None => Ok(Value::String(self.current()?)),
        }
    }

    /// Evaluates arguments to strings, expanding each nodeset into its answers.
    fn items(&self, args: &[Expr]) -> Result<Vec<String>, EvalError> {
        let mut items = Vec::new();
        for arg in args {
            match self.eval(arg)? {
                Value::Nodeset(nodes) => items.extend(nodes),
                other => items.push(other.to_text()),
            }
        }
        Ok(items)
    }

    fn nodeset(&self, function: &str, arg: &Expr) -> Result<Vec<String>, EvalError> {
        if matches!(arg.kind, ExprKind::Parent) {
            return Err(EvalError::ParentOutsidePosition);
        }
        match self.eval(arg)? {
            Value::Nodeset(nodes) => Ok(nodes),
            _ => Err(EvalError::NodesetExpected(function.to_string())),
        }
    }

    fn extreme(&self, want_min: bool, args: &[Expr]) -> Result<Value, EvalError> {
        let mut best: Option<f64> = None;
        for item in self.items(args)? {
            let number = Value::String(item).to_number(self.clock_offset);
            if number.is_nan() {
                return Ok(Value::Number(f64::NAN));
            }
            best = Some(match best {
                Some(current) if (number < current) == want_min && number != current => number,
                Some(current) => current,
                None => number,
            });
        }
        Ok(Value::Number(best.unwrap_or(f64::NAN)))
    }

    fn substr(&self, args: &[Expr]) -> Result<Value, EvalError> {
        let chars: Vec<char> = self.text(&args[0])?.chars().collect();
        let start = clamp_index(self.number(&args[1])?, chars.len());
        let end = match args.get(2) {
            Some(end) => clamp_index(self.number(end)?, chars.len()),
            None => chars.len(),
        };
        let part: String = chars
            .get(start..end.max(start))
            .unwrap_or_default()
            .iter()
            .collect();
        Ok(Value::String(part))
    }

    fn translate(&self, args: &[Expr]) -> Result<Value, EvalError> {
        let text = self.text(&args[0])?;
        let from: Vec<char> = self.text(&args[1])?.chars().collect();
        let to: Vec<char> = self.text(&args[2])?.chars().collect();
        let translated = text
            .chars()
            .filter_map(|c| match from.iter().position(|&f| f == c) {
                Some(index) => to.get(index).copied(),
                None => Some(c),
            })
            .collect();
        Ok(Value::String(translated))
    }
}
