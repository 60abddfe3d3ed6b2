// Text for account data: amounts, addresses and how an import file was read.

import type { MessageKey } from '../../shared/i18n';
import type { AccountSummary, ImportFormat } from '../../shared/types';

type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** Placeholder for a value the account does not have. */
export const MISSING = '—';

/**
 * Formats an amount in cents as currency, Mexican style ("$12,345.50").
 * A currency code that `Intl` rejects is shown after the plain number.
 */
export function formatCents(cents: number | null, currency: string): string {
  if (cents === null) {
    return MISSING;
  }
  const amount = cents / 100;
  try {
    return new Intl.NumberFormat('es-MX', { style: 'currency', currency }).format(amount);
  } catch {
    const number = new Intl.NumberFormat('es-MX', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    return `${number.format(amount)} ${currency}`;
  }
}

/**
 * Builds the address line from the address text, adding the municipality,
 * state and postal code that the text does not already contain. When the
 * file has no full-address column, the server composes the text from the
 * parts, so adding them blindly would repeat them.
 */
export function formatAddress(account: AccountSummary): string {
  const text = isPresent(account.address_text) ? account.address_text.trim() : '';
  const known = text.toLocaleLowerCase('es-MX');
  const missing = (part: string | null): part is string =>
    isPresent(part) && !known.includes(part.trim().toLocaleLowerCase('es-MX'));

  const place = [account.municipality, account.state].filter(missing).join(', ');
  const postalCode = missing(account.postal_code) ? `C.P. ${account.postal_code}` : null;
  const parts = [text, place, postalCode].filter(isPresent);
  return parts.length === 0 ? MISSING : parts.join(' · ');
}

function isPresent(value: string | null): value is string {
  return value !== null && value.trim() !== '';
}

const DELIMITER_KEYS: Record<string, MessageKey> = {
  ';': 'import.delimiter.semicolon',
  ',': 'import.delimiter.comma',
  '\t': 'import.delimiter.tab',
  '|': 'import.delimiter.pipe',
};

/** Describes how the server read the file: encoding and separator for CSV, the sheet for XLSX. */
export function describeFormat(format: ImportFormat, t: Translate): string {
  const notDetected = t('import.notDetected');
  if (format.kind === 'xlsx') {
    return t('import.formatXlsx', { sheet: format.sheet ?? notDetected });
  }
  let delimiter = notDetected;
  if (format.delimiter !== null) {
    const key = DELIMITER_KEYS[format.delimiter];
    delimiter = key === undefined ? `«${format.delimiter}»` : t(key);
  }
  return t('import.formatCsv', { encoding: format.encoding ?? notDetected, delimiter });
}
