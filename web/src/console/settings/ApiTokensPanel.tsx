// API tokens for integrations, for admins only because the server rejects other
// roles. A new token's secret is shown once, with a copy button and a warning.
// Revoking requires a confirmation first.

import { useEffect, useState } from 'preact/hooks';
import type { ApiClient } from '../../shared/api';
import { describeError } from '../../shared/errors';
import { useI18n } from '../../shared/ui/i18n-context';
import { TOKEN_ROLES, tokensApi, type ApiToken, type TokenRole } from './organizationApi';

type Message = { kind: 'ok' | 'error'; text: string } | null;

export function ApiTokensPanel(props: { api: ApiClient }) {
  const { api } = props;
  const { t } = useI18n();
  const [tokens, setTokens] = useState<ApiToken[] | null>(null);
  const [name, setName] = useState('');
  const [role, setRole] = useState<TokenRole>('viewer');
  const [secret, setSecret] = useState<{ name: string; value: string } | null>(null);
  const [copied, setCopied] = useState(false);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [message, setMessage] = useState<Message>(null);

  const fail = (failure: unknown) => setMessage({ kind: 'error', text: describeError(failure, t) });
  const load = () => tokensApi.list(api).then(setTokens, fail);

  useEffect(() => {
    void load();
  }, [api]);

  const create = async (event: Event) => {
    event.preventDefault();
    setMessage(null);
    try {
      const created = await tokensApi.create(api, name, role);
      setSecret({ name: created.token.name, value: created.secret });
      setCopied(false);
      setName('');
      await load();
    } catch (failure: unknown) {
      fail(failure);
    }
  };

  const revoke = async (token: ApiToken) => {
    setMessage(null);
    setConfirming(null);
    try {
      await tokensApi.revoke(api, token.id);
      setMessage({ kind: 'ok', text: t('tokens.revoked', { name: token.name }) });
      await load();
    } catch (failure: unknown) {
      fail(failure);
    }
  };

  const copy = async () => {
    if (secret === null) return;
    try {
      await navigator.clipboard.writeText(secret.value);
      setCopied(true);
    } catch {
      setMessage({ kind: 'error', text: t('tokens.copyFailed') });
    }
  };

  const formatDate = (value: string) => new Date(value).toLocaleString();
  return (
    <section class="tokens-panel" aria-labelledby="tokens-title">
      <h2 id="tokens-title">{t('tokens.title')}</h2>
      <p>{t('tokens.intro')}</p>
      {message !== null && (
        <p role={message.kind === 'ok' ? 'status' : 'alert'} class={message.kind === 'ok' ? 'status-message' : 'form-error'}>
          {message.text}
        </p>
      )}
      {secret !== null && (
        <div class="tokens-secret" role="region" aria-label={t('tokens.secretTitle')}>
          <p class="form-error">{t('tokens.secretWarning', { name: secret.name })}</p>
          <input readOnly value={secret.value} aria-label={t('tokens.secretTitle')} onFocus={(event) => event.currentTarget.select()} />
          <button type="button" class="button button--small" onClick={() => void copy()}>
            {t(copied ? 'tokens.copied' : 'tokens.copy')}
          </button>
          <button type="button" class="button button--small" onClick={() => setSecret(null)}>
            {t('tokens.dismiss')}
          </button>
        </div>
      )}
      {tokens !== null && tokens.length === 0 && <p class="hint">{t('tokens.empty')}</p>}
      {tokens !== null && tokens.length > 0 && (
        <div class="table-scroll">
          <table class="data-table tokens-table">
            <thead>
              <tr>
                <th scope="col">{t('tokens.name')}</th>
                <th scope="col">{t('tokens.role')}</th>
                <th scope="col">{t('tokens.created')}</th>
                <th scope="col">{t('tokens.status')}</th>
                <th scope="col">{t('tokens.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((token) => (
                <tr key={token.id}>
                  <th scope="row">{token.name}</th>
                  <td>{t(`role.${token.role}`)}</td>
                  <td>{formatDate(token.created_at)}</td>
                  <td>{token.revoked_at === null ? t('tokens.active') : t('tokens.revokedAt', { date: formatDate(token.revoked_at) })}</td>
                  <td>
                    {token.revoked_at !== null ? null : confirming === token.id ? (
                      <span class="tokens-confirm">
                        {t('tokens.confirm', { name: token.name })}
                        <button type="button" class="button button--small button--danger" onClick={() => void revoke(token)}>
                          {t('tokens.confirmRevoke')}
                        </button>
                        <button type="button" class="button button--small" onClick={() => setConfirming(null)}>
                          {t('tokens.cancel')}
                        </button>
                      </span>
                    ) : (
                      <button type="button" class="button button--small" onClick={() => setConfirming(token.id)}>
                        {t('tokens.revoke')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form class="codes-new" onSubmit={(event) => void create(event)}>
        <h3>{t('tokens.createTitle')}</h3>
        <label>
          {t('tokens.name')}
          <input value={name} placeholder={t('tokens.namePlaceholder')} onInput={(event) => setName(event.currentTarget.value)} />
        </label>
        <label>
          {t('tokens.role')}
          <select value={role} onChange={(event) => setRole(event.currentTarget.value as TokenRole)}>
            {TOKEN_ROLES.map((option) => (
              <option key={option} value={option}>
                {t(`role.${option}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" class="button">
          {t('tokens.create')}
        </button>
      </form>
    </section>
  );
}
