import { describe, expect, it } from 'vitest';
import { translate } from '../../shared/i18n';
import type { MessageKey } from '../../shared/i18n';
import { EMPTY_FILTERS, visitsQuery, type VisitDetail, type VisitForm } from './api';
import { answerChoiceText, answerRows, auditActionText, reasonText, timeline, visitHash, visitIdFromHash } from './format';

const es = (key: MessageKey, params?: Record<string, string | number>) => translate('es', key, params);

const FORM: VisitForm = {
  version_id: 'fv-1',
  form_id: 'visita_cobranza',
  version: '1',
  title_es: 'Visita de cobranza',
  title_en: 'Collection visit',
  questions: [
    {
      name: 'person_met',
      type: 'select_one',
      label_es: '¿Con quién habló?',
      label_en: 'Who did you speak with?',
      choices: [{ name: 'debtor', label_es: 'Titular', label_en: 'Debtor' }],
    },
    { name: 'notes', type: 'text', label_es: 'Notas', label_en: null, choices: [] },
    { name: 'facade', type: 'image', label_es: 'Foto de la fachada', label_en: 'Front photo', choices: [] },
    {
      name: 'contacts',
      type: 'select_multiple',
      label_es: 'Medios',
      label_en: 'Channels',
      choices: [
        { name: 'phone', label_es: 'Teléfono', label_en: 'Phone' },
        { name: 'visit', label_es: 'Visita', label_en: 'Visit' },
      ],
    },
    { name: 'skipped', type: 'text', label_es: 'Sin respuesta', label_en: null, choices: [] },
  ],
};

describe('visit hash', () => {
  it('reads the id of a visit route', () => {
    expect(visitIdFromHash('#/visits/0193a5f0-0000-7000-8000-000000000002')).toBe('0193a5f0-0000-7000-8000-000000000002');
    expect(visitIdFromHash(visitHash('v 1/2'))).toBe('v 1/2');
  });

  it('returns null for the list and other sections', () => {
    expect(visitIdFromHash('#/visits')).toBeNull();
    expect(visitIdFromHash('#/visits/')).toBeNull();
    expect(visitIdFromHash('#/today')).toBeNull();
    expect(visitIdFromHash('')).toBeNull();
  });
});

describe('visitsQuery', () => {
  it('leaves out empty filters and adds the page size', () => {
    const query = new URLSearchParams(visitsQuery({ ...EMPTY_FILTERS, verdict: 'doubtful', from: ' 2026-07-15 ' }));
    expect(query.get('verdict')).toBe('doubtful');
    expect(query.get('from')).toBe('2026-07-15');
    expect(query.has('agent_id')).toBe(false);
    expect(query.get('limit')).toBe('50');
    expect(query.has('cursor')).toBe(false);
  });

  it('passes the cursor of the next page', () => {
    const query = new URLSearchParams(visitsQuery(EMPTY_FILTERS, '1784138400000_abc'));
    expect(query.get('cursor')).toBe('1784138400000_abc');
  });
});

describe('answerChoiceText', () => {
  it('names a choice with its label and keeps unknown values', () => {
    expect(answerChoiceText(FORM, 'person_met', 'debtor', 'es')).toBe('Titular');
    expect(answerChoiceText(FORM, 'person_met', 'debtor', 'en')).toBe('Debtor');
    expect(answerChoiceText(FORM, 'person_met', 'neighbour', 'es')).toBe('neighbour');
    expect(answerChoiceText(FORM, 'promise_channel', 'transfer', 'es')).toBe('transfer');
  });
});

describe('answerRows without labels', () => {
  it('leaves out calculations the form has no label for', () => {
    const form: VisitForm = {
      ...FORM,
      questions: [
        { name: 'overdue_amount', type: 'calculate', label_es: null, label_en: null, choices: [] },
        { name: 'total', type: 'calculate', label_es: 'Total', label_en: null, choices: [] },
        { name: 'reference', type: 'text', label_es: null, label_en: null, choices: [] },
      ],
    };
    const rows = answerRows({ answers: { overdue_amount: 1500, total: 1900, reference: 'A-1' }, form }, 'es');
    expect(rows.map((row) => row.label)).toEqual(['Total', 'reference']);
  });
});

