// SMTP server that sends the organization's emails. Admins edit it and send a
// test email, and other roles see it read-only. The API never returns the password.

import { useState } from 'preact/hooks';
import type { ApiClient } from '../../shared/api';
import { describeError } from '../../shared/errors';
import type { MessageKey } from '../../shared/i18n';
import { useI18n } from '../../shared/ui/i18n-context';
import { notifyApi, type SmtpSecurity, type SmtpView } from './api';
import { LoadFailed } from './LoadFailed';
import { useLoad } from './useLoad';

const SECURITIES: readonly SmtpSecurity[] = ['starttls', 'tls', 'none'];

export function SmtpPanel(props: { api: ApiClient; canEdit: boolean }) {
  const { t } = useI18n();
  const smtp = useLoad(() => notifyApi.smtp(props.api), [props.api]);
  const [saved, setSaved] = useState<SmtpView | null>(null);
  const view = saved ?? (smtp.state.kind === 'loaded' ? smtp.state.value : null);

  return (
    <section aria-labelledby="notify-smtp-title">
      <h3 id="notify-smtp-title">{t('notify.smtp.title')}</h3>
      {smtp.state.kind === 'loading' ? (
        <p role="status">{t('common.loading')}</p>
      ) : smtp.state.kind === 'failed' ? (
        <LoadFailed message={smtp.state.message} onRetry={smtp.reload} />
      ) : view === null ? null : (
        <>
          <p class="status-message">{t(`notify.smtp.source.${view.source}` as MessageKey)}</p>
          {props.canEdit ? (
            <>
              <SmtpForm api={props.api} view={view} onSaved={setSaved} />
              <TestEmail api={props.api} />
            </>
          ) : (
            <SmtpSummary view={view} />
          )}
        </>
      )}
    </section>
  );
}

function SmtpSummary(props: { view: SmtpView }) {
  const { t } = useI18n();
  const { view } = props;
  if (view.source === 'none') return null;
  return (
    <dl class="notify-summary">
      <dt>{t('notify.smtp.host')}</dt>
      <dd>{view.host}</dd>
      <dt>{t('notify.smtp.port')}</dt>
      <dd>{view.port}</dd>
      <dt>{t('notify.smtp.security')}</dt>
      <dd>{view.security === null ? '—' : t(`notify.smtp.security.${view.security}` as MessageKey)}</dd>
      <dt>{t('notify.smtp.username')}</dt>
      <dd>{view.username ?? '—'}</dd>
      <dt>{t('notify.smtp.from')}</dt>
      <dd>{view.from_address}</dd>
    </dl>
  );
}

