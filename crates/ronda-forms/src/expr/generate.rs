//! A deterministic generator of random well-formed expressions.
//!
//! The TypeScript copy in `web/src/shared/forms/expr/generate.ts` uses the
//! same PRNG and grammar, so for one seed both produce the same expressions.
//! `spec/expressions/generated.json` stores them with the Rust results, and
//! the Vitest suite checks that TypeScript evaluates them the same way.

/// Seed of `spec/expressions/generated.json`.
pub const SEED: u32 = 20_261_207;
/// Number of expressions in `spec/expressions/generated.json`.
pub const COUNT: usize = 500;
/// Maximum nesting of the generated expressions.
pub const MAX_DEPTH: u32 = 4;

/// Marsaglia's xorshift32 PRNG with shifts 13, 17 and 5.
#[derive(Debug, Clone)]
pub struct XorShift32(u32);

impl XorShift32 {
    /// Creates a generator; a zero seed, which would stay zero, becomes 1.
    pub fn new(seed: u32) -> Self {
        XorShift32(if seed == 0 { 1 } else { seed })
    }

    pub fn next_u32(&mut self) -> u32 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        self.0 = x;
        x
    }

    /// Returns a number in `0..bound`; `bound` must not be zero.
    pub fn below(&mut self, bound: usize) -> usize {
        self.next_u32() as usize % bound
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const LEAVES: &[&str] = &[
    "0",
    "1",
    "2",
    "3.5",
    "10",
    "0.1",
    "'a'",
    "''",
    "'3'",
    "'2026-08-07'",
    "'ñandú'",
    "'a b'",
    "${a}",
    "${b}",
    "${c}",
    "${s}",
    "${m}",
    "${d}",
    "${r}",
    ".",
];

const BINARY_OPERATORS: &[&str] = &[
    "+", "-", "*", "div", "mod", "=", "!=", "<", "<=", ">", ">=", "and", "or",
];

/// Functions and their argument kinds: `e` any expression, `r` the repeat
/// reference, `f` a date pattern, `i` a small integer.
const FUNCTIONS: &[(&str, &str)] = &[
    ("if", "eee"),
    ("concat", "ee"),
    ("coalesce", "ee"),
    ("string-length", "e"),
    ("substr", "eee"),
    ("substr", "ee"),
    ("contains", "ee"),
    ("starts-with", "ee"),
    ("round", "ee"),
    ("round", "e"),
    ("int", "e"),
    ("number", "e"),
    ("string", "e"),
    ("not", "e"),
    ("boolean", "e"),
    ("selected", "ee"),
    ("count-selected", "e"),
    ("sum", "r"),
    ("count", "r"),
    ("date", "e"),
    ("decimal-date-time", "e"),
    ("format-date", "ef"),
    ("today", ""),
    ("floor", "e"),
    ("abs", "e"),
    ("min", "ee"),
    ("max", "ee"),
    ("pow", "ei"),
    ("normalize-space", "e"),
    ("translate", "eee"),
];

const DATE_PATTERNS: &[&str] = &["'%Y-%m-%d'", "'%e/%n/%y %H:%M'", "'%a %d %b'"];
const SMALL_INTEGERS: &[&str] = &["0", "2", "3", "-1"];

/// Generates one expression of at most `depth` levels.
pub fn expression(rng: &mut XorShift32, depth: u32) -> String {
    if depth == 0 || rng.below(4) == 0 {
        return rng.pick(LEAVES).to_string();
    }
    match rng.below(4) {
        0 => {
            let left = expression(rng, depth - 1);
            let op = rng.pick(BINARY_OPERATORS);
            let right = expression(rng, depth - 1);
            if rng.below(2) == 0 {
                format!("({left} {op} {right})")
            } else {
                format!("{left} {op} {right}")
            }
        }
        1 => format!("-{}", expression(rng, depth - 1)),
        _ => {
            let (name, kinds) = FUNCTIONS[rng.below(FUNCTIONS.len())];
            let mut args = Vec::new();
            for kind in kinds.chars() {
                let arg = match kind {
                    'r' => "${r}".to_string(),
                    'f' => rng.pick(DATE_PATTERNS).to_string(),
                    'i' => rng.pick(SMALL_INTEGERS).to_string(),
                    _ => expression(rng, depth - 1),
                };
                args.push(arg);
            }
            format!("{name}({})", args.join(", "))
        }
    }
}

/// Generates `count` expressions from `seed`.
pub fn expressions(seed: u32, count: usize) -> Vec<String> {
    let mut rng = XorShift32::new(seed);
    (0..count)
        .map(|_| expression(&mut rng, MAX_DEPTH))
        .collect()
}
