//! Evaluation of a parsed expression against an [`Env`].

use super::ast::{BinaryOp, Expr, ExprKind};
use super::env::Env;
use super::error::EvalError;
use super::value::Value;

/// Evaluates `expr` against `env`.
pub fn evaluate(expr: &Expr, env: &dyn Env) -> Result<Value, EvalError> {
    let evaluator = Evaluator {
        env,
        clock_offset: env.clock().offset_minutes(),
    };
    evaluator.eval(expr)
}

pub(crate) struct Evaluator<'a> {
    pub(crate) env: &'a dyn Env,
    pub(crate) clock_offset: i32,
}

impl Evaluator<'_> {
    pub(crate) fn eval(&self, expr: &Expr) -> Result<Value, EvalError> {
        match &expr.kind {
            ExprKind::Number(number) => Ok(Value::Number(*number)),
            ExprKind::String(text) => Ok(Value::String(text.clone())),
            ExprKind::Reference(name) => self
                .env
                .answers(name)
                .map(Value::Nodeset)
                .ok_or_else(|| EvalError::UnknownReference(name.clone())),
            ExprKind::Current => self.current().map(|text| Value::Nodeset(vec![text])),
            ExprKind::Parent => Err(EvalError::ParentOutsidePosition),
            ExprKind::Negate(inner) => Ok(Value::Number(-self.number(inner)?)),
            ExprKind::Binary { op, left, right } => self.binary(*op, left, right),
            ExprKind::Call { name, args } => self.call(name, args),
        }
    }

    pub(crate) fn current(&self) -> Result<String, EvalError> {
        self.env.current().ok_or(EvalError::NoCurrentValue)
    }

    pub(crate) fn number(&self, expr: &Expr) -> Result<f64, EvalError> {
        Ok(self.eval(expr)?.to_number(self.clock_offset))
    }

    pub(crate) fn text(&self, expr: &Expr) -> Result<String, EvalError> {
        Ok(self.eval(expr)?.to_text())
    }

    pub(crate) fn boolean(&self, expr: &Expr) -> Result<bool, EvalError> {
        Ok(self.eval(expr)?.to_boolean())
    }

    fn binary(&self, op: BinaryOp, left: &Expr, right: &Expr) -> Result<Value, EvalError> {
        let result = match op {
            BinaryOp::Or => Value::Boolean(self.boolean(left)? || self.boolean(right)?),
            BinaryOp::And => Value::Boolean(self.boolean(left)? && self.boolean(right)?),
            BinaryOp::Add => Value::Number(self.number(left)? + self.number(right)?),
            BinaryOp::Sub => Value::Number(self.number(left)? - self.number(right)?),
            BinaryOp::Mul => Value::Number(self.number(left)? * self.number(right)?),
            BinaryOp::Div => Value::Number(self.number(left)? / self.number(right)?),
            // Rust's `%` on f64 is the truncating remainder XPath's `mod` specifies.
            BinaryOp::Mod => Value::Number(self.number(left)? % self.number(right)?),
            _ => {
                let left = self.eval(left)?;
                let right = self.eval(right)?;
                Value::Boolean(self.compare(op, &left, &right))
            }
        };
        Ok(result)
    }

    /// Compares two values by the XPath 1.0 rules: a nodeset matches when any
    /// of its answers does, and a comparison with a boolean compares booleans.
    fn compare(&self, op: BinaryOp, left: &Value, right: &Value) -> bool {
        match (left, right) {
            (Value::Nodeset(lefts), Value::Nodeset(rights)) => lefts.iter().any(|l| {
                rights.iter().any(|r| {
                    self.compare_single(op, &Value::String(l.clone()), &Value::String(r.clone()))
                })
            }),
            (Value::Nodeset(_), Value::Boolean(_)) | (Value::Boolean(_), Value::Nodeset(_)) => {
                let left = Value::Boolean(left.to_boolean());
                let right = Value::Boolean(right.to_boolean());
                self.compare_single(op, &left, &right)
            }
            (Value::Nodeset(lefts), _) => lefts
                .iter()
                .any(|l| self.compare_single(op, &Value::String(l.clone()), right)),
            (_, Value::Nodeset(rights)) => rights
                .iter()
                .any(|r| self.compare_single(op, left, &Value::String(r.clone()))),
            _ => self.compare_single(op, left, right),
        }
    }

    fn compare_single(&self, op: BinaryOp, left: &Value, right: &Value) -> bool {
        let either = |test: fn(&Value) -> bool| test(left) || test(right);
        if matches!(op, BinaryOp::Eq | BinaryOp::Ne) {
            let equal = if either(|v| matches!(v, Value::Boolean(_))) {
                left.to_boolean() == right.to_boolean()
            } else if either(|v| matches!(v, Value::Number(_))) {
                left.to_number(self.clock_offset) == right.to_number(self.clock_offset)
            } else {
                left.to_text() == right.to_text()
            };
            // NaN compares unequal to every number, itself included, so `!=`
            // is true whenever `=` is false.
            return if op == BinaryOp::Eq { equal } else { !equal };
        }
        let l = left.to_number(self.clock_offset);
        let r = right.to_number(self.clock_offset);
        match op {
            BinaryOp::Lt => l < r,
            BinaryOp::Le => l <= r,
            BinaryOp::Gt => l > r,
            _ => l >= r,
        }
    }
}
