// Syntax tree of a parsed expression.

/** Range `[start, end)` of a node or token, in UTF-16 code units of the source. */
export interface Span {
  start: number;
  end: number;
}

export type BinaryOp =
  | 'or'
  | 'and'
  | '='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | '+'
  | '-'
  | '*'
  | 'div'
  | 'mod';

export type Expr =
  | { kind: 'number'; value: number; span: Span }
  | { kind: 'string'; value: string; span: Span }
  /** `${name}`: the answer to another question. */
  | { kind: 'reference'; name: string; span: Span }
  /** `.`: the value being checked by a constraint. */
  | { kind: 'current'; span: Span }
  /** `..`: only meaningful as the argument of `position()`. */
  | { kind: 'parent'; span: Span }
  | { kind: 'negate'; operand: Expr; span: Span }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr; span: Span }
  /** A function call; `name` includes any prefix, as in `jr:choice-name`. */
  | { kind: 'call'; name: string; args: Expr[]; span: Span };