function SmtpForm(props: { api: ApiClient; view: SmtpView; onSaved: (view: SmtpView) => void }) {
  const { t } = useI18n();
  const own = props.view.source === 'organization';
  const [host, setHost] = useState(own ? (props.view.host ?? '') : '');
  const [port, setPort] = useState(own && props.view.port !== null ? String(props.view.port) : '587');
  const [security, setSecurity] = useState<SmtpSecurity>(own ? (props.view.security ?? 'starttls') : 'starttls');
  const [username, setUsername] = useState(own ? (props.view.username ?? '') : '');
  const [password, setPassword] = useState('');
  const [clearPassword, setClearPassword] = useState(false);
  const [from, setFrom] = useState(own ? (props.view.from_address ?? '') : '');
  const [pending, setPending] = useState(false);
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);

  const submit = (event: Event) => {
    event.preventDefault();
    const portNumber = Number(port);
    const portValid = Number.isInteger(portNumber) && portNumber >= 1 && portNumber <= 65535;
    if (host.trim() === '' || from.trim() === '' || !portValid) {
      setMessage({ error: true, text: t('notify.smtp.missing') });
      return;
    }
    setPending(true);
    setMessage(null);
    notifyApi
      .saveSmtp(props.api, {
        host: host.trim(),
        port: portNumber,
        security,
        username: username.trim() === '' ? null : username.trim(),
        ...(password === '' ? {} : { password }),
        ...(clearPassword && password === '' ? { clear_password: true } : {}),
        from_address: from.trim(),
      })
      .then(
        (view) => {
          setPending(false);
          setPassword('');
          setClearPassword(false);
          setMessage({ error: false, text: t('notify.smtp.saved') });
          props.onSaved(view);
        },
        (failure: unknown) => {
          setPending(false);
          setMessage({ error: true, text: describeError(failure, t) });
        },
      );
  };

  return (
    <form class="notify-form card" onSubmit={submit}>
      <label>
        {t('notify.smtp.host')}
        <input name="host" value={host} placeholder="smtp.ejemplo.mx" onInput={(e) => setHost(e.currentTarget.value)} />
      </label>
      <label>
        {t('notify.smtp.port')}
        <input name="port" inputMode="numeric" value={port} onInput={(e) => setPort(e.currentTarget.value)} />
      </label>
      <label>
        {t('notify.smtp.security')}
        <select name="security" value={security} onChange={(e) => setSecurity(e.currentTarget.value as SmtpSecurity)}>
          {SECURITIES.map((item) => (
            <option key={item} value={item}>
              {t(`notify.smtp.security.${item}` as MessageKey)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('notify.smtp.username')}
        <input
          name="username"
          value={username}
          autoComplete="off"
          onInput={(e) => setUsername(e.currentTarget.value)}
        />
      </label>
      <label>
        {t('notify.smtp.password')}
        <input
          name="password"
          type="password"
          autoComplete="new-password"
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
        <span class="hint">{t(props.view.has_password ? 'notify.smtp.passwordKept' : 'notify.smtp.passwordNone')}</span>
      </label>
      {props.view.has_password ? (
        <label>
          <input type="checkbox" checked={clearPassword} onChange={(e) => setClearPassword(e.currentTarget.checked)} />
          {t('notify.smtp.clearPassword')}
        </label>
      ) : null}
      <label>
        {t('notify.smtp.from')}
        <input
          name="from"
          value={from}
          placeholder="Despacho <avisos@ejemplo.mx>"
          onInput={(e) => setFrom(e.currentTarget.value)}
        />
      </label>
      {message === null ? null : (
        <p role={message.error ? 'alert' : 'status'} class={message.error ? 'form-error' : 'status-message'}>
          {message.text}
        </p>
      )}
      <button type="submit" class="button button--primary" disabled={pending}>
        {t('notify.smtp.save')}
      </button>
    </form>
  );
}

function TestEmail(props: { api: ApiClient }) {
  const { t } = useI18n();
  const [to, setTo] = useState('');
  const [pending, setPending] = useState(false);
  const [result, setResult] = useState<{ error: boolean; text: string } | null>(null);

  const send = (event: Event) => {
    event.preventDefault();
    if (to.trim() === '') {
      setResult({ error: true, text: t('notify.smtp.testMissing') });
      return;
    }
    setPending(true);
    setResult(null);
    notifyApi.testSmtp(props.api, to.trim()).then(
      () => {
        setPending(false);
        setResult({ error: false, text: t('notify.smtp.testSent', { to: to.trim() }) });
      },
      (failure: unknown) => {
        setPending(false);
        setResult({ error: true, text: describeError(failure, t) });
      },
    );
  };

  return (
    <form class="notify-form card" onSubmit={send}>
      <label>
        {t('notify.smtp.testTo')}
        <input name="test-to" type="email" value={to} onInput={(e) => setTo(e.currentTarget.value)} />
      </label>
      <button type="submit" class="button" disabled={pending}>
        {pending ? t('notify.smtp.testSending') : t('notify.smtp.test')}
      </button>
      {result === null ? null : (
        <p role={result.error ? 'alert' : 'status'} class={result.error ? 'form-error' : 'status-message'}>
          {result.text}
        </p>
      )}
    </form>
  );
}
