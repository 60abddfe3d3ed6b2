// The functions an expression may call.

import type { Expr } from './ast.ts';
import {
  clockLocalMs,
  daysToLocalMs,
  formatDateOnly,
  formatDateTime,
  formatLocal,
} from './dates.ts';
import { evalMessages, ExprEvalError } from './errors.ts';
import type { Evaluator } from './evaluate.ts';
import { isXmlSpace } from './lexer.ts';
import { bool, num, str, toNumber, toText, trimXml, type Value } from './value.ts';

const ARITY: Record<string, [number, number | undefined]> = {};
function define(names: string[], min: number, max: number | undefined): void {
  for (const name of names) ARITY[name] = [min, max];
}
define(['today', 'now', 'true', 'false'], 0, 0);
define(['string-length', 'normalize-space', 'number', 'string', 'position'], 0, 1);
define(
  ['count-selected', 'int', 'floor', 'ceiling', 'abs', 'boolean', 'boolean-from-string', 'not'],
  1,
  1,
);
define(['sum', 'count', 'date', 'decimal-date-time'], 1, 1);
define(['round'], 1, 2);
define(
  ['selected', 'selected-at', 'jr:choice-name', 'regex', 'contains', 'starts-with', 'ends-with'],
  2,
  2,
);
define(['substring-before', 'substring-after', 'coalesce', 'pow', 'format-date'], 2, 2);
define(['format-date-time'], 2, 2);
define(['substr'], 2, 3);
define(['if', 'translate'], 3, 3);
define(['concat'], 0, undefined);
define(['join', 'min', 'max'], 1, undefined);

/**
 * Returns the minimum and maximum argument counts of a known function, or
 * undefined for an unknown one. A maximum of undefined means any number.
 */
export function arity(name: string): [number, number | undefined] | undefined {
  return Object.hasOwn(ARITY, name) ? ARITY[name] : undefined;
}

/** Splits a multiple-choice answer into its space-separated choice values. */
function choiceValues(text: string): string[] {
  return text.split(/[ \t\r\n]/).filter((part) => part !== '');
}

/**
 * Converts a position argument: NaN counts as 0, fractions are truncated,
 * negative values count back from `length`, and the result is clamped.
 */
function clampIndex(n: number, length: number): number {
  let index = Number.isNaN(n) ? 0 : Math.trunc(n);
  if (index < 0) index += length;
  return Math.min(Math.max(index, 0), length);
}

/** Rounds half away from zero at `digits` places; negative digits round to tens, hundreds, ... */
function roundHalfAway(n: number, digits: number): number {
  if (Number.isNaN(n) || Number.isNaN(digits)) return NaN;
  if (!Number.isFinite(n)) return n;
  const places = Math.min(Math.max(Math.trunc(digits), -308), 308);
  // Reading "1e{n}" gives the correctly rounded power of ten in both Rust and
  // JavaScript, which repeated multiplication does not guarantee.
  const scale = Number(`1e${Math.abs(places)}`);
  const scaled = places >= 0 ? n * scale : n / scale;
  if (!Number.isFinite(scaled)) return n;
  const magnitude = Math.abs(scaled);
  let rounded = Math.floor(magnitude);
  if (magnitude - rounded >= 0.5) rounded += 1;
  if (scaled < 0) rounded = -rounded;
  return places >= 0 ? rounded / scale : rounded * scale;
}

/** Raises to a power; integer exponents up to 1024 use repeated squaring, as in Rust. */
function power(base: number, exponent: number): number {
  if (Number.isNaN(exponent) || Math.trunc(exponent) !== exponent || Math.abs(exponent) > 1024) {
    // NOTE: Math.pow and Rust's powf may differ in the last bit for
    // fractional exponents.
    return base ** exponent;
  }
  let result = 1;
  let factor = base;
  for (let remaining = Math.abs(exponent); remaining > 0; remaining = Math.floor(remaining / 2)) {
    if (remaining % 2 === 1) result *= factor;
    factor *= factor;
  }
  return exponent < 0 ? 1 / result : result;
}

