import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Answers, FormDefinition } from '../../shared/forms/model';
import { validateSubmission } from '../../shared/forms/validate';
import { addInstance, parseSlotKey, removeInstance, slotKey, withAnswerAt } from './instances';
import { evaluateForm, submittedAnswers } from './runtime';

const NOW = Date.UTC(2026, 7, 7, 18, 0, 0);

const FORM: FormDefinition = {
  form_id: 'hogar',
  version: '1',
  title: { es: 'Hogar' },
  default_language: 'es',
  languages: ['es', 'en'],
  questions: [
    { type: 'integer', name: 'phones_count' },
    {
      type: 'repeat',
      name: 'references',
      children: [
        { type: 'text', name: 'ref_name', required: 'true()' },
        { type: 'select_one', name: 'relation', list_name: 'relations' },
        {
          type: 'integer',
          name: 'age',
          constraint: ". >= 18 or ${relation} = 'child'",
          constraint_message: { es: 'Debe ser mayor de edad', en: 'Must be an adult' },
        },
        { type: 'text', name: 'school', relevant: "${relation} = 'child'", required: 'true()' },
        { type: 'calculate', name: 'ordinal', calculation: 'position(..)' },
        { type: 'text', name: 'city', default: 'Monterrey' },
      ],
    },
    { type: 'calculate', name: 'total_age', calculation: 'sum(${age})' },
    {
      type: 'repeat',
      name: 'phones',
      repeat_count: '${phones_count}',
      children: [{ type: 'text', name: 'phone', required: 'true()', constraint: 'string-length(.) = 10' }],
    },
  ],
  choices: {
    relations: [
      { name: 'adult', label: { es: 'Adulto' } },
      { name: 'child', label: { es: 'Menor' } },
    ],
  },
};

function stateOf(answers: Answers) {
  return evaluateForm(FORM, answers, NOW);
}

function slot(state: ReturnType<typeof stateOf>, key: string) {
  const found = state.questions.find((q) => q.key === key);
  if (found === undefined) throw new Error(`no slot ${key}`);
  return found;
}

const TWO_REFERENCES: Answers = {
  phones_count: 0,
  references: [
    { ref_name: 'Ana', relation: 'adult', age: 40 },
    { ref_name: 'Luis', relation: 'adult', age: 12 },
  ],
};

