// Forms that create a lender and a portfolio. A field the server rejects is
// marked invalid and receives focus, as in the users form.

import { useRef, useState } from 'preact/hooks';
import { ApiError, type ApiClient } from '../../shared/api';
import { describeError } from '../../shared/errors';
import type { Lender, Portfolio } from '../../shared/types';
import { useI18n } from '../../shared/ui/i18n-context';

interface LenderFormValues {
  name: string;
  redeco_registration: string;
  complaint_unit_contact: string;
  collection_phones: string;
  payment_references: string;
}

type LenderField = keyof LenderFormValues;

const EMPTY_LENDER: LenderFormValues = {
  name: '',
  redeco_registration: '',
  complaint_unit_contact: '',
  collection_phones: '',
  payment_references: '',
};

/** Splits a textarea into its non-empty lines. */
export function splitLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

function optionalText(text: string): string | null {
  const trimmed = text.trim();
  return trimmed === '' ? null : trimmed;
}

/** Form state shared by both forms: pending flag, error text and the field the server named. */
function useServerErrors<Field extends string>(fields: readonly Field[]) {
  const { t } = useI18n();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [invalidField, setInvalidField] = useState<Field | null>(null);
  const formRef = useRef<HTMLFormElement>(null);

  const focusField = (field: Field) => {
    formRef.current?.querySelector<HTMLElement>(`[name="${field}"]`)?.focus();
  };

  const fail = (failure: unknown) => {
    setError(describeError(failure, t));
    const field = failure instanceof ApiError ? failure.field : null;
    const known = fields.find((candidate) => candidate === field) ?? null;
    setInvalidField(known);
    if (known !== null) {
      focusField(known);
    }
  };

  const reset = () => {
    setError(null);
    setInvalidField(null);
  };

  return { pending, setPending, error, setError, invalidField, setInvalidField, formRef, focusField, fail, reset };
}

function valuesOf(lender: Lender): LenderFormValues {
  return {
    name: lender.name,
    redeco_registration: lender.redeco_registration ?? '',
    complaint_unit_contact: lender.complaint_unit_contact ?? '',
    collection_phones: lender.collection_phones.join('\n'),
    payment_references: lender.payment_references.join('\n'),
  };
}

/** Creates a lender, or edits `editing` when given. */
export function CreateLenderForm(props: {
  api: ApiClient;
  onCreated: (lender: Lender) => void;
  editing?: Lender;
  onCancel?: () => void;
}) {
  const { t } = useI18n();
  const editing = props.editing ?? null;
  const prefix = editing === null ? 'new-lender' : 'edit-lender';
  const [form, setForm] = useState<LenderFormValues>(editing === null ? EMPTY_LENDER : valuesOf(editing));
  const errors = useServerErrors<LenderField>(Object.keys(EMPTY_LENDER) as LenderField[]);

  const update = (field: LenderField, value: string) => setForm((previous) => ({ ...previous, [field]: value }));

  const onSubmit = async (event: Event) => {
    event.preventDefault();
    if (errors.pending) {
      return;
    }
    errors.setPending(true);
    errors.reset();
    try {
      const body = {
        name: form.name.trim(),
        redeco_registration: optionalText(form.redeco_registration),
        complaint_unit_contact: optionalText(form.complaint_unit_contact),
        collection_phones: splitLines(form.collection_phones),
        payment_references: splitLines(form.payment_references),
      };
      const lender =
        editing === null
          ? await props.api.createLender(body)
          : await props.api.request<Lender>('PUT', `/api/lenders/${encodeURIComponent(String(editing.id))}`, body);
      if (editing === null) setForm(EMPTY_LENDER);
      props.onCreated(lender);
      errors.focusField('name');
    } catch (failure) {
      errors.fail(failure);
    } finally {
      errors.setPending(false);
    }
  };

  let submitLabel = t('lenders.save');
  if (errors.pending) submitLabel = t('lenders.creating');
  else if (editing === null) submitLabel = t('lenders.create');

  const fieldProps = (field: LenderField, hint: boolean) => {
    const describedBy = [errors.invalidField === field ? `${prefix}-error` : null, hint ? `${prefix}-${field}-hint` : null]
      .filter((id) => id !== null)
      .join(' ');
    return {
      id: `${prefix}-${field}`,
      name: field,
      value: form[field],
      'aria-invalid': errors.invalidField === field,
      'aria-describedby': describedBy === '' ? undefined : describedBy,
      onInput: (event: Event) => update(field, (event.currentTarget as HTMLInputElement).value),
    };
  };

  return (
    <section aria-labelledby={`${prefix}-title`} class="card">
      <h3 id={`${prefix}-title`}>{editing === null ? t('lenders.createTitle') : t('lenders.editTitle', { name: editing.name })}</h3>
      <form ref={errors.formRef} onSubmit={onSubmit}>
        <div class="form-field">
          <label for={`${prefix}-name`}>{t('lenders.name')}</label>
          <input {...fieldProps('name', false)} type="text" autocomplete="off" required />
        </div>
        <div class="form-field">
          <label for={`${prefix}-redeco_registration`}>{t('lenders.redeco')}</label>
          <input {...fieldProps('redeco_registration', false)} type="text" autocomplete="off" />
        </div>
        <div class="form-field">
          <label for={`${prefix}-complaint_unit_contact`}>{t('lenders.complaintContact')}</label>
          <input {...fieldProps('complaint_unit_contact', true)} type="text" autocomplete="off" />
          <p id={`${prefix}-complaint_unit_contact-hint`} class="hint">
            {t('lenders.complaintHint')}
          </p>
        </div>
        <div class="form-field">
          <label for={`${prefix}-collection_phones`}>{t('lenders.phones')}</label>
          <textarea {...fieldProps('collection_phones', true)} rows={2} />
          <p id={`${prefix}-collection_phones-hint`} class="hint">
            {t('lenders.phonesHint')}
          </p>
        </div>
        <div class="form-field">
          <label for={`${prefix}-payment_references`}>{t('lenders.references')}</label>
          <textarea {...fieldProps('payment_references', true)} rows={2} />
          <p id={`${prefix}-payment_references-hint`} class="hint">
            {t('lenders.referencesHint')}
          </p>
        </div>
        <div role="alert" id={`${prefix}-error`} class={errors.error ? 'form-error' : 'form-error form-error--empty'}>
          {errors.error}
        </div>
        <button type="submit" class="button button--primary" disabled={errors.pending}>
          {submitLabel}
        </button>
        {props.onCancel !== undefined ? (
          <button type="button" class="button" onClick={props.onCancel}>
            {t('lenders.cancelEdit')}
          </button>
        ) : null}
      </form>
    </section>
  );
}

