import { describe, expect, it } from 'vitest';
import { applyTemplate, foldHeader, type ImportTemplate } from './templates';

const saved: ImportTemplate = {
  id: 't1',
  name: 'Formato Bajío',
  columns: [
    { header: 'No. de crédito', field: 'lender_account_id' },
    { header: 'Nombre', field: 'debtor_name' },
    { header: 'Sucursal', field: null },
    { header: 'CP', field: 'postal_code' },
  ],
};

describe('applyTemplate', () => {
  it('matches headers in any order, case and accents', () => {
    const headers = ['cp', 'NO. DE CREDITO', 'Sucursal', 'nombre'];
    const suggested = [null, null, 'colonia', null] as const;
    const applied = applyTemplate(headers, [...suggested], saved);
    expect(applied.mapping).toEqual(['postal_code', 'lender_account_id', null, 'debtor_name']);
    expect(applied.unknownHeaders).toEqual([]);
  });

  it('keeps the suggestion for new columns unless the template uses that field', () => {
    const headers = ['No. de crédito', 'Nombre', 'Colonia', 'Código postal'];
    const applied = applyTemplate(headers, ['lender_account_id', 'debtor_name', 'colonia', 'postal_code'], saved);
    expect(applied.mapping).toEqual(['lender_account_id', 'debtor_name', 'colonia', 'postal_code']);
    expect(applied.unknownHeaders).toEqual(['Colonia', 'Código postal']);

    const clash = applyTemplate(['Crédito', 'No. de crédito'], ['lender_account_id', null], saved);
    expect(clash.mapping).toEqual([null, 'lender_account_id']);
  });

  it('applies old templates by position', () => {
    const old: ImportTemplate = {
      id: 't0',
      name: 'Anterior',
      columns: [
        { header: null, field: 'debtor_name' },
        { header: null, field: 'lender_account_id' },
      ],
    };
    expect(applyTemplate(['a', 'b'], [null, null], old).mapping).toEqual(['debtor_name', 'lender_account_id']);
    const wider = applyTemplate(['a', 'b', 'c'], ['colonia', null, null], old);
    expect(wider.mapping).toEqual(['colonia', null, null]);
    expect(wider.unknownHeaders).toEqual(['a', 'b', 'c']);
  });

  it('folds headers', () => {
    expect(foldHeader('  Núm.   Ext. ')).toBe('num. ext.');
  });
});
