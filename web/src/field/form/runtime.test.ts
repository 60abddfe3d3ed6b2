import { describe, expect, it } from 'vitest';
import type { FormDefinition } from '../../shared/forms/model';
import { fitWithin } from './image';
import { evaluateForm, submittedAnswers, withDefaults } from './runtime';

const NOW = Date.UTC(2026, 7, 7, 18, 0, 0);

const FORM: FormDefinition = {
  form_id: 'visita',
  version: '1',
  title: { es: 'Visita' },
  default_language: 'es',
  languages: ['es', 'en'],
  questions: [
    { type: 'select_one', name: 'person_met', list_name: 'people', required: 'true()' },
    { type: 'select_one', name: 'result_code', list_name: 'results', choice_filter: "person = ${person_met} or person = 'any'" },
    {
      type: 'group',
      name: 'promise',
      relevant: "${result_code} = 'PP'",
      children: [
        {
          type: 'decimal',
          name: 'promise_amount',
          required: 'true()',
          constraint: '. > 0 and . <= 100000',
          constraint_message: { es: 'Entre 1 y 100,000 pesos', en: 'Between 1 and 100,000 pesos' },
        },
        { type: 'date', name: 'promise_date', required: 'true()' },
      ],
    },
    { type: 'calculate', name: 'amount_cents', calculation: 'round(${promise_amount} * 100, 0)' },
    { type: 'select_multiple', name: 'channels', list_name: 'channels' },
    { type: 'text', name: 'notes', default: 'sin notas' },
  ],
  choices: {
    people: [
      { name: 'debtor', label: { es: 'Titular' } },
      { name: 'nobody', label: { es: 'Nadie' } },
    ],
    results: [
      { name: 'PP', label: { es: 'Promesa de pago' }, extra: { person: 'debtor' } },
      { name: 'NC', label: { es: 'No contactado' }, extra: { person: 'nobody' } },
      { name: 'OT', label: { es: 'Otro' }, extra: { person: 'any' } },
    ],
    channels: [
      { name: 'oxxo', label: { es: 'OXXO' } },
      { name: 'spei', label: { es: 'SPEI' } },
    ],
  },
};

function state(answers: Record<string, unknown>) {
  return evaluateForm(FORM, answers as never, NOW);
}

function question(s: ReturnType<typeof state>, name: string) {
  const found = s.questions.find((q) => q.question.name === name);
  if (found === undefined) throw new Error(`no question ${name}`);
  return found;
}

describe('form runtime', () => {
  it('shows the promise group only for a promise to pay', () => {
    expect(question(state({}), 'promise_amount').relevant).toBe(false);
    const promised = state({ person_met: 'debtor', result_code: 'PP' });
    expect(question(promised, 'promise').relevant).toBe(true);
    expect(question(promised, 'promise_amount').relevant).toBe(true);
    expect(question(promised, 'promise_amount').problem?.code).toBe('required');
  });

  it('reports required answers and passes once given', () => {
    const empty = state({});
    expect(empty.valid).toBe(false);
    expect(question(empty, 'person_met').problem?.code).toBe('required');
    expect(state({ person_met: 'nobody', result_code: 'NC' }).valid).toBe(true);
  });

  it('checks constraints against the current value', () => {
    const tooMuch = state({ person_met: 'debtor', result_code: 'PP', promise_amount: 250000, promise_date: '2026-08-10' });
    expect(question(tooMuch, 'promise_amount').problem).toEqual({
      code: 'constraint',
      message: { es: 'Entre 1 y 100,000 pesos', en: 'Between 1 and 100,000 pesos' },
    });
    const fine = state({ person_met: 'debtor', result_code: 'PP', promise_amount: 1500.5, promise_date: '2026-08-10' });
    expect(fine.valid).toBe(true);
    expect(fine.answers.amount_cents).toBe('150050');
  });

  it('filters choices by the answers', () => {
    const debtor = question(state({ person_met: 'debtor' }), 'result_code').choices.map((c) => c.name);
    expect(debtor).toEqual(['PP', 'OT']);
    const nobody = question(state({ person_met: 'nobody' }), 'result_code').choices.map((c) => c.name);
    expect(nobody).toEqual(['NC', 'OT']);
  });

  it('submits typed answers and drops those that do not show', () => {
    const s = state({ person_met: 'nobody', result_code: 'NC', promise_amount: 300, channels: ['oxxo', 'spei'], notes: '' });
    expect(submittedAnswers(s)).toEqual({
      person_met: 'nobody',
      result_code: 'NC',
      // round() of a blank answer is NaN in the expression language, as in ODK.
      amount_cents: 'NaN',
      channels: ['oxxo', 'spei'],
      notes: null,
    });
  });

  it('takes external values from the app before the calculation', () => {
    const form: FormDefinition = {
      ...FORM,
      questions: [
        { type: 'calculate', name: 'overdue_amount', appearance: 'external', calculation: "''" },
        { type: 'calculate', name: 'promise_max_days', appearance: 'external', calculation: '7' },
        { type: 'decimal', name: 'amount', constraint: '. <= ${overdue_amount}' },
      ],
    };
    const within = evaluateForm(form, { amount: 1200 }, NOW, { overdue_amount: 1500 });
    expect(within.answers.overdue_amount).toBe(1500);
    expect(within.answers.promise_max_days).toBe('7');
    expect(within.valid).toBe(true);
    const over = evaluateForm(form, { amount: 1600 }, NOW, { overdue_amount: 1500 });
    expect(over.questions.find((q) => q.question.name === 'amount')?.problem?.code).toBe('constraint');
  });

  it('applies defaults only to questions without an answer', () => {
    expect(withDefaults(FORM, {}).notes).toBe('sin notas');
    expect(withDefaults(FORM, { notes: 'atendió la hermana' }).notes).toBe('atendió la hermana');
  });
});

describe('photo size', () => {
  it('scales the longest side down to max pixels', () => {
    expect(fitWithin(4000, 3000, 1280)).toEqual({ width: 1280, height: 960 });
    expect(fitWithin(3000, 4000, 1024)).toEqual({ width: 768, height: 1024 });
    expect(fitWithin(800, 600, 1280)).toEqual({ width: 800, height: 600 });
  });
});
