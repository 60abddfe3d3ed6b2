// Top level of the supervisor console: restores the session, then shows the
// login screen, the shell, or a notice for agents who belong in the field app.

import { useEffect, useState } from 'preact/hooks';
import type { ApiClient } from '../shared/api';
import { describeError, isUnauthenticated } from '../shared/errors';
import type { Session } from '../shared/types';
import { useI18n } from '../shared/ui/i18n-context';
import { LanguageSwitch } from '../shared/ui/LanguageSwitch';
import { LoginForm } from '../shared/ui/LoginForm';
import { useLogout } from '../shared/ui/useLogout';
import { Shell } from './Shell';

type State =
  | { kind: 'loading' }
  | { kind: 'anonymous'; notice: string | null }
  | { kind: 'signedIn'; session: Session };

export function ConsoleApp(props: { api: ApiClient }) {
  const { api } = props;
  const { t } = useI18n();
  const [state, setState] = useState<State>({ kind: 'loading' });

  useEffect(() => {
    let cancelled = false;
    api.session().then(
      (session) => {
        if (!cancelled) setState({ kind: 'signedIn', session });
      },
      (failure: unknown) => {
        if (cancelled) return;
        const notice = isUnauthenticated(failure) ? null : describeError(failure, t);
        setState({ kind: 'anonymous', notice });
      },
    );
    return () => {
      cancelled = true;
    };
    // `t` is left out on purpose: the session is restored once per page load,
    // and a language change must not fetch it again.
  }, [api]);

  useEffect(() => {
    document.title = t('console.title');
  }, [t]);

  const onLoggedOut = () => setState({ kind: 'anonymous', notice: null });

  switch (state.kind) {
    case 'loading':
      return (
        <main class="centered" aria-busy="true">
          <p role="status">{t('common.loading')}</p>
        </main>
      );
    case 'anonymous':
      return (
        <LoginScreen
          api={api}
          notice={state.notice}
          onLoggedIn={(session) => setState({ kind: 'signedIn', session })}
        />
      );
    case 'signedIn':
      if (state.session.user.role === 'agent') {
        return <AgentNotice api={api} session={state.session} onLoggedOut={onLoggedOut} />;
      }
      return <Shell api={api} session={state.session} onLoggedOut={onLoggedOut} />;
  }
}

function LoginScreen(props: { api: ApiClient; notice: string | null; onLoggedIn: (session: Session) => void }) {
  const { t } = useI18n();
  return (
    <div class="login-page">
      <header class="login-page__top">
        <LanguageSwitch />
      </header>
      <main class="login-card">
        <p class="brand" aria-hidden="true">
          Ronda
        </p>
        <h1>{t('login.title')}</h1>
        <p class="login-card__intro">{t('login.consoleIntro')}</p>
        <LoginForm api={props.api} notice={props.notice} onLoggedIn={props.onLoggedIn} />
      </main>
    </div>
  );
}

function AgentNotice(props: { api: ApiClient; session: Session; onLoggedOut: () => void }) {
  const { t } = useI18n();
  const { pending, error, logout } = useLogout(props.api, props.onLoggedOut);

  return (
    <div class="login-page">
      <header class="login-page__top">
        <LanguageSwitch />
      </header>
      <main class="login-card" aria-labelledby="agent-notice-title">
        <p class="brand" aria-hidden="true">
          Ronda
        </p>
        <h1 id="agent-notice-title">{t('console.agentTitle')}</h1>
        <p class="login-card__intro">
          {props.session.user.name} · {props.session.organization.name}
        </p>
        <p>{t('console.agentBody')}</p>
        <p>
          <a class="button button--primary" href="/app/">
            {t('console.agentLink')}
          </a>
        </p>
        {error ? (
          <p role="alert" class="form-error">
            {error}
          </p>
        ) : null}
        <button type="button" class="button" onClick={logout} disabled={pending}>
          {pending ? t('common.loggingOut') : t('common.logout')}
        </button>
      </main>
    </div>
  );
}
