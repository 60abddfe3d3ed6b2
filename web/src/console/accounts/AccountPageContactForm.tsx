// "Registrar contacto": records a contact made outside a field visit (a call,
// email, SMS or WhatsApp message). The server checks every rule again: the
// person-met gate for promises, the overdue balance, and dates from 2020 to now.

import { useEffect, useState } from 'preact/hooks';
import type { ApiClient } from '../../shared/api';
import { ApiError } from '../../shared/api';
import { describeError } from '../../shared/errors';
import { useI18n } from '../../shared/ui/i18n-context';
import { formatPesos, pickLabel } from '../visits/format';
import {
  type AccountPageData,
  CONTACT_CHANNELS,
  type ContactChannel,
  listResultCodes,
  PERSON_MET,
  type PersonMet,
  recordContactAttempt,
  type ResultCodeOption,
} from './AccountPageApi';

/** Formats `ms` for a `datetime-local` input in the browser's zone. */
export function localInputValue(ms: number): string {
  const date = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** Reads pesos such as "1,250.50" as cents, or `null` when it is not an amount. */
export function pesosToCents(text: string): number | null {
  const cleaned = text.replace(/[$,\s]/g, '');
  if (!/^\d+(\.\d{1,2})?$/.test(cleaned)) return null;
  return Math.round(Number(cleaned) * 100);
}

export function ContactForm(props: { api: ApiClient; account: AccountPageData; onRecorded: () => void }) {
  const { api, account } = props;
  const { t, language } = useI18n();
  const [codes, setCodes] = useState<ResultCodeOption[] | null>(null);
  const [codesFailed, setCodesFailed] = useState<string | null>(null);
  const [channel, setChannel] = useState<ContactChannel>('phone');
  const [occurredAt, setOccurredAt] = useState(() => localInputValue(Date.now()));
  const [resultCode, setResultCode] = useState('');
  const [personId, setPersonId] = useState(account.persons[0]?.id ?? '');
  const [personMet, setPersonMet] = useState<PersonMet | ''>('');
  const [amount, setAmount] = useState('');
  const [promiseDate, setPromiseDate] = useState('');
  const [note, setNote] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<{ field: string | null; message: string } | null>(null);
  const [done, setDone] = useState(false);

  useEffect(() => {
    listResultCodes(api).then(
      (list) => setCodes(list),
      (failure: unknown) => setCodesFailed(describeError(failure, t)),
    );
  }, [api]);

  const submit = (event: Event) => {
    event.preventDefault();
    setDone(false);
    const at = new Date(occurredAt).getTime();
    if (!Number.isFinite(at)) {
      setError({ field: 'occurred_at', message: t('account.contact.badDate') });
      return;
    }
    if (resultCode === '') {
      setError({ field: 'result_code', message: t('account.contact.pickResult') });
      return;
    }
    let cents: number | null = null;
    if (amount.trim() !== '') {
      cents = pesosToCents(amount);
      if (cents === null) {
        setError({ field: 'promise_amount_cents', message: t('account.contact.badAmount') });
        return;
      }
    }
    setPending(true);
    setError(null);
    recordContactAttempt(api, account.account.id, {
      channel,
      occurred_at: at,
      result_code: resultCode,
      person_id: personId === '' ? null : personId,
      person_met: personMet === '' ? null : personMet,
      promise_amount_cents: cents,
      promise_date: promiseDate === '' ? null : promiseDate,
      note: note.trim() === '' ? null : note.trim(),
    }).then(
      () => {
        setPending(false);
        setDone(true);
        setAmount('');
        setPromiseDate('');
        setNote('');
        props.onRecorded();
      },
      (failure: unknown) => {
        setPending(false);
        const field = failure instanceof ApiError ? failure.field : null;
        setError({ field, message: describeError(failure, t) });
      },
    );
  };

  const invalid = (field: string) => (error?.field === field ? true : undefined);
  const overdue = account.account.overdue_cents;
  return (
    <section class="account__section" aria-labelledby="account-contact-title">
      <h3 id="account-contact-title">{t('account.contact.title')}</h3>
      <p>{t('account.contact.help')}</p>
      {codesFailed !== null ? (
        <p role="alert" class="form-error">
          {t('account.contact.codesFailed')} {codesFailed}
        </p>
      ) : null}
      <form class="account__contact-form" onSubmit={submit}>
        <label>
          {t('account.contact.channel')}
          <select value={channel} onChange={(e) => setChannel(e.currentTarget.value as ContactChannel)}>
            {CONTACT_CHANNELS.map((option) => (
              <option key={option} value={option}>
                {t(`account.channel.${option}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('account.contact.occurredAt')}
          <input
            type="datetime-local"
            required
            value={occurredAt}
            aria-invalid={invalid('occurred_at')}
            onInput={(e) => setOccurredAt(e.currentTarget.value)}
          />
        </label>
        <label>
          {t('account.contact.person')}
          <select value={personId} aria-invalid={invalid('person_id')} onChange={(e) => setPersonId(e.currentTarget.value)}>
            <option value="">{t('account.contact.noPerson')}</option>
            {account.persons.map((person) => (
              <option key={person.id} value={person.id}>
                {person.name} ({t(`account.role.${person.role}`)})
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('account.contact.personMet')}
          <select
            value={personMet}
            aria-invalid={invalid('person_met')}
            onChange={(e) => setPersonMet(e.currentTarget.value as PersonMet | '')}
          >
            <option value="">{t('account.contact.personMetFromPerson')}</option>
            {PERSON_MET.map((option) => (
              <option key={option} value={option}>
                {t(`account.personMet.${option}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('account.contact.result')}
          <select
            value={resultCode}
            required
            aria-invalid={invalid('result_code')}
            onChange={(e) => setResultCode(e.currentTarget.value)}
          >
            <option value="">{codes === null ? t('common.loading') : t('account.contact.pickResult')}</option>
            {(codes ?? []).map((code) => (
              <option key={code.code} value={code.code}>
                {pickLabel(code.label_es, code.label_en, language) ?? code.code}
              </option>
            ))}
          </select>
        </label>
        <fieldset>
          <legend>{t('account.contact.promise')}</legend>
          <label>
            {t('account.contact.amount')}
            <input
              type="text"
              inputMode="decimal"
              value={amount}
              aria-invalid={invalid('promise_amount_cents')}
              onInput={(e) => setAmount(e.currentTarget.value)}
            />
          </label>
          {overdue !== null ? (
            <p class="hint">{t('account.contact.amountMax', { amount: formatPesos(overdue, language) })}</p>
          ) : null}
          <label>
            {t('account.contact.promiseDate')}
            <input
              type="date"
              value={promiseDate}
              aria-invalid={invalid('promise_date')}
              onInput={(e) => setPromiseDate(e.currentTarget.value)}
            />
          </label>
        </fieldset>
        <label>
          {t('account.contact.note')}
          <textarea value={note} maxLength={1000} rows={2} onInput={(e) => setNote(e.currentTarget.value)} />
        </label>
        {error !== null ? (
          <p role="alert" class="form-error">
            {error.message}
          </p>
        ) : null}
        {done ? <p role="status">{t('account.contact.saved')}</p> : null}
        <button type="submit" class="button button--primary" disabled={pending}>
          {pending ? t('account.contact.saving') : t('account.contact.submit')}
        </button>
      </form>
    </section>
  );
}
