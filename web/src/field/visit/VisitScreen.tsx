// One visit: check-in first, then the questionnaire, then the record goes to
// the outbox. The draft's id is in the URL, so a reload returns here with
// every answer.

import { useEffect, useState } from 'preact/hooks';
import type { CheckInBody, DayStop } from '../../shared/field-api';
import type { Answer, Answers, FormDefinition, FormVersion } from '../../shared/forms/model';
import { ApiError } from '../../shared/api';
import { describeError } from '../../shared/errors';
import type { MessageKey } from '../../shared/i18n';
import { useI18n } from '../../shared/ui/i18n-context';
import { FormView } from '../form/FormView';
import { go, parseRoute } from '../route';
import { useServices, useStored } from '../services';
import type { StoredDay } from '../storage/day';
import { sha256Hex } from '../storage/ids';
import { OutboxError } from '../storage/outbox';
import { addressLine, debtorName } from '../day/navigate';
import { AccountContacts } from './AccountContacts';
import { CheckIn, type PinPhoto } from './CheckIn';

/** Values the app fills in for questions with appearance "external", by question name. */
function externalValues(definition: FormDefinition, stop: DayStop): Record<string, Answer> {
  const account = stop.account;
  const known: Record<string, Answer> = {
    debtor_name: account.debtor_name,
    lender_name: account.lender_name,
    lender_account_id: account.lender_account_id,
    product: account.product,
    overdue_amount: account.overdue_cents === null ? null : account.overdue_cents / 100,
    days_past_due: account.days_past_due,
  };
  const out: Record<string, Answer> = {};
  const visit = (questions: FormDefinition['questions']) => {
    for (const question of questions) {
      if ((question.appearance ?? '').includes('external') && question.name in known) {
        out[question.name] = known[question.name] ?? null;
      }
      if (question.children) visit(question.children);
    }
  };
  visit(definition.questions);
  return out;
}

const EXCEPTION_KEYS: Record<string, MessageKey> = {
  pin_correction: 'field.checkin.markedPin',
  address_not_found: 'field.checkin.markedNotFound',
};

const OUTBOX_ERROR_KEYS: Record<OutboxError['code'], MessageKey> = {
  incomplete: 'field.visit.error.incomplete',
  not_found: 'field.visit.error.notFound',
  not_draft: 'field.visit.error.notDraft',
};

export function VisitScreen(props: { id: string; stored: StoredDay | null }) {
  const { t } = useI18n();
  const services = useServices();
  const record = useStored((s) => s.outbox.get(props.id), [props.id]);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // A visit opened by mistake and left without a check-in or an answer is
  // dropped on the way out, so it does not wait in "Pendientes".
  useEffect(() => {
    const id = props.id;
    return () => {
      const route = parseRoute(window.location.hash);
      if (route.screen === 'visit' && route.id === id) return;
      void services.outbox.discardIfUntouched(id).then((dropped) => {
        if (dropped) services.changes.notify();
      });
    };
  }, [props.id, services]);

  if (record === undefined) return <p role="status">{t('common.loading')}</p>;
  const day = props.stored?.day ?? null;
  const stop = day?.stops.find((s) => s.account.id === record.account_id) ?? null;
  const form = day?.forms.find((f) => f.id === record.form_version_id) as FormVersion | undefined;

  const back = (
    <button type="button" class="button button--block" onClick={() => go({ screen: 'day' })}>
      {t('field.backToDay')}
    </button>
  );

  if (record.state !== 'draft') {
    return (
      <>
        <h1>{record.label}</h1>
        <p role="status" class="day-status__ready">
          {record.state === 'acknowledged' ? t('field.visit.acknowledged') : t('field.visit.saved')}
        </p>
        {back}
      </>
    );
  }
  if (day === null || stop === null || form === undefined) {
    return (
      <>
        <h1>{record.label}</h1>
        <p role="alert" class="form-error">
          {t('field.visit.missingData')}
        </p>
        {back}
      </>
    );
  }

  const onCheckedIn = async (checkIn: CheckInBody, photo: PinPhoto | null) => {
    if (photo !== null) {
      const sha256 = await sha256Hex(photo.data);
      await services.outbox.attach(
        record.id,
        { sha256, kind: 'pin_photo', content_type: photo.contentType, bytes: photo.data.byteLength, question: 'check_in' },
        photo.data,
      );
    }
    await services.outbox.setCheckIn(record.id, checkIn);
    services.changes.notify();
  };

  const onSubmit = async (answers: Answers) => {
    if (submitting) return;
    setSubmitting(true);
    setError(null);
    try {
      await services.outbox.saveAnswers(record.id, answers);
      await services.outbox.finalize(record.id, Date.now());
      services.changes.notify();
      void services.sync.sync(true);
    } catch (failure) {
      // The technical text goes to the log; the agent reads a localized one.
      console.error('Finishing the visit failed', failure);
      setError(
        failure instanceof OutboxError
          ? t(OUTBOX_ERROR_KEYS[failure.code])
          : failure instanceof ApiError
            ? describeError(failure, t)
            : t('field.visit.error.device'),
      );
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <>
      <h1>{debtorName(stop.account)}</h1>
      <p class="stop__address">{addressLine(stop.address)}</p>
      <AccountContacts stop={stop} lenders={day.lenders} />
      {record.check_in === null ? (
        <CheckIn day={day} stop={stop} serverOffsetMs={props.stored?.server_offset_ms ?? 0} onCheckedIn={onCheckedIn} />
      ) : (
        <>
          {record.check_in.exception ? (
            <p class="notice" role="status">
              {t(EXCEPTION_KEYS[record.check_in.exception] ?? 'field.checkin.markedPin')}
            </p>
          ) : (
            <p class="hint">{t('field.checkin.done')}</p>
          )}
          <FormView
            recordId={record.id}
            definition={form.definition}
            initial={record.answers as Answers}
            external={externalValues(form.definition, stop)}
            onSubmit={onSubmit}
            submitting={submitting}
          />
        </>
      )}
      {error !== null ? (
        <p role="alert" class="form-error">
          {error}
        </p>
      ) : null}
      {back}
    </>
  );
}
