// Evaluation of a parsed expression against an Env.

import type { BinaryOp, Expr } from './ast.ts';
import type { Env } from './env.ts';
import { evalMessages, ExprEvalError } from './errors.ts';
import { callFunction } from './functions.ts';
import { bool, num, str, toBoolean, toNumber, toText, type Value } from './value.ts';

/** Evaluates `expr` against `env`; throws ExprEvalError on failure. */
export function evaluate(expr: Expr, env: Env): Value {
  return new Evaluator(env).eval(expr);
}

export class Evaluator {
  readonly clockOffset: number;

  constructor(readonly env: Env) {
    this.clockOffset = env.clock().offsetMinutes;
  }

  eval(expr: Expr): Value {
    switch (expr.kind) {
      case 'number':
        return num(expr.value);
      case 'string':
        return str(expr.value);
      case 'reference': {
        const answers = this.env.answers(expr.name);
        if (answers === undefined) throw new ExprEvalError(evalMessages.unknownReference(expr.name));
        return { type: 'nodeset', value: [...answers] };
      }
      case 'current':
        return { type: 'nodeset', value: [this.current()] };
      case 'parent':
        throw new ExprEvalError(evalMessages.parentOutsidePosition);
      case 'negate':
        return num(-this.number(expr.operand));
      case 'binary':
        return this.binary(expr.op, expr.left, expr.right);
      case 'call':
        return callFunction(this, expr.name, expr.args);
    }
  }

  current(): string {
    const value = this.env.current();
    if (value === undefined) throw new ExprEvalError(evalMessages.noCurrentValue);
    return value;
  }

  number(expr: Expr): number {
    return toNumber(this.eval(expr), this.clockOffset);
  }

  text(expr: Expr): string {
    return toText(this.eval(expr));
  }

  boolean(expr: Expr): boolean {
    return toBoolean(this.eval(expr));
  }

  private binary(op: BinaryOp, left: Expr, right: Expr): Value {
    switch (op) {
      case 'or':
        return bool(this.boolean(left) || this.boolean(right));
      case 'and':
        return bool(this.boolean(left) && this.boolean(right));
      case '+':
        return num(this.number(left) + this.number(right));
      case '-':
        return num(this.number(left) - this.number(right));
      case '*':
        return num(this.number(left) * this.number(right));
      case 'div':
        return num(this.number(left) / this.number(right));
      case 'mod':
        // JavaScript's % is the truncating remainder XPath's `mod` specifies.
        return num(this.number(left) % this.number(right));
      default:
        return bool(this.compare(op, this.eval(left), this.eval(right)));
    }
  }

  /**
   * Compares two values by the XPath 1.0 rules: a nodeset matches when any of
   * its answers does, and a comparison with a boolean compares booleans.
   */
  private compare(op: BinaryOp, left: Value, right: Value): boolean {
    if (left.type === 'nodeset' && right.type === 'nodeset') {
      return left.value.some((l) => right.value.some((r) => this.compareSingle(op, str(l), str(r))));
    }
    if (
      (left.type === 'nodeset' && right.type === 'boolean') ||
      (left.type === 'boolean' && right.type === 'nodeset')
    ) {
      return this.compareSingle(op, bool(toBoolean(left)), bool(toBoolean(right)));
    }
    if (left.type === 'nodeset') return left.value.some((l) => this.compareSingle(op, str(l), right));
    if (right.type === 'nodeset') {
      return right.value.some((r) => this.compareSingle(op, left, str(r)));
    }
    return this.compareSingle(op, left, right);
  }

  private compareSingle(op: BinaryOp, left: Value, right: Value): boolean {
    if (op === '=' || op === '!=') {
      let equal: boolean;
      if (left.type === 'boolean' || right.type === 'boolean') {
        equal = toBoolean(left) === toBoolean(right);
      } else if (left.type === 'number' || right.type === 'number') {
        equal = toNumber(left, this.clockOffset) === toNumber(right, this.clockOffset);
      } else {
        equal = toText(left) === toText(right);
      }
      // NaN compares unequal to every number, itself included, so `!=` is
      // true whenever `=` is false.
      return op === '=' ? equal : !equal;
    }
    const l = toNumber(left, this.clockOffset);
    const r = toNumber(right, this.clockOffset);
    if (op === '<') return l < r;
    if (op === '<=') return l <= r;
    if (op === '>') return l > r;
    return l >= r;
  }
}
