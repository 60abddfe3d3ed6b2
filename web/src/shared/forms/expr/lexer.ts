// Splits an expression into tokens.

import type { Span } from './ast.ts';
import { ExprParseError } from './errors.ts';

export type TokenKind =
  | 'number'
  | 'string'
  | 'reference'
  /** A function name or one of the operator words `and`, `or`, `div`, `mod`. */
  | 'name'
  | '('
  | ')'
  | ','
  | '.'
  | '..'
  | '+'
  | '-'
  | '*'
  | '='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | 'end';

export interface Token {
  kind: TokenKind;
  /** The number for `number`, the text for `string`, `reference` and `name`. */
  text: string;
  value: number;
  span: Span;
}

/** Returns true for the whitespace XPath skips between tokens. */
export function isXmlSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r';
}

const ALPHABETIC = /^\p{Alphabetic}$/u;
const NUMERIC = /^\p{N}$/u;

function isAsciiLetter(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

function isNameStart(c: string | undefined): boolean {
  if (c === undefined) return false;
  return c === '_' || isAsciiLetter(c) || (c > '\u007f' && ALPHABETIC.test(c));
}

function isNameChar(c: string | undefined): boolean {
  if (c === undefined) return false;
  return (
    isNameStart(c) || isDigit(c) || c === '-' || c === '.' || (c > '\u007f' && NUMERIC.test(c))
  );
}

/** Splits `source` into tokens, ending with one `end` token. */
export function tokenize(source: string): Token[] {
  const lexer = new Lexer(source);
  const tokens: Token[] = [];
  for (;;) {
    const token = lexer.next();
    tokens.push(token);
    if (token.kind === 'end') return tokens;
  }
}

const SINGLE: Record<string, TokenKind> = {
  '(': '(',
  ')': ')',
  ',': ',',
  '+': '+',
  '-': '-',
  '*': '*',
  '=': '=',
};

class Lexer {
  private pos = 0;

  constructor(private readonly source: string) {}

  private peek(offset = 0): string | undefined {
    let index = this.pos;
    for (let i = 0; i < offset; i++) {
      const c = this.source.codePointAt(index);
      if (c === undefined) return undefined;
      index += c > 0xffff ? 2 : 1;
    }
    const c = this.source.codePointAt(index);
    return c === undefined ? undefined : String.fromCodePoint(c);
  }

  private bump(): string | undefined {
    const c = this.peek();
    if (c !== undefined) this.pos += c.length;
    return c;
  }

  private eatWhile(accept: (c: string | undefined) => boolean): void {
    while (this.peek() !== undefined && accept(this.peek())) this.bump();
  }

  private error(start: number, what: string): ExprParseError {
    return new ExprParseError(this.source, start, Math.max(this.pos, start), what);
  }

  private token(kind: TokenKind, start: number, text = '', value = 0): Token {
    return { kind, text, value, span: { start, end: this.pos } };
  }

  next(): Token {
    this.eatWhile((c) => c !== undefined && isXmlSpace(c));
    const start = this.pos;
    const c = this.bump();
    if (c === undefined) return this.token('end', start);
    const single = SINGLE[c];
    if (single !== undefined) return this.token(single, start);
    if (c === '<' || c === '>' || c === '!') return this.comparison(c, start);
    if (c === '.') {
      if (isDigit(this.peek())) return this.number(start);
      if (this.peek() === '.') {
        this.bump();
        return this.token('..', start);
      }
      return this.token('.', start);
    }
    if (isDigit(c)) return this.number(start);
    if (c === "'" || c === '"') return this.string(c, start);
    if (c === '$') return this.reference(start);
    if (isNameStart(c)) return this.name(start);
    throw this.error(start, `unexpected character '${c}'`);
  }

  private comparison(first: string, start: number): Token {
    const hasEquals = this.peek() === '=';
    if (hasEquals) this.bump();
    if (first === '<') return this.token(hasEquals ? '<=' : '<', start);
    if (first === '>') return this.token(hasEquals ? '>=' : '>', start);
    if (hasEquals) return this.token('!=', start);
    throw this.error(start, "unexpected character '!'");
  }

  /** Lexes `Digits ('.' Digits?)? | '.' Digits`; XPath has no exponent form. */
  private number(start: number): Token {
    this.eatWhile(isDigit);
    if (this.peek() === '.' && !this.source.slice(start, this.pos).includes('.')) {
      this.bump();
      this.eatWhile(isDigit);
    }
    const text = this.source.slice(start, this.pos);
    return this.token('number', start, text, Number(text));
  }

  private string(quote: string, start: number): Token {
    const close = this.source.indexOf(quote, this.pos);
    if (close < 0) {
      this.pos = this.source.length;
      throw this.error(start, 'unterminated string');
    }
    const text = this.source.slice(this.pos, close);
    this.pos = close + 1;
    return this.token('string', start, text);
  }

  private reference(start: number): Token {
    if (this.peek() !== '{') throw this.error(start, "unexpected character '$'");
    this.bump();
    const nameStart = this.pos;
    if (!isNameStart(this.peek())) throw this.error(nameStart, 'expected field name');
    this.eatWhile(isNameChar);
    const name = this.source.slice(nameStart, this.pos);
    if (this.peek() !== '}') throw this.error(this.pos, "expected '}'");
    this.bump();
    return this.token('reference', start, name);
  }

  /** Lexes an NCName with an optional `prefix:` part. */
  private name(start: number): Token {
    this.eatWhile(isNameChar);
    if (this.peek() === ':' && isNameStart(this.peek(1))) {
      this.bump();
      this.eatWhile(isNameChar);
    }
    return this.token('name', start, this.source.slice(start, this.pos));
  }
}
