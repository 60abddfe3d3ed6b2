// Invitations, for admins: create an agent or supervisor without a password and
// get a one-time link, valid for 72 hours, where the person sets one.

import { useState } from 'preact/hooks';
import type { ApiClient } from '../../shared/api';
import { describeError } from '../../shared/errors';
import { useI18n } from '../../shared/ui/i18n-context';

interface CreatedInvitation {
  user: { id: string; name: string; email: string };
  invitation_path: string;
  /** Unix milliseconds. */
  expires_at: number;
  /** Whether the link also went out by email. */
  email: 'sent' | 'not_configured' | 'failed';
}

type InvitedRole = 'agent' | 'supervisor';

export function InvitationsPanel(props: { api: ApiClient }) {
  const { t } = useI18n();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<InvitedRole>('agent');
  const [created, setCreated] = useState<CreatedInvitation | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);

  const link = created === null ? '' : `${window.location.origin}${created.invitation_path}`;

  const submit = async (event: Event) => {
    event.preventDefault();
    setError(null);
    setCopied(false);
    try {
      const result = await props.api.request<CreatedInvitation>('POST', '/api/invitations', { email, name, role });
      setCreated(result);
      setEmail('');
      setName('');
    } catch (failure: unknown) {
      setError(describeError(failure, t));
    }
  };

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(link);
      setCopied(true);
    } catch {
      setError(t('tokens.copyFailed'));
    }
  };

  return (
    <section class="invitations-panel" aria-labelledby="invitations-title">
      <h2 id="invitations-title">{t('invite.title')}</h2>
      <p>{t('invite.intro')}</p>
      {error !== null && (
        <p role="alert" class="form-error">
          {error}
        </p>
      )}
      {created !== null && (
        <div class="tokens-secret" role="region" aria-label={t('invite.linkTitle')}>
          <p class="status-message">
            {t('invite.created', { name: created.user.name, date: new Date(created.expires_at).toLocaleString() })}
          </p>
          <input readOnly value={link} aria-label={t('invite.linkTitle')} />
          <p class="hint">{t(`invite.email.${created.email}`)}</p>
          <button type="button" class="button button--small" onClick={() => void copy()}>
            {t(copied ? 'tokens.copied' : 'tokens.copy')}
          </button>
        </div>
      )}
      <form class="codes-new" onSubmit={(event) => void submit(event)}>
        <label>
          {t('invite.email')}
          <input type="email" value={email} onInput={(event) => setEmail(event.currentTarget.value)} />
        </label>
        <label>
          {t('invite.name')}
          <input value={name} onInput={(event) => setName(event.currentTarget.value)} />
        </label>
        <label>
          {t('tokens.role')}
          <select value={role} onChange={(event) => setRole(event.currentTarget.value as InvitedRole)}>
            <option value="agent">{t('role.agent')}</option>
            <option value="supervisor">{t('role.supervisor')}</option>
          </select>
        </label>
        <button type="submit" class="button">
          {t('invite.create')}
        </button>
      </form>
    </section>
  );
}