describe('answerRows', () => {
  const answers = {
    person_met: 'debtor',
    notes: 'Atendió el titular.',
    facade: 'ab'.repeat(32),
    contacts: 'phone visit',
    skipped: '',
    extra_field: 42,
  };

  it('labels each answer with its question in Spanish', () => {
    const rows = answerRows({ answers, form: FORM }, 'es');
    expect(rows.map((row) => row.label)).toEqual([
      '¿Con quién habló?',
      'Notas',
      'Foto de la fachada',
      'Medios',
      'extra_field',
    ]);
    expect(rows[0]!.value).toEqual({ kind: 'text', text: 'Titular' });
    expect(rows[2]!.value).toEqual({ kind: 'file', sha256: 'ab'.repeat(32) });
    expect(rows[3]!.value).toEqual({ kind: 'text', text: 'Teléfono, Visita' });
    expect(rows[4]!.value).toEqual({ kind: 'text', text: '42' });
  });

  it('uses English labels and falls back to Spanish', () => {
    const rows = answerRows({ answers, form: FORM }, 'en');
    expect(rows[0]!.label).toBe('Who did you speak with?');
    expect(rows[0]!.value).toEqual({ kind: 'text', text: 'Debtor' });
    expect(rows[1]!.label).toBe('Notas');
  });

  it('shows answers under their names when the form is unknown', () => {
    const rows = answerRows({ answers: { notes: 'x' }, form: { ...FORM, questions: [] } }, 'es');
    expect(rows).toEqual([{ name: 'notes', label: 'notes', value: { kind: 'text', text: 'x' } }]);
  });
});

describe('reasonText', () => {
  it('writes measured values into the Spanish sentence', () => {
    const text = reasonText({ code: 'too_far', severity: 'rejected', distance_m: 812.4, radius_m: 62 }, es);
    expect(text).toBe('La llegada se registró a 812 m del domicilio; el radio aceptado era de 62 m.');
  });

  it('names the declared exception', () => {
    const text = reasonText({ code: 'exception_declared', severity: 'doubtful', exception: 'pin_correction' }, es);
    expect(text).toContain('la ubicación del domicilio está mal');
  });

  it('falls back for an unknown code', () => {
    expect(reasonText({ code: 'new_rule', severity: 'info' }, es)).toBe('Hallazgo sin descripción: new_rule.');
  });
});

describe('auditActionText', () => {
  it('names known actions and keeps others', () => {
    expect(auditActionText('visit.pin_correction_approved', es)).toBe('Ubicación propuesta aprobada');
    expect(auditActionText('visit.other', es)).toBe('visit.other');
  });
});

describe('timeline', () => {
  it('orders device, server, event and decision times', () => {
    const detail = {
      started_at: 1000,
      finished_at: 5000,
      received_at: 6000,
      completed_at: 7000,
      check_in: { fix_time: 2000 },
      events: [{ id: 'e1', kind: 'visit.completed', occurred_at: 5000, created_at: 7000, dispatched_at: null }],
      pin_correction: {
        latitude: 1,
        longitude: 2,
        state: 'approved',
        note: null,
        decided_by_kind: 'user',
        decided_by_id: 'u1',
        decided_at: 9000,
      },
    } as unknown as VisitDetail;
    const entries = timeline(detail, es);
    expect(entries.map((entry) => entry.at)).toEqual([1000, 2000, 5000, 6000, 7000, 7000, 9000]);
    expect(entries[5]!.label).toBe('Evento: Visita terminada');
    expect(entries[6]!.label).toBe('Se aprobó la ubicación propuesta');
  });
});
