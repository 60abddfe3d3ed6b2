// Folding of free text (state and municipality names) into a lookup key. Mirrors
// crates/ronda-domain/src/portfolio/text.rs character for character.

const ACCENTS: Record<string, string> = {
  á: 'a', à: 'a', ä: 'a', â: 'a',
  é: 'e', è: 'e', ë: 'e', ê: 'e',
  í: 'i', ì: 'i', ï: 'i', î: 'i',
  ó: 'o', ò: 'o', ö: 'o', ô: 'o',
  ú: 'u', ù: 'u', ü: 'u', û: 'u',
  ñ: 'n',
};

const ALPHANUMERIC = /^[\p{Alphabetic}\p{Nd}\p{Nl}\p{No}]$/u;

/**
 * Folds text into a lookup key: lower case, Spanish accents removed, periods dropped, other
 * punctuation turned into spaces, and runs of whitespace collapsed to one space.
 * "Edo. Méx." becomes "edo mex" and "D.F." becomes "df".
 */
export function fold(text: string): string {
  let folded = '';
  let pendingSpace = false;
  for (const upper of text) {
    for (const lower of upper.toLowerCase()) {
      const c = ACCENTS[lower] ?? lower;
      if (c === '.') continue;
      if (ALPHANUMERIC.test(c)) {
        if (pendingSpace && folded !== '') folded += ' ';
        pendingSpace = false;
        folded += c;
      } else {
        pendingSpace = true;
      }
    }
  }
  return folded;
}
