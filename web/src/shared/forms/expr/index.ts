// The expression language of XLSForm questionnaires: the subset of ODK XPath
// used in relevant, constraint and calculation columns, with ${name}
// references. The Rust crate ronda-forms implements the same rules, and both
// must pass every vector in spec/expressions/.

export type { BinaryOp, Expr, Span } from './ast.ts';
export { type Clock, parseClock } from './dates.ts';
export { type Env, MapEnv } from './env.ts';
export { ExprEvalError, ExprParseError } from './errors.ts';
export { evaluate } from './evaluate.ts';
export { parse } from './parser.ts';
export { references } from './references.ts';
export { formatNumber, textToNumber, type Value } from './value.ts';