/**
 * Lookaround and backreferences, which JavaScript accepts and Rust's regex
 * crate rejects; rejecting them here keeps both evaluators in agreement.
 */
const UNSHARED_REGEX_SYNTAX = /\(\?<?[=!]|\\[1-9]|\\k</;

/** Tests whether the whole of `text` matches `pattern`, as in ODK Collect. */
function regexMatches(text: string, pattern: string): boolean {
  // TODO: Rust's regex crate and JavaScript still differ on some syntax: \d,
  // \w and \s are Unicode-aware in Rust and ASCII here, and Rust accepts
  // inline flags such as (?i) and POSIX classes such as [[:alpha:]].
  if (UNSHARED_REGEX_SYNTAX.test(pattern)) throw new ExprEvalError(evalMessages.invalidRegex(pattern));
  let regex: RegExp;
  try {
    regex = new RegExp(`^(?:${pattern})$`, 'u');
  } catch {
    throw new ExprEvalError(evalMessages.invalidRegex(pattern));
  }
  return regex.test(text);
}

function arg(args: Expr[], index: number): Expr {
  const expr = args[index];
  if (expr === undefined) throw new Error(`argument ${index} missing; parse() checks arity`);
  return expr;
}

/** Evaluates the only argument, or `.` when there is none. */
function optionalArg(ev: Evaluator, args: Expr[]): Value {
  const first = args[0];
  return first === undefined ? str(ev.current()) : ev.eval(first);
}

/** Evaluates arguments to strings, expanding each nodeset into its answers. */
function items(ev: Evaluator, args: Expr[]): string[] {
  const out: string[] = [];
  for (const expr of args) {
    const value = ev.eval(expr);
    if (value.type === 'nodeset') out.push(...value.value);
    else out.push(toText(value));
  }
  return out;
}

function nodeset(ev: Evaluator, fn: string, expr: Expr): string[] {
  if (expr.kind === 'parent') throw new ExprEvalError(evalMessages.parentOutsidePosition);
  const value = ev.eval(expr);
  if (value.type !== 'nodeset') throw new ExprEvalError(evalMessages.nodesetExpected(fn));
  return value.value;
}

function extreme(ev: Evaluator, wantMin: boolean, args: Expr[]): Value {
  let best: number | undefined;
  for (const item of items(ev, args)) {
    const n = toNumber(str(item), ev.clockOffset);
    if (Number.isNaN(n)) return num(NaN);
    if (best === undefined || (wantMin ? n < best : n > best)) best = n;
  }
  return num(best ?? NaN);
}

function substr(ev: Evaluator, args: Expr[]): Value {
  const chars = Array.from(ev.text(arg(args, 0)));
  const start = clampIndex(ev.number(arg(args, 1)), chars.length);
  const endArg = args[2];
  const end = endArg === undefined ? chars.length : clampIndex(ev.number(endArg), chars.length);
  return str(chars.slice(start, Math.max(start, end)).join(''));
}

function translate(ev: Evaluator, args: Expr[]): Value {
  const from = Array.from(ev.text(arg(args, 1)));
  const to = Array.from(ev.text(arg(args, 2)));
  let out = '';
  for (const c of ev.text(arg(args, 0))) {
    const index = from.indexOf(c);
    if (index < 0) out += c;
    else out += to[index] ?? '';
  }
  return str(out);
}

function formatDays(days: number, pattern: string | undefined): string {
  const local = daysToLocalMs(days);
  if (local === undefined) return '';
  return pattern === undefined ? formatDateOnly(local) : formatLocal(local, pattern);
}

export function callFunction(ev: Evaluator, name: string, args: Expr[]): Value {
  const a = (index: number): Expr => arg(args, index);
  switch (name) {
    case 'if':
      return ev.eval(a(ev.boolean(a(0)) ? 1 : 2));
    case 'coalesce': {
      const first = ev.text(a(0));
      return str(first === '' ? ev.text(a(1)) : first);
    }
    case 'true':
      return bool(true);
    case 'false':
      return bool(false);
    case 'not':
      return bool(!ev.boolean(a(0)));
    case 'boolean':
      return bool(ev.boolean(a(0)));
    case 'boolean-from-string': {
      const text = ev.text(a(0));
      return bool(text === '1' || text.toLowerCase() === 'true');
    }
    case 'number':
      return num(toNumber(optionalArg(ev, args), ev.clockOffset));
    case 'string':
      return str(toText(optionalArg(ev, args)));
    case 'string-length':
      return num(Array.from(toText(optionalArg(ev, args))).length);
    case 'normalize-space':
      return str(choiceValues(toText(optionalArg(ev, args))).join(' '));
    case 'concat':
      return str(items(ev, args).join(''));
    case 'join': {
      const separator = ev.text(a(0));
      return str(items(ev, args.slice(1)).join(separator));
    }
    case 'contains':
      return bool(ev.text(a(0)).includes(ev.text(a(1))));
    case 'starts-with':
      return bool(ev.text(a(0)).startsWith(ev.text(a(1))));
    case 'ends-with':
      return bool(ev.text(a(0)).endsWith(ev.text(a(1))));
    case 'substring-before':
    case 'substring-after': {
      const text = ev.text(a(0));
      const needle = ev.text(a(1));
      const at = text.indexOf(needle);
      if (at < 0) return str('');
      return str(name === 'substring-before' ? text.slice(0, at) : text.slice(at + needle.length));
    }
    case 'substr':
      return substr(ev, args);
    case 'translate':
      return translate(ev, args);
    case 'regex': {
      const text = ev.text(a(0));
      return bool(regexMatches(text, ev.text(a(1))));
    }
    case 'selected': {
      const answer = ev.text(a(0));
      const choice = trimXml(ev.text(a(1)));
      return bool(choiceValues(answer).includes(choice));
    }
    case 'count-selected':
      return num(choiceValues(ev.text(a(0))).length);
    case 'selected-at': {
      const values = choiceValues(ev.text(a(0)));
      const index = Math.trunc(ev.number(a(1)));
      return str(index >= 0 && index < values.length ? (values[index] ?? '') : '');
    }
    case 'jr:choice-name': {
      const value = ev.text(a(0));
      let field = trimXml(ev.text(a(1)));
      if (field.startsWith('${') && field.endsWith('}')) field = field.slice(2, -1);
      return str(ev.env.choiceLabel(field, value) ?? '');
    }
    case 'int':
      return num(Math.trunc(ev.number(a(0))));
    case 'floor':
      return num(Math.floor(ev.number(a(0))));
    case 'ceiling':
      return num(Math.ceil(ev.number(a(0))));
    case 'abs':
      return num(Math.abs(ev.number(a(0))));
    case 'round': {
      const digits = args[1] === undefined ? 0 : ev.number(args[1]);
      return num(roundHalfAway(ev.number(a(0)), digits));
    }
    case 'pow':
      return num(power(ev.number(a(0)), ev.number(a(1))));
    case 'min':
    case 'max':
      return extreme(ev, name === 'min', args);
    case 'sum':
      return num(
        nodeset(ev, name, a(0)).reduce((total, node) => total + toNumber(str(node), ev.clockOffset), 0),
      );
    case 'count':
      return num(nodeset(ev, name, a(0)).length);
    case 'position': {
      // The argument, `..` in ODK forms, is not evaluated.
      const position = ev.env.position();
      if (position === undefined) throw new ExprEvalError(evalMessages.noPosition);
      return num(position);
    }
    case 'today':
      return str(formatDateOnly(clockLocalMs(ev.env.clock())));
    case 'now': {
      const clock = ev.env.clock();
      return str(formatDateTime(clockLocalMs(clock), clock.offsetMinutes));
    }
    case 'date':
      return str(formatDays(ev.number(a(0)), undefined));
    case 'decimal-date-time':
      return num(ev.number(a(0)));
    case 'format-date':
    case 'format-date-time': {
      const days = ev.number(a(0));
      return str(formatDays(days, ev.text(a(1))));
    }
    default:
      // parse() rejects unknown names, so this only runs for a name added to
      // ARITY without an implementation.
      return str('');
  }
}
