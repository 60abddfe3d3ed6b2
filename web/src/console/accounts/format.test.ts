import { describe, expect, it } from 'vitest';
import { translate } from '../../shared/i18n';
import type { AccountSummary } from '../../shared/types';
import { MISSING, describeFormat, formatAddress, formatCents } from './format';

const t = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) =>
  translate('es', key, params);

const ACCOUNT: AccountSummary = {
  id: 1,
  lender_account_id: 'B-100',
  debtor_name: 'María López',
  lender_name: 'Financiera del Bajío',
  portfolio_name: 'Noviembre 2026',
  overdue_cents: 1234550,
  days_past_due: 45,
  currency: 'MXN',
  address_text: 'Av. Juárez 12',
  postal_code: '01000',
  municipality: 'Álvaro Obregón',
  state: 'Ciudad de México',
  time_zone: 'America/Mexico_City',
  needs_pin: true,
};

describe('formatCents', () => {
  it('formats pesos from cents', () => {
    expect(formatCents(1234550, 'MXN')).toBe('$12,345.50');
  });

  it('keeps cents of small amounts', () => {
    expect(formatCents(5, 'MXN')).toBe('$0.05');
  });

  it('names other currencies', () => {
    expect(formatCents(100000, 'USD')).toContain('1,000.00');
    expect(formatCents(100000, 'USD')).toContain('USD');
  });

  it('shows placeholder for missing amount', () => {
    expect(formatCents(null, 'MXN')).toBe(MISSING);
  });

  it('survives an invalid currency code', () => {
    expect(formatCents(150, 'pesos')).toBe('1.50 pesos');
  });
});

describe('formatAddress', () => {
  it('joins text, place and postal code', () => {
    expect(formatAddress(ACCOUNT)).toBe('Av. Juárez 12 · Álvaro Obregón, Ciudad de México · C.P. 01000');
  });

  it('skips parts already in the text', () => {
    const composed = 'Av. Juárez 12, Col. Centro, C.P. 01000, Álvaro Obregón, Ciudad de México';
    expect(formatAddress({ ...ACCOUNT, address_text: composed })).toBe(composed);
  });

  it('adds only the parts the text lacks', () => {
    expect(formatAddress({ ...ACCOUNT, address_text: 'Calle 5, Álvaro Obregón' })).toBe(
      'Calle 5, Álvaro Obregón · Ciudad de México · C.P. 01000',
    );
  });

  it('skips missing parts', () => {
    expect(formatAddress({ ...ACCOUNT, address_text: null, municipality: '', postal_code: null })).toBe(
      'Ciudad de México',
    );
  });

  it('shows placeholder without any part', () => {
    expect(
      formatAddress({ ...ACCOUNT, address_text: null, municipality: null, state: null, postal_code: null }),
    ).toBe(MISSING);
  });
});

describe('describeFormat', () => {
  it('names CSV encoding and separator', () => {
    expect(describeFormat({ kind: 'csv', encoding: 'windows-1252', delimiter: ';', sheet: null }, t)).toBe(
      'Formato CSV, codificación windows-1252, separador punto y coma (;).',
    );
  });

  it('quotes an unusual separator', () => {
    expect(describeFormat({ kind: 'csv', encoding: null, delimiter: '~', sheet: null }, t)).toBe(
      'Formato CSV, codificación sin detectar, separador «~».',
    );
  });

  it('names the XLSX sheet', () => {
    expect(describeFormat({ kind: 'xlsx', encoding: null, delimiter: null, sheet: 'Cartera' }, t)).toBe(
      'Libro de Excel, hoja «Cartera».',
    );
  });
});
