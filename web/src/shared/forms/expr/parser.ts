// Recursive-descent parser from tokens to an `Expr`.

import type { BinaryOp, Expr, Span } from './ast.ts';
import { ExprParseError } from './errors.ts';
import { arity } from './functions.ts';
import { type Token, tokenize } from './lexer.ts';

/** Maximum nesting of parentheses, unary minus and function calls. */
const MAX_NESTING = 100;
/** Maximum depth of the finished tree, which bounds evaluation recursion. */
const MAX_DEPTH = 250;

const LEVELS: Record<string, [BinaryOp, number]> = {
  or: ['or', 0],
  and: ['and', 1],
  '=': ['=', 2],
  '!=': ['!=', 2],
  '<': ['<', 3],
  '<=': ['<=', 3],
  '>': ['>', 3],
  '>=': ['>=', 3],
  '+': ['+', 4],
  '-': ['-', 4],
  '*': ['*', 5],
  div: ['div', 5],
  mod: ['mod', 5],
};

/** Parses an expression, checking function names and argument counts. */
export function parse(source: string): Expr {
  const parser = new Parser(source, tokenize(source));
  const expr = parser.orExpr();
  const next = parser.peek();
  if (next.kind !== 'end') throw parser.errorAt(next.span, 'expected end of expression');
  checkDepth(source, expr);
  return expr;
}

/** Rejects trees deeper than MAX_DEPTH, such as long `1+1+...` chains. */
function checkDepth(source: string, root: Expr): void {
  const stack: [Expr, number][] = [[root, 1]];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [expr, depth] = item;
    if (depth > MAX_DEPTH) {
      throw new ExprParseError(source, expr.span.start, expr.span.end, 'expression nested too deeply');
    }
    if (expr.kind === 'negate') stack.push([expr.operand, depth + 1]);
    if (expr.kind === 'binary') stack.push([expr.left, depth + 1], [expr.right, depth + 1]);
    if (expr.kind === 'call') stack.push(...expr.args.map((a): [Expr, number] => [a, depth + 1]));
  }
}

class Parser {
  private index = 0;
  private nesting = 0;

  constructor(
    private readonly source: string,
    private readonly tokens: Token[],
  ) {}

  peek(): Token {
    const token = this.tokens[Math.min(this.index, this.tokens.length - 1)];
    if (token === undefined) throw new Error('tokenize always returns an end token');
    return token;
  }

  private advance(): Token {
    const token = this.peek();
    if (this.index + 1 < this.tokens.length) this.index += 1;
    return token;
  }

  errorAt(span: Span, what: string): ExprParseError {
    return new ExprParseError(this.source, span.start, span.end, what);
  }

  private enter(span: Span): void {
    this.nesting += 1;
    if (this.nesting > MAX_NESTING) throw this.errorAt(span, 'expression nested too deeply');
  }

  private expectRightParen(): Span {
    const token = this.peek();
    if (token.kind !== ')') throw this.errorAt(token.span, "expected ')'");
    this.advance();
    return token.span;
  }

  /** Returns the binary operator at the current token if it belongs to `level`. */
  private operator(level: number): BinaryOp | undefined {
    const token = this.peek();
    const key = token.kind === 'name' ? token.text : token.kind;
    const entry = Object.hasOwn(LEVELS, key) ? LEVELS[key] : undefined;
    return entry !== undefined && entry[1] === level ? entry[0] : undefined;
  }

  orExpr(): Expr {
    return this.binaryLevel(0);
  }

  /** Parses a left-associative chain of operators of one precedence level. */
  private binaryLevel(level: number): Expr {
    let left = this.operand(level);
    for (let op = this.operator(level); op !== undefined; op = this.operator(level)) {
      this.advance();
      const right = this.operand(level);
      const span = { start: left.span.start, end: right.span.end };
      left = { kind: 'binary', op, left, right, span };
    }
    return left;
  }

  private operand(level: number): Expr {
    return level < 5 ? this.binaryLevel(level + 1) : this.unary();
  }

  private unary(): Expr {
    const token = this.peek();
    if (token.kind !== '-') return this.primary();
    this.advance();
    this.enter(token.span);
    const operand = this.unary();
    this.nesting -= 1;
    return { kind: 'negate', operand, span: { start: token.span.start, end: operand.span.end } };
  }

  private primary(): Expr {
    const token = this.advance();
    const span = token.span;
    switch (token.kind) {
      case 'number':
        return { kind: 'number', value: token.value, span };
      case 'string':
        return { kind: 'string', value: token.text, span };
      case 'reference':
        return { kind: 'reference', name: token.text, span };
      case '.':
        return { kind: 'current', span };
      case '..':
        return { kind: 'parent', span };
      case '(': {
        this.enter(span);
        const inner = this.orExpr();
        const close = this.expectRightParen();
        this.nesting -= 1;
        return { ...inner, span: { start: span.start, end: close.end } };
      }
      case 'name':
        return this.call(token.text, span);
      default:
        throw this.errorAt(span, 'expected expression');
    }
  }

  private call(name: string, nameSpan: Span): Expr {
    const open = this.peek();
    if (open.kind !== '(') throw this.errorAt(open.span, "expected '('");
    const counts = arity(name);
    if (counts === undefined) throw this.errorAt(nameSpan, `unknown function '${name}'`);
    this.advance();
    this.enter(open.span);
    const args: Expr[] = [];
    if (this.peek().kind !== ')') {
      for (;;) {
        args.push(this.orExpr());
        const next = this.peek();
        if (next.kind === ',') {
          this.advance();
        } else if (next.kind === ')') {
          break;
        } else {
          throw this.errorAt(next.span, "expected ',' or ')'");
        }
      }
    }
    const close = this.expectRightParen();
    this.nesting -= 1;
    const [min, max] = counts;
    if (args.length < min || (max !== undefined && args.length > max)) {
      let expected = `at least ${min}`;
      if (max === min) expected = `${min}`;
      else if (max !== undefined) expected = `${min} to ${max}`;
      const what = `wrong number of arguments to '${name}' (expects ${expected}, got ${args.length})`;
      throw this.errorAt(nameSpan, what);
    }
    return { kind: 'call', name, args, span: { start: nameSpan.start, end: close.end } };
  }
}
