// Webhooks of the organization. Admins add and delete them and queue a failed
// delivery again, and every console role reads the delivery log and its attempts.

import { useState } from 'preact/hooks';
import type { ApiClient } from '../../shared/api';
import { describeError } from '../../shared/errors';
import { useI18n } from '../../shared/ui/i18n-context';
import { EVENT_KINDS, notifyApi, type Webhook } from './api';
import { stateKey } from './DeliveriesPanel';
import { LoadFailed } from './LoadFailed';
import { kindLabel } from './RulesPanel';
import { formatTime, useLoad } from './useLoad';

export function WebhooksPanel(props: { api: ApiClient; canManage: boolean }) {
  const { t } = useI18n();
  const webhooks = useLoad(() => notifyApi.webhooks(props.api), [props.api]);
  const [open, setOpen] = useState<Webhook | null>(null);
  const [secret, setSecret] = useState<{ name: string; secret: string } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const remove = (webhook: Webhook) => {
    setError(null);
    notifyApi.deleteWebhook(props.api, webhook.id).then(
      () => {
        if (open?.id === webhook.id) setOpen(null);
        webhooks.reload();
      },
      (failure: unknown) => setError(describeError(failure, t)),
    );
  };

  return (
    <section aria-labelledby="notify-webhooks-title">
      <h3 id="notify-webhooks-title">{t('notify.webhooks.title')}</h3>
      {error === null ? null : (
        <p role="alert" class="form-error">
          {error}
        </p>
      )}
      {secret === null ? null : (
        <div role="status" class="card notify-secret">
          <p>{t('notify.webhooks.secretOnce', { name: secret.name })}</p>
          <code>{secret.secret}</code>
          <button type="button" class="button button--small" onClick={() => setSecret(null)}>
            {t('notify.webhooks.secretDone')}
          </button>
        </div>
      )}
      {webhooks.state.kind === 'loading' ? (
        <p role="status">{t('common.loading')}</p>
      ) : webhooks.state.kind === 'failed' ? (
        <LoadFailed message={webhooks.state.message} onRetry={webhooks.reload} />
      ) : webhooks.state.value.length === 0 ? (
        <p class="empty-state__body">
          {t(props.canManage ? 'notify.webhooks.empty' : 'notify.webhooks.emptyReadOnly')}
        </p>
      ) : (
        <div class="table-scroll">
          <table class="data-table">
            <caption class="visually-hidden">{t('notify.webhooks.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('notify.webhooks.name')}</th>
                <th scope="col">{t('notify.webhooks.url')}</th>
                <th scope="col">{t('notify.webhooks.kinds')}</th>
                <th scope="col">{t('notify.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {webhooks.state.value.map((webhook) => (
                <tr key={webhook.id}>
                  <td>{webhook.name}</td>
                  <td>{webhook.url}</td>
                  <td>{webhook.kinds.map((kind) => kindLabel(t, kind)).join(', ')}</td>
                  <td>
                    <button type="button" class="button button--small" onClick={() => setOpen(webhook)}>
                      {t('notify.webhooks.log')}
                    </button>
                    {props.canManage ? (
                      <button type="button" class="button button--small" onClick={() => remove(webhook)}>
                        {t('notify.delete')}
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {open === null ? null : <WebhookLog key={open.id} api={props.api} webhook={open} canRetry={props.canManage} />}
      {props.canManage ? (
        <WebhookForm
          api={props.api}
          onCreated={(name, created) => {
            setSecret({ name, secret: created });
            webhooks.reload();
          }}
        />
      ) : null}
    </section>
  );
}

function WebhookLog(props: { api: ApiClient; webhook: Webhook; canRetry: boolean }) {
  const { t, language } = useI18n();
  const deliveries = useLoad(
    () => notifyApi.webhookDeliveries(props.api, props.webhook.id),
    [props.api, props.webhook.id],
  );
  const [attemptsOf, setAttemptsOf] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const retry = (id: string) => {
    setError(null);
    notifyApi
      .retryWebhookDelivery(props.api, id)
      .then(deliveries.reload, (failure: unknown) => setError(describeError(failure, t)));
  };

  return (
    <div class="card notify-log">
      <h4>{t('notify.webhooks.logTitle', { name: props.webhook.name })}</h4>
      {error === null ? null : (
        <p role="alert" class="form-error">
          {error}
        </p>
      )}
      {deliveries.state.kind === 'loading' ? (
        <p role="status">{t('common.loading')}</p>
      ) : deliveries.state.kind === 'failed' ? (
        <LoadFailed message={deliveries.state.message} onRetry={deliveries.reload} />
      ) : deliveries.state.value.length === 0 ? (
        <p class="empty-state__body">{t('notify.webhooks.logEmpty')}</p>
      ) : (
        <div class="table-scroll">
          <table class="data-table">
            <caption class="visually-hidden">{t('notify.webhooks.logTitle', { name: props.webhook.name })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('notify.deliveries.created')}</th>
                <th scope="col">{t('notify.deliveries.kind')}</th>
                <th scope="col">{t('notify.deliveries.state')}</th>
                <th scope="col">{t('notify.deliveries.attempts')}</th>
                <th scope="col">{t('notify.webhooks.status')}</th>
                <th scope="col">{t('notify.deliveries.lastError')}</th>
                <th scope="col">{t('notify.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {deliveries.state.value.map((delivery) => (
                <tr key={delivery.id}>
                  <td>{formatTime(delivery.created_at, language)}</td>
                  <td>{kindLabel(t, delivery.event_kind)}</td>
                  <td>
                    <span class={`notify-state notify-state--${delivery.state}`}>{t(stateKey(delivery.state))}</span>
                  </td>
                  <td>{delivery.attempts}</td>
                  <td>{delivery.last_status_code ?? '—'}</td>
                  <td>{delivery.last_error ?? '—'}</td>
                  <td>
                    <button type="button" class="button button--small" onClick={() => setAttemptsOf(delivery.id)}>
                      {t('notify.webhooks.attempts')}
                    </button>
                    {props.canRetry && delivery.state === 'failed' ? (
                      <button type="button" class="button button--small" onClick={() => retry(delivery.id)}>
                        {t('notify.retry')}
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {attemptsOf === null ? null : <Attempts key={attemptsOf} api={props.api} deliveryId={attemptsOf} />}
    </div>
  );
}

function Attempts(props: { api: ApiClient; deliveryId: string }) {
  const { t, language } = useI18n();
  const attempts = useLoad(() => notifyApi.webhookAttempts(props.api, props.deliveryId), [props.api, props.deliveryId]);
  if (attempts.state.kind === 'loading') return <p role="status">{t('common.loading')}</p>;
  if (attempts.state.kind === 'failed') {
    return <LoadFailed message={attempts.state.message} onRetry={attempts.reload} />;
  }
  if (attempts.state.value.length === 0) return <p class="empty-state__body">{t('notify.webhooks.attemptsEmpty')}</p>;
  return (
    <ol class="notify-attempts" aria-label={t('notify.webhooks.attempts')}>
      {attempts.state.value.map((attempt) => (
        <li key={attempt.attempted_at}>
          {formatTime(attempt.attempted_at, language)} · {attempt.duration_ms} ms ·{' '}
          {attempt.status_code === null ? t('notify.webhooks.noStatus') : `HTTP ${attempt.status_code}`}
          {attempt.error === null ? '' : ` · ${attempt.error}`}
          {attempt.response_excerpt === null ? null : <pre>{attempt.response_excerpt}</pre>}
        </li>
      ))}
    </ol>
  );
}

function WebhookForm(props: { api: ApiClient; onCreated: (name: string, secret: string) => void }) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [kinds, setKinds] = useState<string[]>(['visit.completed']);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = (event: Event) => {
    event.preventDefault();
    if (name.trim() === '' || url.trim() === '' || kinds.length === 0) {
      setError(t('notify.webhooks.missing'));
      return;
    }
    setPending(true);
    setError(null);
    notifyApi.createWebhook(props.api, { name: name.trim(), url: url.trim(), kinds }).then(
      (created) => {
        setPending(false);
        setName('');
        setUrl('');
        props.onCreated(created.webhook.name, created.secret);
      },
      (failure: unknown) => {
        setPending(false);
        setError(describeError(failure, t));
      },
    );
  };

  return (
    <form class="notify-form card" onSubmit={submit}>
      <h4>{t('notify.webhooks.create')}</h4>
      <label>
        {t('notify.webhooks.name')}
        <input name="webhook-name" value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </label>
      <label>
        {t('notify.webhooks.url')}
        <input
          name="webhook-url"
          type="url"
          value={url}
          placeholder="https://"
          onInput={(e) => setUrl(e.currentTarget.value)}
        />
        <span class="hint">{t('notify.webhooks.urlHint')}</span>
      </label>
      <fieldset>
        <legend>{t('notify.webhooks.kinds')}</legend>
        {EVENT_KINDS.map((kind) => (
          <label key={kind}>
            <input
              type="checkbox"
              checked={kinds.includes(kind)}
              onChange={(e) =>
                setKinds(e.currentTarget.checked ? [...kinds, kind] : kinds.filter((item) => item !== kind))
              }
            />
            {kindLabel(t, kind)}
          </label>
        ))}
      </fieldset>
      {error === null ? null : (
        <p role="alert" class="form-error">
          {error}
        </p>
      )}
      <button type="submit" class="button button--primary" disabled={pending}>
        {t('notify.webhooks.save')}
      </button>
    </form>
  );
}
