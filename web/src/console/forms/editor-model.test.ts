import { describe, expect, it } from 'vitest';
import type { FormDefinition } from '../../shared/forms/model';
import { checkEditor } from './editor-check';
import { addChoice, addRow, deleteRow, fromDefinition, moveRow, newForm, nextVersion, toDefinition, updateChoice, updateRow, type EditorState } from './editor-model';

const DEFINITION: FormDefinition = {
  form_id: 'visita',
  version: '3',
  title: { es: 'Visita', en: 'Visit' },
  default_language: 'es',
  languages: ['es', 'en'],
  questions: [
    { type: 'select_one', name: 'result_code', label: { es: 'Resultado', en: 'Result' }, list_name: 'results', required: 'true()' },
    {
      type: 'repeat',
      name: 'references',
      repeat_count: '2',
      children: [
        { type: 'text', name: 'ref_name', hint: { es: 'Nombre completo' } },
        { type: 'integer', name: 'age', constraint: '. >= 18', constraint_message: { es: 'Mayor de edad', en: 'Adult' } },
      ],
    },
    { type: 'group', name: 'promise', relevant: "${result_code} = 'PP'", children: [{ type: 'decimal', name: 'amount', default: '0' }] },
  ],
  choices: {
    results: [
      { name: 'PP', label: { es: 'Promesa de pago' }, extra: { person: 'debtor' } },
      { name: 'NC', label: { es: 'No contactado' } },
    ],
  },
};

function rowByName(state: EditorState, name: string) {
  const row = state.rows.find((r) => r.name === name);
  if (row === undefined) throw new Error(`no row ${name}`);
  return row;
}

describe('editor model', () => {
  it('round-trips a definition through rows', () => {
    const state = fromDefinition(DEFINITION);
    expect(state.rows.map((row) => row.type)).toEqual(['select_one', 'repeat', 'text', 'integer', 'end_repeat', 'group', 'decimal', 'end_group']);
    const { definition, problems } = toDefinition(state);
    expect(problems).toEqual([]);
    expect(definition).toEqual({ ...DEFINITION, version: '4' });
  });

  it('suggests the next version', () => {
    expect(nextVersion('3')).toBe('4');
    expect(nextVersion('2026-01')).toBe('2026-01.1');
    expect(nextVersion(' ')).toBe('1');
  });

  it('adds a group with its end row and moves rows', () => {
    let state = addRow(newForm(), -1, 'text');
    state = updateRow(state, state.rows[0]!.id, { name: 'first' });
    state = addRow(state, 0, 'group');
    expect(state.rows.map((row) => row.type)).toEqual(['text', 'group', 'end_group']);
    const first = state.rows[0]!.id;
    state = moveRow(state, first, 1);
    expect(state.rows.map((row) => row.type)).toEqual(['group', 'text', 'end_group']);
    expect(moveRow(state, state.rows[0]!.id, -1)).toEqual(state);
    const { definition } = toDefinition(state);
    expect(definition.questions).toEqual([{ type: 'group', name: '', children: [{ type: 'text', name: 'first' }] }]);
    state = deleteRow(state, first);
    expect(state.rows.map((row) => row.type)).toEqual(['group', 'end_group']);
  });

  it('keeps choice columns from the extra text', () => {
    let state = addChoice(newForm(), 'people');
    state = updateChoice(state, state.choices[0]!.id, { name: 'debtor', label_es: 'Titular', extra: 'person = titular; zone=norte' });
    expect(toDefinition(state).definition.choices).toEqual({
      people: [{ name: 'debtor', label: { es: 'Titular' }, extra: { person: 'titular', zone: 'norte' } }],
    });
  });
});

describe('editor checks', () => {
  it('passes a clean definition', () => {
    expect(checkEditor(fromDefinition(DEFINITION))).toEqual([]);
  });

  it('reports an unknown reference on its row', () => {
    const state = fromDefinition(DEFINITION);
    const promise = rowByName(state, 'promise');
    const problems = checkEditor(updateRow(state, promise.id, { relevant: '${result} = "PP"' }));
    expect(problems).toEqual([{ rowId: promise.id, column: 'relevant', code: 'unknown_reference', detail: 'result' }]);
  });

  it('reports a syntax error with its column', () => {
    const state = fromDefinition(DEFINITION);
    const age = rowByName(state, 'age');
    const [problem] = checkEditor(updateRow(state, age.id, { constraint: '. >= ' }));
    expect(problem?.rowId).toBe(age.id);
    expect(problem?.code).toBe('syntax_error');
    expect(problem?.detail).toMatch(/at column \d+$/);
  });

  it('reports duplicate names and missing lists', () => {
    const state = fromDefinition(DEFINITION);
    const amount = rowByName(state, 'amount');
    const result = rowByName(state, 'result_code');
    const problems = checkEditor(updateRow(updateRow(state, amount.id, { name: 'age' }), result.id, { list_name: 'outcomes' }));
    expect(problems).toContainEqual({ rowId: amount.id, column: 'name', code: 'duplicate_name', detail: 'age' });
    expect(problems).toContainEqual({ rowId: result.id, column: 'list_name', code: 'unknown_list', detail: 'outcomes' });
  });

  it('reports unpaired end rows and nested repeats', () => {
    const full = fromDefinition(DEFINITION);
    const endRepeat = full.rows.find((row) => row.type === 'end_repeat')!;
    const repeat = rowByName(full, 'references');
    expect(checkEditor(deleteRow(full, endRepeat.id))).toEqual([{ rowId: repeat.id, column: 'type', code: 'unclosed_group', detail: '' }]);
    expect(checkEditor(deleteRow(full, repeat.id))).toEqual([{ rowId: endRepeat.id, column: 'type', code: 'unmatched_end', detail: '' }]);
    let nested = addRow(fromDefinition(DEFINITION), 2, 'repeat');
    nested = updateRow(nested, nested.rows[3]!.id, { name: 'inner' });
    expect(checkEditor(nested)).toContainEqual({ rowId: nested.rows[3]!.id, column: 'type', code: 'nested_repeat', detail: 'inner' });
  });

  it('requires a form id and valid names', () => {
    let state = addRow(newForm(), -1, 'text');
    state = updateRow(state, state.rows[0]!.id, { name: '1st' });
    expect(checkEditor(state).map((p) => p.code)).toEqual(['missing_form_id', 'invalid_name']);
  });
});
