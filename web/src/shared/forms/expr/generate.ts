// A deterministic generator of random well-formed expressions. It mirrors
// ronda_forms::expr::generate in Rust (same PRNG, same grammar, same order of
// draws), so for one seed both produce the same expressions.

/** Seed of spec/expressions/generated.json. */
export const SEED = 20_261_207;
/** Number of expressions in spec/expressions/generated.json. */
export const COUNT = 500;
/** Maximum nesting of the generated expressions. */
export const MAX_DEPTH = 4;

/** Marsaglia's xorshift32 PRNG with shifts 13, 17 and 5. */
export class XorShift32 {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0 === 0 ? 1 : seed >>> 0;
  }

  nextU32(): number {
    let x = this.state;
    x = (x ^ (x << 13)) >>> 0;
    x = (x ^ (x >>> 17)) >>> 0;
    x = (x ^ (x << 5)) >>> 0;
    this.state = x;
    return x;
  }

  /** Returns a number in `0..bound`; `bound` must not be zero. */
  below(bound: number): number {
    return this.nextU32() % bound;
  }

  pick(items: readonly string[]): string {
    return items[this.below(items.length)] ?? '';
  }
}

const LEAVES = [
  '0', '1', '2', '3.5', '10', '0.1', "'a'", "''", "'3'", "'2026-08-07'", "'ñandú'", "'a b'",
  '${a}', '${b}', '${c}', '${s}', '${m}', '${d}', '${r}', '.',
];

const BINARY_OPERATORS = ['+', '-', '*', 'div', 'mod', '=', '!=', '<', '<=', '>', '>=', 'and', 'or'];

/**
 * Functions and their argument kinds: `e` any expression, `r` the repeat
 * reference, `f` a date pattern, `i` a small integer.
 */
const FUNCTIONS: readonly (readonly [string, string])[] = [
  ['if', 'eee'],
  ['concat', 'ee'],
  ['coalesce', 'ee'],
  ['string-length', 'e'],
  ['substr', 'eee'],
  ['substr', 'ee'],
  ['contains', 'ee'],
  ['starts-with', 'ee'],
  ['round', 'ee'],
  ['round', 'e'],
  ['int', 'e'],
  ['number', 'e'],
  ['string', 'e'],
  ['not', 'e'],
  ['boolean', 'e'],
  ['selected', 'ee'],
  ['count-selected', 'e'],
  ['sum', 'r'],
  ['count', 'r'],
  ['date', 'e'],
  ['decimal-date-time', 'e'],
  ['format-date', 'ef'],
  ['today', ''],
  ['floor', 'e'],
  ['abs', 'e'],
  ['min', 'ee'],
  ['max', 'ee'],
  ['pow', 'ei'],
  ['normalize-space', 'e'],
  ['translate', 'eee'],
];

const DATE_PATTERNS = ["'%Y-%m-%d'", "'%e/%n/%y %H:%M'", "'%a %d %b'"];
const SMALL_INTEGERS = ['0', '2', '3', '-1'];

/** Generates one expression of at most `depth` levels. */
export function expression(rng: XorShift32, depth: number): string {
  if (depth === 0 || rng.below(4) === 0) return rng.pick(LEAVES);
  const shape = rng.below(4);
  if (shape === 0) {
    const left = expression(rng, depth - 1);
    const op = rng.pick(BINARY_OPERATORS);
    const right = expression(rng, depth - 1);
    return rng.below(2) === 0 ? `(${left} ${op} ${right})` : `${left} ${op} ${right}`;
  }
  if (shape === 1) return `-${expression(rng, depth - 1)}`;
  const [name, kinds] = FUNCTIONS[rng.below(FUNCTIONS.length)] ?? ['today', ''];
  const args: string[] = [];
  for (const kind of kinds) {
    if (kind === 'r') args.push('${r}');
    else if (kind === 'f') args.push(rng.pick(DATE_PATTERNS));
    else if (kind === 'i') args.push(rng.pick(SMALL_INTEGERS));
    else args.push(expression(rng, depth - 1));
  }
  return `${name}(${args.join(', ')})`;
}

/** Generates `count` expressions from `seed`. */
export function expressions(seed: number, count: number): string[] {
  const rng = new XorShift32(seed);
  return Array.from({ length: count }, () => expression(rng, MAX_DEPTH));
}
