// Errors of parsing and evaluation. Messages match the Rust evaluator's word
// for word, because the shared vectors compare them.

/** A syntax error; the message ends with the 1-based column in characters. */
export class ExprParseError extends Error {
  readonly start: number;
  readonly end: number;

  constructor(source: string, start: number, end: number, what: string) {
    const column = Array.from(source.slice(0, start)).length + 1;
    super(`${what} at column ${column}`);
    this.name = 'ExprParseError';
    this.start = start;
    this.end = end;
  }
}

/** A failure while evaluating a well-formed expression. */
export class ExprEvalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExprEvalError';
  }
}

export const evalMessages = {
  unknownReference: (name: string) => `unknown reference \${${name}}`,
  noCurrentValue: "'.' has no current value in this context",
  noPosition: 'position() is only available inside a repeat',
  parentOutsidePosition: "'..' is only supported as the argument of position()",
  nodesetExpected: (fn: string) => `${fn}() expects a repeat field reference as its argument`,
  invalidRegex: (pattern: string) => `invalid regular expression '${pattern}'`,
};