type PortfolioField = 'lender_id' | 'name';

export function CreatePortfolioForm(props: {
  api: ApiClient;
  lenders: Lender[];
  onCreated: (portfolio: Portfolio) => void;
}) {
  const { t } = useI18n();
  const [lenderId, setLenderId] = useState('');
  const [name, setName] = useState('');
  const errors = useServerErrors<PortfolioField>(['lender_id', 'name']);

  // With a single lender there is nothing to choose.
  const onlyLender = props.lenders.length === 1 ? props.lenders[0]! : null;
  const selectedLenderId = onlyLender !== null && lenderId === '' ? String(onlyLender.id) : lenderId;

  const onSubmit = async (event: Event) => {
    event.preventDefault();
    if (errors.pending) {
      return;
    }
    errors.reset();
    const lender = props.lenders.find((candidate) => String(candidate.id) === selectedLenderId);
    if (lender === undefined) {
      errors.setError(t('portfolios.lenderRequired'));
      errors.setInvalidField('lender_id');
      errors.focusField('lender_id');
      return;
    }
    errors.setPending(true);
    try {
      const portfolio = await props.api.createPortfolio({ lender_id: lender.id, name: name.trim() });
      setName('');
      props.onCreated(portfolio);
      errors.focusField('name');
    } catch (failure) {
      errors.fail(failure);
    } finally {
      errors.setPending(false);
    }
  };

  const invalidProps = (field: PortfolioField, hintId: string | null) => {
    const describedBy = [errors.invalidField === field ? 'new-portfolio-error' : null, hintId]
      .filter((id) => id !== null)
      .join(' ');
    return {
      name: field,
      'aria-invalid': errors.invalidField === field,
      'aria-describedby': describedBy === '' ? undefined : describedBy,
    };
  };

  return (
    <section aria-labelledby="new-portfolio-title" class="card">
      <h3 id="new-portfolio-title">{t('portfolios.createTitle')}</h3>
      {props.lenders.length === 0 ? (
        <p class="hint">{t('portfolios.needsLender')}</p>
      ) : (
        <form ref={errors.formRef} onSubmit={onSubmit}>
          <div class="form-field">
            <label for="new-portfolio-lender">{t('portfolios.lender')}</label>
            <select
              {...invalidProps('lender_id', null)}
              id="new-portfolio-lender"
              value={selectedLenderId}
              onChange={(event) => setLenderId(event.currentTarget.value)}
            >
              {onlyLender === null ? <option value="">{t('portfolios.chooseLender')}</option> : null}
              {props.lenders.map((lender) => (
                <option key={String(lender.id)} value={String(lender.id)}>
                  {lender.name}
                </option>
              ))}
            </select>
          </div>
          <div class="form-field">
            <label for="new-portfolio-name">{t('portfolios.name')}</label>
            <input
              {...invalidProps('name', 'new-portfolio-name-hint')}
              id="new-portfolio-name"
              type="text"
              autocomplete="off"
              required
              value={name}
              onInput={(event) => setName(event.currentTarget.value)}
            />
            <p id="new-portfolio-name-hint" class="hint">
              {t('portfolios.nameHint')}
            </p>
          </div>
          <div
            role="alert"
            id="new-portfolio-error"
            class={errors.error ? 'form-error' : 'form-error form-error--empty'}
          >
            {errors.error}
          </div>
          <button type="submit" class="button button--primary" disabled={errors.pending}>
            {errors.pending ? t('lenders.creating') : t('portfolios.create')}
          </button>
        </form>
      )}
    </section>
  );
}