describe('form runtime with repeats', () => {
  it('lists one state per question per instance', () => {
    const state = stateOf(TWO_REFERENCES);
    const keys = state.questions.map((q) => q.key);
    expect(keys.slice(0, 8)).toEqual([
      'phones_count',
      'references',
      'references[0].ref_name',
      'references[0].relation',
      'references[0].age',
      'references[0].school',
      'references[0].ordinal',
      'references[0].city',
    ]);
    expect(keys).toContain('references[1].city');
    expect(slot(state, 'references').repeat).toEqual({ count: 2, fixed: false });
    expect(slot(state, 'references[1].age').instance).toEqual({ repeat: 'references', index: 1 });
  });

  it('fails a constraint in the second instance only', () => {
    const state = stateOf(TWO_REFERENCES);
    expect(slot(state, 'references[0].age').problem).toBeNull();
    expect(slot(state, 'references[1].age').problem).toEqual({
      code: 'constraint',
      message: { es: 'Debe ser mayor de edad', en: 'Must be an adult' },
    });
    expect(state.valid).toBe(false);
  });

  it('reads siblings of the same instance', () => {
    const child = withAnswerAt(TWO_REFERENCES, { repeat: 'references', index: 1, name: 'relation' }, 'child');
    const state = stateOf(child);
    expect(slot(state, 'references[1].age').problem).toBeNull();
    expect(slot(state, 'references[0].school').relevant).toBe(false);
    expect(slot(state, 'references[1].school').relevant).toBe(true);
    expect(slot(state, 'references[1].school').problem?.code).toBe('required');
  });

  it('computes position() and reads every instance from outside', () => {
    const state = stateOf(TWO_REFERENCES);
    expect(slot(state, 'references[0].ordinal').relevant).toBe(true);
    const instances = state.answers.references as Answers[];
    expect(instances[0]?.ordinal).toBe('1');
    expect(instances[1]?.ordinal).toBe('2');
    expect(state.answers.total_age).toBe('52');
  });

  it('creates the instances repeat_count asks for', () => {
    const three = stateOf({ phones_count: 3, references: [] });
    expect(slot(three, 'phones').repeat).toEqual({ count: 3, fixed: true });
    expect(three.questions.filter((q) => q.question.name === 'phone').map((q) => q.key)).toEqual([
      'phones[0].phone',
      'phones[1].phone',
      'phones[2].phone',
    ]);
    expect(slot(three, 'phones[2].phone').problem?.code).toBe('required');
    const one = stateOf({ phones_count: 1, phones: [{ phone: '8112345678' }, { phone: '8187654321' }] });
    expect(one.answers.phones).toEqual([{ phone: '8112345678' }]);
    expect(one.questions.some((q) => q.key === 'phones[1].phone')).toBe(false);
  });

  it('adds instances with defaults and removes them', () => {
    const added = addInstance(FORM, { references: [{ ref_name: 'Ana' }] }, 'references');
    expect(added.references).toEqual([{ ref_name: 'Ana' }, { city: 'Monterrey' }]);
    expect(removeInstance(added, 'references', 0).references).toEqual([{ city: 'Monterrey' }]);
  });

  it('hides a repeat and drops its instances', () => {
    const form: FormDefinition = {
      ...FORM,
      questions: FORM.questions.map((q) => (q.name === 'references' ? { ...q, relevant: '${phones_count} > 0' } : q)),
    };
    const state = evaluateForm(form, { ...TWO_REFERENCES, phones_count: 0 }, NOW);
    expect(state.questions.find((q) => q.key === 'references')?.relevant).toBe(false);
    expect(state.questions.some((q) => q.key === 'references[1].age')).toBe(false);
    expect(state.valid).toBe(true);
    expect((state.answers.references as Answers[]).length).toBe(2);
    const submitted = submittedAnswers(state);
    expect(submitted).toEqual({ phones_count: 0, total_age: '0', phones: [] });
    const result = validateSubmission(form, submitted, { now: '2026-08-07T12:00:00-06:00' });
    expect(result).toEqual({ ok: true, value: { answers: { phones_count: 0, total_age: '0', phones: [] }, dropped: [], recomputed: [] } });
  });

  it('parses and formats slot keys', () => {
    expect(parseSlotKey('references[3].age')).toEqual({ repeat: 'references', index: 3, name: 'age' });
    expect(parseSlotKey('phones_count')).toEqual({ name: 'phones_count' });
    expect(slotKey({ repeat: 'phones', index: 0, name: 'phone' })).toBe('phones[0].phone');
  });

  it('submits repeats the way the validator accepts', () => {
    const answers: Answers = {
      phones_count: 1,
      references: [
        { ref_name: 'Ana', relation: 'adult', age: 40, city: 'Monterrey' },
        { ref_name: 'Sofía', relation: 'child', age: 9, school: 'Primaria Juárez', city: 'Saltillo' },
      ],
      phones: [{ phone: '8112345678' }],
    };
    const state = stateOf(answers);
    expect(state.valid).toBe(true);
    const submitted = submittedAnswers(state);
    expect(submitted).toEqual({
      phones_count: 1,
      references: [
        { ref_name: 'Ana', relation: 'adult', age: 40, ordinal: '1', city: 'Monterrey' },
        { ref_name: 'Sofía', relation: 'child', age: 9, school: 'Primaria Juárez', ordinal: '2', city: 'Saltillo' },
      ],
      total_age: '49',
      phones: [{ phone: '8112345678' }],
    });
    const result = validateSubmission(FORM, submitted, { now: '2026-08-07T12:00:00-06:00' });
    expect(result).toMatchObject({ ok: true });
  });

  it('rejects a wrong phone in the validator too', () => {
    const state = stateOf({ phones_count: 2, references: [], phones: [{ phone: '8112345678' }, { phone: '123' }] });
    expect(slot(state, 'phones[0].phone').problem).toBeNull();
    expect(slot(state, 'phones[1].phone').problem?.code).toBe('constraint');
    const result = validateSubmission(FORM, submittedAnswers(state), { now: '2026-08-07T12:00:00-06:00' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((p) => `${p.path} ${p.code}`)).toEqual(['phones[1].phone constraint']);
  });
});

describe('repeat submission fixture shared with the server', () => {
  const fixture = JSON.parse(
    readFileSync(resolve(import.meta.dirname, '../../../../crates/ronda-forms/tests/data/pwa_repeat_submission.json'), 'utf8'),
  ) as { now: string; definition: FormDefinition; device_answers: Answers; submitted: Answers };

  it('builds the submitted answers from the draft', () => {
    const state = evaluateForm(fixture.definition, fixture.device_answers, Date.parse(fixture.now));
    expect(state.valid).toBe(true);
    expect(submittedAnswers(state)).toEqual(fixture.submitted);
  });
});
