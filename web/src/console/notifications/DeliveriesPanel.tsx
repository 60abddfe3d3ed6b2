// Notification emails with their delivery state, newest first. Supervisors
// and admins queue a failed one again.

import { useState } from 'preact/hooks';
import type { ApiClient } from '../../shared/api';
import { describeError } from '../../shared/errors';
import type { MessageKey } from '../../shared/i18n';
import { useI18n } from '../../shared/ui/i18n-context';
import { notifyApi, type DeliveryState } from './api';
import { LoadFailed } from './LoadFailed';
import { kindLabel } from './RulesPanel';
import { formatTime, useLoad } from './useLoad';

export const DELIVERY_STATES: readonly DeliveryState[] = ['pending', 'sending', 'sent', 'failed'];
export const stateKey = (state: string) => `notify.state.${state}` as MessageKey;

export function DeliveriesPanel(props: { api: ApiClient; canRetry: boolean }) {
  const { t, language } = useI18n();
  const [filter, setFilter] = useState<DeliveryState | null>(null);
  const deliveries = useLoad(() => notifyApi.deliveries(props.api, filter), [props.api, filter]);
  const [error, setError] = useState<string | null>(null);

  const retry = (id: string) => {
    setError(null);
    notifyApi
      .retryDelivery(props.api, id)
      .then(deliveries.reload, (failure: unknown) => setError(describeError(failure, t)));
  };

  return (
    <section aria-labelledby="notify-deliveries-title">
      <h3 id="notify-deliveries-title">{t('notify.deliveries.title')}</h3>
      <label>
        {t('notify.deliveries.filter')}
        <select
          name="delivery-state"
          value={filter ?? ''}
          onChange={(e) => setFilter(e.currentTarget.value === '' ? null : (e.currentTarget.value as DeliveryState))}
        >
          <option value="">{t('notify.deliveries.all')}</option>
          {DELIVERY_STATES.map((state) => (
            <option key={state} value={state}>
              {t(stateKey(state))}
            </option>
          ))}
        </select>
      </label>
      {error === null ? null : (
        <p role="alert" class="form-error">
          {error}
        </p>
      )}
      {deliveries.state.kind === 'loading' ? (
        <p role="status">{t('common.loading')}</p>
      ) : deliveries.state.kind === 'failed' ? (
        <LoadFailed message={deliveries.state.message} onRetry={deliveries.reload} />
      ) : deliveries.state.value.deliveries.length === 0 ? (
        <p class="empty-state__body">{t('notify.deliveries.empty')}</p>
      ) : (
        <div class="table-scroll">
          <table class="data-table">
            <caption class="visually-hidden">{t('notify.deliveries.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('notify.deliveries.created')}</th>
                <th scope="col">{t('notify.deliveries.kind')}</th>
                <th scope="col">{t('notify.deliveries.recipient')}</th>
                <th scope="col">{t('notify.deliveries.state')}</th>
                <th scope="col">{t('notify.deliveries.attempts')}</th>
                <th scope="col">{t('notify.deliveries.lastError')}</th>
                {props.canRetry ? <th scope="col">{t('notify.actions')}</th> : null}
              </tr>
            </thead>
            <tbody>
              {deliveries.state.value.deliveries.map((delivery) => (
                <tr key={delivery.id}>
                  <td>{formatTime(delivery.created_at, language)}</td>
                  <td>{kindLabel(t, delivery.event_kind)}</td>
                  <td>{delivery.recipient}</td>
                  <td>
                    <span class={`notify-state notify-state--${delivery.state}`}>{t(stateKey(delivery.state))}</span>
                  </td>
                  <td>{delivery.attempts}</td>
                  <td>{delivery.last_error ?? '—'}</td>
                  {props.canRetry ? (
                    <td>
                      {delivery.state === 'failed' ? (
                        <button type="button" class="button button--small" onClick={() => retry(delivery.id)}>
                          {t('notify.retry')}
                        </button>
                      ) : null}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
