// The corrected point an agent proposed, its state, and the approve and reject
// buttons for admins and supervisors. Viewers see the state only; the server
// rejects their decisions too.

import { useState } from 'preact/hooks';
import type { ApiClient } from '../../shared/api';
import { describeError } from '../../shared/errors';
import type { Role } from '../../shared/types';
import { useI18n } from '../../shared/ui/i18n-context';
import { decidePin, type PinDecisionResult, type VisitDetail } from './api';
import { formatDateTime } from './format';

export function canDecidePins(role: Role): boolean {
  return role === 'admin' || role === 'supervisor';
}

export function PinPanel(props: {
  api: ApiClient;
  role: Role;
  visit: VisitDetail;
  onDecided: (result: PinDecisionResult) => void;
}) {
  const { visit } = props;
  const pin = visit.pin_correction!;
  const { t, language } = useI18n();
  const [note, setNote] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const decide = (decision: 'approve' | 'reject') => {
    setPending(true);
    setError(null);
    decidePin(props.api, visit.id, decision, note).then(
      (result) => {
        setPending(false);
        props.onDecided(result);
      },
      (failure: unknown) => {
        setPending(false);
        setError(describeError(failure, t));
      },
    );
  };

  return (
    <section aria-labelledby="visit-pin-title" class="visit__section visit__pin">
      <h3 id="visit-pin-title">{t('visits.section.pin')}</h3>
      <p>
        {t('visits.pinProposed', { latitude: pin.latitude.toFixed(6), longitude: pin.longitude.toFixed(6) })}
      </p>
      <p>
        <strong>{t(`visits.pinState.${pin.state}`)}</strong>
        {pin.decided_at !== null ? ` · ${formatDateTime(pin.decided_at, language, visit.address.time_zone)}` : ''}
        {pin.note ? ` · ${pin.note}` : ''}
      </p>
      {pin.state === 'pending' && canDecidePins(props.role) ? (
        <div class="visit__pin-actions">
          <label>
            {t('visits.pinNote')}
            <textarea value={note} maxLength={1000} rows={2} onInput={(event) => setNote(event.currentTarget.value)} />
          </label>
          <button type="button" class="button button--primary" disabled={pending} onClick={() => decide('approve')}>
            {t('visits.pinApprove')}
          </button>
          <button type="button" class="button" disabled={pending} onClick={() => decide('reject')}>
            {t('visits.pinReject')}
          </button>
        </div>
      ) : null}
      {error !== null ? (
        <p role="alert" class="form-error">
          {error}
        </p>
      ) : null}
    </section>
  );
}
