// choice_filter expressions. In XLSForm a bare name in a choice filter, such
// as `cf` in `cf = ${state}`, means a column of the choice being tested; the
// expression parser only knows ${name} references, so bare names are
// rewritten to references with CHOICE_PREFIX. Mirrors ronda_forms::filter.

import type { Expr } from './expr/ast.ts';
import { tokenize } from './expr/lexer.ts';
import { parse } from './expr/parser.ts';

export const CHOICE_PREFIX = '__choice.';

const OPERATOR_WORDS = new Set(['and', 'or', 'div', 'mod']);

/** Parses a choice filter; returns the expression and the choice columns it reads. */
export function parseChoiceFilter(source: string): { expr: Expr; columns: string[] } {
  const tokens = tokenize(source);
  let rewritten = '';
  let copied = 0;
  const columns: string[] = [];
  tokens.forEach((token, index) => {
    if (token.kind !== 'name') return;
    const isCall = tokens[index + 1]?.kind === '(';
    if (isCall || OPERATOR_WORDS.has(token.text)) return;
    rewritten += source.slice(copied, token.span.start) + '${' + CHOICE_PREFIX + token.text + '}';
    copied = token.span.end;
    if (!columns.includes(token.text)) columns.push(token.text);
  });
  rewritten += source.slice(copied);
  return { expr: parse(rewritten), columns };
}
