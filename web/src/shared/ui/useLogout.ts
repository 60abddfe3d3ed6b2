// Sign-out action shared by the console and the field app.

import { useState } from 'preact/hooks';
import type { ApiClient } from '../api';
import { describeError, isUnauthenticated } from '../errors';
import { useI18n } from './i18n-context';

export interface LogoutState {
  pending: boolean;
  error: string | null;
  logout: () => Promise<void>;
}

/**
 * Calls `POST /api/auth/logout` and then `onLoggedOut`. A 401 counts as
 * success because the server session had already ended. Any other failure is
 * stored in `error`, and the user stays signed in.
 */
export function useLogout(api: ApiClient, onLoggedOut: () => void): LogoutState {
  const { t } = useI18n();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const logout = async () => {
    if (pending) {
      return;
    }
    setPending(true);
    setError(null);
    try {
      await api.logout();
    } catch (failure) {
      if (isUnauthenticated(failure)) {
        api.setCsrfToken(null);
      } else {
        setPending(false);
        setError(describeError(failure, t));
        return;
      }
    }
    onLoggedOut();
  };

  return { pending, error, logout };
}
