// Top level of the field agents' app. Any role may sign in. When the server
// cannot be reached, the last signed-in profile stored on the device keeps
// the shell usable until the connection returns.

import { useEffect, useState } from 'preact/hooks';
import type { ApiClient } from '../shared/api';
import { describeError, isNetworkError, isUnauthenticated } from '../shared/errors';
import type { FieldApi } from '../shared/field-api';
import type { Session } from '../shared/types';
import { useI18n } from '../shared/ui/i18n-context';
import { LanguageSwitch } from '../shared/ui/LanguageSwitch';
import { LoginForm } from '../shared/ui/LoginForm';
import { FieldShell } from './FieldShell';
import { clearProfile, loadProfile, saveProfile, type CachedProfile } from './profile-cache';

type State =
  | { kind: 'loading' }
  | { kind: 'anonymous'; notice: string | null }
  | { kind: 'signedIn'; profile: CachedProfile; offline: boolean };

function useOnline(): boolean {
  const [online, setOnline] = useState(() => navigator.onLine);
  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    return () => {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
    };
  }, []);
  return online;
}

export function FieldApp(props: { api: ApiClient; fieldApi: FieldApi }) {
  const { api, fieldApi } = props;
  const { t } = useI18n();
  const online = useOnline();
  const [state, setState] = useState<State>({ kind: 'loading' });
  // Counts sign-ins and session refreshes, so the shell knows when uploads can resume.
  const [sessionVersion, setSessionVersion] = useState(0);

  const signIn = (session: Session) => {
    saveProfile(session);
    fieldApi.setCsrfToken(session.csrf_token);
    setSessionVersion((version) => version + 1);
    setState({ kind: 'signedIn', profile: session, offline: false });
  };

  // Restores the session on start and again whenever the device comes back
  // online, so that an offline start picks up a fresh CSRF token.
  useEffect(() => {
    if (!online && state.kind !== 'loading') {
      return;
    }
    let cancelled = false;
    api.session().then(
      (session) => {
        if (!cancelled) signIn(session);
      },
      (failure: unknown) => {
        if (cancelled) return;
        const cached = loadProfile();
        if (isNetworkError(failure) && cached !== null) {
          setState({ kind: 'signedIn', profile: cached, offline: true });
          return;
        }
        if (isUnauthenticated(failure)) {
          clearProfile();
        }
        const notice = isUnauthenticated(failure) || isNetworkError(failure) ? null : describeError(failure, t);
        setState({ kind: 'anonymous', notice });
      },
    );
    return () => {
      cancelled = true;
    };
    // Runs only on start and on each offline-to-online change. It reads `t`
    // and `state` for their current values, so they must not retrigger it.
  }, [api, online]);

  useEffect(() => {
    document.title = t('field.title');
  }, [t]);

  switch (state.kind) {
    case 'loading':
      return (
        <main class="centered" aria-busy="true">
          <p role="status">{t('common.loading')}</p>
        </main>
      );
    case 'anonymous':
      return (
        <div class="field-page">
          <header class="field-header">
            <span class="field-header__title">{t('field.title')}</span>
            <LanguageSwitch />
          </header>
          <main class="field-main">
            <h1>{t('login.title')}</h1>
            <p class="field-intro">{t('login.fieldIntro')}</p>
            <LoginForm
              api={api}
              notice={state.notice}
              offlineMessageKey={online ? null : 'field.offlineLogin'}
              onLoggedIn={signIn}
            />
          </main>
        </div>
      );
    case 'signedIn':
      return (
        <FieldShell
          api={api}
          fieldApi={fieldApi}
          profile={state.profile}
          offline={state.offline || !online}
          sessionVersion={sessionVersion}
          onLoggedOut={() => {
            clearProfile();
            fieldApi.setCsrfToken(null);
            setState({ kind: 'anonymous', notice: null });
          }}
        />
      );
  }
}
